//! The PLOVER gold records (CAMEO-manual example sentences with their event type, source and
//! target actors), coded by the whole pipeline: Entente's own actors and lexicon. A record's
//! prediction is the first event coded in its text.

use crate::EvalError;
use crate::metrics::{Confusion, PerType};
use entente_events::{ActorKind, ActorRef, CodedEvent};
use entente_ingest::{Analyser, build_document, content_hash};
use entente_sources::SourceDoc;
use serde::Deserialize;
use std::fmt;
use std::path::Path;

#[derive(Debug, Deserialize)]
pub struct GoldRecord {
    pub id: String,
    pub event: String,
    #[serde(default)]
    pub text: Option<String>,
    /// A list of `{actorText, code, sector}`; the records write a missing one as `""`.
    #[serde(default)]
    pub source: serde_json::Value,
    #[serde(default)]
    pub target: serde_json::Value,
}

pub fn read_records(path: &Path) -> Result<Vec<GoldRecord>, EvalError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| EvalError::Io { path: path.display().to_string(), source })?;
    serde_json::from_str(&text)
        .map_err(|e| EvalError::Format { path: path.display().to_string(), problem: e.to_string() })
}

#[derive(Default)]
pub struct PloverReport {
    pub records: usize,
    pub type_correct: usize,
    pub coded: usize,
    pub both_actors_correct: usize,
    pub source_correct: usize,
    pub by_type: PerType,
    pub confusion: Confusion,
    /// Records whose type or actors were wrong, for error analysis (`entente eval plover --misses`).
    pub misses: Vec<Miss>,
}

/// One record the coder got wrong: what the gold says and what we coded.
pub struct Miss {
    pub id: String,
    pub text: String,
    pub gold: String,
    pub gold_source: String,
    pub gold_target: String,
    pub predicted: String,
    pub source: String,
    pub target: String,
    pub rule: String,
}

impl fmt::Display for Miss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}  gold {} {} -> {}", self.id, self.gold, self.gold_source, self.gold_target)?;
        writeln!(f, "    ours {} {} -> {}  [{}]", self.predicted, self.source, self.target, self.rule)?;
        writeln!(f, "    {}", self.text.replace('\n', " "))
    }
}

/// The gold's actor codes, as `A|B`, or `-` when it names none.
fn gold_codes(gold: &serde_json::Value) -> String {
    let codes: Vec<&str> = gold
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("code").and_then(|c| c.as_str()))
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() { "-".into() } else { codes.join("|") }
}

fn our_code(a: Option<&ActorRef>) -> String {
    match a {
        Some(a) => format!("{}({})", code_of(a).unwrap_or_else(|| "?".into()), a.id),
        None => "-".into(),
    }
}

impl PloverReport {
    pub fn type_accuracy(&self) -> f64 {
        self.type_correct as f64 / self.records.max(1) as f64
    }
    pub fn actors_accuracy(&self) -> f64 {
        self.both_actors_correct as f64 / self.records.max(1) as f64
    }
}

impl fmt::Display for PloverReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "PLOVER gold records: {} with an event; {} coded with at least one event",
            self.records, self.coded
        )?;
        writeln!(f, "event type accuracy: {:.3} ({} of {})", self.type_accuracy(), self.type_correct, self.records)?;
        writeln!(
            f,
            "source right: {:.3}; source and target both right: {:.3}",
            self.source_correct as f64 / self.records.max(1) as f64,
            self.actors_accuracy()
        )?;
        writeln!(f, "per event type (a record's first coded event; NONE = no event):")?;
        write!(f, "{}", self.by_type)?;
        writeln!(f, "confusion (gold rows, predicted columns):")?;
        write!(f, "{}", self.confusion)
    }
}

/// CAMEO actor codes that differ from the ISO alpha-3 codes Entente uses.
fn normalise_code(code: &str) -> String {
    let c = code.get(..3).unwrap_or(code).to_ascii_uppercase();
    match c.as_str() {
        "JAP" => "JPN".into(),
        "ITL" => "ITA".into(),
        "UAR" => "EGY".into(),
        "ROM" => "ROU".into(),
        "GER" => "DEU".into(),
        "SAF" => "ZAF".into(),
        "SRI" => "LKA".into(),
        "USR" => "SUN".into(),
        _ => c,
    }
}

