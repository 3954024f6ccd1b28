/*
 * Tests for tariff options ("options", "when", bill_usage_set_option) and the
 * what-if API (include/bill/whatif.h): rankings worked by hand, ties, failed
 * candidates, and the best declared demand against a brute-force scan.
 */
#include "test.h"
#include "tariff_util.h"
#include "bill/whatif.h"

#define W_HEAD                                                                               \
    "{'format': 'libbill-tariff/1', 'id': 't', 'currency': 'CNY', "                          \
    "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}, "                         \
    "'price_basis': 'vat_inclusive', 'versions': [{'effective': '2020-01-01', "
#define W_TARIFF(rest) W_HEAD rest "}]}"
#define BASIS_OPTIONS                                                                        \
    "'options': {'basic_charge': {'values': ['capacity', 'contracted_demand', "              \
    "'actual_demand'], 'default': 'capacity'}}, "
#define TWO_PART                                                                             \
    W_TARIFF(BASIS_OPTIONS "'charges': ["                                                    \
    "{'id': 'cap', 'type': 'capacity', 'price': '24', 'when': {'basic_charge': 'capacity'}}, " \
    "{'id': 'con', 'type': 'demand', 'basis': 'contracted', 'price': '36', "                 \
    " 'when': {'basic_charge': 'contracted_demand'}}, "                                      \
    "{'id': 'act', 'type': 'demand', 'basis': 'actual', 'price': '36', "                     \
    " 'when': {'basic_charge': 'actual_demand'}}, "                                          \
    "{'id': 'energy', 'type': 'energy', 'price': '0.6'}, "                                   \
    "{'id': 'pf', 'type': 'power_factor', 'base': ['cap', 'con', 'act', 'energy'], "         \
    " 'standard': '0.90'}, "                                                                 \
    "{'id': 'fund', 'type': 'per_kwh', 'price': '0.0123'}]")

static void dset(bill_dec *d, const char *text)
{
    if (bill_dec_parse(d, text, (size_t)-1) != BILL_OK)
        abort();
}

/* A month of usage for the two-part tariff. */
static bill_usage *month_usage(int m, const char *kwh, const char *kvarh, const char *cap,
                               const char *declared, const char *demand)
{
    bill_usage *u;
    bill_dec v = BILL_DEC_INIT;
    bill_date a, b;
    if (bill_usage_create(&u) != BILL_OK || bill_date_from_ymd(&a, 2025, m, 1) != BILL_OK ||
        bill_date_from_ymd(&b, m == 12 ? 2026 : 2025, m == 12 ? 1 : m + 1, 1) != BILL_OK ||
        bill_usage_set_period(u, (bill_period){a, b}) != BILL_OK)
        abort();
    dset(&v, kwh);
    CHECK_OK(bill_usage_set_kwh(u, &v));
    if (kvarh) {
        dset(&v, kvarh);
        CHECK_OK(bill_usage_set_kvarh(u, &v));
    }
    if (cap) {
        dset(&v, cap);
        CHECK_OK(bill_usage_set_capacity_kva(u, &v));
    }
    if (declared) {
        dset(&v, declared);
        CHECK_OK(bill_usage_set_declared_kw(u, &v));
    }
    if (demand) {
        dset(&v, demand);
        CHECK_OK(bill_usage_set_max_demand_kw(u, &v));
    }
    bill_dec_clear(&v);
    return u;
}

static const char *bill_total_of(const bill_tariff *t, const bill_usage *u)
{
    bill_bill *b;
    bill_dec d = BILL_DEC_INIT;
    const char *r = "(failed)";
    if (bill_bill_create(&b) != BILL_OK)
        abort();
    if (bill_tariff_compute(t, u, b) == BILL_OK && bill_bill_total(&d, b) == BILL_OK)
        r = tu_dstr(&d);
    bill_dec_clear(&d);
    bill_bill_free(b);
    return r;
}

/* ---- options ------------------------------------------------------------------------ */

