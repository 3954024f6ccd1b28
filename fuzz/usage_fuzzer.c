/*
 * Fuzz harness for the usage loader (bill_usage_load) and the computation of
 * bills for any usage it accepts.
 *
 * The input is handed to bill_usage_load as it is. A rejection must leave the
 * handle reset and come with a message naming the source. An accepted usage
 * is billed under three fixed tariffs (annual tiers with a version change,
 * commercial TOU by component with "total" rounding and VAT, monthly seasonal
 * tiers with fixed and minimum charges, and a US-style tariff with TOU energy
 * and demand on a schedule and a ratchet, for interval data); each computation either fails with a
 * message or gives a bill whose lines add up exactly to its total and whose
 * JSON is the same when computed twice. Any broken invariant aborts.
 */
#include "bill.h"
#include "bill/tariff.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "usage_fuzzer: invariant failed at line %d: %s\n",     \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

static const char *const tariffs[] = {
    "{\"format\": \"libbill-tariff/1\", \"id\": \"a\", \"currency\": \"CNY\", "
    "\"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"}, "
    "\"price_basis\": \"vat_inclusive\", \"vat_rate\": \"0.13\", \"versions\": ["
    "{\"effective\": \"2000-01-01\", \"charges\": [{\"id\": \"e\", \"type\": \"energy\", "
    "\"price\": \"0.5283\", \"tiers\": {\"basis\": \"annual\", \"boundary\": \"upper\", "
    "\"proration\": \"days\", \"thresholds\": [\"3120\", \"4800\"], \"increments\": [\"0\", "
    "\"0.05\", \"0.30\"], \"large_household\": {\"min_persons\": 5, \"extra_per_month\": "
    "\"100\"}}}]}, {\"effective\": \"2025-06-16\", \"charges\": [{\"id\": \"e\", \"type\": "
    "\"energy\", \"price\": \"0.55\", \"tiers\": {\"basis\": \"annual\", \"boundary\": "
    "\"lower\", \"proration\": \"months\", \"thresholds\": [\"3120\", \"4800\"], "
    "\"increments\": [\"0\", \"0.05\", \"0.30\"]}}]}]}",
    "{\"format\": \"libbill-tariff/1\", \"id\": \"c\", \"currency\": \"CNY\", "
    "\"rounding\": {\"mode\": \"HALF_EVEN\", \"scale\": 2, \"apply\": \"total\"}, "
    "\"price_basis\": \"vat_exclusive\", \"vat_rate\": \"0.13\", \"versions\": ["
    "{\"effective\": \"2000-01-01\", \"charges\": [{\"id\": \"e\", \"type\": \"energy\", "
    "\"components\": [{\"name\": \"purchase\", \"price\": \"0.38\", \"tou\": true}, "
    "{\"name\": \"td\", \"price\": \"0.1552\"}], \"tou\": {\"ratios\": {\"critical\": "
    "\"2.028\", \"peak\": \"1.69\", \"flat\": \"1\", \"valley\": \"0.46\"}}}, "
    "{\"id\": \"f\", \"type\": \"per_kwh\", \"price\": \"0.03\", \"exempt_classes\": "
    "[\"agricultural\"]}]}]}",
    "{\"format\": \"libbill-tariff/1\", \"id\": \"m\", \"currency\": \"CNY\", "
    "\"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"}, "
    "\"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2000-01-01\", "
    "\"charges\": [{\"id\": \"s\", \"type\": \"fixed\", \"amount\": \"5\", \"per\": \"month\"}, "
    "{\"id\": \"e\", \"type\": \"energy\", \"price\": \"0.56\", \"tiers\": {\"basis\": "
    "\"monthly\", \"boundary\": \"lower\", \"proration\": \"months\", \"seasons\": ["
    "{\"months\": [5,6,7,8,9,10], \"thresholds\": [\"260\", \"600\"]}, {\"months\": "
    "[1,2,3,4,11,12], \"thresholds\": [\"200\", \"400\"]}], \"increments\": [\"0\", \"0.05\", "
    "\"0.30\"]}}, {\"id\": \"min\", \"type\": \"minimum\", \"amount\": \"10\", \"per\": "
    "\"day\"}]}]}",
    /* interval data, TOU energy and demand on a schedule, a ratchet */
    "{\"format\": \"libbill-tariff/1\", \"id\": \"us\", \"currency\": \"USD\", "
    "\"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"}, "
    "\"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2000-01-01\", "
    "\"schedules\": {\"s\": {\"granularity\": 30, \"seasons\": [{\"months\": "
    "[1,2,3,4,5,6,7,8,9,10,11,12], \"day_types\": [\"working\"], \"periods\": ["
    "{\"from\": \"00:00\", \"to\": \"12:30\", \"period\": \"off_peak\"}, "
    "{\"from\": \"12:30\", \"to\": \"18:00\", \"period\": \"on_peak\"}, "
    "{\"from\": \"18:00\", \"to\": \"24:00\", \"period\": \"off_peak\"}]}, "
    "{\"months\": [1,2,3,4,5,6,7,8,9,10,11,12], \"day_types\": [\"weekend\", \"holiday\"], "
    "\"periods\": [{\"from\": \"00:00\", \"to\": \"24:00\", \"period\": \"off_peak\"}]}]}}, "
    "\"charges\": [{\"id\": \"e\", \"type\": \"energy\", \"tou\": {\"schedule\": \"s\", "
    "\"prices\": {\"on_peak\": \"0.22\", \"off_peak\": \"0.08\"}}}, {\"id\": \"d\", "
    "\"type\": \"demand\", \"basis\": \"actual\", \"schedule\": \"s\", \"prices\": "
    "{\"on_peak\": \"18.5\"}}, {\"id\": \"f\", \"type\": \"demand\", \"basis\": "
    "\"actual\", \"price\": \"6.2\", \"ratchet\": {\"percent\": \"80\", \"months\": 11, "
    "\"minimum_kw\": \"5\"}}]}]}",
};
#define NT ((int)(sizeof tariffs / sizeof *tariffs))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bill_tariff *t[NT];
    bill_usage *u = NULL;
    bill_bill *b = NULL;
    for (int i = 0; i < NT; i++)
        CHECK(bill_tariff_load(&t[i], tariffs[i], strlen(tariffs[i]), "t") == BILL_OK);
    CHECK(bill_usage_create(&u) == BILL_OK);
    CHECK(bill_bill_create(&b) == BILL_OK);
    int rc = bill_usage_load(u, (const char *)data, size, "fuzz");
    if (rc != BILL_OK) {
        CHECK(rc < 0 && rc != BILL_EINVAL && rc != BILL_EINTERNAL);
        CHECK(strstr(bill_errmsg(), "fuzz") != NULL || rc == BILL_ENOMEM);
        CHECK(bill_tariff_compute(t[0], u, b) == BILL_ESTATE); /* reset: no period */
    } else {
        for (int i = 0; i < NT; i++) {
            rc = bill_tariff_compute(t[i], u, b);
            if (rc != BILL_OK) {
                CHECK(bill_errmsg()[0] != '\0');
                CHECK(bill_bill_line_count(b) == 0);
                continue;
            }
            bill_dec sum = BILL_DEC_INIT, total = BILL_DEC_INIT;
            bill_line_view v;
            for (size_t k = 0; k < bill_bill_line_count(b); k++) {
                CHECK(bill_bill_line(&v, b, k) == BILL_OK);
                CHECK(bill_dec_add(&sum, &sum, v.amount) == BILL_OK);
            }
            CHECK(bill_bill_total(&total, b) == BILL_OK);
            CHECK(bill_dec_cmp(&sum, &total) == 0);
            bill_dec_clear(&sum);
            bill_dec_clear(&total);
            char *j1 = bill_bill_to_json(b), *x = bill_bill_to_text(b);
            CHECK(j1 && x);
            CHECK(bill_tariff_compute(t[i], u, b) == BILL_OK);
            char *j2 = bill_bill_to_json(b);
            CHECK(j2 && strcmp(j1, j2) == 0);
            bill_free(j1);
            bill_free(j2);
            bill_free(x);
        }
    }
    bill_bill_free(b);
    bill_usage_free(u);
    for (int i = 0; i < NT; i++)
        bill_tariff_free(t[i]);
    return 0;
}
