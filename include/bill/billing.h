/*
 * libbill: the billing run. For one billing period it bills the accounts of
 * a cycle from the store: determinants (include/bill/determinants.h), the
 * usage, the tariff the account names (its `tariff` field) among the tariffs
 * the caller loaded, the bill (bill_tariff_compute), and stores the bill with
 * its lines (schema version 3, docs/store.md, docs/billing.md).
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
 * determinant error (a missing reading...), a compute error.
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
 * Errors of the run itself (the report is then not created and the accounts
 * billed in earlier batches stay billed): BILL_EINVAL (NULL argument, two
 * tariffs with one id), BILL_EDATE (bad period), BILL_ESTATE (read-only store
 * or inside bill_store_begin), storage errors, BILL_ENOMEM.
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
