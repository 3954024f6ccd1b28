/* Tests for the pure billing determinants (include/bill/determinants.h): no store. */
#include "test.h"
#include "store_util.h"

static bill_datetime T(const char *date)
{
    bill_datetime t = { (int64_t)su_date(date).day * 1440 };
    return t;
}

static int rd(bill_determinants *d, const char *m, const char *code, const char *date,
              const char *value, int est)
{
    bill_dec v = BILL_DEC_INIT;
    int rc = bill_dec_parse(&v, value, (size_t)-1);
    if (rc == BILL_OK)
        rc = bill_determinants_add_reading(d, m, code, T(date), &v, est);
    bill_dec_clear(&v);
    return rc;
}

static int mult(bill_determinants *d, const char *m, const char *date, const char *value)
{
    bill_dec v = BILL_DEC_INIT;
    int rc = bill_dec_parse(&v, value, (size_t)-1);
    if (rc == BILL_OK)
        rc = bill_determinants_add_multiplier(d, m, su_date(date), &v);
    bill_dec_clear(&v);
    return rc;
}

/* The value of `code` as text ("(none)" if there is none). */
static char got_buf[128];
static const char *Q(const bill_determinants *d, const char *code)
{
    bill_dec v = BILL_DEC_INIT;
    if (bill_determinants_get(&v, NULL, d, code) != BILL_OK)
        snprintf(got_buf, sizeof got_buf, "(none)");
    else
        bill_dec_format(&v, got_buf, sizeof got_buf);
    bill_dec_clear(&v);
    return got_buf;
}

static int EST(const bill_determinants *d, const char *code)
{
    bill_dec v = BILL_DEC_INIT;
    int est = -1;
    if (bill_determinants_get(&v, &est, d, code) != BILL_OK)
        est = -1;
    bill_dec_clear(&v);
    return est;
}

static bill_determinants *june(void)
{
    bill_determinants *d = NULL;
    if (bill_determinants_create(&d) != BILL_OK)
        abort();
    bill_determinants_set_period(d, su_period("2025-06-01/2025-07-01"));
    return d;
}

static void own_meter(bill_determinants *d, const char *serial, int digits, const char *from,
                      const char *to)
{
    CHECK_OK(bill_determinants_add_meter(d, serial, digits));
    CHECK_OK(bill_determinants_add_register(d, serial, "total", 0, 0));
    CHECK_OK(bill_determinants_add_segment(d, serial, su_date(from), su_date(to), 1, NULL, 0, 0));
}

static void test_det_normal(void)
{
    bill_determinants *d = june();
    CHECK_OK(bill_determinants_add_meter(d, "M-1", 6));
    CHECK_OK(bill_determinants_add_register(d, "M-1", "total", 0, 0));
    CHECK_OK(bill_determinants_add_register(d, "M-1", "peak", 0, 0));
    CHECK_OK(bill_determinants_add_register(d, "M-1", "valley", 0, 0));
    CHECK_OK(bill_determinants_add_segment(d, "M-1", su_date("2024-01-01"), su_date("9999-12-31"), 1, NULL,
                                           0, 0));
    CHECK_OK(rd(d, "M-1", "total", "2025-06-01", "1200.5", 0));
    CHECK_OK(rd(d, "M-1", "total", "2025-06-15", "1300", 0)); /* ignored: no cut there */
    CHECK_OK(rd(d, "M-1", "total", "2025-07-01", "1620.75", 0));
    CHECK_OK(rd(d, "M-1", "peak", "2025-06-01", "800", 0));
    CHECK_OK(rd(d, "M-1", "peak", "2025-07-01", "1100", 0));
    CHECK_OK(rd(d, "M-1", "valley", "2025-06-01", "400.5", 0));
    CHECK_OK(rd(d, "M-1", "valley", "2025-07-01", "520.75", 0));
    CHECK_ERR(rd(d, "M-1", "valley", "2025-07-01", "521", 0), BILL_EEXISTS);
    CHECK_ERR(rd(d, "M-1", "kvarh", "2025-07-01", "1", 0), BILL_ENOTFOUND);
    CHECK_ERR(bill_determinants_add_register(d, "M-1", "peak", 0, 0), BILL_EEXISTS);
    CHECK_INT(bill_determinants_count(d), 0);
    CHECK_OK(bill_determinants_compute(d));
    CHECK_INT(bill_determinants_count(d), 3);
    CHECK_STR(bill_determinants_code(d, 0), "peak");
    CHECK_STR(bill_determinants_code(d, 1), "total");
    CHECK_STR(bill_determinants_code(d, 2), "valley");
    CHECK_STR(Q(d, "total"), "420.25");
    CHECK_STR(Q(d, "peak"), "300");
    CHECK_STR(Q(d, "valley"), "120.25");
    CHECK_INT(bill_determinants_days(d), 30);
    CHECK_INT(bill_determinants_any_estimated(d), 0);
    CHECK_ERR(bill_determinants_get(&(bill_dec)BILL_DEC_INIT, NULL, d, "flat"), BILL_ENOTFOUND);
    bill_determinants_free(d);
}

