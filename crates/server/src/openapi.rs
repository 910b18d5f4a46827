//! `/openapi.json`: the spec of every API route, with every status each can
//! answer and the schema of every body. Kept next to the handlers and
//! checked against them by the integration tests (every response a test
//! sees must match the spec's schema for its status).

use chorus_store::query::{MAX_QUERY_CHARS, MAX_TERMS, OFFSET_PATTERN, StoryCursor};
use serde_json::{Value, json};

use crate::params::{DEFAULT_LIMIT, MAX_LIMIT};

/// "Has a letter or digit": a text body or field without one cannot hold
/// an article and is refused with 400.
const WORD: &str = "[^\\W_]";

/// A text body: a letter or digit, and no NUL (which marks binary data).
const TEXT_BODY: &str = "^[^\\x00]*[^\\W_][^\\x00]*$";

/// An HTML body: markup (a `<`) and a letter or digit, in either order, and
/// no NUL.
const HTML_BODY: &str = "^[^\\x00]*(<[^\\x00]*[^\\W_]|[^\\W_][^\\x00]*<)[^\\x00]*$";

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn ok_response(description: &str, schema: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}
    })
}

/// Statuses any route can answer besides its own.
fn common(mut responses: Value) -> Value {
    let r = responses.as_object_mut().expect("object");
    r.insert("414".into(), error_response("The request target (path and query) is over 16 KiB"));
    r.insert("431".into(), error_response("Over 100 request headers, or over 32 KiB of them"));
    r.insert("429".into(), error_response("Too many requests from this client (only when a rate limit is set)"));
    r.insert("500".into(), error_response("The store failed (a server fault, never caused by the request)"));
    r.insert("503".into(), error_response("The store is busy with another writer; try again"));
    responses
}

