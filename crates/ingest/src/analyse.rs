//! The analysis stages after text: actors (mentions, people, roles), events, and the facts
//! they make, with evidence pointing at the stored document's bytes.

use entente_actors::{ActorAnnotations, ActorKind, KnowledgeBase, Mention, MentionFinder, Person, RoleFact};
use entente_document::Document;
use entente_events::{
    ActorRef, ActorSpan, CodedEvent, Coder, EventCoder, Lexicon, SentenceActors, SentenceView, Surface,
};
use entente_store::{Evidence, FactRecord, MentionRow};
use regex::Regex;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// What one document adds to the store besides itself.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    pub mentions: Vec<MentionRow>,
    pub facts: Vec<(FactRecord, Vec<Evidence>)>,
    pub people: Vec<Person>,
    pub events: usize,
}

/// The stages after text, built once per run.
pub struct Analyser {
    finder: MentionFinder<'static>,
    /// The event coder: the rules by default, any [`EventCoder`] by `with_coder`.
    coder: Box<dyn EventCoder>,
    /// PETRARCH actor dictionaries, when the user codes with their own.
    petrarch: Option<&'static entente_events::petrarch::ActorFinder>,
    /// People learned so far (from the store and this run), recognised by full name.
    known: Vec<Person>,
    /// The dependency parser, when the coder should read subjects and objects off a parse.
    parser: Option<&'static entente_syntax::Analyzer>,
}

impl Analyser {
    pub fn new(known: Vec<Person>) -> Self {
        Analyser {
            finder: MentionFinder::new(KnowledgeBase::builtin()),
            coder: Box::new(Coder::new(Lexicon::builtin())),
            petrarch: None,
            known,
            parser: None,
        }
    }

    /// Parses each sentence (entente-syntax) so the coder takes subjects, objects and agents
    /// from the parse, and falls back to its word rules where the parse names no source.
    pub fn with_parser(mut self, parser: &'static entente_syntax::Analyzer) -> Self {
        self.parser = Some(parser);
        self
    }

    /// Codes events with another coder (a learned one, say); actors, facts and evidence stay
    /// as they are.
    pub fn with_coder(mut self, coder: Box<dyn EventCoder>) -> Self {
        self.coder = coder;
        self
    }

    /// Codes with PETRARCH-2 / Phoenix dictionaries: their verbs and their actors.
    pub fn with_dictionaries(
        known: Vec<Person>,
        dictionaries: &'static entente_events::petrarch::Dictionaries,
    ) -> Self {
        Analyser {
            finder: MentionFinder::new(KnowledgeBase::builtin()),
            coder: Box::new(Coder::new(&dictionaries.verbs)),
            petrarch: Some(&dictionaries.actors),
            known,
            parser: None,
        }
    }

    /// The actors of a document, remembering the people it names for later documents.
    pub fn actors(&mut self, doc: &Document) -> (ActorAnnotations, Vec<ActorSpan>) {
        let actors = entente_actors::annotate(doc, &self.finder, &self.known);
        self.learn(actors.people.clone());
        let spans: Vec<ActorSpan> =
            actors.mentions.iter().map(|m| actor_span(m, &actors.people, &actors.roles)).collect();
        (actors, spans)
    }

    /// The events of every sentence of a document, given its actors.
    pub fn events(&self, doc: &Document, spans: &[ActorSpan]) -> Vec<CodedEvent> {
        let mut parses = self.parser.map(|p| parse(p, doc)).unwrap_or_default().into_iter();
        let by_sentence = SentenceActors::new(spans);
        let mut events: Vec<CodedEvent> = (0..doc.sentences.len())
            .flat_map(|i| {
                let syntax = parses.next();
                let actors = by_sentence.inside(doc.sentences[i].span);
                // The coder codes nothing in a sentence without an actor: no view is built.
                if actors.is_empty() {
                    return Vec::new();
                }
                let mut view = SentenceView::with_actors(doc, i, actors);
                view.syntax = syntax;
                self.coder.code(&view, doc.date.date)
            })
            .collect();
        place_at_the_documents_summit(doc, spans, &mut events);
        events
    }

