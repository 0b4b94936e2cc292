//! The export contract's reference to an actor (`ActorRef` in `spec/facts.md`), shared by the
//! coder that makes them, the graph that reads them back and the exports that write them.

use crate::event::UnknownValue;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// What sort of actor a reference names: the contract's `type`, written as today's lower-case
/// strings (`state`, `organization`, ...) so the store, the exports and the API keep their
/// bytes. The knowledge base's entries and the coder's references share this one type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    State,
    Organization,
    Grouping,
    Person,
    Other,
}

impl ActorKind {
    pub const ALL: [ActorKind; 5] =
        [ActorKind::State, ActorKind::Organization, ActorKind::Grouping, ActorKind::Person, ActorKind::Other];

    /// The name the export contract uses.
    pub fn as_str(&self) -> &'static str {
        match self {
            ActorKind::State => "state",
            ActorKind::Organization => "organization",
            ActorKind::Grouping => "grouping",
            ActorKind::Person => "person",
            ActorKind::Other => "other",
        }
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Exactly the contract's names: the knowledge base's files and the store hold them lower-case,
/// so "State" is as much a mistake as "country".
impl FromStr for ActorKind {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActorKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownValue { what: "actor type", value: s.to_string() })
    }
}

impl TryFrom<&str> for ActorKind {
    type Error = UnknownValue;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Ordered by name, as the string this type replaced was: [`ActorRef`] derives its order from
/// its fields, and anything sorted by it keeps the order it had.
impl Ord for ActorKind {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for ActorKind {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// An actor as the export contract names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ActorRef {
    pub id: String,
    /// Required: a reference without a type, or with one the contract does not name, is an
    /// error rather than an `other` (which would silently change how it is drawn and scored).
    #[serde(rename = "type")]
    pub kind: ActorKind,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// A part of a state: `GOV`, `MIL`, `LEG`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// For a person known by no state, the organisation they hold office in (NATO for its
    /// secretary general): the side they act for. Set by the graph from role facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acts_for: Option<String>,
}

impl ActorRef {
    /// A reference read from a stored fact's JSON (an `actor` fact's `actor`, a tie's `member`
    /// or `person`), as strictly as in an event: an id and a known `type` are required. No
    /// stored document needs a default: ingest has written `type` in every reference since the
    /// first store. Lenient only where the contract is: a missing name is empty, unknown fields
    /// are ignored.
    pub fn from_json(value: &serde_json::Value) -> Result<ActorRef, serde_json::Error> {
        ActorRef::deserialize(value)
    }

    /// A reference with no country, sector or side.
    pub fn new(id: &str, kind: ActorKind, name: &str) -> ActorRef {
        ActorRef { id: id.into(), kind, name: name.into(), country: None, sector: None, acts_for: None }
    }

    /// The state this actor belongs to, for scoring against state-level gold and for places.
    pub fn country_code(&self) -> Option<&str> {
        match self.kind {
            ActorKind::State => Some(&self.id),
            _ => self.country.as_deref(),
        }
    }

    /// The node this actor is drawn as in the state-level graph: a person with a known
    /// country stands for that state's side (as event data codes "JPNGOV"); an organ of an
    /// organisation (the European Commission) for the organisation.
    pub fn node(&self) -> &str {
        match (self.kind, &self.country, &self.acts_for) {
            (ActorKind::Person, Some(country), _) => country,
            (ActorKind::Person, None, Some(side)) => side,
            (ActorKind::Organization, _, Some(whole)) => whole,
            _ => &self.id,
        }
    }

    /// Whether this actor is `id` or stands for it.
    pub fn is(&self, id: &str) -> bool {
        self.id == id || self.node() == id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_writes_todays_string_and_reads_back() {
        let names = ["state", "organization", "grouping", "person", "other"];
        for (kind, name) in ActorKind::ALL.into_iter().zip(names) {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<ActorKind>(&format!("\"{name}\"")).unwrap(), kind);
            assert_eq!((kind.as_str(), kind.to_string()), (name, name.to_string()));
            assert_eq!((name.parse::<ActorKind>(), ActorKind::try_from(name)), (Ok(kind), Ok(kind)));
        }
        // Ordered as the strings were, so sorted references keep their order.
        let mut sorted = ActorKind::ALL;
        sorted.sort();
        assert_eq!(sorted.map(|k| k.as_str()), ["grouping", "organization", "other", "person", "state"]);
        for bad in ["country", "State", ""] {
            let err = bad.parse::<ActorKind>().unwrap_err();
            assert_eq!(err, UnknownValue { what: "actor type", value: bad.to_string() });
            assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
            let json = serde_json::from_str::<ActorKind>(&format!("\"{bad}\"")).unwrap_err().to_string();
            assert!(json.contains(&format!("`{bad}`")), "{json}");
        }
    }

    #[test]
    fn a_reference_needs_a_known_type_and_writes_only_what_is_known() {
        let a: ActorRef = serde_json::from_str(r#"{"id":"jens-stoltenberg","type":"person","x":1}"#).unwrap();
        assert_eq!((a.name.as_str(), a.country.as_deref()), ("", None));
        let b: ActorRef = serde_json::from_str(r#"{"id":"HAMAS","type":"other"}"#).unwrap();
        assert_eq!(b.kind, ActorKind::Other);
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"id":"HAMAS","type":"other","name":""}"#);
        let missing = ActorRef::from_json(&serde_json::json!({"id": "HAMAS"})).unwrap_err().to_string();
        assert!(missing.contains("missing field `type`"), "{missing}");
        let unknown = ActorRef::from_json(&serde_json::json!({"id": "HAMAS", "type": "militia"})).unwrap_err();
        assert!(unknown.to_string().contains("militia"), "{unknown}");
        let side = ActorRef { acts_for: Some("NATO".into()), ..a };
        assert!(side.is("NATO") && side.is("jens-stoltenberg") && !side.is("JPN"));
        let organ = ActorRef {
            acts_for: Some("EU".into()),
            ..ActorRef::new("EC", ActorKind::Organization, "European Commission")
        };
        assert!(organ.is("EU") && organ.is("EC") && organ.node() == "EU");
    }
}
