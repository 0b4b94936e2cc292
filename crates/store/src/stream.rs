//! Streaming reads for the exports: facts, evidence, documents and actor mentions visited one
//! at a time, so that an export holds at most one fact (and the distinct documents of its
//! evidence) in memory, whatever the store's size.
//!
//! On PostgreSQL the same reads (in `pg.rs`) give the same rows in the same order, read page
//! by page by key, so memory stays as flat.
//!
//! **Invariant:** no query here sorts or groups in a temporary b-tree: every one walks an index
//! in the order it is read (checked by [`Store::export_query_plans`] in the export's tests). A
//! sort over a join of evidence, mentions or document texts is what made SQLite write tens of
//! gigabytes of temporary files on fuzzed stores (issue 16).

use crate::{
    ActorMentions, Backend, DocumentSummary, Evidence, FactRecord, SqliteStore, Store, StoreError, backend, row,
};
use rusqlite::types::Null;
use rusqlite::{params, params_from_iter};
use std::collections::HashMap;

/// Facts of one kind in id order. `+kind` keeps SQLite off `facts_by_kind`: through that index
/// the rows come in rowid order and `ORDER BY id` sorted every fact, bodies included, in a
/// temporary b-tree. Walking the id index and skipping other kinds sorts nothing (an index on
/// `facts(kind, id)` would let this read only the kind's rows).
const FACTS_BY_ID: &str = "SELECT id, kind, body, confidence FROM facts WHERE +kind = ?1 ORDER BY id";

/// A fact's evidence documents: the primary key (fact, doc, ...) gives them in order, once each.
const FACT_DOCUMENTS: &str = "SELECT DISTINCT doc FROM evidence WHERE fact = ?1";

const DOCUMENT_BY_ID: &str = "SELECT seq, url, date FROM documents WHERE id = ?1";

/// One document's evidence for a fact: an index gives it in (start, end, rule) order.
const EVIDENCE_IN_DOCUMENT: &str =
    "SELECT sentence, start, end, rule FROM evidence WHERE fact = ?1 AND doc = ?2 ORDER BY start, end, rule";

/// Offsets are bytes, so the text is sliced as a blob (as in `Store::actor_mentions`).
const ACTOR_SURFACES: &str = "SELECT CAST(substr(CAST(d.text AS BLOB), m.start + 1, m.end - m.start) AS TEXT)
     FROM mentions m JOIN documents d ON d.seq = m.doc WHERE m.actor = ?1";

/// Grouped in the order of `mentions_by_actor`, so no temporary b-tree.
const MENTION_COUNTS: &str =
    "SELECT m.actor, count(*) FROM mentions m JOIN documents d ON d.seq = m.doc GROUP BY m.actor";

/// The same columns as `Store::document_summaries`, read by [`row::summary`].
pub(crate) const DOCUMENTS: &str = "SELECT d.id, d.title, d.url, d.source_path, d.date, d.date_source, d.date_reason,
        d.printed_date, d.period_start, d.period_end, d.language, d.word_count,
        (SELECT count(*) FROM sentences s WHERE s.doc = d.seq), d.content_hash,
        d.author, d.published_from
     FROM documents d ORDER BY d.seq";

/// Every query of this module, for [`Store::export_query_plans`].
const QUERIES: &[&str] =
    &[FACTS_BY_ID, FACT_DOCUMENTS, DOCUMENT_BY_ID, EVIDENCE_IN_DOCUMENT, ACTOR_SURFACES, MENTION_COUNTS, DOCUMENTS];

/// A document that a fact's evidence points at, with what the exports show of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceDocument {
    pub seq: i64,
    pub id: String,
    pub url: Option<String>,
    pub date: Option<String>,
}

