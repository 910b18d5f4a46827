//! Closed word classes of English that attribution depends on: verbs of
//! saying (read from [`crate::cues`]), pronouns, determiners, personal
//! titles, function words.
//!
//! These are grammar, not vocabulary of any corpus: each list is a closed or
//! near-closed class found in any English grammar, and no name, outlet or
//! topic appears in them. Every word is stored lower-case and ASCII; a word is
//! looked up once, when the tokenizer meets it, and its classes are kept as
//! bit flags on the token.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::cues;

/// A finite form of a verb of saying ("said", "says", "told").
pub const CUE: u64 = 1 << 0;
/// A present participle of a verb of saying ("saying", "adding"): its subject
/// is the subject of the main clause, never a word right before it.
pub const CUE_ING: u64 = 1 << 1;
/// A verb of saying that takes its listener or object right after it ("told
/// reporters", "called the plan"), so "VERB Name" is never an inverted speaker.
pub const CUE_OBJ: u64 = 1 << 2;
/// "according" (as in "according to X").
pub const ACCORDING: u64 = 1 << 3;
/// A verb that is a verb of saying only with its particle ("went on",
/// "pointed out", "fired back").
pub const CUE_PARTICLE: u64 = 1 << 4;
/// A subject pronoun that can be a speaker.
pub const PRON: u64 = 1 << 5;
/// A possessive pronoun ("his", "her", "their").
pub const POSS_PRON: u64 = 1 << 6;
pub const MALE: u64 = 1 << 7;
pub const FEMALE: u64 = 1 << 8;
/// A plural pronoun or a pronoun for a thing ("they", "it").
pub const PRON_NONPERSON: u64 = 1 << 9;
/// A determiner or quantifier that opens a noun phrase.
pub const DET: u64 = 1 << 10;
/// A function word: capitalised, it opens a sentence rather than a name.
pub const FUNC: u64 = 1 << 11;
/// A word that opens an adverbial phrase before the subject ("In a
/// statement, …", "After the debate, …").
pub const INTRO: u64 = 1 << 12;
/// An adverb or auxiliary that may stand between a subject and its verb
/// ("has said", "also told", "later wrote").
pub const SKIP: u64 = 1 << 13;
/// A personal title or role written before a name ("Sen.", "Secretary").
pub const TITLE: u64 = 1 << 14;
/// A title that is also an ordinary word of names ("General", "Major",
/// "Chief"): taken as a title only before a name of two words or more.
pub const TITLE_WEAK: u64 = 1 << 15;
/// A relative pronoun ("who", "which", "that").
pub const REL: u64 = 1 << 16;
/// A day of the week: never part of a name, often between subject and verb.
pub const WEEKDAY: u64 = 1 << 17;
/// A word that ends a noun phrase read forwards ("said Smith *in* a
/// statement").
pub const PREP_STOP: u64 = 1 << 18;
/// A preposition that attaches a noun phrase to the one before it ("a
/// spokesman *for* the campaign").
pub const PREP_ATTACH: u64 = 1 << 19;
/// A word inside a name joining two capitalised words ("Secretary *of*
/// State", "Charles *de* Gaulle").
pub const NAME_JOIN: u64 = 1 << 20;
/// The last word of an organisation or place name ("… Committee", "…
/// University", "… County").
pub const ORG_HEAD: u64 = 1 << 21;
/// A noun for a kind of organisation or document that can "say" something
/// ("the campaign", "the statement").
pub const ORG_NOUN: u64 = 1 << 22;
/// A noun for a person by role ("spokesman", "official", "voter").
pub const PERSON_NOUN: u64 = 1 << 23;
/// A unit of time ("week", "month") in "last week", "this month".
pub const TIME_NOUN: u64 = 1 << 24;
/// A word that makes the next time noun an adverbial ("last", "this", "next").
pub const TIME_DET: u64 = 1 << 25;
/// A coordinating conjunction.
pub const CONJ: u64 = 1 << 26;
/// A word that opens a place name ("New", "North", "Saint"): a two-word
/// capitalised run beginning with one is not taken for a person.
pub const PLACE_START: u64 = 1 << 27;
/// The base form of a verb of saying ("say", "tell"). Many double as nouns
/// ("a call", "the report"), so the base form is a cue only after a subject
/// or an auxiliary ("they say", "would say", "to say").
pub const CUE_BASE: u64 = 1 << 28;
/// A number word ("Eight years ago"): never part of a name.
pub const NUMBER: u64 = 1 << 29;
/// A third-person form that is more often a plural noun ("states",
/// "reads"): a verb of saying only right after a singular subject.
pub const CUE_NOUNISH: u64 = 1 << 30;
/// A noun for a document or message ("statement", "report", "sign"): said
/// to "say" things, but never a speaker itself; its author is.
pub const DOC_NOUN: u64 = 1 << 31;

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "dozen",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
    "half",
    "ago",
];

