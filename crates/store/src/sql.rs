//! The statements both back-ends build alike: story lists (filters, sort
//! orders, cursors), search pages, and the consistency checks' verdicts.
//!
//! Each back-end used to build these on its own, and the copies drifted
//! (one dropped the repeat of an id in a batch, one lowered the source
//! filter and the other compared without case). Now the shape of every
//! statement, the order and meaning of its parameters and the reading of a
//! page's last row into the next cursor are written once, here; a back-end
//! supplies only what its SQL spells differently ([`Dialect`]): the
//! placeholder, the full-text match, the case-insensitive source match and
//! its search statement.

use crate::query::{self, Sort, StoryCursor};
use crate::{Hit, Page, SearchQuery, StoryQuery, StoryRow};

/// A parameter of a statement built here; each back-end binds it as its
/// driver wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Text(String),
    Int(i64),
}

/// A statement and its parameters, in placeholder order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<Param>,
    /// The page size asked for; the statement reads one row more, to know
    /// whether there is a next page.
    pub limit: usize,
}

/// What one back-end's SQL spells its own way.
pub trait Dialect {
    /// The placeholder of the `n`-th parameter (from 1).
    fn placeholder(n: usize) -> String;

    /// The condition that article `a` holds the words of the full-text query
    /// ([`query::fts_query`]) bound as parameter `n`.
    fn text_match(n: usize) -> String;

    /// The condition that article `a`'s outlet or host is parameter `n`,
    /// compared without case.
    fn source_match(n: usize) -> String;

    /// One page of search hits for the full-text query bound as parameter
    /// 1, with `extra` (`" AND …"` conditions on article `a`) and the
    /// limit and offset bound as parameters `limit` and `offset`. Columns:
    /// id, story, title, source, published, and the opening
    /// [`query::SNIPPET_SCAN_CHARS`] characters of the text; best first,
    /// then in arrival order.
    fn search(extra: &str, limit: usize, offset: usize) -> String;
}

/// The columns a story list reads, in this order: the row shown, then the
/// sort keys the next cursor is made of.
const STORY_COLUMNS: &str = "s.id, s.headline, s.article_count, s.source_count, s.independent_count, s.updated,
                s.updated_seq, s.first_seq";

/// The conditions (on articles `a`) for the filters, pushing their
/// parameters; `None` when a filter can match nothing (words with nothing
/// to search for). A NUL cannot be stored by every back-end, so it is
/// dropped from the source filter on all of them alike.
fn article_conditions<D: Dialect>(
    words: Option<&str>,
    source: Option<&str>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    params: &mut Vec<Param>,
) -> Option<Vec<String>> {
    let mut conds = Vec::new();
    if let Some(q) = words {
        params.push(Param::Text(query::fts_query(q)?));
        conds.push(D::text_match(params.len()));
    }
    if let Some(s) = source {
        params.push(Param::Text(s.replace('\0', "").trim().to_string()));
        conds.push(D::source_match(params.len()));
    }
    let (lo, hi) = query::day_bounds(from, to);
    if let Some(lo) = lo {
        params.push(Param::Text(lo));
        conds.push(format!("a.filed_at >= {}", D::placeholder(params.len())));
    }
    // A `to` on the last representable day has no next day: no bound.
    if let Some(hi) = hi {
        params.push(Param::Text(hi));
        conds.push(format!("a.filed_at < {}", D::placeholder(params.len())));
    }
    Some(conds)
}

