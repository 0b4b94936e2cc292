//! `entente`: the command line over the pipeline and the store.
//!
//! Exit codes scripts can rely on: 0 all went well; 1 a fatal error (the store cannot be
//! opened, the export cannot be written); 2 a usage error; 3 the run finished but some
//! documents failed (each named on stderr).

mod eval_cmd;
mod ingest_cmd;
mod syntax_cmd;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use entente_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code for a run that finished with some documents failed.
const EXIT_SOME_FAILED: u8 = 3;

#[derive(Parser)]
#[command(name = "entente", version, about = "Sourced, time-aware maps of international alignments from news")]
struct Cli {
    /// The store: an SQLite file, created if missing.
    #[arg(long, global = true, default_value = "entente.db")]
    db: PathBuf,
    /// Print only errors: no progress bar, no summary.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read news files and directories (.txt, .html, .jsonl, any of them .gz) into the store.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Documents written per transaction.
        #[arg(long, default_value_t = 64)]
        batch_size: usize,
        /// The largest single article accepted, in bytes (JSONL files are streamed).
        #[arg(long, default_value_t = 32 << 20)]
        max_article_bytes: u64,
        /// Code events with PETRARCH-2 / Phoenix dictionaries (a directory with *verbs*.txt or
        /// CAMEO*.txt, *actors*.txt and *agents*.txt) instead of Entente's own.
        #[arg(long, value_name = "DIR")]
        dictionaries: Option<PathBuf>,
    },
    /// Print the article text of HTML pages (plain, .gz), as ingest extracts it.
    Extract {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per page: id, url, title, date, author, language, text.
        #[arg(long)]
        json: bool,
    },
    /// Score Entente against gold data and print precision, recall and F1.
    Eval {
        #[command(subcommand)]
        what: eval_cmd::Eval,
    },
    /// Write the store as facts (the entente.fact/1 contract) to standard output or a file.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Write here instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Counts of what the store holds.
    Stats,
    /// Train the POS tagger, dependency parser or NER of entente-syntax.
    Train {
        #[command(subcommand)]
        what: syntax_cmd::Train,
    },
    /// Tag, parse and find named entities in CoNLL-U or plain text on standard input; write
    /// CoNLL-U (NER labels in MISC as NER=B-PER etc.).
    Parse(syntax_cmd::ParseArgs),
    /// Ingest the bundled example articles and show what was found.
    Demo {
        /// The example articles to use.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))]
        examples: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Jsonl,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        // A reader that stops early (`entente export | head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Ingest { paths, batch_size, max_article_bytes, dictionaries } => {
            let dictionaries = match dictionaries {
                Some(dir) => {
                    let d = entente_events::petrarch::load_dir(dir)
                        .with_context(|| format!("cannot load dictionaries from {}", dir.display()))?;
                    if !cli.quiet {
                        eprintln!("dictionaries: {}", d.summary);
                    }
                    // Loaded once for the whole run.
                    Some(&*Box::leak(Box::new(d)))
                }
                None => None,
            };
            let mut store = open_store(&cli.db)?;
            let options = ingest_cmd::options(*batch_size, *max_article_bytes, dictionaries);
            let summary = ingest_cmd::run(&mut store, paths, options, cli.quiet)?;
            Ok(if summary.failed > 0 { ExitCode::from(EXIT_SOME_FAILED) } else { ExitCode::SUCCESS })
        }
        Command::Export { format: ExportFormat::Jsonl, out } => {
            let store = open_store(&cli.db)?;
            let counts = match out {
                Some(path) => {
                    let file =
                        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
                    entente_export::export_jsonl(&store, std::io::BufWriter::new(file))?
                }
                None => entente_export::export_jsonl(&store, std::io::stdout().lock())?,
            };
            if !cli.quiet {
                eprintln!("exported {} lines: {counts}", counts.total());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats => {
            let store = open_store(&cli.db)?;
            print_stats(&store, &cli.db)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { examples } => demo(cli, examples),
        Command::Eval { what } => eval_cmd::run(what),
        Command::Extract { files, json } => extract(files, *json),
        Command::Train { what } => syntax_cmd::train(what, cli.quiet),
        Command::Parse(args) => syntax_cmd::parse(args),
    }
}

fn open_store(path: &Path) -> Result<Store> {
    Store::open(path).with_context(|| format!("cannot open the store {}", path.display()))
}

fn demo(cli: &Cli, examples: &Path) -> Result<ExitCode> {
    anyhow::ensure!(
        examples.is_dir(),
        "the example articles are not at {} (run from a clone of the repository, or pass --examples DIR)",
        examples.display()
    );
    let mut store = open_store(&cli.db)?;
    let summary =
        ingest_cmd::run(&mut store, &[examples.to_path_buf()], ingest_cmd::options(64, 32 << 20, None), cli.quiet)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "\nDocuments in {}:", cli.db.display())?;
    for doc in store.document_summaries()? {
        writeln!(
            out,
            "  {:<28} {:<10} ({:<8}) {:>3} sentences  {}",
            doc.id,
            doc.date.as_deref().unwrap_or("-"),
            doc.date_source,
            doc.sentences,
            doc.title.as_deref().unwrap_or("(no title)")
        )?;
    }
    print_found(&store, &mut out)?;
    print_stats(&store, &cli.db)?;
    writeln!(
        out,
        "\nNext: `entente --db {} export --format jsonl` writes every fact as JSON Lines.",
        cli.db.display()
    )?;
    Ok(if summary.failed > 0 { ExitCode::from(EXIT_SOME_FAILED) } else { ExitCode::SUCCESS })
}

