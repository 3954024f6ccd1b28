"""Tariffs, usage and bills of the Python binding.

The example bills must be byte-identical to what the C program billcalc
prints (examples/args/billcalc.txt lists the runs, examples/expected/ holds
their outputs), and the bill objects must be consistent: the lines' amounts
add up to the total, and a residential bill never decreases when the kWh grow.
"""

import datetime
import gc
import glob
import json
import os
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

import bill

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARIFFS = sorted(glob.glob(os.path.join(ROOT, "examples", "tariffs", "*.json")))
USAGES = sorted(glob.glob(os.path.join(ROOT, "examples", "usage", "*.json")))
JUNE = (datetime.date(2025, 6, 1), datetime.date(2025, 7, 1))


def path(*parts):
    return os.path.join(ROOT, *parts)


def read(p):
    with open(p, encoding="utf-8") as f:
        return f.read()


def billcalc_runs():
    """(k, tariff, usage, as_json) for each line of examples/args/billcalc.txt."""
    runs = []
    for line in read(path("examples", "args", "billcalc.txt")).splitlines():
        words = line.split()
        if not words:
            continue
        calendar = words[words.index("--calendar") + 1] if "--calendar" in words else None
        files = [w for w in words if not w.startswith("-") and w != calendar]
        runs.append((len(runs) + 1, files[0], files[1], "--json" in words, calendar))
    return runs


RUNS = billcalc_runs()


def tariff(name):
    return bill.Tariff.load_file(path("examples", "tariffs", name + ".json"))


# ---- loading ------------------------------------------------------------------------------------

def test_there_are_examples():
    assert len(TARIFFS) >= 4 and len(USAGES) >= 4 and len(RUNS) >= 5


@pytest.mark.parametrize("file", TARIFFS, ids=os.path.basename)
def test_load_every_example_tariff(file):
    doc = json.loads(read(file))
    with bill.Tariff.load_file(file) as t:
        assert t.id == doc["id"]
        assert t.name == doc.get("name", "")
        assert t.currency == doc["currency"]
        versions = t.versions
        assert versions == [datetime.date.fromisoformat(v["effective"]) for v in doc["versions"]]
        assert all(isinstance(v, datetime.date) for v in versions)
        assert versions == sorted(versions)
    # the same from text, str or bytes
    with bill.Tariff.load(read(file)) as t:
        assert t.id == doc["id"]
    with bill.Tariff.load(read(file).encode("utf-8"), source="t.json") as t:
        assert t.id == doc["id"]


def test_tariff_has_no_public_constructor():
    with pytest.raises(TypeError):
        bill.Tariff()


# ---- the billcalc examples -------------------------------------------------------------------

@pytest.mark.parametrize("k, tariff_file, usage_file, as_json, calendar", RUNS,
                         ids=[f"billcalc.{r[0]}" for r in RUNS])
def test_examples_match_billcalc(k, tariff_file, usage_file, as_json, calendar):
    expected = read(path("examples", "expected", f"billcalc.{k}.txt"))
    with bill.Tariff.load_file(path(tariff_file)) as t, \
            bill.Usage.from_json(read(path(usage_file)), usage_file) as u, \
            bill.Calendar() as cal:
        if calendar:
            cal.load(read(path(calendar)))
            u.set_calendar(cal)
        b = t.compute(u)
    # the bill outlives both handles
    assert (b.json if as_json else b.text) == expected
    assert sum((line.amount for line in b.lines), Decimal(0)) == b.total
    if as_json:
        doc = json.loads(b.json)
        assert [Decimal(x["amount"]) for x in doc["lines"]] == [line.amount for line in b.lines]
        assert [x["explanation"] for x in doc["lines"]] == [line.explanation for line in b.lines]
        assert [x["charge"] for x in doc["lines"]] == [line.charge for line in b.lines]
    else:
        assert f" {b.total}\n" in b.text
        for line in b:
            assert line.explanation in b.text


