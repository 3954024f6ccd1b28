/*
 * Batch billing: many accounts under one tariff for one period, usage as columns
 * (include/bill/batch.h). The columns are kept as given (int64 coefficients, one scale
 * per column); bill_batch_compute() hands them to the column kernel of tariff_batch.c
 * (billi_fast_batch) and bills the accounts it leaves one at a time through
 * bill_tariff_compute() with a usage built from the columns (bill_batch_usage), so both
 * give the bill bill_tariff_compute gives.
 */
#include "tariff_internal.h"
#include "bill/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* status[i] of an account whose values are not kept (not int64): read from its bill */
#define BATCH_BIG 1

enum { COL_KWH, COL_YTD, COL_CAP, COL_DECL, COL_MAXD, COL_KVARH, NCOL };
static const char *const col_name[NCOL] = {"kwh", "ytd_kwh", "capacity_kva", "declared_kw",
                                           "max_demand_kw", "kvarh"};

struct bill_batch {
    const bill_tariff *t;
    bill_period p;
    size_t n;
    /* columns */
    int64_t *col[NCOL];
    int32_t col_s[NCOL];
    int64_t col_max[NCOL];
    int ntou;
    char tou_name[BILL_TARIFF_MAX_TOU][BILL_NAME_MAX];
    int64_t *tou[BILL_TARIFF_MAX_TOU];
    int32_t tou_s[BILL_TARIFF_MAX_TOU];
    int64_t tou_max[BILL_TARIFF_MAX_TOU];
    int32_t *household;
    char (*cls)[BILL_NAME_MAX];         /* per account, or NULL: cls_all */
    char cls_all[BILL_NAME_MAX];
    char pf_standard[8];
    /* results */
    int computed;
    size_t failed, kernel;
    int32_t *status;
    int64_t *total, *sub, *tax;
    int8_t *total_s, *sub_s, *tax_s;
    uint8_t *done, *trim;               /* trim: billi_batch_out's */
    /* one account at a time */
    bill_usage *u;
    bill_bill *bill;
};

int bill_batch_create(bill_batch **out, const bill_tariff *t, bill_period p, size_t n)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    BILLI_CHECK_ARG(t != NULL, "t");
    *out = NULL;
    if (n == 0 || n > (size_t)1 << 40)
        return billi_error(BILL_EINVAL, "batch: %zu accounts (at least 1)", n);
    if (p.end.day <= p.start.day)
        return billi_error(BILL_EINVAL, "batch: the period is empty");
    bill_batch *b = calloc(1, sizeof *b);
    if (!b)
        return billi_error(BILL_ENOMEM, "batch: out of memory");
    b->t = t;
    b->p = p;
    b->n = n;
    b->status = malloc(n * sizeof *b->status);
    b->total = malloc(n * sizeof *b->total);
    b->sub = malloc(n * sizeof *b->sub);
    b->tax = malloc(n * sizeof *b->tax);
    b->total_s = malloc(n);
    b->sub_s = malloc(n);
    b->tax_s = malloc(n);
    b->done = malloc(n);
    b->trim = malloc(n);
    if (!b->trim || !b->status || !b->total || !b->sub || !b->tax || !b->total_s || !b->sub_s || !b->tax_s ||
        !b->done || bill_usage_create(&b->u) != BILL_OK || bill_bill_create(&b->bill) != BILL_OK) {
        bill_batch_free(b);
        return billi_error(BILL_ENOMEM, "batch: out of memory for %zu accounts", n);
    }
    *out = b;
    return BILL_OK;
}

void bill_batch_free(bill_batch *b)
{
    if (!b)
        return;
    for (int k = 0; k < NCOL; k++)
        free(b->col[k]);
    for (int k = 0; k < b->ntou; k++)
        free(b->tou[k]);
    free(b->household);
    free(b->cls);
    free(b->status);
    free(b->total);
    free(b->sub);
    free(b->tax);
    free(b->total_s);
    free(b->sub_s);
    free(b->tax_s);
    free(b->done);
    free(b->trim);
    bill_usage_free(b->u);
    bill_bill_free(b->bill);
    free(b);
}

size_t bill_batch_size(const bill_batch *b)
{
    return b ? b->n : 0;
}

/* ---- columns ---------------------------------------------------------------------------- */

