//! Greedy left-to-right averaged-perceptron tagger predicting the (UPOS, XPOS) pair.

use std::collections::HashMap;
use std::path::Path;

use crate::conllu::GoldToken;
use crate::features::{PAD, WordInfo, key, mix};
use crate::perceptron::{Model, Reader, Rng, Trainer, argmax, put_strings, put_u32};
use crate::vectors::LEVELS;
use crate::{SyntaxError, Tag};

const MAGIC: &[u8] = b"ENTTAG03";
/// Words seen at least this often with one dominant tag enter the tag dictionary.
const DICT_MIN_COUNT: usize = 3;

/// Trained tagger.
pub struct TaggerModel {
    classes: Vec<Tag>,
    /// Lowercased-word hash -> most frequent class (the look-ahead "dictionary tag").
    dict: HashMap<u64, u64>,
    model: Model,
}

impl TaggerModel {
    pub fn from_bytes(bytes: &[u8], what: &str) -> Result<Self, SyntaxError> {
        let mut r = Reader::new(bytes, what, MAGIC)?;
        crate::vectors::check_digest(&mut r)?;
        let names = r.strings()?;
        let classes = names
            .iter()
            .map(|n| {
                let (u, x) = n.split_once('\t').unwrap_or((n, n));
                Tag { upos: u.to_string(), xpos: x.to_string() }
            })
            .collect();
        let n = r.u32()? as usize;
        let mut dict = HashMap::with_capacity(n);
        for _ in 0..n {
            let k = r.u64()?;
            let c = r.u64()?;
            dict.insert(k, c);
        }
        let model = Model::read(&mut r)?;
        Ok(TaggerModel { classes, dict, model })
    }

    /// A tagger that knows no tags: what training a tagger starts from, where no trained
    /// one is needed.
    pub fn untrained() -> TaggerModel {
        TaggerModel { classes: Vec::new(), dict: HashMap::new(), model: Model::from_table(0, Vec::new()) }
    }

    pub fn load(path: &Path) -> Result<Self, SyntaxError> {
        Self::from_bytes(&crate::read_file(path)?, &path.display().to_string())
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        crate::vectors::put_digest(&mut out);
        let names: Vec<String> = self.classes.iter().map(|t| format!("{}\t{}", t.upos, t.xpos)).collect();
        put_strings(&mut out, &names);
        let mut dict: Vec<(u64, u64)> = self.dict.iter().map(|(k, v)| (*k, *v)).collect();
        dict.sort_unstable();
        put_u32(&mut out, dict.len() as u32);
        for (k, c) in dict {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&c.to_le_bytes());
        }
        self.model.write(&mut out);
        out
    }

    /// Tags one sentence.
    pub fn tag(&self, words: &[&str]) -> Vec<Tag> {
        let infos = padded_infos(words.iter().copied());
        let dict = self.dict_classes(&infos);
        let mut tags: Vec<u16> = Vec::with_capacity(words.len());
        let mut feats = Vec::with_capacity(64);
        let mut scores = Vec::new();
        for i in 0..words.len() {
            features(&infos, &dict, &tags, i, &mut feats);
            self.model.scores(&feats, &mut scores);
            let best = argmax(&scores, |_| true).unwrap_or(0);
            tags.push(best as u16);
        }
        let unknown = || Tag { upos: "X".into(), xpos: "XX".into() };
        tags.iter().map(|c| self.classes.get(*c as usize).cloned().unwrap_or_else(unknown)).collect()
    }

    fn dict_classes(&self, infos: &[WordInfo]) -> Vec<u64> {
        dict_lookup(&self.dict, infos)
    }
}

fn dict_lookup(dict: &HashMap<u64, u64>, infos: &[WordInfo]) -> Vec<u64> {
    infos.iter().map(|w| dict.get(&w.lower).copied().unwrap_or(PAD)).collect()
}

/// Word attributes with two padding positions on each side.
pub(crate) fn padded_infos<'a>(words: impl Iterator<Item = &'a str>) -> Vec<WordInfo> {
    let mut infos = vec![WordInfo::padding(); 2];
    infos.extend(words.map(WordInfo::new));
    infos.extend([WordInfo::padding(); 2]);
    infos
}

