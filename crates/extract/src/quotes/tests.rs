//! Unit tests on invented fixtures: each construction of a direct quote,
//! its speaker and its cue.

use super::*;
use crate::{extract, to_record};
use chorus_model::Article;

/// (quoted words, speaker, cue) of every quote of `text`.
fn quotes(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let sents = chorus_text::split_sentences(text);
    find_quotes(text, &sents, &[]).into_iter().map(|q| (text[q.start..q.end].to_string(), q.speaker, q.cue)).collect()
}

fn one(text: &str) -> (String, Option<String>, Option<String>) {
    let q = quotes(text);
    assert_eq!(q.len(), 1, "{q:?}");
    q.into_iter().next().unwrap_or_default()
}

fn who(q: &(String, Option<String>, Option<String>)) -> (&str, &str) {
    (q.1.as_deref().unwrap_or("-"), q.2.as_deref().unwrap_or("-"))
}

#[test]
fn quote_then_speaker_and_verb() {
    let q = one("“We will rebuild the bridge by spring,” Mayor Ann Lee said.");
    assert_eq!(q.0, "We will rebuild the bridge by spring,");
    assert_eq!(who(&q), ("Ann Lee", "said"));
}

#[test]
fn speaker_verb_colon_then_quote() {
    let q = one("Ann Lee said: “The water is safe to drink again.”");
    assert_eq!(who(&q), ("Ann Lee", "said"));
}

#[test]
fn inverted_verb_then_speaker() {
    let q = one("“Nobody expected the dam to fail,” said Tomas Varga, the county engineer.");
    assert_eq!(who(&q), ("Tomas Varga", "said"));
}

#[test]
fn colon_without_a_verb() {
    let q = one("Governor Mira Holt on the new levee: “It will hold for a century.”");
    assert_eq!(who(&q), ("Mira Holt", ":"));
}

#[test]
fn attribution_after_a_dash() {
    let q = one("“We will not leave our homes.” — Dana Whitfield, a resident of the valley");
    assert_eq!(who(&q), ("Dana Whitfield", "—"));
}

#[test]
fn quote_split_around_its_attribution() {
    let text =
        "Tomas Varga inspected the dam at dawn. “The levee held,” Varga said, “but the next storm could break it.”";
    let q = quotes(text);
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].0, "The levee held,");
    assert_eq!(q[1].0, "but the next storm could break it.");
    for x in &q {
        assert_eq!(who(x), ("Tomas Varga", "said"), "fullest form of the surname");
    }
}

#[test]
fn pronoun_resolved_by_gender() {
    let text = "Mira Holt toured the flooded district with her staff on Monday. \
                Paul Okafor stayed behind with his crew. \
                “We owe the volunteers everything,” she said.";
    assert_eq!(who(&one(text)), ("Mira Holt", "said"));
    let text = "Paul Okafor stayed behind with his crew. \
                Mira Holt toured the flooded district with her staff on Monday. \
                “The pumps need fuel by tonight,” he said.";
    assert_eq!(who(&one(text)), ("Paul Okafor", "said"));
}

#[test]
fn plural_pronoun_goes_to_an_organisation() {
    let text = "The utility company issued a warning on Tuesday. “Boil all tap water until further notice,” they said.";
    assert_eq!(who(&one(text)), ("The utility company", "said"));
}

#[test]
fn unresolved_pronoun_is_never_the_speaker() {
    assert_eq!(one("“It was a long night for everyone,” he said.").1, None);
}

#[test]
fn partial_quote_inside_a_sentence() {
    let text = "Mira Holt visited the levee. Holt called the repairs “a race against the next flood season” and promised more crews.";
    let q = one(text);
    assert_eq!(q.0, "a race against the next flood season");
    assert_eq!(who(&q), ("Mira Holt", "called"));
}

#[test]
fn straight_marks_with_a_nested_quote() {
    let q = one("\"She told me 'stay indoors' twice,\" said Paul Okafor.");
    assert_eq!(q.0, "She told me 'stay indoors' twice,");
    assert_eq!(who(&q), ("Paul Okafor", "said"));
}

#[test]
fn quote_running_over_paragraphs() {
    let text = "Okafor said: “The first crews arrived at dawn.\n\n“By noon the water had reached the square.”";
    let q = quotes(text);
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].0, "The first crews arrived at dawn.");
    assert_eq!(q[1].0, "By noon the water had reached the square.");
    assert!(q.iter().all(|x| x.1.as_deref() == Some("Okafor")));
}

