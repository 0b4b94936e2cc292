//! Groupings the text itself defines: a list of states given a name ("Japan, South Korea,
//! Australia and New Zealand, known as the AP4"; "the Quad of the US, Japan, India and
//! Australia"; "Australia, Japan, New Zealand and South Korea (IP4)") or a size ("a trilateral
//! meeting among the United States, Japan and South Korea").
//!
//! A named grouping the knowledge base knows keeps its id; a new acronym becomes a grouping of
//! its own; a trilateral or quadrilateral of states is named by its members
//! ("JPN-KOR-USA trilateral").

use crate::find::Mention;
use crate::kb::ActorKind;
use crate::people::Person;
use entente_document::Span;
use regex::Regex;
use std::sync::LazyLock;

/// A grouping and the members one passage gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinedGrouping {
    pub id: String,
    pub name: String,
    /// Whether the knowledge base knows the grouping (else the text made it).
    pub known: bool,
    /// Member state ids, in the order the text lists them.
    pub members: Vec<String>,
    /// From the first member listed to the grouping's name (or the list alone).
    pub span: Span,
    /// Where the grouping's name is, when the text names it.
    pub name_span: Option<Span>,
    pub rule: &'static str,
}

/// A run of states listed together, each a state mention or a person standing for one.
struct List {
    members: Vec<String>,
    span: Span,
}

static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+)(?:the\s+)?$").expect("compiles"));
static NAMED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:,|–|—|-)?\s*(?:(?:collectively|together|jointly)\s+)?(?:known as|called|dubbed|referred to as|also known as)\s+(?:the\s+)?(?:so-called\s+)?["“‘]?([A-Z][A-Za-z0-9]*(?:[ -][A-Z0-9][A-Za-z0-9]*){0,3})"#).expect("compiles")
});
static ACRONYM_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\((?:the\s+)?([A-Z][A-Z0-9+]{1,7})\)").expect("compiles"));
static CONNECTOR_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["”’]?\s*(?:grouping|group|format|bloc|partners)?\s*(?:\(\s*[A-Z0-9]+\s*\))?\s*(?:of|between|among|comprising|made up of|including|–|—|:)\s+(?:the\s+)?$"#).expect("compiles")
});
static SIZE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(trilateral|quadrilateral)\b").expect("compiles"));

/// The groupings a document defines. `mentions` sorted by position; `people` to put a
/// person in their state's place ("Albanese, Kishida and Biden").
pub fn defined_groupings(text: &str, mentions: &[Mention], people: &[Person]) -> Vec<DefinedGrouping> {
    let mut out = Vec::new();
    for list in lists(text, mentions, people) {
        if let Some(g) = named_after(text, &list, mentions).or_else(|| named_before(text, &list, mentions)) {
            out.push(g);
        } else if let Some(g) = sized(text, &list) {
            out.push(g);
        }
    }
    out
}

fn state_of(m: &Mention, people: &[Person]) -> Option<String> {
    match m.kind {
        ActorKind::State if m.sector.is_none() => Some(m.actor.clone()),
        ActorKind::Person => people.iter().find(|p| p.id == m.actor)?.country.clone(),
        _ => None,
    }
}

/// Maximal runs of two or more states joined by commas and "and".
fn lists(text: &str, mentions: &[Mention], people: &[Person]) -> Vec<List> {
    let mut out = Vec::new();
    let mut current: Option<List> = None;
    for m in mentions {
        let state = state_of(m, people);
        let joined = current
            .as_ref()
            .is_some_and(|l| m.span.start >= l.span.end && SEPARATOR.is_match(&text[l.span.end..m.span.start]));
        match (state, joined) {
            (Some(s), true) => {
                let list = current.as_mut().expect("joined implies a list");
                if !list.members.contains(&s) {
                    list.members.push(s);
                }
                list.span.end = m.span.end;
            }
            (state, _) => {
                out.extend(current.take().filter(|l| l.members.len() >= 2));
                current = state.map(|s| List { members: vec![s], span: m.span });
            }
        }
    }
    out.extend(current.filter(|l| l.members.len() >= 2));
    out
}

fn grouping_mention_at(mentions: &[Mention], start: usize, end: usize) -> Option<&Mention> {
    mentions.iter().find(|m| {
        m.span.start >= start && m.span.end <= end && matches!(m.kind, ActorKind::Grouping | ActorKind::Organization)
    })
}

/// "LIST, known as the AP4" / "LIST (IP4)".
fn named_after(text: &str, list: &List, mentions: &[Mention]) -> Option<DefinedGrouping> {
    let after = &text[list.span.end..floor(text, list.span.end + 80)];
    let (caps, rule) = match NAMED_AFTER.captures(after) {
        Some(c) => (c, "text:named-list"),
        None => (ACRONYM_AFTER.captures(after)?, "text:list-acronym"),
    };
    let name = caps.get(1)?;
    let name_span = Span::new(list.span.end + name.start(), list.span.end + name.end());
    Some(grouping(
        list,
        name.as_str(),
        name_span,
        grouping_mention_at(mentions, name_span.start, name_span.end + 1),
        rule,
    ))
}

