//! The little structure of a page that extraction needs, from one pass of the tag scanner:
//! block elements (a tree of `Node`s with their class/id verdict), the text of each block
//! (`Block`: a paragraph, heading, list item, cell or a run of text directly in a div) with how
//! much of it is link text, and the tags the metadata reader wants (meta, link, time, title,
//! JSON-LD), so that the page is scanned once for both.
//!
//! Implied end tags are handled the way browsers do for the common cases (`<p>` closed by a
//! block, `<li>` by the next `<li>`, cells and rows by the next one); an end tag without a
//! matching open element is ignored.

use crate::html::{Token, Tokenizer, attributes, is_raw_text, push_text};
use crate::vocabulary::class_verdict;

/// What an element is to extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `b`, `span`, ...: part of the text around it.
    Inline,
    /// `a`: inline, and its text counts as link text.
    Link,
    Paragraph,
    Heading,
    ListItem,
    List,
    Quote,
    Pre,
    Cell,
    Table,
    Figure,
    /// div, section, article and unknown elements: they break text into blocks.
    Container,
    /// nav, footer, aside, form, button, ...: never article text.
    Boilerplate,
}

impl Kind {
    pub(crate) fn is_block(self) -> bool {
        !matches!(self, Kind::Inline | Kind::Link)
    }
}

/// An element that breaks text into blocks.
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    pub name: &'a str,
    pub attrs: &'a str,
    pub parent: u32,
    pub kind: Kind,
    /// Readability-style weight of its class and id: +25 article-like, -25 boilerplate-like.
    pub weight: i32,
    /// Boilerplate by tag (nav, footer, form, ...) or hidden. Not inherited here: the extractor
    /// decides whether it covers the subtree (a page-wide `<form>` or `<header>` left open must
    /// not take the article with it).
    pub strong: bool,
    /// Its class or id names boilerplate (`share-bar`, `related`). Not inherited: a site-wide
    /// wrapper with `has-sidebar` among its classes would otherwise take the article with it;
    /// the extractor applies it inside the article it chose.
    pub boilerplate: bool,
    /// Marked `itemprop="articleBody"` (schema.org microdata): the page says this is the body.
    pub article_body: bool,
    /// Text and link text in its subtree, in bytes (filled by `Page::total`).
    pub text: u32,
    pub links: u32,
}

/// A run of text inside one block element.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub node: u32,
    pub start: u32,
    pub end: u32,
    pub link_bytes: u32,
    /// 1 to 6 in a heading, else 0.
    pub heading_level: u8,
}

impl Block {
    pub(crate) fn bytes(&self) -> u32 {
        self.end - self.start
    }
}

/// The metadata-bearing tags: `(tag, attributes)` for meta, link, html and time, in page order.
#[derive(Debug, Default)]
pub(crate) struct HeadParts<'a> {
    pub tags: Vec<(&'static str, &'a str)>,
    pub title: Option<&'a str>,
    pub json_ld: Vec<&'a str>,
}

#[derive(Debug, Default)]
pub(crate) struct Page<'a> {
    pub nodes: Vec<Node<'a>>,
    pub blocks: Vec<Block>,
    /// All block texts, one after another; blocks hold ranges into it.
    pub text: String,
    pub head: HeadParts<'a>,
}

impl Page<'_> {
    pub(crate) fn block_text(&self, b: &Block) -> &str {
        &self.text[b.start as usize..b.end as usize]
    }

    /// The first `<h1>`'s text.
    pub(crate) fn first_h1(&self) -> Option<&str> {
        self.blocks.iter().find(|b| b.heading_level == 1).map(|b| self.block_text(b))
    }
}

/// An element open on the stack.
struct Open<'a> {
    name: &'a str,
    kind: Kind,
    /// The block node it is or is inside.
    node: u32,
}

struct Builder<'a> {
    page: Page<'a>,
    stack: Vec<Open<'a>>,
    links_open: u32,
    block_start: usize,
    link_bytes: u32,
    pending_space: bool,
}

/// Scans the page once.
pub(crate) fn parse(html: &str) -> Page<'_> {
    let mut b = Builder {
        page: Page::default(),
        stack: Vec::with_capacity(64),
        links_open: 0,
        block_start: 0,
        link_bytes: 0,
        pending_space: false,
    };
    b.page.text.reserve(html.len() / 8);
    b.page.nodes.push(Node {
        name: "#document",
        attrs: "",
        parent: 0,
        kind: Kind::Container,
        weight: 0,
        strong: false,
        article_body: false,
        boilerplate: false,
        text: 0,
        links: 0,
    });
    let mut tokens = Tokenizer::new(html);
    while let Some(token) = tokens.next() {
        match token {
            Token::Text(t) => b.text(t),
            Token::Start { name, attrs, self_closing } => {
                let raw = if !self_closing && is_raw_text(name) { tokens.next() } else { None };
                let raw = match raw {
                    Some(Token::Raw(r)) => Some(r),
                    _ => None,
                };
                b.start(name, attrs, self_closing, raw);
            }
            Token::End { name } => b.end(name),
            Token::Raw(_) => {}
        }
    }
    b.flush();
    b.total();
    b.page
}

