//! Office-holders: "Japanese Prime Minister Fumio Kishida", "Jens Stoltenberg, the
//! secretary-general of NATO", "A Chinese foreign ministry spokesperson, Zhao Lijian,". Each
//! gives a person (with their state when the office is a state's) and a role fact; the person
//! is then found by full name and by surname in the rest of the document.

use crate::find::Mention;
use crate::kb::{ActorKind, KnowledgeBase, Surface};
use entente_document::Span;
use regex::Regex;
use std::sync::LazyLock;

const ROLE: &str = r"(?i:(?:former |then |acting |deputy |vice |outgoing |incoming )?(?:prime minister|vice[- ]president|president|secretary[- ]general|foreign minister|defen[cs]e minister|finance minister|trade minister|interior minister|minister (?:of|for) foreign affairs|foreign secretary|defen[cs]e secretary|secretary of state|secretary of defen[cs]e|chancellor|premier|crown prince|king|queen|emir|sultan|supreme leader|spokes(?:man|woman|person)|ambassador|envoy|national security advis[eo]r|chief of staff|high representative|commissioner|director[- ]general|director|chairman|chairwoman|leader|head of state|head of government|minister|pm))";
const NAME: &str = r"(?:[A-Z][\p{Ll}'’]+(?:-[\p{L}]+)?|[A-Z]\.)(?:\s+(?:[A-Z][\p{L}'’]+(?:-[\p{L}]+)?|bin|al-[A-Z][\p{Ll}]+|de|van|von|da|del|le)){1,3}";

// The three title-first shapes are anchored (`^`) and tried only where a role word starts,
// on a short slice: a scan of the whole window with capture groups was most of the time
// actor annotation took.
/// "Prime Minister Fumio Kishida": role then name (the owner stands just before the role).
static ROLE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^(?P<role>{ROLE})\s+(?P<name>{NAME})")).expect("compiles"));
/// "Japanese and Australian Prime Ministers Fumio Kishida and Anthony Albanese".
static PLURAL_ROLE_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?P<role>(?i:prime ministers|presidents|foreign ministers|defen[cs]e ministers|leaders))\s+(?P<a>{NAME})\s+and\s+(?P<b>{NAME})")).expect("compiles")
});
/// "Japan PM Kishida", "President Yoon": a title and a surname alone.
static ROLE_SURNAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?P<role>{ROLE})\s+(?P<name>[A-Z][\p{{Ll}}'’]+(?:-[\p{{L}}]+)?)\b")).expect("compiles")
});
/// How far after a role word's start a title-first shape may reach.
const TITLE_SHAPE_LENGTH: usize = 160;
/// "Jens Stoltenberg, the secretary-general of NATO": name, then an apposition with the role.
static NAME_APPOSITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?P<name>{NAME}),\s+(?:the |a |an |who is |is )?(?P<pre>[^,.;]{{0,50}}?)(?P<role>{ROLE})(?P<post>(?:\s+(?:of|for|to)\s+[^,.;]{{1,60}})?)")).expect("compiles")
});
/// "A Chinese foreign ministry spokesperson, Zhao Lijian,": role phrase, then the name. Tried
/// at role words; the phrase before the role (`pre`, up to 50 characters back to a comma or
/// stop) is read by hand.
static APPOSITION_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<role>{ROLE})(?P<post>(?:\s+(?:of|for|to)\s+[^,.;]{{1,40}})?),\s+(?P<name>{NAME})\s*[,.]"
    ))
    .expect("compiles")
});

/// A role a person holds (or held), with the text that says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleFact {
    /// The person's id: the lower-case slug of the full name.
    pub person: String,
    pub name: String,
    /// Lower case: "prime minister", "secretary general", "spokesperson".
    pub role: String,
    /// The state or organisation whose office it is.
    pub of: String,
    pub former: bool,
    pub span: Span,
    pub rule: &'static str,
}

/// A person found in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
    /// The name the text uses alone ("Kishida", "Yoon").
    pub surname: String,
}

