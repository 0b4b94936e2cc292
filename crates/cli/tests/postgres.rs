//! `entente --db postgres://...` end to end through the real binary, against a throwaway
//! PostgreSQL cluster (skipped with a SKIPPED line where there are no PostgreSQL binaries; a
//! failure in CI): the same input gives byte-identical exports from SQLite and PostgreSQL;
//! two ingests running at once into one database give the store one ingest gives; a re-run
//! stores nothing twice; the server answers the same from either; what needs SQLite says so.

use entente_testdata::postgres::PgServer;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

/// `entente --db DB ARGS...`, run to its end.
fn entente(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entente")).arg("--db").arg(db).args(args).output().expect("entente runs")
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{}\nstderr: {}", out.status, String::from_utf8_lossy(&out.stderr));
    out
}

fn export(db: &str, format: &str) -> Vec<u8> {
    ok(entente(db, &["--quiet", "export", "--format", format])).stdout
}

/// `entente stats` without its first line, which names the store.
fn stats(db: &str) -> String {
    let out = String::from_utf8(ok(entente(db, &["stats"])).stdout).unwrap();
    out.lines().filter(|l| !l.starts_with("Store ")).collect::<Vec<_>>().join("\n")
}

/// One input ingested into an SQLite store and into a PostgreSQL one, kept until dropped.
struct Stores {
    sqlite: String,
    pg: String,
    /// Holds the SQLite store; tests write their own files beside it.
    tmp: tempfile::TempDir,
    /// The cluster stops when this is dropped.
    _server: PgServer,
}

/// The examples, the shared seed corpus where there is one, and a document with NUL in its
/// text and title (PostgreSQL's text refuses NUL: stored as a space in both), ingested into
/// both backends. `None` where `test` is skipped for want of PostgreSQL.
fn ingest_both(test: &str) -> Option<Stores> {
    let server = PgServer::start_or_skip(test)?;
    let mut inputs = vec![EXAMPLES.to_string()];
    if let Some(seeds) = entente_testdata::shared_or_skip(&format!("{test} (seeds)"), "corpus/seeds") {
        inputs.push(seeds.display().to_string());
    }
    let tmp = tempfile::tempdir().unwrap();
    let nul = tmp.path().join("nul.jsonl");
    let line = r#"{"id": "nul", "title": "Nul\u0000title", "date": "2023-07-12", "text": "Japan and NATO\u0000signed a partnership programme in Vilnius."}"#;
    std::fs::write(&nul, format!("{line}\n")).unwrap();
    inputs.push(nul.display().to_string());
    let sqlite = tmp.path().join("e.db").display().to_string();
    let pg = server.database();
    for db in [&sqlite, &pg] {
        let mut args = vec!["--quiet", "ingest"];
        args.extend(inputs.iter().map(String::as_str));
        ok(entente(db, &args));
    }
    Some(Stores { sqlite, pg, tmp, _server: server })
}

#[test]
fn sqlite_and_postgres_give_byte_identical_exports() {
    let Some(Stores { sqlite, pg, tmp, _server }) = ingest_both("sqlite_and_postgres_give_byte_identical_exports")
    else {
        return;
    };
    for format in ["jsonl", "csv", "graphml"] {
        let (expected, got) = (export(&sqlite, format), export(&pg, format));
        assert!(expected.len() > 1000, "{format}: the export has content");
        if got != expected {
            let (e, g) = (String::from_utf8_lossy(&expected), String::from_utf8_lossy(&got));
            let first = e.lines().zip(g.lines()).position(|(a, b)| a != b);
            panic!(
                "{format}: PostgreSQL's export differs from SQLite's at line {first:?}:\n{}\n{}",
                first.and_then(|i| e.lines().nth(i)).unwrap_or("(end)"),
                first.and_then(|i| g.lines().nth(i)).unwrap_or("(end)")
            );
        }
    }
    let parquet = |db: &str, name: &str| -> (Vec<u8>, Vec<u8>) {
        let out = tmp.path().join(format!("{name}.parquet"));
        ok(entente(db, &["--quiet", "export", "--format", "parquet", "--out", out.to_str().unwrap()]));
        (std::fs::read(&out).unwrap(), std::fs::read(tmp.path().join(format!("{name}.relations.parquet"))).unwrap())
    };
    assert!(parquet(&sqlite, "sqlite") == parquet(&pg, "pg"), "Parquet files differ");
    assert_eq!(stats(&pg), stats(&sqlite));
    // The queries read the store through the same interface.
    for query in [&["actor", "NATO"][..], &["timeline", "NATO"], &["graph"]] {
        let (expected, got) = (ok(entente(&sqlite, query)).stdout, ok(entente(&pg, query)).stdout);
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&expected), "{query:?}");
    }
}

