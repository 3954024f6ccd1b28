/*
 * bill_store_determinants: fill a determinants handle from the store (links,
 * shares, sub-meters, registers, multipliers, readings of schema v2) and
 * compute. Statements are cached in the store handle.
 */
#include "bill/determinants.h"
#include "bill/registry.h"
#include "store_internal.h"
#include "determinants_batch.h"

#include <string.h>

/*
 * Two statements per account in the common case: the account's links with
 * their meters (and whether a meter has sub-meters in the period), then per
 * meter its registers with the readings inside the period and its
 * multipliers. A LEFT JOIN keeps the account row when it has no link.
 */
static const char sql_links[] =
    "SELECT a.id, m.id, m.serial, m.digits, l.id, l.valid_from, l.valid_to, ls.position,"
    " (SELECT count(*) FROM link_shares x WHERE x.link_id = l.id),"
    " EXISTS (SELECT 1 FROM submeters s WHERE s.master_id = m.id AND s.valid_from < ?3"
    "         AND (s.valid_to IS NULL OR s.valid_to > ?2))"
    " FROM accounts a LEFT JOIN link_shares ls ON ls.account_id = a.id"
    " LEFT JOIN links l ON l.id = ls.link_id"
    "   AND l.valid_from < ?3 AND (l.valid_to IS NULL OR l.valid_to > ?2)"
    " LEFT JOIN meters m ON m.id = l.meter_id"
    " WHERE a.reference = ?1 ORDER BY l.valid_from, m.serial";

static const char sql_ratios[] =
    "SELECT ratio FROM link_shares WHERE link_id = ?1 ORDER BY position";

static const char sql_subs[] =
    "SELECT m.id, m.serial, m.digits, s.valid_from, s.valid_to"
    " FROM submeters s JOIN meters m ON m.id = s.sub_id"
    " WHERE s.master_id = ?1 AND s.valid_from < ?3 AND (s.valid_to IS NULL OR s.valid_to > ?2)"
    " ORDER BY s.valid_from, m.serial";

/* Registers with their readings inside the period, then the multipliers (tag 1). */
static const char sql_meter[] =
    "SELECT 0, g.code, g.kind, g.digits, r.read_at, r.value, r.estimated FROM registers g"
    " LEFT JOIN readings r ON r.register_id = g.id AND r.read_at BETWEEN ?2 AND ?3"
    " WHERE g.meter_id = ?1"
    " UNION ALL SELECT 1, effective_from, NULL, NULL, NULL, multiplier, NULL FROM multipliers"
    " WHERE meter_id = ?1 AND effective_from < ?4";

#define MAX_RATIOS 64

static int step_err(bill_store *s, int rc, const char *what)
{
    return billi_store_err(s, rc, what);
}

static int kind_of(const char *k)
{
    if (strcmp(k, "reactive") == 0)
        return 1;
    if (strcmp(k, "demand") == 0)
        return 2;
    return 0;
}

/* Add meter `meter_id` (if not yet added) with its registers, multipliers and readings. */
static int load_meter(bill_determinants *d, bill_store *s, sqlite3_int64 meter_id,
                      const char *serial, int digits, bill_period p)
{
    int rc = bill_determinants_add_meter(d, serial, digits);
    if (rc == BILL_EEXISTS)
        return BILL_OK;
    if (rc != BILL_OK)
        return rc;
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, sql_meter, "determinants: meter"));
    bill_dec v = BILL_DEC_INIT;
    sqlite3_bind_int64(st, 1, meter_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)p.start.day * 1440);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)p.end.day * 1440);
    rc = billi_bind_date(s, st, 4, p.end);
    char last[64] = "";
    int src = SQLITE_DONE;
    while (rc == BILL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 1);
        if (!code)
            code = "";
        if (sqlite3_column_int(st, 0) == 1) { /* a multiplier */
            bill_date from;
            const char *value = (const char *)sqlite3_column_text(st, 5);
            if (bill_date_parse(&from, code, (size_t)-1) != BILL_OK ||
                bill_dec_parse(&v, value ? value : "", (size_t)-1) != BILL_OK)
                rc = billi_det_bad_multiplier(serial, code, value ? value : "");
            if (rc == BILL_OK)
                rc = bill_determinants_add_multiplier(d, serial, from, &v);
            continue;
        }
        if (strcmp(code, last) != 0) {
            rc = bill_determinants_add_register(d, serial, code,
                                                kind_of((const char *)sqlite3_column_text(st, 2)),
                                                sqlite3_column_int(st, 3));
            snprintf(last, sizeof last, "%s", code);
        }
        if (rc == BILL_OK && sqlite3_column_type(st, 4) != SQLITE_NULL) {
            bill_datetime at = { sqlite3_column_int64(st, 4) };
            const char *value = (const char *)sqlite3_column_text(st, 5);
            if (bill_dec_parse(&v, value ? value : "", (size_t)-1) != BILL_OK)
                rc = billi_det_bad_reading(serial, code, at.minute, value ? value : "");
            if (rc == BILL_OK) {
                rc = bill_determinants_add_reading(d, serial, code, at, &v,
                                                   sqlite3_column_int(st, 6));
            }
        }
    }
    if (rc == BILL_OK && src != SQLITE_DONE)
        rc = step_err(s, src, "determinants: meter");
    billi_store_done(s, st);
    bill_dec_clear(&v);
    return rc;
}

