//! Trains or evaluates one model from the command line (the `entente` CLI wraps the same
//! functions):
//! `cargo run --release -p entente-syntax --example train -- train tagger TRAIN DEV OUTDIR SEED ITER`
//! `cargo run --release -p entente-syntax --example train -- eval tagger TEST [MODELDIR]`
//! `cargo run --release -p entente-syntax --example train -- iob2 SOURCE OUT` (names as IOB2)
//!
//! TRAIN and DEV are comma-separated lists of sources, trained on (scored on) together:
//! CoNLL-U files, IOB2 files (NER) or document lists such as GUM's `gum/files.train`, e.g.
//! `$D/en_ewt-ud-train.conllu,$D/gum/files.train`. TEST is one source.

use std::path::{Path, PathBuf};

use entente_syntax::cli::{self, ModelKind};

fn kind(name: &str) -> ModelKind {
    match name {
        "tagger" => ModelKind::Tagger,
        "parser" => ModelKind::Parser,
        "ner" => ModelKind::Ner,
        other => panic!("unknown model kind {other} (tagger, parser, ner)"),
    }
}

/// The sources of a comma-separated list.
fn sources(list: &str) -> Vec<PathBuf> {
    list.split(',').filter(|s| !s.is_empty()).map(PathBuf::from).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("train") if args.len() == 7 => {
            let report = cli::train(
                kind(&args[1]),
                &sources(&args[2]),
                &sources(&args[3]),
                Path::new(&args[4]),
                args[5].parse()?,
                args[6].parse()?,
            )?;
            print!("{report}");
        }
        Some("eval") if args.len() >= 3 => {
            let dir = args.get(3).map(Path::new);
            print!("{}", cli::eval(kind(&args[1]), Path::new(&args[2]), dir)?);
        }
        Some("iob2") if args.len() == 3 => {
            // The names of a source (GUM's entity layer, say) as IOB2, for scripts/train_neural.py.
            let mut out = String::new();
            for (forms, labels) in entente_syntax::conllu::read_ner(&sources(&args[1]))? {
                for (i, (form, label)) in forms.iter().zip(&labels).enumerate() {
                    out.push_str(&format!("{}\t{form}\t{label}\n", i + 1));
                }
                out.push('\n');
            }
            std::fs::write(&args[2], out)?;
        }
        _ => eprintln!(
            "usage: train KIND TRAIN[,TRAIN...] DEV[,DEV...] OUTDIR SEED ITERATIONS | eval KIND TEST [MODELDIR] \
             | iob2 SOURCE OUT"
        ),
    }
    Ok(())
}
