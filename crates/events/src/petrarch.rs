//! PETRARCH-2 / Phoenix dictionaries, for users who code with their own: the verb dictionary
//! becomes a [`Lexicon`], the actor and agent dictionaries an actor finder.
//!
//! Formats (PETRARCH's `dictionaries.rst`): `#` comments and `<!-- -->` lines; synsets `&NAME`
//! with `+member` lines; verb blocks `--- NAME [code] ---` with member verbs (`WORD {FORMS}`,
//! `+MULTI_WORD`, a member's own `[code]`) and patterns `- pre * post [code]`; actors
//! `NAME_WORDS [CODE]` with `+SYNONYM` lines and dated codes `[CODE yymmdd-yymmdd]`,
//! `[CODE <yymmdd]`, `[CODE >yymmdd]`; agents `WORDS {PLURALS} [~SUFFIX]` with `!SYN! = A, B`.
//! Patterns with words before the verb need PETRARCH's parse tree and are not used; patterns
//! after the verb become triggers, their `(PREP)` the target's preposition.

use crate::lexicon::{Lexicon, Pos, Slot, TargetFrame, Trigger};
use crate::view::{ActorKind, ActorRef, ActorSpan, Surface};
use entente_document::{PartialDate, Span};
use std::collections::HashMap;
use std::path::Path;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PetrarchError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{0}: no {1} dictionary found (expected a file whose name contains \"{1}\")")]
    Missing(String, &'static str),
}

/// The dictionaries of a PETRARCH directory.
pub struct Dictionaries {
    pub verbs: Lexicon,
    pub actors: ActorFinder,
    /// Counts for the user: verb patterns read, patterns skipped (pre-verb words), actors.
    pub summary: String,
}

/// Loads `*verbs*.txt` (or `CAMEO*.txt`), `*actors*.txt` (all of them) and `*agents*.txt`.
pub fn load_dir(dir: &Path) -> Result<Dictionaries, PetrarchError> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| PetrarchError::Io { path: dir.display().to_string(), source })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|source| PetrarchError::Io { path: p.display().to_string(), source })
    };
    let named = |needle: &'static str| {
        files
            .iter()
            .filter(move |p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.to_lowercase().contains(needle)))
    };
    let verb_file = named("verbs")
        .find(|p| !p.to_string_lossy().contains("verbpatterns"))
        .or_else(|| named("cameo").next())
        .ok_or_else(|| PetrarchError::Missing(dir.display().to_string(), "verbs"))?;
    let (verbs, skipped) = parse_verbs(&verb_file.display().to_string(), &read(verb_file)?);
    let mut actors = ActorFinder::default();
    for p in named("actors") {
        actors.add_actors(&read(p)?);
    }
    if actors.entries.is_empty() {
        return Err(PetrarchError::Missing(dir.display().to_string(), "actors"));
    }
    for p in named("agents") {
        actors.add_agents(&read(p)?);
    }
    let summary = format!(
        "{} triggers from {} ({skipped} patterns with words before the verb not used), {} actor names, {} agent names",
        verbs.len(),
        verb_file.display(),
        actors.entries.len(),
        actors.agents.len()
    );
    Ok(Dictionaries { verbs, actors, summary })
}

/// A line without its comment, trimmed; None for blank and comment lines.
fn content(line: &str) -> Option<&str> {
    let line = line.split('#').next().unwrap_or("").trim();
    (!line.is_empty() && !line.starts_with("<!--")).then_some(line)
}