impl<'a> Builder<'a> {
    fn current_node(&self) -> u32 {
        self.stack.last().map_or(0, |o| o.node)
    }

    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        let before = self.page.text.len();
        push_text(t, &mut self.page.text, self.block_start, &mut self.pending_space);
        if self.links_open > 0 {
            self.link_bytes += (self.page.text.len() - before) as u32;
        }
    }

    /// Ends the current block of text, if it has any.
    fn flush(&mut self) {
        let end = self.page.text.len();
        if end > self.block_start {
            let node = self.current_node();
            let heading_level =
                self.stack.iter().rev().find(|o| o.kind.is_block()).and_then(|o| heading_level(o.name)).unwrap_or(0);
            self.page.blocks.push(Block {
                node,
                start: self.block_start as u32,
                end: end as u32,
                link_bytes: self.link_bytes.min((end - self.block_start) as u32),
                heading_level,
            });
        }
        self.block_start = end;
        self.link_bytes = 0;
        self.pending_space = false;
    }

    fn start(&mut self, name: &'a str, attrs: &'a str, self_closing: bool, raw: Option<&'a str>) {
        let lower = Lower::new(name);
        let tag = lower.as_str();
        if let Some(raw) = raw {
            self.raw(tag, attrs, raw);
            return;
        }
        match tag {
            "meta" | "link" | "html" | "time" => {
                let t: &'static str = match tag {
                    "meta" => "meta",
                    "link" => "link",
                    "html" => "html",
                    _ => "time",
                };
                self.page.head.tags.push((t, attrs));
                if t != "time" {
                    return;
                }
            }
            "head" => return, // browsers close it at the first body content; keeping it open would swallow the page
            "br" | "hr" => {
                self.flush();
                return;
            }
            _ if is_void(tag) => return,
            _ => {}
        }
        let kind = kind_of(tag);
        if kind.is_block() {
            self.close_implied(tag, kind);
            self.flush();
        }
        if self_closing {
            return; // browsers would open it, but pages that write `<div/>` or `<a/>` mean it empty
        }
        let node = if kind.is_block() { self.new_node(name, kind, attrs) } else { self.current_node() };
        if kind == Kind::Link {
            self.links_open += 1;
        }
        self.stack.push(Open { name, kind, node });
        if self.stack.len() > 512 {
            // Pathological nesting (unclosed inline tags by the thousand): fold it.
            self.pop_to(256);
        }
    }

    /// Script, style, title and the rest: only JSON-LD and the title matter.
    fn raw(&mut self, tag: &str, attrs: &'a str, raw: &'a str) {
        match tag {
            "title" if self.page.head.title.is_none() => self.page.head.title = Some(raw),
            "script"
                if attributes(attrs).any(|(k, v)| {
                    k.eq_ignore_ascii_case("type") && v.trim().eq_ignore_ascii_case("application/ld+json")
                }) =>
            {
                self.page.head.json_ld.push(raw)
            }
            _ => {}
        }
    }

    fn new_node(&mut self, name: &'a str, kind: Kind, attrs: &'a str) -> u32 {
        let parent = self.current_node();
        let verdict = if attrs.is_empty() { ElementVerdict::default() } else { element_verdict(attrs) };
        let strong = kind == Kind::Boilerplate || verdict.hidden;
        let boilerplate = verdict.boilerplate && !verdict.article_body;
        let article_body = verdict.article_body;
        self.page.nodes.push(Node {
            name,
            attrs,
            parent,
            kind,
            weight: verdict.weight,
            article_body,
            strong,
            boilerplate,
            text: 0,
            links: 0,
        });
        (self.page.nodes.len() - 1) as u32
    }

    /// Closes what a new block element implicitly closes: an open `<p>`, and a list item, cell
    /// or row when a sibling of the same kind starts.
    fn close_implied(&mut self, tag: &str, kind: Kind) {
        let stop_at = |o: &Open| -> bool {
            match kind {
                Kind::ListItem => matches!(o.kind, Kind::List | Kind::Table),
                Kind::Cell => o.kind == Kind::Table || o.name.eq_ignore_ascii_case("tr"),
                _ if tag == "tr" => o.kind == Kind::Table && !o.name.eq_ignore_ascii_case("tr"),
                _ => o.kind.is_block() && o.kind != Kind::Paragraph,
            }
        };
        let closes = |o: &Open| -> bool {
            match kind {
                Kind::ListItem => o.kind == Kind::ListItem || o.kind == Kind::Paragraph,
                Kind::Cell => o.kind == Kind::Cell || o.kind == Kind::Paragraph,
                _ if tag == "tr" => o.name.eq_ignore_ascii_case("tr") || o.kind == Kind::Cell,
                _ => o.kind == Kind::Paragraph,
            }
        };
        let mut found = None;
        for (i, o) in self.stack.iter().enumerate().rev() {
            if closes(o) {
                found = Some(i);
            } else if stop_at(o) {
                break;
            }
        }
        if let Some(i) = found {
            self.flush();
            self.pop_to(i);
        }
    }

    fn end(&mut self, name: &str) {
        let found = self.stack.iter().rposition(|o| o.name.eq_ignore_ascii_case(name));
        match found {
            Some(i) => {
                if self.stack[i..].iter().any(|o| o.kind.is_block()) {
                    self.flush();
                }
                self.pop_to(i);
            }
            // `</p>` and `</br>` without an opening make a break in browsers.
            None if name.eq_ignore_ascii_case("p") || name.eq_ignore_ascii_case("br") => self.flush(),
            None => {}
        }
    }

    fn pop_to(&mut self, len: usize) {
        for o in self.stack.drain(len..) {
            if o.kind == Kind::Link {
                self.links_open = self.links_open.saturating_sub(1);
            }
        }
    }

    /// Sums block text up the tree: nodes come after their parents, so one backward pass does.
    fn total(&mut self) {
        for b in &self.page.blocks {
            let n = &mut self.page.nodes[b.node as usize];
            n.text += b.bytes();
            n.links += b.link_bytes;
        }
        for i in (1..self.page.nodes.len()).rev() {
            let (text, links, parent) = {
                let n = &self.page.nodes[i];
                (n.text, n.links, n.parent as usize)
            };
            self.page.nodes[parent].text += text;
            self.page.nodes[parent].links += links;
        }
    }
}