static void test_det_rollover_and_multiplier(void)
{
    bill_determinants *d = june();
    own_meter(d, "M-R", 4, "2025-01-01", "9999-12-31");
    CHECK_OK(rd(d, "M-R", "total", "2025-06-01", "9990", 0));
    CHECK_OK(rd(d, "M-R", "total", "2025-07-01", "0010", 0));
    CHECK_OK(mult(d, "M-R", "2025-01-01", "40"));
    CHECK_OK(bill_determinants_compute(d));
    CHECK_STR(Q(d, "total"), "800"); /* 20 × 40 */
    bill_determinants_free(d);

    /* a decrease that is no plausible rollover */
    d = june();
    own_meter(d, "M-D", 6, "2025-01-01", "9999-12-31");
    CHECK_OK(rd(d, "M-D", "total", "2025-06-01", "5000", 0));
    CHECK_OK(rd(d, "M-D", "total", "2025-07-01", "4000", 0));
    CHECK_ERR(bill_determinants_compute(d), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "meter M-D register total") != NULL);
    CHECK_INT(bill_determinants_count(d), 0);
    bill_determinants_free(d);
}

static void test_det_multiplier_change(void)
{
    bill_determinants *d = june();
    own_meter(d, "M-X", 6, "2025-01-01", "9999-12-31");
    CHECK_OK(mult(d, "M-X", "2025-01-01", "40"));
    CHECK_OK(mult(d, "M-X", "2025-06-16", "60"));
    CHECK_OK(rd(d, "M-X", "total", "2025-06-01", "100", 0));
    CHECK_OK(rd(d, "M-X", "total", "2025-07-01", "180", 0));
    CHECK_ERR(bill_determinants_compute(d), BILL_ENOTFOUND);
    CHECK(strstr(bill_errmsg(), "meter M-X register total: no reading at 2025-06-16 00:00 "
                                "(a multiplier change)") != NULL);
    CHECK_OK(rd(d, "M-X", "total", "2025-06-16", "150", 1));
    CHECK_OK(bill_determinants_compute(d));
    CHECK_STR(Q(d, "total"), "3800"); /* 50 × 40 + 30 × 60 */
    CHECK_INT(EST(d, "total"), 1);
    bill_determinants_free(d);
}

