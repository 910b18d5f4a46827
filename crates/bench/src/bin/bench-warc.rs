//! WARC reading throughput and memory (issue 7's figure): pages/s and peak
//! resident memory for `.warc.gz` archives of growing size, to show memory
//! stays flat as the archive grows.
//!
//! Generates the archives itself, shaped like Common Crawl's CC-NEWS: one gzip
//! member per record, each HTML `response` between its `request` and a
//! `metadata` record, a `warcinfo` record first, and one response in 40 an
//! image (skipped). The HTML is real page markup (the extraction-dev pages when
//! `../shared` is present, else pages built from invented paragraphs),
//! recombined deterministically: each response takes one page's markup with
//! its paragraphs re-ordered, so no two records are byte-identical. Each size
//! is read in a fresh child process (all cores, as `chorus` does), so the
//! peak-memory figure of one size is not inherited by the next; articles are
//! counted and dropped, so the figure is the reader's own.
//!
//! Run: `cargo run --release -p chorus-bench --bin bench-warc [-- --mb 100 --mb 400]`
//! (`--mb` is the size of the compressed file on disk).

use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use chorus_bench::{Rng, mb, peak_rss_bytes, timed_cpu};
use chorus_ingest::formats::Event;
use chorus_ingest::formats::warc::read_warc;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--read") {
        let path = args.get(i + 1).ok_or_else(|| anyhow::anyhow!("--read needs a path"))?;
        return read_one(Path::new(path));
    }
    let mut sizes: Vec<u64> = args.windows(2).filter(|w| w[0] == "--mb").filter_map(|w| w[1].parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![100, 400];
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-warc");
    std::fs::create_dir_all(&dir)?;
    let pages = source_pages();
    println!(
        "source pages: {} ({})",
        pages.len(),
        if real_pages_dir().is_some() { "extraction-dev" } else { "built-in" }
    );
    for size in sizes {
        let path = dir.join(format!("cc-news-like-{size}mb.warc.gz"));
        if !path.exists() {
            let (records, secs) = chorus_bench::timed(|| generate(&path, size * 1024 * 1024, &pages));
            println!("generated {} ({} records) in {secs:.1}s", path.display(), records?);
        }
        let out = Command::new(std::env::current_exe()?).arg("--read").arg(&path).output()?;
        anyhow::ensure!(out.status.success(), "reader failed: {}", String::from_utf8_lossy(&out.stderr));
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
    Ok(())
}

/// Reads one archive with the streaming reader and prints its figures.
fn read_one(path: &Path) -> anyhow::Result<()> {
    let file_bytes = std::fs::metadata(path)?.len();
    let name = path.display().to_string();
    let mut reader = BufReader::with_capacity(256 * 1024, std::fs::File::open(path)?);
    let (mut articles, mut errors, mut skipped, mut text_bytes) = (0u64, 0u64, 0u64, 0u64);
    let ((), wall, cpu) = timed_cpu(|| {
        read_warc(&name, &mut reader, &mut |e| match e {
            Event::Article(a) => {
                articles += 1;
                text_bytes += a.text.len() as u64;
            }
            Event::Error(_) => errors += 1,
            Event::Skipped(_) => skipped += 1,
        })
    });
    let peak = peak_rss_bytes().unwrap_or(0);
    println!(
        "warc_file_mb={:.0} articles={articles} skipped={skipped} errors={errors} text_mb={:.1} seconds={wall:.1} \
         cpu_seconds={cpu:.1} pages_per_s={:.1} pages_per_cpu_s={:.1} compressed_mb_per_s={:.1} peak_rss_mb={:.1}",
        mb(file_bytes),
        mb(text_bytes),
        articles as f64 / wall,
        articles as f64 / cpu,
        mb(file_bytes) / wall,
        mb(peak)
    );
    Ok(())
}

fn real_pages_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/extraction-dev/pages");
    dir.is_dir().then_some(dir)
}

