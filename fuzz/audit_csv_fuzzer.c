/* Fuzz harness for the field audit CSV format (docs/readings-csv.md); see rcsv_fuzz.h. */
#define RCSV_FORMAT BILLI_RCSV_AUDIT
#include "rcsv_fuzz.h"
