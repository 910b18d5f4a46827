//! The link test of two units ([`super::units`]): their shared stems and
//! anchors, the wording, static and transformer bars, and which undecided
//! pairs the story's transformer budget embeds.

use rustc_hash::FxHashSet;

use super::units::{Units, View, sent_view};
use crate::agents::Agent;
use crate::story::Story;

/// Cosine at or above which two sentences of different articles report the
/// same thing on wording alone. 0.5 is the redundancy level of the centroid
/// and MMR literature: half the weighted vocabulary in common.
pub const STRONG: f32 = 0.5;

/// Cosine at or above which two sentences report the same thing when they
/// also share an entity or an exact number. Paraphrase and translation keep
/// names and figures but change most other words, so an anchor lowers the
/// bar; below 0.3 sentences share little beyond the story's topic.
pub const ANCHORED: f32 = 0.3;

/// Static-vector cosine (story topic taken out: [`Story::sem_cos`]) at or
/// above which two sentences that share an anchor and [`MIN_SHARED`]
/// stems report the same thing, however little of their wording they
/// share. Measured over every pair of sentences of different articles in
/// the stories of clustering-dev and the seeds, nearly all of which report
/// different things: the 99th percentile is 0.33–0.46 from story to story
/// (median 0.36). A story's articles share a statement in about one pair of
/// sentences in a hundred (a few dozen sentences each, a handful of
/// statements in common), so the bar sits at the top of that range: at most
/// one pair in a hundred passes on meaning alone, and the anchor and shared
/// stems must agree as well.
pub const SEM_ANCHORED: f32 = 0.45;

/// Transformer cosine (raw: [`Story::deep_known`]) at or above which two
/// sentences that pass every other test of a link (an anchor,
/// [`MIN_SHARED`] stems, no clashing agents) but fall short of both
/// [`ANCHORED`] and [`SEM_ANCHORED`] report the same thing. Set on
/// `chorus-semantic`'s `tests/pairs.tsv` (20 same-fact pairs, 20 pairs of
/// different statements of one story, mostly naming the same people): 19
/// of the 20 different pairs are below 0.75 (the 20th, 0.79, shares two
/// stems and fails [`MIN_SHARED`]), and 8 of the 20 same-fact pairs reach
/// it. The bar is at the top of the different pairs rather than between
/// the medians (0.45 and 0.74) because the cosine is raw: long sentences
/// of one story share its topic, which lifts the cosine of two different
/// statements above what short invented pairs show.
pub const DEEP_ANCHORED: f32 = 0.75;

/// [`DEEP_ANCHORED`] for a pair of which one or both units are clauses
/// ([`crate::clauses`]). Calibrated on `chorus-semantic`'s
/// `tests/clause-pairs.tsv` (30 same-statement and 30 different-statement
/// clause pairs of one story, most of the latter sharing a name or a
/// figure; none from the seeds): of the different pairs the transformer
/// would decide (static cosine under the clause bars) the highest is 0.62,
/// and the three different pairs above 0.75 ("the minister resigned" /
/// "refused to resign", 0.80) share most of their words, so the static
/// tier decides them before the transformer is asked. Checked on
/// clustering-dev, read by hand: at 0.75 the tier joined six clause pairs
/// there, four the same statement (0.757–0.886) and two not ("£159m from
/// the Premiership and £31m from the Football League" / "will net £50m",
/// 0.751; Najib "eager to bring some finality to the families" /
/// "appealed to the media to respect the privacy of the families",
/// 0.756). So the bar sits above the highest different pair seen, at 0.78:
/// a clause is short, and two short pieces of one story on the same
/// people read alike to the transformer more easily than two sentences.
/// A clause pair whose wording reaches the sentence bar [`ANCHORED`] is
/// held to [`DEEP_ANCHORED`] instead ([`deep_bar`]): both wrong links had
/// little wording in common (tf-idf cosine 0.12 and 0.27), the right ones
/// more (0.38 at 0.757).
pub const DEEP_CLAUSE: f32 = 0.78;

