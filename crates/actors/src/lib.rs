//! Actors: the built-in knowledge base of states, organisations and groupings, and finding
//! them, their office-holders and the references to them in a document.
//!
//! **Invariants:** the knowledge base is data (`kb/*.tsv`), not code; this crate only reads
//! text and returns mentions and facts with byte spans; it never reads files at run time or
//! touches the store.

mod coref;
mod find;
mod groupings;
mod kb;
mod leaders;
mod misspelt;
mod name_shape;
mod people;
mod pronouns;
pub mod uner;

pub use find::{Mention, MentionFinder};
pub use groupings::{DefinedGrouping, defined_groupings};
pub use kb::{Actor, ActorKind, KbError, KnowledgeBase, Leader, Membership, Office, Surface, SurfaceForm};
pub use people::{Person, RoleFact, StandIn, slug};

use entente_document::{Document, PartialDate, Span};

/// What the actor stage adds to a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActorAnnotations {
    /// Sorted by position, not overlapping.
    pub mentions: Vec<Mention>,
    pub people: Vec<Person>,
    pub roles: Vec<RoleFact>,
}

/// Finds the actors of a document: knowledge-base names, references resolved to them, office
/// holders with their roles, and the people they are (by full name and surname). `known`:
/// people learned from earlier documents, recognised here by full name.
///
/// A text longer than [`WINDOW`] (far beyond any news article) is read in windows of whole
/// sentences, each with the people of the windows before it known, so the time taken grows
/// with the length of the text, not its square: several steps look back over every mention
/// before the one at hand.
pub fn annotate(doc: &Document, finder: &MentionFinder, known: &[Person]) -> ActorAnnotations {
    let mut out = match doc.text.len() <= WINDOW {
        true => annotate_text(&doc.text, doc.date.date.as_ref(), finder, known),
        false => annotate_in_windows(doc, finder, known),
    };
    let pronouns = pronouns::resolve(doc, &out.mentions);
    if !pronouns.is_empty() {
        out.mentions.extend(pronouns);
        out.mentions.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    }
    out
}

fn annotate_in_windows(doc: &Document, finder: &MentionFinder, known: &[Person]) -> ActorAnnotations {
    let mut out = ActorAnnotations::default();
    let mut known: Vec<Person> = known.to_vec();
    for window in windows(doc, WINDOW / 2) {
        let part = annotate_text(window.of(&doc.text), doc.date.date.as_ref(), finder, &known);
        let shift = |s: Span| Span::new(s.start + window.start, s.end + window.start);
        out.mentions.extend(part.mentions.into_iter().map(|m| Mention { span: shift(m.span), ..m }));
        out.roles.extend(part.roles.into_iter().map(|r| RoleFact { span: shift(r.span), ..r }));
        for p in part.people {
            if !known.iter().any(|k| k.id == p.id) {
                known.push(p.clone());
            }
            if !out.people.iter().any(|q| q.id == p.id) {
                out.people.push(p);
            }
        }
    }
    out
}

/// Texts up to this many bytes are annotated whole.
pub const WINDOW: usize = 256 * 1024;

/// Spans of whole sentences of about `size` bytes each (one sentence longer than that is a
/// window of its own), covering every sentence of the document.
fn windows(doc: &Document, size: usize) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for s in &doc.sentences {
        match out.last_mut() {
            Some(w) if s.span.end - w.start <= size => w.end = s.span.end,
            _ => out.push(s.span),
        }
    }
    out
}

