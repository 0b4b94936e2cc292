//! Mutations: the byte-level ones every fuzzer has, and the ones that found this project's
//! real faults: a multi-byte character where ASCII was expected, a token repeated until the
//! input nests or repeats far past what any page does, and splices of two inputs.

use crate::rng::Rng;
use crate::target::TEXT_WORDS;

/// No input grows past this: large enough for nesting 100k deep, small enough that an input
/// runs in well under a second when the code is linear.
pub const MAX_INPUT: usize = 4 << 20;

/// Applies one to eight mutations to `input`.
pub fn mutate(input: &mut Vec<u8>, dictionary: &[&[u8]], other: &[u8], rng: &mut Rng) {
    for _ in 0..1 + rng.below(8) {
        mutate_once(input, dictionary, other, rng);
    }
    input.truncate(MAX_INPUT);
}

fn mutate_once(input: &mut Vec<u8>, dictionary: &[&[u8]], other: &[u8], rng: &mut Rng) {
    let at = rng.below(input.len() + 1);
    let word = |rng: &mut Rng| -> &[u8] {
        match dictionary.is_empty() || rng.chance(2) {
            true => TEXT_WORDS[rng.below(TEXT_WORDS.len())],
            false => dictionary[rng.below(dictionary.len())],
        }
    };
    match rng.below(11) {
        0 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] ^= 1 << rng.below(8);
        }
        1 => input.insert(at, rng.next_u64() as u8),
        2 if !input.is_empty() => {
            let end = (at + 1 + rng.below(64)).min(input.len());
            input.drain(at.min(end)..end);
        }
        3 | 4 => {
            let w = word(rng);
            input.splice(at..at, w.iter().copied());
        }
        5 => swap_spaces(input, rng),
        6 if !input.is_empty() => {
            let start = rng.below(input.len());
            let end = (start + 1 + rng.below(256)).min(input.len());
            let piece = input[start..end].to_vec();
            input.splice(at..at, piece);
        }
        7 => {
            // A bomb: one token many times (nesting, long runs, many records).
            let w = word(rng);
            // Mostly small, so most inputs stay quick; now and then as large as inputs go.
            let most = if rng.chance(16) { MAX_INPUT } else { 16 << 10 };
            let times = rng.log_count(most / w.len().max(1));
            let bomb: Vec<u8> = w.iter().copied().cycle().take(w.len() * times).collect();
            input.splice(at..at, bomb);
        }
        8 if !other.is_empty() => {
            let from = rng.below(other.len());
            let piece = &other[from..(from + 1 + rng.below(4096)).min(other.len())];
            input.splice(at..at, piece.iter().copied());
        }
        9 => input.truncate(at),
        _ => replace_number(input, rng),
    }
}

/// Replaces one ASCII space with a space that is not ASCII (no-break, ideographic, thin).
fn swap_spaces(input: &mut Vec<u8>, rng: &mut Rng) {
    let spaces: Vec<usize> = input.iter().enumerate().filter(|&(_, &b)| b == b' ').map(|(i, _)| i).take(4096).collect();
    if spaces.is_empty() {
        return;
    }
    let i = *rng.pick(&spaces);
    let wide = *rng.pick(&["\u{a0}", "\u{3000}", "\u{2009}", "\u{202f}", "\u{2028}"]);
    input.splice(i..=i, wide.bytes());
}

/// Replaces a run of digits with a number at the edges: zero, huge, negative.
fn replace_number(input: &mut Vec<u8>, rng: &mut Rng) {
    let Some(start) = (0..input.len())
        .map(|k| (k + rng.below(input.len().max(1))) % input.len())
        .take(64)
        .find(|&i| input[i].is_ascii_digit())
    else {
        return;
    };
    let end = input[start..].iter().position(|b| !b.is_ascii_digit()).map_or(input.len(), |n| start + n);
    let value = *rng.pick(&["0", "-1", "4294967296", "18446744073709551616", "99999999999999999999999", "1e308"]);
    input.splice(start..end, value.bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_stay_within_the_size_cap_and_change_the_input() {
        let mut rng = Rng::new(7);
        let mut changed = 0;
        for _ in 0..2000 {
            let mut input = b"<p>Japan met NATO in 2023.</p>".to_vec();
            mutate(&mut input, &[b"<div>"], b"other input", &mut rng);
            assert!(input.len() <= MAX_INPUT);
            changed += usize::from(input != b"<p>Japan met NATO in 2023.</p>");
        }
        assert!(changed > 1900, "{changed} of 2000 changed");
    }

    #[test]
    fn a_space_becomes_a_wide_space() {
        let mut rng = Rng::new(1);
        let mut input = b"a b".to_vec();
        swap_spaces(&mut input, &mut rng);
        assert!(std::str::from_utf8(&input).unwrap().chars().nth(1).is_some_and(|c| c.is_whitespace() && c != ' '));
    }
}
