/*
 * Tests for the split scale: a period split into segments (a tariff version
 * change, or 1 January for annual tiers) without readings shares each
 * quantity by days at scale max(split_scale, s), s the scale of the value
 * with its trailing zeros removed. So a bill depends on the value, never on
 * how it is written: "769", "769.00" and "769.000" give byte-identical bills
 * (JSON and text, fast and general path alike) for total kWh, TOU registers,
 * exported kWh and kvarh; the parts add up exactly to the value; a value
 * with more decimals than the split scale keeps them; a segment fixed by
 * readings, and a bill of one segment, show the value as written.
 *
 * JSON in this file is written with single quotes; tu_sq() turns them into
 * double quotes before the text is loaded.
 */
#include "test.h"
#include "tariff_util.h"
#include "bill/tariff.h"

/* tariff_fast.c (internal): which path computed the last bill; the general path only */
int billi_bill_used_fast(const bill_bill *b);
void billi_bill_set_general_only(bill_bill *b, int on);

static bill_usage *U;
static bill_bill *B;

/* `fmt` with its one "%s" replaced by `value` (a fixed buffer: the usages here are short). */
static const char *usage_text(const char *fmt, const char *value)
{
    static char buf[8192];
    if (snprintf(buf, sizeof buf, fmt, value) >= (int)sizeof buf)
        TEST_FAIL_("usage text too long: %.40s", fmt);
    return buf;
}

/*
 * The bill of usage `fmt` % value as JSON and text (malloc'd, joined), computed
 * on the fast path when it takes the bill and on the general path only; both
 * must agree. *fast = 1 when the fast path computed it. NULL on an error.
 */
static char *bill_of(const bill_tariff *t, const char *fmt, const char *value, int *fast)
{
    char *out[2] = {NULL, NULL};
    for (int general = 0; general < 2; general++) {
        billi_bill_set_general_only(B, general);
        if (tu_usage(U, usage_text(fmt, value)) != BILL_OK ||
            bill_tariff_compute(t, U, B) != BILL_OK) {
            TEST_FAIL_("bill of %s: %s", usage_text(fmt, value), bill_errmsg());
            billi_bill_set_general_only(B, 0);
            free(out[0]);
            return NULL;
        }
        if (!general && fast)
            *fast = billi_bill_used_fast(B);
        char *j = bill_bill_to_json(B), *x = bill_bill_to_text(B);
        size_t nj = j ? strlen(j) : 0, nx = x ? strlen(x) : 0;
        out[general] = malloc(nj + nx + 2);
        if (!out[general])
            abort();
        snprintf(out[general], nj + nx + 2, "%s\n%s", j ? j : "", x ? x : "");
        bill_free(j);
        bill_free(x);
    }
    billi_bill_set_general_only(B, 0);
    if (strcmp(out[0], out[1]) != 0)
        TEST_FAIL_("fast and general bills differ for %s", usage_text(fmt, value));
    else
        test_passed++;
    free(out[1]);
    return out[0];
}

/* Every value in values[] (NULL-terminated) gives the bill of the first, byte for byte. */
static void same_bills(const bill_tariff *t, const char *fmt, const char *const *values,
                       int want_fast)
{
    int fast = -1;
    char *first = bill_of(t, fmt, values[0], &fast);
    if (!first)
        return;
    if (want_fast >= 0)
        CHECK_INT(fast, want_fast);
    for (int i = 1; values[i]; i++) {
        char *other = bill_of(t, fmt, values[i], NULL);
        if (!other)
            continue;
        if (strcmp(first, other) != 0)
            TEST_FAIL_("\"%s\" and \"%s\" give different bills:\n%s\n---\n%s", values[0],
                       values[i], first, other);
        else
            test_passed++;
        free(other);
    }
    free(first);
}

/* Line i (of the last bill) has quantity `qty`. */
static void check_qty(size_t i, const char *qty)
{
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, i));
    CHECK_STR(tu_dstr(v.quantity), qty);
}

static const char *const W769[] = {"769", "769.00", "769.000", "769.0", NULL};

#define HEAD_SCALE(extra)                                                                     \
    "{'format': 'libbill-tariff/1', 'id': 't', 'name': 'test', 'currency': 'CNY', "          \
    "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}, "                         \
    "'price_basis': 'vat_inclusive', " extra "'versions': ["
