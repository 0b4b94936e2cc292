//! States whose names the text misspells ("Ethopia", "Quatar", "Philipines", "Vietam"): wire
//! copy is typed in haste, and an event whose actor is misspelt is otherwise lost. A
//! capitalised word the knowledge base does not know is read as a state's one-word name when
//! it is one edit away (a letter added, dropped, changed, or two swapped) and starts with the
//! same letter. Words of six letters or more only, and names of five or more: shorter ones are
//! a letter away from too many words ("Mali", "Bali"); a plural ("the two Koreas") is no
//! misspelling.

use crate::find::Mention;
use crate::kb::{ActorKind, KnowledgeBase, Surface};
use entente_document::Span;

/// Real names one edit from a state's, found by running the rule over the UD English treebank
/// and the project's corpora: a university and a province ("Columbia"), first names, a people.
const NOT_MISSPELT: &[&str] = &["Columbia", "Angela", "Dominic", "Tsonga"];

const MIN_WORD: usize = 6;
const MIN_NAME: usize = 5;

/// Mentions for misspelt state names, outside the spans already `taken`.
pub fn misspelt_states(text: &str, taken: &[Mention], kb: &KnowledgeBase) -> Vec<Mention> {
    // A word the knowledge base knows is among the mentions already, so is taken.
    let candidates: Vec<(Span, &str)> = capitalised_words(text)
        .map(|(start, word)| (Span::new(start, start + word.len()), word))
        .filter(|&(span, word)| {
            word.len() >= MIN_WORD
                && !NOT_MISSPELT.contains(&word)
                && !taken.iter().any(|m| m.span.overlaps(span))
                && !in_a_name(text, span)
        })
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let names = kb.one_word_state_names(MIN_NAME);
    let mut out = Vec::new();
    for (span, word) in candidates {
        let plural = |name: &str| word.strip_suffix('s') == Some(name);
        let mut near = names
            .iter()
            .skip_while(|(name, _)| name.as_bytes()[0] < word.as_bytes()[0])
            .take_while(|(name, _)| name.as_bytes()[0] == word.as_bytes()[0])
            .filter(|(name, _)| !plural(name) && one_edit(word, name));
        let Some((_, id)) = near.next() else { continue };
        if near.all(|(_, other)| other == id) {
            out.push(Mention {
                span,
                actor: id.clone(),
                kind: ActorKind::State,
                sector: None,
                surface: Surface::Name,
                rule: "kb:name-misspelt",
            });
        }
    }
    out
}

/// Words of letters that start with a capital, with their byte offsets. A byte scan finds the
/// capitals (only a multi-byte character is read as Unicode): reading every character so was
/// most of this rule's time.
fn capitalised_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut next = 0;
    std::iter::from_fn(move || {
        while next < bytes.len() {
            let start = next;
            next += 1;
            let capital = match bytes[start] {
                b if b.is_ascii_uppercase() => true,
                b if b >= 0xC0 => text[start..].chars().next().is_some_and(char::is_uppercase),
                _ => false,
            };
            if !capital || text[..start].chars().next_back().is_some_and(char::is_alphabetic) {
                continue;
            }
            let end = text[start..].find(|c: char| !c.is_alphabetic()).map_or(text.len(), |n| start + n);
            next = end;
            return Some((start, &text[start..end]));
        }
        None
    })
}

/// A capitalised word next to another ("Angela Merkel", "Vice President Dominic") is part of
/// a name, not a state misspelt.
fn in_a_name(text: &str, span: Span) -> bool {
    let next = text[span.end..].trim_start_matches([' ', '-']);
    let previous = text[..span.start].trim_end_matches([' ', '-']);
    let capital_after = next.starts_with(|c: char| c.is_uppercase()) && text[span.end..].starts_with([' ', '-']);
    let capital_before =
        previous.rsplit(|c: char| !c.is_alphabetic()).next().is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()))
            && text[..span.start].ends_with([' ', '-']);
    capital_after || capital_before
}

/// Whether `a` and `b` are one insertion, deletion, substitution or swap of neighbours apart.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..] || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Less => ra == &rb[1..],
        std::cmp::Ordering::Greater => &ra[1..] == rb,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String)> {
        misspelt_states(text, &[], KnowledgeBase::builtin())
            .into_iter()
            .map(|m| (m.span.of(text).to_string(), m.actor))
            .collect()
    }

    #[test]
    fn one_edit_each_way() {
        assert!(one_edit("Ethopia", "Ethiopia") && one_edit("Quatar", "Qatar") && one_edit("Vietam", "Vietnam"));
        assert!(one_edit("Ethiopai", "Ethiopia"), "a swap");
        assert!(!one_edit("Austria", "Australia") && !one_edit("Ethiopia", "Ethiopia"));
    }

    #[test]
    fn misspelt_states_and_the_names_that_are_not() {
        assert_eq!(found("Ethopia has agreed to re-open its borders."), [("Ethopia".into(), "ETH".into())]);
        assert_eq!(found("Quatar's emir launched a mediation effort."), [("Quatar".into(), "QAT".into())]);
        assert!(found("Angela Merkel met students at Columbia.").is_empty());
        assert!(found("Mr Olivia said so.").is_empty(), "a different first letter");
    }
}
