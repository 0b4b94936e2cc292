//! What `entente watch` remembers between polls and between runs: each feed's validators
//! (ETag, Last-Modified), when it is next due and how often it failed in a row; each page it
//! was sent to and what came of it. Each call is its own transaction: the pages' documents
//! are committed before their pages are marked seen, so a run killed in between fetches
//! those pages again and finds their text stored (a duplicate), never loses one.

use crate::{SqliteStore, Store, StoreError};
use rusqlite::{OptionalExtension, params};

/// A feed's state after its last poll.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedState {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Unix seconds: when it is next due (after a failure, the back-off's end).
    pub next_poll: i64,
    pub last_polled: Option<i64>,
    /// The feed's `<ttl>`, in seconds.
    pub ttl: Option<i64>,
    pub failures: u32,
    /// "200 OK: 3 new pages", "304 not modified", "error: ..." : what `watch` last reported.
    pub last_status: String,
}

/// What came of a page the last time it was fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageOutcome {
    Stored,
    /// Its text was already stored (from another feed, a file, an earlier run).
    Duplicate,
    /// robots.txt asks crawlers to stay away from it: never fetched.
    Refused,
    /// It could not be fetched or read; tried again at later polls, a few times.
    Failed,
}

impl PageOutcome {
    fn as_str(self) -> &'static str {
        match self {
            PageOutcome::Stored => "stored",
            PageOutcome::Duplicate => "duplicate",
            PageOutcome::Refused => "refused",
            PageOutcome::Failed => "failed",
        }
    }

    fn parse(s: &str) -> PageOutcome {
        match s {
            "stored" => PageOutcome::Stored,
            "duplicate" => PageOutcome::Duplicate,
            "refused" => PageOutcome::Refused,
            _ => PageOutcome::Failed,
        }
    }
}

/// A page as `watch` last left it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeenPage {
    pub url: String,
    pub feed: String,
    pub first_seen: i64,
    pub attempts: u32,
    pub outcome: PageOutcome,
    pub detail: String,
    pub document: Option<String>,
}

/// `watch` keeps its state in SQLite stores only, for now (the CLI says so before it starts).
const WATCH: &str = "the watch state (feeds and pages seen)";

impl Store {
    /// The feed's state, if it was ever polled.
    pub fn feed_state(&self, url: &str) -> Result<Option<FeedState>, StoreError> {
        self.sqlite_only(WATCH)?.feed_state(url)
    }

    pub fn set_feed_state(&mut self, feed: &FeedState) -> Result<(), StoreError> {
        self.sqlite_only_mut(WATCH)?.set_feed_state(feed)
    }

    pub fn seen_page(&self, url: &str) -> Result<Option<SeenPage>, StoreError> {
        self.sqlite_only(WATCH)?.seen_page(url)
    }

    /// Records what came of the pages of one poll, in one transaction (`first_seen` and
    /// `feed` stay as they were for a page seen before; `attempts` counts up).
    pub fn record_pages(&mut self, pages: &[SeenPage]) -> Result<(), StoreError> {
        self.sqlite_only_mut(WATCH)?.record_pages(pages)
    }

    /// Every feed polled so far, by URL.
    pub fn watched_feeds(&self) -> Result<Vec<FeedState>, StoreError> {
        self.sqlite_only(WATCH)?.watched_feeds()
    }
}

impl SqliteStore {
    /// The feed's state, if it was ever polled.
    fn feed_state(&self, url: &str) -> Result<Option<FeedState>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT url, etag, last_modified, next_poll, last_polled, ttl, failures, last_status
                 FROM watched_feeds WHERE url = ?1",
                [url],
                |r| {
                    Ok(FeedState {
                        url: r.get(0)?,
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                        next_poll: r.get(3)?,
                        last_polled: r.get(4)?,
                        ttl: r.get(5)?,
                        failures: r.get(6)?,
                        last_status: r.get(7)?,
                    })
                },
            )
            .optional()?)
    }

    fn set_feed_state(&mut self, feed: &FeedState) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO watched_feeds (url, etag, last_modified, next_poll, last_polled, ttl, failures, last_status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                 next_poll = excluded.next_poll, last_polled = excluded.last_polled, ttl = excluded.ttl,
                 failures = excluded.failures, last_status = excluded.last_status",
            params![
                feed.url,
                feed.etag,
                feed.last_modified,
                feed.next_poll,
                feed.last_polled,
                feed.ttl,
                feed.failures,
                feed.last_status
            ],
        )?;
        Ok(())
    }

    fn seen_page(&self, url: &str) -> Result<Option<SeenPage>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT url, feed, first_seen, attempts, outcome, detail, document FROM watched_pages WHERE url = ?1",
                [url],
                |r| {
                    Ok(SeenPage {
                        url: r.get(0)?,
                        feed: r.get(1)?,
                        first_seen: r.get(2)?,
                        attempts: r.get(3)?,
                        outcome: PageOutcome::parse(&r.get::<_, String>(4)?),
                        detail: r.get(5)?,
                        document: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records what came of the pages of one poll, in one transaction (`first_seen` and
    /// `feed` stay as they were for a page seen before; `attempts` counts up).
    fn record_pages(&mut self, pages: &[SeenPage]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO watched_pages (url, feed, first_seen, attempts, outcome, detail, document)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(url) DO UPDATE SET attempts = watched_pages.attempts + excluded.attempts,
                     outcome = excluded.outcome, detail = excluded.detail, document = excluded.document",
            )?;
            for p in pages {
                upsert.execute(params![
                    p.url,
                    p.feed,
                    p.first_seen,
                    p.attempts,
                    p.outcome.as_str(),
                    p.detail,
                    p.document
                ])?;
            }
        }
        Ok(tx.commit()?)
    }

    /// Every feed polled so far, by URL.
    fn watched_feeds(&self) -> Result<Vec<FeedState>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT url FROM watched_feeds ORDER BY url")?;
        let urls: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        urls.iter().filter_map(|u| self.feed_state(u).transpose()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_state_and_pages_survive_and_attempts_count_up() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.feed_state("https://a/feed").unwrap(), None);
        let mut feed = FeedState {
            url: "https://a/feed".into(),
            etag: Some("\"v1\"".into()),
            next_poll: 100,
            ..Default::default()
        };
        store.set_feed_state(&feed).unwrap();
        feed.failures = 2;
        feed.last_status = "error: 500".into();
        store.set_feed_state(&feed).unwrap();
        assert_eq!(store.feed_state("https://a/feed").unwrap(), Some(feed.clone()));
        assert_eq!(store.watched_feeds().unwrap(), [feed]);

        let page = |outcome, document: Option<&str>| SeenPage {
            url: "https://a/p1".into(),
            feed: "https://a/feed".into(),
            first_seen: 50,
            attempts: 1,
            outcome,
            detail: String::new(),
            document: document.map(String::from),
        };
        store.record_pages(&[page(PageOutcome::Failed, None)]).unwrap();
        store
            .record_pages(&[SeenPage { first_seen: 60, feed: "other".into(), ..page(PageOutcome::Stored, Some("d")) }])
            .unwrap();
        let seen = store.seen_page("https://a/p1").unwrap().unwrap();
        assert_eq!((seen.attempts, seen.outcome, seen.first_seen), (2, PageOutcome::Stored, 50));
        assert_eq!((seen.feed.as_str(), seen.document.as_deref()), ("https://a/feed", Some("d")));
        assert_eq!(store.seen_page("https://a/p2").unwrap(), None);
    }
}