/// Features of word `i` given the classes already predicted for words `0..i`.
fn features(infos: &[WordInfo], dict: &[u64], tags: &[u16], i: usize, out: &mut Vec<u64>) {
    out.clear();
    let p = i + 2;
    let w = &infos[p];
    let prev = |n: usize| {
        if i >= n { u64::from(tags[i - n]) } else { PAD }
    };
    let (p1, p2) = (prev(1), prev(2));
    out.push(key(0, &[]));
    out.push(key(1, &[w.lower]));
    out.push(key(2, &[w.form]));
    out.push(key(3, &[w.shape]));
    out.push(key(4, &[w.flags]));
    for (n, s) in w.suffix.iter().enumerate() {
        out.push(key(10 + n as u64, &[*s]));
    }
    for (n, s) in w.prefix.iter().enumerate() {
        out.push(key(20 + n as u64, &[*s]));
    }
    out.push(key(30, &[p1]));
    out.push(key(31, &[p1, p2]));
    out.push(key(32, &[p1, w.lower]));
    out.push(key(33, &[p2]));
    out.push(key(34, &[p1, w.suffix[2]]));
    out.push(key(40, &[infos[p - 1].lower]));
    out.push(key(41, &[infos[p - 2].lower]));
    out.push(key(42, &[infos[p + 1].lower]));
    out.push(key(43, &[infos[p + 2].lower]));
    out.push(key(44, &[infos[p - 1].suffix[2]]));
    out.push(key(45, &[infos[p + 1].suffix[2]]));
    out.push(key(46, &[infos[p + 1].shape]));
    out.push(key(47, &[infos[p - 1].shape]));
    out.push(key(48, &[infos[p - 1].lower, w.lower]));
    out.push(key(49, &[w.lower, infos[p + 1].lower]));
    out.push(key(50, &[infos[p + 1].suffix[1]]));
    out.push(key(51, &[w.flags, u64::from(i == 0)]));
    out.push(key(52, &[dict[p]]));
    out.push(key(53, &[dict[p + 1]]));
    out.push(key(54, &[dict[p + 2]]));
    out.push(key(55, &[dict[p + 1], dict[p + 2]]));
    out.push(key(56, &[p1, dict[p + 1]]));
    out.push(key(57, &[dict[p], dict[p + 1]]));
    out.push(key(58, &[w.lower, dict[p + 1]]));
    out.push(key(59, &[p1, w.shape]));
    out.push(mix(key(60, &[infos[p - 1].lower]), infos[p + 1].lower));
    out.push(key(61, &[p1, infos[p + 1].lower]));
    out.push(key(62, &[infos[p + 1].flags, w.flags]));
    out.push(key(63, &[dict[p], w.suffix[2]]));
    out.push(key(64, &[p1, dict[p]]));
    out.push(key(65, &[dict[p - 1], dict[p]]));
    // Distilled-vector clusters: what the encoder knows of words the treebank has few of.
    let c = |q: usize, level: usize| infos[q].cluster[level];
    for level in 0..LEVELS {
        out.push(key(70 + level as u64, &[c(p, level)]));
        out.push(key(73 + level as u64, &[c(p - 1, level)]));
        out.push(key(76 + level as u64, &[c(p + 1, level)]));
    }
    out.push(key(80, &[c(p - 2, 1)]));
    out.push(key(81, &[c(p + 2, 1)]));
    out.push(key(82, &[p1, c(p, 2)]));
    out.push(key(83, &[c(p, 1), c(p + 1, 1)]));
    out.push(key(84, &[c(p - 1, 1), c(p, 1)]));
    out.push(key(85, &[c(p, 2), w.suffix[2]]));
    out.push(key(86, &[p1, c(p + 1, 1)]));
    out.push(key(87, &[c(p, 1), dict[p + 1]]));
}

