//! The coder's word lists ("nouns a trigger before them only classifies", "verbs that report
//! speech") and its CAMEO recode tables ("a threatened attack is 1383"), read from
//! `data/words/*.tsv`. The files say what each list is for and give every row a sentence that
//! shows it (`data/words/README.md`); the code asks a list by name, never for a row's text.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;
use thiserror::Error;

/// The built-in files, one per stage of the coder that reads them.
const BUILTIN: &[(&str, &str)] = &[
    ("triggers.tsv", include_str!("../data/words/triggers.tsv")),
    ("arguments.tsv", include_str!("../data/words/arguments.tsv")),
    ("agents.tsv", include_str!("../data/words/agents.tsv")),
    ("modality.tsv", include_str!("../data/words/modality.tsv")),
    ("recode.tsv", include_str!("../data/words/recode.tsv")),
];

/// Declares the lists: each variant with the name its file gives it.
macro_rules! word_lists {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A word list of `data/words`, named in its file's `@list` line.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum WordList {
            $($(#[$doc])* $variant,)*
        }

        impl WordList {
            pub const ALL: &'static [WordList] = &[$(WordList::$variant,)*];

            /// The list's name in its file.
            pub fn name(self) -> &'static str {
                match self {
                    $(WordList::$variant => $name,)*
                }
            }
        }
    };
}

