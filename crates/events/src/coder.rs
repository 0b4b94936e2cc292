//! The rule-based coder: triggers from the lexicon; source and target from the sentence's
//! shape (voice, coordination, prepositions, possessives, relative clauses, reported speech);
//! modality, date and place from the words around them.

use crate::agents;
use crate::codes;
use crate::inflect::Form;
use crate::lexicon::{Lexicon, Pos, TriggerMatch, WordBefore};
use crate::modality::{Modality, SentenceCues, is_speech_verb, modality, refused};
use crate::occasions::{Setting, fronted_settings};
use crate::place::{Location, Places, nearest_venue};
use crate::view::{ActorRef, Dependency, SentenceView, Surface};
use crate::when::{EventDate, sentence_dates};
use entente_document::{PartialDate, Span};
use serde::Serialize;
use std::cell::OnceCell;

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
    pub plover: String,
    pub mode: Option<String>,
    pub goldstein: f64,
    pub modality: Modality,
    pub date: Option<PartialDate>,
    pub date_rule: &'static str,
    pub location: Option<Location>,
    /// Which rule fired: `rules:<pattern>/<how>`.
    pub rule: String,
}

/// Words that join actors into one coordinated group.
/// Words that may stand between coordinated actors; "" is a blanked caption marker.
const CONNECTORS: &[&str] = &[",", "and", "&", "as", "well", "both", "together", "with", ""];
/// A group right after one of these is a prepositional object, not a subject.
const PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "to",
    "from",
    "with",
    "against",
    "on",
    "for",
    "by",
    "into",
    "over",
    "near",
    "about",
    "toward",
    "towards",
    "between",
    "across",
    "than",
    "under",
    "within",
    "without",
    "among",
    "amid",
    "after",
    "before",
    "during",
    "through",
    "throughout",
    "like",
    "beyond",
    "including",
    "despite",
    "via",
    "per",
];
/// Words that end the clause a target is looked for in.
/// Whether the words just before `first_word` open a relative clause whose verb comes first
/// ("that attacked Serbia", "which has backed Kyiv"): the actor is that verb's object.
fn inside_relative_clause(w: &[&str], first_word: usize) -> bool {
    let from = first_word.saturating_sub(6);
    let Some(rel) = (from..first_word).rev().find(|&j| matches!(w[j], "that" | "which" | "who")) else {
        return false;
    };
    let next = w.get(rel + 1).copied().unwrap_or("");
    let verb_first = AUXILIARIES.contains(&next) || (next.len() > 3 && next.ends_with("ed"));
    verb_first && !(rel + 1..first_word).any(|j| matches!(w[j], "," | ";" | "that" | "which" | "who"))
}

/// Words that open a verb phrase: after "that" they make it a relative clause.
const AUXILIARIES: &[&str] = &[
    "has", "have", "had", "is", "are", "was", "were", "will", "would", "can", "could", "did", "does", "do", "should",
    "must", "may", "might", "shall", "also", "not", "never", "already", "recently", "then",
];
/// How far after a passive verb its "by" agent may stand when no clause intervenes.
const MAX_AGENT_DISTANCE: usize = 30;
const CLAUSE_BREAKS: &[&str] = &[
    ";", ":", "which", "who", "whom", "whose", "because", "while", "whereas", "but", "although", "though", "when",
    "if", "unless", "since", "—", "–", "(", ")",
];
const BE_FORMS: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "'s", "’s", "get", "got", "gets"];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "both", "all", "other",
    "fellow", "key", "close",
];
/// Words that show the complement of a speech verb judges its subject badly.
const NEGATIVE_JUDGEMENT: &[&str] = &[
    "threat",
    "threats",
    "threatening",
    "aggressive",
    "aggression",
    "coercive",
    "coercion",
    "provoke",
    "provoking",
    "provocation",
    "provocative",
    "tentacles",
    "hegemony",
    "hegemonic",
    "destabilize",
    "destabilise",
    "destabilizing",
    "destabilising",
    "confrontation",
    "interference",
    "interfere",
    "bullying",
    "irresponsible",
    "hostile",
    "hostility",
    "undermine",
    "undermining",
    "challenges",
    "mentality",
    "malicious",
    "repressive",
    "opaque",
    "expansionist",
    "militarization",
    "militarisation",
];
const MAX_TARGET_DISTANCE: usize = 14;
/// Nouns after which a capital is a venue ("the Vilnius summit").
const VENUE_NOUNS: &[&str] = &[
    "summit",
    "summits",
    "meeting",
    "conference",
    "talks",
    "forum",
    "declaration",
    "communique",
    "process",
    "format",
    "agreement",
    "accord",
];
const MAX_EVENTS_PER_TRIGGER: usize = 12;

/// A run of actors joined by commas and "and": "Japan, South Korea and Australia".
#[derive(Clone, Debug)]
struct Group {
    actors: Vec<usize>,
    first_word: usize,
    last_word: usize,
    /// Two actors inside one word ("Japan-NATO"): a pair, not a list.
    compound: bool,
}

pub struct Coder<'l> {
    lexicon: &'l Lexicon,
    places: &'static Places,
}

struct Found {
    source_group: usize,
    target_group: Option<usize>,
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
            let noun_context = i > 0 && is_noun_context(word_strs[i - 1]) && word_actor[i - 1].is_none();
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

    /// Whether a trigger is the act an accusation before it alleges: "accused X of attacking".
    fn is_alleged(&self, w: &[&str], found: &[(TriggerMatch, Found)], m: &TriggerMatch) -> bool {
        let Some((prev, _)) = found.last() else { return false };
        let accusation = self.lexicon.trigger(prev.trigger).code.starts_with("11");
        accusation
            && m.form == Form::Gerund
            && m.start > 0
            && w[m.start - 1] == "of"
            && m.start - prev.end <= 6
            && !(prev.end..m.start).any(|j| CLAUSE_BREAKS.contains(&w[j]))
    }

    /// The verb just before a trigger that governs it: a pledge (CAMEO 030) of a cooperative
    /// act named by a noun ("pledged aid"), a threat (13x) of a hostile act ("threatened to
    /// cut supplies"), or a refusal (12x) of an offer or cooperative act ("refused offers of
    /// aid").
    fn governor_before(
        &self,
        w: &[&str],
        found: &[(TriggerMatch, Found)],
        m: &TriggerMatch,
    ) -> Option<(TriggerMatch, Governed)> {
        let governed = self.lexicon.trigger(m.trigger);
        let (prev, _) = found.last()?;
        let governor = self.lexicon.trigger(prev.trigger);
        let close = prev.end <= m.start && m.start - prev.end <= 7;
        let one_clause = !(prev.end..m.start).any(|j| CLAUSE_BREAKS.contains(&w[j]) || w[j] == ",");
        if governor.pos != Pos::Verb || !close || !one_clause {
            return None;
        }
        // "refused offers of aid": a verb's -s form right after another verb is a plural noun.
        let object_words = |j: usize| DETERMINERS.contains(&w[j]) || ACT_NOUNS.contains(&w[j]) || w[j] == "for";
        let plural_object = m.form == Form::ThirdPerson && (prev.end..m.start).all(object_words);
        let named_by_noun = governed.pos != Pos::Verb || plural_object;
        let how = if governor.code == "030" && named_by_noun && intent_code(&governed.code).is_some() {
            Governed::Pledged
        } else if governor.code.starts_with("13") && threat_code(&governed.code).is_some() {
            Governed::Threatened
        } else if governor.code.starts_with("12")
            && named_by_noun
            && (governed.code.starts_with("03") || intent_code(&governed.code).is_some())
        {
            Governed::Refused
        } else {
            return None;
        };
        Some((*prev, how))
    }

    /// The code of the next trigger within a few words after `from` ("agreed to meet").
    fn trigger_follows(&self, words: &[&str], from: usize, blocked: &dyn Fn(usize) -> bool) -> Option<&str> {
        // "agreed to US mediation": an actor before the noun makes it the object, not an act.
        (from..(from + 4).min(words.len()))
            .take_while(|&j| !blocked(j))
            .find_map(|j| self.lexicon.match_at(words, j, blocked, WordBefore::Other))
            .map(|m| self.lexicon.trigger(m.trigger).code.as_str())
    }

    /// Source and target groups of a trigger, or None when it has no source.
    fn roles(
        &self,
        view: &SentenceView,
        w: &[&str],
        groups: &[Group],
        m: &TriggerMatch,
        earlier: &[(TriggerMatch, Found)],
    ) -> Option<Found> {
        let trigger = self.lexicon.trigger(m.trigger);
        let passive = trigger.pos == Pos::Verb
            && matches!(m.form, Form::PastOrParticiple | Form::Participle)
            && is_passive_auxiliary(w, m.start);
        let right = self.target_group(w, groups, m, &trigger.frame.preps, trigger.frame.direct && !passive);
        let rules = self.rule_roles(view, w, groups, m, earlier, passive, right);
        // With a parse, a verb the word rules find no source for (a long-distance or
        // fronted subject) takes its subject, object and agent from its dependents; where
        // the rules find no target, the parse's object is taken.
        let parsed = || {
            let deps = view.syntax.as_ref().filter(|_| trigger.pos == Pos::Verb)?;
            parsed_roles(deps, w, groups, m.start, &trigger.frame.preps)
        };
        match rules {
            Some(f) if f.target_group.is_none() => {
                let target =
                    parsed().filter(|p| p.source_group == f.source_group).and_then(|p| p.target_group).or_else(|| {
                        let direct = trigger.frame.direct;
                        (trigger.pos == Pos::Verb && !passive)
                            .then(|| {
                                direct
                                    .then(|| object_complement(w, groups, m))
                                    .flatten()
                                    .or_else(|| object_owner(w, groups, m, direct))
                            })
                            .flatten()
                            .filter(|&t| t != f.source_group)
                    });
                Some(Found { target_group: target, ..f })
            }
            Some(f) => Some(f),
            None => parsed(),
        }
    }

