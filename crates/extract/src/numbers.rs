//! Numbers with their units: money, counts, percentages, dates.
//!
//! Recognised, over the shared tokenizer:
//! - **money**: a currency symbol or code before ("$", "US$", "€", "£",
//!   "USD") or a currency word after ("dollars", "euros"), with a scale
//!   glued or spelled ("3.2m", "500bn", "$114 billion") → `unit` is the ISO
//!   code, `value` the full amount;
//! - **percentages**: "12%", "12 percent", "12 per cent" → `unit` "%";
//! - **counts**: a number and the noun phrase it counts, up to the first
//!   plural noun ("267 drones", "267 Russian drones", "267 drone attacks")
//!   → `unit` the head noun in the singular, lower case ("drone",
//!   "attack"), `noun` the phrase as written;
//! - **words as numbers**: "ten", "twenty-five", "two hundred", "a dozen",
//!   "three million"; "one" alone is too often a pronoun to count;
//! - **vague amounts**: "tens of", "hundreds of", "dozens of", "thousands",
//!   "billions", "hundreds of billions" → `approximate`, with `low`/`high`;
//!   hedges before a figure ("about", "more than", "nearly") also make it
//!   approximate and set its bounds;
//! - **dates** (see [`crate::dates`]) → `unit` "date".
//!
//! An amount of a million or more with neither currency nor counted noun
//! ("spent hundreds of billions") is money in the article's most frequent
//! currency, else [`DEFAULT_CURRENCY`]. A bare number with no unit is not
//! reported: nothing downstream could compare it.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::dates;
use crate::entities::Keys;
use crate::entities::lexer::{self, Kind, Tok};

/// A number with its unit, by byte offsets of the phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberSpan {
    pub start: usize,
    pub end: usize,
    /// The amount with its scale applied (500000000000 for "$500 billion");
    /// for a vague amount its lower bound; for a date the `yyyymmdd` number
    /// of the JSON output (compare [`NumberSpan::date`] instead).
    pub value: f64,
    /// ISO currency code, `%`, `date`, or the counted noun in the singular.
    pub unit: String,
    /// What the number counts, as written ("Russian drones").
    pub noun: Option<String>,
    /// The phrase gives an order of magnitude or a hedged figure ("hundreds
    /// of billions", "about 300", "last week"), not an exact one.
    pub approximate: bool,
    /// The smallest value the phrase allows (`value` when exact).
    pub low: f64,
    /// The largest value the phrase allows (`value` when exact; infinite
    /// after "more than").
    pub high: f64,
    /// For a date (`unit` "date"), what it is: the days it covers and how
    /// precisely it was written.
    pub date: Option<dates::Date>,
    /// The hedge written before the figure ("about", "more than",
    /// "nearly"), if any: `low`/`high` hold the bounds it implies at the
    /// figure's written precision.
    pub hedge: Option<Hedge>,
    /// What the figure is in its sentence: a quantity's value, or a
    /// phrase that uses a number for something else.
    pub role: Role,
}

/// What a figure says, read from the words around it once, here, and
/// carried on the number: the analysis compares only values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// The value of the quantity it counts or measures.
    #[default]
    Value,
    /// An addition to a count given elsewhere ("another 22 countries", "a
    /// further 164 people", "an additional 118"): not the total, so it
    /// neither contradicts nor updates a total.
    Increment,
    /// A time offset ("four years ago", "12 minutes later"): when
    /// something happened, not a quantity reported.
    Offset,
    /// A gap between two quantities ("$2 million more than the Clinton
    /// campaign", "four points below Clinton"): the size of a lead or a
    /// shortfall, which neither contradicts nor updates either quantity.
    /// Only a comparison written after the figure is read; "ahead of
    /// Sanders by 12 points" stays a value.
    Difference,
}

impl NumberSpan {
    pub(crate) fn exact(start: usize, end: usize, value: f64, unit: &str, noun: Option<String>) -> NumberSpan {
        NumberSpan {
            start,
            end,
            value,
            unit: unit.to_string(),
            noun,
            approximate: false,
            low: value,
            high: value,
            date: None,
            hedge: None,
            role: Role::Value,
        }
    }

    /// Whether two numbers can describe the same quantity: units agree (or
    /// one counts a noun the other's phrase names: "267 drones" and "267
    /// drone attacks"), and their ranges overlap, so "$500 billion" and
    /// "hundreds of billions of dollars" are compatible, "$500 billion" and
    /// "$114 billion" are not.
    pub fn compatible(&self, other: &NumberSpan) -> bool {
        self.same_unit(other) && self.low <= other.high && other.low <= self.high
    }