/*
 * A copy of n quantities at `scale`, each checked as a usage quantity (>= 0, at most 12
 * decimals and 15 digits before the point); NULL with the error set.
 */
static int64_t *quantities(const bill_batch *b, const int64_t *coef, int32_t scale,
                           const char *what, int *rc, int64_t *max)
{
    *rc = BILL_OK;
    *max = 0;
    if (scale < 0 || scale > BILL_BATCH_MAX_SCALE) {
        *rc = billi_error(BILL_ERANGE, "batch: %s: scale %d is out of range [0, %d]", what,
                          (int)scale, BILL_BATCH_MAX_SCALE);
        return NULL;
    }
    /* 15 digits before the point: below 10^(15 + scale) (every int64 when scale >= 4) */
    int64_t limit = INT64_MAX;
    if (15 + scale <= 18) {
        limit = 1;
        for (int32_t k = 0; k < 15 + scale; k++)
            limit *= 10;
    }
    for (size_t i = 0; i < b->n; i++) {
        if (coef[i] < 0) {
            *rc = billi_error(BILL_ERANGE, "batch: %s of account %zu must not be negative", what, i);
            return NULL;
        }
        if (coef[i] >= limit) {
            *rc = billi_error(BILL_ERANGE, "batch: %s of account %zu is too large (at most 15 "
                                           "digits before the point)", what, i);
            return NULL;
        }
        *max = coef[i] > *max ? coef[i] : *max;
    }
    int64_t *c = malloc(b->n * sizeof *c);
    if (!c) {
        *rc = billi_error(BILL_ENOMEM, "batch: out of memory for %s", what);
        return NULL;
    }
    memcpy(c, coef, b->n * sizeof *c);
    return c;
}

static int set_col(bill_batch *b, int k, const int64_t *coef, int32_t scale)
{
    BILLI_CHECK_ARG(b != NULL, "b");
    BILLI_CHECK_ARG(coef != NULL, "coef");
    int rc;
    int64_t mx;
    int64_t *c = quantities(b, coef, scale, col_name[k], &rc, &mx);
    if (!c)
        return rc;
    free(b->col[k]);
    b->col[k] = c;
    b->col_s[k] = scale;
    b->col_max[k] = mx;
    b->computed = 0;
    return BILL_OK;
}

int bill_batch_set_kwh(bill_batch *b, const int64_t *coef, int32_t scale)
{
    return set_col(b, COL_KWH, coef, scale);
}

int bill_batch_set_ytd_kwh(bill_batch *b, const int64_t *coef, int32_t scale)
{
    return set_col(b, COL_YTD, coef, scale);
}

int bill_batch_set_capacity_kva(bill_batch *b, const int64_t *coef, int32_t scale)
{
    return set_col(b, COL_CAP, coef, scale);
}

int bill_batch_set_declared_kw(bill_batch *b, const int64_t *coef, int32_t scale)
{
    return set_col(b, COL_DECL, coef, scale);
}

int bill_batch_set_max_demand_kw(bill_batch *b, const int64_t *coef, int32_t scale)
{
    return set_col(b, COL_MAXD, coef, scale);
}

int bill_batch_set_kvarh(bill_batch *b, const int64_t *coef, int32_t scale)
{
    return set_col(b, COL_KVARH, coef, scale);
}

int bill_batch_set_tou_kwh(bill_batch *b, const char *period, const int64_t *coef, int32_t scale)
{
    BILLI_CHECK_ARG(b != NULL, "b");
    BILLI_CHECK_ARG(period != NULL, "period");
    BILLI_CHECK_ARG(coef != NULL, "coef");
    size_t len;
    if (!billi_usage_valid_name(period, &len)) {
        char q[64];
        billi_quote(q, sizeof q, period, strlen(period));
        return billi_error(BILL_ESYNTAX, "batch: bad TOU period name '%s' (1 to %d letters, "
                                         "digits, '_' or '-')", q, BILL_NAME_MAX - 1);
    }
    int k = 0;
    while (k < b->ntou && strcmp(b->tou_name[k], period) != 0)
        k++;
    if (k == BILL_TARIFF_MAX_TOU)
        return billi_error(BILL_ERANGE, "batch: at most %d TOU periods", BILL_TARIFF_MAX_TOU);
    char what[64];
    snprintf(what, sizeof what, "tou_kwh '%s'", period);
    int rc;
    int64_t mx;
    int64_t *c = quantities(b, coef, scale, what, &rc, &mx);
    if (!c)
        return rc;
    if (k == b->ntou) {
        memset(b->tou_name[k], 0, sizeof b->tou_name[k]);
        memcpy(b->tou_name[k], period, len);
        b->tou[k] = NULL;
        b->ntou++;
    }
    free(b->tou[k]);
    b->tou[k] = c;
    b->tou_s[k] = scale;
    b->tou_max[k] = mx;
    b->computed = 0;
    return BILL_OK;
}

