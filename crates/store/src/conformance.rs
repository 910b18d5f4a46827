//! One behaviour suite for every [`Store`] back-end: each test is written
//! once here, generic over a [`Backend`] that makes a fresh store, and each
//! back-end's test module instantiates the whole suite with
//! [`conformance_suite!`] (SQLite always; PostgreSQL when `CHORUS_TEST_PG`
//! names a server). What only one back-end has (SQLite's migrations and
//! read cancellation, PostgreSQL's queue, story locks and stored features)
//! is tested beside that back-end.
//!
//! The suite covers: storing once (across batches and within one), the
//! analysis cycle (stale, analysed, version-checked saves), fact history
//! following its story through renames and going with it, search (words,
//! phrases, junk, source and date filters, paging), story lists (both
//! orders paged through once, filters, whole-story counts), removal
//! (openers renamed, copies re-pointed, aliases kept), cleaning context
//! across batches, a second handle (another process) continuing the first
//! one's work, concurrent writers agreeing with one writer, NUL characters,
//! the follower's bookkeeping, and the empty store.

use std::collections::BTreeMap;
use std::future::Future;

use chorus_model::Article;

use crate::engine::Engine;
use crate::query::{self, Sort, StoryCursor};
use crate::sources::SourceStore;
use crate::{NewArticle, SearchQuery, Store, StoryFilter, StoryQuery};

/// A back-end under test: a fresh, empty store, and more handles on it.
pub(crate) trait Backend: Sized + Send + Sync + 'static {
    type S: Store + SourceStore + Clone;

    /// A fresh, empty store named after the test; `None` (having said why)
    /// when this back-end cannot be tested here.
    fn fresh(name: &str) -> impl Future<Output = Option<Self>> + Send;

    /// A new handle on the same store, as another process opens it: its
    /// own connections and its own assigner.
    fn open(&self) -> impl Future<Output = Self::S> + Send;
}

/// Instantiates every test of the suite for a [`Backend`], as `#[tokio::test]`s
/// named after the suite's functions.
macro_rules! conformance_suite {
    ($backend:ty) => {
        $crate::conformance::conformance_suite!(@each $backend;
            same_article_is_stored_once_and_stories_get_analysed,
            an_id_twice_in_one_batch_is_stored_once,
            stale_analyses_are_never_saved,
            fact_history_follows_its_story_and_goes_with_it,
            search_filters_and_paging,
            search_finds_words_in_every_script,
            story_lists_page_through_everything_once,
            removing_the_opener_renames_the_story_and_fixes_copies,
            template_lines_are_found_across_batches,
            a_second_process_sees_and_continues_the_first_ones_work,
            concurrent_writers_agree_with_one_writer,
            nul_characters_never_fail_a_batch_or_a_lookup,
            followed_sources_round_trip,
            an_empty_store_answers_every_question,
        );
    };
    (@each $backend:ty; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(b) = <$backend as $crate::conformance::Backend>::fresh(stringify!($name)).await {
                    $crate::conformance::$name(b).await;
                }
            }
        )*
    };
}
pub(crate) use conformance_suite;

