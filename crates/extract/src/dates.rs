//! Dates written in article text, absolute and relative, as number spans
//! with unit `date` whose [`NumberSpan::date`] holds the typed [`Date`].
//!
//! **Representation.** A [`Date`] is the span of calendar days the words
//! cover (`low`..=`high`) and how they were written ([`DatePrecision`]):
//! "Feb. 23, 2025" is one day, "February 2025" a month, "the 2014
//! annexation" a year, "the 1990s" a decade, and "last week", "earlier this
//! month" or "over the weekend" an approximate span. A year that neither
//! the text nor the publication date gives is year 0 with `year_guessed`
//! set, as is one placed by [`HALF_YEAR_DAYS`]. For the JSON output (and
//! only there) a date is also written as the number `yyyymmdd` in
//! `value` (a month `yyyymm00`, a year `yyyy0000`; see [`Date::number`]),
//! which reads as a date and sorts as one; code compares [`Date`]s.
//!
//! **Recognised.** "Feb. 23, 2025", "February 23", "23 February 2025",
//! "2025-02-23", "February 2025", "in February", "mid-February"; a four-digit
//! year 1800–2100 alone ("the 2014 annexation") and decades ("the 1990s");
//! weekdays ("on Sunday", "last Friday", "next Monday"); "today",
//! "yesterday", "tomorrow", "tonight"; "last/this/next week|month|year",
//! "earlier/later this week|month|year", "over the weekend", "N days ago".
//! Month and weekday words come from [`chorus_text::calendar`].
//!
//! **Resolution.** Relative dates need the publication date and are left out
//! without it. A bare weekday or month is taken as the most recent one on or
//! before publication, unless its sentence speaks of the future ("will",
//! "next", "scheduled", …), then the next one on or after. A day and month
//! without a year take the year that puts them nearest the publication date.

use chorus_text::calendar;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::numbers::{Cx, NumberSpan, word_number};

/// A day and month without a year are placed in the year that puts them
/// within half a year of publication: news reports recent and coming events.
const HALF_YEAR_DAYS: i64 = 183;

/// How precisely a date was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatePrecision {
    Day,
    Month,
    Year,
    Decade,
    /// A span that is no calendar unit: "last week", "over the weekend",
    /// "earlier this month", "two weeks ago".
    Approximate,
}

/// A date as an article gives it: the days it covers and how it was
/// written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// The first day covered.
    pub low: NaiveDate,
    /// The last day covered.
    pub high: NaiveDate,
    pub precision: DatePrecision,
    /// The text gave no year: it was placed by the publication date, or is
    /// unknown (year 0).
    pub year_guessed: bool,
}

impl Date {
    pub fn day(d: NaiveDate) -> Date {
        Date { low: d, high: d, precision: DatePrecision::Day, year_guessed: false }
    }

    pub fn month(y: i32, m: u32) -> Option<Date> {
        let low = NaiveDate::from_ymd_opt(y, m, 1)?;
        Some(Date { low, high: last_of_month(y, m)?, precision: DatePrecision::Month, year_guessed: false })
    }

    pub fn year(y: i32) -> Option<Date> {
        let low = NaiveDate::from_ymd_opt(y, 1, 1)?;
        let high = NaiveDate::from_ymd_opt(y, 12, 31)?;
        Some(Date { low, high, precision: DatePrecision::Year, year_guessed: false })
    }

    pub fn span(low: NaiveDate, high: NaiveDate) -> Date {
        Date { low, high, precision: DatePrecision::Approximate, year_guessed: false }
    }

    /// The one day this date is, when it is a day.
    pub fn as_day(&self) -> Option<NaiveDate> {
        (self.precision == DatePrecision::Day).then_some(self.low)
    }

    /// The date as the number `yyyymmdd` of the JSON output: a month is
    /// `yyyymm00`, a year `yyyy0000`, a decade or approximate span its first
    /// day.
    pub fn number(&self) -> f64 {
        let (y, m, d) = (self.low.year() as i64, self.low.month() as i64, self.low.day() as i64);
        (match self.precision {
            DatePrecision::Month => y * 10000 + m * 100,
            DatePrecision::Year => y * 10000,
            _ => y * 10000 + m * 100 + d,
        }) as f64
    }