const PRONOUNS_M: &[&str] = &["he"];
const PRONOUNS_F: &[&str] = &["she"];
const PRONOUNS_NONPERSON: &[&str] = &["they", "it"];
const PRONOUNS_OTHER: &[&str] = &["i", "we", "you"];
const POSSESSIVES: &[(&str, u64)] =
    &[("his", MALE), ("her", FEMALE), ("their", PRON_NONPERSON), ("its", PRON_NONPERSON), ("our", 0), ("my", 0)];
/// Object and reflexive pronouns: gender evidence only.
const OTHER_GENDERED: &[(&str, u64)] = &[("him", MALE), ("himself", MALE), ("hers", FEMALE), ("herself", FEMALE)];

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "one", "two", "three", "four", "five", "several", "some",
    "many", "another", "each", "every", "both", "few", "all", "most", "other", "no", "any", "various", "numerous",
];

const FUNCTION_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "but",
    "or",
    "so",
    "yet",
    "for",
    "nor",
    "in",
    "on",
    "at",
    "to",
    "of",
    "by",
    "with",
    "from",
    "after",
    "before",
    "when",
    "while",
    "if",
    "as",
    "because",
    "since",
    "though",
    "although",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "what",
    "who",
    "why",
    "how",
    "where",
    "which",
    "meanwhile",
    "however",
    "still",
    "also",
    "even",
    "now",
    "then",
    "later",
    "earlier",
    "last",
    "next",
    "during",
    "despite",
    "instead",
    "yes",
    "no",
    "not",
    "some",
    "many",
    "most",
    "all",
    "both",
    "each",
    "every",
    "one",
    "another",
    "according",
    "asked",
    "speaking",
    "indeed",
    "perhaps",
    "maybe",
    "thus",
    "hence",
    "moreover",
    "furthermore",
    "nevertheless",
    "nonetheless",
    "otherwise",
    "until",
    "unless",
    "whether",
    "upon",
    "into",
    "over",
    "under",
    "about",
    "amid",
    "among",
    "between",
    "through",
    "against",
    "without",
    "within",
    "like",
    "unlike",
    "following",
    "once",
    "just",
    "only",
    "well",
    "oh",
    "ok",
    "okay",
    "please",
    "thank",
    "thanks",
    "dear",
    "hello",
    "hi",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "let",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "separately",
    "again",
    "finally",
    "first",
    "second",
    "third",
    "so-called",
    "such",
    "other",
    "more",
    "less",
    "few",
    "several",
    "whatever",
    "whoever",
    "whenever",
    "wherever",
    "everyone",
    "everybody",
    "nobody",
    "someone",
    "somebody",
    "anyone",
    "nothing",
    "something",
    "everything",
    "anything",
    "none",
    "across",
    "toward",
    "towards",
    "beyond",
    "near",
    "around",
    "throughout",
];

