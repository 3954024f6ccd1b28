/*
 * Tests for feed-in charges (net metering, net billing), credit lines and the
 * line kinds of capacity, demand and power-factor lines. Every expected
 * amount is computed by hand in the comment beside it.
 *
 * JSON is written with single quotes; tu_sq() turns them into double quotes.
 */
#include "test.h"
#include "tariff_util.h"
#include "bill/tariff.h"

static bill_usage *U;
static bill_bill *B;

#define HEAD(rounding, vat)                                                                  \
    "{'format': 'libbill-tariff/1', 'id': 't', 'name': 'test', 'currency': 'CNY', "          \
    "'rounding': " rounding ", " vat ", 'versions': ["
#define LINE_R "{'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}"
#define TOTAL_R "{'mode': 'HALF_UP', 'scale': 2, 'apply': 'total'}"
#define FLOOR_R "{'mode': 'FLOOR', 'scale': 2, 'apply': 'line'}"
#define INCL "'price_basis': 'vat_inclusive'"
#define INCL13 "'price_basis': 'vat_inclusive', 'vat_rate': '0.13'"
#define EXCL13 "'price_basis': 'vat_exclusive', 'vat_rate': '0.13'"
#define VERSION(eff, charges) "{'effective': '" eff "', 'charges': [" charges "]}"
#define ONE_R(rounding, vat, charges) HEAD(rounding, vat) VERSION("2020-01-01", charges) "]}"
#define ONE(charges) ONE_R(LINE_R, INCL, charges)

#define FLAT(price) "{'id': 'energy', 'type': 'energy', 'price': '" price "'}"
#define FEED(netting, price, extra)                                                           \
    "{'id': 'solar', 'type': 'feed_in', 'price': '" price "', 'netting': '" netting "'"    \
    extra "}"
#define NM(price) FEED("net_metering", price, "")
#define NB(price) FEED("net_billing", price, "")
#define JUNE "'period': '2025-06-01/2025-07-01'"

static void bill_with(const bill_tariff *t, const char *usage_text)
{
    char *j = tu_sq(usage_text);
    CHECK_OK(bill_usage_load(U, j, (size_t)-1, "u.json"));
    free(j);
    CHECK_OK(bill_tariff_compute(t, U, B));
}

#define bill(usage_text) bill_with(t, usage_text)

/* Line i: kind, charge, band, quantity, unit price, amount. */
#define CHECK_LINE(i, kind_, charge_, band_, qty, price, amt)                                \
    do {                                                                                      \
        bill_line_view v_;                                                                    \
        CHECK_OK(bill_bill_line(&v_, B, (i)));                                                \
        CHECK_INT(v_.kind, kind_);                                                            \
        CHECK_STR(v_.charge, charge_);                                                        \
        CHECK_STR(v_.band, band_);                                                            \
        CHECK_STR(tu_dstr(v_.quantity), qty);                                                    \
        CHECK_STR(tu_dstr(v_.unit_price), price);                                                \
        CHECK_STR(tu_dstr(v_.amount), amt);                                                      \
    } while (0)

#define CHECK_EXPLAIN(i, want)                                                                \
    do {                                                                                      \
        char *e_ = bill_bill_line_explain(B, (i));                                            \
        CHECK_STR(e_, want);                                                                  \
        bill_free(e_);                                                                        \
    } while (0)

#define CHECK_DEC(call, want)                                                                 \
    do {                                                                                      \
        bill_dec d_ = BILL_DEC_INIT;                                                          \
        CHECK_OK(call(&d_, B));                                                               \
        CHECK_STR(tu_dstr(&d_), want);                                                           \
        bill_dec_clear(&d_);                                                                  \
    } while (0)

/* The lines add up exactly to the total. */
static void check_sum(void)
{
    bill_dec s = BILL_DEC_INIT, tot = BILL_DEC_INIT;
    bill_line_view v;
    for (size_t i = 0; i < bill_bill_line_count(B); i++) {
        CHECK_OK(bill_bill_line(&v, B, i));
        CHECK_OK(bill_dec_add(&s, &s, v.amount));
    }
    CHECK_OK(bill_bill_total(&tot, B));
    if (bill_dec_cmp(&s, &tot) != 0)
        TEST_FAIL_("lines add up to %s, total %s", tu_dstr(&s), tu_dstr(&tot));
    else
        test_passed++;
    bill_dec_clear(&s);
    bill_dec_clear(&tot);
}

