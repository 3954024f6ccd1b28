/*
 * libbill: exact decimal numbers.
 *
 * A bill_dec is the value coefficient × 10^(−scale), exactly, with an
 * arbitrary-precision integer coefficient and a 32-bit scale (the number of
 * digits after the decimal point; negative scales mean trailing zeros before
 * the point, as in Java's BigDecimal). "1.50" has coefficient 150 and scale 2
 * and is printed back as "1.50": the scale is part of the value's identity
 * for formatting, but not for comparison (1.5 == 1.50).
 *
 * Values whose coefficient fits in 64 bits are held inline (the fast path:
 * no allocation, nanoseconds per operation); larger ones move to a GMP
 * integer on the heap transparently, so nothing ever overflows.
 *
 * Memory: a bill_dec is a small value type. Initialise it with BILL_DEC_INIT
 * (or bill_dec_init) and release it with bill_dec_clear() when done, exactly
 * like GMP's mpz_t: a value that stayed small holds no memory, so forgetting
 * bill_dec_clear only leaks for huge values, but always call it. Do not copy
 * the struct with `=` to keep both copies: use bill_dec_copy(). Results may
 * alias operands (bill_dec_add(&a, &a, &b) is fine).
 *
 * Text forms accepted by bill_dec_parse (documented grammar):
 *     [sign] digits [ "." [digits] ] [exponent]
 *   | [sign] "." digits [exponent]
 *     sign     = "+" | "-"
 *     exponent = ("e" | "E") [sign] 1*9digits
 * e.g. "123", "-0.5283", "+1.50", "1.5E+3", ".5", "5.", "1e-7".
 * The exponent lowers the scale: "1.5E+3" has coefficient 15 and scale −2
 * (plain text "1500"). Leading zeros are allowed. Rejected: empty text, any
 * blank (leading, trailing or inner), "1.2.3", "NaN", "inf", hexadecimal,
 * thousands separators, a lone sign or point (all BILL_ESYNTAX); more than
 * BILL_DEC_MAX_DIGITS significant coefficient digits, a text longer than
 * 2 * BILL_DEC_MAX_DIGITS + 20 bytes, and results whose scale would leave
 * [-BILL_DEC_MAX_SCALE, BILL_DEC_MAX_SCALE] (all BILL_ERANGE). Plain text
 * cannot show a negative scale ("1.5E+3" prints as "1500", which reads back
 * with scale 0, and zero prints as "0" whatever its scale): use
 * bill_dec_to_sci_str() where the scale must survive a round trip. There is no negative zero:
 * "-0.00" parses as 0.00.
 *
 * Errors: functions return BILL_OK or a negative bill_status; the detail is
 * in bill_errmsg(). On failure the output is left unchanged.
 */
#ifndef BILL_DECIMAL_H
#define BILL_DECIMAL_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest coefficient accepted by bill_dec_parse, in digits. */
#define BILL_DEC_MAX_DIGITS 1000
/** Largest magnitude of a scale, for parsing and for every operation. */
#define BILL_DEC_MAX_SCALE 100000

/** An exact decimal. Fields are private: use the functions. */
typedef struct bill_dec {
    int64_t coef_;   /* coefficient while big_ == NULL (else internal) */
    int32_t scale_;  /* digits after the point */
    int32_t flags_;  /* 0 while big_ == NULL (else internal) */
    void *big_;      /* heap GMP coefficient when it does not fit in coef_ */
} bill_dec;

/** Initialiser for a zero with scale 0. */
#define BILL_DEC_INIT {0, 0, 0, NULL}

/** Rounding modes, with the semantics of Java's java.math.RoundingMode. */
typedef enum bill_rounding {
    BILL_ROUND_UP = 0,       /* away from zero */
    BILL_ROUND_DOWN,         /* towards zero (truncate) */
    BILL_ROUND_CEILING,      /* towards +infinity */
    BILL_ROUND_FLOOR,        /* towards -infinity */
    BILL_ROUND_HALF_UP,      /* nearest, ties away from zero (四舍五入) */
    BILL_ROUND_HALF_DOWN,    /* nearest, ties towards zero */
    BILL_ROUND_HALF_EVEN,    /* nearest, ties to the even neighbour (banker's) */
    BILL_ROUND_UNNECESSARY   /* exact: BILL_EROUNDING if rounding would change the value */
} bill_rounding;

