//! `entente watch`: polls RSS and Atom feeds, each on its own schedule, fetches each new
//! item's page and ingests it, incrementally, into the store.
//!
//! **Invariants:** a feed is asked only for what changed (ETag, Last-Modified); a feed that
//! fails waits longer each time (or as long as its Retry-After says) and never stops the
//! others; a page is fetched only if robots.txt allows it, once when it comes through, a few
//! times at most when it does not; every request has timeouts and every body a size cap.
//! What was polled and seen lives in the store (see `entente_store::FeedState`), so a
//! restarted watch goes on where it stopped; a page's document is committed before the page
//! is marked seen, so a kill in between costs a second fetch, never a document.

pub mod http;
mod robots;

use entente_ingest::{IngestError, IngestOptions, Progress, ingest_documents};
use entente_sources::{DeclaredDate, SourceDoc, WebPage, parse_feed, web_page_doc};
use entente_store::{FeedState, PageOutcome, SeenPage, Store, StoreError};
use http::{Answer, Client, FetchError, HttpLimits, Validators};
use robots::{Robots, Verdict};
use std::collections::HashMap;
use std::time::Duration;

#[derive(Clone, Copy)]
pub struct WatchOptions {
    /// How often a feed is polled when all is well (longer if its `<ttl>` asks).
    pub every: Duration,
    /// The longest wait after failures.
    pub max_backoff: Duration,
    /// New pages fetched per poll of one feed; the rest wait for the next poll.
    pub max_pages: usize,
    /// How many times a page that cannot be fetched or read is tried.
    pub max_attempts: u32,
    pub http: HttpLimits,
    pub ingest: IngestOptions,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            every: Duration::from_secs(15 * 60),
            max_backoff: Duration::from_secs(24 * 3600),
            max_pages: 100,
            max_attempts: 3,
            http: HttpLimits::default(),
            ingest: IngestOptions::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

/// What one poll of one feed came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PollOutcome {
    /// The feed was read: how many items it holds.
    Read {
        items: usize,
    },
    NotModified,
    /// The feed could not be had or read; `failures` in a row so far.
    Failed {
        problem: String,
        failures: u32,
    },
}

/// What one poll did, for one line of output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedReport {
    pub feed: String,
    pub outcome: PollOutcome,
    /// Pages by what came of them at this poll.
    pub stored: usize,
    pub duplicates: usize,
    pub refused: usize,
    /// Each page that failed, with why.
    pub failed: Vec<(String, String)>,
    /// Pages left for the next poll (past `max_pages`).
    pub deferred: usize,
    /// Unix seconds.
    pub next_poll: i64,
}

impl std::fmt::Display for FeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.outcome {
            PollOutcome::Read { items } => write!(
                f,
                "{}: {items} items; {} new pages stored, {} already stored, {} refused by robots.txt, {} failed",
                self.feed,
                self.stored,
                self.duplicates,
                self.refused,
                self.failed.len()
            )?,
            PollOutcome::NotModified => write!(f, "{}: not modified", self.feed)?,
            PollOutcome::Failed { problem, failures } => {
                write!(f, "{}: error: {problem} ({failures} in a row)", self.feed)?
            }
        }
        if self.deferred > 0 {
            write!(f, "; {} pages left for the next poll", self.deferred)?;
        }
        write!(f, "; next poll at {}", httpdate::fmt_http_date(unix_time(self.next_poll)))
    }
}

/// An item of a feed that points at a page.
struct Item {
    link: String,
    date: Option<DeclaredDate>,
}

pub struct Watcher {
    client: Client,
    robots: Robots,
    options: WatchOptions,
}

impl Watcher {
    pub fn new(options: WatchOptions) -> Watcher {
        Watcher { client: Client::new(options.http), robots: Robots::default(), options }
    }

    /// Polls each feed that is due at `now` (Unix seconds). With `once`, a feed is due unless
    /// it is waiting after a failure, so a watch run from cron follows cron's schedule.
    pub fn poll_due(
        &mut self,
        store: &mut Store,
        feeds: &[String],
        now: i64,
        once: bool,
    ) -> Result<Vec<FeedReport>, WatchError> {
        let mut reports = Vec::new();
        for feed in feeds {
            let state = store.feed_state(feed)?;
            let due = state.as_ref().is_none_or(|s| (once && s.failures == 0) || self.due_at(s) <= now);
            if due {
                reports.push(self.poll(store, feed, state.unwrap_or_default(), now)?);
            }
        }
        Ok(reports)
    }

    /// When the next of `feeds` is due (Unix seconds); `now` for a feed never polled.
    pub fn next_due(&self, store: &Store, feeds: &[String], now: i64) -> Result<i64, WatchError> {
        let mut next = i64::MAX;
        for feed in feeds {
            next = next.min(store.feed_state(feed)?.map_or(now, |s| self.due_at(&s)));
        }
        Ok(next)
    }

