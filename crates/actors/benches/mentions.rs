//! Throughput of actor annotation (knowledge-base mentions, references, roles, people) in
//! words per second on one core, over the example articles and (when present) the seed
//! articles repeated to about 4 MB. Run: `cargo bench -p entente-actors`.

use entente_actors::{KnowledgeBase, MentionFinder, annotate};
use entente_document::{Document, Metadata};
use std::time::Instant;

fn corpus() -> Vec<String> {
    let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))];
    if let Some(shared) = entente_testdata::shared_dir() {
        dirs.push(shared.join("corpus/seeds"));
    }
    let mut texts = Vec::new();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files.iter().filter(|p| p.extension().is_some_and(|x| x == "txt")) {
            if let Ok(t) = std::fs::read_to_string(f) {
                texts.push(t);
            }
        }
    }
    texts
}

fn main() {
    // Each article is its own document, as in the pipeline; repeated to about 4 MB.
    let base = corpus();
    let size: usize = base.iter().map(String::len).sum::<usize>().max(1);
    let docs: Vec<Document> = (0..(4 << 20) / size + 1)
        .flat_map(|round| {
            base.iter()
                .enumerate()
                .map(move |(i, t)| Document::new(format!("d{round}-{i}"), t.clone(), Metadata::default()))
        })
        .collect();
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let kb = KnowledgeBase::builtin();
    let start = Instant::now();
    let finder = MentionFinder::new(kb);
    println!(
        "automaton built in {:.1} ms ({} surface forms)",
        start.elapsed().as_secs_f64() * 1e3,
        kb.surfaces().len()
    );

    let start = Instant::now();
    let found: usize = docs.iter().map(|d| finder.find(&d.text).len()).sum();
    let s = start.elapsed().as_secs_f64();
    println!(
        "knowledge-base mentions  {:>10.0} words/s/core  {:>6.1} MB/s  ({found} mentions, {words} words)",
        words as f64 / s,
        bytes as f64 / s / 1e6
    );

    let start = Instant::now();
    let all: usize = docs.iter().map(|d| annotate(d, &finder, &[]).mentions.len()).sum();
    let s = start.elapsed().as_secs_f64();
    println!(
        "full actor annotation    {:>10.0} words/s/core  {:>6.1} MB/s  ({all} mentions incl. references and people)",
        words as f64 / s,
        bytes as f64 / s / 1e6
    );
}
