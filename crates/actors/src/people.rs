//! Office-holders: "Japanese Prime Minister Fumio Kishida", "Jens Stoltenberg, the
//! secretary-general of NATO", "A Chinese foreign ministry spokesperson, Zhao Lijian,", "Ashfaq
//! Kiyani as the new ISI chief". Each gives a person (with their state when the office is a
//! state's) and a role fact; the person is then found by full name and by surname in the rest of
//! the document. An office named without its owner takes it from the knowledge base's holder of
//! that office by that name, or from the other offices of a list in the same sentence ("the
//! Defence Secretary, Donald Rumsfeld, the assistant Defence Secretary, Paul Wolfowitz").

use crate::find::Mention;
use crate::kb::{ActorKind, KnowledgeBase, Surface};
use crate::leaders::WEEKDAYS_AND_MONTHS;
use crate::name_shape::{name_at, name_ending_at, name_ends, surname_at, white_space};
use entente_document::Span;
use memchr::memmem;
use regex::Regex;
use std::sync::LazyLock;

/// Role words, in any case. The one pattern here: it finds where offices are named, and the
/// shapes around each (title and name, apposition) are read by hand (`name_shape`).
const ROLE: &str = r"(?i:(?:former |then |acting |deputy |vice |assistant |outgoing |incoming )?(?:prime minister|vice[- ]president|president|secretary[- ]general|foreign minister|defen[cs]e minister|finance minister|trade minister|interior minister|minister (?:of|for) foreign affairs|foreign secretary|defen[cs]e secretary|secretary of state|secretary of defen[cs]e|chancellor|premier|crown prince|king|queen|emir|sultan|supreme leader|spokes(?:man|woman|person)|ambassador|envoy|national security advis[eo]r|chief of staff|high representative|commissioner|director[- ]general|director|chairman|chairwoman|leader|head of state|head of government|minister|pm|official|negotiator|commander|chief|head|counterpart|number two|no\. ?2|#2|second[- ]in[- ]command))";
/// Plural titles before two names: "Japanese and Australian Prime Ministers Fumio Kishida and
/// Anthony Albanese".
const PLURAL_ROLES: &[&str] =
    &["prime ministers", "presidents", "foreign ministers", "defence ministers", "defense ministers", "leaders"];
/// Articles and copulas between an apposition's comma and its role: "Jens Stoltenberg, the
/// secretary general".
const APPOSITION_OPENERS: &[&str] = &["the ", "a ", "an ", "who is ", "is "];
/// How many characters may stand between an apposition's opener and its role
/// ("Valérie Niquet, a specialist in Asian affairs at the ... director").
const APPOSITION_PRE: usize = 50;

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
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    if c.is_ascii() {
        return c;
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    let base = match lower {
        // "İ" lower-cases to "i" and a combining dot.
        l if l.is_ascii() => l,
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'ə' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'ǐ' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' | 'ǒ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' | 'ǔ' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' | 'č' | 'ć' | 'ĉ' => 'c',
        'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
        'ş' | 'š' | 'ś' | 'ș' => 's',
        'ţ' | 'ț' | 'ť' => 't',
        'ğ' | 'ģ' => 'g',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' | 'ľ' | 'ĺ' | 'ļ' => 'l',
        'ř' | 'ŕ' => 'r',
        'ď' | 'đ' | 'ð' => 'd',
        'ķ' => 'k',
        'ß' => 's',
        _ => return c,
    };
    if c.is_uppercase() { base.to_ascii_uppercase() } else { base }
}

