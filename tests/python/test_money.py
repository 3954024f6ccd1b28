"""Money and currencies of the Python binding."""

import decimal
import pickle
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

import bill
from bill import Money

BIG = decimal.Context(prec=1000, Emax=10**6, Emin=-10**6)


def amounts(max_coef=10**24, min_exp=-6, max_exp=3):
    return st.builds(lambda c, e: Decimal(f"{c}E{e}"),
                     st.integers(-max_coef, max_coef), st.integers(min_exp, max_exp))


# ---- construction and text ---------------------------------------------------------------------

def test_construction_keeps_amount_and_normalises_code():
    m = Money("123.45", "cny")
    assert m.currency == "CNY"
    assert m.amount == Decimal("123.45")
    assert m.amount.as_tuple().exponent == -2
    assert isinstance(m.amount, Decimal)
    assert Money(Decimal("1.5E+3"), "JPY").amount.as_tuple() == Decimal("1.5E+3").as_tuple()
    assert Money(7, "USD").amount == Decimal(7)


def test_str_and_repr():
    assert str(Money("123.45", "CNY")) == "CNY 123.45"
    assert str(Money("-0.50", "USD")) == "USD -0.50"
    assert str(Money("1.5E+3", "JPY")) == "JPY 1500"
    assert repr(Money("1660.56", "CNY")) == "Money('1660.56', 'CNY')"


def test_bad_construction():
    with pytest.raises(bill.ArithError) as info:
        Money("1", "XYZ")
    assert info.value.name == "ECURRENCY"
    assert "XYZ" in str(info.value)
    with pytest.raises(bill.InputError) as info:
        Money("12,50", "CNY")
    assert info.value.name == "ESYNTAX"
    assert "12,50" in str(info.value)
    with pytest.raises(TypeError):
        Money(12.5, "CNY")
    with pytest.raises(TypeError):
        Money("1", 156)


def test_immutable_and_picklable():
    m = Money("1.50", "CNY")
    with pytest.raises(AttributeError):
        m.amount = Decimal(2)
    with pytest.raises(AttributeError):
        m._amount = Decimal(2)
    copy = pickle.loads(pickle.dumps(m))
    assert copy == m and copy.amount.as_tuple() == m.amount.as_tuple()


# ---- arithmetic ------------------------------------------------------------------------------------

def test_add_subtract_negate():
    a, b = Money("1648.56", "CNY"), Money("12.00", "CNY")
    assert a + b == Money("1660.56", "CNY")
    assert str(a - b) == "CNY 1636.56"
    assert str(-a) == "CNY -1648.56"
    assert +a is a


def test_multiply_by_numbers():
    price = Money("0.5283", "CNY")
    assert (price * Decimal("3120.5")).amount == Decimal("1648.56015")
    assert str(price * "3120.5") == "CNY 1648.56015"
    assert (3 * price).amount == Decimal("1.5849")
    with pytest.raises(TypeError):
        price * 1.5
    with pytest.raises(TypeError):
        price * price
    with pytest.raises(TypeError):
        price + 1


def test_currency_mismatch_raises():
    cny, usd = Money("1", "CNY"), Money("1", "USD")
    for op in (lambda: cny + usd, lambda: cny - usd, lambda: cny < usd, lambda: cny >= usd):
        with pytest.raises(bill.ArithError) as info:
            op()
        assert info.value.name == "ECURRENCY"
        assert "CNY" in str(info.value) and "USD" in str(info.value)
    assert (cny == usd) is False
    assert cny != usd


@settings(max_examples=200, deadline=None)
@given(amounts(), amounts(), amounts(max_coef=10**6))
def test_arithmetic_is_exact(a, b, f):
    ma, mb = Money(a, "EUR"), Money(b, "EUR")
    assert (ma + mb).amount == BIG.add(a, b)
    assert (ma - mb).amount == BIG.subtract(a, b)
    assert (ma * f).amount == BIG.multiply(a, f)
    assert (ma + mb).amount.as_tuple().exponent == min(a.as_tuple().exponent, b.as_tuple().exponent)


