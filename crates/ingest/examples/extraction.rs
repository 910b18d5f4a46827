//! HTML main-content extraction: speed, outputs and training rows, built
//! from `chorus-ingest` alone so a release build for measuring takes a
//! fraction of the workspace's. It is the one extraction benchmark and
//! training-row dump.
//!
//! Bench (the default): reads every `*.html` page of a directory into memory
//! first, then times decoding plus `extract_page_with` on ONE thread, best of
//! `--rounds`, and prints `chorus_extraction_pages_per_cpu_s=…` and friends
//! on stderr; `--jsonl` prints one `{"path", "text", "title", "author",
//! "published", "source", "url", "language"}` object a page on stdout;
//! `--worst` the slowest pages' CPU time and the heaviest page's peak of
//! allocated memory; `--extractor chorus|chorus-alone|trafilatura`;
//! `--model FILE` another block model (cross-validation folds).
//!
//! Blocks: `--blocks OUT_DIR` writes OUT/names.txt (feature names),
//! OUT/features.f32 (little-endian f32 rows, one a block, in page and block
//! order) and OUT/blocks.jsonl (`{"page", "blocks": [text, …]}` a page), the
//! rows `scripts/train_extractor.py` trains on, computed by the extractor's
//! own code.
//!
//! Run: `cargo run --release -p chorus-ingest --example extraction -- DIR [--jsonl] [--rounds N]
//! [--extractor chorus|chorus-alone|trafilatura] [--model FILE] [--worst] [--blocks OUT]`

use std::alloc::{GlobalAlloc, Layout, System};
use std::error::Error;
use std::io::{BufWriter, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chorus_ingest::formats::html::content::{self, BUILTIN, Model, features::NAMES};
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

/// CPU seconds of this thread (Linux: nanosecond counter of schedstat).
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

type Res<T> = Result<T, Box<dyn Error>>;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let valued = ["--extractor", "--model", "--rounds", "--blocks"];
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            let is_value = *i > 0 && valued.contains(&args[i - 1].as_str());
            !a.starts_with("--") && !is_value
        })
        .map(|(_, a)| a.clone())
        .ok_or(
            "usage: extraction PAGES_DIR [--jsonl] [--rounds N] [--extractor E] [--model F] [--worst] [--blocks OUT]",
        )?;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm")))
        .collect();
    paths.sort();
    let pages: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), std::fs::read(p).ok()?)))
        .collect();
    if pages.is_empty() {
        return Err(format!("no .html pages in {dir}").into());
    }
    if let Some(out) = value("--blocks") {
        return blocks(&pages, &out);
    }
    let extractor = match value("--extractor").as_deref() {
        None | Some("chorus") => Extractor::Chorus,
        Some("chorus-alone") => Extractor::ChorusAlone,
        Some("trafilatura") => Extractor::Trafilatura,
        Some(other) => return Err(format!("unknown extractor {other} (chorus, chorus-alone or trafilatura)").into()),
    };
    let custom = match value("--model") {
        Some(path) => Some(Model::parse(&std::fs::read_to_string(&path)?)?),
        None => None,
    };
    // The shipped model is loaded only when no other is given (a model
    // being trained may have other features than the shipped one).
    let model: &Model = match &custom {
        Some(m) => m,
        None => &BUILTIN,
    };
    let worst = args.iter().any(|a| a == "--worst");
    let jsonl = args.iter().any(|a| a == "--jsonl");
    let rounds: usize = value("--rounds").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();

    let mut texts = Vec::new();
    let mut page_cpu = vec![f64::INFINITY; pages.len()];
    let mut page_mem = vec![0usize; pages.len()];
    let (mut best_wall, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
    for round in 0..rounds {
        let (c0, t0) = (thread_cpu_seconds(), Instant::now());
        let out: Vec<_> = pages
            .iter()
            .enumerate()
            .map(|(i, (name, b))| {
                let (start, base) = if worst {
                    let base = LIVE.load(Ordering::Relaxed);
                    PEAK.store(base, Ordering::Relaxed);
                    (thread_cpu_seconds(), base)
                } else {
                    (0.0, 0)
                };
                let article =
                    decode_html(b, None).and_then(|html| extract_page_with(name, &html, None, extractor, model)).ok();
                if worst {
                    page_cpu[i] = page_cpu[i].min(thread_cpu_seconds() - start);
                    page_mem[i] = page_mem[i].max(PEAK.load(Ordering::Relaxed) - base);
                }
                article
            })
            .collect();
        best_wall = best_wall.min(t0.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(thread_cpu_seconds() - c0);
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
    let mib = |b: usize| b as f64 / 1_048_576.0;
    if worst {
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| page_cpu[b].total_cmp(&page_cpu[a]));
        for &i in order.iter().take(5) {
            eprintln!(
                "slow page: {} {:.1} ms CPU, {:.1} MiB peak ({} KiB)",
                pages[i].0,
                page_cpu[i] * 1000.0,
                mib(page_mem[i]),
                pages[i].1.len() / 1024
            );
        }
        let heaviest = (0..pages.len()).max_by_key(|&i| page_mem[i]).unwrap_or(0);
        eprintln!(
            "worst_page_cpu_ms={:.1} worst_page_mib={:.1} heaviest_page={}",
            page_cpu[order[0]] * 1000.0,
            mib(page_mem[heaviest]),
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
        mib(bytes) / best_cpu
    );
    Ok(())
}

/// The training dump (`--blocks`): the same steps as `extract_page`, so the
/// rows are those the model scores.
fn blocks(pages: &[(String, Vec<u8>)], out: &str) -> Res<()> {
    use chorus_ingest::formats::html::{PageMeta, bound::bound_markup, strip::strip_inert};
    std::fs::create_dir_all(out)?;
    std::fs::write(format!("{out}/names.txt"), NAMES.join("\n") + "\n")?;
    let mut feats = BufWriter::new(std::fs::File::create(format!("{out}/features.f32"))?);
    let mut dump = BufWriter::new(std::fs::File::create(format!("{out}/blocks.jsonl"))?);
    for (name, bytes) in pages {
        let Ok(html) = decode_html(bytes, None) else { continue };
        let stripped = strip_inert(&html);
        let Ok(html) = bound_markup(&stripped) else { continue };
        let (doc, _) = content::parse(&html);
        let meta = PageMeta::read(&doc, None);
        let (texts, rows) = content::blocks_and_features(&doc, meta.title.as_deref());
        for x in rows {
            feats.write_all(&x.to_le_bytes())?;
        }
        writeln!(dump, "{}", serde_json::json!({"page": name, "blocks": texts}))?;
    }
    feats.flush()?;
    dump.flush()?;
    Ok(())
}
