//! Recurring leaders' summits (data/summits.tsv): an event at "the NATO summit in Madrid"
//! takes the summit's date when its sentence gives none, or gives one only relative to the
//! document's date (a site-header date a year late makes "in July" the wrong July).

use entente_document::PartialDate;
use std::sync::LazyLock;

struct Summit {
    organization: String,
    venues: Vec<String>,
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
                start: PartialDate::parse_iso(f.get(2)?)?,
                end: PartialDate::parse_iso(f.get(3)?)?,
            })
        })
        .collect()
});

/// The summit of one of `organizations` held at `venue`: the only one there, or, when the
/// organisation met there more than once, the one the document's date points to (the last
/// before it for an act that happened, the next after it for a planned one).
pub fn summit_date(
    organizations: &[&str],
    venue: &str,
    doc_date: Option<PartialDate>,
    planned: bool,
) -> Option<PartialDate> {
    let venue = venue.to_lowercase();
    let held: Vec<&Summit> = SUMMITS
        .iter()
        .filter(|s| organizations.contains(&s.organization.as_str()) && s.venues.contains(&venue))
        .collect();
    match (held.as_slice(), doc_date) {
        ([one], _) => Some(one.start),
        ([], _) | (_, None) => None,
        (_, Some(doc)) => {
            let day = doc.day_range().0;
            let chosen = if planned {
                held.iter().filter(|s| s.end.day_range().1 >= day).min_by_key(|s| s.start.day_range().0)
            } else {
                held.iter().filter(|s| s.start.day_range().0 <= day).max_by_key(|s| s.start.day_range().0)
            };
            chosen.map(|s| s.start)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_venue_met_once_gives_its_date_and_one_met_often_the_nearest() {
        assert_eq!(summit_date(&["NATO"], "Madrid", None, false), PartialDate::parse_iso("2022-06-28"));
        assert_eq!(summit_date(&["JPN", "NATO"], "vilnius", None, true), PartialDate::parse_iso("2023-07-11"));
        assert_eq!(
            summit_date(&["NATO"], "Brussels", None, false),
            None,
            "three Brussels summits, no date to choose by"
        );
        let mid_2019 = PartialDate::parse_iso("2019-06-01");
        assert_eq!(summit_date(&["NATO"], "Brussels", mid_2019, false), PartialDate::parse_iso("2018-07-11"));
        assert_eq!(summit_date(&["NATO"], "Brussels", mid_2019, true), PartialDate::parse_iso("2021-06-14"));
        assert_eq!(summit_date(&["EU"], "Madrid", None, false), None);
    }
}
