#!/usr/bin/python3
"""Register-reading CSV throughput of Python's csv module + decimal, for comparison with bench_csv.c.

The same text as bench_csv.c (same formula), read with csv.reader over the text in memory;
each row is checked the way the C parser checks it, in plain Python: five fields, serial and
register non-empty, read_at a date (datetime.date.fromisoformat) or a date-time
(datetime.datetime.fromisoformat), value a non-negative decimal.Decimal, kind actual or
estimated. The values are summed exactly. Prints "python-csv-decimal ROWS/S SUM".

Usage: bench_csv.py [seconds-per-measurement]   (default 1.0)
"""
import csv
import datetime
import io
import sys
import time
from decimal import Decimal

N = 200000


def make_text():
    regs = ("total", "peak", "flat", "valley")
    out = ["meter_serial,register,read_at,value,kind\n"]
    for i in range(N):
        v = (i * 7919) % 1000000
        kind = "estimated" if i % 5 == 0 else "actual"
        if i % 3 == 1:
            when = "2026-01-%02dT%02d:%02d" % (1 + i % 28, i % 24, (i % 4) * 15)
        else:
            when = "2026-01-%02d" % (1 + i % 28)
        out.append("M-%06d,%s,%s,%d.%d,%s\n" % (i, regs[i % 4], when, v // 10, v % 10, kind))
    return "".join(out)


def parse(text):
    total = Decimal(0)
    rows = 0
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader)
    col = {name: i for i, name in enumerate(header)}
    s, r, w, v, k = (col["meter_serial"], col["register"], col["read_at"], col["value"], col["kind"])
    for row in reader:
        if len(row) != len(header) or not row[s] or not row[r]:
            raise ValueError(row)
        when = row[w]
        if len(when) == 10:
            datetime.date.fromisoformat(when)
        else:
            datetime.datetime.fromisoformat(when)
        value = Decimal(row[v])
        if value < 0 or row[k] not in ("actual", "estimated"):
            raise ValueError(row)
        total += value
        rows += 1
    return rows, total


def main():
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    text = make_text()
    passes = 0
    t0 = time.perf_counter()
    while True:
        rows, total = parse(text)
        passes += 1
        t = time.perf_counter() - t0
        if t >= secs:
            break
    assert rows == N
    print("python-csv-decimal %.0f %s" % (passes * N / t, total))


if __name__ == "__main__":
    main()
