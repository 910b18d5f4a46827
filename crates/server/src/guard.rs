//! Layers around every request: the rate limit, the panic catcher and the
//! security headers; and the bearer-token check of write endpoints.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::api::ApiError;

pub type Limiter = DefaultKeyedRateLimiter<IpAddr>;

/// A limiter allowing `per_second` requests a second to each client
/// address, with bursts of as many.
pub fn limiter(per_second: NonZeroU32) -> Limiter {
    Limiter::keyed(Quota::per_second(per_second))
}

/// Client addresses tracked before idle ones are forgotten: bounds the
/// limiter's memory under a flood of distinct addresses.
const TRACKED_CLIENTS: usize = 10_000;

pub async fn rate_limit(limiter: Option<Arc<Limiter>>, req: Request, next: Next) -> Response {
    let Some(limiter) = limiter else {
        return next.run(req).await;
    };
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if limiter.len() > TRACKED_CLIENTS {
        limiter.retain_recent();
    }
    match limiter.check_key(&ip) {
        Ok(()) => next.run(req).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let mut resp = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too many requests; slow down").into_response();
            if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
    }
}

/// Runs the rest of the stack as its own task, so that a panic anywhere in
/// a handler becomes an answer instead of a dropped connection. The task is
/// aborted when the request is dropped (the client hung up), so its work
/// stops with it rather than running on for nobody.
pub async fn catch_panic(req: Request, next: Next) -> Response {
    let mut task = AbortOnDrop(tokio::spawn(next.run(req)));
    match (&mut task.0).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("chorus: a request handler failed: {e}");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A spawned task that is aborted when its handle is dropped unfinished.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Longest request target (path and query) read, in bytes: a search of
/// [`chorus_store::query::MAX_QUERY_CHARS`] characters percent-encoded
/// (up to 12 bytes each), or an id of `api::MAX_ID_BYTES`, fits; the
/// URLs people and browsers use stay far below it.
pub const MAX_URI_BYTES: usize = 16 * 1024;

/// Most request headers read: browsers send a dozen or two; 100 is
/// hyper's own default.
pub const MAX_HEADERS: usize = 100;

/// Most bytes of request headers read, names and values: real requests
/// carry a few KiB (cookies included); nginx's default buffers stop at
/// 32 KiB.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// Refuses, with the API's JSON errors, requests whose target or headers
/// are over the bounds above (414, 431). The HTTP parser's own limits lie
/// further out, so that these, not its bare answers, are what a client
/// meets.
pub async fn request_size(req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return ApiError::new(StatusCode::URI_TOO_LONG, format!("the request target is over {MAX_URI_BYTES} bytes"))
            .into_response();
    }
    let h = req.headers();
    if h.len() > MAX_HEADERS {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("the request has over {MAX_HEADERS} headers"),
        )
        .into_response();
    }
    let bytes: usize = h.iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    if bytes > MAX_HEADER_BYTES {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("the request headers are over {MAX_HEADER_BYTES} bytes"),
        )
        .into_response();
    }
    next.run(req).await
}

/// Headers every response carries. HTML pages get a content security
/// policy that allows nothing but their own stylesheet: no script, no frame,
/// no outside resource, so even text that escaped escaping could not run.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let is_html = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ),
        );
    }
    resp
}

/// Checks `Authorization: Bearer <token>` when a token is configured.
pub fn authorize(token: Option<&str>, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = token else {
        return Ok(());
    };
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer);
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::unauthorized("wrong token")),
        None => Err(ApiError::unauthorized("this endpoint needs `Authorization: Bearer <token>`")),
    }
}

/// The token of an `Authorization: Bearer TOKEN` value. Scheme names are
/// case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are `Bearer`.
fn bearer(value: &str) -> Option<&str> {
    let value = value.trim_start();
    let (scheme, rest) = value.split_once([' ', '\t'])?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

/// Compares without an early exit, so that the time taken does not tell how
/// much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, &x) in a.iter().enumerate() {
        diff |= usize::from(x ^ b.get(i % b.len().max(1)).copied().unwrap_or(0));
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_exactly() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
        let mut h = HeaderMap::new();
        assert!(authorize(None, &h).is_ok());
        assert!(authorize(Some("s3"), &h).is_err());
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer s3"));
        assert!(authorize(Some("s3"), &h).is_ok());
        for v in ["bearer s3", "BEARER s3", "BeArEr   s3 ", "Bearer\ts3"] {
            h.insert(header::AUTHORIZATION, HeaderValue::from_static(v));
            assert!(authorize(Some("s3"), &h).is_ok(), "{v}");
        }
        for v in ["Basic s3", "Bearers3", "Bearer", "Bearer s4"] {
            h.insert(header::AUTHORIZATION, HeaderValue::from_static(v));
            assert!(authorize(Some("s3"), &h).is_err(), "{v}");
        }
    }
}
