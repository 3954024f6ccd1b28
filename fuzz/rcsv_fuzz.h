/*
 * The body shared by the meter-data CSV fuzz harnesses (one per format:
 * readings_csv_fuzzer.c, intervals_csv_fuzzer.c, audit_csv_fuzzer.c), which
 * define RCSV_FORMAT and include this file.
 *
 * The input is a CSV file of the format (header first). It is parsed whole
 * and in chunks of 1..16 bytes (the size from the input's length); both must
 * give the same rows, the same rejections and the same result. Each valid
 * row must satisfy what the format documents (non-empty serial, value >= 0,
 * kind actual or estimated, 15/30/60-minute boundaries, account or address);
 * each rejected row must name its line. The public reader (bill_meter_csv)
 * must then give the same rows. A violated invariant calls abort().
 */
#include "readings_csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "rcsv fuzzer: invariant failed at line %d: %s\n",      \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

typedef struct digest {
    uint64_t h, rows, rejected, last_line;
} digest;

static void mix(digest *d, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        d->h = (d->h ^ s[i]) * 1099511628211ULL;
}

static void check_text(digest *d, billi_text t, size_t max)
{
    CHECK(t.len <= max);
    CHECK(billi_utf8_valid(t.ptr, t.len));
    for (size_t i = 0; i < t.len; i++)
        CHECK((unsigned char)t.ptr[i] >= 0x20 && t.ptr[i] != 0x7f);
    if (t.len)
        CHECK(t.ptr[0] != ' ' && t.ptr[t.len - 1] != ' ');
    mix(d, &t.len, sizeof t.len);
    mix(d, t.ptr, t.len);
}

static void check_dec(digest *d, const bill_dec *v)
{
    char buf[2100];
    CHECK(bill_dec_sign(v) >= 0);
    size_t n = bill_dec_format(v, buf, sizeof buf);
    mix(d, buf, n < sizeof buf ? n : sizeof buf - 1);
}

static int on_row(void *ctx, const billi_rcsv_row *row)
{
    digest *d = ctx;
    CHECK(row->format == RCSV_FORMAT);
    CHECK(row->line > d->last_line);
    d->last_line = row->line;
    d->rows++;
    mix(d, &row->line, sizeof row->line);
    mix(d, &row->status, sizeof row->status);
    if (row->status != BILL_OK) {
        d->rejected++;
        CHECK(strncmp(row->errmsg, "line ", 5) == 0);
        mix(d, row->errmsg, strlen(row->errmsg));
        return BILL_OK;
    }
    CHECK(row->errmsg[0] == '\0' && row->column == NULL);
    if (RCSV_FORMAT == BILLI_RCSV_READINGS) {
    const billi_reading_rec *r = &row->u.reading;
    CHECK(r->meter_serial.len > 0 && r->reg.len > 0);
    check_text(d, r->meter_serial, BILLI_RCSV_MAX_SERIAL);
    check_text(d, r->reg, BILLI_RCSV_MAX_REGISTER);
    check_text(d, r->source, BILLI_RCSV_MAX_TEXT);
    CHECK(r->kind == BILLI_READ_ACTUAL || r->kind == BILLI_READ_ESTIMATED);
    if (!r->has_time)
        CHECK(bill_datetime_minute_of_day(r->read_at) == 0);
    mix(d, &r->read_at, sizeof r->read_at);
    check_dec(d, &r->value);
    } else if (RCSV_FORMAT == BILLI_RCSV_INTERVALS) {
    const billi_interval_rec *r = &row->u.interval;
    CHECK(r->meter_serial.len > 0);
    check_text(d, r->meter_serial, BILLI_RCSV_MAX_SERIAL);
    CHECK(r->minutes == 15 || r->minutes == 30 || r->minutes == 60);
    CHECK(bill_datetime_minute_of_day(r->start) % r->minutes == 0);
    CHECK(r->kind == BILLI_READ_ACTUAL || r->kind == BILLI_READ_ESTIMATED);
    mix(d, &r->start, sizeof r->start);
    check_dec(d, &r->kwh);
    /* the demand helper accepts every valid interval */
    bill_dec kw = BILL_DEC_INIT;
    CHECK(bill_interval_demand_kw(&kw, &r->kwh, r->minutes) == BILL_OK);
    CHECK(bill_dec_cmp(&kw, &r->kwh) >= 0);
    bill_dec_clear(&kw);
    } else {
    const billi_audit_rec *r = &row->u.audit;
    CHECK(r->meter_serial.len > 0);
    CHECK(r->found_account.len > 0 || r->found_address.len > 0);
    check_text(d, r->meter_serial, BILLI_RCSV_MAX_SERIAL);
    check_text(d, r->found_account, BILLI_RCSV_MAX_SERIAL);
    check_text(d, r->found_address, BILLI_RCSV_MAX_TEXT);
    CHECK(bill_date_is_valid(r->read_on));
    mix(d, &r->read_on, sizeof r->read_on);
    check_dec(d, &r->reading);
    }
    return BILL_OK;
}

