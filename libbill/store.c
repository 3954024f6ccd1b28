/*
 * The store handle: opening (identity, version and migration checks),
 * SQLite settings, transactions and the helpers registry.c shares.
 */
#include "store_internal.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uuid/uuid.h>

int billi_store_err(bill_store *s, int rc, const char *what)
{
    const char *detail = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    if (s)
        s->sqlite_failures++;
    int code;
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        code = BILL_ECORRUPT;
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = BILL_EBUSY;
        break;
    case SQLITE_NOMEM:
        code = BILL_ENOMEM;
        break;
    case SQLITE_READONLY:
        code = BILL_ESTATE;
        break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_PERM:
        code = BILL_EIO;
        break;
    case SQLITE_CONSTRAINT:
        code = BILL_ECONFLICT;
        break;
    default:
        code = BILL_ESTORE;
        break;
    }
    return billi_error(code, "%s: %s (SQLite code %d)", what, detail, rc);
}

int billi_store_exec(bill_store *s, const char *sql, const char *what)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? BILL_OK : billi_store_err(s, rc, what);
}

int billi_store_prepare(bill_store *s, sqlite3_stmt **out, const char *sql, const char *what)
{
    size_t i;
    *out = NULL;
    for (i = 0; i < s->ncache; i++)
        if (s->cache[i].sql == sql)
            break;
    if (i < s->ncache && !sqlite3_stmt_busy(s->cache[i].st)) {
        *out = s->cache[i].st;
        return BILL_OK;
    }
    int cacheable = i == s->ncache;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, cacheable ? SQLITE_PREPARE_PERSISTENT : 0, &st,
                                NULL);
    if (rc != SQLITE_OK)
        return billi_store_err(s, rc, what);
    if (cacheable) {
        if (s->ncache == s->cache_cap) {
            size_t cap = s->cache_cap ? s->cache_cap * 2 : 32;
            billi_cached_stmt *c = realloc(s->cache, cap * sizeof *c);
            if (!c) { /* run it uncached */
                *out = st;
                return BILL_OK;
            }
            s->cache = c;
            s->cache_cap = cap;
        }
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache++].st = st;
    }
    *out = st;
    return BILL_OK;
}

void billi_store_done(bill_store *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < s->ncache; i++)
        if (s->cache[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    sqlite3_finalize(st);
}

static void cache_clear(bill_store *s)
{
    for (size_t i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    free(s->cache);
    s->cache = NULL;
    s->ncache = s->cache_cap = 0;
}

/* ---- transactions ------------------------------------------------------------ */

int billi_store_tx_begin(bill_store *s)
{
    if (s->readonly)
        return billi_error(BILL_ESTATE, "store: opened read-only, cannot change it");
    char sql[48];
    if (sqlite3_get_autocommit(s->db)) {
        BILLI_TRY(billi_store_exec(s, "BEGIN IMMEDIATE", "store: begin transaction"));
        s->savepoint = 0;
        return BILL_OK;
    }
    snprintf(sql, sizeof sql, "SAVEPOINT billi_%u", ++s->savepoint);
    int rc = billi_store_exec(s, sql, "store: savepoint");
    if (rc != BILL_OK)
        s->savepoint--;
    return rc;
}

int billi_store_tx_end(bill_store *s, int rc)
{
    char sql[80];
    if (s->savepoint == 0) {
        if (rc == BILL_OK) {
            int crc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
            if (crc == SQLITE_OK)
                return BILL_OK;
            rc = billi_store_err(s, crc, "store: commit");
        }
        if (!sqlite3_get_autocommit(s->db))
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    unsigned n = s->savepoint--;
    if (rc == BILL_OK) {
        snprintf(sql, sizeof sql, "RELEASE billi_%u", n);
        return billi_store_exec(s, sql, "store: release savepoint");
    }
    snprintf(sql, sizeof sql, "ROLLBACK TO billi_%u; RELEASE billi_%u", n, n);
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc;
}

int bill_store_begin(bill_store *s)
{
    BILLI_CHECK_ARG(s, "s");
    if (s->user_txn)
        return billi_error(BILL_ESTATE, "store: a transaction is already open (transactions do not nest)");
    if (s->readonly)
        return billi_error(BILL_ESTATE, "store: opened read-only, cannot change it");
    BILLI_TRY(billi_store_exec(s, "BEGIN IMMEDIATE", "store: begin transaction"));
    s->user_txn = 1;
    s->savepoint = 0;
    return BILL_OK;
}

int bill_store_commit(bill_store *s)
{
    BILLI_CHECK_ARG(s, "s");
    if (!s->user_txn)
        return billi_error(BILL_ESTATE, "store: commit without bill_store_begin");
    int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int status = billi_store_err(s, rc, "store: commit");
        if (!sqlite3_get_autocommit(s->db))
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->user_txn = 0;
        return status;
    }
    s->user_txn = 0;
    return BILL_OK;
}

int bill_store_rollback(bill_store *s)
{
    BILLI_CHECK_ARG(s, "s");
    if (!s->user_txn)
        return billi_error(BILL_ESTATE, "store: rollback without bill_store_begin");
    s->user_txn = 0;
    if (!sqlite3_get_autocommit(s->db))
        return billi_store_exec(s, "ROLLBACK", "store: rollback");
    return BILL_OK;
}

int bill_store_in_transaction(const bill_store *s)
{
    return s && s->user_txn;
}

/* ---- binding and reading values -------------------------------------------------- */

int billi_bind_text(bill_store *s, sqlite3_stmt *st, int i, const char *text)
{
    int rc = sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    return rc == SQLITE_OK ? BILL_OK : billi_store_err(s, rc, "store: bind");
}

int billi_bind_date(bill_store *s, sqlite3_stmt *st, int i, bill_date d)
{
    char buf[16];
    bill_date_format(d, buf, sizeof buf);
    return billi_bind_text(s, st, i, buf);
}

int billi_bind_end(bill_store *s, sqlite3_stmt *st, int i, bill_date d)
{
    if (d.day == BILL_DATE_OPEN_END) {
        int rc = sqlite3_bind_null(st, i);
        return rc == SQLITE_OK ? BILL_OK : billi_store_err(s, rc, "store: bind");
    }
    return billi_bind_date(s, st, i, d);
}

int billi_bind_dec(bill_store *s, sqlite3_stmt *st, int i, const bill_dec *d)
{
    char *text = bill_dec_to_str(d);
    if (!text)
        return billi_error(BILL_ENOMEM, "store: out of memory formatting a decimal");
    int rc = billi_bind_text(s, st, i, text);
    bill_free(text);
    return rc;
}

int billi_column_date(bill_date *out, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        out->day = BILL_DATE_OPEN_END;
        return BILL_OK;
    }
    const char *text = (const char *)sqlite3_column_text(st, col);
    if (!text || bill_date_parse(out, text, (size_t)-1) != BILL_OK)
        return billi_error(BILL_ECORRUPT, "store: column '%s' holds '%s', not a date",
                           sqlite3_column_name(st, col), text ? text : "");
    return BILL_OK;
}

int billi_column_dec(bill_dec *out, sqlite3_stmt *st, int col)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    if (!text || bill_dec_parse(out, text, (size_t)-1) != BILL_OK)
        return billi_error(BILL_ECORRUPT, "store: column '%s' holds '%s', not a decimal",
                           sqlite3_column_name(st, col), text ? text : "");
    return BILL_OK;
}

