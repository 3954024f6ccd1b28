/*
 * libbill: exact decimal numbers.
 *
 * A bill_dec is coefficient × 10^(−scale). While the coefficient fits in an
 * int64 (INT64_MIN excluded, so negation never overflows) it lives in coef_
 * and big_ is NULL: the compact fast path, which every hot function tries
 * first with overflow-checked 64-bit arithmetic (128-bit intermediates where
 * that avoids a detour). Anything larger lives in GMP's limb format in one
 * heap block pointed to by big_ (see LIMBS below); the GMP code is kept
 * in separate, non-inlined functions. Big values of up to four limbs (77
 * digits), the usual ones when amounts outgrow 64 bits, are added,
 * subtracted and multiplied by inline loops rather than GMP calls, and
 * divisions by 10^1..10^19 (rescaling) use tabled reciprocals, writing into
 * the result's own block where it has room, so that they cost no more than
 * the same work on raw mpz_t. Every result is normalised: a coefficient that
 * fits in int64 is always held compact, so "compact" and "fits in int64" are
 * the same thing.
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
#  define DEC_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#  define DEC_NOINLINE
#  define DEC_COLD
#  define DEC_ALWAYS_INLINE static inline
#endif
/* Unroll the next loop completely when its trip count is a known constant (clang does unasked). */
#if defined(__GNUC__) && !defined(__clang__)
#  define DEC_UNROLL _Pragma("GCC unroll 8")
#else
#  define DEC_UNROLL
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

/*
 * A big coefficient: one heap block of limbs (least significant first,
 * normalised, |value| >= 2^63) pointed to by big_, while coef_ holds their
 * signed count and flags_ the limbs the block has room for, as an mpz_t
 * holds them beside its pointer: the hot paths decide sizes, signs and room
 * from the bill_dec itself and touch the block only for the limbs, which
 * take no more memory than an mpz's. GMP's mpz functions read a big value
 * through mpz_roinit_n views (big_view); every write is made here with mpn
 * functions or inline loops, into the block when it has room (so a result
 * that is reused does not allocate), else into a new block with some slack.
 */
#define LIMBS(d) ((mp_limb_t *)(d)->big_)

/* r's count and scale, for a big r whose block stays. */
static inline void big_resize(bill_dec *r, mp_size_t signed_size, int32_t scale)
{
    r->coef_ = (int64_t)signed_size;
    r->scale_ = scale;
}

/* The signed limb count and the room of a big value, from the bill_dec. */
#define BIG_SIZE(d) ((mp_size_t)(d)->coef_)
#define BIG_CAP(d) ((mp_size_t)(d)->flags_)

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

