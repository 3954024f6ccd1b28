/*
 * libbill what-if: bills of the same usages under alternative tariffs and
 * options, ranked (bill_whatif_run), and the declared demand that minimises
 * the sum of a customer's bills (bill_whatif_best_declared_kw). Every figure
 * is a full bill computed by bill_tariff_compute; this file only chooses what
 * to compute and adds the totals exactly.
 */
#include "tariff_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_USAGES 1000
#define MAX_LABEL 200

typedef struct wi_cand {
    char *label;
    const bill_tariff *t;
    int noptions;
    char opt_name[BILLI_MAX_OPTIONS][BILL_NAME_MAX];
    char opt_value[BILLI_MAX_OPTIONS][BILL_NAME_MAX];
    int has_declared;
    bill_dec declared;
    /* results of the last run */
    int status;
    char error[BILLI_ERRMSG_MAX];
    bill_dec total;
    bill_dec *bills;               /* one total per usage, when status is BILL_OK */
    size_t nbills;
} wi_cand;

struct bill_whatif {
    size_t ncand, cap;
    wi_cand *cand;
    int ran;
    size_t nusages;
    size_t rank[BILL_WHATIF_MAX_CANDIDATES];
    bill_bill *bill;               /* scratch */
    bill_usage *view;              /* scratch: a usage seen with a candidate's overrides */
    int has_best, has_current;
    bill_dec best_kw, best_total, current_total;
};

int bill_whatif_create(bill_whatif **out)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    *out = NULL;
    bill_whatif *w = calloc(1, sizeof *w);
    if (!w)
        return billi_error(BILL_ENOMEM, "whatif: out of memory");
    w->view = malloc(sizeof *w->view);
    if (!w->view || bill_bill_create(&w->bill) != BILL_OK) {
        free(w->view);
        free(w);
        return billi_error(BILL_ENOMEM, "whatif: out of memory");
    }
    *out = w;
    return BILL_OK;
}

static void clear_results(wi_cand *c)
{
    for (size_t i = 0; i < c->nbills; i++)
        bill_dec_clear(&c->bills[i]);
    free(c->bills);
    c->bills = NULL;
    c->nbills = 0;
}

void bill_whatif_free(bill_whatif *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->ncand; i++) {
        wi_cand *c = &w->cand[i];
        clear_results(c);
        free(c->label);
        bill_dec_clear(&c->declared);
        bill_dec_clear(&c->total);
    }
    free(w->cand);
    bill_bill_free(w->bill);
    free(w->view); /* a shallow view: it owns nothing */
    bill_dec_clear(&w->best_kw);
    bill_dec_clear(&w->best_total);
    bill_dec_clear(&w->current_total);
    free(w);
}

int bill_whatif_add_candidate(bill_whatif *w, const char *label, const bill_tariff *t)
{
    BILLI_CHECK_ARG(w != NULL, "w");
    BILLI_CHECK_ARG(t != NULL, "t");
    BILLI_CHECK_ARG(label != NULL, "label");
    size_t len = strlen(label);
    if (len == 0 || len > MAX_LABEL || !billi_utf8_valid(label, len))
        return billi_error(BILL_EINVAL, "whatif: a label needs 1 to %d bytes of UTF-8", MAX_LABEL);
    if (w->ncand == BILL_WHATIF_MAX_CANDIDATES)
        return billi_error(BILL_ERANGE, "whatif: at most %d candidates", BILL_WHATIF_MAX_CANDIDATES);
    if (w->ncand > 0 && strcmp(w->cand[0].t->currency, t->currency) != 0)
        return billi_error(BILL_ECURRENCY, "whatif: candidate '%s' bills in %s, the first "
                                           "candidate in %s: totals would not compare",
                           label, t->currency, w->cand[0].t->currency);
    if (w->ncand == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4;
        wi_cand *nc = realloc(w->cand, cap * sizeof *nc);
        if (!nc)
            return billi_error(BILL_ENOMEM, "whatif: out of memory");
        w->cand = nc;
        w->cap = cap;
    }
    wi_cand *c = &w->cand[w->ncand];
    memset(c, 0, sizeof *c); /* zero decimals are valid */
    c->label = malloc(len + 1);
    if (!c->label)
        return billi_error(BILL_ENOMEM, "whatif: out of memory");
    memcpy(c->label, label, len + 1);
    c->t = t;
    w->ran = 0;
    return (int)w->ncand++;
}