/// Words that open an adverbial phrase running to the next comma.
const INTRO_WORDS: &[&str] = &[
    "in",
    "on",
    "at",
    "after",
    "before",
    "during",
    "since",
    "for",
    "with",
    "without",
    "from",
    "by",
    "under",
    "over",
    "despite",
    "amid",
    "following",
    "like",
    "unlike",
    "as",
    "among",
    "about",
    "through",
    "throughout",
    "within",
    "against",
    "toward",
    "towards",
    "upon",
    "outside",
    "inside",
    "when",
    "while",
    "if",
    "because",
    "although",
    "though",
    "once",
    "until",
    "whereas",
    "whether",
    "meanwhile",
    "however",
    "still",
    "yet",
    "also",
    "later",
    "earlier",
    "now",
    "then",
    "instead",
    "indeed",
    "moreover",
    "nevertheless",
    "nonetheless",
    "separately",
    "previously",
    "recently",
    "last",
    "next",
    "yesterday",
    "today",
    "tonight",
    "asked",
    "speaking",
    "pressed",
    "responding",
    "writing",
    "referring",
    "reacting",
    "pointing",
    "addressing",
    "appearing",
    "echoing",
    "interviewed",
    "reached",
    "contacted",
    "questioned",
    "challenged",
    "confronted",
    "true",
    "afterward",
    "afterwards",
    "again",
    "finally",
    "similarly",
    "likewise",
    "ultimately",
    "overall",
    "specifically",
    "notably",
    "importantly",
    "typically",
    "ironically",
    "curiously",
    "otherwise",
    "besides",
    "plus",
];

/// Adverbs and auxiliaries between a subject and its verb of saying.
const SKIP_WORDS: &[&str] = &[
    "however",
    "meanwhile",
    "though",
    "instead",
    "also",
    "later",
    "then",
    "has",
    "have",
    "had",
    "would",
    "will",
    "could",
    "can",
    "may",
    "might",
    "should",
    "must",
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "being",
    "did",
    "does",
    "do",
    "not",
    "never",
    "once",
    "again",
    "recently",
    "previously",
    "still",
    "even",
    "just",
    "often",
    "repeatedly",
    "reportedly",
    "frequently",
    "always",
    "already",
    "quickly",
    "simply",
    "flatly",
    "finally",
    "immediately",
    "only",
    "first",
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "privately",
    "publicly",
    "long",
    "since",
    "subsequently",
    "initially",
    "famously",
    "separately",
    "further",
    "too",
    "herself",
    "himself",
    "themselves",
    "itself",
    "n't",
    "ever",
    "now",
    "sometimes",
    "usually",
    "rarely",
    "seldom",
    "twice",
];

