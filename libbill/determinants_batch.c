/*
 * Determinants of many accounts from the store in chunks (determinants_batch.h,
 * bill_store_determinants_each): per chunk of accounts one ordered scan each
 * of their links, their meters' registers and multipliers and the period's
 * readings (over id ranges, so a chunk costs a handful of statements instead
 * of two per account), then per account the same feeding of the pure
 * bill_determinants handle as bill_store_determinants does, in the same
 * order, so the results and errors are the same. Accounts with a shared meter
 * or sub-meters in the period, or whose registry rows do not parse, go
 * through bill_store_determinants itself. Memory: the data of one chunk.
 */
#include "determinants_batch.h"
#include "bill/registry.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Ids closer than this are scanned as one range (rows in the gaps are skipped). */
#define GAP 64
#define MAX_LINKS 32
/* feed_meter: this account goes through bill_store_determinants (a register code too long) */
#define FALLBACK 1

typedef struct blink {
    sqlite3_int64 account, meter;
    char serial[BILL_KEY_MAX];
    int digits, simple, bad;
    bill_date from, to;
} blink;

typedef struct breg {
    sqlite3_int64 meter, id;
    char code[BILL_KEY_MAX];
    int kind, digits, bad;
} breg;

typedef struct bmult {
    sqlite3_int64 meter;
    size_t from, value; /* offsets of NUL-terminated texts in b->text */
} bmult;

typedef struct bread {
    sqlite3_int64 reg;
    int64_t at;
    size_t value, len;
    int estimated;
} bread;

struct billi_det_batch {
    bill_store *s;
    bill_period p;
    char start[16], end[16];
    sqlite3_int64 *ids, *meters, *regids; /* sorted key sets of the chunk */
    size_t nids, nmeters, nregids, ids_cap, meters_cap, regids_cap;
    blink *links;
    size_t nlinks, links_cap;
    breg *regs;
    size_t nregs, regs_cap;
    bmult *mults;
    size_t nmults, mults_cap;
    bread *reads;
    size_t nreads, reads_cap;
    char *text;
    size_t ntext, text_cap;
    bill_dec v;
    size_t pos; /* member_seq's cursor of the current scan */
};

static const char sql_links[] =
    "SELECT ls.account_id, m.id, m.serial, m.digits, l.valid_from, l.valid_to,"
    " (SELECT count(*) FROM link_shares x WHERE x.link_id = l.id),"
    " EXISTS (SELECT 1 FROM submeters s WHERE s.master_id = m.id AND s.valid_from < ?4"
    "         AND (s.valid_to IS NULL OR s.valid_to > ?3))"
    " FROM link_shares ls JOIN links l ON l.id = ls.link_id JOIN meters m ON m.id = l.meter_id"
    " WHERE ls.account_id BETWEEN ?1 AND ?2"
    " AND l.valid_from < ?4 AND (l.valid_to IS NULL OR l.valid_to > ?3)"
    " ORDER BY ls.account_id, l.valid_from, m.serial";
static const char sql_regs[] =
    "SELECT meter_id, id, code, kind, digits FROM registers"
    " WHERE meter_id BETWEEN ?1 AND ?2 ORDER BY meter_id, code";
static const char sql_mults[] =
    "SELECT meter_id, effective_from, multiplier FROM multipliers"
    " WHERE meter_id BETWEEN ?1 AND ?2 AND effective_from < ?4 ORDER BY meter_id, effective_from";
static const char sql_reads[] =
    "SELECT register_id, read_at, value, estimated FROM readings"
    " WHERE register_id BETWEEN ?1 AND ?2 AND read_at BETWEEN ?5 AND ?6"
    " ORDER BY register_id, read_at";

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return BILL_OK;
    size_t cap2 = *cap ? *cap : 64;
    while (cap2 < need)
        cap2 *= 2;
    void *x = realloc(*p, cap2 * size);
    if (!x)
        return billi_error(BILL_ENOMEM, "determinants: out of memory");
    *p = x;
    *cap = cap2;
    return BILL_OK;
}

#define GROW(b, arr, n, cap) grow((void **)&(b)->arr, &(b)->cap, (n), sizeof *(b)->arr)

