//! The transformer tier: all-MiniLM-L6-v2 itself, run by hand.
//!
//! A BERT encoder (6 layers, 384 hidden, 12 heads, 1536 feed-forward) over
//! the shipped int8 weights, mean-pooled and normalised as
//! sentence-transformers does, so its vectors are the reference model's
//! (cosine ≥ 0.99 per sentence, tested against PyTorch's). The dense layers
//! are one `matrixmultiply` SGEMM each over every token of a batch of
//! sentences (no padding: attention alone is per sentence); everything else
//! (embeddings, layer norm, softmax, GELU) is a loop here. Why by hand and
//! not candle: two small dependencies instead of about 150, and the few
//! hundred lines below are all BERT needs (ARCHITECTURE.md).

use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::SemanticError;
use crate::wordpiece::{basic_words, wordpiece};

static VOCAB: &str = include_str!("../data/minilm-vocab.txt");
static WEIGHTS: &[u8] = include_bytes!("../data/minilm.bin");

const MAGIC: &[u8; 8] = b"CHTX0001";

/// Tokens per batch of sentences run together: big enough that each SGEMM
/// has a few hundred rows to amortise its packing of the weights, small
/// enough that a batch's activations (tokens × 1536 floats at most) stay in
/// the L2/L3 caches and that rayon has several batches to share out.
const BATCH_TOKENS: usize = 512;

/// A dense layer: `out × inp` weights (row-major, dequantised at load from
/// int8 rows with a scale each) and a bias.
struct Dense {
    w: Vec<f32>,
    b: Vec<f32>,
    out: usize,
    inp: usize,
}

struct Layer {
    /// Query, key and value stacked (`3 × hidden` rows): one SGEMM.
    qkv: Dense,
    attn_out: Dense,
    ln1: (Vec<f32>, Vec<f32>),
    up: Dense,
    down: Dense,
    ln2: (Vec<f32>, Vec<f32>),
}

/// The MiniLM sentence encoder. [`Encoder::shipped`] loads the compiled-in
/// model on first use (about 45 MB of float weights in memory), so a run
/// that never asks for the transformer pays nothing.
pub struct Encoder {
    vocab: FxHashMap<Box<str>, u32>,
    cont: FxHashMap<Box<str>, u32>,
    unk: u32,
    cls: u32,
    sep: u32,
    hidden: usize,
    heads: usize,
    positions: usize,
    eps: f32,
    /// Word embeddings stay int8 in the binary's read-only data: one row
    /// per token id, dequantised as it is looked up.
    word_rows: &'static [u8],
    word_scales: Vec<f32>,
    /// Position embeddings with token type 0 added (`positions × hidden`).
    position: Vec<f32>,
    emb_ln: (Vec<f32>, Vec<f32>),
    layers: Vec<Layer>,
}

