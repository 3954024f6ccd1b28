/*
 * libbill: importing register readings and interval data into a store.
 *
 * An importer reads one CSV file of the formats in docs/readings-csv.md
 * (register readings or interval data), fed in chunks of any size or read
 * from a path, checks every row against the store's registry and the
 * readings already stored, and keeps each row as exactly one of:
 *
 *   accepted   stored in `readings` / `interval_readings`;
 *   duplicate  the same reading is already stored (same register and time
 *              with the same value; for intervals the same meter, start,
 *              length and kWh): harmless, nothing is written;
 *   rejected   written to `import_exceptions` with its line, column, code
 *              (the status name: ESYNTAX, ENOTFOUND, ECONFLICT, ERULE,
 *              EDATE, ERANGE), message and raw text.
 *
 * accepted + duplicate + rejected = total rows; nothing is dropped silently.
 * docs/readings-csv.md ("Importing") lists every check and its message.
 *
 * Transactions: rows are committed in batches (bill_importer_set_batch_rows,
 * default BILL_IMPORT_BATCH_ROWS); each batch, with the import's counts, is
 * all or nothing. A process killed mid-import leaves the committed batches
 * and its `imports` row unfinished (finished_at NULL). Importing the same
 * file again completes it: rows already stored count as duplicates; when
 * that run finishes, the earlier unfinished imports of the same source and
 * kind are marked superseded (digest "superseded", their exceptions removed,
 * as the new import recorded every rejected row again).
 *
 * Importing the same bytes again changes nothing: when an import finishes
 * with no row accepted and its digest (SHA-256 of the bytes) equals that of
 * an earlier finished import of the same kind, its own `imports` row and
 * exceptions are removed again and bill_importer_already_imported() is 1
 * (the counts still tell what this run found; the UUID is the earlier one).
 *
 * The store must not be inside bill_store_begin .. commit (BILL_ESTATE):
 * the importer commits its own batches. During the import the connection
 * runs with `PRAGMA synchronous = NORMAL` (WAL): a committed batch survives
 * a killed process; after a power loss the last batches may be lost, and
 * importing the file again restores them. It also checkpoints the WAL less
 * often (every 16000 pages). Both settings are restored by bill_importer_free.
 */
#ifndef BILL_IMPORT_H
#define BILL_IMPORT_H

#include "common.h"
#include "errors.h"
#include "decimal.h"
#include "date.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a file holds. */
typedef enum bill_import_kind {
    BILL_IMPORT_READINGS = 0,   /* register readings */
    BILL_IMPORT_INTERVALS = 1   /* interval data (15, 30 or 60 minutes of kWh) */
} bill_import_kind;

/** Default rows per transaction. */
#define BILL_IMPORT_BATCH_ROWS 10000

/** An import in progress. */
typedef struct bill_importer bill_importer;

/**
 * Start an import of `kind` into `s`, naming its `source` (the file name or
 * feed; 1..512 bytes, kept in imports.source). Records the `imports` row at
 * once (committed). "Now", for future-dated rows, is the current local time
 * unless set. Errors: BILL_EINVAL, BILL_ESTATE (read-only store or a
 * caller's transaction open), storage codes. Free with bill_importer_free.
 */
BILL_EXTERN int bill_importer_create(bill_importer **out, bill_store *s, int kind,
                                     const char *source);

/**
 * Free the importer. If it was not finished, the rows of the batch in
 * progress are rolled back and the import stays unfinished (as after a
 * crash). NULL is a no-op.
 */
BILL_EXTERN void bill_importer_free(bill_importer *imp);

/** Rows later than `now` are future-dated (rejected, EDATE). Set before the first feed. */
BILL_EXTERN int bill_importer_set_now(bill_importer *imp, bill_datetime now);

/** Rows per transaction, 1..1000000 (BILL_ERANGE outside). Set before the first feed. */
BILL_EXTERN int bill_importer_set_batch_rows(bill_importer *imp, int rows);

