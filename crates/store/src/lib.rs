//! The store: documents, their sentence and date layers, and the facts of later stages with
//! their evidence. Two backends behind one interface ([`Store`], [`Batch`]): one SQLite file
//! (WAL mode), the default and the fastest on one machine, or a PostgreSQL database shared by
//! a team ([`Location::Postgres`]). Callers see no SQL and no backend.
//!
//! **Invariants:** the store knows nothing of HTML, files or NLP; it stores what it is given.
//! Writes go through [`Batch`], one transaction, so a killed run leaves every document either
//! wholly stored or absent. A document whose text is already stored (same content hash) is
//! not stored again. Both backends store the same rows for the same writes and read them in
//! the same order, so an export is byte for byte the same from either.

mod merged;
mod pg;
mod pg_schema;
pub mod row;
mod schema;
pub mod stream;
mod watch;

pub use merged::{EVENT_MENTION, MentionRecord, MergedEvent};

pub use schema::SCHEMA_VERSION;

/// The schema version of a PostgreSQL store (0 when Entente never wrote to it), for readers
/// that open their own connections (the server).
pub fn pg_schema_version(client: &mut postgres::Client) -> Result<i64, StoreError> {
    pg_schema::version(client)
}
pub use watch::{FeedState, PageOutcome, SeenPage};

use entente_document::{DateSource, Document, PartialDate, Sentence, Span};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Not a `#[source]`: the message is spelled out whole here (`postgres::Error` says only
    /// "db error" and keeps the server's message in its source), and once.
    #[error("database error: {}", pg::message(.0))]
    Postgres(postgres::Error),
    #[error("the store has schema version {found}, newer than this build knows ({known}); use a newer entente")]
    NewerSchema { found: i64, known: i64 },
    #[error("cannot open store {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("cannot connect to {url}: {}", pg::message(.error))]
    Connect { url: String, error: postgres::Error },
    #[error("the PostgreSQL database has encoding {found}; Entente needs UTF8 (createdb --encoding UTF8)")]
    Encoding { found: String },
    #[error("no document {id} is stored")]
    NoDocument { id: String },
    /// Something only the SQLite backend does yet.
    #[error("{what} needs an SQLite store for now; this store is PostgreSQL")]
    SqliteOnly { what: &'static str },
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        StoreError::Postgres(e)
    }
}

/// Where a store lives: an SQLite file, or a PostgreSQL database named by its URL
/// (`postgres://user@host:port/db`; `postgresql://` too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    /// A PostgreSQL URL by its scheme; anything else is a file path.
    pub fn parse(s: &str) -> Location {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Location::Postgres(s.to_string())
        } else {
            Location::Sqlite(PathBuf::from(s))
        }
    }
}

impl std::str::FromStr for Location {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Location, Self::Err> {
        Ok(Location::parse(s))
    }
}

/// The path, or the URL without its password (messages and logs must not show it).
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&pg::redact(url)),
        }
    }
}

pub struct Store {
    backend: Backend,
}

enum Backend {
    Sqlite(SqliteStore),
    // Boxed: the client and its runtime are several times the size of an SQLite connection.
    Postgres(Box<pg::Pg>),
}

/// The SQLite backend's connection; its methods are the SQLite side of [`Store`]'s.
pub(crate) struct SqliteStore {
    conn: Connection,
}

/// Calls the same method on whichever backend the store has.
macro_rules! backend {
    ($self:ident, $b:ident => $call:expr) => {
        match &$self.backend {
            Backend::Sqlite($b) => $call,
            Backend::Postgres($b) => $call,
        }
    };
}
pub(crate) use backend;

/// Calls the same method on whichever backend the batch has.
macro_rules! batch {
    ($inner:expr, $b:ident => $call:expr) => {
        match $inner {
            BatchInner::Sqlite($b) => $call,
            BatchInner::Postgres($b) => $call,
        }
    };
}
pub(crate) use batch;

