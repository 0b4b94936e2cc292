//! What the page draws, computed from the catalog's snapshot rather than SQL, so a filter
//! change on a store of 100k events costs one pass over the matching events in memory:
//! the graph (the heaviest actors and their ties, with blocs by Louvain), and the timeline (events
//! per week or month, cooperation above the axis and conflict below).

use crate::catalog::{EventRow, RelationRow, Snapshot};
use crate::queries::EventFilter;
use entente_document::{civil_from_days, days_from_civil};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// An edge lists at most this many of its events' ids (to fetch their evidence).
const FACTS_PER_EDGE: usize = 20;

#[derive(Serialize, ToSchema)]
pub struct GraphNode {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    /// Events and relations of the node in the shown graph (what the top is taken by).
    weight: u64,
    /// The node's bloc: communities numbered from 0, largest first.
    community: usize,
}

#[derive(Serialize, ToSchema)]
pub struct GraphEdge {
    id: String,
    source: String,
    target: String,
    /// `events`, `membership`, `partnership` or `role`.
    kind: String,
    label: String,
    /// Events aggregated (0 for a relation).
    events: u64,
    mean_goldstein: f64,
    /// `cooperation`, `conflict` or `neutral` (events only).
    #[serde(skip_serializing_if = "Option::is_none")]
    tone: Option<&'static str>,
    /// Up to 20 fact ids behind the edge.
    facts: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Graph {
    /// The last day the graph shows (relations are those valid that day).
    date: Option<String>,
    from: Option<String>,
    empty: bool,
    /// Actors and ties before `limit` cut the graph down.
    total_nodes: usize,
    total_edges: usize,
    nodes: Vec<GraphNode>,
    edges: Vec<GraphEdge>,
    /// Number of blocs among the nodes.
    communities: usize,
}

/// The pair aggregate of events from one actor to another.
#[derive(Default)]
struct Pair {
    events: u64,
    goldstein: f64,
    facts: Vec<String>,
}

/// The graph of the events matching `filter` (its dates are the window) and the relations
/// valid on `date` (all without one), cut to the `limit` actors with the most events and relations.
pub fn graph(s: &Snapshot, filter: &EventFilter, date: Option<&str>, limit: usize) -> Graph {
    let mut pairs: BTreeMap<(u32, u32), Pair> = BTreeMap::new();
    for row in s.matching(filter) {
        let (Some(a), Some(b)) = (row.source, row.target) else { continue };
        if a == b {
            continue;
        }
        let pair = pairs.entry((a, b)).or_default();
        pair.events += 1;
        pair.goldstein += f64::from(row.goldstein);
        if pair.facts.len() < FACTS_PER_EDGE {
            pair.facts.push(row.id.to_string());
        }
    }
    let wanted_type = filter.actor_type.as_deref();
    let of_type = |i: u32| wanted_type.is_none_or(|t| s.names[i as usize].1.kind.as_deref() == Some(t));
    let holds = |r: &&RelationRow| date.is_none_or(|d| r.holds_on(d)) && of_type(r.a) && of_type(r.b);
    let relations: Vec<&RelationRow> = s.relations.iter().filter(holds).collect();

    let mut weight: HashMap<u32, u64> = HashMap::new();
    for (&(a, b), p) in &pairs {
        *weight.entry(a).or_default() += p.events;
        *weight.entry(b).or_default() += p.events;
    }
    for r in &relations {
        *weight.entry(r.a).or_default() += 1;
        *weight.entry(r.b).or_default() += 1;
    }
    let total_nodes = weight.len();
    let total_edges = pairs.len() + relations.len();
    let kept = heaviest(s, &weight, limit);

    let mut edges = Vec::new();
    for (&(a, b), p) in &pairs {
        if kept.contains_key(&a) && kept.contains_key(&b) {
            edges.push(event_edge(s, a, b, p));
        }
    }
    for r in relations.iter().filter(|r| kept.contains_key(&r.a) && kept.contains_key(&r.b)) {
        edges.push(GraphEdge {
            id: r.id.to_string(),
            source: s.names[r.a as usize].0.to_string(),
            target: s.names[r.b as usize].0.to_string(),
            kind: r.kind.to_string(),
            label: r.label.to_string(),
            events: 0,
            mean_goldstein: 0.0,
            tone: None,
            facts: vec![r.id.to_string()],
        });
    }
    // Events by pair id, then relations by id, whatever order the actors were interned in.
    edges.sort_by(|a, b| (a.kind != "events").cmp(&(b.kind != "events")).then_with(|| a.id.cmp(&b.id)));
    let links = kept_links(&kept, &pairs, &relations);
    let community = communities(&links);
    let blocs = community.iter().max().map_or(0, |m| m + 1);
    let mut nodes: Vec<GraphNode> = kept
        .iter()
        .map(|(&i, &slot)| {
            let (id, named) = &s.names[i as usize];
            GraphNode {
                id: id.to_string(),
                name: named.name.as_deref().unwrap_or(id).to_string(),
                kind: named.kind.as_deref().unwrap_or("other").to_string(),
                weight: weight[&i],
                community: community[slot],
            }
        })
        .collect();
    nodes.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.id.cmp(&b.id)));
    Graph {
        date: date.map(str::to_string),
        from: filter.from.clone(),
        empty: nodes.is_empty() && edges.is_empty(),
        total_nodes,
        total_edges,
        nodes,
        edges,
        communities: blocs,
    }
}