/* ---- loading ------------------------------------------------------------------------ */

static void test_feedin_load(void)
{
    bill_tariff *t = tu_load(ONE(FLAT("0.5") ", " NM("0.3949")));
    bill_tariff_free(t);
    t = tu_load(ONE(FLAT("0.5") ", " FEED("net_metering", "0", ", 'funds': 'gross', "
                                                              "'allow_negative_total': false, "
                                                              "'name': 'Solar'")));
    bill_tariff_free(t);
    /* the feed_in charge may come first: netting applies to the whole version */
    t = tu_load(ONE(NB("0.4") ", " FLAT("0.5")));
    bill_tariff_free(t);
}

static void test_feedin_rejections(void)
{
    /* two feed_in charges in one version */
    tu_reject(ONE(FLAT("0.5") ", " NM("0.4") ", {'id': 'solar2', 'type': 'feed_in', 'price': '0.3', "
               "'netting': 'net_billing'}"),
           BILL_ECONFLICT, "$.versions[0].charges[2].type");
    /* the netting rule is required and must be known */
    tu_reject(ONE(FLAT("0.5") ", {'id': 'solar', 'type': 'feed_in', 'price': '0.4'}"),
           BILL_ESYNTAX, "netting");
    tu_reject(ONE(FLAT("0.5") ", " FEED("net", "0.4", "")), BILL_ESYNTAX,
           "$.versions[0].charges[1].netting");
    /* the price is required and not negative */
    tu_reject(ONE(FLAT("0.5") ", {'id': 'solar', 'type': 'feed_in', 'netting': 'net_billing'}"),
           BILL_ESYNTAX, "price");
    tu_reject(ONE(FLAT("0.5") ", " NB("-0.4")), BILL_ERANGE, "$.versions[0].charges[1].price");
    tu_reject(ONE(FLAT("0.5") ", " NB("abc")), BILL_ESYNTAX, "$.versions[0].charges[1].price");
    /* funds: net or gross, and for net metering only */
    tu_reject(ONE(FLAT("0.5") ", " FEED("net_billing", "0.4", ", 'funds': 'gross'")), BILL_ERULE,
           "$.versions[0].charges[1].funds");
    tu_reject(ONE(FLAT("0.5") ", " FEED("net_metering", "0.4", ", 'funds': 'all'")), BILL_ESYNTAX,
           "$.versions[0].charges[1].funds");
    tu_reject(ONE(FLAT("0.5") ", " FEED("net_metering", "0.4", ", 'allow_negative_total': 'no'")),
           BILL_ESYNTAX, "$.versions[0].charges[1].allow_negative_total");
    /* unknown fields, with the list of allowed ones */
    tu_reject(ONE(FLAT("0.5") ", " FEED("net_metering", "0.4", ", 'carry_forward': true")),
           BILL_ESYNTAX, "netting, funds, allow_negative_total");
    /* a power-factor adjustment may not take the credits as its base */
    tu_reject(ONE(FLAT("0.5") ", " NB("0.4") ", {'id': 'pf', 'type': 'power_factor', "
               "'base': ['energy', 'solar']}"),
           BILL_ERULE, "$.versions[0].charges[2].base[1]");
}

/* ---- net metering ---------------------------------------------------------------------- */

static void test_net_metering(void)
{
    bill_tariff *t = tu_load(ONE(FLAT("0.5") ", " NM("0.3949")));
    /* surplus: 220 exported offset all 100 imported, 120 left: 120 x 0.3949 = 47.388 -> 47.39 */
    bill("{" JUNE ", 'kwh': '100', 'exported_kwh': '220'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "", "0", "0.5", "0.00");
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "-120", "0.3949", "-47.39");
    CHECK_EXPLAIN(1, "220 kWh exported offset 100 kWh imported (net metering); the surplus 120 "
                     "kWh at 0.3949 credited");
    CHECK_DEC(bill_bill_total, "-47.39");
    CHECK_DEC(bill_bill_subtotal, "-47.39");
    check_sum();
    /* no surplus: 420 - 120 = 300 net x 0.5 = 150.00, and a 0 credit line that says why */
    bill("{" JUNE ", 'kwh': '420', 'exported_kwh': '120'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "", "300", "0.5", "150.00");
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "0", "0.3949", "0.00");
    CHECK_EXPLAIN(1, "120 kWh exported offset 120 kWh imported (net metering): no surplus to "
                     "credit");
    CHECK_DEC(bill_bill_total, "150.00");
    check_sum();
    /* zero import: every exported kWh is surplus: 50 x 0.3949 = 19.745 -> 19.75 (half up) */
    bill("{" JUNE ", 'kwh': '0', 'exported_kwh': '50'}");
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "-50", "0.3949", "-19.75");
    CHECK_DEC(bill_bill_total, "-19.75");
    /* exactly balanced */
    bill("{" JUNE ", 'kwh': '80.5', 'exported_kwh': '80.5'}");
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "", "0.0", "0.5", "0.00");
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "0.0", "0.3949", "0.00");
    CHECK_DEC(bill_bill_total, "0.00");
    /* no export: no credit line */
    bill("{" JUNE ", 'kwh': '100'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    CHECK_DEC(bill_bill_total, "50.00");
    bill("{" JUNE ", 'kwh': '100', 'exported_kwh': '0'}");
    CHECK_INT(bill_bill_line_count(B), 1);
    bill_tariff_free(t);
}