/// What storing a document did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Stored under this id (the document's own, or made unique with a suffix).
    New(String),
    /// The same text is already stored under this id; nothing was written.
    Duplicate(String),
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn =
            Connection::open(path).map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        Ok(Store { backend: Backend::Sqlite(SqliteStore::init(conn)?) })
    }

    pub fn open_in_memory() -> Result<Store, StoreError> {
        Ok(Store { backend: Backend::Sqlite(SqliteStore::init(Connection::open_in_memory()?)?) })
    }

    /// Connects to a PostgreSQL database (`postgres://user@host:port/db`) and brings its
    /// schema to this build's version.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        Ok(Store { backend: Backend::Postgres(Box::new(pg::Pg::connect(url)?)) })
    }

    /// Opens (creates) the SQLite file, or connects to the PostgreSQL database.
    pub fn open_location(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(path) => Store::open(path),
            Location::Postgres(url) => Store::connect(url),
        }
    }

    /// Whether this store is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// A number that grows with every committed batch: readers compare it to know whether
    /// what they cached is still current.
    pub fn revision(&self) -> Result<i64, StoreError> {
        backend!(self, b => b.revision())
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        backend!(self, b => b.schema_version())
    }

    /// Starts a batch of writes: one transaction, committed by [`Batch::commit`]. On
    /// PostgreSQL the batch holds the store's writer lock until it ends, so batches of
    /// several processes (ingests, merges) are written one after another, never interleaved.
    pub fn batch(&mut self) -> Result<Batch<'_>, StoreError> {
        let inner = match &mut self.backend {
            Backend::Sqlite(b) => BatchInner::Sqlite(b.batch()?),
            Backend::Postgres(b) => BatchInner::Postgres(b.batch()?),
        };
        Ok(Batch { inner })
    }

    pub fn has_content(&self, content_hash: &str) -> Result<Option<String>, StoreError> {
        backend!(self, b => b.has_content(content_hash))
    }

    /// Every stored document's summary, in the order they were stored.
    pub fn document_summaries(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        backend!(self, b => b.document_summaries())
    }

    /// A stored document with its text and sentence layer (tokens are not stored: they are
    /// recomputed from the text when needed).
    pub fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        backend!(self, b => b.document(id))
    }

    /// Every fact of `kind` with its evidence, ordered by id (so exports are stable).
    pub fn facts(&self, kind: &str) -> Result<Vec<(FactRecord, Vec<Evidence>)>, StoreError> {
        backend!(self, b => b.facts(kind))
    }

    /// Per actor: how many mentions, and the distinct surface forms seen (most frequent first).
    pub fn actor_mentions(&self) -> Result<Vec<ActorMentions>, StoreError> {
        backend!(self, b => b.actor_mentions())
    }

    /// A stored document's text by id (for evidence snippets).
    pub fn document_text(&self, id: &str) -> Result<Option<String>, StoreError> {
        backend!(self, b => b.document_text(id))
    }

    pub fn stats(&self) -> Result<Stats, StoreError> {
        backend!(self, b => b.stats())
    }

    /// Checks the backend's own view of the store's integrity and our foreign keys.
    pub fn integrity_check(&self) -> Result<bool, StoreError> {
        backend!(self, b => b.integrity_check())
    }

    /// The SQLite backend, for what only it does yet.
    fn sqlite_only(&self, what: &'static str) -> Result<&SqliteStore, StoreError> {
        match &self.backend {
            Backend::Sqlite(b) => Ok(b),
            Backend::Postgres(_) => Err(StoreError::SqliteOnly { what }),
        }
    }

    fn sqlite_only_mut(&mut self, what: &'static str) -> Result<&mut SqliteStore, StoreError> {
        match &mut self.backend {
            Backend::Sqlite(b) => Ok(b),
            Backend::Postgres(_) => Err(StoreError::SqliteOnly { what }),
        }
    }
}

impl SqliteStore {
    fn init(mut conn: Connection) -> Result<SqliteStore, StoreError> {
        // WAL keeps readers (the server) unblocked by a writer, and a killed writer leaves the
        // last committed transaction intact.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        schema::migrate(&mut conn)?;
        Ok(SqliteStore { conn })
    }

