/*
 * libbill: exact decimal numbers.
 *
 * A bill_dec is coefficient × 10^(−scale). While the coefficient fits in an
 * int64 (INT64_MIN excluded, so negation never overflows) it lives in coef_
 * and big_ is NULL: the compact fast path, which every hot function tries
 * first with overflow-checked 64-bit arithmetic (128-bit intermediates where
 * that avoids a detour). Anything larger lives in a heap mpz_t pointed to by
 * big_; the GMP code is kept in separate, non-inlined functions. Every result
 * is normalised: a coefficient that fits in int64 is always held compact, so
 * "compact" and "fits in int64" are the same thing.
 *
 * No binary floating point is used anywhere in this file.
 */
#include "internal.h"

#include <gmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 dec_i128;
__extension__ typedef unsigned __int128 dec_u128;

#if defined(__GNUC__) || defined(__clang__)
#  define DEC_NOINLINE __attribute__((noinline))
#  define DEC_COLD __attribute__((noinline, cold))
#else
#  define DEC_NOINLINE
#  define DEC_COLD
#endif

#define LIKELY BILLI_LIKELY
#define UNLIKELY BILLI_UNLIKELY

/** Largest precision (significant digits) bill_dec_div_prec computes. */
#define DEC_MAX_PRECISION 1000000
/** Longest text bill_dec_parse looks at. */
#define DEC_MAX_TEXT (2 * BILL_DEC_MAX_DIGITS + 20)

static const int64_t dec_pow10[19] = {
    INT64_C(1),
    INT64_C(10),
    INT64_C(100),
    INT64_C(1000),
    INT64_C(10000),
    INT64_C(100000),
    INT64_C(1000000),
    INT64_C(10000000),
    INT64_C(100000000),
    INT64_C(1000000000),
    INT64_C(10000000000),
    INT64_C(100000000000),
    INT64_C(1000000000000),
    INT64_C(10000000000000),
    INT64_C(100000000000000),
    INT64_C(1000000000000000),
    INT64_C(10000000000000000),
    INT64_C(100000000000000000),
    INT64_C(1000000000000000000),
};

static const char *const dec_mode_names[] = {
    "UP", "DOWN", "CEILING", "FLOOR", "HALF_UP", "HALF_DOWN", "HALF_EVEN", "UNNECESSARY",
};

#define BIG(d) ((mpz_ptr)(d)->big_)

static inline int scale_ok(int64_t s)
{
    return s >= -BILL_DEC_MAX_SCALE && s <= BILL_DEC_MAX_SCALE;
}

static inline int mode_ok(int mode)
{
    return (unsigned)mode <= (unsigned)BILL_ROUND_UNNECESSARY;
}

/* ---- error helpers (cold) ------------------------------------------------ */

/* Short scientific text of d for messages, truncated with "..." */
static const char *dec_show(const bill_dec *d, char *buf, size_t cap);

static DEC_COLD int err_mode(const char *op, int mode)
{
    return billi_error(BILL_EINVAL, "decimal: %s: invalid rounding mode %d", op, mode);
}

static DEC_COLD int err_scale(const char *op, int64_t scale)
{
    return billi_error(BILL_ERANGE,
                       "decimal: %s: result scale %lld is outside [-%d, %d]", op,
                       (long long)scale, BILL_DEC_MAX_SCALE, BILL_DEC_MAX_SCALE);
}

static DEC_COLD int err_round(const char *op, const bill_dec *a, int64_t target, const char *what)
{
    char t[64];
    return billi_error(BILL_EROUNDING,
                       "decimal: %s: %s to %lld %s needs rounding, but the mode is UNNECESSARY",
                       op, dec_show(a, t, sizeof t), (long long)target, what);
}

static DEC_COLD int err_divzero(const char *op, const bill_dec *a)
{
    char t[64];
    return billi_error(BILL_EDIVZERO, "decimal: %s: division of %s by zero", op,
                       dec_show(a, t, sizeof t));
}

static DEC_COLD int err_nomem(const char *op)
{
    return billi_error(BILL_ENOMEM, "decimal: %s: out of memory", op);
}

/* ---- GMP helpers --------------------------------------------------------- */

static void z_set_i64(mpz_ptr z, int64_t v)
{
#if LONG_MAX >= INT64_MAX
    mpz_set_si(z, (long)v);
#else
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    mpz_import(z, 1, -1, sizeof u, 0, 0, &u);
    if (v < 0)
        mpz_neg(z, z);
#endif
}

/* 1 with *out = z when |z| < 2^63 (so INT64_MIN never comes out), else 0. */
static int z_get_i64(mpz_srcptr z, int64_t *out)
{
    if (mpz_sizeinbase(z, 2) > 63)
        return 0;
#if LONG_MAX >= INT64_MAX
    *out = (int64_t)mpz_get_si(z);
#else
    {
        uint64_t u = 0;
        mpz_export(&u, NULL, -1, sizeof u, 0, 0, z);
        *out = mpz_sgn(z) < 0 ? -(int64_t)u : (int64_t)u;
    }
#endif
    return 1;
}

static void z_set_i128(mpz_ptr z, dec_i128 v)
{
    dec_u128 u = v < 0 ? (dec_u128)0 - (dec_u128)v : (dec_u128)v;
    uint64_t w[2];
    w[0] = (uint64_t)u;
    w[1] = (uint64_t)(u >> 64);
    mpz_import(z, 2, -1, sizeof w[0], 0, 0, w);
    if (v < 0)
        mpz_neg(z, z);
}

static void z_pow10(mpz_ptr z, uint64_t n)
{
    if (n <= 18) {
        z_set_i64(z, dec_pow10[n]);
    } else {
        mpz_ui_pow_ui(z, 10, (unsigned long)n);
    }
}

/* r = a × 10^n */
static void z_mul_pow10(mpz_ptr r, mpz_srcptr a, uint64_t n)
{
    if (n == 0) {
        mpz_set(r, a);
#if ULONG_MAX >= 1000000000000000000u
    } else if (n <= 18) {
        mpz_mul_ui(r, a, (unsigned long)dec_pow10[n]);
#endif
    } else {
        mpz_t p;
        mpz_init(p);
        z_pow10(p, n);
        mpz_mul(r, a, p);
        mpz_clear(p);
    }
}

/* Number of decimal digits of |z| (1 for zero). */
static uint64_t z_digits(mpz_srcptr z)
{
    size_t n;
    if (mpz_sgn(z) == 0)
        return 1;
    n = mpz_sizeinbase(z, 10); /* exact or one too many */
    if (n > 1) {
        mpz_t p;
        mpz_init(p);
        z_pow10(p, n - 1);
        if (mpz_cmpabs(z, p) < 0)
            n--;
        mpz_clear(p);
    }
    return n;
}

/* Number of decimal digits of |v| (1 for zero). */
static inline int u64_digits(uint64_t u)
{
    int n = 1;
    while (n < 19 && u >= (uint64_t)dec_pow10[n])
        n++;
    return n;
}

