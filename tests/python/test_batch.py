"""Batch billing in the Python binding (bill.Batch, include/bill/batch.h).

The totals of a batch must equal, digit for digit, those of the same usage
billed one account at a time through Tariff.compute; columns of Decimal or int
cross exactly as int64 coefficients at one scale; errors name the account.
"""

import datetime
import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import bill
from bill.batch import _column

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
D = datetime.date
JUNE = (D(2025, 6, 1), D(2025, 7, 1))


def tariff(name):
    return bill.Tariff.load_file(os.path.join(ROOT, "examples", "tariffs", name + ".json"))


@pytest.fixture
def residential():
    with tariff("cn-residential-annual-tou") as t:
        yield t


def residential_batch(t, peak, valley, ytd):
    b = bill.Batch(t, JUNE, len(peak))
    b.set_class("residential")
    b.set_tou_kwh("peak", peak)
    b.set_tou_kwh("valley", valley)
    b.set_ytd_kwh(ytd)
    return b


# ---- worked totals ------------------------------------------------------------------------------

def test_residential_totals(residential):
    with residential_batch(residential, [Decimal("300.0"), 600, 0], [120, Decimal("300"), 0],
                           [2761, 4500, 0]) as b:
        assert len(b) == 3
        b.compute()
        assert b.failed == 0
        assert b.kernel_count == 3          # energy-only TOU tariff: column by column
        assert b.total(0) == Decimal("213.54") and str(b.total(0)) == "213.54"
        assert str(b.total(1)) == "637.47"
        assert b.status(0) == bill.Status.OK
        assert b.totals()[:2] == [Decimal("213.54"), Decimal("637.47")]
        assert b.subtotal(1) + (0 if b.bill(1).tax_included else b.tax(1)) == b.total(1)
        assert isinstance(b.total(2), Decimal)


def test_bill_and_usage_match_tariff_compute(residential):
    with residential_batch(residential, [300, 600], [120, 300], [2761, 4500]) as b:
        b.compute()
        for i in range(2):
            itemized = b.bill(i)
            assert isinstance(itemized, bill.Bill)
            assert itemized.total == b.total(i)
            assert sum(line.amount for line in itemized.lines) == itemized.total
            with b.usage(i) as u:
                again = residential.compute(u)
            assert again.text == itemized.text and again.json == itemized.json


def test_columns_can_be_replaced_and_recomputed(residential):
    with residential_batch(residential, [300], [120], [2761]) as b:
        b.compute()
        first = b.total(0)
        b.set_tou_kwh("peak", [600])
        b.set_tou_kwh("valley", [300])
        b.set_ytd_kwh([4500])
        b.compute()
        assert first == Decimal("213.54") and b.total(0) == Decimal("637.47")


def test_classes_household_sizes_and_kwh_check(residential):
    with bill.Batch(residential, JUNE, 2) as b:
        b.set_classes(["residential", "residential"])
        b.set_household_size([3, 0])
        b.set_tou_kwh("peak", [300, 600])
        b.set_tou_kwh("valley", [120, 300])
        b.set_kwh([420, 900])              # the TOU sum: a check that passes
        b.set_ytd_kwh([2761, 4500])
        b.compute()
        assert b.failed == 0
        with b.usage(0) as u, bill.Usage(period=JUNE, customer_class="residential",
                                         household_size=3, kwh=420, ytd_kwh=2761,
                                         tou_kwh={"peak": 300, "valley": 120}) as v:
            assert residential.compute(v).total == b.total(0)
            assert residential.compute(u).total == b.total(0)


# ---- the exact conversion of columns ------------------------------------------------------------

def test_column_conversion_is_exact_at_one_scale():
    assert _column("kwh", [Decimal("1.5"), 2, Decimal("0.125")], 3) == ([1500, 2000, 125], 3)
    assert _column("kwh", [Decimal("1E+3"), Decimal("300.0")], 2) == ([10000, 3000], 1)
    assert _column("kwh", [Decimal("1.0000000000000000")], 1) == ([1], 0)   # zeros beyond 12
    assert _column("kwh", [Decimal("0.000000000001")], 1) == ([1], 12)
    assert _column("kwh", [Decimal("-2.5")], 1) == ([-25], 1)   # the sign is the C setter's


