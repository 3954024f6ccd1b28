/*
 * Fuzz harness for batch billing (include/bill/batch.h): a differential test of
 * the column kernel against bill_tariff_compute.
 *
 * The input chooses a tariff among the examples (examples/tariffs, read once
 * from the working directory: run from the repository root, as make
 * check-fuzz and make fuzz do), a period (whole months, a part of a month, one
 * across the new year), 1 to 48 accounts, the columns to set and their scales,
 * and every value (small, large, up to the 15 digits a quantity may have, or
 * negative to be refused). Every setter must either accept its column or
 * refuse it with a message naming an account; then every account's status,
 * total, subtotal and tax from the batch must be those of bill_tariff_compute
 * for bill_batch_usage() of the account, digit for digit, and a few accounts'
 * bills from bill_batch_bill() must have the same JSON. Any difference aborts.
 */
#include "bill.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "batch_fuzzer: invariant failed at line %d: %s\n",     \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

static const char *const files[] = {"cn-residential-annual-tou.json", "cn-commercial-tou.json",
                                    "cn-residential-annual.json",
                                    "cn-residential-monthly-seasonal.json",
                                    "cn-large-industry.json", "cn-residential-solar.json"};
#define NT (sizeof files / sizeof files[0])
static bill_tariff *tariffs[NT];

static void load_all(void)
{
    if (tariffs[0])
        return;
    for (size_t k = 0; k < NT; k++) {
        char path[256];
        snprintf(path, sizeof path, "examples/tariffs/%s", files[k]);
        FILE *f = fopen(path, "rb");
        if (!f) {
            fprintf(stderr, "batch_fuzzer: cannot open %s (run from the repository root)\n", path);
            abort();
        }
        static char buf[1 << 16];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        CHECK(bill_tariff_load(&tariffs[k], buf, len, path) == BILL_OK);
    }
}

/* the input, read as a stream of bytes (zeros past its end) */
typedef struct in {
    const uint8_t *p;
    size_t n, at;
} in;

static unsigned byte(in *s) { return s->at < s->n ? s->p[s->at++] : 0; }

static int64_t value(in *s)
{
    unsigned kind = byte(s) % 8;
    if (kind == 0)
        return 0;
    if (kind == 7) /* large: up to 18 digits (too large for some scales), rarely negative */
        return ((int64_t)byte(s) << 52 | (int64_t)byte(s) << 40 | (int64_t)byte(s) << 24 |
                (int64_t)byte(s) << 8 | byte(s)) * (byte(s) == 0 ? -1 : 1);
    int64_t v = 0;
    for (unsigned k = 0; k < kind; k++)
        v = v * 256 + byte(s);
    return v % 100000000;
}

static const char *const tou_names[] = {"peak", "valley", "flat", "critical", "sharp"};
static const char *const classes[] = {"residential", "commercial", "agricultural",
                                      "large_industry"};

