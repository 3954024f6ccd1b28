/* Tests for the field-audit verification and the history anomalies (include/bill/verify.h). */
#include "test.h"
#include "store_util.h"
#include "../../libbill/store_internal.h"

static bill_store *mem_store(void)
{
    bill_store *s = NULL;
    if (bill_store_open(&s, ":memory:", 0) != BILL_OK)
        printf("cannot open a memory store: %s\n", bill_errmsg());
    return s;
}

static int add_acc(bill_store *s, const char *ref)
{
    bill_account *a = NULL;
    int rc = bill_account_create(&a, ref);
    if (rc == BILL_OK)
        rc = bill_registry_add_account(s, a);
    bill_account_free(a);
    return rc == BILL_EEXISTS ? BILL_OK : rc;
}

/* Meter `serial` with `digits` digits installed on 2024-01-01, linked to `ref` (NULL: unlinked). */
static int add_meter(bill_store *s, const char *serial, int digits, const char *ref)
{
    bill_meter *m = NULL;
    int rc = bill_meter_create(&m, serial);
    if (rc == BILL_OK)
        rc = bill_meter_set_digits(m, digits);
    if (rc == BILL_OK)
        rc = bill_meter_set_installed(m, su_date("2024-01-01"));
    if (rc == BILL_OK)
        rc = bill_registry_add_meter(s, m);
    bill_meter_free(m);
    if (rc == BILL_OK && ref) {
        rc = add_acc(s, ref);
        if (rc == BILL_OK)
            rc = bill_registry_link(s, serial, ref, su_date("2024-01-01"), bill_registry_open_end());
    }
    return rc;
}

