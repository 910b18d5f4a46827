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
        {
            let ex = chorus_extract::extract(&article.text, article.published.as_deref());
            let _ = serde_json::to_writer(&mut out, &chorus_extract::to_record(&article, &ex));
            let _ = out.write_all(b"\n");
        }
    }
}
