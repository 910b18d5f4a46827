//! The transformer tier against PyTorch: each sentence of
//! tests/minilm-reference.tsv (written by scripts/semantic/reference.py
//! with sentence-transformers) embedded by the quantised Rust encoder
//! scores a cosine of at least 0.99 with its reference vector.

use chorus_semantic::{Encoder, dot};

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

fn reference() -> Vec<(String, Vec<f32>)> {
    include_str!("minilm-reference.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (s, hex) = l.rsplit_once('\t').expect("sentence TAB hex");
            let v: Vec<f32> = (0..hex.len())
                .step_by(2)
                .map(|i| f32::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex") as i8))
                .collect();
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            (unescape(s), v.into_iter().map(|x| x / n).collect())
        })
        .collect()
}

#[test]
fn encoder_matches_pytorch() {
    let refs = reference();
    assert!(refs.len() >= 40);
    let texts: Vec<&str> = refs.iter().map(|(s, _)| s.as_str()).collect();
    let e = Encoder::shipped();
    let got = e.embed(&texts);
    assert_eq!(got.len(), refs.len());
    let mut worst = (1.0f32, "");
    for ((s, want), v) in refs.iter().zip(&got) {
        assert_eq!(v.len(), e.dims());
        let c = dot(want, v);
        eprintln!("{c:.4}  {s:.70}");
        if c < worst.0 {
            worst = (c, s);
        }
    }
    assert!(worst.0 >= 0.99, "cosine {} for {:?}", worst.0, worst.1);
    // One at a time gives the same vectors as a batch.
    let one = e.embed(&texts[..1]);
    assert!(dot(&one[0], &got[0]) > 0.9999);
}

#[test]
fn transformer_separates_a_paraphrase_from_a_different_fact() {
    let v = Encoder::shipped().embed(&[
        "We will rebuild, whatever it takes.",
        "Whatever it costs, the town is going to be rebuilt.",
        "The minister denied the allegations.",
    ]);
    assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]) + 0.3);
}