/// "the Quad of the US, Japan, India and Australia" / "Asia-Pacific partners” – Japan, ...":
/// only for a grouping the knowledge base knows or an acronym, so "leaders of Japan and
/// Australia" defines nothing.
fn named_before(text: &str, list: &List, mentions: &[Mention]) -> Option<DefinedGrouping> {
    let from = ceil(text, list.span.start.saturating_sub(60));
    let before = &text[from..list.span.start];
    let connector = CONNECTOR_BEFORE.find(before)?;
    let name_end = from + connector.start();
    let known = mentions
        .iter()
        .rev()
        .find(|m| m.span.end <= name_end && name_end - m.span.end <= 3 && m.kind == ActorKind::Grouping);
    if let Some(g) = known {
        return Some(grouping(list, &text[g.span.start..g.span.end], g.span, Some(g), "text:name-of-list"));
    }
    // After the separating character, whatever its width (an em dash is three bytes).
    let word_start = text[..name_end]
        .trim_end()
        .char_indices()
        .rfind(|(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = text[word_start..name_end].trim_end();
    let is_acronym = word.len() >= 2
        && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && word.chars().any(|c| c.is_ascii_uppercase());
    is_acronym.then(|| grouping(list, word, Span::new(word_start, word_start + word.len()), None, "text:name-of-list"))
}

/// "a trilateral meeting among the United States, Japan and South Korea" / "US, Japan, and
/// South Korea to Convene Trilateral Talks": the size word must fit the list.
fn sized(text: &str, list: &List) -> Option<DefinedGrouping> {
    let window = Span::new(ceil(text, list.span.start.saturating_sub(50)), floor(text, list.span.end + 50));
    let sentence_part = &text[window.start..window.end];
    let word = SIZE_WORD.find(sentence_part)?;
    let size = if word.as_str().eq_ignore_ascii_case("trilateral") { 3 } else { 4 };
    // No sentence end between the list and the word.
    let (a, b) = if window.start + word.start() < list.span.start {
        (window.start + word.end(), list.span.start)
    } else {
        (list.span.end, window.start + word.start())
    };
    if list.members.len() != size || text[a.min(b)..b.max(a)].contains(['.', '!', '?', '\n']) {
        return None;
    }
    let mut ids = list.members.clone();
    ids.sort();
    let kind = word.as_str().to_lowercase();
    let id = format!("{}-{kind}", ids.join("-"));
    let span =
        Span::new(list.span.start.min(window.start + word.start()), list.span.end.max(window.start + word.end()));
    Some(DefinedGrouping {
        name: format!("{} {kind}", ids.join("-")),
        id,
        known: false,
        members: list.members.clone(),
        span,
        name_span: None,
        rule: "text:sized-list",
    })
}

fn grouping(list: &List, name: &str, name_span: Span, known: Option<&Mention>, rule: &'static str) -> DefinedGrouping {
    let span = Span::new(list.span.start.min(name_span.start), list.span.end.max(name_span.end));
    match known {
        Some(m) => DefinedGrouping {
            id: m.actor.clone(),
            name: name.to_string(),
            known: true,
            members: list.members.clone(),
            span,
            name_span: Some(name_span),
            rule,
        },
        None => DefinedGrouping {
            id: name.to_uppercase().replace(' ', "-"),
            name: name.to_string(),
            known: false,
            members: list.members.clone(),
            span,
            name_span: Some(name_span),
            rule,
        },
    }
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MentionFinder, annotate};
    use entente_document::{Document, Metadata};

    fn groupings(text: &str) -> Vec<(String, Vec<String>, &'static str)> {
        let mut doc = Document::new("t", text, Metadata::default());
        entente_text::annotate(&mut doc);
        let finder = MentionFinder::new(crate::KnowledgeBase::builtin());
        let actors = annotate(&doc, &finder, &[]);
        defined_groupings(&doc.text, &actors.mentions, &actors.people)
            .into_iter()
            .map(|g| (g.id, g.members, g.rule))
            .collect()
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_list_named_after_it_is_a_grouping() {
        let g = groupings("Japan, South Korea, Australia and New Zealand, known as the AP4, attended.");
        assert_eq!(g, [("AP4".to_string(), ids(&["JPN", "KOR", "AUS", "NZL"]), "text:named-list")]);
        let g = groupings("Brazil, Russia and India (BRI) met in Kazan.");
        assert_eq!(g, [("BRI".to_string(), ids(&["BRA", "RUS", "IND"]), "text:list-acronym")]);
    }

    #[test]
    fn a_known_grouping_named_before_its_list() {
        let g = groupings("Albanese will host the Quad of the US, Japan, India and Australia in Sydney.");
        assert_eq!(g, [("QUAD".to_string(), ids(&["USA", "JPN", "IND", "AUS"]), "text:name-of-list")]);
    }

    #[test]
    fn a_trilateral_of_three_states_is_named_by_its_members() {
        let g = groupings("A trilateral meeting among the United States, Japan, and South Korea is planned.");
        assert_eq!(g, [("JPN-KOR-USA-trilateral".to_string(), ids(&["USA", "JPN", "KOR"]), "text:sized-list")]);
        assert!(groupings("A trilateral meeting of Japan and Korea.").is_empty(), "the size must fit the list");
    }

    #[test]
    fn an_unnamed_list_defines_nothing() {
        assert!(groupings("Leaders of Japan, South Korea and Australia met.").is_empty());
        assert!(groupings("Japan and South Korea. Called the best.").is_empty());
    }
}
