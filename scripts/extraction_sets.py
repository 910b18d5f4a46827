"""Lays out the main-content extraction data sets in one form, and scores
extractors' outputs on them.

    extraction_sets.py prepare OUT [--dev DIR] [--wcxb DIR] [--readability DIR]
        [--chatnoir DIR] [--cleaning DIR]
    extraction_sets.py score SET_DIR OUTPUT.jsonl [--pages NAMES_FILE]
    extraction_sets.py meta SET_DIR OUTPUT.jsonl

`prepare` writes, per data set, OUT/NAME/pages/*.html (the page bytes as
published by the set) and OUT/NAME/gold.jsonl, one object a page:
{"name", "site", "text" (the full main text, or null), "with", "without"
(snippets, or empty), "meta" ({"title", "author", "published", "site_name",
"url", "language"}, each possibly null)}. Sets, each read from where its
repository was cloned or unpacked (nothing is downloaded; nothing of them is
committed to chorus):

- `dev`: ../shared/data/extraction-dev (145 pages, snippet annotations);
- `wcxb-dev`, `wcxb-test`: the WCXB benchmark (Murrough-Foley/
  web-content-extraction-benchmark, CC-BY-4.0: 1,497 + 511 pages of 2025,
  full main text, page type and domain per page); `wcxb-*-article` are their
  article pages only, the kind chorus reads; `wcxb-test-newsite*` the test
  pages of sites with no page in the dev split (held out by site from a
  model trained on wcxb-dev);
- `readability`: Mozilla Readability's test pages (Apache-2.0, 130 pages,
  expected.html is the main text, expected-metadata.json the metadata);
- `dragnet`, `l3s-gn1`, `cleanportaleval`: older public sets of annotated
  pages (2008-2013), as combined by chatnoir-eu/web-content-extraction-
  benchmark (`--chatnoir`: its datasets/combined after `tar xf
  combined.tar.xz`; in the repository the tarball is a Git LFS object) or
  as mirrored file by file by j-szulc/html-cleaning-dataset-merged
  (`--cleaning`: <set>/input/*.html, <set>/GoldStandard/*.txt). Dragnet's
  gold is the article before its comments marker (comments are not the
  body); L3S-GN1's is the text its assessors marked headline, full text or
  supplemental (captions), never related content or comments;
  CleanPortalEval's is the CleanEval-style text with its <p>/<h>/<l>
  markers and URL line taken off. Left out: CleanEval (its gold is every
  running text a corpus would keep, of any page type: all posts of a blog's
  front page, mailing-list archives, sales pages; not one article's body),
  these repositories' copies of Readability's pages (older copies of the
  `readability` set), CETD and Google Trends 2017 (not in the mirror) and
  ScrapingHub's pages (below). These sets give no URL but CleanPortalEval's;
  a page's site is its `<link rel=canonical>`, `og:url` or `<base href>`
  host, else the host most of its absolute links go to (leaving out social
  and ad hosts; it agrees with the canonical host on 90 % of the Dragnet
  and L3S-GN1 pages that have one), else the page alone. A page whose gold
  has fewer than 10 words, or whose gold's word trigrams are not half found
  in the page's own text (gold of another page or version), is dropped, as
  is one of a site that has pages in WCXB's test split (kept unseen for
  the held-out check); the counts are printed. The shipped block model is
  not trained on these sets: by-site CV on the other sets fell with them
  (ARCHITECTURE.md, "block model training data").

The pages of scrapinghub/article-extraction-benchmark are never read here:
that set is a standard test set, kept for judging, never for training.

`score` prints one line `F1 P R pages` for a JSON Lines output of
{"path", "text"} objects. Sets with full main text are scored like the
ScrapingHub benchmark: lower-cased word tokens, shingles of 4 tokens,
precision and recall per page, averaged over pages. Snippet sets are scored
as extraction-dev's score.py does (counts summed over pages).

`meta` prints, per metadata field, how often the output agrees with the
set's annotation, over the pages whose annotation has that field: titles and
site names compared on letters and digits only, authors when one name list
contains the other, published dates on the day, URLs without scheme, `www.`
and trailing slash, languages on the primary subtag.
"""

