/*
 * libbill bills: computing a bill from a compiled tariff and a usage. No text
 * and, once the bill's line array has grown, no allocation: prices are bill_dec
 * values computed at load time, names are pointers into the tariff.
 */
#include "tariff_internal.h"

#include <stdlib.h>
#include <string.h>

/* In functions with an `rc` and a `fail:` label. */
#define TRY_GOTO(call)                                                              \
    do {                                                                            \
        if ((rc = (call)) != BILL_OK)                                               \
            goto fail;                                                              \
    } while (0)

static const char *const tier_bands[] = {"tier 1", "tier 2", "tier 3", "tier 4", "tier 5",
                                         "tier 6", "tier 7", "tier 8", "tier 9"};

const char *billi_tier_band(int tier)
{
    return tier >= 1 && tier <= 9 ? tier_bands[tier - 1] : "";
}

/* ---- the bill handle ------------------------------------------------------------ */

int bill_bill_create(bill_bill **out)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    bill_bill *b = calloc(1, sizeof *b);
    if (!b)
        return billi_error(BILL_ENOMEM, "bill: out of memory");
    *out = b;
    return BILL_OK;
}

static void line_clear(billi_line *l)
{
    bill_dec_clear(&l->qty);
    bill_dec_clear(&l->price);
    bill_dec_clear(&l->amount);
    bill_dec_clear(&l->lo);
    bill_dec_clear(&l->hi);
    bill_dec_clear(&l->aux);
    bill_dec_clear(&l->x);
    bill_dec_clear(&l->y);
}

void bill_bill_free(bill_bill *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->cap; i++)
        line_clear(&b->lines[i]);
    free(b->lines);
    billi_fast_bill_free(b);
    bill_dec_clear(&b->subtotal);
    bill_dec_clear(&b->tax);
    bill_dec_clear(&b->total);
    bill_dec_clear(&b->sum);
    for (int s = 0; s < BILLI_MAX_SEG; s++) {
        bill_dec_clear(&b->seg_days[s]);
        bill_dec_clear(&b->seg_kwh[s]);
        for (int p = 0; p < BILL_TARIFF_MAX_TOU; p++)
            bill_dec_clear(&b->seg_tou[s][p]);
        bill_dec_clear(&b->seg_exp[s]);
    }
    bill_dec_clear(&b->net_kwh);
    bill_dec_clear(&b->offset);
    bill_dec_clear(&b->surplus);
    for (int p = 0; p < BILL_TARIFF_MAX_TOU; p++)
        bill_dec_clear(&b->net_tou[p]);
    for (int p = 0; p < BILL_TARIFF_MAX_TOU; p++) {
        bill_dec_clear(&b->iv_tou[p]);
        bill_dec_clear(&b->iv_peak[p]);
    }
    free(b);
}

/* A fresh line at the end (grows the array only when it is full). */
static billi_line *push_line(bill_bill *b, int kind, int ex, const billi_charge *c,
                             const bill_period *seg)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        billi_line *nl = realloc(b->lines, cap * sizeof *nl);
        if (!nl) {
            billi_error(BILL_ENOMEM, "bill: out of memory for %zu lines", cap);
            return NULL;
        }
        memset(nl + b->cap, 0, (cap - b->cap) * sizeof *nl); /* zero decimals are valid */
        b->lines = nl;
        b->cap = cap;
    }
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
    l->seg = *seg;
    return l;
}

/* amount = qty × price, rounded when the tariff rounds each line. */
static int price_line(const bill_tariff *t, billi_line *l)
{
    int rc = bill_dec_mul(&l->amount, &l->qty, &l->price);
    if (rc == BILL_OK && t->round_apply == BILLI_APPLY_LINE)
        rc = bill_dec_rescale(&l->amount, &l->amount, t->round_scale, t->round_mode);
    else if (rc == BILL_OK && bill_dec_scale(&l->amount) > t->round_scale)
        rc = bill_dec_trim(&l->amount, &l->amount, t->round_scale); /* same value, fewer zeros */
    return rc;
}

/* r = a × num / den, exact when num == den, else rounded to `scale` with `mode`. */
static int prorate(bill_dec *r, const bill_dec *a, int32_t num, int32_t den, int32_t scale,
                   int mode)
{
    if (num == den)
        return bill_dec_copy(r, a);
    bill_dec n = BILL_DEC_INIT, d = BILL_DEC_INIT;
    int rc = bill_dec_set_i64(&n, num, 0);
    if (rc == BILL_OK)
        rc = bill_dec_set_i64(&d, den, 0);
    if (rc == BILL_OK)
        rc = bill_dec_mul(&n, &n, a);
    if (rc == BILL_OK)
        rc = bill_dec_div(r, &n, &d, scale, mode);
    bill_dec_clear(&n);
    bill_dec_clear(&d);
    return rc;
}

/*
 * Date steps on the hot path, by day numbers (bill_date_from_ymd formats an
 * error prefix on every call, too slow for millions of bills).
 */
static bill_date first_of_month(bill_date d)
{
    int dom;
    bill_date_to_ymd(d, NULL, NULL, &dom);
    return (bill_date){d.day - (dom - 1)};
}

static bill_date next_month(bill_date first)
{
    int y, m;
    bill_date_to_ymd(first, &y, &m, NULL);
    return (bill_date){first.day + bill_days_in_month(y, m)};
}

/* d + k months (k >= 0), the day clamped to the target month's length */
static bill_date add_months_clamped(bill_date d, int k)
{
    int y, m, dom;
    bill_date_to_ymd(d, &y, &m, &dom);
    bill_date f = {d.day - (dom - 1)};
    for (int i = 0; i < k; i++) {
        f.day += bill_days_in_month(y, m);
        if (++m == 13) {
            m = 1;
            y++;
        }
    }
    int dim = bill_days_in_month(y, m);
    return (bill_date){f.day + (dom < dim ? dom : dim) - 1};
}

/* 1 January of the year after d's */
static bill_date next_year(bill_date d)
{
    int y;
    bill_date_to_ymd(d, &y, NULL, NULL);
    return (bill_date){d.day - bill_date_day_of_year(d) + 1 + (bill_is_leap_year(y) ? 366 : 365)};
}

/* ---- fixed and minimum charges ---------------------------------------------------- */

/*
 * The lines of a fixed charge over segment `seg` (emit = 1), or only their
 * sum into *sum (emit = 0, for the minimum charge).
 */
static int fixed_charge(bill_bill *b, const bill_tariff *t, const billi_charge *c,
                        bill_period seg, int32_t period_days, int emit, bill_dec *sum)
{
    int32_t days = bill_period_days(seg);
    int kind = c->type == BILLI_CH_FIXED ? BILL_LINE_FIXED : BILL_LINE_MINIMUM;
    bill_dec amt = BILL_DEC_INIT;
    billi_line *l;
    int rc = BILL_OK;
    if (c->per == BILLI_PER_DAY || c->per == BILLI_PER_PERIOD) {
        if (c->per == BILLI_PER_DAY) {
            bill_dec q = BILL_DEC_INIT;
            rc = bill_dec_set_i64(&q, days, 0);
            if (rc == BILL_OK)
                rc = bill_dec_mul(&amt, &q, &c->amount);
            bill_dec_clear(&q);
        } else {
            rc = prorate(&amt, &c->amount, days, period_days, t->round_scale, t->round_mode);
        }
        if (rc == BILL_OK && t->round_apply == BILLI_APPLY_LINE)
            rc = bill_dec_rescale(&amt, &amt, t->round_scale, t->round_mode);
        if (rc == BILL_OK && !emit)
            rc = bill_dec_add(sum, sum, &amt);
        if (rc == BILL_OK && emit) {
            if (!(l = push_line(b, kind, BILLI_EX_FIXED, c, &seg))) {
                rc = BILL_ENOMEM;
            } else {
                l->per = c->per;
                l->unit = c->per == BILLI_PER_DAY ? "day" : (days == period_days ? "period" : "day");
                rc = bill_dec_set_i64(&l->qty, c->per == BILLI_PER_DAY || days != period_days
                                                   ? days : 1, 0);
                if (rc == BILL_OK)
                    rc = c->per == BILLI_PER_DAY || days == period_days
                             ? bill_dec_copy(&l->price, &c->amount)
                             : bill_dec_div(&l->price, &c->amount, &(bill_dec){period_days, 0, 0, NULL},
                                            t->round_scale + 4, t->round_mode);
                if (rc == BILL_OK)
                    rc = bill_dec_copy(&l->amount, &amt);
                if (rc == BILL_OK)
                    rc = bill_dec_set_i64(&l->aux, period_days, 0);
            }
        }
        bill_dec_clear(&amt);
        return rc;
    }
    /* per month: one line per calendar month touched, partial months by days */
    bill_date m = first_of_month(seg.start);
    while (rc == BILL_OK && bill_date_cmp(m, seg.end) < 0) {
        bill_date nm = next_month(m);
        bill_period in;
        bill_period_intersect(&in, seg, (bill_period){m, nm});
        int32_t d = bill_period_days(in), dm = bill_date_diff(m, nm);
        rc = prorate(&amt, &c->amount, d, dm, t->round_scale, t->round_mode);
        if (rc == BILL_OK && t->round_apply == BILLI_APPLY_LINE)
            rc = bill_dec_rescale(&amt, &amt, t->round_scale, t->round_mode);
        if (rc == BILL_OK && !emit)
            rc = bill_dec_add(sum, sum, &amt);
        if (rc == BILL_OK && emit) {
            if (!(l = push_line(b, kind, BILLI_EX_FIXED, c, &in))) {
                rc = BILL_ENOMEM;
            } else {
                l->per = BILLI_PER_MONTH;
                l->unit = d == dm ? "month" : "day";
                rc = bill_dec_set_i64(&l->qty, d == dm ? 1 : d, 0);
                if (rc == BILL_OK)
                    rc = d == dm ? bill_dec_copy(&l->price, &c->amount)
                                 : bill_dec_div(&l->price, &c->amount, &(bill_dec){dm, 0, 0, NULL},
                                                t->round_scale + 4, t->round_mode);
                if (rc == BILL_OK)
                    rc = bill_dec_copy(&l->amount, &amt);
                if (rc == BILL_OK)
                    rc = bill_dec_set_i64(&l->aux, dm, 0);
            }
        }
        m = nm;
    }
    bill_dec_clear(&amt);
    return rc;
}

