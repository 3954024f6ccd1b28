/*
 * The registry: account and meter records, their storage, effective-dated
 * meter → account links (exclusive or shared by ratios), sub-meters, and the
 * queries the billing determinants need.
 */
#include "store_internal.h"
#include <stdlib.h>
#include <string.h>

#define NAME_CAP 32 /* class, register code: 1..31 bytes */

struct bill_account {
    char reference[BILL_KEY_MAX];
    char uuid[BILL_UUID_LEN + 1];
    char cls[NAME_CAP];
    int household;
    bill_dec capacity;
    bill_dec declared;
    char pf[8];
    unsigned protection;
    char tariff[BILL_KEY_MAX];
};

typedef struct billi_register {
    char code[NAME_CAP];
    int kind;
    int digits; /* 0: the meter's */
} billi_register;

struct bill_meter {
    char serial[BILL_KEY_MAX];
    char uuid[BILL_UUID_LEN + 1];
    int digits;
    bill_dec multiplier;
    int has_installed, has_removed;
    bill_date installed, removed;
    int nreg;
    billi_register reg[BILL_METER_MAX_REGISTERS];
};

typedef struct billi_link_entry {
    char meter[BILL_KEY_MAX];
    char account[BILL_KEY_MAX];
    char master[BILL_KEY_MAX];
    char uuid[BILL_UUID_LEN + 1];
    bill_date from, to;
    bill_dec ratio;
} billi_link_entry;

struct bill_link_list {
    int n, cap;
    billi_link_entry *e;
};

static const char *const kind_names[] = { "energy", "reactive", "demand" };

bill_date bill_registry_open_end(void)
{
    bill_date d = { BILL_DATE_OPEN_END };
    return d;
}

/* ---- validation ------------------------------------------------------------------ */

/* A user key: 1..BILL_KEY_MAX-1 bytes of printable ASCII without blanks. */
static int check_key(const char *key, const char *what, const char *field)
{
    if (!key)
        return billi_error(BILL_EINVAL, "%s: %s is NULL", what, field);
    size_t n = strlen(key);
    char q[80];
    billi_quote(q, sizeof q, key, n);
    if (n == 0 || n >= BILL_KEY_MAX)
        return billi_error(BILL_ERANGE, "%s: %s %s must have 1 to %d bytes", what, field, q,
                           BILL_KEY_MAX - 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c <= 0x20 || c >= 0x7f)
            return billi_error(BILL_ESYNTAX,
                               "%s: %s %s: byte %zu is not printable ASCII (no blanks allowed)",
                               what, field, q, i);
    }
    return BILL_OK;
}

/* A name (class, register code): 1..31 letters, digits, '_' or '-'. */
static int check_name(const char *name, const char *what, const char *field)
{
    if (!name)
        return billi_error(BILL_EINVAL, "%s: %s is NULL", what, field);
    size_t n = strlen(name);
    char q[80];
    billi_quote(q, sizeof q, name, n);
    if (n == 0 || n >= NAME_CAP)
        return billi_error(BILL_ERANGE, "%s: %s %s must have 1 to %d characters", what, field, q,
                           NAME_CAP - 1);
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return billi_error(BILL_ESYNTAX, "%s: %s %s: only letters, digits, '_' and '-' are "
                               "allowed", what, field, q);
    }
    return BILL_OK;
}

static int check_date(bill_date d, const char *what, const char *field)
{
    if (!bill_date_is_valid(d))
        return billi_error(BILL_EDATE, "%s: %s (day %ld) is outside 0001-01-01..9999-12-31", what,
                           field, (long)d.day);
    return BILL_OK;
}

static void fmt_date(char *buf, bill_date d)
{
    if (d.day == BILL_DATE_OPEN_END)
        strcpy(buf, "open");
    else
        bill_date_format(d, buf, 16);
}

/* ---- accounts ---------------------------------------------------------------------- */

int bill_account_create(bill_account **out, const char *reference)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_TRY(check_key(reference, "account", "reference"));
    bill_account *a = calloc(1, sizeof *a);
    if (!a)
        return billi_error(BILL_ENOMEM, "account: out of memory");
    strcpy(a->reference, reference);
    strcpy(a->cls, "residential");
    a->household = 1;
    bill_dec_init(&a->capacity);
    bill_dec_init(&a->declared);
    *out = a;
    return BILL_OK;
}

void bill_account_free(bill_account *a)
{
    if (!a)
        return;
    bill_dec_clear(&a->capacity);
    bill_dec_clear(&a->declared);
    free(a);
}

int bill_account_set_class(bill_account *a, const char *cls)
{
    BILLI_CHECK_ARG(a, "a");
    char what[BILL_KEY_MAX + 16];
    snprintf(what, sizeof what, "account '%s'", a->reference);
    BILLI_TRY(check_name(cls, what, "customer class"));
    strcpy(a->cls, cls);
    return BILL_OK;
}

int bill_account_set_household_size(bill_account *a, int persons)
{
    BILLI_CHECK_ARG(a, "a");
    if (persons < 1 || persons > 1000)
        return billi_error(BILL_ERANGE, "account '%s': household size %d is outside 1..1000",
                           a->reference, persons);
    a->household = persons;
    return BILL_OK;
}

static int set_nonneg(bill_dec *dst, const bill_dec *v, const bill_account *a, const char *field)
{
    if (!v)
        return billi_error(BILL_EINVAL, "account '%s': %s is NULL", a->reference, field);
    if (bill_dec_sign(v) < 0) {
        char *t = bill_dec_to_str(v);
        int rc = billi_error(BILL_ERANGE, "account '%s': %s %s is negative", a->reference, field,
                             t ? t : "");
        bill_free(t);
        return rc;
    }
    return bill_dec_copy(dst, v);
}

int bill_account_set_capacity_kva(bill_account *a, const bill_dec *kva)
{
    BILLI_CHECK_ARG(a, "a");
    return set_nonneg(&a->capacity, kva, a, "capacity_kva");
}

int bill_account_set_declared_kw(bill_account *a, const bill_dec *kw)
{
    BILLI_CHECK_ARG(a, "a");
    return set_nonneg(&a->declared, kw, a, "declared_kw");
}

int bill_account_set_pf_standard(bill_account *a, const char *standard)
{
    BILLI_CHECK_ARG(a, "a");
    BILLI_CHECK_ARG(standard, "standard");
    if (strcmp(standard, "") != 0 && strcmp(standard, "0.90") != 0 &&
        strcmp(standard, "0.85") != 0 && strcmp(standard, "0.80") != 0) {
        char q[40];
        billi_quote(q, sizeof q, standard, strlen(standard));
        return billi_error(BILL_ERANGE, "account '%s': pf_standard %s is not \"0.90\", \"0.85\", "
                           "\"0.80\" or \"\"", a->reference, q);
    }
    strcpy(a->pf, standard);
    return BILL_OK;
}

int bill_account_set_protection(bill_account *a, unsigned flags)
{
    BILLI_CHECK_ARG(a, "a");
    if (flags & ~(unsigned)BILL_PROTECT_ALL)
        return billi_error(BILL_EINVAL, "account '%s': protection flags 0x%X have unknown bits",
                           a->reference, flags);
    a->protection = flags;
    return BILL_OK;
}

int bill_account_set_tariff(bill_account *a, const char *tariff)
{
    BILLI_CHECK_ARG(a, "a");
    BILLI_CHECK_ARG(tariff, "tariff");
    if (*tariff) {
        char what[BILL_KEY_MAX + 16];
        snprintf(what, sizeof what, "account '%s'", a->reference);
        BILLI_TRY(check_key(tariff, what, "tariff"));
    }
    strcpy(a->tariff, tariff);
    return BILL_OK;
}

