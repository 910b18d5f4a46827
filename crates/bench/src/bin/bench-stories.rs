//! Stories at scale: throughput and memory of story grouping, `cluster` and
//! `report` on generated streams of real article text, plus two checks of
//! the thresholds (a labelled folder, and the generator's own truth).
//!
//! ```text
//! bench-stories [--sizes 10000,30000,100000] [--stages group,cluster,report] [--shape steady|coverage] [--pool DIR]...
//!     one child process per size and stage, so peak memory is per run
//! bench-stories one SIZE STAGE [--shape steady|coverage] [--pool DIR]...
//! bench-stories score DIR LABELS.tsv [--similarity 0.1,0.2]
//!     BCubed of chorus's grouping of DIR against labels (file, story)
//! bench-stories truth SIZE [--shape steady|coverage] [--pool DIR]... [--similarity 0.1,0.2]
//!     duplicates, syndication and stories against the generator's truth
//! bench-stories stream SIZE --out FILE.jsonl [--truth FILE.tsv] [--order arrival|published|shuffled] [--seed N] [--pool DIR]...
//!     writes a coverage-shaped stream as JSON Lines, for `chorus cluster`,
//!     `chorus report` and `chorus ingest`; the truth file lists per line
//!     (1-based) the article id, its generated story, and what it is
//! bench-stories agree A.json B.json
//!     BCubed agreement of two `chorus cluster --format json` outputs (the
//!     second taken as the reference), matched by article id
//! bench-stories score-stream PRED.json TRUTH.tsv
//!     BCubed of a `chorus cluster --format json` output against a stream's truth
//! ```
//!
//! Stages: `group` is `chorus_stories::group` alone; `cluster` is what
//! `chorus cluster` runs after reading (clean + group); `report` is what
//! `chorus report` runs after reading (clean + extract + group + analyse).
//! Shapes: `steady` is [`chorus_bench::corpus`] (stories of at most 60
//! reports at a steady rate), `coverage` is [`chorus_bench::coverage`]
//! (power-law story sizes up to 3 % of the stream, developing stories,
//! paraphrase, late arrival). The default pool is the dev sets' article
//! texts (clustering-dev, attribution-dev and the text of extraction-dev's
//! pages) in `../shared/data`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use chorus_bench::corpus::{self, Corpus, Kind};
use chorus_bench::coverage::{Coverage, PoolArticle};
use chorus_bench::{Rng, mb, peak_rss_bytes, timed};
use chorus_model::Article;
use chorus_stories::Params;

const SEED: u64 = 20_240_101;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("one") => {
            let size: usize = args.get(1).context("size")?.parse()?;
            let stage = args.get(2).context("stage")?.clone();
            one(size, &stage, &pools(&args)?, shape(&args)?)
        }
        Some("stream") => {
            let size: usize = args.get(1).context("size")?.parse()?;
            stream(size, &args)
        }
        Some("agree") => {
            let a = args.get(1).context("A.json")?;
            let b = args.get(2).context("B.json")?;
            agree(a, b)
        }
        Some("score-stream") => {
            let pred = args.get(1).context("PRED.json")?;
            let truth = args.get(2).context("TRUTH.tsv")?;
            score_stream(pred, truth)
        }
        Some("score") => {
            let dir = args.get(1).context("DIR")?;
            let labels = args.get(2).context("LABELS")?;
            score(dir, labels, &similarities(&args)?)
        }
        Some("truth") => {
            let size: usize = args.get(1).context("size")?.parse()?;
            truth(size, &pools(&args)?, shape(&args)?, &similarities(&args)?)
        }
        _ => drive(&args),
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Vec<&'a str> {
    args.windows(2).filter(|w| w[0] == name).map(|w| w[1].as_str()).collect()
}

/// Which generated stream: the steady one or the coverage-shaped one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Steady,
    Coverage,
}

fn shape(args: &[String]) -> Result<Shape> {
    match flag(args, "--shape").first().copied() {
        None | Some("steady") => Ok(Shape::Steady),
        Some("coverage") => Ok(Shape::Coverage),
        Some(other) => bail!("--shape {other}: steady or coverage"),
    }
}

fn similarities(args: &[String]) -> Result<Vec<f32>> {
    match flag(args, "--similarity").first() {
        Some(list) => list.split(',').map(|s| s.parse::<f32>().context("--similarity")).collect(),
        None => Ok(vec![chorus_stories::SIMILARITY]),
    }
}

