//! Which attribution governs a quote: from its own sentence (a verb of
//! saying after or before it, a dash, a colon, the subject of the clause it
//! sits in), and, for a quote with none of its own, from its neighbours.

use super::clause::{Clauses, CueKind};
use super::lexicon::*;
use super::np::Np;
use super::regions::Region;
use super::tokens::{CAP, Kind, POSS};

/// How a quote was introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A verb of saying at this item.
    Verb(usize),
    /// A colon with no verb ("The statement: “…”").
    Colon,
    /// An attribution after a dash ("“…” — Ann Lee").
    Dash(usize),
    /// No cue: the quote sits inside a clause whose subject is the speaker
    /// ("Ann Lee landed a dig at “…”").
    None,
}

/// A quote's attribution: its cue and, when found, its speaker phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr {
    pub cue: Cue,
    pub speaker: Option<Np>,
    /// Whether the attribution touches the quote ("“…,” she said", "she
    /// said: “…”") rather than merely sharing its sentence.
    pub adjacent: bool,
}

/// Furthest a verb of saying may stand after a quote and still attribute
/// it as an adjacent subject-verb pair, in items: room for a long title and
/// name with a party tag ("Senate Minority Leader Ann B. Lee (D-Ohio) said"),
/// not for a new clause.
const MAX_RIGHT: usize = 16;

/// Longest sentence (in items) taken as nothing but an attribution when the
/// sentence splitter has cut it from the quote before it ("“We won.” Lee
/// said."): a bare attribution is a name, a verb and perhaps a short
/// adverbial; anything longer is a sentence of its own.
const SHORT_CLAUSE: usize = 12;

/// Most items after "Ann Lee said" in a sentence that is only an
/// attribution: a time or place ("on Monday.", "in a statement.").
const MAX_BARE_TAIL: usize = 4;

/// Most capitalised words (an outlet or show) before a speaker's role and
/// name right after a quote ("“…,” CBS Morning Show anchor Ann Lee said"):
/// a short proper name, not a clause.
const MAX_NAME_PREFIX: usize = 4;

/// Most words between a verb of saying and the quote it introduces for the
/// two to count as adjacent ("told reporters: “…”", "said that “…”").
const MAX_LEFT_GAP: usize = 3;

