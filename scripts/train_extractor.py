"""Trains the block model of chorus's main-content extractor and checks it by
cross-validation by site.

    train_extractor.py SETS_DIR [--train dev,wcxb-dev,readability] [--folds 5]
        [--out crates/ingest/src/formats/html/content/model.txt]
        [--stack-out crates/ingest/src/formats/html/content/stack.txt]
        [--work DIR] [--cv-only] [--no-stack] [--no-first-table]

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
5. The second stage (content/stack.rs): every held-out page is read again
   with its fold's first-stage model (`--blocks --model`), which writes the
   second stage's rows from that model's scores: its neighbours', its
   container's, its box's and its like siblings' first scores, how much of
   the page and of the main container the first stage keeps. These scores
   are out of fold (the model never saw the page's site), as the shipped
   first model's are on a new site. A second, smaller forest is trained on
   them with the same folds by site, each fold's pages read by its own
   first and second models, and its keep threshold is chosen as in 4.
6. The final models are trained on every page (the second on all the
   out-of-fold rows) and written to --out and --stack-out.

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
# The second stage (re-scoring each block from its neighbours' first
# scores): fewer, smaller trees over its ~45 features.
PARAMS2 = dict(PARAMS, num_leaves=15)
ROUNDS2 = 120
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
    """Rows, labels, weights, page ids, per page (set, name, site), and per
    (set, page name) its page id and every block's label and weight (label
    -1: left out)."""
    xs, ys, ws, page_of = [], [], [], []
    pages_meta = []
    page_labels = {}
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
                page_labels[(set_name, p["page"])] = (
                    pid, lab, [math.sqrt(len(WORD.findall(t)) or 1) for t in p["blocks"]])
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
    return (names, np.array(xs, dtype=np.float64), np.array(ys), np.array(ws), np.array(page_of), pages_meta,
            page_labels)


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


def train(x, y, w, params=PARAMS, rounds=ROUNDS):
    return lgb.train(params, lgb.Dataset(x, label=y, weight=w), num_boost_round=rounds)


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


def held_out_dirs(args, train_sets, pages_meta, fold_page, work):
    """Per (set, fold): a folder of links to the fold's pages of the set."""
    held = {}
    for k in range(args.folds):
        for s in train_sets:
            d = Path(work) / f"held-{s}-{k}"
            d.mkdir(exist_ok=True)
            for (set_name, page, _), fk in zip(pages_meta, fold_page):
                if set_name == s and fk == k and not (d / page).exists():
                    (d / page).symlink_to(Path(args.sets_dir).resolve() / s / "pages" / page)
            held[(s, k)] = d
    return held


