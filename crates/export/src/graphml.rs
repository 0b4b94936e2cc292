//! The store as a directed GraphML graph, for Gephi, networkx, igraph and yEd.
//!
//! Nodes are actors (`label`, `name`, `type`, `country`, `mentions`). Edges are of two sorts:
//! events, one edge per (source, target, PLOVER type) with how many events, their mentions, mean
//! Goldstein score, first and last date and a sign (+1 cooperation, -1 conflict, from the CAMEO
//! quad class); and relations, one edge per role (person -> office's actor), membership
//! (member -> group) or partnership (a -> b) with its status, role or name, start and end.
//! Events without a target are not edges. Every attribute is declared with `<key>` and a type.

use crate::ExportError;
use crate::rows::{Actor, EventRow, Reader, RelationRow, quad_class};
use entente_store::Store;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// What the graph holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GraphCounts {
    pub nodes: usize,
    pub event_edges: usize,
    pub relation_edges: usize,
}

/// Declared attributes: (key id, for, attr.name, attr.type). Ids are prefixed because node and
/// edge attributes share names (`name`, `mentions`) but GraphML key ids must be unique.
const KEYS: &[(&str, &str, &str, &str)] = &[
    ("n_label", "node", "label", "string"),
    ("n_name", "node", "name", "string"),
    ("n_type", "node", "type", "string"),
    ("n_country", "node", "country", "string"),
    ("n_mentions", "node", "mentions", "int"),
    ("e_kind", "edge", "kind", "string"),
    ("e_weight", "edge", "weight", "double"),
    ("e_plover", "edge", "plover", "string"),
    ("e_count", "edge", "count", "int"),
    ("e_mentions", "edge", "mentions", "int"),
    ("e_goldstein", "edge", "goldstein_mean", "double"),
    ("e_first_date", "edge", "first_date", "string"),
    ("e_last_date", "edge", "last_date", "string"),
    ("e_sign", "edge", "sign", "int"),
    ("e_fact", "edge", "fact", "string"),
    ("e_role", "edge", "role", "string"),
    ("e_status", "edge", "status", "string"),
    ("e_name", "edge", "name", "string"),
    ("e_start", "edge", "start", "string"),
    ("e_end", "edge", "end", "string"),
    ("e_confidence", "edge", "confidence", "double"),
];

/// A node or edge's attributes: key id and value; unknown values are left out.
type Data = Vec<(&'static str, String)>;

/// Writes actors, aggregated events and relations as GraphML. Memory holds the nodes and the
/// event ties (one per source, target and PLOVER type), never the events or their evidence:
/// nodes come first in the file, so the events and relations are read once to find every
/// node, and the relations once more to write their edges.
pub fn export_graphml(store: &Store, out: impl Write) -> Result<GraphCounts, ExportError> {
    let reader = Reader::new(store);
    let mentions = store.actor_mention_counts()?;
    let mut nodes = Nodes::new(&mentions);
    reader.for_each_actor(|actor| {
        nodes.add(&actor);
        Ok(())
    })?;
    let mut ties = Ties::new();
    reader.for_each_event(|event| {
        nodes.add(&event.source);
        nodes.extend(&event.target);
        ties.add(&event);
        Ok(())
    })?;
    reader.for_each_relation(false, |relation| {
        nodes.add(&relation.from);
        nodes.add(&relation.to);
        Ok(())
    })?;
    let mut w = Writer::new_with_indent(out, b' ', 2);
    write_head(&mut w)?;
    for (actor, mentions) in nodes.0.values() {
        element(&mut w, "node", &[("id", &actor.id)], node_data(actor, *mentions))?;
    }
    let mut edge = 0;
    let mut write_edge = |w: &mut Writer<_>, from: &str, to: &str, data: Data| {
        edge += 1;
        element(w, "edge", &[("id", &format!("e{edge}")), ("source", from), ("target", to)], data)
    };
    for ((from, to, _), tie) in &ties {
        write_edge(&mut w, from, to, tie.data())?;
    }
    let mut relation_edges = 0;
    reader.for_each_relation(false, |relation| {
        relation_edges += 1;
        Ok(write_edge(&mut w, &relation.from.id, &relation.to.id, relation_data(&relation))?)
    })?;
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("graphml")))?;
    w.into_inner().flush()?;
    Ok(GraphCounts { nodes: nodes.0.len(), event_edges: ties.len(), relation_edges })
}

/// The XML declaration, `<graphml>`, the `<key>` declarations and `<graph>`.
fn write_head(w: &mut Writer<impl Write>) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("graphml").with_attributes([
        ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        (
            "xsi:schemaLocation",
            "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        ),
    ])))?;
    for (id, domain, name, ty) in KEYS {
        let key = [("id", *id), ("for", *domain), ("attr.name", *name), ("attr.type", *ty)];
        w.write_event(Event::Empty(BytesStart::new("key").with_attributes(key)))?;
    }
    w.write_event(Event::Start(
        BytesStart::new("graph").with_attributes([("id", "entente"), ("edgedefault", "directed")]),
    ))
}

/// Every actor fact, then any edge end without one, so that every edge has declared ends; the
/// first actor seen under an id names the node.
struct Nodes<'m>(BTreeMap<String, (Actor, usize)>, &'m HashMap<String, usize>);

