//! WARC and WARC.gz files as Common Crawl's CC-NEWS publishes them, read as a stream: one
//! record at a time, so memory stays flat on multi-gigabyte files. HTTP responses with HTML
//! become documents; other records are passed over. A record whose Content-Length is wrong
//! gives one error and the reader finds the next record.
//!
//! Nothing in the file is trusted to be small: header lines, header blocks, payloads, HTTP
//! headers and compressed bodies each have a cap, a breach is that record's error, and bytes
//! that are not records are scanned past a bounded line at a time until the next `WARC/` line.

use crate::bounded::{Line, decompress_capped, find, read_line_capped};
use crate::web::{WebPage, web_page_doc};
use crate::{DeclaredDate, InputFile, Limits, SourceDoc, SourceError, read_error};
use std::collections::HashMap;
use std::io::{BufReader, Read};

/// The longest WARC header line kept. The longest real one is WARC-Target-URI, and URLs stop
/// at a few kilobytes (browsers and servers refuse past 8 to 64 KiB); a longer line is not a
/// header, and while scanning between records, not a version line either.
pub const MAX_HEADER_LINE: u64 = 64 << 10;

/// The largest WARC header block. CC-NEWS records carry under one kilobyte of headers; four
/// full-length lines is generous.
pub const MAX_HEADER_BLOCK: u64 = 4 * MAX_HEADER_LINE;

/// The largest HTTP header block in a response. Servers refuse requests past 8 to 64 KiB of
/// headers and send far less; a page whose headers do not end by then is not a page.
pub const MAX_HTTP_HEADER: usize = 64 << 10;

/// How much of a payload is set aside before reading it: the Content-Length is the file's
/// word, and a false one must not reserve memory the payload never fills.
const PAYLOAD_RESERVE: u64 = 1 << 20;

pub(crate) struct WarcReader {
    reader: BufReader<Box<dyn Read>>,
    file: InputFile,
    limits: Limits,
    /// Records read so far (all types), for messages.
    records: usize,
    /// HTML responses seen so far: the unit a resumed run skips by.
    pages: usize,
    skip_pages: usize,
    /// Bytes of the (decompressed) stream consumed so far.
    offset: u64,
    /// Where the current record's version line starts in the stream.
    record_offset: u64,
    /// Bytes that are not records, being passed over: where they start and how many.
    junk: Option<(u64, u64)>,
    /// After a record error that lost the record's framing, the bytes up to the next record
    /// are that record's remains: passed over without a second error.
    resyncing: bool,
    /// One line at a time, never longer than [`MAX_HEADER_LINE`].
    line: Vec<u8>,
    done: bool,
    /// A page read while reporting the error before it.
    pending: Option<Result<RawPage, SourceError>>,
}

/// Why a record's WARC headers could not be read.
enum HeaderError {
    /// The stream itself failed: nothing after it can be read.
    Io(std::io::Error),
    /// The headers broke a cap: this record is lost, the next one can be found.
    Bad(String),
}

impl WarcReader {
    pub(crate) fn new(reader: Box<dyn Read>, file: &InputFile, limits: Limits, skip_pages: usize) -> Self {
        WarcReader {
            reader: BufReader::with_capacity(1 << 16, reader),
            file: file.clone(),
            limits,
            records: 0,
            pages: 0,
            skip_pages,
            offset: 0,
            record_offset: 0,
            junk: None,
            resyncing: false,
            line: Vec::new(),
            done: false,
            pending: None,
        }
    }

    fn path(&self) -> String {
        self.file.path.display().to_string()
    }

    /// An error about the current record, naming the file, the record and where it starts.
    fn record_error(&self, problem: String) -> SourceError {
        SourceError::WarcRecord { path: self.path(), record: self.records, offset: self.record_offset, problem }
    }

    /// The stream failed (corrupt or truncated gzip, a decompression bomb, an I/O error).
    fn stream_error(&mut self, e: std::io::Error) -> SourceError {
        self.done = true;
        let error = read_error(&self.file, e);
        let place = match self.records {
            0 => format!("at byte {} of the WARC stream, before any record", self.offset),
            n => format!("at byte {} of the WARC stream, in or after record {n}", self.offset),
        };
        error.with_place(&place)
    }

