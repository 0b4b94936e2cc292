//! The filterable fields of every event, held in memory so event queries do not parse
//! 100k JSON bodies per request. Rebuilt when the facts table's largest rowid moves: the
//! store only adds facts, never deletes one or rewrites a body, so that is a cheap (one
//! b-tree descent) and sufficient sign of change.

use crate::queries::{self, EventFilter, Fact};
use rusqlite::{Connection, Result};
use std::sync::{Arc, Mutex, RwLock};

struct Row {
    id: String,
    source: Option<String>,
    target: Option<String>,
    plover: Option<String>,
    cameo: Option<String>,
    date: Option<String>,
    modality: Option<String>,
}

struct Snapshot {
    key: i64,
    rows: Vec<Row>,
}

#[derive(Default)]
pub struct EventIndex {
    current: RwLock<Option<Arc<Snapshot>>>,
    /// Held while loading, so concurrent requests wait for one load instead of each loading.
    loading: Mutex<()>,
}

fn key(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT coalesce(max(rowid), 0) FROM facts", [], |r| r.get(0))
}

fn load(conn: &Connection, key: i64) -> Result<Snapshot> {
    let mut stmt = conn.prepare(
        "SELECT id, json_extract(body, '$.source.id'), json_extract(body, '$.target.id'),
                json_extract(body, '$.plover'), json_extract(body, '$.cameo'),
                json_extract(body, '$.date'), json_extract(body, '$.modality')
         FROM facts WHERE kind = 'event' ORDER BY json_extract(body, '$.date'), id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Row {
                id: r.get(0)?,
                source: r.get(1)?,
                target: r.get(2)?,
                plover: r.get(3)?,
                cameo: r.get(4)?,
                date: r.get(5)?,
                modality: r.get(6)?,
            })
        })?
        .collect::<Result<_>>()?;
    Ok(Snapshot { key, rows })
}

impl EventIndex {
    fn cached(&self, now: i64) -> Option<Arc<Snapshot>> {
        let guard = self.current.read().ok()?;
        guard.as_ref().filter(|s| s.key == now).cloned()
    }

    fn snapshot(&self, conn: &Connection) -> Result<Arc<Snapshot>> {
        let now = key(conn)?;
        if let Some(s) = self.cached(now) {
            return Ok(s);
        }
        let _loading = self.loading.lock();
        if let Some(s) = self.cached(now) {
            return Ok(s);
        }
        let fresh = Arc::new(load(conn, now)?);
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(fresh.clone());
        }
        Ok(fresh)
    }

    /// Like [`queries::events`] for filters without free text: same order, same totals.
    pub fn events(&self, conn: &Connection, f: &EventFilter, limit: i64, offset: i64) -> Result<(i64, Vec<Fact>)> {
        let snapshot = self.snapshot(conn)?;
        let is = |v: &Option<String>, want: &Option<String>| want.is_none() || v == want;
        let involves = |r: &Row, a: &Option<String>| a.is_none() || r.source == *a || r.target == *a;
        let matching = snapshot.rows.iter().filter(|r| {
            involves(r, &f.actor)
                && involves(r, &f.counterpart)
                && is(&r.plover, &f.plover)
                && is(&r.modality, &f.modality)
                && f.cameo.as_ref().is_none_or(|c| r.cameo.as_ref().is_some_and(|rc| rc.starts_with(c.as_str())))
                && f.from.as_ref().is_none_or(|from| r.date.as_ref().is_some_and(|d| d >= from))
                && f.to.as_ref().is_none_or(|to| r.date.as_ref().is_some_and(|d| d <= to || d.starts_with(to.as_str())))
        });
        let mut total = 0i64;
        let mut page = Vec::new();
        for r in matching {
            if total >= offset && (page.len() as i64) < limit {
                page.push(r.id.as_str());
            }
            total += 1;
        }
        let mut facts = Vec::with_capacity(page.len());
        for id in page {
            if let Some(fact) = queries::fact(conn, id)? {
                facts.push(fact);
            }
        }
        Ok((total, facts))
    }
}