int billi_det_batch_create(billi_det_batch **out, bill_store *s, bill_period p)
{
    BILLI_CHECK_ARG(out, "out");
    *out = NULL;
    BILLI_CHECK_ARG(s, "s");
    if (!bill_date_is_valid(p.start) || !bill_date_is_valid(p.end) || p.start.day >= p.end.day)
        return billi_error(BILL_EDATE, "determinants: the period's start must be before its end");
    billi_det_batch *b = calloc(1, sizeof *b);
    if (!b)
        return billi_error(BILL_ENOMEM, "determinants: out of memory");
    b->s = s;
    b->p = p;
    bill_date_format(p.start, b->start, sizeof b->start);
    bill_date_format(p.end, b->end, sizeof b->end);
    bill_dec_init(&b->v);
    *out = b;
    return BILL_OK;
}

void billi_det_batch_free(billi_det_batch *b)
{
    if (!b)
        return;
    free(b->ids);
    free(b->meters);
    free(b->regids);
    free(b->links);
    free(b->regs);
    free(b->mults);
    free(b->reads);
    free(b->text);
    bill_dec_clear(&b->v);
    free(b);
}

static int cmp_id(const void *a, const void *b)
{
    sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
    return x < y ? -1 : x > y;
}

/* Sort and deduplicate ids[0..*n). */
static void sort_unique(sqlite3_int64 *ids, size_t *n)
{
    if (*n < 2)
        return;
    qsort(ids, *n, sizeof *ids, cmp_id);
    size_t k = 1;
    for (size_t i = 1; i < *n; i++)
        if (ids[i] != ids[k - 1])
            ids[k++] = ids[i];
    *n = k;
}

static int member(const sqlite3_int64 *ids, size_t n, sqlite3_int64 id)
{
    return bsearch(&id, ids, n, sizeof *ids, cmp_id) != NULL;
}

/*
 * Is id in the sorted ids? For the rows of one scan, whose keys come in
 * ascending order: *pos moves forward only (a key below it falls back to a
 * binary search).
 */
static int member_seq(const sqlite3_int64 *ids, size_t n, size_t *pos, sqlite3_int64 id)
{
    if (*pos < n && ids[*pos] > id && (*pos == 0 || ids[*pos - 1] >= id))
        return member(ids, n, id);
    while (*pos < n && ids[*pos] < id)
        (*pos)++;
    return *pos < n && ids[*pos] == id;
}

static int add_text(size_t *off, billi_det_batch *b, const char *t, size_t len)
{
    BILLI_TRY(GROW(b, text, b->ntext + len + 1, text_cap));
    memcpy(b->text + b->ntext, t, len);
    b->text[b->ntext + len] = 0;
    *off = b->ntext;
    b->ntext += len + 1;
    return BILL_OK;
}

static const char *col_text(sqlite3_stmt *st, int col, size_t *len)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    *len = (size_t)sqlite3_column_bytes(st, col);
    return t ? t : "";
}

typedef int (*row_fn)(billi_det_batch *b, sqlite3_stmt *st);

static int row_link(billi_det_batch *b, sqlite3_stmt *st)
{
    sqlite3_int64 account = sqlite3_column_int64(st, 0);
    if (!member_seq(b->ids, b->nids, &b->pos, account))
        return BILL_OK;
    BILLI_TRY(GROW(b, links, b->nlinks + 1, links_cap));
    blink *l = &b->links[b->nlinks++];
    size_t len;
    const char *serial = col_text(st, 2, &len);
    l->account = account;
    l->meter = sqlite3_column_int64(st, 1);
    l->bad = len >= sizeof l->serial;
    memcpy(l->serial, serial, l->bad ? 0 : len + 1);
    l->digits = sqlite3_column_int(st, 3);
    l->simple = sqlite3_column_int(st, 6) <= 1 && !sqlite3_column_int(st, 7);
    /* a date that does not parse: bill_store_determinants reports it */
    if (billi_column_date(&l->from, st, 4) != BILL_OK || billi_column_date(&l->to, st, 5) != BILL_OK)
        l->bad = 1;
    return BILL_OK;
}

static int row_reg(billi_det_batch *b, sqlite3_stmt *st)
{
    sqlite3_int64 meter = sqlite3_column_int64(st, 0);
    if (!member_seq(b->meters, b->nmeters, &b->pos, meter))
        return BILL_OK;
    BILLI_TRY(GROW(b, regs, b->nregs + 1, regs_cap));
    breg *g = &b->regs[b->nregs++];
    size_t len;
    const char *kind = col_text(st, 3, &len), *code = col_text(st, 2, &len);
    g->meter = meter;
    g->id = sqlite3_column_int64(st, 1);
    g->bad = len >= sizeof g->code;
    memcpy(g->code, code, g->bad ? 0 : len + 1);
    g->kind = strcmp(kind, "reactive") == 0 ? 1 : strcmp(kind, "demand") == 0 ? 2 : 0;
    g->digits = sqlite3_column_int(st, 4);
    return BILL_OK;
}

