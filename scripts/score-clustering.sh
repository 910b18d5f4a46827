#!/usr/bin/env bash
# Scores `chorus cluster` against a labelled clustering set (default: the
# clustering dev set beside the repository): BCubed precision/recall/F1,
# adjusted Rand index, predicted vs gold cluster count.
#
#   scripts/score-clustering.sh [DATASET_DIR]
#
# DATASET_DIR holds articles/, labels.tsv and score.py (see its README).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/data/clustering-dev}"
if [ ! -f "$data/score.py" ]; then
  echo "no scorer at $data/score.py" >&2
  exit 2
fi
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --quiet --release --bin chorus --manifest-path "$root/Cargo.toml"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$target/release/chorus" cluster --format json "$data/articles" >"$out"
python3 "$data/score.py" "$out"
