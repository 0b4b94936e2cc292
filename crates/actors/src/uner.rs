//! Scoring mention finding on the Universal NER layer of UD English EWT (PER, ORG, LOC),
//! exact spans. States, territories and capitals count as LOC, organisations and groupings as
//! ORG, people as PER; adjectives and demonyms are not entities in UNER and are not scored.
//! This is the baseline a trained recogniser improves on: EWT is web text, not news, and the
//! knowledge base knows no private persons, so PER recall is low by design.

use crate::{ActorKind, KnowledgeBase, MentionFinder, Surface};
use entente_document::{Document, Metadata, Span};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

#[derive(Debug, Default)]
pub struct NerReport {
    pub sentences: usize,
    /// Per type: tp, fp, fn.
    pub counts: BTreeMap<String, (usize, usize, usize)>,
}

fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp == 0 { 0.0 } else { tp as f64 / (tp + fp) as f64 };
    let r = if tp + fn_ == 0 { 0.0 } else { tp as f64 / (tp + fn_) as f64 };
    (p, r, if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
}

impl NerReport {
    pub fn f1(&self, label: &str) -> f64 {
        self.counts.get(label).map_or(0.0, |&(tp, fp, fn_)| prf(tp, fp, fn_).2)
    }

    pub fn micro(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = self.counts.values().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
        prf(tp, fp, fn_)
    }
}

impl fmt::Display for NerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "UNER (UD English EWT), {} sentences, exact spans", self.sentences)?;
        writeln!(f, "  {:<6} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}", "type", "tp", "fp", "fn", "P", "R", "F1")?;
        for (label, &(tp, fp, fn_)) in &self.counts {
            let (p, r, f1) = prf(tp, fp, fn_);
            writeln!(f, "  {label:<6} {tp:>5} {fp:>5} {fn_:>5}  {p:>6.3} {r:>6.3} {f1:>6.3}")?;
        }
        let (p, r, f1) = self.micro();
        writeln!(f, "  {:<6} {:>5} {:>5} {:>5}  {p:>6.3} {r:>6.3} {f1:>6.3}", "micro", "", "", "")
    }
}

/// Scores the finder on an IOB2 file (`token<TAB>tag` lines, blank lines between sentences).
pub fn evaluate_uner(path: &Path, limit: Option<usize>) -> std::io::Result<NerReport> {
    let text = std::fs::read_to_string(path)?;
    let kb = KnowledgeBase::builtin();
    let finder = MentionFinder::new(kb);
    let mut report = NerReport::default();
    for block in text
        .split("\n\n")
        .filter(|b| b.lines().any(|l| !l.starts_with('#') && !l.trim().is_empty()))
        .take(limit.unwrap_or(usize::MAX))
    {
        let rows: Vec<(&str, &str)> = block
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                let first = f.next()?;
                // Files with an index column: "1<TAB>token<TAB>tag".
                let (token, tag) = match (f.next(), f.next()) {
                    (Some(tok), Some(tag)) if first.chars().all(|c| c.is_ascii_digit()) => (tok, tag),
                    (Some(tag), _) => (first, tag),
                    _ => return None,
                };
                Some((token, tag))
            })
            .collect();
        report.sentences += 1;
        score_sentence(&rows, &finder, &mut report);
    }
    Ok(report)
}

fn score_sentence(rows: &[(&str, &str)], finder: &MentionFinder, report: &mut NerReport) {
    let mut text = String::new();
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for (token, _) in rows {
        if !text.is_empty() {
            text.push(' ');
        }
        starts.push(text.len());
        text.push_str(token);
        ends.push(text.len());
    }
    let mut gold: BTreeSet<(usize, usize, String)> = BTreeSet::new();
    let mut open: Option<(usize, String)> = None;
    for (i, (_, tag)) in rows.iter().enumerate() {
        let tag = tag.trim();
        let (bio, label) = tag.split_once('-').unwrap_or((tag, ""));
        let label = if label == "OTH" { "" } else { label };
        if bio == "I" && open.as_ref().is_some_and(|(_, l)| l == label) {
            continue;
        }
        if let Some((s, l)) = open.take() {
            gold.insert((starts[s], ends[i - 1], l));
        }
        if (bio == "B" || bio == "I") && !label.is_empty() {
            open = Some((i, label.to_string()));
        }
    }
    if let Some((s, l)) = open {
        gold.insert((starts[s], ends[rows.len() - 1], l));
    }
    let doc = Document::new("uner", text.clone(), Metadata::default());
    let found = crate::annotate(&doc, finder, &[]);
    let predicted: BTreeSet<(usize, usize, String)> = found
        .mentions
        .iter()
        .filter_map(|m| {
            let label = match (m.kind, m.surface) {
                (_, Surface::Demonym | Surface::Reference | Surface::Occasion | Surface::Pronoun) => return None,
                (ActorKind::Person, _) => "PER",
                (ActorKind::State, _) => "LOC",
                (ActorKind::Organization | ActorKind::Grouping, _) => "ORG",
                (ActorKind::Other, _) => return None,
            };
            // A state with its sector ("Russian forces") is scored on the name alone.
            let span =
                if m.sector.is_some() && m.surface != Surface::Capital { name_only(&text, m.span) } else { m.span };
            Some((span.start, span.end, label.to_string()))
        })
        .collect();
    for p in &predicted {
        let entry = report.counts.entry(p.2.clone()).or_default();
        if gold.contains(p) { entry.0 += 1 } else { entry.1 += 1 }
    }
    for g in gold.difference(&predicted) {
        report.counts.entry(g.2.clone()).or_default().2 += 1;
    }
}

/// The first word of a "Name sector-noun" span.
fn name_only(text: &str, span: Span) -> Span {
    let s = span.of(text);
    let end = s.find([' ', '\'', '’']).unwrap_or(s.len());
    Span::new(span.start, span.start + end)
}
