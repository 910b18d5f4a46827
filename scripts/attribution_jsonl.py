#!/usr/bin/env python3
"""Turn one split of attribution-dev into one JSON Lines file with dates.

Each article becomes one line with `title`, `text` (the .txt body as
chorus reads it) and `published` (the `publication_date` column of
metadata.tsv), so that the analysis can place articles in time: quote and
title conflicts between articles published months apart are occasions and
updates, which the undated .txt files cannot show.

Usage: scripts/attribution_jsonl.py [DATA_DIR] [SPLIT] > out.jsonl
(defaults: ../shared/data/attribution-dev, train). Standard library only.
The data are not committed; this script is the reproducible part.
"""

import csv
import json
import os
import sys


def main() -> None:
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data", "attribution-dev")
    split = sys.argv[2] if len(sys.argv) > 2 else "train"
    meta = {}
    with open(os.path.join(root, "metadata.tsv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            meta[row["filename"]] = row
    folder = os.path.join(root, split)
    missing = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        stem = name[: -len(".txt")]
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            text = f.read()
        row = meta.get(stem)
        if row is None:
            missing += 1
            row = {}
        title = (row.get("title") or "").strip()
        # The .txt files open with the headline (a period added); it is the
        # `title` field here, so the body starts after it, as the .txt
        # reader splits it.
        first, _, rest = text.partition("\n")
        if title and " ".join(first.split()).rstrip(".") == " ".join(title.split()).rstrip("."):
            text = rest.lstrip("\n")
        line = {"id": stem, "text": text}
        if title:
            line["title"] = title
        date = (row.get("publication_date") or "").strip()
        if date and date.lower() != "none":
            line["published"] = date
        print(json.dumps(line, ensure_ascii=False))
    if missing:
        print(f"{missing} files with no metadata row", file=sys.stderr)


if __name__ == "__main__":
    main()