const char *bill_account_reference(const bill_account *a) { return a ? a->reference : ""; }
const char *bill_account_uuid(const bill_account *a) { return a ? a->uuid : ""; }
const char *bill_account_class(const bill_account *a) { return a ? a->cls : ""; }
int bill_account_household_size(const bill_account *a) { return a ? a->household : 0; }
const char *bill_account_pf_standard(const bill_account *a) { return a ? a->pf : ""; }
unsigned bill_account_protection(const bill_account *a) { return a ? a->protection : 0; }
const char *bill_account_tariff(const bill_account *a) { return a ? a->tariff : ""; }

int bill_account_capacity_kva(bill_dec *out, const bill_account *a)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(a, "a");
    return bill_dec_copy(out, &a->capacity);
}

int bill_account_declared_kw(bill_dec *out, const bill_account *a)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(a, "a");
    return bill_dec_copy(out, &a->declared);
}

/* ---- rows ------------------------------------------------------------------------ */

/* A text column, "" for NULL (a damaged file or an out-of-memory SQLite). */
static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

/* Run a statement that returns no row (INSERT/UPDATE). */
static int step_done(bill_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_DONE ? BILL_OK : billi_store_err(s, rc, what);
}

/* One id by key: BILL_ENOTFOUND naming the record when there is none. */
static int find_id(bill_store *s, const char *sql, const char *key, const char *what,
                   sqlite3_int64 *id)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, sql, what));
    int rc = billi_bind_text(s, st, 1, key);
    if (rc == BILL_OK) {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW)
            *id = sqlite3_column_int64(st, 0);
        else if (r == SQLITE_DONE)
            rc = billi_error(BILL_ENOTFOUND, "registry: %s '%s' not found", what, key);
        else
            rc = billi_store_err(s, r, what);
    }
    billi_store_done(s, st);
    return rc;
}

static int account_id(bill_store *s, const char *ref, sqlite3_int64 *id)
{
    BILLI_TRY(check_key(ref, "registry", "account reference"));
    return find_id(s, "SELECT id FROM accounts WHERE reference = ?", ref, "account", id);
}

/* A meter's id and installation range. */
typedef struct meter_row {
    sqlite3_int64 id;
    int has_installed, has_removed;
    bill_date installed, removed;
} meter_row;

static int meter_find(bill_store *s, const char *serial, meter_row *m)
{
    BILLI_TRY(check_key(serial, "registry", "meter serial"));
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
                                  "SELECT id, installed_on, removed_on FROM meters WHERE serial = ?",
                                  "meter"));
    int rc = billi_bind_text(s, st, 1, serial);
    if (rc == BILL_OK) {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            m->id = sqlite3_column_int64(st, 0);
            m->has_installed = sqlite3_column_type(st, 1) != SQLITE_NULL;
            m->has_removed = sqlite3_column_type(st, 2) != SQLITE_NULL;
            rc = billi_column_date(&m->installed, st, 1);
            if (rc == BILL_OK)
                rc = billi_column_date(&m->removed, st, 2);
        } else if (r == SQLITE_DONE) {
            rc = billi_error(BILL_ENOTFOUND, "registry: meter '%s' not found", serial);
        } else {
            rc = billi_store_err(s, r, "meter");
        }
    }
    billi_store_done(s, st);
    return rc;
}

/* [from, to) must lie within the meter's installation. */
static int check_installed(const meter_row *m, const char *serial, bill_date from, bill_date to,
                           const char *what)
{
    char a[16], b[16];
    if (!m->has_installed)
        return billi_error(BILL_ERULE, "registry: meter '%s' is in stock (not installed): cannot %s",
                           serial, what);
    if (bill_date_cmp(from, m->installed) < 0) {
        fmt_date(a, from);
        fmt_date(b, m->installed);
        return billi_error(BILL_ERULE, "registry: meter '%s': %s from %s starts before the "
                           "meter's installation on %s", serial, what, a, b);
    }
    if (m->has_removed && bill_date_cmp(to, m->removed) > 0) {
        fmt_date(b, m->removed);
        if (to.day == BILL_DATE_OPEN_END)
            return billi_error(BILL_ERULE, "registry: meter '%s': an open-ended %s runs past the "
                               "meter's removal on %s", serial, what, b);
        fmt_date(a, to);
        return billi_error(BILL_ERULE, "registry: meter '%s': %s to %s runs past the meter's "
                           "removal on %s", serial, what, a, b);
    }
    return BILL_OK;
}

static int check_range(bill_date from, bill_date to, const char *what)
{
    BILLI_TRY(check_date(from, what, "from"));
    BILLI_TRY(check_date(to, what, "to"));
    if (bill_date_cmp(to, from) <= 0) {
        char a[16], b[16];
        fmt_date(a, from);
        fmt_date(b, to);
        return billi_error(BILL_EDATE, "%s: to %s is not after from %s", what, b, a);
    }
    return BILL_OK;
}

/* ---- storing accounts ---------------------------------------------------------------- */

static int bind_account(bill_store *s, sqlite3_stmt *st, const bill_account *a)
{
    BILLI_TRY(billi_bind_text(s, st, 1, a->reference));
    BILLI_TRY(billi_bind_text(s, st, 2, a->cls));
    sqlite3_bind_int(st, 3, a->household);
    BILLI_TRY(billi_bind_dec(s, st, 4, &a->capacity));
    BILLI_TRY(billi_bind_dec(s, st, 5, &a->declared));
    BILLI_TRY(billi_bind_text(s, st, 6, a->pf));
    sqlite3_bind_int64(st, 7, (sqlite3_int64)a->protection);
    return billi_bind_text(s, st, 8, a->tariff);
}

static int add_account(bill_store *s, bill_account *a, char *uuid)
{
    sqlite3_int64 id;
    int rc = find_id(s, "SELECT id FROM accounts WHERE reference = ?", a->reference, "account", &id);
    if (rc == BILL_OK)
        return billi_error(BILL_EEXISTS, "registry: account '%s': reference already exists",
                           a->reference);
    if (rc != BILL_ENOTFOUND)
        return rc;
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "INSERT INTO accounts (reference, customer_class, household_size, capacity_kva, "
        "declared_kw, pf_standard, protection, tariff, uuid) VALUES (?,?,?,?,?,?,?,?,?)",
        "account"));
    rc = bind_account(s, st, a);
    if (rc == BILL_OK)
        rc = billi_bind_text(s, st, 9, uuid);
    if (rc == BILL_OK)
        rc = step_done(s, st, "registry: inserting account");
    billi_store_done(s, st);
    return rc;
}

int bill_registry_add_account(bill_store *s, bill_account *a)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(a, "a");
    char uuid[BILL_UUID_LEN + 1];
    billi_uuid(uuid);
    BILLI_TRY(billi_store_tx_begin(s));
    int rc = billi_store_tx_end(s, add_account(s, a, uuid));
    if (rc == BILL_OK)
        strcpy(a->uuid, uuid);
    return rc;
}

int bill_registry_update_account(bill_store *s, const bill_account *a)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(a, "a");
    BILLI_TRY(billi_store_tx_begin(s));
    sqlite3_stmt *st;
    int rc = billi_store_prepare(s, &st,
        "UPDATE accounts SET customer_class = ?2, household_size = ?3, capacity_kva = ?4, "
        "declared_kw = ?5, pf_standard = ?6, protection = ?7, tariff = ?8, "
        "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE reference = ?1", "account");
    if (rc == BILL_OK) {
        rc = bind_account(s, st, a);
        if (rc == BILL_OK)
            rc = step_done(s, st, "registry: updating account");
        if (rc == BILL_OK && sqlite3_changes(s->db) == 0)
            rc = billi_error(BILL_ENOTFOUND, "registry: account '%s' not found", a->reference);
        billi_store_done(s, st);
    }
    return billi_store_tx_end(s, rc);
}

