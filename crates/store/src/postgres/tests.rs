//! Tests against a real PostgreSQL server: the URL of one (any database
//! on it; each test makes its own) is in `CHORUS_TEST_PG`, which
//! `.ci/setup/postgres.sh` exports. Without it the tests say so and pass,
//! except under CI, where they fail.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::conformance::{Backend, art, conformance_suite, corpus};
use crate::queue::{Kind, Unit};
use crate::{Engine, Sort, SqliteStore, query};

/// A database of its own on the test server.
struct PgBackend {
    url: String,
}

impl Backend for PgBackend {
    type S = PgStore;

    async fn fresh(name: &str) -> Option<Self> {
        test_url(name).map(|url| PgBackend { url })
    }

    async fn open(&self) -> PgStore {
        PgStore::connect(&self.url).await.unwrap()
    }
}

conformance_suite!(PgBackend);

/// PostgreSQL's text cannot hold a NUL: it is dropped from what is
/// stored, and a lookup by an id with one finds nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_characters_are_dropped_from_what_is_stored() {
    let Some(url) = test_url("nul") else { return };
    let e = Engine::new(PgStore::connect(&url).await.unwrap());
    let odd = art("n\u{0}1", "Valley\u{0} Post", "Lowmoor\u{0} floods", "Flood water rose in Lowmoor.", None);
    e.ingest(vec![odd]).await.unwrap();
    let s = e.store();
    assert_eq!(s.locate(vec!["n1".into()]).await.unwrap().len(), 1, "stored without its NULs");
    assert!(s.locate(vec!["n\u{0}1".into()]).await.unwrap().is_empty());
    assert!(s.remove("n\u{0}1".into()).await.unwrap().is_none());
    let m = s.members("n1".into()).await.unwrap().unwrap();
    assert_eq!(m.members[0].article.source.as_deref(), Some("Valley Post"));
}

/// A fresh database on the test server, or `None` (with a message) when
/// there is no server to test against.
fn test_url(name: &str) -> Option<String> {
    let Ok(base) = std::env::var("CHORUS_TEST_PG") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CHORUS_TEST_PG is not set under CI: .ci/setup/postgres.sh should have started a server"
        );
        eprintln!("skipping {name}: CHORUS_TEST_PG is not set (source .ci/setup/postgres.sh to start a server)");
        return None;
    };
    static N: AtomicUsize = AtomicUsize::new(0);
    let unique = format!(
        "chorus_t_{name}_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
    );
    Some(with_database(&base, &unique))
}

/// `url` with its database replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = head.find("://").map(|i| i + 3).unwrap_or(0);
    let authority_end = head[scheme_end..].find('/').map(|i| scheme_end + i).unwrap_or(head.len());
    format!("{}/{db}{query}", &head[..authority_end])
}

