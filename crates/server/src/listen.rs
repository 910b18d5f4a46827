//! The accept loop: one HTTP/1.1 connection per task, with the bounds that
//! keep a slow or idle client from holding the server.
//!
//! - A request head (request line and headers) must arrive within
//!   [`Limits::header_timeout`] of the connection being ready for it; the
//!   same clock bounds an idle kept-alive connection. Past it, hyper closes
//!   the connection.
//! - At most [`Limits::max_connections`] connections are open at once. A
//!   new connection past the cap displaces the open connection that has
//!   gone longest without a request in progress (one still sending its
//!   head, or idle between requests): a client that sends its request at
//!   once is served even while slow clients fill every slot. Only when
//!   every open connection is in the middle of a request does the next one
//!   wait (in the kernel's queue) for a slot.
//! - Bodies are read by the one handler that reads them (`POST
//!   /api/articles`) under their own timeouts (see `api::read_body`).
//!
//! `axum::serve` has none of these: it sets no timer, so hyper's header
//! timeout never runs, and it accepts without limit.
//!
//! A request the HTTP parser cannot read at all (not HTTP, a malformed
//! header, a target or head past the parser's own limits) never reaches
//! the application; hyper answers it with a bare status and closes.
//! [`JsonParseErrors`] turns that answer into the API's `{"error": …}`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tower::Service;

/// Default [`Limits::max_connections`]: below the common soft limit of
/// 1,024 open files per process, leaving room for the store's files and
/// pool, the follower's outgoing connections and the accept backlog.
pub const DEFAULT_MAX_CONNECTIONS: usize = 768;

/// Default [`Limits::header_timeout`]. A client sends its request head in
/// one packet, within milliseconds; ten seconds covers a congested mobile
/// link, and bounds how long a connection that says nothing holds a slot.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Default [`Limits::body_timeout`]: a whole request body must arrive
/// within a minute, an 8 MiB page at about 1 Mbit/s.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// How long open connections are given to finish their requests once the
/// server is told to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Headers hyper parses before giving up with its own bare 431. Above
/// `guard::MAX_HEADERS`, so that a request with too many headers still
/// reaches the server's own check and gets its JSON answer.
const PARSER_MAX_HEADERS: usize = 1_000;

/// Connection bounds (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    /// The time a request body may take to arrive, whole; also the longest
    /// silence while it arrives, when shorter than `header_timeout`.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
        }
    }
}

/// The open connections, for choosing one to displace.
#[derive(Default)]
struct Registry {
    conns: Mutex<HashMap<u64, Entry>>,
}

