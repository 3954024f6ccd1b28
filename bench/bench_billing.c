/*
 * make bench-billing: determinants and bills from a stored month.
 *
 * Builds a file store of N residential accounts (one meter each with total,
 * peak and valley registers, cycle readings on 2025-06-01 and 2025-07-01, the
 * readings inserted with plain SQL), then times on one thread:
 *   determinants+bill-per-account  bill_store_determinants per account, then
 *                       bill_determinants_to_usage and bill_tariff_compute
 *   determinants        bill_store_determinants_each over every account
 *   determinants+bill   the same, with the usage and the bill (nothing stored)
 *   billing-run-stored  bill_billing_run: the above plus the bill's JSON,
 *                       line explanations and the inserts of bills and lines
 *   determinants+bill-list  as determinants+bill with the N references given
 *                       as a list (one lookup per reference more)
 * and prints "NAME ACCOUNTS RATE CHECKSUM" rows (the checksum is the sum of
 * the bill totals; all must agree), "wall NAME ACCOUNTS RATE" rows and
 * "maxrss ACCOUNTS KIB" (getrusage before the list pass, whose list of
 * references is the benchmark's own memory). RATE is accounts per second of
 * the process's CPU time (one thread: one core), so that a shared machine
 * does not distort it; the wall rows give wall-clock rates.
 * The store file is left at PATH for the Python comparison (bench_billing.py).
 *
 *     build/bench/bench_billing N PATH
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "bill.h"

#define TARIFF                                                                                   \
    "{\"format\": \"libbill-tariff/1\", \"id\": \"res-tou\", \"currency\": \"CNY\","            \
    " \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"},"                \
    " \"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2020-01-01\","        \
    " \"schedules\": {\"s\": {\"granularity\": 30, \"seasons\": [{\"name\": \"all\","            \
    " \"months\": [1,2,3,4,5,6,7,8,9,10,11,12], \"day_types\": [\"working\", \"weekend\","       \
    " \"holiday\"], \"periods\": [{\"from\": \"08:00\", \"to\": \"22:00\", \"period\": \"peak\"}," \
    " {\"from\": \"22:00\", \"to\": \"08:00\", \"period\": \"valley\"}]}]}},"                   \
    " \"charges\": [{\"id\": \"energy\", \"type\": \"energy\", \"components\": [{\"name\":"     \
    " \"purchase\", \"price\": \"0.5583\", \"tou\": true}], \"tou\": {\"schedule\": \"s\","      \
    " \"ratios\": {\"peak\": \"1.0\", \"valley\": \"0.5\"}}},"                                   \
    " {\"id\": \"service\", \"type\": \"fixed\", \"amount\": \"5.00\", \"per\": \"month\"}]}]}"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the process: the rates are per second of one core's time, so
 * that a machine shared with other work does not halve them (the wall-clock
 * rates follow on "wall" rows). */
static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_billing: %s: %s\n", what, bill_errmsg());
    exit(1);
}