static void test_net_metering_tiers(void)
{
    /* monthly tiers 200 / 400 at 0.5, +0.05, +0.30 */
    bill_tariff *t = tu_load(ONE(
        "{'id': 'energy', 'type': 'energy', 'price': '0.5', 'tiers': {'basis': 'monthly', "
        "'boundary': 'lower', 'thresholds': ['200', '400'], 'increments': ['0', '0.05', '0.30']}}, "
        NM("0.4")));
    /* 500 imported, 150 exported: the tiers price the net 350: 200 x 0.5 + 150 x 0.55 */
    bill("{" JUNE ", 'kwh': '500', 'exported_kwh': '150'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "tier 1", "200", "0.5", "100.00");
    CHECK_LINE(1, BILL_LINE_ENERGY, "energy", "tier 2", "150", "0.55", "82.50");
    CHECK_LINE(2, BILL_LINE_CREDIT, "solar", "", "0", "0.4", "0.00");
    CHECK_DEC(bill_bill_total, "182.50");
    check_sum();
    bill_tariff_free(t);

    /* annual tiers: the year-to-date advances by the net kWh (a two-year period) */
    t = tu_load(ONE(
        "{'id': 'energy', 'type': 'energy', 'price': '0.5', 'tiers': {'basis': 'annual', "
        "'boundary': 'lower', 'proration': 'none', 'thresholds': ['3120', '4800'], "
        "'increments': ['0', '0.05', '0.30']}}, " NM("0.4")));
    /* ytd 3000; 400 imported, 200 exported: net 200 = kWh 3000-3120 in tier 1, 3120-3200 tier 2 */
    bill("{" JUNE ", 'kwh': '400', 'exported_kwh': '200', 'ytd_kwh': '3000'}");
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "tier 1", "120", "0.5", "60.00");
    CHECK_LINE(1, BILL_LINE_ENERGY, "energy", "tier 2", "80", "0.55", "44.00");
    CHECK_EXPLAIN(1, "kWh 3120\xE2\x80\x93" "3200 of this year fall in tier 2 at 0.55");
    bill_tariff_free(t);
}

static void test_net_metering_tou(void)
{
    bill_tariff *t = tu_load(ONE(
        "{'id': 'energy', 'type': 'energy', 'price': '0.5', "
        "'tou': {'ratios': {'peak': '1.5', 'valley': '0.5'}}}, " NM("0.4")));
    /* offset 100 shared 300 : 100 -> 75 peak, 25 valley: 225 x 0.75 + 75 x 0.25 */
    bill("{" JUNE ", 'tou_kwh': {'peak': '300', 'valley': '100'}, 'exported_kwh': '100'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "peak", "225", "0.75", "168.75");
    CHECK_LINE(1, BILL_LINE_ENERGY, "energy", "valley", "75", "0.25", "18.75");
    CHECK_LINE(2, BILL_LINE_CREDIT, "solar", "", "0", "0.4", "0.00");
    CHECK_DEC(bill_bill_total, "187.50");
    check_sum();
    /* shares that do not divide: 1 kWh over 2 : 1 -> 0.667 and 0.333, largest fraction first:
     * the peak takes the whole kWh (at the finest scale of the values, here whole kWh) */
    bill("{" JUNE ", 'tou_kwh': {'peak': '2', 'valley': '1'}, 'exported_kwh': '1'}");
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "peak", "1", "0.75", "0.75");
    CHECK_LINE(1, BILL_LINE_ENERGY, "energy", "valley", "1", "0.25", "0.25");
    /* at the registers' scale: 1 kWh over 2.0 : 1.0 -> 0.7 and 0.3 (0.667 rounds to 0.6 + 1 unit) */
    bill("{" JUNE ", 'tou_kwh': {'peak': '2.0', 'valley': '1.0'}, 'exported_kwh': '1'}");
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "peak", "1.3", "0.75", "0.98");
    CHECK_LINE(1, BILL_LINE_ENERGY, "energy", "valley", "0.7", "0.25", "0.18");
    /* surplus with TOU: every period at 0, the rest credited */
    bill("{" JUNE ", 'tou_kwh': {'peak': '30', 'valley': '10'}, 'exported_kwh': '100'}");
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "peak", "0", "0.75", "0.00");
    CHECK_LINE(1, BILL_LINE_ENERGY, "energy", "valley", "0", "0.25", "0.00");
    CHECK_LINE(2, BILL_LINE_CREDIT, "solar", "", "-60", "0.4", "-24.00");
    check_sum();
    bill_tariff_free(t);
}

