"""Power factor and adjustment tables of the Python binding.

The power factor is checked against its definition, PF = kWh / sqrt(kWh² +
kvarh²) rounded half-up to two decimals, without a square root: with
S = kWh² + kvarh², the rounded p is right iff (p - 0.005)² · S <= kWh² <
(p + 0.005)² · S, evaluated exactly with Python's decimal (Inexact trapped).
"""

import decimal
import gc
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings, strategies as st

import bill

EXACT = decimal.Context(prec=500, Emax=10**6, Emin=-10**6,
                        traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])
HALF_STEP = Decimal("0.005")


# ---- power_factor -----------------------------------------------------------------------------

@pytest.mark.parametrize("kwh, kvarh, expected", [
    ("3", "4", "0.60"),                     # 3-4-5 triangle: exactly 0.6
    ("4", "3", "0.80"),
    ("100", "0", "1.00"),
    ("0", "100", "0.00"),
    ("100", "100", "0.71"),
    ("120000", "-58000", "0.90"),           # the sign of kvarh is ignored
    ("3000000000000000000000", "4000000000000000000000", "0.60"),   # 22 digits: GMP path
    ("0.3", "0.4", "0.60"),
    ("7", "24", "0.28"),
    ("1", "0.6330", "0.84"),                # 0.84496..
    ("1", "0.6329", "0.84"),                # 0.844985..
    ("1", "0.6328", "0.85"),                # 0.845023..
])
def test_power_factor_values(kwh, kvarh, expected):
    pf = bill.power_factor(kwh, kvarh)
    assert isinstance(pf, Decimal)
    assert str(pf) == expected              # value and scale 2


def test_power_factor_takes_decimal_str_and_int():
    assert bill.power_factor(3, 4) == Decimal("0.60")
    assert bill.power_factor(Decimal("3"), Decimal("4")) == Decimal("0.60")
    assert bill.power_factor("1", Decimal("0.6328")) == Decimal("0.85")


def test_power_factor_of_nothing_is_out_of_range():
    with pytest.raises(bill.InputError) as info:
        bill.power_factor(0, 0)
    assert info.value.name == "ERANGE"
    assert info.value.code == bill.Status.ERANGE
    assert info.value.family == "INPUT"
    assert "both zero" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_negative_kwh_is_out_of_range():
    with pytest.raises(bill.InputError) as info:
        bill.power_factor("-5", "1")
    assert info.value.name == "ERANGE"


@pytest.mark.parametrize("args", [(3.0, 4), (3, 4.0), (True, 4)])
def test_power_factor_rejects_float_and_bool(args):
    with pytest.raises(TypeError):
        bill.power_factor(*args)


def test_power_factor_rejects_bad_text():
    with pytest.raises(bill.InputError) as info:
        bill.power_factor("3 kWh", "4")
    assert info.value.name == "ESYNTAX"


amounts = st.builds(lambda c, e: Decimal(c).scaleb(-e), st.integers(0, 10**24), st.integers(0, 6))


@settings(max_examples=400)
@given(amounts, amounts, st.booleans())
def test_power_factor_matches_definition(kwh, kvarh, leading):
    assume(kwh != 0 or kvarh != 0)
    if leading:
        kvarh = -kvarh
    p = bill.power_factor(kwh, kvarh)
    assert p.as_tuple().exponent == -2
    assert Decimal("0.00") <= p <= Decimal("1.00")
    with decimal.localcontext(EXACT):
        s = kwh * kwh + kvarh * kvarh
        k2 = kwh * kwh
        lo = p - HALF_STEP
        hi = p + HALF_STEP
        if lo > 0:
            assert lo * lo * s <= k2        # p - 0.005 <= PF
        assert k2 < hi * hi * s             # PF < p + 0.005


# ---- PowerFactorTable ------------------------------------------------------------------------

def test_standard_090():
    with bill.PowerFactorTable.from_standard("0.90") as t:
        assert t.standard == Decimal("0.90")
        assert str(t.standard) == "0.90"
        assert t.percent("0.60") == Decimal("25.00")
        assert str(t.percent("0.60")) == "25.00"
        assert t.percent("0.95") == Decimal("-0.75")
        assert t.percent("0.90") == 0
        assert t.percent("0.89") == Decimal("0.50")
        assert t.percent("1.00") == Decimal("-0.75")
        assert t.percent("0.904") == 0                  # rounded half-up to 0.90 first
        assert t.percent("0.905") == Decimal("-0.15")
        assert t.percent(1) == Decimal("-0.75")
        assert t[Decimal("0.60")] == Decimal("25.00")   # indexing is percent()


def test_standard_085_and_080():
    with bill.PowerFactorTable.from_standard(Decimal("0.85")) as t:
        assert t.standard == Decimal("0.85")
        assert t.percent("0.94") == Decimal("-1.10")
        assert t.percent(Decimal("0.84")) == Decimal("0.50")
    with bill.PowerFactorTable.from_standard("0.8") as t:
        assert str(t.standard) == "0.80"
        assert t.percent("0.92") == Decimal("-1.30")


def test_power_factor_feeds_the_table():
    with bill.PowerFactorTable.from_standard("0.90") as t:
        assert t.percent(bill.power_factor(3, 4)) == Decimal("25.00")


@pytest.mark.parametrize("standard", ["0.75", "abc", "1.5", Decimal("0.95")])
def test_unknown_standard(standard):
    with pytest.raises(bill.InputError) as info:
        bill.PowerFactorTable.from_standard(standard)
    assert info.value.name == "ERANGE"


