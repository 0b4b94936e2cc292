//! The rule-based coder: triggers from the lexicon; source and target from the sentence's
//! shape (voice, coordination, prepositions, possessives, relative clauses, reported speech);
//! modality, date and place from the words around them.

use crate::agents;
use crate::codes;
use crate::inflect::Form;
use crate::lexicon::{Lexicon, Pos, Trait, TriggerMatch, WordBefore};
use crate::modality::{Modality, SentenceCues, is_speech_verb, modality, refused};
use crate::occasions::{Setting, fronted_settings};
use crate::place::{Location, Places, nearest_venue};
use crate::view::{ActorRef, Dependency, SentenceView, Surface};
use crate::when::{EventDate, sentence_dates};
use crate::words::{self, RecodeTable, WordList};
use entente_document::event::{Cameo, Event, Plover, UnknownValue};
use entente_document::{PartialDate, Span};
use serde::Serialize;
use std::cell::OnceCell;

mod arguments;
mod filters;
mod recode;
mod setting;
mod speech;

use arguments::*;
use filters::*;
use recode::*;
use setting::*;
use speech::*;

/// Codes the events of one sentence. The rules ([`Coder`]) are the first implementation; a
/// learned coder is meant to be the second, plugged into ingest (`Analyser::with_coder`) and
/// evaluation the same way, without touching either.
pub trait EventCoder: Send + Sync {
    /// Every event of the sentence, each with its confidence: the sentence's own events
    /// first, then those it mentions in passing, then its background. `doc_date` is what
    /// relative dates ("on Tuesday") resolve against.
    fn code(&self, view: &SentenceView, doc_date: Option<PartialDate>) -> Vec<CodedEvent>;
}

impl EventCoder for Coder<'_> {
    fn code(&self, view: &SentenceView, doc_date: Option<PartialDate>) -> Vec<CodedEvent> {
        Coder::code(self, view, doc_date)
    }
}

/// One coded event with its provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodedEvent {
    pub sentence: usize,
    /// The supporting text: from the first to the last of source, trigger and target.
    pub span: Span,
    pub trigger: Span,
    pub source: ActorRef,
    pub target: Option<ActorRef>,
    pub others: Vec<ActorRef>,
    pub cameo: String,
    pub plover: Plover,
    pub mode: Option<String>,
    pub goldstein: f64,
    pub modality: Modality,
    pub date: Option<PartialDate>,
    pub date_rule: &'static str,
    pub location: Option<Location>,
    /// Which rule fired: `rules:<pattern>/<how>`.
    pub rule: String,
    /// How likely the coding is right, from what it rests on (the trigger, how far its
    /// arguments are and how they are named, whether the sentence gives it in passing).
    pub confidence: f64,
}

impl CodedEvent {
    /// The event as the store keeps it and every later stage reads it. Fails only on a code
    /// that is not three or four digits (a dictionary's placeholder).
    pub fn event(&self) -> Result<Event, UnknownValue> {
        Ok(Event {
            source: self.source.clone(),
            target: self.target.clone(),
            others: self.others.clone(),
            plover: self.plover,
            mode: self.mode.clone(),
            cameo: Cameo::new(&self.cameo)?,
            goldstein: self.goldstein,
            date: self.date,
            date_rule: self.date_rule.to_string(),
            location: self.location.clone(),
            modality: self.modality,
        })
    }
}

const MAX_EVENTS_PER_TRIGGER: usize = 12;

pub struct Coder<'l> {
    lexicon: &'l Lexicon,
    places: &'static Places,
}

struct Found {
    source_group: usize,
    target_group: Option<usize>,
    /// The target is the convener of a meeting told before the trigger, its object unsaid.
    target_told_before: bool,
}

impl<'l> Coder<'l> {
    pub fn new(lexicon: &'l Lexicon) -> Self {
        Coder { lexicon, places: Places::builtin() }
    }

