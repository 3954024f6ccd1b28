/*
 * libbill bills, the fast path. At load, each tariff version gets a small
 * plan (tariff.c calls billi_fast_compile): its TOU, class and power-factor
 * names turned into word masks and indices, its tier quotas precomputed. At
 * compute time (tariff_compute.c calls billi_fast_compute first), a bill whose
 * tariff versions and usage pass whitelist() is computed here on int64
 * coefficients, each value keeping its own scale (the lines must show the
 * scales the general path gives), by the same steps as the general path and
 * with the same results: every operation below is the compact case of the
 * bill_dec operation the general path uses (same value, same scale), and any
 * overflow, big value, error or feature not understood here sends the bill to
 * the general path, which then computes it (or reports the error) from scratch.
 *
 * tests/c/tariff_fast_test.c checks that both paths give byte-identical JSON
 * and text, or the same error.
 */
#include "tariff_internal.h"

#include <stdlib.h>
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

/* The increment of a rounding (decimal.c's round_inc): 0 or 1, -1 if forbidden. */
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
            int inc = round_inc(mode, sign, half, (int)(q & 1));
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
        int inc = round_inc(mode, sign, half, (int)(q & 1));
        if (inc < 0)
            return -1;
        q += inc * sign;
    }
    *r = (fd){q, scale};
    return 0;
}

/* bill_dec_div: a / b rounded to `scale` digits */
static int f_div(fd *r, fd a, fd b, int32_t scale, int mode)
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
        int inc = round_inc(mode, sign, half, (int)(q & 1));
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

/* ---- the plan --------------------------------------------------------------------------- */

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

static void key_make(fast_key *k, const char *name)
{
    size_t n = strlen(name);
    memset(k, 0, sizeof *k);
    if (n + 1 > sizeof k->w) {
        k->m[1] = UINT64_MAX; /* not the one-word compare of key_eq: matches nothing */
        return;
    }
    unsigned char *w = (unsigned char *)k->w, *m = (unsigned char *)k->m;
    memcpy(w, name, n);
    memset(m, 0xff, n + 1);
    k->ok = 1;
}

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

static int pf_std_index(const char *s)
{
    return strcmp(s, "0.90") == 0 ? 0 : strcmp(s, "0.85") == 0 ? 1 : 2;
}

static inline int compact(const bill_dec *d) { return d->big_ == NULL; }

/* *r = a usage value, or -1 (the general path) when it is too big for int64 */
static inline int uget(fd *r, const bill_dec *d)
{
    if (BILLI_UNLIKELY(d->big_ != NULL))
        return -1;
    *r = get(d);
    return 0;
}

/*
 * THE whitelist: what the fast path understands. With u == NULL, whether
 * charge c of a tariff version is handled here (at load); with u, whether the
 * usage is (at each bill). Anything not listed (a new charge type, a new usage
 * field in use, a big value) sends the bill to the general path.
 */
static int whitelist(const bill_tariff *t, const billi_charge *c, const bill_usage *u)
{
    if (!u) {
        if (!compact(&t->vat_rate))
            return 0;
        if (c->nwhen > 0) /* a charge under a tariff option */
            return 0;
        switch (c->type) {
        case BILLI_CH_FIXED:
        case BILLI_CH_MINIMUM:
            return compact(&c->amount);
        case BILLI_CH_PER_KWH:
            return compact(&c->price);
        case BILLI_CH_ENERGY:
            if (c->has_tiers) {
                const billi_tiers *tr = &c->tiers;
                if (!compact(&tr->lh_extra))
                    return 0;
                for (int m = 0; m < 12; m++)
                    for (int i = 0; i < tr->nthr; i++)
                        if (!compact(&tr->thr[m][i]))
                            return 0;
            }
            for (int k = 0; k < c->ncomp; k++)
                if (!compact(&c->comp[k].price))
                    return 0;
            for (int p = 0; p < c->ntou; p++)
                for (int k = 0; k < c->ncomp; k++)
                    if (!compact(&c->comp_tou[k][p]))
                        return 0;
            for (int p = 0; p < c->ntou; p++)
                if (!compact(&c->tou_price[p]) || !compact(&c->tou_ratio[p]))
                    return 0;
            if (!compact(&c->base))
                return 0;
            if (c->has_tiers)
                for (int i = 0; i <= c->tiers.nthr; i++)
                    if (!compact(&c->tiers.inc[i]))
                        return 0;
            return 1;
        case BILLI_CH_CAPACITY:
            return compact(&c->price);
        case BILLI_CH_DEMAND:
            if (c->has_ratchet || c->ntou > 0) /* ratchets, demand by TOU period */
                return 0;
            return compact(&c->price) && compact(&c->tolerance) && compact(&c->excess_mult) &&
                   compact(&c->min_fraction);
        case BILLI_CH_PF:
            return 1;
        default: /* whatever is added later */
            return 0;
        }
    }
    if (u->ntou_rd > 0)
        return 0; /* TOU readings at split dates: the general path splits by them */
    /*
     * The usage: read here are the period, class, household size, kWh, TOU kWh,
     * year-to-date kWh, opened date, capacity, declared and maximum demand, kvarh and PF
     * standard (a value too big for int64 falls back where it is read). Readings and
     * exported kWh are not understood: present, they send the bill to the general path,
     * and so do interval data, TOU maximum demands, prior peaks and option choices.
     * Suspensions are read by capacity charges (only).
     */
    return u->has_period && u->nreadings == 0 && u->exported.coef_ == 0 && !u->exported.big_ &&
           u->niv == 0 && u->ntou_md == 0 && u->nprior == 0 && u->noptions == 0;
}

/* Tier quotas of an annual tier table with no proration (tariff_compute.c's tier_quotas). */
static int make_quotas(fd *q, const billi_tiers *tr, int large)
{
    int rc = BILL_OK;
    bill_dec d = BILL_DEC_INIT, tmp = BILL_DEC_INIT, twelve = BILL_DEC_INIT;
    for (int i = 0; i < tr->nthr && rc == BILL_OK; i++) {
        rc = bill_dec_copy(&d, &tr->thr[0][i]);
        if (rc == BILL_OK && large) {
            rc = bill_dec_set_i64(&twelve, 12, 0);
            if (rc == BILL_OK)
                rc = bill_dec_mul(&tmp, &tr->lh_extra, &twelve);
            if (rc == BILL_OK)
                rc = bill_dec_add(&d, &d, &tmp);
        }
        if (rc == BILL_OK && bill_dec_scale(&d) > tr->quota_scale)
            rc = bill_dec_rescale(&d, &d, tr->quota_scale, tr->quota_mode);
        if (rc == BILL_OK && tr->boundary == BILLI_BOUNDARY_UPPER) {
            bill_dec unit = {1, tr->quota_scale, 0, NULL};
            rc = bill_dec_sub(&d, &d, &unit);
            if (rc == BILL_OK && bill_dec_sign(&d) < 0)
                rc = bill_dec_set_i64(&d, 0, 0);
        }
        if (rc == BILL_OK && !compact(&d))
            rc = BILL_ERANGE;
        q[i] = get(&d);
    }
    bill_dec_clear(&d);
    bill_dec_clear(&tmp);
    bill_dec_clear(&twelve);
    return rc;
}

/* The values of table tab as bill_pf_table_standard and bill_pf_table_percent give them. */
static void compile_pf(fast_pf *fp, const bill_pf_table *tab)
{
    bill_dec d = BILL_DEC_INIT;
    fp->ok = tab != NULL && bill_pf_table_standard(&d, tab) == BILL_OK && compact(&d);
    fp->std = get(&d);
    for (int k = 0; k <= 100 && fp->ok; k++) {
        bill_dec pf = {k, 2, 0, NULL};
        fp->ok = bill_pf_table_percent(&d, tab, &pf) == BILL_OK && compact(&d);
        fp->pct[k] = get(&d);
    }
    bill_dec_clear(&d);
}

static int compile_charge(fast_charge *fc, const billi_version *v, const billi_charge *c)
{
    for (int p = 0; p < c->ntou; p++)
        key_make(&fc->tou[p], c->tou_name[p]);
    for (int i = 0; i < c->nexempt; i++)
        key_make(&fc->exempt[i], c->exempt[i]);
    fc->pf_default = -1;
    for (int k = 0; k < (c->tou_prices ? 1 : c->ncomp); k++)
        if (c->tou_prices || c->comp[k].tou) {
            fc->tou_comp_name[fc->ntou_comp] = c->tou_prices || c->plain ? "" : c->comp[k].name;
            fc->tou_comp[fc->ntou_comp++] = (unsigned char)k;
        }
    for (int k = 0; k < c->ncomp; k++)
        if (!c->comp[k].tou || c->tou_prices)
            fc->flat_comp[fc->nflat_comp++] = (unsigned char)k;
    if (c->type == BILLI_CH_PF) {
        if (v->ncharges > 64)
            return 0;
        for (int i = 0; i < v->ncharges; i++)
            for (int k = 0; k < c->nbase; k++)
                if (strcmp(v->charges[i].id, c->base_id[k]) == 0)
                    fc->pf_base |= (uint64_t)1 << i;
        if (c->pf_default[0])
            fc->pf_default = pf_std_index(c->pf_default);
        fc->pf = calloc(4, sizeof *fc->pf);
        if (!fc->pf)
            return 0;
        compile_pf(&fc->pf[0], c->pf_table);
        for (int i = 0; i < 3; i++)
            compile_pf(&fc->pf[1 + i], c->pf_std[i]);
    }
    if (c->type == BILLI_CH_ENERGY && c->has_tiers && c->tiers.basis == BILLI_BASIS_ANNUAL)
        if (make_quotas(fc->q, &c->tiers, 0) != BILL_OK ||
            make_quotas(fc->q_large, &c->tiers, 1) != BILL_OK)
            return 0;
    return 1;
}

static struct turbo_plan *turbo_compile(const billi_version *v, const fast_version *fv,
                                        int per_line, int32_t rs);

void billi_fast_compile(bill_tariff *t)
{
    billi_fast *f = calloc(1, sizeof *f + (size_t)t->nversions * sizeof f->v[0]);
    if (!f)
        return; /* no plan: every bill takes the general path */
    f->nversions = t->nversions;
    if (t->vat == BILLI_VAT_INCLUSIVE && compact(&t->vat_rate) && t->vat_rate.scale_ >= 0 &&
        t->vat_rate.scale_ <= 18 && t->vat_rate.coef_ >= 0 &&
        !__builtin_add_overflow(p10[t->vat_rate.scale_], t->vat_rate.coef_, &f->vat_den)) {
        f->vat_magic = UINT64_MAX / (uint64_t)f->vat_den;
    } else {
        f->vat_den = 0;
    }
    for (int vi = 0; vi < t->nversions; vi++) {
        const billi_version *v = &t->versions[vi];
        fast_version *fv = &f->v[vi];
        fv->ch = calloc((size_t)v->ncharges + 1, sizeof *fv->ch);
        if (!fv->ch)
            continue;
        fv->ok = 1;
        fv->nch = v->ncharges;
        for (int i = 0; i < v->ncharges && fv->ok; i++)
            fv->ok = whitelist(t, &v->charges[i], NULL) &&
                     compile_charge(&fv->ch[i], v, &v->charges[i]);
        for (int i = 0; i < v->ncharges; i++)
            f->two_part |= v->charges[i].type == BILLI_CH_CAPACITY ||
                           v->charges[i].type == BILLI_CH_DEMAND || v->charges[i].type == BILLI_CH_PF;
        if (fv->ok)
            fv->tb = turbo_compile(v, fv, t->round_apply == BILLI_APPLY_LINE, t->round_scale);
        f->turbo |= fv->tb != NULL;
        f->batch |= fv->tb != NULL;
    }
    t->fast = f;
}

void billi_fast_free(billi_fast *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->nversions; i++) {
        for (int k = 0; f->v[i].ch && k < f->v[i].nch; k++)
            free(f->v[i].ch[k].pf);
        free(f->v[i].ch);
        free(f->v[i].tb);
    }
    free(f);
}

/* ---- computing ---------------------------------------------------------------------------- */

/* The same growth as tariff_compute.c's push_line. */
static __attribute__((noinline)) int grow(bill_bill *b)
{
    size_t cap = b->cap ? b->cap * 2 : 16;
    billi_line *nl = realloc(b->lines, cap * sizeof *nl);
    if (!nl)
        return billi_error(BILL_ENOMEM, "bill: out of memory for %zu lines", cap);
    memset(nl + b->cap, 0, (cap - b->cap) * sizeof *nl);
    b->lines = nl;
    b->cap = cap;
    return BILL_OK;
}

static inline billi_line *push(bill_bill *b, int kind, int ex, const billi_charge *c,
                               bill_period seg)
{
    if (BILLI_UNLIKELY(b->n == b->cap) && grow(b) != BILL_OK)
        return NULL;
    billi_line *l = &b->lines[b->n++];
    l->kind = kind;
    l->ex = ex;
    l->charge = c;
    l->charge_id = c ? c->id : (kind == BILL_LINE_TAX ? "vat" : "rounding");
    l->component = "";
    l->band = "";
    l->unit = "";
    l->annual = 0;
    l->per = 0;
    l->flag = 0;
    l->seg = seg;
    l->tid = 0;
    return l;
}

/* Failure inside a charge: -1 falls back, BILL_ENOMEM is reported. */
#define FX(cond)                                                                               \
    do {                                                                                       \
        if (BILLI_UNLIKELY(cond))                                                              \
            return FAST_NO;                                                                    \
    } while (0)
#define PUSH(l, ...)                                                                           \
    do {                                                                                       \
        if (!((l) = push(__VA_ARGS__)))                                                        \
            return BILL_ENOMEM;                                                                \
    } while (0)

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

