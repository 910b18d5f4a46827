//! The PostgreSQL store and the workers, through the real `chorus` binary,
//! against a real server: `CHORUS_TEST_PG` names one (`.ci/setup/postgres.sh`
//! starts a throwaway cluster and exports it). Without it these tests say
//! so and pass, except under CI, where they fail. Each test makes its own
//! database on that server.

#![cfg(feature = "postgres")]

mod serving;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chorus_store::{PgStore, SqliteStore, Store};
use serving::{Server, bin, chorus, masked_times};

/// A fresh database URL on the test server, or `None` with a message.
fn pg(name: &str) -> Option<String> {
    let Ok(base) = std::env::var("CHORUS_TEST_PG") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CHORUS_TEST_PG is not set under CI: .ci/setup/postgres.sh should have started a PostgreSQL server"
        );
        eprintln!("skipped {name}: CHORUS_TEST_PG is not set (`source .ci/setup/postgres.sh` starts a server)");
        return None;
    };
    static N: AtomicUsize = AtomicUsize::new(0);
    let db = format!(
        "chorus_it_{name}_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() % 1_000_000)
            .unwrap_or(0)
    );
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h.to_string(), format!("?{q}")),
        None => (base.clone(), String::new()),
    };
    let start = head.find("://").map(|i| i + 3).unwrap_or(0);
    let end = head[start..].find('/').map(|i| start + i).unwrap_or(head.len());
    Some(format!("{}/{db}{query}", &head[..end]))
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap().block_on(f)
}

/// `shared/<rel>` beside the repository, or `None` with a message (a
/// failure under CI).
fn shared(rel: &str) -> Option<std::path::PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(std::env::var_os("CI").is_none(), "{} is missing, and CI is set", p.display());
    eprintln!("skipped: {} is absent", p.display());
    None
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = chorus(args);
    assert_eq!(code, 0, "chorus {args:?}: {err}");
    out
}

/// Which articles each stored story holds, as sets of article ids.
fn partition(store: &impl Store) -> Vec<Vec<String>> {
    block_on(async {
        let mut groups = Vec::new();
        for id in store.report_order().await.unwrap() {
            let m = store.members(id).await.unwrap().unwrap();
            let mut ids: Vec<String> = m.members.into_iter().map(|x| x.article.id).collect();
            ids.sort();
            groups.push(ids);
        }
        groups.sort();
        groups
    })
}