    pub fn builtin() -> Coder<'static> {
        Coder::new(Lexicon::builtin())
    }

    pub fn lexicon(&self) -> &Lexicon {
        self.lexicon
    }

    /// Codes every event of one sentence.
    pub fn code(&self, view: &SentenceView, doc_date: Option<PartialDate>) -> Vec<CodedEvent> {
        if view.actors.is_empty() || view.words.is_empty() {
            return Vec::new();
        }
        let view = &*agents::with_agents(view);
        let mut word_strs: Vec<&str> = view.words.iter().map(|w| w.lower.as_ref()).collect();
        blank_caption_markers(&mut word_strs);
        let word_actor: Vec<Option<usize>> = (0..word_strs.len()).map(|i| view.actor_at_word(i)).collect();
        let groups = groups(view, &word_actor, &word_strs);
        let mut events = Vec::new();
        let facts =
            SentenceFacts { doc_date, dates: Default::default(), venues: OnceCell::new(), cues: OnceCell::new() };
        let mut secondary = Vec::new();
        let mut background = Vec::new();
        let mut found: Vec<(TriggerMatch, Found)> = Vec::new();
        let blocked =
            |j: usize| word_actor[j].is_some() || CLAUSE_BREAKS.contains(&word_strs[j]) || word_strs[j] == ",";
        let mut i = 0;
        while i < word_strs.len() {
            if word_actor[i].is_some() {
                i += 1;
                continue;
            }
            // "an official visit" is a noun; "a Russian official visited" is an agent's verb.
            let noun_context = i > 0
                && word_actor[i - 1].is_none()
                && (is_noun_context(word_strs[i - 1]) || adjective_after_determiner(&word_strs, &word_actor, i));
            // "gave Tanzania a grant": a gap may pass over the actor right after the verb.
            // "ordered former president Carlos Menem to appear": titles before that actor too.
            let dative = |j: usize| j > i && (i + 1..j).all(|k| word_actor[k].is_some() || leads_to_name(word_strs[k]));
            // "blocked the European Union's aid package": a possessor inside the object too.
            let possessor_at = |j: usize| {
                let a = word_actor[j];
                a.is_some() && {
                    let end = (j..word_strs.len()).find(|&k| word_actor[k] != a).unwrap_or(word_strs.len());
                    matches!(word_strs.get(end), Some(&("'s" | "’s")))
                }
            };
            let blocked_here = |j: usize| {
                if word_actor[j].is_some() && (dative(j) || possessor_at(j)) { false } else { blocked(j) }
            };
            let after_actor = i > 0
                && (word_actor[i - 1].is_some()
                    || (i > 1 && word_strs[i - 1].ends_with("ly") && word_actor[i - 2].is_some()));
            let before = match () {
                _ if noun_context => WordBefore::NounContext,
                _ if after_actor => WordBefore::Subject,
                _ => WordBefore::Other,
            };
            let Some(m) = self.lexicon.match_at(&word_strs, i, &blocked_here, before) else {
                i += 1;
                continue;
            };
            // "the war crimes court", "attack helicopters": a one-word trigger modifying a noun
            // names a kind of thing, not an event.
            let modifier = m.end == i + 1 && word_strs.get(m.end).is_some_and(|next| MODIFIED_NOUNS.contains(next));
            if modifier || not_an_event(view, &word_strs, i) {
                i += 1;
                continue;
            }
            // "declined to criticise": the refusal negates the next event; it is not one itself.
            // "the signs of" is a noun where only a verb is known; "recognise that" is
            // cognition, not recognition.
            let trigger = self.lexicon.trigger(m.trigger);
            let noun_reading_of_verb = noun_context && trigger.pos == crate::lexicon::Pos::Verb;
            let complement = word_strs.get(m.end) == Some(&"that") && trigger.code == "054";
            // An agreement governs only a cooperative act: "agreed to postpone the
            // demonstration" is an agreement, not a planned protest.
            let governs_another = is_modal_use(self.lexicon, &m, &word_strs)
                && self
                    .trigger_follows(&word_strs, m.end, &blocked)
                    .is_some_and(|next| trigger.code != "030" || intent_code(next).is_some() || next.starts_with("08"));
            if governs_another || noun_reading_of_verb || complement {
                i = m.end;
                continue;
            }
            if let Some(f) = self.roles(view, &word_strs, &groups, &m, &found) {
                let mut coded = self.emit(view, &word_strs, &groups, &m, &f, &facts);
                // "accused the RSF of attacking civilians": the attack is what the accuser
                // alleges, not an act the text asserts.
                if self.is_alleged(&word_strs, &found, &m) {
                    for e in coded.iter_mut().filter(|e| e.modality == Modality::Asserted) {
                        e.modality = Modality::Reported;
                    }
                }
                // "pledged 500 million euros in humanitarian aid to Sudan": the aid is what
                // was pledged, not aid given; the pledge takes its intent code and target. So
                // too what is threatened or refused.
                if let Some((governor, how)) = self.governor_before(&word_strs, &found, &m) {
                    let span = Span::new(view.words[governor.start].span.start, view.words[governor.end - 1].span.end);
                    fold_into_governor(events.iter_mut().chain(secondary.iter_mut()), span, &coded, how);
                    found.push((m, f));
                    i = m.end.max(i + 1);
                    continue;
                }
                let rank = if trigger.pos != Pos::Verb && is_background(&word_strs, m.start) {
                    Rank::Background
                } else if is_secondary(self.lexicon, &word_strs, &m, &f, &groups, !events.is_empty()) {
                    Rank::Secondary
                } else {
                    Rank::Main
                };
                // An event the sentence mentions in passing or as background is less surely
                // the one it tells.
                let discount = match rank {
                    Rank::Main => 1.0,
                    Rank::Secondary => 0.9,
                    Rank::Background => 0.8,
                };
                for e in &mut coded {
                    e.confidence = (e.confidence * discount * 100.0).round() / 100.0;
                }
                match rank {
                    Rank::Main => events.extend(coded),
                    Rank::Secondary => secondary.extend(coded),
                    Rank::Background => background.extend(coded),
                }
                found.push((m, f));
            }
            i = m.end.max(i + 1);
        }
        let speech = self.speech_disapproval(view, &word_strs, &word_actor, &groups, &events, &facts);
        // "The rebels announced that Kagame must agree ...": when all the sentence's own events
        // are what the speaker says, the saying is its main event.
        if speech
            .iter()
            .any(|e| events.iter().all(|x| x.trigger.start > e.trigger.end && x.modality != Modality::Asserted))
        {
            events.splice(0..0, speech);
        } else {
            events.extend(speech);
        }
        // The sentence's own events first, then those it mentions in passing ("Kishida's
        // visit", "... to demand reforms"), then those it gives as background.
        events.extend(secondary);
        events.extend(background);
        events
    }
}

