"""Shared by the Python benchmarks (bench_decimal.py, bench_tariff.py): the timing loop."""
import time


def measure(fn, seconds, per_pass):
    """Operations per second of fn(), which does per_pass operations: one warm-up call, then
    whole calls until `seconds` have passed (time.perf_counter)."""
    fn()  # warm up
    passes = 0
    t0 = time.perf_counter()
    while True:
        fn()
        passes += 1
        t = time.perf_counter()
        if t - t0 >= seconds:
            return passes * per_pass / (t - t0)
