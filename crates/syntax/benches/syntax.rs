//! Prints words per second per core (single thread) for tagging, parsing and NER with the
//! embedded models, on EWT dev sentences when ../shared is present, else a built-in sample.
//! The figure divides by the thread's CPU time (Linux schedstat), so that other processes on
//! a shared machine do not lower it; elsewhere it falls back to wall time.

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

/// Seconds this thread has run on a CPU, when the kernel tells.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Wall clock and CPU clock started together.
struct Clock(Instant, Option<f64>);

impl Clock {
    fn start() -> Clock {
        Clock(Instant::now(), cpu_seconds())
    }
    fn seconds(&self) -> f64 {
        match (self.1, cpu_seconds()) {
            (Some(start), Some(now)) => now - start,
            _ => self.0.elapsed().as_secs_f64(),
        }
    }
}

fn report(what: &str, words: usize, seconds: f64) {
    println!("{what:<10} {:>10.0} words/s/core", words as f64 / seconds);
}

fn main() {
    let analyzer = Analyzer::default_models().expect("embedded models load");
    let set = sentences();
    let refs: Vec<Vec<&str>> = set.iter().map(|s| s.iter().map(String::as_str).collect()).collect();
    let words: usize = refs.iter().map(Vec::len).sum();
    let rounds = 5;

    let clock = Clock::start();
    let mut tags = Vec::new();
    for _ in 0..rounds {
        tags = refs.iter().map(|s| analyzer.tagger.tag(s)).collect();
    }
    report("tag", words * rounds, clock.seconds());

    let clock = Clock::start();
    let mut arcs = 0;
    for _ in 0..rounds {
        for (s, t) in refs.iter().zip(&tags) {
            arcs += analyzer.parser.parse(s, t).0.len();
        }
    }
    report("parse", arcs, clock.seconds());

    let clock = Clock::start();
    let mut labelled = 0;
    for _ in 0..rounds {
        for (s, t) in refs.iter().zip(&tags) {
            labelled += analyzer.ner.tag(s, t).len();
        }
    }
    report("ner", labelled, clock.seconds());

    let clock = Clock::start();
    let mut both = 0;
    for _ in 0..rounds {
        for s in &refs {
            let tags = analyzer.tagger.tag(s);
            both += analyzer.parser.parse(s, &tags).0.len();
        }
    }
    report("tag+parse", both, clock.seconds());

    // The same work as a pipeline over the whole set: tag everything, then parse everything.
    let clock = Clock::start();
    let mut both = 0;
    for _ in 0..rounds {
        let tags: Vec<_> = refs.iter().map(|s| analyzer.tagger.tag(s)).collect();
        for (s, t) in refs.iter().zip(&tags) {
            both += analyzer.parser.parse(s, t).0.len();
        }
    }
    report("tag,parse", both, clock.seconds());

    let clock = Clock::start();
    let mut all = 0;
    for _ in 0..rounds {
        for s in &refs {
            all += analyzer.analyze(s).len();
        }
    }
    report("all", all, clock.seconds());

    let clock = Clock::start();
    let mut all = 0;
    for _ in 0..rounds {
        all += analyzer.analyze_all(&refs).iter().map(Vec::len).sum::<usize>();
    }
    report("all,batch", all, clock.seconds());
}
