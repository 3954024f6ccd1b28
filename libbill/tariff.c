/*
 * libbill tariffs: the "libbill-tariff/1" JSON loader. Validates strictly
 * and compiles the document into arrays of exact decimals (tariff_internal.h)
 * so that computing a bill touches no text.
 */
#include "tariff_internal.h"

#include <uuid/uuid.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(node, code, ...) billi_json_fail((node), (code), __VA_ARGS__)

/* ---- small readers ------------------------------------------------------------ */

/* An optional or required string member that must be one of names[]; *out = index. */
static int get_choice(const billi_json_node *obj, const char *key, int required,
                      const char *const *names, const char *what, int *out)
{
    const billi_json_node *n = NULL;
    const char *s;
    BILLI_TRY(billi_json_get(obj, key, required, &n));
    if (!n)
        return BILL_OK;
    BILLI_TRY(billi_json_to_string(n, &s, NULL));
    for (int i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return BILL_OK;
        }
    char q[64], list[160] = "";
    billi_quote(q, sizeof q, s, strlen(s));
    for (int i = 0; names[i]; i++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", names[i]);
    }
    return FAIL(n, BILL_ESYNTAX, "unknown %s '%s' (expected %s)", what, q, list);
}

/*
 * A decimal of sensible size: at most 12 digits after the point and 15
 * before it, so that bills stay on the decimal's fast path.
 */
static int to_dec(const billi_json_node *n, bill_dec *out, const char *what)
{
    BILLI_TRY(billi_json_to_dec(n, out));
    if (bill_dec_scale(out) > 12)
        return FAIL(n, BILL_ERANGE, "%s may have at most 12 digits after the point", what);
    if (bill_dec_precision(out) - bill_dec_scale(out) > 15)
        return FAIL(n, BILL_ERANGE, "%s is too large (at most 15 digits before the point)", what);
    return BILL_OK;
}

/* A decimal that must not be negative. */
static int to_dec_nonneg(const billi_json_node *n, bill_dec *out, const char *what)
{
    BILLI_TRY(to_dec(n, out, what));
    if (bill_dec_sign(out) < 0)
        return FAIL(n, BILL_ERANGE, "%s must not be negative", what);
    return BILL_OK;
}

static int get_dec_nonneg(const billi_json_node *obj, const char *key, int required,
                          bill_dec *out, const char *what)
{
    const billi_json_node *n = NULL;
    BILLI_TRY(billi_json_get(obj, key, required, &n));
    return n ? to_dec_nonneg(n, out, what) : BILL_OK;
}

/* Check that s (len bytes) is a name: 1..BILL_NAME_MAX-1 bytes of [A-Za-z0-9_-]. */
static int check_name(const billi_json_node *n, const char *s, size_t len, const char *what)
{
    if (len == 0 || len >= BILL_NAME_MAX)
        return FAIL(n, BILL_ERANGE, "%s must have 1 to %d characters", what, BILL_NAME_MAX - 1);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return FAIL(n, BILL_ESYNTAX, "%s may hold only letters, digits, '_' and '-'", what);
    }
    return BILL_OK;
}

/* A string node holding a name. */
static int to_name(const billi_json_node *n, const char **out, const char *what)
{
    const char *s;
    size_t len;
    BILLI_TRY(billi_json_to_string(n, &s, &len));
    BILLI_TRY(check_name(n, s, len, what));
    *out = s;
    return BILL_OK;
}

static int parse_mode(const billi_json_node *n, int *out)
{
    const char *s;
    BILLI_TRY(billi_json_to_string(n, &s, NULL));
    int mode;
    if (bill_rounding_parse(&mode, s) != BILL_OK || mode == BILL_ROUND_UNNECESSARY) {
        char q[64];
        billi_quote(q, sizeof q, s, strlen(s));
        return FAIL(n, BILL_ESYNTAX,
                    "bad rounding mode '%s' (expected UP, DOWN, CEILING, FLOOR, HALF_UP, "
                    "HALF_DOWN or HALF_EVEN)", q);
    }
    *out = mode;
    return BILL_OK;
}

/* ---- freeing ------------------------------------------------------------------ */

static void charge_clear(billi_charge *c)
{
    bill_dec_clear(&c->amount);
    bill_dec_clear(&c->base);
    bill_dec_clear(&c->price);
    bill_dec_clear(&c->tolerance);
    bill_dec_clear(&c->excess_mult);
    bill_dec_clear(&c->min_fraction);
    bill_dec_clear(&c->ratchet_pct);
    bill_dec_clear(&c->ratchet_min);
    bill_pf_table_free(c->pf_table);
    for (int i = 0; i < 3; i++)
        bill_pf_table_free(c->pf_std[i]);
    for (int i = 0; i < BILL_TARIFF_MAX_COMPONENTS; i++)
        bill_dec_clear(&c->comp[i].price);
    for (int m = 0; m < 12; m++)
        for (int i = 0; i < BILL_TARIFF_MAX_TIERS; i++)
            bill_dec_clear(&c->tiers.thr[m][i]);
    for (int i = 0; i <= BILL_TARIFF_MAX_TIERS; i++)
        bill_dec_clear(&c->tiers.inc[i]);
    bill_dec_clear(&c->tiers.lh_extra);
    for (int i = 0; i < BILL_TARIFF_MAX_TOU; i++) {
        bill_dec_clear(&c->tou_ratio[i]);
        bill_dec_clear(&c->tou_price[i]);
        for (int k = 0; k < BILL_TARIFF_MAX_COMPONENTS; k++)
            bill_dec_clear(&c->comp_tou[k][i]);
    }
}

void bill_tariff_free(bill_tariff *t)
{
    if (!t)
        return;
    for (int v = 0; v < t->nversions; v++) {
        billi_version *ver = &t->versions[v];
        for (int c = 0; c < ver->ncharges; c++)
            charge_clear(&ver->charges[c]);
        free(ver->charges);
        free(ver->schedules);
    }
    free(t->versions);
    billi_fast_free(t->fast);
    bill_dec_clear(&t->vat_rate);
    billi_json_free(t->doc);
    free(t);
}

/* ---- tiers --------------------------------------------------------------------- */

/* thresholds: non-negative, strictly increasing, 1..MAX; into row[]; *count. */
static int read_thresholds(const billi_json_node *arr, bill_dec *row, int *count)
{
    BILLI_TRY(billi_json_expect(arr, BILLI_JSON_ARRAY));
    size_t n = billi_json_size(arr);
    if (n == 0 || n > BILL_TARIFF_MAX_TIERS)
        return FAIL(arr, BILL_ERANGE, "thresholds must list 1 to %d values", BILL_TARIFF_MAX_TIERS);
    for (size_t i = 0; i < n; i++) {
        const billi_json_node *e = billi_json_at(arr, i);
        BILLI_TRY(to_dec_nonneg(e, &row[i], "a threshold"));
        if (i > 0 && bill_dec_cmp(&row[i], &row[i - 1]) <= 0)
            return FAIL(e, BILL_ERULE, "thresholds must increase strictly");
    }
    *count = (int)n;
    return BILL_OK;
}

