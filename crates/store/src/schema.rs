//! The versioned schema. Each migration runs once, in its own transaction, and bumps
//! `PRAGMA user_version`; a store written by a newer Entente is refused, never altered.

use crate::StoreError;
use rusqlite::Connection;

/// Migration `i` takes the schema from version `i` to `i + 1`. Append only: never edit one
/// that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: documents and their sentence and date layers; facts with their evidence.
    r#"
    CREATE TABLE documents (
        seq            INTEGER PRIMARY KEY,
        id             TEXT NOT NULL UNIQUE,
        content_hash   TEXT NOT NULL UNIQUE,
        title          TEXT,
        url            TEXT,
        source_path    TEXT NOT NULL,
        author         TEXT,
        language       TEXT,
        published      TEXT,
        published_from TEXT,
        date           TEXT,
        date_source    TEXT NOT NULL,
        date_reason    TEXT NOT NULL,
        printed_date   TEXT,
        period_start   TEXT,
        period_end     TEXT,
        text           TEXT NOT NULL,
        word_count     INTEGER NOT NULL,
        ingested_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE sentences (
        doc   INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
        idx   INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end   INTEGER NOT NULL,
        PRIMARY KEY (doc, idx)
    ) WITHOUT ROWID;
    CREATE TABLE text_dates (
        doc   INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end   INTEGER NOT NULL,
        date  TEXT NOT NULL,
        rule  TEXT NOT NULL,
        PRIMARY KEY (doc, start, date)
    ) WITHOUT ROWID;
    CREATE TABLE mentions (
        doc      INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
        sentence INTEGER NOT NULL,
        start    INTEGER NOT NULL,
        end      INTEGER NOT NULL,
        actor    TEXT NOT NULL,
        rule     TEXT NOT NULL,
        PRIMARY KEY (doc, start, end, actor)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_by_actor ON mentions(actor);
    CREATE TABLE facts (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        body       TEXT NOT NULL CHECK (json_valid(body)),
        confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1)
    );
    CREATE INDEX facts_by_kind ON facts(kind);
    CREATE TABLE evidence (
        fact     TEXT NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
        doc      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL,
        start    INTEGER NOT NULL,
        end      INTEGER NOT NULL,
        rule     TEXT NOT NULL,
        PRIMARY KEY (fact, doc, start, end, rule)
    ) WITHOUT ROWID;
    CREATE INDEX evidence_by_doc ON evidence(doc);
    "#,
    // 2: how far each large source file (WARC) has been read, so a run can resume.
    r#"
    CREATE TABLE source_files (
        path        TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        pages_done  INTEGER NOT NULL,
        complete    INTEGER NOT NULL CHECK (complete IN (0, 1))
    );
    "#,
    // 3: sentence-level event codings become `event_mention` facts; `event` facts are the
    // merged events built from them (entente-graph). `event_keys` says which merge group a
    // mention belongs to and whether that group must be merged again; `event_members` says
    // which mentions a merged event was built from.
    r#"
    UPDATE facts SET kind = 'event_mention' WHERE kind = 'event';
    CREATE TABLE event_keys (
        mention TEXT PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
        key     TEXT,
        pending INTEGER NOT NULL CHECK (pending IN (0, 1))
    );
    CREATE INDEX event_keys_by_key ON event_keys(key);
    CREATE INDEX event_keys_pending ON event_keys(pending) WHERE pending = 1;
    INSERT INTO event_keys (mention, key, pending) SELECT id, NULL, 1 FROM facts WHERE kind = 'event_mention';
    CREATE TABLE event_members (
        event   TEXT NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
        mention TEXT NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
        PRIMARY KEY (event, mention)
    ) WITHOUT ROWID;
    CREATE INDEX event_members_by_mention ON event_members(mention);
    -- Bumped by every committed batch, so readers (the server's caches) can tell the store
    -- changed even when merging replaced facts without moving any rowid.
    CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
    INSERT INTO revision (id, value) VALUES (1, 0);
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema { found: current, known: SCHEMA_VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
