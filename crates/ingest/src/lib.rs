//! The ingest pipeline: paths in; each document read, annotated and stored, or its error
//! reported; a summary out.
//!
//! **Invariants:** ingest never aborts a batch for a bad document: each yields its result or
//! its error, and the run goes on. Documents are written in transactions of
//! [`IngestOptions::batch_size`], so a killed run loses at most the open batch, and a re-run
//! skips what is stored (by content hash) and finishes the job.

mod analyse;
mod known;
mod pool;
mod split;

pub use analyse::{Analyser, Analysis, people_from_facts};
pub use known::KnownPrefix;
pub use split::{Analysed, AnalysedDoc, Reanalyser, analyse_file, ingest_analysed, plan_known};

use entente_actors::Person;
use entente_dates::{
    Declared, choose_date, date_from_occasions, date_in_file_name, date_in_url, find_dates, parse_date,
};
use entente_document::{Document, Metadata};
use entente_graph::{GraphError, MergeSummary};
use entente_sources::{Format, InputFile, Limits, RawDoc, SourceDoc, SourceError, discover, read_raw_from};
use entente_store::{Batch, Store, StoreError, Stored};
use known::Known;
use pool::{Pool, Submit};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Clone, Copy)]
pub struct IngestOptions {
    pub limits: Limits,
    /// Documents per transaction.
    pub batch_size: usize,
    /// PETRARCH-2 / Phoenix dictionaries to code with instead of Entente's own.
    pub dictionaries: Option<&'static entente_events::petrarch::Dictionaries>,
    /// The dependency parser behind the event coder (subjects and objects from the parse).
    pub parser: Option<&'static entente_syntax::Analyzer>,
    /// Threads that finish (decode, extract), build and analyse documents while the calling
    /// thread reads files and writes the store; 1: all on the calling thread. Whatever the
    /// number, the store is the same.
    pub jobs: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { limits: Limits::default(), batch_size: 64, dictionaries: None, parser: None, jobs: 1 }
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
    #[error("starting ingest threads: {0}")]
    Threads(std::io::Error),
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
    /// Documents analysed twice: on the pool, then by the writer, because a person learned
    /// from a document just before could be named in it, or the store gave it another id.
    /// Time, not results: the store is the same.
    pub analysed_again: usize,
}

impl Summary {
    /// Documents that came through (stored now or already stored).
    pub fn succeeded(&self) -> usize {
        self.stored + self.duplicates
    }
}

/// Reads, annotates and stores every document under `paths`.
///
/// With [`IngestOptions::jobs`] above 1, documents are finished (decoded, extracted), built
/// and analysed on a pool of threads while this thread reads the files and writes the store,
/// strictly in input order: the store is the same, byte for byte, as with one job (see
/// [`pool`] for how, and why the analysis of a document can be done again here).
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
    let known = Known::new(people_from_facts(&store.facts("actor")?));
    let analyser = analyser_for(options);
    let jobs = options.jobs.max(1);
    let published = Mutex::new(Arc::new(known.clone()));
    let mut writer = Writer::new(summary, known, options.batch_size, (jobs > 1).then_some(&published));
    if jobs == 1 {
        run(store, &found.files, options, &analyser, &mut writer, &mut progress)?;
    } else {
        run_pooled(store, &found.files, options, jobs, &analyser, &published, &mut writer, &mut progress)?;
    }
    let mut summary = writer.summary;
    // Mentions are committed first and merged after, so a run killed in between leaves them
    // pending, and the next run (or `entente merge`) merges them.
    summary.merged = entente_graph::update(store)?;
    Ok(summary)
}

/// Stores documents already read elsewhere (pages a crawler fetched), as one source named
/// `name`, on this thread: as [`ingest`] stores a file's documents, with the same duplicate
/// check, analysis, batches and merge. Each document's outcome comes through `progress`
/// under its `source_path`.
pub fn ingest_documents(
    store: &mut Store,
    name: &str,
    docs: impl IntoIterator<Item = SourceDoc>,
    options: IngestOptions,
    mut progress: impl FnMut(Progress),
) -> Result<Summary, IngestError> {
    let docs = docs.into_iter().map(|doc| Entry::Doc(Pending::Later(Box::new(doc.into()))));
    write_source(store, name, docs, options, &mut progress)
}

