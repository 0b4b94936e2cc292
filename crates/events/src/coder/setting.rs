//! The events of one trigger: source and target pairs with their modality, date and place.

use super::*;

/// What one coding rests on, for its confidence.
pub(super) struct Support {
    /// Word slots of the trigger's pattern (see `Trigger::specificity`).
    pub(super) specificity: usize,
    /// Words between the source's group and the trigger.
    pub(super) gap: usize,
    pub(super) source: Surface,
    pub(super) target: Option<Surface>,
    pub(super) passive: bool,
    /// Read off something else the sentence says (a judgement in reported speech), not off a
    /// word naming the act.
    pub(super) inferred: bool,
}

/// The confidence of one coding, from what it rests on: a phrase trigger ("held talks with")
/// next to a named source and target is likelier right than a lone word a dozen words from a
/// resolved reference ("the alliance"). The weights are set by hand from the misses seen on
/// the tuning halves; `entente eval` is where they are to be calibrated.
pub(super) fn confidence(s: &Support) -> f64 {
    let surface = |x: Surface| match x {
        Surface::Name | Surface::Capital => 0.0,
        Surface::Demonym => -0.05,
        Surface::Reference | Surface::Occasion | Surface::Pronoun => -0.1,
    };
    let mut c: f64 = 0.55;
    c += if s.specificity >= 2 { 0.1 } else { 0.0 };
    c += match s.gap {
        0..=3 => 0.1,
        4..=12 => 0.0,
        _ => -0.1,
    };
    c += surface(s.source);
    c += s.target.map_or(0.0, |t| 0.05 + surface(t));
    c -= if s.passive { 0.05 } else { 0.0 };
    c -= if s.inferred { 0.1 } else { 0.0 };
    (c * 100.0).round().clamp(5.0, 95.0) / 100.0
}

impl<'l> Coder<'l> {
    pub(super) fn emit(
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
        let Some((pairs, mut how)) = self.pairs(view, w, groups, m, f) else {
            return Vec::new();
        };
        // "is pushing" is progressive, "was attacked" passive.
        let participle = matches!(m.form, Form::PastOrParticiple | Form::Participle);
        if f.target_told_before {
            how = "meeting-told-before";
        } else if f.source_group > f.target_group.unwrap_or(usize::MAX)
            || (participle && m.start > 0 && words::is(WordList::BeForms, w[m.start - 1]))
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
        } else if trigger.pos != Pos::Verb && modality == Modality::Asserted && still_to_come_after(w, m.end) {
            // "A trilateral meeting among ... is slated to occur": a noun event the clause
            // puts ahead is planned.
            modality = Modality::Planned;
        }
        let (code, modality) = match self.lexicon.codes_are_final {
            true => (code, modality),
            false => self.recode(view, w, groups, m, f, Recoding { code, modality, before: &before, clause_start }),
        };
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
            let gap = if source_group.last_word < m.start {
                m.start - source_group.last_word - 1
            } else {
                source_group.first_word.saturating_sub(m.end)
            };
            let support = Support {
                specificity: trigger.specificity(),
                gap,
                source: view.actors[s].surface,
                target: t.map(|t| view.actors[t].surface),
                passive: how == "passive",
                inferred: false,
            };
            events.push(CodedEvent {
                sentence: view.index,
                span,
                trigger: trigger_span,
                source,
                target,
                others: others.iter().map(|&o| view.actors[o].actor.clone()).collect(),
                cameo: code.code.clone(),
                plover: code.plover,
                mode: code.mode.clone(),
                goldstein: code.goldstein,
                modality,
                date: when.map(|(d, _)| d),
                date_rule: when.map_or("date:none", |(_, r)| r),
                location: location.clone(),
                rule: format!("rules:{}/{how}", trigger.pattern),
                confidence: confidence(&support),
            });
        }
        events
    }

    /// An event at a summit the sentence names ("attended the Nato summit in Madrid") takes
    /// the summit's date, unless the sentence dates it outright (a year or a full date).
    pub(super) fn summit_when(
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
        let explicit: Vec<PartialDate> = dates.iter().filter(|d| d.written).map(|d| d.date).collect();
        if explicit.len() == 1 || explicit.iter().any(|d| d.year == date.year) {
            return None;
        }
        Some((date, Location { name: city, country: location.country.clone() }))
    }

    /// The date nearest the trigger in its sentence; else the document's date for events the
    /// text reports as having happened.
    pub(super) fn date_for(
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
}

/// The state where a material act with no named target takes place: "the bombers killed 23
/// people in Tel Aviv" acts on Israel; troops "on alert in the West Bank" face the
/// Palestinians. People protesting abroad protest to the host state's government. The venue
/// must stand in the trigger's own clause, before any speech verb.
pub(super) fn place_target(
    view: &SentenceView,
    w: &[&str],
    code: &codes::CameoCode,
    source: &crate::view::ActorSpan,
    venues: &[(Span, Location)],
    trigger: Span,
) -> Option<ActorRef> {
    let protest = code.plover == Plover::Protest;
    if !(protest
        || matches!(code.plover, Plover::Assault | Plover::Fight | Plover::Coerce | Plover::Mobilize | Plover::Aid))
    {
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
        || between.iter().any(|x| is_speech_verb(x) || words::is(WordList::ClauseBreaks, x))
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
        .find(|a| a.actor.kind == ActorKind::State && a.actor.id == country)
        .map(|a| ActorRef { sector: None, ..a.actor.clone() })
        .unwrap_or_else(|| ActorRef::new(country, ActorKind::State, country));
    Some(if protest { ActorRef { sector: Some("GOV".into()), ..state } } else { state })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_follows_the_evidence() {
        let close = Support {
            specificity: 2,
            gap: 0,
            source: Surface::Name,
            target: Some(Surface::Name),
            passive: false,
            inferred: false,
        };
        let far = Support {
            specificity: 1,
            gap: 14,
            source: Surface::Reference,
            target: None,
            passive: true,
            inferred: false,
        };
        assert_eq!(confidence(&close), 0.8);
        assert_eq!(confidence(&far), 0.3);
        assert!(confidence(&Support { source: Surface::Demonym, ..close }) < 0.8);
        assert_eq!(confidence(&Support { inferred: true, ..close }), 0.7);
    }
}
