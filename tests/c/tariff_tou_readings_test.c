/*
 * Tests for readings of the TOU registers at split dates
 * (bill_usage_set_tou_reading, "readings": [{"date", "tou_kwh"}]): a TOU
 * customer whose tariff changes inside the billing period is split by the
 * meter's TOU registers, hand-computed against the pro-rata split; annual
 * tiers with TOU across 1 January; every rule and loader error.
 *
 * JSON in this file is written with single quotes; tu_sq() turns them into
 * double quotes before the text is loaded.
 */
#include "test.h"
#include "tariff_util.h"
#include "bill/tariff.h"

/* tariff_fast.c (internal): which path computed the last bill */
int billi_bill_used_fast(const bill_bill *b);

static bill_usage *U;
static bill_bill *B;

static bill_date day(const char *s)
{
    bill_date d = {0};
    if (bill_date_parse(&d, s, (size_t)-1) != BILL_OK)
        TEST_FAIL_("bad date %s", s);
    return d;
}

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
    } while (0)

/* The usage loads, and computing fails with `code` and a message containing `want`. */
static void compute_fails(const bill_tariff *t, const char *usage_text, int code,
                          const char *want)
{
    CHECK_OK(tu_usage(U, usage_text));
    CHECK_ERR(bill_tariff_compute(t, U, B), code);
    if (strstr(bill_errmsg(), want) == NULL)
        TEST_FAIL_("message \"%s\" does not contain \"%s\"", bill_errmsg(), want);
    else
        test_passed++;
    CHECK_INT(bill_bill_line_count(B), 0);
}

/* Loading fails with `code` and a message containing `want` (a JSON path). */
static void load_fails(const char *usage_text, int code, const char *want)
{
    CHECK_ERR(tu_usage(U, usage_text), code);
    if (strstr(bill_errmsg(), want) == NULL)
        TEST_FAIL_("message \"%s\" does not contain \"%s\"", bill_errmsg(), want);
    else
        test_passed++;
}

#define HEAD                                                                                  \
    "{'format': 'libbill-tariff/1', 'id': 't', 'name': 'test', 'currency': 'CNY', "          \
    "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}, "                         \
    "'price_basis': 'vat_inclusive', 'versions': ["
#define TOU3(eff, peak, flat, valley)                                                         \
    "{'effective': '" eff "', 'charges': [{'id': 'energy', 'type': 'energy', 'tou': "        \
    "{'prices': {'peak': '" peak "', 'flat': '" flat "', 'valley': '" valley "'}}}, "        \
    "{'id': 'fund', 'type': 'per_kwh', 'price': '0.02'}]}"

/* A commercial TOU tariff whose prices change on 2025-07-01. */
#define COMMERCIAL                                                                            \
    HEAD TOU3("2020-01-01", "1.00", "0.60", "0.30") ", "                                     \
    TOU3("2025-07-01", "1.20", "0.70", "0.35") "]}"

#define PERIOD "'period': '2025-06-16/2025-07-16', "
#define TOU_KWH "'tou_kwh': {'peak': '300', 'flat': '200', 'valley': '100'}"

