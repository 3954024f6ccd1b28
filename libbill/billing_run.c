/*
 * The billing run (include/bill/billing.h): determinants, usage, bill, and
 * the bill with its lines stored in schema v3's tables; the run report.
 */
#define _DEFAULT_SOURCE /* getrandom, clock_gettime */
#include "bill/billing.h"
#include "bill/determinants.h"
#include "bill/registry.h"
#include "store_internal.h"
#include "determinants_batch.h"
#include "tariff_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define BATCH 1000

typedef struct skip_entry {
    char *account;
    char *reason;
    int status;
} skip_entry;

/* An earlier run of the period that never finished, closed by this run. */
typedef struct interrupted_entry {
    sqlite3_int64 id;
    char uuid[BILL_UUID_LEN + 1];
    char started[32];
    size_t bills;   /* the bills it committed */
    size_t counted; /* this run's accounts already billed by it */
} interrupted_entry;

struct bill_billing_report {
    char uuid[BILL_UUID_LEN + 1];
    size_t accounts, billed, already;
    skip_entry *skips;
    size_t nskips, cap;
    interrupted_entry *interrupted;
    size_t ninterrupted;
};

void bill_billing_report_free(bill_billing_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nskips; i++) {
        free(r->skips[i].account);
        free(r->skips[i].reason);
    }
    free(r->skips);
    free(r->interrupted);
    free(r);
}

const char *bill_billing_report_uuid(const bill_billing_report *r) { return r ? r->uuid : ""; }
size_t bill_billing_report_accounts(const bill_billing_report *r) { return r ? r->accounts : 0; }
size_t bill_billing_report_billed(const bill_billing_report *r) { return r ? r->billed : 0; }
size_t bill_billing_report_already_billed(const bill_billing_report *r)
{
    return r ? r->already : 0;
}
size_t bill_billing_report_skipped(const bill_billing_report *r) { return r ? r->nskips : 0; }

const char *bill_billing_report_skipped_account(const bill_billing_report *r, size_t i)
{
    return r && i < r->nskips ? r->skips[i].account : NULL;
}

int bill_billing_report_skipped_status(const bill_billing_report *r, size_t i)
{
    return r && i < r->nskips ? r->skips[i].status : 0;
}

const char *bill_billing_report_skipped_reason(const bill_billing_report *r, size_t i)
{
    return r && i < r->nskips ? r->skips[i].reason : NULL;
}

size_t bill_billing_report_interrupted(const bill_billing_report *r)
{
    return r ? r->ninterrupted : 0;
}

const char *bill_billing_report_interrupted_uuid(const bill_billing_report *r, size_t i)
{
    return r && i < r->ninterrupted ? r->interrupted[i].uuid : NULL;
}

const char *bill_billing_report_interrupted_started(const bill_billing_report *r, size_t i)
{
    return r && i < r->ninterrupted ? r->interrupted[i].started : NULL;
}

size_t bill_billing_report_interrupted_bills(const bill_billing_report *r, size_t i)
{
    return r && i < r->ninterrupted ? r->interrupted[i].bills : 0;
}

size_t bill_billing_report_interrupted_counted(const bill_billing_report *r, size_t i)
{
    return r && i < r->ninterrupted ? r->interrupted[i].counted : 0;
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* ---- SQL ------------------------------------------------------------------------ */

static const char sql_run_insert[] =
    "INSERT INTO billing_runs (uuid, label, period_start, period_end) VALUES (?1, ?2, ?3, ?4)";
static const char sql_run_finish[] =
    "UPDATE billing_runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
    " accounts = ?2, billed = ?3, already_billed = ?4, skipped = ?5 WHERE id = ?1";
static const char sql_accounts_page[] =
    "SELECT id, reference, customer_class, household_size, capacity_kva, declared_kw,"
    " pf_standard, tariff FROM accounts WHERE reference > ?1 ORDER BY reference LIMIT 1000";
static const char sql_account_one[] =
    "SELECT id, reference, customer_class, household_size, capacity_kva, declared_kw,"
    " pf_standard, tariff FROM accounts WHERE reference = ?1";
static const char sql_billed[] =
    "SELECT run_id FROM bills WHERE account_id = ?1 AND period_start = ?2 AND period_end = ?3";
static const char sql_unfinished[] =
    "SELECT r.id, r.uuid, r.started_at, (SELECT count(*) FROM bills b WHERE b.run_id = r.id)"
    " FROM billing_runs r WHERE r.period_start = ?1 AND r.period_end = ?2"
    " AND r.finished_at IS NULL AND r.interrupted_by IS NULL ORDER BY r.id";
static const char sql_interrupt[] =
    "UPDATE billing_runs SET interrupted_by = ?2, billed = ?3 WHERE id = ?1";
static const char sql_bill_insert[] =
    "INSERT INTO bills (uuid, run_id, account_id, period_start, period_end, tariff_id,"
    " tariff_versions, currency, subtotal, tax, total, estimated, json)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
static const char sql_line_insert[] =
    "INSERT INTO bill_lines (bill_id, position, kind, charge, component, band, unit, quantity,"
    " unit_price, amount, segment_start, segment_end, explanation)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
static const char sql_skip_insert[] =
    "INSERT INTO billing_run_skips (run_id, account, status, reason) VALUES (?1, ?2, ?3, ?4)";
static const char sql_first_link[] =
    "SELECT min(l.valid_from) FROM links l JOIN link_shares ls ON ls.link_id = l.id"
    " WHERE ls.account_id = ?1";
static const char sql_iv_links[] =
    "SELECT l.meter_id, m.serial, l.valid_from, l.valid_to,"
    " (SELECT count(*) FROM link_shares x WHERE x.link_id = l.id)"
    " FROM links l JOIN link_shares ls ON ls.link_id = l.id JOIN meters m ON m.id = l.meter_id"
    " WHERE ls.account_id = ?1 AND l.valid_from < ?3 AND (l.valid_to IS NULL OR l.valid_to > ?2)";
static const char sql_iv_subs[] =
    "SELECT count(*) FROM submeters WHERE master_id = ?1 AND valid_from < ?3"
    " AND (valid_to IS NULL OR valid_to > ?2)";
static const char sql_iv_mult[] =
    "SELECT multiplier FROM multipliers WHERE meter_id = ?1 AND effective_from <= ?2"
    " ORDER BY effective_from DESC LIMIT 1";
static const char sql_iv_changes[] =
    "SELECT count(*) FROM multipliers WHERE meter_id = ?1 AND effective_from > ?2"
    " AND effective_from < ?3";
static const char sql_iv_rows[] =
    "SELECT start_minute, minutes, kwh, estimated FROM interval_readings"
    " WHERE meter_id = ?1 AND start_minute >= ?2 AND start_minute < ?3 ORDER BY start_minute";
static const char sql_bill_json[] =
    "SELECT b.json FROM bills b JOIN accounts a ON a.id = b.account_id"
    " WHERE a.reference = ?1 AND b.period_start = ?2 AND b.period_end = ?3";

typedef struct acct {
    sqlite3_int64 id;
    char ref[BILL_KEY_MAX];
    char cls[32];
    int household;
    char capacity[64], declared[64];
    char pf[8];
    char tariff[BILL_KEY_MAX];
} acct;

static void copy_col(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, t, n);
    dst[n] = 0;
}

