/*
 * Tests for the tariff engine: loading and rejecting tariffs, usage input,
 * every charge type, hand-computed bills, splits, rendering.
 *
 * JSON in this file is written with single quotes for readability; tu_sq()
 * turns them into double quotes before the text is loaded.
 */
#include "test.h"
#include "tariff_util.h"
#include "bill/tariff.h"

static bill_usage *U;
static bill_bill *B;

/* ---- helpers ------------------------------------------------------------------- */

#define HEAD(rounding, vat)                                                                  \
    "{'format': 'libbill-tariff/1', 'id': 't', 'name': 'test', 'currency': 'CNY', "          \
    "'rounding': " rounding ", " vat ", 'versions': ["
#define LINE_R "{'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}"
#define TOTAL_R "{'mode': 'HALF_UP', 'scale': 2, 'apply': 'total'}"
#define NOVAT "'price_basis': 'vat_inclusive'"
#define VERSION(eff, charges) "{'effective': '" eff "', 'charges': [" charges "]}"
#define TARIFF(versions) HEAD(LINE_R, NOVAT) versions "]}"
#define ONE(charges) TARIFF(VERSION("2020-01-01", charges))

#define FLAT(price) "{'id': 'energy', 'type': 'energy', 'price': '" price "'}"
#define ANNUAL_TIERS                                                                          \
    "{'id': 'energy', 'type': 'energy', 'price': '0.5283', 'tiers': {'basis': 'annual', "    \
    "'boundary': 'lower', 'proration': 'months', 'thresholds': ['3120', '4800'], "           \
    "'increments': ['0', '0.05', '0.30']}}"
#define SEASONAL(boundary, extra)                                                             \
    "{'id': 'energy', 'type': 'energy', 'price': '0.56', 'tiers': {'basis': 'monthly', "     \
    "'boundary': '" boundary "', 'proration': 'days', 'seasons': ["                          \
    "{'months': [5,6,7,8,9,10], 'thresholds': ['260', '600']}, "                             \
    "{'months': [1,2,3,4,11,12], 'thresholds': [200, 400]}], "                               \
    "'increments': ['0', '0.05', '0.30']" extra "}}"

/* Load the usage and compute; checks both succeed. bill() uses the local `t`. */
static void bill_with(const bill_tariff *t, const char *usage_text)
{
    CHECK_OK(tu_usage(U, usage_text));
    CHECK_OK(bill_tariff_compute(t, U, B));
}

#define bill(usage_text) bill_with(t, usage_text)

/* Line i is band / quantity / unit price / amount. */
#define CHECK_LINE(i, band_, qty, price, amt)                                                 \
    do {                                                                                      \
        bill_line_view v_;                                                                    \
        CHECK_OK(bill_bill_line(&v_, B, (i)));                                                \
        CHECK_STR(v_.band, band_);                                                            \
        CHECK_STR(tu_dstr(v_.quantity), qty);                                                    \
        CHECK_STR(tu_dstr(v_.unit_price), price);                                                \
        CHECK_STR(tu_dstr(v_.amount), amt);                                                      \
    } while (0)

#define CHECK_TOTAL(want)                                                                     \
    do {                                                                                      \
        bill_dec t_ = BILL_DEC_INIT;                                                          \
        CHECK_OK(bill_bill_total(&t_, B));                                                    \
        CHECK_STR(tu_dstr(&t_), want);                                                           \
        bill_dec_clear(&t_);                                                                  \
        check_sum();                                                                          \
    } while (0)

#define CHECK_EXPLAIN(i, want)                                                                \
    do {                                                                                      \
        char *e_ = bill_bill_line_explain(B, (i));                                            \
        CHECK_STR(e_, want);                                                                  \
        bill_free(e_);                                                                        \
    } while (0)

/* The lines add up exactly to the total. */
static void check_sum(void)
{
    bill_dec sum = BILL_DEC_INIT, total = BILL_DEC_INIT;
    bill_line_view v;
    for (size_t i = 0; i < bill_bill_line_count(B); i++) {
        bill_bill_line(&v, B, i);
        bill_dec_add(&sum, &sum, v.amount);
    }
    CHECK_OK(bill_bill_total(&total, B));
    if (bill_dec_cmp(&sum, &total) != 0)
        TEST_FAIL_("lines add up to %s, total is %s", tu_dstr(&sum), tu_dstr(&total));
    else
        test_passed++;
    bill_dec_clear(&sum);
    bill_dec_clear(&total);
}

/* ---- loading ---------------------------------------------------------------------- */

static void test_tariff_load_basic(void)
{
    bill_tariff *t = tu_load(TARIFF(VERSION("2020-01-01", FLAT("0.5283")) ", "
                                   VERSION("2025-06-16", FLAT("0.60"))));
    CHECK_STR(bill_tariff_id(t), "t");
    CHECK_STR(bill_tariff_name(t), "test");
    CHECK_STR(bill_tariff_currency(t), "CNY");
    CHECK_INT(bill_tariff_version_count(t), 2);
    bill_date d, want;
    CHECK_OK(bill_tariff_version_effective(&d, t, 1));
    bill_date_parse(&want, "2025-06-16", (size_t)-1);
    CHECK_INT(d.day, want.day);
    CHECK_ERR(bill_tariff_version_effective(&d, t, 2), BILL_EINVAL);
    bill_tariff_free(t);
    bill_tariff_free(NULL);
    CHECK_ERR(bill_tariff_load(NULL, "{}", 2, NULL), BILL_EINVAL);
}

static void test_tariff_rejections(void)
{
    tu_reject("{'format': 'libbill-tariff/2'}", BILL_EVERSION, "$.format");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '0.5', 'pricee': 1}"), BILL_ESYNTAX,
           "unknown field 'pricee'");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '0.5', 'pricee': 1}"), BILL_ESYNTAX,
           "$.versions[0].charges[0]");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': true}"), BILL_ESYNTAX,
           "$.versions[0].charges[0].price");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '0.5x'}"), BILL_ESYNTAX,
           "$.versions[0].charges[0].price");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '-0.5'}"), BILL_ERANGE,
           "$.versions[0].charges[0].price");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '0.1234567890123'}"), BILL_ERANGE,
           "$.versions[0].charges[0].price");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': 1e15}"), BILL_ERANGE,
           "at most 15 digits before the point");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tiers': {'basis': 'annual', "
               "'boundary': 'lower', 'thresholds': ['-1', '4800'], 'increments': [0, 0, 0]}}"),
           BILL_ERANGE, "$.versions[0].charges[0].tiers.thresholds[0]");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tiers': {'basis': 'annual', "
               "'boundary': 'lower', 'thresholds': ['4800', '3120'], 'increments': [0, 0, 0]}}"),
           BILL_ERULE, "$.versions[0].charges[0].tiers.thresholds[1]");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tiers': {'basis': 'annual', "
               "'boundary': 'lower', 'thresholds': ['3120', '3120'], 'increments': [0, 0, 0]}}"),
           BILL_ERULE, "thresholds must increase");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tiers': {'basis': 'annual', "
               "'boundary': 'lower', 'thresholds': ['3120'], 'increments': [0, 0, 0]}}"),
           BILL_ERULE, "$.versions[0].charges[0].tiers.increments");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tiers': {'basis': 'annual', "
               "'thresholds': ['3120'], 'increments': [0, 0]}}"),
           BILL_ESYNTAX, "missing field 'boundary'");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tiers': {'basis': 'annual', "
               "'boundary': 'middle', 'thresholds': ['3120'], 'increments': [0, 0]}}"),
           BILL_ESYNTAX, "$.versions[0].charges[0].tiers.boundary");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tiers': {'basis': 'monthly', "
               "'boundary': 'lower', 'seasons': [{'months': [1,2,3,4,5,6,7,8,9,10,11], "
               "'thresholds': [200]}], 'increments': [0, 0]}}"),
           BILL_ERULE, "month 12 is in no season");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tiers': {'basis': 'monthly', "
               "'boundary': 'lower', 'seasons': [{'months': [1,2,3,4,5,6,7,8,9,10,11,12], "
               "'thresholds': [200]}, {'months': [6], 'thresholds': [300]}], "
               "'increments': [0, 0]}}"),
           BILL_ERULE, "$.versions[0].charges[0].tiers.seasons[1].months[0]");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tiers': {'basis': 'monthly', "
               "'boundary': 'lower', 'seasons': [{'months': [13], 'thresholds': [200]}], "
               "'increments': [0, 0]}}"),
           BILL_ERANGE, "$.versions[0].charges[0].tiers.seasons[0].months[0]");
    tu_reject(HEAD("{'mode': 'HALF_SIDEWAYS', 'scale': 2, 'apply': 'line'}", NOVAT)
           VERSION("2020-01-01", FLAT("1")) "]}", BILL_ESYNTAX, "$.rounding.mode");
    tu_reject(HEAD("{'mode': 'UNNECESSARY', 'scale': 2, 'apply': 'line'}", NOVAT)
           VERSION("2020-01-01", FLAT("1")) "]}", BILL_ESYNTAX, "$.rounding.mode");
    tu_reject(HEAD("{'mode': 'HALF_UP', 'scale': 2, 'apply': 'sometimes'}", NOVAT)
           VERSION("2020-01-01", FLAT("1")) "]}", BILL_ESYNTAX, "$.rounding.apply");
    tu_reject(HEAD(LINE_R, "'price_basis': 'vat_exclusive'") VERSION("2020-01-01", FLAT("1")) "]}",
           BILL_ESYNTAX, "vat_rate");
    tu_reject(TARIFF(VERSION("2025-01-01", FLAT("1")) ", " VERSION("2024-01-01", FLAT("1"))),
           BILL_ERULE, "$.versions[1].effective");
    tu_reject(TARIFF(VERSION("2025-01-01", FLAT("1")) ", " VERSION("2025-01-01", FLAT("1"))),
           BILL_ERULE, "increasing order");
    tu_reject(TARIFF(VERSION("2025-02-30", FLAT("1"))), BILL_EDATE, "$.versions[0].effective");
    tu_reject(TARIFF(""), BILL_ERULE, "$.versions");
    tu_reject(ONE(""), BILL_ERULE, "$.versions[0].charges");
    tu_reject(ONE("{'id': 'x', 'type': 'discount', 'amount': '1'}"), BILL_ESYNTAX,
           "$.versions[0].charges[0].type");
    tu_reject(ONE("{'id': 'x', 'type': 'tax', 'amount': '1'}"), BILL_EUNSUPPORTED,
           "$.versions[0].charges[0].type");
    tu_reject(ONE(FLAT("1") ", " FLAT("2")), BILL_ECONFLICT, "$.versions[0].charges[1].id");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'components': [{'name': 'a', 'price': '1'}], "
               "'tou': {'ratios': {'peak': '1.69'}}}"),
           BILL_ERULE, "$.versions[0].charges[0].tou.ratios");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'tou': {'prices': {'peak hours': '1'}}}"),
           BILL_ESYNTAX, "$.versions[0].charges[0].tou.prices[\"peak hours\"]");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'tou': {'prices': {'peak': '1'}}}"),
           BILL_ERULE, "$.versions[0].charges[0].tou.prices");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'price': '1', 'components': []}"), BILL_ESYNTAX,
           "$.versions[0].charges[0]");
    tu_reject(ONE("{'id': 'e', 'type': 'energy', 'components': [{'name': 'a', 'price': '1'}, "
               "{'name': 'a', 'price': '2'}]}"),
           BILL_ECONFLICT, "$.versions[0].charges[0].components[1].name");
    tu_reject(ONE("{'id': 'f', 'type': 'fixed', 'amount': '5', 'per': 'week'}"), BILL_ESYNTAX,
           "$.versions[0].charges[0].per");
    tu_reject(ONE("{'id': 'f', 'type': 'per_kwh', 'price': '0.01', 'exempt_classes': [3]}"),
           BILL_ESYNTAX, "$.versions[0].charges[0].exempt_classes[0]");
    tu_reject("{'format': 'libbill-tariff/1', 'id': 't', 'currency': 'XXQ', 'rounding': "
           LINE_R ", " NOVAT ", 'versions': []}", BILL_ECURRENCY, "$.currency");
    tu_reject("{'format': 'libbill-tariff/1', 'id': 't', 'currency': 'CNY', 'rounding': "
           LINE_R ", " NOVAT ", 'versions': [], }", BILL_ESYNTAX, "t.json:1:");
}