static int load_tiers(const billi_json_node *o, billi_tiers *tr)
{
    static const char *const keys[] = {"basis", "boundary", "proration", "thresholds", "seasons",
                                       "increments", "large_household", "quota_scale",
                                       "quota_rounding", NULL};
    static const char *const bases[] = {"monthly", "annual", NULL};
    static const char *const bounds[] = {"lower", "upper", NULL};
    static const char *const pror[] = {"none", "days", "months", NULL};
    BILLI_TRY(billi_json_check_keys(o, keys, "tiers"));
    BILLI_TRY(get_choice(o, "basis", 1, bases, "tier basis", &tr->basis));
    BILLI_TRY(get_choice(o, "boundary", 1, bounds, "boundary rule", &tr->boundary));
    tr->proration = BILLI_PRORATE_DAYS;
    BILLI_TRY(get_choice(o, "proration", 0, pror, "proration", &tr->proration));
    int64_t qs = 0;
    BILLI_TRY(billi_json_get_int(o, "quota_scale", 0, 0, 6, &qs));
    tr->quota_scale = (int)qs;
    tr->quota_mode = BILL_ROUND_HALF_UP;
    const billi_json_node *qm = billi_json_find(o, "quota_rounding");
    if (qm)
        BILLI_TRY(parse_mode(qm, &tr->quota_mode));

    const billi_json_node *thr = billi_json_find(o, "thresholds");
    const billi_json_node *seasons = billi_json_find(o, "seasons");
    if ((thr != NULL) == (seasons != NULL))
        return FAIL(o, BILL_ESYNTAX, "tiers need exactly one of 'thresholds' and 'seasons'");
    if (thr) {
        BILLI_TRY(read_thresholds(thr, tr->thr[0], &tr->nthr));
        for (int m = 1; m < 12; m++)
            for (int i = 0; i < tr->nthr; i++)
                BILLI_TRY(bill_dec_copy(&tr->thr[m][i], &tr->thr[0][i]));
    } else {
        if (tr->basis == BILLI_BASIS_ANNUAL)
            return FAIL(seasons, BILL_ERULE, "seasonal thresholds need the monthly basis");
        BILLI_TRY(billi_json_expect(seasons, BILLI_JSON_ARRAY));
        if (billi_json_size(seasons) == 0)
            return FAIL(seasons, BILL_ERULE, "seasons must not be empty");
        int seen[12] = {0};
        tr->nthr = -1;
        for (size_t s = 0; s < billi_json_size(seasons); s++) {
            static const char *const skeys[] = {"name", "months", "thresholds", NULL};
            const billi_json_node *se = billi_json_at(seasons, s), *months, *st;
            BILLI_TRY(billi_json_check_keys(se, skeys, "season"));
            const billi_json_node *nm = billi_json_find(se, "name");
            if (nm)
                BILLI_TRY(billi_json_to_string(nm, &(const char *){NULL}, NULL));
            BILLI_TRY(billi_json_get_array(se, "months", 1, &months));
            BILLI_TRY(billi_json_get_array(se, "thresholds", 1, &st));
            if (billi_json_size(months) == 0)
                return FAIL(months, BILL_ERULE, "a season needs at least one month");
            bill_dec row[BILL_TARIFF_MAX_TIERS];
            for (int i = 0; i < BILL_TARIFF_MAX_TIERS; i++)
                bill_dec_init(&row[i]);
            int cnt = 0, rc = read_thresholds(st, row, &cnt);
            if (rc == BILL_OK && tr->nthr >= 0 && cnt != tr->nthr)
                rc = FAIL(st, BILL_ERULE, "every season needs the same number of thresholds (%d)",
                          tr->nthr);
            for (size_t k = 0; rc == BILL_OK && k < billi_json_size(months); k++) {
                int64_t m;
                rc = billi_json_to_int(billi_json_at(months, k), 1, 12, &m);
                if (rc == BILL_OK && seen[m - 1])
                    rc = FAIL(billi_json_at(months, k), BILL_ERULE,
                              "month %d is in more than one season", (int)m);
                if (rc == BILL_OK) {
                    seen[m - 1] = 1;
                    for (int i = 0; i < cnt && rc == BILL_OK; i++)
                        rc = bill_dec_copy(&tr->thr[m - 1][i], &row[i]);
                }
            }
            for (int i = 0; i < BILL_TARIFF_MAX_TIERS; i++)
                bill_dec_clear(&row[i]);
            BILLI_TRY(rc);
            tr->nthr = cnt;
        }
        for (int m = 0; m < 12; m++)
            if (!seen[m])
                return FAIL(seasons, BILL_ERULE, "month %d is in no season", m + 1);
    }

    const billi_json_node *inc;
    BILLI_TRY(billi_json_get_array(o, "increments", 1, &inc));
    if (billi_json_size(inc) != (size_t)tr->nthr + 1)
        return FAIL(inc, BILL_ERULE, "increments must list %d values (one more than thresholds)",
                    tr->nthr + 1);
    for (int i = 0; i <= tr->nthr; i++)
        BILLI_TRY(to_dec(billi_json_at(inc, (size_t)i), &tr->inc[i], "an increment"));

    const billi_json_node *lh = billi_json_find(o, "large_household");
    if (lh) {
        static const char *const lkeys[] = {"min_persons", "extra_per_month", NULL};
        int64_t mp;
        BILLI_TRY(billi_json_check_keys(lh, lkeys, "large_household"));
        BILLI_TRY(billi_json_get_int(lh, "min_persons", 1, 1, 1000, &mp));
        BILLI_TRY(get_dec_nonneg(lh, "extra_per_month", 1, &tr->lh_extra, "extra_per_month"));
        tr->lh_min_persons = (int)mp;
    }
    return BILL_OK;
}

/* ---- TOU schedules ----------------------------------------------------------------- */

/* "HH:MM" into minutes of the day; "24:00" only when allow_24. */
static int to_minutes(const billi_json_node *n, int granularity, int allow_24, int *out)
{
    const char *s;
    size_t len;
    BILLI_TRY(billi_json_to_string(n, &s, &len));
    if (len != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
        s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
        return FAIL(n, BILL_EDATE, "bad time of day (expected \"HH:MM\")");
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || (h == 24 && (m != 0 || !allow_24)))
        return FAIL(n, BILL_EDATE, "bad time of day (hours 00 to 23, or 24:00 as an end)");
    if ((h * 60 + m) % granularity != 0)
        return FAIL(n, BILL_ERULE, "time %.5s is not on the schedule's %d-minute grid", s,
                    granularity);
    *out = h * 60 + m;
    return BILL_OK;
}