static void read_acct(acct *a, sqlite3_stmt *st)
{
#define COPY(dst, col) copy_col(dst, sizeof dst, st, col)
    a->id = sqlite3_column_int64(st, 0);
    COPY(a->ref, 1);
    COPY(a->cls, 2);
    a->household = sqlite3_column_int(st, 3);
    COPY(a->capacity, 4);
    COPY(a->declared, 5);
    COPY(a->pf, 6);
    COPY(a->tariff, 7);
#undef COPY
}

static const char *kind_name(int kind)
{
    static const char *const names[] = { "fixed", "energy", "per_kwh", "minimum", "tax",
                                         "rounding", "capacity", "demand", "pf", "credit" };
    return kind >= 0 && kind < (int)(sizeof names / sizeof names[0]) ? names[kind] : "other";
}

/* ---- one account -------------------------------------------------------------- */

typedef struct run_ctx {
    bill_store *s;
    bill_period p;
    sqlite3_int64 run_id;
    const bill_tariff *const *tariffs;
    size_t ntariffs;
    bill_determinants *det;
    billi_det_batch *batch; /* the registry and readings of the current page of accounts */
    bill_usage *u;
    bill_bill *b;
    bill_billing_report *r;
    char start[16], end[16];
    char (*versions)[256]; /* per tariff: its versions in force in the period */
    unsigned char *annual; /* per tariff: 1 when a version in force has annual tiers */
    bill_determinants *ytd_det; /* year-to-date determinants (annual-tier accounts only) */
    bill_usage *ytd_u;
    int ytd_estimated; /* the current account's year-to-date used an estimated reading */
    unsigned char *tou; /* per tariff: 1 when a version in force prices energy by a schedule */
    bill_dec *iv;       /* interval kWh of the current account (grows) */
    size_t iv_cap;
    int iv_estimated;
    unsigned char rnd[480]; /* random bytes for the bills' UUIDs */
    size_t nrnd;
    uint64_t last_ms;
    unsigned long failures; /* the store's sqlite_failures when the account began */
} run_ctx;

/*
 * A bill's UUID: version 7 (RFC 9562: 48 bits of Unix milliseconds, then
 * random bits), so that the bills' unique uuid index grows at its end rather
 * than at a random page per bill. Random bytes from getrandom, 10 per UUID,
 * fetched in blocks.
 */
static int bill_uuid(run_ctx *c, char *buf)
{
    if (c->nrnd < 10) {
        size_t got = 0;
        while (got < sizeof c->rnd) {
            ssize_t k = getrandom(c->rnd + got, sizeof c->rnd - got, 0);
            if (k <= 0) {
                billi_uuid(buf); /* no getrandom: a version 4 UUID */
                return BILL_OK;
            }
            got += (size_t)k;
        }
        c->nrnd = sizeof c->rnd;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
    if (ms < c->last_ms)
        ms = c->last_ms; /* the clock went back: stay in order */
    c->last_ms = ms;
    unsigned char u[16];
    for (int i = 0; i < 6; i++)
        u[i] = (unsigned char)(ms >> (40 - 8 * i));
    memcpy(u + 6, c->rnd + c->nrnd - 10, 10);
    c->nrnd -= 10;
    u[6] = (unsigned char)(0x70 | (u[6] & 0x0f));
    u[8] = (unsigned char)(0x80 | (u[8] & 0x3f));
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            buf[k++] = '-';
        buf[k++] = hex[u[i] >> 4];
        buf[k++] = hex[u[i] & 15];
    }
    buf[k] = 0;
    return BILL_OK;
}

static int add_skip(run_ctx *c, const char *account, int status, const char *reason)
{
    bill_billing_report *r = c->r;
    if (r->nskips == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        skip_entry *x = realloc(r->skips, cap * sizeof *x);
        if (!x)
            return billi_error(BILL_ENOMEM, "billing run: out of memory");
        r->skips = x;
        r->cap = cap;
    }
    skip_entry *e = &r->skips[r->nskips];
    e->account = dupstr(account);
    e->reason = dupstr(reason);
    e->status = status;
    if (!e->account || !e->reason) {
        free(e->account);
        free(e->reason);
        return billi_error(BILL_ENOMEM, "billing run: out of memory");
    }
    r->nskips++;
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(c->s, &st, sql_skip_insert, "billing run: skip"));
    sqlite3_bind_int64(st, 1, c->run_id);
    int rc = billi_bind_text(c->s, st, 2, account);
    if (rc == BILL_OK)
        rc = billi_bind_text(c->s, st, 3, bill_status_name(status));
    if (rc == BILL_OK)
        rc = billi_bind_text(c->s, st, 4, reason);
    if (rc == BILL_OK) {
        int src = sqlite3_step(st);
        if (src != SQLITE_DONE)
            rc = billi_store_err(c->s, src, "billing run: skip");
    }
    billi_store_done(c->s, st);
    return rc;
}

