//! Event coreference: the same event told in several sentences or articles becomes one event.
//!
//! Mentions are first filed into merge groups by who did what to whom ([`merge_key`]: the two
//! actors, a person standing for their state, the PLOVER type and whether the act happened,
//! is planned, denied or supposed). Within a group, mentions join when their dates agree
//! within [`WINDOW_DAYS`] and their places do not contradict; a mention dated only to the month
//! or year joins the event it covers; an undated one joins the event its document most likely
//! means. Each group is merged from all its mentions at once, so ingesting articles one by one
//! gives the same events as ingesting them together.

use entente_document::event::{Event, Location, MergedEvent as MergedBody, Modality, ReportedDate};
use entente_document::{ActorKind, ActorRef, PartialDate};
use entente_store::{Evidence, FactRecord, MentionRecord, MergedEvent};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Day-dated mentions this many days apart or less may tell the same event (a summit runs over
/// days, and reports date it by its opening or closing day).
pub const WINDOW_DAYS: i64 = 3;

/// The merge group of an event mention.
pub fn merge_key(event: &Event) -> String {
    let source = actor_key(&event.source);
    let target = event.target.as_ref().map_or("", actor_key);
    // A reported act and an asserted one are the same act, told at one more remove.
    let modality = if event.modality.happened() { "happened" } else { event.modality.as_str() };
    format!("{source}|{target}|{}|{modality}", event.plover)
}

/// The actor an edge of the graph is drawn for (`ActorRef::node`: a person with a known
/// country stands for that state's side, an organ for its organisation; a state's sector for
/// the state), except that a person of no state keeps their own key: the side they act for
/// comes from role facts, which one document may give and another not, so it must not split
/// their mentions between groups.
fn actor_key(actor: &ActorRef) -> &str {
    match (actor.kind, &actor.country) {
        (ActorKind::Person, None) => &actor.id,
        _ => actor.node(),
    }
}

/// One mention as the clustering sees it.
struct Item<'a> {
    record: &'a MentionRecord,
    event: Event,
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

/// Merges one group's mentions into events. A mention whose body is not an event is left out:
/// [`crate::update`] refuses such bodies before they reach a group.
pub fn merge_group(key: &str, mentions: &[MentionRecord]) -> Vec<MergedEvent> {
    let items: Vec<Item> = mentions.iter().filter_map(item).collect();
    let clusters = cluster(&items);
    clusters.iter().map(|c| merged_event(key, &items, &c.items)).collect()
}

fn item(record: &MentionRecord) -> Option<Item<'_>> {
    let event: Event = serde_json::from_str(&record.fact.body).ok()?;
    let date = event.date;
    let place = event.location.as_ref().map(|l| (l.name.clone(), l.country.clone()));
    let doc_day = record
        .doc_dates
        .values()
        .flatten()
        .filter_map(|d| PartialDate::parse_iso(d.get(..10).unwrap_or(d)))
        .map(|d| d.day_range().0)
        .min();
    Some(Item { record, event, date, place, doc_day })
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
    let planned = it.event.modality == Modality::Planned;
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

    let cameo = most_common(members.iter().map(|m| m.event.cameo.clone()));
    let representative = members
        .iter()
        .filter(|m| Some(&m.event.cameo) == cameo.as_ref())
        .max_by_key(|m| (m.record.evidence.len(), std::cmp::Reverse(&m.record.fact.id)))
        .unwrap_or(&members[0]);
    let mut event = representative.event.clone();
    event.date = event_date(&members);
    let dates = date_counts(&members);
    let dates_reported =
        (dates.len() > 1).then(|| dates.into_iter().map(|(date, mentions)| ReportedDate { date, mentions }).collect());
    event.location = most_common(members.iter().filter_map(|m| m.event.location.as_ref().map(location_key)))
        .and_then(|key| members.iter().filter_map(|m| m.event.location.clone()).find(|l| location_key(l) == key));
    if let Some(modality) = most_common(members.iter().map(|m| m.event.modality)) {
        event.modality = modality;
    }
    event.others = union_of(members.iter().flat_map(|m| m.event.others.iter()));
    let actors = union_of(members.iter().flat_map(|m| std::iter::once(&m.event.source).chain(&m.event.target)));
    let body = MergedBody {
        event,
        dates_reported,
        actors,
        mentions: sentences.len(),
        documents: documents.len(),
        merged_from: ids.clone(),
    };
    let id_hash: String =
        Sha256::digest(format!("{key}|{}", ids[0]).as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect();
    MergedEvent {
        fact: FactRecord {
            id: format!("event:{id_hash}"),
            kind: "event".into(),
            body: serde_json::to_string(&body).expect("a merged event is plain data and always serialises"),
            confidence: combined_confidence(&members),
        },
        evidence,
        members: ids,
    }
}

/// Places compare by name and state.
fn location_key(l: &Location) -> (String, Option<String>) {
    (l.name.clone(), l.country.clone())
}

/// The most frequent value; ties go to the smallest, so the choice does not depend on order.
fn most_common<T: Ord>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: BTreeMap<T, usize> = BTreeMap::new();
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
fn event_date(members: &[&Item]) -> Option<PartialDate> {
    let best = members.iter().filter_map(|m| m.date).map(precision).min()?;
    most_common(members.iter().filter_map(|m| m.date).filter(|&d| precision(d) == best))
}

/// 0 for a day, 1 for a month, 2 for a year: smaller is more precise.
fn precision(date: PartialDate) -> u8 {
    match (date.month, date.day) {
        (Some(_), Some(_)) => 0,
        (Some(_), None) => 1,
        _ => 2,
    }
}

/// Distinct actor refs, by id (the first seen of each).
fn union_of<'a>(refs: impl Iterator<Item = &'a ActorRef>) -> Vec<ActorRef> {
    let mut seen: BTreeMap<&str, &ActorRef> = BTreeMap::new();
    for r in refs {
        seen.entry(r.id.as_str()).or_insert(r);
    }
    seen.into_values().cloned().collect()
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
    use entente_document::event::{Cameo, Plover};
    use serde_json::Value;

    fn consult(source: ActorRef, modality: Modality) -> Event {
        Event {
            source,
            target: Some(ActorRef::new("NATO", ActorKind::Organization, "NATO")),
            others: vec![],
            plover: Plover::Consult,
            mode: None,
            cameo: Cameo::new("040").unwrap(),
            goldstein: 1.0,
            date: None,
            date_rule: "date:none".into(),
            location: None,
            modality,
        }
    }

    fn mention(id: &str, doc: &str, doc_date: Option<&str>, date: Option<&str>, place: Option<&str>) -> MentionRecord {
        let mut event = consult(ActorRef::new("JPN", ActorKind::State, "Japan"), Modality::Asserted);
        event.date = date.and_then(PartialDate::parse_iso);
        event.location = place.map(|p| Location { name: p.into(), country: None });
        let body = serde_json::to_value(&event).unwrap();
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
        let person = ActorRef {
            country: Some("JPN".into()),
            ..ActorRef::new("fumio-kishida", ActorKind::Person, "Fumio Kishida")
        };
        let state = ActorRef::new("JPN", ActorKind::State, "Japan");
        assert_eq!(
            merge_key(&consult(person.clone(), Modality::Asserted)),
            merge_key(&consult(state.clone(), Modality::Reported))
        );
        assert_ne!(merge_key(&consult(person, Modality::Asserted)), merge_key(&consult(state, Modality::Planned)));
    }
}
