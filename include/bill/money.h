/*
 * libbill: money (an exact decimal amount in a currency) and the ISO 4217
 * currency table.
 *
 * A bill_money pairs a bill_dec with a currency code. Arithmetic on two
 * amounts of different currencies fails with BILL_ECURRENCY: there is no
 * implicit conversion. Amounts keep whatever scale the arithmetic gives
 * (unit prices times quantities have many digits); bill_money_round() brings
 * an amount to the currency's minor unit (fen for CNY, none for JPY, fils for
 * KWD) with an explicit rounding mode.
 */
#ifndef BILL_MONEY_H
#define BILL_MONEY_H

#include "common.h"
#include "errors.h"
#include "decimal.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A currency from the built-in ISO 4217 table (read-only, static). */
typedef struct bill_currency {
    const char *code;    /* "CNY" */
    int numeric;         /* 156 */
    int minor_units;     /* digits after the point: CNY 2, JPY 0, KWD 3 */
    const char *name;    /* "Chinese yuan renminbi" */
} bill_currency;

/**
 * Look a currency up by its alphabetic code (case-insensitive): *out points
 * into the static table. BILL_ECURRENCY if the code is unknown.
 */
BILL_EXTERN int bill_currency_find(const bill_currency **out, const char *code);
/** Number of currencies in the table, and the i-th (NULL when out of range). */
BILL_EXTERN size_t bill_currency_count(void);
BILL_EXTERN const bill_currency *bill_currency_at(size_t i);

/** An amount of money. Initialise with BILL_MONEY_INIT, release with bill_money_clear. */
typedef struct bill_money {
    bill_dec amount;
    char currency[4];    /* ISO code, NUL-terminated; "" when unset */
} bill_money;

#define BILL_MONEY_INIT {BILL_DEC_INIT, {0, 0, 0, 0}}

BILL_EXTERN void bill_money_init(bill_money *m);
BILL_EXTERN void bill_money_clear(bill_money *m);
BILL_EXTERN int bill_money_copy(bill_money *dst, const bill_money *src);

/** m = amount in currency (checked against the table). */
BILL_EXTERN int bill_money_set(bill_money *m, const bill_dec *amount, const char *currency);
/** Parse "123.45" with a separate currency code. */
BILL_EXTERN int bill_money_parse(bill_money *m, const char *amount, const char *currency);
/**
 * Text "CNY 123.45" (code, one space, plain amount) into a new string; free
 * with bill_free().
 */
BILL_EXTERN char *bill_money_to_str(const bill_money *m);

/** r = a + b; BILL_ECURRENCY if the currencies differ. */
BILL_EXTERN int bill_money_add(bill_money *r, const bill_money *a, const bill_money *b);
/** r = a − b; BILL_ECURRENCY if the currencies differ. */
BILL_EXTERN int bill_money_sub(bill_money *r, const bill_money *a, const bill_money *b);
/** r = a × factor (a quantity or a rate: no currency). */
BILL_EXTERN int bill_money_mul(bill_money *r, const bill_money *a, const bill_dec *factor);
/** r = −a. */
BILL_EXTERN int bill_money_neg(bill_money *r, const bill_money *a);
/** Numeric comparison into *out (-1/0/1); BILL_ECURRENCY if the currencies differ. */
BILL_EXTERN int bill_money_cmp(int *out, const bill_money *a, const bill_money *b);
/** r = a rounded to the currency's minor units with `mode`. */
BILL_EXTERN int bill_money_round(bill_money *r, const bill_money *a, int mode);

/**
 * Split `total` into n parts in the currency's minor units, equal
 * (ratios == NULL) or by ratios, adding up exactly to total; see
 * bill_dec_allocate() for the remainder rules. total must already be in minor
 * units (round it first), else BILL_EROUNDING. parts[] must hold n initialised
 * values.
 */
BILL_EXTERN int bill_money_allocate(bill_money *parts, size_t n, const bill_money *total,
                                    const bill_dec *ratios, int rule);

#ifdef __cplusplus
}
#endif
#endif /* BILL_MONEY_H */
