//! Issue 16: every export streams. A store with one fact of 20,000 evidence rows quoting long
//! texts, an actor mentioned thousands of times in long documents and thousands of ordinary
//! facts is exported in each format; each export must finish, be complete, grow the process's
//! memory by a bounded amount (far less than the evidence would take if it were gathered) and
//! write no SQLite temporary files (a sort of mentions or evidence joined with texts wrote tens
//! of gigabytes of them on a fuzzed store).
//!
//! The big fact is a partnership: store migration 4's triggers re-index an event's whole
//! evidence on every evidence row inserted, so building a 20,000-row event takes hours (an
//! event of 200 rows covers the event-only paths). The export code is the same for both kinds.
//!
//! One test only: peak memory is the process's, so nothing else may run beside it.

#![cfg(target_os = "linux")]

use entente_document::{Document, Metadata, Sentence, Span};
use entente_export::{export_csv, export_graphml, export_jsonl, export_parquet};
use entente_store::{Evidence, FactRecord, MentionRow, Store};
use parquet::file::reader::{FileReader, SerializedFileReader};
use serde_json::{Value, json};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

const DOCUMENTS: usize = 400;
const TEXT_BYTES: usize = 50_000;
const BIG_EVIDENCE: usize = 20_000;
/// Each of the big fact's evidence rows quotes this much text: its JSON line is over 40 MB.
const QUOTE_BYTES: usize = 2_000;
const EVENTS: usize = 3_000;
/// Evidence rows of the one large event: 5 in each of 40 documents, in 3 sentences of each.
const EVENT_EVIDENCE: usize = 200;
const RELATIONS: usize = 300;
/// Mentions of one actor: grouping them with their documents' texts sorted 100 MB.
const MENTIONS_PER_DOCUMENT: usize = 5;

/// Growth of the peak resident set allowed for one export. The big fact's line alone would
/// take more than this if it were built in memory, and its documents' texts half of it.
const MEMORY_LIMIT: u64 = 32 << 20;

#[test]
fn every_export_streams_in_bounded_memory_and_temporary_space() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite_tmp = dir.path().join("sqlite-tmp");
    std::fs::create_dir(&sqlite_tmp).unwrap();
    // SAFETY: set before any SQLite call and before any other thread of this test exists; the
    // file holds no other test.
    unsafe { std::env::set_var("SQLITE_TMPDIR", &sqlite_tmp) };
    let db = dir.path().join("big.db");
    build_store(&db);

    let store = Store::open(&db).unwrap();
    for (sql, plan) in store.export_query_plans().unwrap() {
        assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "{sql} sorts: {plan:?}");
    }
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let file = |name: &str| BufWriter::new(File::create(out.join(name)).unwrap());

    measure("jsonl", &sqlite_tmp, || export_jsonl(&store, file("facts.jsonl")).map(drop));
    check_jsonl(&out.join("facts.jsonl"));
    measure("csv", &sqlite_tmp, || export_csv(&store, file("events.tsv")).map(drop));
    let tsv = std::fs::read_to_string(out.join("events.tsv")).unwrap();
    assert_eq!(tsv.lines().count(), EVENTS + 2, "a header and every event");
    measure("parquet", &sqlite_tmp, || {
        export_parquet(&store, file("events.parquet"), file("relations.parquet")).map(drop)
    });
    assert_eq!(parquet_rows(&out.join("events.parquet")), EVENTS as i64 + 1);
    assert_eq!(parquet_rows(&out.join("relations.parquet")), 3 * RELATIONS as i64 + 1);
    measure("graphml", &sqlite_tmp, || export_graphml(&store, file("graph.graphml")).map(drop));
    let graph = std::fs::read_to_string(out.join("graph.graphml")).unwrap();
    assert!(graph.trim_end().ends_with("</graphml>"));
    assert_eq!(graph.matches("<edge ").count(), 3 * 3 + 1 + 3 * RELATIONS + 1, "ties and relations");
}

