/*
 * libbill time layer: civil dates (proleptic Gregorian, 0001-01-01 ..
 * 9999-12-31), half-open periods and local date-times at minute resolution.
 *
 * Day numbers count from 1970-01-01 and are converted with Howard Hinnant's
 * days_from_civil / civil_from_days algorithms (integer only, exact for the
 * whole range). All arithmetic is done in int64 so that no input, however
 * far out of range, can overflow before it is rejected.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* 0001-01-01 and 9999-12-31 as day numbers. */
#define BILLI_DAY_MIN (-719162)
#define BILLI_DAY_MAX 2932896
#define BILLI_MIN_PER_DAY 1440
#define BILLI_MINUTE_MIN ((int64_t)BILLI_DAY_MIN * BILLI_MIN_PER_DAY)
#define BILLI_MINUTE_MAX ((int64_t)BILLI_DAY_MAX * BILLI_MIN_PER_DAY + BILLI_MIN_PER_DAY - 1)

/* Room for a quoted input text in a message. */
#define QUOTE_CAP 96

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};

/* ---- the civil algorithms ------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

/* Days since 1970-01-01 of y-m-d (m 1..12, d 1..31); any year. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                   /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                   /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                 /* [0, 11] */
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

static int day_in_range(int64_t day)
{
    return day >= BILLI_DAY_MIN && day <= BILLI_DAY_MAX;
}

static int minute_in_range(int64_t minute)
{
    return minute >= BILLI_MINUTE_MIN && minute <= BILLI_MINUTE_MAX;
}

/* ---- dates ------------------------------------------------------------- */

int bill_is_leap_year(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int bill_days_in_month(int year, int month)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && bill_is_leap_year(year))
        return 29;
    return len[month - 1];
}

/*
 * Where a message comes from: "<kind>: '<quoted text>'" for the parsers, or
 * just "<kind>" when text is NULL. The prefix (and the quoting of the input)
 * is built only when a check fails, so that parsing valid text formats
 * nothing.
 */
typedef struct msgctx {
    const char *kind;
    const char *text;
    size_t len;
} msgctx;

static int fail(const msgctx *c, int code, const char *fmt, ...) BILLI_PRINTF(3, 4);

static int fail(const msgctx *c, int code, const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (!c->text)
        return billi_error(code, "%s: %s", c->kind, reason);
    char q[QUOTE_CAP];
    billi_quote(q, sizeof q, c->text, c->len);
    return billi_error(code, "%s: '%s': %s", c->kind, q, reason);
}

/* Check year-month-day; on failure record BILL_EDATE with the context's prefix. */
static int check_ymd(const msgctx *c, int year, int month, int day)
{
    if (year < 1 || year > 9999)
        return fail(c, BILL_EDATE, "year %d is out of range 1..9999", year);
    if (month < 1 || month > 12)
        return fail(c, BILL_EDATE, "month %d is not in 1..12", month);
    int dim = bill_days_in_month(year, month);
    if (day < 1)
        return fail(c, BILL_EDATE, "day %d is not a day of the month", day);
    if (day > dim)
        return fail(c, BILL_EDATE, "day %d is past the end of %s %d", day,
                    month_names[month - 1], year);
    return BILL_OK;
}

int bill_date_from_ymd(bill_date *out, int year, int month, int day)
{
    char prefix[64];
    BILLI_CHECK_ARG(out, "out");
    /* the message prefix is built only on the failing path: this is a hot call */
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > bill_days_in_month(year, month)) {
        snprintf(prefix, sizeof prefix, "date: %04d-%02d-%02d", year, month, day);
        msgctx c = {prefix, NULL, 0};
        int rc = check_ymd(&c, year, month, day);
        if (rc != BILL_OK)
            return rc;
    }
    out->day = (int32_t)days_from_civil(year, month, day);
    return BILL_OK;
}

void bill_date_to_ymd(bill_date d, int *year, int *month, int *day)
{
    int64_t y;
    int m, dd;
    civil_from_days(d.day, &y, &m, &dd);
    if (year)
        *year = (int)y;
    if (month)
        *month = m;
    if (day)
        *day = dd;
}

int bill_date_is_valid(bill_date d)
{
    return day_in_range(d.day);
}