/* ---- net billing ----------------------------------------------------------------------- */

static void test_net_billing(void)
{
    bill_tariff *t = tu_load(ONE(
        "{'id': 'energy', 'type': 'energy', 'price': '0.5', 'tiers': {'basis': 'monthly', "
        "'boundary': 'lower', 'thresholds': ['200', '400'], 'increments': ['0', '0.05', '0.30']}}, "
        NB("0.3949")));
    /* all 500 imported kWh in their tiers; 150 x 0.3949 = 59.235 -> 59.24 credited */
    bill("{" JUNE ", 'kwh': '500', 'exported_kwh': '150'}");
    CHECK_INT(bill_bill_line_count(B), 4);
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "tier 1", "200", "0.5", "100.00");
    CHECK_LINE(1, BILL_LINE_ENERGY, "energy", "tier 2", "200", "0.55", "110.00");
    CHECK_LINE(2, BILL_LINE_ENERGY, "energy", "tier 3", "100", "0.80", "80.00");
    CHECK_LINE(3, BILL_LINE_CREDIT, "solar", "", "-150", "0.3949", "-59.24");
    CHECK_EXPLAIN(3, "150 kWh exported at 0.3949 credited (net billing: imports billed in full)");
    CHECK_DEC(bill_bill_total, "230.76");
    check_sum();
    /* zero import */
    bill("{" JUNE ", 'kwh': '0', 'exported_kwh': '120'}");
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "-120", "0.3949", "-47.39");
    CHECK_DEC(bill_bill_total, "-47.39");
    check_sum();
    bill_tariff_free(t);
}

/* ---- funds, VAT, minimum, negative totals, rounding ------------------------------------ */

static void test_feedin_funds_vat(void)
{
#define FUND "{'id': 'fund', 'type': 'per_kwh', 'price': '0.03'}"
    /* VAT-exclusive; funds on the net import (default) */
    bill_tariff *t = tu_load(ONE_R(LINE_R, EXCL13, FLAT("0.5") ", " FUND ", " NM("0.4")));
    /* net 300: 150.00 + 9.00 = 159.00; VAT 20.67 */
    bill("{" JUNE ", 'kwh': '400', 'exported_kwh': '100'}");
    CHECK_LINE(1, BILL_LINE_PER_KWH, "fund", "", "300", "0.03", "9.00");
    CHECK_LINE(3, BILL_LINE_TAX, "vat", "", "159.00", "0.13", "20.67");
    CHECK_DEC(bill_bill_total, "179.67");
    check_sum();
    /* surplus: -200 x 0.4 = -80.00; the credit lowers the VAT base: VAT -10.40 */
    bill("{" JUNE ", 'kwh': '100', 'exported_kwh': '300'}");
    CHECK_LINE(2, BILL_LINE_CREDIT, "solar", "", "-200", "0.4", "-80.00");
    CHECK_DEC(bill_bill_subtotal, "-80.00");
    CHECK_DEC(bill_bill_tax, "-10.40");
    CHECK_DEC(bill_bill_total, "-90.40");
    check_sum();
    bill_tariff_free(t);

    /* funds on the gross import: 400 x 0.03 = 12.00; 162.00 + VAT 21.06 */
    t = tu_load(ONE_R(LINE_R, EXCL13, FLAT("0.5") ", " FUND ", "
                     FEED("net_metering", "0.4", ", 'funds': 'gross'")));
    bill("{" JUNE ", 'kwh': '400', 'exported_kwh': '100'}");
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "", "300", "0.5", "150.00");
    CHECK_LINE(1, BILL_LINE_PER_KWH, "fund", "", "400", "0.03", "12.00");
    CHECK_DEC(bill_bill_total, "183.06");
    bill_tariff_free(t);

    /* VAT-inclusive: the credit carries its tax part: 50.00 - 120.00 = -70.00,
     * tax -70 x 0.13 / 1.13 = -8.053 -> -8.05 */
    t = tu_load(ONE_R(LINE_R, INCL13, FLAT("0.5") ", " FUND ", " NB("0.4")));
    bill("{" JUNE ", 'kwh': '100', 'exported_kwh': '300'}");
    CHECK_LINE(1, BILL_LINE_PER_KWH, "fund", "", "100", "0.03", "3.00");
    CHECK_LINE(2, BILL_LINE_CREDIT, "solar", "", "-300", "0.4", "-120.00");
    CHECK_DEC(bill_bill_total, "-67.00");
    CHECK_DEC(bill_bill_tax, "-7.71");
    CHECK(bill_bill_tax_included(B));
    check_sum();
    bill_tariff_free(t);
