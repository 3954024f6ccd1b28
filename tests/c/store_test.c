/* Tests for the store: files, versions, migrations, settings, transactions, concurrency. */
#define _DEFAULT_SOURCE
#include "test.h"
#include "../../libbill/store_internal.h"
#include <pthread.h>
#include <unistd.h>
#include <sys/wait.h>

static char tmpdir[64];

static const char *tmp_path(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmpdir, name);
    return buf;
}

/* Run SQL on a file with SQLite directly (not through libbill). */
static int raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static int raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int v = -999;
    if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static int store_int(bill_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int v = -999;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int add_account(bill_store *s, const char *ref)
{
    bill_account *a = NULL;
    int rc = bill_account_create(&a, ref);
    if (rc == BILL_OK)
        rc = bill_registry_add_account(s, a);
    bill_account_free(a);
    return rc;
}

static int has_account(bill_store *s, const char *ref)
{
    bill_account *a = NULL;
    int rc = bill_registry_get_account(&a, s, ref);
    bill_account_free(a);
    return rc == BILL_OK;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_create_reopen(void)
{
    char p[128];
    bill_store *s = NULL;
    tmp_path(p, sizeof p, "a.db");
    CHECK_ERR(bill_store_open(&s, p, 0), BILL_ENOTFOUND);
    CHECK(s == NULL);
    CHECK(strstr(bill_errmsg(), "a.db") != NULL);
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_CREATE));
    CHECK_INT(bill_store_schema_version(s), BILL_STORE_SCHEMA_VERSION);
    CHECK_INT(bill_store_is_readonly(s), 0);
    CHECK_OK(add_account(s, "ACC-1"));
    bill_store_close(s);
    CHECK_INT(raw_int(p, "PRAGMA user_version"), BILL_STORE_SCHEMA_VERSION);
    CHECK_INT(raw_int(p, "PRAGMA application_id"), BILL_STORE_APPLICATION_ID);
    s = NULL;
    CHECK_OK(bill_store_open(&s, p, 0));
    CHECK(has_account(s, "ACC-1"));
    bill_store_close(s);
    bill_store_close(NULL);
    /* read-only: reads work, writes are refused */
    s = NULL;
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_READONLY));
    CHECK_INT(bill_store_is_readonly(s), 1);
    CHECK(has_account(s, "ACC-1"));
    CHECK_ERR(add_account(s, "ACC-2"), BILL_ESTATE);
    CHECK_ERR(bill_store_begin(s), BILL_ESTATE);
    bill_store_close(s);
    /* verify flag on a healthy file */
    s = NULL;
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_VERIFY));
    bill_store_close(s);
    /* bad arguments */
    CHECK_ERR(bill_store_open(NULL, p, 0), BILL_EINVAL);
    CHECK_ERR(bill_store_open(&s, NULL, 0), BILL_EINVAL);
    CHECK_ERR(bill_store_open(&s, p, 64), BILL_EINVAL);
    CHECK_ERR(bill_store_open(&s, p, BILL_STORE_CREATE | BILL_STORE_READONLY), BILL_EINVAL);
    tmp_path(p, sizeof p, "no-such-dir/x.db");
    CHECK_ERR(bill_store_open(&s, p, BILL_STORE_CREATE), BILL_EIO);
}

static void test_memory(void)
{
    bill_store *s = NULL, *t = NULL;
    CHECK_OK(bill_store_open(&s, ":memory:", 0));
    CHECK_INT(bill_store_schema_version(s), BILL_STORE_SCHEMA_VERSION);
    CHECK_OK(add_account(s, "M1"));
    CHECK(has_account(s, "M1"));
    /* each :memory: store is private */
    CHECK_OK(bill_store_open(&t, ":memory:", 0));
    CHECK(!has_account(t, "M1"));
    CHECK_INT(store_int(s, "PRAGMA foreign_keys"), 1);
    bill_store_close(s);
    bill_store_close(t);
}

