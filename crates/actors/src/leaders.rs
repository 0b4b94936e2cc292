//! Well-known office holders from the knowledge base (`leaders.tsv`) named without the office:
//! "Putin offered to negotiate", "President Bush threatened", "the Bush administration
//! declared", "King Hassan of Morocco". One Aho-Corasick pass finds their full names, the
//! names that stand alone and the surnames; a surname counts only after a title or before
//! "administration" / "government". Who it is comes from the title, the state or organisation
//! named before it and the document's date; a surname shared by holders of different states'
//! offices that none of these tell apart stays unresolved.

use crate::find::Mention;
use crate::kb::{ActorKind, KnowledgeBase, Office, Surface};
use crate::people::{Person, RoleFact};
use entente_document::{PartialDate, Span};
use std::collections::BTreeMap;

/// How a pattern names a leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum How {
    /// The full name or a name that stands alone ("Vladimir Putin", "Putin", "Bin Laden").
    Name,
    /// A surname, valid only after a title or before "administration" ("President Bush").
    Surname,
}

/// A leader's name found in text, before resolution.
#[derive(Clone, Debug)]
pub(crate) struct LeaderHit {
    pub(crate) span: Span,
    pub(crate) targets: Vec<(usize, How)>,
}

/// The texts that name leaders, each with the leaders (indices into
/// `KnowledgeBase::leaders`) it may name and how. The mention finder's automaton holds them
/// beside the knowledge base's surface forms, so one pass over the text finds both.
pub(crate) fn patterns(kb: &KnowledgeBase) -> Vec<(String, Vec<(usize, How)>)> {
    let mut by_text: BTreeMap<String, Vec<(usize, How)>> = BTreeMap::new();
    let mut add = |text: &str, target: (usize, How)| {
        let text = text.trim().trim_start_matches("the ").to_string();
        if text.len() < 2 {
            return;
        }
        let folded: String = text.chars().map(crate::people::fold).collect();
        for t in [text, folded] {
            let entry = by_text.entry(t).or_default();
            if !entry.contains(&target) {
                entry.push(target);
            }
        }
    };
    for (i, l) in kb.leaders().iter().enumerate() {
        add(&l.name, (i, How::Name));
        for a in &l.aliases {
            add(a, (i, How::Name));
        }
        for s in &l.surnames {
            add(s, (i, How::Surname));
        }
    }
    // A text that is a name of one leader and a surname of others ("Assad") names all.
    by_text.into_iter().collect()
}

/// Titles before a name, longest first, with the office they name (`None`: any office).
const TITLES: &[(&str, Option<&str>)] = &[
    ("Vice President", Some("vice president")),
    ("Vice-President", Some("vice president")),
    ("vice president", Some("vice president")),
    ("Prime Minister", Some("prime minister")),
    ("prime minister", Some("prime minister")),
    ("Foreign Minister", Some("foreign minister")),
    ("foreign minister", Some("foreign minister")),
    ("Foreign Secretary", Some("foreign minister")),
    ("foreign secretary", Some("foreign minister")),
    ("Secretary of State", Some("foreign minister")),
    ("secretary of state", Some("foreign minister")),
    ("Secretary-General", Some("secretary general")),
    ("Secretary General", Some("secretary general")),
    ("secretary-general", Some("secretary general")),
    ("secretary general", Some("secretary general")),
    ("Secretary of Defense", Some("defence minister")),
    ("Secretary of Defence", Some("defence minister")),
    ("secretary of defense", Some("defence minister")),
    ("secretary of defence", Some("defence minister")),
    ("Defense Secretary", Some("defence minister")),
    ("Defence Secretary", Some("defence minister")),
    ("defense secretary", Some("defence minister")),
    ("defence secretary", Some("defence minister")),
    ("Defense Minister", Some("defence minister")),
    ("Defence Minister", Some("defence minister")),
    ("defense minister", Some("defence minister")),
    ("defence minister", Some("defence minister")),
    ("Supreme Leader", Some("supreme leader")),
    ("supreme leader", Some("supreme leader")),
    ("Crown Prince", Some("crown prince")),
    ("crown prince", Some("crown prince")),
    ("President", Some("president")),
    ("president", Some("president")),
    ("Chancellor", Some("chancellor")),
    ("chancellor", Some("chancellor")),
    ("Premier", Some("prime minister")),
    ("premier", Some("prime minister")),
    ("PM", Some("prime minister")),
    ("King", Some("king")),
    ("Queen", Some("queen")),
    ("Emperor", Some("emperor")),
    ("Emir", Some("emir")),
    ("Amir", Some("emir")),
    ("Sultan", Some("sultan")),
    ("Chairman", Some("chairman")),
    ("chairman", Some("chairman")),
    ("Ayatollah", None),
    ("Sheikh", None),
    ("leader", None),
    ("Leader", None),
    ("Mr.", None),
    ("Mr", None),
    ("Mrs.", None),
    ("Mrs", None),
    ("Ms.", None),
    ("Ms", None),
];

