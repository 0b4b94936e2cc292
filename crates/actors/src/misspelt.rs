//! States whose names the text misspells ("Ethopia", "Quatar", "Philipines", "Vietam"): wire
//! copy is typed in haste, and an event whose actor is misspelt is otherwise lost. A
//! capitalised word the knowledge base does not know is read as a state's one-word name when
//! it is one edit away (a letter added, dropped, changed, or two swapped) and starts with the
//! same letter. Words of six letters or more only, and names of five or more: shorter ones are
//! a letter away from too many words ("Mali", "Bali"); a plural ("the two Koreas") is no
//! misspelling.

use crate::find::Mention;
use crate::kb::{ActorKind, KnowledgeBase, Surface};
use crate::name_shape::capitalised_words;
use entente_document::Span;

/// Real names one edit from a state's, found by running the rule over the UD English treebank
/// and the project's corpora: a university and a province ("Columbia"), first names, a people.
const NOT_MISSPELT: &[&str] = &["Columbia", "Angela", "Dominic", "Tsonga"];

const MIN_WORD: usize = 6;
const MIN_NAME: usize = 5;

/// Mentions for misspelt state names, outside the spans already `taken`.
pub fn misspelt_states(text: &str, taken: &[Mention], kb: &KnowledgeBase) -> Vec<Mention> {
    let names = kb.one_word_state_names(MIN_NAME);
    let mut out = Vec::new();
    for (start, word) in capitalised_words(text, char::is_alphabetic) {
        if word.len() < MIN_WORD || NOT_MISSPELT.contains(&word) {
            continue;
        }
        let plural = |name: &str| word.strip_suffix('s') == Some(name);
        let mut near =
            names.near(word.as_bytes()[0], word.len()).iter().filter(|(name, _)| one_edit(word, name) && !plural(name));
        let Some((_, id)) = near.next() else { continue };
        let span = Span::new(start, start + word.len());
        // A word the knowledge base knows is among the mentions already, so is taken. Checked
        // last: few words are a letter from a state's name, and the mentions are many.
        if near.all(|(_, other)| other == id) && !taken.iter().any(|m| m.span.overlaps(span)) && !in_a_name(text, span)
        {
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

/// A capitalised word next to another ("Angela Merkel", "Vice President Dominic") is part of
/// a name, not a state misspelt.
fn in_a_name(text: &str, span: Span) -> bool {
    let next = text[span.end..].trim_start_matches([' ', '-']);
    let previous = text[..span.start].trim_end_matches([' ', '-']);
    let capital_after = next.starts_with(|c: char| c.is_uppercase()) && text[span.end..].starts_with([' ', '-']);
    let capital_before =
        previous.rsplit(|c: char| !c.is_alphabetic()).next().is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()))
            && text[..span.start].ends_with([' ', '-']);
    // "al-Sudani", "el-Sisi": a family name after its particle.
    let particle = crate::name_shape::HYPHEN_PARTICLES.iter().any(|p| {
        text[..span.start].ends_with(p)
            && !text[..span.start - p.len()].chars().next_back().is_some_and(char::is_alphabetic)
    });
    capital_after || capital_before || particle
}

/// Whether `a` and `b` are one insertion, deletion, substitution or swap of neighbours apart.
/// Byte loops from both ends: most pairs part at once, and this runs for every capitalised
/// word against the names near it.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = long.iter().zip(short).take_while(|(x, y)| x == y).count();
    let suffix =
        long.iter().rev().zip(short.iter().rev()).take(short.len() - prefix).take_while(|(x, y)| x == y).count();
    let n = short.len();
    if long.len() > n {
        return prefix + suffix == n;
    }
    prefix < n
        && (prefix + suffix == n - 1
            || (prefix + suffix == n - 2 && long[prefix] == short[prefix + 1] && long[prefix + 1] == short[prefix]))
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
        assert!(
            one_edit("Ethiopi", "Ethiopia") && one_edit("Ethiopiaa", "Ethiopia") && one_edit("Ethiopja", "Ethiopia")
        );
        assert!(!one_edit("Etheopya", "Ethiopia") && !one_edit("Ethoipai", "Ethiopia"));
    }

    /// The byte loops agree with the plain definition (strip the common prefix, then compare
    /// what is left) on every pair of a word list and its one- and two-edit variants.
    #[test]
    fn one_edit_agrees_with_the_definition() {
        fn reference(a: &str, b: &str) -> bool {
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
        let mut words: Vec<String> =
            ["Ethiopia", "Qatar", "Vietnam", "Austria", "Australia", "Malaysia", "Niger", "Nigeria"]
                .iter()
                .map(|w| w.to_string())
                .collect();
        for w in words.clone() {
            for i in 0..w.len() {
                words.push(format!("{}{}", &w[..i], &w[i + 1..]));
                words.push(format!("{}x{}", &w[..i], &w[i..]));
                words.push(format!("{}x{}", &w[..i], &w[i + 1..]));
                if i + 1 < w.len() {
                    words.push(format!("{}{}{}{}", &w[..i], &w[i + 1..i + 2], &w[i..i + 1], &w[i + 2..]));
                }
            }
        }
        for a in &words {
            for b in &words {
                assert_eq!(one_edit(a, b), reference(a, b), "{a} / {b}");
            }
        }
    }

    #[test]
    fn misspelt_states_and_the_names_that_are_not() {
        assert_eq!(found("Ethopia has agreed to re-open its borders."), [("Ethopia".into(), "ETH".into())]);
        assert_eq!(found("Quatar's emir launched a mediation effort."), [("Quatar".into(), "QAT".into())]);
        assert!(found("Angela Merkel met students at Columbia.").is_empty());
        assert!(found("Mr Olivia said so.").is_empty(), "a different first letter");
    }
}
