//! Quote variants: one utterance as each outlet worded it (translations,
//! truncations, paraphrase inside quotation marks), under one speaker.
//!
//! Quotes are compared by their content stems with the overlap coefficient
//! (shared stems over the smaller set), which treats a truncated quote as the
//! same utterance as the full one. Two quotes join when their speakers agree
//! (same story entity, or one unknown) and they overlap enough; groups merge
//! under average linkage so that two different sentences of one speech do
//! not chain into one "utterance".
//!
//! Outlets also paraphrase inside quotation marks, or translate one
//! utterance independently ("We will rebuild, whatever it takes" /
//! "Whatever it costs, the town is going to be rebuilt"): wordings that
//! share almost no stems. Such a pair is one utterance on meaning when both
//! quotes name the same speaker entity, the static-vector cosine with the
//! story's topic taken out reaches [`SEM_PARAPHRASE`], and each is the
//! other's closest quote by that speaker in the other's article. The
//! renderings then stay distinct wordings of one utterance, so a material
//! difference between them is a quote conflict. A link on meaning also
//! needs quotes of comparable length ([`RENDERING_LENGTH_RATIO`]), and the
//! story's links on meaning count only beyond what chance gives among the
//! pairs it compared ([`CHANCE_PARAPHRASE`]): a speaker quoted in many
//! articles of a large story passes the bar with different sentences.
//!
//! Stems are compared after number words are written as digits and
//! irregular past forms as their base ("ten generations … pay" / "paid by
//! 10 generations"); a short quote is one utterance with a long passage
//! only as a cut of it ([`PASSAGE_RATIO`], [`CUT_WORDS`]).
//!
//! Dates tell occasions apart: a speaker says alike things in speeches
//! weeks apart, and a later article quotes an utterance in an earlier
//! report's words. So two quotes of articles published more than
//! [`OCCASION_DAYS`] apart are one utterance only when one copies the
//! other's words (`wording::same_words`); undated quotes are never apart.
//!
//! The parts: `wording.rs` compares quotes by their words (content stems,
//! the overlap coefficient, verbatim cuts) and folds one utterance's quotes
//! into its distinct wordings; `meaning.rs` links renderings that share
//! few words by their centred static vectors, with the chance correction;
//! `group.rs` groups a story's quotes into utterances from both kinds of
//! link (`Groups`). This file holds the quote as they all read it (`Q`,
//! `collect`).

mod group;
mod meaning;
mod wording;

use chorus_text::Stemmer;
use chrono::NaiveDate;

use crate::story::Story;

pub(crate) use group::{Groups, group};
pub use meaning::{ADVERB_BASE, CHANCE_PARAPHRASE, HEAVY_WORD, RENDERING_LENGTH_RATIO, SEM_PARAPHRASE, WORD_MATCH};
pub use wording::{
    COPY_SHARE, CUT_WORDS, LIGHT_EDIT, MIN_OWN_WORDS, MIN_SHARED, OCCASION_DAYS, PASSAGE_RATIO, RUN_WORDS,
    SAME_UTTERANCE, SAME_UTTERANCE_IN_FACT, SHORT,
};
pub(crate) use wording::{normalized, wordings};
use wording::{runs_of, stems_of};

/// One quote of one article.
#[derive(Debug, Clone)]
pub(crate) struct Q<'a> {
    pub doc: usize,
    pub text: &'a str,
    pub cue: Option<&'a str>,
    /// Story entity id of the speaker, when known.
    pub speaker: Option<usize>,
    /// The speaker as the extractor named it, when it matched no entity.
    pub raw_speaker: Option<&'a str>,
    /// Sorted, unique content stems.
    pub stems: Vec<String>,
    /// The words as [`normalized`] gives them.
    pub norm: String,
    /// Its runs of [`RUN_WORDS`] words (`wording::runs_of`), less those
    /// the story's quotes of other speakers use too
    /// (`wording::drop_common_runs`).
    pub runs: Vec<String>,
    /// Its words of weight with their static vectors
    /// (`meaning::heavy_words`), read the first time a link on meaning
    /// asks: most quotes never reach that test, and a quote that does is
    /// compared with many.
    pub heavy: std::sync::OnceLock<Vec<(String, Vec<f32>)>>,
    pub sent: Option<usize>,
    /// Byte offsets of the quoted words in the article text.
    pub span: (usize, usize),
    /// Static vector of the quote with the story's topic taken out
    /// ([`Story::embed_centred`]).
    pub vec: Vec<f32>,
    /// The day its article was published, when the input gave one (a
    /// store's time of adding is no date of the words).
    pub day: Option<NaiveDate>,
}