    /// Units agree, directly or through the counted noun phrase.
    pub fn same_unit(&self, other: &NumberSpan) -> bool {
        if self.unit == other.unit {
            return true;
        }
        let names = |a: &NumberSpan, b: &NumberSpan| {
            a.noun.as_deref().is_some_and(|n| n.split_whitespace().any(|w| singular(&w.to_lowercase()) == b.unit))
        };
        !self.is_money() && !other.is_money() && (names(self, other) || names(other, self))
    }

    pub fn is_money(&self) -> bool {
        self.unit.len() == 3 && self.unit.bytes().all(|b| b.is_ascii_uppercase())
    }

    pub fn is_date(&self) -> bool {
        self.unit == "date"
    }
}

/// Currency of an amount that names none, when the article names none
/// either: the currency English-language news reports most amounts in.
pub const DEFAULT_CURRENCY: &str = "USD";

/// An amount with no unit is taken for money from this size up: counts of
/// millions without a noun are rare in news, sums of money common.
const MONEY_WITHOUT_CURRENCY_MIN: f64 = 1e6;

/// Largest number of words between a number and the noun it counts
/// ("267 Russian long-range attack drones"): longer runs are clauses, not
/// noun phrases.
const MAX_NOUN_WORDS: usize = 4;

/// The tokens of one text and their lower-case keys.
pub(crate) struct Cx<'a> {
    pub text: &'a str,
    pub toks: &'a [Tok],
    pub keys: &'a Keys,
}

impl<'a> Cx<'a> {
    pub fn key(&self, i: usize) -> &str {
        if i < self.toks.len() { self.keys.get(i) } else { "" }
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(Tok::is_word)
    }

    pub fn is_num(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Num)
    }

    pub fn is_punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_punct(self.text, c))
    }

    pub fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.glued)
    }

    pub fn same_sent(&self, a: usize, b: usize) -> bool {
        b < self.toks.len() && self.toks[a].sent == self.toks[b].sent
    }

    pub fn tok_text(&self, i: usize) -> &'a str {
        self.toks[i].text(self.text)
    }

    /// The numeric value of a number token ("1,200.5" → 1200.5).
    pub fn num_value(&self, i: usize) -> Option<f64> {
        let s = self.tok_text(i);
        if s.contains(',') { s.replace(',', "").parse().ok() } else { s.parse().ok() }
    }
}

fn word_set(words: &'static str) -> FxHashSet<&'static str> {
    words.split_whitespace().collect()
}

/// Number words and their values; "hundred" and larger multiply.
static NUMBER_WORDS: LazyLock<FxHashMap<&'static str, f64>> = LazyLock::new(|| {
    let units = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen \
                 sixteen seventeen eighteen nineteen";
    let mut m: FxHashMap<&'static str, f64> =
        units.split_whitespace().enumerate().map(|(i, w)| (w, i as f64)).collect();
    for (i, w) in "twenty thirty forty fifty sixty seventy eighty ninety".split_whitespace().enumerate() {
        m.insert(w, (i as f64 + 2.0) * 10.0);
    }
    m.insert("dozen", 12.0);
    m
});

/// The value of a spelled-out number or scale word ("twelve" → 12,
/// "dozen" → 12, "hundred" → 100, "bn" → 1e9), in any case; `None` for any
/// other word. The one list of number words: the number parser reads it, and
/// so does quote comparison (one outlet writes "ten generations", another
/// "10 generations").
pub fn number_word_value(word: &str) -> Option<f64> {
    let lower;
    let key = if word.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = word.to_ascii_lowercase();
        lower.as_str()
    } else {
        word
    };
    NUMBER_WORDS.get(key).copied().or_else(|| scale_word(key))
}

/// Scale words, spelled out or abbreviated.
fn scale_word(key: &str) -> Option<f64> {
    Some(match key {
        "hundred" => 1e2,
        "thousand" => 1e3,
        "million" | "mln" | "mn" => 1e6,
        "billion" | "bln" | "bn" => 1e9,
        "trillion" | "tn" | "trn" => 1e12,
        "lakh" => 1e5,
        "crore" => 1e7,
        _ => return None,
    })
}

/// Scale abbreviations written glued to the digits ("3.2m", "500bn", "5k").
fn glued_scale(key: &str) -> Option<f64> {
    Some(match key {
        "k" => 1e3,
        "m" | "mn" | "mln" => 1e6,
        "b" | "bn" | "bln" => 1e9,
        "tn" | "trn" | "t" => 1e12,
        _ => return None,
    })
}

