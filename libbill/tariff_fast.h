/*
 * libbill, private: the compact decimals, the compiled plan and the turbo types shared by
 * the fast and turbo paths (tariff_fast.c) and the batch kernel (tariff_batch.c). Not a
 * public header: everything here is internal and may change.
 */
#ifndef BILLI_TARIFF_FAST_H
#define BILLI_TARIFF_FAST_H

#include "tariff_internal.h"

#include <stdint.h>
#include <string.h>

/* billi_fast_compute: not handled here, the general path computes the bill. */
#define FAST_NO BILLI_FAST_NO

/* ---- compact decimals: (coefficient, scale), as bill_dec without a big part ---------- */

__extension__ typedef __int128 fd_i128;
__extension__ typedef unsigned __int128 fd_u128;

typedef struct fd {
    int64_t c;
    int32_t s;
} fd;

static const int64_t p10[19] = {1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL,
                                10000000LL, 100000000LL, 1000000000LL, 10000000000LL,
                                100000000000LL, 1000000000000LL, 10000000000000LL,
                                100000000000000LL, 1000000000000000LL, 10000000000000000LL,
                                100000000000000000LL, 1000000000000000000LL};

static inline fd get(const bill_dec *d) { return (fd){d->coef_, d->scale_}; }

/*
 * *d = v, for d a value of b->lines[0 .. b->cap) or of b's totals: these hold no big part
 * while the fast path computes (billi_fast_compute clears them after a general bill).
 */
static inline void put(bill_dec *d, fd v)
{
    d->coef_ = v.c;
    d->scale_ = v.s;
    d->flags_ = 0;
}

/* Each returns 0, or -1 where bill_dec would leave the compact form or fail. */

static inline int align(int64_t *x, int32_t sx, int64_t *y, int32_t sy)
{
    if (sx < sy) {
        int32_t d = sy - sx;
        return d <= 18 && !__builtin_mul_overflow(*x, p10[d], x);
    }
    int32_t d = sx - sy;
    return d <= 18 && !__builtin_mul_overflow(*y, p10[d], y);
}

static inline int f_add(fd *r, fd a, fd b)
{
    int64_t x = a.c, y = b.c, s;
    if (a.s != b.s && !align(&x, a.s, &y, b.s))
        return -1;
    if (__builtin_add_overflow(x, y, &s) || s == INT64_MIN)
        return -1;
    *r = (fd){s, a.s > b.s ? a.s : b.s};
    return 0;
}

static inline int f_sub(fd *r, fd a, fd b)
{
    int64_t x = a.c, y = b.c, s;
    if (a.s != b.s && !align(&x, a.s, &y, b.s))
        return -1;
    if (__builtin_sub_overflow(x, y, &s) || s == INT64_MIN)
        return -1;
    *r = (fd){s, a.s > b.s ? a.s : b.s};
    return 0;
}

static inline int f_mul(fd *r, fd a, fd b)
{
    int64_t p;
    int32_t s = a.s + b.s;
    if (s > 1000 || s < -1000 || __builtin_mul_overflow(a.c, b.c, &p) || p == INT64_MIN)
        return -1;
    *r = (fd){p, s};
    return 0;
}

static inline __attribute__((always_inline)) int f_cmp(fd a, fd b)
{
    int64_t x = a.c, y = b.c;
    if (a.s == b.s || align(&x, a.s, &y, b.s))
        return (x > y) - (x < y);
    /* aligning overflowed: decimal.c's cmp_compact_scaled */
    int ga = (a.c > 0) - (a.c < 0), gb = (b.c > 0) - (b.c < 0);
    if (ga != gb || ga == 0)
        return (ga > gb) - (ga < gb);
    if (a.s < b.s) {
        int32_t d = b.s - a.s;
        if (d > 18)
            return ga;
        fd_i128 ax = (fd_i128)a.c * p10[d];
        return (ax > b.c) - (ax < b.c);
    }
    int32_t d = a.s - b.s;
    if (d > 18)
        return -ga;
    fd_i128 by = (fd_i128)b.c * p10[d];
    return (a.c > by) - (a.c < by);
}

