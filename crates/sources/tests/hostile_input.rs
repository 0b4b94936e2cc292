//! Issue 16: the fuzz campaign's inputs against the readers, regenerated on the fly in a temp
//! dir (a few megabytes on disk each: gigabytes of gzip output come from repeating a member
//! that holds one mebibyte of one byte, and gigabytes of plain junk from a sparse file).
//!
//! Each case runs in a child process of this test binary, so that a crash (a stack overflow
//! aborts the process) fails that test alone, and so that the child's peak resident memory
//! (VmHWM) measures that case alone. Every case checks that the call returns, that memory
//! stays within [`MAX_GROWTH`], that the right error is reported, and that the good documents
//! around the bad one still come through.

use entente_sources::{Format, InputFile, Limits, SourceDoc, SourceError, format_of, read_file};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// How much a case may raise the peak resident memory of its process. The fuzz inputs took 5
/// to 7 GB before the caps; with them a case needs a few dozen megabytes (one article's
/// worth of buffers at most, 32 MiB by default).
const MAX_GROWTH_KB: u64 = 300 * 1024;

/// Set in the child process: run the case's body instead of spawning.
const CHILD_ENV: &str = "ENTENTE_SOURCES_HOSTILE_CHILD";

/// One mebibyte: the unit the generated runs are built from.
const MIB: u64 = 1 << 20;

/// Runs `body` in a child process of this test binary (see the module comment) and fails if
/// the child fails, crashes or raises its peak memory by more than [`MAX_GROWTH_KB`].
fn isolated(name: &str, body: impl FnOnce()) {
    if std::env::var_os(CHILD_ENV).is_some() {
        let before = status_kb("VmRSS");
        body();
        let growth = status_kb("VmHWM").saturating_sub(before);
        eprintln!("{name}: peak memory grew by {} MB", growth / 1024);
        assert!(growth < MAX_GROWTH_KB, "{name}: peak memory grew by {growth} kB");
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let out = Command::new(exe)
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .output()
        .unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{name} failed in its child process ({}):\n{report}", out.status);
    assert!(report.contains("1 passed"), "{name} did not run in its child process:\n{report}");
    eprint!("{report}");
}

/// A field of /proc/self/status, in kB.
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn read(path: &Path) -> Vec<Result<SourceDoc, SourceError>> {
    let (format, gzip) = format_of(path).unwrap();
    let started = std::time::Instant::now();
    let results: Vec<_> = read_file(&InputFile { path: path.to_path_buf(), format, gzip }, Limits::default()).collect();
    eprintln!("{}: read in {:.2?}", path.display(), started.elapsed());
    for r in &results {
        match r {
            Ok(doc) => eprintln!("  ok  {}: {:?}", doc.source_path, doc.title),
            Err(e) => eprintln!("  err {e}"),
        }
    }
    results
}

fn titles(results: &[Result<SourceDoc, SourceError>]) -> Vec<String> {
    results.iter().filter_map(|r| r.as_ref().ok()).filter_map(|d| d.title.clone()).collect()
}

fn errors(results: &[Result<SourceDoc, SourceError>]) -> Vec<String> {
    results.iter().filter_map(|r| r.as_ref().err()).map(ToString::to_string).collect()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// `mib` mebibytes of `byte` as gzip: one member holding a mebibyte, repeated. A decompressor
/// sees one long run (concatenated members are one gzip stream, as CC-NEWS writes one member
/// per record), and the whole is about a thousandth of its expanded size.
fn gz_run(byte: u8, mib: u64) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(&vec![byte; MIB as usize]).unwrap();
    let member = e.finish().unwrap();
    member.repeat(mib as usize)
}

fn record(kind: &str, extra_headers: &str, payload: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://x.org/{kind}\r\nWARC-Date: 2023-07-12T08:00:00Z\r\nContent-Type: application/http; msgtype={kind}\r\n{extra_headers}Content-Length: {}\r\n\r\n",
        payload.len()
    )
    .into_bytes();
    r.extend_from_slice(payload);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// An HTTP response with an HTML page, `headers` added to its HTTP headers, and `body` as
/// given (already encoded as the headers say).
fn http(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{headers}\r\n").into_bytes();
    r.extend_from_slice(body);
    r
}

fn page(title: &str) -> Vec<u8> {
    let html = format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>Leaders of the alliance met in Vilnius with Japan and South Korea on Tuesday.</p><p>They agreed to deepen their cooperation on cyber defence and maritime security.</p></article></body></html>"
    );
    http("", html.as_bytes())
}

