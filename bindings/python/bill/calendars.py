"""Working-day calendars (weekend, public holidays, make-up working days).

A :class:`Calendar` owns a C ``bill_calendar`` handle. Use it as a context
manager or call :meth:`Calendar.close`; closing twice is harmless, and any
use after closing raises :class:`~bill.StateError` (``ESTATE``). A calendar
that is never closed is freed when it is garbage-collected.
"""

from . import bill as _raw
from ._handle import _Handle
from .dates import Weekday
from .errors import _argument_error

__all__ = ["Calendar", "DAY_TYPES"]

#: Day type names by the C values of bill_day_type: "working", "weekend", "holiday".
DAY_TYPES = {getattr(_raw, k): k[len("BILL_DAY_"):].lower() for k in dir(_raw) if k.startswith("BILL_DAY_")}


def _weekday(x):
    if isinstance(x, Weekday):
        return x
    if isinstance(x, str):
        key = x.strip().upper()
        for w in Weekday:
            if w.name == key or w.name[:3] == key:
                return w
    elif isinstance(x, int) and not isinstance(x, bool) and x in Weekday._value2member_map_:
        return Weekday(x)
    raise _argument_error(f"calendar: {x!r} is not a weekday (1..7 from Monday, or a name)")


class Calendar(_Handle):
    """A working-day calendar: ``Calendar(weekend={"SATURDAY", "SUNDAY"})``.

    Day types, by precedence: a public holiday, then a make-up working day
    (a weekend day declared working, 调休), then the weekend.
    """

    _free = staticmethod(_raw.bill_calendar_free)

    def __init__(self, weekend=None):
        self._h = _raw.bill_calendar_create()
        self._closed = False
        if weekend is not None:
            self.weekend = weekend

    # ---- life cycle ----


    def __repr__(self):
        return f"<bill.Calendar{' (closed)' if self._closed else ''}>"

    # ---- configuration ----

    @property
    def weekend(self):
        """The weekend as a frozenset of :class:`Weekday`."""
        mask = self._h.weekend()
        return frozenset(w for w in Weekday if (mask >> (w - 1)) & 1)

    @weekend.setter
    def weekend(self, days):
        """Set the weekend from weekdays (Weekday members, ISO numbers or names)."""
        if isinstance(days, (str, int)):
            days = [days]
        mask = 0
        for d in days:
            mask |= 1 << (_weekday(d) - 1)
        self._h.set_weekend(mask)

    def add_holiday(self, date, name=None):
        """Declare ``date`` a public holiday (again: harmless)."""
        self._h.add_holiday(date, name)

    def add_working_day(self, date):
        """Declare a weekend day a working day (make-up working day, 调休)."""
        self._h.add_working_day(date)

    def load(self, text):
        """Add entries from text, one a line: "YYYY-MM-DD holiday [name]" or "YYYY-MM-DD working".

        All or nothing: on an error nothing is added and the message names the line.
        """
        self._h.load(text)

    # ---- queries ----

    def day_type(self, date):
        """"working", "weekend" or "holiday"."""
        return DAY_TYPES[self._h.day_type(date)]

    def is_working_day(self, date):
        return bool(self._h.is_working_day(date))

    def holiday_name(self, date):
        """The holiday's name ("" if unnamed), or None if ``date`` is not a holiday."""
        return self._h.holiday_name(date)

    def working_days(self, start, end):
        """Working days in the period [start, end) (0 when start == end)."""
        return self._h.working_days((start, end))

    def add_working_days(self, date, n):
        """The date n working days after (n > 0) or before (n < 0) ``date``, not counting it.

        n = 0 gives ``date`` if it is a working day, else the next working day.
        """
        return self._h.add_working_days(date, n)