    /// Source and target groups by the word rules (voice, possessors, clause order).
    #[allow(clippy::too_many_arguments)]
    fn rule_roles(
        &self,
        view: &SentenceView,
        w: &[&str],
        groups: &[Group],
        m: &TriggerMatch,
        earlier: &[(TriggerMatch, Found)],
        passive: bool,
        right: Option<usize>,
    ) -> Option<Found> {
        let trigger = self.lexicon.trigger(m.trigger);
        if passive {
            // The agent: "by" and an actor, near the verb, or further on in the same clause
            // ("was accused of misusing public funds, ..., by Haitian government officials").
            let agent = groups.iter().position(|g| {
                g.first_word > m.start
                    && preceding_preposition(w, g.first_word) == Some("by")
                    && (g.first_word <= m.end + 4
                        || (g.first_word <= m.end + MAX_AGENT_DISTANCE
                            && !(m.end..g.first_word).any(|j| CLAUSE_BREAKS.contains(&w[j]) || w[j] == "and")))
            });
            let subject = subject_group(view, w, groups, m.start, earlier);
            return match (agent, subject) {
                (Some(a), s) => Some(Found { source_group: a, target_group: s }),
                (None, Some(s)) => {
                    organiser(view, w, groups, m.end).map(|o| Found { source_group: o, target_group: Some(s) })
                }
                _ => None,
            };
        }
        if trigger.pos == Pos::Noun && w.get(m.end) == Some(&"between") {
            // "the summit between the United States and Japan": the pair is the event's.
            let pair =
                groups.iter().position(|g| g.first_word > m.end && g.first_word <= m.end + 3 && g.actors.len() >= 2)?;
            return Some(Found { source_group: pair, target_group: None });
        }
        if trigger.pos == Pos::Noun {
            let source = possessor(w, groups, m.start)
                .or_else(|| of_complement(w, groups, m.end))
                .or_else(|| light_verb_subject(view, w, groups, m.start, earlier))?;
            return Some(Found { source_group: source, target_group: right.filter(|&t| t != source) });
        }
        let source = subject_group(view, w, groups, m.start, earlier).or_else(|| {
            matches!(m.form, Form::Gerund | Form::Participle)
                .then(|| fronted_participle_subject(w, groups, m.start))
                .flatten()
        })?;
        Some(Found { source_group: source, target_group: right.filter(|&t| t != source) })
    }

    /// The target: the first group after the trigger in its clause that the frame allows.
    fn target_group(
        &self,
        w: &[&str],
        groups: &[Group],
        m: &TriggerMatch,
        preps: &[String],
        direct: bool,
    ) -> Option<usize> {
        let mut passed_over: Option<usize> = None;
        let mut dative: Option<usize> = None;
        for (gi, g) in groups.iter().enumerate() {
            // "gave Tanzania a grant": the actor the pattern's gap passed over.
            // "summoned Niger's ambassador Brah Mohamane": the group may run on past the pattern.
            let inside = g.first_word > m.start && g.first_word < m.end;
            if inside && (m.start + 1..g.first_word).all(|j| leads_to_name(w[j])) {
                dative = Some(gi);
                continue;
            }
            if g.first_word < m.end || g.first_word > m.end + MAX_TARGET_DISTANCE {
                continue;
            }
            // "withheld US military aid to Ukraine": the frame's preposition right after the
            // pattern names the target; the actor in the gap only qualified the object.
            if let Some(d) = dative {
                let prep = preposition_before(w, g.first_word).filter(|&j| j == m.end).map(|j| w[j]);
                return Some(if prep.is_some_and(|p| preps.iter().any(|x| x == p)) { gi } else { d });
            }
            let noun = self.lexicon.trigger(m.trigger).pos == Pos::Noun;
            if (m.end..g.first_word)
                .any(|j| CLAUSE_BREAKS.contains(&w[j]) || is_speech_verb(w[j]) || (noun && w[j] == ","))
            {
                return None;
            }
            // "arrived in Amman", "pushing hard for the US": a preposition that is part of the
            // trigger makes a direct object.
            let prep = preposition_before(w, g.first_word).filter(|&j| j >= m.end).map(|j| w[j]);
            // "..., Benin police said": the group a speech verb follows reports; it is no object.
            if w.get(g.last_word + 1).is_some_and(|x| is_speech_verb(x)) {
                continue;
            }
            // "between an Israeli group and the PLO": a conjunct shares the preposition of
            // the group before it, which the frame did not allow.
            let conjunct = prep.is_none() && passed_over.is_some() && {
                let before = (m.end..g.first_word).rev().find(|&j| !DETERMINERS.contains(&w[j]));
                before.is_some_and(|j| matches!(w[j], "and" | "or"))
            };
            if conjunct {
                continue;
            }
            // "demanded an admission by Moscow that Soviet forces murdered ...": past an actor
            // the frame did not take, "that" opens that phrase's clause, whose actors are no
            // objects of the trigger.
            if passed_over.is_some_and(|end| (end..g.first_word).any(|j| w[j] == "that")) {
                return None;
            }
            let allowed = match prep {
                None => direct,
                Some(p) => preps.iter().any(|x| x == p) || (direct && matches!(p, "including" | "such")),
            };
            if allowed {
                return Some(gi);
            }
            passed_over = Some(g.last_word + 1);
        }
        dative
    }

