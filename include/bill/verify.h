/*
 * libbill: meter-to-account verification (表户对应核查) and anomalies in the
 * reading history (docs/verification.md).
 *
 * A field audit lists, for every meter the inspectors saw, its serial, the
 * account (and/or address) where it was found, its reading and the date. A
 * bill_verify reconciles those rows with the registry (which meter is linked
 * to which account on that date) and the reading history of each meter's
 * "total" register, and classifies every row and every account in scope,
 * with the evidence in words:
 *
 *     bill_verify *v;
 *     bill_verify_create(&v, store, NULL);            // default options
 *     bill_verify_add_file(v, "audit.csv");           // or feed / add_row
 *     bill_verify_run(v);
 *     for (size_t i = 0; i < bill_verify_row_count(v); i++)
 *         printf("%s %s\n", bill_verify_class_name(bill_verify_row_class(v, i)),
 *                bill_verify_row_evidence(v, i));
 *     char *json; bill_verify_to_json(&json, v);  ...  bill_free(json);
 *     bill_verify_free(v);
 *
 * The registry holds no addresses: a row is matched by the found account;
 * a row that names only an address is LOCATION_UNCHECKED. Everything is
 * exact (bill_dec); the rules are stated in docs/verification.md and below.
 *
 * bill_anomalies scans the stored reading history for active accounts with
 * zero usage over several consecutive periods and for usage far outside an
 * account's own history.
 *
 * Handles are not shared between threads; different handles may be used
 * from different threads (each over its own store handle).
 */
#ifndef BILL_VERIFY_H
#define BILL_VERIFY_H

#include "common.h"
#include "errors.h"
#include "decimal.h"
#include "date.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- classes ----------------------------------------------------------------- */

/** What an audit row shows (exactly one per row). */
typedef enum bill_verify_class {
    /** The meter is linked on the audit date to the account where it was found. */
    BILL_VERIFY_CONFIRMED = 0,
    /** The meter is linked to another account than the one where it was found (both named). */
    BILL_VERIFY_OTHER_ACCOUNT = 1,
    /** No meter with this serial in the registry. */
    BILL_VERIFY_UNKNOWN_METER = 2,
    /** The meter is in the registry but linked to no account on the audit date. */
    BILL_VERIFY_UNLINKED_METER = 3,
    /** Below the last stored reading, and not a plausible rollover (bill_register_advance). */
    BILL_VERIFY_READING_BELOW_HISTORY = 4,
    /** The advance since the last stored reading is implausibly large (see the options). */
    BILL_VERIFY_IMPLAUSIBLE_JUMP = 5,
    /** One of a pair of rows that look like two meters swapped between two accounts. */
    BILL_VERIFY_LIKELY_SWAP = 6,
    /** Only an address was given; the registry has no addresses to check it against. */
    BILL_VERIFY_LOCATION_UNCHECKED = 7,
    /** The CSV parser rejected the row (the evidence gives its line and reason). */
    BILL_VERIFY_REJECTED = 8,

    /* account classes */
    /** Every registered meter of the account was found there, readings consistent. */
    BILL_VERIFY_ACCOUNT_CONFIRMED = 100,
    /** A meter linked to the account on the audit date was not in the audit. */
    BILL_VERIFY_ACCOUNT_METER_NOT_FOUND = 101,
    /** A row of the account is OTHER_ACCOUNT, LIKELY_SWAP, or an unknown/unlinked meter found there. */
    BILL_VERIFY_ACCOUNT_MISMATCH = 102,
    /** A meter of the account reads below its history or jumped implausibly. */
    BILL_VERIFY_ACCOUNT_READING_PROBLEM = 103,
    /** Its rows could only be matched by meter (address-only rows). */
    BILL_VERIFY_ACCOUNT_UNCHECKED = 104
} bill_verify_class;

/**
 * The stable name of a row or account class: "confirmed", "other_account",
 * "unknown_meter", "unlinked_meter", "reading_below_history",
 * "implausible_jump", "likely_swap", "location_unchecked", "rejected";
 * accounts: "confirmed", "meter_not_found", "mismatch", "reading_problem",
 * "unchecked". NULL for another value.
 */
BILL_EXTERN const char *bill_verify_class_name(int cls);

/* ---- options ----------------------------------------------------------------- */

/** Which accounts get an account class. */
typedef enum bill_verify_scope {
    /** Accounts named by the rows: registered to an audited meter, or where a meter was found. */
    BILL_VERIFY_SCOPE_AUDITED = 0,
    /** Those plus every account with an installed meter linked on the audit date. */
    BILL_VERIFY_SCOPE_ALL = 1
} bill_verify_scope;

#define BILL_VERIFY_OPTIONS_VERSION 1