word_lists! {
    // Triggers that name no event: filters.rs.
    /// Nouns an event noun before them only classifies: "war crimes", "attack helicopters".
    ModifiedNouns = "modified-nouns",
    /// Words before a trigger that make it a noun: "his visit".
    NounContext = "noun-context",
    /// Determiners before an adjective that makes the next trigger a noun: "the high-level talks".
    AdjectiveDeterminers = "adjective-determiners",
    /// Endings of a word shaped like an adjective: "trilateral", "historic".
    AdjectiveEndings = "adjective-endings",
    /// Words after a trigger that show it is a noun: "a trilateral meeting among".
    AfterANoun = "after-a-noun",
    /// What is released when no one is set free: "released a statement".
    InformationNouns = "information-nouns",
    /// What is offered when nothing is offered to anyone: "offers a reminder".
    InsightNouns = "insight-nouns",
    /// Verbs whose particle is "back": "roll back".
    BackParticleAfter = "back-particle-after",
    /// What makes a war no fighting: "trade war".
    NoFightingWar = "no-fighting-war",
    /// What makes a demand a market's: "global demand".
    MarketDemand = "market-demand",
    /// What a defending holder defends in sport: "the defending champion".
    SportTitles = "sport-titles",
    /// Words after "demonstrate" that make it showing: "demonstrated its resolve".
    ShowingObjects = "showing-objects",
    /// Whom something struck as an impression: "struck me as".
    ImpressedObjects = "impressed-objects",
    /// Forms of "release" that the information filter applies to.
    ReleaseForms = "release-forms",
    /// Forms of "offer" that the insight filter applies to.
    OfferForms = "offer-forms",
    /// Forms of "be" before a participle saying a noun event was called off.
    CalledOffAuxiliaries = "called-off-auxiliaries",
    /// Participles saying a noun event was called off: "was postponed".
    CalledOffVerbs = "called-off-verbs",
    /// Words after "is"/"are" that put a noun event ahead: "is slated to".
    StillToComeAfterBe = "still-to-come-after-be",
    /// Words after "will" that put a noun event ahead: "will take place".
    StillToComeAfterWill = "still-to-come-after-will",
    /// Photo captions' place markers: "(L)".
    CaptionMarkers = "caption-markers",
    ReflexivePronouns = "reflexive-pronouns",
    // Arguments: arguments.rs.
    /// Words that may stand between coordinated actors.
    Connectors = "connectors",
    /// Prepositions: a group after one is no subject.
    Prepositions = "prepositions",
    /// Prepositions that place a noun in space, time or topic rather than name its party.
    SituatingPrepositions = "situating-prepositions",
    /// Magnitudes, currencies and share signs: the words of an amount.
    AmountWords = "amount-words",
    /// Words that open a verb phrase.
    Auxiliaries = "auxiliaries",
    /// Words that end the clause a target is looked for in.
    ClauseBreaks = "clause-breaks",
    /// Forms of "be" (and "get") before a participle.
    BeForms = "be-forms",
    /// Forms of "be" (and "get") that make a participle passive.
    PassiveAuxiliaries = "passive-auxiliaries",
    /// Adverbs between a passive auxiliary and its participle.
    PassiveAdverbs = "passive-adverbs",
    /// Determiners and words like them before a noun.
    Determiners = "determiners",
    /// Words for a member: "NATO ally Turkey".
    MemberWords = "member-words",
    /// Role words between a demonym and a person: "Japanese Prime Minister Fumio Kishida".
    RoleWords = "role-words",
    /// Role words that head a list of people: "Prime Ministers".
    PluralRoleWords = "plural-role-words",
    /// Words that make "of" part of a two-word preposition: "out of".
    OfPairs = "of-pairs",
    /// Prepositions that before a number are part of the count: "about 200".
    CountPrepositions = "count-prepositions",
    /// Lower-case titles before a person's name: "candidate Alassane Ouattara".
    TitleWords = "title-words",
    /// Nouns whose "of" phrase names the actor itself: "leaders of Romania".
    HeadNouns = "head-nouns",
    /// Count words before an actor: "scores of".
    QuantityWords = "quantity-words",
    /// Time words inside a prepositional phrase: "at this year's summit".
    TimeWords = "time-words",
    /// Modifiers between a preposition and its actor: "to the western alliance".
    Modifiers = "modifiers",
    /// Subject pronouns.
    SubjectPronouns = "subject-pronouns",
    /// Time words that are no noun phrase opening a clause.
    TimeNouns = "time-nouns",
    /// Adverbs between a subject and its verb: "drones later struck".
    SentenceAdverbs = "sentence-adverbs",
    /// Nouns for an act whose "by"/"from"/"of" phrase names who acts: "demands from the rebels".
    ActNouns = "act-nouns",
    /// Nouns for a tie whose "with" phrase names the other side: "contact with".
    TieNouns = "tie-nouns",
    /// Nouns for aid whose "for"/"to" phrase names the recipient: "aid to".
    AidNouns = "aid-nouns",
    /// Nouns for a meeting whose "between" phrase names its sides.
    BetweenNouns = "between-nouns",
    /// Words that open a participle clause fronting a sentence: "After attending".
    ParticipleOpeners = "participle-openers",
    /// Light verbs whose object is a noun event: "held talks".
    LightVerbs = "light-verbs",
    /// Meetings an organisation holds: "the NATO summit".
    OrganisedMeetings = "organised-meetings",
    /// Words after a verb that leave its object unsaid: "attended.".
    ObjectUnsaidAfter = "object-unsaid-after",
    /// Titles and honorifics before a name: "Mr.", "President".
    Honorifics = "honorifics",
    /// Words that make a noun event background: "after clashes".
    BackgroundMarkers = "background-markers",
    // Agents: agents.rs and place.rs.
    /// Nouns an agent word can modify and still name the agent: "rebel leaders".
    AgentHeads = "agent-heads",
    /// Words after which "military" or "government" is a noun.
    EndsNounPhrase = "ends-noun-phrase",
    /// Words between a demonym and its agent noun: "Palestinian armed groups".
    AgentModifiers = "agent-modifiers",
    /// Agent words that are mostly adjectives: "military".
    MostlyAdjectives = "mostly-adjectives",
    /// Adjectives "military" may be coordinated with: "military and civilian".
    JoinedAdjectives = "joined-adjectives",
    /// Prepositions that name the state an agent is in: "rebels in".
    StatePrepositions = "state-prepositions",
    /// Words between such a preposition and the state: "supporters of former President".
    BeforeState = "before-state",
    /// Words that name a part of a country: "southern Serbia".
    RegionAdjectives = "region-adjectives",
    /// Compass points before a place: "north".
    CompassPoints = "compass-points",
    /// Prepositions that make a place a venue: "in Vilnius".
    VenuePrepositions = "venue-prepositions",
    /// Nouns after a place that make it a venue: "the Madrid summit".
    PlaceVenueNouns = "place-venue-nouns",
    /// Prepositions opening a fronted occasion: "In Madrid".
    OccasionPrepositions = "occasion-prepositions",
    /// Words of a date expression.
    DateWords = "date-words",
    // Modality: modality.rs and speech.rs.
    /// Words that negate.
    Negators = "negators",
    /// Verbs that negate the event they govern: "declined to attend".
    NegatingVerbs = "negating-verbs",
    /// Verbs that put the event they govern in the future: "plans to open".
    PlanningVerbs = "planning-verbs",
    /// Words that put an event in the future: "will".
    FutureMarkers = "future-markers",
    /// Words that make an event hypothetical: "could".
    Conditionals = "conditionals",
    /// Adverbs that report: "reportedly".
    ReportMarkers = "report-markers",
    /// Verbs that report speech: "said".
    SpeechVerbs = "speech-verbs",
    /// Verbs whose "to" refuses the act: "refused to meet".
    RefusingVerbs = "refusing-verbs",
    /// Modals whose negation refuses the act: "would not".
    RefusingModals = "refusing-modals",
    /// Words that show a speaker judges another badly.
    NegativeJudgement = "negative-judgement",
    /// Speech nouns after a verb of delivering: "issued a warning".
    SpeechNouns = "speech-nouns",
    /// Verbs of delivering a speech noun: "issued".
    DeliveringVerbs = "delivering-verbs",
    /// Words between a speech verb and its clause: "said on Tuesday that".
    SpeechFillers = "speech-fillers",
    // Recoding and settings: recode.rs and setting.rs.
    /// Aerial weapons: an attack with them is an aerial one (195).
    Aerial = "aerial",
    /// Heavy weapons: an attack with them is artillery and tanks (194).
    Heavy = "heavy",
    /// Small-arms fighting (193).
    SmallArms = "small-arms",
    /// Weapons of irregulars: a fight with them is an assault (180).
    Irregular = "irregular",
    /// Forms of "strike" that make people's clash a strike (143).
    StrikeWords = "strike-words",
    /// Words of a military attack (190).
    MilitaryAttack = "military-attack",
    /// Words of a crowd: a complaint by one is a demonstration (141).
    CrowdWords = "crowd-words",
    /// Nouns after which a capital is a venue: "the Vilnius summit".
    VenueNouns = "venue-nouns",
}

