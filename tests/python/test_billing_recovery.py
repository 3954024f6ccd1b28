"""A robust billing run through the Python binding: a bad account is skipped with a
reason, a store error stops the run whole, an unfinished earlier run is closed and
reported by the next run of the period."""

import datetime
import sqlite3

import pytest

import bill
from bill import Account, Interrupted, Meter, Register, Store, Tariff

D = datetime.date
JUNE = (D(2025, 6, 1), D(2025, 7, 1))

FLAT = """{"format": "libbill-tariff/1", "id": "flat", "currency": "CNY",
 "rounding": {"mode": "HALF_UP", "scale": 2, "apply": "line"},
 "price_basis": "vat_inclusive", "versions": [{"effective": "2020-01-01",
 "charges": [{"id": "energy", "type": "energy", "price": "0.5"},
             {"id": "service", "type": "fixed", "amount": "5.00", "per": "month"}]}]}"""

REFS = ("R-1", "R-2", "R-3", "R-4")


def _store(path, bad_value="12x"):
    """Four accounts with a meter each; R-3's June reading is `bad_value` in the store."""
    s = Store(path)
    for i, ref in enumerate(REFS, 1):
        s.add_account(Account(ref, tariff="flat"))
        s.add_meter(Meter(f"M{i}", installed=D(2020, 1, 1), registers=[Register("total")]))
        s.link(f"M{i}", ref, D(2020, 1, 1))
    db = sqlite3.connect(path)
    with db:
        for i in range(1, 5):
            for day, value in ((JUNE[0], bad_value if i == 3 else "0"), (JUNE[1], str(10 * i))):
                minutes = (day - D(1970, 1, 1)).days * 1440
                db.execute("INSERT INTO readings (register_id, read_at, value) SELECT g.id, ?, ? "
                           "FROM registers g JOIN meters m ON m.id = g.meter_id "
                           "WHERE m.serial = ?", (minutes, value, f"M{i}"))
    db.close()
    return s


def test_bad_reading_skips_only_that_account(tmp_path):
    path = str(tmp_path / "bad.db")
    with _store(path) as s:
        r = s.billing_run(JUNE, [Tariff.load(FLAT)])
        assert (r.accounts, r.billed, r.already_billed) == (4, 3, 0)
        assert r.interrupted == []
        [skip] = r.skipped
        assert skip.account == "R-3"
        assert skip.status == bill.Status.ECORRUPT
        assert skip.reason == ("account R-3: meter M3 register total: the stored reading at "
                               "2025-06-01T00:00 is '12x', not a decimal")


def test_store_error_stops_the_run_whole(tmp_path):
    path = str(tmp_path / "full.db")
    db = None
    with _store(path, bad_value="0") as s:
        db = sqlite3.connect(path)
        with db:
            db.execute("CREATE TRIGGER full BEFORE INSERT ON bills WHEN "
                       "(SELECT count(*) FROM bills) >= 1 "
                       "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        with pytest.raises(bill.BillError) as e:
            s.billing_run(JUNE, [Tariff.load(FLAT)])
        assert "database or disk is full" in str(e.value)
        # the open batch is rolled back whole: no bill, no skip
        assert db.execute("SELECT count(*) FROM bills").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM billing_run_skips").fetchone()[0] == 0
        failed = db.execute("SELECT uuid FROM billing_runs WHERE finished_at IS NULL").fetchone()[0]
        with db:
            db.execute("DROP TRIGGER full")
        r = s.billing_run(JUNE, [Tariff.load(FLAT)])
        assert (r.billed, r.already_billed) == (4, 0)
        assert [i.uuid for i in r.interrupted] == [failed]
    db.close()


def test_unfinished_run_closed_and_reported(tmp_path):
    path = str(tmp_path / "killed.db")
    t = Tariff.load(FLAT)
    with _store(path, bad_value="0") as s:
        first = s.billing_run(JUNE, [t], label="june")
        assert first.billed == 4
        # as if its process had been killed after committing only
        db = sqlite3.connect(path)
        with db:
            db.execute("UPDATE billing_runs SET finished_at = NULL")
            gone = "(SELECT b.id FROM bills b JOIN accounts a ON a.id = b.account_id " \
                   "WHERE a.reference IN ('R-3', 'R-4'))"
            db.execute(f"DELETE FROM bill_lines WHERE bill_id IN {gone}")
            db.execute(f"DELETE FROM bills WHERE id IN {gone}")
        r = s.billing_run(JUNE, [t], label="june again")
        assert (r.accounts, r.billed, r.already_billed, r.skipped) == (4, 2, 2, [])
        [i] = r.interrupted
        assert isinstance(i, Interrupted)
        assert i.uuid == first.uuid and i.bills == 2 and i.counted == 2
        assert len(i.started) == 20 and i.started.endswith("Z")
        # every account billed exactly once; the earlier run closed by this one
        assert db.execute("SELECT count(*), count(DISTINCT account_id) FROM bills").fetchone() \
            == (4, 4)
        assert db.execute("SELECT r2.uuid FROM billing_runs r1 JOIN billing_runs r2 "
                          "ON r2.id = r1.interrupted_by WHERE r1.uuid = ?",
                          (first.uuid,)).fetchone()[0] == r.uuid
        db.close()
        again = s.billing_run(JUNE, [t])
        assert again.interrupted == [] and again.already_billed == 4
