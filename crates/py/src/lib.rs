//! The native half of the Python package `entente` (the Python half, `python/entente`, gives
//! the documented API and turns JSON lines into dicts). Each call runs the same pipeline as the
//! `entente` command: `code` stores one text in a store in memory and exports its facts, so a
//! text coded here gives the facts `entente ingest` then `entente export` give for it.
//! The GIL is released while Rust works, so Python threads (and `code_many`'s own) run at once.

use entente_actors::Person;
use entente_ingest::{
    Analysed, IngestOptions, Progress, Reanalyser as RustReanalyser, analyse_file, ingest, ingest_analysed,
    ingest_documents, plan_known,
};
use entente_sources::{DeclaredDate, SourceDoc};
use entente_store::Store as RustStore;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

create_exception!(_entente, EntenteError, PyException, "An Entente store or pipeline error.");

/// A text to code and what is known of it besides: a dict with these keys (values may be
/// None but for `text`), as the Python half builds it.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Text {
    text: String,
    date: Option<String>,
    url: Option<String>,
    title: Option<String>,
}

fn error(e: impl std::fmt::Display) -> PyErr {
    EntenteError::new_err(e.to_string())
}

/// A text's facts as JSON lines, or why it has none.
type Facts = Result<Vec<String>, String>;

/// The facts (entente.fact/1 JSON lines) of one text, coded alone.
fn code_text(input: Text) -> Facts {
    if input.text.trim().is_empty() {
        return Err("no text to code".into());
    }
    let mut store = RustStore::open_in_memory().map_err(|e| e.to_string())?;
    let source = SourceDoc {
        id_hint: "text".into(),
        source_path: "<text>".into(),
        text: input.text,
        title: input.title,
        url: input.url,
        declared_date: input.date.map(|raw| DeclaredDate { raw, from: "python:date".into() }),
        ..Default::default()
    };
    let options = IngestOptions { jobs: 1, ..IngestOptions::default() };
    ingest_documents(&mut store, "<text>", [source], options, |_| {}).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    entente_export::export_jsonl(&store, &mut out).map_err(|e| e.to_string())?;
    let lines = String::from_utf8(out).map_err(|e| e.to_string())?;
    Ok(lines.lines().map(String::from).collect())
}

/// code(text) -> list[str]: the facts of one text as JSON lines.
#[pyfunction]
fn code(py: Python<'_>, text: Text) -> PyResult<Vec<String>> {
    py.detach(|| code_text(text)).map_err(error)
}

/// What coding one text of many gave: its facts, or why there are none.
type Coded = (Option<Vec<String>>, Option<String>);

/// code_many(texts, jobs) -> list[(list[str] | None, str | None)]: each text's facts (or its
/// error), in input order, coded on `jobs` threads.
#[pyfunction]
fn code_many(py: Python<'_>, texts: Vec<Text>, jobs: usize) -> Vec<Coded> {
    py.detach(|| {
        let count = texts.len();
        let queue = Mutex::new(texts.into_iter().enumerate());
        let done: Mutex<Vec<(usize, Facts)>> = Mutex::new(Vec::with_capacity(count));
        std::thread::scope(|scope| {
            for _ in 0..jobs.clamp(1, count.max(1)) {
                scope.spawn(|| {
                    loop {
                        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
                        let Some((i, text)) = next else { break };
                        // A panic (a bug) costs this text, not the call.
                        let coded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| code_text(text)))
                            .unwrap_or_else(|_| Err("internal error while coding (a bug; please report it)".into()));
                        done.lock().unwrap_or_else(PoisonError::into_inner).push((i, coded));
                    }
                });
            }
        });
        let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
        done.sort_by_key(|(i, _)| *i);
        done.into_iter()
            .map(|(_, coded)| match coded {
                Ok(facts) => (Some(facts), None),
                Err(why) => (None, Some(why)),
            })
            .collect()
    })
}

