"""Decimals of the Python binding, checked against Python's decimal module.

Python's decimal implements the same General Decimal Arithmetic
specification, so with a context big enough to be exact it is an
independent oracle for parsing, formatting, exact arithmetic, rescaling and
rounding. Division to a scale is checked against Decimal.quantize of the
quotient computed with ROUND_05UP at a much larger precision, which makes
the second rounding exact (no double-rounding error).
"""

import decimal
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings, strategies as st

import bill

EMAX = 10**6
BIG = decimal.Context(prec=3000, Emax=EMAX, Emin=-EMAX, rounding=decimal.ROUND_HALF_EVEN,
                      traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])

MODES = [
    ("UP", decimal.ROUND_UP),
    ("DOWN", decimal.ROUND_DOWN),
    ("CEILING", decimal.ROUND_CEILING),
    ("FLOOR", decimal.ROUND_FLOOR),
    ("HALF_UP", decimal.ROUND_HALF_UP),
    ("HALF_DOWN", decimal.ROUND_HALF_DOWN),
    ("HALF_EVEN", decimal.ROUND_HALF_EVEN),
]
MODE_NAMES = [m for m, _ in MODES]
PY_MODE = dict(MODES)

SETTINGS = settings(max_examples=300, deadline=None)


@st.composite
def decimals(draw, max_coef=10**30, min_exp=-20, max_exp=8):
    """Finite decimals, small and beyond 64 bits, with positive and negative scales.

    A third of the coefficients end in 5 or 50, so that rounding ties are common.
    """
    coef = draw(st.one_of(st.integers(-10**4, 10**4), st.integers(-max_coef, max_coef),
                          st.integers(-10**6, 10**6).map(lambda c: c * 10 + 5 if c % 2 else c * 100 + 50)))
    exp = draw(st.integers(min_exp, max_exp))
    return Decimal(f"{coef}E{exp}")


def divisors():
    """Divisors, with many whose quotients terminate (so that ties occur at the rounding digit)."""
    return st.one_of(decimals(), st.sampled_from([Decimal(t) for t in (
        "2", "-2", "4", "8", "16", "0.5", "5", "-25", "0.125", "1.6", "40", "3", "-7")]))


def same(a, b):
    """Same value and same exponent (the scale is part of a decimal's identity)."""
    return a == b and a.as_tuple().exponent == b.as_tuple().exponent


def quantum(scale):
    return Decimal((0, (1,), -scale))


# ---- parsing and formatting ---------------------------------------------------------------

@SETTINGS
@given(decimals())
def test_parse_format_round_trip(x):
    r = bill.parse(str(x))
    assert isinstance(r, Decimal)
    assert r.as_tuple() == x.as_tuple()
    assert bill.parse(bill.to_plain_string(x)) == x


@SETTINGS
@given(decimals())
def test_to_sci_string_is_str_of_decimal(x):
    assert bill.to_sci_string(x) == str(x)


@SETTINGS
@given(decimals())
def test_plain_string_is_fixed_point_format(x):
    assert bill.to_plain_string(x) == format(x, "f")


@SETTINGS
@given(decimals())
def test_amounts_in_as_decimal_str_or_int_agree(x):
    assert same(bill.add(x, 0), bill.add(str(x), 0))
    if x == x.to_integral_value() and x.as_tuple().exponent == 0:
        assert same(bill.add(int(x), 0), x)


@pytest.mark.parametrize("text, expected", [
    ("123", "123"), ("-0.5283", "-0.5283"), ("+1.50", "1.50"), ("1.5E+3", "1.5E+3"),
    (".5", "0.5"), ("5.", "5"), ("1e-7", "1E-7"), ("-0.00", "0.00"), ("007", "7"),
])
def test_parse_documented_forms(text, expected):
    r = bill.parse(text)
    assert same(r, Decimal(expected))
    assert str(r) == expected


@pytest.mark.parametrize("text", [
    "", " 1", "1 ", "1 000", "1.2.3", "NaN", "inf", "Infinity", "0x10", "1,000", "+", "-", ".",
    "1e", "1e+", "--1", "1_000",
])
def test_parse_rejects(text):
    with pytest.raises(bill.InputError) as info:
        bill.parse(text)
    assert info.value.name in ("ESYNTAX", "ERANGE")