static void test_tariff_examples_load(void)
{
    static const char *const files[] = {
        "examples/tariffs/cn-residential-annual.json",
        "examples/tariffs/cn-residential-annual-tou.json",
        "examples/tariffs/cn-residential-monthly-seasonal.json",
        "examples/tariffs/cn-commercial-tou.json",
        "examples/tariffs/cn-large-industry.json",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        /* BILL_TEST_DATA is <root>/tests/data */
        char path[1024];
        size_t rl = strlen(BILL_TEST_DATA) - strlen("/tests/data");
        snprintf(path, sizeof path, "%.*s/%s", (int)rl, BILL_TEST_DATA, files[i]);
        FILE *f = fopen(path, "rb");
        if (!f) {
            TEST_FAIL_("cannot open %s", path);
            continue;
        }
        static char buf[65536];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        bill_tariff *t = NULL;
        CHECK_OK(bill_tariff_load(&t, buf, n, files[i]));
        bill_tariff_free(t);
    }
}

/* ---- usage ------------------------------------------------------------------------- */

static void test_usage_load(void)
{
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'class': 'residential', "
                   "'household_size': 3, 'kwh': '420', 'tou_kwh': {'peak': '300', "
                   "'valley': 120}, 'ytd_kwh': '2761', 'exported_kwh': 0}"));
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'kwhs': 1}"), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "unknown field 'kwhs'") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'kwh': '-1'}"), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "$.kwh") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2025-07-01/2025-06-01'}"), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "$.period") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2013-06-08/4050-06-16'}"), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "at most 1100 days, not 744007 (at $.period)") != NULL);
    CHECK_OK(tu_usage(U, "{'period': '2024-01-01/2027-01-05'}")); /* 1100 days */
    CHECK_ERR(tu_usage(U, "{'period': '2024-01-01/2027-01-06'}"), BILL_ERANGE);
    CHECK_ERR(tu_usage(U, "{'kwh': 1}"), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "missing field 'period'") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'household_size': 0}"), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "$.household_size") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'tou_kwh': {'pe ak': 1}}"), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "$.tou_kwh") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'tou_kwh': {'peak': 1.5.5}}"),
              BILL_ESYNTAX);
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'ytd_kwh': '1e-13'}"), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "u.json:1:48: year-to-date kWh may have at most 12 digits") != NULL);
    CHECK(strstr(bill_errmsg(), "$.ytd_kwh") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'tou_kwh': {'peak': 1e16}}"), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "$.tou_kwh.peak") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'class': 'a b'}"), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "$.class") != NULL);

    /* setters */
    bill_dec d = BILL_DEC_INIT;
    bill_dec_set_i64(&d, -1, 0);
    CHECK_ERR(bill_usage_set_kwh(U, &d), BILL_ERANGE);
    CHECK_ERR(bill_usage_set_household_size(U, 0), BILL_ERANGE);
    CHECK_ERR(bill_usage_set_class(U, ""), BILL_ESYNTAX);
    CHECK_ERR(bill_usage_set_tou_kwh(U, "peak", NULL), BILL_EINVAL);
    bill_period p = {{0}, {0}};
    CHECK_ERR(bill_usage_set_period(U, p), BILL_EDATE);
    bill_dec_clear(&d);
}

static void test_usage_setters_compute(void)
{
    bill_tariff *t = tu_load(ONE(FLAT("0.5")));
    bill_usage_reset(U);
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ESTATE);
    CHECK_INT(bill_bill_line_count(B), 0);
    bill_period p;
    CHECK_OK(bill_period_parse(&p, "2025-06-01/2025-07-01", (size_t)-1));
    CHECK_OK(bill_usage_set_period(U, p));
    bill_dec k = BILL_DEC_INIT;
    bill_dec_parse(&k, "101", (size_t)-1);
    CHECK_OK(bill_usage_set_kwh(U, &k));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "", "101", "0.5", "50.50");
    CHECK_TOTAL("50.50");
    CHECK_ERR(bill_tariff_compute(NULL, U, B), BILL_EINVAL);
    bill_dec_clear(&k);
    bill_tariff_free(t);
}

/* ---- charges ------------------------------------------------------------------------ */

static void test_flat_energy(void)
{
    bill_tariff *t = tu_load(ONE(FLAT("0.5283")));
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '420'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "", "420", "0.5283", "221.89"); /* 221.886 half-up */
    CHECK_TOTAL("221.89");
    CHECK_EXPLAIN(0, "420 kWh at 0.5283");
    bill_tariff_free(t);
}