static int row_mult(billi_det_batch *b, sqlite3_stmt *st)
{
    sqlite3_int64 meter = sqlite3_column_int64(st, 0);
    if (!member_seq(b->meters, b->nmeters, &b->pos, meter))
        return BILL_OK;
    BILLI_TRY(GROW(b, mults, b->nmults + 1, mults_cap));
    bmult *m = &b->mults[b->nmults];
    size_t len;
    const char *t = col_text(st, 1, &len);
    m->meter = meter;
    BILLI_TRY(add_text(&m->from, b, t, len));
    t = col_text(st, 2, &len);
    BILLI_TRY(add_text(&m->value, b, t, len));
    b->nmults++;
    return BILL_OK;
}

static int row_read(billi_det_batch *b, sqlite3_stmt *st)
{
    sqlite3_int64 reg = sqlite3_column_int64(st, 0);
    if (!member_seq(b->regids, b->nregids, &b->pos, reg))
        return BILL_OK;
    BILLI_TRY(GROW(b, reads, b->nreads + 1, reads_cap));
    bread *r = &b->reads[b->nreads];
    size_t len;
    const char *t = col_text(st, 2, &len);
    r->reg = reg;
    r->at = sqlite3_column_int64(st, 1);
    r->estimated = sqlite3_column_int(st, 3);
    r->len = len;
    BILLI_TRY(add_text(&r->value, b, t, len));
    b->nreads++;
    return BILL_OK;
}

/* Run `sql` over ranges of the sorted ids (?1..?2), the period as dates (?3, ?4) and minutes (?5, ?6). */
static int scan(billi_det_batch *b, const sqlite3_int64 *ids, size_t n, const char *sql,
                const char *what, row_fn fn)
{
    bill_store *s = b->s;
    int rc = BILL_OK;
    b->pos = 0;
    for (size_t i = 0; i < n && rc == BILL_OK;) {
        size_t k = i;
        while (k + 1 < n && ids[k + 1] - ids[k] <= GAP)
            k++;
        sqlite3_stmt *st;
        BILLI_TRY(billi_store_prepare(s, &st, sql, what));
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, ids[k]);
        int np = sqlite3_bind_parameter_count(st);
        if (np >= 4) {
            sqlite3_bind_text(st, 3, b->start, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, b->end, -1, SQLITE_STATIC);
        }
        if (np >= 6) {
            sqlite3_bind_int64(st, 5, (sqlite3_int64)b->p.start.day * 1440);
            sqlite3_bind_int64(st, 6, (sqlite3_int64)b->p.end.day * 1440);
        }
        int src;
        while (rc == BILL_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
            rc = fn(b, st);
        if (rc == BILL_OK && src != SQLITE_DONE)
            rc = billi_store_err(s, src, what);
        billi_store_done(s, st);
        i = k + 1;
    }
    return rc;
}

int billi_det_batch_load(billi_det_batch *b, const sqlite3_int64 *ids, size_t n)
{
    BILLI_CHECK_ARG(b, "b");
    BILLI_CHECK_ARG(ids || n == 0, "ids");
    b->nids = b->nmeters = b->nregids = b->nlinks = b->nregs = b->nmults = b->nreads = 0;
    b->ntext = 0;
    BILLI_TRY(GROW(b, ids, n, ids_cap));
    memcpy(b->ids, ids, n * sizeof *ids);
    b->nids = n;
    sort_unique(b->ids, &b->nids);
    BILLI_TRY(scan(b, b->ids, b->nids, sql_links, "determinants: links", row_link));
    BILLI_TRY(GROW(b, meters, b->nlinks, meters_cap));
    for (size_t i = 0; i < b->nlinks; i++)
        if (b->links[i].simple && !b->links[i].bad)
            b->meters[b->nmeters++] = b->links[i].meter;
    sort_unique(b->meters, &b->nmeters);
    BILLI_TRY(scan(b, b->meters, b->nmeters, sql_regs, "determinants: registers", row_reg));
    BILLI_TRY(scan(b, b->meters, b->nmeters, sql_mults, "determinants: multipliers", row_mult));
    BILLI_TRY(GROW(b, regids, b->nregs, regids_cap));
    for (size_t i = 0; i < b->nregs; i++)
        b->regids[b->nregids++] = b->regs[i].id;
    sort_unique(b->regids, &b->nregids);
    return scan(b, b->regids, b->nregids, sql_reads, "determinants: readings", row_read);
}

