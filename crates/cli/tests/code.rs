//! `entente code` codes text from standard input without a store, as a coder's single
//! sentence mode does: actors and events with the rule that fired.

use std::io::Write;
use std::process::{Command, Stdio};

fn code(args: &[&str], text: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .arg("code")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn json_events_carry_actors_type_date_and_rule() {
    let text = "Japan criticised China on Tuesday. The Thai army cut off aid to Myanmar rebels last month.";
    let out = code(&["--json", "--date", "2023-07-13"], text);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let events: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let first = &events[0];
    assert_eq!((first["source"]["id"].as_str(), first["target"]["id"].as_str()), (Some("JPN"), Some("CHN")));
    assert_eq!(first["plover"], "DISAPPROVE");
    assert_eq!(first["date"], "2023-07-11", "the Tuesday before the document's date");
    assert!(first["rule"].as_str().unwrap().starts_with("rules:criticise"));
    let cut = events.iter().find(|e| e["sentence"] == 1).expect("the second sentence is coded");
    assert_eq!(cut["source"]["id"], "THA");
    assert_eq!(cut["plover"], "SANCTION", "'cut off' matches as one alternative of its pattern");
    assert_eq!(cut["date"], "2023-06");
}

#[test]
fn listing_shows_each_sentence_with_its_actors_and_events() {
    let out = code(&[], "Russian officials visited France.");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(listing.starts_with("[0] Russian officials visited France."), "{listing}");
    assert!(listing.contains("actor \"France\" = FRA (state)"), "{listing}");
    assert!(listing.contains("event RUS -> FRA: CONSULT visit"), "{listing}");
}

#[test]
fn empty_input_is_an_error_that_says_so() {
    let out = code(&[], "  \n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no text on standard input"));
}
