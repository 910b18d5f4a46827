//! A deterministic news stream of any size, made from real article text.
//!
//! Real text matters for a benchmark: tokenising, stemming, sentence
//! splitting and the vocabulary behind every index all behave as they do on
//! news only on news. So the stream is built from a pool of real articles
//! (read by the caller, e.g. the dev sets), recombined into many stories:
//!
//! - each **story** takes one pool article as its subject and gives it its
//!   own names (every capitalised word mapped to an invented one, the same
//!   way throughout the story), so stories built on the same pool article
//!   are still about different people and places;
//! - each **independent report** of a story rewrites a window of the
//!   subject's sentences in its own words (dropping and swapping words), so
//!   two reports share vocabulary but not sentences, as two outlets do;
//! - **copies** follow the rates of a syndicated news stream: exact
//!   republications, near copies (a line added, a sentence dropped, a new
//!   headline) and syndicated rewrites (a new lede on most of the original's
//!   sentences);
//! - story sizes are heavy-tailed (most stories have one or two reports, a
//!   few have dozens), and stories open at a steady rate over a timeline, so
//!   a larger stream is a longer period, not a denser one.
//!
//! The same pool, size and seed give the same stream, byte for byte.

use chorus_model::Article;

use crate::Rng;

/// Share of articles that are exact republications of an earlier one.
pub const EXACT_COPY_RATE: f64 = 0.08;
/// Share that are near copies (same article, lightly edited).
pub const NEAR_COPY_RATE: f64 = 0.06;
/// Share that are syndicated rewrites (new lede, most sentences reused).
pub const SYNDICATED_RATE: f64 = 0.08;

/// Copies are drawn per independent report; this turns the shares of all
/// articles above into per-report probabilities.
const COPY_SCALE: f64 = 1.0 / (1.0 - (EXACT_COPY_RATE + NEAR_COPY_RATE + SYNDICATED_RATE));

/// Articles published per day of the timeline: the volume of a mid-sized
/// national news stream.
pub const ARTICLES_PER_DAY: usize = 300;

/// Largest number of independent reports in one story.
pub const MAX_REPORTS: usize = 60;

/// What a generated article is, with the truth a test can check against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An independent report.
    Original,
    /// The same text as article `of` (index in the stream).
    ExactCopy { of: usize },
    /// `of` lightly edited.
    NearCopy { of: usize },
    /// A new lede on most of `of`'s sentences.
    Syndicated { of: usize },
}

/// A generated stream, in publication order.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub articles: Vec<Article>,
    /// The story each article was generated for (numbered from 0).
    pub story: Vec<usize>,
    pub kind: Vec<Kind>,
}

impl Corpus {
    /// Total bytes of title and text.
    pub fn text_bytes(&self) -> u64 {
        self.articles.iter().map(|a| (a.text.len() + a.title.as_deref().map_or(0, str::len)) as u64).sum()
    }
}

/// A pool article split into sentences, ready to be recombined.
struct Subject {
    title: String,
    sentences: Vec<String>,
}

/// Pool articles with fewer sentences make poor subjects (a brief cannot
/// yield several distinct reports).
const MIN_SUBJECT_SENTENCES: usize = 6;

