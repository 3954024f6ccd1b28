/*
 * libbill: what-if comparisons, the "economical usage plan" a utility offers
 * its customers. For the same usage (e.g. the last 12 monthly usages of one
 * account), compute the bills under alternative tariffs or tariff options,
 * rank them cheapest first with the saving against the current one, and find
 * the declared (contracted) demand that would have cost least.
 *
 *     bill_whatif *w;
 *     bill_whatif_create(&w);
 *     int cur = bill_whatif_add_candidate(w, "capacity (current)", t);  (index 0)
 *     bill_whatif_set_option(w, (size_t)cur, "basic_charge", "capacity");
 *     ...more candidates...
 *     bill_whatif_run(w, usages, 12);
 *     for (size_t r = 0; r < bill_whatif_result_count(w); r++)
 *         bill_whatif_label(w, r), bill_whatif_total(&total, w, r) ...
 *     bill_whatif_free(w);
 *
 * Candidates: a label, a tariff (borrowed: it must stay alive while the
 * handle runs), the option choices (bill_usage_set_option of tariff.h) and
 * optionally a declared demand; they override what the usages say. The
 * usages are read only; they are never modified.
 *
 * Totals are the exact sums of the bills' totals. A candidate whose bill
 * fails for any usage is kept, with its status and message, and ranked after
 * all the candidates that succeeded.
 *
 * Threads: a handle must not be used from two threads at once; different
 * handles may share tariffs and usages.
 */
#ifndef BILL_WHATIF_H
#define BILL_WHATIF_H

#include "common.h"
#include "errors.h"
#include "decimal.h"
#include "tariff.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A set of candidates and, after a run, their ranked results (opaque). */
typedef struct bill_whatif bill_whatif;

/** Most candidates one handle takes. */
#define BILL_WHATIF_MAX_CANDIDATES 64

/** A new handle without candidates. */
BILL_EXTERN int bill_whatif_create(bill_whatif **out);
/** Free a handle (not the tariffs it refers to). NULL is a no-op. */
BILL_EXTERN void bill_whatif_free(bill_whatif *w);

/**
 * Add a candidate: `label` (copied; 1 to 200 bytes of UTF-8) and the tariff
 * `t` (borrowed: keep it alive while the handle is used). The first
 * candidate added (index 0) is the "current" one savings are measured
 * against. Returns the candidate's index (>= 0), or BILL_EINVAL (NULL or bad
 * label), BILL_ERANGE (more than BILL_WHATIF_MAX_CANDIDATES), BILL_ECURRENCY
 * (a currency other than the first candidate's: totals must be comparable).
 * Adding a candidate discards the results of an earlier run.
 */
BILL_EXTERN int bill_whatif_add_candidate(bill_whatif *w, const char *label, const bill_tariff *t);
/**
 * Choose `value` for option `name` of candidate `candidate`, overriding
 * the usages' choice (same rules as bill_usage_set_option; an option the
 * tariff does not offer makes the candidate fail at the run, with
 * BILL_ERULE). BILL_EINVAL for a candidate index out of range.
 */
BILL_EXTERN int bill_whatif_set_option(bill_whatif *w, size_t candidate, const char *name,
                                       const char *value);
/**
 * Bill candidate `candidate` at declared demand `kw` (>= 0) instead of each
 * usage's declared_kw (e.g. the result of bill_whatif_best_declared_kw).
 */
BILL_EXTERN int bill_whatif_set_declared_kw(bill_whatif *w, size_t candidate, const bill_dec *kw);
/** Number of candidates added. */
BILL_EXTERN size_t bill_whatif_candidate_count(const bill_whatif *w);

/**
 * Compute the bill of each of the `n` usages (1..1000, e.g. the last 12
 * months) under every candidate, sum each candidate's totals exactly and rank
 * the candidates: cheapest first; equal totals keep the order in which the
 * candidates were added; failed candidates last, in that order too. Results
 * of an earlier run are replaced. Errors: BILL_EINVAL (NULL, n out of range,
 * a NULL usage), BILL_ESTATE (no candidates). A candidate that fails is not
 * an error of the run: see bill_whatif_status.
 */
