/*
 * Tests for interval data, demand charges by TOU period and demand ratchets:
 * hand-computed bills for the US example tariff, interval assignment at
 * period boundaries, day types from a calendar, coverage errors, a split at
 * a version change, loader rejections.
 *
 * JSON in this file is written with single quotes; tu_sq() turns them into
 * double quotes before the text is loaded.
 */
#include "test.h"
#include "tariff_util.h"
#include "bill/tariff.h"

static bill_usage *U;
static bill_bill *B;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

static bill_tariff *load_us(void)
{
    /* BILL_TEST_DATA is <repository>/tests/data (which need not exist) */
    char path[1024];
    size_t root = strlen(BILL_TEST_DATA) - strlen("/tests/data");
    snprintf(path, sizeof path, "%.*s/examples/tariffs/us-tou-demand.json", (int)root,
             BILL_TEST_DATA);
    char *j = slurp(path);
    bill_tariff *t = NULL;
    CHECK(j != NULL);
    if (j)
        CHECK_OK(bill_tariff_load(&t, j, (size_t)-1, "us-tou-demand.json"));
    free(j);
    return t;
}

#define CHECK_LINE(i, charge_, band_, qty, price, amt)                                        \
    do {                                                                                      \
        bill_line_view v_;                                                                    \
        int rc_l_ = bill_bill_line(&v_, B, (i));                                              \
        CHECK_INT(rc_l_, BILL_OK);                                                            \
        if (rc_l_ == BILL_OK) {                                                               \
            CHECK_STR(v_.charge, charge_);                                                    \
            CHECK_STR(v_.band, band_);                                                        \
            CHECK_STR(tu_dstr(v_.quantity), qty);                                                \
            CHECK_STR(tu_dstr(v_.unit_price), price);                                            \
            CHECK_STR(tu_dstr(v_.amount), amt);                                                  \
        }                                                                                     \
    } while (0)

#define CHECK_TOTAL(want)                                                                     \
    do {                                                                                      \
        bill_dec t_ = BILL_DEC_INIT;                                                          \
        CHECK_OK(bill_bill_total(&t_, B));                                                    \
        CHECK_STR(tu_dstr(&t_), want);                                                           \
        bill_dec_clear(&t_);                                                                  \
    } while (0)

#define CHECK_EXPLAIN(i, want)                                                                \
    do {                                                                                      \
        char *e_ = bill_bill_line_explain(B, (i));                                            \
        CHECK_STR(e_, want);                                                                  \
        bill_free(e_);                                                                        \
    } while (0)

#define CHECK_MSG(want)                                                                       \
    do {                                                                                      \
        if (strstr(bill_errmsg(), (want)))                                                    \
            test_passed++;                                                                    \
        else                                                                                  \
            TEST_FAIL_("message \"%s\" does not contain \"%s\"", bill_errmsg(), (want));      \
    } while (0)

static bill_dec D(const char *s)
{
    bill_dec d = BILL_DEC_INIT;
    if (bill_dec_parse(&d, s, (size_t)-1) != BILL_OK)
        abort();
    return d;
}

static bill_date DATE(const char *s)
{
    bill_date d;
    if (bill_date_parse(&d, s, (size_t)-1) != BILL_OK)
        abort();
    return d;
}

static bill_datetime DT(const char *s)
{
    bill_datetime t;
    if (bill_datetime_parse(&t, s, (size_t)-1) != BILL_OK)
        abort();
    return t;
}

/* Intervals of one value each, with exceptions v[i] at index idx[i]. */
static int set_iv(const char *start, int minutes, size_t n, const char *value, size_t nx,
                  const size_t *idx, const char *const *v)
{
    bill_dec *kwh = calloc(n ? n : 1, sizeof *kwh);
    if (!kwh)
        abort();
    for (size_t i = 0; i < n; i++)
        kwh[i] = D(value);
    for (size_t k = 0; k < nx; k++) {
        bill_dec_clear(&kwh[idx[k]]);
        kwh[idx[k]] = D(v[k]);
    }
    int rc = bill_usage_set_intervals(U, DT(start), minutes, kwh, n);
    for (size_t i = 0; i < n; i++)
        bill_dec_clear(&kwh[i]);
    free(kwh);
    return rc;
}

