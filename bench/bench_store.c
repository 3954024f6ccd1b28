/*
 * make bench-store: the registry in a file store on this machine. Registers
 * N accounts, N meters and N links in one transaction, then asks "who pays for
 * this meter on this day" and "which meters has this account this month" N
 * times each, then registers accounts one transaction each (bound by the
 * disk's sync). Prints the rates; the exit status is non-zero only if a call
 * fails.
 *
 *     build/bench/bench_store [N]     (default 20000)
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "bill.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#define TRY(call)                                                                  \
    do {                                                                           \
        if ((call) != BILL_OK) {                                                   \
            fprintf(stderr, "bench_store: %s: %s\n", #call, bill_errmsg());        \
            return 1;                                                              \
        }                                                                          \
    } while (0)

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    if (n < 1)
        n = 20000;
    char dir[] = "/tmp/bill-bench-XXXXXX", path[64];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/bench.db", dir);
    bill_store *s;
    TRY(bill_store_open(&s, path, BILL_STORE_CREATE));
    bill_date from, day;
    bill_period june;
    bill_date_parse(&from, "2024-01-01", (size_t)-1);
    bill_date_parse(&day, "2024-06-15", (size_t)-1);
    bill_period_parse(&june, "2024-06-01/2024-07-01", (size_t)-1);

    double t0 = now();
    TRY(bill_store_begin(s));
    for (int i = 0; i < n; i++) {
        char ref[32], serial[32];
        snprintf(ref, sizeof ref, "ACC-%08d", i);
        snprintf(serial, sizeof serial, "MTR-%08d", i);
        bill_account *a;
        bill_meter *m;
        TRY(bill_account_create(&a, ref));
        TRY(bill_registry_add_account(s, a));
        bill_account_free(a);
        TRY(bill_meter_create(&m, serial));
        TRY(bill_meter_set_installed(m, from));
        TRY(bill_registry_add_meter(s, m));
        bill_meter_free(m);
        TRY(bill_registry_link(s, serial, ref, from, bill_registry_open_end()));
    }
    TRY(bill_store_commit(s));
    double t1 = now();
    printf("register %d accounts + meters + links in one transaction: %.2f s, %.0f records/s\n",
           n, t1 - t0, 3.0 * n / (t1 - t0));

    long found = 0;
    for (int i = 0; i < n; i++) {
        char serial[32];
        snprintf(serial, sizeof serial, "MTR-%08d", (int)((i * 7919L) % n));
        bill_link_list *l;
        TRY(bill_registry_meter_accounts(&l, s, serial, day));
        found += bill_link_list_count(l);
        bill_link_list_free(l);
    }
    double t2 = now();
    printf("who pays for a meter on a day: %.0f queries/s (%ld found)\n", n / (t2 - t1), found);

    found = 0;
    for (int i = 0; i < n; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "ACC-%08d", (int)((i * 7919L) % n));
        bill_link_list *l;
        TRY(bill_registry_account_meters(&l, s, ref, june));
        found += bill_link_list_count(l);
        bill_link_list_free(l);
    }
    double t3 = now();
    printf("meters of an account over a month: %.0f queries/s (%ld found)\n", n / (t3 - t2), found);

    int k = n < 500 ? n : 500;
    for (int i = 0; i < k; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "ONE-%08d", i);
        bill_account *a;
        TRY(bill_account_create(&a, ref));
        TRY(bill_registry_add_account(s, a));
        bill_account_free(a);
    }
    double t4 = now();
    printf("one account per transaction (synced to disk): %.0f/s\n", k / (t4 - t3));
    bill_store_close(s);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
