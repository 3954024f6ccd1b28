"""Power factor and the power-factor adjustment (功率因数调整电费).

:func:`power_factor` gives the monthly power factor
``kWh / sqrt(kWh² + kvarh²)`` rounded half-up to two decimals, computed
exactly by the C library (squares of integers: no square root, no floating
point). A :class:`PowerFactorTable` maps a rounded PF (0.00 .. 1.00) to the
adjustment in percent of the base charge: positive for a surcharge, negative
for a rebate.

    >>> import bill
    >>> bill.power_factor(3, 4)
    Decimal('0.60')
    >>> with bill.PowerFactorTable.from_standard("0.90") as table:
    ...     table.standard, table.percent("0.60")
    (Decimal('0.90'), Decimal('25.00'))
"""

import decimal

from . import bill as _raw
from ._handle import _Handle

__all__ = ["power_factor", "PowerFactorTable"]


def power_factor(kwh, kvarh):
    """The power factor of ``kwh`` active and ``kvarh`` reactive energy (a Decimal, scale 2).

    ``kwh`` must not be negative; the sign of ``kvarh`` is ignored (leading or
    lagging reactive energy counts the same). With ``kvarh == 0`` the PF is
    ``1.00``. With both zero there is no power factor: :class:`~bill.InputError`
    (``ERANGE``), after which a caller applies no adjustment.
    """
    return _raw.bill_pf_compute(kwh, kvarh)


def _standard_text(standard):
    """The standard as the decimal text the C library parses (it checks the value)."""
    if isinstance(standard, str):
        return standard
    if isinstance(standard, float):
        raise TypeError("libbill: float amounts are not accepted (binary floating point is "
                        "inexact); pass a decimal.Decimal, str or int")
    if isinstance(standard, bool):
        raise TypeError("libbill: bool is not a power factor")
    if isinstance(standard, (decimal.Decimal, int)):
        return str(standard)
    raise TypeError(f"libbill: a power-factor standard must be a decimal.Decimal or str, "
                    f"not {type(standard).__name__}")


class PowerFactorTable(_Handle):
    """A power-factor adjustment table: the percent for each PF from 0.00 to 1.00.

    Built with :meth:`from_standard` (the 1983 rules for the standards 0.90, 0.85 and
    0.80) or :meth:`load` (a utility's own table). Owns a C ``bill_pf_table``
    handle: use it as a context manager or call :meth:`close`; closing twice is
    harmless, and any use after closing raises :class:`~bill.StateError`
    (``ESTATE``). A table that is never closed is freed when it is
    garbage-collected.
    """

    __slots__ = ()
    _free = staticmethod(_raw.bill_pf_table_free)

    def __init__(self, *args, **kwargs):
        raise TypeError("use PowerFactorTable.from_standard(\"0.90\") or PowerFactorTable.load(standard, text)")

    @classmethod
    def _wrap(cls, handle):
        self = object.__new__(cls)
        self._h = handle
        self._closed = False
        return self

    # ---- construction ----

    @classmethod
    def from_standard(cls, standard):
        """The built-in 1983 table for ``standard`` 0.90, 0.85 or 0.80 (Decimal or str).

        Another standard raises :class:`~bill.InputError` (``ERANGE``).
        """
        return cls._wrap(_raw.bill_pf_table_create_standard(_standard_text(standard)))

    @property
    def standard(self):
        """The table's standard (the PF with a 0 % adjustment) as a Decimal, scale 2."""
        return _raw.bill_pf_table_standard(self._h)


    @classmethod
    def load(cls, standard, text):
        """A table from text, one rule a line: ``"PF PERCENT"`` or ``"FROM-TO PERCENT"``.

        E.g. ``"0.95-1.00 -0.75"``; ``#`` starts a comment. Every PF from 0.00
        to 1.00 must be covered exactly once and ``standard`` must have 0 %;
        otherwise :class:`~bill.InputError` (``ESYNTAX`` or ``ERULE``) whose
        message names the line or the missing PF.
        """
        return cls._wrap(_raw.bill_pf_table_load(_standard_text(standard), text))

    # ---- queries ----

    def percent(self, pf):
        """The adjustment in percent for ``pf`` (rounded half-up to two decimals first).

        ``pf`` outside 0.00 .. 1.00 raises :class:`~bill.InputError` (``ERANGE``).
        """
        return _raw.bill_pf_table_percent(self._h, pf)

    __getitem__ = percent

    # ---- life cycle ----


    def __repr__(self):
        if self._closed:
            return "<bill.PowerFactorTable (closed)>"
        return f"<bill.PowerFactorTable standard={self.standard}>"
