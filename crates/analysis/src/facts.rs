//! Facts: sentences from different articles that report the same thing,
//! grouped, with the articles behind each.
//!
//! Two sentences are linked when their tf-idf cosine is high, or moderately
//! high *and* they share an anchor (the same story entity, or the same
//! number with the same unit); either way they must share several content
//! stems, so that two sentences agreeing only on "said" and "Sunday" never
//! make a fact. Links are merged greedily, strongest first, under average
//! linkage and with at most one sentence per article in a fact, which keeps
//! clusters from chaining across a long story. Copies and syndicated
//! rewrites are attached afterwards to the fact their sentence matches:
//! they are listed but never create or enlarge support on their own.
//!
//! What is linked are units ([`Units`]): each sentence whole and, for a
//! sentence of several clauses ([`crate::clauses`]), each clause, held to
//! stricter bars ([`CLAUSE_BARS`]); a sentence is in every fact one of its
//! units joined, so a statement two outlets share aligns even when the rest
//! of their sentences differs.

use chorus_model::{Fact, Mention};
use rustc_hash::{FxHashMap, FxHashSet};

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
fn bars(a: &View, b: &View) -> (f32, f32, f32) {
    match u8::from(a.clause) + u8::from(b.clause) {
        0 => (STRONG, ANCHORED, SEM_ANCHORED),
        k => CLAUSE_BARS[usize::from(k) - 1],
    }
}

/// Links a second sentence of an article needs to the other articles'
/// sentences of a fact to join it as a restatement ([`restatements`]): one
/// link is a pair, which may be chance; two other articles agreeing is a
/// fact.
pub const RESTATE_LINKS: usize = 2;

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

/// Sentences shorter than this are headlines, datelines or fragments; they
/// are not facts.
pub const MIN_WORDS: usize = 5;

/// Posting lists shorter than this are always used to find candidate
/// pairs, whatever the story's size: in a small story every stem is in a
/// large share of the sentences.
const COMMON_POSTING: usize = 60;

/// Independent articles, in story order, whose sentences are clustered into
/// facts with one another; later independent articles are matched against
/// those facts (as copies are), adding their support, and what they alone
/// say becomes their own unique facts. A hundred independent accounts of one
/// event carry what there is to say about it, and a coverage matrix of more
/// columns is past reading; the bound keeps a story of thousands of articles
/// near-linear instead of quadratic in its sentences.
pub const CORE_ARTICLES: usize = 100;

/// A sentence outside the core reads at most this many entries (the most
/// recent) of each stem's list when it looks for its fact, and computes
/// exact cosines with at most [`MAX_CANDIDATES`] sentences, those sharing
/// the most stems with it: a story of thousands of articles then costs the
/// same per sentence as one of a hundred.
const MAX_SCAN: usize = 512;
const MAX_CANDIDATES: usize = 64;

/// Pairs of units, on average per unit, that the core's stems may propose
/// ([`shared_stems`]). Stories of ordinary articles stay below it (the
/// 10,000-article coverage stream's report is the same with and without
/// it; a stem list of length `l` proposes `l²/2` pairs, and lists past a
/// tenth of the units are skipped anyway), but a story of very long articles, hundreds
/// of sentences each, has lists of thousands of units that are still under
/// a tenth: they proposed hundreds of millions of pairs, gigabytes and
/// tens of seconds for one story of 239 articles. With the bound, the cost
/// of a story's pairs is linear in its units whatever its articles' length.
const PAIR_BUDGET: usize = 1024;

/// A fact as the analysis keeps it: sentence indices into the story table.
#[derive(Debug, Clone)]
pub(crate) struct Cluster {
    /// Sentence indices, at most one per article.
    pub members: Vec<usize>,
    /// The representative sentence.
    pub rep: usize,
    /// Independent articles behind it.
    pub support: usize,
    /// Members in this fact by a clause only ([`crate::clauses`]): the
    /// rest of their sentence says more, so they represent the fact only
    /// when no member says it whole.
    pub by_clause: Vec<usize>,
    /// For an article's own fact whose sentence other outlets report in
    /// part: the byte ranges of the clauses only it reports, which are
    /// the fact's text (empty: the representative sentence is). For a
    /// shared fact whose representative is in it by a clause: that clause.
    pub part: Vec<(usize, usize)>,
    /// For each member in the fact by a clause, the byte ranges of its
    /// clauses the fact holds (sorted by sentence).
    pub clause_spans: Vec<(usize, Vec<(usize, usize)>)>,
}

/// The facts of a story and, for each sentence, its fact.
pub(crate) struct Facts {
    pub clusters: Vec<Cluster>,
    pub of_sent: Vec<Option<usize>>,
    /// Each sentence's agent and attribution frame ([`crate::agents`]),
    /// kept so that later stages ask [`Facts::says_same`] without
    /// recomputing them.
    pub agents: Vec<Agent>,
    pub frames: Vec<Vec<u32>>,
}

impl Facts {
    /// Whether two sentences say the same thing on their own, in the same
    /// words or in others: the test of one link. A fact can be broader (it
    /// grows by average linkage), so a stage that needs two sentences to
    /// state one thing, such as a date conflict, asks this of the pair.
    pub fn says_same(&self, story: &Story, a: usize, b: usize) -> bool {
        story.cos(a, b) >= STRONG || link(story, &self.agents, &self.frames, a, b).is_some()
    }
}

fn shared_terms(a: &[(u32, f32)], b: &[(u32, f32)]) -> usize {
    crate::sorted::common_by(a, b, |t| &t.0)
}

