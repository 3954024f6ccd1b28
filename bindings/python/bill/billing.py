"""Billing determinants and the billing run.

:class:`Determinants` computes an account's quantities for a billing period
from given meter readings (no store needed): energy per register code, kvarh,
maximum demand, days, with meter exchanges, multiplier changes, sub-meters and
shared meters; :meth:`Determinants.to_usage` turns them into the
:class:`~bill.Usage` the tariff engine takes. ``Store.determinants(reference,
period)`` loads and computes them from a store; ``Store.billing_run(period,
tariffs)`` bills every account (or a list of them) and stores the bills;
``Store.bill_json(reference, period)`` reads a stored bill back.

    >>> import bill, datetime
    >>> d = bill.Determinants((datetime.date(2025, 6, 1), datetime.date(2025, 7, 1)))
    >>> d.add_meter("M-1"); d.add_register("M-1", "total")
    >>> d.add_segment("M-1", datetime.date(2024, 1, 1))
    >>> d.add_reading("M-1", "total", datetime.date(2025, 6, 1), "100")
    >>> d.add_reading("M-1", "total", datetime.date(2025, 7, 1), "520.5")
    >>> d.compute()["total"].value
    Decimal('420.5')
"""

import dataclasses
import datetime
import decimal
from typing import Dict, List, Optional

from . import bill as _raw
from ._handle import _Handle
from .errors import Status
from .store import RegisterKind, Store
from .tariffs import Tariff, Usage

__all__ = ["Determinants", "Quantity", "BillingReport", "Skipped", "Interrupted"]

_OPEN_END = _raw.bill_registry_open_end()


@dataclasses.dataclass(frozen=True)
class Quantity:
    """One determinant: its register kind, exact value and whether an estimated reading was used."""
    kind: RegisterKind
    value: decimal.Decimal
    estimated: bool


def _at(when):
    if isinstance(when, datetime.datetime):
        return when
    return datetime.datetime.combine(when, datetime.time())


def _lines(values):
    return "\n".join(str(v) for v in values)


class Determinants(_Handle):
    """The billing determinants of one account and period (a C ``bill_determinants`` handle)."""

    __slots__ = ()
    _free = staticmethod(_raw.bill_determinants_free)

    def __init__(self, period=None):
        self._h = _raw.bill_determinants_create()
        self._closed = False
        if period is not None:
            self.set_period(period)

    def set_period(self, period):
        start, end = period
        _raw.bill_determinants_set_period(self._h, (start, end))

    def add_meter(self, serial, digits=6):
        _raw.bill_determinants_add_meter(self._h, serial, digits)

    def add_register(self, serial, code, kind=RegisterKind.ENERGY, digits=0):
        _raw.bill_determinants_add_register(self._h, serial, code, int(kind), digits)

    def add_multiplier(self, serial, start, multiplier):
        """From ``start`` on the meter's multiplier is ``multiplier`` (1 before the first)."""
        _raw.bill_determinants_add_multiplier(self._h, serial, start, multiplier)

    def add_reading(self, serial, code, at, value, estimated=False):
        """A reading as read (before the multiplier) at ``at`` (a date means its 00:00)."""
        _raw.bill_determinants_add_reading(self._h, serial, code, _at(at), value,
                                           1 if estimated else 0)

    def add_segment(self, serial, start, end=None, sign=1, ratios=None, share_index=0):
        """Meter ``serial`` counts over ``[start, end)`` (``None``: open); ``sign=-1`` for a
        sub-meter taken off; ``ratios`` (all accounts of a shared link) with this account's
        ``share_index``."""
        _raw.billb_determinants_add_segment(self._h, serial, start,
                                            _OPEN_END if end is None else end, sign,
                                            _lines(ratios or []), share_index)

    def set_tou_map(self, code, period):
        """Register ``code`` counts as TOU period ``period`` ("" keeps it out of the TOU kWh)."""
        _raw.bill_determinants_set_tou_map(self._h, code, period)

    def compute(self):
        """Compute and return :attr:`quantities`."""
        _raw.bill_determinants_compute(self._h)
        return self.quantities

    @property
    def quantities(self) -> Dict[str, Quantity]:
        """``{register code: Quantity}`` after :meth:`compute` (empty before)."""
        h = self._h
        return {
            _raw.bill_determinants_code(h, i): Quantity(
                RegisterKind(_raw.bill_determinants_kind(h, i)),
                _raw.bill_determinants_value(h, i),
                bool(_raw.bill_determinants_estimated(h, i)))
            for i in range(_raw.bill_determinants_count(h))
        }

    @property
    def days(self):
        return _raw.bill_determinants_days(self._h)

    @property
    def estimated(self):
        """True when any quantity used an estimated reading."""
        return bool(_raw.bill_determinants_any_estimated(self._h))

    def to_usage(self, usage=None):
        """Fill ``usage`` (a new :class:`~bill.Usage` when ``None``) with the period and
        quantities; returns it. Class, household and the like stay the caller's."""
        if usage is None:
            usage = Usage()
        _raw.bill_determinants_to_usage(usage._h, self._h)
        return usage


