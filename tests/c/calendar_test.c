/* Tests for working-day calendars (include/bill/calendar.h). */
#include "test.h"

static bill_date ymd(int y, int m, int d)
{
    bill_date out = {INT32_MIN};
    if (bill_date_from_ymd(&out, y, m, d) != BILL_OK)
        test_failed++, printf("FAIL %s: helper ymd(%d, %d, %d) rejected: %s\n", test_current, y, m,
                              d, bill_errmsg());
    return out;
}

static const char *fmt(bill_date d)
{
    static char buf[32];
    bill_date_format(d, buf, sizeof buf);
    return buf;
}

static bill_period period(bill_date a, bill_date b)
{
    bill_period p = {a, b};
    return p;
}

static bill_date add(bill_date d, int32_t n)
{
    bill_date out = d;
    if (bill_date_add_days(&out, d, n) != BILL_OK)
        test_failed++, printf("FAIL %s: helper add(%s, %ld) failed\n", test_current, fmt(d), (long)n);
    return out;
}

/* The Chinese National Day example of 2025: Oct 1-8 off, Sep 28 and Oct 11 worked. */
static bill_calendar *national_day_2025(void)
{
    bill_calendar *cal = NULL;
    if (bill_calendar_create(&cal) != BILL_OK)
        return NULL;
    for (int d = 1; d <= 8; d++)
        bill_calendar_add_holiday(cal, ymd(2025, 10, d), "National Day");
    bill_calendar_add_working_day(cal, ymd(2025, 9, 28));
    bill_calendar_add_working_day(cal, ymd(2025, 10, 11));
    return cal;
}

/* Reference implementations by brute force, to check the fast ones. */
static int32_t slow_count(const bill_calendar *cal, bill_date a, bill_date b)
{
    int32_t n = 0;
    for (bill_date d = a; d.day < b.day; d.day++)
        n += bill_calendar_is_working_day(cal, d) == 1;
    return n;
}

static bill_date slow_add(const bill_calendar *cal, bill_date d, int32_t n)
{
    if (n == 0) {
        while (bill_calendar_is_working_day(cal, d) != 1)
            d.day++;
        return d;
    }
    int step = n > 0 ? 1 : -1;
    while (n != 0) {
        d.day += step;
        if (bill_calendar_is_working_day(cal, d) == 1)
            n -= step;
    }
    return d;
}

static void test_create_and_defaults(void)
{
    bill_calendar *cal = NULL;
    CHECK_OK(bill_calendar_create(&cal));
    CHECK(cal != NULL);
    CHECK_INT(bill_calendar_weekend(cal), 0x60);
    CHECK_STR(bill_calendar_errmsg(cal), "");
    CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 11, 24)), BILL_DAY_WORKING); /* Tuesday */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 11, 28)), BILL_DAY_WEEKEND); /* Saturday */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 11, 29)), BILL_DAY_WEEKEND); /* Sunday */
    CHECK_INT(bill_calendar_is_working_day(cal, ymd(2026, 11, 27)), 1);
    CHECK_INT(bill_calendar_is_working_day(cal, ymd(2026, 11, 29)), 0);
    CHECK(bill_calendar_holiday_name(cal, ymd(2025, 10, 1)) == NULL);
    /* a plain month: June 2025 has 21 weekdays */
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 6, 1), ymd(2025, 7, 1))), 21);
    bill_calendar_free(cal);
    bill_calendar_free(NULL);
}

