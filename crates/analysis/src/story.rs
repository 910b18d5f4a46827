//! The sentence table of one story, built once and shared by every analysis
//! module: each sentence with its stems, tf-idf vector, story-level entity
//! ids, numbers and quoted spans. Building it once keeps a 50-article story
//! well under the time budget: the modules compare vectors, they never
//! re-tokenise.

use chorus_text::{TokenKind, tokens};
use rustc_hash::FxHashMap;

use crate::Doc;
use crate::entities::StoryEntities;
use crate::vectors::{SparseVec, Vocab, dot, tf};

/// One sentence of one article.
pub(crate) struct Sent<'a> {
    pub doc: usize,
    /// Index of the sentence in its article.
    pub pos: usize,
    /// Byte range in the article text.
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// Content-word stem ids, in order, with repeats.
    pub terms: Vec<u32>,
    /// Every word's stem id, in order, with whether it is a content word.
    pub toks: Vec<(u32, bool)>,
    /// tf-idf vector of `terms`.
    pub vec: SparseVec,
    /// Euclidean norm of `vec`, kept so that a cosine is one dot product.
    pub norm: f32,
    /// Story entity ids mentioned (sorted, unique).
    pub ents: Vec<usize>,
    /// Content stems of the words of its entity mentions (sorted, unique):
    /// the names in it, which anchor a link but are not what it says
    /// ([`crate::facts::MIN_SHARED_UNNAMED`]).
    pub names: Vec<u32>,
    /// Indices into the article's `extraction.numbers` that fall in this
    /// sentence.
    pub nums: Vec<usize>,
    /// Its paraphrase predicates ([`chorus_text::predicates`]), sorted.
    pub preds: Vec<chorus_text::predicates::Found>,
    /// The countries its capitals stand for ([`Seat`]), in text order.
    pub seats: Vec<Seat>,
    /// What its seats add against a unit that names their countries
    /// ([`seat_terms`]): the country stems it does not write itself,
    /// weighed like `vec`, and the countries' story entities.
    pub seat_vec: SparseVec,
    pub seat_ents: Vec<usize>,
    pub words: usize,
    pub independent: bool,
}

/// A capital named in a sentence, read also as its country
/// ([`chorus_extract::entities::gazetteer::country_of_capital`]): one
/// outlet writes of talks "in Riyadh", another "in Saudi Arabia"; one that
/// "Moscow" said something, another "Russia". Fact alignment
/// ([`crate::facts`]) reads the capital as its country's name stems and
/// entity against a unit that names the country itself, and only there:
/// two sentences that both name Paris share "Paris" already, and reading
/// both as "France" too would count one name twice. Nothing else of the
/// analysis sees the seats.
#[derive(Clone, Debug)]
pub(crate) struct Seat {
    /// Byte offset of the capital's mention in the article.
    pub start: usize,
    pub country: Option<usize>,
    pub stems: Vec<u32>,
}

/// Leaves in each sentence's seats ([`Seat`]) only the country stems
/// that are names in this story, and gives each sentence what its seats
/// add ([`seat_terms`]). A stem the story also uses outside a name is an
/// ordinary word here ("state" of "United States" in "states like
/// Iowa"), and would join sentences by a word neither wrote.
fn seat_countries(sents: &mut [Sent], idf: &[f32]) {
    if sents.iter().all(|s| s.seats.is_empty()) {
        return;
    }
    let stems: rustc_hash::FxHashSet<u32> =
        sents.iter().flat_map(|s| &s.seats).flat_map(|x| x.stems.iter().copied()).collect();
    let mut ordinary: rustc_hash::FxHashSet<u32> = rustc_hash::FxHashSet::default();
    for s in sents.iter() {
        ordinary.extend(s.terms.iter().filter(|t| stems.contains(t) && s.names.binary_search(t).is_err()));
    }
    for s in sents.iter_mut().filter(|s| !s.seats.is_empty()) {
        for seat in &mut s.seats {
            seat.stems.retain(|t| !ordinary.contains(t));
        }
        let (v, e) = seat_terms(s.seats.iter(), &s.vec, idf);
        s.seat_vec = v;
        s.seat_ents = e;
    }
}

