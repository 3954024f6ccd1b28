"""Register arithmetic of meters: advance, rollover versus decrease, multiplier, demand.

A register shows ``digits`` integer digits and ``decimals`` decimals, so it
wraps from 99999 to 00000 (5 digits). :func:`register_advance` tells a
rollover (the register wrapped; the advance is ``10**digits - previous +
current``) from a decrease, which a register cannot do: a decrease raises
:class:`~bill.InputError` (``ERULE``) naming both readings. A rollover is
believed only when its advance is at most ``max_rollover`` (by default one
tenth of the register's range). The energy is ``advance × multiplier``
(CT ratio × PT ratio), exactly.

    >>> import bill
    >>> bill.register_advance("99990", "5", digits=5, multiplier=40)
    Advance(kind='rollover', advance=Decimal('15'), energy=Decimal('600'))
    >>> bill.interval_demand_kw("12.345", 15)
    Decimal('49.380')
"""

from typing import NamedTuple
from decimal import Decimal

from . import bill as _raw

__all__ = ["Advance", "register_advance", "check_reading", "interval_demand_kw"]


class Advance(NamedTuple):
    """What happened between two readings of a register."""

    #: ``"normal"`` (current >= previous) or ``"rollover"`` (the register wrapped).
    kind: str
    #: The raw register advance (a Decimal, >= 0).
    advance: Decimal
    #: ``advance × multiplier``, exactly.
    energy: Decimal


def register_advance(previous, current, digits, decimals=0, multiplier=1, max_rollover=None):
    """The :class:`Advance` of a register read ``previous`` then ``current``.

    Readings, ``multiplier`` and ``max_rollover`` are Decimal, str or int (never
    float). Raises :class:`~bill.InputError` with ``ERULE`` for a decrease,
    ``ERANGE`` for a reading that does not fit the register (negative, at least
    ``10**digits``, or with more decimals than the register shows), and
    :class:`~bill.ArgumentError` (``EINVAL``) for a bad shape, a multiplier that
    is not positive or a negative ``max_rollover``.
    """
    adv, energy, kind = _raw.bill_register_advance(
        previous, current, digits, decimals, multiplier,
        0 if max_rollover is None else max_rollover)
    return Advance("rollover" if kind == _raw.BILL_ADVANCE_ROLLOVER else "normal", adv, energy)


def check_reading(value, digits, decimals=0):
    """Raise :class:`~bill.InputError` (``ERANGE``) unless the register can show ``value``."""
    _raw.bill_register_check(value, digits, decimals)


def interval_demand_kw(kwh, minutes):
    """Average demand in kW of ``kwh`` over ``minutes`` (a divisor of 60): ``kwh × 60 / minutes``."""
    return _raw.bill_interval_demand_kw(kwh, minutes)
