/* Fuzz harness for the interval data CSV format (docs/readings-csv.md); see rcsv_fuzz.h. */
#define RCSV_FORMAT BILLI_RCSV_INTERVALS
#include "rcsv_fuzz.h"
