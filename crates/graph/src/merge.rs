//! Event coreference: the same event told in several sentences or articles becomes one event.
//!
//! Mentions are first filed into merge groups by who did what to whom ([`merge_key`]: the two
//! actors, a person standing for their state, the PLOVER type and whether the act happened,
//! is planned, denied or supposed). Within a group, mentions join when their dates agree
//! within [`WINDOW_DAYS`] and their places do not contradict; a mention dated only to the month
//! or year joins the event it covers; an undated one joins the event its document most likely
//! means. Each group is merged from all its mentions at once, so ingesting articles one by one
//! gives the same events as ingesting them together.

use entente_document::PartialDate;
use entente_store::{Evidence, FactRecord, MentionRecord, MergedEvent};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Day-dated mentions this many days apart or less may tell the same event (a summit runs over
/// days, and reports date it by its opening or closing day).
pub const WINDOW_DAYS: i64 = 3;

/// The merge group of an event mention's body, or `None` when the body lacks a source or type.
pub fn merge_key(body: &Value) -> Option<String> {
    let source = actor_key(body.get("source")?)?;
    let target = body.get("target").and_then(actor_key).unwrap_or_default();
    let plover = body.get("plover")?.as_str()?;
    let modality = match body.get("modality").and_then(Value::as_str).unwrap_or("asserted") {
        // A reported act and an asserted one are the same act, told at one more remove.
        "asserted" | "reported" => "happened",
        other => other,
    };
    Some(format!("{source}|{target}|{plover}|{modality}"))
}

/// The actor an edge of the graph is drawn for: a person with a known country stands for
/// that state's side; a state's sector (its government, its military) for the state.
fn actor_key(actor: &Value) -> Option<String> {
    let id = actor.get("id")?.as_str()?;
    let country = actor.get("country").and_then(Value::as_str);
    match (actor.get("type").and_then(Value::as_str), country) {
        (Some("person"), Some(country)) => Some(country.to_string()),
        _ => Some(id.to_string()),
    }
}

/// One mention as the clustering sees it.
struct Item<'a> {
    record: &'a MentionRecord,
    body: Map<String, Value>,
    date: Option<PartialDate>,
    place: Option<(String, Option<String>)>,
    /// The earliest date of the documents it was read in, as days since 1970.
    doc_day: Option<i64>,
}

/// Events being built: indexes of their items, and the days they cover.
struct Cluster {
    items: Vec<usize>,
    first: i64,
    last: i64,
    dated: bool,
}

/// Merges one group's mentions into events. Mentions with bodies that are not JSON objects
/// are left out (the store refuses such bodies, so this does not happen in practice).
pub fn merge_group(key: &str, mentions: &[MentionRecord]) -> Vec<MergedEvent> {
    let items: Vec<Item> = mentions.iter().filter_map(item).collect();
    let clusters = cluster(&items);
    clusters.iter().map(|c| merged_event(key, &items, &c.items)).collect()
}

fn item(record: &MentionRecord) -> Option<Item<'_>> {
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(&record.fact.body) else { return None };
    let date = body.get("date").and_then(Value::as_str).and_then(PartialDate::parse_iso);
    let place = body.get("location").filter(|l| l.is_object()).map(|l| {
        let text = |k: &str| l.get(k).and_then(Value::as_str).map(str::to_string);
        (text("name").unwrap_or_default(), text("country"))
    });
    let doc_day = record
        .doc_dates
        .values()
        .flatten()
        .filter_map(|d| PartialDate::parse_iso(d.get(..10).unwrap_or(d)))
        .map(|d| d.day_range().0)
        .min();
    Some(Item { record, body, date, place, doc_day })
}

/// Two places can be the same place when either is unknown, or they share a name or a
/// country ("Vilnius" and "Lithuania" can; "Madrid" and "Vilnius" cannot).
fn places_agree(a: &Option<(String, Option<String>)>, b: &Option<(String, Option<String>)>) -> bool {
    match (a, b) {
        (Some((name_a, country_a)), Some((name_b, country_b))) => {
            name_a == name_b || (country_a.is_some() && country_a == country_b)
        }
        _ => true,
    }
}

fn fits(items: &[Item], cluster: &Cluster, candidate: &Item) -> bool {
    cluster.items.iter().all(|&i| places_agree(&items[i].place, &candidate.place))
}

