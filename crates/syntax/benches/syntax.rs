//! Prints words per second per core (single thread) for tagging, parsing and NER with the
//! embedded models, on EWT dev sentences when ../shared is present, else a built-in sample.

use std::path::Path;
use std::time::Instant;

use entente_syntax::Analyzer;
use entente_syntax::conllu::read_treebank;

const SAMPLE: &str = "NATO foreign ministers met in Brussels on Tuesday to discuss support for Ukraine .
The Prime Minister of Japan said his government would deepen cooperation with the alliance .
Officials from South Korea , Australia and New Zealand attended the meeting as partners .
Critics argued that the agreement , signed last year , had not been implemented .";

fn sentences() -> Vec<Vec<String>> {
    let dev = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ud/en_ewt-ud-dev.conllu"));
    if let Ok(set) = read_treebank(dev) {
        println!("input: EWT dev ({} sentences)", set.len());
        return set.into_iter().map(|s| s.into_iter().map(|t| t.form).collect()).collect();
    }
    println!("input: built-in sample (EWT dev not found), repeated");
    let base: Vec<Vec<String>> = SAMPLE.lines().map(|l| l.split_whitespace().map(str::to_string).collect()).collect();
    base.iter().cycle().take(2000).cloned().collect()
}

fn report(what: &str, words: usize, seconds: f64) {
    println!("{what:<8} {:>10.0} words/s/core", words as f64 / seconds);
}

fn main() {
    let analyzer = Analyzer::default_models().expect("embedded models load");
    let set = sentences();
    let refs: Vec<Vec<&str>> = set.iter().map(|s| s.iter().map(String::as_str).collect()).collect();
    let words: usize = refs.iter().map(Vec::len).sum();
    let rounds = 3;

    let start = Instant::now();
    let mut tags = Vec::new();
    for _ in 0..rounds {
        tags = refs.iter().map(|s| analyzer.tagger.tag(s)).collect();
    }
    report("tag", words * rounds, start.elapsed().as_secs_f64());

    let start = Instant::now();
    let mut arcs = 0;
    for _ in 0..rounds {
        for (s, t) in refs.iter().zip(&tags) {
            arcs += analyzer.parser.parse(s, t).0.len();
        }
    }
    report("parse", arcs, start.elapsed().as_secs_f64());

    let start = Instant::now();
    let mut labelled = 0;
    for _ in 0..rounds {
        for (s, t) in refs.iter().zip(&tags) {
            labelled += analyzer.ner.tag(s, t).len();
        }
    }
    report("ner", labelled, start.elapsed().as_secs_f64());

    let start = Instant::now();
    let mut all = 0;
    for s in &refs {
        all += analyzer.analyze(s).len();
    }
    report("all", all, start.elapsed().as_secs_f64());
}
