//! A bounded pool of read-only SQLite connections. At most [`Limits::readers`] connections
//! exist; a request waits for one in a bounded queue (at most [`Limits::queue`] waiters, each
//! at most [`Limits::queue_wait`]) and is otherwise refused with [`ReadError::Busy`], so a
//! flood is shed at once instead of piling up threads, connections and open files.
//!
//! Queries run on tokio's blocking threads. A query still running when its deadline passes,
//! or when the request that asked for it goes away, is interrupted
//! (`sqlite3_interrupt`), so its connection comes back to the pool within milliseconds
//! instead of finishing work nobody will read.

use crate::{Limits, ServerError};
use rusqlite::{Connection, InterruptHandle, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use thiserror::Error;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why a read gave no answer.
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("the server is busy: every database connection is in use")]
    Busy,
    #[error("the query took longer than {0:?} and was stopped")]
    Timeout(Duration),
    #[error("{0}")]
    Server(#[from] ServerError),
    #[error("a blocking task failed: {0}")]
    Task(String),
}

impl From<rusqlite::Error> for ReadError {
    fn from(e: rusqlite::Error) -> Self {
        ReadError::Server(ServerError::Sqlite(e))
    }
}

/// The pool; clones share the same connections.
#[derive(Clone)]
pub struct Pool {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// One permit per connection that may exist.
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
    queue_wait: Duration,
    has_event_text: bool,
}

/// A connection lent out with its permit; given back to the pool when dropped.
pub struct Lease {
    conn: Option<Connection>,
    pool: Arc<Inner>,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for Lease {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut idle)) = (self.conn.take(), self.pool.idle.lock()) {
            idle.push(conn);
        }
    }
}

impl Pool {
    /// Opens the store read-only and checks that this build understands its schema.
    pub fn open(path: &Path, limits: &Limits) -> Result<Pool, ServerError> {
        let conn = connect(path)?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > entente_store::SCHEMA_VERSION {
            return Err(ServerError::NewerSchema { found, known: entente_store::SCHEMA_VERSION });
        }
        // A store from before migration 4 has no text index; being read-only, the server
        // cannot add it, so it searches the old, slow way until a writer migrates the store.
        let has_event_text = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('sentence_text', 'event_body', 'evidence_sentences')",
            [],
            |r| r.get::<_, i64>(0),
        )? == 3;
        let inner = Inner {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![conn]),
            permits: Arc::new(Semaphore::new(limits.readers.max(1))),
            waiting: AtomicUsize::new(0),
            queue: limits.queue,
            queue_wait: limits.queue_wait,
            has_event_text,
        };
        Ok(Pool { inner: Arc::new(inner) })
    }

    /// Whether the store has the free-text indexes `sentence_text` and `event_body` (schema 4
    /// and later).
    pub fn has_event_text(&self) -> bool {
        self.inner.has_event_text
    }

    /// A connection, waiting in the bounded queue if none is free; `Busy` when the queue is
    /// full or the wait runs out.
    pub async fn lease(&self) -> Result<Lease, ReadError> {
        let permit = match self.inner.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => self.queued().await?,
        };
        let taken = self.inner.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
        let conn = match taken {
            Some(c) => c,
            // Opening is a few file operations; cheap enough to do here, once per slot.
            None => connect(&self.inner.path)?,
        };
        Ok(Lease { conn: Some(conn), pool: self.inner.clone(), _permit: permit })
    }

    async fn queued(&self) -> Result<OwnedSemaphorePermit, ReadError> {
        let inner = &self.inner;
        if inner.waiting.fetch_add(1, Ordering::AcqRel) >= inner.queue {
            inner.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(ReadError::Busy);
        }
        let permit = tokio::time::timeout(inner.queue_wait, inner.permits.clone().acquire_owned()).await;
        inner.waiting.fetch_sub(1, Ordering::AcqRel);
        match permit {
            Ok(Ok(p)) => Ok(p),
            _ => Err(ReadError::Busy),
        }
    }

    /// Runs `f` on a leased connection on a blocking thread, interrupting it at `deadline`
    /// (if any) or when the returned future is dropped.
    pub async fn run<T: Send + 'static>(
        &self,
        deadline: Option<Duration>,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, ReadError> {
        let lease = self.lease().await?;
        let guard = Interrupter::new(lease.get_interrupt_handle());
        let running = guard.running.clone();
        let task = tokio::task::spawn_blocking(move || {
            let out = f(&lease);
            // Under the lock, so an interrupt can never reach the next query on this connection.
            *running.lock().unwrap_or_else(|e| e.into_inner()) = false;
            drop(lease);
            out
        });
        let joined = match deadline {
            Some(limit) => match tokio::time::timeout(limit, task).await {
                Ok(joined) => joined,
                Err(_) => return Err(ReadError::Timeout(limit)),
            },
            None => task.await,
        };
        guard.disarm();
        joined.map_err(|e| ReadError::Task(e.to_string()))?.map_err(ReadError::from)
    }
}

/// Interrupts the connection's query when dropped, unless disarmed or the query is done.
struct Interrupter {
    handle: InterruptHandle,
    running: Arc<Mutex<bool>>,
    armed: bool,
}

impl Interrupter {
    fn new(handle: InterruptHandle) -> Self {
        Interrupter { handle, running: Arc::new(Mutex::new(true)), armed: true }
    }

    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for Interrupter {
    fn drop(&mut self) {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if self.armed && *running {
            self.handle.interrupt();
        }
    }
}

fn connect(path: &Path) -> Result<Connection, ServerError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|source| ServerError::Open { path: path.display().to_string(), source })?;
    // A writer (ingest) may hold the lock briefly; wait instead of failing the request, but
    // less than a query's deadline.
    conn.busy_timeout(Duration::from_secs(2))?;
    Ok(conn)
}
