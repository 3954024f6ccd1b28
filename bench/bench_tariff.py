#!/usr/bin/python3
"""Bill throughput of a hand-written Python decimal implementation, for comparison with bench_tariff.c.

The same three bills as the C benchmark, written the way a careful Python programmer would
write them for these three tariffs (not a general tariff engine): the prices, thresholds,
ratios and rounding are read from the same JSON files with json.load(parse_float=Decimal)
and strings turned into Decimal, so nothing passes through binary floating point.

  residential  cn-residential-annual-tou.json: kWh x TOU price per period, plus the
               tier increment on the kWh of the year that fall in tiers 2 and 3
               (annual thresholds, the threshold kWh in the lower tier); each line
               rounded HALF_UP to 2 decimals, the total their sum.
  commercial   cn-commercial-tou.json: fixed charge for the (whole) month, the TOU-scaled
               purchase price per register, the flat components and funds on all kWh,
               top-up to the monthly minimum, VAT on the subtotal, the total rounded
               HALF_UP to 2 decimals.
  industry     cn-large-industry.json: basic charge on the declared demand C (raised to
               min_fraction x the installed kVA when below it), demand D above T = 1.05 C
               billing T plus an excess line (D - T) x 2 x price; the TOU-scaled purchase
               price per register and the flat components on all kWh; the power-factor
               adjustment on basic + energy: PF computed exactly on integers (no square
               root), the percent from the 1983 table for standard 0.90; three funds per
               kWh; VAT inclusive; every line rounded HALF_UP to 2 decimals, the total
               their sum.

Each bill is written twice:

  NAME           totals only: just the bill's total, computed as directly as the tariff
                 allows (no lines, no tax part for the VAT-inclusive tariffs).
  NAME-itemized  the bill libbill builds (bill_tariff_compute): Bill(lines, subtotal, tax,
                 total), each line a tuple (charge, kind, component, band, unit, quantity,
                 unit_price, amount), the same lines in the same order with the same values
                 (equal as Decimal), a line even for a TOU period with 0 kWh, the minimum
                 top-up, vat and rounding lines of the commercial bill, the tax included
                 in the VAT-inclusive totals (total x rate / (1 + rate), rounded). What
                 depends only on the tariff (prices x ratios, tier bands, labels, the PF
                 table, the commercial fixed line of a whole month) is prepared once. No
                 explanation texts: libbill renders those only when asked.

Before timing, the hand-computed bills of bench_tariff.c are checked, and for all 4096
accounts of each tariff the itemized bill is checked to add up (lines to subtotal and total,
the vat line to the tax) and to give the totals-only bill's total.

Against libbill itself: `bench_tariff.py --billcalc build/examples/billcalc [STEP]` bills every
STEP-th account (default 97: 43 per tariff, 129 bills, 1104 lines) with billcalc --json and
compares every line's text fields and values, the subtotal, tax and total: all equal. Run
with STEP 1 (all 3 x 4096 accounts, 106208 lines) on 2026-11-29: all equal. The text of the
values is the same too, except that the commercial bill's exact amounts keep the trailing
zeros of the product in Python (173.770200 where libbill prints 173.7702, 0E-8 for 0.00),
and so do the subtotal, tax, minimum, vat and rounding values computed from them.

All accounts bill June 2025 (one whole month, no tariff change, no new year). The usage
values come from the same integer formulas as bench_tariff.c. Prints, per bill type and
variant, the bills per second (whole passes over the 4096 accounts, for about the given
time) and the sum of the 4096 totals, which bench/run.sh compares with libbill's.

Usage: bench_tariff.py [seconds-per-measurement [TARIFF-DIR]]   (defaults 1.0, examples/tariffs)
       bench_tariff.py --billcalc BILLCALC [STEP [TARIFF-DIR]]  (compare with libbill's bills)
"""
import decimal
import json
import os
import platform
import sys
from collections import namedtuple
from decimal import Decimal, ROUND_HALF_UP

from benchutil import measure

N = 4096


def load(tariff_dir, name):
    with open(os.path.join(tariff_dir, name), encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal)


def dec(x):
    return x if isinstance(x, Decimal) else Decimal(str(x))


def scaled_price(price, ratio):
    """price x ratio with libbill's scale: trailing zeros dropped, but not below the price's own
    scale (0.3500 x 0.46 = 0.1610, 0.3800 x 2.028 = 0.77064); the same value either way."""
    exact = price * ratio
    trimmed = exact.normalize()
    return trimmed if trimmed.as_tuple().exponent <= price.as_tuple().exponent else exact.quantize(price)


