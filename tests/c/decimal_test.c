/* Tests for the exact decimals (libbill/decimal.c). */
#include "test.h"

/* ---- helpers ------------------------------------------------------------- */

/* Parse text into a fresh value; a parse failure counts as a test failure. */
static bill_dec dec_(const char *text, int line)
{
    bill_dec d = BILL_DEC_INIT;
    int rc = bill_dec_parse(&d, text, (size_t)-1);
    if (rc != BILL_OK) {
        test_failed++;
        printf("FAIL %s (%s:%d): parse \"%s\": %s\n", test_current, __FILE__, line, text,
               bill_errmsg());
    }
    return d;
}
#define DEC(text) dec_((text), __LINE__)

static void check_text_(char *got, const char *want, const char *what, const char *ctx, int line)
{
    if (got && want && strcmp(got, want) == 0) {
        test_passed++;
    } else {
        test_failed++;
        printf("FAIL %s (%s:%d): %s of %s == \"%s\", expected \"%s\"\n", test_current, __FILE__,
               line, what, ctx, got ? got : "(null)", want ? want : "(null)");
    }
    bill_free(got);
}
/* plain text of *d equals want */
#define CHECK_DEC(d, want) check_text_(bill_dec_to_str(d), (want), "plain text", #d, __LINE__)
/* scientific text of *d equals want */
#define CHECK_SCI(d, want) check_text_(bill_dec_to_sci_str(d), (want), "sci text", #d, __LINE__)

/* The last error message contains `frag`. */
#define CHECK_MSG(frag)                                                              \
    do {                                                                             \
        const char *m_ = bill_errmsg(), *f_ = (frag);                                \
        if (strstr(m_, f_)) test_passed++;                                           \
        else TEST_FAIL_("errmsg \"%s\" lacks \"%s\"", m_, f_);                       \
    } while (0)

static const char *const mode_names[] = {"UP", "DOWN", "CEILING", "FLOOR", "HALF_UP",
                                         "HALF_DOWN", "HALF_EVEN", "UNNECESSARY"};

/* ---- parsing ------------------------------------------------------------- */

static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f || *s == '\\')
            return 0;
    return 1;
}

static void test_parse_accepts(void)
{
    static const struct {
        const char *in, *plain, *sci;
        int scale, sign, compact;
    } t[] = {
        {"123", "123", "123", 0, 1, 1},
        {"-0.5283", "-0.5283", "-0.5283", 4, -1, 1},
        {"+1.50", "1.50", "1.50", 2, 1, 1},
        {"1.5E+3", "1500", "1.5E+3", -2, 1, 1},
        {"1.5e3", "1500", "1.5E+3", -2, 1, 1},
        {".5", "0.5", "0.5", 1, 1, 1},
        {"-.5", "-0.5", "-0.5", 1, -1, 1},
        {"+.5e1", "5", "5", 0, 1, 1},
        {"5.", "5", "5", 0, 1, 1},
        {"5.e2", "500", "5E+2", -2, 1, 1},
        {"1e-7", "0.0000001", "1E-7", 7, 1, 1},
        {"1E-0", "1", "1", 0, 1, 1},
        {"1e+0", "1", "1", 0, 1, 1},
        {"12.5e-2", "0.125", "0.125", 3, 1, 1},
        {"0", "0", "0", 0, 0, 1},
        {"-0", "0", "0", 0, 0, 1},
        {"-0.00", "0.00", "0.00", 2, 0, 1},
        {"+0.0", "0.0", "0.0", 1, 0, 1},
        {"0E+3", "0", "0E+3", -3, 0, 1},
        {"00000", "0", "0", 0, 0, 1},
        {"007.50", "7.50", "7.50", 2, 1, 1},
        {"0.000123", "0.000123", "0.000123", 6, 1, 1},
        {"123456789012345678", "123456789012345678", "123456789012345678", 0, 1, 1},
        {"9223372036854775807", "9223372036854775807", "9223372036854775807", 0, 1, 1},
        {"-9223372036854775807", "-9223372036854775807", "-9223372036854775807", 0, -1, 1},
        {"9223372036854775808", "9223372036854775808", "9223372036854775808", 0, 1, 0},
        {"-9223372036854775808", "-9223372036854775808", "-9223372036854775808", 0, -1, 0},
        {"922337203685477580.8", "922337203685477580.8", "922337203685477580.8", 1, 1, 0},
        {"1234567890123456789012345678901234567890", "1234567890123456789012345678901234567890",
         "1234567890123456789012345678901234567890", 0, 1, 0},
        {"-0.000000000000000000009234567890123456789", "-0.000000000000000000009234567890123456789",
         "-9.234567890123456789E-21", 39, -1, 0},
        {"-0.000000000000000000001234567890123456789", "-0.000000000000000000001234567890123456789",
         "-1.234567890123456789E-21", 39, -1, 1},
        {"000000000000000000000000000000000000000001", "1", "1", 0, 1, 1},
        {"1E+100000", NULL, "1E+100000", -100000, 1, 1},
        {"1E-100000", NULL, "1E-100000", 100000, 1, 1},
        {"1.5E-99999", NULL, "1.5E-99999", 100000, 1, 1},
        {"0e-000000001", "0.0", "0.0", 1, 0, 1},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bill_dec d = BILL_DEC_INIT;
        int rc = bill_dec_parse(&d, t[i].in, (size_t)-1);
        if (rc != BILL_OK) {
            TEST_FAIL_("parse \"%s\": %s", t[i].in, bill_errmsg());
            continue;
        }
        if (t[i].plain)
            check_text_(bill_dec_to_str(&d), t[i].plain, "plain text", t[i].in, __LINE__);
        check_text_(bill_dec_to_sci_str(&d), t[i].sci, "sci text", t[i].in, __LINE__);
        CHECK_INT(bill_dec_scale(&d), t[i].scale);
        CHECK_INT(bill_dec_sign(&d), t[i].sign);
        CHECK_INT(bill_dec_is_compact(&d), t[i].compact);
        bill_dec_clear(&d);
    }
}

static void test_parse_limits(void)
{
    char buf[2200];
    bill_dec d = BILL_DEC_INIT;
    char *s;

    /* exactly BILL_DEC_MAX_DIGITS significant digits are fine */
    memset(buf, '7', BILL_DEC_MAX_DIGITS);
    buf[BILL_DEC_MAX_DIGITS] = '\0';
    CHECK_OK(bill_dec_parse(&d, buf, (size_t)-1));
    CHECK_INT(bill_dec_precision(&d), BILL_DEC_MAX_DIGITS);
    s = bill_dec_to_str(&d);
    CHECK(s && strcmp(s, buf) == 0);
    bill_free(s);

    /* one more is too many */
    memset(buf, '7', BILL_DEC_MAX_DIGITS + 1);
    buf[BILL_DEC_MAX_DIGITS + 1] = '\0';
    CHECK_ERR(bill_dec_parse(&d, buf, (size_t)-1), BILL_ERANGE);
    CHECK_MSG("1001 significant digits");
    CHECK_INT(bill_dec_precision(&d), BILL_DEC_MAX_DIGITS); /* unchanged */

    /* leading zeros do not count, in the integer part or the fraction */
    memset(buf, '0', 1500);
    strcpy(buf + 1500, "42");
    CHECK_OK(bill_dec_parse(&d, buf, (size_t)-1));
    CHECK_DEC(&d, "42");
    strcpy(buf, "0.");
    memset(buf + 2, '0', 1500);
    strcpy(buf + 1502, "42");
    CHECK_OK(bill_dec_parse(&d, buf, (size_t)-1));
    CHECK_INT(bill_dec_scale(&d), 1502);
    CHECK_INT(bill_dec_precision(&d), 2);

    /* trailing zeros are coefficient digits */
    strcpy(buf, "1.");
    memset(buf + 2, '0', 1000);
    buf[1002] = '\0';
    CHECK_ERR(bill_dec_parse(&d, buf, (size_t)-1), BILL_ERANGE);

    /* text longer than 2 * BILL_DEC_MAX_DIGITS + 20 bytes */
    memset(buf, '0', 2100);
    buf[2100] = '\0';
    CHECK_ERR(bill_dec_parse(&d, buf, (size_t)-1), BILL_ERANGE);
    CHECK_MSG("too long");

    /* scale range */
    CHECK_ERR(bill_dec_parse(&d, "1E+100001", (size_t)-1), BILL_ERANGE);
    CHECK_MSG("'1E+100001'");
    CHECK_MSG("-100001");
    CHECK_ERR(bill_dec_parse(&d, "1E-100001", (size_t)-1), BILL_ERANGE);
    CHECK_ERR(bill_dec_parse(&d, "0.55E-99999", (size_t)-1), BILL_ERANGE);
    CHECK_ERR(bill_dec_parse(&d, "1E+999999999", (size_t)-1), BILL_ERANGE);
    CHECK_ERR(bill_dec_parse(&d, "0E-999999999", (size_t)-1), BILL_ERANGE);
    /* still the value of the last successful parse */
    CHECK_INT(bill_dec_precision(&d), 2);
    CHECK_INT(bill_dec_scale(&d), 1502);
    bill_dec_clear(&d);
}

