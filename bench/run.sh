#!/bin/sh
# make bench: run the decimal benchmarks (C beside raw GMP, then Python's
# decimal module) on one core and say whether the performance targets are met.
#
#     sh bench/run.sh DIR     (DIR holds the bench_decimal binary)
#
# BENCH_SECONDS sets the time per measurement (default 0.25 s; the whole run
# takes about 15 s). The targets are reported, not enforced: the exit status
# is non-zero only when a benchmark itself fails.
set -u
dir=${1:?usage: sh bench/run.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
secs=${BENCH_SECONDS:-0.25}

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
trap 'rm -f "$tmp" "$tmp.rc"' EXIT INT TERM

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
echo "== targets =="
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
