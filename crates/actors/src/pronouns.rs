//! Personal pronouns ("he", "his", "her") resolved to the person the text has just named,
//! where that person is the only one it could be: news tells one person's acts over several
//! sentences ("Kishida arrived in Vilnius. He met ..."), and without this each of those acts
//! has no source.

use crate::find::Mention;
use crate::kb::{ActorKind, Surface};
use crate::leaders::WEEKDAYS_AND_MONTHS;
use entente_document::Document;

/// Sentences back, counting the pronoun's own, that an antecedent may stand in.
const REACH: usize = 2;

/// Mentions for the pronouns of a document. A pronoun takes the one person named before it in
/// its own sentence; with none there, the one person named in the nearest earlier sentence
/// (within [`REACH`]) that names any. Two or more people there make it ambiguous, and it is
/// left alone: a wrong source is worse than none.
pub fn resolve(doc: &Document, mentions: &[Mention]) -> Vec<Mention> {
    let persons: Vec<&Mention> = mentions.iter().filter(|m| m.kind == ActorKind::Person).collect();
    // Found only for a document with a pronoun to resolve: most sentences have none.
    let unknown_names = std::cell::OnceCell::new();
    let mut out = Vec::new();
    // Per sentence already read, the distinct people it names (most recent last) and where
    // the last of them ends.
    let mut earlier: Vec<(Vec<&str>, usize)> = Vec::new();
    let mut next_person = 0;
    let mut next_mention = 0;
    for sentence in &doc.sentences {
        let mut here: Vec<&Mention> = Vec::new();
        while next_person < persons.len() && persons[next_person].span.start < sentence.span.end {
            if persons[next_person].span.start >= sentence.span.start {
                here.push(persons[next_person]);
            }
            next_person += 1;
        }
        let tokens = &doc.tokens[sentence.token_range()];
        for (k, token) in tokens.iter().enumerate() {
            if !is_personal_pronoun(token.span.of(&doc.text)) {
                continue;
            }
            // "He Jianxiong": a capitalised word right after makes it a surname.
            let name_follows = tokens.get(k + 1).is_some_and(|next| {
                next.span.start == token.span.end + 1 && next.span.of(&doc.text).starts_with(char::is_uppercase)
            });
            if name_follows {
                continue;
            }
            // Mentions are sorted: skip those ending before the pronoun, then see whether one
            // covers it (a pronoun inside a name is part of that name).
            while next_mention < mentions.len() && mentions[next_mention].span.end <= token.span.start {
                next_mention += 1;
            }
            if mentions.get(next_mention).is_some_and(|m| m.span.overlaps(token.span)) {
                continue;
            }
            let before: Vec<&Mention> = here.iter().copied().filter(|m| m.span.end <= token.span.start).collect();
            let antecedent = match before.last() {
                None => earlier
                    .iter()
                    .rev()
                    .take(REACH)
                    .find(|(people, _)| !people.is_empty())
                    .and_then(|(p, last)| only(p).map(|a| (a, *last))),
                Some(last) => only(&distinct(before.iter().copied())).map(|a| (a, last.span.end)),
            };
            // A name the knowledge base does not know between the two ("President Pervaiz
            // Musharraf", misspelt) may be the one meant.
            let unknown_name_between = |from: usize| {
                let unknown_names = unknown_names.get_or_init(|| unknown_names_in(doc, mentions));
                let first = unknown_names.partition_point(|&at| at < from);
                unknown_names.get(first).is_some_and(|&at| at < token.span.start)
            };
            if let Some(actor) = antecedent.filter(|&(_, end)| !unknown_name_between(end)).map(|(a, _)| a) {
                out.push(Mention {
                    span: token.span,
                    actor: actor.to_string(),
                    kind: ActorKind::Person,
                    sector: None,
                    surface: Surface::Pronoun,
                    rule: "coref:pronoun",
                });
            }
        }
        earlier.push((distinct(here.iter().copied()), here.last().map_or(0, |m| m.span.end)));
    }
    out
}

/// Where the capitalised words that no mention covers start, a sentence's first word apart:
/// names the knowledge base does not know, each of which may be a person. Sorted; one pass.
fn unknown_names_in(doc: &Document, mentions: &[Mention]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut next_mention = 0;
    for sentence in &doc.sentences {
        for t in doc.tokens[sentence.token_range()].iter().skip(1) {
            while next_mention < mentions.len() && mentions[next_mention].span.end <= t.span.start {
                next_mention += 1;
            }
            let word = t.span.of(&doc.text);
            let known = mentions.get(next_mention).is_some_and(|m| m.span.overlaps(t.span));
            if word.len() > 1 && word.starts_with(char::is_uppercase) && !known && !is_calendar_word(word) {
                out.push(t.span.start);
            }
        }
    }
    out
}

