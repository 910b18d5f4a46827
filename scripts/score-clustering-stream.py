#!/usr/bin/env python3
"""Scores `chorus cluster` on a real labelled headline stream.

The stream is a CSV in the layout of the UCI News Aggregator data set
(ID, TITLE, URL, PUBLISHER, CATEGORY, STORY, HOSTNAME, TIMESTAMP; TIMESTAMP
in milliseconds since 1970; STORY is the id of a Google News story cluster).
It is never committed: pass its path. Each window of consecutive rows becomes
a JSON Lines file of headline-only items (title, empty text, source = the
publisher, published = the timestamp, url), in the stream's own order and
in a shuffled order; `chorus cluster --format json` groups both, and the
stories are scored against the STORY ids: BCubed precision, recall and F1
(averaged over items, as the clustering-dev score.py does), gold and chorus
story counts. The shuffled run must give the same stories (batch clustering
sorts by a canonical key): its BCubed F1 against the in-order run is printed
and a difference fails the script.

    scripts/score-clustering-stream.py CSV [--windows K] [--rows N]
        [--bin PATH] [--no-url] [--seed S]

--windows K splits the first --rows rows (default: all) into K windows of
consecutive rows (default 3), each scored on its own, plus their mean.
--bin picks the binary (default: target/release/chorus, built if missing).
"""
import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_rows(path):
    """The CSV's rows with a title, a story id and a numeric timestamp."""
    rows = []
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for r in csv.DictReader(f):
            ts = (r.get("TIMESTAMP") or "").strip()
            if not (r.get("TITLE") and r.get("STORY") and ts.isdigit()):
                continue
            rows.append(r)
    return rows


def item(r, url):
    when = datetime.fromtimestamp(int(r["TIMESTAMP"]) / 1000, tz=timezone.utc)
    d = {
        "title": r["TITLE"],
        "text": "",
        "source": r.get("PUBLISHER") or None,
        "published": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if url and r.get("URL"):
        d["url"] = r["URL"]
    return d


def cluster(binary, rows, order, url, work):
    """Runs chorus on `rows` written in `order`; returns {row index: story}."""
    path = Path(work) / "stream.jsonl"
    with open(path, "w", encoding="utf-8") as o:
        for i in order:
            o.write(json.dumps(item(rows[i], url)) + "\n")
    out = subprocess.run(
        [binary, "cluster", "--quiet", "--format", "json", str(path)],
        check=True, capture_output=True, text=True,
    ).stdout
    assign = {}
    for si, st in enumerate(json.loads(out)["stories"]):
        for a in st["articles"]:
            line = int(a["path"].rsplit("#", 1)[1])
            assign[order[line - 1]] = si
    missing = [i for i in order if i not in assign]
    for k, i in enumerate(missing):  # absent from the output: a singleton each
        assign[i] = f"missing{k}"
    return assign


def bcubed(pred, gold):
    """BCubed precision, recall, F1 averaged over items (as score.py)."""
    by_pred, by_gold, both = defaultdict(int), defaultdict(int), defaultdict(int)
    for i in gold:
        by_pred[pred[i]] += 1
        by_gold[gold[i]] += 1
        both[(pred[i], gold[i])] += 1
    n = len(gold)
    p = sum(both[(pred[i], gold[i])] / by_pred[pred[i]] for i in gold) / n
    r = sum(both[(pred[i], gold[i])] / by_gold[gold[i]] for i in gold) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--rows", type=int, default=0)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "chorus"))
    ap.add_argument("--no-url", action="store_true")
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()

    if not Path(args.bin).exists():
        subprocess.run(["cargo", "build", "--quiet", "--release", "--bin", "chorus",
                        "--manifest-path", str(ROOT / "Cargo.toml")], check=True)
    rows = read_rows(args.csv)
    if args.rows:
        rows = rows[: args.rows]
    k = max(1, args.windows)
    size = len(rows) // k
    totals = [0.0, 0.0, 0.0]
    same = True
    print("window rows      items gold chorus   P      R      F1     shuffled-agree")
    with tempfile.TemporaryDirectory() as work:
        for w in range(k):
            lo, hi = w * size, (len(rows) if w == k - 1 else (w + 1) * size)
            win = rows[lo:hi]
            gold = {i: r["STORY"] for i, r in enumerate(win)}
            order = sorted(range(len(win)), key=lambda i: (int(win[i]["TIMESTAMP"]), i))
            pred = cluster(args.bin, win, order, not args.no_url, work)
            shuffled = order[:]
            random.Random(args.seed + w).shuffle(shuffled)
            pred2 = cluster(args.bin, win, shuffled, not args.no_url, work)
            agree = bcubed(pred2, {i: pred[i] for i in pred})[2]
            same &= agree == 1.0
            p, r, f = bcubed(pred, gold)
            totals = [a + b for a, b in zip(totals, (p, r, f))]
            print(f"{w + 1:<6} {lo:>5}-{hi - 1:<5} {len(win):>5} {len(set(gold.values())):>4} "
                  f"{len(set(pred.values())):>6}   {p:.3f}  {r:.3f}  {f:.3f}  {agree:.4f}")
    p, r, f = (t / k for t in totals)
    print(f"mean{'':36}{p:.3f}  {r:.3f}  {f:.3f}")
    print(f"RESULT windows={k} P={p:.4f} R={r:.4f} F1={f:.4f} order_independent={same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
