/*
 * libbill: batch billing, many accounts under one tariff for one period.
 *
 * A billing run bills thousands of accounts of one tariff over the same
 * period. A batch takes their usage as columns, one value per account, each
 * column an array of exact decimals given as int64 coefficients with one
 * scale (value = coefficient x 10^-scale: 12345 at scale 1 is 1234.5 kWh),
 * and computes every account's bill at once. The totals (subtotal, tax,
 * total) are those bill_tariff_compute() gives for the same usage, exactly;
 * the itemized bill of any account (lines, explanations, text and JSON) is
 * built on request by bill_batch_bill().
 *
 *     bill_batch *b;
 *     bill_batch_create(&b, tariff, period, n);
 *     bill_batch_set_class(b, "residential");
 *     bill_batch_set_tou_kwh(b, "peak", peak, 1);     // int64_t peak[n], tenths of kWh
 *     bill_batch_set_tou_kwh(b, "valley", valley, 1);
 *     bill_batch_set_ytd_kwh(b, ytd, 0);
 *     bill_batch_compute(b);
 *     for (size_t i = 0; i < n; i++)
 *         if (bill_batch_status(b, i) == BILL_OK) bill_batch_total(&total, b, i);
 *
 * How: when the tariff version in force has only energy (TOU, tiers,
 * components), per-kWh, fixed and minimum charges and the period holds no
 * tariff change or new year, the batch computes column by column on integers
 * at scales fixed by the columns (one rounding per line as the tariff says,
 * no per-account dispatch). Any account the columns cannot take that way (a
 * value too large for int64 arithmetic, no kWh on a plain tier table, ...) and
 * every account of any other tariff is billed one at a time with
 * bill_tariff_compute(); bill_batch_kernel_count() says how many were not.
 * Either way the results are the same.
 *
 * Accounts are independent: one account's error (bill_batch_status) does not
 * stop the others. Errors in a column (a negative value, more than 12
 * decimals, a name that is not a TOU period name) are reported by the setter,
 * naming the column and the account index, and leave the batch unchanged.
 *
 * Lifetimes: the batch refers to the tariff; keep the tariff alive while the
 * batch is used. Columns are copied. Threads: one batch per thread at a time;
 * several batches may share a tariff.
 */
#ifndef BILL_BATCH_H
#define BILL_BATCH_H

#include "common.h"
#include "errors.h"
#include "decimal.h"
#include "date.h"
#include "tariff.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A batch of accounts billed under one tariff for one period (opaque). */
typedef struct bill_batch bill_batch;

/** Most decimals a column may have (as bill_usage quantities). */
#define BILL_BATCH_MAX_SCALE 12

/**
 * A batch of n accounts (n >= 1) billed under tariff t for period p; every
 * column empty. Errors: BILL_EINVAL (NULL, n == 0, an empty period),
 * BILL_ENOMEM.
 */
BILL_EXTERN int bill_batch_create(bill_batch **out, const bill_tariff *t, bill_period p, size_t n);
/** Free the batch (NULL is ignored). */
BILL_EXTERN void bill_batch_free(bill_batch *b);
/** The number of accounts. */
BILL_EXTERN size_t bill_batch_size(const bill_batch *b);

/*
 * Columns: n values each, copied. A column set again replaces the old one.
 * Values must be >= 0 with 0..12 decimals (scale) and at most 15 digits before
 * the point, as for bill_usage quantities; otherwise BILL_ERANGE naming the
 * column and the first bad account ("batch: tou_kwh 'peak' of account 17 must
 * not be negative") and nothing changes. BILL_EINVAL for NULL arguments.
 * Which columns a bill needs depends on the tariff, as for a usage: a column
 * not set is not given (a missing kWh is each account's error).
 */

/** Total kWh of each account (with TOU columns: a check, as bill_usage_set_kwh). */
BILL_EXTERN int bill_batch_set_kwh(bill_batch *b, const int64_t *coef, int32_t scale);
/**
 * kWh of TOU period `period` of each account (at most BILL_TARIFF_MAX_TOU
 * periods, BILL_ERANGE beyond; BILL_ESYNTAX for a name that is not a valid
 * period name).
 */