fn good_record(title: &str) -> Vec<u8> {
    record("response", "", &page(title))
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Writes `head`, then a hole of `hole` zero bytes (sparse: nothing on disk), then `tail`.
fn sparse_file(path: &Path, head: &[u8], hole: u64, tail: &[u8]) {
    let mut f = std::fs::File::create(path).unwrap();
    f.write_all(head).unwrap();
    f.seek(SeekFrom::Current(hole as i64)).unwrap();
    f.write_all(tail).unwrap();
}

fn write(dir: &Path, name: &str, parts: &[Vec<u8>]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, parts.concat()).unwrap();
    eprintln!("{name}: {} bytes on disk", std::fs::metadata(&path).unwrap().len());
    path
}

#[test]
fn warc_http_body_that_gunzips_to_3_gib_is_that_records_error() {
    isolated("warc_http_body_that_gunzips_to_3_gib_is_that_records_error", || {
        let dir = temp();
        let bomb = record("response", "", &http("Content-Encoding: gzip\r\n", &gz_run(0, 3072)));
        let parts = [gz(&good_record("Before the bomb")), gz(&bomb), gz(&good_record("After the bomb"))];
        let results = read(&write(dir.path(), "news.warc.gz", &parts));
        assert_eq!(titles(&results), ["Before the bomb", "After the bomb"]);
        let errors = errors(&results);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("news.warc.gz#record2 (at byte "), "{}", errors[0]);
        assert!(errors[0].contains("gzip-encoded body: expands past"), "{}", errors[0]);
    });
}

#[test]
fn warc_http_body_deflate_bomb_in_one_stream_is_that_records_error() {
    isolated("warc_http_body_deflate_bomb_in_one_stream_is_that_records_error", || {
        let dir = temp();
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::fast());
        let zeros = vec![0u8; MIB as usize];
        for _ in 0..256 {
            e.write_all(&zeros).unwrap();
        }
        let bomb = record("response", "", &http("Content-Encoding: deflate\r\n", &e.finish().unwrap()));
        let parts = [good_record("Before the bomb"), bomb, good_record("After the bomb")];
        let results = read(&write(dir.path(), "news.warc", &parts));
        assert_eq!(titles(&results), ["Before the bomb", "After the bomb"]);
        let errors = errors(&results);
        assert!(errors.len() == 1 && errors[0].contains("deflate-encoded body: expands past"), "{errors:?}");
    });
}

#[test]
fn warc_gz_whose_header_line_runs_3_gib_stops_at_the_expansion_cap() {
    isolated("warc_gz_whose_header_line_runs_3_gib_stops_at_the_expansion_cap", || {
        let dir = temp();
        let parts = [
            gz(&good_record("Before the bomb")),
            gz(b"WARC/1.0\r\nWARC-Type: response\r\nX-Junk: "),
            gz_run(b'a', 3072),
            gz(b"\r\nContent-Length: 0\r\n\r\n"),
            gz(&good_record("After the bomb")),
        ];
        let results = read(&write(dir.path(), "news.warc.gz", &parts));
        // The whole stream is a bomb: the file stops there (to reach the record after it would
        // take decompressing 3 GiB), and what came before is kept.
        assert_eq!(titles(&results), ["Before the bomb"]);
        let errors = errors(&results);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("news.warc.gz: gzip data refused: expands to more than"), "{}", errors[0]);
        assert!(errors[0].contains("in or after record 2"), "{}", errors[0]);
    });
}

#[test]
fn warc_header_line_of_1_gib_is_that_records_error_and_the_next_record_is_read() {
    isolated("warc_header_line_of_1_gib_is_that_records_error_and_the_next_record_is_read", || {
        let dir = temp();
        let path = dir.path().join("long-line.warc");
        let head = [good_record("Before the line"), b"WARC/1.0\r\nWARC-Type: response\r\nX-Junk: ".to_vec()].concat();
        let tail = [b"\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n".to_vec(), good_record("After the line")].concat();
        sparse_file(&path, &head, 1 << 30, &tail);
        let results = read(&path);
        assert_eq!(titles(&results), ["Before the line", "After the line"]);
        let errors = errors(&results);
        assert_eq!(errors.len(), 1, "the rest of the broken record is not a second error: {errors:?}");
        assert!(errors[0].contains("long-line.warc#record2 (at byte "), "{}", errors[0]);
        assert!(errors[0].contains("a header line longer than 65536 bytes"), "{}", errors[0]);
    });
}

