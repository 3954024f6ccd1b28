/*
 * The billing run with interval meters (bill_billing_run, docs/billing.md
 * "Interval data"): a TOU tariff, a meter with only a total register and
 * interval readings over the period: the stored bill equals
 * bill_tariff_compute with the intervals × multiplier.
 */
#define _POSIX_C_SOURCE 200809L
#include "test.h"
#include "store_util.h"
#include "../../libbill/store_internal.h"

#include <stdlib.h>
#include <unistd.h>

/* Account `ref` (commercial, cn-commercial-tou) with meter `serial` (register total,
 * multiplier 2) since 2024-01-01. */
static int account_meter(bill_store *s, const char *ref, const char *serial)
{
    bill_account *a = NULL;
    int rc = bill_account_create(&a, ref);
    if (rc == BILL_OK)
        rc = bill_account_set_tariff(a, "cn-commercial-tou");
    if (rc == BILL_OK)
        rc = bill_account_set_class(a, "commercial");
    if (rc == BILL_OK)
        rc = bill_registry_add_account(s, a);
    bill_account_free(a);
    bill_meter *m = NULL;
    bill_dec two = BILL_DEC_INIT;
    bill_dec_set_i64(&two, 2, 0);
    if (rc == BILL_OK)
        rc = bill_meter_create(&m, serial);
    if (rc == BILL_OK)
        rc = bill_meter_set_installed(m, su_date("2024-01-01"));
    if (rc == BILL_OK)
        rc = bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0);
    if (rc == BILL_OK)
        rc = bill_meter_set_multiplier(m, &two);
    if (rc == BILL_OK)
        rc = bill_registry_add_meter(s, m);
    bill_meter_free(m);
    bill_dec_clear(&two);
    if (rc == BILL_OK)
        rc = bill_registry_link(s, serial, ref, su_date("2024-01-01"), bill_registry_open_end());
    return rc;
}

static int exec_sql(bill_store *s, const char *sql)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? BILL_OK : BILL_ESTORE;
}

/* Readings of register total and 30-minute intervals of `kwh` each over June 2025, but
 * the last `missing` intervals. */
static int june_data(bill_store *s, const char *serial, const char *kwh, int missing)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO readings (register_id, read_at, value, estimated, source)"
             " SELECT g.id, %lld, '1000', 0, 't' FROM registers g JOIN meters m"
             " ON m.id = g.meter_id WHERE m.serial = '%s';"
             "INSERT INTO readings (register_id, read_at, value, estimated, source)"
             " SELECT g.id, %lld, '1720', 0, 't' FROM registers g JOIN meters m"
             " ON m.id = g.meter_id WHERE m.serial = '%s';",
             (long long)su_date("2025-06-01").day * 1440, serial,
             (long long)su_date("2025-07-01").day * 1440, serial);
    int rc = exec_sql(s, sql);
    sqlite3_int64 first = (sqlite3_int64)su_date("2025-06-01").day * 1440;
    for (int i = 0; rc == BILL_OK && i < 30 * 48 - missing; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO interval_readings (meter_id, start_minute, minutes, kwh)"
                 " SELECT id, %lld, 30, '%s' FROM meters WHERE serial = '%s'",
                 (long long)(first + 30 * i), kwh, serial);
        rc = exec_sql(s, sql);
    }
    return rc;
}

static void test_billing_intervals(void)
{
    char path[] = "/tmp/libbill-intervals-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    unlink(path);
    bill_store *s = NULL;
    CHECK_OK(bill_store_open(&s, path, BILL_STORE_CREATE));
    FILE *f = fopen("examples/tariffs/cn-commercial-tou.json", "rb"); /* run from the top */
    char *json = malloc(1 << 16);
    size_t n = f && json ? fread(json, 1, (1 << 16) - 1, f) : 0;
    if (f)
        fclose(f);
    bill_tariff *t = NULL;
    if (!s || !json || !n || bill_tariff_load(&t, json, n, "cn-commercial-tou.json")) {
        CHECK(!"fixture");
        free(json);
        bill_store_close(s);
        return;
    }
    free(json);
    CHECK_OK(exec_sql(s, "BEGIN"));
    CHECK_OK(account_meter(s, "C-1", "IV1"));
    CHECK_OK(june_data(s, "IV1", "0.5", 0)); /* 1440 × 0.5 × 2 = 1440 kWh = (1720-1000) × 2 */
    CHECK_OK(account_meter(s, "C-2", "IV2"));
    CHECK_OK(june_data(s, "IV2", "0.5", 1)); /* the last half hour missing */
    CHECK_OK(exec_sql(s, "COMMIT"));

    bill_period june;
    CHECK_OK(bill_period_make(&june, su_date("2025-06-01"), su_date("2025-07-01")));
    const bill_tariff *ts[] = { t };
    bill_billing_report *r = NULL;
    CHECK_OK(bill_billing_run(&r, s, june, "june", ts, 1, NULL, 0));
    CHECK_INT(bill_billing_report_billed(r), 1);
    CHECK_INT(bill_billing_report_skipped(r), 1);
    CHECK_STR(bill_billing_report_skipped_account(r, 0), "C-2");
    CHECK_STR(bill_billing_report_skipped_reason(r, 0),
              "account C-2: meter IV2: interval data does not cover the period: none of 30"
              " minutes starting at 2025-06-30T23:30");
    CHECK_INT(bill_billing_report_skipped_status(r, 0), BILL_ENOTFOUND);
    bill_billing_report_free(r);

    /* the expected bill: the intervals × 2 assigned to the TOU periods */
    bill_usage *u = NULL;
    bill_bill *b = NULL;
    CHECK_OK(bill_usage_create(&u));
    CHECK_OK(bill_bill_create(&b));
    bill_dec *iv = calloc(30 * 48, sizeof *iv);
    for (int i = 0; iv && i < 30 * 48; i++) {
        bill_dec_init(&iv[i]);
        bill_dec_parse(&iv[i], "1.0", (size_t)-1);
    }
    bill_dec v = BILL_DEC_INIT;
    bill_dec_set_i64(&v, 1440, 0);
    CHECK_OK(bill_usage_set_period(u, june));
    CHECK_OK(bill_usage_set_kwh(u, &v));
    CHECK_OK(bill_usage_set_class(u, "commercial"));
    bill_datetime t0 = { (int64_t)june.start.day * 1440 };
    CHECK_OK(bill_usage_set_intervals(u, t0, 30, iv, 30 * 48));
    CHECK_OK(bill_tariff_compute(t, u, b));
    char *want = bill_bill_to_json(b);
    char *have = bill_store_bill_json(s, "C-1", june);
    CHECK_STR(have ? have : "(none)", want ? want : "(no bill)");
    CHECK(want && strstr(want, "\"valley\"") && strstr(want, "\"peak\""));
    bill_free(want);
    bill_free(have);
    for (int i = 0; iv && i < 30 * 48; i++)
        bill_dec_clear(&iv[i]);
    free(iv);
    bill_dec_clear(&v);
    bill_usage_free(u);
    bill_bill_free(b);
    bill_tariff_free(t);
    bill_store_close(s);
    unlink(path);
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

void suite_billing_intervals(void)
{
    RUN(test_billing_intervals);
}