#undef FUND
}

static void test_feedin_minimum_negative(void)
{
#define MIN10 "{'id': 'min', 'type': 'minimum', 'amount': '10'}"
    bill_tariff *t = tu_load(ONE(FLAT("0.5") ", " NB("0.4") ", " MIN10));
    /* the minimum compares the charges before credits: 5.00 < 10 -> +5.00; then -40.00 */
    bill("{" JUNE ", 'kwh': '10', 'exported_kwh': '100'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "", "10", "0.5", "5.00");
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "-100", "0.4", "-40.00");
    CHECK_LINE(2, BILL_LINE_MINIMUM, "min", "", "1", "5.00", "5.00");
    CHECK_EXPLAIN(2, "The charges came to 5.00, below the minimum charge of 10.00: the difference "
                     "is added");
    CHECK_DEC(bill_bill_subtotal, "-30.00");
    CHECK_DEC(bill_bill_total, "-30.00");
    check_sum();
    bill_tariff_free(t);

    /* allow_negative_total false: the excess credit is forfeited, the total is 0 */
    t = tu_load(ONE_R(LINE_R, EXCL13, FLAT("0.5") ", "
                     FEED("net_billing", "0.4", ", 'allow_negative_total': false") ", " MIN10));
    bill("{" JUNE ", 'kwh': '10', 'exported_kwh': '100'}");
    CHECK_INT(bill_bill_line_count(B), 5);
    CHECK_LINE(3, BILL_LINE_CREDIT, "solar", "forfeited", "1", "30.00", "30.00");
    CHECK_EXPLAIN(3, "Credits exceed the charges by 30.00: the excess is forfeited, the bill does "
                     "not go below zero");
    CHECK_LINE(4, BILL_LINE_TAX, "vat", "", "0", "0.13", "0.00");
    CHECK_DEC(bill_bill_total, "0.00");
    check_sum();
    /* a positive bill is left alone: 100 x 0.5 = 50.00 - 40.00 = 10.00 + VAT 1.30 */
    bill("{" JUNE ", 'kwh': '100', 'exported_kwh': '100'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_DEC(bill_bill_total, "11.30");
    bill_tariff_free(t);
#undef MIN10
}

static void test_feedin_rounding(void)
{
    /* 7 x 0.5283 = 3.6981, 9 x 0.3949 = 3.5541 */
    bill_tariff *t = tu_load(ONE(FLAT("0.5283") ", " NB("0.3949")));
    bill("{" JUNE ", 'kwh': '7', 'exported_kwh': '9'}");
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "", "7", "0.5283", "3.70");
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "-9", "0.3949", "-3.55");
    CHECK_DEC(bill_bill_total, "0.15");
    bill_tariff_free(t);
    /* on the total: 3.6981 - 3.5541 = 0.1440 -> 0.14, a rounding line of -0.004 */
    t = tu_load(ONE_R(TOTAL_R, INCL, FLAT("0.5283") ", " NB("0.3949")));
    bill("{" JUNE ", 'kwh': '7', 'exported_kwh': '9'}");
    CHECK_INT(bill_bill_line_count(B), 3);
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "-9", "0.3949", "-3.5541");
    CHECK_LINE(2, BILL_LINE_ROUNDING, "rounding", "", "1", "-0.004", "-0.004");
    CHECK_DEC(bill_bill_total, "0.14");
    check_sum();
    bill_tariff_free(t);
    /* FLOOR: a credit's size is rounded like a charge's: 3.5541 -> 3.55, so -3.55 (not -3.56) */
    t = tu_load(ONE_R(FLOOR_R, INCL, FLAT("0.5283") ", " NB("0.3949")));
    bill("{" JUNE ", 'kwh': '7', 'exported_kwh': '9'}");
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "", "7", "0.5283", "3.69");
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "-9", "0.3949", "-3.55");
    CHECK_DEC(bill_bill_total, "0.14");
    bill_tariff_free(t);
}

