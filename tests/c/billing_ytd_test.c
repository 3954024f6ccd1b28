/*
 * The billing run's year-to-date for annual-tier tariffs (bill_billing_run,
 * docs/billing.md "Year-to-date"): the stored bill equals bill_tariff_compute
 * with the year's usage before the period and the opened date.
 */
#define _POSIX_C_SOURCE 200809L
#include "test.h"
#include "store_util.h"
#include "../../libbill/store_internal.h"

#include <stdlib.h>
#include <unistd.h>

/* Account `ref` on the annual tariff with meter `serial` (register total) installed and
 * linked on `from`. */
static int account_meter(bill_store *s, const char *ref, const char *serial, const char *from)
{
    bill_account *a = NULL;
    int rc = bill_account_create(&a, ref);
    if (rc == BILL_OK)
        rc = bill_account_set_tariff(a, "cn-residential-annual");
    if (rc == BILL_OK)
        rc = bill_registry_add_account(s, a);
    bill_account_free(a);
    bill_meter *m = NULL;
    if (rc == BILL_OK)
        rc = bill_meter_create(&m, serial);
    if (rc == BILL_OK)
        rc = bill_meter_set_installed(m, su_date(from));
    if (rc == BILL_OK)
        rc = bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0);
    if (rc == BILL_OK)
        rc = bill_registry_add_meter(s, m);
    bill_meter_free(m);
    if (rc == BILL_OK)
        rc = bill_registry_link(s, serial, ref, su_date(from), bill_registry_open_end());
    return rc;
}

/* An actual reading of register total. */
static int reading(bill_store *s, const char *serial, const char *date, const char *value)
{
    return su_reading(s, serial, "total", date, value, 0);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb"); /* make runs the tests from the top */
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = 0;
    return buf;
}

/* The bill JSON of bill_tariff_compute for kwh over p with ytd and (when not NULL) opened. */
static char *expected(const bill_tariff *t, bill_period p, const char *kwh, const char *ytd,
                      const char *opened)
{
    bill_usage *u = NULL;
    bill_bill *b = NULL;
    bill_dec v = BILL_DEC_INIT;
    char *json = NULL;
    CHECK_OK(bill_usage_create(&u));
    CHECK_OK(bill_bill_create(&b));
    CHECK_OK(bill_usage_set_period(u, p));
    CHECK_OK(bill_dec_parse(&v, kwh, (size_t)-1));
    CHECK_OK(bill_usage_set_kwh(u, &v));
    CHECK_OK(bill_usage_set_class(u, "residential"));
    CHECK_OK(bill_usage_set_household_size(u, 1));
    CHECK_OK(bill_dec_parse(&v, ytd, (size_t)-1));
    CHECK_OK(bill_usage_set_ytd_kwh(u, &v));
    if (opened)
        CHECK_OK(bill_usage_set_opened(u, su_date(opened)));
    if (bill_tariff_compute(t, u, b) == BILL_OK)
        json = bill_bill_to_json(b);
    CHECK(json != NULL);
    bill_dec_clear(&v);
    bill_usage_free(u);
    bill_bill_free(b);
    return json;
}

static const char *skip_reason(const bill_billing_report *r, const char *ref)
{
    for (size_t i = 0; i < bill_billing_report_skipped(r); i++)
        if (strcmp(bill_billing_report_skipped_account(r, i), ref) == 0)
            return bill_billing_report_skipped_reason(r, i);
    return "(not skipped)";
}

static void check_bill(bill_store *s, const char *ref, bill_period p, char *want)
{
    char *have = bill_store_bill_json(s, ref, p);
    CHECK(have != NULL);
    CHECK_STR(have ? have : "(none)", want ? want : "(no expected bill)");
    bill_free(have);
}

