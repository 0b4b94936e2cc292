//! Unnamed actors: "police", "rebels", "protesters", "troops" act in many sentences without a
//! name the actor finder knows. The coder gives such a word the state it belongs to, read from
//! the sentence (a demonym before it, "in"/"of" a state after it, or the one state the
//! sentence names), and the agent's sector, as event data codes them (`COP`, `REB`, `CVL`, ...).

use crate::place::is_region_adjective;
use crate::view::{ActorKind, ActorRef, ActorSpan, SentenceView, Surface};
use crate::words::{self, WordList, WordMap};
use entente_document::Span;

/// The sector of an agent noun (lower-cased, as the words are).
fn sector_of(w: &str) -> Option<&'static str> {
    words::value(WordMap::AgentSectors, w)
}

/// Nouns an agent word can modify and still name the agent ("rebel leaders", "government
/// forces", "opposition groups").
fn is_agent_head(w: &str) -> bool {
    words::is(WordList::AgentHeads, w)
}

/// Words after which "military" or "government" is a noun, not an adjective ("the military
/// said", "the government has").
fn ends_noun_phrase(w: &str) -> bool {
    !w.chars().next().is_some_and(char::is_alphanumeric) || words::is(WordList::EndsNounPhrase, w)
}

/// Lower-case words that may stand between a demonym and its agent noun ("Palestinian armed
/// groups", "Albanian rebel").
fn is_agent_modifier(w: &str) -> bool {
    words::is(WordList::AgentModifiers, w)
}

/// The agent starting at word `i`: its last word and sector.
fn agent_at(view: &SentenceView, i: usize) -> Option<(usize, &'static str)> {
    let sector = sector_of(&view.words[i].lower)?;
    let next = view.words.get(i + 1).map_or(".", |w| w.lower.as_ref());
    if is_agent_head(next) {
        let head = sector_of(next).unwrap_or(sector);
        return Some((i + 1, if sector == "GOV" { head } else { sector }));
    }
    // "an official visit": right after an article, "official" is the adjective ("a Russian
    // official visited" keeps the noun).
    let after_article = i > 0 && matches!(view.words[i - 1].lower.as_ref(), "a" | "an" | "the");
    let adjective_mostly = words::is(WordList::MostlyAdjectives, &view.words[i].lower)
        || (after_article && view.words[i].lower == "official");
    // "military and civilian personnel": an adjective coordinated with another adjective.
    let after_and = view.words.get(i + 2).map_or("", |w| w.lower.as_ref());
    let adjectives_joined = next == "and" && words::is(WordList::JoinedAdjectives, after_and);
    (!adjective_mostly || (ends_noun_phrase(next) && !adjectives_joined)).then_some((i, sector))
}

/// The view with its unnamed agents added as actors; borrowed unchanged when there are none.
pub fn with_agents<'v, 'a>(view: &'v SentenceView<'a>) -> std::borrow::Cow<'v, SentenceView<'a>> {
    let mut agent_words: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut i = 0;
    while i < view.words.len() {
        match agent_at(view, i) {
            Some((last, sector)) if (i..=last).all(|j| view.actor_at_word(j).is_none()) => {
                agent_words.push((i, last, sector));
                i = last + 1;
            }
            _ => i += 1,
        }
    }
    let residents = ethnic_residents(view);
    if agent_words.is_empty() && residents.is_empty() {
        return std::borrow::Cow::Borrowed(view);
    }
    let mut out = view.clone();
    for (a, state) in residents {
        out.actors.to_mut()[a].actor = ActorRef { sector: Some("CVL".to_string()), ..state };
    }
    for (i, last, sector) in agent_words {
        add_agent(&mut out, i, last, sector);
    }
    out.actors.to_mut().sort_by_key(|a| a.span.start);
    std::borrow::Cow::Owned(out)
}

/// "Up to 100 ethnic Albanians demonstrated in Serbia": people named by their ethnicity are
/// residents of the one other state the sentence names, as event data codes a minority.
fn ethnic_residents(view: &SentenceView) -> Vec<(usize, ActorRef)> {
    let mut out = Vec::new();
    for (a, span) in view.actors.iter().enumerate() {
        if span.surface != Surface::Demonym || span.actor.kind != ActorKind::State {
            continue;
        }
        let first = view.words.iter().position(|w| w.span.overlaps(span.span));
        // "The Albanians of southern Serbia": the people and the state they live in.
        let last = view.words.iter().rposition(|w| w.span.overlaps(span.span));
        let plural = span.span.of(view.text).ends_with('s');
        if let Some(home) = last.filter(|_| plural).and_then(|last| state_lived_in(view, last))
            && home.id != span.actor.id
        {
            out.push((a, home));
            continue;
        }
        if !first.is_some_and(|i| i > 0 && view.words[i - 1].lower == "ethnic") {
            continue;
        }
        let mut others = view.actors.iter().filter_map(state_of).filter(|s| s.id != span.actor.id);
        if let Some(first) = others.next()
            && others.all(|s| s.id == first.id)
        {
            out.push((a, first));
        }
    }
    out
}

/// The state named (by its name, not a demonym) in an "of"/"in" phrase right after word
/// `last`: "of southern Serbia", "in Macedonia".
fn state_lived_in(view: &SentenceView, last: usize) -> Option<ActorRef> {
    let w = |j: usize| view.words.get(j).map(|x| x.lower.as_ref());
    if !matches!(w(last + 1), Some("of" | "in")) {
        return None;
    }
    let mut j = last + 2;
    while view.actor_at_word(j).is_none() && w(j).is_some_and(|x| x == "the" || is_region_adjective(x)) {
        j += 1;
    }
    let a = &view.actors[view.actor_at_word(j)?];
    (a.surface == Surface::Name).then(|| state_of(a)).flatten()
}