static void test_settings(void)
{
    char p[128];
    bill_store *s = NULL;
    tmp_path(p, sizeof p, "settings.db");
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_CREATE));
    CHECK_INT(store_int(s, "PRAGMA foreign_keys"), 1);
    CHECK_INT(store_int(s, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    /* the foreign keys are enforced: a share of an unknown account and link */
    CHECK(sqlite3_exec(s->db, "INSERT INTO link_shares (link_id, account_id, position, ratio) "
                              "VALUES (999, 999, 0, '1')", NULL, NULL, NULL) != SQLITE_OK);
    CHECK_ERR(bill_store_set_busy_timeout(s, -1), BILL_ERANGE);
    CHECK_ERR(bill_store_set_busy_timeout(s, 3600001), BILL_ERANGE);
    CHECK_OK(bill_store_set_busy_timeout(s, 100));
    bill_store_close(s);
    CHECK_INT(raw_int(p, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
}

static void test_refuse(void)
{
    char p[128];
    bill_store *s = NULL;
    /* newer schema */
    tmp_path(p, sizeof p, "newer.db");
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_CREATE));
    bill_store_close(s);
    s = NULL;
    CHECK_INT(raw_exec(p, "PRAGMA user_version = 99"), SQLITE_OK);
    CHECK_ERR(bill_store_open(&s, p, 0), BILL_EVERSION);
    CHECK(s == NULL);
    CHECK(strstr(bill_errmsg(), "99") != NULL);
    CHECK_ERR(bill_store_open(&s, p, BILL_STORE_READONLY), BILL_EVERSION);
    /* not SQLite at all */
    tmp_path(p, sizeof p, "text.db");
    write_file(p, "reference,class\nACC-1,residential\n this is a CSV file, not a database at all, "
                  "long enough to be taken for a header page by nobody....................\n");
    CHECK_ERR(bill_store_open(&s, p, 0), BILL_ECORRUPT);
    CHECK(s == NULL);
    /* SQLite, but another application's */
    tmp_path(p, sizeof p, "foreign.db");
    CHECK_INT(raw_exec(p, "CREATE TABLE customers (id INTEGER)"), SQLITE_OK);
    CHECK_ERR(bill_store_open(&s, p, 0), BILL_ECORRUPT);
    CHECK(strstr(bill_errmsg(), "not a libbill store") != NULL);
    tmp_path(p, sizeof p, "foreign2.db");
    CHECK_INT(raw_exec(p, "PRAGMA application_id = 1234"), SQLITE_OK);
    CHECK_ERR(bill_store_open(&s, p, 0), BILL_ECORRUPT);
    CHECK(strstr(bill_errmsg(), "another application") != NULL);
}

static void test_corrupt(void)
{
    char p[128];
    bill_store *s = NULL;
    tmp_path(p, sizeof p, "corrupt.db");
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_CREATE));
    for (int i = 0; i < 50; i++) {
        char ref[16];
        snprintf(ref, sizeof ref, "C%03d", i);
        CHECK_OK(add_account(s, ref));
    }
    bill_store_close(s);
    s = NULL;
    /* fold the WAL back into the file, then damage the schema page after its header */
    CHECK_INT(raw_exec(p, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE"), SQLITE_OK);
    FILE *f = fopen(p, "r+b");
    CHECK(f != NULL);
    if (f) {
        fseek(f, 100, SEEK_SET);
        for (int i = 0; i < 3000; i++)
            fputc(0xA5, f);
        fclose(f);
    }
    CHECK_ERR(bill_store_open(&s, p, 0), BILL_ECORRUPT);
    CHECK(s == NULL);
}

/* Damage a data page only: a plain open may not notice, BILL_STORE_VERIFY does. */
static void test_verify(void)
{
    char p[128];
    bill_store *s = NULL;
    tmp_path(p, sizeof p, "verify.db");
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_CREATE));
    CHECK_OK(bill_store_begin(s));
    for (int i = 0; i < 400; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "VERIFY-ACCOUNT-%05d", i);
        add_account(s, ref);
    }
    CHECK_OK(bill_store_commit(s));
    bill_store_close(s);
    s = NULL;
    CHECK_INT(raw_exec(p, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE"), SQLITE_OK);
    int page = raw_int(p, "PRAGMA page_size");
    int pages = raw_int(p, "PRAGMA page_count");
    CHECK(pages > 8);
    FILE *f = fopen(p, "r+b");
    if (f) {
        fseek(f, (long)page * (pages - 2) + 8, SEEK_SET);
        for (int i = 0; i < page - 16; i++)
            fputc(0xA5, f);
        fclose(f);
    }
    CHECK_ERR(bill_store_open(&s, p, BILL_STORE_VERIFY), BILL_ECORRUPT);
    CHECK(s == NULL);
}

static void test_migrate(void)
{
    char p[128];
    bill_store *s = NULL;
    /* an empty file is a version-0 SQLite database */
    tmp_path(p, sizeof p, "empty.db");
    write_file(p, "");
    CHECK_OK(bill_store_open(&s, p, 0));
    CHECK_INT(bill_store_schema_version(s), BILL_STORE_SCHEMA_VERSION);
    bill_store_close(s);
    /* a version-0 SQLite file (user_version 0, no tables) */
    s = NULL;
    tmp_path(p, sizeof p, "v0.db");
    CHECK_INT(raw_exec(p, "PRAGMA user_version = 0; PRAGMA page_size = 4096; VACUUM"), SQLITE_OK);
    CHECK_OK(bill_store_open(&s, p, 0));
    CHECK_INT(bill_store_schema_version(s), BILL_STORE_SCHEMA_VERSION);
    bill_store_close(s);
    /* a version-1 file with data migrates to the current version and keeps it */
    s = NULL;
    tmp_path(p, sizeof p, "v1.db");
    CHECK_OK(billi_store_open_at(&s, p, BILL_STORE_CREATE, 1));
    CHECK_INT(bill_store_schema_version(s), 1);
    CHECK_OK(add_account(s, "OLD-1"));
    bill_store_close(s);
    s = NULL;
    CHECK_INT(raw_int(p, "PRAGMA user_version"), 1);
    CHECK_INT(raw_int(p, "SELECT count(*) FROM sqlite_master WHERE name = 'readings'"), 0);
    /* read-only cannot migrate */
    CHECK_ERR(bill_store_open(&s, p, BILL_STORE_READONLY), BILL_EVERSION);
    CHECK(strstr(bill_errmsg(), "version 1") != NULL);
    CHECK_OK(bill_store_open(&s, p, 0));
    CHECK_INT(bill_store_schema_version(s), BILL_STORE_SCHEMA_VERSION);
    CHECK(has_account(s, "OLD-1"));
    CHECK_INT(store_int(s, "SELECT count(*) FROM sqlite_master WHERE name IN "
                           "('readings', 'interval_readings', 'imports', 'import_exceptions')"), 4);
    bill_store_close(s);
    CHECK_INT(raw_int(p, "PRAGMA user_version"), BILL_STORE_SCHEMA_VERSION);
    CHECK_ERR(billi_store_open_at(&s, p, 0, BILL_STORE_SCHEMA_VERSION + 1), BILL_EINVAL);
}

static void test_transactions(void)
{
    bill_store *s = NULL;
    CHECK_OK(bill_store_open(&s, ":memory:", 0));
    CHECK_ERR(bill_store_commit(s), BILL_ESTATE);
    CHECK_ERR(bill_store_rollback(s), BILL_ESTATE);
    CHECK_OK(bill_store_begin(s));
    CHECK_INT(bill_store_in_transaction(s), 1);
    CHECK_ERR(bill_store_begin(s), BILL_ESTATE);
    CHECK_OK(add_account(s, "T1"));
    CHECK_OK(add_account(s, "T2"));
    CHECK_ERR(add_account(s, "T1"), BILL_EEXISTS); /* fails alone; T1 and T2 stay pending */
    CHECK(has_account(s, "T2"));
    CHECK_OK(bill_store_rollback(s));
    CHECK_INT(bill_store_in_transaction(s), 0);
    CHECK(!has_account(s, "T1"));
    CHECK(!has_account(s, "T2"));
    CHECK_OK(bill_store_begin(s));
    CHECK_OK(add_account(s, "T3"));
    CHECK_ERR(add_account(s, "T3"), BILL_EEXISTS);
    CHECK_OK(add_account(s, "T4"));
    CHECK_OK(bill_store_commit(s));
    CHECK(has_account(s, "T3"));
    CHECK(has_account(s, "T4"));
    char *refs = bill_registry_account_refs(s);
    CHECK_STR(refs, "T3\nT4\n");
    bill_free(refs);
    bill_store_close(s);
}

/* ---- two handles on one file ------------------------------------------------------ */

struct writer {
    const char *path;
    const char *prefix;
    int n, failures;
};

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    bill_store *s = NULL;
    if (bill_store_open(&s, w->path, 0) != BILL_OK) {
        w->failures = w->n;
        return NULL;
    }
    for (int i = 0; i < w->n; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "%s-%04d", w->prefix, i);
        if (add_account(s, ref) != BILL_OK)
            w->failures++;
    }
    bill_store_close(s);
    return NULL;
}

