//! A bounded pool of read-only connections to the store: SQLite connections, or PostgreSQL
//! clients when the store is a PostgreSQL database. At most [`Limits::readers`] connections
//! exist; a request waits for one in a bounded queue (at most [`Limits::queue`] waiters, each
//! at most [`Limits::queue_wait`]) and is otherwise refused with [`ReadError::Busy`], so a
//! flood is shed at once instead of piling up threads, connections and open files.
//!
//! Queries run on tokio's blocking threads. A query still running when its deadline passes,
//! or when the request that asked for it goes away, is interrupted
//! (`sqlite3_interrupt`; PostgreSQL: a cancel request, and `statement_timeout` on the server as
//! a backstop), so its connection comes back to the pool within milliseconds instead of
//! finishing work nobody will read. PostgreSQL sessions are read-only
//! (`default_transaction_read_only`), as SQLite connections are opened read-only.

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
    /// [`Pool::run`] on a PostgreSQL store: its closures read SQLite.
    #[error("this read runs SQLite's SQL and the store is PostgreSQL")]
    SqliteOnly,
}

impl From<rusqlite::Error> for ReadError {
    fn from(e: rusqlite::Error) -> Self {
        ReadError::Server(ServerError::Sqlite(e))
    }
}

impl From<DbError> for ReadError {
    fn from(e: DbError) -> Self {
        ReadError::Server(match e {
            DbError::Sqlite(e) => ServerError::Sqlite(e),
            DbError::Postgres(e) => ServerError::Postgres(e),
        })
    }
}

/// A connection to the store, whichever its backend.
pub enum Db {
    Sqlite(Connection),
    Postgres(PgClient),
}

/// A PostgreSQL session of the pool. The client closes its session by blocking on a runtime
/// of its own, which panics on a thread that drives async tasks, where the server's pool is
/// dropped (with its runtime); there the session is closed on a thread of its own.
pub struct PgClient(Option<Box<postgres::Client>>);

impl PgClient {
    fn new(client: postgres::Client) -> Self {
        PgClient(Some(Box::new(client)))
    }
}

impl std::ops::Deref for PgClient {
    type Target = postgres::Client;
    fn deref(&self) -> &postgres::Client {
        self.0.as_deref().expect("a session is present until dropped")
    }
}

impl std::ops::DerefMut for PgClient {
    fn deref_mut(&mut self) -> &mut postgres::Client {
        self.0.as_deref_mut().expect("a session is present until dropped")
    }
}

impl Drop for PgClient {
    fn drop(&mut self) {
        if let Some(client) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            // Detached: nothing waits for a goodbye to the server.
            let _ = std::thread::Builder::new().name("pg-close".into()).spawn(move || drop(client));
        }
    }
}

/// An error of either backend.
#[derive(Debug, Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Postgres(#[from] postgres::Error),
}

/// Where the pool's connections go.
enum Source {
    Sqlite(PathBuf),
    Postgres(String),
}

/// What a query in flight is stopped with.
enum Stopper {
    Sqlite(InterruptHandle),
    Postgres(postgres::CancelToken),
}

/// The pool; clones share the same connections.
#[derive(Clone)]
pub struct Pool {
    inner: Arc<Inner>,
}

struct Inner {
    source: Source,
    /// PostgreSQL: the server-side limit of one statement (`Limits::query`).
    statement_timeout: Duration,
    idle: Mutex<Vec<Db>>,
    /// One permit per connection that may exist.
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
    queue_wait: Duration,
    has_event_text: bool,
}

/// A connection lent out with its permit; given back to the pool when dropped.
pub struct Lease {
    conn: Option<Db>,
    pool: Arc<Inner>,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for Lease {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.conn.as_ref().expect("a lease holds its connection until dropped")
    }
}

