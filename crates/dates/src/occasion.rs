//! The text's own time, from dated occasions it names. "The Nato summit in Madrid last year",
//! "will host the G7 summit in Hiroshima this month", "the next summit in Vilnius": each names
//! an occasion whose dates are known, and says where the text stands relative to it. A text
//! with no date of its own takes the time these give; so does a text whose printed date is
//! contradicted by what it speaks of as still to come (a page served long after it was written).

use crate::choose::{FUTURE, compare_dates, future_dates_before, future_day_months};
use entente_document::{DateSource, DocumentDate, PartialDate, Span, TextDate};
use regex::Regex;
use std::sync::LazyLock;

/// A dated occasion named in the text: its words and when it was held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occasion {
    /// The sentence (or clause) that names it: the words whose tense and time words count.
    pub sentence: Span,
    /// How the text names it, for the reason: "the NATO summit in Madrid".
    pub name: String,
    pub start: PartialDate,
    pub end: PartialDate,
}

/// Where the text stands relative to one occasion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Relation {
    /// "this month": the text is of the occasion's month.
    SameMonth(PartialDate),
    /// "last year" (the year after), "this year", "next year" (the year before).
    Year(i32),
    /// Spoken of as to come: the text is before its start.
    Before(PartialDate),
    /// Spoken of as past: the text is after its end.
    After(PartialDate),
}

static RELATIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(last|this|next)\s+(year|month)\b").expect("compiles"));

fn relation(text: &str, occasion: &Occasion) -> Option<Relation> {
    let words = occasion.sentence.of(text);
    let start = occasion.start;
    if let Some(caps) = RELATIVE.captures(words) {
        let when = caps[1].to_ascii_lowercase();
        let unit = caps[2].to_ascii_lowercase();
        return match (when.as_str(), unit.as_str()) {
            ("this", "month") => PartialDate::month(start.year, start.month?).map(Relation::SameMonth),
            ("last", "month") => {
                let (y, m) = if start.month? == 12 { (start.year + 1, 1) } else { (start.year, start.month? + 1) };
                PartialDate::month(y, m).map(Relation::SameMonth)
            }
            ("last", "year") => Some(Relation::Year(start.year + 1)),
            ("this", "year") => Some(Relation::Year(start.year)),
            ("next", "year") => Some(Relation::Year(start.year - 1)),
            _ => None,
        };
    }
    Some(if FUTURE.is_match(&words.to_lowercase()) { Relation::Before(start) } else { Relation::After(occasion.end) })
}

/// The time the named occasions place the text in, with the occasions that say so.
fn text_time(text: &str, occasions: &[Occasion]) -> Option<(PartialDate, Vec<String>)> {
    let related: Vec<(Relation, &Occasion)> =
        occasions.iter().filter_map(|o| relation(text, o).map(|r| (r, o))).collect();
    let unanimous = |values: Vec<PartialDate>| -> Option<PartialDate> {
        let first = *values.first()?;
        values.iter().all(|v| *v == first).then_some(first)
    };
    let months = unanimous(
        related.iter().filter(|(r, _)| matches!(r, Relation::SameMonth(_))).map(|(r, _)| date_of(r)).collect(),
    );
    let years =
        unanimous(related.iter().filter(|(r, _)| matches!(r, Relation::Year(_))).map(|(r, _)| date_of(r)).collect());
    let latest_past = related
        .iter()
        .filter_map(|(r, _)| match r {
            Relation::After(end) => PartialDate::month(end.year, end.month?),
            _ => None,
        })
        .max_by(compare_dates);
    let candidate = match (months, years) {
        (Some(m), Some(y)) if m.year != y.year => return None,
        (Some(m), _) => m,
        (None, Some(y)) => y,
        (None, None) => latest_past?,
    };
    // Every occasion must agree: none spoken of as past may end after the candidate's end, none
    // spoken of as to come may start before the candidate's start.
    let (first_day, last_day) = candidate.day_range();
    let consistent = related.iter().all(|(r, _)| match r {
        Relation::After(end) => end.day_range().0 <= last_day,
        Relation::Before(start) => start.day_range().1 >= first_day,
        _ => true,
    });
    if !consistent {
        return None;
    }
    let mut named: Vec<String> = Vec::new();
    for (_, o) in &related {
        let one = format!("{} ({})", o.name, o.start);
        if !named.contains(&one) {
            named.push(one);
        }
    }
    Some((candidate, named))
}

fn date_of(r: &Relation) -> PartialDate {
    match *r {
        Relation::SameMonth(d) | Relation::Before(d) | Relation::After(d) => d,
        Relation::Year(y) => PartialDate { year: y, month: None, day: None },
    }
}