static void test_null_handles(void)
{
    bill_date d = ymd(2025, 10, 1), out = {5};
    CHECK_ERR(bill_calendar_create(NULL), BILL_EINVAL);
    CHECK_ERR(bill_calendar_set_weekend(NULL, 0x60), BILL_EINVAL);
    CHECK_INT(bill_calendar_weekend(NULL), 0);
    CHECK_ERR(bill_calendar_add_holiday(NULL, d, "x"), BILL_EINVAL);
    CHECK_ERR(bill_calendar_add_working_day(NULL, d), BILL_EINVAL);
    CHECK_ERR(bill_calendar_load(NULL, "2025-10-01 holiday", (size_t)-1), BILL_EINVAL);
    CHECK_INT(bill_calendar_day_type(NULL, d), BILL_EINVAL);
    CHECK(bill_calendar_is_working_day(NULL, d) < 0);
    CHECK(bill_calendar_holiday_name(NULL, d) == NULL);
    CHECK(bill_calendar_working_days(NULL, period(d, add(d, 7))) < 0);
    CHECK_ERR(bill_calendar_add_working_days(NULL, &out, d, 1), BILL_EINVAL);
    CHECK_INT(out.day, 5);
    CHECK_STR(bill_calendar_errmsg(NULL), "");

    bill_calendar *cal = NULL;
    CHECK_OK(bill_calendar_create(&cal));
    CHECK_ERR(bill_calendar_add_working_days(cal, NULL, d, 1), BILL_EINVAL);
    CHECK_ERR(bill_calendar_load(cal, NULL, 3), BILL_EINVAL);
    CHECK(strstr(bill_calendar_errmsg(cal), "text") != NULL);
    bill_calendar_free(cal);
}

static void test_national_day_2025(void)
{
    bill_calendar *cal = national_day_2025();
    CHECK(cal != NULL);
    if (!cal)
        return;
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 1)), BILL_DAY_HOLIDAY);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 4)), BILL_DAY_HOLIDAY); /* a Saturday */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 8)), BILL_DAY_HOLIDAY);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 9)), BILL_DAY_WORKING);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 9, 27)), BILL_DAY_WEEKEND); /* Saturday */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 9, 28)), BILL_DAY_WORKING); /* Sunday, worked */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 11)), BILL_DAY_WORKING); /* Saturday, worked */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 12)), BILL_DAY_WEEKEND);
    CHECK_INT(bill_calendar_is_working_day(cal, ymd(2025, 10, 1)), 0);
    CHECK_INT(bill_calendar_is_working_day(cal, ymd(2025, 9, 28)), 1);
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 10, 3)), "National Day");
    CHECK(bill_calendar_holiday_name(cal, ymd(2025, 10, 9)) == NULL);
    CHECK(bill_calendar_holiday_name(cal, ymd(2025, 9, 28)) == NULL);

    /* October 2025: 23 weekdays, 6 of them holidays, plus Saturday Oct 11 */
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 10, 1), ymd(2025, 11, 1))), 18);
    /* September 2025: 22 weekdays plus Sunday Sep 28 */
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 1), ymd(2025, 10, 1))), 23);
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 1), ymd(2025, 11, 1))), 41);
    /* the holiday itself, the week around it, a single day, an empty period */
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 10, 1), ymd(2025, 10, 9))), 0);
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 27), ymd(2025, 10, 13))), 6);
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 28), ymd(2025, 9, 29))), 1);
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 28), ymd(2025, 9, 28))), 0);
    /* the whole year 2025 with only this holiday: 261 weekdays - 6 + 2 */
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 1, 1), ymd(2026, 1, 1))), 257);

    bill_date out = {0};
    /* across the holiday */
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 30), 1));
    CHECK_STR(fmt(out), "2025-10-09");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 30), 2));
    CHECK_STR(fmt(out), "2025-10-10");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 30), 3));
    CHECK_STR(fmt(out), "2025-10-11"); /* the make-up Saturday */
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 30), 4));
    CHECK_STR(fmt(out), "2025-10-13");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 26), 1));
    CHECK_STR(fmt(out), "2025-09-28"); /* the make-up Sunday */
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 26), 2));
    CHECK_STR(fmt(out), "2025-09-29");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 10, 3), 1)); /* from a holiday */
    CHECK_STR(fmt(out), "2025-10-09");
    /* backwards */
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 10, 9), -1));
    CHECK_STR(fmt(out), "2025-09-30");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 10, 13), -1));
    CHECK_STR(fmt(out), "2025-10-11");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 29), -1));
    CHECK_STR(fmt(out), "2025-09-28");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 29), -2));
    CHECK_STR(fmt(out), "2025-09-26");
    /* n = 0: the day itself if working, else the next working day */
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 10, 9), 0));
    CHECK_STR(fmt(out), "2025-10-09");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 10, 1), 0));
    CHECK_STR(fmt(out), "2025-10-09");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 28), 0));
    CHECK_STR(fmt(out), "2025-09-28");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 10, 12), 0));
    CHECK_STR(fmt(out), "2025-10-13");
    /* two months: 22 working days after Sep 1 in September, 18 in October */
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 1), 40));
    CHECK_STR(fmt(out), "2025-10-31");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 9, 1), 41));
    CHECK_STR(fmt(out), "2025-11-03");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2025, 10, 31), -40));
    CHECK_STR(fmt(out), "2025-09-01");
    bill_calendar_free(cal);
}

