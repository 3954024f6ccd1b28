/*
 * Register arithmetic (include/bill/meter.h): reading checks, advance with
 * rollover or decrease, multiplier, and interval demand. Exact decimals only.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* Plain text of d for a message (truncated with "..." if long). */
static const char *dtext(char *buf, size_t cap, const bill_dec *d)
{
    size_t n = bill_dec_format(d, buf, cap);
    if (n >= cap && cap > 4)
        memcpy(buf + cap - 4, "...", 4);
    return buf;
}

static int check_shape(int32_t digits, int32_t decimals)
{
    if (digits < 1 || digits > BILL_REGISTER_MAX_DIGITS)
        return billi_error(BILL_EINVAL, "register: %d digits is not in 1..%d", (int)digits,
                           BILL_REGISTER_MAX_DIGITS);
    if (decimals < 0 || decimals > BILL_REGISTER_MAX_DECIMALS)
        return billi_error(BILL_EINVAL, "register: %d decimals is not in 0..%d", (int)decimals,
                           BILL_REGISTER_MAX_DECIMALS);
    return BILL_OK;
}

static int64_t pow10_i64(int32_t n)
{
    int64_t v = 1;
    while (n-- > 0)
        v *= 10;
    return v;
}

/* The reading check without the shape check; `what` names the reading. */
static int check_value(const bill_dec *v, int32_t digits, int32_t decimals, const char *what)
{
    char a[64];
    if (bill_dec_sign(v) < 0)
        return billi_error(BILL_ERANGE, "register: %s reading %s is negative", what,
                           dtext(a, sizeof a, v));
    bill_dec cap = BILL_DEC_INIT, tmp = BILL_DEC_INIT;
    bill_dec_set_i64(&cap, pow10_i64(digits), 0);
    int over = bill_dec_cmp(v, &cap) >= 0;
    bill_dec_clear(&cap);
    if (over)
        return billi_error(BILL_ERANGE,
                           "register: %s reading %s does not fit %d digits (it must be below %lld)",
                           what, dtext(a, sizeof a, v), (int)digits, (long long)pow10_i64(digits));
    if (bill_dec_scale(v) > decimals) {
        int rc = bill_dec_rescale(&tmp, v, decimals, BILL_ROUND_UNNECESSARY);
        bill_dec_clear(&tmp);
        if (rc != BILL_OK)
            return billi_error(BILL_ERANGE, "register: %s reading %s has more than the %d decimals the register shows",
                               what, dtext(a, sizeof a, v), (int)decimals);
    }
    return BILL_OK;
}

int bill_register_check(const bill_dec *value, int32_t digits, int32_t decimals)
{
    BILLI_CHECK_ARG(value, "value");
    BILLI_TRY(check_shape(digits, decimals));
    return check_value(value, digits, decimals, "the");
}

int bill_register_advance(bill_dec *out, bill_dec *energy, int *kind,
                          const bill_dec *previous, const bill_dec *current,
                          int32_t digits, int32_t decimals,
                          const bill_dec *multiplier, const bill_dec *max_rollover)
{
    char a[64], b[64], c[64], d[64];
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(previous, "previous");
    BILLI_CHECK_ARG(current, "current");
    BILLI_TRY(check_shape(digits, decimals));
    if (multiplier && bill_dec_sign(multiplier) <= 0)
        return billi_error(BILL_EINVAL, "register: multiplier %s is not positive",
                           dtext(a, sizeof a, multiplier));
    if (max_rollover && bill_dec_sign(max_rollover) < 0)
        return billi_error(BILL_EINVAL, "register: the largest rollover advance %s is negative",
                           dtext(a, sizeof a, max_rollover));
    BILLI_TRY(check_value(previous, digits, decimals, "previous"));
    BILLI_TRY(check_value(current, digits, decimals, "current"));

    bill_dec adv = BILL_DEC_INIT, en = BILL_DEC_INIT, cap = BILL_DEC_INIT, lim = BILL_DEC_INIT;
    int k = BILL_ADVANCE_NORMAL, rc;
    if (bill_dec_cmp(current, previous) >= 0) {
        rc = bill_dec_sub(&adv, current, previous);
    } else {
        bill_dec_set_i64(&cap, pow10_i64(digits), 0);
        rc = bill_dec_sub(&adv, &cap, previous);
        if (rc == BILL_OK)
            rc = bill_dec_add(&adv, &adv, current);
        if (rc == BILL_OK) {
            if (max_rollover && !bill_dec_is_zero(max_rollover))
                rc = bill_dec_copy(&lim, max_rollover);
            else
                rc = bill_dec_set_i64(&lim, pow10_i64(digits - 1), 0);
        }
        if (rc == BILL_OK && bill_dec_cmp(&adv, &lim) > 0)
            rc = billi_error(BILL_ERULE,
                             "register: the reading went down from %s to %s; a rollover of the %d-digit "
                             "register would mean an advance of %s, more than the plausible %s",
                             dtext(a, sizeof a, previous), dtext(b, sizeof b, current), (int)digits,
                             dtext(c, sizeof c, &adv), dtext(d, sizeof d, &lim));
        k = BILL_ADVANCE_ROLLOVER;
    }
    if (rc == BILL_OK && energy) {
        if (multiplier)
            rc = bill_dec_mul(&en, &adv, multiplier);
        else
            rc = bill_dec_copy(&en, &adv);
    }
    if (rc == BILL_OK && energy)
        rc = bill_dec_copy(energy, &en);
    if (rc == BILL_OK)
        rc = bill_dec_copy(out, &adv);
    if (rc == BILL_OK && kind)
        *kind = k;
    bill_dec_clear(&adv);
    bill_dec_clear(&en);
    bill_dec_clear(&cap);
    bill_dec_clear(&lim);
    return rc;
}

int bill_interval_demand_kw(bill_dec *out, const bill_dec *kwh, int32_t minutes)
{
    char a[64];
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(kwh, "kwh");
    if (minutes < 1 || minutes > 60 || 60 % minutes != 0)
        return billi_error(BILL_EINVAL, "interval demand: %d minutes does not divide an hour "
                           "(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)", (int)minutes);
    if (bill_dec_sign(kwh) < 0)
        return billi_error(BILL_ERANGE, "interval demand: energy %s kWh is negative",
                           dtext(a, sizeof a, kwh));
    bill_dec f = BILL_DEC_INIT;
    bill_dec_set_i64(&f, 60 / minutes, 0);
    int rc = bill_dec_mul(out, kwh, &f);
    bill_dec_clear(&f);
    return rc;
}