static inline uint64_t i64_abs(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* A read-only mpz view of a bill_dec's coefficient. */
typedef struct zview {
    mpz_t tmp;
    mpz_srcptr p;
} zview;

static void zv_get(zview *v, const bill_dec *d)
{
    mpz_init(v->tmp);
    if (d->big_) {
        v->p = BIG(d);
    } else {
        z_set_i64(v->tmp, d->coef_);
        v->p = v->tmp;
    }
}

static void zv_done(zview *v) { mpz_clear(v->tmp); }

/* ---- storing results ----------------------------------------------------- */

static DEC_NOINLINE void big_free(bill_dec *d)
{
    mpz_clear(BIG(d));
    free(d->big_);
    d->big_ = NULL;
}

static inline void set_compact(bill_dec *r, int64_t c, int32_t scale)
{
    if (UNLIKELY(r->big_ != NULL))
        big_free(r);
    r->coef_ = c;
    r->scale_ = scale;
    r->flags_ = 0;
}

/*
 * r = z × 10^-scale. Takes z's value (z is left with some value the caller
 * clears). Demotes to compact when it fits. Fails only with BILL_ENOMEM,
 * leaving r unchanged.
 */
static int set_big(bill_dec *r, mpz_ptr z, int32_t scale)
{
    int64_t c;
    if (z_get_i64(z, &c)) {
        set_compact(r, c, scale);
        return BILL_OK;
    }
    if (!r->big_) {
        mpz_ptr p = malloc(sizeof *p);
        if (!p)
            return err_nomem("store");
        mpz_init(p);
        r->big_ = p;
    }
    mpz_swap(BIG(r), z);
    r->coef_ = 0;
    r->scale_ = scale;
    r->flags_ = 0;
    return BILL_OK;
}

static int set_i128(bill_dec *r, dec_i128 v, int32_t scale)
{
    if (v > -(dec_i128)INT64_MAX - 1 && v <= INT64_MAX) {
        set_compact(r, (int64_t)v, scale);
        return BILL_OK;
    } else {
        mpz_t z;
        int rc;
        mpz_init(z);
        z_set_i128(z, v);
        rc = set_big(r, z, scale);
        mpz_clear(z);
        return rc;
    }
}

/* ---- rounding decisions -------------------------------------------------- */

/*
 * Whether a quotient truncated towards zero gets one more unit away from
 * zero. sign: of the exact value; half: the dropped part compared with half
 * a unit (-1, 0, 1); odd: the truncated quotient is odd. The dropped part is
 * nonzero. Returns 1, 0, or -1 when the mode is UNNECESSARY.
 */
static inline int round_inc(int mode, int sign, int half, int odd)
{
    switch (mode) {
    case BILL_ROUND_UP:        return 1;
    case BILL_ROUND_DOWN:      return 0;
    case BILL_ROUND_CEILING:   return sign > 0;
    case BILL_ROUND_FLOOR:     return sign < 0;
    case BILL_ROUND_HALF_UP:   return half >= 0;
    case BILL_ROUND_HALF_DOWN: return half > 0;
    case BILL_ROUND_HALF_EVEN: return half > 0 || (half == 0 && odd);
    default:                   return -1;
    }
}

/* *q = c / 10^n rounded by mode (1 <= n <= 18). -1 if rounding is forbidden. */
static inline int i64_div_round(int64_t c, int n, int mode, int64_t *q)
{
    int64_t p = dec_pow10[n];
    int64_t qq = c / p, rem = c % p;
    if (LIKELY(rem != 0)) {
        uint64_t twice = 2 * i64_abs(rem);
        int half = twice < (uint64_t)p ? -1 : twice > (uint64_t)p;
        int sign = c < 0 ? -1 : 1;
        int inc = round_inc(mode, sign, half, (int)(qq & 1));
        if (inc < 0)
            return -1;
        qq += inc * sign;
    }
    *q = qq;
    return 0;
}

/* The same for 128-bit numerator and a positive or negative denominator. */
static int i128_div_round(dec_i128 num, dec_i128 den, int mode, dec_i128 *q)
{
    dec_i128 qq = num / den, rem = num % den;
    if (rem != 0) {
        dec_u128 ar = rem < 0 ? (dec_u128)0 - (dec_u128)rem : (dec_u128)rem;
        dec_u128 ad = den < 0 ? (dec_u128)0 - (dec_u128)den : (dec_u128)den;
        int half = 2 * ar < ad ? -1 : 2 * ar > ad;
        int sign = ((num < 0) != (den < 0)) ? -1 : 1;
        int inc = round_inc(mode, sign, half, (int)(qq & 1));
        if (inc < 0)
            return -1;
        qq += inc * sign;
    }
    *q = qq;
    return 0;
}

/* q = n / den rounded by mode; q may alias n. -1 if rounding is forbidden. */
static int z_div_round(mpz_ptr q, mpz_srcptr n, mpz_srcptr den, int mode)
{
    int sign = mpz_sgn(n) * mpz_sgn(den);
    int rc = 0;
    mpz_t rem;
    mpz_init(rem);
    mpz_tdiv_qr(q, rem, n, den);
    if (mpz_sgn(rem) != 0) {
        int half, inc;
        mpz_mul_2exp(rem, rem, 1);
        half = mpz_cmpabs(rem, den);
        half = half < 0 ? -1 : half > 0;
        inc = round_inc(mode, sign, half, mpz_odd_p(q));
        if (inc < 0)
            rc = -1;
        else if (inc)
            (sign > 0 ? mpz_add_ui : mpz_sub_ui)(q, q, 1);
    }
    mpz_clear(rem);
    return rc;
}

/* q = n / 10^k rounded by mode. */
static int z_div_pow10_round(mpz_ptr q, mpz_srcptr n, uint64_t k, int mode)
{
    int rc;
    mpz_t p;
    mpz_init(p);
    z_pow10(p, k);
    rc = z_div_round(q, n, p, mode);
    mpz_clear(p);
    return rc;
}

/* ---- rounding mode names ------------------------------------------------- */

const char *bill_rounding_name(int mode)
{
    return mode_ok(mode) ? dec_mode_names[mode] : NULL;
}

int bill_rounding_parse(int *out, const char *name)
{
    char norm[16];
    size_t i, n, skip = 0;
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(name, "name");
    n = strlen(name);
    /* an optional "ROUND_" prefix, as Python's decimal module spells them */
    if (n > 6 && (name[5] == '_' || name[5] == '-')) {
        skip = 6;
        for (i = 0; i < 5; i++)
            if ((name[i] & ~0x20) != "ROUND"[i])
                skip = 0;
    }
    if (n - skip < sizeof norm) {
        for (i = skip; i < n; i++) {
            char c = name[i];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            else if (c == '-')
                c = '_';
            norm[i - skip] = c;
        }
        norm[n - skip] = '\0';
        for (i = 0; i < sizeof dec_mode_names / sizeof dec_mode_names[0]; i++) {
            if (strcmp(norm, dec_mode_names[i]) == 0) {
                *out = (int)i;
                return BILL_OK;
            }
        }
    }
    {
        char q[80];
        billi_quote(q, sizeof q, name, n);
        return billi_error(BILL_ESYNTAX,
                           "decimal: unknown rounding mode '%s' (expected UP, DOWN, CEILING, "
                           "FLOOR, HALF_UP, HALF_DOWN, HALF_EVEN or UNNECESSARY)", q);
    }
}

/* ---- life cycle ---------------------------------------------------------- */

void bill_dec_init(bill_dec *d)
{
    if (!d)
        return;
    d->coef_ = 0;
    d->scale_ = 0;
    d->flags_ = 0;
    d->big_ = NULL;
}

void bill_dec_clear(bill_dec *d)
{
    if (!d)
        return;
    if (d->big_)
        big_free(d);
    d->coef_ = 0;
    d->scale_ = 0;
    d->flags_ = 0;
}

static DEC_NOINLINE int copy_big(bill_dec *dst, const bill_dec *src)
{
    if (!dst->big_) {
        mpz_ptr p = malloc(sizeof *p);
        if (!p)
            return err_nomem("copy");
        mpz_init_set(p, BIG(src));
        dst->big_ = p;
    } else {
        mpz_set(BIG(dst), BIG(src));
    }
    dst->coef_ = 0;
    dst->scale_ = src->scale_;
    dst->flags_ = 0;
    return BILL_OK;
}

int bill_dec_copy(bill_dec *dst, const bill_dec *src)
{
    BILLI_CHECK_ARG(dst, "dst");
    BILLI_CHECK_ARG(src, "src");
    if (dst == src)
        return BILL_OK;
    if (LIKELY(!src->big_)) {
        set_compact(dst, src->coef_, src->scale_);
        return BILL_OK;
    }
    return copy_big(dst, src);
}

int bill_dec_set_i64(bill_dec *d, int64_t v, int32_t scale)
{
    BILLI_CHECK_ARG(d, "d");
    if (UNLIKELY(!scale_ok(scale)))
        return billi_error(BILL_ERANGE, "decimal: set_i64: scale %ld is outside [-%d, %d]",
                           (long)scale, BILL_DEC_MAX_SCALE, BILL_DEC_MAX_SCALE);
    if (UNLIKELY(v == INT64_MIN)) {
        mpz_t z;
        int rc;
        mpz_init(z);
        z_set_i64(z, v);
        rc = set_big(d, z, scale);
        mpz_clear(z);
        return rc;
    }
    set_compact(d, v, scale);
    return BILL_OK;
}

/* ---- parsing ------------------------------------------------------------- */

static DEC_COLD BILLI_PRINTF(4, 5) int parse_fail(int code, const char *text, size_t len,
                                                  const char *fmt, ...)
{
    char q[128], detail[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    billi_quote(q, sizeof q, text, len);
    return billi_error(code, "decimal: '%s': %s", q, detail);
}

/* "'x'" or "'\x00'" for a message */
static void show_char(char *out, size_t cap, unsigned char c)
{
    if (c >= 0x20 && c < 0x7f && c != '\\')
        snprintf(out, cap, "'%c'", c);
    else
        snprintf(out, cap, "'\\x%02x'", c);
}

static DEC_COLD int parse_unexpected(const char *text, size_t len, size_t at, const char *hint)
{
    char c[12];
    show_char(c, sizeof c, (unsigned char)text[at]);
    return parse_fail(BILL_ESYNTAX, text, len, "unexpected %s at offset %zu%s", c, at, hint);
}

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }

int bill_dec_parse(bill_dec *out, const char *text, size_t len)
{
    size_t i = 0, int_start, int_end, frac_start, frac_end, ndig, first_sig, sig;
    int neg = 0, has_point = 0;
    int64_t exp = 0, scale;

    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(text, "text");
    if (len == (size_t)-1)
        len = strlen(text);
    if (len == 0)
        return parse_fail(BILL_ESYNTAX, text, len, "empty text");
    if (UNLIKELY(len > DEC_MAX_TEXT))
        return parse_fail(BILL_ERANGE, text, len, "text of %zu bytes is too long (at most %d)",
                          len, DEC_MAX_TEXT);

    if (text[0] == '+' || text[0] == '-') {
        neg = text[0] == '-';
        i = 1;
    }
    int_start = i;
    while (i < len && is_digit(text[i]))
        i++;
    int_end = i;
    frac_start = frac_end = i;
    if (i < len && text[i] == '.') {
        has_point = 1;
        i++;
        frac_start = i;
        while (i < len && is_digit(text[i]))
            i++;
        frac_end = i;
    }
    ndig = (int_end - int_start) + (frac_end - frac_start);
    if (ndig == 0) {
        if (i < len && !(has_point && (text[i] == 'e' || text[i] == 'E')))
            return parse_unexpected(text, len, i, int_start == i ? " (expected a digit)" : "");
        return parse_fail(BILL_ESYNTAX, text, len, "no digits%s",
                          has_point ? " around the decimal point"
                                    : (int_start > 0 ? " after the sign" : ""));
    }
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        size_t es;
        int eneg = 0;
        i++;
        if (i < len && (text[i] == '+' || text[i] == '-')) {
            eneg = text[i] == '-';
            i++;
        }
        es = i;
        while (i < len && is_digit(text[i]))
            i++;
        if (i == es) {
            if (i < len)
                return parse_unexpected(text, len, i, " (expected exponent digits)");
            return parse_fail(BILL_ESYNTAX, text, len, "missing exponent digits at offset %zu",
                              i);
        }
        if (i - es > 9)
            return parse_fail(BILL_ESYNTAX, text, len,
                              "exponent at offset %zu has %zu digits (at most 9)", es, i - es);
        for (size_t k = es; k < i; k++)
            exp = exp * 10 + (text[k] - '0');
        if (eneg)
            exp = -exp;
    }
    if (i < len)
        return parse_unexpected(text, len, i,
                                (text[i] == '.' && has_point) ? " (second decimal point)" : "");

    /* significant digits: skip leading zeros of the integer part, then of the fraction */
    first_sig = int_start;
    while (first_sig < int_end && text[first_sig] == '0')
        first_sig++;
    if (first_sig == int_end) {
        first_sig = frac_start;
        while (first_sig < frac_end && text[first_sig] == '0')
            first_sig++;
        sig = frac_end - first_sig;
    } else {
        sig = (int_end - first_sig) + (frac_end - frac_start);
    }
    if (sig > BILL_DEC_MAX_DIGITS)
        return parse_fail(BILL_ERANGE, text, len,
                          "%zu significant digits (at most %d)", sig, BILL_DEC_MAX_DIGITS);
    scale = (int64_t)(frac_end - frac_start) - exp;
    if (!scale_ok(scale))
        return parse_fail(BILL_ERANGE, text, len, "scale %lld is outside [-%d, %d]",
                          (long long)scale, BILL_DEC_MAX_SCALE, BILL_DEC_MAX_SCALE);

    if (LIKELY(sig <= 18)) {
        int64_t c = 0;
        for (size_t k = first_sig; k < frac_end; k++)
            if (text[k] != '.')
                c = c * 10 + (text[k] - '0');
        set_compact(out, neg ? -c : c, (int32_t)scale);
        return BILL_OK;
    } else {
        char *buf = malloc(sig + 1);
        size_t o = 0;
        int rc;
        mpz_t z;
        if (!buf)
            return err_nomem("parse");
        for (size_t k = first_sig; k < frac_end; k++)
            if (text[k] != '.')
                buf[o++] = text[k];
        buf[o] = '\0';
        mpz_init(z);
        mpz_set_str(z, buf, 10);
        free(buf);
        if (neg)
            mpz_neg(z, z);
        rc = set_big(out, z, (int32_t)scale);
        mpz_clear(z);
        return rc;
    }
}

