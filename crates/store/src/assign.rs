//! The incremental clusterer as a store uses it.
//!
//! A store must end with the stories a batch run over the same articles
//! gives, however the articles arrived: one process or many, in file order,
//! shuffled, late. So the assigner keeps a [`Sequencer`], which holds every
//! stored article in canonical order ([`Key`]), and it knows what each
//! article's row says (its story, the copy it duplicates, what it was
//! rewritten from). Placing a batch inserts it where it belongs in that
//! order; the clusterer takes back and re-places the articles after it, and
//! the [`Plan`] lists what the rows must become: new rows for the batch,
//! updates for the stored articles whose placement changed, and the story
//! renames, openings and recounts that follow.
//!
//! Every writer holds the store's write lock (SQLite's single writer, the
//! PostgreSQL advisory lock) from catching up to committing, and leaves the
//! rows equal to the canonical placement of everything stored. So another
//! process catching up on those rows can trust them: re-placing the same
//! articles in the same order gives the same result.
//!
//! The window of articles that can be taken back is bounded ([`WINDOW`]); an
//! article that sorts before it (a backfill of old news) makes the writer
//! read the whole store again and place everything from the start: exact,
//! at the cost of one full replay.
//!
//! After a removal (which the clusterer cannot undo) every process starts
//! over, told so by the store's generation number; the rows then may differ
//! from a replay of what is left, and the next write brings them in line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use chorus_model::Article;
use chorus_stories::{Assignment, Features, Key, Params, Sequencer, TooLate};

/// How many of the latest articles in canonical order a store can re-place
/// in place. Memory is the features (and any centroid they replaced) of
/// this many articles, a few megabytes; a stream's late arrivals (a feed
/// polled late, a batch another worker committed first) reach back tens or
/// hundreds of articles, far inside it. Only a backfill of older news goes
/// past it, and pays a full replay.
pub const WINDOW: usize = 4096;

/// Puts a story's members in canonical order, the order the clusterer
/// placed them in: the first is the opener, whose id names the story, and
/// the analysis reads them as a batch run would.
pub fn in_canonical_order(members: &mut [chorus_pipeline::story::Member]) {
    members.sort_by_cached_key(|m| Key::of(&m.article));
}

/// Keeps, per story, the article first in canonical order: the one whose id
/// names the story. Both back-ends' consistency checks and removals ask.
pub fn keep_first(firsts: &mut HashMap<String, Key>, story: String, key: Key) {
    match firsts.get_mut(&story) {
        Some(k) if *k <= key => {}
        Some(k) => *k = key,
        None => {
            firsts.insert(story, key);
        }
    }
}

/// Sorts a batch, in order, into the answer for each article and the new
/// ones to place: an id already stored answers with its story
/// (`created: false`); an id repeated within the batch is stored once, as
/// its first, and the repeat answers with the first one's story once
/// placed (see [`answer`]); the rest are new. Both back-ends' `add` go
/// through here, so that they answer a batch alike.
pub fn triage<T>(
    batch: Vec<T>,
    id: impl Fn(&T) -> &str,
    stored: &HashMap<String, String>,
) -> (Vec<crate::Added>, Vec<T>) {
    let mut out = Vec::with_capacity(batch.len());
    let mut fresh = Vec::with_capacity(batch.len());
    let mut seen = HashSet::new();
    for item in batch {
        let article = id(&item).to_string();
        match stored.get(&article) {
            Some(story) => out.push(crate::Added { article, story: story.clone(), created: false }),
            None if seen.insert(article.clone()) => {
                out.push(crate::Added { article, story: String::new(), created: true });
                fresh.push(item);
            }
            None => out.push(crate::Added { article, story: String::new(), created: false }),
        }
    }
    (out, fresh)
}

/// Fills in the story of each new article (and of its repeats) from the
/// plan that placed them.
pub fn answer(out: &mut [crate::Added], plan: &Plan) {
    for slot in out.iter_mut().filter(|a| a.story.is_empty()) {
        if let Some(p) = plan.new.get(&slot.article) {
            slot.story = p.opener.clone();
        }
    }
}