    /// Reads up to and including the next "WARC/" version line, noting the bytes passed over
    /// on the way. Returns false at the end of the stream.
    fn next_version_line(&mut self) -> std::io::Result<bool> {
        loop {
            let start = self.offset;
            let (size, complete) = match read_line_capped(&mut self.reader, &mut self.line, MAX_HEADER_LINE)? {
                Line::Eof => return Ok(false),
                Line::Complete(n) => (n, true),
                Line::TooLong { consumed, .. } => (consumed, false),
            };
            self.offset += size;
            if complete && self.line.starts_with(b"WARC/") {
                self.record_offset = start;
                return Ok(true);
            }
            if !complete || !self.line.iter().all(u8::is_ascii_whitespace) {
                let (from, bytes) = self.junk.unwrap_or((start, 0));
                self.junk = Some((from, bytes + size));
            }
        }
    }

    /// The error for the bytes passed over before this record, unless they were the remains of
    /// a record already reported.
    fn junk_error(&mut self) -> Option<SourceError> {
        let resyncing = std::mem::take(&mut self.resyncing);
        let (from, bytes) = self.junk.take()?;
        if resyncing {
            return None;
        }
        let problem = if self.records == 0 {
            format!("{bytes} bytes of data that is not WARC before the first record (from byte {from})")
        } else {
            format!(
                "{bytes} bytes of data that is not WARC from byte {from} (a wrong Content-Length before this record?)"
            )
        };
        let (path, record, offset) = (self.path(), self.records + 1, self.record_offset);
        Some(SourceError::WarcRecord { path, record, offset, problem })
    }

    /// At the end of the stream: a file with no record at all is not a WARC file, and data
    /// after the last record is reported rather than dropped in silence.
    fn end_error(&mut self) -> Option<SourceError> {
        if self.records == 0 {
            let path = self.path();
            return Some(match self.offset {
                0 => SourceError::Empty { path },
                bytes => SourceError::NotWarc { path, bytes },
            });
        }
        let (from, bytes) = self.junk.take()?;
        if self.resyncing {
            return None;
        }
        let problem = format!("{bytes} bytes of data that is not WARC after the last record (from byte {from})");
        Some(SourceError::WarcRecord { path: self.path(), record: self.records, offset: self.record_offset, problem })
    }

    /// The record's WARC headers (lower-case names), read a bounded line at a time.
    fn headers(&mut self) -> Result<HashMap<String, String>, HeaderError> {
        let mut headers = HashMap::new();
        let mut block: u64 = 0;
        loop {
            let line = read_line_capped(&mut self.reader, &mut self.line, MAX_HEADER_LINE).map_err(HeaderError::Io)?;
            let size = match line {
                Line::Eof => return Ok(headers),
                Line::Complete(n) => n,
                Line::TooLong { consumed, .. } => {
                    self.offset += consumed;
                    return Err(HeaderError::Bad(format!("a header line longer than {MAX_HEADER_LINE} bytes")));
                }
            };
            self.offset += size;
            block += size;
            if block > MAX_HEADER_BLOCK {
                return Err(HeaderError::Bad(format!("headers longer than {MAX_HEADER_BLOCK} bytes")));
            }
            let text = String::from_utf8_lossy(&self.line);
            if text.trim().is_empty() {
                return Ok(headers);
            }
            if let Some((k, v)) = text.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
    }
}

impl Iterator for WarcReader {
    type Item = Result<RawPage, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(pending) = self.pending.take() {
            return Some(pending);
        }
        while !self.done {
            match self.next_version_line() {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return self.end_error().map(Err);
                }
                Err(e) => return Some(Err(self.stream_error(e))),
            }
            let junk = self.junk_error();
            let record = self.read_record();
            match (junk, record) {
                (Some(junk), record) => {
                    // Bytes that were not a record: the previous record's Content-Length was wrong.
                    self.pending = record;
                    return Some(Err(junk));
                }
                (None, Some(record)) => return Some(record),
                (None, None) => {}
            }
        }
        None
    }
}