/// Personal titles and roles written before a name. A run of capitalised
/// words is cut after its last title: "House Speaker Ann Lee" names Ann Lee.
const TITLES: &[(&str, u64)] = &[
    ("mr", MALE),
    ("mrs", FEMALE),
    ("ms", FEMALE),
    ("miss", FEMALE),
    ("mx", 0),
    ("dr", 0),
    ("prof", 0),
    ("professor", 0),
    ("sen", 0),
    ("senator", 0),
    ("rep", 0),
    ("representative", 0),
    ("congressman", 0),
    ("congresswoman", FEMALE),
    ("gov", 0),
    ("governor", 0),
    ("lt", 0),
    ("gen", 0),
    ("col", 0),
    ("colonel", 0),
    ("capt", 0),
    ("captain", 0),
    ("sgt", 0),
    ("sergeant", 0),
    ("adm", 0),
    ("admiral", 0),
    ("cmdr", 0),
    ("commander", 0),
    ("lieutenant", 0),
    ("president", 0),
    ("vice", 0),
    ("secretary", 0),
    ("minister", 0),
    ("chancellor", 0),
    ("premier", 0),
    ("chairman", 0),
    ("chairwoman", FEMALE),
    ("chairperson", 0),
    ("director", 0),
    ("spokesman", 0),
    ("spokeswoman", FEMALE),
    ("spokesperson", 0),
    ("mayor", 0),
    ("judge", 0),
    ("attorney", 0),
    ("ambassador", 0),
    ("commissioner", 0),
    ("councilman", 0),
    ("councilwoman", FEMALE),
    ("councilmember", 0),
    ("sheriff", 0),
    ("pope", MALE),
    ("king", MALE),
    ("queen", FEMALE),
    ("prince", MALE),
    ("princess", FEMALE),
    ("sir", MALE),
    ("dame", FEMALE),
    ("lord", MALE),
    ("rev", 0),
    ("reverend", 0),
    ("rabbi", 0),
    ("imam", 0),
    ("bishop", 0),
    ("cardinal", 0),
    ("archbishop", 0),
    ("prosecutor", 0),
    ("treasurer", 0),
    ("superintendent", 0),
    ("deputy", 0),
    ("candidate", 0),
    ("nominee", 0),
    ("hopeful", 0),
    ("adviser", 0),
    ("advisor", 0),
    ("aide", 0),
    ("strategist", 0),
    ("manager", 0),
    ("ceo", 0),
    ("founder", 0),
    ("anchor", 0),
    ("host", 0),
    ("correspondent", 0),
    ("columnist", 0),
    ("editor", 0),
    ("analyst", 0),
    ("pollster", 0),
    ("economist", 0),
    ("whip", 0),
    ("delegate", 0),
    ("assemblyman", 0),
    ("assemblywoman", FEMALE),
    ("assemblymember", 0),
    ("businessman", 0),
    ("businesswoman", FEMALE),
    ("activist", 0),
    ("leader", 0),
    ("speaker", 0),
];

/// Titles that are also common name words; see [`TITLE_WEAK`].
const WEAK_TITLES: &[&str] =
    &["general", "major", "chief", "justice", "chair", "lady", "father", "officer", "executive", "counsel"];

const PREP_STOPS: &[&str] = &[
    "in", "on", "at", "during", "after", "before", "to", "about", "when", "while", "as", "because", "though",
    "although", "since", "with", "that", "and", "but", "or", "who", "which", "whose", "where", "if", "than", "via",
    "through", "into", "onto", "upon", "over", "under", "until", "by",
];

const PREP_ATTACHES: &[&str] = &["for", "of", "at", "from", "with", "in", "to"];

const NAME_JOINS: &[&str] = &[
    "of", "de", "del", "della", "da", "di", "du", "van", "von", "der", "den", "la", "le", "bin", "ibn", "al", "el", "y",
];

/// Last words of organisation and place names.
const ORG_HEADS: &[&str] = &[
    "house",
    "street",
    "court",
    "news",
    "party",
    "committee",
    "department",
    "times",
    "post",
    "journal",
    "senate",
    "congress",
    "university",
    "college",
    "school",
    "foundation",
    "institute",
    "center",
    "centre",
    "council",
    "association",
    "campaign",
    "inc",
    "corp",
    "corporation",
    "company",
    "co",
    "group",
    "network",
    "agency",
    "bureau",
    "service",
    "office",
    "administration",
    "board",
    "commission",
    "force",
    "army",
    "navy",
    "church",
    "county",
    "city",
    "state",
    "states",
    "republic",
    "union",
    "nations",
    "bank",
    "fund",
    "club",
    "press",
    "review",
    "magazine",
    "hall",
    "square",
    "park",
    "river",
    "island",
    "islands",
    "valley",
    "beach",
    "airport",
    "hotel",
    "ministry",
    "parliament",
    "assembly",
    "legislature",
    "government",
    "police",
    "guard",
    "tribune",
    "herald",
    "gazette",
    "daily",
    "weekly",
    "radio",
    "tv",
    "television",
    "channel",
    "media",
    "project",
    "program",
    "coalition",
    "alliance",
    "federation",
    "league",
    "society",
    "trust",
    "partners",
    "holdings",
    "llc",
    "ltd",
    "plc",
    "group",
    "caucus",
    "pac",
    "hospital",
    "clinic",
    "library",
    "museum",
    "district",
    "province",
    "region",
    "territory",
    "kingdom",
    "empire",
    "mountains",
    "lake",
    "ocean",
    "sea",
    "bay",
    "coast",
    "avenue",
    "road",
    "boulevard",
    "bridge",
    "tower",
    "building",
    "plaza",
    "stadium",
    "arena",
    "airlines",
    "motors",
    "industries",
    "systems",
    "technologies",
    "labs",
    "laboratories",
    "reserve",
    "exchange",
    "market",
    "markets",
    "capital",
    "organization",
    "organisation",
    "authority",
    "convention",
    "conference",
    "summit",
    "forum",
    "initiative",
    "movement",
    "act",
    "bill",
    "plan",
    "report",
    "poll",
    "survey",
    "index",
    "court",
    "tribunal",
    "prison",
    "academy",
    "institution",
    "department",
    "division",
    "unit",
    "squad",
    "team",
    "command",
    "corps",
    "republicans",
    "democrats",
];