/// Plural order-of-magnitude words and the range each spans, as a lower
/// bound and an exclusive upper bound. "tens" and "hundreds" span one power
/// of ten; "thousands", "millions", "billions" run to the next named
/// magnitude, since "billions" is said of anything short of "trillions".
fn vague_word(key: &str) -> Option<(f64, f64)> {
    Some(match key {
        "tens" => (10.0, 100.0),
        "hundreds" => (100.0, 1e3),
        "dozens" => (24.0, 144.0),
        "scores" => (40.0, 200.0),
        "thousands" => (1e3, 1e6),
        "millions" => (1e6, 1e9),
        "billions" => (1e9, 1e12),
        "trillions" => (1e12, 1e15),
        _ => return None,
    })
}

/// Currency words after an amount, singular and plural.
fn currency_word(key: &str) -> Option<&'static str> {
    Some(match key {
        "dollar" | "dollars" => "USD",
        "euro" | "euros" => "EUR",
        "sterling" => "GBP",
        "yen" => "JPY",
        "yuan" | "renminbi" => "CNY",
        "rouble" | "roubles" | "ruble" | "rubles" => "RUB",
        "hryvnia" | "hryvnias" | "hryvnias’" => "UAH",
        "rupee" | "rupees" => "INR",
        "shekel" | "shekels" => "ILS",
        "lira" => "TRY",
        "zloty" | "zlotys" => "PLN",
        "franc" | "francs" => "CHF",
        "rand" => "ZAR",
        "peso" | "pesos" => "MXN",
        "real" | "reais" => "BRL",
        _ => return None,
    })
}

/// Words before "dollar(s)" that change which dollar.
fn dollar_country(key: &str) -> Option<&'static str> {
    Some(match key {
        "us" | "u.s." | "american" => "USD",
        "australian" => "AUD",
        "canadian" => "CAD",
        "hong" => "HKD",
        "zealand" => "NZD",
        "singapore" => "SGD",
        "taiwan" | "taiwanese" => "TWD",
        _ => return None,
    })
}

/// Currency codes written before or after an amount.
static CURRENCY_CODES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    word_set(
        "USD EUR GBP JPY CNY RUB UAH INR CHF AUD CAD HKD NZD SGD KRW TRY ILS MXN BRL ZAR SEK NOK DKK PLN CZK HUF \
         RON SAR AED QAR TWD",
    )
});

fn currency_symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '$' => "USD",
        '€' => "EUR",
        '£' => "GBP",
        '¥' => "JPY",
        '₹' => "INR",
        '₽' => "RUB",
        '₴' => "UAH",
        '₩' => "KRW",
        '₺' => "TRY",
        '₪' => "ILS",
        _ => return None,
    })
}

/// Letters written glued before "$" to say which dollar ("US$", "A$").
fn dollar_prefix(key: &str) -> Option<&'static str> {
    Some(match key {
        "us" => "USD",
        "a" | "au" => "AUD",
        "c" | "ca" => "CAD",
        "hk" => "HKD",
        "nz" => "NZD",
        "s" => "SGD",
        "r" => "BRL",
        _ => return None,
    })
}

/// Plurals that do not end in "s", with their singulars.
fn irregular_plural(key: &str) -> Option<&'static str> {
    Some(match key {
        "people" => "person",
        "men" => "man",
        "women" => "woman",
        "children" => "child",
        "feet" => "foot",
        "teeth" => "tooth",
        "mice" => "mouse",
        "geese" => "goose",
        "police" => "police",
        "personnel" => "personnel",
        "staff" => "staff",
        "cattle" => "cattle",
        "sheep" => "sheep",
        "fish" => "fish",
        "deer" => "deer",
        "aircraft" => "aircraft",
        "data" => "data",
        "media" => "media",
        "crew" => "crew",
        _ => return None,
    })
}

/// Units of measure written as abbreviations, counted like nouns.
static MEASURE_ABBREVIATIONS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    word_set("km kms kg kgs mph kph km/h mm cm m ft mi lb lbs oz t mw gw kw kwh mwh gwh twh bpd ha sq mb gb tb ghz")
});

/// Words ending in "s" that are verbs or singular nouns, not plurals.
static NOT_PLURAL: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    word_set(
        "says is was has does goes makes takes gives means remains seems appears includes continues shows claims \
         states adds notes argues plus minus news series species us its this thus his hers yours ours theirs \
         across chaos bias gas status campus virus census crisis analysis basis thesis process",
    )
});

