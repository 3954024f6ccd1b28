#!/usr/bin/python3
"""Decimal throughput of Python's decimal module, for comparison with bench_decimal.c.

The same operations on values of the same shape as the C benchmark: small values
(amounts like 12345.67, quantities like 3120.45, prices like 0.5283) and large ones
(40 digits, 10 after the point); parse, add, multiply, multiply-and-round (to 2
decimals, HALF_UP), divide-with-rounding (to 4 decimals, HALF_UP) and format. Lists
of 4096 values are built first; each timing runs whole passes over them with the
cheapest loop Python offers (map with an operator where there is one), so the
interpreter's loop overhead is included, as it is in any Python program.

Usage: bench_decimal.py [seconds-per-measurement]   (default 0.25)
"""
import decimal
import operator
import platform
import random
import sys
from decimal import Decimal, ROUND_HALF_UP

from benchutil import measure

N = 4096
CENT = Decimal("0.01")
Q4 = Decimal("0.0001")


def small_set(rnd):
    a = ["%d.%02d" % (rnd.randrange(100000), rnd.randrange(100)) for _ in range(N)]
    b = ["%d.%02d" % (1 + rnd.randrange(9999), rnd.randrange(100)) for _ in range(N)]
    p = ["0.%04d" % (3000 + rnd.randrange(7000)) for _ in range(N)]
    return a, b, p, b


def big_text(rnd):
    sign = "-" if rnd.randrange(4) == 0 else ""
    digits = str(1 + rnd.randrange(9)) + "".join(str(rnd.randrange(10)) for _ in range(39))
    return sign + digits[:30] + "." + digits[30:]


def large_set(rnd):
    a = [big_text(rnd) for _ in range(N)]
    b = [big_text(rnd) for _ in range(N)]
    return a, b, a, b


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 0.25
    ctx = decimal.getcontext()
    ctx.prec = 100          # every sum and product here is exact
    ctx.traps[decimal.Inexact] = False
    rnd = random.Random(20250915)

    print("Python %s decimal module (libmpdec %s): %d values per list, %.2f s per measurement"
          % (platform.python_version(), decimal.__libmpdec_version__, N, seconds))
    print("(map/comprehension loops: interpreter overhead included)")
    print()
    print("%-12s %-6s %15s" % ("operation", "size", "Decimal Mops/s"))
    for name, (a_txt, b_txt, ma_txt, mb_txt) in (("small", small_set(rnd)), ("large", large_set(rnd))):
        a = [Decimal(s) for s in a_txt]
        b = [Decimal(s) for s in b_txt]
        ma = [Decimal(s) for s in ma_txt]
        mb = [Decimal(s) for s in mb_txt]
        ops = [
            ("parse", lambda: list(map(Decimal, a_txt))),
            ("add", lambda: list(map(operator.add, a, b))),
            ("mul", lambda: list(map(operator.mul, ma, mb))),
            ("mul+round", lambda: [(x * y).quantize(CENT, ROUND_HALF_UP) for x, y in zip(ma, mb)]),
            ("div+round", lambda: [(x / y).quantize(Q4, ROUND_HALF_UP) for x, y in zip(a, b)]),
            ("format", lambda: list(map(str, a))),
        ]
        # the texts come back unchanged
        assert list(map(str, a)) == a_txt
        for op, fn in ops:
            print("%-12s %-6s %15.2f" % (op, name, measure(fn, seconds, N) / 1e6), flush=True)


if __name__ == "__main__":
    main()
