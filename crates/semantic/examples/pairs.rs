//! Prints the cosine of each labelled pair in a TSV file (label, sentence,
//! sentence) under both tiers (static, transformer), then the distribution
//! per label and tier: the figures behind the thresholds in
//! ARCHITECTURE.md.
//!
//! cargo run --release -p chorus-semantic --example pairs -- crates/semantic/tests/pairs.tsv

use chorus_semantic::{Encoder, cosine, dot, embed};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "crates/semantic/tests/pairs.tsv".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f.len() == 3)
        .collect();
    let texts: Vec<&str> = rows.iter().flat_map(|f| [f[1], f[2]]).collect();
    let tv = Encoder::shipped().embed(&texts);
    let mut by: std::collections::BTreeMap<String, Vec<f32>> = Default::default();
    println!("label\tstatic\ttransformer\tpair");
    for (i, f) in rows.iter().enumerate() {
        let s = cosine(&embed(f[1]), &embed(f[2]));
        let t = dot(&tv[2 * i], &tv[2 * i + 1]);
        println!("{}\t{s:.3}\t{t:.3}\t{} | {}", f[0], f[1], f[2]);
        by.entry(format!("{} static", f[0])).or_default().push(s);
        by.entry(format!("{} transformer", f[0])).or_default().push(t);
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
