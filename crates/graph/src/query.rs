//! Queries over the graph: ties, timelines, participants, relations over time, the graph on a
//! date, and communities of aligned actors.

use crate::model::{ActorKind, ActorRef, Event, Graph, Relation, partial_date};
use entente_document::PartialDate;
use entente_store::Evidence;
use petgraph::graphmap::UnGraphMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Events between an actor and one counterpart, summed up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tie {
    pub counterpart: ActorRef,
    pub events: usize,
    pub cooperative: usize,
    pub conflictual: usize,
    pub mean_goldstein: f64,
    /// Events by PLOVER type, with the actor as source (`>`) or target (`<`): "CONSULT>" 2.
    pub types: BTreeMap<String, usize>,
    #[serde(serialize_with = "partial_date")]
    pub first: Option<PartialDate>,
    #[serde(serialize_with = "partial_date")]
    pub last: Option<PartialDate>,
    pub event_ids: Vec<String>,
}

/// An actor's place in the graph: its relations (as member, partner, role holder, or as the
/// group others belong to) and its event ties by counterpart, strongest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TieSummary {
    pub actor: ActorRef,
    pub relations: Vec<Relation>,
    pub ties: Vec<Tie>,
    /// The events the ties count, with their evidence.
    pub events: Vec<Event>,
}

/// One line of a timeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineEntry {
    #[serde(serialize_with = "partial_date")]
    pub date: Option<PartialDate>,
    pub fact: String,
    pub kind: String,
    pub summary: String,
    pub mentions: usize,
    pub evidence: Vec<Evidence>,
}

/// Who took part in an event, or in the events at a place in one year (a summit).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Participation {
    pub label: String,
    #[serde(serialize_with = "partial_date")]
    pub date: Option<PartialDate>,
    /// Each participant with what it did there (PLOVER types, `>` as source, `<` as target).
    pub participants: Vec<(ActorRef, Vec<String>)>,
    pub event_ids: Vec<String>,
}

/// How a relation stood in one period: counts and mean Goldstein, in the spirit of GDELT's
/// averages. The period is a month (`2023-07`), or a year for events dated only to the year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthlyRelation {
    pub period: String,
    pub events: usize,
    pub cooperative: usize,
    pub conflictual: usize,
    pub mean_goldstein: f64,
    pub event_ids: Vec<String>,
}

/// An edge of the graph on a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SnapshotEdge {
    pub a: String,
    pub b: String,
    /// Relations holding on the date ("member", "partner", ...).
    pub relations: Vec<String>,
    /// Events within the window before the date.
    pub events: usize,
    pub mean_goldstein: f64,
    pub fact_ids: Vec<String>,
}

/// The graph as it stood on a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    #[serde(serialize_with = "crate::query::day")]
    pub date: PartialDate,
    pub window_days: i64,
    pub nodes: Vec<ActorRef>,
    pub edges: Vec<SnapshotEdge>,
}

/// Actors that side together.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Community {
    pub members: Vec<String>,
    /// The summed weight of the ties inside it.
    pub cohesion: f64,
}

/// Events with an actor, by counterpart node: the counterpart and (event, actor is source).
type ByCounterpart<'g> = BTreeMap<String, (ActorRef, Vec<(&'g Event, bool)>)>;

/// Edges being gathered for a snapshot: relation labels, events, and the facts behind them.
#[derive(Default)]
struct EdgeFacts<'g> {
    relations: BTreeSet<String>,
    events: Vec<&'g Event>,
    facts: Vec<String>,
}

pub(crate) fn day<S: serde::Serializer>(d: &PartialDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { (sum / n as f64 * 100.0).round() / 100.0 }
}

/// Whether an event's date falls within [from, to] (each at its own granularity).
fn within(date: Option<PartialDate>, from: Option<PartialDate>, to: Option<PartialDate>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    let Some(d) = date else { return false };
    let (first, last) = d.day_range();
    from.is_none_or(|f| last >= f.day_range().0) && to.is_none_or(|t| first <= t.day_range().1)
}

