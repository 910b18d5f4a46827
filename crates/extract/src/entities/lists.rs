//! Word lists the entity finder reads capitals and kinds by. Each list is
//! here once; months and weekdays come from [`chorus_text::calendar`], verbs
//! of saying from [`crate::cues`].

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

/// Months, weekdays (with their abbreviations) and time zones: capitalised,
/// never names.
pub(super) static CALENDAR: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    let mut set = word_set("edt est pdt pst cdt cst mdt mst gmt utc bst cet cest");
    set.extend(chorus_text::calendar::words());
    set
});

/// Lower-case words that may stand inside a name between capitalised words.
pub(super) static CONNECTORS: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| word_set("of for the de del della der den van von da di du la le al el bin ibn zu dos das y"));

/// Name particles that may open a name ("von der Leyen", "al-Assad").
pub(super) static PARTICLES: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| word_set("von van de der al el bin ibn da di du la le"));

/// Closed-class words (prepositions, sentence adverbs, conjunctions,
/// quantifiers) that open sentences and are missing from the stop-word list;
/// capitalised only by position, never the first word of a name.
pub(super) static SENTENCE_OPENERS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "despite amid amidst following unlike like without since towards toward per across along alongside \
beyond besides behind beside inside outside near regarding concerning according meanwhile however \
moreover furthermore nevertheless nonetheless therefore thus hence instead indeed now later earlier \
yesterday today tomorrow tonight recently finally separately similarly additionally overall \
ultimately eventually initially currently previously already although though unless whereas whilst \
once several every many much another neither either whatever whoever perhaps maybe asked told given \
having being dear sources officials critics analysts experts witnesses residents police authorities \
observers",
    )
});

/// Courtesy titles: evidence of a person, but not a title worth comparing.
pub(super) static HONORIFICS: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| word_set("mr mrs ms mx miss messrs mme mlle sir dame"));

/// Ranks, offices and styles written before a name, a role when a period
/// follows them: the abbreviations ([`ABBREVIATIONS`]: "Gen.", "Sen.") and
/// "Lord", "Lady", "Judge".
pub(super) static ABBREVIATED_ROLES: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| ABBREVIATIONS.iter().chain(&*STYLES).copied().collect());

/// Abbreviated ranks and offices ("Dr.", "Gen.", "Sen."): written only
/// before a name, never for the person alone.
pub(super) static ABBREVIATIONS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set("dr prof sen rep gov gen lt col maj capt sgt adm cmdr rev hon pres amb insp det supt atty fr")
});

/// Styles written whole before a name ("Lord Sumption", "Judge Ito"); alone
/// they may stand for the person ("the First Lady").
static STYLES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| word_set("lord lady judge"));

/// Group adjectives that are not in the country list: peoples, regions,
/// religions. Like demonyms, never entities on their own.
pub(super) static GROUP_ADJECTIVES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "european african asian arab arabic latin western eastern northern southern soviet slavic kurdish \
baltic nordic scandinavian caucasian crimean tatar jewish muslim islamic christian catholic orthodox \
protestant hindu buddhist sunni shia shiite sikh allied transatlantic atlantic pacific \
english-speaking democratic republican conservative liberal progressive socialist communist libertarian",
    )
});

/// Last words that make a name an organisation.
pub(super) static ORG_SUFFIXES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "institute institution university college school academy ministry department agency bureau office \
commission committee council court tribunal parliament assembly congress senate party union \
association federation league alliance coalition front movement organization organisation foundation \
fund trust bank group company co corp corporation inc ltd llc plc ag gmbh holdings industries \
airlines airways motors systems technologies labs partners capital ventures media news times post \
journal telegraph herald tribune guardian gazette chronicle review daily press radio television tv \
network channel service services forces army navy police hospital church club team board authority \
administration government cabinet center centre society corps brigade battalion regiment division \
command guard reserve exchange directorate secretariat caucus institute observatory watch initiative \
fc",
    )
});

/// Last words that make a name a place.
pub(super) static PLACE_SUFFIXES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "city county province region oblast district island islands peninsula valley river lake sea ocean bay \
gulf mountains mountain hills street avenue road square bridge airport harbor harbour coast desert \
forest park strait canal territory territories village town heights plain basin delta state krai \
prefecture canton",
    )
});

/// First words that make a name a place.
pub(super) static PLACE_PREFIXES: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| word_set("mount mt lake river fort cape port saint st san santa los"));

/// Last words that make a name something other than a person, group or
/// place: events, laws, agreements, programmes.
pub(super) static OTHER_SUFFIXES: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    word_set(
        "war wars cup games olympics championship championships act bill law treaty accord accords agreement \
deal pact summit conference forum day week festival awards award prize crisis revolution declaration \
constitution amendment plan program programme project protocol doctrine index report show series \
convention memorial format process talks election elections referendum strategy model flight",
    )
});

/// First words that make a name something other ("Operation Overlord").
pub(super) static OTHER_PREFIXES: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| word_set("operation hurricane storm typhoon cyclone project article"));

/// Verbs that, right after a name, show the name is a person's: the finite
/// forms of the verbs of saying tagged so ([`crate::cues`]), and a few verbs
/// of thinking, wanting and acting that only people do.
pub(super) static SPEECH_VERBS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    let mut set = word_set("believes thinks wants met resigned spoke criticized criticised");
    for v in crate::cues::speech_verbs() {
        if v.person {
            set.insert(v.past);
        }
        if v.person_third {
            set.insert(v.third);
        }
    }
    set
});

/// Prepositions after which an unknown single capitalised word is taken to
/// be a place ("in Marlowe", "near Dunmore").
pub(super) static PLACE_PREPOSITIONS: LazyLock<FxHashSet<&str>> =
    LazyLock::new(|| word_set("in near outside across throughout"));

pub(super) fn in_list(list: &LazyLock<FxHashSet<&'static str>>, key: &str) -> bool {
    list.contains(key)
}

pub(super) fn word_set(words: &'static str) -> FxHashSet<&'static str> {
    words.split_whitespace().collect()
}
