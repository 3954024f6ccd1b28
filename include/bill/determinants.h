/*
 * libbill: billing determinants (计费电量) of one account in one billing
 * period, from meter readings: energy per register code (total and TOU
 * registers), kvarh, maximum demand and days, with meter exchanges, multiplier
 * changes, master-minus-sub meters and shared meters. The result is what the
 * tariff engine takes (bill_determinants_to_usage fills a bill_usage).
 *
 * Pure: a bill_determinants handle is fed segments, registers, multipliers
 * and readings by the caller and needs no store. bill_store_determinants
 * (below) fills one from a store.
 *
 * Model. A segment says "meter M counts for this account over [from, to)",
 * with a sign (+1: the account's own meter; -1: a sub-meter under the
 * account's master meter, whose energy is taken off) and an optional share
 * (the ratios of a shared meter's link and this account's position in it).
 * Each segment is clipped to the period. For every energy or reactive
 * register of the meter, the segment's energy is
 *     Σ bill_register_advance(reading at a, reading at b) × multiplier
 * over the pieces [a, b) of the clipped range cut at the meter's multiplier
 * changes. Readings are needed at exactly 00:00 of every cut (the clipped
 * start and end and each multiplier change inside): the cycle reads, a
 * meter's initial reading at installation and final reading at removal, the
 * reading taken at a multiplier change. A missing one is BILL_ENOTFOUND
 * naming the meter, register and date: nothing is interpolated. A shared
 * segment's energy is split between all the link's accounts exactly at the
 * energy's scale (bill_dec_allocate, largest fractions first, ties to the
 * earlier account: the registry's bill_link_list_split rule) and this
 * account keeps its part. The quantity of a register code is the sum over
 * segments of sign × part; a negative energy (subs above their master) is
 * BILL_ERULE naming the meters.
 * Demand registers (kind BILL_REGISTER_DEMAND) hold the maximum kW since
 * their reset: the quantity is the largest reading × multiplier over the
 * readings with a < read_at <= b of the own meters' segments (a maximum,
 * never a sum, also across a meter exchange; sub-meters' demand is ignored).
 * A quantity is "estimated" when any reading it used was estimated.
 *
 * Errors set bill_errmsg(). Threads: one handle per thread.
 */
#ifndef BILL_DETERMINANTS_H
#define BILL_DETERMINANTS_H

#include "common.h"
#include "errors.h"
#include "decimal.h"
#include "date.h"
#include "tariff.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bill_determinants bill_determinants;

/** A new, empty handle (no period). Free with bill_determinants_free. */
BILL_EXTERN int bill_determinants_create(bill_determinants **out);
/** NULL is a no-op. */
BILL_EXTERN void bill_determinants_free(bill_determinants *d);
/** Forget period, segments, meters, readings, results and the TOU map (keeps memory). */
BILL_EXTERN void bill_determinants_reset(bill_determinants *d);

/** The billing period [start, end) (BILL_EDATE unless start < end). */
BILL_EXTERN int bill_determinants_set_period(bill_determinants *d, bill_period p);

/**
 * A meter with `digits` register digits (1..12, the default of its registers).
 * Meters are keyed by serial (1..64 bytes); adding one twice is BILL_EEXISTS.
 */
BILL_EXTERN int bill_determinants_add_meter(bill_determinants *d, const char *serial, int digits);
/**
 * A register of a meter already added: code (1..31 bytes), kind
 * (bill_register_kind of registry.h: 0 energy, 1 reactive, 2 demand), digits
 * (0: the meter's). BILL_ENOTFOUND for an unknown meter, BILL_EEXISTS for a
 * code already there, BILL_ERANGE past 16 registers.
 */
BILL_EXTERN int bill_determinants_add_register(bill_determinants *d, const char *serial,
                                               const char *code, int kind, int digits);
/**
 * From day `from` on the meter's multiplier is `multiplier` (> 0). A meter
 * without one has multiplier 1 before its first change.
 */
BILL_EXTERN int bill_determinants_add_multiplier(bill_determinants *d, const char *serial,
                                                 bill_date from, const bill_dec *multiplier);
/**
 * A reading of register `code` of meter `serial` at `at` (the value as read,
 * before the multiplier, >= 0), estimated 0/1. A second reading of the same
 * register at the same minute is BILL_EEXISTS.
 */
BILL_EXTERN int bill_determinants_add_reading(bill_determinants *d, const char *serial,
                                              const char *code, bill_datetime at,
                                              const bill_dec *value, int estimated);
/**
 * Meter `serial` counts for the account over [from, to) (to may be the open
 * end 9999-12-31), with `sign` +1 (own meter) or -1 (sub-meter taken off).
 * `ratios`/`nratios`/`share_index`: for a shared meter, the ratios of all
 * accounts of its link (in link order) and this account's index; NULL and 0
 * for a whole meter. The meter must have been added (BILL_ENOTFOUND).
 */