/* ---- formatting ---------------------------------------------------------- */

/* Frees a string mpz_get_str allocated (NULL is a no-op). */
static void gmp_free_str(char *s, size_t size)
{
    void (*freefunc)(void *, size_t);
    if (!s)
        return;
    mp_get_memory_functions(NULL, NULL, &freefunc);
    freefunc(s, size);
}

typedef struct dec_writer {
    char *buf;
    size_t room; /* bytes that may be written, excluding the NUL */
    size_t n;    /* bytes the text needs */
} dec_writer;

static void w_put(dec_writer *w, const char *s, size_t len)
{
    if (w->n < w->room) {
        size_t k = w->room - w->n;
        memcpy(w->buf + w->n, s, len < k ? len : k);
    }
    w->n += len;
}

static void w_rep(dec_writer *w, char c, size_t len)
{
    if (w->n < w->room) {
        size_t k = w->room - w->n;
        memset(w->buf + w->n, c, len < k ? len : k);
    }
    w->n += len;
}

/* Writes d's text (GMP's allocator, which aborts when memory runs out, holds big digits). */
static void format_into(const bill_dec *d, int sci, dec_writer *w)
{
    char small[24];
    char *digits, *heap = NULL;
    size_t nd, heap_size = 0;
    int neg;
    int64_t scale = d->scale_;

    if (!d->big_) {
        uint64_t u = i64_abs(d->coef_);
        char *p = small + sizeof small;
        neg = d->coef_ < 0;
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        digits = p;
        nd = (size_t)(small + sizeof small - p);
    } else {
        mpz_srcptr z = BIG(d);
        neg = mpz_sgn(z) < 0;
        heap = mpz_get_str(NULL, 10, z);
        heap_size = strlen(heap) + 1;
        digits = heap + neg; /* skip the '-' */
        nd = strlen(digits);
    }
    if (neg)
        w_put(w, "-", 1);
    if (sci) {
        int64_t adj = -scale + (int64_t)nd - 1;
        if (!(scale >= 0 && adj >= -6)) {
            char e[24];
            w_put(w, digits, 1);
            if (nd > 1) {
                w_put(w, ".", 1);
                w_put(w, digits + 1, nd - 1);
            }
            snprintf(e, sizeof e, "E%c%lld", adj < 0 ? '-' : '+',
                     (long long)(adj < 0 ? -adj : adj));
            w_put(w, e, strlen(e));
            gmp_free_str(heap, heap_size);
            return;
        }
    }
    if (scale <= 0) {
        w_put(w, digits, nd);
        if (scale < 0 && !(nd == 1 && digits[0] == '0'))
            w_rep(w, '0', (size_t)-scale);
    } else if (nd > (size_t)scale) {
        w_put(w, digits, nd - (size_t)scale);
        w_put(w, ".", 1);
        w_put(w, digits + nd - (size_t)scale, (size_t)scale);
    } else {
        w_put(w, "0.", 2);
        w_rep(w, '0', (size_t)scale - nd);
        w_put(w, digits, nd);
    }
    gmp_free_str(heap, heap_size);
}

