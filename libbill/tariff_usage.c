/*
 * libbill usage: the bill_usage handle (what one account used in one billing
 * period), its setters and its JSON loader.
 */
#include "tariff_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int billi_usage_valid_name(const char *s, size_t *len)
{
    size_t n = strlen(s);
    if (n == 0 || n >= BILL_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    if (len)
        *len = n;
    return 1;
}

int bill_usage_create(bill_usage **out)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    bill_usage *u = calloc(1, sizeof *u);
    if (!u)
        return billi_error(BILL_ENOMEM, "usage: out of memory");
    bill_usage_reset(u);
    *out = u;
    return BILL_OK;
}

void bill_usage_free(bill_usage *u)
{
    if (!u)
        return;
    bill_dec_clear(&u->kwh);
    for (int i = 0; i < BILL_TARIFF_MAX_TOU; i++)
        bill_dec_clear(&u->tou_kwh[i]);
    bill_dec_clear(&u->ytd);
    bill_dec_clear(&u->exported);
    for (int i = 0; i < BILLI_MAX_READINGS; i++)
        bill_dec_clear(&u->reading_kwh[i]);
    for (int i = 0; i < BILLI_MAX_READINGS; i++)
        for (int k = 0; k < BILL_TARIFF_MAX_TOU; k++)
            bill_dec_clear(&u->tou_rd_kwh[i][k]);
    bill_dec_clear(&u->capacity_kva);
    for (int i = 0; i < BILLI_MAX_SUSP; i++)
        bill_dec_clear(&u->susp_kva[i]);
    bill_dec_clear(&u->declared_kw);
    bill_dec_clear(&u->max_demand_kw);
    bill_dec_clear(&u->kvarh);
    billi_usage_free_demand(u);
    free(u);
}

void bill_usage_reset(bill_usage *u)
{
    if (!u)
        return;
    u->has_period = 0;
    memset(&u->period, 0, sizeof u->period);
    memset(u->cls, 0, sizeof u->cls);
    memcpy(u->cls, "residential", sizeof "residential");
    u->household = 1;
    u->has_kwh = 0;
    bill_dec_set_i64(&u->kwh, 0, 0);
    bill_usage_clear_tou(u);
    bill_dec_set_i64(&u->ytd, 0, 0);
    bill_dec_set_i64(&u->exported, 0, 0);
    u->has_opened = 0;
    u->opened.day = 0;
    u->nreadings = 0;
    u->ntou_rd = 0;
    u->has_capacity = u->has_declared = u->has_max_demand = u->has_kvarh = 0;
    u->nsusp = 0;
    u->pf_standard[0] = '\0';
    u->noptions = 0;
    billi_usage_reset_demand(u);
}

int bill_usage_set_period(bill_usage *u, bill_period p)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    bill_period chk;
    if (!bill_date_is_valid(p.start) || !bill_date_is_valid(p.end))
        return billi_error(BILL_EDATE, "usage: period outside 0001-01-01..9999-12-31");
    int rc = bill_period_make(&chk, p.start, p.end);
    if (rc != BILL_OK)
        return rc;
    if (bill_period_days(chk) > BILL_USAGE_MAX_DAYS)
        return billi_error(BILL_ERANGE, "usage: a billing period may last at most %d days, not %d",
                           BILL_USAGE_MAX_DAYS, (int)bill_period_days(chk));
    u->period = chk;
    u->has_period = 1;
    return BILL_OK;
}

int bill_usage_set_class(bill_usage *u, const char *cls)
{
    size_t n;
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(cls != NULL, "cls");
    if (!billi_usage_valid_name(cls, &n)) {
        char q[64];
        billi_quote(q, sizeof q, cls, strlen(cls));
        return billi_error(BILL_ESYNTAX,
                           "usage: bad customer class '%s' (1 to %d letters, digits, '_' or '-')",
                           q, BILL_NAME_MAX - 1);
    }
    memset(u->cls, 0, sizeof u->cls);
    memcpy(u->cls, cls, n);
    return BILL_OK;
}

int bill_usage_set_household_size(bill_usage *u, int persons)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    if (persons < 1 || persons > 1000)
        return billi_error(BILL_ERANGE, "usage: household size %d is out of range [1, 1000]",
                           persons);
    u->household = persons;
    return BILL_OK;
}

