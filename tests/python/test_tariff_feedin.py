"""Feed-in charges (net metering, net billing) and line kinds in the Python binding.

Hand-computed bills (the arithmetic is in the comments), the loader's
rejections with their JSON paths, the new line kinds, and the two-part usage
keywords giving the same bill as the usage JSON.
"""

import datetime
import json
import os
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

import bill

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JUNE = (datetime.date(2025, 6, 1), datetime.date(2025, 7, 1))


def path(*parts):
    return os.path.join(ROOT, *parts)


def tariff_text(charges, rounding="line", mode="HALF_UP", basis="vat_inclusive", vat=None):
    doc = {"format": "libbill-tariff/1", "id": "t", "name": "test", "currency": "CNY",
           "rounding": {"mode": mode, "scale": 2, "apply": rounding},
           "price_basis": basis,
           "versions": [{"effective": "2020-01-01", "charges": charges}]}
    if vat is not None:
        doc["vat_rate"] = vat
    return json.dumps(doc)


FLAT = {"id": "energy", "type": "energy", "price": "0.5"}


def feed(netting, price, **extra):
    return dict({"id": "solar", "type": "feed_in", "price": price, "netting": netting}, **extra)


def lines_sum(b):
    return sum((line.amount for line in b), Decimal(0))


def test_line_kind_names_follow_the_c_enum():
    assert [k.name for k in bill.LineKind] == [
        "FIXED", "ENERGY", "PER_KWH", "MINIMUM", "TAX", "ROUNDING",
        "CAPACITY", "DEMAND", "POWER_FACTOR", "CREDIT"]
    assert [int(k) for k in bill.LineKind] == list(range(10))


def test_net_metering_surplus_and_no_surplus():
    with bill.Tariff.load(tariff_text([FLAT, feed("net_metering", "0.3949")])) as t:
        # 220 exported offset the 100 imported; 120 x 0.3949 = 47.388 -> 47.39 credited
        with bill.Usage(period=JUNE, kwh="100", exported_kwh="220") as u:
            b = t.compute(u)
        assert [(l.kind, l.quantity, l.amount) for l in b] == [
            (bill.LineKind.ENERGY, Decimal("0"), Decimal("0.00")),
            (bill.LineKind.CREDIT, Decimal("-120"), Decimal("-47.39"))]
        assert b.lines[1].explanation == ("220 kWh exported offset 100 kWh imported (net "
                                          "metering); the surplus 120 kWh at 0.3949 credited")
        assert b.total == Decimal("-47.39") == lines_sum(b)
        # 420 - 120 = 300 x 0.5 = 150.00, a 0 credit line
        with bill.Usage(period=JUNE, kwh="420", exported_kwh="120") as u:
            b = t.compute(u)
        assert b.lines[0].quantity == 300 and b.total == Decimal("150.00")
        assert b.lines[1].kind == bill.LineKind.CREDIT and b.lines[1].amount == 0
        # no export: no credit line
        with bill.Usage(period=JUNE, kwh="420") as u:
            assert len(t.compute(u)) == 1


def test_net_metering_with_tou_spreads_the_offset():
    energy = {"id": "energy", "type": "energy", "price": "0.5",
              "tou": {"ratios": {"peak": "1.5", "valley": "0.5"}}}
    with bill.Tariff.load(tariff_text([energy, feed("net_metering", "0.4")])) as t, \
         bill.Usage(period=JUNE, tou_kwh={"peak": "300", "valley": "100"},
                    exported_kwh="100") as u:
        b = t.compute(u)
    # offset 100 shared 3 : 1: 225 x 0.75 + 75 x 0.25
    assert [(l.band, l.quantity, l.amount) for l in b.lines[:2]] == [
        ("peak", Decimal("225"), Decimal("168.75")), ("valley", Decimal("75"), Decimal("18.75"))]
    assert b.total == Decimal("187.50")


def test_net_billing_with_funds_and_vat():
    fund = {"id": "fund", "type": "per_kwh", "price": "0.03"}
    text = tariff_text([FLAT, fund, feed("net_billing", "0.4")], basis="vat_exclusive", vat="0.13")
    with bill.Tariff.load(text) as t, \
         bill.Usage(period=JUNE, kwh="400", exported_kwh="100") as u:
        b = t.compute(u)
    # 200.00 + 12.00 - 40.00 = 172.00; VAT 22.36
    assert [l.amount for l in b] == [Decimal("200.00"), Decimal("12.00"), Decimal("-40.00"),
                                     Decimal("22.36")]
    assert b.subtotal == Decimal("172.00") and b.tax == Decimal("22.36")
    assert b.total == Decimal("194.36") == lines_sum(b)


def test_vat_inclusive_credit_carries_its_tax():
    with bill.Tariff.load(tariff_text([FLAT, feed("net_billing", "0.4")], vat="0.13")) as t, \
         bill.Usage(period=JUNE, kwh="100", exported_kwh="300") as u:
        b = t.compute(u)
    # 50.00 - 120.00 = -70.00; tax -70 x 0.13 / 1.13 = -8.053 -> -8.05
    assert b.total == Decimal("-70.00") and b.tax == Decimal("-8.05") and b.tax_included


def test_negative_total_can_be_forfeited():
    charges = [FLAT, feed("net_billing", "0.4", allow_negative_total=False)]
    with bill.Tariff.load(tariff_text(charges)) as t, \
         bill.Usage(period=JUNE, kwh="10", exported_kwh="100") as u:
        b = t.compute(u)
    # 5.00 - 40.00 = -35.00: +35.00 forfeited
    assert b.lines[-1].kind == bill.LineKind.CREDIT and b.lines[-1].band == "forfeited"
    assert b.lines[-1].amount == Decimal("35.00") and b.total == Decimal("0.00")


