//! The facts export (`entente.fact/1`), Entente's public output contract: one JSON object a
//! line. Outside tools score it, so it is a public interface.
//!
//! **Invariant:** fields named by the contract are never renamed or dropped without bumping
//! [`SCHEMA`]; extra fields may be added. The same store gives the same lines, ids included.

use entente_store::{DocumentSummary, Store, StoreError};
use serde_json::{Value, json};
use std::io::Write;
use thiserror::Error;

pub const SCHEMA: &str = "entente.fact/1";

#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
}

/// How many lines of each kind were written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub documents: usize,
}

/// Writes the whole store as JSON Lines.
pub fn export_jsonl(store: &Store, mut out: impl Write) -> Result<ExportCounts, ExportError> {
    let mut counts = ExportCounts::default();
    for doc in store.document_summaries()? {
        serde_json::to_writer(&mut out, &document_line(&doc)).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        counts.documents += 1;
    }
    out.flush()?;
    Ok(counts)
}

/// A `document` line: the contract's fields, then Entente's own additions (why the date was
/// chosen, the printed date and the period the text reports on, word count, hash).
pub fn document_line(doc: &DocumentSummary) -> Value {
    let period = match (&doc.period_start, &doc.period_end) {
        (Some(start), Some(end)) => json!({ "start": start, "end": end }),
        _ => Value::Null,
    };
    json!({
        "schema": SCHEMA,
        "id": format!("document:{}", doc.id),
        "kind": "document",
        "evidence": [],
        "confidence": 1.0,
        "doc": doc.id,
        "title": doc.title,
        "url": doc.url,
        "source_path": doc.source_path,
        "date": doc.date,
        "date_source": doc.date_source,
        "language": doc.language,
        "sentences": doc.sentences,
        "date_reason": doc.date_reason,
        "printed_date": doc.printed_date,
        "published_from": doc.published_from,
        "text_period": period,
        "author": doc.author,
        "words": doc.word_count,
        "content_hash": doc.content_hash,
    })
}
