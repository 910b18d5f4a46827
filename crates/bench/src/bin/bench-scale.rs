//! Scaling out: the same generated stream ingested by one process into
//! SQLite, and by 1, 2, 4… `chorus worker`s sharing one PostgreSQL store.
//! Prints articles per second for each, and how well each worker run's
//! stories agree with the single-process run's (BCubed F1, the single
//! process taken as truth).
//!
//! ```text
//! bench-scale --pg postgres://user@host:port/postgres [--size 30000] [--workers 1,2,4]
//!             [--jobs 1] [--batch 64] [--pool DIR]... [--keep] [--workers-only]
//! bench-scale stream SIZE FILE [--pool DIR]...
//!     writes the stream as JSON Lines, to run the commands by hand
//! ```
//!
//! It runs the release `chorus` binary next to itself (build both with
//! `cargo build --release -p chorus -p chorus-bench`), each run into a fresh
//! database named `bench_scale_*` on the server `--pg` points at (dropped at
//! the end unless `--keep`). Times are wall-clock, from the first worker
//! started to the last one done, analysis of every story included (as
//! `chorus ingest` does it); queueing is timed apart. The default pool is
//! the dev sets' article texts in `../shared/data`, as for bench-stories.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chorus_bench::corpus;
use chorus_model::Article;
use chorus_store::{PgStore, SqliteStore, Store};

/// The stories benchmark's seed, so both benchmarks measure the same stream.
const SEED: u64 = 20_240_101;

fn flag<'a>(args: &'a [String], name: &str) -> Vec<&'a str> {
    args.windows(2).filter(|w| w[0] == name).map(|w| w[1].as_str()).collect()
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("stream") {
        let size: usize = args.get(1).context("stream SIZE FILE")?.parse().context("SIZE")?;
        let file = args.get(2).context("stream SIZE FILE")?;
        let n = write_stream(Path::new(file), size, &pools(&args)?)?;
        println!("{file}: {n} articles");
        return Ok(());
    }
    let pg = flag(&args, "--pg")
        .first()
        .map(|s| s.to_string())
        .or_else(|| std::env::var("CHORUS_TEST_PG").ok())
        .context("--pg URL of a PostgreSQL server (or CHORUS_TEST_PG)")?;
    let size: usize = flag(&args, "--size").first().map_or(Ok(30_000), |s| s.parse()).context("--size")?;
    let workers: Vec<usize> = flag(&args, "--workers")
        .first()
        .map_or(Ok(vec![1, 2, 4]), |s| s.split(',').map(str::parse).collect())
        .context("--workers")?;
    let jobs = flag(&args, "--jobs").first().copied().unwrap_or("1").to_string();
    let batch = flag(&args, "--batch").first().copied().unwrap_or("64").to_string();
    let keep = args.iter().any(|a| a == "--keep");
    let skip_single = args.iter().any(|a| a == "--workers-only");
    let chorus = std::env::current_exe()?.with_file_name("chorus");
    if !chorus.exists() {
        bail!("{} is missing: cargo build --release -p chorus -p chorus-bench", chorus.display());
    }

    let dir = tempfile::tempdir()?;
    let input = dir.path().join("stream.jsonl");
    let n = write_stream(&input, size, &pools(&args)?)?;
    let mb = std::fs::metadata(&input)?.len() as f64 / 1e6;
    println!("stream: {n} articles, {mb:.1} MB of JSON Lines; {} cores; worker batch {batch}", cores());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let server = Server::find(&rt, &pg);
    println!(
        "{:<28} {:>8} {:>8} {:>7} {:>8} {:>7} {:>9} {:>7} {:>8} {:>7} {:>7}",
        "run", "articles", "wall s", "art/s", "chorus", "server", "art/cpu-s", "lock s", "stories", "BCubed", "queue s"
    );
    let file = dir.path().join("single.db");
    let m =
        measure(&server, || run(&chorus, &["ingest", path(&input), "--db", path(&file), "-q"]).map(|_| Vec::new()))?;
    let lite = SqliteStore::open(&file)?;
    let truth = rt.block_on(partition(&lite))?;
    m.print("sqlite, 1 process", &truth, None, None);

    let tag = std::process::id();
    let mut made = Vec::new();
    if !skip_single {
        let db = database(&pg, &format!("bench_scale_{tag}_single"));
        made.push(db.clone());
        let wal0 = rt.block_on(wal_position(&pg))?;
        let m = measure(&server, || run(&chorus, &["ingest", path(&input), "--db", &db, "-q"]).map(|_| Vec::new()))?;
        let store = rt.block_on(PgStore::open_existing(&db))?;
        let got = rt.block_on(partition(&store))?;
        m.print("postgres, 1 process", &got, Some(bcubed_f1(&got, &truth)), None);
        rt.block_on(print_sizes(&pg, &db, wal0, got.iter().map(Vec::len).sum(), got.len()))?;
    }

    for &w in &workers {
        let db = database(&pg, &format!("bench_scale_{tag}_w{w}"));
        made.push(db.clone());
        let (_, queue_secs) = time(|| run(&chorus, &["ingest", "--db", &db, "--enqueue", path(&input)]))?;
        let wal0 = rt.block_on(wal_position(&pg))?;
        let m = measure(&server, || {
            let children: Vec<_> = (0..w)
                .map(|_| {
                    Command::new(&chorus)
                        .args(["worker", "--db", &db, "--until-idle", "--jobs", &jobs, "--batch", &batch, "-q"])
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped())
                        .spawn()
                })
                .collect::<std::io::Result<_>>()?;
            let mut logs = Vec::new();
            for c in children {
                let out = c.wait_with_output()?;
                let log = String::from_utf8_lossy(&out.stderr).into_owned();
                if !out.status.success() {
                    bail!("a worker failed: {log}");
                }
                logs.push(log);
            }
            Ok(logs)
        })?;
        let store = rt.block_on(PgStore::open_existing(&db))?;
        let got = rt.block_on(partition(&store))?;
        let problems = rt.block_on(store.check())?;
        if !problems.is_empty() {
            bail!("{w} workers left an inconsistent store: {problems:?}");
        }
        let label = format!("postgres, {w} worker{} x{jobs} job", if w == 1 { "" } else { "s" });
        m.print(&label, &got, Some(bcubed_f1(&got, &truth)), Some(queue_secs));
        rt.block_on(print_sizes(&pg, &db, wal0, got.iter().map(Vec::len).sum(), got.len()))?;
    }
    if !keep {
        rt.block_on(drop_databases(&pg, &made))?;
    }
    Ok(())
}

