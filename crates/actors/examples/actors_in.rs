//! Prints the actors, roles and references found in text files:
//! `cargo run -p entente-actors --example actors_in -- FILE...`.
use entente_actors::{KnowledgeBase, MentionFinder, annotate};
use entente_document::{Document, Metadata};
use std::collections::BTreeMap;

fn main() {
    let finder = MentionFinder::new(KnowledgeBase::builtin());
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("readable file");
        let doc = Document::new(path.clone(), text, Metadata::default());
        let found = annotate(&doc, &finder, &[]);
        let mut by_actor: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for m in &found.mentions {
            by_actor
                .entry(format!("{}{}", m.actor, m.sector.as_ref().map(|s| format!("/{s}")).unwrap_or_default()))
                .or_default()
                .push(format!("{}[{}]", m.span.of(&doc.text), m.rule));
        }
        println!("== {path}");
        for (actor, surfaces) in by_actor {
            println!("  {actor:<22} {}", surfaces.join(", "));
        }
        for r in &found.roles {
            println!("  ROLE {} | {} | {} | former={} [{}]", r.person, r.role, r.of, r.former, r.rule);
        }
    }
}
