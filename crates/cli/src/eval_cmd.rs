//! `entente eval`: the evaluation commands. Each reads gold data (by default from the
//! reference folder `../shared` beside the repository) and prints its figures.

use anyhow::{Context, Result};
use clap::Subcommand;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

#[derive(Subcommand)]
pub enum Eval {
    /// Event coding on the PLOVER gold records, each half (tune, check; fixed by record id) on
    /// its own: event type accuracy, actors, per-type P/R/F1.
    Plover {
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/eventcoders/plover/PLOVER_GSR_dev.json"))]
        records: PathBuf,
        /// Parse each sentence (entente-syntax) so the coder reads subjects and objects off
        /// the parse.
        #[arg(long)]
        parser: bool,
        /// Also list every record whose type or actors were wrong, with the text.
        #[arg(long)]
        misses: bool,
    },
    /// Event coding on the PETRARCH-2 unit-test records, with the validation dictionaries' verbs
    /// and with Entente's lexicon (actors from the validation dictionaries in both).
    Petrarch {
        /// The petrarch2 folder (with text/ and dictionaries/).
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/eventcoders/petrarch2"))]
        data: PathBuf,
        /// Also list every record whose coded triples differ from the expected ones.
        #[arg(long)]
        misses: bool,
    },
    /// Article-body extraction on the extraction benchmark (the benchmark's own shingle metric).
    Extraction {
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/extraction"))]
        dir: PathBuf,
    },
    /// Actor mention finding on the UNER layer of UD English EWT (PER/ORG/LOC, exact spans).
    Uner {
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ud/uner/en_ewt-ud-test.iob2"))]
        file: PathBuf,
    },
    /// Article-level facts: ingest the gold articles into a temporary store with the real
    /// pipeline, export them as `entente export --format jsonl` does, and score the export
    /// against the gold facts (the rules of score_facts.py), each half on its own.
    Articles(ArticlesArgs),
    #[command(flatten)]
    Syntax(crate::syntax_cmd::EvalModel),
}

#[derive(clap::Args)]
pub struct ArticlesArgs {
    /// The articles to ingest (a folder, read as `entente ingest` reads it).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/articles"))]
    dir: PathBuf,
    /// The gold facts (JSON Lines, each with `docs` and `half`).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/articles-gold.jsonl"))]
    gold: PathBuf,
    /// Documents written per transaction, as in `entente ingest`.
    #[arg(long, default_value_t = 64)]
    batch_size: usize,
    /// The largest single article accepted, in bytes, as in `entente ingest`.
    #[arg(long, default_value_t = 32 << 20)]
    max_article_bytes: u64,
    /// Code events with PETRARCH-2 / Phoenix dictionaries, as in `entente ingest`.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
    /// Parse every sentence so the coder reads subjects and objects off the parse.
    #[arg(long)]
    parser: bool,
    /// Threads for the ingest, as in `entente ingest` (the figures are the same whatever the
    /// number). Default: one per core.
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Also list the gold facts each half misses.
    #[arg(long)]
    verbose: bool,
    /// Print the figures as JSON (one object, `halves` in order).
    #[arg(long)]
    json: bool,
    /// Also write the export that was scored to this file (to score it with score_facts.py).
    #[arg(long, value_name = "FILE")]
    facts_out: Option<PathBuf>,
}