def test_residential_june_in_detail():
    with tariff("cn-residential-annual") as t, \
            bill.Usage(period=JUNE, customer_class="residential", household_size=3,
                       kwh=Decimal("420"), ytd_kwh="2761") as u:
        b = t.compute(u)
    assert b.text == read(path("examples", "expected", "billcalc.1.txt"))
    assert b.total == Decimal("224.94") and str(b.total) == "224.94"
    assert b.subtotal == Decimal("224.94")
    assert b.tax == Decimal("25.88")
    assert b.tax_included is True
    assert len(b) == 2 and list(b) == list(b.lines)
    first = b.lines[0]
    assert isinstance(first, bill.BillLine)
    assert first.kind == bill.LineKind.ENERGY
    assert (first.charge, first.component, first.band, first.unit) == ("energy", "", "tier 1", "kWh")
    assert (first.quantity, first.unit_price, first.amount) == (Decimal("359"), Decimal("0.5283"),
                                                                Decimal("189.66"))
    assert str(first.unit_price) == "0.5283"
    assert first.segment == JUNE
    assert first.explanation == "kWh 2761\u20133120 of this year fall in tier 1 at 0.5283"


def test_tou_usage_from_keywords_matches_json():
    with tariff("cn-residential-annual-tou") as t:
        with bill.Usage(period=JUNE, household_size=3, kwh="420", ytd_kwh=2761,
                        tou_kwh={"peak": Decimal("300"), "valley": Decimal("120")}) as u:
            b = t.compute(u)
    assert b.text == read(path("examples", "expected", "billcalc.2.txt"))


def test_split_period_by_reading():
    with tariff("cn-residential-monthly-seasonal") as t:
        assert len(t.versions) == 2
        period = (datetime.date(2025, 6, 16), datetime.date(2025, 7, 16))
        with bill.Usage(period=period, kwh="600.5") as u:
            pro_rata = t.compute(u)
        assert pro_rata.text == read(path("examples", "expected", "billcalc.3.txt"))
        with bill.Usage(period=period, kwh="600.5", readings={t.versions[1]: "100"}) as u:
            by_reading = t.compute(u)
        assert by_reading.total != pro_rata.total
        assert sum(line.amount for line in by_reading) == by_reading.total
        segments = {line.segment for line in by_reading}
        assert segments == {(period[0], t.versions[1]), (t.versions[1], period[1])}


def test_the_bill_is_immutable():
    with tariff("cn-residential-annual") as t, bill.Usage(period=JUNE, kwh=100) as u:
        b = t.compute(u)
    with pytest.raises(AttributeError):
        b.total = Decimal(0)
    with pytest.raises(AttributeError):
        b.lines[0].amount = Decimal(0)
    with pytest.raises(TypeError):
        bill.Bill()
    assert isinstance(b.lines, tuple)
    gc.collect()
    assert b.total == sum(line.amount for line in b)


def test_a_usage_can_be_reused_and_reloaded():
    with tariff("cn-residential-annual") as t, bill.Usage(period=JUNE, kwh=100) as u:
        small = t.compute(u).total
        u.set_kwh(200)
        assert t.compute(u).total > small
        u.load(read(path("examples", "usage", "residential-june.json")))
        assert t.compute(u).total == Decimal("224.94")


def test_tou_period():
    with tariff("cn-commercial-tou") as t:
        def at(month, hour):
            return datetime.datetime(2025, month, 1, hour, 30)
        assert t.tou_period("energy", at(7, 3)) == "valley"
        assert t.tou_period("energy", at(7, 11), "working") == "critical"   # summer
        assert t.tou_period("energy", at(3, 11), "holiday") == "peak"
        assert t.tou_period("energy", at(7, 20), "weekend") == "peak"
        with pytest.raises(bill.InputError) as info:
            t.tou_period("funds", at(7, 3))
        assert info.value.name == "ENOTFOUND"
        with pytest.raises(ValueError):
            t.tou_period("energy", at(7, 3), "someday")
        with pytest.raises(TypeError):
            t.tou_period("energy", datetime.date(2025, 7, 1))


# ---- errors -------------------------------------------------------------------------------------