    fn revision(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT value FROM revision WHERE id = 1", [], |r| r.get(0))?)
    }

    fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn batch(&mut self) -> Result<SqliteBatch<'_>, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(schema::CREATE_PENDING_SENTENCE_TEXT, [])?;
        Ok(SqliteBatch { tx })
    }

    fn has_content(&self, content_hash: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT id FROM documents WHERE content_hash = ?1", [content_hash], |r| r.get(0))
            .optional()?)
    }

    fn document_summaries(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut stmt = self.conn.prepare(stream::DOCUMENTS)?;
        let rows = stmt.query_map([], |r| row::summary(r))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let found = self
            .conn
            .query_row(
                "SELECT seq, text, content_hash, title, url, source_path, language, date, date_source, date_reason
                 FROM documents WHERE id = ?1",
                [id],
                |r| Ok((r.get::<_, i64>(0)?, row::stored_document(r)?)),
            )
            .optional()?;
        let Some((seq, stored)) = found else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare("SELECT start, end FROM sentences WHERE doc = ?1 ORDER BY idx")?;
        let spans: Vec<(i64, i64)> =
            stmt.query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(Some(stored.into_document(id, &spans)))
    }

    fn facts(&self, kind: &str) -> Result<Vec<(FactRecord, Vec<Evidence>)>, StoreError> {
        let mut facts =
            self.conn.prepare("SELECT id, kind, body, confidence FROM facts WHERE kind = ?1 ORDER BY id")?;
        let mut evidence = self.conn.prepare(
            "SELECT e.doc, e.sentence, e.start, e.end, e.rule FROM evidence e JOIN documents d ON d.id = e.doc
             WHERE e.fact = ?1 ORDER BY d.seq, e.start, e.end, e.rule",
        )?;
        let records: Vec<FactRecord> = facts.query_map([kind], |r| row::fact(r))?.collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(records.len());
        for fact in records {
            let ev = evidence.query_map([&fact.id], |r| row::evidence(r, r.get(0)?, 1))?.collect::<Result<_, _>>()?;
            out.push((fact, ev));
        }
        Ok(out)
    }

    fn actor_mentions(&self) -> Result<Vec<ActorMentions>, StoreError> {
        // Offsets are bytes, so the text is sliced as a blob.
        let mut stmt = self.conn.prepare(
            "SELECT m.actor, CAST(substr(CAST(d.text AS BLOB), m.start + 1, m.end - m.start) AS TEXT) AS surface, count(*)
             FROM mentions m JOIN documents d ON d.seq = m.doc
             GROUP BY m.actor, surface ORDER BY m.actor, count(*) DESC, surface",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
        let mut out: Vec<ActorMentions> = Vec::new();
        for row in rows {
            let (actor, surface, n) = row?;
            add_mentions(&mut out, actor, surface, row::to_usize(n));
        }
        Ok(out)
    }

    fn document_text(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row("SELECT text FROM documents WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<i64, StoreError> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let grouped = |sql: &str| -> Result<Vec<(String, i64)>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| row::named_count(r))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(Stats {
            documents: count("SELECT count(*) FROM documents")?,
            sentences: count("SELECT count(*) FROM sentences")?,
            words: count("SELECT coalesce(sum(word_count), 0) FROM documents")?,
            text_dates: count("SELECT count(*) FROM text_dates")?,
            mentions: count("SELECT count(*) FROM mentions")?,
            facts_by_kind: grouped("SELECT kind, count(*) FROM facts GROUP BY kind ORDER BY kind")?,
            languages: grouped(
                "SELECT language, count(*) FROM documents GROUP BY language ORDER BY count(*) DESC, language",
            )?,
            date_sources: grouped(
                "SELECT date_source, count(*) FROM documents GROUP BY date_source ORDER BY date_source",
            )?,
            first_date: self.conn.query_row("SELECT min(date) FROM documents", [], |r| r.get(0))?,
            last_date: self.conn.query_row("SELECT max(date) FROM documents", [], |r| r.get(0))?,
        })
    }

    /// SQLite's own view of the file's integrity, and our foreign keys.
    fn integrity_check(&self) -> Result<bool, StoreError> {
        let ok: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let fk_problems: i64 =
            self.conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        Ok(ok == "ok" && fk_problems == 0)
    }
}