static const bill_tariff *find_tariff(const run_ctx *c, const char *id)
{
    for (size_t i = 0; i < c->ntariffs; i++)
        if (strcmp(bill_tariff_id(c->tariffs[i]), id) == 0)
            return c->tariffs[i];
    return NULL;
}

static int already_billed(int *out, run_ctx *c, sqlite3_int64 account_id)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(c->s, &st, sql_billed, "billing run: bills"));
    sqlite3_bind_int64(st, 1, account_id);
    sqlite3_bind_text(st, 2, c->start, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->end, -1, SQLITE_STATIC);
    int src = sqlite3_step(st), rc = BILL_OK;
    if (src == SQLITE_ROW) {
        *out = 1;
        sqlite3_int64 run = sqlite3_column_int64(st, 0);
        for (size_t i = 0; i < c->r->ninterrupted; i++)
            if (c->r->interrupted[i].id == run)
                c->r->interrupted[i].counted++;
    } else if (src == SQLITE_DONE)
        *out = 0;
    else
        rc = billi_store_err(c->s, src, "billing run: bills");
    billi_store_done(c->s, st);
    return rc;
}

/* The usage of account a; on an error `reason` names the account's field at fault. */
static int make_usage(run_ctx *c, const acct *a, char *reason, size_t cap)
{
    bill_usage_reset(c->u);
    int rc = bill_determinants_to_usage(c->u, c->det);
    if (rc != BILL_OK) {
        snprintf(reason, cap, "account %s: usage: %s", a->ref, bill_errmsg());
        return rc;
    }
    const char *field = "customer_class";
    rc = bill_usage_set_class(c->u, a->cls);
    if (rc == BILL_OK) {
        field = "household_size";
        rc = bill_usage_set_household_size(c->u, a->household);
    }
    bill_dec v = BILL_DEC_INIT;
    if (rc == BILL_OK) {
        field = "capacity_kva";
        rc = bill_dec_parse(&v, a->capacity, (size_t)-1);
        if (rc == BILL_OK && bill_dec_sign(&v) > 0)
            rc = bill_usage_set_capacity_kva(c->u, &v);
    }
    if (rc == BILL_OK) {
        field = "declared_kw";
        rc = bill_dec_parse(&v, a->declared, (size_t)-1);
        if (rc == BILL_OK && bill_dec_sign(&v) > 0)
            rc = bill_usage_set_declared_kw(c->u, &v);
    }
    if (rc == BILL_OK && a->pf[0]) {
        field = "pf_standard";
        rc = bill_usage_set_pf_standard(c->u, a->pf);
    }
    bill_dec_clear(&v);
    if (rc != BILL_OK)
        snprintf(reason, cap, "account %s: field %s: %s", a->ref, field, bill_errmsg());
    return rc;
}

/* 1 when a version of t in force during p has an energy charge with annual tiers. */
static int tariff_annual_in(const bill_tariff *t, bill_period p)
{
    for (int i = 0; i < t->nversions; i++) {
        bill_date next = { BILL_DATE_OPEN_END };
        if (i + 1 < t->nversions)
            next = t->versions[i + 1].effective;
        if (t->versions[i].effective.day < p.end.day && next.day > p.start.day &&
            t->versions[i].has_annual)
            return 1;
    }
    return 0;
}

/*
 * Year-to-date for an annual-tier account (docs/billing.md): the energy from
 * 1 January of the period's start year (or from the account's first link when
 * that is later) up to the period's start, by the same determinants over
 * [Jan 1, start); the opened date when the first link is inside that year.
 * Sets `reason` (and returns the status) when it cannot be computed.
 */
static int set_ytd(run_ctx *c, const acct *a, char *reason, size_t cap)
{
    int y;
    bill_date jan1;
    bill_date_to_ymd(c->p.start, &y, NULL, NULL);
    bill_date_from_ymd(&jan1, y, 1, 1);
    /* the account's first link: the opened date when inside the year, before the start */
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(c->s, &st, sql_first_link, "billing run: links"));
    sqlite3_bind_int64(st, 1, a->id);
    int src = sqlite3_step(st), rc = BILL_OK;
    bill_date first = { 0 };
    int has_first = 0;
    if (src == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        has_first = t && bill_date_parse(&first, t, (size_t)-1) == BILL_OK;
    } else if (src != SQLITE_ROW) {
        rc = billi_store_err(c->s, src, "billing run: links");
    }
    billi_store_done(c->s, st);
    BILLI_TRY(rc);
    if (has_first && first.day > jan1.day && first.day <= c->p.start.day)
        BILLI_TRY(bill_usage_set_opened(c->u, first));
    bill_dec zero = BILL_DEC_INIT;
    if (c->p.start.day <= jan1.day) { /* the period starts on 1 January */
        rc = bill_usage_set_ytd_kwh(c->u, &zero);
        bill_dec_clear(&zero);
        return rc;
    }
    bill_dec_clear(&zero);
    bill_period yp = { jan1, c->p.start };
    rc = bill_store_determinants(c->ytd_det, c->s, a->ref, yp);
    if (rc == BILL_OK) {
        bill_usage_reset(c->ytd_u);
        if (bill_determinants_count(c->ytd_det) == 0) {
            bill_dec_set_i64(&c->ytd_u->kwh, 0, 0); /* no meter before the period: none used */
        } else {
            rc = bill_determinants_to_usage(c->ytd_u, c->ytd_det);
        }
    }
    if (rc == BILL_OK)
        rc = bill_usage_set_ytd_kwh(c->u, &c->ytd_u->kwh);
    if (rc == BILL_OK && bill_determinants_any_estimated(c->ytd_det))
        c->ytd_estimated = 1;
    if (rc != BILL_OK) {
        char from[16], to[16];
        bill_date_format(jan1, from, sizeof from);
        bill_date_format(c->p.start, to, sizeof to);
        snprintf(reason, cap, "account %s: year-to-date: %s (the year's usage %s..%s)", a->ref,
                 bill_errmsg(), from, to);
    }
    return rc;
}