@dataclasses.dataclass(frozen=True)
class Skipped:
    """An account the run did not bill, with the status and the reason."""
    account: str
    status: Status
    reason: str


@dataclasses.dataclass(frozen=True)
class Interrupted:
    """An earlier run of the same period that never finished (killed, or stopped
    by an error of the store), which this run closed: its UUID, when it started
    (UTC text), the bills it had committed and how many of this run's accounts
    were already billed by it."""
    uuid: str
    started: str
    bills: int
    counted: int


@dataclasses.dataclass(frozen=True)
class BillingReport:
    """The outcome of :meth:`Store.billing_run`. ``interrupted`` lists the earlier
    unfinished runs of the period this run closed (their bills are counted in
    ``already_billed``)."""
    uuid: str
    accounts: int
    billed: int
    already_billed: int
    skipped: List[Skipped]
    interrupted: List[Interrupted] = dataclasses.field(default_factory=list)


def _store_determinants(self, reference, period):
    """The :class:`Determinants` of account ``reference`` over ``period`` = (start, end)."""
    d = Determinants()
    try:
        _raw.bill_store_determinants(d._h, self._h, reference, tuple(period))
    except BaseException:
        d.close()
        raise
    return d


def _store_billing_run(self, period, tariffs, accounts=None, label=""):
    """Bill ``period`` for ``accounts`` (references; ``None``: every account) with
    ``tariffs`` (:class:`~bill.Tariff` objects, chosen by the account's tariff id).
    Returns a :class:`BillingReport`; running again bills nothing twice. An account
    whose own data is bad (a stored reading that does not parse, a missing reading,
    a tariff rule) is skipped with its reason; errors of the store raise and stop
    the run. Earlier unfinished runs of the period are closed and listed in
    ``interrupted``."""
    hs = []
    for t in tariffs:
        if not isinstance(t, Tariff):
            raise TypeError(f"libbill: tariffs must be bill.Tariff, not {type(t).__name__}")
        hs.append(t._h)
    refs = None if accounts is None else _lines(accounts)
    r = _raw.billb_billing_run(self._h, tuple(period), label, hs, refs)
    try:
        skipped = [Skipped(_raw.bill_billing_report_skipped_account(r, i),
                           Status(_raw.bill_billing_report_skipped_status(r, i)),
                           _raw.bill_billing_report_skipped_reason(r, i))
                   for i in range(_raw.bill_billing_report_skipped(r))]
        interrupted = [Interrupted(_raw.bill_billing_report_interrupted_uuid(r, i),
                                   _raw.bill_billing_report_interrupted_started(r, i),
                                   _raw.bill_billing_report_interrupted_bills(r, i),
                                   _raw.bill_billing_report_interrupted_counted(r, i))
                       for i in range(_raw.bill_billing_report_interrupted(r))]
        return BillingReport(_raw.bill_billing_report_uuid(r),
                             _raw.bill_billing_report_accounts(r),
                             _raw.bill_billing_report_billed(r),
                             _raw.bill_billing_report_already_billed(r), skipped, interrupted)
    finally:
        _raw.bill_billing_report_free(r)


def _store_bill_json(self, reference, period):
    """The stored bill of ``reference`` for ``period`` as JSON text (InputError ENOTFOUND if none)."""
    return _raw.bill_store_bill_json(self._h, reference, tuple(period))


# The store's billing methods live here, next to the types they return.
Store.determinants = _store_determinants
Store.billing_run = _store_billing_run
Store.bill_json = _store_bill_json