int billi_usage_check_qty(const bill_dec *v, const char *what, size_t index, int indexed)
{
    char at[48] = "";
    if (indexed)
        snprintf(at, sizeof at, " %zu", index);
    if (bill_dec_sign(v) < 0)
        return billi_error(BILL_ERANGE, "usage: %s%s must not be negative", what, at);
    /* sizes a meter can give; keeps bills on the decimal's fast path */
    if (bill_dec_scale(v) > 12)
        return billi_error(BILL_ERANGE, "usage: %s%s may have at most 12 digits after the point",
                           what, at);
    if (bill_dec_precision(v) - bill_dec_scale(v) > 15)
        return billi_error(BILL_ERANGE, "usage: %s%s is too large (at most 15 digits before the "
                                        "point)", what, at);
    return BILL_OK;
}

static int set_qty(bill_dec *dst, const bill_dec *kwh, const char *what)
{
    BILLI_TRY(billi_usage_check_qty(kwh, what, 0, 0));
    return bill_dec_copy(dst, kwh);
}

int billi_usage_dated_set(bill_date *date, bill_dec *val, int *n, int max, bill_date at,
                          const bill_dec *v, const char *what)
{
    int i = 0;
    while (i < *n && bill_date_cmp(date[i], at) < 0)
        i++;
    if (i < *n && bill_date_cmp(date[i], at) == 0)
        return bill_dec_copy(&val[i], v);
    if (*n == max)
        return billi_error(BILL_ERANGE, "usage: at most %d %s", max, what);
    /* keep them sorted by date: shift the later ones up, reusing the free last slot's storage */
    bill_dec spare = val[*n];
    int rc = bill_dec_copy(&spare, v);
    if (rc != BILL_OK) {
        val[*n] = spare;
        return rc;
    }
    for (int k = *n; k > i; k--) {
        val[k] = val[k - 1];
        date[k] = date[k - 1];
    }
    val[i] = spare;
    date[i] = at;
    (*n)++;
    return BILL_OK;
}

int bill_usage_set_kwh(bill_usage *u, const bill_dec *kwh)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kwh != NULL, "kwh");
    int rc = set_qty(&u->kwh, kwh, "kWh");
    if (rc == BILL_OK)
        u->has_kwh = 1;
    return rc;
}

int bill_usage_set_tou_kwh(bill_usage *u, const char *period, const bill_dec *kwh)
{
    size_t n;
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(period != NULL, "period");
    BILLI_CHECK_ARG(kwh != NULL, "kwh");
    if (!billi_usage_valid_name(period, &n)) {
        char q[64];
        billi_quote(q, sizeof q, period, strlen(period));
        return billi_error(BILL_ESYNTAX, "usage: bad TOU period name '%s'", q);
    }
    int i;
    for (i = 0; i < u->ntou; i++)
        if (strcmp(u->tou_name[i], period) == 0)
            break;
    if (i == BILL_TARIFF_MAX_TOU)
        return billi_error(BILL_ERANGE, "usage: at most %d TOU periods", BILL_TARIFF_MAX_TOU);
    int rc = set_qty(&u->tou_kwh[i], kwh, "TOU kWh");
    if (rc != BILL_OK)
        return rc;
    if (i == u->ntou) {
        memset(u->tou_name[i], 0, BILL_NAME_MAX);
        memcpy(u->tou_name[i], period, n);
        u->ntou++;
    }
    return BILL_OK;
}

void bill_usage_clear_tou(bill_usage *u)
{
    if (u)
        u->ntou = 0;
}

int bill_usage_set_ytd_kwh(bill_usage *u, const bill_dec *kwh)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kwh != NULL, "kwh");
    return set_qty(&u->ytd, kwh, "year-to-date kWh");
}

int bill_usage_set_exported_kwh(bill_usage *u, const bill_dec *kwh)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kwh != NULL, "kwh");
    return set_qty(&u->exported, kwh, "exported kWh");
}

int bill_usage_set_reading(bill_usage *u, bill_date at, const bill_dec *kwh)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kwh != NULL, "kwh");
    if (!bill_date_is_valid(at))
        return billi_error(BILL_EDATE, "usage: reading date out of range");
    BILLI_TRY(billi_usage_check_qty(kwh, "a reading", 0, 0));
    return billi_usage_dated_set(u->reading_date, u->reading_kwh, &u->nreadings,
                                 BILLI_MAX_READINGS, at, kwh, "readings");
}