static void test_concurrent(void)
{
    char p[128];
    bill_store *s = NULL;
    tmp_path(p, sizeof p, "shared.db");
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_CREATE));
    struct writer w[2] = { { p, "A", 150, 0 }, { p, "B", 150, 0 } };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        CHECK_INT(pthread_create(&t[i], NULL, writer_main, &w[i]), 0);
    /* the main handle writes too */
    for (int i = 0; i < 50; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "M-%04d", i);
        CHECK_OK(add_account(s, ref));
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    CHECK_INT(w[0].failures, 0);
    CHECK_INT(w[1].failures, 0);
    CHECK_INT(store_int(s, "SELECT count(*) FROM accounts"), 350);
    bill_store_close(s);

    /* a held write lock: a second handle waits, then reports EBUSY after its timeout */
    bill_store *a = NULL, *b = NULL;
    CHECK_OK(bill_store_open(&a, p, 0));
    CHECK_OK(bill_store_open(&b, p, 0));
    CHECK_OK(bill_store_set_busy_timeout(b, 50));
    CHECK_OK(bill_store_begin(a));
    CHECK_OK(add_account(a, "LOCK-A"));
    CHECK_ERR(add_account(b, "LOCK-B"), BILL_EBUSY);
    CHECK(!has_account(b, "LOCK-A")); /* not committed yet */
    CHECK_OK(bill_store_commit(a));
    CHECK_OK(add_account(b, "LOCK-B"));
    CHECK(has_account(b, "LOCK-A"));
    CHECK(has_account(a, "LOCK-B"));
    bill_store_close(a);
    bill_store_close(b);
}

