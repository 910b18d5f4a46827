//! The `chorus` command line: reads inputs, runs the pipeline, prints a
//! format. This is the only place that knows about terminals, files to write
//! and exit codes.

mod cli;
mod follow_cmd;
mod memory;
mod output;
mod progress;
mod serve_cmd;
mod store_cmd;
#[cfg(feature = "postgres")]
mod worker_cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("chorus: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