impl<'m> Nodes<'m> {
    fn new(mentions: &'m HashMap<String, usize>) -> Self {
        Nodes(BTreeMap::new(), mentions)
    }

    fn add(&mut self, actor: &Actor) {
        if !self.0.contains_key(&actor.id) {
            let n = self.1.get(&actor.id).copied().unwrap_or(0);
            self.0.insert(actor.id.clone(), (actor.clone(), n));
        }
    }

    fn extend(&mut self, actor: &Option<Actor>) {
        if let Some(actor) = actor {
            self.add(actor);
        }
    }
}

fn node_data(actor: &Actor, mentions: usize) -> Data {
    let mut data = vec![
        ("n_label", actor.name.clone()),
        ("n_name", actor.name.clone()),
        ("n_type", actor.kind.to_string()),
        ("n_mentions", mentions.to_string()),
    ];
    data.extend(actor.country_code().map(|c| ("n_country", c.to_string())));
    data
}

/// The events of one (source, target, PLOVER type).
struct Tie {
    plover: String,
    count: usize,
    mentions: usize,
    /// The Goldstein scores' sum, added in event order from the start `Sum` uses, so the mean
    /// is the one a list of the scores gave; and how many there were.
    goldstein_sum: f64,
    goldstein_count: usize,
    first: Option<String>,
    last: Option<String>,
    /// Cooperative events count +1, conflictual -1.
    leaning: i64,
}

impl Default for Tie {
    fn default() -> Self {
        Tie {
            plover: String::new(),
            count: 0,
            mentions: 0,
            goldstein_sum: std::iter::empty::<f64>().sum(),
            goldstein_count: 0,
            first: None,
            last: None,
            leaning: 0,
        }
    }
}

/// The event ties by (source, target, PLOVER type); events without a target make none.
struct Ties(BTreeMap<(String, String, String), Tie>);

impl Ties {
    fn new() -> Self {
        Ties(BTreeMap::new())
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn add(&mut self, event: &EventRow) {
        let Some(target) = &event.target else { return };
        let key = (event.source.id.clone(), target.id.clone(), event.plover.clone());
        let tie = self.0.entry(key).or_default();
        tie.plover.clone_from(&event.plover);
        tie.count += 1;
        tie.mentions += event.mentions;
        if let Some(g) = event.goldstein {
            tie.goldstein_sum += g;
            tie.goldstein_count += 1;
        }
        if let Some(date) = &event.date {
            // Contract dates sort as text, a year before its months and a month before its days.
            if tie.first.as_ref().is_none_or(|f| date < f) {
                tie.first = Some(date.clone());
            }
            if tie.last.as_ref().is_none_or(|l| date > l) {
                tie.last = Some(date.clone());
            }
        }
        tie.leaning += match event.cameo.as_deref().and_then(quad_class) {
            Some(1 | 2) => 1,
            Some(_) => -1,
            None => 0,
        };
    }
}

impl<'t> IntoIterator for &'t Ties {
    type Item = (&'t (String, String, String), &'t Tie);
    type IntoIter = std::collections::btree_map::Iter<'t, (String, String, String), Tie>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Tie {
    fn data(&self) -> Data {
        let mut data = vec![
            ("e_kind", "event".to_string()),
            ("e_weight", self.count.to_string()),
            ("e_plover", self.plover.clone()),
            ("e_count", self.count.to_string()),
            ("e_mentions", self.mentions.to_string()),
            ("e_sign", self.leaning.signum().to_string()),
        ];
        if self.goldstein_count > 0 {
            let mean = self.goldstein_sum / self.goldstein_count as f64;
            data.push(("e_goldstein", mean.to_string()));
        }
        data.extend(self.first.clone().map(|d| ("e_first_date", d)));
        data.extend(self.last.clone().map(|d| ("e_last_date", d)));
        data
    }
}

fn relation_data(r: &RelationRow) -> Data {
    let mut data = vec![
        ("e_kind", r.kind.clone()),
        ("e_weight", "1".to_string()),
        ("e_fact", r.id.clone()),
        ("e_confidence", r.confidence.to_string()),
    ];
    let optional =
        [("e_role", &r.role), ("e_status", &r.status), ("e_name", &r.name), ("e_start", &r.start), ("e_end", &r.end)];
    data.extend(optional.into_iter().filter_map(|(k, v)| v.clone().map(|v| (k, v))));
    data
}

/// `<name attrs...><data key=..>..</data>...</name>`.
fn element(w: &mut Writer<impl Write>, name: &str, attrs: &[(&str, &str)], data: Data) -> std::io::Result<()> {
    let attrs = attrs.iter().map(|(k, v)| (*k, xml_chars(v)));
    let attrs: Vec<(&str, String)> = attrs.collect();
    let start = BytesStart::new(name).with_attributes(attrs.iter().map(|(k, v)| (*k, v.as_str())));
    w.write_event(Event::Start(start))?;
    for (key, value) in data {
        w.create_element("data").with_attribute(("key", key)).write_text_content(BytesText::new(&xml_chars(&value)))?;
    }
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// Drops the control characters XML 1.0 cannot hold at all, even escaped (text from the web
/// sometimes carries them); quick-xml escapes the rest.
fn xml_chars(s: &str) -> String {
    s.chars().filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
}