static void test_det_exchange(void)
{
    bill_determinants *d = june();
    CHECK_OK(bill_determinants_add_meter(d, "OLD", 5));
    CHECK_OK(bill_determinants_add_register(d, "OLD", "total", 0, 0));
    CHECK_OK(bill_determinants_add_register(d, "OLD", "md", 2, 0));
    CHECK_OK(bill_determinants_add_meter(d, "NEW", 6));
    CHECK_OK(bill_determinants_add_register(d, "NEW", "total", 0, 0));
    CHECK_OK(bill_determinants_add_register(d, "NEW", "md", 2, 0));
    CHECK_OK(mult(d, "NEW", "2025-06-11", "2"));
    CHECK_OK(bill_determinants_add_segment(d, "OLD", su_date("2020-01-01"), su_date("2025-06-11"), 1, NULL, 0,
                                           0));
    CHECK_OK(bill_determinants_add_segment(d, "NEW", su_date("2025-06-11"), su_date("9999-12-31"), 1, NULL, 0,
                                           0));
    CHECK_OK(rd(d, "OLD", "total", "2025-06-01", "1000", 0));
    CHECK_OK(rd(d, "OLD", "total", "2025-06-11", "1100", 0)); /* final reading */
    CHECK_OK(rd(d, "NEW", "total", "2025-06-11", "0", 0));    /* initial reading */
    CHECK_OK(rd(d, "OLD", "md", "2025-06-11", "5.2", 0));
    CHECK_OK(rd(d, "OLD", "md", "2025-06-01", "99", 0)); /* the previous period's maximum */
    CHECK_ERR(bill_determinants_compute(d), BILL_ENOTFOUND);
    CHECK(strstr(bill_errmsg(), "meter NEW register total: no reading at 2025-07-01 00:00 "
                                "(the period's end)") != NULL);
    CHECK_OK(rd(d, "NEW", "total", "2025-07-01", "125", 0));
    CHECK_ERR(bill_determinants_compute(d), BILL_ENOTFOUND); /* no demand reading yet */
    CHECK(strstr(bill_errmsg(), "meter NEW register md: no demand reading") != NULL);
    CHECK_OK(rd(d, "NEW", "md", "2025-07-01", "4.1", 1));
    CHECK_OK(bill_determinants_compute(d));
    CHECK_STR(Q(d, "total"), "350"); /* 100 + 125 × 2 */
    CHECK_STR(Q(d, "md"), "8.2");    /* max(5.2, 4.1 × 2), not a sum */
    CHECK_INT(EST(d, "md"), 1);
    CHECK_INT(EST(d, "total"), 0);
    bill_usage *u = NULL;
    CHECK_OK(bill_usage_create(&u));
    CHECK_OK(bill_determinants_to_usage(u, d));
    bill_usage_free(u);
    bill_determinants_free(d);
}

static void master_with_subs(bill_determinants *d, const char *s1, const char *s2)
{
    own_meter(d, "MASTER", 6, "2020-01-01", "9999-12-31");
    CHECK_OK(bill_determinants_add_meter(d, "SUB-1", 6));
    CHECK_OK(bill_determinants_add_register(d, "SUB-1", "total", 0, 0));
    CHECK_OK(bill_determinants_add_meter(d, "SUB-2", 6));
    CHECK_OK(bill_determinants_add_register(d, "SUB-2", "total", 0, 0));
    CHECK_OK(bill_determinants_add_segment(d, "SUB-1", su_date("2020-01-01"), su_date("9999-12-31"), -1,
                                           NULL, 0, 0));
    CHECK_OK(bill_determinants_add_segment(d, "SUB-2", su_date("2020-01-01"), su_date("9999-12-31"), -1,
                                           NULL, 0, 0));
    CHECK_OK(rd(d, "MASTER", "total", "2025-06-01", "10000", 0));
    CHECK_OK(rd(d, "MASTER", "total", "2025-07-01", "11000", 0));
    CHECK_OK(rd(d, "SUB-1", "total", "2025-06-01", "0", 0));
    CHECK_OK(rd(d, "SUB-1", "total", "2025-07-01", s1, 0));
    CHECK_OK(rd(d, "SUB-2", "total", "2025-06-01", "0", 0));
    CHECK_OK(rd(d, "SUB-2", "total", "2025-07-01", s2, 0));
}

