//! The event as every crate sees it: the coder makes it, the store keeps it (as this type's
//! JSON), the graph merges it and the exports write it. One definition, read strictly: a body
//! that lacks a field or holds an unknown value is an error, never a silent default.
//!
//! The JSON is the `event` kind of the export contract (`spec/facts.md`), field for field.

use crate::{ActorRef, PartialDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// The twenty PLOVER event types of the export contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Plover {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Request,
    Accuse,
    Disapprove,
    Reject,
    Threaten,
    Protest,
    Demand,
    Sanction,
    Mobilize,
    Coerce,
    Assault,
    Fight,
    Investigate,
}

impl Plover {
    pub const ALL: [Plover; 20] = [
        Plover::Agree,
        Plover::Consult,
        Plover::Support,
        Plover::Concede,
        Plover::Cooperate,
        Plover::Aid,
        Plover::Retreat,
        Plover::Request,
        Plover::Accuse,
        Plover::Disapprove,
        Plover::Reject,
        Plover::Threaten,
        Plover::Protest,
        Plover::Demand,
        Plover::Sanction,
        Plover::Mobilize,
        Plover::Coerce,
        Plover::Assault,
        Plover::Fight,
        Plover::Investigate,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Plover::Agree => "AGREE",
            Plover::Consult => "CONSULT",
            Plover::Support => "SUPPORT",
            Plover::Concede => "CONCEDE",
            Plover::Cooperate => "COOPERATE",
            Plover::Aid => "AID",
            Plover::Retreat => "RETREAT",
            Plover::Request => "REQUEST",
            Plover::Accuse => "ACCUSE",
            Plover::Disapprove => "DISAPPROVE",
            Plover::Reject => "REJECT",
            Plover::Threaten => "THREATEN",
            Plover::Protest => "PROTEST",
            Plover::Demand => "DEMAND",
            Plover::Sanction => "SANCTION",
            Plover::Mobilize => "MOBILIZE",
            Plover::Coerce => "COERCE",
            Plover::Assault => "ASSAULT",
            Plover::Fight => "FIGHT",
            Plover::Investigate => "INVESTIGATE",
        }
    }
}

impl fmt::Display for Plover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value that is not one of a closed set: what it was and what was allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a {what}")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}

impl FromStr for Plover {
    type Err = UnknownValue;

    /// Case-insensitive: "agree" and "AGREE" are both AGREE.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Plover::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownValue { what: "PLOVER event type", value: s.to_string() })
    }
}

/// Whether the text tells the act as done, planned, denied, supposed or reported by another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Asserted,
    Planned,
    Negated,
    Hypothetical,
    Reported,
}

impl Modality {
    pub const ALL: [Modality; 5] =
        [Modality::Asserted, Modality::Planned, Modality::Negated, Modality::Hypothetical, Modality::Reported];

    pub fn as_str(&self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Planned => "planned",
            Modality::Negated => "negated",
            Modality::Hypothetical => "hypothetical",
            Modality::Reported => "reported",
        }
    }

    /// Told as having happened (first-hand or reported), not planned, denied or supposed.
    pub fn happened(&self) -> bool {
        matches!(self, Modality::Asserted | Modality::Reported)
    }
}

impl fmt::Display for Modality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Modality {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Modality::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownValue { what: "modality", value: s.to_string() })
    }
}

/// A CAMEO event code: three or four digits ("042", "1124"). Which codes exist is the coder's
/// table; this type only guarantees the form.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cameo(String);

impl Cameo {
    pub fn new(code: &str) -> Result<Cameo, UnknownValue> {
        let well_formed = (3..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit());
        if well_formed {
            Ok(Cameo(code.to_string()))
        } else {
            Err(UnknownValue { what: "CAMEO code (three or four digits)", value: code.to_string() })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit root: "04" for "042".
    pub fn root(&self) -> &str {
        &self.0[..2]
    }
}

impl fmt::Display for Cameo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Cameo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Cameo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Cameo::new(&raw).map_err(serde::de::Error::custom)
    }
}

/// Where an event took place: a named place and its state.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub name: String,
    /// ISO 3166-1 alpha-3.
    pub country: Option<String>,
}

/// One event as the coder tells it and the store keeps it (an `event_mention` fact's body).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub source: ActorRef,
    pub target: Option<ActorRef>,
    pub others: Vec<ActorRef>,
    pub plover: Plover,
    /// PLOVER's mode for the type (`mode` in its table), when the code has one.
    pub mode: Option<String>,
    pub cameo: Cameo,
    pub goldstein: f64,
    #[serde(with = "iso_date")]
    pub date: Option<PartialDate>,
    /// Which rule gave the date (`date:explicit`, `date:document`, ...).
    pub date_rule: String,
    pub location: Option<Location>,
    pub modality: Modality,
}

/// A reported date and how many mentions gave it, where the merged mentions disagree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportedDate {
    pub date: String,
    pub mentions: usize,
}