/// The statement of one page of a story list; `None` when its filters can
/// match nothing. Rows are read with [`StoryRow`]'s fields first, then
/// `updated_seq` and `first_seq`, and made a page by [`story_page`].
pub fn story_list<D: Dialect>(q: &StoryQuery) -> Option<Statement> {
    let f = &q.filter;
    let mut params = Vec::new();
    let conds = article_conditions::<D>(f.q.as_deref(), f.source.as_deref(), f.from, f.to, &mut params)?;
    let mut wheres = Vec::new();
    if !conds.is_empty() {
        wheres.push(format!("EXISTS (SELECT 1 FROM articles a WHERE a.story = s.id AND {})", conds.join(" AND ")));
    }
    let order = match q.sort {
        Sort::Newest => "s.updated_seq DESC",
        Sort::Biggest => "s.independent_count DESC, s.article_count DESC, s.first_seq ASC",
    };
    if let Some(StoryCursor([a, b, c])) = q.cursor {
        match q.sort {
            Sort::Newest => {
                params.push(Param::Int(a));
                wheres.push(format!("s.updated_seq < {}", D::placeholder(params.len())));
            }
            Sort::Biggest => {
                let n = params.len();
                params.extend([Param::Int(a), Param::Int(b), Param::Int(c)]);
                let (i, j, k) = (D::placeholder(n + 1), D::placeholder(n + 2), D::placeholder(n + 3));
                wheres.push(format!(
                    "(s.independent_count < {i} OR (s.independent_count = {i} AND (s.article_count < {j}
                      OR (s.article_count = {j} AND s.first_seq > {k}))))"
                ));
            }
        }
    }
    let limit = q.limit.max(1);
    params.push(Param::Int(limit as i64 + 1));
    let sql = format!(
        "SELECT {STORY_COLUMNS} FROM stories s {} ORDER BY {order} LIMIT {}",
        if wheres.is_empty() { String::new() } else { format!("WHERE {}", wheres.join(" AND ")) },
        D::placeholder(params.len())
    );
    Some(Statement { sql, params, limit })
}

/// A page of a story list from its rows (each with its `updated_seq` and
/// `first_seq`), read by [`story_list`]'s statement: the next cursor is the
/// sort key of the last story shown, when there is more.
pub fn story_page(mut rows: Vec<(StoryRow, i64, i64)>, q: &StoryQuery) -> Page<StoryRow> {
    let limit = q.limit.max(1);
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|(s, updated_seq, first_seq)| {
            let key = match q.sort {
                Sort::Newest => [*updated_seq, 0, 0],
                Sort::Biggest => [s.independent_count as i64, s.article_count as i64, *first_seq],
            };
            StoryCursor(key).encode()
        })
    } else {
        None
    };
    Page { items: rows.into_iter().map(|(s, _, _)| s).collect(), next }
}

/// The statement of one page of search hits; `None` when the words hold
/// nothing to search for. Rows go to [`search_page`].
pub fn search<D: Dialect>(q: &SearchQuery) -> Option<Statement> {
    let terms = query::fts_query(&q.q)?;
    let mut params = vec![Param::Text(terms)];
    let conds = article_conditions::<D>(None, q.source.as_deref(), q.from, q.to, &mut params)?;
    let extra: String = conds.iter().map(|c| format!(" AND {c}")).collect();
    let limit = q.limit.max(1);
    params.push(Param::Int(limit as i64 + 1));
    params.push(Param::Int(q.offset.min(i64::MAX as u64) as i64));
    Some(Statement { sql: D::search(&extra, params.len() - 1, params.len()), params, limit })
}

/// A page of hits from the rows of [`search`]'s statement, whose snippet
/// field holds the opening of each text: the snippets are made here
/// ([`query::snippet`]), and the next cursor is the offset of the next
/// page. CPU work: an async caller runs it on a blocking thread.
pub fn search_page(mut items: Vec<Hit>, q: &SearchQuery) -> Page<Hit> {
    let limit = q.limit.max(1);
    let next = (items.len() > limit).then(|| {
        items.truncate(limit);
        (q.offset + limit as u64).to_string()
    });
    for h in &mut items {
        h.snippet = query::snippet(&h.snippet, &q.q);
    }
    Page { items, next }
}

/// What a consistency check reads of one story: its stored counts and
/// first `seq`, the same recomputed from its articles (articles, outlets,
/// independent articles, first `seq`), the article first in canonical
/// order, and whether its analysis is no newer than its membership.
pub struct StoryFacts<'a> {
    pub id: &'a str,
    pub stored: [i64; 4],
    pub actual: [i64; 4],
    pub first: Option<&'a str>,
    pub versions_ok: bool,
}