BILL_EXTERN int bill_determinants_add_segment(bill_determinants *d, const char *serial,
                                              bill_date from, bill_date to, int sign,
                                              const bill_dec *ratios, size_t nratios,
                                              size_t share_index);
/**
 * Map register code `code` to TOU period `period` for bill_determinants_to_usage
 * ("" keeps the register out of the TOU kWh). By default every energy code
 * other than "total" maps to the TOU period of the same name. At most 16.
 */
BILL_EXTERN int bill_determinants_set_tou_map(bill_determinants *d, const char *code,
                                              const char *period);

/**
 * Compute the quantities (see the file comment). Errors: BILL_ESTATE without a
 * period, BILL_ENOTFOUND (a missing reading: "meter M-7 register total: no
 * reading at 2025-07-01 00:00 (the segment's start)"), BILL_ERULE (a register
 * that went down, a negative net energy), BILL_ERANGE (a reading that does not
 * fit the register). On failure there are no quantities.
 */
BILL_EXTERN int bill_determinants_compute(bill_determinants *d);

/** Number of quantities after compute (one per register code), in code order. */
BILL_EXTERN size_t bill_determinants_count(const bill_determinants *d);
/** Quantity i's register code (NULL out of range) and kind (-1 out of range). */
BILL_EXTERN const char *bill_determinants_code(const bill_determinants *d, size_t i);
BILL_EXTERN int bill_determinants_kind(const bill_determinants *d, size_t i);
/** Quantity i's value (kWh, kvarh or kW); BILL_EINVAL out of range. */
BILL_EXTERN int bill_determinants_value(bill_dec *out, const bill_determinants *d, size_t i);
/** 1 if quantity i used an estimated reading, 0 if not, -1 out of range. */
BILL_EXTERN int bill_determinants_estimated(const bill_determinants *d, size_t i);
/** The value of register code `code` (BILL_ENOTFOUND if there is none); estimated may be NULL. */
BILL_EXTERN int bill_determinants_get(bill_dec *out, int *estimated, const bill_determinants *d,
                                      const char *code);
/** 1 if any quantity is estimated. */
BILL_EXTERN int bill_determinants_any_estimated(const bill_determinants *d);
/** Days of the period (0 without one). */
BILL_EXTERN int bill_determinants_days(const bill_determinants *d);

/**
 * Set the usage's period and quantities from the computed determinants: TOU
 * kWh for energy codes mapped to a TOU period (then the total is their sum),
 * else kWh from "total"; kvarh the sum of reactive quantities (when there are
 * any); maximum demand the largest demand quantity (when there is one).
 * Other fields of `u` (class, household, capacity, declared demand, PF
 * standard) are the caller's and are left as they are. BILL_ESTATE before a
 * successful compute.
 */
BILL_EXTERN int bill_determinants_to_usage(bill_usage *u, const bill_determinants *d);

/**
 * Fill `d` (reset first) for account `reference` over period p from the
 * store: the account's links overlapping p (segments; shared links with their
 * ratios), sub-meters of its meters (sign -1, over the relation's range inside
 * the link's), each meter's registers, multipliers and the readings inside the
 * period, then compute. BILL_ENOTFOUND for an unknown account; otherwise the
 * errors of bill_determinants_compute and the store's.
 */
BILL_EXTERN int bill_store_determinants(bill_determinants *d, bill_store *s,
                                        const char *reference, bill_period p);

/**
 * Called by bill_store_determinants_each for each account, in order:
 * `reference`, `status` (what bill_store_determinants would have returned for
 * it; bill_errmsg() holds the reason when it is not BILL_OK) and the handle
 * with its determinants (valid, and borrowed, only during the call). Return
 * BILL_OK to go on; any other value stops the iteration and is returned.
 */
typedef int (*bill_determinants_each_fn)(void *ctx, const char *reference, int status,
                                         bill_determinants *d);

/**
 * bill_store_determinants for many accounts at once, much faster: the
 * accounts `accounts[0..naccounts)` in that order, or every account of the
 * store in reference order when `accounts` is NULL. Accounts are taken in
 * chunks of a couple of thousand; per chunk the links, registers,
 * multipliers and the period's readings are read with a few ordered scans
 * (memory: one chunk's data, whatever the store's size). Each account's
 * result (quantities or error) equals bill_store_determinants'; an unknown
 * reference is reported to `fn` with BILL_ENOTFOUND. The reads are not one
 * snapshot unless the caller is inside bill_store_begin; `fn` must not write
 * to the store. Errors of the call itself: BILL_EINVAL (NULL s or fn, a NULL
 * reference), BILL_EDATE (bad period), storage errors, BILL_ENOMEM, or the
 * value `fn` returned to stop.
 */
BILL_EXTERN int bill_store_determinants_each(bill_store *s, bill_period p,
                                             const char *const *accounts, size_t naccounts,
                                             bill_determinants_each_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif /* BILL_DETERMINANTS_H */
