//! Hostile text through the whole analysis (tokens, dates, actors, events), as ingest runs it:
//! no panic on any character, and time that grows with the text's length, not its square.
//! Regressions of the fuzz campaign of issue 16; the fuzzer (`entente-fuzz`) finds new ones.

use entente_ingest::{Analyser, build_document};
use entente_sources::SourceDoc;

fn analyse(text: &str) -> (usize, usize) {
    thread_local! {
        // Building the analyser (the knowledge base's automaton) costs far more than a sentence.
        static ANALYSER: std::cell::RefCell<Analyser> = std::cell::RefCell::new(Analyser::new(Vec::new()));
    }
    let source =
        SourceDoc { id_hint: "t".into(), source_path: "t.txt".into(), text: text.into(), ..Default::default() };
    let (doc, _) = build_document(source, String::new());
    doc.check_spans().expect("spans on character boundaries");
    let analysis = ANALYSER.with(|a| a.borrow_mut().analyse(&doc, "t"));
    (analysis.mentions.len(), analysis.events)
}

/// Sentences of the shapes the rules look at: names after titles and given names, lists of
/// states, groupings defined by the text, references, dates.
const SENTENCES: &[&str] = &[
    "Officials said that Anthony Albanese met Xi Jinping in Beijing.",
    "Leaders met — of Japan, South Korea and China.",
    "Japanese Prime Minister Fumio Kishida and U.S. President Joe Biden held talks on Tuesday.",
    "The Quad of the US, Japan, India and Australia, known as the Quad, met in Tokyo.",
    "A trilateral among the United States, Japan and South Korea was agreed at Camp David in August 2023.",
    "NATO invited Japan, Australia, New Zealand and South Korea to the Vilnius summit; the alliance said the two leaders would meet.",
    "Russia's Putin criticised Hunter Biden and Jonathan P. Blair, the AP4's envoy.",
    "China (PRC) condemned the \"Asia-Pacific partners\" – Japan, South Korea – on 11 July.",
];

/// Characters that are not one byte wide, put where the rules expect a space or a dash: the
/// cause of both panics found (a byte index inside a no-break space or an em dash).
const WIDE: &[&str] = &[
    "\u{a0}", "\u{2009}", "\u{202f}", "\u{3000}", "\u{2028}", "\u{2014}", "\u{2013}", "\u{2019}", "é", "日", "🇯🇵",
    "\u{301}",
];

#[test]
fn a_wide_character_in_place_of_any_space_or_punctuation_panics_nowhere() {
    let mut runs = 0;
    for sentence in SENTENCES {
        let places: Vec<usize> = sentence
            .char_indices()
            .filter(|(_, c)| c.is_whitespace() || c.is_ascii_punctuation())
            .map(|(i, _)| i)
            .collect();
        for wide in WIDE {
            for &at in &places {
                let width = sentence[at..].chars().next().map_or(1, char::len_utf8);
                // The character replaced, and put before it.
                analyse(&format!("{}{wide}{}", &sentence[..at], &sentence[at + width..]));
                analyse(&format!("{}{wide}{}", &sentence[..at], &sentence[at..]));
                runs += 2;
            }
        }
    }
    assert!(runs > 1000, "{runs} variants analysed");
}

#[test]
fn the_two_reported_panics_are_coded() {
    // actors/src/leaders.rs: a no-break space before "Given Surname".
    let (mentions, _) = analyse("Officials said that\u{a0}Anthony Albanese met Xi Jinping in Beijing.");
    assert!(mentions >= 2, "Albanese and Xi are found: {mentions}");
    // actors/src/groupings.rs: an em dash before a list of states.
    let (mentions, _) = analyse("Leaders met\u{2014} of Japan, South Korea and China.");
    assert_eq!(mentions, 3);
}

/// A text far longer than any article (about 2 MB: 20,000 sentences naming hundreds of
/// actors) is read in windows, so every mention and event of it is still found; quadratic
/// steps made this take minutes (8 MB: 44 s in a release build), now it is linear.
#[test]
fn a_very_long_text_is_analysed_whole() {
    let paragraph = SENTENCES.join(" ");
    let one = analyse(&paragraph);
    let times = (2 << 20) / paragraph.len();
    let long = vec![paragraph.as_str(); times].join("\n\n");
    let all = analyse(&long);
    assert!(all.0 >= one.0 * times * 9 / 10, "mentions {} vs {} x {times}", all.0, one.0);
    assert!(all.1 >= one.1 * times * 9 / 10, "events {} vs {} x {times}", all.1, one.1);
}

/// Dates with no sentence stop anywhere: the context looked at around each day-month was the
/// whole text either side (a 4 MB input ran for minutes); now it is a few hundred bytes.
#[test]
fn many_dates_without_a_stop_are_read_in_linear_time() {
    let text = "talks will resume on 24 May in 2023 ".repeat(40_000);
    let (_, _) = analyse(&text);
    let source = SourceDoc { id_hint: "t".into(), source_path: "t.txt".into(), text, ..Default::default() };
    let (doc, _) = build_document(source, String::new());
    assert!(doc.text_dates.len() >= 40_000, "{} dates", doc.text_dates.len());
}
