//! Who said it, across outlets: one utterance credited to different people
//! (an `attribution` conflict), and a quote one outlet leaves unattributed
//! that another attributes (the story view fills the speaker in and says
//! whose attribution it is).
//!
//! Kept apart from the grouping of wordings (`quotes/`) and from the
//! other conflict kinds: this is about the speaker side of a quote only.

use chorus_model::{Conflict, ConflictKind, EntityKind};

use crate::conflicts::{position, real, shorten};
use crate::quotes::Groups;
use crate::story::Story;

/// Overlap coefficient at or above which two quotes credited to different
/// speakers are one utterance (an attribution conflict). Stricter than
/// quote grouping: it asserts an error in someone's reporting.
pub const ATTRIBUTION_OVERLAP: f32 = 0.7;

/// Content stems such a quote must have, and two quotes must share: short
/// phrases ("we are ready", "I fully support and endorse his
/// re-election") are said by many people.
pub const ATTRIBUTION_MIN_STEMS: usize = 5;

/// Share of the longer quote's content stems the two must share as well:
/// two people saying alike things share the key words of the shorter, not
/// most of the longer ("It is an act of war that was committed by a
/// terrorist army, a jihadist army, Daesh" / "We are facing an act of war
/// organized by an army of terrorist jihadists that had already organized
/// and planned attacks in the past": 5 of 7 and 5 of 11).
pub const ATTRIBUTION_COVER_LONGER: f32 = 0.5;

/// Whether a quote relays someone else's words: it holds a quotation of
/// its own (“… ‘were extremely careless …’ Not fit!”) or a verb of saying
/// after a subject other than the speaker ("The FBI director said she
/// exercised extreme carelessness …"). Its words are another's, so an
/// outlet crediting them to the relayer disputes nobody.
fn relays_speech(text: &str) -> bool {
    if text.contains('‘') || text.contains('“') || text.contains('"') {
        return true;
    }
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.windows(2).any(|w| {
        chorus_extract::cues::finite_speech_verb(w[1]).is_some()
            && !matches!(w[0].to_lowercase().as_str(), "i" | "we" | "you")
    })
}

/// Whether the sentences holding quote `q` (its words and the attribution
/// written with them) name story entity `who`: an article that credits a
/// quote to one person while naming another in the same attribution
/// ("… Trump tweeted, quoting Comey's statement"; "… Pierre Montfort, a
/// resident living close to Le Petit Cambodge said") does not dispute
/// that the other said it.
fn names_in_attribution(story: &Story, q: &crate::quotes::Q, who: usize) -> bool {
    let (s, e) = q.span;
    let Some((lo, hi)) = story.by_doc[q.doc]
        .clone()
        .map(|i| &story.sents[i])
        .filter(|x| x.start <= e && s < x.end.max(x.start + 1))
        .fold(None, |acc: Option<(usize, usize)>, x| {
            Some(acc.map_or((x.start, x.end), |(a, b)| (a.min(x.start), b.max(x.end))))
        })
    else {
        return false;
    };
    // A quote that closes its sentence ("… Not fit!” Trump tweeted") has
    // its attribution in the next one.
    let hi = if hi.saturating_sub(e) <= 4 {
        story.by_doc[q.doc].clone().map(|i| &story.sents[i]).find(|x| x.start >= hi).map_or(hi, |x| x.end)
    } else {
        hi
    };
    story.docs[q.doc]
        .extraction
        .entities
        .iter()
        .zip(&story.mention_ids[q.doc])
        .any(|(m, &id)| id == who && m.start >= lo && m.end <= hi && (m.end <= s || m.start >= e))
}

/// For each variant of each group (in `Groups::to_model` order), the
/// article whose attribution gives an unattributed variant its speaker:
/// the first article of the group (independent articles first) that names
/// the group's speaker. `None` for a variant whose article names a speaker
/// itself, and for every variant of a group nobody attributes.
pub(crate) fn filled_in(story: &Story, g: &Groups) -> Vec<Vec<Option<String>>> {
    g.groups
        .iter()
        .map(|grp| {
            let Some(speaker) = g.speaker(story, grp) else { return vec![None; grp.len()] };
            let names_it = |i: usize| {
                let q = &g.quotes[i];
                q.speaker.is_some_and(|s| story.entity_name(s) == speaker) || q.raw_speaker == Some(speaker.as_str())
            };
            let source =
                grp.iter().copied().find(|&i| names_it(i)).map(|i| story.article_id(g.quotes[i].doc).to_string());
            grp.iter()
                .map(|&i| {
                    let q = &g.quotes[i];
                    if q.speaker.is_none() && q.raw_speaker.is_none() { source.clone() } else { None }
                })
                .collect()
        })
        .collect()
}

