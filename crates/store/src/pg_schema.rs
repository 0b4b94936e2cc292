//! The PostgreSQL schema: the same versioned migrations as [`crate::schema`]'s, one for one,
//! so a store at version N holds the same tables whichever the backend. The version lives in
//! `entente_schema` (PostgreSQL has no `user_version`); each migration runs in its own
//! transaction under an advisory lock, so two processes opening a fresh database at once
//! migrate it once.
//!
//! Differences from the SQLite schema, and why:
//! - every text column is `COLLATE "C"`: SQLite compares text as bytes, and the exports order
//!   by text keys (fact ids, rules, actors); under the database's default collation
//!   (`en_US.UTF-8`, say) PostgreSQL would order `"a-b"` and `"a_b"`, or upper and lower case,
//!   otherwise, and the two exports would differ. Byte order of UTF-8 is code point order.
//! - `documents.seq` is a `BIGSERIAL` (SQLite's rowid alias): the order documents were stored.
//! - `end` is a reserved word here, so it is quoted.
//! - the free-text indexes of migration 4 (FTS5 `sentence_text`, `event_body`) and
//!   `evidence_sentences` serve only the server's `/api/events?q=`; the server does not read
//!   PostgreSQL yet, so they are not made here (a later migration adds a `pg_trgm` index and
//!   backfills it, as migration 4 backfilled SQLite's). Migration 6 tunes FTS5 and is empty.

use crate::StoreError;
use postgres::Client;

/// Taken by migrations, so only one process migrates at a time.
const MIGRATION_LOCK: i64 = 0x656e_7465_6e74_6500;