@pytest.mark.parametrize("standard", [0.9, True, None, [0.9]])
def test_standard_must_be_decimal_or_str(standard):
    with pytest.raises(TypeError):
        bill.PowerFactorTable.from_standard(standard)


def test_percent_rejects_float_and_out_of_range():
    with bill.PowerFactorTable.from_standard("0.90") as t:
        with pytest.raises(TypeError):
            t.percent(0.6)
        for pf in ("1.01", "-0.01", "1.005"):
            with pytest.raises(bill.InputError) as info:
                t.percent(pf)
            assert info.value.name == "ERANGE"


def test_no_public_constructor():
    with pytest.raises(TypeError):
        bill.PowerFactorTable()


GOOD = """# a utility's own table
0.00-0.79 5
0.80 0
0.81-1.00 -1.5   # flat rebate
"""


def test_load():
    with bill.PowerFactorTable.load("0.80", GOOD) as t:
        assert t.standard == Decimal("0.80")
        assert str(t.percent("0.50")) == "5"
        assert str(t.percent("0.80")) == "0"
        assert str(t.percent("0.97")) == "-1.5"
    with bill.PowerFactorTable.load(Decimal("0.80"), GOOD) as t:
        assert t.standard == Decimal("0.80")


@pytest.mark.parametrize("text, name, where", [
    ("0.00-0.80 0\n0.80-1.00 1\n", "ERULE", "line 2"),          # 0.80 twice
    ("0.00-0.90 0\n", "ERULE", "0.91"),                         # not covered
    ("# header\n0.00-1.00\n", "ESYNTAX", "line 2"),             # no percent
    ("0.00-1.005 1\n", "ESYNTAX", "line 1"),
    ("0.00-0.79 5\n0.80 0\n0.81-1.00 x\n", "ESYNTAX", "line 3"),
    ("0.00-1.00 1\n", "ERULE", "standard"),                     # standard must be 0 %
])
def test_load_errors_name_the_line(text, name, where):
    with pytest.raises(bill.InputError) as info:
        bill.PowerFactorTable.load("0.80", text)
    assert info.value.name == name
    assert where in str(info.value)


def test_load_rejects_bad_standard_and_non_text():
    with pytest.raises(bill.InputError):
        bill.PowerFactorTable.load("0.7x", GOOD)
    with pytest.raises(TypeError):
        bill.PowerFactorTable.load("0.80", 42)
    with pytest.raises(TypeError):
        bill.PowerFactorTable.load(0.8, GOOD)


PFS = [Decimal(k).scaleb(-2) for k in range(101)]


@pytest.mark.parametrize("standard", ["0.90", "0.85", "0.80"])
def test_a_loaded_copy_of_a_standard_table_agrees(standard):
    with bill.PowerFactorTable.from_standard(standard) as t:
        rows = "\n".join(f"{pf} {t.percent(pf)}" for pf in PFS)
        with bill.PowerFactorTable.load(t.standard, rows) as copy:
            assert copy.standard == t.standard
            assert [copy.percent(pf) for pf in PFS] == [t.percent(pf) for pf in PFS]


@given(st.integers(0, 100_000))
def test_percent_rounds_half_up_to_two_decimals(k):
    pf = Decimal(k).scaleb(-5)                      # 0.00000 .. 1.00000
    assume(pf.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP) <= 1)
    with bill.PowerFactorTable.from_standard("0.90") as t:
        rounded = pf.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
        assert t.percent(pf) == t.percent(rounded)


# ---- life cycle --------------------------------------------------------------------------------

def test_context_manager_and_close():
    with bill.PowerFactorTable.from_standard("0.90") as t:
        assert not t.closed
        assert "0.90" in repr(t)
    assert t.closed
    assert "closed" in repr(t)
    with pytest.raises(bill.StateError) as info:
        t.percent("0.60")
    assert info.value.name == "ESTATE"
    assert info.value.code == bill.Status.ESTATE
    t.close()           # closing twice is harmless
    t.close()


@pytest.mark.parametrize("use", [
    lambda t: t.standard,
    lambda t: t.percent("0.60"),
    lambda t: t["0.60"],
])
def test_use_after_close_raises(use):
    t = bill.PowerFactorTable.load("0.80", GOOD)
    t.close()
    with pytest.raises(bill.StateError):
        use(t)


def test_exception_inside_with_still_closes():
    with pytest.raises(ZeroDivisionError):
        with bill.PowerFactorTable.from_standard("0.85") as t:
            1 / 0
    assert t.closed
    with pytest.raises(bill.StateError):
        t.percent("0.85")


def test_unclosed_tables_are_freed_by_gc():
    for _ in range(1000):
        t = bill.PowerFactorTable.from_standard("0.90")
        t.percent("0.60")
    del t
    gc.collect()
    with bill.PowerFactorTable.from_standard("0.90") as t:
        assert t.percent("0.60") == Decimal("25.00")


def test_raw_module():
    raw = bill.bill
    h = raw.bill_pf_table_create_standard("0.90")
    assert raw.bill_pf_table_percent(h, "0.60") == Decimal("25.00")
    raw.bill_pf_table_free(h)
    raw.bill_pf_table_free(h)        # harmless
    with pytest.raises(bill.StateError):
        raw.bill_pf_table_standard(h)
    assert raw.bill_pf_compute("3", "4") == Decimal("0.60")
