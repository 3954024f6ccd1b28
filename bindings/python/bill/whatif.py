"""What-if comparisons (``include/bill/whatif.h``): the "economical usage plan".

The same usages (e.g. the last 12 months of one account) are billed under
several candidates, each a tariff with option choices, and ranked cheapest
first with the saving against the first ("current") candidate. Totals are
exact ``Decimal`` sums of the bills; every bill is computed by the C library.

    >>> import bill, datetime
    >>> flat = bill.Tariff.load_file("examples/tariffs/cn-residential-annual.json")
    >>> tou = bill.Tariff.load_file("examples/tariffs/cn-residential-annual-tou.json")
    >>> u = bill.Usage(period=(datetime.date(2025, 6, 1), datetime.date(2025, 7, 1)),
    ...                tou_kwh={"peak": "300", "valley": "120"})
    >>> [(r.label, r.total, r.saving) for r in bill.rank([("flat", flat, {}), ("tou", tou, {})], [u])]
    [('tou', Decimal('210.49'), Decimal('11.40')), ('flat', Decimal('221.89'), Decimal('0.00'))]
"""

import decimal
from typing import NamedTuple, Optional, Tuple

from . import bill as _raw
from ._handle import _Handle
from .errors import BillError, StateError, Status, _from_status
from .tariffs import Tariff, Usage

__all__ = ["WhatIf", "WhatIfResult", "BestDeclared", "rank"]


class WhatIfResult(NamedTuple):
    """One ranked candidate. ``total``, ``saving`` and ``bills`` are ``None`` when it failed;
    ``error`` is then the C library's message and ``status`` the status name ("ERULE")."""
    rank: int
    candidate: int
    label: str
    total: Optional[decimal.Decimal]
    saving: Optional[decimal.Decimal]
    bills: Optional[Tuple[decimal.Decimal, ...]]
    status: str
    error: str

    @property
    def ok(self):
        return self.status == "OK"


class BestDeclared(NamedTuple):
    """The declared demand that minimises the sum of the bills, that sum, and the sum at the
    usages' own declared demand (``None`` when a usage states none)."""
    kw: decimal.Decimal
    total: decimal.Decimal
    current_total: Optional[decimal.Decimal]


def _usages(usages):
    us = list(usages)
    for u in us:
        if not isinstance(u, Usage):
            raise TypeError(f"libbill: usages must be bill.Usage, not {type(u).__name__}")
    return us


class WhatIf(_Handle):
    """A set of candidates (a C ``bill_whatif`` handle).

    ``WhatIf([(label, tariff, options), ...])`` or :meth:`add`; :meth:`run` ranks them over
    a list of :class:`~bill.Usage`; :meth:`best_declared_kw` searches the declared demand of
    one candidate. The tariffs must stay open while the comparison is used.
    """

    __slots__ = ("_tariffs",)
    _free = staticmethod(_raw.bill_whatif_free)

    def __init__(self, candidates=()):
        self._h = _raw.bill_whatif_create()
        self._closed = False
        self._tariffs = []
        try:
            for cand in candidates:
                label, tariff, *rest = cand
                self.add(label, tariff, rest[0] if rest else None)
        except BaseException:
            self.close()
            raise

    def add(self, label, tariff, options=None, declared_kw=None):
        """Add a candidate: ``options`` a dict {name: value} overriding the usages' choices,
        ``declared_kw`` a declared demand overriding theirs. Returns its index (0 = current)."""
        if not isinstance(tariff, Tariff):
            raise TypeError(f"libbill: a candidate needs a bill.Tariff, not {type(tariff).__name__}")
        options = dict(options or {})
        # checked first by the C setters of a scratch usage, so that a bad option or demand
        # raises before the candidate is added (nothing half-applied)
        with Usage(options=options, declared_kw=declared_kw):
            pass
        index = _raw.bill_whatif_add_candidate(self._h, label, tariff._h)
        self._tariffs.append(tariff)
        for name, value in options.items():
            _raw.bill_whatif_set_option(self._h, index, name, value)
        if declared_kw is not None:
            _raw.bill_whatif_set_declared_kw(self._h, index, declared_kw)
        return index

    def _check_tariffs(self):
        for t in self._tariffs:
            if t.closed:
                code = int(Status.ESTATE)
                raise _from_status(code, "ESTATE", "STATE",
                                   "whatif: the tariff of a candidate is closed")

    def run(self, usages):
        """Rank the candidates over ``usages``: a list of :class:`WhatIfResult`, cheapest
        first, equal totals in the order of adding, failed candidates last."""
        self._check_tariffs()
        _raw.bill_whatif_run(self._h, [u._h for u in _usages(usages)])
        results = []
        n = _raw.bill_whatif_usage_count(self._h)
        for r in range(_raw.bill_whatif_result_count(self._h)):
            status = _raw.bill_whatif_status(self._h, r)
            ok = status == _raw.BILL_OK
            results.append(WhatIfResult(
                rank=r,
                candidate=_raw.bill_whatif_candidate(self._h, r),
                label=_raw.bill_whatif_label(self._h, r),
                total=_raw.bill_whatif_total(self._h, r) if ok else None,
                saving=self._saving(r) if ok else None,
                bills=tuple(_raw.bill_whatif_bill_total(self._h, r, i) for i in range(n)) if ok else None,
                status=_raw.bill_status_name(status),
                error=_raw.bill_whatif_error(self._h, r)))
        return results

    def _saving(self, r):
        try:
            return _raw.bill_whatif_saving(self._h, r)
        except StateError:
            return None  # the current candidate failed

    def best_declared_kw(self, candidate, usages, step="1"):
        """The declared demand (a multiple of ``step`` kW) that minimises the sum of the bills
        of ``usages`` under candidate ``candidate`` (an index): a :class:`BestDeclared`."""
        self._check_tariffs()
        _raw.bill_whatif_best_declared_kw(self._h, candidate, [u._h for u in _usages(usages)], step)
        try:
            current = _raw.bill_whatif_current_total(self._h)
        except BillError as e:
            if e.name != "ENOTFOUND":
                raise
            current = None
        return BestDeclared(_raw.bill_whatif_best_kw(self._h), _raw.bill_whatif_best_total(self._h),
                            current)

    def __len__(self):
        return _raw.bill_whatif_candidate_count(self._h)

    def __repr__(self):
        return "<bill.WhatIf (closed)>" if self._closed else f"<bill.WhatIf {len(self)} candidates>"


def rank(candidates, usages):
    """Rank ``candidates`` — (label, tariff, options dict) tuples, the first the current one —
    over ``usages``: a list of :class:`WhatIfResult`, cheapest first."""
    with WhatIf(candidates) as w:
        return w.run(usages)
