/* Tests for store-backed determinants (bill_store_determinants) and the billing run. */
#define _POSIX_C_SOURCE 200809L
#include "test.h"
#include "store_util.h"
#include "../../libbill/store_internal.h"

#include <unistd.h>

static int account(bill_store *s, const char *ref, const char *tariff)
{
    bill_account *a = NULL;
    int rc = bill_account_create(&a, ref);
    if (rc == BILL_OK && tariff)
        rc = bill_account_set_tariff(a, tariff);
    if (rc == BILL_OK)
        rc = bill_registry_add_account(s, a);
    bill_account_free(a);
    return rc;
}

/* A meter with registers "total" (and "md" demand when demand is set). */
static int meter(bill_store *s, const char *serial, const char *installed, const char *mult,
                 int demand)
{
    bill_meter *m = NULL;
    bill_dec k;
    int rc = bill_meter_create(&m, serial);
    if (rc == BILL_OK)
        rc = bill_meter_set_installed(m, su_date(installed));
    if (rc == BILL_OK)
        rc = bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0);
    if (rc == BILL_OK && demand)
        rc = bill_meter_add_register(m, "md", BILL_REGISTER_DEMAND, 0);
    if (rc == BILL_OK && mult) {
        rc = bill_meter_set_multiplier(m, su_dec(&k, mult));
        bill_dec_clear(&k);
    }
    if (rc == BILL_OK)
        rc = bill_registry_add_meter(s, m);
    bill_meter_free(m);
    return rc;
}

static int sql_int(bill_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char got[128];
static const char *Q(const bill_determinants *d, const char *code)
{
    bill_dec v = BILL_DEC_INIT;
    if (bill_determinants_get(&v, NULL, d, code) != BILL_OK)
        snprintf(got, sizeof got, "(none)");
    else
        bill_dec_format(&v, got, sizeof got);
    bill_dec_clear(&v);
    return got;
}

#define FLAT_TARIFF                                                                            \
    "{\"format\": \"libbill-tariff/1\", \"id\": \"flat\", \"currency\": \"CNY\","              \
    " \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"},"              \
    " \"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2020-01-01\","      \
    " \"charges\": [{\"id\": \"energy\", \"type\": \"energy\", \"price\": \"0.5\"},"           \
    " {\"id\": \"service\", \"type\": \"fixed\", \"amount\": \"5.00\", \"per\": \"month\"}]}]}"

/*
 * The fixture:
 *   A-1  meter M1, 100 -> 520
 *   A-2  meter exchange on 06-11: OLD 1000 -> 1100 (final), NEW (×2) 0 -> 125; demand
 *   shared meter SH 0.6 / 0.4, 0 -> 101
 *   A-5  master MA 0 -> 1000 with sub SU (of A-6) 0 -> 300
 *   A-0  no meter;  A-7  no tariff;  A-8  tariff "other";  A-9  missing end reading
 */
