//! What the actor and event endpoints read, held in memory: every event with its filter
//! fields, the facts that tie actors together, and the actor list for search. Each fact's
//! response JSON is serialised once at load, so a page of 50 events is a concatenation of
//! 50 strings rather than 50 SQLite reads and JSON parses.
//!
//! A snapshot is labelled with the store's revision (bumped by every committed batch; the
//! store replaces merged events, so rowids say nothing about change). Requests never wait
//! for a rebuild: at most every [`CHECK_EVERY`] one of them starts a check on a blocking
//! thread, and the new snapshot replaces the old when it is ready. Only a request after an
//! idle spell ([`IDLE`]) waits for the check, so a lone reader after an ingest sees it.

use crate::pool::{Db, DbError};
use crate::queries::{ActorRow, EventFilter, Fact};
use rusqlite::{Connection, OptionalExtension, Result};
use serde_json::Value;
use serde_json::value::{RawValue, to_raw_value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How often the store's revision is read, at most. A read is one row, but it needs a
/// connection and a blocking thread, so not on every request.
pub const CHECK_EVERY: Duration = Duration::from_millis(250);

/// After this long without a check the request that claims one waits for it: nobody else
/// is asking, so the wait costs no one, and an answer from before an ingest would surprise.
pub const IDLE: Duration = Duration::from_secs(2);

/// The fact kinds that tie two actors together (what `/api/actors/{id}/ties` lists).
const TIE_KINDS: &[&str] = &["event", "membership", "partnership", "role"];

/// An event's filter fields; the event's JSON is `facts[fact]`.
pub(crate) struct EventRow {
    fact: u32,
    pub id: Box<str>,
    /// Interned ids of its source, target and every actor of its merged mentions.
    actors: Box<[u32]>,
    /// Interned ids of its source and target, for the graph's edges.
    pub source: Option<u32>,
    pub target: Option<u32>,
    /// The types the event's own source and target refs give (what `actor_type` filters by).
    source_type: Option<Box<str>>,
    target_type: Option<Box<str>>,
    pub date: Option<Box<str>>,
    plover: Option<Box<str>>,
    cameo: Option<Box<str>>,
    modality: Option<Box<str>>,
    /// The Goldstein value (-10 conflict .. +10 cooperation); 0 when the body has none.
    pub goldstein: f32,
    /// Distinct documents the merged event was read in (the body's `documents`; 1 if absent,
    /// since every stored event has evidence).
    documents: u32,
}

/// A membership, partnership or role, as a tie between two actors for the graph.
pub(crate) struct RelationRow {
    pub id: Box<str>,
    pub kind: Box<str>,
    pub label: Box<str>,
    pub a: u32,
    pub b: u32,
    start: Option<Box<str>>,
    end: Option<Box<str>>,
}

impl RelationRow {
    /// Holds on `date` (an open start or end holds for ever), as `/api/relations?date=` reads it.
    pub fn holds_on(&self, date: &str) -> bool {
        self.start.as_deref().is_none_or(|s| s <= date) && self.end.as_deref().is_none_or(|e| e >= date)
    }
}

/// An actor's name and type, as the first fact naming it gave them.
#[derive(Default)]
pub(crate) struct Named {
    pub name: Option<Box<str>>,
    pub kind: Option<Box<str>>,
}

/// What one actor id leads to.
#[derive(Default)]
struct Postings {
    /// Positions in `events` (so in date order) of the events the actor takes part in.
    events: Vec<u32>,
    /// Indices in `facts` (so in kind, id order) of the facts naming the actor anywhere.
    ties: Vec<u32>,
}

/// An actor for search: lower-cased texts to match, the response JSON.
struct ActorEntry {
    texts: Box<[Box<str>]>,
    json: Box<RawValue>,
}

pub struct Snapshot {
    pub revision: i64,
    /// The response JSON of every event and relation fact, by kind then id.
    facts: Vec<Box<RawValue>>,
    /// Events by date then id (no date first), as `/api/events` pages them.
    pub(crate) events: Vec<EventRow>,
    pub(crate) relations: Vec<RelationRow>,
    ids: HashMap<Box<str>, u32>,
    /// Interned id -> the id, its name and type.
    pub(crate) names: Vec<(Box<str>, Named)>,
    postings: Vec<Postings>,
    /// By mentions (most first) then id.
    actors: Vec<ActorEntry>,
}

/// The store's revision; a store written before revisions existed reads as -1 and, being
/// read-only here, stays so until a writer migrates it.
pub fn revision(conn: &Connection) -> Result<i64> {
    let value = conn.query_row("SELECT value FROM revision WHERE id = 1", [], |r| r.get(0)).optional();
    match value {
        Ok(v) => Ok(v.unwrap_or(-1)),
        Err(rusqlite::Error::SqliteFailure(_, Some(m))) if m.contains("no such table") => Ok(-1),
        Err(e) => Err(e),
    }
}

impl EventRow {
    fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }
}

