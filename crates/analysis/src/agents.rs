//! Who a sentence says acted or spoke: its agent, a story entity.
//!
//! Two sentences can share every name, number and topic word and still
//! report different things because someone else does the thing: "Trump
//! called for direct negotiations between Zelensky and Putin" and
//! "Zelensky demanded a meeting with Trump before any meeting with Putin".
//! Bag-of-words and static vectors score them alike; the agent tells them
//! apart. Only agents found with confidence count, so that a sentence whose
//! agent is unclear never blocks a link:
//!
//! 1. the speaker of a quote in the sentence, as the extractor attributed it;
//! 2. an entity right before a finite verb of saying ("…, Mayor Lindqvist
//!    charged on Sunday", "Zelenskyy stated that…") or right after one
//!    ("…, said Lindqvist");
//! 3. the sentence's opening entity when only capitalised words (titles,
//!    "However,") come before it and it is not a possessive ("Former
//!    President Donald Trump, in a series of attacks, labelled…"; not
//!    "Although Ukraine is…, Hegseth rejected…", not "Zelensky's comments…").

use crate::story::{Story, slice, word_tokens};

/// Capitalised words that open a subordinate or adverbial clause: an entity
/// after them is that clause's subject, not the sentence's.
const SUBORDINATORS: &[&str] =
    &["although", "though", "despite", "whereas", "unlike", "like", "amid", "following", "according", "as", "while"];

/// Connectives that may come before a sentence's subject.
const CONNECTIVES: &[&str] = &["however", "meanwhile", "but", "and", "also", "still", "now", "then", "later"];

/// Who a sentence names as speaking or acting. A sentence with a speaker
/// reports what was said, and its opening entity is then the subject of
/// the reported words ("Halsten Power ignored warnings, the mayor said"),
/// not of the sentence: it has a speaker or a subject, never both.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Agent {
    pub speaker: Option<usize>,
    pub subject: Option<usize>,
    /// The person a "He"/"She" opening the sentence refers to (the one
    /// the article's previous sentence was about). A guess: it may anchor
    /// a link (the same person acting) but never makes two sentences
    /// clash or two groups differ, so a wrong guess costs no true link.
    pub referent: Option<usize>,
}

impl Agent {
    /// Whether two sentences name different agents (speaker or subject,
    /// whichever each has): then they report different statements.
    pub fn clashes(self, other: Agent) -> bool {
        matches!((self.speaker.or(self.subject), other.speaker.or(other.subject)), (Some(x), Some(y)) if x != y)
    }
}

/// The agent of every sentence of the story (unclear roles are `None`),
/// and its attribution frame: for a sentence with a speaker, the stems of
/// the speaker's name, the capitalised title words right before it
/// ("Chief Fire Officer") and the verbs of saying. Two statements by one
/// speaker share the whole frame ("Chief Fire Officer Dana Whitlow said
/// the cause was not known" / "… said the sprinklers were off"), which
/// says who spoke, not what was said: facts compare sentences with it left
/// out. Frames are sorted stem ids, empty without a speaker.
pub(crate) fn agents(story: &Story) -> (Vec<Agent>, Vec<Vec<u32>>) {
    let mut out = vec![Agent::default(); story.sents.len()];
    let mut frames = vec![Vec::new(); story.sents.len()];
    for (d, range) in story.by_doc.iter().enumerate() {
        let ex = story.docs[d].extraction;
        let text = story.docs[d].article.text.as_str();
        // Mentions by position, found per sentence by binary search: a
        // scan of every mention per sentence would cost an article of many
        // sentences the square of its length.
        let mut order: Vec<usize> = (0..ex.entities.len()).collect();
        order.sort_by_key(|&m| ex.entities[m].start);
        // The person the previous sentence of the article is about, when
        // a "He"/"She" opening the next one can only be that person.
        let mut prev: Option<usize> = None;
        for i in range.clone() {
            let s = &story.sents[i];
            let lo = order.partition_point(|&m| ex.entities[m].start < s.start);
            let mentions: Vec<(usize, usize, usize)> = order[lo..]
                .iter()
                .take_while(|&&m| ex.entities[m].start < s.end)
                .filter(|&&m| ex.entities[m].end <= s.end)
                .filter_map(|&m| story.mention_ids[d].get(m).map(|&id| (ex.entities[m].start, ex.entities[m].end, id)))
                .collect();
            let pronoun = prev.filter(|_| opens_with_pronoun(s.text));
            let people = |ms: &[(usize, usize, usize)]| {
                let mut p: Vec<usize> = ms.iter().map(|m| m.2).filter(|&id| is_person(story, id)).collect();
                p.sort_unstable();
                p.dedup();
                p
            };
            if mentions.is_empty() && !ex.quotes.iter().any(|q| q.start < s.end && q.end > s.start) {
                out[i].referent = pronoun;
                prev = pronoun;
                continue;
            }
            // The sentence's words, once: every test below reads them.
            let words: Vec<(usize, usize, &str)> = word_tokens(s.text, s.start).collect();
            let speaker = quote_speaker(story, d, s.start, s.end).or_else(|| speaking(text, &words, &mentions));
            out[i] = match speaker {
                Some(_) => Agent { speaker, subject: None, referent: None },
                None => Agent { speaker: None, subject: opening(text, &words, &mentions), referent: pronoun },
            };
            // The sentence's agent carries to a pronoun opening the next
            // when it is a person and either the only person the sentence
            // names or itself reached by a pronoun (the subject of a run
            // of "He …" sentences stays the subject).
            prev = out[i]
                .speaker
                .or(out[i].subject)
                .or(out[i].referent)
                .filter(|&a| is_person(story, a))
                .filter(|&a| pronoun == Some(a) || people(&mentions) == [a]);
            if let Some(sp) = speaker {
                // The titles the article writes beside the speaker's name
                // in this sentence ("Grace Atuhaire, Uganda's fisheries
                // minister, said").
                let titles: Vec<&str> = order[lo..]
                    .iter()
                    .take_while(|&&m| ex.entities[m].start < s.end)
                    .filter(|&&m| story.mention_ids[d].get(m) == Some(&sp))
                    .filter_map(|&m| ex.entities[m].title.as_deref())
                    .collect();
                frames[i] =
                    frame(s, &words, mentions.iter().filter(|m| m.2 == sp).map(|m| (m.0, m.1)).collect(), &titles);
            }
        }
    }
    (out, frames)
}