def charge(version, kind):
    return [c for c in version["charges"] if c["type"] == kind]


# ---- usage: the formulas of bench_tariff.c -------------------------------------------------

def residential_usage(i):
    total = 500 + (i * 7919) % 8501                 # tenths of kWh: 50.0 .. 900.0
    peak = total * (30 + (i * 37) % 51) // 100
    ytd = (i * 104729) % 5001
    return Decimal(peak).scaleb(-1), Decimal(total - peak).scaleb(-1), Decimal(ytd)


def commercial_usage(i):
    total = (i * 37) % 4001 if i % 16 == 0 else 100000 + (i * 7919) % 900001   # hundredths
    crit = total * (i % 6) // 100
    peak = total * (20 + i % 21) // 100
    flat = total * (25 + i % 17) // 100
    regs = (crit, peak, flat, total - crit - peak - flat)
    return {p: Decimal(r).scaleb(-2) for p, r in zip(("critical", "peak", "flat", "valley"), regs)}


def industry_usage(i):
    total = 50000 + (i * 7919) % 1950001            # kWh: 50,000 .. 2,000,000
    crit = total * (i % 6) // 100
    peak = total * (20 + i % 21) // 100
    flat = total * (25 + i % 17) // 100
    regs = (crit, peak, flat, total - crit - peak - flat)
    declared = 200 + (i * 131) % 4801
    capacity = 1000 + (i * 61) % 8001
    c_t = max(declared * 10, capacity * 4)         # tenths of kW
    max_demand_t = c_t * (80 + (i * 7) % 41) // 100
    kvarh = total * (10 + (i * 53) % 96) // 100
    return ({p: Decimal(r) for p, r in zip(("critical", "peak", "flat", "valley"), regs)},
            Decimal(capacity), Decimal(declared), Decimal(max_demand_t).scaleb(-1), Decimal(kvarh))


# ---- the bills -------------------------------------------------------------------------

def residential_biller(t):
    assert t["rounding"]["apply"] == "line"
    q = Decimal(1).scaleb(-int(t["rounding"]["scale"]))
    mode = "ROUND_" + t["rounding"]["mode"]
    energy = charge(t["versions"][-1], "energy")[0]
    prices = {p: dec(v) for p, v in energy["tou"]["prices"].items()}
    tiers = energy["tiers"]
    assert tiers["basis"] == "annual" and tiers["boundary"] == "lower"
    bounds = [Decimal(0)] + [dec(x) for x in tiers["thresholds"]] + [None]
    bands = [(bounds[k], bounds[k + 1], dec(inc))
             for k, inc in enumerate(tiers["increments"]) if k > 0]   # tiers 2 and up
    assert dec(tiers["increments"][0]) == 0
    p_peak, p_valley = prices["peak"], prices["valley"]

    def bill(peak, valley, ytd):
        total = (peak * p_peak).quantize(q, mode) + (valley * p_valley).quantize(q, mode)
        end = ytd + peak + valley
        for lo, hi, inc in bands:
            upper = end if hi is None or end < hi else hi
            lower = ytd if ytd > lo else lo
            if upper > lower:
                total += ((upper - lower) * inc).quantize(q, mode)
        return total
    return bill


def commercial_biller(t):
    assert t["rounding"]["apply"] == "total" and t["price_basis"] == "vat_exclusive"
    q = Decimal(1).scaleb(-int(t["rounding"]["scale"]))
    mode = "ROUND_" + t["rounding"]["mode"]
    vat = dec(t["vat_rate"])
    v = t["versions"][-1]
    fixed = sum(dec(c["amount"]) for c in charge(v, "fixed"))          # per month: one whole month
    minimum = dec(charge(v, "minimum")[0]["amount"])
    energy = charge(v, "energy")[0]
    ratios = {p: dec(r) for p, r in energy["tou"]["ratios"].items()}
    tou_price = sum(dec(c["price"]) for c in energy["components"] if c.get("tou"))
    flat_price = sum(dec(c["price"]) for c in energy["components"] if not c.get("tou"))
    flat_price += sum(dec(c["price"]) for c in charge(v, "per_kwh"))  # funds: class not exempt
    period_price = {p: tou_price * r for p, r in ratios.items()}

    def bill(regs):
        kwh = sum(regs.values())
        sub = fixed + kwh * flat_price
        for p, k in regs.items():
            sub += k * period_price[p]
        if sub < minimum:
            sub = minimum
        return (sub + sub * vat).quantize(q, mode)
    return bill


