/* Tests for register arithmetic (include/bill/meter.h). */
#include "test.h"

static bill_dec D(const char *s)
{
    bill_dec d = BILL_DEC_INIT;
    if (bill_dec_parse(&d, s, (size_t)-1) != BILL_OK)
        TEST_FAIL_("bad decimal %s", s);
    return d;
}

/* advance prev -> cur; "kind:advance:energy" or "ERR:<status name>" */
static const char *adv(const char *prev, const char *cur, int digits, int decimals,
                       const char *mult, const char *maxr)
{
    static char buf[256];
    bill_dec p = D(prev), c = D(cur), m = BILL_DEC_INIT, x = BILL_DEC_INIT;
    bill_dec out = BILL_DEC_INIT, en = BILL_DEC_INIT;
    int kind = -1;
    if (mult)
        m = D(mult);
    if (maxr)
        x = D(maxr);
    int rc = bill_register_advance(&out, &en, &kind, &p, &c, digits, decimals,
                                   mult ? &m : NULL, maxr ? &x : NULL);
    if (rc != BILL_OK) {
        snprintf(buf, sizeof buf, "ERR:%s", bill_status_name(rc));
    } else {
        char *a = bill_dec_to_str(&out), *e = bill_dec_to_str(&en);
        snprintf(buf, sizeof buf, "%s:%s:%s", kind == BILL_ADVANCE_ROLLOVER ? "rollover" : "normal", a, e);
        bill_free(a);
        bill_free(e);
    }
    bill_dec_clear(&p);
    bill_dec_clear(&c);
    bill_dec_clear(&m);
    bill_dec_clear(&x);
    bill_dec_clear(&out);
    bill_dec_clear(&en);
    return buf;
}

static void test_normal(void)
{
    CHECK_STR(adv("100", "250", 5, 0, NULL, NULL), "normal:150:150");
    CHECK_STR(adv("100", "100", 5, 0, NULL, NULL), "normal:0:0");
    CHECK_STR(adv("0", "99999", 5, 0, NULL, NULL), "normal:99999:99999");
    CHECK_STR(adv("1234.5", "1300.25", 5, 2, NULL, NULL), "normal:65.75:65.75");
    /* the multiplier, exactly: CT 200/5 x PT 10000/100 = 4000 */
    CHECK_STR(adv("1234.56", "1240.00", 6, 2, "4000", NULL), "normal:5.44:21760.00");
    CHECK_STR(adv("10", "12.5", 5, 1, "1.5", NULL), "normal:2.5:3.75");
}

static void test_rollover_edges(void)
{
    /* 5 digits: capacity 100000, default plausible maximum 10000 */
    CHECK_STR(adv("99990", "5", 5, 0, NULL, NULL), "rollover:15:15");
    CHECK_STR(adv("99999", "0", 5, 0, NULL, NULL), "rollover:1:1");
    CHECK_STR(adv("90000", "0", 5, 0, NULL, NULL), "rollover:10000:10000");   /* exactly the maximum */
    CHECK_STR(adv("90001", "0", 5, 0, NULL, NULL), "rollover:9999:9999");
    CHECK_STR(adv("89999", "0", 5, 0, NULL, NULL), "ERR:ERULE");              /* one past: a decrease */
    CHECK_STR(adv("500", "499", 5, 0, NULL, NULL), "ERR:ERULE");
    CHECK_STR(adv("99999.9", "0.1", 5, 1, "40", NULL), "rollover:0.2:8.0");
    CHECK_STR(adv("9", "0", 1, 0, NULL, NULL), "rollover:1:1");               /* 1 digit: maximum 1 */
    CHECK_STR(adv("8", "0", 1, 0, NULL, NULL), "ERR:ERULE");
    /* a caller-given maximum */
    CHECK_STR(adv("50000", "0", 5, 0, NULL, "50000"), "rollover:50000:50000");
    CHECK_STR(adv("50000", "0", 5, 0, NULL, "49999.9"), "ERR:ERULE");
    CHECK_STR(adv("99000", "10", 5, 0, NULL, "0"), "rollover:1010:1010");     /* 0 = default */
    CHECK_STR(adv("999999999999999999", "1", 18, 0, "2", NULL), "rollover:2:4");

    /* the message gives both readings and the advance a rollover would mean */
    CHECK_STR(adv("500", "499", 5, 0, NULL, NULL), "ERR:ERULE");
    bill_dec p = D("500"), c = D("499"), o = BILL_DEC_INIT;
    CHECK_INT(bill_register_advance(&o, NULL, NULL, &p, &c, 5, 0, NULL, NULL), BILL_ERULE);
    CHECK_STR(bill_errmsg(), "register: the reading went down from 500 to 499; a rollover of the 5-digit "
              "register would mean an advance of 99999, more than the plausible 10000");
    /* outputs untouched on failure */
    bill_dec_set_i64(&o, 7, 0);
    int kind = 42;
    CHECK_INT(bill_register_advance(&o, NULL, &kind, &p, &c, 5, 0, NULL, NULL), BILL_ERULE);
    CHECK(bill_dec_cmp(&o, &(bill_dec)BILL_DEC_INIT) != 0);
    CHECK_INT(kind, 42);
    bill_dec_clear(&p);
    bill_dec_clear(&c);
    bill_dec_clear(&o);
}

