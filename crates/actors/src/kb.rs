//! The built-in knowledge base: states, organisations and groupings with their names, and
//! memberships, parsed once from the TSV files in `kb/`.

use entente_document::PartialDate;
use std::collections::HashMap;
use std::sync::LazyLock;
use thiserror::Error;

const STATES: &str = include_str!("../kb/states.tsv");
const ORGANIZATIONS: &str = include_str!("../kb/organizations.tsv");
const MEMBERSHIPS: &str = include_str!("../kb/memberships.tsv");
const LEADERS: &str = include_str!("../kb/leaders.tsv");
const ORGANS: &str = include_str!("../kb/organs.tsv");

#[derive(Debug, Error)]
#[error("{file}:{line}: {problem}")]
pub struct KbError {
    pub file: &'static str,
    pub line: usize,
    pub problem: String,
}

/// The knowledge base's kinds are the export contract's: one type from entente-document, so an
/// entry's kind goes into an `ActorRef` as it is.
pub use entente_document::ActorKind;

/// How a surface form names its actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Surface {
    Name,
    Demonym,
    /// A capital or seat of power standing for a government.
    Capital,
    /// A description or pronoun resolved to an actor ("the alliance").
    Reference,
    /// A personal pronoun ("he", "his") standing for the person just named.
    Pronoun,
    /// A gathering standing for the one who convened it ("NATO's summit ... the summit
    /// agreed"): an actor only as a meeting's voice, never a meeting's guest or target.
    Occasion,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    pub kind: ActorKind,
    pub name: String,
    /// For people and parts of states: the state.
    pub country: Option<String>,
    pub aliases: Vec<String>,
    /// For an organ of an organisation (`organs.tsv`): the organisation it is part of and acts
    /// for (the European Commission: the EU; the Security Council: the UN).
    pub part_of: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub group: String,
    pub member: String,
    /// `member`, `observer`, `applicant`, `former` or `partner`.
    pub status: String,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
}

/// An office a well-known person held: a head of state or government, a foreign minister, the
/// head of an organisation or the leader of an armed movement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Office {
    /// The state or organisation whose office it is.
    pub of: String,
    /// Lower case: "president", "prime minister", "secretary general".
    pub role: String,
    pub start: Option<PartialDate>,
    /// `None`: in office when the table was written.
    pub end: Option<PartialDate>,
}

impl Office {
    /// Whether the office was held at some time within `date` (a day, month or year).
    pub fn held_at(&self, date: &PartialDate) -> bool {
        let (first, last) = date.day_range();
        self.start.is_none_or(|s| s.day_range().0 <= last) && self.end.is_none_or(|e| e.day_range().1 >= first)
    }
}

/// A well-known office holder from `leaders.tsv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leader {
    /// The lower-case slug of the full name, as for people found in text.
    pub id: String,
    pub name: String,
    /// The names a title goes with ("President Bush", "the Bush administration"); may be empty.
    pub surnames: Vec<String>,
    /// Other names that stand alone for the person ("Putin", "Bin Laden").
    pub aliases: Vec<String>,
    pub offices: Vec<Office>,
}

/// One way of naming an actor in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurfaceForm {
    pub text: String,
    pub actor: String,
    pub how: Surface,
    /// For seats of power: `GOV` unless the file says otherwise.
    pub sector: Option<String>,
}

pub struct KnowledgeBase {
    actors: Vec<Actor>,
    by_id: HashMap<String, usize>,
    surfaces: Vec<SurfaceForm>,
    /// Generic nouns ("alliance", "bloc") → the organisations they can refer back to.
    refers: HashMap<String, Vec<String>>,
    memberships: Vec<Membership>,
    /// Lower-cased surface form → actor id, for lookups by name.
    by_name: HashMap<String, String>,
    /// Surface forms other than capitals, exactly as written: names can't contain them.
    non_capital_surfaces: std::collections::HashSet<String>,
    leaders: Vec<Leader>,
    /// Seats of power that named a former state until it ended ("Moscow" for the Soviet
    /// Union until 1991-12-25): (seat as written, former state, last day).
    former_seats: Vec<(String, String, PartialDate)>,
    /// States' one-word names (name, id), made on first use by the misspelling check.
    one_word_state_names: std::sync::OnceLock<StateNames>,
}

static BUILTIN: LazyLock<KnowledgeBase> =
    LazyLock::new(|| KnowledgeBase::parse().expect("the built-in knowledge base is valid"));

fn rows(text: &'static str) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1) // the header
        .map(|(n, l)| (n + 1, l.split('\t').map(str::trim).collect()))
}

