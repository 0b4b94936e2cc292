//! Our own main-text extractor, readability-style, over the blocks of one scan of the page:
//! 1. every paragraph-like element with some text gives a score (1, plus its commas, plus a
//!    point per 100 characters up to 3) to its parent, half to its grandparent and less further
//!    up; containers start from their tag and class/id weight;
//! 2. a container's score is scaled by the share of its text that is not link text, and the best
//!    one (moved up when its ancestors hold comparable text) is the article, with those of its
//!    siblings that score close to it;
//! 3. inside it, boilerplate by tag or class/id, link lists and link-heavy blocks are dropped;
//!    headings and paragraphs come out in order, a blank line between blocks.
//!
//! When the result looks untrustworthy (little text, or the winner holds little of the page's
//! paragraph text) the caller falls back to trafilatura.

use crate::page::{Block, Kind, Page};

/// A paragraph shorter than this (in characters) gives no score.
const MIN_PARAGRAPH_CHARS: u32 = 25;
/// Below this much text the result is not trusted.
const MIN_TRUSTED_CHARS: u32 = 250;

/// The text our extractor found, and whether it trusts it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnBody {
    pub text: String,
    pub trusted: bool,
}

/// Per-node figures in characters, over the subtree.
struct Stats {
    chars: Vec<u32>,
    link_chars: Vec<u32>,
    direct_chars: Vec<u32>,
    direct_commas: Vec<u32>,
    commas: Vec<u32>,
    paragraphs: Vec<u32>,
    items: Vec<u32>,
    /// Inside boilerplate by tag or hiding, unless that element holds half the page's text
    /// (then it is a wrapper, such as an ASP.NET page-wide `<form>`).
    pruned: Vec<bool>,
}

impl Stats {
    fn of(page: &Page) -> Stats {
        let n = page.nodes.len();
        let mut s = Stats {
            chars: vec![0; n],
            link_chars: vec![0; n],
            direct_chars: vec![0; n],
            direct_commas: vec![0; n],
            commas: vec![0; n],
            paragraphs: vec![0; n],
            items: vec![0; n],
            pruned: vec![false; n],
        };
        for b in &page.blocks {
            let text = page.block_text(b);
            let chars = char_count(text);
            let node = b.node as usize;
            s.direct_chars[node] += chars;
            // Link text is counted in bytes while scanning; scale it to characters.
            s.link_chars[node] += (u64::from(b.link_bytes) * u64::from(chars) / u64::from(b.bytes().max(1))) as u32;
            s.direct_commas[node] += text.matches([',', '，', '、']).count() as u32;
        }
        for i in 0..n {
            s.chars[i] += s.direct_chars[i];
            s.commas[i] += s.direct_commas[i];
            match page.nodes[i].kind {
                Kind::Paragraph if s.direct_chars[i] > 0 => s.paragraphs[i] += 1,
                Kind::ListItem => s.items[i] += 1,
                _ => {}
            }
        }
        for i in (1..n).rev() {
            let p = page.nodes[i].parent as usize;
            s.chars[p] += s.chars[i];
            s.link_chars[p] += s.link_chars[i];
            s.commas[p] += s.commas[i];
            s.paragraphs[p] += s.paragraphs[i];
            s.items[p] += s.items[i];
        }
        for i in 1..n {
            let node = &page.nodes[i];
            s.pruned[i] = s.pruned[node.parent as usize] || (node.strong && s.chars[i] * 2 <= s.chars[0]);
        }
        s
    }

    fn link_density(&self, node: usize) -> f32 {
        if self.chars[node] == 0 { 0.0 } else { self.link_chars[node] as f32 / self.chars[node] as f32 }
    }
}

fn char_count(s: &str) -> u32 {
    s.bytes().filter(|b| (b & 0xC0) != 0x80).count() as u32
}

/// Extracts the main text of a parsed page.
pub(crate) fn own_body(page: &Page) -> OwnBody {
    let stats = Stats::of(page);
    let scores = scores(page, &stats);
    let Some(top) = top_candidate(page, &stats, &scores) else { return OwnBody::default() };
    let selected = with_siblings(page, &stats, &scores, top);
    let kept = kept_nodes(page, &stats, &scores, &selected);
    let mut text = String::new();
    let mut chars = 0;
    for b in &page.blocks {
        let node = b.node as usize;
        if !kept[node] {
            continue;
        }
        let block = page.block_text(b);
        if !keep_block(page, b, block) {
            continue;
        }
        let block_chars = char_count(block);
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(block);
        chars += block_chars;
    }
    let trusted = chars >= MIN_TRUSTED_CHARS && chars * 3 >= paragraph_chars_outside_boilerplate(page, &stats);
    OwnBody { text, trusted }
}

