//! How deep a browser-style HTML parser would nest a page, estimated in one linear pass of our
//! tag scanner, before the page is handed to a DOM crate.
//!
//! trafilatura (html5ever, scraper and its readability and jusText ports) walks the DOM with
//! recursion as deep as the page's nesting, and some of its walks cost the depth again per node:
//! 100k nested `<span>`s overflow the stack and 10k nested `<div>`s take seconds. Real news pages
//! nest a few dozen elements deep, so a page deeper than [`LIMITS.depth`] is not given to it.
//!
//! The estimate models the tree builder's rules that make a tree shallower or deeper than the
//! tags suggest (implied ends of `p`, `li`, cells and rows; end tags that are ignored because a
//! special element stands in the way; formatting elements such as `<b>` reopened after a block
//! closes them). Where the rules are more involved than this model, it errs high: an estimate may
//! refuse a strange page, but must never let a deep one through. The open elements are kept on a
//! stack that is never longer than the cap, so the pass costs at most `cap` steps per tag.

use crate::html::{Token, Tokenizer};

/// What a page may be, as a browser's tree, to be given to trafilatura.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Open elements, as a browser would nest them. News pages reach 10 to 50; the tree walks
    /// that recurse stay far inside any thread's stack.
    pub depth: usize,
    /// Its DOM costs about a kilobyte and ten microseconds per element (500k tiny paragraphs
    /// took 1.3 GB and 6 s); news pages have one or two thousand once scripts are gone.
    pub elements: usize,
    /// Elements weighed by their depth: some of its walks cost the depth again per element
    /// (40k paragraphs 250 deep took 3 s, about 0.3 µs per unit); news pages weigh under 50k.
    pub work: usize,
    /// Text bytes weighed by the depth they stand at: it serialises and re-reads a subtree's
    /// text for each enclosing element it scores, so 200 KB of text 150 elements deep took 8 s
    /// and 260 MB, and 3.6 MB took 3 minutes and 7.5 GB (a fuzzed page); a news page's 30 KB of
    /// text some 30 deep weighs about a million.
    pub text_work: usize,
}

pub(crate) const LIMITS: Limits = Limits { depth: 256, elements: 50_000, work: 1_000_000, text_work: 8_000_000 };

/// What a page would be as a browser's tree, when it is too much for a DOM crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TooComplex {
    /// It would nest more elements deep than the limit.
    Deep,
    /// It has more elements, or more elements weighed by depth, than the limits.
    Large,
}

/// Whether the page, parsed by a browser, would exceed the limits; stops at the first excess.
pub(crate) fn check(html: &str, limits: Limits) -> Result<(), TooComplex> {
    let mut scan = Scan::new(limits.depth);
    let (mut elements, mut work, mut text_work) = (0usize, 0usize, 0usize);
    for token in Tokenizer::with_foreign_markup(html) {
        match token {
            // In SVG and MathML `<path/>` is closed at once; in HTML the slash means nothing.
            Token::Start { self_closing: true, .. } if scan.in_foreign() => {}
            Token::Start { name, attrs, .. } => {
                if scan.start(name, attrs) {
                    return Err(TooComplex::Deep);
                }
            }
            Token::End { name } => {
                // A browser makes an element of a stray `</p>` (an empty `p`) or `</br>` (a
                // `br`): 864k stray `</p>`s are 864k elements (a fuzzed page, 14 s and 1.4 GB).
                if !scan.end_makes_element(name) {
                    scan.end(name);
                    continue;
                }
            }
            Token::Text(text) => {
                // Formatting a block closed is reopened around the text: it stands that deep.
                let depth = scan.stack.len() + scan.closed_formatting();
                text_work = text_work.saturating_add(text.len().saturating_mul(depth.max(1)));
                if text_work > limits.text_work {
                    return Err(TooComplex::Large);
                }
                continue;
            }
            Token::Raw(_) => continue,
        }
        elements += 1;
        work += scan.stack.len();
        if elements > limits.elements || work > limits.work {
            return Err(TooComplex::Large);
        }
    }
    Ok(())
}

/// Whether the page, parsed by a browser, would nest more than `cap` elements deep.
#[cfg(test)]
fn deeper_than(html: &str, cap: usize) -> bool {
    check(html, Limits { depth: cap, elements: usize::MAX, work: usize::MAX, text_work: usize::MAX })
        == Err(TooComplex::Deep)
}

