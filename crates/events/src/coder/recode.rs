//! Recoding: one act governed by another ("pledged aid", "threatened to cut supplies",
//! "refused offers of aid") takes the governor's code; violence, protest and domestic targets
//! take the code their actors call for.

use super::*;

impl<'l> Coder<'l> {
    /// Whether a trigger is the act an accusation before it alleges: "accused X of attacking".
    pub(super) fn is_alleged(&self, w: &[&str], found: &[(TriggerMatch, Found)], m: &TriggerMatch) -> bool {
        let Some((prev, _)) = found.last() else { return false };
        let accusation = self.lexicon.trigger(prev.trigger).code.starts_with("11");
        accusation
            && m.form == Form::Gerund
            && m.start > 0
            && w[m.start - 1] == "of"
            && m.start - prev.end <= 6
            && !(prev.end..m.start).any(|j| words::is(WordList::ClauseBreaks, w[j]))
    }

    /// The verb just before a trigger that governs it: a pledge (CAMEO 030) of a cooperative
    /// act named by a noun ("pledged aid"), a threat (13x) of a hostile act ("threatened to
    /// cut supplies"), or a refusal (12x) of an offer or cooperative act ("refused offers of
    /// aid").
    pub(super) fn governor_before(
        &self,
        w: &[&str],
        found: &[(TriggerMatch, Found)],
        m: &TriggerMatch,
    ) -> Option<(TriggerMatch, Governed)> {
        let governed = self.lexicon.trigger(m.trigger);
        let (prev, _) = found.last()?;
        let governor = self.lexicon.trigger(prev.trigger);
        let close = prev.end <= m.start && m.start - prev.end <= 7;
        let one_clause = !(prev.end..m.start).any(|j| words::is(WordList::ClauseBreaks, w[j]) || w[j] == ",");
        if governor.pos != Pos::Verb || !close || !one_clause {
            return None;
        }
        // "refused offers of aid": a verb's -s form right after another verb is a plural noun.
        let object_words =
            |j: usize| words::is(WordList::Determiners, w[j]) || words::is(WordList::ActNouns, w[j]) || w[j] == "for";
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
    pub(super) fn trigger_follows(&self, words: &[&str], from: usize, blocked: &dyn Fn(usize) -> bool) -> Option<&str> {
        // "agreed to US mediation": an actor before the noun makes it the object, not an act.
        (from..(from + 4).min(words.len()))
            .take_while(|&j| !blocked(j))
            .find_map(|j| self.lexicon.match_at(words, j, blocked, WordBefore::Other))
            .map(|m| self.lexicon.trigger(m.trigger).code.as_str())
    }
}

/// The CAMEO "express intent" code for a cooperative act: consult → 036, diplomatic
/// cooperation → 032, material cooperation → 031x, aid → 033x, yield → 035x, mediation → 039
/// (the `intent` table of `data/words/recode.tsv`).
pub(super) fn intent_code(code: &str) -> Option<&'static str> {
    words::recode(RecodeTable::Intent, code)
}

/// The CAMEO "threaten" code for a hostile act still to come: protest → 133, sanctions and
/// reduced relations → 131x, coercion → 132x or 137, violence → 137/138x (the `threat` table).
pub(super) fn threat_code(code: &str) -> Option<&'static str> {
    words::recode(RecodeTable::Threat, code)
}

/// The CAMEO "reject" code for refusing a cooperative act: to meet → 125, to mediate → 126,
/// to cooperate materially → 121, to give aid → 122, to yield → 124x (the `reject` table).
pub(super) fn reject_code(code: &str) -> Option<&'static str> {
    words::recode(RecodeTable::Reject, code)
}

/// CAMEO tells killing and attacks with military weapons (19x, FIGHT) from those with bombs
/// or blades (18x, ASSAULT); the verb alone does not. The sentence's weapons decide.
pub(super) fn violence_code(code: &str, w: &[&str], source: &crate::view::ActorSpan) -> Option<&'static str> {
    let source_sector = source.actor.sector.as_deref();
    // Gunmen and militiamen are not armies: their attacks are assaults.
    let irregular_source = matches!(source.rule.as_str(), "agent:gunmen" | "agent:militiamen" | "agent:militia");
    let has = |list: WordList| w.iter().any(|x| words::is(list, x));
    let people = matches!(source_sector, Some("CVL" | "LAB" | "EDU" | "OPP" | "AGR"));
    match code {
        // Workers who strike stop work; people who clash riot.
        "190" if people && has(WordList::StrikeWords) => Some("143"),
        "190" if people => Some("145"),
        "1823" | "180" if has(WordList::Aerial) => Some("195"),
        "1823" | "180" if has(WordList::Heavy) => Some("194"),
        "1823" | "180" if has(WordList::SmallArms) => Some("193"),
        "1823" if source_sector == Some("MIL") && has(WordList::MilitaryAttack) => Some("190"),
        "190" if (has(WordList::Irregular) || irregular_source) && source_sector != Some("MIL") => Some("180"),
        _ => None,
    }
}

