//! `--jobs`: ingest with a pool of threads writes the store one thread writes, byte for byte
//! (compared through every text export), whatever the input: the example files, the seed
//! corpus, a WARC.gz with a duplicate and a broken record and pages naming people learned
//! from the pages before, a JSONL file with a bad line; and an archive resumed after a run
//! cut short.

mod common;

use common::entente;
use entente_ingest::{IngestOptions, Progress, ingest};
use entente_store::Store;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Every text export of the store, one after the other.
fn exports(db: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for format in ["jsonl", "csv", "graphml"] {
        let out = entente(db, &["export", "--format", format]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        all.extend_from_slice(format!("== {format}\n").as_bytes());
        all.extend_from_slice(&out.stdout);
    }
    all
}

fn ingest_with(db: &Path, jobs: &str, paths: &[PathBuf]) -> String {
    let mut args = vec!["ingest", "--jobs", jobs];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    let out = entente(db, &args);
    assert!(out.status.code().is_some_and(|c| c == 0 || c == 3), "{}", String::from_utf8_lossy(&out.stderr));
    // The summary's last line says how long the run took: the one part that may differ.
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let timeless = |l: &str| match l.strip_prefix("ingested ").and_then(|l| l.split_once(" in ")) {
        Some((files, rest)) => format!("ingested {files}:{}", rest.split_once(':').unwrap().1),
        None => l.to_string(),
    };
    stderr.lines().map(timeless).collect::<Vec<_>>().join("\n")
}

fn record(kind: &str, uri: &str, payload: &[u8]) -> Vec<u8> {
    entente_testdata::warc_record(kind, uri, payload)
}

fn response(html: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}").into_bytes()
}

const PEOPLE: [(&str, &str, &str); 8] = [
    ("Penny Wong", "Foreign Minister", "Australia"),
    ("Yoko Kamikawa", "Foreign Minister", "Japan"),
    ("Park Jin", "Foreign Minister", "South Korea"),
    ("Nanaia Mahuta", "Foreign Minister", "New Zealand"),
    ("Annalena Baerbock", "Foreign Minister", "Germany"),
    ("Catherine Colonna", "Foreign Minister", "France"),
    ("Mauro Vieira", "Foreign Minister", "Brazil"),
    ("Melanie Joly", "Foreign Minister", "Canada"),
];

