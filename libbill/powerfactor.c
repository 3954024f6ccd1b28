/* libbill tariff: exact power factor and the adjustment tables (1983 rules). */
#include "internal.h"

#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#define PF_STEPS 101 /* 0.00 .. 1.00 */

struct bill_pf_table {
    int standard;             /* hundredths: 90, 85, 80 */
    bill_dec percent[PF_STEPS];
};

__extension__ typedef unsigned __int128 u128;

/* Largest k in 0..100 with (200 p)^2 >= (2k-1)^2 (p^2 + q^2): the PF rounded half-up. */
static int pf_search_u128(uint64_t p, uint64_t q)
{
    u128 lhs = (u128)(200 * p) * (200 * p);
    u128 sum = (u128)p * p + (u128)q * q;
    int lo = 0, hi = 100;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        u128 f = (u128)(2 * mid - 1) * (u128)(2 * mid - 1);
        if (lhs >= f * sum)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static int pf_search_mpz(const mpz_t p, const mpz_t q)
{
    mpz_t lhs, sum, t;
    int lo = 0, hi = 100;
    mpz_inits(lhs, sum, t, NULL);
    mpz_mul_ui(lhs, p, 200);
    mpz_mul(lhs, lhs, lhs);
    mpz_mul(sum, p, p);
    mpz_addmul(sum, q, q);
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        unsigned long f = (unsigned long)(2 * mid - 1) * (unsigned long)(2 * mid - 1);
        mpz_mul_ui(t, sum, f);
        if (mpz_cmp(lhs, t) >= 0)
            lo = mid;
        else
            hi = mid - 1;
    }
    mpz_clears(lhs, sum, t, NULL);
    return lo;
}

/* The integer coefficient of d at scale s (s >= d's scale), as an mpz, via its exact text. */
static int dec_to_mpz(mpz_t out, const bill_dec *d, int32_t s)
{
    bill_dec t = BILL_DEC_INIT;
    int rc = bill_dec_rescale(&t, d, s, BILL_ROUND_UNNECESSARY);
    if (rc != BILL_OK)
        return rc;
    char *txt = bill_dec_to_str(&t);
    bill_dec_clear(&t);
    if (!txt)
        return billi_error(BILL_ENOMEM, "power factor: out of memory");
    char *w = txt;
    for (char *r = txt; *r; r++)
        if (*r != '.')
            *w++ = *r;
    *w = '\0';
    mpz_set_str(out, txt, 10);
    bill_free(txt);
    return BILL_OK;
}

int bill_pf_compute(bill_dec *out, const bill_dec *kwh, const bill_dec *kvarh)
{
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(kwh, "kwh");
    BILLI_CHECK_ARG(kvarh, "kvarh");
    if (bill_dec_sign(kwh) < 0)
        return billi_error(BILL_ERANGE, "power factor: kWh is negative");
    if (bill_dec_is_zero(kwh) && bill_dec_is_zero(kvarh))
        return billi_error(BILL_ERANGE,
                           "power factor: kWh and kvarh are both zero, there is no power factor");
    int32_t sp = bill_dec_scale(kwh), sq = bill_dec_scale(kvarh);
    int32_t s = sp > sq ? sp : sq;
    if (s < 0)
        s = 0;
    int k;
    bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT;
    int64_t ip = 0, iq = 0;
    int32_t scale_out;
    int rc = bill_dec_rescale(&a, kwh, s, BILL_ROUND_UNNECESSARY);
    if (rc == BILL_OK)
        rc = bill_dec_abs(&b, kvarh);
    if (rc == BILL_OK)
        rc = bill_dec_rescale(&b, &b, s, BILL_ROUND_UNNECESSARY);
    if (rc != BILL_OK) {
        bill_dec_clear(&a);
        bill_dec_clear(&b);
        return rc;
    }
    const int64_t lim = (int64_t)1 << 53;
    if (bill_dec_get_i64(&a, &ip, &scale_out) == BILL_OK &&
        bill_dec_get_i64(&b, &iq, &scale_out) == BILL_OK && ip < lim && iq < lim) {
        k = pf_search_u128((uint64_t)ip, (uint64_t)iq);
    } else {
        mpz_t p, q;
        mpz_inits(p, q, NULL);
        rc = dec_to_mpz(p, &a, s);
        if (rc == BILL_OK)
            rc = dec_to_mpz(q, &b, s);
        k = rc == BILL_OK ? pf_search_mpz(p, q) : 0;
        mpz_clears(p, q, NULL);
    }
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    if (rc != BILL_OK)
        return rc;
    return bill_dec_set_i64(out, k, 2);
}

