/*
 * Fuzz harness for the date, date-time and period parsers.
 *
 * Every input goes to bill_date_parse, bill_datetime_parse and
 * bill_period_parse (len = size, no NUL). The harness reads the documented
 * formats itself, with its own civil-calendar arithmetic, and checks each
 * parser against it: what the format rejects must fail (leaving the output
 * alone), what it accepts must give the right day or minute, format back to
 * the canonical text and parse again to the same value. Accepted values also
 * go through the date arithmetic, checked against the reference. A violated
 * invariant calls abort().
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
            fprintf(stderr, "date_fuzzer: invariant failed at line %d: %s\n",      \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

/* ---- reference civil calendar ------------------------------------------------ */

static int ref_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int ref_dim(int64_t y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ref_leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 (H. Hinnant's days_from_civil). */
static int64_t ref_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static const int64_t MIN_DAY = -719162;    /* 0001-01-01 */
static const int64_t MAX_DAY = 2932896;    /* 9999-12-31 */

static int digits(const uint8_t *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* "YYYY-MM-DD" at s (10 bytes); *day = its day number. */
static int ref_date(const uint8_t *s, size_t n, int64_t *day)
{
    int y, m, d;
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return 0;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > ref_dim(y, m))
        return 0;
    *day = ref_days(y, m, d);
    return 1;
}

/*
 * "YYYY-MM-DDTHH:MM" with 'T' or ' ', optional ":00"; "24:00" means the next
 * day. Returns 1 valid, 0 invalid, -1 when the documentation leaves it open
 * ("24:00:00").
 */
static int ref_datetime(const uint8_t *s, size_t n, int64_t *minute)
{
    int64_t day;
    int hh, mm, ss;
    if (n != 16 && n != 19)
        return 0;
    if (!ref_date(s, 10, &day) || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
        return 0;
    if (!digits(s + 11, 2, &hh) || !digits(s + 14, 2, &mm))
        return 0;
    if (n == 19 && (s[16] != ':' || !digits(s + 17, 2, &ss) || ss != 0))
        return 0;
    if (hh == 24 && mm == 0) {
        if (day + 1 > MAX_DAY)
            return 0;
        if (n == 19)
            return -1;
        *minute = (day + 1) * 1440;
        return 1;
    }
    if (hh > 23 || mm > 59)
        return 0;
    *minute = day * 1440 + hh * 60 + mm;
    return 1;
}

static void ref_ymd(int64_t day, int *y, int *m, int *d)
{
    /* H. Hinnant's civil_from_days */
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void check_failed(int st)
{
    CHECK(st < 0);
    CHECK(bill_errcode() == st);
    CHECK(bill_errmsg() != NULL && bill_errmsg()[0] != '\0');
}

/* ---- date arithmetic on an accepted date ---------------------------------------- */

static void check_months(bill_date d, int32_t months, int rule)
{
    int y, m, dd;
    bill_date out = {12345};
    ref_ymd(d.day, &y, &m, &dd);
    int64_t idx = (int64_t)y * 12 + (m - 1) + months;
    int64_t ty = idx / 12;
    int tm = (int)(idx % 12) + 1;
    int st = bill_date_add_months(&out, d, months, rule);
    if (ty < 1 || ty > 9999) {
        CHECK(st == BILL_EDATE);
        CHECK(out.day == 12345);
        return;
    }
    CHECK(st == BILL_OK);
    int want = dd < ref_dim(ty, tm) ? dd : ref_dim(ty, tm);
    if (rule == BILL_MONTHEND_STICKY && dd == ref_dim(y, m))
        want = ref_dim(ty, tm);
    CHECK(out.day == ref_days(ty, tm, want));
}

static void check_date(bill_date d, int64_t want_day)
{
    int y, m, dd, ry, rm, rd;
    bill_date e, n;
    char buf[16];

    CHECK(d.day == want_day);
    CHECK(bill_date_is_valid(d));
    bill_date_to_ymd(d, &y, &m, &dd);
    ref_ymd(want_day, &ry, &rm, &rd);
    CHECK(y == ry && m == rm && dd == rd);
    CHECK(bill_date_from_ymd(&e, y, m, dd) == BILL_OK && e.day == d.day);
    CHECK(bill_date_weekday(d) == (int)(((want_day % 7) + 7 + 3) % 7) + 1);
    CHECK(bill_date_day_of_year(d) == (int)(want_day - ref_days(y, 1, 1)) + 1);
    CHECK(bill_days_in_month(y, m) == ref_dim(y, m));
    CHECK(bill_is_leap_year(y) == ref_leap(y));
    CHECK(bill_date_cmp(d, d) == 0);
    CHECK(bill_date_format(d, buf, sizeof buf) == 10 && strlen(buf) == 10);

    n.day = -1;
    int st = bill_date_add_days(&n, d, 1);
    if (want_day == MAX_DAY) {
        CHECK(st == BILL_EDATE && n.day == -1);
    } else {
        CHECK(st == BILL_OK && n.day == d.day + 1);
        CHECK(bill_date_diff(d, n) == 1 && bill_date_diff(n, d) == -1);
        CHECK(bill_date_cmp(d, n) == -1 && bill_date_cmp(n, d) == 1);
        CHECK(bill_date_weekday(n) == bill_date_weekday(d) % 7 + 1);
    }
    st = bill_date_add_days(&n, d, -400000);
    CHECK(st == (want_day - 400000 < MIN_DAY ? BILL_EDATE : BILL_OK));
    st = bill_date_add_days(&n, d, INT32_MAX);
    CHECK(st == BILL_EDATE);

    static const int32_t steps[] = {1, -1, 12, -13, 1000, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        check_months(d, steps[i], BILL_MONTHEND_CLAMP);
        check_months(d, steps[i], BILL_MONTHEND_STICKY);
    }
}

/* ---- the entry point -------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char buf[64];
    int64_t want, want2;
    int st, rv;

    /* a date */
    {
        bill_date d = {777}, d2 = {0};
        st = bill_date_parse(&d, text, size);
        rv = ref_date(data, size, &want);
        if (st != BILL_OK) {
            CHECK(!rv);
            CHECK(st == BILL_EDATE || st == BILL_ESYNTAX || st == BILL_ERANGE);
            check_failed(st);
            CHECK(d.day == 777);
        } else {
            CHECK(rv);
            check_date(d, want);
            CHECK(bill_date_format(d, buf, sizeof buf) == 10);
            CHECK(memcmp(buf, data, 10) == 0 && buf[10] == '\0');
            CHECK(bill_date_parse(&d2, buf, (size_t)-1) == BILL_OK && d2.day == d.day);
        }
    }

    /* a local date-time */
    {
        bill_datetime t = {777}, t2 = {0};
        st = bill_datetime_parse(&t, text, size);
        rv = ref_datetime(data, size, &want);
        if (st != BILL_OK) {
            CHECK(rv != 1);
            check_failed(st);
            CHECK(t.minute == 777);
        } else {
            CHECK(rv != 0);
            if (rv == 1)
                CHECK(t.minute == want);
            int64_t day = t.minute >= 0 ? t.minute / 1440 : -((-t.minute + 1439) / 1440);
            int mod = (int)(t.minute - day * 1440);
            CHECK(bill_datetime_date(t).day == day);
            CHECK(bill_datetime_minute_of_day(t) == mod);
            CHECK(bill_datetime_format(t, buf, sizeof buf) == 16 && strlen(buf) == 16);
            /* canonical text: the input's date and time with 'T', unless 24:00 */
            if (rv == 1 && !(data[11] == '2' && data[12] == '4')) {
                CHECK(memcmp(buf, data, 10) == 0 && buf[10] == 'T');
                CHECK(memcmp(buf + 11, data + 11, 5) == 0);
            }
            CHECK(bill_datetime_parse(&t2, buf, (size_t)-1) == BILL_OK && t2.minute == t.minute);
            bill_datetime m = {0};
            CHECK(bill_datetime_make(&m, bill_datetime_date(t), mod / 60, mod % 60) == BILL_OK);
            CHECK(m.minute == t.minute);
            st = bill_datetime_add_minutes(&m, t, 1);
            if (st == BILL_OK)
                CHECK(bill_datetime_diff(t, m) == 1);
            else
                CHECK(day == MAX_DAY && mod == 1439);
        }
    }

    /* a period */
    {
        bill_period p = {{777}, {778}}, p2, q;
        st = bill_period_parse(&p, text, size);
        rv = size == 21 && data[10] == '/' && ref_date(data, 10, &want) &&
             ref_date(data + 11, 10, &want2) && want < want2;
        if (st != BILL_OK) {
            CHECK(!rv);
            check_failed(st);
            CHECK(p.start.day == 777 && p.end.day == 778);
        } else {
            CHECK(rv);
            CHECK(p.start.day == want && p.end.day == want2);
            CHECK(bill_period_days(p) == (int32_t)(want2 - want));
            CHECK(bill_period_contains(p, p.start) == 1);
            CHECK(bill_period_contains(p, p.end) == 0);
            CHECK(bill_period_intersect(&q, p, p) == BILL_OK);
            CHECK(q.start.day == p.start.day && q.end.day == p.end.day);
            CHECK(bill_period_overlap_days(p, p) == bill_period_days(p));
            CHECK(bill_period_make(&q, p.start, p.end) == BILL_OK);
            CHECK(bill_period_make(&q, p.end, p.start) == BILL_EDATE);
            CHECK(bill_date_format(p.start, buf, sizeof buf) == 10);
            buf[10] = '/';
            CHECK(bill_date_format(p.end, buf + 11, sizeof buf - 11) == 10);
            CHECK(memcmp(buf, data, 21) == 0);
            CHECK(bill_period_parse(&p2, buf, 21) == BILL_OK);
            CHECK(p2.start.day == p.start.day && p2.end.day == p.end.day);
            /* a period that ends where this one starts does not overlap it */
            bill_date before;
            if (bill_date_add_days(&before, p.start, -1) == BILL_OK) {
                CHECK(bill_period_make(&q, before, p.start) == BILL_OK);
                CHECK(bill_period_overlap_days(p, q) == 0);
                p2 = p;
                CHECK(bill_period_intersect(&p2, p, q) == BILL_ENOTFOUND);
                CHECK(p2.start.day == p.start.day && p2.end.day == p.end.day);
            }
        }
    }
    return 0;
}
