//! Every hostile case of the fuzz campaign (issue 16) in one batch with good articles, through
//! the `entente ingest` binary: the run ends with exit 0 or 3, nothing panics, memory stays
//! under 1 GiB, and every good article is stored. Each reader's and stage's own tests cover
//! the cases one by one; this is the batch a user runs.

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MIB: usize = 1 << 20;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// `mib` MiB of zeros as concatenated gzip members: a thousandth of that on disk.
fn zeros_gz(mib: usize) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(&vec![0; MIB]).unwrap();
    e.finish().unwrap().repeat(mib)
}

fn warc_record(payload: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/a\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    )
    .into_bytes();
    r.extend_from_slice(payload);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(headers: &str, body: &[u8]) -> Vec<u8> {
    [format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n{headers}\r\n").as_bytes(), body].concat()
}

fn nested(tag: &str, depth: usize) -> String {
    format!(
        "<html><body>{}<p>Japan met NATO.</p>{}</body></html>",
        format!("<{tag}>").repeat(depth),
        format!("</{tag}>").repeat(depth)
    )
}

/// Writes the hostile files; returns how many good articles the batch holds.
fn write_batch(dir: &Path) -> usize {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    // Text that panicked: a no-break space before "Given Surname", an em dash before a list.
    w("nbsp.txt", "Officials said that\u{a0}Anthony Albanese met Xi Jinping in Beijing.".as_bytes());
    w("em-dash.txt", "Leaders met\u{2014} of Japan, South Korea and China.".as_bytes());
    // Nesting that overflowed the stack or took minutes.
    w("spans.html", nested("span", 100_000).as_bytes());
    w("bold.html", nested("b", 100_000).as_bytes());
    w("divs.html", nested("div", 40_000).as_bytes());
    let feed = format!(
        "<rss version=\"2.0\"><channel><title>N</title><item><title>Deep</title><description><![CDATA[{}]]></description></item></channel></rss>",
        nested("div", 40_000)
    );
    w("deep.rss", feed.as_bytes());
    // An XML declaration late in a feed (a panic in quick-xml).
    w("late-declaration.rss", b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>N<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?></title></channel></rss>");
    // WARC: an HTTP body that gunzips to 3 GiB; junk with no newline before any record; not a WARC at all.
    let bomb = warc_record(&http("Content-Encoding: gzip\r\n", &zeros_gz(3072)));
    w("bomb.warc.gz", &gz(&bomb));
    let mut junk = vec![b'x'; 64 * MIB];
    junk.push(b'\n');
    junk.extend(warc_record(&http("", nested("p", 1).as_bytes())));
    w("junk-first.warc", &junk);
    w("not-a.warc", b"Just some text in a file named like an archive.\n");
    // An article of 8 MB (the limit is 32 MB) whose analysis was superlinear.
    let long =
        "NATO leaders met in Vilnius on 11 July 2023, and Japan's prime minister attended. ".repeat(8 * MIB / 84);
    w("long.txt", long.as_bytes());
    // The good ones.
    w("good-1.txt", b"Quad leaders meet\n\nThe leaders of the Quad met in Sydney on 24 May 2023.");
    w(
        "good-2.jsonl",
        br#"{"id": "good-2", "text": "Japan and Australia signed a defence pact in Perth on 22 October 2022."}"#,
    );
    2
}

/// Peak resident memory of the largest child this process has waited for, in bytes.
fn children_peak_rss() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn a_batch_of_every_hostile_case_ends_cleanly_and_keeps_the_good_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = tmp.path().join("batch");
    std::fs::create_dir(&batch).unwrap();
    let good = write_batch(&batch);
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .arg("--db")
        .arg(tmp.path().join("e.db"))
        .arg("ingest")
        .arg(&batch)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A hang is a failure, not a stuck suite: far past what the release build takes (2 s).
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(300) {
            child.kill().unwrap();
            panic!("entente ingest still running after 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{stdout}\n{stderr}");
    assert!(matches!(out.status.code(), Some(0 | 3)), "exit {:?}", out.status);
    assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "{stderr}");
    let peak = children_peak_rss();
    assert!(peak < 1 << 30, "peak RSS {} MiB", peak >> 20);
    // The good articles, the two texts that panicked, the long article, and the junk-first
    // WARC's page are stored; the bomb, the refused pages and the non-WARC are errors.
    let summary = format!("{stdout}{stderr}");
    let stored: usize = summary
        .split(" document(s) stored")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a summary line: {summary}"));
    assert!(stored >= good + 3, "{stored} stored");
    assert!(stderr.contains("spans.html: no article text found in the page (the page nests more than"), "{stderr}");
    for name in ["bomb.warc.gz", "not-a.warc", "late-declaration.rss"] {
        assert!(stderr.contains(name), "{name} is named in an error:\n{stderr}");
    }
}
