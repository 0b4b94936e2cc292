//! Finding the knowledge base's actors in text: one Aho-Corasick pass, longest match first,
//! case-sensitive (so "US" is the country and "us" is not), on word boundaries (so "Japan's",
//! "Japan-NATO" and "US-led" match and "Omani" does not make "Oman"), with rules for names
//! that are also first names or US states, and for the part of a state a text names
//! ("Chinese foreign ministry" is China's government).

use crate::kb::{ActorKind, KnowledgeBase, Surface};
use crate::leaders::{How, LeaderHit};
use aho_corasick::{AhoCorasick, MatchKind};
use entente_document::Span;

/// An actor named in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub span: Span,
    pub actor: String,
    pub kind: ActorKind,
    /// For parts of a state: `GOV`, `MIL`, `LEG`.
    pub sector: Option<String>,
    pub surface: Surface,
    /// The rule that found it: `kb:name`, `kb:demonym`, `kb:capital`, `role:...`,
    /// `person:surname`, `coref:...`.
    pub rule: &'static str,
}

enum Pattern {
    Surface(usize),
    /// Phrases that contain an actor's name but are not about it ("Indian Ocean").
    Blocker,
    /// A well-known office holder's name, and no surface form.
    Leader,
}

/// Phrases that must not be read as their actor.
const BLOCKERS: &[&str] = &[
    "Indian Ocean",
    "South China Sea",
    "East China Sea",
    "Gulf of Mexico",
    "New Mexico",
    "New England",
    "Jordan River",
    "Persian Gulf",
    "Arabian Sea",
    "Korean Peninsula",
    "New Jersey",
    "Jersey City",
    "Latin American",
    "Latin America",
    "South American",
    "North American",
    "Central American",
    "Georgia Tech",
    "Arab Spring",
    // Today's states that were the Soviet Union's republics, not the Soviet Union.
    "former Soviet republic",
    "former Soviet republics",
    "former Soviet states",
    "former Soviet countries",
    "former Soviet bloc",
    "ex-Soviet republic",
    "ex-Soviet republics",
    "ex-Soviet states",
    "Former Soviet republics",
    "Former Soviet states",
    "Ex-Soviet republics",
    "Ex-Soviet states",
    "Turkey Point",
    "Panama Canal",
    "Suez Canal",
    "Sea of Japan",
    "Gulf of Oman",
    "Gulf of Aden",
    "Washington Post",
    "New York Times",
    "China Daily",
    "Global Times",
    "Japan Times",
    "Korea Herald",
    "Nikkei Asia",
    "Al Jazeera",
    "Russia Today",
    "Voice of America",
    "Radio France",
    "France 24",
    "France Info",
    "Financial Times",
    "Times of India",
    "Kyiv Independent",
    "Moscow Times",
    "Indian Express",
    "Chinese Communist Party",
    "Communist Party of China",
    "Australian Strategic Policy Institute",
    "Foundation for Strategic Research",
    "Tokyo International University",
    "Sydney Opera House",
    "Washington Consensus",
    "Brussels sprouts",
    "Paris Agreement",
    "Paris agreement",
    "Paris Club",
];
/// State names that are also first names: not the state when a capitalised word follows
/// ("Chad Smith", "Jordan Peterson").
const FIRST_NAMES: &[&str] = &["Chad", "Jordan", "Georgia", "Kenya", "Israel", "India", "China", "Lebanon"];
/// Words that show "Georgia" is the US state.
const US_STATE_CONTEXT: &[&str] = &[
    "Atlanta",
    "Savannah",
    "Republican",
    "Democrat",
    "senator",
    "Senator",
    "governor",
    "Governor",
    "county",
    "County",
    "primary",
];
/// Names that stand for an organisation ("Brussels said") but after "in", "at", "from" or
/// "to" are just the place ("NATO headquarters in Brussels").
const VENUE_AFTER_PREPOSITION: &[&str] = &["Brussels"];
/// Prefixes valid only before a hyphen ("Sino-Russian").
const HYPHEN_PREFIXES: &[(&str, &str)] =
    &[("Sino", "CHN"), ("Russo", "RUS"), ("Anglo", "GBR"), ("Franco", "FRA"), ("Indo", "IND")];