int bill_whatif_set_option(bill_whatif *w, size_t candidate, const char *name, const char *value)
{
    BILLI_CHECK_ARG(w != NULL, "w");
    BILLI_CHECK_ARG(candidate < w->ncand, "candidate");
    BILLI_CHECK_ARG(name != NULL, "name");
    BILLI_CHECK_ARG(value != NULL, "value");
    wi_cand *c = &w->cand[candidate];
    /* the usage setter checks names and values; a scratch usage keeps c unchanged on failure */
    bill_usage *tmp;
    BILLI_TRY(bill_usage_create(&tmp));
    tmp->noptions = c->noptions;
    memcpy(tmp->opt_name, c->opt_name, sizeof c->opt_name);
    memcpy(tmp->opt_value, c->opt_value, sizeof c->opt_value);
    int rc = bill_usage_set_option(tmp, name, value);
    if (rc == BILL_OK) {
        c->noptions = tmp->noptions;
        memcpy(c->opt_name, tmp->opt_name, sizeof c->opt_name);
        memcpy(c->opt_value, tmp->opt_value, sizeof c->opt_value);
        w->ran = 0;
    }
    bill_usage_free(tmp);
    return rc;
}

int bill_whatif_set_declared_kw(bill_whatif *w, size_t candidate, const bill_dec *kw)
{
    BILLI_CHECK_ARG(w != NULL, "w");
    BILLI_CHECK_ARG(candidate < w->ncand, "candidate");
    BILLI_CHECK_ARG(kw != NULL, "kw");
    if (bill_dec_sign(kw) < 0)
        return billi_error(BILL_ERANGE, "whatif: a declared demand must not be negative");
    BILLI_TRY(bill_dec_copy(&w->cand[candidate].declared, kw));
    w->cand[candidate].has_declared = 1;
    w->ran = 0;
    return BILL_OK;
}

size_t bill_whatif_candidate_count(const bill_whatif *w)
{
    return w ? w->ncand : 0;
}

/* ---- computing ---------------------------------------------------------------------- */

/*
 * w->view = usage u as candidate c sees it: c's options over u's, and the
 * declared demand `declared` (or c's, or u's own). The view is a shallow copy
 * of the struct: decimals it shares with u are only read, because
 * bill_tariff_compute takes its usage as const and nothing writes or frees
 * through the view; its own fields (options, declared demand) are plain
 * values or point to decimals that outlive the computation. Whatever fields
 * bill_usage gains later are carried over as they are.
 */
static int make_view(bill_whatif *w, const bill_usage *u, const wi_cand *c,
                     const bill_dec *declared)
{
    *w->view = *u;
    for (int i = 0; i < c->noptions; i++)
        BILLI_TRY(bill_usage_set_option(w->view, c->opt_name[i], c->opt_value[i]));
    if (!declared && c->has_declared)
        declared = &c->declared;
    if (declared) {
        w->view->declared_kw = *declared; /* shallow: read only, see above */
        w->view->has_declared = 1;
    }
    return BILL_OK;
}

/*
 * Sum into *sum the totals of the bills of usages[0..n) under candidate c
 * (per-usage totals into per[] when not NULL; the largest line count seen for
 * usage i into lines[i] when not NULL). A failure names the usage.
 */