/// Pool directories: `--pool` flags, else the dev sets beside the repository.
fn pools(args: &[String]) -> Result<Vec<PathBuf>> {
    let given: Vec<PathBuf> = flag(args, "--pool").into_iter().map(PathBuf::from).collect();
    if !given.is_empty() {
        return Ok(given);
    }
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let dirs: Vec<PathBuf> =
        ["clustering-dev/articles", "attribution-dev/train", "attribution-dev/dev", "extraction-dev/pages"]
            .iter()
            .map(|d| data.join(d))
            .filter(|d| d.is_dir())
            .collect();
    if dirs.is_empty() {
        bail!("no pool: pass --pool DIR (a folder of .txt articles)");
    }
    Ok(dirs)
}

/// The pool's articles (`.txt` and `.html` files), read and cleaned as
/// `chorus` would, each with its real topic where the folder tells it: the
/// label of a `labels.tsv` beside the folder (file, story), else a date in
/// the file name (`outlet_2016-09-12_slug.txt`: one day of a single-subject
/// set).
fn load_pool(dirs: &[PathBuf]) -> Vec<PoolArticle> {
    let mut files: Vec<String> = Vec::new();
    let mut labels: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for d in dirs {
        let mut found: Vec<String> = std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "html"))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        found.sort();
        if let Ok(tsv) = std::fs::read_to_string(d.join("../labels.tsv")) {
            for line in tsv.lines().skip(1) {
                let mut c = line.split('\t');
                if let (Some(f), Some(l)) = (c.next(), c.next()) {
                    labels.insert(d.join(f.trim()).to_string_lossy().into_owned(), format!("label:{}", l.trim()));
                }
            }
        }
        files.extend(found);
    }
    let read = chorus_ingest::read_inputs(&files, &|_| {});
    let prepared = chorus_pipeline::prepare(read.articles).articles;
    prepared
        .into_iter()
        .map(|article| {
            let topic = labels.get(&article.path).cloned().or_else(|| date_in_name(&article.path));
            PoolArticle { article, topic }
        })
        .collect()
}

/// `2016-09-12` out of `dir/outlet_2016-09-12_slug.txt`.
fn date_in_name(path: &str) -> Option<String> {
    let name = Path::new(path).file_name()?.to_str()?;
    name.split('_')
        .find(|p| {
            p.len() == 10
                && p.as_bytes()[4] == b'-'
                && p.as_bytes()[7] == b'-'
                && p.chars().filter(char::is_ascii_digit).count() == 8
        })
        .map(|d| format!("date:{d}"))
}

fn generate(size: usize, dirs: &[PathBuf], shape: Shape) -> Corpus {
    let pool = load_pool(dirs);
    match shape {
        Shape::Steady => {
            let base: Vec<Article> = pool.into_iter().map(|p| p.article).collect();
            corpus::generate(&base, size, SEED)
        }
        Shape::Coverage => Coverage::plan(&pool, size, SEED).corpus(),
    }
}

/// Runs every size and stage in its own process and prints a table.
fn drive(args: &[String]) -> Result<()> {
    let sizes: Vec<usize> = match flag(args, "--sizes").first() {
        Some(s) => s.split(',').map(|x| x.parse().context("--sizes")).collect::<Result<_>>()?,
        None => vec![10_000, 30_000, 100_000],
    };
    let stages: Vec<String> = match flag(args, "--stages").first() {
        Some(s) => s.split(',').map(str::to_string).collect(),
        None => vec!["group".into(), "cluster".into(), "report".into()],
    };
    let exe = std::env::current_exe()?;
    let mut pool_args: Vec<String> =
        pools(args)?.iter().flat_map(|p| ["--pool".into(), p.display().to_string()]).collect();
    if let Some(s) = flag(args, "--shape").first() {
        pool_args.extend(["--shape".to_string(), s.to_string()]);
    }
    println!(
        "{:<8} {:>8} {:>9} {:>11} {:>8} {:>8} {:>10} {:>8} {:>9} {:>9}",
        "stage", "articles", "MB", "seconds", "art/s", "MB/s", "peak MB", "stories", "cpu s", "art/cpu-s"
    );
    for stage in &stages {
        for &size in &sizes {
            let out = Command::new(&exe).arg("one").arg(size.to_string()).arg(stage).args(&pool_args).output()?;
            let text = String::from_utf8_lossy(&out.stdout);
            match text.lines().last() {
                Some(line) if out.status.success() => println!("{line}"),
                _ => println!("{stage:<8} {size:>8} failed: {}", String::from_utf8_lossy(&out.stderr).trim()),
            }
        }
    }
    Ok(())
}

