/*
 * Batch billing (include/bill/batch.h): every account's total, subtotal and tax
 * must be those of bill_tariff_compute for the same usage, digit for digit,
 * whether the column kernel or the one-at-a-time path computed them; column
 * errors name the column and the account and change nothing; one account's
 * error leaves the others billed.
 */
#define _POSIX_C_SOURCE 200809L

#include "test.h"
#include "tariff_util.h"



static const char *const sets[3][4] = {{"peak", "valley"},
                                       {"critical", "peak", "flat", "valley"},
                                       {"peak", "flat", "valley"}};
static const int set_len[3] = {2, 4, 3};
static const char *const classes[] = {"residential", "commercial", "large_industry",
                                      "agricultural"};

static bill_period period(int y, int m, int d, int days)
{
    bill_period p;
    CHECK_OK(bill_date_from_ymd(&p.start, y, m, d));
    p.end.day = p.start.day + days;
    return p;
}

static int64_t p10(int s)
{
    int64_t p = 1;
    while (s-- > 0)
        p *= 10;
    return p;
}

/* one random batch under t, checked account by account against bill_tariff_compute */
static void one_batch(const bill_tariff *t, const char *what, bill_period p, size_t n,
                      int *kernel, int *accounts)
{
    bill_batch *b;
    CHECK_OK(bill_batch_create(&b, t, p, n));
    if (!b)
        return;
    int set = (int)tu_below(3), ntou = tu_chance(85) ? set_len[set] : 0;
    int64_t *tou[4] = {NULL, NULL, NULL, NULL}, *kwh = NULL, *ytd = NULL;
    int32_t tou_s[4], kwh_s = (int32_t)tu_below(4), ytd_s = (int32_t)tu_below(3);
    int32_t *house = NULL;
    const char **cls = NULL;
    const char *cls_all = classes[tu_below(4)];
    int64_t typical = tu_chance(70) ? 400 : 300000;
    for (int k = 0; k < ntou; k++) {
        tou[k] = malloc(n * sizeof *tou[k]);
        tou_s[k] = (int32_t)tu_below(4);
        for (size_t i = 0; i < n; i++)
            tou[k][i] = tu_chance(3) ? 0 : tu_below(typical * p10(tou_s[k]) / ntou + 1);
        CHECK_OK(bill_batch_set_tou_kwh(b, sets[set][k], tou[k], tou_s[k]));
    }
    if (ntou == 0 || tu_chance(10)) {
        kwh = malloc(n * sizeof *kwh);
        for (size_t i = 0; i < n; i++) {
            if (ntou == 0) {
                kwh[i] = tu_chance(3) ? 0 : tu_below(typical * p10(kwh_s) + 1);
            } else { /* the sum of the TOU values, now and then not */
                int64_t s = 0;
                kwh_s = 3;
                for (int k = 0; k < ntou; k++)
                    s += tou[k][i] * p10(3 - tou_s[k]);
                kwh[i] = s + (tu_chance(5) ? 1 : 0);
            }
        }
        CHECK_OK(bill_batch_set_kwh(b, kwh, kwh_s));
    }
    if (tu_chance(70)) {
        ytd = malloc(n * sizeof *ytd);
        for (size_t i = 0; i < n; i++)
            ytd[i] = tu_below(5000 * p10(ytd_s));
        CHECK_OK(bill_batch_set_ytd_kwh(b, ytd, ytd_s));
    }
    /* two-part columns, each sometimes missing */
    int64_t *tp[4] = {NULL, NULL, NULL, NULL};
    int32_t tp_s[4];
    static int (*const tp_set[4])(bill_batch *, const int64_t *, int32_t) = {
        bill_batch_set_capacity_kva, bill_batch_set_declared_kw, bill_batch_set_max_demand_kw,
        bill_batch_set_kvarh};
    static int (*const tp_use[4])(bill_usage *, const bill_dec *) = {
        bill_usage_set_capacity_kva, bill_usage_set_declared_kw, bill_usage_set_max_demand_kw,
        bill_usage_set_kvarh};
    static const int64_t tp_typ[4] = {6000, 3000, 3000, 0};
    for (int k = 0; k < 4; k++) {
        if (!tu_chance(80))
            continue;
        tp[k] = malloc(n * sizeof *tp[k]);
        tp_s[k] = (int32_t)tu_below(3);
        for (size_t i = 0; i < n; i++)
            tp[k][i] = tu_below((k == 3 ? typical + 1 : tp_typ[k]) * p10(tp_s[k]) + 1);
        CHECK_OK(tp_set[k](b, tp[k], tp_s[k]));
    }
    static const char *const stds[] = {"0.90", "0.85", "0.80"};
    const char *std = tu_chance(70) ? stds[tu_below(3)] : NULL;
    if (std)
        CHECK_OK(bill_batch_set_pf_standard(b, std));
    if (tu_chance(30)) {
        house = malloc(n * sizeof *house);
        for (size_t i = 0; i < n; i++)
            house[i] = (int32_t)tu_below(9);
        CHECK_OK(bill_batch_set_household_size(b, house));
    }
    if (tu_chance(40)) {
        cls = malloc(n * sizeof *cls);
        for (size_t i = 0; i < n; i++)
            cls[i] = classes[tu_below(4)];
        CHECK_OK(bill_batch_set_classes(b, cls));
    } else {
        CHECK_OK(bill_batch_set_class(b, cls_all));
    }
    CHECK_OK(bill_batch_compute(b));
    *kernel += (int)bill_batch_kernel_count(b);
    *accounts += (int)n;

    /* each account against bill_tariff_compute of a usage built here */
    bill_usage *u;
    bill_bill *bill;
    CHECK_OK(bill_usage_create(&u));
    CHECK_OK(bill_bill_create(&bill));
    bill_dec d = BILL_DEC_INIT, x = BILL_DEC_INIT;
    int bad = 0;
    size_t failed = 0;
    for (size_t i = 0; i < n && bad < 3; i++) {
        bill_usage_reset(u);
        CHECK_OK(bill_usage_set_period(u, p));
        CHECK_OK(bill_usage_set_class(u, cls ? cls[i] : cls_all));
        if (house && house[i] > 0)
            CHECK_OK(bill_usage_set_household_size(u, house[i]));
        for (int k = 0; k < ntou; k++) {
            CHECK_OK(bill_dec_set_i64(&d, tou[k][i], tou_s[k]));
            CHECK_OK(bill_usage_set_tou_kwh(u, sets[set][k], &d));
        }
        if (kwh) {
            CHECK_OK(bill_dec_set_i64(&d, kwh[i], kwh_s));
            CHECK_OK(bill_usage_set_kwh(u, &d));
        }
        if (ytd) {
            CHECK_OK(bill_dec_set_i64(&d, ytd[i], ytd_s));
            CHECK_OK(bill_usage_set_ytd_kwh(u, &d));
        }
        for (int k = 0; k < 4; k++)
            if (tp[k]) {
                CHECK_OK(bill_dec_set_i64(&d, tp[k][i], tp_s[k]));
                CHECK_OK(tp_use[k](u, &d));
            }
        if (std)
            CHECK_OK(bill_usage_set_pf_standard(u, std));
        int rc = bill_tariff_compute(t, u, bill);
        int st = bill_batch_status(b, i);
        if (rc != st) {
            bad++;
            TEST_FAIL_("%s account %zu: bill_tariff_compute %s, batch %s", what, i,
                       bill_status_name(rc), bill_status_name(st));
            continue;
        }
        if (rc != BILL_OK) {
            failed++;
            continue;
        }
        int (*get[3])(bill_dec *, const bill_bill *) = {bill_bill_total, bill_bill_subtotal,
                                                       bill_bill_tax};
        int (*bget[3])(bill_dec *, const bill_batch *, size_t) = {
            bill_batch_total, bill_batch_subtotal, bill_batch_tax};
        static const char *const names[3] = {"total", "subtotal", "tax"};
        for (int k = 0; k < 3; k++) {
            CHECK_OK(get[k](&d, bill));
            CHECK_OK(bget[k](&x, b, i));
            if (strcmp(tu_dstr(&d), tu_dstr(&x)) != 0) {
                bad++;
                TEST_FAIL_("%s account %zu (%s): %s %s, batch %s", what, i,
                           bill_batch_kernel_count(b) ? "kernel ran" : "one at a time", names[k],
                           tu_dstr(&d), tu_dstr(&x));
            } else {
                test_passed++;
            }
        }
    }
    if (bad == 0)
        CHECK_INT((int)bill_batch_failed(b), (int)failed);
    /* a few accounts' full bills: the same JSON as bill_tariff_compute's */
    for (int r = 0; r < 3; r++) {
        size_t i = (size_t)tu_below((int64_t)n);
        bill_bill *y;
        CHECK_OK(bill_bill_create(&y));
        CHECK_OK(bill_batch_usage(u, b, i));
        int r1 = bill_tariff_compute(t, u, bill), r2 = bill_batch_bill(y, b, i);
        CHECK_INT(r2, r1);
        if (r1 == BILL_OK && r2 == BILL_OK) {
            char *j1 = bill_bill_to_json(bill), *j2 = bill_bill_to_json(y);
            CHECK(j1 && j2 && strcmp(j1, j2) == 0);
            bill_free(j1);
            bill_free(j2);
        }
        bill_bill_free(y);
    }
    bill_dec_clear(&d);
    bill_dec_clear(&x);
    bill_usage_free(u);
    bill_bill_free(bill);
    for (int k = 0; k < 4; k++) {
        free(tou[k]);
        free(tp[k]);
    }
    free(kwh);
    free(ytd);
    free(house);
    free(cls);
    bill_batch_free(b);
}

