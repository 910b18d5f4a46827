#!/usr/bin/env bash
# Scores chorus's HTML main-content extraction on the extraction-dev set and
# runs Python trafilatura (the reference) on the same pages in the same run,
# each on ONE thread, printing F1, precision, recall and pages/s for both.
#
#   scripts/score-extraction.sh            # from the repository root or anywhere
#   DATA=/path/to/extraction-dev scripts/score-extraction.sh
#
# Three figures for chorus:
#   - `chorus extract` end to end (reading, extraction, cleaning, sentence
#     splitting, entities, quotes, numbers) scored with score.py: the product;
#   - the extractor alone (`bench-extraction`: decode + extract_page, pages in
#     memory), scored too: the figure to compare with trafilatura's, which does
#     extraction only;
# and trafilatura 2.3.1 with include_comments=False (its evaluation setting),
# installed from PyPI into .venv-bench/ by this script.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
data="${DATA:-$root/../shared/data/extraction-dev}"
if [ ! -d "$data/pages" ]; then
    if [ -n "${CI:-}" ]; then
        echo "score-extraction: $data/pages is missing" >&2
        exit 1
    fi
    echo "score-extraction: $data/pages is absent; skipped"
    exit 0
fi
pages="$data/pages"
score="$data/score.py"
n_pages=$(find "$pages" -maxdepth 1 -name '*.html' | wc -l)
out="${OUT_DIR:-$root/target/score-extraction}"
mkdir -p "$out"

echo "== building chorus (release)"
cargo build --release -q -p chorus --bin chorus
cargo build --release -q -p chorus-bench --bin bench-extraction

venv="$root/.venv-bench"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import trafilatura' 2>/dev/null; then
    echo "== installing trafilatura into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'trafilatura==2.3.1' 'lxml_html_clean'
fi

last_line() { tail -n 1; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }

echo "== chorus extract (end to end, 1 thread)"
start=$(date +%s.%N)
RAYON_NUM_THREADS=1 target/release/chorus extract --format jsonl "$pages" >"$out/chorus.jsonl" 2>"$out/chorus.stderr" || true
end=$(date +%s.%N)
chorus_secs=$(echo "$end - $start" | bc -l)
chorus_line=$(python3 "$score" "$out/chorus.jsonl" | last_line)

echo "== chorus extractor alone (bench-extraction, 1 thread, best of 3)"
target/release/bench-extraction "$pages" --jsonl --rounds 3 >"$out/extractor.jsonl" 2>"$out/extractor.stderr"
extractor_line=$(python3 "$score" "$out/extractor.jsonl" | last_line)
extractor_pps=$(field chorus_extraction_pages_per_s <"$out/extractor.stderr")
extractor_cpu_pps=$(field chorus_extraction_pages_per_cpu_s <"$out/extractor.stderr")

echo "== trafilatura (Python, include_comments=False, 1 thread, best of 3)"
"$venv/bin/python" scripts/extraction_trafilatura.py "$pages" 3 >"$out/trafilatura.jsonl" 2>"$out/trafilatura.stderr"
traf_line=$(python3 "$score" "$out/trafilatura.jsonl" | last_line)
traf_pps=$(field trafilatura_pages_per_s <"$out/trafilatura.stderr")
traf_cpu_pps=$(field trafilatura_pages_per_cpu_s <"$out/trafilatura.stderr")

chorus_pps=$(echo "$n_pages / $chorus_secs" | bc -l)
report() {
    local name=$1 line=$2 pps=$3
    printf '%-34s F1 %s  precision %s  recall %s  %7.1f pages/s\n' "$name" \
        "$(echo "$line" | field dev_f1)" "$(echo "$line" | field dev_precision)" \
        "$(echo "$line" | field dev_recall)" "$pps"
}
echo
echo "extraction-dev: $n_pages pages"
report "chorus extract (end to end)" "$chorus_line" "$chorus_pps"
report "chorus extractor (extract_page)" "$extractor_line" "$extractor_pps"
report "trafilatura 2.3.1 (Python)" "$traf_line" "$traf_pps"
printf 'speed (wall): extractor %.1fx trafilatura per page; chorus extract end to end %.1fx\n' \
    "$(echo "$extractor_pps / $traf_pps" | bc -l)" "$(echo "$chorus_pps / $traf_pps" | bc -l)"
printf 'speed (CPU time, steadier on a shared machine): extractor %.1f pages/s, trafilatura %.1f pages/s: %.1fx\n' \
    "$extractor_cpu_pps" "$traf_cpu_pps" "$(echo "$extractor_cpu_pps / $traf_cpu_pps" | bc -l)"
echo "outputs in $out (score.py -v FILE lists the misses)"
