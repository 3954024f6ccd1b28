/*
 * libbill interval data and demand inputs of a usage: the setters for
 * intervals, the calendar, TOU maximum demands and prior monthly peaks, their
 * JSON members, and the computations over intervals that bill_tariff_compute
 * uses (coverage of the period, split by segment, TOU assignment, peaks).
 * Times are local civil times: every day has 24 hours (no DST shifts).
 */
#include "tariff_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- usage storage -------------------------------------------------------------- */

void billi_usage_free_demand(bill_usage *u)
{
    for (size_t i = 0; i < u->iv_cap; i++)
        bill_dec_clear(&u->iv_kwh[i]);
    free(u->iv_kwh);
    u->iv_kwh = NULL;
    u->iv_cap = u->niv = 0;
    for (int i = 0; i < BILL_TARIFF_MAX_TOU; i++)
        bill_dec_clear(&u->tou_md_kw[i]);
    for (int i = 0; i < BILL_USAGE_MAX_PRIOR_PEAKS; i++)
        bill_dec_clear(&u->prior_kw[i]);
}

void billi_usage_reset_demand(bill_usage *u)
{
    u->niv = 0;               /* the storage stays for the next usage */
    u->iv_start.minute = 0;
    u->iv_minutes = 0;
    u->cal = NULL;
    u->ntou_md = 0;
    u->nprior = 0;
}

/* Room for n intervals (zeroed decimals are valid values). */
static int reserve(bill_usage *u, size_t n)
{
    if (n <= u->iv_cap)
        return BILL_OK;
    size_t cap = u->iv_cap ? u->iv_cap : 256;
    while (cap < n)
        cap *= 2;
    if (cap > BILL_USAGE_MAX_INTERVALS)
        cap = BILL_USAGE_MAX_INTERVALS;
    bill_dec *p = realloc(u->iv_kwh, cap * sizeof *p);
    if (!p)
        return billi_error(BILL_ENOMEM, "usage: out of memory for %zu intervals", n);
    memset(p + u->iv_cap, 0, (cap - u->iv_cap) * sizeof *p);
    u->iv_kwh = p;
    u->iv_cap = cap;
    return BILL_OK;
}

/* The sizes a meter can give (the rule of the other usage quantities); 0 or an error. */

static int check_minutes(int minutes)
{
    if (minutes != 15 && minutes != 30 && minutes != 60)
        return billi_error(BILL_ERANGE, "usage: intervals must last 15, 30 or 60 minutes, not %d",
                           minutes);
    return BILL_OK;
}

int bill_usage_set_intervals(bill_usage *u, bill_datetime start, int minutes, const bill_dec *kwh,
                             size_t n)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kwh != NULL || n == 0, "kwh");
    if (n == 0) {
        u->niv = 0;
        return BILL_OK;
    }
    BILLI_TRY(check_minutes(minutes));
    if (n > BILL_USAGE_MAX_INTERVALS)
        return billi_error(BILL_ERANGE, "usage: at most %d intervals, not %zu",
                           BILL_USAGE_MAX_INTERVALS, n);
    for (size_t i = 0; i < n; i++)
        BILLI_TRY(billi_usage_check_qty(&kwh[i], "interval", i, 1));
    BILLI_TRY(reserve(u, n));
    for (size_t i = 0; i < n; i++) {
        int rc = bill_dec_copy(&u->iv_kwh[i], &kwh[i]);
        if (rc != BILL_OK) {
            u->niv = 0;
            return rc;
        }
    }
    u->niv = n;
    u->iv_start = start;
    u->iv_minutes = minutes;
    return BILL_OK;
}

size_t bill_usage_interval_count(const bill_usage *u)
{
    return u ? u->niv : 0;
}

int bill_usage_set_calendar(bill_usage *u, const bill_calendar *cal)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    u->cal = cal;
    return BILL_OK;
}

int bill_usage_set_tou_max_demand_kw(bill_usage *u, const char *period, const bill_dec *kw)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(period != NULL, "period");
    BILLI_CHECK_ARG(kw != NULL, "kw");
    if (!billi_usage_valid_name(period, NULL)) {
        char q[64];
        billi_quote(q, sizeof q, period, strlen(period));
        return billi_error(BILL_ESYNTAX, "usage: bad TOU period name '%s'", q);
    }
    BILLI_TRY(billi_usage_check_qty(kw, "TOU maximum demand", 0, 0));
    int i;
    for (i = 0; i < u->ntou_md; i++)
        if (strcmp(u->tou_md_name[i], period) == 0)
            break;
    if (i == BILL_TARIFF_MAX_TOU)
        return billi_error(BILL_ERANGE, "usage: at most %d TOU maximum demands",
                           BILL_TARIFF_MAX_TOU);
    BILLI_TRY(bill_dec_copy(&u->tou_md_kw[i], kw));
    if (i == u->ntou_md) {
        memset(u->tou_md_name[i], 0, BILL_NAME_MAX);
        memcpy(u->tou_md_name[i], period, strlen(period));
        u->ntou_md++;
    }
    return BILL_OK;
}

