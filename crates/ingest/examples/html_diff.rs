//! Differential check of chorus's HTML parse path against html5ever.
//!
//! The extractor never sees a page as the browser does: it reads the tree
//! that `strip_inert` (comments, scripts, styles … cut out), `bound_markup`
//! (depth and size bounds), the 1 MiB cap and the lean parser (html5ever
//! where it gives up) make of it. A wrong bound in those byte scans (a
//! comment or raw-text element ended at the wrong place) silently loses
//! whole article bodies before any model sees them. This check parses every
//! page both ways and compares the multiset of visible words:
//!
//! - reference: html5ever (`scraper::Html::parse_document`) on the decoded
//!   page as it is;
//! - ours: `content::parse` on the page stripped, bounded and capped, as
//!   `extract_page_with` does.
//!
//! Words are counted in text nodes outside the elements the strip drops on
//! purpose (script, style, template, noscript, iframe, textarea, svg, math,
//! select, object, video, audio, canvas), in both trees, so only unintended
//! losses show. A page diverges when ours loses or adds more than
//! `--percent` (default 2) of the reference's words (and at least 5 words).
//! For each such page it prints the stage where the words first go missing
//! (strip, bound, cap or the parser itself, found by parsing each stage's
//! markup with html5ever) and the reference's words where ours first
//! departs from them.
//!
//! Run: `cargo run -p chorus-ingest --example html_diff -- DIR... [--percent P] [--verbose]`;
//! `--stripped PAGE` prints one page as the strip leaves it, `--spans PAGE`
//! the spans it cuts (to find where a divergence starts); `--time-strip DIR`
//! times the strip alone, then the bounds scan on the stripped pages (build
//! with `--release`).
//! where each DIR holds `*.html` pages or a `pages/` folder of them (or is one page), e.g.
//! `/work/data/ext-sets/*/pages ../shared/data/extraction-dev/pages`.

use std::collections::HashMap;
use std::error::Error;
use std::path::{Path, PathBuf};

use chorus_ingest::formats::html::{bound, content, decode_html, strip};
use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// The visible words of a tree, in document order. Element boundaries
/// separate words; comments and skipped elements do not (the strip cuts
/// them out of the source, joining the text on either side).
fn words(doc: &Html) -> Vec<String> {
    let mut text = String::new();
    let mut skip = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                // Elements whose content the strip removes on purpose
                // (`strip::unread`): not counted on either side.
                Node::Element(e) if strip::unread(e.name()) || skip > 0 => skip += 1,
                Node::Element(_) => text.push(' '),
                Node::Text(t) if skip == 0 => text.push_str(t),
                _ => {}
            },
            Edge::Close(n) => {
                if let Node::Element(_) = n.value() {
                    if skip > 0 {
                        skip -= 1;
                    } else {
                        text.push(' ');
                    }
                }
            }
        }
    }
    text.split_whitespace().map(str::to_string).collect()
}

/// Words of `a` missing from `b` and words of `b` not in `a`, as multisets.
fn lost_added(a: &[String], b: &[String]) -> (usize, usize) {
    let mut count: HashMap<&str, i64> = HashMap::new();
    for w in a {
        *count.entry(w).or_default() += 1;
    }
    for w in b {
        *count.entry(w).or_default() -= 1;
    }
    let lost = count.values().filter(|&&c| c > 0).sum::<i64>() as usize;
    let added = count.values().filter(|&&c| c < 0).map(|c| -c).sum::<i64>() as usize;
    (lost, added)
}

/// Whether `ours` diverges from `reference` past `percent`.
fn diverges(reference: &[String], ours: &[String], percent: f64) -> bool {
    let (lost, added) = lost_added(reference, ours);
    let limit = (reference.len() as f64 * percent / 100.0).max(5.0);
    lost as f64 > limit || added as f64 > limit
}

/// The first word index where the two sequences part, with a few words of
/// each from there.
fn first_departure(a: &[String], b: &[String]) -> (usize, String, String) {
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let show = |s: &[String]| {
        let from = i.saturating_sub(4);
        let mut t = s[from.min(s.len())..(i + 8).min(s.len())].join(" ");
        if t.len() > 110 {
            let mut end = 110;
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            t.truncate(end);
        }
        t
    };
    (i, show(a), show(b))
}