impl Clauses<'_> {
    /// The verb closing a bare attribution right after a quote, when it is
    /// no verb of saying this lexicon knows ("“…?” Lee pressed.", "“…,”
    /// retorted Lee."): subject and verb, or verb and name, then the end of
    /// the clause. Returns (verb, subject).
    pub(super) fn bare_attribution(&self, j: usize, end: usize) -> Option<(usize, Np)> {
        let items = self.items;
        let closes = |i: usize| i >= end || !items[i].word() || items[i].flags & PREP_STOP != 0;
        let verb_like = |i: usize| {
            i < end && items[i].lower() && items[i].flags & (FUNC | SKIP | DET | REL | CONJ | PREP_STOP) == 0
        };
        if let Some((np, e)) = self.np_fwd(j, end)
            && verb_like(e)
            && closes(e + 1)
            && match np {
                Np::Name { .. } | Np::Pron(_) => true,
                // "one user commented."
                Np::Desc { lo, .. } => items[lo].is(DET) && self.word_text(e).ends_with("ed"),
            }
        {
            return Some((e, np));
        }
        if verb_like(j)
            && let Some((np @ Np::Name { .. }, e)) = self.np_fwd(j + 1, end)
            && closes(e)
        {
            return Some((j, np));
        }
        None
    }

    /// Whether the quote at item `q` names a work rather than reports words:
    /// a title with its author after it ("“…,” by Ann Lee").
    pub fn is_titled_work(&self, q: usize) -> bool {
        let items = self.items;
        let mut j = q + 1;
        while j < items.len() && items[j].punct(',') {
            j += 1;
        }
        j + 1 < items.len() && items[j].para == items[q].para && self.word_text(j) == "by" && items[j + 1].name_word()
    }

    /// Whether the quoted words of region `r` end like a sentence cut off by
    /// its attribution ("?", "!", "…", a dash).
    pub(super) fn ends_open(&self, r: usize) -> bool {
        let reg = self.regions[r];
        matches!(self.text[reg.start..reg.end].chars().last(), Some('?' | '!' | '…' | '—' | '–' | '-'))
    }

    /// The attribution of the quote at item `q`, from its own sentence.
    pub fn attribute(&self, q: usize) -> Option<Attr> {
        let items = self.items;
        let sent = self.sent_of(q);
        // The sentence splitter cuts after "?”" and "!”", and after ".”"
        // before a capital; a short sentence right after is the attribution.
        let mut right_end = sent.end;
        let mut bare_clause_only = false;
        if q + 1 == sent.end && q + 1 < items.len() && items[q + 1].para == items[q].para {
            let next = self.sent_of(q + 1);
            if self.ends_open(items[q].region) {
                right_end = next.end;
            } else if next.len() <= SHORT_CLAUSE {
                right_end = next.end;
                bare_clause_only = true;
            }
        }
        // 1. after the quote: "“…,” Ann Lee said" / "“…,” said Ann Lee" /
        // "“…” before the crowd, she said." / "“…” — Ann Lee"
        let mut j = q + 1;
        let mut dash = None;
        while j < right_end && items[j].kind == Kind::Punct && (items[j].punct(',') || items[j].is_dash()) {
            if items[j].is_dash() {
                dash = Some(j);
            }
            j += 1;
        }
        let mut k = j;
        while k < right_end {
            let it = &items[k];
            if self.is_long_quote(k) {
                // "“A” and “B,” Ann Lee said": one attribution for both
                if (j..k).all(|i| items[i].kind == Kind::Punct || items[i].is(CONJ)) {
                    j = k + 1;
                    while j < right_end && (items[j].punct(',') || items[j].is_dash()) {
                        j += 1;
                    }
                    k = j;
                    continue;
                }
                break;
            }
            if it.punct(';') || it.punct(':') || self.cue_kind[k].is_some() {
                break;
            }
            k += 1;
        }
        // "…, Ann Lee said: “…”" introduces the next quote, not this one
        let introduces_next = k < right_end
            && (self.particle_end(k)..right_end.min(self.particle_end(k) + 4))
                .find(|&i| !items[i].word() || self.is_long_quote(i))
                .is_some_and(|i| items[i].punct(':') || self.is_long_quote(i));
        if k < right_end && !introduces_next {
            let subj = self.subject[k];
            let found = match self.cue_kind[k] {
                Some(CueKind::Finite) => {
                    // "“…,” a friend, Ann Lee, told …": a role set off before the name
                    let role_first = subj.is_some_and(|np| {
                        let st = np.start();
                        (st > j + 1 && items[st - 1].punct(',') && self.valid_desc(j, st - 1))
                            || (st > j
                                && st - j <= MAX_NAME_PREFIX
                                && (j..st).all(|i| {
                                    let w = &items[i];
                                    w.word() && (w.flags & (CAP | POSS) != 0 || w.is(DET) || self.is_role(i))
                                }))
                    });
                    let touching =
                        k - j <= MAX_RIGHT && (k == j || subj.is_some_and(|np| np.start() == j) || role_first);
                    // set off by a comma and closing the sentence
                    let start = subj.map_or(k, Np::start);
                    let after = self.particle_end(k);
                    let closes = after >= right_end
                        || !items[after].word()
                        || items[after].flags & PREP_STOP != 0
                        || subj.is_some_and(|np| np.start() > k);
                    let lead = if start > k { k } else { start };
                    let aside = subj.is_some() && lead > j && items[lead - 1].punct(',') && closes;
                    // after "“….”" only a bare "Ann Lee said." may follow
                    let tail = subj.map_or(after, |np| if np.start() > k { self.np_end(np) } else { after });
                    let bare = right_end.saturating_sub(tail) <= MAX_BARE_TAIL;
                    (touching || aside) && (!bare_clause_only || bare)
                }
                Some(CueKind::According) => k == j,
                _ => false,
            };
            if found {
                return Some(Attr { cue: Cue::Verb(k), speaker: subj, adjacent: true });
            }
        }
        let reg = self.regions[items[q].region];
        let as_object = self.text[reg.start..reg.end].ends_with([',', '?', '!', '—', '–'])
            || (q + 1 < right_end && items[q + 1].punct(','));
        if as_object && let Some((v, np)) = self.bare_attribution(j, right_end) {
            return Some(Attr { cue: Cue::Verb(v), speaker: Some(np), adjacent: true });
        }
        if let Some(d) = dash
            && let Some((np @ Np::Name { .. }, end)) = self.np_fwd(j, right_end)
            && (end >= right_end || !items[end].word())
        {
            return Some(Attr { cue: Cue::Dash(d), speaker: Some(np), adjacent: true });
        }
        // 2. a verb of saying before it in the sentence (one with a
        // subject, before one without: "Lee, who told them when asked: “…”")
        let mut left: Option<usize> = (sent.start..q)
            .rev()
            .filter(|&k| self.cue_kind[k].is_some())
            .find(|&k| self.subject[k].is_some())
            .or_else(|| (sent.start..q).rev().find(|&k| self.cue_kind[k].is_some()));
        // A report inside a person's report ("Lee said … a platform that
        // calls for “…”", "Lee said that according to its count, “…”"):
        // the quote is the outer speaker's.
        if let Some(k) = left
            && !matches!(self.subject[k], Some(Np::Name { .. } | Np::Pron(_)))
            && let Some(outer) = (sent.start..k).rev().find(|&o| {
                self.cue_kind[o] == Some(CueKind::Finite)
                    && matches!(self.subject[o], Some(Np::Name { .. } | Np::Pron(_)))
                    && !(o..k).any(|i| self.is_long_quote(i))
            })
        {
            left = Some(outer);
        }
        if let Some(k) = left {
            let from = match self.subject[k] {
                Some(np) if np.start() > k => self.np_end(np),
                _ => self.particle_end(k),
            };
            let gap = (from.min(q)..q).filter(|&i| items[i].word()).count();
            let names_between = (from.min(q)..q).any(|i| items[i].name_word());
            return Some(Attr {
                cue: Cue::Verb(k),
                speaker: self.subject[k],
                adjacent: gap <= MAX_LEFT_GAP && !names_between,
            });
        }
        // 3. a colon introducing it: "The statement: “…”", "Topic — Ann Lee: “…”"
        let lo = self.clause_lo(q);
        if q > sent.start && items[q - 1].punct(':') {
            let from = (lo..q - 1).rev().find(|&i| items[i].is_dash()).map_or(lo, |d| d + 1);
            return Some(Attr { cue: Cue::Colon, speaker: self.clause_subject(from, q - 1), adjacent: true });
        }
        // 4. no verb of saying: the subject of the clause the quote is part of
        // (across earlier partial quotes: "Lee backs “fair pay raises,”
        // opposes “…”")
        if sent.start < q
            && let Some(np) = self.nearest_subject(sent.start, q).or_else(|| self.clause_subject(lo, q))
            && self.speaker_like(np)
        {
            return Some(Attr { cue: Cue::None, speaker: Some(np), adjacent: false });
        }
        None
    }

    /// The attribution a paragraph ending in a colon gives to the quote
    /// that opens the next one ("Ann Lee said:" / "The statement read:").
    pub fn colon_attribution(&self, last_item: usize) -> Option<Attr> {
        let items = self.items;
        if !items[last_item].punct(':') {
            return None;
        }
        let sent = self.sent_of(last_item);
        for k in (sent.start..last_item).rev() {
            if self.is_long_quote(k) {
                break;
            }
            if self.cue_kind[k].is_some() {
                return Some(Attr { cue: Cue::Verb(k), speaker: self.subject[k], adjacent: true });
            }
        }
        let lo = self.clause_lo(last_item);
        Some(Attr { cue: Cue::Colon, speaker: self.clause_subject(lo, last_item), adjacent: true })
    }
}