impl Store {
    /// Calls `visit` with every fact of `kind`, in id order, one at a time.
    pub fn for_each_fact<E: From<StoreError>>(
        &self,
        kind: &str,
        visit: impl FnMut(FactRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.backend {
            Backend::Sqlite(b) => b.for_each_fact(kind, visit),
            Backend::Postgres(b) => b.for_each_fact(kind, visit),
        }
    }

    /// The stored documents a fact's evidence points at, in the order they were stored (the
    /// order of [`Store::facts`]' evidence). Evidence naming a document that is not stored is
    /// left out, as there. Memory: one entry per distinct document of this one fact.
    pub fn evidence_documents(&self, fact: &str) -> Result<Vec<EvidenceDocument>, StoreError> {
        backend!(self, b => b.evidence_documents(fact))
    }

    /// Calls `visit` with a fact's evidence in one document, by start, end and rule.
    pub fn for_each_evidence_in<E: From<StoreError>>(
        &self,
        fact: &str,
        doc: &str,
        visit: impl FnMut(Evidence) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.backend {
            Backend::Sqlite(b) => b.for_each_evidence_in(fact, doc, visit),
            Backend::Postgres(b) => b.for_each_evidence_in(fact, doc, visit),
        }
    }

    /// Calls `visit` with a fact's evidence in the order of [`Store::facts`] (document as
    /// stored, start, end, rule), with the document each row is in.
    pub fn for_each_evidence<E: From<StoreError>>(
        &self,
        fact: &str,
        mut visit: impl FnMut(&EvidenceDocument, Evidence) -> Result<(), E>,
    ) -> Result<(), E> {
        for doc in self.evidence_documents(fact)? {
            self.for_each_evidence_in(fact, &doc.id, |e| visit(&doc, e))?;
        }
        Ok(())
    }

    /// Calls `visit` with every document's summary, in the order they were stored.
    pub fn for_each_document_summary<E: From<StoreError>>(
        &self,
        visit: impl FnMut(DocumentSummary) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.backend {
            Backend::Sqlite(b) => b.for_each_document_summary(visit),
            Backend::Postgres(b) => b.for_each_document_summary(visit),
        }
    }

    /// One actor's mentions and surface forms, most frequent first, then in byte order: the
    /// entry [`Store::actor_mentions`] gives for it (an empty one when it has no mention).
    /// Memory: the distinct surface forms of this one actor.
    pub fn actor_mentions_of(&self, actor: &str) -> Result<ActorMentions, StoreError> {
        let counts = backend!(self, b => b.actor_surface_counts(actor))?;
        let mentions = counts.values().sum();
        let mut surfaces: Vec<(String, usize)> = counts.into_iter().collect();
        surfaces.sort_by(|(a, n), (b, m)| m.cmp(n).then_with(|| a.cmp(b)));
        Ok(ActorMentions {
            actor: actor.to_string(),
            mentions,
            surfaces: surfaces.into_iter().map(|(s, _)| s).collect(),
        })
    }

    /// How many mentions each actor has (the counts of [`Store::actor_mentions`], without
    /// reading any text).
    pub fn actor_mention_counts(&self) -> Result<HashMap<String, usize>, StoreError> {
        backend!(self, b => b.actor_mention_counts())
    }

    /// `EXPLAIN QUERY PLAN` of every query the streaming reads run: (query, plan lines). Tests
    /// check that none uses a temporary b-tree. SQLite's planner only: PostgreSQL's reads go
    /// page by page along an index by construction.
    pub fn export_query_plans(&self) -> Result<Vec<(&'static str, Vec<String>)>, StoreError> {
        self.sqlite_only("the SQLite query plans")?.export_query_plans()
    }
}

impl SqliteStore {
    /// Calls `visit` with every fact of `kind`, in id order, one at a time.
    pub(crate) fn for_each_fact<E: From<StoreError>>(
        &self,
        kind: &str,
        mut visit: impl FnMut(FactRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self.conn.prepare_cached(FACTS_BY_ID).map_err(StoreError::from)?;
        let mut rows = stmt.query([kind]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            visit(row::fact(row).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// The stored documents a fact's evidence points at, in the order they were stored (the
    /// order of [`Store::facts`]' evidence). Evidence naming a document that is not stored is
    /// left out, as there. Memory: one entry per distinct document of this one fact.
    pub(crate) fn evidence_documents(&self, fact: &str) -> Result<Vec<EvidenceDocument>, StoreError> {
        let mut docs = self.conn.prepare_cached(FACT_DOCUMENTS)?;
        let mut lookup = self.conn.prepare_cached(DOCUMENT_BY_ID)?;
        let mut out = Vec::new();
        let mut rows = docs.query([fact])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let mut found = lookup.query([&id])?;
            if let Some(d) = found.next()? {
                out.push(EvidenceDocument { seq: d.get(0)?, url: d.get(1)?, date: d.get(2)?, id });
            }
        }
        // Sorting here, over one fact's documents, is what keeps SQLite from sorting evidence.
        out.sort_by_key(|d| d.seq);
        Ok(out)
    }

    /// Calls `visit` with a fact's evidence in one document, by start, end and rule.
    pub(crate) fn for_each_evidence_in<E: From<StoreError>>(
        &self,
        fact: &str,
        doc: &str,
        mut visit: impl FnMut(Evidence) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self.conn.prepare_cached(EVIDENCE_IN_DOCUMENT).map_err(StoreError::from)?;
        let mut rows = stmt.query(params![fact, doc]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            visit(row::evidence(row, doc.to_string(), 0).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// Calls `visit` with every document's summary, in the order they were stored.
    pub(crate) fn for_each_document_summary<E: From<StoreError>>(
        &self,
        mut visit: impl FnMut(DocumentSummary) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self.conn.prepare_cached(DOCUMENTS).map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            visit(row::summary(row).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// How often each surface form of `actor` is mentioned.
    pub(crate) fn actor_surface_counts(&self, actor: &str) -> Result<HashMap<String, usize>, StoreError> {
        let mut stmt = self.conn.prepare_cached(ACTOR_SURFACES)?;
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut rows = stmt.query([actor])?;
        while let Some(row) = rows.next()? {
            *counts.entry(row.get(0)?).or_default() += 1;
        }
        Ok(counts)
    }

    /// How many mentions each actor has (the counts of [`Store::actor_mentions`], without
    /// reading any text).
    pub(crate) fn actor_mention_counts(&self) -> Result<HashMap<String, usize>, StoreError> {
        let mut stmt = self.conn.prepare_cached(MENTION_COUNTS)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// `EXPLAIN QUERY PLAN` of every query the streaming reads run: (query, plan lines). Tests
    /// check that none uses a temporary b-tree.
    pub(crate) fn export_query_plans(&self) -> Result<Vec<(&'static str, Vec<String>)>, StoreError> {
        QUERIES.iter().map(|&sql| Ok((sql, self.query_plan(sql)?))).collect()
    }

    fn query_plan(&self, sql: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let nulls = params_from_iter(std::iter::repeat_n(Null, stmt.parameter_count()));
        let rows = stmt.query_map(nulls, |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::doc;

    fn ev(doc: &str, start: usize, rule: &str) -> Evidence {
        Evidence { doc: doc.into(), sentence: start, start, end: start + 1, rule: rule.into() }
    }

    /// Documents stored as z, a, m: evidence comes in that order, not in id order.
    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.batch().unwrap();
        for (id, text) in [("z", "Zed text"), ("a", "Aye text"), ("m", "Em text")] {
            batch.insert_document(&doc(id, text)).unwrap();
        }
        for (id, kind) in [("f2", "event"), ("f1", "event"), ("r1", "role")] {
            let fact = FactRecord { id: id.into(), kind: kind.into(), body: "{}".into(), confidence: 0.5 };
            let evidence = [ev("a", 3, "r"), ev("m", 0, "r"), ev("z", 2, "s"), ev("z", 2, "r"), ev("a", 1, "r")];
            batch.upsert_fact(&fact, &evidence).unwrap();
        }
        let mention = |start: usize, end: usize, actor: &str| crate::MentionRow {
            sentence: 0,
            start,
            end,
            actor: actor.into(),
            rule: "kb".into(),
        };
        batch.insert_mentions("z", &[mention(0, 3, "ZED"), mention(4, 8, "ZED"), mention(0, 8, "X")]).unwrap();
        batch.insert_mentions("a", &[mention(4, 8, "ZED"), mention(0, 3, "ZED")]).unwrap();
        batch.insert_mentions("m", &[mention(3, 7, "ZED")]).unwrap();
        batch.commit().unwrap();
        store
    }

    #[test]
    fn streamed_facts_and_evidence_come_in_the_order_facts_gives() {
        let store = store();
        let mut streamed = Vec::new();
        store
            .for_each_fact("event", |fact| {
                let mut evidence = Vec::new();
                store.for_each_evidence(&fact.id, |_, e| {
                    evidence.push(e);
                    Ok::<_, StoreError>(())
                })?;
                streamed.push((fact, evidence));
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!(streamed, store.facts("event").unwrap());
        let docs: Vec<String> = store.evidence_documents("f1").unwrap().into_iter().map(|d| d.id).collect();
        assert_eq!(docs, ["z", "a", "m"]);
    }

    #[test]
    fn streamed_documents_and_mentions_match_the_listings() {
        let store = store();
        let mut docs = Vec::new();
        store
            .for_each_document_summary(|d| {
                docs.push(d);
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!(docs, store.document_summaries().unwrap());
        let all = store.actor_mentions().unwrap();
        for expected in &all {
            assert_eq!(&store.actor_mentions_of(&expected.actor).unwrap(), expected);
        }
        assert_eq!(store.actor_mentions_of("ZED").unwrap().surfaces, ["text", "Aye", "Zed"]);
        assert_eq!(store.actor_mentions_of("NATO").unwrap().mentions, 0);
        let counts = store.actor_mention_counts().unwrap();
        assert_eq!(counts, all.iter().map(|m| (m.actor.clone(), m.mentions)).collect());
    }

    #[test]
    fn no_streaming_query_sorts_in_a_temporary_b_tree() {
        for (sql, plan) in store().export_query_plans().unwrap() {
            assert!(!plan.iter().any(|line| line.contains("TEMP B-TREE")), "{sql}: {plan:?}");
        }
    }
}
