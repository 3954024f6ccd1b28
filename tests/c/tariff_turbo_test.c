/*
 * The turbo path (tariff_fast.c): one-segment bills of energy, per_kWh, fixed and
 * minimum charges, with the period's part kept in the bill handle and line fields
 * written from templates only when a line's slot last held another one. These
 * tests bill runs of usages that share a period (so the kept state and the
 * templates are reused), mixed with usages the turbo path hands on (another
 * order of TOU names, an opening date, readings, values too big for int64),
 * into one handle with the turbo path on, one with it off (the fast path) and one
 * on the general path only, and require the same bill from all three: JSON, text
 * and every line's explanation. A tariff freed and another loaded (perhaps at the
 * same address) must not be billed from what the handle kept of the first.
 */
#define _POSIX_C_SOURCE 200809L

#include "test.h"
#include "tariff_util.h"

/* tariff_fast.c, for tests only (hidden symbols, linked from libbill.a) */
void billi_bill_set_general_only(bill_bill *b, int on);
void billi_bill_set_no_turbo(bill_bill *b, int on);
int billi_bill_used_fast(const bill_bill *b);
int billi_bill_used_turbo(const bill_bill *b);


static void set_dec(bill_dec *d, int64_t coef, int32_t scale)
{
    bill_dec_clear(d);
    CHECK_OK(bill_dec_set_i64(d, coef, scale));
}

/* a quantity around `typical` kWh at scale 0..3, sometimes 0, rarely too big for int64 */
static void qty(bill_dec *d, int64_t typical)
{
    int32_t s = (int32_t)tu_below(4);
    int64_t p = 1;
    for (int32_t i = 0; i < s; i++)
        p *= 10;
    if (tu_chance(3)) {
        set_dec(d, 0, s);
    } else if (tu_chance(1)) {
        CHECK_OK(bill_dec_parse(d, "123456789012345.123", (size_t)-1));
    } else {
        set_dec(d, tu_below(typical * 2 * p + 1), s);
    }
}

static const char *const sets[3][4] = {{"peak", "valley"},
                                       {"critical", "peak", "flat", "valley"},
                                       {"peak", "flat", "valley"}};
static const int set_len[3] = {2, 4, 3};
static const char *const classes[] = {"residential", "commercial", "large_industry",
                                      "agricultural", "residential"};

static void usage(bill_usage *u, bill_period p)
{
    bill_dec d = BILL_DEC_INIT, sum = BILL_DEC_INIT;
    bill_usage_reset(u);
    CHECK_OK(bill_usage_set_period(u, p));
    CHECK_OK(bill_usage_set_class(u, classes[tu_below(5)]));
    if (tu_chance(30))
        CHECK_OK(bill_usage_set_household_size(u, 1 + (int)tu_below(8)));
    int64_t typical = tu_chance(70) ? 400 : 200000;
    if (tu_chance(85)) {
        int set = (int)tu_below(3), n = set_len[set];
        int swap = tu_chance(5); /* the names in another order: handed on */
        for (int k = 0; k < n; k++) {
            int kk = swap && k < 2 ? 1 - k : k;
            qty(&d, typical / n);
            CHECK_OK(bill_usage_set_tou_kwh(u, sets[set][kk], &d));
            CHECK_OK(bill_dec_add(&sum, &sum, &d));
        }
        if (tu_chance(10))
            CHECK_OK(bill_usage_set_kwh(u, &sum));
    } else {
        qty(&d, typical);
        CHECK_OK(bill_usage_set_kwh(u, &d));
    }
    if (tu_chance(70)) {
        qty(&d, 4000);
        CHECK_OK(bill_usage_set_ytd_kwh(u, &d));
    }
    if (tu_chance(4))
        CHECK_OK(bill_usage_set_opened(u, (bill_date){p.start.day - 1 - (int32_t)tu_below(500)}));
    if (tu_chance(3)) {
        set_dec(&d, tu_below(100), 0);
        CHECK_OK(bill_usage_set_reading(u, (bill_date){p.start.day + 1}, &d));
    }
    if (tu_chance(50)) {
        set_dec(&d, 100 + tu_below(5000), 0);
        CHECK_OK(bill_usage_set_declared_kw(u, &d));
        CHECK_OK(bill_usage_set_capacity_kva(u, &d));
        set_dec(&d, tu_below(50000), 1);
        CHECK_OK(bill_usage_set_max_demand_kw(u, &d));
        set_dec(&d, tu_below(200000), 0);
        CHECK_OK(bill_usage_set_kvarh(u, &d));
        CHECK_OK(bill_usage_set_pf_standard(u, "0.90"));
    }
    bill_dec_clear(&d);
    bill_dec_clear(&sum);
}