/// Hedges before a figure and what each says about the true value. Read
/// once, here, and carried on the number ([`NumberSpan::hedge`]): the
/// analysis decides what a hedged figure is compatible with from it, and
/// never re-reads the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hedge {
    /// "about", "around": within the precision the figure is written to.
    Around,
    /// "more than", "at least": the figure is a lower bound.
    AtLeast,
    /// "less than", "up to": the figure is an upper bound.
    AtMost,
    /// "nearly", "almost": just below the figure.
    Nearly,
}

/// Words after a figure that make it a time offset ([`Role::Offset`]).
const OFFSET_WORDS: &[&str] = &["ago", "later", "earlier"];

/// Comparatives that, followed by "than" right after a figure, make it a
/// difference ([`Role::Difference`]): "$2 million more than the Clinton
/// campaign". Before the figure the same words are a hedge ("more than
/// 1,200"), read by [`hedge_before`].
const COMPARATIVES: &[&str] =
    &["more", "less", "fewer", "higher", "lower", "greater", "larger", "smaller", "bigger", "longer", "shorter"];

/// Words after a figure that, followed by a name, make it a difference:
/// "four points below Clinton", "12 points ahead of Sanders". Before a
/// common word they place a quantity ("5 degrees below zero", "300 metres
/// above sea level"), so only a capitalised word counts.
const RELATIVE_TO: &[&str] = &["above", "below", "behind", "ahead"];

/// Whether the words from token `j` (right after a figure) compare it
/// with another quantity ([`Role::Difference`]).
fn difference_after(cx: &Cx, i: usize, j: usize) -> bool {
    let at = |k: usize| k < cx.toks.len() && cx.same_sent(i, k);
    if !at(j + 1) {
        return false;
    }
    let key = cx.key(j);
    if COMPARATIVES.contains(&key) {
        return cx.key(j + 1) == "than";
    }
    if RELATIVE_TO.contains(&key) {
        let name = if key == "ahead" && cx.key(j + 1) == "of" { j + 2 } else { j + 1 };
        return at(name) && cx.toks[name].cap;
    }
    false
}

/// Words before a figure that make it an increment ([`Role::Increment`]),
/// after an optional article: "another 22", "a further 164", "an
/// additional 118", "an extra 40".
const INCREMENT_WORDS: &[&str] = &["another", "further", "additional", "extra"];

/// Whether an increment word comes right before token `i`, or before a
/// one-word hedge there ("another nearly 50").
fn increment_before(cx: &Cx, i: usize) -> bool {
    let word = |k: usize| cx.same_sent(k, i) && INCREMENT_WORDS.contains(&cx.key(k));
    (i >= 1 && word(i - 1)) || (i >= 2 && word(i - 2) && hedge_before(cx, i).is_some())
}

/// The hedge ending right before token `i`, if any.
fn hedge_before(cx: &Cx, i: usize) -> Option<Hedge> {
    if i == 0 || !cx.same_sent(i - 1, i) {
        return None;
    }
    let k1 = cx.key(i - 1);
    let k2 = if i >= 2 && cx.same_sent(i - 2, i) { cx.key(i - 2) } else { "" };
    Some(match (k2, k1) {
        ("more" | "greater" | "higher", "than") | ("at", "least") | ("upwards", "of") => Hedge::AtLeast,
        ("less" | "fewer" | "lower", "than") | ("up", "to") | ("as", "many" | "much") => Hedge::AtMost,
        ("close", "to") | ("an", "estimated") => Hedge::Around,
        (_, "about" | "around" | "roughly" | "approximately" | "some" | "approx" | "circa" | "estimated") => {
            Hedge::Around
        }
        (_, "over" | "exceeding") => Hedge::AtLeast,
        (_, "under" | "below") => Hedge::AtMost,
        (_, "nearly" | "almost") => Hedge::Nearly,
        _ => return None,
    })
}

/// Half a unit of the last significant digit of `v`: the precision a round
/// figure is written to ("about 500 billion" → ±50 billion).
fn half_precision(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 0.5;
    }
    let mut unit = 10f64.powi(v.log10().floor() as i32);
    while unit > 1e-6 && ((v / unit).round() - v / unit).abs() > 1e-9 {
        unit /= 10.0;
    }
    unit / 2.0
}

fn apply_hedge(span: &mut NumberSpan, hedge: Hedge) {
    let v = span.value;
    let p = half_precision(v);
    span.approximate = true;
    span.hedge = Some(hedge);
    match hedge {
        Hedge::Around => {
            span.low = span.low.min(v - p);
            span.high = span.high.max(v + p);
        }
        Hedge::AtLeast => span.high = f64::INFINITY,
        Hedge::AtMost => span.low = 0.0,
        Hedge::Nearly => {
            span.low = v - 2.0 * p;
            span.high = v;
        }
    }
}