struct Entry {
    /// Requests in progress (handler running).
    busy: usize,
    /// Since when the connection has had no request in progress.
    idle_since: Instant,
    evict: Arc<Notify>,
    evicted: bool,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Entry>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Tells the connection longest without a request in progress to close.
    /// Returns whether there was one.
    fn displace_one(&self) -> bool {
        let mut conns = self.lock();
        let victim = conns
            .iter_mut()
            .filter(|(_, e)| e.busy == 0 && !e.evicted)
            .min_by_key(|(id, e)| (e.idle_since, **id))
            .map(|(_, e)| e);
        match victim {
            Some(e) => {
                e.evicted = true;
                e.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// One connection's place in the registry; leaves it when dropped.
struct Slot {
    id: u64,
    registry: Arc<Registry>,
    evict: Arc<Notify>,
}

impl Slot {
    fn new(id: u64, registry: Arc<Registry>) -> Slot {
        let evict = Arc::new(Notify::new());
        registry.lock().insert(id, Entry { busy: 0, idle_since: Instant::now(), evict: evict.clone(), evicted: false });
        Slot { id, registry, evict }
    }

    fn begin(self: &Arc<Self>) -> Busy {
        if let Some(e) = self.registry.lock().get_mut(&self.id) {
            e.busy += 1;
        }
        Busy(self.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
    }
}

/// A request in progress on a connection.
struct Busy(Arc<Slot>);

impl Drop for Busy {
    fn drop(&mut self) {
        if let Some(e) = self.0.registry.lock().get_mut(&self.0.id) {
            e.busy = e.busy.saturating_sub(1);
            if e.busy == 0 {
                e.idle_since = Instant::now();
            }
        }
    }
}

/// Accepts and serves connections until `shutdown` resolves, then lets
/// open requests finish (for up to [`SHUTDOWN_GRACE`]).
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let slots = Arc::new(Semaphore::new(max));
    let registry = Arc::new(Registry::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).max_headers(PARSER_MAX_HEADERS);
    let http = Arc::new(http);
    tokio::pin!(shutdown);
    let mut next_id: u64 = 0;
    loop {
        let (stream, addr) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a moment rather than spin.
                    if !is_per_connection(&e) {
                        eprintln!("chorus: cannot accept a connection: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
        };
        let permit = tokio::select! {
            _ = &mut shutdown => break,
            p = admit(&slots, &registry) => p,
        };
        let _ = stream.set_nodelay(true);
        next_id += 1;
        let slot = Arc::new(Slot::new(next_id, registry.clone()));
        tokio::spawn(serve_one(stream, addr, app.clone(), http.clone(), slot, permit, stop_rx.clone()));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection task holds a permit: all of them back means all
    // connections are closed.
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, slots.acquire_many(max as u32)).await;
    Ok(())
}

/// A slot for a new connection: a free one, else one freed by displacing
/// the connection longest without a request, else the next to free up.
async fn admit(slots: &Arc<Semaphore>, registry: &Registry) -> OwnedSemaphorePermit {
    if let Ok(p) = slots.clone().try_acquire_owned() {
        return p;
    }
    registry.displace_one();
    slots.clone().acquire_owned().await.expect("the connection semaphore is never closed")
}

/// Errors of one connection attempt (not of the listener).
fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset)
}

async fn serve_one(
    stream: tokio::net::TcpStream,
    addr: SocketAddr,
    app: Router,
    http: Arc<hyper::server::conn::http1::Builder>,
    slot: Arc<Slot>,
    _permit: OwnedSemaphorePermit,
    mut stop: watch::Receiver<bool>,
) {
    let evict = slot.evict.clone();
    let svc_slot = slot.clone();
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        let mut app = app.clone();
        let busy = svc_slot.begin();
        req.extensions_mut().insert(ConnectInfo(addr));
        async move {
            let resp = app.call(req.map(axum::body::Body::new)).await;
            drop(busy);
            resp as Result<_, Infallible>
        }
    });
    let conn = http.serve_connection(JsonParseErrors::new(TokioIo::new(stream)), svc);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = evict.notified() => return,
        _ = stop.wait_for(|s| *s) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// A connection whose bare parse-error answers (hyper's `400`, `414` or
/// `431` with an empty body) are rewritten as the API's JSON errors. Such
/// an answer is told apart by its shape: a 4xx head with
/// `content-length: 0` written alone. The application never sends one (its
/// errors always carry a body), and hyper closes the connection after it,
/// so nothing follows it on the wire.
struct JsonParseErrors<T> {
    io: T,
    /// The rewritten answer being written: its bytes, how many are written,
    /// and the length of the original that hyper is told was written.
    pending: Option<(Vec<u8>, usize, usize)>,
}

impl<T> JsonParseErrors<T> {
    fn new(io: T) -> Self {
        JsonParseErrors { io, pending: None }
    }
}

/// The JSON version of a bare error answer, or `None` when `buf` is not one.
fn as_json_error(buf: &[u8]) -> Option<Vec<u8>> {
    if buf.len() > 1024 || !buf.ends_with(b"\r\n\r\n") {
        return None;
    }
    let head = std::str::from_utf8(buf).ok()?;
    let status = head.strip_prefix("HTTP/1.1 ").or_else(|| head.strip_prefix("HTTP/1.0 "))?.get(..3)?;
    let message = match status {
        "400" => "malformed request: this is not an HTTP/1.1 request this server can read",
        "414" => "the request target is too long",
        "431" => "the request headers are too many or too large",
        _ if status.starts_with('4') => "malformed request",
        _ => return None,
    };
    let lower = head.to_ascii_lowercase();
    let at = lower.find("\r\ncontent-length: 0\r\n")?;
    let body = serde_json::json!({ "error": message }).to_string();
    let mut out = String::with_capacity(head.len() + body.len() + 64);
    out.push_str(&head[..at]);
    out.push_str(&format!(
        "\r\ncontent-type: application/json\r\nx-content-type-options: nosniff\r\ncontent-length: {}",
        body.len()
    ));
    out.push_str(&head[at + "\r\ncontent-length: 0".len()..]);
    out.push_str(&body);
    Some(out.into_bytes())
}

impl<T: hyper::rt::Write + Unpin> JsonParseErrors<T> {
    /// Writes the pending rewritten answer to its end; then reports the
    /// original's length as written.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let Some((bytes, done, original)) = self.pending.as_mut() else {
            return Poll::Ready(Ok(0));
        };
        while *done < bytes.len() {
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &bytes[*done..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *done += n;
        }
        let original = *original;
        self.pending = None;
        Poll::Ready(Ok(original))
    }
}

impl<T: hyper::rt::Read + Unpin> hyper::rt::Read for JsonParseErrors<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<T: hyper::rt::Write + Unpin> hyper::rt::Write for JsonParseErrors<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.pending.is_none() {
            match as_json_error(buf) {
                Some(json) => this.pending = Some((json, 0, buf.len())),
                None => return Pin::new(&mut this.io).poll_write(cx, buf),
            }
        }
        this.poll_pending(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.pending.is_none() {
            let mut filled = bufs.iter().filter(|b| !b.is_empty());
            match (filled.next(), filled.next()) {
                (Some(one), None) if as_json_error(one).is_some() => {
                    this.pending = as_json_error(one).map(|json| (json, 0, one.len()));
                }
                _ => return Pin::new(&mut this.io).poll_write_vectored(cx, bufs),
            }
        }
        this.poll_pending(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_parse_errors_become_json() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\ndate: Sat, 05 Dec 2026 07:35:58 GMT\r\n\r\n";
        let json = String::from_utf8(as_json_error(bare).unwrap()).unwrap();
        let (head, body) = json.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\n"));
        assert!(head.contains("content-type: application/json"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        assert!(head.ends_with("date: Sat, 05 Dec 2026 07:35:58 GMT"));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(body).unwrap()["error"],
            "the request headers are too many or too large"
        );
        // The application's own answers, and successes, pass as they are.
        assert!(as_json_error(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(as_json_error(b"HTTP/1.1 404 Not Found\r\ncontent-length: 20\r\n\r\n").is_none());
        assert!(as_json_error(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n{}").is_none());
    }
}
