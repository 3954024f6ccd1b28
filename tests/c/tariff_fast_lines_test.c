/*
 * The fast path writes a bill's lines without freeing big parts (tariff_fast.c's
 * put()): billi_fast_compute frees them once after a general bill. These tests
 * bill usages whose values do not fit in int64 (the general path, big amounts
 * in the lines) and ordinary ones (the fast path) into the same bill handle,
 * in turns, under tariffs with different line counts, and require each bill
 * to equal the general path's (JSON, text, every line's explanation, rendered
 * twice). Under `make check-asan` a big part overwritten instead of freed is
 * reported as a leak.
 */
#define _POSIX_C_SOURCE 200809L

#include "test.h"
#include "tariff_util.h"

/* tariff_fast.c, for tests only (hidden symbols, linked from libbill.a) */
void billi_bill_set_general_only(bill_bill *b, int on);
int billi_bill_used_fast(const bill_bill *b);

static char *explain_all(const bill_bill *b)
{
    size_t n = bill_bill_line_count(b), len = 0;
    char *all = malloc(1);
    if (!all)
        return NULL;
    all[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char *x = bill_bill_line_explain(b, i);
        char *grown = x ? realloc(all, len + strlen(x) + 2) : NULL;
        if (!grown) {
            bill_free(x);
            free(all);
            return NULL;
        }
        all = grown;
        memcpy(all + len, x, strlen(x));
        len += strlen(x);
        all[len++] = '\n';
        all[len] = '\0';
        bill_free(x);
    }
    return all;
}

/* b (any path) and a fresh general-path bill of the same usage: the same JSON, text and
 * explanations, twice over */
static void same_as_general(const bill_tariff *t, const bill_usage *u, bill_bill *b, int want_fast,
                            const char *what)
{
    bill_bill *g;
    if (bill_bill_create(&g) != BILL_OK) {
        TEST_FAIL_("%s", "out of memory");
        return;
    }
    billi_bill_set_general_only(g, 1);
    CHECK_OK(bill_tariff_compute(t, u, b));
    CHECK_INT(billi_bill_used_fast(b), want_fast);
    CHECK_OK(bill_tariff_compute(t, u, g));
    for (int round = 0; round < 2; round++) {
        char *j1 = bill_bill_to_json(b), *j2 = bill_bill_to_json(g);
        char *x1 = bill_bill_to_text(b), *x2 = bill_bill_to_text(g);
        char *e1 = explain_all(b), *e2 = explain_all(g);
        CHECK(j1 && j2 && x1 && x2 && e1 && e2);
        if (j1 && j2 && strcmp(j1, j2) != 0)
            TEST_FAIL_("%s: JSON differs:\n%s\n%s", what, j1, j2);
        if (x1 && x2)
            CHECK_STR(x1, x2);
        if (e1 && e2)
            CHECK_STR(e1, e2);
        bill_free(j1);
        bill_free(j2);
        bill_free(x1);
        bill_free(x2);
        free(e1);
        free(e2);
    }
    bill_bill_free(g);
}

/* The largest precision of the bill's line quantities, prices and amounts. */
static int32_t widest_amount(const bill_bill *b)
{
    int32_t w = 0;
    for (size_t i = 0; i < bill_bill_line_count(b); i++) {
        bill_line_view v;
        if (bill_bill_line(&v, b, i) != BILL_OK)
            continue;
        const bill_dec *d[] = {v.quantity, v.unit_price, v.amount};
        for (int k = 0; k < 3; k++)
            if (bill_dec_precision(d[k]) > w)
                w = bill_dec_precision(d[k]);
    }
    return w;
}

static const char industry_big[] =
    "{\"period\": \"2025-06-01/2025-07-01\", \"class\": \"large_industry\","
    " \"capacity_kva\": \"3150\", \"declared_kw\": \"2000\", \"max_demand_kw\": \"2150\","
    " \"tou_kwh\": {\"critical\": \"600001234567.123456789012\", \"peak\": \"300000\","
    " \"flat\": \"400000\", \"valley\": \"440000987654.987654321098\"},"
    " \"kvarh\": \"712000\", \"pf_standard\": \"0.90\"}";
static const char industry_small[] =
    "{\"period\": \"2025-06-01/2025-07-01\", \"class\": \"large_industry\","
    " \"capacity_kva\": \"3150\", \"declared_kw\": \"2000\", \"max_demand_kw\": \"2150\","
    " \"tou_kwh\": {\"critical\": \"60000\", \"peak\": \"300000\", \"flat\": \"400000\","
    " \"valley\": \"440000\"}, \"kvarh\": \"712000\", \"pf_standard\": \"0.90\"}";
static const char residential_big[] =
    "{\"period\": \"2025-06-01/2025-07-01\", \"class\": \"residential\","
    " \"tou_kwh\": {\"peak\": \"999999999999999.999999999999\", \"valley\": \"120\"},"
    " \"ytd_kwh\": \"2761\"}";
static const char residential_small[] =
    "{\"period\": \"2025-06-01/2025-07-01\", \"class\": \"residential\","
    " \"tou_kwh\": {\"peak\": \"300\", \"valley\": \"120\"}, \"ytd_kwh\": \"2761\"}";

static void test_fast_after_big_general(void)
{
    bill_tariff *ind = tu_example_tariff("cn-large-industry.json");
    bill_tariff *res = tu_example_tariff("cn-residential-annual-tou.json");
    bill_usage *u = NULL;
    bill_bill *b = NULL;
    CHECK(ind != NULL && res != NULL);
    if (!ind || !res || bill_usage_create(&u) != BILL_OK || bill_bill_create(&b) != BILL_OK) {
        TEST_FAIL_("%s", "setup");
        goto out;
    }
    for (int round = 0; round < 3; round++) {
        /* big values: the general path, big amounts left in the lines */
        CHECK_OK(bill_usage_load(u, industry_big, strlen(industry_big), "industry_big"));
        same_as_general(ind, u, b, 0, "industry, big kWh");
        CHECK(widest_amount(b) > 18);
        /* then the fast path into the same lines (more lines than the residential bill) */
        CHECK_OK(bill_usage_load(u, industry_small, strlen(industry_small), "industry_small"));
        same_as_general(ind, u, b, 1, "industry after a big bill");
        CHECK(widest_amount(b) <= 18);
        /* another tariff, big then ordinary, then ordinary industry again */
        CHECK_OK(bill_usage_load(u, residential_big, strlen(residential_big), "residential_big"));
        same_as_general(res, u, b, 0, "residential, big kWh");
        CHECK(widest_amount(b) > 18);
        CHECK_OK(bill_usage_load(u, residential_small, strlen(residential_small), "res_small"));
        same_as_general(res, u, b, 1, "residential after a big bill");
        CHECK_OK(bill_usage_load(u, industry_small, strlen(industry_small), "industry_small"));
        same_as_general(ind, u, b, 1, "industry after residential");
    }
out:
    bill_usage_free(u);
    bill_bill_free(b);
    bill_tariff_free(ind);
    bill_tariff_free(res);
}

void suite_tariff_fast_lines(void)
{
    RUN(test_fast_after_big_general);
}
