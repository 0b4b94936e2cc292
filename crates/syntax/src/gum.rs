//! GUM's entity layer as PER/ORG/LOC names in IOB2, in the style of Universal NER: only
//! proper names are tagged, one flat layer, the outermost name wins.
//!
//! GUM marks every mention (names, descriptions, pronouns) in the MISC column:
//! `Entity=(1-person-new-sssss-cf1-1,2-coref-Daniel_Bernoulli` opens mention 1 of type
//! `person` at this word, `Entity=1)` closes it, `(5-time-...)` is a one-word mention, and
//! several brackets follow one another in one field: `(5-time-new-...)4)3)`,
//! `(132-person-...(1-person-...)`. A close names the mention it closes by its id.
//!
//! A mention of type person, organization or place becomes a PER, ORG or LOC name when
//! * its syntactic head (the word whose head lies outside the mention; when several do, the
//!   first, if punctuation sets off the others: `Paris, France`) is a PROPN;
//! * the head has no `conj` dependent in the mention (`St. Petersburg and Basel` is two
//!   names, taken from the inner mentions);
//! * for PER: the head is not a plural PROPN (`Americans`, a group); when the head has an
//!   `nmod` in the mention, it also has a `flat` one (`President of the United States` is a
//!   title, `Ann Chiang of DAB` a name); and when the mention links to a Wikipedia name, the
//!   name shares a word or its initials with it (`President` linked to `Joe_Biden` is a
//!   title; `JFK` is `John_F._Kennedy`);
//!
//! and its words are the name around the head: GUM's mentions are whole noun phrases
//! (`the University of Basel, where he ... until his death`), so only the head and what
//! belongs to a name are kept: `flat`, `fixed`, `goeswith`; `compound` when PROPN or
//! capitalised; capitalised `amod` and `nummod` (`French Academy`, not `younger
//! Bernoullis`); for ORG and LOC also capitalised `nmod:desc` (`St. Petersburg`; for PER
//! these are titles, `Dr.`) and a capitalised `nmod` with `of` after the head and no
//! punctuation between (`University of Paris`, not `Groningen, in the Netherlands`); inside
//! those, also their `det`, `case`, `cc`, `conj` and `punct`. Relative clauses,
//! appositions, possessors, dates in brackets are left out. The words kept next to the head
//! form the name, less DET, ADP, CCONJ and PUNCT at either end and a trailing possessive
//! `'s`.
//!
//! Mentions are taken outermost first (longest first); one whose name overlaps a name
//! already taken is skipped: `the University of Basel` gives ORG on `University of Basel`,
//! not LOC on `Basel`; `Daniel Bernoulli 's father` (head `father`, a NOUN) gives PER on
//! `Daniel Bernoulli`. Names of the other types (a PROPN-headed event, work, object, ...)
//! are taken the same way but stay `O`: a name inside them (`Texas` in `the Texas
//! Revolution`, `Google` in `the Google Science Fair`) is part of another name, as in UNER.

use std::cmp::Reverse;

/// One syntactic word of a CoNLL-U sentence: the columns the conversion reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'a> {
    pub form: &'a str,
    pub upos: &'a str,
    pub xpos: &'a str,
    /// 0 for the root, otherwise the 1-based index of the head word.
    pub head: usize,
    pub deprel: &'a str,
    pub misc: &'a str,
}

/// One mention of GUM's entity layer: words `start..end` (0-based) of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// GUM's entity type: person, organization, place, abstract, event, time, ...
    pub etype: String,
    /// The Wikipedia name the mention links to (`Daniel_Bernoulli`, `%2C` for a comma), if any.
    pub identity: Option<String>,
}

impl Mention {
    /// A mention of `start..end` from a bracket's fields: `id-type-infstat-salience-
    /// centering-minspan-link-identity` (GUM's `global.Entity`), of which only the type and
    /// the identity are read.
    fn new(start: usize, end: usize, fields: &str) -> Mention {
        let mut fields = fields.split('-').skip(1);
        let etype = fields.next().unwrap_or("").to_string();
        let identity = fields.nth(5).filter(|i| !i.is_empty()).map(str::to_string);
        Mention { start, end, etype, identity }
    }
}

/// A malformed `Entity=` annotation: the word (0-based in its sentence) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityError {
    pub word: usize,
    pub reason: String,
}