pub(crate) fn art(id: &str, source: &str, title: &str, text: &str, published: Option<&str>) -> Article {
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

pub(crate) const FLOOD: &str =
    "Flood water rose two metres in Lowmoor on Tuesday, the mayor said.\nResidents were moved to the school hall.";

/// Invented events, each reported by several outlets in their own words,
/// plus copies: enough for the clusterer to have real decisions to make.
pub(crate) fn corpus() -> Vec<Article> {
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

/// Which articles each story holds, as sorted sets of ids.
async fn partition(store: &impl Store, ids: Vec<String>) -> Vec<Vec<String>> {
    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (a, s) in store.locate(ids).await.unwrap() {
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
}

pub(crate) async fn same_article_is_stored_once_and_stories_get_analysed<B: Backend>(b: B) {
    let e = Engine::new(b.open().await);
    let a = art("a1", "Valley Post", "Lowmoor floods", FLOOD, Some("2024-05-07"));
    let out = e.ingest(vec![a.clone(), a.clone()]).await.unwrap();
    assert_eq!(out.added.len(), 1, "duplicates within a batch collapse");
    assert!(out.added[0].created);
    let again = e.ingest(vec![a]).await.unwrap();
    assert!(!again.added[0].created);
    assert_eq!(again.added[0].story, "a1");
    let c = e.store().counts().await.unwrap();
    assert_eq!((c.articles, c.stories, c.stale), (1, 1, 1));
    assert_eq!(e.store().stale().await.unwrap(), vec!["a1".to_string()]);
    assert_eq!(e.refresh_stale().await.unwrap(), 1);
    let story = e.story("a1").await.unwrap().unwrap();
    assert_eq!((story.id.as_str(), story.articles.len()), ("a1", 1));
    assert_eq!(e.store().counts().await.unwrap().stale, 0);
    assert!(e.store().check().await.unwrap().is_empty());
    // Opening it again finds everything in place.
    let reopened = b.open().await;
    assert_eq!(reopened.counts().await.unwrap().articles, 1);
    assert!(reopened.story("a1".into()).await.unwrap().unwrap().current);
}

pub(crate) async fn an_id_twice_in_one_batch_is_stored_once<B: Backend>(b: B) {
    let store = b.open().await;
    let new = |id: &str, text: &str| NewArticle {
        article: art(id, "Valley Post", "Lowmoor floods", text, None),
        ..Default::default()
    };
    let batch = vec![
        new("a1", FLOOD),
        new("a2", "The bridge closed for repairs on Friday, the council said."),
        new("a1", FLOOD),
    ];
    let added = store.add(batch).await.unwrap();
    let got: Vec<(&str, &str, bool)> =
        added.iter().map(|a| (a.article.as_str(), a.story.as_str(), a.created)).collect();
    assert_eq!(got.len(), 3, "one answer per article given: {got:?}");
    assert_eq!(got[0], ("a1", "a1", true));
    assert_eq!(got[2], ("a1", "a1", false), "the repeat answers with the first one's story");
    assert!(got[1].2);
    assert_eq!(store.counts().await.unwrap().articles, 2);
    let again = store.add(vec![new("a2", "other words")]).await.unwrap();
    assert_eq!((again[0].story.as_str(), again[0].created), (got[1].1, false));
    assert!(store.add(Vec::new()).await.unwrap().is_empty());
    assert!(store.check().await.unwrap().is_empty());
}

pub(crate) async fn stale_analyses_are_never_saved<B: Backend>(b: B) {
    let e = Engine::new(b.open().await);
    e.ingest(vec![art("a1", "Valley Post", "Lowmoor floods", FLOOD, None)]).await.unwrap();
    let s = e.store();
    let m = s.members("a1".into()).await.unwrap().unwrap();
    assert!(m.analysed_version < m.version);
    // The story gains an article: an analysis of the old membership is refused.
    e.ingest(vec![art("a2", "Hill Herald", "Lowmoor floods", FLOOD, None)]).await.unwrap();
    assert!(!s.save_analysis("a1".into(), m.version, "Old".into(), "{}".into()).await.unwrap());
    let now = s.members("a1".into()).await.unwrap().unwrap();
    assert_eq!(now.members.len(), 2);
    assert!(s.save_analysis("a1".into(), now.version, "New".into(), "{\"id\":\"a1\"}".into()).await.unwrap());
    let stored = s.story("a1".into()).await.unwrap().unwrap();
    assert_eq!((stored.current, stored.json.as_deref()), (true, Some("{\"id\":\"a1\"}")));
    assert!(s.stale().await.unwrap().is_empty());
    let rows = s.stories(StoryQuery { limit: 5, ..Default::default() }).await.unwrap();
    assert_eq!(rows.items[0].headline, "New", "a saved analysis names the story");
    assert!(!s.save_analysis("nothing".into(), 1, "x".into(), "{}".into()).await.unwrap());
    assert!(s.check().await.unwrap().is_empty());
}

pub(crate) async fn fact_history_follows_its_story_and_goes_with_it<B: Backend>(b: B) {
    let e = Engine::new(b.open().await);
    let day1 = "Twelve people were killed when the Lowmoor dam burst, officials said on Monday.";
    let day2 = "Fourteen people have now been killed since the Lowmoor dam burst, officials said.";
    e.ingest(vec![art("a1", "Valley Post", "Dam bursts", day1, Some("2024-05-06"))]).await.unwrap();
    e.ingest(vec![art("a2", "Hill Herald", "Toll rises", day2, Some("2024-05-07"))]).await.unwrap();
    e.refresh_stale().await.unwrap();
    let story = e.story("a1").await.unwrap().unwrap();
    assert_eq!(story.updates.len(), 1, "{:?}", story.updates);
    assert!(e.store().fact_history("a1".into()).await.unwrap().is_some());
    // The opener is removed: the story is re-keyed to a2, its history
    // with it, and the removed article leaves no trace: the first report
    // is now Tuesday's, and Monday's figure is gone with its article.
    e.remove("a1").await.unwrap();
    let kept = e.store().fact_history("a2".into()).await.unwrap().expect("history follows the story");
    assert!(kept.contains("Fourteen") && !kept.contains("\"a1") && !kept.contains("Twelve"), "{kept}");
    let story = e.story("a2").await.unwrap().unwrap();
    let first: Vec<&str> = story.facts.iter().filter_map(|f| f.first_reported.as_ref()?.time.as_deref()).collect();
    assert!(first.contains(&"2024-05-07") && !first.contains(&"2024-05-06"), "{first:?}");
    assert!(story.updates.is_empty(), "{:?}", story.updates);
    assert!(!serde_json::to_string(&story).unwrap().contains("\"a1\""));
    // The last article goes, and the history with the story; none is
    // kept for a story that does not exist.
    e.remove("a2").await.unwrap();
    assert!(e.store().fact_history("a2".into()).await.unwrap().is_none());
    e.store().keep_fact_history("a2".into(), "[]".into()).await.unwrap();
    assert!(e.store().fact_history("a2".into()).await.unwrap().is_none());
    assert!(e.store().check().await.unwrap().is_empty());
}

pub(crate) async fn search_filters_and_paging<B: Backend>(b: B) {
    let e = Engine::new(b.open().await);
    let batch = vec![
        art("a1", "Valley Post", "Lowmoor floods", FLOOD, Some("2024-05-07")),
        art("a2", "Hill Herald", "Bridge closed", "The old bridge closed for repairs on Friday.", Some("2024-05-10")),
        art("a3", "Hill Herald", "Floods recede", "The floods receded in Lowmoor.", None),
    ];
    e.ingest(batch).await.unwrap();
    let s = e.store();
    let q = |q: &str| SearchQuery { q: q.into(), limit: 10, ..Default::default() };
    let hits = s.search(q("flood")).await.unwrap();
    let ids: Vec<&str> = hits.items.iter().map(|h| h.id.as_str()).collect();
    assert!(ids.contains(&"a1") && ids.contains(&"a3") && !ids.contains(&"a2"), "{ids:?}");
    assert!(hits.items.iter().all(|h| !h.snippet.is_empty()));
    assert!(hits.items.iter().all(|h| !h.snippet.contains('<')), "no markup in snippets: {hits:?}");
    let a1 = hits.items.iter().find(|h| h.id == "a1").unwrap();
    let a1_story = s.locate(vec!["a1".into()]).await.unwrap()[0].1.clone();
    assert_eq!(
        (a1.story.as_str(), a1.title.as_deref(), a1.source.as_deref(), a1.published.as_deref()),
        (a1_story.as_str(), Some("Lowmoor floods"), Some("Valley Post"), Some("2024-05-07"))
    );
    for source in ["valley post", "VALLEY POST", "  Valley Post "] {
        let mut sq = q("flood");
        sq.source = Some(source.into());
        assert_eq!(s.search(sq).await.unwrap().items.len(), 1, "the source filter ignores case: {source:?}");
    }
    let mut sq = q("bridge");
    sq.from = query::parse_day("2024-05-10");
    sq.to = query::parse_day("2024-05-10");
    assert_eq!(s.search(sq).await.unwrap().items.len(), 1, "to is inclusive");
    let mut sq = q("bridge");
    sq.to = query::parse_day("2024-05-09");
    assert!(s.search(sq).await.unwrap().items.is_empty());
    let mut sq = q("bridge");
    sq.from = query::parse_day("2024-05-11");
    assert!(s.search(sq).await.unwrap().items.is_empty());
    let mut sq = q("flood");
    sq.limit = 1;
    let p1 = s.search(sq.clone()).await.unwrap();
    assert_eq!(p1.items.len(), 1);
    sq.offset = query::parse_offset(p1.next.as_deref().unwrap()).unwrap();
    let p2 = s.search(sq).await.unwrap();
    assert_eq!(p2.items.len(), 1);
    assert_ne!(p1.items[0].id, p2.items[0].id);
    assert!(p2.next.is_none());
    for junk in ["(((\"", "!!! ()", "a & | ! <-> :*", "\"", "the", ""] {
        s.search(q(junk)).await.unwrap_or_else(|err| panic!("{junk:?}: {err}"));
    }
    assert!(s.search(q("(((\"")).await.unwrap().items.is_empty());
    assert_eq!(s.search(q("\"old bridge\"")).await.unwrap().items.len(), 1, "phrases");
    assert!(s.search(q("\"bridge old\"")).await.unwrap().items.is_empty(), "phrase order matters");
    assert!(s.search(q("bridge flood")).await.unwrap().items.is_empty(), "every word is required");

    // Story lists keep the stories with a matching article, counting the
    // whole story, not just the match.
    let list = |filter: StoryFilter| async move {
        s.stories(StoryQuery { filter, limit: 10, ..Default::default() }).await.unwrap().items
    };
    let filtered = list(StoryFilter { q: Some("bridge".into()), ..Default::default() }).await;
    let bridge_story = s.locate(vec!["a2".into()]).await.unwrap()[0].1.clone();
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].id, bridge_story);
    let members = s.members(bridge_story.clone()).await.unwrap().unwrap().members.len() as u64;
    assert_eq!(filtered[0].article_count, members, "the whole story is counted, not just the match");
    let by_source = list(StoryFilter { source: Some("VALLEY POST".into()), ..Default::default() }).await;
    assert_eq!(by_source.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec![a1_story.as_str()]);
    let by_day = list(StoryFilter {
        from: query::parse_day("2024-05-10"),
        to: query::parse_day("2024-05-10"),
        ..Default::default()
    })
    .await;
    assert_eq!(by_day.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec![bridge_story.as_str()]);
    assert!(list(StoryFilter { q: Some("!!!".into()), ..Default::default() }).await.is_empty());
    assert!(list(StoryFilter { q: Some("ferry".into()), ..Default::default() }).await.is_empty());
}

/// Search finds the same articles on every back-end, in any script: words
/// repeated, phrases, and Han, kana and Hangul inside longer runs (see
/// [`query::segment`]).
pub(crate) async fn search_finds_words_in_every_script<B: Backend>(b: B) {
    let e = Engine::new(b.open().await);
    let articles = [
        ("東京で地震", "東京都で大きな地震が発生した。気象庁によると、震源は千葉県沖だった。"),
        ("東京の天気", "明日の東京は晴れ。京都は雨の予報です。"),
        ("北京暴雨", "北京市昨天遭遇暴雨，交通受到严重影响。"),
        ("서울 폭우", "서울시에서 폭우로 지하철 운행이 중단되었다."),
        ("Harbour wall", "The harbour council voted on Monday to rebuild the wall that the storm breached."),
        ("Tokyo quake", "A strong earthquake shook Tokyo (東京) on Monday, the agency said."),
    ];
    let batch: Vec<Article> = articles
        .iter()
        .enumerate()
        .map(|(i, (t, x))| Article {
            id: format!("m{i}"),
            path: format!("m{i}.txt"),
            title: Some(t.to_string()),
            text: x.to_string(),
            ..Default::default()
        })
        .collect();
    e.ingest(batch).await.unwrap();
    // (A word repeated, not "the": PostgreSQL's English configuration drops
    // stop words, SQLite's index keeps them.)
    let repeated = vec!["harbour"; 300].join(" ");
    let cases: [(&str, &[&str]); 13] = [
        ("東京", &["Tokyo quake", "東京で地震", "東京の天気"]),
        ("京都", &["東京で地震", "東京の天気"]),
        ("東京都", &["東京で地震"]),
        ("地震 東京", &["東京で地震"]),
        ("京東", &[]),
        ("暴雨", &["北京暴雨"]),
        ("北京", &["北京暴雨"]),
        ("지하철", &["서울 폭우"]),
        ("서울", &["서울 폭우"]),
        ("harbour", &["Harbour wall"]),
        ("\"the wall\"", &["Harbour wall"]),
        ("Tokyo 東京", &["Tokyo quake"]),
        (&repeated, &["Harbour wall"]),
    ];
    for (q, want) in cases {
        let page = e.store().search(SearchQuery { q: q.to_string(), limit: 50, ..Default::default() }).await.unwrap();
        let mut got: Vec<String> = page.items.iter().map(|h| h.title.clone().unwrap_or_default()).collect();
        got.sort();
        assert_eq!(got, want, "{q}");
        assert!(page.items.iter().all(|h| !h.snippet.contains(query::SEGMENT_MARK)), "{q}: {:?}", page.items);
    }
    let quake = e.store().search(SearchQuery { q: "震源".into(), limit: 5, ..Default::default() }).await.unwrap();
    assert!(quake.items[0].snippet.contains("震源は千葉県沖"), "snippets read as stored: {:?}", quake.items[0]);
}

pub(crate) async fn story_lists_page_through_everything_once<B: Backend>(b: B) {
    let e = Engine::new(b.open().await);
    for chunk in corpus().chunks(3) {
        e.ingest(chunk.to_vec()).await.unwrap();
    }
    let s = e.store();
    let total = s.counts().await.unwrap().stories as usize;
    assert!(total >= 4, "{total}");
    for sort in [Sort::Newest, Sort::Biggest] {
        let whole = s.stories(StoryQuery { sort, limit: 100, ..Default::default() }).await.unwrap();
        assert!(whole.next.is_none());
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = s.stories(StoryQuery { filter: StoryFilter::default(), sort, limit: 2, cursor }).await.unwrap();
            assert!(page.items.len() <= 2);
            seen.extend(page.items.into_iter().map(|r| r.id));
            match page.next {
                Some(n) => cursor = Some(StoryCursor::parse(&n).expect("a cursor the list gave parses")),
                None => break,
            }
        }
        let ids: Vec<String> = whole.items.iter().map(|r| r.id.clone()).collect();
        assert_eq!(seen, ids, "{sort:?}: pages in the order of the whole list, each story once");
        assert_eq!(seen.len(), total);
        if sort == Sort::Biggest {
            let keys: Vec<(u64, u64)> = whole.items.iter().map(|r| (r.independent_count, r.article_count)).collect();
            assert!(keys.windows(2).all(|w| w[0] >= w[1]), "{keys:?}");
            assert_eq!(ids, s.report_order().await.unwrap(), "report order is the biggest-first list");
        }
    }
    // A well-formed cursor past the end gives an empty page, not an error.
    let page = s.stories(StoryQuery { limit: 5, cursor: Some(StoryCursor([0, 0, 0])), ..Default::default() }).await;
    assert!(page.unwrap().items.is_empty());
    for row in s.stories(StoryQuery { limit: 100, ..Default::default() }).await.unwrap().items {
        let m = s.members(row.id.clone()).await.unwrap().unwrap();
        assert_eq!(row.article_count, m.members.len() as u64);
        assert!(!row.headline.is_empty() && row.updated.ends_with('Z'), "{row:?}");
    }
}

