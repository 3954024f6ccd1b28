/*
 * Fuzz harness for the field-audit verification (include/bill/verify.h):
 * arbitrary bytes are read as an audit CSV and reconciled with a small
 * in-memory registry (accounts A-1..A-4, meters M-1..M-4 with a reading
 * history, M-9 unlinked), whole and in chunks of 1..16 bytes, with the
 * scope AUDITED and ALL. Invariants (abort() when violated):
 *   - every row the CSV reader sees is classified exactly once, in input
 *     order, with a known class name; rejected rows keep their line;
 *   - every account a valid row names (registered to the meter, or found
 *     there and present in the registry) is classified, accounts are in
 *     byte order without duplicates, with a known account class;
 *   - LIKELY_SWAP rows come in pairs naming each other;
 *   - the JSON and CSV reports are identical for whole and chunked input.
 */
#include "bill.h"
#include "../libbill/store_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "verify fuzzer: invariant failed at line %d: %s\n",    \
                    __LINE__, #cond);                                              \
            abort();                                                               \
        }                                                                          \
    } while (0)

static bill_store *store;

static void setup(void)
{
    bill_date start;
    CHECK(bill_date_from_ymd(&start, 2024, 1, 1) == BILL_OK);
    CHECK(bill_store_open(&store, ":memory:", 0) == BILL_OK);
    const char *vals[4] = { "1000", "5000", "99950", "1200" };
    for (int i = 1; i <= 9; i++) {
        if (i > 4 && i < 9)
            continue;
        char serial[8], ref[8];
        snprintf(serial, sizeof serial, "M-%d", i);
        snprintf(ref, sizeof ref, "A-%d", i);
        bill_meter *m = NULL;
        CHECK(bill_meter_create(&m, serial) == BILL_OK);
        CHECK(bill_meter_set_digits(m, 5) == BILL_OK);
        CHECK(bill_meter_set_installed(m, start) == BILL_OK);
        CHECK(bill_registry_add_meter(store, m) == BILL_OK);
        bill_meter_free(m);
        if (i == 9)
            continue;
        bill_account *a = NULL;
        CHECK(bill_account_create(&a, ref) == BILL_OK);
        CHECK(bill_registry_add_account(store, a) == BILL_OK);
        bill_account_free(a);
        CHECK(bill_registry_link(store, serial, ref, start, bill_registry_open_end()) == BILL_OK);
        char sql[512];
        snprintf(sql, sizeof sql,
                 "INSERT INTO readings(register_id, read_at, value) SELECT g.id, %lld, '%d' "
                 "FROM registers g JOIN meters m ON m.id = g.meter_id WHERE m.serial = '%s';"
                 "INSERT INTO readings(register_id, read_at, value) SELECT g.id, %lld, '%s' "
                 "FROM registers g JOIN meters m ON m.id = g.meter_id WHERE m.serial = '%s';",
                 (long long)start.day * 1440, atoi(vals[i - 1]) - 100 * i, serial,
                 (long long)(start.day + 152) * 1440, vals[i - 1], serial);
        CHECK(sqlite3_exec(store->db, sql, NULL, NULL, NULL) == SQLITE_OK);
    }
}

static int valid_row_class(int c)
{
    return c >= BILL_VERIFY_CONFIRMED && c <= BILL_VERIFY_REJECTED;
}

