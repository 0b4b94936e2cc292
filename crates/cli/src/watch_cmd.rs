//! `entente watch`: the feeds from the command line and a file, polled until stopped (or
//! once), one line per poll of each feed and one per page that failed.

use anyhow::{Context, Result, bail};
use entente_store::Store;
use entente_watch::http::HttpLimits;
use entente_watch::{PollOutcome, WatchOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct WatchArgs {
    /// Feed URLs (RSS or Atom).
    urls: Vec<String>,
    /// A file of feed URLs, one a line (blank lines and lines starting with # are passed over).
    #[arg(long, value_name = "FILE")]
    feeds: Option<PathBuf>,
    /// How often each feed is polled when all is well ("90s", "15m", "1h"); a feed that fails
    /// waits twice as long each time, or as long as its Retry-After says.
    #[arg(long, default_value = "15m", value_parser = humantime::parse_duration)]
    every: Duration,
    /// Poll each feed once (those waiting after a failure only when due) and stop: for cron.
    #[arg(long)]
    once: bool,
    /// New pages fetched per poll of one feed; the rest wait for the next poll.
    #[arg(long, default_value_t = 100)]
    max_pages: usize,
    /// The longest wait for one answer (feed, page or robots.txt).
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    timeout: Duration,
    /// The largest page or feed read, in bytes.
    #[arg(long, default_value_t = 32 << 20)]
    max_article_bytes: u64,
}

pub fn run(store: &mut Store, args: &WatchArgs, quiet: bool) -> Result<ExitCode> {
    let mut feeds = args.urls.clone();
    if let Some(file) = &args.feeds {
        feeds.extend(read_feed_list(file)?);
    }
    if feeds.is_empty() {
        bail!("no feeds to watch: give their URLs, or --feeds FILE");
    }
    if let Some(bad) = feeds.iter().find(|f| !(f.starts_with("http://") || f.starts_with("https://"))) {
        bail!("{bad}: not an http:// or https:// URL");
    }
    let ingest = crate::ingest_cmd::options(64, args.max_article_bytes, None, None, Some(1));
    let options = WatchOptions {
        every: args.every,
        max_pages: args.max_pages.max(1),
        http: HttpLimits { timeout: args.timeout, max_body: args.max_article_bytes, ..HttpLimits::default() },
        ingest,
        ..WatchOptions::default()
    };
    if !quiet {
        eprintln!("watching {} feed(s) every {}", feeds.len(), humantime::format_duration(args.every));
    }
    let mut failed = false;
    entente_watch::run(store, &feeds, options, args.once, |report| {
        let feed_failed = matches!(report.outcome, PollOutcome::Failed { .. });
        failed |= feed_failed || !report.failed.is_empty();
        if feed_failed {
            eprintln!("{report}");
        } else if !quiet {
            println!("{report}");
        }
        for (page, why) in &report.failed {
            eprintln!("  {page}: {why}");
        }
    })?;
    Ok(if failed { ExitCode::from(crate::EXIT_SOME_FAILED) } else { ExitCode::SUCCESS })
}

fn read_feed_list(file: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read the feed list {}", file.display()))?;
    let mut feeds = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !(line.starts_with("http://") || line.starts_with("https://")) {
            bail!("{}:{}: {line:?} is not an http:// or https:// URL", file.display(), i + 1);
        }
        feeds.push(line.to_string());
    }
    Ok(feeds)
}