/// Whether a block inside the article is article text.
fn keep_block(page: &Page, b: &Block, text: &str) -> bool {
    let links = b.link_bytes as f32 / b.bytes().max(1) as f32;
    if links > 0.5 {
        return false; // "Read more: ...", a related headline
    }
    if b.heading_level == 1 {
        return false; // the headline is the article's title (`Article::title`), not its body
    }
    // A label loose in a div ("Advert", "Share this") is not a paragraph.
    let loose = page.nodes[b.node as usize].kind == Kind::Container;
    !(loose && text.split_whitespace().nth(2).is_none())
}

/// The text of the page's paragraphs outside boilerplate, by tag or by class: if the article we
/// found holds only a small part of it, we probably missed some of the article.
fn paragraph_chars_outside_boilerplate(page: &Page, stats: &Stats) -> u32 {
    let mut outside = vec![true; page.nodes.len()];
    let mut total = 0;
    for (i, node) in page.nodes.iter().enumerate().skip(1) {
        outside[i] = outside[node.parent as usize] && !stats.pruned[i] && !node.boilerplate;
        if outside[i] && node.kind == Kind::Paragraph {
            total += stats.direct_chars[i];
        }
    }
    total
}

/// Readability's content scores, before link density: None for nodes that hold no paragraph.
fn scores(page: &Page, stats: &Stats) -> Vec<Option<f32>> {
    let nodes = &page.nodes;
    let mut scores: Vec<Option<f32>> = vec![None; nodes.len()];
    for i in 1..nodes.len() {
        let node = &nodes[i];
        let scoring = matches!(node.kind, Kind::Paragraph | Kind::Pre | Kind::Cell | Kind::Quote | Kind::Container);
        if !scoring || stats.pruned[i] || stats.direct_chars[i] < MIN_PARAGRAPH_CHARS {
            continue;
        }
        let score = 1.0 + stats.direct_commas[i] as f32 + (stats.direct_chars[i] / 100).min(3) as f32;
        // Text directly in a div is a paragraph of that div (readability wraps it in a <p>).
        let mut ancestor = if node.kind == Kind::Container { i } else { node.parent as usize };
        for level in 0..5 {
            let entry = scores[ancestor].get_or_insert_with(|| initial_score(page, ancestor));
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            *entry += score / divider;
            if ancestor == 0 {
                break;
            }
            ancestor = nodes[ancestor].parent as usize;
        }
    }
    for (i, s) in scores.iter_mut().enumerate() {
        if let Some(s) = s {
            *s *= 1.0 - stats.link_density(i);
        }
    }
    scores
}

fn initial_score(page: &Page, node: usize) -> f32 {
    let n = &page.nodes[node];
    let by_tag = match n.kind {
        Kind::Container if node != 0 => 5.0,
        Kind::Pre | Kind::Cell | Kind::Quote => 3.0,
        Kind::List | Kind::ListItem | Kind::Boilerplate => -3.0,
        Kind::Heading => -5.0,
        _ => 0.0,
    };
    by_tag + n.weight as f32
}

