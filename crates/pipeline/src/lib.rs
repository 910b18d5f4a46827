//! The stages in order, for the binary, the store and the server alike:
//! clean → extract (per article) → group into stories → analyse each story →
//! assemble the [`Report`]. Input is articles already read; output is the
//! contract's data. No file or network I/O happens here.

pub mod language;
pub mod spool;
pub mod story;

use std::borrow::Cow;

use chorus_analysis::{Doc, Options as AnalysisOptions};
use chorus_extract::Extraction;
use chorus_model::{Article, ArticleEntry, ExtractRecord, InputError, Removed, Report, Story, SummarySentence};
use chorus_stories::Grouping;
use rayon::prelude::*;

use spool::Spill;
pub use spool::{Spool, Spooled};

/// What a run asks for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Word budget of each story's summary.
    pub summary_words: usize,
    /// Sentences per story the transformer may embed for the pairs facts
    /// leave undecided (`chorus_analysis::Options::transformer_sentences`);
    /// 0, the default, keeps a store's and a large run's analysis on the
    /// static tier. [`deep_sentences_for`] is the default of a batch run.
    pub deep_sentences: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { summary_words: 250, deep_sentences: 0 }
    }
}

/// Transformer budget per story of a small run ([`deep_sentences_for`]),
/// in texts embedded: sentences and, since facts ask the transformer about
/// clause pairs too, clauses (on the seeds 14 words on average against a sentence's
/// 23; the encoder's cost is linear in tokens). At about 8.4 ms of CPU a
/// sentence, at most 0.54 CPU-seconds a story. On the seeds (77 sentences
/// and 200 clause pairs undecided) 40 left pairs the sentence-only tier had
/// joined unasked once clauses shared the queue; 56 to 200 give the same
/// shared facts (ARCHITECTURE.md).
pub const DEEP_SENTENCES: usize = 64;

/// Runs of at most this many articles get [`DEEP_SENTENCES`] by default.
/// On clustering-dev the transformer embeds about 2 sentences an article
/// (429 for 220 articles), about 17 ms of CPU an article: a few CPU-seconds
/// for a run this size, where a 100k-article report would pay half an hour.
pub const DEEP_RUN_ARTICLES: usize = 250;

/// The default transformer budget per story of a batch run of `articles`
/// articles: [`DEEP_SENTENCES`] for a small run, 0 (off) past
/// [`DEEP_RUN_ARTICLES`].
pub fn deep_sentences_for(articles: usize) -> usize {
    if articles <= DEEP_RUN_ARTICLES { DEEP_SENTENCES } else { 0 }
}

/// Articles after cleaning, with what cleaning dropped.
#[derive(Debug, Default)]
pub struct Prepared {
    pub articles: Vec<Article>,
    pub removed: Vec<Removed>,
}

/// Cleans the articles (line rules and per-source templates) and labels
/// their language. An article left with no text and no title by cleaning is
/// dropped here, and its lines are all in `removed`, so nothing vanishes
/// unreported.
pub fn prepare(mut articles: Vec<Article>) -> Prepared {
    let mut removed = chorus_clean::clean_corpus(&mut articles);
    Removed::in_path_order(&mut removed);
    articles.par_iter_mut().for_each(|a| {
        if a.language.is_none() {
            a.language = language::detect(&a.text);
        }
    });
    let articles = articles.into_iter().filter(|a| !a.text.trim().is_empty() || a.title.is_some()).collect();
    Prepared { articles, removed }
}

/// Whether an article is its headline alone: a title and no body, as feed
/// and JSON Lines items that carry only headlines are read.
pub fn headline_only(a: &Article) -> bool {
    a.text.trim().is_empty() && a.title.as_deref().is_some_and(|t| !t.trim().is_empty())
}

/// The article as the extractors and the analysis read it: a headline-only
/// article reads as its headline (its names, figures, quoted words and
/// wording are all there is of it); any other article as it is. The
/// headline carries no final stop, so it is never taken for a statement of
/// fact: a headline says what a story is about, and two outlets' headlines
/// of one event share too few words to be matched as one statement, which
/// would list each as reported by one source only.
pub fn as_analysed(a: &Article) -> Cow<'_, Article> {
    if headline_only(a) {
        Cow::Owned(Article { text: a.title.clone().unwrap_or_default(), ..a.clone() })
    } else {
        Cow::Borrowed(a)
    }
}