/// Days and months, capitalised in English without being names of anyone.
fn is_calendar_word(word: &str) -> bool {
    WEEKDAYS_AND_MONTHS.contains(&word.trim_end_matches('.'))
}

fn is_personal_pronoun(word: &str) -> bool {
    matches!(word, "he" | "He" | "him" | "his" | "His" | "she" | "She" | "her" | "Her" | "HE" | "SHE")
}

/// The actors of `mentions`, each once, in order.
fn distinct<'m>(mentions: impl Iterator<Item = &'m Mention>) -> Vec<&'m str> {
    let mut out: Vec<&str> = Vec::new();
    for m in mentions {
        if !out.contains(&m.actor.as_str()) {
            out.push(&m.actor);
        }
    }
    out
}

fn only<'a>(people: &[&'a str]) -> Option<&'a str> {
    match people {
        [one] => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entente_document::{Metadata, Span};

    fn person(text: &str, name: &str, id: &str, nth: usize) -> Mention {
        let start = text.match_indices(name).nth(nth).expect("in text").0;
        Mention {
            span: Span::new(start, start + name.len()),
            actor: id.into(),
            kind: ActorKind::Person,
            sector: None,
            surface: Surface::Name,
            rule: "test",
        }
    }

    /// The pronouns resolved in `text`, where `people` are the persons named and every other
    /// capitalised word past a sentence's first is a known place.
    fn resolved(text: &str, people: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut doc = Document::new("t", text, Metadata::default());
        entente_text::annotate(&mut doc);
        let mut mentions: Vec<Mention> = people.iter().map(|(name, id)| person(text, name, id, 0)).collect();
        for t in &doc.tokens {
            let word = t.span.of(text);
            let known = mentions.iter().any(|m| m.span.overlaps(t.span));
            if word.starts_with(char::is_uppercase) && !is_personal_pronoun(word) && !known {
                let place = Mention { kind: ActorKind::State, actor: word.to_uppercase(), ..person(text, word, "", 0) };
                mentions.push(Mention { span: t.span, ..place });
            }
        }
        mentions.sort_by_key(|m| m.span.start);
        resolve(&doc, &mentions).iter().map(|m| (m.span.of(text).to_string(), m.actor.clone())).collect()
    }

    #[test]
    fn a_pronoun_takes_the_one_person_just_named() {
        let text = "Kishida arrived in Vilnius on Tuesday. He met Stoltenberg's deputy and praised his work.";
        let found = resolved(text, &[("Kishida", "fumio-kishida")]);
        assert_eq!(
            found,
            [("He".to_string(), "fumio-kishida".to_string()), ("his".to_string(), "fumio-kishida".to_string())]
        );
    }

    #[test]
    fn two_people_make_a_pronoun_ambiguous_and_it_is_left_alone() {
        let text = "Bush met Musharraf in New York. He said the talks went well.";
        assert!(resolved(text, &[("Bush", "george-w-bush"), ("Musharraf", "pervez-musharraf")]).is_empty());
    }

    #[test]
    fn a_name_the_knowledge_base_does_not_know_between_makes_it_ambiguous() {
        let text = "Bush avoided criticising President Pervaiz Musharraf, saying he was an ally.";
        let mut doc = Document::new("t", text, Metadata::default());
        entente_text::annotate(&mut doc);
        assert!(resolve(&doc, &[person(text, "Bush", "george-w-bush", 0)]).is_empty());
        let text = "Bush arrived on Tuesday. He spoke.";
        let mut doc = Document::new("t", text, Metadata::default());
        entente_text::annotate(&mut doc);
        assert_eq!(resolve(&doc, &[person(text, "Bush", "george-w-bush", 0)]).len(), 1, "a day is no name");
    }

    #[test]
    fn a_surname_is_no_pronoun() {
        let text = "Xi spoke. He Jianxiong, a former IMF director, said the talks were useful.";
        assert!(resolved(text, &[("Xi", "xi-jinping")]).is_empty());
    }

    #[test]
    fn an_antecedent_is_looked_for_only_a_sentence_or_two_back() {
        let text = "Modi spoke. Rain fell. Markets rose. He left.";
        assert!(resolved(text, &[("Modi", "narendra-modi")]).is_empty());
        let text = "Modi spoke. Rain fell. He left.";
        assert_eq!(resolved(text, &[("Modi", "narendra-modi")]).len(), 1);
    }

    #[test]
    fn the_persons_own_sentence_comes_first() {
        let text = "Biden spoke. Xi said his country would not yield.";
        let found = resolved(text, &[("Biden", "joe-biden"), ("Xi", "xi-jinping")]);
        assert_eq!(found, [("his".to_string(), "xi-jinping".to_string())]);
    }
}