/// BCubed F1 of clustering `a` against clustering `b` (both partitions of
/// the same articles).
fn bcubed_f1(a: &[Vec<String>], b: &[Vec<String>]) -> f64 {
    let label = |p: &[Vec<String>]| -> HashMap<String, usize> {
        p.iter().enumerate().flat_map(|(i, g)| g.iter().map(move |id| (id.clone(), i))).collect()
    };
    let (la, lb) = (label(a), label(b));
    assert_eq!(la.len(), lb.len(), "both hold the same articles");
    let size = |p: &[Vec<String>], l: &HashMap<String, usize>, id: &str| p[l[id]].len() as f64;
    let mut joint: HashMap<(usize, usize), f64> = HashMap::new();
    for (id, &x) in &la {
        *joint.entry((x, lb[id])).or_default() += 1.0;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for (id, &x) in &la {
        let both = joint[&(x, lb[id])];
        precision += both / size(a, &la, id);
        recall += both / size(b, &lb, id);
    }
    let n = la.len() as f64;
    let (p, r) = (precision / n, recall / n);
    2.0 * p * r / (p + r)
}

/// An invented news stream as JSON Lines: `events` events, each reported
/// by one to four outlets in their own sentences, drawn from the event's
/// own invented vocabulary and names, some reports republished word for
/// word by another outlet. Nothing here comes from real articles.
fn stream(events: usize, seed: u64) -> String {
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    const SYL: [&str; 16] =
        ["ka", "lo", "mi", "ren", "dar", "vel", "tor", "si", "na", "bel", "gor", "ul", "an", "ise", "mor", "pa"];
    const GLUE: [&str; 10] = ["the", "of", "in", "and", "to", "was", "said", "on", "after", "with"];
    const OUTLETS: [&str; 6] = ["Valley Post", "Hill Herald", "Dale News", "Fen Times", "Moss Gazette", "Coast Ledger"];
    let word =
        |next: &mut dyn FnMut(usize) -> usize| -> String { (0..2 + next(3)).map(|_| SYL[next(SYL.len())]).collect() };
    let capital = |w: String| -> String {
        let mut c = w.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    };
    let mut out = String::new();
    let mut n = 0;
    for e in 0..events {
        let vocabulary: Vec<String> = (0..20).map(|_| word(&mut next)).collect();
        let names: Vec<String> = (0..3).map(|_| capital(word(&mut next))).collect();
        let day = 1 + e / 3;
        for r in 0..1 + next(4) {
            let sentences: Vec<String> = (0..5)
                .map(|_| {
                    let words: Vec<String> = (0..10 + next(5))
                        .map(|_| match next(10) {
                            0..5 => vocabulary[next(vocabulary.len())].clone(),
                            5..7 => names[next(names.len())].clone(),
                            _ => GLUE[next(GLUE.len())].to_string(),
                        })
                        .collect();
                    capital(words.join(" ")) + "."
                })
                .collect();
            let text = sentences.join(" ");
            let title = format!("{} {} in {}", capital(vocabulary[0].clone()), vocabulary[1], names[0]);
            let line = |n: usize, outlet: &str| {
                let host = outlet.to_lowercase().replace(' ', "-");
                let published = format!("2024-04-{day:02}T{:02}:00:00Z", 6 + r);
                let url = format!("https://{host}.example/{n}");
                serde_json::json!({"url": url, "source": outlet, "title": title, "text": text, "published": published})
                    .to_string()
            };
            out.push_str(&line(n, OUTLETS[r % OUTLETS.len()]));
            out.push('\n');
            n += 1;
            if next(5) == 0 {
                out.push_str(&line(n, OUTLETS[(r + 3) % OUTLETS.len()]));
                out.push('\n');
                n += 1;
            }
        }
    }
    out
}

fn worker(db: &str, extra: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.args(["worker", "--db", db, "--poll", "100ms", "-q"])
        .args(extra)
        .env_remove("CHORUS_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn finish(child: Child) -> String {
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "worker failed: {err}");
    err
}

/// Same articles, same stories, same report, byte for byte, and the same
/// answers from the HTTP API.
#[test]
fn seeds_give_the_same_report_on_sqlite_and_postgres() {
    let Some(url) = pg("seeds") else { return };
    let Some(seeds) = shared("seeds") else { return };
    let seeds = seeds.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.db");
    let file = file.to_str().unwrap();
    ok(&["ingest", seeds, "--db", file, "-q"]);
    ok(&["ingest", seeds, "--db", &url, "-q"]);
    let a = ok(&["report", "--db", file, "--format", "json"]);
    let b = ok(&["report", "--db", &url, "--format", "json"]);
    // The seeds are undated: each store dates them by when it added them.
    assert_eq!(masked_times(&a), masked_times(&b), "the same report from either back-end");
    let (code, _, err) = chorus(&["ingest", seeds, "--db", &url]);
    assert_eq!(code, 0);
    assert!(err.contains("0 new articles stored, 5 already there"), "{err}");

    let lite = Server::start(Path::new(file), &[]);
    let post = Server::start(Path::new(&url), &[]);
    let strip = |mut v: serde_json::Value| {
        // When a story last gained an article differs: it is the time of
        // each ingest.
        for s in v["stories"].as_array_mut().unwrap() {
            s.as_object_mut().unwrap().remove("updated");
        }
        v
    };
    let list = "/api/stories?sort=biggest&limit=10";
    assert_eq!(strip(lite.get(list).json()), strip(post.get(list).json()));
    let id = post.get(list).json()["stories"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        masked_times(&lite.get(&format!("/api/stories/{id}")).text()),
        masked_times(&post.get(&format!("/api/stories/{id}")).text())
    );
    let hits = post.get("/api/search?q=press%20conference&limit=3").json();
    assert!(!hits["articles"].as_array().unwrap().is_empty(), "{hits}");
    assert_eq!(post.get("/api/search?q=%22%28%28").status, 200);
    drop(post);

    // Removing an article does the same on both.
    let victim = serde_json::from_str::<serde_json::Value>(&a).unwrap()["stories"][0]["articles"][1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok(&["remove", "--db", file, &victim]);
    ok(&["remove", "--db", &url, &victim]);
    assert_eq!(
        masked_times(&ok(&["report", "--db", file, "--format", "json"])),
        masked_times(&ok(&["report", "--db", &url, "--format", "json"]))
    );
}

#[test]
fn dev_corpus_gives_the_same_stories_on_both_back_ends_and_with_workers() {
    let Some(url) = pg("dev") else { return };
    let Some(dev) = shared("data/clustering-dev/articles") else { return };
    let dev = dev.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.db");
    let file = file.to_str().unwrap();
    ok(&["ingest", dev, "--db", file, "-q"]);
    ok(&["ingest", dev, "--db", &url, "-q"]);
    assert_eq!(
        masked_times(&ok(&["report", "--db", file, "--format", "json"])),
        masked_times(&ok(&["report", "--db", &url, "--format", "json"]))
    );
    let lite = SqliteStore::open(file).unwrap();
    let single = partition(&lite);

    // The same articles in another order, in one process: the same stories
    // (ids come from URLs or content, not file names).
    let shuffled = tempfile::tempdir().unwrap();
    let mut names: Vec<_> = std::fs::read_dir(dev).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let n = names.len();
    for (k, path) in names.iter().enumerate() {
        // A fixed permutation: position k goes to (k * 97 + 13) mod n.
        let to =
            shuffled.path().join(format!("{:04}.{}", (k * 97 + 13) % n, path.extension().unwrap().to_str().unwrap()));
        std::fs::copy(path, to).unwrap();
    }
    let other = dir.path().join("shuffled.db");
    let other = other.to_str().unwrap();
    ok(&["ingest", shuffled.path().to_str().unwrap(), "--db", other, "-q", "--batch", "8"]);
    let f1 = bcubed_f1(&partition(&SqliteStore::open(other).unwrap()), &single);
    eprintln!("dev corpus: BCubed F1 of a shuffled ingest against the file order: {f1:.4}");
    assert!(f1 >= 0.999, "shuffled agreement {f1}");

    for (workers, name) in [(2, "devw"), (4, "devw4")] {
        let shared_db = pg(name).unwrap();
        ok(&["ingest", "--db", &shared_db, "--enqueue", dev]);
        let running: Vec<Child> = (0..workers)
            .map(|_| worker(&shared_db, &["--until-idle", "--jobs", "1", "--batch", "16"]).spawn().unwrap())
            .collect();
        for w in running {
            finish(w);
        }
        let store = block_on(PgStore::open_existing(&shared_db)).unwrap();
        let counts = block_on(store.counts()).unwrap();
        assert_eq!(counts.articles, block_on(lite.counts()).unwrap().articles);
        assert_eq!(counts.stale, 0, "workers analyse what they stored");
        assert!(block_on(store.check()).unwrap().is_empty(), "{:?}", block_on(store.check()));
        let f1 = bcubed_f1(&partition(&store), &single);
        eprintln!("dev corpus: BCubed F1 of {workers} workers against one process: {f1:.4}");
        // Canonical order makes placement independent of arrival: the
        // same stories, not nearly the same.
        assert!(f1 >= 0.999, "clustering agreement with {workers} workers: {f1}");
    }
}

/// Several workers on one database: every article stored once, every input
/// done, the store consistent, and the stories those of a single process.
#[test]
fn workers_share_a_corpus_and_store_every_article_once() {
    let Some(url) = pg("share") else { return };
    let reference = pg("share_ref").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    std::fs::write(&input, stream(60, 7)).unwrap();
    let input = input.to_str().unwrap();
    ok(&["ingest", input, "--db", &reference, "-q"]);
    let (code, _, err) = chorus(&["ingest", "--db", &url, "--enqueue", input]);
    assert_eq!(code, 0, "{err}");
    let lines = std::fs::read_to_string(input).unwrap().lines().count();
    assert!(err.contains(&format!("{lines} inputs queued")), "{err}");
    let workers: Vec<Child> = (0..3)
        .map(|_| worker(&url, &["--until-idle", "--jobs", "1", "--batch", "8", "--lease", "30s"]).spawn().unwrap())
        .collect();
    let mut done = 0;
    for w in workers {
        let err = finish(w);
        let closing = err.lines().find(|l| l.contains(" inputs done")).unwrap_or_else(|| panic!("{err}"));
        let n = closing.split(" inputs done").next().and_then(|s| s.rsplit(' ').next()).unwrap();
        done += n.parse::<usize>().unwrap();
    }
    assert_eq!(done, lines, "every input done once across the workers");
    let store = block_on(PgStore::open_existing(&url)).unwrap();
    let single = block_on(PgStore::open_existing(&reference)).unwrap();
    let (c, r) = (block_on(store.counts()).unwrap(), block_on(single.counts()).unwrap());
    assert_eq!(c.articles, r.articles, "every article stored, once");
    assert_eq!(c.stale, 0);
    let status = block_on(store.queue_status()).unwrap();
    assert_eq!((status.ready, status.leased, status.failed), (0, 0, 0));
    assert!(block_on(store.check()).unwrap().is_empty());
    assert!(block_on(store.errors()).unwrap().is_empty());
    let (ours, theirs) = (partition(&store), partition(&single));
    assert!(theirs.len() < lines && theirs.len() > 10, "a stream with real stories: {} of {lines}", theirs.len());
    let f1 = bcubed_f1(&ours, &theirs);
    eprintln!("stream: BCubed F1 of three workers against one process: {f1:.4}");
    assert!(f1 >= 0.98, "clustering agreement {f1}");
}

/// `kill -9` while a worker holds a batch: after the lease, another worker
/// finishes it, and nothing is lost or stored twice.
#[test]
fn a_worker_killed_mid_batch_costs_nothing() {
    let Some(url) = pg("killed") else { return };
    let reference = pg("killed_ref").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    std::fs::write(&input, stream(40, 11)).unwrap();
    let input = input.to_str().unwrap();
    ok(&["ingest", input, "--db", &reference, "-q"]);
    ok(&["ingest", "--db", &url, "--enqueue", input]);
    let lines = std::fs::read_to_string(input).unwrap().lines().count() as u64;
    let store = block_on(PgStore::open_existing(&url)).unwrap();

    let lease = "3s";
    // Kill a worker while it holds a claim, once something is stored. A
    // kill that lands between two of its batches holds nothing: then
    // another victim tries with what is left.
    let mut victims = 0;
    let held = loop {
        victims += 1;
        assert!(victims <= 5, "never caught a worker holding a batch");
        let mut victim = worker(&url, &["--jobs", "1", "--batch", "12", "--lease", lease]).spawn().unwrap();
        let start = Instant::now();
        loop {
            let s = block_on(store.queue_status()).unwrap();
            let stored = block_on(store.counts()).unwrap().articles;
            if s.leased > 0 && stored > 0 {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(120), "the worker never got going");
            std::thread::sleep(Duration::from_millis(5));
        }
        victim.kill().unwrap();
        victim.wait().unwrap();
        let after = block_on(store.queue_status()).unwrap();
        if after.leased > 0 {
            break after.leased;
        }
        assert!(after.ready > 0, "the victim finished everything before it was killed");
    };
    assert!(held > 0);
    let before = block_on(store.counts()).unwrap().articles;
    assert!(before < lines, "killed before the end");

    let took_over = Instant::now();
    finish(worker(&url, &["--until-idle", "--lease", lease]).spawn().unwrap());
    assert!(took_over.elapsed() >= Duration::from_secs(1), "the dead worker's batch waited for its lease");
    let c = block_on(store.counts()).unwrap();
    let r = block_on(block_on(PgStore::open_existing(&reference)).unwrap().counts()).unwrap();
    assert_eq!(c.articles, r.articles, "nothing lost, nothing twice");
    assert_eq!(c.stale, 0);
    let status = block_on(store.queue_status()).unwrap();
    assert_eq!((status.ready, status.leased, status.failed), (0, 0, 0));
    assert!(block_on(store.check()).unwrap().is_empty());
    let single = block_on(PgStore::open_existing(&reference)).unwrap();
    let f1 = bcubed_f1(&partition(&store), &partition(&single));
    assert!(f1 >= 0.98, "clustering agreement {f1}");
}

#[test]
fn workers_need_postgres_and_reading_never_creates_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.db");
    let file = file.to_str().unwrap();
    let (code, _, err) = chorus(&["worker", "--db", file, "--until-idle"]);
    assert_ne!(code, 0);
    assert!(err.contains("needs a PostgreSQL store"), "{err}");
    let (code, _, err) = chorus(&["ingest", "--db", file, "--enqueue", "."]);
    assert_ne!(code, 0);
    assert!(err.contains("needs a PostgreSQL store"), "{err}");
    assert!(!Path::new(file).exists());
    let (code, _, err) = chorus(&["worker", "--db", "postgres://x/y", "--lease", "soon"]);
    assert_ne!(code, 0);
    assert!(err.contains("duration"), "{err}");

    let Some(url) = pg("missing") else { return };
    let (code, _, err) = chorus(&["report", "--db", &url]);
    assert_ne!(code, 0);
    assert!(err.contains("no such database"), "{err}");
    let (code, _, err) = chorus(&["remove", "--db", &url, "abc"]);
    assert_ne!(code, 0, "{err}");
    // Still not there: reading and removing never create one.
    let (code, _, err) = chorus(&["report", "--db", &url]);
    assert_ne!(code, 0);
    assert!(err.contains("no such database"), "{err}");
}