/// The event the graph merges from mentions that tell the same act (an `event` fact's body):
/// the best-attested reading of each field, and what was merged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MergedEvent {
    #[serde(flatten)]
    pub event: Event,
    /// Every date the mentions gave, when they disagree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dates_reported: Option<Vec<ReportedDate>>,
    /// Every distinct source and target of the mentions (a person and their state).
    pub actors: Vec<ActorRef>,
    /// Sentences across documents.
    pub mentions: usize,
    pub documents: usize,
    /// The ids of the mention facts merged.
    pub merged_from: Vec<String>,
}

/// The fields a merged event adds to its event.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Merging {
    #[serde(default)]
    dates_reported: Option<Vec<ReportedDate>>,
    actors: Vec<ActorRef>,
    mentions: usize,
    documents: usize,
    merged_from: Vec<String>,
}

/// Read as strictly as [`Event`]: the merging fields are taken out, and the rest must be an
/// event and nothing else (serde's `flatten` would let unknown fields through).
impl<'de> Deserialize<'de> for MergedEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const MERGING: [&str; 5] = ["dates_reported", "actors", "mentions", "documents", "merged_from"];
        let mut rest = serde_json::Map::deserialize(d)?;
        let merging: serde_json::Map<String, serde_json::Value> =
            MERGING.iter().filter_map(|k| rest.remove(*k).map(|v| (k.to_string(), v))).collect();
        let event = Event::deserialize(serde_json::Value::Object(rest)).map_err(serde::de::Error::custom)?;
        let m = Merging::deserialize(serde_json::Value::Object(merging)).map_err(serde::de::Error::custom)?;
        Ok(MergedEvent {
            event,
            dates_reported: m.dates_reported,
            actors: m.actors,
            mentions: m.mentions,
            documents: m.documents,
            merged_from: m.merged_from,
        })
    }
}

/// Dates as the contract writes them: ISO with the precision the text gives, or null.
mod iso_date {
    use crate::PartialDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<PartialDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_str(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PartialDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(raw) => PartialDate::parse_iso(&raw)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("{raw:?} is not an ISO date"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ActorKind;

    fn event() -> Event {
        Event {
            source: ActorRef::new("JPN", ActorKind::State, "Japan"),
            target: Some(ActorRef::new("NATO", ActorKind::Organization, "NATO")),
            others: vec![],
            plover: Plover::Consult,
            mode: None,
            cameo: Cameo::new("042").unwrap(),
            goldstein: 1.9,
            date: PartialDate::month(2023, 7),
            date_rule: "date:explicit".into(),
            location: Some(Location { name: "Vilnius".into(), country: Some("LTU".into()) }),
            modality: Modality::Asserted,
        }
    }

    #[test]
    fn an_event_writes_the_contract_fields_and_reads_back_the_same() {
        let json = serde_json::to_string(&event()).unwrap();
        assert!(json.contains(r#""plover":"CONSULT""#) && json.contains(r#""date":"2023-07""#), "{json}");
        assert!(json.contains(r#""modality":"asserted""#) && json.contains(r#""cameo":"042""#), "{json}");
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event());
        let merged = MergedEvent {
            event: event(),
            dates_reported: None,
            actors: vec![],
            mentions: 2,
            documents: 1,
            merged_from: vec!["mention:1".into()],
        };
        let json = serde_json::to_string(&merged).unwrap();
        assert_eq!(serde_json::from_str::<MergedEvent>(&json).unwrap(), merged);
        let mut v = serde_json::to_value(&merged).unwrap();
        v["bogus"] = 1.into();
        assert!(serde_json::from_value::<MergedEvent>(v).unwrap_err().to_string().contains("bogus"));
    }

    #[test]
    fn a_body_with_a_missing_or_unknown_value_is_an_error_not_a_default() {
        let json = serde_json::to_value(event()).unwrap();
        for (field, bad) in [("plover", "MEET"), ("modality", "likely"), ("cameo", "04x"), ("date", "2023-13")] {
            let mut v = json.clone();
            v[field] = bad.into();
            let err = serde_json::from_value::<Event>(v).unwrap_err().to_string();
            assert!(err.contains(bad), "{field}: {err}");
        }
        let mut v = json.clone();
        v["source"]["type"] = "militia".into();
        assert!(serde_json::from_value::<Event>(v).unwrap_err().to_string().contains("militia"));
        let mut v = json.clone();
        v["target"].as_object_mut().unwrap().remove("type");
        assert!(serde_json::from_value::<Event>(v).unwrap_err().to_string().contains("missing field `type`"));
        let mut v = json.clone();
        v.as_object_mut().unwrap().remove("modality");
        assert!(serde_json::from_value::<Event>(v).unwrap_err().to_string().contains("missing field `modality`"));
        assert_eq!("agree".parse::<Plover>(), Ok(Plover::Agree));
        assert!("planned".parse::<Modality>().unwrap() == Modality::Planned && !Modality::Planned.happened());
    }
}