/// Lower-case slug of a name: "Yoon Suk-yeol" → "yoon-suk-yeol", "Valérie Niquet" → "valerie-niquet".
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

pub(crate) fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'é' | 'è' | 'ê' | 'ë' | 'ē' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => 'o',
        'Ó' | 'Ö' | 'Ø' => 'O',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
        'Ü' | 'Ú' => 'U',
        'ç' => 'c',
        'ñ' => 'n',
        'ş' | 'š' => 's',
        'ğ' => 'g',
        'ž' => 'z',
        'č' | 'ć' => 'c',
        'ł' => 'l',
        _ => c,
    }
}

/// "Secretary-General" → "secretary general"; "spokesman" → "spokesperson".
fn normalise_role(role: &str) -> (String, bool) {
    let lower = role.to_lowercase().replace('-', " ");
    let former = lower.starts_with("former ") || lower.starts_with("then ");
    let core = ["former ", "then ", "acting ", "outgoing ", "incoming "]
        .iter()
        .fold(lower.as_str(), |r, p| r.strip_prefix(p).unwrap_or(r))
        .to_string();
    let core = core
        .replace("spokesman", "spokesperson")
        .replace("spokeswoman", "spokesperson")
        .replace("defense", "defence")
        .replace("chairwoman", "chairman");
    (core, former)
}

impl Person {
    /// A person with the surname the text will use alone: the first word for names written
    /// family name first, else the last.
    pub fn new(id: &str, name: &str, country: Option<String>) -> Person {
        let words: Vec<&str> = name.split_whitespace().collect();
        let family_first = country.as_deref().is_some_and(|c| FAMILY_NAME_FIRST.contains(&c));
        let surname = if family_first { words.first() } else { words.last() }.copied().unwrap_or(name);
        Person { id: id.to_string(), name: name.to_string(), country, surname: surname.to_string() }
    }
}

/// States whose press writes names family name first ("Yoon Suk Yeol" is Mr Yoon).
const FAMILY_NAME_FIRST: &[&str] = &["KOR", "PRK", "CHN", "TWN", "VNM", "HKG", "MAC", "KHM", "MNG"];