static void set_period(const char *from, const char *to)
{
    bill_usage_reset(U);
    CHECK_OK(bill_usage_set_period(U, (bill_period){DATE(from), DATE(to)}));
}

/* ---- the US example, hand-computed ----------------------------------------------------- */

#define US_USAGE(md, priors)                                                                  \
    "{'period': '2025-07-01/2025-08-01', 'class': 'commercial', "                            \
    "'tou_kwh': {'on_peak': '52000', 'mid_peak': '61000', 'off_peak': '87000'}, "           \
    "'tou_max_demand_kw': {'on_peak': '365.5', 'mid_peak': '340'}, "                         \
    "'max_demand_kw': '" md "', 'prior_peaks_kw': [" priors "]}"
#define US_PRIORS                                                                             \
    "{'month': '2024-07', 'kw': '700'}, {'month': '2025-01', 'kw': '520'}, "                 \
    "{'month': '2025-06', 'kw': '480'}"

static void test_us_ratchet_governs(void)
{
    bill_tariff *t = load_us();
    CHECK_OK(tu_usage(U, US_USAGE("380", US_PRIORS)));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(bill_bill_line_count(B), 6);
    CHECK_LINE(0, "customer", "", "1", "45.00", "45.00");
    CHECK_LINE(1, "energy", "on_peak", "52000", "0.2250", "11700.00");
    CHECK_LINE(2, "energy", "mid_peak", "61000", "0.1400", "8540.00");
    CHECK_LINE(3, "energy", "off_peak", "87000", "0.0850", "7395.00");
    /* 365.5 × 18.50 = 6761.75; the mid-peak register is not priced */
    CHECK_LINE(4, "on_peak_demand", "on_peak", "365.5", "18.50", "6761.75");
    CHECK_EXPLAIN(4, "Maximum demand in on_peak 365.5 kW at 18.50 a kW a month for 2025-07");
    /* 2024-07 is 12 months back: outside the 11-month window; 80 % of 520 = 416 > 380 */
    CHECK_LINE(5, "facilities", "", "416", "6.20", "2579.20");
    CHECK_EXPLAIN(5, "Billing demand 416 kW = 80% of the 520 kW peak of 2025-01 (this period's "
                     "peak 380 kW): 416 kW at 6.20 a kW a month for 2025-07");
    CHECK_TOTAL("37020.95");
    bill_tariff_free(t);
}

static void test_us_ratchet_not_governing(void)
{
    bill_tariff *t = load_us();
    CHECK_OK(tu_usage(U, US_USAGE("450", US_PRIORS)));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(5, "facilities", "", "450", "6.20", "2790.00");
    CHECK_EXPLAIN(5, "Billing demand 450 kW = this period's peak (not below 80% of the 520 kW "
                     "peak of 2025-01): 450 kW at 6.20 a kW a month for 2025-07");
    CHECK_TOTAL("37231.75");
    /* the window's first month counts: 2024-08 is 11 months before 2025-07 */
    CHECK_OK(tu_usage(U, US_USAGE("450", "{'month': '2024-08', 'kw': '600'}, "
                                   "{'month': '2024-07', 'kw': '900'}")));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(5, "facilities", "", "480", "6.20", "2976.00");
    /* a peak of the billing month itself or later is not a prior peak */
    CHECK_OK(tu_usage(U, US_USAGE("450", "{'month': '2025-07', 'kw': '900'}")));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(5, "facilities", "", "450", "6.20", "2790.00");
    CHECK_EXPLAIN(5, "Billing demand 450 kW = this period's peak: 450 kW at 6.20 a kW a month "
                     "for 2025-07");
    bill_tariff_free(t);
}

