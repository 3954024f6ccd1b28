/*
 * Tests for bill_store_determinants_each (the chunked determinants) and the
 * billing run built on it: over a generated store with every case (meter
 * exchanges, multiplier changes, shared meters, sub-meters, estimated,
 * missing and bad readings, registers that went down, accounts without
 * meters, id gaps, reference order unlike id order, more accounts than one
 * chunk), every account's status, message and quantities must equal
 * bill_store_determinants'.
 */
#define _POSIX_C_SOURCE 200809L
#include "test.h"
#include "store_util.h"
#include "../../libbill/store_internal.h"

#include <stddef.h>

static int b_account(bill_store *s, const char *ref)
{
    bill_account *a = NULL;
    int rc = bill_account_create(&a, ref);
    if (rc == BILL_OK)
        rc = bill_account_set_tariff(a, "flat");
    if (rc == BILL_OK)
        rc = bill_registry_add_account(s, a);
    bill_account_free(a);
    return rc;
}

/* A meter with "total" (energy), optionally "peak" + "valley" and "md" (demand). */
static int b_meter(bill_store *s, const char *serial, const char *installed, const char *mult,
                   int tou, int demand)
{
    bill_meter *m = NULL;
    bill_dec k;
    int rc = bill_meter_create(&m, serial);
    if (rc == BILL_OK)
        rc = bill_meter_set_installed(m, su_date(installed));
    if (rc == BILL_OK)
        rc = bill_meter_add_register(m, "total", BILL_REGISTER_ENERGY, 0);
    if (rc == BILL_OK && tou)
        rc = bill_meter_add_register(m, "valley", BILL_REGISTER_ENERGY, 0);
    if (rc == BILL_OK && tou)
        rc = bill_meter_add_register(m, "peak", BILL_REGISTER_ENERGY, 0);
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

/* Readings of all registers of a meter at a date: base (+1 per register code), estimated. */
static int b_reads(bill_store *s, const char *serial, int tou, int demand, const char *date,
                   long base, int est)
{
    char v[32];
    int rc;
    snprintf(v, sizeof v, "%ld.%ld", base, base % 10);
    rc = su_reading(s, serial, "total", date, v, est);
    if (rc == BILL_OK && tou) {
        snprintf(v, sizeof v, "%ld", base / 2);
        rc = su_reading(s, serial, "peak", date, v, 0);
        if (rc == BILL_OK) {
            snprintf(v, sizeof v, "%ld", base - base / 2);
            rc = su_reading(s, serial, "valley", date, v, 0);
        }
    }
    if (rc == BILL_OK && demand) {
        snprintf(v, sizeof v, "%ld.%ld", 3 + base % 7, base % 10);
        rc = su_reading(s, serial, "md", date, v, 0);
    }
    return rc;
}

#define NACC 2100 /* more than one chunk (BILLI_DET_CHUNK) */
#define KINDS 13

static unsigned lcg(unsigned *x)
{
    *x = *x * 1103515245u + 12345u;
    return (*x >> 16) & 0x7fff;
}

/* References in an order unlike the ids: "R" + a scrambled number. */
static void ref_of(char *buf, size_t cap, int i)
{
    snprintf(buf, cap, "R%05u-%d", (unsigned)(i * 7919) % 100000u, i);
}

static bill_store *generate(int n, int corrupt)
{
    bill_store *s = NULL;
    CHECK_OK(bill_store_open(&s, ":memory:", BILL_STORE_CREATE));
    if (!s)
        return NULL;
    CHECK_OK(bill_store_begin(s));
    bill_date open = bill_registry_open_end();
    unsigned x = 12345;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char ref[32], m1[32], m2[32];
        ref_of(ref, sizeof ref, i);
        snprintf(m1, sizeof m1, "M%d", i);
        snprintf(m2, sizeof m2, "N%d", i);
        bad |= b_account(s, ref) != BILL_OK;
        int kind = (int)(lcg(&x) % KINDS), tou = (int)(lcg(&x) % 2), est = lcg(&x) % 5 == 0;
        long base = 1000 + (long)(lcg(&x) % 5000), use = 10 + (long)(lcg(&x) % 900);
        if (i % 97 == 0) /* id gaps: meters of nobody */
            for (int k = 0; k < 80; k++) {
                char g[32];
                snprintf(g, sizeof g, "G%d-%d", i, k);
                bad |= b_meter(s, g, "2020-01-01", NULL, 1, 1) != BILL_OK;
            }
        switch (kind) {
        case 0: /* plain, maybe estimated */
        case 1:
            bad |= b_meter(s, m1, "2020-01-01", i % 3 ? NULL : "40", tou, kind) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2020-01-01"), open) != BILL_OK;
            bad |= b_reads(s, m1, tou, kind, "2025-06-01", base, 0) != BILL_OK;
            bad |= b_reads(s, m1, tou, kind, "2025-06-15", base + use / 3, 0) != BILL_OK;
            bad |= b_reads(s, m1, tou, kind, "2025-07-01", base + use, est) != BILL_OK;
            /* readings outside the period do not count */
            bad |= b_reads(s, m1, tou, kind, "2025-05-01", base - 300, 0) != BILL_OK;
            bad |= b_reads(s, m1, tou, kind, "2025-08-01", base + 2 * use, 0) != BILL_OK;
            break;
        case 2: /* missing end reading */
            bad |= b_meter(s, m1, "2020-01-01", NULL, tou, 0) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2020-01-01"), open) != BILL_OK;
            bad |= b_reads(s, m1, tou, 0, "2025-06-01", base, 0) != BILL_OK;
            break;
        case 3: /* meter exchange on 06-11, new meter ×2, demand on both */
            bad |= b_meter(s, m1, "2020-01-01", NULL, tou, 1) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2020-01-01"), open) != BILL_OK;
            bad |= bill_registry_remove_meter(s, m1, su_date("2025-06-11")) != BILL_OK;
            bad |= b_meter(s, m2, "2025-06-11", "2", tou, 1) != BILL_OK;
            bad |= bill_registry_link(s, m2, ref, su_date("2025-06-11"), open) != BILL_OK;
            bad |= b_reads(s, m1, tou, 1, "2025-06-01", base, 0) != BILL_OK;
            bad |= b_reads(s, m1, tou, 1, "2025-06-11", base + use, est) != BILL_OK;
            bad |= b_reads(s, m2, tou, 1, "2025-06-11", 0, 0) != BILL_OK;
            bad |= b_reads(s, m2, tou, 1, "2025-07-01", use / 2, 0) != BILL_OK;
            break;
        case 4: /* multiplier change on 06-16 with (or, every other time, without) a reading */
            bad |= b_meter(s, m1, "2020-01-01", "10", tou, 0) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2020-01-01"), open) != BILL_OK;
            {
                bill_dec k;
                bad |= bill_registry_set_multiplier(s, m1, su_date("2025-06-16"), su_dec(&k, "20")) !=
                       BILL_OK;
                bill_dec_clear(&k);
            }
            bad |= b_reads(s, m1, tou, 0, "2025-06-01", base, 0) != BILL_OK;
            if (i % 2)
                bad |= b_reads(s, m1, tou, 0, "2025-06-16", base + use / 2, 0) != BILL_OK;
            bad |= b_reads(s, m1, tou, 0, "2025-07-01", base + use, 0) != BILL_OK;
            break;
        case 5: /* a meter shared with the previous account (0.3 / 0.7) */
            if (i > 0) {
                char prev[32];
                ref_of(prev, sizeof prev, i - 1);
                const char *refs[] = { prev, ref };
                bill_dec r[2];
                bad |= b_meter(s, m1, "2020-01-01", NULL, 0, 0) != BILL_OK;
                bad |= bill_registry_link_shared(s, m1, refs, (su_dec(&r[0], "0.3"), su_dec(&r[1], "0.7"), r),
                                                 2, su_date("2020-01-01"), open) != BILL_OK;
                bill_dec_clear(&r[0]);
                bill_dec_clear(&r[1]);
                bad |= b_reads(s, m1, 0, 0, "2025-06-01", base, 0) != BILL_OK;
                bad |= b_reads(s, m1, 0, 0, "2025-07-01", base + use, 0) != BILL_OK;
            }
            break;
        case 6: /* a master meter with a sub-meter of nobody */
            bad |= b_meter(s, m1, "2020-01-01", NULL, 0, 0) != BILL_OK;
            bad |= b_meter(s, m2, "2020-01-01", NULL, 0, 0) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2020-01-01"), open) != BILL_OK;
            bad |= bill_registry_add_sub(s, m1, m2, su_date("2020-01-01"), open) != BILL_OK;
            bad |= b_reads(s, m1, 0, 0, "2025-06-01", base, 0) != BILL_OK;
            bad |= b_reads(s, m1, 0, 0, "2025-07-01", base + use, 0) != BILL_OK;
            bad |= b_reads(s, m2, 0, 0, "2025-06-01", 100, 0) != BILL_OK;
            bad |= b_reads(s, m2, 0, 0, "2025-07-01", 100 + use / (i % 2 ? 3 : 1) + i % 2 * 5, 0) !=
                   BILL_OK;
            break;
        case 7: /* no meter */
            break;
        case 8: /* the register went down */
            bad |= b_meter(s, m1, "2020-01-01", NULL, 0, 0) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2020-01-01"), open) != BILL_OK;
            bad |= b_reads(s, m1, 0, 0, "2025-06-01", base, 0) != BILL_OK;
            bad |= b_reads(s, m1, 0, 0, "2025-07-01", base - use, 0) != BILL_OK;
            break;
        case 9: /* a stored value that is not a decimal (ECORRUPT: the billing run skips the account) */
            bad |= b_meter(s, m1, "2020-01-01", NULL, 0, 0) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2020-01-01"), open) != BILL_OK;
            bad |= su_reading(s, m1, "total", "2025-06-01", corrupt ? "12x" : "12", 0) != BILL_OK;
            bad |= su_reading(s, m1, "total", "2025-07-01", "20", 0) != BILL_OK;
            break;
        case 10: /* linked from 06-10 on (a new connection) */
            bad |= b_meter(s, m1, "2025-06-10", NULL, tou, 0) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2025-06-10"), open) != BILL_OK;
            bad |= b_reads(s, m1, tou, 0, "2025-06-10", 0, 0) != BILL_OK;
            bad |= b_reads(s, m1, tou, 0, "2025-07-01", use, 0) != BILL_OK;
            break;
        case 11: /* the link ended before the period: no quantities */
            bad |= b_meter(s, m1, "2020-01-01", NULL, 0, 0) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2020-01-01"), su_date("2025-05-01")) != BILL_OK;
            bad |= b_reads(s, m1, 0, 0, "2025-06-01", base, 0) != BILL_OK;
            break;
        default: /* two meters at once (e.g. house and heat pump) */
            bad |= b_meter(s, m1, "2020-01-01", NULL, tou, 0) != BILL_OK;
            bad |= b_meter(s, m2, "2020-01-01", "3", 0, 1) != BILL_OK;
            bad |= bill_registry_link(s, m2, ref, su_date("2020-01-01"), open) != BILL_OK;
            bad |= bill_registry_link(s, m1, ref, su_date("2020-01-01"), open) != BILL_OK;
            bad |= b_reads(s, m1, tou, 0, "2025-06-01", base, 0) != BILL_OK;
            bad |= b_reads(s, m1, tou, 0, "2025-07-01", base + use, 0) != BILL_OK;
            bad |= b_reads(s, m2, 0, 1, "2025-06-01", 50, 0) != BILL_OK;
            bad |= b_reads(s, m2, 0, 1, "2025-07-01", 50 + use / 4, 1) != BILL_OK;
            break;
        }
    }
    if (corrupt) { /* a register code longer than any key, put in with SQL */
        bad |= b_account(s, "ZLONG") != BILL_OK;
        bad |= b_meter(s, "MLONG", "2020-01-01", NULL, 0, 0) != BILL_OK;
        bad |= bill_registry_link(s, "MLONG", "ZLONG", su_date("2020-01-01"), open) != BILL_OK;
        bad |= sqlite3_exec(s->db,
                            "INSERT INTO registers (meter_id, code, kind, digits) SELECT id,"
                            " 'c23456789012345678901234567890123456789012345678901234567890123456789',"
                            " 'energy', 6 FROM meters WHERE serial = 'MLONG'",
                            NULL, NULL, NULL) != SQLITE_OK;
        bad |= b_reads(s, "MLONG", 0, 0, "2025-06-01", 5, 0) != BILL_OK;
        bad |= b_reads(s, "MLONG", 0, 0, "2025-07-01", 9, 0) != BILL_OK;
    }
    CHECK(!bad);
    CHECK_OK(bill_store_commit(s));
    return s;
}