/// Finds office-holders. `mentions` are the knowledge-base mentions (with references
/// resolved), used to tell whose office it is.
pub fn find_roles(text: &str, mentions: &[Mention], kb: &KnowledgeBase, known: &[Person]) -> Offices {
    let mut roles: Vec<RoleFact> = Vec::new();
    let mut push = |name: &str, role: &str, owner: Option<&Mention>, span: Span, rule: &'static str| {
        let Some(owner) = owner else { return };
        if !is_plausible_name(name, kb) {
            return;
        }
        let (role, former) = normalise_role(role);
        let fact =
            RoleFact { person: slug(name), name: name.to_string(), role, of: owner.actor.clone(), former, span, rule };
        if !roles
            .iter()
            .any(|r| r.person == fact.person && r.role == fact.role && r.of == fact.of && r.span.overlaps(span))
        {
            roles.push(fact);
        }
    };
    // The patterns only run near a role word: one cheap scan finds those, and each pattern
    // then reads a window of text around it.
    let mut surnames: Vec<(String, String, Span)> = Vec::new(); // (surname, owner, span)
    let (windows, role_starts) = role_windows(text);
    for &(at, _) in &role_starts {
        let ws = at;
        let sub = title_slice(text, at);
        if let Some(c) = PLURAL_ROLE_NAMES.captures(sub) {
            let [role, a, b] = groups(&c, ws, ["role", "a", "b"]);
            // The owners stand before the role, in the same order: "Japanese and Australian".
            let Some(second) = owner_before(text, mentions, role.start) else { continue };
            let first = mentions
                .iter()
                .rev()
                .find(|m| m.span.end <= second.span.start && text[m.span.end..second.span.start].trim() == "and");
            let singular = role.text.to_lowercase().trim_end_matches('s').replace("ministers", "minister");
            push(b.text, &singular, Some(second), Span::new(second.span.start, b.end), "role:plural-title-names");
            push(
                a.text,
                &singular,
                first,
                Span::new(first.map_or(role.start, |f| f.span.start), a.end),
                "role:plural-title-names",
            );
        }
        if let Some(c) = ROLE_SURNAME.captures(sub) {
            let [role, name] = groups(&c, ws, ["role", "name"]);
            let followed_by_name =
                text[name.end..].starts_with(' ') && text[name.end + 1..].starts_with(char::is_uppercase);
            if let Some(owner) = owner_before(text, mentions, role.start).filter(|_| !followed_by_name) {
                surnames.push((name.text.to_string(), owner.actor.clone(), Span::new(owner.span.start, name.end)));
            }
        }
        if let Some(c) = ROLE_NAME.captures(sub) {
            let [role, name] = groups(&c, ws, ["role", "name"]);
            let owner = owner_before(text, mentions, role.start);
            let start = owner.map_or(role.start, |m| m.span.start);
            push(name.text, role.text, owner, Span::new(start, name.end), "role:title-name");
        }
    }
    for (ws, sub, appositive) in windows {
        let appositions = if appositive { NAME_APPOSITION.captures_iter(sub).collect() } else { Vec::new() };
        for c in appositions {
            let [name, role, pre, post] = groups(&c, ws, ["name", "role", "pre", "post"]);
            // An apposition ends at punctuation or a clause: "Jens Stoltenberg, the secretary
            // general of NATO, said". A role followed by another name starts a list instead.
            let after = &text[post.end.max(role.end)..];
            let closes = after.is_empty()
                || after.starts_with([',', '.', ';', ')'])
                || after.starts_with(" who")
                || after.starts_with(" said");
            if !closes || pre.text.contains(" and ") {
                continue;
            }
            let owner = owner_in(mentions, pre.span()).or_else(|| owner_in(mentions, post.span()));
            push(name.text, role.text, owner, Span::new(name.start, post.end.max(role.end)), "role:name-apposition");
        }
    }
    for &(at, appositive) in &role_starts {
        if !appositive {
            continue;
        }
        let Some(c) = APPOSITION_NAME.captures(title_slice(text, at)) else { continue };
        let [name, role, post] = groups(&c, at, ["name", "role", "post"]);
        let pre = phrase_before(text, at);
        let lower = role.text.to_lowercase();
        let is_ambassador = lower.contains("ambassador") || lower.contains("envoy");
        // An ambassador "to Japan" is not Japan's: the owner is the sending state.
        let owner = owner_in(mentions, pre.span())
            .or_else(|| if is_ambassador { None } else { owner_in(mentions, post.span()) });
        let start = owner.map_or(role.start, |m| m.span.start.min(role.start));
        push(name.text, role.text, owner, Span::new(start, name.end), "role:apposition-name");
    }
    roles.sort_by_key(|r| r.span.start);
    let mut people = people_of(&roles, kb);
    // "Japan PM Kishida" when Fumio Kishida of Japan is already known: it is him.
    for (surname, owner, _) in &surnames {
        if let Some(p) = known.iter().find(|p| &p.surname == surname && p.country.as_deref().is_none_or(|c| c == owner))
            && !people.iter().any(|q| q.id == p.id)
        {
            people.push(p.clone());
        }
    }
    let stand_ins = surnames
        .into_iter()
        .filter(|(surname, _, _)| {
            !people.iter().chain(known).any(|p| &p.surname == surname) && is_plausible_surname(surname, kb)
        })
        .map(|(surname, actor, span)| StandIn { surname, actor, span })
        .collect();
    Offices { people, roles, stand_ins }
}

/// A title and a surname whose full name the document does not give ("Japan PM Kishida"):
/// until the person is known, the surname stands for the office's holder, the state's
/// government.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StandIn {
    pub surname: String,
    /// The state or organisation whose office it is.
    pub actor: String,
    pub span: Span,
}

