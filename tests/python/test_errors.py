"""Errors of the Python binding: codes, classes, messages, and refused inputs."""

import datetime as dt
import pickle
import re
from decimal import Decimal
from pathlib import Path

import pytest

import bill
from bill import bill as raw

ROOT = Path(__file__).resolve().parents[2]

FAMILY_CLASS = {
    "ARGUMENT": bill.ArgumentError,
    "INPUT": bill.InputError,
    "ARITH": bill.ArithError,
    "STATE": bill.StateError,
    "STORAGE": bill.StorageError,
    "SYSTEM": bill.BillSystemError,
}


def all_codes():
    return [raw.bill_status_at(i) for i in range(raw.bill_status_count())]


# ---- the status list ---------------------------------------------------------------------------------

def test_status_enum_mirrors_the_c_list():
    codes = all_codes()
    assert codes[0] == 0 and codes == sorted(codes, reverse=True)
    assert len(bill.Status) == len(codes)
    for code in codes:
        assert bill.Status(code).name == raw.bill_status_name(code)
    assert bill.Status.EDIVZERO == -5
    assert bill.Status.OK == 0


def test_status_list_matches_the_header():
    header = (ROOT / "include" / "bill" / "errors.h").read_text()
    rows = re.findall(r"X\((\w+),\s*(-?\d+),\s*(\w+),", header)
    assert len(rows) == raw.bill_status_count()
    for name, value, family in rows:
        assert raw.bill_status_name(int(value)) == name
        assert raw.bill_family_name(raw.bill_status_family_of(int(value))) == family


@pytest.mark.parametrize("code", [c for c in all_codes() if c < 0])
def test_every_code_maps_to_its_family_class(code):
    family = raw.bill_family_name(raw.bill_status_family_of(code))
    err = bill.errors._from_status(code, raw.bill_status_name(code), family, "message")
    assert type(err) is FAMILY_CLASS[family]
    assert isinstance(err, bill.BillError)
    assert (err.code, err.name, err.family, err.message, str(err)) == (
        code, raw.bill_status_name(code), family, "message", "message")
    assert err.status == bill.Status(code)


def test_class_hierarchy():
    assert issubclass(bill.ArgumentError, ValueError)
    assert issubclass(bill.InputError, ValueError)
    assert issubclass(bill.ArithError, ArithmeticError)
    for cls in FAMILY_CLASS.values():
        assert issubclass(cls, bill.BillError) and issubclass(cls, Exception)
    assert not issubclass(bill.StateError, ValueError)


# ---- errors raised by real calls -------------------------------------------------------------

@pytest.mark.parametrize("call, cls, name, needle", [
    (lambda: bill.parse("1.2.3"), bill.InputError, "ESYNTAX", "1.2.3"),
    (lambda: bill.parse("12,50"), bill.InputError, "ESYNTAX", "12,50"),
    (lambda: bill.add("NaN", 1), bill.InputError, "ESYNTAX", "NaN"),
    (lambda: bill.add(Decimal("Infinity"), 1), bill.InputError, "ESYNTAX", "Infinity"),
    (lambda: bill.divide("7.5", "0", 2), bill.ArithError, "EDIVZERO", "7.5"),
    (lambda: bill.rescale("1.005", 2, "UNNECESSARY"), bill.ArithError, "EROUNDING", "1.005"),
    (lambda: bill.Money("1", "CNY") + bill.Money("1", "USD"), bill.ArithError, "ECURRENCY", "USD"),
    (lambda: bill.currency("QQQ"), bill.ArithError, "ECURRENCY", "QQQ"),
    (lambda: bill.parse_date("2023-02-29"), bill.InputError, "EDATE", "2023-02-29"),
    (lambda: bill.rescale("1", 2, "SIDEWAYS"), bill.InputError, "ESYNTAX", "SIDEWAYS"),
    (lambda: bill.divide_to_precision("1", "3", 0, "HALF_UP"), bill.ArgumentError, "EINVAL", "precision"),
    (lambda: bill.allocate("1", 0), bill.ArgumentError, "EINVAL", "n == 0"),
    (lambda: bill.allocate("1", 3, ratios=[1, 2]), bill.ArgumentError, "EINVAL", "2 ratios"),
])
def test_errors_carry_code_class_and_detail(call, cls, name, needle):
    with pytest.raises(cls) as info:
        call()
    err = info.value
    assert err.name == name
    assert err.code == bill.Status[name] < 0
    assert err.family == raw.bill_family_name(raw.bill_status_family_of(err.code))
    assert needle in str(err)
    assert err.message == str(err)