fn shares_anchor(story: &Story, a: &View, b: &View) -> bool {
    if a.ents.iter().any(|e| b.ents.binary_search(e).is_ok()) {
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

/// What a link test reads of a sentence or of one of its clauses
/// ([`Unit`]): its stems, names, figures, agent, attribution frame and
/// static vector, and its key for the transformer ([`Story::deep_known`]).
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    doc: usize,
    vec: &'a [(u32, f32)],
    norm: f32,
    ents: &'a [usize],
    names: &'a [u32],
    nums: &'a [usize],
    agent: Agent,
    frame: &'a [u32],
    sem: &'a [f32],
    deep: usize,
    clause: bool,
}

/// A sentence as a link test reads it.
fn sent_view<'a>(story: &'a Story, agents: &[Agent], frames: &'a [Vec<u32>], i: usize) -> View<'a> {
    let s = &story.sents[i];
    let d = story.sem_dims;
    View {
        doc: s.doc,
        vec: &s.vec,
        norm: s.norm,
        ents: &s.ents,
        names: &s.names,
        nums: &s.nums,
        agent: agents[i],
        frame: &frames[i],
        sem: &story.sem_centred[i * d..(i + 1) * d],
        deep: i,
        clause: false,
    }
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
/// what they say in common beyond whom they name ([`MIN_SHARED_UNNAMED`]).
/// Two different verbs of one paraphrase class ([`Story::predicate`]:
/// "accused" / "blamed") count as one shared stem.
fn unnamed_shared(story: &Story, a: &View, b: &View) -> usize {
    let classes = |v: &View| -> Vec<u16> {
        let mut c: Vec<u16> = v.vec.iter().filter_map(|t| story.predicate.get(&t.0).copied()).collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let (ca, cb) = (classes(a), classes(b));
    let both_classes = crate::sorted::common_by(&ca, &cb, |k| k);
    // A class both use with the same stem is already a shared stem.
    let same_stem = a
        .vec
        .iter()
        .filter(|t| story.predicate.contains_key(&t.0) && b.vec.binary_search_by_key(&t.0, |x| x.0).is_ok())
        .count();
    unnamed_stems(a, b) + both_classes.saturating_sub(same_stem)
}

fn unnamed_stems(a: &View, b: &View) -> usize {
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
fn link_views(story: &Story, a: &View, b: &View) -> Option<f32> {
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
    if c < anchored && unnamed_shared(story, a, b) < MIN_SHARED_UNNAMED {
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
fn deep_bar(a: &View, b: &View, c: f32) -> f32 {
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
fn prepare_deep(story: &Story, units: &Units, frames: &[Vec<u32>], agents: &[Agent], pairs: &[(usize, usize)]) {
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
fn deep_mean(story: &Story, units: &Units, a: &[usize], b: &[usize]) -> Option<f32> {
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
/// not who said it.
fn content_overlap(a: &View, b: &View) -> (usize, f32) {
    let (va, vb) = (a.vec, b.vec);
    if a.frame.is_empty() && b.frame.is_empty() {
        let dot = crate::vectors::dot(va, vb);
        let c = if a.norm == 0.0 || b.norm == 0.0 { 0.0 } else { dot / (a.norm * b.norm) };
        return (shared_terms(va, vb), c);
    }
    let framed = |t: &u32| a.frame.binary_search(t).is_ok() || b.frame.binary_search(t).is_ok();
    let norm = |v: &[(u32, f32)]| v.iter().filter(|(t, _)| !framed(t)).map(|(_, w)| w * w).sum::<f32>().sqrt();
    // One merge walk over the two sorted vectors, frame terms skipped.
    let (mut shared, mut dot) = (0usize, 0f32);
    crate::sorted::each_common_by(
        va,
        vb,
        |t| &t.0,
        |x, y| {
            if !framed(&x.0) {
                shared += 1;
                dot += x.1 * y.1;
            }
        },
    );
    let (na, nb) = (norm(va), norm(vb));
    (shared, if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na * nb) })
}

/// Whether two groups' speakers (or subjects), each the one its members
/// name if any, differ.
fn roles_clash(a: Option<usize>, b: Option<usize>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x != y)
}

/// The strength of a link found on meaning: on the scale of the tf-idf
/// cosine, so that links are merged in one order, a paraphrase at the
/// semantic bar ranks with a wording link at the anchored bar.
fn link_strength(c: f32, s: f32) -> f32 {
    c.max(ANCHORED + (s - SEM_ANCHORED) * (1.0 - ANCHORED) / (1.0 - SEM_ANCHORED))
}

/// A sentence's words, lower-cased, hashed: verbatim copies share it.
fn text_key(text: &str) -> u64 {
    let mut buf = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        buf.extend(w.chars().flat_map(char::to_lowercase));
        buf.push(' ');
    }
    xxhash_rust::xxh3::xxh3_64(buf.as_bytes())
}

fn eligible(story: &Story, i: usize) -> bool {
    let s = &story.sents[i];
    s.words >= MIN_WORDS && s.vec.len() >= MIN_SHARED && is_statement(s.text)
}

/// Whether a sentence ends like a statement. Headings and subheadings
/// ("Talks Over Security and Resources") carry no final punctuation; they
/// label a section rather than report something.
pub(crate) fn is_statement(text: &str) -> bool {
    text.trim_end()
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | '”' | '"' | '’' | '\'' | ')' | ':' | ';'))
}

/// The units facts link: every candidate sentence whole, and each clause
/// of a sentence of several clauses ([`crate::clauses`]), with what a link
/// test reads of them. A clause carries its own stems (weighed with the
/// story's idf), names, figures and static vector; its agent is the
/// sentence's speaker, else an entity opening the clause.
pub(crate) struct Units {
    pub sent: Vec<usize>,
    pub whole: Vec<bool>,
    vecs: Vec<SparseVecOwned>,
    ents: Vec<Vec<usize>>,
    nums: Vec<Vec<usize>>,
    agents: Vec<Agent>,
    /// Clause byte ranges in their article (whole units: the sentence's).
    spans: Vec<(usize, usize)>,
    /// Static vectors of the clause units, story mean taken out, `dims`
    /// floats each, by unit index (whole units read the story's).
    sem: Vec<f32>,
    sem_of: Vec<Option<usize>>,
    n_sents: usize,
}

type SparseVecOwned = (Vec<(u32, f32)>, f32);

impl Units {
    fn build(story: &Story, agents: &[Agent], cands: &[usize]) -> Units {
        let mut u = Units {
            sent: Vec::new(),
            whole: Vec::new(),
            vecs: Vec::new(),
            ents: Vec::new(),
            nums: Vec::new(),
            agents: Vec::new(),
            spans: Vec::new(),
            sem: Vec::new(),
            sem_of: Vec::new(),
            n_sents: story.sents.len(),
        };
        for &i in cands {
            let s = &story.sents[i];
            u.sent.push(i);
            u.whole.push(true);
            u.vecs.push((Vec::new(), s.norm));
            u.ents.push(Vec::new());
            u.nums.push(Vec::new());
            u.agents.push(agents[i]);
            u.spans.push((s.start, s.end));
            u.sem_of.push(None);
            let content: Vec<bool> = s.toks.iter().map(|t| t.1).collect();
            let d = s.doc;
            let clauses = crate::clauses::split(s.text, &content, |o| story.is_quoted(d, s.start + o, s.start + o));
            if clauses.is_empty() {
                continue;
            }
            let ex = story.docs[d].extraction;
            let text = story.docs[d].article.text.as_str();
            for (k, c) in clauses.iter().enumerate() {
                let (start, end) = (s.start + c.start, s.start + c.end);
                let terms: Vec<u32> = s.toks[c.from..c.to].iter().filter(|t| t.1).map(|t| t.0).collect();
                let mut v = crate::vectors::tf(&terms);
                for (t, w) in v.iter_mut() {
                    *w *= story.idf[*t as usize];
                }
                let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
                // Mentions inside the clause, in text order.
                let mut mentions: Vec<(usize, usize, usize)> = ex
                    .entities
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.start >= start && e.end <= end)
                    .filter_map(|(m, e)| story.mention_ids[d].get(m).map(|&id| (e.start, e.end, id)))
                    .collect();
                mentions.sort_unstable();
                let mut ents: Vec<usize> = mentions.iter().map(|m| m.2).collect();
                ents.sort_unstable();
                ents.dedup();
                let nums: Vec<usize> = s
                    .nums
                    .iter()
                    .copied()
                    .filter(|&n| ex.numbers[n].start >= start && ex.numbers[n].start < end)
                    .collect();
                let agent = match agents[i] {
                    Agent { speaker: Some(_), .. } => agents[i],
                    Agent { subject: Some(x), .. } if k == 0 && ents.contains(&x) => agents[i],
                    // A clause without a subject of its own ("…, adding
                    // that", "… and claimed") has the sentence's.
                    _ => Agent {
                        speaker: None,
                        subject: relative_antecedent(story, d, text, start)
                            .or_else(|| clause_subject(text, start, &mentions))
                            .or(agents[i].subject),
                        referent: agents[i].referent,
                    },
                };
                u.sent.push(i);
                u.whole.push(false);
                u.vecs.push((v, norm));
                u.ents.push(ents);
                u.nums.push(nums);
                u.agents.push(agent);
                u.spans.push((start, end));
                u.sem_of.push(Some(u.sem.len() / story.sem_dims.max(1)));
                u.sem.extend(story.embed_centred(crate::story::slice(text, start, end)));
            }
        }
        u
    }

    pub fn len(&self) -> usize {
        self.sent.len()
    }

    fn view<'a>(&'a self, story: &'a Story, agents: &[Agent], frames: &'a [Vec<u32>], u: usize) -> View<'a> {
        let i = self.sent[u];
        if self.whole[u] {
            return sent_view(story, agents, frames, i);
        }
        let d = story.sem_dims;
        let k = self.sem_of[u].unwrap_or(0);
        View {
            doc: story.sents[i].doc,
            vec: &self.vecs[u].0,
            norm: self.vecs[u].1,
            ents: &self.ents[u],
            names: &story.sents[i].names,
            nums: &self.nums[u],
            agent: self.agents[u],
            frame: &frames[i],
            sem: &self.sem[k * d..(k + 1) * d],
            deep: self.deep_key(u),
            clause: true,
        }
    }

    /// The unit's tf-idf vector, unit length (whole units: the sentence's).
    fn unit_vec(&self, story: &Story, u: usize) -> Vec<(u32, f32)> {
        let (v, norm) = if self.whole[u] {
            let s = &story.sents[self.sent[u]];
            (&s.vec, s.norm)
        } else {
            (&self.vecs[u].0, self.vecs[u].1)
        };
        let inv = if norm > 0.0 { 1.0 / norm } else { 0.0 };
        v.iter().map(|&(t, w)| (t, w * inv)).collect()
    }

    fn sem_row<'a>(&'a self, story: &'a Story, u: usize) -> &'a [f32] {
        let d = story.sem_dims;
        match self.sem_of[u] {
            Some(k) => &self.sem[k * d..(k + 1) * d],
            None => &story.sem_centred[self.sent[u] * d..(self.sent[u] + 1) * d],
        }
    }

    /// The unit's key for the transformer tier: a whole sentence under its
    /// index (so that [`Facts::says_same`] reads the same vectors), a
    /// clause past the last sentence.
    fn deep_key(&self, u: usize) -> usize {
        if self.whole[u] { self.sent[u] } else { self.n_sents + u }
    }

    fn text<'a>(&self, story: &Story<'a>, u: usize) -> &'a str {
        let i = self.sent[u];
        let d = story.sents[i].doc;
        crate::story::slice(story.docs[d].article.text.as_str(), self.spans[u].0, self.spans[u].1)
    }
}

