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

    /// A writer for output made piece by piece (a report too large to hold
    /// whole): the file is created now, and written through a buffer.
    pub fn stream(&self) -> Result<Stream> {
        let inner: Box<dyn Write> = match &self.file {
            Some(path) => Box::new(std::io::BufWriter::with_capacity(
                1 << 20,
                std::fs::File::create(path).with_context(|| format!("cannot write {path}"))?,
            )),
            None => Box::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout())),
        };
        Ok(Stream { inner, name: self.file.clone().unwrap_or_else(|| "stdout".into()), closed: false })
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

/// Output written piece by piece (see [`Output::stream`]).
pub struct Stream {
    inner: Box<dyn Write>,
    name: String,
    /// The reader went away (`chorus report … | head`): the rest is dropped,
    /// which is not an error.
    closed: bool,
}

impl Stream {
    pub fn write(&mut self, text: &str) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.write_all(text.as_bytes()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => Err(e).with_context(|| format!("cannot write to {}", self.name)),
        }
    }

    pub fn finish(mut self) -> Result<()> {
        match self.inner.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe && !self.closed => {
                Err(e).with_context(|| format!("cannot write to {}", self.name))
            }
            _ => Ok(()),
        }
    }
}