/* 1 when a version of t in force during p has an energy charge priced by a TOU schedule. */
static int tariff_tou_in(const bill_tariff *t, bill_period p)
{
    for (int i = 0; i < t->nversions; i++) {
        bill_date next = { BILL_DATE_OPEN_END };
        if (i + 1 < t->nversions)
            next = t->versions[i + 1].effective;
        if (t->versions[i].effective.day >= p.end.day || next.day <= p.start.day)
            continue;
        for (int k = 0; k < t->versions[i].ncharges; k++) {
            const billi_charge *ch = &t->versions[i].charges[k];
            if (ch->type == BILLI_CH_ENERGY && ch->ntou > 0 && ch->schedule >= 0)
                return 1;
        }
    }
    return 0;
}

/* The integer of a one-row query bound to (id, period start, period end). */
static int count_query(run_ctx *c, const char *sql, sqlite3_int64 id, sqlite3_int64 *out)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(c->s, &st, sql, "billing run: intervals"));
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, c->start, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->end, -1, SQLITE_STATIC);
    int src = sqlite3_step(st), rc = BILL_OK;
    if (src == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = billi_store_err(c->s, src, "billing run: intervals");
    billi_store_done(c->s, st);
    return rc;
}

/*
 * Interval data for a TOU tariff (docs/billing.md): when the usage has no TOU
 * kWh and the account has one whole own meter over the whole period (not
 * shared, no sub-meters, no multiplier change inside) with interval readings
 * in the period, the intervals × multiplier go to the usage. Partial interval
 * data is an error naming the first missing interval (`reason` set).
 */
static int set_intervals(run_ctx *c, const acct *a, char *reason, size_t cap)
{
    c->iv_estimated = 0;
    if (c->u->ntou > 0)
        return BILL_OK;
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(c->s, &st, sql_iv_links, "billing run: intervals"));
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_text(st, 2, c->start, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->end, -1, SQLITE_STATIC);
    int nlinks = 0, whole = 0, src;
    sqlite3_int64 meter = 0;
    char serial[BILL_KEY_MAX] = "";
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        nlinks++;
        meter = sqlite3_column_int64(st, 0);
        copy_col(serial, sizeof serial, st, 1);
        const char *from = (const char *)sqlite3_column_text(st, 2);
        const char *to = (const char *)sqlite3_column_text(st, 3);
        whole = from && strcmp(from, c->start) <= 0 && (!to || strcmp(to, c->end) >= 0) &&
                sqlite3_column_int(st, 4) == 1;
    }
    int rc = src == SQLITE_DONE ? BILL_OK : billi_store_err(c->s, src, "billing run: intervals");
    billi_store_done(c->s, st);
    BILLI_TRY(rc);
    if (nlinks != 1 || !whole)
        return BILL_OK;
    sqlite3_int64 n = 0;
    BILLI_TRY(count_query(c, sql_iv_subs, meter, &n));
    if (n)
        return BILL_OK;
    BILLI_TRY(count_query(c, sql_iv_changes, meter, &n));
    if (n)
        return BILL_OK;
    bill_dec mult = BILL_DEC_INIT;
    bill_dec_set_i64(&mult, 1, 0);
    rc = billi_store_prepare(c->s, &st, sql_iv_mult, "billing run: intervals");
    if (rc == BILL_OK) {
        sqlite3_bind_int64(st, 1, meter);
        sqlite3_bind_text(st, 2, c->start, -1, SQLITE_STATIC);
        src = sqlite3_step(st);
        if (src == SQLITE_ROW) {
            const char *m = (const char *)sqlite3_column_text(st, 0);
            if (bill_dec_parse(&mult, m ? m : "", (size_t)-1) != BILL_OK) {
                snprintf(reason, cap,
                         "account %s: meter %s: the stored multiplier is '%.40s', not a decimal",
                         a->ref, serial, m ? m : "");
                rc = billi_error(BILL_ECORRUPT, "%s", reason);
            }
        } else if (src != SQLITE_DONE) {
            rc = billi_store_err(c->s, src, "billing run: intervals");
        }
        billi_store_done(c->s, st);
    }
    sqlite3_int64 first = (sqlite3_int64)c->p.start.day * 1440,
                  last = (sqlite3_int64)c->p.end.day * 1440, at = first;
    size_t k = 0;
    int minutes = 0;
    if (rc == BILL_OK)
        rc = billi_store_prepare(c->s, &st, sql_iv_rows, "billing run: intervals");
    if (rc == BILL_OK) {
        sqlite3_bind_int64(st, 1, meter);
        sqlite3_bind_int64(st, 2, first);
        sqlite3_bind_int64(st, 3, last);
        while (rc == BILL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
            sqlite3_int64 sm = sqlite3_column_int64(st, 0);
            int mi = sqlite3_column_int(st, 1);
            if (!minutes)
                minutes = mi;
            if (sm != at || mi != minutes)
                break; /* a gap or a change of length: reported below */
            if (k == c->iv_cap) {
                size_t ncap = c->iv_cap ? c->iv_cap * 2 : 1024;
                bill_dec *x = realloc(c->iv, ncap * sizeof *x);
                if (!x) {
                    rc = billi_error(BILL_ENOMEM, "billing run: out of memory");
                    break;
                }
                for (size_t i = c->iv_cap; i < ncap; i++)
                    bill_dec_init(&x[i]);
                c->iv = x;
                c->iv_cap = ncap;
            }
            const char *v = (const char *)sqlite3_column_text(st, 2);
            if (bill_dec_parse(&c->iv[k], v ? v : "", (size_t)-1) != BILL_OK) {
                bill_datetime t = { sm };
                char when[32];
                bill_datetime_format(t, when, sizeof when);
                snprintf(reason, cap,
                         "account %s: meter %s: the stored interval reading at %s is '%.40s', not"
                         " a decimal",
                         a->ref, serial, when, v ? v : "");
                rc = billi_error(BILL_ECORRUPT, "%s", reason);
            }
            if (rc == BILL_OK)
                rc = bill_dec_mul(&c->iv[k], &c->iv[k], &mult);
            if (sqlite3_column_int(st, 3))
                c->iv_estimated = 1;
            k++;
            at += mi;
        }
        if (rc == BILL_OK && src != SQLITE_ROW && src != SQLITE_DONE)
            rc = billi_store_err(c->s, src, "billing run: intervals");
        billi_store_done(c->s, st);
    }
    bill_dec_clear(&mult);
    BILLI_TRY(rc);
    if (k == 0 && at == first && !minutes)
        return BILL_OK; /* no interval data: the registers' quantities */
    if (at != last) {
        bill_datetime t = { at };
        char when[32];
        bill_datetime_format(t, when, sizeof when);
        snprintf(reason, cap,
                 "account %s: meter %s: interval data does not cover the period: none of %d"
                 " minutes starting at %s",
                 a->ref, serial, minutes, when);
        return billi_error(BILL_ENOTFOUND, "%s", reason);
    }
    bill_datetime t0 = { first };
    rc = bill_usage_set_intervals(c->u, t0, minutes, c->iv, k);
    if (rc != BILL_OK)
        snprintf(reason, cap, "account %s: meter %s: interval data: %s", a->ref, serial,
                 bill_errmsg());
    return rc;
}