    fn emit(
        &self,
        view: &SentenceView,
        w: &[&str],
        groups: &[Group],
        m: &TriggerMatch,
        f: &Found,
        facts: &SentenceFacts,
    ) -> Vec<CodedEvent> {
        let trigger = self.lexicon.trigger(m.trigger);
        let Some(code) = codes::lookup(&trigger.code) else {
            return Vec::new();
        };
        let source_group = &groups[f.source_group];
        let trigger_span = Span::new(view.words[m.start].span.start, view.words[m.end - 1].span.end);
        // Pairs: every source with every target; a symmetric trigger with no target pairs the
        // members of its subject ("Japan and Korea met").
        let mut pairs: Vec<(usize, Option<usize>, Vec<usize>)> = Vec::new();
        let mut how = "active";
        match f.target_group.map(|t| &groups[t]) {
            Some(tg) => {
                for &s in &source_group.actors {
                    for &t in &tg.actors {
                        let others: Vec<usize> = source_group
                            .actors
                            .iter()
                            .chain(&tg.actors)
                            .copied()
                            .filter(|&o| o != s && o != t)
                            .collect();
                        pairs.push((s, Some(t), others.clone()));
                        // A meeting or agreement is both sides' act: code it in both
                        // directions, as CAMEO dyads are; agreeing "to" another's demands is
                        // one side's.
                        if trigger.frame.symmetric && preceding_preposition(w, tg.first_word) != Some("to") {
                            pairs.push((t, Some(s), others));
                        }
                    }
                }
            }
            None if (trigger.frame.symmetric || source_group.compound) && source_group.actors.len() >= 2 => {
                how = "coordinated";
                for &s in &source_group.actors {
                    for &t in source_group.actors.iter().filter(|&&t| t != s) {
                        let others = source_group.actors.iter().copied().filter(|&o| o != t && o != s).collect();
                        pairs.push((s, Some(t), others));
                    }
                }
            }
            // PETRARCH dictionaries code dyads only; Entente keeps one-sided events too.
            None if takes_no_target(&trigger.code) && !self.lexicon.codes_are_final => {
                for &s in &source_group.actors {
                    pairs.push((s, None, Vec::new()));
                }
            }
            None => return Vec::new(),
        }
        // "Russia beat Croatia", "Norway's output beat forecasts": a state's name beating
        // another's, or anything, is a match or a market, not an assault.
        if trigger.pattern == "beat" {
            let bare_state = |a: usize| {
                let v = &view.actors[a];
                v.actor.kind == "state" && v.actor.sector.is_none() && v.surface == Surface::Name
            };
            pairs.retain(|&(s, t, _)| !bare_state(s) || t.is_some_and(|t| !bare_state(t)));
        }
        // "he will extend the curfew in Abidjan": a target that is the source itself leaves an
        // event without one, where the code needs none.
        let own_target = |&(s, t, _): &(usize, Option<usize>, Vec<usize>)| {
            t.is_some_and(|t| same_actor(&view.actors[s].actor, &view.actors[t].actor))
        };
        if !pairs.is_empty()
            && pairs.iter().all(own_target)
            && takes_no_target(&trigger.code)
            && !self.lexicon.codes_are_final
        {
            pairs = source_group.actors.iter().map(|&s| (s, None, Vec::new())).collect();
        }
        // "is pushing" is progressive, "was attacked" passive.
        let participle = matches!(m.form, Form::PastOrParticiple | Form::Participle);
        if f.source_group > f.target_group.unwrap_or(usize::MAX)
            || (participle && m.start > 0 && BE_FORMS.contains(&w[m.start - 1]))
        {
            how = "passive";
        }
        // The words between the trigger and the group before it carry its modality; for an
        // event named as a purpose ("will host Kishida, Biden and Modi for the talks"), the
        // words before that group, the verb's.
        let last_before = groups.iter().filter(|g| g.last_word < m.start).max_by_key(|g| g.last_word);
        let purpose = trigger.pos != Pos::Verb
            && last_before.is_some_and(|g| matches!(&w[g.last_word + 1..m.start], ["for"] | ["for", "the"]));
        let (last_before, verb_end) = match last_before {
            Some(g) if purpose => {
                (groups.iter().filter(|h| h.last_word < g.first_word).max_by_key(|h| h.last_word), g.first_word)
            }
            other => (other, m.start),
        };
        let subject_end = last_before.map_or(0, |g| g.last_word + 1).min(verb_end);
        let from = if verb_end - subject_end > 6 { verb_end - 6 } else { subject_end };
        let mut before: Vec<&str> = w[from..verb_end].to_vec();
        // "mobilized groups in the United States to help support ...": an infinitive after a
        // prepositional object states the purpose of a finite verb; only a subject right
        // before "to" makes a headline's future ("Japan to attend summit").
        // "an invitation for Kishida to attend": after "for", the group is the infinitive's
        // subject, and what it is invited to do is still to come.
        if before.first() == Some(&"to")
            && last_before.is_some_and(|g| preceding_preposition(w, g.first_word).is_some_and(|p| p != "for"))
        {
            before.remove(0);
        }
        let reported = reported_by_other(view, w, groups, f.source_group, m.start);
        let clause_start = (0..m.start).rev().find(|&j| matches!(w[j], "," | ";" | ":")).map_or(0, |j| j + 1);
        let cues = facts.cues.get_or_init(|| SentenceCues::of(w));
        let mut modality = modality(&before, &w[clause_start..m.start], cues, reported);
        // "... if US President Donald Trump agrees": a conditional opened right before the
        // subject.
        let opener = source_group.first_word.checked_sub(1).map(|j| w[j]);
        if matches!(opener, Some("if" | "unless" | "whether")) && modality != Modality::Negated {
            modality = Modality::Hypothetical;
        }
        // "The visit ... was postponed": a noun event called off did not take place.
        if trigger.pos != Pos::Verb && called_off_after(w, m.end) {
            modality = Modality::Negated;
        }
        let mut code = code;
        if !self.lexicon.codes_are_final {
            let source = &view.actors[source_group.actors[0]];
            // Withdrawing from a country is a retreat; from talks or a body, reduced relations.
            let from_state =
                f.target_group.is_some_and(|t| groups[t].actors.iter().all(|&a| view.actors[a].actor.kind == "state"));
            if matches!(trigger.pattern.as_str(), "withdraw from" | "pull out of")
                && from_state
                && let Some(c) = codes::lookup("0874")
            {
                code = c;
            }
            // "Finland joined NATO": joining an organisation is taking up cooperation with it
            // (050), not a meeting; "joined the summit" stays one.
            let joins_body = f.target_group.is_some_and(|t| {
                let tg = &groups[t];
                (m.end..tg.first_word).all(|j| w[j] == "the")
                    && !w.get(tg.last_word + 1).is_some_and(|x| VENUE_NOUNS.contains(x))
                    && tg
                        .actors
                        .iter()
                        .all(|&a| matches!(view.actors[a].actor.kind.as_str(), "organization" | "grouping"))
            });
            if trigger.pattern == "join"
                && joins_body
                && let Some(c) = codes::lookup("050")
            {
                code = c;
            }
            // "NATO peacekeeping troops have arrived in Bosnia": peacekeepers who arrive
            // provide peacekeeping (074); they do not visit.
            let peacekeepers = w[m.start.saturating_sub(5)..m.start]
                .iter()
                .any(|x| x.starts_with("peacekeep") || *x == "peace-keeping");
            if matches!(code.code.as_str(), "042" | "043")
                && peacekeepers
                && let Some(c) = codes::lookup("074")
            {
                code = c;
            }
            if let Some(c) = violence_code(&code.code, w, source)
                .or_else(|| street_protest_code(&code.code, w, source, view.text))
                .and_then(codes::lookup)
            {
                code = c;
            }
            // "decided to allow candidate Ouattara to run": a decision to yield is the
            // concession itself, as CAMEO's DECIDE patterns code it ("decided to allow forces"
            // is 0872); a decision to send aid stays an intent.
            let decided = before.iter().any(|x| matches!(*x, "decided" | "voted"))
                && !before.iter().any(|x| matches!(*x, "will" | "would"));
            if modality == Modality::Planned && decided && code.code.starts_with("08") {
                modality = Modality::Asserted;
            }
            // A cooperative act still to come is an expression of intent (CAMEO 03x: "will
            // visit" is 036, "will give aid" 033); a hostile one is a threat (13x: "will impose
            // a curfew" is 1323), as the CAMEO codebook codes them.
            if modality == Modality::Planned
                && let Some(c) = intent_code(&code.code).or_else(|| threat_code(&code.code)).and_then(codes::lookup)
            {
                code = c;
            }
            // "will boycott the elections unless the president resigns": a hostile act made
            // conditional on what the other side does is a threat, and the threat was made.
            let condition_follows = w[m.end..].iter().any(|x| matches!(*x, "unless" | "if"))
                && !w[clause_start..m.start].iter().take(2).any(|x| matches!(*x, "if" | "unless"));
            if matches!(modality, Modality::Planned | Modality::Hypothetical)
                && condition_follows
                && let Some(c) = threat_code(&code.code).and_then(codes::lookup)
            {
                (code, modality) = (c, Modality::Asserted);
            }
            // "refused to meet", "would not release": a refusal is itself an event (12x).
            if modality == Modality::Negated
                && refused(&before)
                && let Some(c) = reject_code(&code.code).and_then(codes::lookup)
            {
                (code, modality) = (c, Modality::Asserted);
            }
        }
        let nearest_date = self.date_for(view, facts, trigger_span, modality);
        let venues = facts.venues.get_or_init(|| self.places.venues(view));
        let nearest_location = nearest_venue(venues, trigger_span);
        let condition_target = code.code.starts_with("13").then(|| condition_group(w, groups, m.end)).flatten();
        // "In Madrid in 2022, then in Vilnius in 2023, Yoon made the trip": one event per
        // occasion the sentence lists before its main clause.
        let future = matches!(modality, Modality::Planned | Modality::Hypothetical);
        let dates = facts.dates[usize::from(future)]
            .get_or_init(|| sentence_dates(view.sentence_text(), facts.doc_date, future));
        let settings = fronted_settings(view, w, venues, dates)
            .filter(|(_, main)| main.contains(&m.start))
            .map_or_else(|| vec![Setting::default()], |(settings, _)| settings);
        let mut events = Vec::new();
        for ((s, t, others), setting) in
            settings.iter().flat_map(|setting| pairs.iter().take(MAX_EVENTS_PER_TRIGGER).map(move |p| (p, setting)))
        {
            let (s, t) = (*s, *t);
            let when = setting.date.or(nearest_date);
            let location = setting.location.clone().or_else(|| nearest_location.clone());
            let source = view.actors[s].actor.clone();
            let mut target = t.map(|t| view.actors[t].actor.clone());
            if target.as_ref().is_some_and(|t| same_actor(t, &source)) {
                continue;
            }
            if target.is_none() && !self.lexicon.codes_are_final {
                target = condition_target
                    .map(|g| view.actors[groups[g].actors[0]].actor.clone())
                    .filter(|t| !same_actor(t, &source))
                    .or_else(|| place_target(view, w, code, &view.actors[s], venues, trigger_span))
                    .or_else(|| domestic_target(&code.code, &view.actors[s], view.text));
            }
            let summit = self
                .summit_when(view, facts, &source, target.as_ref(), location.as_ref(), modality)
                .filter(|_| setting.date.is_none());
            let when = summit.as_ref().map(|(date, _)| (*date, "date:summit")).or(when);
            // "the summit in the United States": the summit's city is the more precise venue.
            let location = summit.map(|(_, at)| at).or(location);
            let mut covered = vec![view.actors[s].span, trigger_span];
            covered.extend(t.map(|t| view.actors[t].span));
            let span = Span::new(
                covered.iter().map(|c| c.start).min().expect("non-empty"),
                covered.iter().map(|c| c.end).max().expect("non-empty"),
            );
            events.push(CodedEvent {
                sentence: view.index,
                span,
                trigger: trigger_span,
                source,
                target,
                others: others.iter().map(|&o| view.actors[o].actor.clone()).collect(),
                cameo: code.code.clone(),
                plover: code.plover.clone(),
                mode: code.mode.clone(),
                goldstein: code.goldstein,
                modality,
                date: when.map(|(d, _)| d),
                date_rule: when.map_or("date:none", |(_, r)| r),
                location: location.clone(),
                rule: format!("rules:{}/{how}", trigger.pattern),
            });
        }
        events
    }

    /// An event at a summit the sentence names ("attended the Nato summit in Madrid") takes
    /// the summit's date, unless the sentence dates it outright (a year or a full date).
    fn summit_when(
        &self,
        view: &SentenceView,
        facts: &SentenceFacts,
        source: &ActorRef,
        target: Option<&ActorRef>,
        location: Option<&Location>,
        modality: Modality,
    ) -> Option<(PartialDate, Location)> {
        let location = location?;
        if !view.words.iter().any(|w| w.lower.starts_with("summit")) {
            return None;
        }
        let future = matches!(modality, Modality::Planned | Modality::Hypothetical);
        let dates = facts.dates[usize::from(future)]
            .get_or_init(|| sentence_dates(view.sentence_text(), facts.doc_date, future));
        let organizations: Vec<&str> =
            std::iter::once(source.id.as_str()).chain(target.map(|t| t.id.as_str())).collect();
        let country = location.country.as_deref();
        let (date, city) = crate::summits::summit_at(&organizations, &location.name, country, facts.doc_date, future)?;
        // The text's own date stands when it is the sentence's only one, or when one of its
        // dates is the summit's year ("In Madrid in 2022, then in Vilnius in 2023, ... invited
        // to the summit in Washington next July" has two, neither Washington's).
        let explicit: Vec<PartialDate> = dates.iter().filter(|d| d.rule == "date:explicit").map(|d| d.date).collect();
        if explicit.len() == 1 || explicit.iter().any(|d| d.year == date.year) {
            return None;
        }
        Some((date, Location { name: city, country: location.country.clone() }))
    }

