//! Plain functions behind the `entente train|eval|parse` subcommands.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::conllu::{GoldToken, NerSentence, SourceFormat, read_ner, read_treebanks, source_format};
use crate::{
    Analyzer, NerModel, NeuralModel, ParserModel, Perceptrons, SyntaxError, Tag, TaggerModel, ner, parser, tagger,
};

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

/// Trains one model on the sources `train` together and reports on the sources `dev` (see
/// [`crate::conllu`]: CoNLL-U files or document lists; for NER also IOB2, and CoNLL-U gives
/// GUM's entities), on all of dev and, with several dev sources, on each. Each training
/// source must hold sentences. The parser and NER take predicted tags on dev (NER: also on
/// train) from `tagger`; the parser trains on jackknifed tags of its own. Deterministic for a
/// given seed and sources.
pub fn train_model(
    kind: ModelKind,
    train: &[PathBuf],
    dev: &[PathBuf],
    tagger: &TaggerModel,
    seed: u64,
    epochs: usize,
) -> Result<Trained, SyntaxError> {
    if train.is_empty() {
        return Err(SyntaxError::NoData(PathBuf::from("[] (no training source given)")));
    }
    Ok(match kind {
        ModelKind::Tagger => {
            let train_set = concat(read_each(train, read_treebanks, true)?);
            let dev_sets = read_each(dev, read_treebanks, false)?;
            let dev_set = concat(dev_sets.clone());
            let (model, mut log) = tagger::train(&train_set, &dev_set, seed, epochs);
            for (name, set) in per_source(&dev_sets) {
                let (upos, xpos) = tagger::accuracy(&model, set);
                log.push_str(&format!("tagger dev {name}: UPOS {upos:.2}%  XPOS {xpos:.2}%\n"));
            }
            Trained { bytes: model.to_bytes(), log }
        }
        ModelKind::Parser => {
            let train_set = concat(read_each(train, read_treebanks, true)?);
            let dev_sets = read_each(dev, read_treebanks, false)?;
            let (model, log) = train_parser(&train_set, &dev_sets, tagger, seed, epochs);
            Trained { bytes: model.to_bytes(), log }
        }
        ModelKind::Ner => {
            let train_set = concat(read_each(train, read_ner, true)?);
            let examples = ner_examples(tagger, &train_set);
            let (model, mut log) = ner::train(&examples, seed, epochs);
            let dev_sets = read_each(dev, read_ner, false)?;
            let scores: Vec<NerScores> = dev_sets.iter().map(|(_, set)| ner_scores(tagger, &model, set)).collect();
            for ((name, _), s) in per_source(&dev_sets).into_iter().zip(&scores) {
                log.push_str(&format!("dev {name}:\n{s}"));
            }
            let all = scores.into_iter().fold(NerScores::default(), |mut all, s| {
                all.merge(&s);
                all
            });
            log.push_str(&format!("dev:\n{all}"));
            Trained { bytes: model.to_bytes(), log }
        }
    })
}

/// Each source read on its own with its path; with `nonempty`, a source without sentences is
/// an error naming it.
fn read_each<T>(
    paths: &[PathBuf],
    read: fn(&[PathBuf]) -> Result<Vec<T>, SyntaxError>,
    nonempty: bool,
) -> Result<Vec<(PathBuf, Vec<T>)>, SyntaxError> {
    paths
        .iter()
        .map(|path| {
            let set = read(std::slice::from_ref(path))?;
            if nonempty && set.is_empty() {
                return Err(SyntaxError::NoData(path.clone()));
            }
            Ok((path.clone(), set))
        })
        .collect()
}

fn concat<T>(sets: Vec<(PathBuf, Vec<T>)>) -> Vec<T> {
    sets.into_iter().flat_map(|(_, set)| set).collect()
}

/// With more than one source, each source's short name and sentences; else none (the
/// figures on all of dev say it).
fn per_source<T>(sets: &[(PathBuf, Vec<T>)]) -> Vec<(String, &[T])> {
    if sets.len() < 2 {
        return Vec::new();
    }
    sets.iter().map(|(path, set)| (source_name(path), set.as_slice())).collect()
}

/// A short name of a source for logs: its file name, with its folder's for a document list
/// (`gum/files.dev`).
pub fn source_name(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    match (source_format(path), path.parent().and_then(Path::file_name)) {
        (SourceFormat::DocumentList, Some(dir)) => format!("{}/{file}", dir.to_string_lossy()),
        _ => file,
    }
}

