#!/usr/bin/python3
"""Generate the example data of `make demo` (examples/data/demo/).

    /usr/bin/python3 tools/gen-demo-data.py [OUT-DIR]   (default examples/data/demo)

Deterministic: a fixed-seed linear congruential generator, integer and
Decimal arithmetic only (no float, no clock). Running it again writes the same
bytes. Files:

  registry.csv   accounts, meters, links, a shared link and a master/sub pair,
                 one record a line (the format is described in its header and
                 read by examples/demo.c)
  readings.csv   a year (2025) of monthly cycle readings at 00:00 of the 1st,
                 2025-01-01 .. 2026-01-01, in the register-readings format of
                 docs/readings-csv.md, then some bad rows
  readings-late.csv  the late corrected reading of the account the bad rows
                 left without its end reading
  audit.csv      a field audit (docs/verification.md) on 2026-01-10

Residential accounts R-0001..R-0200 are on cn-residential-annual (annual tiers:
the billing run takes their year-to-date from the 2025-01-01 readings; every
25th account heats electrically and passes the tier thresholds by December),
the others on cn-residential-monthly-seasonal.
"""
import os
import sys
from decimal import Decimal

OUT = sys.argv[1] if len(sys.argv) > 1 else "examples/data/demo"

N_RES, N_COM, N_IND = 270, 24, 6
N_ANNUAL = 200  # residential accounts R-0001..R-0200 on cn-residential-annual
OPEN = "9999-12-31"
INSTALLED = "2024-01-01"
CYCLE = ["2025-%02d-01" % m for m in range(1, 13)] + ["2026-01-01"]


class Rng:
    """A 64-bit LCG (Knuth's MMIX constants), seeded once."""

    def __init__(self, seed):
        self.x = seed

    def below(self, n):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.x >> 33) % n


rng = Rng(20250101)

# Residential monthly use in kWh for one person, Jan..Dec (summer and winter peaks).
SEASON = [150, 130, 110, 95, 100, 150, 210, 220, 150, 100, 110, 140]

accounts = []   # (ref, class, tariff, household, capacity, declared, pf)
meters = []     # (serial, digits, multiplier, installed, removed, registers)
links = []      # (serial, ref, from, to)
shared = []     # (serial, [(ref, ratio)], from, to)
subs = []       # (master, sub, from, to)
readings = {}   # (serial, register) -> [(date, Decimal)]
audit_rows = []


def res_ref(i):
    return "R-%04d" % i


def res_meter(i):
    return "E-R%04d" % i


def series(start, advances):
    """Register values: start, then start + the running sum of advances."""
    out = [start]
    for a in advances:
        out.append(out[-1] + a)
    return out


def wrap(values, digits):
    mod = Decimal(10) ** digits
    return [v % mod for v in values]