/* c / 10^d rounded HALF_UP, for c >= 0 and 1 <= d <= 18, constant divisors for small d */
static inline int64_t half_up_pos(int64_t c, int32_t d)
{
    switch (d) {
    case 1: return c / 10 + (c % 10 >= 5);
    case 2: return c / 100 + (c % 100 >= 50);
    case 3: return c / 1000 + (c % 1000 >= 500);
    case 4: return c / 10000 + (c % 10000 >= 5000);
    case 5: return c / 100000 + (c % 100000 >= 50000);
    case 6: return c / 1000000 + (c % 1000000 >= 500000);
    default: return c / p10[d] + (c % p10[d] >= p10[d] / 2);
    }
}

/* bill_dec_rescale */
static inline __attribute__((always_inline)) int f_rescale(fd *r, fd a, int32_t scale, int mode)
{
    int32_t d = a.s - scale;
    if (d > 0) {
        if (d > 18)
            return -1;
        if (mode == BILL_ROUND_HALF_UP && a.c >= 0) {
            *r = (fd){half_up_pos(a.c, d), scale};
            return 0;
        }
        int64_t p = p10[d], q = a.c / p, rem = a.c % p;
        if (rem != 0) {
            uint64_t twice = 2 * (uint64_t)(rem < 0 ? -rem : rem);
            int half = twice < (uint64_t)p ? -1 : twice > (uint64_t)p;
            int sign = a.c < 0 ? -1 : 1;
            int inc = billi_round_inc(mode, sign, half, (int)(q & 1));
            if (inc < 0)
                return -1;
            q += inc * sign;
        }
        *r = (fd){q, scale};
        return 0;
    }
    int64_t q;
    if (d <= -19 || __builtin_mul_overflow(a.c, p10[-d], &q))
        return -1;
    *r = (fd){q, scale};
    return 0;
}

/* bill_dec_trim */
static inline fd f_trim(fd a, int32_t min_scale)
{
    if (a.s <= min_scale)
        return a;
    if (a.c == 0)
        return (fd){0, min_scale > 0 ? min_scale : 0};
    int64_t limit = (int64_t)a.s - min_scale;
    /* a multiple of 10^k is one of 2^k: at most ctz trailing zeros (none when odd) */
    int64_t twos = __builtin_ctzll((uint64_t)a.c);
    if (twos < limit)
        limit = twos;
    while (limit > 0 && a.c % 10 == 0) {
        a.c /= 10;
        a.s--;
        limit--;
    }
    return a;
}

/* *r = the quotient q of n / d (remainder rem, truncated) rounded with mode, at scale */
static inline int round_quotient(fd *r, int64_t q, int64_t rem, int64_t n, int64_t d,
                                 int32_t scale, int mode)
{
    if (rem != 0) {
        uint64_t ar = rem < 0 ? 0 - (uint64_t)rem : (uint64_t)rem;
        uint64_t ad = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
        int half = ar < ad - ar ? -1 : ar > ad - ar;
        int sign = ((n < 0) != (d < 0)) ? -1 : 1;
        int inc = billi_round_inc(mode, sign, half, (int)(q & 1));
        if (inc < 0)
            return -1;
        q += inc * sign;
    }
    *r = (fd){q, scale};
    return 0;
}

/* bill_dec_div: a / b rounded to `scale` digits */
static inline int f_div(fd *r, fd a, fd b, int32_t scale, int mode)
{
    if (b.c == 0)
        return -1;
    int64_t k = (int64_t)scale - a.s + b.s;
    if (k < -18 || k > 18)
        return -1;
    int64_t n64, d64 = b.c;
    if (k >= 0 ? !__builtin_mul_overflow(a.c, p10[k], &n64)
               : (n64 = a.c, !__builtin_mul_overflow(b.c, p10[-k], &d64))) {
        if (n64 != INT64_MIN && d64 != INT64_MIN) /* the same in 64 bits */
            return round_quotient(r, n64 / d64, n64 % d64, n64, d64, scale, mode);
    }
    fd_i128 num = a.c, den = b.c;
    if (k >= 0)
        num *= p10[k];
    else
        den *= p10[-k];
    fd_i128 q = num / den, rem = num % den;
    if (rem != 0) {
        fd_u128 ar = rem < 0 ? (fd_u128)0 - (fd_u128)rem
                                       : (fd_u128)rem;
        fd_u128 ad = den < 0 ? (fd_u128)0 - (fd_u128)den
                                       : (fd_u128)den;
        int half = 2 * ar < ad ? -1 : 2 * ar > ad;
        int sign = ((num < 0) != (den < 0)) ? -1 : 1;
        int inc = billi_round_inc(mode, sign, half, (int)(q & 1));
        if (inc < 0)
            return -1;
        q += inc * sign;
    }
    if (q > INT64_MAX || q <= INT64_MIN)
        return -1;
    *r = (fd){(int64_t)q, scale};
    return 0;
}

