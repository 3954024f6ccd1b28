/* Tests for the importer of readings and intervals (include/bill/import.h). */
#define _DEFAULT_SOURCE
#include "test.h"
#include "../../libbill/store_internal.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[64];

static bill_date D(const char *text)
{
    bill_date d = { 0 };
    bill_date_parse(&d, text, (size_t)-1);
    return d;
}

static bill_datetime T(const char *text)
{
    bill_datetime t = { 0 };
    bill_datetime_parse(&t, text, (size_t)-1);
    return t;
}

static int add_meter(bill_store *s, const char *serial, int digits, const char *installed,
                     const char *removed, int with_md)
{
    bill_meter *m;
    int rc = bill_meter_create(&m, serial);
    if (rc == BILL_OK)
        rc = bill_meter_set_digits(m, digits);
    if (rc == BILL_OK && installed)
        rc = bill_meter_set_installed(m, D(installed));
    if (rc == BILL_OK && removed)
        rc = bill_meter_set_removed(m, D(removed));
    if (rc == BILL_OK)
        rc = bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0);
    if (rc == BILL_OK && with_md)
        rc = bill_meter_add_register(m, "md", BILL_REGISTER_DEMAND, 4);
    if (rc == BILL_OK)
        rc = bill_registry_add_meter(s, m);
    bill_meter_free(m);
    return rc;
}

static bill_store *small_store(const char *path)
{
    bill_store *s = NULL;
    if (bill_store_open(&s, path, BILL_STORE_CREATE) != BILL_OK)
        return NULL;
    if (add_meter(s, "M1", 5, "2026-01-01", NULL, 1) != BILL_OK
        || add_meter(s, "M2", 5, "2025-01-01", "2026-02-01", 0) != BILL_OK
        || add_meter(s, "M3", 5, NULL, NULL, 0) != BILL_OK) {
        bill_store_close(s);
        return NULL;
    }
    return s;
}

/* Import `text` in chunks of `chunk` bytes (0: all at once). */
static int import_text(bill_importer **out, bill_store *s, int kind, const char *source,
                       const char *text, size_t chunk, int batch)
{
    bill_importer *imp;
    int rc = bill_importer_create(&imp, s, kind, source);
    if (rc != BILL_OK)
        return rc;
    bill_importer_set_now(imp, T("2026-06-01T00:00"));
    if (batch)
        bill_importer_set_batch_rows(imp, batch);
    size_t len = strlen(text), step = chunk ? chunk : len;
    for (size_t at = 0; rc == BILL_OK && at < len; at += step)
        rc = bill_importer_feed(imp, text + at, len - at < step ? len - at : step);
    if (rc == BILL_OK)
        rc = bill_importer_finish(imp);
    *out = imp;
    return rc;
}