def test_bad_tariff_names_the_json_path():
    doc = json.loads(read(path("examples", "tariffs", "cn-residential-annual.json")))
    doc["rounding"]["mode"] = "SIDEWAYS"
    with pytest.raises(bill.InputError) as info:
        bill.Tariff.load(json.dumps(doc), source="bad.json")
    assert "bad.json:" in str(info.value)
    assert "$.rounding.mode" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_bad_tariff_syntax_and_wrong_type():
    with pytest.raises(bill.InputError) as info:
        bill.Tariff.load('{"format": "libbill-tariff/1", "id": 3}', "x.json")
    assert info.value.name == "ESYNTAX"
    assert "x.json:1:" in str(info.value) and "$.id" in str(info.value)
    with pytest.raises(bill.InputError) as info:
        bill.Tariff.load("{")
    assert "<json>" in str(info.value)
    with pytest.raises(TypeError):
        bill.Tariff.load(42)


def test_bad_usage_json_names_the_path():
    with pytest.raises(bill.InputError) as info:
        bill.Usage.from_json('{"period": "2025-06-01/2025-07-01", "kwh": "4x"}', "u.json")
    assert "u.json" in str(info.value) and "$.kwh" in str(info.value)
    with pytest.raises(bill.BillError) as info:
        bill.Usage.from_json('{"period": "2025-06-01/2025-07-01", "colour": "red"}')
    assert "colour" in str(info.value)


def test_usage_setters_are_checked_in_c():
    with pytest.raises(bill.BillError) as info:
        bill.Usage(period=(JUNE[1], JUNE[0]))
    assert info.value.name == "EDATE"
    with pytest.raises(bill.BillError):
        bill.Usage(period=JUNE, kwh="-1")
    with pytest.raises(bill.BillError):
        bill.Usage(period=JUNE, household_size=0)
    with pytest.raises(bill.BillError):
        bill.Usage(period=JUNE, customer_class="not a class!")
    with pytest.raises(TypeError):
        bill.Usage(period=JUNE, household_size=True)


def test_float_is_rejected():
    with pytest.raises(TypeError, match="float"):
        bill.Usage(period=JUNE, kwh=420.0)
    with pytest.raises(TypeError, match="float"):
        bill.Usage(period=JUNE, tou_kwh={"peak": 1.5})
    with pytest.raises(TypeError, match="float"):
        bill.Usage(period=JUNE, ytd_kwh=1e3)
    with bill.Usage(period=JUNE) as u, pytest.raises(TypeError):
        u.set_reading(datetime.date(2025, 6, 10), 0.5)


def test_usage_that_does_not_fit_the_tariff():
    with tariff("cn-residential-annual-tou") as t, bill.Usage(period=JUNE, kwh="420") as u:
        with pytest.raises(bill.InputError) as info:    # TOU kWh missing
            t.compute(u)
        assert info.value.name == "ERULE"
    with tariff("cn-residential-annual") as t, bill.Usage() as u:
        with pytest.raises(bill.StateError):            # no period
            t.compute(u)
    with tariff("cn-residential-annual") as t, \
            bill.Usage(period=(datetime.date(2001, 1, 1), datetime.date(2001, 2, 1)), kwh=1) as u:
        with pytest.raises(bill.InputError):            # before the first version
            t.compute(u)
    with tariff("cn-residential-annual") as t, pytest.raises(TypeError):
        t.compute("not a usage")


# ---- life cycle ---------------------------------------------------------------------------------

def test_use_after_close_raises_state_error():
    t = tariff("cn-residential-annual")
    u = bill.Usage(period=JUNE, kwh=10)
    assert not t.closed
    t.close()
    t.close()                                           # harmless
    assert t.closed and "closed" in repr(t)
    for attempt in (lambda: t.id, lambda: t.name, lambda: t.currency, lambda: t.versions,
                    lambda: t.compute(u)):
        with pytest.raises(bill.StateError) as info:
            attempt()
        assert info.value.name == "ESTATE"
    u.close()
    u.close()
    with tariff("cn-residential-annual") as t2:
        with pytest.raises(bill.StateError):
            t2.compute(u)
        with pytest.raises(bill.StateError):
            u.set_kwh(5)