    /// The actor spans and coded events of a document, with whichever actors and lexicon this
    /// analyser codes with (its own, or PETRARCH dictionaries'), for showing without storing.
    pub fn code(&mut self, doc: &Document) -> (Vec<ActorSpan>, Vec<CodedEvent>) {
        let spans = match self.petrarch {
            Some(finder) => dictionary_spans(doc, finder),
            None => self.actors(doc).1,
        };
        let events = self.events(doc, &spans);
        (spans, events)
    }

    /// Analyses a document stored under `doc_id`.
    pub fn analyse(&mut self, doc: &Document, doc_id: &str) -> Analysis {
        let mut learned = None;
        // A panic is the caller's to catch (ingest makes it the document's error); the people
        // found before it stay learned, as they always were.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.analyse_against(doc, doc_id, &self.known, &mut learned)
        }));
        self.learn(learned.unwrap_or_default());
        result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    /// Adds people to those recognised by full name, each once.
    fn learn(&mut self, people: Vec<Person>) {
        for p in people {
            if !self.known.iter().any(|k| k.id == p.id) {
                self.known.push(p);
            }
        }
    }

    /// Analyses a document stored under `doc_id` against the people `known` before it,
    /// without changing the analyser: what ingest's threads share. `learned` is set to the
    /// document's people as soon as they are found, so a caller that catches a later panic
    /// still learns them, as [`Analyser::analyse`] does.
    pub fn analyse_against(
        &self,
        doc: &Document,
        doc_id: &str,
        known: &[Person],
        learned: &mut Option<Vec<Person>>,
    ) -> Analysis {
        if let Some(finder) = self.petrarch {
            return self.analyse_with_dictionaries(doc, doc_id, finder);
        }
        let actors = entente_actors::annotate(doc, &self.finder, known);
        *learned = Some(actors.people.clone());
        let spans: Vec<ActorSpan> =
            actors.mentions.iter().map(|m| actor_span(m, &actors.people, &actors.roles)).collect();
        let mut analysis = Analysis { people: actors.people.clone(), ..Default::default() };
        for m in &actors.mentions {
            analysis.mentions.push(MentionRow {
                sentence: doc.sentence_at(m.span.start).unwrap_or(0),
                start: m.span.start,
                end: m.span.end,
                actor: m.actor.clone(),
                rule: m.rule.to_string(),
            });
        }
        let actor_ids: std::collections::BTreeSet<&str> = actors.mentions.iter().map(|m| m.actor.as_str()).collect();
        for id in actor_ids {
            let span = spans.iter().find(|s| s.actor.id == id).expect("a mention of each actor");
            analysis.facts.push((actor_fact(&span.actor), Vec::new()));
        }
        analysis.facts.extend(role_facts(doc, doc_id, &actors));
        analysis.facts.extend(membership_facts(doc, doc_id, &actors));
        analysis.facts.extend(grouping_facts(doc, doc_id, &actors, &mut analysis.mentions));
        analysis.facts.extend(dated_relation_facts(doc, doc_id, &actors));
        for fact in self.events(doc, &spans).iter().filter_map(|e| event_fact(e, doc_id)) {
            analysis.events += 1;
            analysis.facts.push(fact);
        }
        analysis
    }
}

impl Analyser {
    /// With PETRARCH dictionaries, actors come from them sentence by sentence; there are no
    /// office-holders or memberships to read.
    fn analyse_with_dictionaries(
        &self,
        doc: &Document,
        doc_id: &str,
        finder: &entente_events::petrarch::ActorFinder,
    ) -> Analysis {
        let spans = dictionary_spans(doc, finder);
        let mut analysis = Analysis::default();
        for a in &spans {
            analysis.mentions.push(MentionRow {
                sentence: doc.sentence_at(a.span.start).unwrap_or(0),
                start: a.span.start,
                end: a.span.end,
                actor: a.actor.id.clone(),
                rule: a.rule.clone(),
            });
            if !analysis.facts.iter().any(|(f, _)| f.id == format!("actor:{}", a.actor.id)) {
                analysis.facts.push((actor_fact(&a.actor), Vec::new()));
            }
        }
        for fact in self.events(doc, &spans).iter().filter_map(|e| event_fact(e, doc_id)) {
            analysis.events += 1;
            analysis.facts.push(fact);
        }
        analysis
    }
}

