#!/bin/sh
# make check-examples: run every example program and compare its standard
# output, byte for byte, with examples/expected/<name>.txt.
#
#     sh tests/run_examples.sh DIR     (DIR holds the built examples)
#
# A program is an executable in DIR with a source examples/<name>.c. The
# programs run from the repository root; the demo gets the examples folder
# as its argument. Prints "examples: N passed, N failed" and exits non-zero
# when anything failed. After checking a new output by hand, accept it with
#     build/examples/<name> [args] > examples/expected/<name>.txt
set -u
dir=${1:?usage: sh tests/run_examples.sh DIR}
dir=$(cd "$dir" && pwd) || exit 1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

args_for() {
    case "$1" in
        demo) echo "examples" ;;
        *) echo "" ;;
    esac
}

passed=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM

for src in examples/*.c; do
    [ -e "$src" ] || continue
    name=$(basename "$src" .c)
    bin="$dir/$name"
    want="examples/expected/$name.txt"
    if [ ! -x "$bin" ]; then
        echo "FAIL $name: $bin was not built"
        failed=$((failed + 1))
        continue
    fi
    if [ ! -f "$want" ]; then
        echo "FAIL $name: no expected output $want"
        failed=$((failed + 1))
        continue
    fi
    # shellcheck disable=SC2046  # the arguments are words on purpose
    "$bin" $(args_for "$name") > "$out"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $name: exit status $rc"
        failed=$((failed + 1))
    elif ! cmp -s "$want" "$out"; then
        echo "FAIL $name: output differs from $want:"
        diff -u "$want" "$out" | head -40
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done

echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
