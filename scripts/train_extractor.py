"""Trains the block model of chorus's main-content extractor and checks it by
cross-validation by site.

    train_extractor.py SETS_DIR [--train dev,wcxb-dev,readability] [--folds 5]
        [--out crates/ingest/src/formats/html/content/model.txt] [--work DIR]
        [--cv-only] [--seed 17]

SETS_DIR is what `scripts/extraction_sets.py prepare` wrote (one folder per
data set with pages/ and gold.jsonl). Nothing is downloaded, and none of the
data sets is committed to chorus: only this script and the model it writes.

Steps:
1. `cargo run --release -p chorus-ingest --example extraction -- PAGES
   --blocks OUT` (built by this script) cuts every page into blocks and
   writes their feature rows: the features come from the
   extractor's own Rust code, so training and inference see the same numbers.
2. Each block gets a label. Sets with the full main text: a block is content
   when at least half of its word trigrams occur in the main text (blocks of
   one or two words: when they occur in it as a phrase). Snippet sets
   (extraction-dev): a block holding a "with" snippet (or held by one) is
   content, one holding a "without" snippet is not, the rest are left out.
   Blocks are weighted by the square root of their word count: the scores
   count words, yet short lines (headings, list items) must not be ignored.
3. Gradient-boosted trees (LightGBM) are trained. Cross-validation splits the
   pages BY SITE (every page of a site in the same fold, the site being the
   host without `www.`), so a fold's model has never seen the held-out
   sites. Each fold's model is written out and the real extractor
   (the same example, `--model`) reads the held-out pages with it; those
   outputs are scored per data set exactly as `score-extraction.sh` scores.
4. The keep threshold: the held-out pages are read at 0.4 to 0.6 (steps of 0.05) and
   the one with the best mean F1 over the data sets wins (a set that types
   its pages, WCXB, counts by its article pages, the kind chorus reads:
   its other pages — listings, products, forums — are annotated by other
   rules, teaser lists being their content); thresholds within
   0.002 of the best count as a plateau, and the one nearest 0.5 (no
   preference for content or boilerplate) is taken from it.
5. The final model is trained on every page and written to --out.

Requires: numpy and lightgbm (pip install numpy lightgbm==4.7.0).
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import lightgbm as lgb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import extraction_sets as sets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+")
WS = re.compile(r"\s+")
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.08,
    "num_leaves": 31,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "seed": 17,
    "deterministic": True,
    "num_threads": 2,
    "max_bin": 63,
}
ROUNDS = 240
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6)
# How far past the content found so far a short block may sit in the main
# text and still be labelled content (a subheading, a one-line list item).
SHORT_SLACK = 12


def run(cmd):
    subprocess.run(cmd, check=True)


def dump(set_dir, work, blocks_bin):
    out = Path(work) / "dump" / Path(set_dir).name
    if not (out / "blocks.jsonl").exists():
        run([blocks_bin, str(Path(set_dir) / "pages"), "--blocks", str(out)])
    names = (out / "names.txt").read_text().split()
    x = np.fromfile(out / "features.f32", dtype="<f4").reshape(-1, len(names))
    pages = [json.loads(line) for line in open(out / "blocks.jsonl", encoding="utf-8")]
    return names, x, pages


def trigrams(toks):
    return {tuple(toks[i:i + 3]) for i in range(len(toks) - 2)}


def label_full(blocks, gold_text):
    """Content labels of a page's blocks against its full main text.

    Blocks of three words or more are content when half their word trigrams
    occur in the main text. Shorter blocks ("Related", "Share this") occur
    as words in almost any text, so they count only where the main text
    holds them right after the content found so far (within SHORT_SLACK
    words), which is where a short heading or list item of the body sits."""
    gold_toks = WORD.findall(gold_text.lower())
    where = {}
    for i in range(len(gold_toks) - 2):
        where.setdefault(tuple(gold_toks[i:i + 3]), []).append(i)
    at = 0  # gold position just after the last content block
    labels = []
    for text in blocks:
        toks = WORD.findall(text.lower())
        if len(toks) >= 3:
            tri = [tuple(toks[i:i + 3]) for i in range(len(toks) - 2)]
            hits = [t for t in tri if t in where]
            if len(hits) >= 0.5 * len(tri):
                labels.append(1.0)
                last = where[hits[-1]]
                after = [p for p in last if p >= at - SHORT_SLACK]
                at = (after[0] if after else last[0]) + 3
            else:
                labels.append(0.0)
        elif toks:
            window = gold_toks[at:at + SHORT_SLACK + len(toks)]
            found = any(window[i:i + len(toks)] == toks for i in range(len(window) - len(toks) + 1))
            if found:
                at += window.index(toks[0]) + len(toks)
            labels.append(1.0 if found else 0.0)
        else:
            labels.append(-1.0)
    return labels


def label_snippets(blocks, with_, without):
    norm = lambda s: WS.sub(" ", s).strip()  # noqa: E731
    w = [norm(s) for s in with_]
    wo = [norm(s) for s in without]
    labels = []
    for text in blocks:
        t = norm(text)
        if any(s in t or (len(t) >= 15 and t in s) for s in w):
            labels.append(1.0)
        elif any(s in t or (len(t) >= 15 and t in s) for s in wo):
            labels.append(0.0)
        else:
            labels.append(-1.0)
    return labels


def load(sets_dir, names_of_sets, work, blocks_bin):
    """Rows, labels, weights, page ids, and per page (set, name, site)."""
    xs, ys, ws, page_of = [], [], [], []
    pages_meta = []
    names = None
    for set_name in names_of_sets:
        set_dir = Path(sets_dir) / set_name
        gold = {g["name"]: g for g in sets.load_gold(set_dir)}
        names, x, pages = dump(set_dir, work, blocks_bin)
        row = 0
        for p in pages:
            n = len(p["blocks"])
            g = gold.get(p["page"])
            if g is not None:
                if g.get("text") is not None:
                    lab = label_full(p["blocks"], g["text"])
                else:
                    lab = label_snippets(p["blocks"], g["with"], g["without"])
                pid = len(pages_meta)
                pages_meta.append((set_name, p["page"], g["site"]))
                for i, (text, y) in enumerate(zip(p["blocks"], lab)):
                    if y < 0:
                        continue
                    xs.append(x[row + i])
                    ys.append(y)
                    ws.append(math.sqrt(len(WORD.findall(text)) or 1))
                    page_of.append(pid)
            row += n
        assert row == x.shape[0], f"{set_name}: blocks and feature rows disagree"
        print(f"{set_name}: {len(pages)} pages, {x.shape[0]} blocks", file=sys.stderr)
    return names, np.array(xs, dtype=np.float64), np.array(ys), np.array(ws), np.array(page_of), pages_meta


def fold_of_sites(pages_meta, folds):
    """Fold of every page: sites are dealt to folds in a fixed order, each site
    to the fold with the fewest pages so far, so fold sizes stay even."""
    sizes = {}
    for _, _, site in pages_meta:
        sizes[site] = sizes.get(site, 0) + 1
    load_of = [0] * folds
    fold = {}
    for site in sorted(sizes, key=lambda s: (-sizes[s], s)):
        k = min(range(folds), key=lambda i: (load_of[i], i))
        fold[site] = k
        load_of[k] += sizes[site]
    return np.array([fold[site] for _, _, site in pages_meta])


def train(x, y, w):
    return lgb.train(PARAMS, lgb.Dataset(x, label=y, weight=w), num_boost_round=ROUNDS)


def write_model(booster, names, threshold, path, note):
    lines = [
        "# chorus main-content block model: gradient-boosted trees (LightGBM "
        f"{lgb.__version__}), written by scripts/train_extractor.py",
        f"# {note}",
        "features " + " ".join(names),
        f"threshold {threshold:.2f}",
        "bias 0",
    ]
    for tree in booster.dump_model()["tree_info"]:
        nodes = []

        def walk(node):
            i = len(nodes)
            nodes.append(None)
            if "leaf_value" in node:
                nodes[i] = f"l {node['leaf_value']:.6g}"
                return i
            assert node["decision_type"] == "<=", node["decision_type"]
            left = walk(node["left_child"])
            right = walk(node["right_child"])
            nodes[i] = f"s {node['split_feature']} {node['threshold']!r} {left} {right}"
            return i

        walk(tree["tree_structure"])
        lines.append("tree")
        lines.extend(nodes)
    Path(path).write_text("\n".join(lines) + "\n")


def best_threshold(p, y, w):
    best = (0.0, 0.5)
    for t in np.arange(0.2, 0.81, 0.05):
        keep = p >= t
        tp = (w * (keep & (y == 1))).sum()
        fp = (w * (keep & (y == 0))).sum()
        fn = (w * (~keep & (y == 1))).sum()
        f1 = 2 * tp / (2 * tp + fp + fn)
        if f1 > best[0] + 1e-9:
            best = (f1, round(float(t), 2))
    return best[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets_dir")
    ap.add_argument("--train", default="dev,wcxb-dev,readability")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "crates/ingest/src/formats/html/content/model.txt"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--seed", type=int, default=PARAMS["seed"],
                    help="LightGBM's seed (row bagging, feature sampling); the CV moves with it")
    args = ap.parse_args()
    PARAMS["seed"] = args.seed
    work = args.work or tempfile.mkdtemp(prefix="chorus-train-")
    run(["cargo", "build", "--release", "-q", "-p", "chorus-ingest", "--example", "extraction"])
    blocks_bin = bench_bin = str(ROOT / "target/release/examples/extraction")
    train_sets = args.train.split(",")
    names, x, y, w, page_of, pages_meta = load(args.sets_dir, train_sets, work, blocks_bin)
    print(f"{len(y)} labelled blocks, {int(y.sum())} content, {len(pages_meta)} pages, "
          f"{len({s for _, _, s in pages_meta})} sites", file=sys.stderr)

    threshold = 0.5
    if not args.no_cv:
        fold_page = fold_of_sites(pages_meta, args.folds)
        fold_row = fold_page[page_of]
        oof = np.zeros(len(y))
        models = []
        for k in range(args.folds):
            tr = fold_row != k
            # Fold models are kept in the work folder: a rerun with the same
            # data and parameters (--work) picks them up instead of training.
            saved = Path(work) / f"fold{k}.lgb"
            if saved.exists():
                booster = lgb.Booster(model_file=str(saved))
            else:
                booster = train(x[tr], y[tr], w[tr])
                booster.save_model(str(saved))
            oof[~tr] = booster.predict(x[~tr])
            models.append(booster)
        print(f"block-level best threshold (out of fold): {best_threshold(oof, y, w)}", file=sys.stderr)
        held = {}
        for k in range(args.folds):
            for s in train_sets:
                d = Path(work) / f"held-{s}-{k}"
                d.mkdir(exist_ok=True)
                for (set_name, page, _), fk in zip(pages_meta, fold_page):
                    if set_name == s and fk == k and not (d / page).exists():
                        (d / page).symlink_to(Path(args.sets_dir).resolve() / s / "pages" / page)
                held[(s, k)] = d
        results = {}
        for t in THRESHOLDS:
            for k, booster in enumerate(models):
                write_model(booster, names, t, Path(work) / f"fold{k}.txt", f"cross-validation fold {k}")
            per_set = {}
            for s in train_sets:
                out_path = Path(work) / f"cv-{s}-{t}.jsonl"
                with open(out_path, "w") as out:
                    for k in range(args.folds):
                        if any(held[(s, k)].iterdir()):
                            subprocess.run([bench_bin, str(held[(s, k)]), "--jsonl", "--model",
                                            str(Path(work) / f"fold{k}.txt")],
                                           check=True, stdout=out, stderr=subprocess.DEVNULL)
                gold = sets.load_gold(Path(args.sets_dir) / s)
                output = sets.load_output(out_path)
                per_set[s] = sets.score(gold, output)
                # The pages chorus reads: a set that types its pages (WCXB)
                # also counts its article pages alone, and those choose.
                articles = [g for g in gold if g.get("type") == "article"]
                if articles and len(articles) < len(gold):
                    per_set[f"{s} (articles)"] = sets.score(articles, output)
            results[t] = per_set
        choosing = lambda r: [v for k, v in r.items() if f"{k} (articles)" not in r]  # noqa: E731
        mean = {t: sum(v[0] for v in choosing(r)) / len(choosing(r)) for t, r in results.items()}
        top = max(mean.values())
        threshold = min((t for t in THRESHOLDS if mean[t] >= top - 0.002), key=lambda t: abs(t - 0.5))
        print("cross-validation by site (held-out sites only), by keep threshold:")
        for t in THRESHOLDS:
            mark = "  <- chosen" if t == threshold else ""
            print(f" threshold {t}: mean F1 {mean[t]:.4f}{mark}")
            for s, (f1, p, r, n) in results[t].items():
                print(f"  {s:<27} F1 {f1:.4f}  P {p:.4f}  R {r:.4f}  ({n} pages, {args.folds} folds by site)")
    if args.cv_only:
        return
    booster = train(x, y, w)
    write_model(booster, names, threshold, args.out,
                f"trained on {', '.join(train_sets)}: {len(pages_meta)} pages, {len(y)} blocks; "
                f"keep threshold {threshold} chosen by cross-validation by site")
    imp = sorted(zip(booster.feature_importance("gain"), names), reverse=True)[:15]
    print("top features by gain: " + ", ".join(n for _, n in imp), file=sys.stderr)
    print(f"model written to {args.out} ({os.path.getsize(args.out) // 1024} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()