int bill_registry_get_account(bill_account **out, bill_store *s, const char *reference)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_key(reference, "registry", "account reference"));
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "SELECT uuid, customer_class, household_size, capacity_kva, declared_kw, pf_standard, "
        "protection, tariff FROM accounts WHERE reference = ?", "account"));
    bill_account *a = NULL;
    int rc = billi_bind_text(s, st, 1, reference);
    if (rc == BILL_OK) {
        int r = sqlite3_step(st);
        if (r == SQLITE_DONE)
            rc = billi_error(BILL_ENOTFOUND, "registry: account '%s' not found", reference);
        else if (r != SQLITE_ROW)
            rc = billi_store_err(s, r, "account");
    }
    if (rc == BILL_OK)
        rc = bill_account_create(&a, reference);
    if (rc == BILL_OK) {
        const char *t;
        snprintf(a->uuid, sizeof a->uuid, "%s", col_text(st, 0));
        t = col_text(st, 1);
        snprintf(a->cls, sizeof a->cls, "%s", t ? t : "");
        a->household = sqlite3_column_int(st, 2);
        rc = billi_column_dec(&a->capacity, st, 3);
        if (rc == BILL_OK)
            rc = billi_column_dec(&a->declared, st, 4);
        t = col_text(st, 5);
        snprintf(a->pf, sizeof a->pf, "%s", t ? t : "");
        a->protection = (unsigned)sqlite3_column_int64(st, 6);
        t = col_text(st, 7);
        snprintf(a->tariff, sizeof a->tariff, "%s", t ? t : "");
    }
    billi_store_done(s, st);
    if (rc != BILL_OK) {
        bill_account_free(a);
        return rc;
    }
    *out = a;
    return BILL_OK;
}

/* All values of one text column, each followed by "\n". */
static char *key_list(bill_store *s, const char *sql, const char *what)
{
    if (!s) {
        billi_error(BILL_EINVAL, "%s: argument 's' is invalid", what);
        return NULL;
    }
    sqlite3_stmt *st;
    if (billi_store_prepare(s, &st, sql, what) != BILL_OK)
        return NULL;
    size_t len = 0, cap = 64;
    char *buf = malloc(cap);
    int r;
    while (buf && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        if (!k) {
            r = SQLITE_CORRUPT;
            break;
        }
        size_t n = strlen(k);
        if (len + n + 2 > cap) {
            while (len + n + 2 > cap)
                cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        memcpy(buf + len, k, n);
        len += n;
        buf[len++] = '\n';
    }
    if (!buf) {
        billi_error(BILL_ENOMEM, "%s: out of memory", what);
    } else if (r != SQLITE_DONE) {
        billi_store_err(s, r, what);
        free(buf);
        buf = NULL;
    } else {
        buf[len] = '\0';
    }
    billi_store_done(s, st);
    return buf;
}

char *bill_registry_account_refs(bill_store *s)
{
    return key_list(s, "SELECT reference FROM accounts ORDER BY reference", "registry: accounts");
}

char *bill_registry_meter_serials(bill_store *s)
{
    return key_list(s, "SELECT serial FROM meters ORDER BY serial", "registry: meters");
}

/* ---- meters ------------------------------------------------------------------------- */

int bill_meter_create(bill_meter **out, const char *serial)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_TRY(check_key(serial, "meter", "serial"));
    bill_meter *m = calloc(1, sizeof *m);
    if (!m)
        return billi_error(BILL_ENOMEM, "meter: out of memory");
    strcpy(m->serial, serial);
    m->digits = 6;
    bill_dec_init(&m->multiplier);
    bill_dec_set_i64(&m->multiplier, 1, 0);
    *out = m;
    return BILL_OK;
}

void bill_meter_free(bill_meter *m)
{
    if (!m)
        return;
    bill_dec_clear(&m->multiplier);
    free(m);
}

int bill_meter_set_digits(bill_meter *m, int digits)
{
    BILLI_CHECK_ARG(m, "m");
    if (digits < 1 || digits > 12)
        return billi_error(BILL_ERANGE, "meter '%s': digits %d is outside 1..12", m->serial, digits);
    m->digits = digits;
    return BILL_OK;
}

static int check_multiplier(const bill_dec *v, const char *serial)
{
    if (!v)
        return billi_error(BILL_EINVAL, "meter '%s': multiplier is NULL", serial);
    if (bill_dec_sign(v) <= 0) {
        char *t = bill_dec_to_str(v);
        int rc = billi_error(BILL_ERANGE, "meter '%s': multiplier %s is not positive", serial,
                             t ? t : "");
        bill_free(t);
        return rc;
    }
    return BILL_OK;
}

int bill_meter_set_multiplier(bill_meter *m, const bill_dec *multiplier)
{
    BILLI_CHECK_ARG(m, "m");
    BILLI_TRY(check_multiplier(multiplier, m->serial));
    return bill_dec_copy(&m->multiplier, multiplier);
}

int bill_meter_set_installed(bill_meter *m, bill_date d)
{
    BILLI_CHECK_ARG(m, "m");
    char what[BILL_KEY_MAX + 16];
    snprintf(what, sizeof what, "meter '%s'", m->serial);
    BILLI_TRY(check_date(d, what, "installed"));
    if (m->has_removed && bill_date_cmp(m->removed, d) < 0)
        return billi_error(BILL_ERULE, "meter '%s': installation date after the removal date",
                           m->serial);
    m->installed = d;
    m->has_installed = 1;
    return BILL_OK;
}

int bill_meter_set_removed(bill_meter *m, bill_date d)
{
    BILLI_CHECK_ARG(m, "m");
    char what[BILL_KEY_MAX + 16];
    snprintf(what, sizeof what, "meter '%s'", m->serial);
    BILLI_TRY(check_date(d, what, "removed"));
    if (!m->has_installed)
        return billi_error(BILL_ERULE, "meter '%s': removal date without an installation date",
                           m->serial);
    if (bill_date_cmp(d, m->installed) < 0) {
        char a[16], b[16];
        fmt_date(a, d);
        fmt_date(b, m->installed);
        return billi_error(BILL_ERULE, "meter '%s': removal date %s is before the installation "
                           "date %s", m->serial, a, b);
    }
    m->removed = d;
    m->has_removed = 1;
    return BILL_OK;
}

int bill_meter_add_register(bill_meter *m, const char *code, int kind, int digits)
{
    BILLI_CHECK_ARG(m, "m");
    char what[BILL_KEY_MAX + 16];
    snprintf(what, sizeof what, "meter '%s'", m->serial);
    BILLI_TRY(check_name(code, what, "register code"));
    if (kind < BILL_REGISTER_ENERGY || kind > BILL_REGISTER_DEMAND)
        return billi_error(BILL_EINVAL, "meter '%s': register '%s': unknown kind %d", m->serial,
                           code, kind);
    if (digits < 0 || digits > 12)
        return billi_error(BILL_ERANGE, "meter '%s': register '%s': digits %d is outside 0..12",
                           m->serial, code, digits);
    for (int i = 0; i < m->nreg; i++)
        if (strcmp(m->reg[i].code, code) == 0)
            return billi_error(BILL_EEXISTS, "meter '%s': register '%s' already exists", m->serial,
                               code);
    if (m->nreg >= BILL_METER_MAX_REGISTERS)
        return billi_error(BILL_ERANGE, "meter '%s': more than %d registers", m->serial,
                           BILL_METER_MAX_REGISTERS);
    billi_register *r = &m->reg[m->nreg++];
    strcpy(r->code, code);
    r->kind = kind;
    r->digits = digits;
    return BILL_OK;
}

