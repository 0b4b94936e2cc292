//! The keys by which an exported actor reference and a gold actor are compared: a port of
//! `score_facts.py`'s `slug`, `norm_id`, `ref_keys`, `gold_keys` and `matches`. The held-out
//! sets are judged by that script, so these follow it to the letter, odd corners included
//! (an empty id is a key; a gold name with no lower-case letter is an id).

use serde_json::Value;
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

pub type Keys = HashSet<String>;

/// Names the gold and the export spell differently for the same group.
const ALIASES: &[(&str, &str)] = &[
    ("IP4", "AP4"),
    ("ASIAPACIFICPARTNERS", "AP4"),
    ("ASIAPACIFICFOUR", "AP4"),
    ("INDOPACIFICPARTNERS", "AP4"),
    ("INDOPACIFICFOUR", "AP4"),
    ("THEQUAD", "QUAD"),
    ("QUADRILATERALSECURITYDIALOGUE", "QUAD"),
    ("NORTHATLANTICTREATYORGANIZATION", "NATO"),
    ("EUROPEANUNION", "EU"),
    ("UNITEDNATIONS", "UN"),
    ("INTERNATIONALATOMICENERGYAGENCY", "IAEA"),
    ("GROUPOFSEVEN", "G7"),
    ("GROUPOF7", "G7"),
];

/// Short names that make the first word of an event's name its host.
pub const ORGS: &[&str] = &[
    "NATO", "EU", "UN", "G7", "G20", "BRICS", "SCO", "ASEAN", "ECOWAS", "AU", "AUKUS", "QUAD", "AP4", "OSCE", "CSTO",
    "MERCOSUR", "GCC", "OPEC", "IAEA", "WHO", "WTO", "IMF",
];

/// A person's name as a lower-case ASCII slug: accents dropped (NFKD), runs of anything else
/// one hyphen.
pub fn slug(s: &str) -> String {
    let ascii: String = s.nfkd().filter(char::is_ascii).collect::<String>().to_ascii_lowercase();
    let mut out = String::new();
    for part in ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out
}

/// An id or name reduced to upper-case letters and digits, aliases resolved.
pub fn norm_id(s: &str) -> String {
    let k: String = s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_uppercase();
    match ALIASES.iter().find(|(from, _)| *from == k) {
        Some((_, to)) => (*to).to_string(),
        None => k,
    }
}

/// `norm_id` of a JSON value: an object by its `id`, else its `name`; `None` for null.
pub fn norm_value(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::Object(o) => Some(norm_id(first_text(o.get("id"), o.get("name")))),
        other => Some(norm_id(&py_str(other))),
    }
}

/// The string of a field that Python would find truthy, else `""`: `a or b or ""`.
fn first_text<'a>(a: Option<&'a Value>, b: Option<&'a Value>) -> &'a str {
    [a, b].into_iter().flatten().find_map(|v| v.as_str().filter(|s| !s.is_empty())).unwrap_or("")
}

/// A field's text when it is a non-empty string (Python's truthy `str`).
pub fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Python's truthiness of a JSON value.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(Value::Bool(true)) => true,
    }
}

/// Python's `str()` of a JSON value, for the few places the script compares strings of fields.
pub fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        other => other.to_string(),
    }
}

/// Every key an exported `ActorRef` may be matched by: its id, a person's name slug (`P:`) and
/// state, and the state a government part or other actor belongs to (`C:`).
pub fn ref_keys(r: Option<&Value>) -> Keys {
    let Some(Value::Object(o)) = r else { return Keys::new() };
    let mut keys = Keys::from([norm_id(first_text(o.get("id"), o.get("name")))]);
    let country = text(o.get("country"));
    if o.get("type").and_then(Value::as_str) == Some("person") {
        keys.insert(format!("P:{}", slug(first_text(o.get("name"), o.get("id")))));
        keys.insert(format!("P:{}", slug(first_text(o.get("id"), None))));
        if let Some(c) = country {
            keys.insert(norm_id(c));
        }
    }
    if let Some(c) = country {
        keys.insert(format!("C:{}", norm_id(c)));
    }
    if let Some(name) = text(o.get("name")) {
        keys.insert(norm_id(name));
    }
    keys
}

/// Whether a gold actor is written as an id (ISO3, an organisation's short name): no
/// lower-case letter in it.
pub fn is_id(x: &str) -> bool {
    x.to_uppercase() == x
}

/// Whether any exported key is one the gold accepts, or names a person by a gold surname.
pub fn matches(out: &Keys, gold: &Keys) -> bool {
    if !out.is_disjoint(gold) {
        return true;
    }
    let surnames: Vec<&str> = gold.iter().filter_map(|k| k.strip_prefix("S:")).collect();
    out.iter()
        .filter_map(|k| k.strip_prefix("P:"))
        .any(|name| surnames.contains(&name.rsplit('-').next().unwrap_or(name)))
}

/// The words of a text, lower case, ASCII letters only (`re.findall("[a-z]+", s.lower())`).
pub fn words(s: &str) -> impl Iterator<Item = String> {
    s.to_lowercase()
        .split(|c: char| !c.is_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}
