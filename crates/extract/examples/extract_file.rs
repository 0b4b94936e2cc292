//! The article of each HTML file given, as `entente extract` prints it (without the decoding of
//! `entente-sources`: the bytes are read as UTF-8, lossily), with the time it took on stderr: for
//! timing hostile pages. `cargo run --release -p entente-extract --example extract_file -- FILE...`
use std::time::Instant;

fn main() {
    for path in std::env::args().skip(1) {
        let raw = std::fs::read(&path).expect("readable file");
        let html = String::from_utf8_lossy(&raw);
        let start = Instant::now();
        let (article, source) = entente_extract::extract_with_source(&html, None);
        eprintln!(
            "{path}: {:.3} s, {} bytes of text from {source:?}",
            start.elapsed().as_secs_f64(),
            article.text.len()
        );
        println!("{}\n", article.text);
    }
}
