"""Tariffs, usage and itemized bills (``include/bill/tariff.h``).

A :class:`Tariff` is loaded once from JSON (``"format": "libbill-tariff/1"``)
into the C library's compiled, read-only form; a :class:`Usage` holds what one
account consumed in one billing period; :meth:`Tariff.compute` returns a
:class:`Bill`, a plain immutable Python object copied out of the C bill right
after the computation (its lifetime depends on no C handle). Every price,
split, rounding and explanation is computed by the C library.

    >>> import bill, datetime
    >>> from decimal import Decimal
    >>> with bill.Tariff.load_file("examples/tariffs/cn-residential-annual.json") as t, \\
    ...      bill.Usage(period=(datetime.date(2025, 6, 1), datetime.date(2025, 7, 1)),
    ...                 household_size=3, kwh="420", ytd_kwh="2761") as u:
    ...     b = t.compute(u)
    >>> b.total, [line.amount for line in b]
    (Decimal('224.94'), [Decimal('189.66'), Decimal('35.28')])
"""

import decimal
import enum
import os
from collections.abc import Mapping
from typing import NamedTuple, Optional, Tuple

from . import bill as _raw
from ._handle import _Handle
from .calendars import DAY_TYPES

__all__ = ["Tariff", "Usage", "Bill", "BillLine", "LineKind"]


class LineKind(enum.IntEnum):
    """Kinds of bill lines (``bill_line_kind``)."""
    FIXED = _raw.BILL_LINE_FIXED
    ENERGY = _raw.BILL_LINE_ENERGY
    PER_KWH = _raw.BILL_LINE_PER_KWH
    MINIMUM = _raw.BILL_LINE_MINIMUM
    TAX = _raw.BILL_LINE_TAX
    ROUNDING = _raw.BILL_LINE_ROUNDING
    CAPACITY = _raw.BILL_LINE_CAPACITY
    DEMAND = _raw.BILL_LINE_DEMAND
    POWER_FACTOR = _raw.BILL_LINE_PF
    CREDIT = _raw.BILL_LINE_CREDIT


class Tariff(_Handle):
    """A compiled tariff (immutable once loaded; several threads may compute with it).

    Built with :meth:`load` (JSON text) or :meth:`load_file` (no public
    constructor). Errors raise the family's exception (:class:`~bill.InputError`
    for ``ESYNTAX``, ``ERANGE``, ``ERULE``, ``EDATE``, ``ECURRENCY``) with
    ``source:line:col: reason (at JSON path)`` in the message.
    """

    __slots__ = ()
    _free = staticmethod(_raw.bill_tariff_free)

    def __init__(self, *args, **kwargs):
        raise TypeError("use Tariff.load(text) or Tariff.load_file(path)")

    @classmethod
    def load(cls, text, source=None):
        """A tariff from JSON ``text`` (str or bytes); ``source`` names it in error messages."""
        self = object.__new__(cls)
        self._h = _raw.bill_tariff_load(text, source)
        self._closed = False
        return self

    @classmethod
    def load_file(cls, path):
        """A tariff from the JSON file at ``path`` (named in error messages)."""
        with open(path, "rb") as f:
            data = f.read()
        return cls.load(data, os.fsdecode(path))

    @property
    def id(self):
        return _raw.bill_tariff_id(self._h)

    @property
    def name(self):
        return _raw.bill_tariff_name(self._h)

    @property
    def currency(self):
        """The ISO 4217 code ("CNY")."""
        return _raw.bill_tariff_currency(self._h)

    @property
    def versions(self):
        """The effective dates of the versions (``datetime.date``), increasing."""
        n = _raw.bill_tariff_version_count(self._h)
        return [_raw.bill_tariff_version_effective(self._h, i) for i in range(n)]

    def tou_period(self, charge_id, at, day_type="working"):
        """The TOU period ("peak") of energy charge ``charge_id`` at naive datetime ``at``
        on a day of type ``day_type``: "working", "weekend" or "holiday", as
        :meth:`bill.Calendar.day_type` says. ``InputError`` ``ENOTFOUND`` when the
        version in effect has no such charge with a schedule."""
        codes = {name: code for code, name in DAY_TYPES.items()}
        if day_type not in codes:
            raise ValueError(f"libbill: day_type must be one of {sorted(codes)}, not {day_type!r}")
        return _raw.bill_tariff_tou_period(self._h, charge_id, at, codes[day_type])

    def compute(self, usage):
        """The :class:`Bill` of ``usage`` (a :class:`Usage`) under this tariff."""
        if not isinstance(usage, Usage):
            raise TypeError(f"libbill: compute needs a bill.Usage, not {type(usage).__name__}")
        b = _raw.bill_bill_create()
        try:
            _raw.bill_tariff_compute(self._h, usage._h, b)
            return Bill._from_handle(b)
        finally:
            _raw.bill_bill_free(b)

    def __repr__(self):
        if self._closed:
            return "<bill.Tariff (closed)>"
        return f"<bill.Tariff {self.id!r} {self.currency}>"


