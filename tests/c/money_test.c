/* Tests for money and the ISO 4217 table (include/bill/money.h). */
#include "test.h"

/* Text of m into a static buffer (one use per expression). */
static const char *str(const bill_money *m)
{
    static char buf[256];
    char *s = bill_money_to_str(m);
    snprintf(buf, sizeof buf, "%s", s ? s : "(null)");
    bill_free(s);
    return buf;
}

static void test_currency_find(void)
{
    const bill_currency *c = NULL, *c2 = NULL;
    CHECK_OK(bill_currency_find(&c, "CNY"));
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_STR(c->code, "CNY");
    CHECK_INT(c->numeric, 156);
    CHECK_INT(c->minor_units, 2);
    CHECK(strstr(c->name, "renminbi") != NULL);
    /* case-insensitive, same static entry */
    CHECK_OK(bill_currency_find(&c2, "cny"));
    CHECK(c2 == c);
    CHECK_OK(bill_currency_find(&c2, "Cny"));
    CHECK(c2 == c);

    static const struct { const char *code; int numeric, minor; } known[] = {
        {"USD", 840, 2}, {"EUR", 978, 2}, {"GBP", 826, 2}, {"JPY", 392, 0}, {"KRW", 410, 0},
        {"KWD", 414, 3}, {"BHD", 48, 3},  {"JOD", 400, 3}, {"OMR", 512, 3}, {"TND", 788, 3},
        {"HKD", 344, 2}, {"TWD", 901, 2}, {"INR", 356, 2}, {"CHF", 756, 2}, {"CAD", 124, 2},
        {"AUD", 36, 2},  {"SGD", 702, 2}, {"MOP", 446, 2}, {"VND", 704, 0}, {"CLP", 152, 0},
        {"ISK", 352, 0}, {"IQD", 368, 3}, {"LYD", 434, 3}, {"RUB", 643, 2}, {"BRL", 986, 2},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        c = NULL;
        CHECK_OK(bill_currency_find(&c, known[i].code));
        if (!c)
            continue;
        CHECK_STR(c->code, known[i].code);
        CHECK_INT(c->numeric, known[i].numeric);
        CHECK_INT(c->minor_units, known[i].minor);
    }
    CHECK_OK(bill_currency_find(&c, "usd"));
    CHECK_STR(c->code, "USD");

    static const bill_currency dummy = {"ZZZ", 0, 0, "sentinel"};
    const bill_currency *sentinel = &dummy; /* must survive failures */
    c = sentinel;
    CHECK_ERR(bill_currency_find(&c, "XYZ"), BILL_ECURRENCY);
    CHECK(strstr(bill_errmsg(), "XYZ") != NULL);
    CHECK_ERR(bill_currency_find(&c, ""), BILL_ECURRENCY);
    CHECK_ERR(bill_currency_find(&c, "CN"), BILL_ECURRENCY);
    CHECK_ERR(bill_currency_find(&c, "CNYX"), BILL_ECURRENCY);
    CHECK_ERR(bill_currency_find(&c, " CNY"), BILL_ECURRENCY);
    CHECK_ERR(bill_currency_find(&c, "156"), BILL_ECURRENCY);
    CHECK_ERR(bill_currency_find(&c, "RMB"), BILL_ECURRENCY);
    CHECK(c == sentinel);
    CHECK_ERR(bill_currency_find(NULL, "CNY"), BILL_EINVAL);
    CHECK_ERR(bill_currency_find(&c, NULL), BILL_EINVAL);
}

static void test_currency_table(void)
{
    size_t n = bill_currency_count();
    CHECK(n >= 40);
    CHECK(bill_currency_at(n) == NULL);
    CHECK(bill_currency_at((size_t)-1) == NULL);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const bill_currency *c = bill_currency_at(i), *found = NULL;
        if (!c || !c->code || strlen(c->code) != 3 || !c->name || !c->name[0]) {
            bad++;
            continue;
        }
        for (int k = 0; k < 3; k++)
            bad += !(c->code[k] >= 'A' && c->code[k] <= 'Z');
        bad += c->numeric < 1 || c->numeric > 999;
        bad += c->minor_units < 0 || c->minor_units > 4;
        /* sorted, unique, and each entry is found by its code */
        if (i > 0)
            bad += strcmp(bill_currency_at(i - 1)->code, c->code) >= 0;
        bad += bill_currency_find(&found, c->code) != BILL_OK || found != c;
        for (size_t j = 0; j < i; j++)
            bad += bill_currency_at(j)->numeric == c->numeric;
    }
    CHECK_INT(bad, 0);
}