/* A period across a version change: the exports are shared by days, netted per segment. */
static void test_feedin_segments(void)
{
    bill_tariff *t = tu_load(HEAD(LINE_R, INCL)
                            VERSION("2020-01-01", FLAT("0.5") ", " NM("0.4")) ", "
                            VERSION("2025-06-16", FLAT("0.6") ", " NM("0.45")) "]}");
    /* 300 imported -> 150 + 150; 330 exported -> 165 + 165: surplus 15 in each half (shared
     * by days at the split scale, 2 decimals) */
    bill("{" JUNE ", 'kwh': '300', 'exported_kwh': '330'}");
    CHECK_INT(bill_bill_line_count(B), 4);
    CHECK_LINE(0, BILL_LINE_ENERGY, "energy", "", "0.00", "0.5", "0.00");
    CHECK_LINE(1, BILL_LINE_CREDIT, "solar", "", "-15.00", "0.4", "-6.00");
    CHECK_LINE(3, BILL_LINE_CREDIT, "solar", "", "-15.00", "0.45", "-6.75");
    CHECK_EXPLAIN(1, "165.00 kWh exported offset 150.00 kWh imported (net metering); the surplus "
                     "15.00 kWh at 0.4 credited, in 2025-06-01/2025-06-16");
    CHECK_DEC(bill_bill_total, "-12.75");
    check_sum();
    /* the same bill handle without exports: no credit lines (nothing left from the last bill) */
    bill("{" JUNE ", 'kwh': '300'}");
    CHECK_INT(bill_bill_line_count(B), 2);
    CHECK_DEC(bill_bill_total, "165.00");
    bill_tariff_free(t);

    /* a version without feed_in ignores the exports */
    t = tu_load(HEAD(LINE_R, INCL) VERSION("2020-01-01", FLAT("0.5")) ", "
               VERSION("2025-06-16", FLAT("0.5") ", " NB("0.4")) "]}");
    bill("{" JUNE ", 'kwh': '300', 'exported_kwh': '31'}");
    /* 31 over 15 : 15 days -> 15.50 each at the split scale (2) */
    CHECK_INT(bill_bill_line_count(B), 3);
    bill_line_view v;
    CHECK_OK(bill_bill_line(&v, B, 2));
    CHECK_INT(v.kind, BILL_LINE_CREDIT);
    CHECK_STR(tu_dstr(v.quantity), "-15.50");
    check_sum();
    bill_tariff_free(t);
}

/* Lines add up to the total for many imports and exports, both rules, both roundings. */
static void test_feedin_sum_property(void)
{
    static const char *const tariffs[] = {
        ONE_R(LINE_R, EXCL13, FLAT("0.5283") ", {'id': 'f', 'type': 'per_kwh', 'price': '0.029'}, "
              NM("0.3949")),
        ONE_R(TOTAL_R, INCL13, FLAT("0.5283") ", " NB("0.3949")),
        ONE_R(TOTAL_R, EXCL13, FLAT("0.5283") ", "
              FEED("net_metering", "0.3949", ", 'allow_negative_total': false")),
        ONE_R(FLOOR_R, INCL13, "{'id': 'energy', 'type': 'energy', 'price': '0.5', "
              "'tou': {'ratios': {'peak': '1.69', 'valley': '0.46'}}}, " NM("0.41")),
    };
    int bad = 0;
    for (size_t k = 0; k < sizeof tariffs / sizeof *tariffs; k++) {
        bill_tariff *t = tu_load(tariffs[k]);
        for (int imp = 0; imp <= 500 && t; imp += 37) {
            for (int exp = 0; exp <= 500; exp += 41) {
                char u[256];
                if (k == 3)
                    snprintf(u, sizeof u, "{" JUNE ", 'tou_kwh': {'peak': '%d.3', 'valley': '%d'}, "
                             "'exported_kwh': '%d.7'}", imp, imp / 3, exp);
                else
                    snprintf(u, sizeof u, "{" JUNE ", 'kwh': '%d.25', 'exported_kwh': '%d'}",
                             imp, exp);
                char *j = tu_sq(u);
                int rc = bill_usage_load(U, j, (size_t)-1, "u.json");
                free(j);
                if (rc == BILL_OK)
                    rc = bill_tariff_compute(t, U, B);
                if (rc != BILL_OK) {
                    bad++;
                    continue;
                }
                bill_dec s = BILL_DEC_INIT, tot = BILL_DEC_INIT;
                bill_line_view v;
                for (size_t i = 0; i < bill_bill_line_count(B); i++)
                    if (bill_bill_line(&v, B, i) == BILL_OK)
                        bill_dec_add(&s, &s, v.amount);
                bill_bill_total(&tot, B);
                bad += bill_dec_cmp(&s, &tot) != 0;
                if (k == 2)
                    bad += bill_dec_sign(&tot) < 0;
                bill_dec_clear(&s);
                bill_dec_clear(&tot);
            }
        }
        bill_tariff_free(t);
    }
    CHECK_INT(bad, 0);
}