/// A corpus for ingests that overlap in time: `files` JSONL files of `per_file` articles
/// each, variants of the example articles (each with its own id and text, so its own content
/// hash), the same people and countries named across files.
fn corpus(dir: &Path, files: usize, per_file: usize) -> Vec<PathBuf> {
    let originals = std::fs::read_to_string(Path::new(EXAMPLES).join("asia-africa-groupings.jsonl")).unwrap();
    let originals: Vec<serde_json::Value> = originals.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (0..files)
        .map(|f| {
            let mut lines = String::new();
            for i in 0..per_file {
                let mut article = originals[(f + i) % originals.len()].clone();
                let n = f * per_file + i;
                article["id"] = format!("{}-{n}", article["id"].as_str().unwrap()).into();
                let text = format!("{}\n\nReport {n} of the series.", article["text"].as_str().unwrap());
                article["text"] = text.into();
                lines.push_str(&format!("{article}\n"));
            }
            let path = dir.join(format!("part-{f}.jsonl"));
            std::fs::write(&path, lines).unwrap();
            path
        })
        .collect()
}

/// An export with its lines sorted, and each fact's evidence sorted: what does not depend on
/// the order documents were stored in (see the README: with two writers, documents are
/// numbered in the order their batches committed).
fn canonical(export: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(export)
        .lines()
        .map(|line| {
            let mut fact: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(evidence) = fact.get_mut("evidence").and_then(|e| e.as_array_mut()) {
                evidence.sort_by_key(|e| e.to_string());
            }
            fact.to_string()
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn two_ingests_at_once_into_postgres_give_the_store_one_ingest_gives() {
    let Some(server) = PgServer::start_or_skip("two_ingests_at_once_into_postgres_give_the_store_one_ingest_gives")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let files: Vec<String> = corpus(tmp.path(), 6, 30).iter().map(|p| p.display().to_string()).collect();
    let (together, one) = (server.database(), server.database());
    // Overlapping halves: parts 2 and 3 are read by both. One document per batch, so the two
    // writers take turns document by document.
    let run = |db: &str, parts: &[String]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_entente"));
        cmd.args(["--db", db, "--quiet", "ingest", "--batch-size", "1"]).args(parts);
        cmd.spawn().expect("entente starts")
    };
    let first = run(&together, &files[..4]);
    let second = run(&together, &files[2..]);
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", out.status);
    }
    ok(entente(
        &one,
        &["--quiet", "ingest", "--batch-size", "1"]
            .into_iter()
            .chain(files.iter().map(String::as_str))
            .collect::<Vec<_>>(),
    ));

    let expected = export(&one, "jsonl");
    let got = export(&together, "jsonl");
    assert_eq!(stats(&together), stats(&one));
    let documents = expected
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(br#"{"schema":"entente.fact/1","id":"document:"#))
        .count();
    assert_eq!(documents, 180, "every article stored once");
    let (expected, got) = (canonical(&expected), canonical(&got));
    assert_eq!(got.len(), expected.len());
    for (e, g) in expected.iter().zip(&got) {
        assert_eq!(g, e);
    }
    // The same store as SQLite's, too.
    let sqlite = tmp.path().join("e.db").display().to_string();
    ok(entente(
        &sqlite,
        &["--quiet", "ingest"].into_iter().chain(files.iter().map(String::as_str)).collect::<Vec<_>>(),
    ));
    assert!(canonical(&export(&sqlite, "jsonl")) == expected, "PostgreSQL and SQLite stores differ");
}

#[test]
fn a_rerun_into_postgres_stores_nothing_twice_and_watch_says_it_needs_sqlite() {
    let Some(server) =
        PgServer::start_or_skip("a_rerun_into_postgres_stores_nothing_twice_and_watch_says_it_needs_sqlite")
    else {
        return;
    };
    let db = server.database();
    let first = ok(entente(&db, &["ingest", EXAMPLES]));
    assert!(String::from_utf8_lossy(&first.stderr).contains("16 document(s) stored, 0 already stored"));
    let before = export(&db, "jsonl");
    let again = ok(entente(&db, &["ingest", EXAMPLES]));
    let summary = String::from_utf8_lossy(&again.stderr);
    assert!(summary.contains("0 document(s) stored, 16 already stored"), "{summary}");
    assert_eq!(export(&db, "jsonl"), before, "the re-run changed nothing");
    ok(entente(&db, &["merge", "--rebuild"]));
    assert_eq!(export(&db, "jsonl"), before, "merging again from scratch gives the same events");

    // ENTENTE_DB names the store when --db is not given.
    let by_env = Command::new(env!("CARGO_BIN_EXE_entente")).env("ENTENTE_DB", &db).arg("stats").output().unwrap();
    assert!(String::from_utf8_lossy(&ok(by_env).stdout).contains("documents   16"));

    let out = entente(&db, &["watch", "--once", "https://example.org/feed"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("needs an SQLite store for now"), "{stderr}");
    let stopped = server.url("no_such_database");
    let out = entente(&stopped, &["stats"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot connect to"));
}

/// A SIGKILL in the middle of an ingest into PostgreSQL loses only the open batch; a re-run
/// finishes the job, and the store exports what an SQLite store of the same files exports.
#[test]
fn a_killed_ingest_into_postgres_is_finished_by_a_rerun() {
    let Some(server) = PgServer::start_or_skip("a_killed_ingest_into_postgres_is_finished_by_a_rerun") else {
        return;
    };
    const DOCUMENTS: usize = 3_000;
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("talks.jsonl");
    let countries = ["Japan", "South Korea", "Australia", "New Zealand", "France", "Germany", "India", "Brazil"];
    let lines: String = (0..DOCUMENTS)
        .map(|i| {
            let (a, b) = (countries[i % 8], countries[(i / 8 + 1 + i) % 8]);
            let text = format!(
                "Talks number {i}\n\nThe foreign ministers of {a} and {b} met on {} March 2023 to discuss trade. \
                 Both sides agreed to meet again, officials said after meeting number {i}.",
                1 + i % 28
            );
            format!("{}\n", serde_json::json!({ "id": format!("talks-{i}"), "text": text }))
        })
        .collect();
    std::fs::write(&corpus, lines).unwrap();
    let db = server.database();
    let stored = || entente_store::Store::connect(&db).and_then(|s| s.stats()).map_or(0, |s| s.documents);
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["--quiet", "--db", &db, "ingest", "--batch-size", "50", corpus.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while stored() < 100 {
        assert!(std::time::Instant::now() < deadline, "ingest stored nothing in time");
        assert!(child.try_wait().unwrap().is_none(), "ingest finished before it could be killed");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let at_kill = stored();
    println!("killed after {at_kill} of {DOCUMENTS} documents were committed");
    assert!(at_kill > 0 && (at_kill as usize) < DOCUMENTS, "the kill came midway");
    assert_eq!(at_kill % 50, 0, "whole batches only");
    assert!(entente_store::Store::connect(&db).unwrap().integrity_check().unwrap());

    let rerun = ok(entente(&db, &["ingest", corpus.to_str().unwrap()]));
    let summary = String::from_utf8_lossy(&rerun.stderr).lines().last().unwrap().to_string();
    let expected = format!("{} document(s) stored, {at_kill} already stored, 0 failed", DOCUMENTS - at_kill as usize);
    assert!(summary.contains(&expected), "the re-run finishes the job: {summary}");
    let sqlite = tmp.path().join("e.db").display().to_string();
    ok(entente(&sqlite, &["--quiet", "ingest", corpus.to_str().unwrap()]));
    assert!(export(&db, "jsonl") == export(&sqlite, "jsonl"), "the finished store exports what SQLite's does");
}

/// `entente serve` until dropped; the address it printed.
struct Serving(std::process::Child, std::net::SocketAddr);

impl Serving {
    fn start(db: &str) -> Serving {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
            .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("entente starts");
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut first).unwrap();
        let addr = first.split("http://").nth(1).and_then(|a| a.split('/').next()).and_then(|a| a.parse().ok());
        match addr {
            Some(addr) => Serving(child, addr),
            None => {
                let _ = child.kill();
                panic!("serve said {first:?}");
            }
        }
    }

    /// Status and body of GET `path`.
    fn get(&self, path: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut response = agent.get(&format!("http://{}{path}", self.1)).call().unwrap();
        (response.status().as_u16(), response.body_mut().read_to_string().unwrap())
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_api_answers_the_same_from_sqlite_and_postgres() {
    let Some(stores) = ingest_both("the_api_answers_the_same_from_sqlite_and_postgres") else {
        return;
    };
    let (sqlite, pg) = (&stores.sqlite, &stores.pg);
    let (expected, got) = (Serving::start(sqlite), Serving::start(pg));
    let mut paths: Vec<String> = [
        "/api/stats",
        "/api/documents",
        "/api/documents?limit=3&offset=2",
        "/api/documents/finland-joins-nato",
        "/api/documents/no-such-document",
        "/api/actors?q=na",
        "/api/actors/NATO/ties",
        "/api/actors/NATO/timeline",
        "/api/events",
        "/api/events?limit=7&offset=3",
        "/api/events?offset=100000",
        "/api/events?actor=NATO&from=2023",
        "/api/events?to=2023-07",
        "/api/events?cameo=04&min_sources=1",
        "/api/events?actor_type=state",
        "/api/events?q=summit",
        "/api/events?q=NATO&limit=5&offset=2",
        "/api/events?q=ab",
        "/api/events?q=zzzz-nothing",
        "/api/relations",
        "/api/relations?actor=NATO",
        "/api/relations?kind=role&limit=3",
        "/api/relations?date=2023-05-01",
        "/api/graph",
        "/api/activity",
        "/api/facts/no-such-fact",
        "/openapi.json",
    ]
    .map(String::from)
    .to_vec();
    // Every event's fact and evidence (the ids as SQLite's server gives them).
    let (_, events) = expected.get("/api/events?limit=500");
    let events: serde_json::Value = serde_json::from_str(&events).unwrap();
    let ids: Vec<&str> = events["events"].as_array().unwrap().iter().filter_map(|e| e["id"].as_str()).collect();
    assert!(ids.len() > 50, "events to compare");
    for id in ids {
        paths.push(format!("/api/facts/{id}"));
        paths.push(format!("/api/facts/{id}/evidence"));
    }
    for path in &paths {
        let (want, have) = (expected.get(path), got.get(path));
        assert_eq!(have.0, want.0, "{path}: status");
        if have.1 != want.1 {
            let at = have.1.bytes().zip(want.1.bytes()).position(|(a, b)| a != b).unwrap_or(0);
            let around = |s: &str| s.get(at.saturating_sub(200)..(at + 200).min(s.len())).unwrap_or(s).to_string();
            panic!(
                "{path}: PostgreSQL answered\n...{}...\nSQLite answered\n...{}...",
                around(&have.1),
                around(&want.1)
            );
        }
    }
    // A search reaches a sentence, not only the span: the same matches either way.
    assert!(expected.get("/api/events?q=summit").1.contains("\"total\""));
}