static void test_options_load_errors(void)
{
    tu_reject(W_TARIFF("'options': {'basis': {'values': ['a', 'b'], 'default': 'c'}}, "
                     "'charges': [{'id': 'e', 'type': 'energy', 'price': '1'}]"),
            BILL_ERULE, "default 'c' is not one of the option's values (at $.versions[0].options.basis.default)");
    tu_reject(W_TARIFF("'options': {'basis': {'values': ['a', 'a'], 'default': 'a'}}, "
                     "'charges': [{'id': 'e', 'type': 'energy', 'price': '1'}]"),
            BILL_ECONFLICT, "$.versions[0].options.basis.values[1]");
    tu_reject(W_TARIFF("'options': {'basis': {'values': [], 'default': 'a'}}, "
                     "'charges': [{'id': 'e', 'type': 'energy', 'price': '1'}]"),
            BILL_ERANGE, "$.versions[0].options.basis.values");
    tu_reject(W_TARIFF("'options': {'basis': {'values': ['a'], 'default': 'a', 'dflt': 1}}, "
                     "'charges': [{'id': 'e', 'type': 'energy', 'price': '1'}]"),
            BILL_ESYNTAX, "dflt");
    tu_reject(W_TARIFF("'options': {'basis': {'values': ['a b'], 'default': 'a b'}}, "
                     "'charges': [{'id': 'e', 'type': 'energy', 'price': '1'}]"),
            BILL_ESYNTAX, "$.versions[0].options.basis.values[0]");
    tu_reject(W_TARIFF("'options': {'basis': {'values': ['a'], 'default': 'a'}}, "
                     "'charges': [{'id': 'e', 'type': 'energy', 'price': '1', "
                     "'when': {'basics': 'a'}}]"),
            BILL_ERULE, "unknown option 'basics' (not in this version's \"options\") "
                        "(at $.versions[0].charges[0].when.basics)");
    tu_reject(W_TARIFF("'charges': [{'id': 'e', 'type': 'fixed', 'amount': '1', "
                     "'when': {'basis': 'a'}}]"),
            BILL_ERULE, "$.versions[0].charges[0].when.basis");
    tu_reject(W_TARIFF("'options': {'basis': {'values': ['a', 'b'], 'default': 'a'}}, "
                     "'charges': [{'id': 'e', 'type': 'per_kwh', 'price': '1', "
                     "'when': {'basis': 'c'}}]"),
            BILL_ERULE, "option 'basis' has no value 'c' (at $.versions[0].charges[0].when.basis)");
    tu_reject(W_TARIFF("'options': {'basis': {'values': ['a'], 'default': 'a'}}, "
                     "'charges': [{'id': 'e', 'type': 'energy', 'price': '1', 'when': {}}]"),
            BILL_ERANGE, "$.versions[0].charges[0].when");
    tu_reject(W_TARIFF("'options': [], 'charges': [{'id': 'e', 'type': 'energy', 'price': '1'}]"),
            BILL_ESYNTAX, "$.versions[0].options");
    /* every charge type takes "when" */
    bill_tariff *t = tu_load(TWO_PART);
    bill_tariff_free(t);
}

static void test_options_compute(void)
{
    bill_tariff *t = tu_load(TWO_PART);
    bill_usage *u = month_usage(6, "100000", NULL, "1000", "500", "540");
    /* default: capacity 1000 × 24 + 100000 × 0.6 + fund 1230, PF: no kvarh -> 0 line */
    CHECK_STR(bill_total_of(t, u), "85230.00");
    CHECK_OK(bill_usage_set_option(u, "basic_charge", "contracted_demand"));
    /* 540 > 1.05 × 500 = 525: 525 × 36 + 15 × 72 = 18900 + 1080 */
    CHECK_STR(bill_total_of(t, u), "81210.00");
    CHECK_OK(bill_usage_set_option(u, "basic_charge", "actual_demand"));
    CHECK_STR(bill_total_of(t, u), "80670.00");      /* 540 × 36 = 19440 */
    bill_bill *b;
    CHECK_OK(bill_bill_create(&b));
    CHECK_OK(bill_usage_set_option(u, "basic_charge", "demand"));
    CHECK_ERR(bill_tariff_compute(t, u, b), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "option 'basic_charge' has no value 'demand' (expected capacity, "
                                "contracted_demand, actual_demand)") != NULL);
    bill_usage_clear_options(u);
    CHECK_OK(bill_usage_set_option(u, "basis", "capacity"));
    CHECK_ERR(bill_tariff_compute(t, u, b), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "unknown option 'basis'") != NULL);
    CHECK_ERR(bill_usage_set_option(u, "bad name", "x"), BILL_ESYNTAX);
    CHECK_ERR(bill_usage_set_option(u, "x", ""), BILL_ESYNTAX);
    CHECK_ERR(bill_usage_set_option(NULL, "x", "y"), BILL_EINVAL);
    bill_usage_clear_options(u);
    for (int i = 0; i < 8; i++) {
        char n[16];
        snprintf(n, sizeof n, "o%d", i);
        CHECK_OK(bill_usage_set_option(u, n, "v"));
    }
    CHECK_ERR(bill_usage_set_option(u, "o8", "v"), BILL_ERANGE);
    CHECK_OK(bill_usage_set_option(u, "o3", "w")); /* replacing is fine when full */

    /* JSON usage: "options" */
    char *j = tu_sq("{'period': '2025-06-01/2025-07-01', 'kwh': '100000', 'capacity_kva': '1000', "
                 "'max_demand_kw': '540', 'options': {'basic_charge': 'actual_demand'}}");
    CHECK_OK(bill_usage_load(u, j, (size_t)-1, "u.json"));
    CHECK_STR(bill_total_of(t, u), "80670.00");
    free(j);
    j = tu_sq("{'period': '2025-06-01/2025-07-01', 'options': {'basic_charge': 'a b'}}");
    CHECK_ERR(bill_usage_load(u, j, (size_t)-1, "u.json"), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "$.options.basic_charge") != NULL);
    free(j);
    j = tu_sq("{'period': '2025-06-01/2025-07-01', 'options': {'basic_charge': 1}}");
    CHECK_ERR(bill_usage_load(u, j, (size_t)-1, "u.json"), BILL_ESYNTAX);
    free(j);
    bill_bill_free(b);
    bill_usage_free(u);
    bill_tariff_free(t);
}