fn words_of(s: &str) -> Vec<String> {
    s.split(['_', ' ']).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The bracketed code at the end of a line and the text before it.
fn split_code(line: &str) -> (&str, Option<&str>) {
    match (line.rfind('['), line.rfind(']')) {
        (Some(a), Some(b)) if b > a => (line[..a].trim(), Some(line[a + 1..b].trim())),
        _ => (line, None),
    }
}

/// Parses a verb dictionary into a lexicon; returns it and how many patterns were skipped.
pub fn parse_verbs(name: &str, text: &str) -> (Lexicon, usize) {
    let mut synsets: HashMap<String, Vec<String>> = HashMap::new();
    let mut current_synset: Option<String> = None;
    let mut block_code: Option<String> = None;
    let mut members: Vec<(Vec<String>, Vec<String>)> = Vec::new(); // (words, explicit head forms)
    let mut triggers = Vec::new();
    let mut skipped = 0;
    for raw in text.lines() {
        let Some(line) = content(raw) else { continue };
        if let Some(syn) = line.strip_prefix('&') {
            current_synset = Some(format!("&{}", syn.split_whitespace().next().unwrap_or("").trim_end_matches('_')));
            synsets.entry(current_synset.clone().expect("set")).or_default();
            continue;
        }
        if let (Some(syn), Some(member)) = (&current_synset, line.strip_prefix('+'))
            && block_code.is_none()
        {
            synsets.get_mut(syn).expect("synset exists").push(member.trim().to_string());
            continue;
        }
        if line.starts_with("---") {
            current_synset = None;
            members.clear();
            let (_, code) = split_code(line.trim_matches('-').trim());
            block_code = code.map(str::to_string);
            continue;
        }
        if let Some(pattern) = line.strip_prefix('-') {
            let (pattern, code) = split_code(pattern.trim());
            let code = code.map(str::to_string).or_else(|| block_code.clone());
            match (pattern_trigger(pattern, &synsets), code) {
                (Some((slots, preps)), Some(code)) if code != "---" => {
                    for (words, _) in &members {
                        let mut all = vec![Slot::Words(vec![words[0].clone()])];
                        all.extend(words[1..].iter().map(|w| Slot::Words(vec![w.clone()])));
                        all.extend(slots.iter().cloned());
                        triggers.push(Trigger {
                            pattern: format!("{} {}", words.join(" "), pattern.to_lowercase()),
                            slots: all,
                            pos: if words.len() == 1 { Pos::Verb } else { Pos::Phrase },
                            frame: dictionary_frame(&preps),
                            code: code.clone(),
                            example: None,
                            origin: format!("{name}: {}", raw.trim()),
                            traits: Vec::new(),
                        });
                    }
                }
                (None, _) => skipped += 1,
                _ => {}
            }
            continue;
        }
        if block_code.is_some() {
            // A member verb: WORD, WORD {FORMS}, +MULTI_WORD {+FORMS}, WORD [code].
            current_synset = None;
            let (rest, own_code) = split_code(line);
            let (head, forms) = match (rest.find('{'), rest.find('}')) {
                (Some(a), Some(b)) if b > a => (
                    rest[..a].trim(),
                    rest[a + 1..b].split_whitespace().map(|f| f.trim_start_matches('+').to_string()).collect(),
                ),
                _ => (rest.trim(), Vec::new()),
            };
            if head.contains("_+") || head.is_empty() {
                continue; // a verb inside a compound phrase: needs the parse tree
            }
            let words = words_of(head.trim_start_matches('+'));
            let code = own_code.map(str::to_string).or_else(|| block_code.clone()).unwrap_or_default();
            members.push((words.clone(), forms.clone()));
            if code != "---" && !code.is_empty() {
                triggers.extend(member_triggers(&words, &forms, &code));
            }
        }
    }
    let mut lexicon = Lexicon::from_triggers(name, triggers);
    lexicon.codes_are_final = true;
    (lexicon, skipped)
}

/// Triggers for a member verb: its regular inflections, or the forms it lists.
fn member_triggers(words: &[String], forms: &[String], code: &str) -> Vec<Trigger> {
    let make = |slots: Vec<Slot>, pos: Pos| Trigger {
        pattern: words.join(" "),
        slots,
        pos,
        frame: dictionary_frame(&[]),
        code: code.to_string(),
        example: None,
        origin: format!("verb {}", words.join(" ")),
        traits: Vec::new(),
    };
    let mut out = vec![make(
        words.iter().map(|w| Slot::Words(vec![w.clone()])).collect(),
        if words.len() == 1 { Pos::Verb } else { Pos::Phrase },
    )];
    for form in forms {
        let fw = words_of(form);
        if !fw.is_empty() {
            out.push(make(fw.into_iter().map(|w| Slot::Words(vec![w])).collect(), Pos::Phrase));
        }
    }
    out
}

/// Where a dictionary pattern's target stands: after the prepositions it names, or, when it
/// names none, as PETRARCH reads the verb phrase, its object or the first actor of a phrase
/// the verb governs ("restore ties with Gondor").
fn dictionary_frame(preps: &[String]) -> TargetFrame {
    if !preps.is_empty() {
        return TargetFrame { direct: false, preps: preps.to_vec(), symmetric: false };
    }
    let governed = [
        "with", "to", "against", "on", "from", "for", "at", "into", "over", "toward", "towards", "between", "among",
        "about",
    ];
    TargetFrame { direct: true, preps: governed.iter().map(|p| p.to_string()).collect(), symmetric: false }
}

/// The slots after the verb for a pattern `- * POST`; None when words stand before the verb.
fn pattern_trigger(pattern: &str, synsets: &HashMap<String, Vec<String>>) -> Option<(Vec<Slot>, Vec<String>)> {
    let (pre, post) = pattern.split_once('*')?;
    if !pre.trim().is_empty() {
        return None;
    }
    let mut slots = Vec::new();
    let mut preps = Vec::new();
    for token in post.split([' ', '_']).filter(|t| !t.is_empty()) {
        let t = token.trim_matches(|c| c == '{' || c == '}');
        if t.is_empty() || matches!(t, "$" | "+" | "%" | "@" | "^") {
            continue;
        }
        if let Some(prep) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            preps.push(prep.to_lowercase());
            slots.push(Slot::Gap);
            slots.push(Slot::Words(vec![prep.to_lowercase()]));
            continue;
        }
        if t.starts_with('&') {
            let members = synsets.get(t.trim_end_matches('_'))?;
            let alternatives: Vec<String> = members.iter().filter_map(|m| words_of(m).first().cloned()).collect();
            slots.push(Slot::Gap);
            slots.push(Slot::Words(alternatives));
            continue;
        }
        let w = t.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-').to_lowercase();
        if !w.is_empty() {
            slots.push(Slot::Gap);
            slots.push(Slot::Words(vec![w]));
        }
    }
    // The pattern's own words are matched, not skipped: drop a trailing gap, keep inner ones.
    while matches!(slots.last(), Some(Slot::Gap)) {
        slots.pop();
    }
    Some((slots, preps))
}

