//! `chorus follow` against a local HTTP server (issue 15's figures):
//!
//! - `requests`: a 50-feed OPML on one host polled twice with `--once`:
//!   the most requests the server had in flight at once (first run), and
//!   what the second run asked for (unchanged feeds: one conditional
//!   request per feed is the target);
//! - `throughput`: one feed of N items (default 1,000) polled once into a
//!   fresh store: articles per second, with items that carry only a
//!   teaser (each page fetched and extracted) and with items that carry
//!   their full text;
//! - `memory`: `chorus follow` on a feed that gains an item every second,
//!   for M minutes (default 10): resident memory sampled over time.
//!
//! The articles are generated from the clustering dev set (`../shared`)
//! when present, so stories form as they would from real news; otherwise
//! from invented paragraphs. The binary measured is the release build
//! (`cargo build --release -p chorus` first), or `--chorus PATH`.
//!
//! Run: `cargo run --release -p chorus-bench --bin bench-follow -- [requests|throughput|memory] [--items N] [--minutes M]`

#[path = "../../../follow/tests/server/mod.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chorus_bench::corpus;
use chorus_model::Article;
use server::{Reply, TestServer};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.windows(2).find(|w| w[0] == name).map(|w| w[1].clone());
    let chorus = flag("--chorus")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/chorus"));
    if !chorus.exists() {
        bail!("{}: no chorus binary (cargo build --release -p chorus, or pass --chorus PATH)", chorus.display());
    }
    let items: usize = flag("--items").map(|v| v.parse()).transpose()?.unwrap_or(1000);
    let minutes: f64 = flag("--minutes").map(|v| v.parse()).transpose()?.unwrap_or(10.0);
    let what: Vec<&str> =
        args.iter().map(String::as_str).filter(|a| ["requests", "throughput", "memory"].contains(a)).collect();
    let all = what.is_empty();
    if all || what.contains(&"requests") {
        requests(&chorus)?;
    }
    if all || what.contains(&"throughput") {
        throughput(&chorus, items)?;
    }
    if all || what.contains(&"memory") {
        memory(&chorus, minutes, args.iter().any(|a| a == "--fixed"))?;
    }
    Ok(())
}

/// Fast manners for a local server: no delay between requests (the gate's
/// in-flight limit is what is measured).
const LOCAL: &[&str] = &["--min-delay", "0s", "--per-host", "2"];

fn run(chorus: &Path, args: &[&str]) -> Result<(f64, String)> {
    let t = Instant::now();
    let out = Command::new(chorus).args(args).env_remove("CHORUS_DB").output()?;
    let secs = t.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        bail!("chorus {args:?} failed: {err}");
    }
    Ok((secs, err.lines().last().unwrap_or("").to_string()))
}

fn requests(chorus: &Path) -> Result<()> {
    let s = TestServer::start();
    let base = s.url("");
    let dir = tempfile::tempdir()?;
    let pool = articles(150);
    let mut opml = String::from("<opml version=\"2.0\"><head/><body>");
    for f in 0..50 {
        let list: Vec<(String, String, String)> = (0..3)
            .map(|i| {
                let a = &pool[f * 3 + i];
                (format!("f{f}/{i}"), esc(a.title.as_deref().unwrap_or("Report")), paragraphs(&a.text))
            })
            .collect();
        let refs: Vec<(&str, &str, &str, Option<&str>)> =
            list.iter().map(|(slug, t, body)| (slug.as_str(), t.as_str(), "Teaser.", Some(body.as_str()))).collect();
        // A little latency, as a real server has, so requests overlap.
        s.set(
            &format!("/feeds/{f}.xml"),
            Reply::Slow(
                Duration::from_millis(20),
                Box::new(Reply::feed(&server::rss(&base, &format!("Feed {f}"), &refs), "v1")),
            ),
        );
        opml.push_str(&format!("<outline text=\"Feed {f}\" xmlUrl=\"{base}/feeds/{f}.xml\"/>"));
    }
    opml.push_str("</body></opml>");
    let opml_path = dir.path().join("feeds.opml");
    std::fs::write(&opml_path, opml)?;
    let db = dir.path().join("r.db");
    let (o, d) = (opml_path.display().to_string(), db.display().to_string());
    let mut args = vec!["follow", o.as_str(), "--once", "--db", d.as_str()];
    args.extend(LOCAL);
    let (secs, line) = run(chorus, &args)?;
    let first = s.seen().len();
    println!(
        "requests: 50-feed OPML on one host, first --once: {first} requests in {secs:.2} s, peak in flight {} (limit 2)",
        s.peak()
    );
    println!("  {line}");
    s.forget();
    let (secs, line) = run(chorus, &args)?;
    let seen = s.seen();
    let conditional = seen.iter().filter(|r| r.header("if-none-match").is_some()).count();
    let feeds = seen.iter().filter(|r| r.path.starts_with("/feeds/")).count();
    println!(
        "requests: second --once of the unchanged feeds: {} requests ({feeds} to feeds, {conditional} conditional, {} other) in {secs:.2} s",
        seen.len(),
        seen.len() - feeds
    );
    println!("  {line}");
    Ok(())
}