/// An entry of the list of active formatting elements: a formatting element, or a marker that a
/// cell, caption or object starts (formatting is not reopened across it).
#[derive(Clone, Copy)]
enum Active<'a> {
    Formatting { name: &'a str, attrs: &'a str },
    Marker,
}

/// An open element and what it is to the tree builder's rules, worked out once when it opens.
#[derive(Clone, Copy)]
struct Open<'a> {
    name: &'a str,
    class: u32,
}

struct Scan<'a> {
    /// The open elements, outermost first.
    stack: Vec<Open<'a>>,
    /// Formatting elements a browser would reopen at the next text, even after a block closed
    /// them: each is a level of nesting that the stack alone does not show.
    active: Vec<Active<'a>>,
    /// Formatting entries in `active`, and formatting elements and SVG or MathML roots on the
    /// stack: counted as they come and go, so that no tag costs a walk to count them.
    active_formatting: usize,
    open_formatting: usize,
    open_foreign: usize,
    cap: usize,
}

impl<'a> Scan<'a> {
    fn new(cap: usize) -> Self {
        Scan {
            stack: Vec::with_capacity(64),
            active: Vec::new(),
            active_formatting: 0,
            open_formatting: 0,
            open_foreign: 0,
            cap,
        }
    }

    /// Opens an element; true when the page is now deeper than the cap.
    fn start(&mut self, name: &'a str, attrs: &'a str) -> bool {
        let class = classify(name);
        if class & (VOID | DOCUMENT) != 0 {
            return false; // no children, or merged into the document's own elements
        }
        self.close_implied(name, class);
        if class & CELL != 0 && !self.top_is(ROW) {
            if !self.top_is(ROW_GROUP) {
                self.push("tbody", ROW_GROUP | SPECIAL);
            }
            self.push("tr", ROW | SPECIAL);
        } else if class & ROW != 0 && !self.top_is(ROW_GROUP) {
            self.push("tbody", ROW_GROUP | SPECIAL);
        }
        if name.eq_ignore_ascii_case("a") {
            self.remove_active("a"); // a new link closes one still open
        }
        if class & FORMATTING != 0 {
            self.push_formatting(name, attrs);
        } else if class & MARKER != 0 {
            self.active.push(Active::Marker);
        }
        self.push(name, class);
        self.stack.len() + self.closed_formatting() > self.cap
    }

    fn push(&mut self, name: &'a str, class: u32) {
        self.open_formatting += usize::from(class & FORMATTING != 0);
        self.open_foreign += usize::from(class & FOREIGN != 0);
        self.stack.push(Open { name, class });
    }

    fn in_foreign(&self) -> bool {
        self.open_foreign > 0
    }

    fn top_is(&self, class: u32) -> bool {
        self.stack.last().is_some_and(|top| top.class & class != 0)
    }

    /// What a start tag closes: an open `p` (blocks), a list item (list items), a cell or row
    /// (cells and rows), an option (options).
    fn close_implied(&mut self, name: &str, class: u32) {
        if class & CLOSES_P != 0 {
            self.close_nearest(|o| o.name.eq_ignore_ascii_case("p"), |o| o.class & (SCOPE | BUTTON) != 0);
        }
        // A list item closes the open one unless a special element other than address, div or
        // p stands between them.
        if name.eq_ignore_ascii_case("li") {
            self.close_nearest(|o| o.name.eq_ignore_ascii_case("li"), |o| o.class & LI_STOP == SPECIAL);
        } else if class & DEFINITION != 0 {
            self.close_nearest(|o| o.class & DEFINITION != 0, |o| o.class & LI_STOP == SPECIAL);
        } else if class & CELL != 0 {
            self.close_nearest(|o| o.class & CELL != 0, |o| o.class & (ROW | TABLE_SCOPE) != 0);
        } else if class & ROW != 0 {
            self.close_nearest(|o| o.class & ROW != 0, |o| o.class & TABLE_SCOPE != 0);
        } else if class & OPTION != 0 {
            self.close_nearest(|o| o.class & OPTION != 0, |o| o.class & (SELECT | DOCUMENT) != 0);
        }
    }

