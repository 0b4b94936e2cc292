//! The ingest pipeline: paths in; each document read, annotated and stored, or its error
//! reported; a summary out.
//!
//! **Invariants:** ingest never aborts a batch for a bad document: each yields its result or
//! its error, and the run goes on. Documents are written in transactions of
//! [`IngestOptions::batch_size`], so a killed run loses at most the open batch, and a re-run
//! skips what is stored (by content hash) and finishes the job.

mod analyse;

pub use analyse::{Analyser, Analysis, people_from_facts};

use entente_dates::{
    Declared, choose_date, date_from_occasions, date_in_file_name, date_in_url, find_dates, parse_date,
};
use entente_document::{Document, Metadata};
use entente_graph::{GraphError, MergeSummary};
use entente_sources::{Format, InputFile, Limits, SourceDoc, SourceError, discover, read_file_from};
use entente_store::{Store, StoreError, Stored};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

#[derive(Clone, Copy)]
pub struct IngestOptions {
    pub limits: Limits,
    /// Documents per transaction.
    pub batch_size: usize,
    /// PETRARCH-2 / Phoenix dictionaries to code with instead of Entente's own.
    pub dictionaries: Option<&'static entente_events::petrarch::Dictionaries>,
    /// The dependency parser behind the event coder (subjects and objects from the parse).
    pub parser: Option<&'static entente_syntax::Analyzer>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { limits: Limits::default(), batch_size: 64, dictionaries: None, parser: None }
    }
}