/// What the office patterns find in a document.
#[derive(Clone, Debug, Default)]
pub struct Offices {
    pub people: Vec<Person>,
    pub roles: Vec<RoleFact>,
    pub stand_ins: Vec<StandIn>,
}

fn is_plausible_surname(word: &str, kb: &KnowledgeBase) -> bool {
    is_plausible_name(&format!("X {word}"), kb) && word.len() > 2
}

/// A captured group in whole-text coordinates.
struct Group<'t> {
    start: usize,
    end: usize,
    text: &'t str,
}

impl Group<'_> {
    fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

fn groups<'t, const N: usize>(c: &regex::Captures<'t>, offset: usize, names: [&str; N]) -> [Group<'t>; N] {
    names.map(|n| {
        let m = c.name(n).expect("the pattern has this group");
        Group { start: m.start() + offset, end: m.end() + offset, text: m.as_str() }
    })
}

static ROLE_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(ROLE).expect("compiles"));

/// Compiles the office patterns now rather than on the first document. They are large (a
/// Unicode name and a case-insensitive role list), and the mention finder, built once per
/// run, builds everything else it searches with up front too.
pub(crate) fn compile_patterns() {
    for re in [&ROLE_NAME, &PLURAL_ROLE_NAMES, &ROLE_SURNAME, &NAME_APPOSITION, &APPOSITION_NAME, &ROLE_WORD] {
        LazyLock::force(re);
    }
}
/// How far around a role word a name and its owner may stand.
const WINDOW_BEFORE: usize = 160;
const WINDOW_AFTER: usize = 140;

/// Windows of text around role words, merged where they overlap: (offset, text, whether a
/// comma stands near a role word); and where each role word starts.
type RoleWindows<'t> = (Vec<(usize, &'t str, bool)>, Vec<(usize, bool)>);

/// The text from a role word on, as far as a title-first shape may reach.
fn title_slice(text: &str, at: usize) -> &str {
    &text[at..text.ceil_char_boundary((at + TITLE_SHAPE_LENGTH).min(text.len()))]
}

/// The phrase before a role word: up to 50 characters back, stopping after a comma, full stop
/// or semicolon ("A Chinese foreign ministry" before "spokesperson").
fn phrase_before(text: &str, at: usize) -> Group<'_> {
    let mut start = at;
    for (i, c) in text[..at].char_indices().rev().take(50) {
        if matches!(c, ',' | '.' | ';') {
            break;
        }
        start = i;
    }
    Group { start, end: at, text: &text[start..at] }
}

fn role_windows(text: &str) -> RoleWindows<'_> {
    let mut spans: Vec<(usize, usize, bool)> = Vec::new();
    let mut starts = Vec::new();
    for m in ROLE_WORD.find_iter(text) {
        let start = text.floor_char_boundary(m.start().saturating_sub(WINDOW_BEFORE));
        let end = text.ceil_char_boundary((m.end() + WINDOW_AFTER).min(text.len()));
        // The apposition shapes need a comma next to the role: "X, the president of Y" or
        // "the president of Y, X,".
        let near = |a: usize, b: usize| {
            text[text.floor_char_boundary(a)..text.ceil_char_boundary(b.min(text.len()))].contains(',')
        };
        let appositive = near(m.start().saturating_sub(70), m.start()) || near(m.end(), m.end() + 70);
        starts.push((m.start(), appositive));
        match spans.last_mut() {
            Some(last) if start <= last.1 => {
                last.1 = last.1.max(end);
                last.2 |= appositive;
            }
            _ => spans.push((start, end, appositive)),
        }
    }
    (spans.into_iter().map(|(s, e, a)| (s, &text[s..e], a)).collect(), starts)
}

fn people_of(roles: &[RoleFact], kb: &KnowledgeBase) -> Vec<Person> {
    let mut people: Vec<Person> = Vec::new();
    for r in roles {
        if people.iter().any(|p| p.id == r.person) {
            continue;
        }
        // A state's office holder is of that state; an armed group's or party's leader of its home state.
        let country = kb.home_state(&r.of).map(str::to_string);
        people.push(Person::new(&r.person, &r.name, country));
    }
    people
}

