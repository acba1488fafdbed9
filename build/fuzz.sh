#!/usr/bin/env bash
# build/fuzz.sh — runs every Go fuzz target of the plugin (func Fuzz* in
# server/), one after the other, FUZZTIME each (go test runs one fuzz target
# at a time), and prints the executions each made. A failure leaves its input
# under the package's testdata/fuzz/<target>/, where go test finds it from
# then on as a regression case; commit it with the fix.
#
#   FUZZTIME=30s   time per target (go test's -fuzztime: 30s, 1h, or 10000x)
#   FUZZMINIMIZE=100x  how long to shrink an input that adds coverage or
#                  fails (-fuzzminimizetime). go test's 60s default stalls the
#                  targets whose inputs are large (a PGP key is kilobytes):
#                  while it shrinks, nothing else runs or is counted.
#   FUZZFLAGS=     more go test flags, e.g. -parallel=1 on a busy machine
#   GO=go          the go command
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-30s}
minimize=${FUZZMINIMIZE:-100x}
go=${GO:-go}
read -r -a flags <<<"${FUZZFLAGS:-}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

summary=()
failed=0
for dir in $(grep -rl --include='*_test.go' '^func Fuzz' server | xargs -n1 dirname | sort -u); do
	for name in $("$go" test -list '^Fuzz' "./$dir" | grep '^Fuzz'); do
		echo "=== $dir $name, $fuzztime"
		if "$go" test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" "${flags[@]}" "./$dir" 2>&1 | tee "$log"; then
			result=ok
		else
			result=FAILED
			failed=1
		fi
		execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
		summary+=("$(printf '%-8s %-20s %-40s %12s execs' "$result" "$dir" "$name" "${execs:-0}")")
	done
done

echo
echo "=== fuzz targets, $fuzztime each"
printf '%s\n' "${summary[@]}"
exit "$failed"
