//! The JSON API of PRODUCT.md.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chorus_model::Article;
use chorus_store::{SourceStore, Store, StoreError};
use serde_json::{Value, json};

use crate::AppState;
use crate::guard::authorize;
use crate::params::Params;

/// An error answer: a status and `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError { status, message: message.into() }
    }
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, m)
    }
    pub fn unauthorized(m: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, m)
    }
    pub fn not_found(m: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, m)
    }
    pub fn unprocessable(m: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, m)
    }
}

impl From<StoreError> for ApiError {
    /// A store failure is the server's, not the request's: 503 when the
    /// database is busy past its timeout (try again), 500 otherwise. Both
    /// are logged.
    fn from(e: StoreError) -> Self {
        eprintln!("chorus: store error: {e}");
        if e.is_busy() {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the store is busy; try again")
        } else {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the store failed")
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, axum::Json(json!({ "error": self.message }))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

type ApiResult = Result<Response, ApiError>;

fn json_response(status: StatusCode, v: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

/// Longest id looked up, in bytes: the longest a reader keeps
/// ([`chorus_model::MAX_ID_BYTES`]); a longer one names nothing stored.
/// Percent-encoded (3 bytes a byte), it still fits in
/// [`crate::guard::MAX_URI_BYTES`], so every stored article can be named in
/// a URL, and deleted.
pub const MAX_ID_BYTES: usize = chorus_model::MAX_ID_BYTES;

const _: () = assert!(3 * MAX_ID_BYTES + 64 < crate::guard::MAX_URI_BYTES);

/// The `{id}` of a path, percent-decoded. Every failure is the API's
/// JSON error rather than the framework's plain text: an id that is not
/// UTF-8 once decoded (`%ff`), or one too long to be any stored id.
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| {
            ApiError::bad_request("the id in the path is not text (invalid UTF-8 once percent-decoded)")
        })?;
        if id.len() > MAX_ID_BYTES {
            return Err(ApiError::new(StatusCode::URI_TOO_LONG, format!("ids are at most {MAX_ID_BYTES} bytes")));
        }
        Ok(Id(id))
    }
}

pub async fn list_stories<S: Store>(State(st): State<AppState<S>>, RawQuery(q): RawQuery) -> ApiResult {
    let query = Params::parse(q.as_deref()).story_query(true)?;
    let page = st.engine.store().stories(query).await?;
    Ok(json_response(StatusCode::OK, &json!({ "stories": page.items, "next": page.next })))
}

pub async fn get_story<S: Store>(State(st): State<AppState<S>>, Id(id): Id, RawQuery(q): RawQuery) -> ApiResult {
    let since = Params::parse(q.as_deref()).since()?;
    let Some(json) = st.engine.story_json(&id).await? else {
        return Err(ApiError::not_found(format!("no story {id}")));
    };
    let Some(since) = since else {
        return Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], json).into_response());
    };
    // Reading, marking and writing a story of thousands of articles is
    // CPU work: off the async threads.
    let marked = crate::cpu::run(move || {
        let mut story: chorus_model::Story =
            serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("story: {e}")))?;
        chorus_report::since::mark(&mut story, since);
        serde_json::to_string(&story).map_err(|e| StoreError::Task(e.to_string()))
    })
    .await
    .map_err(|e| ApiError::from(StoreError::Task(e)))??;
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], marked).into_response())
}

pub async fn search<S: Store>(State(st): State<AppState<S>>, RawQuery(q): RawQuery) -> ApiResult {
    let query = Params::parse(q.as_deref()).search_query()?;
    let page = st.engine.store().search(query).await?;
    Ok(json_response(StatusCode::OK, &json!({ "articles": page.items, "next": page.next })))
}

pub async fn list_sources<S: Store + SourceStore>(State(st): State<AppState<S>>) -> ApiResult {
    let sources = st.engine.store().sources().await?;
    Ok(json_response(StatusCode::OK, &json!({ "sources": sources })))
}

pub async fn healthz<S: Store>(State(st): State<AppState<S>>) -> ApiResult {
    let c = st.engine.store().counts().await?;
    Ok(json_response(StatusCode::OK, &json!({ "status": "ok", "articles": c.articles, "stories": c.stories })))
}

