//! `entente extract` prints what ingest reads from a page: text without boilerplate, and
//! metadata with the date the page declares.

use std::process::Command;

#[test]
fn extract_json_gives_the_page_metadata_and_body() {
    let page = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/camp-david-trilateral.html");
    let out = Command::new(env!("CARGO_BIN_EXE_entente")).args(["extract", "--json", page]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "camp-david-trilateral");
    assert_eq!(v["date"], "2023-08-19");
    assert_eq!(v["language"], "en");
    assert_eq!(v["url"], "https://example.org/world/2023/08/19/camp-david-trilateral");
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("hosted Japanese Prime Minister Fumio Kishida"));
    assert!(
        !text.contains("Markets close higher") && !text.contains("Share this article"),
        "related links and footer dropped"
    );
}

#[test]
fn extract_names_files_it_cannot_read() {
    let out = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["extract", "/no/such/page.html", "notes.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr.contains("/no/such/page.html: cannot read") && stderr.contains("notes.txt: not an HTML page"),
        "{stderr}"
    );
}
