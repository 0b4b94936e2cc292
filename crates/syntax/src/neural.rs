//! The neural tagger, parser and NER: one small BiLSTM over the sentence, read by three heads
//! (UPOS and XPOS; a biaffine arc scorer with a label scorer, as Dozat & Manning 2017; BIO
//! entity labels). Trained by `scripts/train_neural.py` (PyTorch); run here in plain Rust
//! (`kernels.rs`).
//!
//! A word's input is its distilled MiniLM vector (`vectors.rs`), a trained embedding of its
//! normalised form, of its last three characters and of its shape flags; a learnt root
//! input comes first.

use std::collections::HashMap;
use std::path::Path;

use crate::encoder::Encoder;
use crate::kernels::{Dense, Panels, affine, lstm_cell};
use crate::perceptron::Reader;
use crate::vectors::Vectors;
use crate::{SyntaxError, Tag, features, ner};

pub(crate) const MAGIC: &[u8] = b"ENTNEU02";
/// Sentences longer than this are decoded greedily (head by head, cycles broken) instead
/// of by Eisner's cubic algorithm.
const EISNER_MAX: usize = 150;
/// Words analysed as one piece (see [`NeuralModel::analyze`]).
const MAX_WORDS: usize = 256;

/// Sizes of the network's parts.
#[derive(Debug, Clone, Copy)]
struct Dims {
    vec: usize,
    /// Width of the encoder's states in the input (0: the fast model, without the encoder).
    context: usize,
    word: usize,
    suffix: usize,
    shape: usize,
    hidden: usize,
    layers: usize,
    arc: usize,
    label: usize,
}

impl Dims {
    fn input(&self) -> usize {
        self.dense() + self.word + self.suffix + self.shape
    }

    /// The dense part of the input: the vector, then the encoder's state.
    fn dense(&self) -> usize {
        self.vec + self.context
    }
}

/// One BiLSTM layer: both directions' input maps side by side (`inputs x 8 hidden`:
/// forward gates, then backward), and each direction's recurrent map (`hidden x 4 hidden`).
struct Layer {
    input: Dense,
    recurrent: [Panels; 2],
}

/// The first layer's input map applied in advance to the trained embeddings, so that a
/// word costs one map of its vector plus three row additions.
struct Premapped {
    /// Rows of the input map that read the vector and the encoder's state
    /// (`vec + context x 8 hidden`).
    vec_map: Panels,
    /// Rows that read the word embedding, for words past `words`.
    word_map: Panels,
    /// The most frequent words' embeddings through the map, plus the bias; in the fast
    /// model also their vectors through it, for the words whose `with_vector` is set (those
    /// without digits, whose vector is that of their normalised form).
    words: Vec<f32>,
    with_vector: Vec<bool>,
    suffixes: Vec<f32>,
    shapes: Vec<f32>,
    /// The root's whole input through the map, plus the bias.
    root: Vec<f32>,
}

/// Words whose mapped embedding is kept (the vocabulary is in order of frequency).
const PREMAPPED_WORDS: usize = 8192;

/// Everything the heads read of one sentence.
struct Encoded {
    /// Positions (root first) x `2 hidden`.
    states: Vec<f32>,
    positions: usize,
}

/// A trained neural model.
pub struct NeuralModel {
    dims: Dims,
    words: HashMap<String, u32>,
    suffixes: HashMap<String, u32>,
    upos: Vec<String>,
    xpos: Vec<String>,
    labels: Vec<String>,
    word_emb: Vec<f32>,
    layers: Vec<Layer>,
    premapped: Premapped,
    encoder: Option<Encoder>,
    /// Every map that reads the BiLSTM's states, side by side in one (one pass over the
    /// states instead of seven): the parts are [`Part`]s.
    heads: Dense,
    parts: [std::ops::Range<usize>; PARTS],
    lab_out: Dense,
    /// `arc x arc`, input-major for `dep · U`.
    arc_u: Dense,
    arc_b: Vec<f32>,
}

/// What the model says of one sentence.
pub struct Analysis {
    pub tags: Vec<Tag>,
    /// 1-based heads, 0 = root.
    pub heads: Vec<usize>,
    pub labels: Vec<String>,
    pub ner: Vec<String>,
}

impl NeuralModel {
    pub fn load(path: &Path) -> Result<Self, SyntaxError> {
        Self::from_bytes(&crate::read_file(path)?, &path.display().to_string())
    }

    /// An accurate-mode model with the MiniLM encoder of `encoder_dir` (the package's model
    /// folder).
    pub fn load_accurate(path: &Path, encoder_dir: &Path) -> Result<Self, SyntaxError> {
        let encoder = Encoder::load(encoder_dir)?;
        Self::from_bytes_with(&crate::read_file(path)?, &path.display().to_string(), Some(encoder))
    }

