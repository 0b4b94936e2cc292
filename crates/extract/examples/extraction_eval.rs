//! Scores the extractor on the whole benchmark: `cargo run --release -p entente-extract --example extraction_eval -- DIR`.
fn main() {
    let dir = std::env::args().nth(1).expect("the benchmark folder");
    println!("{}", entente_extract::benchmark::evaluate(std::path::Path::new(&dir), None).expect("benchmark"));
}