def pf_hundredths(p, q):
    """PF = P / sqrt(P^2 + Q^2) rounded half-up to 2 decimals, x 100: the largest k in 0..100
    with (200 P)^2 >= (2k - 1)^2 (P^2 + Q^2), P and Q integers at a common scale."""
    e = min(p.as_tuple().exponent, q.as_tuple().exponent, 0)
    pi, qi = int(p.scaleb(-e)), int(q.scaleb(-e))
    lhs, s = (200 * pi) ** 2, pi * pi + qi * qi
    lo, hi = 0, 100                    # invariant: k = lo holds (k = 0: 40000 P^2 >= P^2 + Q^2 ...)
    if lhs < s:
        return 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lhs >= (2 * mid - 1) ** 2 * s:
            lo = mid
        else:
            hi = mid - 1
    return lo


def pf_percent_090(k):
    """The 1983 table for standard 0.90, PF = k / 100: below, +0.5 % a step for the first 20
    steps, +1 % for the next 5, +2 % beyond; above, -0.15 % a step to -0.75 % at 0.95-1.00."""
    if k < 90:
        steps = 90 - k
        return (Decimal("0.5") * min(steps, 20) + min(max(steps - 20, 0), 5)
                + 2 * max(steps - 25, 0))
    return Decimal("-0.15") * min(k - 90, 5)


def industry_biller(t):
    assert t["rounding"]["apply"] == "line" and t["price_basis"] == "vat_inclusive"
    q = Decimal(1).scaleb(-int(t["rounding"]["scale"]))
    mode = "ROUND_" + t["rounding"]["mode"]
    v = t["versions"][-1]
    demand = charge(v, "demand")[0]
    assert demand["basis"] == "contracted"
    d_price = dec(demand["price"])
    tolerance = dec(demand.get("tolerance", "1.05"))
    excess_price = dec(demand.get("excess_multiplier", "2")) * d_price
    min_fraction = dec(demand.get("min_fraction", "0.40"))
    energy = charge(v, "energy")[0]
    ratios = {p: dec(r) for p, r in energy["tou"]["ratios"].items()}
    tou_comp = [dec(c["price"]) for c in energy["components"] if c.get("tou")]
    flat_comp = [dec(c["price"]) for c in energy["components"] if not c.get("tou")]
    period_prices = {p: [c * r for c in tou_comp] for p, r in ratios.items()}
    pf = charge(v, "power_factor")[0]
    assert pf["base"] == [demand["id"], energy["id"]] and pf["standard"] == "0.90"
    funds = [dec(c["price"]) for c in charge(v, "per_kwh")]

    def bill(u):
        regs, capacity, declared, max_demand, kvarh = u
        c = declared
        floor = min_fraction * capacity
        if c < floor:
            c = floor
        top = tolerance * c
        if max_demand > top:
            base = (top * d_price).quantize(q, mode) + ((max_demand - top) * excess_price).quantize(q, mode)
        else:
            base = (c * d_price).quantize(q, mode)
        kwh = sum(regs.values())
        for p, k in regs.items():
            for price in period_prices[p]:
                base += (k * price).quantize(q, mode)
        for price in flat_comp:
            base += (kwh * price).quantize(q, mode)
        total = base + (base * pf_percent_090(pf_hundredths(kwh, kvarh)) / 100).quantize(q, mode)
        for price in funds:
            total += (kwh * price).quantize(q, mode)
        return total
    return bill



# ---- the same bills, itemized ----------------------------------------------------------
#
# A bill is Bill(lines, subtotal, tax, total); a line is a plain tuple
# (charge, kind, component, band, unit, quantity, unit_price, amount), the fields of libbill's
# bill_line_view but the segment (these bills have one), in libbill's order.

LINE_FIELDS = ("charge", "kind", "component", "band", "unit", "quantity", "unit_price", "amount")
Bill = namedtuple("Bill", "lines subtotal tax total")