/// "Secretary-General" → "secretary general"; "former Defense Minister" → "defence
/// minister" (former).
pub(crate) fn normalise_role(role: &str) -> (String, bool) {
    let lower = role.to_lowercase().replace('-', " ");
    let former = lower.starts_with("former ") || lower.starts_with("then ");
    let core = ["former ", "then ", "acting ", "outgoing ", "incoming "]
        .iter()
        .fold(lower.as_str(), |r, p| r.strip_prefix(p).unwrap_or(r))
        .to_string();
    // Spelling is made one ("defense" and "defence"), but a title keeps the word the text
    // gives it ("spokesman", "spokeswoman", "chairwoman"): that is the office as reported,
    // and what a reader looking for it types.
    let core = core.replace("defense", "defence");
    let core = match core.as_str() {
        "pm" => "prime minister".to_string(),
        // "al-Qaeda's #2", "the party's No. 2", "second-in-command".
        "#2" | "no. 2" | "no.2" | "second in command" => "number two".to_string(),
        _ => core,
    };
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
    // Offices named with no owner the text or the table gives, for the list rule below.
    let mut unowned: Vec<(String, String, Span)> = Vec::new();
    let push = |roles: &mut Vec<RoleFact>,
                unowned: &mut Vec<(String, String, Span)>,
                name: &str,
                role: &str,
                owner: Option<&Mention>,
                span: Span,
                rule: &'static str| {
        let name = without_honorific(name);
        if !is_plausible_name(name, kb) {
            return;
        }
        let said = role;
        let (role, former) = normalise_role(role);
        // No owner named ("the Defence Secretary, Donald Rumsfeld,"): the table's holder of
        // that office by that name says whose it is.
        let table_owner;
        let owner = match owner {
            Some(o) => o,
            None => {
                let id = slug(name);
                let family = crate::leaders::office_family(&role);
                let Some(office) = kb
                    .leaders()
                    .iter()
                    .find(|l| l.id == id)
                    .and_then(|l| l.offices.iter().find(|o| crate::leaders::office_family(&o.role) == family))
                else {
                    if !role.ends_with("counterpart") {
                        unowned.push((name.to_string(), said.to_string(), span));
                    }
                    return;
                };
                let Some(actor) = kb.actor(&office.of) else { return };
                table_owner = Mention {
                    span,
                    actor: actor.id.clone(),
                    kind: actor.kind,
                    sector: None,
                    surface: Surface::Name,
                    rule: "kb:leaders",
                };
                &table_owner
            }
        };
        // "Mr. Trump and his Chinese counterpart, Xi Jinping": the office is the one the table
        // gives the person in that state or organisation (the latest to begin); unknown, none.
        let role = if role.ends_with("counterpart") {
            let id = slug(name);
            let Some(leader) = kb.leaders().iter().find(|l| l.id == id) else { return };
            let offices = leader.offices.iter().filter(|o| kb.counts_for(&o.of, &owner.actor));
            let Some(office) = offices.max_by_key(|o| o.start.map_or(i64::MIN, |d| d.day_range().0)) else { return };
            office.role.clone()
        } else {
            role
        };
        let fact =
            RoleFact { person: slug(name), name: name.to_string(), role, of: owner.actor.clone(), former, span, rule };
        if !roles
            .iter()
            .any(|r| r.person == fact.person && r.role == fact.role && r.of == fact.of && r.span.overlaps(span))
        {
            roles.push(fact);
        }
    };
    // Each shape is read where a role word stands; one scan of the text finds those.
    let mut surnames: Vec<(String, String, Span)> = Vec::new(); // (surname, owner, span)
    let words = role_words(text);
    for role in &words {
        if let Some((a, b)) = plural_title_names(text, role) {
            // The owners stand before the role, in the same order: "Japanese and Australian".
            let Some(second) = owner_before(text, mentions, role.start) else { continue };
            let first = mentions
                .iter()
                .rev()
                .find(|m| m.span.end <= second.span.start && text[m.span.end..second.span.start].trim() == "and");
            let title = &text[role.start..a.start];
            let singular = title.trim_end().to_lowercase().trim_end_matches('s').replace("ministers", "minister");
            push(
                &mut roles,
                &mut unowned,
                b.of(text),
                &singular,
                Some(second),
                Span::new(second.span.start, b.end),
                "role:plural-title-names",
            );
            push(
                &mut roles,
                &mut unowned,
                a.of(text),
                &singular,
                first,
                Span::new(first.map_or(role.start, |f| f.span.start), a.end),
                "role:plural-title-names",
            );
        }
        let name_start = white_space(text, role.end);
        if name_start == role.end {
            continue;
        }
        if let Some(end) = surname_at(text, name_start) {
            let followed_by_name = text[end..].starts_with(' ') && text[end + 1..].starts_with(char::is_uppercase);
            if let Some(owner) = owner_before(text, mentions, role.start).filter(|_| !followed_by_name) {
                surnames.push((
                    text[name_start..end].to_string(),
                    owner.actor.clone(),
                    Span::new(owner.span.start, end),
                ));
            }
        }
        if let Some(name_end) = name_at(text, name_start, |_| true) {
            let before = owner_before(text, mentions, role.start);
            // "Foreign Minister Mulambo Haimbe of Zambia": the owner after the name.
            let after = before
                .is_none()
                .then(|| post_phrase(text, name_end, 40, false))
                .flatten()
                .filter(|p| text[p.start..].trim_start().starts_with("of "))
                .and_then(|p| owner_after(text, mentions, p));
            let owner = before.or(after);
            let start = owner.map_or(role.start, |m| m.span.start.min(role.start));
            let end = after.map_or(name_end, |o| o.span.end);
            push(
                &mut roles,
                &mut unowned,
                &text[name_start..name_end],
                role.of(text),
                owner,
                Span::new(start, end),
                "role:title-name",
            );
        }
    }
    // "the appointment of Ashfaq Kiyani as the new ISI chief", "named Wang Yi as China's
    // foreign minister": a name, "as", and an office.
    for role in &words {
        let owner = owner_before(text, mentions, role.start);
        let mut before = text[..owner.map_or(role.start, |o| o.span.start)].trim_end();
        for word in ["new", "former", "the", "a", "an"] {
            if let Some(rest) = before.strip_suffix(word).filter(|r| r.ends_with(char::is_whitespace)) {
                before = rest.trim_end();
            }
        }
        let Some(end) = before.strip_suffix(" as").map(|b| b.trim_end().len()) else { continue };
        let Some(start) = name_ending_at(text, end) else { continue };
        let span = Span::new(start, role.end);
        push(&mut roles, &mut unowned, &text[start..end], role.of(text), owner, span, "role:name-as");
    }
    let mut last_apposition = 0;
    for (i, role) in words.iter().enumerate() {
        if !role.appositive {
            continue;
        }
        let previous = i.checked_sub(1).map(|i| &words[i]);
        let Some((name, pre)) = name_apposition(text, role, previous).filter(|(name, _)| name.start >= last_apposition)
        else {
            continue;
        };
        let name_span = name;
        // "the Defence Secretary, Donald Rumsfeld, the assistant ...": a name that is itself
        // the apposition of the role before it opens none of its own.
        if words.iter().any(|r| r.end <= name.start && text[r.end..name.start].trim() == ",") {
            continue;
        }
        let post = post_phrase(text, role.end, 60, false).unwrap_or(Span::new(role.end, role.end));
        last_apposition = post.end;
        // An apposition ends at punctuation or a clause: "Jens Stoltenberg, the secretary
        // general of NATO, said". A role followed by another name starts a list instead.
        let after = &text[post.end..];
        // After a preposition the name is an object ("a call with Recep Tayyip Erdoğan,
        // Russia's president said"): "said" is the office holder's own verb, no closer.
        let word_before = text[..name.start].split_whitespace().next_back().unwrap_or("");
        let object = ["with", "to", "by", "from", "for", "of", "against", "between", "and", "met", "called"]
            .contains(&word_before.to_lowercase().as_str());
        let closes = after.is_empty()
            || after.starts_with([',', '.', ';', ')'])
            || after.starts_with(" who")
            || (after.starts_with(" said") && !object);
        // "Mahmoud Zahar, Hamas's leader declared the cease fire": a sentence that opens with a
        // name and its owner's office, the closing comma left out. (Mid-sentence, "with Recep
        // Tayyip Erdoğan, Russia's president said" is two people.)
        let opens_sentence = {
            let before = text[..name.start].trim_end_matches([' ', '\t', '"', '“']);
            before.is_empty() || before.ends_with(['.', '!', '?', '\n'])
        };
        let possessive_owner = owner_before(text, mentions, role.start)
            .is_some_and(|o| o.span.start == pre.start && text[o.span.end..].starts_with(['\'', '’']));
        let unclosed = opens_sentence && possessive_owner && post.is_empty();
        if !(closes || unclosed) || pre.of(text).contains(" and ") {
            continue;
        }
        let owner = last_owner_in(text, mentions, pre).or_else(|| owner_after(text, mentions, post));
        let name = match name.of(text) {
            // "Nasrallah, the leader of Hezbollah": one word, the surname of a holder of
            // that office the table or the text knows.
            one if !one.contains(char::is_whitespace) => {
                let Some(full) = owner.and_then(|o| full_name_of(text, name.start, one, &o.actor, kb, &roles, known))
                else {
                    continue;
                };
                full
            }
            several => several.to_string(),
        };
        push(
            &mut roles,
            &mut unowned,
            &name,
            &with_former(text, pre, role.of(text)),
            owner,
            Span::new(name_span.start, post.end),
            "role:name-apposition",
        );
    }
    for role in words.iter().filter(|r| r.appositive) {
        let Some((name, post)) = apposition_name(text, role) else { continue };
        let pre = phrase_before(text, role.start);
        let lower = role.of(text).to_lowercase();
        let is_ambassador = lower.contains("ambassador") || lower.contains("envoy");
        // An ambassador "to Japan" is not Japan's: the owner is the sending state.
        let owner = last_owner_in(text, mentions, pre)
            .or_else(|| if is_ambassador { None } else { owner_after(text, mentions, post) });
        let start = owner.map_or(role.start, |m| m.span.start.min(role.start));
        push(
            &mut roles,
            &mut unowned,
            name.of(text),
            &with_former(text, pre, role.of(text)),
            owner,
            Span::new(start, name.end),
            "role:apposition-name",
        );
    }
    // "Vice-President Dick Cheney, the Defence Secretary, Donald Rumsfeld, the assistant
    // Defence Secretary, Paul Wolfowitz, ...": a list of office holders in one sentence whose
    // owned offices are all one state's shares that state.
    for (name, role, span) in std::mem::take(&mut unowned) {
        let near: Vec<&RoleFact> = roles
            .iter()
            .filter(|r| r.span.start.abs_diff(span.start) < 300 && same_sentence(text, r.span, span))
            .collect();
        let Some(first) = near.first() else { continue };
        let Some(state) = kb.actor(&first.of).filter(|a| a.kind == ActorKind::State) else { continue };
        if near.iter().all(|r| r.of == first.of) {
            let owner = Mention {
                span,
                actor: state.id.clone(),
                kind: state.kind,
                sector: None,
                surface: Surface::Name,
                rule: "role:list-owner",
            };
            push(&mut roles, &mut unowned, &name, &role, Some(&owner), span, "role:list-owner");
        }
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

/// Honorifics and ranks written before a name, which are no part of it ("Sheikh Ahmed
/// Yassin" is Ahmed Yassin); a name left with one word keeps its title ("Prince Bandar").
const HONORIFICS: &[&str] = &[
    "Sheikh",
    "Sheik",
    "Shaikh",
    "Ayatollah",
    "Grand",
    "Mullah",
    "Imam",
    "Prince",
    "Princess",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Dr",
    "Dr.",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Gen.",
    "General",
    "Cmdr.",
    "Col.",
    "Lt.",
    "Maj.",
    "Capt.",
    "Adm.",
    "Sen.",
    "Rep.",
    "Gov.",
    "President",
    "Prime",
    "Minister",
    "King",
    "Queen",
    "Emir",
    "Sultan",
];

/// The name without the honorifics it opens with, while two words are left.
fn without_honorific(name: &str) -> &str {
    let mut name = name.trim();
    while let Some((first, rest)) = name.split_once(char::is_whitespace) {
        let rest = rest.trim_start();
        if !HONORIFICS.contains(&first) || rest.split_whitespace().count() < 2 {
            break;
        }
        name = rest;
    }
    name
}

fn is_plausible_surname(word: &str, kb: &KnowledgeBase) -> bool {
    is_plausible_name(&format!("X {word}"), kb) && word.len() > 2
}

static ROLE_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(ROLE).expect("compiles"));