/** Name of a rounding mode ("HALF_UP"), or NULL for an invalid value. */
BILL_EXTERN const char *bill_rounding_name(int mode);
/** Parse a rounding mode name ("HALF_UP", case-insensitive, '-' or '_'). */
BILL_EXTERN int bill_rounding_parse(int *out, const char *name);

/* ---- life cycle ---------------------------------------------------------- */

/** Set *d to 0 (scale 0). Use on uninitialised memory. */
BILL_EXTERN void bill_dec_init(bill_dec *d);
/** Release memory held by *d and set it to 0. NULL is a no-op. */
BILL_EXTERN void bill_dec_clear(bill_dec *d);
/** *dst = *src (deep copy). */
BILL_EXTERN int bill_dec_copy(bill_dec *dst, const bill_dec *src);
/** *d = v × 10^(−scale). */
BILL_EXTERN int bill_dec_set_i64(bill_dec *d, int64_t v, int32_t scale);

/* ---- text ---------------------------------------------------------------- */

/**
 * Parse `len` bytes of `text` (the grammar above). Pass len = (size_t)-1
 * for a NUL-terminated string. BILL_ESYNTAX or BILL_ERANGE on bad input,
 * with the text and the offending position in bill_errmsg().
 */
BILL_EXTERN int bill_dec_parse(bill_dec *out, const char *text, size_t len);

/**
 * Write the plain text of *d (no exponent, e.g. "-1500", "0.0500") into buf
 * of `cap` bytes, NUL-terminated. Returns the length the text needs
 * (excluding the NUL), like snprintf; the text was written whole only if that
 * is < cap. Returns 0 only for a NULL d.
 */
BILL_EXTERN size_t bill_dec_format(const bill_dec *d, char *buf, size_t cap);
/** Plain text in a new string; free it with bill_free(). NULL on error. */
BILL_EXTERN char *bill_dec_to_str(const bill_dec *d);
/**
 * Scientific text, as the General Decimal Arithmetic to-sci-string and
 * Python's str(Decimal) give it ("1.5E+3", "0.0500", "1E-7"); new string,
 * free with bill_free().
 */
BILL_EXTERN char *bill_dec_to_sci_str(const bill_dec *d);

/* ---- inspection ---------------------------------------------------------- */

/** Digits after the point (negative for trailing zeros before it). */
BILL_EXTERN int32_t bill_dec_scale(const bill_dec *d);
/** -1, 0 or 1. */
BILL_EXTERN int bill_dec_sign(const bill_dec *d);
/** 1 if the value is zero (at any scale). */
BILL_EXTERN int bill_dec_is_zero(const bill_dec *d);
/** Number of digits of the coefficient (1 for zero). */
BILL_EXTERN int32_t bill_dec_precision(const bill_dec *d);
/** 1 if the coefficient is held inline (for tests and benchmarks). */
BILL_EXTERN int bill_dec_is_compact(const bill_dec *d);
/**
 * The value as coefficient and scale when the coefficient fits in int64;
 * BILL_ERANGE otherwise.
 */
BILL_EXTERN int bill_dec_get_i64(const bill_dec *d, int64_t *coef, int32_t *scale);
/**
 * The value in minor units at `scale` (e.g. fen at scale 2) as int64,
 * exactly: BILL_EROUNDING if it has more digits, BILL_ERANGE if too big.
 */
BILL_EXTERN int bill_dec_to_units(const bill_dec *d, int32_t scale, int64_t *out);

/* ---- comparison ---------------------------------------------------------- */

/** Numeric comparison: -1, 0 or 1 (1.5 equals 1.50). */
BILL_EXTERN int bill_dec_cmp(const bill_dec *a, const bill_dec *b);
/** 1 if a and b have the same value AND the same scale. */
BILL_EXTERN int bill_dec_identical(const bill_dec *a, const bill_dec *b);

/* ---- arithmetic (exact) ---------------------------------------------------- */