    /// The date nearest the trigger in its sentence; else the document's date for events the
    /// text reports as having happened.
    fn date_for(
        &self,
        view: &SentenceView,
        facts: &SentenceFacts,
        trigger: Span,
        modality: Modality,
    ) -> Option<(PartialDate, &'static str)> {
        let doc_date = facts.doc_date;
        let future = matches!(modality, Modality::Planned | Modality::Hypothetical);
        let offset = trigger.start - view.span.start;
        let dates =
            facts.dates[usize::from(future)].get_or_init(|| sentence_dates(view.sentence_text(), doc_date, future));
        // "announced Wednesday it would ...": a date right after a speech verb dates the
        // saying, not the act still to come.
        let text = view.sentence_text();
        let dates_the_saying = |at: usize| {
            let mut before = text[..at.min(text.len())].split_whitespace().rev();
            let last = before.next().unwrap_or("").to_lowercase();
            let verb = if last == "on" { before.next().unwrap_or("").to_lowercase() } else { last };
            is_speech_verb(&verb)
        };
        if let Some(d) =
            dates.iter().filter(|d| !(future && dates_the_saying(d.at))).min_by_key(|d| d.at.abs_diff(offset))
        {
            return Some((d.date, d.rule));
        }
        (!future).then_some(doc_date.map(|d| (d, "date:document"))).flatten()
    }

    /// "China said NATO was extending its tentacles": a speaker judging another actor badly in
    /// what it says is disapproval, even without a disapproval verb.
    fn speech_disapproval(
        &self,
        view: &SentenceView,
        w: &[&str],
        word_actor: &[Option<usize>],
        groups: &[Group],
        coded: &[CodedEvent],
        facts: &SentenceFacts,
    ) -> Vec<CodedEvent> {
        // "issued a stern reminder to Iraq that it must ...": a speech noun after a verb of
        // delivering it says as much as "said".
        let speech_noun = |i: usize| {
            matches!(w[i], "reminder" | "warning" | "message" | "statement" | "ultimatum")
                && w[i.saturating_sub(3)..i].iter().any(|x| matches!(*x, "issued" | "sent" | "delivered" | "gave"))
        };
        let Some(say) = (0..w.len()).find(|&i| (is_speech_verb(w[i]) || speech_noun(i)) && word_actor[i].is_none())
        else {
            return Vec::new();
        };
        let Some(speaker) = subject_group(view, w, groups, say, &[]) else {
            return Vec::new();
        };
        // "China said NATO ...", or a quotation first: "“... Nato countries should ...,” Zhao said".
        let after = groups.iter().position(|g| g.first_word > say && g.first_word <= say + 4);
        let quoted_before = || {
            let speaker_start = groups[speaker].first_word;
            let closes = (0..speaker_start).rev().find(|&j| matches!(w[j], "”" | "\"" | "’"))?;
            groups.iter().position(|g| {
                g.last_word < closes && !g.actors.iter().any(|&a| view.actors[a].rule == "coref:the-summit")
            })
        };
        let Some(judged) = after.or_else(quoted_before) else {
            return Vec::new();
        };
        let rest = groups[judged].last_word..w.len();
        let negative = rest.clone().any(|j| NEGATIVE_JUDGEMENT.contains(&w[j]) || w[j].starts_with("destabili"));
        // "Russia said Sudan must return the helicopter": what the speaker says the other must
        // do is a demand.
        // "... that President Kagame and his Rwandan Patriotic Front must agree": the modal may
        // follow a coordinated subject, within its clause.
        let clause = &w[rest.start..w.len().min(rest.start + 9)];
        let clause =
            &clause[..clause.iter().position(|x| CLAUSE_BREAKS.contains(x) || *x == ",").unwrap_or(clause.len())];
        let obligation = clause.iter().any(|x| matches!(*x, "must" | "should"))
            || clause.windows(2).any(|p| p == ["has", "to"] || p == ["have", "to"]);
        let already =
            coded.iter().any(|e| groups[speaker].actors.iter().any(|&a| same_actor(&view.actors[a].actor, &e.source)));
        if !(negative || obligation) || already {
            return Vec::new();
        }
        let (code, rule) =
            if negative { ("111", "rules:speech+negative-judgement") } else { ("100", "rules:speech+obligation") };
        let code = codes::lookup(code).expect("the code is in the table");
        let say_span = view.words[say].span;
        let when = self.date_for(view, facts, say_span, Modality::Asserted);
        let mut events = Vec::new();
        for &s in &groups[speaker].actors {
            for &t in &groups[judged].actors {
                let (source, target) = (&view.actors[s], &view.actors[t]);
                if same_actor(&source.actor, &target.actor) {
                    continue;
                }
                events.push(CodedEvent {
                    sentence: view.index,
                    span: Span::new(source.span.start.min(say_span.start).min(target.span.start), view.span.end),
                    trigger: say_span,
                    source: source.actor.clone(),
                    target: Some(target.actor.clone()),
                    others: Vec::new(),
                    cameo: code.code.clone(),
                    plover: code.plover.clone(),
                    mode: code.mode.clone(),
                    goldstein: code.goldstein,
                    modality: Modality::Asserted,
                    date: when.map(|(d, _)| d),
                    date_rule: when.map_or("date:none", |(_, r)| r),
                    location: None,
                    rule: rule.to_string(),
                });
            }
        }
        events
    }
}

/// The CAMEO "express intent" code for a cooperative act: consult → 036, diplomatic
/// cooperation → 032, material cooperation → 031x, aid → 033x, yield → 035x, mediation → 039.
fn intent_code(code: &str) -> Option<&'static str> {
    let intent = match code {
        "045" => "039",
        c if c.starts_with("04") => "036",
        "057" => "031",
        c if c.starts_with("05") => "032",
        "061" => "0311",
        "062" => "0312",
        "063" => "0313",
        "064" => "0314",
        c if c.starts_with("06") => "031",
        "071" => "0331",
        "072" => "0332",
        "073" => "0333",
        "074" => "0334",
        c if c.starts_with("07") => "033",
        "081" => "0351",
        "084" | "0841" | "0842" => "0353",
        "085" => "0354",
        "086" => "0355",
        c if c.starts_with("087") => "0356",
        c if c.starts_with("08") => "035",
        _ => return None,
    };
    Some(intent)
}

/// The CAMEO "threaten" code for a hostile act still to come: protest → 133, sanctions and
/// reduced relations → 131x, coercion → 132x or 137, violence → 137/138x.
fn threat_code(code: &str) -> Option<&'static str> {
    let threat = match code {
        c if c.starts_with("14") => "133",
        "161" => "1313",
        c if c.starts_with("162") => "1311",
        "163" => "1312",
        "164" => "134",
        "165" => "135",
        c if c.starts_with("166") => "136",
        c if c.starts_with("16") => "131",
        "1721" => "1321",
        "1722" => "1322",
        "1723" => "1323",
        "1724" => "1324",
        c if c.starts_with("172") => "132",
        c if c.starts_with("17") => "137",
        c if c.starts_with("18") => "1383",
        "191" => "1381",
        "192" => "1382",
        c if c.starts_with("19") => "1384",
        c if c.starts_with("20") => "1385",
        _ => return None,
    };
    Some(threat)
}

/// The CAMEO "reject" code for refusing a cooperative act: to meet → 125, to mediate → 126,
/// to cooperate materially → 121, to give aid → 122, to yield → 124x.
fn reject_code(code: &str) -> Option<&'static str> {
    let reject = match code {
        "045" | "039" | "038" => "126",
        c if c.starts_with("04") || c == "036" => "125",
        c if c.starts_with("03") || c.starts_with("05") => "120",
        c if c.starts_with("06") => "121",
        c if c.starts_with("07") => "122",
        c if c.starts_with("083") => "123",
        c if c.starts_with("084") => "1243",
        "085" => "1244",
        c if c.starts_with("086") => "1245",
        c if c.starts_with("087") => "1246",
        c if c.starts_with("08") => "124",
        _ => return None,
    };
    Some(reject)
}

/// CAMEO tells killing and attacks with military weapons (19x, FIGHT) from those with bombs
/// or blades (18x, ASSAULT); the verb alone does not. The sentence's weapons decide.
fn violence_code(code: &str, w: &[&str], source: &crate::view::ActorSpan) -> Option<&'static str> {
    let source_sector = source.actor.sector.as_deref();
    // Gunmen and militiamen are not armies: their attacks are assaults.
    let irregular_source = matches!(source.rule.as_str(), "agent:gunmen" | "agent:militiamen" | "agent:militia");
    let has = |list: &[&str]| w.iter().any(|x| list.contains(x));
    const AERIAL: &[&str] = &[
        "aircraft",
        "warplanes",
        "warplane",
        "jets",
        "jet",
        "helicopter",
        "helicopters",
        "gunships",
        "gunship",
        "airstrike",
        "airstrikes",
        "air-strike",
        "air-strikes",
    ];
    const HEAVY: &[&str] = &["artillery", "tanks", "tank", "shelling", "shells", "mortar", "mortars", "howitzers"];
    const SMALL_ARMS: &[&str] = &["gunbattle", "gun-battle", "firefight", "shootout", "clashes", "fighting"];
    const IRREGULAR: &[&str] =
        &["machetes", "machete", "knives", "knife", "axes", "clubs", "spears", "stones", "bomb", "bombs", "grenade"];
    let people = matches!(source_sector, Some("CVL" | "LAB" | "EDU" | "OPP" | "AGR"));
    match code {
        // Workers who strike stop work; people who clash riot.
        "190" if people && w.iter().any(|x| matches!(*x, "strike" | "strikes" | "struck" | "striking")) => Some("143"),
        "190" if people => Some("145"),
        "1823" | "180" if has(AERIAL) => Some("195"),
        "1823" | "180" if has(HEAVY) => Some("194"),
        "1823" | "180" if has(SMALL_ARMS) => Some("193"),
        "1823" if source_sector == Some("MIL") && has(&["attack", "offensive", "raid", "battle"]) => Some("190"),
        "190" if (has(IRREGULAR) || irregular_source) && source_sector != Some("MIL") => Some("180"),
        _ => None,
    }
}