fn limit_param() -> Value {
    json!({"name": "limit", "in": "query", "required": false, "description": "Page size",
           "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}})
}

fn filter_params() -> Vec<Value> {
    vec![
        json!({"name": "source", "in": "query", "required": false,
               "description": "Outlet (source name or URL host, case-insensitive)", "schema": {"type": "string"}}),
        json!({"name": "from", "in": "query", "required": false,
               "description": "Published on or after this day (UTC); undated articles count by when they were added",
               "schema": {"type": "string", "format": "date"}}),
        json!({"name": "to", "in": "query", "required": false,
               "description": "Published on or before this day (UTC); undated articles count by when they were added",
               "schema": {"type": "string", "format": "date"}}),
    ]
}

fn nullable_string() -> Value {
    json!({"type": "string", "nullable": true})
}

/// A time in a story: ISO 8601 as precise as its source (an instant, a day,
/// or an interval of days), or null when unknown.
fn time() -> Value {
    json!({"type": "string", "nullable": true,
           "description": "ISO 8601: an instant, a day, or an interval of days (2024-03-05/2024-03-11)"})
}

fn ids() -> Value {
    json!({"type": "array", "items": {"type": "string"}})
}

/// A fact's first report (issue 14's additions are built apart: the
/// `json!` macro's recursion has a limit).
fn first_reported_schema() -> Value {
    json!({"type": "object", "nullable": true, "required": ["time", "articles"],
           "description": "When the fact was first reported and by which articles",
           "properties": {"time": time(), "articles": ids()}})
}

fn updates_schema() -> Value {
    let value = json!({
        "type": "object", "required": ["value", "text", "time", "articles"],
        "properties": {
            "value": {"type": "string"}, "text": {"type": "string"}, "time": time(), "articles": ids(),
            "stale": {"type": "array", "items": {"type": "string"},
                      "description": "Articles that repeated this value after a later one was reported"}}});
    json!({"type": "array",
           "description": "Values of one fact that changed between reports made at clearly different times, in time order; not conflicts",
           "items": {
               "type": "object", "required": ["kind", "subject", "values"],
               "properties": {
                   "kind": {"type": "string", "enum": ["number", "title", "role", "date", "other"]},
                   "subject": {"type": "string"},
                   "fact": nullable_string(),
                   "values": {"type": "array", "items": value}}}})
}

fn timeline_schema() -> Value {
    json!({"type": "array",
           "description": "The story's events in the order reported, each with the articles that first reported it",
           "items": {
               "type": "object", "required": ["time", "text", "articles"],
               "properties": {"time": time(), "text": {"type": "string"}, "articles": ids(), "fact": nullable_string()}}})
}

fn since_schema() -> Value {
    json!({"type": "object", "nullable": true,
           "description": "With ?since=TIME: what is new or changed since then",
           "required": ["time", "articles", "facts", "changed"],
           "properties": {
               "time": {"type": "string"},
               "articles": {"type": "array", "items": {"type": "string"}, "description": "Articles published after it"},
               "facts": {"type": "array", "items": {"type": "string"}, "description": "Facts first reported after it"},
               "changed": {"type": "array", "items": {"type": "string"},
                           "description": "Facts reported before it whose value changed after it"}}})
}

fn schemas() -> Value {
    json!({
        "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "string"}}
        },
        "StorySummary": {
            "type": "object",
            "required": ["id", "headline", "article_count", "source_count", "independent_count", "updated"],
            "properties": {
                "id": {"type": "string"},
                "headline": {"type": "string"},
                "article_count": {"type": "integer", "minimum": 1},
                "source_count": {"type": "integer", "minimum": 1,
                                 "description": "Distinct outlets; an article with no source and no URL counts as its own"},
                "independent_count": {"type": "integer", "minimum": 0,
                                      "description": "Articles that are neither copies nor syndicated rewrites"},
                "updated": {"type": "string", "format": "date-time",
                            "description": "When the story last gained an article"}
            }
        },
        "StoryList": {
            "type": "object", "required": ["stories", "next"],
            "properties": {
                "stories": {"type": "array", "items": {"$ref": "#/components/schemas/StorySummary"}},
                "next": {"type": "string", "nullable": true, "pattern": StoryCursor::PATTERN,
                         "description": "Cursor of the next page; null on the last"}
            }
        },
        "ArticleEntry": {
            "type": "object",
            "required": ["id", "path", "url", "source", "title", "author", "published", "language", "duplicate_of", "derived_from"],
            "properties": {
                "id": {"type": "string"}, "path": {"type": "string"},
                "url": nullable_string(), "source": nullable_string(), "title": nullable_string(),
                "author": nullable_string(), "published": nullable_string(), "language": nullable_string(),
                "duplicate_of": nullable_string(), "derived_from": ids(),
                "copies": {"type": "integer", "minimum": 0}
            }
        },
        "Story": {
            "type": "object",
            "description": "One story, exactly as an element of `stories` in `chorus report --format json`",
            "required": ["id", "headline", "articles", "summary", "facts", "quotes", "entities", "numbers", "conflicts", "framing"],
            "properties": {
                "id": {"type": "string"},
                "headline": {"type": "string"},
                "articles": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleEntry"}},
                "source_count": {"type": "integer", "minimum": 0},
                "independent_count": {"type": "integer", "minimum": 0},
                "summary": {"type": "array", "items": {
                    "type": "object", "required": ["text", "articles"],
                    "properties": {"text": {"type": "string"}, "articles": ids()}}},
                "facts": {"type": "array", "items": {
                    "type": "object", "required": ["id", "text", "articles", "mentions"],
                    "properties": {
                        "id": {"type": "string"}, "text": {"type": "string"}, "articles": ids(),
                        "mentions": {"type": "array", "items": {
                            "type": "object", "required": ["article", "text"],
                            "properties": {"article": {"type": "string"}, "text": {"type": "string"}}}},
                        "first_reported": first_reported_schema()}}},
                "quotes": {"type": "array", "items": {
                    "type": "object", "required": ["speaker", "variants"],
                    "properties": {
                        "speaker": nullable_string(),
                        "variants": {"type": "array", "items": {
                            "type": "object", "required": ["article", "text", "cue", "speaker_from"],
                            "properties": {"article": {"type": "string"}, "text": {"type": "string"}, "cue": nullable_string(),
                                "speaker_from": nullable_string()}}}}}},
                "entities": {"type": "array", "items": {
                    "type": "object", "required": ["name", "kind", "aliases", "articles"],
                    "properties": {
                        "name": {"type": "string"},
                        "kind": {"type": "string", "enum": ["person", "organization", "place", "other"]},
                        "aliases": ids(), "articles": ids()}}},
                "numbers": {"type": "array", "items": {
                    "type": "object", "required": ["value", "unit", "text", "articles"],
                    "properties": {"value": {"type": "number"}, "unit": {"type": "string"},
                                   "text": {"type": "string"}, "articles": ids()}}},
                "conflicts": {"type": "array", "items": {
                    "type": "object", "required": ["kind", "subject", "positions"],
                    "properties": {
                        "kind": {"type": "string", "enum": ["number", "title", "role", "attribution", "date", "quote", "other"]},
                        "subject": {"type": "string"},
                        "positions": {"type": "array", "items": {
                            "type": "object", "required": ["value", "articles"],
                            "properties": {"value": {"type": "string"}, "articles": ids()}}}}}},
                "framing": {"type": "array", "items": {
                    "type": "object", "required": ["article", "terms"],
                    "properties": {"article": {"type": "string"}, "terms": ids()}}},
                "notes": ids(),
                "updates": updates_schema(),
                "timeline": timeline_schema(),
                "since": since_schema()
            }
        },
        "Hit": {
            "type": "object", "required": ["id", "story", "title", "source", "published", "snippet"],
            "properties": {
                "id": {"type": "string"}, "story": {"type": "string"},
                "title": nullable_string(), "source": nullable_string(), "published": nullable_string(),
                "snippet": {"type": "string", "description": "Plain text around the matched words"}
            }
        },
        "SearchResult": {
            "type": "object", "required": ["articles", "next"],
            "properties": {
                "articles": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                "next": {"type": "string", "nullable": true, "pattern": OFFSET_PATTERN}
            }
        },
        "ArticleInput": {
            "type": "object", "required": ["text"],
            "description": "One article with the JSON Lines fields. Other JSON Lines field names (content, body, maintext, headline, link, domain, date, authors, …) are read too, as `chorus ingest` reads JSON Lines.",
            "properties": {
                "text": {"type": "string", "pattern": WORD, "description": "The article's text; plain, or HTML markup"},
                "title": {"type": "string"}, "url": {"type": "string"}, "source": {"type": "string"},
                "author": {"type": "string"}, "published": {"type": "string"}, "language": {"type": "string"},
                "id": {"type": "string", "minLength": 1, "pattern": "\\S",
                       "description": "Keep this id instead of deriving one from the URL or content"}
            }
        },
        "Stored": {
            "type": "object", "required": ["article", "story"],
            "properties": {"article": {"type": "string"}, "story": {"type": "string"}}
        },
        "Removed": {
            "type": "object", "required": ["article", "story"],
            "properties": {
                "article": {"type": "string"},
                "story": {"type": "string", "nullable": true,
                          "description": "The story it was in, under its id after the removal; null when it had no other article"}
            }
        },
        "Source": {
            "type": "object",
            "description": "A followed source (`chorus follow`) and its status. Instants are UTC, `YYYY-MM-DDTHH:MM:SSZ`.",
            "required": ["url", "title", "feed", "kind", "added", "last_poll", "last_success", "last_error",
                         "next_poll", "interval_secs", "failures", "polls", "unchanged", "items", "articles", "errors"],
            "properties": {
                "url": {"type": "string", "description": "The source as given: a feed's or a site's URL"},
                "title": nullable_string(),
                "feed": {"type": "string", "nullable": true, "description": "What is polled (the feed found for a site); null until first looked at"},
                "kind": {"type": "string", "nullable": true, "enum": ["feed", "sitemap", null]},
                "etag": nullable_string(), "last_modified": nullable_string(),
                "added": {"type": "string"},
                "last_poll": nullable_string(), "last_success": nullable_string(),
                "last_error": {"type": "string", "nullable": true, "description": "What went wrong on the last poll; null when it worked"},
                "next_poll": nullable_string(),
                "interval_secs": {"type": "integer", "minimum": 0, "description": "Current polling interval, adapted to how often the source changes"},
                "failures": {"type": "integer", "minimum": 0, "description": "Failed polls in a row"},
                "polls": {"type": "integer", "minimum": 0},
                "unchanged": {"type": "integer", "minimum": 0, "description": "Polls answered 304 Not Modified"},
                "items": {"type": "integer", "minimum": 0, "description": "Items read"},
                "articles": {"type": "integer", "minimum": 0, "description": "Articles it added to the store"},
                "errors": {"type": "integer", "minimum": 0, "description": "Failed polls and unreadable items"}
            }
        },
        "SourceList": {
            "type": "object", "required": ["sources"],
            "properties": {"sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}}}
        },
        "Health": {
            "type": "object", "required": ["status", "articles", "stories"],
            "properties": {"status": {"type": "string", "enum": ["ok"]},
                           "articles": {"type": "integer", "minimum": 0}, "stories": {"type": "integer", "minimum": 0}}
        }
    })
}

/// The OpenAPI 3.0 document.
pub fn spec() -> Value {
    let mut story_params = vec![
        json!({"name": "q", "in": "query", "required": false,
               "description": format!("Words an article of the story contains (repeats count once; at most {MAX_TERMS} different words)"),
               "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS}}),
        json!({"name": "sort", "in": "query", "required": false,
               "schema": {"type": "string", "enum": ["newest", "biggest"], "default": "newest"},
               "description": "newest: last updated first; biggest: most independent articles first"}),
        limit_param(),
        json!({"name": "cursor", "in": "query", "required": false, "description": "`next` of the previous page",
               "schema": {"type": "string", "pattern": StoryCursor::PATTERN}}),
    ];
    story_params.extend(filter_params());
    let mut search_params = vec![
        json!({"name": "q", "in": "query", "required": true,
               "description": format!("Words to find (all of them; \"quoted phrases\" kept together; repeats count once; at most {MAX_TERMS} different words; Han, kana and Hangul are found inside longer runs)"),
               "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS}}),
        limit_param(),
        json!({"name": "cursor", "in": "query", "required": false, "description": "`next` of the previous page",
               "schema": {"type": "string", "pattern": OFFSET_PATTERN}}),
    ];
    search_params.extend(filter_params());
    let id_param = |what: &str| {
        json!({"name": "id", "in": "path", "required": true, "description": format!("The {what}'s id"),
               "schema": {"type": "string", "maxLength": crate::api::MAX_ID_BYTES}})
    };
    let bearer = json!([{"bearer": []}, {}]);
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "chorus",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Many outlets, one story: stories assembled from news articles, with what every source says, what only one says and where they disagree."
        },
        "paths": {
            "/api/stories": {"get": {
                "operationId": "listStories",
                "summary": "Stories, one page at a time",
                "parameters": story_params,
                "responses": common(json!({
                    "200": ok_response("A page of stories", "StoryList"),
                    "400": error_response("A parameter is malformed")
                }))
            }},
            "/api/stories/{id}": {"get": {
                "operationId": "getStory",
                "summary": "One story with its whole analysis",
                "parameters": [id_param("story"),
                    {"name": "since", "in": "query", "required": false,
                     "schema": {"type": "string"},
                     "description": "An ISO 8601 date or date-time: the story's `since` then marks the articles, facts and changes reported after it"}],
                "responses": common(json!({
                    "200": ok_response("The story", "Story"),
                    "400": error_response("since is not an ISO 8601 date or date-time, or the id is not UTF-8 once percent-decoded"),
                    "404": error_response("No such story")
                }))
            }},
            "/api/search": {"get": {
                "operationId": "search",
                "summary": "Full-text search over articles, best match first",
                "parameters": search_params,
                "responses": common(json!({
                    "200": ok_response("A page of matching articles", "SearchResult"),
                    "400": error_response("A parameter is missing or malformed")
                }))
            }},
            "/api/articles": {"post": {
                "operationId": "addArticle",
                "summary": "Add one article; it joins a story or opens one",
                "security": bearer,
                "parameters": [
                    {"name": "url", "in": "query", "required": false, "schema": {"type": "string"},
                     "description": "For text/html and text/plain bodies: the article's address"},
                    {"name": "source", "in": "query", "required": false, "schema": {"type": "string"},
                     "description": "For text/html and text/plain bodies: the outlet"}
                ],
                "requestBody": {
                    "required": true,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ArticleInput"}},
                        "text/html": {"schema": {"type": "string", "pattern": HTML_BODY}},
                        "text/plain": {"schema": {"type": "string", "pattern": TEXT_BODY}}
                    }
                },
                "responses": common(json!({
                    "201": ok_response("Stored; the ids of the article and its story", "Stored"),
                    "200": ok_response("Already stored; the existing ids", "Stored"),
                    "400": error_response("The body is not a valid article (malformed JSON, a field of the wrong type, a text without a letter or digit), or is malformed on the wire (broken chunked encoding, cut short)"),
                    "401": error_response("A token is required and was missing or wrong"),
                    "408": error_response("The body did not arrive in time (a silence longer than the header timeout, or longer than the body timeout in all)"),
                    "413": error_response("The body is over the size limit"),
                    "415": error_response("Content-Type is not application/json, text/html or text/plain"),
                    "422": error_response("Well-formed, but no article text could be read from it")
                }))
            }},
            "/api/articles/{id}": {"delete": {
                "operationId": "removeArticle",
                "summary": "Remove one article and re-analyse its story",
                "security": bearer,
                "parameters": [id_param("article")],
                "responses": common(json!({
                    "200": ok_response("Removed", "Removed"),
                    "400": error_response("The id is not UTF-8 once percent-decoded"),
                    "401": error_response("A token is required and was missing or wrong"),
                    "404": error_response("No such article")
                }))
            }},
            "/api/sources": {"get": {
                "operationId": "listSources",
                "summary": "The followed sources with their status, in the order they were added",
                "responses": common(json!({"200": ok_response("Every followed source", "SourceList")}))
            }},
            "/healthz": {"get": {
                "operationId": "health",
                "summary": "Liveness, with the store's size",
                "responses": common(json!({"200": ok_response("Serving", "Health")}))
            }},
            "/openapi.json": {"get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": common(json!({"200": {"description": "The OpenAPI document",
                                                    "content": {"application/json": {"schema": {"type": "object"}}}}}))
            }}
        },
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Needed by write endpoints only when the server was started with a token"}}
        }
    })
}
