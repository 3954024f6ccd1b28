#!/bin/sh
# make bench: run the decimal benchmarks (C beside raw GMP, then Python's
# decimal module), the tariff benchmarks (bills/s of bill_tariff_compute
# beside a hand-written Python decimal implementation of the same bills, once
# computing only the totals and once building the same itemized bills; and of
# bill_batch_compute over the same accounts as columns, beside the totals) and
# the meter-data CSV benchmark (rows/s of the CSV reader and of the
# register-readings parser beside Python's csv module + Decimal), the billing
# benchmark (determinants + bills from a stored month beside Python's sqlite3 +
# Decimal) and importing register readings into a file store (rows/s and peak
# memory at two sizes, beside Python's sqlite3 executemany of the same rows) on
# one core, and say whether the performance targets are met.
#
#     sh bench/run.sh DIR     (DIR holds the bench_decimal, bench_tariff, bench_csv and bench_import binaries)
#
# BENCH_SECONDS sets the time per decimal measurement (default 0.25 s),
# BENCH_TARIFF_SECONDS the time per bill and CSV measurement (default 1.0 s); the whole
# run takes about 40 s. The targets are reported, not enforced: the exit status
# is non-zero only when a benchmark itself fails (or libbill's totals and
# Python's disagree).
set -u
dir=${1:?usage: sh bench/run.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
secs=${BENCH_SECONDS:-0.25}
tsecs=${BENCH_TARIFF_SECONDS:-1.0}

# Pin to the first CPU this process may use, when taskset works here.
pin=""
where="not pinned (taskset unavailable)"
if command -v taskset >/dev/null 2>&1; then
    cpu=$(taskset -cp $$ 2>/dev/null | sed 's/.*: *//; s/[-,].*//')
    if [ -n "$cpu" ] && taskset -c "$cpu" true 2>/dev/null; then
        pin="taskset -c $cpu"
        where="pinned to CPU $cpu"
    fi
fi

tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.rc" "$tmp.c" "$tmp.py"' EXIT INT TERM

echo "== libbill decimal benchmark =="
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
echo "$(uname -sm), $(nproc 2>/dev/null || echo '?') CPUs online, one thread, $where"
echo "load average $load before the run (other work on the machine lowers every number)"
echo
{ $pin "$dir/bench_decimal" "$secs"; echo $? > "$tmp.rc"; } | tee "$tmp"
if [ "$(cat "$tmp.rc")" -ne 0 ]; then
    echo "bench: $dir/bench_decimal failed" >&2
    exit 1
fi

echo
echo "== Python decimal, the same operations =="
if ! $pin "$PYTHON" "$here/bench_decimal.py" "$secs"; then
    echo "bench: bench_decimal.py failed" >&2
    exit 1
fi

echo
echo "== decimal targets =="
echo "target: >= 50 M adds/s, >= 20 M mul+round/s for small values; no worse than raw GMP for large"
awk '
    function verdict(ok) { return ok ? "met" : "NOT MET" }
    $2 == "small" && $1 == "add"       { add = $3 }
    $2 == "small" && $1 == "mul+round" { mr = $3 }
    $2 == "large" && NF == 5 && $3 ~ /^[0-9.]+$/ {
        n++
        if ($5 + 0 >= 1.0) good++
        else worse = worse sprintf(" %s %.2f", $1, $5)
    }
    END {
        if (add == "" || mr == "" || n == 0) { print "  (table not found)"; exit 1 }
        printf "  small add:        %8.1f M/s (>= 50)   %s\n", add, verdict(add + 0 >= 50)
        printf "  small mul+round:  %8.1f M/s (>= 20)   %s\n", mr, verdict(mr + 0 >= 20)
        printf "  large vs raw GMP: ratio >= 1.00 in %d of %d operations   %s\n", good, n, verdict(good == n)
        if (worse != "") printf "    slower than raw GMP:%s\n", worse
    }
' "$tmp"
status=$?

echo
echo "== libbill tariff benchmark =="
{ $pin "$dir/bench_tariff" "$tsecs" "$here/../examples/tariffs"; echo $? > "$tmp.rc"; } | tee "$tmp.c"
if [ "$(cat "$tmp.rc")" -ne 0 ]; then
    echo "bench: $dir/bench_tariff failed" >&2
    exit 1
fi

echo
echo "== Python decimal, the same bills =="
{ $pin "$PYTHON" "$here/bench_tariff.py" "$tsecs" "$here/../examples/tariffs"; echo $? > "$tmp.rc"; } | tee "$tmp.py"
if [ "$(cat "$tmp.rc")" -ne 0 ]; then
    echo "bench: bench_tariff.py failed" >&2
    exit 1
fi

echo
echo "== bills: libbill vs Python decimal =="
# Rows "NAME TARIFF RATE CHECKSUM" of bench_tariff, "NAME RATE CHECKSUM" of bench_tariff.py
# (NAME the totals-only bill, NAME-itemized the itemized one), "NAME BILLS KIB BILLS KIB flat|GREW"
# of the memory table.
if ! awk '
    function verdict(ok) { return ok ? "met" : "NOT MET" }
    FNR == 1 { file++ }
    file == 1 && NF == 4 && $3 ~ /^[0-9.]+$/ { c[$1] = $3; csum[$1] = $4; order[++n] = $1 }
    file == 1 && NF == 6 && ($6 == "flat" || $6 == "GREW") { mem[$1] = $6; rss1[$1] = $3; rss2[$1] = $5 }
    file == 1 && NF == 5 && $1 == "batch" && $3 ~ /^[0-9.]+$/ { bt[$2] = $3; bk[$2] = $4; bsum[$2] = $5 }
    file == 1 && $1 == "batch" && $2 == "memory:" { bmem = $NF }
    file == 2 && NF == 3 && $2 ~ /^[0-9.]+$/ { py[$1] = $2; psum[$1] = $3 }
    END {
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (!(k in py) || !((k "-itemized") in py)) missing = 1
        }
        if (n == 0 || missing || !("residential" in c) || !("industry" in c)) {
            print "  (tables not found)"; exit 1
        }
        printf "%-12s | %16s | %18s | %7s | %18s | %7s\n", "", "", "Python decimal", "", "Python decimal", ""
        printf "%-12s | %16s | %18s | %7s | %18s | %7s\n", "bill type", "libbill bills/s",
               "totals only", "ratio", "itemized", "ratio"
        for (i = 1; i <= n; i++) {
            k = order[i]; ki = k "-itemized"
            printf "%-12s | %16.0f | %18.0f | %6.1fx | %18.0f | %6.1fx\n", k, c[k], py[k], c[k] / py[k],
                   py[ki], c[k] / py[ki]
        }
        printf "%-12s | %16s | %18s | %7s   (a batch: bill_batch_compute over the 4096 accounts as\n", "", "libbill batch", "Python decimal", ""
        printf "%-12s | %16s | %18s | %7s    columns, every total read; the same totals)\n", "bill type", "bills/s", "totals only", "ratio"
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (k in bt)
                printf "%-12s | %16.0f | %18.0f | %6.1fx   (%d of 4096 accounts by the column kernel)\n", k, bt[k], py[k], bt[k] / py[k], bk[k]
        }
        print ""
        print "(libbill builds the itemized bill each time: every line with quantity, unit price and"
        print " amount, the subtotal, the tax and the total. Python \"totals only\" computes just each"
        print " total, with no lines and no tax part; Python \"itemized\" builds the same lines, in the"
        print " same order with equal values, the subtotal, the tax and the total, as tuples, but"
        print " no explanation texts (libbill renders those only when asked). Both Python variants are"
        print " written for these three tariffs only, with what depends on the tariff precomputed.)"
        print ""
        bad = 0
        for (i = 1; i <= n; i++) {
            k = order[i]; ki = k "-itemized"
            if (csum[k] == psum[k] && csum[k] == psum[ki] && (!(k in bsum) || bsum[k] == csum[k]))
                printf "%-12s totals agree: sum of 4096 totals %s in libbill (one at a time and batch) and both Python variants\n", k, csum[k]
            else {
                printf "%-12s TOTALS DISAGREE: libbill %s (batch %s), Python totals only %s, itemized %s\n",
                       k, csum[k], bsum[k], psum[k], psum[ki]
                bad = 1
            }
        }
        print ""
        print "== tariff targets =="
        r = c["residential"]; ratio = r / py["residential"]; iratio = r / py["residential-itemized"]
        printf "  residential bills/s on one core:   %10.0f (>= 2,000,000)   %s\n", r, verdict(r >= 2000000)
        printf "  residential one at a time vs Python totals only: %9.1fx (not like for like: lines against none)\n",
               ratio
        printf "  residential  one at a time vs Python itemized (same lines):  %9.1fx (>= 50x)   %s\n",
               iratio, verdict(iratio >= 50)
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (k == "residential") continue
            printf "  %-12s one at a time vs Python itemized (same lines): %9.1fx (>= 50x)   %s\n",
                   k, c[k] / py[k "-itemized"], verdict(c[k] / py[k "-itemized"] >= 50)
        }
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (k in bt)
                printf "  %-12s batch vs Python totals only (same totals):     %9.1fx (>= 50x)   %s\n",
                       k, bt[k] / py[k], verdict(bt[k] / py[k] >= 50)
        }
        for (i = 1; i <= n; i++) {
            k = order[i]
            printf "  memory flat, %-12s max RSS %s KiB -> %s KiB after twice the bills   %s\n",
                   k, rss1[k], rss2[k], verdict(mem[k] == "flat")
        }
        printf "  memory flat, batches (max RSS after the timed passes and as many more)   %s\n",
               verdict(bmem == "(flat)")
        g = c["industry"]
        printf "  large-industry bills/s on one core: %9.0f (>= 500,000)     %s\n", g, verdict(g >= 500000)
        printf "  large industry vs Python decimal:  %9.1fx totals only, %.1fx itemized\n",
               g / py["industry"], g / py["industry-itemized"]
        exit bad
    }