/// A code valid in a date range.
#[derive(Clone, Debug, PartialEq, Eq)]
struct DatedCode {
    code: String,
    from: Option<PartialDate>,
    until: Option<PartialDate>,
}

#[derive(Clone, Debug)]
struct Entry {
    words: Vec<String>,
    /// The last word must match whole (`NAME_`); otherwise it is a prefix (`ARGENTIN`).
    whole_last: bool,
    codes: Vec<DatedCode>,
}

#[derive(Clone, Debug)]
struct Agent {
    words: Vec<String>,
    suffix: String,
}

/// Finds actors named in a PETRARCH actor dictionary, with agents attached ("Gondor's Prime
/// Minister" → GONGOV).
#[derive(Default)]
pub struct ActorFinder {
    entries: Vec<Entry>,
    by_first: HashMap<String, Vec<usize>>,
    /// Single-word prefix entries, by their text.
    prefixes: HashMap<String, Vec<usize>>,
    agents: Vec<Agent>,
    agents_by_first: HashMap<String, Vec<usize>>,
}

impl ActorFinder {
    pub fn add_actors(&mut self, text: &str) {
        let mut last_entry: Option<usize> = None;
        let mut pending: Vec<usize> = Vec::new(); // entries awaiting codes on following lines
        for raw in text.lines() {
            let Some(line) = content(raw) else { continue };
            if line.starts_with('[') {
                // A dated code line for the entries just read.
                if let (_, Some(code)) = split_code(line) {
                    let dated = parse_dated(code);
                    for &e in &pending {
                        self.entries[e].codes.push(dated.clone());
                    }
                }
                continue;
            }
            let (name, code) = split_code(line);
            let synonym = name.starts_with('+');
            let name = name.trim_start_matches('+').trim();
            if name.is_empty() {
                continue;
            }
            let entry = Entry { words: words_of(name), whole_last: name.ends_with('_'), codes: Vec::new() };
            if entry.words.is_empty() {
                continue;
            }
            let index = self.entries.len();
            self.entries.push(entry);
            match (code, synonym, last_entry) {
                (Some(code), _, _) => {
                    self.entries[index].codes.push(parse_dated(code));
                    pending = vec![index];
                    last_entry = Some(index);
                }
                (None, true, Some(primary)) => {
                    self.entries[index].codes = self.entries[primary].codes.clone();
                    pending.push(index);
                }
                (None, _, _) => {
                    // A primary with its codes on the following lines.
                    pending = vec![index];
                    last_entry = Some(index);
                }
            }
            let e = &self.entries[index];
            if e.words.len() == 1 && !e.whole_last {
                self.prefixes.entry(e.words[0].clone()).or_default().push(index);
            } else {
                self.by_first.entry(e.words[0].clone()).or_default().push(index);
            }
        }
        // Synonyms read before their primary's dated codes share them.
        for i in 0..self.entries.len() {
            if self.entries[i].codes.is_empty()
                && let Some(j) = (0..i).rev().find(|&j| !self.entries[j].codes.is_empty())
            {
                self.entries[i].codes = self.entries[j].codes.clone();
            }
        }
    }

