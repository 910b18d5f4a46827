//! English stop words: function words that carry no topic.
//!
//! The list is our own, written for news prose (pronouns, determiners,
//! auxiliaries, prepositions, conjunctions, and reporting filler such as
//! "also" and "said" is NOT included: cue verbs matter to later stages).

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

const WORDS: &str = "a about above after again against all am an and any are aren't as at be \
because been before being below between both but by can can't cannot could couldn't did didn't do \
does doesn't doing don't down during each few for from further had hadn't has hasn't have haven't \
having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm \
i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of \
off on once only or other ought our ours ourselves out over own same shan't she she'd she'll \
she's should shouldn't so some such than that that's the their theirs them themselves then there \
there's these they they'd they'll they're they've this those through to too under until up very \
was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which \
while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your \
yours yourself yourselves also just will shall may might must upon onto via per among amid \
within without whether yet ever even still";

static SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| WORDS.split_whitespace().collect());

/// Whether `word` (any case; curly apostrophes allowed) is a stop word.
pub fn is_stopword(word: &str) -> bool {
    if word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
        return SET.contains(word);
    }
    let lower: String = word.to_lowercase().replace('’', "'");
    SET.contains(lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_function_words() {
        assert!(is_stopword("The"));
        assert!(is_stopword("don’t"));
        assert!(!is_stopword("drone"));
        assert!(!is_stopword("said"));
    }
}