int bill_usage_set_tou_reading(bill_usage *u, bill_date at, const char *period,
                               const bill_dec *kwh)
{
    size_t n;
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(period != NULL, "period");
    BILLI_CHECK_ARG(kwh != NULL, "kwh");
    if (!billi_usage_valid_name(period, &n)) {
        char q[64];
        billi_quote(q, sizeof q, period, strlen(period));
        return billi_error(BILL_ESYNTAX, "usage: bad TOU period name '%s' in a reading", q);
    }
    if (!bill_date_is_valid(at))
        return billi_error(BILL_EDATE, "usage: reading date out of range");
    int i = 0;
    while (i < u->ntou_rd && bill_date_cmp(u->tou_rd_date[i], at) < 0)
        i++;
    int found = i < u->ntou_rd && bill_date_cmp(u->tou_rd_date[i], at) == 0;
    if (found) {
        int j = 0;
        while (j < u->tou_rd_n[i] && strcmp(u->tou_rd_name[i][j], period) != 0)
            j++;
        if (j == BILL_TARIFF_MAX_TOU)
            return billi_error(BILL_ERANGE, "usage: at most %d TOU registers in a reading",
                               BILL_TARIFF_MAX_TOU);
        int rc = set_qty(&u->tou_rd_kwh[i][j], kwh, "a TOU reading");
        if (rc == BILL_OK && j == u->tou_rd_n[i]) {
            memset(u->tou_rd_name[i][j], 0, BILL_NAME_MAX);
            memcpy(u->tou_rd_name[i][j], period, n);
            u->tou_rd_n[i]++;
        }
        return rc;
    }
    if (u->ntou_rd == BILLI_MAX_READINGS)
        return billi_error(BILL_ERANGE, "usage: at most %d dates with TOU readings",
                           BILLI_MAX_READINGS);
    /* fill the free row, then move it into place (rows move whole: nothing is duplicated) */
    int f = u->ntou_rd;
    int rc = set_qty(&u->tou_rd_kwh[f][0], kwh, "a TOU reading");
    if (rc != BILL_OK)
        return rc;
    u->tou_rd_date[f] = at;
    u->tou_rd_n[f] = 1;
    memset(u->tou_rd_name[f][0], 0, BILL_NAME_MAX);
    memcpy(u->tou_rd_name[f][0], period, n);
    if (i < f) {
        bill_dec row[BILL_TARIFF_MAX_TOU];
        char names[BILL_TARIFF_MAX_TOU][BILL_NAME_MAX];
        memcpy(row, u->tou_rd_kwh[f], sizeof row);
        memcpy(names, u->tou_rd_name[f], sizeof names);
        memmove(&u->tou_rd_kwh[i + 1], &u->tou_rd_kwh[i], (size_t)(f - i) * sizeof row);
        memmove(&u->tou_rd_name[i + 1], &u->tou_rd_name[i], (size_t)(f - i) * sizeof names);
        memmove(&u->tou_rd_date[i + 1], &u->tou_rd_date[i], (size_t)(f - i) * sizeof at);
        memmove(&u->tou_rd_n[i + 1], &u->tou_rd_n[i], (size_t)(f - i) * sizeof(int));
        memcpy(u->tou_rd_kwh[i], row, sizeof row);
        memcpy(u->tou_rd_name[i], names, sizeof names);
        u->tou_rd_date[i] = at;
        u->tou_rd_n[i] = 1;
    }
    u->ntou_rd++;
    return BILL_OK;
}

int bill_usage_set_opened(bill_usage *u, bill_date opened)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    if (!bill_date_is_valid(opened))
        return billi_error(BILL_EDATE, "usage: opening date out of range");
    u->opened = opened;
    u->has_opened = 1;
    return BILL_OK;
}

int bill_usage_set_capacity_kva(bill_usage *u, const bill_dec *kva)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kva != NULL, "kva");
    int rc = set_qty(&u->capacity_kva, kva, "installed capacity");
    if (rc == BILL_OK)
        u->has_capacity = 1;
    return rc;
}

int bill_usage_add_suspended(bill_usage *u, bill_period p, const bill_dec *kva)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kva != NULL, "kva");
    bill_period chk;
    if (!bill_date_is_valid(p.start) || !bill_date_is_valid(p.end) ||
        bill_period_make(&chk, p.start, p.end) != BILL_OK)
        return billi_error(BILL_EDATE, "usage: a suspension needs valid dates, from before to");
    if (u->nsusp == BILLI_MAX_SUSP)
        return billi_error(BILL_ERANGE, "usage: at most %d suspensions", BILLI_MAX_SUSP);
    int rc = set_qty(&u->susp_kva[u->nsusp], kva, "suspended capacity");
    if (rc == BILL_OK)
        u->susp[u->nsusp++] = chk;
    return rc;
}

