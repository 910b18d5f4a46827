//! Freed memory handed back to the system while a long-running command
//! (`follow`, `serve`, `worker`) waits for more work.
//!
//! Each story analysis allocates tens of megabytes on whichever thread
//! runs it and frees them when it ends. glibc's allocator keeps an arena
//! per thread and keeps what is freed in it for the next allocation, so a
//! process whose analyses land on many threads in turn grows by the peak
//! of each arena, not by what it holds: `chorus follow` on a feed gaining
//! an article a second reached 160 MB of resident memory in three minutes
//! while its live heap stayed under 55 MB (valgrind massif, 251 articles).
//! `malloc_trim` returns the free pages of every arena; run every few
//! seconds it costs a walk of the arenas' free lists, nothing on the
//! pipeline's path. Other C libraries return memory on their own terms,
//! and there this does nothing.

use std::time::Duration;

/// How often freed memory is handed back: often enough that the resident
/// memory a monitor sees follows the live heap within a few analyses,
/// rarely enough that the trim (a few milliseconds over a large heap) is
/// no load.
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
const EVERY: Duration = Duration::from_secs(5);

/// Starts a background thread that hands freed memory back every
/// [`EVERY`] for as long as the process runs.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let spawned = std::thread::Builder::new().name("chorus-trim".into()).spawn(|| {
            loop {
                std::thread::sleep(EVERY);
                trim();
            }
        });
        // Without the thread the process only keeps more memory than it
        // needs; that is no reason to refuse to run.
        drop(spawned);
    }
}

/// Hands the free pages of every allocator arena back to the system now.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    // SAFETY: malloc_trim only walks and shrinks the allocator's own
    // arenas under their locks; it takes no pointer of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    /// Resident memory of this process, in bytes (`/proc/self/statm`
    /// counts pages, whose size is the system's: 4 KB on x86, up to 64 KB
    /// on ARM).
    fn resident() -> usize {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
        let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        // SAFETY: sysconf reads a constant of the system; it takes no pointer.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        pages * usize::try_from(page).unwrap()
    }

    #[test]
    fn freed_memory_of_another_threads_arena_goes_back_to_the_system() {
        // 64 MB in 32 KB blocks (under glibc's mmap threshold, so they
        // live in the thread's arena), touched, then all freed but the
        // last, which keeps the arena's top from shrinking on its own.
        let kept = std::thread::spawn(|| {
            let mut blocks: Vec<Vec<u8>> = (0..2048).map(|i| vec![i as u8 | 1; 32 * 1024]).collect();
            let last = blocks.pop().unwrap();
            drop(blocks);
            last
        })
        .join()
        .unwrap();
        let before = resident();
        super::trim();
        let after = resident();
        assert_eq!(kept.len(), 32 * 1024);
        assert!(before > after + 32 * 1024 * 1024, "resident {before} bytes before the trim, {after} after");
    }
}
