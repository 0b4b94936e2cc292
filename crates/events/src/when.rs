//! When an event happened: explicit dates in its sentence, or relative ones ("on Tuesday",
//! "last year", "next month", "in July", "this week", "on 24 May") resolved against the
//! document's date. The tense of the event decides which way a bare weekday or month points.

use entente_dates::{find_dates, find_yearless, month_number};
use entente_document::{PartialDate, civil_from_days, days_from_civil};

/// A date for an event and the rule that found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventDate {
    pub date: PartialDate,
    pub rule: &'static str,
    /// Written out in full, year and all ("12 July 2023"), not resolved from the document's
    /// date: such a date outranks a date the coder infers from a named occasion.
    pub written: bool,
    /// Byte offset (in the sentence) of the expression, to pick the one nearest the trigger.
    pub at: usize,
}

pub(crate) const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Every date expression of a sentence, resolved. `future` says the event is planned, so bare
/// weekdays and months point forward from the document date rather than back.
pub fn sentence_dates(sentence: &str, doc_date: Option<PartialDate>, future: bool) -> Vec<EventDate> {
    let full = find_dates(sentence);
    let mut out: Vec<EventDate> = full
        .iter()
        .map(|d| EventDate { date: d.date, rule: "date:explicit", written: true, at: d.span.start })
        .collect();
    let Some(doc) = doc_date else { return out };
    for d in find_yearless(sentence, &full) {
        if let Some(date) = day_month_near(doc, d.month, d.day, future) {
            out.push(EventDate { date, rule: "date:day-month", written: false, at: d.span.start });
        }
    }
    let lower = sentence.to_ascii_lowercase();
    let words: Vec<(usize, &str)> = word_offsets(&lower);
    for (i, &(at, w)) in words.iter().enumerate() {
        let prev = if i > 0 { words[i - 1].1 } else { "" };
        let next = words.get(i + 1).map_or("", |&(_, n)| n);
        if let Some(date) = relative(doc, prev, w, next, future)
            && !out.iter().any(|e| e.at == at)
        {
            out.push(EventDate { date: date.0, rule: date.1, written: false, at });
        }
    }
    out.sort_by_key(|e| e.at);
    out
}

