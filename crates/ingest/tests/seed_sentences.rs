//! Sentence boundaries on real seed articles against hand-checked gold
//! (`gold/seed_sentences.tsv`): prints precision and recall of boundaries and pins a floor.

use entente_ingest::{build_document, content_hash};
use entente_sources::{InputFile, Limits, discover, read_file};
use std::collections::{BTreeMap, BTreeSet};

const GOLD: &str = include_str!("gold/seed_sentences.tsv");

/// Floors under the figures reached (P 1.000, R 0.979 on 3 seeds, 142 gold sentences).
const MIN_PRECISION: f64 = 0.99;
const MIN_RECALL: f64 = 0.97;

fn gold() -> BTreeMap<String, BTreeSet<(usize, usize)>> {
    let mut by_doc: BTreeMap<String, BTreeSet<(usize, usize)>> = BTreeMap::new();
    for line in GOLD.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        by_doc.entry(f[0].to_string()).or_default().insert((f[1].parse().unwrap(), f[2].parse().unwrap()));
    }
    by_doc
}

#[test]
fn seed_sentence_boundaries_match_the_gold() {
    let Some(seeds) = entente_testdata::shared_or_skip("seed_sentence_boundaries", "corpus/seeds") else {
        return;
    };
    let gold = gold();
    let files: Vec<InputFile> = discover(&[seeds]).files;
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (doc_id, gold_spans) in &gold {
        let file = files.iter().find(|f| f.path.to_string_lossy().contains(doc_id.as_str())).expect("seed file");
        let source = read_file(file, Limits::default()).next().unwrap().unwrap();
        let (doc, _) = build_document(source.clone(), content_hash(&source.text));
        let found: BTreeSet<(usize, usize)> = doc.sentences.iter().map(|s| (s.span.start, s.span.end)).collect();
        // A boundary is where a sentence ends; compare the sets of ends.
        let gold_ends: BTreeSet<usize> = gold_spans.iter().map(|s| s.1).collect();
        let found_ends: BTreeSet<usize> = found.iter().map(|s| s.1).collect();
        let doc_tp = gold_ends.intersection(&found_ends).count();
        tp += doc_tp;
        fp += found_ends.len() - doc_tp;
        fn_ += gold_ends.len() - doc_tp;
        println!("{doc_id}: {} sentences found, {} in the gold", found.len(), gold_spans.len());
        for missed in gold_ends.difference(&found_ends) {
            println!(
                "  missed boundary at {missed}: …{}",
                &doc.text[doc.text.floor_char_boundary(missed.saturating_sub(40))..*missed]
            );
        }
        for extra in found_ends.difference(&gold_ends) {
            println!(
                "  extra boundary at {extra}: …{}",
                &doc.text[doc.text.floor_char_boundary(extra.saturating_sub(40))..*extra]
            );
        }
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    println!("sentence boundaries: precision {precision:.3}, recall {recall:.3} (tp {tp}, fp {fp}, fn {fn_})");
    assert!(precision >= MIN_PRECISION, "precision {precision:.3} fell under {MIN_PRECISION}");
    assert!(recall >= MIN_RECALL, "recall {recall:.3} fell under {MIN_RECALL}");
}