/// What seats add to a unit whose own terms are `written`: the country
/// stems it does not write, each weighed by its idf (a name once), sorted;
/// and the countries' story entities, sorted.
pub(crate) fn seat_terms<'s>(
    seats: impl Iterator<Item = &'s Seat>,
    written: &[(u32, f32)],
    idf: &[f32],
) -> (SparseVec, Vec<usize>) {
    let (mut v, mut e): (SparseVec, Vec<usize>) = (Vec::new(), Vec::new());
    for seat in seats {
        for &t in &seat.stems {
            if written.binary_search_by_key(&t, |x| x.0).is_err() {
                v.push((t, idf.get(t as usize).copied().unwrap_or(1.0)));
            }
        }
        e.extend(seat.country);
    }
    v.sort_unstable_by_key(|x| x.0);
    v.dedup_by_key(|x| x.0);
    e.sort_unstable();
    e.dedup();
    (v, e)
}

/// The analysed story: docs, merged entities and the sentence table.
pub(crate) struct Story<'a> {
    pub docs: &'a [Doc<'a>],
    pub ents: &'a StoryEntities,
    pub sents: Vec<Sent<'a>>,
    /// For each doc, the range of its sentences in `sents`.
    pub by_doc: Vec<std::ops::Range<usize>>,
    /// For each doc, quoted byte ranges (sorted): quote spans the extractor
    /// found plus every balanced pair of quotation marks, so a quote the
    /// extractor could not attribute still counts as the speaker's words.
    pub quoted: Vec<Vec<(usize, usize)>>,
    /// Names of entities that the story-level merge did not know (ids from
    /// `ents.entities.len()` on).
    pub extra_names: Vec<String>,
    /// For each doc, the story entity id of each of its entity mentions.
    pub mention_ids: Vec<Vec<usize>>,
    pub independent_docs: usize,
    /// Each sentence's static vector ([`chorus_semantic`]) with the story's
    /// mean sentence vector taken out, renormalised (see
    /// [`Story::sem_cos`]): `sem_dims` floats a sentence, in sentence order.
    pub sem_centred: Vec<f32>,
    pub sem_dims: usize,
    /// The story's mean sentence vector (over independent articles), the
    /// part [`Story::sem_cos`] takes out; [`Story::embed_centred`] takes
    /// it out of other spans (a quote) the same way.
    pub sem_mean: Vec<f32>,
    /// Each stem's inverse sentence frequency, the weight `vec` gives it
    /// (by stem id): what a part of a sentence (a clause) is weighed with.
    pub idf: Vec<f32>,
    /// The paraphrase predicates ([`chorus_text::predicates`]) as the
    /// story's stem ids: two units that use verbs of one class share their
    /// predicate in other words.
    pub predicates: chorus_text::predicates::Matcher,
    /// Transformer vectors on demand, within the story's budget
    /// ([`crate::deep`]; off unless the options give one).
    pub deep: crate::deep::Deep,
    /// Every surface form of the story's entities, and its spelling key,
    /// to the first entity with it; extra names by lower case: so that
    /// naming a quote's speaker costs one look-up, not a pass over every
    /// entity of a story of thousands of articles.
    names: FxHashMap<String, usize>,
    keys: FxHashMap<String, usize>,
    extra_lower: FxHashMap<String, usize>,
}

