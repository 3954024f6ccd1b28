"""Importing readings and intervals into the store through the Python binding."""

import datetime
import io
import sqlite3
from decimal import Decimal

import pytest

import bill
from bill import Importer, Meter, Register, RegisterKind, Store

D = datetime.date
T = datetime.datetime
NOW = T(2026, 6, 1)

READINGS = (
    "meter_serial,register,read_at,value,kind,source\n"
    "M1,total,2026-01-01,100,actual,r1\n"
    "M1,total,2026-02-01,200,actual,\n"
    "M1,total,2026-02-01,200.0,actual,\n"
    "M1,total,2026-02-01,201,actual,\n"
    "M1,total,2026-03-01,150,actual,\n"
    "NOPE,total,2026-01-01,1,actual,\n"
    "M1,total,2026-07-01,999,actual,\n"
    "M1,total,2026-05-01,99990,estimated,\n"
    "M1,total,2026-05-15,5,actual,\n"
)


def make_store(path=":memory:"):
    s = Store(path)
    s.add_meter(Meter("M1", digits=5, installed=D(2026, 1, 1),
                      registers=[Register("total"), Register("md", RegisterKind.DEMAND, 4)]))
    s.add_meter(Meter("M2", digits=5, installed=D(2025, 1, 1), removed=D(2026, 2, 1)))
    return s


def test_import_counts_and_exceptions():
    with make_store() as s:
        r = s.import_readings(READINGS.encode(), now=NOW, name="reads.csv")
        assert (r.total, r.accepted, r.duplicate, r.rejected) == (9, 4, 1, 4)
        assert not r.already_imported and len(r.digest) == 64
        ex = s.import_exceptions(r.uuid)
        assert [(e.line, e.field, e.code) for e in ex] == [
            (5, "value", "ECONFLICT"), (6, "value", "ERULE"), (7, "meter_serial", "ENOTFOUND"),
            (8, "read_at", "EDATE")]
        assert ex[0].message.startswith("line 5, column 'value': register 'total' of meter 'M1' "
                                        "already reads 200 at 2026-02-01T00:00 (line 3 of 'reads.csv', "
                                        "imported 20")
        assert r.uuid not in ex[0].message
        assert ex[1].message == ("line 6, column 'value': register 'total' of meter 'M1' goes down "
                                 "from 200 at 2026-02-01T00:00 to 150 at 2026-03-01T00:00 "
                                 "(not a plausible rollover of 5 digits)")
        assert s.count_readings() == 4
        # the same bytes again, as a text stream in small pieces: nothing changes
        again = s.import_readings(io.StringIO(READINGS), now=NOW)
        assert again.already_imported and again.uuid == r.uuid
        assert (again.accepted, again.duplicate, again.rejected) == (0, 5, 4)
        assert s.count_readings() == 4
        assert len(s.import_exceptions(r.uuid)) == 4


def test_unknown_meter_line():
    with make_store() as s:
        r = s.import_readings(READINGS, now=NOW)
        unknown = [e for e in s.import_exceptions(r.uuid) if e.code == "ENOTFOUND"]
        assert unknown == [bill.ImportException(
            7, "meter_serial", "ENOTFOUND", "line 7, column 'meter_serial': unknown meter 'NOPE'")]


def test_file_path_and_batches(tmp_path):
    csv = tmp_path / "reads.csv"
    csv.write_text(READINGS)
    db = tmp_path / "store.db"
    with make_store(str(db)) as s:
        r = s.import_readings(csv, now=NOW, batch_rows=2)
        assert (r.accepted, r.duplicate, r.rejected) == (4, 1, 4)
    con = sqlite3.connect(str(db))
    row = con.execute("SELECT source, rows_total, rows_accepted, rows_duplicate, rows_rejected, "
                      "finished_at IS NOT NULL FROM imports").fetchone()
    assert row == (str(csv), 9, 4, 1, 4, 1)
    assert con.execute("SELECT value, estimated FROM readings WHERE read_at = ?",
                       ((D(2026, 5, 1) - D(1970, 1, 1)).days * 1440,)).fetchone() == ("99990", 1)
    con.close()


def test_header_error():
    with make_store() as s:
        with pytest.raises(bill.InputError) as e:
            s.import_readings(b"meter_serial,register,read_at,value\n", now=NOW)
        assert e.value.status.name == "ESYNTAX"
        assert "'kind' is missing" in str(e.value)


def test_intervals():
    data = ("meter_serial,start,minutes,kwh,kind\n"
            "M1,2026-01-01T00:00,15,0.25,actual\n"
            "M1,2026-01-01T00:00,15,0.25,actual\n"
            "M1,2026-01-01T00:00,60,1.0,actual\n"
            "M1,2026-01-01T00:15,15,0.5,estimated\n")
    with make_store() as s:
        r = s.import_readings(data, kind="intervals", now=NOW)
        assert (r.total, r.accepted, r.duplicate, r.rejected) == (4, 2, 1, 1)
        assert [e.code for e in s.import_exceptions(r.uuid)] == ["ECONFLICT"]
        assert s.count_readings("intervals") == 2
        assert s.add_interval("M1", T(2026, 1, 1, 1, 0), 60, Decimal("2.5")) is True
        assert s.add_interval("M1", T(2026, 1, 1, 1, 0), 60, "2.50") is False
        with pytest.raises(bill.InputError) as e:
            s.add_interval("M1", T(2026, 1, 1, 1, 30), 30, "1")
        assert e.value.status.name == "ECONFLICT"
        with pytest.raises(ValueError):
            s.import_readings(data, kind="audit")


def test_add_reading():
    with make_store() as s:
        assert s.add_reading("M1", "total", D(2026, 1, 1), Decimal("99990")) is True
        assert s.add_reading("M1", "total", T(2026, 1, 1), "99990.0") is False
        assert s.add_reading("M1", "total", D(2026, 1, 10), "12", estimated=True, source="api")
        with pytest.raises(bill.InputError) as e:
            s.add_reading("M1", "total", D(2026, 1, 20), "5")
        assert e.value.status.name == "ERULE"
        assert "goes down from 12 at 2026-01-10T00:00 to 5" in str(e.value)
        with pytest.raises(bill.InputError) as e:
            s.add_reading("M2", "total", T(2026, 2, 1, 9, 0), "5")
        assert "was already removed" in str(e.value)
        with pytest.raises(bill.InputError) as e:
            s.add_reading("M9", "total", D(2026, 1, 1), "5")
        assert e.value.status.name == "ENOTFOUND"
        assert s.count_readings() == 2


def test_importer_streaming_and_closed():
    with make_store() as s:
        imp = Importer(s, "stream", now=NOW)
        data = READINGS.encode()
        for i in range(0, len(data), 5):
            imp.feed(data[i:i + 5])
        r = imp.finish()
        assert (r.accepted, r.duplicate, r.rejected) == (4, 1, 4)
        imp.close()
        imp.close()
        with pytest.raises(bill.StateError):
            imp.feed(b"x")