/// A better date for the document from the occasions its text names, when it needs one: it
/// has no date, or its printed date is later than a day the text speaks of as still to come.
/// None leaves the date as chosen. `occasions` is only asked for when the date needs them, so
/// the documents whose date holds (nearly all) cost no search for occasions.
pub fn date_from_occasions(
    chosen: &DocumentDate,
    text: &str,
    text_dates: &[TextDate],
    occasions: impl FnOnce() -> Vec<Occasion>,
) -> Option<DocumentDate> {
    let contradicted = chosen
        .printed
        .is_some_and(|printed| !future_dates_before(printed, &future_day_months(text, text_dates)).is_empty());
    if chosen.date.is_some() && !contradicted {
        return None;
    }
    let (date, named) = text_time(text, &occasions())?;
    if let Some(printed) = chosen.printed.filter(|_| contradicted)
        && compare_dates(&date, &printed) != std::cmp::Ordering::Less
    {
        return None;
    }
    let why = match chosen.printed.filter(|_| contradicted) {
        Some(printed) => format!(
            "the printed date {printed} is later than what the text speaks of as still to come; the occasions it names place it in {date}"
        ),
        None => format!("no date of its own; the occasions it names place it in {date}"),
    };
    Some(DocumentDate {
        date: Some(date),
        source: DateSource::Text,
        printed: chosen.printed,
        text_period: chosen.text_period,
        reason: format!("{why}: {}", named.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choose::choose_date;
    use crate::text::find_dates;

    /// Occasions named by their words in the text, with their dates.
    fn occasions(text: &str, named: &[(&str, &str, &str)]) -> Vec<Occasion> {
        named
            .iter()
            .map(|&(words, start, end)| {
                let at = text.find(words).expect("named in the text");
                let from = text[..at].rfind(['.', '\n']).map_or(0, |p| p + 1);
                let to = text[at..].find(['.', '\n']).map_or(text.len(), |p| at + p);
                Occasion {
                    sentence: Span::new(from, to),
                    name: words.to_string(),
                    start: PartialDate::parse_iso(start).unwrap(),
                    end: PartialDate::parse_iso(end).unwrap(),
                }
            })
            .collect()
    }

    fn redate(text: &str, named: &[(&str, &str, &str)]) -> Option<DocumentDate> {
        let dates = find_dates(text);
        let chosen = choose_date(None, text, &dates);
        date_from_occasions(&chosen, text, &dates, || occasions(text, named))
    }

    #[test]
    fn a_served_page_takes_the_time_its_occasions_give() {
        let text = "Friday , 12 July 2024\nHome News Plans\n\nThe premier attended the Nato summit in Madrid last year. He will host the G7 summit in Hiroshima this month. He will travel to the next Nato summit in Vilnius. The leaders will meet on 24 May.";
        let d = redate(
            text,
            &[
                ("Nato summit in Madrid", "2022-06-28", "2022-06-30"),
                ("G7 summit in Hiroshima", "2023-05-19", "2023-05-21"),
                ("Nato summit in Vilnius", "2023-07-11", "2023-07-12"),
            ],
        )
        .expect("redated");
        assert_eq!(d.date.unwrap().to_string(), "2023-05");
        assert_eq!(d.printed.unwrap().to_string(), "2024-07-12");
        assert!(d.reason.contains("G7 summit in Hiroshima (2023-05-19)"), "{}", d.reason);
    }

    #[test]
    fn an_undated_report_of_a_summit_takes_its_month() {
        let text = "Leaders of Japan and Australia met at the NATO summit in Madrid with the allies.";
        let d = redate(text, &[("NATO summit in Madrid", "2022-06-28", "2022-06-30")]).expect("redated");
        assert_eq!(d.date.unwrap().to_string(), "2022-06");
        assert!(d.reason.starts_with("no date of its own"), "{}", d.reason);
    }

    #[test]
    fn a_date_that_holds_or_occasions_that_disagree_change_nothing() {
        let text = "Published March 3, 2023\n\nThe premier attended the Nato summit in Madrid.";
        assert_eq!(
            redate(text, &[("Nato summit in Madrid", "2022-06-28", "2022-06-30")]),
            None,
            "the printed date holds"
        );
        let text = "Leaders met at the summit in Madrid last year and at the summit in Vilnius this year.";
        let named =
            [("summit in Madrid", "2022-06-28", "2022-06-30"), ("summit in Vilnius", "2023-07-11", "2023-07-12")];
        assert_eq!(redate(text, &named), None, "one sentence's first time word read for both: the years disagree");
        let text = "Leaders will go to the summit in Madrid. They met at the summit in Vilnius.";
        let named =
            [("summit in Madrid", "2022-06-28", "2022-06-30"), ("summit in Vilnius", "2023-07-11", "2023-07-12")];
        assert_eq!(redate(text, &named), None, "to come before a summit held a year after one already past");
    }
}
