/* Runs every C test suite and prints the closing line CI reads. */
#include "test.h"

int test_passed, test_failed;
const char *test_current = "";

int main(void)
{
    suite_errors();
    suite_decimal();
    suite_decimal_big();
    suite_money();
    suite_date();
    suite_calendar();
    suite_powerfactor();
    suite_json();
    suite_tariff();
    suite_tariff_feedin();
    suite_whatif();
    suite_tariff_demand();
    suite_store();
    suite_registry();
    suite_determinants();
    suite_billing();
    suite_csv();
    suite_meter();
    suite_readings_csv();
    suite_tariff_fast();
    suite_tariff_tou_readings();
    suite_import();
    suite_verify();
    suite_tariff_fast_lines();
    suite_billing_batch();
    suite_tariff_fast_read();
    suite_tariff_turbo();
    suite_batch();
    suite_billing_ytd();
    suite_billing_intervals();
    suite_billing_recovery();
    suite_tariff_split_scale();
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}