/// Whether an actor is people rather than a state acting: a people named by a plural demonym
/// ("Palestinians"; "Nigerian" before a minister's title is the state, "Palestinian leaders"
/// a government), or civilians, opposition, workers, students, farmers, refugees, rebels.
fn is_people(source: &crate::view::ActorSpan, text: &str) -> bool {
    let plural_demonym =
        source.surface == Surface::Demonym && source.actor.sector.is_none() && source.span.of(text).ends_with('s');
    plural_demonym
        || matches!(source.actor.sector.as_deref(), Some("CVL" | "OPP" | "LAB" | "EDU" | "AGR" | "REF" | "REB"))
}

/// "Protest" is a diplomatic complaint (114) when a government makes it, a demonstration
/// (141) when people do: a people named by their demonym ("Palestinians"), civilians,
/// students, workers, or crowds.
fn street_protest_code(code: &str, w: &[&str], source: &crate::view::ActorSpan, text: &str) -> Option<&'static str> {
    if code != "114" {
        return None;
    }
    let people = is_people(source, text);
    let crowd = w.iter().any(|x| {
        matches!(*x, "thousands" | "hundreds" | "crowd" | "crowds" | "streets" | "marched" | "rally" | "chanting")
    });
    (people || crowd).then_some("141")
}

/// "was attacked", "has been criticised", "were quickly released": a form of "be" right
/// before the participle, or before an adverb before it. "Poland's parliament has demanded"
/// is active: the possessive "'s" is no auxiliary.
fn is_passive_auxiliary(w: &[&str], at: usize) -> bool {
    let be = |x: &str| matches!(x, "is" | "are" | "was" | "were" | "be" | "been" | "being" | "get" | "got" | "gets");
    let adverb = |x: &str| {
        x.ends_with("ly")
            || SENTENCE_ADVERBS.contains(&x)
            || matches!(x, "not" | "since" | "never" | "already" | "still")
    };
    match at {
        0 => false,
        1 => be(w[0]),
        _ => be(w[at - 1]) || (adverb(w[at - 1]) && be(w[at - 2])),
    }
}

/// The target a domestic event implies when the sentence names none: people protesting or
/// demanding act against their own government; a government imposing or lifting a curfew, an
/// emergency or restrictions acts on its own people.
fn domestic_target(code: &str, source: &crate::view::ActorSpan, text: &str) -> Option<ActorRef> {
    let actor = &source.actor;
    if actor.kind != "state" {
        return None;
    }
    // Any demonym that protests is people too; "Chinese threat" is the state.
    let protesting_demonym = source.surface == Surface::Demonym && actor.sector.is_none() && code.starts_with("14");
    let people = is_people(source, text) || protesting_demonym;
    let against_government = people && ["10", "11", "12", "13", "14"].iter().any(|p| code.starts_with(p));
    let on_people = !people && ["081", "172", "132", "1323", "1324"].iter().any(|p| code.starts_with(p));
    let sector = match (against_government, on_people) {
        (true, _) => "GOV",
        (_, true) => "CVL",
        _ => return None,
    };
    Some(ActorRef { sector: Some(sector.to_string()), country: None, ..actor.clone() })
}

/// "threatened to strike unless Israel rescinded ...": the one a threat's condition names is
/// whom the threat is made against.
fn condition_group(w: &[&str], groups: &[Group], from: usize) -> Option<usize> {
    let at = (from..w.len())
        .take_while(|&j| matches!(w[j], "unless" | "if") || !CLAUSE_BREAKS.contains(&w[j]))
        .find(|&j| matches!(w[j], "unless" | "if"))?;
    groups.iter().position(|g| g.first_word > at && (at + 1..g.first_word).all(|j| leads_to_name(w[j])))
}

/// The state where a material act with no named target takes place: "the bombers killed 23
/// people in Tel Aviv" acts on Israel; troops "on alert in the West Bank" face the
/// Palestinians. People protesting abroad protest to the host state's government. The venue
/// must stand in the trigger's own clause, before any speech verb.
fn place_target(
    view: &SentenceView,
    w: &[&str],
    code: &codes::CameoCode,
    source: &crate::view::ActorSpan,
    venues: &[(Span, Location)],
    trigger: Span,
) -> Option<ActorRef> {
    let protest = code.plover == "PROTEST";
    if !(protest || matches!(code.plover.as_str(), "ASSAULT" | "FIGHT" | "COERCE" | "MOBILIZE" | "AID")) {
        return None;
    }
    let (span, place) = venues.iter().filter(|(s, _)| s.start >= trigger.end).min_by_key(|(s, _)| s.start)?;
    let country = place.country.as_deref()?;
    let word_at = |offset: usize| view.words.iter().position(|x| x.span.start >= offset).unwrap_or(w.len());
    let between = &w[word_at(trigger.end)..word_at(span.start)];
    // The place must be this act's: not past a new clause (", and European Union leaders
    // approved ... in Brussels") or another actor, whom the act more likely concerns.
    let actor_between = view.actors.iter().any(|a| a.span.start >= trigger.end && a.span.end <= span.start);
    if actor_between
        || between.iter().any(|x| is_speech_verb(x) || CLAUSE_BREAKS.contains(x))
        || between.windows(2).any(|p| p == [",", "and"])
    {
        return None;
    }
    let own = source.actor.country_code() == Some(country);
    if protest && own {
        return None;
    }
    let state = view
        .actors
        .iter()
        .find(|a| a.actor.kind == "state" && a.actor.id == country)
        .map(|a| ActorRef { sector: None, ..a.actor.clone() })
        .unwrap_or_else(|| ActorRef::new(country, "state", country));
    Some(if protest { ActorRef { sector: Some("GOV".into()), ..state } } else { state })
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
    w[at.saturating_sub(3)..at].iter().any(|x| {
        matches!(*x, "after" | "following" | "amid" | "during" | "since" | "despite" | "because" | "wake" | "before")
    })
}

