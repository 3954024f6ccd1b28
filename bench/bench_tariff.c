/*
 * Bill throughput: bill_tariff_compute() over many accounts with one tariff.
 *
 * Three tariffs of examples/tariffs are loaded once:
 *   residential  cn-residential-annual-tou.json: peak/valley prices plus annual
 *                tier increments (3120 / 4800 kWh a year), HALF_UP per line;
 *   commercial   cn-commercial-tou.json: monthly fixed charge, four price
 *                components (one scaled by TOU ratios), funds per kWh, a monthly
 *                minimum, VAT added, HALF_UP on the total;
 *   industry     cn-large-industry.json: basic charge on the declared demand (raised
 *                to 40 % of the installed kVA, demand above 105 % at twice the
 *                price), four TOU periods, the power-factor adjustment at standard
 *                0.90 on basic + energy, three funds, VAT inclusive, HALF_UP per line.
 * For each, N usage handles are prepared in memory from a simple integer
 * formula (the same formula bench_tariff.py uses), and one bill handle is
 * reused for every computation, as a billing run would. Only
 * bill_tariff_compute() and reading the total are timed.
 *
 * The same bills are then timed again with the fast path switched off
 * (billi_bill_set_general_only), to show what the general path alone does.
 *
 * Before timing, a few bills are checked against totals computed by hand
 * (the run fails on a mismatch). The sum of the N totals of each tariff is
 * printed as exact decimal text: bench/run.sh compares it with the sum the
 * Python decimal implementation gives. Memory: the maximum resident set size
 * (getrusage) is read after the timed bills and again after as many more,
 * so that it is seen to stay flat (the bill handle allocates nothing once
 * grown).
 *
 * Usage: bench_tariff [seconds-per-measurement [TARIFF-DIR]]
 *        (defaults 1.0 and examples/tariffs)
 */
#define _POSIX_C_SOURCE 199309L

#include "bill.h"
#include "tariff_internal.h"   /* billi_bill_set_general_only, billi_bill_used_fast */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define N 4096

static double min_seconds = 1.0;
static const char *tariff_dir = "examples/tariffs";

static void die(const char *what)
{
    fprintf(stderr, "bench_tariff: %s: %s\n", what, bill_errmsg());
    exit(1);
}

static bill_tariff *load_tariff(const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", tariff_dir, file);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_tariff: cannot open %s\n", path);
        exit(1);
    }
    static char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    bill_tariff *t;
    if (bill_tariff_load(&t, buf, len, path) != BILL_OK)
        die("loading the tariff");
    return t;
}

static bill_period june_2025(void)
{
    bill_period p;
    if (bill_period_parse(&p, "2025-06-01/2025-07-01", (size_t)-1) != BILL_OK)
        die("period");
    return p;
}

static void set_tou(bill_usage *u, const char *period, int64_t units, int32_t scale)
{
    bill_dec d = BILL_DEC_INIT;
    if (bill_dec_set_i64(&d, units, scale) != BILL_OK || bill_usage_set_tou_kwh(u, period, &d) != BILL_OK)
        die("TOU kWh");
    bill_dec_clear(&d);
}

/* ---- the usage formulas (bench_tariff.py has the same) --------------------------------- */

/* Residential account i: 50.0-900.0 kWh (tenths) split 30-80 % peak, year-to-date 0-5000 kWh. */
static void residential_usage(int i, int64_t *peak_t, int64_t *valley_t, int64_t *ytd)
{
    int64_t total = 500 + ((int64_t)i * 7919) % 8501;
    *peak_t = total * (30 + ((int64_t)i * 37) % 51) / 100;
    *valley_t = total - *peak_t;
    *ytd = ((int64_t)i * 104729) % 5001;
}

/*
 * Commercial account i, in hundredths of kWh: one in 16 tiny (0-40 kWh, under
 * the minimum bill), the others 1000-10000 kWh; split into critical, peak,
 * flat and valley registers.
 */
static void commercial_usage(int i, int64_t reg[4])
{
    int64_t total = i % 16 == 0 ? ((int64_t)i * 37) % 4001 : 100000 + ((int64_t)i * 7919) % 900001;
    reg[0] = total * (i % 6) / 100;
    reg[1] = total * (20 + i % 21) / 100;
    reg[2] = total * (25 + i % 17) / 100;
    reg[3] = total - reg[0] - reg[1] - reg[2];
}

