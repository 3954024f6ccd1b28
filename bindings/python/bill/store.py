"""The embedded store: an SQLite file (or ``":memory:"``) with the registry of
accounts and meters and the effective-dated links between them.

:class:`Store` owns the C handle (a context manager). Accounts and meters are
plain :class:`Account` and :class:`Meter` objects with :class:`decimal.Decimal`
fields; every check is done by the C library, which raises
:class:`~bill.InputError` (duplicate reference, overlapping links, ratios not
adding up to 1...) or :class:`~bill.StorageError` (newer, foreign or corrupt
file, busy) with a message naming the record and the field.

    >>> import bill, datetime
    >>> with bill.Store(":memory:") as store:
    ...     _ = store.add_account(bill.Account("ACC-1"))
    ...     _ = store.add_meter(bill.Meter("M-1", installed=datetime.date(2024, 1, 1)))
    ...     store.link("M-1", "ACC-1", datetime.date(2024, 1, 1))
    ...     store.meter_accounts("M-1", datetime.date(2024, 2, 1))[0].account
    'ACC-1'
"""

import contextlib
import dataclasses
import datetime
import decimal
import enum
from typing import List, Optional

from . import bill as _raw
from ._handle import _Handle

__all__ = ["Store", "Account", "Meter", "Register", "RegisterKind", "MeterStatus", "Protection",
           "Link", "SCHEMA_VERSION"]

#: The schema version this library writes.
SCHEMA_VERSION = _raw.BILL_STORE_SCHEMA_VERSION

_OPEN_END = _raw.bill_registry_open_end()


class RegisterKind(enum.IntEnum):
    """What a register measures."""
    ENERGY = _raw.BILL_REGISTER_ENERGY
    REACTIVE = _raw.BILL_REGISTER_REACTIVE
    DEMAND = _raw.BILL_REGISTER_DEMAND


class MeterStatus(enum.IntEnum):
    """A meter's status, derived from its installation and removal dates."""
    IN_STOCK = _raw.BILL_METER_IN_STOCK
    INSTALLED = _raw.BILL_METER_INSTALLED
    REMOVED = _raw.BILL_METER_REMOVED


class Protection(enum.IntFlag):
    """Protected-customer flags: such accounts are never cut automatically."""
    NONE = 0
    IMPORTANT = _raw.BILL_PROTECT_IMPORTANT
    LIFE_SUPPORT = _raw.BILL_PROTECT_LIFE_SUPPORT
    VULNERABLE = _raw.BILL_PROTECT_VULNERABLE


@dataclasses.dataclass
class Account:
    """An account (户): its reference is the user key; ``uuid`` is set once stored."""
    reference: str
    customer_class: str = "residential"
    household_size: int = 1
    capacity_kva: decimal.Decimal = decimal.Decimal(0)
    declared_kw: decimal.Decimal = decimal.Decimal(0)
    pf_standard: str = ""
    protection: Protection = Protection.NONE
    tariff: str = ""
    uuid: str = ""


@dataclasses.dataclass
class Register:
    """A register of a meter: code ("total", "peak", "kvarh"...), kind, digits (0: the meter's)."""
    code: str
    kind: RegisterKind = RegisterKind.ENERGY
    digits: int = 0


@dataclasses.dataclass
class Meter:
    """A meter (电能表): serial (the user key), digits, multiplier (CT × PT), dates, registers."""
    serial: str
    digits: int = 6
    multiplier: decimal.Decimal = decimal.Decimal(1)
    installed: Optional[datetime.date] = None
    removed: Optional[datetime.date] = None
    registers: List[Register] = dataclasses.field(default_factory=list)
    uuid: str = ""

    @property
    def status(self):
        """:class:`MeterStatus` from the dates."""
        if self.installed is None:
            return MeterStatus.IN_STOCK
        return MeterStatus.INSTALLED if self.removed is None else MeterStatus.REMOVED


@dataclasses.dataclass(frozen=True)
class Link:
    """One answer of a registry query: a meter, an account (or a master), a range and a ratio.

    ``end`` is None for an open link; the range is half-open ``[start, end)``.
    """
    meter: str
    account: str
    master: str
    start: datetime.date
    end: Optional[datetime.date]
    ratio: decimal.Decimal
    uuid: str


def _end(d):
    return _OPEN_END if d is None else d


@contextlib.contextmanager
def _record(handle, free):
    try:
        yield handle
    finally:
        free(handle)


def _account_record(a):
    h = _raw.bill_account_create(a.reference)
    try:
        _raw.bill_account_set_class(h, a.customer_class)
        _raw.bill_account_set_household_size(h, a.household_size)
        _raw.bill_account_set_capacity_kva(h, a.capacity_kva)
        _raw.bill_account_set_declared_kw(h, a.declared_kw)
        _raw.bill_account_set_pf_standard(h, a.pf_standard)
        _raw.bill_account_set_protection(h, int(a.protection))
        _raw.bill_account_set_tariff(h, a.tariff)
    except BaseException:
        _raw.bill_account_free(h)
        raise
    return h