fn pages(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let dir = if dir.join("pages").is_dir() { dir.join("pages") } else { dir.to_path_buf() };
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "html" || e == "htm"));
    v.sort();
    v
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut dirs = Vec::new();
    let mut percent = 2.0;
    let mut verbose = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--percent" => percent = args.next().ok_or("--percent P")?.parse()?,
            "--verbose" => verbose = true,
            "--time-strip" => {
                // Best of five passes of the strip over every page of a set.
                let dir = PathBuf::from(args.next().ok_or("--time-strip DIR")?);
                let pages: Vec<String> =
                    pages(&dir).iter().filter_map(|p| decode_html(&std::fs::read(p).ok()?, None).ok()).collect();
                let mut best = f64::MAX;
                for _ in 0..5 {
                    let t = std::time::Instant::now();
                    let kept: usize = pages.iter().map(|p| strip::strip_inert(p).len()).sum();
                    best = best.min(t.elapsed().as_secs_f64());
                    std::hint::black_box(kept);
                }
                let mb = pages.iter().map(String::len).sum::<usize>() as f64 / 1e6;
                println!("strip pages={} ms={:.1} mb_per_s={:.0}", pages.len(), best * 1e3, mb / best);
                // The bounds scan after it, on the stripped pages (as
                // `extract_page_with` runs it), best of five passes too.
                let stripped: Vec<String> = pages.iter().map(|p| strip::strip_inert(p).into_owned()).collect();
                let mut best = f64::MAX;
                for _ in 0..5 {
                    let t = std::time::Instant::now();
                    let kept: usize = stripped.iter().map(|p| bound::bound_markup(p).map_or(0, |b| b.len())).sum();
                    best = best.min(t.elapsed().as_secs_f64());
                    std::hint::black_box(kept);
                }
                let mb = stripped.iter().map(String::len).sum::<usize>() as f64 / 1e6;
                println!("bound pages={} ms={:.1} mb_per_s={:.0}", stripped.len(), best * 1e3, mb / best);
                return Ok(());
            }
            "--spans" => {
                let path = args.next().ok_or("--spans PAGE")?;
                let raw = decode_html(&std::fs::read(&path)?, None)?;
                for (from, to) in strip::inert_spans(&raw) {
                    let head: String = raw[from..to].chars().take(100).collect();
                    let tail: String =
                        raw[from..to].chars().rev().take(60).collect::<Vec<_>>().into_iter().rev().collect();
                    println!("{from}..{to}\t{head:?} … {tail:?}");
                }
                return Ok(());
            }
            "--stripped" => {
                let path = args.next().ok_or("--stripped PAGE")?;
                let raw = decode_html(&std::fs::read(&path)?, None)?;
                print!("{}", strip::strip_inert(&raw));
                return Ok(());
            }
            _ => dirs.push(PathBuf::from(a)),
        }
    }
    let (mut total, mut refused, mut divergent) = (0usize, 0usize, 0usize);
    let mut by_stage: HashMap<&str, usize> = HashMap::new();
    for dir in &dirs {
        for path in pages(dir) {
            let Ok(bytes) = std::fs::read(&path) else { continue };
            let Ok(raw) = decode_html(&bytes, None) else { continue };
            total += 1;
            let reference = words(&Html::parse_document(&raw));
            let stripped = strip::strip_inert(&raw);
            let Ok(bounded) = bound::bound_markup(&stripped) else {
                refused += 1;
                println!("REFUSED\t{}", path.display());
                continue;
            };
            let (capped, _) = content::capped(&bounded);
            let ours = words(&content::parse(capped).0);
            if verbose {
                let (lost, added) = lost_added(&reference, &ours);
                eprintln!("{}\tref={} ours={} lost={lost} added={added}", path.display(), reference.len(), ours.len());
            }
            if !diverges(&reference, &ours, percent) {
                continue;
            }
            divergent += 1;
            // The first stage whose markup, parsed by html5ever, already
            // diverges from the reference.
            let stage = if diverges(&reference, &words(&Html::parse_document(&stripped)), percent) {
                "strip"
            } else if diverges(&reference, &words(&Html::parse_document(&bounded)), percent) {
                "bound"
            } else if diverges(&reference, &words(&Html::parse_document(capped)), percent) {
                "cap"
            } else {
                "parse"
            };
            *by_stage.entry(stage).or_default() += 1;
            let (lost, added) = lost_added(&reference, &ours);
            let (at, r, o) = first_departure(&reference, &ours);
            println!(
                "{stage}\t{}\tref={} lost={lost} added={added} at_word={at}\n\tref: {r}\n\tours: {o}",
                path.display(),
                reference.len()
            );
        }
    }
    let mut stages: Vec<_> = by_stage.into_iter().collect();
    stages.sort();
    eprintln!("html_diff pages={total} refused={refused} divergent={divergent} by_stage={stages:?}");
    Ok(())
}