    /// Whether two dates can name the same day: one covers the other
    /// ("8 March 2014" and "March 2014"), or they overlap and one is
    /// approximate ("last week" and "Tuesday"). Two days, or two months,
    /// that differ never can. A date whose year was guessed is compared by
    /// month and day only, since its year is the guess's, not the writer's.
    pub fn may_be_same(&self, other: &Date) -> bool {
        if self.year_guessed || other.year_guessed {
            let key = |d: &Date| (d.low.month(), d.low.day(), d.high.month(), d.high.day());
            if self.precision == other.precision && key(self) == key(other) {
                return true;
            }
        }
        let covers = |a: &Date, b: &Date| a.low <= b.low && b.high <= a.high;
        let overlap = self.low <= other.high && other.low <= self.high;
        covers(self, other)
            || covers(other, self)
            || (overlap
                && (self.precision == DatePrecision::Approximate || other.precision == DatePrecision::Approximate))
    }
}

/// The date of an ISO date or date-time string ("2025-02-23",
/// "2025-02-23T10:00:00Z").
pub fn parse_published(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn month_of(key: &str) -> Option<u32> {
    calendar::month(key)
}

fn weekday_of(key: &str) -> Option<Weekday> {
    calendar::weekday(key).and_then(|d| Weekday::try_from(d as u8).ok())
}

/// Words a date may start with besides digits and calendar words, for the
/// pre-filter.
const RELATIVE_START_WORDS: &[&str] =
    &["today", "tonight", "yesterday", "tomorrow", "last", "this", "next", "earlier", "later", "over", "past"];

/// Words a date may start with (besides digits), for the pre-filter.
pub(crate) fn start_words() -> impl Iterator<Item = &'static str> {
    calendar::words().chain(RELATIVE_START_WORDS.iter().copied())
}

fn date_span(start: usize, end: usize, date: Date) -> NumberSpan {
    let mut span = NumberSpan::exact(start, end, date.number(), "date", None);
    span.approximate = matches!(date.precision, DatePrecision::Decade | DatePrecision::Approximate);
    span.low = ymd(date.low);
    span.high = ymd(date.high);
    span.date = Some(date);
    span
}

/// A day as the number `yyyymmdd` (the JSON form of [`Date::number`]).
fn ymd(d: NaiveDate) -> f64 {
    (d.year() as i64 * 10000 + d.month() as i64 * 100 + d.day() as i64) as f64
}

fn day_span(start: usize, end: usize, d: NaiveDate) -> NumberSpan {
    date_span(start, end, Date::day(d))
}

/// A day and month without a year: the year nearest publication, or year 0
/// without a publication date; either way marked as guessed.
fn yearless_span(start: usize, end: usize, m: u32, d: u32, anchor: Option<NaiveDate>) -> Option<NumberSpan> {
    let day = match anchor {
        Some(a) => nearest_year(a, m, d)?,
        None => NaiveDate::from_ymd_opt(0, m, d)?,
    };
    Some(date_span(start, end, Date { year_guessed: true, ..Date::day(day) }))
}

fn range_span(start: usize, end: usize, low: NaiveDate, high: NaiveDate) -> NumberSpan {
    date_span(start, end, Date::span(low, high))
}

fn last_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

fn month_span(start: usize, end: usize, y: i32, m: u32) -> Option<NumberSpan> {
    Some(date_span(start, end, Date::month(y, m)?))
}

fn year_span(start: usize, end: usize, y: i32) -> Option<NumberSpan> {
    Some(date_span(start, end, Date::year(y)?))
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(d.weekday().num_days_from_monday() as u64)
}

/// A four-digit year token in the range news writes about.
fn year_at(cx: &Cx, i: usize) -> Option<i32> {
    if !cx.is_num(i) {
        return None;
    }
    year_of(cx.tok_text(i))
}

/// A year news writes about, written as four digits (1800–2100): "2014" in
/// "the 2014 annexation" is a date, "370" in "Flight 370" is not.
pub(crate) fn year_of(s: &str) -> Option<i32> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (1800..=2100).contains(&y).then_some(y)
}

