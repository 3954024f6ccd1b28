"""What-if comparisons and tariff options in the Python binding (bill.WhatIf, bill.rank).

The rankings are worked by hand (see tests/c/whatif_test.c for the same
figures); the best declared demand is checked against plain bills."""

import datetime
import os
from decimal import Decimal

import pytest

import bill

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tariff_file(name):
    return bill.Tariff.load_file(os.path.join(ROOT, "examples", "tariffs", name))


def flat_tariff(tid, price):
    return bill.Tariff.load(
        '{"format": "libbill-tariff/1", "id": "%s", "currency": "CNY", '
        '"rounding": {"mode": "HALF_UP", "scale": 2, "apply": "line"}, '
        '"price_basis": "vat_inclusive", "versions": [{"effective": "2020-01-01", '
        '"charges": [{"id": "energy", "type": "energy", "price": "%s"}]}]}' % (tid, price))


TWO_PART = """{"format": "libbill-tariff/1", "id": "two-part", "currency": "CNY",
 "rounding": {"mode": "HALF_UP", "scale": 2, "apply": "line"}, "price_basis": "vat_inclusive",
 "versions": [{"effective": "2020-01-01",
  "options": {"basic_charge": {"values": ["capacity", "contracted_demand", "actual_demand"],
                               "default": "capacity"}},
  "charges": [
   {"id": "cap", "type": "capacity", "price": "24", "when": {"basic_charge": "capacity"}},
   {"id": "con", "type": "demand", "basis": "contracted", "price": "36",
    "when": {"basic_charge": "contracted_demand"}},
   {"id": "act", "type": "demand", "basis": "actual", "price": "36",
    "when": {"basic_charge": "actual_demand"}},
   {"id": "energy", "type": "energy", "price": "0.6"},
   {"id": "pf", "type": "power_factor", "base": ["cap", "con", "act", "energy"], "standard": "0.90"},
   {"id": "fund", "type": "per_kwh", "price": "0.0123"}]}]}"""


def month(m):
    return (datetime.date(2025, m, 1), datetime.date(2025, m + 1, 1))


def two_part_usages():
    rows = [(4, "100000", "540"), (5, "110000", "480"), (6, "120000", "500")]
    return [bill.Usage(period=month(m), kwh=kwh, kvarh="50000", capacity_kva="1000",
                       declared_kw="500", max_demand_kw=d) for m, kwh, d in rows]


def test_rank_by_hand_with_ties():
    a, b, c = flat_tariff("a", "0.5"), flat_tariff("b", "0.4"), flat_tariff("c", "0.5")
    us = [bill.Usage(period=month(1), kwh="100"), bill.Usage(period=month(2), kwh="200.5")]
    results = bill.rank([("a (current)", a, {}), ("b", b, {}), ("c", c, {})], us)
    assert [r.label for r in results] == ["b", "a (current)", "c"]   # the tie keeps the order
    assert [r.candidate for r in results] == [1, 0, 2]
    assert results[0].total == Decimal("120.20") and results[0].saving == Decimal("30.05")
    assert results[1].saving == Decimal("0.00")
    assert results[0].bills == (Decimal("40.00"), Decimal("80.20"))
    assert all(r.ok and r.error == "" for r in results)
    assert isinstance(results[0].total, Decimal)


def test_basis_ranking_and_failed_candidate():
    t = bill.Tariff.load(TWO_PART, "two-part.json")
    us = two_part_usages()
    with bill.WhatIf() as w:
        assert w.add("capacity", t) == 0
        assert w.add("contracted", t, {"basic_charge": "contracted_demand"}) == 1
        assert w.add("actual", t, {"basic_charge": "actual_demand"}) == 2
        assert w.add("typo", t, {"basic_charge": "actual"}) == 3
        assert w.add("declared 460", t, {"basic_charge": "contracted_demand"}, declared_kw="460") == 4
        assert len(w) == 5
        results = w.run(us)
    assert [r.label for r in results] == ["actual", "contracted", "declared 460", "capacity", "typo"]
    assert [r.total for r in results[:4]] == [Decimal("256781.28"), Decimal("258042.90"),
                                              Decimal("258734.78"), Decimal("274056.00")]
    assert results[0].saving == Decimal("17274.72")
    failed = results[4]
    assert not failed.ok and failed.status == "ERULE"
    assert failed.total is None and failed.saving is None and failed.bills is None
    assert "option 'basic_charge' has no value 'actual'" in failed.error
    # the usages keep their own (default) choice
    assert t.compute(us[0]).total == Decimal("85650.00")


def test_usage_options():
    t = bill.Tariff.load(TWO_PART)
    u = bill.Usage(period=month(6), kwh="100000", capacity_kva="1000", declared_kw="500",
                   max_demand_kw="540", options={"basic_charge": "contracted_demand"})
    assert t.compute(u).total == Decimal("81210.00")
    u.set_option("basic_charge", "actual_demand")
    assert t.compute(u).total == Decimal("80670.00")
    u.clear_options()
    assert t.compute(u).total == Decimal("85230.00")
    u.set_option("basic_charge", "nonsense")
    with pytest.raises(bill.InputError) as e:
        t.compute(u)
    assert e.value.name == "ERULE" and "nonsense" in str(e.value)
    with pytest.raises(bill.InputError):
        u.set_option("bad name", "x")
    j = bill.Usage.from_json('{"period": "2025-06-01/2025-07-01", "kwh": "100000", '
                             '"capacity_kva": "1000", "max_demand_kw": "540", '
                             '"options": {"basic_charge": "actual_demand"}}')
    assert t.compute(j).total == Decimal("80670.00")


