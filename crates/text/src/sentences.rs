//! Sentence boundaries for news text, decided over the token layer.
//!
//! Rules, in the order they are tried at each gap between two tokens:
//! 1. A blank line always ends a sentence (paragraphs, headlines, bylines, captions).
//! 2. A single line break ends one too, unless the text is hard-wrapped (many lines go on in
//!    lower case), where it ends one only before a list item or after a short line.
//! 3. `.`, `!`, `?` or `…` (with any closing quotes and brackets right after) followed by
//!    space ends a sentence unless the next word starts in lower case.
//! 4. An abbreviation with a stop ("U.S.", "Inc.") ends a sentence only when a typical
//!    sentence opener follows ("... in the U.S. The talks"); titles, months and initials
//!    ("Gen.", "Jan.", "R.") never do.

use crate::tokens::is_title_abbreviation;
use entente_document::{Sentence, Span, Token, TokenKind};

/// Capitalised words that open sentences far more often than they follow an abbreviation.
const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "In",
    "On",
    "At",
    "But",
    "And",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "However",
    "Meanwhile",
    "Yet",
    "So",
    "As",
    "After",
    "Before",
    "When",
    "While",
    "If",
    "Although",
    "Since",
    "For",
    "With",
    "Some",
    "Many",
    "Most",
    "Both",
    "Such",
    "Officials",
    "According",
    "Last",
    "Earlier",
    "Later",
    "Still",
    "Instead",
    "Also",
    "Then",
    "Now",
    "What",
];

const CLOSERS: &[&str] = &["”", "\"", "’", "'", ")", "]", "}", "»", "›"];
const TERMINALS: &[char] = &['.', '!', '?', '…'];
const LIST_MARKERS: &[&str] = &["-", "*", "•", "–", "—", "·"];

/// No sentence has more tokens than this: a run past it (a table flattened to text, a list
/// with no stops, a hostile input) is cut into pieces of this size. Real sentences stay well
/// under it (the longest in UD English EWT and GUM has 159 tokens), and every stage that works a sentence at a time
/// (the coder, the parser) then costs at most this much per piece, whatever the input.
pub const MAX_SENTENCE_TOKENS: usize = 400;

/// Splits the text into sentences over its tokens. Every token belongs to exactly one
/// sentence; sentence spans run from their first token's start to their last token's end.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let wrapped = is_hard_wrapped(text);
    let typical_line = typical_line_length(text);
    let mut sentences = Vec::new();
    let mut first = 0;
    let mut i = 0;
    while i < tokens.len() {
        let last = end_of_closers(text, tokens, i);
        let ends = match tokens.get(last + 1) {
            None => true,
            Some(_) if last + 1 - first >= MAX_SENTENCE_TOKENS => true,
            Some(next) => ends_sentence(text, tokens, i, last, next, wrapped, typical_line),
        };
        if ends {
            push(&mut sentences, tokens, first, last);
            first = last + 1;
        }
        i = last + 1;
    }
    sentences
}

fn push(sentences: &mut Vec<Sentence>, tokens: &[Token], first: usize, last: usize) {
    sentences.push(Sentence {
        span: Span::new(tokens[first].span.start, tokens[last].span.end),
        first_token: first,
        token_count: last + 1 - first,
    });
}

/// After a terminal at `i`, the closing quotes and brackets that belong to its sentence.
fn end_of_closers(text: &str, tokens: &[Token], i: usize) -> usize {
    if !is_terminal(tokens[i].span.of(text)) {
        return i;
    }
    let mut last = i;
    while let Some(next) = tokens.get(last + 1) {
        let adjacent = next.span.start == tokens[last].span.end;
        if adjacent && CLOSERS.contains(&next.span.of(text)) {
            last += 1;
        } else {
            break;
        }
    }
    last
}

fn is_terminal(tok: &str) -> bool {
    tok.chars().all(|c| TERMINALS.contains(&c)) && !tok.is_empty()
}

fn ends_sentence(
    text: &str,
    tokens: &[Token],
    i: usize,
    last: usize,
    next: &Token,
    wrapped: bool,
    typical_line: usize,
) -> bool {
    let gap = &text[tokens[last].span.end..next.span.start];
    let newlines = gap.bytes().filter(|&b| b == b'\n').count();
    if newlines >= 2 {
        return true;
    }
    if newlines == 1 {
        if !wrapped || starts_list_item(text, next) {
            return true;
        }
        let line_start = text[..tokens[last].span.end].rfind('\n').map_or(0, |p| p + 1);
        if tokens[last].span.end - line_start < typical_line * 6 / 10 {
            return true;
        }
    }
    if gap.is_empty() {
        return false;
    }
    let tok = tokens[i].span.of(text);
    let next_text = next.span.of(text);
    if is_terminal(tok) {
        return !starts_lowercase(next_text);
    }
    if tok.ends_with('.') && tok.len() > 1 && tokens[i].kind == TokenKind::Word {
        return abbreviation_ends_sentence(tok, next_text);
    }
    false
}

