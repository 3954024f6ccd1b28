"""The straightforward alternative for bench_billing: Python's sqlite3 and
decimal, per account the same determinants (cycle readings of the peak and
valley registers, advance x multiplier) and the same bill (peak at 0.5583,
valley at 0.5583 x 0.5, each line rounded HALF_UP to 0.01, plus 5.00 a month).

    python3 bench/bench_billing.py PATH N

Prints "python-sqlite3-decimal N RATE CHECKSUM" (the sum of the totals); the
rate is per second of the process's CPU time, like bench_billing's.
"""
import sqlite3
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

PRICE = Decimal("0.5583")
RATIO = {"peak": Decimal("1.0"), "valley": Decimal("0.5")}
CENT = Decimal("0.01")
FIXED = Decimal("5.00")
START, END = 20240 * 1440, 20270 * 1440  # 2025-06-01 and 2025-07-01 in minutes


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    db = sqlite3.connect(path)
    q = ("SELECT g.code, r.read_at, r.value, "
         " (SELECT multiplier FROM multipliers x WHERE x.meter_id = m.id"
         "  ORDER BY effective_from DESC LIMIT 1)"
         " FROM accounts a JOIN link_shares ls ON ls.account_id = a.id"
         " JOIN links l ON l.id = ls.link_id JOIN meters m ON m.id = l.meter_id"
         " JOIN registers g ON g.meter_id = m.id JOIN readings r ON r.register_id = g.id"
         " WHERE a.reference = ? AND r.read_at IN (?, ?)")
    total_sum = Decimal(0)
    t0 = time.process_time()
    for i in range(n):
        start, end, mult = {}, {}, Decimal(1)
        for code, at, value, m in db.execute(q, ("ACC-%07d" % i, START, END)):
            (start if at == START else end)[code] = Decimal(value)
            if m is not None:
                mult = Decimal(m)
        total = FIXED
        for code in ("peak", "valley"):
            kwh = (end[code] - start[code]) * mult
            price = PRICE * RATIO[code]
            total += (kwh * price).quantize(CENT, rounding=ROUND_HALF_UP)
        total_sum += total
    dt = time.process_time() - t0
    print("python-sqlite3-decimal %d %.0f %s" % (n, n / dt, total_sum))


if __name__ == "__main__":
    main()
