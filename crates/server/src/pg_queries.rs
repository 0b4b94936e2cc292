//! The reads of [`crate::queries`] and [`crate::catalog`] on a PostgreSQL store: the same
//! answers in the same order. Text that orders output is compared as bytes (`COLLATE "C"`,
//! as SQLite does), NULLs sort first (as in SQLite), JSON fields are read with jsonb
//! operators where SQLite uses `json_extract`.
//!
//! `q` has the meaning it has on an SQLite store with the free-text indexes (a
//! case-insensitive substring of the event's body or of a sentence its evidence lies in),
//! found by a scan of those sentences: no trigram index yet, so a `q` search costs a pass
//! over the events' evidence, bounded by the query deadline.

use crate::queries::{
    DocumentRow, EventFilter, EvidenceRow, Fact, Highlight, document_json, document_row, evidence_row, fact_row,
    highlight_row, page_total, sentence_json,
};
use postgres::{Client, IsolationLevel, Transaction};
use serde_json::Value;

type Result<T> = std::result::Result<T, postgres::Error>;

pub fn count_documents(c: &mut Client) -> Result<i64> {
    c.query_one("SELECT count(*) FROM documents", &[])?.try_get(0)
}

pub fn documents(c: &mut Client, limit: i64, offset: i64) -> Result<Vec<DocumentRow>> {
    c.query(
        "SELECT d.id, d.title, d.url, d.date, d.language, d.word_count,
                (SELECT count(*) FROM sentences s WHERE s.doc = d.seq)
         FROM documents d ORDER BY d.seq LIMIT $1 OFFSET $2",
        &[&limit, &offset],
    )?
    .iter()
    .map(document_row)
    .collect()
}

pub fn highlights(c: &mut Client, doc: &str) -> Result<Vec<Highlight>> {
    c.query(
        r#"SELECT e.fact, f.kind, e.sentence, e.start, e."end", e.rule
           FROM evidence e JOIN facts f ON f.id = e.fact
           WHERE e.doc = $1 ORDER BY e.start, e."end", e.fact"#,
        &[&doc],
    )?
    .iter()
    .map(highlight_row)
    .collect()
}

pub fn fact(c: &mut Client, id: &str) -> Result<Option<Fact>> {
    c.query_opt("SELECT id, kind, body, confidence FROM facts WHERE id = $1", &[&id])?.map(|r| fact_row(&r)).transpose()
}

pub fn evidence(c: &mut Client, fact: &str) -> Result<Vec<EvidenceRow>> {
    c.query(
        r#"SELECT e.doc, d.title, d.date, e.sentence, e.start, e."end",
                  coalesce(s.start, e.start), coalesce(s."end", e."end"), d.text, e.rule, d.url
           FROM evidence e JOIN documents d ON d.id = e.doc
           LEFT JOIN sentences s ON s.doc = d.seq AND s.idx = e.sentence
           WHERE e.fact = $1 ORDER BY d.seq, e.start, e."end", e.rule"#,
        &[&fact],
    )?
    .iter()
    .map(evidence_row)
    .collect()
}

/// `queries::EVENT_WHERE` over `f.b`, the body as jsonb, with `q` as the indexed SQLite
/// store means it: $1..$10 are actor, counterpart, plover, cameo, from, to, modality, q,
/// min_sources, actor_type.
const EVENT_WHERE: &str = r#"
    ($1::text IS NULL OR f.b->'source'->>'id' = $1 OR f.b->'target'->>'id' = $1
        OR EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(f.b->'actors') WHEN 'array' THEN f.b->'actors' ELSE '[]'::jsonb END) a
                   WHERE a->>'id' = $1))
    AND ($2::text IS NULL OR f.b->'source'->>'id' = $2 OR f.b->'target'->>'id' = $2
        OR EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(f.b->'actors') WHEN 'array' THEN f.b->'actors' ELSE '[]'::jsonb END) a
                   WHERE a->>'id' = $2))
    AND ($3::text IS NULL OR f.b->>'plover' = $3)
    AND ($4::text IS NULL OR left(f.b->>'cameo', length($4)) = $4)
    AND ($5::text IS NULL OR (f.b->>'date') COLLATE "C" >= $5)
    AND ($6::text IS NULL OR (f.b->>'date') COLLATE "C" <= $6 OR (f.b->>'date') COLLATE "C" LIKE $6 || '%')
    AND ($7::text IS NULL OR f.b->>'modality' = $7)
    AND ($8::text IS NULL OR strpos(lower(f.body), lower($8)) > 0
        OR EXISTS (SELECT 1 FROM evidence e JOIN documents d ON d.id = e.doc
                   JOIN sentences s ON s.doc = d.seq AND s.idx = e.sentence
                   WHERE e.fact = f.id
                     AND strpos(lower(convert_from(substring(convert_to(d.text, 'UTF8')
                                FROM (s.start + 1)::int FOR greatest(s."end" - s.start, 0)::int), 'UTF8')), lower($8)) > 0))
    AND ($9::bigint IS NULL OR coalesce((f.b->>'documents')::numeric, 1) >= $9)
    AND ($10::text IS NULL OR (f.b->'source'->>'type' = $10
        AND (f.b->'target'->>'id' IS NULL OR f.b->'target'->>'type' = $10)))"#;

