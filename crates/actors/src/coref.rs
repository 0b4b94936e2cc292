//! References that carry alignments: "the alliance", "the organization", "the bloc", "the
//! four countries", resolved to the most recent compatible actor named before them in the
//! same document.

use crate::find::Mention;
use crate::kb::{ActorKind, KnowledgeBase, Surface};
use entente_document::Span;
use regex::{Captures, Regex};
use std::sync::LazyLock;

// The patterns below take ASCII word boundaries (`(?-u:\b)`): a Unicode `\b` stops the fast
// DFA at the first non-ASCII byte (a curly quote is enough), and the slow engines then read
// the whole document. `matches_on_word_boundaries` holds each match to the Unicode boundaries
// the patterns mean.

static DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Tt]he\s+(?:(?:military|defen[cs]e|security|regional|political|economic|trade|transatlantic|western|Western)\s+)?(alliance|organization|organisation|bloc|union|group|grouping|pact|four countries|four nations|forum|council|court|agency|watchdog|partnership|dialogue|trilateral|cartel|commission|parliament|assembly|secretariat)(?-u:\b)")
        .expect("compiles")
});

/// "the summit", "the Vilnius summit", "the July summit": the summit of the organisation last
/// named with one ("the NATO summit").
static SUMMIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Tt]he\s+(?:(?:[A-Z][\w-]+|\d{4}|next|last|upcoming|annual|recent|latest|coming)\s+)?(summits?)(?-u:\b)")
        .expect("compiles")
});

/// "the two leaders", "the two countries": two referents at once.
static THE_TWO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Tt]he\s+two\s+(leaders|presidents|prime ministers|heads of state|countries|nations|sides|governments|states|neighbours|neighbors)(?-u:\b)")
        .expect("compiles")
});

/// Compiles the reference patterns now rather than on the first document (see
/// `people::compile_patterns`).
pub(crate) fn compile_patterns() {
    for re in [&DESCRIPTION, &SUMMIT, &THE_TWO] {
        LazyLock::force(re);
    }
}

/// The matches of `re` (one of the patterns above) that stand on Unicode word boundaries, as
/// the same pattern with a Unicode `\b` at each end finds them. Each pattern begins and ends
/// with an ASCII letter, so the two kinds of boundary disagree only beside a non-ASCII word
/// character ("éThe alliance"); such a match is passed over and the search goes on from the
/// next character, where the Unicode pattern would have looked next.
fn matches_on_word_boundaries<'t>(re: &'t Regex, text: &'t str) -> impl Iterator<Item = Captures<'t>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(c) = re.captures_at(text, at) {
            let whole = c.get(0).expect("group 0");
            let bounded = !text[..whole.start()].chars().next_back().is_some_and(is_word_character)
                && !text[whole.end()..].chars().next().is_some_and(is_word_character);
            if bounded {
                at = whole.end();
                return Some(c);
            }
            at = whole.start() + text[whole.start()..].chars().next().map_or(1, char::len_utf8);
        }
        None
    })
}

/// `\w` as the regex crate reads it (Unicode letters, marks, digits and connectors).
fn is_word_character(c: char) -> bool {
    static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A\w\z").expect("compiles"));
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    WORD.is_match(c.encode_utf8(&mut [0; 4]))
}

/// Generic nouns that may refer to any organisation when no more specific one fits.
const GENERIC: &[&str] = &["organization", "organisation", "alliance", "bloc", "group", "grouping"];

/// Resolves descriptions in `text` against the mentions found before them.
pub fn resolve(text: &str, mentions: &[Mention], kb: &KnowledgeBase) -> Vec<Mention> {
    let mut out = Vec::new();
    for c in matches_on_word_boundaries(&DESCRIPTION, text) {
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
                    // An organ counts for its organisation: "the European Commission ... the bloc".
                    || kb.part_of(&m.actor).is_some_and(|whole| candidates.iter().any(|c| c == whole))
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
            let actor = match kb.part_of(&a.actor) {
                Some(whole) if !candidates.contains(&a.actor) && candidates.iter().any(|c| c == whole) => whole,
                _ => a.actor.as_str(),
            };
            let kind = kb.actor(actor).map_or(a.kind, |w| w.kind);
            out.push(Mention {
                span,
                actor: actor.to_string(),
                kind,
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
    for c in matches_on_word_boundaries(&SUMMIT, text) {
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
                surface: Surface::Occasion,
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
    for c in matches_on_word_boundaries(&THE_TWO, text) {
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
    fn ascii_boundaries_find_what_unicode_boundaries_find() {
        let unicode = |re: &Regex| Regex::new(&re.as_str().replace(r"(?-u:\b)", r"\b")).unwrap();
        let texts = [
            "“The alliance” met; the bloc, éthe bloc, the blocé and the groupé.",
            "Über the four countries; the summité, l’Anti-the summit and The Vilnius summits’ end.",
            "naïve the two leaders; the two statesß; _the two sides and the two sides_",
        ];
        for re in [&*DESCRIPTION, &*SUMMIT, &*THE_TWO] {
            let unicode = unicode(re);
            for text in texts {
                let ours: Vec<_> = matches_on_word_boundaries(re, text).map(|c| c.get(0).unwrap().range()).collect();
                let theirs: Vec<_> = unicode.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(ours, theirs, "{} on {text}", re.as_str());
            }
        }
    }

    #[test]
    fn an_organ_counts_for_its_organisation() {
        let kb = KnowledgeBase::builtin();
        let cases = [
            ("The European Commission proposed sanctions. The bloc will vote.", "The bloc", "EU"),
            ("The European Commission proposed sanctions. The commission said more.", "The commission", "EC"),
            ("The UN Security Council met. The council voted.", "The council", "UNSC"),
            ("The AU Commission spoke. The union agreed.", "The union", "AU"),
        ];
        for (text, said, id) in cases {
            let refs = resolve(text, &MentionFinder::new(kb).find(text), kb);
            let got: Vec<(&str, &str)> = refs.iter().map(|m| (m.span.of(text), m.actor.as_str())).collect();
            assert_eq!(got, [(said, id)], "{text}");
        }
    }

    #[test]
    fn no_antecedent_no_reference() {
        let kb = KnowledgeBase::builtin();
        let text = "The alliance met.";
        assert!(resolve(text, &MentionFinder::new(kb).find(text), kb).is_empty());
    }
}
