#!/usr/bin/env python3
"""Trains the speaker ranker of `chorus-extract` (crates/extract/data/speaker_ranker.tsv).

Every direct quote has speaker candidates with named features (see
crates/extract/src/quotes/candidates.rs). On the TRAIN split of
attribution-dev each candidate is labelled right or wrong with the dataset's
own rule (score.py's speaker_ok), and a conditional logit (a softmax over
each quote's candidates, L2-regularised) learns the weights: the model is
fitted to choose among one quote's candidates, which is what it does at run
time (the best-scoring candidate is the speaker), rather than to score each
candidate alone. Quotes with no right candidate teach nothing and are left
out of the fit. The regularisation strength is chosen by cross-validation
over train articles; the dev split is only reported, never fitted.

Reproduce (from the repository root; needs numpy and scipy; a debug build
gives the same candidates):

    D=../shared/data/attribution-dev
    cargo build --bin chorus
    cargo build -p chorus-extract --example reextract
    target/debug/chorus extract --format jsonl $D/train/*.txt > /tmp/train.jsonl
    target/debug/chorus extract --format jsonl $D/dev/*.txt > /tmp/dev.jsonl
    target/debug/examples/reextract --candidates < /tmp/train.jsonl > /tmp/train.cands.jsonl
    target/debug/examples/reextract --candidates < /tmp/dev.jsonl > /tmp/dev.cands.jsonl
    python3 scripts/train-speaker-ranker.py $D /tmp/train.cands.jsonl /tmp/dev.cands.jsonl \\
        -o crates/extract/data/speaker_ranker.tsv

The candidates come from the current code, so after a change to the
candidate features the ranker must be retrained (the Rust side ignores
features the weights file does not name, and vice versa).
"""
import argparse
import collections
import importlib.util
import json
import math
from pathlib import Path

import numpy as np
from scipy.optimize import minimize


def load_scorer(data_dir):
    spec = importlib.util.spec_from_file_location("attribution_score", Path(data_dir) / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def labelled(sc, data_dir, split, cands_path):
    """[(article, quote record, gold accept list)] for matched quotes whose
    gold speaker is resolvable."""
    gold, _, _ = sc.load_gold(data_dir, split)
    by = collections.defaultdict(list)
    for line in open(cands_path, encoding="utf-8"):
        q = json.loads(line)
        by[Path(q["path"]).stem].append(q)
    out = []
    for stem, (_text, golds, _ignored) in gold.items():
        qs = by.get(stem, [])
        preds = [dict(start=q["start"], end=q["end"]) for q in qs]
        for i, j in sc.match(preds, golds):
            if golds[j]["accept"]:
                out.append((stem, qs[i], golds[j]["accept"]))
    return out


def matrix(sc, rows, names):
    index = {n: k for k, n in enumerate(names)}
    X, y, quote, group = [], [], [], []
    for qi, (stem, q, accept) in enumerate(rows):
        for c in q["candidates"]:
            x = np.zeros(len(names))
            for n, v in c["features"].items():
                if n in index:
                    x[index[n]] = v
            X.append(x)
            y.append(1 if sc.speaker_ok(c["speaker"], accept) else 0)
            quote.append(qi)
            group.append(stem)
    return np.array(X), np.array(y), np.array(quote), np.array(group)


def top1(scores, quote, y, n_quotes, threshold=-math.inf):
    """Share of quotes whose best candidate is right (no candidate: wrong)."""
    best = {}
    for s, q, lab in zip(scores, quote, y):
        if q not in best or s > best[q][0]:
            best[q] = (s, lab)
    return sum(1 for s, lab in best.values() if lab and s >= threshold) / n_quotes


def fit(X, y, quote, lam):
    """Weights of a conditional logit: for each quote, the log of the
    probability the softmax over its candidates gives its right ones, summed,
    less lam times the squared weights. Returns (bias, weights); the bias is
    only a constant that a choice within one quote cannot see, kept at 0."""
    _, q = np.unique(quote, return_inverse=True)
    nq = q.max() + 1
    has = np.zeros(nq)
    np.add.at(has, q, y)
    keep = has[q] > 0
    X, y, q = X[keep], y[keep].astype(float), q[keep]

    def loss(w):
        s = X @ w
        m = np.full(nq, -np.inf)
        np.maximum.at(m, q, s)
        e = np.exp(s - m[q])
        z = np.zeros(nq)
        np.add.at(z, q, e)
        p = e / z[q]
        pr = np.zeros(nq)
        np.add.at(pr, q, p * y)
        used = has > 0
        f = -np.sum(np.log(pr[used] + 1e-300)) + lam * w @ w
        g = X.T @ (p - p * y / pr[q]) + 2 * lam * w
        return f, g

    r = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 5000})
    return 0.0, r.x