/// Eighths of a story's transformer budget kept for the units of pairs
/// with a clause ([`prepare_deep`]): 3 of 8, so that the default budget of
/// 64 texts gives sentence pairs the 40 they had before clauses were
/// asked about (and, at 40, reached every pair the sentence tier joins on
/// the seeds), and clause pairs 24 (with whatever the sentences leave).
/// Sentence pairs never lose budget to clauses, and what the sentence
/// tier decides is the same as with a budget of 40 for sentences alone.
pub const DEEP_CLAUSE_EIGHTHS: usize = 3;

/// The bars of [`STRONG`], [`ANCHORED`] and [`SEM_ANCHORED`] for a pair of
/// units of which one (`[0]`) or both (`[1]`) are clauses
/// ([`crate::clauses`]). A clause has few words, so a few shared ones give
/// a higher cosine than between two sentences: over the cross-article
/// pairs of clustering-dev and the seeds that share an anchor and
/// [`MIN_SHARED`] stems (almost all different statements), the median
/// tf-idf cosine is 0.12 between sentences, 0.15 with one clause, 0.20
/// between clauses (static, topic out: 0.22, 0.27, 0.34). Each bar is the
/// same quantile of its pairs as the sentence bar is of sentence pairs:
/// 0.5 / 0.3 / 0.45 pass 0.9 %, 5.5 % and 12 % of sentence pairs; the same
/// shares of pairs with one clause lie above 0.58 / 0.39 / 0.51, of pairs
/// of clauses above 0.83 / 0.53 / 0.60.
pub const CLAUSE_BARS: [(f32, f32, f32); 2] = [(0.58, 0.39, 0.51), (0.83, 0.53, 0.60)];

/// The (strong, anchored, semantic) bars for two units.
pub(super) fn bars(a: &View, b: &View) -> (f32, f32, f32) {
    match u8::from(a.clause) + u8::from(b.clause) {
        0 => (STRONG, ANCHORED, SEM_ANCHORED),
        k => CLAUSE_BARS[usize::from(k) - 1],
    }
}

/// How far apart two figures of one unit may be and still anchor a link
/// as rival reports of one quantity: outlets that disagree on a count or a
/// cost disagree within a factor of two (twelve or 14 injured, €4.5 or €6
/// million); figures further apart measure different things (a 400 km²
/// debris field and a 60,000 km² search zone).
pub const FIGURE_RATIO: f64 = 2.0;

/// Content stems two linked sentences must share: one or two shared words
/// are topic, not statement.
pub const MIN_SHARED: usize = 3;

/// Of the [`MIN_SHARED`] stems, those a pair linked on meaning alone
/// (static or transformer cosine; tf-idf cosine under its anchored bar)
/// must share outside the names in either ([`crate::story::Sent::names`])
/// and outside their attribution frames. Names weigh heavily in a short
/// sentence's static vector, so sentences that share only who they are
/// about ("Michelle Obama … her husband, Barack Obama") read alike to it
/// whatever they say; the shared name is already the link's anchor, and
/// what the two say in common must be in other words. One word beside
/// the names ("husband", "wife") is still topic: on clustering-dev such
/// links chained ten different sentences about Michelle Obama into one
/// fact; two are a predicate and its object ("step down … membership").
pub const MIN_SHARED_UNNAMED: usize = 2;

fn shared_terms(a: &[(u32, f32)], b: &[(u32, f32)]) -> usize {
    crate::sorted::common_by(a, b, |t| &t.0)
}