pub(crate) async fn removing_the_opener_renames_the_story_and_fixes_copies<B: Backend>(b: B) {
    let e = Engine::new(b.open().await);
    let batch = vec![
        art("a1", "Valley Post", "Lowmoor floods", FLOOD, None),
        art("a2", "Hill Herald", "Lowmoor floods", FLOOD, None),
        art("a3", "Dale News", "Lowmoor floods", FLOOD, None),
    ];
    e.ingest(batch).await.unwrap();
    e.refresh_stale().await.unwrap();
    let r = e.remove("a1").await.unwrap().unwrap();
    assert_eq!(r.story.as_deref(), Some("a2"));
    assert_eq!(r.touched, vec!["a2".to_string()]);
    let s = e.story("a2").await.unwrap().unwrap();
    assert_eq!(s.articles.len(), 2);
    assert_eq!(s.articles[0].duplicate_of, None, "the oldest copy becomes the original");
    assert_eq!(s.articles[1].duplicate_of.as_deref(), Some("a2"));
    let old = e.story("a1").await.unwrap().map(|s| s.id);
    assert_eq!(old.as_deref(), Some("a2"), "the removed opener's id still leads to its story");
    assert!(e.store().check().await.unwrap().is_empty());
    assert!(e.remove("a1").await.unwrap().is_none());
    // Every process starts over after a removal, this one and others.
    let other = Engine::new(b.open().await);
    other.ingest(vec![art("a4", "Fen Times", "Lowmoor floods", FLOOD, None)]).await.unwrap();
    e.ingest(vec![art("a5", "Moss Gazette", "Lowmoor floods", FLOOD, None)]).await.unwrap();
    let m = e.store().members("a2".into()).await.unwrap().unwrap();
    let dups: Vec<Option<&str>> = m.members.iter().map(|x| x.duplicate_of.as_deref()).collect();
    assert_eq!(dups, vec![None, Some("a2"), Some("a2"), Some("a2")]);
    assert!(e.store().check().await.unwrap().is_empty());
    for id in ["a2", "a3", "a4"] {
        e.remove(id).await.unwrap();
    }
    let last = e.remove("a5").await.unwrap().unwrap();
    assert_eq!((last.story, last.touched), (None, Vec::<String>::new()), "the last article takes its story along");
    let c = e.store().counts().await.unwrap();
    assert_eq!((c.articles, c.stories), (0, 0));
    assert!(e.store().story("a2".into()).await.unwrap().is_none());
    assert!(e.store().check().await.unwrap().is_empty());
}

