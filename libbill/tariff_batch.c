/*
 * libbill batch billing, the column kernel (billi_fast_batch, called by batch.c's
 * bill_batch_compute). It works on the turbo plan of tariff_fast.c (tariff_fast.h): see
 * docs/tariff-design.md, "Batch billing".
 */
#include "tariff_fast.h"

#include <stdlib.h>
#include <string.h>

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
                     const struct billi_turbo_state *ts, const bill_tariff *t, kfused *z)
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
    int32_t ss = op->annual && in->ytd ? in->ytd_s : 0, es = ss > st ? ss : st;
    int32_t sc = es > ts->qs[0] ? es : ts->qs[0];
    if (sc - ts->qs[0] >= TB_QSC)
        return 0;
    z->ms = p10[sc - ss];
    z->mt = p10[sc - st];
    z->cv = op->annual ? in->ytd : NULL;
    int64_t ymax = z->cv ? (in->ytd_max >= 0 ? in->ytd_max : colmax(z->cv, in->n)) : 0;
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
        !tsafe_all(tp, in, col, tmax, totmax, st, rs, ts, t, &fz))
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
    int8_t *ms = malloc(n);
    int64_t *pfb = NULL, *tsi = malloc(n * sizeof *tsi), *tei = malloc(n * sizeof *tei);
    uint8_t *bad = calloc(n, 1), *tlg = malloc(n);
    long done = 0;
    if (!ts || !tot || !acc || !ms || !bad || !tsi || !tei || !tlg) {
        done = BILL_ENOMEM;
        goto out;
    }
    int rc = billi_turbo_period(t, p, scratch, ts);
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
    const int64_t *cumv = in->ytd; /* NULL: this year's kWh so far are 0 */

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
                    if (op->annual && cumv)
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
    free(ms);
    free(bad);
    return done;
}
