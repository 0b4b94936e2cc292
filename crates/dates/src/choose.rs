//! Choosing a document's date: what the source declares, what it prints at the top, and what
//! its text speaks of, weighed against each other with the reason written down.

use crate::parse::{Reading, parse_date_with_reading};
use crate::text::{YearlessDate, find_yearless};
use entente_document::{DateSource, DocumentDate, PartialDate, Span, TextDate};
use regex::Regex;
use std::sync::LazyLock;

/// A date printed on its own line near the top of a text ("Friday , 12 July 2024",
/// "Updated: 4/5/2024", "Published March 3, 2024").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dateline {
    pub span: Span,
    pub date: PartialDate,
    pub reading: Reading,
    /// The second reading of an ambiguous numeric date (day first).
    pub other_reading: Option<PartialDate>,
    /// A weekday-and-date line above a "Home ..." breadcrumb: a site header showing the day
    /// the page was served, not necessarily the day the article was written.
    pub page_header: bool,
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:last\s+)?(?:published|updated|posted|date|dated|on)\s*:?\s*").expect("compiles")
});
pub(crate) static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:will|shall|is set to|are set to|is to|are to|scheduled|upcoming|next|plans? to|expected to|due to)\b",
    )
    .expect("compiles")
});
const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// How far into a text a dateline may stand.
const DATELINE_LINES: usize = 8;

/// The first line near the top that is a date and little else.
pub fn find_dateline(text: &str) -> Option<Dateline> {
    let lines = top_lines(text);
    for (n, &(start, line)) in lines.iter().enumerate() {
        if line.len() > 60 || line.split_whitespace().count() > 8 {
            continue;
        }
        let unlabelled = LABEL.replace(line, "");
        let Ok((date, reading)) = parse_date_with_reading(&unlabelled) else {
            continue;
        };
        if date.month.is_none() {
            continue;
        }
        let other_reading = (reading == Reading::AmbiguousMonthFirst).then(|| swap_day_month(date)).flatten();
        let has_weekday = WEEKDAYS.iter().any(|w| line.to_ascii_lowercase().contains(w));
        let next = lines.get(n + 1).map_or("", |&(_, l)| l);
        let breadcrumb = next.starts_with("Home ") || next.contains(" » ") || next.contains(" > ");
        return Some(Dateline {
            span: Span::new(start, start + line.len()),
            date,
            reading,
            other_reading,
            page_header: n == 0 && has_weekday && breadcrumb,
        });
    }
    None
}

fn top_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let trimmed = raw.trim();
        if !trimmed.is_empty() {
            let lead = raw.len() - raw.trim_start().len();
            out.push((offset + lead, trimmed));
            if out.len() == DATELINE_LINES {
                break;
            }
        }
        offset += raw.len();
    }
    out
}

fn swap_day_month(d: PartialDate) -> Option<PartialDate> {
    PartialDate::day(d.year, d.day?, d.month?)
}

/// A day-month the text speaks of as still to come ("will host ... on 24 May").
pub(crate) fn future_day_months(text: &str, full: &[TextDate]) -> Vec<YearlessDate> {
    find_yearless(text, full).into_iter().filter(|d| FUTURE.is_match(sentence_around(text, d.span))).collect()
}

/// The rough sentence around a span: enough context to see its tense. It looks at most
/// [`CONTEXT`] bytes either way, so a text without stops costs the same per date as any other.
fn sentence_around(text: &str, span: Span) -> &str {
    let mut from = span.start.saturating_sub(CONTEXT);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (span.end + CONTEXT).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let start = text[from..span.start].rfind(['.', '!', '?', '\n']).map_or(from, |p| from + p + 1);
    let end = text[span.end..to].find(['.', '!', '?', '\n']).map_or(to, |p| span.end + p);
    &text[start..end]
}

/// Bytes of context either side of a date: longer than nearly every sentence.
const CONTEXT: usize = 400;

/// Future day-months that fall before `date` in its own year: signs that the text was
/// written before `date`.
pub(crate) fn future_dates_before(date: PartialDate, future: &[YearlessDate]) -> Vec<String> {
    let (Some(m), Some(d)) = (date.month, date.day) else {
        return Vec::new();
    };
    future
        .iter()
        .filter(|f| (f.month, f.day) < (m, d))
        .map(|f| format!("{}-{:02}", month_name(f.month), f.day))
        .collect()
}

fn month_name(m: u8) -> &'static str {
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m as usize - 1]
}

/// What the source declares for itself, outside the text (HTML meta, a JSON field, a URL).
pub struct Declared<'a> {
    pub date: PartialDate,
    pub from: &'a str,
}

/// Chooses the document's date and writes down why.
pub fn choose_date(declared: Option<Declared>, text: &str, text_dates: &[TextDate]) -> DocumentDate {
    let dateline = find_dateline(text);
    // The period the text reports on leaves out the printed date itself.
    let reported: Vec<TextDate> =
        text_dates.iter().filter(|d| dateline.as_ref().is_none_or(|l| !l.span.overlaps(d.span))).cloned().collect();
    let text_period = period(&reported);
    let future = future_day_months(text, text_dates);
    let mut chosen = if let Some(d) = declared {
        DocumentDate {
            date: Some(d.date),
            source: DateSource::Metadata,
            printed: Some(d.date),
            text_period,
            reason: format!("declared by the source ({})", d.from),
        }
    } else if let Some(line) = &dateline {
        from_dateline(line, text, &future, text_period)
    } else {
        from_text(text, &reported, text_period)
    };
    if let Some(date) = chosen.printed {
        let early = future_dates_before(date, &future);
        if !early.is_empty() {
            chosen.reason.push_str(&format!(
                "; the text speaks of {} as still to come, before {date} in its year: it was written before the printed date, which is when the page was shown rather than the period it reports on",
                early.join(", ")
            ));
        }
    }
    chosen
}