const char *bill_meter_serial(const bill_meter *m) { return m ? m->serial : ""; }
const char *bill_meter_uuid(const bill_meter *m) { return m ? m->uuid : ""; }
int bill_meter_digits(const bill_meter *m) { return m ? m->digits : 0; }
int bill_meter_register_count(const bill_meter *m) { return m ? m->nreg : 0; }

int bill_meter_multiplier(bill_dec *out, const bill_meter *m)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(m, "m");
    return bill_dec_copy(out, &m->multiplier);
}

int bill_meter_status(const bill_meter *m)
{
    if (!m || !m->has_installed)
        return BILL_METER_IN_STOCK;
    return m->has_removed ? BILL_METER_REMOVED : BILL_METER_INSTALLED;
}

bill_date bill_meter_installed(const bill_meter *m)
{
    bill_date z = { 0 };
    return m && m->has_installed ? m->installed : z;
}

bill_date bill_meter_removed(const bill_meter *m)
{
    bill_date z = { 0 };
    return m && m->has_removed ? m->removed : z;
}

const char *bill_meter_register_code(const bill_meter *m, int i)
{
    return m && i >= 0 && i < m->nreg ? m->reg[i].code : NULL;
}

int bill_meter_register_kind(const bill_meter *m, int i)
{
    return m && i >= 0 && i < m->nreg ? m->reg[i].kind : -1;
}

int bill_meter_register_digits(const bill_meter *m, int i)
{
    if (!m || i < 0 || i >= m->nreg)
        return -1;
    return m->reg[i].digits ? m->reg[i].digits : m->digits;
}

/* ---- storing meters --------------------------------------------------------------- */

static int insert_register(bill_store *s, sqlite3_int64 meter_id, const bill_meter *m,
                           const billi_register *r)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "INSERT INTO registers (meter_id, code, kind, digits) VALUES (?,?,?,?)", "register"));
    sqlite3_bind_int64(st, 1, meter_id);
    int rc = billi_bind_text(s, st, 2, r->code);
    if (rc == BILL_OK)
        rc = billi_bind_text(s, st, 3, kind_names[r->kind]);
    sqlite3_bind_int(st, 4, r->digits ? r->digits : m->digits);
    if (rc == BILL_OK)
        rc = step_done(s, st, "registry: inserting register");
    billi_store_done(s, st);
    return rc;
}

static int insert_multiplier(bill_store *s, sqlite3_int64 meter_id, const char *from,
                             const bill_dec *mult)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "INSERT INTO multipliers (meter_id, effective_from, multiplier) VALUES (?,?,?) "
        "ON CONFLICT (meter_id, effective_from) DO UPDATE SET multiplier = excluded.multiplier",
        "multiplier"));
    sqlite3_bind_int64(st, 1, meter_id);
    int rc = billi_bind_text(s, st, 2, from);
    if (rc == BILL_OK)
        rc = billi_bind_dec(s, st, 3, mult);
    if (rc == BILL_OK)
        rc = step_done(s, st, "registry: inserting multiplier");
    billi_store_done(s, st);
    return rc;
}

static int bind_meter_dates(bill_store *s, sqlite3_stmt *st, int i, const bill_meter *m)
{
    int rc = m->has_installed ? billi_bind_date(s, st, i, m->installed) : BILL_OK;
    if (!m->has_installed)
        sqlite3_bind_null(st, i);
    if (rc == BILL_OK)
        rc = m->has_removed ? billi_bind_date(s, st, i + 1, m->removed) : BILL_OK;
    if (!m->has_removed)
        sqlite3_bind_null(st, i + 1);
    return rc;
}

static int add_meter(bill_store *s, const bill_meter *m, const char *uuid)
{
    meter_row row;
    int rc = meter_find(s, m->serial, &row);
    if (rc == BILL_OK)
        return billi_error(BILL_EEXISTS, "registry: meter '%s': serial already exists", m->serial);
    if (rc != BILL_ENOTFOUND)
        return rc;
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "INSERT INTO meters (uuid, serial, digits, installed_on, removed_on) VALUES (?,?,?,?,?)",
        "meter"));
    rc = billi_bind_text(s, st, 1, uuid);
    if (rc == BILL_OK)
        rc = billi_bind_text(s, st, 2, m->serial);
    sqlite3_bind_int(st, 3, m->digits);
    if (rc == BILL_OK)
        rc = bind_meter_dates(s, st, 4, m);
    if (rc == BILL_OK)
        rc = step_done(s, st, "registry: inserting meter");
    billi_store_done(s, st);
    if (rc != BILL_OK)
        return rc;
    sqlite3_int64 id = sqlite3_last_insert_rowid(s->db);
    if (m->nreg == 0) {
        billi_register total = { "total", BILL_REGISTER_ENERGY, 0 };
        BILLI_TRY(insert_register(s, id, m, &total));
    }
    for (int i = 0; i < m->nreg; i++)
        BILLI_TRY(insert_register(s, id, m, &m->reg[i]));
    /* The record's multiplier holds from the beginning; later changes are dated. */
    return insert_multiplier(s, id, "0001-01-01", &m->multiplier);
}

int bill_registry_add_meter(bill_store *s, bill_meter *m)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(m, "m");
    char uuid[BILL_UUID_LEN + 1];
    billi_uuid(uuid);
    BILLI_TRY(billi_store_tx_begin(s));
    int rc = billi_store_tx_end(s, add_meter(s, m, uuid));
    if (rc == BILL_OK)
        strcpy(m->uuid, uuid);
    return rc;
}

/*
 * The first link, share or sub-meter relation of meter `id` that falls
 * outside [installed, removed): BILL_ERULE naming it, or BILL_OK.
 */
static int check_relations_inside(bill_store *s, sqlite3_int64 id, const char *serial,
                                  const char *installed, const char *removed)
{
    static const char sql[] =
        "SELECT 'link', uuid, valid_from, valid_to FROM links WHERE meter_id = ?1 "
        "  AND (valid_from < ?2 OR (?3 IS NOT NULL AND COALESCE(valid_to, '9999-12-31') > ?3)) "
        "UNION ALL "
        "SELECT 'sub-meter relation', uuid, valid_from, valid_to FROM submeters "
        "  WHERE (master_id = ?1 OR sub_id = ?1) "
        "  AND (valid_from < ?2 OR (?3 IS NOT NULL AND COALESCE(valid_to, '9999-12-31') > ?3)) "
        "UNION ALL "
        "SELECT 'multiplier change', multiplier, effective_from, NULL FROM multipliers "
        "  WHERE meter_id = ?1 AND effective_from > '0001-01-01' "
        "  AND (effective_from < ?2 OR (?3 IS NOT NULL AND effective_from >= ?3)) "
        "LIMIT 1";
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, sql, "meter relations"));
    sqlite3_bind_int64(st, 1, id);
    int rc = installed ? billi_bind_text(s, st, 2, installed) : billi_bind_text(s, st, 2, "9999-12-31");
    if (rc == BILL_OK && removed)
        rc = billi_bind_text(s, st, 3, removed);
    if (rc == BILL_OK) {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            const char *to = (const char *)sqlite3_column_text(st, 3);
            rc = billi_error(BILL_ERULE, "registry: meter '%s': %s %s [%s, %s) would fall outside "
                             "the meter's installation [%s, %s)", serial,
                             col_text(st, 0),
                             col_text(st, 1),
                             col_text(st, 2), to ? to : "open",
                             installed ? installed : "not installed", removed ? removed : "open");
        } else if (r != SQLITE_DONE) {
            rc = billi_store_err(s, r, "meter relations");
        }
    }
    billi_store_done(s, st);
    return rc;
}