def residential_itemized_biller(t):
    """Residential, itemized: energy [peak], energy [valley], then a tier increment line for
    each of tiers 2 and 3 the kWh fall in; each amount rounded; tax = the VAT included in
    the total, total x rate / (1 + rate) rounded; total = subtotal = the lines' sum."""
    assert t["rounding"]["apply"] == "line" and t["price_basis"] == "vat_inclusive"
    q = Decimal(1).scaleb(-int(t["rounding"]["scale"]))
    mode = "ROUND_" + t["rounding"]["mode"]
    rate = dec(t["vat_rate"])
    one_plus_rate = 1 + rate
    energy = charge(t["versions"][-1], "energy")[0]
    cid = energy["id"]
    prices = {p: dec(v) for p, v in energy["tou"]["prices"].items()}
    assert list(prices) == ["peak", "valley"]          # tariff order: the order of the lines
    p_peak, p_valley = prices["peak"], prices["valley"]
    tiers = energy["tiers"]
    assert tiers["basis"] == "annual" and tiers["boundary"] == "lower"
    assert dec(tiers["increments"][0]) == 0
    bounds = [Decimal(0)] + [dec(x) for x in tiers["thresholds"]] + [None]
    bands = [(bounds[k], bounds[k + 1], dec(inc), "tier %d" % (k + 1))
             for k, inc in enumerate(tiers["increments"]) if k > 0]   # tiers 2 and up

    def bill(peak, valley, ytd):
        a_peak = (peak * p_peak).quantize(q, mode)
        a_valley = (valley * p_valley).quantize(q, mode)
        lines = [(cid, "energy", "", "peak", "kWh", peak, p_peak, a_peak),
                 (cid, "energy", "", "valley", "kWh", valley, p_valley, a_valley)]
        subtotal = a_peak + a_valley
        end = ytd + peak + valley
        for lo, hi, inc, band in bands:
            upper = end if hi is None or end <= hi else hi
            lower = ytd if ytd > lo else lo
            if upper > lower:
                kwh = upper - lower
                amount = (kwh * inc).quantize(q, mode)
                lines.append((cid, "energy", "tier increment", band, "kWh", kwh, inc, amount))
                subtotal += amount
        return Bill(lines, subtotal, (subtotal * rate / one_plus_rate).quantize(q, mode), subtotal)
    return bill


def commercial_itemized_biller(t):
    """Commercial, itemized, exact lines: the fixed charge (1 month), energy / purchase per TOU
    period (kWh x purchase x ratio, a line even for 0 kWh), energy / each flat component and
    the funds on all kWh, the minimum top-up when the charges are below it; subtotal = their
    sum; a vat line subtotal x rate (tax); then the sum rounded once (total) and a rounding
    line with the difference when it is not 0."""
    assert t["rounding"]["apply"] == "total" and t["price_basis"] == "vat_exclusive"
    q = Decimal(1).scaleb(-int(t["rounding"]["scale"]))
    mode = "ROUND_" + t["rounding"]["mode"]
    vat = dec(t["vat_rate"])
    v = t["versions"][-1]
    assert [c["type"] for c in v["charges"]] == ["fixed", "energy", "per_kwh", "minimum"]
    one = Decimal(1)
    # one whole month: the fixed line is the same every bill (a tuple: shared, never changed)
    fixed_lines = [(c["id"], "fixed", "", "", "month", one, dec(c["amount"]), dec(c["amount"]))
                   for c in charge(v, "fixed")]
    fixed = sum(line[7] for line in fixed_lines)
    minimum_charge = charge(v, "minimum")[0]
    minimum_id, minimum = minimum_charge["id"], dec(minimum_charge["amount"])
    energy = charge(v, "energy")[0]
    eid = energy["id"]
    ratios = {p: dec(r) for p, r in energy["tou"]["ratios"].items()}
    tou_comp = [(c["name"], dec(c["price"])) for c in energy["components"] if c.get("tou")]
    # per TOU period in tariff order, per TOU component: (period, name, price x ratio)
    period_lines = [(p, name, scaled_price(price, r)) for p, r in ratios.items()
                    for name, price in tou_comp]
    flat_lines = [(eid, "energy", c["name"], "", "kWh", dec(c["price"]))
                  for c in energy["components"] if not c.get("tou")]
    flat_lines += [(c["id"], "per_kwh", "", "", "kWh", dec(c["price"]))   # funds: class not exempt
                   for c in charge(v, "per_kwh") if "commercial" not in c.get("exempt_classes", ())]

    def bill(regs):
        lines = list(fixed_lines)
        subtotal = fixed
        for p, name, price in period_lines:
            k = regs[p]
            amount = k * price
            lines.append((eid, "energy", name, p, "kWh", k, price, amount))
            subtotal += amount
        kwh = sum(regs.values())
        for cid, kind, name, band, unit, price in flat_lines:
            amount = kwh * price
            lines.append((cid, kind, name, band, unit, kwh, price, amount))
            subtotal += amount
        if subtotal < minimum:
            top_up = minimum - subtotal
            lines.append((minimum_id, "minimum", "", "", "period", one, top_up, top_up))
            subtotal = minimum
        tax = subtotal * vat
        lines.append(("vat", "tax", "VAT", "", "", subtotal, vat, tax))
        exact = subtotal + tax
        total = exact.quantize(q, mode)
        if total != exact:
            diff = total - exact
            lines.append(("rounding", "rounding", "", "", "", one, diff, diff))
        return Bill(lines, subtotal, tax, total)
    return bill