void bill_usage_clear_suspended(bill_usage *u)
{
    if (u)
        u->nsusp = 0;
}

int bill_usage_set_declared_kw(bill_usage *u, const bill_dec *kw)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kw != NULL, "kw");
    int rc = set_qty(&u->declared_kw, kw, "declared demand");
    if (rc == BILL_OK)
        u->has_declared = 1;
    return rc;
}

int bill_usage_set_max_demand_kw(bill_usage *u, const bill_dec *kw)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kw != NULL, "kw");
    int rc = set_qty(&u->max_demand_kw, kw, "maximum demand");
    if (rc == BILL_OK)
        u->has_max_demand = 1;
    return rc;
}

int bill_usage_set_kvarh(bill_usage *u, const bill_dec *kvarh)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(kvarh != NULL, "kvarh");
    int rc = set_qty(&u->kvarh, kvarh, "kvarh");
    if (rc == BILL_OK)
        u->has_kvarh = 1;
    return rc;
}

int bill_usage_set_pf_standard(bill_usage *u, const char *standard)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(standard != NULL, "standard");
    if (strcmp(standard, "0.90") != 0 && strcmp(standard, "0.85") != 0 &&
        strcmp(standard, "0.80") != 0)
        return billi_error(BILL_ERANGE, "usage: power-factor standard must be \"0.90\", "
                                        "\"0.85\" or \"0.80\"");
    memcpy(u->pf_standard, standard, 5);
    return BILL_OK;
}

/* ---- JSON ------------------------------------------------------------------------- */


/* Report a setter's failure again, about node n (so with the JSON path). */
static int refail(const billi_json_node *n)
{
    char msg[BILLI_ERRMSG_MAX];
    const char *m = bill_errmsg();
    if (strncmp(m, "usage: ", 7) == 0)
        m += 7;
    snprintf(msg, sizeof msg, "%s", m); /* the message buffer is about to be rewritten */
    return billi_json_fail(n, bill_errcode(), "%s", msg);
}

/* A quantity member: decimal, not negative; the setter's message gets the path. */
static int load_qty(const billi_json_node *obj, const char *key, bill_usage *u,
                    int (*set)(bill_usage *, const bill_dec *))
{
    const billi_json_node *n = billi_json_find(obj, key);
    if (!n)
        return BILL_OK;
    bill_dec d = BILL_DEC_INIT;
    int rc = billi_json_to_dec(n, &d);
    if (rc == BILL_OK && bill_dec_sign(&d) < 0)
        rc = billi_json_fail(n, BILL_ERANGE, "kWh must not be negative");
    if (rc == BILL_OK && set(u, &d) != BILL_OK)
        rc = refail(n);
    bill_dec_clear(&d);
    return rc;
}

