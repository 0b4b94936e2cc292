//! The graph as of a date: actors as nodes; relations valid that day and events of the
//! preceding window (aggregated per pair) as edges, coloured by mean Goldstein.

use crate::queries;
use rusqlite::{Connection, Result};
use serde_json::{Map, Value, json};

/// Builds the graph; with no date, the latest event date (or today's relations) is used.
pub fn build(conn: &Connection, date: Option<&str>, window_days: i64) -> Result<Value> {
    let date = match date {
        Some(d) => Some(d.to_string()),
        None => queries::event_date_range(conn)?.1,
    };
    let mut nodes: Map<String, Value> = Map::new();
    let mut edges = Vec::new();
    for fact in queries::relations(conn, None, None, date.as_deref(), i64::MAX)? {
        let (a, b) = match fact.kind.as_str() {
            "membership" => (&fact.body["member"], &fact.body["group"]),
            "partnership" => (&fact.body["a"], &fact.body["b"]),
            _ => (&fact.body["person"], &fact.body["of"]),
        };
        let (Some(a_id), Some(b_id)) = (add_node(&mut nodes, a), add_node(&mut nodes, b)) else {
            continue;
        };
        edges.push(json!({
            "id": fact.id, "source": a_id, "target": b_id, "kind": fact.kind,
            "label": relation_label(&fact.kind, &fact.body), "facts": [fact.id],
        }));
    }
    if let Some(d) = date.as_deref() {
        for e in queries::event_edges(conn, &padded(d), window_days)? {
            let source = json!({"id": e.source, "name": e.source_name, "type": e.source_type});
            let target = json!({"id": e.target, "name": e.target_name, "type": e.target_type});
            add_node(&mut nodes, &source);
            add_node(&mut nodes, &target);
            edges.push(json!({
                "id": format!("events:{}>{}", e.source, e.target), "source": e.source, "target": e.target,
                "kind": "events", "events": e.events, "mean_goldstein": e.mean_goldstein,
                "tone": tone(e.mean_goldstein), "label": format!("{} events", e.events), "facts": e.fact_ids,
            }));
        }
    }
    let nodes: Vec<Value> = nodes.into_values().collect();
    Ok(json!({
        "date": date, "window_days": window_days, "empty": edges.is_empty() && nodes.is_empty(),
        "nodes": nodes, "edges": edges,
    }))
}

/// A partial date stands for its last day, so "2024" shows everything up to the year's end.
fn padded(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-12-31"),
        7 => format!("{date}-31"),
        _ => date.to_string(),
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

fn relation_label(kind: &str, body: &Value) -> String {
    match kind {
        "membership" => body["status"].as_str().unwrap_or("member").to_string(),
        "role" => body["role"].as_str().unwrap_or("role").to_string(),
        _ => body["name"].as_str().unwrap_or("partner").to_string(),
    }
}

/// Adds an ActorRef as a node (first name seen wins) and returns its id.
fn add_node(nodes: &mut Map<String, Value>, actor: &Value) -> Option<String> {
    let id = actor["id"].as_str()?.to_string();
    nodes.entry(id.clone()).or_insert_with(|| {
        json!({
            "id": id,
            "name": actor["name"].as_str().unwrap_or(&id),
            "type": actor["type"].as_str().unwrap_or("other"),
        })
    });
    Some(id)
}
