//! Event and relation facts read from the store into typed rows, one at a time, which the CSV,
//! Parquet and GraphML writers share.

use crate::{EvidenceTally, ExportError, body_of, fact_documents};
use entente_document::ActorKind;
use entente_document::event::MergedEvent;
use entente_store::stream::EvidenceDocument;
use entente_store::{Evidence, Store};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Evidence in the first sentences of a document counts as the lead (GDELT's `IsRootEvent`
/// marks events from the lead paragraph; a text's first "sentence" is often its title line).
const LEAD_SENTENCES: usize = 3;

pub(crate) use entente_document::ActorRef as Actor;

/// GDELT's KnownGroupCode: set for organisations and groupings (NATO, EU, G7) and for the
/// armed groups and parties the knowledge base knows (HAMAS, HEZBOLLAH: upper-case ids; an
/// unknown "other" keeps its name only).
pub(crate) fn group_code(actor: &Actor) -> Option<&str> {
    let known_other = actor.kind == ActorKind::Other && actor.id.chars().all(|c| !c.is_lowercase());
    (matches!(actor.kind, ActorKind::Organization | ActorKind::Grouping) || known_other).then_some(actor.id.as_str())
}

/// Where the first evidence points: the document GDELT would call the source article.
#[derive(Clone, Debug, Default)]
pub(crate) struct FirstSource {
    pub evidence: Option<Evidence>,
    pub url: Option<String>,
    pub date: Option<String>,
}

/// One `event` fact.
#[derive(Clone, Debug)]
pub(crate) struct EventRow {
    pub id: String,
    pub source: Actor,
    pub target: Option<Actor>,
    pub others: Vec<Actor>,
    pub plover: String,
    pub mode: Option<String>,
    pub cameo: Option<String>,
    pub goldstein: Option<f64>,
    pub date: Option<String>,
    pub location: Option<(Option<String>, Option<String>)>,
    pub modality: Option<String>,
    pub confidence: f64,
    pub mentions: usize,
    pub articles: usize,
    pub outlets: usize,
    pub lead: bool,
    pub first: FirstSource,
}

/// One `role`, `membership` or `partnership` fact, as an edge `from` -> `to`.
#[derive(Clone, Debug)]
pub(crate) struct RelationRow {
    pub id: String,
    pub kind: String,
    pub from: Actor,
    pub to: Actor,
    pub role: Option<String>,
    pub status: Option<String>,
    pub name: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub confidence: f64,
    pub articles: usize,
    pub first: FirstSource,
}

/// The relation kinds and the body fields of their two ends.
const RELATIONS: &[(&str, &str, &str)] =
    &[("role", "person", "of"), ("membership", "member", "group"), ("partnership", "a", "b")];

/// Reads facts one at a time, with what their evidence says: the writers get each row as it
/// is read and keep only what they aggregate.
pub(crate) struct Reader<'s> {
    store: &'s Store,
}

/// What a fact's evidence gives the tables: counts, the lead flag and the first source.
#[derive(Default)]
struct Sources {
    tally: EvidenceTally,
    outlets: usize,
    lead: bool,
    first: FirstSource,
}

impl<'s> Reader<'s> {
    pub fn new(store: &'s Store) -> Self {
        Reader { store }
    }

    /// The actors of the `actor` facts.
    pub fn for_each_actor(&self, mut visit: impl FnMut(Actor) -> Result<(), ExportError>) -> Result<(), ExportError> {
        self.store.for_each_fact("actor", |fact| visit(actor(&fact.id, &body_of(&fact.id, &fact.body)?, "actor")?))
    }

    pub fn for_each_event(
        &self,
        mut visit: impl FnMut(EventRow) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        self.store.for_each_fact("event", |fact| visit(self.event(&fact.id, &fact.body, fact.confidence)?))
    }

    /// The relations in kind order, then id order. Without `sources`, their evidence is not
    /// read (`articles` is 0 and `first` empty), for writers that show neither.
    pub fn for_each_relation(
        &self,
        sources: bool,
        mut visit: impl FnMut(RelationRow) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        for &(kind, from, to) in RELATIONS {
            self.store.for_each_fact(kind, |fact| {
                let body = body_of(&fact.id, &fact.body)?;
                let evidence = if sources { self.sources(&fact.id)? } else { Sources::default() };
                visit(RelationRow {
                    from: actor(&fact.id, &body, from)?,
                    to: actor(&fact.id, &body, to)?,
                    kind: kind.to_string(),
                    role: text(&body, "role"),
                    status: text(&body, "status"),
                    name: text(&body, "name"),
                    start: text(&body, "start"),
                    end: text(&body, "end"),
                    confidence: fact.confidence,
                    articles: fact_documents(&body, evidence.tally.documents),
                    first: evidence.first,
                    id: fact.id,
                })
            })?;
        }
        Ok(())
    }

    /// A merged event, read strictly as the typed event (no field defaults).
    fn event(&self, id: &str, body: &str, confidence: f64) -> Result<EventRow, ExportError> {
        let merged: MergedEvent = serde_json::from_str(body)
            .map_err(|e| ExportError::NotAnEvent { id: id.to_string(), problem: e.to_string() })?;
        let MergedEvent { event: e, mentions, documents, .. } = merged;
        let evidence = self.sources(id)?;
        Ok(EventRow {
            id: id.to_string(),
            source: e.source,
            target: e.target,
            others: e.others,
            plover: e.plover.to_string(),
            mode: e.mode,
            cameo: Some(e.cameo.to_string()),
            goldstein: Some(e.goldstein),
            date: e.date.map(|d| d.to_string()),
            location: e.location.map(|l| (Some(l.name), l.country)),
            modality: Some(e.modality.to_string()),
            confidence,
            mentions,
            articles: documents,
            outlets: evidence.outlets,
            lead: evidence.lead,
            first: evidence.first,
        })
    }