static void test_us_minimum(void)
{
    bill_tariff *t = load_us();
    /* a small month: energy 22.50 + 14.00 + 8.50, on-peak demand 2 × 18.50, the
     * facilities demand at the 50 kW minimum 310.00: 45 + 45 + 37 + 310 = 437 < 500 */
    CHECK_OK(tu_usage(U, "{'period': '2025-07-01/2025-08-01', "
                   "'tou_kwh': {'on_peak': '100', 'mid_peak': '100', 'off_peak': '100'}, "
                   "'tou_max_demand_kw': {'on_peak': '2'}, 'max_demand_kw': '3'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(bill_bill_line_count(B), 7);
    CHECK_LINE(4, "on_peak_demand", "on_peak", "2", "18.50", "37.00");
    CHECK_LINE(5, "facilities", "", "50", "6.20", "310.00");
    CHECK_EXPLAIN(5, "Billing demand 50 kW = the minimum of 50 kW (this period's peak 3 kW): "
                     "50 kW at 6.20 a kW a month for 2025-07");
    CHECK_LINE(6, "minimum", "", "1", "63.00", "63.00");
    CHECK_TOTAL("500.00");
    /* no on-peak demand at all: BILL_ERULE naming the period */
    CHECK_OK(tu_usage(U, "{'period': '2025-07-01/2025-08-01', "
                   "'tou_kwh': {'on_peak': '100', 'mid_peak': '100', 'off_peak': '100'}, "
                   "'max_demand_kw': '3'}"));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK_MSG("on_peak");
    bill_tariff_free(t);
}

/* The US example billed from a month of 15-minute intervals: July 4 is a holiday. */
static void test_us_intervals_holiday(void)
{
    bill_tariff *t = load_us();
    bill_calendar *cal = NULL;
    set_period("2025-07-01", "2025-08-01");
    /* 1 kWh every 15 minutes (4 kW), 5 kWh (20 kW) at 2025-07-04T13:00 and 3 kWh
     * (12 kW) at 2025-07-07T12:00 (a Monday) */
    size_t idx[2] = {3 * 96 + 52, 6 * 96 + 48};
    const char *v[2] = {"5", "3"};
    CHECK_OK(set_iv("2025-07-01T00:00", 15, 31 * 96, "1", 2, idx, v));
    CHECK_INT(bill_usage_interval_count(U), 31 * 96);
    CHECK_OK(bill_tariff_compute(t, U, B));
    /* without a calendar, 2025-07-04 (a Friday) is a working day: 23 working days of 24
     * on-peak, 32 mid-peak and 40 off-peak intervals, 8 weekend days of 96 */
    CHECK_LINE(1, "energy", "on_peak", "558", "0.2250", "125.55");
    CHECK_LINE(2, "energy", "mid_peak", "736", "0.1400", "103.04");
    CHECK_LINE(3, "energy", "off_peak", "1688", "0.0850", "143.48");
    CHECK_LINE(4, "on_peak_demand", "on_peak", "20", "18.50", "370.00");
    CHECK_LINE(5, "facilities", "", "50", "6.20", "310.00");
    CHECK_OK(bill_calendar_create(&cal));
    CHECK_OK(bill_calendar_add_holiday(cal, DATE("2025-07-04"), "Independence Day"));
    CHECK_OK(bill_usage_set_calendar(U, cal));
    CHECK_OK(bill_tariff_compute(t, U, B));
    /* the holiday is off-peak all day: its 24 + 4 on-peak and 32 mid-peak kWh move */
    CHECK_LINE(1, "energy", "on_peak", "530", "0.2250", "119.25");
    CHECK_LINE(2, "energy", "mid_peak", "704", "0.1400", "98.56");
    CHECK_LINE(3, "energy", "off_peak", "1748", "0.0850", "148.58");
    CHECK_LINE(4, "on_peak_demand", "on_peak", "12", "18.50", "222.00");
    /* the facilities demand takes the peak of all hours: 20 kW, below the minimum */
    CHECK_EXPLAIN(5, "Billing demand 50 kW = the minimum of 50 kW (this period's peak 20 kW): "
                     "50 kW at 6.20 a kW a month for 2025-07");
    /* a demand register wins over the intervals */
    CHECK_OK(bill_usage_set_tou_max_demand_kw(U, "on_peak", &(bill_dec){15, 0, 0, NULL}));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(4, "on_peak_demand", "on_peak", "15", "18.50", "277.50");
    bill_usage_reset(U);               /* forgets the calendar before it is freed */
    bill_calendar_free(cal);
    bill_tariff_free(t);
}

/* ---- intervals against schedules ------------------------------------------------------ */

#define SCHED_TARIFF(gran, on_from, on_to)                                                    \
    "{'format': 'libbill-tariff/1', 'id': 't', 'currency': 'USD', "                          \
    "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}, "                          \
    "'price_basis': 'vat_inclusive', 'versions': [{'effective': '2020-01-01', "               \
    "'schedules': {'s': {'granularity': " gran ", 'seasons': ["                              \
    "{'months': [1,2,3,4,5,6,7,8,9,10,11,12], 'day_types': ['working'], 'periods': ["       \
    "{'from': '00:00', 'to': '" on_from "', 'period': 'off'}, "                              \
    "{'from': '" on_from "', 'to': '" on_to "', 'period': 'on'}, "                           \
    "{'from': '" on_to "', 'to': '24:00', 'period': 'off'}]}, "                              \
    "{'months': [1,2,3,4,5,6,7,8,9,10,11,12], 'day_types': ['weekend', 'holiday'], "        \
    "'periods': [{'from': '00:00', 'to': '24:00', 'period': 'off'}]}]}}, "                   \
    "'charges': [{'id': 'energy', 'type': 'energy', "                                        \
    "'tou': {'schedule': 's', 'prices': {'on': '0.20', 'off': '0.10'}}}, "                   \
    "{'id': 'dem', 'type': 'demand', 'basis': 'actual', 'schedule': 's', "                   \
    "'prices': {'on': '10', 'off': '1'}}, "                                                  \
    "{'id': 'fac', 'type': 'demand', 'basis': 'actual', 'price': '2'}]}]}"

static void test_boundaries_15min_hourly_schedule(void)
{
    bill_tariff *t = tu_load(SCHED_TARIFF("60", "08:00", "18:00"));
    set_period("2025-07-01", "2025-07-02");          /* a Tuesday */
    /* 07:45 (index 31) is off-peak, 08:00 (index 32) on-peak */
    size_t idx[2] = {31, 32};
    const char *v[2] = {"1", "2"};
    CHECK_OK(set_iv("2025-07-01T00:00", 15, 96, "0.25", 2, idx, v));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "energy", "on", "11.75", "0.20", "2.35");   /* 39 × 0.25 + 2 */
    CHECK_LINE(1, "energy", "off", "14.75", "0.10", "1.48");  /* 55 × 0.25 + 1 */
    /* 2 kWh in 15 min = 8 kW; a monthly demand charge for 1 of July's 31 days:
     * 8 × 10 / 31 = 2.58, 4 × 1 / 31 = 0.13, 8 × 2 / 31 = 0.52 */
    CHECK_LINE(2, "dem", "on", "8", "10", "2.58");
    CHECK_LINE(3, "dem", "off", "4", "1", "0.13");
    CHECK_LINE(4, "fac", "", "8", "2", "0.52");
    CHECK_TOTAL("7.06");
    /* hourly intervals on an hourly schedule: 08:00-09:00 is on-peak */
    size_t i8[1] = {8};
    const char *v8[1] = {"6"};
    CHECK_OK(set_iv("2025-07-01T00:00", 60, 24, "1", 1, i8, v8));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "energy", "on", "15", "0.20", "3.00");
    CHECK_LINE(1, "energy", "off", "14", "0.10", "1.40");
    CHECK_LINE(2, "dem", "on", "6", "10", "1.94");     /* 60 / 31 */
    CHECK_LINE(3, "dem", "off", "1", "1", "0.03");
    bill_tariff_free(t);
}