fn abbreviation_ends_sentence(abbrev: &str, next: &str) -> bool {
    let is_initial = abbrev.len() == 2;
    if is_initial || is_title_abbreviation(abbrev) {
        return false;
    }
    SENTENCE_OPENERS.contains(&next) || next.starts_with(['“', '"'])
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_lowercase())
}

fn starts_list_item(text: &str, tok: &Token) -> bool {
    let t = tok.span.of(text);
    LIST_MARKERS.contains(&t) || (tok.kind == TokenKind::Number && text[tok.span.end..].starts_with(['.', ')']))
}

/// A text is hard-wrapped when a good share of its line breaks fall inside sentences, which
/// shows as lines that go on in lower case.
fn is_hard_wrapped(text: &str) -> bool {
    let mut breaks = 0;
    let mut lowercase_continuations = 0;
    for line in text.split('\n').skip(1) {
        let Some(c) = line.trim_start().chars().next() else {
            continue;
        };
        breaks += 1;
        if c.is_lowercase() {
            lowercase_continuations += 1;
        }
    }
    breaks >= 4 && lowercase_continuations * 5 >= breaks
}

/// The length most long lines have, to tell a short line (a headline) in wrapped text.
fn typical_line_length(text: &str) -> usize {
    let mut lengths: Vec<usize> = text.lines().map(str::len).filter(|&l| l > 0).collect();
    if lengths.is_empty() {
        return 0;
    }
    lengths.sort_unstable();
    lengths[lengths.len() * 3 / 4]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn split(text: &str) -> Vec<&str> {
        let tokens = tokenize(text);
        split_sentences(text, &tokens).iter().map(|s| s.span.of(text)).collect()
    }

    #[test]
    fn a_run_without_stops_is_cut_at_the_longest_sentence() {
        let text = "President ".repeat(1000);
        let sentences = split(&text);
        assert_eq!(sentences.len(), 3);
        assert!(sentences.iter().all(|s| s.split(' ').count() <= MAX_SENTENCE_TOKENS));
    }

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        assert_eq!(
            split("Gen. Mark Milley met Joe R. Biden on Jan. 31. They spoke in St. Petersburg."),
            ["Gen. Mark Milley met Joe R. Biden on Jan. 31.", "They spoke in St. Petersburg."]
        );
        assert_eq!(split("It ranked No. 1 in the U.S. market."), ["It ranked No. 1 in the U.S. market."]);
    }

    #[test]
    fn acronym_ends_a_sentence_before_an_opener() {
        assert_eq!(
            split("The talks were held in the U.S. The leaders left."),
            ["The talks were held in the U.S.", "The leaders left."]
        );
        assert_eq!(split("U.S. President Biden spoke."), ["U.S. President Biden spoke."]);
    }

    #[test]
    fn quotes_and_brackets_stay_with_their_sentence() {
        assert_eq!(
            split("“We share values.” Kishida said so. (He left.) Then “Why?” he asked."),
            ["“We share values.”", "Kishida said so.", "(He left.)", "Then “Why?” he asked."]
        );
    }

    #[test]
    fn headlines_bylines_and_lists_are_their_own_sentences() {
        let text =
            "NATO opens office in Tokyo\n\nBy Jane Doe\nUpdated: 4/5/2024\n\nThe plan:\n- first item\n- second item";
        assert_eq!(
            split(text),
            [
                "NATO opens office in Tokyo",
                "By Jane Doe",
                "Updated: 4/5/2024",
                "The plan:",
                "- first item",
                "- second item"
            ]
        );
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let text = "The leaders of Japan and South Korea met\non Tuesday in Madrid to discuss\nsecurity in the region. They agreed\nto meet again next year and to\nwork more closely together.";
        assert_eq!(split(text).len(), 2);
    }

    #[test]
    fn lowercase_after_stop_does_not_split() {
        assert_eq!(
            split("He paid approx. five dollars, e.g. for tea."),
            ["He paid approx. five dollars, e.g. for tea."]
        );
    }
}