/* ---- ranking ------------------------------------------------------------------------- */

#define FLAT_T(id, price)                                                                    \
    "{'format': 'libbill-tariff/1', 'id': '" id "', 'currency': 'CNY', "                     \
    "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}, "                         \
    "'price_basis': 'vat_inclusive', 'versions': [{'effective': '2020-01-01', "              \
    "'charges': [{'id': 'energy', 'type': 'energy', 'price': '" price "'}]}]}"

static void test_whatif_ranking(void)
{
    bill_tariff *a = tu_load(FLAT_T("a", "0.5")), *b = tu_load(FLAT_T("b", "0.4")),
                *c = tu_load(FLAT_T("c", "0.5"));
    bill_usage *u[2] = {month_usage(1, "100", NULL, NULL, NULL, NULL),
                        month_usage(2, "200.5", NULL, NULL, NULL, NULL)};
    bill_whatif *w;
    bill_dec d = BILL_DEC_INIT;
    CHECK_OK(bill_whatif_create(&w));
    CHECK_ERR(bill_whatif_run(w, (const bill_usage *const *)u, 2), BILL_ESTATE);
    CHECK_INT(bill_whatif_add_candidate(w, "a (current)", a), 0);
    CHECK_INT(bill_whatif_add_candidate(w, "b", b), 1);
    CHECK_INT(bill_whatif_add_candidate(w, "c, same as a", c), 2);
    CHECK_INT(bill_whatif_candidate_count(w), 3);
    CHECK_INT(bill_whatif_result_count(w), 0);
    CHECK_OK(bill_whatif_run(w, (const bill_usage *const *)u, 2));
    CHECK_INT(bill_whatif_result_count(w), 3);
    CHECK_INT(bill_whatif_usage_count(w), 2);
    /* a: 50.00 + 100.25 = 150.25; b: 40.00 + 80.20 = 120.20; c ties with a, after it */
    CHECK_STR(bill_whatif_label(w, 0), "b");
    CHECK_STR(bill_whatif_label(w, 1), "a (current)");
    CHECK_STR(bill_whatif_label(w, 2), "c, same as a");
    CHECK_INT(bill_whatif_candidate(w, 0), 1);
    CHECK_INT(bill_whatif_candidate(w, 2), 2);
    CHECK_OK(bill_whatif_total(&d, w, 0));
    CHECK_STR(tu_dstr(&d), "120.20");
    CHECK_OK(bill_whatif_saving(&d, w, 0));
    CHECK_STR(tu_dstr(&d), "30.05");
    CHECK_OK(bill_whatif_saving(&d, w, 1));
    CHECK_STR(tu_dstr(&d), "0.00");
    CHECK_OK(bill_whatif_total(&d, w, 2));
    CHECK_STR(tu_dstr(&d), "150.25");
    CHECK_OK(bill_whatif_bill_total(&d, w, 0, 1));
    CHECK_STR(tu_dstr(&d), "80.20");
    CHECK_INT(bill_whatif_status(w, 0), BILL_OK);
    CHECK_STR(bill_whatif_error(w, 0), "");
    CHECK_ERR(bill_whatif_total(&d, w, 3), BILL_EINVAL);
    CHECK_ERR(bill_whatif_bill_total(&d, w, 0, 2), BILL_EINVAL);
    CHECK(bill_whatif_label(w, 3) == NULL);
    /* ties the other way round: c added before a would come first */
    bill_whatif *w2;
    CHECK_OK(bill_whatif_create(&w2));
    CHECK_INT(bill_whatif_add_candidate(w2, "c", c), 0);
    CHECK_INT(bill_whatif_add_candidate(w2, "a", a), 1);
    CHECK_OK(bill_whatif_run(w2, (const bill_usage *const *)u, 2));
    CHECK_STR(bill_whatif_label(w2, 0), "c");
    CHECK_STR(bill_whatif_label(w2, 1), "a");
    bill_whatif_free(w2);
    /* adding a candidate discards the results */
    CHECK_INT(bill_whatif_add_candidate(w, "d", a), 3);
    CHECK_INT(bill_whatif_result_count(w), 0);
    /* bad arguments */
    CHECK_ERR(bill_whatif_add_candidate(w, "", a), BILL_EINVAL);
    CHECK_ERR(bill_whatif_add_candidate(w, "x", NULL), BILL_EINVAL);
    CHECK_ERR(bill_whatif_set_option(w, 9, "a", "b"), BILL_EINVAL);
    CHECK_ERR(bill_whatif_run(w, (const bill_usage *const *)u, 0), BILL_EINVAL);
    const bill_usage *none[1] = {NULL};
    CHECK_ERR(bill_whatif_run(w, none, 1), BILL_EINVAL);
    dset(&d, "-1");
    CHECK_ERR(bill_whatif_set_declared_kw(w, 0, &d), BILL_ERANGE);
    bill_tariff *usd;
    char *j = tu_sq("{'format': 'libbill-tariff/1', 'id': 'usd', 'currency': 'USD', "
                 "'rounding': {'mode': 'HALF_UP', 'apply': 'line'}, "
                 "'price_basis': 'vat_inclusive', 'versions': [{'effective': '2020-01-01', "
                 "'charges': [{'id': 'energy', 'type': 'energy', 'price': '0.1'}]}]}");
    CHECK_OK(bill_tariff_load(&usd, j, (size_t)-1, "usd.json"));
    free(j);
    CHECK_ERR(bill_whatif_add_candidate(w, "usd", usd), BILL_ECURRENCY);
    bill_tariff_free(usd);
    bill_whatif_free(NULL);
    bill_whatif_free(w);
    bill_dec_clear(&d);
    bill_usage_free(u[0]);
    bill_usage_free(u[1]);
    bill_tariff_free(a);
    bill_tariff_free(b);
    bill_tariff_free(c);
}