    /// When a feed polled before is due: after failures, when its back-off ends; else its
    /// interval (this run's `every`, or its own longer `<ttl>`) after its last poll.
    fn due_at(&self, state: &FeedState) -> i64 {
        match (state.failures, state.last_polled) {
            (0, Some(last)) => last + self.interval(state.ttl),
            _ => state.next_poll,
        }
    }

    fn interval(&self, ttl: Option<i64>) -> i64 {
        (self.options.every.as_secs() as i64).max(ttl.unwrap_or(0)).max(1)
    }

    fn poll(&mut self, store: &mut Store, feed: &str, state: FeedState, now: i64) -> Result<FeedReport, WatchError> {
        let validators = Validators { etag: state.etag.clone(), last_modified: state.last_modified.clone() };
        let answer = self.client.get(feed, &validators);
        let mut report = FeedReport {
            feed: feed.to_string(),
            outcome: PollOutcome::NotModified,
            stored: 0,
            duplicates: 0,
            refused: 0,
            failed: Vec::new(),
            deferred: 0,
            next_poll: 0,
        };
        let mut next = FeedState { url: feed.to_string(), last_polled: Some(now), ..state.clone() };
        let read = answer.map_err(|e| (e.to_string(), None)).and_then(|a| read_feed(a, feed));
        match read {
            Err((problem, retry_after)) => {
                next.failures = state.failures.saturating_add(1);
                let wait = retry_after.unwrap_or_else(|| self.backoff(next.failures)).min(self.options.max_backoff);
                next.next_poll = now + wait.as_secs().max(1) as i64;
                next.last_status = format!("error: {problem}");
                report.outcome = PollOutcome::Failed { problem, failures: next.failures };
            }
            Ok(None) => {
                next.failures = 0;
                next.next_poll = now + self.interval(next.ttl);
                next.last_status = "not modified".into();
            }
            Ok(Some(read)) => {
                let unfinished = self.take_pages(store, feed, &read.items, now, &mut report)?;
                next.failures = 0;
                // Pages left for later (past `max_pages`, or failed with tries left) are in
                // this version of the feed: without its validators the next poll reads it
                // whole again rather than hear "not modified" and leave them.
                (next.etag, next.last_modified) = match unfinished {
                    false => (read.etag, read.last_modified),
                    true => (None, None),
                };
                next.ttl = read.ttl.map(|t| t.as_secs() as i64);
                next.next_poll = now + self.interval(next.ttl);
                report.outcome = PollOutcome::Read { items: read.items.len() };
                next.last_status = format!("read: {} items, {} pages stored", read.items.len(), report.stored);
            }
        }
        report.next_poll = next.next_poll;
        store.set_feed_state(&next)?;
        Ok(report)
    }

    /// The wait after `failures` failures in a row: the usual interval, doubled each time.
    fn backoff(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(20);
        self.options.every.saturating_mul(1 << doublings)
    }

    /// Fetches the items' new pages and ingests them; true when some are left for a later
    /// read of the feed (past `max_pages`, or failed with tries left).
    fn take_pages(
        &mut self,
        store: &mut Store,
        feed: &str,
        items: &[Item],
        now: i64,
        report: &mut FeedReport,
    ) -> Result<bool, WatchError> {
        let mut seen = Vec::new();
        // How many times each page of `seen` has been tried, this time included.
        let mut tries = Vec::new();
        let mut docs = Vec::new();
        for item in items {
            let earlier = store.seen_page(&item.link)?;
            let new = earlier
                .as_ref()
                .is_none_or(|p| p.outcome == PageOutcome::Failed && p.attempts < self.options.max_attempts);
            // The same page twice in one feed is one page.
            if !new || seen.iter().any(|p: &SeenPage| p.url == item.link) {
                continue;
            }
            if seen.len() == self.options.max_pages {
                report.deferred += 1;
                continue;
            }
            tries.push(earlier.as_ref().map_or(0, |p| p.attempts) + 1);
            let page = |outcome, detail: String| SeenPage {
                url: item.link.clone(),
                feed: feed.to_string(),
                first_seen: now,
                attempts: 1,
                outcome,
                detail,
                document: None,
            };
            match self.fetch_page(item) {
                Ok(doc) => {
                    seen.push(page(PageOutcome::Failed, "not stored".into()));
                    docs.push(doc);
                }
                Err(PageProblem::Refused) => seen.push(page(PageOutcome::Refused, "robots.txt".into())),
                Err(PageProblem::Failed(why)) => seen.push(page(PageOutcome::Failed, why)),
            }
        }
        // What ingest made of each page read, by its URL (a page's source path).
        let mut outcomes: HashMap<String, (PageOutcome, String)> = HashMap::new();
        let mut errors = Vec::new();
        if !docs.is_empty() {
            ingest_documents(store, feed, docs, self.options.ingest, |p| match p {
                Progress::Stored { id, source_path } => {
                    outcomes.insert(source_path.into(), (PageOutcome::Stored, id.into()));
                }
                Progress::Duplicate { id, source_path } => {
                    outcomes.insert(source_path.into(), (PageOutcome::Duplicate, id.into()));
                }
                Progress::Failed { error } => errors.push(error.to_string()),
                _ => {}
            })?;
        }
        let mut retry_left = false;
        for (page, tries) in seen.iter_mut().zip(tries) {
            if let Some((outcome, document)) = outcomes.remove(&page.url) {
                (page.outcome, page.detail, page.document) = (outcome, String::new(), Some(document));
            } else if let Some(why) = errors.iter().find(|e| e.starts_with(&format!("{}: ", page.url))) {
                page.detail = why.clone();
            }
            match page.outcome {
                PageOutcome::Stored => report.stored += 1,
                PageOutcome::Duplicate => report.duplicates += 1,
                PageOutcome::Refused => report.refused += 1,
                PageOutcome::Failed => {
                    report.failed.push((page.url.clone(), page.detail.clone()));
                    retry_left |= tries < self.options.max_attempts;
                }
            }
        }
        store.record_pages(&seen)?;
        Ok(retry_left || report.deferred > 0)
    }