#define HEAD HEAD_SCALE("")
#define FLATV(eff, price)                                                                     \
    "{'effective': '" eff "', 'charges': [{'id': 'energy', 'type': 'energy', 'price': '"      \
    price "'}]}"
/* One price, changed on 2025-07-01: each segment is one energy line of its kWh. */
#define FLAT_SPLIT(extra)                                                                     \
    HEAD_SCALE(extra) FLATV("2020-01-01", "0.5283") ", " FLATV("2025-07-01", "0.5483") "]}"
/* 1 + 5 days around the change of 2025-07-01 */
#define P15 "'period': '2025-06-30/2025-07-06'"

static void test_total_kwh(void)
{
    bill_tariff *t = tu_load(FLAT_SPLIT(""));
    /* 769 over 1 + 5 days at scale 2: 128.1666.. + 640.8333.. -> 128.17 + 640.83 */
    same_bills(t, "{" P15 ", 'kwh': '%s'}", W769, 1);
    CHECK_OK(tu_usage(U, "{" P15 ", 'kwh': '769'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(bill_bill_line_count(B), 2);
    check_qty(0, "128.17");
    check_qty(1, "640.83");
    bill_tariff_free(t);

    /* monthly seasonal tiers, a version change on 2025-07-01 (the example tariff) */
    t = tu_example_tariff("cn-residential-monthly-seasonal.json");
    same_bills(t, "{" P15 ", 'kwh': '%s'}", W769, 1);
    same_bills(t, "{'period': '2025-06-16/2025-07-16', 'kwh': '%s'}",
               (const char *const[]){"600.5", "600.50", "600.500", NULL}, 1);
    bill_tariff_free(t);

    /* annual tiers across 1 January (the example tariff) */
    t = tu_example_tariff("cn-residential-annual.json");
    same_bills(t, "{'period': '2025-12-31/2026-01-06', 'ytd_kwh': '3100', 'kwh': '%s'}", W769,
               1);
    bill_tariff_free(t);
}

static void test_tou_registers(void)
{
    bill_tariff *t = tu_example_tariff("cn-residential-annual-tou.json");
    /* 1 January splits the period 1 + 5 days, register by register */
    static const char *const fmt = "{'period': '2025-12-31/2026-01-06', 'ytd_kwh': '3100', "
                                   "'tou_kwh': {%s}}";
    same_bills(t, fmt,
               (const char *const[]){"'peak': '769', 'valley': '231'",
                                     "'peak': '769.00', 'valley': '231.0'",
                                     "'peak': '769.000', 'valley': '231.00'", NULL},
               1);
    /* with a total as well: it is checked, not split */
    same_bills(t, "{'period': '2025-12-31/2026-01-06', 'kwh': '%s', 'tou_kwh': "
                  "{'peak': '769', 'valley': '231'}}",
               (const char *const[]){"1000", "1000.00", "1000.000", NULL}, 1);
    CHECK_OK(tu_usage(U, usage_text(fmt, "'peak': '769', 'valley': '231'")));
    CHECK_OK(bill_tariff_compute(t, U, B));
    bill_dec sum = BILL_DEC_INIT;
    for (size_t i = 0; i < bill_bill_line_count(B); i++) {
        bill_line_view v;
        CHECK_OK(bill_bill_line(&v, B, i));
        if (strcmp(v.band, "peak") == 0)
            CHECK_OK(bill_dec_add(&sum, &sum, v.quantity));
    }
    CHECK_STR(tu_dstr(&sum), "769.00");
    bill_dec_clear(&sum);
    bill_tariff_free(t);
}

static void test_exported_kwh(void)
{
    bill_tariff *t = tu_example_tariff("cn-residential-solar.json");
    /* net billing; 1 January splits the exports 1 + 5 days: 128.17 + 640.83 credited */
    static const char *const fmt = "{'period': '2025-12-31/2026-01-06', 'household_size': 3, "
                                   "'kwh': '420', 'ytd_kwh': '2761', 'exported_kwh': '%s'}";
    same_bills(t, fmt, W769, 0);
    CHECK_OK(tu_usage(U, usage_text(fmt, "769")));
    CHECK_OK(bill_tariff_compute(t, U, B));
    int credits = 0;
    bill_dec sum = BILL_DEC_INIT;
    for (size_t i = 0; i < bill_bill_line_count(B); i++) {
        bill_line_view v;
        CHECK_OK(bill_bill_line(&v, B, i));
        if (v.kind == BILL_LINE_CREDIT) {
            CHECK_STR(tu_dstr(v.quantity), credits == 0 ? "-128.17" : "-640.83");
            CHECK_OK(bill_dec_add(&sum, &sum, v.quantity));
            credits++;
        }
    }
    CHECK_INT(credits, 2);
    CHECK_STR(tu_dstr(&sum), "-769.00");
    bill_dec_clear(&sum);
    /* the imports written differently as well */
    same_bills(t, "{'period': '2025-12-31/2026-01-06', 'kwh': '%s', 'exported_kwh': '769'}",
               (const char *const[]){"420", "420.00", "420.000", NULL}, 0);
    bill_tariff_free(t);

    /* net metering: each segment nets its share of the exports against its imports */
    t = tu_load(HEAD "{'effective': '2020-01-01', 'charges': [{'id': 'energy', 'type': "
                "'energy', 'price': '0.5'}, {'id': 'solar', 'type': 'feed_in', 'price': '0.4', "
                "'netting': 'net_metering'}]}, {'effective': '2025-07-01', 'charges': [{'id': "
                "'energy', 'type': 'energy', 'price': '0.6'}, {'id': 'solar', 'type': "
                "'feed_in', 'price': '0.45', 'netting': 'net_metering'}]}]}");
    same_bills(t, "{" P15 ", 'kwh': '700', 'exported_kwh': '%s'}", W769, 0);
    same_bills(t, "{" P15 ", 'kwh': '%s', 'exported_kwh': '700'}", W769, 0);
    bill_tariff_free(t);
}

/*
 * Interval data with exports across a version change: the intervals split exactly, the exports
 * by days at the split scale, also in a bill handle that computed a different split before
 * (the days of the segments were once left from the previous bill, or zero).
 */
static void test_intervals_with_exports(void)
{
    bill_tariff *t = tu_load(HEAD "{'effective': '2020-01-01', 'charges': [{'id': 'energy', "
                "'type': 'energy', 'price': '0.5'}, {'id': 'solar', 'type': 'feed_in', 'price': "
                "'0.4', 'netting': 'net_billing'}]}, {'effective': '2025-07-01', 'charges': [{'id': "
                "'energy', 'type': 'energy', 'price': '0.6'}, {'id': 'solar', 'type': 'feed_in', "
                "'price': '0.4', 'netting': 'net_billing'}]}]}");
    static char text[4096];
    int n = snprintf(text, sizeof text, "{" P15 ", 'exported_kwh': '%%s', 'intervals': "
                     "{'start': '2025-06-30T00:00', 'minutes': 60, 'kwh': [");
    for (int i = 0; i < 6 * 24; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, i ? ", '1'" : "'1'");
    snprintf(text + n, sizeof text - (size_t)n, "]}}");
    for (int round = 0; round < 2; round++) {
        if (round == 1) { /* another split first: 15 + 16 days in the same handle */
            CHECK_OK(tu_usage(U, "{'period': '2025-06-16/2025-07-17', 'kwh': '31'}"));
            CHECK_OK(bill_tariff_compute(t, U, B));
        }
        CHECK_OK(tu_usage(U, usage_text(text, "769")));
        CHECK_OK(bill_tariff_compute(t, U, B));
        CHECK_INT(bill_bill_line_count(B), 4);
        check_qty(0, "24");      /* the intervals of 2025-06-30 */
        check_qty(1, "-128.17"); /* the exports by days, 1 + 5 */
        check_qty(2, "120");
        check_qty(3, "-640.83");
    }
    same_bills(t, text, W769, 0);
    bill_tariff_free(t);
}

#define PF_V(eff, price)                                                                      \
    "{'effective': '" eff "', 'charges': [{'id': 'energy', 'type': 'energy', 'price': '"      \
    price "'}, {'id': 'pf', 'type': 'power_factor', 'base': ['energy'], 'standard': '0.90'}]}"

static void test_kvarh(void)
{
    bill_tariff *t = tu_load(HEAD PF_V("2020-01-01", "0.5") ", " PF_V("2025-07-01", "0.6") "]}");
    /* the kvarh are not split (the power factor is the period's), the kWh are */
    same_bills(t, "{" P15 ", 'kwh': '769', 'kvarh': '%s'}",
               (const char *const[]){"512", "512.00", "512.000", NULL}, 1);
    same_bills(t, "{" P15 ", 'kwh': '%s', 'kvarh': '512.0'}", W769, 1);
    bill_tariff_free(t);
}

/* The trimmed scale of `text` (at least 0). */
static int32_t trimmed_scale(const char *text)
{
    const char *dot = strchr(text, '.');
    if (!dot)
        return 0;
    int32_t s = (int32_t)strlen(dot + 1);
    while (s > 0 && dot[s] == '0')
        s--;
    return s;
}

static void test_parts_add_up(void)
{
    static const char *const values[] = {"769", "769.00", "1", "0.01", "0.07", "0", "0.000",
                                         "100.005", "3.14159", "999999.99", "12345.6789",
                                         "301", "600.5", "7.10", "2", NULL};
    /* periods around the change of 2025-07-01: 1 + 5, 3 + 4, 15 + 9, 29 + 2 days; and one
     * across two changes (2025-07-01, 2025-07-11: 10 + 10 + 11 days) */
    static const char *const periods[] = {"2025-06-30/2025-07-06", "2025-06-28/2025-07-05",
                                          "2025-06-16/2025-07-10", "2025-06-02/2025-07-03",
                                          "2025-06-21/2025-07-22", NULL};
    bill_tariff *t = tu_load(HEAD FLATV("2020-01-01", "0.5283") ", " FLATV("2025-07-01", "0.5483")
                             ", " FLATV("2025-07-11", "0.5583") "]}");
    bill_dec sum = BILL_DEC_INIT, want = BILL_DEC_INIT;
    for (int p = 0; periods[p]; p++) {
        for (int i = 0; values[i]; i++) {
            char u[256];
            snprintf(u, sizeof u, "{'period': '%s', 'kwh': '%s'}", periods[p], values[i]);
            free(bill_of(t, u, "", NULL)); /* fast and general agree */
            CHECK_OK(tu_usage(U, u));
            CHECK_OK(bill_tariff_compute(t, U, B));
            size_t n = bill_bill_line_count(B);
            CHECK(n == (p == 4 ? 3u : 2u));
            int32_t want_scale = trimmed_scale(values[i]) > 2 ? trimmed_scale(values[i]) : 2;
            bill_dec_set_i64(&sum, 0, 0);
            for (size_t k = 0; k < n; k++) {
                bill_line_view v;
                CHECK_OK(bill_bill_line(&v, B, k));
                CHECK_OK(bill_dec_add(&sum, &sum, v.quantity));
                if (bill_dec_scale(v.quantity) != want_scale)
                    TEST_FAIL_("%s: part %s has scale %d, expected %d", u, tu_dstr(v.quantity),
                               (int)bill_dec_scale(v.quantity), (int)want_scale);
                else
                    test_passed++;
                CHECK(bill_dec_sign(v.quantity) >= 0);
            }
            CHECK_OK(bill_dec_parse(&want, values[i], (size_t)-1));
            if (bill_dec_cmp(&sum, &want) != 0)
                TEST_FAIL_("%s: parts add up to %s", u, tu_dstr(&sum));
            else
                test_passed++;
        }
    }
    bill_dec_clear(&sum);
    bill_dec_clear(&want);
    bill_tariff_free(t);
}

static void test_own_scale_kept(void)
{
    bill_tariff *t = tu_load(FLAT_SPLIT(""));
    /* 769.125 / 6 = 128.1875: at scale 3, 128.187 + 640.937 and one unit left, the fractions
     * tie (.5 each): to the earlier segment */
    same_bills(t, "{" P15 ", 'kwh': '%s'}",
               (const char *const[]){"769.125", "769.1250", "769.125000", NULL}, 1);
    CHECK_OK(tu_usage(U, "{" P15 ", 'kwh': '769.125'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    check_qty(0, "128.188");
    check_qty(1, "640.937");
    /* 769.1 has one decimal, below the split scale: shared at 2 */
    CHECK_OK(tu_usage(U, "{" P15 ", 'kwh': '769.1'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    check_qty(0, "128.18");
    check_qty(1, "640.92");
    bill_tariff_free(t);
}

static void test_unsplit_unchanged(void)
{
    bill_tariff *t = tu_load(FLAT_SPLIT(""));
    /* one segment: the value as written, as before */
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-06-30', 'kwh': '769'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_INT(bill_bill_line_count(B), 1);
    check_qty(0, "769");
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-06-30', 'kwh': '769.00'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    check_qty(0, "769.00");
    CHECK_OK(tu_usage(U, "{'period': '2025-07-01/2025-07-31', 'kwh': '769.000'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    check_qty(0, "769.000");
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, 0));
    CHECK_STR(tu_dstr(v.amount), "421.64"); /* 769 x 0.5483 = 421.6427 */
    bill_tariff_free(t);
}

static void test_readings_as_written(void)
{
    /* two changes, a reading on the second: the first 250 are shared by days at the split
     * scale, the last segment is the reading's difference as written */
    bill_tariff *t = tu_load(HEAD FLATV("2020-01-01", "0.50") ", " FLATV("2025-06-11", "0.60")
                             ", " FLATV("2025-06-21", "0.70") "]}");
    CHECK_OK(tu_usage(U, "{'period': '2025-06-01/2025-07-01', 'kwh': '301', 'readings': "
                         "[{'date': '2025-06-21', 'kwh': '251'}]}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    check_qty(0, "125.50");
    check_qty(1, "125.50");
    check_qty(2, "50");
    bill_tariff_free(t);
}

static void test_split_scale_setting(void)
{
    /* split_scale 0: whole kWh unless the value has decimals; "769.00" splits like "769" */
    bill_tariff *t = tu_load(FLAT_SPLIT("'split_scale': 0, "));
    same_bills(t, "{" P15 ", 'kwh': '%s'}", W769, 1);
    CHECK_OK(tu_usage(U, "{" P15 ", 'kwh': '769.00'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    check_qty(0, "128");
    check_qty(1, "641");
    CHECK_OK(tu_usage(U, "{" P15 ", 'kwh': '769.50'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    check_qty(0, "128.3"); /* 128.25 + 641.25 at scale 1: the tie to the earlier */
    check_qty(1, "641.2");
    bill_tariff_free(t);
    /* split_scale 3 */
    t = tu_load(FLAT_SPLIT("'split_scale': 3, "));
    same_bills(t, "{" P15 ", 'kwh': '%s'}", W769, 1);
    CHECK_OK(tu_usage(U, "{" P15 ", 'kwh': '769'}"));
    CHECK_OK(bill_tariff_compute(t, U, B));
    check_qty(0, "128.167");
    check_qty(1, "640.833");
    bill_tariff_free(t);
    /* the default is 2, as written explicitly */
    t = tu_load(FLAT_SPLIT("'split_scale': 2, "));
    bill_tariff *d = tu_load(FLAT_SPLIT(""));
    char *a = bill_of(t, "{" P15 ", 'kwh': '%s'}", "769", NULL);
    char *b = bill_of(d, "{" P15 ", 'kwh': '%s'}", "769", NULL);
    CHECK(a && b && strcmp(a, b) == 0);
    free(a);
    free(b);
    bill_tariff_free(t);
    bill_tariff_free(d);
    /* validated at load, with the JSON path */
    tu_reject(FLAT_SPLIT("'split_scale': 7, "), BILL_ERANGE, "$.split_scale");
    tu_reject(FLAT_SPLIT("'split_scale': -1, "), BILL_ERANGE, "$.split_scale");
    tu_reject(FLAT_SPLIT("'split_scale': 2.5, "), BILL_ESYNTAX, "$.split_scale");
    tu_reject(FLAT_SPLIT("'split_scale': '2', "), BILL_ESYNTAX, "$.split_scale");
    tu_reject(FLAT_SPLIT("'split_scal': 2, "), BILL_ESYNTAX, "split_scale");
}

void suite_tariff_split_scale(void)
{
    CHECK_OK(bill_usage_create(&U));
    CHECK_OK(bill_bill_create(&B));
    RUN(test_total_kwh);
    RUN(test_tou_registers);
    RUN(test_exported_kwh);
    RUN(test_kvarh);
    RUN(test_intervals_with_exports);
    RUN(test_parts_add_up);
    RUN(test_own_scale_kept);
    RUN(test_unsplit_unchanged);
    RUN(test_readings_as_written);
    RUN(test_split_scale_setting);
    bill_bill_free(B);
    bill_usage_free(U);
}
