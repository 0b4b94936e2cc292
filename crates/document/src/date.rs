//! Calendar dates with the granularity the source gives ("2023", "2023-07", "2023-07-11").

use serde::{Deserialize, Serialize};
use std::fmt;

/// A date known to the year, the month or the day. Always a real calendar date: the
/// constructor rejects "32/13/2023" rather than storing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn year(year: i32) -> Option<Self> {
        (1..=9999).contains(&year).then_some(PartialDate { year, month: None, day: None })
    }

    pub fn month(year: i32, month: u8) -> Option<Self> {
        let y = Self::year(year)?;
        (1..=12).contains(&month).then_some(PartialDate { month: Some(month), ..y })
    }

    pub fn day(year: i32, month: u8, day: u8) -> Option<Self> {
        let m = Self::month(year, month)?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(PartialDate { day: Some(day), ..m })
    }

    /// Parses `yyyy`, `yyyy-mm` or `yyyy-mm-dd` (the export's own forms).
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut parts = s.split('-');
        let year = parts.next()?.parse().ok()?;
        match (parts.next(), parts.next(), parts.next()) {
            (None, _, _) => Self::year(year),
            (Some(m), None, _) => Self::month(year, m.parse().ok()?),
            (Some(m), Some(d), None) => Self::day(year, m.parse().ok()?, d.parse().ok()?),
            _ => None,
        }
    }

    /// The first and last day the date covers, as days since 1970-01-01: "2023" covers the
    /// whole year, "2023-07" the month. Lets dates of different granularity be compared.
    pub fn day_range(&self) -> (i64, i64) {
        let first_month = self.month.unwrap_or(1);
        let last_month = self.month.unwrap_or(12);
        let first = days_from_civil(self.year, first_month, self.day.unwrap_or(1));
        let last = days_from_civil(self.year, last_month, self.day.unwrap_or(days_in_month(self.year, last_month)));
        (first, last)
    }

    pub fn granularity(&self) -> &'static str {
        match (self.month, self.day) {
            (Some(_), Some(_)) => "day",
            (Some(_), None) => "month",
            _ => "year",
        }
    }
}

impl fmt::Display for PartialDate {
    /// ISO form at the date's own granularity: `2023`, `2023-07`, `2023-07-11`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01: the inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((yoe + era * 400) as i32 + i32::from(month <= 2), month, day)
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Where a document's date came from, as the export contract names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// What the source declares: HTML meta, JSON-LD, a JSONL field, the URL, a dateline.
    Metadata,
    /// Inferred from the dates the text speaks of.
    Text,
    #[default]
    None,
}

impl DateSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::Text => "text",
            DateSource::None => "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_dates() {
        assert!(PartialDate::day(2023, 13, 32).is_none());
        assert!(PartialDate::day(2023, 2, 29).is_none());
        assert!(PartialDate::day(2024, 2, 29).is_some());
        assert!(PartialDate::parse_iso("2023-13").is_none());
    }

    #[test]
    fn day_ranges_cover_the_granularity() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2, "2000 was a leap year");
        let (first, last) = PartialDate::parse_iso("2024").unwrap().day_range();
        assert_eq!(last - first, 365);
        let (first, last) = PartialDate::parse_iso("2023-02").unwrap().day_range();
        assert_eq!((first, last - first), (days_from_civil(2023, 2, 1), 27));
        let day = PartialDate::parse_iso("2023-07-11").unwrap().day_range();
        assert_eq!(day.0, day.1);
    }

    #[test]
    fn calendar_arithmetic_round_trips() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2024, 12, 31), (1900, 3, 1), (1969, 12, 31), (-44, 3, 15)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn iso_round_trip_keeps_granularity() {
        for s in ["2023", "2023-07", "2023-07-11"] {
            assert_eq!(PartialDate::parse_iso(s).unwrap().to_string(), s);
        }
    }
}
