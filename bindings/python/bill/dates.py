"""Civil dates and half-open periods, computed by libbill.

Dates are :class:`datetime.date` (0001-01-01 .. 9999-12-31, proleptic
Gregorian); a :class:`datetime.datetime` is refused where a date is meant.
Periods are half-open ``[start, end)``: June 1st to July 1st is 30 days.
Local date-times (minute resolution, no time zone) are naive
:class:`datetime.datetime` values with zero seconds.
"""

import datetime
import enum
from typing import NamedTuple

from . import bill as _raw
from .errors import _from_status, Status

__all__ = [
    "Weekday", "MonthEnd", "Period",
    "is_leap_year", "days_in_month", "parse_date", "parse_datetime", "parse_period", "period",
    "add_days", "add_months", "days_between", "period_days", "weekday", "day_of_year",
    "add_minutes",
]

_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")

#: ISO weekdays (Monday = 1), the C enum bill_weekday.
Weekday = enum.IntEnum("Weekday", [(n, getattr(_raw, "BILL_" + n)) for n in _WEEKDAYS], module=__name__)

#: Month-end rules for add_months: CLAMP (Java's plusMonths) or STICKY (month-end stays month-end).
MonthEnd = enum.IntEnum(
    "MonthEnd",
    sorted(((k[len("BILL_MONTHEND_"):], getattr(_raw, k)) for k in dir(_raw) if k.startswith("BILL_MONTHEND_")),
           key=lambda kv: kv[1]),
    module=__name__)


def _monthend(rule):
    if isinstance(rule, MonthEnd):
        return int(rule)
    if isinstance(rule, str):
        key = rule.strip().upper()
        if key in MonthEnd.__members__:
            return int(MonthEnd[key])
        from .errors import _argument_error
        raise _argument_error(f"add_months: unknown month-end rule {rule!r} (clamp or sticky)")
    raise TypeError(f"rule must be a bill.MonthEnd or its name, not {type(rule).__name__}")


class Period(NamedTuple):
    """A half-open period ``[start, end)`` of dates."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self):
        """Number of days (end - start)."""
        return _raw.bill_period_days(self)

    def __contains__(self, d):
        return bool(_raw.bill_period_contains(self, d))

    def overlap_days(self, other):
        """Days this period shares with ``other`` (0 if none)."""
        return _raw.bill_period_overlap_days(self, tuple(other))

    def __str__(self):
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def is_leap_year(year):
    """True for leap years of the Gregorian calendar (2000 yes, 2100 no)."""
    return bool(_raw.bill_is_leap_year(year))


def days_in_month(year, month):
    """Days in the month (28..31); InputError EDATE for a month outside 1..12."""
    n = _raw.bill_days_in_month(year, month)
    if n == 0:   # the C library's answer for an invalid month
        code = int(Status.EDATE)
        raise _from_status(code, _raw.bill_status_name(code), "INPUT",
                           f"date: month {month} is not 1..12")
    return n


def parse_date(text):
    """The date for ISO text "YYYY-MM-DD" exactly (C parser; strict)."""
    return _raw.bill_date_parse(text)


def parse_datetime(text):
    """A naive datetime for "YYYY-MM-DDTHH:MM" (a blank for T, ":00" seconds and "24:00" accepted)."""
    return _raw.bill_datetime_parse(text)


def parse_period(text):
    """The :class:`Period` for an ISO interval "YYYY-MM-DD/YYYY-MM-DD" (end exclusive)."""
    return Period(*_raw.bill_period_parse(text))


def period(start, end):
    """The :class:`Period` [start, end), checked (InputError EDATE unless start < end)."""
    return Period(*_raw.bill_period_make(start, end))


def add_days(d, days):
    """d + days; InputError EDATE if the result leaves 0001..9999."""
    return _raw.bill_date_add_days(d, days)


def add_months(d, months, rule="clamp"):
    """d + months with the month-end rule ``"clamp"`` (Jan 31 + 1 = Feb 28/29) or ``"sticky"``."""
    return _raw.bill_date_add_months(d, months, _monthend(rule))


def days_between(a, b):
    """b - a in days (negative if b is before a)."""
    return _raw.bill_date_diff(a, b)


def period_days(start, end):
    """Days in the period [start, end); InputError EDATE unless start < end."""
    return _raw.bill_period_days(_raw.bill_period_make(start, end))


def weekday(d):
    """The ISO :class:`Weekday` of d."""
    return Weekday(_raw.bill_date_weekday(d))


def day_of_year(d):
    """Day of the year, 1..366."""
    return _raw.bill_date_day_of_year(d)


def add_minutes(t, minutes):
    """A local date-time plus minutes."""
    return _raw.bill_datetime_add_minutes(t, minutes)