def test_parse_limits():
    assert bill.parse("9" * 1000) == Decimal("9" * 1000)
    with pytest.raises(bill.InputError):
        bill.parse("9" * 1001)
    with pytest.raises(bill.InputError) as info:
        bill.parse("1E-100001")
    assert info.value.name == "ERANGE"


def test_scale_is_kept():
    assert str(bill.add("1.50", "0")) == "1.50"
    assert str(bill.multiply("1.50", "2.0")) == "3.000"
    assert str(bill.add("1.5E+3", "0E+3")) == "1.5E+3"
    big = Decimal("123456789012345678901234567890.123456789")
    assert same(bill.add(big, 0), big)


# ---- exact arithmetic -------------------------------------------------------------------------

@SETTINGS
@given(decimals(), decimals())
def test_add_subtract_exact(a, b):
    assert same(bill.add(a, b), BIG.add(a, b))
    assert same(bill.subtract(a, b), BIG.subtract(a, b))


@SETTINGS
@given(decimals(), decimals())
def test_multiply_exact(a, b):
    assert same(bill.multiply(a, b), BIG.multiply(a, b))


@SETTINGS
@given(decimals(), decimals())
def test_compare_negate_absolute(a, b):
    assert bill.compare(a, b) == (a > b) - (a < b)
    assert same(bill.negate(a), BIG.minus(a))
    assert same(bill.absolute(a), BIG.abs(a))


def test_arithmetic_beyond_python_default_context():
    # Python's default context would round this sum to 28 digits.
    a, b = Decimal("1.0000000000000000000000000001"), Decimal("1E+20")
    assert bill.add(a, b) == Decimal("100000000000000000001.0000000000000000000000000001")
    assert bill.add(a, b) != a + b


# ---- division and rounding ------------------------------------------------------------------

def expected_div(a, b, scale, mode):
    ctx = decimal.Context(prec=400, rounding=decimal.ROUND_05UP, Emax=EMAX, Emin=-EMAX)
    q = ctx.divide(a, b)
    return q.quantize(quantum(scale), rounding=mode, context=BIG)


@SETTINGS
@given(decimals(), divisors(), st.integers(-5, 30), st.sampled_from(MODE_NAMES))
def test_divide_to_scale_matches_quantize(a, b, scale, mode):
    assume(b != 0)
    expected = expected_div(a, b, scale, PY_MODE[mode])
    assert same(bill.divide(a, b, scale, mode), expected)
    assert same(bill.divide(a, b, scale, bill.Rounding[mode]), expected)


@SETTINGS
@given(decimals(max_coef=10**6), divisors(), st.integers(0, 8))
def test_divide_unnecessary(a, b, scale):
    assume(b != 0)
    up = expected_div(a, b, scale, decimal.ROUND_UP)
    down = expected_div(a, b, scale, decimal.ROUND_DOWN)
    if up == down:
        assert same(bill.divide(a, b, scale, "UNNECESSARY"), down)
    else:
        with pytest.raises(bill.ArithError) as info:
            bill.divide(a, b, scale, "UNNECESSARY")
        assert info.value.name == "EROUNDING"


@SETTINGS
@given(decimals(), divisors(), st.integers(1, 40), st.sampled_from(MODE_NAMES))
def test_divide_to_precision_matches_context_divide(a, b, precision, mode):
    assume(b != 0)
    ctx = decimal.Context(prec=precision, rounding=PY_MODE[mode], Emax=EMAX, Emin=-EMAX)
    assert same(bill.divide_to_precision(a, b, precision, mode), ctx.divide(a, b))


@SETTINGS
@given(decimals(), st.integers(-8, 24), st.sampled_from(MODE_NAMES))
def test_rescale_matches_quantize(x, scale, mode):
    expected = x.quantize(quantum(scale), rounding=PY_MODE[mode], context=BIG)
    assert same(bill.rescale(x, scale, mode), expected)