pub async fn openapi() -> Response {
    json_response(StatusCode::OK, &crate::openapi::spec())
}

pub async fn method_not_allowed() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed here").into_response()
}

pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") || uri.path().ends_with(".json") {
        ApiError::not_found(format!("no such endpoint: {}", uri.path())).into_response()
    } else {
        crate::pages::not_found_page()
    }
}

/// What a POST body is, by its `Content-Type`.
enum Kind {
    Json,
    Html,
    Plain,
}

fn content_kind(headers: &HeaderMap) -> Result<(Kind, Option<String>), ApiError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut parts = ct.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string());
    let kind = match essence.as_str() {
        "application/json" => Kind::Json,
        "text/html" => Kind::Html,
        "text/plain" => Kind::Plain,
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json, text/html or text/plain",
            ));
        }
    };
    Ok((kind, charset))
}

/// Fields of a posted JSON article that must be strings (or `null`) when
/// present.
const STRING_FIELDS: &[&str] = &["id", "url", "source", "title", "author", "published", "language"];

/// Checks a posted JSON article against the documented schema, so that what
/// the spec calls invalid is refused rather than read leniently.
fn check_json_article(obj: &serde_json::Map<String, Value>) -> Result<(), ApiError> {
    match obj.get("text") {
        Some(Value::String(t)) if has_word(t) => {}
        Some(Value::String(_)) => return Err(ApiError::bad_request("text has no letter or digit")),
        Some(_) => return Err(ApiError::bad_request("text must be a string")),
        None => return Err(ApiError::bad_request("text is required")),
    }
    for f in STRING_FIELDS {
        // `null` is an absent field: the shape `report --format json`
        // itself prints for an article without a URL.
        if let Some(v) = obj.get(*f)
            && !v.is_string()
            && !v.is_null()
        {
            return Err(ApiError::bad_request(format!("{f} must be a string or null")));
        }
    }
    if let Some(Value::String(id)) = obj.get("id")
        && id.trim().is_empty()
    {
        return Err(ApiError::bad_request("id, when given, must not be empty"));
    }
    Ok(())
}

/// Whether a text has a letter or digit (the spec's pattern `[^\W_]`): a
/// body without one cannot hold an article.
fn has_word(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// The answer to a body with nothing an article could be made of.
const NO_TEXT: &str = "no article text";

/// Reads a posted article from its body.
fn read_article(kind: Kind, charset: Option<&str>, body: &[u8], params: &Params) -> Result<Article, ApiError> {
    use chorus_ingest::formats::{html, jsonl, text};
    let article = match kind {
        Kind::Json => {
            let v: Value =
                serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))?;
            let Value::Object(obj) = v else {
                return Err(ApiError::bad_request("the body must be one JSON object (one article)"));
            };
            check_json_article(&obj)?;
            jsonl::article_from_object("api", &obj).map_err(|e| ApiError::unprocessable(e.to_string()))?
        }
        Kind::Html | Kind::Plain => {
            let declared = match kind {
                Kind::Html => charset.map(str::to_string).or_else(|| html::sniff_meta_charset(body)),
                _ => charset.map(str::to_string),
            };
            let decoded = chorus_ingest::decode::decode(body, declared.as_deref()).map_err(|e| match e {
                // Binary data is not the documented text body at all.
                chorus_ingest::IngestError::Binary(_) => ApiError::bad_request(e.to_string()),
                chorus_ingest::IngestError::Empty => ApiError::unprocessable(NO_TEXT),
                other => ApiError::unprocessable(other.to_string()),
            })?;
            if decoded.contains('\0') {
                return Err(ApiError::bad_request("the body holds a NUL character: not text"));
            }
            if !has_word(&decoded) {
                return Err(ApiError::bad_request("the body has no letter or digit"));
            }
            if matches!(kind, Kind::Html) && !decoded.contains('<') {
                return Err(ApiError::bad_request("a text/html body has markup; send plain text as text/plain"));
            }
            let url = params.text("url");
            let mut a = match kind {
                // Markup that is not a page (a fragment, a stray tag) still
                // carries its text. Markup with no text (`<p></p>`, a lone
                // script) is no article: its tags are never taken for text.
                Kind::Html => html::html_body_article("api", &decoded, url.as_deref()),
                _ => text::parse_text("api", &decoded),
            }
            .map_err(|e| match e {
                chorus_ingest::IngestError::NoText | chorus_ingest::IngestError::Empty => {
                    ApiError::unprocessable(NO_TEXT)
                }
                other => ApiError::unprocessable(other.to_string()),
            })?;
            if let Some(u) = url {
                a.url = Some(u);
            }
            if let Some(s) = params.text("source") {
                a.source = Some(s);
            }
            a.with_stable_id()
        }
    };
    let path = format!("api#{}", article.id);
    Ok(Article { path, ..article })
}