const SECTORS: &[(&str, &str)] = &[
    ("foreign ministry", "GOV"),
    ("ministry of foreign affairs", "GOV"),
    ("foreign office", "GOV"),
    ("government", "GOV"),
    ("administration", "GOV"),
    ("officials", "GOV"),
    ("authorities", "GOV"),
    ("cabinet", "GOV"),
    ("regime", "GOV"),
    ("leadership", "GOV"),
    ("diplomats", "GOV"),
    ("embassy", "GOV"),
    ("executive", "GOV"),
    ("state media", "GOV"),
    ("leaders", "GOV"),
    ("defence ministry", "MIL"),
    ("defense ministry", "MIL"),
    ("ministry of defence", "MIL"),
    ("ministry of defense", "MIL"),
    ("armed forces", "MIL"),
    ("air force", "MIL"),
    ("coast guard", "MIL"),
    ("military", "MIL"),
    ("army", "MIL"),
    ("forces", "MIL"),
    ("troops", "MIL"),
    ("soldiers", "MIL"),
    ("navy", "MIL"),
    ("warships", "MIL"),
    ("self-defense forces", "MIL"),
    ("self-defence forces", "MIL"),
    ("parliament", "LEG"),
    ("lawmakers", "LEG"),
    ("legislators", "LEG"),
    ("congress", "LEG"),
    ("senate", "LEG"),
    ("legislature", "LEG"),
];

pub struct MentionFinder<'kb> {
    kb: &'kb KnowledgeBase,
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// Per pattern: which of `leader_targets` its text names, if any.
    leaders: Vec<Option<usize>>,
    /// The well-known office holders (`leaders.tsv`) a text may name, and how.
    leader_targets: Vec<Vec<(usize, How)>>,
}

impl<'kb> MentionFinder<'kb> {
    pub fn new(kb: &'kb KnowledgeBase) -> Self {
        let mut texts: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        for (i, s) in kb.surfaces().iter().enumerate() {
            texts.push(s.text.clone());
            patterns.push(Pattern::Surface(i));
            // Headlines in capitals: "JAPAN AND NATO".
            let upper = s.text.to_uppercase();
            if upper != s.text && s.text.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
                texts.push(upper);
                patterns.push(Pattern::Surface(i));
            }
        }
        for b in BLOCKERS {
            texts.push(b.to_string());
            patterns.push(Pattern::Blocker);
        }
        // Leaders' names go in the same automaton: a text that is also a surface form
        // ("Montenegro") marks those patterns; the others are patterns of their own.
        let mut leaders = vec![None; texts.len()];
        let mut leader_targets = Vec::new();
        let mut index: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
        for (i, t) in texts.iter().enumerate() {
            index.entry(t.clone()).or_default().push(i);
        }
        for (text, targets) in crate::leaders::patterns(kb) {
            let k = leader_targets.len();
            leader_targets.push(targets);
            match index.get(&text) {
                Some(same) => same.iter().for_each(|&i| leaders[i] = Some(k)),
                None => {
                    texts.push(text);
                    patterns.push(Pattern::Leader);
                    leaders.push(Some(k));
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&texts)
            .expect("surface forms build an automaton");
        crate::people::compile_patterns();
        crate::coref::compile_patterns();
        MentionFinder { kb, automaton, patterns, leaders, leader_targets }
    }

    pub fn kb(&self) -> &'kb KnowledgeBase {
        self.kb
    }