/*
 * Large-industry account i: 50,000-2,000,000 kWh split into critical 0-5 %, peak
 * 20-40 %, flat 25-41 % and valley; declared demand 200-5000 kW, installed capacity
 * 1000-9000 kVA (so some declared values are below the 40 % floor); maximum demand
 * (tenths of kW) 80-120 % of the billed demand C (above 1.05 C in 15 of 41 accounts);
 * kvarh 10-105 % of the kWh, a power factor of 0.69-1.00.
 */
struct industry { int64_t reg[4], capacity, declared, max_demand_t, kvarh; };

static void industry_usage(int i, struct industry *x)
{
    int64_t total = 50000 + ((int64_t)i * 7919) % 1950001;
    x->reg[0] = total * (i % 6) / 100;
    x->reg[1] = total * (20 + i % 21) / 100;
    x->reg[2] = total * (25 + i % 17) / 100;
    x->reg[3] = total - x->reg[0] - x->reg[1] - x->reg[2];
    x->declared = 200 + ((int64_t)i * 131) % 4801;
    x->capacity = 1000 + ((int64_t)i * 61) % 8001;
    int64_t c_t = x->declared * 10 > x->capacity * 4 ? x->declared * 10 : x->capacity * 4;
    x->max_demand_t = c_t * (80 + ((int64_t)i * 7) % 41) / 100;
    x->kvarh = total * (10 + ((int64_t)i * 53) % 96) / 100;
}

static void make_industry(bill_usage *u, const struct industry *x)
{
    static const char *const names[4] = {"critical", "peak", "flat", "valley"};
    bill_dec d = BILL_DEC_INIT;
    bill_usage_reset(u);
    if (bill_usage_set_period(u, june_2025()) != BILL_OK || bill_usage_set_class(u, "large_industry") != BILL_OK)
        die("industry usage");
    for (int k = 0; k < 4; k++)
        set_tou(u, names[k], x->reg[k], 0);
    if (bill_dec_set_i64(&d, x->capacity, 0) != BILL_OK || bill_usage_set_capacity_kva(u, &d) != BILL_OK ||
        bill_dec_set_i64(&d, x->declared, 0) != BILL_OK || bill_usage_set_declared_kw(u, &d) != BILL_OK ||
        bill_dec_set_i64(&d, x->max_demand_t, 1) != BILL_OK || bill_usage_set_max_demand_kw(u, &d) != BILL_OK ||
        bill_dec_set_i64(&d, x->kvarh, 0) != BILL_OK || bill_usage_set_kvarh(u, &d) != BILL_OK ||
        bill_usage_set_pf_standard(u, "0.90") != BILL_OK)
        die("industry usage");
    bill_dec_clear(&d);
}

static void make_residential(bill_usage *u, int64_t peak_t, int64_t valley_t, int64_t ytd)
{
    bill_dec d = BILL_DEC_INIT;
    bill_usage_reset(u);
    if (bill_usage_set_period(u, june_2025()) != BILL_OK || bill_usage_set_class(u, "residential") != BILL_OK)
        die("residential usage");
    set_tou(u, "peak", peak_t, 1);
    set_tou(u, "valley", valley_t, 1);
    if (bill_dec_set_i64(&d, ytd, 0) != BILL_OK || bill_usage_set_ytd_kwh(u, &d) != BILL_OK)
        die("year-to-date kWh");
    bill_dec_clear(&d);
}

static void make_commercial(bill_usage *u, const int64_t reg[4])
{
    static const char *const names[4] = {"critical", "peak", "flat", "valley"};
    bill_usage_reset(u);
    if (bill_usage_set_period(u, june_2025()) != BILL_OK || bill_usage_set_class(u, "commercial") != BILL_OK)
        die("commercial usage");
    for (int k = 0; k < 4; k++)
        set_tou(u, names[k], reg[k], 2);
}

/* ---- checks against hand-computed bills ----------------------------------------------------- */

static int check_total(const bill_tariff *t, const bill_usage *u, bill_bill *b, const char *what,
                       const char *expected)
{
    bill_dec total = BILL_DEC_INIT;
    char got[64];
    if (bill_tariff_compute(t, u, b) != BILL_OK)
        die(what);
    bill_bill_total(&total, b);
    bill_dec_format(&total, got, sizeof got);
    bill_dec_clear(&total);
    if (strcmp(got, expected) != 0) {
        fprintf(stderr, "bench_tariff: %s: libbill gives %s, computed by hand %s\n", what, got, expected);
        return 1;
    }
    printf("  %-58s %10s  ok\n", what, got);
    return 0;
}

