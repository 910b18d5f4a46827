"""Runs Python trafilatura on every page of a directory, on one thread, and
prints one JSON object per page ({"path", "text"}) for score.py; the timing
line (pages, seconds, pages/s) goes to stderr.

Used by scripts/score-extraction.sh as the reference extractor.
"""

import json
import sys
import time
from pathlib import Path

import trafilatura


def main() -> None:
    pages = sorted(Path(sys.argv[1]).glob("*.html"))
    blobs = [(p.name, p.read_bytes()) for p in pages]
    out = []
    start = time.perf_counter()
    for name, data in blobs:
        text = trafilatura.extract(data, include_comments=False) or ""
        out.append(json.dumps({"path": name, "text": text}))
    elapsed = time.perf_counter() - start
    sys.stdout.write("\n".join(out) + "\n")
    print(f"trafilatura_pages={len(blobs)} trafilatura_seconds={elapsed:.3f} "
          f"trafilatura_pages_per_s={len(blobs) / elapsed:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