/* ---- tier quotas ------------------------------------------------------------------ */

/* threshold i of month (1..12), plus the large-household extra when it applies */
static int month_threshold(bill_dec *r, const billi_tiers *tr, int month, int i, int large)
{
    if (large)
        return bill_dec_add(r, &tr->thr[month - 1][i], &tr->lh_extra);
    return bill_dec_copy(r, &tr->thr[month - 1][i]);
}

/*
 * q[i] = the tier thresholds for segment `seg` of `period`, prorated as the
 * tariff says and rounded to its quota scale. Partial months are divided at
 * 12 digits and then rounded once: with month lengths up to 31, a sum of such
 * fractions is never within 10^-12 of a tie, so this equals exact rounding.
 */
static int tier_quotas(bill_dec *q, const billi_tiers *tr, bill_period seg, bill_period period,
                       const bill_usage *u)
{
    int large = tr->lh_min_persons > 0 && u->household >= tr->lh_min_persons;
    int y, mo;
    bill_date_to_ymd(seg.start, &y, &mo, NULL);
    bill_dec tmp = BILL_DEC_INIT, twelve = BILL_DEC_INIT;
    int rc = BILL_OK;
    for (int i = 0; i < tr->nthr && rc == BILL_OK; i++) {
        if (tr->basis == BILLI_BASIS_ANNUAL) {
            rc = bill_dec_copy(&q[i], &tr->thr[0][i]);
            if (rc == BILL_OK && large) {
                rc = bill_dec_set_i64(&twelve, 12, 0);
                if (rc == BILL_OK)
                    rc = bill_dec_mul(&tmp, &tr->lh_extra, &twelve);
                if (rc == BILL_OK)
                    rc = bill_dec_add(&q[i], &q[i], &tmp);
            }
            int oy, om;
            if (rc == BILL_OK && u->has_opened && tr->proration != BILLI_PRORATE_NONE) {
                bill_date_to_ymd(u->opened, &oy, &om, NULL);
                if (oy == y) {
                    bill_date next = next_year(u->opened);
                    if (tr->proration == BILLI_PRORATE_DAYS)
                        rc = prorate(&q[i], &q[i], bill_date_diff(u->opened, next),
                                     bill_is_leap_year(y) ? 366 : 365, 12, BILL_ROUND_HALF_EVEN);
                    else
                        rc = prorate(&q[i], &q[i], 13 - om, 12, 12, BILL_ROUND_HALF_EVEN);
                }
            }
        } else if (tr->proration == BILLI_PRORATE_DAYS) {
            rc = bill_dec_set_i64(&q[i], 0, 0);
            bill_date m = first_of_month(seg.start);
            while (rc == BILL_OK && bill_date_cmp(m, seg.end) < 0) {
                bill_date nm = next_month(m);
                bill_period in;
                int mm;
                bill_period_intersect(&in, seg, (bill_period){m, nm});
                bill_date_to_ymd(m, NULL, &mm, NULL);
                rc = month_threshold(&tmp, tr, mm, i, large);
                if (rc == BILL_OK)
                    rc = prorate(&tmp, &tmp, bill_period_days(in), bill_date_diff(m, nm), 12,
                                 BILL_ROUND_HALF_EVEN);
                if (rc == BILL_OK)
                    rc = bill_dec_add(&q[i], &q[i], &tmp);
                m = nm;
            }
        } else if (tr->proration == BILLI_PRORATE_MONTHS) {
            /* billing months: whole months from the segment's start, each at the
             * thresholds of the month it starts in, the rest by days */
            rc = bill_dec_set_i64(&q[i], 0, 0);
            bill_date m = seg.start, nm;
            for (int k = 1; rc == BILL_OK; k++) {
                int mm;
                nm = add_months_clamped(seg.start, k);
                bill_date_to_ymd(m, NULL, &mm, NULL);
                rc = month_threshold(&tmp, tr, mm, i, large);
                if (rc != BILL_OK)
                    break;
                if (bill_date_cmp(nm, seg.end) > 0) {
                    rc = prorate(&tmp, &tmp, bill_date_diff(m, seg.end), bill_date_diff(m, nm),
                                 12, BILL_ROUND_HALF_EVEN);
                    if (rc == BILL_OK)
                        rc = bill_dec_add(&q[i], &q[i], &tmp);
                    break;
                }
                rc = bill_dec_add(&q[i], &q[i], &tmp);
                m = nm;
                if (bill_date_cmp(m, seg.end) == 0)
                    break;
            }
        } else {
            /* none: the start month's thresholds for the whole period, shared by days */
            int pm;
            bill_date_to_ymd(period.start, NULL, &pm, NULL);
            rc = month_threshold(&q[i], tr, pm, i, large);
            if (rc == BILL_OK)
                rc = prorate(&q[i], &q[i], bill_period_days(seg), bill_period_days(period), 12,
                             BILL_ROUND_HALF_EVEN);
        }
        if (rc == BILL_OK && bill_dec_scale(&q[i]) > tr->quota_scale)
            rc = bill_dec_rescale(&q[i], &q[i], tr->quota_scale, tr->quota_mode);
        if (rc == BILL_OK && tr->boundary == BILLI_BOUNDARY_UPPER) {
            /* the threshold kWh itself belongs to the upper tier */
            bill_dec unit = {1, tr->quota_scale, 0, NULL};
            rc = bill_dec_sub(&q[i], &q[i], &unit);
            if (rc == BILL_OK && bill_dec_sign(&q[i]) < 0)
                rc = bill_dec_set_i64(&q[i], 0, 0);
        }
    }
    bill_dec_clear(&tmp);
    bill_dec_clear(&twelve);
    return rc;
}

/* ---- energy ------------------------------------------------------------------------- */

typedef struct seg_ctx {
    bill_period seg, period;
    const bill_dec *kwh;          /* the segment's kWh */
    const bill_dec *tou;          /* the segment's kWh per usage TOU period */
    const bill_dec *cum;          /* annual kWh before the segment */
} seg_ctx;