/// The columns [`Store::document`] reads, whichever the backend.
pub(crate) struct StoredDocument {
    pub text: String,
    pub hash: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source_path: String,
    pub language: Option<String>,
    pub date: Option<String>,
    pub date_source: String,
    pub reason: String,
}

impl StoredDocument {
    /// The document with its sentences' spans (`(start, end)` in order).
    pub(crate) fn into_document(self, id: &str, spans: &[(i64, i64)]) -> Document {
        let mut doc = Document::new(id, self.text, Default::default());
        doc.content_hash = self.hash;
        doc.meta.title = self.title;
        doc.meta.url = self.url;
        doc.meta.source_path = self.source_path;
        doc.meta.language = self.language;
        doc.date.date = self.date.as_deref().and_then(PartialDate::parse_iso);
        doc.date.source = parse_date_source(&self.date_source);
        doc.date.reason = self.reason;
        doc.sentences = spans
            .iter()
            .map(|&(start, end)| Sentence {
                span: Span::new(start as usize, end as usize),
                first_token: 0,
                token_count: 0,
            })
            .collect();
        doc
    }
}

/// A value both drivers bind as a statement parameter, so that one list of values serves
/// both backends' statements.
pub(crate) trait Param: rusqlite::ToSql + postgres::types::ToSql {}

impl<T: rusqlite::ToSql + postgres::types::ToSql> Param for T {}

/// The row a new document is stored as, whichever the backend: its fields, with dates as ISO
/// text. One list, so that both backends store the same values in the same columns.
pub(crate) struct NewDocument<'a> {
    id: &'a str,
    doc: &'a Document,
    published: Option<String>,
    date: Option<String>,
    date_source: &'static str,
    printed: Option<String>,
    period: (Option<String>, Option<String>),
    word_count: i64,
}

impl<'a> NewDocument<'a> {
    /// `doc`, to be stored under `id`.
    pub(crate) fn new(id: &'a str, doc: &'a Document) -> NewDocument<'a> {
        let iso = |d: Option<PartialDate>| d.map(|d| d.to_string());
        NewDocument {
            id,
            doc,
            published: iso(doc.meta.published),
            date: iso(doc.date.date),
            date_source: doc.date.source.as_str(),
            printed: iso(doc.date.printed),
            period: match doc.date.text_period {
                Some((a, b)) => (Some(a.to_string()), Some(b.to_string())),
                None => (None, None),
            },
            word_count: doc.word_count() as i64,
        }
    }

    /// The values for the columns id, content_hash, title, url, source_path, author, language,
    /// published, published_from, date, date_source, date_reason, printed_date, period_start,
    /// period_end, text, word_count, in that order.
    pub(crate) fn values(&self) -> [&(dyn Param + Sync); 17] {
        let (doc, meta) = (self.doc, &self.doc.meta);
        [
            &self.id,
            &doc.content_hash,
            &meta.title,
            &meta.url,
            &meta.source_path,
            &meta.author,
            &meta.language,
            &self.published,
            &meta.published_from,
            &self.date,
            &self.date_source,
            &doc.date.reason,
            &self.printed,
            &self.period.0,
            &self.period.1,
            &doc.text,
            &self.word_count,
        ]
    }
}

fn parse_date_source(s: &str) -> DateSource {
    match s {
        "metadata" => DateSource::Metadata,
        "text" => DateSource::Text,
        _ => DateSource::None,
    }
}

/// A fact as stored: its kind's own fields are a JSON object in `body`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FactRecord {
    pub id: String,
    pub kind: String,
    pub body: String,
    pub confidence: f64,
}

/// Where a fact was read: a byte span of a document's text, and the rule or model that read it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    pub doc: String,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub rule: String,
}

