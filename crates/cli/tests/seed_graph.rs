//! The system the five seed articles describe, rebuilt from them alone (hand-checked gold in
//! `gold/seed_graph.tsv`): partnerships and memberships of NATO, the AP4, AUKUS and the Quad,
//! the trilateral the text names, and the summits, invitations, criticism and plans. Each gold
//! item must be shown by the query commands (`entente actor A --json`), with evidence; the
//! test prints recall and pins a floor under it.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

const GOLD: &str = include_str!("gold/seed_graph.tsv");
/// Floor under the recall reached (35 of 37; the misses are the United States and India in
/// the Quad, which the text names in another sentence than the grouping).
const MIN_RECALL: f64 = 0.94;

fn entente(db: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_entente")).arg("--db").arg(db).args(args).output().unwrap();
    assert!(out.status.success(), "entente {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// The node an actor is drawn as: a person stands for their state, or for the organisation
/// they hold office in (`acts_for`, as `actor --json` shows it).
fn node(r: &Value) -> String {
    match (r["type"].as_str(), r["country"].as_str(), r["acts_for"].as_str()) {
        (Some("person"), Some(c), _) | (Some("person"), None, Some(c)) => c.to_string(),
        _ => r["id"].as_str().unwrap_or("-").to_string(),
    }
}

struct Shown {
    /// (member, group, "member" | "partner"), from `actor --json` relations.
    relations: BTreeSet<(String, String, String)>,
    /// Group id -> members.
    groups: BTreeMap<String, BTreeSet<String>>,
    /// Events as `actor --json` lists them (by id), with their export lines.
    events: Vec<Value>,
}

fn shown(db: &Path) -> Shown {
    let export: Vec<Value> = String::from_utf8(entente(db, &["export"]))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut s = Shown { relations: BTreeSet::new(), groups: BTreeMap::new(), events: Vec::new() };
    let actors: Vec<&str> =
        export.iter().filter(|v| v["kind"] == "actor").map(|v| v["actor"]["id"].as_str().unwrap()).collect();
    let mut seen_events = BTreeSet::new();
    for actor in actors.iter().filter(|a| a.chars().all(|c| c.is_ascii_uppercase() || c == '-' || c.is_ascii_digit())) {
        let ties: Value = serde_json::from_slice(&entente(db, &["actor", actor, "--json"])).unwrap();
        for r in ties["relations"].as_array().unwrap() {
            assert!(!r["evidence"].as_array().unwrap().is_empty(), "relation {} has evidence", r["id"]);
            let kind = if r["kind"] == "partnership" { "partner" } else { r["status"].as_str().unwrap_or("") };
            let (a, b) = (r["a"]["id"].as_str().unwrap().to_string(), r["b"]["id"].as_str().unwrap().to_string());
            if kind == "member" {
                s.groups.entry(b.clone()).or_default().insert(a.clone());
            }
            s.relations.insert((a, b, kind.to_string()));
        }
        for e in ties["events"].as_array().unwrap() {
            assert!(!e["evidence"].as_array().unwrap().is_empty(), "event {} has evidence", e["id"]);
            if seen_events.insert(e["id"].as_str().unwrap().to_string()) {
                s.events.push(e.clone());
            }
        }
    }
    s
}

fn event_matches(e: &Value, g: &[&str]) -> bool {
    let any = |gold: &str, got: &str| gold == "*" || gold == got;
    let year = e["date"].as_str().map_or("", |d| &d[..4]);
    let place = e["location"].as_str().unwrap_or("");
    // The merged event's actors include every source and target its mentions named.
    let sides = |field: &str| -> BTreeSet<String> {
        let mut set: BTreeSet<String> = [node(&e[field])].into();
        set.extend(e["actors"].as_array().into_iter().flatten().map(node));
        set
    };
    node(&e["source"]) == g[1]
        && e["target"].is_object()
        && (node(&e["target"]) == g[2] || (sides("target").contains(g[2]) && node(&e["source"]) == g[1]))
        && e["plover"] == g[3]
        && any(g[4], year)
        && any(g[5], place)
        && any(g[6], e["modality"].as_str().unwrap())
}

#[test]
fn seed_graph_matches_the_gold() {
    let Some(seeds) = entente_testdata::shared_or_skip("seed_graph", "corpus/seeds") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("seeds.db");
    entente(&db, &["--quiet", "ingest", seeds.to_str().unwrap()]);
    let shown = shown(&db);
    let (mut found, mut total) = (0, 0);
    for line in GOLD.lines().filter(|l| !l.starts_with('#') && !l.starts_with("kind\t") && !l.trim().is_empty()) {
        let g: Vec<&str> = line.split('\t').collect();
        total += 1;
        let hit = match g[0] {
            "relation" => shown.relations.contains(&(g[1].into(), g[2].into(), g[3].into())),
            "grouping" => {
                let want: BTreeSet<String> = g[1].split(',').map(str::to_string).collect();
                shown.groups.values().any(|members| want.is_subset(members))
            }
            "event" => shown.events.iter().any(|e| event_matches(e, &g)),
            other => panic!("unknown gold line kind {other}"),
        };
        if hit {
            found += 1;
        } else {
            println!("missed: {line}");
        }
    }
    let merged = shown.events.iter().filter(|e| e["documents"].as_u64().unwrap() > 1).count();
    let recall = found as f64 / total as f64;
    println!(
        "seed graph: {found} of {total} gold items shown (recall {recall:.3}); {} events shown, {merged} merged across documents",
        shown.events.len()
    );
    assert!(merged >= 2, "events told in several seeds are merged");
    assert!(recall >= MIN_RECALL, "recall {recall:.3}");
}
