/*
 * Internals of the store (libbill/store.c, store_schema.c, registry.c):
 * the handle, statement helpers, transactions and the schema migrations.
 * SQLite stays behind this header; nothing here is installed.
 */
#ifndef BILL_STORE_INTERNAL_H
#define BILL_STORE_INTERNAL_H

#include "internal.h"
#include <sqlite3.h>
#include <stdio.h>

/* A prepared statement kept for reuse, keyed by the address of its SQL text. */
typedef struct billi_cached_stmt {
    const char *sql;
    sqlite3_stmt *st;
} billi_cached_stmt;

struct bill_store {
    sqlite3 *db;
    billi_cached_stmt *cache; /* statements of static SQL texts, prepared once */
    size_t ncache, cache_cap;
    int version;        /* schema version after open */
    int readonly;
    int user_txn;       /* 1 inside bill_store_begin .. commit/rollback */
    unsigned savepoint; /* depth of internal savepoints, for unique names */
    unsigned long sqlite_failures; /* calls of billi_store_err: a failure of SQLite itself, told
                                      apart from bad stored values (the billing run) */
};

/**
 * Map an SQLite result code to a bill status, with a message naming `what`.
 * Counts the failure in s->sqlite_failures (when s is not NULL).
 */
int billi_store_err(bill_store *s, int sqlite_rc, const char *what);

/** Execute SQL without results. */
int billi_store_exec(bill_store *s, const char *sql, const char *what);

/**
 * A prepared statement for `sql`, which must be a string with static storage
 * (a literal): the statement is prepared once per handle and reused, keyed by
 * the address of the text. Give it back with billi_store_done() on every
 * path (it resets the statement and clears its bindings; a statement left
 * running would hold a read snapshot). A statement already in use gets a
 * fresh one-off copy, which billi_store_done() finalizes.
 */
int billi_store_prepare(bill_store *s, sqlite3_stmt **out, const char *sql, const char *what);
void billi_store_done(bill_store *s, sqlite3_stmt *st);

/**
 * Internal transactions: billi_store_tx_begin starts a write transaction
 * (BEGIN IMMEDIATE, waiting for the lock), or a savepoint inside a caller's
 * bill_store_begin; billi_store_tx_end commits when rc == BILL_OK and rolls
 * back otherwise, returning rc (or the commit's error).
 */
int billi_store_tx_begin(bill_store *s);
int billi_store_tx_end(bill_store *s, int rc);

/** Bind helpers (return BILL_OK or a mapped error). */
int billi_bind_text(bill_store *s, sqlite3_stmt *st, int i, const char *text);
int billi_bind_date(bill_store *s, sqlite3_stmt *st, int i, bill_date d);
/** NULL for the open end BILL_DATE_OPEN_END. */
int billi_bind_end(bill_store *s, sqlite3_stmt *st, int i, bill_date d);
int billi_bind_dec(bill_store *s, sqlite3_stmt *st, int i, const bill_dec *d);

/** Column readers: a date column (NULL reads as the open end), a decimal column. */
int billi_column_date(bill_date *out, sqlite3_stmt *st, int col);
int billi_column_dec(bill_dec *out, sqlite3_stmt *st, int col);

/** A fresh random UUID in lower-case text (buf of at least BILL_UUID_LEN + 1). */
void billi_uuid(char *buf);

/** Newest schema version the migrations know, and migrating one step: from `from` to from + 1. */
int billi_schema_latest(void);
int billi_schema_step(bill_store *s, int from);

/**
 * Open `path` and migrate only up to `version` (tests create older files
 * with it). Same as bill_store_open otherwise.
 */
int billi_store_open_at(bill_store **out, const char *path, unsigned flags, int version);

#endif