static void test_annual_tiers_ytd(void)
{
    bill_tariff *t = tu_load(ONE(ANNUAL_TIERS));
    /* 2761 used this year; 420 more: 359 in tier 1 (to 3120), 61 in tier 2 */
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '420', 'ytd_kwh': '2761'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "tier 1", "359", "0.5283", "189.66");  /* 189.6597 */
    CHECK_LINE(1, "tier 2", "61", "0.5783", "35.28");    /* 35.2763 */
    CHECK_TOTAL("224.94");
    CHECK_EXPLAIN(0, "kWh 2761\xE2\x80\x93" "3120 of this year fall in tier 1 at 0.5283");
    CHECK_EXPLAIN(1, "kWh 3120\xE2\x80\x93" "3181 of this year fall in tier 2 at 0.5783");

    /* across both thresholds: 3000 + 2000 = 5000 → 120, 1680, 200 */
    bill(t ? "{'period': '2025-10-01/2025-11-01', 'kwh': '2000', 'ytd_kwh': 3000}" : "");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, "tier 1", "120", "0.5283", "63.40");   /* 63.396 */
    CHECK_LINE(1, "tier 2", "1680", "0.5783", "971.54"); /* 971.544 */
    CHECK_LINE(2, "tier 3", "200", "0.8283", "165.66");
    CHECK_TOTAL("1200.60");

    /* already in tier 3: no empty tier 1 line with a backwards range */
    bill("{'period': '2025-11-01/2025-12-01', 'kwh': '10', 'ytd_kwh': 5000}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "tier 3", "10", "0.8283", "8.28");
    CHECK_EXPLAIN(0, "kWh 5000–5010 of this year fall in tier 3 at 0.8283");
    /* no kWh at all: the one tier the next kWh would fall in */
    bill("{'period': '2025-11-01/2025-12-01', 'kwh': '0', 'ytd_kwh': 5000}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "tier 3", "0", "0.8283", "0.00");
    bill("{'period': '2025-11-01/2025-12-01', 'kwh': '0', 'ytd_kwh': 3120}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "tier 2", "0", "0.5783", "0.00"); /* 3120 itself was the last of tier 1 */
    bill("{'period': '2025-11-01/2025-12-01', 'kwh': '0'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "tier 1", "0", "0.5283", "0.00");

    /* ending exactly on the threshold (boundary lower): all in tier 1 */
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '359', 'ytd_kwh': '2761'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "tier 1", "359", "0.5283", "189.66");
    bill_tariff_free(t);
}

static void test_annual_proration(void)
{
    /* account opened 2024-07-01 (leap year): months 6/12 → 1560; days 184/366 → 1568.5 → 1569 */
    bill_tariff *t = tu_load(ONE(ANNUAL_TIERS));
    bill("{'period': '2024-07-01/2024-08-01', 'kwh': '1600', 'opened': '2024-07-01'}");
    CHECK_LINE(0, "tier 1", "1560", "0.5283", "824.15");
    CHECK_LINE(1, "tier 2", "40", "0.5783", "23.13");
    bill_tariff_free(t);
    t = tu_load(ONE("{'id': 'energy', 'type': 'energy', 'price': '0.5283', 'tiers': {'basis': "
                   "'annual', 'boundary': 'lower', 'proration': 'days', 'thresholds': ['3120', "
                   "'4800'], 'increments': ['0', '0.05', '0.30']}}"));
    bill("{'period': '2024-07-01/2024-08-01', 'kwh': '1600', 'opened': '2024-07-01'}");
    CHECK_LINE(0, "tier 1", "1569", "0.5283", "828.90"); /* 828.9027 */
    CHECK_LINE(1, "tier 2", "31", "0.5783", "17.93");
    /* the same date in a common year: 184/365 → 1572.8 → 1573 */
    bill("{'period': '2025-07-01/2025-08-01', 'kwh': '1600', 'opened': '2025-07-01'}");
    CHECK_LINE(0, "tier 1", "1573", "0.5283", "831.02");
    /* opened in an earlier year: no proration */
    bill("{'period': '2025-07-01/2025-08-01', 'kwh': '1600', 'opened': '2019-07-01'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    /* opened after the period's start: the bill would cover days before the account */
    CHECK_OK(tu_usage(U, "{'period': '2025-07-01/2025-08-01', 'kwh': '1600', 'opened': '2025-07-02'}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "opened on 2025-07-02, after the start of the period "
                                "(2025-07-01)") != NULL);
    CHECK_INT(bill_bill_line_count(B), 0);
    bill_tariff_free(t);
}

static void test_monthly_seasonal_tiers(void)
{
    bill_tariff *t = tu_load(ONE(SEASONAL("lower", "")));
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '300'}"); /* summer: 260 */
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "tier 1", "260", "0.56", "145.60");
    CHECK_LINE(1, "tier 2", "40", "0.61", "24.40");
    CHECK_TOTAL("170.00");
    CHECK_EXPLAIN(1, "kWh 260\xE2\x80\x93" "300 of this period fall in tier 2 at 0.61");
    bill("{'period': '2025-01-01/2025-02-01', 'kwh': '450'}"); /* winter: 200/400 */
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, "tier 1", "200", "0.56", "112.00");
    CHECK_LINE(1, "tier 2", "200", "0.61", "122.00");
    CHECK_LINE(2, "tier 3", "50", "0.86", "43.00");
    /* half of June (move-out): thresholds 130 / 300 */
    bill("{'period': '2025-06-01/2025-06-16', 'kwh': '301'}");
    CHECK_LINE(0, "tier 1", "130", "0.56", "72.80");
    CHECK_LINE(1, "tier 2", "170", "0.61", "103.70");
    CHECK_LINE(2, "tier 3", "1", "0.86", "0.86");
    /* across April (winter) and May (summer): 200·15/30 + 260·16/31 = 100 + 134.19 → 234 */
    bill("{'period': '2025-04-16/2025-05-17', 'kwh': '250'}");
    CHECK_LINE(0, "tier 1", "234", "0.56", "131.04");
    CHECK_LINE(1, "tier 2", "16", "0.61", "9.76");
    bill_tariff_free(t);
}

#define MONTHLY(proration)                                                                    \
    "{'id': 'energy', 'type': 'energy', 'price': '0.56', 'tiers': {'basis': 'monthly', "     \
    "'boundary': 'lower', 'proration': '" proration "', 'seasons': ["                        \
    "{'months': [5,6,7,8,9,10], 'thresholds': ['260']}, "                                    \
    "{'months': [1,2,3,4,11,12], 'thresholds': ['200']}], 'increments': ['0', '0.05']}}"