pub(super) fn shares_anchor(story: &Story, a: &View, b: &View) -> bool {
    if a.ents.iter().any(|e| b.ents.binary_search(e).is_ok()) {
        return true;
    }
    // A capital and its country ("in Riyadh" / "in Saudi Arabia").
    if a.seat_ents.iter().any(|e| b.ents.binary_search(e).is_ok())
        || b.seat_ents.iter().any(|e| a.ents.binary_search(e).is_ok())
    {
        return true;
    }
    // The same speaker, named or not ("she told reporters" after the
    // mayor's name): a quote's speaker is one of its sentence's entities.
    // A pronoun's referent counts here (and only here).
    let who = |g: Agent| g.speaker.or(g.subject).or(g.referent);
    let (xa, xb) = (who(a.agent), who(b.agent));
    if xa.is_some() && xa == xb {
        return true;
    }
    let na = &story.docs[a.doc].extraction.numbers;
    let nb = &story.docs[b.doc].extraction.numbers;
    // The same figure, or two figures of one unit other than a date
    // within [`FIGURE_RATIO`] of each other (a cost of €6 million and of
    // €4.5 million): what the sentences say must still agree, and when it
    // does the figures are one quantity reported two ways, which is what
    // the conflict finder compares.
    // A clause is short: a vague figure ("billions") in it names no
    // quantity of its own, and anchors nothing.
    let vague = |n: &chorus_extract::NumberSpan| (a.clause || b.clause) && n.approximate;
    a.nums.iter().any(|&i| {
        b.nums.iter().any(|&j| {
            let (x, y) = (na[i].value.abs(), nb[j].value.abs());
            !vague(&na[i])
                && !vague(&nb[j])
                && na[i].unit == nb[j].unit
                && (crate::numbers::same_value(na[i].value, nb[j].value)
                    || (!na[i].unit.is_empty()
                        && na[i].unit != "date"
                        && x.min(y) > 0.0
                        && x.max(y) <= FIGURE_RATIO * x.min(y)))
        })
    })
}

/// Similarity of two sentences as a link, or `None` when they do not report
/// the same thing. The two must not name different agents
/// ([`crate::agents`]): the same names and topic with someone else acting
/// or speaking is another statement, however many words they share. The strength is the larger of the wording and the
/// meaning score, so that links are merged best first on both: a sentence
/// that says the same thing in other words wins over one that shares more
/// words but says something else.
pub(crate) fn link(story: &Story, agents: &[Agent], frames: &[Vec<u32>], a: usize, b: usize) -> Option<f32> {
    link_views(story, &sent_view(story, agents, frames, a), &sent_view(story, agents, frames, b))
}

/// Content stems two units share that are in neither's names nor frames:
/// what they say in common beyond whom they name ([`MIN_SHARED_UNNAMED`]),
/// with a predicate class both use in different words ([`predicates`]).
fn unnamed_shared(a: &View, b: &View) -> usize {
    unnamed_stems(a, b) + predicates(a, b)
}

/// Paraphrase predicate classes ([`chorus_text::predicates`]: "accused" /
/// "blamed", "resign" / "leave office") two units use in different
/// words: each counts as one more shared stem outside names
/// ([`MIN_SHARED_UNNAMED`]); a class both use in the same words is in
/// their shared stems already. Not in [`MIN_SHARED`]: counted there too,
/// it joined "blamed both Biden and Zelensky for not stopping the war
/// sooner" to the fact of Trump accusing Ukraine of starting it (the
/// seeds beside clustering-dev's MH370 story, `bench-analysis`), a
/// different statement sharing two words and the class.
fn predicates(a: &View, b: &View) -> usize {
    chorus_text::predicates::shared_in_other_words(a.preds, b.preds)
}

pub(super) fn unnamed_stems(a: &View, b: &View) -> usize {
    let skip = |t: &u32| {
        a.frame.binary_search(t).is_ok()
            || b.frame.binary_search(t).is_ok()
            || a.names.binary_search(t).is_ok()
            || b.names.binary_search(t).is_ok()
    };
    let mut n = 0;
    crate::sorted::each_common_by(a.vec, b.vec, |t| &t.0, |t, _| n += usize::from(!skip(&t.0)));
    n
}

/// [`link`] for any two units (sentences or clauses).
pub(super) fn link_views(story: &Story, a: &View, b: &View) -> Option<f32> {
    let (shared, c) = content_overlap(a, b);
    if shared < MIN_SHARED {
        return None;
    }
    let s = chorus_semantic::dot(a.sem, b.sem);
    if a.agent.clashes(b.agent) {
        return None;
    }
    let (strong, anchored, sem) = bars(a, b);
    if c >= strong {
        return Some(link_strength(c, s));
    }
    // On meaning alone, the pair must share words beyond the names it
    // shares: names weigh heavily in a short sentence's vectors.
    if c < anchored && unnamed_shared(a, b) < MIN_SHARED_UNNAMED {
        return None;
    }
    // Paraphrase: few words in common beyond the anchor, the same meaning.
    if c >= anchored || s >= sem {
        return shares_anchor(story, a, b).then(|| link_strength(c, s));
    }
    // Left undecided by wording and static vectors: the transformer, when
    // [`cluster`] embedded both, on the same scale.
    let d = story.deep_known(a.deep, b.deep)?;
    let bar = deep_bar(a, b, c);
    (d >= bar && shares_anchor(story, a, b)).then(|| c.max(ANCHORED + (d - bar) * (1.0 - ANCHORED) / (1.0 - bar)))
}