/// CPU seconds (user and system, all threads) this process has used, from
/// `/proc/self/stat`: on a shared machine, wall time says how loaded the
/// machine was as much as how fast the code is.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<f64> = rest.split_whitespace().map(|f| f.parse().unwrap_or(0.0)).collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / 100.0
}

/// One stage on one generated stream, in this process.
fn one(size: usize, stage: &str, dirs: &[PathBuf], shape: Shape) -> Result<()> {
    let corpus = generate(size, dirs, shape);
    let bytes = corpus.text_bytes();
    let articles = corpus.articles;
    let cpu_before = cpu_seconds();
    let (stories, secs) = match stage {
        "group" => {
            let (g, s) = timed(|| chorus_stories::group(&articles));
            (g.stories.len(), s)
        }
        "cluster" => {
            let (r, s) = timed(|| chorus_pipeline::cluster(chorus_pipeline::prepare(articles), Vec::new()));
            (r.stories.len(), s)
        }
        "report" => {
            let opts = chorus_pipeline::Options::default();
            let (r, s) = timed(|| chorus_pipeline::report(chorus_pipeline::prepare(articles), Vec::new(), &opts));
            (r.stories.len(), s)
        }
        other => bail!("unknown stage {other} (group, cluster, report)"),
    };
    let cpu = cpu_seconds() - cpu_before;
    let peak = peak_rss_bytes().map_or(f64::NAN, mb);
    println!(
        "{stage:<8} {size:>8} {:>9.1} {secs:>11.2} {:>8.0} {:>8.2} {peak:>10.0} {stories:>8} {cpu:>9.2} {:>9.0}",
        mb(bytes),
        size as f64 / secs,
        mb(bytes) / secs,
        size as f64 / cpu,
    );
    Ok(())
}

/// BCubed precision, recall and F1 of a predicted clustering against gold
/// labels, both given per item.
fn bcubed(pred: &[usize], gold: &[usize]) -> (f64, f64, f64) {
    use std::collections::HashMap;
    let n = pred.len() as f64;
    let mut cell: HashMap<(usize, usize), f64> = HashMap::new();
    let mut psize: HashMap<usize, f64> = HashMap::new();
    let mut gsize: HashMap<usize, f64> = HashMap::new();
    for (&p, &g) in pred.iter().zip(gold) {
        *cell.entry((p, g)).or_default() += 1.0;
        *psize.entry(p).or_default() += 1.0;
        *gsize.entry(g).or_default() += 1.0;
    }
    let p = cell.iter().map(|(&(pc, _), &c)| c * c / psize[&pc]).sum::<f64>() / n;
    let r = cell.iter().map(|(&(_, gl), &c)| c * c / gsize[&gl]).sum::<f64>() / n;
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

fn story_per_article(g: &chorus_stories::Grouping, n: usize) -> Vec<usize> {
    let mut of = vec![0usize; n];
    for (s, members) in g.stories.iter().enumerate() {
        for &i in members {
            of[i] = s;
        }
    }
    of
}

/// Scores chorus's grouping of a labelled folder at several similarity
/// thresholds.
fn score(dir: &str, labels: &str, sims: &[f32]) -> Result<()> {
    let gold_map: std::collections::HashMap<String, String> = std::fs::read_to_string(labels)?
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?.trim().to_string(), c.next()?.trim().to_string()))
        })
        .collect();
    let read = chorus_ingest::read_inputs(&[dir.to_string()], &|_| {});
    let articles = chorus_pipeline::prepare(read.articles).articles;
    let mut labels_seen: Vec<String> = Vec::new();
    let gold: Vec<usize> = articles
        .iter()
        .map(|a| {
            let name = Path::new(&a.path).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            let label = gold_map.get(&name).cloned().unwrap_or(name);
            match labels_seen.iter().position(|l| *l == label) {
                Some(k) => k,
                None => {
                    labels_seen.push(label);
                    labels_seen.len() - 1
                }
            }
        })
        .collect();
    println!("{:>10} {:>7} {:>7} {:>7} {:>8}", "similarity", "B3-P", "B3-R", "B3-F1", "clusters");
    for &sim in sims {
        let g = chorus_stories::group_with(&articles, &Params { similarity: sim, ..Params::default() });
        let (p, r, f) = bcubed(&story_per_article(&g, articles.len()), &gold);
        println!("{sim:>10.3} {p:>7.4} {r:>7.4} {f:>7.4} {:>8}", g.stories.len());
    }
    Ok(())
}