static void test_det_master_minus_subs(void)
{
    bill_determinants *d = june();
    master_with_subs(d, "200", "300.5");
    CHECK_OK(bill_determinants_compute(d));
    CHECK_STR(Q(d, "total"), "499.5");
    bill_determinants_free(d);

    d = june();
    master_with_subs(d, "700", "400");
    CHECK_ERR(bill_determinants_compute(d), BILL_ERULE);
    CHECK(strstr(bill_errmsg(), "register total") != NULL);
    CHECK(strstr(bill_errmsg(), "net -100") != NULL);
    CHECK(strstr(bill_errmsg(), "master MASTER, sub SUB-1, sub SUB-2") != NULL);
    bill_determinants_free(d);
}

static void test_det_shared(void)
{
    bill_dec r[3];
    bill_dec_init(&r[0]);
    bill_dec_init(&r[1]);
    bill_dec_init(&r[2]);
    bill_dec_parse(&r[0], "0.3334", (size_t)-1);
    bill_dec_parse(&r[1], "0.3333", (size_t)-1);
    bill_dec_parse(&r[2], "0.3333", (size_t)-1);
    const char *want[3] = { "33.4", "33.3", "33.3" };
    for (size_t i = 0; i < 3; i++) {
        bill_determinants *d = june();
        CHECK_OK(bill_determinants_add_meter(d, "SH", 6));
        CHECK_OK(bill_determinants_add_register(d, "SH", "total", 0, 0));
        CHECK_ERR(bill_determinants_add_segment(d, "SH", su_date("2020-01-01"), su_date("9999-12-31"), 1, r,
                                                3, 3),
                  BILL_EINVAL);
        CHECK_OK(bill_determinants_add_segment(d, "SH", su_date("2020-01-01"), su_date("9999-12-31"), 1, r, 3,
                                               i));
        CHECK_OK(rd(d, "SH", "total", "2025-06-01", "500.0", 0));
        CHECK_OK(rd(d, "SH", "total", "2025-07-01", "600.0", 0));
        CHECK_OK(bill_determinants_compute(d));
        CHECK_STR(Q(d, "total"), want[i]);
        bill_determinants_free(d);
    }
    /* equal ratios: 100 kWh in three parts, the remainder unit to the first */
    bill_dec_parse(&r[0], "1", (size_t)-1);
    bill_dec_parse(&r[1], "1", (size_t)-1);
    bill_dec_parse(&r[2], "1", (size_t)-1);
    const char *want2[3] = { "34", "33", "33" };
    for (size_t i = 0; i < 3; i++) {
        bill_determinants *d = june();
        CHECK_OK(bill_determinants_add_meter(d, "SH", 6));
        CHECK_OK(bill_determinants_add_register(d, "SH", "total", 0, 0));
        CHECK_OK(bill_determinants_add_segment(d, "SH", su_date("2020-01-01"), su_date("9999-12-31"), 1, r, 3,
                                               i));
        CHECK_OK(rd(d, "SH", "total", "2025-06-01", "500", 0));
        CHECK_OK(rd(d, "SH", "total", "2025-07-01", "600", 0));
        CHECK_OK(bill_determinants_compute(d));
        CHECK_STR(Q(d, "total"), want2[i]);
        bill_determinants_free(d);
    }
    for (int i = 0; i < 3; i++)
        bill_dec_clear(&r[i]);
}

