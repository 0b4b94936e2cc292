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
        "release" | "releases" | "released" | "releasing" => {
            prev == "press"
                || (1..=3).any(|k| INFORMATION_NOUNS.contains(&next(k)))
                || (next(1) == "to" && next(3) == "public")
        }
        // "offers a powerful reminder": an insight, not an offer to anyone.
        "offer" | "offers" | "offered" | "offering" => (1..=3).any(|k| INSIGHT_NOUNS.contains(&next(k))),
        "march" => i > 0 && view.words[i].span.of(view.text).starts_with('M'),
        // "roll back tariffs", "fought back", "will be back": the particle of another verb,
        // not support.
        "back" => BACK_PARTICLE_AFTER.contains(&prev),
        // "the defending champion": a title holder in sport.
        "defending" => matches!(next(1), "champion" | "champions" | "titleholder" | "title"),
        // "global demand", "supply and demand": a market's, not a demand made of anyone.
        "demand" => MARKET_DEMAND.contains(&prev),
        // "the Nikkei declined 0.3%": a market's fall, not a refusal.
        "decline" | "declined" | "declines" => next(1).starts_with(|c: char| c.is_ascii_digit()),
        // "as demonstrated by", "demonstrates that", "demonstrated its resolve": showing, not
        // a street protest.
        "demonstrate" | "demonstrated" | "demonstrates" => {
            prev == "as"
                || matches!(next(1), "that" | "how" | "what" | "its" | "their" | "his" | "her" | "our" | "the" | "a")
        }
        // "are now left with": no one was expelled.
        "left" => BE_FORMS.contains(&prev) || prev == "now",
        // "a trade war", "a war of words": no fighting; "the Vietnam War", "the Six-Day War",
        // "World War Two": a named war of the past.
        "war" | "wars" => {
            NO_FIGHTING_WAR.contains(&prev)
                || (next(1) == "of" && next(2) == "words")
                || prev == "world"
                || named_war(view, w, i)
        }
        // "struck me as political": an impression, not a blow.
        "struck" | "strikes" | "strike" => {
            matches!(next(1), "me" | "him" | "her" | "us" | "them" | "many" | "some") && next(2) == "as"
        }
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

/// What is released when no one is set free: "released a statement", "the release of the report".
pub(super) const INFORMATION_NOUNS: &[&str] = &[
    "statement",
    "statements",
    "report",
    "reports",
    "video",
    "videos",
    "footage",
    "photos",
    "photographs",
    "images",
    "data",
    "figures",
    "transcript",
    "details",
    "results",
    "record",
    "records",
    "documents",
    "letter",
    "memo",
    "list",
    "budget",
    "guidance",
    "guidelines",
    "study",
    "album",
    "film",
    "version",
    "update",
    "statistics",
    "findings",
    "text",
    "summary",
    "communique",
    "readout",
    "audio",
    "recording",
    "emails",
    "files",
    "information",
    "tape",
    "tapes",
];
/// What is offered when nothing is offered to anyone: "offers a reminder", "offered a glimpse".
pub(super) const INSIGHT_NOUNS: &[&str] = &[
    "reminder",
    "glimpse",
    "insight",
    "insights",
    "example",
    "look",
    "view",
    "window",
    "snapshot",
    "picture",
    "lesson",
    "lessons",
    "clue",
    "clues",
    "perspective",
    "explanation",
    "hint",
    "contrast",
    "proof",
    "evidence",
];

/// Verbs whose particle "back" is ("roll back", "fight back", "be back").
pub(super) const BACK_PARTICLE_AFTER: &[&str] = &[
    "be", "is", "are", "was", "were", "been", "being", "roll", "rolled", "rolling", "rolls", "scale", "scaled",
    "scaling", "pull", "pulled", "pulling", "cut", "cutting", "fight", "fought", "fighting", "hit", "hitting",
    "strike", "struck", "bring", "brought", "come", "came", "coming", "go", "went", "going", "step", "stepped", "turn",
    "turned", "call", "called", "hold", "held", "holding", "give", "gave", "get", "got", "pay", "paid", "send", "sent",
    "look", "looked", "take", "took", "taking", "claw", "clawed", "win", "won", "move", "moved", "push", "pushed",
    "pushing", "set", "way",
];
/// What makes a war no fighting: "trade war", "price war".
pub(super) const NO_FIGHTING_WAR: &[&str] =
    &["trade", "tariff", "price", "currency", "culture", "tech", "chip", "bidding", "turf", "talent", "subsidy"];
/// What makes a demand a market's: "global demand", "supply and demand".
pub(super) const MARKET_DEMAND: &[&str] = &[
    "global",
    "oil",
    "energy",
    "consumer",
    "domestic",
    "weak",
    "weaker",
    "strong",
    "stronger",
    "market",
    "power",
    "electricity",
    "fuel",
    "gas",
    "crude",
    "import",
    "export",
    "food",
    "housing",
    "labour",
    "labor",
    "travel",
    "chip",
    "and",
    "peak",
    "seasonal",
];