static void test_range(void)
{
    CHECK_STR(adv("100000", "5", 5, 0, NULL, NULL), "ERR:ERANGE");
    CHECK_STR(adv("5", "100000", 5, 0, NULL, NULL), "ERR:ERANGE");
    CHECK_STR(adv("5", "99999.95", 5, 1, NULL, NULL), "ERR:ERANGE");   /* too many decimals */
    CHECK_STR(adv("5", "12.50", 5, 1, NULL, NULL), "normal:7.50:7.50"); /* trailing zero is fine */
    CHECK_STR(adv("-1", "5", 5, 0, NULL, NULL), "ERR:ERANGE");
    CHECK_STR(adv("1", "5", 0, 0, NULL, NULL), "ERR:EINVAL");
    CHECK_STR(adv("1", "5", 19, 0, NULL, NULL), "ERR:EINVAL");
    CHECK_STR(adv("1", "5", 5, 7, NULL, NULL), "ERR:EINVAL");
    CHECK_STR(adv("1", "5", 5, -1, NULL, NULL), "ERR:EINVAL");
    CHECK_STR(adv("1", "5", 5, 0, "0", NULL), "ERR:EINVAL");
    CHECK_STR(adv("1", "5", 5, 0, "-2", NULL), "ERR:EINVAL");
    CHECK_STR(adv("1", "5", 5, 0, NULL, "-1"), "ERR:EINVAL");

    bill_dec v = D("100000");
    CHECK_INT(bill_register_check(&v, 5, 0), BILL_ERANGE);
    CHECK_STR(bill_errmsg(), "register: the reading 100000 does not fit 5 digits (it must be below 100000)");
    CHECK_INT(bill_register_check(&v, 6, 0), BILL_OK);
    bill_dec_clear(&v);
    v = D("1.25");
    CHECK_INT(bill_register_check(&v, 5, 1), BILL_ERANGE);
    CHECK_STR(bill_errmsg(), "register: the reading 1.25 has more than the 1 decimals the register shows");
    CHECK_INT(bill_register_check(&v, 5, 2), BILL_OK);
    CHECK_INT(bill_register_check(NULL, 5, 2), BILL_EINVAL);
    bill_dec_clear(&v);
}

static void test_demand(void)
{
    bill_dec k = D("12.345"), out = BILL_DEC_INIT;
    CHECK_INT(bill_interval_demand_kw(&out, &k, 15), BILL_OK);
    char *s = bill_dec_to_str(&out);
    CHECK_STR(s, "49.380");
    bill_free(s);
    CHECK_INT(bill_interval_demand_kw(&out, &k, 60), BILL_OK);
    s = bill_dec_to_str(&out);
    CHECK_STR(s, "12.345");
    bill_free(s);
    CHECK_INT(bill_interval_demand_kw(&out, &k, 30), BILL_OK);
    s = bill_dec_to_str(&out);
    CHECK_STR(s, "24.690");
    bill_free(s);
    CHECK_INT(bill_interval_demand_kw(&out, &k, 7), BILL_EINVAL);
    CHECK_INT(bill_interval_demand_kw(&out, &k, 0), BILL_EINVAL);
    CHECK_INT(bill_interval_demand_kw(&out, &k, 120), BILL_EINVAL);
    bill_dec_clear(&k);
    k = D("-1");
    CHECK_INT(bill_interval_demand_kw(&out, &k, 15), BILL_ERANGE);
    bill_dec_clear(&k);
    bill_dec_clear(&out);
}

void suite_meter(void)
{
    test_current = "meter_normal";
    test_normal();
    test_current = "meter_rollover_edges";
    test_rollover_edges();
    test_current = "meter_range";
    test_range();
    test_current = "meter_demand";
    test_demand();
}
