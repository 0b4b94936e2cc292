//! Hashing of feature keys and per-word string attributes shared by the models.

use crate::vectors::{LEVELS, Vectors};

/// Mixes `value` into `state` (a multiply-xorshift step; good enough spread for 64-bit keys).
#[inline]
pub fn mix(state: u64, value: u64) -> u64 {
    let mut h = (state ^ value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^= h >> 29;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^ (h >> 32)
}

/// Hash of a string (FNV-1a, then mixed).
pub fn hash_str(s: &str) -> u64 {
    let mut h = Fnv::new();
    h.bytes(s.as_bytes());
    h.finish()
}

/// `hash_str(&normalise(form))` without building the string.
pub fn hash_normalised(form: &str) -> u64 {
    let mut h = Fnv::new();
    for c in normalised_chars(form) {
        h.char(c);
    }
    h.finish()
}

/// Streaming FNV-1a over UTF-8 bytes, so that hashes of derived strings (lowercased forms,
/// shapes, affixes) need no allocation; `finish` equals [`hash_str`] of the same bytes.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn char(&mut self, c: char) {
        self.bytes(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
    fn finish(&self) -> u64 {
        mix(self.0, 0x5151)
    }
}

/// Key of feature template `template` over the given values.
#[inline]
pub fn key(template: u64, values: &[u64]) -> u64 {
    let mut h = mix(0x1234_5678, template);
    for v in values {
        h = mix(h, *v);
    }
    h
}

/// Hashed string attributes of one word.
#[derive(Clone, Copy, Default)]
pub struct WordInfo {
    pub form: u64,
    pub lower: u64,
    pub shape: u64,
    pub suffix: [u64; 4],
    pub prefix: [u64; 3],
    /// Bit flags: capitalised, all caps, has digit, has hyphen, has period/other punct.
    pub flags: u64,
    /// The word's distilled-vector cluster at each size, coarse to fine (hashed per level).
    pub cluster: [u64; LEVELS],
}

/// Placeholder for positions outside the sentence.
pub const PAD: u64 = 0x7FFF_0000_0000_0001;

impl WordInfo {
    pub fn padding() -> Self {
        WordInfo {
            form: PAD,
            lower: PAD,
            shape: PAD,
            suffix: [PAD; 4],
            prefix: [PAD; 3],
            flags: PAD,
            cluster: [PAD; LEVELS],
        }
    }

    pub fn new(form: &str) -> Self {
        let lower = normalise(form);
        // Byte offsets of the first four and last four characters of `lower`.
        let starts: Vec<usize> = lower.char_indices().map(|(i, _)| i).collect();
        let count = starts.len();
        let suffix = std::array::from_fn(|i| {
            let n = i + 1;
            let start = starts.get(count.saturating_sub(n)).copied().unwrap_or(lower.len());
            mix(hash_str(&lower[start..]), n as u64)
        });
        let prefix = std::array::from_fn(|i| {
            let n = (i + 1).min(count);
            let end = starts.get(n).copied().unwrap_or(lower.len());
            mix(hash_str(&lower[..end]), 100 + i as u64)
        });
        WordInfo {
            form: hash_str(form),
            lower: hash_str(&lower),
            shape: hash_shape(form),
            suffix,
            prefix,
            flags: flags(form),
            cluster: clusters(form),
        }
    }
}

/// Hashed cluster ids of a word at each level (one feature value per level).
pub fn clusters(form: &str) -> [u64; LEVELS] {
    let ids = Vectors::embedded().clusters(form);
    std::array::from_fn(|level| mix(u64::from(ids[level]), 200 + level as u64))
}

fn normalised_chars(form: &str) -> impl Iterator<Item = char> + '_ {
    form.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).flat_map(char::to_lowercase)
}

/// Lowercase, with digits folded to `0` so that numbers share statistics.
pub fn normalise(form: &str) -> String {
    normalised_chars(form).collect()
}

/// Hash of the word shape with runs collapsed: "McDonald's" -> "XxXx'x", "2024" -> "d".
fn hash_shape(form: &str) -> u64 {
    let mut h = Fnv::new();
    let mut last = None;
    for c in form.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if last != Some(s) {
            h.char(s);
            last = Some(s);
        }
    }
    h.finish()
}

pub(crate) fn flags(form: &str) -> u64 {
    let first_upper = form.chars().next().is_some_and(char::is_uppercase);
    let has_lower = form.chars().any(char::is_lowercase);
    let all_upper = form.chars().any(char::is_uppercase) && !has_lower;
    let digit = form.chars().any(|c| c.is_ascii_digit());
    let hyphen = form.contains('-');
    let alpha = form.chars().any(char::is_alphabetic);
    u64::from(first_upper)
        | u64::from(all_upper) << 1
        | u64::from(digit) << 2
        | u64::from(hyphen) << 3
        | u64::from(alpha) << 4
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The models were trained with these hashes of allocated strings: the streaming ones
    /// must give the same values.
    #[test]
    fn streaming_hashes_match_the_string_hashes() {
        for form in ["McDonald's", "2024", "", "a", "Ünïcode-Straße", "I", "U.S.", "naïve", "ΣΊΣΥΦΟΣ"] {
            assert_eq!(hash_normalised(form), hash_str(&normalise(form)), "{form}");
            let shape: String = {
                let mut out = String::new();
                let mut last = None;
                for c in form.chars() {
                    let s = if c.is_uppercase() {
                        'X'
                    } else if c.is_lowercase() {
                        'x'
                    } else if c.is_numeric() {
                        'd'
                    } else {
                        c
                    };
                    if last != Some(s) {
                        out.push(s);
                        last = Some(s);
                    }
                }
                out
            };
            assert_eq!(hash_shape(form), hash_str(&shape), "{form}");
            let info = WordInfo::new(form);
            let chars: Vec<char> = normalise(form).chars().collect();
            for n in 1..=4 {
                let tail: String = chars[chars.len().saturating_sub(n)..].iter().collect();
                assert_eq!(info.suffix[n - 1], mix(hash_str(&tail), n as u64), "{form} suffix {n}");
            }
            for i in 0..3 {
                let head: String = chars[..(i + 1).min(chars.len())].iter().collect();
                assert_eq!(info.prefix[i], mix(hash_str(&head), 100 + i as u64), "{form} prefix {i}");
            }
        }
    }
}
