#!/bin/sh
# make check-examples: run every example program and compare its standard
# output, byte for byte, with examples/expected/<name>.txt.
#
#     sh tests/run_examples.sh DIR     (DIR holds the built examples)
#
# A program is an executable in DIR with a source examples/<name>.c. The
# programs run from the repository root; the demo gets the examples folder
# as its argument. A program may also be run several times with other
# arguments: each line of examples/args/<name>.txt is one run's arguments,
# and run k (from 1) is compared with examples/expected/<name>.<k>.txt.
# Prints "examples: N passed, N failed" and exits non-zero when anything
# failed. After checking a new output by hand, accept it with
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

# run_one NAME BIN WANT ARGS...: run BIN with ARGS, compare with WANT
run_one() {
    name=$1 bin=$2 want=$3
    shift 3
    if [ ! -f "$want" ]; then
        echo "FAIL $name: no expected output $want"
        failed=$((failed + 1))
        return
    fi
    "$bin" "$@" < /dev/null > "$out"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $name $*: exit status $rc"
        failed=$((failed + 1))
    elif ! cmp -s "$want" "$out"; then
        echo "FAIL $name $*: output differs from $want:"
        diff -u "$want" "$out" | head -40
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
}

for src in examples/*.c; do
    [ -e "$src" ] || continue
    name=$(basename "$src" .c)
    bin="$dir/$name"
    if [ ! -x "$bin" ]; then
        echo "FAIL $name: $bin was not built"
        failed=$((failed + 1))
        continue
    fi
    if [ -f "examples/args/$name.txt" ]; then
        k=0
        while IFS= read -r line || [ -n "$line" ]; do
            [ -n "$line" ] || continue
            k=$((k + 1))
            # shellcheck disable=SC2086  # the arguments are words on purpose
            run_one "$name" "$bin" "examples/expected/$name.$k.txt" $line
        done < "examples/args/$name.txt"
        continue
    fi
    # shellcheck disable=SC2046  # the arguments are words on purpose
    run_one "$name" "$bin" "examples/expected/$name.txt" $(args_for "$name")
done

echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