/// The attribution a quote with none of its own takes from its neighbours:
/// the quote it runs on into (a quote left open at the end of its
/// paragraph), the sentence before it (in its paragraph, or the last one of the
/// paragraph before when the quote opens its own) — a colon ending it, a
/// quote in it, a verb of saying in it, or its subject — else the next
/// quote of its paragraph ("“A.” “B,” she said.").
pub(super) fn inherited(
    c: &Clauses,
    regions: &[Region],
    region_item: &[usize],
    long: &[bool],
    attrs: &[Option<Attr>],
    own: &[Option<Attr>],
    r: usize,
) -> Option<Attr> {
    let items = c.items;
    let qi = region_item[r];
    let para = items[qi].para;
    // a quote left open at the end of its paragraph goes on in the next one,
    // whose attribution is the whole quote's
    if !regions[r].closed
        && let Some(n) = (r + 1..region_item.len()).find(|&n| long[n])
        && region_item[n] != usize::MAX
        && items[region_item[n]].para == para + 1
        && (region_item[n] == 0 || items[region_item[n] - 1].para != items[region_item[n]].para)
        && let Some(a) = own[n]
    {
        return Some(a);
    }
    let sent = c.sent_of(qi);
    if sent.start > 0 {
        let last = sent.start - 1;
        let close = items[last].para == para || (items[last].para + 1 == para && items[sent.start].para == para);
        let opens_para = items[last].para != para;
        if close && (!opens_para || (sent.start..qi).all(|i| items[i].kind == Kind::Punct)) {
            if let Some(a) = c.colon_attribution(last) {
                return Some(a);
            }
            let prev = c.sent_of(last);
            // a quote of that sentence, with its attribution
            if let Some(a) = (prev.start..prev.end)
                .rev()
                .filter(|&i| items[i].kind == Kind::Quote && long[items[i].region])
                .find_map(|i| attrs[items[i].region])
            {
                return Some(a);
            }
            // its last verb of saying, or its subject
            if let Some(k) = (prev.start..prev.end).rev().find(|&k| c.cue_kind[k].is_some() && c.subject[k].is_some()) {
                return Some(Attr { cue: Cue::Verb(k), speaker: c.subject[k], adjacent: false });
            }
            // an earlier quote of the paragraph ("“A,” Lee said. The towns
            // are remote. “B.”"), before a mere subject
            if let Some(a) = (0..r)
                .rev()
                .take_while(|&p| region_item[p] != usize::MAX && items[region_item[p]].para == para)
                .filter(|&p| long[p])
                .find_map(|p| attrs[p])
            {
                return Some(a);
            }
            if let Some(np) = c.clause_subject(prev.start, prev.end)
                && c.speaker_like(np)
            {
                return Some(Attr { cue: Cue::None, speaker: Some(np), adjacent: false });
            }
        }
    }
    ((r + 1)..region_item.len())
        .take_while(|&n| region_item[n] != usize::MAX && items[region_item[n]].para == para)
        .filter(|&n| long[n])
        .find_map(|n| own[n])
}