/// Compiles the role pattern now rather than on the first document: the mention finder,
/// built once per run, builds everything else it searches with up front too.
pub(crate) fn compile_patterns() {
    LazyLock::force(&ROLE_WORD);
}

/// A role word in the text ("Prime Minister", "former president", "spokesperson").
struct RoleWord {
    start: usize,
    end: usize,
    /// Whether a comma stands near it, as the apposition shapes need: "X, the president of Y"
    /// or "the president of Y, X,".
    appositive: bool,
}

impl RoleWord {
    fn of<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

fn role_words(text: &str) -> Vec<RoleWord> {
    let near = |a: usize, b: usize| {
        text[text.floor_char_boundary(a)..text.ceil_char_boundary(b.min(text.len()))].contains(',')
    };
    // A whole word, or its plural ("Prime Ministers Fumio Kishida and ..."): not the "king"
    // of "making" nor the "head" of "headquarters".
    let whole = |start: usize, end: usize| {
        let end = if text[end..].starts_with('s') { end + 1 } else { end };
        !text[..start].chars().next_back().is_some_and(char::is_alphanumeric)
            && !text[end..].chars().next().is_some_and(char::is_alphanumeric)
    };
    ROLE_WORD
        .find_iter(text)
        .filter(|m| whole(m.start(), m.end()))
        .map(|m| RoleWord {
            start: m.start(),
            end: m.end(),
            appositive: near(m.start().saturating_sub(70), m.start()) || near(m.end(), m.end() + 70),
        })
        .collect()
}

/// "Prime Ministers Fumio Kishida and Anthony Albanese": the two names.
fn plural_title_names(text: &str, role: &RoleWord) -> Option<(Span, Span)> {
    let rest = &text[role.start..];
    let title = PLURAL_ROLES.iter().find(|t| rest.get(..t.len()).is_some_and(|r| r.eq_ignore_ascii_case(t)))?;
    let a_start = white_space(text, role.start + title.len());
    if a_start == role.start + title.len() {
        return None;
    }
    // " and " between the names, with white space each side.
    let second = |end: usize| {
        let and = white_space(text, end);
        if and == end || !text[and..].starts_with("and") {
            return None;
        }
        let b = white_space(text, and + 3);
        (b > and + 3).then_some(b)
    };
    let a_end = name_at(text, a_start, |end| second(end).is_some_and(|b| !name_ends(text, b).is_empty()))?;
    let b_start = second(a_end)?;
    let b_end = name_at(text, b_start, |_| true)?;
    Some((Span::new(a_start, a_end), Span::new(b_start, b_end)))
}

/// "Jens Stoltenberg, the secretary general of NATO": the name before the comma and the phrase
/// between the opener and the role. The role must be the first after the comma (`previous`
/// is the role word before it).
fn name_apposition(text: &str, role: &RoleWord, previous: Option<&RoleWord>) -> Option<(Span, Span)> {
    let from = text.floor_char_boundary(role.start.saturating_sub(4 * APPOSITION_PRE));
    let comma = (from..role.start).rev().find(|&i| is_stop(text, i))?;
    if !text[comma..].starts_with(',') || previous.is_some_and(|p| p.start > comma) {
        return None;
    }
    let opener_start = white_space(text, comma + 1);
    // "..., Richard Perle, and the White House chief of staff, Karl Rove": a list goes on.
    if opener_start == comma + 1 || ["and ", "or "].iter().any(|w| text[opener_start..].starts_with(w)) {
        return None;
    }
    let opener = APPOSITION_OPENERS.iter().find(|o| text[opener_start..].starts_with(*o)).map_or(0, |o| o.len());
    let pre_start = if opener_start + opener <= role.start { opener_start + opener } else { opener_start };
    if text[pre_start..role.start].chars().count() > APPOSITION_PRE {
        return None;
    }
    let name_start = name_ending_at(text, comma).or_else(|| {
        // One capitalised word, for `full_name_of` to read.
        let start = text[..comma].char_indices().rfind(|(_, c)| c.is_whitespace()).map_or(0, |(i, c)| i + c.len_utf8());
        let word = &text[start..comma];
        (word.starts_with(char::is_uppercase) && word.chars().skip(1).all(|c| c.is_lowercase() || c == '-'))
            .then_some(start)
    })?;
    Some((Span::new(name_start, comma), Span::new(pre_start, role.start)))
}

/// "A Chinese foreign ministry spokesperson, Zhao Lijian,": the name after the role (and its
/// "of"/"for"/"to" phrase) and that phrase.
fn apposition_name(text: &str, role: &RoleWord) -> Option<(Span, Span)> {
    let post = post_phrase(text, role.end, 40, true).unwrap_or(Span::new(role.end, role.end));
    if !text[post.end..].starts_with(',') {
        return None;
    }
    let name_start = white_space(text, post.end + 1);
    if name_start == post.end + 1 {
        return None;
    }
    // A dash closes it too: "the White House chief of staff, Karl Rove - the main ...".
    let closed = |end: usize| {
        let next = white_space(text, end);
        let verb = ["said", "says", "told"]
            .iter()
            .any(|v| text[next..].starts_with(v) && !text[next + v.len()..].starts_with(char::is_alphanumeric));
        text[next..].starts_with([',', '.'])
            || (next > end && verb)
            || (next > end
                && text[next..].starts_with(['-', '–', '—'])
                && text[next..].chars().nth(1).is_some_and(char::is_whitespace))
    };
    let name_end = name_at(text, name_start, closed)?;
    Some((Span::new(name_start, name_end), post))
}

/// The phrase after a role that says whose it is: " of NATO", " for Nato", " to Japan", up to
/// `most` characters and the next comma, full stop or semicolon (which must be a comma when
/// `to_comma`).
fn post_phrase(text: &str, role_end: usize, most: usize, to_comma: bool) -> Option<Span> {
    let link = white_space(text, role_end);
    let word = ["of", "for", "to"].iter().find(|w| text[link..].starts_with(*w))?;
    let body = white_space(text, link + word.len());
    if link == role_end || body == link + word.len() {
        return None;
    }
    let stop = (body..text.len()).find(|&i| is_stop(text, i)).unwrap_or(text.len());
    let chars = text[body..stop].chars().count();
    if to_comma {
        (chars <= most && text[stop..].starts_with(',') && stop > link + word.len() + 1)
            .then(|| Span::new(role_end, stop))
    } else {
        // The phrase needs a character: a second space will do ("of  ,").
        let end = text[body..stop].char_indices().nth(most).map_or(stop, |(i, _)| body + i);
        (end > body || body > link + word.len() + 1).then(|| Span::new(role_end, end))
    }
}

/// The role as said, "former" when the phrase before it says so with words between ("the former
/// executive director").
fn with_former(text: &str, pre: Span, role: &str) -> String {
    // Not "the former Soviet republic's president": "former" of a name is the name's.
    let words: Vec<&str> = pre.of(text).split_whitespace().collect();
    let former = words.iter().enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case("former") && words.get(i + 1).is_none_or(|n| !n.starts_with(char::is_uppercase))
    });
    if former && !role.to_lowercase().starts_with("former ") { format!("former {role}") } else { role.to_string() }
}

