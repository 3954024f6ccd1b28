#!/bin/sh
# tools/stage.sh LOG CMD...: run one stage of `make check`, showing its output
# and keeping a copy in LOG for tools/check-summary.sh; exits with CMD's status.
log=$1; shift
mkdir -p "$(dirname "$log")"
rcfile="$log.rc"
{ "$@"; echo $? > "$rcfile"; } 2>&1 | tee "$log"
rc=$(cat "$rcfile")
rm -f "$rcfile"
exit "$rc"