static int energy_charge(bill_bill *b, const bill_tariff *t, const billi_charge *c,
                         const bill_usage *u, const seg_ctx *s)
{
    bill_dec q[BILL_TARIFF_MAX_TIERS];
    bill_dec tk[BILL_TARIFF_MAX_TIERS + 1], lo[BILL_TARIFF_MAX_TIERS + 1],
        hi[BILL_TARIFF_MAX_TIERS + 1];
    bill_dec end = BILL_DEC_INIT, zero = BILL_DEC_INIT;
    int ntiers = c->has_tiers ? c->tiers.nthr + 1 : 0, rc = BILL_OK;
    billi_line *l;
    /* only the tiers in use are initialised and cleared (this is the hot path) */
    for (int i = 0; i < ntiers; i++) {
        bill_dec_init(&q[i]);
        bill_dec_init(&tk[i]);
        bill_dec_init(&lo[i]);
        bill_dec_init(&hi[i]);
    }

    if (c->has_tiers) {
        const billi_tiers *tr = &c->tiers;
        const bill_dec *start = tr->basis == BILLI_BASIS_ANNUAL ? s->cum : &zero;
        TRY_GOTO(tier_quotas(q, tr, s->seg, s->period, u));
        TRY_GOTO(bill_dec_add(&end, start, s->kwh));
        for (int i = 0; i < ntiers; i++) {
            /* the part of (start, end] inside (q[i-1], q[i]] */
            const bill_dec *a = i == 0 ? &zero : &q[i - 1];
            TRY_GOTO(bill_dec_copy(&lo[i], bill_dec_cmp(a, start) > 0 ? a : start));
            if (i < tr->nthr)
                TRY_GOTO(bill_dec_copy(&hi[i], bill_dec_cmp(&q[i], &end) < 0 ? &q[i] : &end));
            else
                TRY_GOTO(bill_dec_copy(&hi[i], &end));
            if (bill_dec_cmp(&hi[i], &lo[i]) > 0)
                TRY_GOTO(bill_dec_sub(&tk[i], &hi[i], &lo[i]));
            else
                TRY_GOTO(bill_dec_set_i64(&tk[i], 0, 0));
        }
    }

    if (c->ntou == 0) {
        if (c->has_tiers && c->plain) {
            /* tiers with kWh; with no kWh at all, the one tier the next kWh would fall in */
            int z = -1;
            if (bill_dec_is_zero(s->kwh)) {
                const bill_dec *start = c->tiers.basis == BILLI_BASIS_ANNUAL ? s->cum : &zero;
                for (z = 0; z < c->tiers.nthr && bill_dec_cmp(&q[z], start) <= 0; z++)
                    ;
            }
            for (int i = 0; i < ntiers; i++) {
                if (bill_dec_is_zero(&tk[i]) && i != z)
                    continue;
                if (!(l = push_line(b, BILL_LINE_ENERGY, BILLI_EX_TIER, c, &s->seg)))
                    goto nomem;
                l->band = billi_tier_band(i + 1);
                l->unit = "kWh";
                l->annual = c->tiers.basis == BILLI_BASIS_ANNUAL;
                TRY_GOTO(bill_dec_copy(&l->qty, &tk[i]));
                TRY_GOTO(bill_dec_add(&l->price, &c->base, &c->tiers.inc[i]));
                TRY_GOTO(bill_dec_copy(&l->lo, &lo[i]));
                TRY_GOTO(bill_dec_copy(&l->hi, &hi[i]));
                TRY_GOTO(price_line(t, l));
            }
            goto done;
        }
        for (int k = 0; k < c->ncomp; k++) {
            if (!(l = push_line(b, BILL_LINE_ENERGY, BILLI_EX_FLAT, c, &s->seg)))
                goto nomem;
            l->component = c->plain ? "" : c->comp[k].name;
            l->unit = "kWh";
            TRY_GOTO(bill_dec_copy(&l->qty, s->kwh));
            TRY_GOTO(bill_dec_copy(&l->price, &c->comp[k].price));
            TRY_GOTO(price_line(t, l));
        }
    } else {
        /* TOU part, period by period (tariff order), component by component */
        for (int p = 0; p < c->ntou; p++) {
            int up = b->tou_map[p];
            if (up < 0)
                continue;
            for (int k = 0; k < (c->tou_prices ? 1 : c->ncomp); k++) {
                if (!c->tou_prices && !c->comp[k].tou)
                    continue;
                if (!(l = push_line(b, BILL_LINE_ENERGY, BILLI_EX_TOU, c, &s->seg)))
                    goto nomem;
                l->component = c->tou_prices || c->plain ? "" : c->comp[k].name;
                l->band = c->tou_name[p];
                l->unit = "kWh";
                TRY_GOTO(bill_dec_copy(&l->qty, &s->tou[up]));
                TRY_GOTO(bill_dec_copy(&l->price, c->tou_prices ? &c->tou_price[p] : &c->comp_tou[k][p]));
                if (c->tou_prices)
                    TRY_GOTO(bill_dec_set_i64(&l->aux, 0, 0));
                else
                    TRY_GOTO(bill_dec_copy(&l->aux, &c->tou_ratio[p]));
                l->per = c->tou_prices; /* explanation: price or ratio */
                TRY_GOTO(price_line(t, l));
            }
        }
        /* components outside TOU: the same price in every period */
        for (int k = 0; k < c->ncomp; k++) {
            if (c->comp[k].tou && !c->tou_prices)
                continue;
            if (!(l = push_line(b, BILL_LINE_ENERGY, BILLI_EX_TOU_FLAT, c, &s->seg)))
                goto nomem;
            l->component = c->comp[k].name;
            l->unit = "kWh";
            TRY_GOTO(bill_dec_copy(&l->qty, s->kwh));
            TRY_GOTO(bill_dec_copy(&l->price, &c->comp[k].price));
            TRY_GOTO(price_line(t, l));
        }
    }
    /* tier increments on top of TOU or component prices */
    for (int i = 1; i < ntiers; i++) {
        if (bill_dec_is_zero(&tk[i]) || bill_dec_is_zero(&c->tiers.inc[i]))
            continue;
        if (!(l = push_line(b, BILL_LINE_ENERGY, BILLI_EX_INCREMENT, c, &s->seg)))
            goto nomem;
        l->component = "tier increment";
        l->band = billi_tier_band(i + 1);
        l->unit = "kWh";
        l->annual = c->tiers.basis == BILLI_BASIS_ANNUAL;
        TRY_GOTO(bill_dec_copy(&l->qty, &tk[i]));
        TRY_GOTO(bill_dec_copy(&l->price, &c->tiers.inc[i]));
        TRY_GOTO(bill_dec_copy(&l->lo, &lo[i]));
        TRY_GOTO(bill_dec_copy(&l->hi, &hi[i]));
        TRY_GOTO(price_line(t, l));
    }
    goto done;
nomem:
    rc = BILL_ENOMEM;
    goto out;
fail:
    goto out;
done:
    rc = BILL_OK;
out:
    for (int i = 0; i < ntiers; i++) {
        bill_dec_clear(&q[i]);
        bill_dec_clear(&tk[i]);
        bill_dec_clear(&lo[i]);
        bill_dec_clear(&hi[i]);
    }
    bill_dec_clear(&end);
    return rc;
}

/* ---- capacity, demand and power factor ------------------------------------------------- */

/*
 * A monthly charge on qty (kVA or kW) for d of the dm days of a month:
 * l->amount = qty × price × d / dm, rounded as fixed charges are; the days go
 * to l->x and l->y for the explanation. `neg`: a credit (the amount negated).
 */
static int month_line(bill_bill *b, const bill_tariff *t, const billi_charge *c, int ex,
                      bill_period in, int32_t dm, const bill_dec *qty, const bill_dec *price,
                      int neg, const char *unit)
{
    int32_t d = bill_period_days(in);
    billi_line *l = push_line(b, c->type == BILLI_CH_CAPACITY ? BILL_LINE_CAPACITY : BILL_LINE_DEMAND,
                              ex, c, &in);
    if (!l)
        return BILL_ENOMEM;
    l->unit = unit;
    l->per = BILLI_PER_MONTH;
    int rc = bill_dec_copy(&l->qty, qty);
    if (rc == BILL_OK)
        rc = bill_dec_copy(&l->price, price);
    if (rc == BILL_OK)
        rc = bill_dec_mul(&l->amount, qty, price);
    if (rc == BILL_OK)
        rc = prorate(&l->amount, &l->amount, d, dm, t->round_scale, t->round_mode);
    if (rc == BILL_OK && t->round_apply == BILLI_APPLY_LINE)
        rc = bill_dec_rescale(&l->amount, &l->amount, t->round_scale, t->round_mode);
    else if (rc == BILL_OK && bill_dec_scale(&l->amount) > t->round_scale)
        rc = bill_dec_trim(&l->amount, &l->amount, t->round_scale);
    if (rc == BILL_OK && neg) {
        rc = bill_dec_neg(&l->amount, &l->amount);
        if (rc == BILL_OK)
            rc = bill_dec_neg(&l->qty, &l->qty);
    }
    if (rc == BILL_OK)
        rc = bill_dec_set_i64(&l->x, d, 0);
    if (rc == BILL_OK)
        rc = bill_dec_set_i64(&l->y, dm, 0);
    return rc;
}

/* Installed kVA a month, less the suspended kVA by days (one credit line per suspension). */
static int capacity_charge(bill_bill *b, const bill_tariff *t, const billi_charge *c,
                           const bill_usage *u, bill_period seg)
{
    if (!u->has_capacity)
        return billi_error(BILL_ERULE, "bill: charge '%s' prices installed capacity, but the "
                                       "usage has no capacity_kva", c->id);
    int rc = BILL_OK;
    for (bill_date m = first_of_month(seg.start); rc == BILL_OK && bill_date_cmp(m, seg.end) < 0;) {
        bill_date nm = next_month(m);
        bill_period in;
        bill_period_intersect(&in, seg, (bill_period){m, nm});
        int32_t dm = bill_date_diff(m, nm);
        rc = month_line(b, t, c, BILLI_EX_CAPACITY, in, dm, &u->capacity_kva, &c->price, 0, "kVA");
        for (int k = 0; rc == BILL_OK && k < u->nsusp; k++) {
            bill_period o;
            if (bill_period_intersect(&o, in, u->susp[k]) != BILL_OK || bill_period_days(o) <= 0)
                continue;
            rc = month_line(b, t, c, BILLI_EX_SUSPENDED, o, dm, &u->susp_kva[k], &c->price, 1,
                            "kVA");
        }
        m = nm;
    }
    return rc;
}

/*
 * Demand by TOU period: per priced period (tariff order), its maximum demand
 * from the usage's TOU demand register or else from the segment's intervals,
 * one line per calendar month, band = the period.
 */