/// The office a table role belongs to, for comparison with a title: a US secretary of state
/// and a British foreign secretary are foreign ministers, a premier a prime minister.
pub(crate) fn office_family(role: &str) -> &str {
    match role {
        "secretary of state" | "foreign secretary" | "minister of foreign affairs" => "foreign minister",
        "secretary of defense"
        | "secretary of defence"
        | "defence secretary"
        | "defense secretary"
        | "defense minister"
        | "minister of defence"
        | "minister of defense" => "defence minister",
        "vice-president" => "vice president",
        "premier" => "prime minister",
        "chairperson" => "chairman",
        r => r,
    }
}

/// Offices that lead a government or movement: what "the X administration" can mean.
fn leads(role: &str) -> bool {
    !matches!(
        office_family(role),
        "foreign minister"
            | "secretary general"
            | "high representative"
            | "director general"
            | "vice president"
            | "defence minister"
    )
}

/// The title right before `at` ("President " → the office), and where it starts.
fn title_before(text: &str, at: usize) -> Option<(usize, Option<&'static str>)> {
    let before = text[..at].strip_suffix(' ')?;
    TITLES.iter().find_map(|(t, office)| {
        let start = before.strip_suffix(t).map(str::len)?;
        let word_start = !before[..start].chars().next_back().is_some_and(char::is_alphanumeric);
        // "Deputy Prime Minister", "Assistant Secretary of State": another office.
        let lesser = ["Deputy ", "deputy ", "Vice ", "vice ", "Assistant ", "assistant "]
            .iter()
            .any(|w| before[..start].ends_with(w));
        (word_start && !lesser).then_some((start, *office))
    })
}

/// Whether another person's given name stands before the surname at `at` ("Hunter Biden"):
/// neither a title nor the person's own name.
pub(crate) fn another_persons_surname(text: &str, at: usize) -> bool {
    title_before(text, at).is_none() && another_given_name_before(text, at)
}

/// Whether a given name or an initial stands right before `at` ("Hunter Biden", "Jonathan P.
/// Blair"), in mid-sentence, where a capital is no sentence's first letter. A weekday, a month
/// or a possessive ("Russia's Putin") is no given name.
fn another_given_name_before(text: &str, at: usize) -> bool {
    let Some(before) = text[..at].strip_suffix(' ') else { return false };
    // After the whitespace character, whatever its width (a no-break space is two bytes).
    let word_start = before.char_indices().rfind(|(_, c)| c.is_whitespace()).map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let initial = word.len() == 2 && word.starts_with(|c: char| c.is_ascii_uppercase()) && word.ends_with('.');
    let mut letters = word.chars();
    let given = letters.next().is_some_and(char::is_uppercase)
        && word.len() >= 3
        && letters.all(|c| c.is_lowercase())
        && !WEEKDAYS_AND_MONTHS.contains(&word)
        && !TITLE_WORDS.contains(&word);
    if !initial && !given {
        return false;
    }
    // Mid-sentence: the word before it ends no sentence.
    let previous = text[..word_start].trim_end();
    !previous.is_empty() && !previous.ends_with(['.', '!', '?', ':', '"', '“', '”', '\n']) && {
        // "... and P. Blair": an initial needs a name before it too.
        !initial || previous.rsplit(char::is_whitespace).next().is_some_and(|w| w.starts_with(char::is_uppercase))
    }
}

