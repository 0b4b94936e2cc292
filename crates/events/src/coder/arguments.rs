//! Arguments: the source, target and other actors of a trigger, from the sentence's shape
//! (coordinated groups, voice, prepositions, possessors, appositions, relative clauses) and,
//! where one exists, its dependency parse.

use super::*;

/// Whether a word may stand between coordinated actors: a connector of `data/words`, a comma,
/// or "" (a caption marker the coder blanked).
pub(super) fn is_connector(x: &str) -> bool {
    x.is_empty() || x == "," || words::is(WordList::Connectors, x)
}

/// Whether the words just before `first_word` open a relative clause whose verb comes first
/// ("that attacked Serbia", "which has backed Kyiv"): the actor is that verb's object.
pub(super) fn inside_relative_clause(w: &[&str], first_word: usize) -> bool {
    let from = first_word.saturating_sub(6);
    let Some(rel) = (from..first_word).rev().find(|&j| matches!(w[j], "that" | "which" | "who")) else {
        return false;
    };
    let next = w.get(rel + 1).copied().unwrap_or("");
    let verb_first = words::is(WordList::Auxiliaries, next) || (next.len() > 3 && next.ends_with("ed"));
    verb_first && !(rel + 1..first_word).any(|j| matches!(w[j], "," | ";" | "that" | "which" | "who"))
}

/// How far after a passive verb its "by" agent may stand when no clause intervenes.
pub(super) const MAX_AGENT_DISTANCE: usize = 30;
/// The words that end the clause a target is looked for in, by the name the main loop asks
/// them under.
pub(super) const CLAUSE_BREAKS: WordList = WordList::ClauseBreaks;
pub(super) const MAX_TARGET_DISTANCE: usize = 14;
/// A run of actors joined by commas and "and": "Japan, South Korea and Australia".
#[derive(Clone, Debug)]
pub(super) struct Group {
    pub(super) actors: Vec<usize>,
    pub(super) first_word: usize,
    pub(super) last_word: usize,
    /// Two actors inside one word ("Japan-NATO"): a pair, not a list.
    pub(super) compound: bool,
    /// A possessive pronoun ("his respects", "her visit"): a determiner of the noun after
    /// it, which may own an event but is never an object or part of a list.
    pub(super) possessive: bool,
}

