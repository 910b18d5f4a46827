//! Verbs of saying: the one list (`data/speech_verbs.tsv`) that quote
//! attribution and entity recognition both read.
//!
//! A verb of saying is attribution's anchor ("Lee said", "said Lee"), and a
//! capitalised word right before one is a person's name; keeping the forms
//! in one file means a verb added for one purpose serves the other.

use std::sync::LazyLock;

const SPEECH_VERBS: &str = include_str!("../data/speech_verbs.tsv");

/// One verb of saying with its forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeechVerb {
    pub base: &'static str,
    pub third: &'static str,
    pub past: &'static str,
    pub participle: &'static str,
    /// Takes its listener or object right after it ("told reporters").
    pub object: bool,
    /// Its third-person form is more often a plural noun ("states").
    pub noun_third: bool,
    /// A capitalised word before its past form is a person's name when
    /// nothing else tells ("Lee said"); bodies more often "report".
    pub person: bool,
    /// The same before its third-person form ("Lee says"), for the verbs
    /// whose "-s" form is no plural noun.
    pub person_third: bool,
}

/// A verb that reports speech only with a particle ("pointed out").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticleVerb {
    pub forms: Vec<&'static str>,
    pub particle: &'static str,
}

struct Lists {
    verbs: Vec<SpeechVerb>,
    particles: Vec<ParticleVerb>,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| parse(SPEECH_VERBS));

fn parse(src: &'static str) -> Lists {
    let mut verbs = Vec::new();
    let mut particles = Vec::new();
    for line in src.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&'static str> = line.split('\t').map(str::trim).filter(|c| !c.is_empty()).collect();
        if let Some(p) = cols.last().and_then(|c| c.strip_prefix('+')) {
            particles.push(ParticleVerb { forms: cols[..cols.len() - 1].to_vec(), particle: p });
        } else if let &[base, third, past, participle, ref tags @ ..] = &cols[..] {
            verbs.push(SpeechVerb {
                base,
                third,
                past,
                participle,
                object: tags.contains(&"object"),
                noun_third: tags.contains(&"noun-s"),
                person: tags.contains(&"person") || tags.contains(&"person-s"),
                person_third: tags.contains(&"person-s"),
            });
        }
    }
    Lists { verbs, particles }
}

/// Every verb of saying.
pub fn speech_verbs() -> &'static [SpeechVerb] {
    &LISTS.verbs
}

/// Every verb that reports speech with a particle.
pub fn particle_verbs() -> &'static [ParticleVerb] {
    &LISTS.particles
}

/// The base form of `word` when it is a finite form of a verb of saying
/// (third person or past, any case): "Told" → "tell".
pub fn finite_speech_verb(word: &str) -> Option<&'static str> {
    LISTS.verbs.iter().find(|v| v.past.eq_ignore_ascii_case(word) || v.third.eq_ignore_ascii_case(word)).map(|v| v.base)
}

/// The base form of any form of a verb of saying (any case).
pub fn speech_verb_base(word: &str) -> Option<&'static str> {
    LISTS
        .verbs
        .iter()
        .find(|v| [v.base, v.third, v.past, v.participle].iter().any(|f| f.eq_ignore_ascii_case(word)))
        .map(|v| v.base)
        .or_else(|| {
            LISTS.particles.iter().find(|p| p.forms.iter().any(|f| f.eq_ignore_ascii_case(word))).map(|p| p.forms[0])
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_reads_whole() {
        let v = speech_verbs();
        assert!(v.len() >= 100, "{}", v.len());
        let tell = v.iter().find(|v| v.base == "tell").unwrap();
        assert_eq!((tell.third, tell.past, tell.participle, tell.object), ("tells", "told", "telling", true));
        assert!(v.iter().find(|v| v.base == "state").is_some_and(|v| v.noun_third));
        assert!(particle_verbs().iter().any(|p| p.forms.contains(&"pointed") && p.particle == "out"));
        assert_eq!(finite_speech_verb("Said"), Some("say"));
        assert_eq!(finite_speech_verb("saying"), None);
        assert_eq!(speech_verb_base("adding"), Some("add"));
        assert_eq!(speech_verb_base("went"), Some("go"));
        assert_eq!(speech_verb_base("table"), None);
    }
}