/// The transformer bar of a pair left undecided by its static scores:
/// [`DEEP_ANCHORED`] for two sentences; for a pair with a clause
/// [`DEEP_CLAUSE`], or [`DEEP_ANCHORED`] when the pair's wording (tf-idf
/// cosine `c`, frames out) reaches the sentence bar [`ANCHORED`]. The
/// clause bars are raised because a short unit inflates each score on its
/// own (a few shared words, a few words of one topic); a transformer
/// cosine and a wording cosine that each reach their sentence bar are two
/// kinds of evidence agreeing, which is what the sentence bars ask of two
/// sentences. Measured on the clause pairs the transformer scored between
/// 0.75 and 0.78 (read by hand; none from the seeds): on clustering-dev
/// the one same statement has `c` 0.38 (NBC's $250m deal) and the two
/// different ones 0.12 and 0.27 (the two wrong links that kept the clause
/// bar at 0.78); on attribution-dev train read as stories, of the two
/// pairs at `c` ≥ 0.3 one is the same statement and one near it (the
/// Supreme Court's same-sex-marriage ruling; Sanders' support for a $15
/// minimum wage / his petition for it), while below 0.3 same and
/// different pairs are mixed (5 and 4) and keep the clause bar.
pub(super) fn deep_bar(a: &View, b: &View, c: f32) -> f32 {
    if (a.clause || b.clause) && c < ANCHORED { DEEP_CLAUSE } else { DEEP_ANCHORED }
}

/// How close to its static bar a pair comes that passes every test of
/// [`link`] but its scores (enough shared stems, agents that do not clash,
/// an anchor) and falls short of both its anchored and its semantic bar
/// ([`bars`]): the pairs the transformer decides, if the story's budget
/// reaches them. The key is the static cosine less the pair's semantic
/// bar, so that pairs of sentences and pairs with clauses (whose static
/// cosines run higher, [`CLAUSE_BARS`]) compete for the budget on one
/// scale: the same quantile of their kind.
fn undecided(story: &Story, a: &View, b: &View) -> Option<f32> {
    let (shared, c) = content_overlap(a, b);
    let s = chorus_semantic::dot(a.sem, b.sem);
    let (_, anchored, sem) = bars(a, b);
    (shared >= MIN_SHARED && c < anchored && s < sem && !a.agent.clashes(b.agent) && shares_anchor(story, a, b))
        .then_some(s - sem)
}

/// Embeds, in one batch, the units of the undecided pairs ([`undecided`])
/// as far as the story's transformer budget goes, the pairs with the
/// highest static cosine first (the likeliest to be one statement), so
/// that [`link`] can ask the transformer about them.
pub(super) fn prepare_deep(
    story: &Story,
    units: &Units,
    frames: &[Vec<u32>],
    agents: &[Agent],
    pairs: &[(usize, usize)],
) {
    let budget = story.deep_left();
    if budget == 0 {
        return;
    }
    let view = |u: usize| units.view(story, agents, frames, u);
    let mut grey: Vec<(f32, usize, usize)> =
        pairs.iter().filter_map(|&(i, j)| undecided(story, &view(i), &view(j)).map(|s| (s, i, j))).collect();
    grey.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut want: Vec<(usize, &str)> = Vec::new();
    let mut seen: FxHashSet<usize> = FxHashSet::default();
    // Pairs of sentences first, within their share; then pairs with a
    // clause, within the rest (and whatever the sentences left).
    let for_sentences = budget - budget * DEEP_CLAUSE_EIGHTHS / 8;
    for (clauses, cap) in [(false, for_sentences), (true, budget)] {
        for &(_, i, j) in &grey {
            if (units.whole[i] && units.whole[j]) == clauses {
                continue;
            }
            let new = [i, j].into_iter().filter(|&x| !seen.contains(&view(x).deep)).count();
            if want.len() + new > cap {
                break;
            }
            for x in [i, j] {
                if seen.insert(view(x).deep) {
                    want.push((view(x).deep, units.text(story, x)));
                }
            }
        }
    }
    story.deep_prepare_texts(want);
}

