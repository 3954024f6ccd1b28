"""An independent reference implementation (oracle) of two bills, compared with the engine.

Written from /work/shared/DOMAIN.md ("Residential tiered pricing", "Two-part tariff", "Power
factor adjustment", "Government funds, surcharges and taxes") and docs/tariff-design.md (segments,
tier quotas, lines, rounding), in Python ``decimal`` only, without reading the C arithmetic:

(a) the Chinese residential annual-tier bill (examples/tariffs/cn-residential-annual.json):
    tiers on the cumulative kWh of the year with the year-to-date carried in, the boundary kWh in
    the lower tier, the large-household extra quota, quotas prorated by months for an account
    opened this year, and a period across 1 January cut in two segments that share the kWh by
    days (largest remainder) with the year-to-date starting again at 0;
(b) the large-industry two-part bill (examples/tariffs/cn-large-industry.json and
    cn-large-industry-options.json): basic charge on contracted demand (105 % tolerance, excess at
    twice the price, the 40 % floor), actual demand or installed capacity (with suspensions),
    prorated by days per calendar month; energy by component with TOU ratios on the purchase
    price; the power-factor adjustment of the 1983 table on basic + energy; funds per kWh outside
    the adjustment; VAT included in the prices.

The oracle reads the tariff's numbers from the example JSON, so the comparison is about the rules,
not the constants. Hypothesis runs are derandomized (no example database) for a stable CI, and a
few hand-computed cases at tier and period boundaries, leap years and splits pin the rules.
"""

