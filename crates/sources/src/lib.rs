//! Readers: news files in, one [`SourceDoc`] or one [`SourceError`] per document out.
//!
//! **Invariants:** a reader never aborts a batch (every error names its file, and line where
//! there is one, and the next document is read); memory stays flat whatever the input size
//! (JSONL is streamed line by line, and one article is refused past [`Limits::max_article`];
//! gzip input is refused when it expands past [`bounded::GZIP_MAX_RATIO`] times its size; every
//! line, header and record has a cap, see [`bounded`] and the WARC reader's constants);
//! readers know nothing of sentences, actors or the store.

pub mod bounded;
mod decode;
mod feed;
mod html;
mod jsonl;
mod plain;
mod warc;
mod web;

pub use decode::{DecodeProblem, Decoded, declared_html_charset, decode};
pub use feed::parse_feed;
pub use warc::{MAX_HEADER_BLOCK, MAX_HEADER_LINE, MAX_HTTP_HEADER};
pub use web::{WebPage, web_page_doc};

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A document as its source gives it, before any annotation.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceDoc {
    /// An id the source itself gives (a JSONL `id` field).
    pub id: Option<String>,
    /// The id to use otherwise: the file's name without its extensions.
    pub id_hint: String,
    /// `path`, or `path:line` for a JSONL record.
    pub source_path: String,
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    /// A date the source declares outside the text, still unparsed.
    pub declared_date: Option<DeclaredDate>,
    /// Problems that did not stop the document from being read (encoding repaired, ...).
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeclaredDate {
    pub raw: String,
    /// Where it was found: `jsonl:date`, `meta:article:published_time`, `url`, ...
    pub from: String,
}

#[derive(Debug, Error)]
pub enum SourceError {
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: no such file or directory")]
    Missing { path: String },
    #[error("{path}: empty file")]
    Empty { path: String },
    #[error("{path}: binary data, not text")]
    Binary { path: String },
    #[error("{path}: truncated or corrupt gzip data ({detail})")]
    Gzip { path: String, detail: String },
    #[error(
        "{path}: {size} bytes; one article may be at most {limit} bytes (split it, or use JSONL, which is streamed)"
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}:{line}: not valid JSON ({detail})")]
    NotJson { path: String, line: usize, detail: String },
    #[error("{path}:{line}: {problem}")]
    BadRecord { path: String, line: usize, problem: String },
    /// `detail` says why when it is known (" (a page nested too deep for the fallback
    /// extractor ...)"), else is empty.
    #[error("{path}: no article text found in the page{detail}")]
    NoArticle { path: String, detail: String },
    #[error("{path}: not an RSS or Atom feed ({problem})")]
    NotAFeed { path: String, problem: String },
    /// One WARC record (numbered from 1) that could not be read; `offset` is where it starts
    /// in the decompressed stream.
    #[error("{path}#record{record} (at byte {offset}): {problem}")]
    WarcRecord { path: String, record: usize, offset: u64, problem: String },
    /// A file with a WARC name in which no `WARC/` version line was found.
    #[error("{path}: not a WARC file (no WARC record in its {bytes} bytes)")]
    NotWarc { path: String, bytes: u64 },
    /// Gzip data that expanded past what its size allows (see [`bounded::GZIP_MAX_RATIO`]).
    #[error("{path}: gzip data refused: {detail}")]
    Expansion { path: String, detail: String },
    /// A fault of Entente's own while reading or analysing one document (a bug): reported as
    /// that document's error so the batch goes on.
    #[error("{path}: internal error while {stage} (a bug; please report it): {problem}")]
    Internal { path: String, stage: &'static str, problem: String },

    /// An error found elsewhere (on another machine, by another process) and passed on as it
    /// was written there.
    #[error("{message}")]
    Relayed { message: String },

    #[error(
        "{path}: unsupported file type (expected .txt, .html, .htm, .jsonl, .rss, .atom, .xml, .warc, optionally .gz)"
    )]
    Unsupported { path: String },
}

