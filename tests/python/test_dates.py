"""Dates, periods and working-day calendars of the Python binding.

Python's datetime and calendar modules are the oracle for the civil-date
functions; calendars are checked against brute-force day-by-day counts.
"""

import calendar as pycal
import datetime as dt
import gc

import pytest
from hypothesis import assume, given, settings, strategies as st

import bill

SETTINGS = settings(max_examples=300, deadline=None)
D = dt.date


# ---- civil dates ----------------------------------------------------------------------------------

@SETTINGS
@given(st.integers(1, 9999))
def test_leap_years(year):
    assert bill.is_leap_year(year) is pycal.isleap(year)


@SETTINGS
@given(st.integers(1, 9999), st.integers(1, 12))
def test_days_in_month(year, month):
    assert bill.days_in_month(year, month) == pycal.monthrange(year, month)[1]


def test_days_in_month_rejects_bad_month():
    with pytest.raises(bill.InputError) as info:
        bill.days_in_month(2024, 13)
    assert info.value.name == "EDATE"


@SETTINGS
@given(st.dates())
def test_weekday_day_of_year_and_parse(d):
    assert bill.weekday(d) == d.isoweekday()
    assert bill.weekday(d).name == ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY",
                                    "SATURDAY", "SUNDAY")[d.weekday()]
    assert bill.day_of_year(d) == d.timetuple().tm_yday
    assert bill.parse_date(d.isoformat()) == d


@SETTINGS
@given(st.dates(), st.integers(-4_000_000, 4_000_000))
def test_add_days(d, n):
    try:
        expected = d + dt.timedelta(days=n)
    except OverflowError:
        with pytest.raises(bill.InputError) as info:
            bill.add_days(d, n)
        assert info.value.name == "EDATE"
    else:
        assert bill.add_days(d, n) == expected


@SETTINGS
@given(st.dates(), st.dates())
def test_days_between_and_period_days(a, b):
    assert bill.days_between(a, b) == (b - a).days
    if a < b:
        assert bill.period_days(a, b) == (b - a).days
        assert bill.period(a, b).days == (b - a).days
    else:
        with pytest.raises(bill.InputError) as info:
            bill.period_days(a, b)
        assert info.value.name == "EDATE"


def expected_add_months(d, n, sticky):
    total = d.year * 12 + (d.month - 1) + n
    y, m = divmod(total, 12)
    m += 1
    last = pycal.monthrange(y, m)[1]
    day = d.day
    if sticky and d.day == pycal.monthrange(d.year, d.month)[1]:
        day = last
    return D(y, m, min(day, last))


@SETTINGS
@given(st.dates(min_value=D(2, 1, 1), max_value=D(9998, 12, 31)), st.integers(-12, 12),
       st.sampled_from(["clamp", "sticky"]))
def test_add_months(d, n, rule):
    assert bill.add_months(d, n, rule) == expected_add_months(d, n, rule == "sticky")


@pytest.mark.parametrize("d, n, rule, expected", [
    (D(2024, 1, 31), 1, "clamp", D(2024, 2, 29)),
    (D(2023, 1, 31), 1, "clamp", D(2023, 2, 28)),
    (D(2023, 2, 28), 1, "clamp", D(2023, 3, 28)),
    (D(2023, 2, 28), 1, "sticky", D(2023, 3, 31)),
    (D(2024, 2, 29), 12, "clamp", D(2025, 2, 28)),
    (D(2024, 3, 31), -1, bill.MonthEnd.STICKY, D(2024, 2, 29)),
])
def test_add_months_examples(d, n, rule, expected):
    assert bill.add_months(d, n, rule) == expected


def test_add_months_range_and_rule():
    with pytest.raises(bill.InputError) as info:
        bill.add_months(D(9999, 12, 1), 1)
    assert info.value.name == "EDATE"
    with pytest.raises(bill.ArgumentError):
        bill.add_months(D(2024, 1, 1), 1, "lenient")


@pytest.mark.parametrize("text", ["2024-2-01", "2023-02-29", "2024-02-30", " 2024-02-01", "2024-02-01 ",
                                  "20240201", "2024/02/01", "0000-01-01", "2024-00-10", ""])
def test_parse_date_is_strict(text):
    with pytest.raises(bill.InputError) as info:
        bill.parse_date(text)
    assert info.value.name in ("EDATE", "ESYNTAX")
    if text.strip():
        assert text.strip() in str(info.value)