int bill_batch_set_household_size(bill_batch *b, const int32_t *persons)
{
    BILLI_CHECK_ARG(b != NULL, "b");
    BILLI_CHECK_ARG(persons != NULL, "persons");
    for (size_t i = 0; i < b->n; i++)
        if (persons[i] < 0 || persons[i] > 1000)
            return billi_error(BILL_ERANGE, "batch: household size %d of account %zu is out of "
                                            "range [0, 1000] (0: not given)", (int)persons[i], i);
    int32_t *c = malloc(b->n * sizeof *c);
    if (!c)
        return billi_error(BILL_ENOMEM, "batch: out of memory for household sizes");
    memcpy(c, persons, b->n * sizeof *c);
    free(b->household);
    b->household = c;
    b->computed = 0;
    return BILL_OK;
}

static int check_class(const char *cls, size_t *len, size_t i, int indexed)
{
    if (!cls)
        return billi_error(BILL_EINVAL, "batch: the class of account %zu is NULL", i);
    if (!billi_usage_valid_name(cls, len)) {
        char q[64], at[48] = "";
        billi_quote(q, sizeof q, cls, strlen(cls));
        if (indexed)
            snprintf(at, sizeof at, " of account %zu", i);
        return billi_error(BILL_ESYNTAX, "batch: bad customer class '%s'%s (1 to %d letters, "
                                         "digits, '_' or '-')", q, at, BILL_NAME_MAX - 1);
    }
    return BILL_OK;
}

int bill_batch_set_class(bill_batch *b, const char *cls)
{
    BILLI_CHECK_ARG(b != NULL, "b");
    BILLI_CHECK_ARG(cls != NULL, "cls");
    size_t len;
    BILLI_TRY(check_class(cls, &len, 0, 0));
    memset(b->cls_all, 0, sizeof b->cls_all);
    memcpy(b->cls_all, cls, len);
    free(b->cls);
    b->cls = NULL;
    b->computed = 0;
    return BILL_OK;
}

int bill_batch_set_classes(bill_batch *b, const char *const *cls)
{
    BILLI_CHECK_ARG(b != NULL, "b");
    BILLI_CHECK_ARG(cls != NULL, "cls");
    size_t len;
    for (size_t i = 0; i < b->n; i++)
        BILLI_TRY(check_class(cls[i], &len, i, 1));
    char(*c)[BILL_NAME_MAX] = calloc(b->n, sizeof *c);
    if (!c)
        return billi_error(BILL_ENOMEM, "batch: out of memory for classes");
    for (size_t i = 0; i < b->n; i++)
        memcpy(c[i], cls[i], strlen(cls[i]));
    free(b->cls);
    b->cls = c;
    b->computed = 0;
    return BILL_OK;
}

int bill_batch_set_pf_standard(bill_batch *b, const char *standard)
{
    BILLI_CHECK_ARG(b != NULL, "b");
    BILLI_CHECK_ARG(standard != NULL, "standard");
    if (strcmp(standard, "0.90") != 0 && strcmp(standard, "0.85") != 0 &&
        strcmp(standard, "0.80") != 0)
        return billi_error(BILL_ERANGE, "batch: power-factor standard must be \"0.90\", "
                                        "\"0.85\" or \"0.80\"");
    memcpy(b->pf_standard, standard, 5);
    b->computed = 0;
    return BILL_OK;
}

/* ---- one account -------------------------------------------------------------------------- */

