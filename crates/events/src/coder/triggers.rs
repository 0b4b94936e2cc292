//! The first stage: where the lexicon's triggers stand in a sentence. Each match becomes a
//! [`Candidate`] that the later stages screen, give actors to, code and rank.

use super::*;

/// A trigger on its way through the stages: found here, screened by [`screen`], given its
/// source and target by [`Coder::roles`], then coded (recode, modality, date, place) by
/// [`Coder::emit`] and ranked.
#[derive(Clone, Copy, Debug)]
pub(super) struct Candidate {
    pub m: TriggerMatch,
    /// The word before makes a noun of it ("an official visit", "the signs of").
    pub noun_context: bool,
}

/// What the coder reads of one sentence before any trigger: its words (lower case, caption
/// markers blanked), which actor each word belongs to, the actors grouped into coordinated
/// groups, and what the later stages look up at most once (dates, venues, cues).
pub(super) struct Sentence<'v, 'a> {
    pub view: &'v SentenceView<'a>,
    pub words: Vec<&'v str>,
    pub word_actor: Vec<Option<usize>>,
    /// `word_actor` without pronouns: which actor is named at each word.
    pub named_actor: Vec<Option<usize>>,
    pub groups: Vec<Group>,
    pub facts: SentenceFacts,
}

impl<'v, 'a> Sentence<'v, 'a> {
    pub fn new(view: &'v SentenceView<'a>, doc_date: Option<PartialDate>) -> Self {
        let mut words: Vec<&str> = view.words.iter().map(|w| w.lower.as_ref()).collect();
        blank_caption_markers(&mut words);
        let word_actor: Vec<Option<usize>> = (0..words.len()).map(|i| view.actor_at_word(i)).collect();
        let groups = groups(view, &word_actor, &words);
        let named_actor =
            word_actor.iter().map(|a| a.filter(|&a| view.actors[a].surface != Surface::Pronoun)).collect();
        let facts =
            SentenceFacts { doc_date, dates: Default::default(), venues: OnceCell::new(), cues: OnceCell::new() };
        Sentence { view, words, word_actor, named_actor, groups, facts }
    }

    /// Whether a gap in a trigger's pattern may not pass word `j`: an actor, a clause break,
    /// a comma.
    pub fn blocks_gap(&self, j: usize) -> bool {
        self.word_actor[j].is_some() || CLAUSE_BREAKS.contains(&self.words[j]) || self.words[j] == ","
    }
}

impl Coder<'_> {
    /// The trigger that starts at word `i`, if one does.
    pub(super) fn candidate_at(&self, s: &Sentence, i: usize) -> Option<Candidate> {
        let (w, word_actor) = (&s.words, &s.word_actor);
        if word_actor[i].is_some() {
            return None;
        }
        // "an official visit" is a noun; "a Russian official visited" is an agent's verb;
        // "his visit", "his bilateral visit": a possessive pronoun is a determiner.
        let noun_context = i > 0
            && s.named_actor[i - 1].is_none()
            && (is_noun_context(w[i - 1]) || adjective_after_determiner(w, &s.named_actor, i));
        // "gave Tanzania a grant": a gap may pass over the actor right after the verb.
        // "ordered former president Carlos Menem to appear": titles before that actor too.
        let dative = |j: usize| j > i && (i + 1..j).all(|k| word_actor[k].is_some() || leads_to_name(w[k]));
        // "blocked the European Union's aid package": a possessor inside the object too.
        let possessor_at = |j: usize| {
            let a = word_actor[j];
            a.is_some() && {
                let end = (j..w.len()).find(|&k| word_actor[k] != a).unwrap_or(w.len());
                matches!(w.get(end), Some(&("'s" | "’s")))
            }
        };
        // "paid his respects to Japan": a pronoun is no object the gap would cross.
        let pronoun = |j: usize| word_actor[j].is_some() && s.named_actor[j].is_none();
        let blocked = |j: usize| {
            if word_actor[j].is_some() && (dative(j) || possessor_at(j) || pronoun(j)) {
                false
            } else {
                s.blocks_gap(j)
            }
        };
        let after_actor = i > 0
            && (word_actor[i - 1].is_some() || (i > 1 && w[i - 1].ends_with("ly") && word_actor[i - 2].is_some()));
        let before = match () {
            _ if noun_context => WordBefore::NounContext,
            _ if after_actor => WordBefore::Subject,
            _ => WordBefore::Other,
        };
        let m = self.lexicon.match_at(w, i, &blocked, before)?;
        Some(Candidate { m, noun_context })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::ActorSpan;
    use entente_document::{Document, Metadata};

    /// Each word's candidate (its CAMEO code, whether a noun reading was taken, and what the
    /// filters make of it) in a sentence whose named states are given.
    fn candidates(text: &str, states: &[&str]) -> Vec<Option<(String, bool, &'static str)>> {
        let mut doc = Document::new("t", text, Metadata::default());
        entente_text::annotate(&mut doc);
        let spans: Vec<ActorSpan> = states
            .iter()
            .map(|name| {
                let start = text.find(name).expect("in text");
                let actor = ActorRef {
                    id: name.to_uppercase(),
                    kind: entente_document::ActorKind::State,
                    name: name.to_string(),
                    country: None,
                    sector: None,
                    acts_for: None,
                };
                ActorSpan {
                    span: Span::new(start, start + name.len()),
                    actor,
                    surface: Surface::Name,
                    rule: "test".into(),
                }
            })
            .collect();
        let view = SentenceView::of_document(&doc, 0, &spans);
        let coder = Coder::builtin();
        let s = Sentence::new(&view, None);
        (0..s.words.len())
            .map(|i| {
                coder.candidate_at(&s, i).map(|c| {
                    let screen = match coder.screen(&s, &c) {
                        Screen::Keep => "keep",
                        Screen::Drop => "drop",
                        Screen::PassOver => "pass over",
                    };
                    (coder.lexicon.trigger(c.m.trigger).code.clone(), c.noun_context, screen)
                })
            })
            .collect()
    }

    #[test]
    fn a_trigger_is_found_where_it_starts_and_never_on_an_actor() {
        let found = candidates("Japan visited China.", &["Japan", "China"]);
        assert_eq!(found[0], None, "an actor's word starts no trigger");
        assert_eq!(found[1], Some(("042".to_string(), false, "keep")));
        assert_eq!(found[2], None);
    }

    #[test]
    fn a_determiner_before_makes_the_trigger_a_noun() {
        let found = candidates("Japan welcomed his visit.", &["Japan"]);
        assert_eq!(found[1].as_ref().map(|c| c.1), Some(false), "{found:?}");
        assert_eq!(found[3].as_ref().map(|c| c.1), Some(true), "{found:?}");
    }

    #[test]
    fn the_filters_drop_modifiers_and_pass_over_governing_verbs() {
        let found = candidates("Russia sold attack helicopters to Iran.", &["Russia", "Iran"]);
        assert_eq!(found[2].as_ref().map(|c| c.2), Some("drop"), "a trigger modifying a noun: {found:?}");
        let found = candidates("Iran declined to criticise Iraq.", &["Iran", "Iraq"]);
        assert_eq!(found[1].as_ref().map(|c| c.2), Some("pass over"), "the refusal shapes the next act: {found:?}");
        assert_eq!(found[3].as_ref().map(|c| c.2), Some("keep"), "{found:?}");
    }
}
