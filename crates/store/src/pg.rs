//! The PostgreSQL backend: the same reads and writes as the SQLite one, in PostgreSQL's SQL.
//!
//! **Invariants:**
//! - every read that orders output orders by the same keys as SQLite's, and text keys compare
//!   as bytes (every text column is `COLLATE "C"`, see `pg_schema`), so the exports are byte
//!   for byte the same from either backend;
//! - a [`PgBatch`] takes the store's writer lock (`pg_advisory_xact_lock`) as its first
//!   statement and holds it until it commits or rolls back: writes of several processes
//!   (ingests, merges) never interleave. Inside the lock a batch sees every batch committed
//!   before it, so "is this text stored?", "is this id free?" and the event merge answer as
//!   they would in one process, and no two writers merge the same group at once. The unique
//!   index on `content_hash` stays the last word on duplicates;
//! - streaming reads fetch a page at a time by key (fact id, document seq), never the whole
//!   table, and hold no borrow of the connection while the caller's visitor runs (it may
//!   read the store too).
//!
//! Statements are prepared once per connection and kept (`Stmts`): a prepared statement is
//! one round trip per use, a fresh one two.

use crate::row::{self, ReadRow, to_usize};
use crate::{
    ActorMentions, DocumentSummary, EVENT_MENTION, Evidence, FactRecord, MentionRecord, MentionRow, MergedEvent,
    NewDocument, Stats, StoreError, Stored, add_mentions, free_id, pg_schema, stream::EvidenceDocument,
};
use entente_document::Document;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row, Statement, Transaction};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// Held by every write transaction (see the module's invariants). Advisory locks are per
/// database, so stores in other databases of the same server do not wait on each other.
const WRITER_LOCK: i64 = 0x656e_7465_6e74_6501;

/// Facts and document summaries fetched per page by the streaming reads.
const PAGE: i64 = 512;

type Stmts = RefCell<HashMap<&'static str, Statement>>;

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// A statement prepared on this connection, prepared now if it is the first use.
fn prepared(client: &mut impl GenericClient, stmts: &Stmts, sql: &'static str) -> Result<Statement, StoreError> {
    if let Some(stmt) = stmts.borrow().get(sql) {
        return Ok(stmt.clone());
    }
    let stmt = client.prepare(sql)?;
    stmts.borrow_mut().insert(sql, stmt.clone());
    Ok(stmt)
}

/// The whole of a PostgreSQL error: the server's message (with its detail and hint), or the
/// client's error and its causes.
pub(crate) fn message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.to_string();
    }
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        // tokio-postgres repeats a cause's text in its own.
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// `url` without its password (in the user part, or a `password=` parameter).
pub(crate) fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest = &out[scheme_end + 3..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@')
            && let Some(colon) = rest[..at].find(':')
        {
            let (from, to) = (scheme_end + 3 + colon + 1, scheme_end + 3 + at);
            out.replace_range(from..to, "***");
        }
    }
    if let Some(p) = out.find("password=") {
        let from = p + "password=".len();
        let to = out[from..].find('&').map_or(out.len(), |i| from + i);
        out.replace_range(from..to, "***");
    }
    out
}

pub(crate) struct Pg {
    client: RefCell<Client>,
    stmts: Stmts,
}

/// The columns of a document summary (read by [`row::summary`]), then `seq`.
macro_rules! documents_select {
    () => {
        "SELECT d.id, d.title, d.url, d.source_path, d.date, d.date_source, d.date_reason,
            d.printed_date, d.period_start, d.period_end, d.language, d.word_count,
            (SELECT count(*) FROM sentences s WHERE s.doc = d.seq), d.content_hash,
            d.author, d.published_from, d.seq
         FROM documents d "
    };
}

const DOCUMENTS: &str = concat!(documents_select!(), "ORDER BY d.seq");
const DOCUMENTS_AFTER: &str = concat!(documents_select!(), "WHERE d.seq > $1 ORDER BY d.seq LIMIT $2");

/// A kind's facts, each with its evidence in document order (the LEFT JOIN keeps facts with
/// none); grouped by [`group_facts`].
const FACTS_WITH_EVIDENCE: &str = r#"SELECT f.id, f.kind, f.body, f.confidence, e.doc, e.sentence, e.start, e."end", e.rule, d.date
     FROM facts f LEFT JOIN (evidence e JOIN documents d ON d.id = e.doc) ON e.fact = f.id
     WHERE f.kind = $1 ORDER BY f.id, d.seq, e.start, e."end", e.rule"#;