static int load_schedule(const billi_json_node *o, billi_schedule *sc)
{
    static const char *const keys[] = {"granularity", "seasons", NULL};
    static const char *const skeys[] = {"name", "months", "day_types", "periods", NULL};
    static const char *const pkeys[] = {"from", "to", "period", NULL};
    static const char *const days[] = {"working", "weekend", "holiday", NULL};
    const billi_json_node *seasons, *g;
    int64_t gran;
    BILLI_TRY(billi_json_check_keys(o, keys, "schedule"));
    BILLI_TRY(billi_json_get(o, "granularity", 1, &g));
    BILLI_TRY(billi_json_to_int(g, 1, 60, &gran));
    if (gran != 15 && gran != 30 && gran != 60)
        return FAIL(g, BILL_ERANGE, "granularity must be 15, 30 or 60 minutes");
    sc->granularity = (int)gran;
    sc->nslots = 1440 / sc->granularity;
    memset(sc->slot, 0xFF, sizeof sc->slot);
    BILLI_TRY(billi_json_get_array(o, "seasons", 1, &seasons));
    if (billi_json_size(seasons) == 0)
        return FAIL(seasons, BILL_ERULE, "a schedule needs at least one season");
    for (size_t i = 0; i < billi_json_size(seasons); i++) {
        const billi_json_node *se = billi_json_at(seasons, i), *months, *dts, *periods;
        unsigned char day[BILLI_MAX_SLOTS];
        memset(day, 0xFF, sizeof day);
        BILLI_TRY(billi_json_check_keys(se, skeys, "season"));
        const billi_json_node *nm = billi_json_find(se, "name");
        if (nm)
            BILLI_TRY(billi_json_to_string(nm, &(const char *){NULL}, NULL));
        BILLI_TRY(billi_json_get_array(se, "months", 1, &months));
        BILLI_TRY(billi_json_get_array(se, "day_types", 1, &dts));
        BILLI_TRY(billi_json_get_array(se, "periods", 1, &periods));
        if (billi_json_size(periods) == 0)
            return FAIL(periods, BILL_ERULE, "TOU periods must cover the day");
        for (size_t k = 0; k < billi_json_size(periods); k++) {
            const billi_json_node *pe = billi_json_at(periods, k), *pn;
            int from, to, idx;
            const char *name;
            BILLI_TRY(billi_json_check_keys(pe, pkeys, "TOU period"));
            BILLI_TRY(billi_json_get(pe, "from", 1, &pn));
            BILLI_TRY(to_minutes(pn, sc->granularity, 0, &from));
            BILLI_TRY(billi_json_get(pe, "to", 1, &pn));
            BILLI_TRY(to_minutes(pn, sc->granularity, 1, &to));
            if (to == from)
                return FAIL(pe, BILL_ERULE, "a TOU period must not be empty (from == to)");
            BILLI_TRY(billi_json_get(pe, "period", 1, &pn));
            BILLI_TRY(to_name(pn, &name, "a TOU period name"));
            for (idx = 0; idx < sc->nperiods; idx++)
                if (strcmp(sc->period[idx], name) == 0)
                    break;
            if (idx == sc->nperiods) {
                if (sc->nperiods == BILL_TARIFF_MAX_TOU)
                    return FAIL(pn, BILL_ERANGE, "a schedule may use at most %d periods",
                                BILL_TARIFF_MAX_TOU);
                sc->period[sc->nperiods++] = name;
            }
            /* [from, to), wrapping past midnight when to < from */
            for (int m = from; m != to; m = (m + sc->granularity) % 1440) {
                int sl = m / sc->granularity;
                if (day[sl] != 0xFF)
                    return FAIL(pe, BILL_ERULE, "TOU periods overlap at %02d:%02d", m / 60, m % 60);
                day[sl] = (unsigned char)idx;
                if (to == 1440 && m + sc->granularity == 1440)
                    break;
            }
        }
        for (int sl = 0; sl < sc->nslots; sl++)
            if (day[sl] == 0xFF) {
                int m = sl * sc->granularity;
                return FAIL(periods, BILL_ERULE, "TOU periods leave %02d:%02d uncovered (they "
                            "must cover the day exactly once)", m / 60, m % 60);
            }
        if (billi_json_size(months) == 0 || billi_json_size(dts) == 0)
            return FAIL(se, BILL_ERULE, "a season needs months and day types");
        for (size_t a = 0; a < billi_json_size(months); a++) {
            const billi_json_node *mn = billi_json_at(months, a);
            int64_t mo;
            BILLI_TRY(billi_json_to_int(mn, 1, 12, &mo));
            for (size_t d = 0; d < billi_json_size(dts); d++) {
                const billi_json_node *dn = billi_json_at(dts, d);
                const char *ds;
                int dt = -1;
                BILLI_TRY(billi_json_to_string(dn, &ds, NULL));
                for (int q = 0; days[q]; q++)
                    if (strcmp(ds, days[q]) == 0)
                        dt = q;
                if (dt < 0)
                    return FAIL(dn, BILL_ESYNTAX, "unknown day type (expected working, weekend "
                                                  "or holiday)");
                if (sc->slot[mo - 1][dt][0] != 0xFF)
                    return FAIL(mn, BILL_ERULE, "month %d, %s days, is in more than one season",
                                (int)mo, days[dt]);
                memcpy(sc->slot[mo - 1][dt], day, sizeof day);
            }
        }
    }
    for (int m = 0; m < 12; m++)
        for (int d = 0; d < BILLI_DAY_TYPES; d++)
            if (sc->slot[m][d][0] == 0xFF)
                return FAIL(seasons, BILL_ERULE, "month %d, %s days, is in no season", m + 1,
                            days[d]);
    return BILL_OK;
}

static int load_schedules(const billi_json_node *o, billi_version *v)
{
    BILLI_TRY(billi_json_expect(o, BILLI_JSON_OBJECT));
    size_t n = billi_json_size(o);
    if (n > 16)
        return FAIL(o, BILL_ERANGE, "a version may have at most 16 schedules");
    if (n == 0)
        return BILL_OK;
    v->schedules = calloc(n, sizeof *v->schedules);
    if (!v->schedules)
        return billi_error(BILL_ENOMEM, "tariff: out of memory");
    for (size_t i = 0; i < n; i++) {
        const billi_json_node *sn = billi_json_at(o, i);
        v->nschedules = (int)i + 1;
        v->schedules[i].name = billi_json_key(sn, NULL);
        BILLI_TRY(load_schedule(sn, &v->schedules[i]));
    }
    return BILL_OK;
}

/* A charge's "schedule": known, and every period it uses priced by the charge. */
static int link_schedule(const billi_json_node *n, billi_charge *c, const billi_version *v)
{
    const char *name;
    BILLI_TRY(billi_json_to_string(n, &name, NULL));
    for (int i = 0; i < v->nschedules; i++)
        if (strcmp(v->schedules[i].name, name) == 0) {
            const billi_schedule *sc = &v->schedules[i];
            for (int p = 0; p < sc->nperiods; p++) {
                int found = 0;
                for (int q = 0; q < c->ntou; q++)
                    found |= strcmp(c->tou_name[q], sc->period[p]) == 0;
                if (!found)
                    return FAIL(n, BILL_ERULE, "schedule period '%s' has no TOU price or ratio in "
                                               "this charge", sc->period[p]);
            }
            c->schedule = i;
            return BILL_OK;
        }
    return FAIL(n, BILL_ENOTFOUND, "no schedule of that name in this version");
}

/* ---- charges --------------------------------------------------------------------- */