/// Whether a sentence opens with "He" or "She" as its subject (after at
/// most a connective: "But he said", "However, she"): news writing refers
/// so to the person the sentence before was about.
fn opens_with_pronoun(text: &str) -> bool {
    let words: Vec<&str> = word_tokens(text, 0).map(|w| w.2).take(2).collect();
    let pronoun = |w: &str| matches!(w, "He" | "She" | "he" | "she");
    match words.as_slice() {
        [w, ..] if matches!(*w, "He" | "She") => true,
        [c, w] => CONNECTIVES.contains(&c.to_lowercase().as_str()) && pronoun(w),
        _ => false,
    }
}

/// Whether a story entity is a person: a person-kind entity, or a name
/// only a quote's attribution gave (someone who spoke).
fn is_person(story: &Story, id: usize) -> bool {
    story.ents.entities.get(id).is_none_or(|e| e.kind == chorus_model::EntityKind::Person)
}

fn quote_speaker(story: &Story, d: usize, start: usize, end: usize) -> Option<usize> {
    let ex = story.docs[d].extraction;
    let mut found = None;
    for q in ex.quotes.iter().filter(|q| q.start < end && q.end > start) {
        let id = story.entity_of(q.speaker.as_deref()?)?;
        if found.is_some_and(|f| f != id) {
            return None;
        }
        found = Some(id);
    }
    found
}

/// An entity next to a finite verb of saying (the one list,
/// `chorus_extract::cues`): "X said", "X also told", "said X". After the
/// name only the past and "says" count (a present third person is often a
/// noun or another verb: "U.S. demands", "Russia continues"); before it
/// only "say" and "add", the verbs news inverts ("…,
/// said Lindqvist"), since "urged Trump" and "told Reuters" name the
/// listener.
fn speaking(text: &str, words: &[(usize, usize, &str)], mentions: &[(usize, usize, usize)]) -> Option<usize> {
    let verbs = chorus_extract::cues::speech_verbs();
    let verb_after = |w: &str| verbs.iter().any(|v| v.past == w || (v.base == "say" && v.third == w));
    for &(ms, me, id) in mentions {
        let rest = slice(text, me, text.len());
        // "Ukraine's air force reported", "Zelensky's office said": a body
        // of the entity speaks for it (one or two words after the
        // possessive).
        let possessive = rest.starts_with("'s") || rest.starts_with("’s");
        let first = words.partition_point(|w| w.0 < me);
        let skip = usize::from(possessive && words.get(first).is_some_and(|w| w.2 == "s"));
        let after: Vec<&str> = words[first..].iter().map(|w| w.2).skip(skip).take(3).collect();
        let said_after = match (possessive, after.as_slice()) {
            (false, [w, ..]) if verb_after(w) => true,
            (false, [adv, w, ..]) if adv.ends_with("ly") || *adv == "also" => verb_after(w),
            (true, [n, w, ..]) if !verb_after(n) && verb_after(w) => true,
            (true, [n1, n2, w, ..]) if !verb_after(n1) && !verb_after(n2) && verb_after(w) => true,
            _ => false,
        };
        // "Grace Atuhaire, Uganda's fisheries minister, said": the name,
        // a title or role between commas, then the verb.
        let said_after = said_after || (!possessive && apposition_then(rest).is_some_and(verb_after));
        let before = words[..words.partition_point(|w| w.1 <= ms)].last().map(|w| w.2);
        let said_before =
            before.is_some_and(|w| matches!(chorus_extract::cues::finite_speech_verb(w), Some("say" | "add")));
        if said_after || said_before {
            return Some(id);
        }
    }
    None
}