def _account_from(h):
    return Account(reference=_raw.bill_account_reference(h),
                   customer_class=_raw.bill_account_class(h),
                   household_size=_raw.bill_account_household_size(h),
                   capacity_kva=_raw.bill_account_capacity_kva(h),
                   declared_kw=_raw.bill_account_declared_kw(h),
                   pf_standard=_raw.bill_account_pf_standard(h),
                   protection=Protection(_raw.bill_account_protection(h)),
                   tariff=_raw.bill_account_tariff(h),
                   uuid=_raw.bill_account_uuid(h))


def _meter_record(m):
    h = _raw.bill_meter_create(m.serial)
    try:
        _raw.bill_meter_set_digits(h, m.digits)
        _raw.bill_meter_set_multiplier(h, m.multiplier)
        if m.installed is not None:
            _raw.bill_meter_set_installed(h, m.installed)
        if m.removed is not None:
            _raw.bill_meter_set_removed(h, m.removed)
        for r in m.registers:
            _raw.bill_meter_add_register(h, r.code, int(r.kind), r.digits)
    except BaseException:
        _raw.bill_meter_free(h)
        raise
    return h


def _meter_from(h):
    status = _raw.bill_meter_status(h)
    regs = [Register(_raw.bill_meter_register_code(h, i),
                     RegisterKind(_raw.bill_meter_register_kind(h, i)),
                     _raw.bill_meter_register_digits(h, i))
            for i in range(_raw.bill_meter_register_count(h))]
    return Meter(serial=_raw.bill_meter_serial(h), digits=_raw.bill_meter_digits(h),
                 multiplier=_raw.bill_meter_multiplier(h),
                 installed=(None if status == _raw.BILL_METER_IN_STOCK
                            else _raw.bill_meter_installed(h)),
                 removed=(_raw.bill_meter_removed(h) if status == _raw.BILL_METER_REMOVED
                          else None),
                 registers=regs, uuid=_raw.bill_meter_uuid(h))


def _links(h):
    try:
        out = []
        for i in range(_raw.bill_link_list_count(h)):
            end = _raw.bill_link_list_to(h, i)
            out.append(Link(meter=_raw.bill_link_list_meter(h, i),
                            account=_raw.bill_link_list_account(h, i),
                            master=_raw.bill_link_list_master(h, i),
                            start=_raw.bill_link_list_from(h, i),
                            end=None if end == _OPEN_END else end,
                            ratio=_raw.bill_link_list_ratio(h, i),
                            uuid=_raw.bill_link_list_uuid(h, i)))
        return out
    finally:
        _raw.bill_link_list_free(h)