/// Why a page gave no text, for [`SourceError::NoArticle`]: the fallback extractor's reason
/// when it was asked and gave nothing.
pub(crate) fn no_article(path: String, extraction: &entente_extract::Extraction) -> SourceError {
    let detail = match &extraction.fallback_error {
        Some(e) if !matches!(e, entente_extract::FallbackError::NothingFound) => format!(" ({e})"),
        _ => String::new(),
    };
    SourceError::NoArticle { path, detail }
}

/// Size limits that keep memory flat.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The largest single article (a .txt or .html file, a feed, one JSONL line, one WARC
    /// record's payload or its decompressed HTTP body), in bytes.
    pub max_article: u64,
}

impl Limits {
    /// What a whole gzip file may always expand to, whatever its ratio: two articles (64 MiB
    /// by default). Past this, its output may be at most [`bounded::GZIP_MAX_RATIO`] times the
    /// compressed bytes read so far. Derived from `max_article` so that one setting moves all.
    pub fn gzip_allowance(&self) -> u64 {
        self.max_article.saturating_mul(2)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_article: 32 << 20 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Jsonl,
    /// RSS or Atom.
    Feed,
    /// WARC, as Common Crawl's CC-NEWS publishes it.
    Warc,
}

/// One input file and how to read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub format: Format,
    pub gzip: bool,
}

/// The format of a file from its name; `None` for types Entente does not read.
pub fn format_of(path: &Path) -> Option<(Format, bool)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (name, gzip) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (name, false),
    };
    let ext = name.rsplit_once('.')?.1;
    let format = match ext {
        "txt" | "text" => Format::Text,
        "html" | "htm" | "xhtml" => Format::Html,
        "jsonl" | "ndjson" => Format::Jsonl,
        "rss" | "atom" | "xml" => Format::Feed,
        "warc" | "arc" => Format::Warc,
        _ => return None,
    };
    Some((format, gzip))
}

/// The file's name without any of its extensions: `a/000_x.txt.gz` → `000_x`.
pub fn file_stem(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("document");
    let stem = name.split('.').next().unwrap_or(name);
    if stem.is_empty() { name.to_string() } else { stem.to_string() }
}

/// Expands paths into the files to read: directories recursively, in name order so that a
/// run is repeatable. Files named directly must have a supported type; files found inside
/// directories are skipped quietly when they do not (`skipped` counts them).
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut found = Discovery::default();
    for path in paths {
        if path.is_dir() {
            let walk = walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name();
            for entry in walk {
                match entry {
                    Ok(e) if e.file_type().is_file() => match format_of(e.path()) {
                        Some((format, gzip)) => found.files.push(InputFile { path: e.into_path(), format, gzip }),
                        None => found.skipped += 1,
                    },
                    Ok(_) => {}
                    Err(err) => found.errors.push(SourceError::Io {
                        path: err.path().unwrap_or(path).display().to_string(),
                        source: err.into_io_error().unwrap_or_else(|| std::io::Error::other("loop in directory links")),
                    }),
                }
            }
        } else if path.exists() {
            match format_of(path) {
                Some((format, gzip)) => found.files.push(InputFile { path: path.clone(), format, gzip }),
                None => found.errors.push(SourceError::Unsupported { path: path.display().to_string() }),
            }
        } else {
            found.errors.push(SourceError::Missing { path: path.display().to_string() });
        }
    }
    found
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<InputFile>,
    pub errors: Vec<SourceError>,
    /// Files inside directories whose type Entente does not read.
    pub skipped: usize,
}

/// The documents of one file, read lazily: a JSONL file yields one result per line, a feed
/// one per item, a WARC file one per HTML page.
pub fn read_file(file: &InputFile, limits: Limits) -> Box<dyn Iterator<Item = Result<SourceDoc, SourceError>>> {
    read_file_from(file, limits, 0)
}

