//! Reading a page's metadata from its markup: meta tags, JSON-LD, `<time>`, `<title>`,
//! canonical links, `<html lang>`. The tags come from the same scan of the page as the body
//! (`page.rs`), so metadata costs no second pass over the bytes.

use crate::html;
use crate::page::{self, Page};
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// What a page says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    pub author: Option<String>,
    pub canonical_url: Option<String>,
    pub published: Option<String>,
    pub published_from: Option<String>,
    pub language: Option<String>,
}

static TAGS_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("compiles"));

/// Meta names and properties that declare a publication date, most specific first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "publishdate",
    "publish-date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
    "og:published_time",
    "article:modified_time",
];
const AUTHOR_KEYS: &[&str] = &["author", "article:author", "parsely-author", "dc.creator", "byl"];

fn attributes(tag: &str) -> Vec<(String, String)> {
    html::attributes(tag).map(|(k, v)| (k.to_ascii_lowercase(), html::clean(v))).collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

/// Reads the metadata of a page.
pub fn read_meta(html: &str) -> Meta {
    meta_of(&page::parse(html))
}

/// The metadata of a scanned page: its meta, link, html and time tags, title, first `<h1>` and
/// JSON-LD, as the scan collected them.
pub(crate) fn meta_of(page: &Page) -> Meta {
    let mut meta = Meta::default();
    let mut dates: Vec<(usize, String, String)> = Vec::new(); // (priority, value, from)
    let mut og_title = None;
    for (tag, raw_attrs) in &page.head.tags {
        let attrs = attributes(raw_attrs);
        match *tag {
            "html" => meta.language = attr(&attrs, "lang").map(language_code),
            "link" if attr(&attrs, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) => {
                meta.canonical_url = meta.canonical_url.take().or_else(|| attr(&attrs, "href").map(str::to_string));
            }
            "time" => {
                if let Some(dt) = attr(&attrs, "datetime") {
                    let priority =
                        if attrs.iter().any(|(k, _)| k == "pubdate") { DATE_KEYS.len() } else { DATE_KEYS.len() + 1 };
                    dates.push((priority, dt.to_string(), "time".into()));
                }
            }
            "meta" => {
                let key = attr(&attrs, "property")
                    .or(attr(&attrs, "name"))
                    .or(attr(&attrs, "itemprop"))
                    .map(str::to_ascii_lowercase);
                let (Some(key), Some(content)) = (key, attr(&attrs, "content")) else { continue };
                if let Some(p) = DATE_KEYS.iter().position(|k| *k == key) {
                    dates.push((p, content.to_string(), format!("meta:{key}")));
                } else if AUTHOR_KEYS.contains(&key.as_str()) && meta.author.is_none() {
                    meta.author = Some(content.to_string());
                } else if key == "og:title" {
                    og_title = Some(content.to_string());
                } else if key == "og:url" && meta.canonical_url.is_none() {
                    meta.canonical_url = Some(content.to_string());
                } else if (key == "og:locale" || key == "language" || key == "content-language")
                    && meta.language.is_none()
                {
                    meta.language = Some(language_code(content));
                }
            }
            _ => {}
        }
    }
    let ld = json_ld(&page.head.json_ld);
    if let Some(d) = ld.date {
        dates.push((1, d, "json-ld:datePublished".into()));
    }
    dates.sort_by_key(|(p, _, _)| *p);
    if let Some((_, value, from)) = dates.into_iter().next() {
        meta.published = Some(value);
        meta.published_from = Some(from);
    }
    meta.author = meta.author.or(ld.author);
    meta.title =
        og_title.or(ld.headline).or_else(|| page_title(page)).map(|t| clean_text(&t)).filter(|t| !t.is_empty());
    meta
}

#[derive(Default)]
struct LinkedData {
    date: Option<String>,
    headline: Option<String>,
    author: Option<String>,
}

/// `datePublished`, `headline` and `author` from JSON-LD blocks, including `@graph` lists.
fn json_ld(scripts: &[&str]) -> LinkedData {
    let mut out = LinkedData::default();
    for script in scripts {
        let Ok(value) = serde_json::from_str::<Value>(script.trim()) else { continue };
        visit(&value, &mut out);
    }
    out
}

fn visit(v: &Value, out: &mut LinkedData) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| visit(i, out)),
        Value::Object(map) => {
            if out.date.is_none() {
                out.date = map.get("datePublished").and_then(Value::as_str).map(str::to_string);
            }
            if out.headline.is_none() {
                out.headline = map.get("headline").and_then(Value::as_str).map(str::to_string);
            }
            if out.author.is_none() {
                out.author = match map.get("author") {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Object(a)) => a.get("name").and_then(Value::as_str).map(str::to_string),
                    Some(Value::Array(a)) => {
                        a.first().and_then(|x| x.get("name")).and_then(Value::as_str).map(str::to_string)
                    }
                    _ => None,
                };
            }
            if let Some(graph) = map.get("@graph") {
                visit(graph, out);
            }
        }
        _ => {}
    }
}

/// The `<title>` without its site name ("Story | Site"), else the first `<h1>`.
fn page_title(page: &Page) -> Option<String> {
    let h1 = page.first_h1().map(str::to_string);
    let Some(title) = page.head.title.map(clean_text) else { return h1 };
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some((head, _)) = title.rsplit_once(sep) {
            // Keep the part the headline agrees with, else the longer part.
            if h1.as_deref().is_some_and(|h| h.starts_with(head)) || head.len() > 15 {
                return Some(head.to_string());
            }
        }
    }
    Some(title).or(h1)
}

fn clean_text(s: &str) -> String {
    html::clean(&TAGS_IN_TEXT.replace_all(s, " ")).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn language_code(lang: &str) -> String {
    lang.split(['-', '_']).next().unwrap_or(lang).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_json_ld_time_and_meta_in_priority() {
        let ld = r#"<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2023-09-09T12:00:00+05:30","headline":"AU joins G20","author":[{"name":"A. Writer"}]}]}</script>"#;
        let m = read_meta(ld);
        assert_eq!(
            (m.published.as_deref(), m.published_from.as_deref()),
            (Some("2023-09-09T12:00:00+05:30"), Some("json-ld:datePublished"))
        );
        assert_eq!((m.title.as_deref(), m.author.as_deref()), (Some("AU joins G20"), Some("A. Writer")));
        let m = read_meta(r#"<time datetime="2024-03-07">7 March</time><meta name='date' content='2024-03-06'>"#);
        assert_eq!(m.published_from.as_deref(), Some("meta:date"), "a meta date outranks a bare <time>");
        let m = read_meta(r#"<p>x</p><time datetime="2024-03-07">7 March</time>"#);
        assert_eq!(m.published_from.as_deref(), Some("time"));
    }

    #[test]
    fn titles_lose_their_site_name_and_entities_are_decoded() {
        let m = read_meta("<title>Macron opposes NATO office in Tokyo - Europe Report</title>");
        assert_eq!(m.title.as_deref(), Some("Macron opposes NATO office in Tokyo"));
        let m = read_meta(r#"<meta property="og:title" content="Japan&#8217;s &quot;new&quot; role">"#);
        assert_eq!(m.title.as_deref(), Some("Japan’s \"new\" role"));
    }
}