static long long q_int(bill_store *s, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -999;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The message of the exception on `line` of the latest import. */
static char *q_text(bill_store *s, const char *sql, char *buf, size_t cap)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

static const char readings_csv[] =
    "meter_serial,register,read_at,value,kind,source\n"
    "M1,total,2026-01-01,100,actual,r1\n"            /* 2 accepted */
    "M1,total,2026-02-01,200,actual,\n"              /* 3 accepted */
    "M1,total,2026-02-01,200.0,actual,\n"            /* 4 duplicate */
    "M1,total,2026-02-01,201,actual,\n"              /* 5 conflict */
    "M1,total,2026-03-01,150,actual,\n"              /* 6 decrease */
    "M1,total,2026-01-15,300,actual,\n"              /* 7 out of order, inconsistent */
    "M1,total,2026-01-15,150,estimated,\n"           /* 8 out of order, consistent */
    "NOPE,total,2026-01-01,1,actual,\n"              /* 9 unknown meter */
    "M1,peak,2026-01-01,1,actual,\n"                 /* 10 unknown register */
    "M1,total,2025-12-31,1,actual,\n"                /* 11 not installed yet */
    "M2,total,2026-02-01,50,actual,\n"               /* 12 final reading at removal */
    "M2,total,2026-02-01T09:00,51,actual,\n"         /* 13 removed */
    "M3,total,2026-01-01,1,actual,\n"                /* 14 never installed */
    "M1,total,2026-07-01,999,actual,\n"              /* 15 future */
    "M1,total,2026-04-01,100000,actual,\n"           /* 16 over 5 digits */
    "M1,md,2026-02-01,12.5,actual,\n"                /* 17 demand */
    "M1,md,2026-03-01,3.1,actual,\n"                 /* 18 demand may go down */
    "M1,total,2026-04-01,-5,actual,\n"               /* 19 negative (parser) */
    "M1,total,2026-05-01,,actual,\n"                 /* 20 missing value (parser) */
    "M1,total,2026-05-01,99990,actual,\n"            /* 21 accepted */
    "M1,total,2026-05-15,5,actual,\"x, \"\"y\"\"\"\n"; /* 22 rollover accepted */

static void check_readings_result(bill_store *s, bill_importer *imp, int again)
{
    CHECK_INT(bill_importer_total(imp), 21);
    CHECK_INT(bill_importer_accepted(imp), again ? 0 : 8);
    CHECK_INT(bill_importer_duplicate(imp), again ? 9 : 1);
    CHECK_INT(bill_importer_rejected(imp), 12);
    CHECK_INT(q_int(s, "SELECT count(*) FROM readings"), 8);
    CHECK_INT(q_int(s, "SELECT count(*) FROM import_exceptions"), 12);
    CHECK_INT(q_int(s, "SELECT rows_total + 100 * rows_accepted + 10000 * rows_duplicate "
                       "+ 1000000 * rows_rejected FROM imports"), 21 + 800 + 10000 + 12000000);
    CHECK_INT(q_int(s, "SELECT finished_at IS NOT NULL AND length(digest) = 64 FROM imports"), 1);
    char buf[512];
    CHECK_STR(q_text(s, "SELECT group_concat(line || ':' || code, ' ') FROM "
                        "(SELECT line, code FROM import_exceptions ORDER BY line)", buf, sizeof buf),
              "5:ECONFLICT 6:ERULE 7:ERULE 9:ENOTFOUND 10:ENOTFOUND 11:ERULE 13:ERULE 14:ERULE "
              "15:EDATE 16:ERANGE 19:ERANGE 20:ESYNTAX");
    char want[256], origin[128];
    /* the earlier reading named by its import's source and time, not its UUID */
    q_text(s, "SELECT 'line 3 of ''' || source || ''', imported ' || started_at FROM imports"
              " ORDER BY id LIMIT 1", origin, sizeof origin);
    CHECK(strncmp(origin, "line 3 of 'reads.csv', imported 20", 34) == 0);
    snprintf(want, sizeof want,
             "line 5, column 'value': register 'total' of meter 'M1' already reads 200 at "
             "2026-02-01T00:00 (%s), not 201", origin);
    CHECK(strstr(want, bill_importer_uuid(imp)) == NULL);
    CHECK_STR(q_text(s, "SELECT message FROM import_exceptions WHERE line = 5", buf, sizeof buf), want);
    CHECK_STR(q_text(s, "SELECT message FROM import_exceptions WHERE line = 6", buf, sizeof buf),
              "line 6, column 'value': register 'total' of meter 'M1' goes down from 200 at "
              "2026-02-01T00:00 to 150 at 2026-03-01T00:00 (not a plausible rollover of 5 digits)");
    CHECK_STR(q_text(s, "SELECT message FROM import_exceptions WHERE line = 7", buf, sizeof buf),
              "line 7, column 'read_at': register 'total' of meter 'M1': 300 at 2026-01-15T00:00 is "
              "out of order, and the later stored reading 200 at 2026-02-01T00:00 would go down "
              "from it");
    CHECK_STR(q_text(s, "SELECT field || '|' || message FROM import_exceptions WHERE line = 9", buf,
                     sizeof buf),
              "meter_serial|line 9, column 'meter_serial': unknown meter 'NOPE'");
    CHECK_STR(q_text(s, "SELECT message FROM import_exceptions WHERE line = 10", buf, sizeof buf),
              "line 10, column 'register': meter 'M1' has no register 'peak' (it has total, md)");
    CHECK_STR(q_text(s, "SELECT message FROM import_exceptions WHERE line = 11", buf, sizeof buf),
              "line 11, column 'read_at': meter 'M1' is not installed yet at 2025-12-31T00:00 "
              "(installed on 2026-01-01)");
    CHECK_STR(q_text(s, "SELECT message FROM import_exceptions WHERE line = 13", buf, sizeof buf),
              "line 13, column 'read_at': meter 'M2' was already removed at 2026-02-01T09:00 "
              "(removed on 2026-02-01; its final reading is at 2026-02-01T00:00)");
    CHECK_STR(q_text(s, "SELECT message FROM import_exceptions WHERE line = 14", buf, sizeof buf),
              "line 14, column 'read_at': meter 'M3' is not installed (no installation date) at "
              "2026-01-01T00:00");
    CHECK_STR(q_text(s, "SELECT message FROM import_exceptions WHERE line = 15", buf, sizeof buf),
              "line 15, column 'read_at': 2026-07-01T00:00 is in the future (now is 2026-06-01T00:00)");
    CHECK(strstr(q_text(s, "SELECT message FROM import_exceptions WHERE line = 16", buf, sizeof buf),
                 "line 16, column 'value': register 'total' of meter 'M1': ") != NULL);
    CHECK_STR(q_text(s, "SELECT raw FROM import_exceptions WHERE line = 16", buf, sizeof buf),
              "M1,total,2026-04-01,100000,actual,");
    CHECK_STR(q_text(s, "SELECT field FROM import_exceptions WHERE line = 20", buf, sizeof buf), "value");
    /* what was stored */
    CHECK_STR(q_text(s, "SELECT group_concat(v, ' ') FROM (SELECT value || '@' || read_at || "
                        "CASE estimated WHEN 1 THEN 'e' ELSE '' END AS v FROM readings r "
                        "JOIN registers g ON g.id = r.register_id JOIN meters m ON m.id = g.meter_id "
                        "WHERE m.serial = 'M1' AND g.code = 'total' ORDER BY read_at)", buf, sizeof buf),
              "100@29453760 150@29473920e 200@29498400 99990@29626560 5@29646720");
    CHECK_STR(q_text(s, "SELECT source FROM readings WHERE value = '5'", buf, sizeof buf), "x, \"y\"");
    CHECK_INT(q_int(s, "SELECT line FROM readings WHERE value = '5'"), 22);
}

static void test_readings(void)
{
    bill_store *s = small_store(":memory:");
    CHECK(s != NULL);
    if (!s)
        return;
    bill_importer *imp = NULL;
    CHECK_OK(import_text(&imp, s, BILL_IMPORT_READINGS, "reads.csv", readings_csv, 0, 0));
    check_readings_result(s, imp, 0);
    CHECK_INT(bill_importer_already_imported(imp), 0);
    CHECK_STR(bill_importer_digest(imp), "99d5f1c5f56e11c1908a334a599389695408e73fb71ef2a9012d9346e1bd958e"); /* sha256 of readings_csv */
    char first[BILL_UUID_LEN + 1];
    snprintf(first, sizeof first, "%s", bill_importer_uuid(imp));
    char *ex = bill_store_import_exceptions(s, first);
    CHECK(ex && strncmp(ex, "5\tvalue\tECONFLICT\tline 5, column 'value': ", 42) == 0);
    int lines = 0;
    for (const char *p = ex; p && *p; p++)
        lines += *p == '\n';
    CHECK_INT(lines, 12);
    bill_free(ex);
    bill_importer_free(imp);

    /* the same bytes again, in other chunks: nothing changes */
    CHECK_OK(import_text(&imp, s, BILL_IMPORT_READINGS, "again.csv", readings_csv, 7, 3));
    CHECK_INT(bill_importer_already_imported(imp), 1);
    CHECK_STR(bill_importer_uuid(imp), first);
    CHECK_INT(bill_importer_accepted(imp), 0);
    CHECK_INT(bill_importer_duplicate(imp), 9);
    CHECK_INT(bill_importer_rejected(imp), 12);
    CHECK_INT(q_int(s, "SELECT count(*) FROM imports"), 1);
    check_readings_result(s, imp, 1);
    bill_importer_free(imp);

    /* unknown import */
    CHECK(bill_store_import_exceptions(s, "nope") == NULL);
    CHECK_INT(bill_errcode(), BILL_ENOTFOUND);
    bill_store_close(s);
}

/* The same file in batches of 1 and 4 rows, fed byte by byte: the same outcome. */
static void test_batches(void)
{
    int sizes[] = { 1, 4, 20, 100000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        bill_store *s = small_store(":memory:");
        bill_importer *imp = NULL;
        CHECK_OK(import_text(&imp, s, BILL_IMPORT_READINGS, "reads.csv", readings_csv,
                             i == 0 ? 1 : 13, sizes[i]));
        check_readings_result(s, imp, 0);
        bill_importer_free(imp);
        bill_store_close(s);
    }
}

static void test_header_errors(void)
{
    bill_store *s = small_store(":memory:");
    bill_importer *imp = NULL;
    CHECK_ERR(import_text(&imp, s, BILL_IMPORT_READINGS, "bad.csv",
                          "meter_serial,register,read_at,value\nM1,total,2026-01-01,1\n", 0, 0),
              BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "'kind' is missing") != NULL);
    CHECK_INT(bill_importer_total(imp), 0);
    CHECK_ERR(bill_importer_feed(imp, "x", 1), BILL_ESTATE);
    char buf[256];
    CHECK_STR(q_text(s, "SELECT line || ':' || code FROM import_exceptions", buf, sizeof buf),
              "1:ESYNTAX");
    CHECK(strstr(q_text(s, "SELECT message FROM import_exceptions", buf, sizeof buf), "'kind'") != NULL);
    CHECK_INT(q_int(s, "SELECT finished_at IS NOT NULL FROM imports"), 1);
    bill_importer_free(imp);
    /* an empty file */
    CHECK_ERR(import_text(&imp, s, BILL_IMPORT_INTERVALS, "empty.csv", "", 0, 0), BILL_ESYNTAX);
    CHECK_INT(q_int(s, "SELECT count(*) FROM import_exceptions"), 2);
    CHECK_INT(bill_importer_already_imported(imp), 0);
    bill_importer_free(imp);
    /* the same bad file again, in other chunks: the same error, nothing changes */
    CHECK_ERR(import_text(&imp, s, BILL_IMPORT_READINGS, "bad.csv",
                          "meter_serial,register,read_at,value\nM1,total,2026-01-01,1\n", 3, 0),
              BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "'kind' is missing") != NULL);
    CHECK_INT(bill_importer_already_imported(imp), 1);
    CHECK_INT(q_int(s, "SELECT count(*) FROM import_exceptions"), 2);
    CHECK_INT(q_int(s, "SELECT count(*) FROM imports"), 2);
    bill_importer_free(imp);
    /* arguments and states */
    CHECK_ERR(bill_importer_create(&imp, s, 7, "x"), BILL_EINVAL);
    CHECK_ERR(bill_importer_create(&imp, s, BILL_IMPORT_READINGS, ""), BILL_EINVAL);
    CHECK_OK(bill_store_begin(s));
    CHECK_ERR(bill_importer_create(&imp, s, BILL_IMPORT_READINGS, "x"), BILL_ESTATE);
    CHECK_OK(bill_store_rollback(s));
    CHECK_OK(bill_importer_create(&imp, s, BILL_IMPORT_READINGS, "x"));
    CHECK_ERR(bill_importer_set_batch_rows(imp, 0), BILL_ERANGE);
    CHECK_OK(bill_importer_feed(imp, "meter_serial,", 13));
    CHECK_ERR(bill_importer_set_batch_rows(imp, 5), BILL_ESTATE);
    bill_importer_free(imp); /* unfinished */
    CHECK_INT(q_int(s, "SELECT count(*) FROM imports WHERE finished_at IS NULL"), 1);
    bill_store_close(s);
}

