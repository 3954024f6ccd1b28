/*
 * Tests for a robust billing run: one account's bad data skips that account
 * (with a reason naming account, meter/register or field and cause) while
 * errors of SQLite stop the run whole; a run killed half way (fork + SIGKILL)
 * is closed by the next run of the period, which bills every account exactly
 * once and reports the interrupted run; the schema 3 -> 4 migration.
 */
#define _POSIX_C_SOURCE 200809L
#include "test.h"
#include "store_util.h"
#include "../../libbill/store_internal.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define RECOVERY_TARIFF                                                                        \
    "{\"format\": \"libbill-tariff/1\", \"id\": \"flat\", \"currency\": \"CNY\","              \
    " \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"},"              \
    " \"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2020-01-01\","      \
    " \"charges\": [{\"id\": \"energy\", \"type\": \"energy\", \"price\": \"0.5\"},"           \
    " {\"id\": \"service\", \"type\": \"fixed\", \"amount\": \"5.00\", \"per\": \"month\"}]}]}"

static long long q_int(bill_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char q_buf[256];
static const char *q_text(bill_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    snprintf(q_buf, sizeof q_buf, "(none)");
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(q_buf, sizeof q_buf, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return q_buf;
}

static void temp_path(char *path, size_t cap, const char *name)
{
    snprintf(path, cap, "/tmp/libbill-recovery-%s-%ld.db", name, (long)getpid());
    unlink(path);
}

static void remove_store(const char *path)
{
    char x[160];
    unlink(path);
    snprintf(x, sizeof x, "%s-wal", path);
    unlink(x);
    snprintf(x, sizeof x, "%s-shm", path);
    unlink(x);
}

/* Account R-nnnn with meter M-nnnn (register total): 06-01 `from`, 07-01 100 + n. */
static int add_account(bill_store *s, int n, const char *from)
{
    char ref[16], serial[16], to[16];
    snprintf(ref, sizeof ref, "R-%04d", n);
    snprintf(serial, sizeof serial, "M-%04d", n);
    snprintf(to, sizeof to, "%d", 100 + n);
    bill_account *a = NULL;
    bill_meter *m = NULL;
    int rc = bill_account_create(&a, ref);
    if (rc == BILL_OK)
        rc = bill_account_set_tariff(a, "flat");
    if (rc == BILL_OK)
        rc = bill_registry_add_account(s, a);
    if (rc == BILL_OK)
        rc = bill_meter_create(&m, serial);
    if (rc == BILL_OK)
        rc = bill_meter_set_installed(m, su_date("2020-01-01"));
    if (rc == BILL_OK)
        rc = bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0);
    if (rc == BILL_OK)
        rc = bill_registry_add_meter(s, m);
    if (rc == BILL_OK)
        rc = bill_registry_link(s, serial, ref, su_date("2020-01-01"), bill_registry_open_end());
    if (rc == BILL_OK)
        rc = su_reading(s, serial, "total", "2025-06-01", from, 0);
    if (rc == BILL_OK)
        rc = su_reading(s, serial, "total", "2025-07-01", to, 0);
    bill_account_free(a);
    bill_meter_free(m);
    return rc;
}

/* A store with accounts R-0000 .. R-(n-1), all billable. */
static bill_store *make_store(const char *path, int n)
{
    bill_store *s = NULL;
    CHECK_OK(bill_store_open(&s, path, BILL_STORE_CREATE));
    if (!s)
        return NULL;
    int bad = bill_store_begin(s) != BILL_OK;
    for (int i = 0; i < n && !bad; i++)
        bad = add_account(s, i, "0") != BILL_OK;
    CHECK(!bad);
    CHECK_OK(bill_store_commit(s));
    return s;
}

static int run_june(bill_billing_report **out, bill_store *s, const bill_tariff *t,
                    const char *const *refs, size_t n)
{
    const bill_tariff *ts[] = { t };
    return bill_billing_run(out, s, su_period("2025-06-01/2025-07-01"), "june", ts, 1, refs, n);
}

/* The skip reason of account `ref` in r ("" when not skipped). */
static const char *reason_of(const bill_billing_report *r, const char *ref)
{
    for (size_t i = 0; i < bill_billing_report_skipped(r); i++)
        if (strcmp(bill_billing_report_skipped_account(r, i), ref) == 0)
            return bill_billing_report_skipped_reason(r, i);
    return "";
}

static int status_of(const bill_billing_report *r, const char *ref)
{
    for (size_t i = 0; i < bill_billing_report_skipped(r); i++)
        if (strcmp(bill_billing_report_skipped_account(r, i), ref) == 0)
            return bill_billing_report_skipped_status(r, i);
    return 0;
}

/*
 * Six accounts: R-0000 and R-0004 fine; R-0001 a stored reading "12x";
 * R-0002 a capacity that is not a decimal; R-0003 a stored multiplier "two";
 * R-0005 a link ending on "2025-13-45". Every path (every account, the
 * references as a list) skips the four and bills the two.
 */
static void test_bad_account_skipped(void)
{
    char path[128];
    temp_path(path, sizeof path, "bad");
    bill_store *s = NULL;
    CHECK_OK(bill_store_open(&s, path, BILL_STORE_CREATE));
    if (!s)
        return;
    CHECK_OK(add_account(s, 0, "0"));
    CHECK_OK(add_account(s, 1, "12x"));
    CHECK_OK(add_account(s, 2, "0"));
    CHECK_OK(add_account(s, 3, "0"));
    CHECK_OK(add_account(s, 4, "0"));
    CHECK_OK(add_account(s, 5, "0"));
    CHECK_INT(sqlite3_exec(s->db, "UPDATE accounts SET capacity_kva = 'abc' WHERE reference = 'R-0002';"
                                  "UPDATE links SET valid_to = '2025-13-45' WHERE meter_id ="
                                  " (SELECT id FROM meters WHERE serial = 'M-0005');"
                                  "INSERT INTO multipliers (meter_id, effective_from, multiplier)"
                                  " SELECT id, '2025-06-15', 'two' FROM meters WHERE serial = 'M-0003'",
                           NULL, NULL, NULL),
              SQLITE_OK);
    bill_tariff *t = NULL;
    CHECK_OK(bill_tariff_load(&t, RECOVERY_TARIFF, (size_t)-1, "flat"));
    for (int pass = 0; pass < 2; pass++) {
        const char *refs[] = { "R-0000", "R-0001", "R-0002", "R-0003", "R-0004", "R-0005" };
        bill_billing_report *r = NULL;
        CHECK_OK(run_june(&r, s, t, pass ? refs : NULL, pass ? 6 : 0));
        if (!r)
            break;
        CHECK_INT(bill_billing_report_accounts(r), 6);
        CHECK_INT(bill_billing_report_billed(r), 2);
        CHECK_INT(bill_billing_report_skipped(r), 4);
        CHECK_INT(bill_billing_report_interrupted(r), 0);
        CHECK_INT(status_of(r, "R-0001"), BILL_ECORRUPT);
        CHECK_STR(reason_of(r, "R-0001"),
                  "account R-0001: meter M-0001 register total: the stored reading at"
                  " 2025-06-01T00:00 is '12x', not a decimal");
        CHECK_INT(status_of(r, "R-0002"), BILL_ESYNTAX);
        CHECK(strncmp(reason_of(r, "R-0002"), "account R-0002: field capacity_kva: ", 36) == 0);
        CHECK(strstr(reason_of(r, "R-0002"), "abc") != NULL);
        CHECK_INT(status_of(r, "R-0003"), BILL_ECORRUPT);
        CHECK_STR(reason_of(r, "R-0003"),
                  "account R-0003: meter M-0003: the stored multiplier from '2025-06-15' is 'two',"
                  " not a date and a decimal");
        CHECK_INT(status_of(r, "R-0005"), BILL_ECORRUPT);
        CHECK_STR(reason_of(r, "R-0005"),
                  "account R-0005: meter M-0005: the stored link's valid_to '2025-13-45' is not a"
                  " date");
        /* stored with the run: the skips, the two bills */
        CHECK_INT(q_int(s, "SELECT count(*) FROM billing_run_skips WHERE status = 'ECORRUPT'"
                           " AND run_id = (SELECT max(id) FROM billing_runs)"),
                  3);
        CHECK_INT(q_int(s, "SELECT count(*) FROM bills"), 2);
        bill_billing_report_free(r);
        /* the second pass: the two are already billed; remove their bills to bill again */
        CHECK_INT(sqlite3_exec(s->db, "DELETE FROM bill_lines; DELETE FROM bills", NULL, NULL, NULL),
                  SQLITE_OK);
    }
    /* the single-account path names the same reading */
    bill_determinants *d = NULL;
    CHECK_OK(bill_determinants_create(&d));
    CHECK_ERR(bill_store_determinants(d, s, "R-0001", su_period("2025-06-01/2025-07-01")),
              BILL_ECORRUPT);
    CHECK_STR(bill_errmsg(), "meter M-0001 register total: the stored reading at 2025-06-01T00:00"
                             " is '12x', not a decimal");
    bill_determinants_free(d);
    bill_tariff_free(t);
    bill_store_close(s);
    remove_store(path);
}

#define CAPACITY_TARIFF                                                                        \
    "{\"format\": \"libbill-tariff/1\", \"id\": \"cap\", \"currency\": \"CNY\","               \
    " \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"},"              \
    " \"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2020-01-01\","      \
    " \"charges\": [{\"id\": \"energy\", \"type\": \"energy\", \"price\": \"0.5\"},"           \
    " {\"id\": \"basic\", \"type\": \"capacity\", \"price\": \"24\"}]}]}"