/// Whether two spans stand in one sentence: no full stop (but an abbreviation's) between them.
fn same_sentence(text: &str, a: Span, b: Span) -> bool {
    let (from, to) = (a.end.min(b.end), a.start.max(b.start));
    from >= to || !(from..to).any(|i| text.as_bytes()[i] == b'.' && is_stop(text, i))
}

/// Whether the byte at `i` ends a phrase: a comma, a semicolon, or a full stop that ends no
/// abbreviation of capitals ("the U.S. commander", "a U.N. spokesman").
fn is_stop(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        Some(b',' | b';') => true,
        Some(b'.') => {
            let in_word = |c: char| c.is_ascii_uppercase() || c == '.';
            let word_start = text[..i].char_indices().rfind(|&(_, c)| !in_word(c)).map_or(0, |(j, c)| j + c.len_utf8());
            let word_end = text[i..].find(|c: char| !in_word(c)).map_or(text.len(), |j| i + j);
            let word = &text[word_start..word_end];
            // "U.S.", "U.N.", "E.U.": a capital and a stop, twice or more.
            let abbreviation = word.len() >= 4
                && word.as_bytes().chunks(2).all(|p| p.len() == 2 && p[0].is_ascii_uppercase() && p[1] == b'.');
            !abbreviation
        }
        _ => false,
    }
}

