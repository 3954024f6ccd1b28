/*
 * libbill: the embedded store, an SQLite file (or ":memory:") holding the
 * registry of accounts and meters (include/bill/registry.h) and, in later
 * schema versions, readings, imports, billing runs and bills.
 *
 * The store is optional: the pure layers (decimals, dates, tariffs, the
 * computations on given readings) never touch it, so a host that keeps its
 * own database uses them without a store.
 *
 * A store file carries a schema version (SQLite's `PRAGMA user_version`) and
 * libbill's application id (`PRAGMA application_id`, 0x42494C4C "BILL").
 * Opening an older file migrates it forward, in one transaction, to
 * BILL_STORE_SCHEMA_VERSION; a file of a newer version is refused
 * (BILL_EVERSION), as are a file that is not SQLite, an SQLite file of another
 * application and a corrupt file (BILL_ECORRUPT). The file runs in WAL mode
 * with foreign keys on and a busy timeout, so several handles (threads or
 * processes) may use one file at once: writers wait for each other up to the
 * timeout (BILL_EBUSY after it) and nothing is lost. Every change of more
 * than one row runs in one transaction: it is applied whole or not at all.
 * docs/store.md documents the schema.
 *
 * Threads: one handle must not be used from two threads at once; open one
 * handle per thread.
 */
#ifndef BILL_STORE_H
#define BILL_STORE_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The schema version this library writes (files are migrated up to it). */
#define BILL_STORE_SCHEMA_VERSION 4

/** The SQLite application id of a libbill store ("BILL"). */
#define BILL_STORE_APPLICATION_ID 0x42494C4C

/** Default busy timeout, in milliseconds. */
#define BILL_STORE_BUSY_TIMEOUT_MS 5000

/** Flags of bill_store_open (or them together). */
enum bill_store_flag {
    /** Create the file if it does not exist (otherwise BILL_ENOTFOUND). */
    BILL_STORE_CREATE = 1,
    /** Open read-only: no migration (an older file gives BILL_EVERSION), no writes. */
    BILL_STORE_READONLY = 2,
    /** Run SQLite's quick_check on open (reads the whole file): BILL_ECORRUPT on damage. */
    BILL_STORE_VERIFY = 4
};

/** An open store. */
typedef struct bill_store bill_store;

/**
 * Open (and with BILL_STORE_CREATE create) the store at `path`, an SQLite file
 * name or ":memory:" (a private in-memory store), and migrate it to
 * BILL_STORE_SCHEMA_VERSION.
 * Errors: BILL_EINVAL (NULL argument, unknown flag, CREATE with READONLY),
 * BILL_ENOTFOUND (no such file without CREATE), BILL_EIO (cannot open),
 * BILL_ECORRUPT (not SQLite, another application's file, damaged),
 * BILL_EVERSION (newer schema; or older schema opened read-only),
 * BILL_EBUSY (locked past the busy timeout), BILL_ESTORE (other SQLite errors),
 * BILL_ENOMEM. *out is set only on success; free with bill_store_close.
 */
BILL_EXTERN int bill_store_open(bill_store **out, const char *path, unsigned flags);

/** Close the store (rolling back an open transaction). NULL is a no-op. */
BILL_EXTERN void bill_store_close(bill_store *s);

/** The schema version of the open store (BILL_STORE_SCHEMA_VERSION once migrated). */
BILL_EXTERN int bill_store_schema_version(const bill_store *s);

/** 1 if the store was opened read-only. */
BILL_EXTERN int bill_store_is_readonly(const bill_store *s);

/**
 * How long a call waits for another handle's lock before BILL_EBUSY, in
 * milliseconds (0 .. 3600000; default BILL_STORE_BUSY_TIMEOUT_MS).
 * BILL_ERANGE outside.
 */
BILL_EXTERN int bill_store_set_busy_timeout(bill_store *s, int ms);

/**
 * Group several changes into one transaction: between bill_store_begin and
 * bill_store_commit every registry call joins it (each call still undoes
 * its own partial work when it fails, the earlier ones stay pending), and
 * bill_store_rollback undoes all of them. The write lock is taken at begin
 * (waiting up to the busy timeout). Transactions do not nest: BILL_ESTATE
 * for begin inside one, or commit/rollback outside one.
 */
BILL_EXTERN int bill_store_begin(bill_store *s);
BILL_EXTERN int bill_store_commit(bill_store *s);
BILL_EXTERN int bill_store_rollback(bill_store *s);

/** 1 between bill_store_begin and bill_store_commit/rollback. */
BILL_EXTERN int bill_store_in_transaction(const bill_store *s);

#ifdef __cplusplus
}
#endif
#endif /* BILL_STORE_H */