/// The same for the mentions of a merge group.
const MENTIONS_WITH_KEY: &str = r#"SELECT f.id, f.kind, f.body, f.confidence, e.doc, e.sentence, e.start, e."end", e.rule, d.date
     FROM event_keys k JOIN facts f ON f.id = k.mention
     LEFT JOIN (evidence e JOIN documents d ON d.id = e.doc) ON e.fact = f.id
     WHERE k.key = $1 ORDER BY f.id, d.seq, e.start, e."end", e.rule"#;

const FACTS_FIRST: &str = "SELECT id, kind, body, confidence FROM facts WHERE kind = $1 ORDER BY id LIMIT $2";
const FACTS_AFTER: &str =
    "SELECT id, kind, body, confidence FROM facts WHERE kind = $1 AND id > $3 ORDER BY id LIMIT $2";

/// Offsets are bytes: the text is cut as UTF-8 bytes (as SQLite's cut of the text as a blob).
const ACTOR_SURFACES: &str = r#"SELECT substring(convert_to(d.text, 'UTF8') FROM (m.start + 1)::int FOR greatest(m."end" - m.start, 0)::int)
     FROM mentions m JOIN documents d ON d.seq = m.doc WHERE m.actor = $1"#;

const ACTOR_MENTIONS: &str = r#"SELECT m.actor, substring(convert_to(d.text, 'UTF8') FROM (m.start + 1)::int FOR greatest(m."end" - m.start, 0)::int) AS surface, count(*)
     FROM mentions m JOIN documents d ON d.seq = m.doc
     GROUP BY m.actor, surface ORDER BY m.actor, count(*) DESC, surface"#;

/// Rows that break a relation the foreign keys promise; PostgreSQL enforces them itself, so
/// this is zero unless the constraints were dropped or the data written around them.
const ORPHANS: &str = "SELECT
    (SELECT count(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.seq = s.doc))
  + (SELECT count(*) FROM text_dates t WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.seq = t.doc))
  + (SELECT count(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.seq = m.doc))
  + (SELECT count(*) FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = e.doc))
  + (SELECT count(*) FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM facts f WHERE f.id = e.fact))
  + (SELECT count(*) FROM event_keys k WHERE NOT EXISTS (SELECT 1 FROM facts f WHERE f.id = k.mention))
  + (SELECT count(*) FROM event_members m WHERE NOT EXISTS (SELECT 1 FROM facts f WHERE f.id = m.event)
                                            OR NOT EXISTS (SELECT 1 FROM facts f WHERE f.id = m.mention))";

/// Rows of [`FACTS_WITH_EVIDENCE`] or [`MENTIONS_WITH_KEY`] (ordered by fact) as facts with
/// their evidence, and the date of each evidence document.
fn group_facts(rows: &[Row]) -> Result<Vec<MentionRecord>, StoreError> {
    let mut out: Vec<MentionRecord> = Vec::new();
    for r in rows {
        let id: String = r.column(0)?;
        if out.last().is_none_or(|last| last.fact.id != id) {
            out.push(MentionRecord { fact: row::fact(r)?, evidence: Vec::new(), doc_dates: BTreeMap::new() });
        }
        let last = out.last_mut().expect("pushed above");
        if let Some(doc) = r.column::<Option<String>>(4)? {
            last.doc_dates.insert(doc.clone(), r.column(9)?);
            last.evidence.push(row::evidence(r, doc, 5)?);
        }
    }
    Ok(out)
}

impl Pg {
    pub(crate) fn connect(url: &str) -> Result<Pg, StoreError> {
        let mut client =
            Client::connect(url, NoTls).map_err(|error| StoreError::Connect { url: redact(url), error })?;
        // Texts are cut at byte offsets of their UTF-8 form, and must come back as stored.
        let encoding: String = client.query_one("SELECT current_setting('server_encoding')", &[])?.get(0);
        if encoding != "UTF8" {
            return Err(StoreError::Encoding { found: encoding });
        }
        pg_schema::migrate(&mut client)?;
        Ok(Pg { client: RefCell::new(client), stmts: Stmts::default() })
    }

    fn query(&self, sql: &'static str, params: Params) -> Result<Vec<Row>, StoreError> {
        let client = &mut *self.client.borrow_mut();
        let stmt = prepared(client, &self.stmts, sql)?;
        Ok(client.query(&stmt, params)?)
    }