/// Trains a tagger; returns the model and a per-epoch log.
pub(crate) fn train(
    sentences: &[Vec<GoldToken>],
    dev: &[Vec<GoldToken>],
    seed: u64,
    iterations: usize,
) -> (TaggerModel, String) {
    let mut class_ids: HashMap<(String, String), u16> = HashMap::new();
    let mut classes = Vec::new();
    let gold: Vec<Vec<u16>> = sentences
        .iter()
        .map(|s| {
            s.iter()
                .map(|t| {
                    *class_ids.entry((t.upos.clone(), t.xpos.clone())).or_insert_with(|| {
                        classes.push(Tag { upos: t.upos.clone(), xpos: t.xpos.clone() });
                        (classes.len() - 1) as u16
                    })
                })
                .collect()
        })
        .collect();
    let dict = build_dict(sentences, &gold);
    let prepared: Vec<(Vec<WordInfo>, Vec<u64>)> = sentences
        .iter()
        .map(|s| {
            let infos = padded_infos(s.iter().map(|t| t.form.as_str()));
            let d = dict_lookup(&dict, &infos);
            (infos, d)
        })
        .collect();
    let mut trainer = Trainer::new(classes.len());
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut log = String::new();
    let mut feats = Vec::new();
    let mut scores = Vec::new();
    for epoch in 0..iterations {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &s in &order {
            let (infos, d) = &prepared[s];
            let mut tags = Vec::with_capacity(gold[s].len());
            for (i, &g) in gold[s].iter().enumerate() {
                features(infos, d, &tags, i, &mut feats);
                trainer.scores(&feats, &mut scores);
                let guess = argmax(&scores, |_| true).unwrap_or(0);
                trainer.update(&feats, g as usize, guess);
                trainer.tick();
                right += usize::from(guess == g as usize);
                total += 1;
                tags.push(guess as u16);
            }
        }
        log.push_str(&format!(
            "tagger epoch {}: train accuracy {:.2}%\n",
            epoch + 1,
            100.0 * right as f64 / total.max(1) as f64
        ));
    }
    let model = TaggerModel { classes, dict, model: trainer.average(1e-3) };
    if !dev.is_empty() {
        let (upos, xpos) = accuracy(&model, dev);
        log.push_str(&format!("tagger dev: UPOS {upos:.2}%  XPOS {xpos:.2}%\n"));
    }
    (model, log)
}

/// Dictionary tags: for words seen often enough, their class when it makes up at least
/// 70% of their occurrences.
fn build_dict(sentences: &[Vec<GoldToken>], gold: &[Vec<u16>]) -> HashMap<u64, u64> {
    let mut counts: HashMap<u64, HashMap<u16, usize>> = HashMap::new();
    for (s, g) in sentences.iter().zip(gold) {
        for (t, c) in s.iter().zip(g) {
            let lower = WordInfo::new(&t.form).lower;
            *counts.entry(lower).or_default().entry(*c).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(w, by_class)| {
            let total: usize = by_class.values().sum();
            let (best, n) = by_class.iter().max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)))?;
            (total >= DICT_MIN_COUNT && *n * 10 >= total * 7).then_some((w, u64::from(*best)))
        })
        .collect()
}

/// UPOS and XPOS accuracy (percent) of the model on gold sentences.
pub(crate) fn accuracy(model: &TaggerModel, sentences: &[Vec<GoldToken>]) -> (f64, f64) {
    accuracy_with(sentences, |forms| model.tag(forms))
}

/// UPOS and XPOS accuracy (percent) of the tags `tag` gives each gold sentence.
pub(crate) fn accuracy_with(sentences: &[Vec<GoldToken>], tag: impl Fn(&[&str]) -> Vec<Tag>) -> (f64, f64) {
    let (mut upos, mut xpos, mut total) = (0usize, 0usize, 0usize);
    for s in sentences {
        let forms: Vec<&str> = s.iter().map(|t| t.form.as_str()).collect();
        for (t, p) in s.iter().zip(tag(&forms)) {
            upos += usize::from(t.upos == p.upos);
            xpos += usize::from(t.xpos == p.xpos);
            total += 1;
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    (pct(upos), pct(xpos))
}