impl Graph {
    /// The actor's relations and event ties, strongest tie first.
    pub fn ties(&self, id: &str) -> Option<TieSummary> {
        let actor = self.actor(id)?;
        let relations: Vec<Relation> = self.relations.iter().filter(|r| r.a.is(id) || r.b.is(id)).cloned().collect();
        let mut by_counterpart: ByCounterpart = BTreeMap::new();
        for e in self.events.iter().filter(|e| e.involves(id)) {
            let as_source = e.source.is(id);
            let counterpart = if as_source { e.target.as_ref() } else { Some(&e.source) };
            let Some(c) = counterpart.filter(|c| !c.is(id)) else { continue };
            let entry = by_counterpart.entry(c.node().to_string()).or_insert_with(|| (self.node_ref(c), Vec::new()));
            entry.1.push((e, as_source));
        }
        let events: Vec<Event> =
            by_counterpart.values().flat_map(|(_, v)| v.iter().map(|(e, _)| (*e).clone())).collect();
        let mut ties: Vec<Tie> = by_counterpart.into_values().map(|(c, events)| tie(c, &events)).collect();
        ties.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.counterpart.id.cmp(&b.counterpart.id)));
        Some(TieSummary { actor, relations, ties, events })
    }

    /// The state-level node an actor is drawn as, with its name.
    fn node_ref(&self, a: &ActorRef) -> ActorRef {
        if a.node() == a.id { a.clone() } else { self.actor(a.node()).unwrap_or_else(|| a.clone()) }
    }

    /// What happened to and around the actor between two dates, oldest first; relations enter
    /// on their start. Without a range, undated events come last.
    pub fn timeline(&self, id: &str, from: Option<PartialDate>, to: Option<PartialDate>) -> Vec<TimelineEntry> {
        let mut out: Vec<TimelineEntry> = self
            .events
            .iter()
            .filter(|e| e.involves(id) && within(e.date, from, to))
            .map(|e| TimelineEntry {
                date: e.date,
                fact: e.id.clone(),
                kind: "event".into(),
                summary: describe(e),
                mentions: e.mentions,
                evidence: e.evidence.clone(),
            })
            .collect();
        for r in self.relations.iter().filter(|r| (r.a.is(id) || r.b.is(id)) && r.start.is_some()) {
            if within(r.start, from, to) {
                out.push(TimelineEntry {
                    date: r.start,
                    fact: r.id.clone(),
                    kind: "relation".into(),
                    summary: format!("{} becomes {} of {}", r.a.name, r.label(), r.b.name),
                    mentions: r.evidence.len(),
                    evidence: r.evidence.clone(),
                });
            }
        }
        // Undated last; by date, then the less precise date after the more precise.
        out.sort_by_key(|t| (t.date.is_none(), t.date.map(|d| d.day_range()), t.fact.clone()));
        out
    }

    /// Who took part: in the event with this id, or in the events held at this place (by name,
    /// case-insensitive), one entry a year; undated events there join a year when there is one.
    pub fn participants(&self, query: &str) -> Vec<Participation> {
        if let Some(e) = self.events.iter().find(|e| e.id == query) {
            return vec![participation(describe(e), e.date, &[e])];
        }
        let q = query.to_lowercase();
        let at: Vec<&Event> =
            self.events.iter().filter(|e| e.location.as_deref().is_some_and(|l| l.to_lowercase() == q)).collect();
        let mut by_year: BTreeMap<Option<i32>, Vec<&Event>> = BTreeMap::new();
        for e in &at {
            by_year.entry(e.date.map(|d| d.year)).or_default().push(e);
        }
        if by_year.len() == 2
            && let Some(undated) = by_year.remove(&None)
        {
            by_year.values_mut().for_each(|v| v.extend(undated.iter().copied()));
        }
        by_year
            .into_iter()
            .map(|(year, events)| {
                let label = format!("{query} {}", year.map_or("(undated)".into(), |y| y.to_string()));
                let date = events.iter().filter_map(|e| e.date).min();
                participation(label, date, &events)
            })
            .collect()
    }

    /// How the relation between two actors changed: events between them that happened, by
    /// month, with mean Goldstein.
    pub fn relation_over_time(&self, a: &str, b: &str) -> Vec<MonthlyRelation> {
        let mut by_period: BTreeMap<String, Vec<&Event>> = BTreeMap::new();
        for e in self.events.iter().filter(|e| e.happened() && between(e, a, b)) {
            let period = e.date.map_or("undated".to_string(), |d| match d.month {
                Some(m) => format!("{:04}-{m:02}", d.year),
                None => format!("{:04}", d.year),
            });
            by_period.entry(period).or_default().push(e);
        }
        by_period
            .into_iter()
            .map(|(period, events)| MonthlyRelation {
                period,
                events: events.len(),
                cooperative: events.iter().filter(|e| e.is_cooperative()).count(),
                conflictual: events.iter().filter(|e| e.goldstein < 0.0).count(),
                mean_goldstein: mean(events.iter().map(|e| e.goldstein)),
                event_ids: events.iter().map(|e| e.id.clone()).collect(),
            })
            .collect()
    }

    /// The graph as it stood on `date`: relations holding then, and events that happened in
    /// the `window_days` before it (inclusive).
    pub fn snapshot(&self, date: PartialDate, window_days: i64) -> Snapshot {
        let day = date.day_range().1;
        let mut edges: BTreeMap<(String, String), EdgeFacts> = BTreeMap::new();
        let key =
            |a: &str, b: &str| if a <= b { (a.to_string(), b.to_string()) } else { (b.to_string(), a.to_string()) };
        // A person's role in their own state's government is no edge between two actors.
        for r in self.relations.iter().filter(|r| r.holds_on(day) && r.a.node() != r.b.node()) {
            let entry = edges.entry(key(r.a.node(), r.b.node())).or_default();
            entry.relations.insert(r.label());
            entry.facts.push(r.id.clone());
        }
        for e in self.events.iter().filter(|e| e.happened()) {
            let Some((first, last)) = e.date.map(|d| d.day_range()) else { continue };
            let Some(t) = &e.target else { continue };
            if first > day || last < day - window_days || e.source.node() == t.node() {
                continue;
            }
            let entry = edges.entry(key(e.source.node(), t.node())).or_default();
            entry.events.push(e);
            entry.facts.push(e.id.clone());
        }
        let nodes: BTreeSet<&str> = edges.keys().flat_map(|(a, b)| [a.as_str(), b.as_str()]).collect();
        let nodes = nodes.into_iter().map(|n| self.actor(n).unwrap_or_else(|| bare(n))).collect();
        let edges = edges
            .into_iter()
            .map(|((a, b), edge)| SnapshotEdge {
                a,
                b,
                relations: edge.relations.into_iter().collect(),
                events: edge.events.len(),
                mean_goldstein: mean(edge.events.iter().map(|e| e.goldstein)),
                fact_ids: edge.facts,
            })
            .collect();
        Snapshot { date, window_days, nodes, edges }
    }

    /// Communities of aligned actors on a snapshot (or the whole graph when `snapshot` is the
    /// graph on its last date with a window covering everything): Louvain ([`crate::louvain`],
    /// as the page's blocs) over ties of membership and partnership (2 each) and events that
    /// happened (their Goldstein score, so conflict pushes apart). Only ties of positive
    /// weight link actors.
    pub fn communities(&self, snapshot: &Snapshot) -> Vec<Community> {
        let mut graph: UnGraphMap<&str, f64> = UnGraphMap::new();
        // Alignment is between states, organisations and groupings; people enter through
        // the state they stand for, and a person known by no state is left out.
        let is_person = |id: &str| self.actor(id).is_some_and(|a| a.kind == ActorKind::Person);
        for e in snapshot.edges.iter().filter(|e| !is_person(&e.a) && !is_person(&e.b)) {
            let weight = 2.0 * e.relations.len() as f64 + e.mean_goldstein * e.events as f64;
            if weight > 0.0 {
                graph.add_edge(e.a.as_str(), e.b.as_str(), weight);
            }
        }
        let mut nodes: Vec<&str> = graph.nodes().collect();
        nodes.sort();
        let slot: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let links: Vec<Vec<(usize, f64)>> =
            nodes.iter().map(|&n| graph.edges(n).map(|(_, other, w)| (slot[other], *w)).collect()).collect();
        let mut groups: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for (node, bloc) in nodes.iter().zip(crate::louvain(&links)) {
            groups.entry(bloc).or_default().push(node);
        }
        let mut out: Vec<Community> = groups
            .into_values()
            .filter(|m| m.len() > 1)
            .map(|members| {
                let set: BTreeSet<&str> = members.iter().copied().collect();
                let cohesion = graph
                    .all_edges()
                    .filter(|(a, b, _)| set.contains(a) && set.contains(b))
                    .map(|(_, _, w)| *w)
                    .sum::<f64>();
                Community { members: members.iter().map(|s| s.to_string()).collect(), cohesion }
            })
            .collect();
        out.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then_with(|| a.members.cmp(&b.members)));
        out
    }

    /// The whole graph as one snapshot: every relation, every dated event that happened.
    pub fn whole(&self) -> Snapshot {
        let last = self.events.iter().filter_map(|e| e.date).map(|d| d.day_range().1).max().unwrap_or(0);
        let date = self.events.iter().filter_map(|e| e.date).max_by_key(|d| d.day_range().1);
        let date = date.unwrap_or(PartialDate { year: 1970, month: Some(1), day: Some(1) });
        let mut snapshot = self.snapshot(date, last + 1);
        snapshot.window_days = i64::MAX;
        snapshot
    }
}

