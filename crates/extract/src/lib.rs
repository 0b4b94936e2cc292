//! Article text and metadata from news HTML.
//!
//! One scan of the page (`html.rs`, `page.rs`) gives both the body and the metadata. The body
//! comes from our own readability-style extractor (`content.rs`), which handles the common page
//! shapes at a few hundred MB/s; when its result looks untrustworthy the `trafilatura` crate
//! (boilerplate removal with its own fallbacks, several times slower) extracts it instead. The
//! metadata is our own reading of the page's tags, because Entente must say where a date came
//! from (`meta:article:published_time`, `json-ld:datePublished`, `time`, ...), not only what it is.
//!
//! **Invariants:** never panics on broken HTML; an empty or non-HTML page gives an article with
//! empty text. The caller decodes bytes; this crate takes text.

pub mod benchmark;
mod content;
mod depth;
mod html;
mod meta;
mod page;
pub mod score;
mod vocabulary;

use regex::Regex;
use std::sync::LazyLock;

pub use content::OwnBody;
pub use meta::{Meta, read_meta};

/// An article as a page gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Article {
    pub title: Option<String>,
    /// The body: headings and paragraphs in order, separated by blank lines.
    pub text: String,
    pub author: Option<String>,
    pub canonical_url: Option<String>,
    /// The date string as the page gives it, unparsed.
    pub published: Option<String>,
    /// Where it was found: `meta:article:published_time`, `json-ld:datePublished`, `time`, ...
    pub published_from: Option<String>,
    /// ISO 639-1, from `<html lang>` or a meta tag.
    pub language: Option<String>,
}

/// Extracts the article of a page. `url`, when known, helps resolve the canonical URL.
pub fn extract(html: &str, url: Option<&str>) -> Article {
    extract_with_source(html, url).0
}

/// Which extractor gave an article's body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodySource {
    /// Our own extractor, trusted.
    Own,
    /// trafilatura, because our own result looked untrustworthy.
    Fallback,
}

/// As [`extract`], saying which extractor gave the body (to measure how often the fallback runs).
pub fn extract_with_source(html: &str, url: Option<&str>) -> (Article, BodySource) {
    let extraction = extract_detailed(html, url);
    (extraction.article, extraction.source)
}

/// An article, which extractor gave its body, and why the fallback gave none when it was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extraction {
    pub article: Article,
    pub source: BodySource,
    /// Set when our own result was not trusted and trafilatura gave no body either: a caller
    /// that finds no text can say why (a page nested too deep, too large, ...).
    pub fallback_error: Option<FallbackError>,
}

/// As [`extract`], with which extractor gave the body and why the fallback failed, if it did.
pub fn extract_detailed(html: &str, url: Option<&str>) -> Extraction {
    let page = page::parse(html);
    let meta = meta::meta_of(&page);
    let own = content::own_body(&page);
    let (text, source, fallback_error) = match own.trusted {
        true => (own.text, BodySource::Own, None),
        false => match try_fallback_body(html) {
            Ok(fallback) if !fallback.trim().is_empty() => (fallback, BodySource::Fallback, None),
            // An untrusted result is still better than nothing.
            Ok(_) => (own.text, BodySource::Own, Some(FallbackError::NothingFound)),
            Err(e) => (own.text, BodySource::Own, Some(e)),
        },
    };
    let article = Article {
        title: meta.title,
        text,
        author: meta.author,
        canonical_url: meta.canonical_url.or_else(|| url.map(str::to_string)),
        published: meta.published,
        published_from: meta.published_from,
        language: meta.language,
    };
    Extraction { article, source, fallback_error }
}

/// Our own extractor's body and whether it trusts it, without the fallback.
pub fn own_body(html: &str) -> OwnBody {
    content::own_body(&page::parse(html))
}

/// Why our extractor chose what it did on a page (its top candidates and their ancestry).
#[doc(hidden)]
pub fn explain_own(html: &str, needle: Option<&str>) -> String {
    content::explain(&page::parse(html), needle)
}

/// Why trafilatura gave no body for a page.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FallbackError {
    #[error("the page has no markup")]
    NoMarkup,
    /// Its tree walks recurse as deep as the page nests (a stack overflow aborts the process)
    /// and some cost the depth again per element (quadratic time): a deeper page is not given
    /// to it.
    #[error("the page nests more than {max} elements deep")]
    TooDeep { max: usize },
    /// Its DOM costs time and memory by the element, and some walks the depth again per element:
    /// a page of more elements, or as costly as more elements of ordinary depth, is not given to it.
    #[error("the page has more than {max} elements, or elements as costly")]
    TooLarge { max: usize },
    /// It reads about 4 MB/s and takes some 17 bytes of memory per byte of page: a bigger page
    /// would hold an ingest worker for seconds and hundreds of MB.
    #[error("the page has {bytes} bytes of markup and text, more than {max}")]
    TooBig { bytes: usize, max: usize },
    #[error("cannot start a thread for the fallback extractor: {0}")]
    Thread(String),
    #[error("the fallback extractor panicked")]
    Panicked,
    #[error("the fallback extractor found no article")]
    NothingFound,
}