/// One utterance (two quotes of different articles sharing most of their
/// words) credited to different people.
pub(crate) fn conflicts(story: &Story, g: &Groups) -> Vec<Conflict> {
    let qs = &g.quotes;
    let mut out = Vec::new();
    let mut done: Vec<(usize, usize)> = Vec::new();
    // Rival attributions are looked for among the core articles' quotes
    // (as facts are: a hundred independent accounts show who is credited
    // with what), so the pairwise search stays bounded in a big story;
    // every article's quotes then count in the positions.
    let core = crate::facts::core_docs(story);
    let cands: Vec<usize> = (0..qs.len())
        .filter(|&i| core[qs[i].doc] && qs[i].speaker.is_some() && qs[i].stems.len() >= ATTRIBUTION_MIN_STEMS)
        .collect();
    for (x, &i) in cands.iter().enumerate() {
        // Every article quoting quote `i`'s words, by the speaker it names:
        // the same for every `j`, so read once (a scan of every quote of
        // the story, which in a story of thousands of articles is the
        // dearest step here).
        let mut by_speaker_i: Option<Vec<(usize, Vec<usize>)>> = None;
        for &j in &cands[x + 1..] {
            let (a, b) = (&qs[i], &qs[j]);
            let (Some(sa), Some(sb)) = (a.speaker, b.speaker) else { continue };
            if sa == sb || a.doc == b.doc {
                continue;
            }
            // "Najib" and "Najib Razak" are one speaker the merge missed,
            // not two; and a quote credited to an office or a government
            // ("the Elysée said") is its head's words, not a rival claim.
            // (Cheap tests first: the name test allocates.)
            let person = |e: usize| story.ents.entities.get(e).is_some_and(|x| matches!(x.kind, EntityKind::Person));
            if !person(sa) || !person(sb) || done.contains(&(sa.min(sb), sa.max(sb))) {
                continue;
            }
            let shared = shared_sorted(&a.stems, &b.stems);
            let o = shared as f32 / a.stems.len().min(b.stems.len()) as f32;
            let longer = shared as f32 / a.stems.len().max(b.stems.len()) as f32;
            if o < ATTRIBUTION_OVERLAP
                || longer < ATTRIBUTION_COVER_LONGER
                || shared < ATTRIBUTION_MIN_STEMS
                || share_name_token(story.entity_name(sa), story.entity_name(sb))
                || relays_speech(a.text)
                || relays_speech(b.text)
                || names_in_attribution(story, b, sa)
                || names_in_attribution(story, a, sb)
            {
                continue;
            }
            let by_speaker = by_speaker_i.get_or_insert_with(|| quoting(qs, &a.stems));
            let docs: Vec<Vec<usize>> = by_speaker.iter().map(|(_, d)| d.clone()).collect();
            if !real(story, &docs) {
                continue;
            }
            // One conflict an utterance: its positions already hold every
            // speaker it is credited to.
            for (p, (x, _)) in by_speaker.iter().enumerate() {
                for (y, _) in &by_speaker[p + 1..] {
                    done.push((*x.min(y), *x.max(y)));
                }
            }
            done.push((sa.min(sb), sa.max(sb)));
            out.push(Conflict {
                kind: ConflictKind::Attribution,
                subject: format!("“{}”", shorten(a.text, 90)),
                positions: by_speaker
                    .iter()
                    .map(|(s, d)| position(story, story.entity_name(*s).to_string(), d))
                    .collect(),
            });
        }
    }
    out
}

/// Every article whose quote holds most of `stems` (the overlap
/// coefficient at [`ATTRIBUTION_OVERLAP`]), by the speaker it names, in
/// order of first appearance; each speaker's articles sorted, unique.
fn quoting(qs: &[crate::quotes::Q], stems: &[String]) -> Vec<(usize, Vec<usize>)> {
    let mut by_speaker: Vec<(usize, Vec<usize>)> = Vec::new();
    for q in qs {
        let Some(s) = q.speaker else { continue };
        if q.stems.is_empty() {
            continue;
        }
        let sh = shared_sorted(&q.stems, stems);
        if sh < ATTRIBUTION_MIN_STEMS || (sh as f32) / (q.stems.len().min(stems.len()) as f32) < ATTRIBUTION_OVERLAP {
            continue;
        }
        match by_speaker.iter_mut().find(|(x, _)| *x == s) {
            Some(e) => e.1.push(q.doc),
            None => by_speaker.push((s, vec![q.doc])),
        }
    }
    for e in &mut by_speaker {
        e.1.sort_unstable();
        e.1.dedup();
    }
    by_speaker
}