static int load_tou(const billi_json_node *o, billi_charge *c, const billi_version *ver)
{
    static const char *const keys[] = {"ratios", "prices", "schedule", NULL};
    BILLI_TRY(billi_json_check_keys(o, keys, "tou"));
    const billi_json_node *ratios = billi_json_find(o, "ratios");
    const billi_json_node *prices = billi_json_find(o, "prices");
    if ((ratios != NULL) == (prices != NULL))
        return FAIL(o, BILL_ESYNTAX, "tou needs exactly one of 'ratios' and 'prices'");
    const billi_json_node *m = ratios ? ratios : prices;
    BILLI_TRY(billi_json_expect(m, BILLI_JSON_OBJECT));
    size_t n = billi_json_size(m);
    if (n == 0 || n > BILL_TARIFF_MAX_TOU)
        return FAIL(m, BILL_ERANGE, "a TOU charge needs 1 to %d periods", BILL_TARIFF_MAX_TOU);
    int ntou_comp = 0;
    for (int i = 0; i < c->ncomp; i++)
        ntou_comp += c->comp[i].tou;
    c->tou_prices = prices != NULL;
    if (ratios && ntou_comp == 0)
        return FAIL(ratios, BILL_ERULE, "TOU ratios given but no price component is marked \"tou\"");
    if (prices && ntou_comp > 0)
        return FAIL(prices, BILL_ERULE,
                    "TOU prices replace the TOU part of the price: no component may be marked "
                    "\"tou\" (and no \"price\" given)");
    for (size_t i = 0; i < n; i++) {
        const billi_json_node *v = billi_json_at(m, i);
        size_t kl;
        const char *key = billi_json_key(v, &kl);
        BILLI_TRY(check_name(v, key, kl, "a TOU period name"));
        c->tou_name[i] = key;
        BILLI_TRY(to_dec_nonneg(v, ratios ? &c->tou_ratio[i] : &c->tou_price[i],
                          ratios ? "a TOU ratio" : "a TOU price"));
    }
    c->ntou = (int)n;
    const billi_json_node *sched = billi_json_find(o, "schedule");
    if (sched)
        BILLI_TRY(link_schedule(sched, c, ver));
    /* each TOU component's price in each period, precomputed */
    if (ratios)
        for (int p = 0; p < c->ntou; p++)
            for (int k = 0; k < c->ncomp; k++)
                if (c->comp[k].tou)
                {
                    /* 0.3800 x 1.69 is shown as 0.6422, not 0.642200 */
                    BILLI_TRY(bill_dec_mul(&c->comp_tou[k][p], &c->comp[k].price, &c->tou_ratio[p]));
                    BILLI_TRY(bill_dec_trim(&c->comp_tou[k][p], &c->comp_tou[k][p],
                                      bill_dec_scale(&c->comp[k].price)));
                }
    return BILL_OK;
}

static int load_energy(const billi_json_node *o, billi_charge *c, const billi_version *v)
{
    const billi_json_node *price = billi_json_find(o, "price");
    const billi_json_node *comps = billi_json_find(o, "components");
    const billi_json_node *tou = billi_json_find(o, "tou");
    if (price && comps)
        return FAIL(o, BILL_ESYNTAX, "an energy charge takes 'price' or 'components', not both");
    if (!price && !comps && !(tou && billi_json_find(tou, "prices")))
        return FAIL(o, BILL_ESYNTAX, "an energy charge needs 'price', 'components' or TOU 'prices'");
    if (price) {
        c->ncomp = 1;
        c->plain = 1;
        c->comp[0].name = "energy";
        c->comp[0].tou = 1;
        BILLI_TRY(to_dec_nonneg(price, &c->comp[0].price, "a price"));
    } else if (comps) {
        BILLI_TRY(billi_json_expect(comps, BILLI_JSON_ARRAY));
        size_t n = billi_json_size(comps);
        if (n == 0 || n > BILL_TARIFF_MAX_COMPONENTS)
            return FAIL(comps, BILL_ERANGE, "components must list 1 to %d prices",
                        BILL_TARIFF_MAX_COMPONENTS);
        for (size_t i = 0; i < n; i++) {
            static const char *const keys[] = {"name", "price", "tou", NULL};
            const billi_json_node *e = billi_json_at(comps, i), *nm;
            billi_component *k = &c->comp[i];
            BILLI_TRY(billi_json_check_keys(e, keys, "component"));
            BILLI_TRY(billi_json_get(e, "name", 1, &nm));
            BILLI_TRY(to_name(nm, &k->name, "a component name"));
            for (size_t j = 0; j < i; j++)
                if (strcmp(c->comp[j].name, k->name) == 0)
                    return FAIL(nm, BILL_ECONFLICT, "component '%s' appears twice", k->name);
            BILLI_TRY(get_dec_nonneg(e, "price", 1, &k->price, "a price"));
            k->tou = 0;
            BILLI_TRY(billi_json_get_bool(e, "tou", 0, &k->tou));
        }
        c->ncomp = (int)n;
    }
    BILLI_TRY(bill_dec_set_i64(&c->base, 0, 0));
    for (int i = 0; i < c->ncomp; i++)
        BILLI_TRY(bill_dec_add(&c->base, &c->base, &c->comp[i].price));
    const billi_json_node *tiers = billi_json_find(o, "tiers");
    if (tiers) {
        c->has_tiers = 1;
        BILLI_TRY(load_tiers(tiers, &c->tiers));
    }
    if (tou)
        BILLI_TRY(load_tou(tou, c, v));
    return BILL_OK;
}

/* An optional decimal > 0 with a default. */
static int get_dec_pos(const billi_json_node *obj, const char *key, bill_dec *out, int64_t coef,
                       int32_t scale, const char *what)
{
    const billi_json_node *n = billi_json_find(obj, key);
    if (!n)
        return bill_dec_set_i64(out, coef, scale);
    BILLI_TRY(to_dec_nonneg(n, out, what));
    if (bill_dec_is_zero(out))
        return FAIL(n, BILL_ERANGE, "%s must be positive", what);
    return BILL_OK;
}

