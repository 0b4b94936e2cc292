//! Bad input gets one clear line naming the file (and line) and the problem; the rest of the
//! batch goes on; the summary counts successes and failures; nothing stored before is lost.

mod common;

use common::entente;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

fn export(db: &Path) -> Vec<Value> {
    let out = entente(db, &["export", "--format", "jsonl"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn write_bad_inputs(dir: &Path) {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    w("empty.txt", b"");
    w("garbage.txt", &(0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect::<Vec<_>>());
    // A gzip stream cut off in the middle.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all("Leaders met in Madrid. ".repeat(400).as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    w("truncated.txt.gz", &gz[..gz.len() / 2]);
    // Latin-1: must be decoded, not refused, and must come out right.
    w("latin1.txt", b"Macron's visit\n\nLe pr\xe9sident fran\xe7ais and the Kanzler met in the \xc9lys\xe9e on 3 May 2024 to discuss defence.");
    // A 1 GB file that costs no disk: refused before it is read.
    std::fs::File::create(dir.join("huge.txt")).unwrap().set_len(1 << 30).unwrap();
    let jsonl = [
        r#"{"id": "ok-1", "title": "Talks", "text": "Japan and Australia signed a defence pact in Perth on 22 October 2022."}"#,
        r#"{"id": "broken", "text": "this line is cut off"#,
        r#"{"id": "bad-date", "date": "32/13/2023", "text": "The summit in Vilnius ended on 12 July 2023 with a communique."}"#,
        r#"{"id": "no-text", "title": "A record without any article"}"#,
    ];
    w("news.jsonl", jsonl.join("\n").as_bytes());
    w("fine.txt", b"Quad leaders meet\n\nThe leaders of the Quad met in Sydney on 24 May 2023.");
}

#[test]
fn bad_inputs_are_reported_per_file_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e.db");
    let good = tmp.path().join("good");
    std::fs::create_dir(&good).unwrap();
    std::fs::write(good.join("before.txt"), "Earlier article\n\nNATO leaders met in Madrid on 29 June 2022.").unwrap();
    assert!(entente(&db, &["ingest", good.to_str().unwrap()]).status.success());
    let before = export(&db);

    let bad = tmp.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    write_bad_inputs(&bad);
    let out = entente(&db, &["ingest", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stderr}");
    assert_eq!(out.status.code(), Some(3), "some documents failed: exit code 3");

    let line_for =
        |needle: &str| stderr.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line for {needle}"));
    assert!(line_for("empty.txt").contains("error:") && line_for("empty.txt").contains("empty file"));
    assert!(line_for("garbage.txt").contains("binary data"));
    assert!(line_for("truncated.txt.gz").contains("truncated or corrupt gzip"));
    assert!(line_for("huge.txt").contains("1073741824 bytes"));
    assert!(line_for("news.jsonl:2").contains("not valid JSON"));
    assert!(line_for("news.jsonl:4").contains("no article text"));
    let date_note = line_for("news.jsonl:3");
    assert!(date_note.starts_with("note:") && date_note.contains("32/13/2023"), "{date_note}");
    assert!(line_for("latin1.txt").contains("decoded as windows-1252"));
    assert!(
        stderr.contains("4 document(s) stored, 0 already stored, 6 failed"),
        "summary counts successes and failures"
    );

    let after = export(&db);
    // Documents stored before are unchanged (facts about actors may grow with new documents).
    let documents =
        |lines: &[Value]| -> Vec<Value> { lines.iter().filter(|l| l["kind"] == "document").cloned().collect() };
    let (before, after) = (documents(&before), documents(&after));
    assert_eq!(&after[..before.len()], &before[..], "earlier documents are intact");
    let docs: Vec<&str> = after.iter().map(|f| f["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, ["before", "fine", "latin1", "ok-1", "bad-date"]);
    let latin1 = &after[2];
    assert_eq!(latin1["title"], "Macron's visit");
    let bad_date = &after[4];
    assert_eq!((bad_date["date"].as_str(), bad_date["date_source"].as_str()), (Some("2023-07-12"), Some("text")));
}

#[test]
fn latin1_text_comes_out_right_in_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e.db");
    let file = tmp.path().join("latin1.txt");
    std::fs::write(&file, b"Le pr\xe9sident fran\xe7ais visited the \xc9lys\xe9e.").unwrap();
    assert!(entente(&db, &["ingest", file.to_str().unwrap()]).status.success());
    let store = entente_store::Store::open(&db).unwrap();
    let doc = store.document("latin1").unwrap().unwrap();
    assert_eq!(doc.text, "Le président français visited the Élysée.");
}

#[test]
fn missing_paths_and_unsupported_files_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e.db");
    let pdf = tmp.path().join("report.pdf");
    std::fs::write(&pdf, b"%PDF-1.4").unwrap();
    let out = entente(&db, &["ingest", "/no/such/dir", pdf.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr.contains("/no/such/dir: no such file or directory"), "{stderr}");
    assert!(stderr.contains("report.pdf: unsupported file type"), "{stderr}");
}
