//! WARC and WARC.gz files as Common Crawl's CC-NEWS publishes them, read as a stream: one
//! record at a time, so memory stays flat on multi-gigabyte files. HTTP responses with HTML
//! become documents; other records are passed over. A record whose Content-Length is wrong
//! gives one error and the reader finds the next record.

use crate::{
    DeclaredDate, InputFile, Limits, SourceDoc, SourceError, declared_html_charset, decode, decode_error, read_error,
};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

pub(crate) struct WarcReader {
    reader: BufReader<Box<dyn Read>>,
    file: InputFile,
    limits: Limits,
    /// Records read so far (all types), for messages.
    records: usize,
    /// HTML responses seen so far: the unit a resumed run skips by.
    pages: usize,
    skip_pages: usize,
    done: bool,
    /// A page read while reporting the error before it.
    pending: Option<Result<SourceDoc, SourceError>>,
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
            done: false,
            pending: None,
        }
    }

    fn path(&self) -> String {
        self.file.path.display().to_string()
    }

    fn record_error(&self, problem: String) -> SourceError {
        SourceError::BadRecord { path: format!("{}#record{}", self.path(), self.records + 1), line: 0, problem }
            .at_record()
    }

    /// Reads up to the next "WARC/" version line. Returns false at the end of the stream.
    fn next_header_line(&mut self) -> Result<Option<bool>, std::io::Error> {
        let mut line = Vec::new();
        let mut skipped_garbage = false;
        loop {
            line.clear();
            if self.reader.read_until(b'\n', &mut line)? == 0 {
                return Ok(None);
            }
            if line.starts_with(b"WARC/") {
                return Ok(Some(skipped_garbage));
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                skipped_garbage = true;
            }
        }
    }

    fn headers(&mut self) -> Result<HashMap<String, String>, std::io::Error> {
        let mut headers = HashMap::new();
        let mut line = String::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                return Ok(headers);
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
    }
}

impl Iterator for WarcReader {
    type Item = Result<SourceDoc, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(pending) = self.pending.take() {
            return Some(pending);
        }
        while !self.done {
            let resynced = match self.next_header_line() {
                Ok(Some(resynced)) => resynced,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(read_error(&self.file, e)));
                }
            };
            if resynced {
                // Bytes that were not a record: the previous record's Content-Length was wrong.
                let err =
                    self.record_error("bytes between records (a wrong Content-Length before this record?)".into());
                self.pending = self.read_record();
                return Some(Err(err));
            }
            if let Some(result) = self.read_record() {
                return Some(result);
            }
        }
        None
    }
}

impl WarcReader {
    /// Reads the record whose version line was just read. None: not a page (or skipped).
    fn read_record(&mut self) -> Option<Result<SourceDoc, SourceError>> {
        let headers = match self.headers() {
            Ok(h) => h,
            Err(e) => {
                self.done = true;
                return Some(Err(read_error(&self.file, e)));
            }
        };
        self.records += 1;
        let Some(length) = headers.get("content-length").and_then(|l| l.parse::<u64>().ok()) else {
            return Some(Err(self.record_error("no valid Content-Length".into())));
        };
        let is_response = headers.get("warc-type").is_some_and(|t| t == "response")
            && headers.get("content-type").is_some_and(|t| t.contains("application/http"));
        if !is_response || length > self.limits.max_article {
            let skipped = std::io::copy(&mut (&mut self.reader).take(length), &mut std::io::sink());
            return match skipped {
                Ok(n) if n < length => {
                    self.done = true;
                    Some(Err(self.record_error(format!("truncated: {n} of {length} bytes"))))
                }
                Err(e) => {
                    self.done = true;
                    Some(Err(read_error(&self.file, e)))
                }
                Ok(_) if length > self.limits.max_article && is_response => {
                    Some(Err(self
                        .record_error(format!("{length} bytes; one page may be at most {}", self.limits.max_article))))
                }
                Ok(_) => None,
            };
        }
        let mut payload = Vec::with_capacity(length as usize);
        match (&mut self.reader).take(length).read_to_end(&mut payload) {
            Ok(n) if (n as u64) < length => {
                self.done = true;
                return Some(Err(self.record_error(format!("truncated: {n} of {length} bytes"))));
            }
            Err(e) => {
                self.done = true;
                return Some(Err(read_error(&self.file, e)));
            }
            Ok(_) => {}
        }
        let (http, body) = split_http(&payload)?;
        if !http.get("content-type").is_some_and(|t| t.contains("html")) {
            return None;
        }
        self.pages += 1;
        if self.pages <= self.skip_pages {
            return None;
        }
        Some(self.page(&headers, &http, body))
    }