static bill_store *fixture(const char *path)
{
    bill_store *s = NULL;
    CHECK_OK(bill_store_open(&s, path, BILL_STORE_CREATE));
    if (!s)
        return NULL;
    const char *refs[] = { "A-0", "A-1", "A-2", "A-3", "A-4", "A-5", "A-6", "A-9" };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        CHECK_OK(account(s, refs[i], "flat"));
    CHECK_OK(account(s, "A-7", NULL));
    CHECK_OK(account(s, "A-8", "other"));
    bill_date open = bill_registry_open_end();
    CHECK_OK(meter(s, "M1", "2020-01-01", NULL, 0));
    CHECK_OK(bill_registry_link(s, "M1", "A-1", su_date("2020-01-01"), open));
    CHECK_OK(su_reading(s, "M1", "total", "2025-06-01", "100", 0));
    CHECK_OK(su_reading(s, "M1", "total", "2025-07-01", "520", 0));

    CHECK_OK(meter(s, "OLD", "2020-01-01", NULL, 1));
    CHECK_OK(bill_registry_link(s, "OLD", "A-2", su_date("2020-01-01"), open));
    CHECK_OK(bill_registry_remove_meter(s, "OLD", su_date("2025-06-11")));
    CHECK_OK(meter(s, "NEW", "2025-06-11", "2", 1));
    CHECK_OK(bill_registry_link(s, "NEW", "A-2", su_date("2025-06-11"), open));
    CHECK_OK(su_reading(s, "OLD", "total", "2025-06-01", "1000", 0));
    CHECK_OK(su_reading(s, "OLD", "total", "2025-06-11", "1100", 0));
    CHECK_OK(su_reading(s, "OLD", "md", "2025-06-11", "5.2", 0));
    CHECK_OK(su_reading(s, "NEW", "total", "2025-06-11", "0", 0));
    CHECK_OK(su_reading(s, "NEW", "total", "2025-07-01", "125", 1));
    CHECK_OK(su_reading(s, "NEW", "md", "2025-07-01", "4.1", 0));

    bill_dec r[2];
    const char *sh[] = { "A-3", "A-4" };
    CHECK_OK(meter(s, "SH", "2020-01-01", NULL, 0));
    CHECK_OK(bill_registry_link_shared(s, "SH", sh, (su_dec(&r[0], "0.6"), su_dec(&r[1], "0.4"), r), 2,
                                       su_date("2020-01-01"), open));
    bill_dec_clear(&r[0]);
    bill_dec_clear(&r[1]);
    CHECK_OK(su_reading(s, "SH", "total", "2025-06-01", "0", 0));
    CHECK_OK(su_reading(s, "SH", "total", "2025-07-01", "101", 0));

    CHECK_OK(meter(s, "MA", "2020-01-01", NULL, 0));
    CHECK_OK(meter(s, "SU", "2020-01-01", NULL, 0));
    CHECK_OK(bill_registry_link(s, "MA", "A-5", su_date("2020-01-01"), open));
    CHECK_OK(bill_registry_link(s, "SU", "A-6", su_date("2020-01-01"), open));
    CHECK_OK(bill_registry_add_sub(s, "MA", "SU", su_date("2020-01-01"), open));
    CHECK_OK(su_reading(s, "MA", "total", "2025-06-01", "0", 0));
    CHECK_OK(su_reading(s, "MA", "total", "2025-07-01", "1000", 0));
    CHECK_OK(su_reading(s, "SU", "total", "2025-06-01", "0", 0));
    CHECK_OK(su_reading(s, "SU", "total", "2025-07-01", "300", 0));

    CHECK_OK(meter(s, "M9", "2020-01-01", NULL, 0));
    CHECK_OK(bill_registry_link(s, "M9", "A-9", su_date("2020-01-01"), open));
    CHECK_OK(su_reading(s, "M9", "total", "2025-06-01", "7", 0));
    return s;
}