static void test_monthly_proration_rules(void)
{
    bill_tariff *t = tu_load(ONE(MONTHLY("months")));
    /* a billing month from the 15th is one month: 200 (by days it would be 210) */
    bill("{'period': '2025-01-15/2025-02-15', 'kwh': '250'}");
    CHECK_LINE(0, "tier 1", "200", "0.56", "112.00");
    CHECK_LINE(1, "tier 2", "50", "0.61", "30.50");
    /* one month and 14 of the next 28 days: 200 + 100 */
    bill("{'period': '2025-01-15/2025-03-01', 'kwh': '350'}");
    CHECK_LINE(0, "tier 1", "300", "0.56", "168.00");
    /* from 31 January: one month ends on 28 February (clamped) */
    bill("{'period': '2025-01-31/2025-02-28', 'kwh': '250'}");
    CHECK_LINE(0, "tier 1", "200", "0.56", "112.00");
    /* a billing month starting in April has April's thresholds */
    bill("{'period': '2025-04-20/2025-05-20', 'kwh': '250'}");
    CHECK_LINE(0, "tier 1", "200", "0.56", "112.00");
    bill("{'period': '2025-05-20/2025-06-20', 'kwh': '250'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    bill_tariff_free(t);

    t = tu_load(ONE(MONTHLY("days")));
    bill("{'period': '2025-01-15/2025-02-15', 'kwh': '250'}");
    CHECK_LINE(0, "tier 1", "210", "0.56", "117.60"); /* 200·17/31 + 200·14/28 = 209.68 */
    bill_tariff_free(t);

    t = tu_load(ONE(MONTHLY("none")));
    bill("{'period': '2025-04-20/2025-05-20', 'kwh': '250'}");
    CHECK_LINE(0, "tier 1", "200", "0.56", "112.00");
    bill("{'period': '2025-04-20/2025-04-25', 'kwh': '250'}"); /* not prorated */
    CHECK_LINE(0, "tier 1", "200", "0.56", "112.00");
    bill_tariff_free(t);
}

static void test_leap_year_proration(void)
{
    bill_tariff *t = tu_load(ONE(SEASONAL("lower", "")));
    /* 14 days of February: 200·14/29 = 96.55 → 97 in 2024; 200·14/28 = 100 in 2025 */
    bill("{'period': '2024-02-01/2024-02-15', 'kwh': '100'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "tier 1", "97", "0.56", "54.32");
    CHECK_LINE(1, "tier 2", "3", "0.61", "1.83");
    bill("{'period': '2025-02-01/2025-02-15', 'kwh': '100'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "tier 1", "100", "0.56", "56.00");
    /* the whole of February 2024 is a whole month: 200 */
    bill("{'period': '2024-02-01/2024-03-01', 'kwh': '200'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    bill_tariff_free(t);
}

static void test_boundary_rule(void)
{
    bill_tariff *lo = tu_load(ONE(SEASONAL("lower", "")));
    bill_tariff *up = tu_load(ONE(SEASONAL("upper", "")));
    bill_with(lo, "{'period': '2025-06-01/2025-07-01', 'kwh': '260'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "tier 1", "260", "0.56", "145.60");
    bill_with(up, "{'period': '2025-06-01/2025-07-01', 'kwh': '260'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "tier 1", "259", "0.56", "145.04");
    CHECK_LINE(1, "tier 2", "1", "0.61", "0.61");
    bill_with(up, "{'period': '2025-06-01/2025-07-01', 'kwh': '259'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    bill_tariff_free(lo);
    bill_tariff_free(up);
}

static void test_large_household(void)
{
    bill_tariff *t = tu_load(ONE(SEASONAL("lower", ", 'large_household': {'min_persons': 5, "
                                                  "'extra_per_month': '100'}")));
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '400', 'household_size': 5}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "tier 1", "360", "0.56", "201.60");
    CHECK_LINE(1, "tier 2", "40", "0.61", "24.40");
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '400', 'household_size': 4}");
    CHECK_LINE(0, "tier 1", "260", "0.56", "145.60");
    CHECK_LINE(1, "tier 2", "140", "0.61", "85.40");
    bill_tariff_free(t);
}

static void test_version_split(void)
{
    bill_tariff *t = tu_load(TARIFF(VERSION("2020-01-01", FLAT("0.50")) ", "
                                   VERSION("2025-06-16", FLAT("0.60"))));
    /* 301 kWh over 15 + 15 days: 150.5 each, shared at the split scale (2) → 150.50 + 150.50 */
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '301'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "", "150.50", "0.50", "75.25");
    CHECK_LINE(1, "", "150.50", "0.60", "90.30");
    CHECK_TOTAL("165.55");
    CHECK_EXPLAIN(1, "150.50 kWh at 0.60, in 2025-06-16/2025-07-01");
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, 1));
    CHECK_INT(bill_period_days(v.segment), 15);
    /* the usage's own scale: 100.01 over 10 + 20 days → 33.34 + 66.67 */
    bill("{'period': '2025-06-06/2025-07-06', 'kwh': '100.01'}");
    CHECK_LINE(0, "", "33.34", "0.50", "16.67");
    CHECK_LINE(1, "", "66.67", "0.60", "40.00");
    /* a reading at the change date splits by the reading, not by days */
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '301', "
         "'readings': [{'date': '2025-06-16', 'kwh': '100.5'}]}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "", "100.5", "0.50", "50.25");
    CHECK_LINE(1, "", "200.5", "0.60", "120.30");
    CHECK_TOTAL("170.55");
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'kwh': '301', "
                   "'readings': [{'date': '2025-06-15', 'kwh': '100'}]}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "reading on 2025-06-15 is not at a tariff change") != NULL);
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'kwh': '301', "
                   "'readings': [{'date': '2025-06-16', 'kwh': '302'}]}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "above the period's total") != NULL);
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'tou_kwh': {'peak': '1'}, "
                   "'readings': [{'date': '2025-06-16', 'kwh': '1'}]}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE); /* TOU kWh: readings by register */
    CHECK(strstr(bill_errmsg(), "gives the total kWh only") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'readings': [{'date': '2025-06-16', "
                    "'kwh': '1'}, {'date': '2025-06-16', 'kwh': '2'}]}"), BILL_ECONFLICT);
    CHECK(strstr(bill_errmsg(), "$.readings[1]") != NULL);
    CHECK_ERR(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'readings': [{'date': '2025-06-16', "
                    "'kwh': '-1'}]}"), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "$.readings[0].kwh") != NULL);
    /* a period wholly in the new version is not split */
    bill("{'period': '2025-07-01/2025-08-01', 'kwh': '10'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "", "10", "0.60", "6.00");
    /* before the first version */
    CHECK_OK(tu_usage(U, "{'period': '2019-12-01/2020-01-01', 'kwh': '10'}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "2020-01-01") != NULL);
    CHECK_INT(bill_bill_line_count(B), 0);
    bill_tariff_free(t);
}

static void test_readings_three_segments(void)
{
    /* two changes: readings on both, on one, on none */
    bill_tariff *t = tu_load(TARIFF(VERSION("2020-01-01", FLAT("0.50")) ", "
                                   VERSION("2025-06-11", FLAT("0.60")) ", "
                                   VERSION("2025-06-21", FLAT("0.70"))));
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '300', 'readings': [{'date': "
         "'2025-06-21', 'kwh': '250'}, {'date': '2025-06-11', 'kwh': '50'}]}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, "", "50", "0.50", "25.00");
    CHECK_LINE(1, "", "200", "0.60", "120.00");
    CHECK_LINE(2, "", "50", "0.70", "35.00");
    /* only the second: the first 250 kWh are shared by days (10 + 10) */
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '300', 'readings': [{'date': "
         "'2025-06-21', 'kwh': '250'}]}");
    CHECK_LINE(0, "", "125.00", "0.50", "62.50"); /* shared: at the split scale */
    CHECK_LINE(1, "", "125.00", "0.60", "75.00");
    CHECK_LINE(2, "", "50", "0.70", "35.00");       /* fixed by the readings: as written */
    CHECK_TOTAL("172.50");
    /* none: 100 each */
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '300'}");
    CHECK_LINE(1, "", "100.00", "0.60", "60.00");
    /* setter: dates kept in order, a date set again replaces */
    bill_date d1, d2;
    bill_dec k = BILL_DEC_INIT;
    bill_date_parse(&d1, "2025-06-21", (size_t)-1);
    bill_date_parse(&d2, "2025-06-11", (size_t)-1);
    bill_dec_set_i64(&k, 250, 0);
    CHECK_OK(bill_usage_set_reading(U, d1, &k));
    bill_dec_set_i64(&k, 10, 0);
    CHECK_OK(bill_usage_set_reading(U, d2, &k));
    bill_dec_set_i64(&k, 20, 0);
    CHECK_OK(bill_usage_set_reading(U, d2, &k));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "", "20", "0.50", "10.00");
    CHECK_LINE(1, "", "230", "0.60", "138.00");
    bill_dec_clear(&k);
    bill_tariff_free(t);
}

static void test_annual_split_new_year(void)
{
    bill_tariff *t = tu_load(ONE(ANNUAL_TIERS));
    /* 2025-12-17 .. 2026-01-16: 15 + 15 days; 3100 already used in 2025 */
    bill("{'period': '2025-12-17/2026-01-16', 'kwh': '100', 'ytd_kwh': '3100'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, "tier 1", "20", "0.5283", "10.57");
    CHECK_LINE(1, "tier 2", "30.00", "0.5783", "17.35");
    CHECK_LINE(2, "tier 1", "50.00", "0.5283", "26.42"); /* the new year starts at 0 */
    CHECK_EXPLAIN(2, "kWh 0\xE2\x80\x93" "50.00 of this year fall in tier 1 at 0.5283, in "
                     "2026-01-01/2026-01-16");
    bill_tariff_free(t);
}

#define COMMERCIAL                                                                          \
    "{'id': 'energy', 'type': 'energy', 'components': ["                                    \
    "{'name': 'purchase', 'price': '0.3800', 'tou': true}, "                                \
    "{'name': 'transmission', 'price': '0.1552'}], "                                        \
    "'tou': {'ratios': {'critical': '2.028', 'peak': '1.69', 'flat': '1', 'valley': '0.46'}}}"

static void test_tou_components(void)
{
    bill_tariff *t = tu_load(ONE(COMMERCIAL));
    bill("{'period': '2025-06-01/2025-07-01', 'tou_kwh': {'valley': '200', 'peak': '100', "
         "'critical': '10', 'flat': '50'}}");
    CHECK_INT(bill_bill_line_count(B), 5);
    CHECK_LINE(0, "critical", "10", "0.77064", "7.71");
    CHECK_LINE(1, "peak", "100", "0.6422", "64.22");
    CHECK_LINE(2, "flat", "50", "0.3800", "19.00");
    CHECK_LINE(3, "valley", "200", "0.1748", "34.96");
    CHECK_LINE(4, "", "360", "0.1552", "55.87"); /* 55.872, flat in every period */
    CHECK_TOTAL("181.76");
    CHECK_EXPLAIN(1, "100 kWh in the peak period at 0.6422 (purchase 0.3800 \xC3\x97 ratio 1.69)");
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, 4));
    CHECK_STR(v.component, "transmission");
    CHECK_INT(v.kind, BILL_LINE_ENERGY);

    /* usage errors */
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'kwh': '360'}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "no TOU kWh") != NULL);
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'tou_kwh': {'shoulder': '1'}}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "'shoulder'") != NULL);
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'kwh': '100', "
                   "'tou_kwh': {'peak': '60', 'valley': '30'}}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "add up to 90") != NULL);
    bill_tariff_free(t);
}

static void test_tou_with_tiers(void)
{
    bill_tariff *t = tu_load(ONE(
        "{'id': 'energy', 'type': 'energy', 'tou': {'prices': {'peak': '0.5583', "
        "'valley': '0.3583'}}, 'tiers': {'basis': 'annual', 'boundary': 'lower', "
        "'thresholds': ['3120', '4800'], 'increments': ['0', '0.05', '0.30']}}"));
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '420', 'tou_kwh': {'peak': '300', "
         "'valley': '120'}, 'ytd_kwh': '2761'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, "peak", "300", "0.5583", "167.49");
    CHECK_LINE(1, "valley", "120", "0.3583", "43.00"); /* 42.996 */
    CHECK_LINE(2, "tier 2", "61", "0.05", "3.05");
    CHECK_TOTAL("213.54");
    CHECK_EXPLAIN(2, "kWh 3120\xE2\x80\x93" "3181 of this year fall in tier 2: +0.05 a kWh on top "
                     "of the base price");
    bill_tariff_free(t);

    /* a residential TOU ratio on the whole price, plus the increments */
    t = tu_load(ONE("{'id': 'energy', 'type': 'energy', 'price': '0.5', "
                   "'tou': {'ratios': {'peak': '1.2', 'valley': '0.6'}}, "
                   "'tiers': {'basis': 'monthly', 'boundary': 'lower', 'thresholds': ['100'], "
                   "'increments': ['0', '0.10']}}"));
    bill("{'period': '2025-06-01/2025-07-01', 'tou_kwh': {'peak': '80', 'valley': '40'}}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, "peak", "80", "0.6", "48.00"); /* 0.5 × 1.2, shown at the price's scale */
    CHECK_LINE(1, "valley", "40", "0.3", "12.00");
    CHECK_LINE(2, "tier 2", "20", "0.10", "2.00");
    CHECK_TOTAL("62.00");
    bill_tariff_free(t);
}

static void test_tiers_with_components(void)
{
    bill_tariff *t = tu_load(ONE(
        "{'id': 'energy', 'type': 'energy', 'components': [{'name': 'a', 'price': '0.4'}, "
        "{'name': 'b', 'price': '0.1'}], 'tiers': {'basis': 'monthly', 'boundary': 'lower', "
        "'thresholds': ['100'], 'increments': ['0', '0.05']}}"));
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '150'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, "", "150", "0.4", "60.00");
    CHECK_LINE(1, "", "150", "0.1", "15.00");
    CHECK_LINE(2, "tier 2", "50", "0.05", "2.50");
    CHECK_TOTAL("77.50");
    bill_tariff_free(t);
}

static void test_funds_exemption(void)
{
    bill_tariff *t = tu_load(ONE(FLAT("0.5") ", {'id': 'funds', 'type': 'per_kwh', 'name': "
                                "'Renewable surcharge', 'price': '0.019', 'exempt_classes': "
                                "['agricultural']}"));
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '1000', 'class': 'commercial'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(1, "", "1000", "0.019", "19.00");
    CHECK_EXPLAIN(1, "Renewable surcharge: 1000 kWh at 0.019");
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, 1));
    CHECK_STR(v.charge, "funds");
    CHECK_INT(v.kind, BILL_LINE_PER_KWH);
    CHECK_TOTAL("519.00");
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '1000', 'class': 'agricultural'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_TOTAL("500.00");
    bill_tariff_free(t);
}

