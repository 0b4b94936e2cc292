//! Plain functions behind the `entente train|eval|parse` subcommands.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::conllu::{GoldToken, read_iob2, read_treebank};
use crate::{Analyzer, NerModel, ParserModel, SyntaxError, Tag, TaggerModel, ner, parser, tagger};

pub use crate::conllu::{parse_conllu, write_conllu_sentence, write_conllu_sentence_misc};

/// Which model to train or evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    Tagger,
    Parser,
    Ner,
}

/// Folds used to give the parser realistic (jackknifed) predicted tags in training.
const JACKKNIFE_FOLDS: usize = 4;
/// Tagger epochs for the jackknife taggers.
const JACKKNIFE_ITERATIONS: usize = 6;

/// Default training epochs of each model kind (the shipped models used these).
pub fn default_epochs(kind: ModelKind) -> usize {
    match kind {
        ModelKind::Tagger => 8,
        ModelKind::Parser | ModelKind::Ner => 10,
    }
}

/// A trained model serialised to bytes, with the training log.
pub struct Trained {
    pub bytes: Vec<u8>,
    pub log: String,
}

/// Trains one model on `train` (CoNLL-U, or IOB2 for NER) and reports on `dev`. The parser
/// and NER take predicted tags on dev (NER: also on train) from `tagger`; the parser trains
/// on jackknifed tags of its own. Deterministic for a given seed.
pub fn train_model(
    kind: ModelKind,
    train: &Path,
    dev: &Path,
    tagger: &TaggerModel,
    seed: u64,
    epochs: usize,
) -> Result<Trained, SyntaxError> {
    Ok(match kind {
        ModelKind::Tagger => {
            let (train_set, dev_set) = (read_nonempty(train)?, read_treebank(dev)?);
            let (model, log) = tagger::train(&train_set, &dev_set, seed, epochs);
            Trained { bytes: model.to_bytes(), log }
        }
        ModelKind::Parser => {
            let (train_set, dev_set) = (read_nonempty(train)?, read_treebank(dev)?);
            let (model, log) = train_parser(&train_set, &dev_set, tagger, seed, epochs);
            Trained { bytes: model.to_bytes(), log }
        }
        ModelKind::Ner => {
            let train_set = read_iob2(train)?;
            if train_set.is_empty() {
                return Err(SyntaxError::NoData(train.to_path_buf()));
            }
            let examples = ner_examples(tagger, &train_set);
            let (model, mut log) = ner::train(&examples, seed, epochs);
            let dev_set = read_iob2(dev)?;
            log.push_str(&format!("dev:\n{}", ner_scores(tagger, &model, &dev_set)));
            Trained { bytes: model.to_bytes(), log }
        }
    })
}

/// Like [`train_model`], writing the model into the directory `out` as `tagger.bin`,
/// `parser.bin` or `ner.bin`; the parser and NER use the tagger in `out` when present (else
/// the embedded one).
pub fn train(
    kind: ModelKind,
    train: &Path,
    dev: &Path,
    out: &Path,
    seed: u64,
    iterations: usize,
) -> Result<String, SyntaxError> {
    std::fs::create_dir_all(out).map_err(|e| SyntaxError::io(out, e))?;
    let tagger = tagger_for(out)?;
    let trained = train_model(kind, train, dev, &tagger, seed, iterations)?;
    let path = out.join(file_name(kind));
    std::fs::write(&path, &trained.bytes).map_err(|e| SyntaxError::io(&path, e))?;
    Ok(format!("{}wrote {} ({} bytes)\n", trained.log, path.display(), trained.bytes.len()))
}

/// File name of a model kind inside a model directory.
pub fn file_name(kind: ModelKind) -> &'static str {
    match kind {
        ModelKind::Tagger => crate::TAGGER_FILE,
        ModelKind::Parser => crate::PARSER_FILE,
        ModelKind::Ner => crate::NER_FILE,
    }
}

fn read_nonempty(path: &Path) -> Result<Vec<Vec<GoldToken>>, SyntaxError> {
    let set = read_treebank(path)?;
    if set.is_empty() {
        return Err(SyntaxError::NoData(path.to_path_buf()));
    }
    Ok(set)
}

fn tagger_for(dir: &Path) -> Result<TaggerModel, SyntaxError> {
    let path = dir.join(crate::TAGGER_FILE);
    if path.exists() { TaggerModel::load(&path) } else { TaggerModel::embedded() }
}