/* Readings of the total register: "2024-01-01=1000 2024-02-01=1030 ..." (plain SQL until the importer lands). */
static int add_hist(bill_store *s, const char *serial, const char *spec)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO readings(register_id, read_at, value) "
                           "SELECT g.id, ?1, ?2 FROM registers g JOIN meters m ON m.id = g.meter_id "
                           "WHERE m.serial = ?3 AND g.code = 'total'", -1, &st, NULL) != SQLITE_OK)
        return BILL_ESTORE;
    int rc = BILL_OK;
    const char *p = spec;
    while (rc == BILL_OK && *p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *eq = strchr(p, '=');
        const char *end = strchr(p, ' ');
        if (!end)
            end = p + strlen(p);
        bill_date d;
        if (!eq || bill_date_parse(&d, p, (size_t)(eq - p)) != BILL_OK) {
            rc = BILL_ESYNTAX;
            break;
        }
        sqlite3_bind_int64(st, 1, (sqlite3_int64)d.day * 1440);
        sqlite3_bind_text(st, 2, eq + 1, (int)(end - eq - 1), SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, serial, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(s->db) != 1)
            rc = BILL_ESTORE;
        sqlite3_reset(st);
        p = end;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The standard registry: M-1..M-4 on A-1..A-4 with monthly histories, M-9 unlinked, A-6 with two meters. */
static bill_store *fixture(void)
{
    bill_store *s = mem_store();
    if (!s)
        return NULL;
    int rc = BILL_OK;
    const char *m[][3] = { { "M-1", "A-1", "2024-01-01=1000 2024-03-01=1060 2024-06-01=1150" },
                           { "M-2", "A-2", "2024-01-01=5000 2024-03-01=5020 2024-06-01=5050" },
                           { "M-3", "A-3", "2024-01-01=1050 2024-06-01=1200" },
                           { "M-4", "A-4", "2024-01-01=5050 2024-06-01=5200" } };
    for (int i = 0; rc == BILL_OK && i < 4; i++) {
        rc = add_meter(s, m[i][0], 5, m[i][1]);
        if (rc == BILL_OK)
            rc = add_hist(s, m[i][0], m[i][2]);
    }
    if (rc == BILL_OK) rc = add_meter(s, "M-9", 5, NULL);
    if (rc == BILL_OK) rc = add_meter(s, "M-5", 5, "A-5");
    if (rc == BILL_OK) rc = add_meter(s, "M-6a", 5, "A-6");
    if (rc == BILL_OK) rc = add_meter(s, "M-6b", 5, "A-6");
    if (rc == BILL_OK) rc = add_meter(s, "R-1", 5, "A-7");
    if (rc == BILL_OK) rc = add_hist(s, "R-1", "2024-05-01=99900 2024-06-01=99950");
    if (rc == BILL_OK) rc = add_meter(s, "R-2", 5, "A-8");
    if (rc == BILL_OK) rc = add_hist(s, "R-2", "2024-05-01=4900 2024-06-01=5000");
    if (rc != BILL_OK) {
        printf("fixture failed: %s\n", bill_errmsg());
        bill_store_close(s);
        return NULL;
    }
    return s;
}

/* Run over CSV text with options; NULL on failure. */
static bill_verify *run_csv(bill_store *s, const char *csv, const bill_verify_options *o)
{
    bill_verify *v = NULL;
    if (bill_verify_create(&v, s, o) != BILL_OK)
        return NULL;
    if (bill_verify_feed(v, csv, strlen(csv)) != BILL_OK || bill_verify_run(v) != BILL_OK) {
        printf("verify failed: %s\n", bill_errmsg());
        bill_verify_free(v);
        return NULL;
    }
    return v;
}

#define HDR "meter_serial,found_account,found_address,reading,read_on\n"

static int has(const char *text, const char *part)
{
    if (!strstr(text, part)) {
        printf("  missing \"%s\" in \"%s\"\n", part, text);
        return 0;
    }
    return 1;
}

static int acc_class(const bill_verify *v, const char *ref)
{
    for (size_t i = 0; i < bill_verify_account_count(v); i++)
        if (strcmp(bill_verify_account_reference(v, i), ref) == 0)
            return bill_verify_account_class(v, i);
    return -1;
}

static const char *acc_evidence(const bill_verify *v, const char *ref)
{
    for (size_t i = 0; i < bill_verify_account_count(v); i++)
        if (strcmp(bill_verify_account_reference(v, i), ref) == 0)
            return bill_verify_account_evidence(v, i);
    return "";
}

static void test_verify_classes(void)
{
    test_current = "verify_classes";
    bill_store *s = fixture();
    CHECK(s != NULL);
    if (!s)
        return;
    bill_verify *v = run_csv(s, HDR
                             "M-1,A-1,,1160,2024-06-11\n"
                             "M-2,A-3,,5060,2024-06-11\n"
                             "X-9,A-1,,10,2024-06-11\n"
                             "M-9,A-1,,10,2024-06-11\n"
                             "M-6a,,12 Long Road,0,2024-06-11\n"
                             "M-1,A-1,,abc,2024-06-11\n", NULL);
    CHECK(v != NULL);
    if (!v) {
        bill_store_close(s);
        return;
    }
    CHECK_INT(bill_verify_row_count(v), 6);
    CHECK_INT(bill_verify_row_class(v, 0), BILL_VERIFY_CONFIRMED);
    CHECK(has(bill_verify_row_evidence(v, 0), "meter M-1 is registered to A-1 on 2024-06-11 "
                                              "(matched by account; the registry holds no addresses)"));
    CHECK_INT(bill_verify_row_class(v, 1), BILL_VERIFY_OTHER_ACCOUNT);
    CHECK(has(bill_verify_row_evidence(v, 1),
              "meter M-2 was found at A-3 but is registered to A-2 on 2024-06-11"));
    CHECK_STR(bill_verify_row_text(v, 1, "registered_account"), "A-2");
    CHECK_INT(bill_verify_row_class(v, 2), BILL_VERIFY_UNKNOWN_METER);
    CHECK_STR(bill_verify_row_evidence(v, 2), "meter X-9 is not in the registry");
    CHECK_INT(bill_verify_row_class(v, 3), BILL_VERIFY_UNLINKED_METER);
    CHECK(has(bill_verify_row_evidence(v, 3), "linked to no account on 2024-06-11"));
    CHECK_INT(bill_verify_row_class(v, 4), BILL_VERIFY_LOCATION_UNCHECKED);
    CHECK(has(bill_verify_row_evidence(v, 4), "found at address '12 Long Road'"));
    CHECK_INT(bill_verify_row_class(v, 5), BILL_VERIFY_REJECTED);
    CHECK_INT(bill_verify_row_line(v, 5), 7);
    CHECK(has(bill_verify_row_evidence(v, 5), "line 7, column 'reading'"));
    CHECK_STR(bill_verify_row_text(v, 5, "meter_serial"), "");
    CHECK_STR(bill_verify_class_name(bill_verify_row_class(v, 5)), "rejected");
    /* accounts: A-1 has a confirmed row but an unknown and an unlinked meter were found there */
    CHECK_INT(acc_class(v, "A-1"), BILL_VERIFY_ACCOUNT_MISMATCH);
    CHECK(has(acc_evidence(v, "A-1"), "line 4: unknown_meter X-9"));
    CHECK_INT(acc_class(v, "A-2"), BILL_VERIFY_ACCOUNT_MISMATCH);
    CHECK_INT(acc_class(v, "A-3"), BILL_VERIFY_ACCOUNT_MISMATCH);
    /* A-3's own meter M-3 was not audited: mentioned too */
    CHECK(has(acc_evidence(v, "A-3"), "meter M-3, linked since 2024-01-01, was not found in the audit"));
    CHECK_INT(acc_class(v, "A-6"), BILL_VERIFY_ACCOUNT_METER_NOT_FOUND);
    CHECK(has(acc_evidence(v, "A-6"), "meter M-6b"));
    CHECK(has(acc_evidence(v, "A-6"), "line 6: location_unchecked M-6a"));
    CHECK_INT(acc_class(v, "A-5"), -1);           /* not in scope */
    CHECK_INT(bill_verify_account_count(v), 4);   /* */
    CHECK_STR(bill_verify_class_name(BILL_VERIFY_ACCOUNT_METER_NOT_FOUND), "meter_not_found");
    CHECK(bill_verify_class_name(55) == NULL);
    CHECK_ERR(bill_verify_run(v), BILL_ESTATE);
    bill_verify_free(v);
    bill_store_close(s);
}

static void test_verify_confirmed_account(void)
{
    test_current = "verify_confirmed_account";
    bill_store *s = fixture();
    if (!s)
        return;
    bill_verify *v = run_csv(s, HDR "M-6b,A-6,,0,2024-06-11\nM-6a,A-6,,0,2024-06-11\n", NULL);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(bill_verify_account_count(v), 1);
        CHECK_INT(acc_class(v, "A-6"), BILL_VERIFY_ACCOUNT_CONFIRMED);
        CHECK_STR(bill_verify_class_name(acc_class(v, "A-6")), "confirmed");
    }
    bill_verify_free(v);
    bill_store_close(s);
}

