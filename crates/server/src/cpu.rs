//! CPU-heavy work of a request (reading a posted page, rendering a story)
//! runs here, off the async worker threads: on those, a page that takes
//! seconds to extract would stall every other request of the server,
//! `/healthz` included.

use std::sync::LazyLock;

use tokio::sync::Semaphore;

/// Jobs run at once: one per core (at least two). Past that, jobs wait
/// their turn instead of each taking a thread of tokio's blocking pool
/// (up to 512) and all slowing down together, with their inputs held in
/// memory meanwhile.
static SLOTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()).max(2)));

/// Runs `f` on a blocking thread once a slot is free. `Err` when it
/// panicked (with the panic's message). The slot is held by the job, not
/// the caller: a request dropped meanwhile does not free it before the job
/// ends.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let permit = SLOTS.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || {
        let _held = permit;
        f()
    })
    .await
    .map_err(|e| match e.try_into_panic() {
        Ok(p) => p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into()),
        Err(e) => e.to_string(),
    })
}