static int tou_demand_charge(bill_bill *b, const bill_tariff *t, const billi_charge *c,
                             const bill_usage *u, int s, const billi_version *v)
{
    int rc = BILL_OK;
    bill_period seg = b->seg[s];
    if (u->niv > 0)
        BILLI_TRY(billi_intervals_tou(b, u, s, c, &v->schedules[c->schedule], NULL, b->iv_peak));
    for (int p = 0; p < c->ntou; p++) {
        const bill_dec *kw = NULL;
        for (int k = 0; k < u->ntou_md; k++)
            if (strcmp(u->tou_md_name[k], c->tou_name[p]) == 0)
                kw = &u->tou_md_kw[k];
        if (!kw && u->niv > 0)
            kw = &b->iv_peak[p];
        if (!kw)
            return billi_error(BILL_ERULE, "bill: charge '%s' prices the maximum demand of TOU "
                                           "period '%s', but the usage has neither its "
                                           "tou_max_demand_kw nor interval data",
                               c->id, c->tou_name[p]);
        for (bill_date m = first_of_month(seg.start); bill_date_cmp(m, seg.end) < 0;) {
            bill_date nm = next_month(m);
            bill_period in;
            bill_period_intersect(&in, seg, (bill_period){m, nm});
            BILLI_TRY(month_line(b, t, c, BILLI_EX_DEMAND_TOU, in, bill_date_diff(m, nm), kw,
                                 &c->tou_price[p], 0, "kW"));
            b->lines[b->n - 1].band = c->tou_name[p];
            m = nm;
        }
    }
    return rc;
}

/*
 * The billing demand under a ratchet: max(peak, percent × the highest prior
 * peak of the look-back months, minimum). *rule: 0 the peak, 1 the ratchet,
 * 2 the minimum; *month the prior peak's month.
 */
static int ratchet(bill_dec *billed, const billi_charge *c, const bill_usage *u,
                   const bill_dec *peak, int *rule, bill_date *month, bill_dec *prior)
{
    bill_date first = first_of_month(u->period.start);
    bill_date from = first;
    for (int k = 0; k < c->ratchet_months; k++) {      /* back N months */
        int y, mo;
        bill_date_to_ymd((bill_date){from.day - 1}, &y, &mo, NULL);
        from.day -= bill_days_in_month(y, mo);
    }
    int best = -1, rc = bill_dec_copy(billed, peak);
    *rule = 0;
    for (int k = 0; k < u->nprior; k++)
        if (bill_date_cmp(u->prior_month[k], from) >= 0 &&
            bill_date_cmp(u->prior_month[k], first) < 0 &&
            (best < 0 || bill_dec_cmp(&u->prior_kw[k], &u->prior_kw[best]) > 0))
            best = k;
    if (best >= 0 && rc == BILL_OK) {
        bill_dec r = BILL_DEC_INIT;
        *month = u->prior_month[best];
        rc = bill_dec_copy(prior, &u->prior_kw[best]);
        if (rc == BILL_OK)
            rc = bill_dec_mul(&r, &u->prior_kw[best], &c->ratchet_pct);
        if (rc == BILL_OK)
            rc = bill_dec_mul(&r, &r, &(bill_dec){1, 2, 0, NULL});   /* percent */
        if (rc == BILL_OK && bill_dec_scale(&r) > 0)
            rc = bill_dec_trim(&r, &r, 0);
        if (rc == BILL_OK && bill_dec_cmp(&r, billed) > 0) {
            *rule = 1;
            rc = bill_dec_copy(billed, &r);
        }
        bill_dec_clear(&r);
    }
    if (rc == BILL_OK && bill_dec_cmp(&c->ratchet_min, billed) > 0) {
        *rule = 2;
        rc = bill_dec_copy(billed, &c->ratchet_min);
    }
    return rc;
}

/* Demand: actual D × p, or contracted C × p with the 105 % rule and the 40 % floor. */
static int demand_charge(bill_bill *b, const bill_tariff *t, const billi_charge *c,
                         const bill_usage *u, int s, const billi_version *v)
{
    int rc = BILL_OK;
    bill_period seg = b->seg[s];
    if (c->ntou > 0)
        return tou_demand_charge(b, t, c, u, s, v);
    if (c->basis == BILLI_DEMAND_ACTUAL && !u->has_max_demand && u->niv == 0)
        return billi_error(BILL_ERULE, "bill: charge '%s' prices the maximum demand, but the usage "
                                       "has no max_demand_kw nor interval data", c->id);
    if (c->basis == BILLI_DEMAND_CONTRACTED && !u->has_declared)
        return billi_error(BILL_ERULE, "bill: charge '%s' prices the declared demand, but the "
                                       "usage has no declared_kw", c->id);
    bill_dec billed = BILL_DEC_INIT, floor = BILL_DEC_INIT, lim = BILL_DEC_INIT,
             over = BILL_DEC_INIT, p2 = BILL_DEC_INIT, peak = BILL_DEC_INIT, prior = BILL_DEC_INIT;
    int at_floor = 0, excess = 0, rule = 0;
    bill_date pmonth = {0};
    const bill_dec *md = &u->max_demand_kw;   /* the register wins over the intervals */
    if (!u->has_max_demand && u->niv > 0) {
        TRY_GOTO(billi_intervals_peak(b, u, s, &peak));
        md = &peak;
    }
    if (c->basis == BILLI_DEMAND_CONTRACTED) {
        TRY_GOTO(bill_dec_copy(&billed, &u->declared_kw));
        if (u->has_capacity) {
            TRY_GOTO(bill_dec_mul(&floor, &u->capacity_kva, &c->min_fraction));
            if (bill_dec_cmp(&billed, &floor) < 0) {
                at_floor = 1;
                TRY_GOTO(bill_dec_copy(&billed, &floor));
            }
        }
        TRY_GOTO(bill_dec_mul(&lim, &billed, &c->tolerance));
        if ((u->has_max_demand || u->niv > 0) && bill_dec_cmp(md, &lim) > 0) {
            excess = 1;
            TRY_GOTO(bill_dec_sub(&over, md, &lim));
            TRY_GOTO(bill_dec_mul(&p2, &c->price, &c->excess_mult));
        }
    } else if (c->has_ratchet) {
        TRY_GOTO(ratchet(&billed, c, u, md, &rule, &pmonth, &prior));
    } else {
        TRY_GOTO(bill_dec_copy(&billed, md));
    }
    for (bill_date m = first_of_month(seg.start); bill_date_cmp(m, seg.end) < 0;) {
        bill_date nm = next_month(m);
        bill_period in;
        bill_period_intersect(&in, seg, (bill_period){m, nm});
        int32_t dm = bill_date_diff(m, nm);
        TRY_GOTO(month_line(b, t, c, BILLI_EX_DEMAND, in, dm, excess ? &lim : &billed, &c->price,
                            0, "kW"));
        billi_line *l = &b->lines[b->n - 1];
        l->flag = at_floor | (excess ? 2 : 0);
        if (c->basis == BILLI_DEMAND_CONTRACTED) {
            TRY_GOTO(bill_dec_copy(&l->aux, &u->declared_kw));
            TRY_GOTO(bill_dec_copy(&l->lo, &floor));
            TRY_GOTO(bill_dec_copy(&l->hi, u->has_max_demand || u->niv > 0 ? md : &lim));
        } else if (c->has_ratchet) {
            l->flag = 4 + rule;              /* explanation: which rule set the demand */
            l->ref = pmonth;
            TRY_GOTO(bill_dec_copy(&l->aux, md));
            TRY_GOTO(bill_dec_copy(&l->lo, &prior));
        }
        if (excess) {
            TRY_GOTO(month_line(b, t, c, BILLI_EX_EXCESS, in, dm, &over, &p2, 0, "kW"));
            l = &b->lines[b->n - 1];
            l->band = "excess";
            TRY_GOTO(bill_dec_copy(&l->aux, &lim));
            TRY_GOTO(bill_dec_copy(&l->lo, &c->excess_mult));
            TRY_GOTO(bill_dec_copy(&l->hi, md));
        }
        m = nm;
    }
fail:
    bill_dec_clear(&billed);
    bill_dec_clear(&floor);
    bill_dec_clear(&lim);
    bill_dec_clear(&over);
    bill_dec_clear(&p2);
    bill_dec_clear(&peak);
    bill_dec_clear(&prior);
    return rc;
}

/*
 * The power-factor adjustment of segment `seg`: base = the amounts of this
 * segment's lines (from line `first`) of the charges listed in "base"; the PF
 * from the period's kWh and kvarh; amount = base × percent / 100.
 */