import calendar
import datetime
import json
import os
from decimal import Decimal, ROUND_HALF_UP, localcontext

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import bill

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
D = datetime.date
CENT = Decimal("0.01")
SETTINGS = dict(derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def load_doc(name):
    with open(os.path.join(ROOT, "examples", "tariffs", name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def charges(name):
    (version,) = load_doc(name)["versions"]
    return {c["id"]: c for c in version["charges"]}


_TARIFFS = {}


def engine(name, usage):
    if name not in _TARIFFS:
        _TARIFFS[name] = bill.Tariff.load_file(os.path.join(ROOT, "examples", "tariffs",
                                                            name + ".json"))
    with bill.Usage.from_json(json.dumps(usage), "oracle") as u:
        return _TARIFFS[name].compute(u)


def money(x):
    """Rounding of the example tariffs: HALF_UP (四舍五入, away from zero at .5) to the fen."""
    return x.quantize(CENT, ROUND_HALF_UP)


def span(a, b):
    return f"{a.isoformat()}/{b.isoformat()}"


def days(a, b):
    return (b - a).days


def vat_part(total, rate):
    """The tax included in a VAT-inclusive total: total x rate / (1 + rate), to the fen."""
    return money(total * rate / (1 + rate))


SPLIT_SCALE = 2  # a tariff's "split_scale" when it gives none (docs/tariff-design.md)


def allocate_by_days(value, weights):
    """``value`` shared in proportion to ``weights`` at scale max(SPLIT_SCALE, the value's own
    decimals without trailing zeros), the parts adding up exactly: each part gets the floor of its
    ideal share, the units left over go to the largest fractional remainders (earlier parts first
    on equal remainders). One weight: the value itself, as written."""
    if len(weights) == 1:
        return [value]
    exp = min(-SPLIT_SCALE, value.normalize().as_tuple().exponent)
    unit = Decimal(1).scaleb(exp)
    units = int(value / unit)
    total = sum(weights)
    ideal = [(units * w, total) for w in weights]
    floors = [n // t for n, t in ideal]
    left = units - sum(floors)
    rema = sorted(range(len(weights)), key=lambda i: (-(ideal[i][0] % total), i))
    for i in rema[:left]:
        floors[i] += 1
    return [Decimal(f) * unit for f in floors]


# ---- (a) residential annual tiers -----------------------------------------------------------------

def residential_annual_oracle(usage, name="cn-residential-annual"):
    """(lines, total, tax): lines are (segment, band, kWh, unit price, amount) with kWh > 0."""
    energy = charges(name)["energy"]
    tiers = energy["tiers"]
    assert tiers["basis"] == "annual" and tiers["boundary"] == "lower"
    assert tiers["proration"] == "months" and tiers.get("quota_scale", 0) == 0
    price = Decimal(energy["price"])
    thresholds = [Decimal(t) for t in tiers["thresholds"]]
    increments = [Decimal(i) for i in tiers["increments"]]
    lh = tiers.get("large_household")

    start, end = (D.fromisoformat(x) for x in usage["period"].split("/"))
    kwh = Decimal(usage["kwh"])
    # segments: the period cut at every 1 January inside it
    bounds = [start] + [D(y, 1, 1) for y in range(start.year + 1, end.year + 1)
                        if start < D(y, 1, 1) < end] + [end]
    segs = list(zip(bounds, bounds[1:]))
    shares = allocate_by_days(kwh, [days(a, b) for a, b in segs])

    lines = []
    for k, ((a, b), share) in enumerate(zip(segs, shares)):
        used = Decimal(usage.get("ytd_kwh", "0")) if k == 0 else Decimal(0)
        # the year's quotas: the thresholds, + 12 months of extra for a large household,
        # prorated by the months left in the opening year (the opening month counted)
        quota = list(thresholds)
        if lh and usage.get("household_size", 1) >= lh["min_persons"]:
            quota = [q + 12 * Decimal(lh["extra_per_month"]) for q in quota]
        if "opened" in usage:
            opened = D.fromisoformat(usage["opened"])
            if opened.year == a.year:
                months_left = 12 - opened.month + 1
                quota = [(q * months_left / 12).quantize(Decimal(1), ROUND_HALF_UP) for q in quota]
        # kWh (used, used + share] against the tiers [0, q1], (q1, q2], (q2, inf):
        # "lower": the threshold kWh itself is in the lower tier
        lo, hi = used, used + share
        edges = [Decimal(0)] + quota + [None]
        for t in range(len(increments)):
            bottom, top = edges[t], edges[t + 1]
            part = (hi if top is None else min(hi, top)) - max(lo, bottom)
            if part > 0:
                unit_price = price + increments[t]
                lines.append(((a, b), f"tier {t + 1}", part, unit_price, money(part * unit_price)))
    total = sum((l[4] for l in lines), Decimal(0))
    return lines, total, vat_part(total, Decimal(load_doc(name)["vat_rate"]))


def engine_lines(b, kinds=None):
    return [(l.segment, l.band, l.quantity, l.unit_price, l.amount) for l in b.lines
            if (kinds is None or l.kind in kinds) and l.quantity != 0]


@st.composite
def residential_usages(draw, first_year=2013):
    start = D(draw(st.integers(first_year, 2030)), 1, 1) + datetime.timedelta(
        days=draw(st.integers(0, 365)))
    # near the interesting dates now and then
    start = draw(st.sampled_from([start, start, D(2024, 12, 20), D(2024, 2, 29), D(2023, 12, 31)]))
    end = start + datetime.timedelta(days=draw(st.integers(1, 62)))
    if draw(st.integers(0, 5)) == 0:  # as many days before 1 January as after: equal fractions
        half = draw(st.integers(1, 31))
        new_year = D(draw(st.integers(max(first_year, 2014), 2030)), 1, 1)
        start, end = new_year - datetime.timedelta(days=half), new_year + datetime.timedelta(days=half)
    scale = draw(st.integers(0, 3))
    usage = {"period": span(start, end), "class": "residential",
             "household_size": draw(st.integers(1, 6)),
             "kwh": str(Decimal(draw(st.integers(0, 3000 * 10 ** scale))).scaleb(-scale))}
    ytd = draw(st.sampled_from([None, "3120", "4800", "3119.99", "4799", "0"]) | st.integers(0, 6500))
    if ytd is not None:
        usage["ytd_kwh"] = str(ytd)
    if draw(st.booleans()):
        usage["opened"] = (start - datetime.timedelta(days=draw(st.integers(0, 500)))).isoformat()
    return usage


@settings(max_examples=300, **SETTINGS)
@given(usage=residential_usages())
def test_residential_annual_tiers_match_the_oracle(usage):
    lines, total, tax = residential_annual_oracle(usage)
    b = engine("cn-residential-annual", usage)
    assert engine_lines(b) == lines, (usage, b.text)
    assert b.total == total
    assert b.tax == tax


@settings(max_examples=150, **SETTINGS)
@given(usage=residential_usages(first_year=2022))
def test_residential_solar_imports_match_the_oracle(usage):
    """The solar tariff bills the imports in full (net billing) under the same annual tiers:
    the oracle's tier lines plus a credit of every exported kWh."""
    usage = dict(usage, exported_kwh=str((Decimal(usage["kwh"]) / 3).quantize(Decimal("0.001"))))
    usage.pop("household_size")  # this tariff has no large-household extra
    lines, total, _ = residential_annual_oracle(usage, "cn-residential-solar")
    b = engine("cn-residential-solar", usage)
    assert engine_lines(b, {bill.LineKind.ENERGY}) == lines
    price = Decimal(charges("cn-residential-solar")["feed_in"]["price"])
    start, end = (D.fromisoformat(x) for x in usage["period"].split("/"))
    bounds = [start] + [D(y, 1, 1) for y in range(start.year + 1, end.year + 1)] + [end]
    exported = allocate_by_days(Decimal(usage["exported_kwh"]),
                                [days(a, b) for a, b in zip(bounds, bounds[1:])])
    credits = [-money(e * price) for e in exported]
    assert [l.amount for l in b.lines if l.kind == bill.LineKind.CREDIT] == \
        [c for c, e in zip(credits, exported) if e > 0]
    assert b.total == total + sum(credits, Decimal(0))


# ---- (b) the two-part bill ------------------------------------------------------------------------

def pf_rounded(kwh, kvarh):
    """PF = P / sqrt(P^2 + Q^2) rounded half-up to 0.01, exactly: the largest k in 0..100 with
    PF >= (k - 1/2)/100, i.e. (200 P)^2 >= (2k - 1)^2 (P^2 + Q^2), in integers."""
    exp = min(kwh.as_tuple().exponent, kvarh.as_tuple().exponent, 0)
    p = int(kwh.scaleb(-exp))
    q = int(kvarh.scaleb(-exp))
    k = 0
    for cand in range(1, 101):
        if (200 * p) ** 2 >= (2 * cand - 1) ** 2 * (p * p + q * q):
            k = cand
    return Decimal(k) / 100


def pf_percent(pf, standard):
    """The 1983 adjustment in percent (+ surcharge, - rebate) at rounded PF ``pf``, from DOMAIN.md."""
    steps = int((standard - pf) * 100)
    if steps > 0:  # below the standard
        if steps <= 20:
            return Decimal("0.5") * steps
        if steps <= 25:
            return 10 + Decimal(steps - 20)
        return 15 + 2 * Decimal(steps - 25)
    above = -steps
    if standard == Decimal("0.90"):
        table = ["0", "0.15", "0.30", "0.45", "0.60", "0.75"]
    elif standard == Decimal("0.85"):
        table = ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.65", "0.80", "0.95", "1.10"]
    else:  # 0.80
        table = ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0",
                 "1.15", "1.30"]
    return -Decimal(table[min(above, len(table) - 1)])


def months_of(start, end):
    """(days in the period, days of the month) for every calendar month the period touches."""
    out = []
    a = start
    while a < end:
        dim = calendar.monthrange(a.year, a.month)[1]
        next_month = D(a.year + (a.month == 12), a.month % 12 + 1, 1)
        b = min(end, next_month)
        out.append((a, b, dim))
        a = b
    return out


def two_part_oracle(usage, name):
    """(amounts by charge id, total, tax) of a large-industry usage (one segment)."""
    ch = charges(name)
    option = usage.get("options", {}).get("basic_charge", "capacity")
    start, end = (D.fromisoformat(x) for x in usage["period"].split("/"))
    tou = {p: Decimal(v) for p, v in usage["tou_kwh"].items()}
    kwh = sum(tou.values(), Decimal(0))
    amounts = {}

    def add(cid, amount):
        amounts.setdefault(cid, []).append(amount)

    # basic charge, per calendar month touched, prorated by days
    for cid, c in ch.items():
        if c["type"] not in ("capacity", "demand"):
            continue
        when = c.get("when", {}).get("basic_charge")
        if when is not None and when != option:
            continue
        price = Decimal(c["price"])
        for a, b, dim in months_of(start, end):
            frac = Decimal(days(a, b)) / dim
            if c["type"] == "capacity":
                add(cid, money(Decimal(usage["capacity_kva"]) * price * frac))
                for s in usage.get("suspended", []):
                    sa, sb = D.fromisoformat(s["from"]), D.fromisoformat(s["to"])
                    overlap = days(max(a, sa), min(b, sb))
                    if overlap > 0:
                        add(cid, -money(Decimal(s["kva"]) * price * overlap / dim))
            elif c["basis"] == "actual":
                add(cid, money(Decimal(usage["max_demand_kw"]) * price * frac))
            else:
                declared = Decimal(usage["declared_kw"])
                if "capacity_kva" in usage:  # at least 40 % of the installed capacity
                    declared = max(declared,
                                   Decimal(c.get("min_fraction", "0.40")) * Decimal(usage["capacity_kva"]))
                limit = Decimal(c.get("tolerance", "1.05")) * declared
                demand = Decimal(usage["max_demand_kw"])
                if demand <= limit:
                    add(cid, money(declared * price * frac))
                else:
                    add(cid, money(limit * price * frac))
                    mult = Decimal(c.get("excess_multiplier", "2"))
                    add(cid, money((demand - limit) * mult * price * frac))
    # energy by component: the TOU-marked ones scaled by the period's ratio
    e = ch["energy"]
    ratios = {p: Decimal(r) for p, r in e["tou"]["ratios"].items()}
    for comp in e["components"]:
        if comp.get("tou"):
            for period in ratios:  # the tariff's period order
                if period in tou:
                    add("energy", money(tou[period] * Decimal(comp["price"]) * ratios[period]))
    for comp in e["components"]:
        if not comp.get("tou"):
            add("energy", money(kwh * Decimal(comp["price"])))
    # the power-factor adjustment on basic + energy
    pf_charge = ch["pf"]
    base = sum((sum(amounts.get(cid, []), Decimal(0)) for cid in pf_charge["base"]), Decimal(0))
    if "kvarh" not in usage or (kwh == 0 and Decimal(usage["kvarh"]) == 0):
        add("pf", Decimal("0.00"))
    else:
        standard = Decimal(usage.get("pf_standard", pf_charge["standard"]))
        pct = pf_percent(pf_rounded(kwh, Decimal(usage["kvarh"])), standard)
        add("pf", money(base * pct / 100))
    # government funds per kWh, outside the adjustment
    for cid, c in ch.items():
        if c["type"] == "per_kwh":
            add(cid, money(kwh * Decimal(c["price"])))
    total = sum((sum(v, Decimal(0)) for v in amounts.values()), Decimal(0))
    return amounts, total, vat_part(total, Decimal(load_doc(name)["vat_rate"]))


def engine_amounts(b):
    out = {}
    for l in b.lines:
        out.setdefault(l.charge, []).append(l.amount)
    return out


@st.composite
def two_part_usages(draw, options=False):
    start = draw(st.sampled_from([D(2024, 2, 1), D(2024, 2, 15), D(2025, 2, 10), D(2025, 6, 1),
                                  D(2025, 7, 1), D(2025, 12, 20), D(2028, 1, 31)]))
    end = start + datetime.timedelta(days=draw(st.integers(1, 62)))
    cap = draw(st.sampled_from([315, 630, 1000, 3150, 5000]))
    declared = draw(st.integers(0, 3000))
    usage = {"period": span(start, end), "class": "large_industry", "capacity_kva": str(cap),
             "declared_kw": str(declared),
             # around the 105 % tolerance now and then
             "max_demand_kw": str(draw(st.sampled_from([
                 Decimal(declared) * Decimal("1.05"), Decimal(declared) * Decimal("1.05") + CENT,
                 Decimal(draw(st.integers(0, 400000))) / 100]))),
             "tou_kwh": {p: str(Decimal(draw(st.integers(0, 50000000))) / 100)
                         for p in ["critical", "peak", "flat", "valley"]}}
    kind = draw(st.integers(0, 5))
    if kind == 0:
        pass  # no kvarh: a 0 line
    elif kind == 1:
        usage["kvarh"] = "0"
    elif kind == 2:  # any kvarh, also with 0 kWh (PF 0.00: +145 % at 0.90, 2 % a step below 0.65)
        usage["kvarh"] = str(Decimal(draw(st.integers(0, 10 ** 8))) / 100)
    else:  # PF spread from 0.30 to 1.00
        kwh = sum(Decimal(v) for v in usage["tou_kwh"].values())
        usage["kvarh"] = str((kwh * Decimal(draw(st.integers(0, 3000))) / 1000).quantize(CENT))
    if draw(st.booleans()):
        usage["pf_standard"] = draw(st.sampled_from(["0.90", "0.85", "0.80"]))
    if options:
        usage["options"] = {"basic_charge": draw(st.sampled_from(
            ["capacity", "contracted_demand", "actual_demand"]))}
        if draw(st.booleans()):
            # may start before the period and end after it: only the overlap counts
            a = start + datetime.timedelta(days=draw(st.integers(-10, days(start, end) - 1)))
            b = a + datetime.timedelta(days=draw(st.integers(1, 40)))
            usage["suspended"] = [{"kva": str(draw(st.integers(1, cap))), "from": a.isoformat(),
                                   "to": b.isoformat()}]
    return usage


@pytest.mark.parametrize("name, options", [("cn-large-industry", False),
                                           ("cn-large-industry-options", True)])
def test_two_part_bill_matches_the_oracle(name, options):
    @settings(max_examples=200, **SETTINGS)
    @given(usage=two_part_usages(options))
    def run(usage):
        amounts, total, tax = two_part_oracle(usage, name)
        b = engine(name, usage)
        assert engine_amounts(b) == amounts, (usage, b.text)
        assert b.total == total
        assert b.tax == tax
    run()


# ---- hand-computed cases ---------------------------------------------------------------------------
#
# Annual tiers 3120 / 4800 kWh at 0.5283, +0.05, +0.30 (0.5283, 0.5783, 0.8283 a kWh).

JUNE = span(D(2025, 6, 1), D(2025, 7, 1))


@pytest.mark.parametrize("usage, amounts, total", [
    # the boundary kWh 3120 is in tier 1 ("lower"): 120 x 0.5283 = 63.396
    ({"period": JUNE, "kwh": "120", "ytd_kwh": "3000"}, ["63.40"], "63.40"),
    # one kWh more is in tier 2: 63.40 + 0.5783
    ({"period": JUNE, "kwh": "121", "ytd_kwh": "3000"}, ["63.40", "0.58"], "63.98"),
    # across both thresholds: 20 x 0.5283, 1680 x 0.5783, 100 x 0.8283
    ({"period": JUNE, "kwh": "1800", "ytd_kwh": "3100"}, ["10.57", "971.54", "82.83"], "1064.94"),
    # five persons: +100 a month = +1200 a year on each threshold (4320 / 6000)
    ({"period": JUNE, "kwh": "400", "ytd_kwh": "4000", "household_size": 5},
     ["169.06", "46.26"], "215.32"),
    # opened in July 2025: 6 months of 12 (July counted) -> quotas 1560 / 2400
    ({"period": span(D(2025, 9, 1), D(2025, 10, 1)), "kwh": "200", "ytd_kwh": "1500",
      "opened": "2025-07-15"}, ["31.70", "80.96"], "112.66"),
    # across 1 January: 15 + 15 days, 150 kWh each; 2025 starts at ytd 3100, 2026 at 0
    ({"period": span(D(2025, 12, 17), D(2026, 1, 16)), "kwh": "300", "ytd_kwh": "3100"},
     ["10.57", "75.18", "79.25"], "165.00"),
    # 15 + 15 days and 301 kWh: shared at the split scale (2), 150.50 kWh each
    ({"period": span(D(2025, 12, 17), D(2026, 1, 16)), "kwh": "301", "ytd_kwh": "3100"},
     ["10.57", "75.47", "79.51"], "165.55"),
    # opened on a leap day: February counted, 11 months of 12 -> quotas 2860 / 4400
    ({"period": span(D(2024, 3, 1), D(2024, 4, 1)), "kwh": "101", "ytd_kwh": "2800",
      "opened": "2024-02-29"}, ["31.70", "23.71"], "55.41"),
    # no cut inside a year: a leap February and March are one segment (10 + 9 days)
    ({"period": span(D(2024, 2, 20), D(2024, 3, 10)), "kwh": "101", "ytd_kwh": "3100"},
     ["10.57", "46.84"], "57.41"),
])
def test_residential_annual_hand_computed(usage, amounts, total):
    usage = dict(usage, **{"class": "residential"})
    b = engine("cn-residential-annual", usage)
    assert [str(l.amount) for l in b.lines] == amounts, b.text
    assert str(b.total) == total
    assert residential_annual_oracle(usage)[1] == Decimal(total)


@pytest.mark.parametrize("period, kwh, amounts, total", [
    # leap February: 15 of 29 days -> 200 x 15/29 = 103.4 -> 103, 400 x 15/29 = 206.9 -> 207
    ((D(2024, 2, 15), D(2024, 3, 1)), "300", ["57.68", "63.44", "79.98"], "201.10"),
    # the same days of a common February: 15/28 -> 107 and 214
    ((D(2025, 2, 14), D(2025, 3, 1)), "300", ["59.92", "65.27", "73.96"], "199.15"),
    # across the 2025-07-01 price change: 15 + 15 days, 150 kWh each; June summer 260/600 x 15/30
    # = 130/300 at 0.56; July 260/600 x 15/31 = 125.8/290.3 -> 126/290 at 0.58
    ((D(2025, 6, 16), D(2025, 7, 16)), "300", ["72.80", "12.20", "73.08", "15.12"], "173.20"),
])
def test_monthly_seasonal_hand_computed(period, kwh, amounts, total):
    usage = {"period": span(*period), "class": "residential", "kwh": kwh}
    b = engine("cn-residential-monthly-seasonal", usage)
    assert [str(l.amount) for l in b.lines] == amounts, b.text
    assert str(b.total) == total


def test_pf_table_examples_from_the_domain_brief():
    # S = 0.90, PF 0.60 -> +25 %; the 3-4-5 triangle gives PF 0.60 exactly
    assert pf_rounded(Decimal(60), Decimal(80)) == Decimal("0.60")
    assert pf_percent(Decimal("0.60"), Decimal("0.90")) == 25
    assert pf_percent(Decimal("0.70"), Decimal("0.90")) == 10
    assert pf_percent(Decimal("0.65"), Decimal("0.90")) == 15
    assert pf_percent(Decimal("0.95"), Decimal("0.90")) == Decimal("-0.75")
    assert pf_percent(Decimal("0.90"), Decimal("0.85")) == Decimal("-0.50")
    assert pf_percent(Decimal("0.94"), Decimal("0.85")) == Decimal("-1.10")
    assert pf_percent(Decimal("0.90"), Decimal("0.80")) == Decimal("-1.00")
    assert pf_percent(Decimal("0.92"), Decimal("0.80")) == Decimal("-1.30")
    usage = {"period": JUNE, "class": "large_industry", "declared_kw": "100",
             "max_demand_kw": "90", "tou_kwh": {"flat": "60"}, "kvarh": "80"}
    b = engine("cn-large-industry", usage)
    pf = [l for l in b.lines if l.kind == bill.LineKind.POWER_FACTOR]
    assert [str(l.unit_price) for l in pf] == ["25.00"]
    # base 3600 + 60 x (0.35 + 0.12 + 0.01 + 0.015) = 3600 + 29.70; 25 % of it
    assert pf[0].quantity == Decimal("3629.70") and pf[0].amount == Decimal("907.43")


def test_demand_at_and_just_above_105_percent():
    base = {"period": JUNE, "class": "large_industry", "declared_kw": "2000",
            "tou_kwh": {"flat": "0"}}
    at = engine("cn-large-industry", dict(base, max_demand_kw="2100"))
    assert [l.amount for l in at.lines if l.charge == "basic"] == [Decimal("72000.00")]
    above = engine("cn-large-industry", dict(base, max_demand_kw="2100.01"))
    # 1.05 C x 36 + 0.01 kW x 72
    assert [l.amount for l in above.lines if l.charge == "basic"] == \
        [Decimal("75600.00"), Decimal("0.72")]
    # the 40 % floor: 3150 kVA -> at least 1260 kW
    floor = engine("cn-large-industry", dict(base, declared_kw="1000", max_demand_kw="0",
                                             capacity_kva="3150"))
    assert [l.amount for l in floor.lines if l.charge == "basic"] == [Decimal("45360.00")]


def test_more_kwh_can_lower_a_bill_with_power_factor_adjustment():
    """Why the property tests assert kWh-monotonicity for two-part bills only at a fixed PF: with
    kvarh 1000, 2000 kWh is PF 0.894 -> 0.89 (+0.5 %) and 2010 kWh is PF 0.8955 -> 0.90 (0 %)."""
    usage = {"period": JUNE, "class": "large_industry", "declared_kw": "100",
             "max_demand_kw": "90", "kvarh": "1000", "tou_kwh": {"flat": "2000"}}
    low = engine("cn-large-industry", usage)
    high = engine("cn-large-industry", dict(usage, tou_kwh={"flat": "2010"}))
    assert pf_rounded(Decimal(2000), Decimal(1000)) == Decimal("0.89")
    assert pf_rounded(Decimal(2010), Decimal(1000)) == Decimal("0.90")
    assert high.total < low.total
    assert two_part_oracle(usage, "cn-large-industry")[1] == low.total


def test_two_part_partial_months_of_a_leap_february():
    """2024-02-15..03-10: 15 of the 29 days of February and 9 of the 31 of March."""
    base = {"period": span(D(2024, 2, 15), D(2024, 3, 10)), "class": "large_industry",
            "capacity_kva": "2000", "declared_kw": "1000", "max_demand_kw": "900",
            "tou_kwh": {"flat": "0"}}
    b = engine("cn-large-industry", base)
    # 1000 kW x 36 x 15/29 = 18620.689..., x 9/31 = 10451.612...
    assert [l.amount for l in b.lines if l.charge == "basic"] == \
        [Decimal("18620.69"), Decimal("10451.61")]
    # the capacity basis with 630 kVA suspended 2024-02-25..03-05: 5 days of February, 4 of March
    usage = dict(base, options={"basic_charge": "capacity"},
                 suspended=[{"kva": "630", "from": "2024-02-25", "to": "2024-03-05"}])
    b = engine("cn-large-industry-options", usage)
    # 2000 x 24 x 15/29 = 24827.586..., 630 x 24 x 5/29 = 2606.896...,
    # 2000 x 24 x 9/31 = 13935.483..., 630 x 24 x 4/31 = 1950.967...
    assert sorted(l.amount for l in b.lines if l.charge == "basic_capacity") == \
        sorted([Decimal("24827.59"), Decimal("-2606.90"), Decimal("13935.48"), Decimal("-1950.97")])
    assert two_part_oracle(usage, "cn-large-industry-options")[1] == b.total


def test_tou_plus_tiers_at_the_tier_boundary():
    """TOU prices for all kWh plus the tier increment for the kWh above 3120 of the year:
    ytd 3100 and 40 kWh (30 peak, 10 valley) put 20 kWh in tier 2."""
    usage = {"period": JUNE, "class": "residential", "ytd_kwh": "3100",
             "tou_kwh": {"peak": "30", "valley": "10"}}
    b = engine("cn-residential-annual-tou", usage)
    # 30 x 0.5583 = 16.749, 10 x 0.3583 = 3.583, 20 x 0.05 = 1.00
    assert [(l.band, l.amount) for l in b.lines] == \
        [("peak", Decimal("16.75")), ("valley", Decimal("3.58")), ("tier 2", Decimal("1.00"))]
    assert b.total == Decimal("21.33")
    # exactly at the boundary: 20 kWh reach 3120, all in tier 1, no increment line with kWh
    at = engine("cn-residential-annual-tou", dict(usage, tou_kwh={"peak": "15", "valley": "5"}))
    assert all(l.quantity == 0 for l in at.lines if l.band.startswith("tier"))
