//! Ingest in two halves, for a cluster: [`analyse_file`] does the costly half of ingest to one
//! file on any machine (read, extract, build, analyse, against no people known) and gives each
//! document as an [`Analysed`] record that serialises; [`ingest_analysed`] writes such records,
//! in input order, through the writer `ingest` uses: the same duplicate check, ids, people
//! learned (an analysis made without a person learned from an earlier document is made again
//! when that person could be named in it, as with `--jobs`), facts and merge.
//!
//! The records of many files are analysed against no people known; written in order, each
//! naming a person learned from an earlier one would be analysed again by the one writer. A
//! cluster avoids that serial work in a second parallel pass: [`plan_known`] works out, from
//! each record's content hash and people alone, what the writer will know before each
//! document, and [`Reanalyser::reanalyse`] (on any machine) makes again, against that, the
//! analyses it changes. The writer still checks every analysis against what it knows.
//!
//! **Invariant:** the records of the files `ingest` would read, written in the order it would
//! read them, give the store `ingest` gives, and so the same export, whether or not they were
//! planned and analysed again (`crates/py/tests/test_spark.py` checks it through a Spark job).

use crate::known::{Known, KnownPrefix};
use crate::{
    Analyser, Analysis, Entry, IngestError, IngestOptions, Pending, Prepared, Progress, Speculative, Stage, Summary,
    analyser_for, build_document, content_hash, finish, guarded, holds, is_english, next_guarded, people_from_facts,
};
use entente_actors::Person;
use entente_sources::{InputFile, SourceDoc, SourceError, read_raw_from};
use entente_store::Store;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One document of a file after the costly half of ingest, or the error that stopped it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Analysed {
    /// Where it comes from (`path`, `path:line`, `path#recordN`).
    pub source_path: String,
    pub read: Result<AnalysedDoc, String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AnalysedDoc {
    pub source: SourceDoc,
    pub content_hash: String,
    /// The document's date (ISO, as precise as known): what a cluster partitions by.
    pub date: Option<String>,
    /// The id the document asked for; the analysis holds if the store gives it this one.
    pub doc_id: String,
    /// Its analysis against no people known (or the panic that stopped it); None when it is
    /// not analysed (not English, or its build failed).
    pub analysis: Option<Result<Analysis, String>>,
    /// The people it names, found before any later fault.
    pub learned: Option<Vec<Person>>,
    /// The people known its analysis was made against.
    pub known: KnownPrefix,
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("mentions", &self.mentions.len())
            .field("facts", &self.facts.len())
            .field("events", &self.events)
            .finish()
    }
}

/// The costly half of ingest for one file: every document read, extracted, built and analysed
/// against no people known, in the file's order.
pub fn analyse_file(file: &InputFile, options: IngestOptions) -> Vec<Analysed> {
    let analyser = analyser_for(options);
    let path = file.path.display().to_string();
    let mut raws = read_raw_from(file, options.limits, 0);
    let mut out = Vec::new();
    while let Some(raw) = next_guarded(&mut raws, &path) {
        let analysed = match raw {
            Ok(raw) => {
                let source_path = raw.source_path();
                let read = finish(raw, &source_path).map(|source| analyse_source(source, &analyser));
                Analysed { source_path, read: read.map_err(|e| e.to_string()) }
            }
            Err(error) => Analysed { source_path: path.clone(), read: Err(error.to_string()) },
        };
        out.push(analysed);
    }
    out
}

fn analyse_source(source: SourceDoc, analyser: &Analyser) -> AnalysedDoc {
    let hash = content_hash(&source.text);
    let built = guarded(|| build_document(source.clone(), hash.clone()));
    let (doc_id, date, mut learned, analysis) = match &built {
        Ok((doc, _)) => {
            let mut learned = None;
            let analysis =
                is_english(doc).then(|| guarded(|| analyser.analyse_against(doc, &doc.id, &[], &mut learned)));
            (doc.id.clone(), doc.date.date.map(|d| d.to_string()), learned, analysis)
        }
        Err(_) => (String::new(), None, None, None),
    };
    if analysis.is_none() {
        learned = None;
    }
    AnalysedDoc { source, content_hash: hash, date, doc_id, analysis, learned, known: KnownPrefix::NOBODY }
}

