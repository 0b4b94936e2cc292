//! What class and id names say about an element: the words that web designers use, across
//! sites, for the article (`article-body`, `story-text`, `post-content`) and for everything around
//! it (`nav`, `share-bar`, `related-links`, `newsletter-signup`, `comments`, `ad-slot`).
//!
//! A class list is read token by token (`"story share-tools"` is two tokens). Inside one token a
//! boilerplate word wins (`article-related` is a related list); across tokens a content token
//! protects the element (`article-body has-sidebar` is the article), so that a stray utility class
//! does not remove the article.

use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// The reading of one element's class or id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// +25 per content-like attribute, -25 per boilerplate-like one (readability's weights).
    pub weight: i32,
    /// Boilerplate and nothing content-like: its text is not article text.
    pub boilerplate: bool,
}

/// Words that mark boilerplate when they are a whole sub-word of a name (`ad` in `ad-slot` or
/// `adSlot`, not in `header` or `shadow`).
const BOILERPLATE_WORDS: &[&[u8]] = &[
    b"ad",
    b"ads",
    b"adv",
    b"advert",
    b"advertisement",
    b"advertising",
    b"nav",
    b"navbar",
    b"navigation",
    b"menu",
    b"footer",
    b"header",
    b"masthead",
    b"sidebar",
    b"rail",
    b"aside",
    b"share",
    b"shares",
    b"sharing",
    b"social",
    b"related",
    b"recommended",
    b"recommendations",
    b"newsletter",
    b"subscribe",
    b"subscription",
    b"signup",
    b"comment",
    b"comments",
    b"disqus",
    b"cookie",
    b"cookies",
    b"consent",
    b"gdpr",
    b"promo",
    b"promotion",
    b"promoted",
    b"sponsor",
    b"sponsored",
    b"breadcrumb",
    b"breadcrumbs",
    b"pagination",
    b"pager",
    b"popup",
    b"modal",
    b"overlay",
    b"banner",
    b"widget",
    b"widgets",
    b"toolbar",
    b"tools",
    b"print",
    b"tags",
    b"tag",
    b"topics",
    b"keywords",
    b"byline",
    b"author",
    b"bio",
    b"meta",
    b"dateline",
    b"timestamp",
    b"hidden",
    b"hide",
    b"outbrain",
    b"taboola",
    b"trending",
    b"popular",
    b"most",
    b"more",
    b"readmore",
    b"login",
    b"paywall",
    b"caption",
    b"credit",
    b"credits",
    b"skip",
    b"follow",
    b"jump",
    b"toc",
    b"rss",
    b"feedback",
    b"survey",
    b"donate",
    b"extra",
];

/// Longer words that mark boilerplate anywhere in a name, also when run together
/// (`relatedstories`, `sharethis`, `commentlist`).
const BOILERPLATE_PARTS: &[&str] = &[
    "advert",
    "sidebar",
    "related",
    "recommend",
    "newsletter",
    "subscri",
    "signup",
    "comment",
    "disqus",
    "cookie",
    "sharing",
    "sharethis",
    "social",
    "sponsor",
    "breadcrumb",
    "pagination",
    "outbrain",
    "taboola",
    "navbar",
    "navigation",
    "masthead",
    "footer",
    "popular",
    "trending",
    "adslot",
    "adunit",
    "adsby",
    "adcontainer",
    "adwrap",
    "screen-reader",
    "visually-hidden",
    "sr-only",
    "readmore",
    "read-more",
    "alsoread",
    "also-read",
    "seealso",
    "see-also",
    "moreon",
    "more-on",
    "morefrom",
    "more-from",
];

/// Words that mark the article.
const CONTENT_WORDS: &[&[u8]] = &[
    b"article",
    b"articles",
    b"content",
    b"entry",
    b"main",
    b"post",
    b"text",
    b"body",
    b"story",
    b"blog",
    b"prose",
    b"richtext",
    b"paragraph",
    b"news",
];

/// `BOILERPLATE_PARTS` as one automaton: a class list is read once, not once per word.
static PARTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder().ascii_case_insensitive(true).build(BOILERPLATE_PARTS).expect("a small fixed set of words")
});

/// The verdict of one class or id attribute value.
pub(crate) fn class_verdict(value: &str) -> Verdict {
    let (mut content, mut boilerplate) = (false, false);
    for token in value.split_ascii_whitespace() {
        match token_class(token) {
            Some(true) => content = true,
            Some(false) => boilerplate = true,
            None => {}
        }
    }
    Verdict {
        weight: if content { 25 } else { 0 } - if boilerplate { 25 } else { 0 },
        boilerplate: boilerplate && !content,
    }
}

/// `Some(true)` for a content token, `Some(false)` for a boilerplate one, None for neither.
fn token_class(token: &str) -> Option<bool> {
    if PARTS.is_match(token) {
        return Some(false);
    }
    let mut content = false;
    for word in sub_words(token.as_bytes()) {
        let mut lower = [0u8; 24];
        if word.len() > lower.len() {
            continue; // longer than any word we look for
        }
        let lower = &mut lower[..word.len()];
        lower.copy_from_slice(word);
        lower.make_ascii_lowercase();
        if BOILERPLATE_WORDS.contains(&&*lower) {
            return Some(false);
        }
        content |= CONTENT_WORDS.contains(&&*lower);
    }
    content.then_some(true)
}

/// The ASCII words of a name split at anything else (punctuation, digits, other scripts) and at
/// camelCase humps.
fn sub_words(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i <= b.len() {
            let at = i;
            i += 1;
            let boundary = at == b.len()
                || !b[at].is_ascii_alphabetic()
                || (at > start && b[at].is_ascii_uppercase() && b[at - 1].is_ascii_lowercase());
            if !boundary {
                continue;
            }
            let word = &b[start..at];
            start = if at < b.len() && b[at].is_ascii_alphabetic() { at } else { at + 1 };
            if !word.is_empty() {
                return Some(word);
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_words_split_at_humps_and_punctuation() {
        let words: Vec<&[u8]> = sub_words("adSlot-top_2x".as_bytes()).collect();
        assert_eq!(words, [&b"ad"[..], b"Slot", b"top", b"x"]);
        assert_eq!(sub_words(b"").count(), 0);
        assert_eq!(sub_words("hub💩é-x".as_bytes()).count(), 2, "other scripts split words and do not panic");
    }

    #[test]
    fn boilerplate_and_content_names() {
        for name in [
            "nav",
            "share-bar",
            "c-related-links",
            "relatedStories",
            "newsletter-signup",
            "comments",
            "ad-slot",
            "adSlot",
            "site-footer",
            "sidebar",
        ] {
            assert!(class_verdict(name).boilerplate, "{name}");
        }
        for name in
            ["subheader", "article-body", "story-text has-sidebar", "shadow", "entry-content", "headline", "read"]
        {
            assert!(!class_verdict(name).boilerplate, "{name}");
        }
        assert_eq!(class_verdict("article-body").weight, 25);
        assert_eq!(class_verdict("article-related").weight, -25);
        assert_eq!(class_verdict("main-content sidebar").weight, 0);
    }
}
