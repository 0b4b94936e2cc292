//! Event triggers: the words and phrases that name an event, each with its CAMEO code, how it
//! takes its target, and a sentence it codes. Built from `data/lexicon/*.tsv`, one file per
//! CAMEO root (or from PETRARCH dictionaries, see `petrarch`), matched over a sentence's
//! lower-cased words.

use crate::inflect::{Form, noun_forms, verb_forms};
use crate::words::WordList;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;
use thiserror::Error;

/// The built-in lexicon, one file per CAMEO root, read in this order (on equal specificity the
/// earlier row wins).
const BUILTIN: &[(&str, &str)] = &[
    ("01-statement.tsv", include_str!("../data/lexicon/01-statement.tsv")),
    ("02-appeal.tsv", include_str!("../data/lexicon/02-appeal.tsv")),
    ("03-intend.tsv", include_str!("../data/lexicon/03-intend.tsv")),
    ("04-consult.tsv", include_str!("../data/lexicon/04-consult.tsv")),
    ("05-diplomatic-cooperation.tsv", include_str!("../data/lexicon/05-diplomatic-cooperation.tsv")),
    ("06-material-cooperation.tsv", include_str!("../data/lexicon/06-material-cooperation.tsv")),
    ("07-aid.tsv", include_str!("../data/lexicon/07-aid.tsv")),
    ("08-yield.tsv", include_str!("../data/lexicon/08-yield.tsv")),
    ("09-investigate.tsv", include_str!("../data/lexicon/09-investigate.tsv")),
    ("10-demand.tsv", include_str!("../data/lexicon/10-demand.tsv")),
    ("11-disapprove.tsv", include_str!("../data/lexicon/11-disapprove.tsv")),
    ("12-reject.tsv", include_str!("../data/lexicon/12-reject.tsv")),
    ("13-threaten.tsv", include_str!("../data/lexicon/13-threaten.tsv")),
    ("14-protest.tsv", include_str!("../data/lexicon/14-protest.tsv")),
    ("15-force-posture.tsv", include_str!("../data/lexicon/15-force-posture.tsv")),
    ("16-reduce-relations.tsv", include_str!("../data/lexicon/16-reduce-relations.tsv")),
    ("17-coerce.tsv", include_str!("../data/lexicon/17-coerce.tsv")),
    ("18-assault.tsv", include_str!("../data/lexicon/18-assault.tsv")),
    ("19-fight.tsv", include_str!("../data/lexicon/19-fight.tsv")),
    ("20-mass-violence.tsv", include_str!("../data/lexicon/20-mass-violence.tsv")),
];
/// How many words a `*` may skip.
const MAX_GAP: usize = 4;

#[derive(Debug, Error)]
pub enum LexiconError {
    #[error("{source_name}:{line}: {problem}")]
    Bad { source_name: String, line: usize, problem: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pos {
    Verb,
    Noun,
    Phrase,
}

/// How a trigger takes its target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetFrame {
    /// The first actor after the trigger is the target.
    pub direct: bool,
    /// Prepositions that introduce the target ("visit to X", "talks with X").
    pub preps: Vec<String>,
    /// "X and Y met": the second actor of a coordinated subject is the target.
    pub symmetric: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    Words(Vec<String>),
    Gap,
}

#[derive(Clone, Debug)]
pub struct Trigger {
    pub pattern: String,
    pub slots: Vec<Slot>,
    pub pos: Pos,
    pub frame: TargetFrame,
    pub code: String,
    /// A sentence this row codes, and what it codes there (the table-driven tests check it).
    pub example: Option<Example>,
    /// Where the row was read: `04-consult.tsv:12`.
    pub origin: String,
    /// What the row does beyond its code and frame (its seventh column).
    pub traits: Vec<Trait>,
}

impl Trigger {
    pub fn has(&self, t: Trait) -> bool {
        self.traits.contains(&t)
    }
}

/// What a row does beyond its code and frame: the coder asks for a trait, never for a row's
/// words. Named in the row's seventh column, comma-separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trait {
    /// `governs-next`: the act it names is done by doing the next one, which is coded instead
    /// ("to help support the rights of Palestinians": the support), or it is the next act's
    /// intent ("willing to withdraw": the withdrawal, as intended).
    GovernsNext,
    /// `contest`: between two states' bare names it is a match or a market, not an act
    /// ("Russia beat Croatia", "Norway's output beat forecasts").
    Contest,
    /// `withdrawal`: out of a state it is a military retreat (0874); out of a body or talks, the
    /// row's own code.
    Withdrawal,
    /// `joining`: of an organisation (not its summit) it is taking up cooperation with it
    /// (050), not a meeting.
    Joining,
    /// `attends`: with its object unsaid it joins the meeting the sentence has just told, whose
    /// convener is its target ("NATO leaders met in Vilnius and Japan's prime minister
    /// attended").
    Attends,
}

