//! Subcommands and their arguments.

use std::process::ExitCode;

use anyhow::Result;
use chorus_ingest::Ingested;
use chorus_model::Report;
use clap::{Parser, Subcommand, ValueEnum};

use crate::output::Output;
use crate::progress::Progress;

/// Many outlets, one story: turns news articles from many sources into one
/// account per story — who said what, which facts every source carries, what
/// only one reports, where they contradict each other, how each frames it.
#[derive(Parser, Debug)]
#[command(name = "chorus", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Markdown, for a terminal or a wiki.
    Md,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// One self-contained HTML page.
    Html,
}

#[derive(clap::Args, Debug)]
pub struct Inputs {
    /// Files, directories (read recursively) or `-` for stdin. Formats:
    /// plain text, JSON Lines, HTML, RSS/Atom, WARC.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
    /// Never show a progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The whole analysis: stories, each with summary, facts, quotes,
    /// entities, numbers, conflicts and framing.
    #[command(mut_arg("paths", |a| a.required(false).required_unless_present("db")))]
    Report {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
        /// Word budget of each story's summary.
        #[arg(long, default_value_t = 250)]
        words: usize,
        /// Sentences or clauses per story the transformer may embed (about
        /// 8 ms of CPU a sentence) to decide pairs the static vectors leave
        /// undecided; 0 turns it off. Default: 64 for a run of at most 250
        /// articles, else 0 (with --db: 0).
        #[arg(long, value_name = "N")]
        deep_sentences: Option<usize>,
        /// Render stories from a store (see `chorus ingest`) instead of
        /// reading inputs.
        #[arg(long, value_name = "FILE", conflicts_with = "paths")]
        db: Option<String>,
        /// With --db: only this story.
        #[arg(long, value_name = "ID", requires = "db")]
        story: Option<String>,
        /// Mark what is new or changed since TIME (ISO 8601 date or
        /// date-time): articles, facts first reported, and changed values.
        #[arg(long, value_name = "TIME", value_parser = chorus_report::since::parse)]
        since: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Stories only: which inputs belong together, with duplicates and
    /// syndicated copies marked.
    Cluster {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
    },
    /// All inputs taken as ONE story: its summary, one sentence a line
    /// (`--format json` adds the citations).
    Summarize {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
        /// Word budget of the summary.
        #[arg(long, default_value_t = 250)]
        words: usize,
    },
    /// One JSON object per input article: its cleaned text and per-article
    /// extraction (sentences, entities, quotes, numbers).
    Extract {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
    },
    /// Adds articles to a store: each joins the story it belongs to or
    /// opens one, and the stories they touch are analysed again.
    Ingest(crate::store_cmd::IngestArgs),
    /// Serves a store: the HTTP API and the web page.
    Serve(crate::serve_cmd::ServeArgs),
    /// Removes articles from a store and analyses their stories again.
    Remove(crate::store_cmd::RemoveArgs),
    /// Stores what `chorus ingest --enqueue` queued in a PostgreSQL store,
    /// sharing the work with any other workers on the same database.
    #[cfg(feature = "postgres")]
    Worker(crate::worker_cmd::WorkerArgs),
    /// Follows feeds, news sites and OPML lists of feeds over HTTP into a
    /// store: once (`--once`), or each on its own schedule until stopped.
    Follow(crate::follow_cmd::FollowArgs),
    /// The sources a store follows, with their status.
    Sources(crate::follow_cmd::SourcesArgs),
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Report { inputs, format, words, deep_sentences, db: Some(db), story, since } => {
            let opts = chorus_pipeline::Options { summary_words: words, deep_sentences: deep_sentences.unwrap_or(0) };
            crate::store_cmd::report(&db, story.as_deref(), inputs.output.as_deref(), format, &opts, since)
        }
        Command::Report { inputs, format, words, deep_sentences, since, .. } => {
            let (read, out, progress) = read_spooled(&inputs)?;
            let ok = read.articles > 0;
            let spooled = read.spooled;
            let deep_sentences = deep_sentences.unwrap_or_else(|| chorus_pipeline::deep_sentences_for(spooled.len()));
            let removed = spooled.removed.clone();
            // Stories are written as they are analysed: a large run never
            // holds the whole report.
            let sink = std::cell::RefCell::new(out.stream()?);
            let writer = std::cell::RefCell::new(chorus_report::stream::Writer::new(match format {
                Format::Json => chorus_report::stream::Format::Json,
                Format::Jsonl => chorus_report::stream::Format::Jsonl,
                Format::Md => chorus_report::stream::Format::Markdown,
                Format::Html => chorus_report::stream::Format::Html,
            }));
            let errors = read.errors;
            let mut head = Ok(());
            let written = chorus_pipeline::report_spooled(
                spooled,
                &chorus_pipeline::Options { summary_words: words, deep_sentences },
                &|step| progress.step(step),
                |o| {
                    let text = writer.borrow().head(&chorus_report::stream::Outline {
                        stories: o.stories,
                        articles: o.articles,
                        errors: errors.len(),
                        only_headline: o.only_headline.clone(),
                    });
                    head = sink.borrow_mut().write(&text);
                },
                |mut story| {
                    if let Some(t) = since {
                        chorus_report::since::mark(&mut story, t);
                    }
                    let text = writer.borrow_mut().story(&story);
                    sink.borrow_mut().write(&text)
                },
            );
            head?;
            written?;
            let (mut sink, writer) = (sink.into_inner(), writer.into_inner());
            sink.write(&writer.tail(&removed, &errors))?;
            sink.finish()?;
            progress.finish();
            Ok(exit(ok))
        }
        Command::Cluster { inputs, format } => {
            let (read, out, progress) = read_spooled(&inputs)?;
            let ok = read.articles > 0;
            progress.stage("clustering");
            let report = chorus_pipeline::cluster_spooled(read.spooled, read.errors);
            progress.finish();
            write_report(&out, &report, format)?;
            Ok(exit(ok))
        }
        Command::Summarize { inputs, format, words } => {
            let (ingested, out, progress) = read(&inputs)?;
            let ok = !ingested.articles.is_empty();
            progress.stage("summarising");
            let prepared = chorus_pipeline::prepare(ingested.articles);
            let summary = chorus_pipeline::summarize(&prepared.articles, words);
            progress.finish();
            let text = match format {
                Format::Json => {
                    let v = serde_json::json!({ "summary": summary, "errors": ingested.errors });
                    serde_json::to_string_pretty(&v)? + "\n"
                }
                Format::Jsonl => summary.iter().map(|s| serde_json::to_string(s).unwrap_or_default() + "\n").collect(),
                Format::Md | Format::Html => summary.iter().map(|s| s.text.clone() + "\n").collect(),
            };
            out.write(&text)?;
            Ok(exit(ok))
        }
        Command::Extract { inputs, format } => {
            let (ingested, out, progress) = read(&inputs)?;
            let ok = !ingested.articles.is_empty();
            progress.stage("extracting");
            let prepared = chorus_pipeline::prepare(ingested.articles);
            let records = chorus_pipeline::extract_records(&prepared.articles);
            progress.finish();
            let text = match format {
                Format::Json => {
                    let v = serde_json::json!({ "articles": records, "removed": prepared.removed, "errors": ingested.errors });
                    serde_json::to_string_pretty(&v)? + "\n"
                }
                _ => {
                    let mut s = String::new();
                    for r in &records {
                        s.push_str(&serde_json::to_string(r)?);
                        s.push('\n');
                    }
                    s
                }
            };
            out.write(&text)?;
            Ok(exit(ok))
        }
        Command::Ingest(args) => crate::store_cmd::ingest(args),
        Command::Serve(args) => crate::serve_cmd::serve(args),
        Command::Remove(args) => crate::store_cmd::remove(args),
        #[cfg(feature = "postgres")]
        Command::Worker(args) => crate::worker_cmd::worker(args),
        Command::Follow(args) => crate::follow_cmd::follow(args),
        Command::Sources(args) => crate::follow_cmd::sources(args),
    }
}

