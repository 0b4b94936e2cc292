//! Averaged multiclass perceptron training with sparse per-feature class weights, helpers of
//! the little-endian model files, a seeded generator and argmax.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::SyntaxError;
pub use crate::weights::Model;

/// Feature keys are already well-mixed 64-bit hashes: use them as they are.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

#[derive(Clone, Copy)]
struct Slot {
    class: u16,
    weight: f32,
    total: f64,
    stamp: u32,
}

/// Perceptron under training, with lazy averaging.
pub struct Trainer {
    classes: usize,
    weights: KeyMap<Vec<Slot>>,
    step: u32,
}

impl Trainer {
    pub fn new(classes: usize) -> Self {
        Trainer { classes, weights: KeyMap::default(), step: 1 }
    }

    /// Current (non-averaged) scores of every class.
    pub fn scores(&self, features: &[u64], out: &mut Vec<f32>) {
        out.clear();
        out.resize(self.classes, 0.0);
        for f in features {
            if let Some(slots) = self.weights.get(f) {
                for s in slots {
                    out[s.class as usize] += s.weight;
                }
            }
        }
    }

    /// Counts one training example (the averaging clock).
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// Moves weight from `guess` to `gold` on every feature.
    pub fn update(&mut self, features: &[u64], gold: usize, guess: usize) {
        if gold == guess {
            return;
        }
        for f in features {
            let slots = self.weights.entry(*f).or_default();
            Self::bump(slots, gold as u16, 1.0, self.step);
            Self::bump(slots, guess as u16, -1.0, self.step);
        }
    }

    fn bump(slots: &mut Vec<Slot>, class: u16, delta: f32, step: u32) {
        let slot = match slots.iter_mut().position(|s| s.class == class) {
            Some(i) => &mut slots[i],
            None => {
                slots.push(Slot { class, weight: 0.0, total: 0.0, stamp: step });
                slots.last_mut().expect("just pushed")
            }
        };
        slot.total += f64::from(step - slot.stamp) * f64::from(slot.weight);
        slot.stamp = step;
        slot.weight += delta;
    }

    /// Averaged weights; entries whose magnitude is below `min_weight` are dropped.
    pub fn average(&self, min_weight: f32) -> Model {
        let mut keys: Vec<u64> = self.weights.keys().copied().collect();
        keys.sort_unstable();
        let mut table = Vec::new();
        for key in keys {
            let mut entries: Vec<(u16, f32)> = self.weights[&key]
                .iter()
                .map(|s| {
                    let total = s.total + f64::from(self.step - s.stamp) * f64::from(s.weight);
                    (s.class, (total / f64::from(self.step)) as f32)
                })
                .filter(|(_, w)| w.abs() >= min_weight)
                .collect();
            if entries.is_empty() {
                continue;
            }
            entries.sort_unstable_by_key(|e| e.0);
            table.push((key, entries));
        }
        Model::from_table(self.classes, table)
    }
}

pub fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

pub fn put_strings(out: &mut Vec<u8>, list: &[String]) {
    put_u32(out, list.len() as u32);
    for s in list {
        put_str(out, s);
    }
}

/// Cursor over a model file.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    what: String,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], what: &str, magic: &[u8]) -> Result<Self, SyntaxError> {
        let mut r = Reader { bytes, pos: 0, what: what.to_string() };
        if r.take(magic.len())? != magic {
            return Err(r.error("wrong magic (not a model of this kind, or empty file)"));
        }
        Ok(r)
    }

    pub fn error(&self, reason: &str) -> SyntaxError {
        SyntaxError::BadModel { what: self.what.clone(), reason: reason.to_string() }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], SyntaxError> {
        if n > self.bytes.len() - self.pos {
            return Err(self.error("truncated"));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub fn u16(&mut self) -> Result<u16, SyntaxError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }
    pub fn u32(&mut self) -> Result<u32, SyntaxError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub fn u64(&mut self) -> Result<u64, SyntaxError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    pub fn f32(&mut self) -> Result<f32, SyntaxError> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], SyntaxError> {
        self.take(n)
    }
    pub fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }
    pub fn string(&mut self) -> Result<String, SyntaxError> {
        let n = self.u32()? as usize;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| self.error("invalid UTF-8"))
    }
    pub fn strings(&mut self) -> Result<Vec<String>, SyntaxError> {
        let n = self.u32()? as usize;
        (0..n).map(|_| self.string()).collect()
    }
}

/// Small deterministic generator (xorshift64*) for shuffling and exploration.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Index of the best score among allowed classes.
pub fn argmax(scores: &[f32], allowed: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, s) in scores.iter().enumerate() {
        if allowed(i) && best.is_none_or(|b| *s > scores[b]) {
            best = Some(i);
        }
    }
    best
}