def test_total_rounding_with_credits():
    charges = [{"id": "energy", "type": "energy", "price": "0.5283"}, feed("net_billing", "0.3949")]
    with bill.Tariff.load(tariff_text(charges, rounding="total")) as t, \
         bill.Usage(period=JUNE, kwh="7", exported_kwh="9") as u:
        b = t.compute(u)
    # 3.6981 - 3.5541 = 0.1440 -> 0.14 with a rounding line of -0.004
    assert [l.amount for l in b] == [Decimal("3.6981"), Decimal("-3.5541"), Decimal("-0.004")]
    assert b.lines[-1].kind == bill.LineKind.ROUNDING and b.total == Decimal("0.14")


@pytest.mark.parametrize("charge, code, where", [
    (feed("net", "0.4"), "ESYNTAX", "$.versions[0].charges[1].netting"),
    (feed("net_billing", "-0.4"), "ERANGE", "$.versions[0].charges[1].price"),
    (feed("net_billing", "0.4", funds="gross"), "ERULE", "$.versions[0].charges[1].funds"),
    (feed("net_metering", "0.4", carry_forward=True), "ESYNTAX", "carry_forward"),
])
def test_loader_rejections(charge, code, where):
    with pytest.raises(bill.InputError) as info:
        bill.Tariff.load(tariff_text([FLAT, charge]), "t.json")
    assert info.value.name == code and where in str(info.value) and "t.json" in str(info.value)


def test_two_feed_in_charges_are_rejected():
    second = dict(feed("net_billing", "0.3"), id="solar2")
    with pytest.raises(bill.BillError) as info:
        bill.Tariff.load(tariff_text([FLAT, feed("net_metering", "0.4"), second]))
    assert info.value.name == "ECONFLICT" and "$.versions[0].charges[2].type" in str(info.value)


def test_example_solar_bill():
    with bill.Tariff.load_file(path("examples", "tariffs", "cn-residential-solar.json")) as t, \
         bill.Usage(period=JUNE, household_size=3, kwh="420", ytd_kwh="2761",
                    exported_kwh="310") as u:
        b = t.compute(u)
    # 359 x 0.5283 = 189.66, 61 x 0.5783 = 35.28, 310 x 0.3949 = 122.419 -> -122.42
    assert [l.amount for l in b] == [Decimal("189.66"), Decimal("35.28"), Decimal("-122.42")]
    assert b.lines[2].explanation.startswith("310 kWh exported at 0.3949 credited")
    assert b.total == Decimal("102.52")


def test_large_industry_line_kinds_and_keywords():
    with open(path("examples", "usage", "large-industry-june.json"), encoding="utf-8") as f:
        usage_json = f.read()
    kw = dict(period=JUNE, customer_class="large_industry", capacity_kva="3150",
              declared_kw="2000", max_demand_kw="2150",
              tou_kwh={"critical": "60000", "peak": "300000", "flat": "400000", "valley": "440000"},
              kvarh="712000", pf_standard="0.90")
    with bill.Tariff.load_file(path("examples", "tariffs", "cn-large-industry.json")) as t, \
         bill.Usage.from_json(usage_json) as u1, bill.Usage(**kw) as u2:
        b1, b2 = t.compute(u1), t.compute(u2)
    assert b1.json == b2.json
    kinds = {l.charge: l.kind for l in b1}
    assert kinds["basic"] == bill.LineKind.DEMAND and kinds["pf"] == bill.LineKind.POWER_FACTOR
    assert '"kind": "power_factor"' in b1.json and '"kind": "fixed"' not in b1.json


def test_capacity_and_suspension_lines_are_capacity_kind():
    cap = {"id": "cap", "type": "capacity", "price": "20"}
    with bill.Tariff.load(tariff_text([cap, FLAT])) as t, \
         bill.Usage(period=JUNE, kwh="10", capacity_kva="100",
                    suspended=[(datetime.date(2025, 6, 11), datetime.date(2025, 6, 21), "30")]) as u:
        b = t.compute(u)
    # 100 x 20 = 2000.00; 30 x 20 x 10 / 30 = 200.00 credited
    assert [(l.kind, l.amount) for l in b.lines[:2]] == [
        (bill.LineKind.CAPACITY, Decimal("2000.00")), (bill.LineKind.CAPACITY, Decimal("-200.00"))]


@settings(max_examples=60, deadline=None)
@given(imp=st.decimals(min_value=0, max_value=100000, places=2),
       exp=st.decimals(min_value=0, max_value=100000, places=2),
       netting=st.sampled_from(["net_metering", "net_billing"]),
       rounding=st.sampled_from(["line", "total"]))
def test_lines_add_up_to_the_total(imp, exp, netting, rounding):
    fund = {"id": "fund", "type": "per_kwh", "price": "0.029"}
    text = tariff_text([{"id": "energy", "type": "energy", "price": "0.5283"}, fund,
                        feed(netting, "0.3949")], rounding=rounding, basis="vat_exclusive",
                       vat="0.13")
    with bill.Tariff.load(text) as t, bill.Usage(period=JUNE, kwh=imp, exported_kwh=exp) as u:
        b = t.compute(u)
    assert lines_sum(b) == b.total
    credit = [l for l in b if l.kind == bill.LineKind.CREDIT]
    assert len(credit) == (1 if exp else 0)
    if netting == "net_metering" and exp:
        assert -credit[0].quantity == max(exp - imp, 0)