/// The `limit` heaviest actors (ties broken by id, so the cut is deterministic), each with
/// its slot (0..) in id order.
fn heaviest(s: &Snapshot, weight: &HashMap<u32, u64>, limit: usize) -> BTreeMap<u32, usize> {
    let mut all: Vec<(u32, u64)> = weight.iter().map(|(&i, &w)| (i, w)).collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| s.names[a.0 as usize].0.cmp(&s.names[b.0 as usize].0)));
    all.truncate(limit);
    all.sort_by(|a, b| s.names[a.0 as usize].0.cmp(&s.names[b.0 as usize].0));
    all.into_iter().enumerate().map(|(slot, (i, _))| (i, slot)).collect()
}

fn event_edge(s: &Snapshot, a: u32, b: u32, p: &Pair) -> GraphEdge {
    let mean = p.goldstein / p.events as f64;
    let (source, target) = (&s.names[a as usize].0, &s.names[b as usize].0);
    GraphEdge {
        id: format!("events:{source}>{target}"),
        source: source.to_string(),
        target: target.to_string(),
        kind: "events".into(),
        label: format!("{} events", p.events),
        events: p.events,
        mean_goldstein: (mean * 100.0).round() / 100.0,
        tone: Some(tone(mean)),
        facts: p.facts.clone(),
    }
}

fn tone(mean_goldstein: f64) -> &'static str {
    if mean_goldstein > 0.0 {
        "cooperation"
    } else if mean_goldstein < 0.0 {
        "conflict"
    } else {
        "neutral"
    }
}

/// Undirected weighted links between kept nodes, by slot: events count their number, a
/// relation counts one.
fn kept_links(
    kept: &BTreeMap<u32, usize>,
    pairs: &BTreeMap<(u32, u32), Pair>,
    relations: &[&RelationRow],
) -> Vec<Vec<(usize, u64)>> {
    let mut links = vec![BTreeMap::<usize, u64>::new(); kept.len()];
    let ties = pairs.iter().map(|(&(a, b), p)| (a, b, p.events)).chain(relations.iter().map(|r| (r.a, r.b, 1)));
    for (a, b, w) in ties {
        if let (Some(&x), Some(&y)) = (kept.get(&a), kept.get(&b)) {
            *links[x].entry(y).or_default() += w;
            *links[y].entry(x).or_default() += w;
        }
    }
    links.into_iter().map(|m| m.into_iter().collect()).collect()
}

/// Blocs by Louvain (see `entente_graph::louvain`) over the kept actors' links.
pub fn communities(links: &[Vec<(usize, u64)>]) -> Vec<usize> {
    let links: Vec<Vec<(usize, f64)>> = links.iter().map(|l| l.iter().map(|&(j, w)| (j, w as f64)).collect()).collect();
    entente_graph::louvain(&links)
}

/// Bars of a week or a month.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bucket {
    Week,
    Month,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityBar {
    /// First day of the week (a Monday) or month.
    start: String,
    /// Last day.
    end: String,
    /// The `from` and `to` that give `/api/events` exactly this bar's events: days for a
    /// week, `yyyy-mm` for a month (so events dated to the month alone are included).
    from: String,
    to: String,
    events: u64,
    /// Sum of the positive Goldstein values (drawn above the axis).
    cooperation: f64,
    /// Sum of the negative Goldstein values (drawn below).
    conflict: f64,
}

#[derive(Serialize, ToSchema)]
pub struct Activity {
    /// `week` or `month`.
    bucket: &'static str,
    /// Events matching.
    events: u64,
    /// Those on no bar: a date too vague for the bars (a year alone; a month alone for
    /// weeks), or before the first bar (at most 2,000 bars are drawn, the latest).
    unplaced: u64,
    /// Every bar from the first to the last dated event, empty ones included.
    bars: Vec<ActivityBar>,
}

/// At most this many bars: 38 years of weeks, 166 of months.
const MAX_BARS: i64 = 2000;

