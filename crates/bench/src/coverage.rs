//! A news stream shaped like real coverage, made from real article text.
//!
//! [`crate::corpus`] makes a steady stream of small stories. Real coverage
//! is not like that: a breaking event draws thousands of articles within
//! days while most events get one or two, and that is exactly when a user
//! needs chorus and when any work that grows faster than a story shows.
//! This stream has:
//!
//! - **story sizes with a power-law tail**: P(size ≥ k) = 1/k (Zipf's law,
//!   which story sizes in news streams follow), capped at
//!   [`LARGEST_SHARE`] of the stream, so the biggest stories hold a few
//!   percent of all articles and most stories one or two;
//! - **developing stories**: a story of many articles moves through several
//!   developments, each told from another real article (of the same real
//!   topic where the pool has one: the same labelled event, the same day of
//!   a campaign), later reports recalling earlier developments as
//!   background;
//! - **paraphrase**: each independent report rewords its sentences as an
//!   outlet's desk would ([`crate::paraphrase`]), with the story's own
//!   invented names (see [`crate::corpus`]), so that reports share
//!   statements but rarely sentences;
//! - **copies at the rates of a syndicated stream**: exact republications,
//!   near copies and syndicated rewrites (a new lede on most of the
//!   original) of earlier reports of the same story, by other outlets;
//! - **outlets** of very unequal output (log-uniform over a thousand);
//! - **late arrival**: each article reaches the stream some time after it
//!   was published — minutes for most, hours for some, days for a few (a
//!   late feed, a re-crawl, a backfill) — and [`Coverage::arrival_order`]
//!   is the order a reader would see them in.
//!
//! Text is made on demand from the plan ([`Coverage::article`]), so a
//! stream of a million articles can be written out in arrival order without
//! holding it in memory. The same pool, size and seed give the same stream,
//! byte for byte.

use chorus_model::Article;
use rayon::prelude::*;

use crate::Rng;
use crate::corpus::{
    Corpus, EXACT_COPY_RATE, Kind, NEAR_COPY_RATE, NameMap, SYNDICATED_RATE, fnv1a, iso, near_copy, reword, syndicate,
    unit,
};
use crate::paraphrase::paraphrase;

/// The largest story's share of the stream: a major breaking event in a
/// general news stream (a war's first days, an election night) takes a few
/// percent of everything published.
pub const LARGEST_SHARE: f64 = 0.03;

/// Articles published per day over the whole stream: a large multi-outlet
/// news stream (an aggregator over a thousand outlets).
pub const ARTICLES_PER_DAY: f64 = 5_000.0;

/// Outlets in the stream; an article's outlet is drawn log-uniformly, so a
/// few outlets publish much of the stream, as wires and big sites do.
pub const OUTLETS: usize = 1000;

/// Share of articles that arrive hours late (a feed polled rarely), and
/// days late (a re-crawl or backfill); the rest arrive within minutes.
pub const HOURS_LATE_RATE: f64 = 0.09;
pub const DAYS_LATE_RATE: f64 = 0.01;

/// A pool article and the real topic it belongs to, when known (a label of
/// a labelled set, a date of a single-subject set): reports of one
/// generated story draw their developments from one topic.
#[derive(Debug, Clone)]
pub struct PoolArticle {
    pub article: Article,
    pub topic: Option<String>,
}

struct Subject {
    title: String,
    sentences: Vec<String>,
}

/// A story as planned: when it opened, its developments (subject indices),
/// how long its articles keep coming, and the seed of its names.
struct StoryPlan {
    opened: i64,
    developments: Vec<u32>,
    /// Mean delay of its reports after the opener, in seconds.
    tau: f64,
    names: u64,
}

/// One planned article.
#[derive(Debug, Clone, Copy)]
struct Entry {
    published: i64,
    arrival: i64,
    story: u32,
    /// The independent report this article is or copies.
    report: u32,
    /// Development of the story the report tells.
    development: u8,
    kind: Kind,
    outlet: u16,
}

/// A planned stream: articles in publication order, made on demand.
pub struct Coverage {
    subjects: Vec<Subject>,
    stories: Vec<StoryPlan>,
    entries: Vec<Entry>,
    seed: u64,
}

/// Pool articles with fewer sentences make poor subjects.
const MIN_SUBJECT_SENTENCES: usize = 6;