static void test_batch_matches(void)
{
    bill_period periods[] = {period(2025, 6, 1, 30), period(2024, 2, 1, 29), period(2025, 3, 10, 30),
                             period(2024, 12, 10, 45), period(2025, 1, 1, 31)};
    tu_seed(0x9E3779B97F4A7C15ULL);
    int kernel = 0, accounts = 0, energy_kernel = 0, energy_accounts = 0, ind_kernel = 0;
    for (size_t f = 0; f < tu_example_count; f++) {
        bill_tariff *t = tu_example_tariff(tu_example_names[f]);
        if (!t)
            continue;
        for (size_t pi = 0; pi < sizeof periods / sizeof periods[0]; pi++)
            for (int r = 0; r < 6; r++) {
                int k0 = kernel, a0 = accounts;
                one_batch(t, tu_example_names[f], periods[pi], 1 + (size_t)tu_below(400), &kernel, &accounts);
                if (f < 4) {
                    energy_kernel += kernel - k0;
                    energy_accounts += accounts - a0;
                } else if (f == 4) {
                    ind_kernel += kernel - k0;
                }
            }
        bill_tariff_free(t);
    }
    if (getenv("FAST_TEST_VERBOSE"))
        printf("batch: %d accounts, %d by the kernel (%d of %d under energy-only tariffs, %d "
               "large industry)\n", accounts, kernel, energy_kernel, energy_accounts, ind_kernel);
    /* the kernel took a good part of the energy-only tariffs' accounts, and not all */
    CHECK(energy_kernel > energy_accounts / 4);
    CHECK(ind_kernel > 100); /* two-part: whole months with the columns it reads */
    CHECK(kernel < accounts);
}

