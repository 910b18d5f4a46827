//! Shared helpers for the benchmark binaries in `src/bin/`: timing, peak
//! memory and deterministic corpus generation (a steady stream in `corpus`,
//! one shaped like real coverage in `coverage`). Benchmarks print figures;
//! they never assert on time (speed targets are read, not tested).

pub mod corpus;
pub mod coverage;
pub mod paraphrase;

use std::time::Instant;

/// Peak resident memory of this process so far, in bytes (Linux `VmHWM`).
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// CPU time (user + system) this process has used so far, in seconds, from
/// `/proc/self/stat`. On a machine shared with other work, CPU time is a
/// steadier measure of per-core speed than wall time.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// CPU time this thread has used, in seconds, with nanosecond resolution
/// (`/proc/thread-self/schedstat`), for timing work that takes milliseconds,
/// which the 10 ms ticks of [`cpu_seconds`] cannot.
pub fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Runs `f`, returning its result, the wall seconds and the CPU seconds it
/// took.
pub fn timed_cpu<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let c0 = cpu_seconds().unwrap_or(0.0);
    let t = Instant::now();
    let v = f();
    let wall = t.elapsed().as_secs_f64();
    (v, wall, cpu_seconds().unwrap_or(0.0) - c0)
}

/// Runs `f`, returning its result and the seconds it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64())
}

/// A small deterministic PRNG (SplitMix64), so corpora are the same in every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