/// Events per bar, from the first dated event matching to the last. Without a `bucket`,
/// weeks for a span up to 18 months, months beyond (and beyond [`MAX_BARS`] weeks).
pub fn activity(s: &Snapshot, filter: &EventFilter, bucket: Option<Bucket>) -> Activity {
    let rows: Vec<&EventRow> = s.matching(filter).collect();
    let span = |days: &[Option<i64>]| (days.iter().flatten().min().copied(), days.iter().flatten().max().copied());
    let month_days: Vec<Option<i64>> = rows.iter().map(|r| r.date.as_deref().and_then(day_of)).collect();
    let width = match span(&month_days) {
        (Some(a), Some(b)) => b - a,
        _ => 0,
    };
    let bucket = match bucket {
        // Weeks too many to draw: months.
        Some(Bucket::Week) if width / 7 >= MAX_BARS => Bucket::Month,
        Some(b) => b,
        None if width > 548 => Bucket::Month,
        None => Bucket::Week,
    };
    // A week needs a day; a month takes dates of the month alone too.
    let full_day = |d: &str| if d.len() == 10 { day_of(d) } else { None };
    let days: Vec<Option<i64>> = match bucket {
        Bucket::Week => rows.iter().map(|r| r.date.as_deref().and_then(full_day)).collect(),
        Bucket::Month => month_days,
    };
    let (first, last) = span(&days);
    let starts: Vec<i64> = match (first, last) {
        (Some(a), Some(b)) => {
            let a = if bucket == Bucket::Month { a.max(b - MAX_BARS * 30) } else { a };
            bar_starts(a, b, bucket)
        }
        _ => Vec::new(),
    };
    let mut bars: Vec<ActivityBar> = starts.iter().map(|&d| empty_bar(d, bucket)).collect();
    let mut unplaced = 0;
    for (row, day) in rows.iter().zip(&days) {
        let slot = day.and_then(|day| starts.partition_point(|&s| s <= day).checked_sub(1));
        let Some(bar) = slot.map(|i| &mut bars[i]) else {
            unplaced += 1;
            continue;
        };
        bar.events += 1;
        let g = f64::from(row.goldstein);
        if g > 0.0 {
            bar.cooperation += g;
        } else {
            bar.conflict += g;
        }
    }
    for bar in &mut bars {
        bar.cooperation = (bar.cooperation * 100.0).round() / 100.0;
        bar.conflict = (bar.conflict * 100.0).round() / 100.0;
    }
    let name = if bucket == Bucket::Week { "week" } else { "month" };
    Activity { bucket: name, events: rows.len() as u64, unplaced, bars }
}

fn empty_bar(start: i64, bucket: Bucket) -> ActivityBar {
    let (start, end) = (iso(start), iso(next_start(start, bucket) - 1));
    let (from, to) = match bucket {
        Bucket::Week => (start.clone(), end.clone()),
        Bucket::Month => (start[..7].to_string(), start[..7].to_string()),
    };
    ActivityBar { start, end, from, to, events: 0, cooperation: 0.0, conflict: 0.0 }
}

/// The first day of the bar after the one starting on `start`.
fn next_start(start: i64, bucket: Bucket) -> i64 {
    match bucket {
        Bucket::Week => start + 7,
        Bucket::Month => {
            let (y, m, _) = civil_from_days(start);
            if m == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, m + 1, 1) }
        }
    }
}

/// The first day of every bar from the one holding `first` to the one holding `last`.
fn bar_starts(first: i64, last: i64, bucket: Bucket) -> Vec<i64> {
    let mut day = match bucket {
        // 1970-01-01 was a Thursday, so day n is a Monday when n + 3 is a multiple of 7.
        Bucket::Week => first - (first + 3).rem_euclid(7),
        Bucket::Month => {
            let (y, m, _) = civil_from_days(first);
            days_from_civil(y, m, 1)
        }
    };
    let mut out = Vec::new();
    while day <= last {
        out.push(day);
        day = next_start(day, bucket);
    }
    out
}

/// Days since 1970-01-01 of `yyyy-mm-dd`, or of the first day of `yyyy-mm`; `yyyy` alone
/// says too little for a week and gives `None`.
pub fn day_of(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
}

/// `yyyy-mm-dd` of a day count (Howard Hinnant's civil calendar algorithms).
pub fn iso(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        assert_eq!(day_of("1970-01-01"), Some(0));
        assert_eq!(iso(day_of("2024-02-29").unwrap()), "2024-02-29");
        assert_eq!(iso(day_of("2024-03").unwrap()), "2024-03-01");
        assert_eq!(day_of("2024"), None);
        // 2024-07-10 was a Wednesday; its week starts Monday the 8th.
        let d = day_of("2024-07-10").unwrap();
        assert_eq!(iso(bar_starts(d, d, Bucket::Week)[0]), "2024-07-08");
        let months = bar_starts(day_of("2023-11-20").unwrap(), day_of("2024-02-02").unwrap(), Bucket::Month);
        assert_eq!(
            months.iter().map(|&d| iso(d)).collect::<Vec<_>>(),
            ["2023-11-01", "2023-12-01", "2024-01-01", "2024-02-01"]
        );
        assert_eq!(empty_bar(months[3], Bucket::Month).end, "2024-02-29");
    }
}