fn exit(ok: bool) -> ExitCode {
    if ok { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// Reads all inputs, printing each input error on stderr as it is found.
fn read(inputs: &Inputs) -> Result<(Ingested, Output, Progress)> {
    let out = Output::new(inputs.output.as_deref())?;
    let progress = Progress::new(!inputs.quiet && out.wants_progress());
    let ingested = chorus_ingest::read_inputs(&inputs.paths, &|path| progress.file_done(path));
    for e in &ingested.errors {
        progress.println(&format!("chorus: {}: {}", e.path, e.error));
    }
    for (kind, n) in &ingested.skipped {
        progress.println(&format!("chorus: skipped {n} {kind} records"));
    }
    if ingested.articles.is_empty() {
        progress.println("chorus: no usable article was read");
    }
    Ok((ingested, out, progress))
}

/// Inputs read into a [`chorus_pipeline::Spool`].
struct Read {
    spooled: chorus_pipeline::Spooled,
    errors: Vec<chorus_model::InputError>,
    /// Articles read, before cleaning.
    articles: usize,
}

/// Reads all inputs as [`read`] does, but hands each article to a spool as
/// it is read (on another thread, while the spool cleans the previous
/// batch), so that a large input is never held whole: past
/// [`chorus_pipeline::SPILL_BYTES`] of text the texts wait in a temporary
/// file.
fn read_spooled(inputs: &Inputs) -> Result<(Read, Output, Progress)> {
    let out = Output::new(inputs.output.as_deref())?;
    let progress = Progress::new(!inputs.quiet && out.wants_progress());
    let mut spool = chorus_pipeline::Spool::new(chorus_pipeline::SPILL_BYTES);
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<chorus_ingest::Event>(4096);
        let paths = &inputs.paths;
        let progress = &progress;
        scope.spawn(move || {
            chorus_ingest::read_inputs_each(paths, &|path| progress.file_done(path), &mut |e| {
                let _ = tx.send(e);
            })
        });
        for e in rx {
            match e {
                chorus_ingest::Event::Article(a) => spool.push(a),
                chorus_ingest::Event::Error(e) => errors.push(e),
                chorus_ingest::Event::Skipped(kind) => chorus_ingest::count_skip(&mut skipped, kind),
            }
        }
    });
    for e in &errors {
        progress.println(&format!("chorus: {}: {}", e.path, e.error));
    }
    for (kind, n) in &skipped {
        progress.println(&format!("chorus: skipped {n} {kind} records"));
    }
    let articles = spool.len();
    if articles == 0 {
        progress.println("chorus: no usable article was read");
    }
    progress.stage("cleaning");
    let spooled = spool.finish();
    Ok((Read { spooled, errors, articles }, out, progress))
}

/// Marks what is new in each story since the reader's time, if given.
pub(crate) fn mark_since(report: &mut Report, since: Option<chrono::DateTime<chrono::Utc>>) {
    if let Some(t) = since {
        for s in &mut report.stories {
            chorus_report::since::mark(s, t);
        }
    }
}

pub(crate) fn write_report(out: &Output, report: &Report, format: Format) -> Result<()> {
    let text = match format {
        Format::Md => chorus_report::markdown(report),
        Format::Json => chorus_report::json(report) + "\n",
        Format::Jsonl => {
            let mut s = String::new();
            for story in &report.stories {
                s.push_str(&serde_json::to_string(story)?);
                s.push('\n');
            }
            s
        }
        Format::Html => chorus_report::html(report),
    };
    out.write(&text)
}