@SETTINGS
@given(decimals(), st.integers(0, 12))
def test_rescale_unnecessary(x, scale):
    up = x.quantize(quantum(scale), rounding=decimal.ROUND_UP, context=BIG)
    down = x.quantize(quantum(scale), rounding=decimal.ROUND_DOWN, context=BIG)
    if up == down:
        assert same(bill.rescale(x, scale, "UNNECESSARY"), down)
    else:
        with pytest.raises(bill.ArithError):
            bill.rescale(x, scale, "UNNECESSARY")


@SETTINGS
@given(decimals(), st.integers(1, 40), st.sampled_from(MODE_NAMES))
def test_round_to_precision_matches_context(x, precision, mode):
    ctx = decimal.Context(prec=precision, rounding=PY_MODE[mode], Emax=EMAX, Emin=-EMAX)
    assert same(bill.round_to_precision(x, precision, mode), ctx.plus(x))


@SETTINGS
@given(decimals())
def test_round_to_precision_zero_is_identity(x):
    assert same(bill.round_to_precision(x, 0, "HALF_UP"), x)


@pytest.mark.parametrize("x, scale, mode, expected", [
    ("2.345", 2, "HALF_UP", "2.35"),
    ("2.345", 2, "HALF_DOWN", "2.34"),
    ("2.345", 2, "HALF_EVEN", "2.34"),
    ("2.355", 2, "HALF_EVEN", "2.36"),
    ("-2.345", 2, "HALF_UP", "-2.35"),
    ("-2.341", 2, "CEILING", "-2.34"),
    ("-2.341", 2, "FLOOR", "-2.35"),
    ("1648.56015", 2, "HALF_UP", "1648.56"),
    ("1234", -2, "HALF_UP", "1.2E+3"),
    ("1.5", 3, "UNNECESSARY", "1.500"),
])
def test_rescale_examples(x, scale, mode, expected):
    assert same(bill.rescale(x, scale, mode), Decimal(expected))


def test_rounding_given_as_decimal_constant_or_enum():
    assert bill.rescale("2.345", 2, decimal.ROUND_HALF_EVEN) == Decimal("2.34")
    assert bill.rescale("2.345", 2, bill.Rounding.HALF_UP) == Decimal("2.35")
    assert bill.rescale("2.345", 2, "half-down") == Decimal("2.34")
    assert bill.rescale("2.345", 2) == Decimal("2.35")   # default HALF_UP
    assert [m.name for m in bill.Rounding] == MODE_NAMES + ["UNNECESSARY"]


def test_divide_examples():
    assert same(bill.divide("1", "3", 5), Decimal("0.33333"))
    assert same(bill.divide("2", "3", 2, "DOWN"), Decimal("0.66"))
    assert same(bill.divide_to_precision("1", "8", 5, "HALF_UP"), Decimal("0.125"))
    assert same(bill.divide_to_precision("10", "4", 5, "HALF_UP"), Decimal("2.5"))
    assert same(bill.divide_to_precision("2", "3", 4, "HALF_EVEN"), Decimal("0.6667"))


def test_trim_and_units():
    assert same(bill.trim("1.2300"), Decimal("1.23"))
    assert same(bill.trim("1.2300", 3), Decimal("1.230"))
    assert same(bill.trim("1500"), Decimal("1500"))
    assert bill.to_units("123.45", 2) == 12345
    assert bill.to_units("-1", 3) == -1000
    with pytest.raises(bill.ArithError):
        bill.to_units("1.234", 2)


# ---- allocation ------------------------------------------------------------------------------------

RULES = [r.name for r in bill.Remainder]


@SETTINGS
@given(decimals(max_coef=10**20, min_exp=-4, max_exp=2), st.integers(1, 30), st.integers(0, 4),
       st.sampled_from(RULES))