static void test_verify_rollover(void)
{
    test_current = "verify_rollover";
    bill_store *s = fixture();
    if (!s)
        return;
    bill_verify *v = run_csv(s, HDR "R-1,A-7,,20,2024-06-11\nR-2,A-8,,4000,2024-06-11\n", NULL);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(bill_verify_row_class(v, 0), BILL_VERIFY_CONFIRMED);
        CHECK(has(bill_verify_row_evidence(v, 0), "reading 20 rolled over from 99950 of 2024-06-01"));
        CHECK_INT(bill_verify_row_class(v, 1), BILL_VERIFY_READING_BELOW_HISTORY);
        CHECK(has(bill_verify_row_evidence(v, 1), "meter R-2 (registered to A-8): reading 4000 is "
                                                  "below the last stored reading 5000 of 2024-06-01"));
        CHECK_INT(acc_class(v, "A-8"), BILL_VERIFY_ACCOUNT_READING_PROBLEM);
        CHECK_INT(acc_class(v, "A-7"), BILL_VERIFY_ACCOUNT_CONFIRMED);
    }
    bill_verify_free(v);
    bill_store_close(s);
}

/* J-1: 100 kWh in 10 days (10 a day); audited 10 days after its last reading. */
static void jump_case(const char *reading, const char *floor, int want)
{
    bill_store *s = mem_store();
    if (!s)
        return;
    CHECK_OK(add_meter(s, "J-1", 6, "A-J"));
    CHECK_OK(add_hist(s, "J-1", "2024-01-01=0 2024-01-11=100"));
    bill_verify_options o;
    bill_verify_options_init(&o);
    if (floor)
        su_dec(&o.jump_floor, floor);
    char csv[256];
    snprintf(csv, sizeof csv, HDR "J-1,A-J,,%s,2024-01-21\n", reading);
    bill_verify *v = run_csv(s, csv, &o);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(bill_verify_row_class(v, 0), want);
        if (want == BILL_VERIFY_IMPLAUSIBLE_JUMP)
            CHECK(has(bill_verify_row_evidence(v, 0), "in 10 day(s) since 100 on 2024-01-11; "
                                                      "the history averages 10.00 a day"));
    }
    bill_verify_free(v);
    bill_dec_clear(&o.jump_floor);
    bill_store_close(s);
}

