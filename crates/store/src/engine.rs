//! What the commands and the server call: cleaning new articles against the
//! store, adding them, and keeping each story's analysis up to date.

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use chorus_model::{Article, Removed, Report, Story};
use chorus_pipeline::Options;

use crate::assign::{Assigner, SharedAssigner};
use crate::{Added, NewArticle, Removal, Result, Store, StoreError, history};

/// Stored articles of each outlet that a new batch is cleaned with. Cleaning
/// finds a site's template as lines recurring in at least three different
/// articles of that site; a couple of dozen recent ones show a template
/// reliably and keep the context small next to a batch.
pub const CONTEXT_PER_OUTLET: usize = 24;

/// Stale stories analysed per parallel round: enough to keep every core
/// busy when story sizes vary, few enough that analyses are saved as they
/// are made (an interrupted run keeps what it finished).
const ANALYSIS_ROUND: usize = 64;

/// Marks a context article's path, so that its results are told apart from
/// the batch's (input paths never hold a NUL).
const CONTEXT_MARK: &str = "\0context:";

/// The outcome of adding a batch.
#[derive(Debug, Default)]
pub struct IngestOutcome {
    /// Where each stored or already-present article is, in input order.
    pub added: Vec<Added>,
    /// Articles that cleaning left with nothing (every line was site
    /// furniture), with their paths; they are not stored.
    pub emptied: Vec<String>,
}

impl IngestOutcome {
    pub fn created(&self) -> usize {
        self.added.iter().filter(|a| a.created).count()
    }
}

