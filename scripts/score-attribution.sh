#!/usr/bin/env bash
# Scores the direct quotes and speakers of `chorus extract` on attribution-dev
# (PolNeAR train and dev splits, beside the repository): quote precision,
# recall and F1, speaker accuracy (all matched quotes, and named sources only),
# then the wrong speakers by kind (scripts/attribution_errors.py: wrong person,
# non-person, missed pronoun, none).
#
#   scripts/score-attribution.sh [train|dev] [DATASET_DIR]
#
# SHOW=N prints N examples of each kind of error; KEEP=FILE keeps the
# predictions (JSON Lines) in FILE. PROFILE=release builds and runs the
# optimised binary; the default is the debug build of only `chorus`, which
# gives the same figures (all 924 articles in seconds) without a release
# build's minutes of compiling.
#
# Develop on train; report dev. DATASET_DIR holds train/, dev/ and score.py
# (see its README). The scorer's last line is machine-readable.
set -euo pipefail
split="${1:-dev}"
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${2:-$root/../shared/data/attribution-dev}"
case "$split" in
  train | dev) ;;
  *)
    echo "usage: $0 [train|dev] [DATASET_DIR]" >&2
    exit 2
    ;;
esac
if [ ! -f "$data/score.py" ] || [ ! -d "$data/$split" ]; then
  echo "no scorer or no $split split under $data" >&2
  exit 2
fi
target="${CARGO_TARGET_DIR:-$root/target}"
profile="${PROFILE:-debug}"
case "$profile" in
  release) cargo build --quiet --release --bin chorus --manifest-path "$root/Cargo.toml" ;;
  debug) cargo build --quiet --bin chorus --manifest-path "$root/Cargo.toml" ;;
  *)
    echo "PROFILE must be debug or release" >&2
    exit 2
    ;;
esac
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$target/$profile/chorus" extract --format jsonl "$data/$split"/*.txt >"$out"
python3 "$data/score.py" "$out" "$data" --split "$split"
python3 "$root/scripts/attribution_errors.py" "$out" "$data" --split "$split" --show "${SHOW:-0}"
if [ -n "${KEEP:-}" ]; then
  cp "$out" "$KEEP"
fi