static const char intervals_csv[] =
    "meter_serial,start,minutes,kwh,kind\n"
    "M1,2026-01-01T00:00,15,0.25,actual\n"     /* 2 accepted */
    "M1,2026-01-01T00:15,15,0.31,actual\n"     /* 3 accepted */
    "M1,2026-01-01T00:15,15,0.310,actual\n"    /* 4 duplicate */
    "M1,2026-01-01T00:15,15,0.40,actual\n"     /* 5 conflict */
    "M1,2026-01-01T00:00,60,1.00,actual\n"     /* 6 conflict: other length */
    "M1,2026-01-01T01:00,60,1.00,estimated\n"  /* 7 accepted */
    "M1,2026-01-01T00:30,30,0.5,actual\n"      /* 8 accepted, out of order */
    "M1,2026-01-01T01:30,30,0.5,actual\n"      /* 9 overlaps 01:00+60 */
    "M2,2026-02-01T00:00,15,1,actual\n"        /* 10 removed */
    "M2,2026-01-31T23:45,15,1,actual\n"        /* 11 accepted */
    "M1,2026-06-01T00:00,15,1,actual\n"        /* 12 future */
    "NOPE,2026-01-01T00:00,15,1,actual\n"      /* 13 unknown */
    "M1,2026-01-01T00:10,15,1,actual\n"        /* 14 off the grid (parser) */
    "M1,2026-01-01T00:45,15,0.1,actual\n";     /* 15 inside 00:30+30 */

