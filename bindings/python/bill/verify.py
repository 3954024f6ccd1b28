"""Meter-to-account verification of a field audit (表户对应核查) and anomalies in the
reading history (docs/verification.md).

:class:`Verification` reconciles audit rows (a CSV file, CSV text, or rows given
one by one) with a :class:`~bill.Store`'s registry and reading history, and
classifies every row and every account in scope, with the evidence in words.
:meth:`bill.Store.verify` does it in one call. :func:`find_anomalies` flags zero
usage and usage far outside a meter's own history. Readings and usages are
:class:`decimal.Decimal`.

    >>> import bill, datetime, decimal
    >>> with bill.Store(":memory:") as store:
    ...     _ = store.add_account(bill.Account("A-1"))
    ...     _ = store.add_meter(bill.Meter("M-1", installed=datetime.date(2024, 1, 1)))
    ...     store.link("M-1", "A-1", datetime.date(2024, 1, 1))
    ...     v = store.verify([("M-1", "A-1", "", decimal.Decimal(5), datetime.date(2024, 6, 1))])
    ...     v.rows[0].cls, v.accounts[0].cls
    ('confirmed', 'confirmed')
"""

import dataclasses
import datetime
import decimal
import os
from typing import List, Optional

from . import bill as _raw
from ._handle import _Handle

__all__ = ["Verification", "VerifyRow", "VerifyAccount", "Anomaly", "AnomalyReport",
           "find_anomalies", "SCOPE_AUDITED", "SCOPE_ALL"]

#: Accounts named by the rows (default).
SCOPE_AUDITED = "audited"
#: Those plus every account with an installed meter linked on the audit date.
SCOPE_ALL = "all"
_SCOPES = {SCOPE_AUDITED: _raw.BILL_VERIFY_SCOPE_AUDITED, SCOPE_ALL: _raw.BILL_VERIFY_SCOPE_ALL}
_EPOCH = datetime.date(1970, 1, 1)


@dataclasses.dataclass(frozen=True)
class VerifyRow:
    """One audit row and its class ("confirmed", "other_account", "likely_swap"...)."""
    line: int
    cls: str
    evidence: str
    meter_serial: str = ""
    found_account: str = ""
    found_address: str = ""
    reading: Optional[decimal.Decimal] = None
    read_on: Optional[datetime.date] = None
    registered_account: str = ""
    partner: str = ""


@dataclasses.dataclass(frozen=True)
class VerifyAccount:
    """One account in scope and its class ("confirmed", "meter_not_found", "mismatch"...)."""
    reference: str
    cls: str
    evidence: str


