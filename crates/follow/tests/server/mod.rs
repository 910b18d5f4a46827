//! A local HTTP server for the follower's tests (no internet here): serves
//! what each test sets per path, with the behaviours of real servers
//! (validators and 304s, 429 with Retry-After, redirects, slow and huge
//! answers, gzip and brotli), and records every request it gets and the
//! most requests it had in flight at once.
//!
//! Shared by the crate's tests and the binary's (`#[path]`-included).

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// How a path answers.
#[derive(Clone, Debug)]
pub enum Reply {
    /// 200 with a body; answers 304 to a matching If-None-Match or an
    /// unchanged If-Modified-Since.
    Ok { body: Vec<u8>, content_type: String, etag: Option<String>, last_modified: Option<String>, encoding: Enc },
    /// A bare status with headers.
    Status(u16, Vec<(String, String)>),
    /// A redirect to a path or URL.
    Redirect(u16, String),
    /// Answers after a delay.
    Slow(Duration, Box<Reply>),
    /// A body of this many bytes, streamed without a Content-Length.
    Huge(u64),
    /// One reply per request, the last repeated.
    Seq(Vec<Reply>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Identity,
    Gzip,
    Brotli,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Ok {
            body: body.into(),
            content_type: content_type.into(),
            etag: None,
            last_modified: None,
            encoding: Enc::Identity,
        }
    }

    /// A feed with an ETag and a Last-Modified.
    pub fn feed(body: &str, etag: &str) -> Reply {
        Reply::Ok {
            body: body.as_bytes().to_vec(),
            content_type: "application/rss+xml; charset=utf-8".into(),
            etag: Some(format!("\"{etag}\"")),
            last_modified: Some("Tue, 01 Jul 2025 10:00:00 GMT".into()),
            encoding: Enc::Identity,
        }
    }

    pub fn html(body: &str) -> Reply {
        Reply::ok("text/html; charset=utf-8", body)
    }

    pub fn encoded(self, enc: Enc) -> Reply {
        match self {
            Reply::Ok { body, content_type, etag, last_modified, .. } => {
                Reply::Ok { body, content_type, etag, last_modified, encoding: enc }
            }
            other => other,
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: HeaderMap,
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    }
}

#[derive(Default)]
struct Shared {
    routes: Mutex<HashMap<String, Reply>>,
    counts: Mutex<HashMap<String, usize>>,
    seen: Mutex<Vec<Seen>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    huge_sent: AtomicU64,
}

/// The running server.
pub struct TestServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    _runtime: Option<tokio::runtime::Runtime>,
}

impl TestServer {
    /// Starts on a free port, on a runtime of its own (so that tests of a
    /// binary, which have none, can use it too).
    pub fn start() -> TestServer {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let shared = Arc::new(Shared::default());
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new().fallback(handle).with_state(shared.clone());
        rt.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestServer { addr, shared, _runtime: Some(rt) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.shared.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// Requests to `path` so far.
    pub fn hits(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path == path).collect()
    }

    pub fn forget(&self) {
        self.shared.seen.lock().unwrap().clear();
    }

    /// The most requests it had in flight at once.
    pub fn peak(&self) -> usize {
        self.shared.peak.load(Ordering::SeqCst)
    }

    /// Bytes of `Huge` bodies actually sent.
    pub fn huge_sent(&self) -> u64 {
        self.shared.huge_sent.load(Ordering::SeqCst)
    }
}

struct Flight(Arc<Shared>);

impl Drop for Flight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.peak.fetch_max(now, Ordering::SeqCst);
    let flight = Flight(shared.clone());
    shared.seen.lock().unwrap().push(Seen { path: path.clone(), headers: req.headers().clone(), at: Instant::now() });
    let n = {
        let mut counts = shared.counts.lock().unwrap();
        let c = counts.entry(path.clone()).or_default();
        *c += 1;
        *c - 1
    };
    let reply = shared.routes.lock().unwrap().get(&path).cloned();
    let Some(reply) = reply else {
        drop(flight);
        return StatusCode::NOT_FOUND.into_response();
    };
    let resp = answer(&shared, reply, n, req.headers()).await;
    drop(flight);
    resp
}