/**
 * Options (initialise with BILL_VERIFY_OPTIONS_INIT or
 * bill_verify_options_init, then change fields).
 *
 *   audit_date    0 = each row is checked on its own read_on date, and the
 *                 account checks (METER_NOT_FOUND, scope ALL) use the latest
 *                 read_on of the valid rows; 1 = `date` is used for all.
 *   jump_factor   K (> 0, default 3): a row is IMPLAUSIBLE_JUMP when
 *                 advance / days > K × hist_advance / hist_days (exactly:
 *                 advance × hist_days > K × hist_advance × days) AND
 *                 advance × multiplier > jump_floor × days. advance = the
 *                 register advance from the last stored reading (at or before
 *                 00:00 of the audit date) to the audit reading; days = whole
 *                 days between them (at least 1); hist_* = the sum of the
 *                 advances between consecutive stored readings up to the last
 *                 one and the days they span. With fewer than two stored
 *                 readings only the floor applies.
 *   jump_floor    kWh per day (>= 0, default 50): smaller daily energies are
 *                 never a jump.
 *   scope         BILL_VERIFY_SCOPE_AUDITED (default) or _ALL.
 */
typedef struct bill_verify_options {
    int version;
    int audit_date;
    bill_date date;
    bill_dec jump_factor;
    bill_dec jump_floor;
    int scope;
} bill_verify_options;

/** Initialiser: defaults (the decimals are small constants: K = 3, floor = 50). */
#define BILL_VERIFY_OPTIONS_INIT {BILL_VERIFY_OPTIONS_VERSION, 0, {0}, {3, 0, 0, NULL}, \
                                  {50, 0, 0, NULL}, BILL_VERIFY_SCOPE_AUDITED}
/** Set *out to the defaults. */
BILL_EXTERN void bill_verify_options_init(bill_verify_options *out);

/* ---- the verification -------------------------------------------------------- */

typedef struct bill_verify bill_verify;

/**
 * A verification over `store` (kept, not owned: it must outlive the handle)
 * with `opts` (NULL: defaults; copied). BILL_EINVAL for a bad option
 * (version, factor <= 0, floor < 0, scope).
 */
BILL_EXTERN int bill_verify_create(bill_verify **out, bill_store *store,
                                   const bill_verify_options *opts);
/** NULL is a no-op. */
BILL_EXTERN void bill_verify_free(bill_verify *v);

/**
 * Feed audit CSV text (docs/readings-csv.md, "field audit") in chunks of any
 * size. Rows the parser rejects are kept as REJECTED rows. BILL_ESYNTAX for
 * a bad header (the feed stops); BILL_ESTATE after bill_verify_run.
 */
BILL_EXTERN int bill_verify_feed(bill_verify *v, const char *text, size_t len);
/** The end of the CSV text (the last row without a line end). BILL_ESYNTAX for an empty file. */
BILL_EXTERN int bill_verify_finish(bill_verify *v);
/** Feed and finish a whole file. BILL_EIO (naming the file) when it cannot be read. */
BILL_EXTERN int bill_verify_add_file(bill_verify *v, const char *path);

/**
 * One audit row through the API: meter serial, found account and found
 * address ("" or NULL when absent; at least one of them), the reading
 * (>= 0) and the date. The row's line is its position among the rows
 * added (1, 2, ...). BILL_EINVAL for a missing (or longer than 64 bytes)
 * serial or a missing location, BILL_ERANGE for a negative reading,
 * BILL_EDATE for an invalid date, BILL_ESTATE after run or when CSV was fed
 * (the two inputs are not mixed).
 */
BILL_EXTERN int bill_verify_add_row(bill_verify *v, const char *serial, const char *account,
                                    const char *address, const bill_dec *reading, bill_date on);

/**
 * Classify every row and every account in scope. Reads the store (no
 * writes). Finishes a fed CSV that was not finished. BILL_ESTATE when run
 * twice; store errors as they come (nothing is kept then).
 */
BILL_EXTERN int bill_verify_run(bill_verify *v);

/* ---- results (after bill_verify_run; strings live as long as the handle) ---- */

/** Number of rows (valid and rejected), in input order. 0 before run. */
BILL_EXTERN size_t bill_verify_row_count(const bill_verify *v);
/** The row's class (a bill_verify_class), or BILL_EINVAL for a bad index. */
BILL_EXTERN int bill_verify_row_class(const bill_verify *v, size_t i);
/** The row's line in the CSV (or position for add_row); 0 for a bad index. */
BILL_EXTERN int64_t bill_verify_row_line(const bill_verify *v, size_t i);
/**
 * Text fields of row i by name: "meter_serial", "found_account",
 * "found_address", "reading", "read_on", "registered_account" (the
 * accounts linked on the date, joined with "+"; "" if none), "partner"
 * (the meter of the other row of a swap), "evidence". "" for another name,
 * a bad index or a rejected row's typed fields.
 */
BILL_EXTERN const char *bill_verify_row_text(const bill_verify *v, size_t i, const char *name);
/** Evidence in words (never NULL; "" for a bad index). */
BILL_EXTERN const char *bill_verify_row_evidence(const bill_verify *v, size_t i);

