//! Codes the text given on the command line and prints the actors and events found, to study
//! the coder on one sentence: `cargo run -p entente-evaluate --example code_text -- "TEXT"`.
use entente_ingest::{Analyser, build_document, content_hash};
use entente_sources::SourceDoc;

fn main() {
    let text = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let mut analyser = Analyser::new(Vec::new());
    let (doc, _) = build_document(
        SourceDoc { id_hint: "t".into(), text: text.clone(), ..Default::default() },
        content_hash(&text),
    );
    let (_, spans) = analyser.actors(&doc);
    for s in &spans {
        println!("actor {:?} {} {:?}", s.span.of(&doc.text), s.actor.id, s.actor.sector);
    }
    let words: Vec<&str> = doc.tokens.iter().map(|t| t.span.of(&doc.text)).collect();
    println!("words {words:?}");
    for e in analyser.events(&doc, &spans) {
        println!(
            "event {} {} {}/{:?} -> {:?} [{}] {:?} '{}'",
            e.plover,
            e.cameo,
            e.source.id,
            e.source.sector,
            e.target.as_ref().map(|t| (&t.id, &t.sector)),
            e.rule,
            e.modality,
            e.trigger.of(&doc.text)
        );
    }
}
