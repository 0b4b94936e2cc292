//! A forgiving HTML tag scanner: start tags, end tags, text and the raw contents of `<script>`,
//! `<style>` and the like, in one pass over the bytes with no tree and no allocation. It does not
//! build a DOM; `page.rs` keeps the little structure extraction needs.
//!
//! Anything that is not a well-formed tag is passed through as text, as a browser would, and the
//! scanner never fails: at worst an unclosed tag or comment runs to the end of the page.

use memchr::{memchr, memchr3, memmem};

/// One piece of the page.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Start {
        name: &'a str,
        attrs: &'a str,
        self_closing: bool,
    },
    End {
        name: &'a str,
    },
    Text(&'a str),
    /// The contents of a raw-text element (script, style, title, textarea, ...), given right after
    /// its start tag; its end tag follows.
    Raw(&'a str),
}

/// Elements whose contents are not markup: the scanner looks only for their end tag.
const RAW_TEXT: [&str; 11] =
    ["script", "style", "title", "textarea", "noscript", "iframe", "xmp", "noembed", "noframes", "svg", "math"];

/// `<svg>` and `<math>`: raw text to extraction, markup to a browser.
fn is_foreign(name: &str) -> bool {
    name == "svg" || name == "math"
}

/// Whether the scanner gives the contents of element `name` as one [`Token::Raw`].
pub(crate) fn is_raw_text(name: &str) -> bool {
    RAW_TEXT.iter().any(|r| r.eq_ignore_ascii_case(name))
}

pub(crate) struct Tokenizer<'a> {
    html: &'a str,
    pos: usize,
    /// Set after the start tag of a raw-text element: the end tag to look for.
    raw: Option<&'a str>,
    /// Whether `<svg>` and `<math>` hold raw text (extraction skips them whole) or markup (a
    /// browser builds their elements into the tree, and the depth estimate must see them).
    foreign_raw: bool,
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(html: &'a str) -> Self {
        Tokenizer { html, pos: 0, raw: None, foreign_raw: true }
    }

    /// A scanner that gives the elements inside `<svg>` and `<math>` as tags.
    pub(crate) fn with_foreign_markup(html: &'a str) -> Self {
        Tokenizer { html, pos: 0, raw: None, foreign_raw: false }
    }

    fn raw_contents(&mut self, name: &'a str) -> Token<'a> {
        let rest = &self.html.as_bytes()[self.pos..];
        let end = find_end_tag(rest, name.as_bytes()).unwrap_or(rest.len());
        let text = &self.html[self.pos..self.pos + end];
        self.pos += end;
        Token::Raw(text)
    }

    /// The tag starting at `self.pos` (a `<`), or None when it is not a tag (then it is text).
    fn tag(&mut self) -> Option<Token<'a>> {
        let bytes = self.html.as_bytes();
        let start = self.pos;
        let next = *bytes.get(start + 1)?;
        if next == b'!' || next == b'?' {
            self.pos = skip_declaration(bytes, start);
            return Some(Token::Text(""));
        }
        let closing = next == b'/';
        let name_start = start + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            return None;
        }
        let name_end = name_start
            + bytes[name_start..].iter().position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>').unwrap_or(0);
        if name_end == name_start {
            return None; // `<p` at the very end of the page
        }
        let close = tag_end(bytes, name_end);
        let name = &self.html[name_start..name_end];
        self.pos = (close + 1).min(bytes.len());
        if closing {
            return Some(Token::End { name });
        }
        let inner_end = close.min(bytes.len());
        let self_closing = inner_end > name_end && bytes[inner_end - 1] == b'/';
        let attrs = &self.html[name_end..inner_end - usize::from(self_closing)];
        if !self_closing
            && let Some(raw) = RAW_TEXT.iter().find(|r| r.eq_ignore_ascii_case(name))
            && (self.foreign_raw || !is_foreign(raw))
        {
            self.raw = Some(raw);
        }
        Some(Token::Start { name, attrs, self_closing })
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if let Some(name) = self.raw.take() {
            return Some(self.raw_contents(name));
        }
        let bytes = self.html.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        if bytes[self.pos] == b'<'
            && let Some(token) = self.tag()
        {
            return Some(token);
        }
        // Text up to the next `<` that is not the one we stand on.
        let from = self.pos;
        let end = memchr(b'<', &bytes[from + 1..]).map_or(bytes.len(), |p| from + 1 + p);
        self.pos = end;
        Some(Token::Text(&self.html[from..end]))
    }
}

/// The position of the `>` closing a tag whose name ends at `from`, skipping quoted attribute
/// values; the page's length when there is none.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(p) = memchr3(b'>', b'"', b'\'', &bytes[i..]) {
        let at = i + p;
        match bytes[at] {
            b'>' => return at,
            quote => {
                // Only a quote right after `=` opens a value; a stray one (`<a b=c'd>`) is text
                // of the tag and must not swallow the page.
                let before = bytes[from..at].iter().rposition(|b| !b.is_ascii_whitespace()).map(|p| bytes[from + p]);
                if before != Some(b'=') {
                    i = at + 1;
                    continue;
                }
                match memchr(quote, &bytes[at + 1..]) {
                    Some(q) => i = at + 1 + q + 1,
                    None => return bytes.len(),
                }
            }
        }
    }
    bytes.len()
}