/// Like [`train_model`], writing the model into the directory `out` as `tagger.bin`,
/// `parser.bin` or `ner.bin`; the parser and NER use the tagger in `out` when present (else
/// the embedded one).
pub fn train(
    kind: ModelKind,
    train: &[PathBuf],
    dev: &[PathBuf],
    out: &Path,
    seed: u64,
    iterations: usize,
) -> Result<String, SyntaxError> {
    std::fs::create_dir_all(out).map_err(|e| SyntaxError::io(out, e))?;
    let tagger = if kind == ModelKind::Tagger { TaggerModel::untrained() } else { tagger_for(out)? };
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
    let set = read_treebanks(std::slice::from_ref(&path.to_path_buf()))?;
    if set.is_empty() {
        return Err(SyntaxError::NoData(path.to_path_buf()));
    }
    Ok(set)
}

fn tagger_for(dir: &Path) -> Result<TaggerModel, SyntaxError> {
    let path = dir.join(crate::TAGGER_FILE);
    if path.exists() {
        TaggerModel::load(&path)
    } else {
        Err(SyntaxError::io(
            &path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "train the tagger into this directory first"),
        ))
    }
}

fn train_parser(
    train_set: &[Vec<GoldToken>],
    dev_sets: &[(PathBuf, Vec<Vec<GoldToken>>)],
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
        let counts: Vec<Attachment> = dev_sets.iter().map(|(_, set)| attachment_counts(dev_tagger, m, set)).collect();
        let (uas, las) = counts.iter().fold(Attachment::default(), |a, c| a.plus(c)).percent();
        let mut line = format!("parser epoch {epoch}: dev UAS {uas:.2}  LAS {las:.2}");
        for ((name, _), c) in per_source(dev_sets).iter().zip(&counts) {
            let (uas, las) = c.percent();
            line.push_str(&format!(";  {name} UAS {uas:.2}  LAS {las:.2}"));
        }
        line + "\n"
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

/// Words with the right head, with the right head and label, and all words.
#[derive(Debug, Clone, Copy, Default)]
struct Attachment {
    uas: usize,
    las: usize,
    total: usize,
}

impl Attachment {
    fn plus(self, other: &Attachment) -> Attachment {
        Attachment { uas: self.uas + other.uas, las: self.las + other.las, total: self.total + other.total }
    }

    /// UAS and LAS in percent.
    fn percent(&self) -> (f64, f64) {
        let pct = |n: usize| 100.0 * n as f64 / self.total.max(1) as f64;
        (pct(self.uas), pct(self.las))
    }
}

/// Attachment counts with predicted tags (all tokens, punctuation included).
fn attachment_counts(tagger: &TaggerModel, parser: &ParserModel, set: &[Vec<GoldToken>]) -> Attachment {
    attachment_with(set, |forms| parser.parse(forms, &tagger.tag(forms)))
}

/// Attachment counts of the heads and relations `parse` gives each sentence.
fn attachment_with(set: &[Vec<GoldToken>], parse: impl Fn(&[&str]) -> (Vec<usize>, Vec<String>)) -> Attachment {
    let (mut uas, mut las, mut total) = (0, 0, 0);
    for s in set {
        let forms: Vec<&str> = s.iter().map(|t| t.form.as_str()).collect();
        let (heads, labels) = parse(&forms);
        for ((gold, head), label) in s.iter().zip(heads).zip(labels) {
            if gold.head == head {
                uas += 1;
                las += usize::from(gold.deprel == label);
            }
        }
        total += s.len();
    }
    Attachment { uas, las, total }
}

fn ner_examples(tagger: &TaggerModel, set: &[NerSentence]) -> Vec<ner::Example> {
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

    fn merge(&mut self, other: &NerScores) {
        for (kind, &(tp, predicted, gold)) in &other.counts {
            self.add(kind, tp, predicted, gold);
        }
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

fn ner_scores(tagger: &TaggerModel, model: &NerModel, set: &[NerSentence]) -> NerScores {
    ner_scores_with(set, |refs| model.tag(refs, &tagger.tag(refs)))
}

/// Entity scores of the labels `label` gives each sentence.
fn ner_scores_with(set: &[NerSentence], label: impl Fn(&[&str]) -> Vec<String>) -> NerScores {
    let mut scores = NerScores::default();
    for kind in ["LOC", "ORG", "PER"] {
        scores.add(kind, 0, 0, 0);
    }
    for (forms, gold) in set {
        let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
        let predicted = label(&refs);
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

/// Evaluates one model kind on the source `test` (CoNLL-U or a document list; for NER also
/// IOB2) with the models of `model_dir`, or the embedded models when `None`.
pub fn eval(kind: ModelKind, test: &Path, model_dir: Option<&Path>) -> Result<EvalReport, SyntaxError> {
    let analyzer = match model_dir {
        Some(dir) => Analyzer::load(dir)?,
        None => Analyzer::default_models()?,
    };
    eval_with(kind, test, &analyzer)
}

/// The models `entente eval --model --tagger` scores: the default ones; a neural model file; or a perceptron
/// model file of kind `kind`, whose parser or NER takes its tags from the perceptron tagger
/// file `tagger` (the perceptron models it does not name are untrained, and not scored).
pub fn analyzer_for(kind: ModelKind, model: Option<&Path>, tagger: Option<&Path>) -> Result<Analyzer, SyntaxError> {
    let missing = |what: &str| SyntaxError::BadModel { what: "evaluation".into(), reason: format!("needs {what}") };
    let Some(path) = model else {
        return match tagger {
            None => Analyzer::default_models(),
            Some(_) => Err(missing("a parser or NER model file to go with the tagger")),
        };
    };
    if crate::read_file(path)?.starts_with(crate::neural::MAGIC) {
        return Ok(Analyzer::Neural(Box::new(NeuralModel::load(path)?)));
    }
    let tagger = match (kind, tagger) {
        (ModelKind::Tagger, _) => TaggerModel::load(path)?,
        (_, Some(t)) => TaggerModel::load(t)?,
        (_, None) => return Err(missing("a perceptron tagger file (--tagger) for the parser's or NER's tags")),
    };
    let parser = if kind == ModelKind::Parser { ParserModel::load(path)? } else { ParserModel::untrained() };
    let ner = if kind == ModelKind::Ner { NerModel::load(path)? } else { NerModel::untrained() };
    Ok(Analyzer::Perceptron(Box::new(Perceptrons { tagger, parser, ner })))
}

/// Like [`eval`] with already loaded models; `test` is one source.
pub fn eval_with(kind: ModelKind, test: &Path, analyzer: &Analyzer) -> Result<EvalReport, SyntaxError> {
    Ok(match kind {
        ModelKind::Tagger => {
            let set = read_nonempty(test)?;
            let (upos, xpos) = tagger::accuracy_with(&set, |forms| analyzer.tag(forms));
            EvalReport::Tagger { upos, xpos, tokens: set.iter().map(Vec::len).sum() }
        }
        ModelKind::Parser => {
            let set = read_nonempty(test)?;
            let (uas, las) = attachment_with(&set, |forms| {
                let words = analyzer.analyze(forms);
                words.into_iter().map(|w| (w.head, w.deprel)).unzip()
            })
            .percent();
            EvalReport::Parser { uas, las, tokens: set.iter().map(Vec::len).sum() }
        }
        ModelKind::Ner => {
            let set = read_ner(std::slice::from_ref(&test.to_path_buf()))?;
            EvalReport::Ner(ner_scores_with(&set, |forms| analyzer.analyze(forms).into_iter().map(|w| w.ner).collect()))
        }
    })
}

/// A named test set: a source under the UD folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestSet {
    /// `EWT` or `GUM`.
    pub name: &'static str,
    pub path: PathBuf,
}

/// The default test sets of a model kind in the UD folder `ud` (`../shared/data/ud`): EWT
/// test (`en_ewt-ud-test.conllu`, UNER's `uner/en_ewt-ud-test.iob2` for NER), then GUM test
/// (the document list `gum/files.test`).
pub fn default_tests(kind: ModelKind, ud: &Path) -> Vec<TestSet> {
    let ewt = match kind {
        ModelKind::Tagger | ModelKind::Parser => "en_ewt-ud-test.conllu",
        ModelKind::Ner => "uner/en_ewt-ud-test.iob2",
    };
    vec![TestSet { name: "EWT", path: ud.join(ewt) }, TestSet { name: "GUM", path: ud.join("gum/files.test") }]
}

/// Evaluates one model kind with `analyzer` on each of its [`default_tests`] in `ud`: the
/// EWT test report, then the GUM test report.
pub fn eval_default_tests(
    kind: ModelKind,
    ud: &Path,
    analyzer: &Analyzer,
) -> Result<Vec<(TestSet, EvalReport)>, SyntaxError> {
    default_tests(kind, ud)
        .into_iter()
        .map(|test| {
            let report = eval_with(kind, &test.path, analyzer)?;
            Ok((test, report))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::tests::{sentence, temp_dir};

    fn write(path: &Path, text: &str) -> PathBuf {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        path.to_path_buf()
    }

    fn sentences(words: &[&str]) -> String {
        words.iter().map(|w| sentence(w)).collect()
    }

    #[test]
    fn training_reads_several_sources_and_reports_each_dev_source() {
        let dir = temp_dir("train-sources");
        let ewt = write(&dir.join("ewt.conllu"), &sentences(&["One", "Two", "Three", "Four"]));
        write(&dir.join("gum/sources/GUM_x.conllu"), &sentences(&["Five", "Six", "Seven", "Eight"]));
        let list = write(&dir.join("gum/files.train"), "GUM_x\n");
        let both = write(
            &dir.join("both.conllu"),
            &sentences(&["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight"]),
        );
        let sources = [ewt.clone(), list.clone()];
        let untrained = TaggerModel::untrained();
        let first = train_model(ModelKind::Tagger, &sources, &sources, &untrained, 3, 2).unwrap();
        let tagger = TaggerModel::from_bytes(&first.bytes, "tagger").unwrap();

        let trained = train_model(ModelKind::Tagger, &sources, &sources, &tagger, 3, 2).unwrap();
        let log = &trained.log;
        assert!(
            log.contains("tagger dev ewt.conllu: UPOS") && log.contains("tagger dev gum/files.train: UPOS"),
            "{log}"
        );
        let concatenated =
            train_model(ModelKind::Tagger, std::slice::from_ref(&both), std::slice::from_ref(&both), &tagger, 3, 2)
                .unwrap();
        assert_eq!(trained.bytes, concatenated.bytes, "two sources train as their concatenation");

        let parser = train_model(ModelKind::Parser, &sources, &sources, &tagger, 3, 1).unwrap();
        assert!(
            parser.log.contains(";  ewt.conllu UAS") && parser.log.contains(";  gum/files.train UAS"),
            "{}",
            parser.log
        );
        let single =
            train_model(ModelKind::Parser, std::slice::from_ref(&ewt), std::slice::from_ref(&ewt), &tagger, 3, 1)
                .unwrap();
        assert!(single.log.contains("dev UAS") && !single.log.contains(";  "), "one dev source: as before");

        let ner = train_model(ModelKind::Ner, std::slice::from_ref(&list), &sources, &tagger, 3, 1).unwrap();
        assert!(ner.log.contains("dev ewt.conllu:\n") && ner.log.contains("dev gum/files.train:\n"), "{}", ner.log);

        let empty = write(&dir.join("empty.conllu"), "");
        let Err(err) = train_model(ModelKind::Tagger, &[ewt, empty], &[], &tagger, 3, 1) else {
            panic!("empty source")
        };
        assert!(matches!(&err, SyntaxError::NoData(p) if p.ends_with("empty.conllu")), "{err}");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn default_tests_are_ewt_then_gum() {
        let ud = temp_dir("default-tests");
        write(&ud.join("en_ewt-ud-test.conllu"), &sentences(&["One", "Two"]));
        write(&ud.join("uner/en_ewt-ud-test.iob2"), "1\tParis\tB-LOC\n2\tsleeps\tO\n\n");
        write(&ud.join("gum/sources/GUM_x.conllu"), &sentences(&["Three"]));
        write(&ud.join("gum/files.test"), "GUM_x\nGUM_absent\n");
        let analyzer = Analyzer::default_models().unwrap();
        for kind in [ModelKind::Tagger, ModelKind::Parser, ModelKind::Ner] {
            let reports = eval_default_tests(kind, &ud, &analyzer).unwrap();
            let names: Vec<&str> = reports.iter().map(|(t, _)| t.name).collect();
            assert_eq!(names, ["EWT", "GUM"]);
            assert_eq!(reports[1].0.path, ud.join("gum/files.test"));
            match (&reports[0].1, &reports[1].1) {
                (EvalReport::Tagger { tokens: 8, .. }, EvalReport::Tagger { tokens: 4, .. }) => {}
                (EvalReport::Parser { tokens: 8, .. }, EvalReport::Parser { tokens: 4, .. }) => {}
                (EvalReport::Ner(ewt), EvalReport::Ner(gum)) => {
                    assert_eq!(reports[0].0.path, ud.join("uner/en_ewt-ud-test.iob2"));
                    assert_eq!(ewt.counts["LOC"].2, 1);
                    assert_eq!(gum.counts["LOC"].2, 1, "GUM's place Paris");
                }
                other => panic!("{kind:?}: {other:?}"),
            }
        }
        std::fs::remove_dir_all(ud).ok();
    }
}