def test_float_bool_and_nan_are_refused(residential):
    with bill.Batch(residential, JUNE, 2) as b:
        with pytest.raises(TypeError, match="account 1"):
            b.set_kwh([1, 2.5])
        with pytest.raises(TypeError):
            b.set_kwh([True, 1])
        with pytest.raises(TypeError):
            b.set_kwh(["1", 1])
        with pytest.raises(ValueError, match="account 0"):
            b.set_kwh([Decimal("NaN"), 1])
        with pytest.raises(ValueError):
            b.set_ytd_kwh([1, Decimal("Infinity")])
        with pytest.raises(TypeError):
            b.set_household_size([1.0, 2])


def test_too_many_decimals_and_too_large(residential):
    with bill.Batch(residential, JUNE, 2) as b:
        with pytest.raises(bill.InputError, match="account 1") as info:
            b.set_kwh([1, Decimal("0.0000000000001")])
        assert info.value.name == "ERANGE"
        with pytest.raises(bill.InputError, match="account 0"):
            b.set_kwh([Decimal(10**15), Decimal("0.000000000001")])   # 10^27 > int64
        with pytest.raises(bill.InputError, match="account 1"):
            b.set_kwh([1, 10**16])          # more than 15 digits before the point (C)


def test_negative_value_names_the_account(residential):
    with bill.Batch(residential, JUNE, 3) as b:
        with pytest.raises(bill.InputError) as info:
            b.set_tou_kwh("peak", [1, 2, Decimal("-0.5")])
        assert info.value.name == "ERANGE"
        assert "account 2" in str(info.value) and "peak" in str(info.value)
        with pytest.raises(bill.InputError, match="account 1"):
            b.set_household_size([1, 2000, 1])


def test_wrong_length_is_an_argument_error(residential):
    with bill.Batch(residential, JUNE, 3) as b:
        with pytest.raises(bill.ArgumentError, match="2 values for 3"):
            b.set_kwh([1, 2])
        with pytest.raises(bill.ArgumentError):
            b.set_classes(["residential"])
        with pytest.raises(bill.ArgumentError):
            b.set_household_size([1, 2, 3, 4])
    with pytest.raises(bill.ArgumentError):
        bill.Batch(residential, JUNE, 0)


def test_raw_setters_check_the_length(residential):
    with bill.Batch(residential, JUNE, 3) as b:
        with pytest.raises(bill.ArgumentError):
            bill.bill.billb_batch_set_kwh(b._h, [1, 2], 0)   # never reads past the list
        with pytest.raises(OverflowError):
            bill.bill.billb_batch_set_kwh(b._h, [1, 2, 2**63], 0)
        with pytest.raises(bill.ArgumentError):
            bill.bill.billb_batch_set_classes(b._h, "residential\nresidential")


def test_bad_names(residential):
    with bill.Batch(residential, JUNE, 2) as b:
        with pytest.raises(bill.InputError):
            b.set_class("not a class!")
        with pytest.raises(bill.InputError, match="account 1"):
            b.set_classes(["residential", "bad class!"])
        with pytest.raises(bill.InputError):
            b.set_tou_kwh("peak hour!", [1, 2])
        with pytest.raises(bill.BillError):
            b.set_pf_standard("0.95")
        b.set_pf_standard(Decimal("0.90"))
        with pytest.raises(TypeError):
            b.set_pf_standard(0.9)


def test_failed_account_raises_and_others_bill(residential):
    with residential_batch(residential, [300, 600], [120, 300], [2761, 4500]) as b:
        b.set_kwh([1, 900])                 # account 0: TOU kWh do not add up to 1
        b.compute()
        assert b.failed == 1
        assert b.status(0) == bill.Status.ERULE and b.status(1) == bill.Status.OK
        assert b.totals() == [None, Decimal("637.47")]
        with pytest.raises(bill.InputError, match="account 0"):
            b.total(0)
        with pytest.raises(bill.InputError, match="420"):   # the reason, from the bill
            b.bill(0)
        assert b.tax(1) >= 0


def test_state_errors(residential):
    b = residential_batch(residential, [300], [120], [2761])
    assert b.status(0) == bill.Status.ESTATE
    with pytest.raises(bill.StateError):
        b.total(0)
    with pytest.raises(bill.StateError):
        b.totals()
    with pytest.raises(IndexError):
        b.status(1)
    b.close()
    b.close()
    assert b.closed
    with pytest.raises(bill.StateError):
        b.compute()
    with pytest.raises(bill.StateError):
        len(b)
    t = tariff("cn-residential-annual-tou")
    with residential_batch(t, [300], [120], [2761]) as b2:
        t.close()
        with pytest.raises(bill.StateError, match="tariff"):
            b2.compute()


