#!/usr/bin/env bash
# Print, per metamorphic variant (tools/metamorphic.py), how many answers that
# pass break when the question is reworded: over the public real pages
# (../shared/eval/pages-dev, when beside the repo) and knowledge/testdata/real
# real-a to real-h, every set's pages loaded together. Builds careersbot once;
# needs python3. Usage: tools/metamorphic.sh [VARIANTS] [--followups]
# (default: all 32 single-turn variants).
set -euo pipefail
cd "$(dirname "$0")/.."
variants=${1:-p1,p2,p3,p4,p5,p6,g1,g2,g3,g4,g5,g6,w1,w2,w3,w4,w5,w6,s1,s2,s3,s4,s5,s6,caps,lower,lp4,lp5,lp6,swap,drop,double}
follow=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/cb" ./cmd/careersbot
sets=()
[ -d ../shared/eval/pages-dev ] && sets+=("../shared/eval/pages-dev.jsonl:../shared/eval/pages-dev")
for s in a b c d e f g h; do
  sets+=("knowledge/testdata/real/real-$s.jsonl:knowledge/testdata/real/real-$s")
done
n=0
for s in "${sets[@]}"; do
  cases=${s%%:*} kb=${s#*:}
  n=$((n + 1))
  python3 tools/metamorphic.py "$cases" "$tmp/$n.var.jsonl" "$variants" $follow
  "$tmp/cb" eval --kb "$kb" "$cases" > "$tmp/$n.base" || true
  "$tmp/cb" eval --kb "$kb" "$tmp/$n.var.jsonl" > "$tmp/$n.var" || true
done
python3 - "$tmp" "$n" <<'PY'
import collections, json, re, sys
tmp, n = sys.argv[1], int(sys.argv[2])
tot, brk = collections.Counter(), collections.Counter()
for i in range(1, n + 1):
    base = set(re.findall(r"^FAIL (\S+):", open(f"{tmp}/{i}.base").read(), re.M))
    var = set(re.findall(r"^FAIL (\S+):", open(f"{tmp}/{i}.var").read(), re.M))
    for line in open(f"{tmp}/{i}.var.jsonl"):
        c = json.loads(line)
        orig, name = c["id"].split("~")
        if orig in base:
            continue  # only answers that pass can break
        tot[name] += 1
        brk[name] += c["id"] in var
for name in sorted(tot):
    print(f"{name:7} {brk[name]:4} of {tot[name]:4} passing answers break")
print(f"all     {sum(brk.values()):4} of {sum(tot.values())}")
PY
