"""Register arithmetic of the Python binding (bill.register_advance and friends)."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

import bill


@pytest.mark.parametrize("prev, cur, digits, decimals, mult, kind, advance, energy", [
    ("100", "250", 5, 0, 1, "normal", "150", "150"),
    ("1234.56", "1240.00", 6, 2, 4000, "normal", "5.44", "21760.00"),
    ("99990", "5", 5, 0, 40, "rollover", "15", "600"),
    ("90000", "0", 5, 0, 1, "rollover", "10000", "10000"),      # exactly the plausible maximum
    ("99999.9", "0.1", 5, 1, "1.5", "rollover", "0.2", "0.30"),
])
def test_advance(prev, cur, digits, decimals, mult, kind, advance, energy):
    a = bill.register_advance(prev, cur, digits, decimals, multiplier=mult)
    assert a.kind == kind
    assert a.advance == Decimal(advance) and str(a.advance) == advance
    assert str(a.energy) == energy


def test_decrease_is_a_rule_error():
    with pytest.raises(bill.InputError) as e:
        bill.register_advance("89999", "0", digits=5)
    assert e.value.status == bill.Status.ERULE
    assert "went down from 89999 to 0" in str(e.value)
    # a larger plausible maximum makes it a rollover
    assert bill.register_advance("89999", "0", digits=5, max_rollover=20000).advance == 10001


def test_range_and_arguments():
    with pytest.raises(bill.InputError) as e:
        bill.register_advance("1", "100000", digits=5)
    assert e.value.status == bill.Status.ERANGE
    with pytest.raises(bill.InputError):
        bill.check_reading("1.25", digits=5, decimals=1)
    bill.check_reading("1.20", digits=5, decimals=1)
    with pytest.raises(bill.ArgumentError):
        bill.register_advance("1", "2", digits=5, multiplier=0)
    with pytest.raises(bill.ArgumentError):
        bill.register_advance("1", "2", digits=0)
    with pytest.raises(TypeError):
        bill.register_advance(1.5, "2", digits=5)


def test_demand():
    assert str(bill.interval_demand_kw("12.345", 15)) == "49.380"
    assert bill.interval_demand_kw(Decimal("3"), 60) == 3
    with pytest.raises(bill.ArgumentError):
        bill.interval_demand_kw("1", 7)


@given(prev=st.integers(0, 99999), cur=st.integers(0, 99999), mult=st.integers(1, 10000))
def test_advance_matches_definition(prev, cur, mult):
    if cur >= prev:
        a = bill.register_advance(prev, cur, 5, multiplier=mult)
        assert (a.kind, a.advance, a.energy) == ("normal", cur - prev, (cur - prev) * mult)
    elif 100000 - prev + cur <= 10000:
        a = bill.register_advance(prev, cur, 5, multiplier=mult)
        assert (a.kind, a.advance, a.energy) == ("rollover", 100000 - prev + cur,
                                                 (100000 - prev + cur) * mult)
    else:
        with pytest.raises(bill.InputError):
            bill.register_advance(prev, cur, 5, multiplier=mult)