static void test_intervals(void)
{
    bill_store *s = small_store(":memory:");
    bill_importer *imp = NULL;
    CHECK_OK(import_text(&imp, s, BILL_IMPORT_INTERVALS, "iv.csv", intervals_csv, 5, 2));
    CHECK_INT(bill_importer_total(imp), 14);
    CHECK_INT(bill_importer_accepted(imp), 5);
    CHECK_INT(bill_importer_duplicate(imp), 1);
    CHECK_INT(bill_importer_rejected(imp), 8);
    char buf[512];
    CHECK_STR(q_text(s, "SELECT group_concat(line || ':' || code, ' ') FROM "
                        "(SELECT line, code FROM import_exceptions ORDER BY line)", buf, sizeof buf),
              "5:ECONFLICT 6:ECONFLICT 9:ECONFLICT 10:ERULE 12:EDATE 13:ENOTFOUND 14:EDATE 15:ECONFLICT");
    char want[300], origin[128];
    q_text(s, "SELECT 'line 3 of ''iv.csv'', imported ' || started_at FROM imports", origin,
           sizeof origin);
    snprintf(want, sizeof want,
             "line 5, column 'kwh': meter 'M1' already has 0.31 kWh in 15 minutes from "
             "2026-01-01T00:15 (%s), not 0.40 kWh in 15 minutes from 2026-01-01T00:15",
             origin);
    CHECK_STR(q_text(s, "SELECT message FROM import_exceptions WHERE line = 5", buf, sizeof buf), want);
    CHECK(strstr(q_text(s, "SELECT message FROM import_exceptions WHERE line = 9", buf, sizeof buf),
                 "already has 1.00 kWh in 60 minutes from 2026-01-01T01:00") != NULL);
    CHECK_INT(q_int(s, "SELECT count(*) FROM interval_readings WHERE estimated = 1"), 1);
    int64_t n = 0;
    CHECK_OK(bill_store_count_readings(&n, s, BILL_IMPORT_INTERVALS));
    CHECK_INT(n, 5);
    bill_importer_free(imp);
    CHECK_OK(import_text(&imp, s, BILL_IMPORT_INTERVALS, "iv.csv", intervals_csv, 0, 0));
    CHECK_INT(bill_importer_already_imported(imp), 1);
    CHECK_INT(q_int(s, "SELECT count(*) FROM imports"), 1);
    bill_importer_free(imp);
    /* the API */
    bill_dec one = BILL_DEC_INIT;
    bill_dec_set_i64(&one, 1, 0);
    CHECK_OK(bill_store_add_interval(s, "M1", T("2026-01-02T00:00"), 60, &one, 0));
    CHECK_INT(bill_store_add_interval(s, "M1", T("2026-01-02T00:00"), 60, &one, 0), 1);
    CHECK_ERR(bill_store_add_interval(s, "M1", T("2026-01-02T00:30"), 15, &one, 0), BILL_ECONFLICT);
    CHECK_ERR(bill_store_add_interval(s, "M1", T("2026-01-02T00:10"), 15, &one, 0), BILL_EDATE);
    CHECK_ERR(bill_store_add_interval(s, "M1", T("2026-01-02T00:00"), 20, &one, 0), BILL_EINVAL);
    CHECK_ERR(bill_store_add_interval(s, "X", T("2026-01-02T00:00"), 15, &one, 0), BILL_ENOTFOUND);
    bill_store_close(s);
}