/// The antecedent of a relative clause ("…, Pete Hegseth, who dismissed
/// the idea…"): the entity whose mention ends at most three words before
/// the comma that opens a clause starting with "who" or "whose". It, not a name inside
/// the clause, is who acts in it.
fn relative_antecedent(story: &Story, d: usize, text: &str, start: usize) -> Option<usize> {
    let head = crate::story::word_tokens(crate::story::slice(text, start, text.len()), 0).next()?.2.to_lowercase();
    if !matches!(head.as_str(), "who" | "whose") {
        return None;
    }
    let ex = story.docs[d].extraction;
    let (m, _) = ex.entities.iter().enumerate().filter(|(_, e)| e.end <= start).max_by_key(|(_, e)| e.end)?;
    // The name, then at most a few words of time or place ("Pete Hegseth
    // earlier this month, who…"), then the comma.
    let gap = crate::story::slice(text, ex.entities[m].end, start).trim_end();
    let near = gap.ends_with(',') && crate::story::word_tokens(gap, 0).count() <= 3;
    near.then(|| story.mention_ids[d].get(m).copied()).flatten()
}

/// The entity that opens a clause after at most one lower-case word and
/// capitalised ones ("with Trump accusing…", "U.S. Defense Secretary Pete
/// Hegseth rejected…"): the name right before the clause's first
/// lower-case word, unless it is a possessive. The clause's subject, as
/// [`crate::agents`] finds a sentence's.
fn clause_subject(text: &str, start: usize, mentions: &[(usize, usize, usize)]) -> Option<usize> {
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    for &(ms, me, id) in mentions {
        let before: Vec<&str> =
            crate::story::word_tokens(crate::story::slice(text, start, ms), 0).map(|w| w.2).collect();
        if before.iter().skip(1).any(|w| !capital(w)) {
            return None;
        }
        let rest = crate::story::slice(text, me, text.len());
        if rest.starts_with("'s") || rest.starts_with("’s") || rest.starts_with('\'') || rest.starts_with('’') {
            return None;
        }
        let next = crate::story::word_tokens(rest, 0).next().map(|w| w.2);
        match next {
            Some(w) if !capital(w) => return Some(id),
            Some(_) => continue,
            None => return None,
        }
    }
    None
}

/// Per doc, whether it is one of the first [`CORE_ARTICLES`] independent
/// articles of the story: those are compared pairwise; the others are
/// matched against what they found.
pub(crate) fn core_docs(story: &Story) -> Vec<bool> {
    let mut core = vec![false; story.docs.len()];
    for (d, _) in story.docs.iter().enumerate().filter(|(_, d)| d.independent).take(CORE_ARTICLES) {
        core[d] = true;
    }
    core
}