int bill_batch_usage(bill_usage *out, const bill_batch *b, size_t i)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    BILLI_CHECK_ARG(b != NULL, "b");
    if (i >= b->n)
        return billi_error(BILL_ERANGE, "batch: account %zu of %zu", i, b->n);
    bill_usage_reset(out);
    BILLI_TRY(bill_usage_set_period(out, b->p));
    const char *cls = b->cls ? b->cls[i] : b->cls_all;
    if (cls[0])
        BILLI_TRY(bill_usage_set_class(out, cls));
    if (b->household && b->household[i] > 0)
        BILLI_TRY(bill_usage_set_household_size(out, (int)b->household[i]));
    for (int k = 0; k < b->ntou; k++) {
        bill_dec d = {b->tou[k][i], b->tou_s[k], 0, NULL};
        BILLI_TRY(bill_usage_set_tou_kwh(out, b->tou_name[k], &d));
    }
    int (*const set[NCOL])(bill_usage *, const bill_dec *) = {
        bill_usage_set_kwh, bill_usage_set_ytd_kwh, bill_usage_set_capacity_kva,
        bill_usage_set_declared_kw, bill_usage_set_max_demand_kw, bill_usage_set_kvarh};
    for (int k = 0; k < NCOL; k++)
        if (b->col[k]) {
            bill_dec d = {b->col[k][i], b->col_s[k], 0, NULL};
            BILLI_TRY(set[k](out, &d));
        }
    if (b->pf_standard[0])
        BILLI_TRY(bill_usage_set_pf_standard(out, b->pf_standard));
    return BILL_OK;
}

int bill_batch_bill(bill_bill *out, const bill_batch *b, size_t i)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    BILLI_CHECK_ARG(b != NULL, "b");
    bill_usage *u;
    BILLI_TRY(bill_usage_create(&u));
    int rc = bill_batch_usage(u, b, i);
    if (rc == BILL_OK)
        rc = bill_tariff_compute(b->t, u, out);
    bill_usage_free(u);
    return rc;
}

/* ---- computing ------------------------------------------------------------------------------ */

static void keep(bill_batch *b, size_t i)
{
    const bill_dec *v[3] = {&b->bill->total, &b->bill->subtotal, &b->bill->tax};
    int64_t *c[3] = {b->total, b->sub, b->tax};
    int8_t *s[3] = {b->total_s, b->sub_s, b->tax_s};
    for (int k = 0; k < 3; k++) {
        if (v[k]->big_ || v[k]->scale_ < INT8_MIN || v[k]->scale_ > INT8_MAX) {
            b->status[i] = BATCH_BIG;
            return;
        }
        c[k][i] = v[k]->coef_;
        s[k][i] = (int8_t)v[k]->scale_;
    }
    b->trim[i] = 0;
    b->status[i] = BILL_OK;
}

int bill_batch_compute(bill_batch *b)
{
    BILLI_CHECK_ARG(b != NULL, "b");
    b->computed = 0;
    b->failed = 0;
    b->kernel = 0;
    billi_batch_in in;
    memset(&in, 0, sizeof in);
    in.n = b->n;
    in.ntou = b->ntou;
    for (int k = 0; k < b->ntou; k++) {
        memcpy(in.tou_name[k], b->tou_name[k], BILL_NAME_MAX);
        in.tou[k] = b->tou[k];
        in.tou_s[k] = b->tou_s[k];
        in.tou_max[k] = b->tou_max[k];
    }
    in.ytd_max = b->col[COL_YTD] ? b->col_max[COL_YTD] : 0;
    in.kwh = b->col[COL_KWH];
    in.kwh_s = b->col_s[COL_KWH];
    in.ytd = b->col[COL_YTD];
    in.ytd_s = b->col_s[COL_YTD];
    in.household = b->household;
    in.cap = b->col[COL_CAP];
    in.cap_s = b->col_s[COL_CAP];
    in.decl = b->col[COL_DECL];
    in.decl_s = b->col_s[COL_DECL];
    in.maxd = b->col[COL_MAXD];
    in.maxd_s = b->col_s[COL_MAXD];
    in.kvarh = b->col[COL_KVARH];
    in.kvarh_s = b->col_s[COL_KVARH];
    memcpy(in.pf_standard, b->pf_standard, sizeof in.pf_standard);
    in.cls = (const char(*)[BILL_NAME_MAX])b->cls;
    memcpy(in.cls_all, b->cls_all, sizeof in.cls_all);
    billi_batch_out out = {b->total, b->sub, b->tax, b->total_s, b->sub_s, b->tax_s, b->done,
                           b->trim};
    memset(b->done, 0, b->n);
    memset(b->trim, 0, b->n);
    long k = billi_fast_batch(b->t, b->p, &in, &out, b->bill);
    if (k < 0)
        return (int)k == BILL_ENOMEM ? billi_error(BILL_ENOMEM, "batch: out of memory")
                                     : (int)k;
    b->kernel = (size_t)k;
    if (b->kernel == b->n) { /* every account by the kernel */
        memset(b->status, 0, b->n * sizeof *b->status);
        b->computed = 1;
        return BILL_OK;
    }
    for (size_t i = 0; i < b->n; i++) {
        if (b->done[i]) {
            b->status[i] = BILL_OK;
            continue;
        }
        int rc = bill_batch_usage(b->u, b, i);
        if (rc == BILL_OK)
            rc = bill_tariff_compute(b->t, b->u, b->bill);
        if (rc == BILL_ENOMEM)
            return rc;
        if (rc == BILL_OK) {
            keep(b, i);
        } else {
            b->status[i] = rc;
            b->failed++;
        }
    }
    b->computed = 1;
    return BILL_OK;
}