/* A rule of the tariff the account's usage breaks (no capacity for a capacity charge) skips it. */
static void test_rule_error_skipped(void)
{
    bill_store *s = make_store(":memory:", 3);
    if (!s)
        return;
    CHECK_INT(sqlite3_exec(s->db, "UPDATE accounts SET tariff = 'cap' WHERE reference <> 'R-0000';"
                                  "UPDATE accounts SET capacity_kva = '100' WHERE reference = 'R-0002'",
                           NULL, NULL, NULL),
              SQLITE_OK);
    bill_tariff *flat = NULL, *cap = NULL;
    CHECK_OK(bill_tariff_load(&flat, RECOVERY_TARIFF, (size_t)-1, "flat"));
    CHECK_OK(bill_tariff_load(&cap, CAPACITY_TARIFF, (size_t)-1, "cap"));
    const bill_tariff *ts[] = { flat, cap };
    bill_billing_report *r = NULL;
    CHECK_OK(bill_billing_run(&r, s, su_period("2025-06-01/2025-07-01"), "june", ts, 2, NULL, 0));
    if (r) {
        CHECK_INT(bill_billing_report_billed(r), 2);
        CHECK_INT(bill_billing_report_skipped(r), 1);
        CHECK_INT(status_of(r, "R-0001"), BILL_ERULE);
        CHECK_STR(reason_of(r, "R-0001"), "account R-0001: bill: charge 'basic' prices installed"
                                          " capacity, but the usage has no capacity_kva");
    }
    bill_billing_report_free(r);
    bill_tariff_free(flat);
    bill_tariff_free(cap);
    bill_store_close(s);
}

