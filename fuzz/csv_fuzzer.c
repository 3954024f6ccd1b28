/*
 * Fuzz harness for the streaming CSV reader (libbill/csv.c).
 *
 * The first byte picks small limits and a chunk size; the rest is the CSV.
 * The input is read whole and again in chunks (and byte by byte for short
 * inputs): the records, their lines and their errors must be the same
 * however the input is cut. Every delivered record is checked: lines never
 * go back, fields are valid UTF-8 within the limits, a malformed record has
 * a message naming its line. A violated invariant calls abort().
 */
#include "csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "csv_fuzzer: invariant failed at line %d: %s\n",       \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

/* A running digest of the records, so that two readings can be compared. */
typedef struct digest {
    uint64_t h;
    uint64_t records;
    uint64_t last_line;
    billi_csv_limits lim;
} digest;

static void mix(digest *d, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        d->h = (d->h ^ s[i]) * 1099511628211ULL;
}

static int on_record(void *ctx, const billi_csv_record *rec)
{
    digest *d = ctx;
    CHECK(rec->line >= 1 && rec->line >= d->last_line);
    CHECK(rec->index == d->records);
    d->last_line = rec->line;
    d->records++;
    mix(d, &rec->line, sizeof rec->line);
    mix(d, &rec->status, sizeof rec->status);
    if (rec->status != BILL_OK) {
        CHECK(rec->status == BILL_ESYNTAX || rec->status == BILL_ERANGE);
        CHECK(rec->nfields == 0);
        CHECK(strncmp(rec->errmsg, "line ", 5) == 0);
        mix(d, rec->errmsg, strlen(rec->errmsg));
        return BILL_OK;
    }
    CHECK(rec->nfields >= 1 && rec->nfields <= d->lim.max_fields);
    for (size_t i = 0; i < rec->nfields; i++) {
        const billi_csv_field *f = &rec->fields[i];
        CHECK(f->len <= d->lim.max_field);
        CHECK(f->len == 0 || f->ptr != NULL);
        CHECK(billi_utf8_valid(f->ptr, f->len));
        mix(d, &f->len, sizeof f->len);
        mix(d, f->ptr, f->len);
    }
    return BILL_OK;
}

static digest read_in(const char *text, size_t len, size_t chunk, const billi_csv_limits *lim)
{
    digest d;
    memset(&d, 0, sizeof d);
    d.h = 1469598103934665603ULL;
    billi_csv *c = NULL;
    CHECK(billi_csv_create(&c, lim) == BILL_OK);
    d.lim = *lim;
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        /* an exact-size copy, so that reading past the chunk is caught */
        char *piece = malloc(n);
        CHECK(piece != NULL);
        memcpy(piece, text + off, n);
        CHECK(billi_csv_feed(c, piece, n, on_record, &d) == BILL_OK);
        free(piece);
    }
    CHECK(billi_csv_finish(c, on_record, &d) == BILL_OK);
    CHECK(billi_csv_feed(c, "x", 1, on_record, &d) == BILL_ESTATE);
    billi_csv_free(c);
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned sel = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    billi_csv_limits lim = {0, 0, 0};
    if (sel & 1) {
        lim.max_field = 1 + (sel >> 4);
        lim.max_record = 8 + (sel >> 2) * 4;
        lim.max_fields = 1 + (sel >> 5);
    }
    lim.max_field = lim.max_field ? lim.max_field : BILLI_CSV_DEFAULT_MAX_FIELD;
    lim.max_record = lim.max_record ? lim.max_record : BILLI_CSV_DEFAULT_MAX_RECORD;
    lim.max_fields = lim.max_fields ? lim.max_fields : BILLI_CSV_DEFAULT_MAX_FIELDS;

    digest whole = read_in(text, len, len ? len : 1, &lim);
    size_t chunk = 1 + (sel >> 1) % 13;
    digest parts = read_in(text, len, chunk, &lim);
    CHECK(whole.h == parts.h && whole.records == parts.records);
    if (len <= 512) {
        digest bytes = read_in(text, len, 1, &lim);
        CHECK(whole.h == bytes.h && whole.records == bytes.records);
    }
    return 0;
}
