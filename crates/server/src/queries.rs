//! The reads the store does not offer, as parameterised SQL (user input is only ever bound).
//! The functions here read SQLite; [`Db`]'s methods read either backend (PostgreSQL's SQL is
//! in `pg_queries`). The rows of both are read into structs by the same readers (`*_row`,
//! through [`ReadRow`]), so only the SQL is written twice.

use crate::pg_queries as pg;
use crate::pool::{Db, DbError};
use entente_store::row::ReadRow;
use rusqlite::{Connection, OptionalExtension, Result, params};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentRow {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub language: Option<String>,
    pub word_count: i64,
    pub sentences: i64,
}

pub fn count_documents(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
}

/// A page of documents in storage order (stable: `seq` never changes).
pub fn documents(conn: &Connection, limit: i64, offset: i64) -> Result<Vec<DocumentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.title, d.url, d.date, d.language, d.word_count,
                (SELECT count(*) FROM sentences s WHERE s.doc = d.seq)
         FROM documents d ORDER BY d.seq LIMIT ?1 OFFSET ?2",
    )?;
    let rows = stmt.query_map(params![limit, offset], |r| document_row(r))?;
    rows.collect()
}

/// A [`DocumentRow`] from id, title, url, date, language, word_count, sentences.
pub(crate) fn document_row<R: ReadRow>(r: &R) -> Result<DocumentRow, R::Error> {
    Ok(DocumentRow {
        id: r.column(0)?,
        title: r.column(1)?,
        url: r.column(2)?,
        date: r.column(3)?,
        language: r.column(4)?,
        word_count: r.column(5)?,
        sentences: r.column(6)?,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Highlight {
    pub fact: String,
    pub kind: String,
    pub sentence: i64,
    pub start: i64,
    pub end: i64,
    pub rule: String,
}

/// The evidence spans of every fact read in one document.
pub fn highlights(conn: &Connection, doc: &str) -> Result<Vec<Highlight>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.fact, f.kind, e.sentence, e.start, e.end, e.rule
         FROM evidence e JOIN facts f ON f.id = e.fact
         WHERE e.doc = ?1 ORDER BY e.start, e.end, e.fact",
    )?;
    let rows = stmt.query_map([doc], |r| highlight_row(r))?;
    rows.collect()
}

/// A [`Highlight`] from fact, kind, sentence, start, end, rule.
pub(crate) fn highlight_row<R: ReadRow>(r: &R) -> Result<Highlight, R::Error> {
    Ok(Highlight {
        fact: r.column(0)?,
        kind: r.column(1)?,
        sentence: r.column(2)?,
        start: r.column(3)?,
        end: r.column(4)?,
        rule: r.column(5)?,
    })
}

/// A fact: its kind's body as the extractors wrote it (see the fact contract).
#[derive(Debug, Serialize, ToSchema)]
pub struct Fact {
    pub id: String,
    pub kind: String,
    pub confidence: f64,
    #[schema(value_type = Object)]
    pub body: Value,
}

/// A [`Fact`] from id, kind, body, confidence.
pub(crate) fn fact_row<R: ReadRow>(r: &R) -> Result<Fact, R::Error> {
    let body: String = r.column(2)?;
    Ok(Fact {
        id: r.column(0)?,
        kind: r.column(1)?,
        confidence: r.column(3)?,
        // The store refuses bodies that are not JSON, so this only falls back on corruption.
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
    })
}

pub fn fact(conn: &Connection, id: &str) -> Result<Option<Fact>> {
    conn.query_row("SELECT id, kind, body, confidence FROM facts WHERE id = ?1", [id], |r| fact_row(r)).optional()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceRow {
    pub doc: String,
    pub doc_title: Option<String>,
    pub doc_date: Option<String>,
    /// Where the document was read from, when it came from the web.
    pub doc_url: Option<String>,
    pub sentence: i64,
    /// The span of the evidence in the document's text (bytes).
    pub start: i64,
    pub end: i64,
    /// The span of the whole sentence in the document's text (bytes).
    pub sentence_start: i64,
    pub sentence_end: i64,
    pub sentence_text: String,
    pub text: String,
    pub rule: String,
}

/// A fact's evidence with the sentence around each span, in document order.
pub fn evidence(conn: &Connection, fact: &str) -> Result<Vec<EvidenceRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.doc, d.title, d.date, e.sentence, e.start, e.end,
                coalesce(s.start, e.start), coalesce(s.end, e.end), d.text, e.rule, d.url
         FROM evidence e JOIN documents d ON d.id = e.doc
         LEFT JOIN sentences s ON s.doc = d.seq AND s.idx = e.sentence
         WHERE e.fact = ?1 ORDER BY d.seq, e.start, e.end, e.rule",
    )?;
    let rows = stmt.query_map([fact], |r| evidence_row(r))?;
    rows.collect()
}