static void test_api(void)
{
    bill_store *s = small_store(":memory:");
    bill_dec v = BILL_DEC_INIT, got = BILL_DEC_INIT;
    bill_datetime at;
    bill_dec_parse(&v, "99990", (size_t)-1);
    CHECK_OK(bill_store_add_reading(s, "M1", "total", T("2026-01-01T00:00"), &v, 0, "api"));
    CHECK_INT(bill_store_add_reading(s, "M1", "total", T("2026-01-01T00:00"), &v, 0, NULL), 1);
    bill_dec_parse(&v, "12", (size_t)-1);
    CHECK_ERR(bill_store_add_reading(s, "M1", "total", T("2026-01-01T00:00"), &v, 0, NULL),
              BILL_ECONFLICT);
    CHECK(strstr(bill_errmsg(), "already reads 99990 at 2026-01-01T00:00 (stored through the API), "
                                "not 12") != NULL);
    CHECK_OK(bill_store_add_reading(s, "M1", "total", T("2026-01-10T00:00"), &v, 1, NULL)); /* rollover */
    bill_dec_parse(&v, "5", (size_t)-1);
    CHECK_ERR(bill_store_add_reading(s, "M1", "total", T("2026-01-20T00:00"), &v, 0, NULL), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "goes down from 12 at 2026-01-10T00:00 to 5") != NULL);
    CHECK_ERR(bill_store_add_reading(s, "M1", "nope", T("2026-01-20T00:00"), &v, 0, NULL), BILL_ENOTFOUND);
    CHECK_ERR(bill_store_add_reading(s, "M9", "total", T("2026-01-20T00:00"), &v, 0, NULL), BILL_ENOTFOUND);
    CHECK_ERR(bill_store_add_reading(s, "M1", "total", T("2999-01-20T00:00"), &v, 0, NULL), BILL_EDATE);
    CHECK_OK(bill_store_reading_before(&got, &at, s, "M1", "total", T("2026-01-09T00:00")));
    CHECK_INT(bill_dec_cmp(&got, &(bill_dec)BILL_DEC_INIT) > 0, 1);
    CHECK_INT(at.minute, T("2026-01-01T00:00").minute);
    CHECK_OK(bill_store_reading_before(&got, &at, s, "M1", "total", T("2026-03-01T00:00")));
    CHECK_INT(at.minute, T("2026-01-10T00:00").minute);
    CHECK_ERR(bill_store_reading_before(&got, &at, s, "M1", "total", T("2025-03-01T00:00")),
              BILL_ENOTFOUND);
    int64_t n = 0;
    CHECK_OK(bill_store_count_readings(&n, s, BILL_IMPORT_READINGS));
    CHECK_INT(n, 2);
    bill_dec_clear(&v);
    bill_dec_clear(&got);
    bill_store_close(s);
}

