/*
 * Anomalies in the stored reading history (include/bill/verify.h): zero
 * usage over consecutive periods, usage far outside a meter's own history,
 * and readings that went down.
 */
#include "store_internal.h"
#include "verify_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct anom {
    int kind;
    char *account, *serial, *usage, *evidence;
    bill_date from, to;
    char from_txt[16], to_txt[16];
} anom;

struct bill_anomalies {
    anom *v;
    size_t n, cap;
};

/* One period of a meter: between two consecutive readings. */
typedef struct period {
    int32_t from, to, days;
    int decrease;
    bill_dec usage;   /* kWh (advance × multiplier) */
    char *account;
} period;

static const char *const kind_names[] = { "zero_usage", "high_usage", "low_usage",
                                          "reading_decrease" };

const char *bill_anomaly_kind_name(int kind)
{
    return kind >= 0 && kind <= BILL_ANOMALY_READING_DECREASE ? kind_names[kind] : NULL;
}

void bill_anomaly_options_init(bill_anomaly_options *out)
{
    bill_anomaly_options d = BILL_ANOMALY_OPTIONS_INIT;
    if (out)
        *out = d;
}

void bill_anomalies_free(bill_anomalies *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i].account);
        free(a->v[i].serial);
        free(a->v[i].usage);
        free(a->v[i].evidence);
    }
    free(a->v);
    free(a);
}

static int32_t day_of(int64_t minute)
{
    return (int32_t)(minute >= 0 ? minute / 1440 : -((-minute + 1439) / 1440));
}

static int emit(bill_anomalies *a, int kind, const char *account, const char *serial,
                int32_t from, int32_t to, const bill_dec *usage, const char *fmt, ...)
    BILLI_PRINTF(8, 9);
static int emit(bill_anomalies *a, int kind, const char *account, const char *serial,
                int32_t from, int32_t to, const bill_dec *usage, const char *fmt, ...)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        anom *p = realloc(a->v, cap * sizeof *p);
        if (!p)
            return billi_error(BILL_ENOMEM, "anomalies: out of memory");
        a->v = p;
        a->cap = cap;
    }
    anom *x = &a->v[a->n];
    memset(x, 0, sizeof *x);
    char buf[1024], u[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (usage)
        billi_dec_text(u, sizeof u, usage);
    else
        u[0] = '\0';
    x->kind = kind;
    x->from.day = from;
    x->to.day = to;
    billi_date_text(x->from_txt, x->from);
    billi_date_text(x->to_txt, x->to);
    x->account = billi_strdup(account);
    x->serial = billi_strdup(serial);
    x->usage = billi_strdup(u);
    x->evidence = billi_strdup(buf);
    a->n++;
    if (!x->account || !x->serial || !x->usage || !x->evidence)
        return billi_error(BILL_ENOMEM, "anomalies: out of memory");
    return BILL_OK;
}

/* The accounts of `serial` on day d joined with '+' ("" when not linked). */
static int accounts_on(char **out, bill_store *s, const char *serial, int32_t day)
{
    bill_link_list *l = NULL;
    bill_date d = { day };
    BILLI_TRY(bill_registry_meter_accounts(&l, s, serial, d));
    billi_sb b = { 0 };
    for (int i = 0; i < bill_link_list_count(l); i++) {
        if (i)
            billi_sb_put(&b, "+", 1);
        billi_sb_str(&b, bill_link_list_account(l, i));
    }
    bill_link_list_free(l);
    return billi_sb_take(out, &b);
}

/* Daily text: usage / days at 2 decimals. */
static void per_day(char *buf, size_t cap, const bill_dec *usage, int32_t days)
{
    bill_dec d = BILL_DEC_INIT, r = BILL_DEC_INIT;
    bill_dec_set_i64(&d, days, 0);
    if (bill_dec_div(&r, usage, &d, 2, BILL_ROUND_HALF_UP) == BILL_OK)
        billi_dec_text(buf, cap, &r);
    else
        snprintf(buf, cap, "?");
    bill_dec_clear(&d);
    bill_dec_clear(&r);
}

/* a/da < b/db  (days > 0) */
static int ratio_cmp(const bill_dec *a, int32_t da, const bill_dec *b, int32_t db)
{
    bill_dec x = BILL_DEC_INIT, y = BILL_DEC_INIT, t = BILL_DEC_INIT;
    bill_dec_set_i64(&t, db, 0);
    bill_dec_mul(&x, a, &t);
    bill_dec_set_i64(&t, da, 0);
    bill_dec_mul(&y, b, &t);
    int c = bill_dec_cmp(&x, &y);
    bill_dec_clear(&x);
    bill_dec_clear(&y);
    bill_dec_clear(&t);
    return c;
}

