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

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
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
        registry
            .lock()
            .insert(id, Entry { busy: 0, idle_since: Instant::now(), evict: evict.clone(), evicted: false });
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
    let conn = http.serve_connection(TokioIo::new(stream), svc);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = evict.notified() => return,
        _ = stop.wait_for(|s| *s) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}
