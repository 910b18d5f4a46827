//! Tests against a real PostgreSQL server: the URL of one (any database
//! on it; each test makes its own) is in `CHORUS_TEST_PG`, which
//! `.ci/setup/postgres.sh` exports. Without it the tests say so and pass,
//! except under CI, where they fail.

use std::sync::atomic::{AtomicUsize, Ordering};

use chorus_model::Article;

use super::*;
use crate::queue::{Kind, Unit};
use crate::{Engine, SqliteStore, StoryFilter, query};

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

fn art(id: &str, source: &str, title: &str, text: &str, published: Option<&str>) -> Article {
    Article {
        id: id.into(),
        path: format!("{id}.txt"),
        source: Some(source.into()),
        title: Some(title.into()),
        text: text.into(),
        published: published.map(str::to_string),
        ..Default::default()
    }
}

const FLOOD: &str =
    "Flood water rose two metres in Lowmoor on Tuesday, the mayor said.\nResidents were moved to the school hall.";

/// Invented events, each reported by several outlets in their own words,
/// plus copies: enough for the clusterer to have real decisions to make.
fn corpus() -> Vec<Article> {
    let events: [(&str, [&str; 3]); 4] = [
        (
            "Lowmoor floods",
            [
                "Flood water rose two metres in Lowmoor on Tuesday after the Wend river burst its banks, the mayor said. Residents of forty homes were moved to the school hall overnight.",
                "The Wend river burst its banks at Lowmoor on Tuesday and flood water climbed two metres, forcing forty households into the school hall, mayor Ilsa Marrow said.",
                "Forty families in Lowmoor spent the night in the school hall after the river Wend flooded the town on Tuesday; the water rose two metres, according to mayor Ilsa Marrow.",
            ],
        ),
        (
            "Ferry strike",
            [
                "Ferry crews at Port Hadley walked out on Monday over rosters, stranding hundreds of passengers bound for the Skerry islands, the crew union said.",
                "Hundreds of passengers for the Skerry islands were stranded at Port Hadley on Monday when ferry crews went on strike over rosters, their union said.",
                "A strike by ferry crews over new rosters halted sailings from Port Hadley to the Skerry islands on Monday, leaving hundreds of travellers stranded.",
            ],
        ),
        (
            "Observatory telescope",
            [
                "The Carn Ridge observatory switched on its new four-metre telescope on Friday, the first built in the region for fifty years, its director Tomas Vell said.",
                "Astronomers at Carn Ridge observatory saw first light on Friday through a new four-metre telescope, the region's first in fifty years, director Tomas Vell said.",
                "A four-metre telescope, the first in the region for half a century, began observing at the Carn Ridge observatory on Friday, said director Tomas Vell.",
            ],
        ),
        (
            "Bakery prize",
            [
                "A family bakery in Dunmore won the national sourdough prize on Saturday with a rye loaf proved for three days, the judges announced.",
                "Judges gave the national sourdough prize to a Dunmore family bakery on Saturday for a rye loaf left to prove for three days.",
                "The national sourdough prize went to a small family bakery from Dunmore on Saturday; its winning rye loaf proves for three days, judges said.",
            ],
        ),
    ];
    let outlets = ["Valley Post", "Hill Herald", "Dale News"];
    let mut out = Vec::new();
    for (e, (title, texts)) in events.iter().enumerate() {
        for (k, text) in texts.iter().enumerate() {
            out.push(art(&format!("e{e}a{k}"), outlets[k], title, text, Some(&format!("2024-03-0{}", e + 1))));
        }
        // An exact republication by a fourth outlet.
        out.push(art(&format!("e{e}copy"), "Fen Times", title, texts[0], Some(&format!("2024-03-0{}", e + 1))));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_article_is_stored_once_and_stories_get_analysed() {
    let Some(url) = test_url("once") else { return };
    let e = Engine::new(PgStore::connect(&url).await.unwrap());
    let a = art("a1", "Valley Post", "Lowmoor floods", FLOOD, Some("2024-05-07"));
    let out = e.ingest(vec![a.clone(), a.clone()]).await.unwrap();
    assert_eq!(out.added.len(), 1);
    assert!(out.added[0].created);
    let again = e.ingest(vec![a]).await.unwrap();
    assert!(!again.added[0].created);
    assert_eq!(again.added[0].story, "a1");
    let c = e.store().counts().await.unwrap();
    assert_eq!((c.articles, c.stories, c.stale), (1, 1, 1));
    assert_eq!(e.refresh_stale().await.unwrap(), 1);
    let story = e.story("a1").await.unwrap().unwrap();
    assert_eq!((story.id.as_str(), story.articles.len()), ("a1", 1));
    assert_eq!(e.store().counts().await.unwrap().stale, 0);
    assert!(e.store().check().await.unwrap().is_empty());
    // Opening it again finds the schema in place.
    let again = PgStore::open_existing(&url).await.unwrap();
    assert_eq!(again.counts().await.unwrap().articles, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_filters_and_paging() {
    let Some(url) = test_url("search") else { return };
    let e = Engine::new(PgStore::connect(&url).await.unwrap());
    let batch = vec![
        art("a1", "Valley Post", "Lowmoor floods", FLOOD, Some("2024-05-07")),
        art("a2", "Hill Herald", "Bridge closed", "The old bridge closed for repairs on Friday.", Some("2024-05-10")),
        art("a3", "Hill Herald", "Floods recede", "The floods receded in Lowmoor.", None),
    ];
    e.ingest(batch).await.unwrap();
    let q = |q: &str| SearchQuery { q: q.into(), limit: 10, ..Default::default() };
    let hits = e.store().search(q("flood")).await.unwrap();
    let ids: Vec<&str> = hits.items.iter().map(|h| h.id.as_str()).collect();
    assert!(ids.contains(&"a1") && ids.contains(&"a3") && !ids.contains(&"a2"), "{ids:?}");
    assert!(hits.items.iter().all(|h| !h.snippet.is_empty()));
    assert!(hits.items.iter().all(|h| !h.snippet.contains('<')), "no markup in snippets: {hits:?}");
    let mut sq = q("flood");
    sq.source = Some("VALLEY POST".into());
    assert_eq!(e.store().search(sq).await.unwrap().items.len(), 1, "the source filter ignores case");
    let mut sq = q("bridge");
    sq.from = query::parse_day("2024-05-10");
    sq.to = query::parse_day("2024-05-10");
    assert_eq!(e.store().search(sq).await.unwrap().items.len(), 1, "to is inclusive");
    let mut sq = q("bridge");
    sq.to = query::parse_day("2024-05-09");
    assert!(e.store().search(sq).await.unwrap().items.is_empty());
    let mut sq = q("flood");
    sq.limit = 1;
    let p1 = e.store().search(sq.clone()).await.unwrap();
    assert_eq!(p1.items.len(), 1);
    sq.offset = query::parse_offset(p1.next.as_deref().unwrap()).unwrap();
    let p2 = e.store().search(sq).await.unwrap();
    assert_eq!(p2.items.len(), 1);
    assert_ne!(p1.items[0].id, p2.items[0].id);
    assert!(p2.next.is_none());
    for junk in ["(((\"", "!!! ()", "a & | ! <-> :*", "\"", "the"] {
        e.store().search(q(junk)).await.unwrap_or_else(|err| panic!("{junk:?}: {err}"));
    }
    assert_eq!(e.store().search(q("\"old bridge\"")).await.unwrap().items.len(), 1, "phrases");
    assert!(e.store().search(q("\"bridge old\"")).await.unwrap().items.is_empty(), "phrase order matters");

    for sort in [Sort::Newest, Sort::Biggest] {
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page =
                e.store().stories(StoryQuery { filter: StoryFilter::default(), sort, limit: 1, cursor }).await.unwrap();
            seen.extend(page.items.into_iter().map(|s| s.id));
            match page.next {
                Some(n) => cursor = StoryCursor::parse(&n),
                None => break,
            }
        }
        let total = e.store().counts().await.unwrap().stories as usize;
        let mut dedup = seen.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!((seen.len(), dedup.len()), (total, total), "{sort:?}: {seen:?}");
    }
    let filtered = e
        .store()
        .stories(StoryQuery {
            filter: StoryFilter { q: Some("bridge".into()), ..Default::default() },
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let bridge_story = e.store().locate(vec!["a2".into()]).await.unwrap()[0].1.clone();
    assert_eq!(filtered.items.len(), 1);
    assert_eq!(filtered.items[0].id, bridge_story);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_the_opener_renames_the_story_and_fixes_copies() {
    let Some(url) = test_url("remove") else { return };
    let e = Engine::new(PgStore::connect(&url).await.unwrap());
    let batch = vec![
        art("a1", "Valley Post", "Lowmoor floods", FLOOD, None),
        art("a2", "Hill Herald", "Lowmoor floods", FLOOD, None),
        art("a3", "Dale News", "Lowmoor floods", FLOOD, None),
    ];
    e.ingest(batch).await.unwrap();
    e.refresh_stale().await.unwrap();
    let r = e.remove("a1").await.unwrap().unwrap();
    assert_eq!(r.story.as_deref(), Some("a2"));
    let s = e.story("a2").await.unwrap().unwrap();
    assert_eq!(s.articles.len(), 2);
    assert_eq!(s.articles[0].duplicate_of, None, "the oldest copy becomes the original");
    assert_eq!(s.articles[1].duplicate_of.as_deref(), Some("a2"));
    let old = e.story("a1").await.unwrap().map(|s| s.id);
    assert_eq!(old.as_deref(), Some("a2"), "the removed opener's id still leads to its story");
    assert!(e.store().check().await.unwrap().is_empty());
    assert!(e.remove("a1").await.unwrap().is_none());
    // Every process starts over after a removal, this one and others.
    let other = Engine::new(PgStore::connect(&url).await.unwrap());
    other.ingest(vec![art("a4", "Fen Times", "Lowmoor floods", FLOOD, None)]).await.unwrap();
    e.ingest(vec![art("a5", "Moss Gazette", "Lowmoor floods", FLOOD, None)]).await.unwrap();
    let m = e.store().members("a2".into()).await.unwrap().unwrap();
    let dups: Vec<Option<&str>> = m.members.iter().map(|x| x.duplicate_of.as_deref()).collect();
    assert_eq!(dups, vec![None, Some("a2"), Some("a2"), Some("a2")]);
    assert!(e.store().check().await.unwrap().is_empty());
    for id in ["a2", "a3", "a4", "a5"] {
        e.remove(id).await.unwrap();
    }
    let c = e.store().counts().await.unwrap();
    assert_eq!((c.articles, c.stories), (0, 0));
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

/// Several processes adding at once: every article stored once, copies
/// pointing at their original, and no event split into two stories by a
/// race (each writer saw every earlier article before placing its own).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_agree_with_one_writer() {
    let Some(url) = test_url("concurrent") else { return };
    let one_url = test_url("concurrent_one").unwrap();
    let all = corpus();
    let single = Engine::new(PgStore::connect(&one_url).await.unwrap());
    for a in &all {
        single.ingest(vec![a.clone()]).await.unwrap();
    }
    PgStore::connect(&url).await.unwrap();
    let mut tasks = Vec::new();
    for w in 0..4 {
        let url = url.clone();
        // Every writer gets every article (in its own order), so they race
        // on the same ids too.
        let mut mine = all.clone();
        mine.rotate_left(w * 3);
        tasks.push(tokio::spawn(async move {
            let e = Engine::new(PgStore::connect(&url).await.unwrap());
            for chunk in mine.chunks(2) {
                e.ingest(chunk.to_vec()).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let store = PgStore::open_existing(&url).await.unwrap();
    assert_eq!(store.counts().await.unwrap().articles, all.len() as u64);
    assert!(store.check().await.unwrap().is_empty());
    let copies = store.locate(all.iter().map(|a| a.id.clone()).collect()).await.unwrap();
    // Group ids by story on both; compare the partitions.
    let partition = |pairs: Vec<(String, String)>| {
        let mut by: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (a, s) in pairs {
            by.entry(s).or_default().push(a);
        }
        let mut groups: Vec<Vec<String>> = by
            .into_values()
            .map(|mut v| {
                v.sort();
                v
            })
            .collect();
        groups.sort();
        groups
    };
    let expected = partition(single.store().locate(all.iter().map(|a| a.id.clone()).collect()).await.unwrap());
    assert_eq!(partition(copies), expected, "arrival order differs, events must not");
    for e in 0..4 {
        let m = store.locate(vec![format!("e{e}copy")]).await.unwrap();
        let members = store.members(m[0].1.clone()).await.unwrap().unwrap();
        let copy = members.members.iter().find(|x| x.article.id == format!("e{e}copy")).unwrap();
        let original = copy.duplicate_of.clone();
        let orig_of_a0 = members.members.iter().find(|x| x.article.id == format!("e{e}a0")).unwrap();
        // Whichever arrived first is the original; the other points at it.
        assert!(
            original.as_deref() == Some(&format!("e{e}a0"))
                || orig_of_a0.duplicate_of.as_deref() == Some(&format!("e{e}copy")),
            "{:?}",
            members.members.iter().map(|x| (&x.article.id, &x.duplicate_of)).collect::<Vec<_>>()
        );
    }
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_twice_in_one_batch_is_stored_once() {
    let Some(url) = test_url("twice") else { return };
    let store = PgStore::connect(&url).await.unwrap();
    let new = |id: &str, text: &str| NewArticle {
        article: art(id, "Valley Post", "Lowmoor floods", text, None),
        ..Default::default()
    };
    let batch = vec![
        new("a1", FLOOD),
        new("a2", "The bridge closed for repairs on Friday, the council said."),
        new("a1", FLOOD),
    ];
    let added = store.add(batch, crate::Assigner::shared()).await.unwrap();
    let got: Vec<(&str, &str, bool)> =
        added.iter().map(|a| (a.article.as_str(), a.story.as_str(), a.created)).collect();
    assert_eq!(got[0], ("a1", "a1", true));
    assert_eq!(got[2], ("a1", "a1", false));
    assert!(got[1].2);
    assert_eq!(store.counts().await.unwrap().articles, 2);
    assert!(store.check().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_characters_never_fail_a_batch_or_a_lookup() {
    let Some(url) = test_url("nul") else { return };
    let e = Engine::new(PgStore::connect(&url).await.unwrap());
    let mut odd = art("n\u{0}1", "Valley\u{0} Post", "Lowmoor\u{0} floods", FLOOD, Some("2024-05-07\u{0}"));
    odd.url = Some("https://valley.example/a\u{0}".into());
    let fine = art("n2", "Hill Herald", "Bridge closed", "The old bridge closed for repairs on Friday.", None);
    e.ingest(vec![odd, fine]).await.unwrap();
    let s = e.store();
    assert_eq!(s.counts().await.unwrap().articles, 2, "both stored, the odd one without its NULs");
    assert_eq!(s.locate(vec!["n1".into()]).await.unwrap().len(), 1);
    assert!(s.story("x\u{0}".into()).await.unwrap().is_none());
    assert!(s.members("x\u{0}".into()).await.unwrap().is_none());
    assert!(s.locate(vec!["n\u{0}1".into()]).await.unwrap().is_empty());
    assert!(s.remove("n\u{0}1".into()).await.unwrap().is_none());
    assert!(s.removed(Some("\u{0}".into())).await.unwrap().is_empty());
    let q = SearchQuery { q: "flood\u{0}s".into(), source: Some("valley\u{0}".into()), limit: 5, ..Default::default() };
    s.search(q).await.unwrap();
    let f = StoryFilter { source: Some("\u{0}".into()), ..Default::default() };
    s.stories(StoryQuery { filter: f, limit: 5, ..Default::default() }).await.unwrap();
    e.refresh_stale().await.unwrap();
    assert!(s.check().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followed_sources_round_trip() {
    let Some(url) = test_url("sources") else { return };
    let store = PgStore::connect(&url).await.unwrap();
    crate::sources::contract::exercise(&store).await;
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