def test_allocate_equal_parts_sum_exactly(total, n, scale, rule):
    total = total.quantize(quantum(scale), rounding=decimal.ROUND_DOWN, context=BIG)
    parts = bill.allocate(total, n, scale=scale, rule=rule)
    assert len(parts) == n
    assert BIG.add(sum(parts, Decimal(0)), 0) == total
    assert all(p.as_tuple().exponent == -scale for p in parts)
    unit = quantum(scale)
    if rule in ("SPREAD_FIRST", "SPREAD_LAST", "LARGEST_FRACTION"):
        assert max(parts) - min(parts) <= unit


@SETTINGS
@given(decimals(max_coef=10**15, min_exp=-2, max_exp=2),
       st.lists(st.integers(0, 1000), min_size=1, max_size=12).filter(lambda r: sum(r) > 0),
       st.sampled_from(RULES))
def test_allocate_by_ratios_sums_exactly_and_is_proportional(total, ratios, rule):
    total = total.quantize(quantum(2), rounding=decimal.ROUND_DOWN, context=BIG)
    parts = bill.allocate(total, ratios=[Decimal(r) for r in ratios], rule=rule)
    assert len(parts) == len(ratios)
    assert sum(parts, Decimal(0)) == total
    unit = Decimal("0.01")
    whole = Decimal(sum(ratios))
    for part, r in zip(parts, ratios):
        share = BIG.divide(BIG.multiply(total, r), whole)
        assert abs(part - share) <= unit * len(ratios)
        if r == 0 and rule != "TO_FIRST" and rule != "TO_LAST":
            assert abs(part) <= unit


@pytest.mark.parametrize("rule, expected", [
    ("SPREAD_FIRST", ["0.02", "0.02", "0.01"]),
    ("SPREAD_LAST", ["0.01", "0.02", "0.02"]),
    ("TO_FIRST", ["0.03", "0.01", "0.01"]),
    ("TO_LAST", ["0.01", "0.01", "0.03"]),
])
def test_allocate_remainder_rules(rule, expected):
    assert bill.allocate("0.05", 3, rule=rule) == [Decimal(e) for e in expected]
    assert bill.allocate("-0.05", 3, rule=bill.Remainder[rule]) == [-Decimal(e) for e in expected]


def test_allocate_examples():
    assert bill.allocate(Decimal("100.00"), 3, rule="TO_LAST") == [Decimal("33.33"), Decimal("33.33"),
                                                                    Decimal("33.34")]
    assert bill.allocate("100", ratios=[1, 2, 3]) == [Decimal("16.67"), Decimal("33.33"), Decimal("50.00")]
    # shares 5, 2.5, 2.5: SPREAD_FIRST gives the spare unit to the first part, LARGEST_FRACTION
    # to the earlier of the two parts that dropped .5
    assert bill.allocate("10", ratios=["0.5", "0.25", "0.25"], scale=0) == [Decimal(6), Decimal(2), Decimal(2)]
    assert bill.allocate("10", ratios=["0.5", "0.25", "0.25"], scale=0, rule="LARGEST_FRACTION") == [
        Decimal(5), Decimal(3), Decimal(2)]
    # Hamilton: the largest dropped fractions get the units
    assert bill.allocate("1.00", ratios=[1, 1, 1], rule="LARGEST_FRACTION") == [
        Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]
    assert bill.allocate("1", 2, scale=0) == [Decimal(1), Decimal(0)]


def test_allocate_errors():
    with pytest.raises(bill.ArithError) as info:
        bill.allocate("0.055", 3)
    assert info.value.name == "EROUNDING"
    with pytest.raises(bill.ArgumentError):
        bill.allocate("1", 0)
    with pytest.raises(bill.ArgumentError):
        bill.allocate("1", -1)
    with pytest.raises(bill.ArgumentError) as info:
        bill.allocate("1", 3, ratios=[1, 1])
    assert "2 ratios" in str(info.value)
    with pytest.raises(bill.ArgumentError):
        bill.allocate("1", ratios=[0, 0])
    with pytest.raises(bill.ArgumentError):
        bill.allocate("1", ratios=[1, -1])
    with pytest.raises(bill.ArgumentError):
        bill.allocate("1", 2, rule="NOPE")
    with pytest.raises(TypeError):
        bill.allocate("1")
    with pytest.raises(TypeError):
        bill.allocate("1", ratios=[1.5, 2])