/// An [`EvidenceRow`] from doc, title, date, sentence, start, end, sentence start, sentence
/// end, the document's text, rule, url.
pub(crate) fn evidence_row<R: ReadRow>(r: &R) -> Result<EvidenceRow, R::Error> {
    let text: String = r.column(8)?;
    let (start, end, s_start, s_end) = (r.column(4)?, r.column(5)?, r.column(6)?, r.column(7)?);
    Ok(EvidenceRow {
        doc: r.column(0)?,
        doc_title: r.column(1)?,
        doc_date: r.column(2)?,
        doc_url: r.column(10)?,
        sentence: r.column(3)?,
        start,
        end,
        sentence_start: s_start,
        sentence_end: s_end,
        sentence_text: slice(&text, s_start, s_end),
        text: slice(&text, start, end),
        rule: r.column(9)?,
    })
}

/// The text between two byte offsets, or empty when they do not fall on character boundaries.
pub(crate) fn slice(text: &str, start: i64, end: i64) -> String {
    let (Ok(a), Ok(b)) = (usize::try_from(start), usize::try_from(end)) else {
        return String::new();
    };
    text.get(a..b).unwrap_or_default().to_string()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActorRow {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub aliases: Vec<String>,
    pub mentions: i64,
    /// Whether this comes from an `actor` fact or only from the mentions table.
    #[schema(value_type = String)]
    pub source: &'static str,
}

/// Filters over event facts; every field is optional.
#[derive(Debug, Default)]
pub struct EventFilter {
    pub actor: Option<String>,
    pub counterpart: Option<String>,
    pub plover: Option<String>,
    pub cameo: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub modality: Option<String>,
    pub q: Option<String>,
    /// At least this many distinct documents (the merged event's `documents`).
    pub min_sources: Option<i64>,
    /// The source, and the target when there is one, are of this type.
    pub actor_type: Option<String>,
}

/// The parameters of [`EVENT_WHERE`] (`?1` to `?8`, `?11`, `?12`) with the page's LIMIT and
/// OFFSET as `?9` and `?10` (none for a count): one list for every statement built on it.
fn event_params<'a>(
    f: &'a EventFilter,
    q: Option<&'a str>,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Vec<Box<dyn rusqlite::ToSql + 'a>> {
    vec![
        Box::new(f.actor.as_deref()),
        Box::new(f.counterpart.as_deref()),
        Box::new(f.plover.as_deref()),
        Box::new(f.cameo.as_deref()),
        Box::new(f.from.as_deref()),
        Box::new(f.to.as_deref()),
        Box::new(f.modality.as_deref()),
        Box::new(q),
        Box::new(limit),
        Box::new(offset),
        Box::new(f.min_sources),
        Box::new(f.actor_type.as_deref()),
    ]
}

const EVENT_WHERE: &str = "f.kind = 'event'
   AND (?1 IS NULL OR json_extract(f.body, '$.source.id') = ?1 OR json_extract(f.body, '$.target.id') = ?1
        OR EXISTS (SELECT 1 FROM json_each(f.body, '$.actors') a WHERE json_extract(a.value, '$.id') = ?1))
   AND (?2 IS NULL OR json_extract(f.body, '$.source.id') = ?2 OR json_extract(f.body, '$.target.id') = ?2
        OR EXISTS (SELECT 1 FROM json_each(f.body, '$.actors') a WHERE json_extract(a.value, '$.id') = ?2))
   AND (?3 IS NULL OR json_extract(f.body, '$.plover') = ?3)
   AND (?4 IS NULL OR substr(json_extract(f.body, '$.cameo'), 1, length(?4)) = ?4)
   AND (?5 IS NULL OR json_extract(f.body, '$.date') >= ?5)
   AND (?6 IS NULL OR json_extract(f.body, '$.date') <= ?6 OR json_extract(f.body, '$.date') LIKE ?6 || '%')
   AND (?7 IS NULL OR json_extract(f.body, '$.modality') = ?7)
   AND (?11 IS NULL OR coalesce(json_extract(f.body, '$.documents'), 1) >= ?11)
   AND (?12 IS NULL OR (json_extract(f.body, '$.source.type') = ?12
        AND (json_extract(f.body, '$.target.id') IS NULL OR json_extract(f.body, '$.target.type') = ?12)))";

/// `q` in a store without the text index (schema before 4): a scan of every event's body
/// and evidence text.
const Q_SCAN: &str = "(?8 IS NULL OR EXISTS (SELECT 1 FROM evidence e JOIN documents d ON d.id = e.doc
                               WHERE e.fact = f.id AND instr(lower(substr(d.text, e.start + 1, e.end - e.start)), lower(?8)) > 0)
        OR instr(lower(f.body), lower(?8)) > 0)";