/// An ingest summary's counts, by name.
fn counts(summary: &entente_ingest::Summary) -> Vec<(String, usize)> {
    vec![
        ("files".into(), summary.files),
        ("stored".into(), summary.stored),
        ("duplicates".into(), summary.duplicates),
        ("failed".into(), summary.failed),
        ("words".into(), summary.words),
        ("mentions".into(), summary.mentions),
        ("events".into(), summary.events),
        ("not_english".into(), summary.not_english),
        ("analysed_again".into(), summary.analysed_again),
    ]
}

/// What `ingest_paths` reports: the summary's counts by name, and one line per failure.
type IngestReport = (Vec<(String, usize)>, Vec<String>);

/// discover(paths) -> (files, errors): the files `ingest` would read under `paths`, in the
/// order it would read them, and one line per path it could not.
#[pyfunction]
fn discover(paths: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<String>) {
    let found = entente_sources::discover(&paths);
    (found.files.into_iter().map(|f| f.path).collect(), found.errors.iter().map(|e| e.to_string()).collect())
}

/// One analysed record with what a cluster sorts and plans it by: (date | None, content hash |
/// None, the people it names as a JSON list, the record as JSON).
type RecordRow = (Option<String>, Option<String>, String, String);

fn record_row(record: &Analysed) -> PyResult<RecordRow> {
    let doc = record.read.as_ref().ok();
    let people = doc.and_then(|d| d.learned.as_deref()).unwrap_or_default();
    Ok((
        doc.and_then(|d| d.date.clone()),
        doc.map(|d| d.content_hash.clone()),
        serde_json::to_string(people).map_err(error)?,
        serde_json::to_string(record).map_err(error)?,
    ))
}

/// analyse_file_records(path) -> list[(date, hash, people, record)]: the costly half of ingest
/// for one file (read, extract, build, analyse), one JSON record per document (or per error),
/// with the document's date to partition by and its content hash and people to plan by
/// (`Store.plan_known`). `Store.ingest_analysed` writes the records.
#[pyfunction]
fn analyse_file_records(py: Python<'_>, path: PathBuf) -> PyResult<Vec<RecordRow>> {
    py.detach(|| {
        let found = entente_sources::discover(std::slice::from_ref(&path));
        let mut out = Vec::new();
        for e in &found.errors {
            out.push(record_row(&Analysed { source_path: path.display().to_string(), read: Err(e.to_string()) })?);
        }
        for file in &found.files {
            for record in analyse_file(file, IngestOptions { jobs: 1, ..IngestOptions::default() }) {
                out.push(record_row(&record)?);
            }
        }
        Ok(out)
    })
}

/// Makes the analyses of records again against the people planned by `Store.plan_known`; one
/// per worker (parsing the people once), used for every record it handles.
#[pyclass(module = "entente._entente", frozen)]
struct Reanalyser {
    inner: RustReanalyser,
}

#[pymethods]
impl Reanalyser {
    #[new]
    fn new(people: &str) -> PyResult<Self> {
        let people: Vec<Person> =
            serde_json::from_str(people).map_err(|e| error(format!("not a list of people ({e})")))?;
        let options = IngestOptions { jobs: 1, ..IngestOptions::default() };
        Ok(Reanalyser { inner: RustReanalyser::new(people, options) })
    }

    /// The record (JSON) as the writer will want it after the first `before` people planned:
    /// its analysis kept when none of them could be named in it, else made again. A string
    /// that is not a record comes back as it is, for the writer to report.
    fn reanalyse(&self, py: Python<'_>, record: String, before: usize) -> PyResult<String> {
        py.detach(|| match serde_json::from_str::<Analysed>(&record) {
            Ok(parsed) => serde_json::to_string(&self.inner.reanalyse(parsed, before)).map_err(error),
            Err(_) => Ok(record),
        })
    }
}

/// A store on disk (created if missing), as `entente --db PATH` opens it.
#[pyclass(module = "entente._entente")]
struct Store {
    path: PathBuf,
    inner: Mutex<RustStore>,
}