/// Actors found sentence by sentence with PETRARCH actor and agent dictionaries.
fn dictionary_spans(doc: &Document, finder: &entente_events::petrarch::ActorFinder) -> Vec<ActorSpan> {
    doc.sentences.iter().flat_map(|s| finder.find(s.span.of(&doc.text), s.span.start, doc.date.date)).collect()
}

/// "were invited to the Atlantic Alliance summit": a sentence that speaks of a summit without
/// naming where is about the summit the document places elsewhere, when it places exactly one
/// for that organisation. Such events take its venue and date.
fn place_at_the_documents_summit(doc: &Document, spans: &[ActorSpan], events: &mut [CodedEvent]) {
    let summit_sentences: Vec<bool> = doc
        .sentences
        .iter()
        .map(|s| {
            doc.tokens[s.token_range()].iter().any(|t| t.span.of(&doc.text).to_ascii_lowercase().starts_with("summit"))
        })
        .collect();
    let speaks_of_summit = |i: usize| summit_sentences[i];
    // The summits the document places: a summit sentence naming a venue where one of the
    // sentence's actors held a known summit.
    let mut summits: Vec<(entente_events::Location, entente_document::PartialDate)> = Vec::new();
    let by_sentence = SentenceActors::new(spans);
    for i in (0..doc.sentences.len()).filter(|&i| speaks_of_summit(i)) {
        let view = SentenceView::with_actors(doc, i, by_sentence.inside(doc.sentences[i].span));
        let actors: Vec<&str> = view.actors.iter().map(|a| a.actor.id.as_str()).collect();
        for (_, venue) in entente_events::Places::builtin().venues(&view) {
            let country = venue.country.as_deref();
            if let Some(date) =
                entente_events::summits::summit_date(&actors, &venue.name, country, doc.date.date, false)
                && !summits.iter().any(|(v, _)| v.name == venue.name)
            {
                summits.push((venue, date));
            }
        }
    }
    let [(venue, date)] = &summits[..] else { return };
    let organisation = |e: &CodedEvent| {
        [Some(&e.source), e.target.as_ref()]
            .into_iter()
            .flatten()
            .any(|a| matches!(a.kind, ActorKind::Organization | ActorKind::Grouping))
    };
    for e in events.iter_mut() {
        let undated = matches!(e.date_rule, "date:none" | "date:document");
        if e.location.is_none() && undated && organisation(e) && speaks_of_summit(e.sentence) {
            e.location = Some(venue.clone());
            e.date = Some(*date);
            e.date_rule = "date:summit-in-document";
        }
    }
}

/// Each sentence's dependencies from the parser, word for word with the document's tokens.
fn parse(parser: &entente_syntax::Analyzer, doc: &Document) -> Vec<Vec<entente_events::Dependency>> {
    let sentences: Vec<Vec<&str>> = doc
        .sentences
        .iter()
        .map(|s| doc.tokens[s.token_range()].iter().map(|t| t.span.of(&doc.text)).collect())
        .collect();
    parser
        .analyze_all(&sentences)
        .into_iter()
        .map(|words| {
            words
                .into_iter()
                .map(|w| entente_events::Dependency { head: w.head.checked_sub(1), relation: w.deprel, upos: w.upos })
                .collect()
        })
        .collect()
}