/// For each pair of units of different articles that share a stem, how many
/// stems they share, found through an inverted index of stems so that units
/// with nothing in common are never compared.
fn shared_stems(unit_vecs: &[Vec<(u32, f32)>], doc_of: &dyn Fn(usize) -> usize) -> FxHashMap<(usize, usize), u32> {
    let nu = unit_vecs.len();
    let mut postings: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (u, v) in unit_vecs.iter().enumerate() {
        for &(t, _) in v {
            postings.entry(t).or_default().push(u);
        }
    }
    let mut shared: FxHashMap<(usize, usize), u32> = FxHashMap::default();
    // Rarest stems first, so that when the pair budget runs out it is the
    // commonest stems, the least telling, that are left out.
    let mut lists: Vec<(u32, &Vec<usize>)> = postings.iter().map(|(&t, l)| (t, l)).collect();
    lists.sort_unstable_by_key(|&(t, l)| (l.len(), t));
    let mut budget = PAIR_BUDGET * nu;
    for (_, list) in lists {
        // A stem in a tenth of the units or more (the story's own topic)
        // links everything to everything and decides nothing: pairs are
        // found through their rarer stems, and [`link`] still weighs every
        // shared stem.
        let pairs_here = list.len() * list.len().saturating_sub(1) / 2;
        if list.len() > COMMON_POSTING.max(nu / 10) || pairs_here > budget {
            break;
        }
        budget -= pairs_here;
        for (x, &i) in list.iter().enumerate() {
            for &j in &list[x + 1..] {
                if doc_of(i) != doc_of(j) {
                    *shared.entry((i, j)).or_insert(0) += 1;
                }
            }
        }
    }
    shared
}

