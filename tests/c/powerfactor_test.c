/* Tests for the exact power factor and the 1983 adjustment tables. */
#include "test.h"

static char *pf_of(const char *kwh, const char *kvarh)
{
    bill_dec p = BILL_DEC_INIT, q = BILL_DEC_INIT, r = BILL_DEC_INIT;
    char *s = NULL;
    if (bill_dec_parse(&p, kwh, (size_t)-1) == BILL_OK &&
        bill_dec_parse(&q, kvarh, (size_t)-1) == BILL_OK && bill_pf_compute(&r, &p, &q) == BILL_OK)
        s = bill_dec_to_str(&r);
    bill_dec_clear(&p);
    bill_dec_clear(&q);
    bill_dec_clear(&r);
    return s;
}

#define CHECK_PF(kwh, kvarh, want)                                                 \
    do {                                                                           \
        char *s_ = pf_of(kwh, kvarh);                                              \
        CHECK_STR(s_, want);                                                       \
        bill_free(s_);                                                             \
    } while (0)

static void test_pf_values(void)
{
    CHECK_PF("100", "0", "1.00");
    CHECK_PF("0", "100", "0.00");
    CHECK_PF("3", "4", "0.60");        /* 3-4-5 triangle: exactly 0.6 */
    CHECK_PF("4", "3", "0.80");
    CHECK_PF("100", "100", "0.71");    /* 0.7071... */
    CHECK_PF("100", "48.43", "0.90");  /* 0.90000.. just above */
    CHECK_PF("120000", "-58000", "0.90"); /* sign of kvarh ignored; 0.9003 */
    CHECK_PF("1000", "484.3", "0.90");
    CHECK_PF("1000", "750", "0.80");
    /* a big pair goes through GMP and agrees with the small one */
    CHECK_PF("3000000000000000000000", "4000000000000000000000", "0.60");
    CHECK_PF("0.3", "0.4", "0.60");
}

/* The half-up boundary: PF exactly x.xx5 rounds up. PF = 0.895 when kvarh/kwh = sqrt(1/0.895^2 - 1). */
static void test_pf_half_up_boundary(void)
{
    /* 0.6 * 0.6 + 0.8 * 0.8 = 1: kwh = 0.6, kvarh = 0.8 gives exactly 0.60. For exact ties use
       the triangle 7-24-25: PF = 0.28 exactly; and 0.845 is not reachable by a rational triangle
       with small sides, so test both sides of a tie numerically. */
    CHECK_PF("7", "24", "0.28");
    CHECK_PF("24", "7", "0.96");
    /* just below and just above 0.845 */
    CHECK_PF("845", "633.45", "0.80");
    CHECK_PF("1", "0.6330", "0.84");   /* 1/sqrt(1+0.6330^2) = 0.84496.. */
    CHECK_PF("1", "0.6329", "0.84");   /* 0.844985.. */
    CHECK_PF("1", "0.6328", "0.85");   /* 0.845023.. */
}

static void test_pf_errors(void)
{
    bill_dec p = BILL_DEC_INIT, q = BILL_DEC_INIT, r = BILL_DEC_INIT;
    CHECK_ERR(bill_pf_compute(&r, &p, &q), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "both zero") != NULL);
    bill_dec_set_i64(&p, -5, 0);
    CHECK_ERR(bill_pf_compute(&r, &p, &q), BILL_ERANGE);
    CHECK_ERR(bill_pf_compute(NULL, &p, &q), BILL_EINVAL);
    bill_dec_clear(&p);
}

static char *pct(const bill_pf_table *t, const char *pf)
{
    bill_dec d = BILL_DEC_INIT, r = BILL_DEC_INIT;
    char *s = NULL;
    if (bill_dec_parse(&d, pf, (size_t)-1) == BILL_OK && bill_pf_table_percent(&r, t, &d) == BILL_OK)
        s = bill_dec_to_str(&r);
    bill_dec_clear(&d);
    bill_dec_clear(&r);
    return s;
}

#define CHECK_PCT(t, pf, want)                                                     \
    do {                                                                           \
        char *s_ = pct(t, pf);                                                     \
        CHECK_STR(s_, want);                                                       \
        bill_free(s_);                                                             \
    } while (0)