/// The export contract's reference to an actor, from a mention.
fn actor_span(m: &Mention, people: &[Person], roles: &[RoleFact]) -> ActorSpan {
    let kb = KnowledgeBase::builtin();
    let actor = match m.kind {
        ActorKind::Person => {
            let p = people.iter().find(|p| p.id == m.actor);
            let country = p.and_then(|p| p.country.clone());
            // "U.N. Secretary-General Kofi Annan": a person of no state acts for the
            // organisation the document gives them a current office in (as the graph does
            // from role facts across documents).
            let acts_for = country
                .is_none()
                .then(|| roles.iter().find(|r| r.person == m.actor && !r.former).map(|r| r.of.clone()))
                .flatten();
            ActorRef {
                id: m.actor.clone(),
                kind: ActorKind::Person,
                name: p.map_or_else(|| m.actor.clone(), |p| p.name.clone()),
                country,
                sector: None,
                acts_for,
            }
        }
        kind => {
            let known = kb.actor(&m.actor);
            ActorRef {
                id: m.actor.clone(),
                kind,
                name: known.map_or_else(|| m.actor.clone(), |a| a.name.clone()),
                // An armed group's or party's home state ("Hamas": PSE); none for states.
                country: known.and_then(|a| a.country.clone()),
                sector: m.sector.clone(),
                // An organ acts for its organisation: the European Commission's act counts
                // for the EU too.
                acts_for: known.and_then(|a| a.part_of.clone()),
            }
        }
    };
    let surface = match m.surface {
        entente_actors::Surface::Name => Surface::Name,
        entente_actors::Surface::Demonym => Surface::Demonym,
        entente_actors::Surface::Capital => Surface::Capital,
        entente_actors::Surface::Reference => Surface::Reference,
        entente_actors::Surface::Occasion => Surface::Occasion,
        entente_actors::Surface::Pronoun => Surface::Pronoun,
    };
    ActorSpan { span: m.span, actor, surface, rule: m.rule.to_string() }
}

/// An actor as the export names it: the reference without the sector of one mention.
fn actor_fact(actor: &ActorRef) -> FactRecord {
    let plain = ActorRef { sector: None, ..actor.clone() };
    FactRecord {
        id: format!("actor:{}", actor.id),
        kind: "actor".into(),
        body: json!({ "actor": plain }).to_string(),
        confidence: if actor.kind == ActorKind::Person { 0.8 } else { 1.0 },
    }
}

fn reference(id: &str, people: &[Person]) -> Value {
    if let Some(p) = people.iter().find(|p| p.id == id) {
        return json!({ "id": p.id, "type": ActorKind::Person, "name": p.name, "country": p.country });
    }
    let kb = KnowledgeBase::builtin();
    match kb.actor(id) {
        Some(a) => match &a.country {
            // An armed group or party: its home state, as the contract's "other" refs carry.
            Some(country) => json!({ "id": a.id, "type": a.kind, "name": a.name, "country": country }),
            None => json!({ "id": a.id, "type": a.kind, "name": a.name }),
        },
        None => json!({ "id": id, "type": ActorKind::Other, "name": id }),
    }
}

fn evidence(doc: &Document, doc_id: &str, start: usize, end: usize, rule: &str) -> Evidence {
    Evidence {
        doc: doc_id.to_string(),
        sentence: doc.sentence_at(start).unwrap_or(0),
        start,
        end,
        rule: rule.to_string(),
    }
}

fn role_facts(doc: &Document, doc_id: &str, actors: &ActorAnnotations) -> Vec<(FactRecord, Vec<Evidence>)> {
    actors
        .roles
        .iter()
        .map(|r| {
            let body = json!({
                "person": reference(&r.person, &actors.people),
                "role": r.role,
                "of": reference(&r.of, &actors.people),
                "start": Value::Null,
                "end": Value::Null,
                "former": r.former,
            });
            let fact = FactRecord {
                id: format!("role:{}:{}:{}", r.person, r.role.replace(' ', "-"), r.of),
                kind: "role".into(),
                body: body.to_string(),
                confidence: 0.9,
            };
            (fact, vec![evidence(doc, doc_id, r.span.start, r.span.end, r.rule)])
        })
        .collect()
}

