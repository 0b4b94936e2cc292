//! The document type that every Entente stage annotates.
//!
//! A [`Document`] owns its extracted text once; every annotation (tokens, sentences, dates the
//! text speaks of, and the mentions and events of later stages) is a layer of byte spans into
//! that text. Nothing copies text around, so any fact can point back to its exact bytes.
//!
//! **Invariant:** every span in every layer lies inside `text` and on UTF-8 character
//! boundaries; layers are sorted by start offset.

use serde::{Deserialize, Serialize};
use std::fmt;

mod actor;
mod date;
pub mod event;
pub use actor::{ActorKind, ActorRef};
pub use date::{DateSource, PartialDate, civil_from_days, days_from_civil};

/// A half-open byte range `[start, end)` into a document's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers. Panics if the span is out of range, which would break the
    /// invariant above.
    pub fn of<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The span shifted right by `offset` bytes (to move a span found in a slice into the
    /// coordinates of the whole text).
    pub fn shifted(&self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// What a token is made of; downstream stages use it to skip punctuation cheaply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Symbol,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

/// A sentence: its span and the range of its tokens in [`Document::tokens`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    pub first_token: usize,
    pub token_count: usize,
}

impl Sentence {
    pub fn token_range(&self) -> std::ops::Range<usize> {
        self.first_token..self.first_token + self.token_count
    }
}

/// A date the text itself speaks of ("on 11 July 2023", "in 2022"), with the granularity the
/// text gives. Relative expressions are resolved by the stage that knows the document's date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextDate {
    pub span: Span,
    pub date: PartialDate,
    /// Which rule recognised it, for provenance.
    pub rule: String,
}

/// Where a document came from and what its source says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub url: Option<String>,
    /// The file (and, for JSONL, `file:line`) the document was read from.
    pub source_path: String,
    pub author: Option<String>,
    /// ISO 639-1 code where known.
    pub language: Option<String>,
    /// The date the source prints or declares for itself (HTML meta, JSON field, URL, dateline).
    pub published: Option<PartialDate>,
    /// Where `published` was found, e.g. `meta:article:published_time`, `jsonl:date`, `url`,
    /// `dateline`.
    pub published_from: Option<String>,
}

/// The date a document is placed at, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDate {
    pub date: Option<PartialDate>,
    pub source: DateSource,
    /// The date the page prints or declares for itself, whether or not it was chosen.
    pub printed: Option<PartialDate>,
    /// The earliest and latest dates (with a year) that the text itself speaks of.
    pub text_period: Option<(PartialDate, PartialDate)>,
    /// One sentence a person can read: which date was chosen over which, and why.
    pub reason: String,
}

/// One news document and all its annotation layers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Readable, stable id: a JSONL `id` field, else the file name without extensions.
    pub id: String,
    /// The extracted text. Every span in every layer points into it.
    pub text: String,
    pub meta: Metadata,
    /// The date chosen for the document (see [`DocumentDate::reason`]).
    pub date: DocumentDate,
    /// Hex SHA-256 of `text`; re-ingesting the same text is recognised by it.
    pub content_hash: String,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    /// Dates the text speaks of, distinct from the document's own date.
    pub text_dates: Vec<TextDate>,
}

impl Document {
    pub fn new(id: impl Into<String>, text: impl Into<String>, meta: Metadata) -> Self {
        Document { id: id.into(), text: text.into(), meta, ..Default::default() }
    }

    pub fn span_text(&self, span: Span) -> &str {
        span.of(&self.text)
    }

    pub fn sentence_text(&self, index: usize) -> Option<&str> {
        self.sentences.get(index).map(|s| s.span.of(&self.text))
    }

    /// The tokens of sentence `index`.
    pub fn sentence_tokens(&self, index: usize) -> &[Token] {
        match self.sentences.get(index) {
            Some(s) => &self.tokens[s.token_range()],
            None => &[],
        }
    }

    /// The index of the sentence holding byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= offset);
        (i < self.sentences.len() && self.sentences[i].span.start <= offset).then_some(i)
    }

    /// `items` sorted into the sentences that hold them whole, in their order within each
    /// sentence: one pass and a binary search per item, where filtering all items for each
    /// sentence would cost sentences x items on a long article.
    pub fn by_sentence<'a, T>(&self, items: &'a [T], span: impl Fn(&T) -> Span) -> Vec<Vec<&'a T>> {
        let mut out: Vec<Vec<&T>> = vec![Vec::new(); self.sentences.len()];
        for item in items {
            let s = span(item);
            if let Some(i) = self.sentence_at(s.start)
                && self.sentences[i].span.contains(s)
            {
                out[i].push(item);
            }
        }
        out
    }

    /// A rough word count (word and number tokens), the unit of every throughput figure.
    pub fn word_count(&self) -> usize {
        self.tokens.iter().filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number)).count()
    }

    /// Checks the span invariant of every layer; used by tests and debug assertions.
    pub fn check_spans(&self) -> Result<(), String> {
        let check = |what: &str, span: Span| -> Result<(), String> {
            if span.end > self.text.len()
                || !self.text.is_char_boundary(span.start)
                || !self.text.is_char_boundary(span.end)
            {
                return Err(format!("{what} span {span} is not a valid range of the text"));
            }
            Ok(())
        };
        for t in &self.tokens {
            check("token", t.span)?;
        }
        for s in &self.sentences {
            check("sentence", s.span)?;
            if s.first_token + s.token_count > self.tokens.len() {
                return Err(format!("sentence {} points past the token layer", s.span));
            }
        }
        for d in &self.text_dates {
            check("date", d.span)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_text_and_relations() {
        let text = "Japan’s leader met NATO.";
        let s = Span::new(0, "Japan".len());
        assert_eq!(s.of(text), "Japan");
        assert!(Span::new(0, 10).contains(s));
        assert!(s.overlaps(Span::new(3, 7)));
        assert!(!s.overlaps(Span::new(5, 7)));
        assert_eq!(s.shifted(2), Span::new(2, 7));
    }

    #[test]
    fn sentence_at_finds_the_sentence_holding_an_offset() {
        let mut doc = Document::new("d", "One. Two.", Metadata::default());
        doc.sentences = vec![
            Sentence { span: Span::new(0, 4), first_token: 0, token_count: 0 },
            Sentence { span: Span::new(5, 9), first_token: 0, token_count: 0 },
        ];
        assert_eq!(doc.sentence_at(0), Some(0));
        assert_eq!(doc.sentence_at(6), Some(1));
        assert_eq!(doc.sentence_at(4), None);
        assert_eq!(doc.sentence_at(99), None);
    }

    #[test]
    fn check_spans_rejects_a_span_inside_a_character() {
        let mut doc = Document::new("d", "é", Metadata::default());
        doc.tokens.push(Token { span: Span::new(0, 1), kind: TokenKind::Word });
        assert!(doc.check_spans().is_err());
    }
}