    /// Every knowledge-base actor named in `text`, sorted and not overlapping.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        self.find_with_leaders(text).0
    }

    /// The knowledge-base mentions and, from the same pass, the names of well-known office
    /// holders (for `leaders::resolve`).
    pub(crate) fn find_with_leaders(&self, text: &str) -> (Vec<Mention>, Vec<LeaderHit>) {
        let mut out: Vec<Mention> = Vec::new();
        let mut hits: Vec<LeaderHit> = Vec::new();
        for m in self.automaton.find_iter(text) {
            let (start, end) = (m.start(), m.end());
            if !on_word_boundaries(text, start, end) {
                continue;
            }
            if let Some(k) = self.leaders[m.pattern().as_usize()] {
                hits.push(LeaderHit { span: Span::new(start, end), targets: self.leader_targets[k].clone() });
            }
            let Pattern::Surface(si) = self.patterns[m.pattern().as_usize()] else {
                continue;
            };
            let surface = &self.kb.surfaces()[si];
            if is_other_sense(text, start, end, &surface.text)
                || is_venue(text, start, &surface.text)
                || is_origin_or_period(text, start, end)
                || is_party_label(text, start)
            {
                continue;
            }
            let Some(actor) = self.kb.actor(&surface.actor) else {
                continue;
            };
            let mut mention = Mention {
                span: Span::new(start, end),
                actor: actor.id.clone(),
                kind: actor.kind,
                sector: surface.sector.clone(),
                surface: surface.how,
                rule: match surface.how {
                    Surface::Name => "kb:name",
                    Surface::Demonym => "kb:demonym",
                    Surface::Capital => "kb:capital",
                    Surface::Reference => "kb:reference",
                    Surface::Occasion => "kb:occasion",
                    Surface::Pronoun => "kb:pronoun",
                },
            };
            if actor.kind == ActorKind::State && surface.how != Surface::Capital {
                extend_with_sector(text, &mut mention);
            }
            out.push(mention);
        }
        out.extend(hyphen_prefixes(text));
        out.sort_by_key(|m| m.span.start);
        (out, hits)
    }
}

/// The match is a whole word: nothing alphanumeric on either side. A hyphen or apostrophe
/// after it is fine ("Japan-NATO", "Japan's").
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
}

/// "Chad Smith", "Jordan Peterson", Georgia the US state.
fn is_other_sense(text: &str, start: usize, end: usize, surface: &str) -> bool {
    if !FIRST_NAMES.contains(&surface) {
        return false;
    }
    let next = text[end..].trim_start_matches(' ');
    let next_word: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
    let capitalised_follower = next_word.chars().next().is_some_and(char::is_uppercase)
        && text[end..].starts_with(' ')
        && !is_function_word(&next_word);
    if capitalised_follower {
        return true;
    }
    if surface == "Georgia" {
        let window = &text
            [text.floor_char_boundary(start.saturating_sub(200))..text.ceil_char_boundary((end + 200).min(text.len()))];
        return US_STATE_CONTEXT.iter().any(|w| window.contains(w));
    }
    false
}

fn is_venue(text: &str, start: usize, surface: &str) -> bool {
    VENUE_AFTER_PREPOSITION.contains(&surface)
        && ["in ", "at ", "from ", "to "].iter().any(|p| text[..start].ends_with(p))
}

/// Where a thing was made or a time it belongs to, not the state acting: "Russian-made
/// rockets", "a Bosnia-style war", "Soviet-era tanks", "post-Soviet states". ("US-led",
/// "Iranian-backed" and "anti-Russian" do name the state's part and stay.)
fn is_origin_or_period(text: &str, start: usize, end: usize) -> bool {
    const AFTER: &[&str] =
        &["-made", "-built", "-designed", "-manufactured", "-produced", "-era", "-style", "-type", "-vintage"];
    const BEFORE: &[&str] = &["post-", "Post-", "pre-", "Pre-"];
    let rest = &text[end..];
    AFTER.iter().any(|a| rest.starts_with(a) && !rest[a.len()..].starts_with(|c: char| c.is_alphanumeric()))
        || BEFORE.iter().any(|b| text[..start].ends_with(b))
}