/* "STATUS|message|code=value*,..." of a result, for comparison. */
static void describe(char *buf, size_t cap, int status, const bill_determinants *d)
{
    size_t len = (size_t)snprintf(buf, cap, "%s|%s|", bill_status_name(status),
                                  status == BILL_OK ? "" : bill_errmsg());
    if (status != BILL_OK || len >= cap)
        return;
    for (size_t i = 0; i < bill_determinants_count(d) && len < cap; i++) {
        char v[64];
        bill_dec x = BILL_DEC_INIT;
        bill_determinants_value(&x, d, i);
        bill_dec_format(&x, v, sizeof v);
        bill_dec_clear(&x);
        len += (size_t)snprintf(buf + len, cap - len, "%s:%d=%s%s,", bill_determinants_code(d, i),
                                bill_determinants_kind(d, i), v,
                                bill_determinants_estimated(d, i) ? "*" : "");
    }
}

typedef struct diff_ctx {
    bill_store *s;
    bill_period p;
    bill_determinants *one;
    size_t calls, ok, errors, mismatches, stop_after;
    int status_seen[4]; /* OK, ENOTFOUND, ERULE, ECORRUPT */
    char prev[BILL_KEY_MAX];
    int ordered;
} diff_ctx;

static int diff_each(void *ctx, const char *reference, int status, bill_determinants *d)
{
    diff_ctx *c = ctx;
    char a[2048], b[2048];
    describe(a, sizeof a, status, d);
    int st = bill_store_determinants(c->one, c->s, reference, c->p);
    describe(b, sizeof b, st, c->one);
    if (strcmp(a, b) != 0) {
        if (c->mismatches < 5)
            printf("  mismatch for %s:\n    each: %s\n    one:  %s\n", reference, a, b);
        c->mismatches++;
    }
    c->calls++;
    if (status == BILL_OK)
        c->ok++;
    else
        c->errors++;
    c->status_seen[0] |= status == BILL_OK;
    c->status_seen[1] |= status == BILL_ENOTFOUND;
    c->status_seen[2] |= status == BILL_ERULE;
    c->status_seen[3] |= status == BILL_ECORRUPT;
    if (c->calls > 1 && strcmp(c->prev, reference) >= 0)
        c->ordered = 0;
    snprintf(c->prev, sizeof c->prev, "%s", reference);
    if (c->stop_after && c->calls == c->stop_after)
        return 4242;
    return BILL_OK;
}