/// A store with its assigner and analysis settings.
pub struct Engine<S: Store> {
    store: S,
    assigner: SharedAssigner,
    opts: Options,
    /// One lock per story being analysed, so that concurrent requests for
    /// the same stale story analyse it once.
    analysing: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl<S: Store> Engine<S> {
    pub fn new(store: S) -> Self {
        Engine { store, assigner: Assigner::shared(), opts: Options::default(), analysing: Mutex::new(HashMap::new()) }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Replays the store into the assigner now, so that the first write
    /// does not pay for it.
    pub async fn warm_up(&self) -> Result<()> {
        self.store.sync(self.assigner.clone()).await
    }

    /// Cleans and stores a batch of articles as read (one transaction). The
    /// stories they touch are left stale; call [`Engine::refresh`] or
    /// [`Engine::refresh_stale`] to analyse them.
    pub async fn ingest(&self, articles: Vec<Article>) -> Result<IngestOutcome> {
        let mut seen = HashSet::new();
        let articles: Vec<Article> = articles.into_iter().filter(|a| seen.insert(a.id.clone())).collect();
        let present: HashMap<String, String> =
            self.store.locate(articles.iter().map(|a| a.id.clone()).collect()).await?.into_iter().collect();
        let mut fresh = Vec::new();
        let mut order = Vec::with_capacity(articles.len());
        for a in articles {
            order.push(a.id.clone());
            if !present.contains_key(&a.id) {
                fresh.push(a);
            }
        }
        let mut outlets: Vec<String> =
            fresh.iter().filter(|a| a.source.is_some() || a.url.is_some()).map(Article::outlet).collect();
        outlets.sort();
        outlets.dedup();
        let context = if outlets.is_empty() {
            Vec::new()
        } else {
            self.store.cleaning_context(outlets, CONTEXT_PER_OUTLET).await?
        };
        let (batch, emptied) = blocking(move || prepare_with_context(fresh, context)).await?;
        let stored = self.store.add(batch, self.assigner.clone()).await?;
        let mut by_id: HashMap<String, Added> = stored.into_iter().map(|a| (a.article.clone(), a)).collect();
        let added = order
            .into_iter()
            .filter_map(|id| match present.get(&id) {
                Some(story) => Some(Added { article: id, story: story.clone(), created: false }),
                None => by_id.remove(&id),
            })
            .collect();
        Ok(IngestOutcome { added, emptied })
    }

    /// Removes an article and re-analyses the stories that changed,
    /// without it: the article is also forgotten by their fact history.
    pub async fn remove(&self, id: &str) -> Result<Option<Removal>> {
        let removal = self.store.remove(id.to_string()).await?;
        if let Some(r) = &removal {
            for s in &r.touched {
                // Under the story's lock, and analysed even when current: an
                // analysis that ran between the removal and this point may
                // have merged the history from before the forgetting.
                self.locked(s, || async {
                    let mut kept = self.kept(s).await?;
                    history::forget(&mut kept, id);
                    let keep = serde_json::to_string(&kept).map_err(|e| StoreError::Task(e.to_string()))?;
                    self.store.keep_fact_history(s.to_string(), keep).await?;
                    self.analyse_locked(s, true).await
                })
                .await?;
            }
        }
        Ok(removal)
    }

    /// Analyses a story again when its analysis is behind its membership.
    pub async fn refresh(&self, story: &str) -> Result<()> {
        self.locked(story, || self.analyse_locked(story, false)).await
    }

    /// Runs `work` holding the story's analysis lock, so that concurrent
    /// requests for one stale story analyse it once.
    async fn locked<F, Fut>(&self, story: &str, work: F) -> Result<()>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        let lock = {
            let mut map = self.analysing.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(story.to_string()).or_default().clone()
        };
        let result = {
            let _guard = lock.lock().await;
            work().await
        };
        let mut map = self.analysing.lock().unwrap_or_else(|p| p.into_inner());
        if Arc::strong_count(&lock) <= 2 {
            map.remove(story);
        }
        result
    }

    async fn analyse_locked(&self, story: &str, even_current: bool) -> Result<()> {
        let Some(m) = self.store.members(story.to_string()).await? else {
            return Ok(());
        };
        if m.analysed_version == m.version && !even_current {
            return Ok(());
        }
        let opts = self.opts.clone();
        let analysed = blocking(move || Ok(analyse_guarded(&m.members, &opts))).await?;
        self.save(story, m.version, analysed).await
    }

    /// Merges a fresh analysis with the story's kept fact history, stores
    /// it, and keeps its facts for the next analysis (only when the
    /// analysis was current: a stale one must not overwrite history).
    async fn save(&self, story: &str, version: i64, mut analysed: Story) -> Result<()> {
        let kept = self.kept(story).await?;
        let keep = history::merge(&mut analysed, &kept);
        let json = serde_json::to_string(&analysed).map_err(|e| StoreError::Task(e.to_string()))?;
        if self.store.save_analysis(story.to_string(), version, analysed.headline, json).await? {
            let keep = serde_json::to_string(&keep).map_err(|e| StoreError::Task(e.to_string()))?;
            self.store.keep_fact_history(story.to_string(), keep).await?;
        }
        Ok(())
    }

    /// What earlier analyses of a story kept. Kept facts are derived data:
    /// unreadable ones (written by another version) are dropped, not fatal.
    async fn kept(&self, story: &str) -> Result<Vec<history::Kept>> {
        Ok(self
            .store
            .fact_history(story.to_string())
            .await?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    /// Analyses every stale story (after an ingest, or one that was killed
    /// before it could). Returns how many were analysed.
    pub async fn refresh_stale(&self) -> Result<usize> {
        let stale = self.store.stale().await?;
        let mut analysed = 0;
        for chunk in stale.chunks(ANALYSIS_ROUND) {
            let mut jobs = Vec::with_capacity(chunk.len());
            for id in chunk {
                if let Some(m) = self.store.members(id.clone()).await?
                    && m.analysed_version < m.version
                {
                    jobs.push((id.clone(), m));
                }
            }
            let opts = self.opts.clone();
            let done: Vec<(String, i64, Story)> = blocking(move || {
                use rayon::prelude::*;
                Ok(jobs.into_par_iter().map(|(id, m)| (id, m.version, analyse_guarded(&m.members, &opts))).collect())
            })
            .await?;
            for (id, version, story) in done {
                // A story that changed meanwhile stays stale for its next
                // reader or ingest; the version check keeps it honest.
                self.save(&id, version, story).await?;
                analysed += 1;
            }
        }
        Ok(analysed)
    }

    /// A story's analysis as JSON, brought up to date first when stale;
    /// `None` when there is no such story.
    pub async fn story_json(&self, id: &str) -> Result<Option<String>> {
        let Some(stored) = self.store.story(id.to_string()).await? else {
            return Ok(None);
        };
        if stored.current && stored.json.is_some() {
            return Ok(stored.json);
        }
        // A renamed or merged story answers under its id now; a writer may
        // rename it again while it is analysed, so each step looks it up
        // anew (the old id leads to the new one).
        self.refresh(&stored.id).await?;
        match self.store.story(stored.id).await? {
            // Still stale only when an article arrived meanwhile: the
            // analysis just made is the freshest there is.
            Some(s) if s.json.is_some() => Ok(s.json),
            Some(s) => {
                // Never analysed and changed under us twice: analyse without
                // storing, rather than answer with nothing.
                let mut story = self.analyse_now(&s.id, &self.opts.clone()).await?;
                if story.is_none()
                    && let Some(again) = self.store.story(s.id).await?
                {
                    story = self.analyse_now(&again.id, &self.opts.clone()).await?;
                }
                Ok(story.map(|s| serde_json::to_string(&s).unwrap_or_default()))
            }
            None => Ok(None),
        }
    }

    /// A story as the contract's data, brought up to date first.
    pub async fn story(&self, id: &str) -> Result<Option<Story>> {
        match self.story_json(id).await? {
            Some(j) => serde_json::from_str(&j).map(Some).map_err(|e| StoreError::Corrupt(format!("story {id}: {e}"))),
            None => Ok(None),
        }
    }

    /// Analyses a story with other options, without storing the result.
    pub async fn analyse_now(&self, id: &str, opts: &Options) -> Result<Option<Story>> {
        let Some(m) = self.store.members(id.to_string()).await? else {
            return Ok(None);
        };
        let opts = opts.clone();
        let mut story = blocking(move || Ok(analyse_guarded(&m.members, &opts))).await?;
        history::merge(&mut story, &self.kept(id).await?);
        Ok(Some(story))
    }

    /// The whole store (or one story) as a report, in report order. With
    /// `opts` other than the stored analyses', stories are analysed afresh.
    pub async fn report(&self, story: Option<&str>, opts: &Options) -> Result<Option<Report>> {
        let ids = match story {
            Some(id) => {
                if self.store.story(id.to_string()).await?.is_none() {
                    return Ok(None);
                }
                vec![id.to_string()]
            }
            None => self.store.report_order().await?,
        };
        let fresh = opts.summary_words != self.opts.summary_words;
        let mut stories = Vec::with_capacity(ids.len());
        for id in &ids {
            let s = if fresh { self.analyse_now(id, opts).await? } else { self.story(id).await? };
            stories.extend(s);
        }
        let removed: Vec<Removed> = self.store.removed(story.map(str::to_string)).await?;
        Ok(Some(Report { stories, removed, errors: Vec::new() }))
    }
}

/// Cleans new articles together with stored context; returns the new ones
/// ready to store (in input order) and the paths of those cleaning emptied.
fn prepare_with_context(fresh: Vec<Article>, context: Vec<Article>) -> Result<(Vec<NewArticle>, Vec<String>)> {
    let ids: HashSet<String> = fresh.iter().map(|a| a.id.clone()).collect();
    let mut raw: HashMap<String, (String, String)> = HashMap::with_capacity(fresh.len());
    let mut order = Vec::with_capacity(fresh.len());
    for a in &fresh {
        raw.insert(a.id.clone(), (a.path.clone(), a.text.clone()));
        order.push(a.id.clone());
    }
    let mut all: Vec<Article> = context
        .into_iter()
        .filter(|c| !ids.contains(&c.id))
        .map(|c| Article { path: format!("{CONTEXT_MARK}{}", c.id), ..c })
        .collect();
    all.extend(fresh);
    let prepared = std::panic::catch_unwind(AssertUnwindSafe(|| chorus_pipeline::prepare(all)))
        .map_err(|p| StoreError::Task(format!("cleaning failed: {}", panic_message(&p))))?;
    let removed: HashMap<String, Vec<String>> =
        prepared.removed.into_iter().filter(|r| !r.path.starts_with(CONTEXT_MARK)).map(|r| (r.path, r.lines)).collect();
    let mut cleaned: HashMap<String, Article> =
        prepared.articles.into_iter().filter(|a| ids.contains(&a.id)).map(|a| (a.id.clone(), a)).collect();
    let mut batch = Vec::with_capacity(cleaned.len());
    let mut emptied = Vec::new();
    for id in order {
        let (path, raw_text) = raw.remove(&id).unwrap_or_default();
        match cleaned.remove(&id) {
            Some(article) => {
                let removed = removed.get(&path).cloned().unwrap_or_default();
                batch.push(NewArticle { article, raw_text, removed });
            }
            None => emptied.push(path),
        }
    }
    Ok((batch, emptied))
}

/// Analyses a story; a panic in the analysis gives the bare story with a
/// note, so that one odd article cannot make its story unreadable.
fn analyse_guarded(members: &[chorus_pipeline::story::Member], opts: &Options) -> Story {
    match std::panic::catch_unwind(AssertUnwindSafe(|| chorus_pipeline::story::analyse(members, opts))) {
        Ok(s) => s,
        Err(p) => {
            let mut s = shell_only(members);
            s.notes.push(format!("analysis failed: {}", panic_message(&p)));
            s
        }
    }
}

/// A story with its articles and nothing else, for when analysis fails.
fn shell_only(members: &[chorus_pipeline::story::Member]) -> Story {
    let Some(first) = members.first() else {
        return Story::default();
    };
    Story {
        id: first.article.id.clone(),
        headline: members.iter().find_map(|m| m.article.title.clone()).unwrap_or_default(),
        articles: members
            .iter()
            .map(|m| chorus_model::ArticleEntry {
                id: m.article.id.clone(),
                path: m.article.path.clone(),
                url: m.article.url.clone(),
                source: m.article.source.clone(),
                title: m.article.title.clone(),
                author: m.article.author.clone(),
                published: m.article.published.clone(),
                language: m.article.language.clone(),
                duplicate_of: m.duplicate_of.clone(),
                derived_from: m.derived_from.clone(),
                copies: 0,
            })
            .collect(),
        ..Default::default()
    }
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => Err(StoreError::Task(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SearchQuery, Sort, SqliteStore, StoryFilter, StoryQuery, query};

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

    fn engine() -> (tempfile::TempDir, Engine<SqliteStore>) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("t.db")).unwrap();
        (dir, Engine::new(store))
    }

    const FLOOD: &str =
        "Flood water rose two metres in Lowmoor on Tuesday, the mayor said.\nResidents were moved to the school hall.";

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn same_article_is_stored_once_and_stories_get_analysed() {
        let (_d, e) = engine();
        let a = art("a1", "Valley Post", "Lowmoor floods", FLOOD, Some("2024-05-07"));
        let out = e.ingest(vec![a.clone(), a.clone()]).await.unwrap();
        assert_eq!(out.added.len(), 1, "duplicates within a batch collapse");
        assert!(out.added[0].created);
        let again = e.ingest(vec![a]).await.unwrap();
        assert!(!again.added[0].created);
        assert_eq!(again.added[0].story, "a1");
        let c = e.store().counts().await.unwrap();
        assert_eq!((c.articles, c.stories, c.stale), (1, 1, 1));
        assert_eq!(e.refresh_stale().await.unwrap(), 1);
        let story = e.story("a1").await.unwrap().unwrap();
        assert_eq!(story.id, "a1");
        assert_eq!(story.articles.len(), 1);
        assert_eq!(e.store().counts().await.unwrap().stale, 0);
        assert!(e.store().check().await.unwrap().is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fact_history_follows_its_story_and_goes_with_it() {
        let (_d, e) = engine();
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
        // The last article goes, and the history with the story.
        e.remove("a2").await.unwrap();
        assert!(e.store().fact_history("a2".into()).await.unwrap().is_none());
        assert!(e.store().check().await.unwrap().is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn search_filters_and_paging() {
        let (_d, e) = engine();
        let batch = vec![
            art("a1", "Valley Post", "Lowmoor floods", FLOOD, Some("2024-05-07")),
            art(
                "a2",
                "Hill Herald",
                "Bridge closed",
                "The old bridge closed for repairs on Friday.",
                Some("2024-05-10"),
            ),
            art("a3", "Hill Herald", "Floods recede", "The floods receded in Lowmoor.", None),
        ];
        e.ingest(batch).await.unwrap();
        let q = |q: &str| SearchQuery { q: q.into(), limit: 10, ..Default::default() };
        let hits = e.store().search(q("flood")).await.unwrap();
        let ids: Vec<&str> = hits.items.iter().map(|h| h.id.as_str()).collect();
        assert!(ids.contains(&"a1") && ids.contains(&"a3") && !ids.contains(&"a2"), "{ids:?}");
        assert!(hits.items.iter().all(|h| !h.snippet.is_empty()));
        let mut sq = q("flood");
        sq.source = Some("valley post".into());
        assert_eq!(e.store().search(sq).await.unwrap().items.len(), 1);
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
        assert!(e.store().search(q("(((\"")).await.unwrap().items.is_empty());

        // Story lists page through everything exactly once, in both orders.
        for sort in [Sort::Newest, Sort::Biggest] {
            let mut seen = Vec::new();
            let mut cursor = None;
            loop {
                let page = e
                    .store()
                    .stories(StoryQuery { filter: StoryFilter::default(), sort, limit: 1, cursor })
                    .await
                    .unwrap();
                seen.extend(page.items.into_iter().map(|s| s.id));
                match page.next {
                    Some(n) => cursor = query::StoryCursor::parse(&n),
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
        let members = e.store().members(bridge_story).await.unwrap().unwrap().members.len() as u64;
        assert_eq!(filtered.items[0].article_count, members, "the whole story is counted, not just the match");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn removing_the_opener_renames_the_story_and_fixes_copies() {
        let (_d, e) = engine();
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
        // The assigner starts over after a removal and still places new
        // articles consistently.
        e.ingest(vec![art("a4", "Fen Times", "Lowmoor floods", FLOOD, None)]).await.unwrap();
        assert!(e.store().check().await.unwrap().is_empty());
        e.remove("a2").await.unwrap();
        e.remove("a3").await.unwrap();
        e.remove("a4").await.unwrap();
        let c = e.store().counts().await.unwrap();
        assert_eq!((c.articles, c.stories), (0, 0));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn template_lines_are_found_across_batches() {
        let (_d, e) = engine();
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
        let story = e.store().locate(vec!["m2".into()]).await.unwrap().remove(0).1;
        let m = e.store().members(story).await.unwrap().unwrap();
        let last = m.members.iter().find(|x| x.article.id == "m2").map(|x| x.article.text.clone()).unwrap();
        assert!(!last.contains(footer), "the third article is cleaned with the first two as context: {last:?}");
        let removed = e.store().removed(None).await.unwrap();
        assert!(removed.iter().any(|r| r.path == "m2.txt" && r.lines == vec![footer.to_string()]), "{removed:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_process_sees_and_continues_the_first_ones_work() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let e1 = Engine::new(SqliteStore::open(&path).unwrap());
        let e2 = Engine::new(SqliteStore::open(&path).unwrap());
        e1.ingest(vec![art("a1", "Valley Post", "Lowmoor floods", FLOOD, None)]).await.unwrap();
        e2.ingest(vec![art("a2", "Hill Herald", "Lowmoor floods", FLOOD, None)]).await.unwrap();
        e1.ingest(vec![art("a3", "Dale News", "Lowmoor floods", FLOOD, None)]).await.unwrap();
        let m = e1.store().members("a1".into()).await.unwrap().unwrap();
        let dups: Vec<Option<&str>> = m.members.iter().map(|x| x.duplicate_of.as_deref()).collect();
        assert_eq!(dups, vec![None, Some("a1"), Some("a1")], "each writer caught up before placing");
        assert!(e2.store().check().await.unwrap().is_empty());
    }

    #[test]
    fn refuses_a_database_that_is_not_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE t (x)").unwrap();
        drop(c);
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
        let newer = dir.path().join("newer.db");
        SqliteStore::open(&newer).unwrap();
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.execute_batch("PRAGMA user_version = 99").unwrap();
        drop(c);
        assert!(matches!(SqliteStore::open(&newer).unwrap_err(), StoreError::TooNew { found: 99, .. }));
    }
}
