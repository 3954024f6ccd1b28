#!/bin/sh
# Regenerate libbill/exports.txt from the BILL_EXTERN declarations of the
# public headers. `make check-exports` compares the shared library with it.
cd "$(dirname "$0")/.." || exit 1
cat include/bill/*.h | tr '\n' ' ' | sed 's/;/;\n/g' | grep 'BILL_EXTERN' \
  | sed -n 's/.*[ *]\(bill_[a-z0-9_]*\)[ ]*(.*/\1/p' | sort -u > libbill/exports.txt
wc -l < libbill/exports.txt