    /// Pops to the nearest open element that `closes`, unless one that `stops` comes first.
    fn close_nearest(&mut self, closes: impl Fn(&Open) -> bool, stops: impl Fn(&Open) -> bool) {
        for i in (0..self.stack.len()).rev() {
            let open = self.stack[i];
            if closes(&open) {
                self.pop_to(i);
                return;
            }
            if stops(&open) {
                return;
            }
        }
    }

    /// An end tag. A block's end tag closes everything inside the block; any other end tag is
    /// ignored when a special element (div, p, li, ...) stands between it and its element, as a
    /// browser does. Formatting elements are taken out of the active list only by their own end
    /// tag, so that those a block closed are still counted.
    fn end(&mut self, name: &str) {
        let class = classify(name);
        let in_the_way = if class & TABLE_PART != 0 {
            TABLE_SCOPE // a table's end tags close its cells
        } else if class & SPECIAL != 0 {
            SCOPE
        } else {
            SPECIAL
        };
        for i in (0..self.stack.len()).rev() {
            let open = self.stack[i];
            if open.name.eq_ignore_ascii_case(name) {
                self.pop_to(i);
                break;
            }
            if open.class & in_the_way != 0 {
                return;
            }
        }
        if class & FORMATTING != 0 {
            self.remove_active(name);
        }
    }

    /// Whether an end tag makes an element instead of closing one: `</br>`, and `</p>` with no
    /// `p` open in button scope.
    fn end_makes_element(&self, name: &str) -> bool {
        if name.eq_ignore_ascii_case("br") {
            return true;
        }
        if !name.eq_ignore_ascii_case("p") {
            return false;
        }
        for open in self.stack.iter().rev() {
            if open.name.eq_ignore_ascii_case("p") {
                return false;
            }
            if open.class & (SCOPE | BUTTON) != 0 {
                return true;
            }
        }
        true
    }

    fn pop_to(&mut self, len: usize) {
        for open in self.stack.drain(len..).rev() {
            self.open_formatting -= usize::from(open.class & FORMATTING != 0);
            self.open_foreign -= usize::from(open.class & FOREIGN != 0);
            if open.class & MARKER != 0 {
                clear_to_marker(&mut self.active, &mut self.active_formatting);
            }
        }
    }

    /// Adds a formatting element; as browsers do, a fourth identical one since the last marker
    /// (same name and attributes) pushes out the earliest.
    fn push_formatting(&mut self, name: &'a str, attrs: &'a str) {
        let since = self.active.iter().rposition(|a| matches!(a, Active::Marker)).map_or(0, |m| m + 1);
        let same = |a: &Active| matches!(a, Active::Formatting { name: n, attrs: t } if n.eq_ignore_ascii_case(name) && *t == attrs);
        let identical = self.active[since..].iter().filter(|a| same(a)).count();
        if identical >= 3
            && let Some(earliest) = self.active[since..].iter().position(same)
        {
            self.active.remove(since + earliest);
            self.active_formatting -= 1;
        }
        self.active.push(Active::Formatting { name, attrs });
        self.active_formatting += 1;
    }

    fn remove_active(&mut self, name: &str) {
        let found = self.active.iter().rposition(|a| match a {
            Active::Formatting { name: n, .. } => n.eq_ignore_ascii_case(name),
            Active::Marker => false,
        });
        if let Some(i) = found {
            self.active.remove(i);
            self.active_formatting -= 1;
        }
    }

    /// Formatting elements a block closed, which the next text reopens: those in the active
    /// list beyond the ones still open.
    fn closed_formatting(&self) -> usize {
        self.active_formatting.saturating_sub(self.open_formatting)
    }
}

/// Closing a cell, caption or object forgets the formatting opened inside it.
fn clear_to_marker(active: &mut Vec<Active>, formatting: &mut usize) {
    while let Some(entry) = active.pop() {
        match entry {
            Active::Marker => return,
            Active::Formatting { .. } => *formatting -= 1,
        }
    }
}

