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

use entente_store::{DocumentSummary, Evidence, FactRecord, Store, StoreError};
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
    #[error("fact {id} has no usable `{field}`: {problem}")]
    Field { id: String, field: &'static str, problem: String },
    #[error("event {id} is not a merged event: {problem}")]
    NotAnEvent { id: String, problem: String },
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

/// Writes the whole store as JSON Lines, one fact at a time: memory holds one fact (its
/// evidence is written row by row as it is read) and a bounded cache of document texts.
pub fn export_jsonl(store: &Store, mut out: impl Write) -> Result<ExportCounts, ExportError> {
    let mut counts = ExportCounts::default();
    let mut count = |kind: &str| *counts.by_kind.entry(kind.to_string()).or_default() += 1;
    store.for_each_document_summary(|doc| {
        write_value(&mut out, &document_line(&doc))?;
        count("document");
        Ok::<_, ExportError>(())
    })?;
    store.for_each_fact("actor", |fact| {
        write_value(&mut out, &actor_line(store, fact)?)?;
        count("actor");
        Ok::<_, ExportError>(())
    })?;
    let mut texts = DocumentTexts::new(store);
    for kind in FACT_KINDS {
        store.for_each_fact(kind, |fact| {
            write_fact_line(&mut out, &mut texts, kind, fact)?;
            count(kind);
            Ok::<_, ExportError>(())
        })?;
    }
    out.flush()?;
    Ok(counts)
}

fn write_value(out: &mut impl Write, line: &Value) -> Result<(), ExportError> {
    serde_json::to_writer(&mut *out, line).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// An `actor` line: the fact with the actor's surface forms and mention count.
fn actor_line(store: &Store, fact: FactRecord) -> Result<Value, ExportError> {
    let mut body = body_of(&fact.id, &fact.body)?;
    let id = body.get("actor").and_then(|a| a.get("id")).and_then(Value::as_str).unwrap_or_default();
    let mentions = store.actor_mentions_of(id)?;
    body.insert("aliases".into(), json!(mentions.surfaces));
    body.insert("mentions".into(), json!(mentions.mentions));
    Ok(line(&fact.id, "actor", fact.confidence, Vec::new(), body))
}

/// The fields every line starts with, in order; a body field of the same name takes its place
/// (as `Map::extend` did when lines were built whole).
const HEAD: [&str; 5] = ["schema", "id", "kind", "evidence", "confidence"];

/// Writes a fact's line piece by piece, byte for byte what [`line`] would give: the evidence
/// is written as it is read, so a fact with any number of evidence rows takes no more memory
/// than one row (and the distinct documents of its evidence).
fn write_fact_line(
    out: &mut impl Write,
    texts: &mut DocumentTexts<'_>,
    kind: &str,
    fact: FactRecord,
) -> Result<(), ExportError> {
    let body = body_of(&fact.id, &fact.body)?;
    let confidence = json!((fact.confidence * 1000.0).round() / 1000.0);
    let head = [json!(SCHEMA), json!(fact.id), json!(kind), Value::Null, confidence];
    let mut tally = EvidenceTally::default();
    for (i, (key, own)) in HEAD.iter().zip(&head).enumerate() {
        out.write_all(if i == 0 { b"{" } else { b"," })?;
        write_key(out, key)?;
        match body.get(*key) {
            // The body's field replaces the evidence, which is still read to count mentions.
            Some(value) if *key == "evidence" => {
                write_json(out, value)?;
                texts.store.for_each_evidence(&fact.id, |_, e| {
                    tally.add(&e);
                    Ok::<_, ExportError>(())
                })?;
            }
            Some(value) => write_json(out, value)?,
            None if *key == "evidence" => write_evidence(out, texts, &fact.id, &mut tally)?,
            None => write_json(out, own)?,
        }
    }
    // An event's `mentions` is counted from its evidence unless its body holds the count.
    let mentions = (kind == "event").then(|| json!(event_mentions(&body, tally.sentences)));
    for (key, value) in body.iter().filter(|(k, _)| !HEAD.contains(&k.as_str())) {
        out.write_all(b",")?;
        write_key(out, key)?;
        write_json(out, mentions.as_ref().filter(|_| key == "mentions").unwrap_or(value))?;
    }
    if let Some(mentions) = mentions.filter(|_| !body.contains_key("mentions")) {
        out.write_all(b",")?;
        write_key(out, "mentions")?;
        write_json(out, &mentions)?;
    }
    out.write_all(b"}\n")?;
    Ok(())
}

/// The `evidence` array, one row at a time, in the store's evidence order.
fn write_evidence(
    out: &mut impl Write,
    texts: &mut DocumentTexts<'_>,
    fact: &str,
    tally: &mut EvidenceTally,
) -> Result<(), ExportError> {
    out.write_all(b"[")?;
    let store = texts.store;
    store.for_each_evidence(fact, |_, e| {
        if tally.rows > 0 {
            out.write_all(b",")?;
        }
        tally.add(&e);
        write_json(out, &texts.evidence(&e)?)
    })?;
    out.write_all(b"]")?;
    Ok(())
}

fn write_key(out: &mut impl Write, key: &str) -> Result<(), ExportError> {
    serde_json::to_writer(&mut *out, key).map_err(std::io::Error::from)?;
    out.write_all(b":")?;
    Ok(())
}

fn write_json(out: &mut impl Write, value: &Value) -> Result<(), ExportError> {
    Ok(serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?)
}

/// What the exports count over a fact's evidence, gathered as it streams past in document
/// order (all rows of one document together), so that no row needs to be kept.
#[derive(Clone, Debug, Default)]
pub(crate) struct EvidenceTally {
    pub rows: usize,
    /// Distinct documents.
    pub documents: usize,
    /// Distinct (document, sentence) pairs.
    pub sentences: usize,
    current: Option<String>,
    current_sentences: BTreeSet<usize>,
}

impl EvidenceTally {
    pub fn add(&mut self, e: &Evidence) {
        if self.current_is_not(&e.doc) {
            self.current = Some(e.doc.clone());
            self.current_sentences.clear();
            self.documents += 1;
        }
        if self.current_sentences.insert(e.sentence) {
            self.sentences += 1;
        }
        self.rows += 1;
    }

    /// Whether `doc` starts a new document (not the one whose rows came last).
    pub fn current_is_not(&self, doc: &str) -> bool {
        self.current.as_deref() != Some(doc)
    }
}

/// How many sentences report an event: the count a merged event carries in its body, else the
/// distinct (document, sentence) pairs of its evidence (one fact per sentence before merging).
pub(crate) fn event_mentions(body: &Map<String, Value>, sentences: usize) -> usize {
    match body.get("mentions").and_then(Value::as_u64) {
        Some(n) => n as usize,
        None => sentences,
    }
}

/// How many documents report a fact: a merged event's `documents`, else its evidence's.
pub(crate) fn fact_documents(body: &Map<String, Value>, documents: usize) -> usize {
    match body.get("documents").and_then(Value::as_u64) {
        Some(n) => n as usize,
        None => documents,
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

/// How many bytes of document text [`DocumentTexts`] keeps: enough for the documents of the
/// facts being written, and a bound whatever the store's size.
const TEXT_CACHE_BYTES: usize = 16 << 20;

/// Document texts, to quote evidence: kept while they fit in [`TEXT_CACHE_BYTES`] (an event's
/// evidence can cite thousands of documents; keeping every text read made exports hold the
/// whole store's text).
pub struct DocumentTexts<'s> {
    store: &'s Store,
    texts: HashMap<String, String>,
    bytes: usize,
}

impl<'s> DocumentTexts<'s> {
    pub fn new(store: &'s Store) -> Self {
        DocumentTexts { store, texts: HashMap::new(), bytes: 0 }
    }

    /// The text a piece of evidence points at (empty if its span is not in the document).
    pub fn quote(&mut self, e: &Evidence) -> Result<&str, StoreError> {
        if !self.texts.contains_key(&e.doc) {
            let text = self.store.document_text(&e.doc)?.unwrap_or_default();
            if self.bytes + text.len() > TEXT_CACHE_BYTES {
                // Evidence comes document by document, so dropping all is as good as LRU here.
                self.texts.clear();
                self.bytes = 0;
            }
            self.bytes += text.len();
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
        let mut tally = EvidenceTally::default();
        for e in [evidence("a", 1), evidence("a", 1), evidence("a", 2), evidence("b", 1)] {
            tally.add(&e);
        }
        let (sentences, documents) = (tally.sentences, tally.documents);
        let plain = Map::new();
        assert_eq!((event_mentions(&plain, sentences), fact_documents(&plain, documents)), (3, 2));
        let Value::Object(merged) = json!({ "mentions": 7, "documents": 5 }) else { unreachable!() };
        assert_eq!((event_mentions(&merged, sentences), fact_documents(&merged, documents)), (7, 5));
    }

    /// Bodies may hold fields named like the common ones, or a `mentions` count that is not a
    /// number: the streamed line must still be the line built whole.
    #[test]
    fn streamed_lines_are_the_lines_built_whole() {
        use entente_document::{Document, Metadata};
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.batch().unwrap();
        for (id, text) in [("b", "Bee said so."), ("a", "Aye said so.")] {
            let mut d = Document::new(id, text, Metadata { source_path: id.into(), ..Default::default() });
            d.content_hash = id.into();
            batch.insert_document(&d).unwrap();
        }
        let bodies = [
            json!({ "plover": "AGREE" }),
            json!({ "mentions": "many", "plover": "AGREE" }),
            json!({ "mentions": 9, "confidence": 2, "id": "other" }),
            json!({ "evidence": ["x"], "kind": "k" }),
        ];
        for (i, body) in bodies.iter().enumerate() {
            let fact =
                FactRecord { id: format!("e{i}"), kind: "event".into(), body: body.to_string(), confidence: 0.1234 };
            let ev =
                |doc: &str, sentence: usize| Evidence { start: sentence, end: sentence + 3, ..evidence(doc, sentence) };
            batch.upsert_fact(&fact, &[ev("a", 0), ev("b", 1), ev("a", 2), ev("a", 2)]).unwrap();
        }
        batch.commit().unwrap();
        let mut texts = DocumentTexts::new(&store);
        for (fact, evidence) in store.facts("event").unwrap() {
            let mut body = body_of(&fact.id, &fact.body).unwrap();
            let sentences = evidence.iter().map(|e| (&e.doc, e.sentence)).collect::<BTreeSet<_>>().len();
            body.insert("mentions".into(), json!(event_mentions(&body, sentences)));
            let quoted = evidence.iter().map(|e| texts.evidence(e).unwrap()).collect();
            let whole = serde_json::to_string(&line(&fact.id, "event", fact.confidence, quoted, body)).unwrap() + "\n";
            let mut streamed = Vec::new();
            write_fact_line(&mut streamed, &mut texts, "event", fact).unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), whole);
        }
    }
}