static size_t format_buf(const bill_dec *d, int sci, char *buf, size_t cap)
{
    dec_writer w;
    w.buf = buf;
    w.room = (buf && cap) ? cap - 1 : 0;
    w.n = 0;
    format_into(d, sci, &w);
    if (buf && cap)
        buf[w.n < w.room ? w.n : w.room] = '\0';
    return w.n;
}

static char *format_alloc(const bill_dec *d, int sci)
{
    size_t n;
    char *s;
    if (!d) {
        billi_error(BILL_EINVAL, "decimal: to_str: argument 'd' is NULL");
        return NULL;
    }
    n = format_buf(d, sci, NULL, 0);
    s = n ? malloc(n + 1) : NULL;
    if (!s) {
        err_nomem("to_str");
        return NULL;
    }
    format_buf(d, sci, s, n + 1);
    return s;
}

size_t bill_dec_format(const bill_dec *d, char *buf, size_t cap)
{
    if (!d) {
        if (buf && cap)
            buf[0] = '\0';
        return 0;
    }
    return format_buf(d, 0, buf, cap);
}

char *bill_dec_to_str(const bill_dec *d) { return format_alloc(d, 0); }

char *bill_dec_to_sci_str(const bill_dec *d) { return format_alloc(d, 1); }

static const char *dec_show(const bill_dec *d, char *buf, size_t cap)
{
    size_t n = format_buf(d, 1, buf, cap);
    if (n >= cap && cap > 4)
        memcpy(buf + cap - 4, "...", 4);
    return buf;
}

/* ---- inspection ---------------------------------------------------------- */

int32_t bill_dec_scale(const bill_dec *d) { return d ? d->scale_ : 0; }

int bill_dec_sign(const bill_dec *d)
{
    if (!d)
        return 0;
    if (LIKELY(!d->big_))
        return (d->coef_ > 0) - (d->coef_ < 0);
    return mpz_sgn(BIG(d));
}

int bill_dec_is_zero(const bill_dec *d) { return d && !d->big_ && d->coef_ == 0; }

int32_t bill_dec_precision(const bill_dec *d)
{
    uint64_t n;
    if (!d)
        return 0;
    if (LIKELY(!d->big_))
        return u64_digits(i64_abs(d->coef_));
    n = z_digits(BIG(d));
    return n > INT32_MAX ? INT32_MAX : (int32_t)n;
}

int bill_dec_is_compact(const bill_dec *d) { return d && !d->big_; }

int bill_dec_get_i64(const bill_dec *d, int64_t *coef, int32_t *scale)
{
    BILLI_CHECK_ARG(d, "d");
    if (d->big_) {
        char t[64];
        return billi_error(BILL_ERANGE,
                           "decimal: get_i64: the coefficient of %s does not fit in 64 bits",
                           dec_show(d, t, sizeof t));
    }
    if (coef)
        *coef = d->coef_;
    if (scale)
        *scale = d->scale_;
    return BILL_OK;
}

static DEC_COLD int err_units(int code, const bill_dec *d, int32_t scale)
{
    char t[64];
    if (code == BILL_EROUNDING)
        return billi_error(code, "decimal: to_units: %s has more than %ld digits after the point",
                           dec_show(d, t, sizeof t), (long)scale);
    return billi_error(code, "decimal: to_units: %s at scale %ld does not fit in 64 bits",
                       dec_show(d, t, sizeof t), (long)scale);
}

static DEC_NOINLINE int to_units_big(const bill_dec *d, int32_t scale, int64_t *out)
{
    int64_t diff = (int64_t)d->scale_ - scale, v;
    int ok;
    mpz_t q;
    if (diff <= 0) /* a big coefficient only grows */
        return err_units(BILL_ERANGE, d, scale);
    if ((uint64_t)diff >= z_digits(BIG(d)))
        return err_units(BILL_EROUNDING, d, scale);
    mpz_init(q);
    z_pow10(q, (uint64_t)diff);
    if (!mpz_divisible_p(BIG(d), q)) {
        mpz_clear(q);
        return err_units(BILL_EROUNDING, d, scale);
    }
    mpz_divexact(q, BIG(d), q);
    ok = z_get_i64(q, &v);
    mpz_clear(q);
    if (!ok)
        return err_units(BILL_ERANGE, d, scale);
    *out = v;
    return BILL_OK;
}

int bill_dec_to_units(const bill_dec *d, int32_t scale, int64_t *out)
{
    int64_t c, diff;
    BILLI_CHECK_ARG(d, "d");
    BILLI_CHECK_ARG(out, "out");
    if (d->big_)
        return to_units_big(d, scale, out);
    c = d->coef_;
    if (c == 0) {
        *out = 0;
        return BILL_OK;
    }
    diff = (int64_t)scale - d->scale_;
    if (diff >= 0) {
        int64_t v;
        if (diff > 18 || __builtin_mul_overflow(c, dec_pow10[diff], &v) || v == INT64_MIN)
            return err_units(BILL_ERANGE, d, scale);
        *out = v;
    } else {
        if (-diff > 18 || c % dec_pow10[-diff] != 0)
            return err_units(BILL_EROUNDING, d, scale);
        *out = c / dec_pow10[-diff];
    }
    return BILL_OK;
}

