//! A news tokenizer: one pass over the text, byte spans, no allocation per token.
//!
//! Words keep internal hyphens ("Asia-Pacific", "Japan-NATO") and apostrophes ("O'Brien"), but
//! English clitics are split off ("Japan" + "'s", "do" + "n't") as treebanks do. Abbreviations
//! keep their full stop ("U.S.", "Gen.", "Jan.", initials "R."), so the sentence splitter can
//! tell a full stop that ends a sentence (a lone `.` token) from one that may not.

use entente_document::{Span, Token, TokenKind};

/// Words that are abbreviated with a full stop in news text. Lower case, without the stop.
/// Titles and month names rarely end a sentence; the splitter treats them as non-final.
pub(crate) const TITLE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "sgt", "adm", "gov", "sen", "rep",
    "rev", "st", "mt", "ft", "pres", "amb", "hon", "sec", "supt", "insp", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vs", "v", "fig", "vol", "pp", "art", "ch", "approx",
    "est", "dept", "univ", "brig",
];

/// Abbreviations that often end a sentence too ("... based in the U.S.", "... Apple Inc.").
pub(crate) const OTHER_ABBREVIATIONS: &[&str] =
    &["inc", "corp", "co", "ltd", "jr", "sr", "etc", "bros", "plc", "llc", "ave", "blvd", "rd"];

pub(crate) fn is_title_abbreviation(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    TITLE_ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(w))
}

fn is_abbreviation(word: &str) -> bool {
    is_title_abbreviation(word) || OTHER_ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

const CLITICS: &[&str] = &["s", "re", "ve", "ll", "d", "m"];

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

/// Splits `text` into tokens with byte spans.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let c = char_at(text, i);
        if c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' {
            i += c.len_utf8();
            continue;
        }
        if is_word_char(c) {
            i = push_word(text, i, &mut tokens);
        } else {
            i = push_punct(text, i, c, &mut tokens);
        }
    }
    tokens
}

fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 0x80 { b as char } else { text[i..].chars().next().unwrap_or('\u{fffd}') }
}

/// Scans a word or number starting at `start`, pushes it (and a split clitic) and returns
/// the offset after it.
fn push_word(text: &str, start: usize, tokens: &mut Vec<Token>) -> usize {
    let numeric = text.as_bytes()[start].is_ascii_digit();
    let mut end = start;
    let mut iter = text[start..].char_indices().peekable();
    while let Some((off, c)) = iter.next() {
        let pos = start + off;
        if is_word_char(c) {
            end = pos + c.len_utf8();
            continue;
        }
        let next = iter.peek().map(|&(_, n)| n);
        let joins = match c {
            // "Asia-Pacific", "U.S.-led", "11-12"
            '-' | '‑' => next.is_some_and(is_word_char),
            // "1,000", "3.5", "10:30", "4/5/2024" inside numbers only
            ',' | '.' | ':' | '/' if numeric => next.is_some_and(|n| n.is_ascii_digit()),
            // "O'Brien", but not the clitic of "Japan's" (split below)
            '\'' | '’' => next.is_some_and(|n| n.is_alphabetic()),
            _ => false,
        };
        if !joins {
            break;
        }
        end = pos + c.len_utf8();
    }
    // Acronyms with stops ("U.S.", "e.g.") and abbreviations ("Gen.", "Jan.") keep the stop.
    end = extend_abbreviation(text, start, end);
    let word_end = split_clitic(text, start, end, tokens, numeric);
    if word_end < end {
        tokens.push(Token { span: Span::new(word_end, end), kind: TokenKind::Word });
    }
    end
}

/// Pushes the word `[start, end)` minus a trailing clitic and returns where the clitic starts
/// (or `end` when there is none).
fn split_clitic(text: &str, start: usize, end: usize, tokens: &mut Vec<Token>, numeric: bool) -> usize {
    let word = &text[start..end];
    let mut cut = end;
    if let Some(pos) = word.rfind(is_apostrophe) {
        let after = &word[pos..].trim_start_matches(is_apostrophe);
        if pos > 0 && CLITICS.iter().any(|c| c.eq_ignore_ascii_case(after)) {
            cut = start + pos;
        }
    }
    if cut == end && word.len() > 3 && word.get(word.len() - 3..).is_some_and(|t| t.eq_ignore_ascii_case("n't")) {
        cut = end - 3;
    } else if cut == end && word.len() > 3 && word.ends_with("n’t") {
        cut = end - "n’t".len();
    }
    let kind = if numeric { TokenKind::Number } else { TokenKind::Word };
    tokens.push(Token { span: Span::new(start, cut), kind });
    cut
}