fn throughput(chorus: &Path, n: usize) -> Result<()> {
    let pool = articles(n);
    for full in [false, true] {
        let s = TestServer::start();
        let base = s.url("");
        let list: Vec<(String, String, String)> = pool
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("a/{i}"), esc(a.title.as_deref().unwrap_or("Report")), paragraphs(&a.text)))
            .collect();
        for (i, a) in pool.iter().enumerate() {
            s.set(&format!("/a/{i}"), Reply::html(&page(a)));
        }
        let refs: Vec<(&str, &str, &str, Option<&str>)> = list
            .iter()
            .map(|(slug, t, body)| (slug.as_str(), t.as_str(), "Teaser.", full.then_some(body.as_str())))
            .collect();
        s.set("/rss.xml", Reply::feed(&server::rss(&base, "Bench Post", &refs), "v1"));
        let dir = tempfile::tempdir()?;
        let d = dir.path().join("t.db").display().to_string();
        let feed = s.url("/rss.xml");
        let cap = n.to_string();
        let mut args = vec!["follow", feed.as_str(), "--once", "--db", d.as_str(), "--max-pages", cap.as_str()];
        args.extend(LOCAL);
        let (secs, line) = run(chorus, &args)?;
        let stored = line.split(", ").find(|p| p.ends_with("new articles")).unwrap_or("?");
        println!(
            "throughput: {n} items {}: {stored} in {secs:.1} s = {:.0} articles/s (fetch, extract, clean, cluster, store, analyse)",
            if full { "with full text in the feed" } else { "with teasers (page fetched per item)" },
            n as f64 / secs
        );
        println!("  {line}");
    }
    Ok(())
}

/// `fixed`: the feed changes every second (a new ETag, items reordered)
/// but lists the same 20 items, so every poll is a full read and the store
/// stops growing after the first: the follower's own memory over time.
/// Otherwise it gains an article a second, and the store (the clusterer in
/// memory, the stories re-analysed) grows with it.
fn memory(chorus: &Path, minutes: f64, fixed: bool) -> Result<()> {
    let pool = articles(2000);
    let s = TestServer::start();
    let base = s.url("");
    let publish = |upto: usize| {
        let from = upto.saturating_sub(20);
        let mut list: Vec<(String, String)> = (from..upto)
            .map(|i| (format!("m/{i}"), esc(pool[i % pool.len()].title.as_deref().unwrap_or("Report"))))
            .collect();
        if fixed {
            list = (0..20).map(|i| (format!("m/{i}"), esc(pool[i].title.as_deref().unwrap_or("Report")))).collect();
            list.rotate_left(upto % 20);
        }
        let refs: Vec<(&str, &str, &str, Option<&str>)> =
            list.iter().map(|(slug, t)| (slug.as_str(), t.as_str(), "Teaser.", None)).collect();
        s.set("/rss.xml", Reply::feed(&server::rss(&base, "Live Post", &refs), &format!("v{upto}")));
    };
    for i in 0..pool.len() * 2 {
        s.set(&format!("/m/{i}"), Reply::html(&page(&pool[i % pool.len()])));
    }
    let mut upto = 20;
    publish(upto);
    let dir = tempfile::tempdir()?;
    let d = dir.path().join("m.db").display().to_string();
    let feed = s.url("/rss.xml");
    let mut child = Command::new(chorus)
        .args(["follow", &feed, "--db", &d, "--every", "1s"])
        .args(LOCAL)
        .env_remove("CHORUS_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = child.id();
    let start = Instant::now();
    let total = Duration::from_secs_f64(minutes * 60.0);
    let sample_every = Duration::from_secs_f64((minutes * 60.0 / 20.0).max(1.0));
    let mut next_sample = Duration::ZERO;
    println!(
        "memory: `chorus follow` on a feed {}, {minutes} min; resident memory:",
        if fixed { "changing every second over the same 20 items" } else { "gaining an article a second" }
    );
    println!("  {:>7}  {:>9}  {:>8}", "elapsed", "RSS (MB)", "articles");
    while start.elapsed() < total {
        std::thread::sleep(Duration::from_secs(1));
        upto += 1;
        publish(upto.min(pool.len() * 2));
        if start.elapsed() >= next_sample {
            let rss = rss_mb(pid).context("reading the child's memory")?;
            println!("  {:>6.0}s  {:>9.1}  {:>8}", start.elapsed().as_secs_f64(), rss, upto - 20);
            next_sample += sample_every;
        }
    }
    let rss = rss_mb(pid).unwrap_or(0.0);
    println!("  {:>6.0}s  {:>9.1}  {:>8}", start.elapsed().as_secs_f64(), rss, upto - 20);
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let status = child.wait()?;
    println!("  stopped by SIGTERM: {status}");
    Ok(())
}

fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `n` articles generated from the clustering dev set, else from invented
/// paragraphs.
fn articles(n: usize) -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/clustering-dev/articles");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().display().to_string())
        .filter(|p| p.ends_with(".txt"))
        .collect();
    files.sort();
    let pool = chorus_pipeline::prepare(chorus_ingest::read_inputs(&files, &|_| {}).articles).articles;
    let c = corpus::generate(&pool, n, 15);
    if c.articles.len() == n {
        return c.articles;
    }
    (0..n)
        .map(|i| Article {
            title: Some(format!("Harbour wall {i}")),
            text: server::story(&format!("Harbour wall {i}"), i).join("\n"),
            ..Default::default()
        })
        .collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn paragraphs(text: &str) -> String {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("<p>{}</p>", esc(l))).collect()
}

fn page(a: &Article) -> String {
    let title = esc(a.title.as_deref().unwrap_or("Report"));
    let site = a
        .source
        .as_deref()
        .map(|s| format!("<meta property=\"og:site_name\" content=\"{}\">", esc(s)))
        .unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>{site}</head><body>\
<nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{}</article><footer>Copyright</footer></body></html>",
        paragraphs(&a.text)
    )
}
