//! The graph as read from the store: actors, merged events and relations, each with evidence.

use crate::GraphError;
use entente_document::PartialDate;
use entente_document::event::{Cameo, MergedEvent, Modality, Plover};
use entente_store::{Evidence, FactRecord, Store};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub use entente_document::{ActorKind, ActorRef};

/// A merged event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub id: String,
    pub source: ActorRef,
    pub target: Option<ActorRef>,
    pub others: Vec<ActorRef>,
    /// Every distinct source and target among the merged mentions (a person and their state).
    pub actors: Vec<ActorRef>,
    pub plover: Plover,
    pub cameo: Cameo,
    pub goldstein: f64,
    #[serde(serialize_with = "partial_date")]
    pub date: Option<PartialDate>,
    pub location: Option<String>,
    pub location_country: Option<String>,
    pub modality: Modality,
    pub mentions: usize,
    pub documents: usize,
    pub confidence: f64,
    pub evidence: Vec<Evidence>,
}

impl Event {
    /// Whether the actor (or someone standing for it) takes part.
    pub fn involves(&self, id: &str) -> bool {
        self.source.is(id)
            || self.target.as_ref().is_some_and(|t| t.is(id))
            || self.others.iter().chain(&self.actors).any(|a| a.is(id))
    }

    /// Cooperation above zero, conflict below, on the Goldstein scale.
    pub fn is_cooperative(&self) -> bool {
        self.goldstein > 0.0
    }

    /// Whether the act is told as having happened (not planned, denied or supposed).
    pub fn happened(&self) -> bool {
        self.modality.happened()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum RelationKind {
    Membership { status: String },
    Partnership { name: Option<String> },
    Role { role: String },
}

/// A tie that holds over an interval: `a` is a member or partner of `b`, or holds a role in it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Relation {
    pub id: String,
    #[serde(flatten)]
    pub kind: RelationKind,
    pub a: ActorRef,
    pub b: ActorRef,
    #[serde(serialize_with = "partial_date")]
    pub start: Option<PartialDate>,
    #[serde(serialize_with = "partial_date")]
    pub end: Option<PartialDate>,
    /// Where the interval comes from: `knowledge base`, `text`.
    pub source: String,
    pub confidence: f64,
    pub evidence: Vec<Evidence>,
}

impl Relation {
    /// Whether the tie held on `day` (days since 1970), as far as its dated evidence says.
    pub fn holds_on(&self, day: i64) -> bool {
        self.start.is_none_or(|s| s.day_range().0 <= day) && self.end.is_none_or(|e| day <= e.day_range().1)
    }

    pub fn label(&self) -> String {
        match &self.kind {
            RelationKind::Membership { status } => status.clone(),
            RelationKind::Partnership { name } => name.clone().unwrap_or_else(|| "partner".into()),
            RelationKind::Role { role } => role.clone(),
        }
    }
}

/// A stored document, as the graph cites it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentInfo {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

/// Everything the store knows, as one graph.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub actors: BTreeMap<String, ActorRef>,
    pub events: Vec<Event>,
    pub relations: Vec<Relation>,
    pub documents: BTreeMap<String, DocumentInfo>,
}

