//! A web page as a crawler holds it: an HTTP answer's body (already de-chunked and
//! decompressed), its Content-Type and URL. A WARC response record and a page `entente watch`
//! fetched are read the same way here, as an .html file is: the charset from the header or
//! the page, the article extracted, its title, date and canonical URL kept.

use crate::{DeclaredDate, SourceDoc, SourceError, declared_html_charset, decode, decode_error};

/// What is known of a page besides its body.
#[derive(Clone, Debug, Default)]
pub struct WebPage {
    /// Where it was fetched from.
    pub url: Option<String>,
    /// The HTTP Content-Type header, whose charset wins over the page's own.
    pub content_type: Option<String>,
    /// The name errors and the document's provenance give it (`file.warc#record3`, a URL).
    pub source_path: String,
    /// The date to use when the page declares none (the WARC date, a feed item's date).
    pub fallback_date: Option<DeclaredDate>,
    /// The id to ask for when the URL gives no slug.
    pub fallback_id: String,
}

/// The page's body decoded and its article extracted.
pub fn web_page_doc(body: &[u8], page: WebPage) -> Result<SourceDoc, SourceError> {
    let path = page.source_path;
    let charset = page
        .content_type
        .as_deref()
        .and_then(|t| t.split("charset=").nth(1))
        .map(|c| c.trim_matches(['"', ';', ' ']).to_string());
    let charset = charset.or_else(|| declared_html_charset(body));
    let decoded = decode(body, charset.as_deref()).map_err(|p| decode_error(p, path.clone()))?;
    let url = page.url;
    // The same extractor, with the same size limit, as an .html file: a hostile page from an
    // archive or the web costs no more than one on disk.
    let extraction = entente_extract::extract_detailed(&decoded.text, url.as_deref());
    let text = crate::plain::normalise_newlines(&extraction.article.text);
    if text.trim().is_empty() {
        return Err(crate::no_article(path, &extraction));
    }
    let article = extraction.article;
    // The headline is part of what the page says: it leads the text so it gets sentences too.
    let text = match &article.title {
        Some(t) if !text.starts_with(t.as_str()) => format!("{t}\n\n{text}"),
        _ => text,
    };
    let declared_date = article
        .published
        .map(|raw| DeclaredDate { raw, from: article.published_from.clone().unwrap_or_else(|| "html".into()) })
        .or(page.fallback_date);
    Ok(SourceDoc {
        id: None,
        id_hint: url.as_deref().map(url_slug).filter(|s| !s.is_empty()).unwrap_or(page.fallback_id),
        source_path: path,
        text,
        title: article.title,
        url: article.canonical_url.or(url),
        author: article.author,
        language: article.language,
        declared_date,
        notes: decoded.note.into_iter().collect(),
    })
}

/// "https://x.org/world/2023/07/11/nato-summit.html" → "nato-summit".
pub(crate) fn url_slug(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let stem = last.split('.').next().unwrap_or(last);
    let slug: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.contains("://") || slug.len() < 3 { String::new() } else { slug.chars().take(80).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(url_slug("https://x.org/world/2023/07/11/nato-summit.html?utm=1"), "nato-summit");
        assert_eq!(url_slug("https://x.org/"), "");
    }

    #[test]
    fn a_page_reads_with_its_header_charset_and_falls_back_to_the_given_date() {
        let body = "<html><head><title>Talks</title></head><body><article><p>Japan\u{e9} and NATO agreed a partnership programme in Brussels on Tuesday, officials said after the meeting of the two delegations.</p></article></body></html>";
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(body);
        let page = WebPage {
            url: Some("https://news.example/world/japan-nato-talks".into()),
            content_type: Some("text/html; charset=windows-1252".into()),
            source_path: "https://news.example/world/japan-nato-talks".into(),
            fallback_date: Some(DeclaredDate { raw: "2023-07-11T09:00:00Z".into(), from: "feed:published".into() }),
            fallback_id: "page".into(),
        };
        let doc = web_page_doc(&latin1, page).unwrap();
        assert!(doc.text.contains("Japan\u{e9} and NATO"), "{}", doc.text);
        assert_eq!(doc.id_hint, "japan-nato-talks");
        assert_eq!(doc.declared_date.unwrap().from, "feed:published");
        let empty = WebPage { source_path: "u".into(), ..Default::default() };
        assert!(matches!(web_page_doc(b"<html><body></body></html>", empty), Err(SourceError::NoArticle { .. })));
    }
}
