//! A synthetic store: states and organisations, documents, events with evidence and
//! memberships, deterministic from a seed. Shared by the load bench and the serve example.

use entente_document::{Document, Metadata, PartialDate, Sentence, Span};
use entente_store::{Evidence, FactRecord, Store, StoreError};
use serde_json::json;
use std::path::Path;

const STATES: &[(&str, &str)] = &[
    ("JPN", "Japan"),
    ("KOR", "South Korea"),
    ("AUS", "Australia"),
    ("NZL", "New Zealand"),
    ("USA", "United States"),
    ("CHN", "China"),
    ("RUS", "Russia"),
    ("FRA", "France"),
    ("DEU", "Germany"),
    ("GBR", "United Kingdom"),
    ("IND", "India"),
    ("PRK", "North Korea"),
];
const GROUPS: &[(&str, &str)] = &[("NATO", "NATO"), ("EU", "European Union"), ("ASEAN", "ASEAN"), ("G7", "G7")];
const VERBS: &[(&str, &str, &str, f64)] = &[
    ("met", "CONSULT", "040", 1.0),
    ("signed an agreement with", "AGREE", "057", 8.0),
    ("praised", "SUPPORT", "051", 3.4),
    ("criticised", "DISAPPROVE", "111", -2.0),
    ("threatened", "THREATEN", "138", -7.0),
    ("sent aid to", "AID", "070", 7.0),
];

/// A small deterministic generator (xorshift), so runs are repeatable without a crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn actor(i: usize) -> (&'static str, &'static str, &'static str) {
    if i < STATES.len() {
        (STATES[i].0, STATES[i].1, "state")
    } else {
        let g = GROUPS[i - STATES.len()];
        (g.0, g.1, "organization")
    }
}

/// Writes `events` event facts (one document per 4 events, one sentence per event), plus one
/// membership per state in a group, into a new store at `path`.
#[allow(dead_code)] // the load bench fills a store it opened itself
pub fn fill(path: &Path, events: usize) -> Result<(), StoreError> {
    fill_store(&mut Store::open(path)?, events)
}

/// As [`fill`], into an empty store already open (an SQLite file or a PostgreSQL database).
pub fn fill_store(store: &mut Store, events: usize) -> Result<(), StoreError> {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let actors = STATES.len() + GROUPS.len();
    let docs = events.div_ceil(4);
    for chunk in (0..docs).collect::<Vec<_>>().chunks(2000) {
        let mut batch = store.batch()?;
        for &d in chunk {
            let day = d % 730;
            let date = format!("{}-{:02}-{:02}", 2023 + day / 365, (day % 365) / 31 + 1, day % 28 + 1);
            let mut text = String::new();
            let mut sentences = Vec::new();
            let mut facts = Vec::new();
            for k in 0..4.min(events - d * 4) {
                let (s, t) = (rng.next(actors), rng.next(actors));
                let t = if s == t { (t + 1) % actors } else { t };
                let (sa, ta, v) = (actor(s), actor(t), VERBS[rng.next(VERBS.len())]);
                let start = text.len();
                text.push_str(&format!("{} {} {} on day {d}. ", sa.1, v.0, ta.1));
                let end = text.len() - 1;
                sentences.push(Sentence { span: Span::new(start, end), first_token: 0, token_count: 0 });
                let body = json!({
                    "source": {"id": sa.0, "name": sa.1, "type": sa.2}, "target": {"id": ta.0, "name": ta.1, "type": ta.2},
                    "others": [], "plover": v.1, "mode": null, "cameo": v.2, "goldstein": v.3, "date": date,
                    "date_rule": "date:explicit", "location": null, "modality": "asserted",
                    "actors": [], "mentions": 1 + d % 3, "documents": 1 + d % 3, "merged_from": [],
                });
                facts.push((format!("ev-{d}-{k}"), body, k, start, end));
            }
            let id = format!("doc-{d}");
            let mut doc = Document::new(
                &id,
                text.trim_end(),
                Metadata { source_path: format!("{id}.txt"), title: Some(format!("Report {d}")), ..Default::default() },
            );
            doc.content_hash = format!("synthetic-{d}");
            doc.date.date = PartialDate::parse_iso(&date);
            doc.sentences = sentences;
            batch.insert_document(&doc)?;
            for (fid, body, k, start, end) in facts {
                let fact = FactRecord { id: fid, kind: "event".into(), body: body.to_string(), confidence: 0.9 };
                batch.upsert_fact(
                    &fact,
                    &[Evidence { doc: id.clone(), sentence: k, start, end, rule: "synthetic".into() }],
                )?;
            }
        }
        batch.commit()?;
    }
    let mut batch = store.batch()?;
    for (i, (id, name)) in STATES.iter().enumerate() {
        let (gid, gname) = GROUPS[i % GROUPS.len()];
        let body = json!({"member": {"id": id, "name": name, "type": "state"}, "group": {"id": gid, "name": gname, "type": "organization"},
            "status": "member", "start": "2023-06-01", "end": null});
        batch.upsert_fact(
            &FactRecord {
                id: format!("mem-{id}-{gid}"),
                kind: "membership".into(),
                body: body.to_string(),
                confidence: 0.8,
            },
            &[],
        )?;
    }
    batch.commit()
}