/// An assigner shared by the tasks of one process.
pub type SharedAssigner = Arc<Mutex<Assigner>>;

/// Where an article belongs, in ids: what its row says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Placement {
    /// The article that opened its story (itself when it opens one): the
    /// story's id.
    pub opener: String,
    pub duplicate_of: Option<String>,
    pub derived_from: Vec<String>,
}

/// A stored article as read back for the clusterer.
#[derive(Debug, Clone)]
pub struct Stored {
    pub seq: i64,
    pub key: Key,
    pub features: Features,
    /// What its row says now.
    pub placement: Placement,
}

impl Stored {
    /// From a stored article and its row's placement.
    pub fn of(seq: i64, article: &Article, placement: Placement) -> Stored {
        Stored { seq, key: Key::of(article), features: Features::of(article), placement }
    }
}

/// A new article to place.
#[derive(Debug, Clone)]
pub struct Fresh {
    pub key: Key,
    pub features: Features,
}

impl Fresh {
    pub fn of(article: &Article) -> Fresh {
        Fresh { key: Key::of(article), features: Features::of(article) }
    }
}

/// A stored article whose row must change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub id: String,
    /// The story its row names now.
    pub from: String,
    pub placement: Placement,
}

/// What a writer must do to its rows, in this order: rename stories
/// (`UPDATE stories SET id`, which carries their articles and history
/// along), open the new ones, update the moved articles, insert the new
/// ones, then recount every touched story (deleting those left empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The batch's articles, by id, with where they go.
    pub new: HashMap<String, Placement>,
    pub moved: Vec<Moved>,
    /// Stories to rename (old id, new id): a story whose first article in
    /// canonical order changed keeps its row and history under the new name.
    pub renames: Vec<(String, String)>,
    /// Stories to create.
    pub opened: Vec<String>,
    /// Story ids that no longer name a story (renamed, or emptied into
    /// another), with the story that took their articles: kept so that a
    /// link a reader holds still finds the story.
    pub aliases: Vec<(String, String)>,
    /// Every story whose members changed, by its final id.
    pub touched: Vec<String>,
}

/// One re-placed position: the article, what its row says, where it goes.
struct Slot {
    id: String,
    was: Was,
    now: Placement,
}

enum Was {
    /// Placed before; its row says this.
    Placed(Placement),
    /// Read from the store just now; its row says this.
    Row(Placement),
    /// Not stored yet.
    New,
}

#[derive(Debug)]
pub struct Assigner {
    seq: Sequencer,
    /// What each placed article's row says, parallel to the sequencer's
    /// keys (canonical order).
    placed: Vec<Placement>,
    /// Articles whose row differs from the canonical placement (after a
    /// removal, or in a store written in arrival order), by id: what it
    /// should be.
    pending: HashMap<String, Placement>,
    /// Members per story id, by what the rows say.
    members: HashMap<String, usize>,
    /// The last stored `seq` the clusterer has seen.
    last_seq: i64,
    /// The store generation the state belongs to; `None` when it must be
    /// rebuilt.
    generation: Option<i64>,
    window: usize,
}

impl Default for Assigner {
    fn default() -> Self {
        Assigner::with_window(WINDOW)
    }
}

impl Assigner {
    /// An assigner that re-places up to `window` articles in place.
    pub fn with_window(window: usize) -> Self {
        Assigner {
            window,
            seq: Sequencer::new(Params::default(), window),
            placed: Vec::new(),
            pending: HashMap::new(),
            members: HashMap::new(),
            last_seq: 0,
            generation: None,
        }
    }

    pub fn new() -> Self {
        Self::default()
    }

    pub fn shared() -> SharedAssigner {
        Arc::new(Mutex::new(Self::new()))
    }

