"""Field-audit verification and history anomalies through the Python binding."""

import datetime
import json
import sqlite3
from decimal import Decimal

import pytest

import bill
from bill import Account, Meter, Store, Verification

D = datetime.date
HDR = "meter_serial,found_account,found_address,reading,read_on\n"


def add_readings(path, serial, spec):
    """Readings of the total register by plain SQL (until the importer lands)."""
    con = sqlite3.connect(path)
    for date, value in spec:
        minute = (date - D(1970, 1, 1)).days * 1440
        con.execute("INSERT INTO readings(register_id, read_at, value) SELECT g.id, ?, ? "
                    "FROM registers g JOIN meters m ON m.id = g.meter_id "
                    "WHERE m.serial = ? AND g.code = 'total'", (minute, value, serial))
    con.commit()
    con.close()


@pytest.fixture
def store(tmp_path):
    path = str(tmp_path / "audit.db")
    with Store(path) as s:
        for i in range(1, 5):
            s.add_account(Account("A-%d" % i))
            m = Meter("M-%d" % i, installed=D(2024, 1, 1))
            m.digits = 5
            s.add_meter(m)
            s.link("M-%d" % i, "A-%d" % i, D(2024, 1, 1))
        add_readings(path, "M-3", [(D(2024, 1, 1), "1050"), (D(2024, 6, 1), "1200")])
        add_readings(path, "M-4", [(D(2024, 1, 1), "5050"), (D(2024, 6, 1), "5200")])
        add_readings(path, "M-1", [(D(2024, 1, 1), "1000"), (D(2024, 6, 1), "1150")])
        yield s


def test_classes_from_csv_file(store, tmp_path):
    audit = tmp_path / "audit.csv"
    audit.write_text(HDR + "M-1,A-1,,1160,2024-06-11\nM-2,A-3,,10,2024-06-11\n"
                     "X-9,A-1,,1,2024-06-11\nM-1,A-1,,oops,2024-06-11\n")
    v = store.verify(audit)
    rows = v.rows
    assert [r.cls for r in rows] == ["confirmed", "other_account", "unknown_meter", "rejected"]
    assert rows[0].reading == Decimal("1160") and isinstance(rows[0].reading, Decimal)
    assert rows[0].read_on == D(2024, 6, 11)
    assert "meter M-2 was found at A-3 but is registered to A-2" in rows[1].evidence
    assert rows[1].registered_account == "A-2"
    assert rows[3].line == 5 and rows[3].evidence.startswith("line 5, column 'reading'")
    accounts = {a.reference: a for a in v.accounts}
    assert accounts["A-1"].cls == "mismatch"
    assert accounts["A-3"].cls == "mismatch"
    assert "meter M-3, linked since 2024-01-01, was not found in the audit" in accounts["A-3"].evidence
    v.close()


def test_swap_by_readings_and_json(store):
    rows = [("M-3", "A-3", "", Decimal("5230"), D(2024, 6, 11)),
            ("M-4", "A-4", "", Decimal("1212"), D(2024, 6, 11))]
    v = store.verify(rows)
    assert [r.cls for r in v.rows] == ["likely_swap", "likely_swap"]
    assert v.rows[0].partner == "M-4"
    assert "fits A-4's meter history (expected about 5210) better than A-3's " \
           "(expected about 1210)" in v.rows[0].evidence
    doc = json.loads(v.to_json())
    assert doc["rows"][1]["class"] == "likely_swap"
    assert v.to_json() == store.verify(rows).to_json()
    assert v.to_csv().startswith("line_no,meter_serial,")
    v.close()


def test_jump_rule_and_scope(store):
    # M-1: 150 in 152 days; floor 0 and K = 3 over 10 days: 29.6 a day allowed, 30 is a jump
    v = store.verify([("M-1", "A-1", "", Decimal("1180"), D(2024, 6, 11)),
                      ("M-3", "A-3", "", Decimal("1210"), D(2024, 6, 11))],
                     jump_floor=Decimal(0), scope="all")
    assert [r.cls for r in v.rows] == ["implausible_jump", "confirmed"]
    accounts = {a.reference: a.cls for a in v.accounts}
    assert accounts == {"A-1": "reading_problem", "A-2": "meter_not_found",
                        "A-3": "confirmed", "A-4": "meter_not_found"}
    with pytest.raises(ValueError):
        Verification(store, scope="some")
    with pytest.raises(bill.ArgumentError):
        Verification(store, jump_factor=Decimal(0))


def test_state_errors(store):
    v = Verification(store)
    v.add_row("M-1", "A-1", None, Decimal(1), D(2024, 6, 11))
    with pytest.raises(bill.StateError):
        v.feed(HDR)
    v.run()
    with pytest.raises(bill.StateError):
        v.run()
    v.close()
    with pytest.raises(bill.StateError):
        v.to_json()
    with pytest.raises(bill.InputError):
        Verification(store).feed("bogus,header\n")


def test_anomalies(tmp_path):
    path = str(tmp_path / "anom.db")
    with Store(path) as s:
        for serial, ref in (("Z-1", "A-Z1"), ("Z-2", "A-Z2")):
            s.add_account(Account(ref))
            s.add_meter(Meter(serial, installed=D(2024, 1, 1)))
            s.link(serial, ref, D(2024, 1, 1))
        add_readings(path, "Z-1", [(D(2024, m, 1), v) for m, v in
                                   ((1, "0"), (2, "100"), (3, "200"), (4, "300"), (5, "400"),
                                    (6, "1700"))])
        add_readings(path, "Z-2", [(D(2024, m, 1), "500") for m in (1, 2, 3, 4)])
        found = s.anomalies()
        assert [(a.kind, a.meter_serial) for a in found] == [("high_usage", "Z-1"),
                                                             ("zero_usage", "Z-2")]
        assert found[0].usage == Decimal("1300") and found[0].start == D(2024, 5, 1)
        assert "above 3 times the median daily usage 3.23" in found[0].evidence
        assert json.loads(found.json)["anomalies"][1]["kind"] == "zero_usage"
        assert found.csv.splitlines()[0] == "account,meter_serial,kind,from,to,usage,evidence"
        assert [a.kind for a in s.anomalies(zero_periods=4)] == ["high_usage"]
        assert s.anomalies(window=(D(2024, 7, 1), D(2024, 8, 1))) == []
        with pytest.raises(bill.ArgumentError):
            s.anomalies(factor=Decimal(1))
