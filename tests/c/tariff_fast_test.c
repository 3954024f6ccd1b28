/*
 * The fast path of bill_tariff_compute (libbill/tariff_fast.c) against the
 * general path: for every example tariff, and synthetic tariffs with several
 * versions, other rounding modes and every charge type, thousands of
 * pseudo-random usages (a fixed-seed PRNG) are billed twice, once as usual and
 * once into a bill forced onto the general path. Both must give the same
 * status, and then byte-identical JSON and text (or the same error message).
 */
#define _POSIX_C_SOURCE 200809L

#include "test.h"

#include <dirent.h>

/* tariff_fast.c, for tests only (hidden symbols, linked from libbill.a) */
void billi_bill_set_general_only(bill_bill *b, int on);
int billi_bill_used_fast(const bill_bill *b);

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* 0 .. n-1 */
static int64_t below(int64_t n) { return (int64_t)(rnd() % (uint64_t)n); }

static int chance(int percent) { return below(100) < percent; }

/* ---- tariffs ------------------------------------------------------------------------------ */

static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 17);
    size_t n = buf ? fread(buf, 1, (1 << 17) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* Synthetic tariffs: %s are the rounding mode, the apply and the price basis; ' becomes ". */
static const char *const synth[] = {
    /* three versions: fixed per month/day/period, annual tiers (upper boundary, large
     * household), funds with exemptions, minimum; then TOU ratios with demand (actual) and
     * power factor; then TOU prices over monthly tiers with capacity (general path only) */
    "{'format': 'libbill-tariff/1', 'id': 'synth-a', 'currency': 'CNY',"
    " 'rounding': {'mode': '%s', 'scale': %d, 'apply': '%s'}, 'price_basis': '%s', %s"
    " 'versions': ["
    "  {'effective': '2023-01-01', 'charges': ["
    "    {'id': 'service', 'type': 'fixed', 'amount': '20.00', 'per': 'month'},"
    "    {'id': 'meter', 'type': 'fixed', 'amount': '0.33', 'per': 'day'},"
    "    {'id': 'admin', 'type': 'fixed', 'amount': '7.5', 'per': 'period'},"
    "    {'id': 'energy', 'type': 'energy', 'price': '0.52837',"
    "     'tiers': {'basis': 'annual', 'boundary': 'upper', 'proration': 'days',"
    "               'thresholds': ['2160.5', '4200'], 'increments': ['0', '0.05', '0.3'],"
    "               'quota_scale': 1,"
    "               'large_household': {'min_persons': 5, 'extra_per_month': '100.25'}}},"
    "    {'id': 'funds', 'type': 'per_kwh', 'price': '0.0192', 'exempt_classes': ['agricultural', 'public']},"
    "    {'id': 'min', 'type': 'minimum', 'amount': '30', 'per': 'period'}]},"
    "  {'effective': '2024-07-15', 'charges': ["
    "    {'id': 'basic', 'type': 'demand', 'basis': 'actual', 'price': '25.5'},"
    "    {'id': 'energy', 'type': 'energy', 'components': ["
    "       {'name': 'purchase', 'price': '0.3800', 'tou': true}, {'name': 'grid', 'price': '0.1552'}],"
    "     'tou': {'ratios': {'peak': '1.69', 'flat': '1', 'valley': '0.46'}},"
    "     'tiers': {'basis': 'annual', 'boundary': 'lower', 'proration': 'months',"
    "               'thresholds': ['3000'], 'increments': ['0', '0.1']}},"
    "    {'id': 'pf', 'type': 'power_factor', 'base': ['basic', 'energy'], 'standard': '0.85'},"
    "    {'id': 'funds', 'type': 'per_kwh', 'price': '0.0192', 'exempt_classes': ['agricultural']},"
    "    {'id': 'min', 'type': 'minimum', 'amount': '15.5', 'per': 'month'}]},"
    "  {'effective': '2025-03-01', 'charges': ["
    "    {'id': 'capacity', 'type': 'capacity', 'price': '22'},"
    "    {'id': 'energy', 'type': 'energy', 'tou': {'prices': {'peak': '0.61', 'valley': '0.31'}},"
    "     'tiers': {'basis': 'monthly', 'boundary': 'lower', 'proration': 'days',"
    "               'thresholds': ['200', '400'], 'increments': ['0', '0.05', '0.3']}}]}]}",
    /* two versions of a contracted-demand tariff, non-plain components with tiers and no
     * TOU, the PF standard from the usage, plain TOU by ratios */
    "{'format': 'libbill-tariff/1', 'id': 'synth-b', 'currency': 'CNY',"
    " 'rounding': {'mode': '%s', 'scale': %d, 'apply': '%s'}, 'price_basis': '%s', %s"
    " 'versions': ["
    "  {'effective': '2022-06-01', 'charges': ["
    "    {'id': 'basic', 'type': 'demand', 'basis': 'contracted', 'price': '36',"
    "     'tolerance': '1.05', 'excess_multiplier': '2', 'min_fraction': '0.40'},"
    "    {'id': 'energy', 'type': 'energy', 'components': ["
    "       {'name': 'purchase', 'price': '0.35'}, {'name': 'grid', 'price': '0.125'}],"
    "     'tiers': {'basis': 'annual', 'boundary': 'lower', 'proration': 'none',"
    "               'thresholds': ['100000', '500000'], 'increments': ['0', '0', '0.02']}},"
    "    {'id': 'pf', 'type': 'power_factor', 'base': ['basic', 'energy']},"
    "    {'id': 'water', 'type': 'per_kwh', 'price': '0.0019'}]},"
    "  {'effective': '2025-01-01', 'charges': ["
    "    {'id': 'basic', 'type': 'demand', 'basis': 'contracted', 'price': '38.5', 'tolerance': '1.1'},"
    "    {'id': 'energy', 'type': 'energy', 'price': '0.41',"
    "     'tou': {'ratios': {'critical': '2.028', 'peak': '1.69', 'flat': '1', 'valley': '0.46'}}},"
    "    {'id': 'pf', 'type': 'power_factor', 'base': ['energy'], 'standard': '0.90', 'require_kvarh': true},"
    "    {'id': 'water', 'type': 'per_kwh', 'price': '0.0019'}]}]}",
    /* monthly (seasonal) tiers under the three prorations, capacity with suspensions */
    "{'format': 'libbill-tariff/1', 'id': 'synth-c', 'currency': 'CNY',"
    " 'rounding': {'mode': '%s', 'scale': %d, 'apply': '%s'}, 'price_basis': '%s', %s"
    " 'versions': ["
    "  {'effective': '2023-01-01', 'charges': ["
    "    {'id': 'capacity', 'type': 'capacity', 'price': '22.5'},"
    "    {'id': 'meter', 'type': 'fixed', 'amount': '0.5', 'per': 'day'},"
    "    {'id': 'energy', 'type': 'energy', 'price': '0.56',"
    "     'tiers': {'basis': 'monthly', 'boundary': 'upper', 'proration': 'months',"
    "               'seasons': [{'months': [5, 6, 7, 8, 9, 10], 'thresholds': ['260', '600.5']},"
    "                           {'months': [1, 2, 3, 4, 11, 12], 'thresholds': ['200', '400']}],"
    "               'increments': ['0', '0.05', '0.3'], 'quota_scale': 2, 'quota_rounding': 'HALF_EVEN',"
    "               'large_household': {'min_persons': 4, 'extra_per_month': '50'}}}]},"
    "  {'effective': '2024-09-10', 'charges': ["
    "    {'id': 'energy', 'type': 'energy', 'components': ["
    "       {'name': 'purchase', 'price': '0.3800', 'tou': true}, {'name': 'grid', 'price': '0.1552'}],"
    "     'tou': {'ratios': {'peak': '1.5', 'valley': '0.5'}},"
    "     'tiers': {'basis': 'monthly', 'boundary': 'lower', 'proration': 'none',"
    "               'seasons': [{'months': [1, 3, 5, 7, 9, 11], 'thresholds': ['300']},"
    "                           {'months': [2, 4, 6, 8, 10, 12], 'thresholds': ['250']}],"
    "               'increments': ['0', '0.1']}},"
    "    {'id': 'funds', 'type': 'per_kwh', 'price': '0.03'}]},"
    "  {'effective': '2025-05-01', 'charges': ["
    "    {'id': 'energy', 'type': 'energy', 'tou': {'prices': {'peak': '0.61', 'flat': '0.45', 'valley': '0.31'}},"
    "     'tiers': {'basis': 'monthly', 'boundary': 'lower', 'proration': 'days', 'quota_scale': 1,"
    "               'quota_rounding': 'DOWN',"
    "               'seasons': [{'months': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'thresholds': ['180', '350']}],"
    "               'increments': ['0', '0.05', '0.3']}},"
    "    {'id': 'min', 'type': 'minimum', 'amount': '1.5', 'per': 'day'}]}]}",
};

static bill_tariff *load_synth(int which, int variant)
{
    static const char *const modes[] = {"HALF_UP", "HALF_EVEN", "HALF_DOWN", "UP", "DOWN",
                                        "CEILING", "FLOOR"};
    static const char *const bases[] = {"vat_inclusive", "vat_exclusive", "vat_inclusive"};
    static const char *const vats[] = {"'vat_rate': '0.13',", "'vat_rate': '0.09',", ""};
    static char json[8192];
    int b = variant % 3;
    snprintf(json, sizeof json, synth[which], modes[variant % 7], variant % 4 == 3 ? 0 : 2 + variant % 2,
             variant % 2 ? "total" : "line", bases[b], vats[b]);
    for (char *p = json; *p; p++)
        if (*p == '\'')
            *p = '"';
    bill_tariff *t = NULL;
    if (bill_tariff_load(&t, json, strlen(json), "synth.json") != BILL_OK) {
        TEST_FAIL_("synthetic tariff %d/%d: %s", which, variant, bill_errmsg());
        return NULL;
    }
    return t;
}

/* ---- usages ------------------------------------------------------------------------------- */

static void set_dec(bill_dec *d, int64_t coef, int32_t scale)
{
    bill_dec_set_i64(d, coef, scale);
}

/* A kWh-like value: mostly ordinary, sometimes zero, huge, or past int64. */
static void random_qty(bill_dec *d, int64_t typical)
{
    int k = (int)below(100);
    int32_t scale = (int32_t)below(4);
    if (k < 3) {
        set_dec(d, 0, scale);
    } else if (k < 6) {
        set_dec(d, (int64_t)(rnd() >> (1 + below(20))), scale);   /* overflows somewhere */
    } else if (k < 8) {
        char s[80];
        snprintf(s, sizeof s, "%llu%019llu.%d", (unsigned long long)(rnd() >> 40),
                 (unsigned long long)(rnd() % 10000000000000000000ULL), (int)below(10));
        bill_dec_parse(d, s, (size_t)-1);                       /* a big value */
    } else {
        int64_t p = 1;
        for (int i = 0; i < scale; i++)
            p *= 10;
        set_dec(d, below(typical * p + 1), scale);
    }
}

static const char *const tou_names[] = {"peak", "valley", "flat", "critical", "sharp"};
static const char *const classes[] = {"residential", "commercial", "large_industry",
                                      "agricultural", "public"};

static bill_date day(int y, int m, int d)
{
    bill_date r = {0};
    bill_date_from_ymd(&r, y, m, d);
    return r;
}

static void random_usage(bill_usage *u)
{
    bill_dec d = BILL_DEC_INIT;
    bill_usage_reset(u);
    /* the period: a calendar month mostly, else any start and 1..400 days */
    int y = 2023 + (int)below(4), m = 1 + (int)below(12);
    bill_date start = day(y, m, 1), end;
    int shape = (int)below(12);
    if (shape >= 10) {
        /* around a version change of the tariffs here, or a new year */
        static const int change[][3] = {{2024, 7, 15}, {2025, 3, 1}, {2024, 9, 10}, {2025, 5, 1},
                                        {2025, 1, 1}, {2025, 7, 1}, {2024, 1, 1}};
        int c = (int)below(7);
        start = (bill_date){day(change[c][0], change[c][1], change[c][2]).day - 1 -
                            (int32_t)below(45)};
        end = (bill_date){start.day + 46 + (int32_t)below(60)};
    } else if (shape < 6) {
        end = day(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
    } else if (shape < 8) {
        start = day(y, m, 1 + (int)below(28));
        end = (bill_date){start.day + 1 + (int32_t)below(60)};
    } else if (shape < 9) {
        start = day(y, 12, 1 + (int)below(31));               /* across the year end */
        end = (bill_date){start.day + 1 + (int32_t)below(62)};
    } else {
        start = day(y, m, 1 + (int)below(28));
        end = (bill_date){start.day + 1 + (int32_t)below(400)};
    }
    if (!chance(1))
        bill_usage_set_period(u, (bill_period){start, end});
    bill_usage_set_class(u, classes[below(5)]);
    if (chance(30))
        bill_usage_set_household_size(u, 1 + (int)below(8));
    /* kWh: TOU registers (a random subset of names), a total, or both */
    int64_t typical = chance(50) ? 2000 : 2000000;
    int mode = (int)below(10);
    if (mode < 7) {
        /* mostly the periods of one of the tariffs (some left out), else any names */
        static const char *const sets[3][4] = {{"peak", "valley"},
                                               {"critical", "peak", "flat", "valley"},
                                               {"peak", "flat", "valley"}};
        static const int set_len[3] = {2, 4, 3};
        int set = (int)below(3), any = chance(10);
        int n = any ? 1 + (int)below(4) : set_len[set];
        int first = (int)below(5);
        bill_dec sum = BILL_DEC_INIT;
        for (int k = 0; k < n; k++) {
            if (!any && n > 1 && chance(5))
                continue;
            random_qty(&d, typical / n);
            bill_usage_set_tou_kwh(u, any ? tou_names[(first + k) % 5] : sets[set][k], &d);
            bill_dec_add(&sum, &sum, &d);
        }
        if (chance(20)) {
            if (chance(20))
                bill_dec_add(&sum, &sum, &(bill_dec){1, 1, 0, NULL});   /* they disagree */
            bill_usage_set_kwh(u, &sum);
        }
        bill_dec_clear(&sum);
    } else if (mode < 9) {
        random_qty(&d, typical);
        bill_usage_set_kwh(u, &d);
    }
    if (chance(70)) {
        random_qty(&d, 6000);
        bill_usage_set_ytd_kwh(u, &d);
    }
    if (chance(10))
        bill_usage_set_opened(u, day(y - (int)below(2), 1 + (int)below(12), 1 + (int)below(28)));
    if (chance(5)) {
        random_qty(&d, 100);
        bill_usage_set_reading(u, (bill_date){start.day + (int32_t)below(bill_date_diff(start, end) + 1)}, &d);
    }
    if (chance(3)) {
        set_dec(&d, below(50), 0);
        bill_usage_set_exported_kwh(u, &d);
    }
    /* two-part fields */
    if (chance(85)) {
        set_dec(&d, 100 + below(9000), (int32_t)below(2));
        bill_usage_set_capacity_kva(u, &d);
    }
    if (chance(85)) {
        set_dec(&d, 50 + below(5000), (int32_t)below(2));
        bill_usage_set_declared_kw(u, &d);
    }
    if (chance(85)) {
        set_dec(&d, below(60000), (int32_t)below(3));
        bill_usage_set_max_demand_kw(u, &d);
    }
    for (int k = (int)below(3) - 1; k > 0; k--) {
        bill_date s0 = {start.day - 10 + (int32_t)below(50)};
        set_dec(&d, 10 + below(500), (int32_t)below(2));
        bill_usage_add_suspended(u, (bill_period){s0, (bill_date){s0.day + 1 + (int32_t)below(40)}}, &d);
    }
    if (chance(70)) {
        random_qty(&d, typical);
        bill_usage_set_kvarh(u, &d);
    }
    if (chance(70)) {
        static const char *const std[] = {"0.90", "0.85", "0.80"};
        bill_usage_set_pf_standard(u, std[below(3)]);
    }
    bill_dec_clear(&d);
}

/* ---- the comparison ------------------------------------------------------------------------ */

struct tally {
    int bills, fast, errors, mismatches;
    int fast_split;           /* fast bills of periods split by a version change or new year */
};

static void compare(const bill_tariff *t, const bill_usage *u, bill_bill *fast, bill_bill *slow,
                    struct tally *tl, const char *what, int i)
{
    char msg[600] = "";
    int r1 = bill_tariff_compute(t, u, fast);
    if (r1 != BILL_OK)
        snprintf(msg, sizeof msg, "%s", bill_errmsg());
    int used = billi_bill_used_fast(fast);
    int r2 = bill_tariff_compute(t, u, slow);
    tl->bills++;
    tl->fast += used && r1 == BILL_OK;
    if (r1 != r2) {
        tl->mismatches++;
        TEST_FAIL_("%s usage #%d: fast path %s, general path %s (%s)", what, i,
                   bill_status_name(r1), bill_status_name(r2), r1 ? msg : bill_errmsg());
        return;
    }
    if (r1 != BILL_OK) {
        tl->errors++;
        if (getenv("FAST_TEST_VERBOSE") && getenv("FAST_TEST_ERRORS"))
            printf("ERR %s\n", msg);
        if (strcmp(msg, bill_errmsg()) != 0) {
            tl->mismatches++;
            TEST_FAIL_("%s usage #%d: messages differ: '%s' / '%s'", what, i, msg, bill_errmsg());
        }
        return;
    }
    char *j1 = bill_bill_to_json(fast), *j2 = bill_bill_to_json(slow);
    /* explanations name the segment's dates when the period is split */
    tl->fast_split += used && j1 && strstr(j1, ", in 20") != NULL;
    char *x1 = bill_bill_to_text(fast), *x2 = bill_bill_to_text(slow);
    if (!j1 || !j2 || strcmp(j1, j2) != 0 || !x1 || !x2 || strcmp(x1, x2) != 0) {
        tl->mismatches++;
        if (tl->mismatches < 5)
            TEST_FAIL_("%s usage #%d: the bills differ:\nfast    %s\ngeneral %s", what, i,
                       j1 ? j1 : "(null)", j2 ? j2 : "(null)");
    }
    bill_free(j1);
    bill_free(j2);
    bill_free(x1);
    bill_free(x2);
}

static void run_tariff(const bill_tariff *t, const char *what, int n, struct tally *all)
{
    bill_usage *u;
    bill_bill *fast, *slow;
    struct tally tl = {0, 0, 0, 0, 0};
    if (bill_usage_create(&u) != BILL_OK || bill_bill_create(&fast) != BILL_OK ||
        bill_bill_create(&slow) != BILL_OK) {
        TEST_FAIL_("%s", "out of memory");
        return;
    }
    billi_bill_set_general_only(slow, 1);
    for (int i = 0; i < n; i++) {
        random_usage(u);
        compare(t, u, fast, slow, &tl, what, i);
    }
    CHECK_INT(tl.mismatches, 0);
    if (getenv("FAST_TEST_VERBOSE"))
        printf("%-40s bills %5d fast %5d (split %4d) errors %5d\n", what, tl.bills, tl.fast,
               tl.fast_split, tl.errors);
    all->bills += tl.bills;
    all->fast += tl.fast;
    all->errors += tl.errors;
    all->mismatches += tl.mismatches;
    all->fast_split += tl.fast_split;
    bill_usage_free(u);
    bill_bill_free(fast);
    bill_bill_free(slow);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_fast_examples(void)
{
    /* BILL_TEST_DATA is <root>/tests/data */
    char dir[1024], path[1400];
    size_t rl = strlen(BILL_TEST_DATA) - strlen("/tests/data");
    snprintf(dir, sizeof dir, "%.*s/examples/tariffs", (int)rl, BILL_TEST_DATA);
    DIR *dp = opendir(dir);
    CHECK(dp != NULL);
    if (!dp)
        return;
    char *names[64];
    int nn = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL && nn < 64)
        if (strlen(e->d_name) > 5 && strcmp(e->d_name + strlen(e->d_name) - 5, ".json") == 0)
            names[nn++] = strdup(e->d_name);
    closedir(dp);
    qsort(names, (size_t)nn, sizeof names[0], by_name);
    CHECK(nn >= 5);
    struct tally all = {0, 0, 0, 0, 0};
    rng_state = 20251129;
    for (int i = 0; i < nn; i++) {
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *json = read_whole(path, &len);
        bill_tariff *t = NULL;
        CHECK(json != NULL);
        if (json)
            CHECK_OK(bill_tariff_load(&t, json, len, names[i]));
        if (t)
            run_tariff(t, names[i], 3000, &all);
        bill_tariff_free(t);
        free(json);
        free(names[i]);
    }
    /* the test means something only if both paths were taken often, and errors compared */
    CHECK(all.fast > all.bills / 5);
    CHECK(all.errors > all.bills / 20);
    CHECK(all.bills - all.errors - all.fast > all.bills / 50);
}

static void test_fast_synthetic(void)
{
    struct tally all = {0, 0, 0, 0, 0};
    rng_state = 77;
    for (int which = 0; which < 3; which++)
        for (int variant = 0; variant < 14; variant++) {
            bill_tariff *t = load_synth(which, variant);
            char what[64];
            snprintf(what, sizeof what, "synthetic %d/%d", which, variant);
            if (t)
                run_tariff(t, what, 600, &all);
            bill_tariff_free(t);
        }
    CHECK(all.fast > all.bills / 10);
    CHECK(all.fast_split > all.bills / 100);
    CHECK(all.errors > all.bills / 50);
    CHECK(all.bills - all.errors - all.fast > all.bills / 50);
}

/* The same bill handle switching between tariffs, paths and sizes keeps giving equal bills. */
static void test_fast_reuse(void)
{
    bill_tariff *a = load_synth(0, 0), *b = load_synth(1, 1);
    bill_usage *u;
    bill_bill *fast, *slow;
    struct tally tl = {0, 0, 0, 0, 0};
    if (!a || !b || bill_usage_create(&u) != BILL_OK || bill_bill_create(&fast) != BILL_OK ||
        bill_bill_create(&slow) != BILL_OK) {
        TEST_FAIL_("%s", "setup");
        return;
    }
    billi_bill_set_general_only(slow, 1);
    rng_state = 5;
    for (int i = 0; i < 2000; i++) {
        random_usage(u);
        compare(i % 3 ? a : b, u, fast, slow, &tl, "reuse", i);
    }
    CHECK_INT(tl.mismatches, 0);
    CHECK(tl.fast > 0);
    bill_usage_free(u);
    bill_bill_free(fast);
    bill_bill_free(slow);
    bill_tariff_free(a);
    bill_tariff_free(b);
}

void suite_tariff_fast(void)
{
    RUN(test_fast_examples);
    RUN(test_fast_synthetic);
    RUN(test_fast_reuse);
}
