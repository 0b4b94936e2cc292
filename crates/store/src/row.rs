//! Reading result rows of either backend: [`ReadRow`] gets a column the same way from an SQLite
//! row and a PostgreSQL row, so each "row -> struct" reader is written once and serves both.
//! The SQL stays each backend's own (the dialects differ); a reader only fixes the order of
//! the columns it reads, and every query it reads states that order.
//!
//! The readers of the store's own rows are here too; the server reads its rows with the trait.

use crate::{DocumentSummary, Evidence, FactRecord, StoredDocument};

/// A value both drivers read from a column: `String`, `i64`, `f64`, `bool`, `Vec<u8>`, and an
/// `Option` of any of them for a column that may be NULL.
pub trait Column: rusqlite::types::FromSql + for<'a> postgres::types::FromSql<'a> {}

impl<T: rusqlite::types::FromSql + for<'a> postgres::types::FromSql<'a>> Column for T {}

/// A result row of SQLite or PostgreSQL.
pub trait ReadRow {
    /// The driver's own error, so that a reader fails as that backend's code always did.
    type Error;

    /// Column `i` (from 0) as a `T`. A NULL, or a value of another type, is an error unless
    /// `T` is an `Option` (then NULL is `None`).
    fn column<T: Column>(&self, i: usize) -> Result<T, Self::Error>;
}

impl ReadRow for rusqlite::Row<'_> {
    type Error = rusqlite::Error;

    fn column<T: Column>(&self, i: usize) -> Result<T, rusqlite::Error> {
        self.get(i)
    }
}

impl ReadRow for postgres::Row {
    type Error = postgres::Error;

    // `try_get`: `Row::get` panics where SQLite's returns an error.
    fn column<T: Column>(&self, i: usize) -> Result<T, postgres::Error> {
        self.try_get(i)
    }
}

/// A stored offset or count as a `usize`. Entente writes none below 0; one written around it
/// reads as 0 rather than as a wrapped-around huge number.
pub(crate) fn to_usize(n: i64) -> usize {
    n.max(0) as usize
}

/// A document summary from the columns of `stream::DOCUMENTS` (id, title, url, source_path,
/// date, date_source, date_reason, printed_date, period_start, period_end, language,
/// word_count, sentences, content_hash, author, published_from).
pub(crate) fn summary<R: ReadRow>(r: &R) -> Result<DocumentSummary, R::Error> {
    Ok(DocumentSummary {
        id: r.column(0)?,
        title: r.column(1)?,
        url: r.column(2)?,
        source_path: r.column(3)?,
        date: r.column(4)?,
        date_source: r.column(5)?,
        date_reason: r.column(6)?,
        printed_date: r.column(7)?,
        period_start: r.column(8)?,
        period_end: r.column(9)?,
        language: r.column(10)?,
        word_count: r.column(11)?,
        sentences: r.column(12)?,
        content_hash: r.column(13)?,
        author: r.column(14)?,
        published_from: r.column(15)?,
    })
}

/// A fact from its first four columns: id, kind, body, confidence.
pub(crate) fn fact<R: ReadRow>(r: &R) -> Result<FactRecord, R::Error> {
    Ok(FactRecord { id: r.column(0)?, kind: r.column(1)?, body: r.column(2)?, confidence: r.column(3)? })
}

/// Evidence in `doc` from four columns from `at` on: sentence, start, end, rule.
pub(crate) fn evidence<R: ReadRow>(r: &R, doc: String, at: usize) -> Result<Evidence, R::Error> {
    Ok(Evidence {
        doc,
        sentence: to_usize(r.column(at)?),
        start: to_usize(r.column(at + 1)?),
        end: to_usize(r.column(at + 2)?),
        rule: r.column(at + 3)?,
    })
}

/// What `Store::document` reads of a document, from columns 1 to 9: text, content_hash,
/// title, url, source_path, language, date, date_source, date_reason (column 0 is its seq).
pub(crate) fn stored_document<R: ReadRow>(r: &R) -> Result<StoredDocument, R::Error> {
    Ok(StoredDocument {
        text: r.column(1)?,
        hash: r.column(2)?,
        title: r.column(3)?,
        url: r.column(4)?,
        source_path: r.column(5)?,
        language: r.column(6)?,
        date: r.column(7)?,
        date_source: r.column(8)?,
        reason: r.column(9)?,
    })
}

/// A count by name, as `Store::stats` lists them: a NULL name (an unknown language) is
/// "unknown".
pub(crate) fn named_count<R: ReadRow>(r: &R) -> Result<(String, i64), R::Error> {
    Ok((r.column::<Option<String>>(0)?.unwrap_or_else(|| "unknown".into()), r.column(1)?))
}