    pub fn from_bytes(bytes: &[u8], what: &str) -> Result<Self, SyntaxError> {
        Self::from_bytes_with(bytes, what, None)
    }

    pub(crate) fn from_bytes_with(bytes: &[u8], what: &str, encoder: Option<Encoder>) -> Result<Self, SyntaxError> {
        let mut r = Reader::new(bytes, what, MAGIC)?;
        crate::vectors::check_digest(&mut r)?;
        let mut d = [0usize; 9];
        for v in &mut d {
            *v = r.u32()? as usize;
            if *v > 4096 {
                return Err(r.error("implausible dimension"));
            }
        }
        let dims = Dims {
            vec: d[0],
            context: d[1],
            word: d[2],
            suffix: d[3],
            shape: d[4],
            hidden: d[5],
            layers: d[6],
            arc: d[7],
            label: d[8],
        };
        match &encoder {
            Some(e) if e.dim() != dims.context => return Err(r.error("the encoder's width does not match the model")),
            None if dims.context > 0 => {
                return Err(r.error("an accurate-mode model: load it with the encoder (NeuralModel::load_accurate)"));
            }
            _ => {}
        }
        if dims.vec == 0 || dims.vec > Vectors::embedded().dim() || dims.layers == 0 || dims.hidden == 0 {
            return Err(r.error("dimensions do not match the vector table"));
        }
        let index = |names: Vec<String>| -> HashMap<String, u32> {
            names.into_iter().enumerate().map(|(i, n)| (n, i as u32)).collect()
        };
        let word_names = r.strings()?;
        let words = index(word_names.clone());
        let suffixes = index(r.strings()?);
        let upos = r.strings()?;
        let xpos = r.strings()?;
        let labels = r.strings()?;
        let names = r.strings()?;
        let mut tensors = HashMap::new();
        for name in names {
            let n = r.u32()? as usize;
            let raw = r.bytes(n.checked_mul(4).ok_or_else(|| r.error("tensor too large"))?)?;
            let values: Vec<f32> = raw.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
            tensors.insert(name, values);
        }
        if !r.at_end() {
            return Err(r.error("trailing bytes"));
        }
        let mut model =
            Self::assemble(dims, &word_names, words, suffixes, upos, xpos, labels, tensors).map_err(|e| r.error(&e))?;
        model.encoder = encoder;
        Ok(model)
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        dims: Dims,
        word_names: &[String],
        words: HashMap<String, u32>,
        suffixes: HashMap<String, u32>,
        upos: Vec<String>,
        xpos: Vec<String>,
        labels: Vec<String>,
        mut t: HashMap<String, Vec<f32>>,
    ) -> Result<NeuralModel, String> {
        let mut take = |name: &str, len: Option<usize>| -> Result<Vec<f32>, String> {
            let v = t.remove(name).ok_or_else(|| format!("no tensor {name}"))?;
            match len {
                Some(n) if n != v.len() => Err(format!("{name}: {} values, expected {n}", v.len())),
                _ => Ok(v),
            }
        };
        let h = dims.hidden;
        let word_emb = take("word.weight", Some(words.len() * dims.word))?;
        let suffix_emb = take("suffix.weight", Some(suffixes.len() * dims.suffix))?;
        let shape_emb = take("shape.weight", Some(32 * dims.shape))?;
        let root = take("root", Some(dims.input()))?;
        let mut layers = Vec::new();
        for layer in 0..dims.layers {
            let inputs = if layer == 0 { dims.input() } else { 2 * h };
            let mut weights = Vec::with_capacity(8 * h * inputs);
            let mut bias = Vec::with_capacity(8 * h);
            let mut recurrent = Vec::new();
            for suffix in ["", "_reverse"] {
                weights.extend(take(&format!("lstm.weight_ih_l{layer}{suffix}"), Some(4 * h * inputs))?);
                let w_hh = take(&format!("lstm.weight_hh_l{layer}{suffix}"), Some(4 * h * h))?;
                recurrent.push(Panels::from_torch(&w_hh, 4 * h, h));
                let b_ih = take(&format!("lstm.bias_ih_l{layer}{suffix}"), Some(4 * h))?;
                let b_hh = take(&format!("lstm.bias_hh_l{layer}{suffix}"), Some(4 * h))?;
                bias.extend(b_ih.iter().zip(&b_hh).map(|(a, b)| a + b));
            }
            let [forward, backward]: [Panels; 2] = recurrent.try_into().map_err(|_| "two directions")?;
            layers.push(Layer { input: Dense::new(&weights, bias, "lstm")?, recurrent: [forward, backward] });
        }
        let embeddings =
            Embeddings { words: &word_emb, word_names, suffixes: &suffix_emb, shapes: &shape_emb, root: &root };
        let premapped = Premapped::new(&dims, &layers[0].input, &embeddings);
        let mut dense = |name: &str, inputs: usize, outputs: usize| -> Result<Dense, String> {
            let w = take(&format!("{name}.weight"), Some(inputs * outputs))?;
            let b = take(&format!("{name}.bias"), Some(outputs))?;
            Dense::new(&w, b, name)
        };
        let (a, l) = (dims.arc, dims.label);
        let maps = [
            dense("arc_dep", 2 * h, a)?,
            dense("arc_head", 2 * h, a)?,
            dense("lab_dep", 2 * h, l)?,
            dense("lab_head", 2 * h, l)?,
            dense("upos", 2 * h, upos.len())?,
            dense("xpos", 2 * h, xpos.len())?,
            dense("ner", 2 * h, ner::LABELS.len())?,
        ];
        let (heads, parts) = side_by_side(&maps);
        let lab_out = dense("lab_out", 3 * l, labels.len())?;
        // s = dep · U · headᵀ: `U` is (dep x head), so dep · U is an affine map with U's rows
        // as inputs: weights a row per input, as `Dense::input_major` takes them.
        let u = take("arc_u", Some(a * a))?;
        let arc_u = Dense::input_major(&u, a, vec![0.0; a]);
        let arc_b = take("arc_b", Some(a))?;
        if !labels.iter().any(|x| x == "root") {
            return Err("no root relation".into());
        }
        Ok(NeuralModel {
            dims,
            words,
            suffixes,
            upos,
            xpos,
            labels,
            word_emb,
            layers,
            premapped,
            encoder: None,
            heads,
            parts,
            lab_out,
            arc_u,
            arc_b,
        })
    }