fn add_agent(view: &mut SentenceView, i: usize, last: usize, sector: &str) {
    // A capitalised agent word mid-sentence is part of a name ("Liberation Army") or a title
    // ("President Reagan"); a title before a known actor is that actor's.
    let text = view.words[i].span.of(view.text);
    let capitalised =
        |j: usize| view.words.get(j).is_some_and(|w| w.span.of(view.text).starts_with(char::is_uppercase));
    let title = matches!(view.words[i].lower.as_ref(), "president" | "premier" | "judge");
    if i > 0 && capitalised(i) && !is_after_sentence_opening(view, i) && !title
        || view.words.get(last + 1).is_some_and(|_| view.actor_at_word(last + 1).is_some())
    {
        return;
    }
    // "President Omar El Bashir", "Judge Alejandro Rivera": the title and a name the actor
    // finder does not know are one agent.
    let mut last = last;
    if title {
        if !capitalised(last + 1) && text.starts_with(char::is_uppercase) && i > 0 {
            return;
        }
        while capitalised(last + 1) && view.actor_at_word(last + 1).is_none() {
            last += 1;
        }
    }
    // "Shona rebels", "Karen guerrillas": a capitalised word the actor finder does not know
    // names the agent's people; it is part of the agent's mention.
    let mut first = i;
    while first > 0
        && i - first < 2
        && capitalised(first - 1)
        && view.actor_at_word(first - 1).is_none()
        && !is_after_sentence_opening(view, first - 1)
        && !is_calendar_word(&view.words[first - 1].lower)
    {
        first -= 1;
    }
    let span = Span::new(view.words[first].span.start, view.words[last].span.end);
    // "Palestinian police": the demonym's state, now with the agent's sector.
    if let Some(a) = owner_before(view, i) {
        let owner = &view.actors[a];
        if owner.actor.kind == ActorKind::State {
            let owner = &mut view.actors.to_mut()[a];
            owner.span = Span::new(owner.span.start, span.end);
            owner.actor.sector = Some(sector.to_string());
        }
        return;
    }
    let Some(state) = state_after(view, last).or_else(|| only_state(view)) else {
        return;
    };
    let actor = ActorRef { sector: Some(sector.to_string()), ..state };
    view.actors.to_mut().push(ActorSpan {
        span,
        actor,
        surface: Surface::Reference,
        rule: format!("agent:{}", view.words[i].lower),
    });
}

/// Capitalised words that date an event rather than name a people: "Monday", "June".
pub(crate) fn is_calendar_word(w: &str) -> bool {
    crate::when::WEEKDAYS.contains(&w) || entente_dates::is_month_name(w)
}

/// The first word of a sentence, or after an opening quote, is capitalised anyway.
fn is_after_sentence_opening(view: &SentenceView, i: usize) -> bool {
    (0..i).all(|j| !view.words[j].lower.chars().any(char::is_alphanumeric))
}

/// The actor the agent word belongs to: one ending just before it, over agent modifiers.
fn owner_before(view: &SentenceView, i: usize) -> Option<usize> {
    let mut j = i;
    while j > 0 {
        j -= 1;
        if let Some(a) = view.actor_at_word(j) {
            return Some(a);
        }
        if !is_agent_modifier(&view.words[j].lower) && !matches!(view.words[j].lower.as_ref(), "'s" | "’s") {
            return None;
        }
    }
    None
}

/// "Rebels in the Ivory Coast", "opposition groups in Zimbabwe", "inhabitants of the Syrian
/// Golan": a state named in an "in"/"of" phrase right after the agent.
fn state_after(view: &SentenceView, last: usize) -> Option<ActorRef> {
    let w = |j: usize| view.words.get(j).map(|x| x.lower.as_ref());
    let mut j = last + 1;
    if !w(j).is_some_and(|x| words::is(WordList::StatePrepositions, x)) {
        return None;
    }
    j += 1;
    while view.actor_at_word(j).is_none() && w(j).is_some_and(|x| words::is(WordList::BeforeState, x)) {
        j += 1;
    }
    let a = view.actor_at_word(j.min(view.words.len().saturating_sub(1)))?;
    state_of(&view.actors[a]).or_else(|| person_state(view, &view.actors[a]))
}

/// "supporters of former President Ahmed Ben Bella": a person's people are of the person's
/// state, named as the sentence names it when it does.
fn person_state(view: &SentenceView, a: &ActorSpan) -> Option<ActorRef> {
    let country = a.actor.country.as_deref().filter(|_| a.actor.kind == ActorKind::Person)?;
    let named = view.actors.iter().filter_map(state_of).find(|s| s.id == country);
    Some(named.unwrap_or_else(|| ActorRef::new(country, ActorKind::State, country)))
}

/// The state of an actor mention that is a state (its sector dropped); see `person_state`
/// for a person's.
fn state_of(a: &ActorSpan) -> Option<ActorRef> {
    match a.actor.kind {
        ActorKind::State => Some(ActorRef { sector: None, ..a.actor.clone() }),
        _ => None,
    }
}

/// The single state the sentence names, if it names exactly one.
fn only_state(view: &SentenceView) -> Option<ActorRef> {
    let mut states = view.actors.iter().filter_map(state_of);
    let first = states.next()?;
    states.all(|s| s.id == first.id).then_some(first)
}
