//! Parsing one date string as sources declare it: ISO 8601, RFC 2822, "July 11, 2023",
//! "Friday , 12 July 2024", "11th July 2023", "4/5/2024".

use entente_document::PartialDate;
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum DateError {
    #[error("empty date")]
    Empty,
    #[error("\"{0}\" is not a date in any form Entente reads")]
    Unrecognised(String),
    #[error("\"{0}\" is not a real calendar date")]
    Impossible(String),
}

/// How a numeric date like 4/5/2024 was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Only one reading is possible (or the form is not ambiguous).
    Certain,
    /// Day and month could be swapped; month-first (US) was taken.
    AmbiguousMonthFirst,
}

const MONTHS: [(&str, u8); 12] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

/// Whether a lower-case word is a month's full name ("june", not "jun").
pub fn is_month_name(word: &str) -> bool {
    MONTHS.iter().any(|(name, _)| *name == word)
}

/// The month a word names ("July", "Jul", "Sept."), case-insensitive.
pub fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS.iter().find(|(name, _)| *name == w || (w.len() == 3 && name.starts_with(&w))).map(|&(_, n)| n)
}

/// Parses a declared date. Times and time zones are dropped: Entente dates facts by day.
pub fn parse_date(raw: &str) -> Result<PartialDate, DateError> {
    parse_date_with_reading(raw).map(|(d, _)| d)
}

pub fn parse_date_with_reading(raw: &str) -> Result<(PartialDate, Reading), DateError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    if let Some(result) = parse_iso_like(s) {
        return result.map(|d| (d, Reading::Certain));
    }
    if let Some(result) = parse_numeric(s) {
        return result;
    }
    parse_words(s).map(|d| (d, Reading::Certain))
}

fn impossible(s: &str) -> DateError {
    DateError::Impossible(s.to_string())
}

/// `2024-07-12`, `2024-07-12T10:00:00Z`, `2024-07`, `2024`, `2024/07/12`, `20240712`.
fn parse_iso_like(s: &str) -> Option<Result<PartialDate, DateError>> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| s[r].parse::<i64>().ok();
    if digits(0..8) && (b.len() == 8 || !b[8].is_ascii_digit()) {
        let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
        return Some(day(y, m, d).ok_or_else(|| impossible(s)));
    }
    if !digits(0..4) || b.get(4).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let y = num(0..4)?;
    match b.get(4) {
        None => return Some(PartialDate::year(y as i32).ok_or_else(|| impossible(s))),
        Some(b'-' | b'/' | b'.') => {}
        _ => return None,
    }
    let sep = b[4];
    let month_len = (5..b.len()).take_while(|&i| b[i].is_ascii_digit()).count();
    if !(1..=2).contains(&month_len) {
        return None;
    }
    let m = num(5..5 + month_len)?;
    let after_month = 5 + month_len;
    if b.get(after_month) != Some(&sep) {
        let rest_is_time = b.get(after_month).is_none();
        return rest_is_time.then(|| month(y, m).ok_or_else(|| impossible(s)));
    }
    let day_len = (after_month + 1..b.len()).take_while(|&i| b[i].is_ascii_digit()).count();
    if !(1..=2).contains(&day_len) {
        return Some(Err(DateError::Unrecognised(s.to_string())));
    }
    let d = num(after_month + 1..after_month + 1 + day_len)?;
    Some(day(y, m, d).ok_or_else(|| impossible(s)))
}

/// `4/5/2024`, `32/13/2023`, `11.07.2023`, `11-07-2023`: day and month first, year last.
fn parse_numeric(s: &str) -> Option<Result<(PartialDate, Reading), DateError>> {
    let head = s.split_whitespace().next()?;
    let parts: Vec<&str> = head.split(['/', '.', '-']).collect();
    if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (a, b, y) = (parts[0].parse::<i64>().ok()?, parts[1].parse::<i64>().ok()?, parts[2].parse::<i64>().ok()?);
    if parts[2].len() != 4 {
        return Some(Err(DateError::Unrecognised(s.to_string())));
    }
    let month_first = day(y, a, b);
    let day_first = day(y, b, a);
    Some(match (month_first, day_first) {
        (Some(mf), Some(df)) if mf != df => Ok((mf, Reading::AmbiguousMonthFirst)),
        (Some(mf), _) => Ok((mf, Reading::Certain)),
        (None, Some(df)) => Ok((df, Reading::Certain)),
        (None, None) => Err(impossible(s)),
    })
}