/*
 * An error of SQLite while storing a bill (a trigger failing the third insert
 * stands for a full disk) stops the run: nothing of its open batch stays (no
 * bill, no skip), the run is left unfinished; the next run closes it and
 * bills everything.
 */
static void test_store_error_stops_run(void)
{
    char path[128];
    temp_path(path, sizeof path, "stop");
    bill_store *s = make_store(path, 5);
    if (!s)
        return;
    CHECK_OK(bill_store_begin(s));
    CHECK_OK(add_account(s, 5, "x")); /* one skip before the failure */
    CHECK_OK(bill_store_commit(s));
    CHECK_INT(sqlite3_exec(s->db,
                           "CREATE TRIGGER full BEFORE INSERT ON bills"
                           " WHEN (SELECT count(*) FROM bills) >= 2"
                           " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
                           NULL, NULL, NULL),
              SQLITE_OK);
    bill_tariff *t = NULL;
    CHECK_OK(bill_tariff_load(&t, RECOVERY_TARIFF, (size_t)-1, "flat"));
    bill_billing_report *r = NULL;
    int rc = run_june(&r, s, t, NULL, 0);
    CHECK(rc != BILL_OK);
    CHECK(r == NULL);
    CHECK(strstr(bill_errmsg(), "database or disk is full") != NULL);
    CHECK_INT(q_int(s, "SELECT count(*) FROM bills"), 0);
    CHECK_INT(q_int(s, "SELECT count(*) FROM billing_run_skips"), 0);
    CHECK_INT(q_int(s, "SELECT count(*) FROM billing_runs WHERE finished_at IS NULL"), 1);
    CHECK(bill_billing_report_interrupted_uuid(r, 0) == NULL);
    CHECK_INT(sqlite3_exec(s->db, "DROP TRIGGER full", NULL, NULL, NULL), SQLITE_OK);
    CHECK_OK(run_june(&r, s, t, NULL, 0));
    if (r) {
        CHECK_INT(bill_billing_report_billed(r), 5);
        CHECK_INT(bill_billing_report_skipped(r), 1);
        CHECK_INT(bill_billing_report_interrupted(r), 1);
        CHECK_INT(bill_billing_report_interrupted_bills(r, 0), 0);
        CHECK_INT(bill_billing_report_interrupted_counted(r, 0), 0);
        CHECK_STR(bill_billing_report_interrupted_uuid(r, 0),
                  q_text(s, "SELECT uuid FROM billing_runs WHERE id = 1"));
    }
    CHECK_INT(q_int(s, "SELECT interrupted_by FROM billing_runs WHERE id = 1"), 2);
    bill_billing_report_free(r);
    bill_tariff_free(t);
    bill_store_close(s);
    remove_store(path);
}

