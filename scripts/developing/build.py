#!/usr/bin/env python3
"""Builds a dated developing-story set from ../shared/data/clustering-dev:
the articles of three events that developed over days (paris.attacks.2015,
tohoku.earthquake.tsunami, greek.elections) as JSON Lines, each with the
publication day in dates.tsv (our reading of each article's own time
words, see its `why` column). The texts stay in the shared set; this writes them to a
file you name, for measuring only (the set's licence allows no more).

    python3 scripts/developing/build.py ../shared/data/clustering-dev > /tmp/developing.jsonl
"""
import csv, json, os, sys

root = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
dates = {r["file"]: r["published"] for r in csv.DictReader(open(os.path.join(here, "dates.tsv")), delimiter="\t")}
for name, day in sorted(dates.items(), key=lambda kv: (kv[1], kv[0])):
    lines = open(os.path.join(root, "articles", name), encoding="utf-8").read().split("\n")
    title, text = lines[0].strip(), "\n".join(lines[1:]).strip()
    print(json.dumps({"url": f"https://clustering-dev.example/{name}", "title": title, "text": text,
                      "published": day}, ensure_ascii=False))
