"""libbill for Python: exact electricity billing.

Amounts are :class:`decimal.Decimal` in and out (``str`` and ``int`` are
accepted as input; ``float`` raises :class:`TypeError`), dates are
:class:`datetime.date`, errors are :class:`BillError` subclasses by family.
Every computation is done by the C library; this package only converts
values. The raw SWIG module is ``bill.bill`` (C names, no conveniences).

    >>> import bill
    >>> bill.rescale("1648.56015", 2)
    Decimal('1648.56')
    >>> bill.Money("1648.56", "CNY") + bill.Money("12.00", "CNY")
    Money('1660.56', 'CNY')
    >>> bill.power_factor(3, 4)
    Decimal('0.60')
"""

from . import bill as _raw
from .errors import (ArgumentError, ArithError, BillError, BillSystemError, InputError,
                     StateError, Status, StorageError)
from .amounts import (Remainder, Rounding, absolute, add, allocate, compare, divide,
                      divide_to_precision, multiply, negate, parse, rescale, round_to_precision,
                      subtract, to_plain_string, to_sci_string, to_units, trim)
from .money import Currency, Money, currencies, currency
from .dates import (MonthEnd, Period, Weekday, add_days, add_minutes, add_months, day_of_year,
                    days_between, days_in_month, is_leap_year, parse_date, parse_datetime,
                    parse_period, period, period_days, weekday)
from .calendars import Calendar
from .powerfactor import PowerFactorTable, power_factor
from .tariffs import Bill, BillLine, LineKind, Tariff, Usage
from .whatif import BestDeclared, WhatIf, WhatIfResult, rank
from .batch import Batch
from .store import (Account, Link, Meter, MeterStatus, Protection, Register, RegisterKind,
                    Store)
from .meters import Advance, check_reading, interval_demand_kw, register_advance
from .metercsv import MeterCsvReader, MeterCsvRow, read_meter_csv
from .billing import BillingReport, Determinants, Interrupted, Quantity, Skipped
from .importer import ImportException, Importer, ImportReport
from .verify import (Anomaly, AnomalyReport, Verification, VerifyAccount, VerifyRow,
                     find_anomalies)

#: The version of the linked C library ("0.1.0").
__version__ = _raw.bill_version()

__all__ = [
    "__version__",
    # errors
    "BillError", "ArgumentError", "InputError", "ArithError", "StateError", "StorageError",
    "BillSystemError", "Status",
    # decimals
    "Rounding", "Remainder", "parse", "to_plain_string", "to_sci_string", "to_units",
    "add", "subtract", "multiply", "negate", "absolute", "compare",
    "divide", "divide_to_precision", "rescale", "round_to_precision", "trim", "allocate",
    # money
    "Currency", "currency", "currencies", "Money",
    # dates
    "Weekday", "MonthEnd", "Period", "is_leap_year", "days_in_month", "parse_date",
    "parse_datetime", "parse_period", "period", "add_days", "add_months", "days_between",
    "period_days", "weekday", "day_of_year", "add_minutes",
    # calendars
    "Calendar",
    # power factor
    "power_factor", "PowerFactorTable",
    # tariffs
    "Tariff", "Usage", "Bill", "BillLine", "LineKind",
    # what-if
    "WhatIf", "WhatIfResult", "BestDeclared", "rank",
    # batch billing
    "Batch",
    # store and registry
    "Store", "Account", "Meter", "Register", "RegisterKind", "MeterStatus", "Protection", "Link",
    # meters
    "Advance", "register_advance", "check_reading", "interval_demand_kw",
    # meter-data CSV
    "MeterCsvReader", "MeterCsvRow", "read_meter_csv",
    # determinants and the billing run
    "Determinants", "Quantity", "BillingReport", "Skipped", "Interrupted",
    # importing readings into the store
    "Importer", "ImportReport", "ImportException",
    # verification
    "Verification", "VerifyRow", "VerifyAccount", "Anomaly", "AnomalyReport", "find_anomalies",
]
