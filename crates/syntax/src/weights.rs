//! The frozen weights of an averaged perceptron, laid out for scoring speed.
//!
//! Scoring a parser state looks up about a hundred features in a table far larger than the
//! CPU caches, so nearly every lookup is a cache miss: the layout is built to take few
//! misses, and to take them all at once rather than one after the other.
//!
//! - `slots` is an open-addressing table of one `u64` per slot: the key's low 32 bits as a
//!   fingerprint and the position of its run in `runs`. A lookup usually reads one cache line.
//! - `runs` holds, per feature, a length word then one word per class: the `f32` weight with
//!   its lowest mantissa bits replaced by the class number (at most 12 bits, so weights keep
//!   at least 11 bits of mantissa; the shipped models need 7 bits and keep 16).
//! - `scores` first prefetches the home slots of all features, then finds them, then
//!   prefetches their runs, then adds them up: the cache misses overlap.
//! - Runs are laid out longest first: frequent features have weights for many classes, so
//!   the often-read runs sit densely together and more of them stay in cache.
//!
//! Two keys sharing a 32-bit fingerprint within one probe chain would shadow each other; at
//! a million features that is about one feature in ten million, and harmless.

use crate::SyntaxError;
use crate::perceptron::{Reader, put_u32};

/// Slots per feature: a load factor of 0.625 keeps probe chains short for absent keys too.
const SLOTS_PER_FEATURE_NUM: usize = 8;
const SLOTS_PER_FEATURE_DEN: usize = 5;
/// Features scored per batch of lookups (a stack buffer of their run positions).
const BATCH: usize = 64;
/// Words of `runs` in one 64-byte cache line.
const CACHE_LINE_WORDS: usize = 16;
/// More classes would leave too few mantissa bits for the weights.
const MAX_CLASS_BITS: u32 = 12;

/// Frozen averaged perceptron for prediction.
pub struct Model {
    classes: usize,
    class_mask: u32,
    slots: Vec<u64>,
    runs: Vec<u32>,
    /// Runs before this position are dense (they come first, being the longest).
    dense_end: usize,
    /// Feature keys in ascending order with their run positions, for writing the model out.
    keys: Vec<(u64, u32)>,
}

impl Model {
    /// Builds the table from `(key, [(class, weight)])` in ascending key order.
    pub fn from_table(classes: usize, table: Vec<(u64, Vec<(u16, f32)>)>) -> Model {
        Self::build(classes, table.into_iter().map(|(k, e)| (k, e.into_iter()))).expect("trained class count fits")
    }

    fn build<E>(classes: usize, table: impl ExactSizeIterator<Item = (u64, E)>) -> Result<Model, &'static str>
    where
        E: Iterator<Item = (u16, f32)>,
    {
        let class_bits = (usize::BITS - classes.saturating_sub(1).leading_zeros()).max(1);
        if class_bits > MAX_CLASS_BITS {
            return Err("too many classes");
        }
        let mut model = Model {
            classes,
            class_mask: (1 << class_bits) - 1,
            slots: vec![0; (table.len() * SLOTS_PER_FEATURE_NUM / SLOTS_PER_FEATURE_DEN).max(8)],
            runs: Vec::new(),
            dense_end: 0,
            keys: Vec::with_capacity(table.len()),
        };
        let mut packed: Vec<(u64, Vec<u32>)> = Vec::with_capacity(table.len());
        for (key, entries) in table {
            let mut run = Vec::new();
            for (class, weight) in entries {
                if usize::from(class) >= classes {
                    return Err("class out of range");
                }
                run.push(model.pack(class, weight));
            }
            packed.push((key, run));
        }
        // Frequent features have weights for many classes: laying the long runs out first
        // packs the often-read ones densely, so more of them stay in cache.
        let mut order: Vec<usize> = (0..packed.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(packed[i].1.len()));
        let mut position = vec![0u32; packed.len()];
        for i in order {
            let run = &packed[i].1;
            position[i] = u32::try_from(model.runs.len()).map_err(|_| "too many weights")?;
            model.runs.push(run.len() as u32);
            if model.is_dense(run.len()) {
                let start = model.runs.len();
                model.runs.resize(start + classes, 0);
                for word in run {
                    let (class, weight) = model.unpack(*word);
                    model.runs[start + class] = weight.to_bits();
                }
                model.dense_end = model.runs.len();
            } else {
                model.runs.extend_from_slice(run);
            }
        }
        for ((key, _), run) in packed.iter().zip(position) {
            model.insert(*key, run);
            model.keys.push((*key, run));
        }
        Ok(model)
    }

