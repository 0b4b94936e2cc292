//! Filters: words that look like a trigger but name no event here ("the war crimes court",
//! "market demand", "called the move historic"), and words the coder blanks before reading.

use super::*;

/// Words that look like a trigger but name no event here: "in order to", "a press release",
/// the month of March.
pub(super) fn not_an_event(view: &SentenceView, w: &[&str], i: usize) -> bool {
    let prev = if i > 0 { w[i - 1] } else { "" };
    let next = |k: usize| w.get(i + k).copied().unwrap_or("");
    match w[i] {
        "order" => prev == "in",
        // "alleged war crimes": the adjective, not the verb.
        "alleged" => next(1) != "that",
        // "a press release", "released a statement", "released to the public": information,
        // not people set free.
        x if words::is(WordList::ReleaseForms, x) => {
            prev == "press"
                || (1..=3).any(|k| words::is(WordList::InformationNouns, next(k)))
                || (next(1) == "to" && next(3) == "public")
        }
        // "offers a powerful reminder": an insight, not an offer to anyone.
        x if words::is(WordList::OfferForms, x) => (1..=3).any(|k| words::is(WordList::InsightNouns, next(k))),
        "march" => i > 0 && view.words[i].span.of(view.text).starts_with('M'),
        // "roll back tariffs", "fought back", "will be back": the particle of another verb,
        // not support.
        "back" => words::is(WordList::BackParticleAfter, prev),
        // "the defending champion": a title holder in sport.
        "defending" => words::is(WordList::SportTitles, next(1)),
        // "global demand", "supply and demand": a market's, not a demand made of anyone.
        "demand" => words::is(WordList::MarketDemand, prev),
        // "the Nikkei declined 0.3%": a market's fall, not a refusal.
        "decline" | "declined" | "declines" => next(1).starts_with(|c: char| c.is_ascii_digit()),
        // "as demonstrated by", "demonstrates that", "demonstrated its resolve": showing, not
        // a street protest.
        "demonstrate" | "demonstrated" | "demonstrates" => prev == "as" || words::is(WordList::ShowingObjects, next(1)),
        // "are now left with": no one was expelled.
        "left" => words::is(WordList::BeForms, prev) || prev == "now",
        // "a trade war", "a war of words": no fighting; "the Vietnam War", "the Six-Day War",
        // "World War Two": a named war of the past.
        "war" | "wars" => {
            words::is(WordList::NoFightingWar, prev)
                || (next(1) == "of" && next(2) == "words")
                || prev == "world"
                || named_war(view, w, i)
        }
        // "struck me as political": an impression, not a blow.
        "struck" | "strikes" | "strike" => words::is(WordList::ImpressedObjects, next(1)) && next(2) == "as",
        _ => false,
    }
}

/// "the Vietnam War", "the Six-Day War": "War" capitalised after "the" and capitalised words
/// (a headline in title case has no "the" right there).
pub(super) fn named_war(view: &SentenceView, w: &[&str], i: usize) -> bool {
    let capitalised = |j: usize| view.words[j].span.of(view.text).starts_with(|c: char| c.is_uppercase());
    if !capitalised(i) {
        return false;
    }
    let from = i.saturating_sub(4);
    (from..i).rev().find(|&j| w[j] == "the").is_some_and(|the| the + 1 < i && (the + 1..i).all(capitalised))
}

/// Whether the clause after a noun event says it was called off ("was postponed", "has been
/// cancelled", "were suspended").
pub(super) fn called_off_after(w: &[&str], end: usize) -> bool {
    let limit = (end + 14).min(w.len());
    let clause_end = (end..limit).find(|&j| words::is(WordList::ClauseBreaks, w[j])).unwrap_or(limit);
    (end..clause_end).any(|j| {
        words::is(WordList::CalledOffAuxiliaries, w[j])
            && w.get(j + 1).is_some_and(|x| {
                words::is(WordList::CalledOffVerbs, x) || (*x == "called" && w.get(j + 2) == Some(&"off"))
            })
    })
}

/// Whether the clause after a noun event says it is still to come ("is slated to occur", "is
/// scheduled for July", "is expected to take place", "will be held").
pub(super) fn still_to_come_after(w: &[&str], end: usize) -> bool {
    let limit = (end + 14).min(w.len());
    let clause_end = (end..limit).find(|&j| words::is(WordList::ClauseBreaks, w[j])).unwrap_or(limit);
    (end..clause_end).any(|j| {
        let be_then =
            matches!(w[j], "is" | "are") && w.get(j + 1).is_some_and(|x| words::is(WordList::StillToComeAfterBe, x));
        be_then || (w[j] == "will" && w.get(j + 1).is_some_and(|x| words::is(WordList::StillToComeAfterWill, x)))
    })
}