BILL_EXTERN int bill_whatif_run(bill_whatif *w, const bill_usage *const *usages, size_t n);

/* ---- the ranked results (rank 0 = cheapest); all BILL_EINVAL when rank is out of range ---- */

/** Number of ranked results: the candidates of the last run, 0 before a run. */
BILL_EXTERN size_t bill_whatif_result_count(const bill_whatif *w);
/** The label of the candidate at `rank` (NULL when out of range). */
BILL_EXTERN const char *bill_whatif_label(const bill_whatif *w, size_t rank);
/** The index (order of adding) of the candidate at `rank`, or BILL_EINVAL. */
BILL_EXTERN int bill_whatif_candidate(const bill_whatif *w, size_t rank);
/** BILL_OK when the candidate at `rank` computed, else the status its first failed bill gave. */
BILL_EXTERN int bill_whatif_status(const bill_whatif *w, size_t rank);
/**
 * The failure of the candidate at `rank` ("usage 3: bill: unknown option
 * ..."), "" when it computed; NULL when out of range.
 */
BILL_EXTERN const char *bill_whatif_error(const bill_whatif *w, size_t rank);
/** Sum of the candidate's bill totals; BILL_ESTATE for a failed candidate. */
BILL_EXTERN int bill_whatif_total(bill_dec *out, const bill_whatif *w, size_t rank);
/**
 * Saving against the current candidate (index 0): its total minus this
 * one's (negative when dearer). BILL_ESTATE when this or the current
 * candidate failed.
 */
BILL_EXTERN int bill_whatif_saving(bill_dec *out, const bill_whatif *w, size_t rank);
/** Number of usages of the last run (the bills per candidate). */
BILL_EXTERN size_t bill_whatif_usage_count(const bill_whatif *w);
/** The total of the bill of usage `i` under the candidate at `rank`; BILL_ESTATE if it failed. */
BILL_EXTERN int bill_whatif_bill_total(bill_dec *out, const bill_whatif *w, size_t rank, size_t i);

/* ---- the best declared demand ---- */

/**
 * The declared (contracted) demand C, a multiple of `step` kW (> 0, e.g. 1),
 * that minimises the sum of the bills of the `n` usages (1..1000, each with
 * its max_demand_kw) under candidate `candidate` (its tariff and options;
 * the tariff must price a "demand" charge on the "contracted" basis under
 * those options). C is at least the charge's floor (min_fraction × the
 * largest capacity_kva of the usages; one step without capacity). Equal
 * sums are resolved to the smaller C. The bills are computed in full
 * (power-factor adjustment, rounding), at a set of breakpoints that provably
 * contains the optimum (see libbill/tariff_whatif.c); read the results with
 * bill_whatif_best_kw, bill_whatif_best_total and bill_whatif_current_total.
 * Errors: BILL_EINVAL (NULL, n, candidate or step out of range), BILL_ERULE
 * (no contracted demand charge, a usage without max_demand_kw),
 * BILL_EUNSUPPORTED (a minimum charge: the bill is then not piecewise linear
 * in C), or the status of a failed bill (the message names the usage).
 * Does not change the ranked results of bill_whatif_run.
 */
BILL_EXTERN int bill_whatif_best_declared_kw(bill_whatif *w, size_t candidate,
                                             const bill_usage *const *usages, size_t n,
                                             const bill_dec *step);
/** The best declared demand found by the last bill_whatif_best_declared_kw (BILL_ESTATE before). */
BILL_EXTERN int bill_whatif_best_kw(bill_dec *out, const bill_whatif *w);
/** The sum of the bills at the best declared demand. */
BILL_EXTERN int bill_whatif_best_total(bill_dec *out, const bill_whatif *w);
/**
 * The sum of the bills at the declared demand the usages state (each its own
 * declared_kw), for comparison; BILL_ENOTFOUND when a usage states none.
 */
BILL_EXTERN int bill_whatif_current_total(bill_dec *out, const bill_whatif *w);

#ifdef __cplusplus
}
#endif
#endif /* BILL_WHATIF_H */