/// What the coder reads once per sentence however many triggers it has: its dates (as past
/// and as future events see them), its venues and its modality cues, and the document's date.
struct SentenceFacts {
    doc_date: Option<PartialDate>,
    dates: [OnceCell<Vec<EventDate>>; 2],
    venues: OnceCell<Vec<(Span, Location)>>,
    cues: OnceCell<SentenceCues>,
}

/// Where an event stands in its sentence, which orders the events coded for it.
enum Rank {
    Main,
    Secondary,
    Background,
}

/// An event the sentence mentions on the way to its main one: a noun owned by an actor
/// ("Kishida's visit"), an act in a relative clause, or the purpose of an act already coded
/// ("staged demonstrations to demand reforms").
fn is_secondary(
    lexicon: &Lexicon,
    w: &[&str],
    m: &TriggerMatch,
    f: &Found,
    groups: &[Group],
    after_main: bool,
) -> bool {
    let noun = lexicon.trigger(m.trigger).pos == Pos::Noun;
    let owned = noun && groups[f.source_group].last_word + 1 < m.start && {
        let g = &groups[f.source_group];
        w[g.last_word + 1..m.start].first().is_some_and(|x| matches!(*x, "'s" | "’s" | "'" | "’"))
    };
    let purpose = after_main && m.start > 0 && w[m.start - 1] == "to";
    let relative = w[m.start.saturating_sub(3)..m.start].iter().any(|x| matches!(*x, "which" | "who" | "that"));
    owned || purpose || (after_main && relative)
}

/// A noun event the sentence gives as cause or setting: "after clashes", "because of the
/// fighting", "amid protests".
fn is_background(w: &[&str], at: usize) -> bool {
    w[at.saturating_sub(3)..at].iter().any(|x| words::is(WordList::BackgroundMarkers, x))
}

/// Codes whose events need no target: protests, force posture, truces, pledges.
fn takes_no_target(code: &str) -> bool {
    ["02", "03", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"]
        .iter()
        .any(|p| code.starts_with(p))
}

/// Whether two references are one actor: the same id, or the same state. A state's parts
/// other than its government ("Ugandan opposition", "Palestinian police") are actors of their
/// own, so a government can ban its opposition.
fn same_actor(a: &ActorRef, b: &ActorRef) -> bool {
    fn part(x: &ActorRef) -> Option<&str> {
        x.sector.as_deref().filter(|s| *s != "GOV")
    }
    // An armed group or party ("other", with its home state) is not its state's government.
    let by_state = |x: &ActorRef| !matches!(x.kind.as_str(), "person" | "other");
    (a.id == b.id || (a.country_code().is_some() && a.country_code() == b.country_code() && by_state(a) && by_state(b)))
        && part(a) == part(b)
}