fn annotate_text(text: &str, date: Option<&PartialDate>, finder: &MentionFinder, known: &[Person]) -> ActorAnnotations {
    let kb = finder.kb();
    let (mut mentions, hits) = finder.find_with_leaders(text);
    // "Moscow" in a text of 1985 is the Soviet Union's government.
    if let Some(date) = date {
        for m in mentions.iter_mut().filter(|m| m.surface == Surface::Capital) {
            if let Some(former) = kb.former_state_seated_at(m.span.of(text), date) {
                m.actor = former.to_string();
            }
        }
    }
    let misspelt = misspelt::misspelt_states(text, &mentions, kb);
    if !misspelt.is_empty() {
        mentions.extend(misspelt);
        mentions.sort_by_key(|m| m.span.start);
    }
    let references = coref::resolve(text, &mentions, kb);
    let summits = coref::resolve_summits(text, &mentions);
    mentions.extend(references);
    mentions.extend(summits);
    mentions.sort_by_key(|m| m.span.start);
    let offices = people::find_roles(text, &mentions, kb, known);
    let (mut people, mut roles) = (offices.people, offices.roles);
    // Well-known office holders named without their office ("Putin", "President Bush"); a
    // role the text states wins.
    let leaders = leaders::resolve(text, &hits, &mentions, kb, date, &people);
    let mut named: Vec<Mention> = Vec::new();
    for l in leaders {
        if !people.iter().any(|p| p.id == l.person.id) {
            people.push(l.person);
        }
        if let Some(r) = l.role.filter(|r| !roles.iter().any(|q| q.person == r.person)) {
            roles.push(r);
        }
        if !named.iter().any(|m| m.span.overlaps(l.mention.span)) {
            named.push(l.mention);
        }
    }
    roles.sort_by_key(|r| r.span.start);
    // People known from earlier documents are many; most are not in this one. A set of the
    // text's capitalised words rules them out without a scan of the text each: a name found
    // by `find_full_name` has its first word, as written, as a whole word of the text. Names
    // that start otherwise are looked for.
    let mut words: Vec<&str> = Vec::new();
    if !known.is_empty() {
        words = name_shape::capitalised_words(text, char::is_alphanumeric).map(|(_, w)| w).collect();
        words.sort_unstable();
        words.dedup();
    }
    let may_be_here = |name: &str| {
        let first = name.split(|c: char| c.is_whitespace() || c == '-').find(|w| !w.is_empty()).unwrap_or("");
        !first.chars().all(char::is_alphanumeric)
            || !first.starts_with(char::is_uppercase)
            || words.binary_search(&first).is_ok()
    };
    for p in known {
        if !people.iter().any(|q| q.id == p.id)
            && may_be_here(&p.name)
            && !people::find_full_name(text, &p.name).is_empty()
        {
            people.push(p.clone());
        }
    }
    let taken: Vec<Mention> = mentions.iter().chain(&named).cloned().collect();
    let mut persons = named;
    persons.extend(people::person_mentions(text, &people, &taken));
    persons.sort_by_key(|m| m.span.start);
    persons.extend(people::stand_in_mentions(text, &offices.stand_ins, kb, &mentions, &persons));
    // A person's name can sit inside a longer knowledge-base match only by mistake; people
    // win over the names of states they contain ("Georgia Meloni").
    mentions.retain(|m| !persons.iter().any(|p| p.span.overlaps(m.span) && p.span.len() > m.span.len()));
    mentions.extend(persons);
    mentions.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    mentions.dedup_by(|b, a| a.span.overlaps(b.span));
    // "the two leaders" needs the people found above; its two referents share one span.
    let pairs: Vec<Mention> = coref::resolve_pairs(text, &mentions)
        .into_iter()
        .filter(|p| !mentions.iter().any(|m| m.span.overlaps(p.span)))
        .collect();
    mentions.extend(pairs);
    mentions.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    ActorAnnotations { mentions, people, roles }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entente_document::{Metadata, PartialDate};

    fn ids_on(text: &str, date: &str) -> Vec<String> {
        let finder = MentionFinder::new(KnowledgeBase::builtin());
        let mut doc = Document::new("t", text, Metadata::default());
        doc.date.date = PartialDate::parse_iso(date);
        annotate(&doc, &finder, &[]).mentions.into_iter().map(|m| m.actor).collect()
    }

    /// (text, actor) of each person mention, and the people found.
    fn people_in(text: &str) -> (Vec<(String, String)>, Vec<String>) {
        let finder = MentionFinder::new(KnowledgeBase::builtin());
        let doc = Document::new("t", text, Metadata::default());
        let a = annotate(&doc, &finder, &[]);
        let mentions = a
            .mentions
            .iter()
            .filter(|m| m.kind == ActorKind::Person)
            .map(|m| (m.span.of(text).to_string(), m.actor.clone()))
            .collect();
        (mentions, a.people.into_iter().map(|p| p.id).collect())
    }

    #[test]
    fn one_person_per_real_person() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Turkish President Recep Tayyip Erdoğan spoke. Mr Erdogan said Turkey would act. Tayyip Erdogan left. President Erdoğan's office said.",
                &["recep-tayyip-erdogan"],
            ),
            ("Russian President Vladimir Putin's plan failed. Putin's envoy left.", &["vladimir-putin"]),
            ("Iraqi Prime Minister Mohammed Shia al-Sudani met Sudanese officials.", &["mohammed-shia-al-sudani"]),
            ("Egyptian President Abdel Fattah el-Sisi met el-Sisi's aides. Sisi spoke.", &["abdel-fattah-el-sisi"]),
            ("President George W. Bush spoke; Bush left.", &["george-w-bush"]),
            // The text's full name and the table's shorter one.
            (
                "Ghanaian President Nana Addo Dankwa Akufo-Addo spoke. Nana Akufo-Addo said. Akufo-Addo left.",
                &["nana-addo-dankwa-akufo-addo"],
            ),
            ("Israeli Prime Minister Benjamin Netanyahu met Bibi Netanyahu's aides.", &["benjamin-netanyahu"]),
            // With or without a particle, of no state.
            ("Ayman Zawahiri, al-Qaeda's #2, spoke. Ayman al-Zawahiri left.", &["ayman-zawahiri"]),
        ];
        for (text, want) in cases {
            let (mentions, people) = people_in(text);
            assert_eq!(people, *want, "{text}");
            assert!(mentions.iter().all(|(_, id)| want.contains(&id.as_str())), "{text}: {mentions:?}");
            assert!(people.iter().all(|id| !id.ends_with("-s")), "no possessive in an id: {people:?}");
        }
        let (mentions, _) = people_in("Iraqi Prime Minister Mohammed Shia al-Sudani met Sudanese officials.");
        assert_eq!(mentions[0].0, "Mohammed Shia al-Sudani", "the full name, not a state read inside it");
    }

    #[test]
    fn a_seat_of_power_names_the_state_that_held_it_on_the_documents_date() {
        let text = "Moscow and Belgrade protested; the Kremlin said Russia would act.";
        assert_eq!(ids_on(text, "1985-06-01"), ["SUN", "YUG", "SUN", "RUS"]);
        assert_eq!(ids_on(text, "2023-06-01"), ["RUS", "SRB", "RUS", "RUS"]);
    }
}
