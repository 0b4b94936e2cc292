//! English part-of-speech tagging (UPOS + XPOS), labelled dependency parsing (UD) and
//! named-entity recognition (PER, ORG, LOC), all with averaged perceptrons.
//!
//! Default models are trained on UD English EWT and its Universal NER layer (CC BY-SA 4.0)
//! and embedded in the library, see `models/README.md`.

pub mod cli;
pub mod conllu;
mod features;
pub mod gum;
mod ner;
mod parser;
mod perceptron;
mod tagger;
mod weights;

use std::path::{Path, PathBuf};

pub use ner::NerModel;
pub use parser::ParserModel;
pub use tagger::TaggerModel;

/// Errors of loading, training and evaluating models.
#[derive(Debug, thiserror::Error)]
pub enum SyntaxError {
    #[error("I/O error on {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("I/O error: {0}")]
    Stream(#[from] std::io::Error),
    #[error("bad model file {what}: {reason}")]
    BadModel { what: String, reason: String },
    #[error("bad input at line {line}: {reason}")]
    BadInput { line: usize, reason: String },
    #[error("no training data in {0}")]
    NoData(PathBuf),
    #[error("{path}: {reason}")]
    BadFile { path: PathBuf, reason: String },
}

impl SyntaxError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        SyntaxError::Io { path: path.to_path_buf(), source }
    }
}

/// One analysed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub upos: String,
    pub xpos: String,
    /// Head index: 0 = root, otherwise 1-based index of the head word in the sentence.
    pub head: usize,
    pub deprel: String,
    /// IOB2 label: "O", "B-PER", "I-ORG", ...
    pub ner: String,
}

/// File names of the three models inside a model directory.
pub const TAGGER_FILE: &str = "tagger.bin";
pub const PARSER_FILE: &str = "parser.bin";
pub const NER_FILE: &str = "ner.bin";

static EMBEDDED_TAGGER: &[u8] = include_bytes!("../models/tagger.bin");
static EMBEDDED_PARSER: &[u8] = include_bytes!("../models/parser.bin");
static EMBEDDED_NER: &[u8] = include_bytes!("../models/ner.bin");

impl TaggerModel {
    /// The tagger embedded in the library.
    pub fn embedded() -> Result<Self, SyntaxError> {
        TaggerModel::from_bytes(EMBEDDED_TAGGER, "embedded tagger")
    }
}

/// Tagger, parser and NER together.
pub struct Analyzer {
    pub tagger: TaggerModel,
    pub parser: ParserModel,
    pub ner: NerModel,
}

impl Analyzer {
    /// The models embedded in the library (trained on UD English EWT / UNER).
    pub fn default_models() -> Result<Analyzer, SyntaxError> {
        Ok(Analyzer {
            tagger: TaggerModel::embedded()?,
            parser: ParserModel::from_bytes(EMBEDDED_PARSER, "embedded parser")?,
            ner: NerModel::from_bytes(EMBEDDED_NER, "embedded ner")?,
        })
    }

    /// Loads `tagger.bin`, `parser.bin` and `ner.bin` from `dir`.
    pub fn load(dir: &Path) -> Result<Analyzer, SyntaxError> {
        Ok(Analyzer {
            tagger: TaggerModel::load(&dir.join(TAGGER_FILE))?,
            parser: ParserModel::load(&dir.join(PARSER_FILE))?,
            ner: NerModel::load(&dir.join(NER_FILE))?,
        })
    }

    /// The models of `dir` that are there, the embedded ones for the rest.
    pub fn load_or_embedded(dir: &Path) -> Result<Analyzer, SyntaxError> {
        let mut analyzer = Analyzer::default_models()?;
        let present = |name: &str| Some(dir.join(name)).filter(|p| p.exists());
        if let Some(path) = present(TAGGER_FILE) {
            analyzer.tagger = TaggerModel::load(&path)?;
        }
        if let Some(path) = present(PARSER_FILE) {
            analyzer.parser = ParserModel::load(&path)?;
        }
        if let Some(path) = present(NER_FILE) {
            analyzer.ner = NerModel::load(&path)?;
        }
        Ok(analyzer)
    }

    /// Tags, parses and finds named entities in one tokenised sentence.
    pub fn analyze(&self, words: &[&str]) -> Vec<Word> {
        let tags = self.tagger.tag(words);
        let (heads, labels) = self.parser.parse(words, &tags);
        let ner = self.ner.tag(words, &tags);
        Self::words(words, tags, heads, labels, ner)
    }

    /// Like [`Analyzer::analyze`] over many sentences, running each model over all of them
    /// in turn: each model's weights then stay in cache longer, which makes a document of
    /// sentences about 10% faster than one sentence at a time.
    pub fn analyze_all(&self, sentences: &[Vec<&str>]) -> Vec<Vec<Word>> {
        let tags: Vec<Vec<Tag>> = sentences.iter().map(|s| self.tagger.tag(s)).collect();
        let parses: Vec<_> = sentences.iter().zip(&tags).map(|(s, t)| self.parser.parse(s, t)).collect();
        let ner: Vec<_> = sentences.iter().zip(&tags).map(|(s, t)| self.ner.tag(s, t)).collect();
        sentences
            .iter()
            .zip(tags)
            .zip(parses)
            .zip(ner)
            .map(|(((s, t), (heads, labels)), n)| Self::words(s, t, heads, labels, n))
            .collect()
    }

    fn words(words: &[&str], tags: Vec<Tag>, heads: Vec<usize>, labels: Vec<String>, ner: Vec<String>) -> Vec<Word> {
        words
            .iter()
            .zip(tags)
            .zip(heads.into_iter().zip(labels))
            .zip(ner)
            .map(|(((form, tag), (head, deprel)), ner)| Word {
                form: (*form).to_string(),
                upos: tag.upos,
                xpos: tag.xpos,
                head,
                deprel,
                ner,
            })
            .collect()
    }
}

/// A predicted or gold part-of-speech pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub upos: String,
    pub xpos: String,
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, SyntaxError> {
    std::fs::read(path).map_err(|e| SyntaxError::io(path, e))
}