def cv_by_threshold(args, train_sets, held, work, bench_bin, tag, write_fold):
    """Reads every fold's held-out pages with the fold's models at each keep
    threshold (write_fold(k, t) writes them and returns the bench's model
    arguments), scores them per data set, prints the table and returns the
    chosen threshold and the results by threshold."""
    results = {}
    for t in THRESHOLDS:
        models = [write_fold(k, t) for k in range(args.folds)]
        per_set = {}
        for s in train_sets:
            out_path = Path(work) / f"cv-{tag}-{s}-{t}.jsonl"
            with open(out_path, "w") as out:
                for k in range(args.folds):
                    if any(held[(s, k)].iterdir()):
                        subprocess.run([bench_bin, str(held[(s, k)]), "--jsonl"] + models[k],
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
    print(f"cross-validation by site (held-out sites only), {tag}, by keep threshold:")
    for t in THRESHOLDS:
        mark = "  <- chosen" if t == threshold else ""
        print(f" threshold {t}: mean F1 {mean[t]:.4f}{mark}")
        for s, (f1, p, r, n) in results[t].items():
            print(f"  {s:<27} F1 {f1:.4f}  P {p:.4f}  R {r:.4f}  ({n} pages, {args.folds} folds by site)")
    sys.stdout.flush()
    return threshold, results


def stack_rows(args, train_sets, held, work, bench_bin, page_labels):
    """The second stage's labelled rows: every held-out page read with the
    first-stage model of its fold (which never saw its site), so each row's
    first scores are out of fold. Returns rows, labels, weights, page ids
    and the second stage's feature names."""
    xs, ys, ws, pids = [], [], [], []
    names2 = None
    for k in range(args.folds):
        for s in train_sets:
            if not any(held[(s, k)].iterdir()):
                continue
            out = Path(work) / "stack-dump" / f"{s}-{k}"
            run([bench_bin, str(held[(s, k)]), "--blocks", str(out), "--model", str(Path(work) / f"fold{k}.txt")])
            names2 = (out / "stack_names.txt").read_text().split()
            x2 = np.fromfile(out / "stack.f32", dtype="<f4").reshape(-1, len(names2))
            row = 0
            for line in open(out / "blocks.jsonl", encoding="utf-8"):
                page = json.loads(line)
                entry = page_labels.get((s, page["page"]))
                if entry is not None:
                    pid, lab, wts = entry
                    assert len(lab) == len(page["blocks"]), f"{s}/{page['page']}: blocks differ"
                    for i, (yy, ww) in enumerate(zip(lab, wts)):
                        if yy >= 0:
                            xs.append(x2[row + i])
                            ys.append(yy)
                            ws.append(ww)
                            pids.append(pid)
                row += len(page["blocks"])
            assert row == x2.shape[0], f"{s} fold {k}: blocks and stack rows disagree"
    return np.array(xs, dtype=np.float64), np.array(ys), np.array(ws), np.array(pids), names2


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets_dir")
    ap.add_argument("--train", default="dev,wcxb-dev,readability")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "crates/ingest/src/formats/html/content/model.txt"))
    ap.add_argument("--stack-out", default=str(ROOT / "crates/ingest/src/formats/html/content/stack.txt"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--no-stack", action="store_true", help="train the first stage only")
    ap.add_argument("--no-first-table", action="store_true",
                    help="skip the first stage's threshold table (its threshold is then 0.5)")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="chorus-train-")
    run(["cargo", "build", "--release", "-q", "-p", "chorus-ingest", "--example", "extraction"])
    blocks_bin = bench_bin = str(ROOT / "target/release/examples/extraction")
    train_sets = args.train.split(",")
    names, x, y, w, page_of, pages_meta, page_labels = load(args.sets_dir, train_sets, work, blocks_bin)
    print(f"{len(y)} labelled blocks, {int(y.sum())} content, {len(pages_meta)} pages, "
          f"{len({s for _, _, s in pages_meta})} sites", file=sys.stderr)

    threshold = threshold2 = 0.5
    x2 = None
    if args.no_cv and not args.no_stack:
        sys.exit("the second stage trains on out-of-fold first scores: it needs the cross-validation")
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
        held = held_out_dirs(args, train_sets, pages_meta, fold_page, work)

        def first_fold(k, t):
            path = Path(work) / f"fold{k}.txt"
            write_model(models[k], names, t, path, f"cross-validation fold {k}")
            return ["--model", str(path)]

        if not args.no_first_table:
            threshold, _ = cv_by_threshold(args, train_sets, held, work, bench_bin, "first stage alone", first_fold)
        if not args.no_stack:
            for k in range(args.folds):
                first_fold(k, 0.5)
            x2, y2, w2, pid2, names2 = stack_rows(args, train_sets, held, work, bench_bin, page_labels)
            fold2 = fold_page[pid2]
            stacks = []
            for k in range(args.folds):
                tr = fold2 != k
                stacks.append(train(x2[tr], y2[tr], w2[tr], PARAMS2, ROUNDS2))

            def both_folds(k, t):
                path = Path(work) / f"stack{k}.txt"
                write_model(stacks[k], names2, t, path, f"cross-validation fold {k}, second stage")
                return first_fold(k, 0.5) + ["--stack", str(path)]

            threshold2, _ = cv_by_threshold(args, train_sets, held, work, bench_bin, "two stages", both_folds)
    if args.cv_only:
        return
    booster = train(x, y, w)
    write_model(booster, names, threshold, args.out,
                f"trained on {', '.join(train_sets)}: {len(pages_meta)} pages, {len(y)} blocks; "
                f"keep threshold {threshold} chosen by cross-validation by site")
    imp = sorted(zip(booster.feature_importance("gain"), names), reverse=True)[:15]
    print("top features by gain: " + ", ".join(n for _, n in imp), file=sys.stderr)
    print(f"model written to {args.out} ({os.path.getsize(args.out) // 1024} KiB)", file=sys.stderr)
    if x2 is not None:
        stack = train(x2, y2, w2, PARAMS2, ROUNDS2)
        write_model(stack, names2, threshold2, args.stack_out,
                    f"second stage, trained on the out-of-fold first scores of {', '.join(train_sets)}: "
                    f"{len(y2)} blocks; keep threshold {threshold2} chosen by cross-validation by site")
        imp = sorted(zip(stack.feature_importance("gain"), names2), reverse=True)[:15]
        print("second stage, top features by gain: " + ", ".join(n for _, n in imp), file=sys.stderr)
        print(f"second stage written to {args.stack_out} ({os.path.getsize(args.stack_out) // 1024} KiB)",
              file=sys.stderr)


if __name__ == "__main__":
    main()