static int bind_dec(run_ctx *c, sqlite3_stmt *st, int i, const bill_dec *d)
{
    char buf[128];
    size_t n = bill_dec_format(d, buf, sizeof buf);
    if (n < sizeof buf)
        return sqlite3_bind_text(st, i, buf, (int)n, SQLITE_TRANSIENT) == SQLITE_OK
                   ? BILL_OK
                   : billi_store_err(c->s, SQLITE_NOMEM, "billing run: bind");
    return billi_bind_dec(c->s, st, i, d);
}

static int versions_text(char *buf, size_t cap, const bill_tariff *t, bill_period p)
{
    size_t n = bill_tariff_version_count(t), len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n; i++) {
        bill_date e, next = { BILL_DATE_OPEN_END };
        bill_tariff_version_effective(&e, t, i);
        if (i + 1 < n)
            bill_tariff_version_effective(&next, t, i + 1);
        if (e.day < p.end.day && next.day > p.start.day) {
            char d[16];
            bill_date_format(e, d, sizeof d);
            int w = snprintf(buf + len, cap - len, "%s%s", len ? "," : "", d);
            if (w < 0 || (size_t)w >= cap - len)
                break;
            len += (size_t)w;
        }
    }
    return BILL_OK;
}

static int store_bill(run_ctx *c, const acct *a, const bill_tariff *t, int estimated)
{
    bill_store *s = c->s;
    char *json = bill_bill_to_json(c->b);
    if (!json)
        return billi_error(BILL_ENOMEM, "billing run: out of memory rendering the bill");
    char uuid[BILL_UUID_LEN + 1];
    bill_uuid(c, uuid);
    const char *versions = "";
    for (size_t i = 0; i < c->ntariffs; i++)
        if (c->tariffs[i] == t)
            versions = c->versions[i];
    bill_dec sub = BILL_DEC_INIT, tax = BILL_DEC_INIT, total = BILL_DEC_INIT;
    int rc = bill_bill_subtotal(&sub, c->b);
    if (rc == BILL_OK)
        rc = bill_bill_tax(&tax, c->b);
    if (rc == BILL_OK)
        rc = bill_bill_total(&total, c->b);
    sqlite3_stmt *st = NULL;
    if (rc == BILL_OK)
        rc = billi_store_prepare(s, &st, sql_bill_insert, "billing run: bill");
    if (rc == BILL_OK) {
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, c->run_id);
        sqlite3_bind_int64(st, 3, a->id);
        sqlite3_bind_text(st, 4, c->start, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, c->end, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, bill_tariff_id(t), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, versions, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, bill_tariff_currency(t), -1, SQLITE_STATIC);
        rc = bind_dec(c, st, 9, &sub);
        if (rc == BILL_OK)
            rc = bind_dec(c, st, 10, &tax);
        if (rc == BILL_OK)
            rc = bind_dec(c, st, 11, &total);
        sqlite3_bind_int(st, 12, estimated);
        sqlite3_bind_text(st, 13, json, -1, SQLITE_STATIC);
        if (rc == BILL_OK) {
            int src = sqlite3_step(st);
            if (src != SQLITE_DONE)
                rc = billi_store_err(s, src, "billing run: bill");
        }
        billi_store_done(s, st);
    }
    bill_free(json);
    bill_dec_clear(&sub);
    bill_dec_clear(&tax);
    bill_dec_clear(&total);
    if (rc != BILL_OK)
        return rc;
    sqlite3_int64 bill_id = sqlite3_last_insert_rowid(s->db);
    size_t n = bill_bill_line_count(c->b);
    for (size_t i = 0; i < n && rc == BILL_OK; i++) {
        bill_line_view v;
        rc = bill_bill_line(&v, c->b, i);
        if (rc != BILL_OK)
            break;
        char *ex = bill_bill_line_explain(c->b, i);
        if (!ex) {
            rc = billi_error(BILL_ENOMEM, "billing run: out of memory explaining a line");
            break;
        }
        rc = billi_store_prepare(s, &st, sql_line_insert, "billing run: bill line");
        if (rc == BILL_OK) {
            char ss[16], se[16];
            bill_date_format(v.segment.start, ss, sizeof ss);
            bill_date_format(v.segment.end, se, sizeof se);
            sqlite3_bind_int64(st, 1, bill_id);
            sqlite3_bind_int(st, 2, (int)i);
            sqlite3_bind_text(st, 3, kind_name(v.kind), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, v.charge, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, v.component, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, v.band, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, v.unit, -1, SQLITE_STATIC);
            rc = bind_dec(c, st, 8, v.quantity);
            if (rc == BILL_OK)
                rc = bind_dec(c, st, 9, v.unit_price);
            if (rc == BILL_OK)
                rc = bind_dec(c, st, 10, v.amount);
            sqlite3_bind_text(st, 11, ss, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 12, se, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 13, ex, -1, SQLITE_STATIC);
            if (rc == BILL_OK) {
                int src = sqlite3_step(st);
                if (src != SQLITE_DONE)
                    rc = billi_store_err(s, src, "billing run: bill line");
            }
            billi_store_done(s, st);
        }
        bill_free(ex);
    }
    return rc;
}