static int hand_checks(const bill_tariff *res, const bill_tariff *com, const bill_tariff *ind, bill_bill *b)
{
    bill_usage *u;
    int bad = 0;
    int64_t reg[4];
    if (bill_usage_create(&u) != BILL_OK)
        die("usage");
    printf("checks against bills computed by hand:\n");
    /* examples/usage/residential-tou-june.json: 300 x 0.5583 = 167.49, 120 x 0.3583
     * = 42.996 -> 43.00, kWh 3121-3181 in tier 2: 61 x 0.05 = 3.05; 213.54 */
    make_residential(u, 3000, 1200, 2761);
    bad |= check_total(res, u, b, "residential 300 peak + 120 valley, ytd 2761", "213.54");
    /* 600 peak + 300 valley, ytd 4500: 334.98 + 107.49; tier 2 4501-4800: 300 x 0.05
     * = 15.00; tier 3 4801-5400: 600 x 0.30 = 180.00; 637.47 */
    make_residential(u, 6000, 3000, 4500);
    bad |= check_total(res, u, b, "residential 600 peak + 300 valley, ytd 4500", "637.47");
    /* account #1 of the formula: 841.9 kWh = 564.0 peak (67 %) + 277.9 valley, ytd 4709:
     * 314.8812 -> 314.88, 99.57157 -> 99.57, kWh 4710-4800 in tier 2: 91 x 0.05 = 4.55,
     * the other 750.9 in tier 3: 750.9 x 0.30 = 225.27; 644.27 */
    {
        int64_t p, v, y;
        residential_usage(1, &p, &v, &y);
        make_residential(u, p, v, y);
        bad |= check_total(res, u, b, "residential account #1 (841.9 kWh, ytd 4709)", "644.27");
    }
    /* examples/usage/commercial-tou-june.json: 3029.11457 before VAT, x 1.13 =
     * 3422.8994641 -> 3422.90 */
    reg[0] = 12050; reg[1] = 134000; reg[2] = 150025; reg[3] = 221000;
    make_commercial(u, reg);
    bad |= check_total(com, u, b, "commercial example (5170.75 kWh)", "3422.90");
    /* 10 kWh flat: 20 + 10 x (0.38 + 0.1552 + 0.0121 + 0.0153) + 10 x 0.03 = 25.926,
     * minimum 50 -> top-up 24.074; VAT 6.50; 56.50 */
    reg[0] = 0; reg[1] = 0; reg[2] = 1000; reg[3] = 0;
    make_commercial(u, reg);
    bad |= check_total(com, u, b, "commercial 10 kWh flat (minimum bill)", "56.50");
    {
        struct industry x;
        /* examples/usage/large-industry-june.json: C 2000 (floor 1260), D 2150 > T 2100:
         * 2100 x 36 = 75600 + excess 50 x 2 x 36 = 3600; energy: 60000 x 0.7098 = 42588,
         * 300000 x 0.5915 = 177450, 400000 x 0.35 = 140000, 440000 x 0.161 = 70840,
         * 1200000 x (0.12 + 0.01 + 0.015) = 174000; base 684078; PF 1200000 / sqrt(1200000^2
         * + 712000^2) = 0.860 -> 0.86: +2.00% = 13681.56; funds 1200000 x 0.0271 = 32520;
         * 730279.56 */
        x = (struct industry){{60000, 300000, 400000, 440000}, 3150, 2000, 21500, 712000};
        make_industry(u, &x);
        bad |= check_total(ind, u, b, "large industry example (1.2 GWh, PF 0.86)", "730279.56");
        /* 100000 kWh flat, declared 1500 kW below the floor 0.40 x 5000 = 2000, D 2000 <= 2100:
         * 2000 x 36 = 72000; energy 35000 + 12000 + 1000 + 1500 = 49500; base 121500; kvarh
         * 20000: PF 1 / sqrt(1.04) = 0.981 -> 0.98: -0.75% = -911.25; funds 2710; 123298.75 */
        x = (struct industry){{0, 0, 100000, 0}, 5000, 1500, 20000, 20000};
        make_industry(u, &x);
        bad |= check_total(ind, u, b, "large industry at the 40% floor, PF 0.98 (rebate)", "123298.75");
        /* 200000 kWh valley, C 1000, D 1200 > 1050: 37800 + excess 150 x 2 x 36 = 10800;
         * energy 200000 x 0.161 = 32200 + 29000; base 109800; kvarh 240000: PF 2 / sqrt(9.76)
         * = 0.640 -> 0.64, 26 steps: 10 + 5 + 2 = +17.00% = 18666.00; funds 5420; 133886.00 */
        x = (struct industry){{0, 0, 0, 200000}, 2000, 1000, 12000, 240000};
        make_industry(u, &x);
        bad |= check_total(ind, u, b, "large industry excess demand, PF 0.64 (+17%)", "133886.00");
    }
    bill_usage_free(u);
    return bad;
}