/// Nouns for organisations that are said to speak ("the campaign", "the
/// newspaper").
const ORG_NOUNS: &[&str] = &[
    "campaign",
    "committee",
    "group",
    "organization",
    "organisation",
    "agency",
    "department",
    "company",
    "newspaper",
    "network",
    "website",
    "site",
    "government",
    "administration",
    "office",
    "team",
    "party",
    "board",
    "council",
    "commission",
    "court",
    "paper",
    "editorial",
    "magazine",
    "outlet",
    "station",
    "firm",
    "bank",
    "union",
    "coalition",
    "association",
    "foundation",
    "institute",
    "center",
    "university",
    "school",
    "ministry",
    "embassy",
    "police",
    "army",
    "military",
    "blog",
    "channel",
    "show",
    "program",
    "panel",
    "jury",
    "court",
    "senate",
    "house",
    "congress",
    "legislature",
    "parliament",
    "white",
];

/// Nouns for documents and messages that are said to speak ("the
/// statement", "the report"): their author is the speaker.
const DOC_NOUNS: &[&str] = &[
    "statement",
    "report",
    "poll",
    "survey",
    "memo",
    "letter",
    "ad",
    "advertisement",
    "email",
    "release",
    "document",
    "study",
    "ruling",
    "filing",
    "lawsuit",
    "complaint",
    "tweet",
    "post",
    "video",
    "book",
    "article",
    "story",
    "sign",
    "message",
    "spot",
    "caption",
    "transcript",
    "bill",
    "resolution",
    "platform",
    "page",
    "account",
];