static int update_meter(bill_store *s, const bill_meter *m)
{
    meter_row row;
    BILLI_TRY(meter_find(s, m->serial, &row));
    char inst[16], rem[16];
    if (m->has_installed)
        bill_date_format(m->installed, inst, sizeof inst);
    if (m->has_removed)
        bill_date_format(m->removed, rem, sizeof rem);
    BILLI_TRY(check_relations_inside(s, row.id, m->serial, m->has_installed ? inst : NULL,
                                     m->has_removed ? rem : NULL));
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "UPDATE meters SET digits = ?1, installed_on = ?2, removed_on = ?3, "
        "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?4", "meter"));
    sqlite3_bind_int(st, 1, m->digits);
    int rc = bind_meter_dates(s, st, 2, m);
    sqlite3_bind_int64(st, 4, row.id);
    if (rc == BILL_OK)
        rc = step_done(s, st, "registry: updating meter");
    billi_store_done(s, st);
    if (rc != BILL_OK)
        return rc;
    for (int i = 0; i < m->nreg; i++) {
        const billi_register *r = &m->reg[i];
        BILLI_TRY(billi_store_prepare(s, &st,
            "SELECT kind, digits FROM registers WHERE meter_id = ? AND code = ?", "register"));
        sqlite3_bind_int64(st, 1, row.id);
        rc = billi_bind_text(s, st, 2, r->code);
        int found = 0;
        if (rc == BILL_OK) {
            int q = sqlite3_step(st);
            if (q == SQLITE_ROW) {
                found = 1;
                const char *kind = col_text(st, 0);
                int digits = sqlite3_column_int(st, 1);
                int want = r->digits ? r->digits : m->digits;
                if (!kind || strcmp(kind, kind_names[r->kind]) != 0 || digits != want)
                    rc = billi_error(BILL_ERULE, "registry: meter '%s': register '%s' is stored as "
                                     "%s with %d digits; a register's kind and digits never change",
                                     m->serial, r->code, kind ? kind : "?", digits);
            } else if (q != SQLITE_DONE) {
                rc = billi_store_err(s, q, "register");
            }
        }
        billi_store_done(s, st);
        if (rc == BILL_OK && !found)
            rc = insert_register(s, row.id, m, r);
        if (rc != BILL_OK)
            return rc;
    }
    return BILL_OK;
}

int bill_registry_update_meter(bill_store *s, const bill_meter *m)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(m, "m");
    BILLI_TRY(billi_store_tx_begin(s));
    return billi_store_tx_end(s, update_meter(s, m));
}

/* The multiplier of meter `id` in force on the date text `on`. */
static int multiplier_on(bill_dec *out, bill_store *s, sqlite3_int64 id, const char *serial,
                         const char *on)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "SELECT multiplier FROM multipliers WHERE meter_id = ? AND effective_from <= ? "
        "ORDER BY effective_from DESC LIMIT 1", "multiplier"));
    sqlite3_bind_int64(st, 1, id);
    int rc = billi_bind_text(s, st, 2, on);
    if (rc == BILL_OK) {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW)
            rc = billi_column_dec(out, st, 0);
        else if (r == SQLITE_DONE)
            rc = billi_error(BILL_ENOTFOUND, "registry: meter '%s' has no multiplier on %s",
                             serial, on);
        else
            rc = billi_store_err(s, r, "multiplier");
    }
    billi_store_done(s, st);
    return rc;
}

int bill_registry_get_meter(bill_meter **out, bill_store *s, const char *serial)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(s, "s");
    meter_row row;
    BILLI_TRY(meter_find(s, serial, &row));
    bill_meter *m;
    BILLI_TRY(bill_meter_create(&m, serial));
    sqlite3_stmt *st = NULL;
    int rc = billi_store_prepare(s, &st, "SELECT uuid, digits FROM meters WHERE id = ?", "meter");
    if (rc == BILL_OK) {
        sqlite3_bind_int64(st, 1, row.id);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            snprintf(m->uuid, sizeof m->uuid, "%s", col_text(st, 0));
            m->digits = sqlite3_column_int(st, 1);
        } else {
            rc = billi_store_err(s, r, "meter");
        }
        billi_store_done(s, st);
    }
    m->has_installed = row.has_installed;
    m->installed = row.installed;
    m->has_removed = row.has_removed;
    m->removed = row.removed;
    if (rc == BILL_OK)
        rc = multiplier_on(&m->multiplier, s, row.id, serial, "9999-12-31");
    if (rc == BILL_OK)
        rc = billi_store_prepare(s, &st,
            "SELECT code, kind, digits FROM registers WHERE meter_id = ? ORDER BY id", "register");
    if (rc == BILL_OK) {
        sqlite3_bind_int64(st, 1, row.id);
        int r;
        while (rc == BILL_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
            if (m->nreg >= BILL_METER_MAX_REGISTERS) {
                rc = billi_error(BILL_ECORRUPT, "registry: meter '%s' has too many registers", serial);
                break;
            }
            billi_register *g = &m->reg[m->nreg++];
            snprintf(g->code, sizeof g->code, "%s", col_text(st, 0));
            const char *kind = col_text(st, 1);
            g->kind = 0;
            for (int k = 0; k < 3; k++)
                if (kind && strcmp(kind, kind_names[k]) == 0)
                    g->kind = k;
            g->digits = sqlite3_column_int(st, 2);
        }
        if (rc == BILL_OK && r != SQLITE_DONE)
            rc = billi_store_err(s, r, "register");
        billi_store_done(s, st);
    }
    if (rc != BILL_OK) {
        bill_meter_free(m);
        return rc;
    }
    *out = m;
    return BILL_OK;
}

/* End every open (or later-ending) link and relation of meter `id` on `d`. */
static int remove_meter(bill_store *s, const char *serial, bill_date d)
{
    meter_row row;
    BILLI_TRY(meter_find(s, serial, &row));
    char on[16];
    fmt_date(on, d);
    if (!row.has_installed)
        return billi_error(BILL_ERULE, "registry: meter '%s' is in stock (not installed): cannot "
                           "remove it", serial);
    if (row.has_removed)
        return billi_error(BILL_ERULE, "registry: meter '%s' is already removed", serial);
    if (bill_date_cmp(d, row.installed) < 0) {
        char b[16];
        fmt_date(b, row.installed);
        return billi_error(BILL_ERULE, "registry: meter '%s': removal date %s is before the "
                           "installation date %s", serial, on, b);
    }
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "SELECT 'link ' || uuid, valid_from FROM links WHERE meter_id = ?1 AND valid_from >= ?2 "
        "UNION ALL SELECT 'sub-meter relation ' || uuid, valid_from FROM submeters WHERE (master_id = ?1 OR sub_id = ?1) "
        "AND valid_from >= ?2 UNION ALL "
        "SELECT 'multiplier ' || multiplier, effective_from FROM multipliers WHERE meter_id = ?1 "
        "AND effective_from >= ?2 AND effective_from > '0001-01-01' LIMIT 1", "meter relations"));
    sqlite3_bind_int64(st, 1, row.id);
    int rc = billi_bind_text(s, st, 2, on);
    if (rc == BILL_OK) {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW)
            rc = billi_error(BILL_ERULE, "registry: meter '%s': %s starts on %s, "
                             "not before the removal on %s", serial,
                             col_text(st, 0),
                             col_text(st, 1), on);
        else if (r != SQLITE_DONE)
            rc = billi_store_err(s, r, "meter relations");
    }
    billi_store_done(s, st);
    if (rc != BILL_OK)
        return rc;
    static const char *const updates[] = {
        "UPDATE links SET valid_to = ?2 WHERE meter_id = ?1 AND COALESCE(valid_to, '9999-12-31') > ?2",
        "UPDATE submeters SET valid_to = ?2 WHERE (master_id = ?1 OR sub_id = ?1) "
        "AND COALESCE(valid_to, '9999-12-31') > ?2",
        "UPDATE meters SET removed_on = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
        "WHERE id = ?1",
    };
    for (size_t i = 0; i < sizeof updates / sizeof updates[0]; i++) {
        BILLI_TRY(billi_store_prepare(s, &st, updates[i], "registry: removing meter"));
        sqlite3_bind_int64(st, 1, row.id);
        rc = billi_bind_text(s, st, 2, on);
        if (rc == BILL_OK)
            rc = step_done(s, st, "registry: removing meter");
        billi_store_done(s, st);
        if (rc != BILL_OK)
            return rc;
    }
    return BILL_OK;
}