/* A demand charge's "prices" per TOU period of its "schedule" (the actual basis only). */
static int load_demand_tou(const billi_json_node *o, billi_charge *c, const billi_version *v)
{
    const billi_json_node *prices = billi_json_find(o, "prices");
    const billi_json_node *sched = billi_json_find(o, "schedule");
    if (!prices)
        return FAIL(sched, BILL_ERULE, "a demand 'schedule' needs 'prices' per TOU period");
    if (!sched)
        return FAIL(prices, BILL_ERULE, "demand 'prices' need the 'schedule' that defines their "
                                        "TOU periods");
    if (c->basis != BILLI_DEMAND_ACTUAL)
        return FAIL(prices, BILL_ERULE, "demand prices by TOU period need the actual basis");
    const char *name;
    BILLI_TRY(billi_json_to_string(sched, &name, NULL));
    const billi_schedule *sc = NULL;
    for (int i = 0; i < v->nschedules; i++)
        if (strcmp(v->schedules[i].name, name) == 0) {
            sc = &v->schedules[i];
            c->schedule = i;
        }
    if (!sc)
        return FAIL(sched, BILL_ENOTFOUND, "no schedule of that name in this version");
    BILLI_TRY(billi_json_expect(prices, BILLI_JSON_OBJECT));
    size_t n = billi_json_size(prices);
    if (n == 0 || n > BILL_TARIFF_MAX_TOU)
        return FAIL(prices, BILL_ERANGE, "demand prices need 1 to %d TOU periods",
                    BILL_TARIFF_MAX_TOU);
    for (size_t i = 0; i < n; i++) {
        const billi_json_node *pv = billi_json_at(prices, i);
        size_t kl;
        const char *key = billi_json_key(pv, &kl);
        BILLI_TRY(check_name(pv, key, kl, "a TOU period name"));
        int found = 0;
        for (int p = 0; p < sc->nperiods; p++)
            found |= strcmp(sc->period[p], key) == 0;
        if (!found) {
            char list[160] = "";
            for (int p = 0; p < sc->nperiods; p++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof list - l, "%s%s", p ? ", " : "", sc->period[p]);
            }
            return FAIL(pv, BILL_ERULE, "unknown TOU period '%s' (schedule '%s' has %s)", key,
                        sc->name, list);
        }
        c->tou_name[i] = key;
        BILLI_TRY(to_dec_nonneg(pv, &c->tou_price[i], "a demand price"));
    }
    c->ntou = (int)n;
    c->tou_prices = 1;
    return BILL_OK;
}

/* "ratchet": {"percent": "80", "months": 11, "minimum_kw": "50"} (flat, actual basis). */
static int load_ratchet(const billi_json_node *r, billi_charge *c)
{
    static const char *const keys[] = {"percent", "months", "minimum_kw", NULL};
    const billi_json_node *n;
    int64_t months;
    if (c->basis != BILLI_DEMAND_ACTUAL || c->ntou > 0)
        return FAIL(r, BILL_ERULE, "a ratchet applies to a demand charge on the actual basis "
                                   "with one price (not by TOU period)");
    BILLI_TRY(billi_json_expect(r, BILLI_JSON_OBJECT));
    BILLI_TRY(billi_json_check_keys(r, keys, "ratchet"));
    BILLI_TRY(billi_json_get(r, "percent", 1, &n));
    BILLI_TRY(to_dec_nonneg(n, &c->ratchet_pct, "the ratchet percent"));
    if (bill_dec_cmp(&c->ratchet_pct, &(bill_dec){100, 0, 0, NULL}) > 0)
        return FAIL(n, BILL_ERANGE, "the ratchet percent must be between 0 and 100");
    BILLI_TRY(billi_json_get(r, "months", 1, &n));
    if (billi_json_to_int(n, INT64_MIN, INT64_MAX, &months) != BILL_OK)
        return FAIL(n, BILL_ESYNTAX, "the ratchet months must be a whole number");
    if (months < 1 || months > BILL_USAGE_MAX_PRIOR_PEAKS)
        return FAIL(n, BILL_ERANGE, "the ratchet looks back 1 to %d months, not %lld",
                    BILL_USAGE_MAX_PRIOR_PEAKS, (long long)months);
    c->ratchet_months = (int)months;
    BILLI_TRY(bill_dec_set_i64(&c->ratchet_min, 0, 0));
    BILLI_TRY(get_dec_nonneg(r, "minimum_kw", 0, &c->ratchet_min, "the minimum kW"));
    c->has_ratchet = 1;
    return BILL_OK;
}

static int load_demand(const billi_json_node *o, billi_charge *c, const billi_version *v)
{
    static const char *const keys[] = {"id", "type", "name", "price", "basis", "tolerance",
                                       "excess_multiplier", "min_fraction", "prices", "schedule",
                                       "ratchet", "when", NULL};
    static const char *const bases[] = {"contracted", "actual", NULL};
    BILLI_TRY(billi_json_check_keys(o, keys, "demand charge"));
    BILLI_TRY(get_choice(o, "basis", 1, bases, "demand basis", &c->basis));
    if (billi_json_find(o, "prices") || billi_json_find(o, "schedule")) {
        if (billi_json_find(o, "price"))
            return FAIL(billi_json_find(o, "price"), BILL_ESYNTAX,
                        "a demand charge takes 'price' or TOU 'prices', not both");
        BILLI_TRY(load_demand_tou(o, c, v));
    } else {
        BILLI_TRY(get_dec_nonneg(o, "price", 1, &c->price, "a price"));
    }
    if (billi_json_find(o, "ratchet"))
        BILLI_TRY(load_ratchet(billi_json_find(o, "ratchet"), c));
    if (c->basis == BILLI_DEMAND_ACTUAL) {
        static const char *const only[] = {"tolerance", "excess_multiplier", "min_fraction", NULL};
        for (int i = 0; only[i]; i++) {
            const billi_json_node *n = billi_json_find(o, only[i]);
            if (n)
                return FAIL(n, BILL_ERULE, "'%s' applies to the contracted basis only", only[i]);
        }
    }
    BILLI_TRY(get_dec_pos(o, "tolerance", &c->tolerance, 105, 2, "the tolerance"));
    BILLI_TRY(get_dec_pos(o, "excess_multiplier", &c->excess_mult, 2, 0, "the excess multiplier"));
    BILLI_TRY(get_dec_pos(o, "min_fraction", &c->min_fraction, 40, 2, "the minimum fraction"));
    bill_dec one = {1, 0, 0, NULL};
    const billi_json_node *n = billi_json_find(o, "tolerance");
    if (n && bill_dec_cmp(&c->tolerance, &one) < 0)
        return FAIL(n, BILL_ERANGE, "the tolerance must be at least 1");
    n = billi_json_find(o, "min_fraction");
    if (n && bill_dec_cmp(&c->min_fraction, &one) > 0)
        return FAIL(n, BILL_ERANGE, "the minimum fraction must be at most 1");
    return BILL_OK;
}