/// The phrase before a role word: up to 50 characters back, stopping after a comma, full stop
/// or semicolon ("A Chinese foreign ministry" before "spokesperson").
fn phrase_before(text: &str, at: usize) -> Span {
    let mut start = at;
    for (i, _) in text[..at].char_indices().rev().take(50) {
        if is_stop(text, i) {
            break;
        }
        start = i;
    }
    Span::new(start, at)
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

/// The state or organisation named right before a role ("Japanese", "NATO", "Japan's"), or
/// with up to three lower-case words of the office's field between ("EU foreign policy chief",
/// "UN human rights chief", "China's top trade negotiator").
fn owner_before<'a>(text: &str, mentions: &'a [Mention], role_start: usize) -> Option<&'a Mention> {
    const NOT_A_FIELD: &[&str] = &[
        "and", "or", "but", "the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "that",
        "under", "over", "after", "before", "about", "against", "between", "into", "through", "during", "without",
        "within", "among", "than", "via", "while", "when", "where", "who", "which", "said", "says", "told", "is",
        "was", "were", "has", "had", "will", "would", "its", "his", "her", "their", "new",
    ];
    let m = mentions.iter().rev().find(|m| m.span.end <= role_start && m.kind != ActorKind::Person)?;
    let between = text[m.span.end..role_start].trim();
    let possessive = between.strip_prefix("'s").or_else(|| between.strip_prefix("’s"));
    let words: Vec<&str> = possessive.unwrap_or(between).split_whitespace().collect();
    // Field words follow an owner that modifies them: a possessive, a demonym or an
    // organisation's name ("Syria under President ..." is no field).
    let modifies = possessive.is_some() || m.surface == Surface::Demonym || m.kind != ActorKind::State;
    let field = words.is_empty()
        || (modifies
            && words.len() <= 3
            && words.iter().all(|w| w.chars().all(|c| c.is_lowercase() || c == '-') && !NOT_A_FIELD.contains(w)));
    field.then_some(m)
}

/// The owner in the phrase after a role ("of NATO", "of the militant Lebanese Shiite group
/// Hezbollah", "of Zambia"): the first actor named there that is no modifier of a longer name. A
/// state after an article and followed by more words of the noun phrase modifies it ("the Iraq
/// survey group", "the American Farm Bureau Federation"): it counts where the phrase ends or goes
/// on with a function word.
fn owner_after<'a>(text: &str, mentions: &'a [Mention], span: Span) -> Option<&'a Mention> {
    const GOES_ON: &[&str] =
        &["of", "and", "or", "to", "in", "at", "for", "on", "who", "which", "that", "said", "says"];
    // "the executive director for China at the International Monetary Fund": the organisation
    // the office is at, not the state it is for.
    let at = mentions.iter().find(|m| {
        span.contains(m.span)
            && matches!(m.kind, ActorKind::Organization | ActorKind::Grouping)
            && [" at ", " at the "].iter().any(|a| text[span.start..m.span.start].ends_with(a))
    });
    if at.is_some() {
        return at;
    }
    mentions.iter().find(|m| {
        span.contains(m.span) && m.kind != ActorKind::Person && {
            let after = text[m.span.end..span.end].trim_start();
            let word = after.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
            // "of the Iraq survey group", "of the militant Lebanese Shiite group": a noun phrase
            // the state's name opens no more than its article does.
            let article =
                text[span.start..m.span.start].split_whitespace().any(|w| matches!(w, "the" | "a" | "an" | "The"));
            m.kind != ActorKind::State || !article || word.is_empty() || GOES_ON.contains(&word)
        }
    })
}