pub(crate) fn partial_date<S: serde::Serializer>(d: &Option<PartialDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

fn body(fact: &FactRecord) -> Result<Value, GraphError> {
    match serde_json::from_str(&fact.body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(GraphError::Body { id: fact.id.clone() }),
    }
}

/// The actor reference at `field` of a stored fact's body, read strictly (see
/// [`ActorRef::from_json`]).
fn actor_of(fact: &FactRecord, v: &Value, field: &'static str) -> Result<ActorRef, GraphError> {
    let unusable = |problem: String| GraphError::Actor { id: fact.id.clone(), field, problem };
    ActorRef::from_json(v.get(field).ok_or_else(|| unusable("missing".into()))?).map_err(|e| unusable(e.to_string()))
}

fn date_of(v: &Value, field: &str) -> Option<PartialDate> {
    v.get(field).and_then(Value::as_str).and_then(PartialDate::parse_iso)
}

impl Graph {
    /// Reads the graph from the store (run [`crate::update`] after ingesting first).
    pub fn load(store: &Store) -> Result<Graph, GraphError> {
        let mut graph = Graph::default();
        for d in store.document_summaries()? {
            let info = DocumentInfo { id: d.id.clone(), title: d.title, url: d.url, date: d.date };
            graph.documents.insert(d.id, info);
        }
        for (fact, _) in store.facts("actor")? {
            let a = actor_of(&fact, &body(&fact)?, "actor")?;
            graph.actors.insert(a.id.clone(), a);
        }
        for (fact, evidence) in store.facts("event")? {
            graph.events.push(event(&fact, evidence)?);
        }
        for kind in ["membership", "partnership", "role"] {
            for (fact, evidence) in store.facts(kind)? {
                let v = body(&fact)?;
                let r = graph.relation(&fact, &v, evidence)?;
                graph.relations.push(r);
            }
        }
        graph.events.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        graph.place_office_holders();
        Ok(graph)
    }

    /// People known by no state act for the organisation they hold a current office in.
    fn place_office_holders(&mut self) {
        let mut sides: BTreeMap<String, String> = BTreeMap::new();
        for r in &self.relations {
            let current = r.end.is_none();
            if let (RelationKind::Role { .. }, true, None) = (&r.kind, current, &r.a.country)
                && matches!(r.b.kind, ActorKind::Organization | ActorKind::Grouping)
            {
                sides.entry(r.a.id.clone()).or_insert_with(|| r.b.id.clone());
            }
        }
        let place = |a: &mut ActorRef| {
            if a.kind == ActorKind::Person && a.country.is_none() {
                a.acts_for = sides.get(&a.id).cloned();
            }
        };
        for e in &mut self.events {
            place(&mut e.source);
            e.target.iter_mut().for_each(place);
            e.others.iter_mut().chain(e.actors.iter_mut()).for_each(place);
        }
        for a in self.actors.values_mut() {
            place(a);
        }
    }

    fn relation(&self, fact: &FactRecord, v: &Value, evidence: Vec<Evidence>) -> Result<Relation, GraphError> {
        let actor = |k: &'static str| actor_of(fact, v, k);
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let (kind, a, b) = match &*fact.kind {
            "membership" => (
                RelationKind::Membership { status: text("status").unwrap_or_default() },
                actor("member")?,
                actor("group")?,
            ),
            "partnership" => (RelationKind::Partnership { name: text("name") }, actor("a")?, actor("b")?),
            _ => (RelationKind::Role { role: text("role").unwrap_or_default() }, actor("person")?, actor("of")?),
        };
        let mut end = date_of(v, "end");
        // A "former" role is over by the time the text was written.
        if end.is_none() && v.get("former").and_then(Value::as_bool) == Some(true) {
            end = evidence
                .iter()
                .filter_map(|e| {
                    self.documents.get(&e.doc)?.date.as_deref().and_then(|d| PartialDate::parse_iso(d.get(..10)?))
                })
                .min();
        }
        // Each further document that tells of the tie adds to the confidence, as for events.
        let documents: std::collections::BTreeSet<&str> = evidence.iter().map(|e| e.doc.as_str()).collect();
        let doubt = (1.0 - fact.confidence).powi(documents.len().max(1) as i32);
        Ok(Relation {
            id: fact.id.clone(),
            kind,
            a,
            b,
            start: date_of(v, "start"),
            end,
            source: text("source").unwrap_or_else(|| "text".into()),
            confidence: ((1.0 - doubt).min(0.99) * 1000.0).round() / 1000.0,
            evidence,
        })
    }

    /// The actor with this id, or a bare reference when only events name it.
    pub fn actor(&self, id: &str) -> Option<ActorRef> {
        self.actors.get(id).cloned().or_else(|| {
            self.events
                .iter()
                .flat_map(|e| std::iter::once(&e.source).chain(&e.target).chain(&e.actors))
                .find(|a| a.id == id)
                .cloned()
        })
    }

    /// Finds an actor by id, name or alias-like spelling ("nato", "Japan", "JPN").
    pub fn find_actor(&self, query: &str) -> Option<ActorRef> {
        let q = query.trim();
        if let Some(a) = self.actor(q).or_else(|| self.actor(&q.to_uppercase())) {
            return Some(a);
        }
        let lower = q.to_lowercase();
        self.actors.values().find(|a| a.name.to_lowercase() == lower).cloned()
    }
}

/// A merged event fact, read strictly: a body that is not a merged event is an error.
fn event(fact: &FactRecord, evidence: Vec<Evidence>) -> Result<Event, GraphError> {
    let merged: MergedEvent = serde_json::from_str(&fact.body)
        .map_err(|e| GraphError::NotAnEvent { id: fact.id.clone(), problem: e.to_string() })?;
    let MergedEvent { event: e, actors, mentions, documents, .. } = merged;
    let (location, location_country) = match e.location {
        Some(l) => (Some(l.name), l.country),
        None => (None, None),
    };
    Ok(Event {
        id: fact.id.clone(),
        source: e.source,
        target: e.target,
        others: e.others,
        actors,
        plover: e.plover,
        cameo: e.cameo,
        goldstein: e.goldstein,
        date: e.date,
        location,
        location_country,
        modality: e.modality,
        mentions,
        documents,
        confidence: fact.confidence,
        evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(kind: &str, body: Value) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.batch().unwrap();
        let fact = FactRecord { id: format!("{kind}:x"), kind: kind.into(), body: body.to_string(), confidence: 1.0 };
        batch.upsert_fact(&fact, &[]).unwrap();
        batch.commit().unwrap();
        store
    }

    #[test]
    fn a_stored_actor_without_a_known_type_is_an_error_naming_the_fact_not_left_out() {
        let nato = serde_json::json!({"id": "NATO", "type": "organization", "name": "NATO"});
        let graph = Graph::load(&store_with("actor", serde_json::json!({ "actor": nato }))).unwrap();
        assert_eq!(graph.actors["NATO"].kind, ActorKind::Organization);
        let militia = serde_json::json!({"id": "X", "type": "militia", "name": "X"});
        let err = Graph::load(&store_with("actor", serde_json::json!({ "actor": militia }))).unwrap_err().to_string();
        assert!(err.contains("actor:x") && err.contains("militia"), "{err}");
        let untyped = serde_json::json!({"member": {"id": "JPN", "name": "Japan"}, "group": nato, "status": "member"});
        let err = Graph::load(&store_with("membership", untyped)).unwrap_err().to_string();
        assert!(err.contains("membership:x") && err.contains("`member`") && err.contains("`type`"), "{err}");
    }
}