/// Generates `n` articles from the pool `base` (cleaned real articles).
/// Returns an empty corpus when no pool article is long enough.
pub fn generate(base: &[Article], n: usize, seed: u64) -> Corpus {
    let subjects: Vec<Subject> = base
        .iter()
        .filter_map(|a| {
            let sentences: Vec<String> = chorus_text::split_sentences(&a.text)
                .into_iter()
                .map(|r| a.text[r].trim().to_string())
                .filter(|s| s.split_whitespace().count() >= 4)
                .collect();
            (sentences.len() >= MIN_SUBJECT_SENTENCES)
                .then(|| Subject { title: a.title.clone().unwrap_or_else(|| sentences[0].clone()), sentences })
        })
        .collect();
    let mut out = Corpus::default();
    if subjects.is_empty() {
        return out;
    }
    let mut rng = Rng::new(seed);
    // Subjects are used in shuffled rounds, so the same subject comes back as
    // rarely as the pool allows.
    let mut deck: Vec<usize> = Vec::new();
    let mut times: Vec<i64> = Vec::with_capacity(n);
    let start: i64 = 1_704_067_200; // 2024-01-01T00:00:00Z
    let seconds_per_article = 86_400.0 / ARTICLES_PER_DAY as f64;
    let mut story = 0usize;
    while out.articles.len() < n {
        if deck.is_empty() {
            deck = (0..subjects.len()).collect();
            for i in (1..deck.len()).rev() {
                deck.swap(i, rng.below(i + 1));
            }
        }
        let subject = &subjects[deck.pop().unwrap_or(0)];
        let names = NameMap::new(&mut rng);
        let opened = start + (out.articles.len() as f64 * seconds_per_article) as i64;
        let reports = story_size(&mut rng);
        let first_in_story = out.articles.len();
        for r in 0..reports {
            if out.articles.len() >= n {
                break;
            }
            let t = opened + if r == 0 { 0 } else { rng.below(3 * 86_400) as i64 };
            let text = rewrite(subject, &names, &mut rng);
            let title = names.apply(&reword(&subject.title, &mut rng, 0.1));
            push(&mut out, &mut times, story, Kind::Original, t, title, text, &mut rng);
            // Copies of this report.
            let of = out.articles.len() - 1;
            let roll = unit(&mut rng);
            if roll < EXACT_COPY_RATE * COPY_SCALE {
                let a = &out.articles[of];
                let (title, text) = (a.title.clone().unwrap_or_default(), a.text.clone());
                let t = t + rng.below(6 * 3600) as i64;
                push(&mut out, &mut times, story, Kind::ExactCopy { of }, t, title, text, &mut rng);
            } else if roll < (EXACT_COPY_RATE + NEAR_COPY_RATE) * COPY_SCALE {
                let text = near_copy(&out.articles[of].text, &mut rng);
                let title = names.apply(&reword(&subject.title, &mut rng, 0.3));
                let t = t + rng.below(12 * 3600) as i64;
                push(&mut out, &mut times, story, Kind::NearCopy { of }, t, title, text, &mut rng);
            } else if roll < (EXACT_COPY_RATE + NEAR_COPY_RATE + SYNDICATED_RATE) * COPY_SCALE {
                let lede_from = &subjects[rng.below(subjects.len())];
                let lede: Vec<String> =
                    (0..2).map(|_| names.apply(&lede_from.sentences[rng.below(lede_from.sentences.len())])).collect();
                let text = syndicate(&out.articles[of].text, &lede, &mut rng);
                let title = names.apply(&reword(&subject.title, &mut rng, 0.3));
                let t = t + rng.below(24 * 3600) as i64;
                push(&mut out, &mut times, story, Kind::Syndicated { of }, t, title, text, &mut rng);
            }
        }
        debug_assert!(out.articles.len() > first_in_story);
        story += 1;
    }
    out.articles.truncate(n);
    out.story.truncate(n);
    out.kind.truncate(n);
    times.truncate(n);
    // Publication order, ties by generation order; copies point to indices
    // in the new order.
    let mut order: Vec<usize> = (0..out.articles.len()).collect();
    order.sort_by_key(|&i| (times[i], i));
    let mut new_index = vec![0usize; order.len()];
    for (k, &i) in order.iter().enumerate() {
        new_index[i] = k;
    }
    let remap = |k: Kind| match k {
        Kind::Original => Kind::Original,
        Kind::ExactCopy { of } => Kind::ExactCopy { of: new_index[of] },
        Kind::NearCopy { of } => Kind::NearCopy { of: new_index[of] },
        Kind::Syndicated { of } => Kind::Syndicated { of: new_index[of] },
    };
    let mut articles = std::mem::take(&mut out.articles).into_iter().map(Some).collect::<Vec<_>>();
    Corpus {
        articles: order.iter().map(|&i| articles[i].take().unwrap_or_default()).collect(),
        story: order.iter().map(|&i| out.story[i]).collect(),
        kind: order.iter().map(|&i| remap(out.kind[i])).collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut Corpus,
    times: &mut Vec<i64>,
    story: usize,
    kind: Kind,
    t: i64,
    title: String,
    text: String,
    rng: &mut Rng,
) {
    let k = out.articles.len();
    let outlet = format!("outlet{:03}.example", rng.below(400));
    let article = Article {
        path: format!("generated/{k:06}.txt"),
        url: Some(format!("https://{outlet}/news/{story}/{k}")),
        source: Some(outlet),
        title: Some(title),
        published: Some(iso(t)),
        language: Some("en".into()),
        text,
        ..Default::default()
    }
    .with_stable_id();
    out.articles.push(article);
    out.story.push(story);
    out.kind.push(kind);
    times.push(t);
}

/// Independent reports per story: a discrete power law (P(k) ∝ k^-2.2,
/// capped), so most stories have one or two reports and a few have dozens,
/// as in real streams.
fn story_size(rng: &mut Rng) -> usize {
    let u = unit(rng).max(1e-9);
    let k = u.powf(-1.0 / 1.2).floor() as usize;
    k.clamp(1, MAX_REPORTS)
}

/// One outlet's report: a window of the subject's sentences, each reworded.
fn rewrite(subject: &Subject, names: &NameMap, rng: &mut Rng) -> String {
    let n = subject.sentences.len();
    let len = (n / 2 + rng.below(n / 2 + 1)).max(3).min(n);
    let from = rng.below(n - len + 1);
    let mut paragraphs = Vec::new();
    for s in &subject.sentences[from..from + len] {
        if unit(rng) < 0.15 {
            continue;
        }
        paragraphs.push(names.apply(&reword(s, rng, 0.35)));
    }
    paragraphs.join("\n\n")
}

/// A sentence in other words: each word dropped or swapped with its
/// neighbour with probability `p / 2` each.
pub(crate) fn reword(s: &str, rng: &mut Rng, p: f64) -> String {
    let mut words: Vec<&str> = s.split_whitespace().collect();
    let mut i = 0;
    while i + 1 < words.len() {
        let roll = unit(rng);
        if roll < p / 2.0 && words.len() > 4 {
            words.remove(i);
            continue;
        } else if roll < p {
            words.swap(i, i + 1);
            i += 1;
        }
        i += 1;
    }
    words.join(" ")
}

/// The same article republished with light edits: a closing line added, a
/// paragraph dropped when there are many.
pub(crate) fn near_copy(text: &str, rng: &mut Rng) -> String {
    let mut paragraphs: Vec<&str> = text.split("\n\n").collect();
    if paragraphs.len() > 12 {
        paragraphs.remove(rng.below(paragraphs.len()));
    }
    let mut out = paragraphs.join("\n\n");
    out.push_str("\n\nThis article has been updated with additional reporting.");
    out
}

/// A syndicated rewrite: a new two-sentence lede, then most of the
/// original's paragraphs word for word.
pub(crate) fn syndicate(text: &str, lede: &[String], rng: &mut Rng) -> String {
    let mut paragraphs: Vec<String> = lede.to_vec();
    for p in text.split("\n\n") {
        if unit(rng) < 0.8 {
            paragraphs.push(p.to_string());
        }
    }
    paragraphs.join("\n\n")
}

/// A story's own names: every capitalised word of the pool text becomes an
/// invented word, the same one throughout the story.
pub(crate) struct NameMap {
    seed: u64,
}

const SYLLABLES: &[&str] = &[
    "ka", "ren", "dor", "vi", "lan", "mar", "to", "sel", "qui", "bra", "nos", "tel", "ari", "vom", "eth", "lu", "zan",
    "pol", "ver", "ish", "go", "ram", "sto", "fen",
];

impl NameMap {
    pub(crate) fn new(rng: &mut Rng) -> Self {
        NameMap { seed: rng.next_u64() }
    }

    pub(crate) fn with_seed(seed: u64) -> Self {
        NameMap { seed }
    }

    fn name(&self, word: &str) -> String {
        let mut r = Rng::new(self.seed ^ fnv1a(word.as_bytes()));
        let parts = 2 + r.below(2);
        let mut s: String = (0..parts).map(|_| SYLLABLES[r.below(SYLLABLES.len())]).collect();
        if let Some(first) = s.get(..1) {
            let upper = first.to_uppercase();
            s.replace_range(..1, &upper);
        }
        s
    }

    pub(crate) fn apply(&self, s: &str) -> String {
        s.split(' ')
            .enumerate()
            .map(|(i, w)| {
                let core = w.trim_matches(|c: char| !c.is_alphanumeric());
                let capital = core.chars().next().is_some_and(char::is_uppercase) && core.len() > 1;
                if capital && (i > 0 || !chorus_text::is_stopword(core)) {
                    w.replacen(core, &self.name(core), 1)
                } else {
                    w.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A uniform draw in [0, 1).
pub(crate) fn unit(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// FNV-1a, to give each invented name a fixed seed.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// ISO 8601 UTC date-time of a Unix time.
pub fn iso(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Vec<Article> {
        (0..5)
            .map(|k| Article {
                title: Some(format!("Harbour crane number {k} collapses in Verlo")),
                text: (0..12)
                    .map(|s| {
                        format!("Workers at the Verlo harbour reported problem {s} with crane {k} on Monday morning.")
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n"),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn deterministic_and_sized() {
        let a = generate(&pool(), 300, 7);
        let b = generate(&pool(), 300, 7);
        assert_eq!(a.articles.len(), 300);
        assert_eq!(a.articles, b.articles);
        assert_ne!(a.articles, generate(&pool(), 300, 8).articles);
    }

    #[test]
    fn copies_point_back_and_are_in_time_order() {
        let c = generate(&pool(), 2000, 1);
        let mut copies = 0;
        for (i, k) in c.kind.iter().enumerate() {
            if let Kind::ExactCopy { of } | Kind::NearCopy { of } | Kind::Syndicated { of } = *k {
                assert!(of < i);
                assert_eq!(c.story[of], c.story[i]);
                copies += 1;
            }
            if let Kind::ExactCopy { of } = *k {
                assert_eq!(c.articles[of].text, c.articles[i].text);
            }
        }
        assert!(copies > 2000 / 10, "{copies}");
        assert!(c.articles.windows(2).all(|w| w[0].published <= w[1].published));
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_704_067_200 + 86_400 * 60 + 3661), "2024-03-01T01:01:01Z");
    }
}