fn cluster(items: &[Item]) -> Vec<Cluster> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Day dates first, then months, then years, then undated; by date and id within each.
    let rank = |i: usize| {
        let it = &items[i];
        (it.date.map_or(3, precision), it.date.map(|d| d.day_range().0), &it.record.fact.id)
    };
    order.sort_by(|&a, &b| rank(a).cmp(&rank(b)));
    let mut clusters: Vec<Cluster> = Vec::new();
    for i in order {
        let it = &items[i];
        let chosen = match it.date {
            Some(d) if d.granularity() == "day" => join_day(items, &clusters, it, d),
            Some(d) => join_coarse(items, &clusters, it, d),
            None => join_undated(items, &clusters, it),
        };
        match chosen {
            Some(c) => {
                let cluster = &mut clusters[c];
                cluster.items.push(i);
                if let Some(d) = it.date {
                    let (first, last) = d.day_range();
                    if !cluster.dated {
                        (cluster.first, cluster.last, cluster.dated) = (first, last, true);
                    }
                    cluster.first = cluster.first.min(first);
                    cluster.last = cluster.last.max(last);
                }
            }
            None => {
                let (first, last, dated) = it.date.map_or((0, 0, false), |d| {
                    let (a, b) = d.day_range();
                    (a, b, true)
                });
                clusters.push(Cluster { items: vec![i], first, last, dated });
            }
        }
    }
    clusters
}

/// A day-dated mention joins the latest event it falls within the window of.
fn join_day(items: &[Item], clusters: &[Cluster], it: &Item, date: PartialDate) -> Option<usize> {
    let (day, _) = date.day_range();
    clusters
        .iter()
        .enumerate()
        .rev()
        .find(|(_, c)| c.dated && day - c.last <= WINDOW_DAYS && c.first - day <= WINDOW_DAYS && fits(items, c, it))
        .map(|(i, _)| i)
}