static void test_fixed_charges(void)
{
    bill_tariff *t = tu_load(ONE("{'id': 'm', 'type': 'fixed', 'amount': '5.00', 'per': 'month'}, "
                                "{'id': 'd', 'type': 'fixed', 'amount': '0.20', 'per': 'day'}, "
                                "{'id': 'p', 'type': 'fixed', 'amount': '3.00', 'per': 'period'}"));
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '0'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, "", "1", "5.00", "5.00");
    CHECK_LINE(1, "", "30", "0.20", "6.00");
    CHECK_LINE(2, "", "1", "3.00", "3.00");
    CHECK_TOTAL("14.00");
    CHECK_EXPLAIN(0, "5.00 a month for 2025-06");
    CHECK_EXPLAIN(1, "30 days at 0.20 a day");
    /* 15 days of June (30) and 15 of July (31): 2.50 + 2.419… → 2.42 */
    bill("{'period': '2025-06-16/2025-07-16', 'kwh': '0'}");
    CHECK_INT(bill_bill_line_count(B), 4);
    CHECK_LINE(0, "", "15", "0.166667", "2.50");
    CHECK_LINE(1, "", "15", "0.161290", "2.42");
    CHECK_EXPLAIN(1, "5.00 a month, prorated for 15 of the 31 days of 2025-07");
    CHECK_LINE(2, "", "30", "0.20", "6.00");
    CHECK_TOTAL("13.92");
    /* leap February: 10 of 29 days → 1.724… → 1.72 */
    bill("{'period': '2024-02-20/2024-03-01', 'kwh': '0'}");
    CHECK_LINE(0, "", "10", "0.172414", "1.72");
    bill_tariff_free(t);

    /* a per-period charge split by a version change, by days */
    t = tu_load(TARIFF(VERSION("2020-01-01", "{'id': 'p', 'type': 'fixed', 'amount': '3.00', "
                                            "'per': 'period'}") ", "
                      VERSION("2025-06-11", "{'id': 'p', 'type': 'fixed', 'amount': '6.00', "
                                            "'per': 'period'}")));
    bill("{'period': '2025-06-01/2025-07-01'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "", "10", "0.100000", "1.00"); /* 3.00 / 30 days at scale 2 + 4 */
    CHECK_LINE(1, "", "20", "0.200000", "4.00");
    CHECK_TOTAL("5.00");
    bill_tariff_free(t);
}

static void test_minimum_charge(void)
{
    bill_tariff *t = tu_load(ONE(FLAT("0.5") ", {'id': 'min', 'type': 'minimum', 'amount': "
                                "'10.00', 'per': 'month'}"));
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '7'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(1, "", "1", "6.50", "6.50");
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, 1));
    CHECK_INT(v.kind, BILL_LINE_MINIMUM);
    CHECK_STR(v.charge, "min");
    CHECK_TOTAL("10.00");
    CHECK_EXPLAIN(1, "The charges came to 3.50, below the minimum charge of 10.00: the "
                     "difference is added");
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '30'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_TOTAL("15.00");
    /* half a month: minimum 5.00 */
    bill("{'period': '2025-06-01/2025-06-16', 'kwh': '2'}");
    CHECK_LINE(1, "", "1", "4.00", "4.00");
    CHECK_TOTAL("5.00");
    bill_tariff_free(t);
}

static void test_vat(void)
{
    bill_tariff *t = tu_load(HEAD(LINE_R, "'price_basis': 'vat_exclusive', 'vat_rate': '0.13'")
                                VERSION("2020-01-01", FLAT("0.5283")) "]}");
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '420'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(1, "", "221.89", "0.13", "28.85"); /* 28.8457 */
    CHECK_TOTAL("250.74");
    bill_dec d = BILL_DEC_INIT;
    CHECK_OK(bill_bill_tax(&d, B));
    CHECK_STR(tu_dstr(&d), "28.85");
    CHECK_OK(bill_bill_subtotal(&d, B));
    CHECK_STR(tu_dstr(&d), "221.89");
    CHECK_INT(bill_bill_tax_included(B), 0);
    CHECK_EXPLAIN(1, "VAT of 13% on 221.89");
    bill_tariff_free(t);

    t = tu_load(HEAD(LINE_R, "'price_basis': 'vat_inclusive', 'vat_rate': '0.13'")
                   VERSION("2020-01-01", FLAT("0.5283")) "]}");
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '420'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_TOTAL("221.89");
    CHECK_OK(bill_bill_tax(&d, B));
    CHECK_STR(tu_dstr(&d), "25.53"); /* 221.89 × 0.13 / 1.13 = 25.5269… */
    CHECK_INT(bill_bill_tax_included(B), 1);
    bill_dec_clear(&d);
    bill_tariff_free(t);
}

static void test_total_rounding(void)
{
    bill_tariff *t = tu_load(HEAD(TOTAL_R, NOVAT) VERSION("2020-01-01", FLAT("0.5283") ", "
                            "{'id': 'funds', 'type': 'per_kwh', 'price': '0.0191'}") "]}");
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '420.5'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, "", "420.5", "0.5283", "222.15015");
    CHECK_LINE(1, "", "420.5", "0.0191", "8.03155");
    CHECK_LINE(2, "", "1", "-0.0017", "-0.0017");
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, 2));
    CHECK_INT(v.kind, BILL_LINE_ROUNDING);
    CHECK_TOTAL("230.18"); /* 230.1817 */
    CHECK_EXPLAIN(2, "The exact sum 230.1817 is rounded HALF_UP to 2 decimals");
    /* when the exact sum needs no rounding there is no rounding line */
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '100'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_TOTAL("54.74");
    bill_tariff_free(t);

    /* other modes: HALF_EVEN on each line */
    t = tu_load(HEAD("{'mode': 'HALF_EVEN', 'scale': 2, 'apply': 'line'}", NOVAT)
                   VERSION("2020-01-01", FLAT("0.125")) "]}");
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '1'}");
    CHECK_TOTAL("0.12");
    bill_tariff_free(t);
    t = tu_load(HEAD("{'mode': 'DOWN', 'scale': 0, 'apply': 'line'}", NOVAT)
                   VERSION("2020-01-01", FLAT("0.999")) "]}");
    bill("{'period': '2025-06-01/2025-07-01', 'kwh': '1'}");
    CHECK_TOTAL("0");
    bill_tariff_free(t);
}

/* ---- TOU schedules ------------------------------------------------------------------ */

#define SCHED_TARIFF(periods, extra_season)                                                   \
    ONE_S("{'res': {'granularity': 30, 'seasons': [{'months': [1,2,3,4,5,6,7,8,9,10,11,12], "   \
          "'day_types': ['working', 'weekend'], 'periods': [" periods "]}, "                   \
          "{'months': [1,2,3,4,5,6,7,8,9,10,11,12], 'day_types': ['holiday'], "                \
          "'periods': [{'from': '00:00', 'to': '24:00', 'period': 'valley'}]}" extra_season     \
          "]}}",                                                                               \
          "{'id': 'energy', 'type': 'energy', 'price': '0.5', 'tou': {'schedule': 'res', "     \
          "'ratios': {'peak': '1.2', 'valley': '0.6'}}}")
#define ONE_S(schedules, charges)                                                             \
    TARIFF("{'effective': '2020-01-01', 'schedules': " schedules ", 'charges': [" charges "]}")
#define PEAK_VALLEY                                                                           \
    "{'from': '08:00', 'to': '21:30', 'period': 'peak'}, "                                    \
    "{'from': '21:30', 'to': '08:00', 'period': 'valley'}"

