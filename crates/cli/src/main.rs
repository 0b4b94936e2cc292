//! `entente`: the command line over the pipeline and the store.
//!
//! Exit codes scripts can rely on: 0 all went well; 1 a fatal error (the store cannot be
//! opened, the export cannot be written); 2 a usage error; 3 the run finished but some
//! documents failed (each named on stderr).

mod code_cmd;
mod eval_cmd;
mod graph_cmd;
mod ingest_cmd;
mod syntax_cmd;
mod watch_cmd;

use anyhow::{Context, Result};
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use entente_store::{Location, Store};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Annotation allocates many small strings and vectors per sentence; mimalloc serves them in a
// fraction of the instructions glibc's allocator takes (the coder bench, which uses it too,
// runs about a fifth faster with it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code for a run that finished with some documents failed.
const EXIT_SOME_FAILED: u8 = 3;

#[derive(Parser)]
#[command(name = "entente", version, about = "Sourced, time-aware maps of international alignments from news")]
struct Cli {
    /// The store: an SQLite file, created if missing, or a PostgreSQL database shared by a
    /// team, `postgres://user@host:port/db` (its schema is made on first use).
    #[arg(long, global = true, env = "ENTENTE_DB", default_value = "entente.db", value_name = "FILE|URL")]
    db: Location,
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
        /// Parse every sentence (the embedded tagger and dependency parser) so the event coder
        /// reads subjects and objects off the parse where its word rules find none. About five
        /// times slower; better actors on long sentences.
        #[arg(long)]
        parser: bool,
        /// Threads that extract, annotate and analyse documents (the store is written in input
        /// order, the same whatever the number). Default: one per core.
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
    },
    /// Print the article text of HTML pages (plain, .gz), as ingest extracts it.
    Extract {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per page: id, url, title, date, author, language, text.
        #[arg(long)]
        json: bool,
    },
    /// Code the text on standard input without a store: each sentence's actors and events,
    /// with the rule that fired (`--json`: one event per line).
    Code(code_cmd::CodeArgs),
    /// Score Entente against gold data and print precision, recall and F1.
    Eval {
        #[command(subcommand)]
        what: eval_cmd::Eval,
    },
    /// Write the store as facts (the entente.fact/1 contract), an events table or a graph.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Write here instead of standard output (needed for parquet).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Counts of what the store holds.
    Stats,
    #[command(flatten)]
    Query(graph_cmd::Query),
    /// Train the POS tagger, dependency parser or NER of entente-syntax.
    Train {
        #[command(subcommand)]
        what: syntax_cmd::Train,
    },
    /// Tag, parse and find named entities in CoNLL-U or plain text on standard input; write
    /// CoNLL-U (NER labels in MISC as NER=B-PER etc.).
    Parse(syntax_cmd::ParseArgs),
    /// Ingest the bundled example articles, show what was found, and serve the graph page.
    Demo {
        /// The example articles to use.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))]
        examples: PathBuf,
        /// Where to serve the page (loopback by default).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Stop after showing what was found; do not serve.
        #[arg(long)]
        no_serve: bool,
    },
    /// Poll RSS and Atom feeds and ingest each new item's page, until stopped (or `--once`).
    /// Politely: ETag and Last-Modified, robots.txt, back-off on errors; what was seen is kept
    /// in the store, so a restart goes on where it stopped.
    Watch(watch_cmd::WatchArgs),
    /// Serve the store read-only: the JSON API under /api, /openapi.json, and the graph page.
    Serve {
        /// Address to listen on; loopback by default (use 0 as the port for any free one).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// The entente.fact/1 contract, one fact a line.
    Jsonl,
    /// A GDELT-2.0-like events table: tab-separated, with a header.
    Csv,
    /// The same events table as Parquet; relations beside it (events.parquet: events.relations.parquet).
    Parquet,
    /// Actors as nodes; events (per source, target, type) and relations as edges.
    Graphml,
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
        Command::Ingest { paths, batch_size, max_article_bytes, dictionaries, parser, jobs } => {
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
            let parser = match parser {
                true => Some(&*Box::leak(Box::new(
                    entente_syntax::Analyzer::default_models().context("cannot load the syntax models")?,
                ))),
                false => None,
            };
            let options = ingest_cmd::options(*batch_size, *max_article_bytes, dictionaries, parser, *jobs);
            let summary = ingest_cmd::run(&mut store, paths, options, cli.quiet)?;
            Ok(if summary.failed > 0 { ExitCode::from(EXIT_SOME_FAILED) } else { ExitCode::SUCCESS })
        }
        Command::Export { format, out } => export(cli, *format, out.as_deref()),
        Command::Stats => {
            let store = open_store(&cli.db)?;
            print_stats(&store, &cli.db)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { examples, addr, no_serve } => {
            let code = demo(cli, examples)?;
            if *no_serve { Ok(code) } else { serve(&cli.db, *addr).map(|_| code) }
        }
        Command::Serve { addr } => serve(&cli.db, *addr).map(|_| ExitCode::SUCCESS),
        Command::Query(query) => {
            let mut store = open_store(&cli.db)?;
            graph_cmd::run(&mut store, query, cli.quiet)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { what } => eval_cmd::run(what),
        Command::Code(args) => code_cmd::run(args).map(|_| ExitCode::SUCCESS),
        Command::Extract { files, json } => extract(files, *json),
        Command::Train { what } => syntax_cmd::train(what, cli.quiet),
        Command::Parse(args) => syntax_cmd::parse(args),
        Command::Watch(args) => {
            sqlite_only(&cli.db, "watch")?;
            watch_cmd::run(&mut open_store(&cli.db)?, args, cli.quiet)
        }
    }
}

/// The SQLite file of `db`, or an error naming `command` as one that needs an SQLite store
/// (`watch` does not work with PostgreSQL yet).
fn sqlite_only<'a>(db: &'a Location, command: &str) -> Result<&'a Path> {
    match db {
        Location::Sqlite(path) => Ok(path),
        Location::Postgres(_) => anyhow::bail!(
            "`entente {command}` needs an SQLite store for now (--db FILE); {db} is a PostgreSQL database, \
             which ingest, merge, export, stats, serve and the queries can use"
        ),
    }
}