/// Per-article extraction, in parallel, in article order.
///
/// The extractors (entities, quotes, numbers) are built for English; an
/// article labelled with another language gets its sentences only, so that
/// it is still clustered, listed and summarised without English rules
/// producing noise on it (the story says so in its notes).
pub fn extract_all(articles: &[Article]) -> Vec<Extraction> {
    articles.par_iter().map(extract_one).collect()
}

/// The extraction of one article (see [`extract_all`]).
pub fn extract_one(a: &Article) -> Extraction {
    let a = as_analysed(a);
    let a = a.as_ref();
    let sentences_only = || Extraction { sentences: chorus_text::split_sentences(&a.text), ..Default::default() };
    if !is_english(a) {
        return sentences_only();
    }
    // A bug in an extractor must cost one article its extraction, not the
    // whole run: the article is still clustered and listed.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| chorus_extract::extract(&a.text, a.published.as_deref())))
        .unwrap_or_else(|_| sentences_only())
}

/// English, or unknown (too short to tell): the English extractors run.
pub fn is_english(a: &Article) -> bool {
    match a.language.as_deref() {
        None => true,
        Some(l) => l.eq_ignore_ascii_case("en") || l.to_ascii_lowercase().starts_with("en-"),
    }
}

/// The `chorus extract` records.
pub fn extract_records(articles: &[Article]) -> Vec<ExtractRecord> {
    let ex = extract_all(articles);
    articles.iter().zip(&ex).map(|(a, e)| chorus_extract::to_record(&as_analysed(a), e)).collect()
}

/// The whole analysis: stories with everything in them.
pub fn report(prepared: Prepared, errors: Vec<InputError>, opts: &Options) -> Report {
    let Prepared { articles, removed } = prepared;
    let mut stories = Vec::new();
    report_each(
        articles,
        opts,
        &|_| {},
        |_| {},
        |s| {
            stories.push(s);
            Ok::<(), std::convert::Infallible>(())
        },
    )
    .unwrap_or_else(|e| match e {});
    Report { stories, removed, errors }
}

/// Where a long run is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Articles placed into stories so far, of `total`; stories open.
    Clustering { placed: usize, total: usize, stories: usize },
    /// Articles of analysed stories so far, of `total`; stories analysed.
    Analysing { articles: usize, total: usize, stories: usize, of: usize },
}

/// Stories analysed in one parallel round hold at most this many articles
/// between them, or as many as one thread per core each given a story the
/// size of the round's first (largest) one: enough to keep every core busy
/// over many small stories and over a run of big ones (one story is
/// analysed on one thread, so a big story alone in its round would leave
/// the other cores idle), while the stories in flight stay a small part of
/// memory.
const ROUND_ARTICLES: usize = 4096;

/// A round never holds more than this many articles, however big its first
/// story: a story past it is analysed alone, its extraction in parallel and
/// its analysis on one thread. Analysing a story holds about a hundred
/// kilobytes per article (extractions, the sentence table, the analysed
/// story and its rendering), so a million-article stream whose biggest
/// stories run to 30,000 articles would otherwise hold two of them at once,
/// several gigabytes; 8,192 keeps the 100,000-article stream's rounds
/// (two stories of 3,000) as they were.
const ROUND_MAX_ARTICLES: usize = 8192;

/// Runs whose article texts add up to more than this many bytes keep them
/// in an unnamed temporary file once cleaned, reading back each clustering
/// batch's and each analysis round's: analysis goes story by story in report order (biggest first),
/// not in the order the articles came, so every text would otherwise stay
/// in memory until its story's turn — gigabytes for a million articles.
/// A [`Spool`] writes each text there as soon as it is read and cleaned,
/// so the input is never held whole either. Smaller runs (every test,
/// every folder a person reads) keep them in memory and never touch the
/// disk.
pub const SPILL_BYTES: usize = 256 << 20;

/// What is known of a report once its stories are formed, before any is
/// analysed: enough for the head of a streamed report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub stories: usize,
    pub articles: usize,
    /// The headline of the only story, when there is one.
    pub only_headline: Option<String>,
}