    pub fn add_agents(&mut self, text: &str) {
        let mut synsets: HashMap<String, Vec<String>> = HashMap::new();
        for raw in text.lines() {
            let Some(line) = content(raw) else { continue };
            if line.starts_with('!')
                && let Some((name, members)) = line.split_once('=')
            {
                synsets.insert(name.trim().to_string(), members.split(',').map(|m| m.trim().to_string()).collect());
                continue;
            }
            let (phrase, Some(code)) = split_code(line) else {
                continue;
            };
            let suffix = code.trim_start_matches('~').trim_end_matches('~').to_string();
            let (phrase, plurals) = match (phrase.find('{'), phrase.find('}')) {
                (Some(a), Some(b)) if b > a => {
                    (phrase[..a].trim(), phrase[a + 1..b].split_whitespace().map(str::to_string).collect::<Vec<_>>())
                }
                _ => (phrase.trim(), vec![format!("{}S", phrase.trim())]),
            };
            let mut variants = vec![phrase.to_string()];
            variants.extend(plurals);
            for variant in variants {
                for expanded in expand_synsets(&variant, &synsets) {
                    let words = words_of(&expanded);
                    if !words.is_empty() {
                        self.agents_by_first.entry(words[0].clone()).or_default().push(self.agents.len());
                        self.agents.push(Agent { words, suffix: suffix.clone() });
                    }
                }
            }
        }
    }

    /// Actors in `text` (a sentence), coded for `date`; spans are offsets into `text` shifted
    /// by `offset`.
    pub fn find(&self, text: &str, offset: usize, date: Option<PartialDate>) -> Vec<ActorSpan> {
        let tokens = word_tokens(text);
        let lower: Vec<String> = tokens.iter().map(|(s, e)| text[*s..*e].to_lowercase()).collect();
        let mut actors: Vec<(usize, usize, String)> = Vec::new(); // token range, code
        let mut i = 0;
        while i < lower.len() {
            match self.actor_at(&lower, i, date) {
                Some((end, code)) => {
                    actors.push((i, end, code));
                    i = end;
                }
                None => i += 1,
            }
        }
        let agents = self.agents_in(&lower);
        let mut out: Vec<ActorSpan> = Vec::new();
        for (start, end, code) in &actors {
            let (mut s, mut e, mut code) = (*start, *end, code.clone());
            if let Some(&(a_start, a_end, ref suffix)) =
                agents.iter().find(|(a_s, a_e, _)| attaches(&lower, *start, *end, *a_s, *a_e))
            {
                if code.len() == 3 {
                    code.push_str(suffix);
                }
                s = s.min(a_start);
                e = e.max(a_end);
            }
            let span = Span::new(tokens[s].0 + offset, tokens[e - 1].1 + offset);
            let (kind, country, sector) = if code.len() == 3 {
                (ActorKind::State, None, None)
            } else {
                (ActorKind::Other, Some(code[..3].to_string()), Some(code[3..].to_string()))
            };
            // "Bree Prime Minister Romendacil": the agent-coded actor and the person it names
            // are one actor; keep the more specific code.
            if let Some(prev) = out.last_mut()
                && prev.span.end >= span.start.saturating_sub(1)
                && prev.actor.id.get(..3) == code.get(..3)
            {
                if code.len() > prev.actor.id.len() {
                    prev.actor.id = code.clone();
                }
                prev.span = Span::new(prev.span.start.min(span.start), span.end.max(prev.span.end));
                continue;
            }
            if agents.iter().any(|&(a_s, a_e, _)| a_s < *start && a_e > s)
                && out.last().is_some_and(|p| p.actor.id.len() > 3)
            {
                continue;
            }
            out.push(ActorSpan {
                span,
                actor: ActorRef {
                    id: code.clone(),
                    kind,
                    name: text[tokens[s].0..tokens[e - 1].1].to_string(),
                    country,
                    sector,
                    acts_for: None,
                },
                surface: Surface::Name,
                rule: "petrarch:actors".into(),
            });
        }
        out
    }