impl WordList {
    /// Whether `word` is in the list (see [`is`]). Takes `&&str` as a slice of words' `contains`
    /// does, so code written against one reads the other.
    pub fn contains(self, word: &&str) -> bool {
        is(self, word)
    }
}

// One bit per list in `members`.
const _: () = assert!(WordList::ALL.len() <= 128);

/// A word-to-value table of `data/words`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WordMap {
    /// An agent noun's sector: "police" is `COP`.
    AgentSectors,
}

impl WordMap {
    pub const ALL: &'static [WordMap] = &[WordMap::AgentSectors];

    pub fn name(self) -> &'static str {
        match self {
            WordMap::AgentSectors => "agent-sectors",
        }
    }
}

/// A CAMEO recode table of `data/words/recode.tsv`: the code an act takes when it is
/// intended, threatened or refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecodeTable {
    /// The "express intent" code of a cooperative act still to come (03x).
    Intent,
    /// The "threaten" code of a hostile act still to come (13x).
    Threat,
    /// The "reject" code of a refused cooperative act (12x).
    Reject,
}

impl RecodeTable {
    pub const ALL: &'static [RecodeTable] = &[RecodeTable::Intent, RecodeTable::Threat, RecodeTable::Reject];

    pub fn name(self) -> &'static str {
        match self {
            RecodeTable::Intent => "intent",
            RecodeTable::Threat => "threat",
            RecodeTable::Reject => "reject",
        }
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum WordsError {
    #[error("{file}:{line}: {problem}")]
    BadRow { file: String, line: usize, problem: String },
    #[error("{file}:{line}: unknown list or table {name:?}")]
    Unknown { file: String, line: usize, name: String },
    #[error("{file}:{line}: {word:?} is already in {list} at line {first}")]
    Duplicate { file: String, line: usize, list: String, word: String, first: usize },
    #[error("no file names the list or table {0:?}")]
    Missing(String),
}

/// What a sentence must code: see `data/words/README.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No event at all.
    Nothing,
    /// No event whose code is `code` (or, with `prefix`, starts with it).
    No { code: String, prefix: bool },
    /// An event of `code` from `source` to `target` (None: no target).
    Event {
        code: String,
        source: ActorSpec,
        target: Option<ActorSpec>,
        modality: Option<String>,
        /// It is the first event the sentence codes (its main one).
        first: bool,
        /// Where it took place (`at=Madrid`).
        at: Option<String>,
    },
}

