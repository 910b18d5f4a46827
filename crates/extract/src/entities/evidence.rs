//! What a whole article says about its capitals: which lines are Title Case
//! headlines or shouting, which words are capitalised mid-sentence, and where
//! a quotation holds a sentence start.

use super::*;

/// What the whole article says about its words, used to judge capitals.
pub(super) struct DocInfo<'k> {
    /// Per sentence: a headline-style line in Title Case.
    pub(super) title_case: Vec<bool>,
    /// Per sentence: written all in capitals (no evidence at all).
    pub(super) shouting: Vec<bool>,
    /// Keys of words seen capitalised where capitals mean something.
    pub(super) cap_mid: FxHashSet<&'k str>,
    /// Keys of sentence-initial capitalised words also seen in lower case.
    pub(super) lower_seen: FxHashSet<&'k str>,
}

/// Words that headline style leaves in lower case.
pub(super) static HEADLINE_LOWER: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "a an the and but or nor for so yet as at by in of off on per to up via vs v with from into onto over amid",
    )
});

/// Fraction of a sentence's longer words that must be capitalised for it to
/// read as a Title Case headline: ordinary prose with many names stays well
/// below (verbs and common nouns are lower case); headlines sit near 1.
pub(super) const TITLE_CASE_SHARE: f64 = 0.75;

/// Words shorter than this are ignored when judging Title Case, because
/// headline style leaves short function words ("of", "to", "and") in lower
/// case.
pub(super) const TITLE_CASE_MIN_LEN: usize = 4;

/// A line needs this many longer words before it can be judged a headline:
/// with fewer, one or two names make any fragment look like Title Case.
pub(super) const TITLE_CASE_MIN_WORDS: usize = 3;

impl<'k> DocInfo<'k> {
    pub(super) fn new(text: &str, toks: &[Tok], keys: &'k Keys) -> DocInfo<'k> {
        let n_sent = toks.last().map_or(0, |t| t.sent as usize + 1);
        let mut long = vec![0usize; n_sent];
        let mut caps = vec![0usize; n_sent];
        let mut uppers = vec![0usize; n_sent];
        for t in toks.iter().filter(|t| t.is_word()) {
            let w = t.text(text);
            let is_long =
                if w.is_ascii() { w.len() >= TITLE_CASE_MIN_LEN } else { w.chars().count() >= TITLE_CASE_MIN_LEN };
            if is_long {
                let s = t.sent as usize;
                long[s] += 1;
                caps[s] += t.cap as usize;
                uppers[s] += t.upper as usize;
            }
        }
        // Headline style capitalises every word but a few short function
        // words; prose always has some other word in lower case (a verb at
        // least: "met", "said"), however many names it holds.
        let mut prose = vec![false; n_sent];
        for (i, t) in toks.iter().enumerate() {
            if !prose[t.sent as usize] && t.is_word() && !t.cap && !in_list(&HEADLINE_LOWER, keys.get(i)) {
                prose[t.sent as usize] = true;
            }
        }
        let title_case: Vec<bool> = (0..n_sent)
            .map(|s| {
                !prose[s] && long[s] >= TITLE_CASE_MIN_WORDS && caps[s] as f64 >= TITLE_CASE_SHARE * long[s] as f64
            })
            .collect();
        let shouting: Vec<bool> =
            (0..n_sent).map(|s| long[s] >= TITLE_CASE_MIN_WORDS && uppers[s] == long[s]).collect();
        let mut cap_mid = FxHashSet::default();
        let mut initial_caps = FxHashSet::default();
        for (i, t) in toks.iter().enumerate() {
            if !t.is_word() || !t.cap {
                continue;
            }
            if t.initial || title_case[t.sent as usize] {
                initial_caps.insert(keys.get(i));
            } else {
                cap_mid.insert(keys.get(i));
            }
        }
        let mut lower_seen = FxHashSet::default();
        if !initial_caps.is_empty() {
            for (i, t) in toks.iter().enumerate() {
                if t.is_word() && !t.cap {
                    let k = keys.get(i);
                    if initial_caps.contains(k) {
                        lower_seen.insert(k);
                    }
                }
            }
        }
        DocInfo { title_case, shouting, cap_mid, lower_seen }
    }
}

/// The sentence splitter keeps a quotation that runs over several sentences
/// in one sentence; a capital after a full stop inside it is still only the
/// start of a sentence. Abbreviations ("Mr.", "Feb.", initials) do not end
/// sentences.
pub(super) fn mark_inner_sentence_starts(text: &str, toks: &mut [Tok], keys: &Keys) {
    for i in 1..toks.len().saturating_sub(1) {
        let t = toks[i];
        let ends = t.kind == Kind::Punct && matches!(text[t.start..].chars().next(), Some('.' | '!' | '?' | '…'));
        if !ends || toks[i + 1].glued || toks[i + 1].sent != t.sent {
            continue;
        }
        let prev = &toks[i - 1];
        let k = keys.get(i - 1);
        let abbreviation = prev.kind == Kind::Word
            && (k.chars().count() == 1
                || in_list(&HONORIFICS, k)
                || in_list(&ABBREVIATED_ROLES, k)
                || in_list(&CALENDAR, k)
                || matches!(k, "st" | "no" | "vs" | "inc" | "co" | "corp" | "ltd" | "jr" | "sr" | "mt" | "ft"));
        if !abbreviation {
            toks[i + 1].initial = true;
        }
    }
}