/* ---- tables ------------------------------------------------------------------------ */

static bill_pf_table *table_new(int standard)
{
    bill_pf_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->standard = standard;
    for (int i = 0; i < PF_STEPS; i++)
        bill_dec_init(&t->percent[i]);
    return t;
}

void bill_pf_table_free(bill_pf_table *t)
{
    if (!t)
        return;
    for (int i = 0; i < PF_STEPS; i++)
        bill_dec_clear(&t->percent[i]);
    free(t);
}

/* Percent in hundredths of a percent for PF (hundredths) below the standard s. */
static int64_t surcharge_centi(int s, int pf)
{
    int below = s - pf; /* steps of 0.01 below the standard */
    int64_t c = 0;
    int first = below < 20 ? below : 20;
    c += (int64_t)first * 50; /* +0.5 % a step */
    below -= first;
    int second = below < 5 ? below : 5;
    c += (int64_t)second * 100; /* +1 % a step */
    below -= second;
    c += (int64_t)below * 200; /* +2 % a step */
    return c;
}

/* Rebates above the standard, in hundredths of a percent (negative). */
static int64_t rebate_centi(int s, int pf)
{
    if (s == 90) {
        int above = pf - 90;
        if (above > 5)
            above = 5;
        return -15 * (int64_t)above;
    }
    if (s == 85) {
        if (pf <= 90)
            return -10 * (int64_t)(pf - 85);
        int extra = pf - 90 > 4 ? 4 : pf - 90;
        return -50 - 15 * (int64_t)extra;
    }
    /* s == 80 */
    if (pf <= 90)
        return -10 * (int64_t)(pf - 80);
    int extra = pf - 90 > 2 ? 2 : pf - 90;
    return -100 - 15 * (int64_t)extra;
}

static int parse_standard(int *out, const char *standard)
{
    bill_dec d = BILL_DEC_INIT;
    int64_t units;
    if (!standard)
        return billi_error(BILL_EINVAL, "power factor: the standard is NULL");
    int rc = bill_dec_parse(&d, standard, (size_t)-1);
    if (rc == BILL_OK)
        rc = bill_dec_to_units(&d, 2, &units);
    bill_dec_clear(&d);
    if (rc != BILL_OK || units < 1 || units > 100)
        return billi_error(BILL_ERANGE,
                           "power factor: standard '%.40s' is not a PF between 0.01 and 1.00",
                           standard);
    *out = (int)units;
    return BILL_OK;
}

int bill_pf_table_create_standard(bill_pf_table **out, const char *standard)
{
    int s;
    BILLI_CHECK_ARG(out, "out");
    int rc = parse_standard(&s, standard);
    if (rc != BILL_OK)
        return rc;
    if (s != 90 && s != 85 && s != 80)
        return billi_error(BILL_ERANGE,
                           "power factor: no built-in table for standard %s "
                           "(built in: 0.90, 0.85, 0.80; load your own with bill_pf_table_load)",
                           standard);
    bill_pf_table *t = table_new(s);
    if (!t)
        return billi_error(BILL_ENOMEM, "power factor: out of memory");
    for (int pf = 0; pf < PF_STEPS; pf++) {
        int64_t c = pf < s ? surcharge_centi(s, pf) : pf == s ? 0 : rebate_centi(s, pf);
        bill_dec_set_i64(&t->percent[pf], c, 2);
    }
    *out = t;
    return BILL_OK;
}

/* Parse a PF "0.95" into hundredths, exactly two decimals or fewer. */
static int parse_pf_units(int *out, const char *txt, size_t len)
{
    bill_dec d = BILL_DEC_INIT;
    int64_t u = -1;
    int rc = bill_dec_parse(&d, txt, len);
    if (rc == BILL_OK)
        rc = bill_dec_to_units(&d, 2, &u);
    bill_dec_clear(&d);
    if (rc != BILL_OK || u < 0 || u > 100)
        return BILL_ERANGE;
    *out = (int)u;
    return BILL_OK;
}

