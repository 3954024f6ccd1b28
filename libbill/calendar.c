/*
 * libbill time layer: working-day calendars (weekend mask, public holidays,
 * make-up working days).
 *
 * Holidays and make-up working days are kept in two arrays sorted by day
 * number, found by binary search. Each entry also carries a running count
 * (`before`): for holidays, how many earlier holidays fall on a weekday that
 * the weekend mask would make a working day; for make-up working days, how
 * many earlier ones fall on a weekend day. With those, counting working days
 * over any period is O(log n): weekdays by arithmetic, minus the holidays that
 * removed a working day, plus the make-up days that added one. The counts are
 * rebuilt after every change, so queries never write to the handle and may
 * run from several threads at once.
 *
 * Query functions (const handle) report errors on the thread only, never on
 * the handle, for the same reason.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEEK_MASK 0x7fu
#define DEFAULT_WEEKEND ((1u << (BILL_SATURDAY - 1)) | (1u << (BILL_SUNDAY - 1)))

/* 0001-01-01 and 9999-12-31 as day numbers (as in date.c). */
#define CAL_DAY_MIN (-719162)
#define CAL_DAY_MAX 2932896

struct holiday {
    int32_t day;
    int32_t before; /* earlier holidays that fall on a non-weekend weekday */
    char *name;     /* NULL when unnamed */
};

struct workday {
    int32_t day;
    int32_t before; /* earlier make-up days that fall on a weekend day */
};

struct bill_calendar {
    unsigned weekend;
    struct holiday *hol;
    size_t nhol, caphol;
    struct workday *work;
    size_t nwork, capwork;
    int32_t hol_total;  /* holidays on non-weekend weekdays */
    int32_t work_total; /* make-up days on weekend days */
    char errmsg[BILLI_ERRMSG_MAX];
};

/* ---- helpers ------------------------------------------------------------ */

static int is_weekend(unsigned mask, int32_t day)
{
    bill_date d;
    d.day = day;
    return (mask >> (bill_date_weekday(d) - 1)) & 1u;
}

static int valid_day(int32_t day)
{
    return day >= CAL_DAY_MIN && day <= CAL_DAY_MAX;
}