def test_dates_only_where_dates_are_meant():
    with pytest.raises(TypeError):
        bill.weekday(dt.datetime(2025, 1, 1, 12, 0))
    with pytest.raises(TypeError):
        bill.weekday("2025-01-01")


def test_date_times():
    assert bill.parse_datetime("2025-01-01T10:30") == dt.datetime(2025, 1, 1, 10, 30)
    assert bill.parse_datetime("2025-01-01 10:30:00") == dt.datetime(2025, 1, 1, 10, 30)
    assert bill.parse_datetime("2025-01-31T24:00") == dt.datetime(2025, 2, 1, 0, 0)
    assert bill.add_minutes(dt.datetime(2025, 1, 1, 23, 45), 30) == dt.datetime(2025, 1, 2, 0, 15)
    with pytest.raises(bill.InputError) as info:
        bill.parse_datetime("2025-01-01T10:30:15")
    assert "10:30:15" in str(info.value)
    with pytest.raises(bill.InputError):
        bill.add_minutes(dt.datetime(2025, 1, 1, 10, 30, 15), 1)
    with pytest.raises(bill.InputError):
        bill.add_minutes(dt.datetime(2025, 1, 1, 10, 30, tzinfo=dt.timezone.utc), 1)


def test_periods():
    p = bill.parse_period("2025-06-01/2025-07-01")
    assert p == bill.Period(D(2025, 6, 1), D(2025, 7, 1))
    assert p.days == 30
    assert D(2025, 6, 30) in p
    assert D(2025, 7, 1) not in p
    assert p.overlap_days(bill.period(D(2025, 6, 20), D(2025, 8, 1))) == 11
    assert p.overlap_days((D(2025, 7, 1), D(2025, 8, 1))) == 0
    assert str(p) == "2025-06-01/2025-07-01"
    with pytest.raises(bill.InputError):
        bill.parse_period("2025-07-01/2025-06-01")
    with pytest.raises(bill.InputError):
        bill.period(D(2025, 6, 1), D(2025, 6, 1))


# ---- calendars ---------------------------------------------------------------------------------------

CN_2025_OCTOBER = """
# National Day and Mid-Autumn 2025
2025-10-01 holiday 国庆节
2025-10-02 holiday 国庆节
2025-10-03 holiday 国庆节
2025-10-06 holiday 中秋节
2025-10-07 holiday
2025-10-08 holiday
2025-09-28 working
2025-10-11 working
"""


@pytest.fixture
def cal():
    with bill.Calendar() as c:
        c.load(CN_2025_OCTOBER)
        yield c


def test_default_weekend_and_day_types():
    with bill.Calendar() as c:
        assert c.weekend == {bill.Weekday.SATURDAY, bill.Weekday.SUNDAY}
        assert c.day_type(D(2025, 10, 4)) == "weekend"
        assert c.day_type(D(2025, 10, 6)) == "working"
        assert c.is_working_day(D(2025, 10, 6)) is True
        assert c.holiday_name(D(2025, 10, 6)) is None


def test_loaded_calendar(cal):
    assert cal.day_type(D(2025, 10, 1)) == "holiday"
    assert cal.holiday_name(D(2025, 10, 1)) == "国庆节"
    assert cal.holiday_name(D(2025, 10, 7)) == ""
    assert cal.day_type(D(2025, 9, 28)) == "working"      # a Sunday made a working day (调休)
    assert cal.day_type(D(2025, 10, 4)) == "weekend"
    assert cal.is_working_day(D(2025, 10, 11)) is True
    assert cal.is_working_day(D(2025, 10, 8)) is False
    assert cal.working_days(D(2025, 10, 1), D(2025, 10, 13)) == 3    # Oct 9, 10 and 11
    assert cal.working_days(D(2025, 10, 1), D(2025, 10, 1)) == 0
    assert cal.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert cal.add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert cal.add_working_days(D(2025, 10, 4), 0) == D(2025, 10, 9)


