#!/usr/bin/env python3
"""Where the wrong speakers of `chorus extract` are, on attribution-dev.

Usage:
    python3 scripts/attribution_errors.py PRED.jsonl DATA_DIR --split dev [--show N]

Matches predictions to gold exactly as the dataset's reference scorer does
(it imports DATA_DIR/score.py), then sorts every matched quote whose gold
speaker is resolvable and whose predicted speaker is wrong into one kind:

- none:           no speaker predicted;
- non-person:     a speaker that names nobody (no capitalised word: "the
                  sign", "players", "the report");
- missed pronoun: the gold Source is a pronoun ("he said") and the predicted
                  name is not what it refers to;
- wrong person:   the gold Source is named and the predicted name is another.

`--show N` prints N examples of each kind (article, quote, gold, predicted).
"""
import argparse
import importlib.util
import re
import sys
from pathlib import Path

KINDS = ("wrong person", "non-person", "missed pronoun", "none")


def load_scorer(data_dir):
    spec = importlib.util.spec_from_file_location("attribution_score", Path(data_dir) / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def names_someone(sc, speaker):
    """A predicted speaker names a person or body when it has a capitalised
    content word (the scorer's own word rule)."""
    return any(w[0].isupper() and w.lower() not in sc.STOP for w in sc.words(speaker))


def kind_of(sc, pred, gold):
    if not pred.strip():
        return "none"
    if not names_someone(sc, pred):
        return "non-person"
    if sc.is_pronominal(gold["source"]):
        return "missed pronoun"
    return "wrong person"


def breakdown(sc, records, gold):
    counts = {k: 0 for k in KINDS}
    examples = {k: [] for k in KINDS}
    total = wrong = 0
    for stem, (text, golds, _ignored) in gold.items():
        rec = records.get(stem)
        if rec is None:
            continue
        preds = sc.predicted_quotes(rec, text)
        for i, j in sc.match(preds, golds):
            g = golds[j]
            if not g["accept"]:
                continue
            total += 1
            if sc.speaker_ok(preds[i]["speaker"], g["accept"]):
                continue
            wrong += 1
            k = kind_of(sc, preds[i]["speaker"], g)
            counts[k] += 1
            examples[k].append((stem, g, preds[i]["speaker"]))
    return total, wrong, counts, examples


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pred")
    ap.add_argument("data")
    ap.add_argument("--split", default="dev", choices=["train", "dev", "all"])
    ap.add_argument("--show", type=int, default=0, help="examples to print per kind")
    args = ap.parse_args()
    sc = load_scorer(args.data)
    gold, _, _ = sc.load_gold(args.data, args.split)
    records = sc.read_jsonl(args.pred)
    total, wrong, counts, examples = breakdown(sc, records, gold)
    print(f"wrong speakers: {wrong} of {total} resolvable matched quotes")
    for k in KINDS:
        share = counts[k] / total if total else 0.0
        print(f"  {k:<15} {counts[k]:>5}  ({share:.1%} of quotes)")
    print("errors " + " ".join(f"{k.replace(' ', '_').replace('-', '_')}={counts[k]}" for k in KINDS))
    for k in KINDS:
        for stem, g, pred in examples[k][: args.show]:
            quote = re.sub(r"\s+", " ", g["text"])[:70]
            accept = " | ".join(g["accept"])
            print(f"[{k}] {stem}: “{quote}” gold={g['source']!r} ({accept}) pred={pred!r}", file=sys.stdout)


if __name__ == "__main__":
    main()
