/*
 * libbill: the billing run. For one billing period it bills the accounts of
 * a cycle from the store: determinants (include/bill/determinants.h), the
 * usage, the tariff the account names (its `tariff` field) among the tariffs
 * the caller loaded, the bill (bill_tariff_compute), and stores the bill with
 * its lines (schema versions 3 and 4, docs/store.md, docs/billing.md).
 *
 * Which accounts: a list of references given by the caller (the cycle), or
 * every account of the store in reference order when the list is NULL.
 *
 * Idempotent: an account is billed at most once per period (the bills table
 * is UNIQUE on account and period). Running again bills only the accounts that
 * were not billed yet (e.g. skipped ones whose readings arrived) and reports
 * the others as already billed.
 *
 * Each account's bill and lines are written whole or not at all (a savepoint
 * per account, transactions of up to 1000 accounts): a failing account is
 * skipped with its reason and does not undo the others. Skipped accounts are
 * kept in the report and in the store (billing_run_skips).
 *
 * Errors of one account and errors of the run (docs/billing.md, "What stops
 * a run"): an error that belongs to one account skips that account, with a
 * reason naming the account, the meter and register, reading or field, and
 * the cause, and the run goes on: a stored value of the account's that does
 * not parse (BILL_ECORRUPT raised by libbill, e.g. "account R-7: meter M-7
 * register total: the stored reading at 2025-06-01T00:00 is '12x', not a
 * decimal"), a missing or inconsistent reading (BILL_ENOTFOUND, BILL_ERULE),
 * a rule of the tariff its usage breaks (BILL_ERULE, BILL_EUNSUPPORTED...),
 * an arithmetic error of its bill (BILL_EDIVZERO, BILL_ECURRENCY...), a bad
 * account field (BILL_ESYNTAX, BILL_ERANGE, BILL_EINVAL): the families INPUT,
 * ARITH and ARGUMENT, and ECORRUPT from a value. Everything else stops the
 * run: any failure reported by SQLite (busy or locked, I/O error, disk full,
 * a store that is not writable, a damaged file: whatever code it maps to),
 * BILL_ENOMEM, BILL_EINTERNAL, state errors and the other storage codes.
 * The open batch is then rolled back whole (no bill, line or skip of it
 * stays); earlier batches stay committed, each bill whole.
 *
 * Interrupted runs: a run that did not finish (its process was killed, or it
 * stopped on an error of the run) leaves its billing_runs row unfinished and
 * its committed bills in place. The next run of the same period closes it:
 * it records itself in the row's interrupted_by (schema version 4), counts
 * the earlier run's bills as already billed (never twice: bills are unique
 * per account and period) and lists it in its report
 * (bill_billing_report_interrupted...). Two runs of one period at the same
 * time are not supported: the later one would close the earlier one as
 * interrupted (still no account billed twice).
 */
#ifndef BILL_BILLING_H
#define BILL_BILLING_H

#include "common.h"
#include "errors.h"
#include "decimal.h"
#include "date.h"
#include "tariff.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The result of a billing run. */
typedef struct bill_billing_report bill_billing_report;

/**
 * Bill period p for the accounts `accounts[0..naccounts)` (NULL: every account
 * of the store) with the tariffs `tariffs[0..ntariffs)`, each selected by its
 * bill_tariff_id equal to the account's tariff field. `label` names the run
 * (a cycle name; NULL for ""). The tariffs are borrowed for the call.
 *
 * Per account, the outcome is "billed", "already billed" (a bill for the same
 * account and period exists) or "skipped" with a status and reason: no tariff
 * on the account, a tariff not among those given, an unknown account
 * reference, an account without meters in the period (no quantities), a
 * determinant error (a missing reading, a stored reading that does not
 * parse...), a bad account field, a compute error (see "Errors of one account
 * and errors of the run" above).
 *
 * Annual tiers: for an account whose tariff has annual tiers in a version in
 * force in p, the usage also gets its year-to-date kWh (the energy from
 * 1 January of p's start year, or from its first link when later, up to
 * p.start, by the determinants of the stored readings over that range; 0 for
 * a period starting on 1 January) and its opened date (the first link's
 * start, when after 1 January of that year and not after p.start). A missing
 * reading for it skips the account ("account R: year-to-date: meter M-7
 * register total: no reading at 2025-01-01 00:00 ..."), never billed with 0.
 * Other accounts are billed exactly as before (docs/billing.md).
 *
 * Interval data: for an account on a tariff pricing energy by a TOU schedule
 * whose determinants have no TOU kWh, with one whole own meter over the whole
 * period (not shared, no sub-meters, no multiplier change inside) that has
 * interval readings in the period, the intervals × multiplier go to the usage
 * (bill_usage_set_intervals); a gap in them skips the account with the first
 * missing interval; their sum must equal the register's kWh (else the
 * compute error skips it).
 *
 * Errors of the run itself (the report is then not created; the open batch
 * is rolled back, the accounts billed in earlier batches stay billed and the
 * run stays unfinished until the next run of the period closes it):
 * BILL_EINVAL (NULL argument, two tariffs with one id), BILL_EDATE (bad
 * period), BILL_ESTATE (read-only store or inside bill_store_begin), errors
 * of the store (see "Errors of one account and errors of the run" above),
 * BILL_ENOMEM.
 * Free the report with bill_billing_report_free.
 */