/// `q` of three characters or more, through the trigram indexes (?8 is an FTS5 phrase): events
/// whose body matches, and events with evidence in a matching sentence (`sentence_text` is
/// keyed by document seq << 32 | sentence index, as is `evidence_sentences`, which gives the
/// facts with evidence in a sentence).
const Q_INDEX: &str = "(?8 IS NULL OR f.rowid IN (SELECT rowid FROM event_body WHERE event_body MATCH ?8)
        OR f.id IN (SELECT es.fact FROM sentence_text t JOIN evidence_sentences es ON es.sentence = t.rowid
                    WHERE sentence_text MATCH ?8))";
/// `q` shorter than a trigram, which the indexes cannot look up: the same meaning (body or
/// evidence sentence) by a scan, as slow as a store without the index.
const Q_SHORT: &str = "(?8 IS NULL OR instr(lower(f.body), lower(?8)) > 0
        OR EXISTS (SELECT 1 FROM evidence e JOIN documents d ON d.id = e.doc
                   JOIN sentences s ON s.doc = d.seq AND s.idx = e.sentence
                   WHERE e.fact = f.id
                     AND instr(lower(CAST(substr(CAST(d.text AS BLOB), s.start + 1, s.end - s.start) AS TEXT)), lower(?8)) > 0))";

/// The `q` clause to use and the value to bind to it.
fn q_clause(q: Option<&str>, indexed: bool) -> (&'static str, Option<String>) {
    match q {
        Some(q) if indexed && q.chars().count() >= 3 => (Q_INDEX, Some(format!("\"{}\"", q.replace('"', "\"\"")))),
        Some(q) if indexed => (Q_SHORT, Some(q.to_string())),
        q => (Q_SCAN, q.map(str::to_string)),
    }
}

/// One page of events matching `filter`, by date then id, and the number matching.
/// `indexed` says the store has the text indexes (see `Pool::has_event_text`): then `q`
/// matches the whole sentence each evidence span lies in, not only the span.
pub fn events(
    conn: &Connection,
    filter: &EventFilter,
    limit: i64,
    offset: i64,
    indexed: bool,
) -> Result<(i64, Vec<Fact>)> {
    let f = filter;
    let (q_sql, q) = q_clause(f.q.as_deref(), indexed);
    // The total comes with the page (a window over every match, counted before LIMIT), so
    // the matches — for `q`, an index lookup and a join per matching sentence — are found
    // once, not once for the count and again for the page.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT f.id, f.kind, f.body, f.confidence, count(*) OVER () FROM facts f WHERE {EVENT_WHERE} AND {q_sql}
         ORDER BY json_extract(f.body, '$.date'), f.id LIMIT ?9 OFFSET ?10"
    ))?;
    let mut total = None;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(event_params(f, q.as_deref(), Some(limit), Some(offset))), |r| {
            Ok((fact_row(r)?, r.get::<_, i64>(4)?))
        })?;
    let mut facts = Vec::new();
    for row in rows {
        let (fact, count) = row?;
        total = Some(count);
        facts.push(fact);
    }
    let total = page_total(total, offset, || {
        conn.prepare_cached(&format!("SELECT count(*) FROM facts f WHERE {EVENT_WHERE} AND {q_sql}"))?
            .query_row(rusqlite::params_from_iter(event_params(f, q.as_deref(), None, None)), |r| r.get(0))
    })?;
    Ok((total, facts))
}