    /// Runs with weights for most classes are stored densely, one word per class (the
    /// masked weight, 0 for none): they are added up without scattering, in SIMD.
    fn is_dense(&self, len: usize) -> bool {
        len * 4 >= self.classes * 3
    }

    fn pack(&self, class: u16, weight: f32) -> u32 {
        (weight.to_bits() & !self.class_mask) | u32::from(class)
    }

    fn unpack(&self, word: u32) -> (usize, f32) {
        ((word & self.class_mask) as usize, f32::from_bits(word & !self.class_mask))
    }

    /// Home slot of a key: its high bits scaled to the table size.
    fn home(&self, key: u64) -> usize {
        ((u128::from(key) * self.slots.len() as u128) >> 64) as usize
    }

    fn insert(&mut self, key: u64, run: u32) {
        let mut i = self.home(key);
        while self.slots[i] != 0 {
            i = if i + 1 == self.slots.len() { 0 } else { i + 1 };
        }
        // Run positions are stored plus one so that an empty slot is 0.
        self.slots[i] = (key << 32) | u64::from(run + 1);
    }

    /// Position in `runs` of the feature's length word.
    #[inline]
    fn find(&self, key: u64) -> Option<usize> {
        let mut i = self.home(key);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            if slot >> 32 == key & 0xFFFF_FFFF {
                return Some((slot as u32 - 1) as usize);
            }
            i = if i + 1 == self.slots.len() { 0 } else { i + 1 };
        }
    }

    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Sum of the weights of `features` for every class.
    pub fn scores(&self, features: &[u64], out: &mut Vec<f32>) {
        out.clear();
        out.resize(self.classes, 0.0);
        let mut runs = [0usize; BATCH];
        for batch in features.chunks(BATCH) {
            // Ask for every home slot before using any, so that their misses are in flight
            // together rather than one after the other.
            for &f in batch {
                prefetch(&self.slots[self.home(f)]);
            }
            let mut found = 0;
            for &f in batch {
                if let Some(run) = self.find(f) {
                    runs[found] = run;
                    found += 1;
                }
            }
            for &run in &runs[..found] {
                let end = if run < self.dense_end { run + 1 + self.classes } else { run + 1 };
                for line in (run..end).step_by(CACHE_LINE_WORDS) {
                    prefetch(&self.runs[line]);
                }
            }
            for &run in &runs[..found] {
                if run < self.dense_end {
                    for (score, word) in out.iter_mut().zip(&self.runs[run + 1..run + 1 + self.classes]) {
                        *score += f32::from_bits(*word);
                    }
                    continue;
                }
                let len = self.runs[run] as usize;
                for &word in &self.runs[run + 1..run + 1 + len] {
                    let (class, weight) = self.unpack(word);
                    out[class] += weight;
                }
            }
        }
    }

    /// Appends the model: class count, feature count, entry count, keys, entry ends,
    /// entry classes (u16), entry weights (f32), all little-endian.
    pub fn write(&self, out: &mut Vec<u8>) {
        let runs = self.runs_in_order();
        let entries: usize = runs.iter().map(|r| r.len()).sum();
        put_u32(out, self.classes as u32);
        put_u32(out, self.keys.len() as u32);
        put_u32(out, entries as u32);
        for (k, _) in &self.keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        let mut end = 0;
        for run in &runs {
            end += run.len() as u32;
            put_u32(out, end);
        }
        for word in runs.iter().flat_map(|r| r.iter()) {
            out.extend_from_slice(&(self.unpack(*word).0 as u16).to_le_bytes());
        }
        for word in runs.iter().flat_map(|r| r.iter()) {
            out.extend_from_slice(&self.unpack(*word).1.to_le_bytes());
        }
    }

    /// The packed entry words of each feature, in key order.
    fn runs_in_order(&self) -> Vec<Vec<u32>> {
        let run = |pos: u32| {
            let pos = pos as usize;
            if pos < self.dense_end {
                let dense = &self.runs[pos + 1..pos + 1 + self.classes];
                dense.iter().enumerate().filter(|(_, w)| **w != 0).map(|(c, w)| w | c as u32).collect()
            } else {
                self.runs[pos + 1..pos + 1 + self.runs[pos] as usize].to_vec()
            }
        };
        self.keys.iter().map(|(_, pos)| run(*pos)).collect()
    }

    pub fn read(input: &mut Reader) -> Result<Model, SyntaxError> {
        let classes = input.u32()? as usize;
        let features = input.u32()? as usize;
        let entries = input.u32()? as usize;
        let keys: Vec<u64> = (0..features).map(|_| input.u64()).collect::<Result<_, _>>()?;
        let ends: Vec<u32> = (0..features).map(|_| input.u32()).collect::<Result<_, _>>()?;
        let entry_class: Vec<u16> = (0..entries).map(|_| input.u16()).collect::<Result<_, _>>()?;
        let entry_weight: Vec<f32> = (0..entries).map(|_| input.u32().map(f32::from_bits)).collect::<Result<_, _>>()?;
        let mut bounds = Vec::with_capacity(features);
        let mut start = 0usize;
        for end in &ends {
            let end = *end as usize;
            if end < start || end > entries {
                return Err(input.error("entry offsets out of order"));
            }
            bounds.push(start..end);
            start = end;
        }
        let table = keys.iter().zip(bounds).map(|(k, range)| {
            let entries = entry_class[range.clone()].iter().copied().zip(entry_weight[range].iter().copied());
            (*k, entries)
        });
        Model::build(classes, table).map_err(|reason| input.error(reason))
    }
}