static const char sql_savepoint[] = "SAVEPOINT billi_account";
static const char sql_release[] = "RELEASE billi_account";

/* A statement without results, prepared once per store (SAVEPOINT, RELEASE). */
static int exec_cached(bill_store *s, const char *sql, const char *what)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, sql, what));
    int src = sqlite3_step(st), rc = BILL_OK;
    if (src != SQLITE_DONE)
        rc = billi_store_err(s, src, what);
    billi_store_done(s, st);
    return rc;
}

/*
 * 1 when the error rc, met while billing one account, is an error of the run
 * rather than of that account (include/bill/billing.h, docs/billing.md): any
 * failure of SQLite itself (busy, I/O, disk full, read-only, a damaged file:
 * counted by billi_store_err), out of memory, internal and state errors, and
 * the other storage codes. What remains is about the account's own data:
 * a stored value of its that does not parse (ECORRUPT raised by libbill, not
 * by SQLite), a missing or inconsistent reading, a rule of the tariff its
 * usage breaks, an arithmetic error of its bill, a bad field.
 */
static int run_error(const run_ctx *c, int rc)
{
    if (c->s->sqlite_failures != c->failures)
        return 1;
    switch (bill_status_family_of(rc)) {
    case BILL_FAMILY_INPUT:
    case BILL_FAMILY_ARITH:
    case BILL_FAMILY_ARGUMENT:
        return 0;
    case BILL_FAMILY_STORAGE:
        return rc != BILL_ECORRUPT;
    default:
        return 1;
    }
}

/*
 * Account a failed with rc: an error of the run is returned (the run stops,
 * its open batch is rolled back); an error of the account skips it with
 * `reason` (or "account R: " and the error's message when reason is empty).
 */
static int account_failed(run_ctx *c, const acct *a, int rc, const char *reason)
{
    if (run_error(c, rc))
        return rc;
    char buf[BILLI_ERRMSG_MAX + 80];
    if (!reason || !reason[0]) {
        snprintf(buf, sizeof buf, "account %s: %s", a->ref, bill_errmsg());
        reason = buf;
    }
    return add_skip(c, a->ref, rc, reason);
}

/* Bill one account. Returns BILL_OK when the account was handled (billed,
 * already billed or skipped); an error only for failures of the run itself. */
static int bill_one(run_ctx *c, const acct *a)
{
    c->r->accounts++;
    c->failures = c->s->sqlite_failures;
    int done = 0;
    BILLI_TRY(already_billed(&done, c, a->id));
    if (done) {
        c->r->already++;
        return BILL_OK;
    }
    if (!a->tariff[0]) {
        char reason[160];
        snprintf(reason, sizeof reason, "account %s: no tariff", a->ref);
        return add_skip(c, a->ref, BILL_ENOTFOUND, reason);
    }
    const bill_tariff *t = find_tariff(c, a->tariff);
    if (!t) {
        char reason[256];
        snprintf(reason, sizeof reason, "account %s: tariff %s is not among the run's tariffs",
                 a->ref, a->tariff);
        return add_skip(c, a->ref, BILL_ENOTFOUND, reason);
    }
    char reason[BILLI_ERRMSG_MAX + 160];
    reason[0] = 0;
    int rc = billi_det_batch_compute(c->batch, c->det, a->id, a->ref);
    if (rc == BILL_OK && bill_determinants_count(c->det) == 0) {
        snprintf(reason, sizeof reason, "account %s: no meter reading counts in the period",
                 a->ref);
        return add_skip(c, a->ref, BILL_ENOTFOUND, reason);
    }
    if (rc == BILL_OK)
        rc = make_usage(c, a, reason, sizeof reason);
    c->ytd_estimated = 0;
    for (size_t i = 0; i < c->ntariffs && rc == BILL_OK; i++)
        if (c->tariffs[i] == t && c->annual[i])
            rc = set_ytd(c, a, reason, sizeof reason);
    c->iv_estimated = 0;
    for (size_t i = 0; i < c->ntariffs && rc == BILL_OK; i++)
        if (c->tariffs[i] == t && c->tou[i])
            rc = set_intervals(c, a, reason, sizeof reason);
    if (rc == BILL_OK)
        rc = bill_tariff_compute(t, c->u, c->b);
    if (rc != BILL_OK)
        return account_failed(c, a, rc, reason);
    /* the bill and its lines, whole or not at all */
    BILLI_TRY(exec_cached(c->s, sql_savepoint, "billing run: savepoint"));
    rc = store_bill(c, a, t, bill_determinants_any_estimated(c->det) || c->ytd_estimated ||
                             c->iv_estimated);
    if (rc != BILL_OK) {
        snprintf(reason, sizeof reason, "account %s: storing the bill: %s", a->ref,
                 bill_errmsg());
        int frc = rc;
        sqlite3_exec(c->s->db, "ROLLBACK TO billi_account; RELEASE billi_account", NULL, NULL,
                     NULL);
        return account_failed(c, a, frc, reason);
    }
    BILLI_TRY(exec_cached(c->s, sql_release, "billing run: release"));
    c->r->billed++;
    return BILL_OK;
}

/* ---- the run --------------------------------------------------------------------- */

static int begin(run_ctx *c)
{
    return billi_store_exec(c->s, "BEGIN IMMEDIATE", "billing run: begin");
}