fn answer<'a>(
    shared: &'a Arc<Shared>,
    reply: Reply,
    n: usize,
    req: &'a HeaderMap,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send + 'a>> {
    Box::pin(async move {
        match reply {
            Reply::Seq(list) => {
                let r = list.get(n).or(list.last()).cloned().unwrap_or(Reply::Status(404, vec![]));
                answer(shared, r, 0, req).await
            }
            Reply::Slow(d, inner) => {
                tokio::time::sleep(d).await;
                answer(shared, *inner, n, req).await
            }
            Reply::Status(code, headers) => {
                let mut r = StatusCode::from_u16(code).unwrap().into_response();
                for (k, v) in headers {
                    r.headers_mut().insert(
                        header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                        HeaderValue::from_str(&v).unwrap(),
                    );
                }
                r
            }
            Reply::Redirect(code, to) => {
                let mut r = StatusCode::from_u16(code).unwrap().into_response();
                r.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&to).unwrap());
                r
            }
            Reply::Huge(total) => {
                let sent = shared.clone();
                let chunk = vec![b'a'; 64 * 1024];
                let chunks = total.div_ceil(chunk.len() as u64);
                let stream = futures_util::stream::iter(0..chunks).map(move |_| {
                    sent.huge_sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
                    Ok::<_, std::io::Error>(axum::body::Bytes::from(chunk.clone()))
                });
                let mut r = Response::new(Body::from_stream(stream));
                r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
                r
            }
            Reply::Ok { body, content_type, etag, last_modified, encoding } => {
                let header = |name: header::HeaderName| req.get(name).and_then(|v| v.to_str().ok());
                let fresh = match (&etag, header(header::IF_NONE_MATCH)) {
                    (Some(e), Some(inm)) => inm.split(',').any(|t| t.trim() == e),
                    _ => {
                        matches!((&last_modified, header(header::IF_MODIFIED_SINCE)), (Some(l), Some(ims)) if l == ims)
                    }
                };
                let mut r = if fresh {
                    StatusCode::NOT_MODIFIED.into_response()
                } else {
                    let accepts = |what: &str| header(header::ACCEPT_ENCODING).is_some_and(|a| a.contains(what));
                    let (bytes, ce) = match encoding {
                        Enc::Gzip if accepts("gzip") => {
                            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                            e.write_all(&body).unwrap();
                            (e.finish().unwrap(), Some("gzip"))
                        }
                        Enc::Brotli if accepts("br") => {
                            let mut out = Vec::new();
                            {
                                let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                                w.write_all(&body).unwrap();
                            }
                            (out, Some("br"))
                        }
                        _ => (body, None),
                    };
                    let mut r = Response::new(Body::from(bytes));
                    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).unwrap());
                    if let Some(ce) = ce {
                        r.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(ce));
                    }
                    r
                };
                if let Some(e) = etag {
                    r.headers_mut().insert(header::ETAG, HeaderValue::from_str(&e).unwrap());
                }
                if let Some(l) = last_modified {
                    r.headers_mut().insert(header::LAST_MODIFIED, HeaderValue::from_str(&l).unwrap());
                }
                r
            }
        }
    })
}

use futures_util::StreamExt as _;

/// An RSS 2.0 feed of `items`: (slug, title, description, full content).
pub fn rss(base: &str, title: &str, items: &[(&str, &str, &str, Option<&str>)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
<channel><title>{title}</title><link>{base}/</link><description>news</description>\n"
    );
    for (slug, t, desc, full) in items {
        s.push_str(&format!(
            "<item><title>{t}</title><link>{base}/{slug}</link><guid>{base}/{slug}</guid>\
<pubDate>Tue, 01 Jul 2025 08:00:00 GMT</pubDate><description>{desc}</description>"
        ));
        if let Some(f) = full {
            s.push_str(&format!("<content:encoded><![CDATA[{f}]]></content:encoded>"));
        }
        s.push_str("</item>\n");
    }
    s.push_str("</channel></rss>\n");
    s
}

/// A news page with a headline and paragraphs.
pub fn page(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
<meta property=\"og:site_name\" content=\"Test Courier\"></head><body><nav><a href=\"/\">Home</a></nav>\
<article><h1>{title}</h1>{body}</article><footer>Copyright Test Courier</footer></body></html>"
    )
}

/// A paragraph of invented news about `subject`, long enough to be an
/// article's body.
pub fn story(subject: &str, n: usize) -> Vec<String> {
    vec![
        format!(
            "{subject}: the council of Lowmoor voted on Tuesday to rebuild the harbour wall number {n}, at a cost of 4.{n} million pounds, the mayor said."
        ),
        format!(
            "Work on {subject} starts in March and should take two years, according to the harbour authority, which said storms had breached the wall twice last winter."
        ),
        format!(
            "Residents of the harbour district welcomed the vote on {subject}, though some asked why the repairs had taken so long to approve."
        ),
    ]
}
