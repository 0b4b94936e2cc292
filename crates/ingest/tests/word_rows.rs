//! Every row of the coder's word lists and recode tables carries a sentence, or its list a
//! frame sentence with a slot for the row's word (`crates/events/data/words/README.md`). Each
//! sentence goes through the real pipeline (document, sentences, actors, coder) and must code
//! what its list says; a list's control word, put in the frame, must not (so the frame shows the
//! list at work). All failures are listed at once, each with its file and line.

mod common;

use common::code;
use entente_events::words::{self, ActorSpec, Expect, ListRows, RowTest};
use entente_events::{ActorRef, CodedEvent};

/// Whether an actor is the one named: its id or the state it stands for, and its sector if
/// one is named (`{value}` is the map row's value).
fn actor_fits(spec: &ActorSpec, actor: &ActorRef, value: Option<&str>) -> bool {
    let sector = spec.sector.as_deref().map(|s| if s == "{value}" { value.unwrap_or(s) } else { s });
    let sector_fits = match sector {
        None => true,
        Some("-") => actor.sector.is_none(),
        Some(s) => actor.sector.as_deref() == Some(s),
    };
    (spec.id == "*" || actor.is(&spec.id)) && sector_fits
}

fn meets(expect: &Expect, events: &[CodedEvent], value: Option<&str>) -> bool {
    match expect {
        Expect::Nothing => events.is_empty(),
        Expect::No { code, prefix } => {
            !events.iter().any(|e| if *prefix { e.cameo.starts_with(code.as_str()) } else { e.cameo == *code })
        }
        Expect::Event { code, source, target, modality, first, at } => {
            let fits = |e: &CodedEvent| {
                let target_fits = match (target, &e.target) {
                    (None, None) => true,
                    (Some(want), Some(got)) => actor_fits(want, got, value),
                    _ => false,
                };
                e.cameo == *code
                    && actor_fits(source, &e.source, value)
                    && target_fits
                    && modality.as_ref().is_none_or(|m| format!("{:?}", e.modality).to_lowercase() == *m)
                    && at.as_ref().is_none_or(|place| e.location.as_ref().is_some_and(|l| l.name == *place))
            };
            if *first { events.first().is_some_and(fits) } else { events.iter().any(fits) }
        }
    }
}

fn brief(events: &[CodedEvent]) -> String {
    let shown: Vec<String> = events
        .iter()
        .map(|e| {
            let actor = |a: &ActorRef| match &a.sector {
                Some(s) => format!("{}.{s}", a.id),
                None => a.id.clone(),
            };
            let target = e.target.as_ref().map_or("-".to_string(), actor);
            let at = e.location.as_ref().map_or(String::new(), |l| format!(" at={}", l.name));
            format!("{} {}>{} {:?}{at} [{}]", e.cameo, actor(&e.source), target, e.modality, e.rule)
        })
        .collect();
    if shown.is_empty() { "no event".into() } else { shown.join("; ") }
}

/// What one list's rows give: the sentences coded as the list says, and what failed.
#[derive(Default)]
struct Tally {
    coded: usize,
    dead: Vec<String>,
    untested: Vec<String>,
    failures: Vec<String>,
}

fn check_list(list: &ListRows, tally: &mut Tally) {
    if let Some(why) = list.untested {
        tally.untested.push(format!("{} {} ({} rows): {why}", list.origin, list.name, list.rows.len()));
        return;
    }
    if let (Some((frame, expect)), Some(control)) = (&list.frame, list.control) {
        let sentence = frame.replace("{}", control);
        let events = code(&sentence);
        if meets(expect, &events, None) {
            tally.failures.push(format!(
                "{} {}: the control {control:?} meets the frame's expectation too, so the frame shows nothing: {sentence:?} gave {}",
                list.origin,
                list.name,
                brief(&events)
            ));
        }
    }
    for row in &list.rows {
        let (sentence, expect) = match (&row.test, &list.frame) {
            (RowTest::Dead(why), _) => {
                tally.dead.push(format!("{} {} {:?}: {why}", row.origin, list.name, row.word));
                continue;
            }
            (RowTest::Sentence { sentence, expect: Some(expect) }, _) => (sentence.to_string(), expect),
            (RowTest::Sentence { sentence, expect: None }, Some((_, expect))) => (sentence.to_string(), expect),
            (RowTest::Frame, Some((frame, expect))) => (frame.replace("{}", row.word), expect),
            _ => {
                tally.failures.push(format!("{} {} {:?}: no sentence and no frame", row.origin, list.name, row.word));
                continue;
            }
        };
        let events = code(&sentence);
        if meets(expect, &events, row.value) {
            tally.coded += 1;
        } else {
            tally.failures.push(format!(
                "{} {} {:?}: {sentence:?} should code {expect:?}, gave {}",
                row.origin,
                list.name,
                row.word,
                brief(&events)
            ));
        }
    }
}

#[test]
fn every_word_row_codes_its_sentence() {
    let builtin = words::builtin();
    let mut tally = Tally::default();
    for list in builtin.lists().iter().chain(builtin.maps()) {
        check_list(list, &mut tally);
    }
    let mut recode_rows = 0;
    for table in builtin.tables() {
        for row in &table.rows {
            recode_rows += 1;
            let events = code(row.sentence);
            let promised = matches!(&row.expect, Expect::Event { code, .. } if code == row.to);
            if promised && meets(&row.expect, &events, None) {
                tally.coded += 1;
            } else {
                tally.failures.push(format!(
                    "{} {} {} -> {}: {:?} should code {:?}, gave {}",
                    row.origin,
                    table.name,
                    row.from,
                    row.to,
                    row.sentence,
                    row.expect,
                    brief(&events)
                ));
            }
        }
    }
    let rows: usize = builtin.lists().iter().chain(builtin.maps()).map(|l| l.rows.len()).sum();
    println!(
        "word rows: {rows} in {} lists and maps, recode rows: {recode_rows}; sentences coded as their list says: {}",
        builtin.lists().len() + builtin.maps().len(),
        tally.coded
    );
    println!("dead rows ({}):\n{}", tally.dead.len(), tally.dead.join("\n"));
    println!("lists no sentence can test ({}):\n{}", tally.untested.len(), tally.untested.join("\n"));
    assert!(
        tally.failures.is_empty(),
        "{} rows do not code as their list says:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
}
