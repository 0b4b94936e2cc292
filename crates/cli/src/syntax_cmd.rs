//! `entente train`, `entente eval tagger|parser|ner` and `entente parse`: the POS tagger,
//! dependency parser and NER of entente-syntax from the command line.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use entente_syntax::cli::{self as syntax, ModelKind};
use entente_syntax::{Analyzer, TaggerModel};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const UD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ud");

#[derive(Subcommand)]
pub enum Train {
    /// The (UPOS, XPOS) tagger, from CoNLL-U.
    Tagger(TrainArgs),
    /// The labelled dependency parser, from CoNLL-U (trained on jackknifed predicted tags).
    Parser(TrainArgs),
    /// The PER/ORG/LOC recogniser, from IOB2 or GUM's entities in CoNLL-U (tags from the tagger).
    Ner(TrainArgs),
}

#[derive(Args)]
pub struct TrainArgs {
    /// Training data, repeatable (the sources are trained on together): a CoNLL-U file
    /// (.conllu), an IOB2 file (.iob2, ner only; a CoNLL-U source gives ner GUM's entities), or
    /// a document list such as gum/files.train (one name a line, read from sources/<name>.conllu
    /// beside the list).
    #[arg(long, required = true)]
    train: Vec<PathBuf>,
    /// Development data of the same kinds, repeatable, scored after training (on all and on
    /// each source).
    #[arg(long, required = true)]
    dev: Vec<PathBuf>,
    /// The model file to write.
    #[arg(long)]
    out: PathBuf,
    /// Seed of shuffling and exploration: the same seed gives the same model bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Passes over the training data (default: 8 for the tagger, 10 for the others).
    #[arg(long)]
    epochs: Option<usize>,
    /// Tagger model giving the parser's dev tags and NER's tags (default: the embedded one).
    #[arg(long)]
    tagger: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum EvalModel {
    /// UPOS and XPOS accuracy on CoNLL-U (gold tokens).
    Tagger(EvalArgs),
    /// UAS and LAS on CoNLL-U (gold tokens, predicted tags, punctuation included).
    Parser(EvalArgs),
    /// Entity-level precision, recall and F1 per type on IOB2 (UNER) or GUM's entities.
    Ner(EvalArgs),
}

#[derive(Args)]
pub struct EvalArgs {
    /// Gold data: a CoNLL-U file, an IOB2 file (ner) or a document list such as gum/files.test
    /// (default: EWT test, UNER's for ner, then GUM test, from ../shared).
    #[arg(long)]
    test: Option<PathBuf>,
    /// The model file to score: a neural model, or a perceptron model from `entente train`
    /// (default: the embedded neural model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Perceptron tagger giving a perceptron parser's or NER's tags.
    #[arg(long)]
    tagger: Option<PathBuf>,
    /// Score the accurate mode: the embedded accurate model running the MiniLM encoder whose
    /// files are in DIR (`scripts/fetch-minilm.sh` unpacks them into target/minilm).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["model", "tagger"])]
    accurate: Option<PathBuf>,
}

#[derive(Args)]
pub struct ParseArgs {
    /// What standard input holds; `auto` takes it as CoNLL-U when its first token line has
    /// ten tab-separated columns.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    input: InputFormat,
    /// A directory with neural.bin, or the perceptrons' tagger.bin, parser.bin and ner.bin,
    /// to use instead of the embedded neural model.
    #[arg(long)]
    models: Option<PathBuf>,
    /// The accurate mode: the embedded accurate model running the MiniLM encoder whose files
    /// are in DIR (`scripts/fetch-minilm.sh`). Some 40 times slower than the default.
    #[arg(long, value_name = "DIR", conflicts_with = "models")]
    accurate: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Auto,
    Conllu,
    Text,
}

pub fn train(what: &Train, quiet: bool) -> Result<ExitCode> {
    let (kind, args) = match what {
        Train::Tagger(a) => (ModelKind::Tagger, a),
        Train::Parser(a) => (ModelKind::Parser, a),
        Train::Ner(a) => (ModelKind::Ner, a),
    };
    let tagger = match (&args.tagger, kind) {
        (Some(path), _) => TaggerModel::load(path)?,
        (None, ModelKind::Tagger) => TaggerModel::untrained(),
        (None, _) => bail!(
            "the perceptron parser and NER read tags from a perceptron tagger: train one first and pass --tagger FILE"
        ),
    };
    let epochs = args.epochs.unwrap_or_else(|| syntax::default_epochs(kind));
    let trained = syntax::train_model(kind, &args.train, &args.dev, &tagger, args.seed, epochs)
        .with_context(|| format!("cannot train from {} and {}", paths(&args.train), paths(&args.dev)))?;
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&args.out, &trained.bytes).with_context(|| format!("cannot write {}", args.out.display()))?;
    if !quiet {
        eprint!("{}", trained.log);
        eprintln!("wrote {} ({} bytes)", args.out.display(), trained.bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// The paths joined by ", ".
fn paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

pub fn eval(what: &EvalModel) -> Result<ExitCode> {
    let (kind, args) = match what {
        EvalModel::Tagger(a) => (ModelKind::Tagger, a),
        EvalModel::Parser(a) => (ModelKind::Parser, a),
        EvalModel::Ner(a) => (ModelKind::Ner, a),
    };
    let analyzer = match &args.accurate {
        Some(dir) => {
            Analyzer::accurate(dir).with_context(|| format!("cannot load the accurate mode from {}", dir.display()))?
        }
        None => syntax::analyzer_for(kind, args.model.as_deref(), args.tagger.as_deref())?,
    };
    if let Some(test) = &args.test {
        let report = syntax::eval_with(kind, test, &analyzer)
            .with_context(|| format!("cannot evaluate on {}", test.display()))?;
        println!("test file {}", test.display());
        print!("{report}");
        return Ok(ExitCode::SUCCESS);
    }
    // EWT test, then GUM test.
    let ud = Path::new(UD);
    for test in syntax::default_tests(kind, ud) {
        if !test.path.exists() {
            bail!("no test file given, and the default {} is not there: pass --test FILE", test.path.display());
        }
    }
    let reports = syntax::eval_default_tests(kind, ud, &analyzer)
        .with_context(|| format!("cannot evaluate on the default test sets in {}", ud.display()))?;
    for (i, (test, report)) in reports.iter().enumerate() {
        if i > 0 {
            println!();
        }
        println!("{} test: {}", test.name, test.path.display());
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads standard input whole: CoNLL-U keeps its tokens, plain text is tokenised and split
/// into sentences by entente-text. Writes CoNLL-U to standard output.
pub fn parse(args: &ParseArgs) -> Result<ExitCode> {
    let analyzer = match (&args.models, &args.accurate) {
        (Some(dir), _) => {
            Analyzer::load_or_embedded(dir).with_context(|| format!("cannot load models from {}", dir.display()))?
        }
        (None, Some(dir)) => {
            Analyzer::accurate(dir).with_context(|| format!("cannot load the accurate mode from {}", dir.display()))?
        }
        (None, None) => Analyzer::default_models()?,
    };
    let mut input = String::new();
    std::io::stdin().lock().read_to_string(&mut input).context("cannot read standard input")?;
    let conllu = match args.input {
        InputFormat::Auto => looks_like_conllu(&input),
        InputFormat::Conllu => true,
        InputFormat::Text => false,
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    if conllu {
        syntax::parse_conllu(input.as_bytes(), &mut out, &analyzer).context("cannot parse the CoNLL-U input")?;
    } else {
        parse_text(&input, &analyzer, &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// CoNLL-U when the first line that is neither blank nor a comment is a token line.
fn looks_like_conllu(input: &str) -> bool {
    let Some(line) = input.lines().map(str::trim_end).find(|l| !l.trim().is_empty() && !l.starts_with('#')) else {
        return false;
    };
    let cols: Vec<&str> = line.split('\t').collect();
    cols.len() == 10 && cols[0].chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn parse_text(text: &str, analyzer: &Analyzer, out: &mut impl Write) -> Result<()> {
    let tokens = entente_text::tokenize(text);
    let sentences: Vec<_> =
        entente_text::split_sentences(text, &tokens).into_iter().filter(|s| s.token_count > 0).collect();
    let forms: Vec<Vec<&str>> =
        sentences.iter().map(|s| tokens[s.token_range()].iter().map(|t| t.span.of(text)).collect()).collect();
    let analyses = analyzer.analyze_all(&forms);
    for (n, (sentence, words)) in sentences.iter().zip(&analyses).enumerate() {
        let tokens = &tokens[sentence.token_range()];
        // SpaceAfter=No where the next token starts right where this one ends, as UD does.
        let misc: Vec<&str> = tokens
            .windows(2)
            .map(|pair| if pair[1].span.start == pair[0].span.end { "SpaceAfter=No" } else { "_" })
            .collect();
        let line = sentence.span.of(text).split_whitespace().collect::<Vec<_>>().join(" ");
        writeln!(out, "# sent_id = {}\n# text = {line}", n + 1)?;
        syntax::write_conllu_sentence_misc(words, &misc, out)?;
    }
    Ok(())
}