impl WarcReader {
    /// Reads the record whose version line was just read. None: not a page (or skipped).
    fn read_record(&mut self) -> Option<Result<RawPage, SourceError>> {
        self.records += 1;
        let headers = match self.headers() {
            Ok(h) => h,
            Err(HeaderError::Io(e)) => return Some(Err(self.stream_error(e))),
            Err(HeaderError::Bad(problem)) => {
                self.resyncing = true;
                return Some(Err(self.record_error(problem)));
            }
        };
        let Some(length) = headers.get("content-length").and_then(|l| l.parse::<u64>().ok()) else {
            self.resyncing = true;
            return Some(Err(self.record_error("no valid Content-Length".into())));
        };
        let is_response = headers.get("warc-type").is_some_and(|t| t == "response")
            && headers.get("content-type").is_some_and(|t| t.contains("application/http"));
        if !is_response || length > self.limits.max_article {
            return self.skip_payload(length, is_response);
        }
        let payload = match self.payload(length) {
            Ok(payload) => payload,
            Err(error) => return Some(Err(error)),
        };
        let (http, body_start) = match split_http(&payload) {
            Ok(Some(split)) => split,
            Ok(None) => return None,
            Err(problem) => return Some(Err(self.record_error(problem))),
        };
        if !http.get("content-type").is_some_and(|t| t.contains("html")) {
            return None;
        }
        self.pages += 1;
        if self.pages <= self.skip_pages {
            return None;
        }
        Some(Ok(RawPage {
            file: self.file.clone(),
            limits: self.limits,
            record: self.records,
            record_offset: self.record_offset,
            uri: headers.get("warc-target-uri").cloned(),
            date: headers.get("warc-date").cloned(),
            http,
            payload,
            body_start,
        }))
    }

    /// Passes over a payload that is not read (not a page, or larger than a page may be)
    /// without holding it: a record of any size costs constant memory.
    fn skip_payload(&mut self, length: u64, is_response: bool) -> Option<Result<RawPage, SourceError>> {
        let skipped = std::io::copy(&mut (&mut self.reader).take(length), &mut std::io::sink());
        match skipped {
            Ok(n) if n < length => {
                self.offset += n;
                self.done = true;
                Some(Err(self.record_error(format!("truncated: {n} of {length} bytes"))))
            }
            Err(e) => Some(Err(self.stream_error(e))),
            Ok(n) => {
                self.offset += n;
                let too_large = length > self.limits.max_article && is_response;
                too_large.then(|| {
                    Err(self.record_error(format!(
                        "{length} bytes; one page may be at most {} (passed over)",
                        self.limits.max_article
                    )))
                })
            }
        }
    }

    /// Reads a payload of at most `max_article` bytes (the caller checked `length`).
    fn payload(&mut self, length: u64) -> Result<Vec<u8>, SourceError> {
        let mut payload = Vec::with_capacity(length.min(PAYLOAD_RESERVE) as usize);
        match (&mut self.reader).take(length).read_to_end(&mut payload) {
            Ok(n) if (n as u64) < length => {
                self.offset += n as u64;
                self.done = true;
                Err(self.record_error(format!("truncated: {n} of {length} bytes")))
            }
            Err(e) => Err(self.stream_error(e)),
            Ok(n) => {
                self.offset += n as u64;
                Ok(payload)
            }
        }
    }
}

/// An HTML page cut from the archive, its body not yet decoded or extracted: what a caller
/// hands to another thread, which finishes it with [`RawPage::finish`].
#[derive(Debug)]
pub(crate) struct RawPage {
    file: InputFile,
    limits: Limits,
    /// The record's number (from 1) and where it starts in the decompressed stream.
    record: usize,
    record_offset: u64,
    /// WARC-Target-URI and WARC-Date.
    uri: Option<String>,
    date: Option<String>,
    http: HashMap<String, String>,
    /// The record's whole payload; the HTTP body starts at `body_start`.
    payload: Vec<u8>,
    body_start: usize,
}

impl RawPage {
    /// The bytes it holds (its payload).
    pub(crate) fn size(&self) -> usize {
        self.payload.len()
    }

    pub(crate) fn source_path(&self) -> String {
        format!("{}#record{}", self.file.path.display(), self.record)
    }