/* JSON, text and every explanation of a bill, malloc'd; NULL on failure */
static char *everything(const bill_bill *b)
{
    char *j = bill_bill_to_json(b), *x = bill_bill_to_text(b);
    size_t cap = (j ? strlen(j) : 0) + (x ? strlen(x) : 0) + 64, len = 0;
    char *all = malloc(cap);
    if (!all || !j || !x) {
        free(all);
        bill_free(j);
        bill_free(x);
        return NULL;
    }
    len = (size_t)snprintf(all, cap, "%s\n%s\n", j, x);
    for (size_t i = 0; i < bill_bill_line_count(b); i++) {
        char *ex = bill_bill_line_explain(b, i);
        char e[512];
        snprintf(e, sizeof e, "%s", ex ? ex : "(explain failed)");
        bill_free(ex);
        size_t el = strlen(e);
        if (len + el + 2 > cap) {
            cap = (len + el + 2) * 2;
            char *n = realloc(all, cap);
            if (!n) {
                free(all);
                all = NULL;
                break;
            }
            all = n;
        }
        memcpy(all + len, e, el);
        len += el;
        all[len++] = '\n';
        all[len] = '\0';
    }
    bill_free(j);
    bill_free(x);
    return all;
}

struct tally {
    int bills, turbo, mismatches;
};

/* one usage into the three handles: the same status, message and bill from each */
static void three(const bill_tariff *t, const bill_usage *u, bill_bill *b[3], struct tally *tl,
                  const char *what, int i)
{
    int rc[3];
    char msg[3][300], *all[3] = {NULL, NULL, NULL};
    for (int k = 0; k < 3; k++) {
        rc[k] = bill_tariff_compute(t, u, b[k]);
        snprintf(msg[k], sizeof msg[k], "%s", rc[k] ? bill_errmsg() : "");
        if (rc[k] == BILL_OK)
            all[k] = everything(b[k]);
    }
    tl->bills++;
    tl->turbo += rc[0] == BILL_OK && billi_bill_used_turbo(b[0]);
    CHECK(!billi_bill_used_turbo(b[1]) && !billi_bill_used_fast(b[2]));
    for (int k = 1; k < 3; k++) {
        int same = rc[k] == rc[0] && strcmp(msg[k], msg[0]) == 0 &&
                   (rc[0] != BILL_OK || (all[0] && all[k] && strcmp(all[0], all[k]) == 0));
        if (!same) {
            tl->mismatches++;
            if (tl->mismatches < 4)
                TEST_FAIL_("%s usage #%d: %s differs from the turbo handle:\n%s (%s)\n%s\n--- vs ---\n%s (%s)\n%s",
                           what, i, k == 1 ? "the fast path" : "the general path",
                           bill_status_name(rc[0]), msg[0], all[0] ? all[0] : "",
                           bill_status_name(rc[k]), msg[k], all[k] ? all[k] : "");
        }
    }
    for (int k = 0; k < 3; k++)
        free(all[k]);
}


static bill_period month(int y, int m, int d, int days)
{
    bill_period p;
    CHECK_OK(bill_date_from_ymd(&p.start, y, m, d));
    p.end.day = p.start.day + days;
    return p;
}

/* A usage, and bills on the turbo path (b[0]), the fast path only (b[1]) and the general path
 * only (b[2]). */
static void three_handles(bill_usage **u, bill_bill *b[3])
{
    CHECK_OK(bill_usage_create(u));
    for (int k = 0; k < 3; k++)
        CHECK_OK(bill_bill_create(&b[k]));
    billi_bill_set_no_turbo(b[1], 1);
    billi_bill_set_general_only(b[2], 1);
}