pub(crate) fn collect<'a>(story: &Story<'a>) -> Vec<Q<'a>> {
    let mut out = quotes_of(story);
    wording::drop_common_runs(&mut out);
    out
}

fn quotes_of<'a>(story: &Story<'a>) -> Vec<Q<'a>> {
    let mut stemmer = Stemmer::default();
    let mut out = Vec::new();
    for (d, doc) in story.docs.iter().enumerate() {
        let text = doc.article.text.as_str();
        let day = doc.article.published.as_deref().and_then(crate::time::When::parse).map(|w| w.first);
        for q in &doc.extraction.quotes {
            let (s, e) = (q.start.min(text.len()), q.end.min(text.len()));
            let Some(t) = text.get(s..e) else { continue };
            if t.trim().is_empty() {
                continue;
            }
            let speaker = q.speaker.as_deref().and_then(|n| story.entity_of(n));
            let sent = story.by_doc[d].clone().find(|&i| story.sents[i].start <= s && s < story.sents[i].end);
            let norm = normalized(t);
            out.push(Q {
                doc: d,
                text: t.trim(),
                cue: q.cue.as_deref(),
                speaker,
                raw_speaker: q.speaker.as_deref().filter(|_| speaker.is_none()),
                stems: stems_of(t, &mut stemmer),
                runs: runs_of(&norm),
                norm,
                heavy: Default::default(),
                sent,
                span: (s, e),
                vec: story.embed_centred(t),
                day,
            });
        }
    }
    out
}

/// Quotes and stories the tests of the parts share.
#[cfg(test)]
mod fixtures {
    use chorus_text::Stemmer;
    use rustc_hash::FxHashMap;

    use super::Q;
    use super::wording::{normalized, runs_of, stems_of};

    pub(super) fn q(doc: usize, text: &'static str, speaker: Option<usize>) -> Q<'static> {
        let mut st = Stemmer::default();
        let norm = normalized(text);
        Q {
            doc,
            text,
            cue: Some("said"),
            speaker,
            raw_speaker: None,
            stems: stems_of(text, &mut st),
            runs: runs_of(&norm),
            norm,
            heavy: Default::default(),
            sent: None,
            span: (0, 0),
            vec: chorus_semantic::embed(text),
            day: None,
        }
    }

    /// The invented utterances of `testdata/quote_utterances.txt`, one
    /// story per speaker, the k-th rendering of each utterance in outlet k.
    pub(super) fn utterance_stories() -> Vec<(String, Vec<crate::testkit::Art>)> {
        use crate::testkit::Art;
        use chorus_model::EntityKind;
        let data = include_str!("../../testdata/quote_utterances.txt");
        let mut out = Vec::new();
        for block in data.split("\n== ").skip(1) {
            let mut lines = block.lines();
            let speaker = lines.next().unwrap().trim().to_string();
            let surname = speaker.rsplit(' ').next().unwrap().to_string();
            let mut ctx = Vec::new();
            let mut utts: Vec<(usize, String)> = Vec::new();
            for l in lines.filter(|l| !l.trim().is_empty()) {
                if let Some(c) = l.strip_prefix("ctx: ") {
                    ctx.push(c.to_string());
                } else {
                    let (n, t) = l.split_once(": ").unwrap();
                    utts.push((n.parse().unwrap(), t.to_string()));
                }
            }
            let mut outlets: Vec<Vec<String>> = Vec::new();
            let mut seen: FxHashMap<usize, usize> = FxHashMap::default();
            for (n, t) in &utts {
                let k = seen.entry(*n).or_insert(0);
                if outlets.len() <= *k {
                    outlets.push(Vec::new());
                }
                outlets[*k].push(t.clone());
                *k += 1;
            }
            let arts = outlets
                .iter()
                .enumerate()
                .map(|(k, qs)| {
                    let mut text = ctx.join("\n");
                    for q in qs {
                        text.push_str(&format!("\n“{q}” {surname} said."));
                    }
                    let mut a = Art::new(&format!("{surname}{k}"), &text);
                    for (i, q) in qs.iter().enumerate() {
                        a = a.entity(&format!("” {surname}"), i, &speaker, EntityKind::Person, None);
                        a = a.quote(q, Some(&speaker));
                    }
                    a
                })
                .collect();
            out.push((speaker, arts));
        }
        out
    }
}