static inline uint64_t i64_abs(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* ---- limb-level helpers --------------------------------------------------- */

/*
 * The big path works on GMP's documented low-level (mpn) interface: operands
 * are read in place (a compact one is put in one or two limbs on the stack),
 * intermediate results go to limb arrays on the stack (the heap only for
 * huge values), and a result is written straight into the block the
 * destination already owns when it has room, so a loop that keeps reusing
 * its results does not allocate once they have reached their size. Where an
 * mpz function is the simplest tool (comparison, digit counts, the rarer
 * operations), it reads the values through read-only mpz_roinit_n views.
 */
#if GMP_NAIL_BITS != 0 || (GMP_NUMB_BITS != 64 && GMP_NUMB_BITS != 32)
#  error "libbill needs a GMP with 32- or 64-bit limbs and no nail bits"
#endif

/* Limbs in 64 and in 128 bits. */
#define DEC_L64 (64 / GMP_NUMB_BITS)
#define DEC_L128 (128 / GMP_NUMB_BITS)
/* Scratch limbs a function keeps on its stack (about 2,400 digits at 64 bits). */
#define DEC_STACK_LIMBS 128

/* 10^k for k <= DEC_P10_MAX as limbs, least significant first (read-only). */
#define DEC_P10_MAX 38
#if GMP_NUMB_BITS == 64
#  define DEC_P10(lo, hi) { (mp_limb_t)UINT64_C(lo), (mp_limb_t)UINT64_C(hi) }
#else
#  define DEC_P10(lo, hi)                                                      \
      { (mp_limb_t)(UINT64_C(lo) & 0xffffffffu), (mp_limb_t)(UINT64_C(lo) >> 32), \
        (mp_limb_t)(UINT64_C(hi) & 0xffffffffu), (mp_limb_t)(UINT64_C(hi) >> 32) }
#endif
static const mp_limb_t dec_p10_limbs[DEC_P10_MAX + 1][DEC_L128] = {
    DEC_P10(0x0000000000000001, 0x0000000000000000), /* 10^0 */
    DEC_P10(0x000000000000000a, 0x0000000000000000), /* 10^1 */
    DEC_P10(0x0000000000000064, 0x0000000000000000), /* 10^2 */
    DEC_P10(0x00000000000003e8, 0x0000000000000000), /* 10^3 */
    DEC_P10(0x0000000000002710, 0x0000000000000000), /* 10^4 */
    DEC_P10(0x00000000000186a0, 0x0000000000000000), /* 10^5 */
    DEC_P10(0x00000000000f4240, 0x0000000000000000), /* 10^6 */
    DEC_P10(0x0000000000989680, 0x0000000000000000), /* 10^7 */
    DEC_P10(0x0000000005f5e100, 0x0000000000000000), /* 10^8 */
    DEC_P10(0x000000003b9aca00, 0x0000000000000000), /* 10^9 */
    DEC_P10(0x00000002540be400, 0x0000000000000000), /* 10^10 */
    DEC_P10(0x000000174876e800, 0x0000000000000000), /* 10^11 */
    DEC_P10(0x000000e8d4a51000, 0x0000000000000000), /* 10^12 */
    DEC_P10(0x000009184e72a000, 0x0000000000000000), /* 10^13 */
    DEC_P10(0x00005af3107a4000, 0x0000000000000000), /* 10^14 */
    DEC_P10(0x00038d7ea4c68000, 0x0000000000000000), /* 10^15 */
    DEC_P10(0x002386f26fc10000, 0x0000000000000000), /* 10^16 */
    DEC_P10(0x016345785d8a0000, 0x0000000000000000), /* 10^17 */
    DEC_P10(0x0de0b6b3a7640000, 0x0000000000000000), /* 10^18 */
    DEC_P10(0x8ac7230489e80000, 0x0000000000000000), /* 10^19 */
    DEC_P10(0x6bc75e2d63100000, 0x0000000000000005), /* 10^20 */
    DEC_P10(0x35c9adc5dea00000, 0x0000000000000036), /* 10^21 */
    DEC_P10(0x19e0c9bab2400000, 0x000000000000021e), /* 10^22 */
    DEC_P10(0x02c7e14af6800000, 0x000000000000152d), /* 10^23 */
    DEC_P10(0x1bcecceda1000000, 0x000000000000d3c2), /* 10^24 */
    DEC_P10(0x161401484a000000, 0x0000000000084595), /* 10^25 */
    DEC_P10(0xdcc80cd2e4000000, 0x000000000052b7d2), /* 10^26 */
    DEC_P10(0x9fd0803ce8000000, 0x00000000033b2e3c), /* 10^27 */
    DEC_P10(0x3e25026110000000, 0x00000000204fce5e), /* 10^28 */
    DEC_P10(0x6d7217caa0000000, 0x00000001431e0fae), /* 10^29 */
    DEC_P10(0x4674edea40000000, 0x0000000c9f2c9cd0), /* 10^30 */
    DEC_P10(0xc0914b2680000000, 0x0000007e37be2022), /* 10^31 */
    DEC_P10(0x85acef8100000000, 0x000004ee2d6d415b), /* 10^32 */
    DEC_P10(0x38c15b0a00000000, 0x0000314dc6448d93), /* 10^33 */
    DEC_P10(0x378d8e6400000000, 0x0001ed09bead87c0), /* 10^34 */
    DEC_P10(0x2b878fe800000000, 0x0013426172c74d82), /* 10^35 */
    DEC_P10(0xb34b9f1000000000, 0x00c097ce7bc90715), /* 10^36 */
    DEC_P10(0x00f436a000000000, 0x0785ee10d5da46d9), /* 10^37 */
    DEC_P10(0x098a224000000000, 0x4b3b4ca85a86c47a), /* 10^38 */
};
#undef DEC_P10

/* {l, return value} = u, normalised; l has DEC_L64 limbs. */
static inline mp_size_t u64_to_limbs(mp_limb_t *l, uint64_t u)
{
#if GMP_NUMB_BITS == 64
    l[0] = (mp_limb_t)u;
    return u != 0;
#else
    l[0] = (mp_limb_t)(u & 0xffffffffu);
    l[1] = (mp_limb_t)(u >> 32);
    return l[1] != 0 ? 2 : l[0] != 0;
#endif
}

/* The same for 128 bits; l has DEC_L128 limbs. */
static inline mp_size_t u128_to_limbs(mp_limb_t *l, dec_u128 u)
{
    mp_size_t n = 0;
    for (int i = 0; i < DEC_L128; i++) {
        l[i] = (mp_limb_t)(u >> (i * GMP_NUMB_BITS));
        if (l[i] != 0)
            n = i + 1;
    }
    return n;
}

/* The value of {l, n} for n <= DEC_L64. */
static inline uint64_t limbs_to_u64(const mp_limb_t *l, mp_size_t n)
{
#if GMP_NUMB_BITS == 64
    return n > 0 ? (uint64_t)l[0] : 0;
#else
    return n == 0 ? 0 : n == 1 ? (uint64_t)l[0] : (uint64_t)l[1] << 32 | l[0];
#endif
}

/* 10^k as limbs: from the table, or computed on the heap when k is large. */
typedef struct p10 {
    const mp_limb_t *p;
    mp_size_t n;
    int heap;
    mpz_t z;
} p10;

static void p10_get(p10 *t, uint64_t k)
{
    if (LIKELY(k <= DEC_P10_MAX)) {
        mp_size_t n = DEC_L128;
        while (dec_p10_limbs[k][n - 1] == 0)
            n--;
        t->p = dec_p10_limbs[k];
        t->n = n;
        t->heap = 0;
    } else {
        mpz_init(t->z);
        mpz_ui_pow_ui(t->z, 10, (unsigned long)k);
        t->p = mpz_limbs_read(t->z);
        t->n = (mp_size_t)mpz_size(t->z);
        t->heap = 1;
    }
}

static inline void p10_done(p10 *t)
{
    if (t->heap)
        mpz_clear(t->z);
}

/* The magnitude of a bill_dec's coefficient as limbs, read in place. */
typedef struct opnd {
    const mp_limb_t *p; /* normalised; points into the value or at own */
    mp_size_t n;        /* 0 for zero */
    int neg;
    mp_limb_t own[DEC_L64];
} opnd;

static inline void op_get(opnd *o, const bill_dec *d)
{
    if (d->big_) {
        mp_size_t size = BIG_SIZE(d);
        o->p = LIMBS(d);
        o->n = size < 0 ? -size : size;
        o->neg = size < 0;
    } else {
        o->n = u64_to_limbs(o->own, i64_abs(d->coef_));
        o->p = o->own;
        o->neg = d->coef_ < 0;
    }
}

/* A big coefficient as a read-only mpz (valid while the value is unchanged). */
static inline mpz_srcptr big_view(const bill_dec *d, mpz_ptr view)
{
    return mpz_roinit_n(view, LIMBS(d), BIG_SIZE(d));
}

/* Any coefficient as a read-only mpz; a compact one is put in `own` (DEC_L64 limbs). */
static inline mpz_srcptr z_src(const bill_dec *d, mp_limb_t *own, mpz_ptr view)
{
    mp_size_t n;
    if (d->big_)
        return big_view(d, view);
    n = u64_to_limbs(own, i64_abs(d->coef_));
    return mpz_roinit_n(view, own, d->coef_ < 0 ? -n : n);
}

/* Limb scratch: on the stack when small; GMP's allocator (which never returns NULL) beyond. */
typedef struct scratch {
    mp_limb_t *heap;
    size_t heap_size;
    mp_limb_t stack[DEC_STACK_LIMBS];
} scratch;

/* One area of n limbs per scratch (set s->heap = NULL before, call scratch_done after). */
static mp_limb_t *scratch_get(scratch *s, size_t n)
{
    void *(*allocfunc)(size_t);
    if (LIKELY(n <= DEC_STACK_LIMBS))
        return s->stack;
    mp_get_memory_functions(&allocfunc, NULL, NULL);
    s->heap_size = n * sizeof(mp_limb_t);
    s->heap = allocfunc(s->heap_size);
    return s->heap;
}

static inline void scratch_done(scratch *s)
{
    if (UNLIKELY(s->heap != NULL)) {
        void (*freefunc)(void *, size_t);
        mp_get_memory_functions(NULL, NULL, &freefunc);
        freefunc(s->heap, s->heap_size);
    }
}

/*
 * Small operands: values of up to DEC_INLINE_LIMBS limbs (77 digits at 64
 * bits, which covers the amounts a bill meets when they leave 64 bits) are
 * added, subtracted and multiplied by the inline loops below. At these sizes
 * the cost of a GMP call (through the PLT, then its own dispatch) exceeds
 * the arithmetic; beyond them GMP's assembly is used.
 */
#define DEC_INLINE_LIMBS (256 / GMP_NUMB_BITS)
#if GMP_NUMB_BITS == 64
typedef dec_u128 dec_dlimb;
#else
typedef uint64_t dec_dlimb;
#endif

/* {rp, n} = {xp, n} + {yp, n}, returning the carry; rp may be xp or yp. */
DEC_ALWAYS_INLINE mp_limb_t limbs_add_n(mp_limb_t *rp, const mp_limb_t *xp, const mp_limb_t *yp,
                                    mp_size_t n)
{
    mp_limb_t c = 0;
    if (UNLIKELY(n > DEC_INLINE_LIMBS))
        return mpn_add_n(rp, xp, yp, n);
    DEC_UNROLL
    for (mp_size_t i = 0; i < n; i++) {
        mp_limb_t x = xp[i], s = x + yp[i], t = s + c;
        c = (mp_limb_t)(s < x) | (mp_limb_t)(t < s);
        rp[i] = t;
    }
    return c;
}

/* {rp, n} = {xp, n} - {yp, n}, returning the borrow; rp may be xp or yp. */
DEC_ALWAYS_INLINE mp_limb_t limbs_sub_n(mp_limb_t *rp, const mp_limb_t *xp, const mp_limb_t *yp,
                                    mp_size_t n)
{
    mp_limb_t c = 0;
    if (UNLIKELY(n > DEC_INLINE_LIMBS))
        return mpn_sub_n(rp, xp, yp, n);
    DEC_UNROLL
    for (mp_size_t i = 0; i < n; i++) {
        mp_limb_t x = xp[i], y = yp[i], d = x - y, t = d - c;
        c = (mp_limb_t)(x < y) | (mp_limb_t)(d < c);
        rp[i] = t;
    }
    return c;
}

/* The sign of {xp, n} - {yp, n}. */
DEC_ALWAYS_INLINE int limbs_cmp_n(const mp_limb_t *xp, const mp_limb_t *yp, mp_size_t n)
{
    while (n-- > 0)
        if (xp[n] != yp[n])
            return xp[n] > yp[n] ? 1 : -1;
    return 0;
}

/*
 * {rp, xn} = {xp, xn} ± {yp, yn} (xn >= yn >= 0), returning the carry or
 * borrow out of the top limb; rp may be xp or yp (which mpn_add and mpn_sub
 * allow too).
 */
static inline mp_limb_t limbs_addsub(mp_limb_t *rp, const mp_limb_t *xp, mp_size_t xn,
                                     const mp_limb_t *yp, mp_size_t yn, int sub)
{
    mp_limb_t c;
    mp_size_t i;
    if (UNLIKELY(xn > DEC_INLINE_LIMBS))
        return sub ? mpn_sub(rp, xp, xn, yp, yn) : mpn_add(rp, xp, xn, yp, yn);
    c = sub ? limbs_sub_n(rp, xp, yp, yn) : limbs_add_n(rp, xp, yp, yn);
    for (i = yn; i < xn; i++) {
        mp_limb_t x = xp[i], t = sub ? x - c : x + c;
        c = sub ? (mp_limb_t)(x < c) : (mp_limb_t)(t < x);
        rp[i] = t;
    }
    return c;
}

/*
 * {rp, return value} = |±{xp, n} ± {yp, n}| normalised, for signs that agree
 * (differ == 0: rp has room for n + 1 limbs) or not (then *neg is flipped
 * when |y| > |x|, as the result takes y's sign); rp may be xp or yp.
 */
DEC_ALWAYS_INLINE mp_size_t limbs_addsub_same(mp_limb_t *rp, const mp_limb_t *xp,
                                              const mp_limb_t *yp, mp_size_t n, int differ,
                                              int *neg)
{
    if (!differ) {
        rp[n] = limbs_add_n(rp, xp, yp, n);
        return n + (rp[n] != 0);
    }
    if (limbs_cmp_n(xp, yp, n) < 0) {
        const mp_limb_t *tp = xp;
        xp = yp;
        yp = tp;
        *neg = !*neg;
    }
    limbs_sub_n(rp, xp, yp, n);
    while (n > 0 && rp[n - 1] == 0)
        n--;
    return n;
}

/*
 * {rp, xn + yn} = {xp, xn} × {yp, yn}, column by column (product scanning:
 * each column's products are summed into a three-limb accumulator, so the
 * multiplications do not wait on one another's carries). 1 <= yn <= xn;
 * rp overlaps neither operand. Inlined with constant sizes, the loops unroll
 * completely.
 */
DEC_ALWAYS_INLINE void limbs_mul_cols(mp_limb_t *rp, const mp_limb_t *xp, mp_size_t xn,
                                             const mp_limb_t *yp, mp_size_t yn)
{
    dec_dlimb acc = 0;
    mp_size_t k;
    DEC_UNROLL
    for (k = 0; k < xn + yn - 1; k++) {
        mp_size_t lo = k >= yn ? k - yn + 1 : 0, hi = k < xn ? k : xn - 1;
        mp_limb_t top = 0;
        DEC_UNROLL
        for (mp_size_t i = lo; i <= hi; i++) {
            dec_dlimb t = (dec_dlimb)xp[i] * yp[k - i];
            acc += t;
            top += acc < t;
        }
        rp[k] = (mp_limb_t)acc;
        acc = acc >> GMP_NUMB_BITS | (dec_dlimb)top << GMP_NUMB_BITS;
    }
    rp[k] = (mp_limb_t)acc;
}

/* {rp, xn + 1} = {xp, xn} × y; rp does not overlap xp. */
static inline void limbs_mul_1(mp_limb_t *rp, const mp_limb_t *xp, mp_size_t xn, mp_limb_t y)
{
    mp_limb_t c = 0;
    for (mp_size_t i = 0; i < xn; i++) {
        dec_dlimb t = (dec_dlimb)xp[i] * y + c;
        rp[i] = (mp_limb_t)t;
        c = (mp_limb_t)(t >> GMP_NUMB_BITS);
    }
    rp[xn] = c;
}

/*
 * {rp, xn + yn} = {xp, xn} × {yp, yn} for 1 <= yn <= xn <= DEC_INLINE_LIMBS,
 * rp overlapping neither operand: one limb by a simple loop, the sizes of
 * 64-bit limbs by fully unrolled columns, anything else by the general loop.
 */
static void limbs_mul_small(mp_limb_t *rp, const mp_limb_t *xp, mp_size_t xn,
                            const mp_limb_t *yp, mp_size_t yn)
{
    if (yn == 1) {
        limbs_mul_1(rp, xp, xn, yp[0]);
        return;
    }
    switch (xn * 8 + yn) {
    case 2 * 8 + 2: limbs_mul_cols(rp, xp, 2, yp, 2); break;
    case 3 * 8 + 2: limbs_mul_cols(rp, xp, 3, yp, 2); break;
    case 3 * 8 + 3: limbs_mul_cols(rp, xp, 3, yp, 3); break;
    case 4 * 8 + 2: limbs_mul_cols(rp, xp, 4, yp, 2); break;
    case 4 * 8 + 3: limbs_mul_cols(rp, xp, 4, yp, 3); break;
    case 4 * 8 + 4: limbs_mul_cols(rp, xp, 4, yp, 4); break;
    default: limbs_mul_cols(rp, xp, xn, yp, yn); break;
    }
}

#if GMP_NUMB_BITS == 64
/* Powers of ten that limbs_divrem_p10 divides by: 10^1 .. 10^19 (one limb each). */
#  define DEC_P10_INV_MAX 19
/*
 * For 10^k: the left shift that normalises it (top bit set) and the
 * reciprocal floor((2^128 - 1) / (10^k << shift)) - 2^64, for division by
 * multiplication (N. Möller, T. Granlund, "Improved division by invariant
 * integers", IEEE Trans. Computers 60(2), 2011, algorithm 4).
 */
static const struct dec_p10_inv {
    unsigned char shift;
    uint64_t inv;
} dec_p10_inv[DEC_P10_INV_MAX + 1] = {
    {0, 0}, /* 10^0: unused */
    {60, UINT64_C(0x9999999999999999)}, /* 10^1 */
    {57, UINT64_C(0x47ae147ae147ae14)}, /* 10^2 */
    {54, UINT64_C(0x0624dd2f1a9fbe76)}, /* 10^3 */
    {50, UINT64_C(0xa36e2eb1c432ca57)}, /* 10^4 */
    {47, UINT64_C(0x4f8b588e368f0846)}, /* 10^5 */
    {44, UINT64_C(0x0c6f7a0b5ed8d36b)}, /* 10^6 */
    {40, UINT64_C(0xad7f29abcaf48578)}, /* 10^7 */
    {37, UINT64_C(0x5798ee2308c39df9)}, /* 10^8 */
    {34, UINT64_C(0x12e0be826d694b2e)}, /* 10^9 */
    {30, UINT64_C(0xb7cdfd9d7bdbab7d)}, /* 10^10 */
    {27, UINT64_C(0x5fd7fe17964955fd)}, /* 10^11 */
    {24, UINT64_C(0x19799812dea11197)}, /* 10^12 */
    {20, UINT64_C(0xc25c268497681c26)}, /* 10^13 */
    {17, UINT64_C(0x6849b86a12b9b01e)}, /* 10^14 */
    {14, UINT64_C(0x203af9ee756159b2)}, /* 10^15 */
    {10, UINT64_C(0xcd2b297d889bc2b6)}, /* 10^16 */
    { 7, UINT64_C(0x70ef54646d496892)}, /* 10^17 */
    { 4, UINT64_C(0x2725dd1d243aba0e)}, /* 10^18 */
    { 0, UINT64_C(0xd83c94fb6d2ac34a)}, /* 10^19 */
};

/*
 * {qp, n} = {xp, n} / 10^k truncated, returning the remainder (1 <= k <=
 * DEC_P10_INV_MAX, n >= 1); qp may be xp. As mpn_divrem_1, but the divisor's
 * reciprocal comes from the table instead of being computed on each call.
 */
static DEC_NOINLINE mp_limb_t limbs_divrem_p10(mp_limb_t *qp, const mp_limb_t *xp, mp_size_t n,
                                                int k)
{
    unsigned sh = dec_p10_inv[k].shift, rs = 63 - sh; /* x >> (64 - sh) is (x >> 1) >> rs */
    mp_limb_t d = dec_p10_limbs[k][0] << sh, v = (mp_limb_t)dec_p10_inv[k].inv;
    mp_limb_t r = (xp[n - 1] >> 1) >> rs; /* the bits shifted out at the top: r < d */
    for (mp_size_t i = n - 1; i >= 0; i--) {
        mp_limb_t lo = i > 0 ? xp[i - 1] : 0;
        mp_limb_t u0 = xp[i] << sh | (lo >> 1) >> rs, q1, q0, rr, fix;
        /* (r, u0) / d with r < d: one multiplication, two corrections (the first branch-free) */
        dec_u128 q = (dec_u128)v * r + u0; /* + r × 2^64, added to the high limb */
        q1 = (mp_limb_t)(q >> 64) + r + 1;
        q0 = (mp_limb_t)q;
        rr = u0 - q1 * d;
        fix = (mp_limb_t)0 - (mp_limb_t)(rr > q0);
        q1 += fix;
        rr += fix & d;
        if (UNLIKELY(rr >= d)) {
            q1++;
            rr -= d;
        }
        qp[i] = q1;
        r = rr;
    }
    return r >> sh;
}
#else
#  define DEC_P10_INV_MAX 0
#endif

/* {rp, an + bn} = {ap, an} × {bp, bn}, no overlap; returns the normalised size. */
static mp_size_t mul_limbs(mp_limb_t *rp, const mp_limb_t *ap, mp_size_t an,
                           const mp_limb_t *bp, mp_size_t bn)
{
    mp_size_t n;
    if (an == 0 || bn == 0)
        return 0;
    if (an < bn) {
        const mp_limb_t *tp = ap;
        mp_size_t tn = an;
        ap = bp;
        an = bn;
        bp = tp;
        bn = tn;
    }
    if (an <= DEC_INLINE_LIMBS)
        limbs_mul_small(rp, ap, an, bp, bn); /* an >= bn */
    else if (bn == 1)
        rp[an] = mpn_mul_1(rp, ap, an, bp[0]);
    else
        mpn_mul(rp, ap, an, bp, bn);
    n = an + bn;
    while (n > 0 && rp[n - 1] == 0)
        n--;
    return n;
}

/* A read-only view of x × 10^k, in s's memory. */
static mpz_srcptr z_scaled_view(mpz_ptr view, scratch *s, mpz_srcptr x, uint64_t k)
{
    p10 t;
    mp_size_t xn = (mp_size_t)mpz_size(x), n;
    mp_limb_t *buf;
    p10_get(&t, k);
    buf = scratch_get(s, (size_t)xn + (size_t)t.n);
    n = mul_limbs(buf, mpz_limbs_read(x), xn, t.p, t.n);
    p10_done(&t);
    return mpz_roinit_n(view, buf, mpz_sgn(x) < 0 ? -n : n);
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
        p10 t;
        mpz_t v;
        p10_get(&t, n - 1);
        if (mpz_cmpabs(z, mpz_roinit_n(v, t.p, t.n)) < 0)
            n--;
        p10_done(&t);
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

/* A read-only mpz view of a bill_dec's coefficient. */
typedef struct zview {
    mpz_t tmp, view;
    mpz_srcptr p;
} zview;

static void zv_get(zview *v, const bill_dec *d)
{
    mpz_init(v->tmp);
    if (d->big_) {
        v->p = big_view(d, v->view);
    } else {
        z_set_i64(v->tmp, d->coef_);
        v->p = v->tmp;
    }
}

static void zv_done(zview *v) { mpz_clear(v->tmp); }

/* ---- storing results ----------------------------------------------------- */

static DEC_NOINLINE void big_free(bill_dec *d)
{
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

/* Limbs of slack a new block gets, so that a result can grow a little in place. */
#define DEC_BIG_SLACK 2

/* A block with room for cap limbs (at most INT32_MAX, the most flags_ can say), or NULL. */
static mp_limb_t *big_alloc(mp_size_t cap)
{
    if (cap > INT32_MAX || (size_t)cap > SIZE_MAX / sizeof(mp_limb_t))
        return NULL;
    return malloc((size_t)cap * sizeof(mp_limb_t));
}

/*
 * r = ±{p, n} × 10^-scale, with {p, n} normalised: compact when it fits,
 * else in r's block when it has room for max(n, want) limbs, else in a new
 * block of that size plus slack. {p, n} may be r's own limbs (then nothing is
 * copied) or any other value's. Fails only with BILL_ENOMEM, leaving r unchanged.
 */
static int store_limbs_want(bill_dec *r, const mp_limb_t *p, mp_size_t n, int neg, int32_t scale,
                            mp_size_t want)
{
    mp_limb_t *b = LIMBS(r);
    if (n <= DEC_L64) {
        uint64_t u = limbs_to_u64(p, n);
        if (u <= (uint64_t)INT64_MAX) {
            set_compact(r, neg ? -(int64_t)u : (int64_t)u, scale);
            return BILL_OK;
        }
    }
    if (want < n)
        want = n;
    if (LIKELY(b != NULL && BIG_CAP(r) >= want)) {
        if (p != b)
            memcpy(b, p, (size_t)n * sizeof *p);
    } else {
        mp_limb_t *nb = big_alloc(want + DEC_BIG_SLACK);
        if (!nb)
            return err_nomem("store");
        memcpy(nb, p, (size_t)n * sizeof *p);
        free(b);
        r->big_ = nb;
        r->flags_ = (int32_t)(want + DEC_BIG_SLACK);
    }
    big_resize(r, neg ? -n : n, scale);
    return BILL_OK;
}

static inline int store_limbs(bill_dec *r, const mp_limb_t *p, mp_size_t n, int neg, int32_t scale)
{
    return store_limbs_want(r, p, n, neg, scale, n);
}

/* r = z × 10^-scale (z unchanged). Fails only with BILL_ENOMEM, leaving r unchanged. */
static int set_big(bill_dec *r, mpz_srcptr z, int32_t scale)
{
    return store_limbs(r, mpz_limbs_read(z), (mp_size_t)mpz_size(z), mpz_sgn(z) < 0, scale);
}

/*
 * Where an operation may write a result of up to `need` limbs: r's own block
 * when it has room and holds none of the operands' limbs (x, y), else the
 * scratch. Pass the result to store_limbs_want with `need`.
 */
static mp_limb_t *dest_limbs(bill_dec *r, scratch *s, mp_size_t need, const mp_limb_t *x,
                             const mp_limb_t *y)
{
    mp_limb_t *b = LIMBS(r);
    if (b != NULL && BIG_CAP(r) >= need && b != x && b != y)
        return b;
    return scratch_get(s, (size_t)need);
}

static int set_i128(bill_dec *r, dec_i128 v, int32_t scale)
{
    if (v > -(dec_i128)INT64_MAX - 1 && v <= INT64_MAX) {
        set_compact(r, (int64_t)v, scale);
        return BILL_OK;
    } else {
        mp_limb_t l[DEC_L128];
        mp_size_t n = u128_to_limbs(l, v < 0 ? (dec_u128)0 - (dec_u128)v : (dec_u128)v);
        return store_limbs(r, l, n, v < 0, scale);
    }
}

/* ---- rounding decisions -------------------------------------------------- */

/* billi_round_inc: libbill/internal.h (the compact operations of tariff_fast.h use it too) */

/* *q = c / 10^n rounded by mode (1 <= n <= 18). -1 if rounding is forbidden. */
static inline int i64_div_round(int64_t c, int n, int mode, int64_t *q)
{
    int64_t p = dec_pow10[n];
    int64_t qq = c / p, rem = c % p;
    if (LIKELY(rem != 0)) {
        uint64_t twice = 2 * i64_abs(rem);
        int half = twice < (uint64_t)p ? -1 : twice > (uint64_t)p;
        int sign = c < 0 ? -1 : 1;
        int inc = billi_round_inc(mode, sign, half, (int)(qq & 1));
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
        int inc = billi_round_inc(mode, sign, half, (int)(qq & 1));
        if (inc < 0)
            return -1;
        qq += inc * sign;
    }
    *q = qq;
    return 0;
}

/* Internal result of the rounding helpers: rounding needed, but the mode is UNNECESSARY. */
#define DEC_INEXACT 1

/*
 * {qp, return value} = {np, nn} / {dp, dn} truncated, then moved one unit
 * away from zero when the mode says so (sign: of the exact quotient). dn >= 1
 * with dp[dn - 1] != 0, nn >= 0, no overlaps; qp has room for
 * max(nn - dn + 1, 1) + 1 limbs and tp for 2 × dn. *bumped (if not NULL)
 * tells whether a unit was added. p10k: k when the divisor is 10^k with
 * 1 <= k <= DEC_P10_INV_MAX (divided by its tabled reciprocal), else 0.
 * Returns the normalised size, or -1 when rounding is needed but the mode is
 * UNNECESSARY.
 */
static mp_size_t div_round_limbs(mp_limb_t *qp, mp_limb_t *tp, const mp_limb_t *np,
                                 mp_size_t nn, const mp_limb_t *dp, mp_size_t dn, int p10k,
                                 int sign, int mode, int *bumped)
{
    mp_limb_t *rp = tp, *hp = tp + dn;
    mp_size_t qn, i;
    int half = 2; /* 2 while exact, else the remainder against half the divisor */
    if (bumped)
        *bumped = 0;
    if (nn < dn) {
        qn = 0;
        for (i = 0; i < nn; i++)
            rp[i] = np[i];
        for (; i < dn; i++)
            rp[i] = 0;
    } else if (dn == 1) {
#if DEC_P10_INV_MAX > 0
        if (p10k > 0)
            rp[0] = limbs_divrem_p10(qp, np, nn, p10k);
        else
#endif
            rp[0] = mpn_divrem_1(qp, 0, np, nn, dp[0]);
        qn = nn;
    } else {
        mpn_tdiv_qr(qp, rp, 0, np, nn, dp, dn);
        qn = nn - dn + 1;
    }
    while (qn > 0 && qp[qn - 1] == 0)
        qn--;
    /* the remainder against the divisor's other part: the sign of 2 × rem - d */
    if (dn == 1) {
        if (rp[0] != 0)
            half = rp[0] < dp[0] - rp[0] ? -1 : rp[0] > dp[0] - rp[0];
    } else {
        for (i = 0; i < dn; i++) {
            if (rp[i] != 0) {
                int c;
                limbs_sub_n(hp, dp, rp, dn); /* d - rem > 0 */
                c = limbs_cmp_n(rp, hp, dn);
                half = c < 0 ? -1 : c > 0;
                break;
            }
        }
    }
    if (half != 2) { /* inexact */
        int inc = billi_round_inc(mode, sign, half, qn > 0 && (qp[0] & 1));
        if (inc < 0)
            return -1;
        if (inc) {
            for (i = 0; i < qn && ++qp[i] == 0; i++) /* + 1, carrying */
                ;
            if (i == qn)
                qp[qn++] = 1;
            if (bumped)
                *bumped = 1;
        }
    }
    return qn;
}

/*
 * r = ±{np, nn} / {dp, dn} rounded by mode, at `scale` (the operands and p10k
 * as for div_round_limbs; they may be r's own limbs). BILL_OK, BILL_ENOMEM or DEC_INEXACT.
 */
static int div_round_store(bill_dec *r, int32_t scale, const mp_limb_t *np, mp_size_t nn,
                           const mp_limb_t *dp, mp_size_t dn, int p10k, int sign, int mode)
{
    mp_limb_t *b = LIMBS(r);
    scratch sc;
    mp_size_t qroom = (nn >= dn ? nn - dn + 1 : 1) + 1, qn;
    mp_limb_t *qp, *tp;
    int rc;
    sc.heap = NULL;
    if (b != NULL && BIG_CAP(r) >= qroom && mode != BILL_ROUND_UNNECESSARY && b != dp &&
        (b != np || dn == 1)) {
        /*
         * The quotient straight into r's block (in place over the dividend
         * for a one-limb divisor, which mpn_divrem_1 allows); not when the
         * mode may fail, as r must then stay unchanged.
         */
        qp = b;
        tp = scratch_get(&sc, 2 * (size_t)dn);
    } else {
        qp = scratch_get(&sc, (size_t)qroom + 2 * (size_t)dn);
        tp = qp + qroom;
    }
    qn = div_round_limbs(qp, tp, np, nn, dp, dn, p10k, sign, mode, NULL);
    rc = qn < 0 ? DEC_INEXACT : store_limbs(r, qp, qn, sign < 0, scale);
    scratch_done(&sc);
    return rc;
}

/* Whether 10^k > 2 × any number of n limbs (so that dividing by it leaves 0, below half). */
static inline int p10_beyond(uint64_t k, mp_size_t n)
{
    /* 0.30103 > log10(2): 10^k >= 2^(n × bits + 1) */
    return k > ((uint64_t)n * GMP_NUMB_BITS + 1) * 30103 / 100000 + 1;
}

/*
 * r = a's coefficient / 10^k rounded by mode, at `scale` (k >= 1).
 * BILL_OK, BILL_ENOMEM or DEC_INEXACT.
 */
static int div_pow10_store(bill_dec *r, const bill_dec *a, uint64_t k, int32_t scale, int mode)
{
    opnd o;
    p10 t;
    int rc;
    op_get(&o, a);
    if (o.n == 0) {
        set_compact(r, 0, scale);
        return BILL_OK;
    }
    if (p10_beyond(k, o.n)) { /* quotient 0, remainder below half: no huge power */
        int inc = billi_round_inc(mode, o.neg ? -1 : 1, -1, 0);
        if (inc < 0)
            return DEC_INEXACT;
        set_compact(r, inc ? (o.neg ? -1 : 1) : 0, scale);
        return BILL_OK;
    }
    p10_get(&t, k);
    rc = div_round_store(r, scale, o.p, o.n, t.p, t.n, k <= DEC_P10_INV_MAX ? (int)k : 0,
                         o.neg ? -1 : 1, mode);
    p10_done(&t);
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
    opnd o;
    op_get(&o, src);
    return store_limbs(dst, o.p, o.n, o.neg, src->scale_);
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

/* Limbs enough for BILL_DEC_MAX_DIGITS digits, plus the one mpn_set_str wants. */
#define DEC_PARSE_LIMBS ((BILL_DEC_MAX_DIGITS * 3322 / 1000 + 1) / GMP_NUMB_BITS + 2)

/*
 * The coefficient of more than 18 digits text[first..end) (the digits, with
 * at most one '.' among them), built as limbs on the stack and stored into
 * out (reusing its block when it has room).
 */
static DEC_NOINLINE int parse_big(bill_dec *out, const char *text, size_t first, size_t end,
                                  size_t sig, int neg, int32_t scale)
{
    mp_limb_t l[DEC_PARSE_LIMBS];
    mp_size_t n;
    if (sig <= 38) { /* two chunks of at most 19 digits: 128-bit arithmetic */
        uint64_t hi = 0, lo = 0;
        size_t left = sig - 19; /* digits in hi */
        for (size_t k = first; k < end; k++) {
            char c = text[k];
            if (c == '.')
                continue;
            if (left > 0) {
                hi = hi * 10 + (uint64_t)(c - '0');
                left--;
            } else {
                lo = lo * 10 + (uint64_t)(c - '0');
            }
        }
        n = u128_to_limbs(l, (dec_u128)hi * UINT64_C(10000000000000000000) + lo);
    } else {
        unsigned char dig[BILL_DEC_MAX_DIGITS];
        size_t o = 0;
        for (size_t k = first; k < end; k++)
            if (text[k] != '.')
                dig[o++] = (unsigned char)(text[k] - '0');
        n = mpn_set_str(l, dig, o, 10); /* dig[0] != 0: normalised */
    }
    return store_limbs(out, l, n, neg, scale);
}

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
    }
    return parse_big(out, text, first_sig, frac_end, sig, neg, (int32_t)scale);
}

/* ---- formatting ---------------------------------------------------------- */

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

/* Writes the text of ±digits × 10^-scale (nd >= 1 digits, no sign among them). */
static inline void format_digits(const char *digits, size_t nd, int neg, int64_t scale, int sci,
                                 dec_writer *w)
{
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
}

/* Bytes of digits a big coefficient gets on the stack. */
#define DEC_FORMAT_STACK 1024

/*
 * The digits of a big coefficient, by mpn_get_str from a copy of the limbs
 * (it clobbers its input): on the stack unless they are very many, then from
 * GMP's allocator (which aborts when memory runs out, as GMP does).
 */
static DEC_NOINLINE void format_big(const bill_dec *d, int sci, dec_writer *w)
{
    unsigned char buf[DEC_FORMAT_STACK];
    unsigned char *digits = buf;
    void *(*allocfunc)(size_t);
    void (*freefunc)(void *, size_t);
    opnd o;
    scratch sc;
    mp_limb_t *copy;
    size_t cap, nd, i, k;
    op_get(&o, d);
    /* n limbs have at most n × bits × log10(2) + 1 digits; mpn_get_str wants one more */
    cap = (size_t)o.n * GMP_NUMB_BITS * 30103 / 100000 + 3;
    if (UNLIKELY(cap > sizeof buf)) {
        mp_get_memory_functions(&allocfunc, NULL, NULL);
        digits = allocfunc(cap);
    }
    sc.heap = NULL;
    copy = scratch_get(&sc, (size_t)o.n);
    memcpy(copy, o.p, (size_t)o.n * sizeof *copy);
    nd = mpn_get_str(digits, 10, copy, o.n);
    scratch_done(&sc);
    for (i = 0; i + 1 < nd && digits[i] == 0; i++) /* there may be leading zeros */
        ;
    for (k = i; k < nd; k++)
        digits[k] = (unsigned char)(digits[k] + '0');
    format_digits((const char *)digits + i, nd - i, o.neg, d->scale_, sci, w);
    if (digits != buf) {
        mp_get_memory_functions(NULL, NULL, &freefunc);
        freefunc(digits, cap);
    }
}

/* Writes d's text (GMP's allocator, which aborts when memory runs out, holds huge digits). */
static void format_into(const bill_dec *d, int sci, dec_writer *w)
{
    char small[24];
    char *p = small + sizeof small;
    uint64_t u;
    if (d->big_) {
        format_big(d, sci, w);
        return;
    }
    u = i64_abs(d->coef_);
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    format_digits(p, (size_t)(small + sizeof small - p), d->coef_ < 0, d->scale_, sci, w);
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
    return BIG_SIZE(d) < 0 ? -1 : 1;
}

int bill_dec_is_zero(const bill_dec *d) { return d && !d->big_ && d->coef_ == 0; }

int32_t bill_dec_precision(const bill_dec *d)
{
    uint64_t n;
    mpz_t view;
    if (!d)
        return 0;
    if (LIKELY(!d->big_))
        return u64_digits(i64_abs(d->coef_));
    n = z_digits(big_view(d, view));
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
    mpz_t q, view;
    mpz_srcptr z = big_view(d, view);
    if (diff <= 0) /* a big coefficient only grows */
        return err_units(BILL_ERANGE, d, scale);
    if ((uint64_t)diff >= z_digits(z))
        return err_units(BILL_EROUNDING, d, scale);
    mpz_init(q);
    z_pow10(q, (uint64_t)diff);
    if (!mpz_divisible_p(z, q)) {
        mpz_clear(q);
        return err_units(BILL_EROUNDING, d, scale);
    }
    mpz_divexact(q, z, q);
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
    mp_limb_t la[DEC_L64], lb[DEC_L64];
    mpz_t va, vb, vs;
    mpz_srcptr x, y;
    scratch sc;
    if (ga != gb || ga == 0)
        return (ga > gb) - (ga < gb);
    x = z_src(a, la, va);
    y = z_src(b, lb, vb);
    sc.heap = NULL;
    if (a->scale_ < b->scale_)
        x = z_scaled_view(vs, &sc, x, (uint64_t)((int64_t)b->scale_ - a->scale_));
    else if (a->scale_ > b->scale_)
        y = z_scaled_view(vs, &sc, y, (uint64_t)((int64_t)a->scale_ - b->scale_));
    r = mpz_cmp(x, y);
    scratch_done(&sc);
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

/*
 * r = ±{xp, xn} ± {yp, yn} (signs xneg, yneg; sizes may be 0; either may be
 * r's own limbs, which mpn_add and mpn_sub allow in place). Written straight
 * into r's block when it has room, else through the scratch.
 */
static DEC_NOINLINE int addsub_limbs(bill_dec *r, const mp_limb_t *xp, mp_size_t xn, int xneg,
                                     const mp_limb_t *yp, mp_size_t yn, int yneg, int32_t scale)
{
    mp_limb_t *b = LIMBS(r);
    mp_limb_t *rp;
    mp_size_t rn, need;
    scratch sc;
    int rc;
    if (xn < yn || (xn == yn && xn > 0 && xneg != yneg && limbs_cmp_n(xp, yp, xn) < 0)) {
        const mp_limb_t *tp = xp; /* |x| >= |y| from here on */
        mp_size_t tn = xn;
        int tneg = xneg;
        xp = yp;
        xn = yn;
        xneg = yneg;
        yp = tp;
        yn = tn;
        yneg = tneg;
    }
    if (yn == 0)
        return store_limbs(r, xp, xn, xneg, scale);
    need = xn + (xneg == yneg);
    sc.heap = NULL;
    rp = (b != NULL && BIG_CAP(r) >= need) ? b : scratch_get(&sc, (size_t)need);
    if (xneg == yneg) {
        rp[xn] = limbs_addsub(rp, xp, xn, yp, yn, 0);
        rn = xn + (rp[xn] != 0);
    } else {
        limbs_addsub(rp, xp, xn, yp, yn, 1);
        rn = xn;
        while (rn > 0 && rp[rn - 1] == 0)
            rn--;
    }
    rc = store_limbs_want(r, rp, rn, xneg, scale, need);
    scratch_done(&sc);
    return rc;
}

/* The general case: only the operand with the smaller scale is scaled (into stack limbs). */
static DEC_NOINLINE int addsub_general(bill_dec *r, const bill_dec *a, const bill_dec *b,
                                       int sub)
{
    int32_t s = a->scale_ > b->scale_ ? a->scale_ : b->scale_;
    opnd x, y;
    scratch sc;
    int rc;
    op_get(&x, a);
    op_get(&y, b);
    sc.heap = NULL;
    if (a->scale_ != b->scale_) {
        opnd *lo = a->scale_ < s ? &x : &y;
        int64_t k = (int64_t)s - (a->scale_ < s ? a->scale_ : b->scale_);
        if (lo->n != 0) {
            p10 t;
            mp_limb_t *buf;
            p10_get(&t, (uint64_t)k);
            buf = scratch_get(&sc, (size_t)lo->n + (size_t)t.n);
            lo->n = mul_limbs(buf, lo->p, lo->n, t.p, t.n);
            lo->p = buf;
            p10_done(&t);
        }
    }
    rc = addsub_limbs(r, x.p, x.n, x.neg, y.p, y.n, y.neg ^ sub, s);
    scratch_done(&sc);
    return rc;
}

/*
 * The common big case without detours: two big operands of as many limbs (of
 * the usual sizes) at the same scale and a result whose block has room,
 * written in place by unrolled loops (which allow the destination to be
 * either operand, so r may alias a, b or both). Other sizes go through
 * addsub_limbs, other scales or compact operands through addsub_general.
 */
static DEC_NOINLINE int addsub_slow(bill_dec *r, const bill_dec *a, const bill_dec *b, int sub)
{
    mp_limb_t *w = LIMBS(r);
    if (LIKELY(a->big_ && b->big_ && a->scale_ == b->scale_)) {
        const mp_limb_t *x = LIMBS(a), *y = LIMBS(b);
        mp_size_t xs = BIG_SIZE(a), ys = sub ? -BIG_SIZE(b) : BIG_SIZE(b);
        mp_size_t xn = xs < 0 ? -xs : xs, yn = ys < 0 ? -ys : ys, rn;
        int neg = xs < 0, differ = (xs ^ ys) < 0;
        if (LIKELY(xn == yn && w && BIG_CAP(r) > xn)) {
            mp_limb_t *rp = w;
            switch (xn) {
#if GMP_NUMB_BITS == 64
            case 2: rn = limbs_addsub_same(rp, x, y, 2, differ, &neg); break;
            case 3: rn = limbs_addsub_same(rp, x, y, 3, differ, &neg); break;
            case 4: rn = limbs_addsub_same(rp, x, y, 4, differ, &neg); break;
#endif
            default: goto general;
            }
            if (UNLIKELY(rn <= DEC_L64)) /* a difference may fit in int64 now */
                return store_limbs(r, rp, rn, neg, a->scale_);
            big_resize(r, neg ? -rn : rn, a->scale_);
            return BILL_OK;
        }
    general:
        return addsub_limbs(r, x, xn, xs < 0, y, yn, ys < 0, a->scale_);
    }
    return addsub_general(r, a, b, sub);
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

/* Straight into r's block when it has room and is neither operand (mpn_mul forbids overlap). */
static DEC_NOINLINE int mul_general(bill_dec *r, const bill_dec *a, const bill_dec *b, int32_t s)
{
    int rc;
    opnd x, y;
    scratch sc;
    mp_limb_t *rp;
    mp_size_t need;
    if (!a->big_ && !b->big_) /* the product fits in 127 bits */
        return set_i128(r, (dec_i128)a->coef_ * b->coef_, s);
    if (bill_dec_is_zero(a) || bill_dec_is_zero(b)) {
        set_compact(r, 0, s);
        return BILL_OK;
    }
    op_get(&x, a);
    op_get(&y, b);
    need = x.n + y.n;
    sc.heap = NULL;
    rp = dest_limbs(r, &sc, need, x.p, y.p);
    rc = store_limbs_want(r, rp, mul_limbs(rp, x.p, x.n, y.p, y.n), x.neg != y.neg, s, need);
    scratch_done(&sc);
    return rc;
}

/*
 * The common big case without detours: two big operands (whose product stays
 * big, as each is at least 2^63) and a result whose block has room and is
 * neither operand, written in place: the usual sizes by unrolled inline
 * columns, the rest by GMP. Anything else goes through mul_general.
 */
static DEC_NOINLINE int mul_slow(bill_dec *r, const bill_dec *a, const bill_dec *b, int32_t s)
{
    mp_limb_t *w = LIMBS(r);
    if (LIKELY(a->big_ && b->big_ && w && w != a->big_ && w != b->big_)) {
        mp_size_t xs = BIG_SIZE(a), ys = BIG_SIZE(b);
        mp_size_t xn = xs < 0 ? -xs : xs, yn = ys < 0 ? -ys : ys, rn = xn + yn;
        if (LIKELY(BIG_CAP(r) >= rn)) {
            const mp_limb_t *xp = LIMBS(a), *yp = LIMBS(b);
            mp_limb_t *rp = w;
            if (xn < yn) {
                const mp_limb_t *tp = xp;
                mp_size_t tn = xn;
                xp = yp;
                xn = yn;
                yp = tp;
                yn = tn;
            }
            switch (xn * 8 + yn) {
#if GMP_NUMB_BITS == 64
            case 2 * 8 + 2: limbs_mul_cols(rp, xp, 2, yp, 2); break;
            case 3 * 8 + 2: limbs_mul_cols(rp, xp, 3, yp, 2); break;
            case 3 * 8 + 3: limbs_mul_cols(rp, xp, 3, yp, 3); break;
            case 4 * 8 + 3: limbs_mul_cols(rp, xp, 4, yp, 3); break;
            case 4 * 8 + 4: limbs_mul_cols(rp, xp, 4, yp, 4); break;
#endif
            default:
                if (xn == yn)
                    mpn_mul_n(rp, xp, yp, xn);
                else
                    mpn_mul(rp, xp, xn, yp, yn);
                break;
            }
            rn -= rp[rn - 1] == 0;
            big_resize(r, (xs ^ ys) < 0 ? -rn : rn, s);
            return BILL_OK;
        }
    }
    return mul_general(r, a, b, s);
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
    opnd o;
    op_get(&o, a);
    /* in place when r == a; -(2^63) stays big, as INT64_MIN is never compact */
    return store_limbs(r, o.p, o.n, abs ? 0 : !o.neg, a->scale_);
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
    if (d == 0)
        return bill_dec_copy(r, a);
    if (d < 0) { /* × 10^-d, straight into r's block when it can be */
        opnd o;
        p10 t;
        scratch sc;
        mp_limb_t *rp;
        mp_size_t need;
        op_get(&o, a);
        if (o.n == 0) {
            set_compact(r, 0, scale);
            return BILL_OK;
        }
        p10_get(&t, (uint64_t)-d);
        need = o.n + t.n;
        sc.heap = NULL;
        rp = dest_limbs(r, &sc, need, o.p, t.p);
        rc = store_limbs_want(r, rp, mul_limbs(rp, o.p, o.n, t.p, t.n), o.neg, scale, need);
        p10_done(&t);
        scratch_done(&sc);
        return rc;
    }
    rc = div_pow10_store(r, a, (uint64_t)d, scale, mode);
    if (rc == DEC_INEXACT)
        return err_round("rescale", a, scale, "digits after the point");
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
    mpz_t view;
    uint64_t nd = z_digits(big_view(a, view)), drop;
    int64_t scale;
    int rc, bumped;
    opnd o;
    p10 t;
    scratch sc;
    mp_limb_t *qp;
    mp_size_t qroom, qn;
    if (nd <= (uint64_t)precision)
        return bill_dec_copy(r, a);
    drop = nd - (uint64_t)precision; /* 10^drop <= |a| */
    op_get(&o, a);
    p10_get(&t, drop);
    qroom = o.n - t.n + 2;
    sc.heap = NULL;
    qp = scratch_get(&sc, (size_t)qroom + 2 * (size_t)t.n);
    qn = div_round_limbs(qp, qp + qroom, o.p, o.n, t.p, t.n,
                         drop <= DEC_P10_INV_MAX ? (int)drop : 0, o.neg ? -1 : 1, mode, &bumped);
    p10_done(&t);
    if (qn < 0) {
        scratch_done(&sc);
        return err_round("round_prec", a, precision, "significant digits");
    }
    if (bumped) { /* rounded up to 10^precision? */
        p10_get(&t, (uint64_t)precision);
        if (qn == t.n && mpn_cmp(qp, t.p, qn) == 0) {
            mpn_divrem_1(qp, 0, qp, qn, 10);
            while (qn > 0 && qp[qn - 1] == 0)
                qn--;
            drop++;
        }
        p10_done(&t);
    }
    scale = (int64_t)a->scale_ - (int64_t)drop;
    if (!scale_ok(scale))
        rc = err_scale("round_prec", scale);
    else
        rc = store_limbs(r, qp, qn, o.neg, (int32_t)scale);
    scratch_done(&sc);
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
        mpz_t t, ten, view;
        mpz_srcptr z = big_view(a, view);
        mpz_init(t);
        mpz_init_set_ui(ten, 10);
        tz = mpz_remove(t, z, ten);
        if ((uint64_t)tz > (uint64_t)limit) {
            mpz_t p;
            mpz_init(p);
            z_pow10(p, (uint64_t)limit);
            mpz_divexact(t, z, p);
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

/* a × 10^k / b or a / (b × 10^-k), all in stack limbs; b is not zero. */
static DEC_NOINLINE int div_slow(bill_dec *r, const bill_dec *a, const bill_dec *b,
                                 int32_t scale, int mode)
{
    int64_t k = (int64_t)scale - a->scale_ + b->scale_;
    int rc;
    opnd x, y;
    const mp_limb_t *np, *dp;
    mp_size_t nn, dn;
    scratch sc;
    op_get(&x, a);
    op_get(&y, b);
    if (x.n == 0) {
        set_compact(r, 0, scale);
        return BILL_OK;
    }
    np = x.p;
    nn = x.n;
    dp = y.p;
    dn = y.n;
    sc.heap = NULL;
    if (k != 0) {
        p10 t;
        mp_limb_t *buf;
        p10_get(&t, (uint64_t)(k > 0 ? k : -k));
        if (k > 0) {
            buf = scratch_get(&sc, (size_t)nn + (size_t)t.n);
            nn = mul_limbs(buf, np, nn, t.p, t.n);
            np = buf;
        } else {
            buf = scratch_get(&sc, (size_t)dn + (size_t)t.n);
            dn = mul_limbs(buf, dp, dn, t.p, t.n);
            dp = buf;
        }
        p10_done(&t);
    }
    rc = div_round_store(r, scale, np, nn, dp, dn, 0, x.neg != y.neg ? -1 : 1, mode);
    scratch_done(&sc);
    if (rc == DEC_INEXACT)
        return err_round("div", a, scale, "digits after the point");
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
        inc = billi_round_inc(mode, sign, half, odd);
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
    mp_limb_t **store = NULL;

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

    /* reserve the big blocks first so that nothing below can fail */
    for (i = 0; i < n; i++) {
        mp_size_t need = (mp_size_t)mpz_size(vals[i]);
        if (mpz_sizeinbase(vals[i], 2) > 63 && (!parts[i].big_ || BIG_CAP(&parts[i]) < need)) {
            store[i] = big_alloc(need);
            if (!store[i]) {
                rc = err_nomem("allocate");
                goto out;
            }
        }
    }
    for (i = 0; i < n; i++) {
        if (store[i]) {
            free(parts[i].big_);
            parts[i].big_ = store[i];
            parts[i].flags_ = (int32_t)mpz_size(vals[i]); /* the room reserved above */
            big_resize(&parts[i], 1, scale); /* a placeholder, overwritten at once */
            store[i] = NULL;
        }
        set_big(&parts[i], vals[i], scale); /* cannot fail now */
    }

out:
    if (store) {
        for (i = 0; i < n; i++)
            free(store[i]);
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