pub(crate) async fn template_lines_are_found_across_batches<B: Backend>(b: B) {
    let e = Engine::new(b.open().await);
    let footer = "Get the Marsh Bulletin in your inbox every morning";
    let texts = [
        "The ferry service resumed after the storm.",
        "A new library opened in the old mill.",
        "Council approved the budget for road repairs.",
    ];
    for (i, t) in texts.iter().enumerate() {
        let a = art(&format!("m{i}"), "Marsh Bulletin", &format!("Item {i}"), &format!("{t}\n{footer}"), None);
        e.ingest(vec![a]).await.unwrap();
    }
    // Another outlet whose name differs only in case is another outlet, as
    // the cleaner groups them.
    e.ingest(vec![art("x1", "MARSH BULLETIN", "Other", "A shouted headline.", None)]).await.unwrap();
    let context = e.store().cleaning_context(vec!["Marsh Bulletin".into()], 2).await.unwrap();
    let ids: Vec<&str> = context.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, vec!["m2", "m1"], "the most recent per outlet");
    assert!(context[0].text.contains(footer), "context is the text as read");
    let story = e.store().locate(vec!["m2".into()]).await.unwrap().remove(0).1;
    let m = e.store().members(story.clone()).await.unwrap().unwrap();
    let last = m.members.iter().find(|x| x.article.id == "m2").map(|x| x.article.text.clone()).unwrap();
    assert!(!last.contains(footer), "the third article is cleaned with the first two as context: {last:?}");
    let removed = e.store().removed(None).await.unwrap();
    assert!(removed.iter().any(|r| r.path == "m2.txt" && r.lines == vec![footer.to_string()]), "{removed:?}");
    let of_story = e.store().removed(Some(story)).await.unwrap();
    assert!(of_story.iter().all(|r| removed.contains(r)));
    assert!(e.store().removed(Some("nothing".into())).await.unwrap().is_empty());
}