int bill_registry_remove_meter(bill_store *s, const char *serial, bill_date d)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_date(d, "registry: remove meter", "date"));
    BILLI_TRY(billi_store_tx_begin(s));
    return billi_store_tx_end(s, remove_meter(s, serial, d));
}

int bill_registry_set_multiplier(bill_store *s, const char *serial, bill_date from,
                                 const bill_dec *multiplier)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_key(serial, "registry", "meter serial"));
    BILLI_TRY(check_multiplier(multiplier, serial));
    BILLI_TRY(check_date(from, "registry: multiplier", "from"));
    BILLI_TRY(billi_store_tx_begin(s));
    meter_row row;
    int rc = meter_find(s, serial, &row);
    if (rc == BILL_OK) {
        bill_date next;
        if (bill_date_add_days(&next, from, 1) != BILL_OK)
            next = from;
        rc = check_installed(&row, serial, from, next, "multiplier change");
        if (rc == BILL_OK && row.has_removed && bill_date_cmp(from, row.removed) >= 0)
            rc = billi_error(BILL_ERULE, "registry: meter '%s': multiplier change on or after the "
                             "meter's removal", serial);
    }
    if (rc == BILL_OK) {
        char on[16];
        fmt_date(on, from);
        rc = insert_multiplier(s, row.id, on, multiplier);
    }
    return billi_store_tx_end(s, rc);
}

int bill_registry_multiplier_on(bill_dec *out, bill_store *s, const char *serial, bill_date d)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_date(d, "registry: multiplier", "date"));
    meter_row row;
    BILLI_TRY(meter_find(s, serial, &row));
    char on[16];
    fmt_date(on, d);
    return multiplier_on(out, s, row.id, serial, on);
}

/* ---- links ---------------------------------------------------------------------------- */

/* BILL_ERULE naming the first link of meter `id` overlapping [from, to), or BILL_OK. */
static int check_link_overlap(bill_store *s, sqlite3_int64 id, const char *serial, bill_date from,
                              bill_date to)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "SELECT l.uuid, l.valid_from, l.valid_to, "
        "  (SELECT group_concat(reference, ', ') FROM (SELECT a.reference FROM link_shares ls "
        "   JOIN accounts a ON a.id = ls.account_id WHERE ls.link_id = l.id ORDER BY ls.position)) "
        "FROM links l WHERE l.meter_id = ?1 AND l.valid_from < ?3 "
        "AND ?2 < COALESCE(l.valid_to, '9999-12-31') ORDER BY l.valid_from LIMIT 1", "links"));
    sqlite3_bind_int64(st, 1, id);
    int rc = billi_bind_date(s, st, 2, from);
    if (rc == BILL_OK)
        rc = billi_bind_date(s, st, 3, to);
    if (rc == BILL_OK) {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 2);
            char a[16], b[16];
            fmt_date(a, from);
            fmt_date(b, to);
            rc = billi_error(BILL_ERULE, "registry: meter '%s': link [%s, %s) overlaps link %s of "
                             "account %s [%s, %s): a meter belongs to one account at a time",
                             serial, a, b, col_text(st, 0),
                             col_text(st, 3),
                             col_text(st, 1), t ? t : "open");
        } else if (r != SQLITE_DONE) {
            rc = billi_store_err(s, r, "links");
        }
    }
    billi_store_done(s, st);
    return rc;
}

static int link_insert(bill_store *s, const char *serial, const char *const *refs,
                       const bill_dec *ratios, size_t n, bill_date from, bill_date to)
{
    meter_row row;
    BILLI_TRY(meter_find(s, serial, &row));
    BILLI_TRY(check_installed(&row, serial, from, to, "link"));
    sqlite3_int64 ids[64];
    for (size_t i = 0; i < n; i++) {
        BILLI_TRY(account_id(s, refs[i], &ids[i]));
        for (size_t j = 0; j < i; j++)
            if (ids[j] == ids[i])
                return billi_error(BILL_EEXISTS, "registry: meter '%s': account '%s' appears "
                                   "twice in one shared link", serial, refs[i]);
    }
    BILLI_TRY(check_link_overlap(s, row.id, serial, from, to));
    char uuid[BILL_UUID_LEN + 1];
    billi_uuid(uuid);
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "INSERT INTO links (uuid, meter_id, valid_from, valid_to) VALUES (?,?,?,?)", "link"));
    int rc = billi_bind_text(s, st, 1, uuid);
    sqlite3_bind_int64(st, 2, row.id);
    if (rc == BILL_OK)
        rc = billi_bind_date(s, st, 3, from);
    if (rc == BILL_OK)
        rc = billi_bind_end(s, st, 4, to);
    if (rc == BILL_OK)
        rc = step_done(s, st, "registry: inserting link");
    billi_store_done(s, st);
    if (rc != BILL_OK)
        return rc;
    sqlite3_int64 link = sqlite3_last_insert_rowid(s->db);
    bill_dec one = BILL_DEC_INIT;
    bill_dec_set_i64(&one, 1, 0);
    for (size_t i = 0; i < n && rc == BILL_OK; i++) {
        rc = billi_store_prepare(s, &st,
            "INSERT INTO link_shares (link_id, account_id, position, ratio) VALUES (?,?,?,?)",
            "link share");
        if (rc != BILL_OK)
            break;
        sqlite3_bind_int64(st, 1, link);
        sqlite3_bind_int64(st, 2, ids[i]);
        sqlite3_bind_int(st, 3, (int)i);
        rc = billi_bind_dec(s, st, 4, ratios ? &ratios[i] : &one);
        if (rc == BILL_OK)
            rc = step_done(s, st, "registry: inserting link share");
        billi_store_done(s, st);
    }
    bill_dec_clear(&one);
    return rc;
}

int bill_registry_link(bill_store *s, const char *serial, const char *reference, bill_date from,
                       bill_date to)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_key(serial, "registry: link", "meter serial"));
    BILLI_TRY(check_key(reference, "registry: link", "account reference"));
    BILLI_TRY(check_range(from, to, "registry: link"));
    BILLI_TRY(billi_store_tx_begin(s));
    return billi_store_tx_end(s, link_insert(s, serial, &reference, NULL, 1, from, to));
}