/// Memberships the knowledge base knows, for a member and group named in one sentence here:
/// the sentence is the evidence that the text speaks of the tie.
fn membership_facts(doc: &Document, doc_id: &str, actors: &ActorAnnotations) -> Vec<(FactRecord, Vec<Evidence>)> {
    let kb = KnowledgeBase::builtin();
    let mut out = Vec::new();
    for (i, here) in doc.by_sentence(&actors.mentions, |m| m.span).into_iter().enumerate() {
        for g in here.iter().filter(|m| matches!(m.kind, ActorKind::Organization | ActorKind::Grouping)) {
            for ms in kb.members_of(&g.actor) {
                // A leader named in the sentence speaks for their state ("Albanese will host
                // Kishida, Biden and Modi for the Quad").
                let stands_for = |m: &&&Mention| {
                    m.actor == ms.member
                        || (m.kind == ActorKind::Person
                            && actors
                                .people
                                .iter()
                                .any(|p| p.id == m.actor && p.country.as_deref() == Some(&ms.member)))
                };
                let Some(member) = here.iter().find(stands_for) else { continue };
                let (start, end) = (member.span.start.min(g.span.start), member.span.end.max(g.span.end));
                let ev = Evidence { doc: doc_id.to_string(), sentence: i, start, end, rule: "kb:memberships".into() };
                let date = |d: Option<entente_document::PartialDate>| d.map_or(Value::Null, |d| json!(d.to_string()));
                let (a, b) = (reference(&ms.member, &[]), reference(&ms.group, &[]));
                let fact = if ms.status == "partner" {
                    let body = json!({ "a": a, "b": b, "name": Value::Null, "start": date(ms.since), "end": date(ms.until), "source": "knowledge base" });
                    FactRecord {
                        id: format!("partnership:{}:{}", ms.member, ms.group),
                        kind: "partnership".into(),
                        body: body.to_string(),
                        confidence: 0.95,
                    }
                } else {
                    let body = json!({ "member": a, "group": b, "status": ms.status, "start": date(ms.since), "end": date(ms.until), "source": "knowledge base" });
                    FactRecord {
                        id: format!("membership:{}:{}:{}", ms.member, ms.group, ms.status),
                        kind: "membership".into(),
                        body: body.to_string(),
                        confidence: 0.95,
                    }
                };
                out.push((fact, vec![ev]));
            }
        }
    }
    out
}

/// How a sentence dates a tie: "joined NATO in 2023" starts a membership, "a partner since
/// 2014" a partnership, "withdrew from ... in 2019" ends one.
struct TieCue {
    pattern: &'static LazyLock<Regex>,
    kind: &'static str,
    status: &'static str,
    /// Whether the date ends the tie (else it starts it).
    ends: bool,
    rule: &'static str,
}

static JOINED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:joined|joins|became (?:a |the )?(?:\w+ )?member of|acceded to|was admitted (?:to|into))\b")
        .expect("compiles")
});
static PARTNER_SINCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bpartners?(?:hip)?\b[^.;]{0,80}?\bsince\b").expect("compiles"));
static MEMBER_SINCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bmembers?(?:hip)?\b[^.;]{0,80}?\bsince\b").expect("compiles"));
static LEFT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:left|leaves|withdrew from|withdraws from|quit|exited|was expelled from)\b").expect("compiles")
});

static TIE_CUES: [TieCue; 4] = [
    TieCue { pattern: &JOINED, kind: "membership", status: "member", ends: false, rule: "text:joined" },
    TieCue { pattern: &MEMBER_SINCE, kind: "membership", status: "member", ends: false, rule: "text:member-since" },
    TieCue { pattern: &PARTNER_SINCE, kind: "partnership", status: "partner", ends: false, rule: "text:partner-since" },
    TieCue { pattern: &LEFT, kind: "membership", status: "former", ends: true, rule: "text:left" },
];