BILL_EXTERN int bill_batch_set_tou_kwh(bill_batch *b, const char *period, const int64_t *coef,
                                       int32_t scale);
/** kWh of this year before the period, for annual tiers (as bill_usage_set_ytd_kwh). */
BILL_EXTERN int bill_batch_set_ytd_kwh(bill_batch *b, const int64_t *coef, int32_t scale);
/** Installed capacity in kVA of each account (two-part tariffs). */
BILL_EXTERN int bill_batch_set_capacity_kva(bill_batch *b, const int64_t *coef, int32_t scale);
/** Declared (contracted) maximum demand in kW of each account. */
BILL_EXTERN int bill_batch_set_declared_kw(bill_batch *b, const int64_t *coef, int32_t scale);
/** Actual maximum demand in kW of each account. */
BILL_EXTERN int bill_batch_set_max_demand_kw(bill_batch *b, const int64_t *coef, int32_t scale);
/** Reactive energy in kvarh of each account (power-factor adjustment). */
BILL_EXTERN int bill_batch_set_kvarh(bill_batch *b, const int64_t *coef, int32_t scale);
/**
 * Household size of each account (large-household tier quotas); values 0..1000
 * (0: not given), else BILL_ERANGE naming the account.
 */
BILL_EXTERN int bill_batch_set_household_size(bill_batch *b, const int32_t *persons);
/** The customer class of every account (as bill_usage_set_class: BILL_ESYNTAX for a bad name). */
BILL_EXTERN int bill_batch_set_class(bill_batch *b, const char *cls);
/**
 * The customer class of each account: cls[i] for account i (n strings, each a
 * valid class name, else BILL_ESYNTAX naming the account; BILL_EINVAL for a NULL).
 */
BILL_EXTERN int bill_batch_set_classes(bill_batch *b, const char *const *cls);
/** The power-factor standard of every account: "0.90", "0.85" or "0.80". */
BILL_EXTERN int bill_batch_set_pf_standard(bill_batch *b, const char *standard);

/**
 * Compute every account's bill. BILL_OK when the batch ran, whatever the
 * accounts' own results (bill_batch_status); BILL_ENOMEM when memory ran out
 * (no result is then kept). May be called again after columns change.
 */
BILL_EXTERN int bill_batch_compute(bill_batch *b);
/** Accounts whose bill failed in the last bill_batch_compute. */
BILL_EXTERN size_t bill_batch_failed(const bill_batch *b);
/**
 * Accounts the last bill_batch_compute billed column by column (the others one
 * at a time with bill_tariff_compute): for tuning and tests.
 */
BILL_EXTERN size_t bill_batch_kernel_count(const bill_batch *b);
/**
 * Account i's result: BILL_OK, or the status bill_tariff_compute gave for its
 * usage (bill_batch_bill recomputes it with the message). BILL_ESTATE before
 * bill_batch_compute, BILL_ERANGE for i out of range.
 */
BILL_EXTERN int bill_batch_status(const bill_batch *b, size_t i);
/**
 * Account i's total, subtotal, or tax (the VAT, included in the total for
 * VAT-inclusive tariffs): equal to bill_bill_total/_subtotal/_tax of its bill,
 * digit for digit. Errors: as bill_batch_status, the account's own error when
 * it failed; BILL_ENOMEM.
 */
BILL_EXTERN int bill_batch_total(bill_dec *out, const bill_batch *b, size_t i);
BILL_EXTERN int bill_batch_subtotal(bill_dec *out, const bill_batch *b, size_t i);
BILL_EXTERN int bill_batch_tax(bill_dec *out, const bill_batch *b, size_t i);
/**
 * Account i's usage as a usage handle (reset first): the period, class and the
 * columns' values. Errors: BILL_ERANGE (i), BILL_EINVAL, BILL_ENOMEM.
 */
BILL_EXTERN int bill_batch_usage(bill_usage *out, const bill_batch *b, size_t i);
/**
 * Account i's itemized bill, computed now with bill_tariff_compute() from
 * bill_batch_usage(): its status (with bill_errmsg() on failure).
 */
BILL_EXTERN int bill_batch_bill(bill_bill *out, const bill_batch *b, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* BILL_BATCH_H */