/// An actor in an expectation: an id as the knowledge base names it (a person counts for the
/// state they stand for), with a sector if one is given (`SRB.MIL`); `*` is any actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorSpec {
    pub id: String,
    pub sector: Option<String>,
}

const MODALITIES: [&str; 5] = ["asserted", "planned", "negated", "hypothetical", "reported"];

impl Expect {
    pub fn parse(text: &str) -> Result<Expect, String> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        match parts[..] {
            ["none"] => Ok(Expect::Nothing),
            ["no", code] => {
                let prefix = code.ends_with('*');
                let code = code.trim_end_matches('*');
                check_code(code)?;
                Ok(Expect::No { code: code.to_string(), prefix })
            }
            [code, actors, ref rest @ ..] => {
                check_code(code)?;
                let (source, target) =
                    actors.split_once('>').ok_or_else(|| format!("expected SOURCE>TARGET, not {actors:?}"))?;
                let mut modality = None;
                let mut first = false;
                let mut at = None;
                for &extra in rest {
                    match extra {
                        "first" => first = true,
                        place if place.starts_with("at=") => at = Some(place["at=".len()..].to_string()),
                        m if MODALITIES.contains(&m) => modality = Some(m.to_string()),
                        _ => return Err(format!("unknown qualifier {extra:?} (a modality, `first` or `at=PLACE`)")),
                    }
                }
                let target = (target != "-").then(|| ActorSpec::parse(target)).transpose()?;
                Ok(Expect::Event {
                    code: code.to_string(),
                    source: ActorSpec::parse(source)?,
                    target,
                    modality,
                    first,
                    at,
                })
            }
            _ => Err(format!("expected `none`, `no CODE` or `CODE SOURCE>TARGET`, not {text:?}")),
        }
    }
}

/// A CAMEO code is three or four digits; a prefix of codes (`18*`) may be two.
fn check_code(code: &str) -> Result<(), String> {
    let digits = (2..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit());
    digits.then_some(()).ok_or_else(|| format!("{code:?} is no CAMEO code"))
}

impl ActorSpec {
    fn parse(text: &str) -> Result<ActorSpec, String> {
        if text.is_empty() {
            return Err("an empty actor".into());
        }
        Ok(match text.split_once('.') {
            Some((id, sector)) => ActorSpec { id: id.to_string(), sector: Some(sector.to_string()) },
            None => ActorSpec { id: text.to_string(), sector: None },
        })
    }
}

