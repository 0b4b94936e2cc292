//! Recurring leaders' summits (data/summits.tsv): an event at "the NATO summit in Madrid"
//! takes the summit's date when its sentence gives none, or gives one only relative to the
//! document's date (a site-header date a year late makes "in July" the wrong July).

use entente_document::PartialDate;
use std::sync::LazyLock;

struct Summit {
    organization: String,
    venues: Vec<String>,
    /// ISO 3166-1 alpha-3 of the host.
    country: String,
    start: PartialDate,
    end: PartialDate,
}

static SUMMITS: LazyLock<Vec<Summit>> = LazyLock::new(|| {
    include_str!("../data/summits.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some(Summit {
                organization: f.first()?.to_string(),
                venues: f.get(1)?.split('|').map(str::to_lowercase).collect(),
                country: f.get(2)?.to_string(),
                start: PartialDate::parse_iso(f.get(3)?)?,
                end: PartialDate::parse_iso(f.get(4)?)?,
            })
        })
        .collect()
});

/// The summit of one of `organizations` held at `venue`: the only one there, or, when the
/// organisation met there more than once, the one the document's date points to (the last
/// before it for an act that happened, the next after it for a planned one). A venue that is
/// no summit's city is looked up by its country (`country`, when known): "the July NATO
/// summit in the United States".
pub fn summit_date(
    organizations: &[&str],
    venue: &str,
    country: Option<&str>,
    doc_date: Option<PartialDate>,
    planned: bool,
) -> Option<PartialDate> {
    summit_at(organizations, venue, country, doc_date, planned).map(|(date, _)| date)
}

/// Like [`summit_date`], with the summit's city as its records name it ("Washington").
pub fn summit_at(
    organizations: &[&str],
    venue: &str,
    country: Option<&str>,
    doc_date: Option<PartialDate>,
    planned: bool,
) -> Option<(PartialDate, String)> {
    let venue = venue.to_lowercase();
    let of_them = |s: &&Summit| organizations.contains(&s.organization.as_str());
    let mut held: Vec<&Summit> = SUMMITS.iter().filter(of_them).filter(|s| s.venues.contains(&venue)).collect();
    if held.is_empty()
        && let Some(country) = country
    {
        held = SUMMITS.iter().filter(of_them).filter(|s| s.country == country).collect();
    }
    let city = |s: &Summit| s.venues[0].split(' ').map(title_case).collect::<Vec<_>>().join(" ");
    match (held.as_slice(), doc_date) {
        ([one], _) => Some((one.start, city(one))),
        ([], _) | (_, None) => None,
        (_, Some(doc)) => {
            let day = doc.day_range().0;
            let chosen = if planned {
                held.iter().filter(|s| s.end.day_range().1 >= day).min_by_key(|s| s.start.day_range().0)
            } else {
                held.iter().filter(|s| s.start.day_range().0 <= day).max_by_key(|s| s.start.day_range().0)
            };
            chosen.map(|s| (s.start, city(s)))
        }
    }
}

/// The summits a document names in one sentence with their organisation and city ("the
/// Nato summit in Madrid", "Vilnius ... the NATO summit"), for placing the text in time
/// (`entente_dates::date_from_occasions`). An organisation is recognised by its id as a word
/// ("NATO", "G7" or "G-7", "Quad"); a city where it met more than once names no one summit.
pub fn occasions_in(doc: &entente_document::Document) -> Vec<entente_dates::Occasion> {
    let mut out = Vec::new();
    for sentence in &doc.sentences {
        let text = sentence.span.of(&doc.text).to_lowercase().replace("g-7", "g7").replace("g-20", "g20");
        if !has_word(&text, "summit") && !has_word(&text, "summits") {
            continue;
        }
        let mut named: Vec<&Summit> = Vec::new();
        for summit in SUMMITS.iter() {
            let here = has_word(&text, &summit.organization.to_lowercase())
                && summit.venues.iter().any(|v| has_word(&text, v));
            if here {
                named.push(summit);
            }
        }
        for summit in &named {
            let same_city =
                named.iter().filter(|o| o.organization == summit.organization && o.venues == summit.venues).count();
            if same_city > 1 {
                continue;
            }
            let city = summit.venues[0].split(' ').map(title_case).collect::<Vec<_>>().join(" ");
            out.push(entente_dates::Occasion {
                sentence: sentence.span,
                name: format!("the {} summit in {city}", summit.organization),
                start: summit.start,
                end: summit.end,
            });
        }
    }
    out
}

/// Whether `word` (lower-case) stands in `text` (lower-case) with no letter or digit on
/// either side.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summits_named_with_their_organisation_and_city_are_occasions() {
        let text = "Albanese attended the Nato summit in Madrid last year. Kishida will host the G-7 summit in Hiroshima this month. Leaders met in Brussels at a NATO summit. Madrid hosted a trade fair.";
        let mut doc = entente_document::Document::new("t", text, Default::default());
        doc.sentences = text
            .split_inclusive(". ")
            .scan(0, |at, s| {
                let span = entente_document::Span::new(*at, *at + s.trim_end().len());
                *at += s.len();
                Some(entente_document::Sentence { span, first_token: 0, token_count: 0 })
            })
            .collect();
        let found: Vec<String> = occasions_in(&doc).iter().map(|o| format!("{} {}", o.name, o.start)).collect();
        assert_eq!(found, ["the NATO summit in Madrid 2022-06-28", "the G7 summit in Hiroshima 2023-05-19"]);
    }

    #[test]
    fn a_venue_met_once_gives_its_date_and_one_met_often_the_nearest() {
        assert_eq!(summit_date(&["NATO"], "Madrid", None, None, false), PartialDate::parse_iso("2022-06-28"));
        assert_eq!(summit_date(&["JPN", "NATO"], "vilnius", None, None, true), PartialDate::parse_iso("2023-07-11"));
        assert_eq!(summit_date(&["NATO"], "Brussels", None, None, false), None, "three Brussels summits, no date");
        let mid_2019 = PartialDate::parse_iso("2019-06-01");
        assert_eq!(summit_date(&["NATO"], "Brussels", None, mid_2019, false), PartialDate::parse_iso("2018-07-11"));
        assert_eq!(summit_date(&["NATO"], "Brussels", None, mid_2019, true), PartialDate::parse_iso("2021-06-14"));
        assert_eq!(summit_date(&["EU"], "Madrid", None, None, false), None);
        let april_2024 = PartialDate::parse_iso("2024-04-05");
        assert_eq!(
            summit_date(&["NATO"], "United States", Some("USA"), april_2024, true),
            PartialDate::parse_iso("2024-07-09"),
            "by country: Chicago 2012 is past, Washington 2024 to come"
        );
        let at = summit_at(&["NATO"], "United States", Some("USA"), april_2024, true).map(|(_, city)| city);
        assert_eq!(at.as_deref(), Some("Washington"));
    }
}