static void test_store_determinants(void)
{
    bill_store *s = fixture(":memory:");
    if (!s)
        return;
    bill_period june = su_period("2025-06-01/2025-07-01");
    bill_determinants *d = NULL;
    CHECK_OK(bill_determinants_create(&d));
    CHECK_OK(bill_store_determinants(d, s, "A-1", june));
    CHECK_STR(Q(d, "total"), "420");
    CHECK_OK(bill_store_determinants(d, s, "A-2", june));
    CHECK_STR(Q(d, "total"), "350");
    CHECK_STR(Q(d, "md"), "8.2");
    CHECK_INT(bill_determinants_any_estimated(d), 1);

    /* the same from given readings, without a store */
    bill_determinants *p = NULL;
    bill_dec v;
    CHECK_OK(bill_determinants_create(&p));
    CHECK_OK(bill_determinants_set_period(p, june));
    CHECK_OK(bill_determinants_add_meter(p, "OLD", 6));
    CHECK_OK(bill_determinants_add_register(p, "OLD", "total", 0, 0));
    CHECK_OK(bill_determinants_add_register(p, "OLD", "md", 2, 0));
    CHECK_OK(bill_determinants_add_meter(p, "NEW", 6));
    CHECK_OK(bill_determinants_add_register(p, "NEW", "total", 0, 0));
    CHECK_OK(bill_determinants_add_register(p, "NEW", "md", 2, 0));
    CHECK_OK(bill_determinants_add_multiplier(p, "NEW", su_date("2025-06-11"), su_dec(&v, "2")));
    bill_dec_clear(&v);
    CHECK_OK(bill_determinants_add_segment(p, "OLD", su_date("2020-01-01"), su_date("2025-06-11"), 1, NULL,
                                           0, 0));
    CHECK_OK(bill_determinants_add_segment(p, "NEW", su_date("2025-06-11"), bill_registry_open_end(), 1,
                                           NULL, 0, 0));
    const struct { const char *m, *c, *d, *v; int e; } rs[] = {
        { "OLD", "total", "2025-06-01", "1000", 0 }, { "OLD", "total", "2025-06-11", "1100", 0 },
        { "OLD", "md", "2025-06-11", "5.2", 0 },     { "NEW", "total", "2025-06-11", "0", 0 },
        { "NEW", "total", "2025-07-01", "125", 1 },  { "NEW", "md", "2025-07-01", "4.1", 0 },
    };
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++) {
        bill_datetime at = { (int64_t)su_date(rs[i].d).day * 1440 };
        CHECK_OK(bill_determinants_add_reading(p, rs[i].m, rs[i].c, at, su_dec(&v, rs[i].v), rs[i].e));
        bill_dec_clear(&v);
    }
    CHECK_OK(bill_determinants_compute(p));
    CHECK_INT(bill_determinants_count(p), bill_determinants_count(d));
    for (size_t i = 0; i < bill_determinants_count(p); i++) {
        bill_dec a = BILL_DEC_INIT, b = BILL_DEC_INIT;
        CHECK_STR(bill_determinants_code(p, i), bill_determinants_code(d, i));
        CHECK_OK(bill_determinants_value(&a, p, i));
        CHECK_OK(bill_determinants_value(&b, d, i));
        CHECK(bill_dec_cmp(&a, &b) == 0);
        CHECK_INT(bill_determinants_estimated(p, i), bill_determinants_estimated(d, i));
        bill_dec_clear(&a);
        bill_dec_clear(&b);
    }
    bill_determinants_free(p);

    CHECK_OK(bill_store_determinants(d, s, "A-3", june));
    CHECK_STR(Q(d, "total"), "61"); /* 60.6 and 40.4 at scale 0: 61 + 40 (largest fraction) */
    CHECK_OK(bill_store_determinants(d, s, "A-4", june));
    CHECK_STR(Q(d, "total"), "40");
    CHECK_OK(bill_store_determinants(d, s, "A-5", june));
    CHECK_STR(Q(d, "total"), "700");
    CHECK_OK(bill_store_determinants(d, s, "A-6", june));
    CHECK_STR(Q(d, "total"), "300");
    CHECK_ERR(bill_store_determinants(d, s, "A-9", june), BILL_ENOTFOUND);
    CHECK_STR(bill_errmsg(),
              "meter M9 register total: no reading at 2025-07-01 00:00 (the period's end)");
    CHECK_ERR(bill_store_determinants(d, s, "NOBODY", june), BILL_ENOTFOUND);
    CHECK(strstr(bill_errmsg(), "NOBODY") != NULL);
    /* an account without meters has no quantities */
    CHECK_OK(bill_store_determinants(d, s, "A-7", june));
    CHECK_INT(bill_determinants_count(d), 0);
    bill_determinants_free(d);
    bill_store_close(s);
}

static const char *skip_reason(const bill_billing_report *r, const char *account)
{
    for (size_t i = 0; i < bill_billing_report_skipped(r); i++)
        if (strcmp(bill_billing_report_skipped_account(r, i), account) == 0)
            return bill_billing_report_skipped_reason(r, i);
    return "(not skipped)";
}