/// Photo captions mark where people stand: "Rasmussen (R) and Abe (L) signed". The markers
/// are blanked so that they neither break the coordination nor open a clause.
pub(super) fn blank_caption_markers(w: &mut [&str]) {
    let marker = |x: &str| words::is(WordList::CaptionMarkers, x) || x.ends_with(" l") || x.ends_with(" r");
    for j in 1..w.len().saturating_sub(1) {
        if w[j - 1] == "(" && w[j + 1] == ")" && marker(w[j]) {
            w[j - 1] = "";
            w[j] = "";
            w[j + 1] = "";
        }
    }
}

/// Nouns that an event noun before them only classifies ("war crimes", "attack helicopters"),
/// by the name the main loop asks them under.
pub(super) const MODIFIED_NOUNS: WordList = WordList::ModifiedNouns;

/// Words before a trigger that make it a noun ("his visit", "the invitation"). It is asked of
/// the word before nearly every word: one hash lookup.
pub(super) fn is_noun_context(w: &str) -> bool {
    words::is(WordList::NounContext, w)
}

/// "a trilateral meeting among ...", "the high-level talks with ...", "her historic visit to
/// ...": a word shaped like an adjective between a determiner and the trigger, with a
/// preposition or verb after the trigger, makes the trigger a noun. The shape (a suffix of
/// adjectives, or a hyphenated compound) stands in for a part-of-speech tag the rules path
/// does not have; the word after keeps "the general visited Japan" a verb.
pub(super) fn adjective_after_determiner(w: &[&str], word_actor: &[Option<usize>], i: usize) -> bool {
    if i < 2 || word_actor[i - 2].is_some() && !matches!(w[i - 2], "'s" | "’s") {
        return false;
    }
    let word = w[i - 1];
    let adjective = word.chars().all(|c| c.is_alphabetic() || c == '-')
        && !word.ends_with("ly")
        && (word.contains('-') || words::ends_with_any(WordList::AdjectiveEndings, word, 2));
    let noun_follows = w.get(i + 1).is_some_and(|next| words::is(WordList::AfterANoun, next));
    words::is(WordList::AdjectiveDeterminers, w[i - 2]) && adjective && noun_follows
}

/// A reject or pledge verb followed by "to" + verb governs another event ("declined to
/// attend", "refused to meet"): the coder takes it as that event's modality.
pub(super) fn is_modal_use(lexicon: &Lexicon, m: &TriggerMatch, w: &[&str]) -> bool {
    let trigger = lexicon.trigger(m.trigger);
    let governs =
        trigger.slots.len() == 1 && matches!(trigger.code.as_str(), "120" | "030") && w.get(m.end) == Some(&"to");
    // "to help support the rights of Palestinians": the help is the act it helps; "willing to
    // withdraw": the willingness is the next act's modality.
    governs || trigger.has(Trait::GovernsNext)
}

/// What the filters make of a candidate trigger.
pub(super) enum Screen {
    /// An event: on to its actors.
    Keep,
    /// No event: a noun modifier ("attack helicopters"), a named war, a market's demand.
    /// The next word may start a trigger.
    Drop,
    /// No event of its own but words that shape the next one ("declined to criticise",
    /// "agreed to postpone"), a noun where only a verb is known ("the signs of"), or
    /// cognition ("recognise that"): go on after its words.
    PassOver,
}

impl Coder<'_> {
    /// The filters stage: whether a candidate is an event.
    pub(super) fn screen(&self, s: &Sentence, c: &Candidate) -> Screen {
        let (w, m) = (&s.words, &c.m);
        // "the war crimes court", "attack helicopters": a one-word trigger modifying a noun
        // names a kind of thing, not an event.
        let modifier = m.end == m.start + 1 && w.get(m.end).is_some_and(|next| MODIFIED_NOUNS.contains(next));
        if modifier || not_an_event(s.view, w, m.start) {
            return Screen::Drop;
        }
        let trigger = self.lexicon.trigger(m.trigger);
        let noun_reading_of_verb = c.noun_context && trigger.pos == Pos::Verb;
        let complement = w.get(m.end) == Some(&"that") && trigger.code == "054";
        // An agreement governs only a cooperative act: "agreed to postpone the
        // demonstration" is an agreement, not a planned protest.
        let governs_another = is_modal_use(self.lexicon, m, w)
            && self
                .trigger_follows(w, m.end, &|j| s.blocks_gap(j))
                .is_some_and(|next| trigger.code != "030" || intent_code(next).is_some() || next.starts_with("08"));
        match governs_another || noun_reading_of_verb || complement {
            true => Screen::PassOver,
            false => Screen::Keep,
        }
    }
}
