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

typedef struct fast_version {
    int ok;                  /* every charge handled here */
    int nch;
    fast_charge *ch;
} fast_version;

struct billi_fast {
    /* VAT-inclusive tax = total x rate / (1 + rate): 1 + rate as an integer at the rate's
     * scale (0: not usable) and floor((2^64 - 1) / it), to divide by multiplying */
    int64_t vat_den;
    uint64_t vat_magic;
    int two_part;            /* capacity, demand or power-factor charges (usage fields to prefetch) */
    int nversions;
    fast_version v[];
};

static void key_make(fast_key *k, const char *name)
{
    size_t n = strlen(name);
    memset(k, 0, sizeof *k);
    if (n + 1 > sizeof k->w)
        return;
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

/* price_line: amount = qty × price, rounded per line or trimmed */
static inline __attribute__((always_inline)) int f_price(const bill_tariff *t, billi_line *l,
                                                        fd qty, fd price)
{
    fd a;
    put(&l->qty, qty);
    put(&l->price, price);
    if (f_mul(&a, qty, price))
        return -1;
    if (t->round_apply == BILLI_APPLY_LINE) {
        if (f_rescale(&a, a, t->round_scale, t->round_mode))
            return -1;
    } else if (a.s > t->round_scale) {
        a = f_trim(a, t->round_scale);
    }
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
        fd mq[BILL_TARIFF_MAX_TIERS], start = x->cum, end, zero = {0, 0};
        if (tr->basis != BILLI_BASIS_ANNUAL) {
            FX(monthly_quotas(mq, tr, x, large));
            q = mq;
            start = zero;
        }
        if (x->kwh.c == 0)
            for (z = 0; z < tr->nthr && f_cmp(q[z], start) <= 0; z++)
                ;
        FX(f_add(&end, start, x->kwh));
        /* the comparisons below on integers at the largest scale, when they fit */
        int32_t sc = start.s > end.s ? start.s : end.s;
        for (int i = 0; i < tr->nthr; i++)
            sc = q[i].s > sc ? q[i].s : sc;
        int64_t qi[BILL_TARIFF_MAX_TIERS], si, ei;
        int fits = at_scale(&si, start, sc) && at_scale(&ei, end, sc);
        for (int i = 0; i < tr->nthr && fits; i++)
            fits = at_scale(&qi[i], q[i], sc);
        for (int i = 0; i < ntiers && fits; i++) {
            int64_t li = i == 0 ? 0 : qi[i - 1], hi_i;
            lo[i] = i == 0 ? zero : q[i - 1];
            if (li <= si) {
                lo[i] = start;
                li = si;
            }
            if (i < tr->nthr && qi[i] < ei) {
                hi[i] = q[i];
                hi_i = qi[i];
            } else {
                hi[i] = end;
                hi_i = ei;
            }
            if (hi_i > li)
                FX(f_sub(&tk[i], hi[i], lo[i]));
            else
                tk[i] = zero;
        }
        for (int i = 0; i < ntiers && !fits; i++) {
            fd a = i == 0 ? zero : q[i - 1];
            lo[i] = f_cmp(a, start) > 0 ? a : start;
            hi[i] = i < tr->nthr && f_cmp(q[i], end) < 0 ? q[i] : end;
            if (f_cmp(hi[i], lo[i]) > 0)
                FX(f_sub(&tk[i], hi[i], lo[i]));
            else
                tk[i] = zero;
        }
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
                        const fctx *x, const size_t *cstart, int ci)
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
    for (uint64_t m = fc->pf_base & (((uint64_t)1 << ci) - 1); m; m &= m - 1) {
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
                rc = power_factor(b, t, c, fc, v, u, &x, cstart, i);
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

    /* subtotal, minimum charge; the sum of the lines (the same value and scale in any
     * order) is the subtotal's plus those of the lines added after it */
    fd sub = {0, 0}, tax = {0, 0}, sum, total;
    for (size_t i = 0; i < b->n; i++)   /* written by put(): compact */
        if (f_add(&sub, sub, get(&b->lines[i].amount)))
            return FAST_NO;
    size_t nsub = b->n;
    sum = sub;
    sub = f_trim(sub, t->round_scale);
    if (has_min && f_cmp(sub, minimum) < 0) {
        PUSH(l, b, BILL_LINE_MINIMUM, BILLI_EX_MINIMUM, NULL, p);
        for (int s = 0; s < n && !l->charge; s++) {
            const billi_version *v = &t->versions[b->seg_ver[s]];
            for (int i = 0; i < v->ncharges; i++)
                if (v->charges[i].type == BILLI_CH_MINIMUM) {
                    l->charge = &v->charges[i];
                    l->charge_id = v->charges[i].id;
                    break;
                }
        }
        fd top;
        if (f_sub(&top, minimum, sub))
            return FAST_NO;
        put(&l->qty, (fd){1, 0});
        l->unit = "period";
        put(&l->price, top);
        put(&l->amount, top);
        put(&l->aux, minimum);
        sub = minimum;
    }
    /* VAT */
    if (t->vat == BILLI_VAT_EXCLUSIVE) {
        PUSH(l, b, BILL_LINE_TAX, BILLI_EX_TAX, NULL, p);
        l->component = "VAT";
        if (f_price(t, l, sub, get(&t->vat_rate)))
            return FAST_NO;
        tax = get(&l->amount);
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
        PUSH(l, b, BILL_LINE_ROUNDING, BILLI_EX_ROUNDING, NULL, p);
        put(&l->qty, (fd){1, 0});
        put(&l->amount, r);
        put(&l->price, r);
        put(&l->aux, sum);
    }
    b->tax_included = 0;
    if (t->vat == BILLI_VAT_INCLUSIVE) {
        fd one_rate, tt;
        b->tax_included = 1;
        if (f_mul(&tt, total, get(&t->vat_rate)))
            return FAST_NO;
        if (f->vat_den > 1 && tt.c >= 0 && total.s == t->round_scale) {
            /* bill_dec_div(tt, 1 + rate, round_scale) has this numerator and denominator */
            uint64_t num = (uint64_t)tt.c, d = (uint64_t)f->vat_den;
            uint64_t q = (uint64_t)(((fd_u128)num * f->vat_magic) >> 64), rem = num - q * d;
            while (rem >= d) { /* the estimate is at most 2 short */
                q++;
                rem -= d;
            }
            if (round_quotient(&tax, (int64_t)q, (int64_t)rem, tt.c, f->vat_den, t->round_scale,
                               t->round_mode))
                return FAST_NO;
        } else if (f_add(&one_rate, (fd){1, 0}, get(&t->vat_rate)) ||
                   f_div(&tax, tt, one_rate, t->round_scale, t->round_mode)) {
            return FAST_NO;
        }
    }
    put(&b->subtotal, sub);
    put(&b->tax, tax);
    put(&b->sum, sum);
    put(&b->total, total);
    b->computed = 1;
    return BILL_OK;
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
    if (!t->fast || b->general_only || !whitelist(t, NULL, u))
        return FAST_NO;
    if (!was_fast)
        clear_big(b);
    b->computed = 0;
    b->tariff = t;
    b->period = u->period;
    memcpy(b->cls, u->cls, sizeof b->cls);
    int rc = fast_bill(t, u, b);
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