static void same(const bill_dec *a, const bill_dec *b)
{
    char x[128], y[128];
    bill_dec_format(a, x, sizeof x);
    bill_dec_format(b, y, sizeof y);
    if (strcmp(x, y) != 0)
        fprintf(stderr, "batch_fuzzer: batch %s, one at a time %s\n", y, x);
    CHECK(strcmp(x, y) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load_all();
    in s = {data, size, 0};
    const bill_tariff *t = tariffs[byte(&s) % NT];
    static const char *const periods[] = {"2025-06-01/2025-07-01", "2024-02-01/2024-03-01",
                                          "2025-03-10/2025-04-09", "2024-12-10/2025-01-24",
                                          "2025-01-01/2025-02-01"};
    bill_period p;
    CHECK(bill_period_parse(&p, periods[byte(&s) % 5], (size_t)-1) == BILL_OK);
    size_t n = 1 + byte(&s) % 48;
    bill_batch *b;
    CHECK(bill_batch_create(&b, t, p, n) == BILL_OK);
    int64_t *col = malloc(n * sizeof *col);
    int32_t *hh = malloc(n * sizeof *hh);
    const char **cls = malloc(n * sizeof *cls);
    CHECK(col && hh && cls);

    unsigned set = byte(&s);
    int (*const setters[])(bill_batch *, const int64_t *, int32_t) = {
        bill_batch_set_kwh, bill_batch_set_ytd_kwh, bill_batch_set_capacity_kva,
        bill_batch_set_declared_kw, bill_batch_set_max_demand_kw, bill_batch_set_kvarh};
    /* TOU columns: up to 4 names */
    unsigned ntou = byte(&s) % 5;
    for (unsigned k = 0; k < ntou; k++) {
        int32_t scale = (int32_t)(byte(&s) % 15) - 1; /* -1 and 13 refused */
        for (size_t i = 0; i < n; i++)
            col[i] = value(&s);
        int rc = bill_batch_set_tou_kwh(b, tou_names[(k + byte(&s) % 2) % 5], col, scale);
        CHECK(rc == BILL_OK || (rc == BILL_ERANGE && bill_errmsg()[0]));
    }
    for (size_t c = 0; c < sizeof setters / sizeof setters[0]; c++) {
        if (!(set >> c & 1))
            continue;
        int32_t scale = (int32_t)(byte(&s) % 4);
        for (size_t i = 0; i < n; i++)
            col[i] = value(&s);
        int rc = setters[c](b, col, scale);
        CHECK(rc == BILL_OK || (rc == BILL_ERANGE && strstr(bill_errmsg(), "account") != NULL));
    }
    if (set & 64) {
        for (size_t i = 0; i < n; i++)
            hh[i] = (int32_t)(byte(&s) % 9);
        CHECK(bill_batch_set_household_size(b, hh) == BILL_OK);
    }
    if (set & 128) {
        for (size_t i = 0; i < n; i++)
            cls[i] = classes[byte(&s) % 4];
        CHECK(bill_batch_set_classes(b, cls) == BILL_OK);
    } else {
        CHECK(bill_batch_set_class(b, classes[byte(&s) % 4]) == BILL_OK);
    }
    if (byte(&s) % 2)
        CHECK(bill_batch_set_pf_standard(b, byte(&s) % 2 ? "0.90" : "0.85") == BILL_OK);

    CHECK(bill_batch_compute(b) == BILL_OK);
    CHECK(bill_batch_kernel_count(b) <= n && bill_batch_failed(b) <= n);
    bill_usage *u;
    bill_bill *x, *y;
    CHECK(bill_usage_create(&u) == BILL_OK && bill_bill_create(&x) == BILL_OK &&
          bill_bill_create(&y) == BILL_OK);
    bill_dec d1 = BILL_DEC_INIT, d2 = BILL_DEC_INIT;
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(bill_batch_usage(u, b, i) == BILL_OK);
        int rc = bill_tariff_compute(t, u, x);
        CHECK(bill_batch_status(b, i) == rc);
        if (rc != BILL_OK) {
            failed++;
            CHECK(bill_batch_total(&d2, b, i) == rc);
            continue;
        }
        CHECK(bill_bill_total(&d1, x) == BILL_OK && bill_batch_total(&d2, b, i) == BILL_OK);
        same(&d1, &d2);
        CHECK(bill_bill_subtotal(&d1, x) == BILL_OK && bill_batch_subtotal(&d2, b, i) == BILL_OK);
        same(&d1, &d2);
        CHECK(bill_bill_tax(&d1, x) == BILL_OK && bill_batch_tax(&d2, b, i) == BILL_OK);
        same(&d1, &d2);
        if (i % 16 == 0) {
            CHECK(bill_batch_bill(y, b, i) == BILL_OK);
            char *j1 = bill_bill_to_json(x), *j2 = bill_bill_to_json(y);
            CHECK(j1 && j2 && strcmp(j1, j2) == 0);
            bill_free(j1);
            bill_free(j2);
        }
    }
    CHECK(bill_batch_failed(b) == failed);
    bill_dec_clear(&d1);
    bill_dec_clear(&d2);
    bill_usage_free(u);
    bill_bill_free(x);
    bill_bill_free(y);
    bill_batch_free(b);
    free(col);
    free(hh);
    free(cls);
    return 0;
}