/// Wall time and CPU time of one run: the chorus processes it waited for,
/// and the PostgreSQL server when it runs on this machine.
struct Measured {
    wall: f64,
    chorus_cpu: f64,
    server_cpu: Option<f64>,
    /// Seconds the workers held the assignment lock, from their logs.
    lock: Option<f64>,
}

impl Measured {
    fn print(&self, label: &str, stories: &[Vec<String>], f1: Option<f64>, queue: Option<f64>) {
        let n: usize = stories.iter().map(Vec::len).sum();
        let cpu = self.chorus_cpu + self.server_cpu.unwrap_or(0.0);
        let opt = |v: Option<f64>, p: usize| v.map_or("-".to_string(), |v| format!("{v:.p$}"));
        println!(
            "{label:<28} {n:>8} {:>8.1} {:>7.0} {:>8.1} {:>7} {:>9.0} {:>7} {:>8} {:>7} {:>7}",
            self.wall,
            n as f64 / self.wall,
            self.chorus_cpu,
            opt(self.server_cpu, 1),
            n as f64 / cpu,
            opt(self.lock, 1),
            stories.len(),
            opt(f1, 4),
            opt(queue, 1),
        );
    }
}

/// Runs `f` (which returns the logs of the workers it ran, if any).
fn measure(server: &Option<Server>, f: impl FnOnce() -> Result<Vec<String>>) -> Result<Measured> {
    let (c0, s0) = (children_cpu(), server.as_ref().and_then(Server::cpu));
    let (logs, wall) = time(f)?;
    let (c1, s1) = (children_cpu(), server.as_ref().and_then(Server::cpu));
    let lock: Vec<f64> =
        logs.iter().filter_map(|l| l.split("assignment lock held ").nth(1)?.split(' ').next()?.parse().ok()).collect();
    Ok(Measured {
        wall,
        chorus_cpu: c1 - c0,
        server_cpu: s0.zip(s1).map(|(a, b)| b - a),
        lock: (!lock.is_empty()).then(|| lock.iter().sum()),
    })
}

