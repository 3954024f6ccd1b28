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

All accounts bill June 2025 (one whole month, no tariff change, no new year). The usage
values come from the same integer formulas as bench_tariff.c. Prints, per bill type, the
bills per second (whole passes over the 4096 accounts, for about the given time) and the
sum of the 4096 totals, which bench/run.sh compares with libbill's.

Usage: bench_tariff.py [seconds-per-measurement [TARIFF-DIR]]   (defaults 1.0, examples/tariffs)
"""
import decimal
import json
import os
import platform
import sys
from decimal import Decimal, ROUND_HALF_UP

from benchutil import measure

N = 4096


def load(tariff_dir, name):
    with open(os.path.join(tariff_dir, name), encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal)


def dec(x):
    return x if isinstance(x, Decimal) else Decimal(str(x))


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


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    tariff_dir = sys.argv[2] if len(sys.argv) > 2 else "examples/tariffs"
    ctx = decimal.getcontext()
    ctx.prec = 60                     # every sum and product here is exact
    ctx.traps[decimal.Inexact] = False  # quantize rounds; products and sums stay exact at prec 60

    res = residential_biller(load(tariff_dir, "cn-residential-annual-tou.json"))
    com = commercial_biller(load(tariff_dir, "cn-commercial-tou.json"))
    ind = industry_biller(load(tariff_dir, "cn-large-industry.json"))
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

    print("Python %s decimal module (libmpdec %s): %d accounts per tariff, %.2f s per measurement"
          % (platform.python_version(), decimal.__libmpdec_version__, N, seconds))
    print("(the hand-computed bills of bench_tariff.c checked first: they agree)")
    print()
    print("%-12s %14s   %s" % ("bill", "bills/s", "checksum (sum of the totals)"))
    rows = (
        ("residential", lambda: [res(p, v, y) for p, v, y in ures]),
        ("commercial", lambda: [com(r) for r in ucom]),
        ("industry", lambda: [ind(u) for u in uind]),
    )
    for name, fn in rows:
        checksum = sum(fn())
        rate = measure(fn, seconds, N)
        print("%-12s %14.0f   %s" % (name, rate, checksum), flush=True)


if __name__ == "__main__":
    main()