impl Trait {
    const NAMES: [(&'static str, Trait); 5] = [
        ("governs-next", Trait::GovernsNext),
        ("contest", Trait::Contest),
        ("withdrawal", Trait::Withdrawal),
        ("joining", Trait::Joining),
        ("attends", Trait::Attends),
    ];

    fn parse(name: &str) -> Option<Trait> {
        Trait::NAMES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }
}

/// A row's test sentence: coded, it gives an event of the row's code from `source` to
/// `target` (actor ids as the knowledge base names them), fired by the row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub sentence: String,
    pub source: String,
    pub target: Option<String>,
}

impl Trigger {
    /// How many of its slots name words (a gap names none): a phrase is more specific than a
    /// lone word.
    pub fn specificity(&self) -> usize {
        self.slots.iter().filter(|s| matches!(s, Slot::Words(_))).count()
    }
}

/// A trigger found in a sentence: word indices `[start, end)` and the form of its head word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TriggerMatch {
    pub trigger: usize,
    pub start: usize,
    pub end: usize,
    pub form: Form,
}

/// What the word before a trigger says of how to read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordBefore {
    /// A determiner or possessive: a noun is likelier ("his visit").
    NounContext,
    /// An actor (perhaps and an adverb): a verb is likelier ("Japan protests", "the US
    /// strongly protests").
    Subject,
    Other,
}

pub struct Lexicon {
    pub name: String,
    /// The codes already say whether an act is done or intended (PETRARCH dictionaries code
    /// "will visit" with their own patterns), so the coder must not turn planned acts into
    /// intent codes.
    pub codes_are_final: bool,
    triggers: Vec<Trigger>,
    /// Every form of every trigger's head word → (trigger index, form).
    /// Inflected first word -> (trigger, form, which alternative of the first slot).
    by_head: HashMap<String, Vec<(usize, Form, usize)>, BuildHasherDefault<Fnv>>,
}

/// FNV-1a, for `by_head` and the word lists: the coder looks up nearly every word of every
/// sentence with an actor, the keys are short words, and for those the standard SipHash costs
/// more than the rest of the lookup. The keys are the data's own, so no caller can choose
/// collisions.
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

static BUILTIN_LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::parse_files("built-in", BUILTIN).expect("the built-in lexicon parses"));

impl Lexicon {
    pub fn builtin() -> &'static Lexicon {
        &BUILTIN_LEXICON
    }

    /// Parses one file of the TSV form documented in `data/lexicon/README.md`.
    pub fn parse(source_name: &str, text: &str) -> Result<Lexicon, LexiconError> {
        Lexicon::parse_files(source_name, &[(source_name, text)])
    }

    /// Parses several files into one lexicon, their rows in the order given.
    pub fn parse_files(name: &str, files: &[(&str, &str)]) -> Result<Lexicon, LexiconError> {
        let mut triggers = Vec::new();
        for (source_name, text) in files {
            parse_rows(source_name, text, &mut triggers)?;
        }
        Ok(Lexicon::from_triggers(name, triggers))
    }
}