/// What happened, reported as it happens so a caller can print errors and move a progress bar.
#[derive(Debug)]
pub enum Progress<'a> {
    /// The files to read are known.
    Discovered {
        files: usize,
    },
    /// A file has been read to its end.
    FileDone {
        path: &'a str,
    },
    Stored {
        id: &'a str,
        source_path: &'a str,
    },
    Duplicate {
        id: &'a str,
        source_path: &'a str,
    },
    /// A document (or a whole file) could not be read.
    Failed {
        error: &'a SourceError,
    },
    /// A document was stored but something about it deserves a line (encoding repaired, a
    /// declared date that is not a date).
    Note {
        source_path: &'a str,
        note: &'a str,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("merging events: {0}")]
    Graph(#[from] GraphError),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    /// Files inside directories whose type is not read.
    pub skipped_files: usize,
    pub stored: usize,
    pub duplicates: usize,
    pub failed: usize,
    pub notes: usize,
    pub words: usize,
    /// Actor mentions and coded events in the documents stored.
    pub mentions: usize,
    pub events: usize,
    /// Documents stored but not analysed: not English.
    pub not_english: usize,
    /// Archive files read to their end before, passed over.
    pub files_seen_before: usize,
    /// What merging the new event mentions into the graph's events did.
    pub merged: MergeSummary,
}

impl Summary {
    /// Documents that came through (stored now or already stored).
    pub fn succeeded(&self) -> usize {
        self.stored + self.duplicates
    }
}

/// Reads, annotates and stores every document under `paths`.
pub fn ingest(
    store: &mut Store,
    paths: &[PathBuf],
    options: IngestOptions,
    mut progress: impl FnMut(Progress),
) -> Result<Summary, IngestError> {
    let found = discover(paths);
    let mut summary = Summary { files: found.files.len(), skipped_files: found.skipped, ..Default::default() };
    for error in &found.errors {
        summary.failed += 1;
        progress(Progress::Failed { error });
    }
    progress(Progress::Discovered { files: found.files.len() });
    let known = people_from_facts(&store.facts("actor")?);
    let analyser = match options.dictionaries {
        Some(d) => Analyser::with_dictionaries(known, d),
        None => Analyser::new(known),
    };
    let mut analyser = match options.parser {
        Some(parser) => analyser.with_parser(parser),
        None => analyser,
    };
    let mut batch = store.batch()?;
    let mut in_batch = 0;
    for file in &found.files {
        let path = file.path.display().to_string();
        let fingerprint = fingerprint(file);
        let resumable = file.format == Format::Warc;
        let (mut pages, complete) = match resumable {
            true => batch.file_progress(&path, &fingerprint)?.unwrap_or((0, false)),
            false => (0, false),
        };
        if complete {
            summary.files_seen_before += 1;
            progress(Progress::FileDone { path: &path });
            continue;
        }
        let mut results = read_file_from(file, options.limits, pages);
        while let Some(result) = next_guarded(&mut results, &path) {
            // Only pages that came through count: a resumed run re-reads an uncertain page
            // rather than miss one (its content hash makes a second copy impossible).
            pages += usize::from(result.is_ok());
            let source = match result {
                Ok(source) => source,
                Err(error) => {
                    summary.failed += 1;
                    progress(Progress::Failed { error: &error });
                    continue;
                }
            };
            let hash = content_hash(&source.text);
            if let Some(id) = batch.has_content(&hash)? {
                summary.duplicates += 1;
                progress(Progress::Duplicate { id: &id, source_path: &source.source_path });
                continue;
            }
            let source_path = source.source_path.clone();
            let (doc, notes) = match guarded(|| build_document(source, hash)) {
                Ok(built) => built,
                Err(panic) => {
                    summary.failed += 1;
                    progress(Progress::Failed { error: &internal_error(&source_path, "reading", &panic) });
                    continue;
                }
            };
            for note in &notes {
                summary.notes += 1;
                progress(Progress::Note { source_path: &doc.meta.source_path, note });
            }
            match batch.insert_document(&doc)? {
                Stored::New(id) if !is_english(&doc) => {
                    summary.stored += 1;
                    summary.not_english += 1;
                    progress(Progress::Stored { id: &id, source_path: &doc.meta.source_path });
                }
                Stored::New(id) => {
                    // The text is stored either way; a fault of the analysis costs this
                    // document's facts, never the batch.
                    let analysis = guarded(|| analyser.analyse(&doc, &id)).unwrap_or_else(|panic| {
                        summary.failed += 1;
                        let error = internal_error(&doc.meta.source_path, "analysing", &panic);
                        progress(Progress::Failed { error: &error });
                        Analysis::default()
                    });
                    batch.insert_mentions(&id, &analysis.mentions)?;
                    for (fact, evidence) in &analysis.facts {
                        batch.upsert_fact(fact, evidence)?;
                    }
                    summary.stored += 1;
                    summary.words += doc.word_count();
                    summary.mentions += analysis.mentions.len();
                    summary.events += analysis.events;
                    progress(Progress::Stored { id: &id, source_path: &doc.meta.source_path });
                }
                Stored::Duplicate(id) => {
                    summary.duplicates += 1;
                    progress(Progress::Duplicate { id: &id, source_path: &doc.meta.source_path });
                }
            }
            in_batch += 1;
            if resumable {
                batch.set_file_progress(&path, &fingerprint, pages, false)?;
            }
            if in_batch >= options.batch_size {
                batch.commit()?;
                batch = store.batch()?;
                in_batch = 0;
            }
        }
        if resumable {
            batch.set_file_progress(&path, &fingerprint, pages, true)?;
        }
        progress(Progress::FileDone { path: &path });
    }
    batch.commit()?;
    // Mentions are committed first and merged after, so a run killed in between leaves them
    // pending, and the next run (or `entente merge`) merges them.
    summary.merged = entente_graph::update(store)?;
    Ok(summary)
}

/// Runs `f`, turning a panic into its message. The last guard of the rule that one document
/// never costs the batch: a panic is a bug to fix, and each one found gets a test.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

/// The next document of a file; a panic inside the reader ends that file (its state is
/// unknown after one) with an error, and the batch goes on with the next file.
fn next_guarded(
    results: &mut Box<dyn Iterator<Item = Result<SourceDoc, SourceError>>>,
    path: &str,
) -> Option<Result<SourceDoc, SourceError>> {
    match guarded(|| results.next()) {
        Ok(next) => next,
        Err(panic) => {
            *results = Box::new(std::iter::empty());
            Some(Err(internal_error(path, "reading", &panic)))
        }
    }
}

fn internal_error(path: &str, stage: &'static str, panic: &str) -> SourceError {
    SourceError::Internal { path: path.to_string(), stage, problem: panic.to_string() }
}

/// Size and modification time: a file that changed is read again from the start.
fn fingerprint(file: &InputFile) -> String {
    let meta = std::fs::metadata(&file.path).ok();
    let size = meta.as_ref().map_or(0, |m| m.len());
    let modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    format!("{size}:{modified}")
}

/// The analysis stages read English; other languages are stored and marked, not analysed.
fn is_english(doc: &Document) -> bool {
    doc.meta.language.as_deref().is_none_or(|l| l == "en")
}

/// Hex SHA-256 of a document's text: the same text is the same document.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Turns a source document into an annotated [`Document`]: tokens, sentences, language, the
/// dates its text speaks of, and its own date with the reason. Returns notes for the caller.
pub fn build_document(source: SourceDoc, content_hash: String) -> (Document, Vec<String>) {
    let mut notes = source.notes;
    let declared = declared_date(source.declared_date.as_ref(), source.url.as_deref(), &source.source_path, &mut notes);
    let meta = Metadata {
        title: source.title,
        url: source.url,
        source_path: source.source_path,
        author: source.author,
        language: source.language,
        published: declared.as_ref().map(|(d, _)| *d),
        published_from: declared.as_ref().map(|(_, from)| from.clone()),
    };
    let mut doc = Document::new(source.id.unwrap_or(source.id_hint), source.text, meta);
    doc.content_hash = content_hash;
    entente_text::annotate(&mut doc);
    doc.text_dates = find_dates(&doc.text);
    let declared = declared.as_ref().map(|(date, from)| Declared { date: *date, from });
    doc.date = choose_date(declared, &doc.text, &doc.text_dates);
    let occasions = || entente_events::summits::occasions_in(&doc);
    if let Some(better) = date_from_occasions(&doc.date, &doc.text, &doc.text_dates, occasions) {
        doc.date = better;
    }
    (doc, notes)
}

/// The date the source declares (a field or meta tag, else a date in the URL, else one in the
/// name of the file that holds the document). A declared value that is not a real date is
/// noted and ignored, never stored.
fn declared_date(
    declared: Option<&entente_sources::DeclaredDate>,
    url: Option<&str>,
    source_path: &str,
    notes: &mut Vec<String>,
) -> Option<(entente_document::PartialDate, String)> {
    if let Some(d) = declared {
        match parse_date(&d.raw) {
            Ok(date) => return Some((date, d.from.clone())),
            Err(e) => notes.push(format!("{} date ignored: {e}", d.from)),
        }
    }
    url.and_then(date_in_url)
        .map(|d| (d, "url".to_string()))
        .or_else(|| date_in_file_name(source_path).map(|d| (d, "file name".to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_declared_date_is_noted_and_the_text_decides() {
        let source = SourceDoc {
            id_hint: "x".into(),
            source_path: "x.jsonl:1".into(),
            text: "Leaders met in Madrid in June 2022 to agree a new strategy for the alliance.".into(),
            declared_date: Some(entente_sources::DeclaredDate { raw: "32/13/2023".into(), from: "jsonl:date".into() }),
            ..Default::default()
        };
        let (doc, notes) = build_document(source, "h".into());
        assert_eq!(notes, ["jsonl:date date ignored: \"32/13/2023\" is not a real calendar date"]);
        assert_eq!(doc.date.date.unwrap().to_string(), "2022-06");
        assert_eq!(doc.date.source.as_str(), "text");
        doc.check_spans().unwrap();
    }

    #[test]
    fn url_date_is_declared_when_no_field_gives_one() {
        let source = SourceDoc {
            id_hint: "x".into(),
            text: "Talks went on.".into(),
            url: Some("https://news.example/2023/07/11/talks".into()),
            ..Default::default()
        };
        let (doc, _) = build_document(source, "h".into());
        assert_eq!(doc.date.date.unwrap().to_string(), "2023-07-11");
        assert_eq!(doc.meta.published_from.as_deref(), Some("url"));
    }
}
