//! Prints the scored PETRARCH records whose expected triples were not all coded, to study
//! the coder's misses: `cargo run -p entente-evaluate --example petrarch_misses -- DIR [native]`.
use entente_evaluate::petrarch_records::{code_record, is_scored, read_records};
use entente_events::{Coder, Lexicon, petrarch::load_dir};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::path::Path::new(&args[1]);
    let dicts = load_dir(&data.join("validate")).expect("dictionaries");
    let native = args.get(2).is_some_and(|a| a == "native");
    let coder = Coder::new(if native { Lexicon::builtin() } else { &dicts.verbs });
    let records = read_records(&data.join("text/PETR.UnitTest.records.expected.jsonl")).expect("records");
    for r in records.iter().filter(|r| is_scored(r)) {
        let got = code_record(&coder, &dicts.actors, r);
        let want: Vec<String> = r
            .expected
            .iter()
            .map(|t| t.iter().map(|x| x.clone().unwrap_or("---".into())).collect::<Vec<_>>().join(" "))
            .collect();
        let got_s: Vec<String> = got.iter().map(|t| format!("{} {} {}", t.0, t.1, t.2)).collect();
        if want.iter().any(|w| !got_s.contains(w)) {
            println!("{} [{}] {}\n   want {:?}\n   got  {:?}", r.id, r.category, r.text, want, got_s);
        }
    }
}