/* Two processes: a child writes through its own handle while the parent writes. */
static void test_two_processes(void)
{
    char p[128];
    bill_store *s = NULL;
    tmp_path(p, sizeof p, "procs.db");
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_CREATE));
    bill_store_close(s);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct writer w = { p, "CHILD", 100, 0 };
        writer_main(&w);
        _exit(w.failures ? 1 : 0);
    }
    CHECK(pid > 0);
    struct writer w = { p, "PARENT", 100, 0 };
    writer_main(&w);
    CHECK_INT(w.failures, 0);
    int status = -1;
    if (pid > 0)
        waitpid(pid, &status, 0);
    CHECK_INT(status, 0);
    s = NULL;
    CHECK_OK(bill_store_open(&s, p, 0));
    CHECK_INT(store_int(s, "SELECT count(*) FROM accounts"), 200);
    bill_store_close(s);
}

/* A failure half-way through a multi-row change leaves nothing behind. */
static void test_atomic(void)
{
    bill_store *s = NULL;
    CHECK_OK(bill_store_open(&s, ":memory:", 0));
    /* make the second register's insert fail, after the meter row and the first register */
    CHECK_INT(sqlite3_exec(s->db, "CREATE TEMP TRIGGER fail_peak BEFORE INSERT ON registers "
                                  "WHEN NEW.code = 'peak' BEGIN SELECT RAISE(ABORT, 'injected'); END",
                           NULL, NULL, NULL), SQLITE_OK);
    bill_meter *m = NULL;
    CHECK_OK(bill_meter_create(&m, "HALF"));
    CHECK_OK(bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0));
    CHECK_OK(bill_meter_add_register(m, "peak", BILL_REGISTER_ENERGY, 0));
    CHECK(bill_registry_add_meter(s, m) != BILL_OK);
    CHECK(strstr(bill_errmsg(), "injected") != NULL);
    CHECK_STR(bill_meter_uuid(m), "");
    CHECK_INT(store_int(s, "SELECT count(*) FROM meters"), 0);
    CHECK_INT(store_int(s, "SELECT count(*) FROM registers"), 0);
    CHECK_INT(store_int(s, "SELECT count(*) FROM multipliers"), 0);
    /* inside a caller's transaction only the failing call is undone */
    CHECK_OK(bill_store_begin(s));
    CHECK_OK(add_account(s, "KEEP"));
    CHECK(bill_registry_add_meter(s, m) != BILL_OK);
    CHECK_OK(bill_store_commit(s));
    CHECK(has_account(s, "KEEP"));
    CHECK_INT(store_int(s, "SELECT count(*) FROM registers"), 0);
    bill_meter_free(m);
    bill_store_close(s);
}