void bill_usage_clear_tou_max_demand(bill_usage *u)
{
    if (u)
        u->ntou_md = 0;
}

int bill_usage_add_prior_peak(bill_usage *u, bill_date month, const bill_dec *kw)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kw != NULL, "kw");
    if (!bill_date_is_valid(month))
        return billi_error(BILL_EDATE, "usage: prior peak month out of range");
    BILLI_TRY(billi_usage_check_qty(kw, "a prior peak", 0, 0));
    int dom;
    bill_date_to_ymd(month, NULL, NULL, &dom);
    bill_date first = {month.day - (dom - 1)};
    return billi_usage_dated_set(u->prior_month, u->prior_kw, &u->nprior,
                                 BILL_USAGE_MAX_PRIOR_PEAKS, first, kw, "prior peaks");
}

void bill_usage_clear_prior_peaks(bill_usage *u)
{
    if (u)
        u->nprior = 0;
}

/* ---- JSON members: "intervals", "tou_max_demand_kw", "prior_peaks_kw" ------------- */

/* Report a setter's failure again, about node n (so with the JSON path). */
static int refail(const billi_json_node *n)
{
    char msg[BILLI_ERRMSG_MAX];
    const char *m = bill_errmsg();
    if (strncmp(m, "usage: ", 7) == 0)
        m += 7;
    snprintf(msg, sizeof msg, "%s", m);
    return billi_json_fail(n, bill_errcode(), "%s", msg);
}

/* "YYYY-MM" into the first of that month. */
static int to_month(const billi_json_node *n, bill_date *out)
{
    const char *s;
    size_t len;
    BILLI_TRY(billi_json_to_string(n, &s, &len));
    char buf[16];
    if (len == 7 && s[4] == '-') {
        snprintf(buf, sizeof buf, "%.7s-01", s);
        if (bill_date_parse(out, buf, 10) == BILL_OK)
            return BILL_OK;
    }
    return billi_json_fail(n, BILL_EDATE, "bad month (expected \"YYYY-MM\")");
}

static int load_intervals(bill_usage *u, const billi_json_node *o)
{
    static const char *const keys[] = {"start", "minutes", "kwh", NULL};
    const billi_json_node *sn, *arr, *mn;
    const char *s;
    size_t len;
    int64_t minutes;
    bill_datetime start;
    BILLI_TRY(billi_json_expect(o, BILLI_JSON_OBJECT));
    BILLI_TRY(billi_json_check_keys(o, keys, "intervals"));
    BILLI_TRY(billi_json_get(o, "start", 1, &sn));
    BILLI_TRY(billi_json_to_string(sn, &s, &len));
    if (bill_datetime_parse(&start, s, len) != BILL_OK)
        return billi_json_fail(sn, BILL_EDATE, "bad start (expected \"YYYY-MM-DDTHH:MM\")");
    BILLI_TRY(billi_json_get(o, "minutes", 1, &mn));
    BILLI_TRY(billi_json_to_int(mn, 1, 1440, &minutes));
    if (check_minutes((int)minutes) != BILL_OK)
        return refail(mn);
    BILLI_TRY(billi_json_get_array(o, "kwh", 1, &arr));
    size_t n = billi_json_size(arr);
    if (n == 0)
        return billi_json_fail(arr, BILL_ERULE, "interval data needs at least one value");
    if (n > BILL_USAGE_MAX_INTERVALS)
        return billi_json_fail(arr, BILL_ERANGE, "at most %d intervals",
                               BILL_USAGE_MAX_INTERVALS);
    if (reserve(u, n) != BILL_OK)
        return BILL_ENOMEM;
    /* read straight into the usage's storage (no temporary array) */
    for (size_t i = 0; i < n; i++) {
        const billi_json_node *v = billi_json_at(arr, i);
        BILLI_TRY(billi_json_to_dec(v, &u->iv_kwh[i]));
        if (billi_usage_check_qty(&u->iv_kwh[i], "interval", i, 1) != BILL_OK)
            return refail(v);
    }
    u->niv = n;
    u->iv_start = start;
    u->iv_minutes = (int)minutes;
    return BILL_OK;
}

