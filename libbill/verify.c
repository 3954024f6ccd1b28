/*
 * Meter-to-account verification (表户对应核查): reconciles a field audit with
 * the registry and the reading history of each meter's "total" register
 * (include/bill/verify.h, docs/verification.md).
 */
#include "store_internal.h"
#include "readings_csv.h"
#include "verify_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decimals allowed in a stored or audited reading (registers keep no decimals count). */
#define VDEC BILL_REGISTER_MAX_DECIMALS

/* A meter's "total" register history up to a date. */
typedef struct hist {
    int n;           /* stored readings at or before the cut */
    bill_dec last;   /* last of them */
    int32_t last_day;
    bill_dec sum;    /* sum of advances between consecutive readings */
    int32_t hdays;   /* days from the first to the last (0 with fewer than 2) */
    int digits;
} hist;

typedef struct vrow {
    int64_t line;
    int cls;
    int valid;
    char *serial, *account, *address;
    bill_dec reading;
    bill_date on;
    char *registered;      /* accounts joined with '+' */
    char **regs;           /* the same, split */
    int nregs;
    char *partner;
    char *evidence;
    int loc;               /* CONFIRMED, OTHER_ACCOUNT, LOCATION_UNCHECKED, UNKNOWN, UNLINKED */
    int rcls;              /* 0, READING_BELOW_HISTORY or IMPLAUSIBLE_JUMP */
    char *reading_note;
    hist h;
    int paired;
    char reading_txt[64];
    char date_txt[16];
} vrow;

typedef struct vacc {
    char *ref;
    int cls;
    char *evidence;
} vacc;

struct bill_verify {
    bill_store *store;
    bill_verify_options opt;
    billi_rcsv *csv;
    int csv_used, api_used, finished, ran;
    vrow *rows;
    size_t nrows, caprows;
    vacc *accs;
    size_t naccs;
    /* indexes for the account pass: audited serials (sorted), (account, row) pairs (sorted) */
    const char **audited;
    size_t naudited;
    struct refrow *pairs;
    size_t npairs;
    char errmsg[BILLI_ERRMSG_MAX];
};

struct refrow {
    const char *ref;
    size_t row;
};

static const char *const row_names[] = {
    "confirmed", "other_account", "unknown_meter", "unlinked_meter", "reading_below_history",
    "implausible_jump", "likely_swap", "location_unchecked", "rejected"
};
static const char *const acc_names[] = {
    "confirmed", "meter_not_found", "mismatch", "reading_problem", "unchecked"
};

const char *bill_verify_class_name(int cls)
{
    if (cls >= 0 && cls <= BILL_VERIFY_REJECTED)
        return row_names[cls];
    if (cls >= BILL_VERIFY_ACCOUNT_CONFIRMED && cls <= BILL_VERIFY_ACCOUNT_UNCHECKED)
        return acc_names[cls - BILL_VERIFY_ACCOUNT_CONFIRMED];
    return NULL;
}

void bill_verify_options_init(bill_verify_options *out)
{
    bill_verify_options d = BILL_VERIFY_OPTIONS_INIT;
    if (out)
        *out = d;
}

/* ---- handle -------------------------------------------------------------------- */

static void hist_clear(hist *h)
{
    bill_dec_clear(&h->last);
    bill_dec_clear(&h->sum);
}

static void row_clear(vrow *r)
{
    free(r->serial);
    free(r->account);
    free(r->address);
    bill_dec_clear(&r->reading);
    free(r->registered);
    for (int i = 0; i < r->nregs; i++)
        free(r->regs[i]);
    free(r->regs);
    free(r->partner);
    free(r->evidence);
    free(r->reading_note);
    hist_clear(&r->h);
}

void bill_verify_free(bill_verify *v)
{
    if (!v)
        return;
    billi_rcsv_free(v->csv);
    for (size_t i = 0; i < v->nrows; i++)
        row_clear(&v->rows[i]);
    free(v->rows);
    for (size_t i = 0; i < v->naccs; i++) {
        free(v->accs[i].ref);
        free(v->accs[i].evidence);
    }
    free(v->accs);
    bill_dec_clear(&v->opt.jump_factor);
    bill_dec_clear(&v->opt.jump_floor);
    free(v);
}

static int fail(bill_verify *v, int rc)
{
    if (v)
        billi_error_to(v->errmsg, rc);
    return rc;
}

static vrow *new_row(bill_verify *v)
{
    if (v->nrows == v->caprows) {
        size_t cap = v->caprows ? v->caprows * 2 : 16;
        vrow *p = realloc(v->rows, cap * sizeof *p);
        if (!p)
            return NULL;
        v->rows = p;
        v->caprows = cap;
    }
    vrow *r = &v->rows[v->nrows];
    memset(r, 0, sizeof *r);
    bill_dec_init(&r->reading);
    bill_dec_init(&r->h.last);
    bill_dec_init(&r->h.sum);
    return r;
}

/* Fill a new valid row; the caller has checked the arguments. */
static int push_row(bill_verify *v, int64_t line, const char *serial, size_t ls,
                    const char *acc, size_t la, const char *addr, size_t lad,
                    const bill_dec *reading, bill_date on)
{
    vrow *r = new_row(v);
    if (!r)
        return billi_error(BILL_ENOMEM, "verify: out of memory");
    r->line = line;
    r->valid = 1;
    r->on = on;
    r->serial = billi_strndup(serial, ls);
    r->account = billi_strndup(acc, la);
    r->address = billi_strndup(addr, lad);
    int rc = bill_dec_copy(&r->reading, reading);
    v->nrows++;
    if (!r->serial || !r->account || !r->address || rc != BILL_OK)
        return billi_error(BILL_ENOMEM, "verify: out of memory");
    billi_dec_text(r->reading_txt, sizeof r->reading_txt, reading);
    billi_date_text(r->date_txt, on);
    return BILL_OK;
}