/// Mean transformer cosine between two groups' members, over the pairs
/// whose units are both embedded; `None` when none is.
pub(super) fn deep_mean(story: &Story, units: &Units, a: &[usize], b: &[usize]) -> Option<f32> {
    let (mut sum, mut n) = (0.0, 0usize);
    for &x in a {
        for &y in b {
            if let Some(d) = story.deep_known(units.deep_key(x), units.deep_key(y)) {
                sum += d;
                n += 1;
            }
        }
    }
    (n > 0).then(|| sum / n as f32)
}

/// Shared content stems and tf-idf cosine of two units, with their
/// attribution frames ([`crate::agents::agents`]) left out: what they say,
/// not who said it. A capital one names counts as its country's name
/// where the other writes that name ([`crate::story::Seat`]): the stem is
/// then shared, and part of the first unit's vector for this pair only.
fn content_overlap(a: &View, b: &View) -> (usize, f32) {
    let (va, vb) = (a.vec, b.vec);
    if a.frame.is_empty() && b.frame.is_empty() && a.seat_vec.is_empty() && b.seat_vec.is_empty() {
        let dot = crate::vectors::dot(va, vb);
        let c = if a.norm == 0.0 || b.norm == 0.0 { 0.0 } else { dot / (a.norm * b.norm) };
        return (shared_terms(va, vb), c);
    }
    let framed = |t: &u32| a.frame.binary_search(t).is_ok() || b.frame.binary_search(t).is_ok();
    let norm2 = |v: &[(u32, f32)]| v.iter().filter(|(t, _)| !framed(t)).map(|(_, w)| w * w).sum::<f32>();
    let (mut na2, mut nb2) = (norm2(va), norm2(vb));
    // Merge walks over sorted vectors, frame terms skipped: the written
    // terms the two share; then each one's seats against the other's
    // written terms, which join its own vector for this pair.
    let (mut shared, mut dot) = (0usize, 0f32);
    for (x, y, mut own) in [(va, vb, None), (a.seat_vec, vb, Some(&mut na2)), (b.seat_vec, va, Some(&mut nb2))] {
        crate::sorted::each_common_by(
            x,
            y,
            |t| &t.0,
            |p, q| {
                if !framed(&p.0) {
                    shared += 1;
                    dot += p.1 * q.1;
                    if let Some(o) = own.as_deref_mut() {
                        *o += p.1 * p.1;
                    }
                }
            },
        );
    }
    let (na, nb) = (na2.sqrt(), nb2.sqrt());
    (shared, if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na * nb) })
}