int billi_usage_load_demand(bill_usage *u, const billi_json_node *root)
{
    const billi_json_node *n = billi_json_find(root, "intervals");
    if (n)
        BILLI_TRY(load_intervals(u, n));
    n = billi_json_find(root, "tou_max_demand_kw");
    if (n) {
        BILLI_TRY(billi_json_expect(n, BILLI_JSON_OBJECT));
        if (billi_json_size(n) > BILL_TARIFF_MAX_TOU)
            return billi_json_fail(n, BILL_ERANGE, "at most %d TOU periods", BILL_TARIFF_MAX_TOU);
        for (size_t i = 0; i < billi_json_size(n); i++) {
            const billi_json_node *v = billi_json_at(n, i);
            size_t kl;
            const char *key = billi_json_key(v, &kl);
            if (kl != strlen(key) || !billi_usage_valid_name(key, NULL))
                return billi_json_fail(v, BILL_ESYNTAX, "bad TOU period name");
            bill_dec d = BILL_DEC_INIT;
            int rc = billi_json_to_dec(v, &d);
            if (rc == BILL_OK && bill_usage_set_tou_max_demand_kw(u, key, &d) != BILL_OK)
                rc = refail(v);
            bill_dec_clear(&d);
            BILLI_TRY(rc);
        }
    }
    n = billi_json_find(root, "prior_peaks_kw");
    if (n) {
        BILLI_TRY(billi_json_expect(n, BILLI_JSON_ARRAY));
        if (billi_json_size(n) > BILL_USAGE_MAX_PRIOR_PEAKS)
            return billi_json_fail(n, BILL_ERANGE, "at most %d prior peaks",
                                   BILL_USAGE_MAX_PRIOR_PEAKS);
        for (size_t i = 0; i < billi_json_size(n); i++) {
            static const char *const pkeys[] = {"month", "kw", NULL};
            const billi_json_node *r = billi_json_at(n, i), *mn, *kn;
            bill_date m;
            BILLI_TRY(billi_json_expect(r, BILLI_JSON_OBJECT));
            BILLI_TRY(billi_json_check_keys(r, pkeys, "prior peak"));
            BILLI_TRY(billi_json_get(r, "month", 1, &mn));
            BILLI_TRY(to_month(mn, &m));
            BILLI_TRY(billi_json_get(r, "kw", 1, &kn));
            for (int k = 0; k < u->nprior; k++)
                if (bill_date_cmp(u->prior_month[k], m) == 0)
                    return billi_json_fail(mn, BILL_ECONFLICT, "two prior peaks for one month");
            bill_dec d = BILL_DEC_INIT;
            int rc = billi_json_to_dec(kn, &d);
            if (rc == BILL_OK && bill_usage_add_prior_peak(u, m, &d) != BILL_OK)
                rc = refail(kn);
            bill_dec_clear(&d);
            BILLI_TRY(rc);
        }
    }
    return BILL_OK;
}

/* ---- intervals against the period and the schedules ------------------------------ */

static bill_datetime iv_time(const bill_usage *u, size_t i)
{
    return (bill_datetime){u->iv_start.minute + (int64_t)i * u->iv_minutes};
}

int billi_intervals_check(const bill_usage *u, bill_dec *kwh)
{
    char a[24], e[24];
    bill_datetime ps = {(int64_t)u->period.start.day * 1440};
    bill_datetime pe = {(int64_t)u->period.end.day * 1440};
    if (u->iv_start.minute != ps.minute) {
        bill_datetime_format(u->iv_start, a, sizeof a);
        bill_datetime_format(ps, e, sizeof e);
        return billi_error(BILL_ERULE, "bill: interval 0 starts at %s, not at the period's start "
                                       "%s (intervals must cover the period exactly)", a, e);
    }
    int64_t need = (pe.minute - ps.minute) / u->iv_minutes;
    if ((int64_t)u->niv < need) {
        bill_datetime_format(iv_time(u, u->niv), a, sizeof a);
        bill_datetime_format(pe, e, sizeof e);
        return billi_error(BILL_ERULE, "bill: gap in the interval data: interval %zu (%s) and "
                                       "later ones up to the period's end %s are missing",
                           u->niv, a, e);
    }
    if ((int64_t)u->niv > need) {
        bill_datetime_format(iv_time(u, (size_t)need), a, sizeof a);
        return billi_error(BILL_ERULE, "bill: interval %lld (%s) lies after the period's end: "
                                       "%zu intervals overlap the next period",
                           (long long)need, a, u->niv - (size_t)need);
    }
    int rc = bill_dec_set_i64(kwh, 0, 0);
    for (size_t i = 0; i < u->niv && rc == BILL_OK; i++)
        rc = bill_dec_add(kwh, kwh, &u->iv_kwh[i]);
    return rc;
}