static void test_straddling_interval(void)
{
    bill_tariff *t = tu_load(SCHED_TARIFF("30", "08:30", "18:00"));
    set_period("2025-07-01", "2025-07-02");
    CHECK_OK(set_iv("2025-07-01T00:00", 60, 24, "1", 0, NULL, NULL));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK_MSG("interval 8 (2025-07-01T08:00, 60 minutes) straddles");
    CHECK_MSG("at 08:30");
    CHECK_INT(bill_bill_line_count(B), 0);
    /* 30-minute intervals fit the 30-minute grid */
    CHECK_OK(set_iv("2025-07-01T00:00", 30, 48, "1", 0, NULL, NULL));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "energy", "on", "19", "0.20", "3.80");
    CHECK_LINE(1, "energy", "off", "29", "0.10", "2.90");
    CHECK_LINE(2, "dem", "on", "2", "10", "0.65");     /* 20 / 31 */
    /* on a weekend the whole day is one period: hourly intervals are fine */
    set_period("2025-07-05", "2025-07-06");
    CHECK_OK(set_iv("2025-07-05T00:00", 60, 24, "1", 0, NULL, NULL));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "energy", "on", "0", "0.20", "0.00");
    CHECK_LINE(1, "energy", "off", "24", "0.10", "2.40");
    bill_tariff_free(t);
}