/* Resolve the (size_t)-1 length convention. */
static size_t text_len(const char *text, size_t len)
{
    return len == (size_t)-1 ? strlen(text) : len;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Value of n digits at s (caller checked they are digits). */
static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/*
 * Parse "YYYY-MM-DD" at text[off .. off+10) (the caller checked the length).
 * Messages start with the context's prefix and give offsets within the whole text.
 */
static int parse_date_at(bill_date *out, const msgctx *c, const char *text, size_t off)
{
    static const char shape[] = "dddd-dd-dd";
    const char *s = text + off;
    for (size_t i = 0; i < 10; i++) {
        if (shape[i] == 'd' && !is_digit(s[i]))
            return fail(c, BILL_ESYNTAX, "expected a digit at offset %zu (format YYYY-MM-DD)",
                        off + i);
        if (shape[i] == '-' && s[i] != '-')
            return fail(c, BILL_ESYNTAX, "expected '-' at offset %zu (format YYYY-MM-DD)",
                        off + i);
    }
    int y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
    int rc = check_ymd(c, y, m, d);
    if (rc != BILL_OK)
        return rc;
    out->day = (int32_t)days_from_civil(y, m, d);
    return BILL_OK;
}

int bill_date_parse(bill_date *out, const char *text, size_t len)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(text, "text");
    len = text_len(text, len);
    const msgctx c = {"date", text, len};
    if (len == 0)
        return fail(&c, BILL_ESYNTAX, "empty text (format YYYY-MM-DD)");
    if (len != 10) {
        /* Say where it goes wrong rather than only that the length is off. */
        for (size_t i = 0; i < len && i < 10; i++) {
            int want_digit = !(i == 4 || i == 7);
            if (want_digit ? !is_digit(text[i]) : text[i] != '-')
                return fail(&c, BILL_ESYNTAX, "expected %s at offset %zu (format YYYY-MM-DD)", want_digit ? "a digit" : "'-'", i);
        }
        if (len < 10)
            return fail(&c, BILL_ESYNTAX, "too short, %zu characters (format YYYY-MM-DD)", len);
        return fail(&c, BILL_ESYNTAX, "unexpected text at offset 10 (format YYYY-MM-DD)");
    }
    bill_date d;
    int rc = parse_date_at(&d, &c, text, 0);
    if (rc == BILL_OK)
        *out = d;
    return rc;
}

size_t bill_date_format(bill_date d, char *buf, size_t cap)
{
    int64_t y;
    int m, dd;
    char tmp[48];
    civil_from_days(d.day, &y, &m, &dd);
    int n = snprintf(tmp, sizeof tmp, "%04lld-%02d-%02d", (long long)y, m, dd);
    if (n < 0)
        n = 0;
    if (buf && cap > 0) {
        size_t c = (size_t)n < cap ? (size_t)n : cap - 1;
        memcpy(buf, tmp, c);
        buf[c] = '\0';
    }
    return (size_t)n;
}

int bill_date_weekday(bill_date d)
{
    /* 1970-01-01 was a Thursday. */
    return (int)floor_mod((int64_t)d.day + 3, 7) + 1;
}

int bill_date_day_of_year(bill_date d)
{
    int64_t y;
    int m, dd;
    civil_from_days(d.day, &y, &m, &dd);
    return (int)((int64_t)d.day - days_from_civil(y, 1, 1) + 1);
}

/* a − b clamped to int32 (only out-of-range inputs can reach the clamp). */
static int32_t clamp32(int64_t v)
{
    if (v > INT32_MAX)
        return INT32_MAX;
    if (v < INT32_MIN)
        return INT32_MIN;
    return (int32_t)v;
}

int32_t bill_date_diff(bill_date a, bill_date b)
{
    return clamp32((int64_t)b.day - a.day);
}

static void date_text(char *buf, size_t cap, bill_date d)
{
    bill_date_format(d, buf, cap);
}

int bill_date_add_days(bill_date *out, bill_date d, int32_t days)
{
    char a[48];
    BILLI_CHECK_ARG(out, "out");
    if (!day_in_range(d.day))
        return billi_error(BILL_EDATE, "date: day number %ld is outside 0001-01-01..9999-12-31",
                           (long)d.day);
    int64_t r = (int64_t)d.day + days;
    if (!day_in_range(r)) {
        date_text(a, sizeof a, d);
        return billi_error(BILL_EDATE, "date: %s %+ld days leaves 0001-01-01..9999-12-31", a,
                           (long)days);
    }
    out->day = (int32_t)r;
    return BILL_OK;
}