    /// An error about this record, as the reader names one.
    fn record_error(&self, problem: String) -> SourceError {
        let path = self.file.path.display().to_string();
        SourceError::WarcRecord { path, record: self.record, offset: self.record_offset, problem }
    }

    /// The page's body decoded and its article extracted.
    pub(crate) fn finish(self) -> Result<SourceDoc, SourceError> {
        let body = decoded_body(&self.http, &self.payload[self.body_start..], self.limits)
            .map_err(|problem| self.record_error(problem))?;
        let page = WebPage {
            source_path: self.source_path(),
            content_type: self.http.get("content-type").cloned(),
            fallback_date: self.date.map(|d| DeclaredDate { raw: d, from: "warc:date".into() }),
            fallback_id: crate::file_stem(&self.file.path),
            url: self.uri,
        };
        web_page_doc(&body, page)
    }
}

/// An HTTP response's headers (lower-case names) and where its body starts.
type HttpResponse = (HashMap<String, String>, usize);

/// The payload as an HTTP response; None when it is not one, an error when its header block
/// runs past [`MAX_HTTP_HEADER`].
fn split_http(payload: &[u8]) -> Result<Option<HttpResponse>, String> {
    if !payload.starts_with(b"HTTP/") {
        return Ok(None);
    }
    // Only the first MAX_HTTP_HEADER bytes are searched: the search stays cheap on any payload.
    let head_area = &payload[..payload.len().min(MAX_HTTP_HEADER + 4)];
    let crlf = find(head_area, b"\r\n\r\n").map(|p| (p, 4));
    let lf = find(head_area, b"\n\n").map(|p| (p, 2));
    let Some((head_end, sep)) = [crlf, lf].into_iter().flatten().min_by_key(|&(p, _)| p) else {
        return match payload.len() > MAX_HTTP_HEADER {
            true => Err(format!("HTTP headers longer than {MAX_HTTP_HEADER} bytes")),
            false => Ok(None),
        };
    };
    if head_end > MAX_HTTP_HEADER {
        return Err(format!("HTTP headers longer than {MAX_HTTP_HEADER} bytes"));
    }
    let head = String::from_utf8_lossy(&payload[..head_end]);
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Some((headers, head_end + sep)))
}