class Verification(_Handle):
    """A verification over ``store``. Add the audit (:meth:`add_file`, :meth:`feed` +
    :meth:`finish`, or :meth:`add_row`), then :meth:`run`; read :attr:`rows`,
    :attr:`accounts`, :meth:`to_csv`, :meth:`to_json`.

    ``scope`` is ``"audited"`` or ``"all"``; ``jump_factor`` (K) and ``jump_floor``
    (kWh a day) set the implausible-jump rule; ``audit_date`` (a date) replaces
    the rows' own dates.
    """

    __slots__ = ("_rows", "_accounts")
    _free = staticmethod(_raw.bill_verify_free)

    def __init__(self, store, *, scope=SCOPE_AUDITED, jump_factor=decimal.Decimal(3),
                 jump_floor=decimal.Decimal(50), audit_date=None):
        if scope not in _SCOPES:
            raise ValueError("scope must be 'audited' or 'all', not %r" % (scope,))
        self._h = _raw.billb_verify_create(store._h, _SCOPES[scope], jump_factor, jump_floor,
                                           1 if audit_date is not None else 0,
                                           audit_date if audit_date is not None else _EPOCH)
        self._closed = False
        self._rows = None
        self._accounts = None

    def feed(self, text):
        """Feed audit CSV text (str or bytes) in chunks of any size."""
        _raw.bill_verify_feed(self._h, text)

    def finish(self):
        """The end of the CSV text."""
        _raw.bill_verify_finish(self._h)

    def add_file(self, path):
        """Read a whole audit CSV file."""
        _raw.bill_verify_add_file(self._h, os.fspath(path))

    def add_row(self, serial, account, address, reading, read_on):
        """One audit row: serial, found account and/or address, reading (Decimal), date."""
        _raw.bill_verify_add_row(self._h, serial, account or "", address or "",
                                 decimal.Decimal(reading), read_on)

    def run(self):
        """Classify every row and every account in scope. Returns self."""
        _raw.bill_verify_run(self._h)
        return self

    @property
    def rows(self) -> List[VerifyRow]:
        if self._rows is None:
            h = self._h
            out = []
            for i in range(_raw.bill_verify_row_count(h)):
                cls = _raw.bill_verify_class_name(_raw.bill_verify_row_class(h, i))

                def text(name, i=i):
                    return _raw.bill_verify_row_text(h, i, name)
                reading = text("reading")
                read_on = text("read_on")
                out.append(VerifyRow(
                    line=_raw.bill_verify_row_line(h, i), cls=cls,
                    evidence=_raw.bill_verify_row_evidence(h, i),
                    meter_serial=text("meter_serial"), found_account=text("found_account"),
                    found_address=text("found_address"),
                    reading=decimal.Decimal(reading) if reading else None,
                    read_on=datetime.date.fromisoformat(read_on) if read_on else None,
                    registered_account=text("registered_account"), partner=text("partner")))
            self._rows = out
        return list(self._rows)

    @property
    def accounts(self) -> List[VerifyAccount]:
        if self._accounts is None:
            h = self._h
            self._accounts = [
                VerifyAccount(_raw.bill_verify_account_reference(h, i),
                              _raw.bill_verify_class_name(_raw.bill_verify_account_class(h, i)),
                              _raw.bill_verify_account_evidence(h, i))
                for i in range(_raw.bill_verify_account_count(h))]
        return list(self._accounts)

    def to_csv(self):
        """The rows, an empty line, then the accounts, as CSV text."""
        return _raw.billb_verify_report(self._h, 0)

    def to_json(self):
        """{"rows": [...], "accounts": [...]} as JSON text (byte-identical for the same input)."""
        return _raw.billb_verify_report(self._h, 1)


def verify(store, audit, **options):
    """Run a :class:`Verification` over ``audit``: a path (str or os.PathLike) of an audit
    CSV file, or an iterable of rows ``(serial, account, address, reading, read_on)``."""
    v = Verification(store, **options)
    try:
        if isinstance(audit, (str, bytes, os.PathLike)):
            v.add_file(audit)
        else:
            for row in audit:
                v.add_row(*row)
        v.run()
        v.rows, v.accounts  # read everything while the handle is open
    except BaseException:
        v.close()
        raise
    return v


@dataclasses.dataclass(frozen=True)
class Anomaly:
    """An anomaly of the history: kind "zero_usage", "high_usage", "low_usage" or
    "reading_decrease", over [start, end)."""
    kind: str
    account: str
    meter_serial: str
    start: datetime.date
    end: datetime.date
    usage: Optional[decimal.Decimal]
    evidence: str


class AnomalyReport(list):
    """The anomalies (a list of :class:`Anomaly`) with their CSV and JSON reports."""
    csv: str = ""
    json: str = ""


def find_anomalies(store, *, zero_periods=3, factor=decimal.Decimal(3), history=6,
                   min_history=3, window=None) -> AnomalyReport:
    """Scan ``store``'s reading history; ``window`` = (start, end) keeps periods ending in it."""
    start, end = window if window is not None else (_EPOCH, _EPOCH)
    h = _raw.billb_anomalies_find(store._h, zero_periods, factor, history, min_history, start, end)
    try:
        report = AnomalyReport()
        for i in range(_raw.bill_anomalies_count(h)):
            def text(name, i=i):
                return _raw.bill_anomalies_text(h, i, name)
            usage = text("usage")
            report.append(Anomaly(
                kind=_raw.bill_anomaly_kind_name(_raw.bill_anomalies_kind(h, i)),
                account=text("account"), meter_serial=text("meter_serial"),
                start=datetime.date.fromisoformat(text("from")),
                end=datetime.date.fromisoformat(text("to")),
                usage=decimal.Decimal(usage) if usage else None, evidence=text("evidence")))
        report.csv = _raw.billb_anomalies_report(h, 0)
        report.json = _raw.billb_anomalies_report(h, 1)
        return report
    finally:
        _raw.bill_anomalies_free(h)