static void test_holiday_from_calendar(void)
{
    bill_tariff *t = tu_load(SCHED_TARIFF("60", "08:00", "18:00"));
    bill_calendar *cal = NULL;
    set_period("2025-07-01", "2025-07-02");
    CHECK_OK(set_iv("2025-07-01T00:00", 60, 24, "1", 0, NULL, NULL));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "energy", "on", "10", "0.20", "2.00");
    CHECK_OK(bill_calendar_create(&cal));
    CHECK_OK(bill_calendar_add_holiday(cal, DATE("2025-07-01"), NULL));
    CHECK_OK(bill_usage_set_calendar(U, cal));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "energy", "on", "0", "0.20", "0.00");
    CHECK_LINE(1, "energy", "off", "24", "0.10", "2.40");
    /* a Saturday declared a working day (调休) is priced as one */
    set_period("2025-07-05", "2025-07-06");
    CHECK_OK(set_iv("2025-07-05T00:00", 60, 24, "1", 0, NULL, NULL));
    CHECK_OK(bill_calendar_add_working_day(cal, DATE("2025-07-05")));
    CHECK_OK(bill_usage_set_calendar(U, cal));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "energy", "on", "10", "0.20", "2.00");
    /* without the calendar, the default rules: Saturday is a weekend */
    CHECK_OK(bill_usage_set_calendar(U, NULL));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_LINE(0, "energy", "on", "0", "0.20", "0.00");
    bill_calendar_free(cal);
    bill_tariff_free(t);
}

static void test_gaps_and_overlaps(void)
{
    bill_tariff *t = tu_load(SCHED_TARIFF("60", "08:00", "18:00"));
    set_period("2025-07-01", "2025-07-02");
    CHECK_OK(set_iv("2025-07-01T00:00", 15, 95, "1", 0, NULL, NULL));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK_MSG("gap in the interval data: interval 95 (2025-07-01T23:45)");
    CHECK_OK(set_iv("2025-07-01T00:00", 15, 97, "1", 0, NULL, NULL));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK_MSG("interval 96 (2025-07-02T00:00) lies after the period's end");
    CHECK_OK(set_iv("2025-07-01T00:15", 15, 96, "1", 0, NULL, NULL));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK_MSG("interval 0 starts at 2025-07-01T00:15");
    CHECK_OK(set_iv("2025-06-30T23:45", 15, 96, "1", 0, NULL, NULL));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK_MSG("interval 0 starts at 2025-06-30T23:45");
    /* with TOU registers, or a total that disagrees */
    CHECK_OK(set_iv("2025-07-01T00:00", 15, 96, "1", 0, NULL, NULL));
    CHECK_OK(bill_usage_set_kwh(U, &(bill_dec){95, 0, 0, NULL}));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK_MSG("the intervals add up to 96, not to the total 95");
    CHECK_OK(bill_usage_set_kwh(U, &(bill_dec){96, 0, 0, NULL}));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_OK(bill_usage_set_tou_kwh(U, "on", &(bill_dec){40, 0, 0, NULL}));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    bill_tariff_free(t);
}