/// The invariants every back-end keeps for a story, and the words a
/// violation is reported in (the same whichever back-end finds it).
pub fn story_problems(f: StoryFacts<'_>, problems: &mut Vec<String>) {
    let StoryFacts { id, stored, actual, first, versions_ok } = f;
    if stored != actual {
        problems.push(format!(
            "story {id}: stored counts/first article {stored:?}, actual {actual:?} (articles, sources, independent, first seq)"
        ));
    }
    if first != Some(id) {
        problems.push(format!("story {id}: named after {first:?}, not its first article"));
    }
    if !versions_ok {
        problems.push(format!("story {id}: analysis newer than the story"));
    }
}

/// The check that every copy names an article that is stored.
pub const DANGLING_COPIES: &str = "SELECT count(*) FROM articles a WHERE a.duplicate_of IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.id = a.duplicate_of)";

/// The verdict of [`DANGLING_COPIES`].
pub fn dangling_problem(dangling: i64, problems: &mut Vec<String>) {
    if dangling > 0 {
        problems.push(format!("{dangling} articles are copies of an article that is not stored"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoryFilter;

    struct Numbered;
    impl Dialect for Numbered {
        fn placeholder(n: usize) -> String {
            format!("${n}")
        }
        fn text_match(n: usize) -> String {
            format!("match(${n})")
        }
        fn source_match(n: usize) -> String {
            format!("source(${n})")
        }
        fn search(extra: &str, limit: usize, offset: usize) -> String {
            format!("search{extra} LIMIT ${limit} OFFSET ${offset}")
        }
    }

    #[test]
    fn parameters_follow_their_placeholders() {
        let q = StoryQuery {
            filter: StoryFilter {
                q: Some("flood".into()),
                source: Some(" Valley\0 Post ".into()),
                from: query::parse_day("2024-05-01"),
                to: query::parse_day("2024-05-02"),
            },
            sort: Sort::Biggest,
            limit: 5,
            cursor: Some(StoryCursor([3, 4, 5])),
        };
        let st = story_list::<Numbered>(&q).unwrap();
        assert_eq!(st.params.len(), 8);
        assert_eq!(st.params[1], Param::Text("Valley Post".into()));
        assert_eq!(st.params[7], Param::Int(6), "one row more than the page");
        for n in 1..=8 {
            assert!(st.sql.contains(&format!("${n}")), "{n}: {}", st.sql);
        }
        assert!(
            story_list::<Numbered>(&StoryQuery {
                filter: StoryFilter { q: Some("!!!".into()), ..Default::default() },
                ..Default::default()
            })
            .is_none()
        );
        let s =
            search::<Numbered>(&SearchQuery { q: "flood".into(), limit: 2, offset: 4, ..Default::default() }).unwrap();
        assert_eq!(s.sql, "search LIMIT $2 OFFSET $3");
        assert_eq!(s.params, vec![Param::Text("\"flood\"".into()), Param::Int(3), Param::Int(4)]);
    }

    #[test]
    fn the_next_cursor_is_the_last_rows_sort_key() {
        let row = |id: &str, n: u64| StoryRow {
            id: id.into(),
            headline: String::new(),
            article_count: n,
            source_count: 1,
            independent_count: n,
            updated: String::new(),
        };
        let rows = vec![(row("a", 3), 9, 1), (row("b", 2), 8, 2), (row("c", 1), 7, 3)];
        let q = StoryQuery { sort: Sort::Biggest, limit: 2, ..Default::default() };
        let page = story_page(rows.clone(), &q);
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.next.as_deref(), Some("2.2.2"));
        let page = story_page(rows.clone(), &StoryQuery { limit: 2, ..Default::default() });
        assert_eq!(page.next.as_deref(), Some("8.0.0"));
        assert_eq!(story_page(rows, &StoryQuery { limit: 3, ..Default::default() }).next, None);
    }
}