impl Snapshot {
    /// Reads everything in one read transaction, so the snapshot is the store at one revision.
    pub fn load(conn: &Connection) -> Result<Snapshot> {
        let tx = conn.unchecked_transaction()?;
        let mut s = Snapshot::empty(revision(&tx)?);
        let actor_facts = s.load_facts(&tx)?;
        let mut stmt = tx.prepare("SELECT actor, count(*) FROM mentions GROUP BY actor")?;
        let mentioned: Vec<(String, i64)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_>>()?;
        drop(stmt);
        s.finish(actor_facts, mentioned);
        tx.finish()?;
        Ok(s)
    }

    /// [`Snapshot::load`] on either backend.
    pub fn load_db(db: &mut Db) -> std::result::Result<Snapshot, DbError> {
        match db {
            Db::Sqlite(conn) => Ok(Snapshot::load(conn)?),
            Db::Postgres(client) => {
                let rows = crate::pg_queries::catalog(client)?;
                let mut s = Snapshot::empty(rows.revision);
                let mut actor_facts = Vec::new();
                for fact in rows.facts {
                    s.add_loaded(fact, &mut actor_facts);
                }
                s.finish(actor_facts, rows.mentioned);
                Ok(s)
            }
        }
    }

    fn empty(revision: i64) -> Snapshot {
        Snapshot {
            revision,
            facts: Vec::new(),
            events: Vec::new(),
            relations: Vec::new(),
            ids: HashMap::new(),
            names: Vec::new(),
            postings: Vec::new(),
            actors: Vec::new(),
        }
    }

    /// After the facts: the search list, events in date order, their postings.
    fn finish(&mut self, actor_facts: Vec<Value>, mentioned: Vec<(String, i64)>) {
        self.load_actors(actor_facts, mentioned);
        // Facts were read by id, so within a date the fact index orders by id.
        self.events.sort_unstable_by(|a, b| a.date.cmp(&b.date).then(a.fact.cmp(&b.fact)));
        self.index_events();
    }

    fn intern(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.ids.get(id) {
            return i;
        }
        let i = self.postings.len() as u32;
        self.ids.insert(id.into(), i);
        self.postings.push(Postings::default());
        self.names.push((id.into(), Named::default()));
        i
    }

    /// Interns an ActorRef's id and keeps the first name and type given for it.
    fn intern_ref(&mut self, actor: Option<&Value>) -> Option<u32> {
        let actor = actor?;
        let i = self.intern(actor.get("id")?.as_str()?);
        let named = &mut self.names[i as usize].1;
        let text = |k: &str| actor.get(k).and_then(Value::as_str).map(Box::from);
        if named.name.is_none() {
            named.name = text("name");
        }
        if named.kind.is_none() {
            named.kind = text("type");
        }
        Some(i)
    }

    /// Tie facts go to `facts` (events also to `events`); actor facts are returned for search.
    fn load_facts(&mut self, conn: &Connection) -> Result<Vec<Value>> {
        let mut stmt = conn.prepare(
            "SELECT id, kind, body, confidence FROM facts
             WHERE kind IN ('actor', 'event', 'membership', 'partnership', 'role') ORDER BY kind, id",
        )?;
        let mut rows = stmt.query([])?;
        let mut actor_facts = Vec::new();
        while let Some(r) = rows.next()? {
            self.add_loaded(crate::queries::fact_row(r)?, &mut actor_facts);
        }
        Ok(actor_facts)
    }