impl<'l> Coder<'l> {
    /// Source and target groups of a trigger, or None when it has no source.
    pub(super) fn roles(
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
                // "NATO leaders met in Vilnius and Japan's prime minister attended": an
                // attendance whose object goes unsaid joins the meeting just told, and its
                // convener is the target.
                let told_before = target.is_none().then(|| {
                    let (_, before) = earlier.last()?;
                    (trigger.has(Trait::Attends) && object_unsaid(w, m.end) && before.source_group != f.source_group)
                        .then_some(before.source_group)
                });
                match told_before.flatten() {
                    Some(t) => Some(Found { target_group: Some(t), target_told_before: true, ..f }),
                    None => Some(Found { target_group: target, ..f }),
                }
            }
            Some(f) => Some(f),
            None => parsed(),
        }
    }

    /// Source and target groups by the word rules (voice, possessors, clause order).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn rule_roles(
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
                            && !(m.end..g.first_word)
                                .any(|j| words::is(WordList::ClauseBreaks, w[j]) || w[j] == "and")))
            });
            let subject = subject_group(view, w, groups, m.start, earlier);
            return match (agent, subject) {
                (Some(a), s) => Some(Found { source_group: a, target_group: s, target_told_before: false }),
                (None, Some(s)) => organiser(view, w, groups, m.end).map(|o| Found {
                    source_group: o,
                    target_group: Some(s),
                    target_told_before: false,
                }),
                _ => None,
            };
        }
        if trigger.pos == Pos::Noun && matches!(w.get(m.end), Some(&("between" | "among" | "amongst"))) {
            // "the summit between the United States and Japan", "a trilateral meeting among the
            // United States, Japan and South Korea": the group is the event's.
            let pair =
                groups.iter().position(|g| g.first_word > m.end && g.first_word <= m.end + 3 && g.actors.len() >= 2)?;
            return Some(Found { source_group: pair, target_group: None, target_told_before: false });
        }
        if trigger.pos == Pos::Noun {
            // "the invasion of Ukraine by Russia": after an "of" phrase, a "by" phrase names
            // who acts, and the "of" phrase what is acted on.
            let acted_on = of_complement(w, groups, m.end).filter(|_| w[m.end] == "of");
            let agent = acted_on.and_then(|of| {
                let by = groups[of].last_word + 1;
                of_complement(w, groups, by).filter(|_| w.get(by) == Some(&"by"))
            });
            if let (Some(target), Some(source)) = (acted_on, agent) {
                return Some(Found { source_group: source, target_group: Some(target), target_told_before: false });
            }
            let source = possessor(w, groups, m.start)
                .or_else(|| of_complement(w, groups, m.end))
                .or_else(|| light_verb_subject(view, w, groups, m.start, earlier))?;
            return Some(Found {
                source_group: source,
                target_group: right.filter(|&t| t != source),
                target_told_before: false,
            });
        }
        let source = subject_group(view, w, groups, m.start, earlier).or_else(|| {
            matches!(m.form, Form::Gerund | Form::Participle)
                .then(|| fronted_participle_subject(w, groups, m.start))
                .flatten()
        })?;
        Some(Found { source_group: source, target_group: right.filter(|&t| t != source), target_told_before: false })
    }

    /// The target: the first group after the trigger in its clause that the frame allows.
    pub(super) fn target_group(
        &self,
        w: &[&str],
        groups: &[Group],
        m: &TriggerMatch,
        preps: &[String],
        direct: bool,
    ) -> Option<usize> {
        let mut passed_over: Option<usize> = None;
        let mut dative: Option<usize> = None;
        for (gi, g) in groups.iter().enumerate().filter(|(_, g)| !g.possessive) {
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
                .any(|j| words::is(WordList::ClauseBreaks, w[j]) || is_speech_verb(w[j]) || (noun && w[j] == ","))
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
                let before = (m.end..g.first_word).rev().find(|&j| !words::is(WordList::Determiners, w[j]));
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
}

/// "was attacked", "has been criticised", "were quickly released": a form of "be" right
/// before the participle, or before an adverb before it. "Poland's parliament has demanded"
/// is active: the possessive "'s" is no auxiliary.
pub(super) fn is_passive_auxiliary(w: &[&str], at: usize) -> bool {
    let be = |x: &str| words::is(WordList::PassiveAuxiliaries, x);
    let adverb = |x: &str| {
        x.ends_with("ly") || words::is(WordList::SentenceAdverbs, x) || words::is(WordList::PassiveAdverbs, x)
    };
    match at {
        0 => false,
        1 => be(w[0]),
        _ => be(w[at - 1]) || (adverb(w[at - 1]) && be(w[at - 2])),
    }
}

/// "threatened to strike unless Israel rescinded ...": the one a threat's condition names is
/// whom the threat is made against.
pub(super) fn condition_group(w: &[&str], groups: &[Group], from: usize) -> Option<usize> {
    let at = (from..w.len())
        .take_while(|&j| matches!(w[j], "unless" | "if") || !words::is(WordList::ClauseBreaks, w[j]))
        .find(|&j| matches!(w[j], "unless" | "if"))?;
    groups.iter().position(|g| g.first_word > at && (at + 1..g.first_word).all(|j| leads_to_name(w[j])))
}

/// Joins adjacent actors into groups: coordination ("A, B and C"), and the head of a noun
/// phrase ("Japanese Prime Minister Fumio Kishida" is Kishida, not Japan and Kishida).
pub(super) fn groups(view: &SentenceView, word_actor: &[Option<usize>], w: &[&str]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(a) = word_actor[i] else {
            i += 1;
            continue;
        };
        // "the Madrid summit": the capital names the venue, not its government acting.
        if view.actors[a].surface == Surface::Capital
            && w.get(i + 1).is_some_and(|x| words::is(WordList::VenueNouns, x))
        {
            i += 1;
            continue;
        }
        let mut last = i;
        while last + 1 < w.len() && word_actor[last + 1] == Some(a) {
            last += 1;
        }
        if view.actors[a].surface == Surface::Pronoun && is_possessive_pronoun(w, i) {
            groups.push(Group { actors: vec![a], first_word: i, last_word: last, compound: false, possessive: true });
            i = last + 1;
            continue;
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
            // "Mr. Abe and Mr. Rasmussen", "Biden and President Yoon": a title before the next
            // name after "and" or a comma still coordinates.
            let titled = between.iter().rposition(|x| !is_honorific(x)).map_or(0, |p| p + 1);
            let between = match &between[..titled] {
                rest @ [.., "and" | ","] if titled < between.len() => rest,
                _ => between,
            };
            // "Vietnam and the United States": an article after "and" still coordinates.
            let between = match between {
                [rest @ .., "and", "the"] => rest,
                _ => between,
            };
            (between.is_empty() || between.iter().all(|x| is_connector(x))) && !g.compound && !compound && !g.possessive
        });
        let adjacent_head = groups.last().is_some_and(|g| g.last_word + 1 == i)
            && matches!(
                view.actors[*groups.last().expect("checked").actors.last().expect("non-empty")].surface,
                Surface::Demonym | Surface::Name
            )
            && view.actors[a].actor.kind == ActorKind::Person;
        // "NATO-member Norway", "EU member Poland", "NATO ally Turkey": the first actor
        // only describes the second, which acts.
        let described = groups.last().is_some_and(|g| {
            g.actors.len() == 1 && !g.compound && describes_next(w[g.last_word], &w[g.last_word + 1..i])
        });
        if described {
            groups.pop();
            groups.push(Group { actors, first_word: i, last_word: last, compound, possessive: false });
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
            groups.push(Group { actors, first_word: i, last_word: last, compound, possessive: false });
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
/// "his respects", "her visit": a pronoun that determines the noun after it ("her" before a
/// word that starts a noun phrase; "urged her to" is an object).
fn is_possessive_pronoun(w: &[&str], at: usize) -> bool {
    let noun_follows = w.get(at + 1).is_some_and(|next| {
        next.starts_with(char::is_alphabetic)
            && !words::is(WordList::Prepositions, next)
            && !CLAUSE_BREAKS.contains(next)
            && !matches!(*next, "and" | "or")
    });
    matches!(w[at], "his" | "its" | "their") || (w[at] == "her" && noun_follows)
}

pub(super) fn describes_next(last: &str, between: &[&str]) -> bool {
    let member_word = |x: &str| words::is(WordList::MemberWords, x);
    match between {
        [] => last.rsplit_once('-').is_some_and(|(_, suffix)| member_word(suffix)),
        [word] => member_word(word),
        [word, "state" | "country" | "nation"] => member_word(word),
        _ => false,
    }
}

pub(super) fn merge_role_heads(view: &SentenceView, w: &[&str], groups: &mut Vec<Group>) {
    let mut k = 1;
    while k < groups.len() {
        let (prev, cur) = (&groups[k - 1], &groups[k]);
        let between = &w[prev.last_word + 1..cur.first_word];
        let prev_last = *prev.actors.last().expect("non-empty");
        let head = cur.actors[0];
        if !between.is_empty()
            && between
                .iter()
                .all(|x| words::is(WordList::RoleWords, x) || x.ends_with('.') || matches!(*x, "'s" | "’s"))
            && view.actors[head].actor.kind == ActorKind::Person
            && matches!(view.actors[prev_last].surface, Surface::Demonym | Surface::Name)
        {
            let cur = groups.remove(k);
            let g = &mut groups[k - 1];
            let owners =
                if between.iter().any(|x| words::is(WordList::PluralRoleWords, x)) { cur.actors.len() } else { 1 };
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
pub(super) fn preceding_preposition<'a>(w: &[&'a str], first_word: usize) -> Option<&'a str> {
    preposition_before(w, first_word).map(|j| w[j])
}

/// Where the preposition governing a group stands (see `preceding_preposition`).
pub(super) fn preposition_before(w: &[&str], first_word: usize) -> Option<usize> {
    let mut j = first_word;
    while j > 0 {
        j -= 1;
        let x = w[j];
        // "with leaders of Romania": the preposition before "leaders of" governs the state.
        if x == "of" && j > 0 && words::is(WordList::HeadNouns, w[j - 1]) {
            j -= 1;
            continue;
        }
        // "on $360 billion of Chinese goods", "against thousands of Palestinians": the "of"
        // of an amount is part of it; the preposition before the amount governs.
        if x == "of" && j > 0 && is_amount(w[j - 1]) {
            while j > 0 && is_amount(w[j - 1]) {
                j -= 1;
            }
            continue;
        }
        // "ordered out of Nigeria", "because of Russia": the pair is one preposition, and
        // not the "of" that names whose a noun is.
        if x == "of" && j > 0 && words::is(WordList::OfPairs, w[j - 1]) {
            return Some(j - 1);
        }
        // "up to 16 Russian advisers", "more than 100 Palestinians": part of the count.
        // "about 200 supporters", "over 1,000 Turks": the count's, not a preposition.
        if words::is(WordList::CountPrepositions, x) && w.get(j + 1).is_some_and(|n| is_quantity(n)) {
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
        if words::is(WordList::Prepositions, x) || x == "of" {
            return Some(j);
        }
        // "including Europe, Japan and Mexico": a first conjunct that is no actor.
        if x == "," && j >= 2 && w[j - 1].chars().all(char::is_alphabetic) && matches!(w[j - 2], "including" | "like") {
            return Some(j - 2);
        }
        // "with President Obama", "to Prime Minister Kishida": a title is part of the name.
        if words::is(WordList::RoleWords, x) || words::is(WordList::TitleWords, x) {
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
            && words::is(WordList::Determiners, w[j - 1]);
        if !(words::is(WordList::Determiners, x)
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

/// Words a pattern's gap may pass over on its way to the actor it names: "the", a modifier or
/// a title ("ordered the former president Carlos Menem to").
pub(super) fn leads_to_name(x: &str) -> bool {
    x == "the" || is_modifier(x) || words::is(WordList::TitleWords, x)
}

/// "against 28 Chilean officials", "of scores of Liberian refugees": a count before the actor.
pub(super) fn is_quantity(x: &str) -> bool {
    // A count, not a year ("in 2023, Yoon ...") and not a lone comma.
    let count = x.starts_with(|c: char| c.is_ascii_digit())
        && x.chars().all(|c| c.is_ascii_digit() || c == ',')
        && !(x.len() == 4 && (x.starts_with("19") || x.starts_with("20")));
    count || words::is(WordList::QuantityWords, x)
}

/// A word of an amount: a count ("28", "hundreds"), a magnitude, a currency or share sign
/// ("$360 billion", "25%", "$5 billion worth", "billions of dollars").
pub(super) fn is_amount(x: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.');
    is_quantity(x)
        || words::is(WordList::AmountWords, x)
        || x.strip_prefix('$').or_else(|| x.strip_suffix('%')).is_some_and(number)
}

/// "at this year's summit": time words inside a prepositional phrase.
pub(super) fn is_time_word(x: &str) -> bool {
    words::is(WordList::TimeWords, x)
}

/// Lower-case words that can stand between a preposition and its actor ("to the western alliance").
pub(super) fn is_modifier(x: &str) -> bool {
    words::is(WordList::Modifiers, x)
}

/// The subject of a verb: the nearest group before it that is not a prepositional object,
/// or, for a verb coordinated with an earlier one ("met Y and signed"), that verb's subject.
pub(super) fn subject_group(
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
            && !words::is(WordList::Auxiliaries, w[j + 1])
            && !words::is(WordList::SubjectPronouns, w[j + 1])
        {
            return None;
        }
        // A subject pronoun between the group and the verb is the subject, unresolved here:
        // "... that Nato will ..., it is taking advantage of ...".
        if let Some(j) = (g.last_word + 1..at).find(|&j| w[j] == ";" || words::is(WordList::SubjectPronouns, w[j])) {
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
        if g.actors.iter().all(|&a| view.actors[a].surface == Surface::Occasion) {
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
pub(super) fn own_subject_clause(w: &[&str], at: usize, earlier: &[(TriggerMatch, Found)]) -> Option<usize> {
    let verb_end = earlier
        .iter()
        .filter(|(e, _)| e.end <= at && matches!(e.form, Form::Past | Form::PastOrParticiple | Form::ThirdPerson))
        .map(|(e, _)| e.end)
        .max()?;
    let mut end = at;
    while end > verb_end
        && (words::is(WordList::Auxiliaries, w[end - 1]) || words::is(WordList::SentenceAdverbs, w[end - 1]))
    {
        end -= 1;
    }
    let and = (verb_end..end).rev().find(|&k| matches!(w[k], "and" | "but"))?;
    let phrase = &w[and + 1..end];
    let noun_phrase = !phrase.is_empty()
        && phrase.iter().all(|x| {
            x.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                && !words::is(WordList::Prepositions, x)
                && !agents::is_calendar_word(x)
                && !words::is(WordList::TimeNouns, x)
        });
    noun_phrase.then_some(and)
}

/// Whether the "of" at `of` joins its group to something other than the subject: an actor
/// right before it ("Palestinians of the West Bank", whose head is that actor) or a noun that
/// a preposition governs ("in defiance of").
pub(super) fn of_modifies(w: &[&str], groups: &[Group], of: usize) -> bool {
    // "Tens of thousands of students": a chain of counts is still the subject.
    of > 0
        && (groups.iter().any(|g| g.last_word + 1 == of) || preposition_before(w, of - 1).is_some_and(|p| w[p] != "of"))
}

/// "accepted demands from the rebels", "demanded an admission by Moscow", "rejected calls by
/// Belarus's rulers": with no object actor, the actor whose demand or act the object names.
pub(super) fn object_complement(w: &[&str], groups: &[Group], m: &TriggerMatch) -> Option<usize> {
    let limit = (m.end + 6).min(w.len());
    let noun = (m.start + 1..limit).find(|&j| words::is(WordList::ActNouns, w[j]))?;
    let breaks =
        |r: std::ops::Range<usize>| r.into_iter().any(|j| words::is(WordList::ClauseBreaks, w[j]) || w[j] == ",");
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
pub(super) fn object_owner(w: &[&str], groups: &[Group], m: &TriggerMatch, direct: bool) -> Option<usize> {
    let limit = (m.end + 4).min(w.len());
    let tie = |j: usize| w[j] == "with" && words::is(WordList::TieNouns, w[j - 1]);
    let recipient = |j: usize| matches!(w[j], "for" | "to") && words::is(WordList::AidNouns, w[j - 1]);
    // "host a meeting between Israel and the PLO": those the meeting is between.
    let between = |j: usize| w[j] == "between" && words::is(WordList::BetweenNouns, w[j - 1]);
    let link = (m.end..limit)
        .find(|&j| (direct && w[j] == "of") || (j > 0 && (tie(j) || recipient(j) || (direct && between(j)))))?;
    let plain =
        |j: usize| w[j].chars().all(|c| c.is_alphabetic() || c == '-') && !words::is(WordList::Prepositions, w[j]);
    // "positions of": an object noun stands between; the aid noun may end the trigger itself.
    let object_before = link > m.end || m.end - m.start > 1 || recipient(link) || tie(link);
    if !object_before || !(m.end..link).all(plain) || (m.end..link).any(|j| words::is(WordList::ClauseBreaks, w[j])) {
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
pub(super) fn apposition_head(w: &[&str], groups: &[Group], gi: usize, verb: usize) -> Option<usize> {
    let g = &groups[gi];
    let close = (g.last_word + 1..verb).find(|&j| w[j] == ",")?;
    if (close + 1..verb).any(|j| words::is(WordList::ClauseBreaks, w[j]) || w[j] == ",") {
        return None;
    }
    let open = (0..g.first_word).rev().find(|&j| w[j] == ",")?;
    if !matches!(w.get(open + 1), Some(&("a" | "an" | "the"))) {
        return None;
    }
    groups[..gi].iter().rposition(|h| h.last_word + 1 == open)
}

/// How a group hangs in the parse: the word governing it and the relation, read at the
/// group's head after climbing through the modifiers that make the actor what its head
/// noun stands for ("the *Japanese* government", "*Japan's* prime minister", "leaders of
/// *Japan*" are governed as "government", "minister", "leaders" are), or that make it a
/// party to the noun ("held talks *with Australia*", "expelled inspectors *of the IAEA*").
pub(super) fn attachment<'d>(
    deps: &'d [Dependency],
    w: &[&str],
    g: &Group,
    preps: &[String],
) -> Option<(usize, &'d str)> {
    let inside = |k: usize| (g.first_word..=g.last_word).contains(&k);
    let mut k =
        (g.first_word..=g.last_word).find(|&k| deps.get(k).is_some_and(|d| d.head.is_none_or(|h| !inside(h))))?;
    for _ in 0..4 {
        let d = &deps[k];
        let base = d.relation.split(':').next().unwrap_or("");
        let climbs = match d.head {
            Some(_) if matches!(base, "amod" | "compound" | "flat" | "appos") => true,
            // Not out of a phrase that only situates its noun, unless the trigger takes
            // that preposition: "a meeting ... on the sidelines of the UN General Assembly"
            // and "intelligence about the Taliban" do not make the Assembly or the Taliban
            // the object, while "inspectors of the IAEA" and "talks with Australia" do.
            Some(_) if base == "nmod" && d.relation != "nmod:tmod" => match case_marker(deps, w, k) {
                Some(p) if words::is(WordList::SituatingPrepositions, p) => preps.iter().any(|x| x == p),
                _ => true,
            },
            _ => false,
        };
        match (climbs, d.head) {
            (true, Some(h)) => k = h,
            _ => break,
        }
    }
    Some((deps[k].head?, deps[k].relation.as_str()))
}

/// The preposition a nominal's `case` dependent gives it ("of" in "leaders of Japan").
fn case_marker<'w>(deps: &[Dependency], w: &[&'w str], k: usize) -> Option<&'w str> {
    (0..deps.len()).find(|&j| deps[j].head == Some(k) && deps[j].relation == "case").map(|j| w[j])
}

/// Source and target of the verb at word `verb` from the parse: its subject (or, for an
/// infinitive, its controller's: "Japan agreed to *meet* Korea"), its object or an oblique the
/// frame allows; for a passive, the `by` agent and the passive subject. None when the parse
/// gives no source, so the word rules decide.
pub(super) fn parsed_roles(
    deps: &[Dependency],
    w: &[&str],
    groups: &[Group],
    verb: usize,
    preps: &[String],
) -> Option<Found> {
    if deps.len() != w.len() {
        return None;
    }
    let attached: Vec<Option<(usize, &str)>> = groups.iter().map(|g| attachment(deps, w, g, preps)).collect();
    let find = |governor: usize, wanted: &dyn Fn(&str) -> bool| {
        attached.iter().position(|a| a.is_some_and(|(h, r)| h == governor && wanted(r)))
    };
    let passive_subject = find(verb, &|r| r == "nsubj:pass");
    if let Some(target) = passive_subject {
        let agent = find(verb, &|r| r == "obl:agent")
            .or_else(|| find(verb, &|r| r == "obl").filter(|&g| w[groups[g].first_word.saturating_sub(1)] == "by"))?;
        return Some(Found { source_group: agent, target_group: Some(target), target_told_before: false });
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
    Some(Found { source_group: source, target_group: object.filter(|&t| t != source), target_told_before: false })
}

/// "Kishida's visit", "NATO’s criticism", "Chinese criticism": the actor owning a noun event.
pub(super) fn possessor(w: &[&str], groups: &[Group], at: usize) -> Option<usize> {
    let gi = groups.iter().rposition(|g| g.last_word < at)?;
    let g = &groups[gi];
    let between = &w[g.last_word + 1..at];
    let possessive = between.first().is_some_and(|x| matches!(*x, "'s" | "’s" | "'" | "’"));
    (between.len() <= 3
        && (possessive || between.is_empty() || between.iter().all(|x| is_modifier(x) || x.ends_with("al"))))
    .then_some(gi)
}

/// "the participation of Prime Minister Kishida": the actor an event noun is "of".
pub(super) fn of_complement(w: &[&str], groups: &[Group], end: usize) -> Option<usize> {
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
pub(super) fn fronted_participle_subject(w: &[&str], groups: &[Group], at: usize) -> Option<usize> {
    let opener = (0..at).all(|j| words::is(WordList::ParticipleOpeners, w[j]));
    if at == 0 || !opener {
        return None;
    }
    let comma = (at..w.len()).find(|&j| w[j] == ",")?;
    groups.iter().position(|g| g.first_word > comma && g.first_word <= comma + 3)
}

/// "Japan held talks with NATO": a noun event that is the object of a light verb takes the
/// verb's subject.
pub(super) fn light_verb_subject(
    view: &SentenceView,
    w: &[&str],
    groups: &[Group],
    at: usize,
    earlier: &[(TriggerMatch, Found)],
) -> Option<usize> {
    let verb = (at.saturating_sub(5)..at).rev().find(|&j| words::is(WordList::LightVerbs, w[j]))?;
    subject_group(view, w, groups, verb, earlier)
}

/// For a passive event with no agent ("were invited to the NATO summit"), the organisation
/// whose summit or meeting it is.
pub(super) fn organiser(view: &SentenceView, w: &[&str], groups: &[Group], from: usize) -> Option<usize> {
    groups.iter().position(|g| {
        g.first_word >= from
            && g.first_word <= from + 6
            && g.actors
                .iter()
                .any(|&a| matches!(view.actors[a].actor.kind, ActorKind::Organization | ActorKind::Grouping))
            && (w.get(g.last_word + 1).is_some_and(|x| words::is(WordList::OrganisedMeetings, x))
                || g.actors.iter().all(|&a| view.actors[a].surface == Surface::Occasion))
    })
}

/// Whether a verb ending at `end` stands without its object: the sentence or clause ends there
/// ("... and Japan's prime minister attended.", "attended, as did ...", "attended too").
pub(super) fn object_unsaid(w: &[&str], end: usize) -> bool {
    match w.get(end) {
        None => true,
        Some(next) => words::is(WordList::ObjectUnsaidAfter, next),
    }
}

/// A title or honorific that may stand before a name: "Mr.", "President", "Prime Minister".
pub(super) fn is_honorific(x: &str) -> bool {
    let x = x.trim_end_matches('.');
    words::is(WordList::Honorifics, x) || words::is(WordList::TitleWords, x)
}

/// One event's actors: its source, its target if any, and the other actors of the act.
pub(super) type Pair = (usize, Option<usize>, Vec<usize>);

impl Coder<'_> {
    /// The arguments stage's last step: the source-target pairs a trigger's groups give, and
    /// how they were read ("active", "coordinated"). None when the trigger needs a target the
    /// sentence does not give.
    pub(super) fn pairs(
        &self,
        view: &SentenceView,
        w: &[&str],
        groups: &[Group],
        m: &TriggerMatch,
        f: &Found,
    ) -> Option<(Vec<Pair>, &'static str)> {
        let trigger = self.lexicon.trigger(m.trigger);
        let source_group = &groups[f.source_group];
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
            None => return None,
        }
        // "Russia beat Croatia", "Norway's output beat forecasts": a state's name beating
        // another's, or anything, is a match or a market, not an assault.
        if trigger.has(Trait::Contest) {
            let bare_state = |a: usize| {
                let v = &view.actors[a];
                v.actor.kind == ActorKind::State && v.actor.sector.is_none() && v.surface == Surface::Name
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
        Some((pairs, how))
    }
}
