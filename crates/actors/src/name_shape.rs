//! The shape of a personal name in running text, read by hand: "Fumio Kishida", "Osama bin
//! Laden", "Peter Taksoe-Jensen", "Bashar al-Assad", "J. Smith". A first word that is a
//! capital and lower-case letters (or an initial), then one to three more words, each
//! capitalised or a particle ("bin", "de", "van", ...), separated by white space.
//!
//! The office patterns once did this with regular expressions over Unicode classes; their
//! capture groups cost most of the time actor annotation took (a backtracker over a large
//! automaton for every title in the text). Reading words one by one is simpler and it keeps
//! a particle a whole word: "Kofi Annan declared" is no "Kofi Annan de".

/// Particles that stand inside a name in lower case, as whole words ("Osama bin Laden",
/// "Ursula von der Leyen", "Luiz Inácio Lula da Silva"). They do not count among a name's
/// words and never end one.
const PARTICLES: &[&str] = &[
    "bin", "bint", "ibn", "ben", "abu", "al", "el", "de", "di", "da", "das", "do", "dos", "du", "des", "del", "della",
    "la", "le", "van", "von", "der", "den", "ter", "zu", "y",
];
/// Particles written with a capital inside a name; like the others they count as no word.
const CAPITAL_PARTICLES: &[&str] =
    &["Al", "El", "Bin", "Ibn", "Abu", "Van", "Von", "De", "Da", "Di", "Del", "Der", "La", "Le"];
/// Particles joined to the next word by a hyphen, in lower case: "Bashar al-Assad", "Abdel
/// Fattah el-Sisi", "Zia ul-Haq".
pub(crate) const HYPHEN_PARTICLES: &[&str] =
    &["al-", "el-", "ad-", "ag-", "an-", "ar-", "as-", "ash-", "at-", "az-", "ul-", "ud-", "bin-", "ben-", "abu-"];

/// Where a name starting at byte `at` may end: after its second, third and fourth word, in
/// that order (empty when no name starts there; particles and middle initials are no words
/// of their own, and no name ends in one). The caller picks the longest end its own pattern
/// allows.
pub(crate) fn name_ends(text: &str, at: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let Some(mut end) = first_word(text, at) else { return ends };
    // Particles and initials in a row, at most: "Ursula von der Leyen", "George H. W. Bush".
    let mut inner = 0;
    while ends.len() < 3 && inner <= 2 {
        let gap = white_space(text, end);
        if gap == end {
            break;
        }
        let Some((next, word)) = next_word(text, gap) else { break };
        end = next;
        if word == Word::Full {
            ends.push(next);
            inner = 0;
        } else {
            inner += 1;
        }
    }
    ends
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    /// A capitalised word or one with a hyphenated particle: a name may end with it.
    Full,
    /// A particle or a middle initial: a name goes on after it.
    Inner,
}

/// The longest name starting at `at` that what follows it allows (`follows` is given the
/// name's end).
pub(crate) fn name_at(text: &str, at: usize, follows: impl Fn(usize) -> bool) -> Option<usize> {
    name_ends(text, at).into_iter().rev().find(|&end| follows(end))
}

/// A name that ends at byte `end` ("... said Fumio Kishida|, the prime minister"): its start,
/// the earliest of up to four words back from which a name runs to exactly there.
pub(crate) fn name_ending_at(text: &str, end: usize) -> Option<usize> {
    let mut starts = Vec::new();
    let mut at = end;
    // Four words, with particles and initials between them.
    for _ in 0..8 {
        let word_start =
            text[..at].rfind(char::is_whitespace).map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
        if word_start == at {
            break;
        }
        starts.push(word_start);
        at = text[..word_start].trim_end_matches(char::is_whitespace).len();
        if at == word_start || at == 0 {
            break;
        }
    }
    // A word may open with punctuation: "(Fumio Kishida".
    let starts = starts.into_iter().rev().map(|s| s + run_len(&text[s..end], |c| !c.is_alphanumeric()));
    starts.filter(|&s| s < end).find(|&s| starts_a_word(text, s) && name_ends(text, s).contains(&end))
}