impl Coverage {
    /// Plans a stream of `n` articles from `pool`; an empty plan when no pool
    /// article is long enough to be a subject.
    pub fn plan(pool: &[PoolArticle], n: usize, seed: u64) -> Coverage {
        let mut subjects = Vec::new();
        let mut topic_of: Vec<Option<String>> = Vec::new();
        for p in pool {
            let a = &p.article;
            let sentences: Vec<String> = chorus_text::split_sentences(&a.text)
                .into_iter()
                .map(|r| a.text[r].trim().to_string())
                .filter(|s| s.split_whitespace().count() >= 4)
                .collect();
            if sentences.len() >= MIN_SUBJECT_SENTENCES {
                subjects.push(Subject { title: a.title.clone().unwrap_or_else(|| sentences[0].clone()), sentences });
                topic_of.push(p.topic.clone());
            }
        }
        let mut cov = Coverage { subjects, stories: Vec::new(), entries: Vec::new(), seed };
        if cov.subjects.is_empty() || n == 0 {
            return cov;
        }
        // Subjects of each topic, so a story's developments come from one
        // real event where the pool knows it.
        let mut topics: std::collections::BTreeMap<&str, Vec<u32>> = std::collections::BTreeMap::new();
        for (i, t) in topic_of.iter().enumerate() {
            if let Some(t) = t {
                topics.entry(t.as_str()).or_default().push(i as u32);
            }
        }
        let mut rng = Rng::new(seed);
        let cap = ((LARGEST_SHARE * n as f64).round() as usize).max(1);
        let mut sizes = Vec::new();
        let mut total = 0;
        while total < n {
            let u = unit(&mut rng).max(1e-12);
            let size = ((1.0 / u).floor() as usize).clamp(1, cap).min(n - total);
            sizes.push(size);
            total += size;
        }
        let span = n as f64 / ARTICLES_PER_DAY * 86_400.0;
        let start: i64 = 1_704_067_200; // 2024-01-01T00:00:00Z
        let mut deck: Vec<u32> = Vec::new();
        let mut made: Vec<Entry> = Vec::with_capacity(n);
        for (s, &size) in sizes.iter().enumerate() {
            if deck.is_empty() {
                deck = (0..cov.subjects.len() as u32).collect();
                for i in (1..deck.len()).rev() {
                    deck.swap(i, rng.below(i + 1));
                }
            }
            let subject = deck.pop().unwrap_or(0);
            let count = 1 + ((size as f64).log2() / 2.0).floor() as usize;
            let mut developments = vec![subject];
            let siblings: Vec<u32> = topic_of[subject as usize]
                .as_deref()
                .and_then(|t| topics.get(t))
                .map(|v| v.iter().copied().filter(|&x| x != subject).collect())
                .unwrap_or_default();
            while developments.len() < count {
                let next = if !siblings.is_empty() && unit(&mut rng) < 0.8 {
                    siblings[rng.below(siblings.len())]
                } else {
                    rng.below(cov.subjects.len()) as u32
                };
                developments.push(next);
            }
            let plan = StoryPlan {
                opened: start + (unit(&mut rng) * span) as i64,
                developments,
                tau: 43_200.0 * (size as f64).powf(0.3),
                names: rng.next_u64(),
            };
            let story = s as u32;
            let mut originals: Vec<(u32, u8, i64)> = Vec::new();
            for k in 0..size {
                let outlet = ((OUTLETS as f64).powf(unit(&mut rng)) as usize - 1).min(OUTLETS - 1) as u16;
                let roll = unit(&mut rng);
                let copy_of = (!originals.is_empty()).then(|| originals[rng.below(originals.len())]);
                let (kind, report, development, published) = match copy_of {
                    Some((r, d, t)) if roll < EXACT_COPY_RATE => {
                        (Kind::ExactCopy { of: r as usize }, r, d, t + exp(&mut rng, 3.0 * 3600.0) as i64)
                    }
                    Some((r, d, t)) if roll < EXACT_COPY_RATE + NEAR_COPY_RATE => {
                        (Kind::NearCopy { of: r as usize }, r, d, t + exp(&mut rng, 6.0 * 3600.0) as i64)
                    }
                    Some((r, d, t)) if roll < EXACT_COPY_RATE + NEAR_COPY_RATE + SYNDICATED_RATE => {
                        (Kind::Syndicated { of: r as usize }, r, d, t + exp(&mut rng, 12.0 * 3600.0) as i64)
                    }
                    _ => {
                        let offset = if k == 0 { 0.0 } else { exp(&mut rng, plan.tau) };
                        // Each development takes an equal share of the reports.
                        let quantile = 1.0 - (-offset / plan.tau).exp();
                        let d = ((quantile * plan.developments.len() as f64) as usize).min(plan.developments.len() - 1)
                            as u8;
                        let r = originals.len() as u32;
                        let t = plan.opened + offset as i64;
                        originals.push((r, d, t));
                        (Kind::Original, r, d, t)
                    }
                };
                let lag = {
                    let u = unit(&mut rng);
                    if u < DAYS_LATE_RATE {
                        86_400.0 * (1.0 + 9.0 * unit(&mut rng))
                    } else if u < DAYS_LATE_RATE + HOURS_LATE_RATE {
                        exp(&mut rng, 6.0 * 3600.0)
                    } else {
                        exp(&mut rng, 15.0 * 60.0)
                    }
                };
                made.push(Entry {
                    published,
                    arrival: published + lag as i64,
                    story,
                    report,
                    development,
                    kind,
                    outlet,
                });
            }
            cov.stories.push(plan);
        }
        // Publication order (ties by plan order); copies then point to their
        // original's place in that order.
        let mut order: Vec<usize> = (0..made.len()).collect();
        order.sort_by_key(|&i| (made[i].published, i));
        let mut place: std::collections::HashMap<(u32, u32), usize> = std::collections::HashMap::new();
        let mut entries: Vec<Entry> = Vec::with_capacity(made.len());
        for &i in &order {
            let mut e = made[i];
            if e.kind == Kind::Original {
                place.insert((e.story, e.report), entries.len());
            }
            let orig = |of: usize| place.get(&(e.story, of as u32)).copied().unwrap_or(0);
            e.kind = match e.kind {
                Kind::Original => Kind::Original,
                Kind::ExactCopy { of } => Kind::ExactCopy { of: orig(of) },
                Kind::NearCopy { of } => Kind::NearCopy { of: orig(of) },
                Kind::Syndicated { of } => Kind::Syndicated { of: orig(of) },
            };
            entries.push(e);
        }
        cov.entries = entries;
        cov
    }