impl<'a> Story<'a> {
    pub fn build(docs: &'a [Doc<'a>], ents: &'a StoryEntities) -> Story<'a> {
        let mut vocab = Vocab::default();
        let mut sents: Vec<Sent> = Vec::new();
        let mut by_doc = Vec::with_capacity(docs.len());
        let mut quoted = Vec::with_capacity(docs.len());
        let mut extra: FxHashMap<String, usize> = FxHashMap::default();
        let mut extra_names = Vec::new();
        let mut all_mention_ids = Vec::with_capacity(docs.len());
        let known = ents.entities.len();
        // The first sentence of each text: copies and syndicated rewrites
        // repeat whole sentences, whose tokens are then cloned, not read
        // again (the same ids: their stems are already interned).
        let mut first_of: FxHashMap<&str, usize> = FxHashMap::default();
        // Each capital's country as the story's entity id, looked up once.
        let mut countries: FxHashMap<&'static str, Option<usize>> = FxHashMap::default();
        for (d, doc) in docs.iter().enumerate() {
            let text = doc.article.text.as_str();
            let ex = doc.extraction;
            quoted.push(quoted_ranges(text, ex.quotes.iter().map(|q| (q.start, q.end))));
            let first = sents.len();
            // Entity and number mentions are in text order; walk them along
            // the sentences.
            let mention_ids: Vec<usize> = ex
                .entities
                .iter()
                .enumerate()
                .map(|(m, e)| match ents.mention_entity.get(d).and_then(|v| v.get(m)) {
                    Some(&id) if id < known => id,
                    _ => {
                        let key = e.name.to_lowercase();
                        *extra.entry(key).or_insert_with(|| {
                            extra_names.push(e.name.clone());
                            known + extra_names.len() - 1
                        })
                    }
                })
                .collect();
            // Mentions by position, so that each sentence finds its own by
            // binary search: a scan of every mention per sentence made an
            // article of many short lines cost the square of its length.
            let ent_order = by_start(ex.entities.len(), |m| ex.entities[m].start);
            let num_order = by_start(ex.numbers.len(), |i| ex.numbers[i].start);
            for (pos, r) in ex.sentences.iter().enumerate() {
                let (start, end) = (r.start.min(text.len()), r.end.min(text.len()));
                let Some(s) = text.get(start..end) else { continue };
                let toks = match first_of.get(s) {
                    Some(&k) => sents[k].toks.clone(),
                    None => {
                        first_of.insert(s, sents.len());
                        vocab.tokens(s)
                    }
                };
                let terms: Vec<u32> = toks.iter().filter(|t| t.1).map(|t| t.0).collect();
                let mut es: Vec<usize> =
                    starting_in(&ent_order, |m| ex.entities[m].start, start, end).map(|m| mention_ids[m]).collect();
                es.sort_unstable();
                es.dedup();
                let mut names: Vec<u32> = starting_in(&ent_order, |m| ex.entities[m].start, start, end)
                    .filter_map(|m| text.get(ex.entities[m].start..ex.entities[m].end.min(end)))
                    .flat_map(|t| vocab.terms(t))
                    .collect();
                // A capital written in capitals is a dateline ("WASHINGTON
                // —"): where the article was filed, not what it says.
                let seats: Vec<Seat> = starting_in(&ent_order, |m| ex.entities[m].start, start, end)
                    .filter(|&m| ex.entities[m].kind == chorus_model::EntityKind::Place)
                    .filter(|&m| {
                        !text
                            .get(ex.entities[m].start..ex.entities[m].end)
                            .is_some_and(chorus_extract::entities::gazetteer::is_upper)
                    })
                    .filter_map(|m| {
                        let country = chorus_extract::entities::gazetteer::country_of_capital(&ex.entities[m].name)?;
                        let id = *countries.entry(country).or_insert_with(|| ents.lookup(country));
                        Some(Seat { start: ex.entities[m].start, country: id, stems: vocab.terms(country) })
                    })
                    .collect();
                names.sort_unstable();
                names.dedup();
                let mut nums: Vec<usize> = starting_in(&num_order, |i| ex.numbers[i].start, start, end).collect();
                nums.sort_unstable();
                sents.push(Sent {
                    doc: d,
                    pos,
                    start,
                    end,
                    text: s,
                    vec: Vec::new(),
                    norm: 0.0,
                    terms,
                    toks,
                    ents: es,
                    names,
                    nums,
                    preds: Vec::new(),
                    seats,
                    seat_vec: Vec::new(),
                    seat_ents: Vec::new(),
                    words: s.split_whitespace().count(),
                    independent: doc.independent,
                });
            }
            by_doc.push(first..sents.len());
            all_mention_ids.push(mention_ids);
        }
        // Inverse sentence frequency over the independent articles only, so
        // that a syndicated copy does not make its own wording look common.
        let indep: Vec<&Sent> = sents.iter().filter(|s| s.independent).collect();
        let n = indep.len().max(1) as f32;
        let mut df = vec![0f32; vocab.len()];
        let mut seen: Vec<u32> = Vec::new();
        for s in &indep {
            seen.clear();
            seen.extend_from_slice(&s.terms);
            seen.sort_unstable();
            seen.dedup();
            for &t in &seen {
                df[t as usize] += 1.0;
            }
        }
        let idf: Vec<f32> = df.iter().map(|&d| (n / d.max(1.0)).ln() + 1.0).collect();
        for s in &mut sents {
            let mut v = tf(&s.terms);
            for (t, w) in v.iter_mut() {
                *w *= idf[*t as usize];
            }
            s.norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            s.vec = v;
        }
        seat_countries(&mut sents, &idf);
        let predicates = chorus_text::predicates::Matcher::new(|w| vocab.known(w));
        for s in &mut sents {
            s.preds = predicates.find(&s.toks, |t| t.0);
        }
        let independent_docs = docs.iter().filter(|d| d.independent).count();
        let (sem_centred, sem_dims, sem_mean) = sentence_vectors(&sents);
        let mut names: FxHashMap<String, usize> = FxHashMap::default();
        for (i, e) in ents.entities.iter().enumerate() {
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                names.entry(n.clone()).or_insert(i);
            }
        }
        let mut keys: FxHashMap<String, usize> = FxHashMap::default();
        for (i, e) in ents.entities.iter().enumerate() {
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                let k = chorus_extract::entities::alias::name_key(n);
                if !k.is_empty() {
                    keys.entry(k).or_insert(i);
                }
            }
        }
        let mut extra_lower: FxHashMap<String, usize> = FxHashMap::default();
        for (i, n) in extra_names.iter().enumerate() {
            extra_lower.entry(n.to_lowercase()).or_insert(i + known);
        }
        Story {
            docs,
            ents,
            sents,
            by_doc,
            quoted,
            extra_names,
            mention_ids: all_mention_ids,
            independent_docs,
            sem_centred,
            sem_dims,
            sem_mean,
            idf,
            predicates,
            deep: Default::default(),
            names,
            keys,
            extra_lower,
        }
    }

    pub fn cos(&self, a: usize, b: usize) -> f32 {
        let (sa, sb) = (&self.sents[a], &self.sents[b]);
        if sa.norm == 0.0 || sb.norm == 0.0 {
            return 0.0;
        }
        dot(&sa.vec, &sb.vec) / (sa.norm * sb.norm)
    }

    /// Static-vector cosine of two sentences with the story's topic taken
    /// out: every sentence of a story shares its topic (the same people,
    /// places and subject), which lifts the raw cosine of any two of its
    /// sentences towards 0.6; the story's mean vector is that shared part,
    /// and what is left compares what each sentence says. Across the
    /// stories of clustering-dev, cross-article pairs then centre on 0.
    #[cfg_attr(
        not(test),
        allow(
            dead_code,
            reason = "facts read the rows per unit (a sentence or a clause); the pair form is the tests'"
        )
    )]
    pub fn sem_cos(&self, a: usize, b: usize) -> f32 {
        let d = self.sem_dims;
        chorus_semantic::dot(&self.sem_centred[a * d..(a + 1) * d], &self.sem_centred[b * d..(b + 1) * d])
    }

    /// The static vector of any span of the story (a quote, say) with the
    /// story's mean sentence vector taken out, renormalised: comparable
    /// with other such vectors by a dot product, as [`Story::sem_cos`]
    /// compares sentences. All zeros when no token of the text is known.
    pub fn embed_centred(&self, text: &str) -> Vec<f32> {
        let mut v = chorus_semantic::embed(text);
        centre(&mut v, &self.sem_mean);
        v
    }

    /// The canonical name of a story entity id.
    pub fn entity_name(&self, id: usize) -> &str {
        match self.ents.entities.get(id) {
            Some(e) => &e.name,
            None => self.extra_names.get(id - self.ents.entities.len()).map(String::as_str).unwrap_or(""),
        }
    }

    /// The canonical entity id of a name (a quote's speaker, say).
    /// The same answer as [`StoryEntities::lookup`], then the extra names.
    pub fn entity_of(&self, name: &str) -> Option<usize> {
        if let Some(&i) = self.names.get(name) {
            return Some(i);
        }
        let key = chorus_extract::entities::alias::name_key(name);
        if !key.is_empty()
            && let Some(&i) = self.keys.get(&key)
        {
            return Some(i);
        }
        if let Some(i) = self.extra_lower.get(&name.to_lowercase()) {
            return Some(*i);
        }
        // A speaker named by title ("The Ukrainian leader, saying: …") is
        // that title's mention without its article, which is how the
        // entities list it as another name of the person it refers to. A
        // title that resolved to no one is an entity named by the title
        // itself ("Florida Senator", "Man"): no speaker is better than that.
        let bare = ["The ", "the "].iter().find_map(|d| name.strip_prefix(d))?;
        let id = self.entity_of(bare)?;
        let named = self.entity_name(id);
        (!named.eq_ignore_ascii_case(bare) && !named.to_lowercase().ends_with(&bare.to_lowercase())).then_some(id)
    }

    /// Whether a byte range of doc `d` lies inside quotation marks.
    pub fn is_quoted(&self, d: usize, start: usize, end: usize) -> bool {
        self.quoted[d].iter().any(|&(s, e)| start >= s && end <= e)
    }

    pub fn article_id(&self, d: usize) -> &str {
        &self.docs[d].article.id
    }

    /// Article ids of a set of docs: independent ones first, each group in
    /// story order.
    pub fn ids(&self, docs: impl IntoIterator<Item = usize>) -> Vec<String> {
        let mut ds: Vec<usize> = docs.into_iter().collect();
        ds.sort_unstable_by_key(|&d| (!self.docs[d].independent, d));
        ds.dedup();
        ds.into_iter().map(|d| self.article_id(d).to_string()).collect()
    }
}