static int sum_bills(bill_whatif *w, const wi_cand *c, const bill_usage *const *usages, size_t n,
                     const bill_dec *declared, bill_dec *sum, bill_dec *per, size_t *lines)
{
    bill_dec tot = BILL_DEC_INIT;
    int rc = bill_dec_set_i64(sum, 0, 0);
    for (size_t i = 0; i < n && rc == BILL_OK; i++) {
        rc = make_view(w, usages[i], c, declared);
        if (rc == BILL_OK)
            rc = bill_tariff_compute(c->t, w->view, w->bill);
        if (rc == BILL_OK)
            rc = bill_bill_total(&tot, w->bill);
        if (rc == BILL_OK)
            rc = bill_dec_add(sum, sum, &tot);
        if (rc == BILL_OK && per)
            rc = bill_dec_copy(&per[i], &tot);
        if (rc == BILL_OK && lines && bill_bill_line_count(w->bill) > lines[i])
            lines[i] = bill_bill_line_count(w->bill);
        if (rc != BILL_OK) {
            char msg[BILLI_ERRMSG_MAX];
            snprintf(msg, sizeof msg, "%s", bill_errmsg());
            rc = billi_error(rc, "whatif: candidate '%s', usage %zu: %s", c->label, i, msg);
        }
    }
    bill_dec_clear(&tot);
    return rc;
}

static int check_usages(const bill_usage *const *usages, size_t n)
{
    BILLI_CHECK_ARG(usages != NULL, "usages");
    if (n == 0 || n > MAX_USAGES)
        return billi_error(BILL_EINVAL, "whatif: give 1 to %d usages, not %zu", MAX_USAGES, n);
    for (size_t i = 0; i < n; i++)
        if (!usages[i])
            return billi_error(BILL_EINVAL, "whatif: usage %zu is NULL", i);
    return BILL_OK;
}

/* Ranking order: computed before failed, then by total, then by the order of adding. */
static int before(const bill_whatif *w, size_t a, size_t b)
{
    const wi_cand *x = &w->cand[a], *y = &w->cand[b];
    if ((x->status == BILL_OK) != (y->status == BILL_OK))
        return x->status == BILL_OK;
    if (x->status == BILL_OK) {
        int c = bill_dec_cmp(&x->total, &y->total);
        if (c != 0)
            return c < 0;
    }
    return a < b;
}

int bill_whatif_run(bill_whatif *w, const bill_usage *const *usages, size_t n)
{
    BILLI_CHECK_ARG(w != NULL, "w");
    BILLI_TRY(check_usages(usages, n));
    if (w->ncand == 0)
        return billi_error(BILL_ESTATE, "whatif: no candidates to compare");
    w->ran = 0;
    for (size_t k = 0; k < w->ncand; k++) {
        wi_cand *c = &w->cand[k];
        clear_results(c);
        c->bills = calloc(n, sizeof *c->bills);
        if (!c->bills)
            return billi_error(BILL_ENOMEM, "whatif: out of memory");
        c->nbills = n;
        c->status = sum_bills(w, c, usages, n, NULL, &c->total, c->bills, NULL);
        c->error[0] = '\0';
        if (c->status == BILL_ENOMEM)
            return BILL_ENOMEM;
        if (c->status != BILL_OK)
            snprintf(c->error, sizeof c->error, "%s", bill_errmsg());
    }
    /* a stable insertion sort: equal totals keep the order of adding */
    for (size_t k = 0; k < w->ncand; k++) {
        size_t j = k;
        while (j > 0 && before(w, k, w->rank[j - 1])) {
            w->rank[j] = w->rank[j - 1];
            j--;
        }
        w->rank[j] = k;
    }
    w->nusages = n;
    w->ran = 1;
    return BILL_OK;
}

/* ---- results ------------------------------------------------------------------------------ */

size_t bill_whatif_result_count(const bill_whatif *w)
{
    return w && w->ran ? w->ncand : 0;
}

static const wi_cand *ranked(const bill_whatif *w, size_t rank)
{
    return w && w->ran && rank < w->ncand ? &w->cand[w->rank[rank]] : NULL;
}

const char *bill_whatif_label(const bill_whatif *w, size_t rank)
{
    const wi_cand *c = ranked(w, rank);
    return c ? c->label : NULL;
}

int bill_whatif_candidate(const bill_whatif *w, size_t rank)
{
    BILLI_CHECK_ARG(ranked(w, rank) != NULL, "rank");
    return (int)w->rank[rank];
}

int bill_whatif_status(const bill_whatif *w, size_t rank)
{
    const wi_cand *c = ranked(w, rank);
    if (!c)
        return billi_error(BILL_EINVAL, "%s: argument 'rank' is invalid", __func__);
    return c->status;
}