pub fn run(what: &Eval) -> Result<ExitCode> {
    match what {
        Eval::Plover { records, parser, misses } => {
            let records = entente_evaluate::plover::read_records(records).with_context(|| hint(records))?;
            let models: Option<&'static entente_syntax::Analyzer> = match parser {
                true => Some(Box::leak(Box::new(
                    entente_syntax::Analyzer::default_models().context("cannot load the syntax models")?,
                ))),
                false => None,
            };
            let analyser = || {
                let analyser = entente_ingest::Analyser::new(Vec::new());
                match models {
                    Some(models) => analyser.with_parser(models),
                    None => analyser,
                }
            };
            let mut out = std::io::stdout().lock();
            // Each half on its own (fixed by record id): `tune` for developing rules, `check`
            // read only as a figure.
            for (half, report) in entente_evaluate::plover::evaluate_halves(&records, analyser) {
                writeln!(out, "== {half} half ==")?;
                write!(out, "{report}")?;
                if *misses {
                    writeln!(out, "{half} misses ({}):", report.misses.len())?;
                    for miss in &report.misses {
                        write!(out, "{miss}")?;
                    }
                }
            }
        }
        Eval::Petrarch { data, misses } => {
            let records = entente_evaluate::petrarch_records::read_records(
                &data.join("text/PETR.UnitTest.records.expected.jsonl"),
            )
            .with_context(|| hint(data))?;
            let dir = validation_dictionaries(&data.join("dictionaries"))?;
            let dictionaries = entente_events::petrarch::load_dir(dir.path())?;
            for use_dictionary_verbs in [true, false] {
                let report =
                    entente_evaluate::petrarch_records::evaluate(&records, &dictionaries, use_dictionary_verbs);
                println!("{report}");
                if *misses {
                    println!("misses ({}):\n{}\n", report.misses.len(), report.misses.join("\n"));
                }
            }
        }
        Eval::Extraction { dir } => {
            let report = entente_extract::benchmark::evaluate(dir, None).with_context(|| hint(dir))?;
            write!(std::io::stdout().lock(), "{report}")?;
        }
        Eval::Syntax(what) => return crate::syntax_cmd::eval(what),
        Eval::Articles(args) => articles(args)?,
        Eval::Uner { file } => {
            let report = entente_actors::uner::evaluate_uner(file, None).with_context(|| hint(file))?;
            write!(std::io::stdout().lock(), "{report}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn articles(args: &ArticlesArgs) -> Result<()> {
    let dictionaries = match &args.dictionaries {
        Some(dir) => Some(&*Box::leak(Box::new(
            entente_events::petrarch::load_dir(dir)
                .with_context(|| format!("cannot load dictionaries from {}", dir.display()))?,
        ))),
        None => None,
    };
    let parser = match args.parser {
        true => Some(&*Box::leak(Box::new(
            entente_syntax::Analyzer::default_models().context("cannot load the syntax models")?,
        ))),
        false => None,
    };
    let options = crate::ingest_cmd::options(args.batch_size, args.max_article_bytes, dictionaries, parser, args.jobs);
    // The default paths climb out of the crate: name the files as `entente ingest` of the
    // folder itself would (documents keep their source path in the export).
    let (dir, gold) = (tidy(&args.dir), tidy(&args.gold));
    let report = entente_evaluate::articles::evaluate(&dir, &gold, options).with_context(|| {
        format!(
            "cannot evaluate the articles in {} against {} (the reference data is expected in {SHARED}; pass --dir and --gold)",
            dir.display(),
            gold.display()
        )
    })?;
    for problem in &report.problems {
        eprintln!("error: {problem}");
    }
    if let Some(path) = &args.facts_out {
        std::fs::write(path, &report.facts).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let halves: Vec<_> = report.halves.iter().map(|h| h.to_json(args.verbose)).collect();
        let json = serde_json::json!({ "halves": halves, "failed": report.failed });
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        return Ok(());
    }
    write!(out, "{report}")?;
    if args.verbose {
        for half in &report.halves {
            writeln!(out, "{} misses ({}):", half.half, half.score.misses.len())?;
            for miss in &half.score.misses {
                writeln!(out, "  {} [{}] {}", miss.id, miss.kind, miss.note)?;
            }
        }
    }
    Ok(())
}

fn tidy(path: &std::path::Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

fn hint(path: &std::path::Path) -> String {
    format!(
        "cannot read the gold data at {} (the reference data is expected in {SHARED}; pass the path)",
        path.display()
    )
}

/// The unit tests are coded against the small validation dictionaries, which sit beside the
/// full Phoenix ones: copy just those into a folder of their own.
fn validation_dictionaries(src: &std::path::Path) -> Result<tempfile::TempDir> {
    let dir = tempfile::tempdir()?;
    for name in ["PETR.Validate.verbs.txt", "PETR.Validate.actors.txt", "PETR.Validate.agents.txt"] {
        std::fs::copy(src.join(name), dir.path().join(name))
            .with_context(|| format!("cannot read {}", src.join(name).display()))?;
    }
    Ok(dir)
}