/// The state or organisation named right before a role ("Japanese", "NATO", "Japan's").
fn owner_before<'a>(text: &str, mentions: &'a [Mention], role_start: usize) -> Option<&'a Mention> {
    mentions.iter().rev().find(|m| {
        m.span.end <= role_start && m.kind != ActorKind::Person && {
            let between = text[m.span.end..role_start].trim();
            between.is_empty() || between == "'s" || between == "’s"
        }
    })
}

fn owner_in(mentions: &[Mention], span: Span) -> Option<&Mention> {
    mentions.iter().find(|m| span.contains(m.span) && m.kind != ActorKind::Person)
}

/// Not a name if a word of it is a role word, a known actor or a calendar word.
fn is_plausible_name(name: &str, kb: &KnowledgeBase) -> bool {
    const NOT_NAMES: &[&str] = &[
        "Prime",
        "Minister",
        "President",
        "Secretary",
        "General",
        "Foreign",
        "Ministry",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "The",
        "This",
        "That",
        "He",
        "She",
        "It",
        "They",
        "In",
        "On",
        "At",
        "But",
        "And",
        "Office",
        "Summit",
        "Council",
        "Government",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() >= 2
        && !words.iter().any(|w| NOT_NAMES.contains(w))
        && kb.lookup(name).is_none()
        && !words.iter().any(|w| kb.is_non_capital_surface(w))
}

/// Mentions of known people: full name anywhere, surname alone once the person is known.
pub fn person_mentions(text: &str, people: &[Person], taken: &[Mention]) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    for p in people {
        let full = find_full_name(text, &p.name).into_iter().map(|span| (span, "person:name")).collect::<Vec<_>>();
        let surname =
            text.match_indices(p.surname.as_str()).map(|(s, w)| (Span::new(s, s + w.len()), "person:surname"));
        for (span, rule) in full.into_iter().chain(surname) {
            let boundary = !text[..span.start].chars().next_back().is_some_and(|c| c.is_alphanumeric())
                && !text[span.end..].chars().next().is_some_and(|c| c.is_alphanumeric());
            if boundary && !out.iter().chain(taken).any(|m| m.span.overlaps(span)) {
                out.push(Mention {
                    span,
                    actor: p.id.clone(),
                    kind: ActorKind::Person,
                    sector: None,
                    surface: Surface::Name,
                    rule,
                });
            }
        }
    }
    out.sort_by_key(|m| m.span.start);
    out
}

/// Mentions of a stand-in surname: the office's state (its government) or organisation.
pub fn stand_in_mentions(
    text: &str,
    stand_ins: &[StandIn],
    kb: &KnowledgeBase,
    taken: &[Mention],
    persons: &[Mention],
) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    for s in stand_ins {
        let Some(actor) = kb.actor(&s.actor) else { continue };
        let sector = (actor.kind == ActorKind::State).then(|| "GOV".to_string());
        for (start, w) in text.match_indices(s.surname.as_str()) {
            let span = Span::new(start, start + w.len());
            let boundary = !text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric())
                && !text[span.end..].chars().next().is_some_and(|c| c.is_alphanumeric());
            if boundary && !out.iter().chain(taken).chain(persons).any(|m| m.span.overlaps(span)) {
                out.push(Mention {
                    span,
                    actor: actor.id.clone(),
                    kind: actor.kind,
                    sector: sector.clone(),
                    surface: Surface::Name,
                    rule: "person:surname-of-office",
                });
            }
        }
    }
    out
}