/// The IOB2 type of a GUM entity type, if it is one of the three UNER types.
pub fn ner_type(etype: &str) -> Option<&'static str> {
    match etype {
        "person" => Some("PER"),
        "organization" => Some("ORG"),
        "place" => Some("LOC"),
        _ => None,
    }
}

enum Bracket<'a> {
    /// A mention opens: its id and all its fields.
    Open {
        id: &'a str,
        fields: &'a str,
    },
    /// A one-word mention.
    Single {
        fields: &'a str,
    },
    Close {
        id: &'a str,
    },
}

/// The brackets of one `Entity=` value, in order.
fn brackets(value: &str) -> Result<Vec<Bracket<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('(') {
            let end = after.find(['(', ')']).unwrap_or(after.len());
            let fields = &after[..end];
            let id = fields.split('-').next().unwrap_or("");
            if id.is_empty() {
                return Err(format!("a mention without an id in Entity={value}"));
            }
            if after[end..].starts_with(')') {
                out.push(Bracket::Single { fields });
                rest = &after[end + 1..];
            } else {
                out.push(Bracket::Open { id, fields });
                rest = &after[end..];
            }
        } else {
            let Some(end) = rest.find(')') else {
                return Err(format!("{rest:?} is neither an opening nor a closing bracket in Entity={value}"));
            };
            let id = &rest[..end];
            if id.is_empty() || id.contains('(') {
                return Err(format!("bad closing bracket {:?} in Entity={value}", &rest[..=end]));
            }
            out.push(Bracket::Close { id });
            rest = &rest[end + 1..];
        }
    }
    Ok(out)
}

/// The mentions of one sentence, in the order they open. A close ends the latest open
/// mention with its id; a close without one, or a mention still open at the end of the
/// sentence, is an error.
pub fn mentions(rows: &[Row]) -> Result<Vec<Mention>, EntityError> {
    // (id, start, fields, order of opening) of the mentions still open.
    let mut open: Vec<(&str, usize, &str, usize)> = Vec::new();
    let mut found: Vec<(usize, Mention)> = Vec::new();
    let mut opened = 0;
    for (i, row) in rows.iter().enumerate() {
        for value in row.misc.split('|').filter_map(|m| m.strip_prefix("Entity=")) {
            let err = |reason: String| EntityError { word: i, reason };
            for bracket in brackets(value).map_err(err)? {
                match bracket {
                    Bracket::Open { id, fields } => {
                        open.push((id, i, fields, opened));
                        opened += 1;
                    }
                    Bracket::Single { fields } => {
                        found.push((opened, Mention::new(i, i + 1, fields)));
                        opened += 1;
                    }
                    Bracket::Close { id } => {
                        let Some(k) = open.iter().rposition(|o| o.0 == id) else {
                            return Err(err(format!("mention {id} closes but is not open")));
                        };
                        let (_, start, fields, order) = open.remove(k);
                        found.push((order, Mention::new(start, i + 1, fields)));
                    }
                }
            }
        }
    }
    if let Some((id, start, ..)) = open.first() {
        return Err(EntityError { word: *start, reason: format!("mention {id} is not closed in its sentence") });
    }
    found.sort_by_key(|(order, _)| *order);
    Ok(found.into_iter().map(|(_, m)| m).collect())
}

/// IOB2 labels (`O`, `B-PER`, `I-LOC`, ...) of one sentence from its `Entity=` annotations;
/// all `O` without any.
pub fn labels(rows: &[Row]) -> Result<Vec<String>, EntityError> {
    let mut labels = vec!["O".to_string(); rows.len()];
    let mut mentions = mentions(rows)?;
    // Outermost first; among equals, in the order they open (the sort is stable).
    mentions.sort_by_key(|m| (Reverse(m.end - m.start), m.start));
    let mut taken = vec![false; rows.len()];
    for m in &mentions {
        let kind = ner_type(&m.etype);
        let Some((start, end)) = name_span(rows, m, kind) else { continue };
        if taken[start..end].iter().any(|&t| t) {
            continue;
        }
        for (i, t) in taken.iter_mut().enumerate().take(end).skip(start) {
            *t = true;
            if let Some(kind) = kind {
                labels[i] = format!("{}-{kind}", if i == start { "B" } else { "I" });
            }
        }
    }
    Ok(labels)
}