/// A day-of-month token ("23", "23rd"): (day, index after it).
fn day_at(cx: &Cx, i: usize) -> Option<(u32, usize)> {
    if !cx.is_num(i) {
        return None;
    }
    let s = cx.tok_text(i);
    if s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u32 = s.parse().ok()?;
    if !(1..=31).contains(&d) {
        return None;
    }
    let mut j = i + 1;
    if cx.is_word(j) && cx.glued(j) {
        if matches!(cx.key(j), "st" | "nd" | "rd" | "th") {
            j += 1;
        } else {
            return None;
        }
    }
    Some((d, j))
}

/// The year that puts month `m`, day `d` nearest to `anchor`.
fn nearest_year(anchor: NaiveDate, m: u32, d: u32) -> Option<NaiveDate> {
    let y = anchor.year();
    let this = NaiveDate::from_ymd_opt(y, m, d)?;
    let diff = (this - anchor).num_days();
    if diff > HALF_YEAR_DAYS {
        NaiveDate::from_ymd_opt(y - 1, m, d)
    } else if diff < -HALF_YEAR_DAYS {
        NaiveDate::from_ymd_opt(y + 1, m, d)
    } else {
        Some(this)
    }
}

/// How far back from a date to look for the verb that sets its tense.
const TENSE_WINDOW: usize = 10;

/// Past-tense forms that do not end in "-ed".
const IRREGULAR_PAST: &[&str] = &[
    "was", "were", "had", "did", "said", "spoke", "met", "held", "told", "went", "came", "gave", "took", "made",
    "began", "saw", "left", "won", "lost", "fell", "rose", "sent", "led", "shot", "hit", "struck", "wrote", "ran",
];

/// Whether the clause before token `i` speaks of the future: the nearest
/// tense marker within [`TENSE_WINDOW`] tokens is a future cue ("will",
/// "set to", "next") rather than a past form ("spoke", "announced").
fn looks_ahead(cx: &Cx, i: usize) -> bool {
    let lo = i.saturating_sub(TENSE_WINDOW);
    for j in (lo..i).rev() {
        if !cx.same_sent(j, i) {
            break;
        }
        if !cx.is_word(j) {
            continue;
        }
        let k = cx.key(j);
        if crate::numbers::is_future_cue(k) {
            return true;
        }
        if IRREGULAR_PAST.contains(&k) || (k.len() > 4 && k.ends_with("ed")) {
            return false;
        }
    }
    false
}