/// One page of events matching `filter`, by date (NULL first, as SQLite) then id, and the
/// number matching.
pub fn events(c: &mut Client, f: &EventFilter, limit: i64, offset: i64) -> Result<(i64, Vec<Fact>)> {
    let from = "FROM (SELECT id, kind, body, confidence, body::jsonb AS b FROM facts WHERE kind = 'event') f";
    let page = format!(
        "SELECT f.id, f.kind, f.body, f.confidence, count(*) OVER () {from} WHERE {EVENT_WHERE}
         ORDER BY (f.b->>'date') COLLATE \"C\" NULLS FIRST, f.id LIMIT $11 OFFSET $12"
    );
    let params: [&(dyn postgres::types::ToSql + Sync); 10] = [
        &f.actor,
        &f.counterpart,
        &f.plover,
        &f.cameo,
        &f.from,
        &f.to,
        &f.modality,
        &f.q,
        &f.min_sources,
        &f.actor_type,
    ];
    let mut with_page = params.to_vec();
    with_page.extend([&limit as &(dyn postgres::types::ToSql + Sync), &offset]);
    let rows = c.query(page.as_str(), &with_page)?;
    let mut total = None;
    let mut facts = Vec::with_capacity(rows.len());
    for r in &rows {
        total = Some(r.try_get::<_, i64>(4)?);
        facts.push(fact_row(r)?);
    }
    let total = page_total(total, offset, || {
        c.query_one(format!("SELECT count(*) {from} WHERE {EVENT_WHERE}").as_str(), &params)?.try_get(0)
    })?;
    Ok((total, facts))
}

pub fn relations(
    c: &mut Client,
    kind: Option<&str>,
    actor: Option<&str>,
    date: Option<&str>,
    limit: i64,
) -> Result<Vec<Fact>> {
    // `$.** ? (@.id == $a)`: an "id" anywhere in the body equal to the actor, as SQLite's
    // json_tree finds it.
    c.query(
        r#"SELECT id, kind, body, confidence FROM facts
           WHERE kind IN ('membership', 'partnership', 'role')
             AND ($1::text IS NULL OR kind = $1)
             AND ($2::text IS NULL OR jsonb_path_exists(body::jsonb, '$.** ? (@.id == $a)', jsonb_build_object('a', $2::text)))
             AND ($3::text IS NULL OR ((body::jsonb->>'start' IS NULL OR (body::jsonb->>'start') COLLATE "C" <= $3)
                                  AND (body::jsonb->>'end' IS NULL OR (body::jsonb->>'end') COLLATE "C" >= $3)))
           ORDER BY kind, id LIMIT $4"#,
        &[&kind, &actor, &date, &limit],
    )?
    .iter()
    .map(fact_row)
    .collect()
}

pub fn counts(c: &mut Client) -> Result<Vec<(String, i64)>> {
    let mut out = vec![
        ("documents".to_string(), count_documents(c)?),
        ("sentences".to_string(), c.query_one("SELECT count(*) FROM sentences", &[])?.try_get(0)?),
    ];
    for r in c.query("SELECT kind, count(*) FROM facts GROUP BY kind ORDER BY kind", &[])? {
        out.push((r.try_get(0)?, r.try_get(1)?));
    }
    Ok(out)
}

pub fn event_date_range(c: &mut Client) -> Result<(Option<String>, Option<String>)> {
    let r = c.query_one(
        r#"SELECT min((body::jsonb->>'date') COLLATE "C"), max((body::jsonb->>'date') COLLATE "C")
           FROM facts WHERE kind = 'event'"#,
        &[],
    )?;
    Ok((r.try_get(0)?, r.try_get(1)?))
}

pub fn document(c: &mut Client, id: &str) -> Result<Option<Value>> {
    let Some(r) = c.query_opt(
        "SELECT seq, id, title, url, source_path, language, date, date_source, date_reason, text
         FROM documents WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let (seq, mut doc) = document_json(&r)?;
    let sentences = c
        .query(r#"SELECT idx, start, "end" FROM sentences WHERE doc = $1 ORDER BY idx"#, &[&seq])?
        .iter()
        .map(sentence_json)
        .collect::<Result<Vec<_>>>()?;
    doc["sentences"] = Value::Array(sentences);
    Ok(Some(doc))
}

pub fn revision(c: &mut impl postgres::GenericClient) -> Result<i64> {
    c.query_one("SELECT value FROM revision WHERE id = 1", &[])?.try_get(0)
}

/// What the catalog reads of the store at one revision.
pub struct CatalogRows {
    pub revision: i64,
    /// Tie and actor facts, by kind then id.
    pub facts: Vec<Fact>,
    /// Each mentioned actor and its mentions, by actor.
    pub mentioned: Vec<(String, i64)>,
}

/// The catalog's rows, in one read-only snapshot.
pub fn catalog(c: &mut Client) -> Result<CatalogRows> {
    let mut tx: Transaction =
        c.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start()?;
    let revision = revision(&mut tx)?;
    let facts = tx
        .query(
            "SELECT id, kind, body, confidence FROM facts
             WHERE kind IN ('actor', 'event', 'membership', 'partnership', 'role') ORDER BY kind, id",
            &[],
        )?
        .iter()
        .map(fact_row)
        .collect::<Result<Vec<_>>>()?;
    let mentioned = tx
        .query("SELECT actor, count(*) FROM mentions GROUP BY actor ORDER BY actor", &[])?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<Vec<_>>>()?;
    tx.commit()?;
    Ok(CatalogRows { revision, facts, mentioned })
}