    fn page(
        &self,
        warc: &HashMap<String, String>,
        http: &HashMap<String, String>,
        body: &[u8],
    ) -> Result<SourceDoc, SourceError> {
        let path = format!("{}#record{}", self.path(), self.records);
        let body = decoded_body(http, body)
            .map_err(|problem| SourceError::BadRecord { path: path.clone(), line: 0, problem }.at_record())?;
        let charset = http
            .get("content-type")
            .and_then(|t| t.split("charset=").nth(1))
            .map(|c| c.trim_matches(['"', ';', ' ']).to_string());
        let charset = charset.or_else(|| declared_html_charset(&body));
        let decoded = decode(&body, charset.as_deref()).map_err(|p| decode_error(p, path.clone()))?;
        let url = warc.get("warc-target-uri").cloned();
        let article = entente_extract::extract(&decoded.text, url.as_deref());
        let text = crate::plain::normalise_newlines(&article.text);
        if text.trim().is_empty() {
            return Err(SourceError::NoArticle { path });
        }
        let text = match &article.title {
            Some(t) if !text.starts_with(t.as_str()) => format!("{t}\n\n{text}"),
            _ => text,
        };
        let declared_date = article
            .published
            .map(|raw| DeclaredDate { raw, from: article.published_from.clone().unwrap_or_else(|| "html".into()) })
            .or_else(|| warc.get("warc-date").map(|d| DeclaredDate { raw: d.clone(), from: "warc:date".into() }));
        Ok(SourceDoc {
            id: None,
            id_hint: url
                .as_deref()
                .map(url_slug)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| crate::file_stem(&self.file.path)),
            source_path: path,
            text,
            title: article.title,
            url: article.canonical_url.or(url),
            author: article.author,
            language: article.language,
            declared_date,
            notes: decoded.note.into_iter().collect(),
        })
    }
}

/// HTTP headers (lower-case names) and body of a response.
fn split_http(payload: &[u8]) -> Option<(HashMap<String, String>, &[u8])> {
    let (head_end, sep) =
        find(payload, b"\r\n\r\n").map(|p| (p, 4)).or_else(|| find(payload, b"\n\n").map(|p| (p, 2)))?;
    let head = String::from_utf8_lossy(&payload[..head_end]);
    let mut lines = head.lines();
    if !lines.next()?.starts_with("HTTP/") {
        return None;
    }
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((headers, &payload[head_end + sep..]))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The body as the server meant it: de-chunked and decompressed when the headers say so.
fn decoded_body(http: &HashMap<String, String>, body: &[u8]) -> Result<Vec<u8>, String> {
    let body = if http.get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    match http.get("content-encoding").map(|e| e.to_ascii_lowercase()) {
        Some(e) if e.contains("gzip") => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&body[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("gzip-encoded body: {e}"))?;
            Ok(out)
        }
        Some(e) if e.contains("deflate") => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&body[..])
                .read_to_end(&mut out)
                .map_err(|e| format!("deflate-encoded body: {e}"))?;
            Ok(out)
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

/// "https://x.org/world/2023/07/11/nato-summit.html" → "nato-summit".
fn url_slug(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let stem = last.split('.').next().unwrap_or(last);
    let slug: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.contains("://") || slug.len() < 3 { String::new() } else { slug.chars().take(80).collect() }
}

impl SourceError {
    /// Record errors have no line: name the record in the path instead.
    fn at_record(self) -> SourceError {
        match self {
            SourceError::BadRecord { path, line: 0, problem } => SourceError::Record { path, problem },
            other => other,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Format;
    use std::io::Write;

    pub(crate) fn record(kind: &str, uri: &str, payload: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2023-07-12T08:00:00Z\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
            payload.len()
        )
        .into_bytes();
        r.extend_from_slice(payload);
        r.extend_from_slice(b"\r\n\r\n");
        r
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
        WarcReader::new(reader, &file, Limits::default(), skip).collect()
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
    fn chunked_and_slugs() {
        assert_eq!(dechunk(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").unwrap(), b"hello world");
        assert!(dechunk(b"zz\r\nx").is_err());
        assert_eq!(url_slug("https://x.org/world/2023/07/11/nato-summit.html?utm=1"), "nato-summit");
        assert_eq!(url_slug("https://x.org/"), "");
    }
}