fn bare(id: &str) -> ActorRef {
    ActorRef::new(id, ActorKind::Other, id)
}

fn between(e: &Event, a: &str, b: &str) -> bool {
    let target = e.target.as_ref();
    (e.source.is(a) && target.is_some_and(|t| t.is(b))) || (e.source.is(b) && target.is_some_and(|t| t.is(a)))
}

fn tie(counterpart: ActorRef, events: &[(&Event, bool)]) -> Tie {
    let mut types = BTreeMap::new();
    for (e, as_source) in events {
        *types.entry(format!("{}{}", e.plover, if *as_source { ">" } else { "<" })).or_default() += 1;
    }
    Tie {
        counterpart,
        events: events.len(),
        cooperative: events.iter().filter(|(e, _)| e.is_cooperative()).count(),
        conflictual: events.iter().filter(|(e, _)| e.goldstein < 0.0).count(),
        mean_goldstein: mean(events.iter().map(|(e, _)| e.goldstein)),
        types,
        first: events.iter().filter_map(|(e, _)| e.date).min(),
        last: events.iter().filter_map(|(e, _)| e.date).max(),
        event_ids: {
            // Best-attested first, dated before undated, so the first examples are the strongest.
            let mut ranked: Vec<&Event> = events.iter().map(|(e, _)| *e).collect();
            ranked.sort_by_key(|e| (std::cmp::Reverse(e.mentions), e.date.is_none(), e.date, e.id.clone()));
            ranked.iter().map(|e| e.id.clone()).collect()
        },
    }
}