static int on_csv_row(void *ctx, const billi_rcsv_row *row)
{
    bill_verify *v = ctx;
    if (row->status != BILL_OK) {
        vrow *r = new_row(v);
        if (!r)
            return billi_error(BILL_ENOMEM, "verify: out of memory");
        r->line = (int64_t)row->line;
        r->cls = BILL_VERIFY_REJECTED;
        r->evidence = billi_strdup(row->errmsg);
        v->nrows++;
        if (!r->evidence)
            return billi_error(BILL_ENOMEM, "verify: out of memory");
        return BILL_OK;
    }
    const billi_audit_rec *a = &row->u.audit;
    return push_row(v, (int64_t)row->line, a->meter_serial.ptr, a->meter_serial.len,
                    a->found_account.ptr ? a->found_account.ptr : "", a->found_account.len,
                    a->found_address.ptr ? a->found_address.ptr : "", a->found_address.len,
                    &a->reading, a->read_on);
}

int bill_verify_create(bill_verify **out, bill_store *store, const bill_verify_options *opts)
{
    BILLI_CHECK_ARG(out, "out");
    *out = NULL;
    BILLI_CHECK_ARG(store, "store");
    bill_verify_options def = BILL_VERIFY_OPTIONS_INIT;
    const bill_verify_options *o = opts ? opts : &def;
    if (o->version != BILL_VERIFY_OPTIONS_VERSION)
        return billi_error(BILL_EINVAL, "verify: options version %d, expected %d", o->version,
                           BILL_VERIFY_OPTIONS_VERSION);
    if (bill_dec_sign(&o->jump_factor) <= 0)
        return billi_error(BILL_EINVAL, "verify: option 'jump_factor' must be above zero");
    if (bill_dec_sign(&o->jump_floor) < 0)
        return billi_error(BILL_EINVAL, "verify: option 'jump_floor' must not be negative");
    if (o->scope != BILL_VERIFY_SCOPE_AUDITED && o->scope != BILL_VERIFY_SCOPE_ALL)
        return billi_error(BILL_EINVAL, "verify: option 'scope' %d is unknown", o->scope);
    if (o->audit_date && !bill_date_is_valid(o->date))
        return billi_error(BILL_EINVAL, "verify: option 'date' is not a valid date");
    bill_verify *v = calloc(1, sizeof *v);
    if (!v)
        return billi_error(BILL_ENOMEM, "verify: out of memory");
    v->store = store;
    v->opt = *o;
    bill_dec_init(&v->opt.jump_factor);
    bill_dec_init(&v->opt.jump_floor);
    if (bill_dec_copy(&v->opt.jump_factor, &o->jump_factor) != BILL_OK ||
        bill_dec_copy(&v->opt.jump_floor, &o->jump_floor) != BILL_OK) {
        bill_verify_free(v);
        return billi_error(BILL_ENOMEM, "verify: out of memory");
    }
    *out = v;
    return BILL_OK;
}

int bill_verify_feed(bill_verify *v, const char *text, size_t len)
{
    BILLI_CHECK_ARG(v, "v");
    BILLI_CHECK_ARG(text || len == 0, "text");
    if (v->ran || v->finished || v->api_used)
        return fail(v, billi_error(BILL_ESTATE, "verify: CSV input after %s",
                                   v->ran ? "run" : v->finished ? "finish" : "rows added by API"));
    if (!v->csv) {
        int rc = billi_rcsv_create(&v->csv, BILLI_RCSV_AUDIT, NULL, on_csv_row, v);
        if (rc != BILL_OK)
            return fail(v, rc);
    }
    v->csv_used = 1;
    int rc = billi_rcsv_feed(v->csv, text, len);
    return rc == BILL_OK ? BILL_OK : fail(v, rc);
}

int bill_verify_finish(bill_verify *v)
{
    BILLI_CHECK_ARG(v, "v");
    if (v->ran || v->finished || v->api_used)
        return fail(v, billi_error(BILL_ESTATE, "verify: finish without CSV input in progress"));
    if (!v->csv) {
        int rc = billi_rcsv_create(&v->csv, BILLI_RCSV_AUDIT, NULL, on_csv_row, v);
        if (rc != BILL_OK)
            return fail(v, rc);
    }
    v->csv_used = 1;
    v->finished = 1;
    int rc = billi_rcsv_finish(v->csv);
    return rc == BILL_OK ? BILL_OK : fail(v, rc);
}

int bill_verify_add_file(bill_verify *v, const char *path)
{
    BILLI_CHECK_ARG(v, "v");
    BILLI_CHECK_ARG(path, "path");
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(v, billi_error(BILL_EIO, "verify: cannot open '%s'", path));
    char buf[65536];
    size_t n;
    int rc = BILL_OK;
    while (rc == BILL_OK && (n = fread(buf, 1, sizeof buf, f)) > 0)
        rc = bill_verify_feed(v, buf, n);
    if (rc == BILL_OK && ferror(f))
        rc = fail(v, billi_error(BILL_EIO, "verify: cannot read '%s'", path));
    fclose(f);
    if (rc == BILL_OK)
        rc = bill_verify_finish(v);
    return rc;
}

int bill_verify_add_row(bill_verify *v, const char *serial, const char *account,
                        const char *address, const bill_dec *reading, bill_date on)
{
    BILLI_CHECK_ARG(v, "v");
    if (v->ran || v->csv_used)
        return fail(v, billi_error(BILL_ESTATE, "verify: add_row after %s",
                                   v->ran ? "run" : "CSV input"));
    if (!serial || !*serial || strlen(serial) > BILLI_RCSV_MAX_SERIAL)
        return fail(v, billi_error(BILL_EINVAL, "verify: row %zu: 'meter_serial' is missing or "
                                   "longer than %d bytes", v->nrows + 1, BILLI_RCSV_MAX_SERIAL));
    if (!account)
        account = "";
    if (!address)
        address = "";
    if (!*account && !*address)
        return fail(v, billi_error(BILL_EINVAL, "verify: row %zu: give 'found_account' or "
                                   "'found_address'", v->nrows + 1));
    if (!reading || bill_dec_sign(reading) < 0)
        return fail(v, billi_error(reading ? BILL_ERANGE : BILL_EINVAL,
                                   "verify: row %zu: 'reading' must be a value >= 0", v->nrows + 1));
    if (!bill_date_is_valid(on))
        return fail(v, billi_error(BILL_EDATE, "verify: row %zu: 'read_on' is not a valid date",
                                   v->nrows + 1));
    v->api_used = 1;
    int rc = push_row(v, (int64_t)v->nrows + 1, serial, strlen(serial), account, strlen(account),
                      address, strlen(address), reading, on);
    return rc == BILL_OK ? BILL_OK : fail(v, rc);
}

