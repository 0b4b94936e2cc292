//! Whole-file readers: plain text and HTML pages, one article per file.

use crate::{InputFile, SourceDoc, SourceError, decode, decode_error, file_stem};

/// The longest line taken as a headline.
const MAX_TITLE: usize = 200;
/// How many lines from the top a headline may stand at (after datelines and breadcrumbs).
const TITLE_LINES: usize = 4;

pub(crate) fn text_doc(bytes: &[u8], file: &InputFile) -> Result<SourceDoc, SourceError> {
    let path = file.path.display().to_string();
    let decoded = decode(bytes, None).map_err(|p| decode_error(p, path.clone()))?;
    let text = normalise_newlines(&decoded.text);
    Ok(SourceDoc {
        id_hint: file_stem(&file.path),
        title: headline(&text).or_else(|| opening_sentence(&text)),
        source_path: path,
        notes: decoded.note.into_iter().collect(),
        text,
        ..Default::default()
    })
}

/// `\r\n` and lone `\r` become `\n`, so offsets mean the same on every platform.
pub(crate) fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The headline of a plain-text article: the first short standalone line near the top that
/// is not a date or a breadcrumb.
pub(crate) fn headline(text: &str) -> Option<String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    for line in lines.by_ref().take(TITLE_LINES) {
        if entente_dates::find_dateline(line).is_some() || line.starts_with("Home ") {
            continue;
        }
        return (line.len() <= MAX_TITLE && line.chars().any(char::is_alphabetic)).then(|| line.to_string());
    }
    None
}

/// A title for a text without a headline: its opening sentence, cut at a word near 150
/// characters when longer.
pub(crate) fn opening_sentence(text: &str) -> Option<String> {
    let first = text.lines().map(str::trim).find(|l| l.chars().any(char::is_alphabetic))?;
    let sentence = match first.find(". ") {
        Some(end) => &first[..end + 1],
        None => first,
    };
    if sentence.chars().count() <= 160 {
        return Some(sentence.to_string());
    }
    let cut: String = sentence.chars().take(150).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    Some(format!("{cut}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_skips_datelines_and_breadcrumbs() {
        assert_eq!(
            headline("Friday , 12 July 2024\nHome News Title here.\n\nNATO plans an office\n\nBody."),
            Some("NATO plans an office".into())
        );
        assert_eq!(
            headline("\n\nAsia-Pacific countries and NATO\n\n\nFor the first time..."),
            Some("Asia-Pacific countries and NATO".into())
        );
        let long = "x ".repeat(150);
        assert_eq!(headline(&long), None);
        assert_eq!(
            opening_sentence("The summit opened in Vilnius. Leaders arrived.").as_deref(),
            Some("The summit opened in Vilnius.")
        );
        let title = opening_sentence(&format!("{} end.", "word ".repeat(60))).unwrap();
        assert!(title.ends_with('…') && title.chars().count() <= 151, "{title}");
    }
}
