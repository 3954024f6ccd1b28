/*
 * Meter-data CSV throughput: rows per second of the streaming CSV reader
 * (libbill/csv.c) and of the register-readings parser on top of it
 * (libbill/readings_csv.c: header mapping, serial/register checks, date or
 * date-time, exact decimal value, kind).
 *
 * N rows of register readings are generated in memory with a simple integer
 * formula (bench_csv.py builds the same text):
 *
 *     meter_serial,register,read_at,value,kind
 *     M-000000,total,2026-01-01,0.0,actual
 *     M-000001,peak,2026-01-02T08:30,7.3,estimated
 *     ...
 *
 * and fed in 64 KiB chunks, as a file would be, whole passes for at least
 * the given time. The parser pass also sums the values exactly; the sum is
 * printed as decimal text so that bench/run.sh can compare it with Python's.
 *
 * Usage: bench_csv [seconds-per-measurement]   (default 1.0)
 * Output rows: "csv-reader ROWS/S", "readings-parser ROWS/S SUM", "bytes-per-row B".
 */
#define _POSIX_C_SOURCE 199309L

#include "bill.h"
#include "readings_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 200000
#define CHUNK 65536

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *make_text(size_t *len)
{
    static const char *regs[] = {"total", "peak", "flat", "valley"};
    size_t cap = 64 + (size_t)N * 64, o = 0;
    char *t = malloc(cap);
    if (!t)
        exit(1);
    o += (size_t)sprintf(t + o, "meter_serial,register,read_at,value,kind\n");
    for (long i = 0; i < N; i++) {
        long v = (i * 7919) % 1000000;
        if (i % 3 == 1)
            o += (size_t)sprintf(t + o, "M-%06ld,%s,2026-01-%02ldT%02ld:%02ld,%ld.%ld,%s\n", i, regs[i % 4],
                                 1 + i % 28, i % 24, (i % 4) * 15, v / 10, v % 10,
                                 i % 5 == 0 ? "estimated" : "actual");
        else
            o += (size_t)sprintf(t + o, "M-%06ld,%s,2026-01-%02ld,%ld.%ld,%s\n", i, regs[i % 4],
                                 1 + i % 28, v / 10, v % 10, i % 5 == 0 ? "estimated" : "actual");
    }
    *len = o;
    return t;
}

typedef struct counter {
    long rows;
    long bad;
    size_t fields;
} counter;

static int on_record(void *ctx, const billi_csv_record *rec)
{
    counter *c = ctx;
    c->rows++;
    c->fields += rec->nfields;
    return BILL_OK;
}

typedef struct summer {
    long rows;
    long bad;
    bill_dec sum;
} summer;

static int on_row(void *ctx, const billi_rcsv_row *row)
{
    summer *s = ctx;
    s->rows++;
    if (row->status != BILL_OK) {
        s->bad++;
        return BILL_OK;
    }
    return bill_dec_add(&s->sum, &s->sum, &row->u.reading.value);
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    size_t len;
    char *text = make_text(&len);

    /* the reader alone */
    long passes = 0;
    counter cnt = {0, 0, 0};
    double t0 = now(), t;
    do {
        billi_csv *c = NULL;
        if (billi_csv_create(&c, NULL) != BILL_OK)
            return 1;
        for (size_t off = 0; off < len; off += CHUNK)
            if (billi_csv_feed(c, text + off, len - off < CHUNK ? len - off : CHUNK, on_record, &cnt) != BILL_OK)
                return 1;
        if (billi_csv_finish(c, on_record, &cnt) != BILL_OK)
            return 1;
        billi_csv_free(c);
        passes++;
        t = now() - t0;
    } while (t < secs);
    if (cnt.rows != passes * (N + 1) || cnt.fields != (size_t)cnt.rows * 5) {
        fprintf(stderr, "bench_csv: the reader saw %ld records, expected %ld\n", cnt.rows, passes * (N + 1));
        return 1;
    }
    printf("csv-reader %.0f\n", (double)passes * N / t);

    /* the typed register-readings parser */
    summer s = {0, 0, BILL_DEC_INIT};
    passes = 0;
    t0 = now();
    do {
        bill_dec_clear(&s.sum);
        s.rows = 0;
        billi_rcsv *p = NULL;
        if (billi_rcsv_create(&p, BILLI_RCSV_READINGS, NULL, on_row, &s) != BILL_OK)
            return 1;
        for (size_t off = 0; off < len; off += CHUNK)
            if (billi_rcsv_feed(p, text + off, len - off < CHUNK ? len - off : CHUNK) != BILL_OK) {
                fprintf(stderr, "bench_csv: %s\n", bill_errmsg());
                return 1;
            }
        if (billi_rcsv_finish(p) != BILL_OK)
            return 1;
        billi_rcsv_free(p);
        passes++;
        t = now() - t0;
    } while (t < secs);
    if (s.rows != N || s.bad != 0) {
        fprintf(stderr, "bench_csv: the parser saw %ld rows (%ld rejected), expected %d\n", s.rows, s.bad, N);
        return 1;
    }
    char *sum = bill_dec_to_str(&s.sum);
    printf("readings-parser %.0f %s\n", (double)passes * N / t, sum);
    printf("bytes-per-row %.1f\n", (double)len / N);
    bill_free(sum);
    bill_dec_clear(&s.sum);
    free(text);
    return 0;
}