static void test_conflicts(void)
{
    bill_calendar *cal = national_day_2025();
    CHECK(cal != NULL);
    if (!cal)
        return;
    CHECK_ERR(bill_calendar_add_holiday(cal, ymd(2025, 9, 28), "oops"), BILL_ECONFLICT);
    CHECK(strstr(bill_calendar_errmsg(cal), "2025-09-28") != NULL);
    CHECK(strstr(bill_errmsg(), "2025-09-28") != NULL);
    CHECK_INT(bill_errcode(), BILL_ECONFLICT);
    CHECK_ERR(bill_calendar_add_working_day(cal, ymd(2025, 10, 1)), BILL_ECONFLICT);
    CHECK(strstr(bill_calendar_errmsg(cal), "2025-10-01") != NULL);
    /* nothing changed */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 9, 28)), BILL_DAY_WORKING);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 1)), BILL_DAY_HOLIDAY);
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 1), ymd(2025, 11, 1))), 41);

    /* repeating an entry is harmless; a new name replaces the old one */
    CHECK_OK(bill_calendar_add_holiday(cal, ymd(2025, 10, 1), NULL));
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 10, 1)), "National Day");
    CHECK_OK(bill_calendar_add_holiday(cal, ymd(2025, 10, 1), "国庆节"));
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 10, 1)), "国庆节");
    CHECK_OK(bill_calendar_add_working_day(cal, ymd(2025, 9, 28)));
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 1), ymd(2025, 11, 1))), 41);

    /* dates outside the range */
    bill_date bad = {3000000};
    CHECK_ERR(bill_calendar_add_holiday(cal, bad, NULL), BILL_EDATE);
    CHECK_ERR(bill_calendar_add_working_day(cal, bad), BILL_EDATE);
    CHECK(bill_calendar_errmsg(cal)[0] != '\0');
    CHECK_INT(bill_calendar_day_type(cal, bad), BILL_EDATE);
    CHECK_INT(bill_calendar_is_working_day(cal, bad), BILL_EDATE);
    CHECK(bill_calendar_holiday_name(cal, bad) == NULL);
    bill_calendar_free(cal);
}

static void test_holiday_names(void)
{
    bill_calendar *cal = NULL;
    CHECK_OK(bill_calendar_create(&cal));
    char name[32];
    strcpy(name, "Spring Festival");
    CHECK_OK(bill_calendar_add_holiday(cal, ymd(2025, 1, 28), name));
    strcpy(name, "overwritten"); /* the calendar kept its own copy */
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 1, 28)), "Spring Festival");
    CHECK_OK(bill_calendar_add_holiday(cal, ymd(2025, 1, 1), NULL));
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 1, 1)), "");
    CHECK_OK(bill_calendar_add_holiday(cal, ymd(2025, 1, 2), ""));
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 1, 2)), "");
    CHECK(bill_calendar_holiday_name(cal, ymd(2025, 1, 3)) == NULL);
    bill_calendar_free(cal);
}