/// Past a comment (`<!-- -->`), doctype or processing instruction starting at `start`. In
/// HTML, `<![CDATA[` opens no section: like any other `<!`, it is a bogus comment that ends at
/// the first `>`, as browsers (and html5ever, under the fallback extractor) read it. Reading it
/// to `]]>` hid the markup after it, and the fallback's depth check with it.
fn skip_declaration(bytes: &[u8], start: usize) -> usize {
    let rest = &bytes[start..];
    let end = if rest.starts_with(b"<!-->") {
        Some(5) // an empty comment, closed at once
    } else if rest.starts_with(b"<!--->") {
        Some(6)
    } else if rest.starts_with(b"<!--") {
        // A comment ends at `-->`, or at `--!>`, which browsers also accept.
        let body = &rest[4..];
        let close = |end: &[u8]| memmem::find(body, end).map(|p| 4 + p + end.len());
        match (close(b"-->"), close(b"--!>")) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    } else {
        memchr(b'>', rest).map(|p| p + 1)
    };
    start + end.unwrap_or(rest.len())
}

/// Where `</name` starts in `haystack` (ASCII case-insensitive).
fn find_end_tag(haystack: &[u8], name: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(p) = memmem::find(&haystack[i..], b"</") {
        let at = i + p;
        let after = &haystack[at + 2..];
        if after.len() >= name.len()
            && after[..name.len()].eq_ignore_ascii_case(name)
            && after.get(name.len()).is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

/// The attributes of a tag, as `(name, raw value)`; names keep their case.
pub(crate) fn attributes(attrs: &str) -> Attributes<'_> {
    Attributes { s: attrs, pos: 0 }
}

pub(crate) struct Attributes<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let b = self.s.as_bytes();
        loop {
            while self.pos < b.len() && (b[self.pos].is_ascii_whitespace() || b[self.pos] == b'/') {
                self.pos += 1;
            }
            if self.pos >= b.len() {
                return None;
            }
            let name_start = self.pos;
            while self.pos < b.len() && !b[self.pos].is_ascii_whitespace() && !matches!(b[self.pos], b'=' | b'/') {
                self.pos += 1;
            }
            let name = &self.s[name_start..self.pos];
            let mut i = self.pos;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] != b'=' {
                self.pos = i.max(self.pos);
                if name.is_empty() {
                    self.pos += 1;
                    continue;
                }
                return Some((name, ""));
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr(q, &b[i + 1..]).map_or(b.len(), |p| i + 1 + p);
                    self.pos = (end + 1).min(b.len());
                    &self.s[i + 1..end]
                }
                _ => {
                    let end = b[i..].iter().position(u8::is_ascii_whitespace).map_or(b.len(), |p| i + p);
                    self.pos = end;
                    &self.s[i..end]
                }
            };
            if name.is_empty() {
                continue;
            }
            return Some((name, value));
        }
    }
}

/// Appends `text` to `out` with entities decoded and whitespace runs collapsed to one space
/// (`pending_space` carries a space across calls, so that it is written only before more text,
/// and never before the first text after `out[..start]`).
pub(crate) fn push_text(text: &str, out: &mut String, start: usize, pending_space: &mut bool) {
    let mut rest = text;
    while !rest.is_empty() {
        let stop = rest.as_bytes().iter().position(|b| b.is_ascii_whitespace() || *b == b'&').unwrap_or(rest.len());
        if stop > 0 {
            if *pending_space && out.len() > start {
                out.push(' ');
            }
            *pending_space = false;
            out.push_str(&rest[..stop]);
        }
        rest = &rest[stop..];
        let Some(&b) = rest.as_bytes().first() else { break };
        if b == b'&' {
            let (decoded, used) = entity(rest);
            match decoded {
                Some(c) if c.is_whitespace() => *pending_space = true,
                Some('\u{AD}') => {} // a soft hyphen joins the halves of a word
                Some(c) => {
                    if *pending_space && out.len() > start {
                        out.push(' ');
                    }
                    *pending_space = false;
                    out.push(c);
                }
                None => {
                    if *pending_space && out.len() > start {
                        out.push(' ');
                    }
                    *pending_space = false;
                    out.push('&');
                }
            }
            rest = &rest[used..];
        } else {
            *pending_space = true;
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        }
    }
}

/// The text with entities decoded and whitespace collapsed.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_text(text, &mut out, 0, &mut false);
    out
}