    /// A fact as read: an actor's body goes to `actor_facts` (for search), a tie to `facts`.
    fn add_loaded(&mut self, fact: Fact, actor_facts: &mut Vec<Value>) {
        if fact.kind == "actor" {
            actor_facts.push(fact.body);
            return;
        }
        debug_assert!(TIE_KINDS.contains(&fact.kind.as_str()));
        self.add_fact(fact);
    }

    fn add_fact(&mut self, fact: Fact) {
        let index = self.facts.len() as u32;
        let mut named = Vec::new();
        ids_in(&fact.body, &mut named);
        named.sort_unstable();
        named.dedup();
        for id in named {
            let i = self.intern(id) as usize;
            self.postings[i].ties.push(index);
        }
        if fact.kind == "event" {
            let row = self.event_row(index, &fact.id, &fact.body);
            self.events.push(row);
        } else if let Some(row) = self.relation_row(&fact) {
            self.relations.push(row);
        }
        self.facts.push(raw(&fact));
    }

    fn relation_row(&mut self, fact: &Fact) -> Option<RelationRow> {
        let body = &fact.body;
        let (a, b, label) = match fact.kind.as_str() {
            "membership" => ("member", "group", body["status"].as_str().unwrap_or("member")),
            "partnership" => ("a", "b", body["name"].as_str().unwrap_or("partner")),
            _ => ("person", "of", body["role"].as_str().unwrap_or("role")),
        };
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(Box::from);
        Some(RelationRow {
            id: fact.id.as_str().into(),
            kind: fact.kind.as_str().into(),
            label: label.into(),
            a: self.intern_ref(body.get(a))?,
            b: self.intern_ref(body.get(b))?,
            start: text("start"),
            end: text("end"),
        })
    }

    fn event_row(&mut self, fact: u32, id: &str, body: &Value) -> EventRow {
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(Box::from);
        let source = self.intern_ref(body.get("source"));
        let target = self.intern_ref(body.get("target"));
        let mut actors: Vec<u32> = [body.get("source"), body.get("target")]
            .into_iter()
            .flatten()
            .chain(body.get("actors").and_then(Value::as_array).into_iter().flatten())
            .filter_map(|v| v.get("id").and_then(Value::as_str))
            .map(|a| self.intern(a))
            .collect();
        actors.sort_unstable();
        actors.dedup();
        EventRow {
            fact,
            id: id.into(),
            actors: actors.into(),
            source,
            target,
            source_type: body.pointer("/source/type").and_then(Value::as_str).map(Box::from),
            target_type: body.pointer("/target/type").and_then(Value::as_str).map(Box::from),
            date: text("date"),
            plover: text("plover"),
            cameo: text("cameo"),
            modality: text("modality"),
            goldstein: body.get("goldstein").and_then(Value::as_f64).unwrap_or(0.0) as f32,
            documents: body.get("documents").and_then(Value::as_u64).unwrap_or(1) as u32,
        }
    }

    /// Posting lists are filled in date order after sorting, so they come out sorted.
    fn index_events(&mut self) {
        for (position, row) in self.events.iter().enumerate() {
            for &a in row.actors.iter() {
                self.postings[a as usize].events.push(position as u32);
            }
        }
    }