/// A month- or year-dated mention joins the best-attested event inside its period, if any.
fn join_coarse(items: &[Item], clusters: &[Cluster], it: &Item, date: PartialDate) -> Option<usize> {
    let (first, last) = date.day_range();
    clusters
        .iter()
        .enumerate()
        .filter(|(_, c)| c.dated && c.first >= first && c.last <= last && fits(items, c, it))
        .max_by_key(|(i, c)| (c.items.len(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

/// An undated mention joins the event its document most likely means: for an act that
/// happened, the latest one on or before the document's date; for a planned one, the earliest
/// on or after it. Without a document date it joins only when there is one candidate.
fn join_undated(items: &[Item], clusters: &[Cluster], it: &Item) -> Option<usize> {
    let candidates: Vec<(usize, &Cluster)> = clusters.iter().enumerate().filter(|(_, c)| fits(items, c, it)).collect();
    let planned = it.body.get("modality").and_then(Value::as_str) == Some("planned");
    let dated = candidates.iter().filter(|(_, c)| c.dated);
    let by_document_date = match it.doc_day {
        Some(day) if planned => dated.filter(|(_, c)| c.last >= day).min_by_key(|(_, c)| c.first),
        Some(day) => dated.filter(|(_, c)| c.first <= day).max_by_key(|(_, c)| c.last),
        None => None,
    };
    by_document_date
        .or_else(|| candidates.iter().find(|(_, c)| !c.dated))
        .or_else(|| (candidates.len() == 1).then(|| &candidates[0]))
        .map(|(i, _)| *i)
}

/// The merged event of a cluster: the best-attested reading of each field, every mention's
/// evidence, and disagreements (dates) listed side by side.
fn merged_event(key: &str, items: &[Item], members: &[usize]) -> MergedEvent {
    let members: Vec<&Item> = members.iter().map(|&i| &items[i]).collect();
    let ids: Vec<String> = {
        let mut ids: Vec<String> = members.iter().map(|m| m.record.fact.id.clone()).collect();
        ids.sort();
        ids
    };
    let evidence: Vec<Evidence> = {
        let set: BTreeSet<&Evidence> = members.iter().flat_map(|m| &m.record.evidence).collect();
        set.into_iter().cloned().collect()
    };
    let sentences: BTreeSet<(&str, usize)> = evidence.iter().map(|e| (e.doc.as_str(), e.sentence)).collect();
    let documents: BTreeSet<&str> = evidence.iter().map(|e| e.doc.as_str()).collect();

    let cameo = most_common(members.iter().filter_map(|m| text(&m.body, "cameo")));
    let representative = members
        .iter()
        .filter(|m| text(&m.body, "cameo") == cameo)
        .max_by_key(|m| (m.record.evidence.len(), std::cmp::Reverse(&m.record.fact.id)))
        .unwrap_or(&members[0]);
    let mut body = representative.body.clone();
    body.insert("date".into(), json!(event_date(&members)));
    let dates = date_counts(&members);
    if dates.len() > 1 {
        body.insert(
            "dates_reported".into(),
            json!(dates.iter().map(|(d, n)| json!({ "date": d, "mentions": n })).collect::<Vec<_>>()),
        );
    }
    let location = most_common(
        members.iter().filter_map(|m| m.body.get("location").filter(|l| l.is_object()).map(|l| l.to_string())),
    );
    body.insert("location".into(), location.and_then(|l| serde_json::from_str(&l).ok()).unwrap_or(Value::Null));
    body.insert("modality".into(), json!(most_common(members.iter().filter_map(|m| text(&m.body, "modality")))));
    body.insert("others".into(), Value::Array(union_of(&members, &["others"])));
    body.insert("actors".into(), Value::Array(union_of(&members, &["source", "target"])));
    body.insert("mentions".into(), json!(sentences.len()));
    body.insert("documents".into(), json!(documents.len()));
    body.insert("merged_from".into(), json!(ids));
    let id_hash: String =
        Sha256::digest(format!("{key}|{}", ids[0]).as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect();
    MergedEvent {
        fact: FactRecord {
            id: format!("event:{id_hash}"),
            kind: "event".into(),
            body: Value::Object(body).to_string(),
            confidence: combined_confidence(&members),
        },
        evidence,
        members: ids,
    }
}

fn text(body: &Map<String, Value>, field: &str) -> Option<String> {
    body.get(field).and_then(Value::as_str).map(str::to_string)
}

/// The most frequent value; ties go to the smallest, so the choice does not depend on order.
fn most_common(values: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts.into_iter().max_by(|(a, n), (b, m)| n.cmp(m).then(b.cmp(a))).map(|(v, _)| v)
}

fn date_counts(members: &[&Item]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for d in members.iter().filter_map(|m| m.date) {
        *counts.entry(d.to_string()).or_default() += 1;
    }
    counts
}

/// The event's date: the most reported of the most precise dates given.
fn event_date(members: &[&Item]) -> Option<String> {
    let best = members.iter().filter_map(|m| m.date).map(precision).min()?;
    most_common(members.iter().filter_map(|m| m.date).filter(|&d| precision(d) == best).map(|d| d.to_string()))
}

/// 0 for a day, 1 for a month, 2 for a year: smaller is more precise.
fn precision(date: PartialDate) -> u8 {
    match (date.month, date.day) {
        (Some(_), Some(_)) => 0,
        (Some(_), None) => 1,
        _ => 2,
    }
}

/// Distinct actor refs found under `fields` of the members, by id.
fn union_of(members: &[&Item], fields: &[&str]) -> Vec<Value> {
    let mut seen: BTreeMap<String, Value> = BTreeMap::new();
    for m in members {
        for f in fields {
            let refs: Vec<&Value> = match m.body.get(*f) {
                Some(Value::Array(a)) => a.iter().collect(),
                Some(v @ Value::Object(_)) => vec![v],
                _ => Vec::new(),
            };
            for r in refs {
                if let Some(id) = r.get("id").and_then(Value::as_str) {
                    seen.entry(id.to_string()).or_insert_with(|| r.clone());
                }
            }
        }
    }
    seen.into_values().collect()
}

/// Independent documents add up: 1 - the product of each document's doubt, where a
/// document's confidence is its best mention's. Capped below certainty.
fn combined_confidence(members: &[&Item]) -> f64 {
    let mut per_doc: BTreeMap<&str, f64> = BTreeMap::new();
    for m in members {
        for e in &m.record.evidence {
            let c = per_doc.entry(e.doc.as_str()).or_default();
            *c = c.max(m.record.fact.confidence);
        }
    }
    let doubt: f64 = per_doc.values().map(|c| 1.0 - c).product();
    ((1.0 - doubt).min(0.99) * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(id: &str, doc: &str, doc_date: Option<&str>, date: Option<&str>, place: Option<&str>) -> MentionRecord {
        let body = json!({
            "source": { "id": "JPN", "type": "state", "name": "Japan" },
            "target": { "id": "NATO", "type": "organization", "name": "NATO" },
            "plover": "CONSULT", "cameo": "040", "goldstein": 1.0, "modality": "asserted",
            "date": date, "location": place.map(|p| json!({ "name": p, "country": null })),
        });
        MentionRecord {
            fact: FactRecord { id: id.into(), kind: "event_mention".into(), body: body.to_string(), confidence: 0.7 },
            evidence: vec![Evidence { doc: doc.into(), sentence: 0, start: 0, end: 5, rule: "r".into() }],
            doc_dates: [(doc.to_string(), doc_date.map(str::to_string))].into(),
        }
    }

    fn groups(mentions: &[MentionRecord]) -> Vec<Vec<String>> {
        let mut g: Vec<Vec<String>> = merge_group("k", mentions).into_iter().map(|e| e.members).collect();
        g.sort();
        g
    }

    #[test]
    fn day_dates_within_the_window_merge_and_farther_ones_do_not() {
        let m = [
            mention("a", "d1", None, Some("2023-07-11"), None),
            mention("b", "d2", None, Some("2023-07-12"), None),
            mention("c", "d3", None, Some("2023-09-01"), None),
        ];
        assert_eq!(groups(&m), [vec!["a", "b"], vec!["c"]]);
    }

    #[test]
    fn a_month_or_year_joins_the_event_it_covers() {
        let m = [
            mention("a", "d1", None, Some("2023-07-11"), None),
            mention("b", "d2", None, Some("2023-07"), None),
            mention("c", "d3", None, Some("2023"), None),
            mention("d", "d4", None, Some("2022"), None),
        ];
        assert_eq!(groups(&m), [vec!["a", "b", "c"], vec!["d"]]);
    }

    #[test]
    fn different_places_keep_events_apart() {
        let m = [
            mention("a", "d1", None, Some("2023-07-11"), Some("Vilnius")),
            mention("b", "d2", None, Some("2023-07-12"), Some("Madrid")),
        ];
        assert_eq!(groups(&m).len(), 2);
    }

    #[test]
    fn an_undated_mention_joins_the_latest_event_before_its_document() {
        let m = [
            mention("a", "d1", None, Some("2022-06-29"), None),
            mention("b", "d2", None, Some("2023-07-11"), None),
            mention("c", "d3", Some("2023-01-15"), None, None),
        ];
        assert_eq!(groups(&m), [vec!["a", "c"], vec!["b"]]);
    }

    #[test]
    fn confidence_grows_with_independent_documents_and_dates_disagreeing_are_kept() {
        let one = merge_group("k", &[mention("a", "d1", None, Some("2023-07-11"), None)]);
        let two = merge_group(
            "k",
            &[mention("a", "d1", None, Some("2023-07-11"), None), mention("b", "d2", None, Some("2023-07-12"), None)],
        );
        assert!(two[0].fact.confidence > one[0].fact.confidence);
        let body: Value = serde_json::from_str(&two[0].fact.body).unwrap();
        assert_eq!(body["mentions"], 2);
        assert_eq!(body["dates_reported"].as_array().unwrap().len(), 2, "both dates are kept side by side");
    }

    #[test]
    fn the_key_puts_a_person_on_their_states_side_and_keeps_planned_acts_apart() {
        let body = |source: Value, modality: &str| json!({ "source": source, "target": { "id": "NATO", "type": "organization" }, "plover": "CONSULT", "modality": modality });
        let person = json!({ "id": "fumio-kishida", "type": "person", "country": "JPN" });
        let state = json!({ "id": "JPN", "type": "state" });
        assert_eq!(merge_key(&body(person.clone(), "asserted")), merge_key(&body(state.clone(), "reported")));
        assert_ne!(merge_key(&body(person, "asserted")), merge_key(&body(state, "planned")));
    }
}