static int load_pf(const billi_json_node *o, billi_charge *c, const billi_version *v, int idx)
{
    static const char *const keys[] = {"id", "type", "name", "base", "standard", "table",
                                       "require_kvarh", "when", NULL};
    static const char *const stds[] = {"0.90", "0.85", "0.80", NULL};
    const billi_json_node *base, *n;
    BILLI_TRY(billi_json_check_keys(o, keys, "power_factor charge"));
    BILLI_TRY(billi_json_get_array(o, "base", 1, &base));
    size_t nb = billi_json_size(base);
    if (nb == 0 || nb > BILLI_MAX_PF_BASE)
        return FAIL(base, BILL_ERANGE, "base must list 1 to %d charge ids", BILLI_MAX_PF_BASE);
    for (size_t i = 0; i < nb; i++) {
        const billi_json_node *e = billi_json_at(base, i);
        BILLI_TRY(to_name(e, &c->base_id[i], "a charge id"));
        int j;
        for (j = 0; j < idx; j++)
            if (strcmp(v->charges[j].id, c->base_id[i]) == 0)
                break;
        if (j == idx)
            return FAIL(e, BILL_ERULE, "base charge '%s' is not a charge listed before this one",
                        c->base_id[i]);
        if (v->charges[j].type == BILLI_CH_PF || v->charges[j].type == BILLI_CH_MINIMUM ||
            v->charges[j].type == BILLI_CH_FEED_IN)
            return FAIL(e, BILL_ERULE, "base charge '%s' may not be a minimum, power_factor or "
                                       "feed_in charge", c->base_id[i]);
        for (size_t k = 0; k < i; k++)
            if (strcmp(c->base_id[k], c->base_id[i]) == 0)
                return FAIL(e, BILL_ECONFLICT, "base charge '%s' appears twice", c->base_id[i]);
    }
    c->nbase = (int)nb;
    int std = -1;
    c->pf_default = "";
    BILLI_TRY(get_choice(o, "standard", 0, stds, "power-factor standard", &std));
    if (std >= 0)
        c->pf_default = stds[std];
    BILLI_TRY(billi_json_get_bool(o, "require_kvarh", 0, &c->require_kvarh));
    n = billi_json_find(o, "table");
    if (n) {
        const char *text;
        size_t len;
        if (std < 0)
            return FAIL(o, BILL_ESYNTAX, "missing field 'standard' (a table needs its standard)");
        BILLI_TRY(billi_json_to_string(n, &text, &len));
        if (bill_pf_table_load(&c->pf_table, stds[std], text, len) != BILL_OK) {
            char msg[BILLI_ERRMSG_MAX];
            snprintf(msg, sizeof msg, "%s", bill_errmsg());
            return FAIL(n, bill_errcode(), "bad power-factor table: %s", msg);
        }
    }
    for (int i = 0; i < 3; i++)
        BILLI_TRY(bill_pf_table_create_standard(&c->pf_std[i], stds[i]));
    return BILL_OK;
}

/* feed_in: a price per exported kWh and the netting rule; one per version. */
static int load_feed_in(const billi_json_node *o, billi_charge *c, const billi_version *v, int idx)
{
    static const char *const keys[] = {"id", "type", "name", "price", "netting", "funds",
                                       "allow_negative_total", NULL};
    static const char *const nettings[] = {"net_metering", "net_billing", NULL};
    static const char *const funds[] = {"net", "gross", NULL};
    BILLI_TRY(billi_json_check_keys(o, keys, "feed_in charge"));
    for (int j = 0; j < idx; j++)
        if (v->charges[j].type == BILLI_CH_FEED_IN)
            return FAIL(billi_json_find(o, "type"), BILL_ECONFLICT,
                        "a version may have only one feed_in charge (it has '%s' already)",
                        v->charges[j].id);
    BILLI_TRY(get_dec_nonneg(o, "price", 1, &c->price, "a feed-in price"));
    BILLI_TRY(get_choice(o, "netting", 1, nettings, "netting rule", &c->netting));
    const billi_json_node *fn = billi_json_find(o, "funds");
    if (fn && c->netting != BILLI_NET_METERING)
        return FAIL(fn, BILL_ERULE, "'funds' applies to net_metering only (net_billing bills "
                                    "the funds on every imported kWh)");
    BILLI_TRY(get_choice(o, "funds", 0, funds, "funds basis", &c->funds_gross));
    c->allow_negative = 1;
    BILLI_TRY(billi_json_get_bool(o, "allow_negative_total", 0, &c->allow_negative));
    return BILL_OK;
}

/* ---- options ---------------------------------------------------------------------- */

/*
 * "options": {"basic_charge": {"values": ["capacity", ...], "default": "capacity"}}:
 * choices the customer makes; charges name them in "when".
 */
static int load_options(const billi_json_node *o, billi_version *v)
{
    static const char *const keys[] = {"values", "default", NULL};
    BILLI_TRY(billi_json_expect(o, BILLI_JSON_OBJECT));
    size_t n = billi_json_size(o);
    if (n > BILLI_MAX_OPTIONS)
        return FAIL(o, BILL_ERANGE, "a version may offer at most %d options", BILLI_MAX_OPTIONS);
    for (size_t i = 0; i < n; i++) {
        const billi_json_node *on = billi_json_at(o, i), *vals, *dn;
        billi_option *op = &v->options[i];
        size_t kl;
        const char *def;
        op->name = billi_json_key(on, &kl);
        BILLI_TRY(check_name(on, op->name, kl, "an option name"));
        BILLI_TRY(billi_json_check_keys(on, keys, "option"));
        BILLI_TRY(billi_json_get_array(on, "values", 1, &vals));
        size_t nv = billi_json_size(vals);
        if (nv == 0 || nv > BILLI_MAX_OPTION_VALUES)
            return FAIL(vals, BILL_ERANGE, "an option needs 1 to %d values",
                        BILLI_MAX_OPTION_VALUES);
        for (size_t k = 0; k < nv; k++) {
            const billi_json_node *e = billi_json_at(vals, k);
            BILLI_TRY(to_name(e, &op->value[k], "an option value"));
            for (size_t j = 0; j < k; j++)
                if (strcmp(op->value[j], op->value[k]) == 0)
                    return FAIL(e, BILL_ECONFLICT, "option value '%s' appears twice",
                                op->value[k]);
        }
        op->nvalues = (int)nv;
        BILLI_TRY(billi_json_get(on, "default", 1, &dn));
        BILLI_TRY(billi_json_to_string(dn, &def, NULL));
        op->def = -1;
        for (int k = 0; k < op->nvalues; k++)
            if (strcmp(op->value[k], def) == 0)
                op->def = k;
        if (op->def < 0) {
            char q[64];
            billi_quote(q, sizeof q, def, strlen(def));
            return FAIL(dn, BILL_ERULE, "default '%s' is not one of the option's values", q);
        }
        v->noptions = (int)i + 1;
    }
    return BILL_OK;
}

/* A charge's "when": {"option": "value", ...}, each option offered by the version. */
static int load_when(const billi_json_node *o, billi_charge *c, const billi_version *v)
{
    BILLI_TRY(billi_json_expect(o, BILLI_JSON_OBJECT));
    size_t n = billi_json_size(o);
    if (n == 0 || n > BILLI_MAX_WHEN)
        return FAIL(o, BILL_ERANGE, "'when' needs 1 to %d conditions", BILLI_MAX_WHEN);
    for (size_t i = 0; i < n; i++) {
        const billi_json_node *e = billi_json_at(o, i);
        size_t kl;
        const char *name = billi_json_key(e, &kl), *val;
        char q[64];
        int opt = -1;
        for (int k = 0; k < v->noptions; k++)
            if (strlen(v->options[k].name) == kl && memcmp(v->options[k].name, name, kl) == 0)
                opt = k;
        billi_quote(q, sizeof q, name, kl);
        if (opt < 0)
            return FAIL(e, BILL_ERULE, "unknown option '%s' (not in this version's \"options\")", q);
        BILLI_TRY(billi_json_to_string(e, &val, NULL));
        const billi_option *op = &v->options[opt];
        c->when_opt[i] = opt;
        c->when_val[i] = -1;
        for (int k = 0; k < op->nvalues; k++)
            if (strcmp(op->value[k], val) == 0)
                c->when_val[i] = k;
        if (c->when_val[i] < 0) {
            char qv[64];
            billi_quote(qv, sizeof qv, val, strlen(val));
            return FAIL(e, BILL_ERULE, "option '%s' has no value '%s'", op->name, qv);
        }
    }
    c->nwhen = (int)n;
    return BILL_OK;
}

