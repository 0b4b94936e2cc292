//! Whether an event happened, will happen, did not happen, might happen or is only reported.
//! Negated and hypothetical events are kept as such, never as asserted ones.

pub use entente_document::event::Modality;

use crate::words::{self, WordList};

/// Verbs that report speech ("said", "told", "stressed"). The coder asks this of nearly every
/// word of every sentence with an actor: one hash lookup.
pub(crate) fn is_speech_verb(w: &str) -> bool {
    words::is(WordList::SpeechVerbs, w)
}

/// Whether the words before a negated trigger refuse it ("refused to meet", "declined to
/// release", "would not allow") rather than report it did not happen ("did not meet").
pub fn refused(before: &[&str]) -> bool {
    let near = &before[before.len().saturating_sub(6)..];
    near.windows(2).any(|p| {
        // "failed to reach agreement": a failure to cooperate is a rejection, as PETRARCH's
        // CAMEO verb patterns code it ("FAILED TO * &SOLUTION [120]").
        (words::is(WordList::RefusingVerbs, p[0]) && p[1] == "to")
            || (words::is(WordList::RefusingModals, p[0]) && matches!(p[1], "not" | "n't" | "never"))
    })
}

/// What a sentence's words as a whole say about the modality of each event in it; read once
/// per sentence, however many triggers it has.
pub struct SentenceCues {
    /// A speech verb somewhere in the sentence ("he said it would ...").
    speech: bool,
    /// "according to", "reportedly", "allegedly", ...
    reported: bool,
}

impl SentenceCues {
    pub fn of(sentence_words: &[&str]) -> SentenceCues {
        let according = sentence_words.windows(2).any(|w| w == ["according", "to"]);
        SentenceCues {
            speech: sentence_words.iter().any(|w| is_speech_verb(w)),
            reported: according || sentence_words.iter().any(|w| words::is(WordList::ReportMarkers, w)),
        }
    }
}

/// The modality of an event from the words before its trigger (back to its subject) and the
/// sentence around it. `clause_opening`: the first words of the trigger's clause ("If Russia
/// invades ..."). `reported_by_other`: the event sits in what another actor said.
pub fn modality(
    before: &[&str],
    clause_opening: &[&str],
    sentence: &SentenceCues,
    reported_by_other: bool,
) -> Modality {
    let near = &before[before.len().saturating_sub(6)..];
    let followed_by_to = |i: usize| near.get(i + 1) == Some(&"to");
    if near.iter().any(|w| words::is(WordList::Negators, w))
        || near.iter().enumerate().any(|(i, w)| words::is(WordList::NegatingVerbs, w) && followed_by_to(i))
    {
        return Modality::Negated;
    }
    let speech_before = sentence.speech;
    let conditional_clause = clause_opening.iter().take(2).any(|w| matches!(*w, "if" | "unless" | "whether"));
    if conditional_clause
        || near.iter().any(|w| words::is(WordList::Conditionals, w))
        || (near.contains(&"would") && !speech_before)
    {
        return Modality::Hypothetical;
    }
    // "US, Japan and South Korea to Convene Talks": a headline's bare infinitive is future.
    let headline_infinitive = before.first() == Some(&"to");
    if headline_infinitive
        || near.iter().any(|w| words::is(WordList::FutureMarkers, w))
        || near.contains(&"would")
        || near.iter().enumerate().any(|(i, w)| words::is(WordList::PlanningVerbs, w) && followed_by_to(i))
        || near.windows(2).any(|w| w == ["to", "be"])
    {
        return Modality::Planned;
    }
    if reported_by_other || sentence.reported {
        return Modality::Reported;
    }
    Modality::Asserted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(before: &str, sentence: &str) -> Modality {
        let b: Vec<&str> = before.split_whitespace().collect();
        let s: Vec<&str> = sentence.split_whitespace().collect();
        let opening: Vec<&str> = s.iter().take(2).copied().collect();
        modality(&b, &opening, &SentenceCues::of(&s), false)
    }

    #[test]
    fn each_modality_from_its_markers() {
        assert_eq!(m("Japan", "Japan attended"), Modality::Asserted);
        assert_eq!(m("Japan will", "Japan will attend"), Modality::Planned);
        assert_eq!(m("NATO plans to", "NATO plans to open an office"), Modality::Planned);
        assert_eq!(m("Japan did n't", "Japan did n't attend"), Modality::Negated);
        assert_eq!(m("Lungescu declined to", "Lungescu declined to give details"), Modality::Negated);
        assert_eq!(m("if Japan", "if Japan attends"), Modality::Hypothetical);
        assert_eq!(m("", "if Japan attends"), Modality::Hypothetical, "a conditional clause");
        assert_eq!(m("Japan would", "Japan would attend"), Modality::Hypothetical);
        assert_eq!(m("it would", "he said it would attend"), Modality::Planned, "future in the past");
        assert_eq!(m("Nato is reportedly", "Nato is reportedly planning"), Modality::Reported);
        assert_eq!(m("Kishida", "according to Nikkei Kishida met"), Modality::Reported);
        assert_eq!(m("Japan will not", "Japan will not attend"), Modality::Negated, "negation wins");
        assert_eq!(m("Japan later", "Japan later attended"), Modality::Asserted, "a story's \"later\"");
        assert_eq!(m("Russia is unlikely to", "Russia is unlikely to agree"), Modality::Hypothetical);
    }
}
