//! What facts link: each candidate sentence whole and each clause of a
//! sentence of several clauses ([`crate::clauses`]), with what a link test
//! reads of them ([`View`]).

use crate::agents::Agent;
use crate::story::Story;

/// What a link test reads of a sentence or of one of its clauses
/// ([`Units`]): its stems, names, figures, agent, attribution frame and
/// static vector, and its key for the transformer ([`Story::deep_known`]).
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    pub doc: usize,
    pub vec: &'a [(u32, f32)],
    pub norm: f32,
    pub ents: &'a [usize],
    pub names: &'a [u32],
    pub nums: &'a [usize],
    /// Paraphrase predicates ([`chorus_text::predicates`]), sorted.
    pub preds: &'a [chorus_text::predicates::Found],
    pub agent: Agent,
    pub frame: &'a [u32],
    /// Its capitals read as their countries ([`crate::story::Seat`]):
    /// stems it does not write, and entities.
    pub seat_vec: &'a [(u32, f32)],
    pub seat_ents: &'a [usize],
    pub sem: &'a [f32],
    pub deep: usize,
    pub clause: bool,
}

/// A sentence as a link test reads it.
pub(super) fn sent_view<'a>(story: &'a Story, agents: &[Agent], frames: &'a [Vec<u32>], i: usize) -> View<'a> {
    let s = &story.sents[i];
    let d = story.sem_dims;
    View {
        doc: s.doc,
        vec: &s.vec,
        norm: s.norm,
        ents: &s.ents,
        names: &s.names,
        nums: &s.nums,
        preds: &s.preds,
        agent: agents[i],
        frame: &frames[i],
        seat_vec: &s.seat_vec,
        seat_ents: &s.seat_ents,
        sem: &story.sem_centred[i * d..(i + 1) * d],
        deep: i,
        clause: false,
    }
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
    preds: Vec<Vec<chorus_text::predicates::Found>>,
    /// What each clause's seats add ([`crate::story::seat_terms`]).
    seats: Vec<SeatTerms>,
    pub agents: Vec<Agent>,
    /// Clause byte ranges in their article (whole units: the sentence's).
    pub spans: Vec<(usize, usize)>,
    /// Static vectors of the clause units, story mean taken out, `dims`
    /// floats each, by unit index (whole units read the story's).
    sem: Vec<f32>,
    sem_of: Vec<Option<usize>>,
    n_sents: usize,
}

type SparseVecOwned = (Vec<(u32, f32)>, f32);

/// A unit's seat stems (weighed) and seat entities.
type SeatTerms = (Vec<(u32, f32)>, Vec<usize>);

impl Units {
    pub(super) fn build(story: &Story, agents: &[Agent], cands: &[usize]) -> Units {
        let mut u = Units {
            sent: Vec::new(),
            whole: Vec::new(),
            vecs: Vec::new(),
            ents: Vec::new(),
            nums: Vec::new(),
            preds: Vec::new(),
            seats: Vec::new(),
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
            u.preds.push(Vec::new());
            u.seats.push(Default::default());
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
                u.seats.push(crate::story::seat_terms(
                    s.seats.iter().filter(|x| x.start >= start && x.start < end),
                    &v,
                    &story.idf,
                ));
                u.vecs.push((v, norm));
                u.ents.push(ents);
                u.nums.push(nums);
                u.preds.push(story.predicates.find(&s.toks[c.from..c.to], |t| t.0));
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

    pub(super) fn view<'a>(&'a self, story: &'a Story, agents: &[Agent], frames: &'a [Vec<u32>], u: usize) -> View<'a> {
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
            preds: &self.preds[u],
            agent: self.agents[u],
            frame: &frames[i],
            seat_vec: &self.seats[u].0,
            seat_ents: &self.seats[u].1,
            sem: &self.sem[k * d..(k + 1) * d],
            deep: self.deep_key(u),
            clause: true,
        }
    }

    /// The unit's tf-idf vector, unit length (whole units: the sentence's).
    pub(super) fn unit_vec(&self, story: &Story, u: usize) -> Vec<(u32, f32)> {
        let v = if self.whole[u] { &story.sents[self.sent[u]].vec } else { &self.vecs[u].0 };
        self.per_norm(story, u, v)
    }

    /// What the unit's seats add ([`crate::story::seat_terms`]), on the
    /// scale of [`Units::unit_vec`].
    pub(super) fn seat_vec(&self, story: &Story, u: usize) -> Vec<(u32, f32)> {
        let v = if self.whole[u] { &story.sents[self.sent[u]].seat_vec } else { &self.seats[u].0 };
        self.per_norm(story, u, v)
    }

    /// `v` divided by the norm of unit `u`'s own tf-idf vector.
    fn per_norm(&self, story: &Story, u: usize, v: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let norm = if self.whole[u] { story.sents[self.sent[u]].norm } else { self.vecs[u].1 };
        let inv = if norm > 0.0 { 1.0 / norm } else { 0.0 };
        v.iter().map(|&(t, w)| (t, w * inv)).collect()
    }

    pub(super) fn sem_row<'a>(&'a self, story: &'a Story, u: usize) -> &'a [f32] {
        let d = story.sem_dims;
        match self.sem_of[u] {
            Some(k) => &self.sem[k * d..(k + 1) * d],
            None => &story.sem_centred[self.sent[u] * d..(self.sent[u] + 1) * d],
        }
    }

    /// The unit's key for the transformer tier: a whole sentence under its
    /// index (so that [`Facts::says_same`](super::Facts::says_same) reads the same vectors), a
    /// clause past the last sentence.
    pub(super) fn deep_key(&self, u: usize) -> usize {
        if self.whole[u] { self.sent[u] } else { self.n_sents + u }
    }

    pub(super) fn text<'a>(&self, story: &Story<'a>, u: usize) -> &'a str {
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