/// Writes the entries of one source named `name` on this thread, then merges events: what
/// [`ingest_documents`] and [`ingest_analysed`] share.
fn write_source(
    store: &mut Store,
    name: &str,
    docs: impl Iterator<Item = Entry>,
    options: IngestOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, IngestError> {
    let known = Known::new(people_from_facts(&store.facts("actor")?));
    let analyser = analyser_for(options);
    let mut writer = Writer::new(Summary::default(), known, options.batch_size, None);
    let mut batch = store.batch()?;
    let start = OpenFile { path: name.to_string(), ..Default::default() };
    let entries = std::iter::once(Entry::FileStart(start)).chain(docs).chain(std::iter::once(Entry::FileEnd));
    for entry in entries {
        if writer.write(&mut batch, &analyser, entry, None, progress)? {
            batch.commit()?;
            batch = store.batch()?;
        }
    }
    batch.commit()?;
    let mut summary = writer.summary;
    summary.merged = entente_graph::update(store)?;
    Ok(summary)
}

/// The analyser the options ask for. The people known before each document are the
/// writer's to keep (see `Writer::known`): the analyser itself starts with none and is shared
/// by every thread.
fn analyser_for(options: IngestOptions) -> Analyser {
    let analyser = match options.dictionaries {
        Some(d) => Analyser::with_dictionaries(Vec::new(), d),
        None => Analyser::new(Vec::new()),
    };
    match options.parser {
        Some(parser) => analyser.with_parser(parser),
        None => analyser,
    }
}

/// What the writer does next, in input order: the reader puts entries in a queue of at most
/// a window's length, the writer takes them from its front.
enum Entry {
    /// The documents of this file follow.
    FileStart(OpenFile),
    /// An archive is next: the writer answers how many of its pages were read before, or
    /// None when it was read to its end (the reader passes it over).
    OpenArchive {
        path: String,
        fingerprint: String,
        reply: SyncSender<Option<usize>>,
    },
    Doc(Pending),
    /// An error the reader gave at this place (a bad line or record, a file not read).
    Failed(SourceError),
    /// The file has been read to its end (or given up after a panic in its reader).
    FileEnd,
}

/// The documents of a file as its reader cuts them.
type RawDocs = Box<dyn Iterator<Item = Result<RawDoc, SourceError>>>;

/// A document cut from its file, prepared when the writer reaches it (one job) or on the
/// pool (`seq` numbers documents in input order).
enum Pending {
    Later(Box<RawDoc>),
    Pooled {
        seq: u64,
        source_path: String,
    },
    /// Prepared elsewhere (see [`split`]).
    Ready(Box<Prepared>),
}

/// The file whose documents the writer is writing.
#[derive(Default)]
struct OpenFile {
    path: String,
    fingerprint: String,
    /// WARC: how far it was read is kept, page by page.
    resumable: bool,
    /// Pages that came through, counting those a resumed run passed over.
    pages: usize,
}

/// One job: reads the files in order on this thread and writes each document as it is read,
/// finishing and building it only once it is known not to be a duplicate, as ingest always
/// did.
fn run(
    store: &mut Store,
    files: &[InputFile],
    options: IngestOptions,
    analyser: &Analyser,
    writer: &mut Writer,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), IngestError> {
    let mut batch = store.batch()?;
    for file in files {
        let (path, fingerprint) = (file.path.display().to_string(), fingerprint(file));
        let pages = match file.format {
            Format::Warc => {
                let (reply, answer) = sync_channel(1);
                writer.write(
                    &mut batch,
                    analyser,
                    Entry::OpenArchive { path: path.clone(), fingerprint, reply },
                    None,
                    progress,
                )?;
                match answer.recv() {
                    Ok(Some(pages)) => pages,
                    _ => continue,
                }
            }
            _ => {
                let file = OpenFile { path: path.clone(), fingerprint, resumable: false, pages: 0 };
                writer.write(&mut batch, analyser, Entry::FileStart(file), None, progress)?;
                0
            }
        };
        let mut results = read_raw_from(file, options.limits, pages);
        loop {
            let entry = match next_guarded(&mut results, &path) {
                Some(Ok(raw)) => Entry::Doc(Pending::Later(Box::new(raw))),
                Some(Err(error)) => Entry::Failed(error),
                None => Entry::FileEnd,
            };
            let end = matches!(entry, Entry::FileEnd);
            if writer.write(&mut batch, analyser, entry, None, progress)? {
                batch.commit()?;
                batch = store.batch()?;
            }
            if end {
                break;
            }
        }
    }
    batch.commit()?;
    Ok(())
}

/// More jobs: a reader thread reads the files in order and cuts their documents (for a
/// WARC.gz, decompressing and parsing the stream), hands each to the pool and puts it in the
/// writer's queue; this thread writes the queue's front once the pool has prepared it. The
/// queue holds at most [`IN_FLIGHT_PER_THREAD`] entries per pool thread (enough to keep every
/// thread busy while the writer commits a batch or one slow page holds the front), and the
/// pool takes documents only while those in flight hold less than one largest article's
/// bytes (`Limits::max_article`): memory stays flat.
/// Documents each pool thread may have waiting or in work ahead of the writer.
const IN_FLIGHT_PER_THREAD: usize = 64;

#[allow(clippy::too_many_arguments)]
fn run_pooled(
    store: &mut Store,
    files: &[InputFile],
    options: IngestOptions,
    jobs: usize,
    analyser: &Analyser,
    published: &Mutex<Arc<Known>>,
    writer: &mut Writer,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), IngestError> {
    std::thread::scope(|scope| {
        let window = jobs * IN_FLIGHT_PER_THREAD;
        let bytes = usize::try_from(options.limits.max_article).unwrap_or(usize::MAX);
        let (to_pool, mut pool) =
            Pool::start(scope, jobs, window, bytes, analyser, published).map_err(IngestError::Threads)?;
        let (to_writer, queue) = sync_channel::<Entry>(window);
        let limits = options.limits;
        let reader = std::thread::Builder::new()
            .name("ingest-reader".into())
            .stack_size(pool::STACK)
            .spawn_scoped(scope, move || read_ahead(files, limits, &to_pool, &to_writer))
            .map_err(IngestError::Threads)?;
        let mut batch = store.batch()?;
        // Returning early (a store error) drops the queue and the pool: the reader and the
        // pool threads stop at their next send, and the scope waits for them.
        for entry in &queue {
            if writer.write(&mut batch, analyser, entry, Some(&mut pool), progress)? {
                batch.commit()?;
                batch = store.batch()?;
            }
        }
        // The queue ends when the reader does: at the end of the input, or at a panic outside
        // its per-document guard, which must not pass for the end of the input.
        if let Err(panic) = reader.join() {
            std::panic::resume_unwind(panic);
        }
        batch.commit()?;
        Ok(())
    })
}

/// The reader thread: every file in order, its documents numbered across files.
fn read_ahead(files: &[InputFile], limits: Limits, to_pool: &Submit, to_writer: &SyncSender<Entry>) {
    let mut seq = 0u64;
    for file in files {
        let (path, fingerprint) = (file.path.display().to_string(), fingerprint(file));
        let pages = match file.format {
            // How far an archive was read is asked of the writer, which answers when everything
            // before it is written, as one job asks it (the same archive named twice is read
            // once).
            Format::Warc => {
                let (reply, answer) = sync_channel(1);
                if to_writer.send(Entry::OpenArchive { path: path.clone(), fingerprint, reply }).is_err() {
                    return;
                }
                match answer.recv() {
                    Ok(Some(pages)) => pages,
                    Ok(None) => continue,
                    Err(_) => return,
                }
            }
            _ => {
                let file = OpenFile { path: path.clone(), fingerprint, resumable: false, pages: 0 };
                if to_writer.send(Entry::FileStart(file)).is_err() {
                    return;
                }
                0
            }
        };
        let mut results = read_raw_from(file, limits, pages);
        while let Some(result) = next_guarded(&mut results, &path) {
            let entry = match result {
                Ok(raw) => {
                    let source_path = raw.source_path();
                    // A send that fails (the pool gone) shows as this document's error when
                    // the writer waits for it.
                    let _ = to_pool.send(seq, raw);
                    seq += 1;
                    Entry::Doc(Pending::Pooled { seq: seq - 1, source_path })
                }
                Err(error) => Entry::Failed(error),
            };
            if to_writer.send(entry).is_err() {
                return;
            }
        }
        if to_writer.send(Entry::FileEnd).is_err() {
            return;
        }
    }
}

/// What a document came to before the writer: its text's hash and its build, or why it has
/// none (`read`: the reader's error, or a panic while finishing it).
struct Prepared {
    source_path: String,
    read: Result<(String, Stage), SourceError>,
}

enum Stage {
    /// Not built yet (one job: built only if it is not a duplicate).
    Source(Box<SourceDoc>),
    /// Built on the pool, and analysed there if in English, as a guess (see [`Speculative`]).
    Built(Box<Built>),
}

/// A document built (or the panic that stopped it) and its analysis, if it was made.
type Built = (Result<(Document, Vec<String>), String>, Option<Speculative>);

/// An analysis made before the writer knew the document's id or every person learned before
/// it (on the pool, or by a cluster's task): it holds if the store gives the document the id
/// it asked for, `known` is a first part of the people the writer knows, and none of those
/// learned since could be named in its text; else the writer analyses the document again.
struct Speculative {
    doc_id: String,
    known: KnownPrefix,
    learned: Option<Vec<Person>>,
    result: Result<Analysis, String>,
}

impl Prepared {
    /// Finishes a document on the writer's own thread, leaving the build for after the
    /// duplicate check.
    fn later(raw: RawDoc) -> Prepared {
        let source_path = raw.source_path();
        let read =
            finish(raw, &source_path).map(|source| (content_hash(&source.text), Stage::Source(Box::new(source))));
        Prepared { source_path, read }
    }

    /// Finishes, builds and analyses a document on a pool thread.
    fn on_pool(raw: RawDoc, analyser: &Analyser, published: &Mutex<Arc<Known>>) -> Prepared {
        let source_path = raw.source_path();
        let read = finish(raw, &source_path).map(|source| {
            let hash = content_hash(&source.text);
            let built = guarded(|| build_document(source, hash.clone()));
            let speculative = match &built {
                Ok((doc, _)) if is_english(doc) => {
                    let known = Arc::clone(&published.lock().unwrap_or_else(PoisonError::into_inner));
                    let mut learned = None;
                    let result = guarded(|| analyser.analyse_against(doc, &doc.id, known.people(), &mut learned));
                    let known = known.prefix(known.len()).expect("a list has itself as a first part");
                    Some(Speculative { doc_id: doc.id.clone(), known, learned, result })
                }
                _ => None,
            };
            (hash, Stage::Built(Box::new((built, speculative))))
        });
        Prepared { source_path, read }
    }
}

/// Decodes and extracts a document; a panic doing so is that document's error.
fn finish(raw: RawDoc, source_path: &str) -> Result<SourceDoc, SourceError> {
    guarded(|| raw.finish()).unwrap_or_else(|panic| Err(internal_error(source_path, "reading", &panic)))
}

/// The thread that holds the store: writes documents, mentions and facts in input order, and
/// keeps what depends on that order (duplicates, ids, the people known, WARC progress).
struct Writer<'a> {
    summary: Summary,
    /// The people known before the next document: from the store, then from each document
    /// analysed, in input order. An analysis reads them; the analysis of the same document
    /// against a list in another order or length may differ.
    known: Known,
    /// Where the pool reads `known` from, a copy republished as it grows; how long that copy
    /// is and how many documents were analysed since it was made.
    published: Option<&'a Mutex<Arc<Known>>>,
    published_len: usize,
    since_published: usize,
    file: OpenFile,
    batch_size: usize,
    in_batch: usize,
}