// What an element is to the tree builder, as bits.
/// No contents: never open.
const VOID: u32 = 1;
/// `html`, `head`, `body`: the document's own, whatever the page writes.
const DOCUMENT: u32 = 1 << 1;
/// Reopened after a block closes it (`b`, `i`, `a`, ...).
const FORMATTING: u32 = 1 << 2;
/// Starts a marker in the list of active formatting elements (cells, captions, objects).
const MARKER: u32 = 1 << 3;
/// An end tag of another element does not close it (div, p, li, table, ...).
const SPECIAL: u32 = 1 << 4;
/// A block's end tag does not close anything outside it.
const SCOPE: u32 = 1 << 5;
/// Also a boundary when closing an open `p`.
const BUTTON: u32 = 1 << 6;
/// Its start tag closes an open `p`.
const CLOSES_P: u32 = 1 << 8;
const CELL: u32 = 1 << 9;
const ROW: u32 = 1 << 10;
const ROW_GROUP: u32 = 1 << 11;
/// `table`, `template`, `html`: where a table's parts stop looking.
const TABLE_SCOPE: u32 = 1 << 12;
/// Parts of a table, whose end tags close the cells inside them.
const TABLE_PART: u32 = 1 << 13;
/// `dd` and `dt`, whose start tags close each other.
const DEFINITION: u32 = 1 << 14;
const OPTION: u32 = 1 << 15;
const SELECT: u32 = 1 << 16;
/// `svg` and `math`, inside which `<x/>` is closed at once.
const FOREIGN: u32 = 1 << 17;
/// `address`, `div`, `p`: a new list item looks through them for an open one.
const LI_TRANSPARENT: u32 = 1 << 18;
const LI_STOP: u32 = SPECIAL | LI_TRANSPARENT;

