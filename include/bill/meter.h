/*
 * libbill: register arithmetic of meters (电能表示数): the advance between
 * two register readings, rollover (翻转) told apart from a decrease, the
 * multiplier (倍率, CT ratio × PT ratio), and demand from interval energy.
 *
 * A register shows `digits` integer digits and `decimals` digits after the
 * point: a 5-digit register with 1 decimal reads 0.0 .. 99999.9 and its
 * capacity is 10^5 = 100000. After 99999.9 it shows 00000.0 again, so a
 * reading below the previous one is either a rollover (the register wrapped:
 * the advance is capacity − previous + current) or a decrease, which a
 * register cannot do and which is an error (a misread, a swapped meter, a
 * wrong register). A rollover is believed only when the wrapped advance is
 * plausible: at most a stated maximum advance, by default one tenth of the
 * capacity (10^(digits−1): 10000 kWh on a 5-digit register).
 *
 * Everything is exact: readings, advances, multipliers and energies are
 * bill_dec values; energy = advance × multiplier with the scale of the
 * product (the advance's scale plus the multiplier's).
 *
 * Pure functions: no handle, no state. Errors set bill_errmsg() with both
 * readings and the register's shape.
 */
#ifndef BILL_METER_H
#define BILL_METER_H

#include "common.h"
#include "errors.h"
#include "decimal.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest `digits` of a register (integer digits). */
#define BILL_REGISTER_MAX_DIGITS 18
/** Largest `decimals` of a register. */
#define BILL_REGISTER_MAX_DECIMALS 6

/** What happened between two readings of a register. */
typedef enum bill_advance_kind {
    /** current >= previous: the advance is current − previous. */
    BILL_ADVANCE_NORMAL = 0,
    /** current < previous and the wrap is plausible: capacity − previous + current. */
    BILL_ADVANCE_ROLLOVER = 1
} bill_advance_kind;

/**
 * Check that `value` can be shown by a register of `digits` integer digits
 * (1..BILL_REGISTER_MAX_DIGITS) and `decimals` decimals
 * (0..BILL_REGISTER_MAX_DECIMALS): 0 <= value < 10^digits, with no more
 * significant decimals than the register has ("12.50" fits 1 decimal,
 * "12.55" does not). BILL_ERANGE otherwise, BILL_EINVAL for a bad shape.
 */
BILL_EXTERN int bill_register_check(const bill_dec *value, int32_t digits, int32_t decimals);

/**
 * The advance of a register from `previous` to `current` (both checked as
 * by bill_register_check).
 *
 *   out          the raw register advance (>= 0; the scale is the larger of
 *                the two readings' scales)
 *   energy       out × multiplier, exactly (may be NULL)
 *   kind         BILL_ADVANCE_NORMAL or BILL_ADVANCE_ROLLOVER (may be NULL)
 *   multiplier   CT ratio × PT ratio, > 0 (e.g. 200/5 × 10000/100 = 4000);
 *                NULL means 1
 *   max_rollover the largest advance a rollover may explain, > 0; NULL or
 *                zero means the default, 10^(digits−1)
 *
 * When current < previous and capacity − previous + current > max_rollover
 * the register went down: BILL_ERULE, with a message giving both readings
 * and the advance a rollover would have meant. BILL_ERANGE for a reading
 * that does not fit the register, BILL_EINVAL for a bad shape, multiplier
 * or maximum. On failure the outputs are left unchanged.
 */
BILL_EXTERN int bill_register_advance(bill_dec *out, bill_dec *energy, int *kind,
                                      const bill_dec *previous, const bill_dec *current,
                                      int32_t digits, int32_t decimals,
                                      const bill_dec *multiplier, const bill_dec *max_rollover);

/**
 * Average demand in kW over an interval: *out = kwh × 60 / minutes, exactly.
 * `minutes` must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60), so
 * the result is exact (scale of kwh); BILL_EINVAL otherwise. kwh must not be
 * negative (BILL_ERANGE).
 */
BILL_EXTERN int bill_interval_demand_kw(bill_dec *out, const bill_dec *kwh, int32_t minutes);

#ifdef __cplusplus
}
#endif
#endif /* BILL_METER_H */
