//! What the commands and the server call: cleaning new articles against the
//! store, adding them, and keeping each story's analysis up to date.

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use chorus_model::{Article, Removed, Report, Story};
use chorus_pipeline::Options;

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

/// A store with its analysis settings.
pub struct Engine<S: Store> {
    store: S,
    opts: Options,
    /// One lock per story being analysed, so that concurrent requests for
    /// the same stale story analyse it once.
    analysing: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl<S: Store> Engine<S> {
    pub fn new(store: S) -> Self {
        Engine { store, opts: Options::default(), analysing: Mutex::new(HashMap::new()) }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Replays the store into its assigner now, so that the first write
    /// does not pay for it.
    pub async fn warm_up(&self) -> Result<()> {
        self.store.sync().await
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
        let stored = self.store.add(batch).await?;
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
        let fresh = opts.summary_words != self.opts.summary_words || opts.deep_sentences != self.opts.deep_sentences;
        let mut stories = Vec::with_capacity(ids.len());
        for id in &ids {
            let s = if fresh { self.analyse_now(id, opts).await? } else { self.story(id).await? };
            stories.extend(s);
        }
        let mut removed: Vec<Removed> = self.store.removed(story.map(str::to_string)).await?;
        Removed::in_path_order(&mut removed);
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