/// Migration `i` takes the schema from version `i` to `i + 1`, as in [`crate::schema`].
const MIGRATIONS: &[&str] = &[
    // 1: documents and their sentence and date layers; facts with their evidence.
    r#"
    CREATE TABLE documents (
        seq            BIGSERIAL PRIMARY KEY,
        id             TEXT COLLATE "C" NOT NULL UNIQUE,
        content_hash   TEXT COLLATE "C" NOT NULL UNIQUE,
        title          TEXT COLLATE "C",
        url            TEXT COLLATE "C",
        source_path    TEXT COLLATE "C" NOT NULL,
        author         TEXT COLLATE "C",
        language       TEXT COLLATE "C",
        published      TEXT COLLATE "C",
        published_from TEXT COLLATE "C",
        date           TEXT COLLATE "C",
        date_source    TEXT COLLATE "C" NOT NULL,
        date_reason    TEXT COLLATE "C" NOT NULL,
        printed_date   TEXT COLLATE "C",
        period_start   TEXT COLLATE "C",
        period_end     TEXT COLLATE "C",
        text           TEXT COLLATE "C" NOT NULL,
        word_count     BIGINT NOT NULL,
        ingested_at    TEXT COLLATE "C" NOT NULL
                       DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    );
    CREATE TABLE sentences (
        doc   BIGINT NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
        idx   BIGINT NOT NULL,
        start BIGINT NOT NULL,
        "end" BIGINT NOT NULL,
        PRIMARY KEY (doc, idx)
    );
    CREATE TABLE text_dates (
        doc   BIGINT NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
        start BIGINT NOT NULL,
        "end" BIGINT NOT NULL,
        date  TEXT COLLATE "C" NOT NULL,
        rule  TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (doc, start, date)
    );
    CREATE TABLE mentions (
        doc      BIGINT NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
        sentence BIGINT NOT NULL,
        start    BIGINT NOT NULL,
        "end"    BIGINT NOT NULL,
        actor    TEXT COLLATE "C" NOT NULL,
        rule     TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (doc, start, "end", actor)
    );
    CREATE INDEX mentions_by_actor ON mentions(actor);
    -- The body stays text, not jsonb: the export writes it back byte for byte. The cast
    -- refuses what is not JSON, as SQLite's json_valid does.
    CREATE TABLE facts (
        id         TEXT COLLATE "C" PRIMARY KEY,
        kind       TEXT COLLATE "C" NOT NULL,
        body       TEXT COLLATE "C" NOT NULL CHECK (body::json IS NOT NULL),
        confidence DOUBLE PRECISION NOT NULL CHECK (confidence BETWEEN 0 AND 1)
    );
    -- (kind, id): a kind's facts in id order, read page by page by the exports.
    CREATE INDEX facts_by_kind ON facts(kind, id);
    CREATE TABLE evidence (
        fact     TEXT COLLATE "C" NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
        doc      TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence BIGINT NOT NULL,
        start    BIGINT NOT NULL,
        "end"    BIGINT NOT NULL,
        rule     TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (fact, doc, start, "end", rule)
    );
    CREATE INDEX evidence_by_doc ON evidence(doc);
    "#,
    // 2: how far each large source file (WARC) has been read, so a run can resume.
    r#"
    CREATE TABLE source_files (
        path        TEXT COLLATE "C" PRIMARY KEY,
        fingerprint TEXT COLLATE "C" NOT NULL,
        pages_done  BIGINT NOT NULL,
        complete    BOOLEAN NOT NULL
    );
    "#,
    // 3: merge bookkeeping for events (see the SQLite migration 3) and the store's revision.
    r#"
    UPDATE facts SET kind = 'event_mention' WHERE kind = 'event';
    CREATE TABLE event_keys (
        mention TEXT COLLATE "C" PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
        key     TEXT COLLATE "C",
        pending BOOLEAN NOT NULL
    );
    CREATE INDEX event_keys_by_key ON event_keys(key);
    CREATE INDEX event_keys_pending ON event_keys(pending) WHERE pending;
    INSERT INTO event_keys (mention, key, pending) SELECT id, NULL, TRUE FROM facts WHERE kind = 'event_mention';
    CREATE TABLE event_members (
        event   TEXT COLLATE "C" NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
        mention TEXT COLLATE "C" NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
        PRIMARY KEY (event, mention)
    );
    CREATE INDEX event_members_by_mention ON event_members(mention);
    CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);
    INSERT INTO revision (id, value) VALUES (1, 0);
    "#,
    // 4: the evidence index by (doc, sentence), as in SQLite. The free-text indexes are the
    // server's, not made yet (see the module's comment).
    r#"
    DROP INDEX evidence_by_doc;
    CREATE INDEX evidence_by_sentence ON evidence(doc, sentence);
    "#,
    // 5: what `entente watch` knows of feeds and pages.
    r#"
    CREATE TABLE watched_feeds (
        url           TEXT COLLATE "C" PRIMARY KEY,
        etag          TEXT COLLATE "C",
        last_modified TEXT COLLATE "C",
        next_poll     BIGINT NOT NULL,
        last_polled   BIGINT,
        ttl           BIGINT,
        failures      BIGINT NOT NULL DEFAULT 0,
        last_status   TEXT COLLATE "C" NOT NULL DEFAULT ''
    );
    CREATE TABLE watched_pages (
        url        TEXT COLLATE "C" PRIMARY KEY,
        feed       TEXT COLLATE "C" NOT NULL,
        first_seen BIGINT NOT NULL,
        attempts   BIGINT NOT NULL,
        outcome    TEXT COLLATE "C" NOT NULL,
        detail     TEXT COLLATE "C" NOT NULL DEFAULT '',
        document   TEXT COLLATE "C"
    );
    "#,
    // 6: SQLite's tunes FTS5's merging; nothing here.
    "",
];

// One migration here for each of SQLite's: the versions mean the same schema.
const _: () = assert!(MIGRATIONS.len() as i64 == crate::SCHEMA_VERSION);

/// The schema version of the database (0 when Entente never wrote to it).
pub(crate) fn version(client: &mut Client) -> Result<i64, StoreError> {
    let exists: bool = client.query_one("SELECT to_regclass('entente_schema') IS NOT NULL", &[])?.get(0);
    if !exists {
        return Ok(0);
    }
    Ok(client.query_one("SELECT version FROM entente_schema", &[])?.get(0))
}

pub(crate) fn migrate(client: &mut Client) -> Result<(), StoreError> {
    loop {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS entente_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
             INSERT INTO entente_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;",
        )?;
        let current: i64 = tx.query_one("SELECT version FROM entente_schema", &[])?.get(0);
        if current > crate::SCHEMA_VERSION {
            return Err(StoreError::NewerSchema { found: current, known: crate::SCHEMA_VERSION });
        }
        if current == crate::SCHEMA_VERSION {
            return Ok(tx.commit()?);
        }
        tx.batch_execute(MIGRATIONS[current as usize])?;
        tx.execute("UPDATE entente_schema SET version = $1", &[&(current + 1)])?;
        tx.commit()?;
    }
}