static void test_det_estimated(void)
{
    bill_determinants *d = june();
    CHECK_OK(bill_determinants_add_meter(d, "E", 6));
    CHECK_OK(bill_determinants_add_register(d, "E", "total", 0, 0));
    CHECK_OK(bill_determinants_add_register(d, "E", "kvarh", 1, 0));
    CHECK_OK(bill_determinants_add_segment(d, "E", su_date("2020-01-01"), su_date("9999-12-31"), 1, NULL, 0,
                                           0));
    CHECK_OK(rd(d, "E", "total", "2025-06-01", "10", 1));
    CHECK_OK(rd(d, "E", "total", "2025-07-01", "20", 0));
    CHECK_OK(rd(d, "E", "kvarh", "2025-06-01", "1", 0));
    CHECK_OK(rd(d, "E", "kvarh", "2025-07-01", "4", 0));
    CHECK_OK(bill_determinants_compute(d));
    CHECK_INT(EST(d, "total"), 1);
    CHECK_INT(EST(d, "kvarh"), 0);
    CHECK_INT(bill_determinants_kind(d, 0), 1);
    CHECK_INT(bill_determinants_estimated(d, 0), 0);
    CHECK_INT(bill_determinants_estimated(d, 5), -1);
    CHECK_INT(bill_determinants_any_estimated(d), 1);
    bill_determinants_free(d);
}

#define TOU_TARIFF                                                                              \
    "{\"format\": \"libbill-tariff/1\", \"id\": \"tou\", \"currency\": \"CNY\","               \
    " \"rounding\": {\"mode\": \"HALF_UP\", \"scale\": 2, \"apply\": \"line\"},"               \
    " \"price_basis\": \"vat_inclusive\", \"versions\": [{\"effective\": \"2020-01-01\","       \
    " \"schedules\": {\"s\": {\"granularity\": 30, \"seasons\": [{\"name\": \"all\","           \
    " \"months\": [1,2,3,4,5,6,7,8,9,10,11,12], \"day_types\": [\"working\", \"weekend\","      \
    " \"holiday\"], \"periods\": [{\"from\": \"08:00\", \"to\": \"22:00\", \"period\": \"peak\"}," \
    " {\"from\": \"22:00\", \"to\": \"08:00\", \"period\": \"valley\"}]}]}},"                  \
    " \"charges\": [{\"id\": \"energy\", \"type\": \"energy\", \"components\": [{\"name\":"    \
    " \"purchase\", \"price\": \"0.5\", \"tou\": true}], \"tou\": {\"schedule\": \"s\","        \
    " \"ratios\": {\"peak\": \"1.0\", \"valley\": \"0.5\"}}}]}]}"

static void test_det_tou_usage(void)
{
    bill_determinants *d = june();
    CHECK_OK(bill_determinants_add_meter(d, "M", 6));
    CHECK_OK(bill_determinants_add_register(d, "M", "total", 0, 0));
    CHECK_OK(bill_determinants_add_register(d, "M", "p", 0, 0));
    CHECK_OK(bill_determinants_add_register(d, "M", "valley", 0, 0));
    CHECK_OK(bill_determinants_add_segment(d, "M", su_date("2020-01-01"), su_date("9999-12-31"), 1, NULL, 0,
                                           0));
    CHECK_OK(rd(d, "M", "total", "2025-06-01", "0", 0));
    CHECK_OK(rd(d, "M", "total", "2025-07-01", "401", 0)); /* not the sum: the TOU ones count */
    CHECK_OK(rd(d, "M", "p", "2025-06-01", "0", 0));
    CHECK_OK(rd(d, "M", "p", "2025-07-01", "300", 0));
    CHECK_OK(rd(d, "M", "valley", "2025-06-01", "0", 0));
    CHECK_OK(rd(d, "M", "valley", "2025-07-01", "100", 0));
    CHECK_OK(bill_determinants_set_tou_map(d, "p", "peak"));
    bill_usage *u = NULL;
    CHECK_OK(bill_usage_create(&u));
    CHECK_ERR(bill_determinants_to_usage(u, d), BILL_ESTATE);
    CHECK_OK(bill_determinants_compute(d));
    CHECK_OK(bill_determinants_to_usage(u, d));
    bill_tariff *t = NULL;
    CHECK_OK(bill_tariff_load(&t, TOU_TARIFF, (size_t)-1, "tou.json"));
    bill_bill *b = NULL;
    CHECK_OK(bill_bill_create(&b));
    CHECK_OK(bill_tariff_compute(t, u, b));
    bill_dec tot = BILL_DEC_INIT;
    CHECK_OK(bill_bill_total(&tot, b));
    char buf[32];
    bill_dec_format(&tot, buf, sizeof buf);
    CHECK_STR(buf, "175.00"); /* 300 × 0.5 + 100 × 0.25 */
    /* without a mapping "p" is a TOU period the tariff does not know */
    CHECK_OK(bill_determinants_set_tou_map(d, "p", "p"));
    bill_usage_reset(u);
    CHECK_OK(bill_determinants_to_usage(u, d));
    CHECK_ERR(bill_tariff_compute(t, u, b), BILL_ERULE);
    bill_dec_clear(&tot);
    bill_bill_free(b);
    bill_tariff_free(t);
    bill_usage_free(u);
    bill_determinants_free(d);
}