/* Freed unfinished: the open batch is rolled back, committed batches and counts stay. */
static void test_unfinished_and_transactions(void)
{
    bill_store *s = small_store(":memory:");
    bill_importer *imp;
    CHECK_OK(bill_importer_create(&imp, s, BILL_IMPORT_READINGS, "part.csv"));
    CHECK_OK(bill_importer_set_now(imp, T("2026-06-01T00:00")));
    CHECK_OK(bill_importer_set_batch_rows(imp, 2));
    const char *text = "meter_serial,register,read_at,value,kind\n"
                       "M1,total,2026-01-01,1,actual\nM1,total,2026-01-02,2,actual\n"
                       "M1,total,2026-01-03,3,actual\n";
    CHECK_OK(bill_importer_feed(imp, text, strlen(text)));
    CHECK_INT(bill_importer_accepted(imp), 3);
    bill_importer_free(imp);
    CHECK_INT(q_int(s, "SELECT count(*) FROM readings"), 2);
    CHECK_INT(q_int(s, "SELECT rows_accepted * 10 + rows_total FROM imports WHERE finished_at IS NULL"), 22);
    /* the API joins a caller's transaction and goes with its rollback */
    bill_dec v = BILL_DEC_INIT;
    bill_dec_set_i64(&v, 9, 0);
    CHECK_OK(bill_store_begin(s));
    CHECK_OK(bill_store_add_reading(s, "M1", "total", T("2026-01-04T00:00"), &v, 0, NULL));
    CHECK_OK(bill_store_rollback(s));
    CHECK_INT(q_int(s, "SELECT count(*) FROM readings"), 2);
    bill_dec_clear(&v);
    bill_store_close(s);
}