/* ---- timing --------------------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long max_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static volatile int64_t sink;

/* One pass: every usage billed once into the same bill; 0 or the failing index + 1. */
static int pass(const bill_tariff *t, bill_usage *const *u, bill_bill *b, bill_dec *total)
{
    for (int i = 0; i < N; i++) {
        if (bill_tariff_compute(t, u[i], b) != BILL_OK)
            return i + 1;
        bill_bill_total(total, b);
        sink += bill_dec_sign(total);
    }
    return 0;
}

struct result {
    double rate, general_rate;
    int fast;                 /* bills of the N computed by the fast path */
    long passes;
    long rss1, rss2;
    char checksum[64];
};

static void run(struct result *r, const char *name, const bill_tariff *t, bill_usage *const *u, bill_bill *b)
{
    bill_dec total = BILL_DEC_INIT, sum = BILL_DEC_INIT;
    /* the checksum: the sum of the N totals, exact */
    for (int i = 0; i < N; i++) {
        if (bill_tariff_compute(t, u[i], b) != BILL_OK) {
            fprintf(stderr, "bench_tariff: %s account #%d: %s\n", name, i, bill_errmsg());
            exit(1);
        }
        bill_bill_total(&total, b);
        bill_dec_add(&sum, &sum, &total);
    }
    bill_dec_format(&sum, r->checksum, sizeof r->checksum);
    r->fast = 0;
    for (int i = 0; i < N; i++) {
        bill_tariff_compute(t, u[i], b);
        r->fast += billi_bill_used_fast(b);
    }

    pass(t, u, b, &total);   /* warm up */
    long passes = 0;
    double t0 = now(), t1;
    do {
        if (pass(t, u, b, &total) != 0)
            die(name);
        passes++;
        t1 = now();
    } while (t1 - t0 < min_seconds);
    r->rate = (double)passes * N / (t1 - t0);
    r->passes = passes;
    /* memory: after the timed bills, then after as many again */
    r->rss1 = max_rss_kib();
    for (long k = 0; k < passes; k++)
        if (pass(t, u, b, &total) != 0)
            die(name);
    r->rss2 = max_rss_kib();
    /* the same bills with the fast path switched off */
    billi_bill_set_general_only(b, 1);
    passes = 0;
    t0 = now();
    do {
        if (pass(t, u, b, &total) != 0)
            die(name);
        passes++;
        t1 = now();
    } while (t1 - t0 < min_seconds);
    r->general_rate = (double)passes * N / (t1 - t0);
    billi_bill_set_general_only(b, 0);
    bill_dec_clear(&total);
    bill_dec_clear(&sum);
}

/* ---- batches: the same accounts as columns (bill_batch_compute, every total read) ----- */

