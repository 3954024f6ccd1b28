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
#include "tariff_fast.h"

#include <stdlib.h>
#include <string.h>

/* ---- the plan --------------------------------------------------------------------------- */


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


static int pf_std_index(const char *s)
{
    return strcmp(s, "0.90") == 0 ? 0 : strcmp(s, "0.85") == 0 ? 1 : 2;
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
/* l = a new line from `call` (push, fpush or tline), or BILL_ENOMEM is returned */
#define NEWLINE(l, call)                                                                       \
    do {                                                                                       \
        if (!((l) = (call)))                                                                   \
            return BILL_ENOMEM;                                                                \
    } while (0)
#define PUSH(l, ...) NEWLINE(l, push(__VA_ARGS__))


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

#define FPUSH(l, ...) NEWLINE(l, fpush(__VA_ARGS__))

/*
 * The end of a fast or turbo bill over period p (n segments), its lines written: `sub`
 * their sum; the minimum charge (has_min: `minimum` is the period's), VAT, the rounding
 * line and the totals.
 */
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
int billi_turbo_period(const bill_tariff *t, bill_period p, bill_bill *b,
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

#define TLINE(l, ...) NEWLINE(l, tline(__VA_ARGS__))

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


static int turbo_bill(const bill_tariff *t, const bill_usage *u, bill_bill *b)
{
    struct billi_turbo_state *ts = b->tstate;
    bill_period p = u->period;
    if (u->has_opened)
        return FAST_NO; /* a prorated first year, perhaps */
    if (BILLI_UNLIKELY(ts->uid != t->uid || ts->start != p.start.day || ts->end != p.end.day)) {
        b->tb_epoch++; /* the templates hold the segment, the fixed lines the period */
        int rc = billi_turbo_period(t, p, b, ts);
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