static void test_whatif_options_and_failures(void)
{
    bill_tariff *t = tu_load(TWO_PART);
    bill_usage *u[3] = {month_usage(4, "100000", "50000", "1000", "500", "540"),
                        month_usage(5, "110000", "50000", "1000", "500", "480"),
                        month_usage(6, "120000", "50000", "1000", "500", "500")};
    /* the bills, by hand (PF of 100000/50000 etc. at standard 0.90):
       PF(100000, 50000) = 0.89 -> +0.5 %; PF(110000, 50000) = 0.91 -> -0.15 %;
       PF(120000, 50000) = 0.92 -> -0.30 % */
    bill_whatif *w;
    bill_dec d = BILL_DEC_INIT;
    CHECK_OK(bill_whatif_create(&w));
    CHECK_INT(bill_whatif_add_candidate(w, "capacity", t), 0);  /* the default */
    CHECK_INT(bill_whatif_add_candidate(w, "contracted", t), 1);
    CHECK_OK(bill_whatif_set_option(w, 1, "basic_charge", "contracted_demand"));
    CHECK_INT(bill_whatif_add_candidate(w, "actual", t), 2);
    CHECK_OK(bill_whatif_set_option(w, 2, "basic_charge", "actual_demand"));
    CHECK_INT(bill_whatif_add_candidate(w, "typo", t), 3);
    CHECK_OK(bill_whatif_set_option(w, 3, "basic_charge", "actual"));
    CHECK_INT(bill_whatif_add_candidate(w, "declared 460", t), 4);
    CHECK_OK(bill_whatif_set_option(w, 4, "basic_charge", "contracted_demand"));
    dset(&d, "460");
    CHECK_OK(bill_whatif_set_declared_kw(w, 4, &d));
    CHECK_ERR(bill_whatif_set_option(w, 4, "bad name", "x"), BILL_ESYNTAX);
    CHECK_OK(bill_whatif_run(w, (const bill_usage *const *)u, 3));
    /*
     * capacity: basic 24000 each month.
     *   Apr: 24000 + 60000 = 84000, PF +420.00, fund 1230 -> 85650.00
     *   May: 24000 + 66000 = 90000, PF -135.00, fund 1353 -> 91218.00
     *   Jun: 24000 + 72000 = 96000, PF -288.00, fund 1476 -> 97188.00   sum 274056.00
     * contracted 500 (limit 525): Apr 540: 18900 + 1080 = 19980; May 18000; Jun 18000
     *   Apr: 79980 -> PF +399.90 -> 81609.90; May: 84000 -> -126.00 -> 85227.00;
     *   Jun: 90000 -> -270.00 -> 91206.00                                 sum 258042.90
     * actual: Apr 19440, May 17280, Jun 18000
     *   Apr: 79440 -> +397.20 -> 81067.20; May: 83280 -> -124.92 -> 84508.08;
     *   Jun: 91206.00                                                     sum 256781.28
     * declared 460 (limit 483): Apr 483 × 36 + 57 × 72 = 17388 + 4104 = 21492;
     *   May 480 <= 483: 16560; Jun 500 > 483: 17388 + 17 × 72 = 18612
     *   Apr: 81492 -> +407.46 -> 83129.46; May: 82560 -> -123.84 -> 83789.16;
     *   Jun: 90612 -> -271.84 -> 91816.16                                 sum 258734.78
     */
    const char *order[5] = {"actual", "contracted", "declared 460", "capacity", "typo"};
    const char *totals[4] = {"256781.28", "258042.90", "258734.78", "274056.00"};
    const char *savings[4] = {"17274.72", "16013.10", "15321.22", "0.00"};
    for (size_t r = 0; r < 5; r++) {
        CHECK_STR(bill_whatif_label(w, r), order[r]);
        if (r == 4)
            break;
        CHECK_OK(bill_whatif_total(&d, w, r));
        CHECK_STR(tu_dstr(&d), totals[r]);
        CHECK_OK(bill_whatif_saving(&d, w, r));
        CHECK_STR(tu_dstr(&d), savings[r]);
    }
    CHECK_OK(bill_whatif_bill_total(&d, w, 2, 0));
    CHECK_STR(tu_dstr(&d), "83129.46");
    /* the failed candidate: last, with its error */
    CHECK_INT(bill_whatif_status(w, 4), BILL_ERULE);
    CHECK(strstr(bill_whatif_error(w, 4), "candidate 'typo', usage 0: bill: option "
                                          "'basic_charge' has no value 'actual'") != NULL);
    CHECK_ERR(bill_whatif_total(&d, w, 4), BILL_ESTATE);
    CHECK_ERR(bill_whatif_saving(&d, w, 4), BILL_ESTATE);
    CHECK_ERR(bill_whatif_bill_total(&d, w, 4, 0), BILL_ESTATE);
    /* the usages were not changed */
    CHECK_STR(bill_total_of(t, u[0]), "85650.00");

    /* a failing current candidate: no savings, but totals */
    bill_whatif *w2;
    CHECK_OK(bill_whatif_create(&w2));
    CHECK_INT(bill_whatif_add_candidate(w2, "broken", t), 0);
    CHECK_OK(bill_whatif_set_option(w2, 0, "tariff_kind", "x"));
    CHECK_INT(bill_whatif_add_candidate(w2, "capacity", t), 1);
    CHECK_OK(bill_whatif_run(w2, (const bill_usage *const *)u, 3));
    CHECK_STR(bill_whatif_label(w2, 0), "capacity");
    CHECK_OK(bill_whatif_total(&d, w2, 0));
    CHECK_STR(tu_dstr(&d), "274056.00");
    CHECK_ERR(bill_whatif_saving(&d, w2, 0), BILL_ESTATE);
    CHECK(strstr(bill_errmsg(), "unknown option 'tariff_kind'") != NULL);
    CHECK_INT(bill_whatif_candidate(w2, 1), 0);
    bill_whatif_free(w2);

    bill_dec_clear(&d);
    bill_whatif_free(w);
    for (int i = 0; i < 3; i++)
        bill_usage_free(u[i]);
    bill_tariff_free(t);
}

