//! The event coder: who did what to whom, when and where.
pub mod codes;
pub mod inflect;
pub mod lexicon;
