//! The event coder: who did what to whom, when and where, coded with PLOVER types and modes,
//! CAMEO codes and Goldstein scores, with modality, date, place and the rule that fired.
//!
//! **Invariants:** the coder never reads files or the store: it takes a [`SentenceView`] (words
//! and actor mentions, optionally a dependency parse) and returns [`CodedEvent`]s. Negated and
//! hypothetical events are returned as such, never as asserted ones.

mod agents;
mod coder;
pub mod codes;
pub mod inflect;
pub mod lexicon;
mod modality;
mod occasions;
pub mod petrarch;
mod place;
pub mod summits;
mod view;
pub mod when;
pub mod words;

pub use coder::{CodedEvent, Coder, EventCoder};
pub use lexicon::{Lexicon, LexiconError};
pub use modality::Modality;
pub use place::{Location, Places};
pub use view::{ActorKind, ActorRef, ActorSpan, Dependency, SentenceActors, SentenceView, Surface, Word};
#[cfg(test)]
mod tests;