/// How an actor is mentioned across the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorMentions {
    pub actor: String,
    pub mentions: usize,
    pub surfaces: Vec<String>,
}

/// Adds `n` mentions of `actor` as `surface` to `out`, from rows that come grouped by actor
/// (as both backends' `actor_mentions` read them).
fn add_mentions(out: &mut Vec<ActorMentions>, actor: String, surface: String, n: usize) {
    match out.last_mut() {
        Some(last) if last.actor == actor => {
            last.mentions += n;
            last.surfaces.push(surface);
        }
        _ => out.push(ActorMentions { actor, mentions: n, surfaces: vec![surface] }),
    }
}

/// One actor mention of a document.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MentionRow {
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub actor: String,
    pub rule: String,
}

/// A document as listings and the export show it.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentSummary {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source_path: String,
    pub date: Option<String>,
    pub date_source: String,
    pub date_reason: String,
    pub printed_date: Option<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub language: Option<String>,
    pub word_count: i64,
    pub sentences: i64,
    pub content_hash: String,
    pub author: Option<String>,
    pub published_from: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    pub documents: i64,
    pub sentences: i64,
    pub words: i64,
    pub text_dates: i64,
    pub mentions: i64,
    pub facts_by_kind: Vec<(String, i64)>,
    pub languages: Vec<(String, i64)>,
    pub date_sources: Vec<(String, i64)>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

/// Writes inside one transaction; dropped without [`Batch::commit`], nothing is written.
pub struct Batch<'a> {
    inner: BatchInner<'a>,
}

enum BatchInner<'a> {
    Sqlite(SqliteBatch<'a>),
    Postgres(pg::PgBatch<'a>),
}

impl Batch<'_> {
    /// Stores a document with its sentence and date layers, unless the same text is stored.
    pub fn insert_document(&mut self, doc: &Document) -> Result<Stored, StoreError> {
        batch!(&mut self.inner, b => b.insert_document(doc))
    }

    /// The id under which this text is stored, if it is (committed or in this batch).
    pub fn has_content(&self, content_hash: &str) -> Result<Option<String>, StoreError> {
        batch!(&self.inner, b => b.has_content(content_hash))
    }

    /// Stores a fact, or adds evidence to the fact already stored under its id. A fact seen
    /// again keeps its body; its confidence becomes the larger of the two.
    pub fn upsert_fact(&mut self, fact: &FactRecord, evidence: &[Evidence]) -> Result<(), StoreError> {
        batch!(&mut self.inner, b => b.upsert_fact(fact, evidence))
    }

    /// Stores the actor mentions of a stored document.
    pub fn insert_mentions(&mut self, doc_id: &str, mentions: &[MentionRow]) -> Result<(), StoreError> {
        batch!(&mut self.inner, b => b.insert_mentions(doc_id, mentions))
    }

    /// Records how far a source file has been read, in the same transaction as its documents.
    pub fn set_file_progress(
        &mut self,
        path: &str,
        fingerprint: &str,
        pages_done: usize,
        complete: bool,
    ) -> Result<(), StoreError> {
        batch!(&mut self.inner, b => b.set_file_progress(path, fingerprint, pages_done, complete))
    }

    /// How far a file was read: (pages done, complete), if it was read with this fingerprint.
    pub fn file_progress(&self, path: &str, fingerprint: &str) -> Result<Option<(usize, bool)>, StoreError> {
        batch!(&self.inner, b => b.file_progress(path, fingerprint))
    }

    pub fn commit(self) -> Result<(), StoreError> {
        batch!(self.inner, b => b.commit())
    }
}

/// The document's own id, or the first of `id-2`, `id-3`, ... that is not `taken`.
fn free_id(id: &str, taken: impl Fn(&str) -> Result<bool, StoreError>) -> Result<String, StoreError> {
    if !taken(id)? {
        return Ok(id.to_string());
    }
    let mut n = 2;
    loop {
        let candidate = format!("{id}-{n}");
        if !taken(&candidate)? {
            return Ok(candidate);
        }
        n += 1;
    }
}