impl<'a> Writer<'a> {
    fn new(summary: Summary, known: Known, batch_size: usize, published: Option<&'a Mutex<Arc<Known>>>) -> Self {
        let published_len = known.len();
        Writer {
            summary,
            known,
            published,
            published_len,
            since_published: 0,
            file: OpenFile::default(),
            batch_size,
            in_batch: 0,
        }
    }

    /// Writes one entry; true when the batch is full and should be committed.
    fn write(
        &mut self,
        batch: &mut Batch,
        analyser: &Analyser,
        entry: Entry,
        pool: Option<&mut Pool>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<bool, IngestError> {
        match entry {
            Entry::FileStart(file) => self.file = file,
            Entry::OpenArchive { path, fingerprint, reply } => {
                let (pages, complete) = batch.file_progress(&path, &fingerprint)?.unwrap_or((0, false));
                if complete {
                    self.summary.files_seen_before += 1;
                    progress(Progress::FileDone { path: &path });
                    // The reader waits for the answer; if it is gone, so is the run.
                    let _ = reply.send(None);
                } else {
                    self.file = OpenFile { path, fingerprint, resumable: true, pages };
                    let _ = reply.send(Some(pages));
                }
            }
            Entry::Failed(error) => {
                self.summary.failed += 1;
                progress(Progress::Failed { error: &error });
            }
            Entry::FileEnd => {
                if self.file.resumable {
                    batch.set_file_progress(&self.file.path, &self.file.fingerprint, self.file.pages, true)?;
                }
                progress(Progress::FileDone { path: &self.file.path });
            }
            Entry::Doc(Pending::Later(raw)) => return self.write_doc(batch, analyser, Prepared::later(*raw), progress),
            Entry::Doc(Pending::Ready(prepared)) => return self.write_doc(batch, analyser, *prepared, progress),
            Entry::Doc(Pending::Pooled { seq, source_path }) => {
                let prepared = match pool {
                    Some(pool) => pool.wait(seq, source_path),
                    None => unreachable!("a pooled document without a pool"),
                };
                return self.write_doc(batch, analyser, prepared, progress);
            }
        }
        Ok(false)
    }

    fn write_doc(
        &mut self,
        batch: &mut Batch,
        analyser: &Analyser,
        prepared: Prepared,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<bool, IngestError> {
        let Prepared { source_path, read } = prepared;
        // Only pages that came through count: a resumed run re-reads an uncertain page rather
        // than miss one (its content hash makes a second copy impossible).
        self.file.pages += usize::from(read.is_ok());
        let (hash, stage) = match read {
            Ok(read) => read,
            Err(error) => {
                self.summary.failed += 1;
                progress(Progress::Failed { error: &error });
                return Ok(false);
            }
        };
        if let Some(id) = batch.has_content(&hash)? {
            self.summary.duplicates += 1;
            progress(Progress::Duplicate { id: &id, source_path: &source_path });
            return Ok(false);
        }
        let (built, speculative) = match stage {
            Stage::Source(source) => (guarded(|| build_document(*source, hash)), None),
            Stage::Built(built) => *built,
        };
        let (doc, notes) = match built {
            Ok(built) => built,
            Err(panic) => {
                self.summary.failed += 1;
                progress(Progress::Failed { error: &internal_error(&source_path, "reading", &panic) });
                return Ok(false);
            }
        };
        for note in &notes {
            self.summary.notes += 1;
            progress(Progress::Note { source_path: &doc.meta.source_path, note });
        }
        match batch.insert_document(&doc)? {
            Stored::New(id) if !is_english(&doc) => {
                self.summary.stored += 1;
                self.summary.not_english += 1;
                progress(Progress::Stored { id: &id, source_path: &doc.meta.source_path });
            }
            Stored::New(id) => {
                let (learned, result) = match speculative {
                    Some(s)
                        if s.doc_id == id && self.known.since(s.known).is_some_and(|since| holds(&doc.text, since)) =>
                    {
                        (s.learned, s.result)
                    }
                    speculative => {
                        self.summary.analysed_again += usize::from(speculative.is_some());
                        let mut learned = None;
                        let result = guarded(|| analyser.analyse_against(&doc, &id, self.known.people(), &mut learned));
                        (learned, result)
                    }
                };
                self.learn(learned.unwrap_or_default());
                // The text is stored either way; a fault of the analysis costs this
                // document's facts, never the batch.
                let analysis = result.unwrap_or_else(|panic| {
                    self.summary.failed += 1;
                    let error = internal_error(&doc.meta.source_path, "analysing", &panic);
                    progress(Progress::Failed { error: &error });
                    Analysis::default()
                });
                batch.insert_mentions(&id, &analysis.mentions)?;
                for (fact, evidence) in &analysis.facts {
                    batch.upsert_fact(fact, evidence)?;
                }
                self.summary.stored += 1;
                self.summary.words += doc.word_count();
                self.summary.mentions += analysis.mentions.len();
                self.summary.events += analysis.events;
                progress(Progress::Stored { id: &id, source_path: &doc.meta.source_path });
            }
            Stored::Duplicate(id) => {
                self.summary.duplicates += 1;
                progress(Progress::Duplicate { id: &id, source_path: &doc.meta.source_path });
            }
        }
        self.in_batch += 1;
        if self.file.resumable {
            batch.set_file_progress(&self.file.path, &self.file.fingerprint, self.file.pages, false)?;
        }
        let full = self.in_batch >= self.batch_size;
        if full {
            self.in_batch = 0;
        }
        Ok(full)
    }

    /// Adds a document's people to those known, each once, and republishes the list for the
    /// pool: after every document while it is short, less often as it grows, so copying it
    /// costs at most about a thousand people per document.
    fn learn(&mut self, people: Vec<Person>) {
        self.known.learn(people);
        let Some(published) = self.published else { return };
        self.since_published += 1;
        if self.known.len() > self.published_len && self.since_published >= (self.known.len() / 1024).max(1) {
            *published.lock().unwrap_or_else(PoisonError::into_inner) = Arc::new(self.known.clone());
            self.published_len = self.known.len();
            self.since_published = 0;
        }
    }
}

/// Whether an analysis made against fewer people still holds once `since` are known too.
/// The actors stage finds a known person by full name (its first word, as written, is in
/// the text) or by surname (a word of the text equal to it); a person with neither in the
/// text changes nothing. A text past the actors' window is annotated window by window with
/// the people learned in the windows before, so there any new person means doing it again.
fn holds(text: &str, since: &[Person]) -> bool {
    let may_be_named = |p: &Person| {
        let first = p.name.split(|c: char| c.is_whitespace() || c == '-').find(|w| !w.is_empty());
        match first {
            Some(first) if !p.surname.is_empty() => text.contains(first) || text.contains(&p.surname),
            _ => true,
        }
    };
    since.is_empty() || (text.len() <= entente_actors::WINDOW && !since.iter().any(may_be_named))
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
fn next_guarded(results: &mut RawDocs, path: &str) -> Option<Result<RawDoc, SourceError>> {
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
        title: source.title.map(without_nul),
        url: source.url.map(without_nul),
        source_path: source.source_path,
        author: source.author.map(without_nul),
        language: source.language,
        published: declared.as_ref().map(|(d, _)| *d),
        published_from: declared.as_ref().map(|(_, from)| from.clone()),
    };
    let mut doc = Document::new(source.id.unwrap_or(source.id_hint), without_nul(source.text), meta);
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

/// `s` with each NUL a space: NUL means nothing in news, and PostgreSQL's text cannot hold
/// it; a space keeps every byte offset (the content hash stays that of the text as read).
fn without_nul(s: String) -> String {
    if s.contains('\0') { s.replace('\0', " ") } else { s }
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