def test_option_validation_in_the_loader():
    bad = TWO_PART.replace('"default": "capacity"', '"default": "kva"')
    with pytest.raises(bill.InputError) as e:
        bill.Tariff.load(bad, "bad.json")
    assert "$.versions[0].options.basic_charge.default" in str(e.value)
    bad = TWO_PART.replace('"when": {"basic_charge": "capacity"}', '"when": {"basis": "capacity"}')
    with pytest.raises(bill.InputError) as e:
        bill.Tariff.load(bad, "bad.json")
    assert "unknown option 'basis'" in str(e.value)
    assert "$.versions[0].charges[0].when.basis" in str(e.value)


def test_best_declared_kw_against_plain_bills():
    t = bill.Tariff.load(TWO_PART)
    us = two_part_usages()
    with bill.WhatIf([("contracted", t, {"basic_charge": "contracted_demand"})]) as w:
        best = w.best_declared_kw(0, us, "1")
        assert isinstance(best.kw, Decimal)
        assert best.current_total == Decimal("258042.90")
        assert best.total <= best.current_total
        # brute force over the grid from the floor (400) to 600 kW
        def total_at(kw):
            s = Decimal(0)
            for u in us:
                u.set_option("basic_charge", "contracted_demand")
                u.set_declared_kw(kw)
                s += t.compute(u).total
            return s
        scan = min((total_at(Decimal(k)), k) for k in range(400, 601))
        assert (best.total, best.kw) == (scan[0], Decimal(scan[1]))
    for u in us:
        u.clear_options()
    with bill.WhatIf([("capacity", t)]) as w:   # the default: no contracted charge
        with pytest.raises(bill.InputError):
            w.best_declared_kw(0, us)


def test_household_tou_versus_flat_from_the_examples():
    flat = tariff_file("cn-residential-annual.json")
    tou = tariff_file("cn-residential-annual-tou.json")
    us = [bill.Usage(period=month(1), tou_kwh={"peak": "250", "valley": "50"}),
          bill.Usage(period=month(2), tou_kwh={"peak": "150", "valley": "150"}, ytd_kwh="300")]
    results = bill.rank([("flat", flat, {}), ("tou", tou, {})], us)
    # flat: 300 x 0.5283 = 158.49 twice; TOU 157.50 + 137.50 = 295.00
    assert [(r.label, r.total) for r in results] == [("tou", Decimal("295.00")),
                                                     ("flat", Decimal("316.98"))]
    assert results[0].saving == Decimal("21.98")


def test_closed_handles_and_bad_input():
    t = flat_tariff("a", "0.5")
    u = bill.Usage(period=month(1), kwh="1")
    w = bill.WhatIf([("a", t, {})])
    with pytest.raises(TypeError):
        w.run([u, "not a usage"])
    with pytest.raises(TypeError):
        w.add("x", "not a tariff")
    with pytest.raises(bill.ArgumentError):
        w.run([])
    closed = bill.Usage(period=month(1), kwh="1")
    closed.close()
    with pytest.raises(bill.StateError):
        w.run([closed])
    usd = bill.Tariff.load(
        '{"format": "libbill-tariff/1", "id": "usd", "currency": "USD", '
        '"rounding": {"mode": "HALF_UP", "apply": "line"}, "price_basis": "vat_inclusive", '
        '"versions": [{"effective": "2020-01-01", "charges": [{"id": "e", "type": "energy", '
        '"price": "0.1"}]}]}')
    with pytest.raises(bill.ArithError):
        w.add("usd", usd)
    # a bad option or demand adds nothing
    with pytest.raises(bill.InputError):
        w.add("bad", t, {"bad name": "x"})
    with pytest.raises(bill.InputError):
        w.add("bad", t, declared_kw="-1")
    assert len(w) == 1
    t.close()
    with pytest.raises(bill.StateError):
        w.run([u])
    w.close()
    w.close()
    with pytest.raises(bill.StateError):
        w.run([u])
    assert repr(w) == "<bill.WhatIf (closed)>"


def test_readme_whatif_example_runs(monkeypatch, capsys):
    import re
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        blocks = [b for b in re.findall(r"```python\n(.*?)```", f.read(), re.S) if "bill.rank" in b]
    assert len(blocks) == 1
    monkeypatch.chdir(ROOT)
    scope = {}
    exec(compile(blocks[0], "README.md", "exec"), scope)
    assert (scope["best"].label, scope["best"].total, scope["best"].saving) == \
        ("TOU", Decimal("210.49"), Decimal("11.40"))
    assert capsys.readouterr().out == "TOU 210.49 11.40\n"