/// Writes documents analysed by [`analyse_file`] (on this machine or others), in the order
/// given, as one source named `name`, then merges events: as `ingest` would have written the
/// files they came from.
pub fn ingest_analysed(
    store: &mut Store,
    name: &str,
    docs: impl IntoIterator<Item = Analysed>,
    options: IngestOptions,
    mut progress: impl FnMut(Progress),
) -> Result<Summary, IngestError> {
    crate::write_source(store, name, docs.into_iter().map(entry), options, &mut progress)
}

/// A record as the writer takes it: the document rebuilt from its source (cheap and
/// deterministic, so records need not carry every layer) with its analysis as a guess the
/// writer checks, as it checks the pool's.
fn entry(analysed: Analysed) -> Entry {
    let Analysed { source_path, read } = analysed;
    let read = match read {
        Ok(doc) => doc,
        Err(message) => return Entry::Failed(SourceError::Relayed { message }),
    };
    let AnalysedDoc { source, content_hash, doc_id, analysis, learned, known, .. } = read;
    let built = guarded(|| build_document(source, content_hash.clone()));
    let speculative = analysis.map(|result| Speculative { doc_id, known, learned, result });
    let prepared = Prepared { source_path, read: Ok((content_hash, Stage::Built(Box::new((built, speculative))))) };
    Entry::Doc(Pending::Ready(Box::new(prepared)))
}

/// What the writer will know before each of `docs` (each a record's content hash, None for a
/// record that is an error, and the people its analysis found) when they are written in this
/// order into `store`: every person known at the end, and for each document how many of them
/// it comes after. Duplicates (in the store, or earlier in `docs`) teach nothing, as the
/// writer skips them. Exact when a document's people do not depend on those known before it;
/// where they do, the writer finds the difference and analyses again.
pub fn plan_known(
    store: &Store,
    docs: impl IntoIterator<Item = (Option<String>, Vec<Person>)>,
) -> Result<(Vec<Person>, Vec<usize>), IngestError> {
    let mut known = Known::new(people_from_facts(&store.facts("actor")?));
    let mut seen = HashSet::new();
    let mut before = Vec::new();
    for (hash, people) in docs {
        before.push(known.len());
        let Some(hash) = hash else { continue };
        if store.has_content(&hash)?.is_none() && seen.insert(hash) {
            known.learn(people);
        }
    }
    Ok((known.people().to_vec(), before))
}

/// Makes analyses again against a planned list of people (see [`plan_known`]); one per
/// worker, shared by its records.
pub struct Reanalyser {
    analyser: Analyser,
    known: Known,
}

impl Reanalyser {
    pub fn new(known: Vec<Person>, options: IngestOptions) -> Self {
        Reanalyser { analyser: analyser_for(options), known: Known::new(known) }
    }

    /// The record as the writer will want it when it comes after the first `before` people
    /// known: its analysis kept if none of the people learned since it was made could be named
    /// in it, else made again against them. Errors, documents not analysed, and a `before`
    /// past the list are left as they are (the writer decides).
    pub fn reanalyse(&self, mut record: Analysed, before: usize) -> Analysed {
        let Ok(doc) = &mut record.read else { return record };
        let (Some(target), Some(since)) = (self.known.prefix(before), self.known.since(doc.known)) else {
            return record;
        };
        if doc.analysis.is_none() || doc.known.len > before {
            return record;
        }
        if holds(&doc.source.text, &since[..before - doc.known.len]) {
            doc.known = target;
            return record;
        }
        let Ok((built, _)) = guarded(|| build_document(doc.source.clone(), doc.content_hash.clone())) else {
            return record;
        };
        let mut learned = None;
        let people = &self.known.people()[..before];
        doc.analysis = Some(guarded(|| self.analyser.analyse_against(&built, &doc.doc_id, people, &mut learned)));
        doc.learned = learned;
        doc.known = target;
        record
    }
}
