"""Exact decimal amounts: every function here is one call into libbill.

Amounts go in as :class:`decimal.Decimal`, ``str`` or ``int`` (a ``float``
raises :class:`TypeError`) and come out as :class:`decimal.Decimal` with the
exact value *and scale* the C library computed (``Decimal("1.50")`` stays
``1.50``). Python's own ``decimal`` context plays no part: nothing is rounded
to 28 digits behind your back.

Rounding modes are Java's (``UP``, ``DOWN``, ``CEILING``, ``FLOOR``,
``HALF_UP``, ``HALF_DOWN``, ``HALF_EVEN``, ``UNNECESSARY``), given as a
:class:`Rounding` member or its name (case-insensitive, ``-`` or ``_``; the
``decimal`` module's constants such as ``decimal.ROUND_HALF_EVEN`` work too).
Remainder rules of an allocation are :class:`Remainder` members or names.
"""

import enum
import functools

from . import bill as _raw
from .errors import _argument_error

__all__ = [
    "Rounding", "Remainder",
    "parse", "to_plain_string", "to_sci_string", "to_units",
    "add", "subtract", "multiply", "negate", "absolute", "compare",
    "divide", "divide_to_precision", "rescale", "round_to_precision", "trim",
    "allocate",
]


def _enum_from_raw(name, prefix):
    members = sorted(((k[len(prefix):], getattr(_raw, k)) for k in dir(_raw) if k.startswith(prefix)),
                     key=lambda kv: kv[1])
    return enum.IntEnum(name, members, module=__name__)


#: Rounding modes (the C enum bill_rounding).
Rounding = _enum_from_raw("Rounding", "BILL_ROUND_")
#: Where the indivisible remainder of an allocation goes (the C enum bill_remainder_rule).
Remainder = _enum_from_raw("Remainder", "BILL_REMAINDER_")


@functools.lru_cache(maxsize=64)
def _rounding_by_name(name):
    if name[:6].upper() == "ROUND_":   # decimal.ROUND_HALF_UP and friends
        name = name[6:]
    return _raw.bill_rounding_parse(name)


def _rounding(mode):
    if isinstance(mode, Rounding):
        return int(mode)
    if isinstance(mode, str):
        return _rounding_by_name(mode)
    raise TypeError(f"rounding must be a bill.Rounding or its name, not {type(mode).__name__}")


def _remainder(rule):
    if isinstance(rule, Remainder):
        return int(rule)
    if isinstance(rule, str):
        # The C library has no name parser for remainder rules: look the name up in the enum.
        key = rule.strip().upper().replace("-", "_")
        if key in Remainder.__members__:
            return int(Remainder[key])
        raise _argument_error(
            f"allocate: unknown remainder rule {rule!r} (one of {', '.join(Remainder.__members__)})")
    raise TypeError(f"rule must be a bill.Remainder or its name, not {type(rule).__name__}")


# ---- text ----------------------------------------------------------------------------------

def parse(text):
    """The Decimal for ``text``, checked by the C parser (strict: no blanks, NaN, ...)."""
    return _raw.bill_dec_parse(text)


def to_plain_string(x):
    """Plain text without exponent, keeping the scale: ``"1500"``, ``"0.0500"``."""
    return _raw.bill_dec_to_str(x)


def to_sci_string(x):
    """Scientific text as ``str(Decimal)`` gives it: ``"1.5E+3"``, ``"0.0500"``, ``"1E-7"``."""
    return _raw.bill_dec_to_sci_str(x)


def to_units(x, scale):
    """``x`` in units of 10**-scale as an int, exactly (EROUNDING if it has more digits)."""
    return _raw.bill_dec_to_units(x, scale)


# ---- exact arithmetic ------------------------------------------------------------------------

def add(a, b):
    """a + b exactly (scale = the larger scale)."""
    return _raw.bill_dec_add(a, b)


def subtract(a, b):
    """a - b exactly (scale = the larger scale)."""
    return _raw.bill_dec_sub(a, b)


def multiply(a, b):
    """a * b exactly (scale = sum of the scales)."""
    return _raw.bill_dec_mul(a, b)


def negate(x):
    """-x."""
    return _raw.bill_dec_neg(x)


def absolute(x):
    """|x|."""
    return _raw.bill_dec_abs(x)


def compare(a, b):
    """-1, 0 or 1 comparing the values (1.5 equals 1.50)."""
    return _raw.bill_dec_cmp(a, b)


# ---- rounding ------------------------------------------------------------------------------------

def divide(a, b, scale, rounding="HALF_UP"):
    """a / b rounded to ``scale`` digits after the point (Java ``a.divide(b, scale, mode)``)."""
    return _raw.bill_dec_div(a, b, scale, _rounding(rounding))


def divide_to_precision(a, b, precision, rounding):
    """a / b rounded to ``precision`` significant digits (Java ``divide(b, MathContext)``)."""
    return _raw.bill_dec_div_prec(a, b, precision, _rounding(rounding))


def rescale(x, scale, rounding="HALF_UP"):
    """x with exactly ``scale`` digits after the point (Java ``setScale``, Python ``quantize``)."""
    return _raw.bill_dec_rescale(x, scale, _rounding(rounding))


def round_to_precision(x, precision, rounding):
    """x rounded to ``precision`` significant digits (0: unchanged)."""
    return _raw.bill_dec_round_prec(x, precision, _rounding(rounding))


def trim(x, min_scale=0):
    """x without trailing fraction zeros, keeping at least ``min_scale`` digits after the point."""
    return _raw.bill_dec_trim(x, min_scale)


# ---- allocation ----------------------------------------------------------------------------------

def allocate(total, n=None, *, ratios=None, scale=2, rule="SPREAD_FIRST"):
    """Split ``total`` into parts with ``scale`` digits that add up exactly to it.

    Equal parts (``n``) or parts proportional to ``ratios`` (then ``n``, if
    given, must be ``len(ratios)``). Each part first gets its share rounded
    toward zero; the remaining units of 10**-scale go by ``rule``
    (:class:`Remainder`). Returns a list of Decimals.
    """
    if ratios is not None:
        ratios = list(ratios)
        if n is None:
            n = len(ratios)
    elif n is None:
        raise TypeError("allocate() needs the number of parts or ratios=")
    return _raw.bill_dec_allocate(n, total, ratios, scale, _remainder(rule))
