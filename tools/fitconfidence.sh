#!/usr/bin/env bash
# Refit the engine's confidence model from the evaluation sets it is tuned on:
# the public seed questions, the tuning split of the public real pages (every
# third page, from the third, is held out), real-a to real-d and the
# project's own page sets. Writes intents/data/confidence.yaml; needs ../shared beside the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/cb" ./cmd/careersbot
shared=../shared/eval
python3 - "$shared" "$tmp/pd-tune.jsonl" <<'PY'
import json, os, sys
shared, out = sys.argv[1], sys.argv[2]
docs = sorted(f[:-4] for f in os.listdir(os.path.join(shared, "pages-dev")))
hold = set(docs[2::3])
with open(out, "w") as w:
    for line in open(os.path.join(shared, "pages-dev.jsonl")):
        tags = [t[4:] for t in json.loads(line)["tags"] if t.startswith("doc:")]
        if not tags or tags[0] not in hold:
            w.write(line)
PY
"$tmp/cb" eval --threshold 0 --features "$tmp/seed.tsv" "$shared/seed-dev.jsonl" >/dev/null
"$tmp/cb" eval --threshold 0 --features "$tmp/pd.tsv" --kb "$shared/pages-dev" "$tmp/pd-tune.jsonl" >/dev/null
"$tmp/cb" eval --threshold 0 --features "$tmp/ra.tsv" --kb knowledge/testdata/real/real-a knowledge/testdata/real/real-a.jsonl >/dev/null
for set in real-b real-c real-d; do
	"$tmp/cb" eval --threshold 0 --features "$tmp/$set.tsv" --kb "knowledge/testdata/real/$set" "knowledge/testdata/real/$set.jsonl" >/dev/null
done
"$tmp/cb" eval --threshold 0 --features "$tmp/own.tsv" --kb knowledge/testdata/pages --kb knowledge/seed knowledge/testdata/eval/*.jsonl knowledge/testdata/eval/together/*.jsonl >/dev/null
python3 tools/fitconfidence.py --write intents/data/confidence.yaml "$tmp"/*.tsv