/// A reader over the model file's bytes.
struct Reader<'a> {
    bin: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SemanticError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bin.len()).ok_or_else(|| bad("file is truncated"))?;
        let s = &self.bin[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<usize, SemanticError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
    fn f32s(&mut self, n: usize) -> Result<Vec<f32>, SemanticError> {
        let b = self.take(n.checked_mul(4).ok_or_else(|| bad("size overflows"))?)?;
        Ok(b.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }
}

fn bad(m: &str) -> SemanticError {
    SemanticError::Format(m.to_string())
}

/// One tensor of the file: f32 values, or int8 rows with their scales.
enum Tensor<'a> {
    F32(Vec<f32>),
    I8 { scales: Vec<f32>, rows: &'a [u8] },
}

impl Encoder {
    /// The model compiled into the binary, read on first use. The shipped
    /// files are checked by this crate's tests, so a failure here is a
    /// build that shipped a broken model: it panics with the reason.
    pub fn shipped() -> &'static Encoder {
        static SHIPPED: OnceLock<Encoder> = OnceLock::new();
        SHIPPED.get_or_init(|| match Encoder::from_parts(VOCAB, WEIGHTS) {
            Ok(m) => m,
            Err(e) => panic!("the shipped transformer model is broken: {e}"),
        })
    }

    /// An encoder from a vocabulary (one token a line, id order) and a
    /// `CHTX0001` weights file (format in
    /// `scripts/semantic/quantise_transformer.py`).
    pub fn from_parts(vocab: &str, bin: &'static [u8]) -> Result<Encoder, SemanticError> {
        let mut r = Reader { bin, at: 0 };
        if r.take(8)? != MAGIC {
            return Err(bad("not a CHTX0001 file"));
        }
        let (hidden, heads, layers, inter, n_vocab, positions) =
            (r.u32()?, r.u32()?, r.u32()?, r.u32()?, r.u32()?, r.u32()?);
        let eps = r.f32s(1)?[0];
        if [hidden, heads, layers, inter, n_vocab].contains(&0) || hidden % heads != 0 || positions < 2 {
            return Err(bad("inconsistent configuration"));
        }
        let count = r.u32()?;
        let mut tensors: FxHashMap<String, (usize, usize, Tensor<'static>)> = FxHashMap::default();
        for _ in 0..count {
            let len = r.take(1)?[0] as usize;
            let name = String::from_utf8(r.take(len)?.to_vec()).map_err(|_| bad("tensor name is not UTF-8"))?;
            let kind = r.take(1)?[0];
            let (rows, cols) = (r.u32()?, r.u32()?);
            let n = rows.checked_mul(cols).ok_or_else(|| bad("size overflows"))?;
            let t = match kind {
                0 => Tensor::F32(r.f32s(n)?),
                1 => Tensor::I8 { scales: r.f32s(rows)?, rows: r.take(n)? },
                _ => return Err(bad("unknown tensor kind")),
            };
            tensors.insert(name, (rows, cols, t));
        }
        if r.at != bin.len() {
            return Err(bad("trailing bytes"));
        }
        let mut take = |name: &str, rows: usize, cols: usize| -> Result<Tensor<'static>, SemanticError> {
            match tensors.remove(name) {
                Some((r, c, t)) if r == rows && c == cols => Ok(t),
                Some((r, c, _)) => Err(SemanticError::Format(format!("{name} is {r}×{c}, expected {rows}×{cols}"))),
                None => Err(SemanticError::Format(format!("{name} is missing"))),
            }
        };
        let vec = |t: Tensor| match t {
            Tensor::F32(v) => Ok(v),
            Tensor::I8 { .. } => Err(bad("expected a float tensor")),
        };
        let dequant = |t: Tensor| match t {
            Tensor::I8 { scales, rows } => {
                let cols = rows.len() / scales.len().max(1);
                let mut w = Vec::with_capacity(rows.len());
                for (row, s) in rows.chunks_exact(cols).zip(&scales) {
                    w.extend(row.iter().map(|&q| s * f32::from(q as i8)));
                }
                Ok(w)
            }
            Tensor::F32(_) => Err(bad("expected an int8 tensor")),
        };
        let (word_scales, word_rows) = match take("word", n_vocab, hidden)? {
            Tensor::I8 { scales, rows } => (scales, rows),
            Tensor::F32(_) => return Err(bad("word embeddings are not int8")),
        };
        let position = vec(take("position", positions, hidden)?)?;
        let emb_ln = (vec(take("emb_ln.w", 1, hidden)?)?, vec(take("emb_ln.b", 1, hidden)?)?);
        let mut stack = Vec::with_capacity(layers);
        for l in 0..layers {
            let mut dense = |short: &str, out: usize, inp: usize| -> Result<Dense, SemanticError> {
                let w = dequant(take(&format!("{l}.{short}.w"), out, inp)?)?;
                let b = vec(take(&format!("{l}.{short}.b"), 1, out)?)?;
                Ok(Dense { w, b, out, inp })
            };
            let (q, k, v) = (dense("q", hidden, hidden)?, dense("k", hidden, hidden)?, dense("v", hidden, hidden)?);
            let attn_out = dense("o", hidden, hidden)?;
            let up = dense("up", inter, hidden)?;
            let down = dense("down", hidden, inter)?;
            let qkv = Dense { w: [q.w, k.w, v.w].concat(), b: [q.b, k.b, v.b].concat(), out: 3 * hidden, inp: hidden };
            let ln1 = (vec(take(&format!("{l}.ln1.w"), 1, hidden)?)?, vec(take(&format!("{l}.ln1.b"), 1, hidden)?)?);
            let ln2 = (vec(take(&format!("{l}.ln2.w"), 1, hidden)?)?, vec(take(&format!("{l}.ln2.b"), 1, hidden)?)?);
            stack.push(Layer { qkv, attn_out, ln1, up, down, ln2 });
        }
        if let Some(name) = tensors.keys().next() {
            return Err(SemanticError::Format(format!("unexpected tensor {name}")));
        }
        let mut v = FxHashMap::default();
        let mut cont = FxHashMap::default();
        let mut lines = 0usize;
        for (i, tok) in vocab.lines().enumerate() {
            lines += 1;
            match tok.strip_prefix("##") {
                Some(rest) if !rest.is_empty() => cont.entry(rest.into()).or_insert(i as u32),
                _ => v.entry(tok.into()).or_insert(i as u32),
            };
        }
        if lines != n_vocab {
            return Err(SemanticError::Format(format!("{lines} vocabulary lines for {n_vocab} rows")));
        }
        let special = |t: &str| v.get(t).copied().ok_or_else(|| SemanticError::Format(format!("no {t} token")));
        let (unk, cls, sep) = (special("[UNK]")?, special("[CLS]")?, special("[SEP]")?);
        Ok(Encoder {
            vocab: v,
            cont,
            unk,
            cls,
            sep,
            hidden,
            heads,
            positions,
            eps,
            word_rows,
            word_scales,
            position,
            emb_ln,
            layers: stack,
        })
    }

    /// Dimensions of a vector (384).
    pub fn dims(&self) -> usize {
        self.hidden
    }

    /// The model's input for a text: `[CLS]`, its WordPiece ids (unknown
    /// words kept as `[UNK]`, as BERT does), `[SEP]`, cut to the model's
    /// 256 positions as sentence-transformers cuts it.
    pub fn tokenize(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 4 + 2);
        out.push(self.cls);
        basic_words(text, |w| wordpiece(w, &self.vocab, &self.cont, Some(self.unk), &mut out));
        out.truncate(self.positions - 1);
        out.push(self.sep);
        out
    }

    /// One unit vector per text, in order (a text with no words gets the
    /// vector of `[CLS] [SEP]`, as in sentence-transformers). Texts are run
    /// in batches of about [`BATCH_TOKENS`] tokens, the batches in parallel
    /// on rayon's pool.
    pub fn embed(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        let ids: Vec<Vec<u32>> = texts.par_iter().map(|t| self.tokenize(t)).collect();
        let mut batches: Vec<std::ops::Range<usize>> = Vec::new();
        let (mut start, mut tokens) = (0, 0);
        for (i, s) in ids.iter().enumerate() {
            if tokens > 0 && tokens + s.len() > BATCH_TOKENS {
                batches.push(start..i);
                (start, tokens) = (i, 0);
            }
            tokens += s.len();
        }
        if start < ids.len() {
            batches.push(start..ids.len());
        }
        batches.into_par_iter().flat_map_iter(|r| self.forward(&ids[r])).collect()
    }

    /// The encoder over one batch of token sequences: every token's hidden
    /// state in one `tokens × hidden` matrix, so each dense layer is one
    /// SGEMM; then each sequence's mean, normalised.
    fn forward(&self, seqs: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let h = self.hidden;
        let total: usize = seqs.iter().map(Vec::len).sum();
        let mut x = vec![0f32; total * h];
        let mut row = 0;
        for s in seqs {
            for (pos, &id) in s.iter().enumerate() {
                let (id, out) = (id as usize, &mut x[row * h..(row + 1) * h]);
                let scale = self.word_scales[id];
                let q = &self.word_rows[id * h..(id + 1) * h];
                let p = &self.position[pos * h..(pos + 1) * h];
                for ((o, &q), &p) in out.iter_mut().zip(q).zip(p) {
                    *o = scale * f32::from(q as i8) + p;
                }
                row += 1;
            }
        }
        layer_norm(&mut x, h, &self.emb_ln, self.eps);
        let inter = self.layers.first().map_or(0, |l| l.up.out);
        let mut qkv = vec![0f32; total * 3 * h];
        let mut ctx = vec![0f32; total * h];
        let mut tmp = vec![0f32; total * h];
        let mut up = vec![0f32; total * inter];
        let max_len = seqs.iter().map(Vec::len).max().unwrap_or(0);
        let mut scores = vec![0f32; max_len * max_len];
        for layer in &self.layers {
            dense(&x, total, &layer.qkv, &mut qkv);
            self.attention(seqs, &qkv, &mut ctx, &mut scores);
            dense(&ctx, total, &layer.attn_out, &mut tmp);
            tmp.iter_mut().zip(&x).for_each(|(t, x)| *t += x);
            layer_norm(&mut tmp, h, &layer.ln1, self.eps);
            std::mem::swap(&mut x, &mut tmp);
            dense(&x, total, &layer.up, &mut up);
            up.iter_mut().for_each(|v| *v = gelu(*v));
            dense(&up, total, &layer.down, &mut tmp);
            tmp.iter_mut().zip(&x).for_each(|(t, x)| *t += x);
            layer_norm(&mut tmp, h, &layer.ln2, self.eps);
            std::mem::swap(&mut x, &mut tmp);
        }
        let mut out = Vec::with_capacity(seqs.len());
        let mut row = 0;
        for s in seqs {
            let mut v = vec![0f32; h];
            for t in x[row * h..(row + s.len()) * h].chunks_exact(h) {
                v.iter_mut().zip(t).for_each(|(v, t)| *v += t);
            }
            row += s.len();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| *x /= norm);
            }
            out.push(v);
        }
        out
    }

    /// Multi-head self-attention of each sequence over itself (no mask:
    /// sequences are not padded). `qkv` holds each token's query, key and
    /// value side by side; `ctx` receives each token's attended values.
    fn attention(&self, seqs: &[Vec<u32>], qkv: &[f32], ctx: &mut [f32], scores: &mut [f32]) {
        let h = self.hidden;
        let d = h / self.heads;
        let scale = 1.0 / (d as f32).sqrt();
        let mut row = 0;
        for s in seqs {
            let n = s.len();
            let sc = &mut scores[..n * n];
            for head in 0..self.heads {
                let base = row * 3 * h + head * d;
                // scores = Q · Kᵀ / √d: Q is n × d with row stride 3h, Kᵀ
                // is d × n read from K's rows (column stride 3h).
                gemm(n, d, n, scale, &qkv[base..], (3 * h, 1), &qkv[base + h..], (1, 3 * h), 0.0, sc, (n, 1));
                for r in sc.chunks_exact_mut(n) {
                    let m = r.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let mut sum = 0.0;
                    for v in r.iter_mut() {
                        *v = (*v - m).exp();
                        sum += *v;
                    }
                    r.iter_mut().for_each(|v| *v /= sum);
                }
                // ctx = P · V, written into this head's columns.
                gemm(
                    n,
                    n,
                    d,
                    1.0,
                    sc,
                    (n, 1),
                    &qkv[base + 2 * h..],
                    (3 * h, 1),
                    0.0,
                    &mut ctx[row * h + head * d..],
                    (h, 1),
                );
            }
            row += n;
        }
    }
}

