//! Where output goes: stdout or `-o FILE`.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};

pub struct Output {
    file: Option<String>,
}

impl Output {
    pub fn new(file: Option<&str>) -> Result<Self> {
        Ok(Output { file: file.filter(|f| *f != "-").map(str::to_string) })
    }

    /// Whether a progress bar may be drawn: only for a person watching a
    /// terminal, i.e. stderr is a terminal and the result goes to a file or to
    /// that terminal, never when the output is piped into another program.
    pub fn wants_progress(&self) -> bool {
        std::io::stderr().is_terminal() && (self.file.is_some() || std::io::stdout().is_terminal())
    }

    pub fn write(&self, text: &str) -> Result<()> {
        match &self.file {
            Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {path}")),
            None => {
                let mut stdout = std::io::stdout().lock();
                match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
                    Ok(()) => Ok(()),
                    // A closed pipe (`chorus report … | head`) is not an error.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(e).context("cannot write to stdout"),
                }
            }
        }
    }
}