_UNSET = object()


class Usage(_Handle):
    """The usage of one account in one billing period (a C ``bill_usage`` handle).

    ``Usage(period=(start, end), customer_class="residential", household_size=1,
    kwh=..., tou_kwh={"peak": ...}, ytd_kwh=..., exported_kwh=..., readings={date: kwh}
    (or pairs; with TOU kWh a reading's value is the TOU registers' ``{"peak": kwh, ...}``,
    and a pair with a total on the same date is checked against their sum), opened=date, ..., options={"basic_charge": "capacity"})``; quantities are ``Decimal``, ``str`` or ``int``
    (``float`` raises :class:`TypeError`). Or :meth:`from_json`. Every value is
    checked by the C setter.

    Interval data and demands: ``intervals=(start, minutes, kwh)`` (a naive
    ``datetime``, 15/30/60 and a sequence of amounts), ``calendar=Calendar``
    (the day types of interval data; kept referenced by the usage),
    ``tou_max_demand_kw={"on_peak": ...}``, ``prior_peaks_kw={date: kw}`` (or
    pairs; any day of the month).
    """

    __slots__ = ("_calendar",)
    _free = staticmethod(_raw.bill_usage_free)

    def __init__(self, period=None, customer_class=None, household_size=None, kwh=None,
                 tou_kwh=None, ytd_kwh=None, exported_kwh=None, readings=None, opened=None,
                 capacity_kva=None, suspended=None, declared_kw=None, max_demand_kw=None,
                 kvarh=None, pf_standard=None, options=None, intervals=None, calendar=None,
                 tou_max_demand_kw=None, prior_peaks_kw=None):
        self._h = _raw.bill_usage_create()
        self._closed = False
        self._calendar = None
        try:
            if period is not None:
                self.set_period(period)
            if customer_class is not None:
                self.set_class(customer_class)
            if household_size is not None:
                self.set_household_size(household_size)
            if kwh is not None:
                self.set_kwh(kwh)
            if tou_kwh is not None:
                for name, value in dict(tou_kwh).items():
                    self.set_tou_kwh(name, value)
            if ytd_kwh is not None:
                self.set_ytd_kwh(ytd_kwh)
            if exported_kwh is not None:
                self.set_exported_kwh(exported_kwh)
            if readings is not None:
                items = readings.items() if isinstance(readings, dict) else readings
                for at, value in items:
                    if isinstance(value, Mapping):
                        for name, kwh in value.items():
                            self.set_tou_reading(at, name, kwh)
                    else:
                        self.set_reading(at, value)
            if opened is not None:
                self.set_opened(opened)
            if capacity_kva is not None:
                self.set_capacity_kva(capacity_kva)
            for start, end, kva in suspended or ():
                self.add_suspended((start, end), kva)
            if declared_kw is not None:
                self.set_declared_kw(declared_kw)
            if max_demand_kw is not None:
                self.set_max_demand_kw(max_demand_kw)
            if kvarh is not None:
                self.set_kvarh(kvarh)
            if pf_standard is not None:
                self.set_pf_standard(pf_standard)
            for name, value in dict(options or {}).items():
                self.set_option(name, value)
            if intervals is not None:
                start, minutes, kwh = intervals
                self.set_intervals(start, minutes, kwh)
            if calendar is not None:
                self.set_calendar(calendar)
            if tou_max_demand_kw is not None:
                for name, value in dict(tou_max_demand_kw).items():
                    self.set_tou_max_demand_kw(name, value)
            if prior_peaks_kw is not None:
                items = prior_peaks_kw.items() if isinstance(prior_peaks_kw, dict) else prior_peaks_kw
                for month, value in items:
                    self.add_prior_peak(month, value)
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_json(cls, text, source=None):
        """A usage from JSON (``{"period": "2025-06-01/2025-07-01", "kwh": "420", ...}``)."""
        self = cls()
        try:
            _raw.bill_usage_load(self._h, text, source)
        except BaseException:
            self.close()
            raise
        return self

    def load(self, text, source=None):
        """Replace the contents with a usage read from JSON (reset on failure; forgets the calendar)."""
        self._calendar = None
        _raw.bill_usage_load(self._h, text, source)

    def reset(self):
        self._calendar = None
        _raw.bill_usage_reset(self._h)

    def set_period(self, period):
        start, end = period
        _raw.bill_usage_set_period(self._h, (start, end))

    def set_class(self, customer_class):
        _raw.bill_usage_set_class(self._h, customer_class)

    def set_household_size(self, persons):
        if isinstance(persons, bool) or not isinstance(persons, int):
            raise TypeError("libbill: household_size must be an int")
        _raw.bill_usage_set_household_size(self._h, persons)

    def set_kwh(self, kwh):
        _raw.bill_usage_set_kwh(self._h, kwh)

    def set_tou_kwh(self, period, kwh):
        _raw.bill_usage_set_tou_kwh(self._h, period, kwh)

    def clear_tou(self):
        _raw.bill_usage_clear_tou(self._h)

    def set_ytd_kwh(self, kwh):
        _raw.bill_usage_set_ytd_kwh(self._h, kwh)

    def set_exported_kwh(self, kwh):
        _raw.bill_usage_set_exported_kwh(self._h, kwh)

    def set_reading(self, at, kwh):
        """A reading of the total register: kWh from the period's start to the start of day
        ``at`` (a split date: a version change, or 1 January for annual tiers)."""
        _raw.bill_usage_set_reading(self._h, at, kwh)

    def set_tou_reading(self, at, period, kwh):
        """A reading of TOU register ``period`` ("peak"): its kWh from the period's start to
        the start of day ``at``, a split date. A usage with TOU kWh is split there register by
        register; every TOU register needs a value at that date (checked when billing,
        :class:`~bill.InputError` naming the date and the register)."""
        _raw.bill_usage_set_tou_reading(self._h, at, period, kwh)

    def set_opened(self, opened):
        _raw.bill_usage_set_opened(self._h, opened)

    def set_capacity_kva(self, kva):
        """Installed transformer capacity in kVA (capacity and demand charges)."""
        _raw.bill_usage_set_capacity_kva(self._h, kva)

    def add_suspended(self, period, kva):
        """Capacity suspended (暂停, 减容) over ``period`` = (start, end), end exclusive."""
        start, end = period
        _raw.bill_usage_add_suspended(self._h, (start, end), kva)

    def clear_suspended(self):
        _raw.bill_usage_clear_suspended(self._h)

    def set_declared_kw(self, kw):
        """Declared (contracted) maximum demand in kW."""
        _raw.bill_usage_set_declared_kw(self._h, kw)

    def set_max_demand_kw(self, kw):
        """The period's actual maximum demand in kW."""
        _raw.bill_usage_set_max_demand_kw(self._h, kw)

    def set_kvarh(self, kvarh):
        """Reactive energy, for the power factor."""
        _raw.bill_usage_set_kvarh(self._h, kvarh)

    def set_pf_standard(self, standard):
        """The customer's power-factor standard: "0.90", "0.85" or "0.80"."""
        _raw.bill_usage_set_pf_standard(self._h, standard if isinstance(standard, str) else str(standard))

    def set_option(self, name, value):
        """Choose ``value`` for the tariff option ``name`` ("basic_charge", "capacity")."""
        _raw.bill_usage_set_option(self._h, name, value)

    def clear_options(self):
        """Forget the option choices (the tariff's defaults apply)."""
        _raw.bill_usage_clear_options(self._h)

    # ---- interval data and demand by TOU period ----

    def set_intervals(self, start, minutes, kwh):
        """Interval data: ``kwh`` (a sequence of amounts) of ``minutes`` (15, 30 or 60)
        each from the naive local ``datetime`` ``start``; the values are copied. An
        empty sequence forgets them."""
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise TypeError("libbill: minutes must be an int")
        _raw.bill_usage_set_intervals(self._h, start, minutes, kwh)

    @property
    def interval_count(self):
        """Number of intervals the usage carries."""
        return _raw.bill_usage_interval_count(self._h)

    def set_calendar(self, calendar):
        """The :class:`bill.Calendar` giving the day type of each day of interval data
        (``None``: Saturday-Sunday weekends, no holidays). The usage keeps a reference;
        do not close the calendar while the usage is billed."""
        _raw.bill_usage_set_calendar(self._h, None if calendar is None else calendar._h)
        self._calendar = calendar

    def set_tou_max_demand_kw(self, period, kw):
        """Maximum demand in kW of one TOU period ("on_peak"), from a demand register."""
        _raw.bill_usage_set_tou_max_demand_kw(self._h, period, kw)

    def clear_tou_max_demand(self):
        _raw.bill_usage_clear_tou_max_demand(self._h)

    def add_prior_peak(self, month, kw):
        """The peak demand in kW of an earlier month (any ``date`` in it), for ratchets."""
        _raw.bill_usage_add_prior_peak(self._h, month, kw)

    def clear_prior_peaks(self):
        _raw.bill_usage_clear_prior_peaks(self._h)

    def __repr__(self):
        return "<bill.Usage (closed)>" if self._closed else "<bill.Usage>"


