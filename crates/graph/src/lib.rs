//! The alignment graph: what the news adds up to. Sentence-level event codings (the
//! `event_mention` facts ingest writes) are merged into events ([`merge`]); the merged events,
//! memberships, partnerships and roles are read back as one time-aware graph ([`Graph`]) that
//! answers the queries analysts ask: an actor's ties, a timeline, who took part in an event,
//! how a relation changed month by month, the graph as it stood on a date, and which actors
//! side together.
//!
//! **Invariants:** merging is a function of the stored mentions of a merge group, so
//! [`update`] after each ingest and [`rebuild`] from scratch give the same events; every
//! event, relation and tie carries the evidence it was built from.

mod blocs;
pub mod merge;
mod model;
pub mod query;

pub use blocs::louvain;
pub use model::{ActorKind, ActorRef, Event, Graph, Relation, RelationKind};
pub use query::{Community, MonthlyRelation, Participation, Snapshot, Tie, TieSummary};

use entente_store::{Store, StoreError};
use std::collections::BTreeSet;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum GraphError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("fact {id} has a body that is not a JSON object")]
    Body { id: String },
    #[error("event mention {id} is not an event, so it cannot be merged: {problem}")]
    NotAnEvent { id: String, problem: String },
    /// A stored actor or tie whose actor reference lacks an id or a known type: an error, not
    /// a fact left out of the graph unsaid.
    #[error("fact {id} has no usable actor `{field}`: {problem}")]
    Actor { id: String, field: &'static str, problem: String },
}

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Mentions new or changed since the last merge.
    pub mentions: usize,
    /// Merge groups merged again.
    pub groups: usize,
    /// Events those groups now hold.
    pub events: usize,
}

/// Merges what changed since the last merge: the groups of new or changed mentions are merged
/// again from all their mentions, in one transaction.
pub fn update(store: &mut Store) -> Result<MergeSummary, GraphError> {
    let mut batch = store.batch()?;
    let pending = batch.pending_mentions()?;
    let mut keys = BTreeSet::new();
    for (id, body, old_key) in &pending {
        let event: entente_document::event::Event = serde_json::from_str(body)
            .map_err(|e| GraphError::NotAnEvent { id: id.clone(), problem: e.to_string() })?;
        let key = merge::merge_key(&event);
        if old_key.as_deref() != Some(key.as_str()) {
            batch.set_mention_key(id, &key)?;
            // The group it left must be merged again without it.
            keys.extend(old_key.clone());
        }
        keys.insert(key);
    }
    let mut summary = MergeSummary { mentions: pending.len(), groups: keys.len(), events: 0 };
    for key in &keys {
        let mentions = batch.mentions_with_key(key)?;
        let merged = merge::merge_group(key, &mentions);
        summary.events += merged.len();
        batch.replace_merged(key, &merged)?;
    }
    batch.commit()?;
    Ok(summary)
}

/// Merges every event again from its mentions (after a change of merging rules).
pub fn rebuild(store: &mut Store) -> Result<MergeSummary, GraphError> {
    let mut batch = store.batch()?;
    batch.mark_all_pending()?;
    batch.commit()?;
    update(store)
}