void billi_uuid(char *buf)
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, buf);
}

/* ---- opening ------------------------------------------------------------------- */

/* One integer from a PRAGMA or query. */
static int query_int(bill_store *s, const char *sql, int *out, const char *what)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, sql, what));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        billi_store_done(s, st);
        return BILL_OK;
    }
    int status = billi_store_err(s, rc, what);
    billi_store_done(s, st);
    return status;
}

/* Is this file a libbill store we can use (or an empty SQLite file)? Sets *version. */
static int check_identity(bill_store *s, const char *path, int *version)
{
    int app = 0, tables = 0;
    char what[300];
    snprintf(what, sizeof what, "store: '%s': reading the file header and schema", path);
    BILLI_TRY(query_int(s, "PRAGMA application_id", &app, what));
    BILLI_TRY(query_int(s, "PRAGMA user_version", version, what));
    BILLI_TRY(query_int(s, "SELECT count(*) FROM sqlite_master", &tables, what));
    if (app != 0 && (unsigned)app != BILL_STORE_APPLICATION_ID)
        return billi_error(BILL_ECORRUPT,
                           "store: '%s' is an SQLite file of another application "
                           "(application_id 0x%08X), not a libbill store", path, (unsigned)app);
    if (app == 0 && tables > 0)
        return billi_error(BILL_ECORRUPT,
                           "store: '%s' is an SQLite file with %d objects but without "
                           "libbill's application id, not a libbill store", path, tables);
    if (*version > billi_schema_latest())
        return billi_error(BILL_EVERSION,
                           "store: '%s' has schema version %d, newer than the %d this "
                           "library knows: upgrade libbill", path, *version, billi_schema_latest());
    if (*version < 0)
        return billi_error(BILL_ECORRUPT, "store: '%s' has a negative schema version %d", path,
                           *version);
    return BILL_OK;
}

static int migrate(bill_store *s, const char *path, int target)
{
    BILLI_TRY(billi_store_tx_begin(s));
    int version = 0, rc = check_identity(s, path, &version); /* again, under the write lock */
    if (rc == BILL_OK && version < target) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", (int)BILL_STORE_APPLICATION_ID);
        rc = billi_store_exec(s, sql, "store: writing the application id");
        for (int v = version; rc == BILL_OK && v < target; v++)
            rc = billi_schema_step(s, v);
    }
    return billi_store_tx_end(s, rc);
}