/// As [`read_file`], passing over the first `skip` pages of a WARC file without extracting
/// them: how an interrupted run picks up where it stopped.
pub fn read_file_from(
    file: &InputFile,
    limits: Limits,
    skip: usize,
) -> Box<dyn Iterator<Item = Result<SourceDoc, SourceError>>> {
    Box::new(read_raw_from(file, limits, skip).map(|raw| raw.and_then(RawDoc::finish)))
}

/// A document cut from its file but not yet decoded or extracted: an HTML or text file's
/// bytes, or a WARC page's HTTP body. [`RawDoc::finish`] does the rest, on any thread, so a
/// caller can read a file in order on one thread and extract its pages on many.
#[derive(Debug)]
pub struct RawDoc(Raw);

#[derive(Debug)]
enum Raw {
    /// Read whole by the reader (a JSONL line, a feed item): nothing left to do.
    Done(SourceDoc),
    Html {
        bytes: Vec<u8>,
        file: InputFile,
    },
    Text {
        bytes: Vec<u8>,
        file: InputFile,
    },
    WarcPage(warc::RawPage),
}

impl From<SourceDoc> for RawDoc {
    /// A document already read elsewhere (a page a crawler fetched and extracted).
    fn from(doc: SourceDoc) -> Self {
        RawDoc(Raw::Done(doc))
    }
}

impl RawDoc {
    /// Decodes and extracts the document, with the same limits and errors as [`read_file`].
    pub fn finish(self) -> Result<SourceDoc, SourceError> {
        match self.0 {
            Raw::Done(doc) => Ok(doc),
            Raw::Html { bytes, file } => html::html_doc(&bytes, &file),
            Raw::Text { bytes, file } => plain::text_doc(&bytes, &file),
            Raw::WarcPage(page) => page.finish(),
        }
    }

    /// The bytes it holds before it is finished (a page's markup, a text's bytes): what a
    /// reader running ahead of the work counts to bound the memory it holds.
    pub fn size(&self) -> usize {
        match &self.0 {
            Raw::Done(doc) => doc.text.len(),
            Raw::Html { bytes, .. } | Raw::Text { bytes, .. } => bytes.len(),
            Raw::WarcPage(page) => page.size(),
        }
    }

    /// Where the document comes from (`path`, `path:line`, `path#recordN`), for an error
    /// about it that [`RawDoc::finish`] could not name itself.
    pub fn source_path(&self) -> String {
        match &self.0 {
            Raw::Done(doc) => doc.source_path.clone(),
            Raw::Html { file, .. } | Raw::Text { file, .. } => file.path.display().to_string(),
            Raw::WarcPage(page) => page.source_path(),
        }
    }
}

/// As [`read_file_from`], stopping short of the expensive part: each page comes as a
/// [`RawDoc`] to finish. Errors found while cutting documents from the file (a bad JSONL
/// line, a broken WARC record, a file too large) come as they would from [`read_file_from`],
/// in the same order.
pub fn read_raw_from(
    file: &InputFile,
    limits: Limits,
    skip: usize,
) -> Box<dyn Iterator<Item = Result<RawDoc, SourceError>>> {
    let path = file.path.display().to_string();
    let reader = match open(file, limits) {
        Ok(r) => r,
        Err(source) => return Box::new(std::iter::once(Err(SourceError::Io { path, source }))),
    };
    let done = |doc: Result<SourceDoc, SourceError>| doc.map(|d| RawDoc(Raw::Done(d)));
    match file.format {
        Format::Jsonl => Box::new(jsonl::JsonlReader::new(reader, file, limits).map(done)),
        Format::Warc => {
            Box::new(warc::WarcReader::new(reader, file, limits, skip).map(|r| r.map(Raw::WarcPage).map(RawDoc)))
        }
        Format::Feed => match read_whole(reader, file, limits) {
            Ok(bytes) => Box::new(feed::feed_docs(&bytes, file).into_iter().map(done)),
            Err(e) => Box::new(std::iter::once(Err(e))),
        },
        Format::Text | Format::Html => {
            let result = read_whole(reader, file, limits).map(|bytes| {
                let file = file.clone();
                match file.format {
                    Format::Html => RawDoc(Raw::Html { bytes, file }),
                    _ => RawDoc(Raw::Text { bytes, file }),
                }
            });
            Box::new(std::iter::once(result))
        }
    }
}