static void test_det_missing_and_bad_input(void)
{
    bill_determinants *d = NULL;
    CHECK_OK(bill_determinants_create(&d));
    CHECK_ERR(bill_determinants_compute(d), BILL_ESTATE);
    CHECK_ERR(bill_determinants_set_period(d, su_period("2025-07-01/2025-06-01")), BILL_EDATE);
    CHECK_OK(bill_determinants_set_period(d, su_period("2025-06-01/2025-07-01")));
    CHECK_ERR(bill_determinants_add_segment(d, "M-7", su_date("2020-01-01"), su_date("9999-12-31"), 1, NULL, 0,
                                            0),
              BILL_ENOTFOUND);
    own_meter(d, "M-7", 6, "2020-01-01", "9999-12-31");
    CHECK_ERR(bill_determinants_add_meter(d, "M-7", 6), BILL_EEXISTS);
    CHECK_ERR(bill_determinants_add_meter(d, "", 6), BILL_ERANGE);
    CHECK_ERR(bill_determinants_add_meter(d, "M-8", 13), BILL_ERANGE);
    CHECK_ERR(bill_determinants_add_segment(d, "M-7", su_date("2020-01-01"), su_date("9999-12-31"), 0, NULL, 0,
                                            0),
              BILL_EINVAL);
    CHECK_ERR(rd(d, "M-7", "total", "2025-06-01", "-1", 0), BILL_ERANGE);
    CHECK_ERR(mult(d, "M-7", "2025-06-01", "0"), BILL_ERANGE);
    CHECK_ERR(bill_determinants_compute(d), BILL_ENOTFOUND);
    CHECK_STR(bill_errmsg(),
              "meter M-7 register total: no reading at 2025-06-01 00:00 (the period's start)");
    CHECK_OK(rd(d, "M-7", "total", "2025-06-01", "1", 0));
    CHECK_OK(rd(d, "M-7", "total", "2025-06-30", "2", 0)); /* not the boundary: no interpolation */
    CHECK_ERR(bill_determinants_compute(d), BILL_ENOTFOUND);
    CHECK(strstr(bill_errmsg(), "2025-07-01 00:00 (the period's end)") != NULL);
    CHECK_OK(rd(d, "M-7", "total", "2025-07-01", "1234567", 0));
    CHECK_ERR(bill_determinants_compute(d), BILL_ERANGE); /* does not fit 6 digits */
    /* reset forgets everything */
    bill_determinants_reset(d);
    CHECK_ERR(bill_determinants_compute(d), BILL_ESTATE);
    CHECK_INT(bill_determinants_days(d), 0);
    bill_determinants_free(d);
    bill_determinants_free(NULL);
}

void suite_determinants(void)
{
    RUN(test_det_normal);
    RUN(test_det_rollover_and_multiplier);
    RUN(test_det_multiplier_change);
    RUN(test_det_exchange);
    RUN(test_det_master_minus_subs);
    RUN(test_det_shared);
    RUN(test_det_estimated);
    RUN(test_det_tou_usage);
    RUN(test_det_missing_and_bad_input);
}