#[pymethods]
impl Store {
    #[new]
    fn new(path: PathBuf) -> PyResult<Self> {
        let inner =
            RustStore::open(&path).map_err(|e| error(format!("cannot open the store {}: {e}", path.display())))?;
        Ok(Store { path, inner: Mutex::new(inner) })
    }

    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// Every fact in the store as entente.fact/1 JSON lines.
    fn fact_lines(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        py.detach(|| {
            let store = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            let mut out = Vec::new();
            entente_export::export_jsonl(&store, &mut out).map_err(error)?;
            let lines = String::from_utf8(out).map_err(error)?;
            Ok(lines.lines().map(String::from).collect())
        })
    }

    /// Writes records of `analyse_file_records` (any iterable of their JSON strings) in the
    /// order given, as `ingest` writes the files they came from; returns (counts, error lines).
    /// A record that is not one is that record's error.
    fn ingest_analysed(&self, records: &Bound<'_, PyAny>, name: &str) -> PyResult<IngestReport> {
        let mut store = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let docs = records.try_iter()?.map(|item| {
            let parsed = item.and_then(|o| o.extract::<String>()).map_err(|e| e.to_string()).and_then(|json| {
                serde_json::from_str::<Analysed>(&json).map_err(|e| format!("not an analysed record ({e})"))
            });
            parsed.unwrap_or_else(|why| Analysed { source_path: name.to_string(), read: Err(format!("{name}: {why}")) })
        });
        let mut errors = Vec::new();
        let options = IngestOptions { jobs: 1, ..IngestOptions::default() };
        let summary = ingest_analysed(&mut store, name, docs, options, |p| {
            if let Progress::Failed { error } = p {
                errors.push(error.to_string());
            }
        })
        .map_err(error)?;
        Ok((counts(&summary), errors))
    }

    /// What the writer will know before each record written in the order given (each row a
    /// record's content hash, None for an error, and its people as JSON): (every person known
    /// at the end as JSON, how many of them each record comes after). See `Reanalyser`.
    fn plan_known(&self, rows: &Bound<'_, PyAny>) -> PyResult<(String, Vec<usize>)> {
        let mut keys = Vec::new();
        for row in rows.try_iter()? {
            let (hash, people): (Option<String>, String) = row?.extract()?;
            let people: Vec<Person> =
                serde_json::from_str(&people).map_err(|e| error(format!("not a list of people ({e})")))?;
            keys.push((hash, people));
        }
        let store = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let (people, before) = plan_known(&store, keys).map_err(error)?;
        Ok((serde_json::to_string(&people).map_err(error)?, before))
    }

    /// Ingests files and directories; returns (counts, error lines).
    #[pyo3(signature = (paths, jobs = 0))]
    fn ingest_paths(&self, py: Python<'_>, paths: Vec<PathBuf>, jobs: usize) -> PyResult<IngestReport> {
        py.detach(|| {
            let mut store = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            let jobs = if jobs == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { jobs };
            let options = IngestOptions { jobs, ..IngestOptions::default() };
            let mut errors = Vec::new();
            let summary = ingest(&mut store, &paths, options, |p| {
                if let Progress::Failed { error } = p {
                    errors.push(error.to_string());
                }
            })
            .map_err(error)?;
            Ok((counts(&summary), errors))
        })
    }
}

#[pymodule]
fn _entente(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(code, m)?)?;
    m.add_function(wrap_pyfunction!(code_many, m)?)?;
    m.add_function(wrap_pyfunction!(discover, m)?)?;
    m.add_function(wrap_pyfunction!(analyse_file_records, m)?)?;
    m.add_class::<Store>()?;
    m.add_class::<Reanalyser>()?;
    m.add("EntenteError", m.py().get_type::<EntenteError>())?;
    m.add("SCHEMA", entente_export::SCHEMA)?;
    Ok(())
}
