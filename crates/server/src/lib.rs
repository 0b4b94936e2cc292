//! The read-only HTTP server over an Entente store: a JSON API under `/api`, an OpenAPI
//! description at `/openapi.json`, and the graph page (built in `web/`, embedded here).
//!
//! **Invariants:** the store is opened read-only (`SQLITE_OPEN_READ_ONLY`), so the server can
//! never change it; user input only ever reaches SQL as bound parameters; static files come
//! from a table compiled into the binary, so no request can reach the file system.
//!
//! The actor and event endpoints answer from an in-memory catalog rebuilt when the store's
//! revision moves (`catalog`); the rest read SQLite on blocking threads. `/openapi.json` is
//! generated from the handlers' annotations as the router registers them.
//!
//! Every resource a client can make the server hold is bounded ([`Limits`]): connections,
//! header and body read time, connection age, SQLite connections and the queue for them
//! (503 with `Retry-After` beyond it), and query time (a query past it is interrupted).

mod api;
pub mod assets;
mod catalog;
mod changes;
mod openapi;
mod pg_queries;
mod pool;
pub mod queries;
mod view;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub use pool::{Db, DbError, Lease, Pool, ReadError};

/// The largest request body accepted (the API only reads, so bodies are not expected).
pub const BODY_LIMIT: usize = 64 * 1024;
/// How long one request may take before it is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What one client, or many, may hold of the server. Every wait is bounded, so a flood or a
/// slow client costs a bounded amount of memory, threads and open files, and the server is
/// itself again within seconds of the flood's end.
#[derive(Clone, Debug)]
pub struct Limits {
    /// A request's header must arrive within this (slowloris); also how long an idle
    /// keep-alive connection is kept.
    pub header_read: Duration,
    /// A request's body must arrive within this.
    pub body_read: Duration,
    /// After this, a connection is closed once its current request is answered, so no
    /// trickling client holds a slot for ever.
    pub connection_age: Duration,
    /// Connections open at once; more wait in the listen backlog.
    pub connections: usize,
    /// SQLite connections, so SQL queries running at once.
    pub readers: usize,
    /// Requests that may wait for a SQLite connection; more are answered 503 at once.
    pub queue: usize,
    /// How long one of them waits before it is answered 503.
    pub queue_wait: Duration,
    /// A SQL query running longer is interrupted and answered 503.
    pub query: Duration,
    /// A request taking longer is answered 408 (and its query interrupted). A change
    /// stream's head is sent at once, so this does not cut streams short.
    pub request: Duration,
    /// Change streams (`/api/changes`) open at once; more are answered 503.
    pub streams: usize,
    /// A change stream ends after this and the browser reconnects, so none holds its
    /// connection for ever (keep it under `connection_age`).
    pub stream_age: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(10),
            connection_age: Duration::from_secs(120),
            connections: 1024,
            readers: 8,
            queue: 64,
            queue_wait: Duration::from_secs(2),
            query: Duration::from_secs(5),
            request: REQUEST_TIMEOUT,
            streams: 64,
            stream_age: Duration::from_secs(60),
        }
    }
}

/// A connection past its age gets this long to finish its request before it is dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, Error)]
pub enum ServerError {
    #[error("cannot open store {path} read-only: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("the store has schema version {found}, newer than this build knows ({known}); use a newer entente")]
    NewerSchema { found: i64, known: i64 },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database error: {}", .0.as_db_error().map_or_else(|| .0.to_string(), |e| e.to_string()))]
    Postgres(#[from] postgres::Error),
    #[error("cannot connect to {url}: {source}")]
    Connect { url: String, source: postgres::Error },
    #[error(transparent)]
    Store(#[from] entente_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// The application: every route, with the default limits.
pub fn router(db: &Path) -> Result<Router, ServerError> {
    let limits = Limits::default();
    Ok(api::routes(Pool::open(db, &limits)?, &limits))
}

/// The pool for a store location: an SQLite file or a PostgreSQL URL (connecting blocks:
/// call this off the async workers, or before the runtime starts).
pub fn pool_for(location: &entente_store::Location, limits: &Limits) -> Result<Pool, ServerError> {
    match location {
        entente_store::Location::Sqlite(path) => Pool::open(path, limits),
        entente_store::Location::Postgres(url) => Pool::connect(url, limits),
    }
}

/// Binds `addr` (use `127.0.0.1:0` for an ephemeral port) and returns the bound address and
/// the future that serves until it fails; the caller decides what to print and when to stop.
pub async fn bind(
    db: &Path,
    addr: SocketAddr,
) -> Result<(SocketAddr, impl Future<Output = Result<(), ServerError>> + Send + use<>), ServerError> {
    let limits = Limits::default();
    bind_with(Pool::open(db, &limits)?, addr, limits).await
}

/// As [`bind`], over a pool the caller opened, with the given limits.
pub async fn bind_with(
    pool: Pool,
    addr: SocketAddr,
    limits: Limits,
) -> Result<(SocketAddr, impl Future<Output = Result<(), ServerError>> + Send + use<>), ServerError> {
    let app = api::routes(pool, &limits);
    let listener = TcpListener::bind(addr).await.map_err(|source| ServerError::Bind { addr, source })?;
    let bound = listener.local_addr()?;
    Ok((bound, accept_loop(listener, app, limits)))
}

/// Serves the store at `db` on `addr` until the server fails.
pub async fn serve(db: &Path, addr: SocketAddr) -> Result<(), ServerError> {
    let (_, served) = bind(db, addr).await?;
    served.await
}

/// Accepts connections while fewer than `limits.connections` are open. Accept errors (out
/// of file descriptors, a client gone before accept) are waited out, never fatal.
async fn accept_loop(listener: TcpListener, app: Router, limits: Limits) -> Result<(), ServerError> {
    let slots = Arc::new(Semaphore::new(limits.connections.max(1)));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(connection(stream, app.clone(), limits.clone(), slot));
            }
            Err(e) if is_per_connection(&e) => {}
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset)
}

/// One HTTP/1 connection: headers within `header_read`, closed after `connection_age`.
async fn connection(stream: TcpStream, app: Router, limits: Limits, _slot: OwnedSemaphorePermit) {
    let _ = stream.set_nodelay(true);
    let served = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    tokio::pin!(served);
    tokio::select! {
        _ = served.as_mut() => return,
        _ = tokio::time::sleep(limits.connection_age) => served.as_mut().graceful_shutdown(),
    }
    let _ = tokio::time::timeout(CLOSE_GRACE, served).await;
}