/// The stack trafilatura runs on: its own thread's, so that its recursion never depends on the
/// stack of the thread that extracts (ingest workers may have small ones). The depth check
/// keeps pages deeper than 256 from it; this is the backstop should that check misjudge a page
/// (a fuzzed page once hid its nesting from it): with pages capped at 4 MiB, no nesting it can
/// hold recurses past it. Only the pages of it that are touched take memory.
const FALLBACK_STACK: usize = 256 << 20;

/// The largest page (without scripts, styles and comments) given to trafilatura; news articles
/// are well under 1 MB.
const MAX_FALLBACK_BYTES: usize = 4 << 20;

/// The body as trafilatura extracts it: one paragraph per block, blank lines between them; empty
/// when it cannot read the page ([`try_fallback_body`] says why).
pub fn fallback_body(html: &str) -> String {
    try_fallback_body(html).unwrap_or_default()
}

/// As [`fallback_body`], with the reason when there is no body.
pub fn try_fallback_body(html: &str) -> Result<String, FallbackError> {
    if !html.contains('<') {
        return Err(FallbackError::NoMarkup);
    }
    // Scripts, styles, SVG and comments carry no article text but are most of a page's bytes;
    // dropping them before parsing makes the DOM several times smaller.
    let lean = strip_inert(html);
    if lean.len() > MAX_FALLBACK_BYTES {
        return Err(FallbackError::TooBig { bytes: lean.len(), max: MAX_FALLBACK_BYTES });
    }
    match depth::check(&lean, depth::LIMITS) {
        Ok(()) => {}
        Err(depth::TooComplex::Deep) => return Err(FallbackError::TooDeep { max: depth::LIMITS.depth }),
        Err(depth::TooComplex::Large) => return Err(FallbackError::TooLarge { max: depth::LIMITS.elements }),
    }
    let extracted = std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("trafilatura".into())
            .stack_size(FALLBACK_STACK)
            .spawn_scoped(scope, || trafilatura_paragraphs(&lean))
            .map_err(|e| FallbackError::Thread(e.to_string()))?;
        worker.join().map_err(|_| FallbackError::Panicked)
    })?
    .ok_or(FallbackError::NothingFound)?;
    // On small pages the extractor's fallback can run blocks together ("opensLeaders"); when
    // the page's own blocks hold exactly the same text, their paragraph breaks are the truth.
    let own = own_blocks(&lean);
    Ok(if squeeze(&own) == squeeze(&extracted) { own } else { extracted })
}

/// trafilatura's body of a page, as plain paragraphs.
fn trafilatura_paragraphs(html: &str) -> Option<String> {
    let mut options = trafilatura::Options::default();
    options.enable_fallback = true;
    options.exclude_comments = true;
    let result = trafilatura::extract(html, &options).ok()?;
    Some(paragraphs(&result.content_html))
}

static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<(?:p|h[1-6]|li|blockquote)\b[^>]*>(.*?)</(?:p|h[1-6]|li|blockquote)>").expect("compiles")
});