/* *r = a's coefficient at scale s >= a.s: 1, or 0 when it does not fit */
static inline int at_scale(int64_t *r, fd a, int32_t s)
{
    int32_t d = s - a.s;
    return d <= 18 && !__builtin_mul_overflow(a.c, p10[d], r);
}

/* tariff_compute.c's prorate: a × num / den, exact when num == den */
static inline int f_prorate(fd *r, fd a, int32_t num, int32_t den, int32_t scale, int mode)
{
    if (num == den) {
        *r = a;
        return 0;
    }
    fd n;
    if (f_mul(&n, (fd){num, 0}, a))
        return -1;
    return f_div(r, n, (fd){den, 0}, scale, mode);
}

/* A name as up to four 8-byte words under a mask (its bytes and its NUL). */
typedef struct fast_key {
    uint64_t w[4], m[4];
    int ok;                  /* 0: longer than a usage name can be, matches nothing */
} fast_key;

/* A power-factor table as values: bill_pf_table_standard and, for PF k / 100,
 * bill_pf_table_percent (ok == 0: some value is not compact, ask the table) */
typedef struct fast_pf {
    int ok;
    fd std;
    fd pct[101];
} fast_pf;

typedef struct fast_charge {
    fast_key tou[BILL_TARIFF_MAX_TOU];
    fast_key exempt[BILLI_MAX_EXEMPT];
    uint64_t pf_base;        /* power factor: bit i = charge i of the version is in the base */
    int pf_default;          /* index in pf_std of pf_default, -1 if none */
    fast_pf *pf;             /* power factor: [0] pf_table, [1 + i] pf_std[i]; NULL: none */
    /* energy with TOU: the components with a line per TOU period (tou_comp) and the
     * others (flat_comp), in component order */
    int ntou_comp, nflat_comp;
    unsigned char tou_comp[BILL_TARIFF_MAX_COMPONENTS], flat_comp[BILL_TARIFF_MAX_COMPONENTS];
    const char *tou_comp_name[BILL_TARIFF_MAX_COMPONENTS];   /* the TOU lines' component */
    fd q[BILL_TARIFF_MAX_TIERS], q_large[BILL_TARIFF_MAX_TIERS];  /* annual tier quotas */
} fast_charge;

struct turbo_plan;

typedef struct fast_version {
    int ok;                  /* every charge handled here */
    int nch;
    fast_charge *ch;
    struct turbo_plan *tb;   /* NULL: no bill of this version takes the turbo path */
} fast_version;

struct billi_fast {
    /* VAT-inclusive tax = total x rate / (1 + rate): 1 + rate as an integer at the rate's
     * scale (0: not usable) and floor((2^64 - 1) / it), to divide by multiplying */
    int64_t vat_den;
    uint64_t vat_magic;
    int two_part;            /* capacity, demand or power-factor charges (usage fields to prefetch) */
    int turbo;               /* some version has a turbo plan bills one at a time may take */
    int batch;               /* some version has a turbo plan (batches) */
    int nversions;
    fast_version v[];
};

/* The first 32 bytes of a NUL-terminated name (in a buffer of BILL_NAME_MAX >= 32 bytes). */
static inline int key_match(const fast_key *k, const uint64_t x[4])
{
    if ((x[0] ^ k->w[0]) & k->m[0])
        return 0; /* most names differ in their first 8 bytes */
    return k->ok && ((x[1] ^ k->w[1]) & k->m[1]) == 0 && ((x[2] ^ k->w[2]) & k->m[2]) == 0 &&
           ((x[3] ^ k->w[3]) & k->m[3]) == 0;
}

static inline int key_eq(const fast_key *k, const char *buf)
{
    uint64_t x[4];
    if (k->m[1] == 0) { /* up to 7 bytes: the first word decides (ok is implied) */
        memcpy(x, buf, sizeof x[0]);
        return ((x[0] ^ k->w[0]) & k->m[0]) == 0;
    }
    memcpy(x, buf, sizeof x);
    return key_match(k, x);
}