    /// Tags, parses and finds entities in one tokenised sentence.
    ///
    /// A "sentence" longer than `MAX_WORDS` (a page without full stops, say) is analysed in
    /// pieces of that many words, each piece's root attached to the first piece's as
    /// `parataxis`: arc scores take memory quadratic in a sentence's length.
    pub fn analyze(&self, words: &[&str]) -> Analysis {
        if words.len() <= MAX_WORDS {
            return self.analyze_piece(words);
        }
        let mut out = Analysis { tags: Vec::new(), heads: Vec::new(), labels: Vec::new(), ner: Vec::new() };
        let mut first_root = 0;
        for (n, piece) in words.chunks(MAX_WORDS).enumerate() {
            let offset = n * MAX_WORDS;
            let a = self.analyze_piece(piece);
            for (head, label) in a.heads.into_iter().zip(a.labels) {
                if head != 0 {
                    out.heads.push(head + offset);
                    out.labels.push(label);
                } else if n == 0 {
                    first_root = out.heads.len() + 1;
                    out.heads.push(0);
                    out.labels.push(label);
                } else {
                    out.heads.push(first_root);
                    out.labels.push("parataxis".to_string());
                }
            }
            out.tags.extend(a.tags);
            out.ner.extend(a.ner);
        }
        out
    }

    fn analyze_piece(&self, words: &[&str]) -> Analysis {
        if words.is_empty() {
            return Analysis { tags: Vec::new(), heads: Vec::new(), labels: Vec::new(), ner: Vec::new() };
        }
        let enc = self.encode(words);
        let mut all = Vec::new();
        self.heads.apply(&enc.states, enc.positions, &mut all);
        // Each part's rows for the words (the root's row, position 0, only for arcs).
        let part = |which: Part, from: usize| -> Vec<f32> {
            let range = self.parts[which as usize].clone();
            all.chunks_exact(self.heads.outputs())
                .skip(from)
                .flat_map(|row| row[range.clone()].iter().copied())
                .collect()
        };
        let upos = argmax_rows(&part(Part::Upos, 1), self.upos.len());
        let xpos = argmax_rows(&part(Part::Xpos, 1), self.xpos.len());
        let tags = upos
            .iter()
            .zip(&xpos)
            .map(|(u, x)| Tag { upos: self.upos[*u].clone(), xpos: self.xpos[*x].clone() })
            .collect();
        let relu_part = |which: Part| {
            let mut v = part(which, 0);
            relu(&mut v);
            v
        };
        let heads = self.heads(enc.positions, &relu_part(Part::ArcDep), &relu_part(Part::ArcHead));
        let labels = self.labels(enc.positions, &relu_part(Part::LabelDep), &relu_part(Part::LabelHead), &heads);
        let ner = ner_viterbi(&part(Part::Ner, 1)).into_iter().map(|c| ner::LABELS[c].to_string()).collect();
        Analysis { tags, heads: heads[1..].to_vec(), labels, ner }
    }