/// Static vectors of every sentence with the story's mean (over
/// independent articles' sentences) taken out, renormalised.
fn sentence_vectors(sents: &[Sent]) -> (Vec<f32>, usize, Vec<f32>) {
    let model = chorus_semantic::Model::shipped();
    let d = model.dims();
    let mut sem = vec![0f32; sents.len() * d];
    // A repeated sentence (a copy's) takes its first occurrence's vector.
    let mut first_of: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, s) in sents.iter().enumerate() {
        match first_of.get(s.text) {
            Some(&k) => sem.copy_within(k * d..(k + 1) * d, i * d),
            None => {
                first_of.insert(s.text, i);
                model.embed_into(s.text, &mut sem[i * d..(i + 1) * d]);
            }
        }
    }
    let mut mean = vec![0f32; d];
    let mut n = 0usize;
    for (i, s) in sents.iter().enumerate() {
        if s.independent {
            n += 1;
            for (m, x) in mean.iter_mut().zip(&sem[i * d..(i + 1) * d]) {
                *m += x;
            }
        }
    }
    if n > 0 {
        mean.iter_mut().for_each(|m| *m /= n as f32);
    }
    let mut centred = sem;
    for row in centred.chunks_exact_mut(d) {
        centre(row, &mean);
    }
    (centred, d, mean)
}