/// The English singular of a lower-case plural noun.
pub fn singular(word: &str) -> String {
    let w = word.trim_end_matches(['\'', '’']);
    if let Some(s) = irregular_plural(w) {
        return s.to_string();
    }
    if w.len() > 4
        && let Some(stem) = w.strip_suffix("ies")
    {
        return format!("{stem}y");
    }
    for suf in ["sses", "shes", "ches", "xes", "zes"] {
        if w.ends_with(suf) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        return w.to_string();
    }
    w.strip_suffix('s').unwrap_or(w).to_string()
}

pub(crate) fn looks_plural(cx: &Cx, i: usize) -> bool {
    let k = cx.key(i);
    if irregular_plural(k).is_some() || MEASURE_ABBREVIATIONS.contains(k) {
        return true;
    }
    k.len() >= 3
        && k.ends_with('s')
        && !k.ends_with("ss")
        && !k.ends_with("us")
        && !k.ends_with("is")
        && !NOT_PLURAL.contains(k)
        && k.chars().all(char::is_alphabetic)
}

pub(crate) fn is_future_cue(key: &str) -> bool {
    FUTURE_CUES.contains(key)
}

/// Cues that a bare weekday or month lies ahead, not behind.
static FUTURE_CUES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    word_set("will 'll shall upcoming scheduled slated planned plans plan expected due set next ahead coming")
});

/// The numbers of a text, in order. `published` (an ISO date, possibly with
/// a time) anchors relative dates.
pub fn find_numbers(text: &str, sentences: &[Range<usize>], published: Option<&str>) -> Vec<NumberSpan> {
    let toks = lexer::lex(text, sentences);
    let keys = Keys::new(text, &toks);
    find_in(text, &toks, &keys, published)
}

pub(crate) fn find_in(text: &str, toks: &[Tok], keys: &Keys, published: Option<&str>) -> Vec<NumberSpan> {
    let cx = Cx { text, toks, keys };
    let anchor: Option<NaiveDate> = published.and_then(dates::parse_published);
    let mut out: Vec<NumberSpan> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !may_start(&cx, i) {
            i += 1;
            continue;
        }
        if let Some((span, next)) = dates::date_at(&cx, i, anchor).or_else(|| amount_at(&cx, i)) {
            out.push(span);
            i = next.max(i + 1);
        } else {
            i += 1;
        }
    }
    fill_currency(&mut out);
    out
}

/// Cheap test before the parsers: digits, currency marks, number words,
/// and the words dates start with.
fn may_start(cx: &Cx, i: usize) -> bool {
    let t = &cx.toks[i];
    match t.kind {
        Kind::Num => true,
        Kind::Punct => cx.text[t.start..].chars().next().and_then(currency_symbol).is_some(),
        Kind::Word => TRIGGERS.contains(cx.key(i)) || (t.upper && CURRENCY_CODES.contains(cx.tok_text(i))),
        Kind::Poss => false,
    }
}

/// Every word a number or date phrase can start with, for one hash lookup
/// per word before any parser runs.
static TRIGGERS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    let mut set: FxHashSet<&'static str> = NUMBER_WORDS.keys().copied().collect();
    set.extend(["tens", "hundreds", "dozens", "scores", "thousands", "millions", "billions", "trillions", "a", "an"]);
    set.extend(["us", "au", "ca", "hk", "nz", "s", "r", "c"]);
    set.extend(dates::start_words());
    set
});

/// Amounts without a currency take the article's most frequent one.
fn fill_currency(out: &mut [NumberSpan]) {
    if !out.iter().any(|n| n.unit.is_empty()) {
        return;
    }
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for n in out.iter().filter(|n| n.is_money()) {
        *counts.entry(n.unit.as_str()).or_default() += 1;
    }
    let cur = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map_or(DEFAULT_CURRENCY.to_string(), |(c, _)| c.to_string());
    for n in out.iter_mut().filter(|n| n.unit.is_empty()) {
        n.unit = cur.clone();
    }
}

/// A currency written before the amount: (code, index after it).
fn currency_prefix(cx: &Cx, i: usize) -> Option<(&'static str, usize)> {
    let t = &cx.toks[i];
    if t.kind == Kind::Punct {
        let c = cx.text[t.start..].chars().next()?;
        return currency_symbol(c).map(|code| (code, i + 1));
    }
    if t.is_word() {
        if cx.is_punct(i + 1, '$') && cx.glued(i + 1) {
            return dollar_prefix(cx.key(i)).map(|code| (code, i + 2));
        }
        let s = cx.tok_text(i);
        if t.upper && CURRENCY_CODES.contains(s) && cx.is_num(i + 1) {
            return CURRENCY_CODES.get(s).map(|&code| (code, i + 1));
        }
    }
    None
}