static void test_parse_set_format(void)
{
    bill_money m = BILL_MONEY_INIT, k;
    bill_money_init(&k);
    CHECK_STR(k.currency, "");
    CHECK_OK(bill_money_parse(&m, "123.45", "CNY"));
    CHECK_STR(str(&m), "CNY 123.45");
    CHECK_STR(m.currency, "CNY");
    CHECK_OK(bill_money_parse(&m, "1.50", "usd"));
    CHECK_STR(str(&m), "USD 1.50"); /* code canonicalised, scale kept */
    CHECK_OK(bill_money_parse(&m, "-0.5", "EUR"));
    CHECK_STR(str(&m), "EUR -0.5");
    CHECK_OK(bill_money_parse(&m, "1.5E+3", "JPY"));
    CHECK_STR(str(&m), "JPY 1500");
    CHECK_OK(bill_money_parse(&m, "123456789012345678901234567890.12", "CNY"));
    CHECK_STR(str(&m), "CNY 123456789012345678901234567890.12");

    /* failures leave m alone */
    CHECK_OK(bill_money_parse(&m, "9.99", "CNY"));
    CHECK_ERR(bill_money_parse(&m, "1.2.3", "CNY"), BILL_ESYNTAX);
    CHECK(strstr(bill_errmsg(), "1.2.3") != NULL);
    CHECK_ERR(bill_money_parse(&m, "12", "ABC"), BILL_ECURRENCY);
    CHECK(strstr(bill_errmsg(), "ABC") != NULL);
    CHECK_ERR(bill_money_parse(&m, " 12", "CNY"), BILL_ESYNTAX);
    CHECK_STR(str(&m), "CNY 9.99");
    CHECK_ERR(bill_money_parse(NULL, "1", "CNY"), BILL_EINVAL);
    CHECK_ERR(bill_money_parse(&m, NULL, "CNY"), BILL_EINVAL);
    CHECK_ERR(bill_money_parse(&m, "1", NULL), BILL_EINVAL);

    bill_dec d = BILL_DEC_INIT;
    CHECK_OK(bill_dec_parse(&d, "0.5283", (size_t)-1));
    CHECK_OK(bill_money_set(&m, &d, "cny"));
    CHECK_STR(str(&m), "CNY 0.5283");
    CHECK_ERR(bill_money_set(&m, &d, "CNH"), BILL_ECURRENCY);
    CHECK_STR(str(&m), "CNY 0.5283");
    CHECK_ERR(bill_money_set(&m, NULL, "CNY"), BILL_EINVAL);
    CHECK_ERR(bill_money_set(NULL, &d, "CNY"), BILL_EINVAL);

    CHECK_OK(bill_money_copy(&k, &m));
    CHECK_STR(str(&k), "CNY 0.5283");
    CHECK_OK(bill_money_copy(&k, &k));
    CHECK_STR(str(&k), "CNY 0.5283");
    CHECK_ERR(bill_money_copy(NULL, &m), BILL_EINVAL);
    CHECK_ERR(bill_money_copy(&k, NULL), BILL_EINVAL);

    /* no currency yet: no text */
    bill_money unset = BILL_MONEY_INIT;
    CHECK(bill_money_to_str(&unset) == NULL);
    CHECK_INT(bill_errcode(), BILL_ECURRENCY);
    CHECK(bill_money_to_str(NULL) == NULL);
    CHECK_INT(bill_errcode(), BILL_EINVAL);

    bill_money_clear(&m);
    CHECK_STR(m.currency, "");
    CHECK_INT(bill_dec_is_zero(&m.amount), 1);
    bill_money_clear(&k);
    bill_money_clear(NULL);
    bill_money_init(NULL);
    bill_dec_clear(&d);
}