BILL_EXTERN int bill_billing_run(bill_billing_report **out, bill_store *s, bill_period p,
                                 const char *label, const bill_tariff *const *tariffs,
                                 size_t ntariffs, const char *const *accounts, size_t naccounts);

/** NULL is a no-op. */
BILL_EXTERN void bill_billing_report_free(bill_billing_report *r);
/** The run's UUID (stored in billing_runs). */
BILL_EXTERN const char *bill_billing_report_uuid(const bill_billing_report *r);
/** Accounts considered, billed now, already billed before, skipped. */
BILL_EXTERN size_t bill_billing_report_accounts(const bill_billing_report *r);
BILL_EXTERN size_t bill_billing_report_billed(const bill_billing_report *r);
BILL_EXTERN size_t bill_billing_report_already_billed(const bill_billing_report *r);
BILL_EXTERN size_t bill_billing_report_skipped(const bill_billing_report *r);
/** Skipped account i (0 .. skipped-1): its reference (NULL out of range). */
BILL_EXTERN const char *bill_billing_report_skipped_account(const bill_billing_report *r, size_t i);
/** Skipped account i's status (a negative bill_status; 0 out of range). */
BILL_EXTERN int bill_billing_report_skipped_status(const bill_billing_report *r, size_t i);
/** Skipped account i's reason (NULL out of range). */
BILL_EXTERN const char *bill_billing_report_skipped_reason(const bill_billing_report *r, size_t i);

/**
 * Earlier runs of the same period that never finished (killed, or stopped on
 * an error of the run) and that this run found and closed (their
 * billing_runs.interrupted_by is this run), in the order they were started;
 * 0 when there were none. Their bills are counted in
 * bill_billing_report_already_billed.
 */
BILL_EXTERN size_t bill_billing_report_interrupted(const bill_billing_report *r);
/** Interrupted run i's UUID (billing_runs.uuid; NULL out of range). */
BILL_EXTERN const char *bill_billing_report_interrupted_uuid(const bill_billing_report *r,
                                                             size_t i);
/** When interrupted run i started, UTC "YYYY-MM-DDTHH:MM:SSZ" (NULL out of range). */
BILL_EXTERN const char *bill_billing_report_interrupted_started(const bill_billing_report *r,
                                                                size_t i);
/** The bills interrupted run i had committed (0 out of range). */
BILL_EXTERN size_t bill_billing_report_interrupted_bills(const bill_billing_report *r, size_t i);
/**
 * How many of this run's accounts were already billed by interrupted run i
 * (part of bill_billing_report_already_billed; 0 out of range).
 */
BILL_EXTERN size_t bill_billing_report_interrupted_counted(const bill_billing_report *r,
                                                           size_t i);

/**
 * The stored bill of account `reference` for period p, as the JSON of
 * bill_bill_to_json at billing time (byte-identical). New string, free with
 * bill_free; NULL with bill_errmsg set when there is none (BILL_ENOTFOUND) or
 * on error.
 */
BILL_EXTERN char *bill_store_bill_json(bill_store *s, const char *reference, bill_period p);

#ifdef __cplusplus
}
#endif
#endif /* BILL_BILLING_H */
