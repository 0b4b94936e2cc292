//! Trains or evaluates one model from the command line (the `entente` CLI wraps the same
//! functions):
//! `cargo run --release -p entente-syntax --example train -- train tagger TRAIN DEV OUTDIR SEED ITER`
//! `cargo run --release -p entente-syntax --example train -- eval tagger TEST [MODELDIR]`

use std::path::Path;

use entente_syntax::cli::{self, ModelKind};

fn kind(name: &str) -> ModelKind {
    match name {
        "tagger" => ModelKind::Tagger,
        "parser" => ModelKind::Parser,
        "ner" => ModelKind::Ner,
        other => panic!("unknown model kind {other} (tagger, parser, ner)"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("train") if args.len() == 7 => {
            let report = cli::train(
                kind(&args[1]),
                Path::new(&args[2]),
                Path::new(&args[3]),
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
        _ => eprintln!("usage: train KIND TRAIN DEV OUTDIR SEED ITERATIONS | eval KIND TEST [MODELDIR]"),
    }
    Ok(())
}
