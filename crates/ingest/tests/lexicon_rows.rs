//! Every row of the built-in trigger lexicon carries a sentence and what it codes
//! (`crates/events/data/lexicon/README.md`). Each sentence goes through the real pipeline
//! (document, sentences, actors, coder) and must give an event of the row's code, fired by the
//! row's own pattern, from the expected source to the expected target. All failures are listed
//! at once, each with its file and line.

mod common;

use common::code;
use entente_events::{CodedEvent, Lexicon};

/// Whether an event is the one the row promises: its code, its pattern, its two actors (a
/// person counts for the state they stand for).
fn fulfils(e: &CodedEvent, pattern: &str, code: &str, source: &str, target: Option<&str>) -> bool {
    let fired_by_row =
        e.rule.strip_prefix("rules:").and_then(|r| r.rsplit_once('/')).is_some_and(|(p, _)| p == pattern);
    let target_fits = match (target, &e.target) {
        (None, None) => true,
        (Some(want), Some(got)) => got.is(want),
        _ => false,
    };
    fired_by_row && e.cameo == code && e.source.is(source) && target_fits
}

fn brief(events: &[CodedEvent]) -> String {
    let shown: Vec<String> = events
        .iter()
        .map(|e| {
            let target = e.target.as_ref().map_or("-", |t| t.id.as_str());
            format!("{}>{} {} [{}]", e.source.id, target, e.cameo, e.rule)
        })
        .collect();
    if shown.is_empty() { "no event".into() } else { shown.join("; ") }
}

#[test]
fn every_row_codes_its_own_sentence() {
    let lexicon = Lexicon::builtin();
    let mut failures = Vec::new();
    let mut without_example = Vec::new();
    for i in 0..lexicon.len() {
        let row = lexicon.trigger(i);
        let Some(example) = &row.example else {
            without_example.push(row.origin.clone());
            continue;
        };
        let events = code(&example.sentence);
        let ok = events.iter().any(|e| fulfils(e, &row.pattern, &row.code, &example.source, example.target.as_deref()));
        if !ok {
            failures.push(format!(
                "{} `{}` {} {}>{}: {:?} gave {}",
                row.origin,
                row.pattern,
                row.code,
                example.source,
                example.target.as_deref().unwrap_or("-"),
                example.sentence,
                brief(&events)
            ));
        }
    }
    let coded = lexicon.len() - without_example.len() - failures.len();
    println!("lexicon rows: {}, their sentences coded as the row says: {coded}", lexicon.len());
    assert!(
        without_example.is_empty(),
        "{} rows have no example sentence:\n{}",
        without_example.len(),
        without_example.join("\n")
    );
    assert!(failures.is_empty(), "{} rows do not code their sentence:\n{}", failures.len(), failures.join("\n"));
}