fn from_dateline(
    line: &Dateline,
    text: &str,
    future: &[YearlessDate],
    text_period: Option<(PartialDate, PartialDate)>,
) -> DocumentDate {
    let printed = line.span.of(text);
    let mut date = line.date;
    let mut reason = format!("printed near the top of the text (\"{printed}\")");
    if let Some(day_first) = line.other_reading {
        // An ambiguous d/m/y: the reading that leaves no "upcoming" day-month in the past wins.
        let fits = |d: PartialDate| future_dates_before(d, future).is_empty();
        if !fits(date) && fits(day_first) {
            date = day_first;
            reason.push_str("; ambiguous day/month read day-first, as the text's upcoming dates require");
        } else if fits(date) && !fits(day_first) && !future.is_empty() {
            reason.push_str("; ambiguous day/month read month-first, as the text's upcoming dates require");
        } else {
            reason.push_str("; ambiguous day/month read month-first (the common form in English news)");
        }
    }
    if line.page_header {
        reason
            .push_str("; it is a site-header date (weekday above the page's breadcrumb), the day the page was served");
    }
    DocumentDate { date: Some(date), source: DateSource::Text, printed: Some(date), text_period, reason }
}

fn from_text(text: &str, text_dates: &[TextDate], text_period: Option<(PartialDate, PartialDate)>) -> DocumentDate {
    // The latest date the text speaks of outside future-tense sentences: reports are written
    // after what they report.
    let latest = text_dates
        .iter()
        .filter(|d| !FUTURE.is_match(sentence_around(text, d.span)))
        .map(|d| d.date)
        .max_by(compare_dates);
    match latest {
        Some(date) => DocumentDate {
            date: Some(date),
            source: DateSource::Text,
            printed: None,
            text_period,
            reason: format!(
                "no printed or declared date; {date} is the latest date the text reports on (not counting future-tense mentions)"
            ),
        },
        None => DocumentDate {
            date: None,
            source: DateSource::None,
            printed: None,
            text_period,
            reason: "no declared, printed or reported date with a year".to_string(),
        },
    }
}

/// Orders by calendar position, a coarser date counting as its start ("2023" < "2023-07").
pub(crate) fn compare_dates(a: &PartialDate, b: &PartialDate) -> std::cmp::Ordering {
    (a.year, a.month.unwrap_or(0), a.day.unwrap_or(0)).cmp(&(b.year, b.month.unwrap_or(0), b.day.unwrap_or(0)))
}

fn period(text_dates: &[TextDate]) -> Option<(PartialDate, PartialDate)> {
    let min = text_dates.iter().map(|d| d.date).min_by(compare_dates)?;
    let max = text_dates.iter().map(|d| d.date).max_by(compare_dates)?;
    Some((min, max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::find_dates;

    fn choose(text: &str) -> DocumentDate {
        choose_date(None, text, &find_dates(text))
    }

    #[test]
    fn site_header_date_is_kept_but_flagged_when_the_text_is_older() {
        let text = "Friday , 12 July 2024\nHome News Leaders to meet\n\nLeaders to meet\n\nThe premier will host the talks on 24 May in Sydney.";
        let d = choose(text);
        assert_eq!(d.date.unwrap().to_string(), "2024-07-12");
        assert_eq!(d.source, DateSource::Text);
        assert!(d.reason.contains("site-header"), "{}", d.reason);
        assert!(d.reason.contains("May-24 as still to come"), "{}", d.reason);
        assert_eq!(d.text_period, None, "the printed date is not a date the text reports on");
    }

    #[test]
    fn ambiguous_dateline_is_resolved_by_upcoming_dates() {
        let text = "Jane Doe\n4/5/2024\n\nThe upcoming summit on April 10 in Washington will seal it.";
        assert_eq!(choose(text).date.unwrap().to_string(), "2024-04-05");
        let text = "Jane Doe\n5/4/2024\n\nThe upcoming summit on April 10 in Washington will seal it.";
        let d = choose(text);
        assert_eq!(d.date.unwrap().to_string(), "2024-04-05", "{}", d.reason);
        assert!(d.reason.contains("day-first"));
    }

    #[test]
    fn without_a_printed_date_the_latest_reported_date_is_used() {
        let text = "Talks began in 2022. They met again in March 2023. A deal will follow in 2030.";
        let d = choose(text);
        assert_eq!(d.date.unwrap().to_string(), "2023-03");
        assert_eq!(d.source, DateSource::Text);
        assert_eq!(d.text_period.unwrap().1.to_string(), "2030");
    }

    #[test]
    fn declared_date_wins_and_no_date_is_none() {
        let d = choose_date(
            Some(Declared { date: PartialDate::day(2023, 7, 11).unwrap(), from: "meta:article:published_time" }),
            "Text without dates.",
            &[],
        );
        assert_eq!(d.source, DateSource::Metadata);
        let d = choose("Leaders met on Tuesday.");
        assert_eq!((d.date, d.source), (None, DateSource::None));
    }
}