/// A row's test: its own sentence, or the list's frame with the row's word in its slot.
#[derive(Clone, Debug)]
pub enum RowTest {
    /// The list's frame, filled with the row's word.
    Frame,
    /// A sentence of its own, and what it codes (None: what the list's frame must code).
    Sentence { sentence: &'static str, expect: Option<Expect> },
    /// No sentence shows the row; why.
    Dead(&'static str),
}

/// One row of a list or a map.
#[derive(Clone, Debug)]
pub struct Row {
    pub word: &'static str,
    /// A map's value for the word.
    pub value: Option<&'static str>,
    pub test: RowTest,
    /// Where the row was read: `filters.tsv:12`.
    pub origin: String,
}

/// A list or a map as its file gives it.
#[derive(Clone, Debug)]
pub struct ListRows {
    pub name: &'static str,
    /// What the list does and why.
    pub about: &'static str,
    /// A sentence with `{}` for the row's word, and what it must code.
    pub frame: Option<(&'static str, Expect)>,
    /// A word outside the list for which the frame must not code its expectation: the frame
    /// shows the list at work, not something else.
    pub control: Option<&'static str>,
    /// Why no sentence can test the list (pure grammar), instead of a frame.
    pub untested: Option<&'static str>,
    pub origin: String,
    pub rows: Vec<Row>,
}

/// One row of a recode table: codes equal to `from` (or, ending in `*`, starting with it)
/// become `to`.
#[derive(Clone, Debug)]
pub struct RecodeRow {
    pub from: &'static str,
    pub to: &'static str,
    pub sentence: &'static str,
    pub expect: Expect,
    pub origin: String,
}

#[derive(Clone, Debug)]
pub struct TableRows {
    pub name: &'static str,
    pub about: &'static str,
    pub origin: String,
    pub rows: Vec<RecodeRow>,
}

/// The lists are asked of nearly every word of every sentence with an actor: the lexicon's
/// FNV hasher, as for its head words.
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<crate::lexicon::Fnv>>;

/// A recode table for lookup: exact codes first, else the longest prefix.
#[derive(Default)]
struct Recode {
    exact: FastMap<&'static str, &'static str>,
    prefix: FastMap<&'static str, &'static str>,
}

impl Recode {
    fn get(&self, code: &str) -> Option<&'static str> {
        if let Some(to) = self.exact.get(code) {
            return Some(to);
        }
        (1..=code.len()).rev().filter(|&n| code.is_char_boundary(n)).find_map(|n| self.prefix.get(&code[..n]).copied())
    }
}

/// Everything `data/words` holds, parsed once.
pub struct Words {
    /// Every word of every list, with one bit per list it is in: one lookup answers any list.
    members: FastMap<&'static str, u128>,
    maps: Vec<FastMap<&'static str, &'static str>>,
    recodes: Vec<Recode>,
    lists: Vec<ListRows>,
    map_rows: Vec<ListRows>,
    tables: Vec<TableRows>,
}

static BUILTIN_WORDS: LazyLock<Words> =
    LazyLock::new(|| Words::parse_files(BUILTIN).unwrap_or_else(|e| panic!("the built-in word lists parse: {e}")));

/// Whether `word` (lower-cased, as the coder reads words) is in `list`.
pub fn is(list: WordList, word: &str) -> bool {
    BUILTIN_WORDS.members.get(word).is_some_and(|bits| bits & (1u128 << list as usize) != 0)
}

/// Whether `word` ends with one of `list`'s endings, leaving at least `stem` characters before it.
pub fn ends_with_any(list: WordList, word: &str, stem: usize) -> bool {
    BUILTIN_WORDS.lists[list as usize].rows.iter().any(|r| word.len() > r.word.len() + stem && word.ends_with(r.word))
}

/// A word's value in `map`.
pub fn value(map: WordMap, word: &str) -> Option<&'static str> {
    BUILTIN_WORDS.maps[map as usize].get(word).copied()
}

/// The code `code` becomes by `table`, if it has one there.
pub fn recode(table: RecodeTable, code: &str) -> Option<&'static str> {
    BUILTIN_WORDS.recodes[table as usize].get(code)
}

/// The built-in lists, maps and tables as their files give them (for their tests).
pub fn builtin() -> &'static Words {
    &BUILTIN_WORDS
}

/// What a data line is, by its first field.
enum Section {
    List(usize),
    Map(usize),
    Table(usize),
}

impl Words {
    pub fn lists(&self) -> &[ListRows] {
        &self.lists
    }

    pub fn maps(&self) -> &[ListRows] {
        &self.map_rows
    }

    pub fn tables(&self) -> &[TableRows] {
        &self.tables
    }