#[test]
fn quote_paragraph_continues_the_speaker_before() {
    let text = "“The pumps failed at midnight,” Tomas Varga said.\n\n“We had no backup power at all.”";
    let q = quotes(text);
    assert_eq!(q.len(), 2);
    assert_eq!(q[1].1.as_deref(), Some("Tomas Varga"));
}

#[test]
fn question_cut_from_its_attribution_by_the_splitter() {
    assert_eq!(who(&one("“Who will pay for the repairs?” Holt asked reporters.")), ("Holt", "asked"));
}

#[test]
fn verb_outside_the_lexicon_in_a_bare_attribution() {
    assert_eq!(who(&one("“Not today, not ever,” Okafor shrugged.")), ("Okafor", "shrugged"));
}

#[test]
fn according_to() {
    let q = one("According to the county coroner, “three people remain missing.”");
    assert_eq!(who(&q), ("the county coroner", "According to"));
}

#[test]
fn organisation_and_description_speakers() {
    let q = one("“Our crews worked through the night,” the Valley Water Authority said in a statement.");
    assert_eq!(who(&q), ("Valley Water Authority", "said"));
    let q = one("“Nobody was warned in time,” a city hall official told reporters.");
    assert_eq!(who(&q), ("a city hall official", "told"));
}

#[test]
fn titles_are_cut_from_names() {
    assert_eq!(one("“The aid is on its way,” said Secretary of State Olu Mensah.").1.as_deref(), Some("Olu Mensah"));
    assert_eq!(one("Senate Majority Leader Dara Quint said: “We vote on Friday.”").1.as_deref(), Some("Dara Quint"));
    // a title word ending a name stays
    assert_eq!(one("“We never gave up on the town,” said Billie Jo King.").1.as_deref(), Some("Billie Jo King"));
}

#[test]
fn apposition_between_speaker_and_verb() {
    let text =
        "Ines Duarte, who has farmed the valley for forty years, said the flood was “worse than anything I remember.”";
    assert_eq!(who(&one(text)), ("Ines Duarte", "said"));
    let text = "In a statement, her chief of staff, Rafael Ortiz, wrote: “The governor will visit every shelter.”";
    assert_eq!(who(&one(text)), ("Rafael Ortiz", "wrote"));
}

#[test]
fn scare_quotes_titles_and_markup_are_no_quotes() {
    assert!(quotes("The so-called “experts” were wrong again, said Holt.").is_empty());
    assert!(quotes("She appeared on “The Morning Show With Ann Lee” last week.").is_empty());
    assert!(quotes("<a title=\"one two three four\">link</a>").is_empty());
    // a title-cased line a speaker utters is still a quote
    assert_eq!(who(&one("“Build The Wall Higher,” the protesters chanted.")), ("the protesters", "chanted"));
}

#[test]
fn unbalanced_marks_never_panic() {
    let text = "He said “this never closes\n\nAnother paragraph with \"stray marks and “ more ”";
    let q = quotes(text);
    assert_eq!(q[0].0, "this never closes");
    // a fixed pseudo-random walk over marks, letters, spaces and wide characters
    let alphabet: Vec<char> = "ab Zé\"“”„«»’'.,:;—\n?!".chars().collect();
    let mut seed = 0x2545_f491_u64;
    for _ in 0..400 {
        let mut s = String::new();
        for _ in 0..60 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        for q in quotes(&s) {
            assert!(!q.0.is_empty());
        }
    }
}

#[test]
fn record_offsets_are_code_points() {
    let text = "Zoë Ferré, the mayor of Saint-Étienne, said: “Nous reconstruirons le pont, même sous la pluie.”";
    let article = Article { text: text.to_string(), ..Default::default() };
    let rec = to_record(&article, &extract(text, None));
    assert_eq!(rec.quotes.len(), 1);
    let q = &rec.quotes[0];
    let by_chars: String = text.chars().skip(q.start).take(q.end - q.start).collect();
    assert_eq!(by_chars, "Nous reconstruirons le pont, même sous la pluie.");
    assert_eq!(q.text, by_chars);
    assert_eq!(q.speaker.as_deref(), Some("Zoë Ferré"));
    assert_eq!(q.cue.as_deref(), Some("said"));
}

