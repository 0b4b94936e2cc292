//! `entente code`: code the text on standard input without a store, as PETRARCH's single
//! sentence mode does: each sentence's actors and the events coded from it, with the rule
//! that fired. For checking how a sentence is read, and for scripts (`--json`).

use anyhow::{Context, Result};
use clap::Args;
use entente_events::CodedEvent;
use entente_ingest::{Analyser, build_document, content_hash};
use entente_sources::{DeclaredDate, SourceDoc};
use std::io::{Read, Write};

#[derive(Args)]
pub struct CodeArgs {
    /// The document's date (YYYY-MM-DD), against which "on Tuesday" or "last year" resolve.
    #[arg(long)]
    date: Option<String>,
    /// Parse each sentence so the coder reads subjects and objects off the parse too.
    #[arg(long)]
    parser: bool,
    /// One JSON object per coded event instead of the readable listing.
    #[arg(long)]
    json: bool,
    /// Code with PETRARCH-2 / Phoenix dictionaries (verbs and actors), as `ingest` does.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<std::path::PathBuf>,
}

pub fn run(args: &CodeArgs) -> Result<()> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).context("cannot read standard input as UTF-8 text")?;
    anyhow::ensure!(!text.trim().is_empty(), "no text on standard input");
    let source = SourceDoc {
        id_hint: "stdin".into(),
        source_path: "<stdin>".into(),
        text,
        declared_date: args.date.as_ref().map(|d| DeclaredDate { raw: d.clone(), from: "--date".into() }),
        ..Default::default()
    };
    let (doc, notes) = build_document(source, String::new());
    let doc = entente_document::Document { id: content_hash(&doc.text), ..doc };
    let mut analyser = match &args.dictionaries {
        Some(dir) => {
            let d = entente_events::petrarch::load_dir(dir)
                .with_context(|| format!("cannot load dictionaries from {}", dir.display()))?;
            Analyser::with_dictionaries(Vec::new(), Box::leak(Box::new(d)))
        }
        None => Analyser::new(Vec::new()),
    };
    if args.parser {
        let models = entente_syntax::Analyzer::default_models().context("cannot load the syntax models")?;
        analyser = analyser.with_parser(Box::leak(Box::new(models)));
    }
    let (spans, events) = analyser.code(&doc);
    let mut out = std::io::stdout().lock();
    if args.json {
        for e in &events {
            // Dates as the export writes them: ISO with the precision the text gives.
            let mut v = serde_json::to_value(e)?;
            v["date"] = e.date.map(|d| d.to_string()).into();
            writeln!(out, "{v}")?;
        }
        return Ok(());
    }
    for note in notes {
        writeln!(out, "note: {note}")?;
    }
    let actors_by_sentence = doc.by_sentence(&spans, |a| a.span);
    let mut events_by_sentence: Vec<Vec<&CodedEvent>> = vec![Vec::new(); doc.sentences.len()];
    for e in &events {
        if let Some(here) = events_by_sentence.get_mut(e.sentence) {
            here.push(e);
        }
    }
    for ((i, sentence), (actors, events)) in
        doc.sentences.iter().enumerate().zip(actors_by_sentence.into_iter().zip(events_by_sentence))
    {
        writeln!(out, "[{i}] {}", &doc.text[sentence.span.start..sentence.span.end])?;
        for a in actors {
            let sector = a.actor.sector.as_deref().map(|s| format!(" {s}")).unwrap_or_default();
            let words = &doc.text[a.span.start..a.span.end];
            writeln!(out, "    actor {words:?} = {} ({}{sector}) [{}]", a.actor.id, a.actor.kind, a.rule)?;
        }
        for e in events {
            writeln!(out, "    event {}", describe(e))?;
        }
    }
    Ok(())
}

fn describe(e: &CodedEvent) -> String {
    let target = e.target.as_ref().map_or("-", |t| t.id.as_str());
    let date = e.date.map_or_else(|| "undated".to_string(), |d| d.to_string());
    format!(
        "{} -> {target}: {} {} (CAMEO {}, Goldstein {}), {:?}, {date} [{}; {}]",
        e.source.id,
        e.plover,
        e.mode.as_deref().unwrap_or(""),
        e.cameo,
        e.goldstein,
        e.modality,
        e.rule,
        e.date_rule
    )
}