/// Nouns for people by role, used to tell a speaker description from an
/// organisation.
const PERSON_NOUNS: &[(&str, u64)] = &[
    ("spokesman", 0),
    ("spokeswoman", FEMALE),
    ("spokesperson", 0),
    ("official", 0),
    ("officials", 0),
    ("aide", 0),
    ("aides", 0),
    ("adviser", 0),
    ("advisers", 0),
    ("advisor", 0),
    ("advisors", 0),
    ("strategist", 0),
    ("voter", 0),
    ("voters", 0),
    ("supporter", 0),
    ("supporters", 0),
    ("senator", 0),
    ("president", 0),
    ("governor", 0),
    ("candidate", 0),
    ("nominee", 0),
    ("man", MALE),
    ("woman", FEMALE),
    ("men", MALE),
    ("women", FEMALE),
    ("husband", MALE),
    ("wife", FEMALE),
    ("father", MALE),
    ("mother", FEMALE),
    ("son", MALE),
    ("daughter", FEMALE),
    ("brother", MALE),
    ("sister", FEMALE),
    ("widow", FEMALE),
    ("widower", MALE),
    ("actress", FEMALE),
    ("actor", MALE),
    ("grandmother", FEMALE),
    ("grandfather", MALE),
    ("boy", MALE),
    ("girl", FEMALE),
    ("congressman", 0),
    ("congresswoman", FEMALE),
    ("chairman", 0),
    ("chairwoman", FEMALE),
    ("businessman", 0),
    ("businesswoman", FEMALE),
    ("mr", MALE),
    ("mrs", FEMALE),
    ("ms", FEMALE),
    ("manager", 0),
    ("director", 0),
    ("secretary", 0),
    ("lawmaker", 0),
    ("lawmakers", 0),
    ("leader", 0),
    ("leaders", 0),
    ("member", 0),
    ("members", 0),
    ("resident", 0),
    ("residents", 0),
    ("source", 0),
    ("sources", 0),
    ("person", 0),
    ("people", 0),
    ("expert", 0),
    ("experts", 0),
    ("analyst", 0),
    ("analysts", 0),
    ("critic", 0),
    ("critics", 0),
    ("organizer", 0),
    ("organizers", 0),
    ("protester", 0),
    ("protesters", 0),
    ("lawyer", 0),
    ("lawyers", 0),
    ("attorney", 0),
    ("attorneys", 0),
    ("prosecutor", 0),
    ("prosecutors", 0),
    ("executive", 0),
    ("executives", 0),
    ("founder", 0),
    ("friend", 0),
    ("friends", 0),
    ("colleague", 0),
    ("colleagues", 0),
    ("veteran", 0),
    ("mayor", 0),
    ("judge", 0),
    ("professor", 0),
    ("economist", 0),
    ("pollster", 0),
    ("reporter", 0),
    ("reporters", 0),
    ("writer", 0),
    ("author", 0),
    ("host", 0),
    ("anchor", 0),
    ("delegate", 0),
    ("delegates", 0),
    ("donor", 0),
    ("donors", 0),
    ("chief", 0),
    ("representative", 0),
    ("student", 0),
    ("students", 0),
    ("worker", 0),
    ("workers", 0),
    ("officer", 0),
    ("officers", 0),
    ("operative", 0),
    ("operatives", 0),
    ("insider", 0),
    ("insiders", 0),
    ("crowd", 0),
    ("audience", 0),
];

const TIME_NOUNS: &[&str] = &[
    "week",
    "month",
    "year",
    "night",
    "morning",
    "afternoon",
    "evening",
    "weekend",
    "summer",
    "winter",
    "spring",
    "fall",
    "autumn",
    "time",
    "day",
];
const TIME_DETS: &[&str] = &["last", "this", "next", "that", "earlier", "later", "each", "every"];
const CONJUNCTIONS: &[&str] = &["and", "but", "or", "so", "yet", "nor", "then", "plus"];
const PLACE_STARTS: &[&str] = &[
    "new", "north", "south", "east", "west", "united", "saint", "st", "san", "santa", "los", "las", "fort", "port",
    "mount", "lake", "great", "upper", "lower",
];

/// Word -> class flags.
/// Each word list with the flags its words get.
const WORD_CLASSES: &[(&[&str], u64)] = &[
    (PRONOUNS_M, PRON | MALE),
    (PRONOUNS_F, PRON | FEMALE),
    (PRONOUNS_NONPERSON, PRON | PRON_NONPERSON),
    (PRONOUNS_OTHER, PRON),
    (DETERMINERS, DET),
    (FUNCTION_WORDS, FUNC),
    (INTRO_WORDS, INTRO),
    (SKIP_WORDS, SKIP),
    (WEAK_TITLES, TITLE | TITLE_WEAK),
    (&["who", "which", "that", "whom"], REL),
    (PREP_STOPS, PREP_STOP),
    (PREP_ATTACHES, PREP_ATTACH),
    (NAME_JOINS, NAME_JOIN),
    (ORG_HEADS, ORG_HEAD),
    (ORG_NOUNS, ORG_NOUN),
    (DOC_NOUNS, ORG_NOUN | DOC_NOUN),
    (TIME_NOUNS, TIME_NOUN),
    (TIME_DETS, TIME_DET),
    (CONJUNCTIONS, CONJ),
    (PLACE_STARTS, PLACE_START),
    (NUMBER_WORDS, NUMBER),
];

