//! The cross-source analysis of one story: how long it takes, and how the
//! summarisers compare.
//!
//! ```text
//! bench-analysis time [--articles 50] [--reps 7] [--deep 0] [--data DIR] [--seeds DIR] [--label L]
//!     builds one story of N real articles (one clustering-dev label, then
//!     the seeds, then the other labels, in file order: deterministic),
//!     extracts once, and prints the median time of chorus_analysis::analyze
//! bench-analysis compare [--words 250] [--data DIR] [--seeds DIR] [--min 5] [--methods support,lexrank]
//!     pseudo-ROUGE of the summarisers on the seeds and on each clustering-dev
//!     story of at least --min articles, leave-one-article-out (see below)
//! bench-analysis show [--words 250] [--method support] PATH...
//!     all inputs as one story: each summariser's summary, for reading
//! ```
//!
//! No reference summaries ship here, so `compare` uses a leave-one-out
//! proxy: for each article of a story, every summariser summarises the
//! *other* articles, and the summary is scored by ROUGE-2 recall against the
//! held-out article's lead (its first 100 words), which is a journalist's
//! own summary of the event, written without seeing the others. It also
//! reports recall against the whole held-out article (content coverage).
//! Tokens are lower-cased Porter2 stems, stop words kept, summaries cut at
//! the word budget, as ROUGE is usually run on DUC/TAC.

use std::path::Path;

use anyhow::{Context, Result, bail};
use chorus_analysis::{Doc, Method, Options};
use chorus_bench::timed;
use chorus_extract::Extraction;
use chorus_model::Article;
use rustc_hash::FxHashMap;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let data = flag("--data").unwrap_or_else(|| "../shared/data/clustering-dev".into());
    let seeds = flag("--seeds").unwrap_or_else(|| "../shared/seeds".into());
    let words: usize = flag("--words").map(|w| w.parse()).transpose()?.unwrap_or(250);
    match args.first().map(String::as_str) {
        Some("time") | None => {
            let n: usize = flag("--articles").map(|w| w.parse()).transpose()?.unwrap_or(50);
            let reps: usize = flag("--reps").map(|w| w.parse()).transpose()?.unwrap_or(7);
            // Transformer sentences per story (`Options::transformer_sentences`).
            let deep: usize = flag("--deep").map(|w| w.parse()).transpose()?.unwrap_or(0);
            time(&data, &seeds, flag("--label").as_deref(), n, reps, deep)
        }
        Some("compare") => {
            let min: usize = flag("--min").map(|w| w.parse()).transpose()?.unwrap_or(5);
            let methods: Vec<Method> = match flag("--methods") {
                Some(list) => Method::ALL.into_iter().filter(|m| list.split(',').any(|x| x == m.name())).collect(),
                None => Method::ALL.to_vec(),
            };
            compare(&data, &seeds, words, min, &methods)
        }
        Some("show") => {
            let paths: Vec<String> = args[1..]
                .iter()
                .enumerate()
                .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || !args[*i].starts_with("--")))
                .map(|(_, a)| a.clone())
                .collect();
            let only = flag("--method");
            show(&paths, words, only.as_deref())
        }
        Some(other) => bail!("unknown mode {other}: time, compare or show"),
    }
}

/// Reads, cleans and extracts a list of inputs.
fn load(paths: &[String]) -> (Vec<Article>, Vec<Extraction>) {
    let ing = chorus_ingest::read_inputs(paths, &|_| {});
    let prepared = chorus_pipeline::prepare(ing.articles);
    let ex = chorus_pipeline::extract_all(&prepared.articles);
    (prepared.articles, ex)
}

/// Files of the clustering-dev set by story label, in file order.
fn labelled(data: &str) -> Result<Vec<(String, Vec<String>)>> {
    let labels = std::fs::read_to_string(Path::new(data).join("labels.tsv"))
        .with_context(|| format!("{data}/labels.tsv (the clustering-dev set) is not readable"))?;
    let mut by: Vec<(String, Vec<String>)> = Vec::new();
    for line in labels.lines().skip(1) {
        let mut f = line.split('\t');
        let (Some(file), Some(label)) = (f.next(), f.next()) else { continue };
        let path = Path::new(data).join("articles").join(file).to_string_lossy().into_owned();
        match by.iter_mut().find(|(l, _)| l == label) {
            Some(e) => e.1.push(path),
            None => by.push((label.to_string(), vec![path])),
        }
    }
    for e in &mut by {
        e.1.sort();
    }
    Ok(by)
}