#[test]
fn warc_gz_with_3_gib_of_junk_before_any_record_stops_at_the_expansion_cap() {
    isolated("warc_gz_with_3_gib_of_junk_before_any_record_stops_at_the_expansion_cap", || {
        let dir = temp();
        let parts = [gz_run(b'x', 3072), gz(&good_record("After the junk"))];
        let results = read(&write(dir.path(), "junk.warc.gz", &parts));
        let errors = errors(&results);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("junk.warc.gz: gzip data refused"), "{}", errors[0]);
    });
}

#[test]
fn warc_with_1_gib_of_junk_before_the_first_record_is_scanned_past() {
    isolated("warc_with_1_gib_of_junk_before_the_first_record_is_scanned_past", || {
        let dir = temp();
        let path = dir.path().join("junk.warc");
        let tail = [b"\r\n".to_vec(), good_record("First"), good_record("Second")].concat();
        sparse_file(&path, b"", 1 << 30, &tail);
        let results = read(&path);
        assert_eq!(titles(&results), ["First", "Second"]);
        let errors = errors(&results);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("junk.warc#record1 (at byte 1073741826)"), "{}", errors[0]);
        assert!(
            errors[0].contains("1073741826 bytes of data that is not WARC before the first record"),
            "{}",
            errors[0]
        );
    });
}

#[test]
fn files_named_warc_without_a_record_are_errors() {
    isolated("files_named_warc_without_a_record_are_errors", || {
        let dir = temp();
        let text = write(dir.path(), "notes.warc", &[b"Just some notes.\nNot an archive.\n".to_vec()]);
        assert_eq!(
            errors(&read(&text)),
            [format!("{}: not a WARC file (no WARC record in its 33 bytes)", text.display())]
        );
        let html = write(dir.path(), "page.warc.gz", &[gz(&page("A page, not an archive"))]);
        assert!(errors(&read(&html))[0].ends_with("not a WARC file (no WARC record in its 355 bytes)"));
        let empty = write(dir.path(), "empty.warc", &[]);
        assert!(errors(&read(&empty))[0].ends_with("empty file"));
        let trailing = write(dir.path(), "tail.warc", &[good_record("Only page"), b"trailing junk\n".to_vec()]);
        let results = read(&trailing);
        assert_eq!(titles(&results), ["Only page"]);
        assert!(errors(&results)[0].contains("14 bytes of data that is not WARC after the last record"));
    });
}

#[test]
fn jsonl_line_of_1_gib_is_that_lines_error() {
    isolated("jsonl_line_of_1_gib_is_that_lines_error", || {
        let dir = temp();
        let path = dir.path().join("news.jsonl");
        let head = b"{\"title\":\"One\",\"text\":\"First article.\"}\n{\"text\":\"";
        let tail = b"\"}\n{\"title\":\"Three\",\"text\":\"Third article.\"}\n";
        sparse_file(&path, head, 1 << 30, tail);
        let results = read(&path);
        assert_eq!(titles(&results), ["One", "Three"]);
        let errors = errors(&results);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("news.jsonl:2: 1073741835 bytes; one article may be at most"), "{}", errors[0]);
    });
}

#[test]
fn jsonl_gz_line_of_3_gib_stops_at_the_expansion_cap() {
    isolated("jsonl_gz_line_of_3_gib_stops_at_the_expansion_cap", || {
        let dir = temp();
        let parts = [
            gz(b"{\"title\":\"One\",\"text\":\"First article.\"}\n{\"text\":\""),
            gz_run(b'a', 3072),
            gz(b"\"}\n{\"title\":\"Three\",\"text\":\"Third article.\"}\n"),
        ];
        let results = read(&write(dir.path(), "news.jsonl.gz", &parts));
        assert_eq!(titles(&results), ["One"]);
        let errors = errors(&results);
        // The bomb stops the file while the long line is still being skipped.
        assert!(errors.len() == 1 && errors[0].contains("news.jsonl.gz: gzip data refused"), "{errors:?}");
    });
}