/* ---- SIGKILL mid-run ----------------------------------------------------------------- */

#define KILL_ACCOUNTS 2500 /* three batches of up to 1000 accounts */

/* Commit 1 is the run's row; commit 2 the first batch; the third is killed before it lands. */
static int kill_on_third_commit(void *arg)
{
    int *n = arg;
    if (++*n == 3)
        kill(getpid(), SIGKILL);
    return 0;
}

static void test_killed_run(void)
{
    char path[128];
    temp_path(path, sizeof path, "kill");
    bill_store *s = make_store(path, KILL_ACCOUNTS);
    if (!s)
        return;
    bill_store_close(s);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        bill_store *cs = NULL;
        bill_tariff *ct = NULL;
        bill_billing_report *cr = NULL;
        if (bill_store_open(&cs, path, 0) != BILL_OK ||
            bill_tariff_load(&ct, RECOVERY_TARIFF, (size_t)-1, "flat") != BILL_OK)
            _exit(3);
        int commits = 0;
        sqlite3_commit_hook(cs->db, kill_on_third_commit, &commits);
        run_june(&cr, cs, ct, NULL, 0);
        _exit(4); /* not reached: killed in the second batch's commit */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    s = NULL;
    CHECK_OK(bill_store_open(&s, path, BILL_STORE_VERIFY));
    if (!s)
        return;
    /* the killed run: unfinished, its first batch committed whole */
    CHECK_INT(q_int(s, "SELECT count(*) FROM billing_runs"), 1);
    CHECK_INT(q_int(s, "SELECT finished_at IS NULL AND interrupted_by IS NULL FROM billing_runs"), 1);
    CHECK_INT(q_int(s, "SELECT count(*) FROM bills"), 1000);
    CHECK_INT(q_int(s, "SELECT count(*) FROM bills b WHERE NOT EXISTS"
                       " (SELECT 1 FROM bill_lines l WHERE l.bill_id = b.id)"),
              0);
    char killed[64];
    snprintf(killed, sizeof killed, "%s", q_text(s, "SELECT uuid FROM billing_runs"));

    bill_tariff *t = NULL;
    CHECK_OK(bill_tariff_load(&t, RECOVERY_TARIFF, (size_t)-1, "flat"));
    const bill_tariff *ts[] = { t };
    /* a run of another period does not close it */
    bill_billing_report *r = NULL;
    CHECK_OK(bill_billing_run(&r, s, su_period("2025-07-01/2025-08-01"), "july", ts, 1, NULL, 0));
    CHECK_INT(bill_billing_report_interrupted(r), 0);
    CHECK_INT(bill_billing_report_skipped(r), KILL_ACCOUNTS);
    bill_billing_report_free(r);
    r = NULL;
    CHECK_INT(q_int(s, "SELECT interrupted_by IS NULL FROM billing_runs WHERE id = 1"), 1);

    /* the rerun of June finishes the work and closes the killed run */
    CHECK_OK(run_june(&r, s, t, NULL, 0));
    if (r) {
        CHECK_INT(bill_billing_report_accounts(r), KILL_ACCOUNTS);
        CHECK_INT(bill_billing_report_billed(r), KILL_ACCOUNTS - 1000);
        CHECK_INT(bill_billing_report_already_billed(r), 1000);
        CHECK_INT(bill_billing_report_skipped(r), 0);
        CHECK_INT(bill_billing_report_interrupted(r), 1);
        CHECK_STR(bill_billing_report_interrupted_uuid(r, 0), killed);
        CHECK_INT(bill_billing_report_interrupted_bills(r, 0), 1000);
        CHECK_INT(bill_billing_report_interrupted_counted(r, 0), 1000);
        const char *started = bill_billing_report_interrupted_started(r, 0);
        CHECK(started && strlen(started) == 20 && started[10] == 'T' && started[19] == 'Z');
        CHECK(bill_billing_report_interrupted_uuid(r, 1) == NULL);
        CHECK_INT(bill_billing_report_interrupted_bills(r, 1), 0);
    }
    /* every account billed exactly once */
    CHECK_INT(q_int(s, "SELECT count(*) FROM bills"), KILL_ACCOUNTS);
    CHECK_INT(q_int(s, "SELECT count(DISTINCT account_id) FROM bills"), KILL_ACCOUNTS);
    CHECK_INT(q_int(s, "SELECT count(*) FROM (SELECT account_id FROM bills"
                       " GROUP BY account_id, period_start HAVING count(*) > 1)"),
              0);
    CHECK_INT(q_int(s, "SELECT count(*) FROM bills WHERE run_id = 1"), 1000);
    /* stored: the killed run closed by the rerun (id 3), which finished */
    CHECK_INT(q_int(s, "SELECT interrupted_by FROM billing_runs WHERE id = 1"), 3);
    CHECK_INT(q_int(s, "SELECT billed FROM billing_runs WHERE id = 1"), 1000);
    CHECK_INT(q_int(s, "SELECT finished_at IS NOT NULL AND interrupted_by IS NULL"
                       " FROM billing_runs WHERE id = 3"),
              1);
    bill_billing_report_free(r);
    r = NULL;
    /* a third run: nothing left to close or bill */
    CHECK_OK(run_june(&r, s, t, NULL, 0));
    CHECK_INT(bill_billing_report_interrupted(r), 0);
    CHECK_INT(bill_billing_report_already_billed(r), KILL_ACCOUNTS);
    CHECK_INT(bill_billing_report_billed(r), 0);
    bill_billing_report_free(r);
    bill_tariff_free(t);
    bill_store_close(s);
    remove_store(path);
}