static int in_window(const bill_anomaly_options *o, int32_t end)
{
    if (o->window.start.day == o->window.end.day)
        return 1;
    return end >= o->window.start.day && end < o->window.end.day;
}

/* Analyse the periods of one meter. */
static int analyse(bill_anomalies *a, const bill_anomaly_options *o, const char *serial,
                   period *p, size_t n)
{
    int rc = BILL_OK;
    char fa[16], fb[16];
    /* zero-usage runs */
    for (size_t i = 0; rc == BILL_OK && i < n;) {
        if (p[i].decrease || !bill_dec_is_zero(&p[i].usage) || !*p[i].account) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && !p[j].decrease && bill_dec_is_zero(&p[j].usage) &&
               strcmp(p[j].account, p[i].account) == 0)
            j++;
        if ((int)(j - i) >= o->zero_periods && in_window(o, p[j - 1].to)) {
            bill_date x = { p[i].from }, y = { p[j - 1].to };
            billi_date_text(fa, x);
            billi_date_text(fb, y);
            bill_dec zero = BILL_DEC_INIT;
            rc = emit(a, BILL_ANOMALY_ZERO_USAGE, p[i].account, serial, p[i].from, p[j - 1].to,
                      &zero, "meter %s of account %s advanced 0 kWh over %d consecutive periods "
                      "from %s to %s (threshold %d)", serial, p[i].account, (int)(j - i), fa, fb,
                      o->zero_periods);
        }
        i = j;
    }
    /* out of range against the lower median of up to `history` previous periods */
    size_t idx[64];
    for (size_t k = 0; rc == BILL_OK && k < n; k++) {
        if (p[k].decrease) {
            if (in_window(o, p[k].to)) {
                bill_date x = { p[k].from }, y = { p[k].to };
                billi_date_text(fa, x);
                billi_date_text(fb, y);
                rc = emit(a, BILL_ANOMALY_READING_DECREASE, p[k].account, serial, p[k].from,
                          p[k].to, NULL, "meter %s: the reading of %s is below that of %s and "
                          "is no plausible rollover", serial, fb, fa);
            }
            continue;
        }
        if (!in_window(o, p[k].to))
            continue;
        size_t m = 0;
        for (size_t j = k; j-- > 0 && (int)m < o->history;)
            if (!p[j].decrease)
                idx[m++] = j;
        if ((int)m < o->min_history)
            continue;
        /* insertion sort by daily usage */
        for (size_t x = 1; x < m; x++)
            for (size_t y = x; y > 0 && ratio_cmp(&p[idx[y]].usage, p[idx[y]].days,
                                                  &p[idx[y - 1]].usage, p[idx[y - 1]].days) < 0; y--) {
                size_t t = idx[y];
                idx[y] = idx[y - 1];
                idx[y - 1] = t;
            }
        const period *med = &p[idx[(m - 1) / 2]];
        if (bill_dec_is_zero(&med->usage))
            continue;
        bill_dec l = BILL_DEC_INIT, r = BILL_DEC_INIT, t = BILL_DEC_INIT, u = BILL_DEC_INIT;
        /* l = usage × d_m, r = u_m × days */
        bill_dec_set_i64(&t, med->days, 0);
        rc = bill_dec_mul(&l, &p[k].usage, &t);
        bill_dec_set_i64(&t, p[k].days, 0);
        if (rc == BILL_OK)
            rc = bill_dec_mul(&r, &med->usage, &t);
        int kind = -1;
        if (rc == BILL_OK && bill_dec_mul(&u, &o->factor, &r) == BILL_OK &&
            bill_dec_cmp(&l, &u) > 0)
            kind = BILL_ANOMALY_HIGH_USAGE;
        if (rc == BILL_OK && kind < 0 && bill_dec_mul(&u, &o->factor, &l) == BILL_OK &&
            bill_dec_cmp(&u, &r) < 0)
            kind = BILL_ANOMALY_LOW_USAGE;
        if (kind >= 0) {
            char fk[64], du[64], dm[64], tot[64];
            billi_dec_text(fk, sizeof fk, &o->factor);
            billi_dec_text(tot, sizeof tot, &p[k].usage);
            per_day(du, sizeof du, &p[k].usage, p[k].days);
            per_day(dm, sizeof dm, &med->usage, med->days);
            bill_date x = { p[k].from }, y = { p[k].to };
            billi_date_text(fa, x);
            billi_date_text(fb, y);
            rc = emit(a, kind, p[k].account, serial, p[k].from, p[k].to, &p[k].usage,
                      "meter %s used %s kWh from %s to %s (%d days, %s a day), %s%s times the median "
                      "daily usage %s of its previous %d periods", serial, tot, fa, fb,
                      (int)p[k].days, du,
                      kind == BILL_ANOMALY_HIGH_USAGE ? "above " : "below 1/",
                      fk, dm, (int)m);
        }
        bill_dec_clear(&l);
        bill_dec_clear(&r);
        bill_dec_clear(&t);
        bill_dec_clear(&u);
    }
    return rc;
}