static int load_charge(const billi_json_node *o, billi_charge *c, const billi_version *v, int idx)
{
    static const char *const types[] = {"fixed", "minimum", "energy", "per_kwh", "capacity",
                                        "demand", "power_factor", "feed_in", NULL};
    static const char *const later[] = {"tax", NULL};
    static const char *const k_cap[] = {"id", "type", "name", "price", "when", NULL};
    static const char *const k_fixed[] = {"id", "type", "name", "amount", "per", "when", NULL};
    static const char *const k_energy[] = {"id", "type", "name", "price", "components", "tiers",
                                           "tou", "when", NULL};
    static const char *const k_perkwh[] = {"id", "type", "name", "price", "exempt_classes",
                                           "when", NULL};
    static const char *const pers[] = {"period", "day", "month", NULL};
    const billi_json_node *idn, *typen;
    const char *type;

    BILLI_TRY(billi_json_expect(o, BILLI_JSON_OBJECT));
    BILLI_TRY(billi_json_get(o, "id", 1, &idn));
    BILLI_TRY(to_name(idn, &c->id, "a charge id"));
    for (int j = 0; j < idx; j++)
        if (strcmp(v->charges[j].id, c->id) == 0)
            return FAIL(idn, BILL_ECONFLICT, "charge id '%s' appears twice in this version", c->id);
    BILLI_TRY(billi_json_get(o, "type", 1, &typen));
    BILLI_TRY(billi_json_to_string(typen, &type, NULL));
    c->name = "";
    c->schedule = -1;
    for (int i = 0; later[i]; i++)
        if (strcmp(type, later[i]) == 0)
            return FAIL(typen, BILL_EUNSUPPORTED, "charge type '%s' is not supported yet", type);
    BILLI_TRY(get_choice(o, "type", 1, types, "charge type", &c->type));
    switch (c->type) {
    case BILLI_CH_FIXED:
    case BILLI_CH_MINIMUM:
        BILLI_TRY(billi_json_check_keys(o, k_fixed, c->type == BILLI_CH_FIXED ? "fixed charge"
                                                                        : "minimum charge"));
        BILLI_TRY(get_dec_nonneg(o, "amount", 1, &c->amount, "an amount"));
        c->per = BILLI_PER_MONTH;
        BILLI_TRY(get_choice(o, "per", 0, pers, "'per' value", &c->per));
        break;
    case BILLI_CH_ENERGY:
        BILLI_TRY(billi_json_check_keys(o, k_energy, "energy charge"));
        BILLI_TRY(load_energy(o, c, v));
        break;
    case BILLI_CH_CAPACITY:
        BILLI_TRY(billi_json_check_keys(o, k_cap, "capacity charge"));
        BILLI_TRY(get_dec_nonneg(o, "price", 1, &c->price, "a price"));
        break;
    case BILLI_CH_DEMAND:
        BILLI_TRY(load_demand(o, c, v));
        break;
    case BILLI_CH_PF:
        BILLI_TRY(load_pf(o, c, v, idx));
        break;
    case BILLI_CH_FEED_IN:
        BILLI_TRY(load_feed_in(o, c, v, idx));
        break;
    default: {
        BILLI_TRY(billi_json_check_keys(o, k_perkwh, "per_kwh charge"));
        BILLI_TRY(get_dec_nonneg(o, "price", 1, &c->price, "a price"));
        const billi_json_node *ex = NULL;
        BILLI_TRY(billi_json_get_array(o, "exempt_classes", 0, &ex));
        if (billi_json_size(ex) > BILLI_MAX_EXEMPT)
            return FAIL(ex, BILL_ERANGE, "at most %d exempt classes", BILLI_MAX_EXEMPT);
        for (size_t i = 0; i < billi_json_size(ex); i++)
            BILLI_TRY(to_name(billi_json_at(ex, i), &c->exempt[i], "a customer class"));
        c->nexempt = (int)billi_json_size(ex);
        break;
    }
    }
    const billi_json_node *nm = billi_json_find(o, "name");
    if (nm)
        BILLI_TRY(billi_json_to_string(nm, &c->name, NULL));
    const billi_json_node *when = billi_json_find(o, "when");
    if (when)
        BILLI_TRY(load_when(when, c, v));
    return BILL_OK;
}

static int load_version(const billi_json_node *o, billi_version *v, const billi_version *prev)
{
    static const char *const keys[] = {"effective", "note", "schedules", "options", "charges",
                                       NULL};
    const billi_json_node *eff, *charges, *schedules, *options;
    BILLI_TRY(billi_json_check_keys(o, keys, "version"));
    BILLI_TRY(billi_json_get(o, "effective", 1, &eff));
    BILLI_TRY(billi_json_to_date(eff, &v->effective));
    if (prev && bill_date_cmp(v->effective, prev->effective) <= 0)
        return FAIL(eff, BILL_ERULE, "versions must be in increasing order of their effective dates");
    const billi_json_node *note = billi_json_find(o, "note");
    if (note)
        BILLI_TRY(billi_json_to_string(note, &(const char *){NULL}, NULL));
    schedules = billi_json_find(o, "schedules");
    if (schedules)
        BILLI_TRY(load_schedules(schedules, v));
    options = billi_json_find(o, "options");
    if (options)
        BILLI_TRY(load_options(options, v));
    BILLI_TRY(billi_json_get_array(o, "charges", 1, &charges));
    size_t n = billi_json_size(charges);
    if (n == 0)
        return FAIL(charges, BILL_ERULE, "a version needs at least one charge");
    if (n > 256)
        return FAIL(charges, BILL_ERANGE, "a version may have at most 256 charges");
    v->charges = calloc(n, sizeof *v->charges);
    if (!v->charges)
        return billi_error(BILL_ENOMEM, "tariff: out of memory");
    v->feed_in = -1;
    for (size_t i = 0; i < n; i++) {
        v->ncharges = (int)i + 1;
        BILLI_TRY(load_charge(billi_json_at(charges, i), &v->charges[i], v, (int)i));
        if (v->charges[i].type == BILLI_CH_FEED_IN)
            v->feed_in = (int)i;
        if (v->charges[i].type == BILLI_CH_ENERGY && v->charges[i].has_tiers &&
            v->charges[i].tiers.basis == BILLI_BASIS_ANNUAL)
            v->has_annual = 1;
    }
    return BILL_OK;
}