static void test_turbo_runs(void)
{
    bill_tariff *t[16];
    CHECK(tu_example_count <= 16);
    for (size_t f = 0; f < tu_example_count; f++)
        t[f] = tu_example_tariff(tu_example_names[f]);
    bill_usage *u;
    bill_bill *b[3];
    three_handles(&u, b);
    /* whole months (one leap February), a period from mid-month, one across two months */
    bill_period periods[] = {month(2025, 6, 1, 30), month(2024, 2, 1, 29), month(2025, 3, 10, 30),
                             month(2025, 1, 1, 31), month(2024, 12, 10, 45), month(2025, 12, 1, 31)};
    struct tally all = {0, 0, 0}, res = {0, 0, 0};
    tu_seed(88172645463325252ULL);
    for (size_t pi = 0; pi < sizeof periods / sizeof periods[0]; pi++)
        for (size_t f = 0; f < tu_example_count; f++) {
            if (!t[f])
                continue;
            struct tally tl = {0, 0, 0};
            for (int i = 0; i < 250; i++) {
                usage(u, periods[pi]);
                /* now and then a bill under another tariff in between, same handles */
                const bill_tariff *other = t[(f + 1) % tu_example_count];
                const bill_tariff *tt = tu_chance(10) && other ? other : t[f];
                three(tt, u, b, &tl, tu_example_names[f], i);
            }
            all.bills += tl.bills;
            all.turbo += tl.turbo;
            all.mismatches += tl.mismatches;
            if (f < 4) {
                res.bills += tl.bills;
                res.turbo += tl.turbo;
            }
            if (getenv("FAST_TEST_VERBOSE"))
                printf("%-40s period %zu: bills %4d turbo %4d\n", tu_example_names[f], pi, tl.bills, tl.turbo);
        }
    CHECK_INT(all.mismatches, 0);
    /* the energy-only tariffs are mostly billed on the turbo path, the others partly */
    CHECK(res.turbo > res.bills / 3);
    CHECK(all.turbo < all.bills);
    for (size_t f = 0; f < tu_example_count; f++)
        bill_tariff_free(t[f]);
    bill_usage_free(u);
    for (int k = 0; k < 3; k++)
        bill_bill_free(b[k]);
}

/* Lines of varying count and kind in one handle: tiers entered and left, funds exempted. */
static void test_turbo_templates(void)
{
    bill_tariff *t = tu_load(
        "{'format': 'libbill-tariff/1', 'id': 'tt', 'name': 'turbo templates', 'currency': 'CNY',"
        " 'rounding': {'mode': 'HALF_EVEN', 'scale': 2, 'apply': 'line'},"
        " 'price_basis': 'vat_exclusive', 'vat_rate': '0.09',"
        " 'versions': [{'effective': '2020-01-01',"
        "  'schedules': {'s': {'granularity': 60, 'seasons': [{'months': [1,2,3,4,5,6,7,8,9,10,11,12],"
        "    'day_types': ['working', 'weekend', 'holiday'],"
        "    'periods': [{'from': '08:00', 'to': '22:00', 'period': 'peak'},"
        "                {'from': '22:00', 'to': '08:00', 'period': 'valley'}]}]}},"
        "  'charges': ["
        "   {'id': 'fix', 'type': 'fixed', 'name': 'Service', 'amount': '12.50', 'per': 'month'},"
        "   {'id': 'e', 'type': 'energy', 'name': 'Energy',"
        "    'components': [{'name': 'supply', 'price': '0.4', 'tou': true},"
        "                   {'name': 'network', 'price': '0.1234'}],"
        "    'tou': {'schedule': 's', 'ratios': {'peak': '1.5', 'valley': '0.5'}},"
        "    'tiers': {'basis': 'monthly', 'boundary': 'lower', 'proration': 'days',"
        "              'thresholds': ['150', '400'], 'increments': ['0', '0.05', '0.3']}},"
        "   {'id': 'fund', 'type': 'per_kwh', 'name': 'Fund', 'price': '0.0062',"
        "    'exempt_classes': ['agricultural']},"
        "   {'id': 'min', 'type': 'minimum', 'name': 'Minimum', 'amount': '30', 'per': 'month'}]}]}");
    if (!t)
        return;
    bill_usage *u;
    bill_bill *b[3];
    three_handles(&u, b);
    struct tally tl = {0, 0, 0};
    tu_seed(4242);
    bill_period p = month(2025, 4, 1, 30), q = month(2025, 4, 11, 35);
    for (int i = 0; i < 1500; i++) {
        bill_dec d = BILL_DEC_INIT;
        bill_usage_reset(u);
        CHECK_OK(bill_usage_set_period(u, i % 500 < 450 ? p : q));
        CHECK_OK(bill_usage_set_class(u, tu_chance(20) ? "agricultural" : "residential"));
        /* 0 to 700 kWh: below, inside and above the tiers, under the minimum */
        int64_t peak = tu_below(3500), valley = tu_below(3500);
        set_dec(&d, peak, 1);
        CHECK_OK(bill_usage_set_tou_kwh(u, "peak", &d));
        if (tu_chance(5)) /* many decimals: the tiers without the period's integer quotas */
            set_dec(&d, valley * 10000000 + tu_below(10000000), 8);
        else
            set_dec(&d, valley, (int32_t)tu_below(3));
        CHECK_OK(bill_usage_set_tou_kwh(u, "valley", &d));
        bill_dec_clear(&d);
        three(t, u, b, &tl, "templates", i);
    }
    CHECK_INT(tl.mismatches, 0);
    CHECK(tl.turbo > tl.bills * 9 / 10);
    bill_tariff_free(t);
    bill_usage_free(u);
    for (int k = 0; k < 3; k++)
        bill_bill_free(b[k]);
}