/* Run over the input; *json and *csv get the reports (NULL after a bad header). */
static void run(const uint8_t *data, size_t size, size_t chunk, int scope, char **json, char **csv)
{
    bill_verify_options o = BILL_VERIFY_OPTIONS_INIT;
    o.scope = scope;
    bill_verify *v = NULL;
    *json = *csv = NULL;
    CHECK(bill_verify_create(&v, store, &o) == BILL_OK);
    int rc = BILL_OK;
    for (size_t off = 0; rc == BILL_OK && off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        rc = bill_verify_feed(v, (const char *)data + off, n);
    }
    if (rc == BILL_OK)
        rc = bill_verify_finish(v);
    if (rc != BILL_OK) {
        CHECK(rc == BILL_ESYNTAX);
        bill_verify_free(v);
        return;
    }
    CHECK(bill_verify_run(v) == BILL_OK);

    /* the public reader sees the same rows */
    bill_meter_csv *r = NULL;
    CHECK(bill_meter_csv_create(&r, BILL_METER_CSV_AUDIT) == BILL_OK);
    CHECK(bill_meter_csv_feed(r, (const char *)data, size) == BILL_OK);
    CHECK(bill_meter_csv_finish(r) == BILL_OK);
    size_t n = bill_verify_row_count(v);
    size_t i = 0;
    while (bill_meter_csv_next(r) == 1) {
        CHECK(i < n);
        CHECK(bill_verify_row_line(v, i) == bill_meter_csv_line(r));
        int c = bill_verify_row_class(v, i);
        CHECK(valid_row_class(c));
        CHECK(bill_verify_class_name(c) != NULL);
        CHECK((c == BILL_VERIFY_REJECTED) == (bill_meter_csv_status(r) != BILL_OK));
        if (c == BILL_VERIFY_REJECTED)
            CHECK(strncmp(bill_verify_row_evidence(v, i), "line ", 5) == 0);
        else
            CHECK(strcmp(bill_verify_row_text(v, i, "meter_serial"),
                         bill_meter_csv_text(r, "meter_serial")) == 0);
        CHECK(bill_verify_row_evidence(v, i)[0] != '\0');
        i++;
    }
    CHECK(i == n);
    bill_meter_csv_free(r);

    /* swaps in pairs */
    for (i = 0; i < n; i++) {
        if (bill_verify_row_class(v, i) != BILL_VERIFY_LIKELY_SWAP)
            continue;
        const char *partner = bill_verify_row_text(v, i, "partner");
        int found = 0;
        for (size_t j = 0; j < n; j++)
            found += j != i && bill_verify_row_class(v, j) == BILL_VERIFY_LIKELY_SWAP &&
                     strcmp(bill_verify_row_text(v, j, "meter_serial"), partner) == 0 &&
                     strcmp(bill_verify_row_text(v, j, "partner"),
                            bill_verify_row_text(v, i, "meter_serial")) == 0;
        CHECK(found >= 1);
    }

    /* accounts: sorted, unique, classified, covering every account the rows name */
    size_t na = bill_verify_account_count(v);
    for (size_t k = 0; k < na; k++) {
        int c = bill_verify_account_class(v, k);
        CHECK(c >= BILL_VERIFY_ACCOUNT_CONFIRMED && c <= BILL_VERIFY_ACCOUNT_UNCHECKED);
        if (k)
            CHECK(strcmp(bill_verify_account_reference(v, k - 1),
                         bill_verify_account_reference(v, k)) < 0);
    }
    for (i = 0; i < n; i++) {
        if (bill_verify_row_class(v, i) == BILL_VERIFY_REJECTED)
            continue;
        const char *names[2] = { bill_verify_row_text(v, i, "registered_account"),
                                 bill_verify_row_text(v, i, "found_account") };
        for (int k = 0; k < 2; k++) {
            const char *ref = names[k];
            if (!*ref || strchr(ref, '+'))
                continue;
            bill_account *a = NULL;
            int exists = bill_registry_get_account(&a, store, ref) == BILL_OK;
            bill_account_free(a);
            int listed = 0;
            for (size_t j = 0; j < na; j++)
                listed += strcmp(bill_verify_account_reference(v, j), ref) == 0;
            CHECK(listed == exists);
        }
    }
    CHECK(na <= 4);
    CHECK(bill_verify_to_json(json, v) == BILL_OK);
    CHECK(bill_verify_to_csv(csv, v) == BILL_OK);
    bill_verify_free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store)
        setup();
    if (size > 1 << 16)
        return 0;
    size_t chunk = 1 + size % 16;
    for (int scope = 0; scope < 2; scope++) {
        char *j1, *c1, *j2, *c2;
        run(data, size, size ? size : 1, scope, &j1, &c1);
        run(data, size, chunk, scope, &j2, &c2);
        CHECK((j1 == NULL) == (j2 == NULL));
        if (j1) {
            CHECK(strcmp(j1, j2) == 0);
            CHECK(strcmp(c1, c2) == 0);
        }
        bill_free(j1);
        bill_free(j2);
        bill_free(c1);
        bill_free(c2);
    }
    return 0;
}