static void test_verify_jump_edges(void)
{
    test_current = "verify_jump_edges";
    /* default floor 50 a day: 500 in 10 days is not above it, 500.1 is */
    jump_case("600", NULL, BILL_VERIFY_CONFIRMED);
    jump_case("600.1", NULL, BILL_VERIFY_IMPLAUSIBLE_JUMP);
    /* floor 0: K = 3 times 10 a day over 10 days = 300 */
    jump_case("400", "0", BILL_VERIFY_CONFIRMED);
    jump_case("400.001", "0", BILL_VERIFY_IMPLAUSIBLE_JUMP);
}

/* The floor is in kWh: the register advance times the multiplier. */
static void test_verify_jump_multiplier(void)
{
    test_current = "verify_jump_multiplier";
    for (int k = 0; k < 2; k++) {
        bill_store *s = mem_store();
        if (!s)
            return;
        bill_meter *m = NULL;
        bill_dec mult;
        CHECK_OK(bill_meter_create(&m, "CT-1"));
        CHECK_OK(bill_meter_set_multiplier(m, su_dec(&mult, k ? "40" : "1")));
        CHECK_OK(bill_meter_set_installed(m, su_date("2024-01-01")));
        CHECK_OK(bill_registry_add_meter(s, m));
        bill_meter_free(m);
        bill_dec_clear(&mult);
        CHECK_OK(add_acc(s, "A-CT"));
        CHECK_OK(bill_registry_link(s, "CT-1", "A-CT", su_date("2024-01-01"), bill_registry_open_end()));
        CHECK_OK(add_hist(s, "CT-1", "2024-01-01=0 2024-01-11=10"));
        /* 31 in 10 days is above 3 x 1 a day; 31 x 40 = 1240 kWh is above 50 x 10, 31 x 1 is not */
        bill_verify *v = run_csv(s, HDR "CT-1,A-CT,,41,2024-01-21\n", NULL);
        CHECK(v != NULL);
        if (v)
            CHECK_INT(bill_verify_row_class(v, 0),
                      k ? BILL_VERIFY_IMPLAUSIBLE_JUMP : BILL_VERIFY_CONFIRMED);
        bill_verify_free(v);
        bill_store_close(s);
    }
}