/// The verdict of an element's class, id and hiding attributes.
fn element_verdict(attrs: &str) -> ElementVerdict {
    let mut verdict = ElementVerdict::default();
    for (k, v) in attributes(attrs) {
        if k.eq_ignore_ascii_case("class") || k.eq_ignore_ascii_case("id") {
            let v = class_verdict(v);
            verdict.weight += v.weight;
            verdict.boilerplate |= v.boilerplate;
        } else if k.eq_ignore_ascii_case("hidden")
            || (k.eq_ignore_ascii_case("style") && is_display_none(v))
            || (k.eq_ignore_ascii_case("role")
                && matches!(v, "navigation" | "complementary" | "contentinfo" | "banner"))
        {
            verdict.hidden = true;
        } else if k.eq_ignore_ascii_case("itemprop") && v.split_ascii_whitespace().any(|p| p == "articleBody") {
            verdict.article_body = true;
        }
    }
    verdict
}

#[derive(Default)]
struct ElementVerdict {
    weight: i32,
    article_body: bool,
    boilerplate: bool,
    hidden: bool,
}

fn is_display_none(style: &str) -> bool {
    let squeezed: String = style.chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.to_ascii_lowercase().contains("display:none")
}

/// A tag name in lower case, without allocating for names of usual length.
struct Lower {
    buf: [u8; 16],
    len: usize,
}

impl Lower {
    fn new(name: &str) -> Self {
        let mut buf = [0u8; 16];
        let len = name.len().min(16);
        buf[..len].copy_from_slice(&name.as_bytes()[..len]);
        buf[..len].make_ascii_lowercase();
        // A longer name is cut, which only ever makes it an unknown element.
        Lower { buf, len }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "col"
            | "embed"
            | "img"
            | "input"
            | "keygen"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "meta"
            | "link"
    )
}

fn heading_level(name: &str) -> Option<u8> {
    let b = name.as_bytes();
    (b.len() == 2 && b[0].eq_ignore_ascii_case(&b'h') && (b'1'..=b'6').contains(&b[1])).then(|| b[1] - b'0')
}

fn kind_of(tag: &str) -> Kind {
    match tag {
        "a" => Kind::Link,
        "b" | "i" | "em" | "strong" | "span" | "font" | "u" | "s" | "small" | "big" | "sup" | "sub" | "abbr"
        | "cite" | "q" | "mark" | "code" | "kbd" | "samp" | "var" | "dfn" | "time" | "data" | "bdi" | "bdo" | "del"
        | "ins" | "tt" | "strike" | "nobr" | "acronym" | "label" | "wbr" | "picture" => Kind::Inline,
        "p" => Kind::Paragraph,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
        "li" | "dt" | "dd" => Kind::ListItem,
        "ul" | "ol" | "dl" | "menu" => Kind::List,
        "blockquote" => Kind::Quote,
        "pre" => Kind::Pre,
        "td" | "th" => Kind::Cell,
        "table" | "tbody" | "thead" | "tfoot" | "tr" => Kind::Table,
        "figure" | "figcaption" => Kind::Figure,
        "nav" | "footer" | "aside" | "form" | "button" | "select" | "header" | "template" | "dialog" | "fieldset"
        | "video" | "audio" | "canvas" | "object" | "map" => Kind::Boilerplate,
        _ => Kind::Container,
    }
}