/// The words `start..end` of the proper name a mention stands for, if it is one. `kind` is
/// PER, ORG, LOC or `None` for the other types.
fn name_span(rows: &[Row], m: &Mention, kind: Option<&str>) -> Option<(usize, usize)> {
    let span = Span { rows, start: m.start, end: m.end };
    let head = span.head()?;
    if rows[head].upos != "PROPN" {
        return None;
    }
    let deps: Vec<usize> = span.dependents(head).collect();
    if deps.iter().any(|&d| base(rows[d].deprel) == "conj") {
        return None;
    }
    let person = kind == Some("PER");
    if person {
        let titled = deps.iter().any(|&d| rows[d].deprel == "nmod" && d > head);
        let flat = deps.iter().any(|&d| base(rows[d].deprel) == "flat");
        if rows[head].xpos == "NNPS" || (titled && !flat) {
            return None;
        }
    }
    let mut kept = vec![false; rows.len()];
    span.keep_name(head, head, person, &mut kept);
    let (mut start, mut end) = (head, head + 1);
    while start > m.start && kept[start - 1] {
        start -= 1;
    }
    while end < m.end && kept[end] {
        end += 1;
    }
    while start < head && is_edge_word(&rows[start]) {
        start += 1;
    }
    while end - 1 > head && (is_edge_word(&rows[end - 1]) || is_possessive(&rows[end - 1])) {
        end -= 1;
    }
    // Not for places and organisations: `America` links to United_States, `Kiev` to Kyiv.
    if person && m.identity.as_deref().is_some_and(|identity| !shares_a_word(&rows[start..end], identity)) {
        return None;
    }
    Some((start, end))
}

/// Words that neither begin nor end a name (when the parse leaves them at its edge).
fn is_edge_word(row: &Row) -> bool {
    matches!(row.upos, "DET" | "PUNCT" | "ADP" | "CCONJ")
}

/// A mention's words within its sentence.
struct Span<'r, 'a> {
    rows: &'r [Row<'a>],
    start: usize,
    end: usize,
}

impl Span<'_, '_> {
    fn contains(&self, i: usize) -> bool {
        (self.start..self.end).contains(&i)
    }

    /// Whether the head of word `i` is a word of the span.
    fn contains_head_of(&self, i: usize) -> bool {
        self.rows[i].head > 0 && self.contains(self.rows[i].head - 1)
    }

    /// The syntactic head: the word whose head lies outside the span. GUM's mentions are not
    /// always subtrees (`the University of Basel, where he held ...` when `held` hangs on
    /// the verb): then the first such word, when each other one (punctuation aside) comes
    /// after a punctuation mark (`Paris, France`, `India, where ...`), else none (`South
    /// Korea` parsed as two phrases).
    fn head(&self) -> Option<usize> {
        let mut heads = (self.start..self.end).filter(|&i| !self.contains_head_of(i) && self.rows[i].upos != "PUNCT");
        let head = heads.next()?;
        let set_off = |j: usize| (head + 1..j).any(|i| self.rows[i].upos == "PUNCT");
        heads.all(set_off).then_some(head)
    }

    /// The words of the span whose head is word `i`.
    fn dependents(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (self.start..self.end).filter(move |&d| self.rows[d].head == i + 1)
    }

    /// Marks word `i` and the dependents (recursively) that belong to the name headed by
    /// `head`.
    fn keep_name(&self, i: usize, head: usize, person: bool, kept: &mut [bool]) {
        kept[i] = true;
        for d in self.dependents(i).collect::<Vec<_>>() {
            if self.belongs_to_name(d, i, head, person) {
                self.keep_name(d, head, person, kept);
            }
        }
    }

    fn belongs_to_name(&self, d: usize, parent: usize, head: usize, person: bool) -> bool {
        let row = &self.rows[d];
        let capitalised = row.form.chars().next().is_some_and(char::is_uppercase);
        let modifier = match row.deprel {
            "fixed" | "goeswith" => return true,
            rel if base(rel) == "flat" => return true,
            "compound" => row.upos == "PROPN" || capitalised,
            "amod" | "nummod" => capitalised,
            "nmod:desc" => !person && capitalised,
            "nmod" => !person && capitalised && self.of_after(d, parent),
            rel => return parent != head && matches!(base(rel), "det" | "case" | "cc" | "conj" | "punct"),
        };
        modifier && self.adjacent(d, parent)
    }