/// Whether an actor is people rather than a state acting: a people named by a plural demonym
/// ("Palestinians"; "Nigerian" before a minister's title is the state, "Palestinian leaders"
/// a government), or civilians, opposition, workers, students, farmers, refugees, rebels.
pub(super) fn is_people(source: &crate::view::ActorSpan, text: &str) -> bool {
    let plural_demonym =
        source.surface == Surface::Demonym && source.actor.sector.is_none() && source.span.of(text).ends_with('s');
    plural_demonym
        || matches!(source.actor.sector.as_deref(), Some("CVL" | "OPP" | "LAB" | "EDU" | "AGR" | "REF" | "REB"))
}

/// "Protest" is a diplomatic complaint (114) when a government makes it, a demonstration
/// (141) when people do: a people named by their demonym ("Palestinians"), civilians,
/// students, workers, or crowds.
pub(super) fn street_protest_code(
    code: &str,
    w: &[&str],
    source: &crate::view::ActorSpan,
    text: &str,
) -> Option<&'static str> {
    if code != "114" {
        return None;
    }
    let people = is_people(source, text);
    let crowd = w.iter().any(|x| words::is(WordList::CrowdWords, x));
    (people || crowd).then_some("141")
}

/// The target a domestic event implies when the sentence names none: people protesting or
/// demanding act against their own government; a government imposing or lifting a curfew, an
/// emergency or restrictions acts on its own people.
pub(super) fn domestic_target(code: &str, source: &crate::view::ActorSpan, text: &str) -> Option<ActorRef> {
    let actor = &source.actor;
    if actor.kind != ActorKind::State {
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

/// How a verb governs the act after it.
#[derive(Clone, Copy)]
pub(super) enum Governed {
    Pledged,
    Threatened,
    Refused,
}

/// Gives the events of a governing verb (trigger span `governor`) the code of what it
/// governs (an intent for a pledge, a threat for a threat; a refusal keeps its own) and,
/// where they have none, its target.
pub(super) fn fold_into_governor<'e>(
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
            e.plover = code.plover;
            e.mode = code.mode.clone();
            e.goldstein = code.goldstein;
        } else if matches!(how, Governed::Threatened) && first.cameo.starts_with("13") {
            e.cameo = first.cameo.clone();
            e.plover = first.plover;
            e.mode = first.mode.clone();
            e.goldstein = first.goldstein;
        }
        if e.target.is_none() {
            e.target = first.target.clone();
        }
    }
}

/// What the recode stage starts from: the trigger's code, the modality read so far, and the
/// words before the trigger that carry it (from `clause_start`, where its clause begins).
pub(super) struct Recoding<'b, 'w> {
    pub code: &'static crate::codes::CameoCode,
    pub modality: Modality,
    pub before: &'b [&'w str],
    pub clause_start: usize,
}

impl Coder<'_> {
    /// The recode stage: the code an act takes beyond its trigger's (a withdrawal from a
    /// state, joining a body, peacekeepers arriving, violence and protest by who does them, an
    /// intent or a threat for an act still to come, a refusal), with the modality that goes
    /// with it.
    pub(super) fn recode(
        &self,
        view: &SentenceView,
        w: &[&str],
        groups: &[Group],
        m: &TriggerMatch,
        f: &Found,
        r: Recoding,
    ) -> (&'static crate::codes::CameoCode, Modality) {
        let trigger = self.lexicon.trigger(m.trigger);
        let source_group = &groups[f.source_group];
        let Recoding { mut code, mut modality, before, clause_start } = r;
        let source = &view.actors[source_group.actors[0]];
        // Withdrawing from a country is a retreat; from talks or a body, reduced relations.
        let from_state = f
            .target_group
            .is_some_and(|t| groups[t].actors.iter().all(|&a| view.actors[a].actor.kind == ActorKind::State));
        if trigger.has(Trait::Withdrawal)
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
                && !w.get(tg.last_word + 1).is_some_and(|x| words::is(WordList::VenueNouns, x))
                && tg
                    .actors
                    .iter()
                    .all(|&a| matches!(view.actors[a].actor.kind, ActorKind::Organization | ActorKind::Grouping))
        });
        if trigger.has(Trait::Joining)
            && joins_body
            && let Some(c) = codes::lookup("050")
        {
            code = c;
        }
        // "NATO peacekeeping troops have arrived in Bosnia": peacekeepers who arrive
        // provide peacekeeping (074); they do not visit.
        let peacekeepers =
            w[m.start.saturating_sub(5)..m.start].iter().any(|x| x.starts_with("peacekeep") || *x == "peace-keeping");
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
            && refused(before)
            && let Some(c) = reject_code(&code.code).and_then(codes::lookup)
        {
            (code, modality) = (c, Modality::Asserted);
        }
        (code, modality)
    }
}