/// The number of matches of a page's query: the count that came with its rows (`seen`); 0
/// when even the first page is empty; else `count()`, as a page past the end says nothing of
/// the total.
pub(crate) fn page_total<E>(seen: Option<i64>, offset: i64, count: impl FnOnce() -> Result<i64, E>) -> Result<i64, E> {
    match seen {
        Some(total) => Ok(total),
        None if offset == 0 => Ok(0),
        None => count(),
    }
}

/// Membership, partnership and role facts, optionally of one kind, naming one actor, or
/// valid on one date (no start means "since always", no end "still").
pub fn relations(
    conn: &Connection,
    kind: Option<&str>,
    actor: Option<&str>,
    date: Option<&str>,
    limit: i64,
) -> Result<Vec<Fact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, body, confidence FROM facts
         WHERE kind IN ('membership', 'partnership', 'role')
           AND (?1 IS NULL OR kind = ?1)
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_tree(facts.body) t WHERE t.key = 'id' AND t.atom = ?2))
           AND (?3 IS NULL OR ((json_extract(body, '$.start') IS NULL OR json_extract(body, '$.start') <= ?3)
                               AND (json_extract(body, '$.end') IS NULL OR json_extract(body, '$.end') >= ?3)))
         ORDER BY kind, id LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![kind, actor, date, limit], |r| fact_row(r))?;
    rows.collect()
}

/// Counts shown on the page's header: documents, sentences and facts per kind.
pub fn counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut out = vec![
        ("documents".to_string(), count_documents(conn)?),
        ("sentences".to_string(), conn.query_row("SELECT count(*) FROM sentences", [], |r| r.get(0))?),
    ];
    let mut stmt = conn.prepare_cached("SELECT kind, count(*) FROM facts GROUP BY kind ORDER BY kind")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// The range of event dates, for the page's time slider.