int bill_registry_link_shared(bill_store *s, const char *serial, const char *const *references,
                              const bill_dec *ratios, size_t n, bill_date from, bill_date to)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_CHECK_ARG(references, "references");
    BILLI_CHECK_ARG(ratios, "ratios");
    BILLI_TRY(check_key(serial, "registry: shared link", "meter serial"));
    if (n < 2 || n > 64)
        return billi_error(BILL_ERANGE, "registry: meter '%s': a shared link has 2 to 64 accounts, "
                           "not %zu", serial, n);
    BILLI_TRY(check_range(from, to, "registry: shared link"));
    bill_dec sum = BILL_DEC_INIT;
    int rc = BILL_OK;
    for (size_t i = 0; i < n && rc == BILL_OK; i++) {
        rc = check_key(references[i], "registry: shared link", "account reference");
        if (rc == BILL_OK && bill_dec_sign(&ratios[i]) <= 0) {
            char *t = bill_dec_to_str(&ratios[i]);
            rc = billi_error(BILL_ERULE, "registry: meter '%s': ratio %s of account '%s' is not "
                             "positive", serial, t ? t : "", references[i]);
            bill_free(t);
        }
        if (rc == BILL_OK)
            rc = bill_dec_add(&sum, &sum, &ratios[i]);
    }
    if (rc == BILL_OK) {
        bill_dec one = BILL_DEC_INIT;
        bill_dec_set_i64(&one, 1, 0);
        if (bill_dec_cmp(&sum, &one) != 0) {
            char *t = bill_dec_to_str(&sum);
            rc = billi_error(BILL_ERULE, "registry: meter '%s': shared link ratios add up to %s, "
                             "not exactly 1", serial, t ? t : "");
            bill_free(t);
        }
        bill_dec_clear(&one);
    }
    bill_dec_clear(&sum);
    if (rc != BILL_OK)
        return rc;
    BILLI_TRY(billi_store_tx_begin(s));
    return billi_store_tx_end(s, link_insert(s, serial, references, ratios, n, from, to));
}

/* Set valid_to = end on the row of `table` (links or submeters) covering end - 1 for the meter. */
static int end_range(bill_store *s, const char *table_sql, const char *serial, bill_date end,
                     const char *what)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_date(end, what, "end"));
    BILLI_TRY(billi_store_tx_begin(s));
    meter_row row;
    int rc = meter_find(s, serial, &row);
    sqlite3_stmt *st = NULL;
    if (rc == BILL_OK)
        rc = billi_store_prepare(s, &st, table_sql, what);
    if (rc == BILL_OK) {
        sqlite3_bind_int64(st, 1, row.id);
        rc = billi_bind_date(s, st, 2, end);
        if (rc == BILL_OK)
            rc = step_done(s, st, what);
        if (rc == BILL_OK && sqlite3_changes(s->db) == 0) {
            char e[16];
            fmt_date(e, end);
            rc = billi_error(BILL_ENOTFOUND, "%s: meter '%s' has none in force on the day before %s",
                             what, serial, e);
        }
        billi_store_done(s, st);
    }
    return billi_store_tx_end(s, rc);
}

int bill_registry_end_link(bill_store *s, const char *serial, bill_date end)
{
    return end_range(s,
        "UPDATE links SET valid_to = ?2 WHERE meter_id = ?1 AND valid_from < ?2 "
        "AND COALESCE(valid_to, '9999-12-31') >= ?2", serial, end, "registry: end link");
}

int bill_registry_end_sub(bill_store *s, const char *sub, bill_date end)
{
    return end_range(s,
        "UPDATE submeters SET valid_to = ?2 WHERE sub_id = ?1 AND valid_from < ?2 "
        "AND COALESCE(valid_to, '9999-12-31') >= ?2", sub, end, "registry: end sub-meter relation");
}

static int add_sub(bill_store *s, const char *master, const char *sub, bill_date from,
                   bill_date to)
{
    meter_row mr, sr;
    BILLI_TRY(meter_find(s, master, &mr));
    BILLI_TRY(meter_find(s, sub, &sr));
    if (mr.id == sr.id)
        return billi_error(BILL_ERULE, "registry: meter '%s' cannot be its own master", sub);
    BILLI_TRY(check_installed(&mr, master, from, to, "sub-meter relation"));
    BILLI_TRY(check_installed(&sr, sub, from, to, "sub-meter relation"));
    sqlite3_stmt *st;
    /* A loop: the sub is already, directly or not, a master of `master` (at any time). */
    BILLI_TRY(billi_store_prepare(s, &st,
        "WITH RECURSIVE up(id) AS (SELECT master_id FROM submeters WHERE sub_id = ?1 "
        "UNION SELECT s.master_id FROM submeters s JOIN up ON s.sub_id = up.id) "
        "SELECT 1 FROM up WHERE id = ?2", "sub-meters"));
    sqlite3_bind_int64(st, 1, mr.id);
    sqlite3_bind_int64(st, 2, sr.id);
    int r = sqlite3_step(st), rc = BILL_OK;
    if (r == SQLITE_ROW)
        rc = billi_error(BILL_ERULE, "registry: meter '%s' is already a master of '%s': putting it "
                         "under '%s' would make a loop", sub, master, master);
    else if (r != SQLITE_DONE)
        rc = billi_store_err(s, r, "sub-meters");
    billi_store_done(s, st);
    if (rc != BILL_OK)
        return rc;
    BILLI_TRY(billi_store_prepare(s, &st,
        "SELECT s.uuid, m.serial, s.valid_from, s.valid_to FROM submeters s "
        "JOIN meters m ON m.id = s.master_id WHERE s.sub_id = ?1 AND s.valid_from < ?3 "
        "AND ?2 < COALESCE(s.valid_to, '9999-12-31') LIMIT 1", "sub-meters"));
    sqlite3_bind_int64(st, 1, sr.id);
    rc = billi_bind_date(s, st, 2, from);
    if (rc == BILL_OK)
        rc = billi_bind_date(s, st, 3, to);
    if (rc == BILL_OK) {
        r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 3);
            rc = billi_error(BILL_ERULE, "registry: meter '%s' is already under master '%s' "
                             "[%s, %s) (relation %s): a meter has one master at a time", sub,
                             col_text(st, 1),
                             col_text(st, 2), t ? t : "open",
                             col_text(st, 0));
        } else if (r != SQLITE_DONE) {
            rc = billi_store_err(s, r, "sub-meters");
        }
    }
    billi_store_done(s, st);
    if (rc != BILL_OK)
        return rc;
    char uuid[BILL_UUID_LEN + 1];
    billi_uuid(uuid);
    BILLI_TRY(billi_store_prepare(s, &st,
        "INSERT INTO submeters (uuid, master_id, sub_id, valid_from, valid_to) VALUES (?,?,?,?,?)",
        "sub-meters"));
    rc = billi_bind_text(s, st, 1, uuid);
    sqlite3_bind_int64(st, 2, mr.id);
    sqlite3_bind_int64(st, 3, sr.id);
    if (rc == BILL_OK)
        rc = billi_bind_date(s, st, 4, from);
    if (rc == BILL_OK)
        rc = billi_bind_end(s, st, 5, to);
    if (rc == BILL_OK)
        rc = step_done(s, st, "registry: inserting sub-meter relation");
    billi_store_done(s, st);
    return rc;
}

int bill_registry_add_sub(bill_store *s, const char *master, const char *sub, bill_date from,
                          bill_date to)
{
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_key(master, "registry: sub-meter", "master serial"));
    BILLI_TRY(check_key(sub, "registry: sub-meter", "sub serial"));
    BILLI_TRY(check_range(from, to, "registry: sub-meter"));
    BILLI_TRY(billi_store_tx_begin(s));
    return billi_store_tx_end(s, add_sub(s, master, sub, from, to));
}

/* ---- queries ------------------------------------------------------------------------- */

/*
 * Run `st` (columns: meter, account, master, uuid, from, to, ratio) into a new
 * list; finalizes st.
 */
