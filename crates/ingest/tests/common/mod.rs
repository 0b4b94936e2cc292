//! What the data-row tests share: one row's sentence through the real pipeline.

use entente_events::CodedEvent;
use entente_ingest::{Analyser, build_document};
use entente_sources::{DeclaredDate, SourceDoc};

/// The events of `sentence` as ingest codes it (document, sentences, actors, coder), in a
/// document dated 2023-07-12 so relative dates resolve.
pub fn code(sentence: &str) -> Vec<CodedEvent> {
    let source = SourceDoc {
        id_hint: "row".into(),
        source_path: "<row>".into(),
        text: sentence.to_string(),
        declared_date: Some(DeclaredDate { raw: "2023-07-12".into(), from: "test".into() }),
        ..Default::default()
    };
    let (doc, _) = build_document(source, String::new());
    Analyser::new(Vec::new()).code(&doc).1
}