/// Reads one file's rows onto `triggers`.
fn parse_rows(source_name: &str, text: &str, triggers: &mut Vec<Trigger>) -> Result<(), LexiconError> {
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("pattern\t") {
            continue;
        }
        let bad =
            |problem: &str| LexiconError::Bad { source_name: source_name.into(), line: n + 1, problem: problem.into() };
        let f: Vec<&str> = line.split('\t').collect();
        let (pattern, pos, target, code, example, traits) = match f[..] {
            [pattern, pos, target, code] => (pattern, pos, target, code, None, ""),
            [pattern, pos, target, code, sentence, expect] => {
                (pattern, pos, target, code, Some(parse_example(sentence, expect).map_err(|p| bad(&p))?), "")
            }
            [pattern, pos, target, code, sentence, expect, traits] => {
                let example = parse_example(sentence, expect).map_err(|p| bad(&p))?;
                (pattern, pos, target, code, Some(example), traits)
            }
            _ => {
                return Err(bad(
                    "expected 4, 6 or 7 tab-separated fields: pattern, pos, target, code[, example, expect[, traits]]",
                ));
            }
        };
        let traits = traits
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Trait::parse(t).ok_or_else(|| bad(&format!("unknown trait {t:?}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let pos = match pos {
            "v" => Pos::Verb,
            "n" => Pos::Noun,
            "p" => Pos::Phrase,
            _ => return Err(bad("pos must be v, n or p")),
        };
        if crate::codes::lookup(code).is_none() {
            return Err(bad(&format!("unknown CAMEO code {code}")));
        }
        triggers.push(Trigger {
            pattern: pattern.to_string(),
            slots: parse_slots(pattern),
            pos,
            frame: parse_frame(target),
            code: code.to_string(),
            example,
            origin: format!("{source_name}:{}", n + 1),
            traits,
        });
    }
    Ok(())
}

/// `expect` is `SOURCE>TARGET`, or `SOURCE>-` for an event with no target.
fn parse_example(sentence: &str, expect: &str) -> Result<Example, String> {
    let Some((source, target)) = expect.split_once('>') else {
        return Err(format!("expect must be SOURCE>TARGET or SOURCE>-, not {expect:?}"));
    };
    if sentence.trim().is_empty() || source.trim().is_empty() || target.trim().is_empty() {
        return Err("an example needs a sentence, a source and a target (or -)".into());
    }
    let target = (target != "-").then(|| target.to_string());
    Ok(Example { sentence: sentence.to_string(), source: source.to_string(), target })
}

impl Lexicon {
    pub fn from_triggers(name: &str, triggers: Vec<Trigger>) -> Lexicon {
        let mut by_head: HashMap<String, Vec<(usize, Form, usize)>, BuildHasherDefault<Fnv>> = HashMap::default();
        for (i, t) in triggers.iter().enumerate() {
            let Some(Slot::Words(heads)) = t.slots.first() else {
                continue;
            };
            for (alt, head) in heads.iter().enumerate() {
                // "cut off": the first word inflects, the particle stays.
                let first = head.split(' ').next().unwrap_or(head);
                let forms = match t.pos {
                    Pos::Verb => verb_forms(first),
                    Pos::Noun => noun_forms(first),
                    Pos::Phrase => vec![(first.to_string(), Form::Base)],
                };
                for (form, kind) in forms {
                    by_head.entry(form).or_default().push((i, kind, alt));
                }
            }
        }
        Lexicon { name: name.to_string(), codes_are_final: false, triggers, by_head }
    }

    pub fn trigger(&self, i: usize) -> &Trigger {
        &self.triggers[i]
    }

    pub fn len(&self) -> usize {
        self.triggers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.triggers.is_empty()
    }

    /// The most specific trigger whose pattern starts at word `i`. `words` are lower-cased;
    /// `blocked(j)` says a `*` may not skip word `j` (an actor, a clause break).
    /// `before`: what the word before says of the reading ("his visit", "Japan protests").
    pub fn match_at<S: AsRef<str>>(
        &self,
        words: &[S],
        i: usize,
        blocked: &dyn Fn(usize) -> bool,
        before: WordBefore,
    ) -> Option<TriggerMatch> {
        let noun_context = before == WordBefore::NounContext;
        let candidates = self.by_head.get(words[i].as_ref())?;
        let mut best: Option<(usize, TriggerMatch)> = None;
        for &(t, form, alt) in candidates {
            let trigger = &self.triggers[t];
            let Some(Slot::Words(heads)) = trigger.slots.first() else { continue };
            let after_head = match heads[alt].split_once(' ') {
                Some((_, rest)) => match match_words(rest, words, i + 1) {
                    Some(after) => after,
                    None => continue,
                },
                None => i + 1,
            };
            // "allied itself with": a verb's reflexive object may stand between it and the
            // rest of its pattern without changing the act (unless the pattern names it).
            let reflexive = trigger.pos == Pos::Verb
                && trigger.slots.len() > 1
                && words.get(after_head).is_some_and(|w| crate::words::is(WordList::ReflexivePronouns, w.as_ref()));
            let rest = &trigger.slots[1..];
            let end = match_slots(rest, words, after_head, blocked)
                .or_else(|| reflexive.then(|| match_slots(rest, words, after_head + 1, blocked)).flatten());
            if let Some(end) = end {
                let pos_fits = match trigger.pos {
                    Pos::Noun => noun_context,
                    Pos::Verb => !noun_context,
                    Pos::Phrase => true,
                };
                // A word the pattern names as it is written (the phrase "sanctions") beats the
                // same word read as an inflection ("sanction" + s) when nothing else decides,
                // unless an actor right before makes it that actor's verb ("the US sanctions").
                let literal =
                    usize::from(trigger.pos != Pos::Verb && form == Form::Base && before != WordBefore::Subject);
                let score = trigger.specificity() * 1000 + (end - i) * 20 + usize::from(pos_fits) * 2 + literal;
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, TriggerMatch { trigger: t, start: i, end, form }));
                }
            }
        }
        best.map(|(_, m)| m)
    }
}