static void test_weekend_masks(void)
{
    bill_calendar *cal = national_day_2025();
    CHECK(cal != NULL);
    if (!cal)
        return;
    /* Friday-Saturday weekend */
    CHECK_OK(bill_calendar_set_weekend(cal, (1u << (BILL_FRIDAY - 1)) | (1u << (BILL_SATURDAY - 1))));
    CHECK_INT(bill_calendar_weekend(cal), 0x30);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 9, 26)), BILL_DAY_WEEKEND); /* Friday */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 9, 21)), BILL_DAY_WORKING); /* Sunday */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 11)), BILL_DAY_WORKING); /* still declared */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 3)), BILL_DAY_HOLIDAY);
    /* the counts follow the new weekend: September 2025 has 22 Sun-Thu days,
       and the declared Sunday Sep 28 is a normal working day now */
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 1), ymd(2025, 10, 1))), 22);
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 1), ymd(2025, 11, 1))),
              slow_count(cal, ymd(2025, 9, 1), ymd(2025, 11, 1)));
    /* no weekend at all */
    CHECK_OK(bill_calendar_set_weekend(cal, 0));
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 10, 1), ymd(2025, 11, 1))), 23);
    /* one weekend day */
    CHECK_OK(bill_calendar_set_weekend(cal, 1u << (BILL_SUNDAY - 1)));
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 6, 1), ymd(2025, 7, 1))), 25);
    /* bad masks, with the message on the handle */
    CHECK_ERR(bill_calendar_set_weekend(cal, 0x80), BILL_EINVAL);
    CHECK(strstr(bill_calendar_errmsg(cal), "0x80") != NULL);
    CHECK_ERR(bill_calendar_set_weekend(cal, 0x7f), BILL_EINVAL);
    CHECK(strstr(bill_calendar_errmsg(cal), "no working weekday") != NULL);
    CHECK_INT(bill_calendar_weekend(cal), 0x40);
    bill_calendar_free(cal);
}

static void test_working_days_errors(void)
{
    bill_calendar *cal = national_day_2025();
    CHECK(cal != NULL);
    if (!cal)
        return;
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 11, 1), ymd(2025, 10, 1))), BILL_EDATE);
    bill_date bad = {-800000};
    CHECK_INT(bill_calendar_working_days(cal, period(bad, ymd(2025, 10, 1))), BILL_EDATE);
    /* the whole supported range */
    int32_t all = bill_calendar_working_days(cal, period(ymd(1, 1, 1), add(ymd(9999, 12, 31), 0)));
    CHECK(all > 2600000 && all < 2700000);

    bill_date out = {77};
    CHECK_ERR(bill_calendar_add_working_days(cal, &out, ymd(9999, 12, 31), 1), BILL_EDATE);
    CHECK(strstr(bill_errmsg(), "9999-12-31") != NULL);
    CHECK_ERR(bill_calendar_add_working_days(cal, &out, ymd(1, 1, 1), -1), BILL_EDATE);
    CHECK_ERR(bill_calendar_add_working_days(cal, &out, ymd(2025, 1, 1), INT32_MAX), BILL_EDATE);
    CHECK_ERR(bill_calendar_add_working_days(cal, &out, ymd(2025, 1, 1), INT32_MIN), BILL_EDATE);
    CHECK_ERR(bill_calendar_add_working_days(cal, &out, bad, 1), BILL_EDATE);
    CHECK_INT(out.day, 77);
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(9999, 12, 30), 1)); /* a Thursday */
    CHECK_STR(fmt(out), "9999-12-31");
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(1, 1, 2), -1)); /* 0001-01-01 a Monday */
    CHECK_STR(fmt(out), "0001-01-01");
    /* with the last day a holiday, nothing is left after the Thursday */
    CHECK_OK(bill_calendar_add_holiday(cal, ymd(9999, 12, 31), "end of time"));
    out.day = 77;
    CHECK_ERR(bill_calendar_add_working_days(cal, &out, ymd(9999, 12, 31), 0), BILL_EDATE);
    CHECK_ERR(bill_calendar_add_working_days(cal, &out, ymd(9999, 12, 30), 1), BILL_EDATE);
    CHECK_INT(out.day, 77);
    CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(9999, 12, 30), 0));
    CHECK_STR(fmt(out), "9999-12-30");
    bill_calendar_free(cal);
}