/// Memberships and partnerships the text dates: a state named before the cue, an
/// organisation or grouping after it (or before, for "partner ... since"), and the date
/// nearest after the cue in the same sentence. Each reading is a fact of its own (its id names
/// the date), so a text that dates a tie differently from the knowledge base or another text
/// stands beside it rather than overwriting it.
fn dated_relation_facts(doc: &Document, doc_id: &str, actors: &ActorAnnotations) -> Vec<(FactRecord, Vec<Evidence>)> {
    let mut out = Vec::new();
    for (i, here) in doc.by_sentence(&actors.mentions, |m| m.span).into_iter().enumerate() {
        let sentence = &doc.sentences[i];
        let text = sentence.span.of(&doc.text);
        for cue in &TIE_CUES {
            for found in cue.pattern.find_iter(text) {
                let (cue_start, cue_end) = (sentence.span.start + found.start(), sentence.span.start + found.end());
                // The member is the actor named last before the cue ("NEW DELHI — The African
                // Union joined": the union, not the dateline's capital).
                let state = here.iter().rev().find(|m| m.span.end <= cue_start && m.kind != ActorKind::Person);
                let is_group = |m: &&&Mention| matches!(m.kind, ActorKind::Organization | ActorKind::Grouping);
                let group = here
                    .iter()
                    .find(|m| m.span.start >= cue_start && is_group(m))
                    .or_else(|| here.iter().rev().find(|m| m.span.end <= cue_start && is_group(m)))
                    .filter(|g| state.is_none_or(|s| s.actor != g.actor));
                let (Some(state), Some(group)) = (state, group) else { continue };
                let dates = entente_events::when::sentence_dates(text, doc.date.date, false);
                let Some(date) = dates.iter().filter(|d| d.at >= found.end()).min_by_key(|d| d.at) else { continue };
                let date = date.date.to_string();
                let (member, group_ref) = (reference(&state.actor, &[]), reference(&group.actor, &[]));
                let (start, end) = if cue.ends { (Value::Null, json!(date)) } else { (json!(date), Value::Null) };
                let body = if cue.kind == "partnership" {
                    json!({ "a": member, "b": group_ref, "name": Value::Null, "start": start, "end": end, "source": "text" })
                } else {
                    json!({ "member": member, "group": group_ref, "status": cue.status, "start": start, "end": end, "source": "text" })
                };
                let id = format!("{}:{}:{}:{}:text:{date}", cue.kind, state.actor, group.actor, cue.status);
                let fact = FactRecord { id, kind: cue.kind.into(), body: body.to_string(), confidence: 0.75 };
                let span_end = cue_end.max(state.span.end).max(group.span.end);
                out.push((
                    fact,
                    vec![Evidence {
                        doc: doc_id.into(),
                        sentence: i,
                        start: state.span.start.min(group.span.start),
                        end: span_end,
                        rule: cue.rule.into(),
                    }],
                ));
            }
        }
    }
    out
}

/// Groupings the text defines ("..., known as the AP4", "a trilateral meeting among ..."):
/// membership facts for each member, and for a grouping the knowledge base does not know, an
/// actor of its own with its name as a mention.
fn grouping_facts(
    doc: &Document,
    doc_id: &str,
    actors: &ActorAnnotations,
    mentions: &mut Vec<MentionRow>,
) -> Vec<(FactRecord, Vec<Evidence>)> {
    let mut out = Vec::new();
    for g in entente_actors::defined_groupings(&doc.text, &actors.mentions, &actors.people) {
        let group = if g.known {
            reference(&g.id, &[])
        } else {
            json!({ "id": g.id, "type": ActorKind::Grouping, "name": g.name })
        };
        if !g.known {
            out.push((
                FactRecord {
                    id: format!("actor:{}", g.id),
                    kind: "actor".into(),
                    body: json!({ "actor": group }).to_string(),
                    confidence: 0.8,
                },
                Vec::new(),
            ));
            if let Some(name) = g.name_span {
                let sentence = doc.sentence_at(name.start).unwrap_or(0);
                let row =
                    MentionRow { sentence, start: name.start, end: name.end, actor: g.id.clone(), rule: g.rule.into() };
                mentions.push(row);
            }
        }
        for member in &g.members {
            let body = json!({
                "member": reference(member, &[]), "group": group, "status": "member",
                "start": Value::Null, "end": Value::Null, "source": "text",
            });
            let fact = FactRecord {
                id: format!("membership:{member}:{}:member", g.id),
                kind: "membership".into(),
                body: body.to_string(),
                confidence: 0.8,
            };
            out.push((fact, vec![evidence(doc, doc_id, g.span.start, g.span.end, g.rule)]));
        }
    }
    out
}

