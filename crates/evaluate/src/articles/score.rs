//! A port of `score_facts.py`: scores an `entente.fact/1` export against article-level gold.
//! Lenient on form (a person may stand for their state, PLOVER types map to families), strict
//! on substance (actors, direction, polarity, year or month where the gold gives one). The
//! held-out sets are judged by the Python script, so each rule here mirrors one there; the
//! test `articles.rs` checks both give the same figures on the same export.

use super::keys::{Keys, ORGS, is_id, matches, norm_id, norm_value, py_str, ref_keys, slug, text, truthy, words};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

type Row = Map<String, Value>;

/// What `str(x.get(key, ""))` gives for a missing key.
const EMPTY: Value = Value::String(String::new());

const NEG: &[&str] = &["DISAPPROVE", "ACCUSE", "REJECT", "PROTEST", "THREATEN", "DEMAND", "SANCTION", "COERCE"];
const FORCE: &[&str] = &["ASSAULT", "FIGHT", "COERCE", "MOBILIZE"];
const POS_OR_CONCEDE: &[&str] = &["AGREE", "COOPERATE", "SUPPORT", "CONSULT", "AID", "CONCEDE"];
const AIDING: &[&str] = &["AID", "COOPERATE", "SUPPORT", "AGREE"];
const CONSULT: &[&str] = &["CONSULT"];
const AGREEING: &[&str] = &["AGREE", "COOPERATE"];

/// Gold fields a list in which stands for one fact per listed actor.
const SPLIT: &[&str] = &["source", "target", "who", "whom", "member"];
/// Gold fields that name actors, for the pairs the gold links.
const ACTOR_FIELDS: &[&str] =
    &["a", "b", "who", "whom", "source", "target", "by", "to", "with", "of", "person", "member", "group", "host"];

/// What one half (or any gold file) scored.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Score {
    /// Kind -> (found, total).
    pub per_kind: BTreeMap<String, (usize, usize)>,
    /// The gold facts not found: id, kind and the gold's note.
    pub misses: Vec<Miss>,
    /// Event facts of the covered documents whose actor pair no gold fact links.
    pub unsupported: usize,
    /// Event facts of the covered documents with a source and a target.
    pub events: usize,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Miss {
    pub id: String,
    pub kind: String,
    pub note: String,
}

impl Score {
    pub fn found(&self) -> usize {
        self.per_kind.values().map(|v| v.0).sum()
    }
    pub fn total(&self) -> usize {
        self.per_kind.values().map(|v| v.1).sum()
    }
    /// Divides by at least one, as the script does, so an empty gold scores 0.
    pub fn recall(&self) -> f64 {
        self.found() as f64 / self.total().max(1) as f64
    }
    pub fn unsupported_share(&self) -> f64 {
        self.unsupported as f64 / self.events.max(1) as f64
    }
    /// Precision-like: the share of event facts the gold supports.
    pub fn precision(&self) -> f64 {
        1.0 - self.unsupported_share()
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// Scores an export (JSON Lines) against gold rows (as read, before lists are expanded).
pub fn score(facts_jsonl: &str, gold_rows: &[Row]) -> Score {
    let rows = expand(gold_rows);
    let gold = Gold::new(&rows);
    let facts = Facts::new(facts_jsonl);
    let mut out = Score::default();
    for g in &rows {
        let Some(hit) = score_one(g, &facts, &gold) else { continue };
        let kind = field_str(g, "kind").to_string();
        let entry = out.per_kind.entry(kind.clone()).or_default();
        entry.0 += usize::from(hit);
        entry.1 += 1;
        if !hit {
            let note = field_str(g, "note").to_string();
            out.misses.push(Miss { id: field_str(g, "id").to_string(), kind, note });
        }
    }
    (out.unsupported, out.events) = unsupported(&facts, &gold);
    out
}

fn field_str<'a>(g: &'a Row, key: &str) -> &'a str {
    g.get(key).and_then(Value::as_str).unwrap_or("")
}