/// The body as the server meant it: de-chunked and decompressed when the headers say so.
/// Decompressed, it is held to the size of one article, like an .html file on disk, and to
/// [`crate::bounded::GZIP_MAX_RATIO`] times its compressed size.
fn decoded_body(http: &HashMap<String, String>, body: &[u8], limits: Limits) -> Result<Vec<u8>, String> {
    let body = if http.get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    let cap = limits.max_article;
    match http.get("content-encoding").map(|e| e.to_ascii_lowercase()) {
        Some(e) if e.contains("gzip") => {
            let decoder = flate2::read::MultiGzDecoder::new(&body[..]);
            decompress_capped(decoder, body.len(), cap).map_err(|e| format!("gzip-encoded body: {e}"))
        }
        Some(e) if e.contains("deflate") => {
            let decoder = flate2::read::ZlibDecoder::new(&body[..]);
            decompress_capped(decoder, body.len(), cap).map_err(|e| format!("deflate-encoded body: {e}"))
        }
        _ => Ok(body),
    }
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = find(body, b"\r\n").ok_or("chunked body without a size line")?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = body.get(..size).ok_or("chunk longer than the body")?;
        out.extend_from_slice(chunk);
        body = body.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Format;
    use std::io::Write;

    pub(crate) fn record(kind: &str, uri: &str, payload: &[u8]) -> Vec<u8> {
        entente_testdata::warc_record(kind, uri, payload)
    }

    pub(crate) fn page(title: &str, body: &str) -> Vec<u8> {
        let html = format!(
            "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p><p>{body} Again, in more words for the extractor.</p></article></body></html>"
        );
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}").into_bytes()
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn read(bytes: Vec<u8>, gzip: bool, skip: usize) -> Vec<Result<SourceDoc, SourceError>> {
        let file = InputFile { path: "cc/news.warc.gz".into(), format: Format::Warc, gzip };
        let inner: Box<dyn Read> = Box::new(std::io::Cursor::new(bytes));
        let reader: Box<dyn Read> = if gzip { Box::new(flate2::read::MultiGzDecoder::new(inner)) } else { inner };
        WarcReader::new(reader, &file, Limits::default(), skip).map(|r| r.and_then(RawPage::finish)).collect()
    }

    fn archive() -> Vec<Vec<u8>> {
        vec![
            record("warcinfo", "", b"software: test"),
            record("request", "https://x.org/a", b"GET /a HTTP/1.1\r\n\r\n"),
            record(
                "response",
                "https://x.org/2023/07/12/nato-summit.html",
                &page("NATO summit opens", "Leaders of the alliance met in Vilnius with Japan and South Korea."),
            ),
            record("response", "https://x.org/logo.png", b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG"),
            record(
                "response",
                "https://x.org/b",
                &page("Quad meets", "The Quad met in Tokyo to discuss maritime security in the region."),
            ),
        ]
    }

    #[test]
    fn per_record_gzip_stream_yields_the_html_pages() {
        let bytes: Vec<u8> = archive().iter().flat_map(|r| gz(r)).collect();
        let docs: Vec<SourceDoc> = read(bytes, true, 0).into_iter().map(Result::unwrap).collect();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id_hint, "nato-summit");
        assert!(docs[0].text.starts_with("NATO summit opens\n\n"), "{}", docs[0].text);
        assert!(docs[0].text.contains("Leaders of the alliance met in Vilnius"), "{}", docs[0].text);
        assert_eq!(docs[0].declared_date.as_ref().unwrap().from, "warc:date");
        assert_eq!(docs[1].source_path, "cc/news.warc.gz#record5");
        let skipped = read(archive().concat(), false, 1);
        assert_eq!(skipped.len(), 1, "a resumed run skips the pages already read");
    }

    #[test]
    fn truncated_streams_and_wrong_lengths_give_errors_and_the_rest_goes_on() {
        let mut records = archive();
        // A Content-Length forty bytes too short: the record's tail lands between records.
        let payload = page("NATO summit opens", "Leaders of the alliance met in Vilnius with Japan and South Korea.");
        let mut bad = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http\r\nContent-Length: {}\r\n\r\n",
            payload.len() - 40
        )
        .into_bytes();
        bad.extend_from_slice(&payload);
        bad.extend_from_slice(b"\r\n\r\n");
        records[2] = bad;
        let results = read(records.concat(), false, 0);
        let errors: Vec<String> = results.iter().filter_map(|r| r.as_ref().err().map(|e| e.to_string())).collect();
        assert!(!errors.is_empty());
        assert!(
            results.iter().any(|r| r.as_ref().is_ok_and(|d| d.title.as_deref() == Some("Quad meets"))),
            "{errors:?}"
        );
        let whole: Vec<u8> = archive().iter().flat_map(|r| gz(r)).collect();
        let cut = read(whole[..whole.len() - 40].to_vec(), true, 0);
        assert!(
            cut.last().unwrap().as_ref().unwrap_err().to_string().contains("cc/news.warc.gz"),
            "the truncation is named"
        );
    }

    #[test]
    fn http_headers_past_their_cap_are_the_records_error() {
        let mut payload = b"HTTP/1.1 200 OK\r\nX-Junk: ".to_vec();
        payload.resize(MAX_HTTP_HEADER + 100, b'a');
        payload.extend_from_slice(b"\r\n\r\n<html></html>");
        assert!(split_http(&payload).unwrap_err().contains("HTTP headers longer than 65536 bytes"));
        let mut records = archive();
        records.insert(3, record("response", "https://x.org/junk", &payload));
        let results = read(records.concat(), false, 0);
        let errors: Vec<String> = results.iter().filter_map(|r| r.as_ref().err().map(|e| e.to_string())).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("cc/news.warc.gz#record4 (at byte "), "{}", errors[0]);
        assert_eq!(results.len(), 3, "the pages around it still come through");
    }

    #[test]
    fn chunked() {
        assert_eq!(dechunk(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").unwrap(), b"hello world");
        assert!(dechunk(b"zz\r\nx").is_err());
    }
}