/* The flat tariff prices the total of the TOU registers; the TOU one each period. */
static void test_whatif_tou_vs_flat(void)
{
    bill_tariff *flat = tu_load(FLAT_T("flat", "0.5283"));
    bill_tariff *tou = tu_load(
        "{'format': 'libbill-tariff/1', 'id': 'tou', 'currency': 'CNY', "
        "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}, "
        "'price_basis': 'vat_inclusive', 'versions': [{'effective': '2020-01-01', "
        "'charges': [{'id': 'energy', 'type': 'energy', "
        "'tou': {'prices': {'peak': '0.5583', 'valley': '0.3583'}}}]}]}");
    bill_usage *u[2] = {month_usage(1, "0", NULL, NULL, NULL, NULL),
                        month_usage(2, "0", NULL, NULL, NULL, NULL)};
    bill_dec d = BILL_DEC_INIT;
    for (int i = 0; i < 2; i++) {
        bill_usage_free(u[i]);
        u[i] = month_usage(i + 1, "300", NULL, NULL, NULL, NULL);
        dset(&d, i ? "150" : "250");
        CHECK_OK(bill_usage_set_tou_kwh(u[i], "peak", &d));
        dset(&d, i ? "150" : "50");
        CHECK_OK(bill_usage_set_tou_kwh(u[i], "valley", &d));
    }
    bill_whatif *w;
    CHECK_OK(bill_whatif_create(&w));
    CHECK_INT(bill_whatif_add_candidate(w, "flat", flat), 0);
    CHECK_INT(bill_whatif_add_candidate(w, "tou", tou), 1);
    CHECK_OK(bill_whatif_run(w, (const bill_usage *const *)u, 2));
    /* flat: 300 × 0.5283 = 158.49 twice = 316.98;
       tou: 250 × 0.5583 + 50 × 0.3583 = 139.58 + 17.92 = 157.50;
       150 × 0.5583 + 150 × 0.3583 = 83.75 + 53.75 = 137.50 (each line rounded); sum 295.00 */
    CHECK_STR(bill_whatif_label(w, 0), "tou");
    CHECK_OK(bill_whatif_total(&d, w, 0));
    CHECK_STR(tu_dstr(&d), "295.00");
    CHECK_OK(bill_whatif_total(&d, w, 1));
    CHECK_STR(tu_dstr(&d), "316.98");
    CHECK_OK(bill_whatif_saving(&d, w, 0));
    CHECK_STR(tu_dstr(&d), "21.98");
    /* without TOU kWh the TOU tariff fails and is ranked last */
    bill_usage_clear_tou(u[1]);
    CHECK_OK(bill_whatif_run(w, (const bill_usage *const *)u, 2));
    CHECK_STR(bill_whatif_label(w, 1), "tou");
    CHECK_INT(bill_whatif_status(w, 1), BILL_ERULE);
    CHECK(strstr(bill_whatif_error(w, 1), "usage 1") != NULL);
    bill_whatif_free(w);
    bill_dec_clear(&d);
    bill_usage_free(u[0]);
    bill_usage_free(u[1]);
    bill_tariff_free(flat);
    bill_tariff_free(tou);
}