/// `g.get(a) or g.get(b)`: the first truthy one.
fn either<'a>(g: &'a Row, a: &str, b: &str) -> Option<&'a Value> {
    [g.get(a), g.get(b)].into_iter().flatten().find(|v| truthy(Some(v)))
}

/// A gold fact whose actor field is a list holds for each listed actor: one row each
/// (attendance and invitation lists stay whole: they are checked actor by actor).
pub fn expand(rows: &[Row]) -> Vec<Row> {
    let mut out = Vec::new();
    for g in rows {
        expand_row(g, &mut out);
    }
    out
}

fn expand_row(g: &Row, out: &mut Vec<Row>) {
    let kind = field_str(g, "kind");
    let whole = |k: &str| k == "who" && (kind == "attend" || kind == "invite");
    let split = SPLIT.iter().find(|k| matches!(g.get(**k), Some(Value::Array(_))) && !whole(k));
    let Some(key) = split else {
        out.push(g.clone());
        return;
    };
    let Some(Value::Array(values)) = g.get(*key) else { return };
    let id = py_str(g.get("id").unwrap_or(&Value::Null));
    for (i, v) in values.iter().enumerate() {
        let mut one = g.clone();
        one.insert((*key).to_string(), v.clone());
        one.insert("id".into(), Value::String(format!("{id}.{i}")));
        expand_row(&one, out);
    }
}

/// What the gold itself says that matching needs: each person's state, and the summits.
struct Gold<'a> {
    rows: &'a [Row],
    person_country: HashMap<String, String>,
    summits: HashMap<String, &'a Row>,
}

impl<'a> Gold<'a> {
    fn new(rows: &'a [Row]) -> Self {
        let mut person_country = HashMap::new();
        let mut summits = HashMap::new();
        for g in rows {
            match field_str(g, "kind") {
                "role" => {
                    let of = norm_value(g.get("of")).unwrap_or_default();
                    for name in std::iter::once(g.get("person")).chain(list(g.get("aliases")).iter().map(Some)) {
                        person_country.insert(slug(name.and_then(Value::as_str).unwrap_or("")), of.clone());
                    }
                }
                "summit" => {
                    summits.insert(py_str(g.get("id").unwrap_or(&Value::Null)), g);
                }
                _ => {}
            }
        }
        Gold { rows, person_country, summits }
    }

    fn country_of(&self, name: &str) -> Option<&str> {
        self.person_country.get(&slug(name)).map(String::as_str)
    }

    /// The keys a gold actor accepts: an id as such; a person by name, surname and state.
    fn keys(&self, x: Option<&str>) -> Keys {
        let Some(x) = x else { return Keys::new() };
        if is_id(x) {
            return Keys::from([norm_id(x)]);
        }
        let s = slug(x);
        let surname = s.rsplit('-').next().unwrap_or("");
        let mut ks = Keys::from([format!("P:{s}"), format!("S:{surname}")]);
        if let Some(c) = self.country_of(x).filter(|c| !c.is_empty()) {
            ks.insert(c.to_string());
        }
        ks
    }

    fn keys_of(&self, v: Option<&Value>) -> Keys {
        self.keys(v.and_then(Value::as_str))
    }
}

/// A JSON array's items, or nothing.
fn list(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(a)) => a,
        _ => &[],
    }
}

/// One event fact, with the keys of its actors worked out once.
struct Event {
    plover: Option<String>,
    modality: Option<String>,
    date: Option<String>,
    location: String,
    text: String,
    docs: Vec<String>,
    source: Keys,
    target: Keys,
    others: Vec<Keys>,
}

