/* Fuzz harness for the register readings CSV format (docs/readings-csv.md); see rcsv_fuzz.h. */
#define RCSV_FORMAT BILLI_RCSV_READINGS
#include "rcsv_fuzz.h"