/// [`report`] story by story, for runs too large to hold every analysed
/// story: `outline` is called once stories are formed, then `sink` gets each analysed story in report order as soon as it and the
/// ones before it are done. Memory holds the articles (their texts are
/// dropped once their story is written) and one round of stories, never
/// the whole report.
pub fn report_each<E>(
    mut articles: Vec<Article>,
    opts: &Options,
    progress: &(dyn Fn(Step) + Sync),
    outline: impl FnOnce(&Outline),
    sink: impl FnMut(Story) -> Result<(), E>,
) -> Result<(), E> {
    let spill = Spill::out(&mut articles, SPILL_BYTES);
    report_from(articles, spill, opts, progress, outline, sink)
}

/// [`report_each`], keeping texts in a temporary file past `spill_bytes`.
#[cfg(test)]
fn report_spilling<E>(
    mut articles: Vec<Article>,
    opts: &Options,
    progress: &(dyn Fn(Step) + Sync),
    outline: impl FnOnce(&Outline),
    sink: impl FnMut(Story) -> Result<(), E>,
    spill_bytes: usize,
) -> Result<(), E> {
    let spill = Spill::out(&mut articles, spill_bytes);
    report_from(articles, spill, opts, progress, outline, sink)
}

/// [`report_each`] for articles taken in by a [`Spool`] as they were read:
/// the same stories, in the same order, as [`report_each`] over
/// [`prepare`]'s articles, without ever holding the input whole.
pub fn report_spooled<E>(
    spooled: Spooled,
    opts: &Options,
    progress: &(dyn Fn(Step) + Sync),
    outline: impl FnOnce(&Outline),
    sink: impl FnMut(Story) -> Result<(), E>,
) -> Result<(), E> {
    let Spooled { articles, spill, .. } = spooled;
    report_from(articles, spill, opts, progress, outline, sink)
}

/// [`group`](chorus_stories::group) over articles whose texts may be in a
/// spill: each clustering batch's texts are read back for its features.
fn group_from(articles: &[Article], spill: Option<&Spill>, progress: &(dyn Fn(usize, usize) + Sync)) -> Grouping {
    let arrival = match spill {
        None => chorus_stories::arrival_order(articles),
        Some(sp) => chorus_stories::arrival_order_with(articles, &|i| sp.len(i)),
    };
    let features = |chunk: &[usize]| -> Vec<chorus_stories::Features> {
        match spill {
            None => chunk.par_iter().map(|&i| chorus_stories::Features::of(&articles[i])).collect(),
            Some(sp) => {
                // A text that cannot be read back clusters on its title;
                // its story's round then says the analysis failed.
                let texts: Vec<String> = chunk.iter().map(|&i| sp.read(i).unwrap_or_default()).collect();
                chunk
                    .par_iter()
                    .zip(texts)
                    .map(|(&i, text)| {
                        let a = &articles[i];
                        chorus_stories::Features::of(&Article { text, ..a.clone() })
                    })
                    .collect()
            }
        }
    };
    chorus_stories::group_ordered(&arrival, &chorus_stories::Params::default(), progress, &features)
}

