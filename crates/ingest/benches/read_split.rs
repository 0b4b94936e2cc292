//! Throughput of the foundation's hot path, in words per second on one core:
//! 1. read + decode + tokenize + split sentences (plain text files);
//! 2. the whole per-document build (adds date finding, language id, hashing);
//! 3. the whole ingest into an SQLite store on disk.
//!
//! The corpus is made here from the example articles and, when present, the seed articles
//! in ../shared, repeated to about 8 MB of plain text. Run: `cargo bench -p entente-ingest`.

use entente_ingest::{IngestOptions, build_document, content_hash, ingest};
use entente_sources::{InputFile, Limits, discover, read_file};
use entente_store::Store;
use std::path::{Path, PathBuf};
use std::time::Instant;

const TARGET_BYTES: usize = 8 << 20;
const FILE_BYTES: usize = 64 << 10;

fn source_texts() -> Vec<String> {
    let mut roots = vec![PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))];
    match entente_testdata::shared_dir() {
        Some(shared) => roots.push(shared.join("corpus/seeds")),
        None => println!("(../shared not here: corpus made from the examples only)"),
    }
    discover(&roots)
        .files
        .iter()
        .flat_map(|f| read_file(f, Limits::default()))
        .filter_map(Result::ok)
        .map(|d| d.text)
        .collect()
}

/// Writes the corpus as plain-text files of about 64 KB each; returns the files.
fn make_corpus(dir: &Path) -> Vec<InputFile> {
    let texts = source_texts();
    let (mut written, mut n, mut file_text) = (0, 0, String::new());
    while written < TARGET_BYTES {
        for t in &texts {
            file_text.push_str(t);
            file_text.push_str("\n\n");
            if file_text.len() >= FILE_BYTES {
                written += file_text.len();
                // A distinct first line, so no two files are the same document.
                let text = format!("Corpus part {n}\n\n{file_text}");
                std::fs::write(dir.join(format!("part-{n:04}.txt")), text).unwrap();
                n += 1;
                file_text.clear();
            }
        }
    }
    discover(&[dir.to_path_buf()]).files
}

fn report(stage: &str, words: usize, bytes: usize, seconds: f64) {
    println!(
        "{stage:<44} {:>10.0} words/s/core  {:>7.1} MB/s  ({words} words in {seconds:.3} s)",
        words as f64 / seconds,
        bytes as f64 / seconds / 1e6
    );
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let files = make_corpus(tmp.path());
    let bytes: usize = files.iter().map(|f| std::fs::metadata(&f.path).unwrap().len() as usize).sum();
    println!("corpus: {} files, {:.1} MB of plain text", files.len(), bytes as f64 / 1e6);

    // Best of three runs, so a disk cache warming up does not count.
    let mut best = f64::MAX;
    let mut words = 0;
    for _ in 0..3 {
        let start = Instant::now();
        words = 0;
        for f in &files {
            for doc in read_file(f, Limits::default()) {
                let doc = doc.unwrap();
                let tokens = entente_text::tokenize(&doc.text);
                let sentences = entente_text::split_sentences(&doc.text, &tokens);
                std::hint::black_box(&sentences);
                words += tokens
                    .iter()
                    .filter(|t| {
                        matches!(t.kind, entente_document::TokenKind::Word | entente_document::TokenKind::Number)
                    })
                    .count();
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    report("read + decode + tokenize + split", words, bytes, best);

    let texts: Vec<String> =
        files.iter().flat_map(|f| read_file(f, Limits::default())).map(|d| d.unwrap().text).collect();
    let start = Instant::now();
    let dates: usize = texts.iter().map(|t| entente_dates::find_dates(t).len()).sum();
    report(&format!("  of which: finding dates ({dates})"), words, bytes, start.elapsed().as_secs_f64());
    let start = Instant::now();
    let langs = texts.iter().filter(|t| entente_text::detect_language(t).is_some()).count();
    report(&format!("  of which: language id ({langs} docs)"), words, bytes, start.elapsed().as_secs_f64());

    let start = Instant::now();
    let mut built_words = 0;
    for f in &files {
        for doc in read_file(f, Limits::default()) {
            let doc = doc.unwrap();
            let hash = content_hash(&doc.text);
            built_words += build_document(doc, hash).0.word_count();
        }
    }
    report("+ dates, language, hash (build_document)", built_words, bytes, start.elapsed().as_secs_f64());

    let mut store = Store::open(&tmp.path().join("bench.db")).unwrap();
    let start = Instant::now();
    let summary = ingest(&mut store, &[tmp.path().to_path_buf()], IngestOptions::default(), |_| {}).unwrap();
    report("+ store in SQLite (full ingest)", summary.words, bytes, start.elapsed().as_secs_f64());
}
