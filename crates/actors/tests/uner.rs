//! Mention finding scored on the UNER layer of UD English EWT (exact spans, PER/ORG/LOC).
//! The whole dev and test sets are scored by `entente eval uner`; this test scores the first
//! 1000 dev sentences and pins floors under the figures reached there.

use entente_actors::uner::evaluate_uner;

#[test]
fn uner_dev_slice_floor() {
    let Some(path) = entente_testdata::shared_or_skip("uner_dev_slice", "data/ud/uner/en_ewt-ud-dev.iob2") else {
        return;
    };
    let report = evaluate_uner(&path, Some(1000)).unwrap();
    println!("{report}");
    let (p, r, f1) = report.micro();
    assert!(report.sentences == 1000);
    assert!(p >= MIN_PRECISION && f1 >= MIN_F1, "P {p:.3} R {r:.3} F1 {f1:.3}");
    assert!(report.f1("LOC") >= MIN_LOC_F1, "LOC F1 {:.3}", report.f1("LOC"));
}

/// Floors under the figures reached on this slice: P 0.861, F1 0.128, LOC F1 0.267.
const MIN_PRECISION: f64 = 0.82;
const MIN_F1: f64 = 0.11;
const MIN_LOC_F1: f64 = 0.24;