static void test_parse_rejects(void)
{
    static const struct {
        const char *in;
        size_t len;    /* 0: strlen */
        int code;
        const char *frag; /* must appear in the message */
    } t[] = {
        {"", 0, BILL_ESYNTAX, "empty"},
        {" 1", 0, BILL_ESYNTAX, "' ' at offset 0"},
        {"1 ", 0, BILL_ESYNTAX, "' ' at offset 1"},
        {"1 0", 0, BILL_ESYNTAX, "offset 1"},
        {"\t1", 0, BILL_ESYNTAX, "\\x09"},
        {"1\n", 0, BILL_ESYNTAX, "\\x0a"},
        {"1.2.3", 0, BILL_ESYNTAX, "unexpected '.' at offset 3"},
        {"1..2", 0, BILL_ESYNTAX, "offset 2"},
        {"NaN", 0, BILL_ESYNTAX, "'N' at offset 0"},
        {"nan", 0, BILL_ESYNTAX, "offset 0"},
        {"sNaN", 0, BILL_ESYNTAX, "offset 0"},
        {"inf", 0, BILL_ESYNTAX, "offset 0"},
        {"-Infinity", 0, BILL_ESYNTAX, "'I' at offset 1"},
        {"0x1", 0, BILL_ESYNTAX, "'x' at offset 1"},
        {"0X1F", 0, BILL_ESYNTAX, "offset 1"},
        {"1,000", 0, BILL_ESYNTAX, "',' at offset 1"},
        {"1_000", 0, BILL_ESYNTAX, "'_' at offset 1"},
        {"1'000", 0, BILL_ESYNTAX, "offset 1"},
        {"+", 0, BILL_ESYNTAX, "no digits"},
        {"-", 0, BILL_ESYNTAX, "no digits"},
        {".", 0, BILL_ESYNTAX, "no digits"},
        {"+.", 0, BILL_ESYNTAX, "no digits"},
        {"-.e1", 0, BILL_ESYNTAX, "no digits"},
        {"e5", 0, BILL_ESYNTAX, "'e' at offset 0"},
        {"E5", 0, BILL_ESYNTAX, "offset 0"},
        {"--1", 0, BILL_ESYNTAX, "'-' at offset 1"},
        {"+-1", 0, BILL_ESYNTAX, "offset 1"},
        {"1-", 0, BILL_ESYNTAX, "'-' at offset 1"},
        {"1e", 0, BILL_ESYNTAX, "exponent"},
        {"1e+", 0, BILL_ESYNTAX, "exponent"},
        {"1e-", 0, BILL_ESYNTAX, "exponent"},
        {"1e--1", 0, BILL_ESYNTAX, "'-' at offset 3"},
        {"1e1.5", 0, BILL_ESYNTAX, "'.' at offset 3"},
        {"1e1e1", 0, BILL_ESYNTAX, "'e' at offset 3"},
        {"1.5e", 0, BILL_ESYNTAX, "exponent"},
        {"1e1234567890", 0, BILL_ESYNTAX, "10 digits"},
        {"1e0000000001", 0, BILL_ESYNTAX, "at most 9"},
        {"1f", 0, BILL_ESYNTAX, "'f' at offset 1"},
        {"1d", 0, BILL_ESYNTAX, "offset 1"},
        {"$1", 0, BILL_ESYNTAX, "'$' at offset 0"},
        {"1%", 0, BILL_ESYNTAX, "offset 1"},
        {"\xef\xbc\x91", 0, BILL_ESYNTAX, "offset 0"}, /* fullwidth digit one */
        {"\xd9\xa1", 0, BILL_ESYNTAX, "offset 0"},     /* Arabic-Indic digit one */
        {"1\0", 2, BILL_ESYNTAX, "'\\x00' at offset 1"},
        {"12\0003", 4, BILL_ESYNTAX, "offset 2"},
        {"\0", 1, BILL_ESYNTAX, "offset 0"},
        {"(1)", 0, BILL_ESYNTAX, "offset 0"},
        {"1/2", 0, BILL_ESYNTAX, "offset 1"},
    };
    bill_dec d = BILL_DEC_INIT, big = BILL_DEC_INIT;
    CHECK_OK(bill_dec_parse(&d, "42.5", (size_t)-1));
    CHECK_OK(bill_dec_parse(&big, "-123456789012345678901234567890.5", (size_t)-1));
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t len = t[i].len ? t[i].len : strlen(t[i].in);
        int rc = bill_dec_parse(&d, t[i].in, len);
        int rc2 = bill_dec_parse(&big, t[i].in, len);
        if (rc != t[i].code || rc2 != t[i].code) {
            TEST_FAIL_("parse \"%s\" returned %s/%s, expected %s", t[i].in, bill_status_name(rc),
                       bill_status_name(rc2), bill_status_name(t[i].code));
            continue;
        }
        test_passed++;
        CHECK_INT(bill_errcode(), t[i].code);
        if (strstr(bill_errmsg(), t[i].frag)) test_passed++;
        else TEST_FAIL_("parse \"%s\": errmsg \"%s\" lacks \"%s\"", t[i].in, bill_errmsg(),
                        t[i].frag);
        if (strncmp(bill_errmsg(), "decimal: '", 10) == 0) test_passed++;
        else TEST_FAIL_("errmsg \"%s\" does not quote the input", bill_errmsg());
        /* printable inputs appear verbatim in the message */
        if (len > 0 && strlen(t[i].in) == len && printable(t[i].in)) {
            char q[64];
            snprintf(q, sizeof q, "'%s'", t[i].in);
            if (strstr(bill_errmsg(), q)) test_passed++;
            else TEST_FAIL_("errmsg \"%s\" lacks %s", bill_errmsg(), q);
        }
    }
    /* failures left both values alone */
    CHECK_DEC(&d, "42.5");
    CHECK_DEC(&big, "-123456789012345678901234567890.5");
    CHECK_STR(bill_rounding_name(BILL_ROUND_UP), "UP");
    /* the documented example message */
    CHECK_ERR(bill_dec_parse(&d, "1.2.3", (size_t)-1), BILL_ESYNTAX);
    CHECK(strncmp(bill_errmsg(), "decimal: '1.2.3': unexpected '.' at offset 3", 44) == 0);
    bill_dec_clear(&d);
    bill_dec_clear(&big);
}

static void test_parse_len(void)
{
    bill_dec d = BILL_DEC_INIT;
    CHECK_OK(bill_dec_parse(&d, "12345", 3));
    CHECK_DEC(&d, "123");
    CHECK_OK(bill_dec_parse(&d, "1.5E+3xyz", 6));
    CHECK_SCI(&d, "1.5E+3");
    CHECK_ERR(bill_dec_parse(&d, "12345", 0), BILL_ESYNTAX);
    CHECK_MSG("empty");
    CHECK_OK(bill_dec_parse(&d, "7\0" "99", (size_t)-1)); /* stops at the NUL */
    CHECK_DEC(&d, "7");
    CHECK_ERR(bill_dec_parse(NULL, "1", 1), BILL_EINVAL);
    CHECK_ERR(bill_dec_parse(&d, NULL, 1), BILL_EINVAL);
    CHECK_DEC(&d, "7");
    bill_dec_clear(&d);
}

/* ---- formatting ---------------------------------------------------------- */

static void test_format_tables(void)
{
    /* expectations from Python's str(Decimal) and format(d, 'f') */
    static const struct {
        const char *coef;
        int scale;
        const char *sci, *plain;
    } t[] = {
        {"0", 0, "0", "0"},
        {"0", 2, "0.00", "0.00"},
        {"0", -3, "0E+3", "0"},
        {"0", 7, "0E-7", "0.0000000"},
        {"0", 6, "0.000000", "0.000000"},
        {"0", -1, "0E+1", "0"},
        {"1", 0, "1", "1"},
        {"123", 2, "1.23", "1.23"},
        {"123", -2, "1.23E+4", "12300"},
        {"123", 5, "0.00123", "0.00123"},
        {"123", 8, "0.00000123", "0.00000123"},
        {"123", 9, "1.23E-7", "0.000000123"},
        {"-123", 9, "-1.23E-7", "-0.000000123"},
        {"1", 6, "0.000001", "0.000001"},
        {"1", 7, "1E-7", "0.0000001"},
        {"15", -2, "1.5E+3", "1500"},
        {"-15", -2, "-1.5E+3", "-1500"},
        {"500", 3, "0.500", "0.500"},
        {"5", 2, "0.05", "0.05"},
        {"1234567", 13, "1.234567E-7", "0.0000001234567"},
        {"12", -1, "1.2E+2", "120"},
        {"1", -1, "1E+1", "10"},
        {"-1", -10, "-1E+10", "-10000000000"},
        {"123456789012345678901234567890", -5, "1.23456789012345678901234567890E+34",
         "12345678901234567890123456789000000"},
        {"123456789012345678901234567890", 40, "1.23456789012345678901234567890E-11",
         "0.0000000000123456789012345678901234567890"},
        {"-123456789012345678901234567890", 10, "-12345678901234567890.1234567890",
         "-12345678901234567890.1234567890"},
        {"-123456789012345678901234567890", 35, "-0.00000123456789012345678901234567890",
         "-0.00000123456789012345678901234567890"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char text[128];
        bill_dec d = BILL_DEC_INIT;
        snprintf(text, sizeof text, "%sE%d", t[i].coef, -t[i].scale);
        if (bill_dec_parse(&d, text, (size_t)-1) != BILL_OK) {
            TEST_FAIL_("parse \"%s\": %s", text, bill_errmsg());
            continue;
        }
        CHECK_INT(bill_dec_scale(&d), t[i].scale);
        check_text_(bill_dec_to_sci_str(&d), t[i].sci, "sci text", text, __LINE__);
        check_text_(bill_dec_to_str(&d), t[i].plain, "plain text", text, __LINE__);
        bill_dec_clear(&d);
    }
}

static void test_format_buffer(void)
{
    bill_dec d = DEC("-123.45");
    char buf[16];
    memset(buf, 'x', sizeof buf);
    CHECK_INT(bill_dec_format(&d, buf, sizeof buf), 7);
    CHECK_STR(buf, "-123.45");
    memset(buf, 'x', sizeof buf);
    CHECK_INT(bill_dec_format(&d, buf, 4), 7); /* truncated, still terminated */
    CHECK_STR(buf, "-12");
    CHECK_INT(bill_dec_format(&d, buf, 8), 7); /* exactly fits */
    CHECK_STR(buf, "-123.45");
    CHECK_INT(bill_dec_format(&d, buf, 7), 7); /* one short */
    CHECK_STR(buf, "-123.4");
    buf[0] = 'x';
    CHECK_INT(bill_dec_format(&d, buf, 1), 7);
    CHECK_INT(buf[0], '\0');
    CHECK_INT(bill_dec_format(&d, NULL, 0), 7);
    CHECK_INT(bill_dec_format(NULL, buf, sizeof buf), 0);
    CHECK_STR(buf, "");
    CHECK(bill_dec_to_str(NULL) == NULL);
    CHECK(bill_dec_to_sci_str(NULL) == NULL);
    bill_dec_clear(&d);

    /* a long plain text from a large negative scale */
    d = DEC("1E+5000");
    CHECK_INT(bill_dec_format(&d, NULL, 0), 5001);
    CHECK_INT(bill_dec_format(&d, buf, sizeof buf), 5001);
    CHECK_STR(buf, "100000000000000");
    CHECK_SCI(&d, "1E+5000");
    bill_dec_clear(&d);
    d = DEC("2E-5000");
    CHECK_INT(bill_dec_format(&d, NULL, 0), 5002);
    CHECK_SCI(&d, "2E-5000");
    bill_dec_clear(&d);
}

static void test_scale_preserved(void)
{
    bill_dec a = DEC("1.50"), b = DEC("1.5"), r = BILL_DEC_INIT;
    CHECK_DEC(&a, "1.50");
    CHECK_INT(bill_dec_scale(&a), 2);
    CHECK_INT(bill_dec_cmp(&a, &b), 0);
    CHECK_INT(bill_dec_identical(&a, &b), 0);
    CHECK_INT(bill_dec_identical(&a, &a), 1);
    CHECK_OK(bill_dec_add(&r, &a, &b));
    CHECK_DEC(&r, "3.00");
    CHECK_OK(bill_dec_sub(&r, &a, &b));
    CHECK_DEC(&r, "0.00");
    CHECK_INT(bill_dec_sign(&r), 0);
    CHECK_OK(bill_dec_mul(&r, &a, &b));
    CHECK_DEC(&r, "2.250");
    CHECK_OK(bill_dec_copy(&r, &a));
    CHECK_DEC(&r, "1.50");
    CHECK_OK(bill_dec_neg(&r, &a));
    CHECK_DEC(&r, "-1.50");
    CHECK_OK(bill_dec_abs(&r, &r));
    CHECK_DEC(&r, "1.50");
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&r);
}

/* ---- arithmetic ---------------------------------------------------------- */