pub(crate) async fn a_second_process_sees_and_continues_the_first_ones_work<B: Backend>(b: B) {
    let e1 = Engine::new(b.open().await);
    let e2 = Engine::new(b.open().await);
    e1.ingest(vec![art("a1", "Valley Post", "Lowmoor floods", FLOOD, None)]).await.unwrap();
    e2.warm_up().await.unwrap();
    e2.ingest(vec![art("a2", "Hill Herald", "Lowmoor floods", FLOOD, None)]).await.unwrap();
    e1.ingest(vec![art("a3", "Dale News", "Lowmoor floods", FLOOD, None)]).await.unwrap();
    let m = e1.store().members("a1".into()).await.unwrap().unwrap();
    let dups: Vec<Option<&str>> = m.members.iter().map(|x| x.duplicate_of.as_deref()).collect();
    assert_eq!(dups, vec![None, Some("a1"), Some("a1")], "each writer caught up before placing");
    assert!(e2.store().check().await.unwrap().is_empty());
}

/// Several processes adding at once: every article stored once, copies
/// pointing at their original, and no event split into two stories by a
/// race (each writer saw every earlier article before placing its own).
pub(crate) async fn concurrent_writers_agree_with_one_writer<B: Backend>(b: B) {
    let Some(reference) = B::fresh("concurrent_one").await else { return };
    let all = corpus();
    let ids: Vec<String> = all.iter().map(|a| a.id.clone()).collect();
    let single = Engine::new(reference.open().await);
    for a in &all {
        single.ingest(vec![a.clone()]).await.unwrap();
    }
    let mut tasks = Vec::new();
    for w in 0..4 {
        let store = b.open().await;
        // Every writer gets every article (in its own order), so they race
        // on the same ids too.
        let mut mine = all.clone();
        mine.rotate_left(w * 3);
        tasks.push(tokio::spawn(async move {
            let e = Engine::new(store);
            for chunk in mine.chunks(2) {
                e.ingest(chunk.to_vec()).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let store = b.open().await;
    assert_eq!(store.counts().await.unwrap().articles, all.len() as u64);
    assert!(store.check().await.unwrap().is_empty());
    let expected = partition(single.store(), ids.clone()).await;
    assert_eq!(partition(&store, ids).await, expected, "arrival order differs, events must not");
    for e in 0..4 {
        let m = store.locate(vec![format!("e{e}copy")]).await.unwrap();
        let members = store.members(m[0].1.clone()).await.unwrap().unwrap();
        let copy = members.members.iter().find(|x| x.article.id == format!("e{e}copy")).unwrap();
        let orig_of_a0 = members.members.iter().find(|x| x.article.id == format!("e{e}a0")).unwrap();
        // Whichever sorts first is the original; the other points at it.
        assert!(
            copy.duplicate_of.as_deref() == Some(&format!("e{e}a0"))
                || orig_of_a0.duplicate_of.as_deref() == Some(&format!("e{e}copy")),
            "{:?}",
            members.members.iter().map(|x| (&x.article.id, &x.duplicate_of)).collect::<Vec<_>>()
        );
    }
}

/// A NUL cannot be stored by every back-end; whatever a back-end makes of
/// one, it never fails the batch it came in nor a lookup.
pub(crate) async fn nul_characters_never_fail_a_batch_or_a_lookup<B: Backend>(b: B) {
    let e = Engine::new(b.open().await);
    let mut odd = art("n\u{0}1", "Valley\u{0} Post", "Lowmoor\u{0} floods", FLOOD, Some("2024-05-07\u{0}"));
    odd.url = Some("https://valley.example/a\u{0}".into());
    let fine = art("n2", "Hill Herald", "Bridge closed", "The old bridge closed for repairs on Friday.", None);
    e.ingest(vec![odd, fine]).await.unwrap();
    let s = e.store();
    assert_eq!(s.counts().await.unwrap().articles, 2, "both stored");
    assert!(s.story("x\u{0}".into()).await.unwrap().is_none());
    assert!(s.members("x\u{0}".into()).await.unwrap().is_none());
    s.locate(vec!["n\u{0}1".into()]).await.unwrap();
    s.fact_history("x\u{0}".into()).await.unwrap();
    s.keep_fact_history("x\u{0}".into(), "[]".into()).await.unwrap();
    assert!(s.removed(Some("\u{0}".into())).await.unwrap().is_empty());
    let q = SearchQuery { q: "flood\u{0}s".into(), source: Some("valley\u{0}".into()), limit: 5, ..Default::default() };
    s.search(q).await.unwrap();
    let f = StoryFilter { source: Some("\u{0}".into()), q: Some("\u{0}bridge".into()), ..Default::default() };
    s.stories(StoryQuery { filter: f, limit: 5, ..Default::default() }).await.unwrap();
    s.cleaning_context(vec!["Valley\u{0} Post".into()], 5).await.unwrap();
    e.refresh_stale().await.unwrap();
    assert!(s.check().await.unwrap().is_empty());
    s.remove("x\u{0}".into()).await.unwrap();
}

pub(crate) async fn followed_sources_round_trip<B: Backend>(b: B) {
    let store = b.open().await;
    crate::sources::contract::exercise(&store).await;
    // What one process kept, the next one reads.
    let mut s = store.sources().await.unwrap().remove(0);
    s.etag = Some("\"x\"".into());
    store.save_source(s.clone()).await.unwrap();
    assert_eq!(b.open().await.sources().await.unwrap()[0], s);
}

pub(crate) async fn an_empty_store_answers_every_question<B: Backend>(b: B) {
    let s = b.open().await;
    assert_eq!(s.counts().await.unwrap(), crate::Counts::default());
    assert!(s.stories(StoryQuery { limit: 10, ..Default::default() }).await.unwrap().items.is_empty());
    let hits = s.search(SearchQuery { q: "flood".into(), limit: 10, ..Default::default() }).await.unwrap();
    assert!(hits.items.is_empty() && hits.next.is_none());
    assert!(s.report_order().await.unwrap().is_empty());
    assert!(s.stale().await.unwrap().is_empty());
    assert!(s.removed(None).await.unwrap().is_empty());
    assert!(s.story("a1".into()).await.unwrap().is_none());
    assert!(s.members("a1".into()).await.unwrap().is_none());
    assert!(s.locate(vec!["a1".into()]).await.unwrap().is_empty());
    assert!(s.cleaning_context(vec!["Valley Post".into()], 5).await.unwrap().is_empty());
    assert!(s.remove("a1".into()).await.unwrap().is_none());
    assert!(s.fact_history("a1".into()).await.unwrap().is_none());
    s.sync().await.unwrap();
    assert!(s.check().await.unwrap().is_empty());
}