/* ---- line kinds ------------------------------------------------------------------------- */

/* Interval data: net metering would need the exports per interval (refused); net billing works. */
static void test_feedin_intervals(void)
{
    static const char *const head =
        "{'format': 'libbill-tariff/1', 'id': 't', 'currency': 'CNY', "
        "'rounding': {'mode': 'HALF_UP', 'scale': 2, 'apply': 'line'}, "
        "'price_basis': 'vat_inclusive', 'versions': [{'effective': '2020-01-01', "
        "'schedules': {'s': {'granularity': 60, 'seasons': [{'months': [1,2,3,4,5,6,7,8,9,10,11,12], "
        "'day_types': ['working', 'weekend', 'holiday'], 'periods': ["
        "{'from': '00:00', 'to': '12:00', 'period': 'off'}, "
        "{'from': '12:00', 'to': '24:00', 'period': 'on'}]}]}}, 'charges': ["
        "{'id': 'energy', 'type': 'energy', 'tou': {'schedule': 's', "
        "'prices': {'on': '0.20', 'off': '0.10'}}}, ";
    static const char *const nm = "{'id': 'solar', 'type': 'feed_in', 'price': '0.05', "
                                  "'netting': 'net_metering'}]}]}";
    static const char *const nb = "{'id': 'solar', 'type': 'feed_in', 'price': '0.05', "
                                  "'netting': 'net_billing'}]}]}";
    char text[2048];
    bill_dec one = BILL_DEC_INIT, exp = BILL_DEC_INIT, zero = BILL_DEC_INIT;
    bill_dec kwh[24];
    CHECK_OK(bill_dec_parse(&one, "1", (size_t)-1));
    CHECK_OK(bill_dec_parse(&exp, "5", (size_t)-1));
    for (int i = 0; i < 24; i++)
        kwh[i] = one;
    bill_period day;
    CHECK_OK(bill_period_parse(&day, "2025-06-02/2025-06-03", (size_t)-1));
    bill_datetime start;
    CHECK_OK(bill_datetime_make(&start, day.start, 0, 0));

    snprintf(text, sizeof text, "%s%s", head, nm);
    bill_tariff *t = tu_load(text);
    bill_usage_reset(U);
    CHECK_OK(bill_usage_set_period(U, day));
    CHECK_OK(bill_usage_set_intervals(U, start, 60, kwh, 24));
    CHECK_OK(bill_usage_set_exported_kwh(U, &exp));
    CHECK_ERR(bill_tariff_compute(t, U, B), BILL_EUNSUPPORTED);
    CHECK(strstr(bill_errmsg(), "exports per interval") != NULL);
    /* without exports the same usage bills: 12 kWh off at 0.10, 12 on at 0.20 */
    CHECK_OK(bill_dec_parse(&zero, "0", (size_t)-1));
    CHECK_OK(bill_usage_set_exported_kwh(U, &zero));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_DEC(bill_bill_total, "3.60");
    bill_tariff_free(t);

    snprintf(text, sizeof text, "%s%s", head, nb);
    t = tu_load(text);
    CHECK_OK(bill_usage_set_exported_kwh(U, &exp));
    CHECK_OK(bill_tariff_compute(t, U, B));
    CHECK_DEC(bill_bill_total, "3.35"); /* 3.60 - 5 x 0.05 */
    check_sum();
    bill_tariff_free(t);
}

