//! Query-string parameters, read by hand so that every malformed value gets
//! the API's own `400 {"error": …}` naming the parameter, never a framework
//! default.

use chorus_store::query::{self, Sort, StoryCursor, StoryFilter};
use chorus_store::{SearchQuery, StoryQuery};

use crate::api::ApiError;

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: usize = 20;
/// Largest page: keeps one response small and one query cheap.
pub const MAX_LIMIT: usize = 100;

/// The parameters of one query string (the first value of each name).
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        let mut out: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !out.iter().any(|(n, _)| *n == k) {
                out.push((k.into_owned(), v.into_owned()));
            }
        }
        Params(out)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A parameter given a non-empty value (an empty one counts as absent,
    /// as an empty field of a submitted form means "no filter").
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.trim().is_empty()).map(str::to_string)
    }

    pub fn limit(&self) -> Result<usize, ApiError> {
        match self.get("limit") {
            None => Ok(DEFAULT_LIMIT),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
                _ => Err(ApiError::bad_request(format!("limit must be an integer from 1 to {MAX_LIMIT}"))),
            },
        }
    }

    /// A `YYYY-MM-DD` day. Strict (the API): an empty value is malformed.
    /// Lenient (the web page's form, which sends empty fields): an empty
    /// value is no filter.
    fn day(&self, name: &str, strict: bool) -> Result<Option<query::NaiveDate>, ApiError> {
        let value = if strict { self.get(name).map(str::to_string) } else { self.text(name) };
        match value {
            None => Ok(None),
            Some(v) => query::parse_day(&v)
                .map(Some)
                .ok_or_else(|| ApiError::bad_request(format!("{name} must be a date, YYYY-MM-DD"))),
        }
    }

    /// `q`, the words searched for, when given; refused when over the
    /// bounds of [`query::check_words`] (too long, too many words).
    fn words(&self) -> Result<Option<String>, ApiError> {
        match self.get("q").filter(|q| !q.is_empty()) {
            None => Ok(None),
            Some(q) => match query::check_words(q) {
                Some(why) => Err(ApiError::bad_request(why)),
                None => Ok(Some(q.to_string())),
            },
        }
    }

    pub fn filter(&self, strict: bool) -> Result<StoryFilter, ApiError> {
        Ok(StoryFilter {
            q: self.words()?,
            source: self.text("source"),
            from: self.day("from", strict)?,
            to: self.day("to", strict)?,
        })
    }

    pub fn story_query(&self, strict: bool) -> Result<StoryQuery, ApiError> {
        let sort = match self.get("sort") {
            None => Sort::Newest,
            Some(s) => Sort::parse(s).ok_or_else(|| ApiError::bad_request("sort must be newest or biggest"))?,
        };
        let cursor = match self.get("cursor") {
            None => None,
            Some(c) => Some(
                StoryCursor::parse(c).ok_or_else(|| ApiError::bad_request("cursor is not one this server gave out"))?,
            ),
        };
        Ok(StoryQuery { filter: self.filter(strict)?, sort, limit: self.limit()?, cursor })
    }

    /// `since`: an ISO 8601 date or date-time; an empty value is none.
    pub fn since(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
        match self.text("since") {
            None => Ok(None),
            Some(v) => chorus_report::since::parse(&v).map(Some).map_err(ApiError::bad_request),
        }
    }

    pub fn search_query(&self) -> Result<SearchQuery, ApiError> {
        let Some(q) = self.words()? else {
            return Err(ApiError::bad_request("q is required"));
        };
        let offset = match self.get("cursor") {
            None => 0,
            Some(c) => {
                query::parse_offset(c).ok_or_else(|| ApiError::bad_request("cursor is not one this server gave out"))?
            }
        };
        let f = self.filter(true)?;
        Ok(SearchQuery { q, source: f.source, from: f.from, to: f.to, limit: self.limit()?, offset })
    }
}
