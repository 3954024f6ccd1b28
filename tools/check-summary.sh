#!/bin/sh
# tools/check-summary.sh LOGDIR: add up what every stage of `make check` counted
# and print one closing line "check: N passed, N failed".
d=$1
sum() { awk -v re="$2" '{ if (match($0, re)) { split(substr($0, RSTART, RLENGTH), a, " "); s += a[1] } } END { print s + 0 }' "$1" 2>/dev/null || echo 0; }
p=0; f=0
for st in unit asan dectest; do
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$d/$st.log" | tail -n 1)
    p=$((p + $(echo "$line" | awk '{print $1+0}'))); f=$((f + $(echo "$line" | awk '{print $3+0}')))
done
ex=$(grep -E '^examples: [0-9]+ passed, [0-9]+ failed' "$d/examples.log" | tail -n 1)
p=$((p + $(echo "$ex" | awk '{print $2+0}'))); f=$((f + $(echo "$ex" | awk '{print $4+0}')))
fz=$(sum "$d/fuzz.log" '[0-9]+ inputs')
p=$((p + fz))
py=$(grep -E '[0-9]+ passed' "$d/python.log" | tail -n 1)
p=$((p + $(echo "$py" | sed -n 's/.* \([0-9][0-9]*\) passed.*/\1/p;s/^\([0-9][0-9]*\) passed.*/\1/p' | head -n 1 | awk '{print $1+0}')))
pyf=$(echo "$py" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p' | head -n 1)
f=$((f + ${pyf:-0}))
jp=$(sed -n 's/.*\[ *\([0-9][0-9]*\) tests successful.*/\1/p' "$d/java.log" | tail -n 1)
jf=$(sed -n 's/.*\[ *\([0-9][0-9]*\) tests failed.*/\1/p' "$d/java.log" | tail -n 1)
p=$((p + ${jp:-0})); f=$((f + ${jf:-0}))
echo "C unit $(grep -E '^[0-9]+ passed' "$d/unit.log" | tail -n 1); fuzz inputs replayed $fz; python: $(echo "$py" | sed 's/=//g'); java: ${jp:-0} successful, ${jf:-0} failed"
echo "check: $p passed, $f failed"
[ "$f" -eq 0 ]