    fn encode(&self, words: &[&str]) -> Encoded {
        let d = self.dims;
        let gates = 8 * d.hidden;
        let positions = words.len() + 1;
        let p = &self.premapped;
        // The first layer's pre-activations: each word's vector through the map, on top of
        // its premapped embeddings (the root's row is its whole input, premapped).
        let width = d.dense();
        let mut base = vec![0.0f32; positions * gates];
        base[..gates].copy_from_slice(&p.root);
        // Positions whose vector (and encoder state) still go through the map, and those rows.
        let mut mapped_at = Vec::with_capacity(words.len());
        let mut dense = Vec::with_capacity(words.len() * width);
        let vectors = Vectors::embedded();
        for (i, form) in words.iter().enumerate() {
            let t = i + 1;
            let row = &mut base[t * gates..(t + 1) * gates];
            let normalised = features::normalise(form);
            let w = self.words.get(&normalised).copied().unwrap_or(1) as usize;
            let premapped = p.with_vector.get(w).copied();
            if premapped.is_some() {
                row.copy_from_slice(&p.words[w * gates..(w + 1) * gates]);
            } else {
                // A rarer word: its embedding goes through the map here.
                let emb = &self.word_emb[w * d.word..(w + 1) * d.word];
                affine(emb, 1, &p.word_map, &self.layers[0].input.bias, row);
            }
            if premapped != Some(true) {
                mapped_at.push(t);
                let start = dense.len();
                dense.resize(start + width, 0.0);
                vectors.vector_into(form, &mut dense[start..start + d.vec]);
            }
            let s = self.suffixes.get(last_chars(&normalised, 3)).copied().unwrap_or(1) as usize;
            add(row, &p.suffixes[s * gates..(s + 1) * gates]);
            let shape = features::flags(form) as usize;
            add(row, &p.shapes[shape * gates..(shape + 1) * gates]);
        }
        if let Some(encoder) = &self.encoder {
            // The accurate model maps every word's state (no word is premapped with it).
            let states = encoder.words(words);
            for (k, t) in mapped_at.iter().enumerate() {
                dense[k * width + d.vec..(k + 1) * width].copy_from_slice(&states[(t - 1) * d.context..t * d.context]);
            }
        }
        let mut mapped = vec![0.0f32; mapped_at.len() * gates];
        affine(&dense, mapped_at.len(), &p.vec_map, &vec![0.0; gates], &mut mapped);
        for (t, row) in mapped_at.iter().zip(mapped.chunks_exact(gates)) {
            add(&mut base[t * gates..(t + 1) * gates], row);
        }
        let mut pre = base;
        let mut states = vec![0.0f32; positions * 2 * d.hidden];
        for (n, layer) in self.layers.iter().enumerate() {
            if n > 0 {
                layer.input.apply(&states, positions, &mut pre);
            }
            for dir in 0..2 {
                self.run_direction(&layer.recurrent[dir], &pre, positions, dir, &mut states);
            }
        }
        Encoded { states, positions }
    }

    /// One LSTM direction (0 forward, 1 backward) over all positions, from the gates'
    /// pre-activations `pre` (`positions x 8 hidden`), its outputs written into its half of
    /// `out`.
    fn run_direction(&self, recurrent: &Panels, pre: &[f32], positions: usize, dir: usize, out: &mut [f32]) {
        let h = self.dims.hidden;
        let mut state = vec![0.0f32; h];
        let mut cell = vec![0.0f32; h];
        let mut gates = vec![0.0f32; 4 * h];
        for step in 0..positions {
            let t = if dir == 1 { positions - 1 - step } else { step };
            let from = t * 8 * h + dir * 4 * h;
            affine(&state, 1, recurrent, &pre[from..from + 4 * h], &mut gates);
            lstm_cell(&mut gates, &mut cell, &mut state);
            out[t * 2 * h + dir * h..t * 2 * h + (dir + 1) * h].copy_from_slice(&state);
        }
    }

    /// Heads of positions 1.. (index 0 is the root's own, unused).
    fn heads(&self, t: usize, dep: &[f32], head: &[f32]) -> Vec<usize> {
        let a = self.dims.arc;
        let mut du = Vec::new();
        self.arc_u.apply(dep, t, &mut du);
        let head_bias: Vec<f32> = (0..t).map(|j| dot(&head[j * a..(j + 1) * a], &self.arc_b)).collect();
        // scores[i][j]: j heads i
        let mut scores = vec![0.0f32; t * t];
        for i in 1..t {
            let di = &du[i * a..(i + 1) * a];
            for j in 0..t {
                scores[i * t + j] =
                    if i == j { f32::NEG_INFINITY } else { dot(di, &head[j * a..(j + 1) * a]) + head_bias[j] };
            }
        }
        decode_tree(&scores, t)
    }