/* ---- comparison ---------------------------------------------------------- */

static DEC_NOINLINE int cmp_compact_scaled(int64_t x, int32_t sx, int64_t y, int32_t sy)
{
    int gx = (x > 0) - (x < 0), gy = (y > 0) - (y < 0);
    if (gx != gy || gx == 0)
        return (gx > gy) - (gx < gy);
    if (sx < sy) {
        int32_t d = sy - sx;
        dec_i128 X;
        if (d > 18) /* |x| × 10^19 > any int64 */
            return gx;
        X = (dec_i128)x * dec_pow10[d];
        return (X > y) - (X < y);
    } else {
        int32_t d = sx - sy;
        dec_i128 Y;
        if (d > 18)
            return -gx;
        Y = (dec_i128)y * dec_pow10[d];
        return (x > Y) - (x < Y);
    }
}

static DEC_NOINLINE int cmp_slow(const bill_dec *a, const bill_dec *b)
{
    int ga = bill_dec_sign(a), gb = bill_dec_sign(b), r;
    zview x, y;
    mpz_t t;
    if (ga != gb || ga == 0)
        return (ga > gb) - (ga < gb);
    zv_get(&x, a);
    zv_get(&y, b);
    mpz_init(t);
    if (a->scale_ < b->scale_) {
        z_mul_pow10(t, x.p, (uint64_t)((int64_t)b->scale_ - a->scale_));
        r = mpz_cmp(t, y.p);
    } else if (a->scale_ > b->scale_) {
        z_mul_pow10(t, y.p, (uint64_t)((int64_t)a->scale_ - b->scale_));
        r = mpz_cmp(x.p, t);
    } else {
        r = mpz_cmp(x.p, y.p);
    }
    mpz_clear(t);
    zv_done(&x);
    zv_done(&y);
    return (r > 0) - (r < 0);
}

int bill_dec_cmp(const bill_dec *a, const bill_dec *b)
{
    if (UNLIKELY(!a || !b))
        return (a != NULL) - (b != NULL);
    if (LIKELY(!a->big_ && !b->big_)) {
        int64_t x = a->coef_, y = b->coef_;
        if (LIKELY(a->scale_ == b->scale_))
            return (x > y) - (x < y);
        return cmp_compact_scaled(x, a->scale_, y, b->scale_);
    }
    return cmp_slow(a, b);
}

int bill_dec_identical(const bill_dec *a, const bill_dec *b)
{
    if (!a || !b)
        return a == b;
    return a->scale_ == b->scale_ && bill_dec_cmp(a, b) == 0;
}

/* ---- addition, subtraction, multiplication ------------------------------- */

static DEC_NOINLINE int addsub_slow(bill_dec *r, const bill_dec *a, const bill_dec *b, int sub)
{
    int32_t s = a->scale_ > b->scale_ ? a->scale_ : b->scale_;
    int rc;
    zview x, y;
    mpz_t t, u;
    zv_get(&x, a);
    zv_get(&y, b);
    mpz_init(t);
    mpz_init(u);
    z_mul_pow10(t, x.p, (uint64_t)((int64_t)s - a->scale_));
    z_mul_pow10(u, y.p, (uint64_t)((int64_t)s - b->scale_));
    if (sub)
        mpz_sub(t, t, u);
    else
        mpz_add(t, t, u);
    zv_done(&x);
    zv_done(&y);
    rc = set_big(r, t, s);
    mpz_clear(t);
    mpz_clear(u);
    return rc;
}

/* Aligns x and y to the larger scale in int64; 0 if that overflows. */
static inline int align_compact(int64_t *x, int32_t sx, int64_t *y, int32_t sy)
{
    if (sx < sy) {
        int32_t d = sy - sx;
        return d <= 18 && !__builtin_mul_overflow(*x, dec_pow10[d], x);
    } else {
        int32_t d = sx - sy;
        return d <= 18 && !__builtin_mul_overflow(*y, dec_pow10[d], y);
    }
}

int bill_dec_add(bill_dec *r, const bill_dec *a, const bill_dec *b)
{
    BILLI_CHECK_ARG(r && a && b, "r/a/b");
    if (LIKELY(!a->big_ && !b->big_)) {
        int64_t x = a->coef_, y = b->coef_, s;
        int32_t sa = a->scale_, sb = b->scale_;
        if (LIKELY(sa == sb) || align_compact(&x, sa, &y, sb)) {
            if (LIKELY(!__builtin_add_overflow(x, y, &s) && s != INT64_MIN)) {
                set_compact(r, s, sa > sb ? sa : sb);
                return BILL_OK;
            }
        }
    }
    return addsub_slow(r, a, b, 0);
}

int bill_dec_sub(bill_dec *r, const bill_dec *a, const bill_dec *b)
{
    BILLI_CHECK_ARG(r && a && b, "r/a/b");
    if (LIKELY(!a->big_ && !b->big_)) {
        int64_t x = a->coef_, y = b->coef_, s;
        int32_t sa = a->scale_, sb = b->scale_;
        if (LIKELY(sa == sb) || align_compact(&x, sa, &y, sb)) {
            if (LIKELY(!__builtin_sub_overflow(x, y, &s) && s != INT64_MIN)) {
                set_compact(r, s, sa > sb ? sa : sb);
                return BILL_OK;
            }
        }
    }
    return addsub_slow(r, a, b, 1);
}

static DEC_NOINLINE int mul_slow(bill_dec *r, const bill_dec *a, const bill_dec *b, int32_t s)
{
    int rc;
    if (!a->big_ && !b->big_) /* the product fits in 127 bits */
        return set_i128(r, (dec_i128)a->coef_ * b->coef_, s);
    {
        zview x, y;
        mpz_t t;
        zv_get(&x, a);
        zv_get(&y, b);
        mpz_init(t);
        mpz_mul(t, x.p, y.p);
        zv_done(&x);
        zv_done(&y);
        rc = set_big(r, t, s);
        mpz_clear(t);
    }
    return rc;
}

int bill_dec_mul(bill_dec *r, const bill_dec *a, const bill_dec *b)
{
    int32_t s;
    BILLI_CHECK_ARG(r && a && b, "r/a/b");
    s = a->scale_ + b->scale_; /* both within ±BILL_DEC_MAX_SCALE: no overflow */
    if (UNLIKELY(!scale_ok(s)))
        return err_scale("mul", s);
    if (LIKELY(!a->big_ && !b->big_)) {
        int64_t p;
        if (LIKELY(!__builtin_mul_overflow(a->coef_, b->coef_, &p) && p != INT64_MIN)) {
            set_compact(r, p, s);
            return BILL_OK;
        }
    }
    return mul_slow(r, a, b, s);
}

static DEC_NOINLINE int neg_abs_big(bill_dec *r, const bill_dec *a, int abs)
{
    int rc;
    mpz_t t;
    if (r == a) {
        if (abs)
            mpz_abs(BIG(r), BIG(r));
        else
            mpz_neg(BIG(r), BIG(r));
        return BILL_OK;
    }
    mpz_init(t);
    if (abs)
        mpz_abs(t, BIG(a));
    else
        mpz_neg(t, BIG(a));
    rc = set_big(r, t, a->scale_);
    mpz_clear(t);
    return rc;
}