static int collect(bill_link_list **out, bill_store *s, sqlite3_stmt *st)
{
    bill_link_list *l = calloc(1, sizeof *l);
    int rc = l ? BILL_OK : billi_error(BILL_ENOMEM, "registry: out of memory");
    int r = SQLITE_DONE;
    while (rc == BILL_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (l->n == l->cap) {
            int cap = l->cap ? l->cap * 2 : 4;
            billi_link_entry *e = realloc(l->e, (size_t)cap * sizeof *e);
            if (!e) {
                rc = billi_error(BILL_ENOMEM, "registry: out of memory");
                break;
            }
            l->e = e;
            l->cap = cap;
        }
        billi_link_entry *e = &l->e[l->n];
        memset(e, 0, sizeof *e);
        bill_dec_init(&e->ratio);
        l->n++;
        const char *t;
        t = col_text(st, 0);
        snprintf(e->meter, sizeof e->meter, "%s", t ? t : "");
        t = col_text(st, 1);
        snprintf(e->account, sizeof e->account, "%s", t ? t : "");
        t = col_text(st, 2);
        snprintf(e->master, sizeof e->master, "%s", t ? t : "");
        t = col_text(st, 3);
        snprintf(e->uuid, sizeof e->uuid, "%s", t ? t : "");
        rc = billi_column_date(&e->from, st, 4);
        if (rc == BILL_OK)
            rc = billi_column_date(&e->to, st, 5);
        if (rc == BILL_OK)
            rc = billi_column_dec(&e->ratio, st, 6);
    }
    if (rc == BILL_OK && r != SQLITE_DONE)
        rc = billi_store_err(s, r, "registry: query");
    billi_store_done(s, st);
    if (rc != BILL_OK) {
        bill_link_list_free(l);
        return rc;
    }
    *out = l;
    return BILL_OK;
}

int bill_registry_meter_accounts(bill_link_list **out, bill_store *s, const char *serial,
                                 bill_date d)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_date(d, "registry: meter accounts", "date"));
    meter_row row;
    BILLI_TRY(meter_find(s, serial, &row));
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "SELECT ?3, a.reference, '', l.uuid, l.valid_from, l.valid_to, ls.ratio "
        "FROM links l JOIN link_shares ls ON ls.link_id = l.id "
        "JOIN accounts a ON a.id = ls.account_id "
        "WHERE l.meter_id = ?1 AND l.valid_from <= ?2 AND COALESCE(l.valid_to, '9999-12-31') > ?2 "
        "ORDER BY ls.position", "registry: meter accounts"));
    sqlite3_bind_int64(st, 1, row.id);
    int rc = billi_bind_date(s, st, 2, d);
    if (rc == BILL_OK)
        rc = billi_bind_text(s, st, 3, serial);
    if (rc != BILL_OK) {
        billi_store_done(s, st);
        return rc;
    }
    return collect(out, s, st);
}

int bill_registry_account_meters(bill_link_list **out, bill_store *s, const char *reference,
                                 bill_period p)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_range(p.start, p.end, "registry: account meters"));
    sqlite3_int64 id;
    BILLI_TRY(account_id(s, reference, &id));
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "SELECT m.serial, ?4, '', l.uuid, l.valid_from, l.valid_to, ls.ratio "
        "FROM link_shares ls JOIN links l ON l.id = ls.link_id JOIN meters m ON m.id = l.meter_id "
        "WHERE ls.account_id = ?1 AND l.valid_from < ?3 AND ?2 < COALESCE(l.valid_to, '9999-12-31') "
        "ORDER BY l.valid_from, m.serial", "registry: account meters"));
    sqlite3_bind_int64(st, 1, id);
    int rc = billi_bind_date(s, st, 2, p.start);
    if (rc == BILL_OK)
        rc = billi_bind_date(s, st, 3, p.end);
    if (rc == BILL_OK)
        rc = billi_bind_text(s, st, 4, reference);
    if (rc != BILL_OK) {
        billi_store_done(s, st);
        return rc;
    }
    return collect(out, s, st);
}

int bill_registry_subs(bill_link_list **out, bill_store *s, const char *master, bill_period p)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(s, "s");
    BILLI_TRY(check_range(p.start, p.end, "registry: sub-meters"));
    meter_row row;
    BILLI_TRY(meter_find(s, master, &row));
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st,
        "SELECT m.serial, '', ?4, x.uuid, x.valid_from, x.valid_to, '1' "
        "FROM submeters x JOIN meters m ON m.id = x.sub_id "
        "WHERE x.master_id = ?1 AND x.valid_from < ?3 AND ?2 < COALESCE(x.valid_to, '9999-12-31') "
        "ORDER BY x.valid_from, m.serial", "registry: sub-meters"));
    sqlite3_bind_int64(st, 1, row.id);
    int rc = billi_bind_date(s, st, 2, p.start);
    if (rc == BILL_OK)
        rc = billi_bind_date(s, st, 3, p.end);
    if (rc == BILL_OK)
        rc = billi_bind_text(s, st, 4, master);
    if (rc != BILL_OK) {
        billi_store_done(s, st);
        return rc;
    }
    return collect(out, s, st);
}

void bill_link_list_free(bill_link_list *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->n; i++)
        bill_dec_clear(&l->e[i].ratio);
    free(l->e);
    free(l);
}

int bill_link_list_count(const bill_link_list *l) { return l ? l->n : 0; }

static const billi_link_entry *entry(const bill_link_list *l, int i)
{
    return l && i >= 0 && i < l->n ? &l->e[i] : NULL;
}

const char *bill_link_list_meter(const bill_link_list *l, int i)
{
    const billi_link_entry *e = entry(l, i);
    return e ? e->meter : NULL;
}

const char *bill_link_list_account(const bill_link_list *l, int i)
{
    const billi_link_entry *e = entry(l, i);
    return e ? e->account : NULL;
}

const char *bill_link_list_master(const bill_link_list *l, int i)
{
    const billi_link_entry *e = entry(l, i);
    return e ? e->master : NULL;
}

const char *bill_link_list_uuid(const bill_link_list *l, int i)
{
    const billi_link_entry *e = entry(l, i);
    return e ? e->uuid : NULL;
}

bill_date bill_link_list_from(const bill_link_list *l, int i)
{
    const billi_link_entry *e = entry(l, i);
    bill_date z = { 0 };
    return e ? e->from : z;
}

bill_date bill_link_list_to(const bill_link_list *l, int i)
{
    const billi_link_entry *e = entry(l, i);
    bill_date z = { 0 };
    return e ? e->to : z;
}

int bill_link_list_ratio(bill_dec *out, const bill_link_list *l, int i)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(l, "l");
    const billi_link_entry *e = entry(l, i);
    if (!e)
        return billi_error(BILL_ERANGE, "link list: entry %d is outside 0..%d", i, l->n - 1);
    return bill_dec_copy(out, &e->ratio);
}

int bill_link_list_split(bill_dec *parts, size_t n, const bill_link_list *l, const bill_dec *kwh,
                         int32_t scale)
{
    BILLI_CHECK_ARG(parts, "parts");
    BILLI_CHECK_ARG(l, "l");
    BILLI_CHECK_ARG(kwh, "kwh");
    if (n != (size_t)l->n || n == 0)
        return billi_error(BILL_EINVAL, "link list split: %zu parts for %d entries", n, l->n);
    bill_dec *ratios = malloc(n * sizeof *ratios);
    if (!ratios)
        return billi_error(BILL_ENOMEM, "link list split: out of memory");
    for (size_t i = 0; i < n; i++)
        ratios[i] = l->e[i].ratio; /* a shallow view: allocate only reads them */
    int rc = bill_dec_allocate(parts, n, kwh, ratios, scale, BILL_REMAINDER_LARGEST_FRACTION);
    free(ratios);
    return rc;
}