impl Event {
    fn new(f: &Row) -> Self {
        let s = |k: &str| f.get(k).and_then(Value::as_str).map(str::to_string);
        let location = f.get("location").and_then(|l| text(l.get("name"))).unwrap_or("").to_lowercase();
        Event {
            plover: s("plover"),
            modality: s("modality"),
            date: truthy(f.get("date")).then(|| py_str(&f["date"])),
            location,
            text: evidence_text(f),
            docs: list(f.get("evidence")).iter().map(|ev| py_str(ev.get("doc").unwrap_or(&EMPTY))).collect(),
            source: ref_keys(f.get("source")),
            target: ref_keys(f.get("target")),
            others: list(f.get("others")).iter().map(|r| ref_keys(Some(r))).collect(),
        }
    }

    fn actors(&self) -> impl Iterator<Item = &Keys> {
        [&self.source, &self.target].into_iter().chain(&self.others)
    }

    fn involves(&self, gkeys: &Keys) -> bool {
        self.actors().any(|k| matches(k, gkeys))
    }

    fn of_type(&self, types: &[&str]) -> bool {
        self.plover.as_deref().is_some_and(|p| types.contains(&p))
    }

    /// Negated and hypothetical events did not happen.
    fn happened(&self) -> bool {
        !matches!(self.modality.as_deref(), Some("negated" | "hypothetical"))
    }

    /// Dates agree to the month where both say a month, else to the year.
    fn date_ok(&self, when: Option<&Value>) -> bool {
        let (Some(when), Some(date)) = (when.filter(|w| truthy(Some(w))), &self.date) else { return true };
        let when = py_str(when);
        let g: Vec<char> = when.split('/').next().unwrap_or("").chars().collect();
        let d: Vec<char> = date.chars().collect();
        let n = 7.min(g.len()).min(d.len());
        g[..n] == d[..n]
    }

    fn place_ok(&self, where_: Option<&str>) -> bool {
        where_.is_some_and(|w| format!("{} {}", self.location, self.text).contains(&w.to_lowercase()))
    }
}

fn evidence_text(f: &Row) -> String {
    let parts: Vec<&str> = list(f.get("evidence")).iter().map(|ev| text(ev.get("text")).unwrap_or("")).collect();
    parts.join(" ").to_lowercase()
}

struct Partnership {
    a: Keys,
    b: Keys,
    /// Its name and evidence, lower case.
    words: String,
}

struct Membership {
    member: Keys,
    group: Option<String>,
    former: bool,
}

struct Role {
    /// The person's keys without their state's: a role is the person's, not the state's.
    person: Keys,
    of_id: Option<String>,
    of_keys: Keys,
    role: HashSet<String>,
}

/// The export, read once.
struct Facts {
    events: Vec<Event>,
    partnerships: Vec<Partnership>,
    memberships: Vec<Membership>,
    roles: Vec<Role>,
    /// Document id and date, as strings.
    documents: Vec<(String, Option<String>)>,
    /// Group key -> the keys of its members.
    members: HashMap<String, Keys>,
}

impl Facts {
    fn new(jsonl: &str) -> Self {
        let mut facts = Facts {
            events: Vec::new(),
            partnerships: Vec::new(),
            memberships: Vec::new(),
            roles: Vec::new(),
            documents: Vec::new(),
            members: HashMap::new(),
        };
        for line in jsonl.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Ok(Value::Object(f)) = serde_json::from_str(line) {
                facts.add(&f);
            }
        }
        facts
    }

    fn add(&mut self, f: &Row) {
        match f.get("kind").and_then(Value::as_str) {
            Some("event") => self.events.push(Event::new(f)),
            Some("partnership") => self.partnerships.push(Partnership {
                a: ref_keys(f.get("a")),
                b: ref_keys(f.get("b")),
                words: format!("{} {}", text(f.get("name")).unwrap_or("").to_lowercase(), evidence_text(f)),
            }),
            Some("membership") => self.add_membership(f),
            Some("role") => self.roles.push(role(f)),
            Some("document") => self
                .documents
                .push((py_str(f.get("doc").unwrap_or(&EMPTY)), truthy(f.get("date")).then(|| py_str(&f["date"])))),
            _ => {}
        }
    }

    fn add_membership(&mut self, f: &Row) {
        let member = ref_keys(f.get("member"));
        // A missing or null status is a member; applicants, observers and former members are not.
        if matches!(f.get("status"), None | Some(Value::Null))
            || f.get("status").and_then(Value::as_str) == Some("member")
        {
            for gk in ref_keys(f.get("group")) {
                self.members.entry(gk).or_default().extend(member.iter().cloned());
            }
        }
        let former = f.get("status").and_then(Value::as_str) == Some("former");
        self.memberships.push(Membership { member, group: norm_value(f.get("group")), former });
    }
}