/// Capitalised words that stand before a surname as a title, not a given name
/// ("Ambassador Sondland", "Secretary Blinken").
const TITLE_WORDS: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sen",
    "Rep",
    "Gen",
    "Col",
    "Lt",
    "Capt",
    "Adm",
    "Gov",
    "Ambassador",
    "Minister",
    "Secretary",
    "Senator",
    "Governor",
    "General",
    "Admiral",
    "Colonel",
    "Judge",
    "Justice",
    "Speaker",
    "Chairman",
    "Chairwoman",
    "Chair",
    "Director",
    "Envoy",
    "Commissioner",
    "Representative",
    "Congressman",
    "Congresswoman",
    "Lieutenant",
    "Captain",
    "Sergeant",
    "Major",
    "Professor",
    "Bishop",
    "Archbishop",
    "Cardinal",
    "Pope",
    "Prince",
    "Princess",
    "Sheikh",
    "Lord",
    "Lady",
    "Sir",
    "Dame",
    "Father",
    "Deputy",
    "Spokesman",
    "Spokeswoman",
    "Mayor",
    "Chief",
    "Commander",
    "Marshal",
    "Attorney",
    "Counsel",
    "Leader",
    "Sultan",
    "Ayatollah",
    "Imam",
    "Rabbi",
    "Reverend",
    "Officer",
    "Agent",
    "Inspector",
    "Detective",
    "Senior",
    "Former",
    "Acting",
    "Interim",
];