static void test_verify_swaps(void)
{
    test_current = "verify_swaps";
    bill_store *s = fixture();
    if (!s)
        return;
    /* by location */
    bill_verify *v = run_csv(s, HDR "M-1,A-2,,1160,2024-06-11\nM-2,A-1,,5052,2024-06-11\n", NULL);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(bill_verify_row_class(v, 0), BILL_VERIFY_LIKELY_SWAP);
        CHECK_INT(bill_verify_row_class(v, 1), BILL_VERIFY_LIKELY_SWAP);
        CHECK_STR(bill_verify_row_text(v, 0, "partner"), "M-2");
        CHECK_STR(bill_verify_row_text(v, 1, "partner"), "M-1");
        CHECK(has(bill_verify_row_evidence(v, 0), "meter M-1 (registered to A-1) was found at A-2, "
                  "and meter M-2 (registered to A-2) was found at A-1 (line 3)"));
        CHECK_INT(acc_class(v, "A-1"), BILL_VERIFY_ACCOUNT_MISMATCH);
    }
    bill_verify_free(v);
    /* by readings: M-3 (about 1200) reads 5230, M-4 (about 5200) reads 1212 */
    v = run_csv(s, HDR "M-3,A-3,,5230,2024-06-11\nM-1,A-1,,1161,2024-06-11\n"
                "M-4,A-4,,1212,2024-06-11\n", NULL);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(bill_verify_row_class(v, 0), BILL_VERIFY_LIKELY_SWAP);
        CHECK_INT(bill_verify_row_class(v, 1), BILL_VERIFY_CONFIRMED);
        CHECK_INT(bill_verify_row_class(v, 2), BILL_VERIFY_LIKELY_SWAP);
        CHECK(has(bill_verify_row_evidence(v, 0), "meter M-3 (registered to A-3) reads 5230, which "
                  "fits A-4's meter history (expected about 5210) better than A-3's (expected "
                  "about 1210)"));
        CHECK(has(bill_verify_row_evidence(v, 2), "meter M-4 (registered to A-4) reads 1212, which "
                  "fits A-3's meter history"));
        CHECK_STR(bill_verify_row_text(v, 2, "partner"), "M-3");
    }
    bill_verify_free(v);
    /* one inconsistent reading alone is no swap */
    v = run_csv(s, HDR "M-3,A-3,,5230,2024-06-11\nM-4,A-4,,5210,2024-06-11\n", NULL);
    if (v) {
        CHECK_INT(bill_verify_row_class(v, 0), BILL_VERIFY_IMPLAUSIBLE_JUMP);
        CHECK_INT(bill_verify_row_class(v, 1), BILL_VERIFY_CONFIRMED);
    }
    bill_verify_free(v);
    bill_store_close(s);
}

static void test_verify_scope_and_api(void)
{
    test_current = "verify_scope_and_api";
    bill_store *s = fixture();
    if (!s)
        return;
    bill_verify_options o = BILL_VERIFY_OPTIONS_INIT;
    o.scope = BILL_VERIFY_SCOPE_ALL;
    bill_verify *v = NULL;
    CHECK_OK(bill_verify_create(&v, s, &o));
    bill_dec r;
    CHECK_OK(bill_verify_add_row(v, "M-1", "A-1", NULL, su_dec(&r, "1160"), su_date("2024-06-11")));
    CHECK_ERR(bill_verify_add_row(v, "M-1", "", "", &r, su_date("2024-06-11")), BILL_EINVAL);
    CHECK_ERR(bill_verify_feed(v, HDR, strlen(HDR)), BILL_ESTATE);
    CHECK_OK(bill_verify_run(v));
    CHECK_ERR(bill_verify_add_row(v, "M-2", "A-2", NULL, &r, su_date("2024-06-11")), BILL_ESTATE);
    /* every account with an installed meter: A-1..A-8 */
    CHECK_INT(bill_verify_account_count(v), 8);
    CHECK_INT(acc_class(v, "A-1"), BILL_VERIFY_ACCOUNT_CONFIRMED);
    CHECK_INT(acc_class(v, "A-5"), BILL_VERIFY_ACCOUNT_METER_NOT_FOUND);
    CHECK(has(acc_evidence(v, "A-5"), "meter M-5, linked since 2024-01-01, was not found"));
    CHECK_INT(bill_verify_row_line(v, 0), 1);
    bill_verify_free(v);
    bill_dec_clear(&r);
    /* audit date option: the rows' dates are replaced */
    o.scope = BILL_VERIFY_SCOPE_AUDITED;
    o.audit_date = 1;
    o.date = su_date("2023-06-01"); /* before any link */
    v = run_csv(s, HDR "M-1,A-1,,1160,2024-06-11\n", &o);
    CHECK(v != NULL);
    if (v) {
        CHECK_INT(bill_verify_row_class(v, 0), BILL_VERIFY_UNLINKED_METER);
        CHECK_STR(bill_verify_row_text(v, 0, "read_on"), "2023-06-01");
    }
    bill_verify_free(v);
    /* bad options and header */
    o = (bill_verify_options)BILL_VERIFY_OPTIONS_INIT;
    su_dec(&o.jump_factor, "0");
    CHECK_ERR(bill_verify_create(&v, s, &o), BILL_EINVAL);
    o.jump_factor = (bill_dec)BILL_DEC_INIT;
    o.jump_factor.coef_ = 3;
    o.scope = 7;
    CHECK_ERR(bill_verify_create(&v, s, &o), BILL_EINVAL);
    CHECK_OK(bill_verify_create(&v, s, NULL));
    CHECK_ERR(bill_verify_feed(v, "serial,x\n", 9), BILL_ESYNTAX);
    bill_verify_free(v);
    CHECK_OK(bill_verify_create(&v, s, NULL));
    CHECK_ERR(bill_verify_add_file(v, "/nonexistent/audit.csv"), BILL_EIO);
    char *out = NULL;
    CHECK_ERR(bill_verify_to_json(&out, v), BILL_ESTATE);
    bill_verify_free(v);
    bill_store_close(s);
}

