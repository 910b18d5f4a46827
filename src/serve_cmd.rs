//! `chorus serve`: the HTTP API and web page over a store.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use chorus_store::{AnyStore, Engine};

use crate::store_cmd::{DEFAULT_DB, runtime, shutdown_signal};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The store: an SQLite file, or a PostgreSQL URL
    /// (`postgres://user@host/db`, TLS by `?sslmode=verify-full`, see
    /// docs/scaling.md); created if missing.
    #[arg(long, value_name = "FILE|URL", env = "CHORUS_DB", default_value = DEFAULT_DB)]
    pub db: String,
    /// Address to listen on. The default answers this machine only; give
    /// `0.0.0.0:PORT` to serve others (and set a token). Port 0 picks a
    /// free port (printed on start).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on POST and DELETE.
    #[arg(long, value_name = "TOKEN", env = "CHORUS_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Requests per second allowed to one client address (bursts of as
    /// many); no limit unless set.
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<NonZeroU32>,
    /// Largest request body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = chorus_server::DEFAULT_MAX_BODY)]
    pub max_body: usize,
    /// Connections open at once at most. Past it, a new connection
    /// displaces the one longest without a request in progress.
    #[arg(long, value_name = "N", default_value_t = chorus_server::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Time a client has to send a request's headers (and that a kept-alive
    /// connection may stay idle).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = humantime::parse_duration)]
    pub header_timeout: std::time::Duration,
    /// Time a client has to send a whole request body.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = humantime::parse_duration)]
    pub body_timeout: std::time::Duration,
    /// Also follow these sources while serving (feed URLs, site URLs, OPML
    /// files; as `chorus follow`), so that stories form live.
    #[arg(long, value_name = "SOURCE", num_args = 1..)]
    pub follow: Vec<String>,
    #[command(flatten)]
    pub manners: crate::follow_cmd::Manners,
}

pub fn serve(args: ServeArgs) -> Result<ExitCode> {
    crate::memory::release_freed_memory();
    let limits = chorus_server::Limits {
        max_connections: args.max_connections,
        header_timeout: args.header_timeout,
        body_timeout: args.body_timeout,
    };
    let config =
        chorus_server::Config { token: args.token, rate_limit: args.rate_limit, max_body: args.max_body, limits };
    // Before anything is opened: a token that cannot work is refused, never
    // taken as "no token".
    config.check()?;
    if !args.addr.ip().is_loopback() && config.token.is_none() {
        eprintln!(
            "chorus: warning: serving {} to other machines with no token: anyone can add and remove articles",
            args.addr
        );
    }
    let rt = runtime()?;
    let store = rt.block_on(AnyStore::open(&args.db))?;
    let engine = Arc::new(Engine::new(store));
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener.local_addr()?;
        // One signal stops both the server and the follower.
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
        });
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        let follower = if args.follow.is_empty() {
            None
        } else {
            let sources = crate::follow_cmd::prepare(engine.store(), &args.follow).await?;
            eprintln!("chorus: following {} sources", sources.len());
            let log: chorus_follow::Log = Arc::new(|line: &str| eprintln!("{line}"));
            Some(tokio::spawn(chorus_follow::follow_forever(
                engine.clone(),
                sources,
                args.manners.config(),
                log,
                stopped(stop_rx.clone()),
            )))
        };
        eprintln!("chorus: serving http://{local}/ from {}", chorus_store::shown_db(&args.db));
        chorus_server::serve(engine, listener, config, stopped(stop_rx)).await?;
        if let Some(f) = follower {
            f.await??;
        }
        eprintln!("chorus: stopped");
        Ok(ExitCode::SUCCESS)
    })
}
