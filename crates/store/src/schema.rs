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
    // 4: free-text indexes for `/api/events?q=`, both FTS5 trigram (a case-insensitive
    // substring, as the old scan matched) and contentless (the text already lives in
    // `documents` and `facts`; only the index is stored):
    // - `sentence_text`: every sentence's text, under `sentence_key(doc seq, idx)`. Filled in
    //   Rust by `Batch::insert_document`, which has the text in memory, so a document costs
    //   one index insert per sentence, O(its size), and evidence writes cost nothing here;
    //   existing documents are indexed by `backfill_sentence_text` after this SQL. `q`
    //   matches an event through the sentences its evidence lies in.
    // - `event_body`: each `event` fact's body under the fact's rowid, kept by triggers
    //   (bodies are small).
    // - `evidence_sentences`: which facts have evidence in which sentence, by the same key,
    //   so a matching sentence finds its facts in one lookup (half the time of a join through
    //   `documents` and `evidence`). Kept by triggers, O(1) index work per evidence row.
    // `evidence(doc, sentence)` serves the evidence-delete trigger and every query
    // `evidence(doc)` served, so it replaces that index.
    r#"
    CREATE VIRTUAL TABLE sentence_text USING fts5(text, tokenize = 'trigram', content = '', contentless_delete = 1);
    CREATE VIRTUAL TABLE event_body USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
    DROP INDEX evidence_by_doc;
    CREATE INDEX evidence_by_sentence ON evidence(doc, sentence);
    INSERT INTO event_body (rowid, body) SELECT rowid, body FROM facts WHERE kind = 'event';
    CREATE TRIGGER event_body_insert AFTER INSERT ON facts WHEN new.kind = 'event' BEGIN
        INSERT INTO event_body (rowid, body) VALUES (new.rowid, new.body);
    END;
    CREATE TRIGGER event_body_delete AFTER DELETE ON facts WHEN old.kind = 'event' BEGIN
        DELETE FROM event_body WHERE rowid = old.rowid;
    END;
    CREATE TRIGGER event_body_update AFTER UPDATE OF kind, body ON facts WHEN old.kind = 'event' OR new.kind = 'event' BEGIN
        DELETE FROM event_body WHERE rowid = old.rowid AND old.kind = 'event';
        INSERT INTO event_body (rowid, body) SELECT new.rowid, new.body WHERE new.kind = 'event';
    END;
    CREATE TABLE evidence_sentences (
        sentence INTEGER NOT NULL,
        fact     TEXT NOT NULL,
        PRIMARY KEY (sentence, fact)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO evidence_sentences (sentence, fact)
        SELECT d.seq * 4294967296 + e.sentence, e.fact FROM evidence e JOIN documents d ON d.id = e.doc;
    CREATE TRIGGER evidence_sentences_insert AFTER INSERT ON evidence BEGIN
        INSERT OR IGNORE INTO evidence_sentences (sentence, fact)
            SELECT d.seq * 4294967296 + new.sentence, new.fact FROM documents d WHERE d.id = new.doc;
    END;
    -- The pair leaves with the last evidence row of that fact in that sentence.
    CREATE TRIGGER evidence_sentences_delete AFTER DELETE ON evidence BEGIN
        DELETE FROM evidence_sentences
        WHERE fact = old.fact
          AND sentence = (SELECT d.seq * 4294967296 + old.sentence FROM documents d WHERE d.id = old.doc)
          AND NOT EXISTS (SELECT 1 FROM evidence e INDEXED BY evidence_by_sentence
                          WHERE e.doc = old.doc AND e.sentence = old.sentence AND e.fact = old.fact);
    END;
    -- A document's sentence keys are one range: its rows leave with it (its evidence goes by
    -- cascade, when the document can no longer be looked up).
    CREATE TRIGGER sentence_text_document_delete AFTER DELETE ON documents BEGIN
        DELETE FROM sentence_text WHERE rowid BETWEEN old.seq * 4294967296 AND old.seq * 4294967296 + 4294967295;
        DELETE FROM evidence_sentences WHERE sentence BETWEEN old.seq * 4294967296 AND old.seq * 4294967296 + 4294967295;
    END;
    "#,
    // 5: what `entente watch` knows of the feeds it polls and the pages it has seen, so a
    // restarted watch asks only for what changed (ETag, Last-Modified), keeps each feed's
    // back-off, and fetches no page twice. A page is keyed by its URL, whichever feed named it.
    r#"
    CREATE TABLE watched_feeds (
        url           TEXT PRIMARY KEY,
        etag          TEXT,
        last_modified TEXT,
        -- Unix seconds: when it was last asked, and when it is due after failures (a feed
        -- that is well is due its interval after the last poll, whatever the interval now).
        next_poll     INTEGER NOT NULL,
        last_polled   INTEGER,
        -- The feed's own <ttl>, in seconds: it asks readers not to come back sooner.
        ttl           INTEGER,
        -- Polls that failed in a row (the back-off grows with them), and what the last said.
        failures      INTEGER NOT NULL DEFAULT 0,
        last_status   TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID;
    CREATE TABLE watched_pages (
        url        TEXT PRIMARY KEY,
        feed       TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        attempts   INTEGER NOT NULL,
        -- 'stored', 'duplicate', 'refused' (robots.txt) or 'failed'; the document when there is one.
        outcome    TEXT NOT NULL,
        detail     TEXT NOT NULL DEFAULT '',
        document   TEXT
    ) WITHOUT ROWID;
    "#,
    // 6: how `sentence_text` merges its index segments, for bulk ingest. With FTS5's defaults
    // (merge 4 segments of a level into the next; flush the terms held in memory past 1 MiB,
    // mid-batch for a batch of long pages) the writer thread spent two thirds of its time
    // rewriting the same postings level after level, and the writer is the one part of a
    // parallel ingest that cannot be shared. Merging 16 at a time halves the levels a posting
    // passes through and an 8 MiB hash flushes a batch whole: the writer's CPU time on 3,000
    // pages fell from 3.2 s to 2.2 s, while a `q=` search stays at 1-3 ms (a query reads at
    // most about 16 segments per level). FTS5 keeps both in its config table.
    r#"
    INSERT INTO sentence_text (sentence_text, rank) VALUES ('automerge', 16);
    INSERT INTO sentence_text (sentence_text, rank) VALUES ('hashsize', 8388608);
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The migration that creates `sentence_text`.
const SENTENCE_TEXT_VERSION: usize = 4;

/// Inserts one sentence into `sentence_text`; `stmt` is prepared from this.
pub(crate) const INSERT_SENTENCE_TEXT: &str = "INSERT INTO sentence_text (rowid, text) VALUES (?1, ?2)";

/// Where a batch gathers its sentences until it commits. FTS5 flushes the terms it holds in
/// memory into a new index segment at the start of every later statement of the transaction,
/// so indexing each sentence as its document is stored made one segment per sentence and
/// kept FTS5 merging them: most of the writer's time. Gathered here (a temporary table, in
/// the same transaction, so a rollback drops them too) and indexed by one statement at
/// commit, a batch makes one segment.
pub(crate) const CREATE_PENDING_SENTENCE_TEXT: &str =
    "CREATE TEMP TABLE IF NOT EXISTS pending_sentence_text (rowid INTEGER PRIMARY KEY, text TEXT NOT NULL)";
pub(crate) const STAGE_SENTENCE_TEXT: &str = "INSERT INTO temp.pending_sentence_text (rowid, text) VALUES (?1, ?2)";
///
/// Only sentences holding evidence are indexed: `q=` finds events through the sentences their
/// evidence lies in, so no other sentence can match anything, and most of a page's sentences
/// (navigation, quotes, background) hold none: on 20,000 synthetic pages 3% do, in the seed
/// articles 59%. A document's evidence is written in the batch that stores it (ingest writes
/// its facts right after it), and merged events cite their mentions' sentences, so every
/// sentence with evidence is indexed.
pub(crate) const INDEX_PENDING_SENTENCE_TEXT: &str = "INSERT INTO sentence_text (rowid, text)
     SELECT p.rowid, p.text FROM temp.pending_sentence_text p
     WHERE EXISTS (SELECT 1 FROM evidence_sentences es WHERE es.sentence = p.rowid)
     ORDER BY p.rowid;
     DELETE FROM temp.pending_sentence_text;";

/// The `sentence_text` rowid of sentence `idx` of the document stored as `seq`: a document's
/// sentences are one rowid range, and the key decodes with `>> 32` and `& 0xFFFFFFFF` in SQL.
/// A document has far fewer than 2^32 sentences (its text is at most a few tens of MB).
pub(crate) fn sentence_key(seq: i64, idx: i64) -> i64 {
    (seq << 32) | (idx & 0xFFFF_FFFF)
}

/// The text of the byte span `start..end` of `text`, clamped to it; a span that does not
/// fall on character boundaries is cut lossily rather than refused.
pub(crate) fn span_text(text: &str, start: i64, end: i64) -> std::borrow::Cow<'_, str> {
    let clamp = |x: i64| x.clamp(0, text.len() as i64) as usize;
    let (start, end) = (clamp(start), clamp(end));
    let end = end.max(start);
    match text.get(start..end) {
        Some(s) => s.into(),
        None => String::from_utf8_lossy(&text.as_bytes()[start..end]),
    }
}