static void test_add_sub_mul(void)
{
    static const struct {
        const char *a, *b, *sum, *diff, *prod;
    } t[] = {
        {"1", "2", "3", "-1", "2"},
        {"0.1", "0.2", "0.3", "-0.1", "0.02"},
        {"1.25", "-3.5", "-2.25", "4.75", "-4.375"},
        {"-7", "2.5", "-4.5", "-9.5", "-17.5"},
        {"0.5283", "3120.5", "3121.0283", "-3119.9717", "1648.56015"},
        {"1E+3", "1", "1001", "999", "1E+3"},
        {"1E+3", "1.0", "1001.0", "999.0", "1.0E+3"},
        {"0", "0.000", "0.000", "0.000", "0.000"},
        {"-0.01", "0.01", "0.00", "-0.02", "-0.0001"},
        {"123456789", "987654321", "1111111110", "-864197532", "121932631112635269"},
        /* leaving and re-entering the 64-bit range */
        {"9223372036854775807", "1", "9223372036854775808", "9223372036854775806",
         "9223372036854775807"},
        {"-9223372036854775807", "-1", "-9223372036854775808", "-9223372036854775806",
         "9223372036854775807"},
        {"9223372036854775807", "9223372036854775807", "18446744073709551614", "0",
         "85070591730234615847396907784232501249"},
        {"1", "0.0000000000000000001", "1.0000000000000000001", "0.9999999999999999999",
         "1E-19"},
        {"5", "0.00000000000000000001", "5.00000000000000000001", "4.99999999999999999999",
         "5E-20"},
        {"4611686018427387904", "2", "4611686018427387906", "4611686018427387902",
         "9223372036854775808"},
        {"1234567890123456789012345678901234567890.12", "-98765432109876543210987654321098765432.1",
         "1135802458013580245801358024580135802458.02",
         "1333333322233333332223333333222333333322.22",
         "-121932631137021795226185032733866788594498972717189414418507693156529644487120.852"},
        {"99999999999999999999", "-99999999999999999998", "1", "199999999999999999997",
         "-9999999999999999999700000000000000000002"},
        {"1E+100000", "1E-100000", NULL, NULL, "1"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bill_dec a = DEC(t[i].a), b = DEC(t[i].b), r = BILL_DEC_INIT;
        char ctx[200];
        snprintf(ctx, sizeof ctx, "%s op %s", t[i].a, t[i].b);
        if (t[i].sum) {
            CHECK_OK(bill_dec_add(&r, &a, &b));
            check_text_(bill_dec_to_str(&r), t[i].sum, "sum", ctx, __LINE__);
            CHECK_OK(bill_dec_sub(&r, &a, &b));
            check_text_(bill_dec_to_str(&r), t[i].diff, "difference", ctx, __LINE__);
        }
        CHECK_OK(bill_dec_mul(&r, &a, &b));
        check_text_(bill_dec_to_sci_str(&r), t[i].prod, "product", ctx, __LINE__);
        /* a + b == b + a, a - b == -(b - a), a*b == b*a */
        if (t[i].sum) {
            bill_dec s = BILL_DEC_INIT;
            CHECK_OK(bill_dec_add(&r, &a, &b));
            CHECK_OK(bill_dec_add(&s, &b, &a));
            CHECK_INT(bill_dec_identical(&r, &s), 1);
            CHECK_OK(bill_dec_sub(&r, &a, &b));
            CHECK_OK(bill_dec_sub(&s, &b, &a));
            CHECK_OK(bill_dec_neg(&s, &s));
            CHECK_INT(bill_dec_identical(&r, &s), 1);
            bill_dec_clear(&s);
        }
        bill_dec_clear(&a);
        bill_dec_clear(&b);
        bill_dec_clear(&r);
    }
}

static void test_compact_and_big(void)
{
    bill_dec a = DEC("9223372036854775807"), one = DEC("1"), r = BILL_DEC_INIT;
    CHECK_INT(bill_dec_is_compact(&a), 1);
    CHECK_OK(bill_dec_add(&r, &a, &one));
    CHECK_INT(bill_dec_is_compact(&r), 0);
    CHECK_DEC(&r, "9223372036854775808");
    CHECK_OK(bill_dec_sub(&r, &r, &one)); /* back into range: demoted */
    CHECK_INT(bill_dec_is_compact(&r), 1);
    CHECK_DEC(&r, "9223372036854775807");
    CHECK_INT(bill_dec_identical(&r, &a), 1);

    /* INT64_MIN is held big, so negation is always safe */
    CHECK_OK(bill_dec_set_i64(&r, INT64_MIN, 0));
    CHECK_INT(bill_dec_is_compact(&r), 0);
    CHECK_DEC(&r, "-9223372036854775808");
    CHECK_OK(bill_dec_neg(&r, &r));
    CHECK_DEC(&r, "9223372036854775808");
    CHECK_OK(bill_dec_add(&r, &r, &one));
    CHECK_OK(bill_dec_neg(&r, &r));
    CHECK_DEC(&r, "-9223372036854775809");
    CHECK_OK(bill_dec_add(&r, &r, &one));
    CHECK_OK(bill_dec_add(&r, &r, &one));
    CHECK_INT(bill_dec_is_compact(&r), 1);
    CHECK_DEC(&r, "-9223372036854775807");

    /* a big product divided back */
    CHECK_OK(bill_dec_mul(&r, &a, &a));
    CHECK_INT(bill_dec_is_compact(&r), 0);
    CHECK_OK(bill_dec_div(&r, &r, &a, 0, BILL_ROUND_UNNECESSARY));
    CHECK_INT(bill_dec_is_compact(&r), 1);
    CHECK_INT(bill_dec_identical(&r, &a), 1);

    /* rescale up out of range and back down */
    CHECK_OK(bill_dec_rescale(&r, &a, 30, BILL_ROUND_UNNECESSARY));
    CHECK_INT(bill_dec_is_compact(&r), 0);
    CHECK_INT(bill_dec_precision(&r), 49);
    CHECK_OK(bill_dec_rescale(&r, &r, 0, BILL_ROUND_UNNECESSARY));
    CHECK_INT(bill_dec_is_compact(&r), 1);
    CHECK_INT(bill_dec_identical(&r, &a), 1);

    /* trimming a big value with trailing zeros makes it compact */
    CHECK_OK(bill_dec_rescale(&r, &one, 40, BILL_ROUND_UNNECESSARY));
    CHECK_INT(bill_dec_is_compact(&r), 0);
    CHECK_OK(bill_dec_trim(&r, &r, 0));
    CHECK_INT(bill_dec_is_compact(&r), 1);
    CHECK_INT(bill_dec_identical(&r, &one), 1);
    bill_dec_clear(&a);
    bill_dec_clear(&one);
    bill_dec_clear(&r);
}

static void test_aliasing(void)
{
    bill_dec a = DEC("1.5"), b = DEC("2.25"), big = DEC("123456789012345678901234567890");
    CHECK_OK(bill_dec_add(&a, &a, &a));
    CHECK_DEC(&a, "3.0");
    CHECK_OK(bill_dec_sub(&a, &a, &b));
    CHECK_DEC(&a, "0.75");
    CHECK_OK(bill_dec_sub(&b, &a, &b));
    CHECK_DEC(&b, "-1.50");
    CHECK_OK(bill_dec_mul(&a, &a, &a));
    CHECK_DEC(&a, "0.5625");
    CHECK_OK(bill_dec_rescale(&a, &a, 2, BILL_ROUND_HALF_EVEN));
    CHECK_DEC(&a, "0.56");
    CHECK_OK(bill_dec_div(&a, &a, &a, 3, BILL_ROUND_HALF_UP));
    CHECK_DEC(&a, "1.000");
    CHECK_OK(bill_dec_div_prec(&b, &b, &b, 5, BILL_ROUND_HALF_UP));
    CHECK_DEC(&b, "1");
    CHECK_OK(bill_dec_copy(&a, &a));
    CHECK_DEC(&a, "1.000");
    CHECK_OK(bill_dec_trim(&a, &a, 1));
    CHECK_DEC(&a, "1.0");

    /* big operands aliased with the result */
    CHECK_OK(bill_dec_add(&big, &big, &big));
    CHECK_DEC(&big, "246913578024691357802469135780");
    CHECK_OK(bill_dec_mul(&big, &big, &big));
    CHECK_DEC(&big, "60966315012955347001981406250144795150007620799500076208400");
    CHECK_OK(bill_dec_div_prec(&big, &big, &big, 10, BILL_ROUND_HALF_UP));
    CHECK_DEC(&big, "1");
    CHECK_INT(bill_dec_is_compact(&big), 1);
    CHECK_OK(bill_dec_parse(&big, "-123456789012345678901234567890.55", (size_t)-1));
    CHECK_OK(bill_dec_neg(&big, &big));
    CHECK_DEC(&big, "123456789012345678901234567890.55");
    CHECK_OK(bill_dec_neg(&big, &big));
    CHECK_OK(bill_dec_abs(&big, &big));
    CHECK_DEC(&big, "123456789012345678901234567890.55");
    CHECK_OK(bill_dec_rescale(&big, &big, 1, BILL_ROUND_HALF_EVEN));
    CHECK_DEC(&big, "123456789012345678901234567890.6");
    CHECK_OK(bill_dec_round_prec(&big, &big, 5, BILL_ROUND_DOWN));
    CHECK_SCI(&big, "1.2345E+29");
    CHECK_OK(bill_dec_sub(&big, &big, &big));
    CHECK_SCI(&big, "0E+25");
    CHECK_INT(bill_dec_is_compact(&big), 1);
    CHECK_OK(bill_dec_parse(&big, "123456789012345678901234567890", (size_t)-1));
    CHECK_OK(bill_dec_div(&big, &big, &big, 2, BILL_ROUND_UNNECESSARY));
    CHECK_DEC(&big, "1.00");
    CHECK_OK(bill_dec_parse(&big, "1234567890123456789012345678900000", (size_t)-1));
    CHECK_OK(bill_dec_trim(&big, &big, -100));
    CHECK_SCI(&big, "1.2345678901234567890123456789E+33");
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&big);
}

/* ---- rounding ------------------------------------------------------------ */

/* The table of the java.math.RoundingMode javadoc; "" means ArithmeticException. */
static const struct {
    const char *in;
    const char *out[8]; /* UP DOWN CEILING FLOOR HALF_UP HALF_DOWN HALF_EVEN UNNECESSARY */
} java_table[] = {
    {"5.5", {"6", "5", "6", "5", "6", "5", "6", ""}},
    {"2.5", {"3", "2", "3", "2", "3", "2", "2", ""}},
    {"1.6", {"2", "1", "2", "1", "2", "2", "2", ""}},
    {"1.1", {"2", "1", "2", "1", "1", "1", "1", ""}},
    {"1.0", {"1", "1", "1", "1", "1", "1", "1", "1"}},
    {"-1.0", {"-1", "-1", "-1", "-1", "-1", "-1", "-1", "-1"}},
    {"-1.1", {"-2", "-1", "-1", "-2", "-1", "-1", "-1", ""}},
    {"-1.6", {"-2", "-1", "-1", "-2", "-2", "-2", "-2", ""}},
    {"-2.5", {"-3", "-2", "-2", "-3", "-3", "-2", "-2", ""}},
    {"-5.5", {"-6", "-5", "-5", "-6", "-6", "-5", "-6", ""}},
};

/* Checks one rounded result against the Java table entry. */
static void check_java_(int rc, const bill_dec *r, const char *want, const char *how,
                        const char *in, int mode, int line)
{
    if (want[0] == '\0') {
        if (rc == BILL_EROUNDING && strstr(bill_errmsg(), "UNNECESSARY")) test_passed++;
        else {
            test_failed++;
            printf("FAIL %s (%s:%d): %s %s %s returned %s, expected EROUNDING\n", test_current,
                   __FILE__, line, how, in, mode_names[mode], bill_status_name(rc));
        }
        return;
    }
    if (rc != BILL_OK) {
        test_failed++;
        printf("FAIL %s (%s:%d): %s %s %s: %s\n", test_current, __FILE__, line, how, in,
               mode_names[mode], bill_errmsg());
        return;
    }
    {
        char ctx[96];
        snprintf(ctx, sizeof ctx, "%s %s %s", how, in, mode_names[mode]);
        check_text_(bill_dec_to_sci_str(r), want, "result", ctx, line);
    }
}