/* ---- history ----------------------------------------------------------------------- */

static int32_t day_of_minute(int64_t m)
{
    return (int32_t)(m >= 0 ? m / 1440 : -((-m + 1439) / 1440));
}

static const char SQL_HIST[] =
    "SELECT r.read_at, r.value, g.digits FROM readings r "
    "JOIN registers g ON g.id = r.register_id JOIN meters m ON m.id = g.meter_id "
    "WHERE m.serial = ?1 AND g.code = 'total' AND r.read_at <= ?2 ORDER BY r.read_at";

/* The history of meter `serial` up to 00:00 of `d`. */
static int load_hist(bill_store *s, hist *h, const char *serial, bill_date d)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, SQL_HIST, "verify: reading history"));
    int rc = billi_bind_text(s, st, 1, serial);
    if (rc == BILL_OK && sqlite3_bind_int64(st, 2, (sqlite3_int64)d.day * 1440) != SQLITE_OK)
        rc = billi_store_err(s, SQLITE_ERROR, "verify: reading history");
    bill_dec cur = BILL_DEC_INIT, adv = BILL_DEC_INIT, tmp = BILL_DEC_INIT;
    int32_t first_day = 0;
    h->n = 0;
    h->hdays = 0;
    bill_dec_set_i64(&h->sum, 0, 0);
    while (rc == BILL_OK) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = billi_store_err(s, step, "verify: reading history");
            break;
        }
        int32_t day = day_of_minute(sqlite3_column_int64(st, 0));
        rc = billi_column_dec(&cur, st, 1);
        if (rc != BILL_OK)
            break;
        h->digits = sqlite3_column_int(st, 2);
        if (h->n == 0) {
            first_day = day;
        } else if (bill_register_advance(&adv, NULL, NULL, &h->last, &cur, h->digits, VDEC,
                                         NULL, NULL) == BILL_OK) {
            rc = bill_dec_add(&tmp, &h->sum, &adv);
            if (rc == BILL_OK)
                rc = bill_dec_copy(&h->sum, &tmp);
        }
        if (rc == BILL_OK)
            rc = bill_dec_copy(&h->last, &cur);
        h->last_day = day;
        h->n++;
    }
    if (h->n >= 2)
        h->hdays = h->last_day - first_day;
    billi_store_done(s, st);
    bill_dec_clear(&cur);
    bill_dec_clear(&adv);
    bill_dec_clear(&tmp);
    return rc;
}

static int32_t days_since(const hist *h, bill_date d)
{
    int32_t n = d.day - h->last_day;
    return n < 1 ? 1 : n;
}

/*
 * Distance of `reading` from the value history h expects on day d,
 * multiplied by the denominator h->hdays (1 without a daily average):
 * |reading·hd − last·hd − sum·days|. *den = that denominator.
 */
static int scaled_distance(bill_dec *out, int64_t *den, const hist *h, const bill_dec *reading,
                           bill_date d)
{
    bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT, c = BILL_DEC_INIT, hd = BILL_DEC_INIT;
    int64_t dd = h->hdays > 0 ? h->hdays : 1;
    int rc = bill_dec_set_i64(&hd, dd, 0);
    if (rc == BILL_OK)
        rc = bill_dec_sub(&a, reading, &h->last);
    if (rc == BILL_OK)
        rc = bill_dec_mul(&b, &a, &hd);
    if (rc == BILL_OK && h->hdays > 0) {
        bill_dec days = BILL_DEC_INIT;
        bill_dec_set_i64(&days, days_since(h, d), 0);
        rc = bill_dec_mul(&c, &h->sum, &days);
        if (rc == BILL_OK)
            rc = bill_dec_sub(&a, &b, &c);
        if (rc == BILL_OK)
            rc = bill_dec_copy(&b, &a);
        bill_dec_clear(&days);
    }
    if (rc == BILL_OK)
        rc = bill_dec_abs(out, &b);
    *den = dd;
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&c);
    bill_dec_clear(&hd);
    return rc;
}

/* 1 if reading fits history `other` strictly better than `own` (both on day d). */
static int fits_better(const hist *other, const hist *own, const bill_dec *reading, bill_date d)
{
    bill_dec dx = BILL_DEC_INIT, dy = BILL_DEC_INIT, l = BILL_DEC_INIT, r = BILL_DEC_INIT,
             n = BILL_DEC_INIT;
    int64_t nx, ny;
    int better = 0;
    if (scaled_distance(&dx, &nx, other, reading, d) == BILL_OK &&
        scaled_distance(&dy, &ny, own, reading, d) == BILL_OK) {
        /* dx/nx < dy/ny  <=>  dx·ny < dy·nx */
        bill_dec_set_i64(&n, ny, 0);
        bill_dec_mul(&l, &dx, &n);
        bill_dec_set_i64(&n, nx, 0);
        bill_dec_mul(&r, &dy, &n);
        better = bill_dec_cmp(&l, &r) < 0;
    }
    bill_dec_clear(&dx);
    bill_dec_clear(&dy);
    bill_dec_clear(&l);
    bill_dec_clear(&r);
    bill_dec_clear(&n);
    return better;
}

/* The expected reading on day d, rounded to a whole number, as text. */
static void expected_text(char *buf, size_t cap, const hist *h, bill_date d)
{
    bill_dec e = BILL_DEC_INIT, t = BILL_DEC_INIT, days = BILL_DEC_INIT, hd = BILL_DEC_INIT;
    int rc = bill_dec_copy(&e, &h->last);
    if (rc == BILL_OK && h->hdays > 0) {
        bill_dec_set_i64(&days, days_since(h, d), 0);
        bill_dec_set_i64(&hd, h->hdays, 0);
        rc = bill_dec_mul(&t, &h->sum, &days);
        if (rc == BILL_OK)
            rc = bill_dec_div(&days, &t, &hd, 6, BILL_ROUND_HALF_UP);
        if (rc == BILL_OK)
            rc = bill_dec_add(&e, &h->last, &days);
    }
    if (rc == BILL_OK)
        rc = bill_dec_rescale(&t, &e, 0, BILL_ROUND_HALF_UP);
    if (rc == BILL_OK)
        billi_dec_text(buf, cap, &t);
    else
        snprintf(buf, cap, "?");
    bill_dec_clear(&e);
    bill_dec_clear(&t);
    bill_dec_clear(&days);
    bill_dec_clear(&hd);
}

