"""Money (an exact amount in a currency) and the ISO 4217 table of libbill.

:class:`Money` is an immutable value. Its arithmetic, comparisons, rounding
and allocation are done by the C library (``bill_money_*``), which refuses
to mix currencies (:class:`~bill.ArithError`, ``ECURRENCY``).
"""

import dataclasses

from . import bill as _raw
from .amounts import _remainder, _rounding, to_plain_string

__all__ = ["Currency", "currency", "currencies", "Money"]


@dataclasses.dataclass(frozen=True)
class Currency:
    """An entry of the ISO 4217 table: code ("CNY"), numeric (156), minor units (2), name."""

    code: str
    numeric: int
    minor_units: int
    name: str

    @classmethod
    def _of(cls, raw):
        return cls(raw.code, raw.numeric, raw.minor_units, raw.name)

    def __str__(self):
        return self.code


def currency(code):
    """The currency with this alphabetic code (case-insensitive); ArithError ECURRENCY if unknown."""
    return Currency._of(_raw.bill_currency_find(code))


def currencies():
    """Every currency of the table, sorted by code."""
    return [Currency._of(_raw.bill_currency_at(i)) for i in range(_raw.bill_currency_count())]


class Money:
    """An amount of money: ``Money("123.45", "CNY")``.

    ``amount`` is a Decimal (exactly as given: the scale is kept), ``currency``
    the upper-case ISO code. Supports ``+``, ``-`` (with the same currency),
    unary ``-``, ``*`` by a number (Decimal, int or str), comparisons (which
    raise ArithError across currencies; ``==`` is simply False), hashing,
    :meth:`round` and :meth:`allocate`.
    """

    __slots__ = ("_amount", "_currency")

    def __init__(self, amount, currency):
        a, c = _raw.bill_money_set(amount, currency)
        object.__setattr__(self, "_amount", a)
        object.__setattr__(self, "_currency", c)

    @classmethod
    def _of(cls, pair):
        m = object.__new__(cls)
        object.__setattr__(m, "_amount", pair[0])
        object.__setattr__(m, "_currency", pair[1])
        return m

    def __setattr__(self, name, value):
        raise AttributeError("Money is immutable")

    def __delattr__(self, name):
        raise AttributeError("Money is immutable")

    @property
    def amount(self):
        return self._amount

    @property
    def currency(self):
        return self._currency

    @property
    def currency_info(self):
        """The :class:`Currency` of this amount."""
        return currency(self._currency)

    def _pair(self):
        return (self._amount, self._currency)

    # ---- arithmetic ----

    def __add__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return Money._of(_raw.bill_money_add(self._pair(), other._pair()))

    def __sub__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return Money._of(_raw.bill_money_sub(self._pair(), other._pair()))

    def __neg__(self):
        return Money._of(_raw.bill_money_neg(self._pair()))

    def __pos__(self):
        return self

    def __mul__(self, factor):
        if isinstance(factor, Money):
            return NotImplemented
        return Money._of(_raw.bill_money_mul(self._pair(), factor))

    __rmul__ = __mul__

    # ---- comparison ----

    def _cmp(self, other):
        return _raw.bill_money_cmp(self._pair(), other._pair())

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        if self._currency != other._currency:
            return False
        return self._cmp(other) == 0

    def __lt__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self._cmp(other) < 0

    def __le__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self._cmp(other) <= 0

    def __gt__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self._cmp(other) > 0

    def __ge__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self._cmp(other) >= 0

    def __hash__(self):
        # Decimal hashes by value (hash(Decimal("1.5")) == hash(Decimal("1.50"))), like ==.
        return hash((self._currency, self._amount))

    # ---- rounding and allocation ----

    def round(self, rounding):
        """The amount rounded to the currency's minor units (fen, yen, fils) with ``rounding``."""
        return Money._of(_raw.bill_money_round(self._pair(), _rounding(rounding)))

    def allocate(self, n=None, *, ratios=None, rule="SPREAD_FIRST"):
        """Split into parts in minor units that add up exactly to this amount.

        Equal parts (``n``) or proportional to ``ratios``; the amount must
        already be in minor units (round it first), else ArithError EROUNDING.
        """
        if ratios is not None:
            ratios = list(ratios)
            if n is None:
                n = len(ratios)
        elif n is None:
            raise TypeError("allocate() needs the number of parts or ratios=")
        return [Money._of(p) for p in _raw.bill_money_allocate(n, self._pair(), ratios, _remainder(rule))]

    # ---- text ----

    def __str__(self):
        return _raw.bill_money_to_str(self._pair())

    def __repr__(self):
        return f"Money({to_plain_string(self._amount)!r}, {self._currency!r})"

    def __reduce__(self):
        return (Money, (self._amount, self._currency))