/// CPU seconds of the child processes this process has waited for.
fn children_cpu() -> f64 {
    proc_cpu("self", true).map_or(0.0, |all| all - proc_cpu("self", false).unwrap_or(0.0))
}

/// User and system seconds of process `pid` (with its reaped children
/// when `children`), from `/proc/PID/stat`.
fn proc_cpu(pid: &str, children: bool) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    let own = ticks(11)? + ticks(12)?;
    let reaped = if children { ticks(13)? + ticks(14)? } else { 0.0 };
    Some((own + reaped) / 100.0)
}

/// The PostgreSQL server's main process, when it runs on this machine:
/// each connection is a child process of it, whose CPU time is added to
/// its children's when the connection closes.
struct Server {
    postmaster: String,
}

impl Server {
    fn find(rt: &tokio::runtime::Runtime, url: &str) -> Option<Server> {
        let backend: i32 = rt
            .block_on(async {
                let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
                let driver = tokio::spawn(conn);
                let pid = client.query_one("SELECT pg_backend_pid()", &[]).await?.get(0);
                drop(client);
                let _ = driver.await;
                anyhow::Ok(pid)
            })
            .ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{backend}/stat")).ok()?;
        let ppid = stat[stat.rfind(')')? + 2..].split_whitespace().nth(1)?.to_string();
        let server = Server { postmaster: ppid };
        server.cpu().map(|_| server)
    }

