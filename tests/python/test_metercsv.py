"""Meter-data CSV reading in the Python binding (bill.MeterCsvReader, bill.read_meter_csv)."""

import datetime
import io
import os
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

import bill

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "..", "examples", "data", "readings-sample.csv")

READINGS = ("meter_serial,register,read_at,value,kind,source\r\n"
            "M-1,total,2026-01-31,12345.6,actual,route 7\r\n"
            "M-1,peak,2026-01-31T08:30,00123,estimated,\r\n"
            "\"M,2\",total,2026-02-30,1,actual,\r\n"
            "M-3,total,2026-01-31,5,actual\r\n"
            "M-4,total,2026-01-31,7.50,actual,\"hand \"\"held\"\"\"")


def test_readings_rows():
    rows = list(bill.read_meter_csv(READINGS, "readings"))
    assert [r.line for r in rows] == [2, 3, 4, 5, 6]
    assert [r.ok for r in rows] == [True, True, False, False, True]
    a = rows[0]
    assert (a.meter_serial, a.register, a.source, a.kind) == ("M-1", "total", "route 7", "actual")
    assert a.value == Decimal("12345.6") and str(a.value) == "12345.6"
    assert a.time == datetime.datetime(2026, 1, 31) and not a.has_time
    b = rows[1]
    assert b.time == datetime.datetime(2026, 1, 31, 8, 30) and b.has_time
    assert b.kind == "estimated" and str(b.value) == "123"
    c = rows[2]
    assert c.status == bill.Status.EDATE and c.column == "read_at"
    assert c.reason.startswith("line 4, column 'read_at': date: '2026-02-30'")
    assert c.value is None and c.meter_serial == ""
    d = rows[3]
    assert d.status == bill.Status.ESYNTAX and d.reason == "line 5: 5 fields, but the header has 6"
    assert rows[4].source == 'hand "held"'


def test_chunks_give_the_same_rows():
    whole = list(bill.read_meter_csv(READINGS, "readings"))
    data = READINGS.encode()
    for size in (1, 2, 3, 7, 64):
        assert list(bill.read_meter_csv(io.BytesIO(data), "readings", chunk_size=size)) == whole


def test_reader_counts_and_close():
    with bill.MeterCsvReader("readings") as r:
        first = r.feed(READINGS[:60])
        rest = r.feed(READINGS[60:]) + r.finish()
        assert len(first) + len(rest) == 5
        assert (r.rows, r.rejected) == (5, 2)
        assert "rows=5" in repr(r)
    assert r.closed
    with pytest.raises(bill.StateError):
        r.feed("x")
    r.close()  # harmless twice


def test_intervals_and_audit():
    rows = list(bill.read_meter_csv("meter_serial,start,minutes,kwh,kind\n"
                                    "M,2026-01-01T00:15,15,0.25,actual\n"
                                    "M,2026-01-01T00:10,15,1,actual\n", "intervals"))
    assert rows[0].minutes == 15 and rows[0].value == Decimal("0.25")
    assert rows[0].time == datetime.datetime(2026, 1, 1, 0, 15)
    assert rows[1].status == bill.Status.EDATE and "15-minute boundary" in rows[1].reason
    rows = list(bill.read_meter_csv("meter_serial,found_account,found_address,reading,read_on\n"
                                    "M-9,,\"3 Main St, flat 2\",7,2026-02-03\n", "audit"))
    assert rows[0].found_address == "3 Main St, flat 2" and rows[0].found_account == ""
    assert rows[0].time == datetime.datetime(2026, 2, 3)


def test_header_errors():
    with pytest.raises(bill.InputError) as e:
        list(bill.read_meter_csv("meter_serial,register,read_at,kind\n", "readings"))
    assert "required column 'value' is missing" in str(e.value)
    with pytest.raises(bill.InputError):
        list(bill.read_meter_csv("", "readings"))
    with pytest.raises(ValueError):
        bill.MeterCsvReader("bogus")


def test_sample_file():
    with open(SAMPLE, "rb") as f:
        rows = list(bill.read_meter_csv(f, "readings"))
    good = [r for r in rows if r.ok]
    bad = [r for r in rows if not r.ok]
    assert len(good) >= 5 and len(bad) >= 3
    assert all(r.reason.startswith("line %d" % r.line) for r in bad)


@given(st.binary(max_size=300))
def test_any_bytes_never_crash(data):
    try:
        rows = list(bill.read_meter_csv(b"meter_serial,start,minutes,kwh,kind\n" + data, "intervals"))
    except bill.InputError:
        return
    for r in rows:
        assert r.ok == (r.reason == "")
        if r.ok:
            assert r.minutes in (15, 30, 60) and r.value >= 0