/// Groups the sentences of a story into facts.
pub(crate) fn cluster(story: &Story) -> Facts {
    let n = story.sents.len();
    let core_docs = core_docs(story);
    let (agents, frames) = crate::agents::agents(story);
    let core = |i: usize| story.sents[i].independent && core_docs[story.sents[i].doc];
    let cands: Vec<usize> = (0..n).filter(|&i| core(i) && eligible(story, i)).collect();
    // Units: each candidate sentence whole, and the clauses of those with
    // several ([`Units`]).
    let units = Units::build(story, &agents, &cands);
    let nu = units.len();
    let doc_of = |u: usize| story.sents[units.sent[u]].doc;
    // Candidate pairs through an inverted index of stems, so that units
    // with nothing in common are never compared.
    let unit_vecs: Vec<Vec<(u32, f32)>> = (0..nu).map(|u| units.unit_vec(story, u)).collect();
    let shared = shared_stems(&unit_vecs, &doc_of);
    // A pair with a clause shares at least two of the rarer stems: a
    // clause is short, and one rare word with the story's topic words is
    // no statement in common (this keeps the pairs of a story's units
    // near the number its sentences alone make).
    let mut pairs: Vec<(usize, usize)> = shared
        .into_iter()
        .filter(|&((i, j), k)| k >= 2 || (units.whole[i] && units.whole[j]))
        .map(|(p, _)| p)
        .collect();
    pairs.sort_unstable();
    prepare_deep(story, &units, &frames, &agents, &pairs);
    let view = |u: usize| units.view(story, &agents, &frames, u);
    let mut edges: Vec<(f32, usize, usize)> =
        pairs.iter().filter_map(|&(i, j)| link_views(story, &view(i), &view(j)).map(|c| (c, i, j))).collect();
    edges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    // Greedy average-link merging of units with one sentence per article
    // (a sentence may be there whole and by its clauses). The mean cosine
    // between two groups is the dot product of their sums of unit vectors
    // divided by the product of their sizes, so each group keeps that sum
    // (and its articles) instead of comparing every pair of members:
    // merging stays cheap in stories of thousands of sentences.
    let mut group: Vec<usize> = (0..nu).collect();
    let mut members: Vec<Vec<usize>> = (0..nu).map(|u| vec![u]).collect();
    let mut sums: Vec<FxHashMap<u32, f32>> = unit_vecs.into_iter().map(|v| v.into_iter().collect()).collect();
    // Each group's articles, each with the one sentence it holds of it.
    let mut docs: Vec<FxHashMap<usize, usize>> =
        (0..nu).map(|u| std::iter::once((doc_of(u), units.sent[u])).collect()).collect();
    // Each group's speaker and subject: the one its members name, if any.
    let mut roles: Vec<(Option<usize>, Option<usize>)> =
        (0..nu).map(|u| (units.agents[u].speaker, units.agents[u].subject)).collect();
    // The same for the static vectors (topic taken out): two groups whose
    // wording differs may still mean the same, on average.
    let mut sem_sums: Vec<Vec<f32>> = (0..nu).map(|u| units.sem_row(story, u).to_vec()).collect();
    for &(_, i, j) in &edges {
        let (gi, gj) = (group[i], group[j]);
        if gi == gj {
            continue;
        }
        // Two groups that name different speakers, or different subjects,
        // stay apart. (A speaker and a subject do not clash here: "Ukraine
        // reported the largest drone attack" and "Russia launched a record
        // 267 drones" are joined by a third wording; two sentences are held
        // to [`link`]'s stricter test.)
        let (ri, rj) = (roles[gi], roles[gj]);
        if roles_clash(ri.0, rj.0) || roles_clash(ri.1, rj.1) {
            continue;
        }
        // One sentence per article: two groups holding different sentences
        // of one article stay apart. Groups holding the same sentence (one
        // whole, one by a clause) may merge through a link of two other
        // articles, but a unit never joins a group that holds its own
        // sentence in another form: a whole sentence whose clause found its
        // fact must find its own, not follow the clause.
        if docs[gj].contains_key(&doc_of(i)) || docs[gi].contains_key(&doc_of(j)) {
            continue;
        }
        let (small_d, large_d) = if docs[gi].len() <= docs[gj].len() { (gi, gj) } else { (gj, gi) };
        if docs[small_d].iter().any(|(d, s)| docs[large_d].get(d).is_some_and(|t| t != s)) {
            continue;
        }
        let (small_s, large_s) = if sums[gi].len() <= sums[gj].len() { (gi, gj) } else { (gj, gi) };
        let total: f32 = sums[small_s].iter().filter_map(|(t, w)| sums[large_s].get(t).map(|v| w * v)).sum();
        let pairs = (members[gi].len() * members[gj].len()) as f32;
        if total / pairs < ANCHORED
            && chorus_semantic::dot(&sem_sums[gi], &sem_sums[gj]) / pairs < SEM_ANCHORED
            && deep_mean(story, &units, &members[gi], &members[gj]).is_none_or(|d| d < DEEP_ANCHORED)
        {
            continue;
        }
        let (keep, gone) = if members[gi].len() >= members[gj].len() { (gi, gj) } else { (gj, gi) };
        let moved = std::mem::take(&mut members[gone]);
        for &x in &moved {
            group[x] = keep;
        }
        members[keep].extend(moved);
        let gone_sum = std::mem::take(&mut sums[gone]);
        for (t, w) in gone_sum {
            *sums[keep].entry(t).or_insert(0.0) += w;
        }
        let gone_sem = std::mem::take(&mut sem_sums[gone]);
        for (k, g) in sem_sums[keep].iter_mut().zip(gone_sem) {
            *k += g;
        }
        roles[keep] = (ri.0.or(rj.0), ri.1.or(rj.1));
        let gone_docs = std::mem::take(&mut docs[gone]);
        docs[keep].extend(gone_docs);
    }
    restatements(story, &units, &edges, &mut group, &mut members, &docs);
    absorb_repeats(story, &units, &mut group, &mut members, &roles);

    // Facts: every multi-article group, as its sentences; then every
    // eligible sentence of an independent article that no such group holds
    // whole or by all its clauses (that article's own contribution). A
    // sentence held by its clauses may be in several facts; its own fact
    // (`of_sent`) is the one holding it whole, else its best supported.
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut of_sent = vec![None; n];
    let mut fact_of_unit: Vec<Option<usize>> = vec![None; nu];
    // A group of clauses whose sentences another group already holds whole
    // says again what that group says: its clauses belong to that fact.
    let whole_group: Vec<Option<usize>> = {
        let mut w = vec![None; n];
        for u in (0..nu).filter(|&u| units.whole[u]) {
            w[units.sent[u]] = Some(group[u]);
        }
        w
    };
    let restated_by = |g: usize| -> Option<usize> {
        let m = &members[g];
        let h = whole_group[units.sent[m[0]]]?;
        (h != g && m.iter().all(|&u| whole_group[units.sent[u]] == Some(h))).then_some(h)
    };
    for (g, m) in members.iter().enumerate() {
        if m.is_empty() || group[m[0]] != g || restated_by(g).is_some() {
            continue;
        }
        let mut ds: Vec<usize> = m.iter().map(|&u| doc_of(u)).collect();
        ds.sort_unstable();
        ds.dedup();
        if ds.len() < 2 {
            continue;
        }
        let mut sents: Vec<usize> = m.iter().map(|&u| units.sent[u]).collect();
        sents.sort_unstable();
        sents.dedup();
        let mut by_clause: Vec<usize> =
            sents.iter().copied().filter(|&x| !m.iter().any(|&u| units.whole[u] && units.sent[u] == x)).collect();
        by_clause.sort_unstable();
        for &u in m {
            fact_of_unit[u] = Some(clusters.len());
        }
        let clause_spans: Vec<(usize, Vec<(usize, usize)>)> = by_clause
            .iter()
            .map(|&x| {
                let mut spans: Vec<(usize, usize)> =
                    m.iter().filter(|&&u| units.sent[u] == x).map(|&u| units.spans[u]).collect();
                spans.sort_unstable();
                (x, spans)
            })
            .collect();
        clusters.push(Cluster { rep: sents[0], support: 0, members: sents, by_clause, part: Vec::new(), clause_spans });
    }
    for g in 0..nu {
        if let Some(h) = (!members[g].is_empty() && group[members[g][0]] == g).then(|| restated_by(g)).flatten() {
            let f = members[h].first().and_then(|&x| fact_of_unit[x]);
            for &u in &members[g] {
                fact_of_unit[u] = f;
            }
        }
    }
    let mut u = 0;
    while u < nu {
        let i = units.sent[u];
        let end = (u..nu).find(|&v| units.sent[v] != i).unwrap_or(nu);
        let whole = fact_of_unit[u];
        let clauses = &fact_of_unit[u + 1..end];
        let best = clauses.iter().flatten().copied().max_by_key(|&c| (clusters[c].members.len(), std::cmp::Reverse(c)));
        of_sent[i] = whole.or(best);
        let all_clauses = !clauses.is_empty() && clauses.iter().all(Option::is_some);
        if whole.is_none() && !all_clauses {
            let own = clusters.len();
            // A sentence other outlets report in part: what only it says is
            // the clauses no shared fact holds.
            let part: Vec<(usize, usize)> = if best.is_some() {
                (u + 1..end).filter(|&v| fact_of_unit[v].is_none()).map(|v| units.spans[v]).collect()
            } else {
                Vec::new()
            };
            clusters.push(Cluster {
                rep: i,
                support: 0,
                members: vec![i],
                by_clause: Vec::new(),
                part,
                clause_spans: Vec::new(),
            });
            if of_sent[i].is_none() {
                of_sent[i] = Some(own);
            }
        }
        u = end;
    }

    // Copies, rewrites and independent articles past the core: each
    // sentence joins the fact of its best match. Most copied sentences are
    // verbatim copies of a clustered sentence: those are found by their
    // text at once (a verbatim copy is the best match there is). The others
    // are compared with the facts' sentences that share a stem with them,
    // through an index kept up to date as facts grow; stems in a tenth of the
    // indexed sentences or more are the story's topic and find nothing.
    let mut by_text: FxHashMap<u64, usize> = FxHashMap::default();
    let mut index: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    let mut indexed = 0usize;
    let add_to_index = |x: usize, index: &mut FxHashMap<u32, Vec<usize>>, indexed: &mut usize| {
        for &(t, _) in &story.sents[x].vec {
            index.entry(t).or_default().push(x);
        }
        *indexed += 1;
    };
    for (c, cl) in clusters.iter().enumerate() {
        for &x in &cl.members {
            by_text.entry(text_key(story.sents[x].text)).or_insert(c);
            add_to_index(x, &mut index, &mut indexed);
        }
    }
    // Sentences outside the core come in article order, and no core
    // sentence shares an article with them: a fact holds a sentence of the
    // current article exactly when the last one it took is from it.
    let mut last_doc: Vec<usize> = vec![usize::MAX; clusters.len()];
    // Stems shared with each indexed sentence, counted in a dense array
    // (reset through the list of sentences touched): a hash map here was
    // the dearest step of a story of thousands of articles.
    let mut shared_with: Vec<u32> = vec![0; n];
    let mut touched: Vec<usize> = Vec::new();
    for (i, s) in story.sents.iter().enumerate() {
        if core(i) || !eligible(story, i) {
            continue;
        }
        let key = text_key(s.text);
        if let Some(&c) = by_text.get(&key)
            && last_doc[c] != s.doc
        {
            clusters[c].members.push(i);
            last_doc[c] = s.doc;
            of_sent[i] = Some(c);
            add_to_index(i, &mut index, &mut indexed);
            continue;
        }
        let cap = COMMON_POSTING.max(indexed / 10);
        for &(t, _) in &s.vec {
            let Some(list) = index.get(&t) else { continue };
            if list.len() > cap {
                continue;
            }
            for &x in list.iter().rev().take(MAX_SCAN) {
                if shared_with[x] == 0 {
                    touched.push(x);
                }
                shared_with[x] += 1;
            }
        }
        let mut cands: Vec<(usize, u32)> = touched.iter().map(|&x| (x, shared_with[x])).collect();
        for x in touched.drain(..) {
            shared_with[x] = 0;
        }
        if cands.len() > MAX_CANDIDATES {
            cands.select_nth_unstable_by(MAX_CANDIDATES - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            cands.truncate(MAX_CANDIDATES);
        }
        let mut best: Option<(f32, usize)> = None;
        for (x, _) in cands {
            let Some(c) = of_sent[x] else { continue };
            let v = story.cos(i, x);
            if v >= STRONG && best.is_none_or(|(b, bc)| v > b || (v == b && c < bc)) && last_doc[c] != s.doc {
                best = Some((v, c));
            }
        }
        let c = match best {
            Some((_, c)) => {
                clusters[c].members.push(i);
                c
            }
            None => {
                clusters.push(Cluster {
                    rep: i,
                    support: 0,
                    members: vec![i],
                    by_clause: Vec::new(),
                    part: Vec::new(),
                    clause_spans: Vec::new(),
                });
                last_doc.push(usize::MAX);
                clusters.len() - 1
            }
        };
        last_doc[c] = s.doc;
        of_sent[i] = Some(c);
        by_text.entry(key).or_insert(c);
        add_to_index(i, &mut index, &mut indexed);
    }

    for cl in &mut clusters {
        let mut docs: Vec<usize> =
            cl.members.iter().filter(|&&x| story.sents[x].independent).map(|&x| story.sents[x].doc).collect();
        docs.sort_unstable();
        docs.dedup();
        cl.support = docs.len();
        cl.rep = representative(story, &cl.members, &cl.by_clause);
        // Every member by a clause (none says it whole): the fact's text is
        // the representative's clause, not the rest of its sentence, which
        // may be another fact's ("Tensions … escalated, after Trump falsely
        // accused Ukraine of starting the conflict" in the fact of the
        // accusation).
        if cl.part.is_empty()
            && let Ok(k) = cl.clause_spans.binary_search_by_key(&cl.rep, |c| c.0)
        {
            cl.part = cl.clause_spans[k].1.clone();
        }
    }
    // Best supported first; among equals, what the articles put first.
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    order.sort_by_key(|&c| {
        let cl = &clusters[c];
        let first = cl.members.iter().map(|&x| story.sents[x].pos).min().unwrap_or(0);
        (std::cmp::Reverse(cl.support), std::cmp::Reverse(cl.members.len()), first, cl.rep)
    });
    let mut rank = vec![0; clusters.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    let mut sorted: Vec<Cluster> = order.iter().map(|&c| clusters[c].clone()).collect();
    for s in of_sent.iter_mut().flatten() {
        *s = rank[*s];
    }
    for cl in &mut sorted {
        cl.members.sort_by_key(|&x| (!story.sents[x].independent, story.sents[x].doc));
    }
    Facts { clusters: sorted, of_sent, agents, frames }
}

/// Second sentences of an article that restate a fact the article already
/// supports with another sentence ("Zelensky said he would resign for NATO
/// membership" in the lead, "Speaking in Kyiv, he said he would resign"
/// further down): one sentence per article per fact keeps clustering from
/// chaining, but left alone the restatement would be listed as the
/// article's own unique fact, and "only one source reports" would be
/// false. A lone sentence joins a fact of at least three articles, one of
/// them its own, when it links ([`link`]) to at least [`RESTATE_LINKS`] of
/// the fact's sentences from other articles and to at least two thirds of them:
/// the same test as any link, held against most of the fact.
fn restatements(
    story: &Story,
    units: &Units,
    edges: &[(f32, usize, usize)],
    group: &mut [usize],
    members: &mut [Vec<usize>],
    docs: &[FxHashMap<usize, usize>],
) {
    let doc_of = |u: usize| story.sents[units.sent[u]].doc;
    // Links from each lone unit to each group, counted.
    let mut counts: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    for &(_, i, j) in edges {
        for (x, y) in [(i, j), (j, i)] {
            let g = group[y];
            if members[group[x]].len() == 1 && docs[g].len() >= 3 && docs[g].contains_key(&doc_of(x)) {
                *counts.entry((x, g)).or_insert(0) += 1;
            }
        }
    }
    let mut best: FxHashMap<usize, (usize, usize)> = FxHashMap::default();
    let mut found: Vec<((usize, usize), usize)> = counts.into_iter().collect();
    found.sort_unstable();
    for ((x, g), k) in found {
        // A clause of a sentence the fact already holds restates nothing.
        if members[g].iter().any(|&y| units.sent[y] == units.sent[x]) {
            continue;
        }
        let others = members[g].iter().filter(|&&y| doc_of(y) != doc_of(x)).count();
        if k >= RESTATE_LINKS && 3 * k >= 2 * others && best.get(&x).is_none_or(|&(bk, _)| k > bk) {
            best.insert(x, (k, g));
        }
    }
    let mut moves: Vec<(usize, usize)> = best.into_iter().map(|(x, (_, g))| (x, g)).collect();
    moves.sort_unstable();
    for (x, g) in moves {
        let own = group[x];
        members[own].clear();
        members[g].push(x);
        group[x] = g;
    }
}

/// Folds a group into another that holds every one of its sentences
/// (whole or by a clause) when the two pass the merge test of
/// [`cluster`] (mean tf-idf cosine ≥ [`ANCHORED`], mean static cosine ≥
/// [`SEM_ANCHORED`] or mean transformer cosine ≥ [`DEEP_ANCHORED`], over
/// their pairs of units of different articles) and name no different
/// speakers or subjects. One sentence per article keeps two such groups
/// apart while they grow (each already holds the other's sentences in
/// another form), but when one group's sentences are all the other's and
/// they say the same on average, they are one statement listed twice
/// ("labeled Zelensky a dictator" by one outlet's clause and another's
/// whole sentence, beside the fact holding both sentences the other way
/// round). A group whose sentences say something else fails the test and
/// stays a fact of its own.
fn absorb_repeats(
    story: &Story,
    units: &Units,
    group: &mut [usize],
    members: &mut [Vec<usize>],
    roles: &[(Option<usize>, Option<usize>)],
) {
    let doc_of = |u: usize| story.sents[units.sent[u]].doc;
    let live: Vec<usize> = (0..members.len())
        .filter(|&g| !members[g].is_empty() && group[members[g][0]] == g)
        .filter(|&g| {
            let d = doc_of(members[g][0]);
            members[g].iter().any(|&u| doc_of(u) != d)
        })
        .collect();
    let sents_of = |m: &[usize]| -> Vec<usize> {
        let mut v: Vec<usize> = m.iter().map(|&u| units.sent[u]).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut holders: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for &g in &live {
        for x in sents_of(&members[g]) {
            holders.entry(x).or_default().push(g);
        }
    }
    // Smaller groups first, each into the largest group that qualifies.
    let mut order = live.clone();
    order.sort_unstable_by_key(|&g| (members[g].len(), g));
    for g in order {
        if members[g].is_empty() {
            continue;
        }
        let mine = sents_of(&members[g]);
        let mut best: Option<usize> = None;
        for &h in holders.get(&mine[0]).map_or(&[][..], Vec::as_slice) {
            if h == g || members[h].len() < members[g].len() || members[h].is_empty() {
                continue;
            }
            let theirs = sents_of(&members[h]);
            if !mine.iter().all(|x| theirs.binary_search(x).is_ok()) {
                continue;
            }
            let (rg, rh) = (roles[g], roles[h]);
            if roles_clash(rg.0, rh.0) || roles_clash(rg.1, rh.1) {
                continue;
            }
            if !covers(story, units, &members[g], &members[h])
                || !says_same_on_average(story, units, &members[g], &members[h])
            {
                continue;
            }
            if best.is_none_or(|b| members[h].len() > members[b].len()) {
                best = Some(h);
            }
        }
        if let Some(h) = best {
            let moved = std::mem::take(&mut members[g]);
            for &x in &moved {
                group[x] = h;
            }
            members[h].extend(moved);
        }
    }
}

/// Whether group `b` holds at least half of the content stems of each
/// unit of group `a` (by the units of the same sentence it holds): a
/// sentence that `a` holds whole but `b` only by a short clause says more
/// than `b`'s statement, and may be in `a` for what the rest of it says
/// ("tensions escalated, with Trump accusing Ukraine of initiating the
/// war" beside a fact of the accusation alone).
fn covers(story: &Story, units: &Units, a: &[usize], b: &[usize]) -> bool {
    a.iter().all(|&x| {
        let stems = units.unit_vec(story, x);
        let held: FxHashSet<u32> = b
            .iter()
            .filter(|&&y| units.sent[y] == units.sent[x])
            .flat_map(|&y| units.unit_vec(story, y).into_iter().map(|t| t.0))
            .collect();
        2 * stems.iter().filter(|t| held.contains(&t.0)).count() >= stems.len()
    })
}

/// The merge test of [`cluster`] for two groups, taken pair by pair over
/// their units of different articles: mean tf-idf cosine ≥ [`ANCHORED`],
/// mean static cosine (topic out) ≥ [`SEM_ANCHORED`] or mean transformer
/// cosine over the embedded pairs ≥ [`DEEP_ANCHORED`].
fn says_same_on_average(story: &Story, units: &Units, a: &[usize], b: &[usize]) -> bool {
    let doc_of = |u: usize| story.sents[units.sent[u]].doc;
    let (mut c, mut s, mut n) = (0f32, 0f32, 0usize);
    let (mut d, mut nd) = (0f32, 0usize);
    let vb: Vec<Vec<(u32, f32)>> = b.iter().map(|&y| units.unit_vec(story, y)).collect();
    for &x in a {
        let vx = units.unit_vec(story, x);
        for (&y, vy) in b.iter().zip(&vb).filter(|&(&y, _)| doc_of(y) != doc_of(x)) {
            c += crate::vectors::dot(&vx, vy);
            s += chorus_semantic::dot(units.sem_row(story, x), units.sem_row(story, y));
            n += 1;
            if let Some(t) = story.deep_known(units.deep_key(x), units.deep_key(y)) {
                d += t;
                nd += 1;
            }
        }
    }
    n > 0 && (c / n as f32 >= ANCHORED || s / n as f32 >= SEM_ANCHORED || (nd > 0 && d / nd as f32 >= DEEP_ANCHORED))
}

/// The member most similar to the others (the medoid), preferring
/// independent articles; among equals the earliest. A member's summed
/// cosine with the others is its unit vector's dot product with the sum of
/// all unit vectors, less its own: one pass, however many members.
fn representative(story: &Story, members: &[usize], by_clause: &[usize]) -> usize {
    let pool: Vec<usize> = {
        let whole: Vec<usize> = members.iter().copied().filter(|x| by_clause.binary_search(x).is_err()).collect();
        let members = if whole.is_empty() { members.to_vec() } else { whole };
        let ind: Vec<usize> = members.iter().copied().filter(|&x| story.sents[x].independent).collect();
        if ind.is_empty() { members } else { ind }
    };
    let mut sum: FxHashMap<u32, f32> = FxHashMap::default();
    for &x in &pool {
        let s = &story.sents[x];
        if s.norm > 0.0 {
            for &(t, w) in &s.vec {
                *sum.entry(t).or_insert(0.0) += w / s.norm;
            }
        }
    }
    let mut best = (f32::MIN, usize::MAX);
    for &x in &pool {
        let s = &story.sents[x];
        let score: f32 = if s.norm > 0.0 {
            s.vec.iter().map(|&(t, w)| w / s.norm * sum.get(&t).copied().unwrap_or(0.0)).sum::<f32>() - 1.0
        } else {
            0.0
        };
        if score > best.0 + 1e-6 || (score > best.0 - 1e-6 && x < best.1) {
            best = (score, x);
        }
    }
    best.1
}

/// A stable fact id: 16 hex digits of XXH3 over the representative
/// sentence with whitespace collapsed and case folded.
pub(crate) fn fact_id(text: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for w in text.split_whitespace() {
        h.update(w.to_lowercase().as_bytes());
        h.update(b" ");
    }
    format!("{:016x}", h.digest())
}

/// The contract's facts.
pub(crate) fn to_model(story: &Story, facts: &Facts) -> Vec<Fact> {
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    facts
        .clusters
        .iter()
        .map(|cl| {
            let text = if cl.part.is_empty() {
                story.sents[cl.rep].text.trim().to_string()
            } else {
                let t = story.docs[story.sents[cl.rep].doc].article.text.as_str();
                let parts: Vec<&str> = cl.part.iter().map(|&(a, b)| crate::story::slice(t, a, b).trim()).collect();
                parts.join(" … ")
            };
            let mut id = fact_id(&text);
            let k = seen.entry(id.clone()).or_insert(0);
            *k += 1;
            if *k > 1 {
                id = format!("{id}-{k}");
            }
            Fact {
                id,
                text,
                articles: story.ids(cl.members.iter().map(|&x| story.sents[x].doc)),
                mentions: cl
                    .members
                    .iter()
                    .map(|&x| Mention {
                        article: story.article_id(story.sents[x].doc).to_string(),
                        text: story.sents[x].text.trim().to_string(),
                    })
                    .collect(),
                first_reported: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{Art, docs, entities};
    use chorus_model::EntityKind;

    const A: &str = "Despite officials briefing the press earlier that Mayor Petra Lindqvist was not ready to discuss a rebuilding deal, she said on Sunday that the town was making progress and had held talks with the ministry about the matter. \
        The ministry has offered the town a loan for rebuilding the flooded bridge. The mayor wants grants rather than loans for the rebuilding. Talks with the ministry on the rebuilding will resume next week. Officials said no deal on the rebuilding had been agreed yet.";
    const B: &str = "When asked about a possible rebuilding agreement, Lindqvist acknowledged that discussions were ongoing and that the town was making progress. \
        Rebuilding the town after the flood could cost 40 million euros. The ministry said any rebuilding deal must include the bridge. The mayor met the minister in the capital on Sunday to discuss the rebuilding. Opposition councillors said the talks on a rebuilding deal were going nowhere.";

    fn arts() -> Vec<Art> {
        vec![
            Art::new("a", A).entity("Petra Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, Some("Mayor")),
            Art::new("b", B).entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None),
        ]
    }

    /// The fact of the first sentence of each article, by budget.
    fn joined(budget: usize) -> (bool, f32, f32) {
        let arts = arts();
        let ents = entities(&arts, &[("Petra Lindqvist", EntityKind::Person, &[])]);
        let ds = docs(&arts);
        let mut story = Story::build(&ds, &ents);
        story.deep = crate::deep::Deep::new(budget);
        let b0 = story.sents.iter().position(|s| s.doc == 1).expect("b's sentences");
        let facts = cluster(&story);
        let d = story.deep_known(0, b0).unwrap_or(f32::NAN);
        (facts.of_sent[0] == facts.of_sent[b0], story.sem_cos(0, b0), d)
    }

    #[test]
    fn the_transformer_joins_an_anchored_paraphrase_the_static_tier_leaves_apart() {
        let (off, s, _) = joined(0);
        assert!(!off, "static tier alone joined them (static {s})");
        let (on, s, d) = joined(64);
        assert!(s < SEM_ANCHORED, "static {s} decides it alone");
        assert!(on, "transformer {d} static {s}");
    }

    const C1: &str = "Lindqvist also falsely accused Halsten Power of starting the flood and claimed, against all evidence, that the council had been warned in May. \
        Halsten Power said the flood had nothing to do with the dam. Lindqvist met flood victims in the town hall on Sunday. \
        The flood closed the railway line to Tamsberg for a week.";
    const C2: &str = "As the storm season approached, tensions between the town and the company grew, with Lindqvist blaming Halsten Power for setting off the flood and calling its board reckless. \
        Halsten Power shares fell after the flood. The flood left hundreds of homes without power on Sunday. \
        Volunteers from Tamsberg filled sandbags along the river.";

    /// Whether the two accusation sentences share a fact. Their
    /// accusation clauses ("accused Halsten Power of starting the flood" /
    /// "blaming Halsten Power for setting off the flood") share the names
    /// and "flood" but stay under both static clause bars (tf-idf 0.31,
    /// static 0.55); the whole sentences say more and stay apart.
    fn clause_joined(budget: usize) -> bool {
        let arts = vec![
            Art::new("a", C1)
                .entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None)
                .entity("Lindqvist", 1, "Petra Lindqvist", EntityKind::Person, None)
                .entity("Halsten Power", 0, "Halsten Power", EntityKind::Organization, None)
                .entity("Halsten Power", 1, "Halsten Power", EntityKind::Organization, None),
            Art::new("b", C2)
                .entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None)
                .entity("Halsten Power", 0, "Halsten Power", EntityKind::Organization, None)
                .entity("Halsten Power", 1, "Halsten Power", EntityKind::Organization, None),
        ];
        let ents = entities(
            &arts,
            &[("Petra Lindqvist", EntityKind::Person, &[]), ("Halsten Power", EntityKind::Organization, &[])],
        );
        let ds = docs(&arts);
        let mut story = Story::build(&ds, &ents);
        story.deep = crate::deep::Deep::new(budget);
        let b0 = story.sents.iter().position(|s| s.doc == 1).expect("b's sentences");
        let facts = cluster(&story);
        facts.clusters.iter().any(|c| c.members.contains(&0) && c.members.contains(&b0))
    }

    #[test]
    fn a_clause_pair_whose_wording_reaches_the_sentence_bar_takes_the_sentence_transformer_bar() {
        let view = |clause: bool| View {
            doc: 0,
            vec: &[],
            norm: 0.0,
            ents: &[],
            names: &[],
            nums: &[],
            agent: Agent::default(),
            frame: &[],
            sem: &[],
            deep: 0,
            clause,
        };
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
            doc: 0,
            vec,
            norm: 1.0,
            ents: &[],
            names,
            nums: &[],
            agent: Agent::default(),
            frame,
            sem: &[],
            deep: 0,
            clause: false,
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

    #[test]
    fn the_transformer_judges_clause_pairs_the_static_tier_leaves_undecided() {
        assert!(!clause_joined(0), "joined without the transformer");
        assert!(clause_joined(64), "the clauses' transformer cosine is under DEEP_CLAUSE");
    }

    /// A group folds into another that holds its sentences only where
    /// that one covers them: a short clause does not cover its whole
    /// sentence, the whole sentence covers the clause.
    #[test]
    fn a_group_is_covered_by_whole_sentences_not_by_a_short_clause() {
        let arts = vec![
            Art::new("a", C2).entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None),
            Art::new("b", C1).entity("Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, None),
        ];
        let ents = entities(&arts, &[("Petra Lindqvist", EntityKind::Person, &[])]);
        let ds = docs(&arts);
        let story = Story::build(&ds, &ents);
        let (agents, _) = crate::agents::agents(&story);
        let units = Units::build(&story, &agents, &[0]);
        assert!(units.len() >= 3, "the first sentence has clauses");
        let whole = 0;
        let short = (1..units.len()).min_by_key(|&u| units.unit_vec(&story, u).len()).expect("a clause");
        assert!(covers(&story, &units, &[short], &[whole]));
        assert!(!covers(&story, &units, &[whole], &[short]));
    }

    /// The stems' pairs stay within the budget however long the articles,
    /// keep the rarest stems' pairs, and are all found in a small story.
    #[test]
    fn stem_pairs_are_bounded_and_keep_the_rarest() {
        // Small: two articles, three units each, sharing stems 1 and 2.
        let small = vec![
            vec![(1, 1.0), (2, 1.0)],
            vec![(3, 1.0)],
            vec![(4, 1.0)],
            vec![(1, 1.0), (2, 1.0)],
            vec![(5, 1.0)],
            vec![(6, 1.0)],
        ];
        let doc = |u: usize| u / 3;
        let got = shared_stems(&small, &doc);
        assert_eq!(got.get(&(0, 3)), Some(&2));
        assert_eq!(got.len(), 1);
        // Long articles: 20 articles of 100 units, each unit with 20
        // stems whose lists hold 200 units (a tenth: still used), which
        // would propose about 4 million pairs; units 0 and 100 also share
        // a rare stem.
        let (per, n) = (100, 2000);
        let vecs: Vec<Vec<(u32, f32)>> = (0..n)
            .map(|u| {
                let mut v: Vec<(u32, f32)> = (0..20).map(|f| (100 + f * 10 + (u % 10) as u32, 1.0)).collect();
                if u == 0 || u == per {
                    v.insert(0, (9, 1.0));
                }
                v
            })
            .collect();
        let doc = |u: usize| u / per;
        let got = shared_stems(&vecs, &doc);
        let proposed: u32 = got.values().sum();
        assert!(proposed as usize <= PAIR_BUDGET * n, "{proposed} pairs for {n} units");
        assert!(got.contains_key(&(0, per)), "the rare stem's pair is kept");
        let common = got[&(0, 110)];
        assert!(common > 0 && common < 20, "the budget stops before the last common lists: {common}");
    }
}