/** Number of classified accounts, in byte order of reference. */
BILL_EXTERN size_t bill_verify_account_count(const bill_verify *v);
/** Reference of account i ("" for a bad index). */
BILL_EXTERN const char *bill_verify_account_reference(const bill_verify *v, size_t i);
/** Class of account i (BILL_VERIFY_ACCOUNT_*), or BILL_EINVAL for a bad index. */
BILL_EXTERN int bill_verify_account_class(const bill_verify *v, size_t i);
/** Evidence for account i ("" for a bad index). */
BILL_EXTERN const char *bill_verify_account_evidence(const bill_verify *v, size_t i);

/**
 * The rows as CSV (header line_no,meter_serial,found_account,found_address,
 * reading,read_on,class,registered_account,partner,evidence), then, after
 * one empty line, the accounts (header account,class,evidence). New string,
 * free with bill_free. Byte-identical for the same input. BILL_ESTATE before run.
 */
BILL_EXTERN int bill_verify_to_csv(char **out, const bill_verify *v);
/** {"rows":[...],"accounts":[...]} with the same fields; free with bill_free. */
BILL_EXTERN int bill_verify_to_json(char **out, const bill_verify *v);
/** The message of the handle's last failing call ("" if none). */
BILL_EXTERN const char *bill_verify_errmsg(const bill_verify *v);

/* ---- anomalies in the reading history ------------------------------------------ */

/** Kinds of anomaly. */
typedef enum bill_anomaly_kind {
    /** N or more consecutive periods with zero advance while the meter is linked and installed. */
    BILL_ANOMALY_ZERO_USAGE = 0,
    /** A period's daily usage above K × the (lower) median daily usage of the previous periods. */
    BILL_ANOMALY_HIGH_USAGE = 1,
    /** A period's daily usage below 1/K × that median. */
    BILL_ANOMALY_LOW_USAGE = 2,
    /** A reading below the previous one that is no plausible rollover. */
    BILL_ANOMALY_READING_DECREASE = 3
} bill_anomaly_kind;

/** "zero_usage", "high_usage", "low_usage", "reading_decrease"; NULL otherwise. */
BILL_EXTERN const char *bill_anomaly_kind_name(int kind);

#define BILL_ANOMALY_OPTIONS_VERSION 1

/**
 * Options. A period is the interval between two consecutive stored
 * readings of a meter's "total" register; its usage is the register advance
 * (rollover allowed) × the multiplier on the period's start, and its daily
 * usage usage / days.
 *
 *   zero_periods  N (>= 1, default 3): ZERO_USAGE for a run of at least N
 *                 consecutive zero-advance periods of a meter linked to an
 *                 account on each period's start (one anomaly per run).
 *   factor        K (> 1, default 3): a period is HIGH_USAGE when
 *                 usage × d_m > K × u_m × days, LOW_USAGE when
 *                 usage × d_m × K < u_m × days, where u_m / d_m is the lower
 *                 median daily usage of the previous (up to) `history`
 *                 periods of that meter. Needs at least `min_history`
 *                 previous periods and a median above zero.
 *   history       M (>= 1, default 6); min_history (1..M, default 3).
 *   window        only periods ending in [window.start, window.end); a
 *                 zero window (start == end) means all.
 */
typedef struct bill_anomaly_options {
    int version;
    int zero_periods;
    bill_dec factor;
    int history;
    int min_history;
    bill_period window;
} bill_anomaly_options;

#define BILL_ANOMALY_OPTIONS_INIT {BILL_ANOMALY_OPTIONS_VERSION, 3, {3, 0, 0, NULL}, 6, 3, {{0}, {0}}}
BILL_EXTERN void bill_anomaly_options_init(bill_anomaly_options *out);

typedef struct bill_anomalies bill_anomalies;

/**
 * Scan the store's reading history (NULL opts: defaults). Ordered by
 * account, meter, period start. BILL_EINVAL for bad options; store errors.
 * Free with bill_anomalies_free.
 */
BILL_EXTERN int bill_anomalies_find(bill_anomalies **out, bill_store *store,
                                    const bill_anomaly_options *opts);
BILL_EXTERN void bill_anomalies_free(bill_anomalies *a);
BILL_EXTERN size_t bill_anomalies_count(const bill_anomalies *a);
/** The kind of anomaly i (bill_anomaly_kind), BILL_EINVAL for a bad index. */
BILL_EXTERN int bill_anomalies_kind(const bill_anomalies *a, size_t i);
/**
 * Text fields of anomaly i: "account" ("" when the meter was not linked),
 * "meter_serial", "from", "to" (the dates spanned), "usage" (kWh over the
 * span), "evidence". "" for another name or a bad index.
 */
BILL_EXTERN const char *bill_anomalies_text(const bill_anomalies *a, size_t i, const char *name);
/** CSV (account,meter_serial,kind,from,to,usage,evidence); free with bill_free. */
BILL_EXTERN int bill_anomalies_to_csv(char **out, const bill_anomalies *a);
/** {"anomalies":[...]}; free with bill_free. */
BILL_EXTERN int bill_anomalies_to_json(char **out, const bill_anomalies *a);

#ifdef __cplusplus
}
#endif
#endif /* BILL_VERIFY_H */