_Static_assert(BILL_NAME_MAX >= 32, "key_eq reads 32 bytes of a usage name");

static inline int compact(const bill_dec *d) { return d->big_ == NULL; }

/* *r = a usage value, or -1 (the general path) when it is too big for int64 */
static inline int uget(fd *r, const bill_dec *d)
{
    if (BILLI_UNLIKELY(d->big_ != NULL))
        return -1;
    *r = get(d);
    return 0;
}

/* price_line's amount: qty × price, rounded per line or trimmed */
static inline __attribute__((always_inline)) int f_amount(fd *r, const bill_tariff *t, fd qty,
                                                         fd price)
{
    fd a;
    if (f_mul(&a, qty, price))
        return -1;
    if (t->round_apply == BILLI_APPLY_LINE) {
        if (f_rescale(&a, a, t->round_scale, t->round_mode))
            return -1;
    } else if (a.s > t->round_scale) {
        a = f_trim(a, t->round_scale);
    }
    *r = a;
    return 0;
}

typedef struct fctx {
    bill_period seg;         /* the segment */
    int32_t pdays;           /* days of the period */
    int pm;                  /* month of the period's start */
    int y0, m0, d0;          /* the segment's start */
    fd kwh, cum;             /* the segment's kWh, the year's kWh before it */
    fd total;                /* the period's kWh */
    const fd *tou;           /* the segment's kWh per usage TOU period */
} fctx;

/* Calendar months from the period's start without a date conversion per step. */
static inline int month_len(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && bill_is_leap_year(y) ? 29 : len[m - 1];
}

/*
 * bill_pf_compute for compact kWh >= 0 and kvarh, not both zero, whose integers at the common
 * scale stay below 2^53 (powerfactor.c's pf_search_u128): the largest k in 0..100 with
 * (200 p)^2 >= (2k - 1)^2 (p^2 + q^2). -1: let bill_pf_compute decide.
 */
static inline int pf_hundredths(fd kwh, fd kvarh)
{
    int32_t s = kwh.s > kvarh.s ? kwh.s : kvarh.s;
    if (s < 0)
        s = 0;
    int64_t p, q = kvarh.c < 0 ? -kvarh.c : kvarh.c;
    if (kwh.c < 0 || (kwh.c == 0 && kvarh.c == 0) || s - kwh.s > 18 || s - kvarh.s > 18 ||
        __builtin_mul_overflow(kwh.c, p10[s - kwh.s], &p) ||
        __builtin_mul_overflow(q, p10[s - kvarh.s], &q) || p >= (int64_t)1 << 53 ||
        q >= (int64_t)1 << 53)
        return -1;
    fd_u128 lhs = (fd_u128)(200 * (uint64_t)p) * (200 * (uint64_t)p);
    fd_u128 sum = (fd_u128)p * (uint64_t)p + (fd_u128)q * (uint64_t)q;
    /* the same k as a binary search, without branches on the data: the condition holds
     * for every k up to the answer, and k = 0 is the answer when it holds for none */
    int k = 0;
    for (int step = 64; step > 0; step >>= 1) {
        int m = k + step;
        uint64_t f = (uint64_t)(2 * m - 1) * (uint64_t)(2 * m - 1);
        int ok = (m <= 100) & (lhs >= (fd_u128)f * sum);
        k += step & -ok;
    }
    return k;
}

/* pf_charge's choice of the 1983 table by the standard's text */
static inline int std_index(const char *s)
{
    return memcmp(s, "0.90", 5) == 0 ? 0 : memcmp(s, "0.85", 5) == 0 ? 1 : 2;
}

/* The VAT a VAT-inclusive total includes: total x rate / (1 + rate) at the rounding scale. */
static inline int vat_included(fd *tax, const bill_tariff *t, fd total)
{
    const billi_fast *f = t->fast;
    fd one_rate, tt;
    if (f_mul(&tt, total, get(&t->vat_rate)))
        return -1;
    if (f->vat_den > 1 && tt.c >= 0 && total.s == t->round_scale) {
        /* bill_dec_div(tt, 1 + rate, round_scale) has this numerator and denominator */
        uint64_t num = (uint64_t)tt.c, d = (uint64_t)f->vat_den;
        uint64_t q = (uint64_t)(((fd_u128)num * f->vat_magic) >> 64), rem = num - q * d;
        while (rem >= d) { /* the estimate is at most 2 short */
            q++;
            rem -= d;
        }
        return round_quotient(tax, (int64_t)q, (int64_t)rem, tt.c, f->vat_den, t->round_scale,
                              t->round_mode);
    }
    if (f_add(&one_rate, (fd){1, 0}, get(&t->vat_rate)) ||
        f_div(tax, tt, one_rate, t->round_scale, t->round_mode))
        return -1;
    return 0;
}