/** r = a + b; scale = max of the scales. */
BILL_EXTERN int bill_dec_add(bill_dec *r, const bill_dec *a, const bill_dec *b);
/** r = a − b; scale = max of the scales. */
BILL_EXTERN int bill_dec_sub(bill_dec *r, const bill_dec *a, const bill_dec *b);
/** r = a × b; scale = sum of the scales. */
BILL_EXTERN int bill_dec_mul(bill_dec *r, const bill_dec *a, const bill_dec *b);
/** r = −a. */
BILL_EXTERN int bill_dec_neg(bill_dec *r, const bill_dec *a);
/** r = |a|. */
BILL_EXTERN int bill_dec_abs(bill_dec *r, const bill_dec *a);

/* ---- rounding -------------------------------------------------------------- */

/**
 * r = a / b rounded to `scale` digits after the point with `mode`
 * (Java: a.divide(b, scale, mode)). BILL_EDIVZERO if b is zero;
 * BILL_EROUNDING with BILL_ROUND_UNNECESSARY when the quotient is not exact
 * at that scale.
 */
BILL_EXTERN int bill_dec_div(bill_dec *r, const bill_dec *a, const bill_dec *b,
                             int32_t scale, int mode);
/**
 * r = a / b rounded to `precision` significant digits (Java:
 * a.divide(b, new MathContext(precision, mode))); an exact quotient keeps the
 * preferred scale a.scale − b.scale where it can, as the General Decimal
 * Arithmetic specification says. precision >= 1.
 */
BILL_EXTERN int bill_dec_div_prec(bill_dec *r, const bill_dec *a, const bill_dec *b,
                                  int32_t precision, int mode);
/**
 * r = a with exactly `scale` digits after the point (Java setScale): adds
 * zeros, or rounds with `mode`. Quantizing 2.345 to scale 2 HALF_UP gives 2.35.
 */
BILL_EXTERN int bill_dec_rescale(bill_dec *r, const bill_dec *a, int32_t scale, int mode);
/**
 * r = a rounded to `precision` significant digits (Java
 * a.round(new MathContext(precision, mode))); precision 0 means no rounding.
 * A value with no more digits than `precision` is returned unchanged.
 */
BILL_EXTERN int bill_dec_round_prec(bill_dec *r, const bill_dec *a, int32_t precision, int mode);
/**
 * r = a with trailing zeros of the fraction removed, but keeping at least
 * `min_scale` digits after the point (min_scale may be negative).
 */
BILL_EXTERN int bill_dec_trim(bill_dec *r, const bill_dec *a, int32_t min_scale);

/* ---- allocation ------------------------------------------------------------ */

/** Where the indivisible remainder of an allocation goes. */
typedef enum bill_remainder_rule {
    /** One unit each to the first parts, in order (default for equal splits). */
    BILL_REMAINDER_SPREAD_FIRST = 0,
    /** One unit each to the last parts, from the last backwards. */
    BILL_REMAINDER_SPREAD_LAST,
    /** All of it to the first part. */
    BILL_REMAINDER_TO_FIRST,
    /** All of it to the last part (installment plans, commonly). */
    BILL_REMAINDER_TO_LAST,
    /**
     * One unit each to the parts with the largest dropped fractions
     * (Hamilton's method); ties go to the earlier part.
     */
    BILL_REMAINDER_LARGEST_FRACTION
} bill_remainder_rule;

/**
 * Split `total` into n parts with `scale` digits (the unit is 10^-scale),
 * that add up exactly to total. `total` must be representable at `scale`
 * (BILL_EROUNDING otherwise). With ratios == NULL the parts are equal;
 * otherwise part i is proportional to ratios[i] (non-negative, not all zero).
 * Each part first gets its share rounded toward zero; the remaining units
 * (each 10^-scale, carrying the total's sign) are handed out by `rule`.
 * parts[] must hold n initialised values; they are overwritten.
 */
BILL_EXTERN int bill_dec_allocate(bill_dec *parts, size_t n, const bill_dec *total,
                                  const bill_dec *ratios, int32_t scale, int rule);

#ifdef __cplusplus
}
#endif
#endif /* BILL_DECIMAL_H */