/* ---- the run ------------------------------------------------------------------------ */

static int set_text(char **dst, const char *fmt, ...) BILLI_PRINTF(2, 3);
static int set_text(char **dst, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *p = billi_strdup(buf);
    if (!p)
        return billi_error(BILL_ENOMEM, "verify: out of memory");
    free(*dst);
    *dst = p;
    return BILL_OK;
}

static int has_reg(const vrow *r, const char *acc)
{
    for (int i = 0; i < r->nregs; i++)
        if (strcmp(r->regs[i], acc) == 0)
            return 1;
    return 0;
}

/* The accounts of meter r->serial on r->on; r->loc UNKNOWN/UNLINKED when there are none. */
static int locate(bill_verify *v, vrow *r)
{
    bill_meter *m = NULL;
    int rc = bill_registry_get_meter(&m, v->store, r->serial);
    bill_meter_free(m);
    /* a serial the registry cannot hold (ESYNTAX) is unknown too */
    if (rc == BILL_ENOTFOUND || rc == BILL_ESYNTAX) {
        r->loc = BILL_VERIFY_UNKNOWN_METER;
        return BILL_OK;
    }
    BILLI_TRY(rc);
    bill_link_list *l = NULL;
    BILLI_TRY(bill_registry_meter_accounts(&l, v->store, r->serial, r->on));
    int n = bill_link_list_count(l);
    billi_sb joined = { 0 };
    r->regs = n > 0 ? calloc((size_t)n, sizeof *r->regs) : NULL;
    if (n > 0 && !r->regs)
        rc = billi_error(BILL_ENOMEM, "verify: out of memory");
    for (int i = 0; rc == BILL_OK && i < n; i++) {
        const char *acc = bill_link_list_account(l, i);
        r->regs[i] = billi_strdup(acc);
        r->nregs++;
        if (!r->regs[i])
            rc = billi_error(BILL_ENOMEM, "verify: out of memory");
        if (i)
            billi_sb_put(&joined, "+", 1);
        billi_sb_str(&joined, acc);
    }
    bill_link_list_free(l);
    if (rc == BILL_OK)
        rc = billi_sb_take(&r->registered, &joined);
    else
        free(joined.p);
    BILLI_TRY(rc);
    if (n == 0)
        r->loc = BILL_VERIFY_UNLINKED_METER;
    else if (!*r->account)
        r->loc = BILL_VERIFY_LOCATION_UNCHECKED;
    else if (has_reg(r, r->account))
        r->loc = BILL_VERIFY_CONFIRMED;
    else
        r->loc = BILL_VERIFY_OTHER_ACCOUNT;
    return BILL_OK;
}

/* The reading check of a row with a registered meter: r->rcls and r->reading_note. */
static int check_reading(bill_verify *v, vrow *r)
{
    BILLI_TRY(load_hist(v->store, &r->h, r->serial, r->on));
    if (r->h.n == 0)
        return BILL_OK;
    char last[64], lastd[16];
    billi_dec_text(last, sizeof last, &r->h.last);
    bill_date ld = { r->h.last_day };
    billi_date_text(lastd, ld);
    bill_dec adv = BILL_DEC_INIT, energy = BILL_DEC_INIT, mult = BILL_DEC_INIT;
    int kind = 0;
    int rc = bill_registry_multiplier_on(&mult, v->store, r->serial, r->on);
    if (rc != BILL_OK)
        rc = bill_dec_set_i64(&mult, 1, 0);
    int arc = bill_register_advance(&adv, &energy, &kind, &r->h.last, &r->reading, r->h.digits,
                                    VDEC, &mult, NULL);
    if (arc == BILL_ERULE) {
        r->rcls = BILL_VERIFY_READING_BELOW_HISTORY;
        rc = set_text(&r->reading_note, "reading %s is below the last stored reading %s of %s and "
                      "is no plausible rollover of a %d-digit register", r->reading_txt, last,
                      lastd, r->h.digits);
    } else if (arc != BILL_OK) {
        r->rcls = BILL_VERIFY_IMPLAUSIBLE_JUMP;
        rc = set_text(&r->reading_note, "reading %s does not fit a %d-digit register",
                      r->reading_txt, r->h.digits);
    } else {
        int32_t days = days_since(&r->h, r->on);
        bill_dec dd = BILL_DEC_INIT, a = BILL_DEC_INIT, b = BILL_DEC_INIT, hd = BILL_DEC_INIT;
        bill_dec_set_i64(&dd, days, 0);
        rc = bill_dec_mul(&a, &v->opt.jump_floor, &dd);
        int above_floor = rc == BILL_OK && bill_dec_cmp(&energy, &a) > 0;
        int above_k = 1;
        if (rc == BILL_OK && r->h.hdays > 0) {
            /* advance × hist_days > K × hist_sum × days */
            bill_dec_set_i64(&hd, r->h.hdays, 0);
            rc = bill_dec_mul(&a, &adv, &hd);
            if (rc == BILL_OK)
                rc = bill_dec_mul(&b, &v->opt.jump_factor, &r->h.sum);
            if (rc == BILL_OK)
                rc = bill_dec_mul(&hd, &b, &dd);
            above_k = rc == BILL_OK && bill_dec_cmp(&a, &hd) > 0;
        }
        if (rc == BILL_OK && above_floor && above_k) {
            char advt[64], et[16];
            billi_dec_text(advt, sizeof advt, &adv);
            expected_text(et, sizeof et, &r->h, r->on);
            r->rcls = BILL_VERIFY_IMPLAUSIBLE_JUMP;
            if (r->h.hdays > 0) {
                char avg[64];
                bill_dec_set_i64(&hd, r->h.hdays, 0);
                if (bill_dec_div(&a, &r->h.sum, &hd, 2, BILL_ROUND_HALF_UP) == BILL_OK)
                    billi_dec_text(avg, sizeof avg, &a);
                else
                    strcpy(avg, "?");
                rc = set_text(&r->reading_note, "reading %s advanced %s in %d day(s) since %s "
                              "on %s; the history averages %s a day (expected about %s)",
                              r->reading_txt, advt, (int)days, last, lastd, avg, et);
            } else {
                rc = set_text(&r->reading_note, "reading %s advanced %s in %d day(s) since %s "
                              "on %s, above the floor of the jump rule", r->reading_txt, advt,
                              (int)days, last, lastd);
            }
        } else if (rc == BILL_OK && kind == BILL_ADVANCE_ROLLOVER) {
            rc = set_text(&r->reading_note, "reading %s rolled over from %s of %s",
                          r->reading_txt, last, lastd);
        }
        bill_dec_clear(&dd);
        bill_dec_clear(&a);
        bill_dec_clear(&b);
        bill_dec_clear(&hd);
    }
    bill_dec_clear(&adv);
    bill_dec_clear(&energy);
    bill_dec_clear(&mult);
    return rc;
}

