//! The coder's input: one sentence's words and the actors in them. This is the seam between
//! analysis and coding: the rule path fills it from tokens and actor mentions; a trained parser
//! adds each word's head and relation, which the coder then prefers over word order.

use entente_document::{Document, Span};
use std::borrow::Cow;

pub use entente_document::{ActorKind, ActorRef};

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
    /// A personal pronoun ("he", "his") standing for the person just named: one word, which
    /// a pattern's gap may pass ("paid his respects to").
    Pronoun,
    /// A gathering standing for its convener ("the summit" after "NATO's summit"): the
    /// voice of a meeting, which is never itself a meeting's guest or target.
    Occasion,
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
    /// fall inside it. Finds them by a scan of all `actors`: to view every sentence of a long
    /// document, build a [`SentenceActors`] once and use [`SentenceView::with_actors`].
    pub fn of_document(doc: &'a Document, index: usize, actors: &'a [ActorSpan]) -> SentenceView<'a> {
        let sentence = doc.sentences[index].span;
        let inside = |a: &ActorSpan| sentence.contains(a.span);
        let first = actors.iter().position(inside).unwrap_or(actors.len());
        let end = actors[first..].iter().position(|a| !inside(a)).map_or(actors.len(), |n| first + n);
        let actors = match actors[end..].iter().any(inside) {
            false => Cow::Borrowed(&actors[first..end]),
            true => Cow::Owned(actors.iter().filter(|a| inside(a)).cloned().collect()),
        };
        Self::with_actors(doc, index, actors)
    }

    /// The view of sentence `index` with the actors already chosen for it.
    pub fn with_actors(doc: &'a Document, index: usize, actors: Cow<'a, [ActorSpan]>) -> SentenceView<'a> {
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
        SentenceView { text: &doc.text, index, span: sentence.span, words, actors, syntax: None }
    }

    pub fn sentence_text(&self) -> &'a str {
        self.span.of(self.text)
    }

    /// The actor covering word `i`, if any; none past the sentence's last word (callers look
    /// ahead from a word without checking that one follows: a fuzzed sentence found the
    /// look-ahead of "in"/"of" phrases at its very end).
    pub fn actor_at_word(&self, i: usize) -> Option<usize> {
        let w = self.words.get(i)?.span;
        self.actors.iter().position(|a| a.span.overlaps(w))
    }
}

/// Which actor mentions lie inside which sentence, found once for a whole document so that
/// viewing every sentence costs O(n log n), not sentences x mentions (a long article has
/// thousands of both).
pub struct SentenceActors<'a> {
    actors: &'a [ActorSpan],
    /// Indices into `actors`, sorted by span start (stable, so ties keep their order).
    by_start: Vec<usize>,
}

impl<'a> SentenceActors<'a> {
    pub fn new(actors: &'a [ActorSpan]) -> Self {
        let mut by_start: Vec<usize> = (0..actors.len()).collect();
        by_start.sort_by_key(|&i| actors[i].span.start);
        SentenceActors { actors, by_start }
    }

    /// The mentions inside `sentence`, in their order in the document's list: borrowed when
    /// they stand together there, as they do when the list is sorted.
    pub fn inside(&self, sentence: Span) -> Cow<'a, [ActorSpan]> {
        let from = self.by_start.partition_point(|&i| self.actors[i].span.start < sentence.start);
        let to = self.by_start.partition_point(|&i| self.actors[i].span.start < sentence.end);
        let mut found: Vec<usize> =
            self.by_start[from..to].iter().copied().filter(|&i| sentence.contains(self.actors[i].span)).collect();
        found.sort_unstable();
        match (found.first(), found.last()) {
            (Some(&first), Some(&last)) if last - first + 1 == found.len() => Cow::Borrowed(&self.actors[first..=last]),
            (Some(_), Some(_)) => Cow::Owned(found.iter().map(|&i| self.actors[i].clone()).collect()),
            _ => Cow::Borrowed(&[]),
        }
    }
}