/* Many entries at pseudo-random dates: the fast paths agree with brute force. */
static void test_against_brute_force(void)
{
    bill_calendar *cal = NULL;
    CHECK_OK(bill_calendar_create(&cal));
    uint32_t seed = 12345;
    bill_date base = ymd(2020, 1, 1);
    int added = 0;
    for (int i = 0; i < 3000; i++) {
        seed = seed * 1103515245u + 12345u;
        bill_date d = add(base, (int32_t)((seed >> 8) % 3000));
        int rc = (seed & 1) ? bill_calendar_add_holiday(cal, d, "h")
                            : bill_calendar_add_working_day(cal, d);
        if (rc == BILL_OK)
            added++;
        else if (rc != BILL_ECONFLICT)
            CHECK_OK(rc);
    }
    CHECK(added > 1000);
    for (int mask = 0; mask < 0x7f; mask += 0x15) {
        CHECK_OK(bill_calendar_set_weekend(cal, (unsigned)mask));
        int bad_count = 0, bad_add = 0;
        for (int i = 0; i < 300; i++) {
            seed = seed * 1103515245u + 12345u;
            bill_date a = add(base, (int32_t)((seed >> 8) % 3200) - 100);
            seed = seed * 1103515245u + 12345u;
            bill_date b = add(a, (int32_t)((seed >> 8) % 400));
            if (bill_calendar_working_days(cal, period(a, b)) != slow_count(cal, a, b))
                bad_count++;
            int32_t n = (int32_t)((seed >> 4) % 121) - 60;
            bill_date got = {0}, want = slow_add(cal, a, n);
            if (bill_calendar_add_working_days(cal, &got, a, n) != BILL_OK || got.day != want.day)
                bad_add++;
        }
        CHECK_INT(bad_count, 0);
        CHECK_INT(bad_add, 0);
    }
    bill_calendar_free(cal);
}

static void test_load(void)
{
    static const char text[] =
        "# China 2025, National Day and Mid-Autumn\n"
        "\n"
        "2025-10-01 holiday 国庆节 National Day\n"
        "2025-10-02\tholiday   National Day  \r\n"
        "   2025-10-03 holiday # no name, only a comment\n"
        "2025-10-04 holiday\n"
        "2025-09-28 working # Sunday\n"
        "2025-10-11 working\r\n"
        "\t\r\n"
        "2025-10-05 holiday Mid-Autumn";  /* no final newline */
    bill_calendar *cal = NULL;
    CHECK_OK(bill_calendar_create(&cal));
    CHECK_OK(bill_calendar_load(cal, text, (size_t)-1));
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 10, 1)), "国庆节 National Day");
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 10, 2)), "National Day");
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 10, 3)), "");
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 10, 4)), "");
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 10, 5)), "Mid-Autumn");
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 9, 28)), BILL_DAY_WORKING);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 11)), BILL_DAY_WORKING);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 6)), BILL_DAY_WORKING);
    /* loading adds to what is there; an empty text adds nothing */
    CHECK_OK(bill_calendar_load(cal, "2025-10-06 holiday\n2025-10-07 holiday", (size_t)-1));
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 6)), BILL_DAY_HOLIDAY);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 1)), BILL_DAY_HOLIDAY);
    CHECK_OK(bill_calendar_load(cal, "", (size_t)-1));
    CHECK_OK(bill_calendar_load(cal, "# only a comment\n\n", (size_t)-1));
    /* an explicit length stops early */
    CHECK_OK(bill_calendar_load(cal, "2025-10-08 holiday\n2025-10-09 holiday", 19));
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 8)), BILL_DAY_HOLIDAY);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 9)), BILL_DAY_WORKING);
    CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 9, 1), ymd(2025, 11, 1))), 41);
    bill_calendar_free(cal);
}