static void test_tou_schedules(void)
{
    bill_tariff *t = tu_load(SCHED_TARIFF(PEAK_VALLEY, ""));
    bill_datetime at;
    const char *p = NULL;
    CHECK_OK(bill_datetime_parse(&at, "2025-06-03T08:00", (size_t)-1));
    CHECK_OK(bill_tariff_tou_period(&p, t, "energy", at, 0));
    CHECK_STR(p, "peak");
    CHECK_OK(bill_datetime_parse(&at, "2025-06-03T07:59", (size_t)-1));
    CHECK_OK(bill_tariff_tou_period(&p, t, "energy", at, 0));
    CHECK_STR(p, "valley");
    CHECK_OK(bill_datetime_parse(&at, "2025-06-03T21:29", (size_t)-1));
    CHECK_OK(bill_tariff_tou_period(&p, t, "energy", at, 1));
    CHECK_STR(p, "peak");
    CHECK_OK(bill_datetime_parse(&at, "2025-06-03T21:30", (size_t)-1));
    CHECK_OK(bill_tariff_tou_period(&p, t, "energy", at, 1));
    CHECK_STR(p, "valley");
    CHECK_OK(bill_datetime_parse(&at, "2025-06-03T12:00", (size_t)-1));
    CHECK_OK(bill_tariff_tou_period(&p, t, "energy", at, 2)); /* holiday: all valley */
    CHECK_STR(p, "valley");
    CHECK_ERR(bill_tariff_tou_period(&p, t, "nope", at, 0), BILL_ENOTFOUND);
    CHECK_ERR(bill_tariff_tou_period(&p, t, "energy", at, 3), BILL_EINVAL);
    CHECK_OK(bill_datetime_parse(&at, "2019-06-03T12:00", (size_t)-1));
    CHECK_ERR(bill_tariff_tou_period(&p, t, "energy", at, 0), BILL_ERULE);
    bill_tariff_free(t);

    /* gaps, overlaps, grid, coverage of months and day types */
    tu_reject(SCHED_TARIFF("{'from': '08:00', 'to': '21:00', 'period': 'peak'}, "
                        "{'from': '21:30', 'to': '08:00', 'period': 'valley'}", ""),
           BILL_ERULE, "leave 21:00 uncovered");
    tu_reject(SCHED_TARIFF("{'from': '08:00', 'to': '21:00', 'period': 'peak'}, "
                        "{'from': '21:30', 'to': '08:00', 'period': 'valley'}", ""),
           BILL_ERULE, "$.versions[0].schedules.res.seasons[0].periods");
    tu_reject(SCHED_TARIFF("{'from': '08:00', 'to': '22:00', 'period': 'peak'}, "
                        "{'from': '21:30', 'to': '08:00', 'period': 'valley'}", ""),
           BILL_ERULE, "overlap at 21:30");
    tu_reject(SCHED_TARIFF("{'from': '08:00', 'to': '22:00', 'period': 'peak'}, "
                        "{'from': '21:30', 'to': '08:00', 'period': 'valley'}", ""),
           BILL_ERULE, "$.versions[0].schedules.res.seasons[0].periods[1]");
    tu_reject(SCHED_TARIFF("{'from': '08:15', 'to': '21:30', 'period': 'peak'}, "
                        "{'from': '21:30', 'to': '08:15', 'period': 'valley'}", ""),
           BILL_ERULE, "$.versions[0].schedules.res.seasons[0].periods[0].from");
    tu_reject(SCHED_TARIFF("{'from': '8:00', 'to': '21:30', 'period': 'peak'}, "
                        "{'from': '21:30', 'to': '08:00', 'period': 'valley'}", ""),
           BILL_EDATE, "$.versions[0].schedules.res.seasons[0].periods[0].from");
    tu_reject(SCHED_TARIFF("{'from': '24:00', 'to': '21:30', 'period': 'peak'}, "
                        "{'from': '21:30', 'to': '08:00', 'period': 'valley'}", ""),
           BILL_EDATE, "periods[0].from");
    tu_reject(SCHED_TARIFF(PEAK_VALLEY, ", {'months': [6], 'day_types': ['weekend'], 'periods': "
                                     "[{'from': '00:00', 'to': '00:00', 'period': 'peak'}]}"),
           BILL_ERULE, "$.versions[0].schedules.res.seasons[2].periods[0]");
    tu_reject(SCHED_TARIFF(PEAK_VALLEY, ", {'months': [6], 'day_types': ['weekend'], 'periods': "
                                     "[{'from': '00:00', 'to': '24:00', 'period': 'peak'}]}"),
           BILL_ERULE, "month 6, weekend days, is in more than one season");
    tu_reject(SCHED_TARIFF(PEAK_VALLEY, ", {'months': [6], 'day_types': ['sunday'], 'periods': "
                                     "[{'from': '00:00', 'to': '24:00', 'period': 'peak'}]}"),
           BILL_ESYNTAX, "$.versions[0].schedules.res.seasons[2].day_types[0]");
    tu_reject(ONE_S("{'res': {'granularity': 60, 'seasons': [{'months': [1,2,3,4,5,6,7,8,9,10,11], "
                 "'day_types': ['working', 'weekend', 'holiday'], 'periods': "
                 "[{'from': '00:00', 'to': '24:00', 'period': 'peak'}]}]}}", FLAT("1")),
           BILL_ERULE, "month 12, working days, is in no season");
    tu_reject(ONE_S("{'res': {'granularity': 20, 'seasons': []}}", FLAT("1")), BILL_ERANGE,
           "$.versions[0].schedules.res.granularity");
    tu_reject(SCHED_TARIFF("{'from': '08:00', 'to': '21:30', 'period': 'peak'}, "
                        "{'from': '21:30', 'to': '08:00', 'period': 'shoulder'}", ""),
           BILL_ERULE, "schedule period 'shoulder' has no TOU price");
    tu_reject(ONE_S("{}", "{'id': 'energy', 'type': 'energy', 'price': '0.5', 'tou': {'schedule': "
                 "'res', 'ratios': {'peak': '1.2'}}}"),
           BILL_ENOTFOUND, "$.versions[0].charges[0].tou.schedule");
}

/* ---- rendering ------------------------------------------------------------------------ */

static void test_render_deterministic(void)
{
    bill_tariff *t = tu_load(ONE(COMMERCIAL ", {'id': 'funds', 'type': 'per_kwh', 'price': "
                                "'0.03'}, {'id': 'm', 'type': 'fixed', 'amount': '20', "
                                "'per': 'month'}"));
    const char *u1 = "{'period': '2025-06-01/2025-07-01', 'tou_kwh': {'valley': '200.5', "
                     "'peak': '100', 'critical': '10', 'flat': '50'}}";
    bill_with(t, u1);
    char *j1 = bill_bill_to_json(B);
    char *x1 = bill_bill_to_text(B);
    CHECK(j1 != NULL && x1 != NULL);
    /* reuse the bill for another usage, then the first again */
    bill_with(t, "{'period': '2025-07-01/2025-08-01', 'tou_kwh': {'peak': '1'}}");
    char *j2 = bill_bill_to_json(B);
    bill_with(t, u1);
    char *j3 = bill_bill_to_json(B);
    char *x3 = bill_bill_to_text(B);
    CHECK(j1 && j2 && strcmp(j1, j2) != 0);
    CHECK(j1 && j3 && strcmp(j1, j3) == 0);
    CHECK(x1 && x3 && strcmp(x1, x3) == 0);
    CHECK(j1 && strstr(j1, "\"unit_price\": \"0.6422\"") != NULL);
    CHECK(j1 && strstr(j1, "\"total\": \"212.75\"") != NULL);
    CHECK(x1 && strstr(x1, "Total  CNY 212.75\n") != NULL);
    CHECK(x1 && strstr(x1, "100 kWh in the peak period at 0.6422") != NULL);
    bill_free(j1);
    bill_free(j2);
    bill_free(j3);
    bill_free(x1);
    bill_free(x3);
    bill_tariff_free(t);

    /* nothing computed */
    bill_bill *empty = NULL;
    CHECK_OK(bill_bill_create(&empty));
    CHECK(bill_bill_to_json(empty) == NULL);
    CHECK(bill_bill_to_text(empty) == NULL);
    CHECK(bill_bill_line_explain(empty, 0) == NULL);
    CHECK_INT(bill_bill_line_count(empty), 0);
    bill_bill_free(empty);
    bill_bill_free(NULL);
    bill_usage_free(NULL);
}

/* Property: with non-negative prices the total never decreases as usage grows. */
static void test_monotone_and_sum(void)
{
    bill_tariff *t = tu_load(ONE(ANNUAL_TIERS ", {'id': 'funds', 'type': 'per_kwh', 'price': "
                                "'0.0191'}, {'id': 'min', 'type': 'minimum', 'amount': '3'}"));
    bill_dec prev = BILL_DEC_INIT, cur = BILL_DEC_INIT;
    int bad = 0;
    for (int k = 0; k <= 2500; k += 7) {
        char u[160];
        snprintf(u, sizeof u, "{'period': '2025-05-20/2025-06-20', 'kwh': '%d.%d', "
                              "'ytd_kwh': '2900'}", k, k % 10);
        char *j = tu_sq(u);
        if (bill_usage_load(U, j, (size_t)-1, "u") != BILL_OK ||
            bill_tariff_compute(t, U, B) != BILL_OK) {
            bad++;
            free(j);
            continue;
        }
        free(j);
        bill_bill_total(&cur, B);
        if (k > 0 && bill_dec_cmp(&cur, &prev) < 0)
            bad++;
        bill_dec_copy(&prev, &cur);
        bill_dec sum = BILL_DEC_INIT;
        bill_line_view v;
        for (size_t i = 0; i < bill_bill_line_count(B); i++) {
            bill_bill_line(&v, B, i);
            bill_dec_add(&sum, &sum, v.amount);
        }
        if (bill_dec_cmp(&sum, &cur) != 0)
            bad++;
        bill_dec_clear(&sum);
    }
    CHECK_INT(bad, 0);
    bill_dec_clear(&prev);
    bill_dec_clear(&cur);
    bill_tariff_free(t);
}