/* ---- best declared demand ------------------------------------------------------------------ */

/* Sum of the bills of u[0..n) with every declared_kw set to kw (the usages are changed). */
static void brute_sum(bill_dec *sum, const bill_tariff *t, bill_usage **u, size_t n,
                      const bill_dec *kw, bill_bill *b)
{
    bill_dec tot = BILL_DEC_INIT;
    bill_dec_set_i64(sum, 0, 0);
    for (size_t i = 0; i < n; i++) {
        if (bill_usage_set_declared_kw(u[i], kw) != BILL_OK ||
            bill_tariff_compute(t, u[i], b) != BILL_OK || bill_bill_total(&tot, b) != BILL_OK) {
            TEST_FAIL_("brute force bill failed: %s", bill_errmsg());
            break;
        }
        bill_dec_add(sum, sum, &tot);
    }
    bill_dec_clear(&tot);
}

/* bill_whatif_best_declared_kw against every grid point from `from` to `to`. */
static void check_best_opt(const bill_tariff *t, bill_usage **u, size_t n, const char *step_text,
                           const char *from, const char *to, const char *want_kw, int option)
{
    bill_whatif *w;
    bill_bill *b;
    bill_dec step = BILL_DEC_INIT, kw = BILL_DEC_INIT, best = BILL_DEC_INIT, c = BILL_DEC_INIT,
             end = BILL_DEC_INIT, f = BILL_DEC_INIT, bf = BILL_DEC_INIT, bc = BILL_DEC_INIT;
    dset(&step, step_text);
    CHECK_OK(bill_whatif_create(&w));
    CHECK_OK(bill_bill_create(&b));
    CHECK_INT(bill_whatif_add_candidate(w, "contracted", t), 0);
    if (option)
        CHECK_OK(bill_whatif_set_option(w, 0, "basic_charge", "contracted_demand"));
    CHECK_OK(bill_whatif_best_declared_kw(w, 0, (const bill_usage *const *)u, n, &step));
    CHECK_OK(bill_whatif_best_kw(&kw, w));
    CHECK_OK(bill_whatif_best_total(&best, w));
    if (want_kw)
        CHECK_STR(tu_dstr(&kw), want_kw);
    for (size_t i = 0; option && i < n; i++)
        CHECK_OK(bill_usage_set_option(u[i], "basic_charge", "contracted_demand"));
    dset(&c, from);
    dset(&end, to);
    int first = 1;
    for (; bill_dec_cmp(&c, &end) <= 0; bill_dec_add(&c, &c, &step)) {
        brute_sum(&f, t, u, n, &c, b);
        if (first || bill_dec_cmp(&f, &bf) < 0) {
            bill_dec_copy(&bf, &f);
            bill_dec_copy(&bc, &c);
            first = 0;
        }
    }
    if (bill_dec_cmp(&bf, &best) != 0 || bill_dec_cmp(&bc, &kw) != 0)
        TEST_FAIL_("best declared %s kW at %s, brute force %s kW at %s", tu_dstr(&kw), tu_dstr(&best),
                   tu_dstr(&bc), tu_dstr(&bf));
    else
        test_passed++;
    for (size_t i = 0; i < n; i++)
        bill_usage_clear_options(u[i]);
    bill_whatif_free(w);
    bill_bill_free(b);
    bill_dec_clear(&step);
    bill_dec_clear(&kw);
    bill_dec_clear(&best);
    bill_dec_clear(&c);
    bill_dec_clear(&end);
    bill_dec_clear(&f);
    bill_dec_clear(&bf);
    bill_dec_clear(&bc);
}

