"""Reading meter-data CSV files: register readings, interval data and field audits.

The formats are described in ``docs/readings-csv.md``. A :class:`MeterCsvReader`
is fed the file in chunks of any size and hands back, for each chunk, the rows
it completed: valid rows with typed fields (``Decimal`` values,
``datetime.datetime`` times) and rejected rows with the line, the column at
fault and the reason. A rejected row does not stop the file; a bad header
raises :class:`~bill.InputError` (``ESYNTAX``) naming the column.

    >>> import bill
    >>> text = "meter_serial,register,read_at,value,kind\\nM-1,total,2026-01-31,12345.6,actual\\nM-2,total,2026-01-31,-1,actual\\n"
    >>> rows = list(bill.read_meter_csv(text, "readings"))
    >>> rows[0].meter_serial, rows[0].value, rows[0].ok
    ('M-1', Decimal('12345.6'), True)
    >>> rows[1].line, rows[1].column, rows[1].reason
    (3, 'value', "line 3, column 'value': '-1' is negative")
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from . import bill as _raw
from ._handle import _Handle
from .errors import Status

__all__ = ["MeterCsvReader", "MeterCsvRow", "read_meter_csv"]

_FORMATS = {
    "readings": _raw.BILL_METER_CSV_READINGS,
    "intervals": _raw.BILL_METER_CSV_INTERVALS,
    "audit": _raw.BILL_METER_CSV_AUDIT,
}
_TEXTS = {
    "readings": ("meter_serial", "register", "source"),
    "intervals": ("meter_serial",),
    "audit": ("meter_serial", "found_account", "found_address"),
}


@dataclass(frozen=True)
class MeterCsvRow:
    """One data row of a meter-data CSV file, valid (``ok``) or rejected."""

    #: 1-based line where the record starts.
    line: int
    #: ``Status.OK`` or why the row is rejected (``ESYNTAX``, ``ERANGE``, ``EDATE``).
    status: Status
    #: ``""``, or the reason naming the line and the column.
    reason: str = ""
    #: The column at fault (``""`` for a valid row or a malformed record).
    column: str = ""
    meter_serial: str = ""
    #: Register readings: the register; audit: unused.
    register: str = ""
    #: Register readings: the optional source.
    source: str = ""
    #: Field audit: where the meter was found.
    found_account: str = ""
    found_address: str = ""
    #: The value (readings), kWh (intervals) or reading (audit); None for a rejected row.
    value: Optional[Decimal] = None
    #: read_at (readings), start (intervals) or read_on at 00:00 (audit).
    time: Optional[datetime.datetime] = None
    #: False when read_at was a date alone.
    has_time: bool = False
    #: "actual" or "estimated" ("actual" for audit rows).
    kind: str = "actual"
    #: 15, 30 or 60 for interval rows, else 0.
    minutes: int = 0

    @property
    def ok(self):
        """True for a valid row."""
        return self.status == Status.OK


class MeterCsvReader(_Handle):
    """A reader of one meter-data CSV file: ``"readings"``, ``"intervals"`` or ``"audit"``.

    :meth:`feed` takes the next chunk (``str`` or ``bytes``) and returns the
    rows it completed; :meth:`finish` ends the file and returns the last one.
    Owns a C handle: use it as a context manager or call :meth:`close`.
    """

    __slots__ = ("_format",)
    _free = staticmethod(_raw.bill_meter_csv_free)

    def __init__(self, format):
        if format not in _FORMATS:
            raise ValueError(f"libbill: unknown meter CSV format {format!r} "
                             f"(readings, intervals or audit)")
        self._h = _raw.bill_meter_csv_create(_FORMATS[format])
        self._closed = False
        self._format = format

    def _drain(self):
        rows = []
        h = self._h
        while _raw.bill_meter_csv_next(h):
            status = Status(_raw.bill_meter_csv_status(h))
            line = _raw.bill_meter_csv_line(h)
            if status != Status.OK:
                rows.append(MeterCsvRow(line, status, _raw.bill_meter_csv_reason(h),
                                        _raw.bill_meter_csv_column(h)))
                continue
            texts = {name: _raw.bill_meter_csv_text(h, name) for name in _TEXTS[self._format]}
            rows.append(MeterCsvRow(
                line, status, value=_raw.bill_meter_csv_value(h), time=_raw.bill_meter_csv_time(h),
                has_time=bool(_raw.bill_meter_csv_has_time(h)),
                kind="estimated" if _raw.bill_meter_csv_kind(h) == _raw.BILL_READING_ESTIMATED
                else "actual",
                minutes=_raw.bill_meter_csv_minutes(h), **texts))
        return rows

    def feed(self, chunk):
        """Read the next chunk of the file; the list of rows it completed."""
        _raw.bill_meter_csv_feed(self._h, chunk)
        return self._drain()

    def finish(self):
        """End of the file; the list of the rows still pending (the last one)."""
        _raw.bill_meter_csv_finish(self._h)
        return self._drain()

    @property
    def rows(self):
        """Data rows read so far (valid and rejected)."""
        return _raw.bill_meter_csv_rows(self._h)

    @property
    def rejected(self):
        """Rejected rows read so far."""
        return _raw.bill_meter_csv_rejected(self._h)

    def __repr__(self):
        if self._closed:
            return "<bill.MeterCsvReader (closed)>"
        return f"<bill.MeterCsvReader {self._format} rows={self.rows} rejected={self.rejected}>"


def read_meter_csv(source, format, chunk_size=1 << 16):
    """Yield every :class:`MeterCsvRow` of ``source``: a ``str``/``bytes`` text or a file object.

    A file object is read in chunks of ``chunk_size`` (binary files stream in
    bounded memory; text files are re-encoded as UTF-8).
    """
    with MeterCsvReader(format) as reader:
        if isinstance(source, (str, bytes)):
            yield from reader.feed(source)
        else:
            while True:
                chunk = source.read(chunk_size)
                if not chunk:
                    break
                yield from reader.feed(chunk)
        yield from reader.finish()