/// Whether the clause after a noun event says it was called off ("was postponed", "has been
/// cancelled", "were suspended").
pub(super) fn called_off_after(w: &[&str], end: usize) -> bool {
    let limit = (end + 14).min(w.len());
    let clause_end = (end..limit).find(|&j| CLAUSE_BREAKS.contains(&w[j])).unwrap_or(limit);
    (end..clause_end).any(|j| {
        matches!(w[j], "was" | "were" | "been" | "is" | "are")
            && w.get(j + 1).is_some_and(|x| {
                matches!(
                    *x,
                    "postponed"
                        | "cancelled"
                        | "canceled"
                        | "delayed"
                        | "scrapped"
                        | "suspended"
                        | "shelved"
                        | "aborted"
                ) || (*x == "called" && w.get(j + 2) == Some(&"off"))
            })
    })
}

/// Whether the clause after a noun event says it is still to come ("is slated to occur", "is
/// scheduled for July", "is expected to take place", "will be held").
pub(super) fn still_to_come_after(w: &[&str], end: usize) -> bool {
    let limit = (end + 14).min(w.len());
    let clause_end = (end..limit).find(|&j| CLAUSE_BREAKS.contains(&w[j])).unwrap_or(limit);
    (end..clause_end).any(|j| {
        let be_then = |words: &[&str]| matches!(w[j], "is" | "are") && w.get(j + 1).is_some_and(|x| words.contains(x));
        be_then(&["slated", "scheduled", "expected", "set", "due", "planned", "to"])
            || (w[j] == "will" && w.get(j + 1).is_some_and(|x| matches!(*x, "be" | "take" | "occur" | "happen")))
    })
}

/// Photo captions mark where people stand: "Rasmussen (R) and Abe (L) signed". The markers
/// are blanked so that they neither break the coordination nor open a clause.
pub(super) fn blank_caption_markers(w: &mut [&str]) {
    let marker = |x: &str| {
        matches!(x, "l" | "r" | "c" | "left" | "right" | "centre" | "center" | "front" | "back" | "top" | "bottom")
            || x.ends_with(" l")
            || x.ends_with(" r")
    };
    for j in 1..w.len().saturating_sub(1) {
        if w[j - 1] == "(" && w[j + 1] == ")" && marker(w[j]) {
            w[j - 1] = "";
            w[j] = "";
            w[j + 1] = "";
        }
    }
}

/// Nouns that an event noun before them only classifies ("war crimes", "attack helicopters").
pub(super) const MODIFIED_NOUNS: &[&str] = &[
    "crimes",
    "crime",
    "criminal",
    "criminals",
    "court",
    "tribunal",
    "zone",
    "zones",
    "games",
    "veteran",
    "veterans",
    "helicopter",
    "helicopters",
    "submarine",
    "submarines",
    "aircraft",
    "dog",
    "dogs",
    "museum",
    "memorial",
    "footing",
    "chest",
    "record",
    "records",
    "victims",
    "widows",
    "orphans",
    "reporter",
    "correspondent",
];

/// Words before a trigger that make it a noun ("his visit", "the invitation"). A `match`
/// rather than a list to search: it is asked of the word before nearly every word.
pub(super) fn is_noun_context(w: &str) -> bool {
    matches!(
        w,
        "'s" | "’s"
            | "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "this"
            | "that"
            | "first"
            | "second"
            | "third"
            | "recent"
            | "official"
            | "state"
            | "planned"
            | "upcoming"
            | "landmark"
            | "historic"
            | "new"
            | "latest"
            | "further"
            | "whose"
            | "any"
            | "no"
    )
}

/// "a trilateral meeting among ...", "the high-level talks with ...", "her historic visit to
/// ...": a word shaped like an adjective between a determiner and the trigger, with a
/// preposition or verb after the trigger, makes the trigger a noun. The shape (a suffix of
/// adjectives, or a hyphenated compound) stands in for a part-of-speech tag the rules path
/// does not have; the word after keeps "the general visited Japan" a verb.
pub(super) fn adjective_after_determiner(w: &[&str], word_actor: &[Option<usize>], i: usize) -> bool {
    const DETERMINERS: [&str; 11] = ["a", "an", "the", "his", "her", "their", "its", "our", "this", "'s", "’s"];
    const ADJECTIVE_ENDINGS: [&str; 9] = ["al", "ic", "ive", "ous", "ary", "ful", "less", "ian", "ent"];
    const AFTER_A_NOUN: [&str; 14] =
        ["among", "amongst", "between", "with", "to", "of", "in", "on", "at", "for", "was", "is", "were", "will"];
    if i < 2 || word_actor[i - 2].is_some() && !matches!(w[i - 2], "'s" | "’s") {
        return false;
    }
    let word = w[i - 1];
    let adjective = word.chars().all(|c| c.is_alphabetic() || c == '-')
        && !word.ends_with("ly")
        && (word.contains('-') || ADJECTIVE_ENDINGS.iter().any(|e| word.len() > e.len() + 2 && word.ends_with(e)));
    let noun_follows = w.get(i + 1).is_some_and(|next| AFTER_A_NOUN.contains(next));
    DETERMINERS.contains(&w[i - 2]) && adjective && noun_follows
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