static void test_rounding_java_table(void)
{
    bill_dec ten = DEC("10"), one = DEC("1"), tenbig = DEC("1000000000000000000000000000000");
    for (size_t i = 0; i < sizeof java_table / sizeof java_table[0]; i++) {
        const char *in = java_table[i].in;
        char bigtext[80];
        bill_dec x = DEC(in), xbig = BILL_DEC_INIT, x10 = BILL_DEC_INIT, xb10 = BILL_DEC_INIT;
        /* the same value with a coefficient of 40 digits: the GMP path */
        snprintf(bigtext, sizeof bigtext, "%s000000000000000000000000000000000000000", in);
        xbig = DEC(bigtext);
        CHECK_INT(bill_dec_is_compact(&xbig), 0);
        CHECK_OK(bill_dec_mul(&x10, &x, &ten));       /* 55.0 etc. for division */
        CHECK_OK(bill_dec_mul(&xb10, &x, &tenbig));   /* 5.5E+30 with scale 1 */
        for (int m = BILL_ROUND_UP; m <= BILL_ROUND_UNNECESSARY; m++) {
            const char *want = java_table[i].out[m];
            bill_dec r = DEC("777"), w = BILL_DEC_INIT;
            int rc;
            rc = bill_dec_rescale(&r, &x, 0, m);
            check_java_(rc, &r, want, "rescale", in, m, __LINE__);
            if (want[0] == '\0') CHECK_DEC(&r, "777"); /* unchanged on failure */
            rc = bill_dec_round_prec(&r, &x, 1, m);
            check_java_(rc, &r, want, "round_prec", in, m, __LINE__);
            rc = bill_dec_div(&r, &x, &one, 0, m);
            check_java_(rc, &r, want, "div by 1", in, m, __LINE__);
            rc = bill_dec_div(&r, &x10, &ten, 0, m);
            check_java_(rc, &r, want, "div by 10", in, m, __LINE__);
            rc = bill_dec_div_prec(&r, &x10, &ten, 1, m);
            check_java_(rc, &r, want, "div_prec", in, m, __LINE__);
            rc = bill_dec_rescale(&r, &xbig, 0, m);
            check_java_(rc, &r, want, "rescale (big)", in, m, __LINE__);
            rc = bill_dec_round_prec(&r, &xbig, 1, m);
            check_java_(rc, &r, want, "round_prec (big)", in, m, __LINE__);
            rc = bill_dec_div(&r, &xb10, &tenbig, 0, m);
            check_java_(rc, &r, want, "div (big)", in, m, __LINE__);
            rc = bill_dec_div_prec(&r, &xb10, &tenbig, 1, m);
            check_java_(rc, &r, want, "div_prec (big)", in, m, __LINE__);
            /* to scale -1 the same digits are rounded at the tens: 55 -> 6E+1 */
            rc = bill_dec_rescale(&r, &x10, -1, m);
            if (want[0] && rc == BILL_OK) {
                CHECK_OK(bill_dec_rescale(&w, &r, 0, BILL_ROUND_UNNECESSARY));
                CHECK_OK(bill_dec_div(&w, &w, &ten, 0, BILL_ROUND_UNNECESSARY));
                check_java_(BILL_OK, &w, want, "rescale -1", in, m, __LINE__);
            } else {
                check_java_(rc, &r, want, "rescale -1", in, m, __LINE__);
            }
            bill_dec_clear(&r);
            bill_dec_clear(&w);
        }
        bill_dec_clear(&x);
        bill_dec_clear(&xbig);
        bill_dec_clear(&x10);
        bill_dec_clear(&xb10);
    }
    bill_dec_clear(&ten);
    bill_dec_clear(&one);
    bill_dec_clear(&tenbig);
}

static void test_rounding_more(void)
{
    static const struct {
        const char *in;
        int scale, mode;
        const char *out;
    } t[] = {
        {"2.345", 2, BILL_ROUND_HALF_UP, "2.35"},
        {"2.345", 2, BILL_ROUND_HALF_EVEN, "2.34"},
        {"2.355", 2, BILL_ROUND_HALF_EVEN, "2.36"},
        {"2.345", 2, BILL_ROUND_HALF_DOWN, "2.34"},
        {"2.3451", 2, BILL_ROUND_HALF_DOWN, "2.35"},
        {"2.3449999", 2, BILL_ROUND_HALF_UP, "2.34"},
        {"-2.345", 2, BILL_ROUND_HALF_UP, "-2.35"},
        {"-2.345", 2, BILL_ROUND_HALF_EVEN, "-2.34"},
        {"-2.341", 2, BILL_ROUND_CEILING, "-2.34"},
        {"-2.341", 2, BILL_ROUND_FLOOR, "-2.35"},
        {"2.341", 2, BILL_ROUND_UP, "2.35"},
        {"-2.349", 2, BILL_ROUND_DOWN, "-2.34"},
        {"1648.56015", 2, BILL_ROUND_HALF_UP, "1648.56"},
        {"0.005", 2, BILL_ROUND_HALF_UP, "0.01"},
        {"0.005", 2, BILL_ROUND_HALF_EVEN, "0.00"},
        {"-0.005", 2, BILL_ROUND_HALF_UP, "-0.01"},
        {"-0.004", 2, BILL_ROUND_HALF_UP, "0.00"},
        {"0.0001", 2, BILL_ROUND_CEILING, "0.01"},
        {"-0.0001", 2, BILL_ROUND_CEILING, "0.00"},
        {"1.5", 4, BILL_ROUND_UNNECESSARY, "1.5000"},
        {"1.2300", 2, BILL_ROUND_UNNECESSARY, "1.23"},
        {"12345", -2, BILL_ROUND_HALF_UP, "1.23E+4"},
        {"12350", -2, BILL_ROUND_HALF_EVEN, "1.24E+4"},
        {"999.995", 2, BILL_ROUND_HALF_UP, "1000.00"},
        {"-999.995", 2, BILL_ROUND_HALF_UP, "-1000.00"},
        {"9223372036854775807", -1, BILL_ROUND_HALF_UP, "9.22337203685477581E+18"},
        {"9223372036854775807", -19, BILL_ROUND_HALF_UP, "1E+19"},
        {"-9223372036854775807", -19, BILL_ROUND_HALF_UP, "-1E+19"},
        {"4999999999999999999", -19, BILL_ROUND_HALF_UP, "0E+19"},
        {"5000000000000000000", -19, BILL_ROUND_HALF_UP, "1E+19"},
        {"5000000000000000000", -19, BILL_ROUND_HALF_EVEN, "0E+19"},
        {"5000000000000000000", -19, BILL_ROUND_HALF_DOWN, "0E+19"},
        {"1", -25, BILL_ROUND_UP, "1E+25"},
        {"-1", -25, BILL_ROUND_UP, "-1E+25"},
        {"1", -25, BILL_ROUND_HALF_UP, "0E+25"},
        {"1", 25, BILL_ROUND_UNNECESSARY, "1.0000000000000000000000000"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bill_dec a = DEC(t[i].in), r = BILL_DEC_INIT;
        char ctx[80];
        snprintf(ctx, sizeof ctx, "rescale(%s, %d, %s)", t[i].in, t[i].scale,
                 mode_names[t[i].mode]);
        if (bill_dec_rescale(&r, &a, t[i].scale, t[i].mode) == BILL_OK) test_passed++;
        else TEST_FAIL_("%s: %s", ctx, bill_errmsg());
        check_text_(bill_dec_to_sci_str(&r), t[i].out, "result", ctx, __LINE__);
        CHECK_INT(bill_dec_scale(&r), t[i].scale);
        bill_dec_clear(&a);
        bill_dec_clear(&r);
    }
}

static void test_unnecessary(void)
{
    bill_dec a = DEC("1.25"), b = DEC("3"), r = DEC("9.99");
    CHECK_ERR(bill_dec_rescale(&r, &a, 1, BILL_ROUND_UNNECESSARY), BILL_EROUNDING);
    CHECK_INT(bill_errcode(), BILL_EROUNDING);
    CHECK_MSG("1.25");
    CHECK_DEC(&r, "9.99");
    CHECK_ERR(bill_dec_round_prec(&r, &a, 2, BILL_ROUND_UNNECESSARY), BILL_EROUNDING);
    CHECK_DEC(&r, "9.99");
    CHECK_ERR(bill_dec_div(&r, &a, &b, 10, BILL_ROUND_UNNECESSARY), BILL_EROUNDING);
    CHECK_ERR(bill_dec_div_prec(&r, &a, &b, 30, BILL_ROUND_UNNECESSARY), BILL_EROUNDING);
    CHECK_DEC(&r, "9.99");
    CHECK_OK(bill_dec_round_prec(&r, &a, 3, BILL_ROUND_UNNECESSARY));
    CHECK_DEC(&r, "1.25");
    CHECK_OK(bill_dec_div_prec(&r, &a, &b, 1, BILL_ROUND_HALF_UP));
    CHECK_DEC(&r, "0.4");
    CHECK_OK(bill_dec_parse(&b, "4", (size_t)-1));
    CHECK_OK(bill_dec_div(&r, &a, &b, 4, BILL_ROUND_UNNECESSARY));
    CHECK_DEC(&r, "0.3125");
    CHECK_OK(bill_dec_div_prec(&r, &a, &b, 4, BILL_ROUND_UNNECESSARY));
    CHECK_DEC(&r, "0.3125");
    CHECK_ERR(bill_dec_div_prec(&r, &a, &b, 3, BILL_ROUND_UNNECESSARY), BILL_EROUNDING);
    CHECK_DEC(&r, "0.3125");
    /* big */
    CHECK_OK(bill_dec_parse(&a, "1234567890123456789012345678901234567890.5", (size_t)-1));
    CHECK_ERR(bill_dec_rescale(&r, &a, 0, BILL_ROUND_UNNECESSARY), BILL_EROUNDING);
    CHECK_MSG("1234567890123456789012345678901234567890.");
    CHECK_ERR(bill_dec_round_prec(&r, &a, 40, BILL_ROUND_UNNECESSARY), BILL_EROUNDING);
    CHECK_OK(bill_dec_round_prec(&r, &a, 41, BILL_ROUND_UNNECESSARY));
    CHECK_INT(bill_dec_identical(&r, &a), 1);
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&r);
}

static void test_invalid_modes(void)
{
    bill_dec a = DEC("1.5"), r = DEC("2");
    CHECK_ERR(bill_dec_rescale(&r, &a, 0, -1), BILL_EINVAL);
    CHECK_MSG("rounding mode");
    CHECK_ERR(bill_dec_rescale(&r, &a, 0, 8), BILL_EINVAL);
    CHECK_ERR(bill_dec_round_prec(&r, &a, 1, 99), BILL_EINVAL);
    CHECK_ERR(bill_dec_div(&r, &a, &a, 0, 8), BILL_EINVAL);
    CHECK_ERR(bill_dec_div_prec(&r, &a, &a, 3, 8), BILL_EINVAL);
    CHECK_DEC(&r, "2");
    bill_dec_clear(&a);
    bill_dec_clear(&r);
}

static void test_rounding_names(void)
{
    int m = -1;
    for (int i = 0; i < 8; i++) {
        CHECK_STR(bill_rounding_name(i), mode_names[i]);
        CHECK_OK(bill_rounding_parse(&m, mode_names[i]));
        CHECK_INT(m, i);
    }
    CHECK(bill_rounding_name(-1) == NULL);
    CHECK(bill_rounding_name(8) == NULL);
    CHECK_OK(bill_rounding_parse(&m, "half_even"));
    CHECK_INT(m, BILL_ROUND_HALF_EVEN);
    CHECK_OK(bill_rounding_parse(&m, "Half-Down"));
    CHECK_INT(m, BILL_ROUND_HALF_DOWN);
    CHECK_OK(bill_rounding_parse(&m, "ceiling"));
    CHECK_INT(m, BILL_ROUND_CEILING);
    CHECK_OK(bill_rounding_parse(&m, "ROUND_HALF_UP"));
    CHECK_INT(m, BILL_ROUND_HALF_UP);
    CHECK_OK(bill_rounding_parse(&m, "Round-Floor"));
    CHECK_INT(m, BILL_ROUND_FLOOR);
    CHECK_ERR(bill_rounding_parse(&m, "ROUNDXHALF_UP"), BILL_ESYNTAX);
    CHECK_ERR(bill_rounding_parse(&m, "ROUND_"), BILL_ESYNTAX);
    m = 42;
    CHECK_ERR(bill_rounding_parse(&m, "HALF_UPP"), BILL_ESYNTAX);
    CHECK_MSG("HALF_UPP");
    CHECK_ERR(bill_rounding_parse(&m, ""), BILL_ESYNTAX);
    CHECK_ERR(bill_rounding_parse(&m, "HALF UP"), BILL_ESYNTAX);
    CHECK_ERR(bill_rounding_parse(&m, " UP"), BILL_ESYNTAX);
    CHECK_ERR(bill_rounding_parse(&m, "HALF_UP_AND_SOME_MORE_TEXT"), BILL_ESYNTAX);
    CHECK_ERR(bill_rounding_parse(&m, "05UP"), BILL_ESYNTAX);
    CHECK_INT(m, 42);
    CHECK_ERR(bill_rounding_parse(NULL, "UP"), BILL_EINVAL);
    CHECK_ERR(bill_rounding_parse(&m, NULL), BILL_EINVAL);
}