static void test_split_at_version_change(void)
{
    bill_tariff *t = tu_load(
        "{'format': 'libbill-tariff/1', 'id': 't', 'currency': 'USD', "
        "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}, "
        "'price_basis': 'vat_inclusive', 'versions': ["
        "{'effective': '2020-01-01', 'charges': [{'id': 'e', 'type': 'energy', 'price': '0.10'}, "
        "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'price': '1'}]}, "
        "{'effective': '2025-07-02', 'charges': [{'id': 'e', 'type': 'energy', 'price': '0.20'}, "
        "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'price': '3'}]}]}");
    set_period("2025-07-01", "2025-07-03");
    bill_dec kwh[48];
    for (int i = 0; i < 48; i++)
        kwh[i] = (bill_dec){i < 24 ? 1 : 2, 0, 0, NULL};
    kwh[5] = (bill_dec){7, 0, 0, NULL};
    CHECK_OK(bill_usage_set_intervals(U, DT("2025-07-01T00:00"), 60, kwh, 48));
    CHECK_OK(bill_tariff_compute(t, U, B));
    /* split by the intervals (30 + 48), not pro rata by days (39 + 39) */
    CHECK_LINE(0, "e", "", "30", "0.10", "3.00");
    CHECK_LINE(1, "d", "", "7", "1", "0.23");     /* 7 kW × 1 × 1/31 of July */
    CHECK_LINE(2, "e", "", "48", "0.20", "9.60");
    CHECK_LINE(3, "d", "", "2", "3", "0.19");     /* each segment its own peak */
    CHECK_TOTAL("13.02");
    bill_tariff_free(t);
}

/* ---- usage setters and JSON ----------------------------------------------------------- */