/* First index whose day is >= day. */
static size_t hol_lower(const bill_calendar *cal, int32_t day)
{
    size_t lo = 0, hi = cal->nhol;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->hol[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t work_lower(const bill_calendar *cal, int32_t day)
{
    size_t lo = 0, hi = cal->nwork;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->work[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const struct holiday *find_holiday(const bill_calendar *cal, int32_t day)
{
    size_t i = hol_lower(cal, day);
    return (i < cal->nhol && cal->hol[i].day == day) ? &cal->hol[i] : NULL;
}

static int is_workday_entry(const bill_calendar *cal, int32_t day)
{
    size_t i = work_lower(cal, day);
    return i < cal->nwork && cal->work[i].day == day;
}

/* Rebuild the running counts after any change to the entries or the weekend. */
static void rebuild_counts(bill_calendar *cal)
{
    int32_t n = 0;
    for (size_t i = 0; i < cal->nhol; i++) {
        cal->hol[i].before = n;
        n += !is_weekend(cal->weekend, cal->hol[i].day);
    }
    cal->hol_total = n;
    n = 0;
    for (size_t i = 0; i < cal->nwork; i++) {
        cal->work[i].before = n;
        n += is_weekend(cal->weekend, cal->work[i].day);
    }
    cal->work_total = n;
}

static char *copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static void free_entries(bill_calendar *cal)
{
    for (size_t i = 0; i < cal->nhol; i++)
        free(cal->hol[i].name);
    free(cal->hol);
    free(cal->work);
    cal->hol = NULL;
    cal->work = NULL;
    cal->nhol = cal->caphol = cal->nwork = cal->capwork = 0;
}

static int fmt_day(char *buf, size_t cap, int32_t day)
{
    bill_date d;
    d.day = day;
    return (int)bill_date_format(d, buf, cap);
}

/*
 * Add a holiday without rebuilding the counts. Records the error on the
 * thread only (callers copy it to the handle).
 */
static int insert_holiday(bill_calendar *cal, int32_t day, const char *name)
{
    char dt[32];
    if (!valid_day(day))
        return billi_error(BILL_EDATE, "calendar: holiday day number %ld is outside 0001-01-01..9999-12-31",
                           (long)day);
    if (is_workday_entry(cal, day)) {
        fmt_day(dt, sizeof dt, day);
        return billi_error(BILL_ECONFLICT,
                           "calendar: %s cannot be a holiday: it is already a make-up working day", dt);
    }
    if (name && !billi_utf8_valid(name, strlen(name))) {
        fmt_day(dt, sizeof dt, day);
        return billi_error(BILL_ESYNTAX, "calendar: the name of holiday %s is not valid UTF-8", dt);
    }
    size_t i = hol_lower(cal, day);
    if (i < cal->nhol && cal->hol[i].day == day) {
        /* Already there: harmless; a name given now replaces the old one. */
        if (name) {
            char *copy = copy_string(name);
            if (!copy)
                return billi_error(BILL_ENOMEM, "calendar: out of memory for a holiday name");
            free(cal->hol[i].name);
            cal->hol[i].name = copy;
        }
        return BILL_OK;
    }
    char *copy = NULL;
    if (name && !(copy = copy_string(name)))
        return billi_error(BILL_ENOMEM, "calendar: out of memory for a holiday name");
    if (cal->nhol == cal->caphol) {
        size_t ncap = cal->caphol ? cal->caphol * 2 : 16;
        struct holiday *p = realloc(cal->hol, ncap * sizeof *p);
        if (!p) {
            free(copy);
            return billi_error(BILL_ENOMEM, "calendar: out of memory for %zu holidays", ncap);
        }
        cal->hol = p;
        cal->caphol = ncap;
    }
    memmove(&cal->hol[i + 1], &cal->hol[i], (cal->nhol - i) * sizeof cal->hol[0]);
    cal->hol[i].day = day;
    cal->hol[i].before = 0;
    cal->hol[i].name = copy;
    cal->nhol++;
    return BILL_OK;
}

static int insert_workday(bill_calendar *cal, int32_t day)
{
    char dt[32];
    if (!valid_day(day))
        return billi_error(BILL_EDATE, "calendar: working day number %ld is outside 0001-01-01..9999-12-31",
                           (long)day);
    if (find_holiday(cal, day)) {
        fmt_day(dt, sizeof dt, day);
        return billi_error(BILL_ECONFLICT,
                           "calendar: %s cannot be a make-up working day: it is already a holiday", dt);
    }
    size_t i = work_lower(cal, day);
    if (i < cal->nwork && cal->work[i].day == day)
        return BILL_OK;
    if (cal->nwork == cal->capwork) {
        size_t ncap = cal->capwork ? cal->capwork * 2 : 16;
        struct workday *p = realloc(cal->work, ncap * sizeof *p);
        if (!p)
            return billi_error(BILL_ENOMEM, "calendar: out of memory for %zu working days", ncap);
        cal->work = p;
        cal->capwork = ncap;
    }
    memmove(&cal->work[i + 1], &cal->work[i], (cal->nwork - i) * sizeof cal->work[0]);
    cal->work[i].day = day;
    cal->work[i].before = 0;
    cal->nwork++;
    return BILL_OK;
}

/* Deep copy of the entries of src into an empty dst. */
static int copy_entries(bill_calendar *dst, const bill_calendar *src)
{
    dst->weekend = src->weekend;
    if (src->nhol) {
        dst->hol = malloc(src->nhol * sizeof *dst->hol);
        if (!dst->hol)
            return billi_error(BILL_ENOMEM, "calendar: out of memory copying holidays");
        dst->caphol = src->nhol;
        for (size_t i = 0; i < src->nhol; i++) {
            dst->hol[i] = src->hol[i];
            dst->hol[i].name = NULL;
            if (src->hol[i].name && !(dst->hol[i].name = copy_string(src->hol[i].name))) {
                dst->nhol = i;
                return billi_error(BILL_ENOMEM, "calendar: out of memory copying holidays");
            }
            dst->nhol = i + 1;
        }
    }
    if (src->nwork) {
        dst->work = malloc(src->nwork * sizeof *dst->work);
        if (!dst->work)
            return billi_error(BILL_ENOMEM, "calendar: out of memory copying working days");
        dst->capwork = dst->nwork = src->nwork;
        memcpy(dst->work, src->work, src->nwork * sizeof *dst->work);
    }
    return BILL_OK;
}

/* ---- life cycle and configuration ------------------------------------------ */

int bill_calendar_create(bill_calendar **out)
{
    BILLI_CHECK_ARG(out, "out");
    bill_calendar *cal = calloc(1, sizeof *cal);
    if (!cal)
        return billi_error(BILL_ENOMEM, "calendar: out of memory");
    cal->weekend = DEFAULT_WEEKEND;
    *out = cal;
    return BILL_OK;
}

void bill_calendar_free(bill_calendar *cal)
{
    if (!cal)
        return;
    free_entries(cal);
    free(cal);
}

int bill_calendar_set_weekend(bill_calendar *cal, unsigned mask)
{
    BILLI_CHECK_ARG(cal, "cal");
    if (mask & ~WEEK_MASK)
        return billi_error_to(cal->errmsg,
                              billi_error(BILL_EINVAL, "calendar: weekend mask 0x%x has bits above "
                                          "the seven weekdays (0x7f)", mask));
    if (mask == WEEK_MASK)
        return billi_error_to(cal->errmsg,
                              billi_error(BILL_EINVAL, "calendar: weekend mask 0x7f leaves no "
                                          "working weekday"));
    cal->weekend = mask;
    rebuild_counts(cal);
    return BILL_OK;
}

unsigned bill_calendar_weekend(const bill_calendar *cal)
{
    return cal ? cal->weekend : 0;
}

int bill_calendar_add_holiday(bill_calendar *cal, bill_date d, const char *name)
{
    BILLI_CHECK_ARG(cal, "cal");
    int rc = insert_holiday(cal, d.day, name);
    if (rc != BILL_OK)
        return billi_error_to(cal->errmsg, rc);
    rebuild_counts(cal);
    return BILL_OK;
}

int bill_calendar_add_working_day(bill_calendar *cal, bill_date d)
{
    BILLI_CHECK_ARG(cal, "cal");
    int rc = insert_workday(cal, d.day);
    if (rc != BILL_OK)
        return billi_error_to(cal->errmsg, rc);
    rebuild_counts(cal);
    return BILL_OK;
}

/* ---- loading text ----------------------------------------------------------- */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Apply one line (comment already cut, blanks trimmed, not empty) to cal. */
static int load_line(bill_calendar *cal, const char *s, size_t n, size_t lineno)
{
    char q[128], msg[BILLI_ERRMSG_MAX];
    size_t i = 0;
    while (i < n && !is_blank(s[i]))
        i++;
    bill_date d;
    int rc = bill_date_parse(&d, s, i);
    if (rc != BILL_OK) {
        snprintf(msg, sizeof msg, "%s", bill_errmsg());
        return billi_error(rc, "calendar: line %zu: %s", lineno, msg);
    }
    while (i < n && is_blank(s[i]))
        i++;
    size_t kw = i;
    while (i < n && !is_blank(s[i]))
        i++;
    size_t kwlen = i - kw;
    while (i < n && is_blank(s[i]))
        i++;
    const char *rest = s + i;
    size_t restlen = n - i;

    if (kwlen == 7 && memcmp(s + kw, "holiday", 7) == 0) {
        char *name = NULL;
        if (restlen) {
            name = malloc(restlen + 1);
            if (!name)
                return billi_error(BILL_ENOMEM, "calendar: line %zu: out of memory", lineno);
            memcpy(name, rest, restlen);
            name[restlen] = '\0';
        }
        rc = insert_holiday(cal, d.day, name);
        free(name);
    } else if (kwlen == 7 && memcmp(s + kw, "working", 7) == 0) {
        if (restlen) {
            billi_quote(q, sizeof q, rest, restlen);
            return billi_error(BILL_ESYNTAX, "calendar: line %zu: unexpected text '%s' after 'working'",
                               lineno, q);
        }
        rc = insert_workday(cal, d.day);
    } else if (kwlen == 0) {
        return billi_error(BILL_ESYNTAX,
                           "calendar: line %zu: missing entry type after the date ('holiday' or 'working')",
                           lineno);
    } else {
        billi_quote(q, sizeof q, s + kw, kwlen);
        return billi_error(BILL_ESYNTAX,
                           "calendar: line %zu: unknown entry type '%s' (expected 'holiday' or 'working')",
                           lineno, q);
    }
    if (rc != BILL_OK) {
        snprintf(msg, sizeof msg, "%s", bill_errmsg());
        return billi_error(rc, "calendar: line %zu: %s", lineno,
                           strncmp(msg, "calendar: ", 10) == 0 ? msg + 10 : msg);
    }
    return BILL_OK;
}

int bill_calendar_load(bill_calendar *cal, const char *text, size_t len)
{
    BILLI_CHECK_ARG(cal, "cal");
    if (!text)
        return billi_error_to(cal->errmsg,
                              billi_error(BILL_EINVAL, "%s: argument '%s' is invalid", __func__, "text"));
    if (len == (size_t)-1)
        len = strlen(text);

    /* Work on a copy, then swap it in: all or nothing. */
    bill_calendar tmp;
    memset(&tmp, 0, sizeof tmp);
    int rc = copy_entries(&tmp, cal);
    size_t lineno = 0, pos = 0;
    while (rc == BILL_OK && pos < len) {
        lineno++;
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (memchr(line, '\0', n)) {
            rc = billi_error(BILL_ESYNTAX, "calendar: line %zu: contains a NUL byte", lineno);
            break;
        }
        const char *hash = memchr(line, '#', n);
        if (hash)
            n = (size_t)(hash - line);
        size_t a = 0;
        while (a < n && is_blank(line[a]))
            a++;
        while (n > a && is_blank(line[n - 1]))
            n--;
        if (n > a)
            rc = load_line(&tmp, line + a, n - a, lineno);
    }
    if (rc != BILL_OK) {
        free_entries(&tmp);
        return billi_error_to(cal->errmsg, rc);
    }
    free_entries(cal);
    cal->hol = tmp.hol;
    cal->nhol = tmp.nhol;
    cal->caphol = tmp.caphol;
    cal->work = tmp.work;
    cal->nwork = tmp.nwork;
    cal->capwork = tmp.capwork;
    rebuild_counts(cal);
    return BILL_OK;
}

/* ---- queries ----------------------------------------------------------------- */

static int day_type(const bill_calendar *cal, int32_t day)
{
    if (find_holiday(cal, day))
        return BILL_DAY_HOLIDAY;
    if (is_workday_entry(cal, day))
        return BILL_DAY_WORKING;
    return is_weekend(cal->weekend, day) ? BILL_DAY_WEEKEND : BILL_DAY_WORKING;
}

int bill_calendar_day_type(const bill_calendar *cal, bill_date d)
{
    BILLI_CHECK_ARG(cal, "cal");
    if (!valid_day(d.day))
        return billi_error(BILL_EDATE, "calendar: day number %ld is outside 0001-01-01..9999-12-31",
                           (long)d.day);
    return day_type(cal, d.day);
}

int bill_calendar_is_working_day(const bill_calendar *cal, bill_date d)
{
    int t = bill_calendar_day_type(cal, d);
    if (t < 0)
        return t;
    return t == BILL_DAY_WORKING;
}

const char *bill_calendar_holiday_name(const bill_calendar *cal, bill_date d)
{
    if (!cal)
        return NULL;
    const struct holiday *h = find_holiday(cal, d.day);
    if (!h)
        return NULL;
    return h->name ? h->name : "";
}

/* Days in [start, end) whose weekday is outside the weekend (start <= end). */
static int64_t weekdays_between(unsigned mask, int32_t start, int32_t end)
{
    int64_t n = (int64_t)end - start;
    int per_week = 0;
    for (int i = 0; i < 7; i++)
        per_week += !((mask >> i) & 1u);
    int64_t count = (n / 7) * per_week;
    bill_date d;
    d.day = start;
    int wd = bill_date_weekday(d) - 1; /* 0 = Monday */
    for (int64_t i = 0; i < n % 7; i++)
        count += !((mask >> ((wd + i) % 7)) & 1u);
    return count;
}

/* Working days in [start, end), start <= end, both in range. */
static int64_t count_working(const bill_calendar *cal, int32_t start, int32_t end)
{
    int64_t n = weekdays_between(cal->weekend, start, end);
    size_t h0 = hol_lower(cal, start), h1 = hol_lower(cal, end);
    int32_t hb0 = h0 < cal->nhol ? cal->hol[h0].before : cal->hol_total;
    int32_t hb1 = h1 < cal->nhol ? cal->hol[h1].before : cal->hol_total;
    size_t w0 = work_lower(cal, start), w1 = work_lower(cal, end);
    int32_t wb0 = w0 < cal->nwork ? cal->work[w0].before : cal->work_total;
    int32_t wb1 = w1 < cal->nwork ? cal->work[w1].before : cal->work_total;
    return n - (hb1 - hb0) + (wb1 - wb0);
}

int32_t bill_calendar_working_days(const bill_calendar *cal, bill_period p)
{
    char a[32], b[32];
    BILLI_CHECK_ARG(cal, "cal");
    if (!valid_day(p.start.day) || !valid_day(p.end.day))
        return billi_error(BILL_EDATE, "calendar: period has a date outside 0001-01-01..9999-12-31");
    if (p.end.day < p.start.day) {
        fmt_day(a, sizeof a, p.start.day);
        fmt_day(b, sizeof b, p.end.day);
        return billi_error(BILL_EDATE, "calendar: period end %s is before its start %s", b, a);
    }
    return (int32_t)count_working(cal, p.start.day, p.end.day);
}

int bill_calendar_add_working_days(const bill_calendar *cal, bill_date *out, bill_date d, int32_t n)
{
    char a[32];
    BILLI_CHECK_ARG(cal, "cal");
    BILLI_CHECK_ARG(out, "out");
    if (!valid_day(d.day))
        return billi_error(BILL_EDATE, "calendar: day number %ld is outside 0001-01-01..9999-12-31",
                           (long)d.day);
    if (n == 0) {
        if (day_type(cal, d.day) == BILL_DAY_WORKING) {
            *out = d;
            return BILL_OK;
        }
        n = 1;
    }
    /*
     * Binary search on the monotone count of working days between d and a
     * candidate x: O(log range × log entries), whatever n is.
     */
    if (n > 0) {
        /* smallest x in (d, MAX] with count(d+1 .. x] >= n */
        int32_t lo = d.day + 1, hi = CAL_DAY_MAX;
        if (d.day == CAL_DAY_MAX || count_working(cal, d.day + 1, CAL_DAY_MAX + 1) < n) {
            fmt_day(a, sizeof a, d.day);
            return billi_error(BILL_EDATE, "calendar: %ld working days after %s are past 9999-12-31",
                               (long)n, a);
        }
        while (lo < hi) {
            int32_t mid = lo + (hi - lo) / 2;
            if (count_working(cal, d.day + 1, mid + 1) >= n)
                hi = mid;
            else
                lo = mid + 1;
        }
        out->day = lo;
    } else {
        int64_t want = -(int64_t)n;
        /* largest x in [MIN, d) with count[x .. d) >= want */
        int32_t lo = CAL_DAY_MIN, hi = d.day - 1;
        if (d.day == CAL_DAY_MIN || count_working(cal, CAL_DAY_MIN, d.day) < want) {
            fmt_day(a, sizeof a, d.day);
            return billi_error(BILL_EDATE, "calendar: %lld working days before %s are before 0001-01-01",
                               (long long)want, a);
        }
        while (lo < hi) {
            int32_t mid = hi - (hi - lo) / 2;
            if (count_working(cal, mid, d.day) >= want)
                lo = mid;
            else
                hi = mid - 1;
        }
        out->day = lo;
    }
    return BILL_OK;
}

const char *bill_calendar_errmsg(const bill_calendar *cal)
{
    return cal ? cal->errmsg : "";
}