/// An event mention: one coding of an event. Its id depends on who did what to whom, when,
/// as what, so the same coding from two sentences is one mention with two pieces of evidence;
/// entente-graph merges mentions that tell the same event into one `event` fact.
/// None for a coding whose CAMEO code is not three or four digits (a dictionary's
/// placeholder): the contract has no place for it.
fn event_fact(e: &CodedEvent, doc_id: &str) -> Option<(FactRecord, Vec<Evidence>)> {
    let event = e.event().ok()?;
    let key = format!(
        "{}|{}|{}|{}|{}|{}|{}",
        e.source.id,
        e.source.sector.as_deref().unwrap_or(""),
        e.target.as_ref().map_or("", |t| t.id.as_str()),
        e.cameo,
        e.date.map(|d| d.to_string()).unwrap_or_default(),
        e.modality.as_str(),
        e.location.as_ref().map_or("", |l| l.name.as_str()),
    );
    let hash: String = Sha256::digest(key.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect();
    let body = serde_json::to_string(&event).expect("an event is plain data and always serialises");
    let confidence = e.confidence;
    let fact =
        FactRecord { id: format!("mention:{hash}"), kind: entente_store::EVENT_MENTION.into(), body, confidence };
    let ev = Evidence {
        doc: doc_id.to_string(),
        sentence: e.sentence,
        start: e.span.start,
        end: e.span.end,
        rule: format!("{} {}", e.rule, e.date_rule),
    };
    Some((fact, vec![ev]))
}

/// People known from earlier runs: the person actors in the store.
pub fn people_from_facts(facts: &[(FactRecord, Vec<Evidence>)]) -> Vec<Person> {
    facts
        .iter()
        .filter_map(|(f, _)| {
            // A body that is no actor reference names no person to know (the graph refuses it).
            let v: Value = serde_json::from_str(&f.body).ok()?;
            let a = ActorRef::from_json(v.get("actor")?).ok()?;
            (a.kind == ActorKind::Person).then(|| Person::new(&a.id, &a.name, a.country))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use entente_document::Metadata;

    fn relations(text: &str) -> Vec<(String, String)> {
        let source = entente_sources::SourceDoc { id_hint: "t".into(), text: text.into(), ..Default::default() };
        let (doc, _) = crate::build_document(source, "h".into());
        let mut analyser = Analyser::new(Vec::new());
        let _ = Metadata::default();
        analyser
            .analyse(&doc, "t")
            .facts
            .into_iter()
            .filter(|(f, _)| f.id.contains(":text:"))
            .map(|(f, e)| (f.id, e[0].rule.clone()))
            .collect()
    }

    fn events(text: &str) -> Vec<CodedEvent> {
        let source = entente_sources::SourceDoc { id_hint: "t".into(), text: text.into(), ..Default::default() };
        let (doc, _) = crate::build_document(source, "h".into());
        let mut analyser = Analyser::new(Vec::new());
        let (_, spans) = analyser.actors(&doc);
        analyser.events(&doc, &spans)
    }

    #[test]
    fn a_summit_the_document_places_gives_venue_and_date_to_its_other_mentions() {
        let events = events("The NATO summit opened in Vilnius. NATO invited Japan to the summit.");
        let invite = events.iter().find(|e| e.sentence == 1 && e.source.id == "NATO").expect("the invitation is coded");
        assert_eq!(invite.location.as_ref().map(|l| l.name.as_str()), Some("Vilnius"));
        assert_eq!(invite.date.map(|d| d.to_string()).as_deref(), Some("2023-07-11"));
        assert_eq!(invite.date_rule, "date:summit-in-document");
    }

    #[test]
    fn an_office_holder_of_no_state_acts_for_the_organisation() {
        let events = events("U.N. Secretary-General Kofi Annan said he will withdraw weapons inspectors from Iraq.");
        let e = events.first().expect("the withdrawal is coded");
        assert_eq!((e.source.id.as_str(), e.source.acts_for.as_deref()), ("kofi-annan", Some("UN")));
    }

    #[test]
    fn the_text_dates_ties() {
        let got = relations("4 April 2023\n\nFinland formally joined NATO on Tuesday in Brussels.");
        assert_eq!(got, [("membership:FIN:NATO:member:text:2023-04-04".to_string(), "text:joined".to_string())]);
        let got = relations("Japan has been a partner of NATO since 2014.");
        assert_eq!(got, [("partnership:JPN:NATO:partner:text:2014".to_string(), "text:partner-since".to_string())]);
        let got = relations("The United Kingdom left the European Union in January 2020.");
        assert_eq!(got, [("membership:GBR:EU:former:text:2020-01".to_string(), "text:left".to_string())]);
        assert!(relations("Finland joined the talks with NATO.").is_empty(), "no date, no dated tie");
    }
}