static void test_batch_columns(void)
{
    bill_tariff *t = tu_example_tariff("cn-residential-annual-tou.json");
    if (!t)
        return;
    bill_batch *b;
    bill_period p = period(2025, 6, 1, 30);
    CHECK_ERR(bill_batch_create(&b, t, p, 0), BILL_EINVAL);
    CHECK_ERR(bill_batch_create(&b, t, (bill_period){p.start, p.start}, 3), BILL_EINVAL);
    CHECK_OK(bill_batch_create(&b, t, p, 3));
    CHECK_INT((int)bill_batch_size(b), 3);
    int64_t peak[3] = {3000, 6000, 0}, valley[3] = {1200, 3000, 0}, ytd[3] = {2761, 4500, 0};
    int64_t neg[3] = {1, -5, 2}, huge[3] = {1, 2, 1000000000000000LL};
    CHECK_ERR(bill_batch_status(b, 0), BILL_ESTATE);
    CHECK_ERR(bill_batch_set_tou_kwh(b, "peak", neg, 1), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "tou_kwh 'peak' of account 1 must not be negative") != NULL);
    CHECK_ERR(bill_batch_set_ytd_kwh(b, huge, 0), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "ytd_kwh of account 2 is too large") != NULL);
    CHECK_ERR(bill_batch_set_kwh(b, peak, 13), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "scale 13") != NULL);
    CHECK_ERR(bill_batch_set_tou_kwh(b, "pe ak", peak, 1), BILL_ESYNTAX);
    CHECK_ERR(bill_batch_set_class(b, ""), BILL_ESYNTAX);
    const char *cls[3] = {"residential", "bad class", "residential"};
    CHECK_ERR(bill_batch_set_classes(b, cls), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "of account 1") != NULL);
    int32_t house[3] = {1, 1001, 0};
    CHECK_ERR(bill_batch_set_household_size(b, house), BILL_ERANGE);
    CHECK(strstr(bill_errmsg(), "account 1") != NULL);
    CHECK_ERR(bill_batch_set_pf_standard(b, "0.95"), BILL_ERANGE);
    CHECK_ERR(bill_batch_set_kwh(NULL, peak, 0), BILL_EINVAL);
    CHECK_ERR(bill_batch_set_kwh(b, NULL, 0), BILL_EINVAL);

    /* nothing above changed the batch: the valid columns give the hand-computed bills */
    CHECK_OK(bill_batch_set_class(b, "residential"));
    CHECK_OK(bill_batch_set_tou_kwh(b, "peak", peak, 1));
    CHECK_OK(bill_batch_set_tou_kwh(b, "valley", valley, 1));
    CHECK_OK(bill_batch_set_ytd_kwh(b, ytd, 0));
    CHECK_OK(bill_batch_compute(b));
    bill_dec d = BILL_DEC_INIT;
    CHECK_OK(bill_batch_total(&d, b, 0));
    CHECK_STR(tu_dstr(&d), "213.54");
    CHECK_OK(bill_batch_total(&d, b, 1));
    CHECK_STR(tu_dstr(&d), "637.47");
    CHECK_OK(bill_batch_total(&d, b, 2));
    CHECK_STR(tu_dstr(&d), "0.00");
    CHECK_OK(bill_batch_tax(&d, b, 0));
    CHECK_STR(tu_dstr(&d), "24.57");
    CHECK_INT((int)bill_batch_kernel_count(b), 3);
    CHECK_INT((int)bill_batch_failed(b), 0);
    CHECK_ERR(bill_batch_total(&d, b, 3), BILL_ERANGE);
    /* a column set again replaces the old one; the results wait for bill_batch_compute */
    int64_t peak2[3] = {3010, 6000, 0};
    CHECK_OK(bill_batch_set_tou_kwh(b, "peak", peak2, 1));
    CHECK_ERR(bill_batch_total(&d, b, 0), BILL_ESTATE);
    CHECK_OK(bill_batch_compute(b));
    CHECK_OK(bill_batch_total(&d, b, 0));
    CHECK_STR(tu_dstr(&d), "214.15"); /* 301.0 x 0.5583 = 168.05, tier 2 kWh 62 x 0.05 = 3.10 */
    bill_dec_clear(&d);
    bill_batch_free(b);
    bill_tariff_free(t);
}