/// Asks the CPU to start loading the cache line of `p`, without waiting for it.
#[inline(always)]
fn prefetch<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing into registers, cannot fault, and
    // SSE is part of the x86_64 baseline. (The intrinsic is unsafe only for that feature.)
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((p as *const T).cast())
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        // Odd features have a sparse run, even ones a dense run.
        let entries = |i: u64| match i % 2 {
            0 => vec![(0, i as f32), (1, 0.25), (2, -0.5), (4, 1e-3)],
            _ => vec![(0, i as f32), (2, -0.5), (4, 1e-3)],
        };
        let mut table: Vec<_> = (0..1000u64).map(|i| (crate::features::mix(i, 7), entries(i))).collect();
        table.sort_by_key(|e| e.0);
        Model::from_table(5, table)
    }

    #[test]
    fn scores_sum_the_weights_of_present_features() {
        let m = model();
        let mut out = Vec::new();
        let features = [crate::features::mix(3, 7), crate::features::mix(10, 7), 12345];
        m.scores(&features, &mut out);
        assert_eq!(out.len(), 5);
        assert!((out[0] - 13.0).abs() < 1e-3, "{out:?}");
        assert!((out[2] + 1.0).abs() < 1e-4 && out[1] == 0.25 && out[3] == 0.0, "{out:?}");
        assert!((out[4] - 2e-3).abs() < 1e-6, "{out:?}");
    }

    #[test]
    fn write_then_read_gives_the_same_bytes() {
        let mut bytes = b"TESTMAGC".to_vec();
        model().write(&mut bytes);
        let again = Model::read(&mut Reader::new(&bytes, "test", b"TESTMAGC").unwrap()).unwrap();
        let mut second = b"TESTMAGC".to_vec();
        again.write(&mut second);
        assert_eq!(bytes, second);
    }
}