def test_messages_belong_to_their_own_failure():
    with pytest.raises(bill.InputError) as first:
        bill.parse("1.2.3")
    with pytest.raises(bill.ArithError) as second:
        bill.divide("4", "0", 2)
    with pytest.raises(bill.InputError) as third:
        bill.parse("x9")
    assert "1.2.3" in str(first.value)
    assert "1.2.3" not in str(second.value) and "x9" in str(third.value)
    # a successful call in between does not change the next failure's message
    assert bill.add("1", "2") == 3
    with pytest.raises(bill.InputError) as fourth:
        bill.parse("7..")
    assert "7.." in str(fourth.value)


def test_errors_pickle():
    with pytest.raises(bill.ArithError) as info:
        bill.divide("1", "0", 2)
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is bill.ArithError
    assert (copy.code, copy.name, copy.family, str(copy)) == (
        info.value.code, info.value.name, info.value.family, str(info.value))


def test_closed_calendar_is_a_state_error():
    c = bill.Calendar()
    c.close()
    with pytest.raises(bill.StateError) as info:
        c.is_working_day(dt.date(2025, 1, 1))
    assert (info.value.name, info.value.family) == ("ESTATE", "STATE")
    assert "closed" in str(info.value)


# ---- refused inputs: float and other non-amounts --------------------------------------------------

AMOUNT_CALLS = [
    ("parse-free add", lambda x: bill.add(x, "1")),
    ("add second", lambda x: bill.add("1", x)),
    ("subtract", lambda x: bill.subtract(x, "1")),
    ("multiply", lambda x: bill.multiply("2", x)),
    ("divide", lambda x: bill.divide(x, "3", 2)),
    ("divide_to_precision", lambda x: bill.divide_to_precision("1", x, 5, "HALF_UP")),
    ("rescale", lambda x: bill.rescale(x, 2)),
    ("round_to_precision", lambda x: bill.round_to_precision(x, 2, "HALF_UP")),
    ("to_sci_string", lambda x: bill.to_sci_string(x)),
    ("allocate total", lambda x: bill.allocate(x, 2)),
    ("allocate ratio", lambda x: bill.allocate("1", ratios=[x, "1"])),
    ("Money", lambda x: bill.Money(x, "CNY")),
    ("Money *", lambda x: bill.Money("1", "CNY") * x),
]


@pytest.mark.parametrize("name, call", AMOUNT_CALLS, ids=[n for n, _ in AMOUNT_CALLS])
def test_float_is_refused(name, call):
    with pytest.raises(TypeError) as info:
        call(1.5)
    assert "float" in str(info.value)


@pytest.mark.parametrize("name, call", AMOUNT_CALLS, ids=[n for n, _ in AMOUNT_CALLS])
@pytest.mark.parametrize("bad", [True, None, [1], b"1", 1j])
def test_non_amounts_are_refused(name, call, bad):
    with pytest.raises(TypeError):
        call(bad)


@pytest.mark.parametrize("good", [Decimal("2"), "2", 2])
def test_decimal_str_and_int_are_amounts(good):
    assert bill.multiply(good, "1.5") == Decimal("3.0")


def test_rounding_and_rule_types():
    with pytest.raises(TypeError):
        bill.rescale("1", 2, 4)
    with pytest.raises(TypeError):
        bill.allocate("1", 2, rule=0)
    with pytest.raises(TypeError):
        bill.allocate("1", 2.0)
    with pytest.raises(TypeError):
        bill.parse(Decimal("1"))
    with pytest.raises(OverflowError):
        bill.rescale("1", 2**40)


def test_version():
    assert bill.__version__ == raw.bill_version()
    header = (ROOT / "include" / "bill" / "common.h").read_text()
    assert f'#define BILL_VERSION_STRING "{bill.__version__}"' in header