int bill_dec_neg(bill_dec *r, const bill_dec *a)
{
    BILLI_CHECK_ARG(r && a, "r/a");
    if (LIKELY(!a->big_)) {
        set_compact(r, -a->coef_, a->scale_);
        return BILL_OK;
    }
    return neg_abs_big(r, a, 0);
}

int bill_dec_abs(bill_dec *r, const bill_dec *a)
{
    BILLI_CHECK_ARG(r && a, "r/a");
    if (LIKELY(!a->big_)) {
        set_compact(r, a->coef_ < 0 ? -a->coef_ : a->coef_, a->scale_);
        return BILL_OK;
    }
    return neg_abs_big(r, a, 1);
}

/* ---- rescale ------------------------------------------------------------- */

static DEC_NOINLINE int rescale_slow(bill_dec *r, const bill_dec *a, int32_t scale, int mode)
{
    int64_t d = (int64_t)a->scale_ - scale;
    int rc;
    zview x;
    mpz_t t;
    zv_get(&x, a);
    mpz_init(t);
    if (d <= 0) {
        z_mul_pow10(t, x.p, (uint64_t)-d);
    } else if (z_div_pow10_round(t, x.p, (uint64_t)d, mode) != 0) {
        mpz_clear(t);
        zv_done(&x);
        return err_round("rescale", a, scale, "digits after the point");
    }
    zv_done(&x);
    rc = set_big(r, t, scale);
    mpz_clear(t);
    return rc;
}

int bill_dec_rescale(bill_dec *r, const bill_dec *a, int32_t scale, int mode)
{
    BILLI_CHECK_ARG(r && a, "r/a");
    if (UNLIKELY(!mode_ok(mode)))
        return err_mode("rescale", mode);
    if (UNLIKELY(!scale_ok(scale)))
        return err_scale("rescale", scale);
    if (LIKELY(!a->big_)) {
        int64_t c = a->coef_, q;
        int32_t d = a->scale_ - scale;
        if (d > 0) {
            if (LIKELY(d <= 18)) {
                if (UNLIKELY(i64_div_round(c, d, mode, &q) != 0))
                    return err_round("rescale", a, scale, "digits after the point");
                set_compact(r, q, scale);
                return BILL_OK;
            }
        } else if (d > -19 && !__builtin_mul_overflow(c, dec_pow10[-d], &q)) {
            set_compact(r, q, scale); /* q is never INT64_MIN: 2^63 is no multiple of 5 */
            return BILL_OK;
        }
    }
    return rescale_slow(r, a, scale, mode);
}

/* ---- round to precision -------------------------------------------------- */

static DEC_NOINLINE int round_prec_big(bill_dec *r, const bill_dec *a, int32_t precision, int mode)
{
    uint64_t nd = z_digits(BIG(a)), drop;
    int64_t scale;
    int rc;
    mpz_t t;
    if (nd <= (uint64_t)precision)
        return bill_dec_copy(r, a);
    drop = nd - (uint64_t)precision;
    mpz_init(t);
    if (z_div_pow10_round(t, BIG(a), drop, mode) != 0) {
        mpz_clear(t);
        return err_round("round_prec", a, precision, "significant digits");
    }
    if (z_digits(t) > (uint64_t)precision) { /* rounded up to 10^precision */
        mpz_divexact_ui(t, t, 10);
        drop++;
    }
    scale = (int64_t)a->scale_ - (int64_t)drop;
    if (!scale_ok(scale)) {
        mpz_clear(t);
        return err_scale("round_prec", scale);
    }
    rc = set_big(r, t, (int32_t)scale);
    mpz_clear(t);
    return rc;
}

int bill_dec_round_prec(bill_dec *r, const bill_dec *a, int32_t precision, int mode)
{
    BILLI_CHECK_ARG(r && a, "r/a");
    if (UNLIKELY(!mode_ok(mode)))
        return err_mode("round_prec", mode);
    if (UNLIKELY(precision < 0))
        return billi_error(BILL_EINVAL, "decimal: round_prec: negative precision %ld",
                           (long)precision);
    if (precision == 0)
        return bill_dec_copy(r, a);
    if (LIKELY(!a->big_)) {
        int64_t c = a->coef_, q;
        int nd = u64_digits(i64_abs(c)), drop;
        int64_t scale;
        if (nd <= precision) {
            set_compact(r, c, a->scale_);
            return BILL_OK;
        }
        drop = nd - precision; /* 1..18 */
        if (i64_div_round(c, drop, mode, &q) != 0)
            return err_round("round_prec", a, precision, "significant digits");
        if (i64_abs(q) == (uint64_t)dec_pow10[precision]) { /* precision < nd <= 19 */
            q /= 10;
            drop++;
        }
        scale = (int64_t)a->scale_ - drop;
        if (UNLIKELY(!scale_ok(scale)))
            return err_scale("round_prec", scale);
        set_compact(r, q, (int32_t)scale);
        return BILL_OK;
    }
    return round_prec_big(r, a, precision, mode);
}

/* ---- trim ---------------------------------------------------------------- */

int bill_dec_trim(bill_dec *r, const bill_dec *a, int32_t min_scale)
{
    int64_t lo, limit;
    BILLI_CHECK_ARG(r && a, "r/a");
    lo = min_scale < -BILL_DEC_MAX_SCALE ? -BILL_DEC_MAX_SCALE : min_scale;
    if (a->scale_ <= lo)
        return bill_dec_copy(r, a);
    limit = (int64_t)a->scale_ - lo; /* > 0 */
    if (!a->big_) {
        int64_t c = a->coef_;
        int32_t s = a->scale_;
        if (c == 0) { /* zero: the canonical scale 0, or min_scale when that is larger */
            set_compact(r, 0, (int32_t)(lo > 0 ? lo : 0));
            return BILL_OK;
        }
        while (limit > 0 && c % 10 == 0) {
            c /= 10;
            s--;
            limit--;
        }
        set_compact(r, c, s);
        return BILL_OK;
    } else {
        int rc;
        mp_bitcnt_t tz;
        mpz_t t, ten;
        mpz_init(t);
        mpz_init_set_ui(ten, 10);
        tz = mpz_remove(t, BIG(a), ten);
        if ((uint64_t)tz > (uint64_t)limit) {
            mpz_t p;
            mpz_init(p);
            z_pow10(p, (uint64_t)limit);
            mpz_divexact(t, BIG(a), p);
            mpz_clear(p);
            tz = (mp_bitcnt_t)limit;
        }
        mpz_clear(ten);
        rc = set_big(r, t, (int32_t)(a->scale_ - (int64_t)tz));
        mpz_clear(t);
        return rc;
    }
}

/* ---- division ------------------------------------------------------------ */

static DEC_NOINLINE int div_slow(bill_dec *r, const bill_dec *a, const bill_dec *b,
                                 int32_t scale, int mode)
{
    int64_t k = (int64_t)scale - a->scale_ + b->scale_;
    int rc;
    zview x, y;
    mpz_t n, d;
    zv_get(&x, a);
    zv_get(&y, b);
    mpz_init(n);
    mpz_init(d);
    if (k >= 0) {
        z_mul_pow10(n, x.p, (uint64_t)k);
        mpz_set(d, y.p);
    } else {
        mpz_set(n, x.p);
        z_mul_pow10(d, y.p, (uint64_t)-k);
    }
    zv_done(&x);
    zv_done(&y);
    rc = z_div_round(n, n, d, mode);
    mpz_clear(d);
    if (rc != 0) {
        mpz_clear(n);
        return err_round("div", a, scale, "digits after the point");
    }
    rc = set_big(r, n, scale);
    mpz_clear(n);
    return rc;
}