    fn query_opt(&self, sql: &'static str, params: Params) -> Result<Option<Row>, StoreError> {
        let client = &mut *self.client.borrow_mut();
        let stmt = prepared(client, &self.stmts, sql)?;
        Ok(client.query_opt(&stmt, params)?)
    }

    fn query_one(&self, sql: &'static str, params: Params) -> Result<Row, StoreError> {
        let client = &mut *self.client.borrow_mut();
        let stmt = prepared(client, &self.stmts, sql)?;
        Ok(client.query_one(&stmt, params)?)
    }

    fn count(&self, sql: &'static str) -> Result<i64, StoreError> {
        Ok(self.query_one(sql, &[])?.column(0)?)
    }

    pub(crate) fn revision(&self) -> Result<i64, StoreError> {
        self.count("SELECT value FROM revision WHERE id = 1")
    }

    pub(crate) fn schema_version(&self) -> Result<i64, StoreError> {
        pg_schema::version(&mut self.client.borrow_mut())
    }

    pub(crate) fn batch(&mut self) -> Result<PgBatch<'_>, StoreError> {
        let Pg { client, stmts } = self;
        let mut tx = client.get_mut().transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])?;
        Ok(PgBatch { tx: RefCell::new(tx), stmts })
    }

    pub(crate) fn has_content(&self, content_hash: &str) -> Result<Option<String>, StoreError> {
        let row = self.query_opt("SELECT id FROM documents WHERE content_hash = $1", &[&content_hash])?;
        Ok(row.map(|r| r.column(0)).transpose()?)
    }

    pub(crate) fn document_summaries(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        Ok(self.query(DOCUMENTS, &[])?.iter().map(row::summary).collect::<Result<_, _>>()?)
    }

    pub(crate) fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let Some(r) = self.query_opt(
            "SELECT seq, text, content_hash, title, url, source_path, language, date, date_source, date_reason
             FROM documents WHERE id = $1",
            &[&id],
        )?
        else {
            return Ok(None);
        };
        let seq: i64 = r.column(0)?;
        let stored = row::stored_document(&r)?;
        let spans = self
            .query(r#"SELECT start, "end" FROM sentences WHERE doc = $1 ORDER BY idx"#, &[&seq])?
            .iter()
            .map(|s| Ok((s.column(0)?, s.column(1)?)))
            .collect::<Result<Vec<(i64, i64)>, StoreError>>()?;
        Ok(Some(stored.into_document(id, &spans)))
    }

    pub(crate) fn facts(&self, kind: &str) -> Result<Vec<(FactRecord, Vec<Evidence>)>, StoreError> {
        let rows = self.query(FACTS_WITH_EVIDENCE, &[&kind])?;
        Ok(group_facts(&rows)?.into_iter().map(|m| (m.fact, m.evidence)).collect())
    }

    pub(crate) fn actor_mentions(&self) -> Result<Vec<ActorMentions>, StoreError> {
        let mut out: Vec<ActorMentions> = Vec::new();
        for r in self.query(ACTOR_MENTIONS, &[])? {
            let surface = String::from_utf8_lossy(&r.column::<Vec<u8>>(1)?).into_owned();
            add_mentions(&mut out, r.column(0)?, surface, to_usize(r.column(2)?));
        }
        Ok(out)
    }

    pub(crate) fn document_text(&self, id: &str) -> Result<Option<String>, StoreError> {
        let row = self.query_opt("SELECT text FROM documents WHERE id = $1", &[&id])?;
        Ok(row.map(|r| r.column(0)).transpose()?)
    }

    pub(crate) fn stats(&self) -> Result<Stats, StoreError> {
        let grouped = |sql: &'static str| -> Result<Vec<(String, i64)>, StoreError> {
            self.query(sql, &[])?.iter().map(|r| Ok(row::named_count(r)?)).collect()
        };
        let dates = self.query_one("SELECT min(date), max(date) FROM documents", &[])?;
        Ok(Stats {
            documents: self.count("SELECT count(*) FROM documents")?,
            sentences: self.count("SELECT count(*) FROM sentences")?,
            // sum() of a bigint is a numeric.
            words: self.count("SELECT coalesce(sum(word_count), 0)::bigint FROM documents")?,
            text_dates: self.count("SELECT count(*) FROM text_dates")?,
            mentions: self.count("SELECT count(*) FROM mentions")?,
            facts_by_kind: grouped("SELECT kind, count(*) FROM facts GROUP BY kind ORDER BY kind")?,
            // SQLite puts NULL first in ascending order, PostgreSQL last.
            languages: grouped(
                "SELECT language, count(*) FROM documents GROUP BY language ORDER BY count(*) DESC, language NULLS FIRST",
            )?,
            date_sources: grouped(
                "SELECT date_source, count(*) FROM documents GROUP BY date_source ORDER BY date_source",
            )?,
            first_date: dates.column(0)?,
            last_date: dates.column(1)?,
        })
    }

    pub(crate) fn integrity_check(&self) -> Result<bool, StoreError> {
        Ok(self.count(ORPHANS)? == 0)
    }

    // The streaming reads (see `stream.rs`).

    pub(crate) fn for_each_fact<E: From<StoreError>>(
        &self,
        kind: &str,
        mut visit: impl FnMut(FactRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut after: Option<String> = None;
        loop {
            let rows = match &after {
                None => self.query(FACTS_FIRST, &[&kind, &PAGE])?,
                Some(last) => self.query(FACTS_AFTER, &[&kind, &PAGE, last])?,
            };
            let full = rows.len() as i64 == PAGE;
            for r in &rows {
                let f = row::fact(r).map_err(StoreError::from)?;
                after = Some(f.id.clone());
                visit(f)?;
            }
            if !full {
                return Ok(());
            }
        }
    }

    pub(crate) fn evidence_documents(&self, fact: &str) -> Result<Vec<EvidenceDocument>, StoreError> {
        self.query(
            "SELECT d.seq, d.id, d.url, d.date FROM documents d
             WHERE d.id IN (SELECT doc FROM evidence WHERE fact = $1) ORDER BY d.seq",
            &[&fact],
        )?
        .iter()
        .map(|r| Ok(EvidenceDocument { seq: r.column(0)?, id: r.column(1)?, url: r.column(2)?, date: r.column(3)? }))
        .collect()
    }

    pub(crate) fn for_each_evidence_in<E: From<StoreError>>(
        &self,
        fact: &str,
        doc: &str,
        mut visit: impl FnMut(Evidence) -> Result<(), E>,
    ) -> Result<(), E> {
        let rows = self.query(
            r#"SELECT sentence, start, "end", rule FROM evidence WHERE fact = $1 AND doc = $2 ORDER BY start, "end", rule"#,
            &[&fact, &doc],
        )?;
        for r in &rows {
            visit(row::evidence(r, doc.to_string(), 0).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    pub(crate) fn for_each_document_summary<E: From<StoreError>>(
        &self,
        mut visit: impl FnMut(DocumentSummary) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut after = 0i64;
        loop {
            let rows = self.query(DOCUMENTS_AFTER, &[&after, &PAGE])?;
            for r in &rows {
                after = r.column(16).map_err(StoreError::from)?;
                visit(row::summary(r).map_err(StoreError::from)?)?;
            }
            if (rows.len() as i64) < PAGE {
                return Ok(());
            }
        }
    }

    pub(crate) fn actor_surface_counts(&self, actor: &str) -> Result<HashMap<String, usize>, StoreError> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for r in self.query(ACTOR_SURFACES, &[&actor])? {
            *counts.entry(String::from_utf8_lossy(&r.column::<Vec<u8>>(0)?).into_owned()).or_default() += 1;
        }
        Ok(counts)
    }

    pub(crate) fn actor_mention_counts(&self) -> Result<HashMap<String, usize>, StoreError> {
        self.query("SELECT m.actor, count(*) FROM mentions m JOIN documents d ON d.seq = m.doc GROUP BY m.actor", &[])?
            .iter()
            .map(|r| Ok((r.column(0)?, to_usize(r.column(1)?))))
            .collect()
    }
}

/// The PostgreSQL side of [`crate::Batch`]: one transaction holding the writer lock.
pub(crate) struct PgBatch<'a> {
    // A cell because reads (`has_content`, ...) take `&self`, as SQLite's do, and a
    // PostgreSQL transaction needs `&mut` for every statement.
    tx: RefCell<Transaction<'a>>,
    stmts: &'a Stmts,
}

impl PgBatch<'_> {
    fn execute(&self, sql: &'static str, params: Params) -> Result<u64, StoreError> {
        let tx = &mut *self.tx.borrow_mut();
        let stmt = prepared(tx, self.stmts, sql)?;
        Ok(tx.execute(&stmt, params)?)
    }

    fn query(&self, sql: &'static str, params: Params) -> Result<Vec<Row>, StoreError> {
        let tx = &mut *self.tx.borrow_mut();
        let stmt = prepared(tx, self.stmts, sql)?;
        Ok(tx.query(&stmt, params)?)
    }

    fn query_opt(&self, sql: &'static str, params: Params) -> Result<Option<Row>, StoreError> {
        let tx = &mut *self.tx.borrow_mut();
        let stmt = prepared(tx, self.stmts, sql)?;
        Ok(tx.query_opt(&stmt, params)?)
    }

    pub(crate) fn insert_document(&mut self, doc: &Document) -> Result<Stored, StoreError> {
        if let Some(id) = self.has_content(&doc.content_hash)? {
            return Ok(Stored::Duplicate(id));
        }
        let id = self.unique_id(&doc.id)?;
        let inserted = self.query_opt(
            "INSERT INTO documents (id, content_hash, title, url, source_path, author, language, published,
                 published_from, date, date_source, date_reason, printed_date, period_start, period_end, text, word_count)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
             ON CONFLICT (content_hash) DO NOTHING RETURNING seq",
            &NewDocument::new(&id, doc).values().map(|v| v as &(dyn ToSql + Sync)),
        )?;
        // Under the writer lock the check above is exact; a writer outside it (another tool)
        // that stored the same text meanwhile still meets the unique index, and this document
        // is a duplicate of what it stored (asked again: it may be gone again).
        let Some(row) = inserted else {
            return self.insert_document(doc);
        };
        let seq: i64 = row.column(0)?;
        // One statement per layer, the rows as arrays: a round trip per row was most of the
        // time of a document.
        let (mut idx, mut start, mut end) = (Vec::new(), Vec::new(), Vec::new());
        for (i, s) in doc.sentences.iter().enumerate() {
            idx.push(i as i64);
            start.push(s.span.start as i64);
            end.push(s.span.end as i64);
        }
        self.execute(
            r#"INSERT INTO sentences (doc, idx, start, "end")
               SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[])"#,
            &[&seq, &idx, &start, &end],
        )?;
        if !doc.text_dates.is_empty() {
            let (mut start, mut end, mut date, mut rule) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for d in &doc.text_dates {
                start.push(d.span.start as i64);
                end.push(d.span.end as i64);
                date.push(d.date.to_string());
                rule.push(d.rule.to_string());
            }
            // Rows are inserted in array order, so of two with one key the first stays, as
            // with SQLite's INSERT OR IGNORE.
            self.execute(
                r#"INSERT INTO text_dates (doc, start, "end", date, rule)
                   SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[])
                   ON CONFLICT DO NOTHING"#,
                &[&seq, &start, &end, &date, &rule],
            )?;
        }
        Ok(Stored::New(id))
    }

    pub(crate) fn has_content(&self, content_hash: &str) -> Result<Option<String>, StoreError> {
        let row = self.query_opt("SELECT id FROM documents WHERE content_hash = $1", &[&content_hash])?;
        Ok(row.map(|r| r.column(0)).transpose()?)
    }

    fn unique_id(&self, id: &str) -> Result<String, StoreError> {
        free_id(id, |candidate| Ok(self.query_opt("SELECT 1 FROM documents WHERE id = $1", &[&candidate])?.is_some()))
    }

    pub(crate) fn upsert_fact(&mut self, fact: &FactRecord, evidence: &[Evidence]) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO facts (id, kind, body, confidence) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET confidence = greatest(facts.confidence, excluded.confidence)",
            &[&fact.id, &fact.kind, &fact.body, &fact.confidence],
        )?;
        if !evidence.is_empty() {
            let (mut doc, mut sentence, mut start, mut end, mut rule) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for e in evidence {
                doc.push(e.doc.as_str());
                sentence.push(e.sentence as i64);
                start.push(e.start as i64);
                end.push(e.end as i64);
                rule.push(e.rule.as_str());
            }
            self.execute(
                r#"INSERT INTO evidence (fact, doc, sentence, start, "end", rule)
                   SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[])
                   ON CONFLICT DO NOTHING"#,
                &[&fact.id, &doc, &sentence, &start, &end, &rule],
            )?;
        }
        if fact.kind == EVENT_MENTION {
            self.mark_mention_pending(&fact.id)?;
        }
        Ok(())
    }

    pub(crate) fn insert_mentions(&mut self, doc_id: &str, mentions: &[MentionRow]) -> Result<(), StoreError> {
        let seq: i64 = match self.query_opt("SELECT seq FROM documents WHERE id = $1", &[&doc_id])? {
            Some(row) => row.column(0)?,
            None => return Err(StoreError::NoDocument { id: doc_id.to_string() }),
        };
        if mentions.is_empty() {
            return Ok(());
        }
        let (mut sentence, mut start, mut end, mut actor, mut rule) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for m in mentions {
            sentence.push(m.sentence as i64);
            start.push(m.start as i64);
            end.push(m.end as i64);
            actor.push(m.actor.as_str());
            rule.push(m.rule.as_str());
        }
        self.execute(
            r#"INSERT INTO mentions (doc, sentence, start, "end", actor, rule)
               SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[])
               ON CONFLICT DO NOTHING"#,
            &[&seq, &sentence, &start, &end, &actor, &rule],
        )?;
        Ok(())
    }

    pub(crate) fn set_file_progress(
        &mut self,
        path: &str,
        fingerprint: &str,
        pages_done: usize,
        complete: bool,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO source_files (path, fingerprint, pages_done, complete) VALUES ($1, $2, $3, $4)
             ON CONFLICT (path) DO UPDATE SET fingerprint = excluded.fingerprint, pages_done = excluded.pages_done,
                 complete = excluded.complete",
            &[&path, &fingerprint, &(pages_done as i64), &complete],
        )?;
        Ok(())
    }

    pub(crate) fn file_progress(&self, path: &str, fingerprint: &str) -> Result<Option<(usize, bool)>, StoreError> {
        let row = self.query_opt(
            "SELECT pages_done, complete FROM source_files WHERE path = $1 AND fingerprint = $2",
            &[&path, &fingerprint],
        )?;
        row.map(|r| Ok((to_usize(r.column(0)?), r.column(1)?))).transpose()
    }

    pub(crate) fn commit(self) -> Result<(), StoreError> {
        self.execute("UPDATE revision SET value = value + 1 WHERE id = 1", &[])?;
        Ok(self.tx.into_inner().commit()?)
    }

    // The event merge's bookkeeping (see `merged.rs`).

    pub(crate) fn pending_mentions(&self) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        self.query(
            "SELECT f.id, f.body, k.key FROM event_keys k JOIN facts f ON f.id = k.mention WHERE k.pending ORDER BY f.id",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.column(0)?, r.column(1)?, r.column(2)?)))
        .collect()
    }

    pub(crate) fn set_mention_key(&mut self, mention: &str, key: &str) -> Result<(), StoreError> {
        self.execute("UPDATE event_keys SET key = $2 WHERE mention = $1", &[&mention, &key])?;
        Ok(())
    }

    pub(crate) fn mentions_with_key(&self, key: &str) -> Result<Vec<MentionRecord>, StoreError> {
        group_facts(&self.query(MENTIONS_WITH_KEY, &[&key])?)
    }

    pub(crate) fn replace_merged(&mut self, key: &str, events: &[MergedEvent]) -> Result<(), StoreError> {
        // Evidence and member rows go with their fact (ON DELETE CASCADE).
        self.execute(
            "DELETE FROM facts WHERE id IN (SELECT m.event FROM event_members m JOIN event_keys k ON k.mention = m.mention
             WHERE k.key = $1)",
            &[&key],
        )?;
        for event in events {
            self.upsert_fact(&event.fact, &event.evidence)?;
            let members: Vec<&str> = event.members.iter().map(String::as_str).collect();
            self.execute(
                "INSERT INTO event_members (event, mention) SELECT $1, * FROM unnest($2::text[]) ON CONFLICT DO NOTHING",
                &[&event.fact.id, &members],
            )?;
        }
        self.execute("UPDATE event_keys SET pending = FALSE WHERE key = $1", &[&key])?;
        Ok(())
    }

    pub(crate) fn mark_all_pending(&mut self) -> Result<usize, StoreError> {
        Ok(self.execute("UPDATE event_keys SET pending = TRUE", &[])? as usize)
    }

    fn mark_mention_pending(&mut self, mention: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO event_keys (mention, key, pending) VALUES ($1, NULL, TRUE)
             ON CONFLICT (mention) DO UPDATE SET pending = TRUE",
            &[&mention],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(redact("postgres://ann:s3cret@db:5432/news"), "postgres://ann:***@db:5432/news");
        assert_eq!(
            redact("postgres://ann@db/news?password=x&sslmode=disable"),
            "postgres://ann@db/news?password=***&sslmode=disable"
        );
        assert_eq!(redact("postgresql://db/news"), "postgresql://db/news");
    }
}
