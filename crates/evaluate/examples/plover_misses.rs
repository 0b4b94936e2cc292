//! Prints PLOVER records the pipeline codes no event for, with the actors it found, to study
//! the misses: `cargo run -p entente-evaluate --example plover_misses -- FILE`.
use entente_evaluate::plover::read_records;
use entente_ingest::{Analyser, build_document, content_hash};
use entente_sources::SourceDoc;

fn main() {
    let path = std::env::args().nth(1).expect("PLOVER_GSR_dev.json");
    let mut analyser = Analyser::new(Vec::new());
    for r in read_records(std::path::Path::new(&path)).expect("records") {
        let Some(text) = r.text else { continue };
        let (doc, _) = build_document(
            SourceDoc { id_hint: r.id.clone(), text: text.clone(), ..Default::default() },
            content_hash(&text),
        );
        let (_, spans) = analyser.actors(&doc);
        let events = analyser.events(&doc, &spans);
        let first = events.first().map_or("NONE".to_string(), |e| e.plover.to_string());
        if first != r.event {
            let actors: Vec<String> =
                spans.iter().map(|s| format!("{}={}", s.span.of(&doc.text), s.actor.id)).collect();
            println!("{} gold {} got {} | {}\n    actors: {}", r.id, r.event, first, text, actors.join(", "));
        }
    }
}