    fn labels(&self, t: usize, dep: &[f32], head: &[f32], heads: &[usize]) -> Vec<String> {
        let l = self.dims.label;
        let mut joint = vec![0.0f32; (t - 1) * 3 * l];
        for i in 1..t {
            let row = &mut joint[(i - 1) * 3 * l..i * 3 * l];
            let d = &dep[i * l..(i + 1) * l];
            let hd = &head[heads[i] * l..(heads[i] + 1) * l];
            row[..l].copy_from_slice(d);
            row[l..2 * l].copy_from_slice(hd);
            for k in 0..l {
                row[2 * l + k] = d[k] * hd[k];
            }
        }
        let mut scores = Vec::new();
        self.lab_out.apply(&joint, t - 1, &mut scores);
        let root = self.labels.iter().position(|x| x == "root").unwrap_or(0);
        let k = self.labels.len();
        (1..t)
            .map(|i| {
                let row = &scores[(i - 1) * k..i * k];
                // The root's dependent is `root`, and no other word is.
                let best = if heads[i] == 0 {
                    root
                } else {
                    (0..k).filter(|c| *c != root).max_by(|a, b| row[*a].total_cmp(&row[*b])).unwrap_or(0)
                };
                self.labels[best].clone()
            })
            .collect()
    }
}

/// The trained embeddings (and the word list) the first layer's map is applied to.
struct Embeddings<'a> {
    words: &'a [f32],
    word_names: &'a [String],
    suffixes: &'a [f32],
    shapes: &'a [f32],
    root: &'a [f32],
}

impl Premapped {
    fn new(d: &Dims, input: &Dense, e: &Embeddings) -> Premapped {
        let gates = input.outputs();
        let wt = input.wt.input_major();
        let rows = |from: usize, count: usize| Panels::new(&wt[from * gates..(from + count) * gates], count, gates);
        let vec_map = rows(0, d.dense());
        let word_map = rows(d.dense(), d.word);
        let suffix_map = rows(d.dense() + d.word, d.suffix);
        let shape_map = rows(d.dense() + d.word + d.suffix, d.shape);
        let map = |emb: &[f32], width: usize, wt: &Panels, bias: &[f32]| {
            let n = emb.len() / width;
            let mut out = vec![0.0f32; n * gates];
            affine(emb, n, wt, bias, &mut out);
            out
        };
        let zero = vec![0.0f32; gates];
        let kept = (e.words.len() / d.word).min(PREMAPPED_WORDS).min(e.word_names.len());
        let mut root_row = vec![0.0f32; gates];
        affine(e.root, 1, &input.wt, &input.bias, &mut root_row);
        let mut words = map(&e.words[..kept * d.word], d.word, &word_map, &input.bias);
        // The fast model's frequent words (ids 0 and 1 are padding and unknown) take their
        // vector's part too: then such a word costs one row copy.
        let with_vector: Vec<bool> = (0..kept)
            .map(|w| d.context == 0 && w > 1 && !e.word_names[w].chars().any(|c| c.is_ascii_digit()))
            .collect();
        let chosen: Vec<usize> = (0..kept).filter(|w| with_vector[*w]).collect();
        let mut vectors = vec![0.0f32; chosen.len() * d.vec];
        for (row, w) in vectors.chunks_exact_mut(d.vec.max(1)).zip(&chosen) {
            Vectors::embedded().vector_into(&e.word_names[*w], row);
        }
        let mut mapped = vec![0.0f32; chosen.len() * gates];
        affine(&vectors, chosen.len(), &rows(0, d.vec), &zero, &mut mapped);
        for (w, row) in chosen.iter().zip(mapped.chunks_exact(gates)) {
            add(&mut words[w * gates..(w + 1) * gates], row);
        }
        Premapped {
            words,
            with_vector,
            vec_map,
            word_map,
            suffixes: map(e.suffixes, d.suffix, &suffix_map, &zero),
            shapes: map(e.shapes, d.shape, &shape_map, &zero),
            root: root_row,
        }
    }
}

/// The maps that read the BiLSTM's states, in their order in `NeuralModel::heads`.
#[derive(Clone, Copy)]
enum Part {
    ArcDep,
    ArcHead,
    LabelDep,
    LabelHead,
    Upos,
    Xpos,
    Ner,
}

const PARTS: usize = 7;