/// [`report_each`] over articles whose texts are in `spill` (emptied in
/// the articles) or, without one, in the articles.
fn report_from<E>(
    mut articles: Vec<Article>,
    spill: Option<Spill>,
    opts: &Options,
    progress: &(dyn Fn(Step) + Sync),
    outline: impl FnOnce(&Outline),
    mut sink: impl FnMut(Story) -> Result<(), E>,
) -> Result<(), E> {
    let total = articles.len();
    let grouping =
        group_from(&articles, spill.as_ref(), &|placed, stories| progress(Step::Clustering { placed, total, stories }));
    let order = report_order(&grouping);
    if let (Some(sp), true) = (&spill, order.len() == 1) {
        // Ignored on failure: the round below reads them again and notes it.
        let _ = sp.load(&grouping.stories[0], &mut articles);
    }
    outline(&Outline {
        stories: order.len(),
        articles: total,
        only_headline: (order.len() == 1).then(|| story_shell(&articles, &grouping, &grouping.stories[0]).headline),
    });
    let mut done_articles = 0;
    let mut done_stories = 0;
    let mut next = 0;
    let threads = rayon::current_num_threads().max(1);
    while next < order.len() {
        let mut end = next;
        let mut size = 0;
        let budget = ROUND_ARTICLES.max(threads * grouping.stories[order[next]].len()).min(ROUND_MAX_ARTICLES);
        while end < order.len() && (end == next || size + grouping.stories[order[end]].len() <= budget) {
            size += grouping.stories[order[end]].len();
            end += 1;
        }
        // Texts that cannot be read back leave their stories unanalysed,
        // with a note, rather than end the run.
        let unread: Option<String> = spill.as_ref().and_then(|sp| {
            let members: Vec<usize> =
                order[next..end].iter().flat_map(|&g| grouping.stories[g].iter().copied()).collect();
            sp.load(&members, &mut articles).err().map(|e| e.to_string())
        });
        // Extraction is done story by story and dropped with the story's
        // analysis, so that memory holds the articles and the stories being
        // analysed, not every article's extraction at once.
        let round: Vec<Story> = order[next..end]
            .par_iter()
            .map(|&g| {
                let members = &grouping.stories[g];
                if let Some(e) = &unread {
                    let mut story = story_shell(&articles, &grouping, members);
                    story.notes.push(format!(
                        "The analysis of this story failed (its article texts could not be read back from a temporary file: {e}); its articles are listed without it."
                    ));
                    return story;
                }
                let extractions: Vec<Extraction> = members.par_iter().map(|&i| extract_one(&articles[i])).collect();
                story::analyse_group(&articles, &extractions, &grouping, members, &[], opts)
            })
            .collect();
        for &g in &order[next..end] {
            for &i in &grouping.stories[g] {
                articles[i].text = String::new();
            }
        }
        for s in round {
            done_articles += s.articles.len();
            done_stories += 1;
            sink(s)?;
        }
        progress(Step::Analysing { articles: done_articles, total, stories: done_stories, of: order.len() });
        next = end;
    }
    Ok(())
}

/// Stories in report order: most independent articles first, then most
/// articles, then the order they opened (as [`sort_stories`]).
fn report_order(g: &Grouping) -> Vec<usize> {
    let independent: Vec<usize> =
        g.stories.iter().map(|m| m.iter().filter(|&&i| g.is_independent(i)).count()).collect();
    let mut order: Vec<usize> = (0..g.stories.len()).collect();
    order.sort_by(|&a, &b| independent[b].cmp(&independent[a]).then(g.stories[b].len().cmp(&g.stories[a].len())));
    order
}

/// Stories with their articles only (what `chorus cluster` prints).
pub fn cluster(prepared: Prepared, errors: Vec<InputError>) -> Report {
    let Prepared { articles, removed } = prepared;
    let grouping = chorus_stories::group(&articles);
    let mut stories: Vec<Story> = grouping.stories.iter().map(|m| story_shell(&articles, &grouping, m)).collect();
    sort_stories(&mut stories);
    Report { stories, removed, errors }
}

/// [`cluster`] for articles taken in by a [`Spool`] as they were read.
pub fn cluster_spooled(spooled: Spooled, errors: Vec<InputError>) -> Report {
    let Spooled { mut articles, spill, removed } = spooled;
    let grouping = group_from(&articles, spill.as_ref(), &|_, _| {});
    if let Some(sp) = &spill {
        // A story none of whose articles has a title is headed by its
        // opener's first sentence.
        let openers: Vec<usize> =
            grouping.stories.iter().filter(|m| m.iter().all(|&i| articles[i].title.is_none())).map(|m| m[0]).collect();
        let _ = sp.load(&openers, &mut articles);
    }
    drop(spill);
    let mut stories: Vec<Story> = grouping.stories.iter().map(|m| story_shell(&articles, &grouping, m)).collect();
    sort_stories(&mut stories);
    Report { stories, removed, errors }
}

/// All articles taken as one story: its summary within `words`.
pub fn summarize(articles: &[Article], words: usize) -> Vec<SummarySentence> {
    let extractions = extract_all(articles);
    let grouping = chorus_stories::group(articles);
    let analysed: Vec<Cow<Article>> = articles.iter().map(as_analysed).collect();
    let docs: Vec<Doc> = analysed
        .iter()
        .enumerate()
        .map(|(i, a)| Doc {
            article: a,
            extraction: &extractions[i],
            independent: grouping.is_independent(i),
            added: None,
        })
        .collect();
    chorus_analysis::analyze(&docs, &AnalysisOptions { summary_words: words, ..AnalysisOptions::default() }).summary
}

/// Biggest first (independent articles, then all articles), then by the
/// order they opened.
fn sort_stories(stories: &mut [Story]) {
    stories.sort_by(|a, b| b.independent_count.cmp(&a.independent_count).then(b.articles.len().cmp(&a.articles.len())));
}

