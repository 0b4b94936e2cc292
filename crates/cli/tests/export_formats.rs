//! `entente export` in each format through the real binary, over the example articles: text
//! formats to standard output or a file, Parquet only to a file, clear errors otherwise.

mod common;

use common::entente;
use std::process::Output;

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn every_export_format_is_written_where_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e.db");
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    stdout(&entente(&db, &["--quiet", "ingest", examples]));

    let jsonl = stdout(&entente(&db, &["export", "--format", "jsonl"]));
    let events = jsonl.lines().filter(|l| l.contains(r#""kind":"event""#)).count();
    assert!(events > 0);

    let csv = entente(&db, &["export", "--format", "csv"]);
    let table = stdout(&csv);
    assert!(table.starts_with("GLOBALEVENTID\tSQLDATE\t"), "a tab-separated header");
    assert_eq!(table.lines().count(), events + 1, "one row per event");
    assert!(String::from_utf8_lossy(&csv.stderr).contains(&format!("exported {events} events")));
    let file = tmp.path().join("events.tsv");
    stdout(&entente(&db, &["--quiet", "export", "--format", "csv", "--out", file.to_str().unwrap()]));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), table, "--out writes what stdout gets");

    let graph = stdout(&entente(&db, &["export", "--format", "graphml"]));
    assert!(graph.starts_with("<?xml") && graph.trim_end().ends_with("</graphml>"));

    let parquet = tmp.path().join("events.parquet");
    stdout(&entente(&db, &["export", "--format", "parquet", "--out", parquet.to_str().unwrap()]));
    for path in [parquet.clone(), tmp.path().join("events.relations.parquet")] {
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "{} is Parquet", path.display());
    }
}

#[test]
fn parquet_without_a_file_and_an_unwritable_file_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e.db");
    let no_file = entente(&db, &["export", "--format", "parquet"]);
    assert_eq!(no_file.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&no_file.stderr).contains("--out FILE"));
    assert!(no_file.stdout.is_empty(), "nothing binary reaches the terminal");

    let missing_dir = tmp.path().join("no/such/dir/graph.graphml");
    let unwritable = entente(&db, &["export", "--format", "graphml", "--out", missing_dir.to_str().unwrap()]);
    assert_eq!(unwritable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unwritable.stderr).contains("cannot create"));
}