    /// Streams a fact's evidence once. The first row is the first of the first document as
    /// stored: the document GDELT would call the source article.
    fn sources(&self, fact: &str) -> Result<Sources, ExportError> {
        let mut sources = Sources::default();
        let mut outlets = BTreeSet::new();
        self.store.for_each_evidence(fact, |doc, e| {
            if sources.first.evidence.is_none() {
                sources.first = FirstSource { evidence: Some(e.clone()), url: doc.url.clone(), date: doc.date.clone() };
            }
            if sources.tally.current_is_not(&doc.id) {
                outlets.insert(outlet(doc));
            }
            sources.lead |= e.sentence < LEAD_SENTENCES;
            sources.tally.add(&e);
            Ok::<_, entente_store::StoreError>(())
        })?;
        sources.outlets = outlets.len();
        Ok(sources)
    }
}

/// An outlet: the web host when a document has a URL, else the document itself (GDELT's
/// NumSources counts sources, NumArticles documents).
fn outlet(doc: &EvidenceDocument) -> String {
    match doc.url.as_deref().and_then(host) {
        Some(host) => format!("host:{host}"),
        None => format!("doc:{}", doc.id),
    }
}

fn text(body: &Map<String, Value>, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

fn actor(id: &str, body: &Map<String, Value>, field: &'static str) -> Result<Actor, ExportError> {
    let unusable = |problem: String| ExportError::Field { id: id.to_string(), field, problem };
    let value = body.get(field).ok_or_else(|| unusable("missing".into()))?;
    Actor::from_json(value).map_err(|e| unusable(e.to_string()))
}

/// The host of an absolute URL, without `www.`: `https://www.x.org/a` -> `x.org`.
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// A contract date (`yyyy-mm-dd`, `yyyy-mm`, `yyyy`) as GDELT's integer dates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DateParts {
    /// yyyymmdd, or yyyymm, or yyyy: as precise as the date is.
    pub sql_date: Option<i32>,
    /// yyyymm, when the month is known.
    pub month_year: Option<i32>,
    pub year: Option<i32>,
    pub precision: &'static str,
}

impl DateParts {
    pub fn of(date: Option<&str>) -> DateParts {
        let none = DateParts { precision: "none", ..DateParts::default() };
        let Some(date) = date else { return none };
        let parts: Vec<&str> = date.split('-').collect();
        let lengths_ok = parts.iter().zip([4, 2, 2]).all(|(p, n)| p.len() == n);
        let numbers: Option<Vec<i32>> = parts.iter().map(|p| p.parse().ok()).collect();
        match (lengths_ok, numbers.as_deref()) {
            (true, Some(&[y])) => DateParts { sql_date: Some(y), year: Some(y), precision: "year", ..none },
            (true, Some(&[y, m])) => {
                let ym = y * 100 + m;
                DateParts { sql_date: Some(ym), month_year: Some(ym), year: Some(y), precision: "month" }
            }
            (true, Some(&[y, m, d])) => DateParts {
                sql_date: Some((y * 100 + m) * 100 + d),
                month_year: Some(y * 100 + m),
                year: Some(y),
                precision: "day",
            },
            _ => none,
        }
    }
}

/// CAMEO's code hierarchy: `0231` has base `023` and root `02`.
pub(crate) fn cameo_base(code: &str) -> Option<&str> {
    code.get(..3)
}

pub(crate) fn cameo_root(code: &str) -> Option<&str> {
    code.get(..2)
}

/// GDELT's QuadClass from the CAMEO root: 1 verbal cooperation (01-05), 2 material cooperation
/// (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20).
pub(crate) fn quad_class(cameo: &str) -> Option<i32> {
    match cameo_root(cameo)?.parse::<u8>().ok()? {
        1..=5 => Some(1),
        6..=8 => Some(2),
        9..=13 => Some(3),
        14..=20 => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(DateParts::of(Some("2023-07-12")).sql_date, Some(20230712));
        assert_eq!(
            DateParts::of(Some("2023-07")),
            DateParts { sql_date: Some(202307), month_year: Some(202307), year: Some(2023), precision: "month" }
        );
        assert_eq!(DateParts::of(Some("2023")).precision, "year");
        assert_eq!(DateParts::of(Some("July 2023")).precision, "none");
        assert_eq!(DateParts::of(None).sql_date, None);
    }

    #[test]
    fn quad_class_follows_the_cameo_root() {
        assert_eq!(quad_class("036"), Some(1));
        assert_eq!(quad_class("0831"), Some(2));
        assert_eq!(quad_class("112"), Some(3));
        assert_eq!(quad_class("190"), Some(4));
        assert_eq!(quad_class(""), None);
        assert_eq!((cameo_base("0231"), cameo_root("0231")), (Some("023"), Some("02")));
    }

    #[test]
    fn hosts_drop_scheme_path_and_www() {
        assert_eq!(host("https://www.x.org/2023/a.html?q=1"), Some("x.org"));
        assert_eq!(host("http://news.y.com"), Some("news.y.com"));
        assert_eq!(host("not a url"), None);
    }
}