/// The character of the entity at the start of `s` (which starts with `&`) and the bytes it
/// spans; `(None, 1)` when it is not one we know.
fn entity(s: &str) -> (Option<char>, usize) {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let digits_start = if hex { 3 } else { 2 };
        let digits = b[digits_start..]
            .iter()
            .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if digits == 0 || digits > 7 {
            return (None, 1);
        }
        let number = &s[digits_start..digits_start + digits];
        let code = u32::from_str_radix(number, if hex { 16 } else { 10 }).ok();
        let end = digits_start + digits + usize::from(b.get(digits_start + digits) == Some(&b';'));
        // Windows-1252 code points that pages write as numeric references to C1 controls.
        let c = code.map(|c| match c {
            0x91 => '‘',
            0x92 => '’',
            0x93 => '“',
            0x94 => '”',
            0x96 => '–',
            0x97 => '—',
            c => char::from_u32(c).unwrap_or('\u{FFFD}'),
        });
        return (c, end);
    }
    let name_len = b[1..].iter().take_while(|c| c.is_ascii_alphanumeric()).take(10).count();
    let name = &s[1..1 + name_len];
    match named_entity(name) {
        Some(c) => (Some(c), 1 + name_len + usize::from(b.get(1 + name_len) == Some(&b';'))),
        None => (None, 1),
    }
}

/// The named entities news pages use; others are left as written.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "shy" | "zwnj" | "zwj" => '\u{AD}',
        "rsquo" => '’',
        "lsquo" => '‘',
        "ldquo" => '“',
        "rdquo" => '”',
        "sbquo" => '‚',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "times" => '×',
        "divide" => '÷',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "prime" => '′',
        "Prime" => '″',
        "dagger" => '†',
        "iexcl" => '¡',
        "iquest" => '¿',
        "szlig" => 'ß',
        "aacute" => 'á',
        "eacute" => 'é',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "Aacute" => 'Á',
        "Eacute" => 'É',
        "Iacute" => 'Í',
        "Oacute" => 'Ó',
        "Uacute" => 'Ú',
        "agrave" => 'à',
        "egrave" => 'è',
        "igrave" => 'ì',
        "ograve" => 'ò',
        "ugrave" => 'ù',
        "Agrave" => 'À',
        "Egrave" => 'È',
        "acirc" => 'â',
        "ecirc" => 'ê',
        "icirc" => 'î',
        "ocirc" => 'ô',
        "ucirc" => 'û',
        "auml" => 'ä',
        "euml" => 'ë',
        "iuml" => 'ï',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "yuml" => 'ÿ',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "atilde" => 'ã',
        "otilde" => 'õ',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "aring" => 'å',
        "Aring" => 'Å',
        "aelig" => 'æ',
        "AElig" => 'Æ',
        "oslash" => 'ø',
        "Oslash" => 'Ø',
        "ordm" => 'º',
        "ordf" => 'ª',
        "acute" => '´',
        "uml" => '¨',
        "plusmn" => '±',
        "micro" => 'µ',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "minus" => '−',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(html: &str) -> Vec<Token<'_>> {
        Tokenizer::new(html).filter(|t| *t != Token::Text("")).collect()
    }

    #[test]
    fn tags_text_and_raw_contents() {
        let t = tokens(r#"<P class="a>b" id=x>Hi <b>there</b><br/><script>if (a<b) {}</script>!"#);
        assert_eq!(
            t,
            vec![
                Token::Start { name: "P", attrs: r#" class="a>b" id=x"#, self_closing: false },
                Token::Text("Hi "),
                Token::Start { name: "b", attrs: "", self_closing: false },
                Token::Text("there"),
                Token::End { name: "b" },
                Token::Start { name: "br", attrs: "", self_closing: true },
                Token::Start { name: "script", attrs: "", self_closing: false },
                Token::Raw("if (a<b) {}"),
                Token::End { name: "script" },
                Token::Text("!"),
            ]
        );
    }

    #[test]
    fn comments_stray_brackets_and_truncation() {
        let t = tokens("a <!-- <p>no</p> --> b < c <3 <!doctype html><p");
        assert_eq!(
            t,
            vec![Token::Text("a "), Token::Text(" b "), Token::Text("< c "), Token::Text("<3 "), Token::Text("<p")]
        );
        assert_eq!(tokens("<!-- never closed <p>x"), vec![]);
        assert_eq!(
            tokens("<script>never closed"),
            vec![Token::Start { name: "script", attrs: "", self_closing: false }, Token::Raw("never closed")]
        );
    }

    #[test]
    fn attributes_in_their_forms() {
        let a: Vec<_> = attributes(r#" class="x y" data-a='1' hidden id=main /"#).collect();
        assert_eq!(a, vec![("class", "x y"), ("data-a", "1"), ("hidden", ""), ("id", "main")]);
    }

    #[test]
    fn entities_and_whitespace() {
        assert_eq!(
            clean("  Japan&rsquo;s&nbsp;new\n\t role &amp; &#8220;x&#x201D; &bogus; &#150;"),
            "Japan’s new role & “x” &bogus; –"
        );
        assert_eq!(clean("AT&T &lt;3"), "AT&T <3");
    }
}