/// Page `i`: one minister introduced with their office, another named bare (found only when
/// an earlier page taught who they are), so the analysis of a page depends on the pages
/// before it, the order a pool must keep.
fn people_page(i: usize) -> String {
    let (name, role, country) = PEOPLE[i % PEOPLE.len()];
    let (other, _, other_country) = PEOPLE[(i * 3 + 1) % PEOPLE.len()];
    let surname = name.rsplit(' ').next().unwrap();
    let other_surname = other.rsplit(' ').next().unwrap();
    let title = format!("Talks in round {i}");
    format!(
        "<html><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>\
         <p>{country}'s {role} {name} met {other} in Geneva on {day} March 2023 to discuss maritime security.</p>\
         <p>{surname} said after round {i} that {country} and {other_country} would sign a defence agreement, and {other_surname} agreed.</p>\
         <p>{other} condemned the missile launches and {surname} called for sanctions on North Korea.</p>\
         </article><footer>Copyright</footer></body></html>",
        day = 1 + i % 28
    )
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// A CC-NEWS-style archive (each record gzipped on its own): the example pages, a few pages
/// of ../shared's extraction set when it is here, the people pages, a record whose page is a
/// duplicate of another, a record with no valid Content-Length and an image.
fn write_warc(path: &Path, people_pages: usize) {
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    for name in ["camp-david-trilateral.html", "macron-tokyo-office.html", "g20-african-union.html.gz"] {
        let bytes = std::fs::read(examples().join(name)).unwrap();
        let html = if name.ends_with(".gz") { gunzip(&bytes) } else { bytes };
        pages.push((format!("https://x.org/2023/{name}"), html));
    }
    if let Some(dir) = entente_testdata::shared_dir().map(|d| d.join("data/extraction/html")).filter(|d| d.is_dir()) {
        let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        for p in names.into_iter().take(8) {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            pages.push((format!("https://y.org/{name}"), gunzip(&std::fs::read(&p).unwrap())));
        }
    }
    for i in 0..people_pages {
        pages.push((format!("https://z.org/2023/03/talks-{i}.html"), people_page(i).into_bytes()));
    }
    let mut records = vec![record("warcinfo", "", b"software: test")];
    for (i, (uri, html)) in pages.iter().enumerate() {
        let mut payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
        payload.extend_from_slice(html);
        records.push(record("response", uri, &payload));
        if i == 5 {
            // The same page again under another address: a duplicate, found in order.
            records.push(record("response", "https://x.org/copy", &payload));
            records.push(
                b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http\r\nContent-Length: many\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>lost</p>\r\n\r\n"
                    .to_vec(),
            );
            records.push(record(
                "response",
                "https://x.org/logo.png",
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
            ));
        }
    }
    records.push(record("response", "https://x.org/empty", &response("<html><body></body></html>")));
    let bytes: Vec<u8> = records.iter().flat_map(|r| gz(r)).collect();
    std::fs::write(path, bytes).unwrap();
}

fn write_jsonl(path: &Path) {
    let mut out = std::fs::File::create(path).unwrap();
    for i in 0..40 {
        let (name, role, country) = PEOPLE[i % PEOPLE.len()];
        let text = format!(
            "Wire {i}\n\n{country}'s {role} {name} met {} on {} May 2023. The two agreed to expand trade.",
            PEOPLE[(i + 3) % PEOPLE.len()].0,
            1 + i % 28
        );
        writeln!(out, "{}", serde_json::json!({ "id": format!("wire-{i}"), "text": text })).unwrap();
        if i == 7 {
            writeln!(out, "{{\"id\": \"broken\", \"text\": ").unwrap();
            // The same text as the line before: a duplicate within the file.
            writeln!(out, "{}", serde_json::json!({ "id": "wire-again", "text": text })).unwrap();
        }
    }
}

#[test]
fn one_job_and_four_write_the_same_store() {
    let tmp = tempfile::tempdir().unwrap();
    let warc = tmp.path().join("news.warc.gz");
    write_warc(&warc, 48);
    let jsonl = tmp.path().join("wire.jsonl");
    write_jsonl(&jsonl);
    // The archive named twice: the second time it is passed over, as read to its end.
    let mut paths = vec![examples(), warc.clone(), jsonl, warc];
    if let Some(seeds) =
        entente_testdata::shared_or_skip("one_job_and_four_write_the_same_store (seeds)", "corpus/seeds")
    {
        paths.push(seeds);
    }
    let (one, four) = (tmp.path().join("one.db"), tmp.path().join("four.db"));
    let said_one = ingest_with(&one, "1", &paths);
    let said_four = ingest_with(&four, "4", &paths);
    assert_eq!(said_one, said_four, "the same lines, in the same order");
    assert!(said_one.contains("error: ") && said_one.contains("skipped: "), "{said_one}");
    assert!(said_one.contains("no valid Content-Length"), "{said_one}");
    assert!(said_one.contains("not valid JSON"), "{said_one}");
    assert!(said_one.contains("1 archive file(s) read before, passed over"), "{said_one}");
    let (a, b) = (exports(&one), exports(&four));
    let text = String::from_utf8_lossy(&a);
    assert!(text.contains("\"kind\":\"event\"") && text.contains("penny-wong"), "a store worth comparing");
    if a != b {
        let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
        let first = a.lines().zip(b.lines()).position(|(x, y)| x != y);
        panic!("exports differ at line {first:?}: {:?}", first.map(|i| (a.lines().nth(i), b.lines().nth(i))));
    }
}

/// Ingests `warc` into `db` with `jobs` threads, as a run killed after `after` documents were
/// stored would: the batches committed before stay, the open one is lost.
fn cut_short(db: &Path, warc: &Path, jobs: usize, after: usize) {
    let mut store = Store::open(db).unwrap();
    let options = IngestOptions { batch_size: 4, jobs, ..IngestOptions::default() };
    let mut stored = 0;
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ingest(&mut store, &[warc.to_path_buf()], options, |p| {
            if let Progress::Stored { .. } = p {
                stored += 1;
                assert!(stored < after, "cut short");
            }
        })
    }));
    assert!(run.is_err(), "the run was cut short");
}

