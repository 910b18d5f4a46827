#!/usr/bin/env bash
# Scores chorus's HTML main-content extraction and runs Python trafilatura
# (the reference) and the `trafilatura` crate (our baseline) on the same
# pages in the same run, each on ONE thread, printing per data set F1,
# precision, recall and pages per CPU-second side by side.
#
#   scripts/score-extraction.sh            # from the repository root or anywhere
#   DATA=/path/to/extraction-dev scripts/score-extraction.sh
#   SETS=/path/to/sets scripts/score-extraction.sh   # more data sets, see below
#   META=1 ...                              # metadata accuracy too
#   SET_NAMES="readability wcxb-dev" ROUNDS=1 ... # which SETS sets, timing rounds
#   E2E=0 ...                               # skip `chorus extract` end to end
#                                           # (spares the workspace's release build)
#   BENCH=path/to/extraction ...            # another build of the bench (a baseline)
#
# Data sets: extraction-dev (../shared/data/extraction-dev) always; with
# SETS, every set that `scripts/extraction_sets.py prepare SETS ...` laid out
# there (WCXB dev/test and their article pages, Mozilla Readability's test
# pages). Sets with full main text are scored like the ScrapingHub benchmark
# (4-token shingles, per page, averaged); extraction-dev by its snippets.
#
# Figures:
#   - `chorus extract` end to end on extraction-dev (reading, extraction,
#     cleaning, sentence splitting, entities, quotes, numbers): the product;
#   - per set: chorus's extractor (the `extraction` example of chorus-ingest,
#     built alone in release: decode + extract_page,
#     pages in memory, best of ROUNDS), the `trafilatura` crate alone
#     (`--extractor trafilatura`) and trafilatura 2.3.1 with
#     include_comments=False (its evaluation setting), installed from PyPI
#     into .venv-bench/ by this script.
# Sets the shipped block model was trained on are marked `trained`: their
# figures here are in-sample; scripts/train_extractor.py reports them by
# cross-validation by site. The worst page (CPU time, memory) of each set is
# printed for chorus's extractor.
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
rounds="${ROUNDS:-3}"
out="${OUT_DIR:-$root/target/score-extraction}"
mkdir -p "$out"

echo "== building the extraction bench (release)"
cargo build --release -q -p chorus-ingest --example extraction
bench="${BENCH:-target/release/examples/extraction}"
if [ "${E2E:-1}" = 1 ]; then
    echo "== building chorus (release)"
    cargo build --release -q -p chorus --bin chorus
fi

venv="$root/.venv-bench"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import trafilatura' 2>/dev/null; then
    echo "== installing trafilatura into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'trafilatura==2.3.1' 'lxml_html_clean'
fi

field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }
trained=$(sed -n 's/^# trained on \([^:]*\):.*/\1/p' crates/ingest/src/formats/html/content/model.txt | tr -d ' ')

# Set directories: extraction-dev laid out on the fly, then SETS's.
sets_root="$out/sets"
mkdir -p "$sets_root"
python3 scripts/extraction_sets.py prepare "$sets_root" --dev "$data" 2>/dev/null
set_dirs=("$sets_root/dev")
if [ -n "${SETS:-}" ]; then
    for s in ${SET_NAMES:-wcxb-test-newsite-article wcxb-test-newsite readability wcxb-test-article wcxb-dev-article}; do
        [ -d "$SETS/$s/pages" ] && set_dirs+=("$SETS/$s")
    done
fi

if [ "${E2E:-1}" = 1 ]; then
    echo "== chorus extract on extraction-dev (end to end, 1 thread)"
    n_dev=$(find "$data/pages" -maxdepth 1 -name '*.html' | wc -l)
    start=$(date +%s.%N)
    RAYON_NUM_THREADS=1 target/release/chorus extract --format jsonl "$data/pages" >"$out/chorus.jsonl" 2>"$out/chorus.stderr" || true
    end=$(date +%s.%N)
    e2e_line=$(python3 "$data/score.py" "$out/chorus.jsonl" | tail -n 1)
    e2e_pps=$(echo "$n_dev / ($end - $start)" | bc -l)
fi

table="$out/table.txt"
: >"$table"
row() { # set extractor line pps
    local f1 p r
    f1=$(echo "$3" | field f1); p=$(echo "$3" | field precision); r=$(echo "$3" | field recall)
    printf '%-20s %-28s F1 %s  P %s  R %s  %8.1f pages/CPU-s\n' "$1" "$2" "$f1" "$p" "$r" "$4" | tee -a "$table"
}
for dir in "${set_dirs[@]}"; do
    name=$(basename "$dir")
    mark=""
    case ",$trained," in *",$name,"*) mark=" (trained)" ;; esac
    n=$(find "$dir/pages" -maxdepth 1 -name '*.html' | wc -l)
    echo "== $name: $n pages$mark"
    "$bench" "$dir/pages" --jsonl --rounds "$rounds" --worst >"$out/$name.chorus.jsonl" 2>"$out/$name.chorus.stderr"
    "$bench" "$dir/pages" --jsonl --rounds "$rounds" --extractor trafilatura \
        >"$out/$name.crate.jsonl" 2>"$out/$name.crate.stderr"
    "$venv/bin/python" scripts/extraction_trafilatura.py "$dir/pages" "$rounds" >"$out/$name.python.jsonl" 2>"$out/$name.python.stderr"
    ours=$(field chorus_extraction_pages_per_cpu_s <"$out/$name.chorus.stderr")
    crate=$(field chorus_extraction_pages_per_cpu_s <"$out/$name.crate.stderr")
    py=$(field trafilatura_pages_per_cpu_s <"$out/$name.python.stderr")
    row "$name$mark" "chorus extractor" "$(python3 scripts/extraction_sets.py score "$dir" "$out/$name.chorus.jsonl")" "$ours"
    row "" "trafilatura crate" "$(python3 scripts/extraction_sets.py score "$dir" "$out/$name.crate.jsonl")" "$crate"
    row "" "trafilatura 2.3.1 (Python)" "$(python3 scripts/extraction_sets.py score "$dir" "$out/$name.python.jsonl")" "$py"
    printf '%-20s speed: chorus %.1fx Python trafilatura per CPU-second; worst page %s ms CPU, %s MiB\n' "" \
        "$(echo "$ours / $py" | bc -l)" "$(field worst_page_cpu_ms <"$out/$name.chorus.stderr")" \
        "$(field worst_page_mib <"$out/$name.chorus.stderr")" | tee -a "$table"
    if [ -n "${META:-}" ]; then
        "$venv/bin/python" scripts/extraction_trafilatura.py "$dir/pages" 1 --meta >"$out/$name.python-meta.jsonl" 2>/dev/null
        printf '%-20s metadata chorus: %s\n' "" "$(python3 scripts/extraction_sets.py meta "$dir" "$out/$name.chorus.jsonl")" | tee -a "$table"
        printf '%-20s metadata Python: %s\n' "" "$(python3 scripts/extraction_sets.py meta "$dir" "$out/$name.python-meta.jsonl")" | tee -a "$table"
    fi
done

echo
[ "${E2E:-1}" = 1 ] && echo "chorus extract end to end on extraction-dev: F1 $(echo "$e2e_line" | field dev_f1)  P $(echo "$e2e_line" | field dev_precision)  R $(echo "$e2e_line" | field dev_recall)  $(printf '%.1f' "$e2e_pps") pages/s"
echo
cat "$table"
echo "outputs in $out (extraction_sets.py score/meta SET OUTPUT; score.py -v for extraction-dev misses)"