/// Runs one export; fails if it grows the peak resident set by more than [`MEMORY_LIMIT`] or
/// if SQLite opens any temporary file of any size in `sqlite_tmp`.
fn measure<E: std::fmt::Debug>(format: &str, sqlite_tmp: &Path, export: impl FnOnce() -> Result<(), E>) {
    // Resets VmHWM to the current resident set (Linux 4.0 and later).
    std::fs::write("/proc/self/clear_refs", "5").expect("can reset the peak resident set");
    let before = status_kb("VmRSS:") * 1024;
    let watcher = TempWatcher::start(sqlite_tmp.to_path_buf());
    let started = std::time::Instant::now();
    export().unwrap_or_else(|e| panic!("{format}: {e:?}"));
    let elapsed = started.elapsed();
    let temp = watcher.stop();
    let growth = (status_kb("VmHWM:") * 1024).saturating_sub(before);
    eprintln!("{format}: {elapsed:?}, peak memory growth {} KB, SQLite temporary files {temp} B", growth / 1024);
    assert!(growth < MEMORY_LIMIT, "{format} grew the resident set by {growth} bytes");
    assert_eq!(temp, 0, "{format} wrote SQLite temporary files");
}

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Samples the size of the files this process has open under a directory: SQLite unlinks its
/// temporary files as soon as it opens them, so they are only seen through `/proc/self/fd`.
struct TempWatcher {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl TempWatcher {
    fn start(dir: PathBuf) -> TempWatcher {
        let (stop, peak) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
        let (stopped, seen) = (stop.clone(), peak.clone());
        let thread = std::thread::spawn(move || {
            loop {
                let done = stopped.load(Ordering::SeqCst);
                seen.fetch_max(open_bytes_under(&dir), Ordering::SeqCst);
                if done {
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        TempWatcher { stop, peak, thread }
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().unwrap();
        self.peak.load(Ordering::SeqCst)
    }
}

fn open_bytes_under(dir: &Path) -> u64 {
    let Ok(fds) = std::fs::read_dir("/proc/self/fd") else { return 0 };
    fds.flatten()
        .filter(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target.starts_with(dir)))
        // A file SQLite opened there counts even while empty.
        .map(|fd| std::fs::metadata(fd.path()).map_or(1, |m| m.len().max(1)))
        .sum()
}

fn check_jsonl(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    let (mut big, mut event) = (None, None);
    for line in text.lines() {
        let value: Value = serde_json::from_str(line).unwrap();
        *kinds.entry(value["kind"].as_str().unwrap().to_string()).or_default() += 1;
        if value["id"] == "partnership:big" {
            big = Some(value);
        } else if value["id"] == "event:big" {
            event = Some(value);
        } else if value["id"] == "actor:JPN" {
            assert_eq!(value["mentions"], DOCUMENTS * MENTIONS_PER_DOCUMENT);
        }
    }
    let expected = [
        ("actor", 3),
        ("document", DOCUMENTS),
        ("event", EVENTS + 1),
        ("membership", RELATIONS),
        ("partnership", RELATIONS + 1),
    ];
    for (kind, n) in expected {
        assert_eq!(kinds.get(kind), Some(&n), "{kind} lines");
    }
    let big = big.expect("the big fact is written");
    let evidence = big["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), BIG_EVIDENCE, "every evidence row");
    assert!(evidence.iter().all(|e| e["text"].as_str().unwrap().len() == QUOTE_BYTES));
    // Evidence is in document (stored) order: doc-0399 was stored first.
    assert_eq!(evidence[0]["doc"], doc_id(0));
    let event = event.expect("the large event is written");
    assert_eq!(event["evidence"].as_array().unwrap().len(), EVENT_EVIDENCE);
    assert_eq!(event["mentions"], EVENT_EVIDENCE / 5 * 3, "distinct sentences of each document");
}

fn parquet_rows(path: &Path) -> i64 {
    SerializedFileReader::new(File::open(path).unwrap()).unwrap().metadata().file_metadata().num_rows()
}

/// Documents are stored in the reverse of their ids' order, so evidence order (as stored) is not
/// id order.
fn doc_id(seq: usize) -> String {
    format!("doc-{:04}", DOCUMENTS - 1 - seq)
}

fn text(seq: usize) -> String {
    let mut state = seq as u64 + 1;
    (0..TEXT_BYTES)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            b"abcdefghijklmnopqrstuvwxyz  "[(state >> 59) as usize % 28] as char
        })
        .collect()
}

fn actor(id: &str) -> Value {
    json!({ "id": id, "type": "state", "name": id })
}

/// A merged event's body; `mentions` is what the graph counts: its distinct sentences.
fn event_body(source: &str, target: &str, plover: &str, mentions: usize) -> String {
    json!({ "source": actor(source), "target": actor(target), "others": [], "plover": plover, "mode": null,
            "cameo": "040", "goldstein": 1.0, "date": "2023-07-12", "date_rule": "date:explicit", "location": null,
            "modality": "asserted", "actors": [actor(source), actor(target)], "mentions": mentions, "documents": 1,
            "merged_from": [] })
    .to_string()
}

fn fact(id: String, kind: &str, body: String) -> FactRecord {
    FactRecord { id, kind: kind.into(), body, confidence: 0.75 }
}

fn evidence(seq: usize, sentence: usize, start: usize, len: usize, rule: &str) -> Evidence {
    Evidence { doc: doc_id(seq), sentence, start, end: start + len, rule: rule.into() }
}

fn build_store(db: &Path) {
    let mut store = Store::open(db).unwrap();
    let mut batch = store.batch().unwrap();
    for seq in 0..DOCUMENTS {
        let text = text(seq);
        let meta = Metadata { source_path: format!("{seq}.txt"), ..Default::default() };
        let mut doc = Document::new(doc_id(seq), text.clone(), meta);
        doc.content_hash = format!("hash-{seq}");
        doc.sentences = vec![Sentence { span: Span::new(0, text.len()), first_token: 0, token_count: 0 }];
        batch.insert_document(&doc).unwrap();
        let mentions: Vec<MentionRow> = (0..MENTIONS_PER_DOCUMENT)
            .map(|k| MentionRow {
                sentence: 0,
                start: k * 100,
                end: k * 100 + 10,
                actor: "JPN".into(),
                rule: "kb".into(),
            })
            .collect();
        batch.insert_mentions(&doc_id(seq), &mentions).unwrap();
    }
    for id in ["JPN", "KOR", "USA"] {
        batch
            .upsert_fact(&fact(format!("actor:{id}"), "actor", json!({ "actor": actor(id) }).to_string()), &[])
            .unwrap();
    }
    let per_document = BIG_EVIDENCE / DOCUMENTS;
    let big: Vec<Evidence> = (0..BIG_EVIDENCE)
        .map(|i| evidence(i / per_document, i % 7, (i % per_document) * 900, QUOTE_BYTES, "rules:big"))
        .collect();
    let partnership = json!({ "a": actor("JPN"), "b": actor("KOR"), "name": "big" }).to_string();
    batch.upsert_fact(&fact("partnership:big".into(), "partnership", partnership), &big).unwrap();
    let event: Vec<Evidence> =
        (0..EVENT_EVIDENCE).map(|i| evidence(i / 5, (i % 5) / 2, (i % 5) * 100, 100, "rules:event")).collect();
    batch
        .upsert_fact(
            &fact("event:big".into(), "event", event_body("JPN", "KOR", "FIGHT", EVENT_EVIDENCE / 5 * 3)),
            &event,
        )
        .unwrap();
    let actors = ["JPN", "KOR", "USA"];
    for i in 0..EVENTS {
        let (source, target) = (actors[i % 3], actors[(i + 1) % 3]);
        let body = event_body(source, target, ["CONSULT", "AGREE", "AID"][i / 1000], 1);
        batch
            .upsert_fact(&fact(format!("event:{i:05}"), "event", body), &[evidence(i % DOCUMENTS, 1, 10, 100, "r")])
            .unwrap();
    }
    for i in 0..RELATIONS {
        let (a, b) = (actors[i % 3], actors[(i + 2) % 3]);
        let relations = [
            ("role", json!({ "person": actor(a), "role": "minister", "of": actor(b), "start": null, "end": null })),
            ("membership", json!({ "member": actor(a), "group": actor("G7"), "status": "member" })),
            ("partnership", json!({ "a": actor(a), "b": actor(b), "name": null })),
        ];
        for (kind, body) in relations {
            let ev = evidence(i % DOCUMENTS, 2, 30, 50, "r");
            batch.upsert_fact(&fact(format!("{kind}:{i:04}"), kind, body.to_string()), &[ev]).unwrap();
        }
    }
    batch.commit().unwrap();
}