/// A number spelled in words from `i`: (value, index after it).
pub(crate) fn word_number(cx: &Cx, i: usize) -> Option<(f64, usize)> {
    let mut j = i;
    let mut total = 0.0f64;
    let mut current = 0.0f64;
    let mut any = false;
    // "a hundred", "a dozen", "a million".
    if matches!(cx.key(j), "a" | "an") {
        let next = cx.key(j + 1);
        if scale_word(next).is_some() || next == "dozen" {
            current = 1.0;
            any = true;
            j += 1;
        } else {
            return None;
        }
    }
    while j < cx.toks.len() && cx.same_sent(i, j) && cx.is_word(j) {
        let k = cx.key(j);
        if let Some(&v) = NUMBER_WORDS.get(k) {
            if k == "dozen" {
                current = current.max(1.0) * 12.0;
            } else {
                current += v;
            }
            any = true;
            j += 1;
            // "twenty-five"
            if cx.is_punct(j, '-') && cx.glued(j) && cx.glued(j + 1) && NUMBER_WORDS.contains_key(cx.key(j + 1)) {
                j += 1;
            }
            continue;
        }
        if let Some(s) = scale_word(k)
            && any
        {
            if s == 100.0 {
                current = current.max(1.0) * 100.0;
            } else {
                total += current.max(1.0) * s;
                current = 0.0;
            }
            j += 1;
            continue;
        }
        if k == "and" && any && NUMBER_WORDS.contains_key(cx.key(j + 1)) {
            j += 1;
            continue;
        }
        break;
    }
    if !any {
        return None;
    }
    let v = total + current;
    // "one" alone is a pronoun as often as a number ("one of them").
    if j == i + 1 && cx.key(i) == "one" {
        return None;
    }
    if cx.key(j - 1) == "zero" && j == i + 1 {
        return None;
    }
    Some((v, j))
}

/// The core figure at `i`: (value, low, high, approximate, index after).
fn core_at(cx: &Cx, i: usize) -> Option<(f64, f64, f64, bool, usize)> {
    let t = cx.toks.get(i)?;
    if t.kind == Kind::Num {
        // Times, fractions, scores, codes: "10:30", "3/4", "#5".
        if cx.glued(i) && i > 0 && [':', '/', '#', '.', ','].iter().any(|&c| cx.is_punct(i - 1, c)) {
            return None;
        }
        if cx.glued(i + 1) && [':', '/'].iter().any(|&c| cx.is_punct(i + 1, c)) && cx.is_num(i + 2) {
            return None;
        }
        let mut v = cx.num_value(i)?;
        let mut j = i + 1;
        if cx.is_word(j) && cx.glued(j) {
            let k = cx.key(j);
            if let Some(s) = glued_scale(k) {
                v *= s;
                j += 1;
            } else if !MEASURE_ABBREVIATIONS.contains(k) {
                // Ordinals ("3rd"), decades ("1990s"), codes ("5G").
                return None;
            }
        }
        // Compound adjectives: "a 10-year plan", "267-strong"; but a
        // quake's "6.8-magnitude" is its figure ([`magnitude_after`]).
        if cx.is_punct(j, '-') && cx.glued(j) && cx.is_word(j + 1) && cx.glued(j + 1) && cx.key(j + 1) != MAGNITUDE {
            return None;
        }
        // Ranges: "200-300", "200 to 300".
        if (cx.is_punct(j, '-') || cx.is_punct(j, '–')) && cx.glued(j) && cx.is_num(j + 1) && cx.glued(j + 1)
            || cx.key(j) == "to" && cx.is_num(j + 1)
        {
            let v2 = cx.num_value(j + 1)?;
            if v2 > v {
                return Some((v, v, v2, true, j + 2));
            }
        }
        return Some((v, v, v, false, j));
    }
    if t.is_word() {
        if let Some((lo, hi)) = vague_word(cx.key(i)) {
            return Some((lo, lo, hi, true, i + 1));
        }
        if let Some((v, j)) = word_number(cx, i) {
            // "a 10-year", "two-thirds": hyphen compounds are adjectives.
            if cx.is_punct(j, '-') && cx.glued(j) {
                return None;
            }
            return Some((v, v, v, false, j));
        }
    }
    None
}