/* A tariff freed and another loaded in its place: nothing kept from the first is used. */
static void test_turbo_new_tariff(void)
{
    static const char *const prices[] = {"0.5583", "0.6000", "0.5583"};
    bill_usage *u;
    bill_bill *b, *g;
    CHECK_OK(bill_usage_create(&u));
    CHECK_OK(bill_bill_create(&b));
    CHECK_OK(bill_bill_create(&g));
    billi_bill_set_general_only(g, 1);
    CHECK_OK(tu_usage(u, "{'period': '2025-06-01/2025-07-01', 'class': 'residential',"
                         " 'tou_kwh': {'peak': '300', 'valley': '120'}, 'ytd_kwh': '2761'}"));
    for (int i = 0; i < 3; i++) {
        char text[1400];
        snprintf(text, sizeof text,
                 "{'format': 'libbill-tariff/1', 'id': 'r', 'name': 'r', 'currency': 'CNY',"
                 " 'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'},"
                 " 'price_basis': 'vat_inclusive', 'vat_rate': '0.13',"
                 " 'versions': [{'effective': '2012-07-01',"
                 "  'schedules': {'r': {'granularity': 60, 'seasons': [{'months': [1,2,3,4,5,6,7,8,9,10,11,12],"
                 "    'day_types': ['working', 'weekend', 'holiday'],"
                 "    'periods': [{'from': '08:00', 'to': '21:00', 'period': 'peak'},"
                 "                {'from': '21:00', 'to': '08:00', 'period': 'valley'}]}]}},"
                 "  'charges': [{'id': 'energy', 'type': 'energy', 'name': 'Electricity',"
                 "   'tou': {'schedule': 'r', 'prices': {'peak': '%s', 'valley': '0.3583'}},"
                 "   'tiers': {'basis': 'annual', 'boundary': 'lower', 'proration': 'months',"
                 "             'thresholds': ['3120', '4800'], 'increments': ['0', '0.05', '0.30']}}]}]}",
                 prices[i]);
        bill_tariff *t = tu_load(text);
        if (!t)
            break;
        CHECK_OK(bill_tariff_compute(t, u, b));
        CHECK(billi_bill_used_turbo(b));
        CHECK_OK(bill_tariff_compute(t, u, g));
        char *x = bill_bill_to_json(b), *y = bill_bill_to_json(g);
        CHECK(x && y && strcmp(x, y) == 0);
        CHECK(x && strstr(x, prices[i]) != NULL);
        bill_free(x);
        bill_free(y);
        bill_tariff_free(t);
    }
    bill_usage_free(u);
    bill_bill_free(b);
    bill_bill_free(g);
}

void suite_tariff_turbo(void)
{
    RUN(test_turbo_runs);
    RUN(test_turbo_templates);
    RUN(test_turbo_new_tariff);
}