def test_holidays_and_working_days_added_one_by_one():
    with bill.Calendar() as c:
        c.add_holiday(D(2025, 10, 1), "National Day")
        c.add_holiday(D(2025, 10, 1), "National Day")     # again: harmless
        c.add_working_day(D(2025, 10, 11))
        assert c.holiday_name(D(2025, 10, 1)) == "National Day"
        assert c.day_type(D(2025, 10, 11)) == "working"
        with pytest.raises(bill.InputError) as info:
            c.add_working_day(D(2025, 10, 1))
        assert info.value.name == "ECONFLICT"
        assert "2025-10-01" in str(info.value)


def test_load_is_all_or_nothing():
    with bill.Calendar() as c:
        with pytest.raises(bill.InputError) as info:
            c.load("2025-10-01 holiday National Day\n2025-13-01 holiday Bad\n")
        assert "line 2" in str(info.value)
        assert c.day_type(D(2025, 10, 1)) == "working"
        with pytest.raises(bill.InputError):
            c.load("2025-10-01 vacation\n")


def test_custom_weekend():
    with bill.Calendar(weekend={"FRIDAY", "SATURDAY"}) as c:
        assert c.weekend == {bill.Weekday.FRIDAY, bill.Weekday.SATURDAY}
        assert c.day_type(D(2025, 10, 3)) == "weekend"
        assert c.day_type(D(2025, 10, 5)) == "working"
        c.weekend = [7]
        assert c.weekend == {bill.Weekday.SUNDAY}
        with pytest.raises(bill.ArgumentError) as info:
            c.weekend = range(1, 8)
        assert info.value.name == "EINVAL"
        assert c.weekend == {bill.Weekday.SUNDAY}
        with pytest.raises(bill.ArgumentError):
            c.weekend = ["someday"]


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=D(2025, 8, 1), max_value=D(2025, 12, 31)), st.integers(0, 80))
def test_working_days_match_day_by_day_count(start, length):
    end = start + dt.timedelta(days=length)
    with bill.Calendar() as c:
        c.load(CN_2025_OCTOBER)
        brute = sum(c.is_working_day(start + dt.timedelta(days=i)) for i in range(length))
        assert c.working_days(start, end) == brute


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=D(2025, 8, 1), max_value=D(2025, 12, 31)), st.integers(-30, 30))
def test_add_working_days_match_stepping(start, n):
    with bill.Calendar() as c:
        c.load(CN_2025_OCTOBER)
        if n == 0:
            d = start
            while not c.is_working_day(d):
                d += dt.timedelta(days=1)
        else:
            step = dt.timedelta(days=1 if n > 0 else -1)
            d, left = start, abs(n)
            while left:
                d += step
                left -= c.is_working_day(d)
        assert c.add_working_days(start, n) == d


def test_calendar_is_a_context_manager():
    with bill.Calendar() as c:
        assert not c.closed
        c.add_holiday(D(2025, 1, 1), "New Year")
    assert c.closed
    with pytest.raises(bill.StateError) as info:
        c.day_type(D(2025, 1, 1))
    assert info.value.name == "ESTATE"
    assert info.value.code == bill.Status.ESTATE
    c.close()        # closing twice is harmless
    c.close()


@pytest.mark.parametrize("use", [
    lambda c: c.day_type(D(2025, 1, 1)),
    lambda c: c.is_working_day(D(2025, 1, 1)),
    lambda c: c.holiday_name(D(2025, 1, 1)),
    lambda c: c.working_days(D(2025, 1, 1), D(2025, 2, 1)),
    lambda c: c.add_working_days(D(2025, 1, 1), 3),
    lambda c: c.add_holiday(D(2025, 1, 1), "x"),
    lambda c: c.add_working_day(D(2025, 1, 4)),
    lambda c: c.load("2025-01-01 holiday\n"),
    lambda c: c.weekend,
    lambda c: setattr(c, "weekend", {6, 7}),
])
def test_use_after_close_raises(use):
    c = bill.Calendar()
    c.close()
    with pytest.raises(bill.StateError):
        use(c)


def test_exception_inside_with_still_closes():
    with pytest.raises(ZeroDivisionError):
        with bill.Calendar() as c:
            1 / 0
    assert c.closed
    with pytest.raises(bill.StateError):
        c.is_working_day(D(2025, 1, 1))


def test_unclosed_calendars_are_freed_by_gc():
    for _ in range(1000):
        c = bill.Calendar()
        c.add_holiday(D(2025, 1, 1), "New Year")
    del c
    gc.collect()
    with bill.Calendar() as c:
        assert c.day_type(D(2025, 1, 1)) == "working"
