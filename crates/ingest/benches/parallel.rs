//! Parallel ingest: one CC-NEWS-style .warc.gz of a few thousand pages, ingested into an
//! SQLite store on disk with 1 job and with 2 (or the counts in `ENTENTE_BENCH_JOBS`, e.g.
//! `1,2,4`), each into a fresh store; prints pages/s and words/s (the words of the documents
//! stored) and checks the stores are the same.
//!
//! The pages are the example HTML pages, the example texts set as pages and, when present,
//! ../shared's extraction pages, repeated to `ENTENTE_BENCH_PAGES` (default 3,000), each made
//! a new document by a counter in its text. Run:
//! `cargo bench -p entente-ingest --bench parallel`.
//!
//! The figures are wall-clock time: on a machine busy with other work, jobs share its cores.
//! The load average is printed beside them.

use entente_ingest::{IngestOptions, ingest};
use entente_sources::{Format, discover, read_file};
use entente_store::Store;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// Writes the archive, each record gzipped on its own as CC-NEWS does; returns its size.
fn write_archive(path: &Path, count: usize) -> u64 {
    let pages = pages();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("archive"));
    for n in 0..count {
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

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map_or_else(|_| "unknown".into(), |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

/// CPU seconds this process has used (user and system, all threads), from /proc; 0 elsewhere.
fn cpu_seconds() -> f64 {
    cpu_seconds_of("/proc/self/stat")
}

/// CPU seconds of this thread, the one that calls `ingest`: the writer, whose share of the
/// work (cutting records from the archive, writing the store, analyses done again) no number
/// of pool threads makes shorter.
fn writer_cpu_seconds() -> f64 {
    cpu_seconds_of(&format!("/proc/self/task/{}/stat", std::process::id()))
}

fn cpu_seconds_of(stat: &str) -> f64 {
    let stat = std::fs::read_to_string(stat).unwrap_or_default();
    // Fields after the command name (which may hold spaces, so split after its ')'):
    // utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let count: usize = std::env::var("ENTENTE_BENCH_PAGES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000);
    let jobs: Vec<usize> = std::env::var("ENTENTE_BENCH_JOBS")
        .ok()
        .map(|j| j.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 2]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let archive = tmp.path().join("news.warc.gz");
    let bytes = write_archive(&archive, count);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{count} pages, {:.1} MB .warc.gz; {cores} cores; load average {}", bytes as f64 / 1e6, load());
    let mut first: Option<(usize, Vec<String>)> = None;
    for &n in &jobs {
        let db = tmp.path().join(format!("jobs-{n}.db"));
        let mut store = Store::open(&db).expect("store");
        let options = IngestOptions { jobs: n, ..IngestOptions::default() };
        let (started, cpu, writer) = (Instant::now(), cpu_seconds(), writer_cpu_seconds());
        let summary = ingest(&mut store, std::slice::from_ref(&archive), options, |_| {}).expect("ingest");
        let secs = started.elapsed().as_secs_f64();
        let (cpu, writer) = (cpu_seconds() - cpu, writer_cpu_seconds() - writer);
        println!(
            "jobs {n}: {:.1}s, {:.1} pages/s, {:.0} words/s ({} stored, {} duplicates, {} failed, {} words; {} analysed again); {:.1} CPU s ({:.1} s on the writer thread), {:.2} cores busy; load average after {}",
            secs,
            summary.stored as f64 / secs,
            summary.words as f64 / secs,
            summary.stored,
            summary.duplicates,
            summary.failed,
            summary.words,
            summary.analysed_again,
            cpu,
            writer,
            cpu / secs,
            load()
        );
        // The same store whatever the jobs: the documents in order, each with its words.
        let docs: Vec<String> = store
            .document_summaries()
            .expect("documents")
            .into_iter()
            .map(|d| format!("{} {:?}", d.id, d.title))
            .collect();
        match &first {
            None => first = Some((n, docs)),
            Some((m, before)) => assert!(before == &docs, "jobs {n} stored other documents than jobs {m}"),
        }
    }
}