/// What an element is, from its name (any case; an unknown or very long name is none of these).
fn classify(name: &str) -> u32 {
    let mut buf = [0u8; 12];
    if name.len() > buf.len() {
        return 0;
    }
    buf[..name.len()].copy_from_slice(name.as_bytes());
    buf[..name.len()].make_ascii_lowercase();
    match &buf[..name.len()] {
        b"area" | b"base" | b"basefont" | b"bgsound" | b"br" | b"col" | b"embed" | b"frame" | b"hr" | b"img"
        | b"input" | b"keygen" | b"link" | b"meta" | b"param" | b"source" | b"track" | b"wbr" => VOID,
        b"html" => DOCUMENT | SPECIAL | SCOPE | TABLE_SCOPE,
        b"head" | b"body" => DOCUMENT | SPECIAL,
        b"a" | b"b" | b"big" | b"code" | b"em" | b"font" | b"i" | b"nobr" | b"s" | b"small" | b"strike" | b"strong"
        | b"tt" | b"u" => FORMATTING,
        b"td" | b"th" => CELL | MARKER | SPECIAL | SCOPE | TABLE_PART,
        b"tr" => ROW | SPECIAL | TABLE_PART,
        b"tbody" | b"thead" | b"tfoot" => ROW_GROUP | SPECIAL | TABLE_PART,
        b"table" => SPECIAL | SCOPE | TABLE_SCOPE | TABLE_PART | CLOSES_P,
        b"caption" => MARKER | SPECIAL | SCOPE | TABLE_PART,
        b"template" => MARKER | SPECIAL | SCOPE | TABLE_SCOPE,
        b"applet" | b"marquee" | b"object" => MARKER | SPECIAL | SCOPE,
        b"button" => SPECIAL | BUTTON,
        b"ol" | b"ul" | b"dl" => SPECIAL | CLOSES_P,
        b"menu" | b"dir" => SPECIAL | CLOSES_P,
        b"dd" | b"dt" => SPECIAL | DEFINITION,
        b"li" => SPECIAL,
        b"option" | b"optgroup" => OPTION,
        b"select" => SPECIAL | SELECT,
        b"address" | b"div" | b"p" => SPECIAL | CLOSES_P | LI_TRANSPARENT,
        b"article" | b"aside" | b"blockquote" | b"center" | b"details" | b"dialog" | b"fieldset" | b"figcaption"
        | b"figure" | b"footer" | b"header" | b"hgroup" | b"main" | b"nav" | b"search" | b"section" | b"summary"
        | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" | b"pre" | b"listing" | b"form" | b"xmp" | b"plaintext" => {
            SPECIAL | CLOSES_P
        }
        b"svg" | b"math" => FOREIGN,
        b"colgroup" | b"frameset" | b"iframe" | b"noembed" | b"noframes" | b"noscript" | b"script" | b"style"
        | b"textarea" | b"title" => SPECIAL,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_over(html: &str) -> Option<usize> {
        (0..600).find(|&cap| !deeper_than(html, cap))
    }

    #[test]
    fn plain_nesting_counts_its_elements() {
        assert_eq!(depth_over("<div><div><span>x</span></div></div>"), Some(3));
        assert_eq!(depth_over(&"<div>".repeat(300)), Some(300));
        assert!(deeper_than(&"<span>".repeat(100_000), LIMITS.depth));
    }

    #[test]
    fn implied_ends_keep_ordinary_pages_shallow() {
        let unclosed = format!(
            "<div>{}",
            "<p>one<p>two<ul><li>a<li>b</ul><dl><dt>t<dd>d</dl><table><tr><td>x<td>y<tr><td>z</table>".repeat(400)
        );
        assert!(!deeper_than(&unclosed, 16), "{:?}", depth_over(&unclosed));
        let formatted = "<p><b>bold</b> and <a href=x>link</a>, <i>i</i></p>".repeat(1000);
        assert_eq!(depth_over(&formatted), Some(2));
    }

    #[test]
    fn end_tags_a_browser_ignores_do_not_make_a_page_shallow() {
        // `</span>` does not close the div a browser sees inside the span.
        assert!(deeper_than(&"<span><div></span>".repeat(1000), LIMITS.depth));
        // A formatting element closed by a block is reopened at the next text.
        let reopened: String = (0..1000).map(|i| format!("<p><b id={i}>x</p>")).collect();
        assert!(deeper_than(&reopened, LIMITS.depth));
        // ... but no more than three identical ones.
        assert!(!deeper_than(&"<p><b>x</p>".repeat(1000), 8));
    }

    #[test]
    fn elements_are_counted() {
        let limits = Limits { depth: 8, elements: 100, work: 1000, text_work: usize::MAX };
        assert_eq!(check(&"<p>x</p>".repeat(100), limits), Ok(()));
        assert_eq!(check(&"<p>x</p>".repeat(101), limits), Err(TooComplex::Large));
        assert_eq!(check(&"<b>".repeat(50), limits), Err(TooComplex::Deep));
        // 6 wrappers (21 units of work) and 60 elements 7 deep (420).
        let deep = format!("{}{}", "<div>".repeat(6), "<p>x</p>".repeat(60));
        assert_eq!(check(&deep, Limits { work: 400, ..limits }), Err(TooComplex::Large));
        assert_eq!(check(&deep, Limits { work: 500, ..limits }), Ok(()));
    }

    #[test]
    fn stray_end_tags_that_make_elements_are_counted() {
        let limits = Limits { depth: 8, elements: 100, work: usize::MAX, text_work: usize::MAX };
        assert_eq!(check(&"</p>".repeat(100), limits), Ok(()));
        assert_eq!(check(&"</p>".repeat(101), limits), Err(TooComplex::Large), "each stray </p> is an empty p");
        assert_eq!(check(&"</br>".repeat(101), limits), Err(TooComplex::Large));
        assert_eq!(check(&"<p>x</p>".repeat(50), limits), Ok(()), "a </p> that closes a p makes nothing");
    }

    #[test]
    fn text_is_weighed_by_the_depth_it_stands_at() {
        let limits = Limits { text_work: 10_000, ..LIMITS };
        let text = "x".repeat(1000);
        // 1,000 bytes 5 deep, then 100 deep (the same text inside 95 more elements).
        assert_eq!(check(&format!("{}{text}", "<div>".repeat(5)), limits), Ok(()));
        assert_eq!(check(&format!("{}{text}", "<div>".repeat(100)), limits), Err(TooComplex::Large));
        // Formatting a block closed is reopened around the text, so it counts too.
        let reopened = format!("{}{text}", "<p><b class=a><i class=b><u class=c><s class=d></p>".repeat(3));
        assert_eq!(check(&reopened, Limits { text_work: 11_999, ..limits }), Err(TooComplex::Large));
    }

    #[test]
    fn markup_inside_svg_and_math_counts() {
        let svg = format!("<svg>{}</svg>", "<g>".repeat(1000));
        assert!(deeper_than(&svg, LIMITS.depth));
        assert!(deeper_than(&format!("<math>{}", "<mrow>".repeat(1000)), LIMITS.depth));
        assert!(!deeper_than(&format!("<script>{}</script>", "<div>".repeat(1000)), 4));
    }
}
