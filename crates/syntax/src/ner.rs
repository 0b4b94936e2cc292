//! Greedy averaged-perceptron BIO tagger for PER, ORG and LOC (no gazetteers).

use std::path::Path;

use crate::features::{PAD, WordInfo, hash_str, key};
use crate::perceptron::{Model, Reader, Rng, Trainer, argmax, put_strings};
use crate::tagger::padded_infos;
use crate::vectors::LEVELS;
use crate::{SyntaxError, Tag};

const MAGIC: &[u8] = b"ENTNER02";

/// The IOB2 labels, in class order.
pub const LABELS: [&str; 7] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"];

/// Trained named-entity recogniser.
pub struct NerModel {
    model: Model,
}

/// One training sentence: forms, predicted tags and gold label classes.
pub(crate) struct Example {
    pub forms: Vec<String>,
    pub tags: Vec<Tag>,
    pub gold: Vec<usize>,
}

impl NerModel {
    pub fn from_bytes(bytes: &[u8], what: &str) -> Result<Self, SyntaxError> {
        let mut r = Reader::new(bytes, what, MAGIC)?;
        crate::vectors::check_digest(&mut r)?;
        let labels = r.strings()?;
        if labels != LABELS {
            return Err(r.error("unexpected label set"));
        }
        let model = Model::read(&mut r)?;
        if model.classes() != LABELS.len() {
            return Err(r.error("class count does not match the labels"));
        }
        Ok(NerModel { model })
    }

    /// A recogniser with no weights (it finds nothing): the part of a perceptron set that
    /// is not being scored.
    pub fn untrained() -> NerModel {
        NerModel { model: Model::from_table(LABELS.len(), Vec::new()) }
    }

    pub fn load(path: &Path) -> Result<Self, SyntaxError> {
        Self::from_bytes(&crate::read_file(path)?, &path.display().to_string())
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        crate::vectors::put_digest(&mut out);
        let labels: Vec<String> = LABELS.iter().map(|s| s.to_string()).collect();
        put_strings(&mut out, &labels);
        self.model.write(&mut out);
        out
    }

    /// IOB2 labels of a tagged sentence.
    pub fn tag(&self, words: &[&str], tags: &[Tag]) -> Vec<String> {
        self.classes(words, tags).into_iter().map(|c| LABELS[c].to_string()).collect()
    }

    fn classes(&self, words: &[&str], tags: &[Tag]) -> Vec<usize> {
        let ctx = Context::new(words, tags);
        let mut out = Vec::with_capacity(words.len());
        let mut feats = Vec::with_capacity(64);
        let mut scores = Vec::new();
        for i in 0..words.len() {
            ctx.features(&out, i, &mut feats);
            self.model.scores(&feats, &mut scores);
            let prev = out.last().copied().unwrap_or(0);
            out.push(argmax(&scores, |c| allowed(prev, c)).unwrap_or(0));
        }
        out
    }
}

/// IOB2 constraint: I-X only continues B-X or I-X.
pub(crate) fn allowed(prev: usize, class: usize) -> bool {
    let is_inside = class != 0 && class.is_multiple_of(2);
    !is_inside || (prev != 0 && prev.div_ceil(2) == class / 2)
}

struct Context {
    infos: Vec<WordInfo>,
    xpos: Vec<u64>,
    upos: Vec<u64>,
}

impl Context {
    fn new(words: &[&str], tags: &[Tag]) -> Context {
        let pad = |v: Vec<u64>| {
            let mut out = vec![PAD; 2];
            out.extend(v);
            out.extend([PAD; 2]);
            out
        };
        Context {
            infos: padded_infos(words.iter().copied()),
            xpos: pad(tags.iter().map(|t| hash_str(&t.xpos)).collect()),
            upos: pad(tags.iter().map(|t| hash_str(&t.upos)).collect()),
        }
    }