/// "Rep. Robert Aderholt (R-AL)": a US lawmaker's party and home state, not an actor.
fn is_party_label(text: &str, start: usize) -> bool {
    ["(R-", "(D-", "(I-"].iter().any(|p| text[..start].ends_with(p))
}

/// Capitalised words that can follow a state's name in a sentence ("Japan And Korea" in a
/// headline, "China Said").
fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "And"
            | "Or"
            | "The"
            | "To"
            | "In"
            | "On"
            | "For"
            | "Of"
            | "With"
            | "Is"
            | "Was"
            | "Will"
            | "Said"
            | "Says"
            | "Has"
            | "Have"
            | "At"
            | "As"
            | "By"
            // "Israel Friday reimposed ...": a news dateline's weekday follows the subject.
            | "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
    )
}

/// "Chinese foreign ministry", "Russian forces", "Japan's government": the state's part.
fn extend_with_sector(text: &str, m: &mut Mention) {
    let mut rest = &text[m.span.end..];
    let mut skipped = 0;
    for possessive in ["'s ", "’s "] {
        if let Some(r) = rest.strip_prefix(possessive) {
            rest = r;
            skipped = possessive.len();
        }
    }
    let rest = match rest.strip_prefix(' ') {
        Some(r) if skipped == 0 => {
            skipped = 1;
            r
        }
        _ if skipped > 0 => rest,
        _ => return,
    };
    for (noun, sector) in SECTORS {
        if rest.len() >= noun.len()
            && rest.is_char_boundary(noun.len())
            && rest[..noun.len()].eq_ignore_ascii_case(noun)
            && !rest[noun.len()..].starts_with(|c: char| c.is_alphanumeric())
        {
            m.span = Span::new(m.span.start, m.span.end + skipped + noun.len());
            m.sector = Some(sector.to_string());
            return;
        }
    }
}

