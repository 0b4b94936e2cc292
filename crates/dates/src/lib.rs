//! Dates in news: parsing what a source declares, finding the dates a text speaks of, and
//! choosing a document's date with the reason written down.
//!
//! **Invariant:** a date that is not a real calendar day ("32/13/2023") is an error, never a
//! guess; granularity (year, month, day) is kept as the source gives it.

mod choose;
mod parse;
mod text;

pub use choose::{Dateline, Declared, choose_date, find_dateline};
pub use parse::{DateError, Reading, is_month_name, month_number, parse_date, parse_date_with_reading};
pub use text::{YearlessDate, find_dates, find_yearless};

/// A date in a URL path: `/2023/07/11/`, `/2023-07-11/`, `/20230711/`.
pub fn date_in_url(url: &str) -> Option<entente_document::PartialDate> {
    use std::sync::LazyLock;
    static URL_DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?:/|-|_|\.|$)").expect("compiles")
    });
    let caps = URL_DATE.captures(url)?;
    entente_document::PartialDate::day(caps[1].parse().ok()?, caps[2].parse().ok()?, caps[3].parse().ok()?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_dates_in_urls() {
        let d = |u: &str| super::date_in_url(u).map(|d| d.to_string());
        assert_eq!(d("https://x.com/world/2023/07/11/nato-summit"), Some("2023-07-11".into()));
        assert_eq!(d("https://x.com/2024-04-05-kishida.html"), Some("2024-04-05".into()));
        assert_eq!(d("https://x.com/news/12345678"), None);
    }
}
