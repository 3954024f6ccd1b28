/*
 * Fuzz harness for the tariff loader (libbill/tariff.c) and, for tariffs it
 * accepts, the bill computation and rendering.
 *
 * The input is handed to bill_tariff_load as it is. A rejection must come
 * with a known status and a message naming the source ("fuzz:"). An accepted
 * tariff is billed for a few fixed usages (flat, TOU, a long period across
 * versions and years, with and without year-to-date kWh); each computation
 * either fails with a message or gives a bill whose lines add up exactly to
 * its total, that renders as text and JSON, and that renders the same again
 * after the bill is reused. Any broken invariant aborts.
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
            fprintf(stderr, "tariff_fuzzer: invariant failed at line %d: %s\n",    \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

static const char *const usages[] = {
    "{\"period\": \"2025-06-01/2025-07-01\", \"kwh\": \"420\", \"ytd_kwh\": \"2761\"}",
    "{\"period\": \"2025-06-01/2025-07-01\", \"kwh\": \"420\", \"household_size\": 6, "
    "\"tou_kwh\": {\"peak\": \"300\", \"valley\": \"120\"}}",
    "{\"period\": \"2024-12-17/2025-03-16\", \"kwh\": \"1234.56\", \"class\": \"agricultural\", "
    "\"ytd_kwh\": \"4700\", \"opened\": \"2024-02-29\"}",
    "{\"period\": \"2025-06-01/2025-06-02\", \"tou_kwh\": {\"critical\": \"1\", \"peak\": \"2\", "
    "\"flat\": \"3\", \"valley\": \"0.5\"}}",
    "{\"period\": \"2025-06-01/2025-07-01\", \"tou_kwh\": {\"peak\": \"30.5\", "
    "\"valley\": \"12\"}, \"exported_kwh\": \"57.25\", \"ytd_kwh\": \"3100\"}",
};

static void check_bill(const bill_bill *b)
{
    bill_dec sum = BILL_DEC_INIT, total = BILL_DEC_INIT;
    bill_line_view v;
    size_t n = bill_bill_line_count(b);
    for (size_t i = 0; i < n; i++) {
        CHECK(bill_bill_line(&v, b, i) == BILL_OK);
        CHECK(v.charge && v.component && v.band && v.unit);
        CHECK(bill_dec_add(&sum, &sum, v.amount) == BILL_OK);
        char *e = bill_bill_line_explain(b, i);
        CHECK(e != NULL && e[0] != '\0');
        bill_free(e);
    }
    CHECK(bill_bill_line(&v, b, n) == BILL_EINVAL);
    CHECK(bill_bill_total(&total, b) == BILL_OK);
    CHECK(bill_dec_cmp(&sum, &total) == 0);
    bill_dec_clear(&sum);
    bill_dec_clear(&total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bill_tariff *t = (bill_tariff *)(uintptr_t)1;
    int rc = bill_tariff_load(&t, (const char *)data, size, "fuzz");
    if (rc != BILL_OK) {
        CHECK(t == NULL);
        CHECK(rc < 0 && rc != BILL_EINVAL && rc != BILL_EINTERNAL);
        CHECK(strncmp(bill_errmsg(), "fuzz:", 5) == 0 || rc == BILL_ENOMEM ||
              strstr(bill_errmsg(), "fuzz") != NULL);
        return 0;
    }
    CHECK(t != NULL);
    CHECK(bill_tariff_version_count(t) >= 1);
    bill_usage *u = NULL;
    bill_bill *b = NULL;
    CHECK(bill_usage_create(&u) == BILL_OK);
    CHECK(bill_bill_create(&b) == BILL_OK);
    for (size_t k = 0; k < sizeof usages / sizeof usages[0]; k++) {
        CHECK(bill_usage_load(u, usages[k], strlen(usages[k]), "usage") == BILL_OK);
        rc = bill_tariff_compute(t, u, b);
        if (rc != BILL_OK) {
            CHECK(bill_errmsg()[0] != '\0');
            CHECK(bill_bill_line_count(b) == 0);
            continue;
        }
        check_bill(b);
        char *j1 = bill_bill_to_json(b), *x1 = bill_bill_to_text(b);
        CHECK(j1 && x1);
        CHECK(bill_tariff_compute(t, u, b) == BILL_OK);
        char *j2 = bill_bill_to_json(b);
        CHECK(j2 && strcmp(j1, j2) == 0);
        bill_free(j1);
        bill_free(j2);
        bill_free(x1);
    }
    bill_bill_free(b);
    bill_usage_free(u);
    bill_tariff_free(t);
    return 0;
}
