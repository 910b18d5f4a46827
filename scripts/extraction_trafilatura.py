"""Runs Python trafilatura on every page of a directory, on one thread, and
prints one JSON object per page ({"path", "text"}) for score.py; the timing
line (pages, wall and CPU seconds, pages/s of each) goes to stderr.

    extraction_trafilatura.py PAGES_DIR [ROUNDS] [--meta]

With ROUNDS > 1 the pages are extracted that many times and the fastest
round is reported, as the `extraction` example of chorus-ingest does for chorus. With --meta each
object also carries trafilatura's metadata (title, author, published,
source, url, language), from one more pass outside the timing. Used by
scripts/score-extraction.sh as the reference extractor.
"""

import json
import sys
import time
from pathlib import Path

import trafilatura


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--meta"]
    with_meta = "--meta" in sys.argv
    pages = sorted(Path(args[0]).glob("*.html"))
    rounds = int(args[1]) if len(args) > 1 else 1
    blobs = [(p.name, p.read_bytes()) for p in pages]
    best_wall = best_cpu = float("inf")
    out = []
    for r in range(max(rounds, 1)):
        texts = []
        start, cpu_start = time.perf_counter(), time.process_time()
        for name, data in blobs:
            text = trafilatura.extract(data, include_comments=False) or ""
            texts.append(json.dumps({"path": name, "text": text}))
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu_start)
        if r == 0:
            out = texts
    if with_meta:
        out = []
        for name, data in blobs:
            raw = trafilatura.extract(data, include_comments=False, output_format="json", with_metadata=True)
            doc = json.loads(raw) if raw else {}
            out.append(json.dumps({"path": name, "text": doc.get("text") or "", "title": doc.get("title"),
                                   "author": doc.get("author"), "published": doc.get("date"),
                                   "source": doc.get("source-hostname"), "url": doc.get("source"),
                                   "language": doc.get("language")}))
    sys.stdout.write("\n".join(out) + "\n")
    n = len(blobs)
    print(f"trafilatura_pages={n} trafilatura_seconds={best_wall:.3f} "
          f"trafilatura_cpu_seconds={best_cpu:.3f} trafilatura_pages_per_s={n / best_wall:.1f} "
          f"trafilatura_pages_per_cpu_s={n / best_cpu:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
