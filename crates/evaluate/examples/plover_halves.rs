//! Scores the PLOVER records in their two halves (`tune`, `check`: fixed by record id, as
//! `entente eval plover` prints them), and with `--list` prints every record of the tune half
//! with the events coded for it (the check half is read only as a figure):
//! `cargo run -p entente-evaluate --example plover_halves -- FILE [--list]`.
use entente_evaluate::plover::{evaluate_halves, half_of, matches, read_records};
use entente_ingest::{Analyser, build_document, content_hash};
use entente_sources::SourceDoc;

fn main() {
    let path = std::env::args().nth(1).expect("PLOVER_GSR_dev.json");
    let list = std::env::args().any(|a| a == "--list");
    let path = std::path::Path::new(&path);
    let records = read_records(path).expect("records");
    for (name, r) in evaluate_halves(&records, || Analyser::new(Vec::new())) {
        println!(
            "{name}: records {} type {:.3} source {:.3} both {:.3}",
            r.records,
            r.type_accuracy(),
            r.source_correct as f64 / r.records as f64,
            r.actors_accuracy()
        );
    }
    if !list {
        return;
    }
    let mut analyser = Analyser::new(Vec::new());
    let tune = records.into_iter().filter(|r| r.event != "DOCUMENT" && half_of(&r.id) == "tune");
    for (i, r) in tune.enumerate() {
        let Some(text) = r.text else { continue };
        let (doc, _) = build_document(
            SourceDoc { id_hint: r.id.clone(), text: text.clone(), ..Default::default() },
            content_hash(&text),
        );
        let (_, spans) = analyser.actors(&doc);
        let events = analyser.events(&doc, &spans);
        let first = events.first().map_or("NONE".to_string(), |e| e.plover.to_string());
        let codes = |v: &serde_json::Value| -> String {
            v.as_array()
                .into_iter()
                .flatten()
                .map(|a| format!("{}/{}", a["code"].as_str().unwrap_or(""), a["sector"].as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join("+")
        };
        let mark = if first == r.event { "OK " } else { "XX " };
        let actors_ok = events.first().map_or("--".to_string(), |e| {
            let s = matches(Some(&e.source), &r.source);
            let t = matches(e.target.as_ref(), &r.target);
            format!("S{} T{}", if s { "+" } else { "-" }, if t { "+" } else { "-" })
        });
        println!(
            "{mark}{} [{}] gold {} {} -> {} | got {} {actors_ok}\n    {}",
            i,
            r.id,
            r.event,
            codes(&r.source),
            codes(&r.target),
            first,
            text
        );
        let actors: Vec<String> = spans
            .iter()
            .map(|s| {
                format!(
                    "{}={}:{}{}",
                    s.span.of(&doc.text),
                    s.actor.kind,
                    s.actor.id,
                    s.actor.country.as_deref().map(|c| format!("@{c}")).unwrap_or_default()
                )
            })
            .collect();
        println!("    actors: {}", actors.join(", "));
        for e in &events {
            println!(
                "    ev {} {} {} -> {} [{}] {:?} '{}'",
                e.plover,
                e.cameo,
                e.source.id,
                e.target.as_ref().map_or("-".into(), |t| t.id.clone()),
                e.rule,
                e.modality,
                e.trigger.of(&doc.text)
            );
        }
    }
}