' "$tmp.c" "$tmp.py"; then
    echo "bench: libbill and the Python decimal implementation disagree (or a table is missing)" >&2
    exit 1
fi

echo
echo "== meter-data CSV: register readings =="
{ $pin "$dir/bench_csv" "$tsecs"; echo $? > "$tmp.rc"; } | tee "$tmp.c"
if [ "$(cat "$tmp.rc")" -ne 0 ]; then
    echo "bench: $dir/bench_csv failed" >&2
    exit 1
fi
{ $pin "$PYTHON" "$here/bench_csv.py" "$tsecs"; echo $? > "$tmp.rc"; } | tee "$tmp.py"
if [ "$(cat "$tmp.rc")" -ne 0 ]; then
    echo "bench: bench_csv.py failed" >&2
    exit 1
fi
echo
# Rows "csv-reader RATE", "readings-parser RATE SUM" and "python-csv-decimal RATE SUM".
if ! awk '
    function verdict(ok) { return ok ? "met" : "NOT MET" }
    $1 == "csv-reader" { rd = $2 }
    $1 == "readings-parser" { rp = $2; csum = $3 }
    $1 == "python-csv-decimal" { py = $2; psum = $3 }
    END {
        if (rd == "" || rp == "" || py == "") { print "  (table not found)"; exit 1 }
        printf "%-36s | %12s\n", "5-column register readings", "rows/s"
        printf "%-36s | %12.0f\n", "libbill CSV reader (fields only)", rd
        printf "%-36s | %12.0f  (%.1fx Python)\n", "libbill readings parser (typed rows)", rp, rp / py
        printf "%-36s | %12.0f\n", "Python csv + Decimal + fromisoformat", py
        if (csum == psum) printf "sum of the values agrees: %s in both\n", csum
        else { printf "SUMS DISAGREE: libbill %s, Python %s\n", csum, psum; exit 1 }
        print ""
        print "== CSV targets =="
        printf "  CSV reader rows/s on one core:      %9.0f (>= 1,000,000)   %s\n", rd, verdict(rd >= 1000000)
    }