/// Where a person's full name stands in `text`, however the text spaces or hyphenates it:
/// "Yoon Suk Yeol" also matches "Yoon Suk-yeol" (the same slug). No regular expression: this
/// runs for every known person on every document.
pub fn find_full_name(text: &str, name: &str) -> Vec<Span> {
    let parts: Vec<&str> = name.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
    let Some((first, rest)) = parts.split_first() else { return Vec::new() };
    let mut out = Vec::new();
    for (start, _) in text.match_indices(first) {
        if text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        let mut at = start + first.len();
        let matched = rest.iter().all(|part| {
            let after = &text[at..];
            let gap = after.len() - after.trim_start_matches(|c: char| c.is_whitespace() || c == '-').len();
            let next = &after[gap..];
            let ok = gap > 0
                && next.len() >= part.len()
                && next.is_char_boundary(part.len())
                && next[..part.len()].eq_ignore_ascii_case(part);
            at += if ok { gap + part.len() } else { 0 };
            ok
        });
        if matched && !text[at..].chars().next().is_some_and(|c| c.is_alphanumeric()) {
            out.push(Span::new(start, at));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::find::MentionFinder;

    fn roles(text: &str) -> Vec<String> {
        let kb = KnowledgeBase::builtin();
        let mentions = MentionFinder::new(kb).find(text);
        let roles = find_roles(text, &mentions, kb, &[]).roles;
        roles
            .iter()
            .map(|r| format!("{} | {} | {}{}", r.person, r.role, r.of, if r.former { " (former)" } else { "" }))
            .collect()
    }

    #[test]
    fn the_three_shapes_of_an_office() {
        assert_eq!(roles("Japanese Prime Minister Fumio Kishida arrived."), ["fumio-kishida | prime minister | JPN"]);
        assert_eq!(
            roles("NATO Secretary-General Jens Stoltenberg said"),
            ["jens-stoltenberg | secretary general | NATO"]
        );
        assert_eq!(
            roles("A Chinese foreign ministry spokesperson, Zhao Lijian, said"),
            ["zhao-lijian | spokesperson | CHN"]
        );
        assert_eq!(
            roles("Jens Stoltenberg, the secretary general of NATO, said"),
            ["jens-stoltenberg | secretary general | NATO"]
        );
        assert_eq!(
            roles("Australian prime minister, Anthony Albanese, attended"),
            ["anthony-albanese | prime minister | AUS"]
        );
        assert_eq!(roles("A spokesperson for Nato, Oana Lungescu, declined"), ["oana-lungescu | spokesperson | NATO"]);
        assert_eq!(
            roles("Japan’s prime minister, Fumio Kishida, who will host"),
            ["fumio-kishida | prime minister | JPN"]
        );
        assert_eq!(
            roles("The Danish ambassador to Japan, Peter Taksoe-Jensen, told"),
            ["peter-taksoe-jensen | ambassador | DNK"]
        );
        assert_eq!(
            roles("former Prime Minister Shinzo Abe of Japan"),
            Vec::<String>::new(),
            "no owner before the role"
        );
        assert_eq!(roles("Japanese former Prime Minister Shinzo Abe"), ["shinzo-abe | prime minister | JPN (former)"]);
        assert_eq!(
            roles("Japanese and Australian Prime Ministers Fumio Kishida and Anthony Albanese met."),
            ["fumio-kishida | prime minister | JPN", "anthony-albanese | prime minister | AUS"]
        );
    }

    #[test]
    fn slugs_and_surnames() {
        assert_eq!(slug("Valérie Niquet"), "valerie-niquet");
        assert_eq!(slug("Yoon Suk-yeol"), "yoon-suk-yeol");
        let kb = KnowledgeBase::builtin();
        let text = "South Korean President Yoon Suk Yeol met Kishida. Yoon left.";
        let mentions = MentionFinder::new(kb).find(text);
        let people = find_roles(text, &mentions, kb, &[]).people;
        assert_eq!((people[0].surname.as_str(), people[0].country.as_deref()), ("Yoon", Some("KOR")));
        let found = person_mentions(text, &people, &mentions);
        assert_eq!(found.iter().map(|m| m.span.of(text)).collect::<Vec<_>>(), ["Yoon Suk Yeol", "Yoon"]);
    }
}