/* ---- SIGKILL mid-import ----------------------------------------------------------------- */

#define KILL_METERS 50
#define KILL_PER_METER 400

static char *kill_csv(size_t *len, int *bad)
{
    size_t cap = (size_t)KILL_METERS * KILL_PER_METER * 64 + 128;
    char *buf = malloc(cap);
    size_t n = (size_t)snprintf(buf, cap, "meter_serial,register,read_at,value,kind\n");
    *bad = 0;
    for (int d = 0; d < KILL_PER_METER; d++)
        for (int m = 0; m < KILL_METERS; m++) {
            long day = 20454 + d; /* 2026-01-01 + d */
            bill_date dd = { (int32_t)day };
            char ds[16];
            bill_date_format(dd, ds, sizeof ds);
            if ((d * KILL_METERS + m) % 997 == 0 && d > 0) { /* an unknown meter now and then */
                n += (size_t)snprintf(buf + n, cap - n, "X-%d,total,%s,1,actual\n", m, ds);
                (*bad)++;
            } else {
                n += (size_t)snprintf(buf + n, cap - n, "K-%03d,total,%s,%d.%d,actual\n", m, ds,
                                      1000 + d * 7 + m, d % 10);
            }
        }
    *len = n;
    return buf;
}

static void test_sigkill(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/kill.db", tmpdir);
    bill_store *s = NULL;
    CHECK_OK(bill_store_open(&s, path, BILL_STORE_CREATE));
    if (!s)
        return;
    for (int m = 0; m < KILL_METERS; m++) {
        char serial[16];
        snprintf(serial, sizeof serial, "K-%03d", m);
        CHECK_OK(add_meter(s, serial, 6, "2025-01-01", NULL, 0));
    }
    bill_store_close(s);
    size_t len;
    int bad;
    char *csv = kill_csv(&len, &bad);
    int rows = KILL_METERS * KILL_PER_METER;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        bill_store *cs;
        bill_importer *imp;
        if (bill_store_open(&cs, path, 0) != BILL_OK
            || bill_importer_create(&imp, cs, BILL_IMPORT_READINGS, "kill.csv") != BILL_OK)
            _exit(3);
        bill_importer_set_now(imp, T("2030-01-01T00:00"));
        bill_importer_set_batch_rows(imp, 1000);
        for (size_t at = 0; at < len; at += 4096) {
            if (at > len / 2)
                kill(getpid(), SIGKILL); /* midway, with a batch open */
            if (bill_importer_feed(imp, csv + at, len - at < 4096 ? len - at : 4096) != BILL_OK)
                _exit(4);
        }
        _exit(5);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    CHECK_OK(bill_store_open(&s, path, BILL_STORE_VERIFY));
    if (!s) {
        free(csv);
        return;
    }
    /* consistent: the unfinished import's counts match what it stored */
    long long stored = q_int(s, "SELECT count(*) FROM readings");
    CHECK(stored > 0 && stored < rows);
    CHECK_INT(q_int(s, "SELECT count(*) FROM imports WHERE finished_at IS NULL"), 1);
    CHECK_INT(q_int(s, "SELECT rows_accepted FROM imports"), stored);
    CHECK_INT(q_int(s, "SELECT rows_total % 1000 FROM imports"), 0);
    CHECK_INT(q_int(s, "SELECT rows_rejected FROM imports"),
              q_int(s, "SELECT count(*) FROM import_exceptions"));
    /* run it again: completes, nothing lost or counted twice */
    bill_importer *imp;
    CHECK_OK(bill_importer_create(&imp, s, BILL_IMPORT_READINGS, "kill.csv"));
    bill_importer_set_now(imp, T("2030-01-01T00:00"));
    char file[160];
    snprintf(file, sizeof file, "%s/kill.csv", tmpdir);
    FILE *f = fopen(file, "wb");
    fwrite(csv, 1, len, f);
    fclose(f);
    CHECK_OK(bill_importer_read_file(imp, file));
    CHECK_INT(bill_importer_total(imp), rows);
    CHECK_INT(bill_importer_rejected(imp), bad);
    CHECK_INT(bill_importer_duplicate(imp), stored);
    CHECK_INT(bill_importer_accepted(imp), rows - bad - stored);
    CHECK_INT(q_int(s, "SELECT count(*) FROM readings"), rows - bad);
    CHECK_INT(q_int(s, "SELECT count(*) FROM import_exceptions"), bad);
    CHECK_INT(q_int(s, "SELECT sum(rows_accepted) FROM imports"), rows - bad);
    CHECK_INT(q_int(s, "SELECT count(*) FROM imports WHERE digest = 'superseded'"), 1);
    CHECK_INT(q_int(s, "SELECT count(*) FROM readings r JOIN imports i ON i.id = r.import_id "
                       "WHERE r.line IS NULL"), 0);
    bill_importer_free(imp);
    /* and once more: nothing changes */
    CHECK_OK(bill_importer_create(&imp, s, BILL_IMPORT_READINGS, "kill.csv"));
    bill_importer_set_now(imp, T("2030-01-01T00:00"));
    CHECK_OK(bill_importer_read_file(imp, file));
    CHECK_INT(bill_importer_already_imported(imp), 1);
    CHECK_INT(q_int(s, "SELECT count(*) FROM imports"), 2);
    CHECK_INT(q_int(s, "SELECT count(*) FROM import_exceptions"), bad);
    bill_importer_free(imp);
    CHECK_OK(bill_importer_create(&imp, s, BILL_IMPORT_READINGS, "none.csv"));
    CHECK_ERR(bill_importer_read_file(imp, "/nonexistent/none.csv"), BILL_ENOTFOUND);
    bill_importer_free(imp);
    bill_store_close(s);
    free(csv);
    unlink(file);
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", tmpdir);
}

void suite_import(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bill-import-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        TEST_FAIL_("mkdtemp failed for %s", tmpdir);
        return;
    }
    RUN(test_readings);
    RUN(test_batches);
    RUN(test_header_errors);
    RUN(test_intervals);
    RUN(test_api);
    RUN(test_unfinished_and_transactions);
    RUN(test_sigkill);
    cleanup();
}