/// Words an appositive between commas may hold ("Uganda's fisheries
/// minister", "the head of the regional water authority"): a title or a
/// role, not a clause.
const APPOSITION_WORDS: usize = 8;

/// The word after an appositive that `rest` (the text right after a name)
/// opens: ", <at most [`APPOSITION_WORDS`] words>, <word>"; none when
/// the text between the commas ends a sentence or holds a quotation.
fn apposition_then(rest: &str) -> Option<&str> {
    let inner = rest.strip_prefix(',')?;
    let close = inner.find(',')?;
    let between = &inner[..close];
    if between.split_whitespace().count() > APPOSITION_WORDS || between.contains(['.', ';', ':', '"', '“', '”', '('])
    {
        return None;
    }
    inner[close + 1..].split_whitespace().next().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// The opening entity of a sentence, when it is the subject.
fn opening(text: &str, words: &[(usize, usize, &str)], mentions: &[(usize, usize, usize)]) -> Option<usize> {
    let &(ms, me, id) = mentions.first()?;
    for &(_, _, w) in words.iter().take_while(|w| w.1 <= ms) {
        let lower = w.to_lowercase();
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        let connective = CONNECTIVES.contains(&lower.as_str());
        if !capital || SUBORDINATORS.contains(&lower.as_str()) || (chorus_text::is_stopword(w) && !connective) {
            return None;
        }
    }
    let rest = slice(text, me, text.len());
    if rest.starts_with("'s") || rest.starts_with("’s") || rest.starts_with('\'') || rest.starts_with('’') {
        return None;
    }
    if dateline(rest) {
        return None;
    }
    Some(id)
}

/// Whether the text after an opening entity makes it a dateline ("PORT
/// HALLAM — A footbridge…", "KYIV, Ukraine (AP) — …"): only capitalised
/// words, commas and a parenthesised agency up to a dash. A dateline says
/// where the report was filed, not who acted.
fn dateline(rest: &str) -> bool {
    // A dateline's place and agency fit in a few words.
    let head: String = rest.chars().take(48).collect();
    let Some(dash) = head.find(['—', '–']).or_else(|| head.find(" - ")) else {
        return false;
    };
    head[..dash]
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '.'))
        .filter(|w| !w.is_empty())
        .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// The frame of a sentence with a speaker whose name spans `spans` and
/// who is given `titles` beside it (the entity extractor's, capitalised
/// or not, before or after the name).
fn frame(
    s: &crate::story::Sent,
    words: &[(usize, usize, &str)],
    spans: Vec<(usize, usize)>,
    titles: &[&str],
) -> Vec<u32> {
    if words.len() != s.toks.len() {
        return Vec::new();
    }
    let in_name = |w: &(usize, usize, &str)| spans.iter().any(|&(a, b)| w.0 >= a && w.1 <= b);
    let capital = |w: &(usize, usize, &str)| w.2.chars().next().is_some_and(char::is_uppercase);
    // The title's words, found next to the name: within as many words of
    // it as the title has, and one more for the comma's "the" or "'s".
    let title_words: Vec<String> =
        titles.iter().flat_map(|t| crate::story::word_tokens(t, 0)).map(|w| w.2.to_lowercase()).collect();
    let names: Vec<usize> = (0..words.len()).filter(|&k| in_name(&words[k])).collect();
    let near_name = |k: usize| names.iter().any(|&n| n.abs_diff(k) <= title_words.len() + 1);
    let mut frame: Vec<u32> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        // A title: capitalised, and only capitalised words up to the
        // name, which starts within three words; or a word of the title
        // the extractor gave the speaker, next to the name.
        let title = (capital(w)
            && words[k + 1..]
                .iter()
                .position(in_name)
                .is_some_and(|p| p <= 3 && words[k + 1..k + 1 + p].iter().all(capital)))
            || (near_name(k) && title_words.iter().any(|t| t.eq_ignore_ascii_case(w.2)));
        if in_name(w) || title || chorus_extract::cues::finite_speech_verb(w.2).is_some() {
            frame.push(s.toks[k].0);
        }
    }
    frame.sort_unstable();
    frame.dedup();
    frame
}

