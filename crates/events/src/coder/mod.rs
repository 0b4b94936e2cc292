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
use crate::view::{ActorKind, ActorRef, Dependency, SentenceView, Surface};
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
mod triggers;

use arguments::*;
use filters::*;
use recode::*;
use setting::*;
use speech::*;
use triggers::*;

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

    /// Codes every event of one sentence: each trigger the lexicon finds becomes a
    /// [`Candidate`], which the filters screen, the arguments stage gives actors, and
    /// [`Coder::emit`] codes (recode, modality, date, place); the events are ranked as the
    /// sentence tells them.
    pub fn code(&self, view: &SentenceView, doc_date: Option<PartialDate>) -> Vec<CodedEvent> {
        if view.actors.is_empty() || view.words.is_empty() {
            return Vec::new();
        }
        let view = &*agents::with_agents(view);
        let s = Sentence::new(view, doc_date);
        let mut ranked = Ranked::default();
        let mut found: Vec<(TriggerMatch, Found)> = Vec::new();
        let mut i = 0;
        while i < s.words.len() {
            let Some(c) = self.candidate_at(&s, i) else {
                i += 1;
                continue;
            };
            match self.screen(&s, &c) {
                Screen::Drop => {
                    i += 1;
                    continue;
                }
                Screen::PassOver => {
                    i = c.m.end;
                    continue;
                }
                Screen::Keep => {}
            }
            if let Some(f) = self.roles(view, &s.words, &s.groups, &c.m, &found) {
                self.code_candidate(&s, &c, &f, &found, &mut ranked);
                found.push((c.m, f));
            }
            i = c.m.end.max(i + 1);
        }
        let speech = self.speech_disapproval(view, &s.words, &s.word_actor, &s.groups, &ranked.main, &s.facts);
        ranked.into_events(speech)
    }

    /// The events of one candidate with its actors, added where they rank. An act that a
    /// verb just before governs ("pledged aid", "threatened to attack") is folded into that
    /// verb's events instead.
    fn code_candidate(
        &self,
        s: &Sentence,
        c: &Candidate,
        f: &Found,
        found: &[(TriggerMatch, Found)],
        ranked: &mut Ranked,
    ) {
        let (w, m) = (&s.words, &c.m);
        let mut coded = self.emit(s.view, w, &s.groups, m, f, &s.facts);
        // "accused the RSF of attacking civilians": the attack is what the accuser alleges,
        // not an act the text asserts.
        if self.is_alleged(w, found, m) {
            for e in coded.iter_mut().filter(|e| e.modality == Modality::Asserted) {
                e.modality = Modality::Reported;
            }
        }
        // "pledged 500 million euros in humanitarian aid to Sudan": the aid is what was
        // pledged, not aid given; the pledge takes its intent code and target. So too what
        // is threatened or refused.
        if let Some((governor, how)) = self.governor_before(w, found, m) {
            let span = Span::new(s.view.words[governor.start].span.start, s.view.words[governor.end - 1].span.end);
            fold_into_governor(ranked.main.iter_mut().chain(ranked.secondary.iter_mut()), span, &coded, how);
            return;
        }
        let trigger = self.lexicon.trigger(m.trigger);
        let rank = if trigger.pos != Pos::Verb && is_background(w, m.start) {
            Rank::Background
        } else if is_secondary(self.lexicon, w, m, f, &s.groups, !ranked.main.is_empty()) {
            Rank::Secondary
        } else {
            Rank::Main
        };
        // An event the sentence mentions in passing or as background is less surely the
        // one it tells.
        for e in &mut coded {
            e.confidence = (e.confidence * rank.discount() * 100.0).round() / 100.0;
        }
        ranked.add(rank, coded);
    }
}

/// A sentence's events by rank, as they are coded.
#[derive(Default)]
struct Ranked {
    main: Vec<CodedEvent>,
    secondary: Vec<CodedEvent>,
    background: Vec<CodedEvent>,
}

impl Ranked {
    fn add(&mut self, rank: Rank, events: Vec<CodedEvent>) {
        match rank {
            Rank::Main => self.main.extend(events),
            Rank::Secondary => self.secondary.extend(events),
            Rank::Background => self.background.extend(events),
        }
    }

    /// The sentence's own events first, then those it mentions in passing ("Kishida's
    /// visit", "... to demand reforms"), then those it gives as background. Disapproval
    /// read from speech comes with the sentence's own events, first when all of those are
    /// what the speaker says ("The rebels announced that Kagame must agree ...").
    fn into_events(mut self, speech: Vec<CodedEvent>) -> Vec<CodedEvent> {
        let said = |e: &CodedEvent| {
            self.main.iter().all(|x| x.trigger.start > e.trigger.end && x.modality != Modality::Asserted)
        };
        if speech.iter().any(said) {
            self.main.splice(0..0, speech);
        } else {
            self.main.extend(speech);
        }
        self.main.extend(self.secondary);
        self.main.extend(self.background);
        self.main
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

impl Rank {
    /// How much less sure an event is for being told in passing or as background.
    fn discount(&self) -> f64 {
        match self {
            Rank::Main => 1.0,
            Rank::Secondary => 0.9,
            Rank::Background => 0.8,
        }
    }
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
    let by_state = |x: &ActorRef| !matches!(x.kind, ActorKind::Person | ActorKind::Other);
    (a.id == b.id || (a.country_code().is_some() && a.country_code() == b.country_code() && by_state(a) && by_state(b)))
        && part(a) == part(b)
}