    fn actor_at(&self, w: &[String], i: usize, date: Option<PartialDate>) -> Option<(usize, String)> {
        let mut best: Option<(usize, String)> = None;
        let mut consider = |e: &Entry, end: usize| {
            if best.as_ref().is_none_or(|(b, _)| end > *b)
                && let Some(code) = code_on(&e.codes, date)
            {
                best = Some((end, code));
            }
        };
        for &ei in self.by_first.get(&w[i]).into_iter().flatten() {
            let e = &self.entries[ei];
            let n = e.words.len();
            if i + n <= w.len() && (0..n).all(|k| word_matches(&e.words[k], &w[i + k], k + 1 < n || e.whole_last)) {
                consider(e, i + n);
            }
        }
        // Single-word prefix entries: "ARGENTIN" matches "argentina", "argentinian".
        for len in (3..=w[i].len()).rev() {
            if !w[i].is_char_boundary(len) {
                continue;
            }
            for &ei in self.prefixes.get(&w[i][..len]).into_iter().flatten() {
                consider(&self.entries[ei], i + 1);
            }
        }
        best
    }

    fn agents_in(&self, w: &[String]) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        for i in 0..w.len() {
            for &ai in self.agents_by_first.get(&w[i]).into_iter().flatten() {
                let a = &self.agents[ai];
                if i + a.words.len() <= w.len() && a.words.iter().enumerate().all(|(k, x)| *x == w[i + k]) {
                    out.push((i, i + a.words.len(), a.suffix.clone()));
                }
            }
        }
        out
    }
}

/// "Gondor's prime minister", "Gondor prime minister", "the prime minister of Gondor".
fn attaches(w: &[String], a_start: usize, a_end: usize, g_start: usize, g_end: usize) -> bool {
    let between_after: &[String] = if g_start >= a_end { &w[a_end..g_start] } else { &[] };
    let between_before: &[String] = if a_start >= g_end { &w[g_end..a_start] } else { &[] };
    (g_start >= a_end
        && between_after.len() <= 2
        && between_after
            .iter()
            .all(|x| matches!(x.as_str(), "'s" | "’s" | "new" | "former" | "first" | "deputy" | "acting")))
        || (a_start >= g_end
            && between_before.len() <= 2
            && between_before.first().is_some_and(|x| x == "of" || x == "from"))
}

fn word_matches(pattern: &str, word: &str, whole: bool) -> bool {
    if whole { pattern == word } else { word.starts_with(pattern) }
}

fn expand_synsets(phrase: &str, synsets: &HashMap<String, Vec<String>>) -> Vec<String> {
    for (name, members) in synsets {
        if phrase.contains(name.as_str()) {
            return members
                .iter()
                .flat_map(|m| expand_synsets(&phrase.replacen(name.as_str(), m, 1), synsets))
                .collect();
        }
    }
    vec![phrase.to_string()]
}

fn word_tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        // "'s" is its own word, so "Gondor's" is "Gondor" + "'s".
        if (c == '\'' || c == '’')
            && chars.get(k + 1).is_some_and(|&(_, n)| n == 's')
            && !chars.get(k + 2).is_some_and(|&(_, n)| n.is_alphanumeric())
        {
            out.push((i, i + c.len_utf8() + 1));
            k += 2;
            continue;
        }
        if !c.is_alphanumeric() {
            k += 1;
            continue;
        }
        let start = i;
        while k < chars.len()
            && (chars[k].1.is_alphanumeric()
                || chars[k].1 == '-'
                || (chars[k].1 == '.' && chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphanumeric())))
        {
            k += 1;
        }
        let end = chars.get(k).map_or(text.len(), |&(j, _)| j);
        out.push((start, end));
    }
    out
}

