#!/usr/bin/env python3
"""Generate examples/usage/us-tou-demand-july-intervals.json: a month of
15-minute interval data for the US example tariff, deterministically.

Only integer and Decimal arithmetic: the load in tenths of a kW comes from a
daily shape plus a small linear-congruential "noise", and each interval's kWh
is kW x 15 / 60, exact. Run from the repository root:

    python3 tools/gen-intervals.py > examples/usage/us-tou-demand-july-intervals.json

The generator knows weekends but not holidays (a plant that runs on 4 July
like any Friday); the calendar given to billcalc decides how that day is priced.
"""
import datetime
from decimal import Decimal

START = datetime.date(2025, 7, 1)
DAYS = 31
MINUTES = 15


def lcg(state):
    return (state * 1103515245 + 12345) % (1 << 31)


def main():
    state = 20250701
    values = []
    for d in range(DAYS):
        day = START + datetime.timedelta(days=d)
        weekend = day.isoweekday() >= 6
        for k in range(24 * 60 // MINUTES):
            hour = k * MINUTES // 60
            if weekend:
                tenths = 1100
            elif 8 <= hour < 12 or 18 <= hour < 22:
                tenths = 2600
            elif 12 <= hour < 18:
                tenths = 3200
            else:
                tenths = 1300
            state = lcg(state)
            tenths += (state >> 16) % 400          # 0 .. 39.9 kW of noise
            kwh = Decimal(tenths) / 10 * MINUTES / 60
            values.append(str(kwh.normalize()) if kwh == kwh.to_integral() else str(kwh))
    lines = []
    for i in range(0, len(values), 12):
        lines.append("    " + ", ".join('"%s"' % v for v in values[i:i + 12]))
    print('{"period": "2025-07-01/2025-08-01", "class": "commercial",')
    print(' "prior_peaks_kw": [{"month": "2024-12", "kw": "385"}, {"month": "2025-06", "kw": "410"}],')
    print(' "intervals": {"start": "2025-07-01T00:00", "minutes": %d, "kwh": [' % MINUTES)
    print(",\n".join(lines))
    print("  ]}}")


if __name__ == "__main__":
    main()