fn participation(label: String, date: Option<PartialDate>, events: &[&Event]) -> Participation {
    let mut roles: BTreeMap<String, (ActorRef, BTreeSet<String>)> = BTreeMap::new();
    for e in events {
        let mut add = |a: &ActorRef, role: String| {
            roles.entry(a.id.clone()).or_insert_with(|| (a.clone(), BTreeSet::new())).1.insert(role);
        };
        add(&e.source, format!("{}>", e.plover));
        if let Some(t) = &e.target {
            add(t, format!("{}<", e.plover));
        }
        for o in &e.others {
            add(o, format!("{} with", e.plover));
        }
    }
    Participation {
        label,
        date,
        participants: roles.into_values().map(|(a, r)| (a, r.into_iter().collect())).collect(),
        event_ids: events.iter().map(|e| e.id.clone()).collect(),
    }
}

/// A line for an event: "JPN CONSULT NATO (040, asserted) at Vilnius".
pub fn describe(e: &Event) -> String {
    let target = e.target.as_ref().map_or(String::new(), |t| format!(" {}", t.name));
    let place = e.location.as_ref().map_or(String::new(), |l| format!(" at {l}"));
    format!("{} {}{target} ({} {}, {}){place}", e.source.name, e.plover, e.cameo, e.goldstein, e.modality)
}