def industry_itemized_biller(t):
    """Large industry, itemized: the basic charge on C (or on T = 1.05 C plus an excess line
    when D > T), energy / purchase per TOU period, energy / each flat component, the
    power-factor line (quantity the sum of those lines, unit price the percent), one line per
    fund; each amount rounded; tax = the included VAT, total = subtotal = the lines' sum."""
    assert t["rounding"]["apply"] == "line" and t["price_basis"] == "vat_inclusive"
    q = Decimal(1).scaleb(-int(t["rounding"]["scale"]))
    mode = "ROUND_" + t["rounding"]["mode"]
    rate = dec(t["vat_rate"])
    one_plus_rate = 1 + rate
    v = t["versions"][-1]
    assert [c["type"] for c in v["charges"]] == ["demand", "energy", "power_factor"] + ["per_kwh"] * 3
    demand = charge(v, "demand")[0]
    assert demand["basis"] == "contracted"
    did = demand["id"]
    d_price = dec(demand["price"])
    tolerance = dec(demand.get("tolerance", "1.05"))
    excess_price = dec(demand.get("excess_multiplier", "2")) * d_price
    min_fraction = dec(demand.get("min_fraction", "0.40"))
    energy = charge(v, "energy")[0]
    eid = energy["id"]
    ratios = {p: dec(r) for p, r in energy["tou"]["ratios"].items()}
    tou_comp = [(c["name"], dec(c["price"])) for c in energy["components"] if c.get("tou")]
    period_lines = [(p, name, scaled_price(price, r)) for p, r in ratios.items()
                    for name, price in tou_comp]
    flat_comp = [(c["name"], dec(c["price"])) for c in energy["components"] if not c.get("tou")]
    pf = charge(v, "power_factor")[0]
    assert pf["base"] == [did, eid] and pf["standard"] == "0.90"   # the base: every line before it
    pf_id = pf["id"]
    # the percent for PF 0.00 .. 1.00 as libbill shows it (2 decimals, 0.00 not -0.00), and / 100
    pf_table = [(pct, pct / 100) for pct in (pf_percent_090(k).quantize(Decimal("0.01")) + 0
                                              for k in range(101))]
    funds = [(c["id"], dec(c["price"])) for c in charge(v, "per_kwh")]

    def bill(u):
        regs, capacity, declared, max_demand, kvarh = u
        c = declared
        floor = min_fraction * capacity
        if c < floor:
            c = floor
        top = tolerance * c
        if max_demand > top:
            amount = (top * d_price).quantize(q, mode)
            excess = max_demand - top
            excess_amount = (excess * excess_price).quantize(q, mode)
            lines = [(did, "demand", "", "", "kW", top, d_price, amount),
                     (did, "demand", "", "excess", "kW", excess, excess_price, excess_amount)]
            base = amount + excess_amount
        else:
            amount = (c * d_price).quantize(q, mode)
            lines = [(did, "demand", "", "", "kW", c, d_price, amount)]
            base = amount
        for p, name, price in period_lines:
            k = regs[p]
            amount = (k * price).quantize(q, mode)
            lines.append((eid, "energy", name, p, "kWh", k, price, amount))
            base += amount
        kwh = sum(regs.values())
        for name, price in flat_comp:
            amount = (kwh * price).quantize(q, mode)
            lines.append((eid, "energy", name, "", "kWh", kwh, price, amount))
            base += amount
        pct, fraction = pf_table[pf_hundredths(kwh, kvarh)]
        adjustment = (base * fraction).quantize(q, mode)
        lines.append((pf_id, "power_factor", "", "", "", base, pct, adjustment))
        subtotal = base + adjustment
        for fid, price in funds:
            amount = (kwh * price).quantize(q, mode)
            lines.append((fid, "per_kwh", "", "", "kWh", kwh, price, amount))
            subtotal += amount
        return Bill(lines, subtotal, (subtotal * rate / one_plus_rate).quantize(q, mode), subtotal)
    return bill