/// Slots are separated by spaces; `a|b` are alternatives, and `_` joins the words of a
/// multi-word alternative ("halt|cut_off * aid": "halt", or "cut off", then the gap).
fn parse_slots(pattern: &str) -> Vec<Slot> {
    pattern
        .split_whitespace()
        .map(|w| {
            if w == "*" {
                Slot::Gap
            } else {
                Slot::Words(w.split('|').map(|a| a.replace('_', " ").to_lowercase()).collect())
            }
        })
        .collect()
}

/// The index after `expected` (words separated by single spaces) matched word by word from
/// `i`, if it does. Read in place, without splitting: this runs for every alternative of every
/// slot tried, and most part at the first byte.
fn match_words<S: AsRef<str>>(expected: &str, words: &[S], i: usize) -> Option<usize> {
    let mut j = i;
    let mut rest = expected;
    loop {
        let w = words.get(j)?.as_ref().as_bytes();
        let r = rest.as_bytes();
        if r.len() < w.len() || r.first() != w.first() || &r[..w.len()] != w {
            return None;
        }
        j += 1;
        match r.get(w.len()) {
            None => return Some(j),
            Some(b' ') => rest = &rest[w.len() + 1..],
            Some(_) => return None,
        }
    }
}

fn parse_frame(target: &str) -> TargetFrame {
    let mut frame = TargetFrame::default();
    for part in target.split(',').map(str::trim) {
        match part {
            "-" => frame.direct = true,
            "sym" => frame.symmetric = true,
            "" => {}
            prep => frame.preps.push(prep.to_lowercase()),
        }
    }
    frame
}