static int load_ratios(bill_dec *ratios, size_t *n, bill_store *s, sqlite3_int64 link_id)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, sql_ratios, "determinants: link shares"));
    sqlite3_bind_int64(st, 1, link_id);
    int rc = BILL_OK, src;
    *n = 0;
    while (rc == BILL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == MAX_RATIOS) {
            rc = billi_error(BILL_ECORRUPT, "store: link with more than %d shares", MAX_RATIOS);
            break;
        }
        rc = billi_column_dec(&ratios[(*n)++], st, 0);
    }
    if (rc == BILL_OK && src != SQLITE_DONE)
        rc = step_err(s, src, "determinants: link shares");
    billi_store_done(s, st);
    return rc;
}

typedef struct link_row {
    sqlite3_int64 meter_id, link_id;
    char serial[BILL_KEY_MAX];
    int digits, position, nshares, has_subs;
    bill_date from, to;
} link_row;

/* r's dates from columns col (valid_from) and col + 1 (valid_to); ECORRUPT naming the meter. */
static int row_dates(link_row *r, sqlite3_stmt *st, int col, const char *what)
{
    for (int k = 0; k < 2; k++) {
        if (billi_column_date(k ? &r->to : &r->from, st, col + k) != BILL_OK) {
            const char *t = (const char *)sqlite3_column_text(st, col + k);
            return billi_error(BILL_ECORRUPT, "meter %s: the stored %s's %s '%.40s' is not a date",
                               r->serial, what, k ? "valid_to" : "valid_from", t ? t : "");
        }
    }
    return BILL_OK;
}

#define MAX_LINKS 32

static int load_links(link_row *rows, size_t *n, bill_store *s, bill_period p,
                      const char *reference)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, sql_links, "determinants: links"));
    int rc = billi_bind_text(s, st, 1, reference);
    if (rc == BILL_OK)
        rc = billi_bind_date(s, st, 2, p.start);
    if (rc == BILL_OK)
        rc = billi_bind_date(s, st, 3, p.end);
    int src = SQLITE_DONE, found = 0;
    *n = 0;
    while (rc == BILL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        found = 1;
        if (sqlite3_column_type(st, 1) == SQLITE_NULL)
            continue; /* the account without links */
        if (*n == MAX_LINKS) {
            rc = billi_error(BILL_ERANGE, "account %s: more than %d meter links in one period",
                             reference, MAX_LINKS);
            break;
        }
        link_row *r = &rows[(*n)++];
        r->meter_id = sqlite3_column_int64(st, 1);
        snprintf(r->serial, sizeof r->serial, "%s", (const char *)sqlite3_column_text(st, 2));
        r->digits = sqlite3_column_int(st, 3);
        r->link_id = sqlite3_column_int64(st, 4);
        rc = row_dates(r, st, 5, "link");
        r->position = sqlite3_column_int(st, 7);
        r->nshares = sqlite3_column_int(st, 8);
        r->has_subs = sqlite3_column_int(st, 9);
    }
    if (rc == BILL_OK && src != SQLITE_DONE)
        rc = step_err(s, src, "determinants: links");
    billi_store_done(s, st);
    if (rc == BILL_OK && !found)
        rc = billi_error(BILL_ENOTFOUND, "account %s: no such account", reference);
    return rc;
}