fn seed_files(seeds: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(seeds)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn docs<'a>(arts: &'a [Article], ex: &'a [Extraction], keep: &[usize]) -> Vec<Doc<'a>> {
    let sub: Vec<Article> = keep.iter().map(|&i| arts[i].clone()).collect();
    let grouping = chorus_stories::group(&sub);
    keep.iter()
        .enumerate()
        .map(|(k, &i)| Doc {
            article: &arts[i],
            extraction: &ex[i],
            independent: grouping.is_independent(k),
            added: None,
        })
        .collect()
}

fn time(data: &str, seeds: &str, label: Option<&str>, n: usize, reps: usize, deep: usize) -> Result<()> {
    let by = labelled(data)?;
    let first = match label {
        Some(l) => by.iter().position(|(x, _)| x == l).with_context(|| format!("no label {l}"))?,
        None => (0..by.len()).max_by_key(|&i| (by[i].1.len(), std::cmp::Reverse(i))).unwrap_or(0),
    };
    let mut files: Vec<String> = by[first].1.clone();
    files.extend(seed_files(seeds));
    for (i, (_, f)) in by.iter().enumerate() {
        if i != first {
            files.extend(f.iter().cloned());
        }
    }
    files.truncate(n);
    let ((arts, ex), t_load) = timed(|| load(&files));
    let all: Vec<usize> = (0..arts.len()).collect();
    let ds = docs(&arts, &ex, &all);
    let bytes: usize = arts.iter().map(|a| a.text.len()).sum();
    let sentences: usize = ex.iter().map(|e| e.sentences.len()).sum();
    println!(
        "story: {} articles ({} independent), {} sentences, {:.1} KB of text, label {} + seeds (read+clean+extract {:.2}s)",
        arts.len(),
        ds.iter().filter(|d| d.independent).count(),
        sentences,
        bytes as f64 / 1024.0,
        by[first].0,
        t_load
    );
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..reps.max(1) {
        let opts = Options { transformer_sentences: deep, ..Options::default() };
        let (a, t) = timed(|| chorus_analysis::analyze(&ds, &opts));
        times.push(t);
        last = Some(a);
    }
    times.sort_by(f64::total_cmp);
    let a = last.expect("at least one run");
    println!(
        "analyze: median {:.1} ms, min {:.1} ms, max {:.1} ms over {} runs",
        times[times.len() / 2] * 1e3,
        times[0] * 1e3,
        times[times.len() - 1] * 1e3,
        times.len()
    );
    println!(
        "found: {} facts ({} shared), {} quotes, {} numbers, {} conflicts, {} summary sentences",
        a.facts.len(),
        a.facts.iter().filter(|f| f.articles.len() > 1).count(),
        a.quotes.len(),
        a.numbers.len(),
        a.conflicts.len(),
        a.summary.len()
    );
    for m in Method::ALL {
        let (_, t) = timed(|| chorus_analysis::summary::summarize(&ds, 250, m));
        println!("summary {:>8}: {:.1} ms", m.name(), t * 1e3);
    }
    Ok(())
}

/// Stemmed tokens as ROUGE sees them.
fn rouge_tokens(text: &str, stemmer: &mut chorus_text::Stemmer) -> Vec<String> {
    chorus_text::words(text).map(|w| stemmer.stem(w)).collect()
}

fn bigrams(t: &[String]) -> FxHashMap<(&str, &str), usize> {
    let mut m = FxHashMap::default();
    for w in t.windows(2) {
        *m.entry((w[0].as_str(), w[1].as_str())).or_insert(0) += 1;
    }
    m
}

/// ROUGE-2 recall of `summary` (cut at `budget` words) against `reference`.
fn rouge2(summary: &str, reference: &str, budget: usize, stemmer: &mut chorus_text::Stemmer) -> f64 {
    let cut: String = summary.split_whitespace().take(budget).collect::<Vec<_>>().join(" ");
    let s = rouge_tokens(&cut, stemmer);
    let r = rouge_tokens(reference, stemmer);
    let (sb, rb) = (bigrams(&s), bigrams(&r));
    let total: usize = rb.values().sum();
    if total == 0 {
        return 0.0;
    }
    let hit: usize = rb.iter().map(|(k, &c)| c.min(sb.get(k).copied().unwrap_or(0))).sum();
    hit as f64 / total as f64
}

/// The first `n` words of a text.
fn lead(text: &str, n: usize) -> String {
    text.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

fn compare(data: &str, seeds: &str, words: usize, min: usize, methods: &[Method]) -> Result<()> {
    let mut stories: Vec<(String, Vec<String>)> = Vec::new();
    let sf = seed_files(seeds);
    if !sf.is_empty() {
        stories.push(("seeds".into(), sf));
    }
    stories.extend(labelled(data)?.into_iter().filter(|(_, f)| f.len() >= min));
    let mut stemmer = chorus_text::Stemmer::default();
    let mut totals = vec![(0.0f64, 0.0f64, 0usize); methods.len()];
    println!("ROUGE-2 recall, leave one article out, summary of the others at {words} words");
    println!(
        "{:<26} {:>4}  {}",
        "story",
        "n",
        methods.iter().map(|m| format!("{:>19}", m.name())).collect::<Vec<_>>().join("")
    );
    println!(
        "{:<26} {:>4}  {}",
        "",
        "",
        methods.iter().map(|_| format!("{:>19}", "lead100 / full")).collect::<Vec<_>>().join("")
    );
    for (name, files) in &stories {
        let (arts, ex) = load(files);
        if arts.len() < 3 {
            continue;
        }
        let mut sums = vec![(0.0f64, 0.0f64); methods.len()];
        for h in 0..arts.len() {
            let keep: Vec<usize> = (0..arts.len()).filter(|&i| i != h).collect();
            let ds = docs(&arts, &ex, &keep);
            let reference_lead = lead(&arts[h].text, 100);
            for (k, &m) in methods.iter().enumerate() {
                let s = chorus_analysis::summary::summarize(&ds, words, m);
                let text: String = s.iter().map(|x| x.text.as_str()).collect::<Vec<_>>().join(" ");
                sums[k].0 += rouge2(&text, &reference_lead, words, &mut stemmer);
                sums[k].1 += rouge2(&text, &arts[h].text, words, &mut stemmer);
            }
        }
        let n = arts.len() as f64;
        let row: Vec<String> = sums.iter().map(|(a, b)| format!("{:>10.4} / {:.4}", a / n, b / n)).collect();
        println!("{:<26} {:>4}  {}", name, arts.len(), row.join(""));
        for (k, (a, b)) in sums.iter().enumerate() {
            totals[k].0 += a / n;
            totals[k].1 += b / n;
            totals[k].2 += 1;
        }
    }
    let row: Vec<String> =
        totals.iter().map(|(a, b, c)| format!("{:>10.4} / {:.4}", a / *c as f64, b / *c as f64)).collect();
    println!("{:<26} {:>4}  {}", "mean over stories", "", row.join(""));
    Ok(())
}

fn show(paths: &[String], words: usize, only: Option<&str>) -> Result<()> {
    let (arts, ex) = load(paths);
    let all: Vec<usize> = (0..arts.len()).collect();
    let ds = docs(&arts, &ex, &all);
    for m in Method::ALL {
        if only.is_some_and(|o| o != m.name()) {
            continue;
        }
        println!("== {} ==", m.name());
        for s in chorus_analysis::summary::summarize(&ds, words, m) {
            let cites: Vec<String> = s
                .articles
                .iter()
                .map(|id| arts.iter().position(|a| &a.id == id).map_or("?".into(), |i| (i + 1).to_string()))
                .collect();
            println!("- {} [{}]", s.text, cites.join(","));
        }
        println!();
    }
    Ok(())
}
