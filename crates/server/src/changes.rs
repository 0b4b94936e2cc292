//! `/api/changes`: a server-sent event stream of the store's revision, so the page refreshes
//! when an ingest (or `entente watch`) commits.
//!
//! One poller reads the revision every [`POLL`] while anyone listens and publishes it on a
//! watch channel; each stream only waits on that channel, so a hundred open pages cost one
//! read a second, not a hundred. Streams are bounded twice: at most [`Limits::streams`]
//! at once (more are answered 503 with `Retry-After`), and each ends after
//! [`Limits::stream_age`] with a `retry` hint, so the browser reconnects and no stream holds
//! a connection slot for ever. The request timeout bounds only the wait for the response's
//! head, which a stream sends at once, so it does not cut streams short.

use crate::{Limits, Pool};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;

/// How often the poller reads the store's revision.
pub const POLL: Duration = Duration::from_secs(1);
/// What a browser is told to wait before reconnecting after a stream ends.
const RECONNECT: Duration = Duration::from_secs(1);
/// A comment line this often keeps idle streams from looking dead to proxies.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The shared poller and the bound on streams.
pub struct Changes {
    slots: Arc<Semaphore>,
    age: Duration,
    query: Duration,
    /// The last revision read; `None` until the first read.
    revision: watch::Sender<Option<i64>>,
    polling: AtomicBool,
}

/// Why a stream was not opened.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("too many change streams are open; try again shortly")]
    TooMany,
    #[error(transparent)]
    Read(#[from] crate::ReadError),
}

impl Changes {
    pub fn new(limits: &Limits) -> Changes {
        Changes {
            slots: Arc::new(Semaphore::new(limits.streams)),
            age: limits.stream_age,
            query: limits.query,
            revision: watch::channel(None).0,
            polling: AtomicBool::new(false),
        }
    }

    /// Opens a stream: takes a slot, reads the revision now (so the first event is current),
    /// and makes sure the poller runs.
    pub async fn open(
        self: &Arc<Self>,
        pool: &Pool,
    ) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>> + use<>>, StreamError> {
        let slot = self.slots.clone().try_acquire_owned().map_err(|_| StreamError::TooMany)?;
        let now = pool.read(Some(self.query), |c| c.revision()).await?;
        self.revision.send_if_modified(|r| replace(r, now));
        let listener = self.revision.subscribe();
        self.start_polling(pool);
        let ends = Instant::now() + self.age;
        Ok(Sse::new(events(listener, slot, ends)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
    }

    fn start_polling(self: &Arc<Self>, pool: &Pool) {
        if self.polling.swap(true, Ordering::AcqRel) {
            return;
        }
        tokio::spawn(poll(self.clone(), pool.clone()));
    }
}

fn replace(slot: &mut Option<i64>, now: i64) -> bool {
    let moved = *slot != Some(now);
    *slot = Some(now);
    moved
}

/// Reads the revision every [`POLL`] until nobody listens. A failed read (every connection
/// busy, a writer holding the lock) is skipped: the next one a second later will tell.
async fn poll(changes: Arc<Changes>, pool: Pool) {
    loop {
        tokio::time::sleep(POLL).await;
        if changes.revision.receiver_count() == 0 {
            changes.polling.store(false, Ordering::Release);
            // A stream opened between the count and the store found the flag still set and
            // started no poller: take the job back.
            if changes.revision.receiver_count() == 0 || changes.polling.swap(true, Ordering::AcqRel) {
                return;
            }
        }
        if let Ok(now) = pool.read(Some(changes.query), |c| c.revision()).await {
            changes.revision.send_if_modified(|r| replace(r, now));
        }
    }
}

/// The stream: the current revision at once, then each new one, until `ends`. The slot is
/// held as long as the stream lives and freed when it ends or the client goes.
fn events(
    listener: watch::Receiver<Option<i64>>,
    slot: OwnedSemaphorePermit,
    ends: Instant,
) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold((listener, slot, true), move |(mut listener, slot, first)| async move {
        if !first {
            tokio::select! {
                changed = listener.changed() => changed.ok()?,
                _ = tokio::time::sleep_until(ends) => return None,
            }
        }
        let revision = (*listener.borrow_and_update())?;
        let event = Event::default()
            .event("revision")
            .id(revision.to_string())
            .retry(RECONNECT)
            .data(format!("{{\"revision\":{revision}}}"));
        Some((Ok(event), (listener, slot, false)))
    })
}