#[cfg(test)]
mod tests {
    use super::{agents, dateline, opens_with_pronoun};
    use crate::story::Story;
    use crate::testkit::{Art, docs, entities};
    use chorus_model::EntityKind;

    #[test]
    fn a_pronoun_takes_the_person_the_sentence_before_was_about() {
        assert!(opens_with_pronoun("He argued that grants are not loans."));
        assert!(opens_with_pronoun("But she said no."));
        assert!(!opens_with_pronoun("The hospital said he was stable."));
        let text = "Mayor Petra Lindqvist said the bridge would be rebuilt. She also promised an inquiry into the council. \
            He argued that grants are not loans. The council met on Monday. He denied everything. \
            Lindqvist accused Tomas Brekke of ignoring warnings. He rejected the claim.";
        let arts = [Art::new("a", text)
            .entity("Petra Lindqvist", 0, "Petra Lindqvist", EntityKind::Person, Some("Mayor"))
            .entity("Lindqvist", 1, "Petra Lindqvist", EntityKind::Person, None)
            .entity("Tomas Brekke", 0, "Tomas Brekke", EntityKind::Person, None)];
        let ents =
            entities(&arts, &[("Petra Lindqvist", EntityKind::Person, &[]), ("Tomas Brekke", EntityKind::Person, &[])]);
        let ds = docs(&arts);
        let story = Story::build(&ds, &ents);
        let (ag, _) = agents(&story);
        let who = |i: usize| ag[i].speaker.or(ag[i].subject).or(ag[i].referent);
        let mayor = story.entity_of("Petra Lindqvist");
        assert!(mayor.is_some());
        assert_eq!(story.sents.len(), 7, "{:?}", story.sents.iter().map(|s| s.text).collect::<Vec<_>>());
        assert_eq!(who(0), mayor);
        // A run of pronouns stays with the mayor.
        assert_eq!(who(1), mayor);
        assert_eq!(who(2), mayor);
        // A sentence about no one in between: the next "He" is unclear.
        assert_eq!(who(4), None);
        // Two people named before: "He" could be either.
        assert_eq!(who(6), None);
    }

    /// The title the extractor gives a speaker is part of the frame
    /// wherever the article writes it beside the name, capitalised or
    /// not: it says who spoke, as the name does.
    #[test]
    fn a_speakers_title_beside_the_name_is_in_the_frame() {
        let text = "Grace Atuhaire, Uganda's fisheries minister, said she expected an agreement by Friday. \
            Fisheries minister Grace Atuhaire told reporters the talks went well.";
        let arts = [Art::new("a", text)
            .entity("Grace Atuhaire", 0, "Grace Atuhaire", EntityKind::Person, Some("Uganda's fisheries minister"))
            .entity("Grace Atuhaire", 1, "Grace Atuhaire", EntityKind::Person, Some("Fisheries minister"))];
        let ents = entities(&arts, &[("Grace Atuhaire", EntityKind::Person, &[])]);
        let ds = docs(&arts);
        let story = Story::build(&ds, &ents);
        let (ag, frames) = agents(&story);
        assert_eq!(story.sents.len(), 2);
        let stems = |i: usize| -> Vec<u32> { story.sents[i].toks.iter().map(|t| t.0).collect() };
        for i in 0..2 {
            assert!(ag[i].speaker.is_some(), "{i}");
            // Every word of the sentence's first clause but "she"/"the": the
            // name, the title and the verb of saying.
            let fisheries = stems(i)[if i == 0 { 4 } else { 0 }];
            let minister = stems(i)[if i == 0 { 5 } else { 1 }];
            assert!(frames[i].contains(&fisheries) && frames[i].contains(&minister), "{i}: {:?}", frames[i]);
        }
        // What she said is not the frame.
        let agreement = stems(0)[10];
        assert!(!frames[0].contains(&agreement));
    }

    #[test]
    fn an_appositive_between_the_name_and_the_verb() {
        assert_eq!(super::apposition_then(", Uganda's fisheries minister, said she"), Some("said"));
        assert_eq!(super::apposition_then(", 54, told reporters"), Some("told"));
        assert_eq!(super::apposition_then(" said"), None);
        assert_eq!(super::apposition_then(", who said. Then, he"), None);
        assert_eq!(super::apposition_then(", and a long list of other people and places of the valley, said"), None);
    }

    #[test]
    fn a_dateline_is_not_a_subject() {
        assert!(dateline(" — A pedestrian footbridge collapsed"));
        assert!(dateline(", Ukraine (AP) — Ukrainian President Volodymyr Zelenskyy said"));
        assert!(!dateline(" said on Sunday that the bridge – a landmark – would be rebuilt"));
        assert!(!dateline(" rejected the plan"));
    }
}