    /// Locks a shared assigner. A panic while it was held (in the
    /// clusterer, say) may have left it half-updated: it is then reset, to
    /// be rebuilt from the store.
    pub fn lock(shared: &SharedAssigner) -> MutexGuard<'_, Assigner> {
        match shared.lock() {
            Ok(g) => g,
            Err(poisoned) => {
                shared.clear_poison();
                let mut g = poisoned.into_inner();
                g.invalidate();
                g
            }
        }
    }

    /// Gets ready to place articles in a store at `generation`: returns the
    /// last `seq` already seen, starting over when the store's generation
    /// moved (an article was removed) or the state was invalidated. Rows
    /// with a higher `seq` go to [`Assigner::catch_up`].
    pub fn begin(&mut self, generation: i64) -> i64 {
        if self.generation != Some(generation) {
            *self = Assigner { generation: Some(generation), ..Assigner::with_window(self.window) };
        }
        self.last_seq
    }

    /// Takes in the articles stored since [`Assigner::begin`]'s `seq`, in
    /// any order. Starting from nothing, every row is compared with its
    /// canonical placement (differences are written by the next
    /// [`Assigner::place`]); otherwise the rows were written by a writer
    /// that left the store canonical, so they are trusted. [`TooLate`]
    /// (nothing changed) when they reach back past the window: the caller
    /// starts over with [`Assigner::invalidate`] and every row.
    pub fn catch_up(&mut self, rows: Vec<Stored>) -> Result<(), TooLate> {
        if rows.is_empty() {
            return Ok(());
        }
        let from_scratch = self.seq.is_empty();
        let last = rows.iter().map(|r| r.seq).max().unwrap_or(0);
        let slots = self.insert(rows.into_iter().map(|r| (r.key, r.features, Some(r.placement))).collect())?;
        for slot in slots {
            match slot.was {
                Was::Row(row) if from_scratch => self.take_row(slot.id, row, slot.now),
                Was::Row(row) => {
                    // Trusted: the writer of these rows moved the others too.
                    *self.members.entry(row.opener.clone()).or_default() += 1;
                    self.move_member(&row.opener, &slot.now.opener);
                    self.placed.push(slot.now);
                }
                Was::Placed(row) => {
                    self.move_member(&row.opener, &slot.now.opener);
                    self.placed.push(slot.now);
                }
                Was::New => self.placed.push(slot.now),
            }
        }
        if !from_scratch {
            // The last writer left every row canonical.
            self.clear_pending();
        }
        self.last_seq = self.last_seq.max(last);
        Ok(())
    }

    /// Places new articles (not stored yet) and says what the rows must
    /// become. The state then assumes the plan is carried out: the caller
    /// stores the rows and calls [`Assigner::stored`] with the highest new
    /// `seq`, or [`Assigner::invalidate`] if the transaction fails. When
    /// the batch sorts before the window, nothing changes and the batch
    /// comes back: the caller reads every row and calls
    /// [`Assigner::rebuild`].
    pub fn place(&mut self, batch: Vec<Fresh>) -> Result<Plan, Vec<Fresh>> {
        if !self.reaches(&batch) {
            return Err(batch);
        }
        let Ok(slots) = self.insert(batch.into_iter().map(|f| (f.key, f.features, None)).collect()) else {
            unreachable!("checked by reaches")
        };
        let mut changes = Vec::new();
        for slot in slots {
            match slot.was {
                Was::New => changes.push((slot.id, None, slot.now.clone())),
                Was::Placed(row) | Was::Row(row) => {
                    self.pending.remove(&slot.id);
                    if row != slot.now {
                        changes.push((slot.id, Some(row.opener), slot.now.clone()));
                    }
                }
            }
            self.placed.push(slot.now);
        }
        Ok(self.finish(changes))
    }

    /// Starts over from every stored row plus the batch, after
    /// [`Assigner::place`] said [`TooLate`]: one pass from the start, so no
    /// window applies; the plan also moves whatever rows were out of line.
    pub fn rebuild(&mut self, rows: Vec<Stored>, batch: Vec<Fresh>) -> Plan {
        *self = Assigner { generation: self.generation, ..Assigner::with_window(self.window) };
        self.last_seq = rows.iter().map(|r| r.seq).max().unwrap_or(0);
        let items = rows
            .into_iter()
            .map(|r| (r.key, r.features, Some(r.placement)))
            .chain(batch.into_iter().map(|f| (f.key, f.features, None)))
            .collect();
        // From an empty sequencer nothing is ever too late.
        let slots = self.insert(items).unwrap_or_default();
        let mut changes = Vec::new();
        for slot in slots {
            match slot.was {
                Was::Row(row) | Was::Placed(row) => self.take_row(slot.id, row, slot.now),
                Was::New => {
                    changes.push((slot.id, None, slot.now.clone()));
                    self.placed.push(slot.now);
                }
            }
        }
        self.finish(changes)
    }

    /// Whether the sequencer can take `batch` without going back past its
    /// window.
    fn reaches(&self, batch: &[Fresh]) -> bool {
        let Some(first) = batch.iter().map(|f| &f.key).min() else { return true };
        let keys = self.seq.keys();
        keys.len() - keys.partition_point(|k| k < first) <= self.seq.clusterer().rewindable()
    }

    /// Inserts articles into the sequencer and pairs each re-placed
    /// position with what its row says; `self.placed` is cut at the first
    /// re-placed position, for the caller to extend. Ids already placed are
    /// dropped (each article is placed once).
    fn insert(&mut self, items: Vec<(Key, Features, Option<Placement>)>) -> Result<Vec<Slot>, TooLate> {
        let mut rows: HashMap<String, Option<Placement>> = HashMap::with_capacity(items.len());
        let mut batch = Vec::with_capacity(items.len());
        for (key, f, row) in items {
            // The placed keys are sorted: a writer told twice of one row
            // costs a binary search, not a pass over the store.
            if self.seq.keys().binary_search(&key).is_ok() || rows.contains_key(&key.id) {
                continue;
            }
            rows.insert(key.id.clone(), row);
            batch.push((key, f));
        }
        let replaced = self.seq.insert(batch)?;
        let now = self.names(&replaced.assignments);
        let mut old = self.placed.split_off(replaced.from).into_iter();
        let keys = &self.seq.keys()[replaced.from..];
        Ok(keys
            .iter()
            .zip(now)
            .map(|(k, now)| {
                let was = match rows.remove(&k.id) {
                    Some(Some(row)) => Was::Row(row),
                    Some(None) => Was::New,
                    None => Was::Placed(old.next().unwrap_or_default()),
                };
                Slot { id: k.id.clone(), was, now }
            })
            .collect())
    }

    /// A row read from nothing: counted under the story it names, kept as
    /// it is, and noted for a fix when it differs from the canonical
    /// placement.
    fn take_row(&mut self, id: String, row: Placement, now: Placement) {
        *self.members.entry(row.opener.clone()).or_default() += 1;
        if row != now {
            self.pending.insert(id, now);
        }
        self.placed.push(row);
    }

    /// Adds the rows out of line to the changes and plans the story steps.
    fn finish(&mut self, mut changes: Vec<(String, Option<String>, Placement)>) -> Plan {
        if !self.pending.is_empty() {
            let position: HashMap<&str, usize> =
                self.seq.keys().iter().enumerate().map(|(i, k)| (k.id.as_str(), i)).collect();
            let mut fixes = Vec::with_capacity(self.pending.len());
            for (id, now) in &self.pending {
                if let Some(&i) = position.get(id.as_str()) {
                    fixes.push((i, id.clone(), now.clone()));
                }
            }
            drop(position);
            self.pending.clear();
            fixes.sort_by_key(|f| f.0);
            for (i, id, now) in fixes {
                let row = std::mem::replace(&mut self.placed[i], now.clone());
                changes.push((id, Some(row.opener), now));
            }
        }
        let mut plan = Plan::default();
        self.plan_stories(changes, &mut plan);
        plan
    }

    /// Records the `seq` the last placed article was stored under.
    pub fn stored(&mut self, seq: i64) {
        self.last_seq = self.last_seq.max(seq);
    }

    /// Forgets everything: the next [`Assigner::begin`] replays the store.
    pub fn invalidate(&mut self) {
        *self = Assigner::with_window(self.window);
    }

    /// How many articles the clusterer has seen.
    pub fn len(&self) -> usize {
        self.seq.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seq.is_empty()
    }

    /// Assignments (indices in canonical order) in ids.
    fn names(&self, assignments: &[Assignment]) -> Vec<Placement> {
        let keys = self.seq.keys();
        let name = |i: usize| keys[i].id.clone();
        assignments
            .iter()
            .map(|a| Placement {
                opener: name(a.story),
                duplicate_of: a.duplicate_of.map(name),
                derived_from: a.derived_from.iter().map(|&i| name(i)).collect(),
            })
            .collect()
    }

    fn move_member(&mut self, from: &str, to: &str) {
        if from == to {
            return;
        }
        if let Some(n) = self.members.get_mut(from) {
            *n -= 1;
            if *n == 0 {
                self.members.remove(from);
            }
        }
        *self.members.entry(to.to_string()).or_default() += 1;
    }

    fn clear_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let position: HashMap<String, usize> =
            self.seq.keys().iter().enumerate().map(|(i, k)| (k.id.clone(), i)).collect();
        for (id, now) in std::mem::take(&mut self.pending) {
            if let Some(&i) = position.get(&id) {
                let row = std::mem::replace(&mut self.placed[i], now);
                let to = self.placed[i].opener.clone();
                self.move_member(&row.opener, &to);
            }
        }
    }

    /// Turns article changes (id, the story its row names or `None` for a
    /// new article, where it goes) into the plan's story steps, and updates
    /// the member counts.
    fn plan_stories(&mut self, changes: Vec<(String, Option<String>, Placement)>, plan: &mut Plan) {
        let existed: HashSet<String> = changes
            .iter()
            .flat_map(|(_, from, p)| from.iter().chain(std::iter::once(&p.opener)))
            .filter(|s| self.members.contains_key(*s))
            .cloned()
            .collect();
        let mut touched: BTreeMap<String, ()> = BTreeMap::new();
        for (id, from, placement) in changes {
            match from {
                None => {
                    *self.members.entry(placement.opener.clone()).or_default() += 1;
                    touched.insert(placement.opener.clone(), ());
                    plan.new.insert(id, placement);
                }
                Some(from) => {
                    self.move_member(&from, &placement.opener);
                    touched.insert(from.clone(), ());
                    touched.insert(placement.opener.clone(), ());
                    plan.moved.push(Moved { id, from, placement });
                }
            }
        }
        // A story that did not exist takes over the row (and history) of a
        // story that empties into it; the one that gave it most articles,
        // then the smallest id, for determinism.
        let mut renamed: HashMap<String, String> = HashMap::new();
        let mut created: Vec<String> = touched.keys().filter(|s| !existed.contains(*s)).cloned().collect();
        created.retain(|s| self.members.contains_key(s));
        for target in &created {
            let mut gave: BTreeMap<&str, usize> = BTreeMap::new();
            for m in plan.moved.iter().filter(|m| m.placement.opener == *target) {
                if existed.contains(&m.from) && !self.members.contains_key(&m.from) && !renamed.contains_key(&m.from) {
                    *gave.entry(m.from.as_str()).or_default() += 1;
                }
            }
            let best = gave.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(s, _)| s.to_string());
            match best {
                Some(old) => {
                    renamed.insert(old.clone(), target.clone());
                    plan.renames.push((old, target.clone()));
                }
                None => plan.opened.push(target.clone()),
            }
        }
        // Stories emptied into others (not renamed) point readers on to
        // the one that took most of their articles.
        let mut went: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for m in &plan.moved {
            if existed.contains(&m.from) && !self.members.contains_key(&m.from) && !renamed.contains_key(&m.from) {
                *went.entry(m.from.as_str()).or_default().entry(m.placement.opener.as_str()).or_default() += 1;
            }
        }
        for (old, to) in went {
            if let Some((target, _)) = to.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))) {
                plan.aliases.push((old.to_string(), target.to_string()));
            }
        }
        plan.aliases.extend(plan.renames.iter().cloned());
        plan.aliases.sort();
        for m in &mut plan.moved {
            if let Some(to) = renamed.get(&m.from) {
                // The row follows the renamed story.
                m.from = to.clone();
            }
        }
        plan.touched = touched.into_keys().map(|s| renamed.get(&s).cloned().unwrap_or(s)).collect();
        plan.touched.sort();
        plan.touched.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(id: &str, day: u32, text: &str) -> Article {
        Article {
            id: id.into(),
            text: text.into(),
            published: Some(format!("2024-05-{day:02}T09:00:00Z")),
            ..Default::default()
        }
    }

    /// Three events over a week, with a copy and reports of each worded
    /// differently.
    fn corpus() -> Vec<Article> {
        let ferry = "A ferry carrying forty passengers sank off Cape Morrow on Friday; fishing boats rescued all of them and the coastguard praised the crews.";
        let library = "The Wexby town library reopened after a two-year renovation, with a new children's wing and a rooftop reading garden paid for by donors.";
        let strike = "Dock workers at the port of Halden walked out over pay, halting container traffic as union leaders demanded a nine percent rise.";
        vec![
            art("f1", 3, ferry),
            art(
                "f2",
                4,
                "Fishing boats rescued forty passengers after a ferry sank off Cape Morrow; the coastguard praised the crews of the boats.",
            ),
            art("f3", 4, ferry),
            art(
                "f4",
                6,
                "Investigators began examining why the ferry sank off Cape Morrow with forty passengers aboard before fishing boats rescued them.",
            ),
            art("l1", 2, library),
            art(
                "l2",
                5,
                "Donors paid for the rooftop reading garden of the Wexby library, which reopened with a new children's wing after renovation.",
            ),
            art("s1", 1, strike),
            art(
                "s2",
                3,
                "Union leaders at the port of Halden demanded a nine percent pay rise as dock workers walked out, halting container traffic.",
            ),
            art(
                "s3",
                7,
                "The dock strike at Halden port entered its second week, with container traffic halted and union leaders holding out for nine percent.",
            ),
        ]
    }

    /// A store's rows in memory: id → (seq, article, placement), applying
    /// plans as a back-end does.
    #[derive(Default)]
    struct Rows {
        rows: HashMap<String, (i64, Article, Placement)>,
        next: i64,
        aliases: HashMap<String, String>,
        ever: HashSet<String>,
    }

    impl Rows {
        fn after(&self, seq: i64) -> Vec<Stored> {
            let mut v: Vec<_> = self.rows.values().filter(|r| r.0 > seq).collect();
            v.sort_by_key(|r| r.0);
            v.into_iter().map(|(s, a, p)| Stored::of(*s, a, p.clone())).collect()
        }

        /// One writer's transaction: catch up, place, apply.
        fn add(&mut self, asg: &mut Assigner, batch: &[Article]) -> Plan {
            let after = asg.begin(0);
            if asg.catch_up(self.after(after)).is_err() {
                asg.invalidate();
                asg.begin(0);
                asg.catch_up(self.after(0)).unwrap();
            }
            let fresh: Vec<&Article> = batch.iter().filter(|a| !self.rows.contains_key(&a.id)).collect();
            let plan = match asg.place(fresh.iter().map(|a| Fresh::of(a)).collect()) {
                Ok(p) => p,
                Err(items) => asg.rebuild(self.after(0), items),
            };
            let stories_before: HashSet<String> = self.rows.values().map(|r| r.2.opener.clone()).collect();
            for (old, new) in &plan.renames {
                assert!(stories_before.contains(old), "renames a story that exists: {old}");
                assert!(!stories_before.contains(new), "renames to a new name: {new}");
                for r in self.rows.values_mut() {
                    if r.2.opener == *old {
                        r.2.opener = new.clone();
                    }
                }
            }
            for (old, new) in &plan.aliases {
                for v in self.aliases.values_mut() {
                    if v == old {
                        *v = new.clone();
                    }
                }
                self.aliases.insert(old.clone(), new.clone());
            }
            for o in &plan.opened {
                assert!(!stories_before.contains(o), "opens a story that exists: {o}");
            }
            for m in &plan.moved {
                let row = self.rows.get_mut(&m.id).unwrap();
                assert_eq!(row.2.opener, m.from, "a move starts from the story the row names");
                row.2 = m.placement.clone();
            }
            for a in fresh {
                self.next += 1;
                self.rows.insert(a.id.clone(), (self.next, a.clone(), plan.new[&a.id].clone()));
                asg.stored(self.next);
            }
            // Every story id ever shown still leads to a story.
            let stories: HashSet<String> = self.rows.values().map(|r| r.2.opener.clone()).collect();
            for s in &stories {
                self.aliases.remove(s);
            }
            self.ever.extend(stories.iter().cloned());
            for id in &self.ever {
                let now = if stories.contains(id) { Some(id) } else { self.aliases.get(id) };
                assert!(now.is_some_and(|n| stories.contains(n)), "story {id} is lost ({:?})", self.aliases.get(id));
            }
            plan
        }

        fn placements(&self) -> Vec<(String, Placement)> {
            let mut v: Vec<_> = self.rows.iter().map(|(id, r)| (id.clone(), r.2.clone())).collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        }
    }

    fn batch_result(arts: &[Article]) -> Vec<(String, Placement)> {
        let mut rows = Rows::default();
        rows.add(&mut Assigner::new(), arts);
        rows.placements()
    }

    #[test]
    fn the_batch_groups_as_the_clusterer_does() {
        let arts = corpus();
        let placed = batch_result(&arts);
        let g = chorus_stories::group(&arts);
        for story in &g.stories {
            let names: HashSet<&str> =
                story.iter().map(|&i| placed.iter().find(|p| p.0 == arts[i].id).unwrap().1.opener.as_str()).collect();
            assert_eq!(names.len(), 1, "one story, one name: {names:?}");
        }
        let f3 = &placed.iter().find(|p| p.0 == "f3").unwrap().1;
        assert_eq!(f3.duplicate_of.as_deref(), Some("f1"), "an exact copy points at the earlier article");
        assert_eq!(f3.opener, "f1");
    }

    /// Any arrival, in any batches, by any number of writers taking turns:
    /// the rows end as the batch places them, and every move starts from
    /// what the row said.
    #[test]
    fn rows_end_canonical_whatever_the_arrival() {
        let arts = corpus();
        let want = batch_result(&arts);
        let orders: [&[usize]; 4] = [
            &[8, 7, 6, 5, 4, 3, 2, 1, 0],
            &[3, 1, 7, 0, 5, 8, 2, 6, 4],
            &[6, 4, 0, 7, 1, 2, 5, 3, 8],
            &[2, 2, 0, 1, 8, 3],
        ];
        for order in orders {
            for writers in 1..=3 {
                for size in 1..=3 {
                    let mut rows = Rows::default();
                    let mut procs: Vec<Assigner> = (0..writers).map(|_| Assigner::new()).collect();
                    for (turn, chunk) in order.chunks(size).enumerate() {
                        let batch: Vec<Article> = chunk.iter().map(|&i| arts[i].clone()).collect();
                        rows.add(&mut procs[turn % writers], &batch);
                    }
                    let got = rows.placements();
                    let present: HashSet<&str> = got.iter().map(|g| g.0.as_str()).collect();
                    let sub: Vec<Article> = arts.iter().filter(|a| present.contains(a.id.as_str())).cloned().collect();
                    assert_eq!(got, batch_result(&sub), "order {order:?}, {writers} writers, batches of {size}");
                    if present.len() == arts.len() {
                        assert_eq!(got, want);
                    }
                }
            }
        }
    }

    /// A late article that opens a story renames it rather than leaving its
    /// old row (and its history) behind.
    #[test]
    fn a_late_opener_renames_the_story() {
        let arts = corpus();
        let mut rows = Rows::default();
        let mut asg = Assigner::new();
        let strike: Vec<Article> = arts.iter().filter(|a| a.id.starts_with('s')).cloned().collect();
        rows.add(&mut asg, &strike[1..]);
        assert!(rows.placements().iter().all(|p| p.1.opener == "s2"));
        let plan = rows.add(&mut asg, &strike[..1]);
        assert_eq!(plan.renames, vec![("s2".to_string(), "s1".to_string())]);
        assert_eq!(plan.aliases, plan.renames);
        assert!(plan.opened.is_empty());
        assert!(rows.placements().iter().all(|p| p.1.opener == "s1"));
    }

    /// Rows written in arrival order (an older store) are brought in line
    /// by the next write, whoever makes it.
    #[test]
    fn rows_out_of_line_are_fixed_by_the_next_write() {
        let arts = corpus();
        let mut rows = Rows::default();
        rows.add(&mut Assigner::new(), &arts[..8]);
        // Scramble: every article its own story, as arrival order might
        // have left them.
        for (id, r) in rows.rows.iter_mut() {
            r.2 = Placement { opener: id.clone(), ..Default::default() };
        }
        let mut fresh = Assigner::new();
        let plan = rows.add(&mut fresh, &arts[8..]);
        assert!(!plan.moved.is_empty());
        assert_eq!(rows.placements(), batch_result(&arts));
    }

    /// Many short dated reports of three topics, arriving far out of
    /// order from two writers.
    #[test]
    fn templated_reports_out_of_order() {
        let topics = ["ferry strike", "bridge repair", "harbour fire"];
        let arts: Vec<Article> = (0..90)
            .map(|n| Article {
                id: format!("n{n}"),
                title: Some(format!("{} update number {n}", topics[n % 3])),
                published: Some(format!("2024-06-{:02}", 1 + (n * 7) % 28)),
                text: format!(
                    "Officials in Marlow reported on the {t} for the {n}th time on Monday.\nThe council said {n} volunteers helped with the {t} response.",
                    t = topics[n % 3]
                ),
                ..Default::default()
            })
            .collect();
        let mut rows = Rows::default();
        let mut procs = [Assigner::new(), Assigner::new()];
        for (turn, chunk) in arts.chunks(4).enumerate() {
            rows.add(&mut procs[turn % 2], chunk);
        }
        assert_eq!(rows.placements(), batch_result(&arts));
    }

    #[test]
    fn a_poisoned_assigner_is_reset() {
        let shared = Assigner::shared();
        Assigner::lock(&shared).begin(3);
        let a = art("x", 1, "text of one article");
        Assigner::lock(&shared)
            .catch_up(vec![Stored::of(5, &a, Placement { opener: "x".into(), ..Default::default() })])
            .unwrap();
        assert_eq!(Assigner::lock(&shared).len(), 1);
        let s2 = shared.clone();
        let _ = std::thread::spawn(move || {
            let _g = s2.lock().unwrap();
            panic!("clusterer panicked");
        })
        .join();
        let mut g = Assigner::lock(&shared);
        assert!(g.is_empty());
        assert_eq!(g.begin(3), 0);
    }

    /// A window of one still gives the batch's rows: what reaches back
    /// further is placed by a rebuild.
    #[test]
    fn past_the_window_a_rebuild_gives_the_same_rows() {
        let arts = corpus();
        let mut rows = Rows::default();
        let mut asg = Assigner::with_window(1);
        for k in (0..arts.len()).rev() {
            rows.add(&mut asg, &arts[k..k + 1]);
        }
        assert_eq!(rows.placements(), batch_result(&arts));
    }
}