pub(crate) const WEEKDAYS_AND_MONTHS: &[&str] = &[
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
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "the Bush administration": the word after a surname that makes it the government it led.
fn government_after(text: &str, end: usize) -> Option<usize> {
    const NOUNS: &[&str] = &[" administration", " Administration", " government", " Government", " cabinet", " regime"];
    let rest = &text[end..];
    NOUNS.iter().find_map(|n| {
        (rest.starts_with(n) && !rest[n.len()..].starts_with(char::is_alphanumeric)).then(|| end + n.len())
    })
}

/// A leader named in the document: the person, their mention and, when they act for an
/// organisation, the role that says so.
pub(crate) struct Resolved {
    pub person: Person,
    pub mention: Mention,
    pub role: Option<RoleFact>,
}

/// Who each hit names. `mentions`: the document's knowledge-base mentions (to read the owner
/// before a title); `stated`: people whose role the text itself gives (they win).
pub(crate) fn resolve(
    text: &str,
    hits: &[LeaderHit],
    mentions: &[Mention],
    kb: &KnowledgeBase,
    date: Option<&PartialDate>,
    stated: &[Person],
) -> Vec<Resolved> {
    let leaders = kb.leaders();
    let mut out: Vec<Resolved> = Vec::new();
    for hit in hits {
        let title = title_before(text, hit.span.start);
        let government = government_after(text, hit.span.end);
        // "Hunter Biden", "Jonathan P. Blair": a leader's surname after another given name is
        // another person.
        if another_persons_surname(text, hit.span.start) {
            continue;
        }
        // The state or organisation named right before the title: "Russian President Putin".
        let owner = title.and_then(|(start, _)| {
            mentions.iter().rev().find(|m| {
                m.span.end <= start && m.kind != ActorKind::Person && {
                    let between = text[m.span.end..start].trim();
                    between.is_empty() || between == "'s" || between == "’s"
                }
            })
        });
        let mut candidates: Vec<(usize, &Office)> = Vec::new();
        for &(i, how) in &hit.targets {
            if how == How::Surname && title.is_none() && government.is_none() {
                continue;
            }
            for office in &leaders[i].offices {
                let fits_title = match title {
                    Some((_, Some(t))) => office_family(&office.role) == t,
                    _ => true,
                };
                // "EU President Charles Michel": an office of an organ is its organisation's too.
                let fits_owner = owner.is_none_or(|o| {
                    kb.counts_for(&office.of, &o.actor) || kb.home_state(&office.of) == Some(o.actor.as_str())
                });
                let fits_government = title.is_some() || government.is_none() || leads(&office.role);
                if fits_title
                    && fits_owner
                    && fits_government
                    && !candidates.iter().any(|(j, o)| *j == i && *o == office)
                {
                    candidates.push((i, office));
                }
            }
        }
        // A full name needs no title: when the title names another office ("Defence Minister
        // Ehud Barak"), the person is still the one named.
        if candidates.is_empty() && owner.is_none() {
            for &(i, how) in &hit.targets {
                if how == How::Name {
                    candidates.extend(leaders[i].offices.iter().map(|o| (i, o)));
                }
            }
        }
        if let Some(d) = date {
            let then: Vec<(usize, &Office)> = candidates.iter().copied().filter(|(_, o)| o.held_at(d)).collect();
            if !then.is_empty() {
                candidates = then;
            }
        }
        let Some(chosen) = choose(&candidates) else { continue };
        let (i, office) = chosen;
        let leader = &leaders[i];
        // A role the text states wins: that person, or the office's holder the text names.
        if let Some(p) = stated.iter().find(|p| p.id == leader.id || is_other_form_of(p, leader, kb)) {
            // Its name and surname are found as the text's person; what only the table knows
            // ("the Bush administration", "Bin Laden") is added.
            let said = hit.span.of(text);
            if government.is_some() || (said != p.name && said != p.surname) {
                out.push(Resolved { person: p.clone(), mention: mention(hit, government, &p.id), role: None });
            }
            continue;
        }
        if stated.iter().any(|p| leader.surnames.contains(&p.surname)) && hit.span.of(text) != leader.name {
            continue;
        }
        let country = kb.home_state(&office.of).map(str::to_string);
        let surname = leader.surnames.first().cloned().unwrap_or_else(|| leader.name.clone());
        let person = Person { id: leader.id.clone(), name: leader.name.clone(), country, surname };
        let acts_for_organisation = kb.actor(&office.of).is_some_and(|a| a.kind != ActorKind::State);
        let former = date.is_some_and(|d| office.end.is_some_and(|e| e.day_range().1 < d.day_range().0));
        // "Under President Hu Jintao, Beijing ...": the text states the office by its title,
        // and the table says whose it is. The role is the title as written ("secretary of
        // state", "premier").
        let titled = title.and_then(|(start, t)| t.filter(|t| office_family(&office.role) == *t).map(|_| start));
        let role = match titled {
            Some(start) => Some(RoleFact {
                person: leader.id.clone(),
                name: leader.name.clone(),
                role: crate::people::normalise_role(text[start..hit.span.start].trim_end()).0,
                of: office.of.clone(),
                former,
                span: Span::new(start, hit.span.end),
                rule: "kb:leaders-title",
            }),
            None => acts_for_organisation.then(|| RoleFact {
                person: leader.id.clone(),
                name: leader.name.clone(),
                role: office.role.clone(),
                of: office.of.clone(),
                former,
                span: hit.span,
                rule: "kb:leaders",
            }),
        };
        out.push(Resolved { person, mention: mention(hit, government, &leader.id), role });
    }
    out
}

/// Whether a person the text names with an office is a table leader under a longer or
/// shorter form of the name ("Nana Addo Dankwa Akufo-Addo" and "Nana Akufo-Addo"): the same
/// surname, an office of the person's state, and every word of the shorter name in the longer.
fn is_other_form_of(p: &Person, leader: &crate::kb::Leader, kb: &KnowledgeBase) -> bool {
    let (a, b) = (crate::name_shape::name_words(&p.name), crate::name_shape::name_words(&leader.name));
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    let surname = crate::name_shape::name_words(&p.surname);
    // The same state, or none for both (the leader of an international movement).
    let same_side = leader.offices.iter().any(|o| kb.home_state(&o.of) == p.country.as_deref());
    leader.surnames.iter().chain(&leader.aliases).any(|s| crate::name_shape::name_words(s) == surname)
        && same_side
        && short.len() >= 2
        && short.iter().all(|w| long.contains(w))
}

/// One person among the candidates' offices, or none when they are different people of
/// different states or organisations. Of one state's holders, the latest to take office.
fn choose<'a>(candidates: &[(usize, &'a Office)]) -> Option<(usize, &'a Office)> {
    let first = candidates.first()?;
    let one_person = candidates.iter().all(|(i, _)| *i == first.0);
    let one_owner = candidates.iter().all(|(_, o)| o.of == first.1.of);
    if !one_person && !one_owner {
        return None;
    }
    let start = |o: &Office| o.start.map_or(i64::MIN, |s| s.day_range().0);
    candidates.iter().copied().max_by_key(|(i, o)| (start(o), std::cmp::Reverse(*i)))
}

