//! Scores the PLOVER records in two interleaved halves (even and odd record index), so rule
//! changes developed on one half can be checked on the other, and with `--list` prints every
//! record with the events coded for it:
//! `cargo run -p entente-evaluate --example plover_halves -- FILE [--list]`.
use entente_evaluate::plover::{GoldRecord, evaluate, matches, read_records};
use entente_ingest::{Analyser, build_document, content_hash};
use entente_sources::SourceDoc;

fn main() {
    let path = std::env::args().nth(1).expect("PLOVER_GSR_dev.json");
    let list = std::env::args().any(|a| a == "--list");
    let path = std::path::Path::new(&path);
    let halves = |keep: usize| -> Vec<GoldRecord> {
        let records = read_records(path).expect("records");
        records
            .into_iter()
            .filter(|r| r.event != "DOCUMENT")
            .enumerate()
            .filter(|(i, _)| i % 2 == keep)
            .map(|(_, r)| r)
            .collect()
    };
    for (name, keep) in [("even", 0), ("odd", 1)] {
        let r = evaluate(&halves(keep));
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
    for (i, r) in read_records(path).expect("records").into_iter().filter(|r| r.event != "DOCUMENT").enumerate() {
        let Some(text) = r.text else { continue };
        let (doc, _) = build_document(
            SourceDoc { id_hint: r.id.clone(), text: text.clone(), ..Default::default() },
            content_hash(&text),
        );
        let (_, spans) = analyser.actors(&doc);
        let events = analyser.events(&doc, &spans);
        let first = events.first().map_or("NONE".to_string(), |e| e.plover.clone());
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
            if i % 2 == 0 { "even" } else { "odd" },
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