static void test_usage_inputs(void)
{
    bill_dec one = {1, 0, 0, NULL}, neg = {-1, 0, 0, NULL};
    bill_usage_reset(U);
    CHECK_ERR(bill_usage_set_intervals(U, DT("2025-07-01T00:00"), 20, &one, 1), BILL_ERANGE);
    bill_dec two[2] = {{1, 0, 0, NULL}, {-1, 0, 0, NULL}};
    CHECK_ERR(bill_usage_set_intervals(U, DT("2025-07-01T00:00"), 15, two, 2), BILL_ERANGE);
    CHECK_MSG("interval 1 must not be negative");
    CHECK_INT(bill_usage_interval_count(U), 0);
    CHECK_ERR(bill_usage_set_intervals(U, DT("2025-07-01T00:00"), 15, NULL, 3), BILL_EINVAL);
    CHECK_ERR(bill_usage_set_tou_max_demand_kw(U, "on peak", &one), BILL_ESYNTAX);
    CHECK_ERR(bill_usage_set_tou_max_demand_kw(U, "on", &neg), BILL_ERANGE);
    CHECK_ERR(bill_usage_add_prior_peak(U, DATE("2025-01-15"), &neg), BILL_ERANGE);
    for (int i = 0; i < BILL_USAGE_MAX_PRIOR_PEAKS; i++)
        CHECK_OK(bill_usage_add_prior_peak(U, (bill_date){DATE("2020-01-01").day + 31 * i}, &one));
    CHECK_ERR(bill_usage_add_prior_peak(U, DATE("2000-01-01"), &one), BILL_ERANGE);
    CHECK_OK(bill_usage_add_prior_peak(U, DATE("2020-01-20"), &one));   /* same month: replaced */
    bill_usage_clear_prior_peaks(U);
    CHECK_OK(bill_usage_add_prior_peak(U, DATE("2000-01-01"), &one));

    CHECK_OK(tu_usage(U, "{'period': '2025-07-01/2025-07-02', 'intervals': {'start': "
                   "'2025-07-01T00:00', 'minutes': 60, 'kwh': [1, '2', '0.5']}}"));
    CHECK_INT(bill_usage_interval_count(U), 3);
    bill_usage_reset(U);
    CHECK_INT(bill_usage_interval_count(U), 0);
    CHECK_ERR(tu_usage(U, "{'period': '2025-07-01/2025-07-02', 'intervals': {'start': "
                    "'2025-07-01T00:00', 'minutes': 45, 'kwh': [1]}}"), BILL_ERANGE);
    CHECK_MSG("$.intervals.minutes");
    CHECK_ERR(tu_usage(U, "{'period': '2025-07-01/2025-07-02', 'intervals': {'start': "
                    "'2025-07-01T00:00', 'minutes': 15, 'kwh': [1, 2, 3, '-1']}}"), BILL_ERANGE);
    CHECK_MSG("$.intervals.kwh[3]");
    CHECK_ERR(tu_usage(U, "{'period': '2025-07-01/2025-07-02', 'intervals': {'start': "
                    "'2025-07-01T25:00', 'minutes': 15, 'kwh': [1]}}"), BILL_EDATE);
    CHECK_MSG("$.intervals.start");
    CHECK_ERR(tu_usage(U, "{'period': '2025-07-01/2025-07-02', 'intervals': {'start': "
                    "'2025-07-01T00:00', 'minutes': 15, 'kwh': [1], 'unit': 'kWh'}}"),
              BILL_ESYNTAX);
    CHECK_ERR(tu_usage(U, "{'period': '2025-07-01/2025-08-01', "
                    "'prior_peaks_kw': [{'month': '2025-13', 'kw': '1'}]}"), BILL_EDATE);
    CHECK_MSG("$.prior_peaks_kw[0].month");
    CHECK_ERR(tu_usage(U, "{'period': '2025-07-01/2025-08-01', 'prior_peaks_kw': ["
                    "{'month': '2025-05', 'kw': '1'}, {'month': '2025-05', 'kw': '2'}]}"),
              BILL_ECONFLICT);
    CHECK_ERR(tu_usage(U, "{'period': '2025-07-01/2025-08-01', "
                    "'tou_max_demand_kw': {'on_peak': '-3'}}"), BILL_ERANGE);
    CHECK_MSG("$.tou_max_demand_kw.on_peak");
}