/* Load `text` into a calendar holding one holiday; expect `code` naming `line`. */
static void expect_load_error(const char *text, int code, const char *line, const char *detail)
{
    bill_calendar *cal = NULL;
    if (bill_calendar_create(&cal) != BILL_OK)
        return;
    bill_calendar_add_holiday(cal, ymd(2025, 1, 1), "New Year");
    CHECK_ERR(bill_calendar_load(cal, text, (size_t)-1), code);
    const char *msg = bill_calendar_errmsg(cal);
    if (strstr(msg, line) && strstr(msg, detail) && strcmp(msg, bill_errmsg()) == 0)
        test_passed++;
    else
        TEST_FAIL_("load(\"%s\") message \"%s\" lacks \"%s\" / \"%s\"", text, msg, line, detail);
    /* nothing from the text was added, the earlier holiday is still there */
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 1)), BILL_DAY_WORKING);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 9, 28)), BILL_DAY_WEEKEND);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 1, 1)), BILL_DAY_HOLIDAY);
    CHECK_STR(bill_calendar_holiday_name(cal, ymd(2025, 1, 1)), "New Year");
    bill_calendar_free(cal);
}

static void test_load_errors(void)
{
    expect_load_error("2025-10-01 holiday\n2025-09-28 working\n2025-13-01 holiday\n", BILL_EDATE,
                      "line 3", "month 13");
    expect_load_error("2025-10-01 holiday\n\n# comment\n2025-02-30 holiday\n", BILL_EDATE, "line 4",
                      "2025-02-30");
    expect_load_error("2025-10-01 holiday\n2025-9-28 working\n", BILL_ESYNTAX, "line 2", "2025-9-28");
    expect_load_error("2025-10-01 holliday\n", BILL_ESYNTAX, "line 1", "holliday");
    expect_load_error("2025-10-01 Holiday\n", BILL_ESYNTAX, "line 1", "Holiday");
    expect_load_error("2025-10-01\n", BILL_ESYNTAX, "line 1", "missing entry type");
    expect_load_error("2025-10-01 holiday\n2025-09-28 working Sunday\n", BILL_ESYNTAX, "line 2",
                      "Sunday");
    expect_load_error("2025-10-01 holiday\n2025-09-28 working\n2025-10-01 working\n", BILL_ECONFLICT,
                      "line 3", "2025-10-01");
    expect_load_error("2025-09-28 working\r\n2025-09-28 holiday\r\n", BILL_ECONFLICT, "line 2",
                      "2025-09-28");
    expect_load_error("2025-10-01 holiday\n2025-01-01 working\n", BILL_ECONFLICT, "line 2",
                      "2025-01-01");
    expect_load_error("2025-10-01,holiday\n", BILL_ESYNTAX, "line 1", "2025-10-01,holiday");
    expect_load_error("holiday 2025-10-01\n", BILL_ESYNTAX, "line 1", "holiday");

    /* a NUL byte inside an explicit length */
    bill_calendar *cal = NULL;
    CHECK_OK(bill_calendar_create(&cal));
    CHECK_ERR(bill_calendar_load(cal, "2025-10-01 holiday\n2025-10-02 hol\0day\n", 38), BILL_ESYNTAX);
    CHECK(strstr(bill_calendar_errmsg(cal), "line 2") != NULL);
    CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 1)), BILL_DAY_WORKING);
    /* a later success leaves the handle's message alone */
    CHECK_OK(bill_calendar_load(cal, "2025-10-01 holiday\n", (size_t)-1));
    CHECK(strstr(bill_calendar_errmsg(cal), "line 2") != NULL);
    bill_calendar_free(cal);
}

/*
 * Read examples/calendars/<name>: the repository root is BILL_TEST_DATA
 * without its "/tests/data", or the current directory.
 */
static char *read_example(const char *name)
{
    char path[4096] = "";
#ifdef BILL_TEST_DATA
    const char *data = BILL_TEST_DATA;
    size_t n = strlen(data);
    if (n >= 11 && strcmp(data + n - 11, "/tests/data") == 0 && n - 11 < 2048)
        snprintf(path, sizeof path, "%.*s/", (int)(n - 11), data);
#endif
    snprintf(path + strlen(path), sizeof path - strlen(path), "examples/calendars/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("test_example_calendars: cannot open %s\n", path);
        return NULL;
    }
    char *buf = malloc(1 << 16);
    size_t got = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[got] = '\0';
    return buf;
}