/// The same batches give the same stories, counts and analyses on both
/// back-ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_back_ends_give_the_same_stories() {
    let Some(url) = test_url("same") else { return };
    let dir = tempfile::tempdir().unwrap();
    let lite = Engine::new(SqliteStore::open(dir.path().join("t.db")).unwrap());
    let pg = Engine::new(PgStore::connect(&url).await.unwrap());
    let all = corpus();
    for chunk in all.chunks(5) {
        let a = lite.ingest(chunk.to_vec()).await.unwrap();
        let b = pg.ingest(chunk.to_vec()).await.unwrap();
        assert_eq!(a.added, b.added);
    }
    lite.refresh_stale().await.unwrap();
    pg.refresh_stale().await.unwrap();
    assert_eq!(lite.store().report_order().await.unwrap(), pg.store().report_order().await.unwrap());
    let (ca, cb) = (lite.store().counts().await.unwrap(), pg.store().counts().await.unwrap());
    assert_eq!(ca, cb);
    assert!(cb.stories >= 4 && cb.stories < all.len() as u64, "{cb:?}");
    let opts = chorus_pipeline::Options::default();
    let ra = serde_json::to_value(lite.report(None, &opts).await.unwrap()).unwrap();
    let rb = serde_json::to_value(pg.report(None, &opts).await.unwrap()).unwrap();
    assert_eq!(ra, rb);
    let q = StoryQuery { limit: 100, sort: Sort::Biggest, ..Default::default() };
    let (la, lb) = (lite.store().stories(q.clone()).await.unwrap(), pg.store().stories(q).await.unwrap());
    let strip = |p: Page<StoryRow>| {
        p.items
            .into_iter()
            .map(|s| (s.id, s.headline, s.article_count, s.source_count, s.independent_count))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(la), strip(lb));
    assert!(pg.store().check().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn articles_stored_without_features_are_replayed_from_text() {
    let Some(url) = test_url("nofeatures") else { return };
    let all = corpus();
    let first = Engine::new(PgStore::connect(&url).await.unwrap());
    first.ingest(all[..8].to_vec()).await.unwrap();
    let c = first.store().client().await.unwrap();
    c.execute("UPDATE article_texts SET features = NULL", &[]).await.unwrap();
    drop(c);
    let second = Engine::new(PgStore::connect(&url).await.unwrap());
    let out = second.ingest(all[8..].to_vec()).await.unwrap();
    let by_id: HashMap<&str, &str> = out.added.iter().map(|a| (a.article.as_str(), a.story.as_str())).collect();
    let reference = Engine::new(PgStore::connect(&test_url("nofeatures_ref").unwrap()).await.unwrap());
    reference.ingest(all[..8].to_vec()).await.unwrap();
    let expected = reference.ingest(all[8..].to_vec()).await.unwrap();
    for a in &expected.added {
        assert_eq!(by_id.get(a.article.as_str()), Some(&a.story.as_str()), "{}", a.article);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_claims_are_disjoint_leased_and_given_up_on() {
    let Some(url) = test_url("queue") else { return };
    let store = PgStore::connect(&url).await.unwrap();
    let units: Vec<Unit> = (0..10)
        .map(|i| Unit {
            name: format!("wire.jsonl#{i}"),
            kind: Kind::JsonLine,
            body: format!("{{\"n\":{i}}}").into_bytes(),
        })
        .collect();
    assert_eq!(store.enqueue(units).await.unwrap(), 10);
    let lease = std::time::Duration::from_millis(600);
    let (a, b) = tokio::join!(store.claim("a", 4, lease), store.claim("b", 4, lease));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.len(), b.len()), (4, 4));
    assert!(a.iter().all(|x| b.iter().all(|y| x.id != y.id)), "claims are disjoint");
    let mut names: Vec<&str> = a.iter().chain(&b).map(|c| c.name.as_str()).collect();
    names.sort();
    assert_eq!(names.len(), 8);
    let st = store.queue_status().await.unwrap();
    assert_eq!((st.ready, st.leased, st.failed), (2, 8, 0));
    store.finish(&a.iter().map(|c| c.id).collect::<Vec<_>>()).await.unwrap();
    // b's worker "dies": after its lease, its units are claimed again.
    let rest = store.claim("c", 10, lease).await.unwrap();
    assert_eq!(rest.len(), 2, "b's units are still leased");
    tokio::time::sleep(lease + std::time::Duration::from_millis(200)).await;
    assert_eq!(
        store.renew("b", &b.iter().map(|c| c.id).collect::<Vec<_>>(), lease).await.unwrap(),
        4,
        "b may still renew what no one took"
    );
    tokio::time::sleep(lease + std::time::Duration::from_millis(200)).await;
    let again = store.claim("c", 10, lease).await.unwrap();
    assert_eq!(again.len(), 6, "expired leases are claimed again: {again:?}");
    assert!(again.iter().filter(|c| b.iter().any(|x| x.id == c.id)).all(|c| c.attempts == 2));
    assert_eq!(store.renew("b", &b.iter().map(|c| c.id).collect::<Vec<_>>(), lease).await.unwrap(), 0, "b lost them");
    // Claims that keep running out are given up on.
    for _ in 0..3 {
        tokio::time::sleep(lease + std::time::Duration::from_millis(200)).await;
        store.claim("c", 10, lease).await.unwrap();
    }
    tokio::time::sleep(lease + std::time::Duration::from_millis(200)).await;
    assert!(store.claim("c", 10, lease).await.unwrap().is_empty());
    let st = store.queue_status().await.unwrap();
    assert_eq!((st.ready, st.leased, st.failed), (0, 0, 6));
    assert!(st.is_drained());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_story_lock_is_held_once_and_dropped_with_its_connection() {
    let Some(url) = test_url("storylock") else { return };
    let store = PgStore::connect(&url).await.unwrap();
    let other = PgStore::connect(&url).await.unwrap();
    let held = store.lock_story("s1").await.unwrap().expect("free");
    assert!(other.lock_story("s1").await.unwrap().is_none());
    let s2 = other.lock_story("s2").await.unwrap().expect("another story is free");
    held.release().await.unwrap();
    let again = other.lock_story("s1").await.unwrap().expect("released");
    drop(again);
    // Dropped without release: the connection closed, and the lock with it.
    let mut got = None;
    for _ in 0..50 {
        got = store.lock_story("s1").await.unwrap();
        if got.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(got.is_some());
    s2.release().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_databases_that_are_not_stores() {
    let Some(url) = test_url("notastore") else { return };
    let err = PgStore::open_existing(&url).await.unwrap_err();
    assert!(matches!(err, StoreError::Open { .. } | StoreError::NotAStore { .. }), "{err}");
    let store = PgStore::connect(&url).await.unwrap();
    let c = store.client().await.unwrap();
    c.execute("INSERT INTO chorus_migrations (version) VALUES (99)", &[]).await.unwrap();
    drop(c);
    assert!(matches!(PgStore::connect(&url).await.unwrap_err(), StoreError::TooNew { found: 99, .. }));
    let Some(other) = test_url("othertables") else { return };
    let made = PgStore::connect(&other).await.unwrap();
    let c = made.client().await.unwrap();
    c.batch_execute("DROP TABLE chorus_migrations").await.unwrap();
    drop(c);
    assert!(matches!(PgStore::connect(&other).await.unwrap_err(), StoreError::NotAStore { .. }));
    let bad = PgStore::connect("postgres://nobody:secret@127.0.0.1:1/x").await.unwrap_err().to_string();
    assert!(!bad.contains("secret"), "no password in messages: {bad}");
}

#[test]
fn urls_are_shown_without_passwords() {
    assert_eq!(redact("postgres://u:pw@h:5/db"), "postgres://u@h:5/db");
    let c: tokio_postgres::Config = "postgres://u:pw@h:5/db".parse().unwrap();
    assert_eq!(shown(&c), "postgres://u@h:5/db");
    assert_eq!(with_database("postgres://u@h:5/x?sslmode=disable", "y"), "postgres://u@h:5/y?sslmode=disable");
    assert_eq!(with_database("postgres://u@h:5", "y"), "postgres://u@h:5/y");
    assert!(is_url("postgresql://h/db") && !is_url("chorus.db"));
}

/// A store made before migration 0006 (search vectors without
/// segmentation) finds Han and kana inside longer runs once migrated, and
/// its snippets read as stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_search_vectors_are_segmented_by_the_migration() {
    let Some(url) = test_url("segment") else { return };
    let e = Engine::new(PgStore::connect(&url).await.unwrap());
    e.ingest(vec![art("j1", "Kanto News", "東京で地震", "東京都で大きな地震が発生した。震源は千葉県沖だった。", None)])
        .await
        .unwrap();
    // Back to version 5: the vector as 0001 made it, no function.
    let c = e.store().client().await.unwrap();
    c.batch_execute(
        "UPDATE article_texts t SET search = setweight(to_tsvector('english', coalesce(a.title, '')), 'A')
             || setweight(to_tsvector('english', left(t.text, 200000)), 'B') FROM articles a WHERE a.id = t.id;
         DROP FUNCTION chorus_segment(text);
         DELETE FROM chorus_migrations WHERE version = 6;",
    )
    .await
    .unwrap();
    drop(c);
    let old: i64 = e
        .store()
        .client()
        .await
        .unwrap()
        .query_one("SELECT count(*) FROM article_texts WHERE search @@ phraseto_tsquery('english', '東 京')", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(old, 0, "the old vector holds runs, not characters");
    drop(e);
    let store = PgStore::connect(&url).await.unwrap();
    let q = |q: &str| SearchQuery { q: q.into(), limit: 10, ..Default::default() };
    let hits = store.search(q("東京")).await.unwrap();
    assert_eq!(hits.items.len(), 1);
    let hits = store.search(q("震源")).await.unwrap();
    assert_eq!(hits.items.len(), 1);
    assert!(hits.items[0].snippet.contains("震源は千葉県沖"), "{:?}", hits.items[0].snippet);
    assert!(!hits.items[0].snippet.contains(query::SEGMENT_MARK));
    assert!(store.search(q("京東")).await.unwrap().items.is_empty());
}

/// `sslmode` for real, against the test server's certificate for
/// `localhost` signed by the CA `.ci/setup/postgres.sh` made
/// (`CHORUS_TEST_PG_CA`): `require` encrypts, `verify-full` with that root
/// connects to `localhost` and refuses `127.0.0.1` (a name the
/// certificate does not hold) with a message that says so, `verify-ca`
/// takes either name, and Mozilla's roots do not know a private CA.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_is_used_and_verified_as_sslmode_says() {
    let Some(url) = test_url("tls") else { return };
    let Ok(ca) = std::env::var("CHORUS_TEST_PG_CA") else {
        assert!(std::env::var_os("CI").is_none(), "CHORUS_TEST_PG_CA is not set under CI: the server takes no TLS");
        eprintln!("skipping the TLS test: CHORUS_TEST_PG_CA is not set (the test server takes no TLS)");
        return;
    };
    assert!(url.contains("@127.0.0.1:"), "{url}");
    PgStore::connect(&url).await.unwrap();
    let localhost = url.replace("@127.0.0.1:", "@localhost:");
    let encrypted = |store: PgStore| async move {
        let c = store.client().await.unwrap();
        c.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).await.unwrap().get::<_, bool>(0)
    };
    let with = |base: &str, opts: &str| format!("{base}?{opts}");
    let open = |u: String| async move { PgStore::open_existing(&u).await };
    assert!(encrypted(open(with(&url, "sslmode=require")).await.unwrap()).await, "require encrypts");
    assert!(encrypted(open(url.clone()).await.unwrap()).await, "prefer (the default) encrypts when offered");
    assert!(!encrypted(open(with(&url, "sslmode=disable")).await.unwrap()).await);
    let full = format!("sslmode=verify-full&sslrootcert={ca}");
    let store = open(with(&localhost, &full)).await.unwrap();
    assert!(store.search(SearchQuery { q: "anything".into(), limit: 1, ..Default::default() }).await.is_ok());
    assert!(encrypted(store).await, "verify-full with the right root and name");
    let wrong_name = open(with(&url, &full)).await.unwrap_err().to_string();
    assert!(wrong_name.contains("not valid for name") && wrong_name.contains("127.0.0.1"), "{wrong_name}");
    assert!(wrong_name.contains("not made out to the host in the URL"), "{wrong_name}");
    assert!(!wrong_name.contains("secret"), "{wrong_name}");
    let ca_only = format!("sslmode=verify-ca&sslrootcert={ca}");
    assert!(encrypted(open(with(&url, &ca_only)).await.unwrap()).await, "verify-ca takes any name");
    let unknown = open(with(&localhost, "sslmode=verify-full")).await.unwrap_err().to_string();
    assert!(unknown.contains("UnknownIssuer") && unknown.contains("sslrootcert=PATH"), "{unknown}");
    // A store created over TLS (the database made through the maintenance
    // database, over the same connector).
    let Some(fresh) = test_url("tls_create") else { return };
    let fresh = with(&fresh.replace("@127.0.0.1:", "@localhost:"), &full);
    assert!(encrypted(PgStore::connect(&fresh).await.unwrap()).await);
}