/// Duplicates, syndication and stories against what the generator made.
fn truth(size: usize, dirs: &[PathBuf], shape: Shape, sims: &[f32]) -> Result<()> {
    let c = generate(size, dirs, shape);
    let n = c.articles.len();
    let stories = c.story.iter().max().map_or(0, |m| m + 1);
    println!("{n} articles, {stories} generated stories");
    for &sim in sims {
        let g = chorus_stories::group_with(&c.articles, &Params { similarity: sim, ..Params::default() });
        // A copy is found when it points at its original or at the
        // original's own original.
        let origin = |mut i: usize| {
            while let Kind::ExactCopy { of } | Kind::NearCopy { of } = c.kind[i] {
                i = of;
            }
            i
        };
        let (mut dup_true, mut dup_found, mut dup_right) = (0, 0, 0);
        let (mut syn_true, mut syn_found, mut syn_right) = (0, 0, 0);
        // Generated kind (original, exact, near, syndicated) against what
        // was found (independent, duplicate, derived).
        let mut confusion = [[0usize; 3]; 4];
        for i in 0..n {
            let truth_kind = match c.kind[i] {
                Kind::Original => 0,
                Kind::ExactCopy { .. } => 1,
                Kind::NearCopy { .. } => 2,
                Kind::Syndicated { .. } => 3,
            };
            let found_kind = if g.duplicate_of[i].is_some() {
                1
            } else if !g.derived_from[i].is_empty() {
                2
            } else {
                0
            };
            confusion[truth_kind][found_kind] += 1;
            let copy = matches!(c.kind[i], Kind::ExactCopy { .. } | Kind::NearCopy { .. });
            dup_true += copy as usize;
            if let Some(d) = g.duplicate_of[i] {
                dup_found += 1;
                dup_right += (copy && origin(d) == origin(i)) as usize;
            }
            let syn = matches!(c.kind[i], Kind::Syndicated { .. });
            syn_true += syn as usize;
            if !g.derived_from[i].is_empty() {
                syn_found += 1;
                if let Kind::Syndicated { of } = c.kind[i] {
                    syn_right += g.derived_from[i].iter().any(|&d| origin(d) == origin(of)) as usize;
                }
            }
        }
        let (p, r, f) = bcubed(&story_per_article(&g, n), &c.story);
        println!(
            "similarity {sim:.3}: duplicates P {:.3} R {:.3}; syndication P {:.3} R {:.3}; stories B3 P {p:.4} R {r:.4} F1 {f:.4}, {} found",
            dup_right as f64 / dup_found.max(1) as f64,
            dup_right as f64 / dup_true.max(1) as f64,
            syn_right as f64 / syn_found.max(1) as f64,
            syn_right as f64 / syn_true.max(1) as f64,
            g.stories.len()
        );
        for (k, row) in ["original", "exact copy", "near copy", "syndicated"].iter().zip(confusion) {
            println!("  {k:<11} found independent {:>6}  duplicate {:>6}  derived {:>6}", row[0], row[1], row[2]);
        }
    }
    Ok(())
}