def test_column_scale_does_not_change_the_bill():
    # A period cut at 1 January shares its kWh by days at max(split_scale, the value's own
    # decimals without trailing zeros) (docs/tariff-design.md), so "3" and "3.000" bill the
    # same: in a column with "5.577" the batch holds 3 as 3.000 and bills what Tariff.compute
    # bills for 3.
    period = (D(2024, 12, 13), D(2025, 2, 12))
    with tariff("cn-residential-annual") as t, bill.Batch(t, period, 2) as b:
        b.set_class("residential")
        b.set_kwh([Decimal("5.577"), 3])
        b.set_ytd_kwh([0, 5000])
        b.compute()
        with b.usage(1) as u, \
                bill.Usage(period=period, customer_class="residential", kwh="3.000",
                           ytd_kwh=5000) as scaled, \
                bill.Usage(period=period, customer_class="residential", kwh=3,
                           ytd_kwh=5000) as plain:
            assert str(b.total(1)) == str(t.compute(scaled).total) == str(t.compute(u).total)
            assert str(t.compute(plain).total) == str(b.total(1))
            whole = t.compute(plain).total
        b.set_kwh([Decimal("5"), 3])    # the column at scale 0
        b.compute()
        assert str(b.total(1)) == str(whole)


# ---- property: the batch bills as Tariff.compute does --------------------------------------------

def amounts(max_value, max_scale=3):
    return st.builds(lambda v, s: Decimal(v).scaleb(-s),
                     st.integers(0, max_value * 1000), st.integers(0, max_scale))


RESIDENTIAL_TOU = ["peak", "valley"]
COMMERCIAL_TOU = ["critical", "peak", "flat", "valley"]
TARIFFS = {"cn-residential-annual-tou": tariff("cn-residential-annual-tou"),
           "cn-commercial-tou": tariff("cn-commercial-tou")}


@st.composite
def batches(draw):
    name = draw(st.sampled_from(sorted(TARIFFS)))
    n = draw(st.integers(1, 6))
    start = D(2025, 1, 1) + datetime.timedelta(days=draw(st.integers(0, 300)))
    end = start + datetime.timedelta(days=draw(st.integers(1, 40)))
    if name == "cn-residential-annual-tou":
        names = RESIDENTIAL_TOU
        classes = ["residential"] * n
    else:
        names = COMMERCIAL_TOU
        classes = [draw(st.sampled_from(["commercial", "industrial", "agricultural"]))
                   for _ in range(n)]
    tou = {p: [draw(amounts(3000)) for _ in range(n)] for p in names}
    ytd = [draw(st.one_of(amounts(6000, 1), st.integers(0, 6000))) for _ in range(n)]
    return name, (start, end), classes, tou, ytd


def at_scale(values):
    """The values as the batch bills them: Decimals at the column's one scale."""
    coefs, scale = _column("values", values, len(values))
    return [Decimal(c).scaleb(-scale) for c in coefs]


@settings(max_examples=60, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_batch_totals_equal_tariff_compute(case):
    name, period, classes, tou, ytd = case
    t = TARIFFS[name]
    n = len(classes)
    with bill.Batch(t, period, n) as b:
        b.set_classes(classes)
        for p, values in tou.items():
            b.set_tou_kwh(p, values)
        if name == "cn-residential-annual-tou":
            b.set_ytd_kwh(ytd)
        b.compute()
        for i in range(n):
            # the same usage as the batch holds: each value at its column's scale (a period
            # split at 1 January shares kWh at the value's scale, test_column_scale_is_billed)
            kwargs = {"period": period, "customer_class": classes[i],
                      "tou_kwh": {p: at_scale(values)[i] for p, values in tou.items()}}
            if name == "cn-residential-annual-tou":
                kwargs["ytd_kwh"] = at_scale(ytd)[i]
            with bill.Usage(**kwargs) as u:
                try:
                    expected = t.compute(u)
                except bill.BillError as e:
                    assert b.status(i) == e.code
                    assert b.totals()[i] is None
                    continue
            assert b.status(i) == bill.Status.OK
            assert b.total(i) == expected.total
            assert str(b.total(i)) == str(expected.total)
            assert str(b.subtotal(i)) == str(expected.subtotal)
            assert str(b.tax(i)) == str(expected.tax)


def test_module_example_runs(monkeypatch):
    import doctest
    import bill.batch
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(bill.batch)
    assert result.attempted >= 4 and result.failed == 0