static void test_loader_rejections(void)
{
#define DT_HEAD                                                                               \
    "{'format': 'libbill-tariff/1', 'id': 't', 'currency': 'USD', "                          \
    "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}, "                          \
    "'price_basis': 'vat_inclusive', 'versions': [{'effective': '2020-01-01', "               \
    "'schedules': {'s': {'granularity': 60, 'seasons': [{'months': [1,2,3,4,5,6,7,8,9,10,11,12], " \
    "'day_types': ['working', 'weekend', 'holiday'], 'periods': ["                           \
    "{'from': '00:00', 'to': '12:00', 'period': 'off'}, "                                    \
    "{'from': '12:00', 'to': '24:00', 'period': 'on'}]}]}}, 'charges': ["
#define DT_TAIL "]}]}"
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'schedule': 's', "
                   "'prices': {'on': '1', 'super': '2'}}" DT_TAIL,
           BILL_ERULE, "unknown TOU period 'super' (schedule 's' has off, on) "
                       "(at $.versions[0].charges[0].prices.super)");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', "
                   "'prices': {'on': '1'}}" DT_TAIL,
           BILL_ERULE, "$.versions[0].charges[0].prices");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'schedule': 'x', "
                   "'prices': {'on': '1'}}" DT_TAIL,
           BILL_ENOTFOUND, "$.versions[0].charges[0].schedule");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'contracted', 'schedule': 's', "
                   "'prices': {'on': '1'}}" DT_TAIL,
           BILL_ERULE, "actual basis");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'schedule': 's', "
                   "'price': '3', 'prices': {'on': '1'}}" DT_TAIL,
           BILL_ESYNTAX, "$.versions[0].charges[0].price");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'schedule': 's', "
                   "'prices': {'on': '-1'}}" DT_TAIL,
           BILL_ERANGE, "$.versions[0].charges[0].prices.on");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'price': '1', "
                   "'ratchet': {'percent': '100.5', 'months': 11}}" DT_TAIL,
           BILL_ERANGE, "$.versions[0].charges[0].ratchet.percent");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'price': '1', "
                   "'ratchet': {'percent': '-5', 'months': 11}}" DT_TAIL,
           BILL_ERANGE, "$.versions[0].charges[0].ratchet.percent");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'price': '1', "
                   "'ratchet': {'percent': '80', 'months': 0}}" DT_TAIL,
           BILL_ERANGE, "$.versions[0].charges[0].ratchet.months");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'price': '1', "
                   "'ratchet': {'percent': '80', 'months': 37}}" DT_TAIL,
           BILL_ERANGE, "$.versions[0].charges[0].ratchet.months");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'price': '1', "
                   "'ratchet': {'percent': '80', 'months': 11, 'minimum_kw': '-1'}}" DT_TAIL,
           BILL_ERANGE, "$.versions[0].charges[0].ratchet.minimum_kw");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'price': '1', "
                   "'ratchet': {'percent': '80', 'month': 11}}" DT_TAIL,
           BILL_ESYNTAX, "unknown field 'month' in ratchet at $.versions[0].charges[0].ratchet");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'contracted', 'price': '1', "
                   "'ratchet': {'percent': '80', 'months': 11}}" DT_TAIL,
           BILL_ERULE, "$.versions[0].charges[0].ratchet");
    tu_reject(DT_HEAD "{'id': 'd', 'type': 'demand', 'basis': 'actual', 'schedule': 's', "
                   "'prices': {'on': '1'}, 'ratchet': {'percent': '80', 'months': 11}}" DT_TAIL,
           BILL_ERULE, "$.versions[0].charges[0].ratchet");
    /* a TOU energy charge without a schedule cannot take interval data */
    bill_tariff *t = tu_load(DT_HEAD "{'id': 'e', 'type': 'energy', "
                                    "'tou': {'prices': {'on': '1', 'off': '2'}}}" DT_TAIL);
    set_period("2025-07-01", "2025-07-02");
    CHECK_OK(set_iv("2025-07-01T00:00", 60, 24, "1", 0, NULL, NULL));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_ERULE);
    CHECK_MSG("without a schedule");
    bill_tariff_free(t);
}

/* Billing a usage again allocates nothing new and gives the same bill. */
static void test_reuse(void)
{
    bill_tariff *t = tu_load(SCHED_TARIFF("60", "08:00", "18:00"));
    set_period("2025-07-01", "2025-08-01");
    CHECK_OK(set_iv("2025-07-01T00:00", 15, 31 * 96, "0.5", 0, NULL, NULL));
    CHECK_OK(bill_tariff_compute(t, U, B));
    char *a = bill_bill_to_json(B);
    for (int k = 0; k < 3; k++)
        CHECK_OK(bill_tariff_compute(t, U, B));
    char *b = bill_bill_to_json(B);
    CHECK(a && b && strcmp(a, b) == 0);
    bill_free(a);
    bill_free(b);
    bill_tariff_free(t);
}

void suite_tariff_demand(void)
{
    CHECK_OK(bill_usage_create(&U));
    CHECK_OK(bill_bill_create(&B));
    RUN(test_us_ratchet_governs);
    RUN(test_us_ratchet_not_governing);
    RUN(test_us_minimum);
    RUN(test_us_intervals_holiday);
    RUN(test_boundaries_15min_hourly_schedule);
    RUN(test_straddling_interval);
    RUN(test_holiday_from_calendar);
    RUN(test_gaps_and_overlaps);
    RUN(test_split_at_version_change);
    RUN(test_usage_inputs);
    RUN(test_loader_rejections);
    RUN(test_reuse);
    bill_usage_free(U);
    bill_bill_free(B);
}