/// Indexes the sentences of every stored document: each document's text is read once and
/// cut in memory, never per sentence in SQL (`substr` on a large text loads it whole).
fn backfill_sentence_text(conn: &Connection) -> Result<(), StoreError> {
    let mut docs = conn.prepare("SELECT seq, text FROM documents ORDER BY seq")?;
    let mut spans = conn.prepare("SELECT idx, start, end FROM sentences WHERE doc = ?1 ORDER BY idx")?;
    let mut insert = conn.prepare(INSERT_SENTENCE_TEXT)?;
    let mut rows = docs.query([])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let text: String = row.get(1)?;
        let mut sentences = spans.query([seq])?;
        while let Some(s) = sentences.next()? {
            let (idx, start, end): (i64, i64, i64) = (s.get(0)?, s.get(1)?, s.get(2)?);
            insert.execute(rusqlite::params![sentence_key(seq, idx), span_text(&text, start, end)])?;
        }
    }
    Ok(())
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema { found: current, known: SCHEMA_VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if i + 1 == SENTENCE_TEXT_VERSION {
            backfill_sentence_text(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // "Japan met NATO." sits after "Zürich: ", so byte offsets differ from character ones.
    const DOC: &str =
        "INSERT INTO documents (seq, id, content_hash, source_path, date_source, date_reason, text, word_count)
                       VALUES (7, 'd', 'h', 'd.txt', 'none', '', 'Zürich: Japan met NATO. Seoul replied.', 6)";
    const SENTENCES: &str = "INSERT INTO sentences VALUES (7, 0, 0, 24), (7, 1, 25, 39)";

    fn sentences(conn: &Connection, q: &str) -> Vec<i64> {
        let mut stmt =
            conn.prepare("SELECT rowid FROM sentence_text WHERE sentence_text MATCH ?1 ORDER BY rowid").unwrap();
        stmt.query_map([format!("\"{q}\"")], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    fn bodies(conn: &Connection, q: &str) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT f.id FROM event_body t JOIN facts f ON f.rowid = t.rowid WHERE event_body MATCH ?1 ORDER BY f.id")
            .unwrap();
        stmt.query_map([format!("\"{q}\"")], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    fn add_event(conn: &Connection, id: &str, body: &str) {
        conn.execute("INSERT INTO facts (id, kind, body, confidence) VALUES (?1, 'event', ?2, 0.5)", [id, body])
            .unwrap();
    }

    #[test]
    fn text_indexes_are_backfilled_and_follow_writes() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for (i, sql) in MIGRATIONS.iter().take(3).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", (i + 1) as i64).unwrap();
        }
        conn.execute(DOC, []).unwrap();
        conn.execute(SENTENCES, []).unwrap();
        add_event(&conn, "old", r#"{"plover":"CONSULT"}"#);
        conn.execute("INSERT INTO evidence VALUES ('old', 'd', 1, 25, 38, 'r')", []).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(
            conn.query_row("SELECT sentence, fact FROM evidence_sentences", [], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap(),
            (sentence_key(7, 1), "old".to_string()),
            "evidence is backfilled by sentence key"
        );
        let (first, second) = (sentence_key(7, 0), sentence_key(7, 1));
        assert_eq!(sentences(&conn, "japan MET"), [first], "backfilled, cut by bytes, any case");
        assert_eq!(sentences(&conn, "zürich"), [first]);
        assert_eq!(sentences(&conn, "seoul replied"), [second]);
        assert!(sentences(&conn, "nato. seoul").is_empty(), "a sentence is indexed alone");
        assert_eq!(bodies(&conn, "consult"), ["old"], "event bodies are backfilled");
        add_event(&conn, "new", r#"{"plover":"AGREE"}"#);
        conn.execute("INSERT INTO facts VALUES ('m', 'event_mention', '{\"plover\":\"AGREE\"}', 0.5)", []).unwrap();
        assert_eq!(bodies(&conn, "agree"), ["new"], "new events are indexed, mentions are not");
        conn.execute("DELETE FROM facts WHERE id = 'old'", []).unwrap();
        assert!(bodies(&conn, "consult").is_empty(), "a deleted event leaves the index");
        conn.execute("UPDATE facts SET body = '{\"plover\":\"AID\"}' WHERE id = 'new'", []).unwrap();
        assert!(bodies(&conn, "agree").is_empty(), "an updated body is re-indexed");
        assert_eq!(bodies(&conn, "aid"), ["new"]);
        conn.execute("UPDATE facts SET kind = 'event' WHERE id = 'm'", []).unwrap();
        assert_eq!(bodies(&conn, "agree"), ["m"], "a fact becoming an event is indexed");
        conn.execute("UPDATE facts SET kind = 'event_mention' WHERE id = 'm'", []).unwrap();
        assert!(bodies(&conn, "agree").is_empty(), "and leaves when it stops being one");
        let pairs = |conn: &Connection| -> Vec<(i64, String)> {
            let mut stmt = conn.prepare("SELECT sentence, fact FROM evidence_sentences ORDER BY 1, 2").unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
        };
        let evidence = "INSERT INTO evidence VALUES (?1, 'd', ?2, ?3, ?4, 'r')";
        conn.execute(evidence, rusqlite::params!["new", 1, 25, 30]).unwrap();
        conn.execute(evidence, rusqlite::params!["new", 1, 31, 38]).unwrap();
        conn.execute(evidence, rusqlite::params!["m", 0, 9, 23]).unwrap();
        assert_eq!(pairs(&conn), [(first, "m".to_string()), (second, "new".to_string())]);
        conn.execute("DELETE FROM evidence WHERE fact = 'new' AND start = 25", []).unwrap();
        assert_eq!(pairs(&conn).len(), 2, "a pair stays while evidence in that sentence remains");
        conn.execute("DELETE FROM facts WHERE id = 'new'", []).unwrap();
        assert_eq!(pairs(&conn), [(first, "m".to_string())], "and leaves with the last");
        conn.execute("DELETE FROM documents WHERE seq = 7", []).unwrap();
        assert!(pairs(&conn).is_empty(), "a deleted document's pairs leave");
        assert!(sentences(&conn, "japan").is_empty(), "a deleted document's sentences leave the index");
        let mut explain =
            conn.prepare("EXPLAIN QUERY PLAN SELECT fact FROM evidence WHERE doc = 'd' AND sentence = 1").unwrap();
        let plan: Vec<String> = explain.query_map([], |r| r.get(3)).unwrap().map(Result::unwrap).collect();
        let plan = plan.join("; ");
        assert!(plan.contains("evidence_by_sentence"), "{plan}");
    }

    #[test]
    fn sentence_keys_and_spans() {
        assert_eq!(sentence_key(3, 5) >> 32, 3);
        assert_eq!(sentence_key(3, 5) & 0xFFFF_FFFF, 5);
        assert_eq!(span_text("Zürich", 0, 3), "Zü");
        assert_eq!(span_text("Zürich", 0, 2), "Z\u{FFFD}", "a cut inside a character is lossy, not an error");
        assert_eq!(span_text("abc", 2, 99), "c");
        assert_eq!(span_text("abc", 5, 1), "");
    }
}