/// Page markups to recombine: the extraction-dev pages, else pages built from
/// invented paragraphs.
fn source_pages() -> Vec<String> {
    if let Some(dir) = real_pages_dir() {
        let mut paths: Vec<_> =
            std::fs::read_dir(dir).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let pages: Vec<String> =
            paths.iter().filter_map(|p| std::fs::read(p).ok()).filter_map(|b| String::from_utf8(b).ok()).collect();
        if !pages.is_empty() {
            return pages;
        }
    }
    const PARAS: &[&str] = &[
        "The regional council approved the new tram line on Thursday after a debate that ran late into the night.",
        "Supporters said the line would halve journey times between the harbour and the university district.",
        "Opponents argued that the projected cost of 310 million had been underestimated by at least a fifth.",
        "Construction is expected to begin next spring and to last about four years, officials said.",
        "Shopkeepers along the planned route have asked for compensation during the years of roadworks.",
        "The council's transport chief said the first trams could carry passengers before the end of the decade.",
    ];
    let mut rng = Rng::new(7);
    (0..40)
        .map(|i| {
            let body: String = (0..8).map(|_| format!("<p>{}</p>\n", PARAS[rng.below(PARAS.len())])).collect();
            format!(
                "<!DOCTYPE html><html lang=\"en\"><head><title>Tram line story {i}</title></head><body>\
                 <nav><a href=\"/\">Home</a> <a href=\"/local\">Local</a></nav><article><h1>Tram line story {i}</h1>\
                 {body}</article><footer>Follow us on social media</footer></body></html>"
            )
        })
        .collect()
}

/// Re-orders a page's `<p>` elements (deterministically), keeping the rest of
/// its markup, so each record is a distinct but realistic page.
fn recombine(page: &str, rng: &mut Rng) -> String {
    let mut spans = Vec::new();
    let lower = page.to_ascii_lowercase();
    let mut at = 0;
    while let Some(s) = lower[at..].find("<p>").map(|p| at + p) {
        let Some(e) = lower[s..].find("</p>").map(|p| s + p + 4) else { break };
        spans.push((s, e));
        at = e;
    }
    if spans.len() < 2 {
        return page.to_string();
    }
    let mut order: Vec<usize> = (0..spans.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut out = String::with_capacity(page.len());
    let mut last = 0;
    for (k, &(s, e)) in spans.iter().enumerate() {
        out.push_str(&page[last..s]);
        let (os, oe) = spans[order[k]];
        out.push_str(&page[os..oe]);
        last = e;
    }
    out.push_str(&page[last..]);
    out
}

fn record(kind: &str, uri: &str, content_type: &str, block: &[u8], n: u64) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012}>\r\n\
         WARC-Date: 2024-09-{:02}T{:02}:{:02}:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        1 + n % 28,
        n % 24,
        n % 60,
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// Writes a multi-member `.warc.gz` of about `target` compressed bytes;
/// returns the number of records.
fn generate(path: &Path, target: u64, pages: &[String]) -> anyhow::Result<u64> {
    let tmp = path.with_extension("partial");
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    let mut written = 0u64;
    let mut n = 0u64;
    let mut rng = Rng::new(2024);
    let member = |bytes: &[u8], out: &mut BufWriter<std::fs::File>| -> anyhow::Result<u64> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes)?;
        let data = gz.finish()?;
        out.write_all(&data)?;
        Ok(data.len() as u64)
    };
    n += 1;
    written +=
        member(&record("warcinfo", "", "application/warc-fields", b"software: chorus bench-warc\r\n", n), &mut out)?;
    while written < target {
        let page = &pages[rng.below(pages.len())];
        let uri = format!("https://news{}.example/{}/story-{n}.html", rng.below(50), 2020 + rng.below(5));
        let request = format!("GET /story-{n}.html HTTP/1.1\r\nHost: news.example\r\nUser-Agent: bench\r\n\r\n");
        n += 1;
        written +=
            member(&record("request", &uri, "application/http; msgtype=request", request.as_bytes(), n), &mut out)?;
        let (ctype, body) = if n.is_multiple_of(40) {
            ("image/jpeg", "\u{ff}JPEG-ish bytes".repeat(200))
        } else {
            ("text/html; charset=utf-8", recombine(page, &mut rng))
        };
        let mut http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nServer: bench\r\n\r\n",
            body.len()
        )
        .into_bytes();
        http.extend_from_slice(body.as_bytes());
        n += 1;
        written += member(&record("response", &uri, "application/http; msgtype=response", &http, n), &mut out)?;
        n += 1;
        let meta = format!("fetchTimeMs: {}\r\n", rng.below(900));
        written += member(&record("metadata", &uri, "application/warc-fields", meta.as_bytes(), n), &mut out)?;
    }
    out.flush()?;
    drop(out);
    std::fs::rename(&tmp, path)?;
    Ok(n)
}