static bill_batch *make_batch(const bill_tariff *t, int which)
{
    static int64_t col[7][N];
    static const char *const names[4] = {"critical", "peak", "flat", "valley"};
    bill_batch *bt;
    if (bill_batch_create(&bt, t, june_2025(), N) != BILL_OK)
        die("batch");
    int rc = BILL_OK;
    if (which == 0) {
        for (int i = 0; i < N; i++)
            residential_usage(i, &col[0][i], &col[1][i], &col[2][i]);
        rc |= bill_batch_set_class(bt, "residential");
        rc |= bill_batch_set_tou_kwh(bt, "peak", col[0], 1);
        rc |= bill_batch_set_tou_kwh(bt, "valley", col[1], 1);
        rc |= bill_batch_set_ytd_kwh(bt, col[2], 0);
    } else if (which == 1) {
        for (int i = 0; i < N; i++) {
            int64_t reg[4];
            commercial_usage(i, reg);
            for (int k = 0; k < 4; k++)
                col[k][i] = reg[k];
        }
        rc |= bill_batch_set_class(bt, "commercial");
        for (int k = 0; k < 4; k++)
            rc |= bill_batch_set_tou_kwh(bt, names[k], col[k], 2);
    } else {
        for (int i = 0; i < N; i++) {
            struct industry x;
            industry_usage(i, &x);
            for (int k = 0; k < 4; k++)
                col[k][i] = x.reg[k];
            col[4][i] = x.capacity;
            col[5][i] = x.declared;
            col[6][i] = x.max_demand_t;
        }
        rc |= bill_batch_set_class(bt, "large_industry");
        for (int k = 0; k < 4; k++)
            rc |= bill_batch_set_tou_kwh(bt, names[k], col[k], 0);
        rc |= bill_batch_set_capacity_kva(bt, col[4], 0);
        rc |= bill_batch_set_declared_kw(bt, col[5], 0);
        rc |= bill_batch_set_max_demand_kw(bt, col[6], 1);
        for (int i = 0; i < N; i++) {
            struct industry x;
            industry_usage(i, &x);
            col[4][i] = x.kvarh;
        }
        rc |= bill_batch_set_kvarh(bt, col[4], 0);
        rc |= bill_batch_set_pf_standard(bt, "0.90");
    }
    if (rc != BILL_OK)
        die("batch columns");
    return bt;
}

/* One pass: the batch computed and every total read; 0 or -1. */
static int batch_pass(bill_batch *bt, bill_dec *total)
{
    if (bill_batch_compute(bt) != BILL_OK || bill_batch_failed(bt) != 0)
        return -1;
    for (int i = 0; i < N; i++) {
        if (bill_batch_total(total, bt, (size_t)i) != BILL_OK)
            return -1;
        sink += bill_dec_sign(total);
    }
    return 0;
}

struct bresult {
    double rate;
    size_t kernel;
    long rss1, rss2;          /* max RSS after the timed passes, then after as many more */
    char checksum[64];
};

static void run_batch(struct bresult *r, const char *name, const bill_tariff *t, int which)
{
    bill_batch *bt = make_batch(t, which);
    bill_dec total = BILL_DEC_INIT, sum = BILL_DEC_INIT;
    if (batch_pass(bt, &total) != 0)
        die(name);
    for (int i = 0; i < N; i++) {
        bill_batch_total(&total, bt, (size_t)i);
        bill_dec_add(&sum, &sum, &total);
    }
    bill_dec_format(&sum, r->checksum, sizeof r->checksum);
    r->kernel = bill_batch_kernel_count(bt);
    long passes = 0;
    double t0 = now(), t1;
    do {
        if (batch_pass(bt, &total) != 0)
            die(name);
        passes++;
        t1 = now();
    } while (t1 - t0 < min_seconds);
    r->rate = (double)passes * N / (t1 - t0);
    r->rss1 = max_rss_kib();
    for (long k = 0; k < passes; k++)
        if (batch_pass(bt, &total) != 0)
            die(name);
    r->rss2 = max_rss_kib();
    bill_dec_clear(&total);
    bill_dec_clear(&sum);
    bill_batch_free(bt);
}