static int pf_charge(bill_bill *b, const bill_tariff *t, const billi_charge *c,
                     const bill_usage *u, bill_period seg, size_t first, const bill_dec *kwh)
{
    const char *std = u->pf_standard[0] ? u->pf_standard : c->pf_default;
    if (!u->has_kvarh && c->require_kvarh)
        return billi_error(BILL_ERULE, "bill: charge '%s' needs the period's kvarh, but the usage "
                                       "has none", c->id);
    if (!std[0] && !c->pf_table)
        return billi_error(BILL_ERULE, "bill: charge '%s': no power-factor standard (give "
                                       "pf_standard in the usage or standard in the tariff)", c->id);
    const bill_pf_table *tab = c->pf_table;
    if (!tab)
        tab = c->pf_std[strcmp(std, "0.90") == 0 ? 0 : strcmp(std, "0.85") == 0 ? 1 : 2];
    billi_line *l = push_line(b, BILL_LINE_PF, BILLI_EX_PF, c, &seg);
    if (!l)
        return BILL_ENOMEM;
    int rc = bill_dec_set_i64(&l->qty, 0, 0);
    for (size_t i = first; rc == BILL_OK && i + 1 < b->n; i++)
        for (int k = 0; k < c->nbase; k++)
            if (b->lines[i].charge && strcmp(b->lines[i].charge_id, c->base_id[k]) == 0 &&
                bill_period_overlap_days(b->lines[i].seg, seg) > 0)
                rc = bill_dec_add(&l->qty, &l->qty, &b->lines[i].amount);
    if (rc == BILL_OK)
        rc = bill_pf_table_standard(&l->y, tab);
    if (rc == BILL_OK)
        rc = bill_dec_set_i64(&l->amount, 0, 0);
    if (rc == BILL_OK)
        rc = bill_dec_set_i64(&l->price, 0, 0);
    if (rc != BILL_OK)
        return rc;
    if (!u->has_kvarh) {
        l->ex = BILLI_EX_PF_NONE;
        return BILL_OK;
    }
    if (bill_pf_compute(&l->x, kwh, &u->kvarh) != BILL_OK) {
        l->ex = BILLI_EX_PF_NONE;   /* no energy, no power factor */
        l->flag = 1;
        return BILL_OK;
    }
    rc = bill_pf_table_percent(&l->price, tab, &l->x);
    if (rc == BILL_OK)
        rc = bill_dec_mul(&l->amount, &l->qty, &l->price);
    if (rc == BILL_OK)
        rc = bill_dec_mul(&l->amount, &l->amount, &(bill_dec){1, 2, 0, NULL});
    if (rc == BILL_OK && t->round_apply == BILLI_APPLY_LINE)
        rc = bill_dec_rescale(&l->amount, &l->amount, t->round_scale, t->round_mode);
    else if (rc == BILL_OK && bill_dec_scale(&l->amount) > t->round_scale)
        rc = bill_dec_trim(&l->amount, &l->amount, t->round_scale);
    return rc;
}

/* ---- feed-in ------------------------------------------------------------------------ */

/*
 * Net metering of one segment: the exported kWh `exp` first offset the
 * imported kWh `imp` (b->offset = min(exp, imp)); b->net_kwh = imp - offset,
 * b->surplus = exp - offset. With TOU kWh the offset is shared over the usage's
 * TOU periods in proportion to their kWh (bill_dec_allocate, largest fractions
 * first, at the finest scale of the values, so no period goes below zero), and
 * b->net_tou[k] = tou[k] - its share.
 */
static int net_meter(bill_bill *b, const bill_usage *u, const bill_dec *imp, const bill_dec *tou,
                     const bill_dec *exp)
{
    int rc = bill_dec_copy(&b->offset, bill_dec_cmp(exp, imp) < 0 ? exp : imp);
    if (rc == BILL_OK)
        rc = bill_dec_sub(&b->net_kwh, imp, &b->offset);
    if (rc == BILL_OK)
        rc = bill_dec_sub(&b->surplus, exp, &b->offset);
    if (rc != BILL_OK || u->ntou == 0)
        return rc;
    if (bill_dec_is_zero(&b->offset)) {
        for (int k = 0; k < u->ntou && rc == BILL_OK; k++)
            rc = bill_dec_copy(&b->net_tou[k], &tou[k]);
        return rc;
    }
    int32_t sc = bill_dec_scale(&b->offset);
    for (int k = 0; k < u->ntou; k++)
        if (bill_dec_scale(&tou[k]) > sc)
            sc = bill_dec_scale(&tou[k]);
    if (sc < 0)
        sc = 0;
    rc = bill_dec_allocate(b->net_tou, (size_t)u->ntou, &b->offset, tou, sc,
                           BILL_REMAINDER_LARGEST_FRACTION);
    for (int k = 0; k < u->ntou && rc == BILL_OK; k++)
        rc = bill_dec_sub(&b->net_tou[k], &tou[k], &b->net_tou[k]);
    return rc;
}

/*
 * The credit line of a feed_in charge for segment `seg` with `exp` kWh
 * exported: net metering credits the surplus left by net_meter() (a 0 line
 * when the exports were all offset), net billing credits every exported kWh.
 * Quantity −kWh, unit price the feed-in price, amount −(kWh × price), the
 * magnitude rounded like a charge of the same size.
 */
static int feed_in_line(bill_bill *b, const bill_tariff *t, const billi_charge *c,
                        bill_period seg, const bill_dec *exp)
{
    billi_line *l = push_line(b, BILL_LINE_CREDIT, BILLI_EX_CREDIT, c, &seg);
    if (!l)
        return BILL_ENOMEM;
    l->unit = "kWh";
    l->flag = c->netting;
    const bill_dec *q = c->netting == BILLI_NET_METERING ? &b->surplus : exp;
    int rc = bill_dec_copy(&l->qty, q);
    if (rc == BILL_OK)
        rc = bill_dec_copy(&l->price, &c->price);
    if (rc == BILL_OK)
        rc = price_line(t, l);
    if (rc == BILL_OK)
        rc = bill_dec_neg(&l->amount, &l->amount);
    if (rc == BILL_OK)
        rc = bill_dec_neg(&l->qty, &l->qty);
    if (rc == BILL_OK)
        rc = bill_dec_copy(&l->aux, exp);
    if (rc == BILL_OK)
        rc = c->netting == BILLI_NET_METERING ? bill_dec_copy(&l->x, &b->offset)
                                              : bill_dec_set_i64(&l->x, 0, 0);
    return rc;
}

/* ---- the whole bill --------------------------------------------------------------- */

static int class_exempt(const billi_charge *c, const char *cls)
{
    for (int i = 0; i < c->nexempt; i++)
        if (strcmp(c->exempt[i], cls) == 0)
            return 1;
    return 0;
}

/* Map the charge's TOU periods to the usage's; every usage period must be known. */
static int map_tou(bill_bill *b, const billi_charge *c, const bill_usage *u)
{
    if (u->ntou == 0)
        return billi_error(BILL_ERULE, "bill: charge '%s' prices by time of use, but the usage "
                                       "has no TOU kWh", c->id);
    for (int p = 0; p < c->ntou; p++) {
        b->tou_map[p] = -1;
        for (int k = 0; k < u->ntou; k++)
            if (strcmp(c->tou_name[p], u->tou_name[k]) == 0)
                b->tou_map[p] = k;
    }
    for (int k = 0; k < u->ntou; k++) {
        int found = 0;
        for (int p = 0; p < c->ntou; p++)
            found |= b->tou_map[p] == k;
        if (!found)
            return billi_error(BILL_ERULE, "bill: TOU period '%s' of the usage is not a period of "
                                           "charge '%s'", u->tou_name[k], c->id);
    }
    return BILL_OK;
}

static int split_segments(bill_bill *b, const bill_tariff *t, const bill_usage *u)
{
    bill_period p = u->period;
    int v = -1;
    for (int i = 0; i < t->nversions; i++)
        if (bill_date_cmp(t->versions[i].effective, p.start) <= 0)
            v = i;
    if (v < 0) {
        char d[16];
        bill_date_format(t->versions[0].effective, d, sizeof d);
        return billi_error(BILL_ERULE, "bill: the period starts before the tariff's first "
                                       "version (effective %s)", d);
    }
    bill_date cur = p.start;
    b->nsegments = 0;
    while (bill_date_cmp(cur, p.end) < 0) {
        bill_date next = p.end;
        if (v + 1 < t->nversions && bill_date_cmp(t->versions[v + 1].effective, next) < 0)
            next = t->versions[v + 1].effective;
        if (t->versions[v].has_annual) {
            bill_date ny = next_year(cur);
            if (bill_date_cmp(ny, next) < 0)
                next = ny;
        }
        if (b->nsegments == BILLI_MAX_SEG)
            return billi_error(BILL_ERANGE, "bill: the period spans more than %d tariff versions "
                                            "or years", BILLI_MAX_SEG);
        int n = b->nsegments;
        b->seg[n] = (bill_period){cur, next};
        b->seg_ver[n] = v;
        /* the weights of every share by days (kWh, TOU registers, exports; with interval
         * data too, whose exports are shared by days) */
        int rc = bill_dec_set_i64(&b->seg_days[n], bill_period_days(b->seg[n]), 0);
        if (rc != BILL_OK)
            return rc;
        b->nsegments++;
        cur = next;
        if (v + 1 < t->nversions && bill_date_cmp(t->versions[v + 1].effective, cur) == 0)
            v++;
    }
    return BILL_OK;
}

int billi_split_by_days(bill_dec *parts, int n, const bill_dec *total, const bill_dec *days,
                        int split_scale)
{
    if (n == 1)
        return bill_dec_copy(&parts[0], total); /* fixed by readings: as measured, not shared */
    int32_t sc = bill_dec_scale(total);
    if (sc > split_scale) {
        /* the value's own decimals, trailing zeros removed (never fewer than split_scale) */
        bill_dec v = BILL_DEC_INIT;
        int rc = bill_dec_trim(&v, total, split_scale);
        sc = bill_dec_scale(&v);
        bill_dec_clear(&v);
        if (rc != BILL_OK)
            return rc;
    }
    if (sc < split_scale)
        sc = split_scale;
    return bill_dec_allocate(parts, (size_t)n, total, days, sc, BILL_REMAINDER_LARGEST_FRACTION);
}