static void test_billing_run(void)
{
    char path[] = "/tmp/libbill-billing-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    unlink(path);
    bill_store *s = fixture(path);
    if (!s)
        return;
    bill_period june = su_period("2025-06-01/2025-07-01");
    bill_tariff *t = NULL;
    CHECK_OK(bill_tariff_load(&t, FLAT_TARIFF, (size_t)-1, "flat.json"));
    const bill_tariff *ts[] = { t };
    bill_billing_report *r = NULL;
    CHECK_ERR(bill_billing_run(&r, s, su_period("2025-07-01/2025-06-01"), "x", ts, 1, NULL, 0),
              BILL_EDATE);
    const bill_tariff *twice[] = { t, t };
    CHECK_ERR(bill_billing_run(&r, s, june, "x", twice, 2, NULL, 0), BILL_EINVAL);
    CHECK_OK(bill_store_begin(s));
    CHECK_ERR(bill_billing_run(&r, s, june, "x", ts, 1, NULL, 0), BILL_ESTATE);
    CHECK_OK(bill_store_rollback(s));

    CHECK_OK(bill_billing_run(&r, s, june, "cycle 1", ts, 1, NULL, 0));
    CHECK_INT(bill_billing_report_accounts(r), 10);
    CHECK_INT(bill_billing_report_billed(r), 6);
    CHECK_INT(bill_billing_report_already_billed(r), 0);
    CHECK_INT(bill_billing_report_skipped(r), 4);
    CHECK_STR(skip_reason(r, "A-0"), "account A-0: no meter reading counts in the period");
    CHECK_STR(skip_reason(r, "A-7"), "account A-7: no tariff");
    CHECK_STR(skip_reason(r, "A-8"), "account A-8: tariff other is not among the run's tariffs");
    CHECK_STR(skip_reason(r, "A-9"), "account A-9: meter M9 register total: no reading at "
                                     "2025-07-01 00:00 (the period's end)");
    CHECK_STR(bill_billing_report_skipped_account(r, 3), "A-9");
    CHECK_INT(bill_billing_report_skipped_status(r, 3), BILL_ENOTFOUND);
    CHECK_INT(strlen(bill_billing_report_uuid(r)), 36);
    CHECK(bill_billing_report_skipped_account(r, 4) == NULL);
    bill_billing_report_free(r);
    r = NULL;
    CHECK_INT(sql_int(s, "SELECT count(*) FROM bills"), 6);
    CHECK_INT(sql_int(s, "SELECT count(*) FROM billing_run_skips"), 4);
    CHECK_INT(sql_int(s, "SELECT billed FROM billing_runs"), 6);
    CHECK_INT(sql_int(s, "SELECT count(*) FROM bills WHERE estimated = 1"), 1);

    /* the stored bill is byte-identical to the engine's JSON */
    bill_determinants *d = NULL;
    bill_usage *u = NULL;
    bill_bill *b = NULL;
    CHECK_OK(bill_determinants_create(&d));
    CHECK_OK(bill_usage_create(&u));
    CHECK_OK(bill_bill_create(&b));
    const char *billed[] = { "A-1", "A-2", "A-3", "A-4", "A-5", "A-6" };
    for (size_t i = 0; i < 6; i++) {
        CHECK_OK(bill_store_determinants(d, s, billed[i], june));
        bill_usage_reset(u);
        CHECK_OK(bill_determinants_to_usage(u, d));
        CHECK_OK(bill_tariff_compute(t, u, b));
        char *want = bill_bill_to_json(b);
        char *have = bill_store_bill_json(s, billed[i], june);
        CHECK_STR(have, want);
        bill_free(want);
        bill_free(have);
    }
    CHECK(bill_store_bill_json(s, "A-9", june) == NULL);
    CHECK_INT(bill_errcode(), BILL_ENOTFOUND);
    CHECK_INT(sql_int(s, "SELECT count(*) FROM bill_lines l JOIN bills b ON b.id = l.bill_id"
                         " JOIN accounts a ON a.id = b.account_id WHERE a.reference = 'A-1'"),
              (int)bill_bill_line_count(b) > 0 ? 2 : -2);
    CHECK_INT(sql_int(s, "SELECT count(*) FROM bills b JOIN accounts a ON a.id = b.account_id"
                         " WHERE a.reference = 'A-1' AND b.total = '215.00'"
                         " AND b.tariff_versions = '2020-01-01' AND b.currency = 'CNY'"),
              1);

    /* twice: nothing billed again */
    CHECK_OK(bill_billing_run(&r, s, june, "cycle 1 again", ts, 1, NULL, 0));
    CHECK_INT(bill_billing_report_billed(r), 0);
    CHECK_INT(bill_billing_report_already_billed(r), 6);
    CHECK_INT(bill_billing_report_skipped(r), 4);
    bill_billing_report_free(r);
    r = NULL;
    CHECK_INT(sql_int(s, "SELECT count(*) FROM bills"), 6);

    /* the missing reading arrives: a run over a list bills only that account */
    CHECK_OK(su_reading(s, "M9", "total", "2025-07-01", "17", 0));
    const char *cycle[] = { "A-9", "A-1", "GHOST" };
    CHECK_OK(bill_billing_run(&r, s, june, "late", ts, 1, cycle, 3));
    CHECK_INT(bill_billing_report_accounts(r), 3);
    CHECK_INT(bill_billing_report_billed(r), 1);
    CHECK_INT(bill_billing_report_already_billed(r), 1);
    CHECK_INT(bill_billing_report_skipped(r), 1);
    CHECK_STR(skip_reason(r, "GHOST"), "account GHOST: no such account");
    bill_billing_report_free(r);
    CHECK_INT(sql_int(s, "SELECT count(*) FROM bills"), 7);
    CHECK_INT(sql_int(s, "SELECT count(*) FROM billing_runs WHERE finished_at IS NOT NULL"), 3);

    bill_bill_free(b);
    bill_usage_free(u);
    bill_determinants_free(d);
    bill_tariff_free(t);
    bill_store_close(s);
    /* reopened, the bills are there */
    s = NULL;
    CHECK_OK(bill_store_open(&s, path, 0));
    char *j = bill_store_bill_json(s, "A-9", june);
    CHECK(j != NULL && strstr(j, "\"total\"") != NULL);
    bill_free(j);
    bill_store_close(s);
    unlink(path);
}