#define TRY(call)                                                                                \
    do {                                                                                         \
        if ((call) != BILL_OK)                                                                   \
            die(#call);                                                                          \
    } while (0)

static void build(const char *path, int n, bill_period p)
{
    bill_store *s;
    TRY(bill_store_open(&s, path, BILL_STORE_CREATE));
    bill_date from;
    bill_date_parse(&from, "2020-01-01", (size_t)-1);
    TRY(bill_store_begin(s));
    for (int i = 0; i < n; i++) {
        char ref[32], serial[32];
        snprintf(ref, sizeof ref, "ACC-%07d", i);
        snprintf(serial, sizeof serial, "M-%07d", i);
        bill_account *a;
        TRY(bill_account_create(&a, ref));
        TRY(bill_account_set_tariff(a, "res-tou"));
        TRY(bill_registry_add_account(s, a));
        bill_account_free(a);
        bill_meter *m;
        TRY(bill_meter_create(&m, serial));
        TRY(bill_meter_set_installed(m, from));
        TRY(bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0));
        TRY(bill_meter_add_register(m, "peak", BILL_REGISTER_ENERGY, 0));
        TRY(bill_meter_add_register(m, "valley", BILL_REGISTER_ENERGY, 0));
        TRY(bill_registry_add_meter(s, m));
        bill_meter_free(m);
        TRY(bill_registry_link(s, serial, ref, from, bill_registry_open_end()));
    }
    TRY(bill_store_commit(s));
    bill_store_close(s);

    /* the readings, as an importer would store them */
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die("sqlite3_open");
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO readings (register_id, read_at, value, source)"
                           " SELECT g.id, ?2, ?3, 'bench' FROM registers g JOIN meters m"
                           " ON m.id = g.meter_id WHERE m.serial = ?1 AND g.code = ?4",
                           -1, &st, NULL) != SQLITE_OK)
        die("prepare");
    for (int i = 0; i < n; i++) {
        char serial[32], v[32];
        snprintf(serial, sizeof serial, "M-%07d", i);
        long peak0 = 10000 + i % 5000, valley0 = 7000 + i % 3000;
        long peak = 120 + i % 230, valley = 60 + i % 170;
        const struct { const char *code; long start, end; } r[] = {
            { "peak", peak0, peak0 + peak },
            { "valley", valley0, valley0 + valley },
            { "total", peak0 + valley0, peak0 + valley0 + peak + valley },
        };
        for (int k = 0; k < 3; k++)
            for (int e = 0; e < 2; e++) {
                snprintf(v, sizeof v, "%ld.%d", e ? r[k].end : r[k].start, (i * 7 + k) % 10);
                sqlite3_bind_text(st, 1, serial, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(st, 2, (sqlite3_int64)(e ? p.end.day : p.start.day) * 1440);
                sqlite3_bind_text(st, 3, v, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(st, 4, r[k].code, -1, SQLITE_STATIC);
                if (sqlite3_step(st) != SQLITE_DONE)
                    die("insert reading");
                sqlite3_reset(st);
            }
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
}

typedef struct each_ctx {
    const bill_tariff *t;
    bill_usage *u;
    bill_bill *b;
    bill_dec *sum, tot;
    int with_bill;
} each_ctx;

static int each_account(void *ctx, const char *reference, int status, bill_determinants *d)
{
    each_ctx *c = ctx;
    (void)reference;
    if (status != BILL_OK)
        return status;
    if (!c->with_bill)
        return BILL_OK;
    bill_usage_reset(c->u);
    TRY(bill_determinants_to_usage(c->u, d));
    TRY(bill_tariff_compute(c->t, c->u, c->b));
    TRY(bill_bill_total(&c->tot, c->b));
    TRY(bill_dec_add(c->sum, c->sum, &c->tot));
    return BILL_OK;
}

/*
 * Determinants (and bills) of every account; returns the rate, sums totals
 * into `sum`. each 1: bill_store_determinants_each over every account of the
 * store (the stored month), each 2: the same over the list of the n
 * references (a cycle given by the caller: one lookup per reference more),
 * each 0: bill_store_determinants per account.
 */
static double pass(bill_store *s, const bill_tariff *t, bill_period p, int n, int with_bill,
                   int each, bill_dec *sum, double *wall)
{
    bill_determinants *d;
    each_ctx c = { t, NULL, NULL, sum, BILL_DEC_INIT, with_bill };
    TRY(bill_determinants_create(&d));
    TRY(bill_usage_create(&c.u));
    TRY(bill_bill_create(&c.b));
    bill_dec_set_i64(sum, 0, 0);
    char **refs = NULL;
    if (each == 2) { /* the first n accounts by reference, as a caller's cycle list */
        refs = malloc((size_t)n * sizeof *refs);
        for (int i = 0; i < n; i++) {
            refs[i] = malloc(16);
            snprintf(refs[i], 16, "ACC-%07d", i);
        }
    }
    double t0 = now(), c0 = cpu();
    /* one transaction: one snapshot, no lock taken and released per query */
    TRY(bill_store_begin(s));
    if (each) {
        TRY(bill_store_determinants_each(s, p, (const char *const *)refs, refs ? (size_t)n : 0,
                                         each_account, &c));
    } else {
        for (int i = 0; i < n; i++) {
            char ref[32];
            snprintf(ref, sizeof ref, "ACC-%07d", i);
            TRY(bill_store_determinants(d, s, ref, p));
            TRY(each_account(&c, ref, BILL_OK, d));
        }
    }
    TRY(bill_store_rollback(s));
    double dt = cpu() - c0;
    if (wall)
        *wall = n / (now() - t0);
    if (refs) {
        for (int i = 0; i < n; i++)
            free(refs[i]);
        free(refs);
    }
    bill_dec_clear(&c.tot);
    bill_bill_free(c.b);
    bill_usage_free(c.u);
    bill_determinants_free(d);
    return n / dt;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_billing N PATH\n");
        return 2;
    }
    int n = atoi(argv[1]);
    const char *path = argv[2];
    if (n < 1)
        return 2;
    bill_period p;
    bill_period_parse(&p, "2025-06-01/2025-07-01", (size_t)-1);
    unlink(path);
    double t0 = now();
    build(path, n, p);
    fprintf(stderr, "bench_billing: built a store of %d accounts in %.1f s\n", n, now() - t0);

    bill_tariff *t;
    TRY(bill_tariff_load(&t, TARIFF, (size_t)-1, "res-tou"));
    bill_store *s;
    TRY(bill_store_open(&s, path, 0));
    bill_dec sum = BILL_DEC_INIT;
    char buf[64];
    double w0, w1, w2;
    pass(s, t, p, n < 2000 ? n : 2000, 1, 0, &sum, NULL); /* warm the page cache */
    double r0 = pass(s, t, p, n, 1, 0, &sum, &w0);
    bill_dec_format(&sum, buf, sizeof buf);
    printf("determinants+bill-per-account %d %.0f %s\n", n, r0, buf);
    double r1 = pass(s, t, p, n, 0, 1, &sum, &w1);
    printf("determinants %d %.0f -\n", n, r1);
    double r2 = pass(s, t, p, n, 1, 1, &sum, &w2);
    char buf2[64];
    bill_dec_format(&sum, buf2, sizeof buf2);
    if (strcmp(buf, buf2) != 0) {
        fprintf(stderr, "bench_billing: totals differ: per account %s, batched %s\n", buf, buf2);
        return 1;
    }
    printf("determinants+bill %d %.0f %s\n", n, r2, buf);

    const bill_tariff *ts[] = { t };
    bill_billing_report *r;
    t0 = now();
    double c0 = cpu();
    TRY(bill_billing_run(&r, s, p, "bench", ts, 1, NULL, 0));
    double r3 = n / (cpu() - c0), w3 = n / (now() - t0);
    if (bill_billing_report_billed(r) != (size_t)n) {
        fprintf(stderr, "bench_billing: billed %zu of %d (first skip: %s)\n",
                bill_billing_report_billed(r), n,
                bill_billing_report_skipped(r) ? bill_billing_report_skipped_reason(r, 0) : "-");
        return 1;
    }
    bill_billing_report_free(r);
    printf("billing-run-stored %d %.0f %s\n", n, r3, buf);
    printf("wall determinants+bill-per-account %d %.0f\n", n, w0);
    printf("wall determinants %d %.0f\n", n, w1);
    printf("wall determinants+bill %d %.0f\n", n, w2);
    printf("wall billing-run-stored %d %.0f\n", n, w3);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("maxrss %d %ld\n", n, ru.ru_maxrss);
    /* after maxrss: the list of n references is the benchmark's own memory */
    double r4 = pass(s, t, p, n, 1, 2, &sum, NULL);
    bill_dec_format(&sum, buf2, sizeof buf2);
    if (strcmp(buf, buf2) != 0) {
        fprintf(stderr, "bench_billing: totals differ: per account %s, list %s\n", buf, buf2);
        return 1;
    }
    printf("determinants+bill-list %d %.0f %s\n", n, r4, buf);
    bill_dec_clear(&sum);
    bill_store_close(s);
    bill_tariff_free(t);
    return 0;
}