static void test_each_equals_one(void)
{
    bill_store *s = generate(NACC, 1);
    if (!s)
        return;
    diff_ctx c;
    memset(&c, 0, sizeof c);
    c.s = s;
    bill_period_parse(&c.p, "2025-06-01/2025-07-01", (size_t)-1);
    c.ordered = 1;
    CHECK_OK(bill_determinants_create(&c.one));

    /* every account, in reference order, across two chunks */
    CHECK_OK(bill_store_determinants_each(s, c.p, NULL, 0, diff_each, &c));
    CHECK_INT(c.calls, NACC + 1);
    CHECK_INT(c.mismatches, 0);
    CHECK(c.ordered);
    CHECK(c.ok > NACC / 2);
    CHECK(c.errors > NACC / 10);
    CHECK(c.status_seen[0] && c.status_seen[1] && c.status_seen[2] && c.status_seen[3]);

    /* a list: reversed, with unknown references, a repeat and a too long one */
    size_t n = NACC + 3;
    char **refs = calloc(n, sizeof *refs);
    for (size_t i = 0; i < NACC; i++) {
        refs[i] = malloc(32);
        ref_of(refs[i], 32, (int)(NACC - 1 - i));
    }
    refs[NACC] = strdup("NOBODY");
    refs[NACC + 1] = strdup(refs[5]);
    refs[NACC + 2] = malloc(100);
    memset(refs[NACC + 2], 'X', 99);
    refs[NACC + 2][99] = 0;
    memset(&c.calls, 0, sizeof c - offsetof(diff_ctx, calls));
    CHECK_OK(bill_store_determinants_each(s, c.p, (const char *const *)refs, n, diff_each, &c));
    CHECK_INT(c.calls, n);
    CHECK_INT(c.mismatches, 0);

    /* another period: the exchange and multiplier-change dates are not its boundaries */
    memset(&c.calls, 0, sizeof c - offsetof(diff_ctx, calls));
    bill_period_parse(&c.p, "2025-06-05/2025-06-20", (size_t)-1);
    CHECK_OK(bill_store_determinants_each(s, c.p, NULL, 0, diff_each, &c));
    CHECK_INT(c.calls, NACC + 1);
    CHECK_INT(c.mismatches, 0);
    bill_period_parse(&c.p, "2025-06-01/2025-07-01", (size_t)-1);

    /* the callback stops the iteration with its value */
    memset(&c.calls, 0, sizeof c - offsetof(diff_ctx, calls));
    c.stop_after = 3;
    CHECK_INT(bill_store_determinants_each(s, c.p, NULL, 0, diff_each, &c), 4242);
    CHECK_INT(c.calls, 3);
    c.stop_after = 0;

    /* bad arguments */
    c.calls = 0;
    const char *nulls[] = { "A", NULL };
    CHECK_ERR(bill_store_determinants_each(s, c.p, nulls, 2, diff_each, &c), BILL_EINVAL);
    CHECK_ERR(bill_store_determinants_each(s, c.p, NULL, 0, NULL, &c), BILL_EINVAL);
    CHECK_ERR(bill_store_determinants_each(NULL, c.p, NULL, 0, diff_each, &c), BILL_EINVAL);
    bill_period back = { c.p.end, c.p.start };
    CHECK_ERR(bill_store_determinants_each(s, back, NULL, 0, diff_each, &c), BILL_EDATE);
    CHECK_INT(c.calls, 0);

    for (size_t i = 0; i < n; i++)
        free(refs[i]);
    free(refs);
    bill_determinants_free(c.one);
    bill_store_close(s);
}