/// Serves the store until the process is stopped; prints the page's address first.
fn serve(db: &Location, addr: std::net::SocketAddr) -> Result<()> {
    if let Location::Sqlite(path) = db {
        anyhow::ensure!(path.exists(), "no store at {} (ingest some news first)", path.display());
    }
    // Make sure the store is at this build's schema and its events merged before serving it
    // read-only.
    entente_graph::update(&mut open_store(db)?).context("cannot merge pending events")?;
    // Before the runtime: the PostgreSQL client blocks while it connects.
    let limits = entente_server::Limits::default();
    let pool = entente_server::pool_for(db, &limits).with_context(|| format!("cannot open the store {db}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let (bound, served) = entente_server::bind_with(pool, addr, limits).await?;
        println!("serving {db} on http://{bound}/ (Ctrl-C to stop)");
        std::io::Write::flush(&mut std::io::stdout())?;
        served.await?;
        anyhow::Ok(())
    })
}

fn export(cli: &Cli, format: ExportFormat, out: Option<&Path>) -> Result<ExitCode> {
    if matches!((format, out), (ExportFormat::Parquet, None)) {
        // A usage error (exit 2): Parquet is binary and its footer is written last.
        Cli::command().error(ErrorKind::MissingRequiredArgument, "--format parquet needs --out FILE").exit();
    }
    let store = open_store(&cli.db)?;
    let summary = match (format, out) {
        (ExportFormat::Parquet, Some(path)) => {
            let relations = path.with_extension("relations.parquet");
            let counts = entente_export::export_parquet(&store, create(path)?, create(&relations)?)
                .with_context(|| format!("cannot export Parquet to {}", path.display()))?;
            format!(
                "{} events to {}, {} relations to {}",
                counts.events,
                path.display(),
                counts.relations,
                relations.display()
            )
        }
        (_, Some(path)) => export_text(&store, format, std::io::BufWriter::new(create(path)?))
            .with_context(|| format!("cannot export to {}", path.display()))?,
        (_, None) => {
            export_text(&store, format, std::io::stdout().lock()).context("cannot export to standard output")?
        }
    };
    if !cli.quiet {
        eprintln!("exported {summary}");
    }
    Ok(ExitCode::SUCCESS)
}

fn export_text(store: &Store, format: ExportFormat, out: impl Write) -> Result<String> {
    Ok(match format {
        ExportFormat::Jsonl => {
            let counts = entente_export::export_jsonl(store, out)?;
            format!("{} lines: {counts}", counts.total())
        }
        ExportFormat::Csv => format!("{} events", entente_export::export_csv(store, out)?),
        ExportFormat::Graphml => {
            let c = entente_export::export_graphml(store, out)?;
            format!("{} actors, {} event edges, {} relation edges", c.nodes, c.event_edges, c.relation_edges)
        }
        ExportFormat::Parquet => anyhow::bail!("Parquet is written to files, not streamed"),
    })
}

fn create(path: &Path) -> Result<std::fs::File> {
    std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))
}

fn open_store(db: &Location) -> Result<Store> {
    Store::open_location(db).with_context(|| format!("cannot open the store {db}"))
}

fn demo(cli: &Cli, examples: &Path) -> Result<ExitCode> {
    anyhow::ensure!(
        examples.is_dir(),
        "the example articles are not at {} (run from a clone of the repository, or pass --examples DIR)",
        examples.display()
    );
    let mut store = open_store(&cli.db)?;
    let summary = ingest_cmd::run(
        &mut store,
        &[examples.to_path_buf()],
        ingest_cmd::options(64, 32 << 20, None, None, None),
        cli.quiet,
    )?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "\nDocuments in {}:", cli.db)?;
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
        "\nNext: `entente --db {0} actor NATO`, `entente --db {0} timeline NATO`, or `entente --db {0} export`.",
        cli.db
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

fn print_stats(store: &Store, db: &Location) -> Result<()> {
    let s = store.stats()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "\nStore {db} (schema {}):", store.schema_version()?)?;
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
