//! A synthetic CC-NEWS-style archive for benchmarks: the example HTML pages, the example texts
//! set as pages and, when present, ../shared's extraction pages, repeated as often as asked,
//! each made a new document by a counter in its text. Shared by the `parallel` bench and the
//! `synthetic-warc` example (which `scripts/bench-scale.sh` runs).

use entente_sources::{Format, discover, read_file};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).expect("gzip");
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The pages the archive repeats, as HTML.
fn pages() -> Vec<String> {
    let examples = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"));
    let mut pages = Vec::new();
    for file in discover(&[examples]).files {
        match file.format {
            Format::Html => {
                let bytes = std::fs::read(&file.path).expect("example");
                let bytes = if file.gzip { gunzip(&bytes) } else { bytes };
                pages.push(String::from_utf8_lossy(&bytes).into_owned());
            }
            Format::Text => {
                for doc in read_file(&file, Default::default()).flatten() {
                    let title = escape(doc.title.as_deref().unwrap_or("News"));
                    let body: String =
                        doc.text.split("\n\n").skip(1).map(|p| format!("<p>{}</p>\n", escape(p))).collect();
                    pages.push(format!(
                        "<html><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{body}</article></body></html>"
                    ));
                }
            }
            _ => {}
        }
    }
    match entente_testdata::shared_dir().map(|d| d.join("data/extraction/html")).filter(|d| d.is_dir()) {
        Some(dir) => {
            let mut files: Vec<PathBuf> =
                std::fs::read_dir(dir).expect("dir").map(|e| e.expect("entry").path()).collect();
            files.sort();
            for path in files.iter().filter(|p| p.to_string_lossy().ends_with(".html.gz")) {
                pages.push(String::from_utf8_lossy(&gunzip(&std::fs::read(path).expect("page"))).into_owned());
            }
        }
        None => println!("(../shared not here: pages from the examples only)"),
    }
    pages
}

fn record(uri: &str, html: &str) -> Vec<u8> {
    let payload = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2023-07-12T08:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    )
    .into_bytes();
    r.extend_from_slice(payload.as_bytes());
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// Writes an archive of the pages numbered `range`, each record gzipped on its own as CC-NEWS
/// does; returns its size.
pub fn write_archive(path: &Path, range: std::ops::Range<usize>) -> u64 {
    let pages = pages();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("archive"));
    for n in range {
        let page = &pages[n % pages.len()];
        // The counter in every paragraph and the title: whatever the extractor keeps of the
        // page, its text is new.
        let page = page
            .replacen("</title>", &format!(" (edition {n})</title>"), 1)
            .replace("</p>", &format!(" Edition {n}.</p>"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&record(&format!("https://news.example/{n}/page-{n}.html"), &page)).expect("gzip");
        out.write_all(&gz.finish().expect("gzip")).expect("write");
    }
    out.flush().expect("flush");
    std::fs::metadata(path).expect("archive").len()
}
