#!/usr/bin/env python3
"""The static tier on the Microsoft Research Paraphrase Corpus (MSRP).

Reads the corpus from a directory given on the command line (the layout of
the public repository brmson/dataset-sts, data/para/msr: msr-para-train.tsv,
msr-para-test.tsv; not shipped here: its licence is Microsoft's), embeds
every pair with the shipped static model (the `pairs` example of
chorus-semantic, release build) and prints, for the static cosine, for a
word-overlap baseline (tf-idf cosine of lower-cased words, idf over the
split's sentences) and for their mean:

- ROC AUC on test (threshold-free: how well the score orders paraphrases
  above non-paraphrases);
- accuracy and F1 on test at the threshold that maximises accuracy on
  train (the threshold is fitted on train only, never on test).

    scripts/semantic/msrp.py PATH/TO/data/para/msr

MSRP pairs are single sentence pairs with no story around them, so the
story-centred cosine that facts use (SEM_ANCHORED, ARCHITECTURE.md) has no
counterpart here: these figures describe the raw static vectors, the raw
material of the fast tier, not the pipeline's decision.
"""

import math
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(path):
    pairs = []
    with open(path, encoding="utf-8-sig") as f:
        next(f)  # header
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 5 and cols[0] in ("0", "1"):
                pairs.append((int(cols[0]), cols[3], cols[4]))
    return pairs


def static_cosines(pairs):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as t:
        for label, a, b in pairs:
            t.write(f"{label}\t{a.replace(chr(9), ' ')}\t{b.replace(chr(9), ' ')}\n")
        name = t.name
    try:
        out = subprocess.run(
            ["cargo", "run", "--quiet", "--release", "-p", "chorus-semantic", "--example", "pairs", "--", name],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(name)
    scores = [float(l.split("\t")[1]) for l in out.splitlines() if re.match(r"^[01]\t", l)]
    assert len(scores) == len(pairs), (len(scores), len(pairs))
    return scores


WORD = re.compile(r"\w+")


def words(s):
    return WORD.findall(s.lower())


def tfidf_cosines(pairs):
    df = Counter()
    n = 0
    for _, a, b in pairs:
        for s in (a, b):
            df.update(set(words(s)))
            n += 1

    def vec(s):
        tf = Counter(words(s))
        return {w: c * (math.log(n / df[w]) + 1.0) for w, c in tf.items()}

    out = []
    for _, a, b in pairs:
        va, vb = vec(a), vec(b)
        dot = sum(w * vb.get(t, 0.0) for t, w in va.items())
        na = math.sqrt(sum(w * w for w in va.values()))
        nb = math.sqrt(sum(w * w for w in vb.values()))
        out.append(dot / (na * nb) if na and nb else 0.0)
    return out


def auc(labels, scores):
    """ROC AUC by ranks (ties get the mean rank)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(labels)
    neg = len(labels) - pos
    return (sum(r for r, l in zip(ranks, labels) if l) - pos * (pos + 1) / 2) / (pos * neg)


def acc_f1(labels, scores, t):
    tp = sum(1 for l, s in zip(labels, scores) if l and s >= t)
    fp = sum(1 for l, s in zip(labels, scores) if not l and s >= t)
    fn = sum(1 for l, s in zip(labels, scores) if l and s < t)
    tn = len(labels) - tp - fp - fn
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return (tp + tn) / len(labels), f1


def best_threshold(labels, scores):
    cands = sorted(set(round(s, 3) for s in scores))
    return max(cands, key=lambda t: (acc_f1(labels, scores, t)[0], -t))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    train = read(os.path.join(d, "msr-para-train.tsv"))
    test = read(os.path.join(d, "msr-para-test.tsv"))
    ytr = [p[0] for p in train]
    yte = [p[0] for p in test]
    st_tr, st_te = static_cosines(train), static_cosines(test)
    lx_tr, lx_te = tfidf_cosines(train), tfidf_cosines(test)
    mix_tr = [(a + b) / 2 for a, b in zip(st_tr, lx_tr)]
    mix_te = [(a + b) / 2 for a, b in zip(st_te, lx_te)]
    print(f"MSRP: {len(train)} train pairs, {len(test)} test pairs ({sum(yte) / len(yte):.1%} paraphrases in test)")
    print(f"always 'paraphrase': test acc {acc_f1(yte, [1] * len(yte), 0.5)[0]:.3f} F1 {acc_f1(yte, [1] * len(yte), 0.5)[1]:.3f}")
    for name, tr, te in (
        ("static cosine", st_tr, st_te),
        ("tf-idf cosine (words)", lx_tr, lx_te),
        ("mean of the two", mix_tr, mix_te),
    ):
        t = best_threshold(ytr, tr)
        a, f = acc_f1(yte, te, t)
        print(f"{name:24s} test AUC {auc(yte, te):.3f} | threshold {t:.3f} (best accuracy on train): test acc {a:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