/// Writes a coverage-shaped stream as JSON Lines (and its truth), made and
/// written in chunks so that a million articles never sit in memory.
fn stream(size: usize, args: &[String]) -> Result<()> {
    use std::io::Write;
    let out = flag(args, "--out").first().context("--out FILE.jsonl")?.to_string();
    let truth = flag(args, "--truth").first().map(|s| s.to_string());
    let seed: u64 = match flag(args, "--seed").first() {
        Some(s) => s.parse().context("--seed")?,
        None => SEED,
    };
    let cov = Coverage::plan(&load_pool(&pools(args)?), size, seed);
    let order: Vec<usize> = match flag(args, "--order").first().copied().unwrap_or("arrival") {
        "arrival" => cov.arrival_order(),
        "published" => (0..cov.len()).collect(),
        "shuffled" => {
            let mut o: Vec<usize> = (0..cov.len()).collect();
            let mut rng = Rng::new(seed ^ 0x5eed);
            for i in (1..o.len()).rev() {
                o.swap(i, rng.below(i + 1));
            }
            o
        }
        other => bail!("--order {other}: arrival, published or shuffled"),
    };
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&out).with_context(|| out.clone())?);
    let mut t = match &truth {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p).with_context(|| p.clone())?)),
        None => None,
    };
    if let Some(t) = &mut t {
        writeln!(t, "line\tid\tstory\tkind\tof_line")?;
    }
    let mut line_of = vec![0usize; cov.len()];
    for (line, &k) in order.iter().enumerate() {
        line_of[k] = line + 1;
    }
    let mut bytes = 0u64;
    for chunk in order.chunks(8192) {
        use rayon::prelude::*;
        let made: Vec<Article> = chunk.par_iter().map(|&k| cov.article(k)).collect();
        for (a, &k) in made.iter().zip(chunk) {
            let v = serde_json::json!({
                "url": a.url, "source": a.source, "title": a.title, "published": a.published,
                "language": a.language, "text": a.text,
            });
            let s = serde_json::to_string(&v)?;
            bytes += s.len() as u64 + 1;
            w.write_all(s.as_bytes())?;
            w.write_all(b"\n")?;
            if let Some(t) = &mut t {
                let (kind, of) = match cov.kind(k) {
                    Kind::Original => ("original", 0),
                    Kind::ExactCopy { of } => ("exact", line_of[of]),
                    Kind::NearCopy { of } => ("near", line_of[of]),
                    Kind::Syndicated { of } => ("syndicated", line_of[of]),
                };
                writeln!(t, "{}\t{}\t{}\t{kind}\t{of}", line_of[k], a.id, cov.story(k))?;
            }
        }
    }
    w.flush()?;
    if let Some(t) = &mut t {
        t.flush()?;
    }
    eprintln!(
        "{out}: {} articles, {:.1} MB, {} stories, largest {} articles",
        cov.len(),
        mb(bytes),
        cov.story_count(),
        cov.largest_story()
    );
    Ok(())
}

/// Story of each article id in a `chorus cluster --format json` output.
fn stories_of(path: &str) -> Result<std::collections::HashMap<String, usize>> {
    let text = std::fs::read_to_string(path).with_context(|| path.to_string())?;
    let v: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("{path}: not JSON"))?;
    let mut out = std::collections::HashMap::new();
    for (s, story) in v["stories"].as_array().context("no stories")?.iter().enumerate() {
        for a in story["articles"].as_array().into_iter().flatten() {
            if let Some(id) = a["id"].as_str() {
                out.entry(id.to_string()).or_insert(s);
            }
        }
    }
    Ok(out)
}

/// BCubed agreement of two groupings of the same articles.
fn agree(a: &str, b: &str) -> Result<()> {
    let sa = stories_of(a)?;
    let sb = stories_of(b)?;
    let mut ids: Vec<&String> = sb.keys().collect();
    ids.sort();
    let missing = ids.iter().filter(|id| !sa.contains_key(**id)).count();
    let pred: Vec<usize> =
        ids.iter().enumerate().map(|(i, id)| sa.get(*id).copied().unwrap_or(usize::MAX - i)).collect();
    let gold: Vec<usize> = ids.iter().map(|id| sb[*id]).collect();
    let (p, r, f) = bcubed(&pred, &gold);
    println!("{} articles ({missing} missing from {a}): B3 P {p:.4} R {r:.4} F1 {f:.4}", ids.len());
    Ok(())
}

/// BCubed of a clustering output against a stream's truth.
fn score_stream(pred: &str, truth: &str) -> Result<()> {
    let sp = stories_of(pred)?;
    let text = std::fs::read_to_string(truth).with_context(|| truth.to_string())?;
    let mut p = Vec::new();
    let mut g = Vec::new();
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 3 {
            continue;
        }
        let story: usize = c[2].parse()?;
        p.push(sp.get(c[1]).copied().unwrap_or(usize::MAX - p.len()));
        g.push(story);
    }
    let (bp, br, bf) = bcubed(&p, &g);
    println!("{} articles: B3 P {bp:.4} R {br:.4} F1 {bf:.4}", g.len());
    Ok(())
}