fn hyphen_prefixes(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    // One pass over the text's hyphens rather than a search of the whole text per prefix.
    for (hyphen, _) in text.match_indices('-') {
        for (prefix, id) in HYPHEN_PREFIXES {
            if !text[..hyphen].ends_with(prefix) {
                continue;
            }
            let start = hyphen - prefix.len();
            let before_ok = !text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric());
            // "Indo-Pacific" is a region, not India.
            if before_ok && !text[hyphen..].starts_with("-Pacific") {
                out.push(Mention {
                    span: Span::new(start, hyphen),
                    actor: id.to_string(),
                    kind: ActorKind::State,
                    sector: None,
                    surface: Surface::Demonym,
                    rule: "kb:prefix",
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String)> {
        let finder = MentionFinder::new(KnowledgeBase::builtin());
        finder
            .find(text)
            .into_iter()
            .map(|m| {
                (
                    m.span.of(text).to_string(),
                    format!("{}{}", m.actor, m.sector.map(|s| format!("/{s}")).unwrap_or_default()),
                )
            })
            .collect()
    }

    fn ids(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(_, id)| id).collect()
    }

    #[test]
    fn case_rules_and_aliases() {
        assert_eq!(ids("The US and the U.S.A. told us to go to America."), ["USA", "USA", "USA"]);
        assert_eq!(ids("Nato, NATO and the North Atlantic Treaty Organization"), ["NATO", "NATO", "NATO"]);
        assert_eq!(ids("the Republic of Korea (ROK), South Korea and Seoul"), ["KOR", "KOR", "KOR", "KOR/GOV"]);
        assert_eq!(ids("Britain and the UK, the AP4 or IP4"), ["GBR", "GBR", "AP4", "AP4"]);
        assert_eq!(ids("JAPAN AND NATO SIGN DEAL"), ["JPN", "NATO"]);
    }

    #[test]
    fn possessives_hyphens_and_prefixes() {
        assert_eq!(
            ids("Japan's and Japan’s ties; the Japan-NATO talks; US-led forces; Sino-Russian ties"),
            ["JPN", "JPN", "JPN", "NATO", "USA", "CHN", "RUS"]
        );
        assert_eq!(ids("the Indo-Pacific region"), Vec::<String>::new());
        assert_eq!(ids("Omani and Oman"), ["OMN", "OMN"]);
        assert_eq!(
            ids(
                "Russian-made rockets, Soviet-era tanks, post-Soviet states and a Bosnia-style war; Iranian-backed and US-led forces"
            ),
            ["IRN", "USA"],
            "where a thing was made or what time it belongs to is no actor"
        );
    }

    #[test]
    fn first_names_us_states_and_blocked_phrases() {
        assert_eq!(ids("Chad Smith met Jordan Peterson."), Vec::<String>::new());
        assert_eq!(ids("Chad and Jordan signed a pact."), ["TCD", "JOR"]);
        assert_eq!(ids("Israel Friday reimposed a blockade."), ["ISR"]);
        assert_eq!(ids("The governor of Georgia spoke in Atlanta."), Vec::<String>::new());
        assert_eq!(ids("Georgia applied to join the EU."), ["GEO", "EU"]);
        let far = format!("{} Georgia voted. {}", "é".repeat(150), "ü".repeat(150));
        assert_eq!(ids(&far), ["GEO"], "the context window stays on character boundaries");
        assert_eq!(ids("ships in the South China Sea and the Indian Ocean"), Vec::<String>::new());
        assert_eq!(ids("New Jersey voted; Jersey and American Samoa did not."), ["JEY", "ASM"]);
    }

    #[test]
    fn armed_groups_and_their_transliterations() {
        assert_eq!(
            ids(
                "Hizbullah fighters, SCIRI and its Badr Corps, the Sadrist movement, Tawhid wa al-Jihad, al-Jihad al-Islami, the Moroccan Islamic Combatant Group and Maghawir al-Thawra"
            ),
            ["HEZBOLLAH", "SCIRI", "BADR", "SADRISTS", "JTJ", "EIJ", "GICM", "MAGHAWIR"]
        );
        assert_eq!(ids("Egyptian Islamic Jihad and Islamic Jihad"), ["EIJ", "PIJ"]);
    }

    #[test]
    fn us_party_labels_name_no_actor() {
        assert_eq!(ids("Rep. Robert Aderholt (R-AL) and Sen. Dianne Feinstein (D-CA) met the AL chief."), ["AL"]);
    }

    #[test]
    fn former_states_and_old_names() {
        assert_eq!(
            ids(
                "The Soviet Union, the USSR and the Soviets; Yugoslavia and Czechoslovakia; East Germany and East Berlin"
            ),
            ["SUN", "SUN", "SUN", "YUG", "CSK", "DDR", "DDR/GOV"]
        );
        assert_eq!(ids("West Germany, Zaire and Rhodesia"), ["DEU", "COD", "ZWE"]);
        assert_eq!(
            ids("The former Soviet republics and ex-Soviet states were wary; the former Soviet Union was not."),
            ["SUN"],
            "the republics are today's states"
        );
        assert_eq!(ids("Former Soviet republics met."), Vec::<String>::new());
    }

    #[test]
    fn sectors_of_states() {
        assert_eq!(
            found("A Chinese foreign ministry spokesman said"),
            [("Chinese foreign ministry".into(), "CHN/GOV".into())]
        );
        assert_eq!(
            ids("Russian forces and Japan's government, the Pentagon and the Kremlin"),
            ["RUS/MIL", "JPN/GOV", "USA/MIL", "RUS/GOV"]
        );
        assert_eq!(
            ids("The CIA, NASA, the FBI, Pakistan's ISI, Mossad, MI6 and Iran's Revolutionary Guards"),
            ["USA/GOV", "USA/GOV", "USA/GOV", "PAK", "PAK/MIL", "ISR/GOV", "GBR/GOV", "IRN", "IRN/MIL"],
            "national agencies stand for their state"
        );
    }
}