    /// One page, fetched if robots.txt allows and read as an article.
    fn fetch_page(&mut self, item: &Item) -> Result<SourceDoc, PageProblem> {
        match self.robots.check(&self.client, &item.link) {
            Verdict::Allowed => {}
            Verdict::Disallowed => return Err(PageProblem::Refused),
            Verdict::Unavailable(why) => return Err(PageProblem::Failed(format!("robots.txt unavailable: {why}"))),
        }
        let answer = self.client.get(&item.link, &Validators::default()).map_err(fetch_problem)?;
        if !(200..300).contains(&answer.status) {
            return Err(PageProblem::Failed(format!("HTTP {}", answer.status)));
        }
        if let Some(kind) = answer.content_type.as_deref().filter(|t| !is_text(t)) {
            return Err(PageProblem::Failed(format!("not a web page ({kind})")));
        }
        let page = WebPage {
            url: Some(answer.url),
            content_type: answer.content_type,
            source_path: item.link.clone(),
            fallback_date: item.date.clone(),
            fallback_id: "page".into(),
        };
        web_page_doc(&answer.body, page).map_err(|e| PageProblem::Failed(e.to_string()))
    }
}

enum PageProblem {
    Refused,
    Failed(String),
}

fn fetch_problem(e: FetchError) -> PageProblem {
    PageProblem::Failed(e.to_string())
}

fn is_text(content_type: &str) -> bool {
    let kind = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    kind.starts_with("text/") || kind == "application/xhtml+xml"
}

/// A feed read: its items and what to ask it next time.
struct FeedRead {
    items: Vec<Item>,
    etag: Option<String>,
    last_modified: Option<String>,
    /// The feed's `<ttl>`: how long it asks readers to wait.
    ttl: Option<Duration>,
}

/// A feed's answer read: None for 304, an error (with the Retry-After it gave) for anything
/// that is not a feed.
fn read_feed(answer: Answer, feed: &str) -> Result<Option<FeedRead>, (String, Option<Duration>)> {
    match answer.status {
        304 => return Ok(None),
        200..=299 => {}
        status => return Err((format!("HTTP {status}"), answer.retry_after)),
    }
    let parsed = parse_feed(&answer.body).map_err(|e| (format!("not an RSS or Atom feed ({e})"), None))?;
    let base = url::Url::parse(&answer.url).or_else(|_| url::Url::parse(feed)).ok();
    let items = parsed
        .entries
        .into_iter()
        .filter_map(|entry| {
            let link = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(entry.links.first())?;
            let link = match &base {
                Some(base) => base.join(link.href.trim()).ok()?,
                None => url::Url::parse(link.href.trim()).ok()?,
            };
            if !matches!(link.scheme(), "http" | "https") {
                return None;
            }
            let date = entry.published.or(entry.updated).map(|d| DeclaredDate {
                raw: d.to_rfc3339(),
                from: if entry.published.is_some() { "feed:published".into() } else { "feed:updated".into() },
            });
            Some(Item { link: link.to_string(), date })
        })
        .collect();
    let ttl = parsed.ttl.map(|minutes| Duration::from_secs(u64::from(minutes).min(7 * 24 * 60) * 60));
    Ok(Some(FeedRead { items, etag: answer.etag, last_modified: answer.last_modified, ttl }))
}

fn unix_time(seconds: i64) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + Duration::from_secs(seconds.max(0) as u64)
}

/// Now, in Unix seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Polls `feeds` until killed (or once, with `once`), sleeping until the next is due, and
/// reports each poll.
pub fn run(
    store: &mut Store,
    feeds: &[String],
    options: WatchOptions,
    once: bool,
    mut report: impl FnMut(&FeedReport),
) -> Result<(), WatchError> {
    let mut watcher = Watcher::new(options);
    loop {
        for r in watcher.poll_due(store, feeds, unix_now(), once)? {
            report(&r);
        }
        if once {
            return Ok(());
        }
        let wait = watcher.next_due(store, feeds, unix_now())? - unix_now();
        std::thread::sleep(Duration::from_secs(wait.clamp(1, 60) as u64));
    }
}
