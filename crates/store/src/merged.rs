//! What merging sentence-level event codings into events needs from the store. The store
//! keeps the bookkeeping (which merge group a mention is in, which groups changed, which
//! mentions an event was built from); how mentions are grouped and merged is entente-graph's.

use crate::{Batch, BatchInner, Evidence, FactRecord, SqliteBatch, StoreError, batch, row};
use rusqlite::params;
use std::collections::BTreeMap;

/// The kind of a sentence-level event coding.
pub const EVENT_MENTION: &str = "event_mention";

/// A stored event mention with what merging needs to know about it.
#[derive(Clone, Debug, PartialEq)]
pub struct MentionRecord {
    pub fact: FactRecord,
    pub evidence: Vec<Evidence>,
    /// The date of each document the evidence comes from (ISO, or `None` when undated).
    pub doc_dates: BTreeMap<String, Option<String>>,
}

/// A merged event to store: the fact, its evidence, and the mentions it was built from.
#[derive(Clone, Debug, PartialEq)]
pub struct MergedEvent {
    pub fact: FactRecord,
    pub evidence: Vec<Evidence>,
    pub members: Vec<String>,
}

impl Batch<'_> {
    /// Mentions stored or given new evidence since their group was last merged, with the key
    /// they were last filed under (none for new ones): (id, body, old key).
    pub fn pending_mentions(&self) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        batch!(&self.inner, b => b.pending_mentions())
    }

    /// Files a mention under its merge group.
    pub fn set_mention_key(&mut self, mention: &str, key: &str) -> Result<(), StoreError> {
        batch!(&mut self.inner, b => b.set_mention_key(mention, key))
    }

    /// Every mention of a merge group, in id order, with its evidence and documents' dates.
    pub fn mentions_with_key(&self, key: &str) -> Result<Vec<MentionRecord>, StoreError> {
        batch!(&self.inner, b => b.mentions_with_key(key))
    }

    /// Replaces the merged events built from a group's mentions, and marks the group merged.
    pub fn replace_merged(&mut self, key: &str, events: &[MergedEvent]) -> Result<(), StoreError> {
        batch!(&mut self.inner, b => b.replace_merged(key, events))
    }

    /// Marks every mention as needing a merge, so the next merge rebuilds every event.
    pub fn mark_all_pending(&mut self) -> Result<usize, StoreError> {
        batch!(&mut self.inner, b => b.mark_all_pending())
    }
}

impl SqliteBatch<'_> {
    /// Mentions stored or given new evidence since their group was last merged, with the key
    /// they were last filed under (none for new ones): (id, body, old key).
    pub(crate) fn pending_mentions(&self) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        let mut stmt = self.tx.prepare(
            "SELECT f.id, f.body, k.key FROM event_keys k JOIN facts f ON f.id = k.mention WHERE k.pending = 1 ORDER BY f.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Files a mention under its merge group.
    pub(crate) fn set_mention_key(&mut self, mention: &str, key: &str) -> Result<(), StoreError> {
        self.tx.execute("UPDATE event_keys SET key = ?2 WHERE mention = ?1", params![mention, key])?;
        Ok(())
    }

    /// Every mention of a merge group, in id order, with its evidence and documents' dates.
    pub(crate) fn mentions_with_key(&self, key: &str) -> Result<Vec<MentionRecord>, StoreError> {
        let mut facts = self.tx.prepare_cached(
            "SELECT f.id, f.kind, f.body, f.confidence FROM event_keys k JOIN facts f ON f.id = k.mention
             WHERE k.key = ?1 ORDER BY f.id",
        )?;
        let records: Vec<FactRecord> = facts.query_map([key], |r| row::fact(r))?.collect::<Result<_, _>>()?;
        let mut evidence = self.tx.prepare_cached(
            "SELECT e.doc, e.sentence, e.start, e.end, e.rule, d.date FROM evidence e JOIN documents d ON d.id = e.doc
             WHERE e.fact = ?1 ORDER BY d.seq, e.start, e.end, e.rule",
        )?;
        let mut out = Vec::with_capacity(records.len());
        for fact in records {
            let mut doc_dates = BTreeMap::new();
            let rows = evidence
                .query_map([&fact.id], |r| Ok((row::evidence(r, r.get(0)?, 1)?, r.get::<_, Option<String>>(5)?)))?;
            let mut ev = Vec::new();
            for row in rows {
                let (e, date) = row?;
                doc_dates.insert(e.doc.clone(), date);
                ev.push(e);
            }
            out.push(MentionRecord { fact, evidence: ev, doc_dates });
        }
        Ok(out)
    }

    /// Replaces the merged events built from a group's mentions, and marks the group merged.
    pub(crate) fn replace_merged(&mut self, key: &str, events: &[MergedEvent]) -> Result<(), StoreError> {
        // Evidence and member rows go with their fact (ON DELETE CASCADE).
        self.tx.execute(
            "DELETE FROM facts WHERE id IN (SELECT m.event FROM event_members m JOIN event_keys k ON k.mention = m.mention
             WHERE k.key = ?1)",
            [key],
        )?;
        for event in events {
            self.upsert_fact(&event.fact, &event.evidence)?;
            let mut member =
                self.tx.prepare_cached("INSERT OR IGNORE INTO event_members (event, mention) VALUES (?1, ?2)")?;
            for m in &event.members {
                member.execute(params![event.fact.id, m])?;
            }
        }
        self.tx.execute("UPDATE event_keys SET pending = 0 WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Marks every mention as needing a merge, so the next merge rebuilds every event.
    pub(crate) fn mark_all_pending(&mut self) -> Result<usize, StoreError> {
        Ok(self.tx.execute("UPDATE event_keys SET pending = 1", [])?)
    }

    /// Called by `upsert_fact` for mentions: a new mention, or new evidence for one, makes its
    /// group pending.
    pub(crate) fn mark_mention_pending(&mut self, mention: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO event_keys (mention, key, pending) VALUES (?1, NULL, 1)
             ON CONFLICT(mention) DO UPDATE SET pending = 1",
            )?
            .execute([mention])?;
        Ok(())
    }
}
