//! HTML main-content extraction speed (issue 7's figure), on ONE thread.
//!
//! Reads every `*.html` page of a directory into memory first, then times
//! decoding (charset sniffing and detection) plus `extract_page` (parsing,
//! metadata, main text) alone, so the figure compares with other extractors
//! run the same way. With `--jsonl` it prints one `{"path", "text"}` object a
//! page on stdout, the input of the extraction-dev `score.py`, so F1 of the
//! raw extractor (before chorus's cleaning stage) can be read too.
//!
//! Run: `cargo run --release -p chorus-bench --bin bench-extraction -- DIR [--jsonl] [--rounds N]`

use std::io::Write;

use chorus_bench::timed_cpu;
use chorus_ingest::formats::html::{decode_html, extract_page};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--") && a.parse::<usize>().is_err())
        .cloned()
        .unwrap_or_else(|| "../shared/data/extraction-dev/pages".into());
    let jsonl = args.iter().any(|a| a == "--jsonl");
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);

    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm")))
        .collect();
    paths.sort();
    let pages: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), std::fs::read(p).ok()?)))
        .collect();
    anyhow::ensure!(!pages.is_empty(), "no .html pages in {dir}");
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();

    let mut texts = Vec::new();
    let (mut best_wall, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
    for round in 0..rounds.max(1) {
        let (out, wall, cpu) = timed_cpu(|| {
            pages
                .iter()
                .map(|(name, b)| {
                    decode_html(b, None)
                        .and_then(|html| extract_page(name, &html, None))
                        .map(|a| a.text)
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
        });
        best_wall = best_wall.min(wall);
        best_cpu = best_cpu.min(cpu);
        if round == 0 {
            texts = out;
        }
    }
    if jsonl {
        let mut stdout = std::io::stdout().lock();
        for ((name, _), text) in pages.iter().zip(&texts) {
            writeln!(stdout, "{}", serde_json::json!({"path": name, "text": text}))?;
        }
    }
    let empty = texts.iter().filter(|t| t.is_empty()).count();
    eprintln!(
        "chorus_extraction_pages={} chorus_extraction_seconds={best_wall:.3} chorus_extraction_cpu_seconds={best_cpu:.3} \
         chorus_extraction_pages_per_s={:.1} chorus_extraction_pages_per_cpu_s={:.1} chorus_extraction_mb_per_cpu_s={:.1} \
         empty={empty}",
        pages.len(),
        pages.len() as f64 / best_wall,
        pages.len() as f64 / best_cpu,
        bytes as f64 / 1_048_576.0 / best_cpu
    );
    Ok(())
}