fn train_parser(
    train_set: &[Vec<GoldToken>],
    dev_set: &[Vec<GoldToken>],
    dev_tagger: &TaggerModel,
    seed: u64,
    iterations: usize,
) -> (ParserModel, String) {
    let tags = jackknife_tags(train_set, seed);
    let mut labels: Vec<String> = train_set
        .iter()
        .flatten()
        .map(|t| t.deprel.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !labels.iter().any(|l| l == "root") {
        labels.push("root".to_string());
    }
    let examples: Vec<parser::Example> = train_set
        .iter()
        .zip(&tags)
        .map(|(s, t)| parser::Example {
            input: parser::Input::new(s.iter().map(|w| w.form.as_str()), t),
            heads: std::iter::once(usize::MAX).chain(s.iter().map(|w| w.head)).collect(),
            labels: std::iter::once(0)
                .chain(s.iter().map(|w| labels.iter().position(|l| *l == w.deprel).unwrap_or(0)))
                .collect(),
        })
        .collect();
    let (model, log) = parser::train(labels.clone(), &examples, seed, iterations, |epoch, m| {
        let (uas, las) = attachment(dev_tagger, m, dev_set);
        format!("parser epoch {epoch}: dev UAS {uas:.2}  LAS {las:.2}\n")
    });
    (model, log)
}

/// Tags each fold of the training set with a tagger trained on the other folds.
fn jackknife_tags(train_set: &[Vec<GoldToken>], seed: u64) -> Vec<Vec<Tag>> {
    let mut tags = vec![Vec::new(); train_set.len()];
    for fold in 0..JACKKNIFE_FOLDS {
        let rest: Vec<Vec<GoldToken>> =
            train_set.iter().enumerate().filter(|(i, _)| i % JACKKNIFE_FOLDS != fold).map(|(_, s)| s.clone()).collect();
        let (model, _) = tagger::train(&rest, &[], seed + fold as u64, JACKKNIFE_ITERATIONS);
        for (i, s) in train_set.iter().enumerate() {
            if i % JACKKNIFE_FOLDS == fold {
                let forms: Vec<&str> = s.iter().map(|t| t.form.as_str()).collect();
                tags[i] = model.tag(&forms);
            }
        }
    }
    tags
}

/// UAS and LAS (percent, all tokens including punctuation) with predicted tags.
fn attachment(tagger: &TaggerModel, parser: &ParserModel, set: &[Vec<GoldToken>]) -> (f64, f64) {
    let (mut uas, mut las, mut total) = (0, 0, 0);
    for s in set {
        let forms: Vec<&str> = s.iter().map(|t| t.form.as_str()).collect();
        let tags = tagger.tag(&forms);
        let input = parser::Input::new(forms.iter().copied(), &tags);
        let heads: Vec<usize> = std::iter::once(usize::MAX).chain(s.iter().map(|t| t.head)).collect();
        let labels: Vec<String> = std::iter::once(String::new()).chain(s.iter().map(|t| t.deprel.clone())).collect();
        let (u, l) = parser::score(parser, &input, &heads, &labels);
        uas += u;
        las += l;
        total += s.len();
    }
    let pct = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    (pct(uas), pct(las))
}

fn ner_examples(tagger: &TaggerModel, set: &[crate::conllu::NerSentence]) -> Vec<ner::Example> {
    set.iter()
        .map(|(forms, labels)| {
            let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
            ner::Example {
                forms: forms.clone(),
                tags: tagger.tag(&refs),
                gold: labels.iter().map(|l| ner::label_class(l)).collect(),
            }
        })
        .collect()
}

/// Entity-level precision, recall and F1 per type and overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NerScores {
    /// Type -> (true positives, predicted, gold).
    pub counts: BTreeMap<String, (usize, usize, usize)>,
}

impl NerScores {
    fn add(&mut self, kind: &str, tp: usize, predicted: usize, gold: usize) {
        let e = self.counts.entry(kind.to_string()).or_default();
        e.0 += tp;
        e.1 += predicted;
        e.2 += gold;
    }

    /// (precision, recall, F1) in percent for one type, or overall with `None`.
    pub fn prf(&self, kind: Option<&str>) -> (f64, f64, f64) {
        let (tp, p, g) = match kind {
            Some(k) => self.counts.get(k).copied().unwrap_or_default(),
            None => self.counts.values().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2)),
        };
        let prec = 100.0 * tp as f64 / p.max(1) as f64;
        let rec = 100.0 * tp as f64 / g.max(1) as f64;
        let f1 = if prec + rec > 0.0 { 2.0 * prec * rec / (prec + rec) } else { 0.0 };
        (prec, rec, f1)
    }
}