static int row_evidence(vrow *r)
{
    const char *note = r->reading_note ? r->reading_note : "";
    const char *sep = *note ? "; " : "";
    switch (r->cls) {
    case BILL_VERIFY_UNKNOWN_METER:
        return set_text(&r->evidence, "meter %s is not in the registry", r->serial);
    case BILL_VERIFY_UNLINKED_METER:
        return set_text(&r->evidence, "meter %s is in the registry but linked to no account on %s",
                        r->serial, r->date_txt);
    case BILL_VERIFY_OTHER_ACCOUNT:
        return set_text(&r->evidence, "meter %s was found at %s but is registered to %s on %s%s%s",
                        r->serial, r->account, r->registered, r->date_txt, sep, note);
    case BILL_VERIFY_READING_BELOW_HISTORY:
    case BILL_VERIFY_IMPLAUSIBLE_JUMP:
        return set_text(&r->evidence, "meter %s (registered to %s): %s", r->serial, r->registered,
                        note);
    case BILL_VERIFY_LOCATION_UNCHECKED:
        return set_text(&r->evidence, "meter %s is registered to %s; found at address '%s', which "
                        "the registry cannot check (it holds no addresses)%s%s", r->serial,
                        r->registered, r->address, sep, note);
    case BILL_VERIFY_CONFIRMED:
        return set_text(&r->evidence, "meter %s is registered to %s on %s (matched by account; "
                        "the registry holds no addresses)%s%s", r->serial, r->account,
                        r->date_txt, sep, note);
    default:
        return BILL_OK;
    }
}

/* Swaps by location: X registered to A found at B, Y registered to B found at A. */
static int swaps_by_location(bill_verify *v)
{
    for (size_t i = 0; i < v->nrows; i++) {
        vrow *a = &v->rows[i];
        if (a->cls != BILL_VERIFY_OTHER_ACCOUNT || a->paired)
            continue;
        for (size_t j = i + 1; j < v->nrows; j++) {
            vrow *b = &v->rows[j];
            if (b->cls != BILL_VERIFY_OTHER_ACCOUNT || b->paired ||
                strcmp(a->serial, b->serial) == 0 || !has_reg(a, b->account) ||
                !has_reg(b, a->account))
                continue;
            a->paired = b->paired = 1;
            a->cls = b->cls = BILL_VERIFY_LIKELY_SWAP;
            BILLI_TRY(set_text(&a->partner, "%s", b->serial));
            BILLI_TRY(set_text(&b->partner, "%s", a->serial));
            for (int k = 0; k < 2; k++) {
                vrow *x = k ? b : a, *y = k ? a : b;
                BILLI_TRY(set_text(&x->evidence, "meter %s (registered to %s) was found at %s, and "
                                   "meter %s (registered to %s) was found at %s (line %lld): the "
                                   "two meters look swapped", x->serial, x->registered, x->account,
                                   y->serial, y->registered, y->account, (long long)y->line));
            }
            break;
        }
    }
    return BILL_OK;
}

/* Swaps by readings: two rows with inconsistent readings, each fitting the other's history better. */
static int swaps_by_readings(bill_verify *v)
{
    for (size_t i = 0; i < v->nrows; i++) {
        vrow *a = &v->rows[i];
        if (a->paired || !a->rcls || a->h.n == 0 ||
            (a->cls != BILL_VERIFY_READING_BELOW_HISTORY && a->cls != BILL_VERIFY_IMPLAUSIBLE_JUMP))
            continue;
        for (size_t j = i + 1; j < v->nrows; j++) {
            vrow *b = &v->rows[j];
            if (b->paired || !b->rcls || b->h.n == 0 ||
                (b->cls != BILL_VERIFY_READING_BELOW_HISTORY &&
                 b->cls != BILL_VERIFY_IMPLAUSIBLE_JUMP) ||
                strcmp(a->serial, b->serial) == 0 || strcmp(a->registered, b->registered) == 0)
                continue;
            if (!fits_better(&b->h, &a->h, &a->reading, a->on) ||
                !fits_better(&a->h, &b->h, &b->reading, b->on))
                continue;
            a->paired = b->paired = 1;
            a->cls = b->cls = BILL_VERIFY_LIKELY_SWAP;
            BILLI_TRY(set_text(&a->partner, "%s", b->serial));
            BILLI_TRY(set_text(&b->partner, "%s", a->serial));
            for (int k = 0; k < 2; k++) {
                vrow *x = k ? b : a, *y = k ? a : b;
                char eo[64], ee[64], yo[64], ye[64];
                expected_text(eo, sizeof eo, &y->h, x->on);
                expected_text(ee, sizeof ee, &x->h, x->on);
                expected_text(yo, sizeof yo, &x->h, y->on);
                expected_text(ye, sizeof ye, &y->h, y->on);
                BILLI_TRY(set_text(&x->evidence, "meter %s (registered to %s) reads %s, which fits "
                                   "%s's meter history (expected about %s) better than %s's "
                                   "(expected about %s); meter %s (registered to %s, line %lld) "
                                   "reads %s, which fits %s's (expected about %s) better than %s's "
                                   "(expected about %s): the readings look swapped",
                                   x->serial, x->registered, x->reading_txt, y->registered, eo,
                                   x->registered, ee, y->serial, y->registered, (long long)y->line,
                                   y->reading_txt, x->registered, yo, y->registered, ye));
            }
            break;
        }
    }
    return BILL_OK;
}

