//! A progress bar on stderr, only when stderr is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    /// When the current step started, and which one it is (0 clustering,
    /// 1 analysing), for its rate.
    started: std::sync::Mutex<Option<(u8, std::time::Instant)>>,
}

impl Progress {
    pub fn new(enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg} {pos} files [{elapsed}] {per_sec}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.set_message("reading");
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        Progress { bar, started: std::sync::Mutex::new(None) }
    }

    pub fn file_done(&self, _path: &str) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    pub fn stage(&self, name: &str) {
        if let Some(b) = &self.bar {
            b.set_message(name.to_string());
        }
    }

    /// Where a long report is: articles per second and stories, on the bar.
    pub fn step(&self, step: chorus_pipeline::Step) {
        let Some(b) = &self.bar else { return };
        let which = match step {
            chorus_pipeline::Step::Clustering { .. } => 0,
            chorus_pipeline::Step::Analysing { .. } => 1,
        };
        let elapsed = {
            let mut started = self.started.lock().unwrap_or_else(|p| p.into_inner());
            match *started {
                Some((w, t)) if w == which => t.elapsed().as_secs_f64(),
                _ => {
                    *started = Some((which, std::time::Instant::now()));
                    b.set_style(
                        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    0.0
                }
            }
        };
        let rate = |n: usize| if elapsed > 0.0 { n as f64 / elapsed } else { 0.0 };
        b.set_message(match step {
            chorus_pipeline::Step::Clustering { placed, total, stories } => {
                format!(
                    "clustering: {placed} of {total} articles, {:.0} articles/s, {stories} stories open",
                    rate(placed)
                )
            }
            chorus_pipeline::Step::Analysing { articles, total, stories, of } => format!(
                "analysing: {articles} of {total} articles, {:.0} articles/s, {stories} of {of} stories written",
                rate(articles)
            ),
        });
    }

    /// Prints a line on stderr without tearing the bar.
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