/// `out = x · Wᵀ + b` for `rows` rows of `x`.
fn dense(x: &[f32], rows: usize, d: &Dense, out: &mut [f32]) {
    let out = &mut out[..rows * d.out];
    for r in out.chunks_exact_mut(d.out) {
        r.copy_from_slice(&d.b);
    }
    gemm(rows, d.inp, d.out, 1.0, x, (d.inp, 1), &d.w, (1, d.inp), 1.0, out, (d.out, 1));
}

/// `c = alpha · a · b + beta · c` for an `m × k` matrix `a`, a `k × n`
/// matrix `b` and an `m × n` matrix `c`, each given as a slice starting at
/// its first element and (row, column) strides. Panics when a slice is too
/// short for its shape and strides, which is what makes the SGEMM sound.
#[allow(clippy::too_many_arguments)]
fn gemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: &[f32],
    sa: (usize, usize),
    b: &[f32],
    sb: (usize, usize),
    beta: f32,
    c: &mut [f32],
    sc: (usize, usize),
) {
    // The last element each matrix reaches, plus one.
    let span = |rows: usize, cols: usize, (rs, cs): (usize, usize)| {
        if rows == 0 || cols == 0 { 0 } else { (rows - 1) * rs + (cols - 1) * cs + 1 }
    };
    assert!(a.len() >= span(m, k, sa) && b.len() >= span(k, n, sb) && c.len() >= span(m, n, sc));
    if m == 0 || n == 0 {
        return;
    }
    // SAFETY: the assertion above keeps every element the SGEMM reads or
    // writes inside its slice; `c` is borrowed mutably, so it aliases
    // neither `a` nor `b`.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            alpha,
            a.as_ptr(),
            sa.0 as isize,
            sa.1 as isize,
            b.as_ptr(),
            sb.0 as isize,
            sb.1 as isize,
            beta,
            c.as_mut_ptr(),
            sc.0 as isize,
            sc.1 as isize,
        );
    }
}

