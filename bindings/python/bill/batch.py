"""Batch billing: many accounts of one tariff and one period, billed at once.

A :class:`Batch` takes the accounts' usage as columns, one value per account
(``Decimal`` or ``int``), and computes every bill in one call into the C
library (``include/bill/batch.h``). Each account's totals equal those of
:meth:`Tariff.compute <bill.Tariff.compute>` for the same usage, digit for
digit; :meth:`Batch.bill` gives the itemized :class:`~bill.Bill` on request.

    >>> import bill, datetime
    >>> from decimal import Decimal
    >>> t = bill.Tariff.load_file("examples/tariffs/cn-residential-annual-tou.json")
    >>> with bill.Batch(t, (datetime.date(2025, 6, 1), datetime.date(2025, 7, 1)), 2) as b:
    ...     b.set_class("residential")
    ...     b.set_tou_kwh("peak", [Decimal("300.0"), 600])
    ...     b.set_tou_kwh("valley", [120, 300])
    ...     b.set_ytd_kwh([2761, 4500])
    ...     b.compute()
    ...     b.totals()
    [Decimal('213.54'), Decimal('637.47')]

A column crosses to C as int64 coefficients at one scale: the largest number
of decimals among its values (at most 12; a value written with more has
its trailing zeros dropped, as they change no value). The conversion is exact: no ``float``
anywhere (a ``float`` or ``bool`` value raises :class:`TypeError`, a NaN or
infinite ``Decimal`` :class:`ValueError`). Every other check (negative
values, more than 15 digits before the point, ...) is the C setter's, whose
error names the column and the account.

Each account is billed with its values at the column's scale: in a column
holding ``Decimal("5.577")``, ``3`` is billed as ``Decimal("3.000")``. That
changes no bill: a bill depends on values, not on how they are written (a
period cut into segments shares kWh at the tariff's ``split_scale`` or the
value's own decimals without trailing zeros, ``docs/tariff-design.md``).
:meth:`Batch.usage` gives the usage exactly as the batch bills it.
"""

import decimal

from . import bill as _raw
from ._handle import _Handle
from .errors import Status, _argument_error, _from_status
from .tariffs import Bill, Tariff, Usage

__all__ = ["Batch"]

#: Most decimals a column may have (BILL_BATCH_MAX_SCALE).
MAX_SCALE = _raw.BILL_BATCH_MAX_SCALE

_INT64_MAX = 2**63 - 1


def _error(status, message):
    """The library's exception for ``status`` with a message of the binding's own."""
    code = int(status)
    return _from_status(code, _raw.bill_status_name(code),
                        _raw.bill_family_name(_raw.bill_status_family_of(code)), message)


def _column(what, values, n):
    """``values`` as (int coefficients, scale): exact, one scale, no float."""
    try:
        values = list(values)
    except TypeError:
        raise TypeError(f"libbill: batch: {what} must be a sequence of Decimal or int, "
                        f"not {type(values).__name__}") from None
    if len(values) != n:
        raise _argument_error(f"batch: {what} has {len(values)} values for {n} accounts")
    parts = []
    scale = 0
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, decimal.Decimal)):
            raise TypeError(f"libbill: batch: {what} of account {i} must be a Decimal or int, "
                            f"not {type(v).__name__}")
        if isinstance(v, int):
            parts.append((v, 0))
            continue
        if not v.is_finite():
            raise ValueError(f"libbill: batch: {what} of account {i} is {v} (not a number)")
        sign, digits, exp = v.as_tuple()
        coef = int("".join(map(str, digits)) or "0")
        if sign:
            coef = -coef
        if exp >= 0:
            coef *= 10**exp
            exp = 0
        if -exp > MAX_SCALE:  # drop trailing zeros: the same value, fewer decimals
            while exp < 0 and coef % 10 == 0:
                coef //= 10
                exp += 1
        if -exp > MAX_SCALE:
            raise _error(Status.ERANGE, f"batch: {what} of account {i} has more than "
                                        f"{MAX_SCALE} decimals ({v})")
        parts.append((coef, -exp))
        scale = max(scale, -exp)
    coefs = []
    for i, (coef, s) in enumerate(parts):
        c = coef * 10**(scale - s)
        if not -_INT64_MAX - 1 <= c <= _INT64_MAX:
            raise _error(Status.ERANGE, f"batch: {what} of account {i} is too large for an "
                                        f"int64 coefficient at scale {scale}")
        coefs.append(c)
    return coefs, scale