size_t bill_batch_failed(const bill_batch *b)
{
    return b && b->computed ? b->failed : 0;
}

size_t bill_batch_kernel_count(const bill_batch *b)
{
    return b && b->computed ? b->kernel : 0;
}

static int result(const bill_batch *b, size_t i)
{
    BILLI_CHECK_ARG(b != NULL, "b");
    if (!b->computed)
        return billi_error(BILL_ESTATE, "batch: not computed (bill_batch_compute)");
    if (i >= b->n)
        return billi_error(BILL_ERANGE, "batch: account %zu of %zu", i, b->n);
    int st = b->status[i];
    if (st < 0)
        return billi_error(st, "batch: the bill of account %zu failed (%s; bill_batch_bill gives "
                               "the reason)", i, bill_status_name(st));
    return st;
}

int bill_batch_status(const bill_batch *b, size_t i)
{
    int st = result(b, i);
    return st == BATCH_BIG ? BILL_OK : st;
}

/* value k (0 total, 1 subtotal, 2 tax) of account i */
static int value(bill_dec *out, const bill_batch *b, size_t i, int k)
{
    if (BILLI_LIKELY(out && b && b->computed && i < b->n && b->status[i] == BILL_OK &&
                     !out->big_ && !(k > 0 && (b->trim[i] & k)))) {
        /* the common case, read in a loop over the accounts: set in place (compact) */
        out->coef_ = k == 0 ? b->total[i] : k == 1 ? b->sub[i] : b->tax[i];
        out->scale_ = k == 0 ? b->total_s[i] : k == 1 ? b->sub_s[i] : b->tax_s[i];
        out->flags_ = 0;
        return BILL_OK;
    }
    BILLI_CHECK_ARG(out != NULL, "out");
    int st = result(b, i);
    if (st < 0)
        return st;
    if (st == BATCH_BIG) { /* from its bill */
        bill_bill *x;
        BILLI_TRY(bill_bill_create(&x));
        int rc = bill_batch_bill(x, b, i);
        if (rc == BILL_OK)
            rc = (k == 0 ? bill_bill_total : k == 1 ? bill_bill_subtotal : bill_bill_tax)(out, x);
        bill_bill_free(x);
        return rc;
    }
    const int64_t *c = k == 0 ? b->total : k == 1 ? b->sub : b->tax;
    const int8_t *s = k == 0 ? b->total_s : k == 1 ? b->sub_s : b->tax_s;
    BILLI_TRY(bill_dec_set_i64(out, c[i], s[i]));
    if (k > 0 && (b->trim[i] & k)) /* as the bill shows it */
        return bill_dec_trim(out, out, b->t->round_scale);
    return BILL_OK;
}

int bill_batch_total(bill_dec *out, const bill_batch *b, size_t i)
{
    return value(out, b, i, 0);
}

int bill_batch_subtotal(bill_dec *out, const bill_batch *b, size_t i)
{
    return value(out, b, i, 1);
}

int bill_batch_tax(bill_dec *out, const bill_batch *b, size_t i)
{
    return value(out, b, i, 2);
}
