//! The facts export (`entente.fact/1`), Entente's public output contract: one JSON object a
//! line. Outside tools score it, so it is a public interface.
//!
//! **Invariant:** fields named by the contract are never renamed or dropped without bumping
//! [`SCHEMA`]; extra fields may be added. The same store gives the same lines, ids included.
//!
//! The same store also exports as a GDELT-2.0-like events table ([`export_csv`],
//! [`export_parquet`]) and as a graph of actors ([`export_graphml`]).

mod gdelt;
mod graphml;
mod parquet;
mod rows;
mod table;

pub use self::parquet::{ParquetCounts, export_parquet};
pub use gdelt::export_csv;
pub use graphml::{GraphCounts, export_graphml};

use entente_store::{DocumentSummary, Evidence, Store, StoreError};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use thiserror::Error;

pub const SCHEMA: &str = "entente.fact/1";

/// The fact kinds after documents and actors, in the order they are written.
const FACT_KINDS: &[&str] = &["role", "membership", "partnership", "event"];

#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export")]
    Write(#[from] std::io::Error),
    #[error("fact {id} has a body that is not a JSON object")]
    Body { id: String },
    #[error("fact {id} has no usable `{field}`")]
    Field { id: String, field: &'static str },
    #[error("cannot write the CSV export")]
    Csv(#[from] csv::Error),
    #[error("cannot build the Parquet table")]
    Arrow(#[from] arrow_schema::ArrowError),
    #[error("column {0} was given a value of another type")]
    Column(&'static str),
    #[error("cannot write the Parquet export")]
    Parquet(#[from] ::parquet::errors::ParquetError),
}

/// How many lines of each kind were written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub by_kind: BTreeMap<String, usize>,
}

impl ExportCounts {
    pub fn total(&self) -> usize {
        self.by_kind.values().sum()
    }
}

impl std::fmt::Display for ExportCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
        write!(f, "{}", parts.join(", "))
    }
}

/// Writes the whole store as JSON Lines.
pub fn export_jsonl(store: &Store, mut out: impl Write) -> Result<ExportCounts, ExportError> {
    let mut counts = ExportCounts::default();
    let mut write = |line: Value, kind: &str| -> Result<(), ExportError> {
        serde_json::to_writer(&mut out, &line).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        *counts.by_kind.entry(kind.to_string()).or_default() += 1;
        Ok(())
    };
    for doc in store.document_summaries()? {
        write(document_line(&doc), "document")?;
    }
    let mentions: HashMap<String, (usize, Vec<String>)> =
        store.actor_mentions()?.into_iter().map(|m| (m.actor, (m.mentions, m.surfaces))).collect();
    for (fact, _) in store.facts("actor")? {
        let mut body = body_of(&fact.id, &fact.body)?;
        let id = body.get("actor").and_then(|a| a.get("id")).and_then(Value::as_str).unwrap_or_default().to_string();
        let (n, surfaces) = mentions.get(&id).cloned().unwrap_or_default();
        body.insert("aliases".into(), json!(surfaces));
        body.insert("mentions".into(), json!(n));
        write(line(&fact.id, "actor", fact.confidence, Vec::new(), body), "actor")?;
    }
    let mut texts = DocumentTexts::new(store);
    for kind in FACT_KINDS {
        for (fact, evidence) in store.facts(kind)? {
            let mut body = body_of(&fact.id, &fact.body)?;
            if *kind == "event" {
                let mentions = event_mentions(&body, &evidence);
                body.insert("mentions".into(), json!(mentions));
            }
            let evidence = evidence.iter().map(|e| texts.evidence(e)).collect::<Result<Vec<_>, _>>()?;
            write(line(&fact.id, kind, fact.confidence, evidence, body), kind)?;
        }
    }
    out.flush()?;
    Ok(counts)
}

/// How many sentences report an event: the count a merged event carries in its body, else the
/// distinct (document, sentence) pairs of its evidence (one fact per sentence before merging).
pub(crate) fn event_mentions(body: &Map<String, Value>, evidence: &[Evidence]) -> usize {
    match body.get("mentions").and_then(Value::as_u64) {
        Some(n) => n as usize,
        None => evidence.iter().map(|e| (e.doc.as_str(), e.sentence)).collect::<BTreeSet<_>>().len(),
    }
}

/// How many documents report a fact: a merged event's `documents`, else its evidence's.
pub(crate) fn fact_documents(body: &Map<String, Value>, evidence: &[Evidence]) -> usize {
    match body.get("documents").and_then(Value::as_u64) {
        Some(n) => n as usize,
        None => evidence.iter().map(|e| e.doc.as_str()).collect::<BTreeSet<_>>().len(),
    }
}

pub(crate) fn body_of(id: &str, body: &str) -> Result<Map<String, Value>, ExportError> {
    match serde_json::from_str(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ExportError::Body { id: id.to_string() }),
    }
}

/// The contract's common fields first, then the kind's own.
fn line(id: &str, kind: &str, confidence: f64, evidence: Vec<Value>, body: Map<String, Value>) -> Value {
    let mut map = Map::new();
    map.insert("schema".into(), json!(SCHEMA));
    map.insert("id".into(), json!(id));
    map.insert("kind".into(), json!(kind));
    map.insert("evidence".into(), Value::Array(evidence));
    map.insert("confidence".into(), json!((confidence * 1000.0).round() / 1000.0));
    map.extend(body);
    Value::Object(map)
}

/// Document texts, read once each, to quote evidence.
pub struct DocumentTexts<'s> {
    store: &'s Store,
    texts: HashMap<String, String>,
}

impl<'s> DocumentTexts<'s> {
    pub fn new(store: &'s Store) -> Self {
        DocumentTexts { store, texts: HashMap::new() }
    }

    /// The text a piece of evidence points at (empty if its span is not in the document).
    pub fn quote(&mut self, e: &Evidence) -> Result<&str, StoreError> {
        if !self.texts.contains_key(&e.doc) {
            let text = self.store.document_text(&e.doc)?.unwrap_or_default();
            self.texts.insert(e.doc.clone(), text);
        }
        Ok(self.texts[&e.doc].get(e.start..e.end).unwrap_or_default())
    }

    fn evidence(&mut self, e: &Evidence) -> Result<Value, ExportError> {
        let snippet = self.quote(e)?;
        Ok(
            json!({ "doc": e.doc, "sentence": e.sentence, "start": e.start, "end": e.end, "text": snippet, "rule": e.rule }),
        )
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(doc: &str, sentence: usize) -> Evidence {
        Evidence { doc: doc.into(), sentence, start: 0, end: 1, rule: "rules:test".into() }
    }

    #[test]
    fn a_merged_event_keeps_its_own_counts_and_others_count_their_evidence() {
        let ev = [evidence("a", 1), evidence("a", 1), evidence("a", 2), evidence("b", 1)];
        let plain = Map::new();
        assert_eq!((event_mentions(&plain, &ev), fact_documents(&plain, &ev)), (3, 2));
        let Value::Object(merged) = json!({ "mentions": 7, "documents": 5 }) else { unreachable!() };
        assert_eq!((event_mentions(&merged, &ev), fact_documents(&merged, &ev)), (7, 5));
    }
}