fn list(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|s| !s.is_empty())
}

impl KnowledgeBase {
    pub fn builtin() -> &'static KnowledgeBase {
        &BUILTIN
    }

    fn parse() -> Result<KnowledgeBase, KbError> {
        let mut kb = KnowledgeBase {
            actors: Vec::new(),
            by_id: HashMap::new(),
            surfaces: Vec::new(),
            refers: HashMap::new(),
            memberships: Vec::new(),
            by_name: HashMap::new(),
            non_capital_surfaces: Default::default(),
            leaders: Vec::new(),
            one_word_state_names: Default::default(),
            former_seats: Vec::new(),
        };
        for (line, f) in rows(STATES) {
            let err = |problem: String| KbError { file: "states.tsv", line, problem };
            // A former state has a sixth field: the last day it existed.
            let (id, name, aliases, demonyms, capitals, until) = match f[..] {
                [id, name, aliases, demonyms, capitals] => (id, name, aliases, demonyms, capitals, None),
                [id, name, aliases, demonyms, capitals, until] => {
                    let day = PartialDate::parse_iso(until).ok_or_else(|| err(format!("bad date {until}")))?;
                    (id, name, aliases, demonyms, capitals, Some(day))
                }
                _ => return Err(err(format!("expected 5 or 6 fields, found {}", f.len()))),
            };
            kb.add_actor(Actor {
                id: id.into(),
                kind: ActorKind::State,
                name: name.into(),
                country: None,
                aliases: list(aliases).map(String::from).collect(),
                part_of: None,
            })
            .map_err(err)?;
            kb.add_surface(name, id, Surface::Name, None);
            for a in list(aliases) {
                kb.add_surface(a, id, Surface::Name, None);
            }
            for d in list(demonyms) {
                kb.add_surface(d, id, Surface::Demonym, None);
            }
            for c in list(capitals) {
                let (place, sector) = c.split_once(':').unwrap_or((c, "GOV"));
                let place = place.trim_start_matches("the ");
                // A seat that is today's state's too ("Moscow"): the document's date chooses.
                let shared = kb.surfaces.iter().any(|s| s.text == place);
                match until {
                    Some(day) if shared => kb.former_seats.push((place.to_string(), id.to_string(), day)),
                    _ => kb.add_surface(place, id, Surface::Capital, Some(sector.to_string())),
                }
            }
        }
        for (line, f) in rows(ORGANIZATIONS) {
            let err = |problem: String| KbError { file: "organizations.tsv", line, problem };
            let [id, kind, name, aliases, refers, country] = f[..] else {
                return Err(err(format!("expected 6 fields, found {}", f.len())));
            };
            // Read with the contract's parser; states have their own file and people are no
            // entries, so only these three belong here.
            let kind = match kind.parse() {
                Ok(kind @ (ActorKind::Organization | ActorKind::Grouping | ActorKind::Other)) => kind,
                _ => return Err(err(format!("type must be organization, grouping or other, not {kind}"))),
            };
            if !country.is_empty() && kb.actor(country).is_none_or(|a| a.kind != ActorKind::State) {
                return Err(err(format!("unknown state {country}")));
            }
            kb.add_actor(Actor {
                id: id.into(),
                kind,
                name: name.into(),
                country: (!country.is_empty()).then(|| country.to_string()),
                aliases: list(aliases).map(String::from).collect(),
                part_of: None,
            })
            .map_err(err)?;
            kb.add_surface(name, id, Surface::Name, None);
            if id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) && id.len() >= 2 {
                kb.add_surface(id, id, Surface::Name, None);
            }
            for a in list(aliases) {
                kb.add_surface(a, id, Surface::Name, None);
            }
            for r in list(refers) {
                kb.refers.entry(r.to_lowercase()).or_default().push(id.to_string());
            }
        }
        for (line, f) in rows(ORGANS) {
            let err = |problem: String| KbError { file: "organs.tsv", line, problem };
            let [organ, of] = f[..] else {
                return Err(err(format!("expected 2 fields, found {}", f.len())));
            };
            let is_organisation = |id: &str| {
                kb.actor(id).is_some_and(|a| matches!(a.kind, ActorKind::Organization | ActorKind::Grouping))
            };
            for id in [organ, of] {
                if !is_organisation(id) {
                    return Err(err(format!("{id} is no organisation")));
                }
            }
            if organ == of || kb.actor(of).is_some_and(|a| a.part_of.is_some()) {
                return Err(err(format!("{of} is an organ itself")));
            }
            let i = kb.by_id[organ];
            if kb.actors[i].part_of.is_some() {
                return Err(err(format!("{organ} is an organ of two organisations")));
            }
            kb.actors[i].part_of = Some(of.to_string());
        }
        for (line, f) in rows(MEMBERSHIPS) {
            let err = |problem: String| KbError { file: "memberships.tsv", line, problem };
            let [group, member, status, since, until] = f[..] else {
                return Err(err(format!("expected 5 fields, found {}", f.len())));
            };
            for id in [group, member] {
                if !kb.by_id.contains_key(id) {
                    return Err(err(format!("unknown actor {id}")));
                }
            }
            if !matches!(status, "member" | "observer" | "applicant" | "former" | "partner") {
                return Err(err(format!("unknown status {status}")));
            }
            let date = |s: &str| -> Result<Option<PartialDate>, KbError> {
                if s.is_empty() {
                    return Ok(None);
                }
                PartialDate::parse_iso(s).map(Some).ok_or_else(|| err(format!("bad date {s}")))
            };
            kb.memberships.push(Membership {
                group: group.into(),
                member: member.into(),
                status: status.into(),
                since: date(since)?,
                until: date(until)?,
            });
        }
        kb.parse_leaders()?;
        for surface in &kb.surfaces {
            kb.by_name.entry(surface.text.to_lowercase()).or_insert_with(|| surface.actor.clone());
            if surface.how != Surface::Capital {
                kb.non_capital_surfaces.insert(surface.text.clone());
            }
        }
        Ok(kb)
    }

    /// `leaders.tsv`: one row per office; a person's rows are merged by the slug of their name.
    fn parse_leaders(&mut self) -> Result<(), KbError> {
        // (surnames given explicitly, or "-" for none) per leader, to derive the rest after.
        let mut explicit: Vec<Option<Vec<String>>> = Vec::new();
        for (line, f) in rows(LEADERS) {
            let err = |problem: String| KbError { file: "leaders.tsv", line, problem };
            let [name, surnames, aliases, of, role, start, end] = f[..] else {
                return Err(err(format!("expected 7 fields, found {}", f.len())));
            };
            if self.actor(of).is_none() {
                return Err(err(format!("unknown actor {of}")));
            }
            if role.is_empty() || role != role.to_lowercase() {
                return Err(err(format!("the role must be lower case: {role:?}")));
            }
            let date = |s: &str| -> Result<Option<PartialDate>, KbError> {
                if s.is_empty() {
                    return Ok(None);
                }
                PartialDate::parse_iso(s).map(Some).ok_or_else(|| err(format!("bad date {s}")))
            };
            let office = Office { of: of.into(), role: role.into(), start: date(start)?, end: date(end)? };
            let id = crate::people::slug(name);
            let i = match self.leaders.iter().position(|l| l.id == id) {
                Some(i) => i,
                None => {
                    self.leaders.push(Leader {
                        id,
                        name: name.into(),
                        surnames: Vec::new(),
                        aliases: Vec::new(),
                        offices: Vec::new(),
                    });
                    explicit.push(None);
                    self.leaders.len() - 1
                }
            };
            let leader = &mut self.leaders[i];
            leader.offices.push(office);
            for a in list(aliases) {
                if !leader.aliases.iter().any(|b| b == a) {
                    leader.aliases.push(a.to_string());
                }
            }
            if !surnames.is_empty() {
                let given = explicit[i].get_or_insert_with(Vec::new);
                given.extend(list(surnames).filter(|s| *s != "-").map(String::from));
            }
        }
        for (leader, given) in self.leaders.iter_mut().zip(explicit) {
            leader.surnames = given.unwrap_or_else(|| {
                let home = leader.offices.first().and_then(|o| self.by_id.get(&o.of)).map(|&i| &self.actors[i]);
                let home = home
                    .and_then(|a| if a.kind == ActorKind::State { Some(a.id.as_str()) } else { a.country.as_deref() });
                let person = crate::people::Person::new(&leader.id, &leader.name, home.map(String::from));
                vec![person.surname]
            });
        }
        Ok(())
    }

    fn add_actor(&mut self, actor: Actor) -> Result<(), String> {
        if self.by_id.contains_key(&actor.id) {
            return Err(format!("duplicate id {}", actor.id));
        }
        self.by_id.insert(actor.id.clone(), self.actors.len());
        self.actors.push(actor);
        Ok(())
    }

    fn add_surface(&mut self, text: &str, id: &str, how: Surface, sector: Option<String>) {
        let text = text.trim_start_matches("the ").to_string();
        if !self.surfaces.iter().any(|s| s.text == text && s.actor == id) {
            self.surfaces.push(SurfaceForm { text, actor: id.to_string(), how, sector });
        }
    }

    /// Whether `text` is, exactly, a surface form other than a capital ("Japan", "Japanese").
    pub fn is_non_capital_surface(&self, text: &str) -> bool {
        self.non_capital_surfaces.contains(text)
    }

    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.by_id.get(id).map(|&i| &self.actors[i])
    }

    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// The names (not demonyms or capitals) of states that are one word of `min_len` letters
    /// or more, with the state's id, indexed by first byte and length; worked out once per
    /// knowledge base.
    pub(crate) fn one_word_state_names(&self, min_len: usize) -> &StateNames {
        self.one_word_state_names.get_or_init(|| {
            let names = self
                .surfaces
                .iter()
                .filter(|s| s.how == Surface::Name && s.text.len() >= min_len && !s.text.contains(' '))
                .filter(|s| self.actor(&s.actor).is_some_and(|a| a.kind == ActorKind::State))
                .map(|s| (s.text.clone(), s.actor.clone()));
            StateNames::new(names)
        })
    }

    pub fn surfaces(&self) -> &[SurfaceForm] {
        &self.surfaces
    }

    pub fn memberships(&self) -> &[Membership] {
        &self.memberships
    }

    /// The members (of any status) of a group.
    pub fn members_of(&self, group: &str) -> impl Iterator<Item = &Membership> {
        self.memberships.iter().filter(move |m| m.group == group)
    }

    /// The former state a seat of power named on `date` ("Moscow" in 1985 is the Soviet
    /// Union's), if it named one then.
    pub fn former_state_seated_at(&self, seat: &str, date: &PartialDate) -> Option<&str> {
        self.former_seats
            .iter()
            .find(|(s, _, until)| s == seat && date.day_range().1 <= until.day_range().1)
            .map(|(_, id, _)| id.as_str())
    }

    /// Well-known office holders (`leaders.tsv`).
    pub fn leaders(&self) -> &[Leader] {
        &self.leaders
    }

    /// The state a person holding an office of `of` acts for: the state itself, or an armed
    /// group's or party's home state; `None` for international organisations.
    pub fn home_state(&self, of: &str) -> Option<&str> {
        let actor = self.actor(of)?;
        match actor.kind {
            ActorKind::State => Some(&actor.id),
            _ => actor.country.as_deref(),
        }
    }

    /// The organisation an organ is part of and acts for ("EC": "EU"), or `None`.
    pub fn part_of(&self, id: &str) -> Option<&str> {
        self.actor(id)?.part_of.as_deref()
    }

    /// Whether actor `id` is `whole` or an organ of it: the European Parliament counts for
    /// the EU.
    pub fn counts_for(&self, id: &str, whole: &str) -> bool {
        id == whole || self.part_of(id) == Some(whole)
    }

    /// The organs of an organisation.
    pub fn organs_of<'a>(&'a self, whole: &'a str) -> impl Iterator<Item = &'a Actor> {
        self.actors.iter().filter(move |a| a.part_of.as_deref() == Some(whole))
    }

    /// The organisations a generic noun ("alliance") can refer back to.
    pub fn referents(&self, noun: &str) -> &[String] {
        self.refers.get(noun).map_or(&[], Vec::as_slice)
    }

    /// Looks an actor up by id or by any of its names (case-insensitive).
    pub fn lookup(&self, name: &str) -> Option<&Actor> {
        self.actor(name).or_else(|| self.by_name.get(&name.to_lowercase()).and_then(|id| self.actor(id)))
    }
}

