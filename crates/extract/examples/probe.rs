//! Prints what entity and number extraction find in text files, or, with
//! `--speed`, measures their throughput:
//! `cargo run --release -p chorus-extract --example probe -- --speed DIR_OR_FILES…`

use std::time::Instant;

fn files(args: &[String]) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for a in args {
        let p = std::path::Path::new(a);
        if p.is_dir() {
            let mut v: Vec<_> = std::fs::read_dir(p).unwrap().flatten().map(|e| e.path()).collect();
            v.sort();
            out.extend(v.into_iter().filter(|p| p.extension().is_some_and(|e| e == "txt")));
        } else {
            out.push(p.to_path_buf());
        }
    }
    out
}

/// User + system CPU seconds of this process, from /proc (Linux), so the
/// figure holds on a busy machine.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = after.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    // Fields 14 and 15 of the file (utime, stime) are 12 and 13 after the name.
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let speed = args.first().is_some_and(|a| a == "--speed");
    let paths = files(&args[speed as usize..]);
    let texts: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap_or_default()).collect();
    if speed {
        let bytes: usize = texts.iter().map(String::len).sum();
        let sents: Vec<_> = texts.iter().map(|t| chorus_text::split_sentences(t)).collect();
        let mut found = 0usize;
        let mut best = f64::MAX;
        let cpu0 = cpu_seconds();
        for _ in 0..5 {
            let t0 = Instant::now();
            for (t, s) in texts.iter().zip(&sents) {
                let (e, n) = chorus_extract::entities::find_entities_and_numbers(t, s, Some("2016-10-01"));
                found += e.len() + n.len();
            }
            best = best.min(t0.elapsed().as_secs_f64());
        }
        let cpu = (cpu_seconds() - cpu0) / 5.0;
        println!(
            "CPU time per pass {:.3} s = {:.1} MB/s per core (unaffected by other load)",
            cpu,
            bytes as f64 / 1e6 / cpu
        );
        let (mut be, mut bn) = (f64::MAX, f64::MAX);
        for _ in 0..3 {
            let t0 = Instant::now();
            for (t, s) in texts.iter().zip(&sents) {
                found += chorus_extract::entities::find_entities(t, s).len();
            }
            be = be.min(t0.elapsed().as_secs_f64());
            let t0 = Instant::now();
            for (t, s) in texts.iter().zip(&sents) {
                found += chorus_extract::numbers::find_numbers(t, s, Some("2016-10-01")).len();
            }
            bn = bn.min(t0.elapsed().as_secs_f64());
        }
        println!(
            "find_entities alone {:.1} MB/s, find_numbers alone {:.1} MB/s",
            bytes as f64 / 1e6 / be,
            bytes as f64 / 1e6 / bn
        );
        println!(
            "{} files, {:.1} MB, best of 5: {:.3} s = {:.1} MB/s (find_entities_and_numbers; {} spans)",
            texts.len(),
            bytes as f64 / 1e6,
            best,
            bytes as f64 / 1e6 / best,
            found / 11
        );
        return;
    }
    for (p, t) in paths.iter().zip(&texts) {
        println!("=== {}", p.display());
        let s = chorus_text::split_sentences(t);
        for e in chorus_extract::entities::find_entities(t, &s) {
            println!(
                "E {:<32} {:<12} name={:<28} title={}",
                &t[e.start..e.end],
                e.kind.as_str(),
                e.name,
                e.title.as_deref().unwrap_or("-")
            );
        }
        for n in chorus_extract::numbers::find_numbers(t, &s, Some("2025-02-23")) {
            println!(
                "N {:<32} value={} unit={} noun={:?} approx={} [{}, {}]",
                &t[n.start..n.end],
                n.value,
                n.unit,
                n.noun,
                n.approximate,
                n.low,
                n.high
            );
        }
    }
}
