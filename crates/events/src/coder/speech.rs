//! Reported speech: a speaker who judges another ("said the plan would destabilise the
//! region") disapproves of them, and acts told by another are reported, not asserted.

use super::*;

impl<'l> Coder<'l> {
    /// "China said NATO was extending its tentacles": a speaker judging another actor badly in
    /// what it says is disapproval, even without a disapproval verb.
    pub(super) fn speech_disapproval(
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
            words::is(WordList::SpeechNouns, w[i])
                && w[i.saturating_sub(3)..i].iter().any(|x| words::is(WordList::DeliveringVerbs, x))
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
                g.last_word < closes && !g.actors.iter().any(|&a| view.actors[a].surface == Surface::Occasion)
            })
        };
        let Some(judged) = after.or_else(quoted_before) else {
            return Vec::new();
        };
        let rest = groups[judged].last_word..w.len();
        let negative =
            rest.clone().any(|j| words::is(WordList::NegativeJudgement, w[j]) || w[j].starts_with("destabili"));
        // "Russia said Sudan must return the helicopter": what the speaker says the other must
        // do is a demand.
        // "... that President Kagame and his Rwandan Patriotic Front must agree": the modal may
        // follow a coordinated subject, within its clause.
        let clause = &w[rest.start..w.len().min(rest.start + 9)];
        let clause = &clause
            [..clause.iter().position(|x| words::is(WordList::ClauseBreaks, x) || *x == ",").unwrap_or(clause.len())];
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
                    plover: code.plover,
                    mode: code.mode.clone(),
                    goldstein: code.goldstein,
                    modality: Modality::Asserted,
                    date: when.map(|(d, _)| d),
                    date_rule: when.map_or("date:none", |(_, r)| r),
                    location: None,
                    rule: rule.to_string(),
                    // Read off a judgement in what was said, not a word naming the act: one
                    // step of inference more than a trigger.
                    confidence: confidence(&Support {
                        specificity: 1,
                        gap: say.abs_diff(groups[speaker].last_word + 1),
                        source: source.surface,
                        target: Some(target.surface),
                        passive: false,
                        inferred: true,
                    }),
                });
            }
        }
        events
    }
}

/// The speech verb whose clause opens at word `at`: "said (on Tuesday) (that) it ...".
pub(super) fn speech_verb_before(w: &[&str], at: usize) -> Option<usize> {
    let mut j = at;
    while j > 0 && at - j < 5 {
        j -= 1;
        if is_speech_verb(w[j]) {
            return Some(j);
        }
        let filler = words::is(WordList::SpeechFillers, w[j]) || w[j].ends_with("day");
        if !filler {
            return None;
        }
    }
    None
}

/// Whether the trigger sits in what another actor said: "X said (that) Y ...".
pub(super) fn reported_by_other(view: &SentenceView, w: &[&str], groups: &[Group], source: usize, at: usize) -> bool {
    (0..at).filter(|&i| is_speech_verb(w[i])).any(|say| {
        subject_group(view, w, groups, say, &[]).is_some_and(|speaker| {
            speaker != source
                && !groups[speaker].actors.iter().any(|&a| {
                    groups[source].actors.iter().any(|&b| same_actor(&view.actors[a].actor, &view.actors[b].actor))
                })
        })
    })
}