int billi_intervals_split(bill_bill *b, const bill_usage *u)
{
    int rc = BILL_OK;
    size_t per_day = (size_t)(1440 / u->iv_minutes);
    for (int s = 0; s < b->nsegments; s++)
        b->seg_iv[s] = (size_t)bill_date_diff(u->period.start, b->seg[s].start) * per_day;
    b->seg_iv[b->nsegments] = u->niv;
    for (int s = 0; s < b->nsegments && rc == BILL_OK; s++) {
        rc = bill_dec_set_i64(&b->seg_kwh[s], 0, 0);
        for (size_t i = b->seg_iv[s]; i < b->seg_iv[s + 1] && rc == BILL_OK; i++)
            rc = bill_dec_add(&b->seg_kwh[s], &b->seg_kwh[s], &u->iv_kwh[i]);
    }
    return rc;
}

int billi_day_type(const bill_usage *u, bill_date d)
{
    if (u->cal)
        return bill_calendar_day_type(u->cal, d);
    return bill_date_weekday(d) >= BILL_SATURDAY ? BILLI_DAY_WEEKEND : BILLI_DAY_WORKING;
}

/* peak kW of an interval's kWh: × 60 / minutes, exact (4, 2 or 1) */
static int to_kw(bill_dec *kw, const bill_usage *u)
{
    bill_dec f = {60 / u->iv_minutes, 0, 0, NULL};
    int rc = bill_dec_mul(kw, kw, &f);
    return rc == BILL_OK ? bill_dec_trim(kw, kw, 0) : rc;   /* 359.9, not 359.900 */
}

int billi_intervals_tou(bill_bill *b, const bill_usage *u, int s, const billi_charge *c,
                        const billi_schedule *sc, bill_dec *sum, bill_dec *peak)
{
    int map[BILL_TARIFF_MAX_TOU], rc = BILL_OK;
    for (int p = 0; p < sc->nperiods; p++) {
        map[p] = -1;
        for (int q = 0; q < c->ntou; q++)
            if (strcmp(c->tou_name[q], sc->period[p]) == 0)
                map[p] = q;
    }
    for (int q = 0; q < c->ntou && rc == BILL_OK; q++) {
        if (sum)
            rc = bill_dec_set_i64(&sum[q], 0, 0);
        if (peak && rc == BILL_OK)
            rc = bill_dec_set_i64(&peak[q], 0, 0);
    }
    int g = sc->granularity, m = u->iv_minutes;
    size_t per_day = (size_t)(1440 / m);
    int span = m > g ? m / g : 1;       /* schedule slots an interval covers */
    int step = m >= g ? m / g : 0;      /* slots per interval (0: several intervals a slot) */
    for (size_t i = b->seg_iv[s]; i < b->seg_iv[s + 1] && rc == BILL_OK;) {
        bill_date d = {u->period.start.day + (int32_t)(i / per_day)};
        int mo, dt = billi_day_type(u, d);
        if (dt < 0 || dt >= BILLI_DAY_TYPES)
            return billi_error(BILL_EINTERNAL, "bill: the calendar gave no day type for interval "
                                               "%zu", i);
        bill_date_to_ymd(d, NULL, &mo, NULL);
        const unsigned char *row = sc->slot[mo - 1][dt];
        for (size_t k = 0; k < per_day && rc == BILL_OK; k++, i++) {
            int slot = step ? (int)k * step : (int)(k * (size_t)m / (size_t)g);
            int pi = row[slot];
            for (int x = 1; x < span; x++)
                if (row[slot + x] != pi) {
                    char a[24];
                    int at = (slot + x) * g;
                    bill_datetime_format(iv_time(u, i), a, sizeof a);
                    return billi_error(BILL_ERULE, "bill: interval %zu (%s, %d minutes) straddles "
                                       "the change from TOU period '%s' to '%s' at %02d:%02d in "
                                       "schedule '%s' of charge '%s' (%d-minute grid)",
                                       i, a, m, sc->period[pi], sc->period[row[slot + x]],
                                       at / 60, at % 60, sc->name, c->id, g);
                }
            int q = map[pi];
            if (q < 0)
                continue;
            if (sum)
                rc = bill_dec_add(&sum[q], &sum[q], &u->iv_kwh[i]);
            if (peak && rc == BILL_OK && bill_dec_cmp(&u->iv_kwh[i], &peak[q]) > 0)
                rc = bill_dec_copy(&peak[q], &u->iv_kwh[i]);
        }
    }
    for (int q = 0; peak && q < c->ntou && rc == BILL_OK; q++)
        rc = to_kw(&peak[q], u);
    return rc;
}

int billi_intervals_peak(const bill_bill *b, const bill_usage *u, int s, bill_dec *out)
{
    int rc = bill_dec_set_i64(out, 0, 0);
    for (size_t i = b->seg_iv[s]; i < b->seg_iv[s + 1] && rc == BILL_OK; i++)
        if (bill_dec_cmp(&u->iv_kwh[i], out) > 0)
            rc = bill_dec_copy(out, &u->iv_kwh[i]);
    return rc == BILL_OK ? to_kw(out, u) : rc;
}