fn parse_dated(code: &str) -> DatedCode {
    let mut parts = code.split_whitespace();
    let name = parts.next().unwrap_or("").to_string();
    let rest: String = parts.collect::<Vec<_>>().join("");
    let date = |s: &str| -> Option<PartialDate> {
        let s = s.trim();
        let (y, m, d) = match s.len() {
            6 => (1900 + s[..2].parse::<i32>().ok()?, s[2..4].parse().ok()?, s[4..6].parse().ok()?),
            8 => (s[..4].parse().ok()?, s[4..6].parse().ok()?, s[6..8].parse().ok()?),
            _ => return None,
        };
        // Two-digit years below 50 are 20xx (the dictionaries span 1950-2049).
        let y = if s.len() == 6 && y < 1950 { y + 100 } else { y };
        PartialDate::day(y, m, d)
    };
    let (from, until) = if let Some(after) = rest.strip_prefix('>') {
        (date(after), None)
    } else if let Some(before) = rest.strip_prefix('<') {
        (None, date(before))
    } else if let Some((a, b)) = rest.split_once('-') {
        (date(a), date(b))
    } else {
        (None, None)
    };
    DatedCode { code: name, from, until }
}

/// The code in force on `date`: a dated one that covers it, else the undated one.
fn code_on(codes: &[DatedCode], date: Option<PartialDate>) -> Option<String> {
    let covers = |c: &DatedCode, d: PartialDate| c.from.is_none_or(|f| f <= d) && c.until.is_none_or(|u| d <= u);
    let dated = date.and_then(|d| codes.iter().find(|c| (c.from.is_some() || c.until.is_some()) && covers(c, d)));
    dated
        .or_else(|| codes.iter().find(|c| c.from.is_none() && c.until.is_none()))
        .or(codes.first())
        .filter(|c| c.code != "---")
        .map(|c| c.code.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::WordBefore;

    const ACTORS: &str = "ARNOR_  [ARN]\nARGENTIN [ARG]\nGONDOR [GON]\n+MINAS_TIRITH\nHOBBITON [HOB <950601]\n\t[HOBGOV 19950601 - 19990815]\n";
    const AGENTS: &str = "!MINST! = MINISTER, MINISTERS\nPRIME_!MINST! [~GOV]\nTROOPS {} [~MIL]\n";

    fn finder() -> ActorFinder {
        let mut f = ActorFinder::default();
        f.add_actors(ACTORS);
        f.add_agents(AGENTS);
        f
    }

    fn codes(text: &str, date: Option<PartialDate>) -> Vec<String> {
        finder().find(text, 0, date).into_iter().map(|a| a.actor.id).collect()
    }

    #[test]
    fn actors_synonyms_prefixes_agents_and_dates() {
        assert_eq!(codes("Arnor met Argentinian envoys in Minas Tirith.", None), ["ARN", "ARG", "GON"]);
        assert_eq!(codes("Arnorian troops", None), Vec::<String>::new(), "ARNOR_ matches the whole word only");
        assert_eq!(codes("Gondor's prime minister left.", None), ["GONGOV"]);
        assert_eq!(codes("Gondor troops left.", None), ["GONMIL"]);
        assert_eq!(codes("Hobbiton voted.", PartialDate::day(1996, 1, 1)), ["HOBGOV"]);
        assert_eq!(codes("Hobbiton voted.", PartialDate::day(1990, 1, 1)), ["HOB"]);
    }

    #[test]
    fn verb_blocks_members_and_patterns_become_triggers() {
        let text = "&TIES\n+DIPLOMATIC\n+MILITARY\n--- RESTORE [---] ---\nRESTORE\n- * &TIES TIES (WITH) [064]\n- FOO * [099]\n--- MEET [040] ---\n+MEET_WITH {+MET_WITH +MEETS_WITH}\nMEET {MEETS MET MEETING}\n";
        let (lex, skipped) = parse_verbs("v", text);
        assert_eq!(skipped, 1, "a pattern with words before the verb is not used");
        let w: Vec<String> = "arnor restored diplomatic ties with gondor".split(' ').map(String::from).collect();
        let m = lex.match_at(&w, 1, &|_| false, WordBefore::Other).unwrap();
        assert_eq!((lex.trigger(m.trigger).code.as_str(), m.end), ("064", 5));
        let w: Vec<String> = "arnor met with gondor".split(' ').map(String::from).collect();
        let m = lex.match_at(&w, 1, &|_| false, WordBefore::Other).unwrap();
        assert_eq!(lex.trigger(m.trigger).code, "040");
    }
}