/// A money, percentage or count phrase starting at `i`.
fn amount_at(cx: &Cx, i: usize) -> Option<(NumberSpan, usize)> {
    let (mut currency, c0) = match currency_prefix(cx, i) {
        Some((c, j)) => (Some(c), j),
        None => (None, i),
    };
    let (mut value, mut low, mut high, vague, mut j) = core_at(cx, c0)?;
    if !cx.same_sent(i, j.saturating_sub(1)) {
        return None;
    }
    if currency.is_none()
        && !vague
        && let Some((first, end, next)) = magnitude_before(cx, i).or_else(|| magnitude_after(cx, i, j))
    {
        let mut span = NumberSpan::exact(cx.toks[first].start, end, value, MAGNITUDE, None);
        if let Some(h) = hedge_before(cx, first) {
            apply_hedge(&mut span, h);
        }
        return Some((span, next));
    }
    // A number that is part of a name: "Article 5", "Boeing 737".
    if currency.is_none()
        && i > 0
        && cx.is_num(i)
        && cx.is_word(i - 1)
        && cx.toks[i - 1].cap
        && !cx.toks[i - 1].initial
        && cx.same_sent(i - 1, i)
    {
        return None;
    }
    // Spelled scale after the figure: "500 billion", "hundreds of billions".
    let mut scaled = value >= MONEY_WITHOUT_CURRENCY_MIN;
    if let Some(s) = scale_word(cx.key(j)) {
        value *= s;
        low *= s;
        high *= s;
        scaled = true;
        j += 1;
    } else if vague && cx.key(j) == "of" {
        if let Some((m, _)) = vague_word(cx.key(j + 1)).filter(|(m, _)| *m >= 1e3) {
            value *= m;
            low *= m;
            high *= m;
            scaled = true;
            j += 2;
        }
    } else if vague && low >= MONEY_WITHOUT_CURRENCY_MIN {
        scaled = true;
    }
    let mut end = cx.toks[j - 1].end;
    // Currency after: "dollars", "US dollars", "of dollars", "USD".
    if currency.is_none() {
        let mut k = j;
        if cx.key(k) == "of" && vague {
            k += 1;
        }
        let mut which = None;
        if dollar_country(cx.key(k)).is_some() && matches!(cx.key(k + 1), "dollar" | "dollars") {
            which = dollar_country(cx.key(k));
            k += 1;
        } else if cx.key(k) == "new" && cx.key(k + 1) == "zealand" && matches!(cx.key(k + 2), "dollar" | "dollars") {
            which = Some("NZD");
            k += 2;
        } else if cx.key(k) == "hong" && cx.key(k + 1) == "kong" && matches!(cx.key(k + 2), "dollar" | "dollars") {
            which = Some("HKD");
            k += 2;
        }
        if k < cx.toks.len() && cx.same_sent(i, k) {
            let code = if cx.toks[k].upper && CURRENCY_CODES.contains(cx.tok_text(k)) {
                CURRENCY_CODES.get(cx.tok_text(k)).copied()
            } else {
                currency_word(cx.key(k))
            };
            if let Some(code) = code {
                currency = Some(which.unwrap_or(code));
                end = cx.toks[k].end;
                j = k + 1;
            }
        }
    }
    let mut span = NumberSpan {
        start: cx.toks[i].start,
        end,
        value,
        unit: String::new(),
        noun: None,
        approximate: vague,
        low,
        high,
        date: None,
        hedge: None,
        role: Role::Value,
    };
    if let Some(code) = currency {
        span.unit = code.to_string();
    } else if (cx.is_punct(j, '%') && cx.glued(j)) || matches!(cx.key(j), "percent" | "pc" | "pct") {
        span.unit = "%".into();
        span.end = cx.toks[j].end;
        j += 1;
    } else if cx.key(j) == "per" && cx.key(j + 1) == "cent" {
        span.unit = "%".into();
        span.end = cx.toks[j + 1].end;
        j += 2;
    } else if cx.key(j) == "percentage" && matches!(cx.key(j + 1), "point" | "points") {
        span.unit = "%".into();
        span.noun = Some(cx.text[cx.toks[j].start..cx.toks[j + 1].end].to_string());
        span.end = cx.toks[j + 1].end;
        j += 2;
    } else if let Some(word) = casualties_after(cx, i, j) {
        span.unit = "person".into();
        span.noun = Some(cx.tok_text(word).to_string());
        span.end = cx.toks[word].end;
        j = word + 1;
    } else if let Some((noun, head, next)) = counted_noun(cx, j, value, vague) {
        span.unit = singular(cx.key(head));
        span.noun = Some(cx.text[cx.toks[noun].start..cx.toks[head].end].to_string());
        span.end = cx.toks[head].end;
        j = next;
    } else if scaled {
        // Money in the article's currency, filled in later.
    } else {
        return None;
    }
    if let Some(h) = hedge_before(cx, i) {
        apply_hedge(&mut span, h);
    }
    if increment_before(cx, i) {
        span.role = Role::Increment;
    } else if OFFSET_WORDS.contains(&cx.key(j)) && cx.same_sent(i, j) {
        span.role = Role::Offset;
    } else if difference_after(cx, i, j) {
        span.role = Role::Difference;
    }
    Some((span, j))
}

