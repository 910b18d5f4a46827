//! Sentences embedded per second: every line of the given files (or of
//! the seeds) embedded, repeated until two seconds have passed.
//!
//! cargo run --release -p chorus-semantic --example bench -- ../shared/seeds/*.txt

use std::time::Instant;

fn main() {
    let mut lines: Vec<String> = Vec::new();
    for p in std::env::args().skip(1) {
        let t = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
        // Rough sentences: lines cut at ". ".
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
    let t0 = Instant::now();
    let m = chorus_semantic::Model::shipped();
    println!("model load: {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
    let words: usize = lines.iter().map(|l| l.split_whitespace().count()).sum();
    let (mut n, mut w) = (0usize, 0usize);
    let mut buf = vec![0f32; m.dims()];
    let t = Instant::now();
    while t.elapsed().as_secs_f64() < 2.0 {
        for l in &lines {
            m.embed_into(l, &mut buf);
        }
        n += lines.len();
        w += words;
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "{} sentences ({:.1} words each): {:.0} sentences/s, {:.2} µs/sentence",
        lines.len(),
        words as f64 / lines.len() as f64,
        n as f64 / s,
        s * 1e6 / n as f64
    );
    let _ = w;
}