static int cmp_anom(const void *x, const void *y)
{
    const anom *a = x, *b = y;
    int c = strcmp(a->account, b->account);
    if (!c)
        c = strcmp(a->serial, b->serial);
    if (!c)
        c = (a->from.day > b->from.day) - (a->from.day < b->from.day);
    if (!c)
        c = (a->kind > b->kind) - (a->kind < b->kind);
    return c;
}

static const char SQL_ALL[] =
    "SELECT m.serial, g.digits, r.read_at, r.value FROM readings r "
    "JOIN registers g ON g.id = r.register_id JOIN meters m ON m.id = g.meter_id "
    "WHERE g.code = 'total' ORDER BY m.serial, r.read_at";

static void periods_clear(period *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bill_dec_clear(&p[i].usage);
        free(p[i].account);
    }
}

int bill_anomalies_find(bill_anomalies **out, bill_store *s, const bill_anomaly_options *opts)
{
    BILLI_CHECK_ARG(out, "out");
    *out = NULL;
    BILLI_CHECK_ARG(s, "store");
    bill_anomaly_options def = BILL_ANOMALY_OPTIONS_INIT;
    const bill_anomaly_options *o = opts ? opts : &def;
    if (o->version != BILL_ANOMALY_OPTIONS_VERSION)
        return billi_error(BILL_EINVAL, "anomalies: options version %d, expected %d", o->version,
                           BILL_ANOMALY_OPTIONS_VERSION);
    bill_dec one = BILL_DEC_INIT;
    bill_dec_set_i64(&one, 1, 0);
    if (bill_dec_cmp(&o->factor, &one) <= 0)
        return billi_error(BILL_EINVAL, "anomalies: option 'factor' must be above 1");
    if (o->zero_periods < 1)
        return billi_error(BILL_EINVAL, "anomalies: option 'zero_periods' must be at least 1");
    if (o->history < 1 || o->history > 64 || o->min_history < 1 || o->min_history > o->history)
        return billi_error(BILL_EINVAL, "anomalies: options 'history' (1..64) and 'min_history' "
                           "(1..history) are out of range");
    bill_anomalies *a = calloc(1, sizeof *a);
    if (!a)
        return billi_error(BILL_ENOMEM, "anomalies: out of memory");
    sqlite3_stmt *st;
    int rc = billi_store_prepare(s, &st, SQL_ALL, "anomalies: reading history");
    if (rc != BILL_OK) {
        bill_anomalies_free(a);
        return rc;
    }
    period *p = NULL;
    size_t np = 0, cap = 0;
    char serial[128] = "";
    bill_dec prev = BILL_DEC_INIT, cur = BILL_DEC_INIT, adv = BILL_DEC_INIT, mult = BILL_DEC_INIT;
    int64_t prev_at = 0;
    int have_prev = 0, digits = 0;
    for (;;) {
        int step = sqlite3_step(st);
        int done = step == SQLITE_DONE;
        if (!done && step != SQLITE_ROW) {
            rc = billi_store_err(s, step, "anomalies: reading history");
            break;
        }
        const char *ser = done ? "" : (const char *)sqlite3_column_text(st, 0);
        if (!ser)
            ser = "";
        if (done || strcmp(ser, serial) != 0) {
            if (np)
                rc = analyse(a, o, serial, p, np);
            periods_clear(p, np);
            np = 0;
            have_prev = 0;
            if (rc != BILL_OK || done)
                break;
            snprintf(serial, sizeof serial, "%s", ser);
        }
        digits = sqlite3_column_int(st, 1);
        int64_t at = sqlite3_column_int64(st, 2);
        rc = billi_column_dec(&cur, st, 3);
        if (rc != BILL_OK)
            break;
        if (have_prev) {
            if (np == cap) {
                size_t nc = cap ? cap * 2 : 32;
                period *q = realloc(p, nc * sizeof *q);
                if (!q) {
                    rc = billi_error(BILL_ENOMEM, "anomalies: out of memory");
                    break;
                }
                p = q;
                cap = nc;
            }
            period *x = &p[np];
            memset(x, 0, sizeof *x);
            bill_dec_init(&x->usage);
            x->from = day_of(prev_at);
            x->to = day_of(at);
            x->days = x->to - x->from < 1 ? 1 : x->to - x->from;
            np++;
            bill_date d = { x->from };
            if (bill_registry_multiplier_on(&mult, s, serial, d) != BILL_OK)
                bill_dec_set_i64(&mult, 1, 0);
            int arc = bill_register_advance(&adv, &x->usage, NULL, &prev, &cur, digits,
                                            BILL_REGISTER_MAX_DECIMALS, &mult, NULL);
            if (arc != BILL_OK)
                x->decrease = 1;
            rc = accounts_on(&x->account, s, serial, x->from);
            if (rc != BILL_OK)
                break;
        }
        rc = bill_dec_copy(&prev, &cur);
        if (rc != BILL_OK)
            break;
        prev_at = at;
        have_prev = 1;
    }
    billi_store_done(s, st);
    periods_clear(p, np);
    free(p);
    bill_dec_clear(&prev);
    bill_dec_clear(&cur);
    bill_dec_clear(&adv);
    bill_dec_clear(&mult);
    if (rc != BILL_OK) {
        bill_anomalies_free(a);
        return rc;
    }
    if (a->n)
        qsort(a->v, a->n, sizeof *a->v, cmp_anom);
    *out = a;
    return BILL_OK;
}