/* ---- two-part tariffs and power factor ------------------------------------------------ */

#define CAPACITY "{'id': 'basic', 'type': 'capacity', 'name': 'Basic (capacity)', 'price': '22'}"
#define CONTRACTED(extra)                                                                     \
    "{'id': 'basic', 'type': 'demand', 'basis': 'contracted', 'price': '28'" extra "}"
#define JUNE "'period': '2025-06-01/2025-07-01'"

static void test_capacity_charge(void)
{
    bill_tariff *t = tu_load(ONE(CAPACITY));
    bill("{" JUNE ", 'capacity_kva': '3150'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "", "3150", "22", "69300.00");
    CHECK_EXPLAIN(0, "3150 kVA installed at 22 a kVA a month for 2025-06");
    CHECK_TOTAL("69300.00");
    /* 630 kVA suspended for 10 of June's 30 days: 22 x 630 x 10 / 30 credited */
    bill("{" JUNE ", 'capacity_kva': '3150', 'suspended': [{'kva': '630', 'from': '2025-06-11', "
         "'to': '2025-06-21'}]}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(1, "", "-630", "22", "-4620.00");
    CHECK_EXPLAIN(1, "630 kVA suspended 2025-06-11/2025-06-21: credit at 22 a kVA a month, "
                     "prorated for 10 of the 30 days of 2025-06");
    CHECK_TOTAL("64680.00");
    /* a suspension that began before the period: only its 7 June days count */
    bill("{" JUNE ", 'capacity_kva': '3150', 'suspended': [{'kva': '630', 'from': '2025-05-20', "
         "'to': '2025-06-08'}]}");
    CHECK_LINE(1, "", "-630", "22", "-3234.00");
    CHECK_TOTAL("66066.00");
    /* one that does not touch the period gives no line; 7 of 31 days rounds */
    bill("{'period': '2025-07-01/2025-08-01', 'capacity_kva': '100', 'suspended': [{'kva': '100', "
         "'from': '2025-07-01', 'to': '2025-07-08'}, {'kva': '5', 'from': '2025-01-01', "
         "'to': '2025-02-01'}]}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(1, "", "-100", "22", "-496.77"); /* 2200 x 7 / 31 = 496.774 */
    /* a partial period is prorated by days, as fixed charges are */
    bill("{'period': '2025-06-16/2025-07-01', 'capacity_kva': '3150'}");
    CHECK_LINE(0, "", "3150", "22", "34650.00");
    CHECK_EXPLAIN(0, "3150 kVA installed at 22 a kVA a month, prorated for 15 of the 30 days "
                     "of 2025-06");
    /* no capacity in the usage */
    CHECK_OK(tu_usage(U, "{" JUNE "}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "capacity_kva") != NULL);
    bill_tariff_free(t);
}

static void test_demand_contracted(void)
{
    bill_tariff *t = tu_load(ONE(CONTRACTED("")));
    /* D exactly 1.05 C: no excess */
    bill("{" JUNE ", 'capacity_kva': '3150', 'declared_kw': '2000', 'max_demand_kw': '2100'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "", "2000", "28", "56000.00");
    CHECK_EXPLAIN(0, "Declared demand 2000 kW, within 1.05 \xC3\x97: 2000 kW at 28 a kW a month "
                     "for 2025-06");
    CHECK_TOTAL("56000.00");
    /* above: 1.05 C at p, the rest at 2p */
    bill("{" JUNE ", 'capacity_kva': '3150', 'declared_kw': '2000', 'max_demand_kw': '2100.5'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "", "2100.00", "28", "58800.00");
    CHECK_LINE(1, "excess", "0.50", "56", "28.00");
    CHECK_EXPLAIN(0, "Declared demand 2000 kW; maximum demand 2100.5 kW exceeds 1.05 \xC3\x97 the "
                     "declared demand: 2100.00 kW at 28 a kW a month for 2025-06");
    CHECK_EXPLAIN(1, "0.50 kW of the maximum demand 2100.5 kW above 2100.00 kW at 2 \xC3\x97 28 = 56 "
                     "a kW a month for 2025-06");
    CHECK_TOTAL("58828.00");
    /* below the 40 % floor: billed at the floor */
    bill("{" JUNE ", 'capacity_kva': '3150', 'declared_kw': '1000', 'max_demand_kw': '1200'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "", "1260.00", "28", "35280.00");
    CHECK_EXPLAIN(0, "Declared demand 1000 kW is below the floor of 0.40 of the installed "
                     "capacity (1260.00 kW): billed at the floor, within 1.05 \xC3\x97: 1260.00 kW "
                     "at 28 a kW a month for 2025-06");
    /* exactly at the floor is not below it */
    bill("{" JUNE ", 'capacity_kva': '3150', 'declared_kw': '1260', 'max_demand_kw': '0'}");
    CHECK_LINE(0, "", "1260", "28", "35280.00");
    /* the floor and then the excess over 1.05 x floor */
    bill("{" JUNE ", 'capacity_kva': '3150', 'declared_kw': '1000', 'max_demand_kw': '1400'}");
    CHECK_LINE(0, "", "1323.0000", "28", "37044.00");
    CHECK_LINE(1, "excess", "77.0000", "56", "4312.00");
    /* a partial month by days */
    bill("{'period': '2025-06-16/2025-07-01', 'capacity_kva': '3150', 'declared_kw': '2000'}");
    CHECK_LINE(0, "", "2000", "28", "28000.00");
    /* declared demand is required */
    CHECK_OK(tu_usage(U, "{" JUNE ", 'max_demand_kw': '100'}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "declared_kw") != NULL);
    bill_tariff_free(t);
    /* the 1.05, x2 and 0.40 are tariff data */
    t = tu_load(ONE(CONTRACTED(", 'tolerance': '1.10', 'excess_multiplier': '3', "
                              "'min_fraction': '0.5'")));
    bill("{" JUNE ", 'capacity_kva': '1000', 'declared_kw': '400', 'max_demand_kw': '600'}");
    CHECK_LINE(0, "", "550.000", "28", "15400.00");
    CHECK_LINE(1, "excess", "50.000", "84", "4200.00");
    bill_tariff_free(t);
}

static void test_demand_actual(void)
{
    bill_tariff *t = tu_load(ONE("{'id': 'basic', 'type': 'demand', 'basis': 'actual', "
                                "'price': '40'}"));
    bill("{" JUNE ", 'max_demand_kw': '1950.5'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_LINE(0, "", "1950.5", "40", "78020.00");
    CHECK_EXPLAIN(0, "Maximum demand 1950.5 kW at 40 a kW a month for 2025-06");
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, 0));
    CHECK_STR(v.unit, "kW");
    CHECK_INT(v.kind, BILL_LINE_DEMAND);
    /* two months: one line each, prorated by days */
    bill("{'period': '2025-06-16/2025-07-16', 'max_demand_kw': '100'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, "", "100", "40", "2000.00");
    CHECK_LINE(1, "", "100", "40", "1935.48");
    CHECK_OK(tu_usage(U, "{" JUNE ", 'declared_kw': '100'}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "max_demand_kw") != NULL);
    bill_tariff_free(t);
}

#define PF(extra)                                                                             \
    "{'id': 'pf', 'type': 'power_factor', 'base': ['basic', 'energy'], 'standard': '0.90'"    \
    extra "}"
#define PF_TARIFF(extra)                                                                      \
    ONE("{'id': 'basic', 'type': 'demand', 'basis': 'actual', 'price': '10'}, " FLAT("0.5")   \
        ", {'id': 'funds', 'type': 'per_kwh', 'price': '0.02'}, " PF(extra))

#define PF_E "{'id': 'pf', 'type': 'power_factor', 'base': ['energy'], 'standard': '0.90'}"

static void test_power_factor(void)
{
    bill_tariff *t = tu_load(PF_TARIFF(""));
    /* PF 0.60 (6000 kWh, 8000 kvarh) against 0.90: +25 % of basic + energy, not the funds */
    bill("{" JUNE ", 'kwh': '6000', 'kvarh': '8000', 'max_demand_kw': '100'}");
    CHECK_INT(bill_bill_line_count(B), 4);
    CHECK_LINE(2, "", "6000", "0.02", "120.00");
    CHECK_LINE(3, "", "4000.00", "25.00", "1000.00");
    CHECK_EXPLAIN(3, "PF 0.60 against standard 0.90: +25.00% of 4000.00");
    CHECK_TOTAL("5120.00");
    /* PF 0.95: a rebate of 0.75 % */
    bill("{" JUNE ", 'kwh': '9500', 'kvarh': '3122', 'max_demand_kw': '100'}");
    CHECK_LINE(3, "", "5750.00", "-0.75", "-43.13"); /* 43.125 rounded half-up */
    CHECK_EXPLAIN(3, "PF 0.95 against standard 0.90: -0.75% of 5750.00");
    CHECK_TOTAL("5896.87");
    /* the usage's standard wins over the tariff's default */
    bill("{" JUNE ", 'kwh': '9500', 'kvarh': '3122', 'max_demand_kw': '100', "
         "'pf_standard': '0.85'}");
    CHECK_EXPLAIN(3, "PF 0.95 against standard 0.85: -1.10% of 5750.00");
    /* no kvarh: a zero line that says why */
    bill("{" JUNE ", 'kwh': '6000', 'max_demand_kw': '100'}");
    CHECK_INT(bill_bill_line_count(B), 4);
    CHECK_LINE(3, "", "4000.00", "0", "0");
    CHECK_EXPLAIN(3, "No kvarh in the usage: no power-factor adjustment");
    bill_tariff_free(t);
    /* ... or an error when the tariff requires kvarh */
    t = tu_load(PF_TARIFF(", 'require_kvarh': true"));
    CHECK_OK(tu_usage(U, "{" JUNE ", 'kwh': '6000', 'max_demand_kw': '100'}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "kvarh") != NULL);
    bill_tariff_free(t);
    /* a version change inside the period: one adjustment per segment, on its own base */
    t = tu_load(TARIFF(VERSION("2020-01-01", FLAT("0.5") ", " PF_E) ", "
                      VERSION("2025-06-16", FLAT("0.6") ", " PF_E)));
    bill("{" JUNE ", 'kwh': '6000', 'kvarh': '8000'}");
    CHECK_INT(bill_bill_line_count(B), 4);
    CHECK_LINE(0, "", "3000.00", "0.5", "1500.00");
    CHECK_LINE(1, "", "1500.00", "25.00", "375.00");
    CHECK_LINE(3, "", "1800.00", "25.00", "450.00");
    CHECK_EXPLAIN(3, "PF 0.60 against standard 0.90: +25.00% of 1800.00, in 2025-06-16/2025-07-01");
    CHECK_TOTAL("4125.00");
    bill_tariff_free(t);
    /* a tariff's own table */
    t = tu_load(PF_TARIFF(", 'table': '0.00-0.89 1.5\\n0.90 0\\n0.91-1.00 -0.5'"));
    bill("{" JUNE ", 'kwh': '6000', 'kvarh': '8000', 'max_demand_kw': '100'}");
    CHECK_LINE(3, "", "4000.00", "1.5", "60.00");
    bill_tariff_free(t);
}

static void test_two_part_rejections(void)
{
    tu_reject(ONE("{'id': 'b', 'type': 'demand', 'basis': 'peak', 'price': '1'}"), BILL_ESYNTAX,
           "$.versions[0].charges[0].basis");
    tu_reject(ONE("{'id': 'b', 'type': 'demand', 'basis': 'actual', 'price': '1', "
               "'tolerance': '1.05'}"), BILL_ERULE, "$.versions[0].charges[0].tolerance");
    tu_reject(ONE(CONTRACTED(", 'tolerance': '0.95'")), BILL_ERANGE,
           "$.versions[0].charges[0].tolerance");
    tu_reject(ONE(CONTRACTED(", 'min_fraction': '1.5'")), BILL_ERANGE,
           "$.versions[0].charges[0].min_fraction");
    tu_reject(ONE(CONTRACTED(", 'excess_multiplier': '0'")), BILL_ERANGE,
           "$.versions[0].charges[0].excess_multiplier");
    tu_reject(ONE("{'id': 'b', 'type': 'capacity', 'price': '-1'}"), BILL_ERANGE,
           "$.versions[0].charges[0].price");
    tu_reject(ONE("{'id': 'b', 'type': 'capacity', 'price': '1', 'per': 'day'}"), BILL_ESYNTAX,
           "$.versions[0].charges[0]");
    tu_reject(ONE(FLAT("1") ", " PF("")), BILL_ERULE, "$.versions[0].charges[1].base[0]");
    tu_reject(ONE(PF("") ", " CAPACITY ", " FLAT("1")), BILL_ERULE,
           "$.versions[0].charges[0].base[0]");
    tu_reject(ONE(CAPACITY ", " FLAT("1") ", {'id': 'pf', 'type': 'power_factor', 'base': []}"),
           BILL_ERANGE, "$.versions[0].charges[2].base");
    tu_reject(ONE(CAPACITY ", " FLAT("1") ", {'id': 'pf', 'type': 'power_factor', "
               "'base': ['basic'], 'standard': '0.95'}"),
           BILL_ESYNTAX, "$.versions[0].charges[2].standard");
    tu_reject(ONE(CAPACITY ", " FLAT("1") ", {'id': 'pf', 'type': 'power_factor', "
               "'base': ['basic'], 'table': '0.00-1.00 0'}"),
           BILL_ESYNTAX, "$.versions[0].charges[2]");
    tu_reject(ONE(CAPACITY ", " FLAT("1") ", " PF(", 'table': '0.00-0.50 1'")), BILL_ERULE,
           "$.versions[0].charges[2].table");
    /* usage */
    CHECK_ERR(tu_usage(U, "{" JUNE ", 'pf_standard': '0.95'}"), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "$.pf_standard") != NULL);
    CHECK_ERR(tu_usage(U, "{" JUNE ", 'suspended': [{'kva': '1', 'from': '2025-06-10', "
                    "'to': '2025-06-01'}]}"), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "$.suspended[0]") != NULL);
    CHECK_ERR(tu_usage(U, "{" JUNE ", 'capacity_kva': '-1'}"), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "$.capacity_kva") != NULL);
    CHECK_ERR(tu_usage(U, "{" JUNE ", 'suspended': [{'kva': '1', 'from': '2025-06-10'}]}"),
              BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "$.suspended[0]") != NULL);
}

static void test_two_part_setters(void)
{
    bill_tariff *t = tu_load(ONE("{'id': 'cap', 'type': 'capacity', 'price': '20'}, "
                                "{'id': 'dem', 'type': 'demand', 'basis': 'actual', "
                                "'price': '30'}, " FLAT("0.5") ", {'id': 'pf', 'type': "
                                "'power_factor', 'base': ['cap', 'dem', 'energy']}"));
    bill_dec d = BILL_DEC_INIT;
    bill_period p, june;
    bill_usage_reset(U);
    CHECK_OK(bill_period_parse(&june, "2025-06-01/2025-07-01", (size_t)-1));
    CHECK_OK(bill_usage_set_period(U, june));
    CHECK_OK(bill_dec_parse(&d, "100", (size_t)-1));
    CHECK_OK(bill_usage_set_capacity_kva(U, &d));
    CHECK_OK(bill_usage_set_max_demand_kw(U, &d));
    CHECK_OK(bill_usage_set_declared_kw(U, &d));
    CHECK_OK(bill_dec_parse(&d, "6000", (size_t)-1));
    CHECK_OK(bill_usage_set_kwh(U, &d));
    CHECK_OK(bill_dec_parse(&d, "8000", (size_t)-1));
    CHECK_OK(bill_usage_set_kvarh(U, &d));
    /* no standard in the tariff and none in the usage */
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "standard") != NULL);
    CHECK_ERR(bill_usage_set_pf_standard(U, "0.9"), BILL_ERANGE);
    CHECK_OK(bill_usage_set_pf_standard(U, "0.80"));
    CHECK_OK(bill_period_parse(&p, "2025-06-01/2025-06-16", (size_t)-1));
    CHECK_OK(bill_dec_parse(&d, "50", (size_t)-1));
    CHECK_OK(bill_usage_add_suspended(U, p, &d));
    CHECK_OK(bill_tariff_compute(t, U, B));
    /* 2000 - 500 (50 kVA for 15 of 30 days) + 3000 + 3000 = 7500; PF 0.60 at 0.80: +10 % */
    CHECK_INT(bill_bill_line_count(B), 5);
    CHECK_LINE(1, "", "-50", "20", "-500.00");
    CHECK_EXPLAIN(4, "PF 0.60 against standard 0.80: +10.00% of 7500.00");
    CHECK_TOTAL("8250.00");
    bill_usage_clear_suspended(U);
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(bill_bill_line_count(B), 4);
    CHECK_ERR(bill_usage_add_suspended(U, (bill_period){june.end, june.start}, &d), BILL_EDATE);
    bill_usage_reset(U);
    bill_dec_clear(&d);
    bill_tariff_free(t);
}

void suite_tariff(void)
{
    if (bill_usage_create(&U) != BILL_OK || bill_bill_create(&B) != BILL_OK) {
        TEST_FAIL_("%s", "cannot create handles");
        return;
    }
    RUN(test_tariff_load_basic);
    RUN(test_tariff_rejections);
    RUN(test_tariff_examples_load);
    RUN(test_usage_load);
    RUN(test_usage_setters_compute);
    RUN(test_flat_energy);
    RUN(test_annual_tiers_ytd);
    RUN(test_annual_proration);
    RUN(test_monthly_seasonal_tiers);
    RUN(test_monthly_proration_rules);
    RUN(test_leap_year_proration);
    RUN(test_boundary_rule);
    RUN(test_large_household);
    RUN(test_version_split);
    RUN(test_readings_three_segments);
    RUN(test_annual_split_new_year);
    RUN(test_tou_components);
    RUN(test_tou_with_tiers);
    RUN(test_tiers_with_components);
    RUN(test_tou_schedules);
    RUN(test_funds_exemption);
    RUN(test_fixed_charges);
    RUN(test_minimum_charge);
    RUN(test_vat);
    RUN(test_total_rounding);
    RUN(test_render_deterministic);
    RUN(test_monotone_and_sum);
    RUN(test_capacity_charge);
    RUN(test_demand_contracted);
    RUN(test_demand_actual);
    RUN(test_power_factor);
    RUN(test_two_part_rejections);
    RUN(test_two_part_setters);
    bill_usage_free(U);
    bill_bill_free(B);
    U = NULL;
    B = NULL;
}
