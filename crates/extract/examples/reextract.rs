//! Re-runs extraction on the texts of `chorus extract --format jsonl`
//! records (stdin), printing new records (stdout).
//!
//! Cleaning is the slow, build-heavy part of `chorus extract` and does not
//! change while the extractor is being worked on; the cleaned text is in
//! each record, so the extractor can be scored without the whole binary:
//!
//! ```text
//! chorus extract --format jsonl DATA/train/*.txt > train.jsonl
//! cargo run --release -p chorus-extract --example reextract < train.jsonl > new.jsonl
//! python3 DATA/score.py new.jsonl DATA --split train
//! ```
//!
//! With `--candidates`, prints instead one JSON object per quote with its
//! speaker candidates and their features (what `scripts/train-speaker-ranker.py`
//! learns from).

use std::io::{BufRead, BufWriter, Write};

use chorus_model::{Article, ExtractRecord};

fn main() {
    let candidates = std::env::args().any(|a| a == "--candidates");
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lock().lines().enumerate() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let rec: ExtractRecord = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("reextract: line {}: {e}", n + 1);
                continue;
            }
        };
        let article = Article {
            path: rec.path.clone(),
            text: rec.text.clone(),
            published: rec.published.clone(),
            title: rec.title.clone(),
            ..Article::default()
        };
        if candidates {
            let idx = chorus_text::CharIndex::new(&article.text);
            for q in chorus_extract::quote_candidates(&article.text, article.published.as_deref()) {
                let cands: Vec<serde_json::Value> = q
                    .candidates
                    .iter()
                    .map(|c| {
                        let f: serde_json::Map<String, serde_json::Value> =
                            c.features.iter().map(|(k, v)| (k.to_string(), serde_json::json!(v))).collect();
                        serde_json::json!({"speaker": c.speaker, "features": f})
                    })
                    .collect();
                let v = serde_json::json!({
                    "path": rec.path,
                    "start": idx.char_offset(q.quote.start),
                    "end": idx.char_offset(q.quote.end),
                    "speaker": q.quote.speaker,
                    "rule_speaker": q.rule_speaker,
                    "candidates": cands,
                });
                let _ = serde_json::to_writer(&mut out, &v);
                let _ = out.write_all(b"\n");
            }
        } else {
            let ex = chorus_extract::extract(&article.text, article.published.as_deref());
            let _ = serde_json::to_writer(&mut out, &chorus_extract::to_record(&article, &ex));
            let _ = out.write_all(b"\n");
        }
    }
}