/// Layer norm of each `width`-float row, in place.
fn layer_norm(x: &mut [f32], width: usize, (w, b): &(Vec<f32>, Vec<f32>), eps: f32) {
    for r in x.chunks_exact_mut(width) {
        let mean = r.iter().sum::<f32>() / width as f32;
        let var = r.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / width as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((v, w), b) in r.iter_mut().zip(w).zip(b) {
            *v = (*v - mean) * inv * w + b;
        }
    }
}

/// BERT's GELU, the exact one: `x · Φ(x)` with the normal CDF from erf.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf by Abramowitz and Stegun 7.1.26 (absolute error under 1.5e-7, below
/// f32's resolution near 1), since `f32::erf` is not stable Rust.
fn erf(x: f32) -> f32 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t * (0.254_829_6 + t * (-0.284_496_74 + t * (1.421_413_8 + t * (-1.453_152_1 + t * 1.061_405_4))));
    let y = 1.0 - poly * (-x * x).exp();
    if x < 0.0 { -y } else { y }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_is_close() {
        for (x, want) in
            [(0.0f32, 0.0f32), (0.5, 0.520_499_9), (1.0, 0.842_700_8), (-2.0, -0.995_322_3), (3.0, 0.999_977_9)]
        {
            assert!((erf(x) - want).abs() < 2e-6, "erf({x}) = {}", erf(x));
        }
    }

    #[test]
    fn malformed_files_are_refused() {
        assert!(Encoder::from_parts(VOCAB, &WEIGHTS[..WEIGHTS.len() - 1]).is_err());
        assert!(Encoder::from_parts(VOCAB, &WEIGHTS[..40]).is_err());
        assert!(Encoder::from_parts(VOCAB, b"CHSV0001 not a transformer").is_err());
        let short_vocab = &VOCAB[..VOCAB.len() / 2];
        assert!(Encoder::from_parts(short_vocab, WEIGHTS).is_err());
    }

    #[test]
    fn tokenises_as_the_packages_tokenizer_does() {
        // Ids from the package's tokenizer.json (`tokenizers`, padding
        // dropped): symbols stay inside their word, ™ continues one.
        let ids = Encoder::shipped()
            .tokenize("It reached 41°C; the deal is worth €4.5bn (£3.9bn) — Zelenskyy’s \u{200B}Café™ 🎉");
        assert_eq!(
            ids,
            [
                101, 2009, 2584, 4601, 7737, 2278, 1025, 1996, 3066, 2003, 4276, 1574, 2549, 1012, 1019, 24700, 1006,
                28182, 1012, 1023, 24700, 1007, 1517, 27838, 7770, 5874, 2100, 1521, 1055, 7668, 30108, 100, 102
            ]
        );
    }

    #[test]
    fn tokenises_with_cls_sep_and_unknowns() {
        let e = Encoder::shipped();
        let ids = e.tokenize("Zelensky offered 🎉");
        assert_eq!(ids.first(), Some(&101));
        assert_eq!(ids.last(), Some(&102));
        assert!(ids.contains(&100), "{ids:?}");
        let long = "word ".repeat(1000);
        assert_eq!(e.tokenize(&long).len(), 256);
    }
}