static int load_usage(bill_usage *u, const billi_json_node *root)
{
    static const char *const keys[] = {"period", "class", "household_size", "kwh", "tou_kwh",
                                       "ytd_kwh", "exported_kwh", "opened", "account",
                                       "readings", "capacity_kva", "suspended", "declared_kw",
                                       "max_demand_kw", "kvarh", "pf_standard", "options",
                                       "intervals", "tou_max_demand_kw", "prior_peaks_kw", NULL};
    const billi_json_node *n;
    const char *s;
    size_t len;
    BILLI_TRY(billi_json_expect(root, BILLI_JSON_OBJECT));
    BILLI_TRY(billi_json_check_keys(root, keys, "usage"));
    BILLI_TRY(billi_json_get(root, "period", 1, &n));
    BILLI_TRY(billi_json_to_string(n, &s, &len));
    bill_period p;
    if (bill_period_parse(&p, s, len) != BILL_OK)
        return billi_json_fail(n, BILL_EDATE, "bad period (expected \"YYYY-MM-DD/YYYY-MM-DD\", "
                                              "start before end)");
    if (bill_usage_set_period(u, p) != BILL_OK)
        return refail(n);
    BILLI_TRY(billi_json_get_string(root, "account", 0, &s, NULL));
    n = billi_json_find(root, "class");
    if (n) {
        BILLI_TRY(billi_json_to_string(n, &s, NULL));
        if (bill_usage_set_class(u, s) != BILL_OK)
            return billi_json_fail(n, BILL_ESYNTAX,
                                   "bad customer class (1 to %d letters, digits, '_' or '-')",
                                   BILL_NAME_MAX - 1);
    }
    int64_t hh = 1;
    BILLI_TRY(billi_json_get_int(root, "household_size", 0, 1, 1000, &hh));
    u->household = (int)hh;
    BILLI_TRY(load_qty(root, "kwh", u, bill_usage_set_kwh));
    BILLI_TRY(load_qty(root, "ytd_kwh", u, bill_usage_set_ytd_kwh));
    BILLI_TRY(load_qty(root, "exported_kwh", u, bill_usage_set_exported_kwh));
    BILLI_TRY(load_qty(root, "capacity_kva", u, bill_usage_set_capacity_kva));
    BILLI_TRY(load_qty(root, "declared_kw", u, bill_usage_set_declared_kw));
    BILLI_TRY(load_qty(root, "max_demand_kw", u, bill_usage_set_max_demand_kw));
    BILLI_TRY(load_qty(root, "kvarh", u, bill_usage_set_kvarh));
    n = billi_json_find(root, "pf_standard");
    if (n) {
        BILLI_TRY(billi_json_to_string(n, &s, NULL));
        if (bill_usage_set_pf_standard(u, s) != BILL_OK)
            return refail(n);
    }
    n = billi_json_find(root, "suspended");
    if (n) {
        BILLI_TRY(billi_json_expect(n, BILLI_JSON_ARRAY));
        if (billi_json_size(n) > BILLI_MAX_SUSP)
            return billi_json_fail(n, BILL_ERANGE, "at most %d suspensions", BILLI_MAX_SUSP);
        for (size_t i = 0; i < billi_json_size(n); i++) {
            static const char *const skeys[] = {"kva", "from", "to", NULL};
            const billi_json_node *r = billi_json_at(n, i), *kn;
            bill_date from, to;
            BILLI_TRY(billi_json_check_keys(r, skeys, "suspension"));
            BILLI_TRY(billi_json_get(r, "kva", 1, &kn));
            BILLI_TRY(billi_json_get_date(r, "from", 1, &from));
            BILLI_TRY(billi_json_get_date(r, "to", 1, &to));
            bill_dec v = BILL_DEC_INIT;
            int rc = billi_json_to_dec(kn, &v);
            if (rc == BILL_OK && bill_usage_add_suspended(u, (bill_period){from, to}, &v) != BILL_OK)
                rc = refail(r);
            bill_dec_clear(&v);
            BILLI_TRY(rc);
        }
    }
    n = billi_json_find(root, "opened");
    if (n) {
        bill_date d;
        BILLI_TRY(billi_json_to_date(n, &d));
        BILLI_TRY(bill_usage_set_opened(u, d));
    }
    n = billi_json_find(root, "readings");
    if (n) {
        BILLI_TRY(billi_json_expect(n, BILLI_JSON_ARRAY));
        if (billi_json_size(n) > BILLI_MAX_READINGS)
            return billi_json_fail(n, BILL_ERANGE, "at most %d readings", BILLI_MAX_READINGS);
        for (size_t i = 0; i < billi_json_size(n); i++) {
            static const char *const rkeys[] = {"date", "kwh", "tou_kwh", NULL};
            const billi_json_node *r = billi_json_at(n, i), *kn, *tn;
            bill_date d;
            BILLI_TRY(billi_json_check_keys(r, rkeys, "reading"));
            BILLI_TRY(billi_json_get_date(r, "date", 1, &d));
            kn = billi_json_find(r, "kwh");
            tn = billi_json_find(r, "tou_kwh");
            if (!kn && !tn)
                return billi_json_fail(r, BILL_ESYNTAX, "a reading needs \"kwh\" (the total "
                                                        "register), \"tou_kwh\" (the TOU "
                                                        "registers) or both");
            for (int k = 0; k < u->nreadings; k++)
                if (bill_date_cmp(u->reading_date[k], d) == 0)
                    return billi_json_fail(r, BILL_ECONFLICT, "two readings on the same date");
            for (int k = 0; k < u->ntou_rd; k++)
                if (bill_date_cmp(u->tou_rd_date[k], d) == 0)
                    return billi_json_fail(r, BILL_ECONFLICT, "two readings on the same date");
            bill_dec v = BILL_DEC_INIT;
            int rc = BILL_OK;
            if (kn) {
                rc = billi_json_to_dec(kn, &v);
                if (rc == BILL_OK && bill_usage_set_reading(u, d, &v) != BILL_OK)
                    rc = refail(kn);
            }
            if (rc == BILL_OK && tn) {
                rc = billi_json_expect(tn, BILLI_JSON_OBJECT);
                if (rc == BILL_OK && billi_json_size(tn) == 0)
                    rc = billi_json_fail(tn, BILL_ESYNTAX, "a reading's \"tou_kwh\" needs at "
                                                           "least one TOU register");
                if (rc == BILL_OK && billi_json_size(tn) > BILL_TARIFF_MAX_TOU)
                    rc = billi_json_fail(tn, BILL_ERANGE, "at most %d TOU registers",
                                         BILL_TARIFF_MAX_TOU);
                for (size_t j = 0; rc == BILL_OK && j < billi_json_size(tn); j++) {
                    const billi_json_node *tv = billi_json_at(tn, j);
                    size_t kl, vl;
                    const char *key = billi_json_key(tv, &kl);
                    if (kl != strlen(key) || !billi_usage_valid_name(key, &vl)) {
                        rc = billi_json_fail(tv, BILL_ESYNTAX, "bad TOU period name");
                        break;
                    }
                    rc = billi_json_to_dec(tv, &v);
                    if (rc == BILL_OK && bill_dec_sign(&v) < 0)
                        rc = billi_json_fail(tv, BILL_ERANGE, "kWh must not be negative");
                    if (rc == BILL_OK && bill_usage_set_tou_reading(u, d, key, &v) != BILL_OK)
                        rc = refail(tv);
                }
            }
            bill_dec_clear(&v);
            BILLI_TRY(rc);
        }
    }
    n = billi_json_find(root, "options");
    if (n) {
        BILLI_TRY(billi_json_expect(n, BILLI_JSON_OBJECT));
        if (billi_json_size(n) > BILLI_MAX_OPTIONS)
            return billi_json_fail(n, BILL_ERANGE, "at most %d options", BILLI_MAX_OPTIONS);
        for (size_t i = 0; i < billi_json_size(n); i++) {
            const billi_json_node *v = billi_json_at(n, i);
            size_t kl;
            const char *key = billi_json_key(v, &kl), *val;
            BILLI_TRY(billi_json_to_string(v, &val, NULL));
            if (kl != strlen(key))
                return billi_json_fail(v, BILL_ESYNTAX, "bad option name");
            if (bill_usage_set_option(u, key, val) != BILL_OK)
                return refail(v);
        }
    }
    n = billi_json_find(root, "tou_kwh");
    if (n) {
        BILLI_TRY(billi_json_expect(n, BILLI_JSON_OBJECT));
        if (billi_json_size(n) > BILL_TARIFF_MAX_TOU)
            return billi_json_fail(n, BILL_ERANGE, "at most %d TOU periods", BILL_TARIFF_MAX_TOU);
        for (size_t i = 0; i < billi_json_size(n); i++) {
            const billi_json_node *v = billi_json_at(n, i);
            size_t kl;
            const char *key = billi_json_key(v, &kl);
            size_t vl;
            if (kl != strlen(key) || !billi_usage_valid_name(key, &vl))
                return billi_json_fail(v, BILL_ESYNTAX, "bad TOU period name");
            bill_dec d = BILL_DEC_INIT;
            int rc = billi_json_to_dec(v, &d);
            if (rc == BILL_OK && bill_dec_sign(&d) < 0)
                rc = billi_json_fail(v, BILL_ERANGE, "kWh must not be negative");
            if (rc == BILL_OK && bill_usage_set_tou_kwh(u, key, &d) != BILL_OK)
                rc = refail(v);
            bill_dec_clear(&d);
            BILLI_TRY(rc);
        }
    }
    BILLI_TRY(billi_usage_load_demand(u, root));
    return BILL_OK;
}

int bill_usage_load(bill_usage *u, const char *json, size_t len, const char *source)
{
    BILLI_CHECK_ARG(u != NULL, "u");
    BILLI_CHECK_ARG(json != NULL, "json");
    bill_usage_reset(u);
    billi_json_doc *doc = NULL;
    int rc = billi_json_parse(&doc, json, len, source);
    if (rc == BILL_OK)
        rc = load_usage(u, billi_json_root(doc));
    billi_json_free(doc);
    if (rc != BILL_OK)
        bill_usage_reset(u);
    return rc;
}