/* ---- division ------------------------------------------------------------ */

static void test_div(void)
{
    static const struct {
        const char *a, *b;
        int scale, mode;
        const char *out;
    } t[] = {
        {"1", "3", 4, BILL_ROUND_HALF_UP, "0.3333"},
        {"2", "3", 4, BILL_ROUND_HALF_UP, "0.6667"},
        {"-2", "3", 4, BILL_ROUND_HALF_UP, "-0.6667"},
        {"2", "-3", 4, BILL_ROUND_DOWN, "-0.6666"},
        {"-2", "-3", 4, BILL_ROUND_FLOOR, "0.6666"},
        {"-2", "3", 4, BILL_ROUND_FLOOR, "-0.6667"},
        {"10", "4", 0, BILL_ROUND_HALF_EVEN, "2"},
        {"14", "4", 0, BILL_ROUND_HALF_EVEN, "4"},
        {"7.50", "2.5", 2, BILL_ROUND_UNNECESSARY, "3.00"},
        {"12345", "1", -2, BILL_ROUND_HALF_UP, "1.23E+4"},
        {"1648.56015", "3120.5", 4, BILL_ROUND_HALF_UP, "0.5283"},
        {"100", "7", 10, BILL_ROUND_HALF_UP, "14.2857142857"},
        {"1", "7", 30, BILL_ROUND_HALF_UP, "0.142857142857142857142857142857"},
        {"9000000000000000000", "0.001", 0, BILL_ROUND_UNNECESSARY, "9000000000000000000000"},
        {"1", "1E+30", 31, BILL_ROUND_UNNECESSARY, "1.0E-30"},
        {"0", "5", 3, BILL_ROUND_UNNECESSARY, "0.000"},
        {"1234567890123456789012345678901234567890.12", "7", 3, BILL_ROUND_HALF_UP,
         "176366841446208112716049382700176366841.446"},
        {"1234567890123456789012345678901234567890.12", "-98765432109876543210987654321098765432.1",
         5, BILL_ROUND_DOWN, "-12.49999"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bill_dec a = DEC(t[i].a), b = DEC(t[i].b), r = BILL_DEC_INIT;
        char ctx[160];
        snprintf(ctx, sizeof ctx, "div(%s, %s, %d, %s)", t[i].a, t[i].b, t[i].scale,
                 mode_names[t[i].mode]);
        if (bill_dec_div(&r, &a, &b, t[i].scale, t[i].mode) == BILL_OK) test_passed++;
        else TEST_FAIL_("%s: %s", ctx, bill_errmsg());
        check_text_(bill_dec_to_sci_str(&r), t[i].out, "result", ctx, __LINE__);
        CHECK_INT(bill_dec_scale(&r), t[i].scale);
        bill_dec_clear(&a);
        bill_dec_clear(&b);
        bill_dec_clear(&r);
    }
}

static void test_div_errors(void)
{
    bill_dec a = DEC("12.5"), z = DEC("0.00"), big = DEC("123456789012345678901234567890"),
             r = DEC("1.1");
    CHECK_ERR(bill_dec_div(&r, &a, &z, 2, BILL_ROUND_HALF_UP), BILL_EDIVZERO);
    CHECK_INT(bill_errcode(), BILL_EDIVZERO);
    CHECK_MSG("12.5");
    CHECK_MSG("zero");
    CHECK_ERR(bill_dec_div_prec(&r, &a, &z, 5, BILL_ROUND_HALF_UP), BILL_EDIVZERO);
    CHECK_ERR(bill_dec_div(&r, &big, &z, 2, BILL_ROUND_HALF_UP), BILL_EDIVZERO);
    CHECK_ERR(bill_dec_div(&r, &z, &z, 2, BILL_ROUND_HALF_UP), BILL_EDIVZERO);
    CHECK_ERR(bill_dec_div_prec(&r, &z, &z, 2, BILL_ROUND_HALF_UP), BILL_EDIVZERO);
    CHECK_DEC(&r, "1.1");
    CHECK_ERR(bill_dec_div(&r, &a, &a, BILL_DEC_MAX_SCALE + 1, BILL_ROUND_HALF_UP), BILL_ERANGE);
    CHECK_ERR(bill_dec_div(&r, &a, &a, -BILL_DEC_MAX_SCALE - 1, BILL_ROUND_HALF_UP), BILL_ERANGE);
    CHECK_ERR(bill_dec_div_prec(&r, &a, &a, 0, BILL_ROUND_HALF_UP), BILL_EINVAL);
    CHECK_ERR(bill_dec_div_prec(&r, &a, &a, -5, BILL_ROUND_HALF_UP), BILL_EINVAL);
    CHECK_ERR(bill_dec_div_prec(&r, &a, &a, INT32_MAX, BILL_ROUND_HALF_UP), BILL_ERANGE);
    CHECK_DEC(&r, "1.1");
    /* a quotient whose scale would leave the range */
    CHECK_OK(bill_dec_parse(&a, "1E-99999", (size_t)-1));
    CHECK_OK(bill_dec_parse(&big, "3E+99999", (size_t)-1));
    CHECK_ERR(bill_dec_div_prec(&r, &a, &big, 5, BILL_ROUND_HALF_UP), BILL_ERANGE);
    CHECK_MSG("scale");
    CHECK_DEC(&r, "1.1");
    bill_dec_clear(&a);
    bill_dec_clear(&z);
    bill_dec_clear(&big);
    bill_dec_clear(&r);
}

static void test_div_prec(void)
{
    /* expectations from Python's decimal (General Decimal Arithmetic) */
    static const struct {
        const char *a, *b;
        int prec, mode;
        const char *out;
    } t[] = {
        {"1", "3", 5, BILL_ROUND_HALF_UP, "0.33333"},
        {"2", "3", 5, BILL_ROUND_HALF_UP, "0.66667"},
        {"2", "3", 5, BILL_ROUND_DOWN, "0.66666"},
        {"1", "8", 10, BILL_ROUND_HALF_UP, "0.125"},
        {"1000", "1", 2, BILL_ROUND_HALF_UP, "1.0E+3"},
        {"10", "4", 10, BILL_ROUND_HALF_UP, "2.5"},
        {"1.00", "2", 10, BILL_ROUND_HALF_UP, "0.50"},
        {"2.40", "2", 10, BILL_ROUND_HALF_UP, "1.20"},
        {"1E+5", "1", 3, BILL_ROUND_HALF_UP, "1E+5"},
        {"0", "5", 5, BILL_ROUND_HALF_UP, "0"},
        {"0.00", "1", 5, BILL_ROUND_HALF_UP, "0.00"},
        {"0", "1E-3", 5, BILL_ROUND_HALF_UP, "0E+3"},
        {"9.999", "1", 3, BILL_ROUND_HALF_UP, "10.0"},
        {"-1", "3", 2, BILL_ROUND_FLOOR, "-0.34"},
        {"-1", "3", 2, BILL_ROUND_CEILING, "-0.33"},
        {"1", "4", 5, BILL_ROUND_HALF_UP, "0.25"},
        {"12", "12", 5, BILL_ROUND_HALF_UP, "1"},
        {"5", "5", 2, BILL_ROUND_HALF_UP, "1"},
        {"50", "5", 2, BILL_ROUND_HALF_UP, "10"},
        {"0.60", "3", 1, BILL_ROUND_HALF_UP, "0.2"},
        /* the digit after the precision, then a nonzero remainder beyond it */
        {"125125", "1", 2, BILL_ROUND_HALF_EVEN, "1.3E+5"},
        {"125000", "1", 2, BILL_ROUND_HALF_EVEN, "1.2E+5"},
        {"120001", "1", 2, BILL_ROUND_UP, "1.3E+5"},
        {"-120001", "1", 2, BILL_ROUND_FLOOR, "-1.3E+5"},
        {"-120001", "1", 2, BILL_ROUND_CEILING, "-1.2E+5"},
        {"1", "0.03", 4, BILL_ROUND_HALF_EVEN, "33.33"},
        {"100", "0.5", 5, BILL_ROUND_HALF_UP, "2.0E+2"},
        {"5E+3", "2E+1", 5, BILL_ROUND_HALF_UP, "2.5E+2"},
        {"7", "7E-3", 5, BILL_ROUND_HALF_UP, "1E+3"},
        {"1", "7", 1, BILL_ROUND_UP, "0.2"},
        {"0.9999", "1", 2, BILL_ROUND_HALF_EVEN, "1.0"},
        {"1234567890123456789012345678901234567890.12", "-98765432109876543210987654321098765432.1",
         20, BILL_ROUND_HALF_EVEN, "-12.499999886093750001"},
        {"1234567890123456789012345678901234567890.12", "7", 30, BILL_ROUND_FLOOR,
         "1.76366841446208112716049382700E+38"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bill_dec a = DEC(t[i].a), b = DEC(t[i].b), r = BILL_DEC_INIT;
        char ctx[160];
        snprintf(ctx, sizeof ctx, "div_prec(%s, %s, %d, %s)", t[i].a, t[i].b, t[i].prec,
                 mode_names[t[i].mode]);
        if (bill_dec_div_prec(&r, &a, &b, t[i].prec, t[i].mode) == BILL_OK) test_passed++;
        else TEST_FAIL_("%s: %s", ctx, bill_errmsg());
        check_text_(bill_dec_to_sci_str(&r), t[i].out, "result", ctx, __LINE__);
        bill_dec_clear(&a);
        bill_dec_clear(&b);
        bill_dec_clear(&r);
    }
}

/* ---- precision and trimming ---------------------------------------------- */

static void test_round_prec(void)
{
    static const struct {
        const char *in;
        int prec, mode;
        const char *out;
    } t[] = {
        {"123.456", 4, BILL_ROUND_HALF_UP, "123.5"},
        {"123.456", 2, BILL_ROUND_HALF_UP, "1.2E+2"},
        {"123.456", 6, BILL_ROUND_HALF_UP, "123.456"},
        {"123.456", 9, BILL_ROUND_HALF_UP, "123.456"},
        {"123.456", 0, BILL_ROUND_HALF_UP, "123.456"},
        {"999.9", 3, BILL_ROUND_HALF_UP, "1.00E+3"},
        {"-999.9", 3, BILL_ROUND_HALF_UP, "-1.00E+3"},
        {"999.9", 3, BILL_ROUND_DOWN, "999"},
        {"1.50", 5, BILL_ROUND_HALF_UP, "1.50"},
        {"1.50", 2, BILL_ROUND_UNNECESSARY, "1.5"},
        {"0.000", 1, BILL_ROUND_HALF_UP, "0.000"},
        {"0.001234", 2, BILL_ROUND_CEILING, "0.0013"},
        {"-0.001234", 2, BILL_ROUND_CEILING, "-0.0012"},
        {"9223372036854775807", 1, BILL_ROUND_HALF_UP, "9E+18"},
        {"9223372036854775807", 18, BILL_ROUND_HALF_UP, "9.22337203685477581E+18"},
        {"9999999999999999999", 18, BILL_ROUND_HALF_UP, "1.00000000000000000E+19"},
        {"1234567890123456789012345678901234567890.12", 10, BILL_ROUND_HALF_UP, "1.234567890E+39"},
        {"-98765432109876543210987654321098765432.1", 10, BILL_ROUND_UP, "-9.876543211E+37"},
        {"99999999999999999999999999999999999999.5", 38, BILL_ROUND_HALF_EVEN,
         "1.0000000000000000000000000000000000000E+38"},
        {"1234567890123456789012345678901234567890.12", 60, BILL_ROUND_UP,
         "1234567890123456789012345678901234567890.12"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bill_dec a = DEC(t[i].in), r = BILL_DEC_INIT;
        char ctx[120];
        snprintf(ctx, sizeof ctx, "round_prec(%s, %d, %s)", t[i].in, t[i].prec,
                 mode_names[t[i].mode]);
        if (bill_dec_round_prec(&r, &a, t[i].prec, t[i].mode) == BILL_OK) test_passed++;
        else TEST_FAIL_("%s: %s", ctx, bill_errmsg());
        check_text_(bill_dec_to_sci_str(&r), t[i].out, "result", ctx, __LINE__);
        bill_dec_clear(&a);
        bill_dec_clear(&r);
    }
    {
        bill_dec a = DEC("1.5"), r = DEC("3");
        CHECK_ERR(bill_dec_round_prec(&r, &a, -1, BILL_ROUND_HALF_UP), BILL_EINVAL);
        CHECK_MSG("precision");
        CHECK_DEC(&r, "3");
        /* rounding a 1000-digit integer to 1 digit gives scale -999 */
        bill_dec_clear(&a);
        {
            char buf[BILL_DEC_MAX_DIGITS + 1];
            memset(buf, '4', BILL_DEC_MAX_DIGITS);
            buf[BILL_DEC_MAX_DIGITS] = '\0';
            CHECK_OK(bill_dec_parse(&a, buf, (size_t)-1));
        }
        CHECK_OK(bill_dec_round_prec(&r, &a, 1, BILL_ROUND_HALF_UP));
        CHECK_SCI(&r, "4E+999");
        CHECK_INT(bill_dec_scale(&r), -999);
        /* the scale range is enforced */
        CHECK_OK(bill_dec_parse(&a, "12345E+99998", (size_t)-1));
        CHECK_ERR(bill_dec_round_prec(&a, &a, 2, BILL_ROUND_HALF_UP), BILL_ERANGE);
        CHECK_SCI(&a, "1.2345E+100002");
        bill_dec_clear(&a);
        bill_dec_clear(&r);
    }
}

static void test_trim(void)
{
    static const struct {
        const char *in;
        int min_scale;
        const char *out;
        int scale;
    } t[] = {
        {"1.5000", 0, "1.5", 1},
        {"1.5000", 2, "1.50", 2},
        {"1.5000", 4, "1.5000", 4},
        {"1.5000", 9, "1.5000", 4},
        {"1.5", 2, "1.5", 1},
        {"100", 0, "100", 0},
        {"100", -5, "1E+2", -2},
        {"100", -1, "1.0E+2", -1},
        {"12.00", -1, "12", 0},
        {"0.52830000", 2, "0.5283", 4},
        {"0.000", 0, "0", 0},
        {"0.000", 2, "0.00", 2},
        {"0.000", -3, "0", 0},
        {"-3.1400", 0, "-3.14", 2},
        {"1000000000000000000000000000000.000", 0, "1000000000000000000000000000000", 0},
        {"1000000000000000000000000000000.000", -100, "1E+30", -30},
        {"1000000000000000000000000000000.000", -20, "1.0000000000E+30", -20},
        {"123456789012345678901234567890.1000", 1, "123456789012345678901234567890.1", 1},
        {"5E+99999", -200000, "5E+99999", -99999},
        {"50E+99999", -200000, "5E+100000", -100000},
        {"500E+99999", -200000, "5.0E+100001", -100000},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bill_dec a = DEC(t[i].in), r = BILL_DEC_INIT;
        char ctx[120];
        snprintf(ctx, sizeof ctx, "trim(%s, %d)", t[i].in, t[i].min_scale);
        if (bill_dec_trim(&r, &a, t[i].min_scale) == BILL_OK) test_passed++;
        else TEST_FAIL_("%s: %s", ctx, bill_errmsg());
        check_text_(bill_dec_to_sci_str(&r), t[i].out, "result", ctx, __LINE__);
        CHECK_INT(bill_dec_scale(&r), t[i].scale);
        CHECK_INT(bill_dec_cmp(&r, &a), 0);
        bill_dec_clear(&a);
        bill_dec_clear(&r);
    }
}

/* ---- allocation ---------------------------------------------------------- */

/* parts sum to total exactly, each with the given scale */
static void check_sum_(bill_dec *parts, size_t n, const bill_dec *total, int scale, int line)
{
    bill_dec sum = BILL_DEC_INIT;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (bill_dec_scale(&parts[i]) != scale)
            ok = 0;
        if (bill_dec_add(&sum, &sum, &parts[i]) != BILL_OK)
            ok = 0;
    }
    if (ok && bill_dec_cmp(&sum, total) == 0) test_passed++;
    else {
        char *s = bill_dec_to_str(&sum), *t = bill_dec_to_str(total);
        test_failed++;
        printf("FAIL %s (%s:%d): parts sum to %s (scale ok: %d), total %s\n", test_current,
               __FILE__, line, s ? s : "?", ok, t ? t : "?");
        bill_free(s);
        bill_free(t);
    }
    bill_dec_clear(&sum);
}
#define CHECK_SUM(parts, n, total, scale) check_sum_((parts), (n), (total), (scale), __LINE__)

static void clear_parts(bill_dec *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bill_dec_clear(&p[i]);
}

static void check_parts_(bill_dec *parts, size_t n, const char *const *want, const char *ctx,
                         int line)
{
    for (size_t i = 0; i < n; i++)
        check_text_(bill_dec_to_str(&parts[i]), want[i], "part", ctx, line);
}
#define CHECK_PARTS(parts, ctx, ...)                                                  \
    do {                                                                              \
        static const char *const w_[] = {__VA_ARGS__};                                \
        check_parts_((parts), sizeof w_ / sizeof w_[0], w_, (ctx), __LINE__);         \
    } while (0)

static void test_allocate_equal(void)
{
    bill_dec p[7] = {BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT,
                     BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT};
    bill_dec total = DEC("100.00"), neg = DEC("-100.00"), small = DEC("0.02");

    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 2, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "100.00/3 spread first", "33.34", "33.33", "33.33");
    CHECK_SUM(p, 3, &total, 2);
    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 2, BILL_REMAINDER_SPREAD_LAST));
    CHECK_PARTS(p, "100.00/3 spread last", "33.33", "33.33", "33.34");
    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 2, BILL_REMAINDER_TO_FIRST));
    CHECK_PARTS(p, "100.00/3 to first", "33.34", "33.33", "33.33");
    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 2, BILL_REMAINDER_TO_LAST));
    CHECK_PARTS(p, "100.00/3 to last", "33.33", "33.33", "33.34");
    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 2, BILL_REMAINDER_LARGEST_FRACTION));
    CHECK_PARTS(p, "100.00/3 largest fraction", "33.34", "33.33", "33.33");

    /* several remainder units */
    CHECK_OK(bill_dec_allocate(p, 7, &total, NULL, 2, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "100.00/7 spread first", "14.29", "14.29", "14.29", "14.29", "14.28",
                "14.28", "14.28");
    CHECK_SUM(p, 7, &total, 2);
    CHECK_OK(bill_dec_allocate(p, 7, &total, NULL, 2, BILL_REMAINDER_SPREAD_LAST));
    CHECK_PARTS(p, "100.00/7 spread last", "14.28", "14.28", "14.28", "14.29", "14.29",
                "14.29", "14.29");
    CHECK_OK(bill_dec_allocate(p, 7, &total, NULL, 2, BILL_REMAINDER_TO_LAST));
    CHECK_PARTS(p, "100.00/7 to last", "14.28", "14.28", "14.28", "14.28", "14.28", "14.28",
                "14.32");
    CHECK_SUM(p, 7, &total, 2);
    CHECK_OK(bill_dec_allocate(p, 7, &total, NULL, 2, BILL_REMAINDER_TO_FIRST));
    CHECK_PARTS(p, "100.00/7 to first", "14.32", "14.28", "14.28", "14.28", "14.28", "14.28",
                "14.28");

    /* a negative total: the remainder carries the sign */
    CHECK_OK(bill_dec_allocate(p, 3, &neg, NULL, 2, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "-100.00/3 spread first", "-33.34", "-33.33", "-33.33");
    CHECK_SUM(p, 3, &neg, 2);
    CHECK_OK(bill_dec_allocate(p, 7, &neg, NULL, 2, BILL_REMAINDER_TO_LAST));
    CHECK_PARTS(p, "-100.00/7 to last", "-14.28", "-14.28", "-14.28", "-14.28", "-14.28",
                "-14.28", "-14.32");
    CHECK_SUM(p, 7, &neg, 2);

    /* fewer units than parts; a finer scale; a coarser scale */
    CHECK_OK(bill_dec_allocate(p, 5, &small, NULL, 2, BILL_REMAINDER_SPREAD_LAST));
    CHECK_PARTS(p, "0.02/5 spread last", "0.00", "0.00", "0.00", "0.01", "0.01");
    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 3, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "100.00/3 at scale 3", "33.334", "33.333", "33.333");
    CHECK_SUM(p, 3, &total, 3);
    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 0, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "100/3 at scale 0", "34", "33", "33");
    CHECK_OK(bill_dec_allocate(p, 1, &total, NULL, 2, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "one part", "100.00");

    clear_parts(p, 7);
    bill_dec_clear(&total);
    bill_dec_clear(&neg);
    bill_dec_clear(&small);
}