/// A story with its articles and counts, before analysis.
pub fn story_shell(articles: &[Article], grouping: &Grouping, members: &[usize]) -> Story {
    let opener = &articles[members[0]];
    let mut copies = rustc_hash::FxHashMap::default();
    for &i in members {
        if let Some(d) = grouping.duplicate_of[i] {
            *copies.entry(d).or_insert(0usize) += 1;
        }
    }
    let entries: Vec<ArticleEntry> = members
        .iter()
        .map(|&i| {
            let a = &articles[i];
            ArticleEntry {
                id: a.id.clone(),
                path: a.path.clone(),
                url: a.url.clone(),
                source: a.source.clone(),
                title: a.title.clone(),
                author: a.author.clone(),
                published: a.published.clone(),
                language: a.language.clone(),
                duplicate_of: grouping.duplicate_of[i].map(|d| articles[d].id.clone()),
                derived_from: grouping.derived_from[i].iter().map(|&d| articles[d].id.clone()).collect(),
                copies: copies.get(&i).copied().unwrap_or(0),
            }
        })
        .collect();
    let mut outlets: Vec<String> = members.iter().map(|&i| articles[i].outlet()).collect();
    outlets.sort();
    outlets.dedup();
    let independent_count = members.iter().filter(|&&i| grouping.is_independent(i)).count();
    let headline =
        members.iter().find_map(|&i| articles[i].title.clone()).unwrap_or_else(|| first_sentence(&opener.text));
    Story {
        id: opener.id.clone(),
        headline,
        articles: entries,
        source_count: outlets.len(),
        independent_count,
        ..Default::default()
    }
}