const char *bill_whatif_error(const bill_whatif *w, size_t rank)
{
    const wi_cand *c = ranked(w, rank);
    return c ? c->error : NULL;
}

static int failed(const wi_cand *c)
{
    return billi_error(BILL_ESTATE, "whatif: candidate '%s' failed: %s", c->label, c->error);
}

int bill_whatif_total(bill_dec *out, const bill_whatif *w, size_t rank)
{
    const wi_cand *c = ranked(w, rank);
    BILLI_CHECK_ARG(out != NULL, "out");
    BILLI_CHECK_ARG(c != NULL, "rank");
    if (c->status != BILL_OK)
        return failed(c);
    return bill_dec_copy(out, &c->total);
}

int bill_whatif_saving(bill_dec *out, const bill_whatif *w, size_t rank)
{
    const wi_cand *c = ranked(w, rank);
    BILLI_CHECK_ARG(out != NULL, "out");
    BILLI_CHECK_ARG(c != NULL, "rank");
    if (c->status != BILL_OK)
        return failed(c);
    if (w->cand[0].status != BILL_OK)
        return failed(&w->cand[0]);
    return bill_dec_sub(out, &w->cand[0].total, &c->total);
}

size_t bill_whatif_usage_count(const bill_whatif *w)
{
    return w && w->ran ? w->nusages : 0;
}

int bill_whatif_bill_total(bill_dec *out, const bill_whatif *w, size_t rank, size_t i)
{
    const wi_cand *c = ranked(w, rank);
    BILLI_CHECK_ARG(out != NULL, "out");
    BILLI_CHECK_ARG(c != NULL, "rank");
    BILLI_CHECK_ARG(i < w->nusages, "i");
    if (c->status != BILL_OK)
        return failed(c);
    return bill_dec_copy(out, &c->bills[i]);
}

/* ---- the best declared demand --------------------------------------------------------------- */

/*
 * Why the optimum is among the points evaluated.
 *
 * Let C range over the declarable values: the multiples of `step` from L (the
 * floor min_fraction × capacity, rounded up to a step, and at least one step)
 * upwards. For month m with maximum demand D and a contracted charge of price
 * p, tolerance r (1.05) and excess multiplier x (2), the exact basic charge is
 *     g(C) = r·C·p + (D − r·C)·x·p = x·p·D − r·p·(x − 1)·C   when r·C < D (A),
 *     g(C) = C·p                                          when r·C ≥ D (B),
 * times a fixed day fraction for part months. So g is linear in C on each
 * side of c* = D / r and jumps at c*. On the step grid, region B starts at
 * the grid point c = ceil(D / (r·step))·step. Every other line of the bill
 * either does not depend on C (energy, funds) or is a fixed linear function
 * of the basic lines (the power-factor adjustment is a percentage fixed by kWh
 * and kvarh; VAT a fixed rate). So the exact (unrounded) sum F*(C) of the
 * bills is linear between consecutive "regime changes" c_m of the months, for
 * every contracted charge (each tolerance) that applies.
 *
 * The points evaluated are L, every c_m, every c_m − step (the last grid point
 * before the jump) and every ceil(D_m / step)·step (harmless extras). Sorted,
 * they cut the grid into intervals [lo, hi] on which no month changes regime:
 * a c_m inside would be a point, and when hi = c_m then c_m − step is a point,
 * so such an interval has no interior grid point. Above the largest point
 * every month is in region B and F* is linear and non-decreasing (prices are
 * not negative). A linear function on an interval is smallest at an end, so
 * the exact optimum is one of the points.
 *
 * The bills are rounded, line by line (or once on the total): F = F* + e with
 * |e| ≤ E, E = Σ_m (2·lines_m + 2) units of the tariff's rounding scale (one
 * unit per line, once more for lines whose base is itself rounded, such as the
 * power-factor line, and the rounding line). Rounding could thus make a grid
 * point inside an interval cheaper than both ends by a few units. So inside
 * each interval the grid points whose linear bound F(lo) + (F(hi) − F(lo))·j/K
 * − 2E does not exceed the best total so far are evaluated as well (usually
 * none or one or two next to the cheaper end; all of them when the interval
 * is flat), and above the largest point the same is done on [last, 2·last],
 * [2·last, 4·last], ... until F − 2E exceeds the best total. The result is
 * then the cheapest grid point for the bills as computed, the smallest such C
 * on a tie. A minimum charge would make F* convex rather than linear between
 * the points, so tariffs with one are refused.
 */