    /// Articles in the stream.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The generated story of article `k` (publication order).
    pub fn story(&self, k: usize) -> usize {
        self.entries[k].story as usize
    }

    /// What article `k` is, copies pointing to publication-order indices.
    pub fn kind(&self, k: usize) -> Kind {
        self.entries[k].kind
    }

    /// Articles of the largest story.
    pub fn largest_story(&self) -> usize {
        let mut sizes = vec![0usize; self.stories.len()];
        for e in &self.entries {
            sizes[e.story as usize] += 1;
        }
        sizes.into_iter().max().unwrap_or(0)
    }

    /// How many stories the plan has.
    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    /// Publication-order indices in the order the articles reach a reader.
    pub fn arrival_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.entries.len()).collect();
        order.sort_by_key(|&k| (self.entries[k].arrival, k));
        order
    }

    /// Article `k` (publication order).
    pub fn article(&self, k: usize) -> Article {
        let e = &self.entries[k];
        let plan = &self.stories[e.story as usize];
        let names = NameMap::with_seed(plan.names);
        let mut rng = Rng::new(self.seed ^ fnv1a(format!("article {k}").as_bytes()));
        let (title, text) = match e.kind {
            Kind::Original => self.report(e),
            Kind::ExactCopy { .. } => {
                let (title, text) = self.report(e);
                (reword(&title, &mut rng, 0.3), text)
            }
            Kind::NearCopy { .. } => {
                let (title, text) = self.report(e);
                (reword(&title, &mut rng, 0.3), near_copy(&text, &mut rng))
            }
            Kind::Syndicated { .. } => {
                let (title, text) = self.report(e);
                let other = &self.subjects[rng.below(self.subjects.len())];
                let lede: Vec<String> = (0..2)
                    .map(|_| {
                        paraphrase(&names.apply(&other.sentences[rng.below(other.sentences.len())]), &mut rng, 1.0)
                    })
                    .collect();
                (reword(&title, &mut rng, 0.3), syndicate(&text, &lede, &mut rng))
            }
        };
        let outlet = format!("outlet{:04}.example", e.outlet);
        Article {
            path: format!("coverage/{k:07}"),
            url: Some(format!("https://{outlet}/news/{}/{k}", e.story)),
            source: Some(outlet),
            title: Some(title),
            published: Some(iso(e.published)),
            language: Some("en".into()),
            text,
            ..Default::default()
        }
        .with_stable_id()
    }

    /// The title and text of the independent report `e` is or copies: a
    /// window of its development's sentences, each paraphrased, and for
    /// later developments some background from earlier ones.
    fn report(&self, e: &Entry) -> (String, String) {
        let plan = &self.stories[e.story as usize];
        let names = NameMap::with_seed(plan.names);
        let mut rng = Rng::new(self.seed ^ plan.names ^ fnv1a(format!("report {}", e.report).as_bytes()));
        let d = e.development as usize;
        let subject = &self.subjects[plan.developments[d] as usize];
        let n = subject.sentences.len();
        let len = (n / 2 + rng.below(n / 2 + 1)).max(3).min(n);
        let from = rng.below(n - len + 1);
        let mut paragraphs: Vec<String> = Vec::with_capacity(len + 3);
        for s in &subject.sentences[from..from + len] {
            if unit(&mut rng) < 0.15 {
                continue;
            }
            paragraphs.push(paraphrase(&names.apply(s), &mut rng, 1.0));
        }
        if d > 0 && unit(&mut rng) < 0.6 {
            let earlier = &self.subjects[plan.developments[rng.below(d)] as usize];
            for _ in 0..1 + rng.below(3) {
                let s = &earlier.sentences[rng.below(earlier.sentences.len())];
                paragraphs.push(paraphrase(&names.apply(s), &mut rng, 1.0));
            }
        }
        let title = paraphrase(&names.apply(&subject.title), &mut rng, 1.0);
        (title, paragraphs.join("\n\n"))
    }

    /// The whole stream in memory, in publication order, with its truth
    /// (text made in parallel).
    pub fn corpus(&self) -> Corpus {
        let articles: Vec<Article> = (0..self.len()).into_par_iter().map(|k| self.article(k)).collect();
        Corpus {
            articles,
            story: self.entries.iter().map(|e| e.story as usize).collect(),
            kind: self.entries.iter().map(|e| e.kind).collect(),
        }
    }
}