class Batch(_Handle):
    """``n`` accounts billed under ``tariff`` for ``period`` (``(start, end)`` dates).

    Set the columns the tariff needs (``set_class``, ``set_kwh``,
    ``set_tou_kwh``, ...), call :meth:`compute`, then read each account:
    :meth:`total`, :meth:`subtotal`, :meth:`tax` (``Decimal``; the library's
    exception for an account whose bill failed), :meth:`status`, :meth:`bill`,
    :meth:`usage`, or all totals at once with :meth:`totals`. A setter's
    error leaves the batch unchanged; setting a column again replaces it.

    The batch keeps ``tariff`` referenced and raises :class:`~bill.StateError`
    once it is closed. A context manager; one thread at a time.
    """

    __slots__ = ("_tariff", "_n")
    _free = staticmethod(_raw.bill_batch_free)

    def __init__(self, tariff, period, n):
        if not isinstance(tariff, Tariff):
            raise TypeError(f"libbill: batch needs a bill.Tariff, not {type(tariff).__name__}")
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"libbill: batch: n must be an int, not {type(n).__name__}")
        if n < 1:
            raise _argument_error(f"batch: {n} accounts (at least 1)")
        start, end = period
        self._closed = True  # until created: close() is then harmless
        self._h = None
        self._tariff = tariff
        self._h = _raw.bill_batch_create(tariff._h, (start, end), n)
        self._closed = False
        self._n = n

    def close(self):
        """Free the batch. Harmless when already closed."""
        if self._h is not None:
            super().close()
        self._closed = True

    def _t(self):
        """The C batch, after checking that the tariff it refers to is still open."""
        if self._tariff.closed:
            raise _error(Status.ESTATE, "batch: the tariff is closed")
        return self._h

    def __len__(self):
        """The number of accounts."""
        return _raw.bill_batch_size(self._h)

    def _index(self, i):
        if isinstance(i, bool) or not isinstance(i, int):
            raise TypeError(f"libbill: batch: an account index must be an int, not "
                            f"{type(i).__name__}")
        if not 0 <= i < self._n:
            raise IndexError(f"libbill: batch: account {i} of {self._n}")
        return i

    # ---- columns ---------------------------------------------------------------------

    def set_kwh(self, values):
        """Total kWh of each account (with TOU columns: a check, as :meth:`Usage.set_kwh`)."""
        _raw.billb_batch_set_kwh(self._h, *_column("kwh", values, self._n))

    def set_tou_kwh(self, period, values):
        """kWh of TOU period ``period`` ("peak") of each account."""
        coefs, scale = _column(f"tou_kwh {period!r}", values, self._n)
        _raw.billb_batch_set_tou_kwh(self._h, period, coefs, scale)

    def set_ytd_kwh(self, values):
        """kWh of this year before the period (annual tiers) of each account."""
        _raw.billb_batch_set_ytd_kwh(self._h, *_column("ytd_kwh", values, self._n))

    def set_capacity_kva(self, values):
        """Installed capacity in kVA of each account (two-part tariffs)."""
        _raw.billb_batch_set_capacity_kva(self._h, *_column("capacity_kva", values, self._n))

    def set_declared_kw(self, values):
        """Declared (contracted) maximum demand in kW of each account."""
        _raw.billb_batch_set_declared_kw(self._h, *_column("declared_kw", values, self._n))

    def set_max_demand_kw(self, values):
        """Actual maximum demand in kW of each account."""
        _raw.billb_batch_set_max_demand_kw(self._h, *_column("max_demand_kw", values, self._n))

    def set_kvarh(self, values):
        """Reactive energy in kvarh of each account (power-factor adjustment)."""
        _raw.billb_batch_set_kvarh(self._h, *_column("kvarh", values, self._n))

    def set_household_size(self, persons):
        """Household size of each account (ints 0..1000, 0: not given)."""
        persons = list(persons)
        if len(persons) != self._n:
            raise _argument_error(f"batch: household_size has {len(persons)} values for "
                                  f"{self._n} accounts")
        _raw.billb_batch_set_household_size(self._h, persons)

    def set_class(self, customer_class):
        """The customer class of every account ("residential")."""
        _raw.bill_batch_set_class(self._h, customer_class)

    def set_classes(self, classes):
        """The customer class of each account (a sequence of str, one per account)."""
        classes = list(classes)
        if len(classes) != self._n:
            raise _argument_error(f"batch: classes has {len(classes)} values for "
                                  f"{self._n} accounts")
        for i, c in enumerate(classes):
            if not isinstance(c, str):
                raise TypeError(f"libbill: batch: the class of account {i} must be a str, "
                                f"not {type(c).__name__}")
            if "\n" in c:
                raise _error(Status.ESYNTAX, f"batch: bad customer class {c!r} of account {i}")
        _raw.billb_batch_set_classes(self._h, "\n".join(classes))

    def set_pf_standard(self, standard):
        """The power-factor standard of every account: "0.90", "0.85" or "0.80" (or a Decimal)."""
        if isinstance(standard, decimal.Decimal):
            standard = str(standard)
        if not isinstance(standard, str):
            raise TypeError(f"libbill: batch: pf_standard must be a str or Decimal, not "
                            f"{type(standard).__name__}")
        _raw.bill_batch_set_pf_standard(self._h, standard)

    # ---- computing and results -------------------------------------------------------

    def compute(self):
        """Compute every account's bill (again after columns change). One account's
        failure does not stop the others: see :meth:`status` and :attr:`failed`."""
        _raw.bill_batch_compute(self._t())

    @property
    def failed(self):
        """Accounts whose bill failed in the last :meth:`compute`."""
        return _raw.bill_batch_failed(self._h)

    @property
    def kernel_count(self):
        """Accounts the last :meth:`compute` billed column by column (the others one at a
        time, with the same results): for tuning and tests."""
        return _raw.bill_batch_kernel_count(self._h)

    def status(self, i):
        """Account ``i``'s result as a :class:`~bill.Status`: ``Status.OK`` or the status
        its bill failed with (``Status.ESTATE`` before :meth:`compute`). Never raises
        for a failed account: :meth:`total` and :meth:`bill` do, with the reason."""
        return Status(_raw.bill_batch_status(self._h, self._index(i)))

    def total(self, i):
        """Account ``i``'s total (``Decimal``); raises the account's error if it failed."""
        return _raw.bill_batch_total(self._t(), self._index(i))

    def subtotal(self, i):
        """Account ``i``'s subtotal (``Decimal``); raises the account's error if it failed."""
        return _raw.bill_batch_subtotal(self._t(), self._index(i))

    def tax(self, i):
        """Account ``i``'s tax (``Decimal``, included in the total for VAT-inclusive
        tariffs); raises the account's error if it failed."""
        return _raw.bill_batch_tax(self._t(), self._index(i))

    def totals(self):
        """Every account's total, in order: a list of ``Decimal``, with ``None`` for an
        account whose bill failed (its :meth:`status` or :meth:`bill` says why).
        Raises :class:`~bill.StateError` before :meth:`compute`."""
        h = self._t()
        out = []
        for i in range(self._n):
            st = _raw.bill_batch_status(h, i)
            if st == Status.ESTATE:
                _raw.bill_batch_total(h, i)  # raises, with the library's message
            out.append(_raw.bill_batch_total(h, i) if st == Status.OK else None)
        return out

    def bill(self, i):
        """Account ``i``'s itemized :class:`~bill.Bill`, computed now (as
        :meth:`Tariff.compute <bill.Tariff.compute>` gives it); raises the account's
        error, with its reason, if it fails."""
        h = self._t()
        i = self._index(i)
        b = _raw.bill_bill_create()
        try:
            _raw.bill_batch_bill(b, h, i)
            return Bill._from_handle(b)
        finally:
            _raw.bill_bill_free(b)

    def usage(self, i):
        """Account ``i``'s usage as a new :class:`~bill.Usage` (the period, class and
        the columns' values); the caller owns it."""
        i = self._index(i)
        u = Usage()
        try:
            _raw.bill_batch_usage(u._h, self._h, i)
        except BaseException:
            u.close()
            raise
        return u

    def __repr__(self):
        if self._closed:
            return "<bill.Batch (closed)>"
        return f"<bill.Batch {self._n} accounts of {self._tariff.id!r}>"