impl std::ops::DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut Db {
        self.conn.as_mut().expect("a lease holds its connection until dropped")
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
            source: Source::Sqlite(path.to_path_buf()),
            statement_timeout: limits.query,
            idle: Mutex::new(vec![Db::Sqlite(conn)]),
            permits: Arc::new(Semaphore::new(limits.readers.max(1))),
            waiting: AtomicUsize::new(0),
            queue: limits.queue,
            queue_wait: limits.queue_wait,
            has_event_text,
        };
        Ok(Pool { inner: Arc::new(inner) })
    }

    /// Connects to the PostgreSQL store at `url` (not from an async task: the client blocks)
    /// and checks that this build understands its schema.
    pub fn connect(url: &str, limits: &Limits) -> Result<Pool, ServerError> {
        let mut client = connect_postgres(url, limits.query)?;
        let found = entente_store::pg_schema_version(&mut client)?;
        if found > entente_store::SCHEMA_VERSION {
            return Err(ServerError::NewerSchema { found, known: entente_store::SCHEMA_VERSION });
        }
        let inner = Inner {
            source: Source::Postgres(url.to_string()),
            statement_timeout: limits.query,
            idle: Mutex::new(vec![Db::Postgres(PgClient::new(client))]),
            permits: Arc::new(Semaphore::new(limits.readers.max(1))),
            waiting: AtomicUsize::new(0),
            queue: limits.queue,
            queue_wait: limits.queue_wait,
            // `q` reads sentences by a scan there (see `queries`), with the indexes' meaning.
            has_event_text: true,
        };
        Ok(Pool { inner: Arc::new(inner) })
    }

    /// Whether `q` matches whole sentences, as the free-text indexes `sentence_text` and
    /// `event_body` do (SQLite schema 4 and later; PostgreSQL always).
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
        let conn = match (taken, &self.inner.source) {
            (Some(c), _) => c,
            // Opening is a few file operations; cheap enough to do here, once per slot.
            (None, Source::Sqlite(path)) => Db::Sqlite(connect(path)?),
            // The PostgreSQL client blocks (it runs its own runtime): off the async workers.
            (None, Source::Postgres(url)) => {
                let (url, timeout) = (url.clone(), self.inner.statement_timeout);
                let client = tokio::task::spawn_blocking(move || connect_postgres(&url, timeout))
                    .await
                    .map_err(|e| ReadError::Task(e.to_string()))??;
                Db::Postgres(PgClient::new(client))
            }
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

    /// Runs `f` on a leased SQLite connection on a blocking thread, interrupting it at
    /// `deadline` (if any) or when the returned future is dropped; an error on a PostgreSQL
    /// store (use [`Pool::read`]).
    pub async fn run<T: Send + 'static>(
        &self,
        deadline: Option<Duration>,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, ReadError> {
        if matches!(self.inner.source, Source::Postgres(_)) {
            return Err(ReadError::SqliteOnly);
        }
        self.read(deadline, move |db| match db {
            Db::Sqlite(conn) => Ok(f(conn)?),
            Db::Postgres(_) => unreachable!("a pool opened on an SQLite file lends SQLite connections"),
        })
        .await
    }

    /// Runs `f` on a leased connection (either backend) on a blocking thread, stopping it at
    /// `deadline` (if any) or when the returned future is dropped.
    pub async fn read<T: Send + 'static>(
        &self,
        deadline: Option<Duration>,
        f: impl FnOnce(&mut Db) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, ReadError> {
        let mut lease = self.lease().await?;
        let stopper = match &*lease {
            Db::Sqlite(conn) => Stopper::Sqlite(conn.get_interrupt_handle()),
            Db::Postgres(client) => Stopper::Postgres(client.cancel_token()),
        };
        let guard = Interrupter::new(stopper);
        let (running, cancelled) = (guard.running.clone(), guard.cancelled.clone());
        let task = tokio::task::spawn_blocking(move || {
            let out = f(&mut lease);
            // Under the lock, so an interrupt can never reach the next query on this connection.
            let mut running = running.lock().unwrap_or_else(|e| e.into_inner());
            *running = false;
            if cancelled.load(Ordering::Acquire) {
                // A PostgreSQL cancel request is on its way and may land on whatever this
                // connection runs next: the connection is closed, not given back.
                lease.conn = None;
            }
            drop(running);
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
    handle: Stopper,
    running: Arc<Mutex<bool>>,
    /// Set (under `running`'s lock) when a PostgreSQL cancel request was sent.
    cancelled: Arc<std::sync::atomic::AtomicBool>,
    armed: bool,
}

impl Interrupter {
    fn new(handle: Stopper) -> Self {
        Interrupter { handle, running: Arc::new(Mutex::new(true)), cancelled: Arc::default(), armed: true }
    }

    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for Interrupter {
    fn drop(&mut self) {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if self.armed && *running {
            match &self.handle {
                Stopper::Sqlite(handle) => handle.interrupt(),
                // The cancel request is a connection of its own, made by the blocking client:
                // on a thread of its own, as this runs on an async worker. It may arrive after
                // the query ended, so the connection is not reused (see `read`);
                // `statement_timeout` bounds the query should the request be lost.
                Stopper::Postgres(token) => {
                    self.cancelled.store(true, Ordering::Release);
                    let token = token.clone();
                    std::thread::spawn(move || token.cancel_query(postgres::NoTls));
                }
            }
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

/// A read-only PostgreSQL session whose statements stop after `timeout` on the server.
fn connect_postgres(url: &str, timeout: Duration) -> Result<postgres::Client, ServerError> {
    let mut client = postgres::Client::connect(url, postgres::NoTls)
        .map_err(|source| ServerError::Connect { url: entente_store::Location::parse(url).to_string(), source })?;
    client.batch_execute(&format!(
        "SET default_transaction_read_only = on; SET statement_timeout = {}",
        timeout.as_millis().max(1)
    ))?;
    Ok(client)
}