/// The unit of an earthquake's magnitude: outlets and agencies often give
/// one quake different figures (6.8 / 6.9), a discrepancy to report like
/// any other, but the scale has no plural noun to count.
pub const MAGNITUDE: &str = "magnitude";

/// "magnitude 6.8", "magnitude-6.8" (the figure at `i`): the span's first
/// token (the scale's word), its end byte and the index after the figure.
fn magnitude_before(cx: &Cx, i: usize) -> Option<(usize, usize, usize)> {
    let k = match i.checked_sub(1)? {
        h if cx.is_punct(h, '-') && cx.glued(i) => h.checked_sub(1)?,
        h => h,
    };
    (cx.key(k) == MAGNITUDE && cx.same_sent(k, i) && cx.is_num(i)).then(|| (k, cx.toks[i].end, i + 1))
}

/// "6.8-magnitude", "6.8 magnitude", "6.8 on the Richter scale" (the
/// figure at `i`, the token after it at `j`): the span's first token (the
/// figure), its end byte and the index after the scale's words.
fn magnitude_after(cx: &Cx, i: usize, j: usize) -> Option<(usize, usize, usize)> {
    if !cx.is_num(i) {
        return None;
    }
    let k = if cx.is_punct(j, '-') && cx.glued(j) { j + 1 } else { j };
    if cx.key(k) == MAGNITUDE && cx.same_sent(i, k) {
        return Some((i, cx.toks[k].end, k + 1));
    }
    let richter = ["on", "the", "richter", "scale"];
    (richter.iter().enumerate().all(|(n, w)| cx.key(j + n) == *w) && cx.same_sent(i, j + 3))
        .then(|| (i, cx.toks[j + 3].end, j + 4))
}

/// Adjectives and participles news uses as nouns for people after a
/// count: "leaving 11 dead", "5 injured and 2 missing".
const CASUALTY_WORDS: &[&str] = &["dead", "injured", "wounded", "missing", "killed", "hurt"];

/// The token of a casualty word ([`CASUALTY_WORDS`]) right after the
/// figure at `i` (the token after it at `j`) that stands for people: no
/// word follows it in the sentence but a function word ("11 dead and 40
/// injured", "2 missing after the flood"), so it heads no noun phrase of
/// its own ("3 missing pieces" counts pieces).
fn casualties_after(cx: &Cx, i: usize, j: usize) -> Option<usize> {
    if !cx.is_word(j) || !cx.same_sent(i, j) || !CASUALTY_WORDS.contains(&cx.key(j)) {
        return None;
    }
    let next = j + 1;
    let ends = !cx.is_word(next) || !cx.same_sent(j, next) || chorus_text::is_stopword(cx.key(next));
    ends.then_some(j)
}

/// The noun phrase a number counts: (first token, head token, index after),
/// the head being the first plural noun within [`MAX_NOUN_WORDS`] words
/// ("267 Russian drones"), after an optional "of" for vague amounts
/// ("thousands of people").
fn counted_noun(cx: &Cx, i: usize, value: f64, vague: bool) -> Option<(usize, usize, usize)> {
    let mut j = i;
    if vague && cx.key(j) == "of" {
        j += 1;
        if cx.key(j) == "the" {
            return None;
        }
    }
    let first = j;
    let mut words = 0;
    while j < cx.toks.len() && cx.same_sent(i, j) && words < MAX_NOUN_WORDS {
        let t = &cx.toks[j];
        if !t.is_word() {
            return None;
        }
        let k = cx.key(j);
        if chorus_text::is_stopword(k) || NUMBER_WORDS.contains_key(k) {
            return None;
        }
        if looks_plural(cx, j) || (value == 1.0 && !vague && words == 0 && k.chars().all(char::is_alphabetic)) {
            return Some((first, j, j + 1));
        }
        words += 1;
        j += 1;
        // Hyphenated modifiers: "Iranian-made drones", "long-range missiles".
        while cx.is_punct(j, '-') && cx.glued(j) && cx.is_word(j + 1) && cx.glued(j + 1) {
            j += 2;
        }
    }
    None
}

#[cfg(test)]
mod tests;