/// The owner named last in the phrase before a role, the one nearest it: "in Hanoi with North
/// Korea's leader" is North Korea's. None when a possessive pronoun stands between them: "after
/// Israel killed its former leader, X" is not Israel's.
fn last_owner_in<'a>(text: &str, mentions: &'a [Mention], span: Span) -> Option<&'a Mention> {
    const PRONOUNS: &[&str] = &["its", "it's", "it’s", "his", "her", "their", "our", "my", "your"];
    let m = mentions.iter().rev().find(|m| span.contains(m.span) && m.kind != ActorKind::Person)?;
    let between = &text[m.span.end..span.end];
    (!between.split_whitespace().any(|w| PRONOUNS.contains(&w.to_lowercase().as_str()))).then_some(m)
}

/// The full name of the person a surname alone stands for in an apposition with an office of
/// `of` ("Nasrallah, the leader of Hezbollah"): one the text has given an office already, one
/// known from earlier documents, or the one holder of an office of `of` in the knowledge base
/// with that surname or short name.
fn full_name_of(
    text: &str,
    at: usize,
    word: &str,
    of: &str,
    kb: &KnowledgeBase,
    roles: &[RoleFact],
    known: &[Person],
) -> Option<String> {
    let word = word.trim_end_matches(['\'', '’']);
    // A full name the text gave before, ending in the word ("Cmdr. Sean Robertson ... Robertson,
    // the U.S. commander").
    let earlier = memmem::find_iter(&text.as_bytes()[..at], word).find_map(|i| {
        let end = i + word.len();
        let whole = !text[end..].starts_with(char::is_alphanumeric);
        let start = name_ending_at(text, end).filter(|_| whole)?;
        let name = without_honorific(&text[start..end]);
        is_plausible_name(name, kb).then(|| name.to_string())
    });
    if earlier.is_some() {
        return earlier;
    }
    if let Some(r) = roles.iter().find(|r| r.of == of && r.name.split_whitespace().last() == Some(word)) {
        return Some(r.name.clone());
    }
    if let Some(p) = known.iter().find(|p| p.surname == word && p.country.as_deref().is_none_or(|c| c == of)) {
        return Some(p.name.clone());
    }
    let mut holders = kb.leaders().iter().filter(|l| {
        (l.surnames.iter().any(|s| s == word) || l.aliases.iter().any(|a| a == word))
            && l.offices.iter().any(|o| o.of == of || kb.home_state(&o.of) == Some(of))
    });
    let one = holders.next()?;
    holders.next().is_none().then(|| one.name.clone())
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
        "The",
        "This",
        "That",
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
        // "He" opens a sentence; later in a name it is a family name ("Liu He").
        && words[0] != "He"
        // "May" may be Theresa May.
        && !words.iter().any(|w| NOT_NAMES.contains(w) || (WEEKDAYS_AND_MONTHS.contains(w) && *w != "May"))
        && kb.lookup(name).is_none()
        && !words.iter().any(|w| kb.is_non_capital_surface(w))
}

/// Mentions of known people: full name anywhere, surname alone once the person is known.
pub fn person_mentions(text: &str, people: &[Person], taken: &[Mention]) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    for p in people {
        let full = find_full_name(text, &p.name).into_iter().map(|span| (span, NamedBy::FullName)).collect::<Vec<_>>();
        // (An empty needle would match between the bytes of a character.)
        let surname = (!p.surname.is_empty())
            .then(|| memmem::find_iter(text.as_bytes(), &p.surname))
            .into_iter()
            .flatten()
            .map(|s| (Span::new(s, s + p.surname.len()), NamedBy::Surname));
        for (span, by) in full.into_iter().chain(surname) {
            let boundary = !text[..span.start].chars().next_back().is_some_and(|c| c.is_alphanumeric())
                && !text[span.end..].chars().next().is_some_and(|c| c.is_alphanumeric());
            // "Hunter Biden" in a text about Joe Biden is someone else.
            let someone_else = by == NamedBy::Surname && crate::leaders::another_persons_surname(text, span.start);
            // A full name wins over a shorter mention inside it ("Mohammed Shia al-Sudani" and
            // a state name read in it); the shorter one is dropped later.
            let blocked = |m: &Mention| {
                m.span.overlaps(span)
                    && !(by == NamedBy::FullName && span.contains(m.span) && span.len() > m.span.len())
            };
            if boundary && !someone_else && !out.iter().any(|m| m.span.overlaps(span)) && !taken.iter().any(blocked) {
                out.push(Mention {
                    span,
                    actor: p.id.clone(),
                    kind: ActorKind::Person,
                    sector: None,
                    surface: Surface::Name,
                    rule: by.rule(),
                });
            }
        }
    }
    out.sort_by_key(|m| m.span.start);
    out
}

/// How a known person is named in a text: in full, or by surname alone (which may be
/// someone else of the same name).
#[derive(Clone, Copy, PartialEq, Eq)]
enum NamedBy {
    FullName,
    Surname,
}