static void test_allocate_ratios(void)
{
    bill_dec p[4] = {BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT};
    bill_dec r[4] = {BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT};
    bill_dec total = DEC("100.00"), neg = DEC("-0.05");

    /* 1:1:1 behaves like the equal split */
    for (int i = 0; i < 3; i++)
        CHECK_OK(bill_dec_set_i64(&r[i], 1, 0));
    CHECK_OK(bill_dec_allocate(p, 3, &total, r, 2, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "1:1:1", "33.34", "33.33", "33.33");

    /* 0.5 : 0.3 : 0.2 with mixed scales: exact shares */
    bill_dec_clear(&r[0]); r[0] = DEC("0.5");
    bill_dec_clear(&r[1]); r[1] = DEC("0.30");
    bill_dec_clear(&r[2]); r[2] = DEC("0.2");
    CHECK_OK(bill_dec_allocate(p, 3, &total, r, 2, BILL_REMAINDER_TO_LAST));
    CHECK_PARTS(p, "0.5:0.3:0.2", "50.00", "30.00", "20.00");

    /* 1:2:3:4 of 10.01: shares 1.001 2.002 3.003 4.004; one unit left */
    bill_dec_clear(&total);
    total = DEC("10.01");
    for (int i = 0; i < 4; i++)
        CHECK_OK(bill_dec_set_i64(&r[i], i + 1, 0));
    CHECK_OK(bill_dec_allocate(p, 4, &total, r, 2, BILL_REMAINDER_LARGEST_FRACTION));
    CHECK_PARTS(p, "1:2:3:4 largest", "1.00", "2.00", "3.00", "4.01");
    CHECK_SUM(p, 4, &total, 2);
    CHECK_OK(bill_dec_allocate(p, 4, &total, r, 2, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "1:2:3:4 spread first", "1.01", "2.00", "3.00", "4.00");
    CHECK_OK(bill_dec_allocate(p, 4, &total, r, 2, BILL_REMAINDER_SPREAD_LAST));
    CHECK_PARTS(p, "1:2:3:4 spread last", "1.00", "2.00", "3.00", "4.01");

    /* Hamilton: 100 by 1:1:1:3 -> 16.666 x3 and 50 at scale 0: fractions tie, earlier wins */
    bill_dec_clear(&total);
    total = DEC("100");
    CHECK_OK(bill_dec_set_i64(&r[0], 1, 0));
    CHECK_OK(bill_dec_set_i64(&r[1], 1, 0));
    CHECK_OK(bill_dec_set_i64(&r[2], 1, 0));
    CHECK_OK(bill_dec_set_i64(&r[3], 3, 0));
    CHECK_OK(bill_dec_allocate(p, 4, &total, r, 0, BILL_REMAINDER_LARGEST_FRACTION));
    CHECK_PARTS(p, "1:1:1:3 of 100", "17", "17", "16", "50");
    CHECK_SUM(p, 4, &total, 0);
    /* 0.17 : 0.46 : 0.37 of 7 -> 1.19 3.22 2.59 -> 1, 3, 3 */
    bill_dec_clear(&total);
    total = DEC("7");
    bill_dec_clear(&r[0]); r[0] = DEC("0.17");
    bill_dec_clear(&r[1]); r[1] = DEC("0.46");
    bill_dec_clear(&r[2]); r[2] = DEC("0.37");
    CHECK_OK(bill_dec_allocate(p, 3, &total, r, 0, BILL_REMAINDER_LARGEST_FRACTION));
    CHECK_PARTS(p, "0.17:0.46:0.37 of 7", "1", "3", "3");
    CHECK_OK(bill_dec_allocate(p, 3, &total, r, 0, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "0.17:0.46:0.37 of 7 spread", "2", "3", "2");

    /* a zero ratio gets nothing under the largest-fraction rule */
    CHECK_OK(bill_dec_set_i64(&r[0], 0, 0));
    CHECK_OK(bill_dec_set_i64(&r[1], 1, 0));
    CHECK_OK(bill_dec_set_i64(&r[2], 2, 0));
    bill_dec_clear(&total);
    total = DEC("1.00");
    CHECK_OK(bill_dec_allocate(p, 3, &total, r, 2, BILL_REMAINDER_LARGEST_FRACTION));
    CHECK_PARTS(p, "0:1:2 of 1.00", "0.00", "0.33", "0.67");

    /* negative total with ratios: -0.05 by 1:1:1 -> -0.02 -0.02 -0.01 */
    for (int i = 0; i < 3; i++)
        CHECK_OK(bill_dec_set_i64(&r[i], 1, 0));
    CHECK_OK(bill_dec_allocate(p, 3, &neg, r, 2, BILL_REMAINDER_LARGEST_FRACTION));
    CHECK_PARTS(p, "-0.05 by 1:1:1", "-0.02", "-0.02", "-0.01");
    CHECK_SUM(p, 3, &neg, 2);
    CHECK_OK(bill_dec_allocate(p, 3, &neg, r, 2, BILL_REMAINDER_TO_FIRST));
    CHECK_PARTS(p, "-0.05 by 1:1:1 to first", "-0.03", "-0.01", "-0.01");

    /* ratios may alias the parts */
    CHECK_OK(bill_dec_set_i64(&p[0], 1, 0));
    CHECK_OK(bill_dec_set_i64(&p[1], 3, 0));
    bill_dec_clear(&total);
    total = DEC("1.00");
    CHECK_OK(bill_dec_allocate(p, 2, &total, p, 2, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "aliased ratios", "0.25", "0.75");

    clear_parts(p, 4);
    clear_parts(r, 4);
    bill_dec_clear(&total);
    bill_dec_clear(&neg);
}

static void test_allocate_errors(void)
{
    bill_dec p[3] = {BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT};
    bill_dec r[3] = {BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT};
    bill_dec total = DEC("100.005");
    for (int i = 0; i < 3; i++)
        CHECK_OK(bill_dec_set_i64(&p[i], 9, 1));
    CHECK_ERR(bill_dec_allocate(p, 3, &total, NULL, 2, BILL_REMAINDER_SPREAD_FIRST),
              BILL_EROUNDING);
    CHECK_MSG("100.005");
    CHECK_DEC(&p[0], "0.9"); /* unchanged */
    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 3, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "100.005/3", "33.335", "33.335", "33.335");
    CHECK_ERR(bill_dec_allocate(p, 0, &total, NULL, 3, BILL_REMAINDER_SPREAD_FIRST), BILL_EINVAL);
    CHECK_ERR(bill_dec_allocate(p, 3, &total, NULL, 3, 99), BILL_EINVAL);
    CHECK_ERR(bill_dec_allocate(p, 3, &total, NULL, 3, -1), BILL_EINVAL);
    CHECK_ERR(bill_dec_allocate(NULL, 3, &total, NULL, 3, 0), BILL_EINVAL);
    CHECK_ERR(bill_dec_allocate(p, 3, NULL, NULL, 3, 0), BILL_EINVAL);
    CHECK_ERR(bill_dec_allocate(p, 3, &total, NULL, BILL_DEC_MAX_SCALE + 1, 0), BILL_ERANGE);
    /* all-zero and negative ratios */
    CHECK_ERR(bill_dec_allocate(p, 3, &total, r, 3, 0), BILL_EINVAL);
    CHECK_MSG("zero");
    CHECK_OK(bill_dec_set_i64(&r[0], 1, 0));
    CHECK_OK(bill_dec_set_i64(&r[1], -1, 0));
    CHECK_ERR(bill_dec_allocate(p, 3, &total, r, 3, 0), BILL_EINVAL);
    CHECK_MSG("negative");
    CHECK_PARTS(p, "unchanged", "33.335", "33.335", "33.335");
    clear_parts(p, 3);
    clear_parts(r, 3);
    bill_dec_clear(&total);
}

static void test_allocate_big(void)
{
    bill_dec p[3] = {BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT};
    bill_dec r[3] = {BILL_DEC_INIT, BILL_DEC_INIT, BILL_DEC_INIT};
    bill_dec total = DEC("1000000000000000000000000000000.00");
    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 2, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_PARTS(p, "1E30/3", "333333333333333333333333333333.34",
                "333333333333333333333333333333.33",
                "333333333333333333333333333333.33");
    CHECK_SUM(p, 3, &total, 2);
    CHECK_OK(bill_dec_allocate(p, 3, &total, NULL, 2, BILL_REMAINDER_TO_LAST));
    CHECK_PARTS(p, "1E30/3 to last", "333333333333333333333333333333.33",
                "333333333333333333333333333333.33", "333333333333333333333333333333.34");
    /* big ratios, small total */
    bill_dec_clear(&total);
    total = DEC("-10.00");
    r[0] = DEC("100000000000000000000000000000");
    r[1] = DEC("200000000000000000000000000000");
    r[2] = DEC("1");
    CHECK_OK(bill_dec_allocate(p, 3, &total, r, 2, BILL_REMAINDER_LARGEST_FRACTION));
    CHECK_PARTS(p, "big ratios", "-3.33", "-6.67", "0.00");
    CHECK_SUM(p, 3, &total, 2);
    /* a big total by ratios; parts that were big become compact and back */
    bill_dec_clear(&total);
    total = DEC("98765432109876543210987654321.07");
    CHECK_OK(bill_dec_allocate(p, 3, &total, r, 2, BILL_REMAINDER_SPREAD_LAST));
    CHECK_SUM(p, 3, &total, 2);
    CHECK_INT(bill_dec_is_compact(&p[2]), 1);
    CHECK_INT(bill_dec_is_compact(&p[0]), 0);
    CHECK_PARTS(p, "big total by ratios", "32921810703292181070329218106.91",
                "65843621406584362140658436213.83", "0.33");
    clear_parts(p, 3);
    clear_parts(r, 3);
    bill_dec_clear(&total);
}

/* ---- inspection and conversion ------------------------------------------- */

static void test_to_units(void)
{
    int64_t u = -1;
    bill_dec d = DEC("123.45");
    CHECK_OK(bill_dec_to_units(&d, 2, &u));
    CHECK_INT(u, 12345);
    CHECK_OK(bill_dec_to_units(&d, 4, &u));
    CHECK_INT(u, 1234500);
    u = 7;
    CHECK_ERR(bill_dec_to_units(&d, 1, &u), BILL_EROUNDING);
    CHECK_MSG("123.45");
    CHECK_INT(u, 7);
    CHECK_ERR(bill_dec_to_units(&d, 20, &u), BILL_ERANGE);
    CHECK_ERR(bill_dec_to_units(&d, -30, &u), BILL_EROUNDING);
    CHECK_OK(bill_dec_parse(&d, "-1.20", (size_t)-1));
    CHECK_OK(bill_dec_to_units(&d, 1, &u));
    CHECK_INT(u, -12);
    CHECK_OK(bill_dec_parse(&d, "0.000", (size_t)-1));
    CHECK_OK(bill_dec_to_units(&d, -50, &u));
    CHECK_INT(u, 0);
    CHECK_OK(bill_dec_parse(&d, "1.5E+3", (size_t)-1));
    CHECK_OK(bill_dec_to_units(&d, 2, &u));
    CHECK_INT(u, 150000);
    CHECK_OK(bill_dec_to_units(&d, -2, &u));
    CHECK_INT(u, 15);
    CHECK_ERR(bill_dec_to_units(&d, -3, &u), BILL_EROUNDING);
    /* near the int64 limit */
    CHECK_OK(bill_dec_parse(&d, "92233720368547758.07", (size_t)-1));
    CHECK_OK(bill_dec_to_units(&d, 2, &u));
    CHECK_INT(u, INT64_MAX);
    CHECK_ERR(bill_dec_to_units(&d, 3, &u), BILL_ERANGE);
    /* a big coefficient whose value fits after dividing out zeros */
    CHECK_OK(bill_dec_parse(&d, "5.000000000000000000000000000000", (size_t)-1));
    CHECK_INT(bill_dec_is_compact(&d), 0);
    CHECK_OK(bill_dec_to_units(&d, 2, &u));
    CHECK_INT(u, 500);
    CHECK_OK(bill_dec_parse(&d, "5.000000000000000000000000000001", (size_t)-1));
    CHECK_ERR(bill_dec_to_units(&d, 2, &u), BILL_EROUNDING);
    CHECK_OK(bill_dec_parse(&d, "-123456789012345678901234567890", (size_t)-1));
    CHECK_ERR(bill_dec_to_units(&d, 0, &u), BILL_ERANGE);
    CHECK_MSG("64 bits");
    CHECK_ERR(bill_dec_to_units(&d, -1, &u), BILL_ERANGE);
    CHECK_ERR(bill_dec_to_units(&d, -29, &u), BILL_EROUNDING);
    CHECK_ERR(bill_dec_to_units(NULL, 0, &u), BILL_EINVAL);
    CHECK_ERR(bill_dec_to_units(&d, 0, NULL), BILL_EINVAL);
    bill_dec_clear(&d);
}

static void test_get_i64_and_inspection(void)
{
    int64_t c = 0;
    int32_t s = 0;
    bill_dec d = DEC("-12.340"), z = DEC("0.00"), big = DEC("10000000000000000000");
    CHECK_OK(bill_dec_get_i64(&d, &c, &s));
    CHECK_INT(c, -12340);
    CHECK_INT(s, 3);
    CHECK_INT(bill_dec_precision(&d), 5);
    CHECK_INT(bill_dec_sign(&d), -1);
    CHECK_INT(bill_dec_is_zero(&d), 0);
    CHECK_INT(bill_dec_is_zero(&z), 1);
    CHECK_INT(bill_dec_precision(&z), 1);
    CHECK_INT(bill_dec_sign(&z), 0);
    CHECK_INT(bill_dec_scale(&z), 2);
    c = 5;
    CHECK_ERR(bill_dec_get_i64(&big, &c, &s), BILL_ERANGE);
    CHECK_INT(c, 5);
    CHECK_INT(bill_dec_precision(&big), 20);
    CHECK_INT(bill_dec_sign(&big), 1);
    CHECK_INT(bill_dec_is_zero(&big), 0);
    CHECK_OK(bill_dec_parse(&big, "-99999999999999999999", (size_t)-1));
    CHECK_INT(bill_dec_precision(&big), 20);
    CHECK_INT(bill_dec_sign(&big), -1);
    CHECK_OK(bill_dec_parse(&big, "9999999999999999999", (size_t)-1));
    CHECK_INT(bill_dec_precision(&big), 19);
    CHECK_OK(bill_dec_set_i64(&d, INT64_MAX, -3));
    CHECK_OK(bill_dec_get_i64(&d, &c, &s));
    CHECK_INT(c, INT64_MAX);
    CHECK_INT(s, -3);
    CHECK_OK(bill_dec_get_i64(&d, NULL, NULL));
    CHECK_ERR(bill_dec_set_i64(&d, 1, BILL_DEC_MAX_SCALE + 1), BILL_ERANGE);
    CHECK_ERR(bill_dec_set_i64(&d, 1, -BILL_DEC_MAX_SCALE - 1), BILL_ERANGE);
    CHECK_OK(bill_dec_get_i64(&d, &c, &s));
    CHECK_INT(s, -3);
    CHECK_OK(bill_dec_set_i64(&d, 5, BILL_DEC_MAX_SCALE));
    CHECK_SCI(&d, "5E-100000");
    CHECK_INT(bill_dec_sign(NULL), 0);
    CHECK_INT(bill_dec_is_compact(NULL), 0);
    bill_dec_clear(&d);
    bill_dec_clear(&z);
    bill_dec_clear(&big);
}

static void test_cmp(void)
{
    static const struct {
        const char *a, *b;
        int want;
    } t[] = {
        {"1.5", "1.50", 0},
        {"1.5", "1.49", 1},
        {"-1.5", "-1.49", -1},
        {"0", "0.000", 0},
        {"0E+5", "0.00", 0},
        {"0", "-0.001", 1},
        {"0", "0.001", -1},
        {"1E+3", "999.9999", 1},
        {"1E+3", "1000.0000", 0},
        {"9223372036854775807", "9223372036854775808", -1},
        {"-9223372036854775807", "-9223372036854775808", 1},
        {"1E+30", "999999999999999999999999999999", 1},
        {"1E+30", "1000000000000000000000000000000.000", 0},
        {"1", "0.0000000000000000000000000001", 1},
        {"-1", "0.0000000000000000000000000001", -1},
        {"0.0000000000000000000000000001", "1E-28", 0},
        {"9223372036854775807", "9.223372036854775807E+18", 0},
        {"9223372036854775807", "9.223372036854775806E+18", 1},
        {"4.5", "45E-1", 0},
        {"1E+100000", "1E-100000", 1},
        {"-1E+100000", "-1E-100000", -1},
        {"123456789012345678901234567890", "123456789012345678901234567891", -1},
        {"-123456789012345678901234567890", "123456789012345678901234567890", -1},
        {"123456789012345678901234567890", "-5", 1},
        {"123456789012345678901234567890", "1.23456789012345678901234567890E+29", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bill_dec a = DEC(t[i].a), b = DEC(t[i].b);
        int g1 = bill_dec_cmp(&a, &b), g2 = bill_dec_cmp(&b, &a);
        if (g1 == t[i].want && g2 == -t[i].want) test_passed++;
        else TEST_FAIL_("cmp(%s, %s) == %d / reversed %d, expected %d", t[i].a, t[i].b, g1, g2,
                        t[i].want);
        CHECK_INT(bill_dec_identical(&a, &b),
                  t[i].want == 0 && bill_dec_scale(&a) == bill_dec_scale(&b));
        CHECK_INT(bill_dec_cmp(&a, &a), 0);
        bill_dec_clear(&a);
        bill_dec_clear(&b);
    }
}

static void test_big_everything(void)
{
    bill_dec a = DEC("1234567890123456789012345678901234567890.12");
    bill_dec b = DEC("-98765432109876543210987654321098765432.1");
    bill_dec r = BILL_DEC_INIT, s = BILL_DEC_INIT;
    CHECK_INT(bill_dec_precision(&a), 42);
    CHECK_INT(bill_dec_scale(&a), 2);
    CHECK_SCI(&a, "1234567890123456789012345678901234567890.12");
    CHECK_OK(bill_dec_rescale(&r, &a, 0, BILL_ROUND_HALF_UP));
    CHECK_DEC(&r, "1234567890123456789012345678901234567890");
    CHECK_OK(bill_dec_rescale(&r, &b, -3, BILL_ROUND_CEILING));
    CHECK_SCI(&r, "-9.8765432109876543210987654321098765E+37");
    CHECK_OK(bill_dec_rescale(&r, &b, 3, BILL_ROUND_UNNECESSARY));
    CHECK_DEC(&r, "-98765432109876543210987654321098765432.100");
    CHECK_OK(bill_dec_mul(&r, &a, &a));
    CHECK_DEC(&r, "152415787532388367504953515625666819450082975205616582841686486816281131"
                  "5348393.6144");
    CHECK_OK(bill_dec_div_prec(&s, &r, &a, 100, BILL_ROUND_UNNECESSARY));
    CHECK_INT(bill_dec_identical(&s, &a), 1);
    CHECK_OK(bill_dec_div(&s, &r, &a, 2, BILL_ROUND_UNNECESSARY));
    CHECK_INT(bill_dec_identical(&s, &a), 1);
    CHECK_OK(bill_dec_neg(&r, &a));
    CHECK_DEC(&r, "-1234567890123456789012345678901234567890.12");
    CHECK_OK(bill_dec_abs(&r, &b));
    CHECK_DEC(&r, "98765432109876543210987654321098765432.1");
    CHECK_INT(bill_dec_cmp(&a, &b), 1);
    CHECK_INT(bill_dec_cmp(&r, &a), -1);
    CHECK_OK(bill_dec_add(&r, &a, &b));
    CHECK_OK(bill_dec_sub(&r, &r, &a));
    CHECK_INT(bill_dec_cmp(&r, &b), 0);
    CHECK_INT(bill_dec_scale(&r), 2);
    CHECK_OK(bill_dec_trim(&r, &r, 0));
    CHECK_INT(bill_dec_identical(&r, &b), 1);
    CHECK_OK(bill_dec_copy(&s, &a));
    CHECK_OK(bill_dec_add(&s, &s, &s)); /* the copy is independent */
    CHECK_DEC(&a, "1234567890123456789012345678901234567890.12");
    CHECK_DEC(&s, "2469135780246913578024691357802469135780.24");
    CHECK_OK(bill_dec_copy(&s, &b)); /* big over big */
    CHECK_INT(bill_dec_identical(&s, &b), 1);
    {
        int64_t c;
        int32_t sc;
        CHECK_ERR(bill_dec_get_i64(&a, &c, &sc), BILL_ERANGE);
        CHECK_MSG("1234567890123456789012345678901234567890.");
    }
    bill_dec_clear(&s);
    CHECK_INT(bill_dec_is_compact(&s), 1);
    CHECK_DEC(&s, "0");
    bill_dec_clear(&s); /* twice is fine */
    bill_dec_clear(NULL);
    bill_dec_init(&s);
    CHECK_DEC(&s, "0");
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&r);
}

static void test_scale_range(void)
{
    bill_dec a = DEC("1E-100000"), b = DEC("1E-1"), r = DEC("3");
    bill_dec c = DEC("1E+100000");
    CHECK_ERR(bill_dec_mul(&r, &a, &b), BILL_ERANGE);
    CHECK_MSG("100001");
    CHECK_ERR(bill_dec_mul(&r, &c, &c), BILL_ERANGE);
    CHECK_OK(bill_dec_mul(&r, &a, &c));
    CHECK_DEC(&r, "1");
    CHECK_ERR(bill_dec_rescale(&r, &b, BILL_DEC_MAX_SCALE + 1, BILL_ROUND_HALF_UP), BILL_ERANGE);
    CHECK_ERR(bill_dec_rescale(&r, &b, INT32_MIN, BILL_ROUND_HALF_UP), BILL_ERANGE);
    CHECK_DEC(&r, "1");
    CHECK_OK(bill_dec_rescale(&r, &b, -BILL_DEC_MAX_SCALE, BILL_ROUND_HALF_UP));
    CHECK_SCI(&r, "0E+100000");
    /* the widest alignment there is: a 200001-digit coefficient */
    CHECK_OK(bill_dec_add(&r, &a, &c));
    CHECK_INT(bill_dec_precision(&r), 200001);
    CHECK_INT(bill_dec_scale(&r), BILL_DEC_MAX_SCALE);
    CHECK_OK(bill_dec_sub(&r, &r, &c));
    CHECK_INT(bill_dec_identical(&r, &a), 1);
    CHECK_INT(bill_dec_is_compact(&r), 1);
    CHECK_OK(bill_dec_mul(&r, &c, &c) == BILL_ERANGE ? BILL_OK : BILL_EINTERNAL);
    CHECK_INT(bill_dec_identical(&r, &a), 1);
    bill_dec_clear(&a);
    bill_dec_clear(&b);
    bill_dec_clear(&c);
    bill_dec_clear(&r);
}

static void test_null_args(void)
{
    bill_dec a = DEC("1"), r = BILL_DEC_INIT;
    CHECK_ERR(bill_dec_add(NULL, &a, &a), BILL_EINVAL);
    CHECK_MSG("bill_dec_add");
    CHECK_ERR(bill_dec_sub(&r, NULL, &a), BILL_EINVAL);
    CHECK_ERR(bill_dec_mul(&r, &a, NULL), BILL_EINVAL);
    CHECK_ERR(bill_dec_neg(&r, NULL), BILL_EINVAL);
    CHECK_ERR(bill_dec_abs(NULL, &a), BILL_EINVAL);
    CHECK_ERR(bill_dec_div(&r, &a, NULL, 0, 0), BILL_EINVAL);
    CHECK_ERR(bill_dec_div_prec(&r, NULL, &a, 1, 0), BILL_EINVAL);
    CHECK_ERR(bill_dec_rescale(&r, NULL, 0, 0), BILL_EINVAL);
    CHECK_ERR(bill_dec_round_prec(NULL, &a, 0, 0), BILL_EINVAL);
    CHECK_ERR(bill_dec_trim(&r, NULL, 0), BILL_EINVAL);
    CHECK_ERR(bill_dec_copy(&r, NULL), BILL_EINVAL);
    CHECK_ERR(bill_dec_copy(NULL, &a), BILL_EINVAL);
    CHECK_ERR(bill_dec_set_i64(NULL, 1, 0), BILL_EINVAL);
    CHECK_ERR(bill_dec_get_i64(NULL, NULL, NULL), BILL_EINVAL);
    bill_dec_clear(&a);
    bill_dec_clear(&r);
}

void suite_decimal(void)
{
    RUN(test_parse_accepts);
    RUN(test_parse_limits);
    RUN(test_parse_rejects);
    RUN(test_parse_len);
    RUN(test_format_tables);
    RUN(test_format_buffer);
    RUN(test_scale_preserved);
    RUN(test_add_sub_mul);
    RUN(test_compact_and_big);
    RUN(test_aliasing);
    RUN(test_rounding_java_table);
    RUN(test_rounding_more);
    RUN(test_unnecessary);
    RUN(test_invalid_modes);
    RUN(test_rounding_names);
    RUN(test_div);
    RUN(test_div_errors);
    RUN(test_div_prec);
    RUN(test_round_prec);
    RUN(test_trim);
    RUN(test_allocate_equal);
    RUN(test_allocate_ratios);
    RUN(test_allocate_errors);
    RUN(test_allocate_big);
    RUN(test_to_units);
    RUN(test_get_i64_and_inspection);
    RUN(test_cmp);
    RUN(test_big_everything);
    RUN(test_scale_range);
    RUN(test_null_args);
}
