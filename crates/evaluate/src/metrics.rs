//! Counting for evaluations: per-type precision, recall and F1, and a confusion table.

use std::collections::BTreeMap;
use std::fmt;

/// True positives, false positives and false negatives per label.
#[derive(Clone, Debug, Default)]
pub struct PerType {
    counts: BTreeMap<String, (usize, usize, usize)>,
}

impl PerType {
    pub fn tp(&mut self, label: &str) {
        self.counts.entry(label.to_string()).or_default().0 += 1;
    }
    pub fn fp(&mut self, label: &str) {
        self.counts.entry(label.to_string()).or_default().1 += 1;
    }
    pub fn fn_(&mut self, label: &str) {
        self.counts.entry(label.to_string()).or_default().2 += 1;
    }

    /// Micro-averaged precision, recall, F1 over all labels.
    pub fn micro(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = self.counts.values().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
        prf(tp, fp, fn_)
    }
}

pub fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp == 0 { 0.0 } else { tp as f64 / (tp + fp) as f64 };
    let r = if tp + fn_ == 0 { 0.0 } else { tp as f64 / (tp + fn_) as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

impl fmt::Display for PerType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "  {:<14} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}", "type", "tp", "fp", "fn", "P", "R", "F1")?;
        for (label, &(tp, fp, fn_)) in &self.counts {
            let (p, r, f1) = prf(tp, fp, fn_);
            writeln!(f, "  {label:<14} {tp:>5} {fp:>5} {fn_:>5}  {p:>6.3} {r:>6.3} {f1:>6.3}")?;
        }
        let (p, r, f1) = self.micro();
        writeln!(f, "  {:<14} {:>5} {:>5} {:>5}  {p:>6.3} {r:>6.3} {f1:>6.3}", "(micro)", "", "", "")
    }
}

/// Gold label (rows) against predicted label (columns).
#[derive(Clone, Debug, Default)]
pub struct Confusion {
    cells: BTreeMap<(String, String), usize>,
}

impl Confusion {
    pub fn add(&mut self, gold: &str, predicted: &str) {
        *self.cells.entry((gold.to_string(), predicted.to_string())).or_default() += 1;
    }
}

impl fmt::Display for Confusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rows: Vec<&String> = self.cells.keys().map(|(g, _)| g).collect();
        let mut cols: Vec<&String> = self.cells.keys().map(|(_, p)| p).collect();
        rows.sort();
        rows.dedup();
        cols.sort();
        cols.dedup();
        let short = |s: &str| s.chars().take(5).collect::<String>();
        write!(f, "  {:<12}", "gold\\pred")?;
        for c in &cols {
            write!(f, " {:>5}", short(c))?;
        }
        writeln!(f)?;
        for r in rows {
            write!(f, "  {:<12}", short(r))?;
            for c in &cols {
                match self.cells.get(&(r.clone(), (*c).clone())) {
                    Some(n) => write!(f, " {n:>5}")?,
                    None => write!(f, " {:>5}", ".")?,
                }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_by_hand() {
        assert_eq!(prf(2, 2, 0), (0.5, 1.0, 2.0 / 3.0));
        assert_eq!(prf(0, 0, 3), (0.0, 0.0, 0.0));
        let mut t = PerType::default();
        t.tp("A");
        t.fp("B");
        t.fn_("A");
        assert_eq!(t.micro(), (0.5, 0.5, 0.5));
    }
}
