//! Dates the text speaks of: "11 July 2023", "July 11, 2023", "from 11th to 12th July 2023",
//! "May 2022", "in 2022", and day-months without a year ("on 24 May").

use crate::parse::month_number;
use entente_document::{PartialDate, Span, TextDate};
use regex::Regex;
use std::sync::LazyLock;

const MONTH: &str = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";
const DAY: &str = r"([0-3]?\d)(?:st|nd|rd|th)?";
const YEAR: &str = r"((?:1[89]|20)\d\d)";

/// Each pattern with the rule name it reports; tried in order, earlier matches win overlaps.
static PATTERNS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    // ASCII word boundaries: the patterns are digits and English month names, and a Unicode
    // `\b` would keep the fast DFA from running over non-ASCII text.
    let p = |s: String| Regex::new(&s.replace(r"\b", r"(?-u:\b)")).expect("date pattern compiles");
    vec![
        ("date:day-range-month-year", p(format!(r"\b{DAY}\s*(?:-|–|to|and)\s*{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"))),
        ("date:day-month-year", p(format!(r"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"))),
        ("date:month-day-year", p(format!(r"\b{MONTH}\s+{DAY},?\s+{YEAR}\b"))),
        ("date:iso", p(format!(r"\b{YEAR}-([01]\d)-([0-3]\d)\b"))),
        ("date:month-year", p(format!(r"\b{MONTH},?\s+(?:of\s+)?{YEAR}\b"))),
        (
            "date:year",
            p(format!(
                r"\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Ff]rom|[Tt]o|[Dd]uring|[Oo]f|[Aa]nd|[Bb]etween|[Bb]efore|[Aa]fter|[Ee]arly|[Mm]id|[Ll]ate|[Yy]ear|[Ss]ummer|[Ww]inter|[Ss]pring|[Aa]utumn|[Ff]all)(?:-|\s+)(?:the\s+year\s+)?{YEAR}\b"
            )),
        ),
    ]
});

static YEARLESS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        Regex::new(&format!(r"(?-u:\b){DAY}\s+(?:of\s+)?{MONTH}(?-u:\b)")).expect("compiles"),
        Regex::new(&format!(r"(?-u:\b){MONTH}\s+{DAY}(?-u:\b)")).expect("compiles"),
    ]
});

/// Every date with a year that the text speaks of, in text order.
pub fn find_dates(text: &str) -> Vec<TextDate> {
    let mut found: Vec<TextDate> = Vec::new();
    // Every pattern has a year, which starts with an ASCII digit: most sentences have none,
    // and six searches are skipped.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return found;
    }
    // What earlier (more specific) patterns took, sorted and not overlapping, so each match
    // is checked by a binary search: a text of thousands of dates costs n log n, not n².
    let mut taken: Vec<Span> = Vec::new();
    for (rule, re) in PATTERNS.iter() {
        let taken_before = taken.len();
        // Find with the fast DFA; take groups apart only within each (short) match.
        for whole in re.find_iter(text) {
            let span = Span::new(whole.start(), whole.end());
            let after = taken[..taken_before].partition_point(|t| t.start < span.end);
            if after > 0 && taken[after - 1].end > span.start {
                continue;
            }
            // Captures on the match alone: its ends are word boundaries already.
            let Some(caps) = re.captures(whole.as_str()) else { continue };
            let groups: Vec<&str> = caps.iter().skip(1).flatten().map(|m| m.as_str()).collect();
            for (date, span) in dates_of(rule, &groups, span, &caps, whole.start()) {
                taken.push(span);
                found.push(TextDate { span, date, rule: rule.to_string() });
            }
        }
        taken.sort_unstable_by_key(|t| t.start);
    }
    found.sort_by_key(|d| d.span.start);
    found
}