static int busy_statements(bill_store *s)
{
    int n = 0;
    for (sqlite3_stmt *st = sqlite3_next_stmt(s->db, NULL); st; st = sqlite3_next_stmt(s->db, st))
        n += sqlite3_stmt_busy(st) != 0;
    return n;
}

/* Statements are reused: after every call, failing or not, none is left running. */
static void test_statements_reset(void)
{
    bill_store *s = NULL;
    bill_date open = bill_registry_open_end(), d;
    bill_date_parse(&d, "2024-01-01", (size_t)-1);
    CHECK_OK(bill_store_open(&s, ":memory:", 0));
    CHECK_OK(add_account(s, "A"));
    CHECK_ERR(add_account(s, "A"), BILL_EEXISTS);
    bill_meter *m = NULL;
    CHECK_OK(bill_meter_create(&m, "M"));
    CHECK_OK(bill_meter_set_installed(m, d));
    CHECK_OK(bill_registry_add_meter(s, m));
    CHECK_ERR(bill_registry_add_meter(s, m), BILL_EEXISTS);
    CHECK_OK(bill_registry_link(s, "M", "A", d, open));
    CHECK_ERR(bill_registry_link(s, "M", "A", d, open), BILL_ERULE);
    CHECK_ERR(bill_registry_link(s, "M", "B", d, open), BILL_ENOTFOUND);
    bill_link_list *l = NULL;
    CHECK_OK(bill_registry_meter_accounts(&l, s, "M", d));
    bill_link_list_free(l);
    l = NULL;
    CHECK_ERR(bill_registry_meter_accounts(&l, s, "X", d), BILL_ENOTFOUND);
    bill_meter *g = NULL;
    CHECK_OK(bill_registry_get_meter(&g, s, "M"));
    CHECK_OK(bill_registry_update_meter(s, g));
    CHECK_INT(busy_statements(s), 0);
    /* the same query many times reuses one statement */
    int before = 0, after = 0;
    for (sqlite3_stmt *st = sqlite3_next_stmt(s->db, NULL); st; st = sqlite3_next_stmt(s->db, st))
        before++;
    for (int i = 0; i < 50; i++) {
        CHECK_OK(bill_registry_meter_accounts(&l, s, "M", d));
        bill_link_list_free(l);
    }
    for (sqlite3_stmt *st = sqlite3_next_stmt(s->db, NULL); st; st = sqlite3_next_stmt(s->db, st))
        after++;
    CHECK_INT(after, before);
    CHECK_INT(busy_statements(s), 0);
    bill_meter_free(g);
    bill_meter_free(m);
    bill_store_close(s);
}

/* A process that dies in the middle of a transaction leaves the file as it was. */
static void test_crash(void)
{
    char p[128];
    bill_store *s = NULL;
    tmp_path(p, sizeof p, "crash.db");
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_CREATE));
    CHECK_OK(add_account(s, "BEFORE"));
    bill_store_close(s);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        bill_store *c = NULL;
        if (bill_store_open(&c, p, 0) != BILL_OK || bill_store_begin(c) != BILL_OK)
            _exit(2);
        for (int i = 0; i < 500; i++) {
            char ref[32];
            snprintf(ref, sizeof ref, "LOST-%03d", i);
            add_account(c, ref);
        }
        _exit(0); /* no commit, no close: the process is gone */
    }
    int status = -1;
    if (pid > 0)
        waitpid(pid, &status, 0);
    CHECK_INT(status, 0);
    s = NULL;
    CHECK_OK(bill_store_open(&s, p, BILL_STORE_VERIFY));
    CHECK(has_account(s, "BEFORE"));
    CHECK(!has_account(s, "LOST-000"));
    CHECK_INT(store_int(s, "SELECT count(*) FROM accounts"), 1);
    CHECK_OK(add_account(s, "AFTER"));
    bill_store_close(s);
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", tmpdir);
}

void suite_store(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bill-store-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        TEST_FAIL_("mkdtemp failed for %s", tmpdir);
        return;
    }
    RUN(test_create_reopen);
    RUN(test_memory);
    RUN(test_settings);
    RUN(test_refuse);
    RUN(test_corrupt);
    RUN(test_verify);
    RUN(test_migrate);
    RUN(test_transactions);
    RUN(test_concurrent);
    RUN(test_two_processes);
    RUN(test_atomic);
    RUN(test_statements_reset);
    RUN(test_crash);
    cleanup();
}