/// Opens a file; gzip is decompressed behind a guard that stops a decompression bomb as soon
/// as its output outgrows its input, instead of after gigabytes.
fn open(file: &InputFile, limits: Limits) -> std::io::Result<Box<dyn Read>> {
    let f = File::open(&file.path)?;
    if !file.gzip {
        return Ok(Box::new(BufReader::new(f)));
    }
    let (counting, compressed) = bounded::Counting::new(f);
    let decoder = MultiGzDecoder::new(BufReader::new(counting));
    Ok(Box::new(bounded::ExpansionGuard::new(decoder, compressed, limits.gzip_allowance())))
}

/// Reads one whole article, refusing it past the limit without reading further.
fn read_whole(reader: Box<dyn Read>, file: &InputFile, limits: Limits) -> Result<Vec<u8>, SourceError> {
    let path = file.path.display().to_string();
    if !file.gzip {
        let size = std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
        if size > limits.max_article {
            return Err(SourceError::TooLarge { path, size, limit: limits.max_article });
        }
    }
    let mut bytes = Vec::new();
    reader.take(limits.max_article + 1).read_to_end(&mut bytes).map_err(|e| read_error(file, e))?;
    if bytes.len() as u64 > limits.max_article {
        return Err(SourceError::TooLarge { path, size: bytes.len() as u64, limit: limits.max_article });
    }
    Ok(bytes)
}

/// A read error, named as a gzip problem when it came from decompressing.
fn read_error(file: &InputFile, e: std::io::Error) -> SourceError {
    let path = file.path.display().to_string();
    if let Some(expansion) = bounded::expansion_problem(&e) {
        return SourceError::Expansion { path, detail: expansion.to_string() };
    }
    if file.gzip { SourceError::Gzip { path, detail: e.to_string() } } else { SourceError::Io { path, source: e } }
}

impl SourceError {
    /// Says where in the file a stream error happened, for the errors that carry a detail.
    fn with_place(self, place: &str) -> SourceError {
        match self {
            SourceError::Gzip { path, detail } => SourceError::Gzip { path, detail: format!("{detail}; {place}") },
            SourceError::Expansion { path, detail } => {
                SourceError::Expansion { path, detail: format!("{detail}; {place}") }
            }
            other => other,
        }
    }
}

/// Maps a decoding problem to the error that names the file.
fn decode_error(problem: DecodeProblem, path: String) -> SourceError {
    match problem {
        DecodeProblem::Empty => SourceError::Empty { path },
        DecodeProblem::Binary => SourceError::Binary { path },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_stems() {
        assert_eq!(format_of(Path::new("a/b.TXT.gz")), Some((Format::Text, true)));
        assert_eq!(format_of(Path::new("b.htm")), Some((Format::Html, false)));
        assert_eq!(format_of(Path::new("b.ndjson")), Some((Format::Jsonl, false)));
        assert_eq!(format_of(Path::new("b.pdf")), None);
        assert_eq!(file_stem(Path::new("dir/000_x.txt.gz")), "000_x");
        assert_eq!(file_stem(Path::new(".hidden")), ".hidden");
    }

    #[test]
    fn discover_walks_directories_in_order_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.txt", "a.html", "sub/c.jsonl.gz", "notes.pdf"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf(), dir.path().join("nope.txt")]);
        let names: Vec<_> = found.files.iter().map(|f| file_stem(&f.path)).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(found.skipped, 1);
        assert!(found.errors[0].to_string().contains("nope.txt: no such file"));
    }
}