/// Dates in words: "July 11, 2023", "Fri, 12 Jul 2024 10:00:00 +0000", "11th July 2023",
/// "Friday , 12 July 2024", "July 2023".
fn parse_words(s: &str) -> Result<PartialDate, DateError> {
    let mut month_no = None;
    let mut day_no = None;
    let mut year_no = None;
    for word in s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()) {
        if word.contains(':') {
            continue; // a time of day
        }
        if let Some(m) = month_number(word) {
            month_no.get_or_insert(m);
            continue;
        }
        let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
        let suffix = &word[digits.len()..];
        if digits.is_empty() || !matches!(suffix, "" | "st" | "nd" | "rd" | "th" | ".") {
            continue;
        }
        match digits.len() {
            4 if year_no.is_none() => year_no = digits.parse::<i64>().ok(),
            1 | 2 if day_no.is_none() => day_no = digits.parse::<i64>().ok(),
            _ => {}
        }
    }
    let unrecognised = || DateError::Unrecognised(s.to_string());
    let y = year_no.ok_or_else(unrecognised)?;
    match (month_no, day_no) {
        (Some(m), Some(d)) => day(y, m as i64, d).ok_or_else(|| impossible(s)),
        (Some(m), None) => month(y, m as i64).ok_or_else(|| impossible(s)),
        _ => Err(unrecognised()),
    }
}

fn day(y: i64, m: i64, d: i64) -> Option<PartialDate> {
    PartialDate::day(i32::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
}

fn month(y: i64, m: i64) -> Option<PartialDate> {
    PartialDate::month(i32::try_from(y).ok()?, u8::try_from(m).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse_date(s).unwrap().to_string()
    }

    #[test]
    fn reads_declared_forms() {
        assert_eq!(iso("2024-07-12T10:00:00+02:00"), "2024-07-12");
        assert_eq!(iso("2024-07"), "2024-07");
        assert_eq!(iso("2024"), "2024");
        assert_eq!(iso("20230711"), "2023-07-11");
        assert_eq!(iso("Fri, 12 Jul 2024 10:00:00 +0000"), "2024-07-12");
        assert_eq!(iso("Friday , 12 July 2024"), "2024-07-12");
        assert_eq!(iso("July 11, 2023"), "2023-07-11");
        assert_eq!(iso("11th July 2023"), "2023-07-11");
        assert_eq!(iso("Sept. 2021"), "2021-09");
        assert_eq!(iso("25/12/2023"), "2023-12-25");
    }

    #[test]
    fn ambiguous_numeric_dates_are_read_month_first_and_say_so() {
        let (d, reading) = parse_date_with_reading("4/5/2024").unwrap();
        assert_eq!(d.to_string(), "2024-04-05");
        assert_eq!(reading, Reading::AmbiguousMonthFirst);
        assert_eq!(parse_date_with_reading("5/5/2024").unwrap().1, Reading::Certain);
    }

    #[test]
    fn garbage_dates_are_errors_not_guesses() {
        assert!(matches!(parse_date("32/13/2023"), Err(DateError::Impossible(_))));
        assert!(matches!(parse_date("2023-02-30"), Err(DateError::Impossible(_))));
        assert!(matches!(parse_date("yesterday-ish"), Err(DateError::Unrecognised(_))));
        assert!(matches!(parse_date("  "), Err(DateError::Empty)));
        assert!(matches!(parse_date("May"), Err(DateError::Unrecognised(_))));
    }
}
