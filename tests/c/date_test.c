/* Tests for civil dates, periods and local date-times (include/bill/date.h). */
#include "test.h"

/* A date from y-m-d that the test knows is valid. */
static bill_date ymd(int y, int m, int d)
{
    bill_date out = {INT32_MIN};
    if (bill_date_from_ymd(&out, y, m, d) != BILL_OK)
        test_failed++, printf("FAIL %s: helper ymd(%d, %d, %d) rejected: %s\n", test_current, y, m, d,
               bill_errmsg());
    return out;
}

/* Format into a static buffer (one use per expression). */
static const char *fmt(bill_date d)
{
    static char buf[32];
    bill_date_format(d, buf, sizeof buf);
    return buf;
}

static const char *fmt_t(bill_datetime t)
{
    static char buf[32];
    bill_datetime_format(t, buf, sizeof buf);
    return buf;
}

static bill_datetime dt(const char *text)
{
    bill_datetime t = {INT64_MIN};
    if (bill_datetime_parse(&t, text, (size_t)-1) != BILL_OK)
        test_failed++, printf("FAIL %s: helper dt(\"%s\") rejected: %s\n", test_current, text, bill_errmsg());
    return t;
}

static void test_leap_years(void)
{
    CHECK_INT(bill_is_leap_year(2024), 1);
    CHECK_INT(bill_is_leap_year(2023), 0);
    CHECK_INT(bill_is_leap_year(2000), 1);
    CHECK_INT(bill_is_leap_year(1900), 0);
    CHECK_INT(bill_is_leap_year(2100), 0);
    CHECK_INT(bill_is_leap_year(2400), 1);
    CHECK_INT(bill_is_leap_year(4), 1);
    CHECK_INT(bill_is_leap_year(1), 0);
    CHECK_INT(bill_days_in_month(2024, 2), 29);
    CHECK_INT(bill_days_in_month(2023, 2), 28);
    CHECK_INT(bill_days_in_month(2000, 2), 29);
    CHECK_INT(bill_days_in_month(2100, 2), 28);
    CHECK_INT(bill_days_in_month(2025, 1), 31);
    CHECK_INT(bill_days_in_month(2025, 4), 30);
    CHECK_INT(bill_days_in_month(2025, 12), 31);
    CHECK_INT(bill_days_in_month(2025, 0), 0);
    CHECK_INT(bill_days_in_month(2025, 13), 0);
}

static void test_from_ymd(void)
{
    bill_date d = {12345};
    CHECK_OK(bill_date_from_ymd(&d, 1970, 1, 1));
    CHECK_INT(d.day, 0);
    CHECK_OK(bill_date_from_ymd(&d, 1969, 12, 31));
    CHECK_INT(d.day, -1);
    CHECK_OK(bill_date_from_ymd(&d, 2000, 1, 1));
    CHECK_INT(d.day, 10957);
    CHECK_OK(bill_date_from_ymd(&d, 1, 1, 1));
    CHECK_INT(d.day, -719162);
    CHECK_OK(bill_date_from_ymd(&d, 9999, 12, 31));
    CHECK_INT(d.day, 2932896);
    CHECK_OK(bill_date_from_ymd(&d, 2000, 2, 29));
    CHECK_STR(fmt(d), "2000-02-29");
    CHECK_OK(bill_date_from_ymd(&d, 2024, 2, 29));

    d.day = 777;
    CHECK_ERR(bill_date_from_ymd(&d, 2023, 2, 29), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "day 29 is past the end of February 2023") != NULL);
    CHECK_ERR(bill_date_from_ymd(&d, 2100, 2, 29), BILL_EDATE);
    CHECK_ERR(bill_date_from_ymd(&d, 2025, 4, 31), BILL_EDATE);
    CHECK_ERR(bill_date_from_ymd(&d, 2025, 0, 1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "month 0") != NULL);
    CHECK_ERR(bill_date_from_ymd(&d, 2025, 13, 1), BILL_EDATE);
    CHECK_ERR(bill_date_from_ymd(&d, 2025, 1, 0), BILL_EDATE);
    CHECK_ERR(bill_date_from_ymd(&d, 2025, 1, -3), BILL_EDATE);
    CHECK_ERR(bill_date_from_ymd(&d, 0, 12, 31), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "year 0 is out of range") != NULL);
    CHECK_ERR(bill_date_from_ymd(&d, 10000, 1, 1), BILL_EDATE);
    CHECK_ERR(bill_date_from_ymd(&d, -1, 1, 1), BILL_EDATE);
    CHECK_INT(d.day, 777); /* unchanged on failure */
    CHECK_ERR(bill_date_from_ymd(NULL, 2025, 1, 1), BILL_EINVAL);
}

