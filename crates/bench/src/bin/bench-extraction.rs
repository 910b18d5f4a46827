//! HTML main-content extraction speed (issue 7's figure), on ONE thread.
//!
//! Reads every `*.html` page of a directory into memory first, then times
//! decoding (charset sniffing and detection) plus `extract_page` (parsing,
//! metadata, main text) alone, so the figure compares with other extractors
//! run the same way. With `--jsonl` it prints one `{"path", "text", "title",
//! "author", "published", "source", "url", "language"}` object a
//! page on stdout, the input of the extraction-dev `score.py`, so F1 of the
//! raw extractor (before chorus's cleaning stage) can be read too.
//!
//! `--extractor trafilatura` measures the `trafilatura` crate alone (the
//! baseline); `--model FILE` reads pages with another block model (the
//! training script's cross-validation folds). `--worst` prints the slowest
//! pages' CPU time and the run's peak memory.
//!
//! Run: `cargo run --release -p chorus-bench --bin bench-extraction -- DIR [--jsonl] [--rounds N]
//! [--extractor chorus|chorus-alone|trafilatura] [--model FILE] [--worst]`

use std::io::Write;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use chorus_bench::{thread_cpu_seconds, timed_cpu};
use chorus_ingest::formats::html::content::{BUILTIN, Model};
use chorus_ingest::formats::html::{Extractor, decode_html, extract_page_with};

/// The system allocator, counting live bytes and their peak, so the memory
/// one page costs can be read (`--worst`).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--")
                && a.parse::<usize>().is_err()
                && !(*i > 0 && ["--extractor", "--model", "--rounds"].contains(&args[i - 1].as_str()))
        })
        .map(|(_, a)| a.clone())
        .unwrap_or_else(|| "../shared/data/extraction-dev/pages".into());
    let extractor = match value("--extractor").as_deref() {
        None | Some("chorus") => Extractor::Chorus,
        Some("chorus-alone") => Extractor::ChorusAlone,
        Some("trafilatura") => Extractor::Trafilatura,
        Some(other) => anyhow::bail!("unknown extractor {other} (chorus, chorus-alone or trafilatura)"),
    };
    let custom = match value("--model") {
        Some(path) => Some(Model::parse(&std::fs::read_to_string(&path)?).map_err(anyhow::Error::msg)?),
        None => None,
    };
    // The shipped model is loaded only when no other is given.
    let model: &Model = match &custom {
        Some(m) => m,
        None => &BUILTIN,
    };
    let worst = args.iter().any(|a| a == "--worst");
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
    let mut page_cpu = vec![f64::INFINITY; pages.len()];
    let mut page_mem = vec![0usize; pages.len()];
    let (mut best_wall, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
    for round in 0..rounds.max(1) {
        let (out, wall, cpu) = timed_cpu(|| {
            pages
                .iter()
                .enumerate()
                .map(|(i, (name, b))| {
                    let (start, base) = if worst {
                        let base = LIVE.load(Ordering::Relaxed);
                        PEAK.store(base, Ordering::Relaxed);
                        (thread_cpu_seconds().unwrap_or(0.0), base)
                    } else {
                        (0.0, 0)
                    };
                    let article = decode_html(b, None)
                        .and_then(|html| extract_page_with(name, &html, None, extractor, model))
                        .ok();
                    if worst {
                        page_cpu[i] = page_cpu[i].min(thread_cpu_seconds().unwrap_or(0.0) - start);
                        page_mem[i] = page_mem[i].max(PEAK.load(Ordering::Relaxed) - base);
                    }
                    article
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
        for ((name, _), article) in pages.iter().zip(&texts) {
            let a = article.as_ref();
            let record = serde_json::json!({
                "path": name,
                "text": a.map(|a| a.text.as_str()).unwrap_or_default(),
                "title": a.and_then(|a| a.title.as_deref()),
                "author": a.and_then(|a| a.author.as_deref()),
                "published": a.and_then(|a| a.published.as_deref()),
                "source": a.and_then(|a| a.source.as_deref()),
                "url": a.and_then(|a| a.url.as_deref()),
                "language": a.and_then(|a| a.language.as_deref()),
            });
            writeln!(stdout, "{record}")?;
        }
    }
    let empty = texts.iter().filter(|a| a.is_none()).count();
    if worst {
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| page_cpu[b].total_cmp(&page_cpu[a]));
        for &i in order.iter().take(5) {
            eprintln!(
                "slow page: {} {:.1} ms CPU, {:.1} MiB peak ({} KiB)",
                pages[i].0,
                page_cpu[i] * 1000.0,
                chorus_bench::mb(page_mem[i] as u64),
                pages[i].1.len() / 1024
            );
        }
        let heaviest = (0..pages.len()).max_by_key(|&i| page_mem[i]).unwrap_or(0);
        eprintln!(
            "worst_page_cpu_ms={:.1} worst_page_mib={:.1} heaviest_page={}",
            page_cpu[order[0]] * 1000.0,
            chorus_bench::mb(page_mem[heaviest] as u64),
            pages[heaviest].0
        );
    }
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