pub async fn post_article<S: Store>(
    State(st): State<AppState<S>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult {
    authorize(st.config.token.as_deref(), &headers)?;
    let (kind, charset) = content_kind(&headers)?;
    let bytes = read_body(body, &headers, st.config.max_body, &st.config.limits).await?;
    let params = Params::parse(q.as_deref());
    // Extraction is CPU work that grows with the page: off the async
    // threads, so other requests are answered meanwhile.
    let article = crate::cpu::run(move || read_article(kind, charset.as_deref(), &bytes, &params))
        .await
        .map_err(|e| ApiError::unprocessable(format!("the article could not be read: {e}")))??;
    let outcome = st.engine.ingest(vec![article]).await.map_err(|e| match e {
        StoreError::Task(m) => ApiError::unprocessable(format!("the article could not be processed: {m}")),
        other => other.into(),
    })?;
    let Some(added) = outcome.added.first() else {
        return Err(ApiError::unprocessable("nothing is left of the article once site furniture is removed"));
    };
    let status = if added.created {
        // Analysed in the background: the answer does not wait for a big
        // story's analysis, and a reader who asks for the story meanwhile
        // waits for that same analysis (one per story at a time) rather than
        // seeing a stale one.
        let (engine, story) = (st.engine.clone(), added.story.clone());
        tokio::spawn(async move {
            if let Err(e) = engine.refresh(&story).await {
                eprintln!("chorus: cannot analyse story {story}: {e}");
            }
        });
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(json_response(status, &json!({ "article": added.article, "story": added.story })))
}

pub async fn delete_article<S: Store>(
    State(st): State<AppState<S>>,
    headers: HeaderMap,
    id: Result<Id, ApiError>,
) -> ApiResult {
    authorize(st.config.token.as_deref(), &headers)?;
    let Id(id) = id?;
    match st.engine.remove(&id).await? {
        Some(r) => Ok(json_response(StatusCode::OK, &json!({ "article": r.article, "story": r.story }))),
        None => Err(ApiError::not_found(format!("no article {id}"))),
    }
}

/// Reads a request body whole, within bounds: at most `max` bytes (413),
/// all of it within `limits.body_timeout` and with no silence longer than
/// the header timeout (408: a client that announced more than it sends
/// does not hold the connection), and well-formed (400: broken chunked
/// encoding, a body cut short).
async fn read_body(body: Body, headers: &HeaderMap, max: usize, limits: &crate::Limits) -> Result<Bytes, ApiError> {
    use http_body_util::BodyExt;
    let too_large = || ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the body is over the {max}-byte limit"));
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let deadline = tokio::time::Instant::now() + limits.body_timeout;
    let silence = limits.header_timeout.min(limits.body_timeout).max(Duration::from_millis(1));
    let mut body = body;
    let mut out: Vec<u8> = Vec::new();
    loop {
        let wait = deadline.saturating_duration_since(tokio::time::Instant::now()).min(silence);
        let frame = match tokio::time::timeout(wait, body.frame()).await {
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    format!("the body did not arrive in time ({} bytes read)", out.len()),
                ));
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(ApiError::bad_request(format!(
                    "the body is malformed or was cut short: {}",
                    root_cause(&e)
                )));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > max {
                return Err(too_large());
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(out))
}

/// The innermost message of an error chain (hyper's body errors wrap the
/// one that says what was wrong).
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut e = e;
    while let Some(inner) = e.source() {
        e = inner;
    }
    e.to_string()
}