static void test_commercial_split(void)
{
    bill_tariff *t = tu_load(COMMERCIAL);
    /* 15 + 15 days. By the registers on 2025-07-01: 120 / 90 / 40 before, the rest after. */
    CHECK_OK(tu_usage(U, "{" PERIOD TOU_KWH ", 'readings': [{'date': '2025-07-01', 'tou_kwh': "
                   "{'peak': '120', 'flat': '90', 'valley': '40'}}]}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(billi_bill_used_fast(B), 0);
    CHECK_INT(bill_bill_line_count(B), 8);
    CHECK_LINE(0, "peak", "120", "1.00", "120.00");
    CHECK_LINE(1, "flat", "90", "0.60", "54.00");
    CHECK_LINE(2, "valley", "40", "0.30", "12.00");
    CHECK_LINE(3, "", "250", "0.02", "5.00");
    CHECK_LINE(4, "peak", "180", "1.20", "216.00");
    CHECK_LINE(5, "flat", "110", "0.70", "77.00");
    CHECK_LINE(6, "valley", "60", "0.35", "21.00");
    CHECK_LINE(7, "", "350", "0.02", "7.00");
    CHECK_TOTAL("512.00");
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, 4));
    CHECK_INT(bill_date_cmp(v.segment.start, day("2025-07-01")), 0);

    /* without readings: pro rata by days (at the split scale, 2), 150 / 100 / 50 on each side */
    CHECK_OK(tu_usage(U, "{" PERIOD TOU_KWH "}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(bill_bill_line_count(B), 8);
    CHECK_LINE(0, "peak", "150.00", "1.00", "150.00");
    CHECK_LINE(1, "flat", "100.00", "0.60", "60.00");
    CHECK_LINE(2, "valley", "50.00", "0.30", "15.00");
    CHECK_LINE(3, "", "300.00", "0.02", "6.00");
    CHECK_LINE(4, "peak", "150.00", "1.20", "180.00");
    CHECK_LINE(5, "flat", "100.00", "0.70", "70.00");
    CHECK_LINE(6, "valley", "50.00", "0.35", "17.50");
    CHECK_LINE(7, "", "300.00", "0.02", "6.00");
    CHECK_TOTAL("504.50");

    /* a total reading on the same date is a check: it must equal the TOU sum (250) */
    CHECK_OK(tu_usage(U, "{" PERIOD "'kwh': '600', " TOU_KWH ", 'readings': [{'date': '2025-07-01', "
                   "'kwh': '250', 'tou_kwh': {'peak': '120', 'flat': '90', 'valley': '40'}}]}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(3, "", "250", "0.02", "5.00");
    CHECK_TOTAL("512.00");

    /* readings at their own scale; the rest at the difference's scale */
    CHECK_OK(tu_usage(U, "{" PERIOD "'tou_kwh': {'peak': '300', 'flat': '200.5', 'valley': '100'}, "
                   "'readings': [{'date': '2025-07-01', 'tou_kwh': {'peak': '120.25', "
                   "'flat': '90', 'valley': '0'}}]}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "peak", "120.25", "1.00", "120.25");
    CHECK_LINE(2, "valley", "0", "0.30", "0.00");
    CHECK_LINE(3, "", "210.25", "0.02", "4.21"); /* 4.205 half up */
    CHECK_LINE(4, "peak", "179.75", "1.20", "215.70");
    CHECK_LINE(5, "flat", "110.5", "0.70", "77.35");
    CHECK_LINE(6, "valley", "100", "0.35", "35.00");
    CHECK_LINE(7, "", "390.25", "0.02", "7.81"); /* 7.805 half up */

    /* the setter gives the same bill as the JSON */
    bill_usage_reset(U);
    bill_dec k = BILL_DEC_INIT;
    CHECK_OK(bill_usage_set_period(U, (bill_period){day("2025-06-16"), day("2025-07-16")}));
    bill_dec_set_i64(&k, 300, 0);
    CHECK_OK(bill_usage_set_tou_kwh(U, "peak", &k));
    bill_dec_set_i64(&k, 200, 0);
    CHECK_OK(bill_usage_set_tou_kwh(U, "flat", &k));
    bill_dec_set_i64(&k, 100, 0);
    CHECK_OK(bill_usage_set_tou_kwh(U, "valley", &k));
    bill_dec_set_i64(&k, 40, 0);
    CHECK_OK(bill_usage_set_tou_reading(U, day("2025-07-01"), "valley", &k));
    bill_dec_set_i64(&k, 1, 0);
    CHECK_OK(bill_usage_set_tou_reading(U, day("2025-07-01"), "peak", &k));
    bill_dec_set_i64(&k, 120, 0);
    CHECK_OK(bill_usage_set_tou_reading(U, day("2025-07-01"), "peak", &k)); /* replaces */
    bill_dec_set_i64(&k, 90, 0);
    CHECK_OK(bill_usage_set_tou_reading(U, day("2025-07-01"), "flat", &k));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "peak", "120", "1.00", "120.00");
    CHECK_LINE(6, "valley", "60", "0.35", "21.00");
    CHECK_TOTAL("512.00");
    /* reset forgets them: pro rata again */
    bill_usage_reset(U);
    CHECK_OK(bill_usage_set_period(U, (bill_period){day("2025-06-16"), day("2025-07-16")}));
    bill_dec_set_i64(&k, 300, 0);
    CHECK_OK(bill_usage_set_tou_kwh(U, "peak", &k));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "peak", "150.00", "1.00", "150.00");
    bill_dec_clear(&k);
    bill_tariff_free(t);
}

#define TOU2(eff, peak, valley)                                                               \
    "{'effective': '" eff "', 'charges': [{'id': 'energy', 'type': 'energy', 'tou': "        \
    "{'prices': {'peak': '" peak "', 'valley': '" valley "'}}}]}"

static void test_three_segments(void)
{
    /* 15 + 10 + 5 days; a reading on the first change only: the rest by days (10:5) */
    bill_tariff *t = tu_load(HEAD TOU2("2020-01-01", "1.00", "0.30") ", "
                            TOU2("2025-07-01", "1.20", "0.35") ", "
                            TOU2("2025-07-11", "1.50", "0.40") "]}");
    CHECK_OK(tu_usage(U, "{" PERIOD "'tou_kwh': {'peak': '300', 'valley': '100'}, 'readings': "
                   "[{'date': '2025-07-01', 'tou_kwh': {'peak': '120', 'valley': '40'}}]}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(bill_bill_line_count(B), 6);
    CHECK_LINE(0, "peak", "120", "1.00", "120.00");
    CHECK_LINE(1, "valley", "40", "0.30", "12.00");
    CHECK_LINE(2, "peak", "120.00", "1.20", "144.00"); /* shared by days: the split scale */
    CHECK_LINE(3, "valley", "40.00", "0.35", "14.00");
    CHECK_LINE(4, "peak", "60.00", "1.50", "90.00");
    CHECK_LINE(5, "valley", "20.00", "0.40", "8.00");
    CHECK_TOTAL("388.00");
    /* readings on both changes, set out of order through the setter */
    bill_dec k = BILL_DEC_INIT;
    bill_dec_set_i64(&k, 250, 0);
    CHECK_OK(bill_usage_set_tou_reading(U, day("2025-07-11"), "peak", &k));
    bill_dec_set_i64(&k, 90, 0);
    CHECK_OK(bill_usage_set_tou_reading(U, day("2025-07-11"), "valley", &k));
    bill_dec_set_i64(&k, 100, 0);
    CHECK_OK(bill_usage_set_tou_reading(U, day("2025-07-01"), "peak", &k));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "peak", "100", "1.00", "100.00");
    CHECK_LINE(2, "peak", "150", "1.20", "180.00");
    CHECK_LINE(3, "valley", "50", "0.35", "17.50");
    CHECK_LINE(4, "peak", "50", "1.50", "75.00");
    CHECK_LINE(5, "valley", "10", "0.40", "4.00");
    /* decreasing from one date to the next */
    bill_dec_set_i64(&k, 30, 0);
    CHECK_OK(bill_usage_set_tou_reading(U, day("2025-07-11"), "valley", &k));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK_STR(bill_errmsg(), "bill: the reading of TOU register 'valley' on 2025-07-11 (30) is "
                             "below its reading on 2025-07-01 (40)");
    CHECK_INT(bill_bill_line_count(B), 0);
    bill_dec_clear(&k);
    bill_tariff_free(t);
}

static void test_annual_tiers_new_year(void)
{
    bill_tariff *t = tu_load(
        HEAD "{'effective': '2020-01-01', 'charges': [{'id': 'energy', 'type': 'energy', "
        "'tou': {'prices': {'peak': '0.60', 'valley': '0.30'}}, 'tiers': {'basis': 'annual', "
        "'boundary': 'lower', 'thresholds': ['3120', '4800'], "
        "'increments': ['0', '0.05', '0.30']}}]}]}");
    /* 16 days of December, 15 of January. By the registers: 200 + 100 in December, so
     * 3000 + 300 crosses 3120 (180 kWh in tier 2); January starts the year again. */
    CHECK_OK(tu_usage(U, "{'period': '2025-12-16/2026-01-16', 'ytd_kwh': '3000', 'tou_kwh': "
                   "{'peak': '300', 'valley': '200'}, 'readings': [{'date': '2026-01-01', "
                   "'tou_kwh': {'peak': '200', 'valley': '100'}}]}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(bill_bill_line_count(B), 5);
    CHECK_LINE(0, "peak", "200", "0.60", "120.00");
    CHECK_LINE(1, "valley", "100", "0.30", "30.00");
    CHECK_LINE(2, "tier 2", "180", "0.05", "9.00");
    CHECK_LINE(3, "peak", "100", "0.60", "60.00");
    CHECK_LINE(4, "valley", "100", "0.30", "30.00");
    CHECK_TOTAL("249.00");
    /* pro rata (16:15 at the split scale 2, largest fractions): peak 154.84 / 145.16,
     * valley 103.23 / 96.77; 3000 + 258.07 puts 138.07 kWh in tier 2 */
    CHECK_OK(tu_usage(U, "{'period': '2025-12-16/2026-01-16', 'ytd_kwh': '3000', 'tou_kwh': "
                   "{'peak': '300', 'valley': '200'}}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(bill_bill_line_count(B), 5);
    CHECK_LINE(0, "peak", "154.84", "0.60", "92.90");
    CHECK_LINE(1, "valley", "103.23", "0.30", "30.97");
    CHECK_LINE(2, "tier 2", "138.07", "0.05", "6.90");
    CHECK_LINE(3, "peak", "145.16", "0.60", "87.10");
    CHECK_LINE(4, "valley", "96.77", "0.30", "29.03");
    CHECK_TOTAL("246.90");
    /* 1 January is a split date only for annual tiers */
    compute_fails(t, "{'period': '2025-12-16/2026-01-16', 'tou_kwh': {'peak': '3', 'valley': "
                     "'2'}, 'readings': [{'date': '2025-12-31', 'tou_kwh': {'peak': '1', "
                     "'valley': '1'}}]}",
                  BILL_ERULE, "the reading on 2025-12-31 is not at a tariff change (or new year)");
    bill_tariff_free(t);
}

static void test_rules(void)
{
    bill_tariff *t = tu_load(COMMERCIAL);
    /* not at a split date */
    compute_fails(t, "{" PERIOD TOU_KWH ", 'readings': [{'date': '2025-06-30', 'tou_kwh': "
                     "{'peak': '120', 'flat': '90', 'valley': '40'}}]}",
                  BILL_ERULE, "the reading on 2025-06-30 is not at a tariff change");
    /* a register missing: an error, never pro rata */
    compute_fails(t, "{" PERIOD TOU_KWH ", 'readings': [{'date': '2025-07-01', 'tou_kwh': "
                     "{'peak': '120', 'flat': '90'}}]}",
                  BILL_ERULE, "the reading on 2025-07-01 has no value for TOU register 'valley'");
    /* a register the usage has no kWh for */
    compute_fails(t, "{" PERIOD TOU_KWH ", 'readings': [{'date': '2025-07-01', 'tou_kwh': "
                     "{'peak': '120', 'flat': '90', 'valley': '40', 'critical': '0'}}]}",
                  BILL_ERULE, "the reading on 2025-07-01 gives TOU register 'critical', which "
                              "has no TOU kWh in the usage");
    /* above the register's kWh of the period */
    compute_fails(t, "{" PERIOD TOU_KWH ", 'readings': [{'date': '2025-07-01', 'tou_kwh': "
                     "{'peak': '300.5', 'flat': '90', 'valley': '40'}}]}",
                  BILL_ERULE, "the reading of TOU register 'peak' on 2025-07-01 (300.5) is above "
                              "the register's kWh of the period (300)");
    /* the total reading disagrees with its TOU registers */
    compute_fails(t, "{" PERIOD TOU_KWH ", 'readings': [{'date': '2025-07-01', 'kwh': '251', "
                     "'tou_kwh': {'peak': '120', 'flat': '90', 'valley': '40'}}]}",
                  BILL_ERULE, "the reading on 2025-07-01 gives 251 kWh in total, but its TOU "
                              "registers add up to 250");
    /* a total reading alone with TOU kWh */
    compute_fails(t, "{" PERIOD TOU_KWH ", 'readings': [{'date': '2025-07-01', 'kwh': '250'}]}",
                  BILL_ERULE, "the reading on 2025-07-01 gives the total kWh only");
    /* TOU readings without TOU kWh */
    compute_fails(t, "{" PERIOD "'kwh': '600', 'readings': [{'date': '2025-07-01', 'tou_kwh': "
                     "{'peak': '120'}}]}",
                  BILL_ERULE, "the reading on 2025-07-01 gives TOU registers, but the usage has "
                              "no TOU kWh");
    /* TOU readings with interval data */
    bill_usage_reset(U);
    CHECK_OK(bill_usage_set_period(U, (bill_period){day("2025-06-16"), day("2025-06-17")}));
    bill_dec iv[24], k = BILL_DEC_INIT;
    for (int i = 0; i < 24; i++)
        bill_dec_init(&iv[i]);
    bill_datetime start;
    CHECK_OK(bill_datetime_make(&start, day("2025-06-16"), 0, 0));
    CHECK_OK(bill_usage_set_intervals(U, start, 60, iv, 24));
    CHECK_OK(bill_usage_set_tou_reading(U, day("2025-07-01"), "peak", &k));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "interval data replaces TOU kWh and readings") != NULL);
    bill_dec_clear(&k);
    bill_tariff_free(t);
}

static void test_setter_errors(void)
{
    bill_dec k = BILL_DEC_INIT;
    bill_date d = day("2025-07-01");
    bill_usage_reset(U);
    CHECK_ERR(bill_usage_set_tou_reading(NULL, d, "peak", &k), BILL_EINVAL);
    CHECK_ERR(bill_usage_set_tou_reading(U, d, NULL, &k), BILL_EINVAL);
    CHECK_ERR(bill_usage_set_tou_reading(U, d, "peak", NULL), BILL_EINVAL);
    CHECK_ERR(bill_usage_set_tou_reading(U, d, "pe ak", &k), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "'pe ak'") != NULL);
    CHECK_ERR(bill_usage_set_tou_reading(U, d, "", &k), BILL_ESYNTAX);
    CHECK_ERR(bill_usage_set_tou_reading(U, (bill_date){-99999999}, "peak", &k), BILL_EDATE);
    bill_dec_set_i64(&k, -1, 0);
    CHECK_ERR(bill_usage_set_tou_reading(U, d, "peak", &k), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "a TOU reading must not be negative") != NULL);
    CHECK_OK(bill_dec_parse(&k, "1.0000000000001", (size_t)-1));
    CHECK_ERR(bill_usage_set_tou_reading(U, d, "peak", &k), BILL_ERANGE);
    /* 8 registers on a date, 8 dates */
    bill_dec_set_i64(&k, 1, 0);
    char name[16];
    for (int i = 0; i < BILL_TARIFF_MAX_TOU; i++) {
        snprintf(name, sizeof name, "p%d", i);
        CHECK_OK(bill_usage_set_tou_reading(U, d, name, &k));
    }
    CHECK_OK(bill_usage_set_tou_reading(U, d, "p3", &k)); /* replacing needs no new slot */
    CHECK_ERR(bill_usage_set_tou_reading(U, d, "p8", &k), BILL_ERANGE);
    for (int i = 1; i < 8; i++)
        CHECK_OK(bill_usage_set_tou_reading(U, (bill_date){d.day + i}, "peak", &k));
    CHECK_ERR(bill_usage_set_tou_reading(U, (bill_date){d.day + 8}, "peak", &k), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "at most 8 dates") != NULL);
    CHECK_OK(bill_usage_set_tou_reading(U, (bill_date){d.day + 7}, "valley", &k));
    bill_dec_clear(&k);
}

static void test_json(void)
{
    /* what the loader keeps: the reading splits as its setter would */
    bill_tariff *t = tu_load(COMMERCIAL);
    CHECK_OK(tu_usage(U, "{" PERIOD TOU_KWH ", 'readings': [{'date': '2025-07-01', 'tou_kwh': "
                   "{'peak': 120, 'flat': 90, 'valley': '40'}}]}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_TOTAL("512.00");
    bill_tariff_free(t);
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01'}]}", BILL_ESYNTAX,
               "$.readings[0]");
    CHECK(strstr(bill_errmsg(), "a reading needs \"kwh\"") != NULL);
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01', 'tou_kwh': {}}]}", BILL_ESYNTAX,
               "$.readings[0].tou_kwh");
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01', 'tou_kwh': ['1']}]}",
               BILL_ESYNTAX, "$.readings[0].tou_kwh");
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01', 'tou_kwh': {'peak': '-1'}}]}",
               BILL_ERANGE, "$.readings[0].tou_kwh.peak");
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01', 'tou_kwh': {'pe ak': '1'}}]}",
               BILL_ESYNTAX, "$.readings[0].tou_kwh");
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01', 'tou_kwh': {'peak': 'x'}}]}",
               BILL_ESYNTAX, "$.readings[0].tou_kwh.peak");
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01', 'tou_kwh': {'peak': '1'}}, "
               "{'date': '2025-07-01', 'kwh': '1'}]}", BILL_ECONFLICT, "$.readings[1]");
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01', 'kwh': '1'}, "
               "{'date': '2025-07-01', 'tou_kwh': {'peak': '1'}}]}", BILL_ECONFLICT,
               "$.readings[1]");
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01', 'tou': {'peak': '1'}}]}",
               BILL_ESYNTAX, "$.readings[0]");
    load_fails("{" PERIOD "'readings': [{'date': '2025-07-01', 'tou_kwh': {'a': 1, 'b': 1, "
               "'c': 1, 'd': 1, 'e': 1, 'f': 1, 'g': 1, 'h': 1, 'i': 1}}]}", BILL_ERANGE,
               "$.readings[0].tou_kwh");
    /* a failed load leaves the usage reset: no readings are left over */
    CHECK_ERR(bill_tariff_compute(t = tu_load(COMMERCIAL), U, B), BILL_ESTATE);
    bill_tariff_free(t);
}

void suite_tariff_tou_readings(void)
{
    CHECK_OK(bill_usage_create(&U));
    CHECK_OK(bill_bill_create(&B));
    RUN(test_commercial_split);
    RUN(test_three_segments);
    RUN(test_annual_tiers_new_year);
    RUN(test_rules);
    RUN(test_setter_errors);
    RUN(test_json);
    bill_usage_free(U);
    bill_bill_free(B);
    U = NULL;
    B = NULL;
}