/// A capitalised word and nothing else, ending at a word boundary ("President Yoon said"):
/// its end. An apostrophe at the end is not part of it ("Jones' plan").
pub(crate) fn surname_at(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let cap = capital(rest)?;
    let run = cap + run_len(&rest[cap..], |c| c.is_lowercase() || is_apostrophe(c));
    if run == cap {
        return None;
    }
    // A hyphenated second part ("Suk-yeol"), then the plain word, then shorter ones that end
    // before an apostrophe.
    if let Some(tail) = hyphen_tail(rest, run)
        && boundary(rest, tail)
    {
        return Some(at + tail);
    }
    let mut end = run;
    while end > cap {
        if boundary(rest, end) {
            return Some(at + end);
        }
        end = rest[..end].char_indices().next_back().map_or(cap, |(i, _)| i);
    }
    None
}

/// The length of the capital letter `s` starts with (of any script: "Émile", "Łukasz"), if
/// it starts with one.
fn capital(s: &str) -> Option<usize> {
    s.chars().next().filter(|c| c.is_uppercase()).map(char::len_utf8)
}

/// "Fumio", "Émile", "J.", not "McDonald" (a first word is a capital and lower-case letters).
fn first_word(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let cap = capital(rest)?;
    let run = without_possessive(rest, cap + run_len(&rest[cap..], |c| c.is_lowercase() || is_apostrophe(c)));
    if run > cap {
        return Some(at + hyphen_tail(rest, run).unwrap_or(run));
    }
    rest[cap..].starts_with('.').then_some(at + cap + 1)
}

/// A later word of a name: capitalised ("Kishida", "McDonald", "Taksoe-Jensen", "Erdoğan"),
/// with a hyphenated particle ("al-Assad", "el-Sisi"), a particle ("bin", "van der") or a
/// middle initial ("W."), each a whole word.
fn next_word(text: &str, at: usize) -> Option<(usize, Word)> {
    let rest = &text[at..];
    if let Some(cap) = capital(rest) {
        let run = without_possessive(rest, cap + run_len(&rest[cap..], |c| c.is_alphabetic() || is_apostrophe(c)));
        if run == cap {
            // "W. Bush": an initial, then more of the name.
            let initial = rest[cap..].starts_with('.') && rest[cap + 1..].starts_with(char::is_whitespace);
            return initial.then_some((at + cap + 1, Word::Inner));
        }
        // "Tamim bin Hamad Al Thani", "Ahmed Abu Bakr": a capitalised particle inside a name.
        let word = if CAPITAL_PARTICLES.contains(&&rest[..run]) { Word::Inner } else { Word::Full };
        return Some((at + hyphen_tail(rest, run).unwrap_or(run), word));
    }
    for particle in HYPHEN_PARTICLES {
        if let Some(after) = rest.strip_prefix(particle)
            && let Some(cap) = capital(after)
        {
            let run = cap + run_len(&after[cap..], char::is_lowercase);
            return (run > cap).then(|| (at + particle.len() + hyphen_tail(after, run).unwrap_or(run), Word::Full));
        }
    }
    let word = run_len(rest, char::is_alphabetic);
    PARTICLES.contains(&&rest[..word]).then_some((at + word, Word::Inner))
}

/// The words of a name as a name compares: folded to ASCII lower case, without particles,
/// whether alone or hyphenated ("Ayman al-Zawahiri" and "Ayman Zawahiri" are [ayman, zawahiri]).
pub(crate) fn name_words(name: &str) -> Vec<String> {
    name.split_whitespace()
        .map(|w| {
            let particle = HYPHEN_PARTICLES.iter().find(|p| w.len() > p.len() && w.starts_with(*p));
            crate::people::slug(particle.map_or(w, |p| &w[p.len()..]))
        })
        .filter(|w| !w.is_empty() && !PARTICLES.contains(&w.as_str()))
        .collect()
}