static int verify(bill_store *s, const char *path)
{
    sqlite3_stmt *st;
    BILLI_TRY(billi_store_prepare(s, &st, "PRAGMA quick_check(1)", "store: quick_check"));
    int rc = sqlite3_step(st), status = BILL_OK;
    if (rc != SQLITE_ROW)
        status = billi_store_err(s, rc, "store: quick_check");
    else {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok") != 0)
            status = billi_error(BILL_ECORRUPT, "store: '%s' is damaged: %s", path, r ? r : "?");
    }
    billi_store_done(s, st);
    return status;
}

static int store_open(bill_store *s, const char *path, unsigned flags, int target)
{
    int memory = strcmp(path, ":memory:") == 0;
    if (!memory && !(flags & BILL_STORE_CREATE)) {
        struct stat sb;
        if (stat(path, &sb) != 0 && errno == ENOENT)
            return billi_error(BILL_ENOTFOUND, "store: '%s' does not exist (open it with "
                               "BILL_STORE_CREATE to create it)", path);
    }
    int oflags = SQLITE_OPEN_NOMUTEX;
    oflags |= (flags & BILL_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & BILL_STORE_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        int status = billi_store_err(s, rc, "store: open");
        return billi_error(status, "store: cannot open '%s': %s", path,
                           s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, BILL_STORE_BUSY_TIMEOUT_MS);
    s->readonly = (flags & BILL_STORE_READONLY) != 0;

    int version = 0;
    BILLI_TRY(check_identity(s, path, &version));
    if (flags & BILL_STORE_VERIFY)
        BILLI_TRY(verify(s, path));
    BILLI_TRY(billi_store_exec(s, "PRAGMA foreign_keys = ON", "store: enabling foreign keys"));
    if (s->readonly) {
        if (version < target)
            return billi_error(BILL_EVERSION,
                               "store: '%s' has schema version %d and needs migrating to %d: "
                               "open it read-write once", path, version, target);
    } else if (!memory && version < target) {
        BILLI_TRY(billi_store_exec(s, "PRAGMA journal_mode = WAL", "store: enabling WAL"));
    } else if (!memory) {
        int wal = 0;
        BILLI_TRY(query_int(s, "SELECT journal_mode = 'wal' FROM pragma_journal_mode",
                            &wal, "store: reading the journal mode"));
        if (!wal)
            BILLI_TRY(billi_store_exec(s, "PRAGMA journal_mode = WAL", "store: enabling WAL"));
    }
    if (!s->readonly && version < target)
        BILLI_TRY(migrate(s, path, target));
    BILLI_TRY(query_int(s, "PRAGMA user_version", &s->version, "store: reading the schema version"));
    return BILL_OK;
}

int billi_store_open_at(bill_store **out, const char *path, unsigned flags, int version)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(path, "path");
    if (flags & ~(unsigned)(BILL_STORE_CREATE | BILL_STORE_READONLY | BILL_STORE_VERIFY))
        return billi_error(BILL_EINVAL, "bill_store_open: unknown flags 0x%X", flags);
    if ((flags & BILL_STORE_CREATE) && (flags & BILL_STORE_READONLY))
        return billi_error(BILL_EINVAL, "bill_store_open: BILL_STORE_CREATE with BILL_STORE_READONLY");
    if (version < 0 || version > billi_schema_latest())
        return billi_error(BILL_EINVAL, "bill_store_open: no schema version %d", version);
    bill_store *s = calloc(1, sizeof *s);
    if (!s)
        return billi_error(BILL_ENOMEM, "bill_store_open: out of memory");
    int rc = store_open(s, path, flags, version);
    if (rc != BILL_OK) {
        cache_clear(s);
        sqlite3_close_v2(s->db);
        free(s);
        return rc;
    }
    *out = s;
    return BILL_OK;
}

int bill_store_open(bill_store **out, const char *path, unsigned flags)
{
    return billi_store_open_at(out, path, flags, billi_schema_latest());
}

void bill_store_close(bill_store *s)
{
    if (!s)
        return;
    if (s->db && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    cache_clear(s);
    sqlite3_close_v2(s->db);
    free(s);
}

int bill_store_schema_version(const bill_store *s)
{
    return s ? s->version : 0;
}

int bill_store_is_readonly(const bill_store *s)
{
    return s && s->readonly;
}

int bill_store_set_busy_timeout(bill_store *s, int ms)
{
    BILLI_CHECK_ARG(s, "s");
    if (ms < 0 || ms > 3600000)
        return billi_error(BILL_ERANGE, "bill_store_set_busy_timeout: %d ms is outside 0..3600000", ms);
    int rc = sqlite3_busy_timeout(s->db, ms);
    return rc == SQLITE_OK ? BILL_OK : billi_store_err(s, rc, "store: busy timeout");
}