int main(int argc, char **argv)
{
    static bill_usage *ures[N], *ucom[N], *uind[N];
    if (argc > 1)
        min_seconds = atof(argv[1]);
    if (argc > 2)
        tariff_dir = argv[2];

    bill_tariff *res = load_tariff("cn-residential-annual-tou.json");
    bill_tariff *com = load_tariff("cn-commercial-tou.json");
    bill_tariff *ind = load_tariff("cn-large-industry.json");
    bill_bill *b;
    if (bill_bill_create(&b) != BILL_OK)
        die("bill");

    if (hand_checks(res, com, ind, b)) {
        fprintf(stderr, "bench_tariff: bills differ from the hand-computed totals; not timing\n");
        return 1;
    }

    for (int i = 0; i < N; i++) {
        int64_t p, v, y, reg[4];
        struct industry x;
        if (bill_usage_create(&ures[i]) != BILL_OK || bill_usage_create(&ucom[i]) != BILL_OK ||
            bill_usage_create(&uind[i]) != BILL_OK)
            die("usage");
        industry_usage(i, &x);
        make_industry(uind[i], &x);
        residential_usage(i, &p, &v, &y);
        make_residential(ures[i], p, v, y);
        commercial_usage(i, reg);
        make_commercial(ucom[i], reg);
    }

    printf("\nlibbill %s tariff engine: %d usage handles per tariff, one reusable bill, "
           "%.2f s per measurement\n\n", bill_version(), N, min_seconds);
    struct result rr, rc, ri;
    run(&rr, "residential", res, ures, b);
    run(&rc, "commercial", com, ucom, b);
    run(&ri, "industry", ind, uind, b);

    printf("%-12s %-28s %14s   %s\n", "bill", "tariff", "bills/s", "checksum (sum of the totals)");
    printf("%-12s %-28s %14.0f   %s\n", "residential", bill_tariff_id(res), rr.rate, rr.checksum);
    printf("%-12s %-28s %14.0f   %s\n", "commercial", bill_tariff_id(com), rc.rate, rc.checksum);
    printf("%-12s %-28s %14.0f   %s\n", "industry", bill_tariff_id(ind), ri.rate, ri.checksum);
    printf("\nthe same bills with the fast path switched off (the general path):\n");
    printf("%-12s %-14s %14.0f bills/s, the fast path %.1fx faster (it took %d of the %d bills)\n",
           "residential", "general path:", rr.general_rate, rr.rate / rr.general_rate, rr.fast, N);
    printf("%-12s %-14s %14.0f bills/s, the fast path %.1fx faster (it took %d of the %d bills)\n",
           "commercial", "general path:", rc.general_rate, rc.rate / rc.general_rate, rc.fast, N);
    printf("%-12s %-14s %14.0f bills/s, the fast path %.1fx faster (it took %d of the %d bills)\n",
           "industry", "general path:", ri.general_rate, ri.rate / ri.general_rate, ri.fast, N);
    struct bresult br, bc, bi;
    run_batch(&br, "residential batch", res, 0);
    run_batch(&bc, "commercial batch", com, 1);
    run_batch(&bi, "industry batch", ind, 2);
    printf("\nthe same accounts as one batch (bill_batch_compute, usage as int64 columns, every\n"
           "total read; the itemized bill of an account on request): bills/s, accounts the column\n"
           "kernel computed (the others one at a time through bill_tariff_compute)\n");
    printf("%-6s %-12s %14.0f %6zu   %s\n", "batch", "residential", br.rate, br.kernel, br.checksum);
    printf("%-6s %-12s %14.0f %6zu   %s\n", "batch", "commercial", bc.rate, bc.kernel, bc.checksum);
    printf("%-6s %-12s %14.0f %6zu   %s\n", "batch", "industry", bi.rate, bi.kernel, bi.checksum);
    printf("batch memory: max RSS after the timed passes, then after as many more: residential "
           "%ld -> %ld KiB, commercial %ld -> %ld KiB, industry %ld -> %ld KiB (%s)\n",
           br.rss1, br.rss2, bc.rss1, bc.rss2, bi.rss1, bi.rss2,
           br.rss1 == br.rss2 && bc.rss1 == bc.rss2 && bi.rss1 == bi.rss2 ? "flat" : "GREW");
    printf("\nmemory: max RSS after the timed bills, then after as many more\n");
    printf("%-12s %14s %10s %14s %10s  %s\n", "memory", "bills so far", "KiB", "bills so far", "KiB",
           "");
    printf("%-12s %14ld %10ld %14ld %10ld  %s\n", "residential", rr.passes * N + 2 * N, rr.rss1,
           2 * rr.passes * N + 2 * N, rr.rss2, rr.rss2 == rr.rss1 ? "flat" : "GREW");
    printf("%-12s %14ld %10ld %14ld %10ld  %s\n", "commercial", rc.passes * N + 2 * N, rc.rss1,
           2 * rc.passes * N + 2 * N, rc.rss2, rc.rss2 == rc.rss1 ? "flat" : "GREW");
    printf("%-12s %14ld %10ld %14ld %10ld  %s\n", "industry", ri.passes * N + 2 * N, ri.rss1,
           2 * ri.passes * N + 2 * N, ri.rss2, ri.rss2 == ri.rss1 ? "flat" : "GREW");

    for (int i = 0; i < N; i++) {
        bill_usage_free(ures[i]);
        bill_usage_free(ucom[i]);
        bill_usage_free(uind[i]);
    }
    bill_bill_free(b);
    bill_tariff_free(res);
    bill_tariff_free(com);
    bill_tariff_free(ind);
    return 0;
}