int bill_dec_div(bill_dec *r, const bill_dec *a, const bill_dec *b, int32_t scale, int mode)
{
    BILLI_CHECK_ARG(r && a && b, "r/a/b");
    if (UNLIKELY(!mode_ok(mode)))
        return err_mode("div", mode);
    if (UNLIKELY(bill_dec_is_zero(b)))
        return err_divzero("div", a);
    if (UNLIKELY(!scale_ok(scale)))
        return err_scale("div", scale);
    if (!a->big_ && !b->big_) {
        int64_t k = (int64_t)scale - a->scale_ + b->scale_;
        if (k >= -18 && k <= 18) {
            dec_i128 num = a->coef_, den = b->coef_, q;
            if (k >= 0)
                num *= dec_pow10[k];
            else
                den *= dec_pow10[-k];
            if (i128_div_round(num, den, mode, &q) != 0)
                return err_round("div", a, scale, "digits after the point");
            return set_i128(r, q, scale);
        }
    }
    return div_slow(r, a, b, scale, mode);
}

int bill_dec_div_prec(bill_dec *r, const bill_dec *a, const bill_dec *b, int32_t precision,
                      int mode)
{
    int64_t pref, k, scale;
    uint64_t da, db, p;
    int rc, inexact, half, odd, sign;
    zview x, y;
    mpz_t q, rem, den;

    BILLI_CHECK_ARG(r && a && b, "r/a/b");
    if (UNLIKELY(!mode_ok(mode)))
        return err_mode("div_prec", mode);
    if (UNLIKELY(precision < 1))
        return billi_error(BILL_EINVAL, "decimal: div_prec: precision %ld is less than 1",
                           (long)precision);
    if (UNLIKELY(precision > DEC_MAX_PRECISION))
        return billi_error(BILL_ERANGE, "decimal: div_prec: precision %ld exceeds the limit %d",
                           (long)precision, DEC_MAX_PRECISION);
    if (UNLIKELY(bill_dec_is_zero(b)))
        return err_divzero("div_prec", a);
    pref = (int64_t)a->scale_ - b->scale_;
    if (bill_dec_is_zero(a)) { /* exact zero at the preferred scale, kept in range */
        if (pref > BILL_DEC_MAX_SCALE)
            pref = BILL_DEC_MAX_SCALE;
        if (pref < -BILL_DEC_MAX_SCALE)
            pref = -BILL_DEC_MAX_SCALE;
        set_compact(r, 0, (int32_t)pref);
        return BILL_OK;
    }
    p = (uint64_t)precision;
    zv_get(&x, a);
    zv_get(&y, b);
    da = z_digits(x.p);
    db = z_digits(y.p);
    sign = mpz_sgn(x.p) * mpz_sgn(y.p);
    /* with this shift the truncated quotient has p or p + 1 digits */
    k = (int64_t)p + (int64_t)db - (int64_t)da;
    mpz_init(q);
    mpz_init(rem);
    mpz_init(den);
    if (k >= 0) {
        z_mul_pow10(q, x.p, (uint64_t)k);
        mpz_set(den, y.p);
    } else {
        mpz_set(q, x.p);
        z_mul_pow10(den, y.p, (uint64_t)-k);
    }
    zv_done(&x);
    zv_done(&y);
    mpz_tdiv_qr(q, rem, q, den);
    scale = pref + k;
    if (z_digits(q) > p) { /* drop one more digit; the remainder is a sticky bit */
        unsigned long last = mpz_tdiv_q_ui(q, q, 10);
        int sticky = mpz_sgn(rem) != 0;
        inexact = last != 0 || sticky;
        half = last < 5 ? -1 : (last > 5 || sticky) ? 1 : 0;
        scale--;
    } else {
        inexact = mpz_sgn(rem) != 0;
        mpz_mul_2exp(rem, rem, 1);
        half = mpz_cmpabs(rem, den);
        half = half < 0 ? -1 : half > 0;
    }
    mpz_clear(den);
    if (inexact) {
        int inc;
        odd = mpz_odd_p(q);
        inc = round_inc(mode, sign, half, odd);
        if (inc < 0) {
            mpz_clear(q);
            mpz_clear(rem);
            return err_round("div_prec", a, precision, "significant digits");
        }
        if (inc) {
            (sign > 0 ? mpz_add_ui : mpz_sub_ui)(q, q, 1);
            if (z_digits(q) > p) {
                mpz_divexact_ui(q, q, 10);
                scale--;
            }
        }
    } else if (scale > pref) { /* exact: strip trailing zeros down to the preferred scale */
        mpz_t ten;
        mp_bitcnt_t tz;
        mpz_init_set_ui(ten, 10);
        tz = mpz_remove(rem, q, ten);
        if ((int64_t)tz > scale - pref) {
            tz = (mp_bitcnt_t)(scale - pref);
            z_pow10(ten, (uint64_t)tz);
            mpz_divexact(q, q, ten);
        } else {
            mpz_swap(q, rem);
        }
        scale -= (int64_t)tz;
        mpz_clear(ten);
    }
    mpz_clear(rem);
    if (!scale_ok(scale)) {
        mpz_clear(q);
        return err_scale("div_prec", scale);
    }
    rc = set_big(r, q, (int32_t)scale);
    mpz_clear(q);
    return rc;
}

/* ---- allocation ---------------------------------------------------------- */