static void test_to_ymd(void)
{
    int y = 0, m = 0, d = 0;
    bill_date_to_ymd(ymd(2026, 11, 24), &y, &m, &d);
    CHECK_INT(y, 2026);
    CHECK_INT(m, 11);
    CHECK_INT(d, 24);
    bill_date_to_ymd(ymd(1, 1, 1), &y, &m, &d);
    CHECK_INT(y * 10000 + m * 100 + d, 10101);
    bill_date_to_ymd(ymd(9999, 12, 31), &y, &m, &d);
    CHECK_INT(y * 10000 + m * 100 + d, 99991231);
    y = m = d = -5;
    bill_date_to_ymd(ymd(2024, 2, 29), NULL, &m, NULL);
    CHECK_INT(m, 2);
    CHECK_INT(y, -5);
    CHECK_INT(d, -5);
}

/* Every day of the range: consecutive day numbers step through the calendar. */
static void test_every_day_round_trips(void)
{
    int bad = 0, y = 1, m = 1, d = 1, wd = BILL_MONDAY;
    char buf[16];
    for (int32_t n = -719162; n <= 2932896; n++) {
        bill_date x = {n}, back = {0};
        int yy, mm, dd;
        bill_date_to_ymd(x, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d || bill_date_weekday(x) != wd)
            bad++;
        if (n % 97 == 0) { /* a sample through the text forms */
            if (bill_date_format(x, buf, sizeof buf) != 10 ||
                bill_date_parse(&back, buf, (size_t)-1) != BILL_OK || back.day != n)
                bad++;
            if (bill_date_from_ymd(&back, yy, mm, dd) != BILL_OK || back.day != n)
                bad++;
        }
        if (++d > bill_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        wd = wd == BILL_SUNDAY ? BILL_MONDAY : wd + 1;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(y, 10000); /* walked exactly to 10000-01-01 */
}

static void test_weekday_and_day_of_year(void)
{
    CHECK_INT(bill_date_weekday(ymd(2026, 11, 24)), BILL_TUESDAY);
    CHECK_INT(bill_date_weekday(ymd(1970, 1, 1)), BILL_THURSDAY);
    CHECK_INT(bill_date_weekday(ymd(1, 1, 1)), BILL_MONDAY);
    CHECK_INT(bill_date_weekday(ymd(2000, 1, 1)), BILL_SATURDAY);
    CHECK_INT(bill_date_weekday(ymd(2025, 10, 1)), BILL_WEDNESDAY);
    CHECK_INT(bill_date_weekday(ymd(2025, 9, 28)), BILL_SUNDAY);
    CHECK_INT(bill_date_weekday(ymd(1969, 12, 31)), BILL_WEDNESDAY);
    CHECK_INT(bill_date_weekday(ymd(9999, 12, 31)), BILL_FRIDAY);
    CHECK_INT(bill_date_day_of_year(ymd(2025, 1, 1)), 1);
    CHECK_INT(bill_date_day_of_year(ymd(2024, 12, 31)), 366);
    CHECK_INT(bill_date_day_of_year(ymd(2023, 12, 31)), 365);
    CHECK_INT(bill_date_day_of_year(ymd(2024, 3, 1)), 61);
    CHECK_INT(bill_date_day_of_year(ymd(2023, 3, 1)), 60);
    CHECK_INT(bill_date_day_of_year(ymd(1, 1, 1)), 1);
    CHECK_INT(bill_date_is_valid(ymd(1, 1, 1)), 1);
    CHECK_INT(bill_date_is_valid(ymd(9999, 12, 31)), 1);
    bill_date before = {-719163}, after = {2932897};
    CHECK_INT(bill_date_is_valid(before), 0);
    CHECK_INT(bill_date_is_valid(after), 0);
}

static void test_parse(void)
{
    bill_date d = {0};
    CHECK_OK(bill_date_parse(&d, "2026-11-24", (size_t)-1));
    CHECK_STR(fmt(d), "2026-11-24");
    CHECK_OK(bill_date_parse(&d, "2000-02-29", (size_t)-1));
    CHECK_INT(d.day, ymd(2000, 2, 29).day);
    CHECK_OK(bill_date_parse(&d, "0001-01-01", (size_t)-1));
    CHECK_INT(d.day, -719162);
    CHECK_OK(bill_date_parse(&d, "9999-12-31", (size_t)-1));
    CHECK_INT(d.day, 2932896);
    /* an explicit length reads only that many bytes */
    CHECK_OK(bill_date_parse(&d, "2025-10-01 holiday", 10));
    CHECK_STR(fmt(d), "2025-10-01");

    d.day = 4242;
    CHECK_ERR(bill_date_parse(&d, "2023-02-30", (size_t)-1), BILL_EDATE);
    CHECK_STR(bill_errmsg(), "date: '2023-02-30': day 30 is past the end of February 2023");
    CHECK_ERR(bill_date_parse(&d, "2023-02-29", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_date_parse(&d, "2100-02-29", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_date_parse(&d, "2025-04-31", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_date_parse(&d, "2025-13-01", (size_t)-1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "'2025-13-01'") != NULL && strstr(bill_errmsg(), "month 13") != NULL);
    CHECK_ERR(bill_date_parse(&d, "2025-00-10", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_date_parse(&d, "2025-01-00", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_date_parse(&d, "0000-12-31", (size_t)-1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "year 0 is out of range") != NULL);

    CHECK_ERR(bill_date_parse(&d, "", (size_t)-1), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "empty") != NULL);
    CHECK_ERR(bill_date_parse(&d, "2025-1-01", (size_t)-1), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "offset 6") != NULL);
    CHECK_ERR(bill_date_parse(&d, "2025-01-1", (size_t)-1), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "too short") != NULL);
    CHECK_ERR(bill_date_parse(&d, "20250101", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_date_parse(&d, "2025/01/01", (size_t)-1), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "offset 4") != NULL);
    CHECK_ERR(bill_date_parse(&d, "25-01-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_date_parse(&d, "02025-01-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_date_parse(&d, " 2025-01-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_date_parse(&d, "2025-01-01 ", (size_t)-1), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "offset 10") != NULL);
    CHECK_ERR(bill_date_parse(&d, "2025-01-01T00:00", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_date_parse(&d, "+025-01-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_date_parse(&d, "-025-01-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_date_parse(&d, "2025-0a-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_date_parse(&d, "2025-01-01", 9), BILL_ESYNTAX);
    CHECK_ERR(bill_date_parse(&d, "2025-1\0-01", 10), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "\\x00") != NULL); /* binary bytes are quoted visibly */
    CHECK_ERR(bill_date_parse(&d, "２０２５-01-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_INT(d.day, 4242); /* unchanged by every failure */
    CHECK_ERR(bill_date_parse(NULL, "2025-01-01", (size_t)-1), BILL_EINVAL);
    CHECK_ERR(bill_date_parse(&d, NULL, 0), BILL_EINVAL);
}

static void test_format(void)
{
    char buf[16];
    memset(buf, 'x', sizeof buf);
    CHECK_INT(bill_date_format(ymd(2025, 1, 5), buf, sizeof buf), 10);
    CHECK_STR(buf, "2025-01-05");
    CHECK_INT(bill_date_format(ymd(1, 1, 1), buf, sizeof buf), 10);
    CHECK_STR(buf, "0001-01-01");
    /* too small: truncated like snprintf, still terminated, full length returned */
    memset(buf, 'x', sizeof buf);
    CHECK_INT(bill_date_format(ymd(2025, 1, 5), buf, 5), 10);
    CHECK_STR(buf, "2025");
    CHECK_INT(buf[5], 'x');
    CHECK_INT(bill_date_format(ymd(2025, 1, 5), NULL, 0), 10);
}

static void test_add_days_and_diff(void)
{
    bill_date d = {0};
    CHECK_OK(bill_date_add_days(&d, ymd(2024, 2, 28), 1));
    CHECK_STR(fmt(d), "2024-02-29");
    CHECK_OK(bill_date_add_days(&d, ymd(2023, 2, 28), 1));
    CHECK_STR(fmt(d), "2023-03-01");
    CHECK_OK(bill_date_add_days(&d, ymd(2025, 12, 31), 1));
    CHECK_STR(fmt(d), "2026-01-01");
    CHECK_OK(bill_date_add_days(&d, ymd(2025, 3, 1), -1));
    CHECK_STR(fmt(d), "2025-02-28");
    CHECK_OK(bill_date_add_days(&d, ymd(2025, 1, 1), 365));
    CHECK_STR(fmt(d), "2026-01-01");
    CHECK_OK(bill_date_add_days(&d, ymd(2025, 1, 1), 0));
    CHECK_STR(fmt(d), "2025-01-01");
    CHECK_OK(bill_date_add_days(&d, ymd(1, 1, 1), 3652058));
    CHECK_STR(fmt(d), "9999-12-31");

    d.day = 99;
    CHECK_ERR(bill_date_add_days(&d, ymd(9999, 12, 31), 1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "9999-12-31") != NULL);
    CHECK_ERR(bill_date_add_days(&d, ymd(1, 1, 1), -1), BILL_EDATE);
    CHECK_ERR(bill_date_add_days(&d, ymd(2025, 1, 1), INT32_MAX), BILL_EDATE);
    CHECK_ERR(bill_date_add_days(&d, ymd(2025, 1, 1), INT32_MIN), BILL_EDATE);
    bill_date bad = {INT32_MAX};
    CHECK_ERR(bill_date_add_days(&d, bad, -1), BILL_EDATE);
    CHECK_INT(d.day, 99);
    CHECK_ERR(bill_date_add_days(NULL, ymd(2025, 1, 1), 1), BILL_EINVAL);

    CHECK_INT(bill_date_diff(ymd(2025, 6, 1), ymd(2025, 7, 1)), 30);
    CHECK_INT(bill_date_diff(ymd(2025, 7, 1), ymd(2025, 6, 1)), -30);
    CHECK_INT(bill_date_diff(ymd(2024, 1, 1), ymd(2025, 1, 1)), 366);
    CHECK_INT(bill_date_diff(ymd(1, 1, 1), ymd(9999, 12, 31)), 3652058);
    CHECK_INT(bill_date_cmp(ymd(2025, 1, 1), ymd(2025, 1, 2)), -1);
    CHECK_INT(bill_date_cmp(ymd(2025, 1, 2), ymd(2025, 1, 1)), 1);
    CHECK_INT(bill_date_cmp(ymd(2025, 1, 2), ymd(2025, 1, 2)), 0);
}

static void test_add_months(void)
{
    bill_date d = {0};
    /* Jan 31 + 1 month: both rules clamp to the end of February */
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 1, 31), 1, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2025-02-28");
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 1, 31), 1, BILL_MONTHEND_STICKY));
    CHECK_STR(fmt(d), "2025-02-28");
    CHECK_OK(bill_date_add_months(&d, ymd(2024, 1, 31), 1, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2024-02-29");
    CHECK_OK(bill_date_add_months(&d, ymd(2024, 1, 31), 1, BILL_MONTHEND_STICKY));
    CHECK_STR(fmt(d), "2024-02-29");
    /* Jan 31 + 2 months: CLAMP keeps the 31st, and so does STICKY */
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 1, 31), 2, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2025-03-31");
    /* Feb 28 2023 (month end) + 1 month: the rules differ */
    CHECK_OK(bill_date_add_months(&d, ymd(2023, 2, 28), 1, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2023-03-28");
    CHECK_OK(bill_date_add_months(&d, ymd(2023, 2, 28), 1, BILL_MONTHEND_STICKY));
    CHECK_STR(fmt(d), "2023-03-31");
    /* Feb 28 2024 is not a month end */
    CHECK_OK(bill_date_add_months(&d, ymd(2024, 2, 28), 1, BILL_MONTHEND_STICKY));
    CHECK_STR(fmt(d), "2024-03-28");
    /* Feb 29 2024 + 12 months */
    CHECK_OK(bill_date_add_months(&d, ymd(2024, 2, 29), 12, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2025-02-28");
    CHECK_OK(bill_date_add_months(&d, ymd(2024, 2, 29), 12, BILL_MONTHEND_STICKY));
    CHECK_STR(fmt(d), "2025-02-28");
    CHECK_OK(bill_date_add_months(&d, ymd(2024, 2, 29), 48, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2028-02-29");
    /* Feb 28 2023 + 12: STICKY lands on the leap day */
    CHECK_OK(bill_date_add_months(&d, ymd(2023, 2, 28), 12, BILL_MONTHEND_STICKY));
    CHECK_STR(fmt(d), "2024-02-29");
    CHECK_OK(bill_date_add_months(&d, ymd(2023, 2, 28), 12, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2024-02-28");
    /* April 30 + 1 */
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 4, 30), 1, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2025-05-30");
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 4, 30), 1, BILL_MONTHEND_STICKY));
    CHECK_STR(fmt(d), "2025-05-31");
    /* negative months */
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 3, 31), -1, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2025-02-28");
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 3, 31), -13, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2024-02-29");
    CHECK_OK(bill_date_add_months(&d, ymd(2024, 4, 30), -1, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2024-03-30");
    CHECK_OK(bill_date_add_months(&d, ymd(2024, 4, 30), -1, BILL_MONTHEND_STICKY));
    CHECK_STR(fmt(d), "2024-03-31");
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 1, 15), -1, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2024-12-15");
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 1, 15), -24, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2023-01-15");
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 12, 15), 1, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "2026-01-15");
    CHECK_OK(bill_date_add_months(&d, ymd(2025, 5, 15), 0, BILL_MONTHEND_STICKY));
    CHECK_STR(fmt(d), "2025-05-15");
    CHECK_OK(bill_date_add_months(&d, ymd(1, 1, 1), 119987, BILL_MONTHEND_CLAMP));
    CHECK_STR(fmt(d), "9999-12-01");

    d.day = 5;
    CHECK_ERR(bill_date_add_months(&d, ymd(9999, 12, 1), 1, BILL_MONTHEND_CLAMP), BILL_EDATE);
    CHECK_ERR(bill_date_add_months(&d, ymd(1, 1, 31), -1, BILL_MONTHEND_CLAMP), BILL_EDATE);
    CHECK_ERR(bill_date_add_months(&d, ymd(2025, 1, 1), INT32_MAX, BILL_MONTHEND_CLAMP), BILL_EDATE);
    CHECK_ERR(bill_date_add_months(&d, ymd(2025, 1, 1), INT32_MIN, BILL_MONTHEND_STICKY), BILL_EDATE);
    CHECK_ERR(bill_date_add_months(&d, ymd(2025, 1, 1), 1, 2), BILL_EINVAL);
    CHECK_ERR(bill_date_add_months(&d, ymd(2025, 1, 1), 1, -1), BILL_EINVAL);
    bill_date bad = {-800000};
    CHECK_ERR(bill_date_add_months(&d, bad, 1, BILL_MONTHEND_CLAMP), BILL_EDATE);
    CHECK_INT(d.day, 5);
    CHECK_ERR(bill_date_add_months(NULL, ymd(2025, 1, 1), 1, BILL_MONTHEND_CLAMP), BILL_EINVAL);
}

static void test_periods(void)
{
    bill_period p = {{0}, {0}}, q = {{0}, {0}}, r = {{1}, {2}};
    CHECK_OK(bill_period_make(&p, ymd(2025, 6, 1), ymd(2025, 7, 1)));
    CHECK_INT(bill_period_days(p), 30);
    CHECK_INT(bill_period_contains(p, ymd(2025, 6, 1)), 1);
    CHECK_INT(bill_period_contains(p, ymd(2025, 6, 30)), 1);
    CHECK_INT(bill_period_contains(p, ymd(2025, 7, 1)), 0);
    CHECK_INT(bill_period_contains(p, ymd(2025, 5, 31)), 0);
    CHECK_OK(bill_period_make(&q, ymd(2024, 2, 1), ymd(2024, 3, 1)));
    CHECK_INT(bill_period_days(q), 29);
    CHECK_OK(bill_period_make(&q, ymd(2023, 2, 1), ymd(2023, 3, 1)));
    CHECK_INT(bill_period_days(q), 28);
    CHECK_OK(bill_period_make(&q, ymd(2024, 1, 1), ymd(2025, 1, 1)));
    CHECK_INT(bill_period_days(q), 366);
    CHECK_OK(bill_period_make(&q, ymd(2025, 1, 1), ymd(2025, 1, 2)));
    CHECK_INT(bill_period_days(q), 1);

    q = p;
    CHECK_ERR(bill_period_make(&q, ymd(2025, 7, 1), ymd(2025, 7, 1)), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "2025-07-01") != NULL);
    CHECK_ERR(bill_period_make(&q, ymd(2025, 7, 1), ymd(2025, 6, 1)), BILL_EDATE);
    bill_date bad = {3000000};
    CHECK_ERR(bill_period_make(&q, ymd(2025, 7, 1), bad), BILL_EDATE);
    CHECK_INT(q.start.day, p.start.day);
    CHECK_INT(q.end.day, p.end.day);
    CHECK_ERR(bill_period_make(NULL, ymd(2025, 6, 1), ymd(2025, 7, 1)), BILL_EINVAL);

    /* intersections */
    bill_period a, b;
    CHECK_OK(bill_period_make(&a, ymd(2025, 6, 1), ymd(2025, 7, 1)));
    CHECK_OK(bill_period_make(&b, ymd(2025, 6, 15), ymd(2025, 8, 1)));
    CHECK_OK(bill_period_intersect(&r, a, b));
    CHECK_STR(fmt(r.start), "2025-06-15");
    CHECK_STR(fmt(r.end), "2025-07-01");
    CHECK_INT(bill_period_overlap_days(a, b), 16);
    CHECK_INT(bill_period_overlap_days(b, a), 16);
    CHECK_OK(bill_period_intersect(&r, b, a));
    CHECK_INT(bill_period_days(r), 16);
    /* one inside the other */
    CHECK_OK(bill_period_make(&b, ymd(2025, 6, 10), ymd(2025, 6, 12)));
    CHECK_OK(bill_period_intersect(&r, a, b));
    CHECK_INT(r.start.day, b.start.day);
    CHECK_INT(r.end.day, b.end.day);
    /* touching periods share no day */
    CHECK_OK(bill_period_make(&b, ymd(2025, 7, 1), ymd(2025, 8, 1)));
    bill_error_clear();
    r.start.day = 1;
    r.end.day = 2;
    CHECK_ERR(bill_period_intersect(&r, a, b), BILL_ENOTFOUND);
    CHECK_INT(r.start.day, 1);
    CHECK_INT(r.end.day, 2);
    CHECK_STR(bill_errmsg(), ""); /* documented: no message */
    CHECK_INT(bill_period_overlap_days(a, b), 0);
    CHECK_OK(bill_period_make(&b, ymd(2026, 1, 1), ymd(2026, 2, 1)));
    CHECK_ERR(bill_period_intersect(&r, a, b), BILL_ENOTFOUND);
    CHECK_INT(bill_period_overlap_days(a, b), 0);
    CHECK_ERR(bill_period_intersect(NULL, a, a), BILL_EINVAL);
}

static void test_period_parse(void)
{
    bill_period p = {{0}, {0}};
    CHECK_OK(bill_period_parse(&p, "2025-06-01/2025-07-01", (size_t)-1));
    CHECK_STR(fmt(p.start), "2025-06-01");
    CHECK_STR(fmt(p.end), "2025-07-01");
    CHECK_INT(bill_period_days(p), 30);
    CHECK_OK(bill_period_parse(&p, "2024-02-01/2024-03-01xyz", 21));
    CHECK_INT(bill_period_days(p), 29);

    bill_period keep = p;
    CHECK_ERR(bill_period_parse(&p, "2025-06-01/2025-06-01", (size_t)-1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "'2025-06-01/2025-06-01'") != NULL);
    CHECK_ERR(bill_period_parse(&p, "2025-07-01/2025-06-01", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_period_parse(&p, "2025-06-01/2025-02-30", (size_t)-1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "day 30 is past the end of February 2025") != NULL);
    CHECK_ERR(bill_period_parse(&p, "2025-06-01/2025-0X-01", (size_t)-1), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "offset 17") != NULL);
    CHECK_ERR(bill_period_parse(&p, "2025-06-01 2025-07-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_period_parse(&p, "2025-06-01/", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_period_parse(&p, "2025-06-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_period_parse(&p, "2025-06-01/2025-07-01 ", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_period_parse(&p, "2025-06-01--2025-07-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_period_parse(&p, "", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_period_parse(&p, "P1M/2025-07-01", (size_t)-1), BILL_ESYNTAX);
    CHECK_INT(p.start.day, keep.start.day);
    CHECK_INT(p.end.day, keep.end.day);
    CHECK_ERR(bill_period_parse(NULL, "2025-06-01/2025-07-01", (size_t)-1), BILL_EINVAL);
    CHECK_ERR(bill_period_parse(&p, NULL, 5), BILL_EINVAL);
}

static void test_datetime_make(void)
{
    bill_datetime t = {0};
    CHECK_OK(bill_datetime_make(&t, ymd(1970, 1, 1), 0, 0));
    CHECK_INT(t.minute, 0);
    CHECK_OK(bill_datetime_make(&t, ymd(1970, 1, 2), 1, 30));
    CHECK_INT(t.minute, 1440 + 90);
    CHECK_OK(bill_datetime_make(&t, ymd(1969, 12, 31), 23, 59));
    CHECK_INT(t.minute, -1);
    CHECK_OK(bill_datetime_make(&t, ymd(2025, 10, 1), 24, 0));
    CHECK_STR(fmt_t(t), "2025-10-02T00:00");

    t.minute = 7;
    CHECK_ERR(bill_datetime_make(&t, ymd(2025, 10, 1), 24, 1), BILL_EDATE);
    CHECK_ERR(bill_datetime_make(&t, ymd(2025, 10, 1), 25, 0), BILL_EDATE);
    CHECK_ERR(bill_datetime_make(&t, ymd(2025, 10, 1), -1, 0), BILL_EDATE);
    CHECK_ERR(bill_datetime_make(&t, ymd(2025, 10, 1), 12, 60), BILL_EDATE);
    CHECK_ERR(bill_datetime_make(&t, ymd(2025, 10, 1), 12, -1), BILL_EDATE);
    CHECK_ERR(bill_datetime_make(&t, ymd(9999, 12, 31), 24, 0), BILL_EDATE);
    bill_date bad = {-719163};
    CHECK_ERR(bill_datetime_make(&t, bad, 0, 0), BILL_EDATE);
    CHECK_INT(t.minute, 7);
    CHECK_ERR(bill_datetime_make(NULL, ymd(2025, 10, 1), 0, 0), BILL_EINVAL);
}

static void test_datetime_parse_format(void)
{
    static const char *const round_trips[] = {
        "2025-10-01T08:30", "1970-01-01T00:00", "1969-12-31T23:59", "0001-01-01T00:00",
        "9999-12-31T23:59", "2024-02-29T12:00", "2026-11-24T17:45",
    };
    bill_datetime t = {0};
    for (size_t i = 0; i < sizeof round_trips / sizeof round_trips[0]; i++) {
        CHECK_OK(bill_datetime_parse(&t, round_trips[i], (size_t)-1));
        CHECK_STR(fmt_t(t), round_trips[i]);
    }
    CHECK_OK(bill_datetime_parse(&t, "2025-10-01 08:30", (size_t)-1));
    CHECK_STR(fmt_t(t), "2025-10-01T08:30");
    CHECK_OK(bill_datetime_parse(&t, "2025-10-01T08:30:00", (size_t)-1));
    CHECK_STR(fmt_t(t), "2025-10-01T08:30");
    CHECK_OK(bill_datetime_parse(&t, "2025-10-01 08:30:00", (size_t)-1));
    CHECK_STR(fmt_t(t), "2025-10-01T08:30");
    CHECK_OK(bill_datetime_parse(&t, "2025-10-01T24:00", (size_t)-1));
    CHECK_STR(fmt_t(t), "2025-10-02T00:00");
    CHECK_OK(bill_datetime_parse(&t, "2024-12-31T24:00:00", (size_t)-1));
    CHECK_STR(fmt_t(t), "2025-01-01T00:00");
    CHECK_OK(bill_datetime_parse(&t, "2025-10-01T08:30 trailing", 16));
    CHECK_STR(fmt_t(t), "2025-10-01T08:30");
    CHECK_INT(t.minute, (int64_t)ymd(2025, 10, 1).day * 1440 + 8 * 60 + 30);

    t.minute = 11;
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T08:30:15", (size_t)-1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "seconds") != NULL);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T24:01", (size_t)-1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "24:01") != NULL);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T24:00:01", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T25:00", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T08:60", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_datetime_parse(&t, "9999-12-31T24:00", (size_t)-1), BILL_EDATE);
    CHECK_ERR(bill_datetime_parse(&t, "2023-02-29T08:00", (size_t)-1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "February 2023") != NULL);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01t08:30", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T8:30", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T08.30", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T08:30Z", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T08:30+08:00", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T08:30:00.000", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T08:3", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01T", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01", (size_t)-1), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "time is missing") != NULL);
    CHECK_ERR(bill_datetime_parse(&t, "2025-10-01  08:30", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_datetime_parse(&t, "08:30", (size_t)-1), BILL_ESYNTAX);
    CHECK_INT(t.minute, 11);
    CHECK_ERR(bill_datetime_parse(NULL, "2025-10-01T08:30", (size_t)-1), BILL_EINVAL);
    CHECK_ERR(bill_datetime_parse(&t, NULL, 16), BILL_EINVAL);

    char buf[8];
    CHECK_INT(bill_datetime_format(dt("2025-10-01T08:30"), buf, sizeof buf), 16);
    CHECK_STR(buf, "2025-10");
}

static void test_datetime_arithmetic(void)
{
    bill_datetime t = dt("2025-12-31T23:45"), u = {0};
    CHECK_INT(bill_datetime_minute_of_day(t), 23 * 60 + 45);
    CHECK_STR(fmt(bill_datetime_date(t)), "2025-12-31");
    CHECK_OK(bill_datetime_add_minutes(&u, t, 15));
    CHECK_STR(fmt_t(u), "2026-01-01T00:00");
    CHECK_INT(bill_datetime_minute_of_day(u), 0);
    CHECK_STR(fmt(bill_datetime_date(u)), "2026-01-01");
    CHECK_OK(bill_datetime_add_minutes(&u, t, -24 * 60));
    CHECK_STR(fmt_t(u), "2025-12-30T23:45");
    CHECK_OK(bill_datetime_add_minutes(&u, dt("2024-02-28T12:00"), 24 * 60));
    CHECK_STR(fmt_t(u), "2024-02-29T12:00");
    CHECK_INT(bill_datetime_diff(dt("2025-10-01T00:00"), dt("2025-10-02T00:00")), 1440);
    CHECK_INT(bill_datetime_diff(dt("2025-10-02T00:00"), dt("2025-10-01T23:15")), -45);
    CHECK_INT(bill_datetime_diff(dt("0001-01-01T00:00"), dt("9999-12-31T23:59")),
              (int64_t)3652059 * 1440 - 1);

    /* before 1970: floor, not truncation */
    bill_datetime before = dt("1969-12-31T23:59");
    CHECK_INT(before.minute, -1);
    CHECK_INT(bill_datetime_minute_of_day(before), 1439);
    CHECK_STR(fmt(bill_datetime_date(before)), "1969-12-31");
    CHECK_INT(bill_datetime_minute_of_day(dt("0001-01-01T00:01")), 1);

    u.minute = 3;
    CHECK_ERR(bill_datetime_add_minutes(&u, dt("9999-12-31T23:59"), 1), BILL_EDATE);
    CHECK_ERR(bill_datetime_add_minutes(&u, dt("0001-01-01T00:00"), -1), BILL_EDATE);
    CHECK_ERR(bill_datetime_add_minutes(&u, t, INT64_MAX), BILL_EDATE);
    CHECK_ERR(bill_datetime_add_minutes(&u, t, INT64_MIN), BILL_EDATE);
    bill_datetime bad = {INT64_MAX};
    CHECK_ERR(bill_datetime_add_minutes(&u, bad, -1), BILL_EDATE);
    CHECK_INT(u.minute, 3);
    CHECK_OK(bill_datetime_add_minutes(&u, dt("9999-12-31T23:58"), 1));
    CHECK_STR(fmt_t(u), "9999-12-31T23:59");
    CHECK_ERR(bill_datetime_add_minutes(NULL, t, 1), BILL_EINVAL);
    /* out-of-range values do not overflow */
    bill_datetime lo = {INT64_MIN}, hi = {INT64_MAX};
    CHECK_INT(bill_datetime_diff(lo, hi), INT64_MAX);
    CHECK_INT(bill_datetime_diff(hi, lo), INT64_MIN);
}

void suite_date(void)
{
    RUN(test_leap_years);
    RUN(test_from_ymd);
    RUN(test_to_ymd);
    RUN(test_every_day_round_trips);
    RUN(test_weekday_and_day_of_year);
    RUN(test_parse);
    RUN(test_format);
    RUN(test_add_days_and_diff);
    RUN(test_add_months);
    RUN(test_periods);
    RUN(test_period_parse);
    RUN(test_datetime_make);
    RUN(test_datetime_parse_format);
    RUN(test_datetime_arithmetic);
}