/// Words that look like a trigger but name no event here: "in order to", "a press release",
/// the month of March.
fn not_an_event(view: &SentenceView, w: &[&str], i: usize) -> bool {
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
fn named_war(view: &SentenceView, w: &[&str], i: usize) -> bool {
    let capitalised = |j: usize| view.words[j].span.of(view.text).starts_with(|c: char| c.is_uppercase());
    if !capitalised(i) {
        return false;
    }
    let from = i.saturating_sub(4);
    (from..i).rev().find(|&j| w[j] == "the").is_some_and(|the| the + 1 < i && (the + 1..i).all(capitalised))
}

/// What is released when no one is set free: "released a statement", "the release of the report".
const INFORMATION_NOUNS: &[&str] = &[
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
const INSIGHT_NOUNS: &[&str] = &[
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
const BACK_PARTICLE_AFTER: &[&str] = &[
    "be", "is", "are", "was", "were", "been", "being", "roll", "rolled", "rolling", "rolls", "scale", "scaled",
    "scaling", "pull", "pulled", "pulling", "cut", "cutting", "fight", "fought", "fighting", "hit", "hitting",
    "strike", "struck", "bring", "brought", "come", "came", "coming", "go", "went", "going", "step", "stepped", "turn",
    "turned", "call", "called", "hold", "held", "holding", "give", "gave", "get", "got", "pay", "paid", "send", "sent",
    "look", "looked", "take", "took", "taking", "claw", "clawed", "win", "won", "move", "moved", "push", "pushed",
    "pushing", "set", "way",
];
/// What makes a war no fighting: "trade war", "price war".
const NO_FIGHTING_WAR: &[&str] =
    &["trade", "tariff", "price", "currency", "culture", "tech", "chip", "bidding", "turf", "talent", "subsidy"];
/// What makes a demand a market's: "global demand", "supply and demand".
const MARKET_DEMAND: &[&str] = &[
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

/// How a verb governs the act after it.
#[derive(Clone, Copy)]
enum Governed {
    Pledged,
    Threatened,
    Refused,
}

/// Gives the events of a governing verb (trigger span `governor`) the code of what it
/// governs (an intent for a pledge, a threat for a threat; a refusal keeps its own) and,
/// where they have none, its target.
fn fold_into_governor<'e>(
    events: impl Iterator<Item = &'e mut CodedEvent>,
    governor: Span,
    governed: &[CodedEvent],
    how: Governed,
) {
    let Some(first) = governed.first() else { return };
    // The governed act may already carry an intent or threat code ("will cut" is 1311).
    let base = |code: &str| match how {
        Governed::Pledged => intent_code(code),
        Governed::Threatened if code.starts_with("13") => None,
        Governed::Threatened => threat_code(code),
        Governed::Refused => reject_code(code),
    };
    let code = base(&first.cameo).and_then(codes::lookup);
    for e in events.filter(|e| e.trigger == governor) {
        if let Some(code) = code {
            e.cameo = code.code.clone();
            e.plover = code.plover.clone();
            e.mode = code.mode.clone();
            e.goldstein = code.goldstein;
        } else if matches!(how, Governed::Threatened) && first.cameo.starts_with("13") {
            e.cameo = first.cameo.clone();
            e.plover = first.plover.clone();
            e.mode = first.mode.clone();
            e.goldstein = first.goldstein;
        }
        if e.target.is_none() {
            e.target = first.target.clone();
        }
    }
}

/// Whether the clause after a noun event says it was called off ("was postponed", "has been
/// cancelled", "were suspended").
fn called_off_after(w: &[&str], end: usize) -> bool {
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

/// Photo captions mark where people stand: "Rasmussen (R) and Abe (L) signed". The markers
/// are blanked so that they neither break the coordination nor open a clause.
fn blank_caption_markers(w: &mut [&str]) {
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
const MODIFIED_NOUNS: &[&str] = &[
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
fn is_noun_context(w: &str) -> bool {
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

/// A reject or pledge verb followed by "to" + verb governs another event ("declined to
/// attend", "refused to meet"): the coder takes it as that event's modality.
fn is_modal_use(lexicon: &Lexicon, m: &TriggerMatch, w: &[&str]) -> bool {
    let trigger = lexicon.trigger(m.trigger);
    let governs =
        trigger.slots.len() == 1 && matches!(trigger.code.as_str(), "120" | "030") && w.get(m.end) == Some(&"to");
    // "willing to withdraw", "ready to talk": the willingness is the next act's modality.
    let willing = trigger.code == "030" && trigger.pattern.ends_with(" to");
    // "to help support the rights of Palestinians": the help is the act it helps.
    let helps = trigger.pattern == "help";
    governs || willing || helps
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

/// Joins adjacent actors into groups: coordination ("A, B and C"), and the head of a noun
/// phrase ("Japanese Prime Minister Fumio Kishida" is Kishida, not Japan and Kishida).
fn groups(view: &SentenceView, word_actor: &[Option<usize>], w: &[&str]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(a) = word_actor[i] else {
            i += 1;
            continue;
        };
        // "the Madrid summit": the capital names the venue, not its government acting.
        if view.actors[a].surface == Surface::Capital && w.get(i + 1).is_some_and(|x| VENUE_NOUNS.contains(x)) {
            i += 1;
            continue;
        }
        let mut last = i;
        while last + 1 < w.len() && word_actor[last + 1] == Some(a) {
            last += 1;
        }
        // Two actors inside one word: "Japan-NATO".
        let in_word: Vec<usize> =
            (0..view.actors.len()).filter(|&b| b != a && view.actors[b].span.overlaps(view.words[i].span)).collect();
        let compound = !in_word.is_empty();
        let mut actors = vec![a];
        actors.extend(in_word);
        actors.sort_unstable();
        actors.dedup();
        let joins_previous = groups.last().is_some_and(|g| {
            let between = &w[g.last_word + 1..i];
            // "Vietnam and the United States": an article after "and" still coordinates.
            let between = match between {
                [rest @ .., "and", "the"] => rest,
                _ => between,
            };
            (between.is_empty() || between.iter().all(|x| CONNECTORS.contains(x))) && !g.compound && !compound
        });
        let adjacent_head = groups.last().is_some_and(|g| g.last_word + 1 == i)
            && matches!(
                view.actors[*groups.last().expect("checked").actors.last().expect("non-empty")].surface,
                Surface::Demonym | Surface::Name
            )
            && view.actors[a].actor.kind == "person";
        // "NATO-member Norway", "EU member Poland", "NATO ally Turkey": the first actor
        // only describes the second, which acts.
        let described = groups.last().is_some_and(|g| {
            g.actors.len() == 1 && !g.compound && describes_next(w[g.last_word], &w[g.last_word + 1..i])
        });
        if described {
            groups.pop();
            groups.push(Group { actors, first_word: i, last_word: last, compound });
        } else if adjacent_head {
            // "Japanese Prime Minister Fumio Kishida": the person is the head.
            let g = groups.last_mut().expect("checked");
            g.actors.pop();
            g.actors.push(a);
            g.last_word = last;
        } else if joins_previous {
            let g = groups.last_mut().expect("checked");
            g.actors.extend(actors);
            g.last_word = last;
        } else {
            groups.push(Group { actors, first_word: i, last_word: last, compound });
        }
        i = last + 1;
    }
    // Role words between a demonym and a person: "Japanese Prime Minister Fumio Kishida" when
    // the role words are not part of either mention.
    merge_role_heads(view, w, &mut groups);
    groups
}

/// Whether an actor's last word and the words after it make it a description of the actor
/// that follows: "NATO-member Norway", "EU member Poland", "NATO ally Turkey".
fn describes_next(last: &str, between: &[&str]) -> bool {
    let member_word = |x: &str| matches!(x, "member" | "ally" | "partner" | "member-state" | "member-country");
    match between {
        [] => last.rsplit_once('-').is_some_and(|(_, suffix)| member_word(suffix)),
        [word] => member_word(word),
        [word, "state" | "country" | "nation"] => member_word(word),
        _ => false,
    }
}

const ROLE_WORDS: &[&str] = &[
    "prime",
    "minister",
    "president",
    "chancellor",
    "secretary",
    "general",
    "secretary-general",
    "foreign",
    "defence",
    "defense",
    "premier",
    "king",
    "queen",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "envoy",
    "vice",
    "deputy",
    "chief",
    "head",
    "governor",
    "senator",
    "ministry",
    "foreign-minister",
    "pm",
    "ministers",
    "presidents",
    "leaders",
];

/// Role words that head a list of people: "Japanese and Australian Prime Ministers Fumio
/// Kishida and Anthony Albanese" (each demonym goes with one person).
const PLURAL_ROLE_WORDS: &[&str] = &["ministers", "presidents", "leaders"];

fn merge_role_heads(view: &SentenceView, w: &[&str], groups: &mut Vec<Group>) {
    let mut k = 1;
    while k < groups.len() {
        let (prev, cur) = (&groups[k - 1], &groups[k]);
        let between = &w[prev.last_word + 1..cur.first_word];
        let prev_last = *prev.actors.last().expect("non-empty");
        let head = cur.actors[0];
        if !between.is_empty()
            && between.iter().all(|x| ROLE_WORDS.contains(x) || x.ends_with('.') || matches!(*x, "'s" | "’s"))
            && view.actors[head].actor.kind == "person"
            && matches!(view.actors[prev_last].surface, Surface::Demonym | Surface::Name)
        {
            let cur = groups.remove(k);
            let g = &mut groups[k - 1];
            let owners = if between.iter().any(|x| PLURAL_ROLE_WORDS.contains(x)) { cur.actors.len() } else { 1 };
            for _ in 0..owners {
                let last = *g.actors.last().expect("non-empty");
                if !matches!(view.actors[last].surface, Surface::Demonym | Surface::Name) {
                    break;
                }
                g.actors.pop();
                if g.actors.is_empty() {
                    break;
                }
            }
            g.actors.extend(cur.actors);
            g.last_word = cur.last_word;
        } else {
            k += 1;
        }
    }
}

/// The preposition governing a group, skipping determiners and adjectives before it.
fn preceding_preposition<'a>(w: &[&'a str], first_word: usize) -> Option<&'a str> {
    preposition_before(w, first_word).map(|j| w[j])
}

/// Where the preposition governing a group stands (see `preceding_preposition`).
fn preposition_before(w: &[&str], first_word: usize) -> Option<usize> {
    let mut j = first_word;
    while j > 0 {
        j -= 1;
        let x = w[j];
        // "with leaders of Romania": the preposition before "leaders of" governs the state.
        if x == "of" && j > 0 && HEAD_NOUNS.contains(&w[j - 1]) {
            j -= 1;
            continue;
        }
        // "ordered out of Nigeria", "because of Russia": the pair is one preposition, and
        // not the "of" that names whose a noun is.
        if x == "of" && j > 0 && matches!(w[j - 1], "out" | "because" | "instead" | "ahead" | "outside") {
            return Some(j - 1);
        }
        // "up to 16 Russian advisers", "more than 100 Palestinians": part of the count.
        // "about 200 supporters", "over 1,000 Turks": the count's, not a preposition.
        if matches!(x, "about" | "over" | "around" | "under") && w.get(j + 1).is_some_and(|n| is_quantity(n)) {
            continue;
        }
        let count_word = match x {
            "to" => j > 0 && w[j - 1] == "up",
            "than" => j > 0 && matches!(w[j - 1], "more" | "less" | "fewer"),
            _ => false,
        };
        if count_word {
            j -= 1;
            continue;
        }
        if PREPOSITIONS.contains(&x) || x == "of" {
            return Some(j);
        }
        // "including Europe, Japan and Mexico": a first conjunct that is no actor.
        if x == "," && j >= 2 && w[j - 1].chars().all(char::is_alphabetic) && matches!(w[j - 2], "including" | "like") {
            return Some(j - 2);
        }
        // "with President Obama", "to Prime Minister Kishida": a title is part of the name.
        if ROLE_WORDS.contains(&x) || TITLE_WORDS.contains(&x) {
            continue;
        }
        if x == "as" && w.get(j + 1) == Some(&"well") {
            return None;
        }
        let possessive = matches!(x, "'s" | "’s");
        // "to the biggest Cambodian refugee camp": a superlative after the article.
        let superlative = x.len() > 4 && x.ends_with("est") && j > 0 && w[j - 1] == "the";
        // "from the besieged Bosnian town", "in the rebel-held north": a participle after a
        // determiner describes the place.
        let participle = (x.ends_with("ed") || x.ends_with("-held") || x.ends_with("-torn"))
            && j > 0
            && DETERMINERS.contains(&w[j - 1]);
        if !(DETERMINERS.contains(&x)
            || possessive
            || superlative
            || participle
            || x.chars().all(|c| c.is_alphabetic() || c == '-') && is_modifier(x)
            || is_quantity(x)
            || is_time_word(x))
        {
            return None;
        }
    }
    None
}

/// Lower-case titles that stand before a person's name ("candidate Alassane Ouattara").
const TITLE_WORDS: &[&str] =
    &["president", "candidate", "leader", "minister", "premier", "general", "opposition", "rebel", "senator"];

/// Words a pattern's gap may pass over on its way to the actor it names: "the", a modifier or
/// a title ("ordered the former president Carlos Menem to").
fn leads_to_name(x: &str) -> bool {
    x == "the" || is_modifier(x) || TITLE_WORDS.contains(&x)
}

/// Nouns whose "of" phrase names the actor itself: "leaders of Romania".
const HEAD_NOUNS: &[&str] = &[
    "ambassador",
    "ambassadors",
    "envoy",
    "envoys",
    "diplomats",
    "delegations",
    "leaders",
    "leader",
    "government",
    "governments",
    "president",
    "officials",
    "representatives",
    "delegation",
    "members",
    "army",
    "forces",
    "troops",
    "people",
    "citizens",
    "ministers",
    "minister",
    "foreign",
    "head",
    "heads",
];

/// "against 28 Chilean officials", "of scores of Liberian refugees": a count before the actor.
fn is_quantity(x: &str) -> bool {
    // A count, not a year ("in 2023, Yoon ...") and not a lone comma.
    let count = x.starts_with(|c: char| c.is_ascii_digit())
        && x.chars().all(|c| c.is_ascii_digit() || c == ',')
        && !(x.len() == 4 && (x.starts_with("19") || x.starts_with("20")));
    count
        || matches!(
            x,
            "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "ten"
                | "dozens"
                | "scores"
                | "hundreds"
                | "thousands"
                | "several"
                | "some"
                | "many"
                | "around"
                | "nearly"
        )
}

/// "at this year's summit": time words inside a prepositional phrase.
fn is_time_word(x: &str) -> bool {
    matches!(
        x,
        "year" | "month" | "week" | "day" | "next" | "last" | "coming" | "upcoming" | "annual" | "july" | "june"
    )
}

/// Lower-case words that can stand between a preposition and its actor ("to the western alliance").
fn is_modifier(x: &str) -> bool {
    matches!(
        x,
        "western"
            | "eastern"
            | "northern"
            | "southern"
            | "new"
            | "former"
            | "neighbouring"
            | "neighboring"
            | "rival"
            | "allied"
            | "then"
            | "current"
            | "fellow"
            | "military"
            | "such"
    )
}

/// The subject of a verb: the nearest group before it that is not a prepositional object,
/// or, for a verb coordinated with an earlier one ("met Y and signed"), that verb's subject.
fn subject_group(
    view: &SentenceView,
    w: &[&str],
    groups: &[Group],
    at: usize,
    earlier: &[(TriggerMatch, Found)],
) -> Option<usize> {
    // Past "an office in Tokyo, which ...": the office's owner is the subject, whatever
    // phrase the office stands in.
    let mut after_relative = false;
    let own_clause = own_subject_clause(w, at, earlier);
    for gi in (0..groups.len()).rev() {
        let g = &groups[gi];
        if g.last_word >= at {
            continue;
        }
        if own_clause.is_some_and(|and| g.last_word < and) {
            return None;
        }
        // "The alliance that attacked Serbia met Russia": an object inside a relative clause
        // is not the subject of the verb after it.
        if inside_relative_clause(w, g.first_word) {
            continue;
        }
        // "demanded an admission by Moscow that Soviet forces murdered ...": a clause opened
        // by "that" and a noun phrase has its own subject, which is no actor here.
        if let Some(j) = (g.last_word + 1..at).rev().find(|&j| w[j] == "that")
            && j + 1 < at
            && !AUXILIARIES.contains(&w[j + 1])
            && !matches!(w[j + 1], "it" | "they" | "he" | "she" | "we" | "i")
        {
            return None;
        }
        // A subject pronoun between the group and the verb is the subject, unresolved here:
        // "... that Nato will ..., it is taking advantage of ...".
        if let Some(j) =
            (g.last_word + 1..at).find(|&j| w[j] == ";" || matches!(w[j], "it" | "they" | "he" | "she" | "we" | "i"))
        {
            // "Syria says it is willing to ...": a pronoun opening what a speaker says is the
            // speaker.
            return speech_verb_before(w, j).and_then(|say| subject_group(view, w, groups, say, earlier));
        }
        if let Some((_, f)) = earlier.iter().rev().find(|(_, f)| f.target_group == Some(gi))
            && (g.last_word + 1..at).any(|j| w[j] == "and")
        {
            return Some(f.source_group);
        }
        // "the Chinese government, which has warned ...": a relative clause's subject is its
        // antecedent, whatever governs the antecedent.
        // "the summit" names an event's organiser; it does not act in the sentence.
        if g.actors.iter().all(|&a| view.actors[a].rule == "coref:the-summit") {
            continue;
        }
        let relative = w.get(g.last_word + 1) == Some(&",")
            && w.get(g.last_word + 2).is_some_and(|x| matches!(*x, "which" | "who" | "that"));
        match preposition_before(w, g.first_word) {
            // "Palestinians of the West Bank protested": the group before "of" is the head;
            // "in defiance of Chinese authorities": the "of" phrase is inside another phrase.
            Some(of) if w[of] == "of" && !after_relative && of_modifies(w, groups, of) => continue,
            Some(p) if w[p] != "of" => match w[p] {
                // "an invitation for Kishida to attend": the subject of the infinitive.
                "for" if g.last_word + 2 == at && w[g.last_word + 1] == "to" => return Some(gi),
                // "an office in Tokyo, which was opposed by ...": the clause is about the office,
                // so its subject is the phrase the place belongs to.
                "in" | "at" | "near" if relative => {
                    after_relative = true;
                    continue;
                }
                _ if relative => return Some(gi),
                _ => continue,
            },
            _ => return Some(apposition_head(w, groups, gi, at).unwrap_or(gi)),
        }
    }
    None
}

/// "Russia massed troops on the border and rebels attacked Kyiv": past a finite verb the
/// sentence has coded, "and" or "but" and a noun phrase right before the verb open a clause
/// with a subject of its own. The coordinator's position: no group before it is the subject.
/// ("... and attacked", "... and then attacked", "... and on Tuesday attacked" share it.)
fn own_subject_clause(w: &[&str], at: usize, earlier: &[(TriggerMatch, Found)]) -> Option<usize> {
    let verb_end = earlier
        .iter()
        .filter(|(e, _)| e.end <= at && matches!(e.form, Form::Past | Form::PastOrParticiple | Form::ThirdPerson))
        .map(|(e, _)| e.end)
        .max()?;
    let mut end = at;
    while end > verb_end && (AUXILIARIES.contains(&w[end - 1]) || SENTENCE_ADVERBS.contains(&w[end - 1])) {
        end -= 1;
    }
    let and = (verb_end..end).rev().find(|&k| matches!(w[k], "and" | "but"))?;
    let phrase = &w[and + 1..end];
    let noun_phrase = !phrase.is_empty()
        && phrase.iter().all(|x| {
            x.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                && !PREPOSITIONS.contains(x)
                && !agents::is_calendar_word(x)
                && !matches!(*x, "week" | "month" | "year" | "day" | "today" | "yesterday" | "tonight" | "last")
        });
    noun_phrase.then_some(and)
}

/// Adverbs that may stand between a subject and its verb ("drones later struck").
const SENTENCE_ADVERBS: &[&str] =
    &["later", "then", "also", "subsequently", "quickly", "immediately", "again", "reportedly", "allegedly", "soon"];

/// Whether the "of" at `of` joins its group to something other than the subject: an actor
/// right before it ("Palestinians of the West Bank", whose head is that actor) or a noun that
/// a preposition governs ("in defiance of").
fn of_modifies(w: &[&str], groups: &[Group], of: usize) -> bool {
    // "Tens of thousands of students": a chain of counts is still the subject.
    of > 0
        && (groups.iter().any(|g| g.last_word + 1 == of) || preposition_before(w, of - 1).is_some_and(|p| w[p] != "of"))
}

/// Nouns for an act or a speech act whose "by"/"from"/"of" phrase names who acts or asks.
const ACT_NOUNS: &[&str] = &[
    "demand",
    "demands",
    "call",
    "calls",
    "request",
    "requests",
    "appeal",
    "appeals",
    "proposal",
    "proposals",
    "offer",
    "offers",
    "plan",
    "plans",
    "invitation",
    "invitations",
    "initiative",
    "ultimatum",
    "admission",
    "apology",
    "withdrawal",
    "release",
    "resignation",
    "pullout",
    "handover",
    "extradition",
    "surrender",
    "recognition",
];

/// "accepted demands from the rebels", "demanded an admission by Moscow", "rejected calls by
/// Belarus's rulers": with no object actor, the actor whose demand or act the object names.
fn object_complement(w: &[&str], groups: &[Group], m: &TriggerMatch) -> Option<usize> {
    let limit = (m.end + 6).min(w.len());
    let noun = (m.start + 1..limit).find(|&j| ACT_NOUNS.contains(&w[j]))?;
    let breaks = |r: std::ops::Range<usize>| r.into_iter().any(|j| CLAUSE_BREAKS.contains(&w[j]) || w[j] == ",");
    if breaks(m.end.min(noun)..noun) {
        return None;
    }
    groups.iter().position(|g| {
        g.first_word > noun
            && g.first_word <= noun + 4
            && matches!(preceding_preposition(w, g.first_word), Some("by" | "from" | "of"))
            && !breaks(noun + 1..g.first_word)
    })
}

/// "shelled positions of the Palestinian security forces", "stormed the embassy of Denmark":
/// a direct object that is no actor, owned by one in the "of" phrase right after it, makes
/// that owner the target. So too the other side of a tie the object names: "boycott all
/// official contact with the United States", and the recipient of the aid it names: "suspended
/// a military aid program for Bosnia", "reduced food supplies to the Cambodian camp".
/// A trigger whose frame takes no direct object takes only the tie's or the aid's.
fn object_owner(w: &[&str], groups: &[Group], m: &TriggerMatch, direct: bool) -> Option<usize> {
    let limit = (m.end + 4).min(w.len());
    let tie = |j: usize| {
        w[j] == "with"
            && matches!(w[j - 1], "contact" | "contacts" | "relations" | "ties" | "talks" | "dealings" | "trade")
    };
    let recipient = |j: usize| {
        matches!(w[j], "for" | "to")
            && matches!(
                w[j - 1],
                "aid" | "assistance" | "program" | "programme" | "supplies" | "funding" | "shipments" | "deliveries"
            )
    };
    // "host a meeting between Israel and the PLO": those the meeting is between.
    let between = |j: usize| {
        w[j] == "between" && matches!(w[j - 1], "meeting" | "talks" | "summit" | "negotiations" | "dialogue")
    };
    let link = (m.end..limit)
        .find(|&j| (direct && w[j] == "of") || (j > 0 && (tie(j) || recipient(j) || (direct && between(j)))))?;
    let plain = |j: usize| w[j].chars().all(|c| c.is_alphabetic() || c == '-') && !PREPOSITIONS.contains(&w[j]);
    // "positions of": an object noun stands between; the aid noun may end the trigger itself.
    let object_before = link > m.end || m.end - m.start > 1 || recipient(link) || tie(link);
    if !object_before || !(m.end..link).all(plain) || (m.end..link).any(|j| CLAUSE_BREAKS.contains(&w[j])) {
        return None;
    }
    groups.iter().position(|g| {
        g.first_word > link
            && g.first_word <= link + 3
            && (between(link) || preceding_preposition(w, g.first_word) == Some(w[link]))
    })
}

/// "Pakistan, a key U.S. ally in the war, has refused ...": a group inside an apposition
/// (", a/an/the ... ,") that follows another group describes that group, which is the subject.
fn apposition_head(w: &[&str], groups: &[Group], gi: usize, verb: usize) -> Option<usize> {
    let g = &groups[gi];
    let close = (g.last_word + 1..verb).find(|&j| w[j] == ",")?;
    if (close + 1..verb).any(|j| CLAUSE_BREAKS.contains(&w[j]) || w[j] == ",") {
        return None;
    }
    let open = (0..g.first_word).rev().find(|&j| w[j] == ",")?;
    if !matches!(w.get(open + 1), Some(&("a" | "an" | "the"))) {
        return None;
    }
    groups[..gi].iter().rposition(|h| h.last_word + 1 == open)
}

/// How a group hangs in the parse: the word governing it and the relation, read at the
/// group's head after climbing through nominal modifiers ("the *Japanese* government" is
/// governed as "government" is).
fn attachment<'d>(deps: &'d [Dependency], g: &Group) -> Option<(usize, &'d str)> {
    let inside = |k: usize| (g.first_word..=g.last_word).contains(&k);
    let mut k =
        (g.first_word..=g.last_word).find(|&k| deps.get(k).is_some_and(|d| d.head.is_none_or(|h| !inside(h))))?;
    for _ in 0..4 {
        let d = &deps[k];
        let base = d.relation.split(':').next().unwrap_or("");
        match d.head {
            // "the Japanese government", "Japan's prime minister", "leaders of Japan".
            Some(h) if matches!(base, "amod" | "compound" | "flat" | "nmod" | "appos") && d.relation != "nmod:tmod" => {
                k = h
            }
            _ => break,
        }
    }
    Some((deps[k].head?, deps[k].relation.as_str()))
}

/// Source and target of the verb at word `verb` from the parse: its subject (or, for an
/// infinitive, its controller's: "Japan agreed to *meet* Korea"), its object or an oblique the
/// frame allows; for a passive, the `by` agent and the passive subject. None when the parse
/// gives no source, so the word rules decide.
fn parsed_roles(deps: &[Dependency], w: &[&str], groups: &[Group], verb: usize, preps: &[String]) -> Option<Found> {
    if deps.len() != w.len() {
        return None;
    }
    let attached: Vec<Option<(usize, &str)>> = groups.iter().map(|g| attachment(deps, g)).collect();
    let find = |governor: usize, wanted: &dyn Fn(&str) -> bool| {
        attached.iter().position(|a| a.is_some_and(|(h, r)| h == governor && wanted(r)))
    };
    let passive_subject = find(verb, &|r| r == "nsubj:pass");
    if let Some(target) = passive_subject {
        let agent = find(verb, &|r| r == "obl:agent")
            .or_else(|| find(verb, &|r| r == "obl").filter(|&g| w[groups[g].first_word.saturating_sub(1)] == "by"))?;
        return Some(Found { source_group: agent, target_group: Some(target) });
    }
    let mut subject = find(verb, &|r| r == "nsubj");
    if subject.is_none() && deps[verb].relation == "xcomp" {
        subject = deps[verb].head.and_then(|h| find(h, &|r| r == "nsubj"));
    }
    let source = subject?;
    let object = find(verb, &|r| matches!(r, "obj" | "iobj")).or_else(|| {
        find(verb, &|r| r == "obl")
            .filter(|&g| preceding_preposition(w, groups[g].first_word).is_some_and(|p| preps.iter().any(|x| x == p)))
    });
    Some(Found { source_group: source, target_group: object.filter(|&t| t != source) })
}

/// The speech verb whose clause opens at word `at`: "said (on Tuesday) (that) it ...".
fn speech_verb_before(w: &[&str], at: usize) -> Option<usize> {
    let mut j = at;
    while j > 0 && at - j < 5 {
        j -= 1;
        if is_speech_verb(w[j]) {
            return Some(j);
        }
        let filler = matches!(w[j], "that" | "on" | "today" | "yesterday" | "tonight" | "," | "in" | "a" | "statement")
            || w[j].ends_with("day");
        if !filler {
            return None;
        }
    }
    None
}

/// "Kishida's visit", "NATO’s criticism", "Chinese criticism": the actor owning a noun event.
fn possessor(w: &[&str], groups: &[Group], at: usize) -> Option<usize> {
    let gi = groups.iter().rposition(|g| g.last_word < at)?;
    let g = &groups[gi];
    let between = &w[g.last_word + 1..at];
    let possessive = between.first().is_some_and(|x| matches!(*x, "'s" | "’s" | "'" | "’"));
    (between.len() <= 3
        && (possessive || between.is_empty() || between.iter().all(|x| is_modifier(x) || x.ends_with("al"))))
    .then_some(gi)
}

/// "the participation of Prime Minister Kishida": the actor an event noun is "of".
fn of_complement(w: &[&str], groups: &[Group], end: usize) -> Option<usize> {
    // "the visit by the Indian prime minister": a "by" phrase names the actor too.
    if !matches!(w.get(end), Some(&("of" | "by"))) {
        return None;
    }
    groups.iter().position(|g| {
        g.first_word > end
            && g.first_word <= end + 4
            && (end + 1..g.first_word).all(|j| is_modifier(w[j]) || w[j] == "the")
    })
}

/// "Apart from attending the summit, Kishida will ...": a participle clause opening the
/// sentence takes the main clause's subject, the first actor after its comma.
fn fronted_participle_subject(w: &[&str], groups: &[Group], at: usize) -> Option<usize> {
    let opener = (0..at).all(|j| {
        matches!(w[j], "after" | "before" | "while" | "apart" | "from" | "besides" | "upon" | "on" | "since" | "when")
    });
    if at == 0 || !opener {
        return None;
    }
    let comma = (at..w.len()).find(|&j| w[j] == ",")?;
    groups.iter().position(|g| g.first_word > comma && g.first_word <= comma + 3)
}

/// "Japan held talks with NATO": a noun event that is the object of a light verb takes the
/// verb's subject.
fn light_verb_subject(
    view: &SentenceView,
    w: &[&str],
    groups: &[Group],
    at: usize,
    earlier: &[(TriggerMatch, Found)],
) -> Option<usize> {
    const LIGHT: &[&str] = &[
        "hold",
        "holds",
        "held",
        "have",
        "has",
        "had",
        "launch",
        "launched",
        "begin",
        "began",
        "conduct",
        "conducted",
        "make",
        "made",
        "pay",
        "paid",
        "attend",
        "attended",
        "accept",
        "accepted",
        "announce",
        "announced",
        "start",
        "started",
        "stage",
        "staged",
        "lead",
        "led",
        "sign",
        "signed",
        "unveil",
        "unveiled",
        "continue",
        "continued",
        "continuing",
        "resume",
        "resumed",
        "renew",
        "renewed",
        "undertake",
        "undertook",
        "open",
        "opened",
        "complete",
        "completed",
        "carry",
        "carried",
        "mount",
        "mounted",
        "organise",
        "organised",
        "organize",
        "organized",
        "call",
        "called",
        "declare",
        "declared",
        "impose",
        "imposed",
        "end",
        "ended",
        "joined",
        "join",
        "wage",
        "waged",
        "waging",
    ];
    let verb = (at.saturating_sub(5)..at).rev().find(|&j| LIGHT.contains(&w[j]))?;
    subject_group(view, w, groups, verb, earlier)
}

/// For a passive event with no agent ("were invited to the NATO summit"), the organisation
/// whose summit or meeting it is.
fn organiser(view: &SentenceView, w: &[&str], groups: &[Group], from: usize) -> Option<usize> {
    groups.iter().position(|g| {
        g.first_word >= from
            && g.first_word <= from + 6
            && g.actors.iter().any(|&a| matches!(view.actors[a].actor.kind.as_str(), "organization" | "grouping"))
            && (w
                .get(g.last_word + 1)
                .is_some_and(|x| matches!(*x, "summit" | "meeting" | "conference" | "talks" | "forum"))
                || g.actors.iter().all(|&a| view.actors[a].rule == "coref:the-summit"))
    })
}

/// Whether the trigger sits in what another actor said: "X said (that) Y ...".
fn reported_by_other(view: &SentenceView, w: &[&str], groups: &[Group], source: usize, at: usize) -> bool {
    (0..at).filter(|&i| is_speech_verb(w[i])).any(|say| {
        subject_group(view, w, groups, say, &[]).is_some_and(|speaker| {
            speaker != source
                && !groups[speaker].actors.iter().any(|&a| {
                    groups[source].actors.iter().any(|&b| same_actor(&view.actors[a].actor, &view.actors[b].actor))
                })
        })
    })
}
