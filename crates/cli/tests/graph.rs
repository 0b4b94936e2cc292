//! The alignment graph end to end, through the real binary and a real store: ingesting in
//! two steps gives the same merged graph as ingesting at once and as a rebuild; events told in
//! several sentences are merged with their mentions counted; the queries answer from it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn entente(db: &Path, args: &[&str]) -> Output {
    let out =
        Command::new(env!("CARGO_BIN_EXE_entente")).arg("--db").arg(db).args(args).output().expect("entente runs");
    assert!(out.status.success(), "entente {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// Copies the files into a fresh directory, so a run can ingest a part of them.
fn part(dir: &Path, files: &[PathBuf]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for f in files {
        std::fs::copy(f, dir.join(f.file_name().unwrap())).unwrap();
    }
    dir.to_path_buf()
}

/// The event lines of the export: the merged graph as outside tools see it.
fn events(db: &Path) -> Vec<Value> {
    let out = entente(db, &["export", "--format", "jsonl"]);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["kind"] == "event")
        .collect()
}

fn incremental_equals_rebuild(files: Vec<PathBuf>, tmp: &Path) {
    assert!(files.len() >= 3);
    let (first, second) = files.split_at(files.len() / 2);
    let (at_once, in_steps) = (tmp.join("at-once.db"), tmp.join("in-steps.db"));
    // Same order of documents both ways: the export lists evidence in storage order.
    let all = part(&tmp.join("all"), &files);
    entente(&at_once, &["ingest", all.to_str().unwrap()]);
    entente(&in_steps, &["ingest", part(&tmp.join("a"), first).to_str().unwrap()]);
    let before = events(&in_steps).len();
    entente(&in_steps, &["ingest", part(&tmp.join("b"), second).to_str().unwrap()]);
    let (stepwise, whole) = (events(&in_steps), events(&at_once));
    println!("events: {before} after the first part, {} after both, {} ingesting at once", stepwise.len(), whole.len());
    assert_eq!(stepwise, whole, "ingesting in steps gives the graph of ingesting at once");
    entente(&in_steps, &["merge", "--rebuild"]);
    assert_eq!(events(&in_steps), whole, "a rebuild from the mentions gives the same graph");
}

fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|f| f.extension().is_some_and(|e| e != "md"));
    files.sort();
    files
}

#[test]
fn examples_ingested_in_two_steps_give_the_rebuilt_graph() {
    let tmp = tempfile::tempdir().unwrap();
    incremental_equals_rebuild(sorted_files(&examples()), tmp.path());
}

#[test]
fn seeds_ingested_in_two_steps_give_the_rebuilt_graph() {
    let Some(seeds) = entente_testdata::shared_or_skip("seeds_incremental", "corpus/seeds") else { return };
    let tmp = tempfile::tempdir().unwrap();
    incremental_equals_rebuild(sorted_files(&seeds), tmp.path());
}

#[test]
fn merged_events_count_their_mentions_and_keep_every_piece_of_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e.db");
    entente(&db, &["ingest", examples().to_str().unwrap()]);
    let events = events(&db);
    let mut merged_across_documents = 0;
    for e in &events {
        let evidence = e["evidence"].as_array().unwrap();
        let sentences: std::collections::BTreeSet<(String, u64)> = evidence
            .iter()
            .map(|v| (v["doc"].as_str().unwrap().to_string(), v["sentence"].as_u64().unwrap()))
            .collect();
        assert_eq!(e["mentions"].as_u64().unwrap() as usize, sentences.len(), "{}: mentions count sentences", e["id"]);
        let members = e["merged_from"].as_array().unwrap();
        assert!(!members.is_empty());
        merged_across_documents += usize::from(e["documents"].as_u64().unwrap() > 1);
        let c = e["confidence"].as_f64().unwrap();
        assert!(c > 0.0 && c < 1.0);
    }
    println!("{} events, {merged_across_documents} told in more than one document", events.len());
    assert!(merged_across_documents >= 1, "some event of the examples is told by two articles");
}

#[test]
fn queries_answer_from_the_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e.db");
    entente(&db, &["ingest", examples().to_str().unwrap()]);
    let json = |args: &[&str]| -> Value { serde_json::from_slice(&entente(&db, args).stdout).unwrap() };
    let nato = json(&["actor", "NATO", "--json"]);
    let members: Vec<&str> = nato["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "membership" && r["b"]["id"] == "NATO")
        .map(|r| r["a"]["id"].as_str().unwrap())
        .collect();
    assert!(members.contains(&"FIN") && members.contains(&"SWE"), "Finland and Sweden are members: {members:?}");
    let timeline = json(&["timeline", "NATO", "--from", "2023", "--to", "2024", "--json"]);
    let dates: Vec<&str> = timeline.as_array().unwrap().iter().map(|t| t["date"].as_str().unwrap()).collect();
    assert!(!dates.is_empty() && dates.iter().all(|d| ("2023".."2025").contains(d)), "{dates:?}");
    assert!(dates.windows(2).all(|w| w[0][..4] <= w[1][..4]), "in date order: {dates:?}");
    let graph = json(&["graph", "--on", "2023-12-31", "--json"]);
    assert!(!graph["snapshot"]["edges"].as_array().unwrap().is_empty());
    assert!(!graph["communities"].as_array().unwrap().is_empty());
    let text = String::from_utf8(entente(&db, &["actor", "NATO"]).stdout).unwrap();
    assert!(text.contains("sentence") && text.contains("bytes"), "text output cites its evidence");
}
