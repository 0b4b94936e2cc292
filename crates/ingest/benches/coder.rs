//! Throughput of actors + events (the rules path) in words per second on one core: the
//! example and seed articles, each its own document, repeated to about 2 MB. Text annotation
//! (tokens, sentences, dates) is done beforehand and not counted.
//! Run: `cargo bench -p entente-ingest --bench coder`.

use entente_ingest::{Analyser, build_document, content_hash};
use entente_sources::{Limits, discover, read_file};
use std::path::PathBuf;
use std::time::Instant;

// The allocator the `entente` binary runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut roots = vec![PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))];
    if let Some(shared) = entente_testdata::shared_dir() {
        roots.push(shared.join("corpus/seeds"));
    }
    let sources: Vec<_> =
        discover(&roots).files.iter().flat_map(|f| read_file(f, Limits::default())).filter_map(Result::ok).collect();
    let size: usize = sources.iter().map(|s| s.text.len()).sum::<usize>().max(1);
    let docs: Vec<_> = (0..(2 << 20) / size + 1)
        .flat_map(|round| {
            sources.iter().map(move |s| {
                let mut s = s.clone();
                s.text = format!("{}\n\nPart {round}.", s.text);
                let hash = content_hash(&s.text);
                build_document(s, hash).0
            })
        })
        .collect();
    let words: usize = docs.iter().map(|d| d.word_count()).sum();
    let mut analyser = Analyser::new(Vec::new());
    let start = Instant::now();
    let (mut mentions, mut events) = (0, 0);
    for doc in &docs {
        let (actors, spans) = analyser.actors(doc);
        mentions += actors.mentions.len();
        events += analyser.events(doc, &spans).len();
    }
    let s = start.elapsed().as_secs_f64();
    println!("{} documents, {words} words: {mentions} actor mentions, {events} events", docs.len());
    println!("actors + events (rules)   {:>10.0} words/s/core", words as f64 / s);
}