static int parse(digest *d, const uint8_t *data, size_t size, size_t chunk)
{
    memset(d, 0, sizeof *d);
    d->h = 1469598103934665603ULL;
    billi_rcsv *p = NULL;
    CHECK(billi_rcsv_create(&p, RCSV_FORMAT, NULL, on_row, d) == BILL_OK);
    int rc = BILL_OK;
    for (size_t off = 0; off < size && rc == BILL_OK; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        char *piece = malloc(n);
        CHECK(piece != NULL);
        memcpy(piece, data + off, n);
        rc = billi_rcsv_feed(p, piece, n);
        free(piece);
    }
    if (rc == BILL_OK)
        rc = billi_rcsv_finish(p);
    if (rc != BILL_OK) {
        /* only the header can stop the stream, and then no row was given */
        CHECK(rc == BILL_ESYNTAX);
        CHECK(d->rows == 0);
        CHECK(bill_errmsg()[0] != '\0');
    }
    CHECK(billi_rcsv_rows(p) == d->rows);
    CHECK(billi_rcsv_rejected(p) == d->rejected);
    billi_rcsv_free(p);
    return rc;
}

/* The public reader (bill_meter_csv) on the same input, in chunks of 1..7 bytes. */
static void check_public(const uint8_t *data, size_t size, int rc_want, const digest *want)
{
    bill_meter_csv *r = NULL;
    CHECK(bill_meter_csv_create(&r, RCSV_FORMAT) == BILL_OK);
    size_t chunk = 1 + size % 7;
    int rc = BILL_OK;
    int64_t rows = 0, rejected = 0, last = 0;
    bill_dec v = BILL_DEC_INIT;
    bill_datetime t;
    for (size_t off = 0; off < size + chunk && rc == BILL_OK; off += chunk) {
        if (off < size)
            rc = bill_meter_csv_feed(r, (const char *)data + off, size - off < chunk ? size - off : chunk);
        else
            rc = bill_meter_csv_finish(r);   /* once, after the last chunk */
        while (bill_meter_csv_next(r) == 1) {
            rows++;
            CHECK(bill_meter_csv_line(r) > last);
            last = bill_meter_csv_line(r);
            if (bill_meter_csv_status(r) != BILL_OK) {
                rejected++;
                CHECK(bill_meter_csv_reason(r)[0] != '\0');
                CHECK(bill_meter_csv_value(&v, r) == BILL_ESTATE);
            } else {
                CHECK(bill_meter_csv_value(&v, r) == BILL_OK && bill_dec_sign(&v) >= 0);
                CHECK(bill_meter_csv_time(&t, r) == BILL_OK);
                CHECK(bill_meter_csv_text(r, "meter_serial")[0] != '\0');
            }
        }
    }
    CHECK(rc == rc_want);
    if (rc != BILL_OK)
        CHECK(bill_meter_csv_errmsg(r)[0] != '\0');
    CHECK(rows == (int64_t)want->rows && rejected == (int64_t)want->rejected);
    CHECK(bill_meter_csv_rows(r) == rows && bill_meter_csv_rejected(r) == rejected);
    bill_dec_clear(&v);
    bill_meter_csv_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    digest whole, parts;
    int a = parse(&whole, data, size, size ? size : 1);
    int b = parse(&parts, data, size, 1 + size % 16);
    CHECK(a == b);
    CHECK(whole.h == parts.h && whole.rows == parts.rows && whole.rejected == parts.rejected);
    check_public(data, size, a, &whole);
    return 0;
}