/* TB_DEMAND, TB_CAPACITY, TB_PF: their lines written by the fast path's functions */
enum { TB_ENERGY, TB_PER_KWH, TB_FIXED, TB_MIN, TB_DEMAND, TB_CAPACITY, TB_PF };

#define TB_MAX_OPS 16            /* charges of a version */
#define TB_MAX_FIX 16            /* fixed lines of a period, all charges */
#define TB_MAX_TPL 255
#define TB_QSC 7                 /* scales of the integer quotas kept */

typedef struct turbo_tpl {
    int kind, ex, annual, per, has_aux;
    const billi_charge *charge;
    const char *component, *band, *unit;
    fd price, aux;
    fd pamt;                 /* the price the amount is computed from: the same value, its
                                trailing zeros dropped when amounts are trimmed, not rounded
                                (the product then has fewer for f_trim to find) */
} turbo_tpl;

typedef struct turbo_op {
    int op;
    const billi_charge *c;
    const fast_charge *fc;
    int tou;                     /* energy: priced by TOU period */
    int plain_tiers;             /* energy: one line per tier (no TOU, plain price) */
    int ntiers;                  /* energy: 0 or thresholds + 1 */
    int annual;                  /* energy: annual tiers (quotas of the plan), else monthly */
    int tpl;                     /* the first template: TOU lines, then flat components */
    int ntpl;                    /* ... how many */
    int tier_tpl[BILL_TARIFF_MAX_TIERS + 1];   /* tier i's line (plain or increment), -1: none */
} turbo_op;

typedef struct turbo_plan {
    int nops, ntpl, has_min;
    int two_part;                /* demand, capacity or power-factor charges */
    int npf;                     /* power-factor charges */
    int ntou;                    /* the TOU periods of the TOU energy charges (all the same) */
    const fast_key *tou;
    turbo_op op[TB_MAX_OPS];
    turbo_tpl tpl[TB_MAX_TPL];
} turbo_plan;

/* What a bill keeps of the last period it billed on the turbo path. */
struct billi_turbo_state {
    uint64_t uid;                /* the tariff; 0: nothing kept */
    int32_t start, end;          /* the period */
    int ok;                      /* one segment of a version with a turbo plan */
    int month;                   /* the period is one whole calendar month */
    int vi;
    fctx x;                      /* the segment (demand, capacity, power factor) */
    fd q[TB_MAX_OPS][BILL_TARIFF_MAX_TIERS], q_large[TB_MAX_OPS][BILL_TARIFF_MAX_TIERS];
    /* the quotas as integers at scales qs .. qs + TB_QSC - 1 (qok: all fit), [large][d][i] */
    int32_t qs[TB_MAX_OPS];
    int qok[TB_MAX_OPS];
    int64_t qi[TB_MAX_OPS][2][TB_QSC][BILL_TARIFF_MAX_TIERS];
    int fix0[TB_MAX_OPS], nfix[TB_MAX_OPS];
    fd fix_sum[TB_MAX_OPS];
    fd minimum;
    billi_line fix[TB_MAX_FIX];
};

/* 1 when charge o is in the base of power-factor charge pfo (before it) */
static inline int op_in_base(const turbo_plan *tp, int pfo, int o)
{
    return o < 64 && (tp->op[pfo].fc->pf_base >> o & 1);
}

/*
 * The period's part of a turbo bill (tariff_fast.c): the version, the segment, the quotas,
 * the fixed lines and the minimum into ts; ts->ok = 0 when the period is not for the turbo
 * path. BILL_OK or BILL_ENOMEM. Writes lines into b (its scratch).
 */
int billi_turbo_period(const bill_tariff *t, bill_period p, bill_bill *b,
                       struct billi_turbo_state *ts);

#endif
