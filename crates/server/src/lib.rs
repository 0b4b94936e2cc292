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

mod api;
pub mod assets;
mod catalog;
mod graph;
mod openapi;
mod pool;
pub mod queries;

use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use thiserror::Error;

pub use pool::Pool;

/// The largest request body accepted (the API only reads, so bodies are not expected).
pub const BODY_LIMIT: usize = 64 * 1024;
/// How long one request may take before it is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Error)]
pub enum ServerError {
    #[error("cannot open store {path} read-only: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("the store has schema version {found}, newer than this build knows ({known}); use a newer entente")]
    NewerSchema { found: i64, known: i64 },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// The application: every route, with the body limit and the request timeout applied.
pub fn router(db: &Path) -> Result<Router, ServerError> {
    Ok(api::routes(Pool::open(db)?))
}

/// Binds `addr` (use `127.0.0.1:0` for an ephemeral port) and returns the bound address and
/// the future that serves until it fails; the caller decides what to print and when to stop.
pub async fn bind(
    db: &Path,
    addr: SocketAddr,
) -> Result<(SocketAddr, impl Future<Output = Result<(), ServerError>> + Send + use<>), ServerError> {
    let app = router(db)?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServerError::Bind { addr, source })?;
    let bound = listener.local_addr()?;
    let served = async move {
        axum::serve(listener, app).await?;
        Ok(())
    };
    Ok((bound, served))
}

/// Serves the store at `db` on `addr` until the server fails.
pub async fn serve(db: &Path, addr: SocketAddr) -> Result<(), ServerError> {
    let (_, served) = bind(db, addr).await?;
    served.await
}