static DEC_COLD int err_alloc(int code, const char *fmt, ...) BILLI_PRINTF(2, 3);
static DEC_COLD int err_alloc(int code, const char *fmt, ...)
{
    char detail[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return billi_error(code, "decimal: allocate: %s", detail);
}

/* Which parts get one extra unit, for the spread rules: fills take[] (n entries). */
typedef struct frac_ref {
    mpz_srcptr frac;
    size_t index;
} frac_ref;

static int frac_cmp(const void *pa, const void *pb)
{
    const frac_ref *a = pa, *b = pb;
    int c = mpz_cmp(b->frac, a->frac); /* larger fraction first */
    if (c)
        return c;
    return (a->index > b->index) - (a->index < b->index);
}

/* Integer units of total at scale into z; BILL_EROUNDING when not representable. */
static int total_units(mpz_ptr z, const bill_dec *total, int32_t scale)
{
    int64_t d = (int64_t)scale - total->scale_;
    zview x;
    zv_get(&x, total);
    if (d >= 0) {
        z_mul_pow10(z, x.p, (uint64_t)d);
    } else {
        mpz_t p;
        int ok;
        mpz_init(p);
        z_pow10(p, (uint64_t)-d);
        ok = mpz_divisible_p(x.p, p);
        if (ok)
            mpz_divexact(z, x.p, p);
        mpz_clear(p);
        if (!ok) {
            char t[64];
            zv_done(&x);
            return err_alloc(BILL_EROUNDING, "total %s has more than %ld digits after the point",
                             dec_show(total, t, sizeof t), (long)scale);
        }
    }
    zv_done(&x);
    return BILL_OK;
}

int bill_dec_allocate(bill_dec *parts, size_t n, const bill_dec *total, const bill_dec *ratios,
                      int32_t scale, int rule)
{
    int rc = BILL_OK;
    int sign;
    size_t count, i;
    mpz_t T, R;
    mpz_t *vals = NULL;
    mpz_t *fracs = NULL;
    unsigned char *extra = NULL;
    mpz_ptr *store = NULL;

    BILLI_CHECK_ARG(parts, "parts");
    BILLI_CHECK_ARG(total, "total");
    if (n == 0)
        return err_alloc(BILL_EINVAL, "no parts (n == 0)");
    if (rule < BILL_REMAINDER_SPREAD_FIRST || rule > BILL_REMAINDER_LARGEST_FRACTION)
        return err_alloc(BILL_EINVAL, "invalid remainder rule %d", rule);
    if (!scale_ok(scale))
        return err_scale("allocate", scale);
    if (n > SIZE_MAX / sizeof(mpz_t) / 2)
        return err_alloc(BILL_EINVAL, "too many parts (%zu)", n);
    if (ratios) {
        int any = 0;
        for (i = 0; i < n; i++) {
            int g = bill_dec_sign(&ratios[i]);
            if (g < 0) {
                char t[64];
                return err_alloc(BILL_EINVAL, "ratio %zu is negative (%s)", i,
                                 dec_show(&ratios[i], t, sizeof t));
            }
            any |= g;
        }
        if (!any)
            return err_alloc(BILL_EINVAL, "all %zu ratios are zero", n);
    }

    mpz_init(T);
    mpz_init(R);
    rc = total_units(T, total, scale);
    if (rc != BILL_OK)
        goto out;
    sign = mpz_sgn(T);

    /* fast path: an equal split of a 64-bit total */
    if (!ratios) {
        int64_t t;
        if (z_get_i64(T, &t)) {
            int64_t base = n > (size_t)INT64_MAX ? 0 : t / (int64_t)n;
            uint64_t rem = i64_abs(t - (n > (size_t)INT64_MAX ? 0 : base * (int64_t)n));
            int64_t unit = t < 0 ? -1 : 1;
            for (i = 0; i < n; i++) {
                int give;
                switch (rule) {
                case BILL_REMAINDER_SPREAD_LAST: give = (uint64_t)(n - 1 - i) < rem; break;
                case BILL_REMAINDER_TO_FIRST: give = i == 0; break;
                case BILL_REMAINDER_TO_LAST: give = i == n - 1; break;
                default: give = (uint64_t)i < rem; break; /* SPREAD_FIRST, LARGEST_FRACTION */
                }
                if (give && (rule == BILL_REMAINDER_TO_FIRST || rule == BILL_REMAINDER_TO_LAST))
                    set_compact(&parts[i], base + unit * (int64_t)rem, scale);
                else
                    set_compact(&parts[i], base + (give ? unit : 0), scale);
            }
            goto out;
        }
    }

    vals = malloc(n * sizeof *vals);
    extra = calloc(n, 1);
    store = calloc(n, sizeof *store);
    if (!vals || !extra || !store) {
        free(vals);
        vals = NULL;
        rc = err_nomem("allocate");
        goto out;
    }
    for (i = 0; i < n; i++)
        mpz_init(vals[i]);

    if (!ratios) {
        mpz_t N;
        mpz_init(N);
        mpz_import(N, 1, -1, sizeof n, 0, 0, &n);
        mpz_tdiv_qr(vals[0], R, T, N);
        for (i = 1; i < n; i++)
            mpz_set(vals[i], vals[0]);
        mpz_clear(N);
    } else {
        int32_t S = ratios[0].scale_;
        mpz_t W, prod;
        fracs = malloc(n * sizeof *fracs);
        if (!fracs) {
            rc = err_nomem("allocate");
            goto out;
        }
        for (i = 1; i < n; i++)
            if (ratios[i].scale_ > S)
                S = ratios[i].scale_;
        mpz_init(W);
        mpz_init(prod);
        for (i = 0; i < n; i++) { /* weights as integers at the common scale S */
            zview x;
            mpz_init(fracs[i]);
            zv_get(&x, &ratios[i]);
            z_mul_pow10(fracs[i], x.p, (uint64_t)((int64_t)S - ratios[i].scale_));
            zv_done(&x);
            mpz_add(W, W, fracs[i]);
        }
        mpz_set(R, T);
        for (i = 0; i < n; i++) {
            mpz_mul(prod, T, fracs[i]);
            mpz_tdiv_qr(vals[i], fracs[i], prod, W); /* fracs[i] becomes the remainder */
            mpz_abs(fracs[i], fracs[i]);
            mpz_sub(R, R, vals[i]);
        }
        mpz_clear(W);
        mpz_clear(prod);
    }

    /* R carries the total's sign and |R| < n */
    count = 0;
    {
        int64_t r64 = 0;
        z_get_i64(R, &r64);
        count = (size_t)i64_abs(r64);
    }
    if (count > 0) {
        switch (rule) {
        case BILL_REMAINDER_SPREAD_FIRST:
            for (i = 0; i < count; i++)
                extra[i] = 1;
            break;
        case BILL_REMAINDER_SPREAD_LAST:
            for (i = 0; i < count; i++)
                extra[n - 1 - i] = 1;
            break;
        case BILL_REMAINDER_TO_FIRST:
            mpz_add(vals[0], vals[0], R);
            break;
        case BILL_REMAINDER_TO_LAST:
            mpz_add(vals[n - 1], vals[n - 1], R);
            break;
        default: /* LARGEST_FRACTION */
            if (!fracs) { /* equal split: all fractions tie, earlier parts first */
                for (i = 0; i < count; i++)
                    extra[i] = 1;
            } else {
                frac_ref *refs = malloc(n * sizeof *refs);
                if (!refs) {
                    rc = err_nomem("allocate");
                    goto out;
                }
                for (i = 0; i < n; i++) {
                    refs[i].frac = fracs[i];
                    refs[i].index = i;
                }
                qsort(refs, n, sizeof *refs, frac_cmp);
                for (i = 0; i < count; i++)
                    extra[refs[i].index] = 1;
                free(refs);
            }
            break;
        }
        for (i = 0; i < n; i++)
            if (extra[i])
                (sign > 0 ? mpz_add_ui : mpz_sub_ui)(vals[i], vals[i], 1);
    }

    /* reserve GMP storage first so that nothing below can fail */
    for (i = 0; i < n; i++) {
        if (mpz_sizeinbase(vals[i], 2) > 63 && !parts[i].big_) {
            store[i] = malloc(sizeof(__mpz_struct));
            if (!store[i]) {
                rc = err_nomem("allocate");
                goto out;
            }
            mpz_init(store[i]);
        }
    }
    for (i = 0; i < n; i++) {
        if (store[i]) {
            parts[i].big_ = store[i];
            store[i] = NULL;
        }
        set_big(&parts[i], vals[i], scale); /* cannot fail now */
    }

out:
    if (store) {
        for (i = 0; i < n; i++) {
            if (store[i]) {
                mpz_clear(store[i]);
                free(store[i]);
            }
        }
        free(store);
    }
    if (vals) {
        for (i = 0; i < n; i++)
            mpz_clear(vals[i]);
        free(vals);
    }
    if (fracs) {
        for (i = 0; i < n; i++)
            mpz_clear(fracs[i]);
        free(fracs);
    }
    free(extra);
    mpz_clear(T);
    mpz_clear(R);
    return rc;
}
