#!/usr/bin/env bash
# Fuzzes the HTML, feed and WARC readers for a bounded time: runs the proptest
# suite crates/ingest/tests/fuzz_readers.rs again and again (each run draws new
# random seeds) with many cases per property, until the time is up. Any panic
# (or a stack overflow, which aborts the binary) fails the run, and proptest
# prints the minimal failing input and saves it under
# crates/ingest/proptest-regressions/. Among the properties: deep and wide
# random markup (thousands of nested elements) must come out bounded.
#
#   scripts/fuzz-readers.sh [SECONDS] [CASES_PER_PROPERTY]   # defaults: 120 s, 2000
#
# CASES_PER_PROPERTY defaults to $PROPTEST_CASES when that is set.
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-120}"
cases="${2:-${PROPTEST_CASES:-2000}}"
cargo test --release -q -p chorus-ingest --test fuzz_readers --no-run
end=$((SECONDS + budget))
runs=0
while [ "$SECONDS" -lt "$end" ]; do
    left=$((end - SECONDS))
    # A run cut short by the time limit (exit 124) is not a failure.
    if FUZZ_CASES="$cases" timeout "$left" cargo test --release -q -p chorus-ingest --test fuzz_readers >/tmp/fuzz-readers.$$ 2>&1; then
        runs=$((runs + 1))
    else
        rc=$?
        if [ "$rc" -eq 124 ]; then break; fi
        cat /tmp/fuzz-readers.$$
        rm -f /tmp/fuzz-readers.$$
        echo "fuzz-readers: FAILED after $runs clean runs" >&2
        exit 1
    fi
done
rm -f /tmp/fuzz-readers.$$
echo "fuzz-readers: $runs full runs of every property x $cases cases in ${budget}s: no panic"
