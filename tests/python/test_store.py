"""The store and the registry through the Python binding."""

import datetime
import sqlite3
import threading
from decimal import Decimal

import pytest

import bill
from bill import Account, Meter, Register, RegisterKind, MeterStatus, Protection, Store

D = datetime.date


@pytest.fixture
def store():
    with Store(":memory:") as s:
        yield s


def test_file_store_reopen_and_version(tmp_path):
    path = str(tmp_path / "bill.db")
    with pytest.raises(bill.InputError) as e:
        Store(path, create=False)
    assert e.value.status.name == "ENOTFOUND"
    with Store(path) as s:
        assert s.schema_version == bill.store.SCHEMA_VERSION == 4
        assert not s.readonly
        stored = s.add_account(Account("ACC-1", capacity_kva=Decimal("315.0")))
        assert len(stored.uuid) == 36
    with Store(path, readonly=True) as s:
        assert s.readonly
        assert s.account("ACC-1").capacity_kva == Decimal("315.0")
        with pytest.raises(bill.StateError):
            s.add_account(Account("ACC-2"))
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with pytest.raises(bill.StorageError) as e:
        Store(path)
    assert e.value.status.name == "EVERSION"
    assert "99" in str(e.value)


def test_refuses_foreign_files(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("this is not a database, only some text that is long enough to matter\n" * 4)
    with pytest.raises(bill.StorageError) as e:
        Store(str(text))
    assert e.value.status.name == "ECORRUPT"
    other = tmp_path / "other.db"
    db = sqlite3.connect(str(other))
    db.execute("CREATE TABLE customers (id INTEGER)")
    db.close()
    with pytest.raises(bill.StorageError, match="not a libbill store"):
        Store(str(other))


def test_closed_store_raises():
    s = Store()
    s.close()
    s.close()
    assert s.closed
    with pytest.raises(bill.StateError):
        s.accounts()


def test_accounts(store):
    a = Account("ACC-1", customer_class="commercial", household_size=5,
                capacity_kva=Decimal("630"), declared_kw=Decimal("400.5"), pf_standard="0.90",
                protection=Protection.IMPORTANT | Protection.LIFE_SUPPORT, tariff="t-2024")
    stored = store.add_account(a)
    got = store.account("ACC-1")
    assert got == stored
    assert got.declared_kw == Decimal("400.5") and isinstance(got.declared_kw, Decimal)
    assert got.protection == Protection.IMPORTANT | Protection.LIFE_SUPPORT
    with pytest.raises(bill.InputError) as e:
        store.add_account(Account("ACC-1"))
    assert e.value.status.name == "EEXISTS" and "ACC-1" in str(e.value)
    with pytest.raises(bill.InputError, match="household size"):
        store.add_account(Account("ACC-2", household_size=0))
    with pytest.raises(TypeError):
        store.add_account(Account("ACC-2", capacity_kva=1.5))
    assert store.accounts() == ["ACC-1"]  # nothing stored by the failures
    store.update_account(Account("ACC-1", household_size=2))
    assert store.account("ACC-1").household_size == 2
    with pytest.raises(bill.InputError) as e:
        store.account("NOPE")
    assert e.value.status.name == "ENOTFOUND"


def test_meters_and_multipliers(store):
    m = store.add_meter(Meter("M-1", digits=5, multiplier=Decimal("40"), installed=D(2024, 1, 1),
                              registers=[Register("total"), Register("peak"),
                                         Register("kvarh", RegisterKind.REACTIVE),
                                         Register("max_demand", RegisterKind.DEMAND, 4)]))
    assert len(m.uuid) == 36
    assert m.status == MeterStatus.INSTALLED
    assert [r.code for r in m.registers] == ["total", "peak", "kvarh", "max_demand"]
    assert m.registers[2].kind == RegisterKind.REACTIVE
    assert m.registers[0].digits == 5 and m.registers[3].digits == 4
    assert m.multiplier == Decimal("40")
    plain = store.add_meter(Meter("M-2"))
    assert plain.status == MeterStatus.IN_STOCK
    assert [r.code for r in plain.registers] == ["total"]
    with pytest.raises(bill.InputError) as e:
        store.add_meter(Meter("M-1"))
    assert e.value.status.name == "EEXISTS"
    store.set_multiplier("M-1", D(2024, 6, 1), Decimal("60"))
    assert store.multiplier_on("M-1", D(2024, 5, 31)) == Decimal("40")
    assert store.multiplier_on("M-1", D(2024, 6, 1)) == Decimal("60")
    with pytest.raises(bill.InputError) as e:
        store.set_multiplier("M-1", D(2023, 1, 1), Decimal("2"))
    assert e.value.status.name == "ERULE"
    assert store.meters() == ["M-1", "M-2"]


def test_links(store):
    for ref in ("A1", "A2"):
        store.add_account(Account(ref))
    store.add_meter(Meter("M1", installed=D(2024, 1, 1)))
    store.add_meter(Meter("STOCK"))
    with pytest.raises(bill.InputError) as e:
        store.link("STOCK", "A1", D(2024, 1, 1))
    assert e.value.status.name == "ERULE"
    with pytest.raises(bill.InputError, match="before the meter's installation"):
        store.link("M1", "A1", D(2023, 12, 1))
    store.link("M1", "A1", D(2024, 1, 1), D(2024, 3, 1))
    with pytest.raises(bill.InputError, match="overlaps") as e:
        store.link("M1", "A2", D(2024, 2, 1))
    assert e.value.status.name == "ERULE"
    store.link("M1", "A2", D(2024, 3, 1))
    assert [l.account for l in store.meter_accounts("M1", D(2024, 2, 29))] == ["A1"]
    (now,) = store.meter_accounts("M1", D(2024, 3, 1))
    assert now.account == "A2" and now.end is None and now.ratio == 1
    assert store.meter_accounts("M1", D(2023, 6, 1)) == []
    (l,) = store.account_meters("A1", D(2024, 1, 1), D(2025, 1, 1))
    assert (l.meter, l.start, l.end) == ("M1", D(2024, 1, 1), D(2024, 3, 1))
    store.end_link("M1", D(2024, 6, 1))
    assert store.meter_accounts("M1", D(2024, 6, 1)) == []
    store.remove_meter("M1", D(2024, 7, 1))
    assert store.meter("M1").status == MeterStatus.REMOVED
    assert store.meter("M1").removed == D(2024, 7, 1)


def test_shared_meter_split(store):
    for ref in ("H1", "H2", "H3"):
        store.add_account(Account(ref))
    store.add_meter(Meter("SH", installed=D(2024, 1, 1)))
    with pytest.raises(bill.InputError, match="not exactly 1"):
        store.link_shared("SH", {"H1": "0.333", "H2": "0.333", "H3": "0.333"}, D(2024, 1, 1))
    with pytest.raises(TypeError):
        store.link_shared("SH", {"H1": 0.5, "H2": 0.5}, D(2024, 1, 1))
    assert store.meter_accounts("SH", D(2024, 1, 1)) == []
    store.link_shared("SH", {"H1": Decimal("0.333"), "H2": Decimal("0.333"),
                             "H3": Decimal("0.334")}, D(2024, 1, 1))
    parts = store.split("SH", D(2024, 2, 1), Decimal("100"))
    assert parts == {"H1": Decimal("33"), "H2": Decimal("33"), "H3": Decimal("34")}
    parts = store.split("SH", D(2024, 2, 1), Decimal("1234.567"), 3)
    assert sum(parts.values()) == Decimal("1234.567")
    assert all(p.as_tuple().exponent == -3 for p in parts.values())


def test_subs(store):
    for serial in ("MASTER", "SUB1", "SUB2"):
        store.add_meter(Meter(serial, installed=D(2024, 1, 1)))
    store.add_sub("MASTER", "SUB1", D(2024, 1, 1))
    store.add_sub("MASTER", "SUB2", D(2024, 1, 1), D(2024, 6, 1))
    with pytest.raises(bill.InputError, match="loop"):
        store.add_sub("SUB1", "MASTER", D(2024, 1, 1))
    subs = store.subs("MASTER", D(2024, 7, 1), D(2024, 8, 1))
    assert [(s.meter, s.master) for s in subs] == [("SUB1", "MASTER")]
    store.end_sub("SUB1", D(2024, 7, 15))
    assert store.subs("MASTER", D(2024, 8, 1), D(2024, 9, 1)) == []


def test_transaction(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_account(Account("T1"))
            store.add_account(Account("T2"))
            raise RuntimeError("abandon")
    assert store.accounts() == []
    with store.transaction():
        store.add_account(Account("T1"))
        store.add_account(Account("T2"))
    assert store.accounts() == ["T1", "T2"]


def test_two_threads_lose_nothing(tmp_path):
    path = str(tmp_path / "shared.db")
    Store(path).close()
    errors = []

    def writer(prefix):
        try:
            with Store(path) as s:
                for i in range(60):
                    s.add_account(Account(f"{prefix}-{i:03d}"))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(path) as s:
        assert len(s.accounts()) == 120


def test_waiting_writer_releases_the_gil(tmp_path):
    """A thread holding a transaction can commit while another thread waits for the lock."""
    path = str(tmp_path / "gil.db")
    Store(path).close()
    holder_in = threading.Event()
    result = []

    def waiter():
        holder_in.wait()
        with Store(path) as s:
            s.set_busy_timeout(10000)
            s.add_account(Account("WAITER"))  # blocks until the holder commits
            result.append(s.accounts())

    t = threading.Thread(target=waiter)
    t.start()
    with Store(path) as s:
        with s.transaction():
            s.add_account(Account("HOLDER"))
            holder_in.set()
            # give the waiter time to start waiting on the lock (inside C)
            deadline = threading.Event()
            deadline.wait(0.3)
    t.join(20)
    assert not t.is_alive()
    assert result == [["HOLDER", "WAITER"]]


# ---- the overlap rule against a model ---------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

BASE = D(2024, 1, 1)


@st.composite
def link_attempts(draw):
    """Up to 12 attempts to link one meter: (account, start day, end day or None)."""
    out = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 60))
        end = draw(st.one_of(st.none(), st.integers(start + 1, 70)))
        out.append((draw(st.sampled_from(["A", "B", "C"])), start, end))
    return out


@settings(max_examples=60, deadline=None)
@given(link_attempts())
def test_links_never_overlap_model(attempts):
    """Each attempt is accepted exactly when it overlaps no accepted link; on every day the
    store then names the account the model names."""
    inf = 10**6
    with Store() as s:
        for ref in "ABC":
            s.add_account(Account(ref))
        s.add_meter(Meter("M", installed=BASE))
        accepted = []
        for ref, start, end in attempts:
            hi = inf if end is None else end
            overlaps = any(start < (inf if e is None else e) and a < hi for _, a, e in accepted)
            day = lambda n: BASE + datetime.timedelta(days=n)  # noqa: E731
            if overlaps:
                with pytest.raises(bill.InputError) as e:
                    s.link("M", ref, day(start), None if end is None else day(end))
                assert e.value.status.name == "ERULE"
            else:
                s.link("M", ref, day(start), None if end is None else day(end))
                accepted.append((ref, start, end))
        for n in range(0, 75):
            want = [r for r, a, e in accepted if a <= n < (inf if e is None else e)]
            got = [l.account for l in s.meter_accounts("M", BASE + datetime.timedelta(days=n))]
            assert got == want
