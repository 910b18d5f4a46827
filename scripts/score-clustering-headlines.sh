#!/usr/bin/env bash
# Scores `chorus cluster` on headlines alone: each article of a labelled
# clustering set (default: the clustering dev set beside the repository)
# becomes a JSON Lines item with its first line as the title and an empty
# text, as a headline stream or a title-only feed delivers it; the stories
# are scored against the same labels (BCubed, ARI) by the set's score.py.
#
#   scripts/score-clustering-headlines.sh [DATASET_DIR]
#
# MIXED=1 keeps the full text of every article with an even number (the
# others are headlines alone): a stream mixing title-only items with full
# articles. CHORUS_BIN picks the binary (default: a release build, as
# score-clustering.sh uses).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/data/clustering-dev}"
if [ ! -f "$data/score.py" ]; then
  echo "no scorer at $data/score.py" >&2
  exit 2
fi
bin="${CHORUS_BIN:-}"
if [ -z "$bin" ]; then
  target="${CARGO_TARGET_DIR:-$root/target}"
  cargo build --quiet --release --bin chorus --manifest-path "$root/Cargo.toml"
  bin="$target/release/chorus"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
MIXED="${MIXED:-}" python3 - "$data/articles" "$work/heads.jsonl" "$work/names.txt" <<'PY'
import json, os, sys
from pathlib import Path
mixed = bool(os.environ.get("MIXED"))
src, out, names = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(out, "w", encoding="utf-8") as o, open(names, "w", encoding="utf-8") as n:
    for f in sorted(src.iterdir()):
        if not f.is_file():
            continue
        lines = [l.strip() for l in f.read_text(encoding="utf-8", errors="replace").splitlines() if l.strip()]
        if not lines:
            continue
        full = mixed and f.stem.isdigit() and int(f.stem) % 2 == 0
        o.write(json.dumps({"title": lines[0], "text": "\n".join(lines[1:]) if full else ""}) + "\n")
        n.write(f.name + "\n")
PY
"$bin" cluster --format json "$work/heads.jsonl" >"$work/pred.json"
# Item N of the JSON Lines file is the N-th file name.
python3 - "$work/pred.json" "$work/names.txt" "$work/named.json" <<'PY'
import json, sys
pred, names = json.load(open(sys.argv[1])), open(sys.argv[2]).read().split()
for s in pred["stories"]:
    for a in s["articles"]:
        a["path"] = names[int(a["path"].rsplit("#", 1)[1]) - 1]
json.dump(pred, open(sys.argv[3], "w"))
PY
python3 "$data/score.py" "$work/named.json"
