//! The PETRARCH-2 unit-test records: sentences about fictional states (Arnor, Gondor, ...)
//! with the (source, target, CAMEO code) triples PETRARCH must produce. Only records whose
//! expected codes are all real CAMEO codes are scored (73 of 359 expected codes are not).
//! Actors always come from the records' own validation dictionaries; verbs from Entente's
//! lexicon, or from the validation verb dictionary (`--dictionaries` compatibility).

use crate::EvalError;
use crate::metrics::{Confusion, PerType, prf};
use entente_document::{Document, Metadata, PartialDate};
use entente_events::petrarch::{ActorFinder, Dictionaries};
use entente_events::{Coder, Lexicon, SentenceView, codes};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

#[derive(Debug, Deserialize)]
pub struct Record {
    pub id: String,
    pub date: String,
    pub category: String,
    pub text: String,
    /// (source, target, code); PETRARCH writes a missing actor as null.
    pub expected: Vec<Vec<Option<String>>>,
    #[serde(default)]
    pub noevents: bool,
}

pub fn read_records(path: &Path) -> Result<Vec<Record>, EvalError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| EvalError::Io { path: path.display().to_string(), source })?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| EvalError::Format {
                path: format!("{}:{}", path.display(), i + 1),
                problem: e.to_string(),
            })
        })
        .collect()
}

type Triple = (String, String, String);

/// Whether a record is scored: it expects events, all with real CAMEO codes.
pub fn is_scored(r: &Record) -> bool {
    !r.expected.is_empty() && r.expected.iter().all(|t| t.len() == 3 && t[2].as_deref().is_some_and(codes::is_real))
}

pub struct PetrarchReport {
    pub verbs: String,
    pub records: usize,
    pub scored: usize,
    pub by_type: PerType,
    pub exact: (usize, usize, usize),
    /// Expected triples whose source and target we coded, and of those, how many with the
    /// same code and the same CAMEO root.
    pub pairs_found: usize,
    pub same_code: usize,
    pub same_root: usize,
    pub expected_total: usize,
    pub confusion: Confusion,
    /// Records whose coded triples differ from the expected ones: id, expected, coded, text.
    pub misses: Vec<String>,
}

impl PetrarchReport {
    /// Exact (source, target, code) triples: precision, recall, F1.
    pub fn triple_prf(&self) -> (f64, f64, f64) {
        prf(self.exact.0, self.exact.1, self.exact.2)
    }

    /// Share of expected triples coded with exactly the expected code.
    pub fn code_agreement(&self) -> f64 {
        self.same_code as f64 / self.expected_total.max(1) as f64
    }
}

impl fmt::Display for PetrarchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (p, r, f1) = self.triple_prf();
        writeln!(f, "PETRARCH-2 unit-test records, verbs: {}", self.verbs)?;
        writeln!(
            f,
            "records {} (scored {}: all expected codes real CAMEO), expected triples {}",
            self.records, self.scored, self.expected_total
        )?;
        writeln!(
            f,
            "exact (source, target, code): P {p:.3} R {r:.3} F1 {f1:.3}  (tp {}, fp {}, fn {})",
            self.exact.0, self.exact.1, self.exact.2
        )?;
        writeln!(
            f,
            "code agreement: {:.3} of expected triples coded with the same code; source+target found for {:.3}, of which same code {:.3}, same root {:.3}",
            self.code_agreement(),
            self.pairs_found as f64 / self.expected_total.max(1) as f64,
            self.same_code as f64 / self.pairs_found.max(1) as f64,
            self.same_root as f64 / self.pairs_found.max(1) as f64
        )?;
        writeln!(f, "per PLOVER type (exact triples):")?;
        write!(f, "{}", self.by_type)?;
        writeln!(f, "confusion of PLOVER types for expected (source, target) pairs that were coded:")?;
        write!(f, "{}", self.confusion)
    }
}

fn plover(code: &str) -> String {
    codes::lookup(code).map_or_else(|| "(none)".to_string(), |c| c.plover.to_string())
}

/// Codes every record with `lexicon` and the validation actors; scores the scored ones.
pub fn evaluate(records: &[Record], dictionaries: &Dictionaries, use_dictionary_verbs: bool) -> PetrarchReport {
    let lexicon: &Lexicon = if use_dictionary_verbs { &dictionaries.verbs } else { Lexicon::builtin() };
    let coder = Coder::new(lexicon);
    let mut report = PetrarchReport {
        verbs: if use_dictionary_verbs {
            format!("the validation dictionary ({})", dictionaries.summary)
        } else {
            "Entente's lexicon".into()
        },
        records: records.len(),
        scored: 0,
        by_type: PerType::default(),
        exact: (0, 0, 0),
        pairs_found: 0,
        same_code: 0,
        same_root: 0,
        expected_total: 0,
        confusion: Confusion::default(),
        misses: Vec::new(),
    };
    for record in records.iter().filter(|r| is_scored(r)) {
        report.scored += 1;
        let predicted = code_record(&coder, &dictionaries.actors, record);
        let part = |x: &Option<String>| x.clone().unwrap_or_else(|| "---".to_string());
        let expected: BTreeSet<Triple> =
            record.expected.iter().map(|t| (part(&t[0]), part(&t[1]), part(&t[2]))).collect();
        for t in &predicted {
            if expected.contains(t) {
                report.exact.0 += 1;
                report.by_type.tp(&plover(&t.2));
            } else {
                report.exact.1 += 1;
                report.by_type.fp(&plover(&t.2));
            }
        }
        if predicted != expected {
            let show = |s: &BTreeSet<Triple>| s.iter().map(|t| format!("{} {} {}", t.0, t.1, t.2)).collect::<Vec<_>>();
            report.misses.push(format!(
                "{}  expected {:?}  coded {:?}\n    {}",
                record.id,
                show(&expected),
                show(&predicted),
                record.text
            ));
        }
        for t in &expected {
            report.expected_total += 1;
            if !predicted.contains(t) {
                report.exact.2 += 1;
                report.by_type.fn_(&plover(&t.2));
            }
            if let Some(p) = predicted.iter().find(|p| p.0 == t.0 && p.1 == t.1) {
                report.pairs_found += 1;
                report.same_code += usize::from(p.2 == t.2);
                report.same_root += usize::from(p.2.get(..2) == t.2.get(..2));
                report.confusion.add(&plover(&t.2), &plover(&p.2));
            }
        }
    }
    report
}

/// The triples Entente codes for one record.
pub fn code_record(coder: &Coder, actors: &ActorFinder, record: &Record) -> BTreeSet<Triple> {
    let date = record_date(&record.date);
    let mut doc = Document::new(record.id.clone(), record.text.clone(), Metadata::default());
    entente_text::annotate(&mut doc);
    let mut out = BTreeSet::new();
    for i in 0..doc.sentences.len() {
        let span = doc.sentences[i].span;
        let found = actors.find(span.of(&doc.text), span.start, date);
        let view = SentenceView::of_document(&doc, i, &found);
        for e in coder.code(&view, date) {
            let target = e.target.as_ref().map_or("---".to_string(), |t| t.id.clone());
            out.insert((e.source.id.clone(), target, e.cameo.clone()));
        }
    }
    out
}

fn record_date(s: &str) -> Option<PartialDate> {
    (s.len() == 8)
        .then(|| PartialDate::day(s[..4].parse().ok()?, s[4..6].parse().ok()?, s[6..8].parse().ok()?))
        .flatten()
}