/// The text of the page's paragraphs, headings and list items, one per paragraph.
fn own_blocks(html: &str) -> String {
    BLOCK.captures_iter(html).map(|c| paragraphs(&c[1])).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The page without `<script>`, `<style>`, `<svg>`, `<noscript>` elements and comments. A byte
/// scan, not a parse: an element left unclosed is dropped to the end of the page, as a browser
/// would treat it as text of that element too.
fn strip_inert(html: &str) -> String {
    const INERT: [(&str, &str); 5] = [
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<svg", "</svg>"),
        ("<noscript", "</noscript>"),
        ("<!--", "-->"),
    ];
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() / 2);
    let mut kept = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + p;
        let rest = &bytes[at..];
        let inert = INERT
            .iter()
            .find(|(open, _)| rest.len() >= open.len() && rest[..open.len()].eq_ignore_ascii_case(open.as_bytes()));
        match inert {
            Some((open, close)) => {
                let after = at + open.len();
                let end =
                    find_ascii_ci(&bytes[after..], close.as_bytes()).map_or(bytes.len(), |e| after + e + close.len());
                out.push_str(&html[kept..at]);
                kept = end;
                i = end;
            }
            None => i = at + 1,
        }
        if i >= bytes.len() {
            break;
        }
    }
    out.push_str(&html[kept.min(html.len())..]);
    out
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut i = 0;
    while let Some(p) = memchr::memchr2(first, first.to_ascii_uppercase(), &haystack[i..]) {
        let at = i + p;
        if haystack.len() - at >= needle.len() && haystack[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

static BLOCK_END: LazyLock<Regex> = LazyLock::new(|| {
    // Opening and closing block tags both end a paragraph: the extracted HTML does not always
    // close its paragraphs.
    Regex::new(r"(?i)</?(?:p|h[1-6]|li|blockquote|div|tr|pre|figcaption|head|section|article|ul|ol|table|main)\b[^>]*>|<br\s*/?>")
        .expect("compiles")
});
static ANY_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("compiles"));

/// The blocks of the extracted HTML as plain paragraphs.
fn paragraphs(html: &str) -> String {
    let marked = BLOCK_END.replace_all(html, "\n\n");
    let plain = ANY_TAG.replace_all(&marked, "");
    plain
        .split("\n\n")
        .map(|p| html::clean(p).split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en-GB"><head>
<meta charset="utf-8"><title>Leaders meet in Vilnius | Daily World</title>
<meta content="2023-07-11T09:00:00Z" property="article:published_time">
<meta name="author" content="Jane Roe"><link rel="canonical" href="https://example.org/2023/07/11/vilnius">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Leaders meet in Vilnius</h1>
<p>The leaders of the alliance met in Vilnius on Tuesday for a two-day summit on security in Europe and beyond.</p>
<p>Japan, South Korea, Australia and New Zealand attended as partners and held talks with the secretary general.</p>
<p>They agreed to deepen their cooperation on cyber defence, maritime security and emerging technologies.</p>
</article>
<div class="share">Share on Facebook Share on X</div>
<footer><p>Copyright 2023 Daily World. All rights reserved.</p></footer>
</body></html>"#;

    #[test]
    fn body_without_boilerplate_and_metadata_with_its_source() {
        let a = extract(PAGE, None);
        assert!(a.text.contains("met in Vilnius on Tuesday"), "{}", a.text);
        assert!(a.text.contains("\n\n"), "paragraphs are separated by blank lines");
        assert!(!a.text.contains("Copyright") && !a.text.contains("Share on"), "{}", a.text);
        assert!(a.text.find("met in Vilnius").unwrap() < a.text.find("agreed to deepen").unwrap(), "order kept");
        assert_eq!(a.title.as_deref(), Some("Leaders meet in Vilnius"));
        assert_eq!(
            (a.published.as_deref(), a.published_from.as_deref()),
            (Some("2023-07-11T09:00:00Z"), Some("meta:article:published_time"))
        );
        assert_eq!(a.author.as_deref(), Some("Jane Roe"));
        assert_eq!(a.canonical_url.as_deref(), Some("https://example.org/2023/07/11/vilnius"));
        assert_eq!(a.language.as_deref(), Some("en"));
    }

    #[test]
    fn inert_elements_are_stripped_before_parsing() {
        let page = "<p>a</p><script>var x = '<p>no</p>';</script><STYLE>p{}</STYLE><!-- c --><p>b</p><svg><text>no</text></svg><p>c";
        assert_eq!(strip_inert(page), "<p>a</p><p>b</p><p>c");
        assert_eq!(strip_inert("<p>x</p><script>unclosed"), "<p>x</p>");
    }

    /// The depth and size gates must not refuse real news pages: on the benchmark's, the
    /// estimated depth stays far under the cap.
    #[test]
    fn benchmark_pages_pass_the_fallback_gates() {
        use std::io::Read;
        let Some(truth) = entente_testdata::shared_or_skip("fallback_gates", "data/extraction/ground-truth.json")
        else {
            return;
        };
        let dir = truth.parent().expect("folder").join("html");
        let mut pages = 0;
        for entry in std::fs::read_dir(dir).expect("html folder").flatten() {
            let mut raw = Vec::new();
            let file = std::fs::File::open(entry.path()).expect("page");
            flate2::read::GzDecoder::new(file).read_to_end(&mut raw).expect("gzip");
            let lean = strip_inert(&String::from_utf8_lossy(&raw));
            assert!(lean.len() <= MAX_FALLBACK_BYTES);
            // A quarter of the cap: real pages keep a wide margin.
            let limits = depth::LIMITS;
            let quarter = depth::Limits {
                depth: limits.depth / 4,
                elements: limits.elements / 4,
                work: limits.work / 4,
                text_work: limits.text_work / 4,
            };
            let checked = depth::check(&lean, quarter);
            assert_eq!(checked, Ok(()), "{}", entry.path().display());
            pages += 1;
        }
        assert!(pages >= 100);
    }

    #[test]
    fn broken_and_empty_pages_do_not_panic() {
        assert_eq!(extract("", None).text, "");
        assert_eq!(extract("just some words, no markup", None).text, "");
        let broken =
            "<html><body><p>An unclosed paragraph about NATO and Japan meeting in Tokyo <div><p>and more</b></i>";
        let _ = extract(broken, None);
    }
}