    /// Parses files of the form `data/words/README.md` documents; every list, map and table
    /// must be named exactly once.
    pub fn parse_files(files: &[(&str, &'static str)]) -> Result<Words, WordsError> {
        let mut lists: Vec<Option<ListRows>> = vec![None; WordList::ALL.len()];
        let mut maps: Vec<Option<ListRows>> = vec![None; WordMap::ALL.len()];
        let mut tables: Vec<Option<TableRows>> = vec![None; RecodeTable::ALL.len()];
        for &(file, text) in files {
            let mut section: Option<Section> = None;
            for (n, line) in text.lines().enumerate() {
                let line_no = n + 1;
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                let bad = |problem: String| WordsError::BadRow { file: file.to_string(), line: line_no, problem };
                let f: Vec<&'static str> = line.split('\t').collect();
                let origin = format!("{file}:{line_no}");
                match f[0] {
                    "@list" | "@map" | "@table" => {
                        let [kind, name, about] = f[..] else {
                            return Err(bad(format!("{} takes a name and what it does", f[0])));
                        };
                        let unknown =
                            || WordsError::Unknown { file: file.to_string(), line: line_no, name: name.into() };
                        let named = ListRows {
                            name,
                            about,
                            frame: None,
                            control: None,
                            untested: None,
                            origin: origin.clone(),
                            rows: Vec::new(),
                        };
                        let (slot_taken, next) = match kind {
                            "@list" => {
                                let i = WordList::ALL.iter().position(|l| l.name() == name).ok_or_else(unknown)?;
                                (lists[i].replace(named).is_some(), Section::List(i))
                            }
                            "@map" => {
                                let i = WordMap::ALL.iter().position(|l| l.name() == name).ok_or_else(unknown)?;
                                (maps[i].replace(named).is_some(), Section::Map(i))
                            }
                            _ => {
                                let i = RecodeTable::ALL.iter().position(|l| l.name() == name).ok_or_else(unknown)?;
                                let table = TableRows { name, about, origin, rows: Vec::new() };
                                (tables[i].replace(table).is_some(), Section::Table(i))
                            }
                        };
                        if slot_taken {
                            return Err(bad(format!("{name} is named twice")));
                        }
                        section = Some(next);
                    }
                    "@frame" | "@control" | "@untested" => {
                        let list = match section {
                            Some(Section::List(i)) => lists[i].as_mut(),
                            Some(Section::Map(i)) => maps[i].as_mut(),
                            _ => None,
                        }
                        .ok_or_else(|| bad(format!("{} outside a list or map", f[0])))?;
                        match (f[0], &f[1..]) {
                            ("@frame", [sentence, expect]) => {
                                if !sentence.contains("{}") {
                                    return Err(bad("a frame needs a {} for the row's word".into()));
                                }
                                list.frame = Some((sentence, Expect::parse(expect).map_err(bad)?));
                            }
                            ("@control", [word]) => list.control = Some(word),
                            ("@untested", [why]) => list.untested = Some(why),
                            _ => return Err(bad(format!("wrong number of fields for {}", f[0]))),
                        }
                    }
                    directive if directive.starts_with('@') => {
                        return Err(bad(format!("unknown directive {directive}")));
                    }
                    _ => match section {
                        None => return Err(bad("a row before any @list, @map or @table".into())),
                        Some(Section::Table(i)) => {
                            let [from, to, sentence, expect] = f[..] else {
                                return Err(bad("a recode row is: from, to, sentence, expect".into()));
                            };
                            let table = tables[i].as_mut().expect("the section's table");
                            check_code(from.trim_end_matches('*')).and(check_code(to)).map_err(bad)?;
                            if to.len() < 3 || (from.len() < 3 && !from.ends_with('*')) {
                                return Err(bad(format!("{from} -> {to}: a code is three or four digits")));
                            }
                            let expect = Expect::parse(expect).map_err(bad)?;
                            if table.rows.iter().any(|r| r.from == from) {
                                return Err(bad(format!("{from} is recoded twice")));
                            }
                            table.rows.push(RecodeRow { from, to, sentence, expect, origin });
                        }
                        Some(Section::List(i)) => {
                            let list = lists[i].as_mut().expect("the section's list");
                            let row = parse_row(file, line_no, &f, None, list)?;
                            list.rows.push(row);
                        }
                        Some(Section::Map(i)) => {
                            let list = maps[i].as_mut().expect("the section's map");
                            let Some(&value) = f.get(1).filter(|v| !v.is_empty()) else {
                                return Err(bad("a map row is: word, value[, sentence[, expect]]".into()));
                            };
                            let mut rest = vec![f[0]];
                            rest.extend(&f[2..]);
                            let row = parse_row(file, line_no, &rest, Some(value), list)?;
                            list.rows.push(row);
                        }
                    },
                }
            }
        }
        let lists: Vec<ListRows> = WordList::ALL
            .iter()
            .zip(lists)
            .map(|(l, rows)| rows.ok_or_else(|| WordsError::Missing(l.name().into())))
            .collect::<Result<_, _>>()?;
        let map_rows: Vec<ListRows> = WordMap::ALL
            .iter()
            .zip(maps)
            .map(|(m, rows)| rows.ok_or_else(|| WordsError::Missing(m.name().into())))
            .collect::<Result<_, _>>()?;
        let tables: Vec<TableRows> = RecodeTable::ALL
            .iter()
            .zip(tables)
            .map(|(t, rows)| rows.ok_or_else(|| WordsError::Missing(t.name().into())))
            .collect::<Result<_, _>>()?;
        let mut members: FastMap<&'static str, u128> = FastMap::default();
        for (i, list) in lists.iter().enumerate() {
            for row in &list.rows {
                *members.entry(row.word).or_default() |= 1u128 << i;
            }
        }
        let maps = map_rows.iter().map(|m| m.rows.iter().map(|r| (r.word, r.value.unwrap_or(""))).collect()).collect();
        let recodes = tables
            .iter()
            .map(|t| {
                let mut recode = Recode::default();
                for r in &t.rows {
                    match r.from.strip_suffix('*') {
                        Some(prefix) => recode.prefix.insert(prefix, r.to),
                        None => recode.exact.insert(r.from, r.to),
                    };
                }
                recode
            })
            .collect();
        Ok(Words { members, maps, recodes, lists, map_rows, tables })
    }
}

/// A list's or map's row: `word[, sentence[, expect]]`; a sentence of `-` marks a dead row,
/// its third field saying why.
fn parse_row(
    file: &str,
    line: usize,
    f: &[&'static str],
    value: Option<&'static str>,
    list: &ListRows,
) -> Result<Row, WordsError> {
    let bad = |problem: String| WordsError::BadRow { file: file.to_string(), line, problem };
    let word = f[0];
    if word.trim() != word || word.is_empty() {
        return Err(bad("a word with spaces around it".into()));
    }
    if let Some(first) = list.rows.iter().find(|r| r.word == word) {
        let first = first.origin.rsplit_once(':').and_then(|(_, n)| n.parse().ok()).unwrap_or(0);
        return Err(WordsError::Duplicate {
            file: file.into(),
            line,
            list: list.name.into(),
            word: word.into(),
            first,
        });
    }
    let test = match f[1..] {
        [] => RowTest::Frame,
        ["-", why] => RowTest::Dead(why),
        [sentence] => RowTest::Sentence { sentence, expect: None },
        [sentence, expect] => RowTest::Sentence { sentence, expect: Some(Expect::parse(expect).map_err(bad)?) },
        _ => return Err(bad("too many fields".into())),
    };
    Ok(Row { word, value, test, origin: format!("{file}:{line}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_map_and_table_is_read() {
        let words = builtin();
        assert!(words.lists().iter().all(|l| !l.rows.is_empty()), "an empty list");
        assert!(is(WordList::ModifiedNouns, "crimes") && !is(WordList::ModifiedNouns, "visit"));
        assert_eq!(value(WordMap::AgentSectors, "police"), Some("COP"));
        assert_eq!(recode(RecodeTable::Intent, "045"), Some("039"));
        assert_eq!(recode(RecodeTable::Intent, "042"), Some("036"));
        assert_eq!(recode(RecodeTable::Threat, "1621"), Some("1311"));
        assert_eq!(recode(RecodeTable::Reject, "190"), None);
    }

    #[test]
    fn bad_rows_name_their_file_and_line() {
        let parse = |text: &'static str| Words::parse_files(&[("x.tsv", text)]).err().map(|e| e.to_string());
        assert_eq!(parse("@list\tno-such\twhy\n").as_deref(), Some("x.tsv:1: unknown list or table \"no-such\""));
        assert_eq!(
            parse("@list\tmodified-nouns\twhy\ncrimes\ncrimes\n").as_deref(),
            Some("x.tsv:3: \"crimes\" is already in modified-nouns at line 2")
        );
        assert_eq!(parse("crimes\n").as_deref(), Some("x.tsv:1: a row before any @list, @map or @table"));
        assert_eq!(
            parse("@table\tintent\twhy\n04*\t36\tJapan will meet Iraq.\t036 JPN>IRQ\n").as_deref(),
            Some("x.tsv:2: 04* -> 36: a code is three or four digits")
        );
        assert_eq!(
            parse("@list\tmodified-nouns\twhy\n@frame\tno slot\tnone\n").as_deref(),
            Some("x.tsv:2: a frame needs a {} for the row's word")
        );
    }
}