/// The dates one match denotes (two for a day range), with the span each covers.
fn dates_of(rule: &str, g: &[&str], span: Span, caps: &regex::Captures, offset: usize) -> Vec<(PartialDate, Span)> {
    let n = |s: &str| s.parse::<i64>().ok();
    let build = |y: Option<i64>, m: Option<u8>, d: Option<i64>| -> Option<PartialDate> {
        let y = i32::try_from(y?).ok()?;
        match (m, d) {
            (Some(m), Some(d)) => PartialDate::day(y, m, u8::try_from(d).ok()?),
            (Some(m), None) => PartialDate::month(y, m),
            _ => PartialDate::year(y),
        }
    };
    let dates: Vec<Option<PartialDate>> = match rule {
        "date:day-range-month-year" => {
            let (m, y) = (month_number(g[2]), n(g[3]));
            vec![build(y, m, n(g[0])), build(y, m, n(g[1]))]
        }
        "date:day-month-year" => vec![build(n(g[2]), month_number(g[1]), n(g[0]))],
        "date:month-day-year" => vec![build(n(g[2]), month_number(g[0]), n(g[1]))],
        "date:iso" => vec![build(n(g[0]), g[1].parse().ok(), n(g[2]))],
        "date:month-year" => vec![build(n(g[1]), month_number(g[0]), None)],
        _ => {
            // A lone year: the span is the year itself, not the preposition before it.
            let year = caps.get(caps.len() - 1).expect("year group");
            return build(n(year.as_str()), None, None)
                .map(|d| vec![(d, Span::new(offset + year.start(), offset + year.end()))])
                .unwrap_or_default();
        }
    };
    dates.into_iter().flatten().map(|d| (d, span)).collect()
}

/// A day and month the text names without a year ("on 24 May", "April 10").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearlessDate {
    pub span: Span,
    pub month: u8,
    pub day: u8,
}

/// Day-months without a year, outside the spans of full dates.
pub fn find_yearless(text: &str, full: &[TextDate]) -> Vec<YearlessDate> {
    let mut out: Vec<YearlessDate> = Vec::new();
    // Both patterns have a day, a (Unicode) decimal digit.
    if !text.chars().any(char::is_numeric) {
        return out;
    }
    for re in YEARLESS.iter() {
        for caps in re.captures_iter(text) {
            let whole = caps.get(0).expect("group 0");
            let span = Span::new(whole.start(), whole.end());
            if full.iter().any(|d| d.span.overlaps(span)) || out.iter().any(|d| d.span.overlaps(span)) {
                continue;
            }
            let (a, b) = (&caps[1], &caps[2]);
            let (month, day) = match (month_number(a), month_number(b)) {
                (Some(m), None) => (m, b.parse().ok()),
                (None, Some(m)) => (m, a.parse().ok()),
                _ => continue,
            };
            if let Some(day) = day.filter(|d| (1..=31).contains(d)) {
                out.push(YearlessDate { span, month, day });
            }
        }
    }
    out.sort_by_key(|d| d.span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isos(text: &str) -> Vec<String> {
        find_dates(text).iter().map(|d| d.date.to_string()).collect()
    }

    #[test]
    fn finds_full_partial_and_ranged_dates() {
        assert_eq!(isos("The summit is held from 11th to 12th July 2023 in Vilnius."), ["2023-07-11", "2023-07-12"]);
        assert_eq!(isos("He took office on May 10, 2022 and met her on 3 March 2023."), ["2022-05-10", "2023-03-03"]);
        assert_eq!(isos("Talks began in September 2021; in 2022 and 2023 they went on."), ["2021-09", "2022", "2023"]);
        assert_eq!(isos("Since 2014 the two have cooperated."), ["2014"]);
    }

    #[test]
    fn ignores_numbers_that_are_not_years_and_lowercase_may() {
        assert!(isos("The 2000 troops may 2023 leave.").is_empty());
        assert!(isos("It has 1999 members.").is_empty());
    }

    #[test]
    fn year_span_covers_only_the_year() {
        let text = "It joined in 2023.";
        let d = &find_dates(text)[0];
        assert_eq!(d.span.of(text), "2023");
    }

    #[test]
    fn finds_day_months_without_a_year() {
        let text = "Albanese will host the talks on 24 May, after April 10, and left on 11 July 2023.";
        let full = find_dates(text);
        let yl = find_yearless(text, &full);
        assert_eq!(yl.iter().map(|d| (d.month, d.day)).collect::<Vec<_>>(), [(5, 24), (4, 10)]);
    }
}