/// The end of a word of `run` bytes without a possessive ending: "Putin's" is Putin, "Jones'"
/// Jones ("O'Brien" keeps its apostrophe).
fn without_possessive(rest: &str, run: usize) -> usize {
    let word = &rest[..run];
    for ending in ["'s", "’s", "'", "’"] {
        if let Some(stem) = word.strip_suffix(ending) {
            return stem.len();
        }
    }
    run
}

/// The end of "-Jensen" after a word ending at `end`, if a hyphen and letters follow.
fn hyphen_tail(rest: &str, end: usize) -> Option<usize> {
    let after = rest[end..].strip_prefix('-')?;
    let letters = run_len(after, char::is_alphabetic);
    (letters > 0).then_some(end + 1 + letters)
}

/// The end of the white space from `at` (or `at` itself).
pub(crate) fn white_space(text: &str, at: usize) -> usize {
    at + run_len(&text[at..], char::is_whitespace)
}

/// Bytes at the start of `s` whose characters satisfy `keep`.
pub(crate) fn run_len(s: &str, keep: impl Fn(char) -> bool) -> usize {
    s.char_indices().find(|&(_, c)| !keep(c)).map_or(s.len(), |(i, _)| i)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `at` is a word boundary in `s`: a word character on one side only.
fn boundary(s: &str, at: usize) -> bool {
    let before = s[..at].chars().next_back().is_some_and(is_word_char);
    let after = s[at..].chars().next().is_some_and(is_word_char);
    before != after
}

/// Words (runs of characters `in_word` keeps) that start with a capital, with their byte
/// offsets. A byte scan finds the capitals (only a multi-byte character is read as Unicode):
/// reading every character so was most of the time of the rules that need these words.
pub(crate) fn capitalised_words(text: &str, in_word: fn(char) -> bool) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut next = 0;
    std::iter::from_fn(move || {
        while next < bytes.len() {
            // Lower-case runs are most of the text, and no capital inside one starts a word.
            while next < bytes.len() && bytes[next].is_ascii_lowercase() {
                next += 1;
            }
            let Some(&byte) = bytes.get(next) else { break };
            let start = next;
            next += 1;
            let capital = match byte {
                b if b.is_ascii_uppercase() => true,
                b if b >= 0xC0 => text[start..].chars().next().is_some_and(char::is_uppercase),
                _ => false,
            };
            if !capital || text[..start].chars().next_back().is_some_and(in_word) {
                continue;
            }
            let end = text[start..].find(|c: char| !in_word(c)).map_or(text.len(), |n| start + n);
            next = end;
            return Some((start, &text[start..end]));
        }
        None
    })
}