/*
 * Split the total kWh over the segments: readings at split dates are anchors;
 * between two anchors the kWh are shared by days (billi_split_by_days: at the
 * tariff's split scale or the value's own decimals, whichever is finer).
 */
static int split_by_readings(bill_bill *b, const bill_tariff *t, const bill_usage *u,
                             const bill_dec *kwh)
{
    int n = b->nsegments, rc = BILL_OK, s0 = 0;
    bill_dec c0 = BILL_DEC_INIT, g = BILL_DEC_INIT;
    const bill_dec *c1;
    int r = 0;
    for (int s = 1; s <= n && rc == BILL_OK; s++) {
        /* is there a reading at the start of segment s (s == n: the end, the total)? */
        if (s < n) {
            while (r < u->nreadings && bill_date_cmp(u->reading_date[r], b->seg[s].start) < 0)
                r++;
            if (r == u->nreadings || bill_date_cmp(u->reading_date[r], b->seg[s].start) != 0)
                continue;
            c1 = &u->reading_kwh[r];
        } else {
            c1 = kwh;
        }
        if (bill_dec_cmp(c1, &c0) < 0 || bill_dec_cmp(c1, kwh) > 0) {
            char d[16];
            bill_date_format(s < n ? b->seg[s].start : b->period.end, d, sizeof d);
            rc = billi_error(BILL_ERULE, "bill: the reading on %s is below an earlier one or above "
                                         "the period's total", d);
            break;
        }
        rc = bill_dec_sub(&g, c1, &c0);
        if (rc == BILL_OK)
            rc = billi_split_by_days(&b->seg_kwh[s0], s - s0, &g, &b->seg_days[s0],
                                     t->split_scale);
        if (rc == BILL_OK)
            rc = bill_dec_copy(&c0, c1);
        s0 = s;
    }
    bill_dec_clear(&c0);
    bill_dec_clear(&g);
    return rc;
}

/* The value of TOU register `name` in the TOU reading of row r, or NULL. */
static const bill_dec *tou_reading(const bill_usage *u, int r, const char *name)
{
    for (int j = 0; j < u->tou_rd_n[r]; j++)
        if (strcmp(u->tou_rd_name[r][j], name) == 0)
            return &u->tou_rd_kwh[r][j];
    return NULL;
}

/*
 * With TOU kWh, readings are by register: every date has a value for every
 * register of the usage (and no other), values do not decrease from date to
 * date nor exceed the register's period total, and a total reading on the
 * same date equals the sum of the registers' values.
 */
static int check_tou_readings(const bill_usage *u)
{
    char d[16], a[64], x[64], pd[16];
    bill_dec sum = BILL_DEC_INIT;
    int rc = BILL_OK;
    for (int r = 0; r < u->nreadings && rc == BILL_OK; r++) {
        int found = 0;
        for (int i = 0; i < u->ntou_rd; i++)
            found |= bill_date_cmp(u->tou_rd_date[i], u->reading_date[r]) == 0;
        if (!found) {
            bill_date_format(u->reading_date[r], d, sizeof d);
            rc = billi_error(BILL_ERULE, "bill: the reading on %s gives the total kWh only: with "
                                         "TOU kWh, give the reading of every TOU register on that "
                                         "date (bill_usage_set_tou_reading)", d);
        }
    }
    for (int i = 0; i < u->ntou_rd && rc == BILL_OK; i++) {
        bill_date_format(u->tou_rd_date[i], d, sizeof d);
        for (int j = 0; j < u->tou_rd_n[i] && rc == BILL_OK; j++) {
            int k = 0;
            while (k < u->ntou && strcmp(u->tou_name[k], u->tou_rd_name[i][j]) != 0)
                k++;
            if (k == u->ntou)
                rc = billi_error(BILL_ERULE, "bill: the reading on %s gives TOU register '%s', "
                                             "which has no TOU kWh in the usage", d,
                                 u->tou_rd_name[i][j]);
        }
        rc = rc == BILL_OK ? bill_dec_set_i64(&sum, 0, 0) : rc;
        for (int k = 0; k < u->ntou && rc == BILL_OK; k++) {
            const bill_dec *v = tou_reading(u, i, u->tou_name[k]);
            if (!v) {
                rc = billi_error(BILL_ERULE, "bill: the reading on %s has no value for TOU "
                                             "register '%s': give every TOU register of the usage "
                                             "at a split date", d, u->tou_name[k]);
                break;
            }
            if (bill_dec_cmp(v, &u->tou_kwh[k]) > 0) {
                bill_dec_format(v, a, sizeof a);
                bill_dec_format(&u->tou_kwh[k], x, sizeof x);
                rc = billi_error(BILL_ERULE, "bill: the reading of TOU register '%s' on %s (%s) "
                                             "is above the register's kWh of the period (%s)",
                                 u->tou_name[k], d, a, x);
                break;
            }
            const bill_dec *w = i > 0 ? tou_reading(u, i - 1, u->tou_name[k]) : NULL;
            if (w && bill_dec_cmp(v, w) < 0) {
                bill_dec_format(v, a, sizeof a);
                bill_dec_format(w, x, sizeof x);
                bill_date_format(u->tou_rd_date[i - 1], pd, sizeof pd);
                rc = billi_error(BILL_ERULE, "bill: the reading of TOU register '%s' on %s (%s) "
                                             "is below its reading on %s (%s)",
                                 u->tou_name[k], d, a, pd, x);
                break;
            }
            rc = bill_dec_add(&sum, &sum, v);
        }
        for (int r = 0; r < u->nreadings && rc == BILL_OK; r++)
            if (bill_date_cmp(u->reading_date[r], u->tou_rd_date[i]) == 0 &&
                bill_dec_cmp(&u->reading_kwh[r], &sum) != 0) {
                bill_dec_format(&u->reading_kwh[r], a, sizeof a);
                bill_dec_format(&sum, x, sizeof x);
                rc = billi_error(BILL_ERULE, "bill: the reading on %s gives %s kWh in total, but "
                                             "its TOU registers add up to %s", d, a, x);
            }
    }
    bill_dec_clear(&sum);
    return rc;
}

/* Every reading must fall on a split date of the period. */
static int check_readings(const bill_bill *b, const bill_usage *u)
{
    if (u->nreadings == 0 && u->ntou_rd == 0)
        return BILL_OK;
    if (u->ntou == 0 && u->ntou_rd > 0) {
        char d[16];
        bill_date_format(u->tou_rd_date[0], d, sizeof d);
        return billi_error(BILL_ERULE, "bill: the reading on %s gives TOU registers, but the "
                                       "usage has no TOU kWh for the period", d);
    }
    for (int r = 0; r < u->nreadings + u->ntou_rd; r++) {
        bill_date at = r < u->nreadings ? u->reading_date[r] : u->tou_rd_date[r - u->nreadings];
        int found = 0;
        for (int s = 1; s < b->nsegments; s++)
            found |= bill_date_cmp(b->seg[s].start, at) == 0;
        if (!found) {
            char d[16];
            bill_date_format(at, d, sizeof d);
            return billi_error(BILL_ERULE, "bill: the reading on %s is not at a tariff change "
                                           "(or new year) inside the period", d);
        }
    }
    return u->ntou > 0 ? check_tou_readings(u) : BILL_OK;
}

/*
 * Split TOU register k over the segments into parts[]: its readings (checked
 * by check_tou_readings) are anchors; between two anchors the kWh are shared
 * by days (billi_split_by_days).
 */
static int split_tou_by_readings(bill_bill *b, const bill_tariff *t, const bill_usage *u, int k,
                                 bill_dec *parts)
{
    int n = b->nsegments, rc = BILL_OK, s0 = 0, r = 0;
    bill_dec c0 = BILL_DEC_INIT, g = BILL_DEC_INIT;
    for (int s = 1; s <= n && rc == BILL_OK; s++) {
        const bill_dec *c1 = &u->tou_kwh[k];
        if (s < n) {
            while (r < u->ntou_rd && bill_date_cmp(u->tou_rd_date[r], b->seg[s].start) < 0)
                r++;
            if (r == u->ntou_rd || bill_date_cmp(u->tou_rd_date[r], b->seg[s].start) != 0)
                continue;
            c1 = tou_reading(u, r, u->tou_name[k]);
            if (!c1) {
                rc = billi_error(BILL_ERULE, "bill: TOU register '%s' has no reading", u->tou_name[k]);
                break;
            }
        }
        rc = bill_dec_sub(&g, c1, &c0);
        if (rc == BILL_OK)
            rc = billi_split_by_days(&parts[s0], s - s0, &g, &b->seg_days[s0], t->split_scale);
        if (rc == BILL_OK)
            rc = bill_dec_copy(&c0, c1);
        s0 = s;
    }
    bill_dec_clear(&c0);
    bill_dec_clear(&g);
    return rc;
}