int bill_date_add_months(bill_date *out, bill_date d, int32_t months, int rule)
{
    char a[48];
    BILLI_CHECK_ARG(out, "out");
    if (rule != BILL_MONTHEND_CLAMP && rule != BILL_MONTHEND_STICKY)
        return billi_error(BILL_EINVAL, "date: month-end rule %d is neither CLAMP nor STICKY", rule);
    if (!day_in_range(d.day))
        return billi_error(BILL_EDATE, "date: day number %ld is outside 0001-01-01..9999-12-31",
                           (long)d.day);
    int64_t y;
    int m, dd;
    civil_from_days(d.day, &y, &m, &dd);
    int64_t total = y * 12 + (m - 1) + months;
    int64_t ny = floor_div(total, 12);
    int nm = (int)floor_mod(total, 12) + 1;
    if (ny < 1 || ny > 9999) {
        date_text(a, sizeof a, d);
        return billi_error(BILL_EDATE, "date: %s %+ld months leaves 0001-01-01..9999-12-31", a,
                           (long)months);
    }
    int ndim = bill_days_in_month((int)ny, nm);
    int nd = dd;
    if (rule == BILL_MONTHEND_STICKY && dd == bill_days_in_month((int)y, m))
        nd = ndim;
    if (nd > ndim)
        nd = ndim;
    out->day = (int32_t)days_from_civil(ny, nm, nd);
    return BILL_OK;
}

int bill_date_cmp(bill_date a, bill_date b)
{
    return (a.day > b.day) - (a.day < b.day);
}

/* ---- periods ----------------------------------------------------------- */

int bill_period_make(bill_period *out, bill_date start, bill_date end)
{
    char a[48], b[48];
    BILLI_CHECK_ARG(out, "out");
    if (!day_in_range(start.day) || !day_in_range(end.day))
        return billi_error(BILL_EDATE, "period: a date is outside 0001-01-01..9999-12-31");
    if (start.day >= end.day) {
        date_text(a, sizeof a, start);
        date_text(b, sizeof b, end);
        return billi_error(BILL_EDATE, "period: end %s is not after start %s (periods are [start, end))",
                           b, a);
    }
    out->start = start;
    out->end = end;
    return BILL_OK;
}

int bill_period_parse(bill_period *out, const char *text, size_t len)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(text, "text");
    len = text_len(text, len);
    const msgctx c = {"period", text, len};
    if (len != 21) {
        const char *slash = memchr(text, '/', len);
        if (!slash)
            return fail(&c, BILL_ESYNTAX, "expected START/END (format YYYY-MM-DD/YYYY-MM-DD)");
        return fail(&c, BILL_ESYNTAX, "expected 21 characters, got %zu (format YYYY-MM-DD/YYYY-MM-DD)", len);
    }
    if (text[10] != '/')
        return fail(&c, BILL_ESYNTAX, "expected '/' at offset 10 (format YYYY-MM-DD/YYYY-MM-DD)");
    bill_date s, e;
    int rc = parse_date_at(&s, &c, text, 0);
    if (rc == BILL_OK)
        rc = parse_date_at(&e, &c, text, 11);
    if (rc != BILL_OK)
        return rc;
    if (s.day >= e.day)
        return fail(&c, BILL_EDATE, "the end is not after the start (periods are [start, end))");
    out->start = s;
    out->end = e;
    return BILL_OK;
}

int32_t bill_period_days(bill_period p)
{
    return clamp32((int64_t)p.end.day - p.start.day);
}

int bill_period_contains(bill_period p, bill_date d)
{
    return d.day >= p.start.day && d.day < p.end.day;
}

int bill_period_intersect(bill_period *out, bill_period a, bill_period b)
{
    BILLI_CHECK_ARG(out, "out");
    int32_t s = a.start.day > b.start.day ? a.start.day : b.start.day;
    int32_t e = a.end.day < b.end.day ? a.end.day : b.end.day;
    if (s >= e)
        return BILL_ENOTFOUND;
    out->start.day = s;
    out->end.day = e;
    return BILL_OK;
}

int32_t bill_period_overlap_days(bill_period a, bill_period b)
{
    int32_t s = a.start.day > b.start.day ? a.start.day : b.start.day;
    int32_t e = a.end.day < b.end.day ? a.end.day : b.end.day;
    return s < e ? clamp32((int64_t)e - s) : 0;
}

/* ---- local date-times ---------------------------------------------------- */

/*
 * Date d at hour:minute; "24:00" is the end of d (00:00 of the next day).
 * The context gives the start of any message.
 */
static int make_datetime(bill_datetime *out, const msgctx *cp, bill_date d, int hour, int minute)
{
    if (!day_in_range(d.day))
        return fail(cp, BILL_EDATE, "the date is outside 0001-01-01..9999-12-31");
    if (hour == 24 && minute != 0)
        return fail(cp, BILL_EDATE, "24:%02d is not a time (only 24:00, the end of a day)", minute);
    if (hour < 0 || hour > 24)
        return fail(cp, BILL_EDATE, "hour %d is not in 0..23", hour);
    if (minute < 0 || minute > 59)
        return fail(cp, BILL_EDATE, "minute %d is not in 0..59", minute);
    int64_t t = (int64_t)d.day * BILLI_MIN_PER_DAY + hour * 60 + minute;
    if (!minute_in_range(t))
        return fail(cp, BILL_EDATE, "24:00 of 9999-12-31 is past 9999-12-31T23:59");
    out->minute = t;
    return BILL_OK;
}