#define check_best(t, u, n, step, from, to, want) check_best_opt(t, u, n, step, from, to, want, 1)

static void test_whatif_best_declared(void)
{
    bill_tariff *t = tu_load(TWO_PART);
    static const char *const demand[12] = {"1650.37", "1720.1", "1890", "1950.44", "2080.9",
                                           "2150.25", "2260.8", "2240", "2010.66", "1880.5",
                                           "1760.02", "1700.77"};
    static const char *const kwh[12] = {"1080000", "1030000", "1130000", "1160000", "1190000",
                                        "1220000", "1220000", "1237000", "1180000", "1150000",
                                        "1100000", "1085000"};
    static const char *const kvarh[12] = {"560000", "540000", "600000", "620000", "650000",
                                          "700000", "690000", "700000", "640000", "600000",
                                          "560000", "550000"};
    bill_usage *u[12];
    for (int i = 0; i < 12; i++)
        u[i] = month_usage(i + 1, kwh[i], kvarh[i], "3150", "2000", demand[i]);
    /* the grid from the floor (1260) well past the largest demand */
    check_best(t, u, 12, "1", "1260", "2600", NULL);
    check_best(t, u, 5, "5", "1260", "2600", NULL);
    check_best(t, u + 6, 3, "0.5", "1260", "2500", NULL);

    /* the current total and the result as a candidate agree with plain bills */
    bill_whatif *w;
    bill_dec step = BILL_DEC_INIT, d = BILL_DEC_INIT, kw = BILL_DEC_INIT, best = BILL_DEC_INIT;
    dset(&step, "1");
    CHECK_OK(bill_whatif_create(&w));
    CHECK_INT(bill_whatif_add_candidate(w, "contracted", t), 0);
    CHECK_ERR(bill_whatif_best_kw(&d, w), BILL_ESTATE);
    CHECK_ERR(bill_whatif_best_declared_kw(w, 0, (const bill_usage *const *)u, 12, &step),
              BILL_ERULE); /* default option: capacity, no contracted charge */
    CHECK(strstr(bill_errmsg(), "no demand charge on the contracted basis") != NULL);
    CHECK_OK(bill_whatif_set_option(w, 0, "basic_charge", "contracted_demand"));
    CHECK_OK(bill_whatif_best_declared_kw(w, 0, (const bill_usage *const *)u, 12, &step));
    CHECK_OK(bill_whatif_best_kw(&kw, w));
    CHECK_OK(bill_whatif_best_total(&best, w));
    CHECK_OK(bill_whatif_current_total(&d, w));
    CHECK(bill_dec_cmp(&best, &d) <= 0);
    CHECK_INT(bill_whatif_add_candidate(w, "best", t), 1);
    CHECK_OK(bill_whatif_set_option(w, 1, "basic_charge", "contracted_demand"));
    CHECK_OK(bill_whatif_set_declared_kw(w, 1, &kw));
    CHECK_OK(bill_whatif_run(w, (const bill_usage *const *)u, 12));
    CHECK_STR(bill_whatif_label(w, 0), "best");
    CHECK_OK(bill_whatif_total(&d, w, 0));
    CHECK(bill_dec_cmp(&d, &best) == 0);
    CHECK_OK(bill_whatif_total(&d, w, 1));
    bill_dec cur = BILL_DEC_INIT;
    CHECK_OK(bill_whatif_current_total(&cur, w));
    CHECK(bill_dec_cmp(&d, &cur) == 0);
    bill_dec_clear(&cur);

    /* errors */
    dset(&d, "0");
    CHECK_ERR(bill_whatif_best_declared_kw(w, 0, (const bill_usage *const *)u, 12, &d), BILL_ERANGE);
    CHECK_ERR(bill_whatif_best_declared_kw(w, 5, (const bill_usage *const *)u, 12, &step),
              BILL_EINVAL);
    bill_usage *nod = month_usage(3, "1000", NULL, "3150", "2000", NULL);
    CHECK_ERR(bill_whatif_best_declared_kw(w, 0, (const bill_usage *const *)&nod, 1, &step),
              BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "usage 0 has no max_demand_kw") != NULL);
    bill_usage_free(nod);
    /* no declared demand in the usage: no current total */
    bill_usage *undeclared = month_usage(3, "1000", NULL, "3150", NULL, "2000");
    CHECK_OK(bill_whatif_best_declared_kw(w, 0, (const bill_usage *const *)&undeclared, 1, &step));
    CHECK_ERR(bill_whatif_current_total(&d, w), BILL_ENOTFOUND);
    CHECK_OK(bill_whatif_best_kw(&d, w));
    CHECK_STR(tu_dstr(&d), "1905"); /* 2000 / 1.05 = 1904.76 */
    bill_usage_free(undeclared);
    bill_whatif_free(w);

    /* a minimum charge: refused */
    bill_tariff *tm = tu_load(W_TARIFF("'charges': [{'id': 'con', 'type': 'demand', "
                                     "'basis': 'contracted', 'price': '36'}, "
                                     "{'id': 'min', 'type': 'minimum', 'amount': '100'}]"));
    CHECK_OK(bill_whatif_create(&w));
    CHECK_INT(bill_whatif_add_candidate(w, "m", tm), 0);
    CHECK_ERR(bill_whatif_best_declared_kw(w, 0, (const bill_usage *const *)u, 12, &step),
              BILL_EUNSUPPORTED);
    bill_whatif_free(w);
    bill_tariff_free(tm);

    for (int i = 0; i < 12; i++)
        bill_usage_free(u[i]);
    bill_dec_clear(&step);
    bill_dec_clear(&d);
    bill_dec_clear(&kw);
    bill_dec_clear(&best);
    bill_tariff_free(t);
}