/// Matches the slots after the head from word `i`; returns where the match ends.
fn match_slots<S: AsRef<str>>(slots: &[Slot], words: &[S], i: usize, blocked: &dyn Fn(usize) -> bool) -> Option<usize> {
    match slots.first() {
        None => Some(i),
        Some(Slot::Words(alternatives)) => alternatives
            .iter()
            .filter_map(|a| match_words(a, words, i))
            .find_map(|next| match_slots(&slots[1..], words, next, blocked)),
        Some(Slot::Gap) => {
            // A gap may not run past the sentence or over a blocked word: the first such word
            // ends every longer gap too.
            for skip in 0..=MAX_GAP {
                if skip > 0 && (i + skip > words.len() || blocked(i + skip - 1)) {
                    return None;
                }
                if let Some(end) = match_slots(&slots[1..], words, i + skip, blocked) {
                    return Some(end);
                }
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_lowercase).collect()
    }

    fn code_at(s: &str, i: usize) -> Option<String> {
        let w = words(s);
        let lex = Lexicon::builtin();
        lex.match_at(&w, i, &|_| false, WordBefore::Other).map(|m| lex.trigger(m.trigger).code.clone())
    }

    #[test]
    fn builtin_parses_and_matches_inflections_and_gaps() {
        assert!(Lexicon::builtin().len() > 200);
        assert_eq!(code_at("Japan visited Vilnius", 1).as_deref(), Some("042"));
        assert_eq!(
            code_at("they signed a new security pact", 1).as_deref(),
            Some("057"),
            "gap + specific beats bare 'sign'"
        );
        assert_eq!(code_at("they signed yesterday", 1).as_deref(), Some("057"));
        assert_eq!(code_at("France criticised NATO", 1).as_deref(), Some("111"));
        assert_eq!(code_at("Russia invaded Ukraine", 1).as_deref(), Some("192"));
        assert_eq!(code_at("the invasion of Ukraine", 1).as_deref(), Some("192"));
        assert_eq!(code_at("Japan held talks with Korea", 1).as_deref(), Some("040"));
        assert_eq!(code_at("nothing here", 0), None);
    }

    #[test]
    fn multi_word_alternatives_match_as_a_whole() {
        let lex = Lexicon::parse("t.tsv", "halt|cut_off * aid\tv\tto\t162\nresign|step_down\tv\t-\t0831\n").unwrap();
        let code = |s: &str| {
            let w = words(s);
            lex.match_at(&w, 1, &|_| false, WordBefore::Other).map(|m| (lex.trigger(m.trigger).code.clone(), m.end))
        };
        assert_eq!(code("Japan cut off all aid"), Some(("162".into(), 5)));
        assert_eq!(code("Japan halted economic aid"), Some(("162".into(), 4)));
        assert_eq!(code("Japan cut all aid"), None, "'cut' alone is not an alternative");
        assert_eq!(code("Kim stepped down"), Some(("0831".into(), 3)));
        assert_eq!(code("Kim resigned"), Some(("0831".into(), 2)));
        assert_eq!(code("Kim stepped up"), None);
    }

    #[test]
    fn a_gap_cannot_skip_a_blocked_word() {
        let w = words("they signed with Japan a pact");
        let lex = Lexicon::builtin();
        let m = lex.match_at(&w, 1, &|j| j == 3, WordBefore::Other).unwrap();
        assert_eq!(lex.trigger(m.trigger).pattern, "sign", "the gap may not cross the actor at word 3");
    }

    #[test]
    fn traits_are_read_from_the_seventh_column_and_checked() {
        let lex = Lexicon::parse("t.tsv", "beat\tv\t-\t182\tThe police beat protesters.\tISR>PSE\tcontest\n").unwrap();
        assert!(lex.trigger(0).has(Trait::Contest) && !lex.trigger(0).has(Trait::Joining));
        let err = Lexicon::parse("t.tsv", "beat\tv\t-\t182\tX beat Y.\tISR>PSE\tsport\n").err().unwrap();
        assert_eq!(err.to_string(), "t.tsv:1: unknown trait \"sport\"");
        let builtin = Lexicon::builtin();
        let with = |t: Trait| (0..builtin.len()).filter(|&i| builtin.trigger(i).has(t)).count();
        let all = [Trait::GovernsNext, Trait::Contest, Trait::Withdrawal, Trait::Joining, Trait::Attends];
        assert!(all.into_iter().all(|t| with(t) > 0));
    }

    #[test]
    fn bad_lines_are_reported_with_their_line() {
        let err = Lexicon::parse("x.tsv", "pattern\tpos\ttarget\tcode\nvisit\tv\t-\t999\n").err().unwrap();
        assert_eq!(err.to_string(), "x.tsv:2: unknown CAMEO code 999");
    }
}
