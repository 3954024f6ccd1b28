/* Tests for store-backed determinants and the billing run. */
#include "test.h"
void suite_billing(void) {}
