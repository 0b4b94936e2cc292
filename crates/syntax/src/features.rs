//! Hashing of feature keys and per-word string attributes shared by the models.

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
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h, 0x5151)
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
}

/// Placeholder for positions outside the sentence.
pub const PAD: u64 = 0x7FFF_0000_0000_0001;

impl WordInfo {
    pub fn padding() -> Self {
        WordInfo { form: PAD, lower: PAD, shape: PAD, suffix: [PAD; 4], prefix: [PAD; 3], flags: PAD }
    }

    pub fn new(form: &str) -> Self {
        let lower = normalise(form);
        let chars: Vec<char> = lower.chars().collect();
        let suffix = std::array::from_fn(|i| {
            let n = i + 1;
            let start = chars.len().saturating_sub(n);
            mix(hash_str(&chars[start..].iter().collect::<String>()), n as u64)
        });
        let prefix = std::array::from_fn(|i| {
            let n = (i + 1).min(chars.len());
            mix(hash_str(&chars[..n].iter().collect::<String>()), 100 + i as u64)
        });
        WordInfo {
            form: hash_str(form),
            lower: hash_str(&lower),
            shape: hash_str(&shape(form)),
            suffix,
            prefix,
            flags: flags(form),
        }
    }
}

/// Lowercase, with digits folded to `0` so that numbers share statistics.
pub fn normalise(form: &str) -> String {
    form.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).flat_map(char::to_lowercase).collect()
}

/// Word shape with runs collapsed: "McDonald's" -> "XxXx'x", "2024" -> "d".
pub fn shape(form: &str) -> String {
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
}

fn flags(form: &str) -> u64 {
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
