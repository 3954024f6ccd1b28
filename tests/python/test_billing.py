"""Determinants and the billing run through the Python binding."""

import datetime
import sqlite3
from decimal import Decimal

import pytest

import bill
from bill import Account, Determinants, Meter, Register, RegisterKind, Store, Tariff

D = datetime.date
JUNE = (D(2025, 6, 1), D(2025, 7, 1))

FLAT = """{"format": "libbill-tariff/1", "id": "flat", "currency": "CNY",
 "rounding": {"mode": "HALF_UP", "scale": 2, "apply": "line"},
 "price_basis": "vat_inclusive", "versions": [{"effective": "2020-01-01",
 "charges": [{"id": "energy", "type": "energy", "price": "0.5"},
             {"id": "service", "type": "fixed", "amount": "5.00", "per": "month"}]}]}"""


def test_pure_exchange_multiplier_and_demand():
    with Determinants(JUNE) as d:
        for serial in ("OLD", "NEW"):
            d.add_meter(serial)
            d.add_register(serial, "total")
            d.add_register(serial, "md", RegisterKind.DEMAND)
        d.add_multiplier("NEW", D(2025, 6, 11), "2")
        d.add_segment("OLD", D(2020, 1, 1), D(2025, 6, 11))
        d.add_segment("NEW", D(2025, 6, 11))
        d.add_reading("OLD", "total", D(2025, 6, 1), "1000")
        d.add_reading("OLD", "total", D(2025, 6, 11), "1100")
        d.add_reading("OLD", "md", D(2025, 6, 11), "5.2")
        d.add_reading("NEW", "total", D(2025, 6, 11), "0")
        d.add_reading("NEW", "total", D(2025, 7, 1), Decimal("125"), estimated=True)
        with pytest.raises(bill.InputError) as e:
            d.compute()
        assert e.value.status.name == "ENOTFOUND"
        assert "meter NEW register md" in str(e.value)
        d.add_reading("NEW", "md", datetime.datetime(2025, 6, 30, 14, 15), "4.1")
        q = d.compute()
        assert q["total"].value == Decimal("350") and q["total"].estimated
        assert q["md"].value == Decimal("8.2") and not q["md"].estimated
        assert q["md"].kind == RegisterKind.DEMAND
        assert d.days == 30 and d.estimated
        with pytest.raises(TypeError):
            d.add_reading("OLD", "total", D(2025, 6, 2), 1.5)


def test_pure_shared_and_subs():
    with Determinants(JUNE) as d:
        d.add_meter("SH")
        d.add_register("SH", "total")
        d.add_segment("SH", D(2020, 1, 1), ratios=["0.3334", "0.3333", "0.3333"], share_index=1)
        d.add_reading("SH", "total", D(2025, 6, 1), "0.0")
        d.add_reading("SH", "total", D(2025, 7, 1), "100.0")
        assert d.compute()["total"].value == Decimal("33.3")
    with Determinants(JUNE) as d:
        for serial in ("MA", "SU"):
            d.add_meter(serial)
            d.add_register(serial, "total")
        d.add_segment("MA", D(2020, 1, 1))
        d.add_segment("SU", D(2020, 1, 1), sign=-1)
        d.add_reading("MA", "total", D(2025, 6, 1), "0")
        d.add_reading("MA", "total", D(2025, 7, 1), "100")
        d.add_reading("SU", "total", D(2025, 6, 1), "0")
        d.add_reading("SU", "total", D(2025, 7, 1), "150")
        with pytest.raises(bill.InputError) as e:
            d.compute()
        assert e.value.status.name == "ERULE" and "sub SU" in str(e.value)


def test_to_usage_bills_like_a_usage():
    t = Tariff.load(FLAT)
    with Determinants(JUNE) as d:
        d.add_meter("M")
        d.add_register("M", "total")
        d.add_segment("M", D(2020, 1, 1))
        d.add_reading("M", "total", D(2025, 6, 1), "100")
        d.add_reading("M", "total", D(2025, 7, 1), "520")
        d.compute()
        u = d.to_usage()
        assert t.compute(u).total == Decimal("215.00")
        assert t.compute(bill.Usage(period=JUNE, kwh="420")).total == Decimal("215.00")


def _fixture(s):
    for ref, tariff in (("A-1", "flat"), ("A-2", "flat"), ("A-3", ""), ("A-4", "flat")):
        s.add_account(Account(ref, tariff=tariff))
    for serial, ref in (("M1", "A-1"), ("M2", "A-2"), ("M4", "A-4")):
        s.add_meter(Meter(serial, installed=D(2020, 1, 1), registers=[Register("total")]))
        s.link(serial, ref, D(2020, 1, 1))
    return [("M1", JUNE[0], "100"), ("M1", JUNE[1], "520"), ("M2", JUNE[0], "0"),
            ("M2", JUNE[1], "10"), ("M4", JUNE[0], "5")]


def _insert_readings(path, rows):
    db = sqlite3.connect(path)
    with db:
        for serial, day, value in rows:
            minutes = (day - D(1970, 1, 1)).days * 1440
            db.execute("INSERT INTO readings (register_id, read_at, value) SELECT g.id, ?, ? "
                       "FROM registers g JOIN meters m ON m.id = g.meter_id "
                       "WHERE m.serial = ? AND g.code = 'total'", (minutes, value, serial))
    db.close()


def test_store_determinants_and_billing_run(tmp_path):
    path = str(tmp_path / "bill.db")
    t = Tariff.load(FLAT)
    with Store(path) as s:
        rows = _fixture(s)
        _insert_readings(path, rows)
        d = s.determinants("A-1", JUNE)
        assert d.quantities["total"].value == Decimal("420")
        assert not d.estimated
        want = t.compute(d.to_usage(bill.Usage(customer_class="residential"))).json
        d.close()
        with pytest.raises(bill.InputError):
            s.determinants("NOBODY", JUNE)

        r = s.billing_run(JUNE, [t], label="cycle 1")
        assert (r.accounts, r.billed, r.already_billed) == (4, 2, 0)
        assert len(r.uuid) == 36
        reasons = {k.account: k for k in r.skipped}
        assert set(reasons) == {"A-3", "A-4"}
        assert reasons["A-3"].reason == "account A-3: no tariff"
        assert reasons["A-4"].status == bill.Status.ENOTFOUND
        assert "meter M4 register total: no reading at 2025-07-01 00:00" in reasons["A-4"].reason
        assert s.bill_json("A-1", JUNE) == want
        with pytest.raises(bill.InputError):
            s.bill_json("A-3", JUNE)

        r2 = s.billing_run(JUNE, [t])
        assert (r2.billed, r2.already_billed, len(r2.skipped)) == (0, 2, 2)
        _insert_readings(path, [("M4", JUNE[1], "6")])
        r3 = s.billing_run(JUNE, [t], accounts=["A-4", "A-1"])
        assert (r3.accounts, r3.billed, r3.already_billed, r3.skipped) == (2, 1, 1, [])
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM bills").fetchone()[0] == 3
    assert db.execute("SELECT total FROM bills b JOIN accounts a ON a.id = b.account_id "
                      "WHERE a.reference = 'A-1'").fetchone()[0] == "215.00"
    db.close()


def test_closed_handles_raise():
    d = Determinants()
    d.close()
    with pytest.raises(bill.StateError):
        d.compute()
    with Store(":memory:") as s:
        with pytest.raises(TypeError):
            s.billing_run(JUNE, ["not a tariff"])