def folds(groups, k=5):
    """k folds of whole articles, in a fixed order."""
    names = sorted(set(groups))
    of = {n: i % k for i, n in enumerate(names)}
    fold = np.array([of[g] for g in groups])
    return [(np.where(fold != i)[0], np.where(fold == i)[0]) for i in range(k)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", help="attribution-dev folder (train/, dev/, score.py)")
    ap.add_argument("train", help="candidates of the train split (reextract --candidates)")
    ap.add_argument("dev", nargs="?", help="candidates of the dev split, reported only")
    ap.add_argument("-o", "--out", help="weights file to write")
    args = ap.parse_args()
    sc = load_scorer(args.data)
    rows = labelled(sc, args.data, "train", args.train)
    names = sorted({n for _, q, _ in rows for c in q["candidates"] for n in c["features"]})
    X, y, quote, group = matrix(sc, rows, names)
    rule = sum(1 for _, q, a in rows if sc.speaker_ok(q["rule_speaker"] or "", a)) / len(rows)
    oracle = len({q for q, lab in zip(quote, y) if lab}) / len(rows)
    print(f"train: {len(rows)} quotes, {len(y)} candidates, {len(names)} features; "
          f"clause reader alone {rule:.4f}, best possible {oracle:.4f}")

    # regularisation by 5-fold cross-validation over articles
    best_lam, best_acc = None, -1.0
    for lam in (0.1, 0.3, 1.0, 3.0, 10.0):
        accs = []
        for tr, te in folds(group):
            _, w = fit(X[tr], y[tr], quote[tr], lam)
            qs = quote[te]
            accs.append(top1(X[te] @ w, qs, y[te], len(set(qs))))
        acc = sum(accs) / len(accs)
        print(f"  lambda={lam:<5} cross-validated top-1 {acc:.4f}")
        if acc > best_acc + 1e-4:
            best_lam, best_acc = lam, acc
    # The fit maximises likelihood, not the share of quotes whose best
    # candidate is right; a bonus to the clause reader's own choice (the
    # `rule` feature), chosen by the same cross-validation, trades the two.
    rule_at = names.index("rule")
    bonus_acc = {b: [] for b in (0.0, 0.25, 0.5, 1.0)}
    for tr, te in folds(group):
        _, wf = fit(X[tr], y[tr], quote[tr], best_lam)
        qs = quote[te]
        for b in bonus_acc:
            wb = wf.copy()
            wb[rule_at] += b
            bonus_acc[b].append(top1(X[te] @ wb, qs, y[te], len(set(qs))))
    best_bonus = max(bonus_acc, key=lambda b: (round(sum(bonus_acc[b]) / len(bonus_acc[b]), 4), -b))
    for b, accs in bonus_acc.items():
        print(f"  rule bonus {b:<4} cross-validated top-1 {sum(accs) / len(accs):.4f}")
    bias, w = fit(X, y, quote, best_lam)
    w[rule_at] += best_bonus
    print(f"lambda={best_lam}, rule bonus {best_bonus}: train top-1 {top1(X @ w, quote, y, len(rows)):.4f}")

    if args.dev:
        drows = labelled(sc, args.data, "dev", args.dev)
        DX, dy, dq, _ = matrix(sc, drows, names)
        drule = sum(1 for _, q, a in drows if sc.speaker_ok(q["rule_speaker"] or "", a)) / len(drows)
        print(f"dev: {len(drows)} quotes; clause reader alone {drule:.4f}, "
              f"ranker {top1(DX @ w, dq, dy, len(drows)):.4f}")

    if args.out:
        w = dict(zip(names, w))
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write("# Speaker ranker: conditional logit over speaker-candidate features\n")
            fh.write("# (crates/extract/src/quotes/candidates.rs). Written by\n")
            fh.write(f"# scripts/train-speaker-ranker.py from the train split of attribution-dev\n")
            fh.write(f"# ({len(rows)} quotes, lambda={best_lam}, rule bonus {best_bonus}); do not edit by hand,\n")
            fh.write("# retrain.\n")
            fh.write(f"bias\t{bias:.6f}\n")
            for n in names:
                fh.write(f"{n}\t{w[n]:.6f}\n")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