typedef struct best_ctx {
    bill_whatif *w;
    const wi_cand *c;
    const bill_usage *const *usages;
    size_t n;
    size_t *lines;
    bill_dec best_kw, best_total;
    int has_best;
} best_ctx;

/* F(C) into *f, and C into the best when it is cheaper (or as cheap and smaller). */
static int eval_at(best_ctx *x, const bill_dec *kw, bill_dec *f)
{
    BILLI_TRY(sum_bills(x->w, x->c, x->usages, x->n, kw, f, NULL, x->lines));
    int cmp = x->has_best ? bill_dec_cmp(f, &x->best_total) : -1;
    if (cmp < 0 || (cmp == 0 && bill_dec_cmp(kw, &x->best_kw) < 0)) {
        BILLI_TRY(bill_dec_copy(&x->best_total, f));
        BILLI_TRY(bill_dec_copy(&x->best_kw, kw));
        x->has_best = 1;
    }
    return BILL_OK;
}

/* r = ceil(a / step)·step */
static int ceil_step(bill_dec *r, const bill_dec *a, const bill_dec *step)
{
    BILLI_TRY(bill_dec_div(r, a, step, 0, BILL_ROUND_CEILING));
    return bill_dec_mul(r, r, step);
}

static int dec_cmp_qsort(const void *a, const void *b)
{
    return bill_dec_cmp(a, b);
}

/*
 * The interior grid points of [lo, hi] (K = (hi − lo)/step steps, F at the
 * ends flo, fhi) that the linear bound cannot exclude, evaluated.
 */
static int refine(best_ctx *x, const bill_dec *lo, const bill_dec *flo, const bill_dec *fhi,
                  int64_t k, const bill_dec *step, const bill_dec *two_e)
{
    if (k < 2)
        return BILL_OK;
    bill_dec thr = BILL_DEC_INIT, delta = BILL_DEC_INIT, num = BILL_DEC_INIT, q = BILL_DEC_INIT,
             kk = BILL_DEC_INIT, c = BILL_DEC_INIT, f = BILL_DEC_INIT;
    int64_t j0 = 1, j1 = k - 1, v;
    int rc = bill_dec_add(&thr, &x->best_total, two_e); /* scan where F_lin <= best + 2E */
    if (rc == BILL_OK)
        rc = bill_dec_sub(&delta, fhi, flo);
    if (rc == BILL_OK)
        rc = bill_dec_set_i64(&kk, k, 0);
    if (rc == BILL_OK) {
        int sd = bill_dec_sign(&delta);
        if (sd == 0) {
            if (bill_dec_cmp(flo, &thr) > 0)
                j1 = 0;
        } else if (sd > 0) {
            /* F(lo) + delta·j/K <= thr  <=>  j <= (thr − F(lo))·K / delta */
            rc = bill_dec_sub(&num, &thr, flo);
            if (rc == BILL_OK)
                rc = bill_dec_mul(&num, &num, &kk);
            if (rc == BILL_OK)
                rc = bill_dec_div(&q, &num, &delta, 0, BILL_ROUND_FLOOR);
            if (rc == BILL_OK && bill_dec_to_units(&q, 0, &v) == BILL_OK && v < j1)
                j1 = v;
        } else {
            /* j >= (F(lo) − thr)·K / (−delta) */
            rc = bill_dec_sub(&num, flo, &thr);
            if (rc == BILL_OK)
                rc = bill_dec_mul(&num, &num, &kk);
            if (rc == BILL_OK)
                rc = bill_dec_neg(&delta, &delta);
            if (rc == BILL_OK)
                rc = bill_dec_div(&q, &num, &delta, 0, BILL_ROUND_CEILING);
            if (rc == BILL_OK && bill_dec_to_units(&q, 0, &v) == BILL_OK && v > j0)
                j0 = v;
            else if (rc == BILL_OK && bill_dec_sign(&q) > 0 && bill_dec_to_units(&q, 0, &v) != BILL_OK)
                j0 = k; /* too far: nothing */
        }
    }
    for (int64_t j = j0; rc == BILL_OK && j <= j1; j++) {
        rc = bill_dec_set_i64(&q, j, 0);
        if (rc == BILL_OK)
            rc = bill_dec_mul(&c, &q, step);
        if (rc == BILL_OK)
            rc = bill_dec_add(&c, &c, lo);
        if (rc == BILL_OK)
            rc = eval_at(x, &c, &f);
    }
    bill_dec_clear(&thr);
    bill_dec_clear(&delta);
    bill_dec_clear(&num);
    bill_dec_clear(&q);
    bill_dec_clear(&kk);
    bill_dec_clear(&c);
    bill_dec_clear(&f);
    return rc;
}

