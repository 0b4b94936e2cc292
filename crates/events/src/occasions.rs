//! Occasions a sentence lists before its main clause: "In Madrid in 2022, then in Vilnius in
//! 2023, Yoon Suk-yeol made the trip" is two trips, one at each place and date. The nearest
//! venue and date rules would give one trip, at whatever venue follows the trigger.

use crate::place::Location;
use crate::view::SentenceView;
use crate::when::EventDate;
use crate::words::{self, WordList};
use entente_document::{PartialDate, Span};
use std::ops::Range;

/// Where and when one occasion of an event is: a place, a date or both.
#[derive(Clone, Debug, Default)]
pub(crate) struct Setting {
    pub location: Option<Location>,
    pub date: Option<(PartialDate, &'static str)>,
}

impl Setting {
    fn is_empty(&self) -> bool {
        self.location.is_none() && self.date.is_none()
    }
}

/// The occasions (two or more) listed at the head of the sentence, each opened by a
/// preposition and made only of places and dates, the list closed by a comma before the
/// subject; and the words of the main clause that follows (up to its first conjunction or
/// break), the events they set.
pub(crate) fn fronted_settings(
    view: &SentenceView,
    w: &[&str],
    venues: &[(Span, Location)],
    dates: &[EventDate],
) -> Option<(Vec<Setting>, Range<usize>)> {
    let mut settings: Vec<Setting> = Vec::new();
    let mut current = Setting::default();
    // Where the current occasion's words start, in the sentence; none before its preposition.
    let mut opened: Option<usize> = None;
    let mut i = 0;
    while i < w.len() {
        let span = view.words[i].span;
        let offset = span.start - view.span.start;
        if words::is(WordList::OccasionPrepositions, w[i]) {
            opened.get_or_insert(offset);
        } else if matches!(w[i], "," | "then" | "and") {
            if !current.is_empty() {
                settings.push(std::mem::take(&mut current));
            }
            opened = None;
        } else if let Some((venue, location)) = venues.iter().find(|(s, _)| s.overlaps(span)) {
            if opened.is_none() || current.location.is_some() {
                return None;
            }
            current.location = Some(location.clone());
            while i + 1 < w.len() && view.words[i + 1].span.start < venue.end {
                i += 1;
            }
        } else if is_date_word(w[i]) {
            let start = opened?;
            let end = span.end - view.span.start;
            if current.date.is_none() {
                current.date = dates.iter().find(|d| (start..end).contains(&d.at)).map(|d| (d.date, d.rule));
            }
        } else if w[i] != "the" {
            break;
        }
        i += 1;
    }
    let closed = i > 0 && w[i - 1] == "," && current.is_empty();
    if !closed || settings.len() < 2 || view.actor_at_word(i).is_none() {
        return None;
    }
    let end = (i + 1..w.len()).find(|&j| matches!(w[j], "and" | "but" | ";" | ",")).unwrap_or(w.len());
    Some((settings, i..end))
}

/// A word of a date expression: "2022", "July", "Tuesday", "next", "year", "12th".
fn is_date_word(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_digit())
        || crate::agents::is_calendar_word(w)
        || words::is(WordList::DateWords, w)
}
