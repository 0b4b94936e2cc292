//! A small pool of read-only SQLite connections used from blocking threads.

use crate::ServerError;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Connections kept for reuse; more may be opened under load, only this many are kept.
pub(crate) const KEEP: usize = 8;

pub struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Pool {
    /// Opens the store read-only and checks that this build understands its schema.
    pub fn open(path: &Path) -> Result<Pool, ServerError> {
        let pool = Pool { path: path.to_path_buf(), idle: Mutex::new(Vec::new()) };
        let conn = pool.connect()?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > entente_store::SCHEMA_VERSION {
            return Err(ServerError::NewerSchema { found, known: entente_store::SCHEMA_VERSION });
        }
        pool.put(conn);
        Ok(pool)
    }

    fn connect(&self) -> Result<Connection, ServerError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)
            .map_err(|source| ServerError::Open { path: self.path.display().to_string(), source })?;
        // A writer (ingest) may hold the lock briefly; wait instead of failing the request.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(conn)
    }

    /// Runs `f` on a pooled connection.
    pub fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T, rusqlite::Error>) -> Result<T, ServerError> {
        let taken = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
        let conn = match taken {
            Some(c) => c,
            None => self.connect()?,
        };
        let out = f(&conn);
        self.put(conn);
        Ok(out?)
    }

    fn put(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEEP
        {
            idle.push(conn);
        }
    }
}