static void test_arithmetic(void)
{
    bill_money a = BILL_MONEY_INIT, b = BILL_MONEY_INIT, r = BILL_MONEY_INIT, u = BILL_MONEY_INIT;
    CHECK_OK(bill_money_parse(&a, "1648.56", "CNY"));
    CHECK_OK(bill_money_parse(&b, "12.00", "CNY"));
    CHECK_OK(bill_money_add(&r, &a, &b));
    CHECK_STR(str(&r), "CNY 1660.56");
    CHECK_OK(bill_money_sub(&r, &b, &a));
    CHECK_STR(str(&r), "CNY -1636.56");
    CHECK_OK(bill_money_neg(&r, &r));
    CHECK_STR(str(&r), "CNY 1636.56");
    int cmp = 9;
    CHECK_OK(bill_money_cmp(&cmp, &a, &b));
    CHECK_INT(cmp, 1);
    CHECK_OK(bill_money_cmp(&cmp, &b, &a));
    CHECK_INT(cmp, -1);
    CHECK_OK(bill_money_parse(&r, "12", "cny"));
    CHECK_OK(bill_money_cmp(&cmp, &b, &r)); /* 12.00 == 12 */
    CHECK_INT(cmp, 0);
    /* results may alias operands */
    CHECK_OK(bill_money_add(&a, &a, &b));
    CHECK_STR(str(&a), "CNY 1660.56");

    /* price × quantity keeps every digit; rounding is explicit */
    bill_dec price = BILL_DEC_INIT;
    CHECK_OK(bill_money_parse(&a, "3120.5", "CNY"));
    CHECK_OK(bill_dec_parse(&price, "0.5283", (size_t)-1));
    CHECK_OK(bill_money_mul(&r, &a, &price));
    CHECK_STR(str(&r), "CNY 1648.56015");
    CHECK_OK(bill_money_round(&r, &r, BILL_ROUND_HALF_UP));
    CHECK_STR(str(&r), "CNY 1648.56");

    /* mixing currencies */
    CHECK_OK(bill_money_parse(&u, "5.00", "USD"));
    CHECK_OK(bill_money_parse(&r, "7.77", "CNY"));
    CHECK_ERR(bill_money_add(&r, &a, &u), BILL_ECURRENCY);
    CHECK(strstr(bill_errmsg(), "CNY") != NULL && strstr(bill_errmsg(), "USD") != NULL);
    CHECK_ERR(bill_money_sub(&r, &u, &a), BILL_ECURRENCY);
    CHECK(strstr(bill_errmsg(), "USD and CNY") != NULL);
    CHECK_ERR(bill_money_cmp(&cmp, &a, &u), BILL_ECURRENCY);
    CHECK_STR(str(&r), "CNY 7.77"); /* unchanged */
    /* an amount without a currency */
    bill_money unset = BILL_MONEY_INIT;
    CHECK_ERR(bill_money_add(&r, &a, &unset), BILL_ECURRENCY);
    CHECK(strstr(bill_errmsg(), "no currency") != NULL);
    CHECK_ERR(bill_money_neg(&r, &unset), BILL_ECURRENCY);
    CHECK_ERR(bill_money_mul(&r, &unset, &price), BILL_ECURRENCY);
    CHECK_ERR(bill_money_round(&r, &unset, BILL_ROUND_HALF_UP), BILL_ECURRENCY);
    CHECK_STR(str(&r), "CNY 7.77");
    /* NULL arguments */
    CHECK_ERR(bill_money_add(NULL, &a, &a), BILL_EINVAL);
    CHECK_ERR(bill_money_sub(&r, NULL, &a), BILL_EINVAL);
    CHECK_ERR(bill_money_mul(&r, &a, NULL), BILL_EINVAL);
    CHECK_ERR(bill_money_neg(&r, NULL), BILL_EINVAL);
    CHECK_ERR(bill_money_cmp(NULL, &a, &a), BILL_EINVAL);
    CHECK_ERR(bill_money_round(NULL, &a, BILL_ROUND_HALF_UP), BILL_EINVAL);

    bill_dec_clear(&price);
    bill_money_clear(&a);
    bill_money_clear(&b);
    bill_money_clear(&r);
    bill_money_clear(&u);
}

/* Round `amount` in `cur` with `mode`; expect the text `want`. */
static void check_round(const char *amount, const char *cur, int mode, const char *want)
{
    bill_money a = BILL_MONEY_INIT, r = BILL_MONEY_INIT;
    CHECK_OK(bill_money_parse(&a, amount, cur));
    CHECK_OK(bill_money_round(&r, &a, mode));
    const char *got = str(&r);
    if (strcmp(got, want) == 0)
        test_passed++;
    else
        TEST_FAIL_("round(%s %s, %s) == \"%s\", expected \"%s\"", cur, amount,
                   bill_rounding_name(mode), got, want);
    bill_money_clear(&a);
    bill_money_clear(&r);
}