/// Maps of the same input as one map with their outputs side by side, and where each
/// map's outputs are in it.
fn side_by_side(maps: &[Dense; PARTS]) -> (Dense, [std::ops::Range<usize>; PARTS]) {
    let inputs = maps[0].inputs();
    let outputs: usize = maps.iter().map(Dense::outputs).sum();
    let mut wt = Vec::with_capacity(inputs * outputs);
    let each: Vec<Vec<f32>> = maps.iter().map(|m| m.wt.input_major()).collect();
    for l in 0..inputs {
        for (m, w) in maps.iter().zip(&each) {
            wt.extend_from_slice(&w[l * m.outputs()..(l + 1) * m.outputs()]);
        }
    }
    let bias = maps.iter().flat_map(|m| m.bias.iter().copied()).collect();
    let mut at = 0;
    let parts = std::array::from_fn(|i| {
        let range = at..at + maps[i].outputs();
        at = range.end;
        range
    });
    (Dense::input_major(&wt, inputs, bias), parts)
}

fn add(to: &mut [f32], from: &[f32]) {
    to.iter_mut().zip(from).for_each(|(a, b)| *a += b);
}

fn relu(v: &mut [f32]) {
    v.iter_mut().for_each(|x| *x = x.max(0.0));
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let chunks = a.len() / 8 * 8;
    for (x, y) in a[..chunks].chunks_exact(8).zip(b[..chunks].chunks_exact(8)) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let tail: f32 = a[chunks..].iter().zip(&b[chunks..]).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

fn argmax_rows(scores: &[f32], classes: usize) -> Vec<usize> {
    scores
        .chunks_exact(classes)
        .map(|row| (0..classes).max_by(|a, b| row[*a].total_cmp(&row[*b])).unwrap_or(0))
        .collect()
}

/// The last `n` characters of `s`.
fn last_chars(s: &str, n: usize) -> &str {
    let start = s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    &s[start..]
}

/// The most probable BIO labels (Viterbi over each word's log-softmax scores) among the
/// sequences where I-X only continues B-X or I-X. A greedy choice, word by word, can paint
/// itself into a corner ("B-ORG" then a word that is surely inside a PER name); this cannot.
fn ner_viterbi(scores: &[f32]) -> Vec<usize> {
    let k = ner::LABELS.len();
    let n = scores.len() / k;
    if n == 0 {
        return Vec::new();
    }
    let log_softmax = |row: &[f32]| -> Vec<f32> {
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = row.iter().map(|v| (v - max).exp()).sum();
        row.iter().map(|v| v - max - sum.ln()).collect()
    };
    // best[c]: the best total of a labelling of words 0..=i ending in c; back[i][c]: its c at i-1.
    let first = log_softmax(&scores[..k]);
    let mut best: Vec<f32> = (0..k).map(|c| if ner::allowed(0, c) { first[c] } else { f32::NEG_INFINITY }).collect();
    let mut back = vec![0usize; n * k];
    for i in 1..n {
        let row = log_softmax(&scores[i * k..(i + 1) * k]);
        let mut next = vec![f32::NEG_INFINITY; k];
        for c in 0..k {
            for (p, total) in best.iter().enumerate() {
                if ner::allowed(p, c) && total + row[c] > next[c] {
                    next[c] = total + row[c];
                    back[i * k + c] = p;
                }
            }
        }
        best = next;
    }
    let mut c = (0..k).max_by(|a, b| best[*a].total_cmp(&best[*b])).unwrap_or(0);
    let mut out = vec![0usize; n];
    for i in (0..n).rev() {
        out[i] = c;
        c = back[i * k + c];
    }
    out
}

/// The best tree under arc scores `scores[dep * t + head]` over `t` positions (0 = root),
/// with exactly one word under the root: each word's best head when those form such a
/// tree, else Eisner's projective decoder (greedy with cycles broken past `EISNER_MAX`).
pub(crate) fn decode_tree(scores: &[f32], t: usize) -> Vec<usize> {
    let best: Vec<usize> = (0..t)
        .map(|i| {
            if i == 0 {
                return 0;
            }
            (0..t).filter(|j| *j != i).max_by(|a, b| scores[i * t + a].total_cmp(&scores[i * t + b])).unwrap_or(0)
        })
        .collect();
    if is_tree(&best) {
        return best;
    }
    if t - 1 <= EISNER_MAX { eisner(scores, t) } else { repair(scores, t, best) }
}

/// One word under the root and every word reaches the root.
fn is_tree(heads: &[usize]) -> bool {
    (1..heads.len()).filter(|i| heads[*i] == 0).count() == 1 && find_cycle(heads).is_none()
}

/// Eisner's algorithm (first-order, projective) with one word under the root.
fn eisner(scores: &[f32], t: usize) -> Vec<usize> {
    let n = t; // positions 0..n-1, 0 = root
    let idx = |s: usize, e: usize| s * n + e;
    let neg = f32::NEG_INFINITY;
    // [dir]: 0 = head on the right (arc e -> s), 1 = head on the left (arc s -> e)
    let mut complete = [vec![neg; n * n], vec![neg; n * n]];
    let mut incomplete = [vec![neg; n * n], vec![neg; n * n]];
    let mut complete_split = [vec![0usize; n * n], vec![0usize; n * n]];
    let mut incomplete_split = [vec![0usize; n * n], vec![0usize; n * n]];
    for s in 0..n {
        complete[0][idx(s, s)] = 0.0;
        complete[1][idx(s, s)] = 0.0;
    }
    let arc = |head: usize, dep: usize| scores[dep * t + head];
    for len in 1..n {
        for s in 0..n - len {
            let e = s + len;
            // incomplete spans: an arc between s and e over two complete halves
            let (best, split) = best_split(s..e, s, |r| complete[1][idx(s, r)] + complete[0][idx(r + 1, e)]);
            // The root (s == 0) heads only through the last step below.
            if s > 0 {
                incomplete[0][idx(s, e)] = best + arc(e, s);
                incomplete_split[0][idx(s, e)] = split;
            }
            incomplete[1][idx(s, e)] = if s == 0 { neg } else { best + arc(s, e) };
            incomplete_split[1][idx(s, e)] = split;
            // complete spans
            let (best, split) = best_split(s..e, s, |r| complete[0][idx(s, r)] + incomplete[0][idx(r, e)]);
            complete[0][idx(s, e)] = best;
            complete_split[0][idx(s, e)] = split;
            let (best, split) = best_split(s + 1..=e, e, |r| incomplete[1][idx(s, r)] + complete[1][idx(r, e)]);
            complete[1][idx(s, e)] = best;
            complete_split[1][idx(s, e)] = split;
        }
    }
    // One child of the root: the root r's subtree is complete[0][1..r] + complete[1][r..n-1].
    let (_, top) = best_split(1..n, 1, |r| complete[0][idx(1, r)] + complete[1][idx(r, n - 1)] + arc(0, r));
    let mut heads = vec![0usize; n];
    heads[top] = 0;
    let mut stack = vec![(1, top, 0usize, true), (top, n - 1, 1usize, true)];
    while let Some((s, e, dir, is_complete)) = stack.pop() {
        if s == e {
            continue;
        }
        if is_complete {
            if dir == 0 {
                let r = complete_split[0][idx(s, e)];
                stack.push((s, r, 0, true));
                stack.push((r, e, 0, false));
            } else {
                let r = complete_split[1][idx(s, e)];
                stack.push((s, r, 1, false));
                stack.push((r, e, 1, true));
            }
        } else {
            let r = if dir == 0 { incomplete_split[0][idx(s, e)] } else { incomplete_split[1][idx(s, e)] };
            if dir == 0 {
                heads[s] = e;
            } else {
                heads[e] = s;
            }
            stack.push((s, r, 1, true));
            stack.push((r + 1, e, 0, true));
        }
    }
    heads
}

/// The split point with the highest score over `splits` (the first of equals), and that
/// score; `(-inf, default)` when none scores above -inf.
fn best_split(splits: impl Iterator<Item = usize>, default: usize, score: impl Fn(usize) -> f32) -> (f32, usize) {
    let mut best = (f32::NEG_INFINITY, default);
    for r in splits {
        let v = score(r);
        if v > best.0 {
            best = (v, r);
        }
    }
    best
}

/// For very long sentences: keep one root child (the best-scored) and break each cycle by
/// attaching its first word to that child (which reaches the root, so no new cycle forms).
fn repair(scores: &[f32], t: usize, mut heads: Vec<usize>) -> Vec<usize> {
    let roots: Vec<usize> = (1..t).filter(|i| heads[*i] == 0).collect();
    let top = roots
        .iter()
        .copied()
        .max_by(|a, b| scores[a * t].total_cmp(&scores[b * t]))
        .unwrap_or_else(|| (1..t).max_by(|a, b| scores[a * t].total_cmp(&scores[b * t])).unwrap_or(1));
    for (i, head) in heads.iter_mut().enumerate().skip(1) {
        if *head == 0 && i != top {
            *head = top;
        }
    }
    heads[top] = 0;
    loop {
        let Some(cycle) = find_cycle(&heads) else { return heads };
        // Attach the cycle's first word to top (outside any cycle, it reaches the root).
        let x = cycle[0];
        heads[x] = if x == top { 0 } else { top };
    }
}

/// The words of a cycle of heads, if there is one.
fn find_cycle(heads: &[usize]) -> Option<Vec<usize>> {
    let t = heads.len();
    let mut state = vec![0u8; t]; // 0 unknown, 1 on the current path, 2 reaches the root
    state[0] = 2;
    for start in 1..t {
        let mut path = Vec::new();
        let mut x = start;
        while state[x] == 0 {
            state[x] = 1;
            path.push(x);
            x = heads[x];
        }
        if state[x] == 1 {
            let at = path.iter().position(|p| *p == x).unwrap_or(0);
            return Some(path[at..].to_vec());
        }
        for p in path {
            state[p] = 2;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exhaustive best tree over every head assignment of a short sentence.
    fn brute_force(scores: &[f32], t: usize) -> f32 {
        let mut best = f32::NEG_INFINITY;
        let mut heads = vec![0usize; t];
        let total = t.pow((t - 1) as u32);
        for code in 0..total {
            let mut c = code;
            for h in heads.iter_mut().skip(1) {
                *h = c % t;
                c /= t;
            }
            if (1..t).any(|i| heads[i] == i) || !is_tree(&heads) || !is_projective(&heads) {
                continue;
            }
            best = best.max((1..t).map(|i| scores[i * t + heads[i]]).sum());
        }
        best
    }

    fn is_projective(heads: &[usize]) -> bool {
        for i in 1..heads.len() {
            let (a, b) = (i.min(heads[i]), i.max(heads[i]));
            for k in a + 1..b {
                let mut x = k;
                while x != 0 && x != heads[i] {
                    x = heads[x];
                }
                if x != heads[i] {
                    return false;
                }
            }
        }
        true
    }

    #[test]
    fn eisner_finds_the_best_projective_tree_with_one_root_child() {
        let mut seed = 7u64;
        for t in 2..=6 {
            for _ in 0..30 {
                let scores: Vec<f32> = (0..t * t)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        ((seed >> 33) % 1000) as f32 / 100.0
                    })
                    .collect();
                let heads = eisner(&scores, t);
                assert!(is_tree(&heads), "{heads:?}");
                let got: f32 = (1..t).map(|i| scores[i * t + heads[i]]).sum();
                assert!((got - brute_force(&scores, t)).abs() < 1e-3, "t={t}: {got} {heads:?}");
            }
        }
    }

    #[test]
    fn repair_gives_a_tree() {
        // 1 and 2 head each other, 3 and 4 both under the root.
        let t = 5;
        let mut scores = vec![0.0; t * t];
        for (dep, head) in [(1, 2), (2, 1), (3, 0), (4, 0)] {
            scores[dep * t + head] = 5.0;
        }
        let heads = repair(&scores, t, vec![0, 2, 1, 0, 0]);
        assert!(is_tree(&heads), "{heads:?}");
    }

    #[test]
    fn viterbi_keeps_inside_labels_after_their_begin() {
        // Word 0 leans B-ORG, word 1 is surely inside a PER name: greedy would give
        // B-ORG, B-PER (I-PER is not allowed after B-ORG); the best valid path is B-PER I-PER.
        let k = ner::LABELS.len();
        let mut scores = vec![0.0f32; 2 * k];
        scores[3] = 2.0; // B-ORG
        scores[1] = 1.5; // B-PER
        scores[k + 2] = 6.0; // I-PER
        let labels = ner_viterbi(&scores);
        assert_eq!(labels, vec![1, 2]);
        assert!(ner_viterbi(&[]).is_empty());
    }

    /// A run-on "sentence" far past the piece length comes back as one tree, in linear
    /// time and memory.
    #[test]
    fn a_very_long_sentence_is_one_tree() {
        let model = NeuralModel::embedded().expect("embedded model");
        let words: Vec<&str> =
            ["NATO", "met", "Japan", "in", "Vilnius", "and"].iter().copied().cycle().take(2000).collect();
        let a = model.analyze(&words);
        assert_eq!((a.tags.len(), a.heads.len(), a.labels.len(), a.ner.len()), (2000, 2000, 2000, 2000));
        let heads: Vec<usize> = std::iter::once(0).chain(a.heads.iter().copied()).collect();
        assert!(is_tree(&heads), "one root, no cycle");
        assert!(heads[1..].iter().all(|h| *h <= 2000));
    }

    #[test]
    fn last_chars_counts_characters() {
        assert_eq!(last_chars("naïve", 3), "ïve");
        assert_eq!(last_chars("ab", 3), "ab");
        assert_eq!(last_chars("", 3), "");
    }
}