    fn features(&self, labels: &[usize], i: usize, out: &mut Vec<u64>) {
        out.clear();
        let p = i + 2;
        let infos = &self.infos;
        let w = &infos[p];
        let prev = |n: usize| if i >= n { labels[i - n] as u64 } else { PAD };
        let (l1, l2) = (prev(1), prev(2));
        let f = [
            key(0, &[]),
            key(1, &[w.lower]),
            key(2, &[w.form]),
            key(3, &[w.shape]),
            key(4, &[w.flags]),
            key(5, &[w.suffix[1]]),
            key(6, &[w.suffix[2]]),
            key(7, &[w.suffix[3]]),
            key(8, &[w.prefix[1]]),
            key(9, &[w.prefix[2]]),
            key(10, &[l1]),
            key(11, &[l1, l2]),
            key(12, &[l1, w.shape]),
            key(13, &[l1, w.lower]),
            key(20, &[infos[p - 1].lower]),
            key(21, &[infos[p + 1].lower]),
            key(22, &[infos[p - 2].lower]),
            key(23, &[infos[p + 2].lower]),
            key(24, &[infos[p - 1].shape]),
            key(25, &[infos[p + 1].shape]),
            key(26, &[infos[p - 1].shape, w.shape, infos[p + 1].shape]),
            key(27, &[infos[p - 1].lower, w.lower]),
            key(28, &[w.lower, infos[p + 1].lower]),
            key(29, &[infos[p + 1].form]),
            key(30, &[infos[p - 1].form]),
            key(31, &[w.flags, u64::from(i == 0)]),
            key(40, &[self.xpos[p]]),
            key(41, &[self.xpos[p - 1], self.xpos[p]]),
            key(42, &[self.xpos[p], self.xpos[p + 1]]),
            key(43, &[self.upos[p], w.shape]),
            key(44, &[self.xpos[p + 1]]),
            key(45, &[self.xpos[p - 1]]),
            key(46, &[l1, self.xpos[p]]),
            key(47, &[self.xpos[p], w.lower]),
            key(48, &[infos[p + 1].suffix[2], self.xpos[p + 1]]),
            key(49, &[infos[p - 1].suffix[2], self.xpos[p - 1]]),
        ];
        out.extend_from_slice(&f);
        // Distilled-vector clusters: names of a kind the training data lacks still share
        // clusters with names it has.
        let c = |q: usize, level: usize| infos[q].cluster[level];
        for level in 0..LEVELS {
            out.push(key(60 + level as u64, &[c(p, level)]));
            out.push(key(63 + level as u64, &[c(p - 1, level)]));
            out.push(key(66 + level as u64, &[c(p + 1, level)]));
        }
        out.push(key(70, &[l1, c(p, 2)]));
        out.push(key(71, &[c(p, 1), c(p + 1, 1)]));
        out.push(key(72, &[c(p - 1, 1), c(p, 1)]));
        out.push(key(73, &[c(p, 2), w.shape]));
        out.push(key(74, &[l1, c(p, 1), w.flags]));
        out.push(key(75, &[c(p - 2, 1)]));
        out.push(key(76, &[c(p + 2, 1)]));
    }
}

pub(crate) fn label_class(label: &str) -> usize {
    LABELS.iter().position(|l| *l == label).unwrap_or(0)
}

pub(crate) fn train(examples: &[Example], seed: u64, iterations: usize) -> (NerModel, String) {
    let mut trainer = Trainer::new(LABELS.len());
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut log = String::new();
    let mut feats = Vec::new();
    let mut scores = Vec::new();
    let contexts: Vec<Context> = examples
        .iter()
        .map(|e| {
            let forms: Vec<&str> = e.forms.iter().map(String::as_str).collect();
            Context::new(&forms, &e.tags)
        })
        .collect();
    for epoch in 0..iterations {
        rng.shuffle(&mut order);
        let mut errors = 0;
        for &e in &order {
            let mut labels = Vec::with_capacity(examples[e].gold.len());
            for (i, &g) in examples[e].gold.iter().enumerate() {
                contexts[e].features(&labels, i, &mut feats);
                trainer.scores(&feats, &mut scores);
                let prev = labels.last().copied().unwrap_or(0);
                let guess = argmax(&scores, |c| allowed(prev, c)).unwrap_or(0);
                trainer.update(&feats, g, guess);
                trainer.tick();
                errors += usize::from(g != guess);
                labels.push(guess);
            }
        }
        log.push_str(&format!("ner epoch {}: {errors} token errors\n", epoch + 1));
    }
    (NerModel { model: trainer.average(1e-3) }, log)
}

/// Entity spans `(start, end, type)` of a BIO label sequence.
pub(crate) fn spans(labels: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, l) in labels.iter().enumerate() {
        let (bio, kind) = l.split_once('-').unwrap_or(("O", ""));
        let continues = bio == "I" && open.as_ref().is_some_and(|(_, k)| k == kind);
        if !continues {
            if let Some((s, k)) = open.take() {
                out.push((s, i, k));
            }
            if bio == "B" || bio == "I" {
                open = Some((i, kind.to_string()));
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, labels.len(), k));
    }
    out
}
