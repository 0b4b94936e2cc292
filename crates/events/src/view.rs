//! The coder's input: one sentence's words and the actors in them. This is the seam between
//! analysis and coding: the rule path fills it from tokens and actor mentions; a trained parser
//! adds each word's head and relation, which the coder then prefers over word order.

use entente_document::{Document, Span};
use std::borrow::Cow;

pub use entente_document::ActorRef;

/// How an actor was named, which tells whether its words can also be a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// The actor's name ("Japan", "NATO", "Fumio Kishida").
    Name,
    /// An adjective or demonym ("Japanese").
    Demonym,
    /// A capital or seat of power standing for its government ("Tokyo", "the Kremlin").
    Capital,
    /// A pronoun or description resolved to the actor ("the alliance").
    Reference,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActorSpan {
    /// Byte span in the document text.
    pub span: Span,
    pub actor: ActorRef,
    pub surface: Surface,
    /// The rule or model that found it, carried into the event's provenance.
    pub rule: String,
}

/// A word's syntactic head and relation, from a dependency parser (Universal Dependencies).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// Index of the head word in the sentence (None for the root).
    pub head: Option<usize>,
    pub relation: String,
    pub upos: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Word<'a> {
    pub span: Span,
    /// Lower-cased text, what the lexicon matches: borrowed from the document when it is
    /// lower case already, as most words are.
    pub lower: Cow<'a, str>,
}

/// One sentence as the coder sees it.
#[derive(Clone, Debug)]
pub struct SentenceView<'a> {
    /// The whole document text: every span points into it.
    pub text: &'a str,
    pub index: usize,
    pub span: Span,
    pub words: Vec<Word<'a>>,
    /// Actors in the sentence, sorted, not overlapping: borrowed from the document's when
    /// they stand together there, as they do when those are sorted.
    pub actors: Cow<'a, [ActorSpan]>,
    /// Per word, when a parser has run.
    pub syntax: Option<Vec<Dependency>>,
}

impl<'a> SentenceView<'a> {
    /// The view of sentence `index` of an annotated document, with the actor mentions that
    /// fall inside it.
    pub fn of_document(doc: &'a Document, index: usize, actors: &'a [ActorSpan]) -> SentenceView<'a> {
        let sentence = &doc.sentences[index];
        let words = doc.tokens[sentence.token_range()]
            .iter()
            .map(|t| {
                let text = t.span.of(&doc.text);
                // Only ASCII is certain to be its own lower case without a look at the tables.
                let lower = match text.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                    true => Cow::Borrowed(text),
                    false => Cow::Owned(text.to_lowercase()),
                };
                Word { span: t.span, lower }
            })
            .collect();
        let inside = |a: &ActorSpan| sentence.span.contains(a.span);
        let first = actors.iter().position(inside).unwrap_or(actors.len());
        let end = actors[first..].iter().position(|a| !inside(a)).map_or(actors.len(), |n| first + n);
        let actors = match actors[end..].iter().any(inside) {
            false => Cow::Borrowed(&actors[first..end]),
            true => Cow::Owned(actors.iter().filter(|a| inside(a)).cloned().collect()),
        };
        SentenceView { text: &doc.text, index, span: sentence.span, words, actors, syntax: None }
    }

    pub fn sentence_text(&self) -> &'a str {
        self.span.of(self.text)
    }

    /// The actor covering word `i`, if any.
    pub fn actor_at_word(&self, i: usize) -> Option<usize> {
        let w = self.words[i].span;
        self.actors.iter().position(|a| a.span.overlaps(w))
    }
}