static void test_round(void)
{
    check_round("2.345", "CNY", BILL_ROUND_HALF_UP, "CNY 2.35");
    check_round("2.344", "CNY", BILL_ROUND_HALF_UP, "CNY 2.34");
    check_round("-2.345", "CNY", BILL_ROUND_HALF_UP, "CNY -2.35");
    check_round("2.345", "CNY", BILL_ROUND_HALF_EVEN, "CNY 2.34");
    check_round("2.345", "CNY", BILL_ROUND_DOWN, "CNY 2.34");
    check_round("2.341", "CNY", BILL_ROUND_UP, "CNY 2.35");
    check_round("1648.56015", "CNY", BILL_ROUND_HALF_UP, "CNY 1648.56");
    check_round("100", "CNY", BILL_ROUND_HALF_UP, "CNY 100.00");   /* pads to fen */
    check_round("0.5", "CNY", BILL_ROUND_HALF_UP, "CNY 0.50");
    check_round("1234.5", "JPY", BILL_ROUND_HALF_UP, "JPY 1235");
    check_round("1234.4", "JPY", BILL_ROUND_HALF_UP, "JPY 1234");
    check_round("-1234.5", "JPY", BILL_ROUND_HALF_UP, "JPY -1235");
    check_round("1234.5", "JPY", BILL_ROUND_HALF_EVEN, "JPY 1234");
    check_round("999.99", "KRW", BILL_ROUND_HALF_UP, "KRW 1000");
    check_round("1.2345", "KWD", BILL_ROUND_HALF_UP, "KWD 1.235");
    check_round("1.2345", "KWD", BILL_ROUND_HALF_DOWN, "KWD 1.234");
    check_round("1.23449", "KWD", BILL_ROUND_HALF_UP, "KWD 1.234");
    check_round("7", "BHD", BILL_ROUND_HALF_UP, "BHD 7.000");
    check_round("2.35", "CNY", BILL_ROUND_UNNECESSARY, "CNY 2.35");

    bill_money a = BILL_MONEY_INIT, r = BILL_MONEY_INIT;
    CHECK_OK(bill_money_parse(&a, "2.345", "CNY"));
    CHECK_OK(bill_money_parse(&r, "1.00", "USD"));
    CHECK_ERR(bill_money_round(&r, &a, BILL_ROUND_UNNECESSARY), BILL_EROUNDING);
    CHECK_STR(str(&r), "USD 1.00");
    bill_money_clear(&a);
    bill_money_clear(&r);
}