# ---- residential ------------------------------------------------------------------
adv_of = {}
for i in range(1, N_RES + 1):
    hh = 1 + rng.below(5)
    # R-0001..R-0200 on annual tiers (year-to-date from the 2025-01-01 readings), the rest
    # on monthly tiers
    tariff = "cn-residential-annual" if i <= N_ANNUAL else "cn-residential-monthly-seasonal"
    accounts.append((res_ref(i), "residential", tariff, hh, "", "", ""))
    scale = 60 + 10 * hh + rng.below(40)          # percent of the one-person profile
    adv = [Decimal(SEASON[m] * scale // 100 + rng.below(30)) for m in range(12)]
    if i == 150:                                   # a vacant flat: nothing used Mar..Jul
        for m in range(2, 7):
            adv[m] = Decimal(0)
    if i == 160:                                   # a new electric heater in November
        adv[10] = adv[10] * 6
    if i % 25 == 0:                                # electric heating: twice the use, the
        adv = [a * 2 for a in adv]                 # year passes the annual tier thresholds
    adv_of[i] = adv
    start = Decimal(1000 + rng.below(20000))
    if i in (40, 41, 42):                          # old registers that wrap in December
        start = Decimal(10) ** 6 - sum(adv[:11]) - 1 - rng.below(50)
    readings[(res_meter(i), "total")] = list(zip(CYCLE, wrap(series(start, adv), 6)))
    meters.append((res_meter(i), 6, "1", INSTALLED, "", "total:energy"))
    links.append((res_meter(i), res_ref(i), INSTALLED, OPEN))

# Master/sub: R-0001's meter is the master, R-0002's hangs under it (a flat let
# in the owner's house); the master counts both, R-0001 pays master minus sub.
m1 = [a + b for a, b in zip(adv_of[1], adv_of[2])]
v0 = readings[(res_meter(1), "total")][0][1]
readings[(res_meter(1), "total")] = list(zip(CYCLE, wrap(series(v0, m1), 6)))
subs.append((res_meter(1), res_meter(2), INSTALLED, OPEN))

# A shared meter (stairwell lights and the lift) split 1/2 : 1/2 between R-0003 and R-0004.
meters.append(("E-SH01", 6, "1", INSTALLED, "", "total:energy"))
shared.append(("E-SH01", [("R-0003", "0.5"), ("R-0004", "0.5")], INSTALLED, OPEN))
readings[("E-SH01", "total")] = list(zip(CYCLE, series(Decimal(4321), [Decimal(41 + rng.below(20)) for _ in range(12)])))

# A meter exchange: R-0005's meter is replaced on 2025-07-15 (final reading of the old
# one and initial reading of the new one, both at 00:00 of that day).
old = readings[(res_meter(5), "total")]
half = adv_of[5][6] // 2
final = old[6][1] + half
meters[4] = (res_meter(5), 6, "1", INSTALLED, "2025-07-15", "total:energy")
links[4] = (res_meter(5), "R-0005", INSTALLED, "2025-07-15")
readings[(res_meter(5), "total")] = old[:7] + [("2025-07-15", final)]
meters.append(("E-R0005N", 6, "1", "2025-07-15", "", "total:energy"))
links.append(("E-R0005N", "R-0005", "2025-07-15", OPEN))
new = [("2025-07-15", Decimal(0))]
v = adv_of[5][6] - half
for m in range(7, 13):
    new.append((CYCLE[m], v))
    if m < 12:
        v += adv_of[5][m]
readings[("E-R0005N", "total")] = new

# ---- commercial, single-part TOU ----------------------------------------------------
for i in range(1, N_COM + 1):
    ref, serial = "C-%03d" % i, "E-C%03d" % i
    accounts.append((ref, "commercial", "cn-commercial-tou", 1, "", "", ""))
    meters.append((serial, 7, "1", INSTALLED, "", "peak:energy flat:energy valley:energy"))
    links.append((serial, ref, INSTALLED, OPEN))
    base = 2000 + rng.below(6000)
    for reg, share in (("peak", 35), ("flat", 40), ("valley", 25)):
        adv = [Decimal(base * share // 100 + rng.below(200)) + Decimal(rng.below(10)) / 10
               for _ in range(12)]
        readings[(serial, reg)] = list(zip(CYCLE, series(Decimal(10000 + rng.below(90000)), adv)))

# ---- large industry, two-part with CT/PT -----------------------------------------
for i in range(1, N_IND + 1):
    ref, serial = "I-%02d" % i, "E-I%02d" % i
    cap = [3150, 2000, 5000, 4000, 6300, 3150][i - 1]
    declared = cap * 6 // 10
    accounts.append((ref, "large_industry", "cn-large-industry", 1, str(cap), str(declared), "0.90"))
    # CT 300/5 x PT 10000/100: multiplier 60 x 100 = 6000.
    meters.append((serial, 6, "6000", INSTALLED, "",
                   "peak:energy flat:energy valley:energy kvarh:reactive max_demand:demand"))
    links.append((serial, ref, INSTALLED, OPEN))
    monthly = cap * 300                             # kWh a month, roughly
    for reg, share in (("peak", 30), ("flat", 40), ("valley", 30)):
        adv = [Decimal(monthly * share // 100 + rng.below(monthly // 10)) / 6000 for _ in range(12)]
        adv = [a.quantize(Decimal("0.01")) for a in adv]
        readings[(serial, reg)] = list(zip(CYCLE, series(Decimal(1000 + rng.below(5000)), adv)))
    # kvarh: power factor between about 0.85 and 0.95 (kvarh = kWh x 35..60 %).
    kwh = [sum(readings[(serial, r)][m + 1][1] - readings[(serial, r)][m][1]
               for r in ("peak", "flat", "valley")) for m in range(12)]
    kv = [(k * (35 + rng.below(26)) / 100).quantize(Decimal("0.01")) for k in kwh]
    readings[(serial, "kvarh")] = list(zip(CYCLE, series(Decimal(500 + rng.below(2000)), kv)))
    # Maximum demand since the last reset, read at each cycle (kW / 6000).
    md = [(Decimal(declared * (80 + rng.below(35))) / 100 / 6000).quantize(Decimal("0.0001"))
          for _ in range(13)]
    readings[(serial, "max_demand")] = list(zip(CYCLE, md))

# ---- files ---------------------------------------------------------------------------
os.makedirs(OUT, exist_ok=True)


def write(name, text):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


reg = ["# The registry of the `make demo` store, generated by tools/gen-demo-data.py.",
       "# One record a line, fields separated by commas, read in order:",
       "#   account,REF,CLASS,TARIFF,HOUSEHOLD,CAPACITY_KVA,DECLARED_KW,PF_STANDARD",
       "#   meter,SERIAL,DIGITS,MULTIPLIER,INSTALLED,REMOVED,REGISTERS (code:kind, blank-separated)",
       "#   link,SERIAL,REF,FROM,TO",
       "#   shared,SERIAL,REF:RATIO REF:RATIO...,FROM,TO",
       "#   sub,MASTER,SUB,FROM,TO",
       "# Empty fields take the library's defaults; TO 9999-12-31 is open."]
for a in accounts:
    reg.append("account,%s,%s,%s,%d,%s,%s,%s" % a)
for m in meters:
    reg.append("meter,%s,%d,%s,%s,%s,%s" % m)
for l in links:
    reg.append("link,%s,%s,%s,%s" % l)
for s in shared:
    reg.append("shared,%s,%s,%s,%s" % (s[0], " ".join("%s:%s" % p for p in s[1]), s[2], s[3]))
for s in subs:
    reg.append("sub,%s,%s,%s,%s" % s)
write("registry.csv", "\n".join(reg) + "\n")

rows = ["meter_serial,register,read_at,value,kind,source"]
BROKEN = "E-R0200"     # its 2026-01-01 reading arrives malformed (fixed in readings-late.csv)
late = None
for (serial, r), vals in sorted(readings.items()):
    for d, v in vals:
        if serial == BROKEN and d == "2026-01-01":
            late = "%s,%s,%s,%s,actual,route %s" % (serial, r, d, v, serial[-1])
            continue
        rows.append("%s,%s,%s,%s,actual,route %s" % (serial, r, d, v, serial[-1]))
dec_r = readings[(res_meter(100), "total")]
conf_r = readings[(res_meter(101), "total")]
rows += [
    "E-X9999,total,2025-12-01,1234,actual,route 9",                 # unknown meter
    "%s,total,2025-12-15,%s,actual,route 0" % (res_meter(100), dec_r[11][1] - 7),   # decrease
    "%s,total,2025-12-01,%s,actual,route 1" % (res_meter(101), conf_r[11][1] + 3),  # conflict
    "%s,total,2025-12-01,%s,actual,route 2" % (res_meter(102), readings[(res_meter(102), "total")][11][1]),  # duplicate
    "%s,total,2026-02-01,%s,actual,route 3" % (res_meter(103), readings[(res_meter(103), "total")][12][1] + 90),  # future
    "%s,total,2026-01-01,12O5,actual,route 0" % BROKEN,            # malformed value
    "E-R0005,total,2025-08-01,%s,actual,route 5" % (final + 40),   # after the removal
]
write("readings.csv", "\n".join(rows) + "\n")
write("readings-late.csv", "meter_serial,register,read_at,value,kind,source\n" + late + "\n")


# Field audit on 2026-01-10: the end reading plus nine days of use.
def audit_value(serial, extra):
    return readings[(serial, "total")][-1][1] + extra


audit = ["meter_serial,found_account,found_address,reading,read_on"]
for i in range(10, 30):
    if i in (20, 21, 25):
        continue
    audit.append("%s,%s,,%s,2026-01-10" % (res_meter(i), res_ref(i), audit_value(res_meter(i), 30 + i)))
# A swap: R-0020's meter hangs at R-0021 and the other way round; the readings fit.
audit.append("%s,R-0021,,%s,2026-01-10" % (res_meter(20), audit_value(res_meter(20), 35)))
audit.append("%s,R-0020,,%s,2026-01-10" % (res_meter(21), audit_value(res_meter(21), 41)))
# R-0025's meter found at R-0030 (R-0025 itself was not visited).
audit.append("%s,R-0030,,%s,2026-01-10" % (res_meter(25), audit_value(res_meter(25), 28)))
# A meter the registry does not know, at R-0031.
audit.append("E-X0777,R-0031,,5021,2026-01-10")
# A reading below the history (a replaced register the office was not told about).
audit.append("%s,R-0032,,%s,2026-01-10" % (res_meter(32), audit_value(res_meter(32), -400)))
# An implausible jump: 9 days worth a year.
audit.append("%s,R-0033,,%s,2026-01-10" % (res_meter(33), audit_value(res_meter(33), 4000)))
# Only an address (no account on the door).
audit.append('%s,,"Block 7, Flat 12",%s,2026-01-10' % (res_meter(34), audit_value(res_meter(34), 30)))
write("audit.csv", "\n".join(audit) + "\n")
