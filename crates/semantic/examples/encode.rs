//! Sentences per second of both tiers on the same sentences: every line of
//! the given files (or of a built-in paragraph) cut at ". ", the
//! transformer in one `Encoder::embed` call per pass (rayon's pool; set
//! RAYON_NUM_THREADS to pin it), repeated for about five seconds. Prints
//! wall and CPU time (Linux: /proc/self/stat) and the load average, since
//! a shared machine's figure depends on them.
//!
//! cargo run --release -p chorus-semantic --example encode -- ../shared/seeds/*.txt

use std::time::Instant;

use chorus_semantic::{Encoder, Model};

/// User + system CPU seconds of this process so far (0 where unreadable).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after ")";
    // clock ticks are 100 a second on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let mut lines: Vec<String> = Vec::new();
    for p in std::env::args().skip(1) {
        let t = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
        for l in t.lines() {
            lines.extend(l.split(". ").filter(|s| s.split_whitespace().count() >= 3).map(str::to_string));
        }
    }
    if lines.is_empty() {
        lines.push(
            "Ukrainian President Volodymyr Zelensky said he was ready to resign in exchange for NATO membership."
                .into(),
        );
    }
    let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
    let words: usize = lines.iter().map(|l| l.split_whitespace().count()).sum();
    println!("load average before: {}", loadavg());
    let (t0, c0) = (Instant::now(), cpu_seconds());
    let e = Encoder::shipped();
    println!("transformer load: {:.0} ms wall, {:.2} s CPU", t0.elapsed().as_secs_f64() * 1e3, cpu_seconds() - c0);
    let tokens: usize = texts.iter().map(|t| e.tokenize(t).len()).sum();
    println!(
        "{} sentences, {:.1} words and {:.1} tokens each (with [CLS] and [SEP])",
        texts.len(),
        words as f64 / texts.len() as f64,
        tokens as f64 / texts.len() as f64
    );
    let (t, c) = (Instant::now(), cpu_seconds());
    let mut n = 0usize;
    while t.elapsed().as_secs_f64() < 5.0 {
        let v = e.embed(&texts);
        n += v.len();
    }
    let (s, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
    println!(
        "transformer: {:.0} sentences/s wall ({} threads), {:.0} sentences per CPU second, {:.2} ms CPU/sentence",
        n as f64 / s,
        rayon::current_num_threads(),
        n as f64 / cpu,
        cpu * 1e3 / n as f64
    );
    // One sentence per call, as a caller asking about one pair at a time.
    let (t, c) = (Instant::now(), cpu_seconds());
    let mut n = 0usize;
    while t.elapsed().as_secs_f64() < 3.0 {
        for l in &texts {
            n += e.embed(&[l]).len();
        }
    }
    let (s, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
    println!(
        "transformer, one sentence a call: {:.0} sentences/s wall, {:.2} ms CPU/sentence",
        n as f64 / s,
        cpu * 1e3 / n as f64
    );
    let m = Model::shipped();
    let mut buf = vec![0f32; m.dims()];
    let (t, c) = (Instant::now(), cpu_seconds());
    let mut n = 0usize;
    while t.elapsed().as_secs_f64() < 2.0 {
        for l in &texts {
            m.embed_into(l, &mut buf);
        }
        n += texts.len();
    }
    let (s, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
    println!("static: {:.0} sentences/s wall (1 thread), {:.1} µs CPU/sentence", n as f64 / s, cpu * 1e6 / n as f64);
    println!("load average after: {}", loadavg());
}