def check_itemized(name, bill, total, vat_inclusive):
    """An itemized bill's own sums, and its total against the totals-only bill's."""
    amounts = [line[7] for line in bill.lines]
    if vat_inclusive:
        ok = sum(amounts) == bill.subtotal == bill.total
    else:       # the lines before the vat line add up to the subtotal, all of them to the total
        k = [line[1] for line in bill.lines].index("tax")
        ok = (sum(amounts[:k]) == bill.subtotal and amounts[k] == bill.tax
              and sum(amounts) == bill.total)
    if not ok:
        sys.exit("bench_tariff.py: %s itemized bill does not add up: %r" % (name, bill))
    if bill.total != total:
        sys.exit("bench_tariff.py: %s itemized total %s, totals-only %s" % (name, bill.total, total))


def compare_with_billcalc(billcalc, step, tariff_dir):
    """Every step-th account's itemized bill against libbill's (`billcalc TARIFF USAGE --json`):
    the same lines in the same order (charge, kind, component, band and unit equal as text,
    quantity, unit price and amount equal as decimals), subtotal, tax and total."""
    import subprocess
    import tempfile
    period = "2025-06-01/2025-07-01"

    def regs_json(regs):
        return {p: str(k) for p, k in regs.items()}
    kinds = (
        ("residential", "cn-residential-annual-tou.json", residential_itemized_biller, residential_usage,
         lambda b, u: b(*u),
         lambda u: {"period": period, "class": "residential",
                    "tou_kwh": {"peak": str(u[0]), "valley": str(u[1])}, "ytd_kwh": str(u[2])}),
        ("commercial", "cn-commercial-tou.json", commercial_itemized_biller, commercial_usage,
         lambda b, u: b(u),
         lambda u: {"period": period, "class": "commercial", "tou_kwh": regs_json(u)}),
        ("industry", "cn-large-industry.json", industry_itemized_biller, industry_usage,
         lambda b, u: b(u),
         lambda u: {"period": period, "class": "large_industry", "tou_kwh": regs_json(u[0]),
                    "capacity_kva": str(u[1]), "declared_kw": str(u[2]), "max_demand_kw": str(u[3]),
                    "kvarh": str(u[4]), "pf_standard": "0.90"}),
    )
    bad = n_bills = n_lines = 0
    with tempfile.TemporaryDirectory() as tmp:
        usage_file = os.path.join(tmp, "usage.json")
        for name, tariff_file, biller, usage, call, usage_json in kinds:
            bill = biller(load(tariff_dir, tariff_file))
            for i in range(0, N, step):
                u = usage(i)
                with open(usage_file, "w", encoding="utf-8") as f:
                    json.dump(usage_json(u), f)
                out = subprocess.run([billcalc, os.path.join(tariff_dir, tariff_file), usage_file, "--json"],
                                     check=True, capture_output=True, text=True).stdout
                want, got = json.loads(out), call(bill, u)
                wlines = [tuple(w[f] for f in LINE_FIELDS) for w in want["lines"]]
                wlines = [w[:5] + tuple(Decimal(x) for x in w[5:]) for w in wlines]
                wsums = tuple(Decimal(want[f]) for f in ("subtotal", "tax", "total"))
                if wlines != got.lines or wsums != (got.subtotal, got.tax, got.total):
                    print("%s #%d differs:\n  libbill %r %r\n  Python  %r %r"
                          % (name, i, wlines, wsums, got.lines, (got.subtotal, got.tax, got.total)))
                    bad += 1
                n_bills += 1
                n_lines += len(wlines)
    print("%d bills (accounts 0, %d, %d, ... of each tariff), %d lines: %s"
          % (n_bills, step, 2 * step, n_lines, "%d differ" % bad if bad else "all equal to libbill's"))
    return 1 if bad else 0

