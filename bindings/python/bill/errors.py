"""libbill errors as Python exceptions.

Every negative ``bill_status`` from the C library is raised as an instance of
:class:`BillError`, through one typemap (``billpy_raise`` in
``bindings/python/bill_python.i``), which calls :func:`_from_status`. The class
is chosen by the code's family; the code → class table is built from the C
library's own list (``bill_status_count``/``bill_status_at``/
``bill_status_family_of``), so it follows ``BILL_STATUS_MAP``.
"""

import enum

from . import bill as _raw

__all__ = [
    "BillError", "ArgumentError", "InputError", "ArithError", "StateError",
    "StorageError", "BillSystemError", "Status",
]


class BillError(Exception):
    """An error reported by libbill.

    Attributes: ``code`` (the negative ``bill_status``), ``name`` (its name
    without prefix, e.g. ``"EDIVZERO"``), ``family`` (``"ARITH"`` ...) and
    ``message`` (the detailed message, naming the bad value, field or line).
    ``str(error)`` is the message.
    """

    def __init__(self, code, name, family, message):
        super().__init__(message)
        self.code = code
        self.name = name
        self.family = family
        self.message = message

    @property
    def status(self):
        """The code as a :class:`Status` member."""
        return Status(self.code)

    def __reduce__(self):
        return (type(self), (self.code, self.name, self.family, self.message))

    def __repr__(self):
        return f"{type(self).__name__}({self.name}: {self.message!r})"


class ArgumentError(BillError, ValueError):
    """The caller misused the API (bad option, bad argument)."""


class InputError(BillError, ValueError):
    """The data given is malformed or breaks a rule (parse errors, bad dates, ranges)."""


class ArithError(BillError, ArithmeticError):
    """An arithmetic rule was broken (division by zero, forbidden rounding, mixed currencies)."""


class StateError(BillError):
    """The operation does not fit the object's state (e.g. a closed calendar)."""


class StorageError(BillError):
    """A storage or I/O problem."""


class BillSystemError(BillError):
    """Out of memory or an internal error."""


_FAMILY_CLASS = {
    "ARGUMENT": ArgumentError,
    "INPUT": InputError,
    "ARITH": ArithError,
    "STATE": StateError,
    "STORAGE": StorageError,
    "SYSTEM": BillSystemError,
}


def _status_list():
    return [_raw.bill_status_at(i) for i in range(_raw.bill_status_count())]


#: Every status code of the C library, by name (``Status.EDIVZERO == -5``).
Status = enum.IntEnum(
    "Status", [(_raw.bill_status_name(code), code) for code in _status_list()], module=__name__)

#: code -> exception class, from the C library's list of codes and families.
_CLASS_BY_CODE = {
    code: _FAMILY_CLASS.get(_raw.bill_family_name(_raw.bill_status_family_of(code)), BillError)
    for code in _status_list() if code < 0
}


def _from_status(code, name, family, message):
    """The exception for a status (called from the C typemap)."""
    return _CLASS_BY_CODE.get(code, BillError)(code, name, family, message)


def _argument_error(message):
    """An ArgumentError (EINVAL) for a bad argument the binding itself detects."""
    code = int(Status.EINVAL)
    return _from_status(code, _raw.bill_status_name(code),
                        _raw.bill_family_name(_raw.bill_status_family_of(code)), message)