/* A version-3 file with an unfinished run migrates to 4; the next run of its period closes it. */
static void test_migration_v3(void)
{
    char path[128];
    temp_path(path, sizeof path, "v3");
    bill_store *s = NULL;
    CHECK_OK(billi_store_open_at(&s, path, BILL_STORE_CREATE, 3));
    if (!s)
        return;
    CHECK_OK(add_account(s, 0, "0"));
    CHECK_OK(add_account(s, 1, "0"));
    CHECK_INT(q_int(s, "SELECT count(*) FROM pragma_table_info('billing_runs')"
                       " WHERE name = 'interrupted_by'"),
              0);
    CHECK_INT(sqlite3_exec(s->db,
                           "INSERT INTO billing_runs (uuid, label, period_start, period_end)"
                           " VALUES ('00000000-0000-4000-8000-000000000001', 'old', '2025-06-01',"
                           " '2025-07-01');"
                           "INSERT INTO billing_runs (uuid, label, period_start, period_end,"
                           " finished_at) VALUES ('00000000-0000-4000-8000-000000000002', 'done',"
                           " '2025-06-01', '2025-07-01', '2025-07-02T00:00:00Z')",
                           NULL, NULL, NULL),
              SQLITE_OK);
    bill_store_close(s);
    s = NULL;
    CHECK_OK(bill_store_open(&s, path, 0));
    if (!s)
        return;
    CHECK_INT(bill_store_schema_version(s), 4);
    CHECK_INT(q_int(s, "SELECT count(*) FROM pragma_table_info('billing_runs')"
                       " WHERE name = 'interrupted_by'"),
              1);
    CHECK_INT(q_int(s, "SELECT count(*) FROM billing_runs WHERE interrupted_by IS NULL"), 2);
    bill_tariff *t = NULL;
    CHECK_OK(bill_tariff_load(&t, RECOVERY_TARIFF, (size_t)-1, "flat"));
    bill_billing_report *r = NULL;
    CHECK_OK(run_june(&r, s, t, NULL, 0));
    if (r) {
        CHECK_INT(bill_billing_report_billed(r), 2);
        CHECK_INT(bill_billing_report_interrupted(r), 1); /* the finished one is left alone */
        CHECK_STR(bill_billing_report_interrupted_uuid(r, 0),
                  "00000000-0000-4000-8000-000000000001");
        CHECK_INT(bill_billing_report_interrupted_bills(r, 0), 0);
    }
    CHECK_INT(q_int(s, "SELECT interrupted_by FROM billing_runs WHERE id = 1"), 3);
    CHECK_INT(q_int(s, "SELECT interrupted_by IS NULL FROM billing_runs WHERE id = 2"), 1);
    bill_billing_report_free(r);
    bill_tariff_free(t);
    bill_store_close(s);
    remove_store(path);
}

static void test_report_null(void)
{
    CHECK_INT(bill_billing_report_interrupted(NULL), 0);
    CHECK(bill_billing_report_interrupted_uuid(NULL, 0) == NULL);
    CHECK(bill_billing_report_interrupted_started(NULL, 0) == NULL);
    CHECK_INT(bill_billing_report_interrupted_bills(NULL, 0), 0);
    CHECK_INT(bill_billing_report_interrupted_counted(NULL, 0), 0);
}

void suite_billing_recovery(void)
{
    RUN(test_bad_account_skipped);
    RUN(test_rule_error_skipped);
    RUN(test_store_error_stops_run);
    RUN(test_killed_run);
    RUN(test_migration_v3);
    RUN(test_report_null);
}