class Store(_Handle):
    """An open store. ``Store(path)`` creates the file if needed and migrates it.

    ``readonly=True`` opens without writing (an older file then raises
    :class:`~bill.StorageError` ``EVERSION``); ``verify=True`` runs SQLite's
    quick_check first. Use it as a context manager or call :meth:`close`.
    One store must not be used from two threads at once: open one per thread.
    """

    __slots__ = ()
    _free = staticmethod(_raw.bill_store_close)

    def __init__(self, path=":memory:", *, create=True, readonly=False, verify=False):
        flags = 0
        if readonly:
            flags |= _raw.BILL_STORE_READONLY
        elif create:
            flags |= _raw.BILL_STORE_CREATE
        if verify:
            flags |= _raw.BILL_STORE_VERIFY
        self._h = _raw.bill_store_open(path, flags)
        self._closed = False

    @property
    def schema_version(self):
        return _raw.bill_store_schema_version(self._h)

    @property
    def readonly(self):
        return bool(_raw.bill_store_is_readonly(self._h))

    def set_busy_timeout(self, ms):
        """How long to wait for another writer, in milliseconds, before StorageError EBUSY."""
        _raw.bill_store_set_busy_timeout(self._h, ms)

    @contextlib.contextmanager
    def transaction(self):
        """Group changes: committed when the block ends, rolled back if it raises."""
        _raw.bill_store_begin(self._h)
        try:
            yield self
        except BaseException:
            _raw.bill_store_rollback(self._h)
            raise
        _raw.bill_store_commit(self._h)

    # ---- accounts ----

    def add_account(self, account):
        """Store a new :class:`Account`; returns it with its ``uuid`` set."""
        with _record(_account_record(account), _raw.bill_account_free) as h:
            _raw.bill_registry_add_account(self._h, h)
            return dataclasses.replace(account, uuid=_raw.bill_account_uuid(h))

    def update_account(self, account):
        """Replace every field of the stored account with the same reference."""
        with _record(_account_record(account), _raw.bill_account_free) as h:
            _raw.bill_registry_update_account(self._h, h)

    def account(self, reference):
        """The stored account ``reference`` (InputError ENOTFOUND if none)."""
        with _record(_raw.bill_registry_get_account(self._h, reference),
                     _raw.bill_account_free) as h:
            return _account_from(h)

    def accounts(self):
        """All account references, sorted."""
        return _raw.bill_registry_account_refs(self._h).splitlines()

    # ---- meters ----

    def add_meter(self, meter):
        """Store a new :class:`Meter` (registers, multiplier); returns it with its ``uuid``."""
        with _record(_meter_record(meter), _raw.bill_meter_free) as h:
            _raw.bill_registry_add_meter(self._h, h)
            return self.meter(meter.serial)

    def update_meter(self, meter):
        """Update digits, dates and add new registers of the stored meter with the same serial."""
        with _record(_meter_record(meter), _raw.bill_meter_free) as h:
            _raw.bill_registry_update_meter(self._h, h)

    def meter(self, serial):
        """The stored meter ``serial`` with its registers and latest multiplier."""
        with _record(_raw.bill_registry_get_meter(self._h, serial), _raw.bill_meter_free) as h:
            return _meter_from(h)

    def meters(self):
        """All meter serials, sorted."""
        return _raw.bill_registry_meter_serials(self._h).splitlines()

    def remove_meter(self, serial, on):
        """Remove the meter on ``on``, ending its open links and sub-meter relations."""
        _raw.bill_registry_remove_meter(self._h, serial, on)

    def set_multiplier(self, serial, start, multiplier):
        """From ``start`` on, the meter's multiplier is ``multiplier``."""
        _raw.bill_registry_set_multiplier(self._h, serial, start, multiplier)

    def multiplier_on(self, serial, on):
        """The multiplier in force on ``on`` (a Decimal)."""
        return _raw.bill_registry_multiplier_on(self._h, serial, on)

    # ---- links ----

    def link(self, serial, reference, start, end=None):
        """Link meter ``serial`` to account ``reference`` over ``[start, end)`` (None: open)."""
        _raw.bill_registry_link(self._h, serial, reference, start, _end(end))

    def link_shared(self, serial, ratios, start, end=None):
        """Link a shared meter to several accounts: ``ratios`` maps reference -> ratio
        (Decimal or str), in order; they must add up to exactly 1."""
        pairs = list(ratios.items()) if isinstance(ratios, dict) else list(ratios)
        refs, texts = [], []
        for ref, ratio in pairs:
            if isinstance(ratio, float):
                raise TypeError("libbill: float ratios are not accepted; pass Decimal or str")
            if not isinstance(ref, str) or "\n" in ref:
                raise TypeError(f"libbill: account reference {ref!r} must be a str without newlines")
            refs.append(ref)
            texts.append(str(ratio))
        _raw.billb_registry_link_shared(self._h, serial, "\n".join(refs), "\n".join(texts),
                                        start, _end(end))

    def end_link(self, serial, end):
        """End the meter's link in force on the day before ``end`` on ``end``."""
        _raw.bill_registry_end_link(self._h, serial, end)

    def add_sub(self, master, sub, start, end=None):
        """Put meter ``sub`` under master meter ``master`` over ``[start, end)``."""
        _raw.bill_registry_add_sub(self._h, master, sub, start, _end(end))

    def end_sub(self, sub, end):
        """End the sub-meter relation of ``sub`` in force on the day before ``end``."""
        _raw.bill_registry_end_sub(self._h, sub, end)

    # ---- queries ----

    def meter_accounts(self, serial, on):
        """Who pays for meter ``serial`` on ``on``: a list of :class:`Link` (empty if unlinked)."""
        return _links(_raw.bill_registry_meter_accounts(self._h, serial, on))

    def account_meters(self, reference, start, end):
        """The meters of account ``reference`` over ``[start, end)`` with their link ranges."""
        return _links(_raw.bill_registry_account_meters(self._h, reference, (start, end)))

    def subs(self, master, start, end):
        """The sub-meters under ``master`` over ``[start, end)``."""
        return _links(_raw.bill_registry_subs(self._h, master, (start, end)))

    def verify(self, audit, **options):
        """Reconcile a field audit with this store: see :func:`bill.verify.verify`."""
        from .verify import verify
        return verify(self, audit, **options)

    def anomalies(self, **options):
        """Anomalies of the reading history: see :func:`bill.verify.find_anomalies`."""
        from .verify import find_anomalies
        return find_anomalies(self, **options)

    def split(self, serial, on, kwh, scale=0):
        """Split ``kwh`` of meter ``serial`` between the accounts paying for it on ``on``.

        Returns ``{reference: Decimal}`` whose values have ``scale`` digits and add up
        exactly to ``kwh``; the units left over after rounding each share toward zero go
        one each to the largest dropped fractions, ties to the earlier account.
        """
        h = _raw.bill_registry_meter_accounts(self._h, serial, on)
        try:
            refs = [_raw.bill_link_list_account(h, i) for i in range(_raw.bill_link_list_count(h))]
            if not refs:
                return {}
            parts = _raw.bill_link_list_split(len(refs), h, kwh, scale)
            return dict(zip(refs, parts))
        finally:
            _raw.bill_link_list_free(h)