/// The best-scoring container, moved up to a common ancestor when other strong candidates share
/// it (an article split into several divs) and past wrappers that hold nothing else.
fn top_candidate(page: &Page, stats: &Stats, scores: &[Option<f32>]) -> Option<usize> {
    let nodes = &page.nodes;
    let mut ranked: Vec<(usize, f32)> = scores
        .iter()
        .enumerate()
        .filter(|(i, _)| !stats.pruned[*i] && !nodes[*i].boilerplate)
        .filter_map(|(i, s)| s.map(|s| (i, s)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(5);
    let &(mut top, top_score) = ranked.first()?;
    if top_score <= 0.0 {
        return None;
    }
    let close: Vec<usize> = ranked[1..].iter().filter(|(_, s)| *s >= 0.75 * top_score).map(|(i, _)| *i).collect();
    if close.len() >= 3 {
        let mut ancestor = nodes[top].parent as usize;
        while ancestor != 0 {
            let sharing = close.iter().filter(|&&c| is_ancestor(page, ancestor, c)).count();
            if sharing >= 3 {
                top = ancestor;
                break;
            }
            ancestor = nodes[ancestor].parent as usize;
        }
    }
    // The page's own `itemprop="articleBody"` around the winner is the whole body, however it
    // is split into blocks.
    if let Some(body) = ancestors(page, top).find(|&a| nodes[a].article_body && !stats.pruned[a]) {
        return Some(body);
    }
    // Climb while a parent scores higher than what we have (a split article's wrapper).
    let mut last = scores[top].unwrap_or(0.0);
    let threshold = last / 3.0;
    let mut parent = nodes[top].parent as usize;
    while parent != 0 {
        if let Some(s) = scores[parent] {
            if s < threshold {
                break;
            }
            if s > last {
                top = parent;
                break;
            }
            last = s;
        }
        parent = nodes[parent].parent as usize;
    }
    Some(top)
}

/// The ancestors of a node, nearest first, without the document.
fn ancestors<'p>(page: &'p Page, mut node: usize) -> impl Iterator<Item = usize> + 'p {
    std::iter::from_fn(move || {
        node = page.nodes[node].parent as usize;
        (node != 0).then_some(node)
    })
}

fn is_ancestor(page: &Page, ancestor: usize, mut node: usize) -> bool {
    while node != 0 {
        node = page.nodes[node].parent as usize;
        if node == ancestor {
            return true;
        }
    }
    ancestor == 0
}

/// The top candidate and those of its siblings that look like more of the article.
fn with_siblings(page: &Page, stats: &Stats, scores: &[Option<f32>], top: usize) -> Vec<usize> {
    if top == 0 {
        return vec![0];
    }
    let parent = page.nodes[top].parent;
    let top_score = scores[top].unwrap_or(0.0);
    let threshold = (top_score * 0.2).max(10.0);
    let mut selected = Vec::new();
    for (i, n) in page.nodes.iter().enumerate().skip(parent as usize + 1) {
        if n.parent != parent || (i != top && (stats.pruned[i] || n.boilerplate)) {
            continue;
        }
        let keep = i == top
            || scores[i].is_some_and(|s| s >= threshold)
            || (n.kind == Kind::Paragraph && {
                let (chars, density) = (stats.chars[i], stats.link_density(i));
                (chars > 80 && density < 0.25) || (chars > 0 && chars <= 80 && density == 0.0)
            });
        if keep {
            selected.push(i);
        }
    }
    selected
}

/// Which nodes' own text goes out: those in the selected subtrees that survive readability's
/// conditional cleaning (boilerplate, link lists, list-dominated or negative-weight containers).
fn kept_nodes(page: &Page, stats: &Stats, scores: &[Option<f32>], selected: &[usize]) -> Vec<bool> {
    let nodes = &page.nodes;
    let mut kept = vec![false; nodes.len()];
    // A page of many sibling blocks selects them all: a lookup table, not a search per node.
    let mut is_selected = vec![false; nodes.len()];
    for &s in selected {
        kept[s] = !stats.pruned[s];
        is_selected[s] = true;
    }
    let first = selected.iter().copied().min().unwrap_or(0);
    let selected_chars: u32 = selected.iter().map(|&s| stats.chars[s]).sum();
    for i in (first + 1)..nodes.len() {
        let parent = nodes[i].parent as usize;
        if is_selected[i] || !kept[parent] {
            continue;
        }
        // An element holding half the article is a wrapper, whatever its name says
        // (`elementor-widget-theme-post-content`).
        let wrapper = stats.chars[i] * 2 >= selected_chars;
        kept[i] = !stats.pruned[i] && (wrapper || (!nodes[i].boilerplate && !cleaned(page, stats, scores, i)));
    }
    kept
}

/// Readability's `_cleanConditionally`, on the figures we keep.
fn cleaned(page: &Page, stats: &Stats, scores: &[Option<f32>], i: usize) -> bool {
    let n = &page.nodes[i];
    if !matches!(n.kind, Kind::Container | Kind::List | Kind::Table) {
        return false;
    }
    let weight = n.weight as f32;
    if weight + scores[i].unwrap_or(0.0) < 0.0 {
        return true;
    }
    if stats.commas[i] >= 10 {
        return false;
    }
    let density = stats.link_density(i);
    let is_list = n.kind == Kind::List;
    let (paragraphs, items) = (stats.paragraphs[i], stats.items[i]);
    (!is_list && items > paragraphs + 100)
        || (!is_list && weight < 25.0 && density > 0.2)
        || (weight >= 25.0 && density > 0.5)
        || (is_list && density > 0.5)
}

