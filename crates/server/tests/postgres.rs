//! The pool over a PostgreSQL store (a throwaway cluster; SKIPPED without PostgreSQL
//! binaries, a failure in CI): sessions are read-only, and a query past its deadline, or
//! whose request went away, is cancelled and its session not reused, so the pool's only
//! connection is free again at once.

use entente_server::{Db, DbError, Limits, Pool, ReadError};
use entente_testdata::postgres::PgServer;
use std::time::{Duration, Instant};

fn sql(db: &mut Db, query: &'static str) -> Result<i64, DbError> {
    match db {
        Db::Postgres(c) => Ok(c.query_one(query, &[])?.get(0)),
        Db::Sqlite(_) => panic!("a PostgreSQL pool lent an SQLite connection"),
    }
}

#[test]
fn postgres_reads_stop_at_their_deadline_and_cannot_write() {
    let Some(server) = PgServer::start_or_skip("postgres_reads_stop_at_their_deadline_and_cannot_write") else {
        return;
    };
    let url = server.database();
    drop(entente_store::Store::connect(&url).unwrap());
    // A statement_timeout far past the sleep: only the cancel can end it in time.
    let limits = Limits {
        readers: 1,
        queue: 1,
        queue_wait: Duration::from_secs(20),
        query: Duration::from_secs(60),
        ..Limits::default()
    };
    // Connecting blocks: before the runtime, as `entente serve` does.
    let pool = Pool::connect(&url, &limits).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async move {
        let one = |db: &mut Db| sql(db, "SELECT 1::bigint");
        let sleep = |db: &mut Db| sql(db, "SELECT pg_sleep(30)::text::bigint");
        let started = Instant::now();
        let out = pool.read(Some(Duration::from_millis(300)), sleep).await;
        assert!(matches!(out, Err(ReadError::Timeout(_))), "{out:?}");
        // The only connection is free again at once: the cancelled session is closed, so
        // this read waits for a new one, not for the 30 s sleep.
        assert_eq!(pool.read(Some(Duration::from_secs(20)), one).await.unwrap(), 1);
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        // A request dropped mid-query cancels it too.
        let dropped = tokio::time::timeout(Duration::from_millis(300), pool.read(None, sleep)).await;
        assert!(dropped.is_err());
        assert_eq!(pool.read(Some(Duration::from_secs(20)), one).await.unwrap(), 1);
        assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());
        // Read-only sessions: a write is refused by the server.
        let write = pool
            .read(None, |db: &mut Db| sql(db, "WITH d AS (DELETE FROM facts RETURNING 1) SELECT count(*) FROM d"))
            .await;
        let message = format!("{:?}", write.unwrap_err());
        assert!(message.contains("read-only"), "{message}");
        let sqlite_read =
            pool.run(None, |c: &rusqlite::Connection| c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0)));
        assert!(matches!(sqlite_read.await, Err(ReadError::SqliteOnly)));
        // The revision, as the change stream and the catalog read it.
        assert_eq!(pool.read(None, |db: &mut Db| db.revision()).await.unwrap(), 0);
        // Dropped where async tasks run, as a server's pool is with its runtime: its sessions
        // close without blocking this thread (the client's own close used to panic here).
        drop(pool);
    });
}