def main():
    ctx = decimal.getcontext()
    ctx.prec = 60                     # every sum and product here is exact
    ctx.traps[decimal.Inexact] = False  # quantize rounds; products and sums stay exact at prec 60
    if sys.argv[1:2] == ["--billcalc"] and len(sys.argv) > 2:
        step = int(sys.argv[3]) if len(sys.argv) > 3 else 97
        sys.exit(compare_with_billcalc(sys.argv[2], step,
                                       sys.argv[4] if len(sys.argv) > 4 else "examples/tariffs"))
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    tariff_dir = sys.argv[2] if len(sys.argv) > 2 else "examples/tariffs"

    res = residential_biller(load(tariff_dir, "cn-residential-annual-tou.json"))
    com = commercial_biller(load(tariff_dir, "cn-commercial-tou.json"))
    ind = industry_biller(load(tariff_dir, "cn-large-industry.json"))
    res_items = residential_itemized_biller(load(tariff_dir, "cn-residential-annual-tou.json"))
    com_items = commercial_itemized_biller(load(tariff_dir, "cn-commercial-tou.json"))
    ind_items = industry_itemized_biller(load(tariff_dir, "cn-large-industry.json"))
    ures = [residential_usage(i) for i in range(N)]
    ucom = [commercial_usage(i) for i in range(N)]
    uind = [industry_usage(i) for i in range(N)]

    def ind_usage(regs, capacity, declared, max_demand, kvarh):
        return ({p: Decimal(r) for p, r in zip(("critical", "peak", "flat", "valley"), regs)},
                Decimal(capacity), Decimal(declared), Decimal(max_demand), Decimal(kvarh))

    # the same hand-computed bills bench_tariff.c checks
    checks = [
        (res(Decimal(300), Decimal(120), Decimal(2761)), "213.54"),
        (res(Decimal(600), Decimal(300), Decimal(4500)), "637.47"),
        (res(*ures[1]), "644.27"),
        (com({"critical": Decimal("120.5"), "peak": Decimal(1340), "flat": Decimal("1500.25"),
              "valley": Decimal(2210)}), "3422.90"),
        (com({"critical": Decimal(0), "peak": Decimal(0), "flat": Decimal(10), "valley": Decimal(0)}),
         "56.50"),
        (ind(ind_usage((60000, 300000, 400000, 440000), 3150, 2000, 2150, 712000)), "730279.56"),
        (ind(ind_usage((0, 0, 100000, 0), 5000, 1500, 2000, 20000)), "123298.75"),
        (ind(ind_usage((0, 0, 0, 200000), 2000, 1000, 1200, 240000)), "133886.00"),
    ]
    for got, want in checks:
        if str(got) != want:
            sys.exit("bench_tariff.py: a bill gives %s, computed by hand %s" % (got, want))

    # the itemized bills: each adds up, and gives the totals-only bill's total, for every account
    for i in range(N):
        check_itemized("residential #%d" % i, res_items(*ures[i]), res(*ures[i]), True)
        check_itemized("commercial #%d" % i, com_items(ucom[i]), com(ucom[i]), False)
        check_itemized("industry #%d" % i, ind_items(uind[i]), ind(uind[i]), True)

    print("Python %s decimal module (libmpdec %s): %d accounts per tariff, %.2f s per measurement"
          % (platform.python_version(), decimal.__libmpdec_version__, N, seconds))
    print("(the hand-computed bills of bench_tariff.c checked first: they agree; the itemized")
    print(" bills add up and give the same totals as the totals-only bills for all %d accounts)" % N)
    print()
    print("%-21s %14s   %s" % ("bill", "bills/s", "checksum (sum of the totals)"))
    rows = (
        ("residential", lambda: [res(p, v, y) for p, v, y in ures]),
        ("residential-itemized", lambda: [res_items(p, v, y) for p, v, y in ures]),
        ("commercial", lambda: [com(r) for r in ucom]),
        ("commercial-itemized", lambda: [com_items(r) for r in ucom]),
        ("industry", lambda: [ind(u) for u in uind]),
        ("industry-itemized", lambda: [ind_items(u) for u in uind]),
    )
    for name, fn in rows:
        bills = fn()
        checksum = sum(b.total for b in bills) if name.endswith("-itemized") else sum(bills)
        rate = measure(fn, seconds, N)
        print("%-21s %14.0f   %s" % (name, rate, checksum), flush=True)

if __name__ == "__main__":
    main()
