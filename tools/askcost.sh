#!/usr/bin/env bash
# Print what `careersbot ask --json -` costs per extra answer on the embedded
# seed: the time for 10,000 questions on standard input minus the time for
# one, divided by 9,999 (README "Performance"). The questions are the turns
# of ../shared/eval/seed-dev.jsonl (else its copy in cmd/careersbot/testdata),
# repeated in order. Builds the binary once; runs each case RUNS times
# (default 5) and uses the fastest run of each, printing every run so the
# spread shows. Needs python3. Usage: tools/askcost.sh [N] (N questions,
# default 10000).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/cb" ./cmd/careersbot
questions=../shared/eval/seed-dev.jsonl
[ -f "$questions" ] || questions=cmd/careersbot/testdata/seed-dev.jsonl
python3 - "$questions" "$n" "$tmp/many.txt" "$tmp/one.txt" <<'PY'
import json, sys
src, n, many, one = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
turns = [t for line in open(src) if line.strip() for t in json.loads(line)["turns"] if t.strip()]
with open(many, "w") as w:
    for i in range(n):
        w.write(turns[i % len(turns)].replace("\n", " ") + "\n")
with open(one, "w") as w:
    w.write(turns[0] + "\n")
PY
# best RUNS FILE: the fastest of RUNS runs, in nanoseconds; every run's
# milliseconds go to stderr.
best() {
	local b=0 t0 t1 d i
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s%N)
		"$tmp/cb" ask --json - <"$2" >"$tmp/out.jsonl"
		t1=$(date +%s%N)
		d=$((t1 - t0))
		printf ' %d.%03d' $((d / 1000000)) $(((d / 1000) % 1000)) >&2
		if ((b == 0 || d < b)); then b=$d; fi
	done
	echo "$b"
}
printf '1 question, ms:' >&2
t1=$(best "$runs" "$tmp/one.txt")
printf '\n%d questions, ms:' "$n" >&2
tn=$(best "$runs" "$tmp/many.txt")
echo >&2
lines=$(wc -l <"$tmp/out.jsonl")
if ((lines != n)); then
	echo "askcost: expected $n replies, got $lines" >&2
	exit 1
fi
per=$(((tn - t1) / (n - 1)))
printf 'ask --json - per extra answer: %d.%03d µs (fastest of %d runs: %d questions %d ms, 1 question %d ms)\n' \
	$((per / 1000)) $((per % 1000)) "$runs" "$n" $((tn / 1000000)) $((t1 / 1000000))