/* One account's error leaves the others billed; values beyond int64 come from the bill. */
static void test_batch_errors(void)
{
    bill_tariff *t = tu_example_tariff("cn-commercial-tou.json");
    if (!t)
        return;
    bill_batch *b;
    CHECK_OK(bill_batch_create(&b, t, period(2025, 6, 1, 30), 3));
    int64_t c[3] = {12050, 0, 999999999999999LL}, pk[3] = {134000, 0, 999999999999999LL},
            fl[3] = {150025, 1000, 999999999999999LL}, va[3] = {221000, 0, 999999999999999LL};
    int64_t total[3] = {517075, 1000, 1};
    CHECK_OK(bill_batch_set_class(b, "commercial"));
    CHECK_OK(bill_batch_set_tou_kwh(b, "critical", c, 2));
    CHECK_OK(bill_batch_set_tou_kwh(b, "peak", pk, 2));
    CHECK_OK(bill_batch_set_tou_kwh(b, "flat", fl, 2));
    CHECK_OK(bill_batch_set_tou_kwh(b, "valley", va, 2));
    CHECK_OK(bill_batch_set_kwh(b, total, 2)); /* account 2 disagrees */
    CHECK_OK(bill_batch_compute(b));
    CHECK_INT((int)bill_batch_failed(b), 1);
    bill_dec d = BILL_DEC_INIT;
    CHECK_OK(bill_batch_total(&d, b, 0));
    CHECK_STR(tu_dstr(&d), "3422.90");
    CHECK_OK(bill_batch_total(&d, b, 1));
    CHECK_STR(tu_dstr(&d), "56.50");
    CHECK(bill_batch_status(b, 2) < 0);
    CHECK(bill_batch_total(&d, b, 2) < 0);
    CHECK(strstr(bill_errmsg(), "account 2") != NULL);
    bill_bill *bill;
    CHECK_OK(bill_bill_create(&bill));
    int st2 = bill_batch_status(b, 2);
    CHECK(bill_batch_bill(bill, b, 2) == st2);
    CHECK(strstr(bill_errmsg(), "not to the total") != NULL);
    bill_dec_clear(&d);
    bill_bill_free(bill);
    bill_batch_free(b);
    bill_tariff_free(t);

    /* a total beyond int64 (an absurd price): billed one at a time, read from its bill */
    t = tu_load("{'format': 'libbill-tariff/1', 'id': 'x', 'name': 'x', 'currency': 'CNY',"
                " 'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'},"
                " 'price_basis': 'vat_exclusive', 'vat_rate': '0.13',"
                " 'versions': [{'effective': '2020-01-01', 'charges': ["
                "  {'id': 'e', 'type': 'energy', 'name': 'Energy', 'price': '123456789.1234'}]}]}");
    if (!t)
        return;
    int64_t kwh[2] = {1000, 999999999999999LL};
    CHECK_OK(bill_batch_create(&b, t, period(2025, 6, 1, 30), 2));
    CHECK_OK(bill_batch_set_class(b, "commercial"));
    CHECK_OK(bill_batch_set_kwh(b, kwh, 0));
    CHECK_OK(bill_batch_compute(b));
    CHECK_INT((int)bill_batch_failed(b), 0);
    CHECK_INT((int)bill_batch_kernel_count(b), 1);
    CHECK_OK(bill_bill_create(&bill));
    CHECK_OK(bill_batch_bill(bill, b, 1));
    bill_dec e = BILL_DEC_INIT;
    CHECK_OK(bill_bill_total(&e, bill));
    CHECK_OK(bill_batch_total(&d, b, 1));
    CHECK_STR(tu_dstr(&d), tu_dstr(&e));
    CHECK(strlen(tu_dstr(&d)) > 19);
    CHECK_OK(bill_batch_tax(&d, b, 1));
    CHECK_OK(bill_bill_tax(&e, bill));
    CHECK_STR(tu_dstr(&d), tu_dstr(&e));
    bill_dec_clear(&d);
    bill_dec_clear(&e);
    bill_bill_free(bill);
    bill_batch_free(b);
    bill_tariff_free(t);
}

