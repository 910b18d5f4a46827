//! `chorus serve`: the HTTP API of PRODUCT.md and the web page, over a
//! [`chorus_store::Store`].
//!
//! Safety is the default: the binary binds to loopback unless told
//! otherwise, write endpoints can require a bearer token, bodies are size
//! limited, a per-client rate limit can be set, every piece of article text
//! is escaped, assets are served from memory (no path ever reaches the file
//! system), and every failure answers with a JSON `{"error": …}` and a 4xx
//! status: a request, however malformed, does not get a 5xx. A panic in a
//! handler is caught and answered, and the server goes on.

mod api;
mod cpu;
mod guard;
mod listen;
pub mod openapi;
mod pages;
mod params;

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use chorus_store::{Engine, SourceStore, Store};

pub use listen::{DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS, Limits};

/// Default request body limit. A saved news page is rarely over a few MiB;
/// 8 MiB admits such pages and bounds what one request makes the server
/// hold in memory.
pub const DEFAULT_MAX_BODY: usize = 8 * 1024 * 1024;

/// The error type of this crate: what can stop the server from starting or
/// running.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Config(String),
}

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// When set, POST and DELETE need `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// Requests per second allowed to one client address (with a burst of
    /// as many); `None`: no limit.
    pub rate_limit: Option<NonZeroU32>,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Connection cap and read timeouts.
    pub limits: Limits,
}

impl Default for Config {
    fn default() -> Self {
        Config { token: None, rate_limit: None, max_body: DEFAULT_MAX_BODY, limits: Limits::default() }
    }
}

impl Config {
    /// Refuses settings that cannot mean what they say: an empty token
    /// would turn authentication off without a word (an unset variable
    /// expanded to `--token ""`), and a token with blanks at its ends could
    /// never be matched, since the header's value is read trimmed.
    pub fn check(&self) -> Result<(), ServerError> {
        if let Some(t) = &self.token {
            if t.trim().is_empty() {
                return Err(ServerError::Config(
                    "the token is empty: give a real one, or no --token (and no CHORUS_TOKEN) to serve without".into(),
                ));
            }
            if t.trim() != t {
                return Err(ServerError::Config(
                    "the token starts or ends with a blank, so no request could match it".into(),
                ));
            }
            if !t.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                return Err(ServerError::Config(
                    "the token holds a character a header cannot carry: use printable ASCII".into(),
                ));
            }
        }
        if self.limits.max_connections == 0 {
            return Err(ServerError::Config("the connection cap must be at least 1".into()));
        }
        Ok(())
    }
}

/// What every handler sees.
pub struct AppState<S: Store> {
    pub engine: Arc<Engine<S>>,
    pub config: Arc<Config>,
    limiter: Option<Arc<guard::Limiter>>,
}

impl<S: Store> Clone for AppState<S> {
    fn clone(&self) -> Self {
        AppState { engine: self.engine.clone(), config: self.config.clone(), limiter: self.limiter.clone() }
    }
}

/// The whole application: API, pages, assets, and the layers around them.
pub fn router<S: Store + SourceStore>(engine: Arc<Engine<S>>, config: Config) -> Router {
    let limiter = config.rate_limit.map(|n| Arc::new(guard::limiter(n)));
    let state = AppState { engine, config: Arc::new(config), limiter: limiter.clone() };
    let api = Router::new()
        .route("/api/stories", get(api::list_stories::<S>))
        .route("/api/stories/{id}", get(api::get_story::<S>))
        .route("/api/search", get(api::search::<S>))
        .route("/api/sources", get(api::list_sources::<S>))
        .route("/api/articles", axum::routing::post(api::post_article::<S>))
        .route("/api/articles/{id}", axum::routing::delete(api::delete_article::<S>))
        .route("/healthz", get(api::healthz::<S>))
        .route("/openapi.json", get(api::openapi))
        .route("/", get(pages::index::<S>))
        .route("/stories/{id}", get(pages::story::<S>))
        .route("/sources", get(pages::sources::<S>))
        .route("/assets/chorus.css", get(pages::stylesheet))
        .method_not_allowed_fallback(api::method_not_allowed)
        .fallback(api::not_found)
        .with_state(state);
    api.layer(axum::middleware::from_fn(move |req, next| guard::rate_limit(limiter.clone(), req, next)))
        .layer(axum::middleware::from_fn(guard::catch_panic))
        .layer(axum::middleware::from_fn(guard::request_size))
        .layer(axum::middleware::from_fn(guard::headers))
}

/// Serves until `shutdown` resolves. Stale stories (from an ingest that was
/// stopped, say) are analysed in the background meanwhile. Connections are
/// accepted and bounded as `listen` says.
pub async fn serve<S: Store + SourceStore>(
    engine: Arc<Engine<S>>,
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    config.check()?;
    let warm = engine.clone();
    tokio::spawn(async move {
        if let Err(e) = warm.warm_up().await {
            eprintln!("chorus: cannot replay the store into the clusterer: {e}");
        }
        if let Err(e) = warm.refresh_stale().await {
            eprintln!("chorus: cannot analyse stale stories: {e}");
        }
    });
    let limits = config.limits;
    let app = router(engine, config);
    listen::run(listener, app, limits, shutdown).await?;
    Ok(())
}