class BillLine(NamedTuple):
    """One line of a bill (immutable). Amounts are ``Decimal``; strings are "" when empty."""
    kind: LineKind
    charge: str
    component: str
    band: str
    quantity: decimal.Decimal
    unit: str
    unit_price: decimal.Decimal
    amount: decimal.Decimal
    segment: Tuple
    explanation: str


class Bill:
    """An itemized bill (immutable): ``lines``, ``subtotal``, ``tax``, ``tax_included``,
    ``total``, ``text`` and ``json``, all copied from the C bill when it was computed.
    Iterating gives the lines; the lines' amounts add up to ``total``.
    """

    __slots__ = ("lines", "subtotal", "tax", "tax_included", "total", "text", "json")

    def __init__(self, *args, **kwargs):
        raise TypeError("bills come from Tariff.compute(usage)")

    @classmethod
    def _from_handle(cls, b):
        lines = []
        for i in range(_raw.bill_bill_line_count(b)):
            kind, charge, component, band, unit, qty, price, amount, seg = _raw.bill_bill_line(b, i)
            lines.append(BillLine(LineKind(kind), charge, component, band, qty, unit, price,
                                  amount, seg, _raw.bill_bill_line_explain(b, i)))
        self = object.__new__(cls)
        values = {
            "lines": tuple(lines),
            "subtotal": _raw.bill_bill_subtotal(b),
            "tax": _raw.bill_bill_tax(b),
            "tax_included": bool(_raw.bill_bill_tax_included(b)),
            "total": _raw.bill_bill_total(b),
            "text": _raw.bill_bill_to_text(b),
            "json": _raw.bill_bill_to_json(b),
        }
        for k, v in values.items():
            object.__setattr__(self, k, v)
        return self

    def __setattr__(self, name, value):
        raise AttributeError("bill.Bill is immutable")

    def __delattr__(self, name):
        raise AttributeError("bill.Bill is immutable")

    def __iter__(self):
        return iter(self.lines)

    def __len__(self):
        return len(self.lines)

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"<bill.Bill total={self.total} lines={len(self.lines)}>"