/// Speakers with the article's entities, as `chorus extract` finds them.
fn extracted(text: &str) -> Vec<(String, Option<String>)> {
    extract(text, None).quotes.iter().map(|q| (text[q.start..q.end].to_string(), q.speaker.clone())).collect()
}

#[test]
fn a_document_is_never_the_speaker() {
    let text = "A notice hung on the harbour gate all summer. \
                “No boats may moor here after dark,” the sign said.";
    let q = extracted(text);
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(q[0].1, None, "a sign is no speaker: unattributed, not a guess");
}

#[test]
fn a_documents_owner_speaks_for_it() {
    let text = "Mira Holt answered the council in writing on Friday. \
                “The levee will hold for another century,” Holt's statement said.";
    let q = extracted(text);
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(q[0].1.as_deref(), Some("Mira Holt"));
}

#[test]
fn a_bare_role_is_the_person_the_article_gives_it() {
    let text = "Sen. Mira Holt toured the flooded valley on Monday with the county engineer. \
                The water had reached the second floor of the school. \
                “We will rebuild every home on this street,” the senator said.";
    let q = extracted(text);
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(q[0].1.as_deref(), Some("Mira Holt"));
}

#[test]
fn candidates_carry_the_clause_readers_choice() {
    let text = "Paul Okafor stayed behind with his crew. “The pumps need fuel by tonight,” he said.";
    let qs = crate::quote_candidates(text, None);
    assert_eq!(qs.len(), 1);
    let q = &qs[0];
    assert_eq!(q.rule_speaker.as_deref(), Some("Paul Okafor"));
    let rule = q.candidates.iter().find(|c| c.features.iter().any(|(n, _)| *n == "rule")).expect("rule candidate");
    assert_eq!(rule.speaker, "Paul Okafor");
    assert!(rule.features.iter().any(|(n, _)| *n == "via_pronoun"));
    assert_eq!(q.quote.speaker.as_deref(), Some("Paul Okafor"));
}

#[test]
fn pronoun_three_sentences_on_goes_to_the_last_speaker() {
    // the subject of the embedded clause ("Nadia Rowe continued …") is
    // no speaker; the one who spoke is
    let text = "Brian Osei, the chairman of the county party, said Nadia Rowe continued to hurt the \
                campaign by attacking the governor. The race is close. Turnout will decide it. \
                “I don’t think it’s cut well for her,” he said.";
    let q = quotes(text);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].1.as_deref(), Some("Brian Osei"));
}

#[test]
fn inverted_attribution_after_a_short_quote_with_its_comma() {
    // the comma sits inside the marks of the two-word quote
    let text = "The misinformation may be \"strategic,\" said Jeffery Holm, an assistant professor at the \
                university. \"Each candidate is talking to their base,\" he said.";
    let q = quotes(text);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].1.as_deref(), Some("Jeffery Holm"));
}

#[test]
fn contractions_are_never_names() {
    // "I’m" opening the quote-introducing clause is a pronoun, so the colon
    // attribution finds no name in it
    let text = "Tomas Varga spoke first.\n\n“It is late,” Varga said. I’m going to read you the question: \
                “Did the mayor leave early on Monday?”";
    for (_, speaker, _) in quotes(text) {
        assert_ne!(speaker.as_deref(), Some("I’m"));
    }
}

#[test]
fn a_clause_is_no_description() {
    // "Lee's statement didn't clarify the matter" is a clause: the speaker
    // of the next quote is the one who said it
    let text = "Economist Aparna Mathur, who studies tax policy at the institute, said Ivana Lee's statement \
                didn't clarify the matter.\n\n\"I don't see details about who is eligible,\" she said.";
    let q = quotes(text);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].1.as_deref(), Some("Aparna Mathur"));
}

#[test]
fn transcript_turns_are_their_labels() {
    let text = "Partial transcript as follows:\n\n\
                \"WALLACE: Let's start with the breaking news on the debate story.\n\n\
                \"PENCE: Well, look, the campaign thinks this is an episode of a game show.\n\n\
                \"But the truth is that the governor has a unique way of talking to people.\n\n\
                \"WALLACE: Governor, I don't want to interrupt you, but I have to ask.";
    let q = quotes(text);
    let speakers: Vec<&str> = q.iter().map(|x| x.1.as_deref().unwrap_or("-")).collect();
    assert_eq!(speakers, ["Wallace", "Pence", "Pence", "Wallace"]);
    // a heading in capitals is no speaker, nor is prose before a colon
    assert_eq!(transcript_label("VIDEO: the clip they showed"), None);
    assert_eq!(transcript_label("Here's the thing: we won"), None);
    assert_eq!(transcript_label("SEN. KAINE: We will win."), Some("SEN. KAINE"));
}