static void test_billing_migration(void)
{
    char path[] = "/tmp/libbill-billing-v2-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    unlink(path);
    bill_store *s = NULL;
    CHECK_OK(billi_store_open_at(&s, path, BILL_STORE_CREATE, 2));
    if (!s)
        return;
    CHECK_OK(account(s, "OLD-1", "flat"));
    CHECK_OK(meter(s, "OM", "2020-01-01", NULL, 0));
    CHECK_OK(bill_registry_link(s, "OM", "OLD-1", su_date("2020-01-01"), bill_registry_open_end()));
    CHECK_OK(su_reading(s, "OM", "total", "2025-06-01", "1", 0));
    CHECK_OK(su_reading(s, "OM", "total", "2025-07-01", "11", 0));
    CHECK_INT(sql_int(s, "SELECT count(*) FROM sqlite_master WHERE name = 'bills'"), 0);
    bill_store_close(s);
    s = NULL;
    CHECK_OK(bill_store_open(&s, path, 0));
    CHECK_INT(bill_store_schema_version(s), BILL_STORE_SCHEMA_VERSION);
    CHECK_INT(sql_int(s, "SELECT count(*) FROM sqlite_master WHERE name IN ('bills', 'bill_lines',"
                         " 'billing_runs', 'billing_run_skips')"),
              4);
    CHECK_INT(sql_int(s, "SELECT count(*) FROM readings"), 2);
    bill_determinants *d = NULL;
    CHECK_OK(bill_determinants_create(&d));
    CHECK_OK(bill_store_determinants(d, s, "OLD-1", su_period("2025-06-01/2025-07-01")));
    CHECK_STR(Q(d, "total"), "10");
    bill_determinants_free(d);
    bill_store_close(s);
    unlink(path);
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

void suite_billing(void)
{
    RUN(test_store_determinants);
    RUN(test_billing_run);
    RUN(test_billing_migration);
}