' "$tmp.c" "$tmp.py"; then
    echo "bench: the CSV benchmark disagrees with Python (or a table is missing)" >&2
    exit 1
fi

echo
echo "== determinants and bills from a stored month =="
# Rows "NAME ACCOUNTS RATE CHECKSUM" and "maxrss ACCOUNTS KIB" of bench_billing at two sizes,
# "python-sqlite3-decimal ACCOUNTS RATE CHECKSUM" of bench_billing.py on the same store.
if [ -x "$dir/bench_billing" ]; then
    db=$(mktemp -u /tmp/bill-bench-billing-XXXXXX).db
    { $pin "$dir/bench_billing" 20000 "$db" && $pin "$PYTHON" "$here/bench_billing.py" "$db" 20000 \
        && $pin "$dir/bench_billing" 40000 "$db.2"; echo $? > "$tmp.rc"; } 2>/dev/null | tee "$tmp.c"
    rm -f "$db" "$db-wal" "$db-shm" "$db.2" "$db.2-wal" "$db.2-shm"
    if [ "$(cat "$tmp.rc")" -ne 0 ]; then
        echo "bench: bench_billing failed" >&2
        exit 1
    fi
    if ! awk '
        function verdict(ok) { return ok ? "met" : "NOT MET" }
        $1 == "determinants" && $2 == 20000 { d = $3 }
        $1 == "determinants+bill" && $2 == 20000 { db = $3; csum = $4 }
        $1 == "billing-run-stored" && $2 == 20000 { st = $3 }
        $1 == "determinants+bill-per-account" && $2 == 20000 { one = $3 }
        $1 == "determinants+bill-list" && $2 == 20000 { lst = $3 }
        $1 == "wall" && $3 == 20000 { wall[$2] = $4 }
        $1 == "python-sqlite3-decimal" { py = $3; psum = $4 }
        $1 == "maxrss" { rss[$2] = $3 }
        END {
            if (db == "" || py == "") { print "  (table not found)"; exit 1 }
            printf "%-48s | %10s | %10s\n", "20,000 accounts, one thread", "per CPU s", "wall-clock"
            printf "%-48s | %10.0f | %10.0f\n", "libbill determinants (each, every account)", d, wall["determinants"]
            printf "%-48s | %10.0f | %10.0f  (%.1fx Python)\n", "libbill determinants + bill (each)", db, wall["determinants+bill"], db / py
            printf "%-48s | %10.0f |\n", "libbill determinants + bill (each, a list)", lst
            printf "%-48s | %10.0f | %10.0f\n", "libbill determinants + bill (one at a time)", one, wall["determinants+bill-per-account"]
            printf "%-48s | %10.0f | %10.0f\n", "libbill billing run, bills and lines stored", st, wall["billing-run-stored"]
            printf "%-48s | %10.0f |\n", "Python sqlite3 + Decimal, determinants + bill", py
            if (csum == psum) printf "sum of the totals agrees: %s in both\n", csum
            else { printf "TOTALS DISAGREE: libbill %s, Python %s\n", csum, psum; exit 1 }
            print ""
            print "== billing targets =="
            printf "  determinants + bill accounts/s:   %9.0f (>= 200,000)   %s\n", db, verdict(db >= 200000)
            printf "  max RSS 20,000 accounts %s KiB, 40,000 accounts %s KiB\n", rss[20000], rss[40000]
        }
    ' "$tmp.c"; then
        echo "bench: the billing benchmark disagrees with Python (or a table is missing)" >&2
        exit 1
    fi