impl fmt::Display for NerScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<6} {:>8} {:>8} {:>8} {:>6}", "type", "P", "R", "F1", "gold")?;
        for (kind, (_, _, gold)) in &self.counts {
            let (p, r, f1) = self.prf(Some(kind));
            writeln!(f, "{kind:<6} {p:>8.2} {r:>8.2} {f1:>8.2} {gold:>6}")?;
        }
        let (p, r, f1) = self.prf(None);
        let gold: usize = self.counts.values().map(|c| c.2).sum();
        writeln!(f, "{:<6} {p:>8.2} {r:>8.2} {f1:>8.2} {gold:>6}", "all")
    }
}

fn ner_scores(tagger: &TaggerModel, model: &NerModel, set: &[crate::conllu::NerSentence]) -> NerScores {
    let mut scores = NerScores::default();
    for kind in ["LOC", "ORG", "PER"] {
        scores.add(kind, 0, 0, 0);
    }
    for (forms, gold) in set {
        let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
        let predicted = model.tag(&refs, &tagger.tag(&refs));
        let gold_spans = ner::spans(gold);
        let predicted_spans = ner::spans(&predicted);
        for (_, _, k) in &gold_spans {
            scores.add(k, 0, 0, 1);
        }
        for span in &predicted_spans {
            let tp = usize::from(gold_spans.contains(span));
            scores.add(&span.2, tp, 1, 0);
        }
    }
    scores
}

/// Result of an evaluation, printable as a small table.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalReport {
    Tagger { upos: f64, xpos: f64, tokens: usize },
    Parser { uas: f64, las: f64, tokens: usize },
    Ner(NerScores),
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalReport::Tagger { upos, xpos, tokens } => {
                writeln!(f, "tokens {tokens}\nUPOS   {upos:.2}%\nXPOS   {xpos:.2}%")
            }
            EvalReport::Parser { uas, las, tokens } => writeln!(
                f,
                "tokens {tokens} (predicted tags, punctuation included)\nUAS    {uas:.2}%\nLAS    {las:.2}%"
            ),
            EvalReport::Ner(scores) => {
                write!(f, "entity-level scores (exact span and type)\n{scores}")
            }
        }
    }
}

/// Evaluates one model kind on `test` (CoNLL-U, or IOB2 for NER) with the models of
/// `model_dir`, or the embedded models when `None`.
pub fn eval(kind: ModelKind, test: &Path, model_dir: Option<&Path>) -> Result<EvalReport, SyntaxError> {
    let analyzer = match model_dir {
        Some(dir) => Analyzer::load(dir)?,
        None => Analyzer::default_models()?,
    };
    eval_with(kind, test, &analyzer)
}

/// Evaluates the model file `model` (of kind `kind`; the embedded one when `None`), with
/// the tagger file `tagger` (else the embedded tagger) giving the parser's and NER's tags.
pub fn eval_file(
    kind: ModelKind,
    test: &Path,
    model: Option<&Path>,
    tagger: Option<&Path>,
) -> Result<EvalReport, SyntaxError> {
    let mut analyzer = Analyzer::default_models()?;
    if let Some(path) = tagger {
        analyzer.tagger = TaggerModel::load(path)?;
    }
    if let Some(path) = model {
        match kind {
            ModelKind::Tagger => analyzer.tagger = TaggerModel::load(path)?,
            ModelKind::Parser => analyzer.parser = ParserModel::load(path)?,
            ModelKind::Ner => analyzer.ner = NerModel::load(path)?,
        }
    }
    eval_with(kind, test, &analyzer)
}

/// Like [`eval`] with already loaded models.
pub fn eval_with(kind: ModelKind, test: &Path, analyzer: &Analyzer) -> Result<EvalReport, SyntaxError> {
    Ok(match kind {
        ModelKind::Tagger => {
            let set = read_nonempty(test)?;
            let (upos, xpos) = tagger::accuracy(&analyzer.tagger, &set);
            EvalReport::Tagger { upos, xpos, tokens: set.iter().map(Vec::len).sum() }
        }
        ModelKind::Parser => {
            let set = read_nonempty(test)?;
            let (uas, las) = attachment(&analyzer.tagger, &analyzer.parser, &set);
            EvalReport::Parser { uas, las, tokens: set.iter().map(Vec::len).sum() }
        }
        ModelKind::Ner => {
            let set = read_iob2(test)?;
            EvalReport::Ner(ner_scores(&analyzer.tagger, &analyzer.ner, &set))
        }
    })
}