/* (hi − lo) / step as an int64 */
static int steps_between(int64_t *out, const bill_dec *lo, const bill_dec *hi, const bill_dec *step)
{
    bill_dec d = BILL_DEC_INIT;
    int rc = bill_dec_sub(&d, hi, lo);
    if (rc == BILL_OK)
        rc = bill_dec_div(&d, &d, step, 0, BILL_ROUND_UNNECESSARY);
    if (rc == BILL_OK)
        rc = bill_dec_to_units(&d, 0, out);
    bill_dec_clear(&d);
    if (rc != BILL_OK)
        return billi_error(BILL_ERANGE, "whatif: too many declaring steps between %s", "points");
    return BILL_OK;
}

int bill_whatif_best_declared_kw(bill_whatif *w, size_t candidate, const bill_usage *const *usages,
                                 size_t n, const bill_dec *step)
{
    BILLI_CHECK_ARG(w != NULL, "w");
    BILLI_CHECK_ARG(candidate < w->ncand, "candidate");
    BILLI_CHECK_ARG(step != NULL, "step");
    BILLI_TRY(check_usages(usages, n));
    if (bill_dec_sign(step) <= 0 || bill_dec_scale(step) > 6)
        return billi_error(BILL_ERANGE, "whatif: the declaring step must be positive, with at "
                                        "most 6 decimals");
    const wi_cand *c = &w->cand[candidate];
    const bill_tariff *t = c->t;
    w->has_best = w->has_current = 0;

    /* the contracted demand charges that apply (their tolerances) and the floor fraction */
    const bill_dec *tol[64];
    int ntol = 0, has_contracted = 0;
    const bill_dec *minfrac = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!usages[i]->has_max_demand)
            return billi_error(BILL_ERULE, "whatif: usage %zu has no max_demand_kw", i);
        BILLI_TRY(make_view(w, usages[i], c, NULL));
        for (int vi = 0; vi < t->nversions; vi++) {
            const billi_version *v = &t->versions[vi];
            int sel[BILLI_MAX_OPTIONS];
            if (billi_options_select(sel, v, w->view) != BILL_OK)
                continue; /* the computation will say why */
            for (int k = 0; k < v->ncharges; k++) {
                const billi_charge *ch = &v->charges[k];
                if (!billi_charge_applies(ch, sel))
                    continue;
                if (ch->type == BILLI_CH_MINIMUM)
                    return billi_error(BILL_EUNSUPPORTED, "whatif: tariff '%s' has a minimum "
                                       "charge ('%s'): the best declared demand is not searched "
                                       "for such tariffs", t->id, ch->id);
                if (ch->type != BILLI_CH_DEMAND || ch->basis != BILLI_DEMAND_CONTRACTED)
                    continue;
                has_contracted = 1;
                int seen = 0;
                for (int q = 0; q < ntol; q++)
                    seen |= bill_dec_cmp(tol[q], &ch->tolerance) == 0;
                if (!seen && ntol < 64)
                    tol[ntol++] = &ch->tolerance;
                if (!minfrac || bill_dec_cmp(&ch->min_fraction, minfrac) > 0)
                    minfrac = &ch->min_fraction;
            }
        }
    }
    if (!has_contracted)
        return billi_error(BILL_ERULE, "whatif: candidate '%s' has no demand charge on the "
                                       "contracted basis (check its options)", c->label);

    best_ctx x = {w, c, usages, n, NULL, BILL_DEC_INIT, BILL_DEC_INIT, 0};
    size_t npts = 0, cap = 1 + n * (2 * (size_t)ntol + 1);
    bill_dec *pts = calloc(cap, sizeof *pts), *fs = calloc(cap, sizeof *fs);
    bill_dec lowest = BILL_DEC_INIT, tmp = BILL_DEC_INIT, e = BILL_DEC_INIT, unit = BILL_DEC_INIT,
             hi = BILL_DEC_INIT, fhi = BILL_DEC_INIT, flo = BILL_DEC_INIT;
    x.lines = calloc(n, sizeof *x.lines);
    int rc = pts && fs && x.lines ? BILL_OK : billi_error(BILL_ENOMEM, "whatif: out of memory");

    /* L: the floor over all usages, on the grid, at least one step */
    if (rc == BILL_OK)
        rc = bill_dec_copy(&lowest, step);
    for (size_t i = 0; rc == BILL_OK && i < n; i++) {
        if (!usages[i]->has_capacity)
            continue;
        rc = bill_dec_mul(&tmp, &usages[i]->capacity_kva, minfrac);
        if (rc == BILL_OK)
            rc = ceil_step(&tmp, &tmp, step);
        if (rc == BILL_OK && bill_dec_cmp(&tmp, &lowest) > 0)
            rc = bill_dec_copy(&lowest, &tmp);
    }
    if (rc == BILL_OK)
        rc = bill_dec_copy(&pts[npts++], &lowest);
    for (size_t i = 0; rc == BILL_OK && i < n; i++) {
        const bill_dec *d = &usages[i]->max_demand_kw;
        for (int q = 0; rc == BILL_OK && q <= ntol; q++) {
            /* c_m = ceil(D / (r·step))·step and c_m − step; q == ntol: ceil(D / step)·step */
            if (q < ntol) {
                rc = bill_dec_mul(&tmp, tol[q], step);
                if (rc == BILL_OK)
                    rc = bill_dec_div(&tmp, d, &tmp, 0, BILL_ROUND_CEILING);
                if (rc == BILL_OK)
                    rc = bill_dec_mul(&tmp, &tmp, step);
            } else {
                rc = ceil_step(&tmp, d, step);
            }
            if (rc == BILL_OK && bill_dec_cmp(&tmp, &lowest) > 0)
                rc = bill_dec_copy(&pts[npts++], &tmp);
            if (rc == BILL_OK && q < ntol) {
                rc = bill_dec_sub(&tmp, &tmp, step);
                if (rc == BILL_OK && bill_dec_cmp(&tmp, &lowest) > 0)
                    rc = bill_dec_copy(&pts[npts++], &tmp);
            }
        }
    }
    if (rc == BILL_OK) {
        /* sorted, without duplicates */
        qsort(pts, npts, sizeof *pts, dec_cmp_qsort);
        size_t u = 0;
        for (size_t i = 0; i < npts; i++)
            if (u == 0 || bill_dec_cmp(&pts[i], &pts[u - 1]) != 0) {
                if (u != i && rc == BILL_OK)
                    rc = bill_dec_copy(&pts[u], &pts[i]);
                u++;
            }
        for (size_t i = u; i < npts; i++)
            bill_dec_clear(&pts[i]);
        npts = u;
    }
    for (size_t i = 0; rc == BILL_OK && i < npts; i++)
        rc = eval_at(&x, &pts[i], &fs[i]);

    /* E = Σ (2·lines + 2) units of the rounding scale; 2E into e */
    if (rc == BILL_OK) {
        int64_t units = 0;
        for (size_t i = 0; i < n; i++)
            units += 2 * (int64_t)x.lines[i] + 2;
        rc = bill_dec_set_i64(&e, 2 * units, t->round_scale);
    }
    for (size_t i = 0; rc == BILL_OK && i + 1 < npts; i++) {
        int64_t k;
        rc = steps_between(&k, &pts[i], &pts[i + 1], step);
        if (rc == BILL_OK)
            rc = refine(&x, &pts[i], &fs[i], &fs[i + 1], k, step, &e);
    }
    /* above the last point: [last, 2·last], [2·last, 4·last], ... while F − 2E <= best */
    if (rc == BILL_OK)
        rc = bill_dec_copy(&tmp, &pts[npts - 1]);
    if (rc == BILL_OK)
        rc = bill_dec_copy(&flo, &fs[npts - 1]);
    for (int round = 0; rc == BILL_OK && round < 16; round++) {
        int64_t k;
        rc = bill_dec_add(&hi, &tmp, &tmp);
        if (rc == BILL_OK)
            rc = eval_at(&x, &hi, &fhi);
        if (rc == BILL_OK)
            rc = steps_between(&k, &tmp, &hi, step);
        if (rc == BILL_OK)
            rc = refine(&x, &tmp, &flo, &fhi, k, step, &e);
        if (rc != BILL_OK)
            break;
        rc = bill_dec_sub(&unit, &fhi, &e);
        if (rc != BILL_OK || bill_dec_cmp(&unit, &x.best_total) > 0)
            break; /* F* is non-decreasing here: nothing further can be cheaper */
        rc = bill_dec_copy(&tmp, &hi);
        if (rc == BILL_OK)
            rc = bill_dec_copy(&flo, &fhi);
    }

    if (rc == BILL_OK)
        rc = bill_dec_copy(&w->best_kw, &x.best_kw);
    if (rc == BILL_OK)
        rc = bill_dec_copy(&w->best_total, &x.best_total);
    if (rc == BILL_OK) {
        int all = 1;
        for (size_t i = 0; i < n; i++)
            all &= usages[i]->has_declared || c->has_declared;
        if (all)
            rc = sum_bills(w, c, usages, n, NULL, &w->current_total, NULL, NULL);
        w->has_current = all && rc == BILL_OK;
        w->has_best = rc == BILL_OK;
    }
    for (size_t i = 0; pts && i < npts; i++)
        bill_dec_clear(&pts[i]);
    for (size_t i = 0; fs && i < cap; i++)
        bill_dec_clear(&fs[i]);
    free(pts);
    free(fs);
    free(x.lines);
    bill_dec_clear(&x.best_kw);
    bill_dec_clear(&x.best_total);
    bill_dec_clear(&lowest);
    bill_dec_clear(&tmp);
    bill_dec_clear(&e);
    bill_dec_clear(&unit);
    bill_dec_clear(&hi);
    bill_dec_clear(&fhi);
    bill_dec_clear(&flo);
    return rc;
}

int bill_whatif_best_kw(bill_dec *out, const bill_whatif *w)
{
    BILLI_CHECK_ARG(w != NULL, "w");
    BILLI_CHECK_ARG(out != NULL, "out");
    if (!w->has_best)
        return billi_error(BILL_ESTATE, "whatif: no best declared demand computed");
    return bill_dec_copy(out, &w->best_kw);
}

int bill_whatif_best_total(bill_dec *out, const bill_whatif *w)
{
    BILLI_CHECK_ARG(w != NULL, "w");
    BILLI_CHECK_ARG(out != NULL, "out");
    if (!w->has_best)
        return billi_error(BILL_ESTATE, "whatif: no best declared demand computed");
    return bill_dec_copy(out, &w->best_total);
}

int bill_whatif_current_total(bill_dec *out, const bill_whatif *w)
{
    BILLI_CHECK_ARG(w != NULL, "w");
    BILLI_CHECK_ARG(out != NULL, "out");
    if (!w->has_best)
        return billi_error(BILL_ESTATE, "whatif: no best declared demand computed");
    if (!w->has_current)
        return billi_error(BILL_ENOTFOUND, "whatif: a usage states no declared_kw: no current "
                                           "total to compare");
    return bill_dec_copy(out, &w->current_total);
}
