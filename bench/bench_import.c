/*
 * make bench: importing register readings into a file store (WAL) with
 * bill_importer_read_file, on one core. Registers METERS meters (one
 * "total" register of 6 digits each), writes ROWS readings to DIR/readings-ROWS.csv
 * deterministically (ROWS / METERS days of one reading per meter, in time
 * order), imports the file into DIR/store-ROWS.db and prints the rate and the
 * process's peak resident memory (ru_maxrss), so two sizes show whether memory
 * stays bounded as the data grows. bench/bench_import.py does the same rows
 * with Python's sqlite3 executemany.
 *
 *     build/bench/bench_import DIR ROWS [METERS]     (METERS default 20000)
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include "bill.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the process: on a busy machine the wall-clock rate depends on the other work. */
static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#define TRY(call)                                                                  \
    do {                                                                           \
        if ((call) != BILL_OK) {                                                   \
            fprintf(stderr, "bench_import: %s: %s\n", #call, bill_errmsg());       \
            return 1;                                                              \
        }                                                                          \
    } while (0)

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_import DIR ROWS [METERS]\n");
        return 2;
    }
    const char *dir = argv[1];
    long rows = atol(argv[2]);
    long meters = argc > 3 ? atol(argv[3]) : 20000;
    if (rows < 1 || meters < 1 || rows % meters) {
        fprintf(stderr, "bench_import: ROWS must be a positive multiple of METERS\n");
        return 2;
    }
    char csv[512], db[512];
    snprintf(csv, sizeof csv, "%s/readings-%ld.csv", dir, rows);
    snprintf(db, sizeof db, "%s/store-%ld.db", dir, rows);
    remove(db);

    /* the file */
    FILE *f = fopen(csv, "w");
    if (!f) {
        perror(csv);
        return 1;
    }
    fputs("meter_serial,register,read_at,value,kind\n", f);
    bill_date start;
    bill_date_parse(&start, "2020-01-01", (size_t)-1);
    for (long d = 0; d < rows / meters; d++) {
        bill_date day = { start.day + (int32_t)d };
        char ds[16];
        bill_date_format(day, ds, sizeof ds);
        for (long m = 0; m < meters; m++)
            fprintf(f, "MTR-%06ld,total,%s,%ld.%ld,%s\n", m, ds, 1000 + d * 13 + m % 7, (d + m) % 10,
                    (d + m) % 50 ? "actual" : "estimated");
    }
    if (fclose(f) != 0) {
        perror(csv);
        return 1;
    }

    /* the registry */
    bill_store *s;
    TRY(bill_store_open(&s, db, BILL_STORE_CREATE));
    bill_date inst;
    bill_date_parse(&inst, "2019-01-01", (size_t)-1);
    TRY(bill_store_begin(s));
    for (long m = 0; m < meters; m++) {
        char serial[32];
        snprintf(serial, sizeof serial, "MTR-%06ld", m);
        bill_meter *mt;
        TRY(bill_meter_create(&mt, serial));
        TRY(bill_meter_set_installed(mt, inst));
        TRY(bill_registry_add_meter(s, mt));
        bill_meter_free(mt);
    }
    TRY(bill_store_commit(s));

    /* the import */
    bill_importer *imp;
    double t0 = now(), c0 = cpu();
    TRY(bill_importer_create(&imp, s, BILL_IMPORT_READINGS, csv));
    TRY(bill_importer_read_file(imp, csv));
    double t = now() - t0, c = cpu() - c0;
    if (bill_importer_accepted(imp) != rows) {
        fprintf(stderr, "bench_import: %lld of %ld rows accepted\n",
                (long long)bill_importer_accepted(imp), rows);
        return 1;
    }
    bill_importer_free(imp);
    bill_store_close(s);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("libbill-import %ld rows %ld meters: wall %.2f s %.0f rows/s, cpu %.2f s %.0f rows/s, "
           "max RSS %.1f MiB\n", rows, meters, t, (double)rows / t, c, (double)rows / c,
           (double)ru.ru_maxrss / 1024.0);
    return 0;
}