fn role(f: &Row) -> Role {
    let person = f.get("person");
    let country = person.and_then(|p| text(p.get("country"))).unwrap_or("");
    let mut keys = ref_keys(person);
    keys.remove(&norm_id(country));
    Role {
        person: keys,
        of_id: norm_value(f.get("of")),
        of_keys: ref_keys(f.get("of")),
        role: words(text(f.get("role")).unwrap_or("")).collect(),
    }
}

/// Whether an event of one of `types` goes from `src` to `tgt` (a target among its other
/// participants counts), at the gold's date.
fn directed(
    facts: &Facts,
    gold: &Gold,
    src: Option<&Value>,
    tgt: Option<&Value>,
    types: &[&str],
    when: Option<&Value>,
) -> bool {
    let sk = gold.keys_of(src);
    let tk = truthy(tgt).then(|| gold.keys_of(tgt));
    facts.events.iter().any(|e| {
        e.of_type(types)
            && e.happened()
            && matches(&e.source, &sk)
            && tk.as_ref().is_none_or(|tk| matches(&e.target, tk) || e.others.iter().any(|o| matches(o, tk)))
            && e.date_ok(when)
    })
}

/// What an undirected match asks of an event besides its actors.
#[derive(Clone, Copy, Default)]
struct Among<'a> {
    types: Option<&'a [&'a str]>,
    when: Option<&'a Value>,
    where_: Option<&'a str>,
    word: Option<&'a str>,
}

/// Whether an event involves every one of `actors`, in any role.
fn among(facts: &Facts, gold: &Gold, actors: &[Option<&Value>], how: Among) -> bool {
    let gks: Vec<Keys> = actors.iter().map(|a| gold.keys_of(*a)).collect();
    facts.events.iter().any(|e| {
        if how.types.is_some_and(|t| !e.of_type(t)) || !e.happened() || !gks.iter().all(|k| e.involves(k)) {
            return false;
        }
        if how.word.is_some_and(|w| !e.text.contains(w)) {
            return false;
        }
        // A place the event does not name is forgiven when its date agrees.
        let dated = truthy(how.when) && e.date.is_some() && e.date_ok(how.when);
        if how.where_.is_some_and(|w| !w.is_empty()) && !e.place_ok(how.where_) && !dated {
            return false;
        }
        e.date_ok(how.when)
    })
}

/// PLOVER codes an announced meeting as intent to meet (CAMEO 036 -> AGREE): that form counts
/// for a planned meeting when its evidence speaks of meeting.
fn planned_meeting(
    facts: &Facts,
    gold: &Gold,
    actors: &[Option<&Value>],
    when: Option<&Value>,
    where_: Option<&str>,
) -> bool {
    ["meet", "talks", "summit", "visit"]
        .into_iter()
        .any(|word| among(facts, gold, actors, Among { types: Some(&["AGREE"]), when, where_, word: Some(word) }))
}

fn partnered(facts: &Facts, gold: &Gold, a: Option<&Value>, b: Option<&Value>, name: Option<&str>) -> bool {
    let (ak, bk) = (gold.keys_of(a), gold.keys_of(b));
    facts.partnerships.iter().any(|p| {
        let linked = (matches(&p.a, &ak) && matches(&p.b, &bk)) || (matches(&p.a, &bk) && matches(&p.b, &ak));
        linked
            && match name.filter(|n| !n.is_empty()) {
                None => true,
                Some(n) => p.words.contains(&first_words(n, 3)),
            }
    })
}

