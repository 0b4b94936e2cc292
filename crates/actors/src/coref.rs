//! References that carry alignments: "the alliance", "the organization", "the bloc", "the
//! four countries", resolved to the most recent compatible actor named before them in the
//! same document.

use crate::find::Mention;
use crate::kb::{ActorKind, KnowledgeBase, Surface};
use entente_document::Span;
use regex::Regex;
use std::sync::LazyLock;

static DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[Tt]he\s+(?:(?:military|defen[cs]e|security|regional|political|economic|trade|transatlantic|western|Western)\s+)?(alliance|organization|organisation|bloc|union|group|grouping|pact|four countries|four nations|forum|council|court|agency|watchdog|partnership|dialogue|trilateral|cartel)\b")
        .expect("compiles")
});

/// "the summit", "the Vilnius summit", "the July summit": the summit of the organisation last
/// named with one ("the NATO summit").
static SUMMIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[Tt]he\s+(?:(?:[A-Z][\w-]+|\d{4}|next|last|upcoming|annual|recent|latest|coming)\s+)?(summits?)\b")
        .expect("compiles")
});

/// "the two leaders", "the two countries": two referents at once.
static THE_TWO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[Tt]he\s+two\s+(leaders|presidents|prime ministers|heads of state|countries|nations|sides|governments|states|neighbours|neighbors)\b")
        .expect("compiles")
});

/// Generic nouns that may refer to any organisation when no more specific one fits.
const GENERIC: &[&str] = &["organization", "organisation", "alliance", "bloc", "group", "grouping"];

/// Resolves descriptions in `text` against the mentions found before them.
pub fn resolve(text: &str, mentions: &[Mention], kb: &KnowledgeBase) -> Vec<Mention> {
    let mut out = Vec::new();
    for c in DESCRIPTION.captures_iter(text) {
        let whole = c.get(0).expect("group 0");
        let span = Span::new(whole.start(), whole.end());
        if mentions.iter().any(|m| m.span.overlaps(span)) {
            continue; // "the Atlantic Alliance" is a name, found already
        }
        let noun = c[1].to_lowercase().replace("organisation", "organization");
        let candidates = kb.referents(&noun);
        let antecedent = mentions
            .iter()
            .rev()
            .filter(|m| {
                m.span.end <= span.start
                    && matches!(m.kind, ActorKind::Organization | ActorKind::Grouping | ActorKind::Other)
            })
            .find(|m| {
                candidates.contains(&m.actor)
                    || (candidates.is_empty() && GENERIC.contains(&noun.as_str()) && m.kind != ActorKind::Other)
            })
            .or_else(|| {
                // Nothing named that this noun is known for: a generic noun takes the nearest
                // organisation before it.
                GENERIC
                    .contains(&noun.as_str())
                    .then(|| {
                        mentions.iter().rev().find(|m| {
                            m.span.end <= span.start && matches!(m.kind, ActorKind::Organization | ActorKind::Grouping)
                        })
                    })
                    .flatten()
            });
        if let Some(a) = antecedent {
            out.push(Mention {
                span,
                actor: a.actor.clone(),
                kind: a.kind,
                sector: None,
                surface: Surface::Reference,
                rule: rule_for(&noun),
            });
        }
    }
    out
}

/// The summit word of "the (Vilnius) summit" as a reference to the organisation whose summit
/// the text last named.
pub fn resolve_summits(text: &str, mentions: &[Mention]) -> Vec<Mention> {
    let mut out = Vec::new();
    for c in SUMMIT.captures_iter(text) {
        let word = c.get(1).expect("group 1");
        let span = Span::new(word.start(), word.end());
        let named_here = mentions
            .iter()
            .any(|m| m.span.end + 1 == span.start && matches!(m.kind, ActorKind::Organization | ActorKind::Grouping));
        if named_here || mentions.iter().any(|m| m.span.overlaps(span)) {
            continue;
        }
        let organiser = mentions.iter().rev().find(|m| {
            m.span.end <= span.start && matches!(m.kind, ActorKind::Organization | ActorKind::Grouping) && {
                let after = text[m.span.end..].trim_start_matches(['\'', '’', 's']).trim_start();
                after.starts_with("summit") || after.starts_with("Summit")
            }
        });
        if let Some(o) = organiser {
            out.push(Mention {
                span,
                actor: o.actor.clone(),
                kind: o.kind,
                sector: None,
                surface: Surface::Reference,
                rule: "coref:the-summit",
            });
        }
    }
    out
}

/// "the two leaders" → the last two people named before; "the two countries" → the last two
/// states. Both referents share the span, which the event coder reads as a pair.
pub fn resolve_pairs(text: &str, mentions: &[Mention]) -> Vec<Mention> {
    let mut out = Vec::new();
    for c in THE_TWO.captures_iter(text) {
        let whole = c.get(0).expect("group 0");
        let span = Span::new(whole.start(), whole.end());
        let people = matches!(&c[1], "leaders" | "presidents" | "prime ministers" | "heads of state");
        let wanted = |m: &&Mention| {
            m.span.end <= span.start && if people { m.kind == ActorKind::Person } else { m.kind == ActorKind::State }
        };
        let mut two: Vec<&Mention> = Vec::new();
        for m in mentions.iter().rev().filter(wanted) {
            if !two.iter().any(|t| t.actor == m.actor) {
                two.push(m);
            }
            if two.len() == 2 {
                break;
            }
        }
        if two.len() == 2 {
            for m in two.into_iter().rev() {
                out.push(Mention {
                    span,
                    actor: m.actor.clone(),
                    kind: m.kind,
                    sector: m.sector.clone(),
                    surface: Surface::Reference,
                    rule: "coref:the-two",
                });
            }
        }
    }
    out
}

fn rule_for(noun: &str) -> &'static str {
    match noun {
        "alliance" => "coref:the-alliance",
        "organization" => "coref:the-organization",
        "bloc" => "coref:the-bloc",
        "union" => "coref:the-union",
        "four countries" | "four nations" => "coref:the-four-countries",
        _ => "coref:the-description",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find::MentionFinder;

    #[test]
    fn descriptions_resolve_to_the_latest_fitting_actor() {
        let kb = KnowledgeBase::builtin();
        let text = "NATO met in Madrid. The EU also met. The alliance said the bloc and the organization agreed.";
        let mentions = MentionFinder::new(kb).find(text);
        let refs = resolve(text, &mentions, kb);
        let got: Vec<(String, String, &str)> =
            refs.iter().map(|m| (m.span.of(text).to_string(), m.actor.clone(), m.rule)).collect();
        assert_eq!(
            got,
            [
                ("The alliance".into(), "NATO".into(), "coref:the-alliance"),
                ("the bloc".into(), "EU".into(), "coref:the-bloc"),
                ("the organization".into(), "NATO".into(), "coref:the-organization"),
            ]
        );
    }

    #[test]
    fn the_two_resolves_to_the_last_two_of_the_right_kind() {
        let kb = KnowledgeBase::builtin();
        let text = "Japan, South Korea and NATO met. The two countries agreed.";
        let refs = resolve_pairs(text, &MentionFinder::new(kb).find(text));
        assert_eq!(refs.iter().map(|m| m.actor.as_str()).collect::<Vec<_>>(), ["JPN", "KOR"]);
        assert!(refs.iter().all(|m| m.span.of(text) == "The two countries" && m.rule == "coref:the-two"));
    }

    #[test]
    fn no_antecedent_no_reference() {
        let kb = KnowledgeBase::builtin();
        let text = "The alliance met.";
        assert!(resolve(text, &MentionFinder::new(kb).find(text), kb).is_empty());
    }
}