/// A date starting at token `i`: (span, index after it).
pub(crate) fn date_at(cx: &Cx, i: usize, anchor: Option<NaiveDate>) -> Option<(NumberSpan, usize)> {
    let t = cx.toks.get(i)?;
    let start = t.start;
    let k = cx.key(i);
    if t.is_word() && t.cap {
        if let Some(m) = month_of(k) {
            return month_date(cx, i, m, anchor, looks_ahead(cx, i));
        }
        if let Some(wd) = weekday_of(k) {
            let anchor = anchor?;
            let modifier = if i > 0 && cx.same_sent(i - 1, i) { cx.key(i - 1) } else { "" };
            let back = (7 + anchor.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
            let ahead = (7 + wd.num_days_from_monday() - anchor.weekday().num_days_from_monday()) % 7;
            let d = match modifier {
                "last" => anchor - Days::new(if back == 0 { 7 } else { back } as u64),
                "next" => anchor + Days::new(if ahead == 0 { 7 } else { ahead } as u64),
                "this" => monday_of(anchor) + Days::new(wd.num_days_from_monday() as u64),
                _ if looks_ahead(cx, i) => anchor + Days::new(ahead as u64),
                _ => anchor - Days::new(back as u64),
            };
            let s = if matches!(modifier, "last" | "next" | "this") { cx.toks[i - 1].start } else { start };
            return Some((day_span(s, t.end, d), i + 1));
        }
    }
    if t.kind == crate::entities::lexer::Kind::Num {
        return numeric_date(cx, i, anchor);
    }
    if t.is_word() {
        return relative_date(cx, i, anchor?);
    }
    None
}

/// Dates that start with a month name.
fn month_date(cx: &Cx, i: usize, m: u32, anchor: Option<NaiveDate>, future: bool) -> Option<(NumberSpan, usize)> {
    let start = cx.toks[i].start;
    let mut j = i + 1;
    if cx.is_punct(j, '.') && cx.glued(j) {
        j += 1;
    }
    if let Some((d, after)) = day_at(cx, j).filter(|_| cx.same_sent(i, j)) {
        let mut y_tok = after;
        if cx.is_punct(y_tok, ',') {
            y_tok += 1;
        }
        if let Some(y) = year_at(cx, y_tok).filter(|_| cx.same_sent(i, y_tok)) {
            let date = NaiveDate::from_ymd_opt(y, m, d)?;
            return Some((day_span(start, cx.toks[y_tok].end, date), y_tok + 1));
        }
        let end = cx.toks[after - 1].end;
        return Some((yearless_span(start, end, m, d, anchor)?, after));
    }
    if let Some(y) = year_at(cx, j).filter(|_| cx.same_sent(i, j)) {
        return Some((month_span(start, cx.toks[j].end, y, m)?, j + 1));
    }
    // A month alone needs a word that makes it a time ("in May", "last
    // March", "mid-June"), since "May" and "March" are also verb and noun.
    let prev = match i {
        0 => "",
        _ if !cx.same_sent(i - 1, i) => "",
        _ if cx.is_punct(i - 1, '-') && i >= 2 => cx.key(i - 2),
        _ => cx.key(i - 1),
    };
    let ok = matches!(
        prev,
        "in" | "since"
            | "by"
            | "until"
            | "till"
            | "from"
            | "during"
            | "through"
            | "early"
            | "late"
            | "mid"
            | "last"
            | "next"
            | "this"
            | "before"
            | "after"
            | "of"
    );
    if !ok {
        return None;
    }
    let a = anchor?;
    let y = match prev {
        "last" => {
            if m < a.month() {
                a.year()
            } else {
                a.year() - 1
            }
        }
        "next" => {
            if m > a.month() {
                a.year()
            } else {
                a.year() + 1
            }
        }
        "this" => a.year(),
        _ if future => {
            if m >= a.month() {
                a.year()
            } else {
                a.year() + 1
            }
        }
        _ => {
            if m <= a.month() {
                a.year()
            } else {
                a.year() - 1
            }
        }
    };
    let s = if matches!(prev, "last" | "next" | "this") { cx.toks[i - 1].start } else { cx.toks[i].start };
    Some((month_span(s, cx.toks[i].end, y, m)?, i + 1))
}

/// Dates that start with digits: ISO dates, day-month, years, decades,
/// "3 days ago".
fn numeric_date(cx: &Cx, i: usize, anchor: Option<NaiveDate>) -> Option<(NumberSpan, usize)> {
    let start = cx.toks[i].start;
    // 2025-02-23
    if let Some(y) = year_at(cx, i)
        && cx.is_punct(i + 1, '-')
        && cx.glued(i + 1)
        && cx.is_num(i + 2)
        && cx.glued(i + 2)
        && cx.is_punct(i + 3, '-')
        && cx.glued(i + 3)
        && cx.is_num(i + 4)
        && cx.glued(i + 4)
    {
        let m: u32 = cx.tok_text(i + 2).parse().ok()?;
        let d: u32 = cx.tok_text(i + 4).parse().ok()?;
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        return Some((day_span(start, cx.toks[i + 4].end, date), i + 5));
    }
    // 23 February (2025)
    if let Some((d, mut j)) = day_at(cx, i) {
        if cx.key(j) == "of" {
            j += 1;
        }
        if cx.is_word(j)
            && cx.toks[j].cap
            && cx.same_sent(i, j)
            && let Some(m) = month_of(cx.key(j))
        {
            let mut after = j + 1;
            if cx.is_punct(after, '.') && cx.glued(after) {
                after += 1;
            }
            if let Some(y) = year_at(cx, after).filter(|_| cx.same_sent(i, after)) {
                let date = NaiveDate::from_ymd_opt(y, m, d)?;
                return Some((day_span(start, cx.toks[after].end, date), after + 1));
            }
            return Some((yearless_span(start, cx.toks[j].end, m, d, anchor)?, j + 1));
        }
    }
    // "3 days ago"
    if let Some(a) = anchor
        && let Some(v) = cx.num_value(i)
        && let Some(r) = ago(cx, i, i + 1, v, a)
    {
        return Some(r);
    }
    // A year alone, or a decade.
    let y = year_at(cx, i)?;
    if i > 0 && cx.glued(i) && !cx.is_punct(i - 1, '(') && !cx.is_punct(i - 1, '“') && !cx.is_punct(i - 1, '"') {
        return None;
    }
    let next = i + 1;
    if cx.is_word(next) && cx.glued(next) {
        if cx.key(next) == "s" && y % 10 == 0 {
            let low = NaiveDate::from_ymd_opt(y, 1, 1)?;
            let high = NaiveDate::from_ymd_opt(y + 9, 12, 31)?;
            let decade = Date { low, high, precision: DatePrecision::Decade, year_guessed: false };
            return Some((date_span(start, cx.toks[next].end, decade), next + 1));
        }
        return None;
    }
    if cx.is_punct(next, '-') && cx.glued(next) {
        return None;
    }
    // "2000 troops", "2014 billion": a count or an amount, not a year.
    if cx.is_word(next) && cx.same_sent(i, next) && !cx.toks[next].cap {
        let k = cx.key(next);
        if crate::numbers::looks_plural(cx, next) || matches!(k, "million" | "billion" | "trillion" | "thousand") {
            return None;
        }
    }
    Some((year_span(start, cx.toks[i].end, y)?, next))
}

/// "N days ago" with the number at `num` and the unit at `j`.
fn ago(cx: &Cx, num: usize, j: usize, n: f64, a: NaiveDate) -> Option<(NumberSpan, usize)> {
    if cx.key(j + 1) != "ago" || !cx.same_sent(num, j + 1) || !(0.0..=1000.0).contains(&n) || n.fract() != 0.0 {
        return None;
    }
    let n = n as u64;
    let start = cx.toks[num].start;
    let end = cx.toks[j + 1].end;
    let span = match cx.key(j) {
        "day" | "days" => day_span(start, end, a - Days::new(n)),
        "week" | "weeks" => {
            let d = a - Days::new(7 * n);
            date_span(start, end, Date { precision: DatePrecision::Approximate, ..Date::day(d) })
        }
        "month" | "months" => {
            let d = a.checked_sub_months(Months::new(n as u32))?;
            month_span(start, end, d.year(), d.month())?
        }
        "year" | "years" => year_span(start, end, a.year() - n as i32)?,
        _ => return None,
    };
    Some((span, j + 2))
}

/// "yesterday", "last week", "earlier this month", "over the weekend",
/// "two days ago".
fn relative_date(cx: &Cx, i: usize, a: NaiveDate) -> Option<(NumberSpan, usize)> {
    let start = cx.toks[i].start;
    let k = cx.key(i);
    let end_at = |j: usize| cx.toks[j].end;
    match k {
        "today" | "tonight" => return Some((day_span(start, end_at(i), a), i + 1)),
        "yesterday" => return Some((day_span(start, end_at(i), a.pred_opt()?), i + 1)),
        "tomorrow" => return Some((day_span(start, end_at(i), a.succ_opt()?), i + 1)),
        _ => {}
    }
    // "a week ago", "two days ago"
    if let Some((n, j)) = word_number(cx, i) {
        return ago(cx, i, j, n, a);
    }
    if matches!(k, "a" | "an") {
        return ago(cx, i, i + 1, 1.0, a);
    }
    let same = |j: usize| j < cx.toks.len() && cx.same_sent(i, j);
    // "over the weekend"
    if k == "over" && cx.key(i + 1) == "the" && cx.key(i + 2) == "weekend" && same(i + 2) {
        let (lo, hi) = weekend_before(a);
        return Some((range_span(start, end_at(i + 2), lo, hi), i + 3));
    }
    // "earlier this month", "later this week", "earlier today", "earlier in the day"
    if matches!(k, "earlier" | "later") {
        if cx.key(i + 1) == "today" && same(i + 1) {
            return Some((day_span(start, end_at(i + 1), a), i + 2));
        }
        if cx.key(i + 1) == "in" && cx.key(i + 2) == "the" && cx.key(i + 3) == "day" && same(i + 3) {
            return Some((day_span(start, end_at(i + 3), a), i + 4));
        }
        if cx.key(i + 1) != "this" || !same(i + 2) {
            return None;
        }
        let (lo, hi) = period(cx.key(i + 2), a, 0)?;
        let (lo, hi) = if k == "earlier" { (lo, a.min(hi)) } else { (a.max(lo), hi) };
        return Some((range_span(start, end_at(i + 2), lo, hi), i + 3));
    }
    let offset = match k {
        "last" | "past" => -1,
        "this" => 0,
        "next" => 1,
        _ => return None,
    };
    if !same(i + 1) {
        return None;
    }
    let unit = cx.key(i + 1);
    let end = end_at(i + 1);
    if unit == "weekend" {
        let (lo, hi) = match offset {
            1 => {
                let (lo, hi) = weekend_before(a + Days::new(7));
                if lo <= a { (lo + Days::new(7), hi + Days::new(7)) } else { (lo, hi) }
            }
            _ => weekend_before(a),
        };
        return Some((range_span(start, end, lo, hi), i + 2));
    }
    if k == "past" {
        // "the past week": the days up to publication.
        let lo = match unit {
            "week" => a - Days::new(7),
            "month" => a.checked_sub_months(Months::new(1))?,
            "year" => a.checked_sub_months(Months::new(12))?,
            _ => return None,
        };
        return Some((range_span(start, end, lo, a), i + 2));
    }
    let (lo, hi) = period(unit, a, offset)?;
    let span = match unit {
        "month" => month_span(start, end, lo.year(), lo.month())?,
        "year" => year_span(start, end, lo.year())?,
        _ => range_span(start, end, lo, hi),
    };
    Some((span, i + 2))
}

/// The week, month or year `offset` periods from the one holding `a`.
fn period(unit: &str, a: NaiveDate, offset: i32) -> Option<(NaiveDate, NaiveDate)> {
    match unit {
        "week" => {
            let mon = monday_of(a);
            let mon = if offset < 0 {
                mon - Days::new(7)
            } else if offset > 0 {
                mon + Days::new(7)
            } else {
                mon
            };
            Some((mon, mon + Days::new(6)))
        }
        "month" => {
            let first = NaiveDate::from_ymd_opt(a.year(), a.month(), 1)?;
            let first = match offset {
                o if o < 0 => first.checked_sub_months(Months::new(1))?,
                o if o > 0 => first.checked_add_months(Months::new(1))?,
                _ => first,
            };
            Some((first, last_of_month(first.year(), first.month())?))
        }
        "year" => {
            let y = a.year() + offset;
            Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?))
        }
        _ => None,
    }
}