/// The first sentence of a text, cut to about 20 words and to
/// [`chorus_model::MAX_TITLE_CHARS`] (a line of one endless "word" must not
/// become a headline every listing carries), as a stand-in headline for a
/// story none of whose articles has a title.
fn first_sentence(text: &str) -> String {
    let s = chorus_text::split_sentences(text).first().map(|r| text[r.clone()].to_string()).unwrap_or_default();
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut headline = if words.len() > 20 { format!("{}…", words[..20].join(" ")) } else { s };
    chorus_model::cut_chars(&mut headline, chorus_model::MAX_TITLE_CHARS);
    headline
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(id: &str, text: &str) -> Article {
        Article { id: id.into(), path: format!("{id}.txt"), text: text.into(), ..Default::default() }
    }

    /// Texts kept in a temporary file give the report they give in memory.
    #[test]
    fn spilled_texts_give_the_same_report() {
        let text = |k: usize, what: &str| {
            format!(
                "The council of Varnby closed the old {what} bridge on Monday after engineers found {k} deep cracks.\n\
                 Mayor Ilse Brandvold said repairs to the {what} bridge would cost $40 million and take two years.\n\
                 Shop owners near the {what} bridge said they feared losing customers during the works."
            )
        };
        let arts: Vec<Article> = (0..12)
            .map(|k| Article {
                title: (k % 3 != 0).then(|| format!("Bridge {k} closes")),
                published: Some(format!("2024-03-{:02}", 1 + k % 4)),
                ..art(&format!("a{k}"), &text(k % 5, if k % 2 == 0 { "stone" } else { "iron" }))
            })
            .collect();
        let run = |limit: usize| {
            let mut stories = Vec::new();
            let mut outline = Outline::default();
            report_spilling(
                prepare(arts.clone()).articles,
                &Options::default(),
                &|_| {},
                |o| outline = o.clone(),
                |s| {
                    stories.push(s);
                    Ok::<(), std::convert::Infallible>(())
                },
                limit,
            )
            .unwrap_or_else(|e| match e {});
            (outline, stories)
        };
        let (kept, spilled) = (run(usize::MAX), run(0));
        assert!(!kept.1.is_empty());
        assert_eq!(kept, spilled);
    }

    /// The furniture list is the same whatever order the inputs arrive in,
    /// from `prepare` and from a spool alike.
    #[test]
    fn removed_furniture_does_not_depend_on_arrival_order() {
        let arts: Vec<Article> = (0..6)
            .map(|k| {
                let text = format!(
                    "Sign up for the Morning Brief\nThe ferry {k} left Varnby harbour late on Monday evening.\nFollow us on Instagram"
                );
                Article { source: Some("Varnby Post".into()), ..art(&format!("a{k}"), &text) }
            })
            .collect();
        let mut reversed = arts.clone();
        reversed.reverse();
        let want = prepare(arts.clone()).removed;
        assert_eq!(want.len(), 6);
        assert!(want.windows(2).all(|w| w[0].path < w[1].path));
        assert_eq!(prepare(reversed.clone()).removed, want);
        let mut spool = Spool::new(usize::MAX);
        for a in reversed {
            spool.push(a);
        }
        assert_eq!(spool.finish().removed, want);
    }

    /// Articles taken in one at a time by a spool, in memory or spilled,
    /// give what `prepare` and `report_each` give for them all at once:
    /// the same template lines dropped, the same articles left, the same
    /// stories.
    #[test]
    fn spooled_articles_give_the_same_report_and_clusters() {
        let body = |k: usize| {
            format!(
                "Sign up for the Morning Brief\n\
                 The council of Varnby closed the old bridge {k} on Monday after engineers found deep cracks.\n\
                 Mayor Ilse Brandvold said repairs to bridge {k} would cost $40 million and take two years.\n\
                 Follow us on Instagram\n\
                 Shop owners near bridge {k} said they feared losing customers during the works."
            )
        };
        let mut arts: Vec<Article> = (0..14)
            .map(|k| Article {
                source: Some(if k % 2 == 0 { "Varnby Post" } else { "Tarn Times" }.into()),
                title: (k % 3 != 0).then(|| format!("Bridge {} closes", k % 4)),
                published: Some(format!("2024-03-{:02}", 1 + k % 4)),
                ..art(&format!("a{k}"), &body(k % 4))
            })
            .collect();
        // Left with nothing once its template line is dropped.
        arts.push(Article { source: Some("Varnby Post".into()), ..art("empty", "Sign up for the Morning Brief") });
        let prepared = prepare(arts.clone());
        let want_removed = prepared.removed.clone();
        assert!(want_removed.iter().any(|r| r.lines.iter().any(|l| l.contains("Morning Brief"))));
        let want_cluster = cluster(prepare(arts.clone()), Vec::new());
        let mut want = Vec::new();
        report_each(
            prepared.articles.clone(),
            &Options::default(),
            &|_| {},
            |_| {},
            |s| {
                want.push(s);
                Ok::<(), std::convert::Infallible>(())
            },
        )
        .unwrap_or_else(|e| match e {});
        for limit in [usize::MAX, 0] {
            let spool = |arts: &[Article]| {
                let mut spool = Spool::new(limit);
                for a in arts {
                    spool.push(a.clone());
                }
                spool.finish()
            };
            let spooled = spool(&arts);
            assert_eq!(spooled.spilled(), limit == 0);
            assert_eq!(spooled.len(), prepared.articles.len());
            assert_eq!(spooled.removed, want_removed);
            let mut got = Vec::new();
            report_spooled(
                spooled,
                &Options::default(),
                &|_| {},
                |_| {},
                |s| {
                    got.push(s);
                    Ok::<(), std::convert::Infallible>(())
                },
            )
            .unwrap_or_else(|e| match e {});
            assert_eq!(got, want, "limit {limit}");
            assert_eq!(cluster_spooled(spool(&arts), Vec::new()), want_cluster, "limit {limit}");
        }
    }

    #[test]
    fn non_english_articles_are_kept_labelled_and_noted() {
        let arts = vec![
            art("en1", "The council closed the old bridge on Monday after engineers found deep cracks in its pillars."),
            art(
                "de1",
                "Der Stadtrat hat die alte Brücke am Montag geschlossen, nachdem Ingenieure tiefe Risse in den Pfeilern \
                 gefunden hatten. Die Reparatur wird nach Angaben der Stadt mindestens zwei Jahre dauern und mehrere \
                 Millionen Euro kosten.",
            ),
        ];
        let prepared = prepare(arts);
        assert_eq!(prepared.articles[1].language.as_deref(), Some("de"));
        let report = report(prepared, Vec::new(), &Options::default());
        let n: usize = report.stories.iter().map(|s| s.articles.len()).sum();
        assert_eq!(n, 2, "nothing is dropped");
        let notes: Vec<&String> = report.stories.iter().flat_map(|s| &s.notes).collect();
        assert!(notes.iter().any(|n| n.contains("not in English (de)")), "{notes:?}");
    }
}
