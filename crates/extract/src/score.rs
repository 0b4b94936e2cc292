//! The article-extraction benchmark's metric, reproduced exactly: tokens are the runs of word
//! characters (`\w+`, Unicode, case kept); per page, 4-token shingles (a text of fewer than 4
//! tokens is one shorter shingle) counted with multiplicity; tp = sum of min counts, fp and fn
//! the excesses; tp, fp, fn divided by their sum; precision and recall per page (1 when
//! fp = fn = 0); precision averaged over pages with tp + fp > 0, recall over pages with
//! tp + fn > 0; F1 of the two averages.

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").expect("compiles"));

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens: Vec<&str> = WORD.find_iter(text).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    if tokens.len() < 4 {
        *out.entry(tokens).or_default() += 1;
        return out;
    }
    for w in tokens.windows(4) {
        *out.entry(w.to_vec()).or_default() += 1;
    }
    out
}

/// One page's (tp, fp, fn), normalised by their sum.
pub fn page_counts(truth: &str, extracted: &str) -> (f64, f64, f64) {
    let (t, p) = (shingles(truth), shingles(extracted));
    let mut tp = 0usize;
    let mut fp = 0usize;
    let mut fn_ = 0usize;
    for (k, &n) in &p {
        let m = t.get(k).copied().unwrap_or(0);
        tp += n.min(m);
        fp += n.saturating_sub(m);
    }
    for (k, &m) in &t {
        fn_ += m.saturating_sub(p.get(k).copied().unwrap_or(0));
    }
    let total = (tp + fp + fn_) as f64;
    if total == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / total, fp as f64 / total, fn_ as f64 / total)
}

/// Precision, recall and F1 over pages, each page weighing the same.
pub fn score(pages: &[(f64, f64, f64)]) -> (f64, f64, f64) {
    let precisions: Vec<f64> =
        pages.iter().filter(|(tp, fp, _)| tp + fp > 0.0).map(|(tp, fp, fn_)| page_precision(*tp, *fp, *fn_)).collect();
    let recalls: Vec<f64> =
        pages.iter().filter(|(tp, _, fn_)| tp + fn_ > 0.0).map(|(tp, fp, fn_)| page_recall(*tp, *fp, *fn_)).collect();
    let mean = |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
    let (p, r) = (mean(&precisions), mean(&recalls));
    (p, r, if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
}

fn page_precision(tp: f64, fp: f64, fn_: f64) -> f64 {
    if fp == 0.0 && fn_ == 0.0 { 1.0 } else { tp / (tp + fp) }
}

fn page_recall(tp: f64, fp: f64, fn_: f64) -> f64 {
    if fp == 0.0 && fn_ == 0.0 { 1.0 } else { tp / (tp + fn_) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_by_hand() {
        // Same text: one page, perfect.
        assert_eq!(page_counts("a b c d e", "a b c d e"), (1.0, 0.0, 0.0));
        // Truth has 2 shingles (a b c d, b c d e); extracted has 1 of them plus 1 other.
        let (tp, fp, fn_) = page_counts("a b c d e", "a b c d x");
        assert!((tp - 1.0 / 3.0).abs() < 1e-9 && (fp - 1.0 / 3.0).abs() < 1e-9 && (fn_ - 1.0 / 3.0).abs() < 1e-9);
        // Fewer than 4 tokens: one shorter shingle.
        assert_eq!(page_counts("hello world", "hello world"), (1.0, 0.0, 0.0));
        // Case is kept.
        assert_eq!(page_counts("Hello world", "hello world").0, 0.0);
        let (p, r, f) = score(&[(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)]);
        assert!((p - 0.75).abs() < 1e-9 && (r - 1.0).abs() < 1e-9 && (f - 2.0 * 0.75 / 1.75).abs() < 1e-9);
        // A page with nothing extracted counts in recall only.
        let (p, r, _) = score(&[(0.0, 0.0, 1.0), (1.0, 0.0, 0.0)]);
        assert_eq!((p, r), (1.0, 0.5));
    }
}