    fn cpu(&self) -> Option<f64> {
        proc_cpu(&self.postmaster, true)
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

fn time<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, f64)> {
    let t = Instant::now();
    let v = f()?;
    Ok((v, t.elapsed().as_secs_f64()))
}

fn run(chorus: &Path, args: &[&str]) -> Result<()> {
    let out = Command::new(chorus).args(args).stdout(Stdio::null()).stderr(Stdio::piped()).output()?;
    if !out.status.success() {
        bail!("chorus {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

/// `server` (any database on it) with the database `db` instead.
fn database(server: &str, db: &str) -> String {
    let (head, query) = match server.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (server, String::new()),
    };
    let start = head.find("://").map_or(0, |i| i + 3);
    let end = head[start..].find('/').map_or(head.len(), |i| start + i);
    format!("{}/{db}{query}", &head[..end])
}

/// The server's write-ahead log position, in bytes.
async fn wal_position(server: &str) -> Result<i64> {
    let (client, conn) = tokio_postgres::connect(server, tokio_postgres::NoTls).await?;
    let driver = tokio::spawn(conn);
    let pos: i64 = client.query_one("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint", &[]).await?.get(0);
    drop(client);
    let _ = driver.await;
    Ok(pos)
}

/// What a run left on the server: the database's size and the log it
/// wrote, per article and per story (the figures scaling.md works from).
async fn print_sizes(server: &str, db: &str, wal0: i64, articles: usize, stories: usize) -> Result<()> {
    let wal = wal_position(server).await? - wal0;
    let (client, conn) = tokio_postgres::connect(db, tokio_postgres::NoTls).await?;
    let driver = tokio::spawn(conn);
    let size = |q: &'static str| {
        let client = &client;
        async move { client.query_one(q, &[]).await.map(|r| r.get::<_, i64>(0) as f64) }
    };
    let total = size("SELECT pg_database_size(current_database())").await?;
    let articles_bytes =
        size("SELECT pg_total_relation_size('articles') + pg_total_relation_size('article_texts')").await?;
    let stories_bytes = size("SELECT pg_total_relation_size('stories')").await?;
    drop(client);
    let _ = driver.await;
    let (a, s) = (articles.max(1) as f64, stories.max(1) as f64);
    println!(
        "    database {:.0} MB: articles {:.1} KB each (rows, texts, indexes), stories {:.1} KB each; WAL {:.0} MB, {:.1} KB per article",
        total / 1e6,
        articles_bytes / a / 1e3,
        stories_bytes / s / 1e3,
        wal as f64 / 1e6,
        wal as f64 / a / 1e3
    );
    Ok(())
}

async fn drop_databases(server: &str, dbs: &[String]) -> Result<()> {
    let admin = database(server, "postgres");
    let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await?;
    let driver = tokio::spawn(conn);
    for db in dbs {
        let name = db.rsplit('/').next().unwrap_or_default().split('?').next().unwrap_or_default();
        client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
    }
    drop(client);
    let _ = driver.await;
    Ok(())
}

/// Pool directories: `--pool` flags, else the dev sets beside the repository.
fn pools(args: &[String]) -> Result<Vec<PathBuf>> {
    let given: Vec<PathBuf> = flag(args, "--pool").into_iter().map(PathBuf::from).collect();
    if !given.is_empty() {
        return Ok(given);
    }
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let dirs: Vec<PathBuf> = ["clustering-dev/articles", "attribution-dev/train", "attribution-dev/dev"]
        .iter()
        .map(|d| data.join(d))
        .filter(|d| d.is_dir())
        .collect();
    if dirs.is_empty() {
        bail!("no pool: pass --pool DIR (a folder of .txt articles)");
    }
    Ok(dirs)
}

/// Generates the stream (as bench-stories does) and writes it as JSON
/// Lines, the form a large ingest comes in. Returns the article count.
fn write_stream(to: &Path, size: usize, pools: &[PathBuf]) -> Result<usize> {
    let mut files: Vec<String> = Vec::new();
    for d in pools {
        let mut found: Vec<String> = std::fs::read_dir(d)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        found.sort();
        files.extend(found);
    }
    let read = chorus_ingest::read_inputs(&files, &|_| {});
    let pool: Vec<Article> = chorus_pipeline::prepare(read.articles).articles;
    let c = corpus::generate(&pool, size, SEED);
    let mut out = std::io::BufWriter::new(std::fs::File::create(to)?);
    for a in &c.articles {
        let line = serde_json::json!({
            "id": a.id, "url": a.url, "source": a.source, "title": a.title,
            "published": a.published, "language": a.language, "text": a.text,
        });
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(c.articles.len())
}

/// Each stored story's article ids.
async fn partition(store: &impl Store) -> Result<Vec<Vec<String>>> {
    let mut groups = Vec::new();
    for id in store.report_order().await? {
        if let Some(m) = store.members(id).await? {
            groups.push(m.members.into_iter().map(|x| x.article.id).collect());
        }
    }
    Ok(groups)
}

/// BCubed F1 of `got` against `truth` over the articles both hold.
fn bcubed_f1(got: &[Vec<String>], truth: &[Vec<String>]) -> f64 {
    let label = |p: &[Vec<String>]| -> HashMap<String, usize> {
        p.iter().enumerate().flat_map(|(i, g)| g.iter().map(move |id| (id.clone(), i))).collect()
    };
    let (lg, lt) = (label(got), label(truth));
    let mut joint: HashMap<(usize, usize), f64> = HashMap::new();
    let mut size_g: HashMap<usize, f64> = HashMap::new();
    let mut size_t: HashMap<usize, f64> = HashMap::new();
    for (id, &g) in &lg {
        if let Some(&t) = lt.get(id) {
            *joint.entry((g, t)).or_default() += 1.0;
            *size_g.entry(g).or_default() += 1.0;
            *size_t.entry(t).or_default() += 1.0;
        }
    }
    let (mut p, mut r, mut n) = (0.0, 0.0, 0.0);
    for (id, &g) in &lg {
        if let Some(&t) = lt.get(id) {
            let both = joint[&(g, t)];
            p += both / size_g[&g];
            r += both / size_t[&t];
            n += 1.0;
        }
    }
    if n == 0.0 {
        return 0.0;
    }
    let (p, r) = (p / n, r / n);
    2.0 * p * r / (p + r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(groups: &[&[&str]]) -> Vec<Vec<String>> {
        groups.iter().map(|g| g.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn bcubed_is_one_for_the_same_partition_and_drops_with_merges() {
        let truth = p(&[&["a", "b"], &["c"], &["d", "e", "f"]]);
        assert!((bcubed_f1(&truth, &truth) - 1.0).abs() < 1e-12);
        let merged = p(&[&["a", "b", "c"], &["d", "e", "f"]]);
        let f = bcubed_f1(&merged, &truth);
        assert!(f < 1.0 && f > 0.8, "{f}");
        assert_eq!(database("postgres://u@h:1/x?a=b", "y"), "postgres://u@h:1/y?a=b");
    }
}