    /// The search list: actor facts when the store has any, else the actors of mentions.
    /// Mentioned actors are interned either way, so they count as known.
    fn load_actors(&mut self, actor_facts: Vec<Value>, mentioned: Vec<(String, i64)>) {
        for (id, _) in &mentioned {
            self.intern(id);
        }
        let mut rows: Vec<ActorRow> = if actor_facts.is_empty() {
            mentioned.into_iter().map(|(id, n)| mentioned_actor(id, n)).collect()
        } else {
            actor_facts.iter().filter_map(actor_of_fact).collect()
        };
        rows.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.id.cmp(&b.id)));
        for row in rows {
            let i = self.intern(&row.id) as usize;
            let named = &mut self.names[i].1;
            named.name = Some(row.name.as_str().into());
            named.kind = row.kind.as_deref().map(Box::from).or(named.kind.take());
            let texts = [&row.id, &row.name].into_iter().chain(&row.aliases).map(|t| t.to_ascii_lowercase().into());
            let texts = texts.collect();
            self.actors.push(ActorEntry { texts, json: raw(&row) });
        }
    }

    /// The latest event date (events are sorted by date).
    pub fn last_event_date(&self) -> Option<&str> {
        self.events.last().and_then(|r| r.date.as_deref())
    }

    /// Whether any fact, event or mention names the actor.
    pub fn knows(&self, actor: &str) -> bool {
        self.ids.contains_key(actor)
    }

    fn postings(&self, actor: &str) -> Option<&Postings> {
        self.ids.get(actor).map(|&i| &self.postings[i as usize])
    }

    /// Actors whose id, name or an alias contains `q` (ASCII case-insensitive, as SQL LIKE).
    pub fn actors(&self, q: &str, limit: usize) -> Vec<&RawValue> {
        let q = q.to_ascii_lowercase();
        let hits = self.actors.iter().filter(|a| a.texts.iter().any(|t| t.contains(q.as_str())));
        hits.take(limit).map(|a| &*a.json).collect()
    }

    /// Up to `limit` facts naming the actor, by kind then id.
    pub fn ties(&self, actor: &str, limit: usize) -> Vec<&RawValue> {
        let ties = self.postings(actor).map(|p| p.ties.as_slice()).unwrap_or_default();
        ties.iter().take(limit).map(|&i| &*self.facts[i as usize]).collect()
    }

    /// Like [`crate::queries::events`] for filters without free text: same order, same
    /// totals. Returns the number matching and the page's JSON.
    pub fn events(&self, f: &EventFilter, limit: usize, offset: usize) -> (usize, Vec<&RawValue>) {
        let mut total = 0;
        let mut page = Vec::new();
        for row in self.matching(f) {
            if total >= offset && page.len() < limit {
                page.push(&*self.facts[row.fact as usize]);
            }
            total += 1;
        }
        (total, page)
    }

    /// The events matching `f` (its `q` aside), by date then id: a binary search for the
    /// dates, the actor's posting list when there is an actor.
    pub(crate) fn matching<'a>(&'a self, f: &'a EventFilter) -> Box<dyn Iterator<Item = &'a EventRow> + 'a> {
        let nothing = Box::new(std::iter::empty());
        let (lo, hi) = self.date_bounds(f.from.as_deref(), f.to.as_deref());
        let counterpart = match f.counterpart.as_deref().map(|c| self.ids.get(c)) {
            Some(None) => return nothing,
            other => other.flatten().copied(),
        };
        let matching = move |r: &&EventRow| counterpart.is_none_or(|c| r.actors.contains(&c)) && self.passes(r, f);
        match f.actor.as_deref() {
            None => Box::new(self.events[lo..hi].iter().filter(matching)),
            Some(actor) => {
                let Some(p) = self.postings(actor) else { return nothing };
                let list = &p.events;
                let start = list.partition_point(|&p| (p as usize) < lo);
                let end = list.partition_point(|&p| (p as usize) < hi);
                let rows = list[start..end.max(start)].iter().map(|&p| &self.events[p as usize]);
                Box::new(rows.filter(matching))
            }
        }
    }

    /// The filters other than actors, as the SQL reads them.
    fn passes(&self, r: &EventRow, f: &EventFilter) -> bool {
        let is = |v: &Option<Box<str>>, want: &Option<String>| want.as_deref().is_none_or(|w| v.as_deref() == Some(w));
        is(&r.plover, &f.plover)
            && is(&r.modality, &f.modality)
            && f.cameo.as_deref().is_none_or(|c| r.cameo.as_deref().is_some_and(|rc| rc.starts_with(c)))
            && f.from.as_deref().is_none_or(|from| r.date.as_deref().is_some_and(|d| d >= from))
            && f.to.as_deref().is_none_or(|to| r.date.as_deref().is_some_and(|d| before_end(d, to)))
            && f.min_sources.is_none_or(|n| i64::from(r.documents) >= n)
            && f.actor_type.as_deref().is_none_or(|t| {
                r.source_type.as_deref() == Some(t) && (r.target.is_none() || r.target_type.as_deref() == Some(t))
            })
    }

    /// The range of positions whose dates can pass `from` and `to`, by binary search (events
    /// are sorted by date, undated first, and neither bound lets an undated event through).
    fn date_bounds(&self, from: Option<&str>, to: Option<&str>) -> (usize, usize) {
        let lo = match (from, to) {
            (Some(from), _) => self.events.partition_point(|r| r.date() < Some(from)),
            (None, Some(_)) => self.events.partition_point(|r| r.date().is_none()),
            (None, None) => 0,
        };
        // Dates up to `to` and those starting with it form a prefix of the sorted order.
        let hi = match to {
            Some(to) => self.events.partition_point(|r| r.date().is_none_or(|d| before_end(d, to))),
            None => self.events.len(),
        };
        (lo, hi.max(lo))
    }
}

