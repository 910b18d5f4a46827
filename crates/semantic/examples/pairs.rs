//! Prints the cosine of each labelled pair in a TSV file (label, sentence,
//! sentence), then the distribution per label: the figures behind the
//! thresholds in ARCHITECTURE.md.
//!
//! cargo run --release -p chorus-semantic --example pairs -- crates/semantic/tests/pairs.tsv

use chorus_semantic::{cosine, embed};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "crates/semantic/tests/pairs.tsv".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut by: std::collections::BTreeMap<String, Vec<f32>> = Default::default();
    for l in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() != 3 {
            continue;
        }
        let c = cosine(&embed(f[1]), &embed(f[2]));
        println!("{}\t{c:.3}\t{} | {}", f[0], f[1], f[2]);
        by.entry(f[0].to_string()).or_default().push(c);
    }
    for (label, mut v) in by {
        v.sort_by(f32::total_cmp);
        let q = |p: f32| v[((v.len() - 1) as f32 * p).round() as usize];
        println!(
            "{label}: n={} min={:.3} p10={:.3} median={:.3} p90={:.3} max={:.3}",
            v.len(),
            v[0],
            q(0.1),
            q(0.5),
            q(0.9),
            v[v.len() - 1]
        );
    }
}