#[test]
fn whole_gz_files_that_expand_to_3_gib_are_refused() {
    isolated("whole_gz_files_that_expand_to_3_gib_are_refused", || {
        let dir = temp();
        for name in ["page.html.gz", "story.txt.gz", "world.rss.gz"] {
            let results = read(&write(dir.path(), name, &[gz_run(b'a', 3072)]));
            let errors = errors(&results);
            assert!(errors.len() == 1 && errors[0].contains("one article may be at most"), "{name}: {errors:?}");
        }
    });
}

/// An RSS feed of three items, the middle one `hostile`.
fn feed(hostile: &str) -> String {
    let item = |title: &str, content: &str| {
        format!("<item><title>{title}</title><link>https://x.org/{title}</link>{content}</item>")
    };
    let good = "<description>The leaders of Japan and NATO met in Vilnius on Tuesday.</description>";
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>W</title>{}{}{}</channel></rss>",
        item("First", good),
        item("Hostile", hostile),
        item("Third", good)
    )
}

#[test]
fn feed_items_with_deeply_nested_html_do_not_overflow() {
    isolated("feed_items_with_deeply_nested_html_do_not_overflow", || {
        let dir = temp();
        for (name, tag, depth) in [("span.rss", "span", 100_000), ("b.rss", "b", 100_000), ("div.rss", "div", 40_000)] {
            let nested = format!("{}Deep text.{}", format!("<{tag}>").repeat(depth), format!("</{tag}>").repeat(depth));
            let hostile = format!("<description><![CDATA[{nested}]]></description>");
            let results = read(&write(dir.path(), name, &[feed(&hostile).into_bytes()]));
            assert_eq!(results.len(), 3, "{name}: one result per item");
            assert_eq!(titles(&results).first().map(String::as_str), Some("First"), "{name}");
            assert_eq!(titles(&results).last().map(String::as_str), Some("Third"), "{name}");
        }
    });
}

#[test]
fn feeds_whose_own_xml_nests_deep_are_parsed_linearly_or_refused() {
    isolated("feeds_whose_own_xml_nests_deep_are_parsed_linearly_or_refused", || {
        let dir = temp();
        // 30 000 deep: feed-rs walks it without recursion; the item's XHTML goes to the
        // extractor, and the items around it come through.
        let xhtml = format!("<description>{}Deep{}</description>", "<x>".repeat(30_000), "</x>".repeat(30_000));
        let results = read(&write(dir.path(), "deep.rss", &[feed(&xhtml).into_bytes()]));
        assert_eq!(titles(&results).first().map(String::as_str), Some("First"));
        assert_eq!(titles(&results).last().map(String::as_str), Some("Third"));
        // 100 000 deep: past quick-xml's limit (65 535), a clear error for the file.
        let nested = format!("<description>{}Deep{}</description>", "<x>".repeat(100_000), "</x>".repeat(100_000));
        let errors = errors(&read(&write(dir.path(), "deeper.rss", &[feed(&nested).into_bytes()])));
        assert!(errors.len() == 1 && errors[0].contains("deeper than the supported limit"), "{errors:?}");
    });
}

#[test]
fn warc_pages_with_deeply_nested_html_do_not_overflow() {
    isolated("warc_pages_with_deeply_nested_html_do_not_overflow", || {
        let dir = temp();
        let mut parts = vec![good_record("Before")];
        for tag in ["span", "b", "div"] {
            let nested = format!("<html><body>{}Deep.{}</body></html>", format!("<{tag}>").repeat(100_000), "");
            parts.push(record("response", "", &http("", nested.as_bytes())));
        }
        parts.push(good_record("After"));
        let results = read(&write(dir.path(), "deep.warc", &parts));
        assert_eq!(titles(&results).first().map(String::as_str), Some("Before"));
        assert_eq!(titles(&results).last().map(String::as_str), Some("After"));
        assert_eq!(results.len(), 5, "one result per page");
    });
}

#[test]
fn format_names() {
    assert_eq!(format_of(Path::new("x.warc.gz")), Some((Format::Warc, true)));
}