/// Whether a word starts at `at` (no letter or digit right before it).
pub(crate) fn starts_a_word(text: &str, at: usize) -> bool {
    !text[..at].chars().next_back().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Option<&str> {
        name_at(text, 0, |_| true).map(|end| &text[..end])
    }

    #[test]
    fn names_and_where_they_end() {
        assert_eq!(name("Fumio Kishida arrived"), Some("Fumio Kishida"));
        assert_eq!(name("Osama bin Laden said"), Some("Osama bin Laden"));
        assert_eq!(name("Peter Taksoe-Jensen, told"), Some("Peter Taksoe-Jensen"));
        assert_eq!(name("Bashar al-Assad's forces"), Some("Bashar al-Assad"));
        assert_eq!(name("J. Smith"), Some("J. Smith"));
        assert_eq!(name("Kofi Annan declared"), Some("Kofi Annan"), "a particle is a whole word");
        assert_eq!(
            name("Charles de Gaulle Airport Terminal Two"),
            Some("Charles de Gaulle Airport Terminal"),
            "four words at most; a particle is none"
        );
        assert_eq!(name("McDonald Trump"), None, "a first word is a capital and lower-case letters");
        assert_eq!(name("Kishida said"), None, "two words at least");
    }

    #[test]
    fn names_of_any_region_and_script() {
        let cases = [
            ("Recep Tayyip Erdoğan said", Some("Recep Tayyip Erdoğan")),
            ("Abdel Fattah el-Sisi met", Some("Abdel Fattah el-Sisi")),
            ("Mohammed Shia al-Sudani met", Some("Mohammed Shia al-Sudani")),
            ("Ursula von der Leyen said", Some("Ursula von der Leyen")),
            ("Luiz Inácio Lula da Silva, Brazil's", Some("Luiz Inácio Lula da Silva")),
            ("George W. Bush said", Some("George W. Bush")),
            ("George H. W. Bush said", Some("George H. W. Bush")),
            ("Émile Zola wrote", Some("Émile Zola")),
            ("Łukasz Kowalski wrote", Some("Łukasz Kowalski")),
            ("Şehbaz Şerif said", Some("Şehbaz Şerif")),
            ("Kassym-Jomart Tokayev said", Some("Kassym-Jomart Tokayev")),
            ("Ali bin Hussein said", Some("Ali bin Hussein")),
            ("Zia ul-Haq ruled", Some("Zia ul-Haq")),
            ("Mark Rutte de facto", Some("Mark Rutte")),
            ("Kofi Annan de", Some("Kofi Annan")),
            ("George W. said", None),
            ("Sheikh Tamim bin Hamad Al Thani, the emir", Some("Sheikh Tamim bin Hamad Al Thani")),
            ("Ahmed Al said", None),
            // A possessive is no part of a name.
            ("Vladimir Putin's plan", Some("Vladimir Putin")),
            ("Tom Jones' plan", Some("Tom Jones")),
            ("Conan O'Brien said", Some("Conan O'Brien")),
            ("Recep Tayyip Erdoğan’s office", Some("Recep Tayyip Erdoğan")),
        ];
        for (text, want) in cases {
            assert_eq!(name(text), want, "{text}");
        }
        let text = "said Abdel Fattah el-Sisi, the president";
        let end = text.find(',').unwrap();
        assert_eq!(name_ending_at(text, end).map(|s| &text[s..end]), Some("Abdel Fattah el-Sisi"));
        let text = "with Luiz Inácio Lula da Silva, Brazil's president";
        let end = text.find(',').unwrap();
        assert_eq!(name_ending_at(text, end).map(|s| &text[s..end]), Some("Luiz Inácio Lula da Silva"));
        assert_eq!(surname_at("Erdoğan said", 0), Some("Erdoğan".len()));
        assert_eq!(surname_at("Ómar said", 0), Some("Ómar".len()));
    }

    #[test]
    fn a_name_read_back_from_its_end() {
        let text = "said Fumio Kishida, the prime minister";
        let end = text.find(',').unwrap();
        assert_eq!(name_ending_at(text, end).map(|s| &text[s..end]), Some("Fumio Kishida"));
        let text = "the secretary general of NATO, the";
        assert_eq!(name_ending_at(text, text.find(',').unwrap()), None);
        let text = "(Fumio Kishida, the";
        assert_eq!(name_ending_at(text, text.find(',').unwrap()), Some(1), "after an opening bracket");
        let text = "McDonald Trump, the";
        assert_eq!(name_ending_at(text, text.find(',').unwrap()), None, "no name starts inside a word");
    }

    #[test]
    fn surnames_end_at_a_word_boundary() {
        fn surname(t: &str) -> Option<&str> {
            surname_at(t, 0).map(|e| &t[..e])
        }
        assert_eq!(surname("Yoon said"), Some("Yoon"));
        assert_eq!(surname("Jones' plan"), Some("Jones"));
        assert_eq!(surname("Kishida’s visit"), Some("Kishida’s"));
        assert_eq!(surname("Suk-yeol said"), Some("Suk-yeol"));
        assert_eq!(surname("KishidaX"), None);
    }
}