int64_t billi_test_pdiv(int64_t d, int64_t x);

/* The kernel's division by 10^d by multiplying, against the division, at its edges. */
static void test_batch_pdiv(void)
{
    int bad = 0;
    tu_seed(12345);
    for (int32_t d = 1; d <= 18 && bad < 3; d++) {
        int64_t dd = p10(d);
        int64_t xs[] = {0, 1, dd - 1, dd, dd + 1, 2 * dd - 1, INT64_MAX, INT64_MAX - 1,
                        INT64_MAX / dd * dd, INT64_MAX / dd * dd - 1};
        for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++)
            if (billi_test_pdiv(d, xs[k]) != xs[k] / dd) {
                bad++;
                TEST_FAIL_("floor(%lld / 10^%d)", (long long)xs[k], (int)d);
            }
        for (int r = 0; r < 20000; r++) {
            int64_t x = (int64_t)(tu_rnd() >> (1 + tu_below(63)));
            if (tu_chance(50)) /* near a multiple */
                x = x / dd * dd - (int64_t)tu_below(2);
            if (x < 0)
                continue;
            if (billi_test_pdiv(d, x) != x / dd) {
                bad++;
                TEST_FAIL_("floor(%lld / 10^%d)", (long long)x, (int)d);
            }
        }
    }
    /* any divisor (1 + VAT rate at its scale: 113, 1130, 10600, ...) */
    static const int64_t dvs[] = {2, 3, 7, 113, 1130, 1090, 10600, 1000003, 999999999989LL,
                                  ((int64_t)1 << 61) + 1};
    for (size_t k = 0; k < sizeof dvs / sizeof dvs[0] && bad < 3; k++)
        for (int r = 0; r < 20000; r++) {
            int64_t x = (int64_t)(tu_rnd() >> (1 + tu_below(63)));
            if (r < 4)
                x = r < 2 ? INT64_MAX - r : dvs[k] - 1 + r - 2;
            if (billi_test_pdiv(-dvs[k], x) != x / dvs[k]) {
                bad++;
                TEST_FAIL_("floor(%lld / %lld)", (long long)x, (long long)dvs[k]);
            }
        }
    CHECK_INT(bad, 0);
}

void suite_batch(void)
{
    RUN(test_batch_pdiv);
    RUN(test_batch_matches);
    RUN(test_batch_columns);
    RUN(test_batch_errors);
}