/// The code a gold record would give one of our actors: its state (an armed group's or
/// party's home state), IGO for organisations and groupings without one, and IMG (CAMEO's
/// international militarized group) for an armed group with no home state (al-Qaeda, ISIS).
fn code_of(a: &ActorRef) -> Option<String> {
    match a.kind {
        ActorKind::Organization | ActorKind::Grouping => Some(a.country.clone().unwrap_or_else(|| "IGO".into())),
        ActorKind::Other => Some(a.country.clone().unwrap_or_else(|| "IMG".into())),
        // A person of no state who holds an office in an organisation acts for it.
        ActorKind::Person if a.country.is_none() => a.acts_for.as_ref().map(|side| {
            let kind = entente_actors::KnowledgeBase::builtin().actor(side).map(|o| o.kind);
            match kind {
                Some(ActorKind::Other) => "IMG".into(),
                _ => "IGO".into(),
            }
        }),
        _ => a.country_code().map(str::to_string),
    }
}

/// Whether our actor has a code the gold lists (any, when the gold names none).
pub fn matches(ours: Option<&ActorRef>, gold: &serde_json::Value) -> bool {
    let gold: Vec<String> = gold
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("code").and_then(|c| c.as_str()))
        .filter(|c| !c.is_empty())
        .map(normalise_code)
        .collect();
    match (ours.and_then(code_of), gold.is_empty()) {
        (_, true) => true,
        (Some(code), false) => gold.contains(&code),
        (None, false) => false,
    }
}

/// The half a record belongs to, fixed by its id (FNV-1a, even `tune`, odd `check`): rules
/// are developed on `tune`, and `check` is read only as a figure.
pub fn half_of(id: &str) -> &'static str {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    if hash % 2 == 0 { "tune" } else { "check" }
}

/// Each half's report, `tune` then `check`, each coded by a fresh analyser from `analyser`
/// (an analyser remembers the people it has read, which must not cross halves).
pub fn evaluate_halves(records: &[GoldRecord], analyser: impl Fn() -> Analyser) -> Vec<(&'static str, PloverReport)> {
    ["tune", "check"]
        .into_iter()
        .map(|half| {
            let mine: Vec<&GoldRecord> = records.iter().filter(|r| half_of(&r.id) == half).collect();
            (half, evaluate_refs(&mine, analyser()))
        })
        .collect()
}

pub fn evaluate(records: &[GoldRecord]) -> PloverReport {
    evaluate_with(records, Analyser::new(Vec::new()))
}

/// Scores the records with a given analyser (with the parser behind the coder, say).
pub fn evaluate_with(records: &[GoldRecord], analyser: Analyser) -> PloverReport {
    evaluate_refs(&records.iter().collect::<Vec<_>>(), analyser)
}

fn evaluate_refs(records: &[&GoldRecord], mut analyser: Analyser) -> PloverReport {
    let mut report = PloverReport::default();
    for r in records.iter().filter(|r| r.event != "DOCUMENT") {
        let Some(text) = &r.text else { continue };
        report.records += 1;
        let events = code_text(&mut analyser, &r.id, text);
        let first = events.first();
        let predicted = first.map_or("NONE", |e| in_gold_scheme(e.plover.as_str()));
        report.coded += usize::from(first.is_some());
        report.confusion.add(&r.event, predicted);
        if predicted == r.event {
            report.type_correct += 1;
            report.by_type.tp(&r.event);
        } else {
            report.by_type.fn_(&r.event);
            if predicted != "NONE" {
                report.by_type.fp(predicted);
            }
        }
        let mut actors_ok = false;
        if let Some(e) = first {
            let source_ok = matches(Some(&e.source), &r.source);
            actors_ok = source_ok && matches(e.target.as_ref(), &r.target);
            report.source_correct += usize::from(source_ok);
            report.both_actors_correct += usize::from(actors_ok);
        }
        if predicted != r.event || !actors_ok {
            report.misses.push(Miss {
                id: r.id.clone(),
                text: text.clone(),
                gold: r.event.clone(),
                gold_source: gold_codes(&r.source),
                gold_target: gold_codes(&r.target),
                predicted: predicted.to_string(),
                source: our_code(first.map(|e| &e.source)),
                target: our_code(first.and_then(|e| e.target.as_ref())),
                rule: first.map_or(String::new(), |e| e.rule.clone()),
            });
        }
    }
    report
}

/// The gold records were coded with PLOVER 0.5b1 (2016), whose 18 event types have no ACCUSE
/// or REQUEST: accusations, complaints and lawsuits are DISAPPROVE there, appeals DEMAND. The
/// export contract's 20 types are compared in that scheme.
fn in_gold_scheme(plover: &str) -> &str {
    match plover {
        "ACCUSE" => "DISAPPROVE",
        "REQUEST" => "DEMAND",
        other => other,
    }
}

fn code_text(analyser: &mut Analyser, id: &str, text: &str) -> Vec<CodedEvent> {
    let source = SourceDoc { id_hint: id.to_string(), text: text.to_string(), ..Default::default() };
    let (doc, _) = build_document(source, content_hash(text));
    let (_, spans) = analyser.actors(&doc);
    analyser.events(&doc, &spans)
}