#[test]
fn a_transcript_label_takes_the_articles_full_name() {
    let text = "Gov. Mike Pence spoke on Sunday.\n\n\"PENCE: Donald Trump was using the tweet to make a point.";
    let out = extracted(text);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].1.as_deref(), Some("Mike Pence"));
}

#[test]
fn who_with_a_time_phrase_and_an_apposition() {
    let text = "Obama has had a frosty relationship with Mitch McConnell, now the Senate majority leader, who in \
                2010 said the party's most important goal was to make Obama a \"one-term president.\"";
    let q = one(text);
    assert_eq!(q.1.as_deref(), Some("Mitch McConnell"));
}

#[test]
fn the_tail_of_an_organisation_name_is_no_person() {
    let text = "Donald Trump spoke at a rally. He notes that the Commission on Presidential Debates \
                announced on Friday that there was an issue with his microphone. He says, “Working that \
                microphone was a lot more difficult than anything else.”";
    let q = one(text);
    assert_eq!(q.1.as_deref(), Some("Donald Trump"));
}

#[test]
fn the_writers_own_relative_is_a_speaker() {
    let q = one("The paranoia remained. \"We live in a dark kingdom, and nobody will save us,\" my father often said.");
    assert_eq!(q.1.as_deref(), Some("my father"));
}

#[test]
fn a_plural_quantifier_makes_a_nounish_verb_a_noun() {
    // "Republican claims" after "so many" is a noun phrase, not "Republican"
    // claiming anything
    let text = "Executive Director Aaron Sharpe responded that the website cites so many Republican claims as \
                inaccurate because they lack context.\n\n“We’re not just validating numbers,” he told reporters.";
    let q = one(text);
    assert_eq!(q.1.as_deref(), Some("Aaron Sharpe"));
}

#[test]
fn given_names_say_he_or_she() {
    // nothing in the article says which is which but the given names
    let text = "Stephanie Varga reported the story. Melanie Okafor watched the convention at home. \
                “Here comes the candidate,” he said.";
    assert_eq!(one(text).1, None, "neither is a man");
    let text = "Stephanie Varga reported the story. Donald Okafor watched the convention at home.\n\n\
                “Here comes the candidate,” she said.";
    assert_eq!(one(text).1.as_deref(), Some("Stephanie Varga"));
}

#[test]
fn a_verb_and_its_object_is_no_speaker() {
    // "watched the police" is a verb phrase, "identified young voters" too
    let text = "Her relatives watched the police videos on Thursday and said they came away with “more questions \
                than answers about the night.”";
    assert_ne!(one(text).1.as_deref(), Some("watched the police"));
}

#[test]
fn a_documents_name_modifier_is_its_author() {
    let text = "A 1995 Times article praised the developer.\n\n“Business leaders honored the developer yesterday \
                for pulling off a comeback,” the Times article read.";
    let out = extracted(text);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].1.as_deref(), Some("Times"));
}

#[test]
fn who_after_a_dash_is_the_name_before_it() {
    let text = "It has become an issue, with Mira Holt — who has called the plan “a giveaway to the richest \
                families” — leading the attack.";
    assert_eq!(one(text).1.as_deref(), Some("Mira Holt"));
}

#[test]
fn a_place_after_of_is_no_subject() {
    let text = "In January, Gov. Earl Ray Tomblin of West Virginia lauded the developer for helping develop \
                \"new and innovative ideas for the state.\"";
    assert_eq!(one(text).1.as_deref(), Some("Earl Ray Tomblin"));
}

#[test]
fn a_slashed_number_before_an_inverted_name() {
    let text = "“They are one hundred percent wrong about the bill,” said 9/11 widow Terry Strada.";
    assert_eq!(one(text).1.as_deref(), Some("Terry Strada"));
}

#[test]
fn an_opener_with_a_quoted_title() {
    let text = "On \"Face the Nation,\" Sen. Ann Holt said voters were tired. \"The younger people are sick and \
                tired of the old fights.\"";
    let q = quotes(text);
    assert_eq!(q.last().and_then(|x| x.1.as_deref()), Some("Ann Holt"));
}
