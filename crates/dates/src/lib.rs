//! Dates in news: parsing what a source declares, finding the dates a text speaks of, and
//! choosing a document's date with the reason written down.
//!
//! **Invariant:** a date that is not a real calendar day ("32/13/2023") is an error, never a
//! guess; granularity (year, month, day) is kept as the source gives it.

mod choose;
mod occasion;
mod parse;
mod text;

pub use choose::{Dateline, Declared, choose_date, find_dateline};
pub use occasion::{Occasion, date_from_occasions};
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

/// A date in the name of a file that holds one document (a text or HTML file, not a WARC,
/// feed or JSON Lines file of many): `2023-07-11-nato.txt`,
/// `juancole_20030911085700_ENG_20030911_085700.txt`. Eight digits run into more digits are
/// no date ("20030911085700"); the first that stands alone is.
pub fn date_in_file_name(path: &str) -> Option<entente_document::PartialDate> {
    use std::sync::LazyLock;
    static NAME_DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?:^|[^0-9])((?:19|20)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)(?:[^0-9]|$)").expect("compiles")
    });
    let name = std::path::Path::new(path).file_name()?.to_str()?;
    let (stem, extension) = name.rsplit_once('.')?;
    if !["txt", "text", "md", "html", "htm", "xhtml"].contains(&extension.to_ascii_lowercase().as_str()) {
        return None;
    }
    NAME_DATE.captures_iter(stem).find_map(|caps| {
        entente_document::PartialDate::day(caps[1].parse().ok()?, caps[2].parse().ok()?, caps[3].parse().ok()?)
    })
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

    #[test]
    fn finds_dates_in_the_names_of_single_document_files() {
        let d = |p: &str| super::date_in_file_name(p).map(|d| d.to_string());
        assert_eq!(d("/news/2023-07-11-nato-summit.txt"), Some("2023-07-11".into()));
        assert_eq!(d("a/juancole_20030911085700_ENG_20030911_085700.txt"), Some("2003-09-11".into()));
        assert_eq!(d("page_2024.05.06.html"), Some("2024-05-06".into()));
        assert_eq!(d("crawl-20230711.warc.gz"), None, "a crawl's date is not its records'");
        assert_eq!(d("feed_20230711.jsonl"), None);
        assert_eq!(d("000_0c887c46171d4470.txt"), None);
        assert_eq!(d("report_20231340.txt"), None, "month 13 is no date");
    }
}
