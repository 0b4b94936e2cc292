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
    /// `state`, `organization`, `grouping`, `person` or `other`.
    #[serde(rename = "type", default = "other")]
    pub kind: String,
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

fn other() -> String {
    "other".into()
}

impl ActorRef {
    /// A reference read from a fact's JSON, leniently (see the defaults above); None without
    /// an id.
    pub fn from_json(value: &serde_json::Value) -> Option<ActorRef> {
        ActorRef::deserialize(value).ok()
    }

    /// A reference with no country, sector or side.
    pub fn new(id: &str, kind: &str, name: &str) -> ActorRef {
        ActorRef { id: id.into(), kind: kind.into(), name: name.into(), country: None, sector: None, acts_for: None }
    }

    /// The state this actor belongs to, for scoring against state-level gold and for places.
    pub fn country_code(&self) -> Option<&str> {
        match self.kind.as_str() {
            "state" => Some(&self.id),
            _ => self.country.as_deref(),
        }
    }

    /// The node this actor is drawn as in the state-level graph: a person with a known
    /// country stands for that state's side (as event data codes "JPNGOV"); an organ of an
    /// organisation (the European Commission) for the organisation.
    pub fn node(&self) -> &str {
        match (&*self.kind, &self.country, &self.acts_for) {
            ("person", Some(country), _) => country,
            ("person", None, Some(side)) => side,
            ("organization", _, Some(whole)) => whole,
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
    fn reads_leniently_and_writes_only_what_is_known() {
        let a: ActorRef = serde_json::from_str(r#"{"id":"jens-stoltenberg","type":"person","x":1}"#).unwrap();
        assert_eq!((a.name.as_str(), a.country.as_deref()), ("", None));
        let b: ActorRef = serde_json::from_str(r#"{"id":"HAMAS"}"#).unwrap();
        assert_eq!(b.kind, "other");
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"id":"HAMAS","type":"other","name":""}"#);
        let side = ActorRef { acts_for: Some("NATO".into()), ..a };
        assert!(side.is("NATO") && side.is("jens-stoltenberg") && !side.is("JPN"));
        let organ =
            ActorRef { acts_for: Some("EU".into()), ..ActorRef::new("EC", "organization", "European Commission") };
        assert!(organ.is("EU") && organ.is("EC") && organ.node() == "EU");
    }
}