/// The first `n` words of a name, lower case, single-spaced.
fn first_words(s: &str, n: usize) -> String {
    s.to_lowercase().split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

/// A group of that name (or, for 3+ members, any grouping) lists all the members.
fn group_has(facts: &Facts, gold: &Gold, name: Option<&str>, members: &[Option<&Value>]) -> bool {
    let cand = name.filter(|n| !n.is_empty()).map(norm_id);
    let need: Vec<Keys> = members.iter().map(|m| gold.keys_of(*m)).collect();
    facts.members.iter().any(|(gk, mem)| {
        let named = cand.as_ref().is_none_or(|c| c == gk) || members.len() >= 3;
        named && need.iter().all(|k| matches(mem, k))
    })
}

/// Whether the gold fact is found; `None` for a kind the scorer does not score.
fn score_one(g: &Row, facts: &Facts, gold: &Gold) -> Option<bool> {
    let kind = field_str(g, "kind");
    let when = either(g, "when", "date");
    Some(match kind {
        "role" => role_found(g, facts, gold),
        "group" => group_found(g, facts, gold),
        "member" => group_has(facts, gold, text(g.get("group")), &[g.get("member")]),
        "partner" | "cooperate" => partner_found(g, facts, gold),
        "summit" => facts.events.iter().any(|e| {
            e.plover.as_deref() == Some("CONSULT") && e.place_ok(text(g.get("where"))) && e.date_ok(g.get("when"))
        }),
        "attend" | "invite" => attend_found(g, facts, gold),
        "meet" => meet_found(g, facts, gold),
        "visit" => visit_found(g, facts, gold),
        "agreement" => agreement_found(g, facts, gold),
        "document" => {
            let key = first_words(field_str(g, "name"), 2);
            let by = norm_value(g.get("by")).unwrap_or_default();
            facts.events.iter().any(|e| e.text.contains(&key) && e.actors().any(|ks| ks.contains(&by)))
        }
        "office" => {
            let by = norm_value(g.get("by")).unwrap_or_default();
            // Partnerships have no source, target or others: only events can match.
            let office = |e: &Event| e.text.contains("office") || e.text.contains("mission");
            facts.events.iter().any(|e| office(e) && e.actors().any(|ks| ks.contains(&by)))
        }
        _ => return directed_found(kind, g, facts, gold, when),
    })
}

/// The kinds read as one actor doing something to another.
fn directed_found(kind: &str, g: &Row, facts: &Facts, gold: &Gold, when: Option<&Value>) -> Option<bool> {
    let who = either(g, "who", "source");
    let whom = either(g, "whom", "target");
    let types: &[&str] = match kind {
        "criticize" | "oppose" | "refuse" => NEG,
        "support" | "approve" => return Some(directed(facts, gold, who, whom, POS_OR_CONCEDE, None)),
        "attack" => FORCE,
        "threaten" => &["THREATEN", "COERCE"],
        "sanction" => &["SANCTION", "COERCE"],
        "aid" | "arms_sale" | "share_intelligence" => return Some(directed(facts, gold, who, whom, AIDING, None)),
        "operation" => return Some(among(facts, gold, &[who, g.get("with")], Among::default())),
        "withdraw" => return Some(withdraw_found(g, facts, gold)),
        "doc_date" => return Some(doc_date_found(g, facts)),
        _ => return None,
    };
    Some(directed(facts, gold, who, whom, types, when))
}

fn role_found(g: &Row, facts: &Facts, gold: &Gold) -> bool {
    let person = text(g.get("person"));
    let mut pk = gold.keys(person);
    if let Some(c) = person.and_then(|p| gold.country_of(p)) {
        pk.remove(c);
    }
    for alias in list(g.get("aliases")) {
        pk.insert(format!("P:{}", slug(alias.as_str().unwrap_or(""))));
    }
    let stop = ["of", "to", "the", "and"];
    let wanted: HashSet<String> = words(field_str(g, "role")).filter(|w| !stop.contains(&w.as_str())).collect();
    let of = norm_value(g.get("of")).unwrap_or_default();
    facts.roles.iter().any(|r| {
        matches(&r.person, &pk)
            && (r.of_id.as_deref() == Some(of.as_str()) || r.of_keys.contains(&format!("C:{of}")))
            && !wanted.is_disjoint(&r.role)
    })
}

fn group_found(g: &Row, facts: &Facts, gold: &Gold) -> bool {
    let members = [g.get("members"), g.get("members_include")].into_iter().find(|v| truthy(*v));
    let members: Vec<Option<&Value>> = list(members.flatten()).iter().map(Some).collect();
    let name = norm_value(g.get("name"));
    let excluded = list(g.get("not_members")).iter().any(|bad| {
        let bad = Keys::from([py_str(bad)]);
        facts.members.iter().any(|(gk, mem)| Some(gk) == name.as_ref() && matches(mem, &bad))
    });
    group_has(facts, gold, text(g.get("name")), &members) && !excluded
}

fn partner_found(g: &Row, facts: &Facts, gold: &Gold) -> bool {
    let agreeing = Among { types: Some(AGREEING), ..Among::default() };
    if g.contains_key("parties") {
        let ps: Vec<Option<&Value>> = list(g.get("parties")).iter().map(Some).collect();
        return among(facts, gold, &ps, agreeing)
            || ps.iter().enumerate().all(|(i, x)| ps[i + 1..].iter().all(|y| partnered(facts, gold, *x, *y, None)));
    }
    let (a, b) = (g.get("a"), g.get("b"));
    partnered(facts, gold, a, b, None) || among(facts, gold, &[a, b], agreeing)
}

fn attend_found(g: &Row, facts: &Facts, gold: &Gold) -> bool {
    let summit = g.get("event").map(py_str).and_then(|id| gold.summits.get(&id));
    let (host, where_, when) = match summit {
        Some(s) => (s.get("host").cloned(), text(s.get("where")), s.get("when")),
        None => (host_of(g), text(g.get("place")), g.get("date")),
    };
    let host = host.filter(|h| truthy(Some(h)));
    let whos: Vec<Option<&Value>> = match either(g, "who", "target") {
        Some(Value::Array(a)) => a.iter().map(Some).collect(),
        other => vec![other],
    };
    let invite = field_str(g, "kind") == "invite";
    let how = Among { types: if invite { None } else { Some(CONSULT) }, when, where_, word: invite.then_some("invit") };
    whos.iter().all(|w| match &host {
        Some(h) => among(facts, gold, &[*w, Some(h)], how),
        None => among(facts, gold, &[*w], how),
    })
}

/// The host of an event the gold does not describe: its `host` or `source`, else the first
/// word of its name when that is an organisation ("NATO summit").
fn host_of(g: &Row) -> Option<Value> {
    if let Some(h) = either(g, "host", "source") {
        return Some(h.clone());
    }
    let first = text(g.get("event"))?.split_whitespace().next()?;
    ORGS.contains(&norm_id(first).as_str()).then(|| Value::String(first.to_string()))
}

fn meet_found(g: &Row, facts: &Facts, gold: &Gold) -> bool {
    let actors: Vec<Option<&Value>> = match g.get("a") {
        Some(Value::Array(a)) => a.iter().map(Some).collect(),
        a => vec![a, g.get("b")],
    };
    let (when, where_) = (either(g, "when", "date"), text(g.get("where")));
    among(facts, gold, &actors, Among { types: Some(CONSULT), when, where_, word: None })
        || (field_str(g, "modality") == "planned" && planned_meeting(facts, gold, &actors, when, where_))
}

fn visit_found(g: &Row, facts: &Facts, gold: &Gold) -> bool {
    let who = either(g, "who", "source");
    let to = either(g, "to", "target");
    let when = either(g, "when", "date");
    directed(facts, gold, who, to, CONSULT, when)
        || among(facts, gold, &[who, to], Among { types: Some(CONSULT), when, ..Among::default() })
        || (field_str(g, "modality") == "planned" && planned_meeting(facts, gold, &[who, to], when, None))
}

fn agreement_found(g: &Row, facts: &Facts, gold: &Gold) -> bool {
    let parties: Vec<Option<&Value>> = list(g.get("parties")).iter().map(Some).collect();
    let name = either(g, "name", "what").and_then(Value::as_str);
    if parties.len() == 2 && partnered(facts, gold, parties[0], parties[1], name) {
        return true;
    }
    let when = either(g, "when", "date");
    among(facts, gold, &parties, Among { types: Some(AGREEING), when, ..Among::default() })
}

fn withdraw_found(g: &Row, facts: &Facts, gold: &Gold) -> bool {
    let member = Keys::from([norm_value(g.get("member")).unwrap_or_default()]);
    let group = norm_value(g.get("group"));
    facts.memberships.iter().any(|m| m.former && m.group == group && matches(&m.member, &member))
        || directed(facts, gold, g.get("member"), g.get("group"), &["RETREAT", "REJECT"], None)
}

fn doc_date_found(g: &Row, facts: &Facts) -> bool {
    let doc = field_str(g, "doc");
    let when = either(g, "when", "date").map(py_str).unwrap_or_default();
    facts.documents.iter().any(|(id, date)| id.starts_with(doc) && date.as_ref().is_some_and(|d| d.starts_with(&when)))
}

/// Event facts of the documents the gold covers, with a source and a target, and how many of
/// them link a pair of actors that no gold fact links (a person counts as their state).
fn unsupported(facts: &Facts, gold: &Gold) -> (usize, usize) {
    let pairs = gold_pairs(gold);
    let docs: HashSet<String> = gold.rows.iter().flat_map(|g| list(g.get("docs"))).map(py_str).collect();
    let ids =
        |k: &Keys| -> Keys { k.iter().filter(|x| !x.starts_with("P:") && !x.starts_with("C:")).cloned().collect() };
    let (mut bad, mut n) = (0, 0);
    for e in &facts.events {
        if !docs.is_empty() && !e.docs.iter().any(|d| docs.iter().any(|g| d.starts_with(g.as_str()))) {
            continue; // an event of a document this gold does not cover
        }
        let (s, t) = (ids(&e.source), ids(&e.target));
        if s.is_empty() || t.is_empty() {
            continue;
        }
        n += 1;
        if !s.iter().any(|x| t.iter().any(|y| pairs.contains(&(x.clone(), y.clone())))) {
            bad += 1;
        }
    }
    (bad, n)
}

/// Every ordered pair of the actors (ids, people as their states) one gold fact names.
fn gold_pairs(gold: &Gold) -> HashSet<(String, String)> {
    let mut pairs = HashSet::new();
    for g in gold.rows {
        let mut names: Vec<&Value> = Vec::new();
        for key in ACTOR_FIELDS {
            match g.get(*key) {
                Some(Value::Array(a)) => names.extend(a),
                Some(v @ Value::String(_)) => names.push(v),
                _ => {}
            }
        }
        for key in ["parties", "members", "members_include"] {
            names.extend(list(g.get(key)));
        }
        let summit = g.get("event").map(py_str).and_then(|id| gold.summits.get(&id));
        names.extend(summit.and_then(|s| s.get("host")));
        let ks: Keys = names
            .into_iter()
            .flat_map(|n| gold.keys_of(Some(n)))
            .filter(|x| !x.starts_with("P:") && !x.starts_with("S:"))
            .collect();
        for x in &ks {
            for y in &ks {
                pairs.insert((x.clone(), y.clone()));
            }
        }
    }
    pairs
}