/* Index of the first element whose key (at `offset` in elements of `size`) is >= key. */
static size_t lower(const void *arr, size_t n, size_t size, size_t offset, sqlite3_int64 key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        sqlite3_int64 k;
        memcpy(&k, (const char *)arr + mid * size + offset, sizeof k);
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int billi_det_bad_reading(const char *serial, const char *code, int64_t at, const char *text)
{
    char when[32];
    bill_datetime t = { at };
    bill_datetime_format(t, when, sizeof when);
    return billi_error(BILL_ECORRUPT,
                       "meter %s register %s: the stored reading at %s is '%.40s', not a decimal",
                       serial, code, when, text);
}

int billi_det_bad_multiplier(const char *serial, const char *from, const char *text)
{
    return billi_error(BILL_ECORRUPT,
                       "meter %s: the stored multiplier from '%.32s' is '%.40s', not a date and a"
                       " decimal",
                       serial, from, text);
}

/* As load_meter of determinants_store.c: the meter, its registers with their readings, its multipliers. */
static int feed_meter(billi_det_batch *b, bill_determinants *d, const blink *l)
{
    int rc = bill_determinants_add_meter(d, l->serial, l->digits);
    if (rc == BILL_EEXISTS)
        return BILL_OK;
    if (rc != BILL_OK)
        return rc;
    size_t g = lower(b->regs, b->nregs, sizeof *b->regs, offsetof(breg, meter), l->meter);
    for (; g < b->nregs && b->regs[g].meter == l->meter; g++) {
        const breg *r = &b->regs[g];
        if (r->bad)
            return FALLBACK;
        BILLI_TRY(bill_determinants_add_register(d, l->serial, r->code, r->kind, r->digits));
        size_t k = lower(b->reads, b->nreads, sizeof *b->reads, offsetof(bread, reg), r->id);
        for (; k < b->nreads && b->reads[k].reg == r->id; k++) {
            const bread *x = &b->reads[k];
            const char *t = b->text + x->value;
            if (bill_dec_parse(&b->v, t, x->len) != BILL_OK)
                return billi_det_bad_reading(l->serial, r->code, x->at, t);
            bill_datetime at = { x->at };
            BILLI_TRY(bill_determinants_add_reading(d, l->serial, r->code, at, &b->v,
                                                    x->estimated));
        }
    }
    size_t k = lower(b->mults, b->nmults, sizeof *b->mults, offsetof(bmult, meter), l->meter);
    for (; k < b->nmults && b->mults[k].meter == l->meter; k++) {
        const char *from = b->text + b->mults[k].from, *value = b->text + b->mults[k].value;
        bill_date day;
        if (bill_date_parse(&day, from, (size_t)-1) != BILL_OK ||
            bill_dec_parse(&b->v, value, (size_t)-1) != BILL_OK)
            return billi_det_bad_multiplier(l->serial, from, value);
        BILLI_TRY(bill_determinants_add_multiplier(d, l->serial, day, &b->v));
    }
    return BILL_OK;
}

int billi_det_batch_compute(billi_det_batch *b, bill_determinants *d, sqlite3_int64 id,
                            const char *reference)
{
    BILLI_CHECK_ARG(b, "b");
    BILLI_CHECK_ARG(d, "d");
    BILLI_CHECK_ARG(reference, "reference");
    size_t i = lower(b->links, b->nlinks, sizeof *b->links, offsetof(blink, account), id), k;
    for (k = i; k < b->nlinks && b->links[k].account == id; k++)
        if (!b->links[k].simple || b->links[k].bad)
            break;
    if ((k < b->nlinks && b->links[k].account == id) || k - i > MAX_LINKS ||
        !member(b->ids, b->nids, id))
        return bill_store_determinants(d, b->s, reference, b->p);
    bill_determinants_reset(d);
    BILLI_TRY(bill_determinants_set_period(d, b->p));
    for (; i < k; i++) {
        const blink *l = &b->links[i];
        int rc = feed_meter(b, d, l);
        if (rc == FALLBACK)
            return bill_store_determinants(d, b->s, reference, b->p);
        if (rc != BILL_OK)
            return rc;
        BILLI_TRY(bill_determinants_add_segment(d, l->serial, l->from, l->to, 1, NULL, 0, 0));
    }
    return bill_determinants_compute(d);
}

/* ---- bill_store_determinants_each ------------------------------------------------- */

static const char sql_page[] =
    "SELECT id, reference FROM accounts WHERE reference > ?1 ORDER BY reference LIMIT 2048";
static const char sql_one[] = "SELECT id FROM accounts WHERE reference = ?1";

typedef struct each_acct {
    sqlite3_int64 id; /* -1: no such account */
    char ref[BILL_KEY_MAX];
} each_acct;

int bill_store_determinants_each(bill_store *s, bill_period p, const char *const *accounts,
                                 size_t naccounts, bill_determinants_each_fn fn, void *ctx)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(fn, "fn");
    BILLI_CHECK_ARG(accounts || naccounts == 0, "accounts");
    for (size_t i = 0; i < naccounts; i++)
        if (!accounts[i])
            return billi_error(BILL_EINVAL, "determinants: account %zu is NULL", i);
    billi_det_batch *b;
    BILLI_TRY(billi_det_batch_create(&b, s, p));
    bill_determinants *d = NULL;
    each_acct *page = malloc(BILLI_DET_CHUNK * sizeof *page);
    sqlite3_int64 *ids = malloc(BILLI_DET_CHUNK * sizeof *ids);
    int rc = page && ids ? bill_determinants_create(&d)
                         : billi_error(BILL_ENOMEM, "determinants: out of memory");
    char last[BILL_KEY_MAX] = "";
    size_t off = 0;
    while (rc == BILL_OK) {
        size_t n = 0, nids = 0;
        sqlite3_stmt *st;
        int src = SQLITE_DONE;
        if (!accounts) {
            rc = billi_store_prepare(s, &st, sql_page, "determinants: accounts");
            if (rc != BILL_OK)
                break;
            sqlite3_bind_text(st, 1, last, -1, SQLITE_TRANSIENT);
            while (n < BILLI_DET_CHUNK && (src = sqlite3_step(st)) == SQLITE_ROW) {
                page[n].id = sqlite3_column_int64(st, 0);
                snprintf(page[n].ref, sizeof page[n].ref, "%s",
                         (const char *)sqlite3_column_text(st, 1));
                n++;
            }
            if (n < BILLI_DET_CHUNK && src != SQLITE_DONE)
                rc = billi_store_err(s, src, "determinants: accounts");
            billi_store_done(s, st);
            if (n)
                snprintf(last, sizeof last, "%s", page[n - 1].ref);
        } else {
            for (; n < BILLI_DET_CHUNK && off + n < naccounts && rc == BILL_OK; n++) {
                const char *ref = accounts[off + n];
                page[n].id = -1;
                snprintf(page[n].ref, sizeof page[n].ref, "%.*s", BILL_KEY_MAX - 1, ref);
                if (strlen(ref) >= BILL_KEY_MAX)
                    continue; /* no such account: bill_store_determinants says so */
                rc = billi_store_prepare(s, &st, sql_one, "determinants: account");
                if (rc != BILL_OK)
                    break;
                sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
                src = sqlite3_step(st);
                if (src == SQLITE_ROW)
                    page[n].id = sqlite3_column_int64(st, 0);
                else if (src != SQLITE_DONE)
                    rc = billi_store_err(s, src, "determinants: account");
                billi_store_done(s, st);
            }
        }
        if (rc != BILL_OK || n == 0)
            break;
        for (size_t i = 0; i < n; i++)
            if (page[i].id >= 0)
                ids[nids++] = page[i].id;
        rc = billi_det_batch_load(b, ids, nids);
        for (size_t i = 0; i < n && rc == BILL_OK; i++) {
            const char *ref = accounts ? accounts[off + i] : page[i].ref;
            int status = page[i].id >= 0 ? billi_det_batch_compute(b, d, page[i].id, ref)
                                         : bill_store_determinants(d, s, ref, p);
            rc = fn(ctx, ref, status, d);
        }
        off += n;
        if (accounts ? off >= naccounts : n < BILLI_DET_CHUNK)
            break;
    }
    bill_determinants_free(d);
    free(page);
    free(ids);
    billi_det_batch_free(b);
    return rc;
}