/*
 * Split the usage over the segments by days (billi_split_by_days: the parts
 * depend on each value, not on how it was written); one segment takes the
 * usage as it is.
 */
static int split_usage(bill_bill *b, const bill_tariff *t, const bill_usage *u, const bill_dec *kwh)
{
    int n = b->nsegments, rc = BILL_OK;
    if (n == 1) {
        if (u->ntou == 0)
            return bill_dec_copy(&b->seg_kwh[0], kwh);
        for (int k = 0; k < u->ntou && rc == BILL_OK; k++)
            rc = bill_dec_copy(&b->seg_tou[0][k], &u->tou_kwh[k]);
        if (rc == BILL_OK)
            rc = bill_dec_copy(&b->seg_kwh[0], kwh);
        return rc;
    }
    bill_dec parts[BILLI_MAX_SEG];
    for (int s = 0; s < n; s++)
        bill_dec_init(&parts[s]); /* b->seg_days: set by split_segments */
    if (u->ntou == 0) {
        rc = split_by_readings(b, t, u, kwh);
    } else {
        for (int s = 0; s < n && rc == BILL_OK; s++)
            rc = bill_dec_set_i64(&b->seg_kwh[s], 0, 0);
        for (int k = 0; k < u->ntou && rc == BILL_OK; k++) {
            rc = u->ntou_rd > 0 ? split_tou_by_readings(b, t, u, k, parts)
                                : billi_split_by_days(parts, n, &u->tou_kwh[k], b->seg_days,
                                                      t->split_scale);
            for (int s = 0; s < n && rc == BILL_OK; s++) {
                rc = bill_dec_copy(&b->seg_tou[s][k], &parts[s]);
                if (rc == BILL_OK)
                    rc = bill_dec_add(&b->seg_kwh[s], &b->seg_kwh[s], &parts[s]);
            }
        }
    }
    for (int s = 0; s < n; s++)
        bill_dec_clear(&parts[s]);
    return rc;
}

void billi_minimum_line(billi_line *l, const bill_tariff *t, const bill_bill *b, int nseg)
{
    for (int s = 0; s < nseg && !l->charge; s++) {
        const billi_version *v = &t->versions[b->seg_ver[s]];
        for (int i = 0; i < v->ncharges; i++)
            if (v->charges[i].type == BILLI_CH_MINIMUM) {
                l->charge = &v->charges[i];
                l->charge_id = v->charges[i].id;
                break;
            }
    }
}

