"""The split scale through the Python binding: a period split into segments (a
tariff version change, 1 January for annual tiers) shares each quantity by days
at scale max(split_scale, the value's decimals without trailing zeros), so
Decimal("769") and Decimal("769.00") give byte-identical bills (JSON and text)
for total kWh, TOU registers, exported kWh and kvarh; the parts add up to the
value; a one-segment bill shows the value as written.
"""

import datetime
import json
import os
from decimal import Decimal

import pytest

import bill

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
D = datetime.date
# 1 + 5 days around the 2025-07-01 change, and around 1 January
AROUND_JULY = (D(2025, 6, 30), D(2025, 7, 6))
AROUND_NEW_YEAR = (D(2025, 12, 31), D(2026, 1, 6))
WRITINGS = [Decimal("769"), Decimal("769.00"), Decimal("769.000"), "769.0", 769]


def example(name):
    return bill.Tariff.load_file(os.path.join(ROOT, "examples", "tariffs", name + ".json"))


def split_tariff(split_scale=None, extra_charges=()):
    """One price changed on 2025-07-01 (and any extra charges in both versions); split_scale is
    the JSON text of the setting, or None for none."""
    def version(effective, price):
        return {"effective": effective,
                "charges": [{"id": "energy", "type": "energy", "price": price}, *extra_charges]}
    doc = {"format": "libbill-tariff/1", "id": "t", "name": "test", "currency": "CNY",
           "rounding": {"mode": "HALF_UP", "scale": 2, "apply": "line"},
           "price_basis": "vat_inclusive",
           "versions": [version("2020-01-01", "0.5283"), version("2025-07-01", "0.5483")]}
    text = json.dumps(doc)
    if split_scale is not None:  # the JSON token as written ("2", "1.5", "\"2\"")
        text = text.replace('"versions"', '"split_scale": ' + split_scale + ', "versions"', 1)
    return bill.Tariff.load(text, "t.json")


def bills(t, values, **usage):
    """(json, text) of the bill for each value, put where usage has the key's value None (for
    tou_kwh: the peak register, the valley being 231)."""
    out = []
    for v in values:
        kw = {k: (v if x is None else x) for k, x in usage.items()}
        if "tou_kwh" in usage and usage["tou_kwh"] is None:
            kw["tou_kwh"] = {"peak": v, "valley": Decimal("231")}
        with bill.Usage(**kw) as u:
            b = t.compute(u)
        out.append((b.json, b.text))
    return out


def assert_all_equal(results):
    assert all(r == results[0] for r in results[1:]), results


def test_total_kwh_written_any_way_gives_one_bill():
    with split_tariff() as t:
        results = bills(t, WRITINGS, period=AROUND_JULY, kwh=None)
        assert_all_equal(results)
        with bill.Usage(period=AROUND_JULY, kwh=Decimal("769")) as u:
            b = t.compute(u)
        # 769 x 1/6 = 128.1666.. and x 5/6 = 640.8333.., shared at 2 decimals
        assert [str(line.quantity) for line in b] == ["128.17", "640.83"]
        assert sum(line.quantity for line in b) == Decimal("769")
    with example("cn-residential-monthly-seasonal") as t:
        assert_all_equal(bills(t, WRITINGS, period=AROUND_JULY, kwh=None))
    with example("cn-residential-annual") as t:
        assert_all_equal(bills(t, WRITINGS, period=AROUND_NEW_YEAR, ytd_kwh="3100", kwh=None))


def test_tou_registers():
    with example("cn-residential-annual-tou") as t:
        results = bills(t, WRITINGS, period=AROUND_NEW_YEAR, ytd_kwh="3100", tou_kwh=None)
        assert_all_equal(results)
        with bill.Usage(period=AROUND_NEW_YEAR, tou_kwh={"peak": Decimal("769.00"),
                                                         "valley": Decimal("231")}) as u:
            b = t.compute(u)
        peak = [line.quantity for line in b if line.band == "peak"]
        assert [str(q) for q in peak] == ["128.17", "640.83"] and sum(peak) == Decimal("769")


def test_exported_kwh_solar():
    with example("cn-residential-solar") as t:
        results = bills(t, WRITINGS, period=AROUND_NEW_YEAR, kwh=Decimal("420"),
                        ytd_kwh=Decimal("2761"), exported_kwh=None)
        assert_all_equal(results)
        with bill.Usage(period=AROUND_NEW_YEAR, kwh="420", exported_kwh=Decimal("769")) as u:
            b = t.compute(u)
        credits = [line.quantity for line in b if line.kind == bill.LineKind.CREDIT]
        assert [str(q) for q in credits] == ["-128.17", "-640.83"]
        assert sum(credits) == Decimal("-769")
        assert sum(line.amount for line in b) == b.total


def test_kvarh():
    pf = {"id": "pf", "type": "power_factor", "base": ["energy"], "standard": "0.90"}
    with split_tariff(extra_charges=[pf]) as t:
        assert_all_equal(bills(t, [Decimal("512"), Decimal("512.00"), Decimal("512.000")],
                               period=AROUND_JULY, kwh=Decimal("769"), kvarh=None))
        assert_all_equal(bills(t, WRITINGS, period=AROUND_JULY, kvarh=Decimal("512"), kwh=None))


@pytest.mark.parametrize("value", ["769", "0.07", "100.005", "3.14159", "999999.99", "0",
                                   "301", "600.5"])
def test_parts_add_up_at_the_split_scale(value):
    v = Decimal(value)
    want = max(2, -v.normalize().as_tuple().exponent)
    with split_tariff() as t, bill.Usage(period=(D(2025, 6, 16), D(2025, 7, 17)), kwh=v) as u:
        b = t.compute(u)
    assert sum(line.quantity for line in b) == v
    assert [-line.quantity.as_tuple().exponent for line in b] == [want, want]


def test_more_decimals_than_the_split_scale_are_kept():
    with split_tariff() as t:
        assert_all_equal(bills(t, [Decimal("769.125"), Decimal("769.1250")], period=AROUND_JULY,
                               kwh=None))
        with bill.Usage(period=AROUND_JULY, kwh=Decimal("769.125")) as u:
            b = t.compute(u)
        assert [str(line.quantity) for line in b] == ["128.188", "640.937"]


def test_one_segment_shows_the_value_as_written():
    with split_tariff() as t:
        quantities = []
        for v in [Decimal("769"), Decimal("769.00")]:
            with bill.Usage(period=(D(2025, 6, 1), D(2025, 6, 30)), kwh=v) as u:
                b = t.compute(u)
            quantities.append(str(b.lines[0].quantity))
            assert b.total == Decimal("406.26")  # 769 x 0.5283 = 406.2627
        assert quantities == ["769", "769.00"]


def test_split_scale_setting():
    with split_tariff(split_scale="0") as t:
        assert_all_equal(bills(t, WRITINGS, period=AROUND_JULY, kwh=None))
        with bill.Usage(period=AROUND_JULY, kwh=Decimal("769.00")) as u:
            assert [str(line.quantity) for line in t.compute(u)] == ["128", "641"]
    with split_tariff(split_scale="3") as t, bill.Usage(period=AROUND_JULY, kwh=769) as u:
        assert [str(line.quantity) for line in t.compute(u)] == ["128.167", "640.833"]
    for bad, name in [("7", "ERANGE"), ("-1", "ERANGE"), ('"2"', "ESYNTAX"),
                      ("1.5", "ESYNTAX")]:
        with pytest.raises(bill.InputError) as info:
            split_tariff(split_scale=bad)
        assert info.value.name == name and "$.split_scale" in str(info.value)