static int commit(run_ctx *c, int rc)
{
    if (rc == BILL_OK)
        return billi_store_exec(c->s, "COMMIT", "billing run: commit");
    sqlite3_exec(c->s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* The registry and readings of the page's accounts (id -1: an unknown reference). */
static int load_page(run_ctx *c, const acct *page, size_t n)
{
    sqlite3_int64 ids[BATCH];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (page[i].id >= 0)
            ids[k++] = page[i].id;
    return billi_det_batch_load(c->batch, ids, k);
}

/*
 * The run's row, and the earlier runs of the period that never finished
 * (killed, or stopped by an error of the store) closed by it, in one
 * transaction: they are in the report, and their bills count as already
 * billed.
 */
static int start_run(run_ctx *c, const char *label)
{
    bill_store *s = c->s;
    BILLI_TRY(begin(c));
    sqlite3_stmt *st;
    int rc = billi_store_prepare(s, &st, sql_unfinished, "billing run: unfinished runs");
    if (rc == BILL_OK) {
        sqlite3_bind_text(st, 1, c->start, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c->end, -1, SQLITE_STATIC);
        int src;
        size_t cap = 0;
        while (rc == BILL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
            bill_billing_report *r = c->r;
            if (r->ninterrupted == cap) {
                size_t ncap = cap ? cap * 2 : 4;
                interrupted_entry *x = realloc(r->interrupted, ncap * sizeof *x);
                if (!x) {
                    rc = billi_error(BILL_ENOMEM, "billing run: out of memory");
                    break;
                }
                r->interrupted = x;
                cap = ncap;
            }
            interrupted_entry *e = &r->interrupted[r->ninterrupted++];
            memset(e, 0, sizeof *e);
            e->id = sqlite3_column_int64(st, 0);
            copy_col(e->uuid, sizeof e->uuid, st, 1);
            copy_col(e->started, sizeof e->started, st, 2);
            e->bills = (size_t)sqlite3_column_int64(st, 3);
        }
        if (rc == BILL_OK && src != SQLITE_DONE)
            rc = billi_store_err(s, src, "billing run: unfinished runs");
        billi_store_done(s, st);
    }
    if (rc == BILL_OK)
        rc = billi_store_prepare(s, &st, sql_run_insert, "billing run: run");
    if (rc == BILL_OK) {
        sqlite3_bind_text(st, 1, c->r->uuid, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, label ? label : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, c->start, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, c->end, -1, SQLITE_STATIC);
        int src = sqlite3_step(st);
        if (src != SQLITE_DONE)
            rc = billi_store_err(s, src, "billing run: run");
        c->run_id = sqlite3_last_insert_rowid(s->db);
        billi_store_done(s, st);
    }
    for (size_t i = 0; i < c->r->ninterrupted && rc == BILL_OK; i++) {
        rc = billi_store_prepare(s, &st, sql_interrupt, "billing run: closing an unfinished run");
        if (rc != BILL_OK)
            break;
        sqlite3_bind_int64(st, 1, c->r->interrupted[i].id);
        sqlite3_bind_int64(st, 2, c->run_id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)c->r->interrupted[i].bills);
        int src = sqlite3_step(st);
        if (src != SQLITE_DONE)
            rc = billi_store_err(s, src, "billing run: closing an unfinished run");
        billi_store_done(s, st);
    }
    return commit(c, rc);
}

static int run_all(run_ctx *c)
{
    char last[BILL_KEY_MAX] = "";
    acct *page = malloc(BATCH * sizeof *page);
    if (!page)
        return billi_error(BILL_ENOMEM, "billing run: out of memory");
    int rc = BILL_OK;
    for (;;) {
        size_t n = 0;
        sqlite3_stmt *st;
        rc = billi_store_prepare(c->s, &st, sql_accounts_page, "billing run: accounts");
        if (rc != BILL_OK)
            break;
        sqlite3_bind_text(st, 1, last, -1, SQLITE_TRANSIENT);
        int src;
        while (n < BATCH && (src = sqlite3_step(st)) == SQLITE_ROW)
            read_acct(&page[n++], st);
        if (n < BATCH && src != SQLITE_DONE)
            rc = billi_store_err(c->s, src, "billing run: accounts");
        billi_store_done(c->s, st);
        if (rc != BILL_OK || n == 0)
            break;
        snprintf(last, sizeof last, "%s", page[n - 1].ref);
        rc = begin(c);
        if (rc == BILL_OK)
            rc = load_page(c, page, n);
        for (size_t i = 0; i < n && rc == BILL_OK; i++)
            rc = bill_one(c, &page[i]);
        rc = commit(c, rc);
        if (rc != BILL_OK || n < BATCH)
            break;
    }
    free(page);
    return rc;
}

static int run_list(run_ctx *c, const char *const *accounts, size_t naccounts)
{
    acct *page = malloc(BATCH * sizeof *page);
    if (!page)
        return billi_error(BILL_ENOMEM, "billing run: out of memory");
    int rc = BILL_OK;
    for (size_t off = 0; off < naccounts && rc == BILL_OK; off += BATCH) {
        size_t n = naccounts - off < BATCH ? naccounts - off : BATCH;
        rc = begin(c);
        /* the page's accounts, then their registry and readings, then the bills */
        for (size_t i = 0; i < n && rc == BILL_OK; i++) {
            const char *ref = accounts[off + i];
            if (!ref) {
                rc = billi_error(BILL_EINVAL, "billing run: account %zu is NULL", off + i);
                break;
            }
            sqlite3_stmt *st;
            rc = billi_store_prepare(c->s, &st, sql_account_one, "billing run: account");
            if (rc != BILL_OK)
                break;
            sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
            int src = sqlite3_step(st);
            if (src == SQLITE_ROW)
                read_acct(&page[i], st);
            else if (src == SQLITE_DONE)
                page[i].id = -1;
            else
                rc = billi_store_err(c->s, src, "billing run: account");
            billi_store_done(c->s, st);
        }
        if (rc == BILL_OK)
            rc = load_page(c, page, n);
        for (size_t i = 0; i < n && rc == BILL_OK; i++) {
            const char *ref = accounts[off + i];
            if (page[i].id >= 0) {
                rc = bill_one(c, &page[i]);
            } else {
                char reason[160];
                c->r->accounts++;
                snprintf(reason, sizeof reason, "account %.64s: no such account", ref);
                rc = add_skip(c, ref, BILL_ENOTFOUND, reason);
            }
        }
        rc = commit(c, rc);
    }
    free(page);
    return rc;
}

int bill_billing_run(bill_billing_report **out, bill_store *s, bill_period p, const char *label,
                     const bill_tariff *const *tariffs, size_t ntariffs,
                     const char *const *accounts, size_t naccounts)
{
    BILLI_CHECK_ARG(out, "out");
    *out = NULL;
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(tariffs || ntariffs == 0, "tariffs");
    BILLI_CHECK_ARG(accounts || naccounts == 0, "accounts");
    if (!bill_date_is_valid(p.start) || !bill_date_is_valid(p.end) || p.start.day >= p.end.day)
        return billi_error(BILL_EDATE, "billing run: the period's start must be before its end");
    if (s->readonly)
        return billi_error(BILL_ESTATE, "billing run: the store is read-only");
    if (s->user_txn || !sqlite3_get_autocommit(s->db))
        return billi_error(BILL_ESTATE,
                           "billing run: not inside bill_store_begin (the run commits in batches)");
    for (size_t i = 0; i < ntariffs; i++) {
        if (!tariffs[i])
            return billi_error(BILL_EINVAL, "billing run: tariff %zu is NULL", i);
        for (size_t k = 0; k < i; k++)
            if (strcmp(bill_tariff_id(tariffs[i]), bill_tariff_id(tariffs[k])) == 0)
                return billi_error(BILL_EINVAL, "billing run: two tariffs with id %s",
                                   bill_tariff_id(tariffs[i]));
    }
    run_ctx c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.p = p;
    c.tariffs = tariffs;
    c.ntariffs = ntariffs;
    bill_date_format(p.start, c.start, sizeof c.start);
    bill_date_format(p.end, c.end, sizeof c.end);
    c.r = calloc(1, sizeof *c.r);
    c.versions = calloc(ntariffs ? ntariffs : 1, sizeof *c.versions);
    c.annual = calloc(ntariffs ? ntariffs : 1, 1);
    c.tou = calloc(ntariffs ? ntariffs : 1, 1);
    if (!c.r || !c.versions || !c.annual || !c.tou) {
        free(c.r);
        free(c.versions);
        free(c.annual);
        free(c.tou);
        return billi_error(BILL_ENOMEM, "billing run: out of memory");
    }
    for (size_t i = 0; i < ntariffs; i++) {
        versions_text(c.versions[i], sizeof c.versions[i], tariffs[i], p);
        c.annual[i] = (unsigned char)tariff_annual_in(tariffs[i], p);
        c.tou[i] = (unsigned char)tariff_tou_in(tariffs[i], p);
    }
    int rc = bill_determinants_create(&c.det);
    if (rc == BILL_OK)
        rc = bill_determinants_create(&c.ytd_det);
    if (rc == BILL_OK)
        rc = bill_usage_create(&c.ytd_u);
    if (rc == BILL_OK)
        rc = billi_det_batch_create(&c.batch, s, p);
    if (rc == BILL_OK)
        rc = bill_usage_create(&c.u);
    if (rc == BILL_OK)
        rc = bill_bill_create(&c.b);
    billi_uuid(c.r->uuid);
    if (rc == BILL_OK)
        rc = start_run(&c, label);
    if (rc == BILL_OK)
        rc = accounts ? run_list(&c, accounts, naccounts) : run_all(&c);
    if (rc == BILL_OK) {
        sqlite3_stmt *st;
        rc = billi_store_prepare(s, &st, sql_run_finish, "billing run: finish");
        if (rc == BILL_OK) {
            sqlite3_bind_int64(st, 1, c.run_id);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)c.r->accounts);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)c.r->billed);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)c.r->already);
            sqlite3_bind_int64(st, 5, (sqlite3_int64)c.r->nskips);
            int src = sqlite3_step(st);
            if (src != SQLITE_DONE)
                rc = billi_store_err(s, src, "billing run: finish");
            billi_store_done(s, st);
        }
    }
    bill_determinants_free(c.det);
    bill_determinants_free(c.ytd_det);
    bill_usage_free(c.ytd_u);
    billi_det_batch_free(c.batch);
    free(c.versions);
    free(c.annual);
    free(c.tou);
    for (size_t i = 0; i < c.iv_cap; i++)
        bill_dec_clear(&c.iv[i]);
    free(c.iv);
    bill_usage_free(c.u);
    bill_bill_free(c.b);
    if (rc != BILL_OK) {
        bill_billing_report_free(c.r);
        return rc;
    }
    *out = c.r;
    return BILL_OK;
}

char *bill_store_bill_json(bill_store *s, const char *reference, bill_period p)
{
    if (!s || !reference) {
        billi_error(BILL_EINVAL, "bill_store_bill_json: NULL argument");
        return NULL;
    }
    sqlite3_stmt *st;
    if (billi_store_prepare(s, &st, sql_bill_json, "store: bill") != BILL_OK)
        return NULL;
    char a[16], b[16];
    bill_date_format(p.start, a, sizeof a);
    bill_date_format(p.end, b, sizeof b);
    sqlite3_bind_text(st, 1, reference, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, a, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, b, -1, SQLITE_TRANSIENT);
    char *out = NULL;
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        out = dupstr(t ? t : "");
        if (!out)
            billi_error(BILL_ENOMEM, "store: out of memory");
    } else if (src == SQLITE_DONE) {
        billi_error(BILL_ENOTFOUND, "store: no bill for account %.64s over %s/%s", reference, a, b);
    } else {
        billi_store_err(s, src, "store: bill");
    }
    billi_store_done(s, st);
    return out;
}