/// Takes `mean` out of a unit vector and renormalises; an all-zero vector
/// (no known token) stays zero.
fn centre(row: &mut [f32], mean: &[f32]) {
    if row.iter().all(|&x| x == 0.0) {
        return;
    }
    for (x, m) in row.iter_mut().zip(mean) {
        *x -= m;
    }
    let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        row.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Quoted byte ranges of a text: the extractor's spans merged with every
/// balanced pair of quotation marks (curly pairs, or straight double quotes
/// paired in order). A paragraph break closes an open quote, so an
/// unbalanced mark never swallows the rest of the article.
pub(crate) fn quoted_ranges(text: &str, spans: impl Iterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = spans.filter(|(s, e)| s < e && *e <= text.len()).collect();
    let mut open: Option<(char, usize)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (_, '\n') => open = None,
            (None, '“') | (None, '"') | (None, '«') => open = Some((c, i + c.len_utf8())),
            (Some(('“', s)), '”') | (Some(('"', s)), '"') | (Some(('«', s)), '»') => {
                if i > s {
                    out.push((s, i));
                }
                open = None;
            }
            // Some outlets close a curly quote with a straight one, or the
            // reverse; pair them rather than leave the quote open.
            (Some(('“', s)), '"') | (Some(('"', s)), '”') => {
                if i > s {
                    out.push((s, i));
                }
                open = None;
            }
            _ => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// `text[a..b]`, or "" when the range is empty, reversed, out of bounds or
/// not on character boundaries: offsets from the extractors are trusted
/// only this far, because bad input must never panic.
pub(crate) fn slice(text: &str, a: usize, b: usize) -> &str {
    if a >= b { "" } else { text.get(a..b).unwrap_or("") }
}

/// Word tokens of a text slice with absolute byte offsets (`base` added).
pub(crate) fn word_tokens(text: &str, base: usize) -> impl Iterator<Item = (usize, usize, &str)> {
    tokens(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(move |t| (base + t.start, base + t.end, &text[t.start..t.end]))
}

/// Indices `0..n` ordered by the position `start` gives each.
fn by_start(n: usize, start: impl Fn(usize) -> usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| start(i));
    order
}

/// The indices of `order` (see [`by_start`]) whose position lies in
/// `from..to`.
fn starting_in<'o>(
    order: &'o [usize],
    start: impl Fn(usize) -> usize + Copy + 'o,
    from: usize,
    to: usize,
) -> impl Iterator<Item = usize> + 'o {
    let lo = order.partition_point(|&i| start(i) < from);
    order[lo..].iter().copied().take_while(move |&i| start(i) < to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_ranges_pair_marks_and_survive_unbalanced_ones() {
        let t = "He said “we are ready” and \"so are they\". Then “an open one\nnext line";
        let r = quoted_ranges(t, std::iter::empty());
        let got: Vec<&str> = r.iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(got, vec!["we are ready", "so are they"]);
    }
}
