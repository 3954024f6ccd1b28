/*
 * Fuzz harness for the importer (include/bill/import.h): the first byte of
 * the input picks the format (readings or intervals), the batch size and the
 * chunk size; the rest is the CSV file, imported into an in-memory store with
 * a small registry (M1: total 5 digits and demand register md, installed
 * 2026-01-01; M2: removed 2026-02-01; M3: never installed). Invariants:
 * accepted + duplicate + rejected = total; every rejected row has exactly one
 * exception; the stored readings are the accepted rows; a header error leaves
 * one exception and no rows; importing the same bytes again changes nothing
 * when it reports "already imported". A violated invariant calls abort().
 */
#define _DEFAULT_SOURCE
#include "bill.h"
#include "store_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "import_fuzzer: invariant failed at line %d: %s (%s)\n", \
                    __LINE__, #cond, bill_errmsg());                               \
            abort();                                                               \
        }                                                                          \
    } while (0)

static long long q_int(bill_store *s, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void add_meter(bill_store *s, const char *serial, const char *installed, const char *removed)
{
    bill_meter *m;
    bill_date d;
    CHECK(bill_meter_create(&m, serial) == BILL_OK);
    CHECK(bill_meter_set_digits(m, 5) == BILL_OK);
    if (installed) {
        bill_date_parse(&d, installed, (size_t)-1);
        CHECK(bill_meter_set_installed(m, d) == BILL_OK);
    }
    if (removed) {
        bill_date_parse(&d, removed, (size_t)-1);
        CHECK(bill_meter_set_removed(m, d) == BILL_OK);
    }
    CHECK(bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0) == BILL_OK);
    CHECK(bill_meter_add_register(m, "md", BILL_REGISTER_DEMAND, 4) == BILL_OK);
    CHECK(bill_registry_add_meter(s, m) == BILL_OK);
    bill_meter_free(m);
}

static int run(bill_importer **out, bill_store *s, int kind, int batch, size_t chunk,
               const char *text, size_t len)
{
    bill_importer *imp;
    CHECK(bill_importer_create(&imp, s, kind, "fuzz.csv") == BILL_OK);
    bill_datetime now;
    bill_datetime_parse(&now, "2026-06-01T00:00", (size_t)-1);
    CHECK(bill_importer_set_now(imp, now) == BILL_OK);
    CHECK(bill_importer_set_batch_rows(imp, batch) == BILL_OK);
    int rc = BILL_OK;
    for (size_t at = 0; rc == BILL_OK && at < len; at += chunk)
        rc = bill_importer_feed(imp, text + at, len - at < chunk ? len - at : chunk);
    if (rc == BILL_OK)
        rc = bill_importer_finish(imp);
    *out = imp;
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    int kind = data[0] & 1 ? BILL_IMPORT_INTERVALS : BILL_IMPORT_READINGS;
    int batch = 1 + ((data[0] >> 1) & 7);
    size_t chunk = (size_t)1 << ((data[0] >> 4) & 15);
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    const char *table = kind == BILL_IMPORT_READINGS ? "SELECT count(*) FROM readings"
                                                     : "SELECT count(*) FROM interval_readings";
    bill_store *s;
    CHECK(bill_store_open(&s, ":memory:", BILL_STORE_CREATE) == BILL_OK);
    add_meter(s, "M1", "2026-01-01", NULL);
    add_meter(s, "M2", "2025-01-01", "2026-02-01");
    add_meter(s, "M3", NULL, NULL);

    bill_importer *imp;
    int rc = run(&imp, s, kind, batch, chunk, text, len);
    int64_t total = bill_importer_total(imp), acc = bill_importer_accepted(imp);
    int64_t dup = bill_importer_duplicate(imp), rej = bill_importer_rejected(imp);
    CHECK(acc + dup + rej == total);
    CHECK(q_int(s, table) == acc);
    CHECK(q_int(s, "SELECT count(*) FROM import_exceptions") == rej + (rc != BILL_OK));
    CHECK(q_int(s, "SELECT rows_total FROM imports") == total);
    CHECK(q_int(s, "SELECT rows_rejected FROM imports") == rej);
    CHECK(q_int(s, "SELECT count(*) FROM imports WHERE finished_at IS NULL") == 0);
    if (rc != BILL_OK) {
        CHECK(rc == BILL_ESYNTAX && total == 0);
        bill_importer_free(imp);
        bill_store_close(s);
        return 0;
    }
    bill_importer_free(imp);
    long long rows = q_int(s, table), ex = q_int(s, "SELECT count(*) FROM import_exceptions");
    CHECK(run(&imp, s, kind, 9 - batch, chunk == 1 ? 3 : 1, text, len) == BILL_OK);
    CHECK(bill_importer_total(imp) == total);
    CHECK(bill_importer_accepted(imp) + bill_importer_duplicate(imp) + bill_importer_rejected(imp)
          == total);
    if (bill_importer_already_imported(imp)) {
        CHECK(q_int(s, table) == rows);
        CHECK(q_int(s, "SELECT count(*) FROM import_exceptions") == ex);
        CHECK(q_int(s, "SELECT count(*) FROM imports") == 1);
        CHECK(bill_importer_duplicate(imp) >= acc);
    } else {
        CHECK(bill_importer_accepted(imp) > 0);
    }
    bill_importer_free(imp);
    bill_store_close(s);
    return 0;
}