/// One-word state names by first byte and length, for the misspelling check: the names a
/// letter longer or shorter than a word, with its first letter, are one slice.
#[derive(Debug, Default)]
pub(crate) struct StateNames {
    /// (name, state id), sorted by (first byte, length).
    names: Vec<(String, String)>,
    /// Where each (first byte, length) key's names start in `names`; one more at the end.
    starts: Vec<usize>,
}

impl StateNames {
    const LENGTHS: usize = 64;

    fn key(first: u8, len: usize) -> usize {
        usize::from(first) * Self::LENGTHS + len.min(Self::LENGTHS - 1)
    }

    fn new(names: impl Iterator<Item = (String, String)>) -> StateNames {
        let mut names: Vec<(String, String)> = names.filter(|(n, _)| n.as_bytes()[0].is_ascii()).collect();
        names.sort_by_key(|(n, _)| Self::key(n.as_bytes()[0], n.len()));
        let mut starts = vec![0; 128 * Self::LENGTHS + 1];
        for (n, _) in &names {
            starts[Self::key(n.as_bytes()[0], n.len()) + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        StateNames { names, starts }
    }

    /// The names that start with `first` and are `len` bytes long, or a byte more or less.
    pub(crate) fn near(&self, first: u8, len: usize) -> &[(String, String)] {
        if !first.is_ascii() || self.names.is_empty() {
            return &[];
        }
        let from = self.starts[Self::key(first, len.saturating_sub(1))];
        let to = self.starts[Self::key(first, len + 1) + 1];
        &self.names[from..to]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_valid_and_large_enough() {
        let kb = KnowledgeBase::builtin();
        let states = kb.actors().iter().filter(|a| a.kind == ActorKind::State).count();
        let orgs = kb.actors().len() - states;
        assert!(states >= 250, "{states} states and territories: every ISO 3166-1 entry and Kosovo");
        assert!(orgs >= 150, "{orgs} organisations and groupings");
        assert_eq!(kb.lookup("Republic of Korea").unwrap().id, "KOR");
        assert_eq!(kb.lookup("Nato").unwrap().id, "NATO");
        assert_eq!(kb.lookup("IP4").unwrap().id, "AP4");
        assert_eq!(kb.members_of("AP4").count(), 4);
        assert_eq!(kb.members_of("NATO").filter(|m| m.status == "member").count(), 32);
        assert!(kb.referents("alliance").contains(&"NATO".to_string()));
        assert_eq!(kb.members_of("WARSAW-PACT").count(), 8);
        let day = |s: &str| PartialDate::parse_iso(s).unwrap();
        assert_eq!(kb.former_state_seated_at("Moscow", &day("1985-03")), Some("SUN"));
        assert_eq!(kb.former_state_seated_at("Kremlin", &day("1991-12-25")), Some("SUN"));
        assert_eq!(kb.former_state_seated_at("Moscow", &day("1992")), None);
        assert_eq!(kb.lookup("Moscow").unwrap().id, "RUS", "today's state keeps the seat");
        let gorbachev = kb.leaders().iter().find(|l| l.id == "mikhail-gorbachev").unwrap();
        assert!(gorbachev.offices.iter().all(|o| o.of == "SUN"), "a Soviet office is the Soviet Union's");
        let hamas = kb.lookup("Hamas").unwrap();
        assert_eq!((hamas.kind, hamas.country.as_deref()), (ActorKind::Other, Some("PSE")));
        assert_eq!(kb.lookup("ISIS").unwrap().country, None);
        assert!(kb.leaders().len() >= 800, "{} leaders", kb.leaders().len());
        let putin = kb.leaders().iter().find(|l| l.id == "vladimir-putin").unwrap();
        assert_eq!((putin.offices.len(), putin.surnames.as_slice()), (4, &["Putin".to_string()][..]));
        let kim = kb.leaders().iter().find(|l| l.id == "kim-jong-un").unwrap();
        assert_eq!(kim.surnames, ["Kim"], "family name first");
    }

    #[test]
    fn organs_are_parts_of_their_organisation() {
        let kb = KnowledgeBase::builtin();
        let cases = [
            ("European Council", "EUCO", "EU"),
            ("European Commission", "EC", "EU"),
            ("EU Commission", "EC", "EU"),
            ("European Parliament", "EP", "EU"),
            ("UN Security Council", "UNSC", "UN"),
            ("UN General Assembly", "UNGA", "UN"),
            ("AU Commission", "AU-COMMISSION", "AU"),
            ("ASEAN Secretariat", "ASEAN-SEC", "ASEAN"),
            ("North Atlantic Council", "NAC", "NATO"),
            ("European Court of Human Rights", "ECHR", "COE"),
        ];
        for (name, organ, whole) in cases {
            let a = kb.lookup(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!((a.id.as_str(), kb.part_of(&a.id)), (organ, Some(whole)), "{name}");
            assert!(kb.counts_for(organ, whole) && kb.counts_for(whole, whole) && !kb.counts_for(whole, organ));
        }
        assert_eq!(kb.part_of("EU"), None);
        assert_eq!(kb.part_of("IAEA"), None, "a specialised agency is an organisation of its own");
        assert!(kb.organs_of("EU").any(|a| a.id == "EP"));
        assert!(kb.organs_of("EU").all(|a| a.kind == ActorKind::Organization));
    }
}
