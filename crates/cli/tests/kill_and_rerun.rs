//! A real process kill in the middle of an ingest leaves a consistent store, and a re-run
//! completes the job with no duplicates.

use entente_store::Store;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DOCUMENTS: usize = 30_000;

fn write_corpus(path: &std::path::Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let countries = ["Japan", "South Korea", "Australia", "New Zealand", "France", "Germany", "India", "Brazil"];
    for i in 0..DOCUMENTS {
        let (a, b) = (countries[i % 8], countries[(i / 8 + 1 + i) % 8]);
        let text = format!(
            "Talks number {i}\n\nThe foreign ministers of {a} and {b} met on {} March 2023 to discuss trade and security. \
             Both sides agreed to meet again within {} months, officials said after meeting number {i}.",
            1 + i % 28,
            2 + i % 9
        );
        writeln!(out, "{}", serde_json::json!({ "id": format!("talks-{i}"), "text": text })).unwrap();
    }
}

fn stored(db: &std::path::Path) -> i64 {
    Store::open(db).and_then(|s| s.stats()).map(|s| s.documents).unwrap_or(0)
}

#[test]
fn killed_ingest_leaves_a_consistent_store_and_a_rerun_finishes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e.db");
    let corpus = tmp.path().join("talks.jsonl");
    write_corpus(&corpus);

    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["--quiet", "--db", db.to_str().unwrap(), "ingest", "--batch-size", "50", corpus.to_str().unwrap()])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (SIGKILL: no chance to clean up) as soon as the first batches are committed.
    let deadline = Instant::now() + Duration::from_secs(120);
    while db.exists() && stored(&db) < 100 || !db.exists() {
        assert!(Instant::now() < deadline, "ingest stored nothing in time");
        assert!(child.try_wait().unwrap().is_none(), "ingest finished before it could be killed");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let at_kill = stored(&db);
    println!("killed after {at_kill} of {DOCUMENTS} documents were committed");
    assert!(at_kill > 0 && (at_kill as usize) < DOCUMENTS, "the kill came midway");
    assert!(Store::open(&db).unwrap().integrity_check().unwrap(), "store consistent after the kill");

    let out = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["--db", db.to_str().unwrap(), "ingest", corpus.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let summary = stderr.lines().last().unwrap();
    println!("{summary}");
    let expected = format!("{} document(s) stored, {at_kill} already stored, 0 failed", DOCUMENTS - at_kill as usize);
    assert!(summary.contains(&expected), "re-run finishes the job: {summary}");

    let store = Store::open(&db).unwrap();
    assert_eq!(store.stats().unwrap().documents, DOCUMENTS as i64);
    let ids: std::collections::HashSet<String> =
        store.document_summaries().unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(ids.len(), DOCUMENTS, "no duplicates");
    assert!(ids.contains("talks-0") && ids.contains(&format!("talks-{}", DOCUMENTS - 1)));
    assert!(store.integrity_check().unwrap());
}