# ---- comparison and hashing ----------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(amounts(), amounts())
def test_comparisons_follow_values(a, b):
    ma, mb = Money(a, "CNY"), Money(b, "CNY")
    assert (ma < mb) == (a < b)
    assert (ma <= mb) == (a <= b)
    assert (ma > mb) == (a > b)
    assert (ma >= mb) == (a >= b)
    assert (ma == mb) == (a == b)
    if ma == mb:
        assert hash(ma) == hash(mb)


def test_equal_values_with_different_scales():
    assert Money("1.5", "CNY") == Money("1.50", "CNY")
    assert hash(Money("1.5", "CNY")) == hash(Money("1.50", "CNY"))
    assert len({Money("1.5", "CNY"), Money("1.50", "CNY"), Money("1.5", "USD")}) == 2
    assert sorted([Money("3", "CNY"), Money("-1", "CNY"), Money("2.5", "CNY")]) == [
        Money("-1", "CNY"), Money("2.5", "CNY"), Money("3", "CNY")]
    assert (Money("1", "CNY") == Decimal(1)) is False


# ---- rounding and allocation ------------------------------------------------------------------

@pytest.mark.parametrize("amount, code, mode, expected", [
    ("2.345", "CNY", "HALF_UP", "2.35"),
    ("2.345", "CNY", "HALF_EVEN", "2.34"),
    ("-2.345", "CNY", "HALF_UP", "-2.35"),
    ("1648.56015", "CNY", "HALF_UP", "1648.56"),
    ("1234.5", "JPY", "HALF_UP", "1235"),
    ("1234.5", "JPY", "HALF_EVEN", "1234"),
    ("1.23456", "KWD", "DOWN", "1.234"),
    ("7", "CNY", "UNNECESSARY", "7.00"),
])
def test_round_to_minor_units(amount, code, mode, expected):
    r = Money(amount, code).round(mode)
    assert r.currency == code
    assert r.amount.as_tuple() == Decimal(expected).as_tuple()


def test_round_unnecessary_refuses():
    with pytest.raises(bill.ArithError) as info:
        Money("2.345", "CNY").round("UNNECESSARY")
    assert info.value.name == "EROUNDING"


def test_allocate_money():
    parts = Money("100.00", "CNY").allocate(3)
    assert [str(p) for p in parts] == ["CNY 33.34", "CNY 33.33", "CNY 33.33"]
    parts = Money("100.00", "CNY").allocate(3, rule="TO_LAST")
    assert [p.amount for p in parts] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    parts = Money("100", "JPY").allocate(ratios=[1, 1, 1])
    assert [p.amount for p in parts] == [Decimal(34), Decimal(33), Decimal(33)]
    with pytest.raises(bill.ArithError) as info:
        Money("100.005", "CNY").allocate(2)
    assert info.value.name == "EROUNDING"


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**15, 10**15), st.integers(1, 25), st.sampled_from([r.name for r in bill.Remainder]),
       st.sampled_from(["CNY", "JPY", "KWD"]))
def test_allocation_sums_to_total(units, n, rule, code):
    minor = bill.currency(code).minor_units
    total = Money(Decimal(units).scaleb(-minor), code)
    parts = total.allocate(n, rule=rule)
    assert len(parts) == n
    assert all(p.currency == code for p in parts)
    assert all(p.amount.as_tuple().exponent == -minor for p in parts)
    s = parts[0]
    for p in parts[1:]:
        s = s + p
    assert s == total


# ---- currencies ------------------------------------------------------------------------------------

def test_currency_lookup():
    c = bill.currency("cny")
    assert (c.code, c.numeric, c.minor_units) == ("CNY", 156, 2)
    assert "yuan" in c.name.lower()
    assert bill.currency("JPY").minor_units == 0
    assert bill.currency("KWD").minor_units == 3
    assert Money("1", "CNY").currency_info == c
    with pytest.raises(bill.ArithError) as info:
        bill.currency("ABC")
    assert info.value.name == "ECURRENCY"


def test_currency_table():
    table = bill.currencies()
    codes = [c.code for c in table]
    assert len(table) > 100
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert {"CNY", "USD", "EUR", "JPY"} <= set(codes)
    for c in table:
        assert bill.currency(c.code) == c
        assert 0 <= c.minor_units <= 4