fi
echo
echo "== importing register readings into a file store (WAL) =="
# Rows "libbill-import N rows M meters: wall T s R rows/s, cpu T s R rows/s, max RSS X MiB" at two
# sizes (each in its own process, so max RSS is per size), then Python's executemany of the
# larger file. The rate on one core is the CPU-time rate; the wall-clock rate also shows
# what the other work on the machine took.
idir=$(mktemp -d)
isizes=${BENCH_IMPORT_ROWS:-"200000 1000000"}
: > "$tmp.c"
for n in $isizes; do
    { $pin "$dir/bench_import" "$idir" "$n" 20000; echo $? > "$tmp.rc"; } | tee -a "$tmp.c"
    if [ "$(cat "$tmp.rc")" -ne 0 ]; then
        echo "bench: $dir/bench_import failed" >&2
        rm -rf "$idir"
        exit 1
    fi
    last=$n
done
{ $pin "$PYTHON" "$here/bench_import.py" "$idir/readings-$last.csv" "$last" 20000; echo $? > "$tmp.rc"; } | tee "$tmp.py"
if [ "$(cat "$tmp.rc")" -ne 0 ]; then
    echo "bench: bench_import.py failed" >&2
    rm -rf "$idir"
    exit 1
fi
rm -rf "$idir"
echo
awk '
    function verdict(ok) { return ok ? "met" : "NOT MET" }
    function num(s) { gsub(/[^0-9.]/, "", s); return s + 0 }
    FNR == 1 { file++ }
    file == 1 && $1 == "libbill-import" { k++; rows[k] = $2; cpu[k] = num($14); wall[k] = num($9); rss[k] = num($18) }
    file == 2 && $1 == "python-executemany" { pcpu = num($14); pwall = num($9) }
    END {
        if (k == 0 || pcpu == 0) { print "  (table not found)"; exit 1 }
        print "== import targets =="
        printf "  rows/s on one core (CPU time), %d rows: %9.0f (>= 300,000)   %s\n", rows[k], cpu[k], verdict(cpu[k] >= 300000)
        printf "  wall-clock rows/s, %d rows:             %9.0f (on this machine now)\n", rows[k], wall[k]
        printf "  Python sqlite3 executemany, same rows:  %9.0f rows/s CPU, %.0f wall (no validation)\n", pcpu, pwall
        if (k > 1)
            printf "  memory bounded: max RSS %.1f MiB at %d rows, %.1f MiB at %d rows   %s\n",
                   rss[1], rows[1], rss[k], rows[k], verdict(rss[k] <= rss[1] * 1.25 + 4)
    }
' "$tmp.c" "$tmp.py"
exit $status