    /// Whether `nmod` word `d` follows its head `parent` with `of` as its only case marker.
    fn of_after(&self, d: usize, parent: usize) -> bool {
        let cases: Vec<usize> = self.dependents(d).filter(|&c| self.rows[c].deprel == "case").collect();
        d > parent && !cases.is_empty() && cases.iter().all(|&c| self.rows[c].form.eq_ignore_ascii_case("of"))
    }

    /// Whether no punctuation parts words `parent` and `d` (`Sochi , Russia` is two names, as
    /// in UNER; hyphens, slashes and ampersands join: `Make - A - Wish Foundation`).
    fn adjacent(&self, d: usize, parent: usize) -> bool {
        let parts = |r: &Row| r.upos == "PUNCT" && !matches!(r.form, "-" | "/" | "&");
        !(d.min(parent) + 1..d.max(parent)).any(|i| parts(&self.rows[i]))
    }
}

/// Whether a word of the name is a word of its Wikipedia name (`Daniel` of
/// `Daniel_Bernoulli`) or the initials of it (`JFK` of `John_F._Kennedy`), ignoring case: a
/// mention `President` linked to `Joe_Biden` is a title.
fn shares_a_word(rows: &[Row], identity: &str) -> bool {
    let identity = percent_decoded(identity).to_lowercase();
    let words: Vec<&str> = identity.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let initials: String = words
        .iter()
        .filter(|w| !matches!(**w, "of" | "the" | "and" | "for" | "s" | "de"))
        .filter_map(|w| w.chars().next())
        .collect();
    rows.iter().any(|r| {
        let form = r.form.to_lowercase();
        let letters: String = form.chars().filter(|c| c.is_alphanumeric()).collect();
        let acronym = letters.chars().count() >= 2 && letters == initials;
        acronym || form.split(|c: char| !c.is_alphanumeric()).any(|w| !w.is_empty() && words.contains(&w))
    })
}

/// `%XX` escapes decoded (GUM writes `%2C` for a comma, `%2D` for a hyphen in identities).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) if bytes[i] == b'%' => {
                out.push(b);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn base(deprel: &str) -> &str {
    deprel.split(':').next().unwrap_or(deprel)
}