fn word_offsets(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, &s[st..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

fn relative(doc: PartialDate, prev: &str, w: &str, next: &str, future: bool) -> Option<(PartialDate, &'static str)> {
    match (prev, w, next) {
        (_, "yesterday", _) => Some((add_days(day_of(doc)?, -1)?, "date:yesterday")),
        (_, "today" | "tonight", _) => Some((day_of(doc)?, "date:today")),
        (_, "tomorrow", _) => Some((add_days(day_of(doc)?, 1)?, "date:tomorrow")),
        ("last" | "past", "year", _) => Some((PartialDate::year(doc.year - 1)?, "date:last-year")),
        ("this" | "current", "year", _) => Some((PartialDate::year(doc.year)?, "date:this-year")),
        ("next" | "coming", "year", _) => Some((PartialDate::year(doc.year + 1)?, "date:next-year")),
        ("last", "month", _) => Some((shift_month(doc, -1)?, "date:last-month")),
        ("this", "month", _) => Some((PartialDate::month(doc.year, doc.month?)?, "date:this-month")),
        ("next", "month", _) => Some((shift_month(doc, 1)?, "date:next-month")),
        ("last", "week", _) => Some((month_of(add_days(day_of(doc)?, -7)?)?, "date:last-week")),
        ("this", "week", _) => Some((PartialDate::month(doc.year, doc.month?)?, "date:this-week")),
        ("next", "week", _) => Some((month_of(add_days(day_of(doc)?, 7)?)?, "date:next-week")),
        (p, day, _) if WEEKDAYS.contains(&day) => {
            let forward = match p {
                "next" | "coming" => true,
                "last" | "past" => false,
                _ => future,
            };
            Some((weekday_near(day_of(doc)?, day, forward)?, "date:weekday"))
        }
        ("next" | "last" | "this" | "coming", month, next_word)
            if month_number(month).is_some() && !is_year(next_word) =>
        {
            let m = month_number(month)?;
            let dm = doc.month?;
            let year = match prev {
                "next" | "coming" if m <= dm => doc.year + 1,
                "last" if m >= dm => doc.year - 1,
                _ => doc.year,
            };
            Some((PartialDate::month(year, m)?, "date:next-last-month"))
        }
        ("in" | "since" | "until" | "by" | "early" | "late" | "mid", month, next_word)
            if month_number(month).is_some() && !is_year(next_word) =>
        {
            let m = month_number(month)?;
            let year = if future && doc.month.is_some_and(|dm| m < dm) {
                doc.year + 1
            } else if !future && doc.month.is_some_and(|dm| m > dm) {
                doc.year - 1
            } else {
                doc.year
            };
            Some((PartialDate::month(year, m)?, "date:month"))
        }
        _ => None,
    }
}

/// A day and month without a year: in the document's year, moved a year on (planned events)
/// or back (past ones) when that year would put it on the wrong side of the document date.
fn day_month_near(doc: PartialDate, month: u8, day: u8, future: bool) -> Option<PartialDate> {
    let same_year = PartialDate::day(doc.year, month, day)?;
    let (dm, dd) = (doc.month.unwrap_or(1), doc.day.unwrap_or(1));
    let year = if future && (month, day) < (dm, dd) && doc.month.is_some() {
        doc.year + 1
    } else if !future && (month, day) > (dm, dd) && doc.month.is_some() {
        doc.year - 1
    } else {
        return Some(same_year);
    };
    PartialDate::day(year, month, day)
}

/// "in July 2023" is an explicit date, found elsewhere.
fn is_year(word: &str) -> bool {
    word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit())
}

fn day_of(d: PartialDate) -> Option<PartialDate> {
    d.day.is_some().then_some(d)
}

fn month_of(d: PartialDate) -> Option<PartialDate> {
    PartialDate::month(d.year, d.month?)
}

fn shift_month(d: PartialDate, by: i32) -> Option<PartialDate> {
    let m = d.month? as i32 - 1 + by;
    PartialDate::month(d.year + m.div_euclid(12), (m.rem_euclid(12) + 1) as u8)
}

fn add_days(d: PartialDate, by: i64) -> Option<PartialDate> {
    let (y, m, dd) = civil_from_days(days_from_civil(d.year, d.month?, d.day?) + by);
    PartialDate::day(y, m, dd)
}

/// 0 = Monday.
fn weekday(d: PartialDate) -> Option<usize> {
    Some((days_from_civil(d.year, d.month?, d.day?) + 3).rem_euclid(7) as usize)
}

/// The named weekday on or before the document date (or after it, for planned events).
fn weekday_near(doc: PartialDate, name: &str, forward: bool) -> Option<PartialDate> {
    let target = WEEKDAYS.iter().position(|w| *w == name)?;
    let today = weekday(doc)?;
    let delta = if forward { ((target + 7 - today) % 7).max(1) as i64 } else { -(((today + 7 - target) % 7) as i64) };
    add_days(doc, delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Option<PartialDate> {
        PartialDate::day(2023, 7, 12) // a Wednesday
    }

    fn first(s: &str, future: bool) -> String {
        sentence_dates(s, doc(), future).first().map(|e| format!("{} {}", e.date, e.rule)).unwrap_or_default()
    }

    #[test]
    fn weekdays_point_back_for_past_events_and_forward_for_planned_ones() {
        assert_eq!(weekday(doc().unwrap()), Some(2));
        assert_eq!(first("Zhao Lijian said on Tuesday", false), "2023-07-11 date:weekday");
        assert_eq!(first("They met on Wednesday", false), "2023-07-12 date:weekday");
        assert_eq!(first("They will meet on Monday", true), "2023-07-17 date:weekday");
        assert_eq!(first("He left last Friday", false), "2023-07-07 date:weekday");
    }

    #[test]
    fn years_months_and_weeks() {
        assert_eq!(first("Albanese attended the summit in Madrid last year", false), "2022 date:last-year");
        assert_eq!(first("The office will open next year", true), "2024 date:next-year");
        assert_eq!(first("They meet again next month", true), "2023-08 date:next-month");
        assert_eq!(first("Talks were held this week", false), "2023-07 date:this-week");
        assert_eq!(first("He said so in February", false), "2023-02 date:month");
        assert_eq!(first("The summit in December will", true), "2023-12 date:month");
        assert_eq!(first("It happened in December", false), "2022-12 date:month");
        assert_eq!(first("Biden arrived yesterday", false), "2023-07-11 date:yesterday");
        assert_eq!(first("invited to the summit next July", false), "2024-07 date:next-last-month");
        assert_eq!(first("the summit last March", false), "2023-03 date:next-last-month");
    }

    #[test]
    fn explicit_and_day_month_dates() {
        assert_eq!(first("The summit on 11 July 2023 in Vilnius", false), "2023-07-11 date:explicit");
        assert_eq!(first("Albanese will host the talks on 24 May", true), "2024-05-24 date:day-month");
        assert_eq!(first("They met on 24 May", false), "2023-05-24 date:day-month");
    }

    #[test]
    fn adding_days_crosses_months() {
        assert_eq!(add_days(PartialDate::day(2024, 3, 1).unwrap(), -1).unwrap().to_string(), "2024-02-29");
    }
}