static void test_verify_output(void)
{
    test_current = "verify_output";
    bill_store *s = fixture();
    if (!s)
        return;
    const char *csv = HDR "M-1,A-2,,1160,2024-06-11\nM-2,A-1,\"Flat 3, \"\"B\"\"\",5052,2024-06-11\n"
                          "Q,A-1,,x,2024-06-11\n";
    bill_verify *a = run_csv(s, csv, NULL), *b = run_csv(s, csv, NULL);
    char *ja = NULL, *jb = NULL, *ca = NULL;
    CHECK(a && b);
    if (a && b) {
        CHECK_OK(bill_verify_to_json(&ja, a));
        CHECK_OK(bill_verify_to_json(&jb, b));
        CHECK_OK(bill_verify_to_csv(&ca, a));
        CHECK(ja && jb && strcmp(ja, jb) == 0);
        CHECK(ja && has(ja, "\"found_address\":\"Flat 3, \\\"B\\\"\""));
        CHECK(ja && has(ja, "{\"line\":4,\"class\":\"rejected\",\"evidence\":\"line 4"));
        CHECK(ja && has(ja, "\"accounts\":[\n{\"account\":\"A-1\",\"class\":\"mismatch\""));
        CHECK(ca && has(ca, "line_no,meter_serial,found_account,found_address,reading,read_on,"
                            "class,registered_account,partner,evidence\n2,M-1,A-2,,1160,"
                            "2024-06-11,likely_swap,A-1,M-2,"));
        CHECK(ca && has(ca, ",\"Flat 3, \"\"B\"\"\",5052,"));
        CHECK(ca && has(ca, "\n\naccount,class,evidence\nA-1,mismatch,"));
    }
    bill_free(ja);
    bill_free(jb);
    bill_free(ca);
    bill_verify_free(a);
    bill_verify_free(b);
    bill_store_close(s);
}