int bill_tariff_compute(const bill_tariff *t, const bill_usage *u, bill_bill *b)
{
    BILLI_CHECK_ARG(t != NULL, "t");
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(b != NULL, "b");
    if (u->has_period && u->has_opened && bill_date_cmp(u->opened, u->period.start) > 0) {
        char o[16], p[16];
        bill_date_format(u->opened, o, sizeof o);
        bill_date_format(u->period.start, p, sizeof p);
        b->n = 0;
        b->computed = 0;
        return billi_error(BILL_ERULE, "bill: the account opened on %s, after the start of the "
                                       "period (%s): a bill cannot cover days before it", o, p);
    }
    int frc = billi_fast_compute(t, u, b);
    if (frc != BILLI_FAST_NO)
        return frc;
    b->n = 0;
    b->computed = 0;
    b->tariff = t;
    if (!u->has_period)
        return billi_error(BILL_ESTATE, "bill: the usage has no billing period");
    b->period = u->period;
    memcpy(b->cls, u->cls, sizeof b->cls);

    bill_dec kwh = BILL_DEC_INIT, cum = BILL_DEC_INIT, minimum = BILL_DEC_INIT,
             tmp = BILL_DEC_INIT;
    int rc = BILL_OK, has_min = 0;
    const billi_charge *fin_last = NULL;   /* the last feed_in charge met: negative totals */
    billi_line *l;
    int32_t pdays = bill_period_days(u->period);

    /* the total: the intervals or the TOU registers add up to it */
    if (u->niv > 0) {
        if (u->ntou > 0 || u->nreadings > 0 || u->ntou_rd > 0) {
            rc = billi_error(BILL_ERULE, "bill: interval data replaces TOU kWh and readings: "
                                         "give one or the other");
            goto out;
        }
        TRY_GOTO(billi_intervals_check(u, &kwh));
        if (u->has_kwh && bill_dec_cmp(&kwh, &u->kwh) != 0) {
            char a[64], s[64];
            bill_dec_format(&u->kwh, a, sizeof a);
            bill_dec_format(&kwh, s, sizeof s);
            rc = billi_error(BILL_ERULE, "bill: the intervals add up to %s, not to the total %s",
                             s, a);
            goto out;
        }
    } else if (u->ntou > 0) {
        for (int k = 0; k < u->ntou; k++)
            TRY_GOTO(bill_dec_add(&kwh, &kwh, &u->tou_kwh[k]));
        if (u->has_kwh && bill_dec_cmp(&kwh, &u->kwh) != 0) {
            char a[64], s[64];
            bill_dec_format(&u->kwh, a, sizeof a);
            bill_dec_format(&kwh, s, sizeof s);
            rc = billi_error(BILL_ERULE, "bill: the TOU kWh add up to %s, not to the total %s",
                             s, a);
            goto out;
        }
    } else {
        TRY_GOTO(bill_dec_copy(&kwh, &u->kwh));
    }
    TRY_GOTO(split_segments(b, t, u));
    TRY_GOTO(check_readings(b, u));
    if (u->niv > 0)
        TRY_GOTO(billi_intervals_split(b, u));
    else
        TRY_GOTO(split_usage(b, t, u, &kwh));
    TRY_GOTO(bill_dec_copy(&cum, &u->ytd));
    if (b->nsegments > 1 && !bill_dec_is_zero(&u->exported))
        TRY_GOTO(billi_split_by_days(b->seg_exp, b->nsegments, &u->exported, b->seg_days,
                                     t->split_scale));

    for (int s = 0; s < b->nsegments; s++) {
        const billi_version *v = &t->versions[b->seg_ver[s]];
        seg_ctx ctx = {b->seg[s], u->period, &b->seg_kwh[s], b->seg_tou[s], &cum};
        /* feed-in: net metering prices the energy (and, unless "funds": "gross",
         * the funds) on the import left after the exports' offset */
        const billi_charge *fin = v->feed_in >= 0 ? &v->charges[v->feed_in] : NULL;
        const bill_dec *exp = b->nsegments > 1 && !bill_dec_is_zero(&u->exported)
                                  ? &b->seg_exp[s] : &u->exported;
        const bill_dec *funds_kwh = &b->seg_kwh[s];
        int has_exp = !bill_dec_is_zero(exp);
        if (fin)
            fin_last = fin;
        if (fin && has_exp && fin->netting == BILLI_NET_METERING) {
            TRY_GOTO(net_meter(b, u, &b->seg_kwh[s], b->seg_tou[s], exp));
            ctx.kwh = &b->net_kwh;
            ctx.tou = b->net_tou;
            if (!fin->funds_gross)
                funds_kwh = &b->net_kwh;
        }
        if (s > 0) {
            int y0, y1;
            bill_date_to_ymd(b->seg[s - 1].start, &y0, NULL, NULL);
            bill_date_to_ymd(b->seg[s].start, &y1, NULL, NULL);
            if (y1 != y0)
                TRY_GOTO(bill_dec_set_i64(&cum, 0, 0)); /* annual tiers start again */
        }
        const bill_dec *tou_base = ctx.tou;
        size_t first = b->n;
        int sel[BILLI_MAX_OPTIONS];
        TRY_GOTO(billi_options_select(sel, v, u));
        for (int i = 0; i < v->ncharges; i++) {
            const billi_charge *c = &v->charges[i];
            if (c->nwhen > 0 && !billi_charge_applies(c, sel))
                continue; /* an option the customer did not choose */
            switch (c->type) {
            case BILLI_CH_CAPACITY:
                TRY_GOTO(capacity_charge(b, t, c, u, b->seg[s]));
                break;
            case BILLI_CH_DEMAND:
                TRY_GOTO(demand_charge(b, t, c, u, s, v));
                break;
            case BILLI_CH_PF:
                TRY_GOTO(pf_charge(b, t, c, u, b->seg[s], first, &kwh));
                break;
            case BILLI_CH_FIXED:
                TRY_GOTO(fixed_charge(b, t, c, b->seg[s], pdays, 1, NULL));
                break;
            case BILLI_CH_MINIMUM:
                has_min = 1;
                TRY_GOTO(fixed_charge(b, t, c, b->seg[s], pdays, 0, &minimum));
                break;
            case BILLI_CH_ENERGY:
                if (c->ntou > 0 && u->niv > 0) {
                    /* interval data: assigned to this charge's schedule, exactly */
                    if (c->schedule < 0) {
                        rc = billi_error(BILL_ERULE, "bill: charge '%s' prices by time of use "
                                         "without a schedule, so interval data cannot be "
                                         "assigned to its periods", c->id);
                        goto fail;
                    }
                    if (fin && has_exp && fin->netting == BILLI_NET_METERING) {
                        rc = billi_error(BILL_EUNSUPPORTED, "bill: net metering of charge '%s' "
                                         "with interval data needs the exports per interval, "
                                         "which a usage cannot carry yet", c->id);
                        goto fail;
                    }
                    const billi_schedule *sc = &v->schedules[c->schedule];
                    TRY_GOTO(billi_intervals_tou(b, u, s, c, sc, b->iv_tou, NULL));
                    for (int p = 0; p < c->ntou; p++) {
                        b->tou_map[p] = -1;
                        for (int q = 0; q < sc->nperiods; q++)
                            if (strcmp(sc->period[q], c->tou_name[p]) == 0)
                                b->tou_map[p] = p;
                    }
                    ctx.tou = b->iv_tou;
                } else if (c->ntou > 0) {
                    ctx.tou = tou_base; /* the registers, netted under net metering */
                    TRY_GOTO(map_tou(b, c, u));
                }
                TRY_GOTO(energy_charge(b, t, c, u, &ctx));
                break;
            case BILLI_CH_FEED_IN:
                if (has_exp)
                    TRY_GOTO(feed_in_line(b, t, c, b->seg[s], exp));
                break;
            default:
                if (class_exempt(c, u->cls))
                    break;
                if (!(l = push_line(b, BILL_LINE_PER_KWH, BILLI_EX_PER_KWH, c, &b->seg[s])))
                    goto nomem;
                l->unit = "kWh";
                TRY_GOTO(bill_dec_copy(&l->qty, funds_kwh));
                TRY_GOTO(bill_dec_copy(&l->price, &c->price));
                TRY_GOTO(price_line(t, l));
                break;
            }
        }
        TRY_GOTO(bill_dec_add(&cum, &cum, ctx.kwh)); /* the billed kWh: net under net metering */
    }

    /* subtotal, minimum charge (compared with the charges before feed-in credits) */
    TRY_GOTO(bill_dec_set_i64(&b->subtotal, 0, 0));
    for (size_t i = 0; i < b->n; i++)
        if (b->lines[i].kind != BILL_LINE_CREDIT)
            TRY_GOTO(bill_dec_add(&b->subtotal, &b->subtotal, &b->lines[i].amount));
    if (bill_dec_scale(&b->subtotal) > t->round_scale)
        TRY_GOTO(bill_dec_trim(&b->subtotal, &b->subtotal, t->round_scale));
    TRY_GOTO(bill_dec_set_i64(&tmp, 0, 0));   /* the credits */
    int has_credit = 0;
    for (size_t i = 0; i < b->n; i++)
        if (b->lines[i].kind == BILL_LINE_CREDIT) {
            has_credit = 1;
            TRY_GOTO(bill_dec_add(&tmp, &tmp, &b->lines[i].amount));
        }
    if (has_min && bill_dec_cmp(&b->subtotal, &minimum) < 0) {
        if (!(l = push_line(b, BILL_LINE_MINIMUM, BILLI_EX_MINIMUM, NULL, &u->period)))
            goto nomem;
        billi_minimum_line(l, t, b, b->nsegments);
        TRY_GOTO(bill_dec_set_i64(&l->qty, 1, 0));
        l->unit = "period";
        TRY_GOTO(bill_dec_sub(&l->price, &minimum, &b->subtotal));
        TRY_GOTO(bill_dec_copy(&l->amount, &l->price));
        TRY_GOTO(bill_dec_copy(&l->aux, &minimum));
        TRY_GOTO(bill_dec_copy(&b->subtotal, &minimum));
    }
    if (has_credit) { /* without credits the subtotal stays as it is (a minimum's own scale) */
        TRY_GOTO(bill_dec_add(&b->subtotal, &b->subtotal, &tmp));
        if (bill_dec_scale(&b->subtotal) > t->round_scale)
            TRY_GOTO(bill_dec_trim(&b->subtotal, &b->subtotal, t->round_scale));
    }
    if (fin_last && !fin_last->allow_negative && bill_dec_sign(&b->subtotal) < 0) {
        /* credits beyond the charges are forfeited: the bill does not go below zero */
        if (!(l = push_line(b, BILL_LINE_CREDIT, BILLI_EX_FORFEIT, fin_last, &u->period)))
            goto nomem;
        l->band = "forfeited";
        l->unit = "period";
        TRY_GOTO(bill_dec_set_i64(&l->qty, 1, 0));
        TRY_GOTO(bill_dec_neg(&l->price, &b->subtotal));
        TRY_GOTO(bill_dec_copy(&l->amount, &l->price));
        TRY_GOTO(bill_dec_copy(&l->aux, &b->subtotal));
        TRY_GOTO(bill_dec_set_i64(&b->subtotal, 0, 0));
    }

    /* VAT */
    b->tax_included = 0;
    TRY_GOTO(bill_dec_set_i64(&b->tax, 0, 0));
    if (t->vat == BILLI_VAT_EXCLUSIVE) {
        if (!(l = push_line(b, BILL_LINE_TAX, BILLI_EX_TAX, NULL, &u->period)))
            goto nomem;
        l->component = "VAT";
        TRY_GOTO(bill_dec_copy(&l->qty, &b->subtotal));
        TRY_GOTO(bill_dec_copy(&l->price, &t->vat_rate));
        TRY_GOTO(price_line(t, l));
        TRY_GOTO(bill_dec_copy(&b->tax, &l->amount));
    }

    /* total: the exact sum of the lines, rounded once with "total" rounding */
    TRY_GOTO(bill_dec_set_i64(&b->sum, 0, 0));
    for (size_t i = 0; i < b->n; i++)
        TRY_GOTO(bill_dec_add(&b->sum, &b->sum, &b->lines[i].amount));
    if (bill_dec_scale(&b->sum) > t->round_scale)
        TRY_GOTO(bill_dec_trim(&b->sum, &b->sum, t->round_scale));
    TRY_GOTO(bill_dec_rescale(&b->total, &b->sum, t->round_scale, t->round_mode));
    if (bill_dec_cmp(&b->total, &b->sum) != 0) {
        if (!(l = push_line(b, BILL_LINE_ROUNDING, BILLI_EX_ROUNDING, NULL, &u->period)))
            goto nomem;
        TRY_GOTO(bill_dec_set_i64(&l->qty, 1, 0));
        TRY_GOTO(bill_dec_sub(&l->amount, &b->total, &b->sum));
        TRY_GOTO(bill_dec_copy(&l->price, &l->amount));
        TRY_GOTO(bill_dec_copy(&l->aux, &b->sum));
    }
    if (t->vat == BILLI_VAT_INCLUSIVE) {
        /* the tax part of a VAT-inclusive total: total × rate / (1 + rate) */
        bill_dec one = {1, 0, 0, NULL};
        b->tax_included = 1;
        TRY_GOTO(bill_dec_add(&tmp, &one, &t->vat_rate));
        TRY_GOTO(bill_dec_mul(&b->tax, &b->total, &t->vat_rate));
        TRY_GOTO(bill_dec_div(&b->tax, &b->tax, &tmp, t->round_scale, t->round_mode));
    }
    b->computed = 1;
    rc = BILL_OK;
    goto out;
nomem:
    rc = BILL_ENOMEM;
    goto out;
fail:
out:
    if (rc != BILL_OK)
        b->n = 0;
    bill_dec_clear(&kwh);
    bill_dec_clear(&cum);
    bill_dec_clear(&minimum);
    bill_dec_clear(&tmp);
    return rc;
}

/* ---- reading the bill ---------------------------------------------------------------- */

size_t bill_bill_line_count(const bill_bill *b)
{
    return b && b->computed ? b->n : 0;
}

int bill_bill_line(bill_line_view *out, const bill_bill *b, size_t i)
{
    BILLI_CHECK_ARG(b != NULL, "b");
    BILLI_CHECK_ARG(out != NULL, "out");
    BILLI_CHECK_ARG(b->computed && i < b->n, "i");
    const billi_line *l = &b->lines[i];
    out->kind = l->kind;
    out->charge = l->charge_id;
    out->component = l->component;
    out->band = l->band;
    out->unit = l->unit;
    out->quantity = &l->qty;
    out->unit_price = &l->price;
    out->amount = &l->amount;
    out->segment = l->seg;
    return BILL_OK;
}

int bill_bill_subtotal(bill_dec *out, const bill_bill *b)
{
    BILLI_CHECK_ARG(b != NULL && b->computed, "b");
    BILLI_CHECK_ARG(out != NULL, "out");
    return bill_dec_copy(out, &b->subtotal);
}

int bill_bill_tax(bill_dec *out, const bill_bill *b)
{
    BILLI_CHECK_ARG(b != NULL && b->computed, "b");
    BILLI_CHECK_ARG(out != NULL, "out");
    return bill_dec_copy(out, &b->tax);
}

int bill_bill_tax_included(const bill_bill *b)
{
    return b && b->computed ? b->tax_included : 0;
}

int bill_bill_total(bill_dec *out, const bill_bill *b)
{
    BILLI_CHECK_ARG(b != NULL && b->computed, "b");
    BILLI_CHECK_ARG(out != NULL, "out");
    return bill_dec_copy(out, &b->total);
}
