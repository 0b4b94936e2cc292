//! Prints words per second per core (single thread) for tagging, parsing and NER with the
//! embedded neural model (and perceptron models from `ENTENTE_PERCEPTRONS=DIR`), on EWT dev sentences when ../shared is present, else a built-in sample.
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
    println!("{what:<28} {:>10.0} words/s/core", words as f64 / seconds);
}

fn main() {
    let set = sentences();
    let refs: Vec<Vec<&str>> = set.iter().map(|s| s.iter().map(String::as_str).collect()).collect();
    let words: usize = refs.iter().map(Vec::len).sum();
    let rounds = 5;

    // The default: the neural model gives tags, tree and entities in one pass.
    let neural = Analyzer::default_models().expect("embedded models load");
    let clock = Clock::start();
    let mut all = 0;
    for _ in 0..rounds {
        for s in &refs {
            all += neural.analyze(s).len();
        }
    }
    report("neural: tag+parse+ner", all, clock.seconds());

    // The accurate mode, when the MiniLM files are there (scripts/fetch-minilm.sh): the
    // encoder makes it slow, so a tenth of the sentences once.
    let minilm = std::env::var_os("ENTENTE_MINILM")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/minilm"));
    if minilm.join("model.safetensors").exists() {
        let accurate = Analyzer::accurate(&minilm).expect("accurate mode loads");
        let clock = Clock::start();
        let all: usize = refs.iter().step_by(10).map(|s| accurate.analyze(s).len()).sum();
        report("accurate: tag+parse+ner", all, clock.seconds());
    } else {
        println!("(no MiniLM files in {}: scripts/fetch-minilm.sh, to time the accurate mode)", minilm.display());
    }

    // Perceptron models trained with `entente train` (none is embedded), when given.
    let Some(dir) = std::env::var_os("ENTENTE_PERCEPTRONS") else {
        println!("(set ENTENTE_PERCEPTRONS=DIR to time perceptron models trained into DIR too)");
        return;
    };
    let models = entente_syntax::Perceptrons::load(Path::new(&dir)).expect("perceptron models load");
    let clock = Clock::start();
    let mut tags = Vec::new();
    for _ in 0..rounds {
        tags = refs.iter().map(|s| models.tagger.tag(s)).collect();
    }
    report("perceptron: tag", words * rounds, clock.seconds());

    let clock = Clock::start();
    let mut arcs = 0;
    for _ in 0..rounds {
        for (s, t) in refs.iter().zip(&tags) {
            arcs += models.parser.parse(s, t).0.len();
        }
    }
    report("perceptron: parse", arcs, clock.seconds());

    let clock = Clock::start();
    let mut labelled = 0;
    for _ in 0..rounds {
        for (s, t) in refs.iter().zip(&tags) {
            labelled += models.ner.tag(s, t).len();
        }
    }
    report("perceptron: ner", labelled, clock.seconds());

    let perceptrons = Analyzer::Perceptron(Box::new(models));
    let clock = Clock::start();
    let mut all = 0;
    for _ in 0..rounds {
        all += perceptrons.analyze_all(&refs).iter().map(Vec::len).sum::<usize>();
    }
    report("perceptron: tag+parse+ner", all, clock.seconds());
}