/// `entente extract`: the same reader ingest uses, so the text printed is the text stored.
fn extract(files: &[PathBuf], json: bool) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for path in files {
        let file = match entente_sources::format_of(path) {
            Some((entente_sources::Format::Html, gzip)) => {
                entente_sources::InputFile { path: path.clone(), format: entente_sources::Format::Html, gzip }
            }
            _ => {
                eprintln!("error: {}: not an HTML page (.html, .htm, optionally .gz)", path.display());
                failed = true;
                continue;
            }
        };
        for doc in entente_sources::read_file(&file, entente_sources::Limits::default()) {
            match doc {
                Ok(d) if json => {
                    let line = serde_json::json!({
                        "id": d.id_hint, "url": d.url, "title": d.title,
                        "date": d.declared_date.as_ref().and_then(|x| entente_dates::parse_date(&x.raw).ok()).map(|x| x.to_string()),
                        "author": d.author, "language": d.language.or_else(|| entente_text::detect_language(&d.text).map(str::to_string)),
                        "text": d.text,
                    });
                    writeln!(out, "{line}")?;
                }
                Ok(d) => writeln!(out, "{}\n", d.text)?,
                Err(e) => {
                    eprintln!("error: {e}");
                    failed = true;
                }
            }
        }
    }
    Ok(if failed { ExitCode::from(EXIT_SOME_FAILED) } else { ExitCode::SUCCESS })
}

/// The most-mentioned actors and the events in date order, one line each.
fn print_found(store: &Store, out: &mut impl Write) -> Result<()> {
    let mut actors = store.actor_mentions()?;
    actors.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.actor.cmp(&b.actor)));
    let top: Vec<String> = actors.iter().take(12).map(|a| format!("{} ({})", a.actor, a.mentions)).collect();
    writeln!(out, "\nMost-mentioned actors: {}", top.join(", "))?;
    let mut events: Vec<serde_json::Value> =
        store.facts("event")?.into_iter().filter_map(|(f, _)| serde_json::from_str(&f.body).ok()).collect();
    events.sort_by(|a, b| a["date"].as_str().unwrap_or("").cmp(b["date"].as_str().unwrap_or("")));
    writeln!(out, "\nEvents ({}), by date:", events.len())?;
    for e in &events {
        let target = e["target"]["id"].as_str().unwrap_or("-");
        writeln!(
            out,
            "  {:<10} {:<22} {:<11} {:<22} {:<9} {}",
            e["date"].as_str().unwrap_or("?"),
            e["source"]["id"].as_str().unwrap_or("?"),
            e["plover"].as_str().unwrap_or("?"),
            target,
            e["modality"].as_str().unwrap_or("?"),
            e["location"]["name"].as_str().unwrap_or("")
        )?;
    }
    Ok(())
}

fn print_stats(store: &Store, db: &Path) -> Result<()> {
    let s = store.stats()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "\nStore {} (schema {}):", db.display(), store.schema_version()?)?;
    writeln!(out, "  documents   {}", s.documents)?;
    writeln!(out, "  sentences   {}", s.sentences)?;
    writeln!(out, "  words       {}", s.words)?;
    writeln!(out, "  text dates  {}", s.text_dates)?;
    writeln!(out, "  mentions    {}", s.mentions)?;
    for (kind, n) in &s.facts_by_kind {
        writeln!(out, "  {kind:<11} {n}")?;
    }
    let list = |pairs: &[(String, i64)]| pairs.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ");
    writeln!(out, "  languages   {}", list(&s.languages))?;
    writeln!(out, "  dated by    {}", list(&s.date_sources))?;
    if let (Some(first), Some(last)) = (&s.first_date, &s.last_date) {
        writeln!(out, "  dates       {first} .. {last}")?;
    }
    Ok(())
}
