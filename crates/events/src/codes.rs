//! The CAMEO code table: each code's PLOVER type, mode and context, Goldstein score and
//! description (`data/cameo.tsv`, built from the codebooks by `scripts/build_cameo_table.py`).

use entente_document::event::Plover;
use std::collections::HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("../data/cameo.tsv");

#[derive(Clone, Debug, PartialEq)]
pub struct CameoCode {
    pub code: String,
    /// One of the 20 PLOVER event types of the export contract.
    pub plover: Plover,
    pub mode: Option<String>,
    pub context: Option<String>,
    pub goldstein: f64,
    pub description: String,
}

static CODES: LazyLock<HashMap<String, CameoCode>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("code\t") && !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
            let code = CameoCode {
                code: f[0].to_string(),
                plover: f[1].parse().expect("cameo.tsv: a PLOVER type"),
                mode: opt(f[2]),
                context: opt(f[3]),
                goldstein: f[4].parse().expect("cameo.tsv: goldstein is a number"),
                description: f[6].to_string(),
            };
            (code.code.clone(), code)
        })
        .collect()
});

/// The entry for a CAMEO code; a code the table lacks falls back to its parent
/// ("0234" → "023"), as CAMEO codes refine their parents.
pub fn lookup(code: &str) -> Option<&'static CameoCode> {
    let mut c = code;
    loop {
        if let Some(entry) = CODES.get(c) {
            return Some(entry);
        }
        if c.len() <= 3 {
            return None;
        }
        c = &c[..c.len() - 1];
    }
}

/// Whether `code` names a real CAMEO event (not a PETRARCH placeholder like `---`).
pub fn is_real(code: &str) -> bool {
    code.len() >= 3 && code.bytes().all(|b| b.is_ascii_digit()) && lookup(code).is_some()
}

pub fn all() -> impl Iterator<Item = &'static CameoCode> {
    CODES.values()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_the_twenty_types_with_scores() {
        let types: std::collections::BTreeSet<Plover> = all().map(|c| c.plover).collect();
        assert_eq!(types.len(), 20, "{types:?}");
        let visit = lookup("042").unwrap();
        assert_eq!((visit.plover, visit.goldstein), (Plover::Consult, 1.9));
        assert_eq!(lookup("111").unwrap().plover, Plover::Disapprove);
        assert_eq!(lookup("1124").unwrap().plover, Plover::Accuse);
        assert_eq!(lookup("0239").unwrap().code, "023", "unknown refinement falls back to its parent");
        assert!(!is_real("---") && !is_real("999") && is_real("190"));
    }
}