static void test_line_kinds(void)
{
    bill_tariff *t = tu_load(ONE(
        "{'id': 'cap', 'type': 'capacity', 'price': '20'}, "
        "{'id': 'dem', 'type': 'demand', 'basis': 'contracted', 'price': '30'}, "
        FLAT("0.5") ", {'id': 'pf', 'type': 'power_factor', 'base': ['cap', 'dem', 'energy'], "
        "'standard': '0.90'}"));
    bill("{" JUNE ", 'kwh': '1000', 'kvarh': '500', 'capacity_kva': '100', 'declared_kw': '50', "
         "'max_demand_kw': '60', "
         "'suspended': [{'kva': '30', 'from': '2025-06-11', 'to': '2025-06-21'}]}");
    /* cap 2000.00, suspended -30 x 20 x 10/30 = -200.00, demand 52.5 x 30 = 1575.00,
     * excess 7.5 x 60 = 450.00, energy 500.00; PF 0.89 (1000 / sqrt(1000^2 + 500^2) = 0.894)
     * against 0.90: +0.5% of 4325.00 = 21.625 -> 21.63 */
    CHECK_INT(bill_bill_line_count(B), 6);
    CHECK_LINE(0, BILL_LINE_CAPACITY, "cap", "", "100", "20", "2000.00");
    CHECK_LINE(1, BILL_LINE_CAPACITY, "cap", "", "-30", "20", "-200.00");
    CHECK_LINE(2, BILL_LINE_DEMAND, "dem", "", "52.50", "30", "1575.00");
    CHECK_LINE(3, BILL_LINE_DEMAND, "dem", "excess", "7.50", "60", "450.00");
    CHECK_LINE(4, BILL_LINE_ENERGY, "energy", "", "1000", "0.5", "500.00");
    CHECK_LINE(5, BILL_LINE_PF, "pf", "", "4325.00", "0.50", "21.63");
    char *js = bill_bill_to_json(B);
    CHECK(js && strstr(js, "\"charge\": \"cap\", \"kind\": \"capacity\""));
    CHECK(js && strstr(js, "\"charge\": \"dem\", \"kind\": \"demand\""));
    CHECK(js && strstr(js, "\"charge\": \"pf\", \"kind\": \"power_factor\""));
    bill_free(js);
    bill_tariff_free(t);

    t = tu_load(ONE(FLAT("0.5") ", " NB("0.4")));
    bill("{" JUNE ", 'kwh': '10', 'exported_kwh': '5'}");
    js = bill_bill_to_json(B);
    CHECK(js && strstr(js, "\"charge\": \"solar\", \"kind\": \"credit\""));
    CHECK(js && strstr(js, "\"quantity\": \"-5\", \"unit\": \"kWh\", \"unit_price\": \"0.4\", "
                           "\"amount\": \"-2.00\""));
    bill_free(js);
    char *tx = bill_bill_to_text(B);
    CHECK(tx && strstr(tx, "  2. solar: -5 kWh x 0.4 = -2.00\n"));
    bill_free(tx);
    bill_tariff_free(t);
    /* the order of the enum is part of the ABI: the new kinds come after ROUNDING */
    CHECK_INT(BILL_LINE_ROUNDING, 5);
    CHECK_INT(BILL_LINE_CAPACITY, 6);
    CHECK_INT(BILL_LINE_DEMAND, 7);
    CHECK_INT(BILL_LINE_PF, 8);
    CHECK_INT(BILL_LINE_CREDIT, 9);
}

void suite_tariff_feedin(void)
{
    if (bill_usage_create(&U) != BILL_OK || bill_bill_create(&B) != BILL_OK)
        abort();
    RUN(test_feedin_load);
    RUN(test_feedin_rejections);
    RUN(test_net_metering);
    RUN(test_net_metering_tiers);
    RUN(test_net_metering_tou);
    RUN(test_net_billing);
    RUN(test_feedin_funds_vat);
    RUN(test_feedin_minimum_negative);
    RUN(test_feedin_rounding);
    RUN(test_feedin_segments);
    RUN(test_feedin_sum_property);
    RUN(test_feedin_intervals);
    RUN(test_line_kinds);
    bill_usage_free(U);
    bill_bill_free(B);
    U = NULL;
    B = NULL;
}