/// The most recent Saturday–Sunday that has begun by `a`.
fn weekend_before(a: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = (7 + a.weekday().num_days_from_monday() - Weekday::Sat.num_days_from_monday()) % 7;
    let sat = a - Days::new(back as u64);
    (sat, sat + Days::new(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_of_different_precision_may_be_the_same() {
        let day = Date::day(ymd(2014, 3, 8));
        assert!(day.may_be_same(&Date::month(2014, 3).unwrap()));
        assert!(Date::month(2009, 6).unwrap().may_be_same(&Date::year(2009).unwrap()));
        assert!(!day.may_be_same(&Date::day(ymd(2014, 3, 24))));
        assert!(!day.may_be_same(&Date::day(ymd(2013, 3, 8))));
        assert!(!Date::month(2014, 3).unwrap().may_be_same(&Date::month(2014, 4).unwrap()));
        // "last week" may be the Tuesday inside it.
        assert!(Date::span(ymd(2014, 3, 3), ymd(2014, 3, 9)).may_be_same(&Date::day(ymd(2014, 3, 4))));
        // A guessed year compares by month and day.
        let guessed = Date { year_guessed: true, ..Date::day(ymd(2013, 3, 8)) };
        assert!(guessed.may_be_same(&day));
    }

    #[test]
    fn the_json_number_reads_as_a_date() {
        assert_eq!(Date::day(ymd(2025, 2, 23)).number(), 20250223.0);
        assert_eq!(Date::month(2025, 2).unwrap().number(), 20250200.0);
        assert_eq!(Date::year(2025).unwrap().number(), 20250000.0);
    }
}