/// The SQLite side of [`Batch`].
pub(crate) struct SqliteBatch<'a> {
    tx: Transaction<'a>,
}

impl SqliteBatch<'_> {
    fn insert_document(&mut self, doc: &Document) -> Result<Stored, StoreError> {
        if let Some(id) = self.has_content(&doc.content_hash)? {
            return Ok(Stored::Duplicate(id));
        }
        let id = self.unique_id(&doc.id)?;
        self.tx.execute(
            "INSERT INTO documents (id, content_hash, title, url, source_path, author, language, published,
                 published_from, date, date_source, date_reason, printed_date, period_start, period_end, text, word_count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            rusqlite::params_from_iter(NewDocument::new(&id, doc).values()),
        )?;
        let seq = self.tx.last_insert_rowid();
        let mut sentence =
            self.tx.prepare_cached("INSERT INTO sentences (doc, idx, start, end) VALUES (?1, ?2, ?3, ?4)")?;
        // Each sentence's text is gathered for the `/api/events?q=` index here, cut from the
        // text in memory, O(the document's size) in all; `commit` indexes the batch's at once.
        let mut indexed = self.tx.prepare_cached(schema::STAGE_SENTENCE_TEXT)?;
        for (i, s) in doc.sentences.iter().enumerate() {
            let (idx, start, end) = (i as i64, s.span.start as i64, s.span.end as i64);
            sentence.execute(params![seq, idx, start, end])?;
            indexed.execute(params![schema::sentence_key(seq, idx), schema::span_text(&doc.text, start, end)])?;
        }
        let mut date = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO text_dates (doc, start, end, date, rule) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for d in &doc.text_dates {
            date.execute(params![seq, d.span.start as i64, d.span.end as i64, d.date.to_string(), d.rule])?;
        }
        Ok(Stored::New(id))
    }

    fn has_content(&self, content_hash: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .tx
            .query_row("SELECT id FROM documents WHERE content_hash = ?1", [content_hash], |r| r.get(0))
            .optional()?)
    }

    fn unique_id(&self, id: &str) -> Result<String, StoreError> {
        free_id(id, |candidate| {
            Ok(self
                .tx
                .query_row("SELECT 1 FROM documents WHERE id = ?1", [candidate], |_| Ok(()))
                .optional()?
                .is_some())
        })
    }

    pub(crate) fn upsert_fact(&mut self, fact: &FactRecord, evidence: &[Evidence]) -> Result<(), StoreError> {
        // Cached: a long article writes a fact per mention, and preparing the statement (its
        // triggers included) each time cost more than running it.
        self.tx
            .prepare_cached(
                "INSERT INTO facts (id, kind, body, confidence) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET confidence = max(confidence, excluded.confidence)",
            )?
            .execute(params![fact.id, fact.kind, fact.body, fact.confidence])?;
        let mut insert = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO evidence (fact, doc, sentence, start, end, rule) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for e in evidence {
            insert.execute(params![fact.id, e.doc, e.sentence as i64, e.start as i64, e.end as i64, e.rule])?;
        }
        drop(insert);
        if fact.kind == EVENT_MENTION {
            self.mark_mention_pending(&fact.id)?;
        }
        Ok(())
    }

    fn insert_mentions(&mut self, doc_id: &str, mentions: &[MentionRow]) -> Result<(), StoreError> {
        let seq: i64 = self.tx.query_row("SELECT seq FROM documents WHERE id = ?1", [doc_id], |r| r.get(0))?;
        let mut insert = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO mentions (doc, sentence, start, end, actor, rule) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for m in mentions {
            insert.execute(params![seq, m.sentence as i64, m.start as i64, m.end as i64, m.actor, m.rule])?;
        }
        Ok(())
    }

    fn set_file_progress(
        &mut self,
        path: &str,
        fingerprint: &str,
        pages_done: usize,
        complete: bool,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO source_files (path, fingerprint, pages_done, complete) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(path) DO UPDATE SET fingerprint = excluded.fingerprint, pages_done = excluded.pages_done, complete = excluded.complete",
            params![path, fingerprint, pages_done as i64, complete],
        )?;
        Ok(())
    }

    fn file_progress(&self, path: &str, fingerprint: &str) -> Result<Option<(usize, bool)>, StoreError> {
        Ok(self
            .tx
            .query_row(
                "SELECT pages_done, complete FROM source_files WHERE path = ?1 AND fingerprint = ?2",
                params![path, fingerprint],
                |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, bool>(1)?)),
            )
            .optional()?)
    }

    fn commit(self) -> Result<(), StoreError> {
        self.tx.execute_batch(schema::INDEX_PENDING_SENTENCE_TEXT)?;
        self.tx.execute("UPDATE revision SET value = value + 1 WHERE id = 1", [])?;
        Ok(self.tx.commit()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entente_document::Metadata;

    /// A document of one sentence, its hash made from its text (the streaming reads' tests too).
    pub(crate) fn doc(id: &str, text: &str) -> Document {
        let mut d = Document::new(id, text, Metadata { source_path: format!("{id}.txt"), ..Default::default() });
        d.content_hash = format!("hash-of-{text}");
        d.sentences = vec![Sentence { span: Span::new(0, text.len()), first_token: 0, token_count: 0 }];
        d
    }

    #[test]
    fn same_text_is_stored_once_and_ids_are_made_unique() {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.batch().unwrap();
        assert_eq!(batch.insert_document(&doc("a", "one")).unwrap(), Stored::New("a".into()));
        assert_eq!(batch.insert_document(&doc("a", "two")).unwrap(), Stored::New("a-2".into()));
        assert_eq!(batch.insert_document(&doc("b", "one")).unwrap(), Stored::Duplicate("a".into()));
        batch.commit().unwrap();
        let stats = store.stats().unwrap();
        assert_eq!((stats.documents, stats.sentences), (2, 2));
        assert_eq!(store.document("a-2").unwrap().unwrap().text, "two");
        assert!(store.integrity_check().unwrap());
    }

    #[test]
    fn facts_gather_evidence_across_documents() {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.batch().unwrap();
        batch.insert_document(&doc("a", "Japan met NATO.")).unwrap();
        batch.insert_document(&doc("b", "NATO met Japan.")).unwrap();
        let fact =
            |c: f64| FactRecord { id: "f1".into(), kind: "event".into(), body: "{\"x\":1}".into(), confidence: c };
        let ev = |d: &str| Evidence { doc: d.into(), sentence: 0, start: 0, end: 5, rule: "r".into() };
        batch.upsert_fact(&fact(0.5), &[ev("b")]).unwrap();
        batch.upsert_fact(&fact(0.8), &[ev("a"), ev("b")]).unwrap();
        assert!(
            batch.upsert_fact(&FactRecord { body: "not json".into(), ..fact(0.1) }, &[]).is_err(),
            "a body that is not JSON is refused"
        );
        batch.commit().unwrap();
        let facts = store.facts("event").unwrap();
        assert_eq!(facts.len(), 1);
        assert_eq!(facts[0].0.confidence, 0.8);
        assert_eq!(
            facts[0].1.iter().map(|e| e.doc.as_str()).collect::<Vec<_>>(),
            ["a", "b"],
            "evidence in document order, once each"
        );
    }

    #[test]
    fn an_uncommitted_batch_leaves_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        {
            let mut batch = store.batch().unwrap();
            batch.insert_document(&doc("a", "one")).unwrap();
        }
        assert_eq!(store.stats().unwrap().documents, 0);
    }

    #[test]
    fn reopening_keeps_data_and_refuses_newer_schemas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.db");
        {
            let mut store = Store::open(&path).unwrap();
            let mut batch = store.batch().unwrap();
            batch.insert_document(&doc("a", "one")).unwrap();
            batch.commit().unwrap();
            assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        }
        assert_eq!(Store::open(&path).unwrap().stats().unwrap().documents, 1);
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        assert!(matches!(Store::open(&path), Err(StoreError::NewerSchema { found: 99, .. })));
    }
}