/// An exponential draw with the given mean.
fn exp(rng: &mut Rng, mean: f64) -> f64 {
    -mean * (1.0 - unit(rng)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Vec<PoolArticle> {
        (0..8)
            .map(|k| PoolArticle {
                article: Article {
                    title: Some(format!("Harbour crane number {k} collapses in Verlo")),
                    text: (0..12)
                        .map(|s| {
                            format!(
                                "Workers at the Verlo harbour reported about {s} problems with crane {k} on Monday, officials said."
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n\n"),
                    ..Default::default()
                },
                topic: Some(format!("topic{}", k % 2)),
            })
            .collect()
    }

    #[test]
    fn deterministic_sized_and_heavy_tailed() {
        let a = Coverage::plan(&pool(), 5000, 7);
        let b = Coverage::plan(&pool(), 5000, 7);
        assert_eq!(a.len(), 5000);
        assert_eq!(a.article(17), b.article(17));
        assert_eq!(a.arrival_order(), b.arrival_order());
        assert_ne!(a.article(17), Coverage::plan(&pool(), 5000, 8).article(17));
        // The largest story is the cap (3 % of the stream); most are small.
        assert_eq!(a.largest_story(), 150);
        let mut sizes = vec![0usize; a.story_count()];
        for k in 0..a.len() {
            sizes[a.story(k)] += 1;
        }
        let small = sizes.iter().filter(|&&s| s <= 2).count();
        assert!(small * 2 > sizes.len(), "{small} of {}", sizes.len());
    }

    #[test]
    fn copies_point_back_in_time_and_arrival_is_late_only() {
        let c = Coverage::plan(&pool(), 3000, 1);
        let mut copies = 0;
        for k in 0..c.len() {
            if let Kind::ExactCopy { of } | Kind::NearCopy { of } | Kind::Syndicated { of } = c.kind(k) {
                assert!(of < k, "{of} {k}");
                assert_eq!(c.story(of), c.story(k));
                assert_eq!(c.kind(of), Kind::Original);
                copies += 1;
            }
            if let Kind::ExactCopy { of } = c.kind(k) {
                assert_eq!(c.article(of).text, c.article(k).text);
            }
            assert!(c.entries[k].arrival >= c.entries[k].published);
        }
        assert!(copies > 3000 / 10, "{copies}");
        let arrival = c.arrival_order();
        assert!(arrival.windows(2).any(|w| w[0] > w[1]), "some articles arrive out of publication order");
        let corpus = c.corpus();
        assert!(corpus.articles.windows(2).all(|w| w[0].published <= w[1].published));
    }

    #[test]
    fn independent_reports_of_a_story_are_reworded() {
        let c = Coverage::plan(&pool(), 2000, 3);
        let story = (0..c.len()).map(|k| c.story(k)).max_by_key(|&s| (0..c.len()).filter(|&k| c.story(k) == s).count());
        let originals: Vec<Article> = (0..c.len())
            .filter(|&k| Some(c.story(k)) == story && c.kind(k) == Kind::Original)
            .map(|k| c.article(k))
            .filter(|a| !a.text.is_empty())
            .take(2)
            .collect();
        assert_eq!(originals.len(), 2);
        assert_ne!(originals[0].text, originals[1].text);
    }
}
