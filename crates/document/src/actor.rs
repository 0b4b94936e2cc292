//! The export contract's reference to an actor (`ActorRef` in `spec/facts.md`), shared by the
//! coder that makes them, the graph that reads them back and the exports that write them.

use serde::{Deserialize, Serialize};

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