/* price_line: amount = qty × price, rounded per line or trimmed */
static inline __attribute__((always_inline)) int f_price(const bill_tariff *t, billi_line *l,
                                                        fd qty, fd price)
{
    fd a;
    put(&l->qty, qty);
    put(&l->price, price);
    if (f_amount(&a, t, qty, price))
        return -1;
    put(&l->amount, a);
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

typedef struct month_walk {
    bill_date first;         /* the 1st of the month */
    int y, m;
} month_walk;

static inline void walk_next(month_walk *w)
{
    w->first.day += month_len(w->y, w->m);
    if (++w->m == 13) {
        w->m = 1;
        w->y++;
    }
}

/* the month of the period's start */
static inline month_walk walk_start(const fctx *x)
{
    return (month_walk){{x->seg.start.day - (x->d0 - 1)}, x->y0, x->m0};
}


/* threshold i of month m (1..12) plus the large-household extra (month_threshold) */
static inline int month_thr(fd *r, const billi_tiers *tr, int m, int i, int large)
{
    *r = get(&tr->thr[m - 1][i]);
    return large ? f_add(r, *r, get(&tr->lh_extra)) : 0;
}

/* tariff_compute.c's tier_quotas for monthly tiers over the one segment (the period) */
static int monthly_quotas(fd *q, const billi_tiers *tr, const fctx *x, int large)
{
    for (int i = 0; i < tr->nthr; i++) {
        fd tmp, a = {0, 0};
        if (tr->proration == BILLI_PRORATE_DAYS) {
            for (month_walk w = walk_start(x); w.first.day < x->seg.end.day; walk_next(&w)) {
                int32_t dm = month_len(w.y, w.m);
                int32_t lo = w.first.day > x->seg.start.day ? w.first.day : x->seg.start.day;
                int32_t hi = w.first.day + dm < x->seg.end.day ? w.first.day + dm : x->seg.end.day;
                if (month_thr(&tmp, tr, w.m, i, large) ||
                    f_prorate(&tmp, tmp, hi - lo, dm, 12, BILL_ROUND_HALF_EVEN) ||
                    f_add(&a, a, tmp))
                    return -1;
            }
        } else if (tr->proration == BILLI_PRORATE_MONTHS) {
            /* billing months from the start, each at the thresholds of the month it starts
             * in; billing month k ends on the start's day of month k months later, clamped
             * to that month's length (add_months_clamped); the last one by days */
            month_walk w = walk_start(x);
            int32_t m = x->seg.start.day;
            for (;;) {
                month_walk nw = w;
                walk_next(&nw);
                int dim = month_len(nw.y, nw.m);
                int32_t nm = nw.first.day + (x->d0 < dim ? x->d0 : dim) - 1;
                if (month_thr(&tmp, tr, w.m, i, large))
                    return -1;
                if (nm > x->seg.end.day) {
                    if (f_prorate(&tmp, tmp, x->seg.end.day - m, nm - m, 12, BILL_ROUND_HALF_EVEN) ||
                        f_add(&a, a, tmp))
                        return -1;
                    break;
                }
                if (f_add(&a, a, tmp))
                    return -1;
                m = nm;
                w = nw;
                if (m == x->seg.end.day)
                    break;
            }
        } else {
            /* none: the start month's thresholds, shared by days (one segment: all of them) */
            if (month_thr(&a, tr, x->pm, i, large) ||
                f_prorate(&a, a, x->seg.end.day - x->seg.start.day, x->pdays, 12,
                          BILL_ROUND_HALF_EVEN))
                return -1;
        }
        if (a.s > tr->quota_scale && f_rescale(&a, a, tr->quota_scale, tr->quota_mode))
            return -1;
        if (tr->boundary == BILLI_BOUNDARY_UPPER) {
            if (f_sub(&a, a, (fd){1, tr->quota_scale}))
                return -1;
            if (a.c < 0)
                a = (fd){0, 0};
        }
        q[i] = a;
    }
    return 0;
}

/*
 * Tier i of the quotas q (qi: the same as integers at the scale of si and ei, the range's
 * start and end): its range (lo, hi] within (start, end] and its kWh tk (0 when empty).
 */
static inline int tier_one(fd *tk, fd *lo, fd *hi, int i, const fd *q, const int64_t *qi,
                           int nthr, fd start, fd end, int64_t si, int64_t ei)
{
    int64_t li = i == 0 ? 0 : qi[i - 1], hi_i;
    lo[i] = i == 0 ? (fd){0, 0} : q[i - 1];
    if (li <= si) {
        lo[i] = start;
        li = si;
    }
    if (i < nthr && qi[i] < ei) {
        hi[i] = q[i];
        hi_i = qi[i];
    } else {
        hi[i] = end;
        hi_i = ei;
    }
    if (hi_i > li)
        return f_sub(&tk[i], hi[i], lo[i]);
    tk[i] = (fd){0, 0};
    return 0;
}

/*
 * The kWh from start to start + kwh in each of the nthr + 1 tiers bounded by the quotas
 * q[0 .. nthr): tier i covers (lo[i], hi[i]], tk[i] = hi[i] - lo[i] or 0 when empty.
 */
static inline int tier_split(fd *tk, fd *lo, fd *hi, const fd *q, int nthr, fd start, fd kwh)
{
    fd end, zero = {0, 0};
    int ntiers = nthr + 1;
    if (f_add(&end, start, kwh))
        return -1;
    /* the comparisons below on integers at the largest scale, when they fit */
    int32_t sc = start.s > end.s ? start.s : end.s;
    for (int i = 0; i < nthr; i++)
        sc = q[i].s > sc ? q[i].s : sc;
    int64_t qi[BILL_TARIFF_MAX_TIERS], si, ei;
    int fits = at_scale(&si, start, sc) && at_scale(&ei, end, sc);
    for (int i = 0; i < nthr && fits; i++)
        fits = at_scale(&qi[i], q[i], sc);
    for (int i = 0; i < ntiers && fits; i++)
        if (tier_one(tk, lo, hi, i, q, qi, nthr, start, end, si, ei))
            return -1;
    for (int i = 0; i < ntiers && !fits; i++) {
        fd a = i == 0 ? zero : q[i - 1];
        lo[i] = f_cmp(a, start) > 0 ? a : start;
        hi[i] = i < nthr && f_cmp(q[i], end) < 0 ? q[i] : end;
        if (f_cmp(hi[i], lo[i]) > 0) {
            if (f_sub(&tk[i], hi[i], lo[i]))
                return -1;
        } else {
            tk[i] = zero;
        }
    }
    return 0;
}

static int energy(bill_bill *b, const bill_tariff *t, const billi_charge *c, const fast_charge *fc,
                  const bill_usage *u, const fctx *x)
{
    int map[BILL_TARIFF_MAX_TOU];
    fd tk[BILL_TARIFF_MAX_TIERS + 1], lo[BILL_TARIFF_MAX_TIERS + 1], hi[BILL_TARIFF_MAX_TIERS + 1];
    int ntiers = c->has_tiers ? c->tiers.nthr + 1 : 0;
    billi_line *l;
    if (c->ntou > 0) {
        FX(u->ntou == 0);
        unsigned found = 0;
        /* usage names are distinct: when the usage lists the charge's periods in its order,
         * the map is the identity */
        int k = 0;
        if (u->ntou == c->ntou)
            while (k < u->ntou && key_eq(&fc->tou[k], u->tou_name[k])) {
                map[k] = k;
                k++;
            }
        if (k < c->ntou) {
            for (int p = 0; p < c->ntou; p++)
                map[p] = -1;
            for (k = 0; k < u->ntou; k++) {
                uint64_t w[4];
                memcpy(w, u->tou_name[k], sizeof w);
                for (int p = 0; p < c->ntou; p++)
                    if (key_match(&fc->tou[p], w)) {
                        map[p] = k;
                        found |= 1u << k;
                    }
            }
            FX(found != (1u << u->ntou) - 1);
        }
    }
    int z = -1; /* with no kWh: the tier the next kWh would fall in */
    if (c->has_tiers) {
        const billi_tiers *tr = &c->tiers;
        int large = tr->lh_min_persons > 0 && u->household >= tr->lh_min_persons;
        const fd *q = large ? fc->q_large : fc->q;
        fd mq[BILL_TARIFF_MAX_TIERS], start = x->cum, zero = {0, 0};
        if (tr->basis != BILLI_BASIS_ANNUAL) {
            FX(monthly_quotas(mq, tr, x, large));
            q = mq;
            start = zero;
        }
        if (x->kwh.c == 0)
            for (z = 0; z < tr->nthr && f_cmp(q[z], start) <= 0; z++)
                ;
        FX(tier_split(tk, lo, hi, q, tr->nthr, start, x->kwh));
    }
    if (c->ntou == 0) {
        if (c->has_tiers && c->plain) {
            /* tiers with kWh; with no kWh at all, the one tier z the next kWh would fall
             * in (as tariff_compute.c's energy_charge) */
            for (int i = 0; i < ntiers; i++) {
                if (tk[i].c == 0 && i != z)
                    continue;
                fd price;
                FX(f_add(&price, get(&c->base), get(&c->tiers.inc[i])));
                PUSH(l, b, BILL_LINE_ENERGY, BILLI_EX_TIER, c, x->seg);
                l->band = billi_tier_band(i + 1);
                l->unit = "kWh";
                l->annual = c->tiers.basis == BILLI_BASIS_ANNUAL;
                put(&l->lo, lo[i]);
                put(&l->hi, hi[i]);
                FX(f_price(t, l, tk[i], price));
            }
            return BILL_OK;
        }
        for (int k = 0; k < c->ncomp; k++) {
            PUSH(l, b, BILL_LINE_ENERGY, BILLI_EX_FLAT, c, x->seg);
            l->component = c->plain ? "" : c->comp[k].name;
            l->unit = "kWh";
            FX(f_price(t, l, x->kwh, get(&c->comp[k].price)));
        }
    } else {
        for (int p = 0; p < c->ntou; p++) {
            int up = map[p];
            if (up < 0)
                continue;
            for (int j = 0; j < fc->ntou_comp; j++) {
                int k = fc->tou_comp[j];
                PUSH(l, b, BILL_LINE_ENERGY, BILLI_EX_TOU, c, x->seg);
                l->component = fc->tou_comp_name[j];
                l->band = c->tou_name[p];
                l->unit = "kWh";
                put(&l->aux, c->tou_prices ? (fd){0, 0} : get(&c->tou_ratio[p]));
                l->per = c->tou_prices;
                FX(f_price(t, l, x->tou[up], get(c->tou_prices ? &c->tou_price[p] : &c->comp_tou[k][p])));
            }
        }
        for (int j = 0; j < fc->nflat_comp; j++) {
            int k = fc->flat_comp[j];
            PUSH(l, b, BILL_LINE_ENERGY, BILLI_EX_TOU_FLAT, c, x->seg);
            l->component = c->comp[k].name;
            l->unit = "kWh";
            FX(f_price(t, l, x->kwh, get(&c->comp[k].price)));
        }
    }
    for (int i = 1; i < ntiers; i++) {
        if (tk[i].c == 0 || c->tiers.inc[i].coef_ == 0)
            continue;
        PUSH(l, b, BILL_LINE_ENERGY, BILLI_EX_INCREMENT, c, x->seg);
        l->component = "tier increment";
        l->band = billi_tier_band(i + 1);
        l->unit = "kWh";
        l->annual = c->tiers.basis == BILLI_BASIS_ANNUAL;
        put(&l->lo, lo[i]);
        put(&l->hi, hi[i]);
        FX(f_price(t, l, tk[i], get(&c->tiers.inc[i])));
    }
    return BILL_OK;
}

/* One fixed (emit) or minimum (!emit: summed into *sum) line over `in`, `dm` its whole. */
static int fixed_one(bill_bill *b, const bill_tariff *t, const billi_charge *c, bill_period in,
                     int32_t dm, int per, int emit, fd *sum)
{
    int32_t d = in.end.day - in.start.day;
    fd amt;
    billi_line *l;
    if (per == BILLI_PER_DAY)
        FX(f_mul(&amt, (fd){d, 0}, get(&c->amount)));
    else
        FX(f_prorate(&amt, get(&c->amount), d, dm, t->round_scale, t->round_mode));
    if (t->round_apply == BILLI_APPLY_LINE)
        FX(f_rescale(&amt, amt, t->round_scale, t->round_mode));
    if (!emit) {
        FX(f_add(sum, *sum, amt));
        return BILL_OK;
    }
    PUSH(l, b, c->type == BILLI_CH_FIXED ? BILL_LINE_FIXED : BILL_LINE_MINIMUM, BILLI_EX_FIXED, c,
         in);
    l->per = per;
    fd price;
    if (per == BILLI_PER_DAY || d == dm)
        price = get(&c->amount);
    else
        FX(f_div(&price, get(&c->amount), (fd){dm, 0}, t->round_scale + 4, t->round_mode));
    if (per == BILLI_PER_MONTH)
        l->unit = d == dm ? "month" : "day";
    else
        l->unit = per == BILLI_PER_DAY ? "day" : (d == dm ? "period" : "day");
    put(&l->qty, (fd){per == BILLI_PER_DAY || d != dm ? d : 1, 0});
    put(&l->price, price);
    put(&l->amount, amt);
    put(&l->aux, (fd){dm, 0});
    return BILL_OK;
}

static int fixed(bill_bill *b, const bill_tariff *t, const billi_charge *c, const fctx *x,
                 int emit, fd *sum)
{
    if (c->per != BILLI_PER_MONTH)
        return fixed_one(b, t, c, x->seg, x->pdays, c->per, emit, sum);
    for (month_walk w = walk_start(x); w.first.day < x->seg.end.day; walk_next(&w)) {
        int32_t dm = month_len(w.y, w.m);
        bill_period in = {{w.first.day > x->seg.start.day ? w.first.day : x->seg.start.day},
                          {w.first.day + dm < x->seg.end.day ? w.first.day + dm : x->seg.end.day}};
        int rc = fixed_one(b, t, c, in, dm, BILLI_PER_MONTH, emit, sum);
        if (rc != BILL_OK)
            return rc;
    }
    return BILL_OK;
}

/* tariff_compute.c's month_line: qty x price x d / dm; `neg`: a credit */
static int month_line(bill_bill *b, const bill_tariff *t, const billi_charge *c, int ex,
                      bill_period in, int32_t dm, fd qty, fd price, int neg, const char *unit)
{
    int32_t d = in.end.day - in.start.day;
    billi_line *l;
    fd a;
    PUSH(l, b, c->type == BILLI_CH_CAPACITY ? BILL_LINE_CAPACITY : BILL_LINE_DEMAND, ex, c, in);
    l->unit = unit;
    l->per = BILLI_PER_MONTH;
    put(&l->qty, qty);
    put(&l->price, price);
    FX(f_mul(&a, qty, price));
    FX(f_prorate(&a, a, d, dm, t->round_scale, t->round_mode));
    if (t->round_apply == BILLI_APPLY_LINE)
        FX(f_rescale(&a, a, t->round_scale, t->round_mode));
    else if (a.s > t->round_scale)
        a = f_trim(a, t->round_scale);
    if (neg) {
        a.c = -a.c;
        put(&l->qty, (fd){-qty.c, qty.s});
    }
    put(&l->amount, a);
    put(&l->x, (fd){d, 0});
    put(&l->y, (fd){dm, 0});
    return BILL_OK;
}

static int demand(bill_bill *b, const bill_tariff *t, const billi_charge *c, const bill_usage *u,
                  const fctx *x)
{
    FX(c->basis == BILLI_DEMAND_ACTUAL && !u->has_max_demand);
    FX(c->basis == BILLI_DEMAND_CONTRACTED && !u->has_declared);
    fd billed, floor = {0, 0}, lim = {0, 0}, over = {0, 0}, p2 = {0, 0};
    fd maxd, decl, cap;
    FX(uget(&maxd, &u->max_demand_kw) || uget(&decl, &u->declared_kw) ||
       uget(&cap, &u->capacity_kva));
    int at_floor = 0, excess = 0, rc;
    if (c->basis == BILLI_DEMAND_CONTRACTED) {
        billed = decl;
        if (u->has_capacity) {
            FX(f_mul(&floor, cap, get(&c->min_fraction)));
            if (f_cmp(billed, floor) < 0) {
                at_floor = 1;
                billed = floor;
            }
        }
        FX(f_mul(&lim, billed, get(&c->tolerance)));
        if (u->has_max_demand && f_cmp(maxd, lim) > 0) {
            excess = 1;
            FX(f_sub(&over, maxd, lim));
            FX(f_mul(&p2, get(&c->price), get(&c->excess_mult)));
        }
    } else {
        billed = maxd;
    }
    for (month_walk w = walk_start(x); w.first.day < x->seg.end.day; walk_next(&w)) {
        int32_t dm = month_len(w.y, w.m);
        bill_period in = {{w.first.day > x->seg.start.day ? w.first.day : x->seg.start.day},
                          {w.first.day + dm < x->seg.end.day ? w.first.day + dm : x->seg.end.day}};
        if ((rc = month_line(b, t, c, BILLI_EX_DEMAND, in, dm, excess ? lim : billed,
                             get(&c->price), 0, "kW")) != BILL_OK)
            return rc;
        billi_line *l = &b->lines[b->n - 1];
        l->flag = at_floor | (excess ? 2 : 0);
        if (c->basis == BILLI_DEMAND_CONTRACTED) {
            put(&l->aux, decl);
            put(&l->lo, floor);
            put(&l->hi, u->has_max_demand ? maxd : lim);
        }
        if (excess) {
            if ((rc = month_line(b, t, c, BILLI_EX_EXCESS, in, dm, over, p2, 0, "kW")) != BILL_OK)
                return rc;
            l = &b->lines[b->n - 1];
            l->band = "excess";
            put(&l->aux, lim);
            put(&l->lo, get(&c->excess_mult));
            put(&l->hi, maxd);
        }
    }
    return BILL_OK;
}

/* Installed kVA a month, less the suspended kVA by days (capacity_charge). */
static int capacity(bill_bill *b, const bill_tariff *t, const billi_charge *c, const bill_usage *u,
                    const fctx *x)
{
    fd cap, kva;
    int rc;
    FX(!u->has_capacity || uget(&cap, &u->capacity_kva));
    for (month_walk w = walk_start(x); w.first.day < x->seg.end.day; walk_next(&w)) {
        int32_t dm = month_len(w.y, w.m);
        bill_period in = {{w.first.day > x->seg.start.day ? w.first.day : x->seg.start.day},
                          {w.first.day + dm < x->seg.end.day ? w.first.day + dm : x->seg.end.day}};
        if ((rc = month_line(b, t, c, BILLI_EX_CAPACITY, in, dm, cap, get(&c->price), 0,
                             "kVA")) != BILL_OK)
            return rc;
        for (int k = 0; k < u->nsusp; k++) {
            bill_period o = {{in.start.day > u->susp[k].start.day ? in.start.day
                                                                  : u->susp[k].start.day},
                             {in.end.day < u->susp[k].end.day ? in.end.day : u->susp[k].end.day}};
            if (o.start.day >= o.end.day)
                continue;
            FX(uget(&kva, &u->susp_kva[k]));
            if ((rc = month_line(b, t, c, BILLI_EX_SUSPENDED, o, dm, kva, get(&c->price), 1,
                                 "kVA")) != BILL_OK)
                return rc;
        }
    }
    return BILL_OK;
}

/*
 * bill_pf_compute for compact kWh >= 0 and kvarh, not both zero, whose integers at the common
 * scale stay below 2^53 (powerfactor.c's pf_search_u128): the largest k in 0..100 with
 * (200 p)^2 >= (2k - 1)^2 (p^2 + q^2). -1: let bill_pf_compute decide.
 */
static int pf_hundredths(fd kwh, fd kvarh)
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

static int power_factor(bill_bill *b, const bill_tariff *t, const billi_charge *c,
                        const fast_charge *fc, const billi_version *v, const bill_usage *u,
                        const fctx *x, const size_t *cstart, int ci, const fd *base_in)
{
    FX(!u->has_kvarh && c->require_kvarh);
    int si = u->pf_standard[0] ? std_index(u->pf_standard) : fc->pf_default;
    FX(si < 0 && !c->pf_table);
    const bill_pf_table *tab = c->pf_table ? c->pf_table : c->pf_std[si];
    const fast_pf *fp = &fc->pf[c->pf_table ? 0 : 1 + si];
    billi_line *l;
    PUSH(l, b, BILL_LINE_PF, BILLI_EX_PF, c, x->seg);
    /* the lines of this segment before this one whose charge is in the base: those of the
     * base's charges before this one (charge i's lines are cstart[i] .. cstart[i + 1]) */
    fd base = {0, 0};
    (void)v;
    if (base_in) /* the turbo path summed it */
        base = *base_in;
    for (uint64_t m = base_in ? 0 : fc->pf_base & (((uint64_t)1 << ci) - 1); m; m &= m - 1) {
        int i = __builtin_ctzll(m);
        for (size_t j = cstart[i]; j < cstart[i + 1]; j++) {
            const billi_line *ml = &b->lines[j];
            if ((ml->seg.end.day < x->seg.end.day ? ml->seg.end.day : x->seg.end.day) >
                (ml->seg.start.day > x->seg.start.day ? ml->seg.start.day : x->seg.start.day))
                FX(f_add(&base, base, get(&ml->amount)));
        }
    }
    put(&l->qty, base);
    if (fp->ok)
        put(&l->y, fp->std);
    else
        FX(bill_pf_table_standard(&l->y, tab) != BILL_OK);
    put(&l->amount, (fd){0, 0});
    put(&l->price, (fd){0, 0});
    if (!u->has_kvarh) {
        l->ex = BILLI_EX_PF_NONE;
        return BILL_OK;
    }
    bill_dec kwh = {x->total.c, x->total.s, 0, NULL};
    fd kvarh;
    int k = uget(&kvarh, &u->kvarh) ? -1 : pf_hundredths(x->total, kvarh);
    if (k >= 0) {
        put(&l->x, (fd){k, 2});
        if (fp->ok)
            put(&l->price, fp->pct[k]);
    } else if (bill_pf_compute(&l->x, &kwh, &u->kvarh) != BILL_OK) {
        l->ex = BILLI_EX_PF_NONE;
        l->flag = 1;
        return BILL_OK;
    }
    if (k < 0 || !fp->ok)
        FX(bill_pf_table_percent(&l->price, tab, &l->x) != BILL_OK || !compact(&l->price));
    fd a;
    FX(f_mul(&a, base, get(&l->price)));
    FX(f_mul(&a, a, (fd){1, 2}));
    if (t->round_apply == BILLI_APPLY_LINE)
        FX(f_rescale(&a, a, t->round_scale, t->round_mode));
    else if (a.s > t->round_scale)
        a = f_trim(a, t->round_scale);
    put(&l->amount, a);
    return BILL_OK;
}

/* The period's segments (split_segments): 1 when it is one, 0 when not handled here. */
static int segments(const bill_tariff *t, bill_period p, int vi, const fctx *x, bill_bill *b)
{
    int leap = bill_is_leap_year(x->y0);
    if ((vi + 1 >= t->nversions || t->versions[vi + 1].effective.day >= p.end.day)) {
        static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
        int32_t doy = before[x->m0 - 1] + x->d0 + (leap && x->m0 > 2);
        if (!t->versions[vi].has_annual || p.end.day <= p.start.day - doy + 1 + (leap ? 366 : 365)) {
            b->seg[0] = p;
            b->seg_ver[0] = vi;
            return 1;
        }
    }
    int n = 0, v = vi;
    for (bill_date cur = p.start; cur.day < p.end.day;) {
        bill_date next = p.end;
        if (v + 1 < t->nversions && t->versions[v + 1].effective.day < next.day)
            next = t->versions[v + 1].effective;
        if (t->versions[v].has_annual) {
            int y;
            bill_date_to_ymd(cur, &y, NULL, NULL);
            bill_date ny = {cur.day - bill_date_day_of_year(cur) + 1 +
                            (bill_is_leap_year(y) ? 366 : 365)};
            if (ny.day < next.day)
                next = ny;
        }
        if (n == BILLI_MAX_SEG)
            return 0;
        b->seg[n] = (bill_period){cur, next};
        b->seg_ver[n] = v;
        n++;
        cur = next;
        if (v + 1 < t->nversions && t->versions[v + 1].effective.day == cur.day)
            v++;
    }
    return n;
}

/* split_usage for n > 1 segments: by days, with the general path's billi_split_by_days (the
 * tariff's split scale, b->tariff being set by billi_fast_compute) */
static int split(fd *seg_kwh, fd (*seg_tou)[BILL_TARIFF_MAX_TOU], const bill_bill *b, int n,
                 const bill_usage *u, fd kwh, const fd *tou)
{
    bill_dec days[BILLI_MAX_SEG], parts[BILLI_MAX_SEG];
    int rc = BILL_OK;
    for (int s = 0; s < n; s++) {
        days[s] = (bill_dec){b->seg[s].end.day - b->seg[s].start.day, 0, 0, NULL};
        bill_dec_init(&parts[s]);
    }
    if (u->ntou == 0) {
        fd g;
        if (kwh.c < 0 || f_sub(&g, kwh, (fd){0, 0}))
            return -1; /* a negative total is an error of the general path */
        bill_dec total = {g.c, g.s, 0, NULL};
        rc = billi_split_by_days(parts, n, &total, days, b->tariff->split_scale);
        for (int s = 0; s < n && rc == BILL_OK; s++)
            if (uget(&seg_kwh[s], &parts[s]))
                rc = -1;
    } else {
        for (int s = 0; s < n; s++)
            seg_kwh[s] = (fd){0, 0};
        for (int k = 0; k < u->ntou && rc == BILL_OK; k++) {
            bill_dec v = {tou[k].c, tou[k].s, 0, NULL};
            rc = billi_split_by_days(parts, n, &v, days, b->tariff->split_scale);
            for (int s = 0; s < n && rc == BILL_OK; s++)
                if (uget(&seg_tou[s][k], &parts[s]) || f_add(&seg_kwh[s], seg_kwh[s], seg_tou[s][k]))
                    rc = -1;
        }
    }
    for (int s = 0; s < n; s++)
        bill_dec_clear(&parts[s]);
    return rc == BILL_OK ? 0 : -1;
}

/*
 * The end of a fast or turbo bill over period p (n segments), its lines written: `sub`
 * their sum; the minimum charge (has_min: `minimum` is the period's), VAT, the rounding
 * line and the totals.
 */
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

/*
 * A line finish() adds: as push(), or on a turbo bill (ep != 0) with the fields other than
 * its values written only when its slot last held another line (*fresh then 1).
 */
static inline billi_line *fpush(bill_bill *b, uint64_t ep, int kind, int ex, bill_period p,
                                int *fresh)
{
    if (!ep) {
        *fresh = 1;
        return push(b, kind, ex, NULL, p);
    }
    if (BILLI_UNLIKELY(b->n == b->cap) && grow(b) != BILL_OK)
        return NULL;
    billi_line *l = &b->lines[b->n];
    uint64_t tid = ep | (0xff00u + (unsigned)kind);
    *fresh = l->tid != tid;
    if (*fresh) {
        push(b, kind, ex, NULL, p);
        l->tid = tid;
    } else {
        b->n++;
    }
    return l;
}

#define FPUSH(l, ...)                                                                          \
    do {                                                                                       \
        if (!((l) = fpush(__VA_ARGS__)))                                                       \
            return BILL_ENOMEM;                                                                \
    } while (0)

static int finish(const bill_tariff *t, bill_bill *b, bill_period p, int n, fd sub, int has_min,
                  fd minimum, uint64_t ep)
{
    billi_line *l;
    int fresh;
    /* the sum of the lines is the subtotal's plus those of the lines added below */
    fd tax = {0, 0}, sum, total;
    size_t nsub = b->n;
    sum = sub;
    sub = f_trim(sub, t->round_scale);
    if (has_min && f_cmp(sub, minimum) < 0) {
        FPUSH(l, b, ep, BILL_LINE_MINIMUM, BILLI_EX_MINIMUM, p, &fresh);
        if (fresh)
            billi_minimum_line(l, t, b, n);
        fd top;
        if (f_sub(&top, minimum, sub))
            return FAST_NO;
        put(&l->qty, (fd){1, 0});
        if (fresh)
            l->unit = "period";
        put(&l->price, top);
        put(&l->amount, top);
        put(&l->aux, minimum);
        sub = minimum;
    }
    /* VAT */
    if (t->vat == BILLI_VAT_EXCLUSIVE) {
        FPUSH(l, b, ep, BILL_LINE_TAX, BILLI_EX_TAX, p, &fresh);
        if (fresh) {
            l->component = "VAT";
            put(&l->price, get(&t->vat_rate));
        }
        if (f_amount(&tax, t, sub, get(&t->vat_rate)))
            return FAST_NO;
        put(&l->qty, sub);
        put(&l->amount, tax);
    }
    /* total */
    for (size_t i = nsub; i < b->n; i++)
        if (f_add(&sum, sum, get(&b->lines[i].amount)))
            return FAST_NO;
    sum = f_trim(sum, t->round_scale);
    if (f_rescale(&total, sum, t->round_scale, t->round_mode))
        return FAST_NO;
    if (f_cmp(total, sum) != 0) {
        fd r;
        if (f_sub(&r, total, sum))
            return FAST_NO;
        FPUSH(l, b, ep, BILL_LINE_ROUNDING, BILLI_EX_ROUNDING, p, &fresh);
        put(&l->qty, (fd){1, 0});
        put(&l->amount, r);
        put(&l->price, r);
        put(&l->aux, sum);
    }
    b->tax_included = 0;
    if (t->vat == BILLI_VAT_INCLUSIVE) {
        b->tax_included = 1;
        if (vat_included(&tax, t, total))
            return FAST_NO;
    }
    put(&b->subtotal, sub);
    put(&b->tax, tax);
    put(&b->sum, sum);
    put(&b->total, total);
    b->computed = 1;
    return BILL_OK;
}

static int fast_bill(const bill_tariff *t, const bill_usage *u, bill_bill *b)
{
    const billi_fast *f = t->fast;
    bill_period p = u->period;
    int vi = -1, rc;
    for (int i = 0; i < t->nversions; i++)
        if (t->versions[i].effective.day <= p.start.day)
            vi = i;
    if (vi < 0 || !f->v[vi].ok || p.start.day >= p.end.day)
        return FAST_NO;
    fctx x;
    x.pdays = p.end.day - p.start.day;
    /* the start's date (remembered: consecutive bills mostly share it) */
    if (b->fast_ymd_day != p.start.day || !b->fast_ymd_ok) {
        bill_date_to_ymd(p.start, &b->fast_ymd[0], &b->fast_ymd[1], &b->fast_ymd[2]);
        b->fast_ymd_day = p.start.day;
        b->fast_ymd_ok = 1;
    }
    x.y0 = b->fast_ymd[0];
    x.m0 = b->fast_ymd[1];
    x.d0 = b->fast_ymd[2];
    x.pm = x.m0;
    int n = segments(t, p, vi, &x, b);
    if (n == 0)
        return FAST_NO;
    for (int s = 1; s < n; s++)
        if (!f->v[b->seg_ver[s]].ok)
            return FAST_NO;
    fd tou[BILL_TARIFF_MAX_TOU], cum;
    if (u->ntou > 0) {
        x.total = (fd){0, 0};
        for (int k = 0; k < u->ntou; k++)
            if (uget(&tou[k], &u->tou_kwh[k]) || f_add(&x.total, x.total, tou[k]))
                return FAST_NO;
        fd given;
        if (u->has_kwh && (uget(&given, &u->kwh) || f_cmp(x.total, given) != 0))
            return FAST_NO;
    } else if (uget(&x.total, &u->kwh)) {
        return FAST_NO;
    }
    if (uget(&cum, &u->ytd))
        return FAST_NO;
    fd seg_kwh[BILLI_MAX_SEG], seg_tou[BILLI_MAX_SEG][BILL_TARIFF_MAX_TOU];
    if (n > 1 && split(seg_kwh, seg_tou, b, n, u, x.total, tou))
        return FAST_NO;

    b->n = 0;
    b->nsegments = n;
    fd minimum = {0, 0};
    int has_min = 0;
    billi_line *l;
    for (int s = 0; s < n; s++) {
        const billi_version *v = &t->versions[b->seg_ver[s]];
        const fast_version *fv = &f->v[b->seg_ver[s]];
        size_t cstart[65];   /* power factor: the first line of charge i (i <= 64) */
        x.seg = b->seg[s];
        if (n == 1) {
            x.kwh = x.total;
            x.tou = tou;
        } else {
            x.kwh = seg_kwh[s];
            x.tou = seg_tou[s];
        }
        if (s > 0) {
            int y = x.y0;
            bill_date_to_ymd(x.seg.start, &x.y0, &x.m0, &x.d0);
            if (x.y0 != y)
                cum = (fd){0, 0}; /* annual tiers start again */
        }
        x.cum = cum;
        for (int i = 0; i < v->ncharges; i++) {
            const billi_charge *c = &v->charges[i];
            const fast_charge *fc = &fv->ch[i];
            if (i < 65)
                cstart[i] = b->n;
            switch (c->type) {
            case BILLI_CH_ENERGY:
                if (c->has_tiers && u->has_opened && c->tiers.proration != BILLI_PRORATE_NONE &&
                    c->tiers.basis == BILLI_BASIS_ANNUAL) {
                    int oy;
                    bill_date_to_ymd(u->opened, &oy, NULL, NULL);
                    if (oy == x.y0)
                        return FAST_NO; /* a prorated first year */
                }
                rc = energy(b, t, c, fc, u, &x);
                break;
            case BILLI_CH_PER_KWH: {
                int ex = 0;
                for (int k = 0; k < c->nexempt; k++)
                    ex |= key_eq(&fc->exempt[k], u->cls);
                if (ex)
                    continue;
                PUSH(l, b, BILL_LINE_PER_KWH, BILLI_EX_PER_KWH, c, x.seg);
                l->unit = "kWh";
                rc = f_price(t, l, x.kwh, get(&c->price)) ? FAST_NO : BILL_OK;
                break;
            }
            case BILLI_CH_FIXED:
                rc = fixed(b, t, c, &x, 1, NULL);
                break;
            case BILLI_CH_MINIMUM:
                has_min = 1;
                rc = fixed(b, t, c, &x, 0, &minimum);
                break;
            case BILLI_CH_DEMAND:
                rc = demand(b, t, c, u, &x);
                break;
            case BILLI_CH_CAPACITY:
                rc = capacity(b, t, c, u, &x);
                break;
            case BILLI_CH_PF:
                rc = power_factor(b, t, c, fc, v, u, &x, cstart, i, NULL);
                break;
            default:
                return FAST_NO;
            }
            if (rc != BILL_OK)
                return rc;
        }
        if (f_add(&cum, cum, x.kwh))
            return FAST_NO;
    }

    /* subtotal, minimum charge: the sum of the lines (the same value and scale in any
     * order) */
    fd sub = {0, 0};
    for (size_t i = 0; i < b->n; i++)   /* written by put(): compact */
        if (f_add(&sub, sub, get(&b->lines[i].amount)))
            return FAST_NO;
    return finish(t, b, p, n, sub, has_min, minimum, 0);
}

/* ---- the turbo path ------------------------------------------------------------------------ */

/*
 * Bills of one segment (no tariff change and no new year inside the period) under a
 * version whose charges are all energy (TOU, tiers, components, increments), per_kWh,
 * fixed or minimum: the residential and commercial shapes, most bills of a billing run.
 * What depends only on the period (the version, the segment, monthly tier quotas, the
 * fixed lines, the minimum) is computed once per period and kept in the bill
 * (billi_turbo_state); every line's fields other than its values (kind, charge, names,
 * unit, price, ...) come from a template of the plan and are written only when the line's
 * slot last held another template (billi_line.tid: the bill's epoch and the template;
 * every bill not computed here starts a new epoch). The values are computed with the same
 * compact operations as the fast path (tier_split, f_amount, finish), so the bill is the
 * same byte for byte (tests/c/tariff_fast_test.c compares all three paths). Anything else
 * (another usage shape, a prorated first year, no kWh on plain tiers, an overflow) goes to
 * the fast path.
 */

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

static int tpl_add(turbo_plan *tp, int kind, int ex, const billi_charge *c, const char *component,
                   const char *band, fd price)
{
    if (tp->ntpl == TB_MAX_TPL)
        return -1;
    turbo_tpl *x = &tp->tpl[tp->ntpl];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->ex = ex;
    x->charge = c;
    x->component = component;
    x->band = band;
    x->unit = "kWh";
    x->price = price;
    return tp->ntpl++;
}

static struct turbo_plan *turbo_compile(const billi_version *v, const fast_version *fv,
                                        int per_line, int32_t rs)
{
    if (v->ncharges > TB_MAX_OPS)
        return NULL;
    turbo_plan *tp = calloc(1, sizeof *tp);
    if (!tp)
        return NULL;
    int ok = 1;
    for (int i = 0; i < v->ncharges && ok; i++) {
        const billi_charge *c = &v->charges[i];
        const fast_charge *fc = &fv->ch[i];
        turbo_op *o = &tp->op[tp->nops++];
        o->c = c;
        o->fc = fc;
        for (int k = 0; k <= BILL_TARIFF_MAX_TIERS; k++)
            o->tier_tpl[k] = -1;
        switch (c->type) {
        case BILLI_CH_ENERGY:
            o->op = TB_ENERGY;
            o->tou = c->ntou > 0;
            if (c->has_tiers) {
                o->ntiers = c->tiers.nthr + 1;
                o->annual = c->tiers.basis == BILLI_BASIS_ANNUAL;
                o->plain_tiers = c->ntou == 0 && c->plain;
            }
            if (o->tou) {
                if (tp->ntou == 0) {
                    tp->ntou = c->ntou;
                    tp->tou = fc->tou;
                }
                ok = tp->ntou == c->ntou;
                for (int p = 0; p < c->ntou && ok; p++)
                    ok = memcmp(&tp->tou[p], &fc->tou[p], sizeof fc->tou[p]) == 0 && fc->tou[p].ok;
                o->tpl = tp->ntpl;
                for (int p = 0; p < c->ntou && ok; p++)
                    for (int j = 0; j < fc->ntou_comp && ok; j++) {
                        int k = fc->tou_comp[j];
                        int x = tpl_add(tp, BILL_LINE_ENERGY, BILLI_EX_TOU, c, fc->tou_comp_name[j],
                                        c->tou_name[p],
                                        get(c->tou_prices ? &c->tou_price[p] : &c->comp_tou[k][p]));
                        ok = x >= 0;
                        if (ok) {
                            tp->tpl[x].has_aux = 1;
                            tp->tpl[x].aux = c->tou_prices ? (fd){0, 0} : get(&c->tou_ratio[p]);
                            tp->tpl[x].per = c->tou_prices;
                        }
                    }
                for (int j = 0; j < fc->nflat_comp && ok; j++) {
                    int k = fc->flat_comp[j];
                    ok = tpl_add(tp, BILL_LINE_ENERGY, BILLI_EX_TOU_FLAT, c, c->comp[k].name, "",
                                 get(&c->comp[k].price)) >= 0;
                }
                o->ntpl = tp->ntpl - o->tpl;
            } else if (o->plain_tiers) {
                for (int t = 0; t < o->ntiers && ok; t++) {
                    fd price;
                    ok = !f_add(&price, get(&c->base), get(&c->tiers.inc[t])) &&
                         (o->tier_tpl[t] = tpl_add(tp, BILL_LINE_ENERGY, BILLI_EX_TIER, c, "",
                                                   billi_tier_band(t + 1), price)) >= 0;
                    if (ok)
                        tp->tpl[o->tier_tpl[t]].annual = o->annual;
                }
            } else {
                o->tpl = tp->ntpl;
                for (int k = 0; k < c->ncomp && ok; k++)
                    ok = tpl_add(tp, BILL_LINE_ENERGY, BILLI_EX_FLAT, c,
                                 c->plain ? "" : c->comp[k].name, "", get(&c->comp[k].price)) >= 0;
                o->ntpl = tp->ntpl - o->tpl;
            }
            if (!o->plain_tiers)
                for (int t = 1; t < o->ntiers && ok; t++) {
                    if (c->tiers.inc[t].coef_ == 0)
                        continue;
                    ok = (o->tier_tpl[t] = tpl_add(tp, BILL_LINE_ENERGY, BILLI_EX_INCREMENT, c,
                                                   "tier increment", billi_tier_band(t + 1),
                                                   get(&c->tiers.inc[t]))) >= 0;
                    if (ok)
                        tp->tpl[o->tier_tpl[t]].annual = o->annual;
                }
            break;
        case BILLI_CH_PER_KWH:
            o->op = TB_PER_KWH;
            o->tpl = tpl_add(tp, BILL_LINE_PER_KWH, BILLI_EX_PER_KWH, c, "", "", get(&c->price));
            ok = o->tpl >= 0;
            break;
        case BILLI_CH_FIXED:
            o->op = TB_FIXED;
            break;
        case BILLI_CH_MINIMUM:
            o->op = TB_MIN;
            tp->has_min = 1;
            break;
        case BILLI_CH_DEMAND: /* contracted or actual, no ratchet, no TOU (the whitelist) */
            o->op = TB_DEMAND;
            tp->two_part = 1;
            break;
        case BILLI_CH_CAPACITY:
            o->op = TB_CAPACITY;
            tp->two_part = 1;
            break;
        case BILLI_CH_PF:
            o->op = TB_PF;
            tp->two_part = 1;
            tp->npf++;
            break;
        default:
            ok = 0;
        }
    }
    if (!ok) {
        free(tp);
        return NULL;
    }
    for (int k = 0; k < tp->ntpl; k++) {
        fd a = tp->tpl[k].price;
        /* trim(qty x price, rs) = trim(qty x price / 10^z at scale - z, rs) while the scale
         * stays >= rs, whatever the quantity's scale (>= 0) */
        while (!per_line && a.c != 0 && a.c % 10 == 0 && a.s > rs) {
            a.c /= 10;
            a.s--;
        }
        tp->tpl[k].pamt = a;
    }
    return tp;
}

/* The period's part of a turbo bill: ts->ok = 0 when the period is not for this path. */
static int turbo_period(const bill_tariff *t, bill_period p, bill_bill *b,
                        struct billi_turbo_state *ts)
{
    const billi_fast *f = t->fast;
    ts->uid = t->uid;
    ts->start = p.start.day;
    ts->end = p.end.day;
    ts->ok = 0;
    int vi = -1;
    for (int i = 0; i < t->nversions; i++)
        if (t->versions[i].effective.day <= p.start.day)
            vi = i;
    if (vi < 0 || !f->v[vi].ok || !f->v[vi].tb || p.start.day >= p.end.day)
        return BILL_OK;
    fctx x;
    memset(&x, 0, sizeof x);
    x.pdays = p.end.day - p.start.day;
    bill_date_to_ymd(p.start, &x.y0, &x.m0, &x.d0);
    x.pm = x.m0;
    x.seg = p;
    if (segments(t, p, vi, &x, b) != 1)
        return BILL_OK;
    ts->month = x.d0 == 1 && p.end.day == p.start.day + month_len(x.y0, x.m0);
    ts->x = x;
    const turbo_plan *tp = f->v[vi].tb;
    int nfix = 0;
    ts->minimum = (fd){0, 0};
    b->n = 0;
    for (int o = 0; o < tp->nops; o++) {
        const turbo_op *op = &tp->op[o];
        const billi_charge *c = op->c;
        int rc = BILL_OK;
        if (op->op == TB_ENERGY && op->ntiers) {
            if (op->annual) {
                memcpy(ts->q[o], op->fc->q, sizeof ts->q[o]);
                memcpy(ts->q_large[o], op->fc->q_large, sizeof ts->q_large[o]);
            } else if (monthly_quotas(ts->q[o], &c->tiers, &x, 0) ||
                       monthly_quotas(ts->q_large[o], &c->tiers, &x, 1)) {
                return BILL_OK;
            }
            int nthr = c->tiers.nthr;
            int32_t qs = 0;
            for (int i = 0; i < nthr; i++) {
                qs = ts->q[o][i].s > qs ? ts->q[o][i].s : qs;
                qs = ts->q_large[o][i].s > qs ? ts->q_large[o][i].s : qs;
            }
            ts->qs[o] = qs;
            ts->qok[o] = qs <= 18 - TB_QSC;
            for (int d = 0; d < TB_QSC && ts->qok[o]; d++)
                for (int i = 0; i < nthr && ts->qok[o]; i++)
                    ts->qok[o] = at_scale(&ts->qi[o][0][d][i], ts->q[o][i], qs + d) &&
                                 at_scale(&ts->qi[o][1][d][i], ts->q_large[o][i], qs + d);
        } else if (op->op == TB_FIXED) {
            size_t n0 = b->n;
            rc = fixed(b, t, c, &x, 1, NULL);
            if (rc == BILL_OK && nfix + (int)(b->n - n0) > TB_MAX_FIX)
                rc = FAST_NO;
            ts->fix0[o] = nfix;
            ts->fix_sum[o] = (fd){0, 0};
            for (size_t i = n0; i < b->n && rc == BILL_OK; i++) {
                ts->fix[nfix++] = b->lines[i];
                if (f_add(&ts->fix_sum[o], ts->fix_sum[o], get(&b->lines[i].amount)))
                    rc = FAST_NO;
            }
            ts->nfix[o] = nfix - ts->fix0[o];
        } else if (op->op == TB_MIN) {
            rc = fixed(b, t, c, &x, 0, &ts->minimum);
        }
        if (rc == BILL_ENOMEM)
            return rc;
        if (rc != BILL_OK)
            return BILL_OK;
    }
    b->n = 0;
    ts->vi = vi;
    ts->ok = 1;
    return BILL_OK;
}

/* The next line, its fields other than the values from template k of the plan. */
static inline __attribute__((always_inline)) billi_line *
tline(bill_bill *b, const turbo_plan *tp, int k, uint64_t ep, bill_period seg)
{
    if (BILLI_UNLIKELY(b->n == b->cap) && grow(b) != BILL_OK)
        return NULL;
    billi_line *l = &b->lines[b->n++];
    uint64_t tid = ep | (uint64_t)(k + 1);
    if (BILLI_UNLIKELY(l->tid != tid)) {
        const turbo_tpl *x = &tp->tpl[k];
        l->kind = x->kind;
        l->ex = x->ex;
        l->charge = x->charge;
        l->charge_id = x->charge->id;
        l->component = x->component;
        l->band = x->band;
        l->unit = x->unit;
        l->annual = x->annual;
        l->per = x->per;
        l->flag = 0;
        l->seg = seg;
        put(&l->price, x->price);
        if (x->has_aux)
            put(&l->aux, x->aux);
        l->tid = tid;
    }
    return l;
}

#define TLINE(l, ...)                                                                          \
    do {                                                                                       \
        if (!((l) = tline(__VA_ARGS__)))                                                       \
            return BILL_ENOMEM;                                                                \
    } while (0)

/*
 * The amounts of a turbo bill's lines, summed: per line rounding at scale rs >= 0 (line:
 * every amount is at rs, summed as integers), else trimmed amounts summed as decimals.
 */
typedef struct tsum {
    int line, mode, any;
    int32_t rs;
    int64_t at_rs;           /* line: the sum at scale rs */
    fd sum;                  /* !line: the sum */
} tsum;

/* A line of quantity qty at price `price`: its values written, its amount summed. */
static inline __attribute__((always_inline)) int tvalue(billi_line *l, fd qty, fd price,
                                                       tsum *ts)
{
    fd a;
    if (f_mul(&a, qty, price))
        return -1;
    if (ts->line) {
        if (f_rescale(&a, a, ts->rs, ts->mode) || __builtin_add_overflow(ts->at_rs, a.c, &ts->at_rs))
            return -1;
    } else {
        if (a.s > ts->rs)
            a = f_trim(a, ts->rs);
        if (f_add(&ts->sum, ts->sum, a))
            return -1;
    }
    ts->any = 1;
    put(&l->qty, qty);
    put(&l->amount, a);
    return 0;
}

/* A line's amount a (written elsewhere) summed. */
static inline int tsum_fd(tsum *ts, fd a)
{
    ts->any = 1;
    if (ts->line)
        return a.s != ts->rs || __builtin_add_overflow(ts->at_rs, a.c, &ts->at_rs) ? -1 : 0;
    return f_add(&ts->sum, ts->sum, a);
}

/* The sum of the lines as finish() takes it (the fast path's f_add from 0 over them all). */
static inline int tsum_total(fd *r, const tsum *ts)
{
    if (!ts->line) {
        *r = ts->sum;
        return 0;
    }
    if (ts->at_rs == INT64_MIN)
        return -1;
    *r = ts->any ? (fd){ts->at_rs, ts->rs} : (fd){0, 0};
    return 0;
}

/* 1 when charge o is in the base of power-factor charge pfo (before it) */
static inline int op_in_base(const turbo_plan *tp, int pfo, int o)
{
    return o < 64 && (tp->op[pfo].fc->pf_base >> o & 1);
}

static int turbo_bill(const bill_tariff *t, const bill_usage *u, bill_bill *b)
{
    struct billi_turbo_state *ts = b->tstate;
    bill_period p = u->period;
    if (u->has_opened)
        return FAST_NO; /* a prorated first year, perhaps */
    if (BILLI_UNLIKELY(ts->uid != t->uid || ts->start != p.start.day || ts->end != p.end.day)) {
        b->tb_epoch++; /* the templates hold the segment, the fixed lines the period */
        int rc = turbo_period(t, p, b, ts);
        if (rc != BILL_OK)
            return rc;
    }
    if (!ts->ok)
        return FAST_NO;
    const turbo_plan *tp = t->fast->v[ts->vi].tb;

    int ntou = u->ntou;
    fd tou[BILL_TARIFF_MAX_TOU], total, cum;
    if (tp->ntou) {
        if (ntou != tp->ntou)
            return FAST_NO;
        for (int k = 0; k < ntou; k++)
            if (!key_eq(&tp->tou[k], u->tou_name[k]))
                return FAST_NO;
    }
    if (ntou > 0) {
        total = (fd){0, 0};
        for (int k = 0; k < ntou; k++)
            if (uget(&tou[k], &u->tou_kwh[k]) || f_add(&total, total, tou[k]))
                return FAST_NO;
        fd given;
        if (u->has_kwh && (uget(&given, &u->kwh) || f_cmp(total, given) != 0))
            return FAST_NO;
    } else if (uget(&total, &u->kwh)) {
        return FAST_NO;
    }
    if (uget(&cum, &u->ytd))
        return FAST_NO;

    b->n = 0;
    b->nsegments = 1;
    b->seg[0] = p;
    b->seg_ver[0] = ts->vi;
    uint64_t ep = b->tb_epoch << 16;
    tsum sum = {t->round_apply == BILLI_APPLY_LINE && t->round_scale >= 0, t->round_mode, 0,
                t->round_scale, 0, {0, 0}};
    billi_line *l;
    size_t cstart[TB_MAX_OPS + 1]; /* power factor: the first line of each charge */
    fctx seg;
    if (tp->two_part) {
        seg = ts->x;
        seg.total = seg.kwh = total;
        seg.cum = cum;
        seg.tou = tou;
    }
    /* rounding per line and one power-factor charge: its base (the amounts of the charges in
     * it, before it) summed as the lines are written, at rs */
    int pfo = -1, prev_in_base = 0, pf_any = 0;
    int64_t pf_at = 0, before = 0;
    size_t nbefore = 0;
    if (tp->npf == 1 && sum.line)
        for (int o = 0; o < tp->nops; o++)
            if (tp->op[o].op == TB_PF)
                pfo = o;
    for (int o = 0; o < tp->nops; o++) {
        const turbo_op *op = &tp->op[o];
        cstart[o] = b->n;
        if (prev_in_base) {
            pf_at += sum.at_rs - before;
            pf_any |= b->n > nbefore;
        }
        prev_in_base = pfo > o && op_in_base(tp, pfo, o);
        before = sum.at_rs;
        nbefore = b->n;
        if (op->op >= TB_DEMAND) { /* the fast path's lines, their amounts summed here */
            fd pfb = pf_any ? (fd){pf_at, sum.rs} : (fd){0, 0};
            int rc = op->op == TB_DEMAND     ? demand(b, t, op->c, u, &seg)
                     : op->op == TB_CAPACITY ? capacity(b, t, op->c, u, &seg)
                                             : power_factor(b, t, op->c, op->fc,
                                                            &t->versions[ts->vi], u, &seg, cstart, o,
                                                            o == pfo ? &pfb : NULL);
            if (rc != BILL_OK)
                return rc;
            for (size_t j = cstart[o]; j < b->n; j++)
                if (tsum_fd(&sum, get(&b->lines[j].amount)))
                    return FAST_NO;
            continue;
        }
        switch (op->op) {
        case TB_ENERGY: {
            fd tk[BILL_TARIFF_MAX_TIERS + 1], lo[BILL_TARIFF_MAX_TIERS + 1],
                hi[BILL_TARIFF_MAX_TIERS + 1];
            int i0 = 0, i1 = op->ntiers; /* the tiers [i0, i1) may hold kWh */
            if (op->ntiers) {
                const billi_tiers *tr = &op->c->tiers;
                int large = tr->lh_min_persons > 0 && u->household >= tr->lh_min_persons;
                const fd *q = large ? ts->q_large[o] : ts->q[o];
                fd start = op->annual ? cum : (fd){0, 0}, end;
                int nthr = tr->nthr;
                if (op->plain_tiers && total.c == 0)
                    return FAST_NO; /* the one tier the next kWh would fall in */
                if (f_add(&end, start, total))
                    return FAST_NO;
                int32_t sc = start.s > end.s ? start.s : end.s;
                sc = ts->qs[o] > sc ? ts->qs[o] : sc;
                int64_t si, ei;
                if (ts->qok[o] && sc - ts->qs[o] < TB_QSC && at_scale(&si, start, sc) &&
                    at_scale(&ei, end, sc)) {
                    /* tier_split's loop over the tiers from the one start is in to the one
                     * end is in, the quotas at scale sc from the period's table */
                    const int64_t *qi = ts->qi[o][large][sc - ts->qs[o]];
                    while (i0 < nthr && qi[i0] <= si)
                        i0++;
                    for (i1 = i0; i1 < nthr && qi[i1] < ei; i1++)
                        ;
                    i1++;
                    for (int i = i0; i < i1; i++)
                        if (tier_one(tk, lo, hi, i, q, qi, nthr, start, end, si, ei))
                            return FAST_NO;
                } else if (tier_split(tk, lo, hi, q, nthr, start, total)) {
                    return FAST_NO;
                }
            }
            int k = op->tpl;
            if (op->tou) {
                int nc = op->fc->ntou_comp;
                for (int q = 0; q < ntou; q++)
                    for (int j = 0; j < nc; j++, k++) {
                        TLINE(l, b, tp, k, ep, p);
                        if (tvalue(l, tou[q], tp->tpl[k].pamt, &sum))
                            return FAST_NO;
                    }
            }
            for (; k < op->tpl + op->ntpl; k++) { /* flat components on all kWh */
                TLINE(l, b, tp, k, ep, p);
                if (tvalue(l, total, tp->tpl[k].pamt, &sum))
                    return FAST_NO;
            }
            for (int i = i0 > 0 || op->plain_tiers ? i0 : 1; i < i1; i++) {
                int x = op->tier_tpl[i];
                if (x < 0 || tk[i].c == 0)
                    continue;
                TLINE(l, b, tp, x, ep, p);
                put(&l->lo, lo[i]);
                put(&l->hi, hi[i]);
                if (tvalue(l, tk[i], tp->tpl[x].pamt, &sum))
                    return FAST_NO;
            }
            break;
        }
        case TB_PER_KWH: {
            int ex = 0;
            for (int k = 0; k < op->c->nexempt; k++)
                ex |= key_eq(&op->fc->exempt[k], u->cls);
            if (ex)
                break;
            TLINE(l, b, tp, op->tpl, ep, p);
            if (tvalue(l, total, tp->tpl[op->tpl].pamt, &sum))
                return FAST_NO;
            break;
        }
        case TB_FIXED:
            for (int i = 0; i < ts->nfix[o]; i++) {
                int k = TB_MAX_TPL + 1 + ts->fix0[o] + i; /* after the plan's templates */
                uint64_t tid = ep | (uint64_t)k;
                if (BILLI_UNLIKELY(b->n == b->cap) && grow(b) != BILL_OK)
                    return BILL_ENOMEM;
                l = &b->lines[b->n++];
                if (l->tid != tid) {
                    *l = ts->fix[ts->fix0[o] + i];
                    l->tid = tid;
                }
            }
            if (ts->nfix[o] > 0) { /* the fixed amounts are at rs when rounded per line */
                if (sum.line) {
                    if (ts->fix_sum[o].s != sum.rs ||
                        __builtin_add_overflow(sum.at_rs, ts->fix_sum[o].c, &sum.at_rs))
                        return FAST_NO;
                } else if (f_add(&sum.sum, sum.sum, ts->fix_sum[o])) {
                    return FAST_NO;
                }
                sum.any = 1;
            }
            break;
        default: /* TB_MIN: the period's, in ts */
            break;
        }
    }
    fd sub;
    if (tsum_total(&sub, &sum))
        return FAST_NO;
    return finish(t, b, p, 1, sub, tp->has_min, ts->minimum, ep);
}

/* ---- the batch kernel --------------------------------------------------------------------- */

/*
 * billi_fast_batch: the turbo path's bills for many accounts at once, column by column
 * (batch.c's bill_batch_compute). The period state (version, quotas, fixed lines, minimum)
 * is the turbo path's; every column has one scale, so each line template's quantity and
 * product scales are the same for all accounts and its amounts are computed in one loop
 * over the accounts. Only values are kept (no lines): the sum of the amounts (at the
 * rounding scale when rounding per line; else exact at the largest product scale) and,
 * per account, the largest scale a present line's amount is shown with (which decides how
 * the subtotal is written), then the end of the bill as finish() does it: minimum, VAT,
 * rounding, the tax a VAT-inclusive total includes. An account with an overflow, a
 * quantity sum that disagrees with its total, or no kWh on a plain tier table is left to
 * the caller (done[i] = 0), who bills it one at a time.
 */

/* Account sums: an amount x at scale `from` added to acc[i] at scale to (line: rounded) */
static inline void k_add(int64_t *acc, uint8_t *bad, size_t i, int64_t x, int32_t from,
                         int32_t to, int line, int mode)
{
    fd a = {0, 0};
    int o;
    if (line)
        o = f_rescale(&a, (fd){x, from}, to, mode);
    else
        o = at_scale(&a.c, (fd){x, from}, to) ? 0 : -1;
    o |= __builtin_add_overflow(acc[i], a.c, &acc[i]);
    bad[i] |= (uint8_t)(o != 0);
}

/*
 * Division of 0 <= x < 2^63 by D = 10^d (1 <= d <= 18) by multiplying: with l = ceil(log2 D)
 * and m = floor(2^(63+l) / D) + 1, 2^(63+l) < m D <= 2^(63+l) + 2^l, so floor(x / D) =
 * floor(x m / 2^(63+l)) (Granlund and Montgomery, "Division by invariant integers using
 * multiplication", 1994, theorem 4.2, N = 63).
 */
typedef struct pdiv {
    uint64_t m;
    int sh;
    int64_t d, half;
} pdiv;

/* The same for any divisor 2 <= dv < 2^62 (the theorem holds for every divisor). */
static pdiv pdiv_make_any(int64_t dv)
{
    pdiv r;
    r.d = dv;
    int l = 64 - __builtin_clzll((uint64_t)r.d - 1);
    r.m = (uint64_t)(((fd_u128)1 << (63 + l)) / (uint64_t)r.d) + 1;
    r.sh = 63 + l;
    r.half = r.d / 2;
    return r;
}

static pdiv pdiv_make(int32_t d)
{
    pdiv r;
    r.d = p10[d];
    int l = 64 - __builtin_clzll((uint64_t)r.d - 1);
    r.m = (uint64_t)(((fd_u128)1 << (63 + l)) / (uint64_t)r.d) + 1;
    r.sh = 63 + l;
    r.half = r.d / 2;
    return r;
}

static inline int64_t pdiv_q(const pdiv *p, int64_t x)
{
    /* sh = 63 + l >= 64: the high word shifted, not a 128-bit shift */
    return (int64_t)((uint64_t)(((fd_u128)(uint64_t)x * p->m) >> 64) >> (p->sh - 64));
}

/*
 * x / d rounded HALF_UP for 0 <= x < 2^63: floor(x / d) + (x mod d >= d / 2) (d even: the
 * powers of ten); _2: + (2 (x mod d) >= d), for any d. In unsigned arithmetic, so that a
 * value the caller has already flagged as overflowed gives some number, not undefined
 * behaviour.
 */
static inline int64_t pdiv_half_up(const pdiv *p, int64_t x)
{
    uint64_t ux = (uint64_t)x, q = (uint64_t)(((fd_u128)ux * p->m) >> 64) >> (p->sh - 64);
    return (int64_t)(q + (ux - q * (uint64_t)p->d >= (uint64_t)p->half));
}

static inline int64_t pdiv_half_up2(const pdiv *p, int64_t x)
{
    uint64_t ux = (uint64_t)x, q = (uint64_t)(((fd_u128)ux * p->m) >> 64) >> (p->sh - 64);
    return (int64_t)(q + (2 * (ux - q * (uint64_t)p->d) >= (uint64_t)p->d));
}

int64_t billi_test_pdiv(int64_t d, int64_t x)
{
    pdiv p = d > 0 ? pdiv_make((int32_t)d) : pdiv_make_any(-d);
    return pdiv_q(&p, x);
}

/*
 * Overflow checked once a loop: the largest column value times the price, and the largest
 * sum of the amounts so far (*amax, every amount of every loop added), stay below 2^62; then
 * no account can overflow in the loop and it runs without checks.
 */
#define K_SAFE ((fd_u128)1 << 62)

static int64_t colmax(const int64_t *c, size_t n)
{
    int64_t m = 0;
    for (size_t i = 0; i < n; i++)
        m = c[i] > m ? c[i] : m;
    return m;
}

/* 1 when amounts c x price / 10^d (d >= 0) of c <= cmax cannot overflow: *amax grows */
static inline int k_safe(fd_u128 *amax, int64_t cmax, int64_t price, int32_t d)
{
    if (price < 0 || cmax < 0 || d < 0 || d > 18)
        return 0;
    fd_u128 x = (fd_u128)cmax * (uint64_t)price;
    if (x >= K_SAFE)
        return 0;
    fd_u128 a = x / (uint64_t)p10[d] + 1;
    if (*amax + a >= K_SAFE)
        return 0;
    *amax += a;
    return 1;
}

/* acc[i] += c[i] x price rounded HALF_UP from scale `from` to rs (from > rs), the sums at
 * rs: the common case of tariffs rounding each line, one loop per line template */
static void k_lines_half_up(int64_t *acc, uint8_t *bad, const int64_t *c, size_t n, int64_t price,
                            int32_t d, int safe)
{
    const pdiv pd = pdiv_make(d);
    if (safe) {
        for (size_t i = 0; i < n; i++) {
            acc[i] += pdiv_half_up(&pd, c[i] * price);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t x, a;
        int o = __builtin_mul_overflow(c[i], price, &x) | (x < 0);
        a = pdiv_half_up(&pd, x);
        o |= __builtin_add_overflow(acc[i], a, &acc[i]);
        bad[i] |= (uint8_t)o;
    }
}

/* The same for any case: acc[i] += c[i] x price at scale from, summed at `to`; cmax: the
 * largest c[i] */
static void k_lines(int64_t *acc, uint8_t *bad, const int64_t *c, int64_t cmax, size_t n, fd price,
                    int32_t from, int32_t to, int line, int mode, fd_u128 *amax)
{
    if (line && mode == BILL_ROUND_HALF_UP && from > to && from - to <= 18) {
        int safe = k_safe(amax, cmax, price.c, from - to);
        if (!safe)
            *amax = K_SAFE; /* this loop's amounts unbounded: checked loops from here */
        k_lines_half_up(acc, bad, c, n, price.c, from - to, safe);
        return;
    }
    if (!line && to >= from && to - from <= 18) { /* exact amounts, summed at `to` */
        int64_t m = p10[to - from], pm;
        if (!__builtin_mul_overflow(price.c, m, &pm) && k_safe(amax, cmax, pm, 0)) {
            for (size_t i = 0; i < n; i++)
                acc[i] += c[i] * pm;
            return;
        }
        *amax = K_SAFE;
        for (size_t i = 0; i < n; i++) {
            int64_t x, a;
            int o = __builtin_mul_overflow(c[i], price.c, &x) | __builtin_mul_overflow(x, m, &a);
            o |= __builtin_add_overflow(acc[i], a, &acc[i]);
            bad[i] |= (uint8_t)o;
        }
        return;
    }
    *amax = K_SAFE; /* unknown from here: checked loops */
    for (size_t i = 0; i < n; i++) {
        int64_t x;
        bad[i] |= (uint8_t)__builtin_mul_overflow(c[i], price.c, &x);
        k_add(acc, bad, i, x, from, to, line, mode);
    }
}

/* The one-pass bill of billi_fast_batch: its columns and constants. */
typedef struct kfused {
    const int64_t *c[BILL_TARIFF_MAX_TOU];
    int64_t p[BILL_TARIFF_MAX_TOU];
    pdiv pd[BILL_TARIFF_MAX_TOU];
    int ntl;
    int64_t l[BILL_TARIFF_MAX_TIERS + 1], u[BILL_TARIFF_MAX_TIERS + 1], tp[BILL_TARIFF_MAX_TIERS + 1];
    pdiv tpd[BILL_TARIFF_MAX_TIERS + 1];
    const int64_t *cv;
    int64_t ms, mt, rate;
    int vat;
    pdiv vd;
} kfused;

/*
 * Whether the one pass takes these accounts (see billi_fast_batch), *z filled: one energy
 * charge priced by TOU period (one component) with tier increments, every amount's scale
 * above rs, no household column the tiers read, and bounds showing that nothing overflows
 * for any account (the columns' largest values).
 */
static int tsafe_all(const turbo_plan *tp, const billi_batch_in *in, const int *col,
                     const int64_t *tmax, int64_t totmax, int32_t st, int32_t rs,
                     const struct billi_turbo_state *ts, int32_t ys, const int64_t *cumv, size_t n,
                     const bill_tariff *t, kfused *z)
{
    const turbo_op *op = &tp->op[0];
    z->vd = pdiv_make(1);
    if (op->op != TB_ENERGY || !op->tou || op->fc->ntou_comp != 1 || op->ntpl != tp->ntou ||
        !op->ntiers || op->plain_tiers || !ts->qok[0] || totmax == INT64_MAX)
        return 0;
    const billi_tiers *tr = &op->c->tiers;
    if (tr->lh_min_persons > 0 && in->household)
        return 0;
    fd_u128 amax = 0;
    for (int q = 0; q < tp->ntou; q++) {
        fd pr = tp->tpl[op->tpl + q].pamt;
        int32_t d = in->tou_s[col[q]] + pr.s - rs;
        if (d < 1 || d > 18 || !k_safe(&amax, tmax[col[q]], pr.c, d))
            return 0;
        z->c[q] = in->tou[col[q]];
        z->p[q] = pr.c;
        z->pd[q] = pdiv_make(d);
    }
    int32_t ss = op->annual ? ys : 0, es = ss > st ? ss : st, sc = es > ts->qs[0] ? es : ts->qs[0];
    if (sc - ts->qs[0] >= TB_QSC)
        return 0;
    z->ms = p10[sc - ss];
    z->mt = p10[sc - st];
    z->cv = op->annual && in->ytd ? cumv : NULL;
    int64_t ymax = z->cv ? (in->ytd_max >= 0 ? in->ytd_max : colmax(z->cv, n)) : 0;
    fd_u128 eb = (fd_u128)(uint64_t)totmax * (uint64_t)z->mt + (fd_u128)(uint64_t)ymax * (uint64_t)z->ms;
    if (eb >= K_SAFE)
        return 0;
    const int64_t *qi = ts->qi[0][0][sc - ts->qs[0]];
    int nthr = tr->nthr;
    z->ntl = 0;
    for (int x = 0; x <= nthr; x++) {
        int k = op->tier_tpl[x];
        if (k < 0)
            continue;
        fd pr = tp->tpl[k].pamt;
        int32_t d = sc + pr.s - rs;
        if (d < 1 || d > 18 || !k_safe(&amax, (int64_t)eb, pr.c, d))
            return 0;
        z->l[z->ntl] = x == 0 ? 0 : qi[x - 1];
        z->u[z->ntl] = x < nthr ? qi[x] : INT64_MAX;
        z->tp[z->ntl] = pr.c;
        z->tpd[z->ntl] = pdiv_make(d);
        z->ntl++;
    }
    const billi_fast *f = t->fast;
    fd rate = get(&t->vat_rate);
    z->vat = t->vat;
    z->rate = rate.c;
    if (t->vat == BILLI_VAT_INCLUSIVE) {
        if (f->vat_den <= 1 || f->vat_den >= ((int64_t)1 << 62) || rate.c < 0 ||
            amax * (uint64_t)rate.c >= K_SAFE)
            return 0;
        z->vd = pdiv_make_any(f->vat_den);
    } else if (t->vat == BILLI_VAT_EXCLUSIVE) {
        if (rate.c < 0 || rate.s < 1 || rate.s > 18 || amax * (uint64_t)rate.c >= K_SAFE)
            return 0;
        z->vd = pdiv_make(rate.s);
    }
    return 1;
}

/*
 * The commonest bill (residential TOU prices with tier increments, rounded HALF_UP per line,
 * VAT included, added or none, nothing else) in one pass over the accounts, every value in
 * registers, when no account can overflow (the TOU columns' total bounded by totmax) and no
 * total column is to be checked: 1 and *done set when it ran, else 0 (the passes of
 * billi_fast_batch do the same).
 */
static int fused(const bill_tariff *t, const turbo_plan *tp, const billi_batch_in *in,
                 const int *col, const int64_t *tmax, int64_t totmax, int32_t st,
                 const struct billi_turbo_state *ts, billi_batch_out *out, long *done)
{
    const int32_t rs = t->round_scale;
    kfused fz;
    size_t n = in->n;
    if (t->round_apply != BILLI_APPLY_LINE || t->round_mode != BILL_ROUND_HALF_UP || rs < 0 ||
        rs > 18 || tp->nops != 1 || tp->has_min || in->ntou != tp->ntou ||
        !tsafe_all(tp, in, col, tmax, totmax, st, rs, ts, in->ytd ? in->ytd_s : 0, in->ytd, n, t,
                   &fz))
        return 0;
    const int K = tp->ntou, nt = fz.ntl;
    int64_t mk[BILL_TARIFF_MAX_TOU];
    for (int k = 0; k < K; k++)
        mk[k] = p10[st - in->tou_s[col[k]]];
    for (size_t i = 0; i < n; i++) {
        int64_t a = 0, tt = 0;
        for (int k = 0; k < K; k++) {
            int64_t c = fz.c[k][i];
            a += pdiv_half_up(&fz.pd[k], c * fz.p[k]);
            tt += c * mk[k];
        }
        int64_t si = fz.cv ? fz.cv[i] * fz.ms : 0, ei = si + tt * fz.mt;
        for (int x = 0; x < nt; x++) {
            int64_t lo = fz.l[x] > si ? fz.l[x] : si, hi = fz.u[x] < ei ? fz.u[x] : ei;
            a += pdiv_half_up(&fz.tpd[x], (hi > lo ? hi - lo : 0) * fz.tp[x]);
        }
        int64_t tax = 0, total = a;
        if (fz.vat == BILLI_VAT_INCLUSIVE) {
            tax = pdiv_half_up2(&fz.vd, a * fz.rate);
        } else if (fz.vat == BILLI_VAT_EXCLUSIVE) {
            tax = pdiv_half_up(&fz.vd, a * fz.rate);
            total = a + tax;
        }
        out->total[i] = total;
        out->total_s[i] = (int8_t)rs;
        out->sub[i] = a;
        out->sub_s[i] = (int8_t)rs;
        out->tax[i] = tax;
        out->tax_s[i] = (int8_t)(fz.vat == BILLI_VAT_NONE ? 0 : rs);
        out->done[i] = 1;
    }
    *done = (long)n;
    return 1;
}

long billi_fast_batch(const bill_tariff *t, bill_period p, const billi_batch_in *in,
                      billi_batch_out *out, bill_bill *scratch)
{
    const billi_fast *f = t->fast;
    size_t n = in->n;
    if (!f || !f->batch || n == 0)
        return 0;
    struct billi_turbo_state *ts = calloc(1, sizeof *ts);
    int64_t *tot = malloc(n * sizeof *tot), *acc = malloc(n * sizeof *acc);
    int64_t *cum = malloc(n * sizeof *cum);
    int8_t *ms = malloc(n);
    int64_t *pfb = NULL, *tsi = malloc(n * sizeof *tsi), *tei = malloc(n * sizeof *tei);
    uint8_t *bad = calloc(n, 1), *tlg = malloc(n);
    long done = 0;
    if (!ts || !tot || !acc || !cum || !ms || !bad || !tsi || !tei || !tlg) {
        done = BILL_ENOMEM;
        goto out;
    }
    int rc = turbo_period(t, p, scratch, ts);
    scratch->tb_epoch++; /* its lines were written here */
    scratch->n = 0;
    if (rc != BILL_OK) {
        done = rc;
        goto out;
    }
    if (!ts->ok)
        goto out;
    const turbo_plan *tp = f->v[ts->vi].tb;
    const int32_t rs = t->round_scale;
    const int mode = t->round_mode, line = t->round_apply == BILLI_APPLY_LINE;
    if (rs < 0 || rs > 18)
        goto out;

    /* the TOU periods of the plan -> columns; the total kWh at scale st */
    int col[BILL_TARIFF_MAX_TOU];
    if (tp->ntou) {
        if (in->ntou != tp->ntou)
            goto out;
        for (int q = 0; q < tp->ntou; q++) {
            col[q] = -1;
            for (int k = 0; k < in->ntou; k++)
                if (key_eq(&tp->tou[q], in->tou_name[k]))
                    col[q] = k;
            if (col[q] < 0)
                goto out;
        }
    }
    int32_t st = 0;
    int64_t tmax[BILL_TARIFF_MAX_TOU], totmax = 0; /* the columns' largest values */
    if (in->ntou > 0) {
        for (int k = 0; k < in->ntou; k++)
            st = in->tou_s[k] > st ? in->tou_s[k] : st;
        /* the total's bound from the columns' largest values: no check in the loop below it */
        fd_u128 tb = 0;
        for (int k = 0; k < in->ntou; k++) {
            tmax[k] = in->tou_max[k] >= 0 ? in->tou_max[k] : colmax(in->tou[k], n);
            tb += (fd_u128)tmax[k] * (uint64_t)p10[st - in->tou_s[k]];
        }
        int tsafe = tb < K_SAFE;
        totmax = tsafe ? (int64_t)tb : INT64_MAX;
        if (tsafe && !in->kwh && fused(t, tp, in, col, tmax, totmax, st, ts, out, &done))
            goto out;
        for (int k = 0; k < in->ntou; k++) {
            const int64_t *c = in->tou[k];
            int64_t m = p10[st - in->tou_s[k]], v;
            if (tsafe && k == 0)
                for (size_t i = 0; i < n; i++)
                    tot[i] = c[i] * m;
            else if (tsafe)
                for (size_t i = 0; i < n; i++)
                    tot[i] += c[i] * m;
            else if (k == 0)
                for (size_t i = 0; i < n; i++)
                    bad[i] |= (uint8_t)__builtin_mul_overflow(c[i], m, &tot[i]);
            else
                for (size_t i = 0; i < n; i++)
                    bad[i] |= (uint8_t)(__builtin_mul_overflow(c[i], m, &v) |
                                        __builtin_add_overflow(tot[i], v, &tot[i]));
        }
        if (in->kwh) { /* a check: the same value */
            int32_t sc = st > in->kwh_s ? st : in->kwh_s;
            int64_t ma = p10[sc - st], mb = p10[sc - in->kwh_s], a, b;
            for (size_t i = 0; i < n; i++)
                bad[i] |= (uint8_t)(__builtin_mul_overflow(tot[i], ma, &a) |
                                    __builtin_mul_overflow(in->kwh[i], mb, &b) | (a != b));
        }
    } else if (in->kwh) {
        st = in->kwh_s;
        memcpy(tot, in->kwh, n * sizeof *tot);
        totmax = colmax(tot, n);
    } else {
        goto out;
    }
    fd_u128 amax = 0; /* the amounts' bound (overflow checked once a loop) */
    int32_t ys = in->ytd ? in->ytd_s : 0;
    const int64_t *cumv = in->ytd ? in->ytd : cum;
    if (!in->ytd)
        memset(cum, 0, n * sizeof *cum);

    /* the scale of the sums: rs, or the largest product scale of the plan's lines */
    int32_t sa = rs, base = -1; /* base: the largest shown scale of the lines every bill has */
    int pfo = -1;               /* the power-factor charge: its base's amounts summed in pfb */
    const fast_pf *pf = NULL;
    for (int o = 0; o < tp->nops; o++) {
        const turbo_op *op = &tp->op[o];
        int k = op->tpl;
        if (op->op == TB_ENERGY) {
            int32_t es = op->annual ? (ys > st ? ys : st) : st, sc = es > ts->qs[o] ? es : ts->qs[o];
            if (op->ntiers && (!ts->qok[o] || sc - ts->qs[o] >= TB_QSC))
                goto out;
            if (op->tou)
                for (int q = 0; q < tp->ntou; q++)
                    for (int j = 0; j < op->fc->ntou_comp; j++, k++) {
                        int32_t ps = in->tou_s[col[q]] + tp->tpl[k].pamt.s;
                        sa = ps > sa ? ps : sa;
                        int32_t shown = ps < rs && !line ? in->tou_s[col[q]] + tp->tpl[k].price.s : rs;
                        base = shown > base ? shown : base;
                    }
            for (; k < op->tpl + op->ntpl; k++) {
                int32_t ps = st + tp->tpl[k].pamt.s;
                sa = ps > sa ? ps : sa;
                int32_t shown = ps < rs && !line ? st + tp->tpl[k].price.s : rs;
                base = shown > base ? shown : base;
            }
            for (int i = 0; i < op->ntiers; i++)
                if (op->tier_tpl[i] >= 0) {
                    int32_t ps = sc + tp->tpl[op->tier_tpl[i]].pamt.s;
                    sa = ps > sa ? ps : sa;
                }
        } else if (op->op == TB_PER_KWH) {
            int32_t ps = st + tp->tpl[k].pamt.s;
            sa = ps > sa ? ps : sa;
        } else if (op->op == TB_DEMAND || op->op == TB_CAPACITY || op->op == TB_PF) {
            /* one whole month (no proration), rounding per line, the columns they read */
            const billi_charge *c = op->c;
            if (!line || !ts->month)
                goto out;
            if (op->op == TB_DEMAND &&
                (c->basis == BILLI_DEMAND_CONTRACTED ? !in->decl : !in->maxd))
                goto out;
            if (op->op == TB_CAPACITY && !in->cap)
                goto out;
            if (op->op == TB_PF) {
                int si = in->pf_standard[0] ? std_index(in->pf_standard) : op->fc->pf_default;
                if (tp->npf != 1 || !in->kvarh || (si < 0 && !c->pf_table) ||
                    !op->fc->pf[c->pf_table ? 0 : 1 + si].ok)
                    goto out;
                pfo = o;
                pf = &op->fc->pf[c->pf_table ? 0 : 1 + si];
            }
            base = rs > base ? rs : base;
        } else if (op->op == TB_FIXED) {
            for (int i = 0; i < ts->nfix[o]; i++) {
                int32_t s = ts->fix[ts->fix0[o] + i].amount.scale_;
                if (line && s != rs)
                    goto out;
                sa = s > sa ? s : sa;
                s = s < rs && !line ? s : rs;
                base = s > base ? s : base;
            }
        }
    }
    if (line)
        sa = rs;
    if (sa > 18)
        goto out;
    memset(acc, 0, n * sizeof *acc);
    memset(ms, base, n);
    if (pfo >= 0 && !(pfb = calloc(n, sizeof *pfb))) {
        done = BILL_ENOMEM;
        goto out;
    }

    for (int o = 0; o < tp->nops; o++) {
        const turbo_op *op = &tp->op[o];
        int k = op->tpl;
        /* a charge in the power-factor base before it: its amounts summed in pfb */
        int64_t *dst = pfo > o && (op_in_base(tp, pfo, o)) ? pfb : acc;
        switch (op->op) {
        case TB_ENERGY:
            if (op->tou)
                for (int q = 0; q < tp->ntou; q++)
                    for (int j = 0; j < op->fc->ntou_comp; j++, k++) {
                        fd pr = tp->tpl[k].pamt;
                        k_lines(dst, bad, in->tou[col[q]], tmax[col[q]], n, pr,
                                in->tou_s[col[q]] + pr.s, sa, line, mode, &amax);
                    }
            for (; k < op->tpl + op->ntpl; k++) {
                fd pr = tp->tpl[k].pamt;
                k_lines(dst, bad, tot, totmax, n, pr, st + pr.s, sa, line, mode, &amax);
            }
            if (op->ntiers) {
                const billi_tiers *tr = &op->c->tiers;
                int nthr = tr->nthr;
                int32_t ss = op->annual ? ys : 0, es = ss > st ? ss : st;
                int32_t sc = es > ts->qs[o] ? es : ts->qs[o];
                int64_t ms_ = p10[sc - ss], mt = p10[sc - st];
                const int64_t *q0 = ts->qi[o][0][sc - ts->qs[o]], *q1 = ts->qi[o][1][sc - ts->qs[o]];
                /* per tier: its price, and its rounding by multiplying when HALF_UP per line */
                pdiv tpd[BILL_TARIFF_MAX_TIERS + 1];
                int tfast[BILL_TARIFF_MAX_TIERS + 1], tl[BILL_TARIFF_MAX_TIERS + 1], ntl = 0;
                for (int x = 0; x <= nthr; x++) {
                    int tk_ = op->tier_tpl[x];
                    if (tk_ >= 0)
                        tl[ntl++] = x; /* the tiers with a line */
                    int32_t from = tk_ >= 0 ? sc + tp->tpl[tk_].pamt.s : 0;
                    tfast[x] = tk_ >= 0 && line && mode == BILL_ROUND_HALF_UP && from > rs &&
                               from - rs <= 18;
                    if (tfast[x])
                        tpd[x] = pdiv_make(from - rs);
                }
                int allfast = line && ntl > 0;
                for (int xi = 0; xi < ntl; xi++)
                    allfast &= tfast[tl[xi]];
                if (allfast) {
                    /* every tier line rounded HALF_UP per line: the year's kWh range of each
                     * account, then one loop over the accounts per tier line, without
                     * branches (an empty tier adds 0) */
                    const int32_t *hh = tr->lh_min_persons > 0 ? in->household : NULL;
                    const int32_t lhmin = tr->lh_min_persons;
                    const int annual = op->annual, plain = op->plain_tiers;
                    const int64_t *cv = annual ? cumv : NULL;
                    fd_u128 eb = (fd_u128)(uint64_t)totmax * (uint64_t)mt +
                                 (cv ? (fd_u128)(uint64_t)colmax(cv, n) * (uint64_t)ms_ : 0);
                    if (eb < K_SAFE && !plain) { /* no overflow: without checks */
                        for (size_t i = 0; i < n; i++) {
                            int64_t si = cv ? cv[i] * ms_ : 0;
                            tsi[i] = si;
                            tei[i] = si + tot[i] * mt;
                        }
                    } else {
                        for (size_t i = 0; i < n; i++) {
                            int64_t si = 0, ti, ei;
                            int ov = 0;
                            if (cv)
                                ov |= __builtin_mul_overflow(cv[i], ms_, &si);
                            ov |= __builtin_mul_overflow(tot[i], mt, &ti) | __builtin_add_overflow(si, ti, &ei);
                            ov |= plain & (tot[i] == 0);
                            tsi[i] = si;
                            tei[i] = ei;
                            bad[i] |= (uint8_t)ov;
                        }
                    }
                    if (hh)
                        for (size_t i = 0; i < n; i++)
                            tlg[i] = (uint8_t)(hh[i] >= lhmin);
                    for (int xi = 0; xi < ntl; xi++) {
                        int x = tl[xi];
                        const pdiv pd = tpd[x];
                        const int64_t price = tp->tpl[op->tier_tpl[x]].pamt.c;
                        const int64_t l0 = x == 0 ? 0 : q0[x - 1], l1 = x == 0 ? 0 : q1[x - 1];
                        const int64_t u0 = x < nthr ? q0[x] : INT64_MAX, u1 = x < nthr ? q1[x] : INT64_MAX;
                        int64_t tkmax;
                        if (!__builtin_mul_overflow(totmax, mt, &tkmax) &&
                            k_safe(&amax, tkmax, price, (int32_t)(sc + tp->tpl[op->tier_tpl[x]].pamt.s - rs))) {
                            if (!hh) { /* tk <= tot x mt: no overflow; one quota table */
                                for (size_t i = 0; i < n; i++) {
                                    int64_t lo = l0 > tsi[i] ? l0 : tsi[i];
                                    int64_t hi = u0 < tei[i] ? u0 : tei[i];
                                    dst[i] += pdiv_half_up(&pd, (hi > lo ? hi - lo : 0) * price);
                                }
                                continue;
                            }
                            for (size_t i = 0; i < n; i++) { /* tk <= tot x mt: no overflow */
                                int64_t lo = tlg[i] ? l1 : l0, hi = tlg[i] ? u1 : u0;
                                lo = lo > tsi[i] ? lo : tsi[i];
                                hi = hi < tei[i] ? hi : tei[i];
                                dst[i] += pdiv_half_up(&pd, (hi > lo ? hi - lo : 0) * price);
                            }
                            continue;
                        }
                        amax = K_SAFE;
                        if (!hh)
                            memset(tlg, 0, n);
                        for (size_t i = 0; i < n; i++) {
                            int64_t lo = tlg[i] ? l1 : l0, hi = tlg[i] ? u1 : u0, y;
                            lo = lo > tsi[i] ? lo : tsi[i];
                            hi = hi < tei[i] ? hi : tei[i];
                            int64_t tk = 0;
                            int ov = hi > lo && __builtin_sub_overflow(hi, lo, &tk);
                            ov |= __builtin_mul_overflow(tk, price, &y) | (y < 0);
                            ov |= __builtin_add_overflow(dst[i], pdiv_half_up(&pd, y), &dst[i]);
                            bad[i] |= (uint8_t)ov;
                        }
                    }
                    if (op->plain_tiers) /* kWh > 0 (else bad): a tier line, shown at rs */
                        for (size_t i = 0; i < n; i++)
                            ms[i] = ms[i] < rs ? (int8_t)rs : ms[i];
                    break;
                }
                amax = K_SAFE; /* amounts not bounded here: checked loops from here */
                for (size_t i = 0; i < n; i++) {
                    int large = tr->lh_min_persons > 0 && in->household &&
                                in->household[i] >= tr->lh_min_persons;
                    const int64_t *qi = large ? q1 : q0;
                    int64_t si = 0, ti, ei;
                    if (op->annual)
                        bad[i] |= (uint8_t)__builtin_mul_overflow(cumv[i], ms_, &si);
                    bad[i] |= (uint8_t)(__builtin_mul_overflow(tot[i], mt, &ti) |
                                        __builtin_add_overflow(si, ti, &ei));
                    if (op->plain_tiers && tot[i] == 0)
                        bad[i] = 1; /* the one tier the next kWh would fall in */
                    for (int xi = 0; xi < ntl; xi++) {
                        int x = tl[xi], tk_ = op->tier_tpl[x];
                        int64_t lo = x == 0 ? 0 : qi[x - 1], hi = x < nthr && qi[x] < ei ? qi[x] : ei;
                        if (lo <= si)
                            lo = si;
                        if (hi <= lo)
                            continue;
                        fd pr = tp->tpl[tk_].pamt;
                        int64_t y;
                        int64_t tk;
                        bad[i] |= (uint8_t)(__builtin_sub_overflow(hi, lo, &tk) |
                                            __builtin_mul_overflow(tk, pr.c, &y));
                        if (tfast[x]) {
                            bad[i] |= (uint8_t)((y < 0) | __builtin_add_overflow(
                                                              dst[i], pdiv_half_up(&tpd[x], y),
                                                              &dst[i]));
                        } else {
                            k_add(dst, bad, i, y, sc + pr.s, sa, line, mode);
                        }
                        int32_t shown = sc + pr.s < rs && !line ? sc + tp->tpl[tk_].price.s : rs;
                        if (shown > ms[i])
                            ms[i] = (int8_t)shown;
                    }
                }
            }
            break;
        case TB_PER_KWH: {
            fd pr = tp->tpl[k].pamt;
            int32_t from = st + pr.s, shown = from < rs && !line ? st + tp->tpl[k].price.s : rs;
            int all_ex = 0;
            if (!in->cls)
                for (int e = 0; e < op->c->nexempt; e++)
                    all_ex |= key_eq(&op->fc->exempt[e], in->cls_all);
            if (all_ex)
                break;
            if (!line || !k_safe(&amax, totmax, pr.c, from - rs))
                amax = K_SAFE;
            for (size_t i = 0; i < n; i++) {
                int e_ = 0;
                if (in->cls)
                    for (int e = 0; e < op->c->nexempt; e++)
                        e_ |= key_eq(&op->fc->exempt[e], in->cls[i]);
                if (e_)
                    continue;
                int64_t x;
                bad[i] |= (uint8_t)__builtin_mul_overflow(tot[i], pr.c, &x);
                k_add(dst, bad, i, x, from, sa, line, mode);
                if (shown > ms[i])
                    ms[i] = (int8_t)shown;
            }
            break;
        }
        case TB_FIXED:
            if (ts->nfix[o] > 0) {
                fd fs = ts->fix_sum[o];
                int64_t v;
                if (!at_scale(&v, fs, sa))
                    goto out;
                amax += (fd_u128)(v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
                for (size_t i = 0; i < n; i++)
                    bad[i] |= (uint8_t)__builtin_add_overflow(dst[i], v, &dst[i]);
            }
            break;
        case TB_CAPACITY: {
            fd pr = get(&op->c->price);
            k_lines(dst, bad, in->cap, colmax(in->cap, n), n, pr, in->cap_s + pr.s, sa, line, mode,
                    &amax);
            break;
        }
        case TB_DEMAND: { /* the fast path's demand() for one whole month */
            const billi_charge *c = op->c;
            amax = K_SAFE;
            fd price = get(&c->price), p2, mf = get(&c->min_fraction), tol = get(&c->tolerance);
            int contracted = c->basis == BILLI_DEMAND_CONTRACTED;
            if (f_mul(&p2, price, get(&c->excess_mult)))
                goto out;
            for (size_t i = 0; i < n; i++) {
                fd maxd = {in->maxd ? in->maxd[i] : 0, in->maxd ? in->maxd_s : 0};
                fd decl = {in->decl ? in->decl[i] : 0, in->decl ? in->decl_s : 0};
                fd billed = maxd, lim = {0, 0}, over = {0, 0}, a1 = {0, 0}, a2 = {0, 0};
                int ex = 0, ov = 0;
                if (contracted) {
                    billed = decl;
                    if (in->cap) {
                        fd floor;
                        ov |= f_mul(&floor, (fd){in->cap[i], in->cap_s}, mf);
                        if (!ov && f_cmp(billed, floor) < 0)
                            billed = floor;
                    }
                    ov |= f_mul(&lim, billed, tol);
                    if (!ov && in->maxd && f_cmp(maxd, lim) > 0) {
                        ex = 1;
                        ov |= f_sub(&over, maxd, lim);
                    }
                }
                ov |= f_amount(&a1, t, ex ? lim : billed, price);
                if (ex)
                    ov |= f_amount(&a2, t, over, p2);
                ov |= a1.s != rs || (ex && a2.s != rs);
                ov |= __builtin_add_overflow(dst[i], a1.c, &dst[i]);
                ov |= __builtin_add_overflow(dst[i], a2.c, &dst[i]);
                bad[i] |= (uint8_t)(ov != 0);
            }
            break;
        }
        case TB_PF: /* the fast path's power_factor(): base x percent / 100 */
            amax = K_SAFE;
            for (size_t i = 0; i < n; i++) {
                int kk = pf_hundredths((fd){tot[i], st}, (fd){in->kvarh[i], in->kvarh_s});
                fd a = {0, 0};
                int ov = kk < 0;
                if (!ov)
                    ov = f_mul(&a, (fd){pfb[i], rs}, pf->pct[kk]) || f_mul(&a, a, (fd){1, 2}) ||
                         f_rescale(&a, a, rs, mode);
                ov |= __builtin_add_overflow(acc[i], pfb[i], &acc[i]);
                ov |= __builtin_add_overflow(acc[i], a.c, &acc[i]);
                bad[i] |= (uint8_t)(ov != 0);
            }
            break;
        default:
            break;
        }
    }

    /* the end of each bill, as finish(): rounding per line, no minimum, VAT added at a
     * scale above rs or included (the common cases) on integers at rs */
    int vat = t->vat;
    fd rate = get(&t->vat_rate);
    if (line && !tp->has_min && base >= 0 &&
        (vat == BILLI_VAT_INCLUSIVE || vat == BILLI_VAT_NONE ||
         (vat == BILLI_VAT_EXCLUSIVE && mode == BILL_ROUND_HALF_UP && rate.c >= 0 &&
          rate.s > 0 && rate.s <= 18))) {
        pdiv pd = pdiv_make(vat == BILLI_VAT_EXCLUSIVE ? rate.s : 1);
        int vat_fast = mode == BILL_ROUND_HALF_UP && f->vat_den > 1 && f->vat_den < ((int64_t)1 << 62);
        pdiv vd = pdiv_make_any(vat_fast ? f->vat_den : 2);
        if (vat == BILLI_VAT_INCLUSIVE && vat_fast && rate.c >= 0 &&
            amax * (uint64_t)rate.c < K_SAFE) {
            /* the VAT included in a total >= 0 that cannot overflow: without branches */
            for (size_t i = 0; i < n; i++) {
                int64_t total = acc[i], tt = total * rate.c;
                int ok = !bad[i] & (ms[i] >= 0) & (total >= 0);
                out->total[i] = total;
                out->total_s[i] = (int8_t)rs;
                out->sub[i] = total;
                out->sub_s[i] = (int8_t)rs;
                out->tax[i] = pdiv_half_up2(&vd, tt);
                out->tax_s[i] = (int8_t)rs;
                out->done[i] = (uint8_t)ok;
                done += ok;
            }
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            out->done[i] = 0;
            if (bad[i] || ms[i] < 0)
                continue;
            int64_t sub = acc[i], tax = 0, total = sub;
            if (vat == BILLI_VAT_EXCLUSIVE) {
                int64_t x;
                if (sub < 0 || __builtin_mul_overflow(sub, rate.c, &x))
                    continue;
                tax = pdiv_half_up(&pd, x);
                if (__builtin_add_overflow(sub, tax, &total))
                    continue;
            } else if (vat == BILLI_VAT_INCLUSIVE && vat_fast) {
                /* vat_included's division by 1 + rate, HALF_UP of a quotient >= 0 */
                int64_t tt;
                if (total < 0 || __builtin_mul_overflow(total, rate.c, &tt))
                    continue;
                tax = pdiv_half_up2(&vd, tt); /* exact: no correction */
                out->tax_s[i] = (int8_t)rs;
            } else if (vat == BILLI_VAT_INCLUSIVE) {
                fd tx;
                if (vat_included(&tx, t, (fd){total, rs}))
                    continue;
                tax = tx.c;
                out->tax_s[i] = (int8_t)tx.s;
            }
            out->total[i] = total;
            out->total_s[i] = (int8_t)rs;
            out->sub[i] = sub;
            out->sub_s[i] = (int8_t)rs;
            out->tax[i] = tax;
            if (vat != BILLI_VAT_INCLUSIVE)
                out->tax_s[i] = (int8_t)(vat == BILLI_VAT_EXCLUSIVE ? rs : 0);
            out->done[i] = 1;
            done++;
        }
        goto out;
    }
    /* amounts not rounded per line (summed exactly at sa), HALF_UP on the total, VAT added or
     * none: on integers, the subtotal and tax kept untrimmed (trimmed when read) */
    fd mn = ts->minimum;
    if (!line && mode == BILL_ROUND_HALF_UP && base >= rs && sa >= rs &&
        (vat == BILLI_VAT_NONE ||
         (vat == BILLI_VAT_EXCLUSIVE && rate.c >= 0 && rate.s >= 0 && sa + rate.s <= 18 &&
          (!tp->has_min || mn.s + rate.s >= rs))) &&
        (!tp->has_min || (mn.s <= sa && mn.c >= 0))) {
        int32_t s2 = vat == BILLI_VAT_EXCLUSIVE ? sa + rate.s : sa;
        int64_t r2 = vat == BILLI_VAT_EXCLUSIVE ? p10[rate.s] : 1, mina = 0;
        if (tp->has_min && !at_scale(&mina, mn, sa))
            goto generic;
        pdiv pd = pdiv_make(s2 > rs ? s2 - rs : 1);
        for (size_t i = 0; i < n; i++) {
            out->done[i] = 0;
            if (bad[i] || ms[i] < rs)
                continue;
            int64_t v = acc[i], subv = v, x = 0, sum, total;
            int below = tp->has_min && v < mina;
            if (below)
                subv = mina;
            if (subv < 0)
                continue;
            if (vat == BILLI_VAT_EXCLUSIVE) {
                if (__builtin_mul_overflow(subv, rate.c, &x) ||
                    __builtin_mul_overflow(subv, r2, &sum) || __builtin_add_overflow(sum, x, &sum))
                    continue;
            } else {
                sum = subv;
            }
            if (s2 > rs) {
                total = pdiv_half_up(&pd, sum);
            } else {
                total = sum;
            }
            out->total[i] = total;
            out->total_s[i] = (int8_t)rs;
            if (below) {
                out->sub[i] = mn.c;
                out->sub_s[i] = (int8_t)mn.s;
            } else {
                out->sub[i] = v;
                out->sub_s[i] = (int8_t)sa;
            }
            out->tax[i] = x;
            out->tax_s[i] = (int8_t)(vat == BILLI_VAT_EXCLUSIVE ? s2 : 0);
            out->trim[i] = (uint8_t)((below ? 0 : 1) | (vat == BILLI_VAT_EXCLUSIVE ? 2 : 0));
            out->done[i] = 1;
            done++;
        }
        goto out;
    }
generic:
    for (size_t i = 0; i < n; i++) {
        out->done[i] = 0;
        if (bad[i])
            continue;
        fd v = {acc[i], sa}, sub, sum, total, tax = {0, 0};
        if (ms[i] < 0) {
            v = (fd){0, 0};
            sub = v;
        } else if (ms[i] >= rs) {
            sub = f_trim(v, rs);
        } else {
            sub = (fd){v.c / p10[sa - ms[i]], ms[i]}; /* exact: every amount is at ms[i] or less */
            v = sub;
        }
        sum = v;
        if (tp->has_min && f_cmp(sub, ts->minimum) < 0) {
            fd top;
            if (f_sub(&top, ts->minimum, sub) || f_add(&sum, sum, top))
                continue;
            sub = ts->minimum;
        }
        if (t->vat == BILLI_VAT_EXCLUSIVE &&
            (f_amount(&tax, t, sub, get(&t->vat_rate)) || f_add(&sum, sum, tax)))
            continue;
        sum = f_trim(sum, rs);
        if (f_rescale(&total, sum, rs, mode))
            continue;
        if (t->vat == BILLI_VAT_INCLUSIVE && vat_included(&tax, t, total))
            continue;
        out->total[i] = total.c;
        out->total_s[i] = (int8_t)total.s;
        out->sub[i] = sub.c;
        out->sub_s[i] = (int8_t)sub.s;
        out->tax[i] = tax.c;
        out->tax_s[i] = (int8_t)tax.s;
        out->done[i] = 1;
        done++;
    }
out:
    free(tsi);
    free(tei);
    free(tlg);
    free(pfb);
    free(ts);
    free(tot);
    free(acc);
    free(cum);
    free(ms);
    free(bad);
    return done;
}

/* The big parts the general path may have left in b's lines and totals, freed (put()). */
static __attribute__((noinline)) void clear_big(bill_bill *b)
{
    bill_dec *tot[] = {&b->subtotal, &b->tax, &b->total, &b->sum};
    for (size_t k = 0; k < sizeof tot / sizeof tot[0]; k++)
        if (tot[k]->big_)
            bill_dec_clear(tot[k]);
    for (size_t i = 0; i < b->cap; i++) {
        billi_line *l = &b->lines[i];
        bill_dec *d[] = {&l->qty, &l->price, &l->amount, &l->lo, &l->hi, &l->aux, &l->x, &l->y};
        for (size_t k = 0; k < sizeof d / sizeof d[0]; k++)
            if (d[k]->big_)
                bill_dec_clear(d[k]);
    }
}

int billi_fast_compute(const bill_tariff *t, const bill_usage *u, bill_bill *b)
{
    /* the usage's cache lines read below, all requested at once (a billing run reads each
     * usage once: they are rarely in the cache) */
    __builtin_prefetch(&u->has_period);
    __builtin_prefetch(&u->ytd);
    __builtin_prefetch(&u->tou_kwh[0]);
    __builtin_prefetch(&u->tou_kwh[2]);
    __builtin_prefetch(u->tou_name[0]);
    __builtin_prefetch(u->tou_name[2]);
    __builtin_prefetch(u->cls);
    if (t->fast && t->fast->two_part) {
        __builtin_prefetch(&u->capacity_kva);
        __builtin_prefetch(&u->max_demand_kw);
        __builtin_prefetch(&u->kvarh);
    }
    int was_fast = b->fast;  /* 1: the last bill came from here, nothing big is left */
    b->fast = 0;
    b->turbo = 0;
    if (!t->fast || b->general_only || !whitelist(t, NULL, u)) {
        b->tb_epoch++; /* the general path writes the lines */
        return FAST_NO;
    }
    if (!was_fast)
        clear_big(b);
    b->computed = 0;
    b->tariff = t;
    b->period = u->period;
    memcpy(b->cls, u->cls, sizeof b->cls);
    int rc = FAST_NO;
    if (t->fast->turbo && !b->no_turbo && (b->tstate || (b->tstate = calloc(1, sizeof *b->tstate))))
        rc = turbo_bill(t, u, b);
    if (rc == BILL_OK) {
        b->turbo = 1;
    } else {
        b->tb_epoch++; /* lines written below (or by the general path) match no template */
        if (rc == FAST_NO)
            rc = fast_bill(t, u, b);
    }
    if (rc != BILL_OK)
        b->n = 0;
    b->fast = rc == BILL_OK;
    return rc;
}

void billi_bill_set_general_only(bill_bill *b, int on)
{
    b->general_only = on;
}

int billi_bill_used_fast(const bill_bill *b)
{
    return b->fast;
}

void billi_bill_set_no_turbo(bill_bill *b, int on)
{
    b->no_turbo = on;
}

int billi_bill_used_turbo(const bill_bill *b)
{
    return b->turbo;
}

void billi_fast_bill_free(bill_bill *b)
{
    free(b->tstate);
    b->tstate = NULL;
}