pub fn event_date_range(conn: &Connection) -> Result<(Option<String>, Option<String>)> {
    conn.query_row(
        "SELECT min(json_extract(body, '$.date')), max(json_extract(body, '$.date'))
         FROM facts WHERE kind = 'event'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// A document with its text and sentence spans, as JSON (highlights are added by the caller).
pub fn document(conn: &Connection, id: &str) -> Result<Option<Value>> {
    let row = conn
        .query_row(
            "SELECT seq, id, title, url, source_path, language, date, date_source, date_reason, text
             FROM documents WHERE id = ?1",
            [id],
            |r| document_json(r),
        )
        .optional()?;
    let Some((seq, mut doc)) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached("SELECT idx, start, end FROM sentences WHERE doc = ?1 ORDER BY idx")?;
    let sentences = stmt.query_map([seq], |r| sentence_json(r))?.collect::<Result<Vec<_>>>()?;
    doc["sentences"] = Value::Array(sentences);
    Ok(Some(doc))
}

/// A document's seq, and the document as JSON without its sentences, from seq, id, title,
/// url, source_path, language, date, date_source, date_reason, text.
pub(crate) fn document_json<R: ReadRow>(r: &R) -> Result<(i64, Value), R::Error> {
    let seq = r.column(0)?;
    let doc = serde_json::json!({
        "id": r.column::<String>(1)?, "title": r.column::<Option<String>>(2)?,
        "url": r.column::<Option<String>>(3)?, "source_path": r.column::<String>(4)?,
        "language": r.column::<Option<String>>(5)?, "date": r.column::<Option<String>>(6)?,
        "date_source": r.column::<String>(7)?, "date_reason": r.column::<String>(8)?,
        "text": r.column::<String>(9)?,
    });
    Ok((seq, doc))
}

/// A sentence's span as JSON, from idx, start, end.
pub(crate) fn sentence_json<R: ReadRow>(r: &R) -> Result<Value, R::Error> {
    Ok(serde_json::json!({"index": r.column::<i64>(0)?, "start": r.column::<i64>(1)?, "end": r.column::<i64>(2)?}))
}

/// The reads above on either backend, with the same answers.
impl Db {
    pub fn count_documents(&mut self) -> std::result::Result<i64, DbError> {
        match self {
            Db::Sqlite(c) => Ok(count_documents(c)?),
            Db::Postgres(c) => Ok(pg::count_documents(c)?),
        }
    }

    pub fn documents(&mut self, limit: i64, offset: i64) -> std::result::Result<Vec<DocumentRow>, DbError> {
        match self {
            Db::Sqlite(c) => Ok(documents(c, limit, offset)?),
            Db::Postgres(c) => Ok(pg::documents(c, limit, offset)?),
        }
    }

    pub fn highlights(&mut self, doc: &str) -> std::result::Result<Vec<Highlight>, DbError> {
        match self {
            Db::Sqlite(c) => Ok(highlights(c, doc)?),
            Db::Postgres(c) => Ok(pg::highlights(c, doc)?),
        }
    }

    pub fn fact(&mut self, id: &str) -> std::result::Result<Option<Fact>, DbError> {
        match self {
            Db::Sqlite(c) => Ok(fact(c, id)?),
            Db::Postgres(c) => Ok(pg::fact(c, id)?),
        }
    }

    pub fn evidence(&mut self, fact: &str) -> std::result::Result<Vec<EvidenceRow>, DbError> {
        match self {
            Db::Sqlite(c) => Ok(evidence(c, fact)?),
            Db::Postgres(c) => Ok(pg::evidence(c, fact)?),
        }
    }

    /// `indexed`: see [`events`]; a PostgreSQL store always matches `q` by sentence.
    pub fn events(
        &mut self,
        filter: &EventFilter,
        limit: i64,
        offset: i64,
        indexed: bool,
    ) -> std::result::Result<(i64, Vec<Fact>), DbError> {
        match self {
            Db::Sqlite(c) => Ok(events(c, filter, limit, offset, indexed)?),
            Db::Postgres(c) => Ok(pg::events(c, filter, limit, offset)?),
        }
    }

    pub fn relations(
        &mut self,
        kind: Option<&str>,
        actor: Option<&str>,
        date: Option<&str>,
        limit: i64,
    ) -> std::result::Result<Vec<Fact>, DbError> {
        match self {
            Db::Sqlite(c) => Ok(relations(c, kind, actor, date, limit)?),
            Db::Postgres(c) => Ok(pg::relations(c, kind, actor, date, limit)?),
        }
    }

    pub fn counts(&mut self) -> std::result::Result<Vec<(String, i64)>, DbError> {
        match self {
            Db::Sqlite(c) => Ok(counts(c)?),
            Db::Postgres(c) => Ok(pg::counts(c)?),
        }
    }

    pub fn event_date_range(&mut self) -> std::result::Result<(Option<String>, Option<String>), DbError> {
        match self {
            Db::Sqlite(c) => Ok(event_date_range(c)?),
            Db::Postgres(c) => Ok(pg::event_date_range(c)?),
        }
    }

    pub fn document(&mut self, id: &str) -> std::result::Result<Option<Value>, DbError> {
        match self {
            Db::Sqlite(c) => Ok(document(c, id)?),
            Db::Postgres(c) => Ok(pg::document(c, id)?),
        }
    }

    /// The store's revision (see [`crate::catalog::revision`]).
    pub fn revision(&mut self) -> std::result::Result<i64, DbError> {
        match self {
            Db::Sqlite(c) => Ok(crate::catalog::revision(c)?),
            Db::Postgres(c) => Ok(pg::revision(&mut **c)?),
        }
    }
}
