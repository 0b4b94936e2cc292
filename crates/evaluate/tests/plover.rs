//! The whole pipeline (Entente's actors and lexicon) on the PLOVER gold records.

use entente_evaluate::plover::{evaluate, read_records};

#[test]
fn plover_dev_records() {
    let Some(path) =
        entente_testdata::shared_or_skip("plover_dev_records", "data/eventcoders/plover/PLOVER_GSR_dev.json")
    else {
        return;
    };
    let records = read_records(&path).unwrap();
    let report = evaluate(&records);
    println!("{report}");
    assert!(report.records >= 200);
    assert!(report.type_accuracy() >= MIN_TYPE_ACCURACY, "type accuracy {:.3}", report.type_accuracy());
    assert!(report.actors_accuracy() >= MIN_ACTORS_ACCURACY, "actors {:.3}", report.actors_accuracy());
}

/// Floors under the figures reached: type accuracy 0.667, source and target both right 0.452.
const MIN_TYPE_ACCURACY: f64 = 0.65;
const MIN_ACTORS_ACCURACY: f64 = 0.43;