fn mention(hit: &LeaderHit, government: Option<usize>, id: &str) -> Mention {
    let end = government.unwrap_or(hit.span.end);
    Mention {
        span: Span::new(hit.span.start, end),
        actor: id.to_string(),
        kind: ActorKind::Person,
        sector: None,
        surface: Surface::Name,
        rule: if government.is_some() { "kb:leader-government" } else { "kb:leader" },
    }
}

#[cfg(test)]
mod tests {
    use crate::{KnowledgeBase, MentionFinder, annotate};
    use entente_document::{Document, Metadata, PartialDate};

    /// (text, actor id, country) of each person mention.
    fn people(text: &str, date: Option<&str>) -> Vec<(String, String, String)> {
        let finder = MentionFinder::new(KnowledgeBase::builtin());
        let mut doc = Document::new("t", text, Metadata::default());
        doc.date.date = date.and_then(PartialDate::parse_iso);
        let a = annotate(&doc, &finder, &[]);
        a.mentions
            .iter()
            .filter(|m| m.kind == crate::ActorKind::Person)
            .map(|m| {
                let country = a.people.iter().find(|p| p.id == m.actor).and_then(|p| p.country.clone());
                (m.span.of(text).to_string(), m.actor.clone(), country.unwrap_or_default())
            })
            .collect()
    }

    fn t(s: &str, id: &str, c: &str) -> (String, String, String) {
        (s.into(), id.into(), c.into())
    }

    /// (person, role, of, former) of each role fact.
    fn roles(text: &str, date: Option<&str>) -> Vec<String> {
        let finder = MentionFinder::new(KnowledgeBase::builtin());
        let mut doc = Document::new("t", text, Metadata::default());
        doc.date.date = date.and_then(PartialDate::parse_iso);
        let a = annotate(&doc, &finder, &[]);
        a.roles
            .iter()
            .map(|r| format!("{} | {} | {}{}", r.person, r.role, r.of, if r.former { " (former)" } else { "" }))
            .collect()
    }