static void test_billing_ytd(void)
{
    char path[] = "/tmp/libbill-ytd-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    unlink(path);
    bill_store *s = NULL;
    CHECK_OK(bill_store_open(&s, path, BILL_STORE_CREATE));
    char *json = slurp("examples/tariffs/cn-residential-annual.json");
    CHECK(json != NULL);
    bill_tariff *t = NULL;
    if (!s || !json || bill_tariff_load(&t, json, (size_t)-1, "cn-residential-annual.json")) {
        CHECK(!"fixture");
        free(json);
        bill_store_close(s);
        return;
    }
    free(json);
    /* a whole year of readings: 3000 kWh before June, 500 in June */
    CHECK_OK(account_meter(s, "R-1", "M1", "2024-01-01"));
    CHECK_OK(reading(s, "M1", "2025-01-01", "1000"));
    CHECK_OK(reading(s, "M1", "2025-06-01", "4000"));
    CHECK_OK(reading(s, "M1", "2025-07-01", "4500"));
    /* opened on 2025-03-15: 2000 kWh before June, 700 in June */
    CHECK_OK(account_meter(s, "R-2", "M2", "2025-03-15"));
    CHECK_OK(reading(s, "M2", "2025-03-15", "0"));
    CHECK_OK(reading(s, "M2", "2025-06-01", "2000"));
    CHECK_OK(reading(s, "M2", "2025-07-01", "2700"));
    /* no reading on 1 January */
    CHECK_OK(account_meter(s, "M-7-ACC", "M-7", "2024-01-01"));
    CHECK_OK(reading(s, "M-7", "2025-06-01", "100"));
    CHECK_OK(reading(s, "M-7", "2025-07-01", "300"));
    /* January: 3500 kWh, ytd 0 */
    CHECK_OK(account_meter(s, "R-4", "M4", "2024-01-01"));
    CHECK_OK(reading(s, "M4", "2025-01-01", "0"));
    CHECK_OK(reading(s, "M4", "2025-02-01", "3500"));

    const bill_tariff *ts[] = { t };
    bill_period june = su_period("2025-06-01/2025-07-01");
    bill_billing_report *r = NULL;
    const char *cycle[] = { "R-1", "R-2", "M-7-ACC" };
    CHECK_OK(bill_billing_run(&r, s, june, "june", ts, 1, cycle, 3));
    CHECK_INT(bill_billing_report_billed(r), 2);
    CHECK_INT(bill_billing_report_skipped(r), 1);
    CHECK_STR(skip_reason(r, "M-7-ACC"),
              "account M-7-ACC: year-to-date: meter M-7 register total: no reading at "
              "2025-01-01 00:00 (the period's start) (the year's usage 2025-01-01..2025-06-01)");
    CHECK_INT(bill_billing_report_skipped_status(r, 0), BILL_ENOTFOUND);
    bill_billing_report_free(r);
    r = NULL;

    /* ytd 3000: 120 kWh in tier 1, 380 in tier 2 */
    char *want = expected(t, june, "500", "3000", NULL);
    char *wrong = expected(t, june, "500", "0", NULL);
    CHECK(want && wrong && strcmp(want, wrong) != 0);
    check_bill(s, "R-1", june, want);
    CHECK(want && strstr(want, "\"380\"") != NULL);
    bill_free(want);
    bill_free(wrong);
    /* opened 2025-03-15, ytd 2000: the prorated quota puts part of June in tier 2 */
    want = expected(t, june, "700", "2000", "2025-03-15");
    wrong = expected(t, june, "700", "2000", NULL);
    CHECK(want && wrong && strcmp(want, wrong) != 0);
    check_bill(s, "R-2", june, want);
    bill_free(want);
    bill_free(wrong);
    CHECK(bill_store_bill_json(s, "M-7-ACC", june) == NULL);

    /* a January period: ytd 0, no reading before the period needed */
    bill_period jan = su_period("2025-01-01/2025-02-01");
    const char *jan_cycle[] = { "R-4", "M-7-ACC" };
    CHECK_OK(bill_billing_run(&r, s, jan, "january", ts, 1, jan_cycle, 2));
    CHECK_INT(bill_billing_report_billed(r), 1);
    CHECK_INT(bill_billing_report_skipped(r), 1); /* M-7-ACC: no January readings at all */
    bill_billing_report_free(r);
    want = expected(t, jan, "3500", "0", NULL);
    check_bill(s, "R-4", jan, want);
    CHECK(want && strstr(want, "\"380\"") != NULL); /* 3500 - 3120 in tier 2 */
    bill_free(want);

    bill_tariff_free(t);
    bill_store_close(s);
    unlink(path);
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

void suite_billing_ytd(void)
{
    RUN(test_billing_ytd);
}