static void test_anomalies(void)
{
    test_current = "anomalies";
    bill_store *s = mem_store();
    if (!s)
        return;
    CHECK_OK(add_meter(s, "Z-1", 6, "A-Z1"));
    CHECK_OK(add_hist(s, "Z-1", "2024-01-01=0 2024-02-01=100 2024-03-01=200 2024-04-01=300 "
                      "2024-05-01=400 2024-06-01=1700 2024-07-01=1710 2024-08-01=1810"));
    CHECK_OK(add_meter(s, "Z-2", 6, "A-Z2"));
    CHECK_OK(add_hist(s, "Z-2", "2024-01-01=500 2024-02-01=500 2024-03-01=500 2024-04-01=500"));
    CHECK_OK(add_meter(s, "Z-3", 6, "A-Z3"));
    CHECK_OK(add_hist(s, "Z-3", "2024-01-01=500 2024-02-01=510 2024-03-01=510 2024-04-01=510"));
    CHECK_OK(add_meter(s, "Z-4", 6, NULL));
    CHECK_OK(add_hist(s, "Z-4", "2024-01-01=500 2024-02-01=500 2024-03-01=500 2024-04-01=500"));
    CHECK_OK(add_meter(s, "Z-5", 6, "A-Z5"));
    CHECK_OK(add_hist(s, "Z-5", "2024-01-01=5000 2024-02-01=4000"));
    bill_anomalies *a = NULL;
    CHECK_OK(bill_anomalies_find(&a, s, NULL));
    CHECK_INT(bill_anomalies_count(a), 4);
    if (bill_anomalies_count(a) == 4) {
        CHECK_INT(bill_anomalies_kind(a, 0), BILL_ANOMALY_HIGH_USAGE);
        CHECK_STR(bill_anomalies_text(a, 0, "account"), "A-Z1");
        CHECK_STR(bill_anomalies_text(a, 0, "from"), "2024-05-01");
        CHECK_STR(bill_anomalies_text(a, 0, "usage"), "1300");
        CHECK(has(bill_anomalies_text(a, 0, "evidence"), "meter Z-1 used 1300 kWh from 2024-05-01 "
                  "to 2024-06-01 (31 days, 41.94 a day), above 3 times the median daily usage 3.23 "
                  "of its previous 4 periods"));
        CHECK_INT(bill_anomalies_kind(a, 1), BILL_ANOMALY_LOW_USAGE);
        CHECK_STR(bill_anomalies_text(a, 1, "to"), "2024-07-01");
        CHECK(has(bill_anomalies_text(a, 1, "evidence"), "below 1/3 times the median daily usage"));
        CHECK_INT(bill_anomalies_kind(a, 2), BILL_ANOMALY_ZERO_USAGE);
        CHECK_STR(bill_anomalies_text(a, 2, "meter_serial"), "Z-2");
        CHECK(has(bill_anomalies_text(a, 2, "evidence"), "meter Z-2 of account A-Z2 advanced 0 kWh "
                  "over 3 consecutive periods from 2024-01-01 to 2024-04-01"));
        CHECK_INT(bill_anomalies_kind(a, 3), BILL_ANOMALY_READING_DECREASE);
        CHECK_STR(bill_anomalies_text(a, 3, "meter_serial"), "Z-5");
    }
    char *j1 = NULL, *j2 = NULL, *c = NULL;
    bill_anomalies *b = NULL;
    CHECK_OK(bill_anomalies_find(&b, s, NULL));
    CHECK_OK(bill_anomalies_to_json(&j1, a));
    CHECK_OK(bill_anomalies_to_json(&j2, b));
    CHECK(j1 && j2 && strcmp(j1, j2) == 0);
    CHECK_OK(bill_anomalies_to_csv(&c, a));
    CHECK(c && has(c, "account,meter_serial,kind,from,to,usage,evidence\nA-Z1,Z-1,high_usage,"
                      "2024-05-01,2024-06-01,1300,"));
    bill_free(j1);
    bill_free(j2);
    bill_free(c);
    bill_anomalies_free(a);
    bill_anomalies_free(b);
    /* options: two zero periods are enough with N = 2; a window */
    bill_anomaly_options o = BILL_ANOMALY_OPTIONS_INIT;
    o.zero_periods = 2;
    o.window.start = su_date("2024-03-15");
    o.window.end = su_date("2024-06-15");
    CHECK_OK(bill_anomalies_find(&a, s, &o));
    int zero = 0;
    for (size_t i = 0; i < bill_anomalies_count(a); i++) {
        if (bill_anomalies_kind(a, i) == BILL_ANOMALY_ZERO_USAGE)
            zero++;
        CHECK(bill_anomalies_kind(a, i) != BILL_ANOMALY_LOW_USAGE); /* 2024-07-01 is outside */
    }
    CHECK_INT(zero, 2); /* Z-2 and Z-3 (Z-4 is linked to no account) */
    bill_anomalies_free(a);
    su_dec(&o.factor, "1");
    CHECK_ERR(bill_anomalies_find(&a, s, &o), BILL_EINVAL);
    CHECK_STR(bill_anomaly_kind_name(BILL_ANOMALY_ZERO_USAGE), "zero_usage");
    bill_store_close(s);
}

void suite_verify(void)
{
    test_verify_classes();
    test_verify_confirmed_account();
    test_verify_rollover();
    test_verify_jump_edges();
    test_verify_jump_multiplier();
    test_verify_swaps();
    test_verify_scope_and_api();
    test_verify_output();
    test_anomalies();
}