static void test_table_090(void)
{
    bill_pf_table *t = NULL;
    CHECK_OK(bill_pf_table_create_standard(&t, "0.90"));
    CHECK_PCT(t, "0.90", "0.00");
    CHECK_PCT(t, "0.89", "0.50");
    CHECK_PCT(t, "0.70", "10.00");
    CHECK_PCT(t, "0.69", "11.00");
    CHECK_PCT(t, "0.65", "15.00");
    CHECK_PCT(t, "0.64", "17.00");
    CHECK_PCT(t, "0.60", "25.00"); /* DOMAIN.md's example */
    CHECK_PCT(t, "0.91", "-0.15");
    CHECK_PCT(t, "0.94", "-0.60");
    CHECK_PCT(t, "0.95", "-0.75");
    CHECK_PCT(t, "1.00", "-0.75");
    CHECK_PCT(t, "0.904", "0.00");  /* rounded half-up to 0.90 first */
    CHECK_PCT(t, "0.905", "-0.15");
    bill_pf_table_free(t);
}

static void test_table_085_080(void)
{
    bill_pf_table *t = NULL;
    CHECK_OK(bill_pf_table_create_standard(&t, "0.85"));
    CHECK_PCT(t, "0.86", "-0.10");
    CHECK_PCT(t, "0.90", "-0.50");
    CHECK_PCT(t, "0.91", "-0.65");
    CHECK_PCT(t, "0.93", "-0.95");
    CHECK_PCT(t, "0.94", "-1.10");
    CHECK_PCT(t, "1.00", "-1.10");
    CHECK_PCT(t, "0.84", "0.50");
    CHECK_PCT(t, "0.65", "10.00");
    bill_pf_table_free(t);
    CHECK_OK(bill_pf_table_create_standard(&t, "0.8"));
    CHECK_PCT(t, "0.90", "-1.00");
    CHECK_PCT(t, "0.91", "-1.15");
    CHECK_PCT(t, "0.92", "-1.30");
    CHECK_PCT(t, "0.99", "-1.30");
    CHECK_PCT(t, "0.79", "0.50");
    bill_pf_table_free(t);
    CHECK_ERR(bill_pf_table_create_standard(&t, "0.75"), BILL_ERANGE);
    CHECK_ERR(bill_pf_table_create_standard(&t, "abc"), BILL_ERANGE);
}

static void test_table_load(void)
{
    bill_pf_table *t = NULL;
    const char *good = "# a utility's own table\n"
                       "0.00-0.79 5\n"
                       "0.80 0\n"
                       "0.81-1.00 -1.5   # flat rebate\n";
    CHECK_OK(bill_pf_table_load(&t, "0.80", good, (size_t)-1));
    CHECK_PCT(t, "0.50", "5");
    CHECK_PCT(t, "0.80", "0");
    CHECK_PCT(t, "0.97", "-1.5");
    bill_pf_table_free(t);
    t = NULL;
    CHECK_ERR(bill_pf_table_load(&t, "0.80", "0.00-0.80 0\n0.80-1.00 1\n", (size_t)-1), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "line 2") != NULL);
    CHECK_ERR(bill_pf_table_load(&t, "0.80", "0.00-0.90 0\n", (size_t)-1), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "0.91") != NULL);
    CHECK_ERR(bill_pf_table_load(&t, "0.80", "0.00-1.00\n", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_pf_table_load(&t, "0.80", "0.00-1.005 1\n", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_pf_table_load(&t, "0.80", "0.00-1.00 x\n", (size_t)-1), BILL_ESYNTAX);
    CHECK_ERR(bill_pf_table_load(&t, "0.80", "0.00-1.00 1\n", (size_t)-1), BILL_ERULE);
    CHECK(t == NULL);
}

void suite_powerfactor(void)
{
    RUN(test_pf_values);
    RUN(test_pf_half_up_boundary);
    RUN(test_pf_errors);
    RUN(test_table_090);
    RUN(test_table_085_080);
    RUN(test_table_load);
}