static int load_tariff(bill_tariff *t, const billi_json_node *root)
{
    static const char *const keys[] = {"format", "id", "name", "description", "currency",
                                       "rounding", "price_basis", "vat_rate", "split_scale",
                                       "versions", NULL};
    static const char *const rkeys[] = {"mode", "scale", "apply", NULL};
    static const char *const applies[] = {"line", "total", NULL};
    static const char *const bases[] = {"vat_inclusive", "vat_exclusive", NULL};
    const billi_json_node *fmt, *n, *rounding, *versions;
    const char *s;

    BILLI_TRY(billi_json_expect(root, BILLI_JSON_OBJECT));
    BILLI_TRY(billi_json_check_keys(root, keys, "tariff"));
    BILLI_TRY(billi_json_get(root, "format", 1, &fmt));
    BILLI_TRY(billi_json_to_string(fmt, &s, NULL));
    if (strcmp(s, "libbill-tariff/1") != 0)
        return FAIL(fmt, BILL_EVERSION, "unsupported format (expected \"libbill-tariff/1\")");
    BILLI_TRY(billi_json_get(root, "id", 1, &n));
    BILLI_TRY(to_name(n, &t->id, "the tariff id"));
    t->name = "";
    BILLI_TRY(billi_json_get_string(root, "name", 0, &t->name, NULL));
    BILLI_TRY(billi_json_get_string(root, "description", 0, &s, NULL));
    BILLI_TRY(billi_json_get(root, "currency", 1, &n));
    BILLI_TRY(billi_json_to_string(n, &s, NULL));
    const bill_currency *cur;
    if (bill_currency_find(&cur, s) != BILL_OK)
        return FAIL(n, BILL_ECURRENCY, "unknown currency (expected an ISO 4217 code)");
    memcpy(t->currency, cur->code, 4);

    BILLI_TRY(billi_json_get_object(root, "rounding", 1, &rounding));
    BILLI_TRY(billi_json_check_keys(rounding, rkeys, "rounding"));
    BILLI_TRY(billi_json_get(rounding, "mode", 1, &n));
    BILLI_TRY(parse_mode(n, &t->round_mode));
    int64_t scale = cur->minor_units;
    BILLI_TRY(billi_json_get_int(rounding, "scale", 0, 0, 6, &scale));
    t->round_scale = (int)scale;
    t->round_apply = BILLI_APPLY_LINE;
    BILLI_TRY(get_choice(rounding, "apply", 1, applies, "rounding point", &t->round_apply));
    int64_t split_scale = BILLI_SPLIT_SCALE_DEFAULT;
    BILLI_TRY(billi_json_get_int(root, "split_scale", 0, 0, 6, &split_scale));
    t->split_scale = (int)split_scale;

    int basis = 0;
    BILLI_TRY(get_choice(root, "price_basis", 1, bases, "price basis", &basis));
    const billi_json_node *vat = billi_json_find(root, "vat_rate");
    if (vat) {
        BILLI_TRY(to_dec_nonneg(vat, &t->vat_rate, "the VAT rate"));
        t->vat = basis == 0 ? BILLI_VAT_INCLUSIVE : BILLI_VAT_EXCLUSIVE;
    } else if (basis == 1) {
        return FAIL(root, BILL_ESYNTAX, "missing field 'vat_rate' (VAT-exclusive prices need it)");
    }

    BILLI_TRY(billi_json_get_array(root, "versions", 1, &versions));
    size_t nv = billi_json_size(versions);
    if (nv == 0)
        return FAIL(versions, BILL_ERULE, "a tariff needs at least one version");
    if (nv > 1000)
        return FAIL(versions, BILL_ERANGE, "a tariff may have at most 1000 versions");
    t->versions = calloc(nv, sizeof *t->versions);
    if (!t->versions)
        return billi_error(BILL_ENOMEM, "tariff: out of memory");
    for (size_t i = 0; i < nv; i++) {
        t->nversions = (int)i + 1;
        BILLI_TRY(load_version(billi_json_at(versions, i), &t->versions[i],
                         i ? &t->versions[i - 1] : NULL));
    }
    return BILL_OK;
}

int bill_tariff_load(bill_tariff **out, const char *json, size_t len, const char *source)
{
    BILLI_CHECK_ARG(out != NULL, "out");
    *out = NULL;
    BILLI_CHECK_ARG(json != NULL, "json");
    bill_tariff *t = calloc(1, sizeof *t);
    if (!t)
        return billi_error(BILL_ENOMEM, "tariff: out of memory");
    int rc = billi_json_parse(&t->doc, json, len, source);
    if (rc == BILL_OK)
        rc = load_tariff(t, billi_json_root(t->doc));
    if (rc != BILL_OK) {
        bill_tariff_free(t);
        return rc;
    }
    {
        uuid_t id; /* tells this tariff from a later one at the same address (bill caches) */
        uuid_generate_random(id);
        memcpy(&t->uid, id, sizeof t->uid);
        t->uid |= 1;
    }
    billi_fast_compile(t);
    *out = t;
    return BILL_OK;
}

const char *bill_tariff_id(const bill_tariff *t) { return t ? t->id : ""; }
const char *bill_tariff_name(const bill_tariff *t) { return t ? t->name : ""; }
const char *bill_tariff_currency(const bill_tariff *t) { return t ? t->currency : ""; }
size_t bill_tariff_version_count(const bill_tariff *t) { return t ? (size_t)t->nversions : 0; }

int bill_tariff_version_effective(bill_date *out, const bill_tariff *t, size_t i)
{
    BILLI_CHECK_ARG(t != NULL, "t");
    BILLI_CHECK_ARG(out != NULL, "out");
    BILLI_CHECK_ARG(i < (size_t)t->nversions, "i");
    *out = t->versions[i].effective;
    return BILL_OK;
}

int bill_tariff_tou_period(const char **period, const bill_tariff *t, const char *charge_id, bill_datetime at, int day_type)
{
    BILLI_CHECK_ARG(t != NULL, "t");
    BILLI_CHECK_ARG(charge_id != NULL, "charge_id");
    BILLI_CHECK_ARG(period != NULL, "period");
    BILLI_CHECK_ARG(day_type >= 0 && day_type < BILLI_DAY_TYPES, "day_type");
    bill_date d = bill_datetime_date(at);
    int v = -1, month;
    for (int i = 0; i < t->nversions; i++)
        if (bill_date_cmp(t->versions[i].effective, d) <= 0)
            v = i;
    if (v < 0)
        return billi_error(BILL_ERULE, "tariff: no version in effect on that date");
    const billi_version *ver = &t->versions[v];
    for (int i = 0; i < ver->ncharges; i++) {
        const billi_charge *c = &ver->charges[i];
        if (strcmp(c->id, charge_id) != 0)
            continue;
        if (c->schedule < 0)
            break;
        const billi_schedule *sc = &ver->schedules[c->schedule];
        bill_date_to_ymd(d, NULL, &month, NULL);
        int slot = bill_datetime_minute_of_day(at) / sc->granularity;
        *period = sc->period[sc->slot[month - 1][day_type][slot]];
        return BILL_OK;
    }
    char q[64];
    billi_quote(q, sizeof q, charge_id, strlen(charge_id));
    return billi_error(BILL_ENOTFOUND, "tariff: no charge '%s' with a TOU schedule in the version "
                                       "in effect", q);
}