/* The shipped Chinese calendars load and say what the State Council notices say. */
static void test_example_calendars(void)
{
    char *t25 = read_example("cn-2025.txt");
    char *t26 = read_example("cn-2026.txt");
    CHECK(t25 != NULL);
    CHECK(t26 != NULL);
    bill_calendar *cal = NULL;
    CHECK_OK(bill_calendar_create(&cal));
    if (t25 && t26 && cal) {
        CHECK_OK(bill_calendar_load(cal, t25, (size_t)-1));
        CHECK_OK(bill_calendar_load(cal, t26, (size_t)-1));
        /* 2025 */
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 1, 1)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 1, 26)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 1, 27)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 1, 28)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 2, 4)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 2, 8)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 4, 4)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 4, 27)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 5, 5)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 5, 31)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 6, 2)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 9, 28)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 8)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2025, 10, 11)), BILL_DAY_WORKING);
        const char *name = bill_calendar_holiday_name(cal, ymd(2025, 10, 1));
        CHECK(name != NULL && strstr(name, "National Day") != NULL);
        /* 261 weekdays - 18 holidays on weekdays + 5 make-up days */
        CHECK_INT(bill_calendar_working_days(cal, period(ymd(2025, 1, 1), ymd(2026, 1, 1))), 248);
        /* 2026 */
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 1, 2)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 1, 4)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 2, 14)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 2, 15)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 2, 23)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 2, 28)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 5, 9)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 6, 19)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 9, 20)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 9, 25)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 10, 7)), BILL_DAY_HOLIDAY);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 10, 8)), BILL_DAY_WORKING);
        CHECK_INT(bill_calendar_day_type(cal, ymd(2026, 10, 10)), BILL_DAY_WORKING);
        /* 261 weekdays - 19 holidays on weekdays + 6 make-up days */
        CHECK_INT(bill_calendar_working_days(cal, period(ymd(2026, 1, 1), ymd(2027, 1, 1))), 248);
        /* a payment due 7 working days after 2026-09-30 */
        bill_date out = {0};
        CHECK_OK(bill_calendar_add_working_days(cal, &out, ymd(2026, 9, 30), 7));
        CHECK_STR(fmt(out), "2026-10-15"); /* Oct 8, 9, 10 (Saturday, worked), 12..15 */
    }
    bill_calendar_free(cal);
    free(t25);
    free(t26);
}

static void test_names_must_be_utf8(void)
{
    bill_calendar *cal = NULL;
    bill_date d;
    CHECK_OK(bill_calendar_create(&cal));
    CHECK_OK(bill_date_from_ymd(&d, 2025, 10, 1));
    CHECK_ERR(bill_calendar_add_holiday(cal, d, "bad \xff\xfe name"), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "UTF-8") != NULL);
    CHECK_INT(bill_calendar_day_type(cal, d), BILL_DAY_WORKING);
    CHECK_ERR(bill_calendar_load(cal, "2025-10-01 holiday ok\n2025-10-02 holiday \xc0\xaf\n", (size_t)-1),
              BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "line 2") != NULL);
    CHECK_INT(bill_calendar_day_type(cal, d), BILL_DAY_WORKING); /* all or nothing */
    CHECK_OK(bill_calendar_add_holiday(cal, d, "国庆节"));
    CHECK_STR(bill_calendar_holiday_name(cal, d), "国庆节");
    bill_calendar_free(cal);
}

void suite_calendar(void)
{
    RUN(test_create_and_defaults);
    RUN(test_names_must_be_utf8);
    RUN(test_null_handles);
    RUN(test_national_day_2025);
    RUN(test_conflicts);
    RUN(test_holiday_names);
    RUN(test_weekend_masks);
    RUN(test_working_days_errors);
    RUN(test_against_brute_force);
    RUN(test_load);
    RUN(test_load_errors);
    RUN(test_example_calendars);
}
