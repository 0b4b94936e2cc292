//! Where an event happened: "in Vilnius", "at the Madrid summit", "in Lithuania". Capitals and
//! states come from the actor mentions; other venues from `data/places.tsv`.

use crate::view::{ActorKind, SentenceView, Surface};
use crate::words::{self, WordList};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use entente_document::Span;
use std::sync::LazyLock;

pub use entente_document::event::Location;

pub struct Places {
    names: Vec<(String, String)>,
    matcher: AhoCorasick,
}

static PLACES: LazyLock<Places> = LazyLock::new(|| {
    let names: Vec<(String, String)> = include_str!("../data/places.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("name\t") && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t').map(|(n, c)| (n.to_string(), c.trim().to_string())))
        .collect();
    // A hundred-odd names: a DFA costs nothing to build and reads each sentence fastest.
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(names.iter().map(|(n, _)| n))
        .expect("place names build an automaton");
    Places { names, matcher }
});

impl Places {
    pub fn builtin() -> &'static Places {
        &PLACES
    }

    /// The venue nearest after the trigger (else before it) in the sentence.
    pub fn location_in(&self, view: &SentenceView, trigger: Span) -> Option<Location> {
        nearest_venue(&self.venues(view), trigger)
    }

    /// The sentence's venues, found once for all its triggers.
    pub fn venues(&self, view: &SentenceView) -> Vec<(Span, Location)> {
        let text = view.sentence_text();
        // Where each candidate comes from: an actor of the sentence or a place name. The
        // location is written out only for the venues among them.
        enum From {
            Actor(usize),
            Place(usize),
        }
        let mut candidates: Vec<(Span, From)> = Vec::new();
        for (i, a) in view.actors.iter().enumerate() {
            let is_place = matches!(a.surface, Surface::Capital)
                || (a.surface == Surface::Name && a.actor.kind == ActorKind::State);
            if is_place {
                candidates.push((a.span, From::Actor(i)));
            }
        }
        for m in self.matcher.find_iter(text) {
            let span = Span::new(m.start(), m.end()).shifted(view.span.start);
            let boundary_ok = !text[..m.start()].ends_with(char::is_alphanumeric)
                && !text[m.end()..].starts_with(char::is_alphanumeric);
            if boundary_ok && !candidates.iter().any(|(s, _)| s.overlaps(span)) {
                candidates.push((span, From::Place(m.pattern().as_usize())));
            }
        }
        candidates
            .into_iter()
            .filter(|(span, _)| is_venue(view.text, *span))
            .map(|(span, from)| {
                let location = match from {
                    From::Actor(i) => Location {
                        name: span.of(view.text).to_string(),
                        country: view.actors[i].actor.country_code().map(str::to_string),
                    },
                    From::Place(p) => {
                        let (name, country) = &self.names[p];
                        Location { name: name.clone(), country: Some(country.clone()) }
                    }
                };
                (span, location)
            })
            .collect()
    }
}

/// The venue nearest after the trigger, else before it.
pub fn nearest_venue(venues: &[(Span, Location)], trigger: Span) -> Option<Location> {
    let after = |s: &Span| s.start >= trigger.end;
    venues
        .iter()
        .min_by_key(|(s, _)| {
            (!after(s), if after(s) { s.start - trigger.end } else { trigger.start.saturating_sub(s.end) })
        })
        .map(|(_, l)| l.clone())
}

/// Words that name a part of a country before its name: "southern Serbia", "central Baghdad".
pub(crate) fn is_region_adjective(w: &str) -> bool {
    words::is(WordList::RegionAdjectives, w)
}

/// "in Vilnius", "at the Madrid summit", "the summit in Madrid".
fn is_venue(text: &str, span: Span) -> bool {
    let mut before: Vec<&str> = text[..span.start].split_whitespace().rev().take(3).collect();
    // "in the occupied West Bank", "in northern Israel": a describing word after the
    // preposition or article.
    let describing = |w: &str| w.ends_with("ed") || is_region_adjective(w) || words::is(WordList::CompassPoints, w);
    if before.first().is_some_and(|w| describing(w)) {
        before.remove(0);
    }
    let after = text[span.end..].split_whitespace().next().unwrap_or("");
    let after = after.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let venue_preposition = |w: &&str| words::is(WordList::VenuePrepositions, &w.to_lowercase());
    let prep = before.first().is_some_and(venue_preposition)
        || (before.first().is_some_and(|w| w.eq_ignore_ascii_case("the"))
            && before.get(1).is_some_and(venue_preposition));
    prep || words::is(WordList::PlaceVenueNouns, &after)
}