#define BATCH_FLAT_TARIFF                                                                      \
    "{\"format\": \"libbill-tariff/1\", \"id\": \"flat\", \"currency\": \"CNY\","              \
    " \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"},"              \
    " \"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2020-01-01\","      \
    " \"charges\": [{\"id\": \"energy\", \"type\": \"energy\", \"price\": \"0.5\"},"           \
    " {\"id\": \"service\", \"type\": \"fixed\", \"amount\": \"5.00\", \"per\": \"month\"}]}]}"

/* The billing run over the generated store: each stored bill is the one computed alone. */
static void test_run_equals_one(void)
{
    bill_store *s = generate(NACC, 0);
    if (!s)
        return;
    bill_tariff *t = NULL;
    CHECK_OK(bill_tariff_load(&t, BATCH_FLAT_TARIFF, (size_t)-1, "flat"));
    bill_period p;
    bill_period_parse(&p, "2025-06-01/2025-07-01", (size_t)-1);
    const bill_tariff *ts[] = { t };
    bill_billing_report *r = NULL;
    CHECK_OK(bill_billing_run(&r, s, p, "june", ts, 1, NULL, 0));
    if (!r) {
        bill_tariff_free(t);
        bill_store_close(s);
        return;
    }
    CHECK_INT(bill_billing_report_accounts(r), NACC);
    CHECK_INT(bill_billing_report_billed(r) + bill_billing_report_skipped(r), NACC);
    bill_determinants *d = NULL;
    bill_usage *u = NULL;
    bill_bill *b = NULL;
    CHECK_OK(bill_determinants_create(&d));
    CHECK_OK(bill_usage_create(&u));
    CHECK_OK(bill_bill_create(&b));
    size_t billed = 0, skipped = 0, same = 0, skip_same = 0;
    for (int i = 0; i < NACC; i++) {
        char ref[32];
        ref_of(ref, sizeof ref, i);
        char *json = bill_store_bill_json(s, ref, p);
        int rc = bill_store_determinants(d, s, ref, p);
        if (rc == BILL_OK && bill_determinants_count(d) > 0) {
            billed++;
            bill_usage_reset(u);
            char *want = NULL;
            if (bill_determinants_to_usage(u, d) == BILL_OK &&
                bill_tariff_compute(t, u, b) == BILL_OK)
                want = bill_bill_to_json(b);
            same += json && want && strcmp(json, want) == 0;
            bill_free(want);
        } else {
            skipped++;
            skip_same += json == NULL;
        }
        bill_free(json);
    }
    CHECK_INT(bill_billing_report_billed(r), billed);
    CHECK_INT(same, billed);
    CHECK_INT(skip_same, skipped);
    /* the skip reasons are bill_store_determinants' messages */
    size_t found = 0;
    for (size_t i = 0; i < bill_billing_report_skipped(r); i++) {
        const char *ref = bill_billing_report_skipped_account(r, i);
        int rc = bill_store_determinants(d, s, ref, p);
        if (rc != BILL_OK && strstr(bill_billing_report_skipped_reason(r, i), bill_errmsg()))
            found++;
        else if (rc == BILL_OK && bill_determinants_count(d) == 0)
            found++;
    }
    CHECK_INT(found, bill_billing_report_skipped(r));
    /* the bills' UUIDs are version 7 (time-ordered), variant 10 */
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_prepare_v2(s->db, "SELECT uuid FROM bills", -1, &st, NULL) == SQLITE_OK);
    size_t v7 = 0, rows = 0;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        rows++;
        v7 += strlen(id) == 36 && id[14] == '7' && strchr("89ab", id[19]) != NULL;
    }
    sqlite3_finalize(st);
    CHECK_INT(rows, billed);
    CHECK_INT(v7, rows);
    bill_billing_report_free(r);

    /* a second run with a list bills nothing new */
    const char *refs[3] = { NULL, NULL, "NOBODY" };
    char r0[32], r1[32];
    ref_of(r0, sizeof r0, 1);
    ref_of(r1, sizeof r1, 0);
    refs[0] = r0;
    refs[1] = r1;
    CHECK_OK(bill_billing_run(&r, s, p, "again", ts, 1, refs, 3));
    if (r) {
        CHECK_INT(bill_billing_report_accounts(r), 3);
        CHECK_INT(bill_billing_report_billed(r), 0);
        CHECK_INT(bill_billing_report_already_billed(r) + bill_billing_report_skipped(r), 3);
        CHECK_STR(bill_billing_report_skipped_account(r, bill_billing_report_skipped(r) - 1),
                  "NOBODY");
        bill_billing_report_free(r);
    }
    bill_bill_free(b);
    bill_usage_free(u);
    bill_determinants_free(d);
    bill_tariff_free(t);
    bill_store_close(s);
}

void suite_billing_batch(void)
{
    RUN(test_each_equals_one);
    RUN(test_run_equals_one);
}
