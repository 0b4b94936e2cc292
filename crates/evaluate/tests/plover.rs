//! The whole pipeline (Entente's actors and lexicon) on the PLOVER gold records.

use entente_evaluate::plover::{evaluate_halves, read_records};

/// Floors on the check half (records fixed by id, see `plover::half_of`), under the figures
/// reached: check type accuracy 0.838, source and target both right 0.718 (tune: 0.814, 0.696).
/// The 3.6-fold broader lexicon cost two check records (0.855 before): the dev records had been
/// tuned on one by one, and some of their golds follow an older PLOVER table than ours (easing a
/// state of emergency is CONCEDE there, RETREAT in PLOVER's own CAMEO table).
#[test]
fn plover_dev_records_check_half() {
    let Some(path) = entente_testdata::shared_or_skip(
        "plover_dev_records_check_half",
        "data/eventcoders/plover/PLOVER_GSR_dev.json",
    ) else {
        return;
    };
    let records = read_records(&path).unwrap();
    let halves = evaluate_halves(&records, || entente_ingest::Analyser::new(Vec::new()));
    for (half, report) in &halves {
        println!("== {half} ==\n{report}");
    }
    let (_, check) = halves.iter().find(|(half, _)| *half == "check").unwrap();
    assert!(check.records >= 100, "{} check records", check.records);
    assert!(check.type_accuracy() >= MIN_TYPE_ACCURACY, "check type accuracy {:.3}", check.type_accuracy());
    assert!(check.actors_accuracy() >= MIN_ACTORS_ACCURACY, "check actors {:.3}", check.actors_accuracy());
}

const MIN_TYPE_ACCURACY: f64 = 0.82;
const MIN_ACTORS_ACCURACY: f64 = 0.71;

/// The parser behind the coder: subjects and objects from the parse where the word rules find
/// none. Reached on the check half: type accuracy 0.838, both actors 0.735 (0.718 without it;
/// tune: 0.706 and 0.696).
#[test]
fn plover_dev_records_check_half_with_the_parser() {
    let Some(path) = entente_testdata::shared_or_skip(
        "plover_dev_records_check_half_with_the_parser",
        "data/eventcoders/plover/PLOVER_GSR_dev.json",
    ) else {
        return;
    };
    let records = read_records(&path).unwrap();
    let parser: &'static entente_syntax::Analyzer =
        Box::leak(Box::new(entente_syntax::Analyzer::default_models().unwrap()));
    let check = |halves: Vec<(&'static str, entente_evaluate::plover::PloverReport)>| {
        halves.into_iter().find(|(half, _)| *half == "check").map(|(_, report)| report).unwrap()
    };
    let with = check(evaluate_halves(&records, || entente_ingest::Analyser::new(Vec::new()).with_parser(parser)));
    let without = check(evaluate_halves(&records, || entente_ingest::Analyser::new(Vec::new())));
    println!("check half with the parser:\n{with}");
    assert!(with.actors_accuracy() >= 0.725, "actors {:.3}", with.actors_accuracy());
    assert!(with.actors_accuracy() > without.actors_accuracy(), "the parser helps the actors");
    assert!(with.type_accuracy() >= MIN_TYPE_ACCURACY, "type accuracy {:.3}", with.type_accuracy());
}