/* ---- accounts ------------------------------------------------------------------------ */

typedef struct refset {
    char **v;
    size_t n, cap;
} refset;

static int refset_add(refset *s, const char *ref)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **p = realloc(s->v, cap * sizeof *p);
        if (!p)
            return billi_error(BILL_ENOMEM, "verify: out of memory");
        s->v = p;
        s->cap = cap;
    }
    if (!(s->v[s->n] = billi_strdup(ref)))
        return billi_error(BILL_ENOMEM, "verify: out of memory");
    s->n++;
    return BILL_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void refset_free(refset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static int account_exists(bill_store *s, const char *ref)
{
    bill_account *a = NULL;
    int rc = bill_registry_get_account(&a, s, ref);
    bill_account_free(a);
    return rc == BILL_OK ? 1 : rc == BILL_ENOTFOUND || rc == BILL_ESYNTAX ? 0 : rc;
}

/* The period [d, d + 1); on the last representable day, the day before it (the registry's
 * periods cannot end after 9999-12-31). */
static bill_period day_period(bill_date d)
{
    bill_date next = { d.day + 1 };
    if (!bill_date_is_valid(next)) {
        bill_period p = { { d.day - 1 }, d };
        return p;
    }
    bill_period p = { d, next };
    return p;
}

/* Installed meters linked to `ref` on day d that no valid row audited: appended to b. */
static int meters_not_found(bill_verify *v, const char *ref, bill_date d, billi_sb *b, int *found)
{
    bill_link_list *l = NULL;
    bill_period p = day_period(d);
    BILLI_TRY(bill_registry_account_meters(&l, v->store, ref, p));
    int rc = BILL_OK;
    *found = 0;
    for (int i = 0; rc == BILL_OK && i < bill_link_list_count(l); i++) {
        const char *serial = bill_link_list_meter(l, i);
        if (v->naudited && bsearch(&serial, v->audited, v->naudited, sizeof *v->audited, cmp_str))
            continue;
        bill_meter *m = NULL;
        rc = bill_registry_get_meter(&m, v->store, serial);
        if (rc != BILL_OK)
            break;
        int st = bill_meter_status(m);
        int installed = st != BILL_METER_IN_STOCK && bill_meter_installed(m).day <= d.day &&
                        (st != BILL_METER_REMOVED || bill_meter_removed(m).day > d.day);
        bill_meter_free(m);
        if (!installed)
            continue;
        char from[16];
        billi_date_text(from, bill_link_list_from(l, i));
        if (b->n)
            billi_sb_str(b, "; ");
        billi_sb_fmt(b, "meter %s, linked since %s, was not found in the audit", serial, from);
        (*found)++;
    }
    bill_link_list_free(l);
    return rc;
}

/* Does `ref` have an installed meter linked on d? */
static int has_installed_meter(bill_verify *v, const char *ref, bill_date d)
{
    int n = 0;
    bill_link_list *l = NULL;
    bill_period p = day_period(d);
    int rc = bill_registry_account_meters(&l, v->store, ref, p);
    for (int i = 0; rc == BILL_OK && i < bill_link_list_count(l) && !n; i++) {
        bill_meter *m = NULL;
        rc = bill_registry_get_meter(&m, v->store, bill_link_list_meter(l, i));
        if (rc != BILL_OK)
            break;
        int st = bill_meter_status(m);
        n = st != BILL_METER_IN_STOCK && bill_meter_installed(m).day <= d.day &&
            (st != BILL_METER_REMOVED || bill_meter_removed(m).day > d.day);
        bill_meter_free(m);
    }
    bill_link_list_free(l);
    return rc == BILL_OK ? n : rc;
}

static int cmp_pair(const void *a, const void *b)
{
    const struct refrow *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* The first pair whose account is not below key->ref. */
static size_t lower_pair(const bill_verify *v, const struct refrow *key)
{
    size_t lo = 0, hi = v->npairs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->pairs[mid].ref, key->ref) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The audited serials, sorted, and the rows of each account (registered or found there). */
static int build_indexes(bill_verify *v)
{
    size_t np = 0;
    for (size_t i = 0; i < v->nrows; i++)
        if (v->rows[i].valid)
            np += (size_t)v->rows[i].nregs + 1;
    if (!np)
        return BILL_OK;
    v->audited = malloc(v->nrows * sizeof *v->audited);
    v->pairs = malloc(np * sizeof *v->pairs);
    if (!v->audited || !v->pairs)
        return billi_error(BILL_ENOMEM, "verify: out of memory");
    for (size_t i = 0; i < v->nrows; i++) {
        const vrow *r = &v->rows[i];
        if (!r->valid)
            continue;
        v->audited[v->naudited++] = r->serial;
        for (int k = 0; k < r->nregs; k++)
            v->pairs[v->npairs++] = (struct refrow){ r->regs[k], i };
        if (*r->account && !has_reg(r, r->account))
            v->pairs[v->npairs++] = (struct refrow){ r->account, i };
    }
    qsort(v->audited, v->naudited, sizeof *v->audited, cmp_str);
    qsort(v->pairs, v->npairs, sizeof *v->pairs, cmp_pair);
    return BILL_OK;
}

static int classify_accounts(bill_verify *v)
{
    refset set = { 0 };
    int rc = build_indexes(v);
    int have_date = v->opt.audit_date;
    bill_date d = v->opt.date;
    for (size_t i = 0; rc == BILL_OK && i < v->nrows; i++) {
        vrow *r = &v->rows[i];
        if (!r->valid)
            continue;
        if (!v->opt.audit_date && (!have_date || r->on.day > d.day)) {
            d = r->on;
            have_date = 1;
        }
        for (int k = 0; rc == BILL_OK && k < r->nregs; k++)
            rc = refset_add(&set, r->regs[k]);
        if (rc == BILL_OK && *r->account) {
            int ex = account_exists(v->store, r->account);
            rc = ex < 0 ? ex : ex ? refset_add(&set, r->account) : BILL_OK;
        }
    }
    if (rc == BILL_OK && v->opt.scope == BILL_VERIFY_SCOPE_ALL && have_date) {
        char *refs = bill_registry_account_refs(v->store);
        if (!refs)
            rc = bill_errcode() < 0 ? bill_errcode() : BILL_ENOMEM;
        for (char *p = refs; rc == BILL_OK && p && *p;) {
            char *nl = strchr(p, '\n');
            if (nl)
                *nl = '\0';
            int has = has_installed_meter(v, p, d);
            rc = has < 0 ? has : has ? refset_add(&set, p) : BILL_OK;
            p = nl ? nl + 1 : p + strlen(p);
        }
        bill_free(refs);
    }
    if (rc == BILL_OK && set.n)
        qsort(set.v, set.n, sizeof *set.v, cmp_str);
    size_t uniq = 0;
    for (size_t i = 0; i < set.n; i++) {
        if (uniq && strcmp(set.v[uniq - 1], set.v[i]) == 0) {
            free(set.v[i]);
            continue;
        }
        set.v[uniq++] = set.v[i];
    }
    set.n = uniq;
    if (rc == BILL_OK && set.n) {
        v->accs = calloc(set.n, sizeof *v->accs);
        if (!v->accs)
            rc = billi_error(BILL_ENOMEM, "verify: out of memory");
    }
    for (size_t i = 0; rc == BILL_OK && i < set.n; i++) {
        const char *ref = set.v[i];
        vacc *a = &v->accs[v->naccs++];
        a->ref = set.v[i];
        set.v[i] = NULL;
        billi_sb mism = { 0 }, readp = { 0 }, unch = { 0 }, conf = { 0 }, nf = { 0 };
        struct refrow key = { ref, 0 };
        size_t k = lower_pair(v, &key);
        for (; k < v->npairs && strcmp(v->pairs[k].ref, ref) == 0; k++) {
            vrow *r = &v->rows[v->pairs[k].row];
            billi_sb *b = NULL;
            switch (r->cls) {
            case BILL_VERIFY_OTHER_ACCOUNT:
            case BILL_VERIFY_LIKELY_SWAP:
            case BILL_VERIFY_UNKNOWN_METER:
            case BILL_VERIFY_UNLINKED_METER:
                b = &mism;
                break;
            case BILL_VERIFY_READING_BELOW_HISTORY:
            case BILL_VERIFY_IMPLAUSIBLE_JUMP:
                b = &readp;
                break;
            case BILL_VERIFY_LOCATION_UNCHECKED:
                b = &unch;
                break;
            default:
                b = &conf;
                break;
            }
            if (b->n)
                billi_sb_str(b, "; ");
            billi_sb_fmt(b, "line %lld: %s %s", (long long)r->line,
                         bill_verify_class_name(r->cls), r->serial);
        }
        int nmissing = 0;
        if (have_date)
            rc = meters_not_found(v, ref, d, &nf, &nmissing);
        billi_sb ev = { 0 };
        billi_sb *parts[5] = { &mism, &nf, &readp, &unch, &conf };
        const int classes[5] = { BILL_VERIFY_ACCOUNT_MISMATCH, BILL_VERIFY_ACCOUNT_METER_NOT_FOUND,
                                 BILL_VERIFY_ACCOUNT_READING_PROBLEM, BILL_VERIFY_ACCOUNT_UNCHECKED,
                                 BILL_VERIFY_ACCOUNT_CONFIRMED };
        a->cls = BILL_VERIFY_ACCOUNT_CONFIRMED;
        int chosen = 0;
        for (int p = 0; p < 5; p++) {
            if (!parts[p]->n)
                continue;
            if (!chosen) {
                a->cls = classes[p];
                chosen = 1;
            }
            if (ev.n)
                billi_sb_str(&ev, "; ");
            billi_sb_put(&ev, parts[p]->p, parts[p]->n);
        }
        if (!chosen)
            billi_sb_str(&ev, "no audit row names this account");
        for (int p = 0; p < 5; p++)
            free(parts[p]->p);
        int trc = billi_sb_take(&a->evidence, &ev);
        if (rc == BILL_OK)
            rc = trc;
    }
    refset_free(&set);
    free(v->audited);
    free(v->pairs);
    v->audited = NULL;
    v->pairs = NULL;
    v->naudited = v->npairs = 0;
    return rc;
}

int bill_verify_run(bill_verify *v)
{
    BILLI_CHECK_ARG(v, "v");
    if (v->ran)
        return fail(v, billi_error(BILL_ESTATE, "verify: run twice"));
    int rc = BILL_OK;
    if (v->csv && !v->finished) {
        v->finished = 1;
        rc = billi_rcsv_finish(v->csv);
        if (rc != BILL_OK)
            return fail(v, rc);
    }
    v->ran = 1;
    for (size_t i = 0; rc == BILL_OK && i < v->nrows; i++) {
        vrow *r = &v->rows[i];
        if (!r->valid)
            continue;
        if (v->opt.audit_date) {
            r->on = v->opt.date;
            billi_date_text(r->date_txt, r->on);
        }
        rc = locate(v, r);
        if (rc == BILL_OK && r->nregs > 0)
            rc = check_reading(v, r);
        if (rc != BILL_OK)
            break;
        if (r->loc == BILL_VERIFY_OTHER_ACCOUNT || r->loc == BILL_VERIFY_UNKNOWN_METER ||
            r->loc == BILL_VERIFY_UNLINKED_METER)
            r->cls = r->loc;
        else if (r->rcls)
            r->cls = r->rcls;
        else
            r->cls = r->loc;
        rc = row_evidence(r);
    }
    if (rc == BILL_OK)
        rc = swaps_by_location(v);
    if (rc == BILL_OK)
        rc = swaps_by_readings(v);
    if (rc == BILL_OK)
        rc = classify_accounts(v);
    if (rc != BILL_OK) {
        for (size_t i = 0; i < v->nrows; i++)
            row_clear(&v->rows[i]);
        v->nrows = 0;
        for (size_t i = 0; i < v->naccs; i++) {
            free(v->accs[i].ref);
            free(v->accs[i].evidence);
        }
        v->naccs = 0;
        return fail(v, rc);
    }
    return BILL_OK;
}

/* ---- results ------------------------------------------------------------------------- */

size_t bill_verify_row_count(const bill_verify *v)
{
    return v && v->ran ? v->nrows : 0;
}

static const vrow *get_row(const bill_verify *v, size_t i)
{
    return v && v->ran && i < v->nrows ? &v->rows[i] : NULL;
}

int bill_verify_row_class(const bill_verify *v, size_t i)
{
    const vrow *r = get_row(v, i);
    return r ? r->cls : billi_error(BILL_EINVAL, "verify: no row %zu", i);
}

int64_t bill_verify_row_line(const bill_verify *v, size_t i)
{
    const vrow *r = get_row(v, i);
    return r ? r->line : 0;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

const char *bill_verify_row_text(const bill_verify *v, size_t i, const char *name)
{
    const vrow *r = get_row(v, i);
    if (!r || !name)
        return "";
    if (strcmp(name, "evidence") == 0)
        return nz(r->evidence);
    if (!r->valid)
        return "";
    if (strcmp(name, "meter_serial") == 0)
        return nz(r->serial);
    if (strcmp(name, "found_account") == 0)
        return nz(r->account);
    if (strcmp(name, "found_address") == 0)
        return nz(r->address);
    if (strcmp(name, "reading") == 0)
        return r->reading_txt;
    if (strcmp(name, "read_on") == 0)
        return r->date_txt;
    if (strcmp(name, "registered_account") == 0)
        return nz(r->registered);
    if (strcmp(name, "partner") == 0)
        return nz(r->partner);
    return "";
}

const char *bill_verify_row_evidence(const bill_verify *v, size_t i)
{
    return bill_verify_row_text(v, i, "evidence");
}

size_t bill_verify_account_count(const bill_verify *v)
{
    return v && v->ran ? v->naccs : 0;
}

const char *bill_verify_account_reference(const bill_verify *v, size_t i)
{
    return v && v->ran && i < v->naccs ? v->accs[i].ref : "";
}

int bill_verify_account_class(const bill_verify *v, size_t i)
{
    return v && v->ran && i < v->naccs ? v->accs[i].cls
                                       : billi_error(BILL_EINVAL, "verify: no account %zu", i);
}

const char *bill_verify_account_evidence(const bill_verify *v, size_t i)
{
    return v && v->ran && i < v->naccs ? nz(v->accs[i].evidence) : "";
}

const char *bill_verify_errmsg(const bill_verify *v)
{
    return v ? v->errmsg : "";
}

static const char *const row_fields[] = {
    "meter_serial", "found_account", "found_address", "reading", "read_on"
};

int bill_verify_to_csv(char **out, const bill_verify *v)
{
    BILLI_CHECK_ARG(out, "out");
    *out = NULL;
    BILLI_CHECK_ARG(v, "v");
    if (!v->ran)
        return billi_error(BILL_ESTATE, "verify: to_csv before run");
    billi_sb b = { 0 };
    billi_sb_str(&b, "line_no,meter_serial,found_account,found_address,reading,read_on,class,"
                     "registered_account,partner,evidence\n");
    for (size_t i = 0; i < v->nrows; i++) {
        const vrow *r = &v->rows[i];
        billi_sb_fmt(&b, "%lld", (long long)r->line);
        for (int k = 0; k < 5; k++) {
            billi_sb_put(&b, ",", 1);
            billi_sb_csv(&b, bill_verify_row_text(v, i, row_fields[k]));
        }
        billi_sb_fmt(&b, ",%s,", bill_verify_class_name(r->cls));
        billi_sb_csv(&b, nz(r->registered));
        billi_sb_put(&b, ",", 1);
        billi_sb_csv(&b, nz(r->partner));
        billi_sb_put(&b, ",", 1);
        billi_sb_csv(&b, nz(r->evidence));
        billi_sb_put(&b, "\n", 1);
    }
    billi_sb_str(&b, "\naccount,class,evidence\n");
    for (size_t i = 0; i < v->naccs; i++) {
        billi_sb_csv(&b, v->accs[i].ref);
        billi_sb_fmt(&b, ",%s,", bill_verify_class_name(v->accs[i].cls));
        billi_sb_csv(&b, nz(v->accs[i].evidence));
        billi_sb_put(&b, "\n", 1);
    }
    return billi_sb_take(out, &b);
}

int bill_verify_to_json(char **out, const bill_verify *v)
{
    BILLI_CHECK_ARG(out, "out");
    *out = NULL;
    BILLI_CHECK_ARG(v, "v");
    if (!v->ran)
        return billi_error(BILL_ESTATE, "verify: to_json before run");
    billi_sb b = { 0 };
    billi_sb_str(&b, "{\"rows\":[");
    for (size_t i = 0; i < v->nrows; i++) {
        const vrow *r = &v->rows[i];
        billi_sb_fmt(&b, "%s\n{\"line\":%lld,\"class\":\"%s\"", i ? "," : "", (long long)r->line,
                     bill_verify_class_name(r->cls));
        if (r->valid) {
            for (int k = 0; k < 5; k++) {
                billi_sb_fmt(&b, ",\"%s\":", row_fields[k]);
                billi_sb_json(&b, bill_verify_row_text(v, i, row_fields[k]));
            }
            billi_sb_str(&b, ",\"registered_account\":");
            billi_sb_json(&b, nz(r->registered));
            billi_sb_str(&b, ",\"partner\":");
            billi_sb_json(&b, nz(r->partner));
        }
        billi_sb_str(&b, ",\"evidence\":");
        billi_sb_json(&b, nz(r->evidence));
        billi_sb_str(&b, "}");
    }
    billi_sb_str(&b, "],\n\"accounts\":[");
    for (size_t i = 0; i < v->naccs; i++) {
        billi_sb_str(&b, i ? ",\n{\"account\":" : "\n{\"account\":");
        billi_sb_json(&b, v->accs[i].ref);
        billi_sb_fmt(&b, ",\"class\":\"%s\",\"evidence\":", bill_verify_class_name(v->accs[i].cls));
        billi_sb_json(&b, nz(v->accs[i].evidence));
        billi_sb_str(&b, "}");
    }
    billi_sb_str(&b, "]}\n");
    return billi_sb_take(out, &b);
}