impl NamedBy {
    fn rule(self) -> &'static str {
        match self {
            NamedBy::FullName => "person:name",
            NamedBy::Surname => "person:surname",
        }
    }
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
    for s in stand_ins.iter().filter(|s| !s.surname.is_empty()) {
        let Some(actor) = kb.actor(&s.actor) else { continue };
        let sector = (actor.kind == ActorKind::State).then(|| "GOV".to_string());
        for start in memmem::find_iter(text.as_bytes(), &s.surname) {
            let span = Span::new(start, start + s.surname.len());
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
/// runs for every known person on every document (and `memmem`, which is vectorised, finds
/// the first word several times faster than `str::match_indices`).
pub fn find_full_name(text: &str, name: &str) -> Vec<Span> {
    let parts: Vec<&str> = name.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
    let Some((first, rest)) = parts.split_first() else { return Vec::new() };
    let mut out = Vec::new();
    for start in memmem::find_iter(text.as_bytes(), first) {
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
            ["shinzo-abe | prime minister | JPN (former)"],
            "the owner after the name"
        );
        assert_eq!(
            roles("former Prime Minister John Unknown of Japan"),
            ["john-unknown | prime minister | JPN (former)"]
        );
        assert_eq!(roles("former Prime Minister John Unknown spoke"), Vec::<String>::new(), "no owner, no holder");
        assert_eq!(roles("Japanese former Prime Minister Shinzo Abe"), ["shinzo-abe | prime minister | JPN (former)"]);
        assert_eq!(
            roles("Japanese and Australian Prime Ministers Fumio Kishida and Anthony Albanese met."),
            ["fumio-kishida | prime minister | JPN", "anthony-albanese | prime minister | AUS"]
        );
    }

    #[test]
    fn names_of_any_region_in_titles_and_appositions() {
        let cases: &[(&str, &[&str])] = &[
            ("Recep Tayyip Erdoğan, Turkey's president, said", &["recep-tayyip-erdogan | president | TUR"]),
            ("Turkey's foreign minister, Hakan Fidan, said", &["hakan-fidan | foreign minister | TUR"]),
            ("Abdel Fattah el-Sisi, Egypt's president, said", &["abdel-fattah-el-sisi | president | EGY"]),
            ("Iraqi Prime Minister Mohammed Shia al-Sudani met", &["mohammed-shia-al-sudani | prime minister | IRQ"]),
            (
                "Turkey's foreign minister, Hakan Fidan said the talks went well.",
                &["hakan-fidan | foreign minister | TUR"],
            ),
            (
                "Saudi Crown Prince Mohammed bin Salman received Qatar's emir, Sheikh Tamim bin Hamad Al Thani.",
                &["mohammed-bin-salman | crown prince | SAU", "tamim-bin-hamad-al-thani | emir | QAT"],
            ),
            ("Turkey's foreign minister, Hakan Fidan sayswhat.", &[]),
            ("Kenyan President William Ruto arrived", &["william-ruto | president | KEN"]),
            ("Luiz Inácio Lula da Silva, Brazil's president, said", &["luiz-inacio-lula-da-silva | president | BRA"]),
            ("Dutch Prime Minister Dick W. Schoof said", &["dick-w-schoof | prime minister | NLD"]),
            ("Polish President Łukasz Nowak said", &["lukasz-nowak | president | POL"]),
            ("NASA spokesman Allard Beutel said", &["allard-beutel | spokesman | USA"]),
            // The office's field between its owner and its title.
            ("EU foreign policy chief Josep Borrell said", &["josep-borrell | chief | EU"]),
            ("UN human rights chief Volker Türk said", &["volker-turk | chief | UN"]),
            ("China's top trade negotiator Liu He said", &["liu-he | negotiator | CHN"]),
            ("Japan and the president John Unknown met", &[]),
            ("Japan said its president John Unknown met", &[]),
            ("troops leave Syria under President John Unknown's plan", &[]),
            ("Syria security chief John Unknown spoke", &[]),
            // The owner after the name.
            ("Foreign Minister Mulambo Haimbe of Zambia arrived.", &["mulambo-haimbe | foreign minister | ZMB"]),
            ("President John Unknown of the Iraq Study Group arrived.", &[]),
            // The organisation an office is at.
            (
                "Jane Roe, the former executive director for China at the International Monetary Fund, said",
                &["jane-roe | director | IMF (former)"],
            ),
            ("the former Soviet republic's president, Jane Roe, said", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(roles(text), *want, "{text}");
        }
    }

    #[test]
    fn appositions_read_the_right_owner_and_name() {
        let cases: &[(&str, &[&str])] = &[
            // An honorific is no part of the name, while two words are left.
            (
                "They protested the assassination of Sheikh Ahmed Yassin, the leader of Hamas, last March.",
                &["ahmed-yassin | leader | HAMAS"],
            ),
            ("Prince Bandar, the Saudi ambassador, gave a painting.", &["prince-bandar | ambassador | SAU"]),
            // The owner nearest the role.
            ("a meeting in Hanoi with North Korea’s leader, Kim Jong-un.", &["kim-jong-un | leader | PRK"]),
            // A state inside a longer name is no owner; the organisation after it is.
            ("according to Dr. David Kay, head of the Iraq survey group in charge of the hunt.", &[]),
            (
                "Hassan Nasrallah spoke. Nasrallah, the leader of the militant Lebanese Shiite group Hezbollah, said",
                &["hassan-nasrallah | leader | HEZBOLLAH"],
            ),
            // A possessive pronoun: the office is someone else's.
            ("after Israel killed its former leader, Muhammed Sheikh Khalil .", &[]),
            // A list goes on after "and"; a dash closes an apposition.
            (
                "President Bush, the former chairman of the Defence Policy Board, Richard Perle, and the White House Chief of Staff, Karl Rove - the main proponents",
                &["richard-perle | chairman | USA (former)", "karl-rove | chief of staff | USA"],
            ),
            ("commented Khader Habib, a senior Islamic Jihad official.", &["khader-habib | official | PIJ"]),
            ("a meeting with Liu He, China’s top trade negotiator.", &["liu-he | negotiator | CHN"]),
            ("He Said Nothing, the Chinese official, left.", &[]),
            // A surname alone, after the full name in the text.
            ("Cmdr. Sean Robertson spoke. Robertson, the U.S. commander, said", &["sean-robertson | commander | USA"]),
            // A counterpart holds the office the table gives them there.
            (
                "a meeting between Mr. Trump and his Chinese counterpart, Xi Jinping, in Chile",
                &["xi-jinping | president | CHN"],
            ),
            ("Blinken met his Chinese counterpart, Wang Yi, in Beijing.", &["wang-yi | foreign minister | CHN"]),
            ("Blinken met his Chinese counterpart, Zhang Unknown, in Beijing.", &[]),
            // No owner named: the table's holder of that office says whose it is.
            ("the secretary of state, Colin Powell, said", &["colin-powell | secretary of state | USA"]),
            // The rest of a list of one state's office holders is that state's.
            (
                "President Bush, Vice-President Dick Cheney, the Defence Secretary, Donald Rumsfeld, the assistant Defence Secretary, Paul Wolfowitz, the White House counsel, John Unknown, and others",
                &[
                    "dick-cheney | vice president | USA",
                    "donald-rumsfeld | defence secretary | USA",
                    "paul-wolfowitz | assistant defence secretary | USA",
                ],
            ),
            (
                "Dick Cheney, the vice president, spoke. The foreign minister, Jane Unknown, left.",
                &["dick-cheney | vice president | USA"],
            ),
            ("the prime minister, John Unknown, said", &[]),
            // A name "as" an office.
            (
                "Afghan officials welcomed the appointment on October 3 of Lt. General Ashfaq Kiyani as the new ISI chief.",
                &["ashfaq-kiyani | chief | PAK"],
            ),
            ("Beijing named Wang Yi as China's foreign minister.", &["wang-yi | foreign minister | CHN"]),
            ("They saw John Smith as a leader.", &[]),
            // A sentence opening with a name and its owner's office, unclosed.
            (
                "Israel struck. Mahmoud Zahar, Hamas's leader declared the cease fire.",
                &["mahmoud-zahar | leader | HAMAS"],
            ),
            ("In a call with Recep Tayyip Erdoğan, Russia's president said no.", &[]),
            // A second-in-command.
            (
                "Ayman al-Zawahiri spoke. Zawahiri, Al Qaeda's #2, is head of its program.",
                &["ayman-al-zawahiri | number two | ALQAEDA"],
            ),
            ("Jane Roe, the party's No. 2 in Japan, said", &[]),
            ("Li Qiang, China's No. 2, said", &["li-qiang | number two | CHN"]),
            // An abbreviation's full stops end no phrase.
            ("Farhan Haq, a U.N. spokesman, said", &["farhan-haq | spokesman | UN"]),
            ("John Smith, the head of the U.S. Navy, said", &["john-smith | head | USA"]),
            ("“U.S.” Jane Doe, the “U.S.” head of the U.N. mission, said", &["jane-doe | head | USA"]),
            // Role words are whole words.
            ("Japan's making Tokyo headquarters Kishida Fumio, said", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(roles(text), *want, "{text}");
        }
    }

    #[test]
    fn no_panic_beside_multibyte_characters() {
        let kb = KnowledgeBase::builtin();
        let finder = MentionFinder::new(kb);
        let pieces =
            ["é.", "”.", "U.S.”", "’s", ", the", " head of ", "Ş", ".é", "Jane Doe", " counterpart, ", "—", "Ł."];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b} President {c} Jane Doe{a}, the U.S.{b} head of{c} NATO{a}, said{b}");
                    let _ = find_roles(&text, &finder.find(&text), kb, &[]);
                    let wide = text.replace(' ', "\u{a0}").replace(',', "\u{3001}");
                    let _ = find_roles(&wide, &finder.find(&wide), kb, &[]);
                }
            }
        }
    }

    #[test]
    fn slugs_and_surnames() {
        assert_eq!(slug("Valérie Niquet"), "valerie-niquet");
        assert_eq!(slug("Yoon Suk-yeol"), "yoon-suk-yeol");
        for (name, id) in [
            ("Recep Tayyip Erdoğan", "recep-tayyip-erdogan"),
            ("Łukasz Kowalski", "lukasz-kowalski"),
            ("Şehbaz Şerif", "sehbaz-serif"),
            ("Klaus Iohannis Ștefan", "klaus-iohannis-stefan"),
            ("İlham Əliyev", "ilham-eliyev"),
            ("Andrej Plenković", "andrej-plenkovic"),
        ] {
            assert_eq!(slug(name), id);
        }
        let kb = KnowledgeBase::builtin();
        let text = "South Korean President Yoon Suk Yeol met Kishida. Yoon left.";
        let mentions = MentionFinder::new(kb).find(text);
        let people = find_roles(text, &mentions, kb, &[]).people;
        assert_eq!((people[0].surname.as_str(), people[0].country.as_deref()), ("Yoon", Some("KOR")));
        let found = person_mentions(text, &people, &mentions);
        assert_eq!(found.iter().map(|m| m.span.of(text)).collect::<Vec<_>>(), ["Yoon Suk Yeol", "Yoon"]);
    }
}
