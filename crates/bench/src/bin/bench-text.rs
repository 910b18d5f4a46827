//! Read + clean + split throughput (issue 4's figure).
//!
//! Builds a deterministic corpus of at least `--mb` megabytes (default 64) of
//! article text by recombining sentences of real articles (the shared dev
//! sets when present, else the shipped example story), with site furniture
//! mixed in, writes it as plain-text files and as one JSON Lines file, then
//! times reading (decoding, format parsing, headline detection), cleaning
//! (line rules and per-source templates) and sentence splitting, on ONE
//! thread, so the figure is per core.
//!
//! Run: `cargo run --release -p chorus-bench --bin bench-text [-- --mb 64]`

use std::io::Write;
use std::path::{Path, PathBuf};

use chorus_bench::{Rng, mb, peak_rss_bytes, timed_cpu};

const FURNITURE: &[&str] = &[
    "Share this article",
    "Follow us on X",
    "Sign up for our daily newsletter",
    "Total views: 1,204",
    "Read the full story here",
    "Advertisement",
];

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let target_mb: usize =
        args.iter().position(|a| a == "--mb").and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(64);
    rayon::ThreadPoolBuilder::new().num_threads(1).build_global()?;

    // The corpus is written once under target/ and reused, so that repeated
    // runs (and profilers) measure reading, not writing.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/bench-text-corpus-{target_mb}"));
    let stamp = dir.join("DONE");
    let (bytes, n) = match std::fs::read_to_string(&stamp).ok().and_then(|s| {
        let (b, n) = s.trim().split_once(' ')?;
        Some((b.parse::<usize>().ok()?, n.parse::<usize>().ok()?))
    }) {
        Some(found) => found,
        None => {
            let sentences = source_sentences();
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir)?;
            let (bytes, n) = write_corpus(&dir, &sentences, target_mb * 1024 * 1024)?;
            std::fs::write(&stamp, format!("{bytes} {n}"))?;
            (bytes, n)
        }
    };
    let (txt_dir, jsonl) = (dir.join("txt"), dir.join("corpus.jsonl"));
    println!("corpus: {n} articles, {:.1} MB of text (each format), in {}", mb(bytes as u64), dir.display());

    for (label, input) in [("text files", txt_dir.display().to_string()), ("JSON Lines", jsonl.display().to_string())] {
        let (ingested, t_read, c_read) =
            timed_cpu(|| chorus_ingest::read_inputs(std::slice::from_ref(&input), &|_| {}));
        let mut articles = ingested.articles;
        let (removed, t_clean, c_clean) = timed_cpu(|| chorus_clean::clean_corpus(&mut articles));
        let (n_sent, t_split, c_split) =
            timed_cpu(|| articles.iter().map(|a| chorus_text::split_sentences(&a.text).len()).sum::<usize>());
        let total = t_read + t_clean + t_split;
        let cpu = c_read + c_clean + c_split;
        let removed_lines: usize = removed.iter().map(|r| r.lines.len()).sum();
        println!(
            "{label:>11}: read {:.2}s, clean {:.2}s, split {:.2}s wall → {:.1} MB/s wall, {:.1} MB/s per CPU-second ({} articles, {} sentences, {} furniture lines removed, {} errors)",
            t_read,
            t_clean,
            t_split,
            mb(bytes as u64) / total,
            mb(bytes as u64) / cpu.max(0.01),
            articles.len(),
            n_sent,
            removed_lines,
            ingested.errors.len()
        );
    }
    if let Some(p) = peak_rss_bytes() {
        println!("peak memory: {:.0} MB", mb(p));
    }
    Ok(())
}

/// Sentences of real article text: the shared dev sets when present (they
/// are not shipped), else the example story.
fn source_sentences() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs: Vec<PathBuf> = vec![
        root.join("../shared/data/clustering-dev/articles"),
        root.join("../shared/data/attribution-dev/train"),
        root.join("../shared/seeds"),
    ];
    dirs.retain(|d| d.is_dir());
    if dirs.is_empty() {
        dirs.push(root.join("examples"));
    }
    let mut out = Vec::new();
    for d in dirs {
        let Ok(found) = chorus_ingest::walk::expand(&d.display().to_string()) else { continue };
        for f in found.into_iter().filter(|f| f.ends_with(".txt")) {
            let Ok(text) = std::fs::read_to_string(&f) else { continue };
            for r in chorus_text::split_sentences(&text) {
                let s = &text[r];
                if s.split_whitespace().count() >= 6 {
                    out.push(s.to_string());
                }
            }
        }
    }
    out
}

fn write_corpus(dir: &Path, sentences: &[String], target: usize) -> anyhow::Result<(usize, usize)> {
    let txt_dir = dir.join("txt");
    std::fs::create_dir_all(&txt_dir)?;
    let jsonl = dir.join("corpus.jsonl");
    let mut jf = std::io::BufWriter::new(std::fs::File::create(&jsonl)?);
    let mut rng = Rng::new(42);
    let mut bytes = 0usize;
    let mut n = 0usize;
    while bytes < target {
        let mut body = String::new();
        let paragraphs = 6 + rng.below(12);
        for p in 0..paragraphs {
            if p > 0 && rng.below(8) == 0 {
                body.push_str(FURNITURE[rng.below(FURNITURE.len())]);
                body.push('\n');
            }
            let len = 1 + rng.below(4);
            let para: Vec<&str> = (0..len).map(|_| sentences[rng.below(sentences.len())].as_str()).collect();
            body.push_str(&para.join(" "));
            body.push('\n');
        }
        let title = format!("Report number {n} on the events of the week");
        let source = format!("outlet{}.example", rng.below(200));
        std::fs::write(txt_dir.join(format!("{n:06}.txt")), format!("{title}\n\n{body}"))?;
        let rec = serde_json::json!({"title": title, "text": body, "source": source, "url": format!("https://{source}/a/{n}")});
        writeln!(jf, "{rec}")?;
        bytes += body.len() + title.len();
        n += 1;
    }
    jf.flush()?;
    Ok((bytes, n))
}