/// Items two sorted, unique lists share (one merge walk).
fn shared_sorted(a: &[String], b: &[String]) -> usize {
    crate::sorted::common_by(a, b, |s| s.as_str())
}

fn share_name_token(a: &str, b: &str) -> bool {
    let ta: Vec<String> = a.split_whitespace().map(str::to_lowercase).collect();
    b.split_whitespace().any(|w| ta.contains(&w.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use chorus_model::{ConflictKind, EntityKind};

    use crate::testkit::{Art, docs, entities};
    use crate::{Options, analyze_with};

    const WORDS: &str = "The harbour wall will be rebuilt before the winter storms reach the coast";

    fn story(second: Option<&str>) -> crate::Analysis {
        let a = Art::new("a", &format!("“{WORDS},” Ilse Brandvold said on Monday."))
            .entity("Ilse Brandvold", 0, "Ilse Brandvold", EntityKind::Person, None)
            .quote(WORDS, Some("Ilse Brandvold"));
        let b = Art::new(
            "b",
            &format!("Officials in the port town repeated the promise: “{WORDS}.” Tomas Varga was there."),
        )
        .entity("Tomas Varga", 0, "Tomas Varga", EntityKind::Person, None)
        .quote(WORDS, second);
        let arts = vec![a, b];
        let ents =
            entities(&arts, &[("Ilse Brandvold", EntityKind::Person, &[]), ("Tomas Varga", EntityKind::Person, &[])]);
        analyze_with(&docs(&arts), &ents, &Options::default())
    }

    #[test]
    fn an_unattributed_variant_is_filled_in_with_its_source() {
        let a = story(None);
        let q = a.quotes.iter().find(|q| q.variants.len() == 2).expect("one utterance, two outlets");
        assert_eq!(q.speaker.as_deref(), Some("Ilse Brandvold"));
        let by = |id: &str| q.variants.iter().find(|v| v.article == id).unwrap();
        assert_eq!(by("a").speaker_from, None, "the outlet that names the speaker needs no source");
        assert_eq!(by("b").speaker_from.as_deref(), Some("a"));
        assert!(a.conflicts.iter().all(|c| c.kind != ConflictKind::Attribution));
    }

    #[test]
    fn one_utterance_credited_to_two_people_is_an_attribution_conflict() {
        let a = story(Some("Tomas Varga"));
        let c = a.conflicts.iter().find(|c| c.kind == ConflictKind::Attribution).expect("attribution conflict");
        let mut who: Vec<&str> = c.positions.iter().map(|p| p.value.as_str()).collect();
        who.sort_unstable();
        assert_eq!(who, vec!["Ilse Brandvold", "Tomas Varga"]);
        assert!(a.quotes.iter().flat_map(|q| &q.variants).all(|v| v.speaker_from.is_none()));
    }

    #[test]
    fn a_relayer_naming_the_speaker_disputes_nobody() {
        let a = Art::new("a", &format!("“{WORDS},” Ilse Brandvold said on Monday."))
            .entity("Ilse Brandvold", 0, "Ilse Brandvold", EntityKind::Person, None)
            .quote(WORDS, Some("Ilse Brandvold"));
        let b = Art::new("b", &format!("“{WORDS},” Tomas Varga said, quoting Ilse Brandvold."))
            .entity("Tomas Varga", 0, "Tomas Varga", EntityKind::Person, None)
            .entity("Ilse Brandvold", 0, "Ilse Brandvold", EntityKind::Person, None)
            .quote(WORDS, Some("Tomas Varga"));
        let arts = vec![a, b];
        let ents =
            entities(&arts, &[("Ilse Brandvold", EntityKind::Person, &[]), ("Tomas Varga", EntityKind::Person, &[])]);
        let an = analyze_with(&docs(&arts), &ents, &Options::default());
        assert!(an.conflicts.iter().all(|c| c.kind != ConflictKind::Attribution), "{:?}", an.conflicts);
    }

    #[test]
    fn relayed_speech_is_anothers() {
        assert!(super::relays_speech("The FBI director said she exercised extreme carelessness"));
        assert!(super::relays_speech("Crooked Hillary Clinton and her team ‘were extremely careless.’ Not fit!"));
        assert!(!super::relays_speech("I said we would rebuild the bridge within a year"));
        assert!(!super::relays_speech("We will rebuild the bridge within a year"));
    }
}