int bill_datetime_make(bill_datetime *out, bill_date d, int hour, int minute)
{
    BILLI_CHECK_ARG(out, "out");
    return make_datetime(out, &(const msgctx){"datetime", NULL, 0}, d, hour, minute);
}

int bill_datetime_parse(bill_datetime *out, const char *text, size_t len)
{
    static const char fmt[] = "format YYYY-MM-DDTHH:MM";
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(text, "text");
    len = text_len(text, len);
    const msgctx c = {"datetime", text, len};
    if (len < 10)
        return fail(&c, BILL_ESYNTAX, "too short (%s)", fmt);
    bill_date d;
    int rc = parse_date_at(&d, &c, text, 0);
    if (rc != BILL_OK)
        return rc;
    if (len == 10)
        return fail(&c, BILL_ESYNTAX, "the time is missing (%s)", fmt);
    if (text[10] != 'T' && text[10] != ' ')
        return fail(&c, BILL_ESYNTAX, "expected 'T' or a blank at offset 10 (%s)", fmt);
    if (len != 16 && len != 19)
        return fail(&c, BILL_ESYNTAX, "expected 16 or 19 characters, got %zu (%s)",
                           len, fmt);
    /* "HH:MM" or "HH:MM:SS" from offset 11 */
    static const char shape[] = "dd:dd:dd";
    for (size_t i = 11; i < len; i++) {
        char want = shape[i - 11];
        if (want == 'd' && !is_digit(text[i]))
            return fail(&c, BILL_ESYNTAX, "expected a digit at offset %zu (%s)", i, fmt);
        if (want == ':' && text[i] != ':')
            return fail(&c, BILL_ESYNTAX, "expected ':' at offset %zu (%s)", i, fmt);
    }
    int hour = digits_value(text + 11, 2), minute = digits_value(text + 14, 2);
    if (len == 19 && digits_value(text + 17, 2) != 0)
        return fail(&c, BILL_EDATE, "seconds must be 00 (times have minute resolution)");
    bill_datetime t;
    rc = make_datetime(&t, &c, d, hour, minute);
    if (rc == BILL_OK)
        *out = t;
    return rc;
}

size_t bill_datetime_format(bill_datetime t, char *buf, size_t cap)
{
    char tmp[64];
    int64_t day = floor_div(t.minute, BILLI_MIN_PER_DAY);
    int mod = (int)floor_mod(t.minute, BILLI_MIN_PER_DAY);
    int64_t y;
    int m, dd;
    civil_from_days(day, &y, &m, &dd);
    int n = snprintf(tmp, sizeof tmp, "%04lld-%02d-%02dT%02d:%02d", (long long)y, m, dd, mod / 60,
                     mod % 60);
    if (n < 0)
        n = 0;
    if (buf && cap > 0) {
        size_t c = (size_t)n < cap ? (size_t)n : cap - 1;
        memcpy(buf, tmp, c);
        buf[c] = '\0';
    }
    return (size_t)n;
}

bill_date bill_datetime_date(bill_datetime t)
{
    bill_date d;
    d.day = clamp32(floor_div(t.minute, BILLI_MIN_PER_DAY));
    return d;
}

int bill_datetime_minute_of_day(bill_datetime t)
{
    return (int)floor_mod(t.minute, BILLI_MIN_PER_DAY);
}

int bill_datetime_add_minutes(bill_datetime *out, bill_datetime t, int64_t minutes)
{
    char a[64];
    BILLI_CHECK_ARG(out, "out");
    if (!minute_in_range(t.minute))
        return billi_error(BILL_EDATE, "datetime: minute number %lld is outside 0001-01-01T00:00..9999-12-31T23:59",
                           (long long)t.minute);
    /* Compare before adding: t is in range, so these differences cannot overflow. */
    if (minutes > BILLI_MINUTE_MAX - t.minute || minutes < BILLI_MINUTE_MIN - t.minute) {
        bill_datetime_format(t, a, sizeof a);
        return billi_error(BILL_EDATE, "datetime: %s %+lld minutes leaves 0001-01-01T00:00..9999-12-31T23:59",
                           a, (long long)minutes);
    }
    out->minute = t.minute + minutes;
    return BILL_OK;
}

int64_t bill_datetime_diff(bill_datetime a, bill_datetime b)
{
    /* In range the difference is small; clamp instead of overflowing otherwise. */
    if (a.minute >= 0 ? b.minute < INT64_MIN + a.minute : b.minute > INT64_MAX + a.minute)
        return a.minute >= 0 ? INT64_MIN : INT64_MAX;
    return b.minute - a.minute;
}