/**
 * Feed the next `len` bytes of the file at `text`. Rows completed by them are checked
 * and kept. A bad header stops the file: BILL_ESYNTAX naming the column, the
 * error is kept as an exception of the import (line of the header, code
 * ESYNTAX), and the import is finished with no rows (the same source failing
 * the same way again is "already imported" and records nothing). Storage errors roll the
 * batch in progress back and leave the import unfinished. After an error or
 * finish, BILL_ESTATE.
 */
BILL_EXTERN int bill_importer_feed(bill_importer *imp, const char *text, size_t len);

/**
 * End of the file: the last row, the last batch, the counts, digest and
 * finished_at of the import (and the re-import and superseding rules above).
 */
BILL_EXTERN int bill_importer_finish(bill_importer *imp);

/**
 * Feed the whole file at `path` and finish. BILL_ENOTFOUND / BILL_EIO when
 * it cannot be opened or read (the import is then left unfinished).
 */
BILL_EXTERN int bill_importer_read_file(bill_importer *imp, const char *path);

/** Counts so far (after finish: final). */
BILL_EXTERN int64_t bill_importer_total(const bill_importer *imp);
BILL_EXTERN int64_t bill_importer_accepted(const bill_importer *imp);
BILL_EXTERN int64_t bill_importer_duplicate(const bill_importer *imp);
BILL_EXTERN int64_t bill_importer_rejected(const bill_importer *imp);
/** 1 after finish if the same bytes were imported before (nothing was changed). */
BILL_EXTERN int bill_importer_already_imported(const bill_importer *imp);
/** The import's UUID (the earlier import's when already imported); never NULL. */
BILL_EXTERN const char *bill_importer_uuid(const bill_importer *imp);
/** The SHA-256 of the bytes fed, in lower-case hex, after finish ("" before). */
BILL_EXTERN const char *bill_importer_digest(const bill_importer *imp);

/* ---- single readings through the API ------------------------------------------- */

/**
 * Store one reading of register `reg` of meter `serial` at `at`, as read
 * (before the multiplier), with the checks of the import (unknown meter or
 * register BILL_ENOTFOUND, not installed or removed BILL_ERULE, future-dated
 * BILL_EDATE against the current local time, does not fit the register
 * BILL_ERANGE, a decrease BILL_ERULE, another value at that time
 * BILL_ECONFLICT). `source` may be NULL (""). Returns BILL_OK when stored,
 * or 1 when the same reading was already there (nothing written).
 */
BILL_EXTERN int bill_store_add_reading(bill_store *s, const char *serial, const char *reg,
                                       bill_datetime at, const bill_dec *value, int estimated,
                                       const char *source);

/**
 * Store one interval of `minutes` (15, 30 or 60) from `start` on meter
 * `serial` with `kwh` as recorded; checks as the import (off the grid
 * BILL_EDATE, overlapping another length BILL_ECONFLICT). BILL_OK or 1 for
 * a duplicate.
 */
BILL_EXTERN int bill_store_add_interval(bill_store *s, const char *serial, bill_datetime start,
                                        int minutes, const bill_dec *kwh, int estimated);

/**
 * The latest reading of register `reg` of `serial` at or before `at`:
 * *value (as read) and *read_at. BILL_ENOTFOUND if none (or unknown meter
 * or register).
 */
BILL_EXTERN int bill_store_reading_before(bill_dec *value, bill_datetime *read_at, bill_store *s,
                                          const char *serial, const char *reg, bill_datetime at);

/** Number of stored readings (kind BILL_IMPORT_READINGS) or intervals. */
BILL_EXTERN int bill_store_count_readings(int64_t *out, bill_store *s, int kind);

/**
 * The exceptions of import `uuid`, one per line of text, in line order:
 * "<line>\t<field>\t<code>\t<message>\n". Free with bill_free; NULL on
 * error (BILL_ENOTFOUND for an unknown import; bill_errmsg says why).
 */
BILL_EXTERN char *bill_store_import_exceptions(bill_store *s, const char *uuid);

#ifdef __cplusplus
}
#endif
#endif /* BILL_IMPORT_H */