fn is_possessive(row: &Row) -> bool {
    row.upos == "PART" && row.deprel == "case"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::conllu_ner;

    /// CoNLL-U from one word a line: `FORM UPOS[/XPOS] HEAD DEPREL [MISC]`.
    fn conllu(words: &str) -> String {
        let mut out = String::new();
        for (i, line) in words.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let (upos, xpos) = cols[1].split_once('/').unwrap_or((cols[1], "_"));
            let misc = cols.get(4).copied().unwrap_or("_");
            out.push_str(&format!(
                "{}\t{}\t_\t{upos}\t{xpos}\t_\t{}\t{}\t_\t{misc}\n",
                i + 1,
                cols[0],
                cols[2],
                cols[3]
            ));
        }
        out + "\n"
    }

    fn labels_of(words: &str) -> String {
        let sentences = conllu_ner(&conllu(words)).expect("well-formed");
        assert_eq!(sentences.len(), 1);
        sentences[0].1.join(" ")
    }

    // (what, sentence, expected labels)
    const CASES: &[(&str, &str, &str)] = &[
        (
            "a name of two words, one mention over two lines",
            "Daniel PROPN 0 root Entity=(1-person-new-sssss-cf1-1,2-coref-Daniel_Bernoulli
             Bernoulli PROPN 1 flat Entity=1)",
            "B-PER I-PER",
        ),
        (
            "a one-word mention, place",
            "in ADP 2 case _
             Basel PROPN 0 root Entity=(43-place-giv:inact-snnnn-cf2-1-coref-Basel)",
            "O B-LOC",
        ),
        (
            "the determiner is dropped; the outer ORG wins over the inner LOC",
            "the DET 2 det Entity=(88-organization-new-nnnnn-cf8-4-sgl-University_of_Basel
             University PROPN 0 root _
             of ADP 4 case _
             Basel PROPN 2 nmod Entity=(43-place-giv-snnnn-cf2-1-coref-Basel)88)",
            "O B-ORG I-ORG I-ORG",
        ),
        (
            "a relative clause and its comma are not part of the name",
            "the DET 2 det Entity=(88-organization-new-nnnnn-cf8-4-sgl-University_of_Basel
             University PROPN 0 root _
             of ADP 4 case _
             Basel PROPN 2 nmod Entity=(43-place-giv-snnnn-cf2-1-coref-Basel)
             , PUNCT 8 punct _
             where ADV 8 advmod _
             he PRON 8 nsubj Entity=(1-person-giv-sssss-cf1-1-ana-Daniel_Bernoulli)
             taught VERB 2 acl:relcl Entity=88)",
            "O B-ORG I-ORG I-ORG O O O O",
        ),
        (
            "the outer mention's head is a NOUN: the possessor inside is the name, without 's",
            "Daniel PROPN 4 nmod:poss Entity=(2-person-new-sssss-cf1-1-coref-Johann_Bernoulli(1-person-giv-sssss-cf1-1,2-coref-Daniel_Bernoulli
             Bernoulli PROPN 1 flat _
             's PART 1 case Entity=1)
             father NOUN 0 root Entity=2)",
            "B-PER I-PER O O",
        ),
        (
            "a coordination is not one name; its conjuncts are",
            "St. PROPN 2 nmod:desc Entity=(9-place-new-nnnnn-cf1-1-sgl(83-place-new-snnnn-cf2-1,2-coref-Saint_Petersburg
             Petersburg PROPN 0 root Entity=83)
             and CCONJ 4 cc _
             Basel PROPN 2 conj Entity=(43-place-giv-snnnn-cf2-1-coref-Basel)9)",
            "B-LOC I-LOC O B-LOC",
        ),
        (
            "only PROPN heads: a description of a person is no name",
            "a DET 3 det Entity=(1-person-giv-sssss-cf1-3-pred-Daniel_Bernoulli
             Swiss ADJ 3 amod _
             mathematician NOUN 0 root Entity=1)",
            "O O O",
        ),
        (
            "other entity types are not tagged",
            "Hydrodynamica PROPN 0 root Entity=(20-abstract-new-nnnnn-cf1-1-sgl)",
            "O",
        ),
        (
            "a name inside a name of another type is part of that name",
            "the DET 3 det Entity=(5-event-new-nnnnn-cf1-2-sgl
             Texas PROPN 3 compound Entity=(6-place-new-nnnnn-cf2-1-sgl-Texas)
             Revolution PROPN 0 root Entity=5)",
            "O O O",
        ),
        (
            "a name beside another type's name in the same mention is kept",
            "Festival PROPN 0 root Entity=(5-event-new-nnnnn-cf1-1-sgl
             in ADP 3 case _
             Taipei PROPN 1 nmod Entity=(6-place-new-nnnnn-cf2-1-sgl-Taipei)5)",
            "O O B-LOC",
        ),
        (
            "an apposition and a place after a comma are names of their own",
            "Groningen PROPN 0 root Entity=(7-place-new-nnnnn-cf1-1-sgl-Groningen
             , PUNCT 5 punct _
             in ADP 5 case _
             the DET 5 det Entity=(8-place-new-nnnnn-cf2-1-sgl-Netherlands
             Netherlands PROPN 1 nmod Entity=8)7)",
            "B-LOC O O O B-LOC",
        ),
        (
            "titles of persons are left out; a lowercase adjective too",
            "the DET 4 det Entity=(3-person-new-nnnnn-cf1-3-sgl-William_Glennie
             late ADJ 4 amod _
             Dr. PROPN 4 nmod:desc _
             William PROPN 0 root _
             Glennie PROPN 4 flat Entity=3)",
            "O O O B-PER I-PER",
        ),
        (
            "capitalised modifiers and St. belong to organisation and place names",
            "French ADJ 2 amod Entity=(4-organization-new-nnnnn-cf1-2-sgl-French_Academy
             Academy PROPN 0 root Entity=4)
             in ADP 5 case _
             St. PROPN 5 nmod:desc Entity=(83-place-new-snnnn-cf2-1,2-coref-Saint_Petersburg
             Petersburg PROPN 2 nmod Entity=83)",
            "B-ORG I-ORG O B-LOC I-LOC",
        ),
        (
            "a person's title with of is no name; the place in it is",
            "President PROPN 0 root Entity=(10-person-new-nnnnn-cf1-1-sgl
             of ADP 4 case _
             the DET 4 det Entity=(11-place-new-nnnnn-cf2-2-sgl-United_States
             States PROPN 1 nmod Entity=11)10)",
            "O O O B-LOC",
        ),
        (
            "a person of a party: two names",
            "Ann PROPN 0 root Entity=(12-person-new-nnnnn-cf1-1-sgl
             Chiang PROPN 1 flat _
             of ADP 4 case _
             DAB PROPN 1 nmod Entity=(13-organization-new-nnnnn-cf2-1-sgl)12)",
            "B-PER I-PER O B-ORG",
        ),
        (
            "a person's title linked to the person's Wikipedia name is no name; initials are",
            "Mr. PROPN 2 nmod:desc Entity=(21-person-giv-nnnnn-cf1-2-coref-Joe_Biden
             President PROPN 0 root Entity=21)
             , PUNCT 4 punct _
             JFK PROPN 2 appos Entity=(22-person-new-nnnnn-cf1-1-sgl-John_F._Kennedy)
             and CCONJ 6 cc _
             Jack PROPN 4 conj Entity=(23-person-new-nnnnn-cf1-1-sgl-John_F%2E_Kennedy)",
            "O O O B-PER O O",
        ),
        (
            "a group of people (plural PROPN) is no person name",
            "Americans PROPN/NNPS 0 root Entity=(14-person-new-nnnnn-cf1-1-sgl)",
            "O",
        ),
        (
            "a mention that is two phrases is skipped",
            "South PROPN 2 conj Entity=(15-place-new-nnnnn-cf1-1-sgl
             Korea PROPN 0 root Entity=15)",
            "O O",
        ),
        (
            "a mention that is two phrases set off by a comma: the first is the head",
            "Paris PROPN 4 obl Entity=(15-place-new-nnnnn-cf1-1-sgl-Paris
             , PUNCT 3 punct _
             France PROPN 4 obl Entity=(16-place-new-nnnnn-cf1-1-sgl-France)15)
             lived VERB 0 root _",
            "B-LOC O B-LOC O",
        ),
        (
            "a name does not end in a preposition left there by the parse",
            "Hebrew PROPN 2 compound Entity=(9-organization-new-nnnnn-cf2-1-sgl
             University PROPN 0 root _
             of ADP 5 case _
             Jerusalem PROPN 5 nmod:poss _
             Institute PROPN 2 nmod Entity=9)",
            "B-ORG I-ORG O O O",
        ),
        (
            "a comma parts a compound into two names (a flat name keeps it)",
            "Sochi PROPN 0 root Entity=(17-place-new-nnnnn-cf1-1-sgl
             , PUNCT 3 punct _
             Russia PROPN 1 compound Entity=(18-place-new-nnnnn-cf1-1-sgl)17)
             ; PUNCT 5 punct _
             Austen PROPN 0 root Entity=(19-person-new-nnnnn-cf1-1-sgl
             , PUNCT 7 punct _
             Jane PROPN 5 flat Entity=19)",
            "B-LOC O B-LOC O B-PER I-PER I-PER",
        ),
        (
            "trailing punctuation is dropped",
            "Paris PROPN 0 root Entity=(16-place-new-nnnnn-cf1-1-sgl
             . PUNCT 1 punct Entity=16)",
            "B-LOC O",
        ),
        (
            "a sentence without entity annotations",
            "Hello INTJ 0 root _
             Paris PROPN 1 vocative SpaceAfter=No",
            "O O",
        ),
    ];

    #[test]
    fn gum_entities_become_uner_names() {
        for (what, words, expected) in CASES {
            assert_eq!(labels_of(words), *expected, "{what}");
        }
    }

    #[test]
    fn brackets_nest_and_close_by_id() {
        let rows = |miscs: &[&'static str]| -> Vec<Row<'static>> {
            miscs
                .iter()
                .map(|&misc| Row { form: "x", upos: "NOUN", xpos: "NN", head: 0, deprel: "root", misc })
                .collect()
        };
        let spans = |miscs: &[&'static str]| -> Vec<(usize, usize, String)> {
            mentions(&rows(miscs)).expect("well-formed").into_iter().map(|m| (m.start, m.end, m.etype)).collect()
        };
        // Several opens, a one-word mention and several closes in one field.
        assert_eq!(
            spans(&["Entity=(3-time-new-nnnnn-cf5-1-sgl", "Entity=(4-time-new", "Entity=(5-time-new)4)3)"]),
            [(0, 3, "time".into()), (1, 3, "time".into()), (2, 3, "time".into())]
        );
        // An open right after another one, and closes in either order of opening.
        assert_eq!(
            spans(&["XML=<hi>|Entity=(2-abstract-new(1-person-giv)", "Entity=(7-place-new", "Entity=7)2)"]),
            [(0, 3, "abstract".into()), (0, 1, "person".into()), (1, 3, "place".into())]
        );
        // The same id nested: a close ends the latest open one.
        assert_eq!(
            spans(&["Entity=(1-person", "Entity=(1-person", "Entity=1)", "Entity=1)"])[1],
            (1, 3, "person".into())
        );
        assert!(mentions(&rows(&["Entity=(1-person", "_"])).is_err(), "unclosed");
        assert!(mentions(&rows(&["_", "Entity=2)"])).is_err(), "closed without opening");
    }

    #[test]
    fn bernoulli_biography() {
        let Some(ud) = entente_testdata::shared_or_skip("gum_bernoulli", "data/ud/gum/sources") else { return };
        let text = std::fs::read_to_string(ud.join("GUM_bio_bernoulli.conllu")).expect("read");
        let sentences = conllu_ner(&text).expect("GUM's brackets parse");
        let names = |n: usize| -> Vec<(String, String)> {
            let (forms, labels) = &sentences[n - 1];
            crate::ner::spans(labels).into_iter().map(|(s, e, k)| (k, forms[s..e].join(" "))).collect()
        };
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter().map(|(k, n)| (k.to_string(), n.to_string())).collect()
        };
        // The sentence ids of the file are GUM_bio_bernoulli-<n>.
        assert_eq!(names(1), pairs(&[("PER", "Daniel Bernoulli")]));
        // "Daniel Bernoulli FRS (German pronunciation: [bɛʁˈnʊli]; ...) was a Swiss
        // mathematician ... in the Bernoulli family.": FRS is an apposition, the family's head
        // a NOUN, the pronunciation an abstract entity.
        assert_eq!(names(2), pairs(&[("PER", "Daniel Bernoulli")]));
        // "Daniel Bernoulli was born in Groningen, in the Netherlands, ...": one place mention
        // over "Groningen, in the Netherlands", another inside it.
        assert_eq!(names(8), pairs(&[("PER", "Daniel Bernoulli"), ("LOC", "Groningen"), ("LOC", "Netherlands")]));
        // "Daniel was a son of Johann Bernoulli (one of the ...) and a nephew of Jacob
        // Bernoulli (who ...)": the mentions run on into the brackets.
        assert_eq!(names(11), pairs(&[("PER", "Daniel"), ("PER", "Johann Bernoulli"), ("PER", "Jacob Bernoulli")]));
        // "He went to St. Petersburg in 1724 ... an excuse for leaving St. Petersburg."
        assert_eq!(names(24), pairs(&[("LOC", "St. Petersburg"), ("LOC", "St. Petersburg")]));
        // "He returned to the University of Basel, where he ... until his death.": one mention
        // from "the" to "death", with Basel a place inside it.
        assert_eq!(names(25), pairs(&[("ORG", "University of Basel")]));
        // "... by Euler and Colin Maclaurin, a prize was awarded by the French Academy: ...
        // Isaac Newton's Philosophiae Naturalis Principia Mathematica and ... Pierre-Simon
        // Laplace."
        assert_eq!(
            names(32),
            pairs(&[
                ("PER", "Euler"),
                ("PER", "Colin Maclaurin"),
                ("ORG", "French Academy"),
                ("PER", "Isaac Newton"),
                ("PER", "Pierre - Simon Laplace"),
            ])
        );
        let total: usize = (1..=sentences.len()).map(|n| names(n).len()).sum();
        assert!(total > 40, "{total} names");
    }
}