/// Each list of words with a gender (or none), with the flags its words get
/// besides their own.
const GENDERED_CLASSES: &[(&[(&str, u64)], u64)] =
    &[(POSSESSIVES, POSS_PRON | DET), (OTHER_GENDERED, 0), (TITLES, TITLE), (PERSON_NOUNS, PERSON_NOUN)];

static LEXICON: LazyLock<FxHashMap<&'static [u8], u64>> = LazyLock::new(|| {
    let mut m: FxHashMap<&'static [u8], u64> = FxHashMap::default();
    let mut add = |w: &'static str, f: u64| *m.entry(w.as_bytes()).or_insert(0) |= f;
    for v in cues::speech_verbs() {
        let obj = if v.object { CUE_OBJ } else { 0 };
        add(v.base, CUE_BASE | obj);
        add(v.third, if v.noun_third { CUE_NOUNISH | obj } else { CUE | obj });
        add(v.past, CUE | obj);
        add(v.participle, CUE_ING | obj);
    }
    for p in cues::particle_verbs() {
        for w in &p.forms {
            add(w, CUE_PARTICLE);
        }
    }
    add("according", ACCORDING);
    for &(words, f) in WORD_CLASSES {
        for w in words {
            add(w, f);
        }
    }
    for &(words, f) in GENDERED_CLASSES {
        for &(w, g) in words {
            add(w, f | g);
        }
    }
    for w in chorus_text::calendar::weekday_words() {
        add(w, WEEKDAY);
    }
    m
});

/// Longest word looked up; longer words belong to no class.
const MAX_KEY: usize = 24;

/// Length of the longest word in the lexicon: longer words are not hashed.
static LONGEST: LazyLock<usize> = LazyLock::new(|| LEXICON.keys().map(|k| k.len()).max().unwrap_or(0).min(MAX_KEY));

/// The class flags of `word` (any case; a trailing period and a possessive
/// `'s` are the caller's to strip).
pub fn flags(word: &str) -> u64 {
    let b = word.as_bytes();
    if b.is_empty() || b.len() > *LONGEST || !b.is_ascii() {
        return 0;
    }
    let mut buf = [0u8; MAX_KEY];
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    LEXICON.get(&buf[..b.len()]).copied().unwrap_or(0)
}

/// The particle that makes `word` a verb of saying, when it needs one.
pub fn particle_of(word: &str) -> Option<&'static str> {
    cues::particle_verbs().iter().find(|p| p.forms.iter().any(|f| f.eq_ignore_ascii_case(word))).map(|p| p.particle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        // (word, flag, whether the word has it)
        let cases: &[(&str, u64, bool)] = &[
            ("Said", CUE, true),
            ("say", CUE, false),
            ("say", CUE_BASE, true),
            ("read", CUE, true),
            ("states", CUE, false),
            ("adding", CUE_ING, true),
            ("told", CUE_OBJ, true),
            ("said", CUE_OBJ, false),
            ("she", FEMALE, true),
            ("Sen", TITLE, true),
            ("General", TITLE_WEAK, true),
        ];
        for &(w, f, has) in cases {
            assert_eq!(flags(w) & f != 0, has, "{w}: {f:#x}");
        }
        for w in ["Zorblat", "ÉLAN"] {
            assert_eq!(flags(w), 0, "{w}");
        }
        assert_eq!(particle_of("Pointed"), Some("out"));
        assert_eq!(particle_of("said"), None);
    }
}