int bill_pf_table_load(bill_pf_table **out, const char *standard, const char *text, size_t len)
{
    int s, rc;
    BILLI_CHECK_ARG(out, "out");
    BILLI_CHECK_ARG(text, "text");
    if (len == (size_t)-1)
        len = strlen(text);
    rc = parse_standard(&s, standard);
    if (rc != BILL_OK)
        return rc;
    bill_pf_table *t = table_new(s);
    if (!t)
        return billi_error(BILL_ENOMEM, "power factor: out of memory");
    unsigned char seen[PF_STEPS] = {0};
    size_t pos = 0;
    int line = 0;
    char q[96];
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        line++;
        size_t l = pos, r = end;
        for (size_t i = pos; i < end; i++)
            if (text[i] == '#') { r = i; break; }
        while (l < r && (text[l] == ' ' || text[l] == '\t' || text[l] == '\r')) l++;
        while (r > l && (text[r - 1] == ' ' || text[r - 1] == '\t' || text[r - 1] == '\r')) r--;
        pos = end + 1;
        if (l == r)
            continue;
        billi_quote(q, sizeof q, text + l, r - l);
        size_t sp = l;
        while (sp < r && text[sp] != ' ' && text[sp] != '\t') sp++;
        size_t vs = sp;
        while (vs < r && (text[vs] == ' ' || text[vs] == '\t')) vs++;
        if (sp == r || vs == r) {
            rc = billi_error(BILL_ESYNTAX,
                             "power factor table, line %d: '%s': expected 'PF PERCENT' "
                             "or 'FROM-TO PERCENT'", line, q);
            goto fail;
        }
        size_t dash = l;
        while (dash < sp && text[dash] != '-') dash++;
        int from, to;
        if (parse_pf_units(&from, text + l, dash - l) != BILL_OK ||
            (dash < sp ? parse_pf_units(&to, text + dash + 1, sp - dash - 1) != BILL_OK
                       : (to = from, 0))) {
            rc = billi_error(BILL_ESYNTAX,
                             "power factor table, line %d: '%s': the PF must be 0.00..1.00 "
                             "with at most two decimals", line, q);
            goto fail;
        }
        if (to < from) {
            rc = billi_error(BILL_ESYNTAX, "power factor table, line %d: '%s': range runs backwards",
                             line, q);
            goto fail;
        }
        bill_dec pct = BILL_DEC_INIT;
        if (bill_dec_parse(&pct, text + vs, r - vs) != BILL_OK) {
            rc = billi_error(BILL_ESYNTAX, "power factor table, line %d: '%s': bad percentage",
                             line, q);
            goto fail;
        }
        for (int k = from; k <= to; k++) {
            if (seen[k]) {
                bill_dec_clear(&pct);
                rc = billi_error(BILL_ERULE,
                                 "power factor table, line %d: PF 0.%02d is given twice", line, k);
                goto fail;
            }
            seen[k] = 1;
            bill_dec_copy(&t->percent[k], &pct);
        }
        bill_dec_clear(&pct);
    }
    for (int k = 0; k < PF_STEPS; k++) {
        if (!seen[k]) {
            rc = billi_error(BILL_ERULE, "power factor table: PF %d.%02d is not covered",
                             k / 100, k % 100);
            goto fail;
        }
    }
    if (!bill_dec_is_zero(&t->percent[s])) {
        rc = billi_error(BILL_ERULE,
                         "power factor table: the standard %s must have a 0 adjustment", standard);
        goto fail;
    }
    *out = t;
    return BILL_OK;
fail:
    bill_pf_table_free(t);
    return rc;
}

int bill_pf_table_standard(bill_dec *out, const bill_pf_table *t)
{
    BILLI_CHECK_ARG(t, "t");
    BILLI_CHECK_ARG(out, "out");
    return bill_dec_set_i64(out, t->standard, 2);
}

int bill_pf_table_percent(bill_dec *out, const bill_pf_table *t, const bill_dec *pf)
{
    bill_dec r = BILL_DEC_INIT;
    int64_t u;
    BILLI_CHECK_ARG(t, "t");
    BILLI_CHECK_ARG(pf, "pf");
    BILLI_CHECK_ARG(out, "out");
    int rc = bill_dec_rescale(&r, pf, 2, BILL_ROUND_HALF_UP);
    if (rc == BILL_OK)
        rc = bill_dec_to_units(&r, 2, &u);
    bill_dec_clear(&r);
    if (rc != BILL_OK || u < 0 || u > 100)
        return billi_error(BILL_ERANGE, "power factor: PF must lie in 0.00..1.00");
    return bill_dec_copy(out, &t->percent[u]);
}
