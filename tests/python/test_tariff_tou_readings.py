"""Readings of the TOU registers at split dates: a TOU customer whose tariff
changes inside the billing period is split by the meter's TOU registers.

Hand-computed like tests/c/tariff_tou_readings_test.c: a commercial TOU
tariff whose prices change on 2025-07-01, billed over 2025-06-16/2025-07-16.
"""

import datetime
import json
from decimal import Decimal

import pytest

import bill


def _version(effective, peak, flat, valley):
    return {"effective": effective, "charges": [
        {"id": "energy", "type": "energy",
         "tou": {"prices": {"peak": peak, "flat": flat, "valley": valley}}},
        {"id": "fund", "type": "per_kwh", "price": "0.02"}]}


COMMERCIAL = json.dumps({
    "format": "libbill-tariff/1", "id": "t", "name": "test", "currency": "CNY",
    "rounding": {"mode": "HALF_UP", "scale": 2, "apply": "line"},
    "price_basis": "vat_inclusive",
    "versions": [_version("2020-01-01", "1.00", "0.60", "0.30"),
                 _version("2025-07-01", "1.20", "0.70", "0.35")]})

PERIOD = (datetime.date(2025, 6, 16), datetime.date(2025, 7, 16))
CHANGE = datetime.date(2025, 7, 1)
TOU = {"peak": "300", "flat": "200", "valley": "100"}
AT_CHANGE = {"peak": "120", "flat": "90", "valley": "40"}


@pytest.fixture
def tariff():
    with bill.Tariff.load(COMMERCIAL) as t:
        yield t


def rows(b):
    return [(line.band, line.quantity, line.unit_price, line.amount) for line in b]


BY_READINGS = [
    ("peak", Decimal("120"), Decimal("1.00"), Decimal("120.00")),
    ("flat", Decimal("90"), Decimal("0.60"), Decimal("54.00")),
    ("valley", Decimal("40"), Decimal("0.30"), Decimal("12.00")),
    ("", Decimal("250"), Decimal("0.02"), Decimal("5.00")),
    ("peak", Decimal("180"), Decimal("1.20"), Decimal("216.00")),
    ("flat", Decimal("110"), Decimal("0.70"), Decimal("77.00")),
    ("valley", Decimal("60"), Decimal("0.35"), Decimal("21.00")),
    ("", Decimal("350"), Decimal("0.02"), Decimal("7.00")),
]


def test_split_by_tou_readings_keyword(tariff):
    with bill.Usage(period=PERIOD, tou_kwh=TOU, readings={CHANGE: AT_CHANGE}) as u:
        b = tariff.compute(u)
    assert rows(b) == BY_READINGS
    assert b.total == Decimal("512.00")
    assert b.lines[4].segment == (CHANGE, PERIOD[1])
    assert sum(line.amount for line in b) == b.total


def test_pro_rata_without_readings(tariff):
    with bill.Usage(period=PERIOD, tou_kwh=TOU) as u:
        b = tariff.compute(u)
    assert [line.quantity for line in b] == [Decimal(x) for x in
                                             ("150", "100", "50", "300") * 2]
    assert b.total == Decimal("504.50")


def test_setter_json_and_keyword_agree(tariff):
    with bill.Usage(period=PERIOD, tou_kwh=TOU) as u:
        for name, kwh in AT_CHANGE.items():
            u.set_tou_reading(CHANGE, name, Decimal(kwh))
        by_setter = tariff.compute(u)
    text = json.dumps({"period": "2025-06-16/2025-07-16", "tou_kwh": TOU,
                       "readings": [{"date": "2025-07-01", "tou_kwh": AT_CHANGE}]})
    with bill.Usage.from_json(text) as u:
        by_json = tariff.compute(u)
    assert rows(by_setter) == rows(by_json) == BY_READINGS
    assert by_setter.json == by_json.json


def test_total_reading_is_checked_against_the_registers(tariff):
    # pairs: a total and the TOU registers on the same date
    with bill.Usage(period=PERIOD, tou_kwh=TOU,
                    readings=[(CHANGE, "250"), (CHANGE, AT_CHANGE)]) as u:
        assert rows(tariff.compute(u)) == BY_READINGS
    with bill.Usage(period=PERIOD, tou_kwh=TOU,
                    readings=[(CHANGE, 251), (CHANGE, AT_CHANGE)]) as u:
        with pytest.raises(bill.InputError) as e:
            tariff.compute(u)
    assert e.value.name == "ERULE"
    assert "251 kWh in total, but its TOU registers add up to 250" in str(e.value)


@pytest.mark.parametrize("readings, message", [
    ({CHANGE: {"peak": "120", "flat": "90"}},
     "the reading on 2025-07-01 has no value for TOU register 'valley'"),
    ({CHANGE: dict(AT_CHANGE, critical="0")},
     "the reading on 2025-07-01 gives TOU register 'critical'"),
    ({CHANGE: dict(AT_CHANGE, peak="300.5")},
     "the reading of TOU register 'peak' on 2025-07-01 (300.5) is above"),
    ({datetime.date(2025, 6, 30): AT_CHANGE},
     "the reading on 2025-06-30 is not at a tariff change"),
    ({CHANGE: "250"}, "the reading on 2025-07-01 gives the total kWh only"),
])
def test_rules(tariff, readings, message):
    with bill.Usage(period=PERIOD, tou_kwh=TOU, readings=readings) as u:
        with pytest.raises(bill.InputError) as e:
            tariff.compute(u)
    assert e.value.name == "ERULE"
    assert message in str(e.value)


def test_tou_readings_need_tou_kwh(tariff):
    with bill.Usage(period=PERIOD, kwh="600", readings={CHANGE: {"peak": "120"}}) as u:
        with pytest.raises(bill.InputError, match="usage has no TOU kWh"):
            tariff.compute(u)


def test_setter_errors():
    with bill.Usage(period=PERIOD) as u:
        with pytest.raises(bill.InputError) as e:
            u.set_tou_reading(CHANGE, "pe ak", "1")
        assert e.value.name == "ESYNTAX"
        with pytest.raises(bill.InputError) as e:
            u.set_tou_reading(CHANGE, "peak", "-1")
        assert e.value.name == "ERANGE"
        with pytest.raises(TypeError):
            u.set_tou_reading(CHANGE, "peak", 1.5)
        for i in range(8):
            u.set_tou_reading(CHANGE + datetime.timedelta(days=i), "peak", i)
        with pytest.raises(bill.InputError, match="at most 8 dates"):
            u.set_tou_reading(CHANGE + datetime.timedelta(days=8), "peak", "1")


def test_json_errors():
    with pytest.raises(bill.InputError, match=r"\$\.readings\[0\]\.tou_kwh\.peak"):
        bill.Usage.from_json('{"period": "2025-06-16/2025-07-16", "readings": '
                             '[{"date": "2025-07-01", "tou_kwh": {"peak": "-1"}}]}')
    with pytest.raises(bill.InputError, match="a reading needs"):
        bill.Usage.from_json('{"period": "2025-06-16/2025-07-16", "readings": '
                             '[{"date": "2025-07-01"}]}')