#[test]
fn an_archive_resumed_with_four_jobs_gives_the_same_store() {
    let tmp = tempfile::tempdir().unwrap();
    let warc = tmp.path().join("news.warc.gz");
    write_warc(&warc, 40);
    let paths = [warc.clone()];
    let (one, four, whole) = (tmp.path().join("one.db"), tmp.path().join("four.db"), tmp.path().join("whole.db"));
    cut_short(&one, &warc, 1, 19);
    cut_short(&four, &warc, 4, 19);
    let said_one = ingest_with(&one, "1", &paths);
    let said_four = ingest_with(&four, "4", &paths);
    assert_eq!(said_one, said_four);
    // 16 documents were committed (four batches of four): the resumed run passes over the
    // pages read (it may read again one whose page failed, and find it stored).
    let summary = said_four.lines().find(|l| l.starts_with("ingested ")).unwrap();
    let again: usize = summary.split(" already stored").next().unwrap().rsplit(' ').next().unwrap().parse().unwrap();
    assert!(again < 16, "resumed after the pages read, not from the start: {summary}");
    assert_eq!(exports(&one), exports(&four));
    ingest_with(&whole, "4", &paths);
    assert_eq!(exports(&whole), exports(&four), "resumed in two runs as in one");
}

/// Ingest split in two, as a cluster runs it (`entente_ingest::analyse_file` on each file
/// anywhere, then `ingest_analysed` in input order): the store, and every export, that
/// `entente ingest` writes from the same files; the pages naming people learned from earlier
/// pages are analysed again, as they must be.
#[test]
fn the_two_halves_of_ingest_write_the_store_ingest_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let warc = tmp.path().join("news.warc.gz");
    write_warc(&warc, 24);
    let jsonl = tmp.path().join("wire.jsonl");
    write_jsonl(&jsonl);
    let mut paths = vec![examples(), warc, jsonl];
    if let Some(seeds) = entente_testdata::shared_or_skip("the_two_halves_of_ingest (seeds)", "corpus/seeds") {
        paths.push(seeds);
    }
    let whole = tmp.path().join("whole.db");
    ingest_with(&whole, "2", &paths);

    let options = IngestOptions { jobs: 1, ..IngestOptions::default() };
    let found = entente_sources::discover(&paths);
    let records: Vec<_> = found
        .files
        .iter()
        .flat_map(|file| entente_ingest::analyse_file(file, options))
        .map(|r| serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap())
        .collect();
    let halves = tmp.path().join("halves.db");
    let mut store = Store::open(&halves).unwrap();
    let summary = entente_ingest::ingest_analysed(&mut store, "records", records, options, |_| {}).unwrap();
    drop(store);
    assert!(summary.analysed_again > 0 && summary.failed > 0 && summary.duplicates > 0, "{summary:?}");
    assert_eq!(exports(&halves), exports(&whole));

    // Planned, as a cluster does before it merges: what the writer will know before each
    // document is worked out from the records' hashes and people, and the analyses it changes
    // are made again (here on this thread; on the cluster's workers there). The writer then
    // analyses nothing again, and the store is the same.
    let planned_db = tmp.path().join("planned.db");
    let mut store = Store::open(&planned_db).unwrap();
    let records: Vec<entente_ingest::Analysed> =
        found.files.iter().flat_map(|file| entente_ingest::analyse_file(file, options)).collect();
    let keys = records.iter().map(|r| match &r.read {
        Ok(doc) => (Some(doc.content_hash.clone()), doc.learned.clone().unwrap_or_default()),
        Err(_) => (None, Vec::new()),
    });
    let (people, before) = entente_ingest::plan_known(&store, keys).unwrap();
    assert!(people.len() > 3, "{people:?}");
    let reanalyser = entente_ingest::Reanalyser::new(people, options);
    let planned: Vec<_> = records.into_iter().zip(before).map(|(r, n)| reanalyser.reanalyse(r, n)).collect();
    let json: Vec<String> = planned.iter().map(|r| serde_json::to_string(r).unwrap()).collect();
    let summary = entente_ingest::ingest_analysed(&mut store, "records", planned, options, |_| {}).unwrap();
    drop(store);
    assert_eq!(summary.analysed_again, 0, "{summary:?}");
    assert_eq!(exports(&planned_db), exports(&whole));

    // Planned against other people than the writer knows (a store changed in between, say):
    // the writer sees it by the digest and analyses those documents again.
    let skewed: Vec<entente_ingest::Analysed> = json
        .iter()
        .map(|line| {
            let mut record: entente_ingest::Analysed = serde_json::from_str(line).unwrap();
            if let Ok(doc) = &mut record.read {
                doc.known.digest ^= u64::from(doc.known.len > 0);
            }
            record
        })
        .collect();
    let skewed_db = tmp.path().join("skewed.db");
    let mut store = Store::open(&skewed_db).unwrap();
    let summary = entente_ingest::ingest_analysed(&mut store, "records", skewed, options, |_| {}).unwrap();
    drop(store);
    assert!(summary.analysed_again > 0, "{summary:?}");
    assert_eq!(exports(&skewed_db), exports(&whole));
}