static int load(bill_determinants *d, bill_store *s, const char *reference, bill_period p,
                bill_dec *ratios)
{
    sqlite3_stmt *st;
    int rc = BILL_OK;
    link_row links[MAX_LINKS];
    size_t nlinks;
    BILLI_TRY(load_links(links, &nlinks, s, p, reference));
    for (size_t i = 0; i < nlinks && rc == BILL_OK; i++) {
        link_row *l = &links[i];
        size_t nr = 0, index = 0;
        if (l->nshares > 1) {
            rc = load_ratios(ratios, &nr, s, l->link_id);
            index = (size_t)l->position;
            if (rc == BILL_OK && index >= nr)
                rc = billi_error(BILL_ECORRUPT, "store: link share position %zu out of range",
                                 index);
        }
        if (rc == BILL_OK)
            rc = load_meter(d, s, l->meter_id, l->serial, l->digits, p);
        if (rc == BILL_OK)
            rc = bill_determinants_add_segment(d, l->serial, l->from, l->to, 1, nr ? ratios : NULL,
                                               nr, index);
        if (rc != BILL_OK)
            break;
        if (!l->has_subs)
            continue;
        /* the meter's sub-meters over the link's range */
        bill_period lp = { l->from.day > p.start.day ? l->from : p.start,
                           l->to.day < p.end.day ? l->to : p.end };
        link_row subs[MAX_LINKS];
        size_t nsubs = 0;
        rc = billi_store_prepare(s, &st, sql_subs, "determinants: sub-meters");
        if (rc != BILL_OK)
            break;
        sqlite3_bind_int64(st, 1, l->meter_id);
        rc = billi_bind_date(s, st, 2, lp.start);
        if (rc == BILL_OK)
            rc = billi_bind_date(s, st, 3, lp.end);
        int src = SQLITE_DONE;
        while (rc == BILL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
            if (nsubs == MAX_LINKS) {
                rc = billi_error(BILL_ERANGE, "meter %s: more than %d sub-meters", l->serial,
                                 MAX_LINKS);
                break;
            }
            link_row *r = &subs[nsubs++];
            r->meter_id = sqlite3_column_int64(st, 0);
            snprintf(r->serial, sizeof r->serial, "%s", (const char *)sqlite3_column_text(st, 1));
            r->digits = sqlite3_column_int(st, 2);
            rc = row_dates(r, st, 3, "sub-meter relation");
        }
        if (rc == BILL_OK && src != SQLITE_DONE)
            rc = step_err(s, src, "determinants: sub-meters");
        billi_store_done(s, st);
        for (size_t k = 0; k < nsubs && rc == BILL_OK; k++) {
            link_row *r = &subs[k];
            bill_date from = r->from.day > lp.start.day ? r->from : lp.start;
            bill_date to = r->to.day < lp.end.day ? r->to : lp.end;
            rc = load_meter(d, s, r->meter_id, r->serial, r->digits, p);
            if (rc == BILL_OK)
                rc = bill_determinants_add_segment(d, r->serial, from, to, -1,
                                                   nr ? ratios : NULL, nr, index);
        }
    }
    return rc;
}

int bill_store_determinants(bill_determinants *d, bill_store *s, const char *reference,
                            bill_period p)
{
    BILLI_CHECK_ARG(d, "d");
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(reference, "reference");
    bill_determinants_reset(d);
    BILLI_TRY(bill_determinants_set_period(d, p));
    bill_dec ratios[MAX_RATIOS];
    for (size_t i = 0; i < MAX_RATIOS; i++)
        bill_dec_init(&ratios[i]);
    int rc = load(d, s, reference, p, ratios);
    for (size_t i = 0; i < MAX_RATIOS; i++)
        bill_dec_clear(&ratios[i]);
    if (rc == BILL_OK)
        rc = bill_determinants_compute(d);
    return rc;
}