fn extend_abbreviation(text: &str, start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    if bytes.get(end) != Some(&b'.') {
        return end;
    }
    let word = &text[start..end];
    if word.len() == 1 && bytes[start].is_ascii_alphabetic() {
        // An initial ("R.") or single letters chained by stops ("U.S.", "e.g.", "a.m.").
        let mut stop = end;
        while bytes.get(stop + 1).is_some_and(u8::is_ascii_alphabetic) && bytes.get(stop + 2) == Some(&b'.') {
            stop += 2;
        }
        let mut after = stop + 1;
        // "U.S.-hosted": the word goes on after the acronym.
        if bytes.get(after) == Some(&b'-') && bytes.get(after + 1).is_some_and(u8::is_ascii_alphanumeric) {
            after += 1;
            while bytes.get(after).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-') {
                after += 1;
            }
        }
        return after;
    }
    if is_abbreviation(word) { end + 1 } else { end }
}

fn push_punct(text: &str, start: usize, c: char, tokens: &mut Vec<Token>) -> usize {
    let mut end = start + c.len_utf8();
    // Runs of the same stop or dash ("...", "--", "?!") are one token.
    if matches!(c, '.' | '!' | '?' | '-') {
        while let Some(n) = text[end..].chars().next() {
            if n == c || (matches!(c, '!' | '?') && matches!(n, '!' | '?')) {
                end += n.len_utf8();
            } else {
                break;
            }
        }
    }
    let kind = if c.is_ascii_punctuation()
        && !matches!(c, '$' | '%' | '&' | '+' | '<' | '=' | '>' | '^' | '|' | '~' | '#' | '@')
        || is_unicode_punct(c)
    {
        TokenKind::Punct
    } else {
        TokenKind::Symbol
    };
    tokens.push(Token { span: Span::new(start, end), kind });
    end
}

pub(crate) fn is_unicode_punct(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '‘'
            | '’'
            | '«'
            | '»'
            | '„'
            | '‚'
            | '–'
            | '—'
            | '…'
            | '·'
            | '•'
            | '‹'
            | '›'
            | '¡'
            | '¿'
            | '「'
            | '」'
            | '。'
            | '、'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.span.of(text)).collect()
    }

    #[test]
    fn splits_clitics_and_keeps_hyphens() {
        assert_eq!(words("Japan's Asia-Pacific ties"), ["Japan", "'s", "Asia-Pacific", "ties"]);
        assert_eq!(words("Japan’s"), ["Japan", "’s"]);
        assert_eq!(words("don't O'Brien"), ["do", "n't", "O'Brien"]);
    }

    #[test]
    fn keeps_abbreviation_stops() {
        assert_eq!(words("the U.S. and Gen. Milley"), ["the", "U.S.", "and", "Gen.", "Milley"]);
        assert_eq!(words("U.S.-hosted summit"), ["U.S.-hosted", "summit"]);
        assert_eq!(words("Joe R. Biden"), ["Joe", "R.", "Biden"]);
        assert_eq!(words("on Jan. 31, 2023."), ["on", "Jan.", "31", ",", "2023", "."]);
    }

    #[test]
    fn numbers_and_punctuation() {
        assert_eq!(
            words("1,000 troops, 3.5% on 4/5/2024..."),
            ["1,000", "troops", ",", "3.5", "%", "on", "4/5/2024", "..."]
        );
        assert_eq!(words("“Yes,” he said."), ["“", "Yes", ",", "”", "he", "said", "."]);
        let toks = tokenize("11th July");
        assert_eq!(toks[0].kind, TokenKind::Number);
    }

    #[test]
    fn spans_are_on_char_boundaries() {
        let text = "Valérie Niquet – Élysée, Kyiv’s “tentacles”… 東京 en matière de sécurité";
        for t in tokenize(text) {
            assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            assert!(!t.span.is_empty());
        }
    }
}