/// The response JSON of a fact or an actor, serialised once. It cannot fail: string keys,
/// and numbers that came from JSON are finite.
fn raw(value: &impl serde::Serialize) -> Box<RawValue> {
    to_raw_value(value).unwrap_or_else(|_| to_raw_value(&()).expect("null serialises"))
}

/// `d` is on or before `to`, where a partial `to` ("2024-04") includes its whole period.
fn before_end(d: &str, to: &str) -> bool {
    d <= to || d.starts_with(to)
}

/// Every string under an `id` key, at any depth (what SQL's json_tree found for ties).
fn ids_in<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match child {
                    Value::String(s) if k == "id" => out.push(s),
                    _ => ids_in(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| ids_in(c, out)),
        _ => {}
    }
}

fn mentioned_actor(id: String, mentions: i64) -> ActorRow {
    ActorRow { name: id.clone(), id, kind: None, aliases: Vec::new(), mentions, source: "mentions" }
}

fn actor_of_fact(body: &Value) -> Option<ActorRow> {
    let actor = body.get("actor")?;
    let id = actor.get("id")?.as_str()?.to_string();
    let aliases = body.get("aliases").and_then(Value::as_array).into_iter().flatten();
    Some(ActorRow {
        name: actor.get("name").and_then(Value::as_str).unwrap_or(&id).to_string(),
        kind: actor.get("type").and_then(Value::as_str).map(str::to_string),
        aliases: aliases.filter_map(Value::as_str).map(str::to_string).collect(),
        mentions: body.get("mentions").and_then(Value::as_i64).unwrap_or(0),
        source: "facts",
        id,
    })
}

/// The current snapshot, and the bookkeeping that keeps it fresh.
pub struct Catalog {
    current: RwLock<Option<Arc<Snapshot>>>,
    /// Held during the first load, so concurrent first requests wait for one load.
    first_load: tokio::sync::Mutex<()>,
    started: Instant,
    /// Milliseconds after `started` of the last revision check.
    checked_ms: AtomicU64,
    /// A check (and maybe a rebuild) is running.
    refreshing: AtomicBool,
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog {
            current: RwLock::new(None),
            first_load: tokio::sync::Mutex::new(()),
            started: Instant::now(),
            checked_ms: AtomicU64::new(0),
            refreshing: AtomicBool::new(false),
        }
    }
}

impl Catalog {
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.current.read().ok()?.clone()
    }

    pub fn set(&self, snapshot: Arc<Snapshot>) {
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(snapshot);
        }
    }

    pub fn first_load(&self) -> &tokio::sync::Mutex<()> {
        &self.first_load
    }

    /// Claims the next revision check if one is due and none is running, and says how long
    /// ago the last one was; the claimant must call [`Catalog::checked`] when done.
    pub fn claim_check(&self) -> Option<Duration> {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.checked_ms.load(Ordering::Relaxed);
        if now < last + CHECK_EVERY.as_millis() as u64 {
            return None;
        }
        self.checked_ms.compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed).ok()?;
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return None;
        }
        Some(Duration::from_millis(now - last))
    }

    pub fn checked(&self) {
        self.checked_ms.store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
        self.refreshing.store(false, Ordering::Release);
    }
}