/// The top candidates of a page with their ancestry, for looking into a page's result.
pub(crate) fn explain(page: &Page, needle: Option<&str>) -> String {
    use std::fmt::Write;
    let stats = Stats::of(page);
    let scores = scores(page, &stats);
    let mut ranked: Vec<(usize, f32)> = scores.iter().enumerate().filter_map(|(i, s)| s.map(|s| (i, s))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out = String::new();
    for b in page.blocks.iter().filter(|b| needle.is_some_and(|n| page.block_text(b).contains(n))) {
        let _ = writeln!(out, "block in {}: {}", b.node, page.block_text(b).chars().take(80).collect::<String>());
        ranked.insert(0, (b.node as usize, f32::NAN));
    }
    let top = top_candidate(page, &stats, &scores);
    let _ = writeln!(out, "top {top:?} selected {:?}", top.map(|t| with_siblings(page, &stats, &scores, t)));
    for &(i, s) in ranked.iter().take(6) {
        let _ = writeln!(
            out,
            "{i} score {s:.1} chars {} links {} pruned {}",
            stats.chars[i], stats.link_chars[i], stats.pruned[i]
        );
        let mut n = i;
        loop {
            let node = &page.nodes[n];
            let _ = writeln!(
                out,
                "    {n} <{} {}> w {} pruned {} boilerplate {}",
                node.name,
                node.attrs.trim().chars().take(100).collect::<String>(),
                node.weight,
                stats.pruned[n],
                node.boilerplate
            );
            if n == 0 {
                break;
            }
            n = node.parent as usize;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::parse;

    fn own(html: &str) -> OwnBody {
        own_body(&parse(html))
    }

    const PARAGRAPHS: [&str; 4] = [
        "The foreign ministers of the two countries met in Geneva on Monday, the first such meeting in three years, and agreed to reopen talks on trade.",
        "Officials said the talks would cover tariffs, fishing rights and the rules for investment, and that a first round could start before the end of the year.",
        "Neither side gave a date for the next meeting, but both said the mood had been good, and that their leaders would speak by telephone next week.",
        "Observers in Brussels, Tokyo and Washington welcomed the meeting, while warning that the gap between the two sides on farm goods was still wide.",
    ];

    fn article_page() -> String {
        format!(
            r#"<!DOCTYPE html><html><head><title>Talks resume | The Daily</title></head><body>
<header class="site-header"><a href="/">The Daily</a><nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li></ul></nav></header>
<div class="layout has-sidebar">
<main><article class="story">
<h1>Ministers agree to reopen trade talks</h1>
<div class="byline">By A. Reporter, 7 March 2024</div>
<div class="share-bar"><a href="https://facebook.com/share">Share on Facebook</a> <a href="https://x.com/share">Share on X</a> Share this story with your friends and family today</div>
<div class="story-body">
<p>{}</p>
<p>{}</p>
<h2>What comes next</h2>
<p>{}</p>
<div class="ad-slot">Advertisement: buy the best new phones at amazing prices from our partners today</div>
<p>{}</p>
</div>
<div class="related-stories"><h3>Related</h3><ul>
<li><a href="/a">Fishing fleets wait for a deal on quotas in the North Sea, officials say</a></li>
<li><a href="/b">Tariffs on steel are to rise again next month, the ministry announced on Friday</a></li></ul></div>
<div class="newsletter-signup"><p>Sign up to our newsletter for the best stories of the day, every day, straight into your inbox, for free.</p></div>
</article>
<section id="comments" class="comments-area"><h2>12 comments</h2>
<div class="comment"><p>I think this is a very good development for both of the countries involved, and I hope it lasts for a long time.</p></div>
<div class="comment"><p>Nothing will come of it, as usual; they have met many times before and it never leads to anything at all, sadly.</p></div>
</section></main>
<aside class="sidebar"><h2>Most read</h2><p>A story about something else entirely that many people read today, with a long teaser text.</p></aside>
</div>
<footer><p>Copyright 2024 The Daily. All rights reserved. Contact us, privacy policy and terms of use.</p></footer>
</body></html>"#,
            PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[3]
        )
    }

    #[test]
    fn keeps_headings_and_paragraphs_in_order() {
        let body = own(&article_page());
        assert!(body.trusted, "{body:?}");
        let expected = format!(
            "{}\n\n{}\n\nWhat comes next\n\n{}\n\n{}",
            PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[3]
        );
        assert_eq!(body.text, expected);
    }

    #[test]
    fn drops_navigation_share_bars_related_lists_comments_and_footers() {
        let text = own(&article_page()).text;
        for boilerplate in [
            "World",
            "Share on",
            "Share this",
            "Fishing fleets",
            "Sign up",
            "very good development",
            "Most read",
            "Copyright",
            "Advertisement",
            "Ministers agree",
            "A. Reporter",
        ] {
            assert!(!text.contains(boilerplate), "{boilerplate:?} in {text}");
        }
    }

    #[test]
    fn an_article_split_across_containers_is_whole() {
        let page = format!(
            r#"<body><nav><a href="/">Home</a></nav><div class="article">
<div class="text-block"><p>{}</p><p>{}</p></div>
<div class="promo"><a href="/sub">Subscribe now for one euro a month, cancel at any time</a></div>
<div class="text-block"><p>{}</p><p>{}</p></div></div></body>"#,
            PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[3]
        );
        let body = own(&page);
        assert_eq!(body.text, PARAGRAPHS.join("\n\n"));
        assert!(body.trusted);
    }

    #[test]
    fn blocks_have_no_outer_spaces() {
        let body =
            own(&format!("<body><div><p>\n  <b> {} </b> </p>\n<p>  {}  </p></div>", PARAGRAPHS[0], PARAGRAPHS[1]));
        assert_eq!(body.text, PARAGRAPHS[..2].join("\n\n"));
    }

    #[test]
    fn text_in_divs_and_line_breaks_makes_paragraphs() {
        let page =
            format!("<body><div id=main>{}<br><br>{}<br>{}</div></body>", PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2]);
        assert_eq!(own(&page).text, PARAGRAPHS[..3].join("\n\n"));
    }

    #[test]
    fn empty_and_textless_pages_give_nothing_untrusted() {
        for page in [
            "",
            "<html></html>",
            "<body><nav><a href=/>Home</a></nav></body>",
            "no markup at all",
            "<script>var a = '<p>x</p>';</script>",
        ] {
            let body = own(page);
            assert!(body.text.is_empty() || !body.trusted, "{page:?}: {body:?}");
        }
    }

    #[test]
    fn little_text_is_not_trusted() {
        let body = own("<body><p>A short note of only a few words, and nothing else on the page.</p></body>");
        assert!(!body.trusted);
        assert_eq!(body.text, "A short note of only a few words, and nothing else on the page.");
    }

    #[test]
    fn broken_markup_does_not_panic_and_keeps_text() {
        let page = format!(
            "<body><div><p>{}<p>{}</b></i></span></div></div></div><p>{}<li>{}<table><td>x",
            PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[3]
        );
        let text = own(&page).text;
        for p in &PARAGRAPHS[..3] {
            assert!(text.contains(p), "{text}");
        }
    }

    /// Random tag soup: every prefix of a page and pages of random pieces must not panic.
    #[test]
    fn random_tag_soup_does_not_panic() {
        let page = article_page();
        for end in (0..page.len()).filter(|&i| page.is_char_boundary(i)).step_by(7) {
            let _ = own(&page[..end]);
        }
        const PIECES: [&str; 24] = [
            "<p>",
            "</p>",
            "<div class=\"article\">",
            "</div>",
            "<a href='x'>",
            "</a>",
            "<li>",
            "<ul>",
            "</ul>",
            "<br>",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "&amp;",
            "&#x",
            "&#99999999;",
            "<h2>",
            "</h3>",
            "<td>",
            "<\u{e9}",
            "text, with commas, ",
            "ünïcødé 💩 ",
            "<nav><footer class=share>",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..300 {
            let mut soup = String::new();
            for _ in 0..60 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                soup.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            let _ = own(&soup);
            let _ = crate::meta::meta_of(&parse(&soup));
        }
    }
}