size_t bill_anomalies_count(const bill_anomalies *a)
{
    return a ? a->n : 0;
}

int bill_anomalies_kind(const bill_anomalies *a, size_t i)
{
    return a && i < a->n ? a->v[i].kind : billi_error(BILL_EINVAL, "anomalies: no entry %zu", i);
}

const char *bill_anomalies_text(const bill_anomalies *a, size_t i, const char *name)
{
    if (!a || i >= a->n || !name)
        return "";
    const anom *x = &a->v[i];
    if (strcmp(name, "account") == 0)
        return x->account;
    if (strcmp(name, "meter_serial") == 0)
        return x->serial;
    if (strcmp(name, "from") == 0)
        return x->from_txt;
    if (strcmp(name, "to") == 0)
        return x->to_txt;
    if (strcmp(name, "usage") == 0)
        return x->usage;
    if (strcmp(name, "evidence") == 0)
        return x->evidence;
    return "";
}

int bill_anomalies_to_csv(char **out, const bill_anomalies *a)
{
    BILLI_CHECK_ARG(out, "out");
    *out = NULL;
    BILLI_CHECK_ARG(a, "a");
    billi_sb b = { 0 };
    billi_sb_str(&b, "account,meter_serial,kind,from,to,usage,evidence\n");
    for (size_t i = 0; i < a->n; i++) {
        const anom *x = &a->v[i];
        billi_sb_csv(&b, x->account);
        billi_sb_put(&b, ",", 1);
        billi_sb_csv(&b, x->serial);
        billi_sb_fmt(&b, ",%s,%s,%s,%s,", kind_names[x->kind], x->from_txt, x->to_txt, x->usage);
        billi_sb_csv(&b, x->evidence);
        billi_sb_put(&b, "\n", 1);
    }
    return billi_sb_take(out, &b);
}

int bill_anomalies_to_json(char **out, const bill_anomalies *a)
{
    BILLI_CHECK_ARG(out, "out");
    *out = NULL;
    BILLI_CHECK_ARG(a, "a");
    billi_sb b = { 0 };
    billi_sb_str(&b, "{\"anomalies\":[");
    for (size_t i = 0; i < a->n; i++) {
        const anom *x = &a->v[i];
        billi_sb_str(&b, i ? ",\n{\"account\":" : "\n{\"account\":");
        billi_sb_json(&b, x->account);
        billi_sb_str(&b, ",\"meter_serial\":");
        billi_sb_json(&b, x->serial);
        billi_sb_fmt(&b, ",\"kind\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"usage\":\"%s\","
                         "\"evidence\":", kind_names[x->kind], x->from_txt, x->to_txt, x->usage);
        billi_sb_json(&b, x->evidence);
        billi_sb_str(&b, "}");
    }
    billi_sb_str(&b, "]}\n");
    return billi_sb_take(out, &b);
}