def test_context_managers_close():
    with tariff("cn-residential-annual") as t, bill.Usage(period=JUNE) as u:
        pass
    assert t.closed and u.closed


def test_unclosed_handles_are_collected():
    for _ in range(200):
        t = tariff("cn-commercial-tou")
        u = bill.Usage.from_json(read(path("examples", "usage", "commercial-tou-june.json")))
        t.compute(u)
        del t, u
    gc.collect()


# ---- properties ---------------------------------------------------------------------------------

KWH = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(kwh=KWH, extra=KWH, ytd=st.integers(0, 20000), days=st.integers(1, 400),
       name=st.sampled_from(["cn-residential-annual", "cn-residential-monthly-seasonal"]))
def test_residential_lines_sum_to_total_and_never_decrease(kwh, extra, ytd, days, name):
    start = datetime.date(2025, 3, 1)
    period = (start, start + datetime.timedelta(days=days))
    with tariff(name) as t:
        with bill.Usage(period=period, kwh=kwh, ytd_kwh=ytd) as u:
            low = t.compute(u)
            u.set_kwh(kwh + extra)
            high = t.compute(u)
    for b in (low, high):
        assert sum((line.amount for line in b), Decimal(0)) == b.total
    assert high.total >= low.total


@settings(max_examples=100, deadline=None)
@given(peak=KWH, valley=KWH, extra=KWH, grow_peak=st.booleans())
def test_residential_tou_never_decreases(peak, valley, extra, grow_peak):
    with tariff("cn-residential-annual-tou") as t:
        with bill.Usage(period=JUNE, tou_kwh={"peak": peak, "valley": valley}) as u:
            low = t.compute(u)
            if grow_peak:
                u.set_tou_kwh("peak", peak + extra)
            else:
                u.set_tou_kwh("valley", valley + extra)
            high = t.compute(u)
    for b in (low, high):
        assert sum((line.amount for line in b), Decimal(0)) == b.total
    assert high.total >= low.total


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(KWH, min_size=4, max_size=4))
def test_commercial_lines_sum_to_total(parts):
    with tariff("cn-commercial-tou") as t:
        tou = dict(zip(["critical", "peak", "flat", "valley"], parts))
        with bill.Usage(period=JUNE, customer_class="commercial", tou_kwh=tou) as u:
            b = t.compute(u)
    assert sum((line.amount for line in b), Decimal(0)) == b.total
    assert b.total >= Decimal("50.00")          # the minimum bill


def test_large_industry_usage_from_keywords_matches_the_json_example():
    """The two-part usage fields set from Python give the bill billcalc prints for the JSON usage."""
    import datetime
    from decimal import Decimal
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with bill.Tariff.load_file(os.path.join(root, "examples/tariffs/cn-large-industry.json")) as t:
        with open(os.path.join(root, "examples/usage/large-industry-june.json"), encoding="utf-8") as f:
            with bill.Usage.from_json(f.read()) as u:
                want = t.compute(u)
        spec = json.loads(open(os.path.join(root, "examples/usage/large-industry-june.json"),
                               encoding="utf-8").read(), parse_float=Decimal, parse_int=Decimal)
        start, end = spec["period"].split("/")
        with bill.Usage(period=(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)),
                        customer_class=spec["class"], tou_kwh={k: str(v) for k, v in spec["tou_kwh"].items()},
                        capacity_kva=str(spec["capacity_kva"]), declared_kw=str(spec["declared_kw"]),
                        max_demand_kw=str(spec["max_demand_kw"]), kvarh=str(spec["kvarh"]),
                        pf_standard=str(spec.get("pf_standard", "0.90"))) as u2:
            got = t.compute(u2)
    assert got.total == want.total == Decimal("730279.56")
    assert got.text == want.text
    with pytest.raises(bill.InputError):
        bill.Usage(declared_kw="-5")
