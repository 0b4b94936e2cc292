//! Evaluation against gold data. Each evaluation returns a report whose `Display` prints
//! precision, recall and F1 per type and a confusion table; tests pin floors under them.
//!
//! **Invariant:** evaluations read gold files and run the same coder the pipeline runs; they
//! never tune anything to the records they score.

pub mod articles;
mod metrics;
pub mod petrarch_records;
pub mod plover;

pub use metrics::{Confusion, PerType};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: {problem}")]
    Format { path: String, problem: String },
    #[error(transparent)]
    Store(#[from] entente_store::StoreError),
    #[error("ingesting the articles")]
    Ingest(#[from] entente_ingest::IngestError),
    #[error("exporting the facts")]
    Export(#[from] entente_export::ExportError),
    #[error(transparent)]
    Dictionaries(#[from] entente_events::petrarch::PetrarchError),
}
