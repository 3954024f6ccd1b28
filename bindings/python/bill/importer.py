"""Importing register readings and interval data into a :class:`~bill.Store`.

:class:`Importer` streams one CSV file (docs/readings-csv.md) into the store:
feed it ``bytes`` or ``str`` chunks, then :meth:`Importer.finish`, and read
the :class:`ImportReport`. Every row ends up accepted, duplicate (the same
reading already stored, harmless) or rejected (kept in the store's
exceptions table with its line, column, code and message): nothing is
dropped silently, and importing the same bytes again changes nothing.

The store gains (defined here, see the bottom of this file):

- ``Store.import_readings(source, *, kind="readings", now=None, batch_rows=None, name=None)``
  with ``source`` a path, a binary or text file object, ``bytes`` or ``str``;
- ``Store.add_reading(serial, register, at, value, *, estimated=False, source=None)`` and
  ``Store.add_interval(serial, start, minutes, kwh, *, estimated=False)``: ``True`` when
  stored, ``False`` for a duplicate; :class:`~bill.InputError` when rejected;
- ``Store.import_exceptions(uuid)``: the rejected rows of an import;
- ``Store.count_readings(kind="readings")``.

    >>> import bill, datetime
    >>> with bill.Store(":memory:") as store:
    ...     _ = store.add_meter(bill.Meter("M-1", installed=datetime.date(2024, 1, 1)))
    ...     report = store.import_readings(
    ...         b"meter_serial,register,read_at,value,kind\\n"
    ...         b"M-1,total,2024-02-01,120.5,actual\\nM-9,total,2024-02-01,1,actual\\n",
    ...         now=datetime.datetime(2024, 6, 1))
    ...     (report.accepted, report.duplicate, report.rejected)
    (1, 0, 1)
"""

import dataclasses
import datetime
import decimal
import os
from typing import List, Optional

from . import bill as _raw
from ._handle import _Handle
from .store import Store

__all__ = ["Importer", "ImportReport", "ImportException"]

_KINDS = {"readings": _raw.BILL_IMPORT_READINGS, "intervals": _raw.BILL_IMPORT_INTERVALS}


@dataclasses.dataclass(frozen=True)
class ImportReport:
    """What an import did: accepted + duplicate + rejected == total."""
    uuid: str
    total: int
    accepted: int
    duplicate: int
    rejected: int
    already_imported: bool
    digest: str


@dataclasses.dataclass(frozen=True)
class ImportException:
    """One rejected row: its line, the column at fault, the status name and the message."""
    line: int
    field: str
    code: str
    message: str


def _kind(kind):
    try:
        return _KINDS[kind]
    except KeyError:
        raise ValueError("kind must be 'readings' or 'intervals', not %r" % (kind,)) from None


class Importer(_Handle):
    """An import in progress into ``store`` (see the module's documentation)."""

    __slots__ = ("_store",)
    _free = staticmethod(_raw.bill_importer_free)

    def __init__(self, store, source_name, *, kind="readings", now=None, batch_rows=None):
        self._h = _raw.bill_importer_create(store._h, _kind(kind), source_name)
        self._closed = False
        self._store = store
        if now is not None:
            _raw.bill_importer_set_now(self._h, now)
        if batch_rows is not None:
            _raw.bill_importer_set_batch_rows(self._h, batch_rows)

    def feed(self, chunk):
        """The next chunk of the file (``bytes`` or ``str``)."""
        _raw.bill_importer_feed(self._h, chunk)

    def finish(self):
        """End of the file; returns the :class:`ImportReport`."""
        _raw.bill_importer_finish(self._h)
        return self.report()

    def read_file(self, path):
        """Import the whole file at ``path`` (streamed by the C library) and finish."""
        _raw.bill_importer_read_file(self._h, os.fspath(path))
        return self.report()

    def report(self):
        h = self._h
        return ImportReport(uuid=_raw.bill_importer_uuid(h), total=_raw.bill_importer_total(h),
                            accepted=_raw.bill_importer_accepted(h),
                            duplicate=_raw.bill_importer_duplicate(h),
                            rejected=_raw.bill_importer_rejected(h),
                            already_imported=bool(_raw.bill_importer_already_imported(h)),
                            digest=_raw.bill_importer_digest(h))


def _import_readings(self, source, *, kind="readings", now=None, batch_rows=None, name=None):
    """Import a CSV file of register readings (or ``kind="intervals"``) into the store.

    ``source`` is a path (``str`` naming an existing file, or ``os.PathLike``), a file
    object (read in blocks) or the content as ``bytes``; ``name`` is kept as the import's
    source (default: the path, or ``"<stream>"``). ``now`` (a naive ``datetime``) is the
    time after which rows are future-dated (default: the current local time).
    Returns an :class:`ImportReport`; a bad header raises :class:`~bill.InputError`.
    """
    if isinstance(source, os.PathLike) or (isinstance(source, str) and os.path.isfile(source)):
        path = os.fspath(source)
        with Importer(self, name or path, kind=kind, now=now, batch_rows=batch_rows) as imp:
            return imp.read_file(path)
    with Importer(self, name or "<stream>", kind=kind, now=now, batch_rows=batch_rows) as imp:
        if isinstance(source, (bytes, bytearray, str)):
            imp.feed(bytes(source) if isinstance(source, bytearray) else source)
        else:
            while True:
                chunk = source.read(1 << 16)
                if not chunk:
                    break
                imp.feed(chunk)
        return imp.finish()


def _add_reading(self, serial, register, at, value, *, estimated=False, source=None):
    """Store one reading (as read, before the multiplier) with the import's checks.

    ``at`` is a naive ``datetime`` (or a ``date``: its 00:00). True when stored, False
    when the same reading was already there.
    """
    if isinstance(at, datetime.date) and not isinstance(at, datetime.datetime):
        at = datetime.datetime(at.year, at.month, at.day)
    return _raw.bill_store_add_reading(self._h, serial, register, at, decimal.Decimal(value),
                                       1 if estimated else 0, source) == 0


def _add_interval(self, serial, start, minutes, kwh, *, estimated=False):
    """Store one interval of 15, 30 or 60 minutes; True when stored, False for a duplicate."""
    return _raw.bill_store_add_interval(self._h, serial, start, minutes, decimal.Decimal(kwh),
                                        1 if estimated else 0) == 0


def _import_exceptions(self, uuid) -> List[ImportException]:
    """The rejected rows of import ``uuid``, in line order."""
    text = _raw.bill_store_import_exceptions(self._h, uuid)
    out = []
    for row in text.splitlines():
        line, field, code, message = row.split("\t", 3)
        out.append(ImportException(int(line), field, code, message))
    return out


def _count_readings(self, kind="readings"):
    """Number of stored register readings (or ``kind="intervals"``)."""
    return _raw.bill_store_count_readings(self._h, _kind(kind))


# The Store's import methods live here, next to the importer they use.
Store.import_readings = _import_readings
Store.add_reading = _add_reading
Store.add_interval = _add_interval
Store.import_exceptions = _import_exceptions
Store.count_readings = _count_readings
