//! Hostile page shapes from fuzzing (issue 16): deep nesting, huge tags and text, tag soup. Each
//! page is generated here; each must give an article (no panic, no abort, no hang).
//!
//! Extraction runs on a thread with a 256 KiB stack: any recursion as deep as the page's nesting
//! would overflow it at these depths. Times are not asserted; the 100k-deep pages would take
//! minutes (and abort) if extraction were quadratic in depth (or recursed), as it was.

use entente_extract::{Article, BodySource, FallbackError, extract_detailed, extract_with_source, try_fallback_body};

const SMALL_STACK: usize = 256 << 10;
const PARAGRAPH: &str =
    "The foreign ministers of the two countries met in Geneva on Monday, and agreed to reopen talks on trade. ";

/// Extracts `html` on a thread with a small stack.
fn extract_small_stack(html: String) -> (Article, BodySource) {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || extract_with_source(&html, None))
        .expect("thread")
        .join()
        .expect("extraction does not panic")
}

fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
    format!("<html><body>{}{inner}{}</body></html>", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deep_nesting_of_inline_and_block_elements() {
    for (open, close) in [("<span>", "</span>"), ("<b>", "</b>"), ("<div>", "</div>"), ("<ul><li>", "</li></ul>")] {
        for depth in [5_000, 20_000, 100_000] {
            // Short text: our extractor does not trust it, so the fallback would be asked.
            let (article, source) = extract_small_stack(nested(open, close, depth, "Short text."));
            assert_eq!(source, BodySource::Own, "{open} x {depth}: too deep for the fallback");
            assert!(article.text.len() < 100, "{open} x {depth}");
        }
    }
    // A trusted article deep inside the nesting is still found.
    let (article, _) = extract_small_stack(nested("<div>", "</div>", 100_000, &PARAGRAPH.repeat(4)));
    assert!(article.text.contains("met in Geneva"), "{}", article.text);
}

#[test]
fn unclosed_and_mismatched_tags_by_the_hundred_thousand() {
    let unclosed = format!("<html><body>{}", "<div><p><span>x".repeat(200_000));
    let (article, _) = extract_small_stack(unclosed);
    assert!(article.text.contains('x'));
    let formatting = format!("<body>{}{}", "<div><span><b><i><a href=x>".repeat(20_000), PARAGRAPH);
    extract_small_stack(formatting);
    let mismatched = format!("<body>{}{}", "<div><p><b></div></span></i></p>".repeat(100_000), PARAGRAPH.repeat(5));
    let (article, _) = extract_small_stack(mismatched);
    assert!(article.text.contains("met in Geneva"));
    // `</span>` does not close a div inside the span: a browser nests these ever deeper.
    extract_small_stack(format!("<body>{}Short text.", "<span><div></span>".repeat(50_000)));
    // Formatting reopened after each block closes it, each with its own attributes.
    let reopened: String = (0..20_000).map(|i| format!("<p><b id={i}>x</p>")).collect();
    extract_small_stack(reopened);
}

#[test]
fn deep_tables_lists_and_svg() {
    extract_small_stack(nested("<table><tr><td>", "</td></tr></table>", 30_000, PARAGRAPH));
    extract_small_stack(nested("<table><td>", "</table>", 30_000, "Short text."));
    extract_small_stack(nested("<ol><li><ul><li>", "</li></ul></li></ol>", 20_000, "Short text."));
    extract_small_stack(nested("<dl><dd>", "</dd></dl>", 30_000, "Short text."));
    extract_small_stack(format!("<body><p>Short text.</p><math>{}</math>", "<mrow>".repeat(100_000)));
    extract_small_stack(format!("<body><p>Short text.</p><svg>{}</svg>", "<g>".repeat(100_000)));
}

#[test]
fn huge_tags_text_and_scripts() {
    let attribute = format!("<body><div class=\"{}\"><p>{}</p></div>", "a".repeat(5 << 20), PARAGRAPH.repeat(4));
    let (article, _) = extract_small_stack(attribute);
    assert!(article.text.contains("met in Geneva"));
    let text = format!("<body><p>{}</p>", "word ".repeat(2 << 20));
    assert_eq!(extract_small_stack(text).0.text.len(), 5 * (2 << 20) - 1);
    let line = format!("<body><p>{}</p>", "x".repeat(8 << 20));
    assert_eq!(extract_small_stack(line).0.text.len(), 8 << 20);
    extract_small_stack(format!("<body>{}", "<script>var x = 1;</script><p>x</p>".repeat(200_000)));
    extract_small_stack(format!("<body><ul><li>{}</li></ul>", "word ".repeat(1 << 20)));
    extract_small_stack(format!("<body>{}", "<script>".repeat(100_000)));
    extract_small_stack(format!("<body><div title='{}", "<p>".repeat(100_000)));
    extract_small_stack(format!("<body>{}", "<!--".repeat(100_000)));
    // JSON-LD nested deeper than the JSON parser's limit, and just under it.
    for depth in [100_000, 120] {
        let graph = format!("{}{}", r#"{"@graph":["#.repeat(depth), "]}".repeat(depth));
        extract_small_stack(format!("<script type=\"application/ld+json\">{graph}</script><p>Short text.</p>"));
    }
}

#[test]
fn odd_characters_and_entities() {
    let nul = format!("<body><p>{}</p>", "a\0b\0 ".repeat(100_000));
    assert!(extract_small_stack(nul).0.text.contains("a\0b"));
    // Invalid UTF-8 as the caller decodes it: replacement characters.
    let bytes: Vec<u8> =
        b"<body><p>".iter().chain([0xff, 0xfe, 0xc3, b' '].iter().cycle().take(400_000)).copied().collect();
    extract_small_stack(String::from_utf8_lossy(&bytes).into_owned());
    let entities = format!("<body><p>{}</p>", "&#xFFFFFFFF;&#99999999999;&#0;&#xD800;&amp&#x;&;".repeat(50_000));
    let (article, _) = extract_small_stack(entities);
    assert!(article.text.contains('\u{FFFD}'));
    extract_small_stack(format!("<body><p>{}", "<".repeat(1 << 20)));
    extract_small_stack(format!("<body><p>{}", "</".repeat(1 << 20)));
}

#[test]
fn the_fallback_refuses_deep_and_huge_pages_and_reads_others() {
    let deep = nested("<span>", "</span>", 300, "Short text.");
    assert!(matches!(try_fallback_body(&deep), Err(FallbackError::TooDeep { .. })));
    let many = format!("<body>{}", "<p>x</p>".repeat(100_000));
    assert!(matches!(try_fallback_body(&many), Err(FallbackError::TooLarge { .. })));
    let big = format!("<body><ul><li>{}", "word ".repeat(2 << 20));
    assert!(matches!(try_fallback_body(&big), Err(FallbackError::TooBig { .. })));
    // The reason reaches the caller, so that a page without text can be a clear error.
    let refused = extract_detailed(&nested("<b>", "</b>", 100_000, "Short text."), None);
    assert!(matches!(refused.fallback_error, Some(FallbackError::TooDeep { max: 256 })), "{refused:?}");
    // Just under the cap, trafilatura reads the page on its own thread, whatever the caller's
    // stack: here a small one.
    let under = nested("<span>", "</span>", 200, "A short note about talks in Geneva between the two ministers.");
    let (article, source) = extract_small_stack(under);
    assert_eq!(source, BodySource::Fallback);
    assert!(article.text.contains("talks in Geneva"), "{}", article.text);
}

/// `<![CDATA[` in HTML is a bogus comment that ends at the first `>` (as browsers and
/// html5ever read it), not a section to `]]>`: read as the latter, the nesting after it went
/// unseen by the depth check and overflowed the fallback's stack (found by the fuzzer in a
/// feed item).
#[test]
fn a_cdata_opener_in_html_hides_no_nesting() {
    for opener in ["<![CDATA[", "<![CDATA[<![CDATA[<![", "<!x"] {
        let html = format!("<html><body>{opener}{}Short text.</body></html>", "<feed xmlns=\"a\">".repeat(100_000));
        let (_, source) = extract_small_stack(html.clone());
        assert_eq!(source, BodySource::Own, "{opener}: too deep for the fallback");
        assert!(matches!(try_fallback_body(&html), Err(FallbackError::TooDeep { .. })), "{opener}");
    }
}

/// Comments end where browsers end them (`<!-->`, `<!--->`, `--!>`): the article after one
/// is read, not swallowed as comment to the end of the page.
#[test]
fn comments_end_where_browsers_end_them() {
    for comment in ["<!-->", "<!--->", "<!-- a --!>"] {
        let html = format!("<html><body>{comment}<article><p>{}</p></article></body></html>", PARAGRAPH.repeat(4));
        let (article, _) = extract_small_stack(html);
        assert!(article.text.contains("met in Geneva"), "{comment}: {}", article.text);
    }
}