static void test_allocate(void)
{
    bill_money total = BILL_MONEY_INIT, parts[4] = {BILL_MONEY_INIT, BILL_MONEY_INIT,
                                                    BILL_MONEY_INIT, BILL_MONEY_INIT};
    bill_money sum = BILL_MONEY_INIT;
    int cmp = 9;

    /* 100.00 CNY into 3: the extra fen goes to the first part by default */
    CHECK_OK(bill_money_parse(&total, "100.00", "CNY"));
    CHECK_OK(bill_money_allocate(parts, 3, &total, NULL, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_STR(str(&parts[0]), "CNY 33.34");
    CHECK_STR(str(&parts[1]), "CNY 33.33");
    CHECK_STR(str(&parts[2]), "CNY 33.33");
    CHECK_OK(bill_money_add(&sum, &parts[0], &parts[1]));
    CHECK_OK(bill_money_add(&sum, &sum, &parts[2]));
    CHECK_OK(bill_money_cmp(&cmp, &sum, &total));
    CHECK_INT(cmp, 0);
    /* installments: the remainder to the last */
    CHECK_OK(bill_money_allocate(parts, 3, &total, NULL, BILL_REMAINDER_TO_LAST));
    CHECK_STR(str(&parts[0]), "CNY 33.33");
    CHECK_STR(str(&parts[1]), "CNY 33.33");
    CHECK_STR(str(&parts[2]), "CNY 33.34");
    /* 100 yuan written without decimals is already in minor units */
    CHECK_OK(bill_money_parse(&total, "100", "cny"));
    CHECK_OK(bill_money_allocate(parts, 3, &total, NULL, BILL_REMAINDER_TO_LAST));
    CHECK_STR(str(&parts[2]), "CNY 33.34");
    /* by ratios 1:2, largest fraction */
    bill_dec ratios[2] = {BILL_DEC_INIT, BILL_DEC_INIT};
    CHECK_OK(bill_dec_set_i64(&ratios[0], 1, 0));
    CHECK_OK(bill_dec_set_i64(&ratios[1], 2, 0));
    CHECK_OK(bill_money_parse(&total, "100.00", "CNY"));
    CHECK_OK(bill_money_allocate(parts, 2, &total, ratios, BILL_REMAINDER_LARGEST_FRACTION));
    CHECK_STR(str(&parts[0]), "CNY 33.33");
    CHECK_STR(str(&parts[1]), "CNY 66.67");

    /* JPY: whole yen; parts of another currency are overwritten */
    CHECK_OK(bill_money_parse(&parts[3], "1.00", "USD"));
    CHECK_OK(bill_money_parse(&total, "1000", "JPY"));
    CHECK_OK(bill_money_allocate(parts, 4, &total, NULL, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_STR(str(&parts[0]), "JPY 250");
    CHECK_STR(str(&parts[3]), "JPY 250");
    CHECK_OK(bill_money_allocate(parts, 3, &total, NULL, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_STR(str(&parts[0]), "JPY 334");
    CHECK_STR(str(&parts[1]), "JPY 333");
    CHECK_STR(str(&parts[2]), "JPY 333");
    /* KWD: fils */
    CHECK_OK(bill_money_parse(&total, "10.000", "KWD"));
    CHECK_OK(bill_money_allocate(parts, 3, &total, NULL, BILL_REMAINDER_TO_LAST));
    CHECK_STR(str(&parts[0]), "KWD 3.333");
    CHECK_STR(str(&parts[2]), "KWD 3.334");

    /* not in minor units: round first */
    CHECK_OK(bill_money_parse(&parts[0], "1.00", "CNY"));
    CHECK_OK(bill_money_parse(&total, "1000.5", "JPY"));
    CHECK_ERR(bill_money_allocate(parts, 3, &total, NULL, BILL_REMAINDER_SPREAD_FIRST), BILL_EROUNDING);
    CHECK(strstr(bill_errmsg(), "JPY") != NULL && strstr(bill_errmsg(), "1000.5") != NULL);
    CHECK_OK(bill_money_parse(&total, "100.001", "CNY"));
    CHECK_ERR(bill_money_allocate(parts, 3, &total, NULL, BILL_REMAINDER_SPREAD_FIRST), BILL_EROUNDING);
    CHECK_STR(str(&parts[0]), "CNY 1.00"); /* untouched */
    /* a total of 100.000 has zero digits beyond the fen: allowed */
    CHECK_OK(bill_money_parse(&total, "100.000", "CNY"));
    CHECK_OK(bill_money_allocate(parts, 3, &total, NULL, BILL_REMAINDER_SPREAD_FIRST));
    CHECK_STR(str(&parts[0]), "CNY 33.34");
    /* bad arguments */
    bill_money unset = BILL_MONEY_INIT;
    CHECK_ERR(bill_money_allocate(parts, 3, &unset, NULL, 0), BILL_ECURRENCY);
    CHECK_ERR(bill_money_allocate(parts, 0, &total, NULL, 0), BILL_EINVAL);
    CHECK_ERR(bill_money_allocate(NULL, 3, &total, NULL, 0), BILL_EINVAL);
    CHECK_ERR(bill_money_allocate(parts, 3, NULL, NULL, 0), BILL_EINVAL);
    CHECK_STR(str(&parts[0]), "CNY 33.34");

    for (int i = 0; i < 4; i++)
        bill_money_clear(&parts[i]);
    bill_dec_clear(&ratios[0]);
    bill_dec_clear(&ratios[1]);
    bill_money_clear(&total);
    bill_money_clear(&sum);
}

void suite_money(void)
{
    RUN(test_currency_find);
    RUN(test_currency_table);
    RUN(test_parse_set_format);
    RUN(test_arithmetic);
    RUN(test_round);
    RUN(test_allocate);
}