    #[test]
    fn a_title_before_a_known_holder_states_the_role() {
        let cases: &[(&str, Option<&str>, &[&str])] = &[
            (
                "Under President Hu Jintao, Beijing opened up and Prime Minister Wen Jiabao will visit.",
                None,
                &["hu-jintao | president | CHN", "wen-jiabao | prime minister | CHN"],
            ),
            ("Unless President Mahmoud Abbas steps in, Gaza will suffer.", None, &["mahmoud-abbas | president | PSE"]),
            ("President George W. Bush met Karzai.", None, &["george-w-bush | president | USA"]),
            (
                "When President Trump's advisers spoke, Mr. Trump listened.",
                Some("2019-12-01"),
                &["donald-trump | president | USA"],
            ),
            (
                "Secretary of State Colin Powell flew in.",
                Some("2003-05-01"),
                &["colin-powell | secretary of state | USA"],
            ),
            ("Chancellor Kohl met Mr Gorbachev.", Some("1990-02-10"), &["helmut-kohl | chancellor | DEU"]),
            ("Vice-President Dick Cheney spoke.", None, &["dick-cheney | vice president | USA"]),
            ("Defense Secretary Rumsfeld spoke.", Some("2003-03-01"), &["donald-rumsfeld | defence secretary | USA"]),
            ("Vice President Bush met Mr Gorbachev.", Some("1987-12-08"), &["george-h-w-bush | vice president | USA"]),
            ("President Bush spoke.", Some("2015-01-01"), &["george-w-bush | president | USA (former)"]),
            // A lesser office under the title's is not the title's.
            ("Deputy Prime Minister Wen Jiabao spoke.", None, &[]),
            // No title, or one that names no office: the text states no role.
            ("Putin offered to negotiate; Mr Erdogan agreed.", None, &[]),
        ];
        for (text, date, want) in cases {
            assert_eq!(roles(text, *date), *want, "{text}");
        }
    }

    #[test]
    fn names_titles_and_administrations() {
        assert_eq!(people("Putin offered to negotiate.", None), [t("Putin", "vladimir-putin", "RUS")]);
        assert_eq!(people("Kofi Annan announced a plan.", None), [t("Kofi Annan", "kofi-annan", "")]);
        assert_eq!(people("Chancellor Kohl met Mr Gorbachev.", None)[0], t("Kohl", "helmut-kohl", "DEU"));
        assert_eq!(
            people("the Bush administration declared", Some("2003-03-20")),
            [t("Bush administration", "george-w-bush", "USA")]
        );
        assert_eq!(people("President Bush threatened Iraq.", None)[0].2, "USA");
        assert_eq!(people("King Hassan of Morocco said", None), [t("Hassan", "hassan-ii", "MAR")]);
        assert_eq!(people("Bush said.", None), [], "a surname alone is not enough");
        assert_eq!(people("Hamas leader Ismail Haniyeh said", None)[0].2, "PSE");
    }

    #[test]
    fn a_leaders_surname_after_another_given_name_is_someone_else() {
        assert_eq!(
            people("Joe Biden spoke; later Hunter Biden denied it.", None),
            [t("Joe Biden", "joe-biden", "USA")]
        );
        assert_eq!(people("The suspect, Jonathan P. Blair, was held.", None), []);
        let kept = people("On Monday Biden met Russia's Putin, and Ambassador Blair said.", Some("2022-01-01"));
        assert_eq!(
            kept.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            ["Biden", "Putin", "Blair"],
            "no given names"
        );
    }

    #[test]
    fn ambiguity_title_owner_and_date() {
        assert_eq!(people("President Kim said", None), [], "Kims of two states");
        assert_eq!(people("President Kim said", Some("2000-06-13"))[0].2, "KOR");
        assert_eq!(people("South Korean President Kim said", None)[0].2, "KOR");
        assert_eq!(people("President Johnson said", None)[0].1, "lyndon-b-johnson");
        assert_eq!(people("Prime Minister Johnson said", None)[0].1, "boris-johnson");
        assert_eq!(people("King Abdullah said", None), [], "Saudi and Jordanian kings");
        assert_eq!(people("King Abdullah said", Some("2020-01-01"))[0].2, "JOR");
        assert_eq!(people("Secretary-General Rutte said", None)[0].2, "");
        assert_eq!(people("Prime Minister Rutte said", None)[0].2, "NLD");
    }

    #[test]
    fn a_role_the_text_states_wins() {
        let found = people("Dutch Prime Minister Mark Rutte said. Rutte left.", Some("2025-01-01"));
        assert_eq!(found[0], t("Mark Rutte", "mark-rutte", "NLD"));
    }
}
