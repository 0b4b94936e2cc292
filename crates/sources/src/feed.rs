//! RSS and Atom feeds: one document per item, with the full content where the feed carries it
//! (`content:encoded`, Atom `content`), else its summary; the item's link, title, date and
//! author as metadata.

use crate::plain::normalise_newlines;
use crate::{DeclaredDate, InputFile, SourceDoc, SourceError, file_stem};

pub(crate) fn feed_docs(bytes: &[u8], file: &InputFile) -> Vec<Result<SourceDoc, SourceError>> {
    let path = file.path.display().to_string();
    let feed = match parse_feed(bytes) {
        Ok(feed) => feed,
        Err(problem) => return vec![Err(SourceError::BadRecord { path, line: 0, problem }.whole_file())],
    };
    feed.entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let item = format!("{path}#item{}", i + 1);
            let html = entry
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()));
            let Some(html) = html.filter(|h| !h.trim().is_empty()) else {
                return Err(SourceError::BadRecord {
                    path: path.clone(),
                    line: i + 1,
                    problem: "feed item without content or summary".into(),
                });
            };
            // Feed content is HTML more often than not; plain text passes through unchanged.
            let text = if html.contains('<') {
                entente_extract::extract(&format!("<html><body>{html}</body></html>"), None).text
            } else {
                html
            };
            let text = normalise_newlines(text.trim());
            if text.is_empty() {
                return Err(SourceError::BadRecord {
                    path: path.clone(),
                    line: i + 1,
                    problem: "feed item whose content has no text".into(),
                });
            }
            let title = entry.title.map(|t| t.content.trim().to_string()).filter(|t| !t.is_empty());
            let text = match &title {
                Some(t) if !text.starts_with(t.as_str()) => format!("{t}\n\n{text}"),
                _ => text,
            };
            let date = entry.published.or(entry.updated).map(|d| DeclaredDate {
                raw: d.to_rfc3339(),
                from: if entry.published.is_some() { "feed:published".into() } else { "feed:updated".into() },
            });
            Ok(SourceDoc {
                id: None,
                id_hint: file_stem(&file.path),
                source_path: item,
                text,
                title,
                url: entry.links.first().map(|l| l.href.clone()),
                author: entry.authors.first().and_then(|a| a.name.clone()).filter(|a| !a.is_empty()),
                language: None,
                declared_date: date,
                notes: Vec::new(),
            })
        })
        .collect()
}

impl SourceError {
    /// A record-level error about the file as a whole: drop the meaningless line 0.
    fn whole_file(self) -> SourceError {
        match self {
            SourceError::BadRecord { path, line: 0, problem } => SourceError::NotAFeed { path, problem },
            other => other,
        }
    }
}

/// Parses an RSS or Atom feed, or says why it is not one. A fault in the parser (quick-xml,
/// under feed-rs, has panicked on input nobody foresaw) is this feed's error, not the
/// caller's end.
pub fn parse_feed(bytes: &[u8]) -> Result<feed_rs::model::Feed, String> {
    // No depth guard of our own is needed here: feed-rs walks the XML with a depth counter, not
    // recursion (30 000 nested elements parse in 15 ms), and quick-xml refuses nesting past
    // 65 535 as a parse error. Items' HTML goes to the extractor, which bounds its own depth.
    if let Some(at) = late_xml_declaration(bytes) {
        return Err(format!("an XML declaration at byte {at}, where only the first may stand: not well-formed XML"));
    }
    match std::panic::catch_unwind(|| feed_rs::parser::parse(bytes)) {
        Ok(Ok(feed)) => Ok(feed),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the feed parser failed on this file (a fault in feed-rs or quick-xml)".to_string()),
    }
}

/// Where an XML declaration (`<?xml ...?>`) stands anywhere but at the very start (after a
/// byte-order mark and white space). XML allows one, first; quick-xml panics on a second
/// one that names an encoding. (`<?xml-stylesheet ...?>` is another instruction, allowed.)
fn late_xml_declaration(bytes: &[u8]) -> Option<usize> {
    let start = bytes.strip_prefix(b"\xef\xbb\xbf").map_or(0, |_| 3);
    let start = start + bytes[start..].iter().take_while(|b| b.is_ascii_whitespace()).count();
    memchr::memmem::find_iter(&bytes[start..], b"<?xml")
        .filter(|&i| bytes.get(start + i + 5).is_some_and(u8::is_ascii_whitespace))
        .find(|&i| i > 0)
        .map(|i| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;
    use std::path::PathBuf;

    fn file() -> InputFile {
        InputFile { path: PathBuf::from("news/world.rss"), format: Format::Feed, gzip: false }
    }

    #[test]
    fn rss_items_with_full_content_and_metadata() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>World</title>
<item><title>Leaders meet</title><link>https://example.org/a</link><pubDate>Tue, 11 Jul 2023 10:00:00 GMT</pubDate>
<description>Short teaser.</description><content:encoded><![CDATA[<p>The leaders of Japan and NATO met in Vilnius on Tuesday.</p><p>They agreed to deepen cooperation.</p>]]></content:encoded></item>
<item><title>Second</title><description>Only a summary about Korea.</description></item>
<item><title>Empty</title></item></channel></rss>"#;
        let docs = feed_docs(rss.as_bytes(), &file());
        let first = docs[0].as_ref().unwrap();
        assert_eq!(first.title.as_deref(), Some("Leaders meet"));
        assert!(
            first.text.starts_with("Leaders meet\n\nThe leaders of Japan and NATO met in Vilnius"),
            "{}",
            first.text
        );
        assert!(first.text.contains("They agreed") && !first.text.contains("teaser"));
        assert_eq!(first.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(first.declared_date.as_ref().unwrap().from, "feed:published");
        assert_eq!(first.source_path, "news/world.rss#item1");
        assert!(docs[1].as_ref().unwrap().text.contains("Only a summary about Korea."));
        assert!(docs[2].as_ref().unwrap_err().to_string().contains("news/world.rss:3: feed item without content"));
    }

    #[test]
    fn atom_entries_and_non_feeds() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>Pact signed</title><id>x</id>
<updated>2024-03-07T10:00:00Z</updated><content type="html">&lt;p&gt;Sweden joined NATO.&lt;/p&gt;</content></entry></feed>"#;
        let docs = feed_docs(atom.as_bytes(), &file());
        assert!(docs[0].as_ref().unwrap().text.contains("Sweden joined NATO."));
        let bad = feed_docs(b"this is not xml at all", &file());
        assert!(bad[0].as_ref().unwrap_err().to_string().starts_with("news/world.rss: not an RSS or Atom feed"));
    }

    #[test]
    fn a_second_xml_declaration_is_refused_and_a_stylesheet_is_not() {
        let feed = |prefix: &str, inner: &str| {
            format!(
                "{prefix}<rss version=\"2.0\"><channel><title>N{inner}</title><item><title>T</title><description>Japan met NATO.</description></item></channel></rss>"
            )
        };
        let late = feed("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
        assert!(late_xml_declaration(late.as_bytes()).is_some());
        let styled = feed("\u{feff}\n<?xml version=\"1.0\"?><?xml-stylesheet href=\"s.xsl\"?>", "");
        assert_eq!(late_xml_declaration(styled.as_bytes()), None);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("late.rss");
        std::fs::write(&path, &late).unwrap();
        let file = InputFile { path, format: crate::Format::Feed, gzip: false };
        let docs = feed_docs(late.as_bytes(), &file);
        assert!(matches!(&docs[..], [Err(e)] if e.to_string().contains("XML declaration at byte")), "{docs:?}");
    }
}