/// The strength of a link found on meaning: on the scale of the tf-idf
/// cosine, so that links are merged in one order, a paraphrase at the
/// semantic bar ranks with a wording link at the anchored bar.
fn link_strength(c: f32, s: f32) -> f32 {
    c.max(ANCHORED + (s - SEM_ANCHORED) * (1.0 - ANCHORED) / (1.0 - SEM_ANCHORED))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit with nothing in it, for the tests to fill.
    fn blank() -> View<'static> {
        View {
            doc: 0,
            vec: &[],
            norm: 0.0,
            ents: &[],
            names: &[],
            nums: &[],
            preds: &[],
            agent: Agent::default(),
            frame: &[],
            seat_vec: &[],
            seat_ents: &[],
            sem: &[],
            deep: 0,
            clause: false,
        }
    }

    #[test]
    fn a_clause_pair_whose_wording_reaches_the_sentence_bar_takes_the_sentence_transformer_bar() {
        let view = |clause: bool| View { clause, ..blank() };
        let (sentence, clause) = (view(false), view(true));
        // Two sentences: the sentence bar, whatever their wording.
        assert_eq!(deep_bar(&sentence, &sentence, 0.0), DEEP_ANCHORED);
        // A pair with a clause: the clause bar, unless the wording agrees
        // at the sentence level too.
        for (a, b) in [(&clause, &sentence), (&sentence, &clause), (&clause, &clause)] {
            assert_eq!(deep_bar(a, b, ANCHORED - 0.01), DEEP_CLAUSE);
            assert_eq!(deep_bar(a, b, ANCHORED), DEEP_ANCHORED);
        }
    }

    /// Stems of names and of attribution frames are not what two units
    /// say in common.
    #[test]
    fn shared_stems_beyond_names_and_frames_are_counted() {
        let view = |vec: &'static [(u32, f32)], names: &'static [u32], frame: &'static [u32]| View {
            vec,
            norm: 1.0,
            names,
            frame,
            ..blank()
        };
        // "Michelle Obama … her husband, Barack Obama" twice: names and
        // one word.
        let a = view(&[(1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0), (7, 1.0)], &[1, 2, 3], &[]);
        let b = view(&[(1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0), (8, 1.0)], &[1, 2], &[]);
        assert_eq!(unnamed_stems(&a, &b), 1);
        assert!(unnamed_stems(&a, &b) < MIN_SHARED_UNNAMED);
        // A name in one of them only is still a name; a frame stem is the
        // speaker's, not the statement's.
        let c = view(&[(1, 1.0), (3, 1.0), (4, 1.0), (5, 1.0), (6, 1.0)], &[], &[6]);
        let d = view(&[(1, 1.0), (3, 1.0), (4, 1.0), (5, 1.0), (6, 1.0)], &[3], &[]);
        assert_eq!(unnamed_stems(&c, &d), 3);
    }

    /// A capital one unit names counts as its country's name against a
    /// unit that writes that name ("in Riyadh" / "in Saudi Arabia"), and
    /// not against one that names the capital too: "Paris" twice is one
    /// shared name, not two.
    #[test]
    fn a_capital_is_its_country_against_the_country_only() {
        let view =
            |vec: &'static [(u32, f32)], seat_vec: &'static [(u32, f32)]| View { vec, norm: 1.0, seat_vec, ..blank() };
        // Stems 1-3 written by both; 9 is the country's name.
        let capital = view(&[(1, 1.0), (2, 1.0), (3, 1.0), (8, 1.0)], &[(9, 1.0)]);
        let country = view(&[(1, 1.0), (2, 1.0), (3, 1.0), (9, 1.0)], &[]);
        let neither = view(&[(1, 1.0), (2, 1.0), (3, 1.0), (7, 1.0)], &[]);
        let (shared, c) = content_overlap(&capital, &country);
        assert_eq!(shared, 4);
        // 4 matched of the capital's 5 (its seat now counts) and the country's 4.
        assert!((c - 4.0 / (5f32.sqrt() * 2.0)).abs() < 1e-5, "{c}");
        assert_eq!(content_overlap(&country, &capital), (shared, c));
        let (base, c0) = content_overlap(&capital, &neither);
        assert_eq!(base, 3);
        assert!((c0 - 0.75).abs() < 1e-5, "the seat is not in the vector: {c0}");
        // Both name the capital: the seat adds nothing.
        let other_capital = view(&[(1, 1.0), (2, 1.0), (3, 1.0), (8, 1.0)], &[(9, 1.0)]);
        assert_eq!(
            content_overlap(&capital, &other_capital),
            content_overlap(&capital, &view(&[(1, 1.0), (2, 1.0), (3, 1.0), (8, 1.0)], &[]))
        );
    }

    /// A predicate class two units express in different words ("resign" /
    /// "leave office") is one more shared stem; in the same words it is
    /// one of their stems already.
    #[test]
    fn a_predicate_class_in_other_words_is_a_shared_stem() {
        let view = |vec: &'static [(u32, f32)], preds: &'static [(u16, u16)]| View { vec, norm: 1.0, preds, ..blank() };
        let a = view(&[(1, 1.0), (2, 1.0), (3, 1.0)], &[(2, 0)]);
        let b = view(&[(1, 1.0), (2, 1.0), (4, 1.0)], &[(2, 5)]);
        assert_eq!(predicates(&a, &b), 1);
        assert_eq!(unnamed_shared(&a, &b), 3);
        let c = view(&[(1, 1.0), (2, 1.0), (3, 1.0)], &[(2, 0)]);
        assert_eq!(predicates(&a, &c), 0);
    }
}