/* When 40 % of the capacity is above every month's demand / 1.05, the floor is the answer. */
static void test_whatif_floor_binds(void)
{
    bill_tariff *t = tu_load(TWO_PART);
    bill_usage *u[3] = {month_usage(1, "500000", "200000", "5000", "2100", "1800"),
                        month_usage(2, "500000", "200000", "5000", "2100", "1900.5"),
                        month_usage(3, "500000", "200000", "5001", "2100", "1700")};
    /* floor: 0.40 × 5001 = 2000.4 -> 2001 on a 1 kW grid */
    check_best(t, u, 3, "1", "2001", "2300", "2001");
    /* without capacity the lowest value is one step; the best is D / 1.05 on the grid */
    bill_usage *v[1] = {month_usage(1, "500000", NULL, NULL, "100", "1050")};
    check_best(t, v, 1, "1", "1", "1200", "1000");
    check_best(t, v, 1, "7", "7", "1200", "1001"); /* 143 × 7 */
    bill_usage_free(v[0]);
    for (int i = 0; i < 3; i++)
        bill_usage_free(u[i]);
    bill_tariff_free(t);
}

/*
 * Two months whose exact slopes cancel: month 1 (PF 0.90, no adjustment) pays the excess
 * between the breakpoints, month 2 (PF 0.80, +5 %) does not; -1.05 × p × 1.00 + p × 1.05 = 0,
 * so between them the sum is flat but for rounding (195766.90 to .92). On a 1 kW grid the jump
 * at 953 kW is cheaper still; on a 50 kW grid 1000 kW overshoots 1000.37 / 1.05 and the flat
 * level is the optimum: the error bound then cannot exclude any interior point of [500, 950],
 * all are evaluated (the path that guards against rounding), and the result must still be the
 * brute-force optimum.
 */
static void test_whatif_flat_interval_is_scanned(void)
{
    bill_tariff *t = tu_load(W_TARIFF("'charges': ["
        "{'id': 'con', 'type': 'demand', 'basis': 'contracted', 'price': '36.37'}, "
        "{'id': 'energy', 'type': 'energy', 'price': '0.6'}, "
        "{'id': 'pf', 'type': 'power_factor', 'base': ['con', 'energy'], 'standard': '0.90'}]"));
    bill_usage *u[2] = {month_usage(1, "100000", "48430", "1000", "700", "1000.37"),
                        month_usage(2, "100000", "75000", "1000", "700", "500")};
    /* at 700 kW: 735 × 36.37 = 26731.95, 265.37 × 72.74 = 19303.01, energy 60000, PF 0.90: 0 */
    CHECK_STR(bill_total_of(t, u[0]), "106034.96");
    check_best_opt(t, u, 2, "1", "400", "1200", NULL, 0);
    check_best_opt(t, u, 2, "0.1", "400", "1200", NULL, 0);
    /* steps of 50 kW: 1000 kW overshoots 1000.37 / 1.05, so the flat level is the best */
    check_best_opt(t, u, 2, "50", "400", "1200", "500", 0);
    bill_usage_free(u[0]);
    bill_usage_free(u[1]);
    bill_tariff_free(t);
}

void suite_whatif(void)
{
    RUN(test_options_load_errors);
    RUN(test_options_compute);
    RUN(test_whatif_ranking);
    RUN(test_whatif_options_and_failures);
    RUN(test_whatif_tou_vs_flat);
    RUN(test_whatif_best_declared);
    RUN(test_whatif_floor_binds);
    RUN(test_whatif_flat_interval_is_scanned);
}