import argparse
import gzip
import html
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

WORD = re.compile(r"\w+")
WS = re.compile(r"\s+")
TAG = re.compile(r"<[^>]*>")
BLOCK_TAG = re.compile(r"</?(p|div|br|li|ul|ol|h[1-6]|blockquote|pre|tr|table|section|article|figure|figcaption|dt|dd)\b[^>]*>", re.I)
SHINGLE = 4


def site_of(url, fallback):
    """Registered-ish domain of a URL: host without `www.`, the grouping key
    of cross-validation by site."""
    host = urlparse(url).hostname if url else None
    if not host:
        return fallback
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def html_text(markup):
    """Plain text of an expected.html, one block a line."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", markup)
    markup = BLOCK_TAG.sub("\n", markup)
    text = html.unescape(TAG.sub("", markup))
    return "\n".join(WS.sub(" ", line).strip() for line in text.splitlines() if line.strip())


def write_set(out, name, records):
    d = Path(out) / name
    (d / "pages").mkdir(parents=True, exist_ok=True)
    with open(d / "gold.jsonl", "w", encoding="utf-8") as g:
        for rec, data in records:
            (d / "pages" / rec["name"]).write_bytes(data)
            g.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{name}: {len(list((d / 'pages').iterdir()))} pages", file=sys.stderr)


def meta(title=None, author=None, published=None, site_name=None, url=None, language=None):
    return {"title": title, "author": author, "published": published, "site_name": site_name,
            "url": url, "language": language}


def prepare_dev(src):
    gold = json.load(open(Path(src) / "gold.json", encoding="utf-8"))
    for name, g in sorted(gold.items()):
        path = Path(src) / "pages" / name
        if path.exists():
            rec = {"name": name, "site": site_of(g.get("url"), name), "text": None,
                   "with": g["with"], "without": g["without"], "meta": meta(url=g.get("url"))}
            yield rec, path.read_bytes()


def data_url(gt_path):
    return json.load(open(gt_path, encoding="utf-8")).get("url")


def prepare_wcxb(src, split, article_only, unseen_sites=False):
    """WCXB pages of a split. With `unseen_sites`, only pages of sites that
    have no page in the dev split (the one chorus's model trains on)."""
    files = json.load(open(Path(src) / "metadata.json", encoding="utf-8"))["files"]
    dev_sites = set()
    if unseen_sites:
        for gt_path in (Path(src) / "dev" / "ground-truth").glob("*.json"):
            data = json.load(open(gt_path, encoding="utf-8"))
            dev_sites.add(files.get(gt_path.stem, {}).get("domain") or site_of(data.get("url"), gt_path.stem))
    for gt_path in sorted((Path(src) / split / "ground-truth").glob("*.json")):
        fid = gt_path.stem
        info = files.get(fid, {})
        if article_only and info.get("page_type") != "article":
            continue
        site = info.get("domain") or site_of(data_url(gt_path), fid)
        if unseen_sites and site in dev_sites:
            continue
        data = json.load(open(gt_path, encoding="utf-8"))
        gt = data.get("ground_truth") or {}
        page = Path(src) / split / "html" / f"{fid}.html.gz"
        if not page.exists() or not gt.get("main_content"):
            continue
        url = data.get("url")
        rec = {"name": f"{fid}.html", "site": info.get("domain") or site_of(url, fid),
               "text": gt["main_content"], "with": gt.get("with") or [], "without": gt.get("without") or [],
               "type": info.get("page_type"),
               "meta": meta(title=gt.get("title"), author=gt.get("author"), published=gt.get("publish_date"),
                            url=url)}
        yield rec, gzip.decompress(page.read_bytes())


def prepare_readability(src):
    root = Path(src) / "test" / "test-pages" if (Path(src) / "test").exists() else Path(src)
    for d in sorted(p for p in root.iterdir() if p.is_dir()):
        source, expected = d / "source.html", d / "expected.html"
        if not source.exists() or not expected.exists():
            continue
        m = {}
        if (d / "expected-metadata.json").exists():
            m = json.load(open(d / "expected-metadata.json", encoding="utf-8"))
        # Pages of one site are numbered (ars-1, ars-2): they share a site.
        site = re.sub(r"-\d+$", "", d.name)
        rec = {"name": f"{d.name}.html", "site": site,
               "text": html_text(expected.read_text(encoding="utf-8", errors="replace")),
               "with": [], "without": [],
               "meta": meta(title=m.get("title"), author=m.get("byline"), published=m.get("publishedTime"),
                            site_name=m.get("siteName"), language=m.get("lang"))}
        yield rec, source.read_bytes()


COMMENTS_MARK = re.compile(r"!@#\$%\^&\*\(\)\s*COMMENTS")
CANONICAL = re.compile(r"<link\b[^>]*\brel=[\"']?canonical\b[^>]*>|<meta\b[^>]*\bproperty=[\"']og:url[\"'][^>]*>"
                       r"|<base\b[^>]*\bhref=[^>]*>", re.I)
ABS_URL = re.compile(r"(?:href|content)=[\"']?(https?://[^\"'\s>]+)", re.I)
LINK = re.compile(r"<a\b[^>]*?\bhref=[\"']?(https?://[^\"'\s>]+)", re.I)
# Hosts that many sites link to (sharing, ads, feeds, platforms): never a
# page's own site when its links are counted.
THIRD_PARTY = ("twitter.com", "facebook.com", "google.com", "doubleclick.net", "addthis.com", "feedburner.com",
               "blogger.com", "digg.com", "reddit.com", "stumbleupon.com", "linkedin.com", "youtube.com",
               "delicious.com", "del.icio.us", "technorati.com", "wordpress.org", "yahoo.com", "apple.com",
               "adobe.com", "macromedia.com", "w3.org", "feeds.feedburner.com")
MIN_GOLD_WORDS = 10


def page_site(markup, fallback):
    """(site, evidence) of a page with no URL: the canonical, og:url or base
    URL's host, else the host most of its absolute links point to (social
    and ad hosts left out), else `fallback` (the page is a site alone)."""
    m = CANONICAL.search(markup)
    if m and ABS_URL.search(m.group(0)):
        return site_of(ABS_URL.search(m.group(0)).group(1), fallback), "canonical"
    hosts = Counter()
    for u in LINK.findall(markup):
        h = site_of(u, None)
        if h and not any(h == t or h.endswith("." + t) for t in THIRD_PARTY):
            hosts[h] += 1
    if hosts:
        return hosts.most_common(1)[0][0], "links"
    return fallback, "none"


def visible_text(markup):
    markup = re.sub(r"(?is)<!--.*?-->|<(script|style)\b.*?</\1\s*>", " ", markup)
    return html.unescape(TAG.sub(" ", markup))


def gold_of_page(gold, markup):
    """Whether a gold text is usable for this page: 10 words or more, and
    half its word trigrams found in the page's own text."""
    g = tokens(gold)
    if len(g) < MIN_GOLD_WORDS:
        return False
    p = tokens(visible_text(markup))
    have = {tuple(p[i:i + 3]) for i in range(len(p) - 2)}
    tri = [tuple(g[i:i + 3]) for i in range(len(g) - 2)]
    return sum(t in have for t in tri) >= 0.5 * len(tri)


def l3s_text(markup):
    """Text of an L3S-GN1 assessed page that its assessors marked headline
    (x-nc-sel1), full text (2) or supplemental (3), one block a line."""
    from html.parser import HTMLParser

    class P(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack, self.out, self.skip = [], [], 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style"):
                self.skip += 1
            elif tag == "span":
                cls = dict(attrs).get("class") or ""
                m = re.search(r"x-nc-sel(\d)", cls)
                self.stack.append(int(m.group(1)) if m else None)
            elif BLOCK_TAG.match(f"<{tag}>"):
                self.out.append("\n")

        def handle_endtag(self, tag):
            if tag in ("script", "style"):
                self.skip = max(0, self.skip - 1)
            elif tag == "span" and self.stack:
                self.stack.pop()
            elif BLOCK_TAG.match(f"</{tag}>"):
                self.out.append("\n")

        def handle_data(self, data):
            label = next((x for x in reversed(self.stack) if x is not None), None)
            if not self.skip and label in (1, 2, 3):
                self.out.append(data)

    p = P()
    p.feed(markup)
    p.close()
    text = "".join(p.out)
    return "\n".join(WS.sub(" ", line).strip() for line in text.splitlines() if line.strip())


def cleaneval_text(gold):
    """CleanEval-style gold (CleanPortalEval): (text, url) without the URL
    line and the <p>/<h>/<l> paragraph markers."""
    url = re.search(r"^\s*URL:\s*(\S+)", gold)
    gold = re.sub(r"^\s*URL:[^\n]*\n", "", gold)
    gold = html.unescape(re.sub(r"<(p|h|l)>", "\n", gold))
    return "\n".join(WS.sub(" ", line).strip() for line in gold.splitlines() if line.strip()), \
        (url.group(1) if url else None)


def dragnet_text(gold):
    return COMMENTS_MARK.split(gold)[0].strip()


# Sub-datasets of the older sets, by our set name: (name in chatnoir's
# combined set, folder in the j-szulc mirror, gold reader).
OLDER_SETS = {
    "dragnet": ("dragnet", "dragnet_data", lambda g: (dragnet_text(g), None)),
    "l3s-gn1": ("l3s-gn1", "page-signal-master", lambda g: (l3s_text(g), None)),
    "cleanportaleval": ("cleanportaleval", "CleanPortalEval-master", cleaneval_text),
}


def decode(data):
    """Text of a file: UTF-16 when it opens with its byte-order mark (some
    Dragnet gold files), else UTF-8 with bad bytes replaced."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def read_bytes_text(path):
    data = Path(path).read_bytes()
    return data, decode(data)


def older_pages(name, src, layout):
    """(page name, page bytes, page text, gold text, url) of one older set."""
    combined_name, folder, reader = OLDER_SETS[name]
    if layout == "cleaning":
        gold_dir = Path(src) / folder / "GoldStandard"
        for page in sorted((Path(src) / folder / "input").glob("*.htm*")):
            gold_path = gold_dir / (page.stem + ".txt")
            data, markup = read_bytes_text(page)
            gold, url = (reader(decode(gold_path.read_bytes()))
                         if gold_path.exists() else ("", None))
            yield page.stem + ".html", data, markup, gold, url
    else:
        root = Path(src) / "datasets" / "combined" if (Path(src) / "datasets").exists() else Path(src)
        truth = root / "ground-truth" / f"{combined_name}.jsonl"
        if not truth.exists() or truth.read_bytes().startswith(b"version https://git-lfs"):
            sys.exit(f"{truth}: missing (is datasets/combined.tar.xz a Git LFS pointer, not unpacked?)")
        for line in open(truth, encoding="utf-8"):
            j = json.loads(line)
            page = root / "html" / combined_name / f"{j['page_id']}.html"
            if not page.exists():
                continue
            data, markup = read_bytes_text(page)
            # The combined set's L3S-GN1 gold is already the text of classes 1-3;
            # Dragnet's keeps the comments marker.
            gold = j.get("plaintext") or ""
            if name == "dragnet":
                gold = dragnet_text(gold)
            yield page.name, data, markup, gold, j.get("url")


def prepare_older(name, src, layout, held_sites):
    dropped = Counter()
    evidence = Counter()
    for page_name, data, markup, gold, url in older_pages(name, src, layout):
        if url:
            site, how = site_of(url, page_name), "url"
        elif name == "cleanportaleval":
            # Named site_section_NN.html: the site is the name's first part.
            site, how = page_name.split("_")[0], "name"
        else:
            site, how = page_site(markup, f"{name}:{page_name}")
        bare = site[4:] if site.startswith("www.") else site
        if not gold_of_page(gold, markup):
            dropped["gold empty or not of this page"] += 1
            continue
        if bare in held_sites:
            dropped["site in WCXB's test split"] += 1
            continue
        evidence[how] += 1
        rec = {"name": page_name, "site": bare, "text": gold, "with": [], "without": [],
               "meta": meta(url=url)}
        yield rec, data
    print(f"{name}: site from {dict(evidence)}; dropped {dict(dropped) or 0}", file=sys.stderr)


def wcxb_test_sites(out, src):
    """Sites of WCXB's test split: from the set already laid out in OUT,
    else from the WCXB folder given."""
    sites = set()
    laid_out = Path(out) / "wcxb-test" / "gold.jsonl"
    if laid_out.exists():
        sites = {g["site"] for g in load_gold(laid_out.parent)}
    elif src:
        files = json.load(open(Path(src) / "metadata.json", encoding="utf-8"))["files"]
        for gt_path in (Path(src) / "test" / "ground-truth").glob("*.json"):
            sites.add(files.get(gt_path.stem, {}).get("domain") or site_of(data_url(gt_path), gt_path.stem))
    else:
        print("no WCXB test split laid out or given: pages of its sites are not dropped", file=sys.stderr)
    return {s[4:] if s.startswith("www.") else s for s in sites}


def tokens(text):
    return WORD.findall((text or "").lower())


def shingles(toks):
    if len(toks) < SHINGLE:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i:i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1))


def prf(pred, gold):
    """Shingle precision, recall and F1 of one page (ScrapingHub's rule)."""
    p, g = shingles(tokens(pred)), shingles(tokens(gold))
    if not g:
        return (1.0, 1.0, 1.0) if not p else (0.0, 1.0, 0.0)
    tp = sum((p & g).values())
    precision = tp / sum(p.values()) if p else 0.0
    recall = tp / sum(g.values())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_gold(set_dir):
    with open(Path(set_dir) / "gold.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_output(path):
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                out.setdefault(os.path.basename(o.get("path") or o.get("file") or ""), o.get("text") or "")
    return out


def score(gold, texts):
    """(F1, precision, recall, pages) over the gold records given."""
    if not gold:
        return 0.0, 0.0, 0.0, 0
    if all(g.get("text") is None for g in gold):
        tp = fp = fn = 0
        for g in gold:
            t = WS.sub(" ", texts.get(g["name"], "")).strip()
            found = sum(WS.sub(" ", s).strip() in t for s in g["with"])
            leaked = sum(WS.sub(" ", s).strip() in t for s in g["without"])
            tp, fn, fp = tp + found, fn + len(g["with"]) - found, fp + leaked
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), p, r, len(gold)
    per = [prf(texts.get(g["name"], ""), g["text"]) for g in gold]
    n = len(per)
    return sum(x[2] for x in per) / n, sum(x[0] for x in per) / n, sum(x[1] for x in per) / n, n


def alnum(s):
    return "".join(c for c in (s or "").lower() if c.isalnum())


def url_key(u):
    u = (u or "").strip().lower().split("#")[0]
    u = re.sub(r"^https?://", "", u)
    u = u[4:] if u.startswith("www.") else u
    return u.rstrip("/")


def same_date(g, o):
    """Same publication date: the same instant when both carry a time with
    an offset (a date written in UTC or in local time), else the same day."""
    from datetime import datetime
    g, o = (g or "").strip(), (o or "").strip()
    try:
        a, b = datetime.fromisoformat(g.replace("Z", "+00:00")), datetime.fromisoformat(o.replace("Z", "+00:00"))
        if a.tzinfo and b.tzinfo and len(g) > 10 and len(o) > 10:
            return abs((a - b).total_seconds()) < 60
    except ValueError:
        pass
    return g[:10] == o[:10]


META_FIELDS = {
    # gold field: (output field, comparison)
    "title": ("title", lambda g, o: alnum(g) == alnum(o)),
    "author": ("author", lambda g, o: bool(alnum(o)) and (alnum(g) in alnum(o) or alnum(o) in alnum(g))),
    "published": ("published", same_date),
    "site_name": ("source", lambda g, o: alnum(g) == alnum(o)),
    "url": ("url", lambda g, o: url_key(g) == url_key(o)),
    "language": ("language", lambda g, o: (g or "").lower().split("-")[0] == (o or "").lower().split("-")[0]),
}


def meta_scores(gold, outputs):
    """{field: (agreeing, pages with the field)}."""
    res = {}
    for field, (out_field, same) in META_FIELDS.items():
        have = [g for g in gold if (g.get("meta") or {}).get(field)]
        ok = sum(1 for g in have if same(g["meta"][field], (outputs.get(g["name"]) or {}).get(out_field)))
        if have:
            res[field] = (ok, len(have))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("out")
    p.add_argument("--dev")
    p.add_argument("--wcxb")
    p.add_argument("--readability")
    p.add_argument("--chatnoir", help="chatnoir-eu/web-content-extraction-benchmark, combined.tar.xz unpacked")
    p.add_argument("--cleaning", help="j-szulc/html-cleaning-dataset-merged (the same older sets, file by file)")
    s = sub.add_parser("score")
    s.add_argument("set_dir")
    s.add_argument("output")
    s.add_argument("--pages", help="file of page names: score only those")
    m = sub.add_parser("meta")
    m.add_argument("set_dir")
    m.add_argument("output")
    args = ap.parse_args()
    if args.cmd == "prepare":
        if args.dev:
            write_set(args.out, "dev", prepare_dev(args.dev))
        if args.wcxb:
            for split in ("dev", "test"):
                write_set(args.out, f"wcxb-{split}", prepare_wcxb(args.wcxb, split, False))
                write_set(args.out, f"wcxb-{split}-article", prepare_wcxb(args.wcxb, split, True))
            write_set(args.out, "wcxb-test-newsite", prepare_wcxb(args.wcxb, "test", False, True))
            write_set(args.out, "wcxb-test-newsite-article", prepare_wcxb(args.wcxb, "test", True, True))
        if args.readability:
            write_set(args.out, "readability", prepare_readability(args.readability))
        older = args.chatnoir or args.cleaning
        if older:
            held = wcxb_test_sites(args.out, args.wcxb)
            for name in OLDER_SETS:
                write_set(args.out, name, prepare_older(name, older, "cleaning" if args.cleaning else "chatnoir",
                                                        held))
    elif args.cmd == "meta":
        outputs = {}
        with open(args.output, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.strip():
                    o = json.loads(line)
                    outputs.setdefault(os.path.basename(o.get("path") or ""), o)
        res = meta_scores(load_gold(args.set_dir), outputs)
        print(" ".join(f"{k}={ok / n:.3f}({ok}/{n})" for k, (ok, n) in res.items()))
    else:
        gold = load_gold(args.set_dir)
        if args.pages:
            keep = set(Path(args.pages).read_text().split())
            gold = [g for g in gold if g["name"] in keep]
        f1, p, r, n = score(gold, load_output(args.output))
        print(f"f1={f1:.4f} precision={p:.4f} recall={r:.4f} pages={n}")


if __name__ == "__main__":
    main()
