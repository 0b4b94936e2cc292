//! Bytes to text: byte-order marks, declared charsets, and detection for the rest, so a
//! Latin-1 or Windows-1252 file comes out right rather than as replacement characters.

use encoding_rs::Encoding;
use regex::bytes::Regex;
use std::sync::LazyLock;

/// Why bytes could not be taken as text.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeProblem {
    Empty,
    Binary,
}

/// Decoded text and, when the bytes were not clean UTF-8, a note saying what was done.
pub struct Decoded {
    pub text: String,
    pub note: Option<String>,
}

/// Decodes `bytes`, honouring a byte-order mark first, then a charset the document declares,
/// then UTF-8, then a detected legacy encoding.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<Decoded, DecodeProblem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeProblem::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded { text: text.into_owned(), note: None });
    }
    if looks_binary(bytes) {
        return Err(DecodeProblem::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: text.to_string(), note: None });
    }
    if let Some(encoding) = declared.and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        && encoding != encoding_rs::UTF_8
    {
        let (text, _, _) = encoding.decode(bytes);
        return Ok(Decoded { text: text.into_owned(), note: None });
    }
    let (invalid, multibyte) = utf8_damage(bytes);
    if multibyte >= invalid * 4 {
        // Mostly UTF-8 with a few broken sequences: re-reading it as a legacy encoding would
        // garble every good character to save a few bad ones.
        let text = String::from_utf8_lossy(bytes).into_owned();
        let note = format!("{invalid} invalid UTF-8 sequence(s) replaced with U+FFFD");
        return Ok(Decoded { text, note: Some(note) });
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, false);
    let (text, _, _) = encoding.decode(bytes);
    let note = format!("not UTF-8; decoded as {} (detected)", encoding.name());
    Ok(Decoded { text: text.into_owned(), note: Some(note) })
}

/// NUL bytes or many control characters in the first few kilobytes mean this is not text.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    control * 20 > head.len()
}

/// Counts invalid UTF-8 sequences and valid multi-byte characters.
fn utf8_damage(mut bytes: &[u8]) -> (usize, usize) {
    let (mut invalid, mut multibyte) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                return (invalid, multibyte + s.chars().filter(|c| c.len_utf8() > 1).count());
            }
            Err(e) => {
                let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
                multibyte += good.chars().filter(|c| c.len_utf8() > 1).count();
                invalid += 1;
                let skip = e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
                bytes = &bytes[e.valid_up_to() + skip..];
            }
        }
    }
}

/// The charset an HTML page declares in its first kilobytes (`<meta charset>` or
/// `http-equiv` Content-Type), as the HTML standard's prescan looks for it.
pub fn declared_html_charset(bytes: &[u8]) -> Option<String> {
    static META: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)"#).expect("compiles"));
    let head = &bytes[..bytes.len().min(4096)];
    let caps = META.captures(head)?;
    Some(String::from_utf8_lossy(&caps[1]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_comes_out_right() {
        // "Élysée’s “view”" in Windows-1252.
        let bytes = b"The \xc9lys\xe9e\x92s \x93view\x94 on NATO and the r\xf4le of France in Europe.";
        let d = decode(bytes, None).unwrap();
        assert_eq!(d.text, "The Élysée’s “view” on NATO and the rôle of France in Europe.");
        assert!(d.note.unwrap().contains("windows-1252"));
    }

    #[test]
    fn declared_charset_is_honoured() {
        let html = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xe9</body></html>";
        let charset = declared_html_charset(html);
        assert_eq!(charset.as_deref(), Some("iso-8859-1"));
        assert!(decode(html, charset.as_deref()).unwrap().text.contains("Café"));
    }

    #[test]
    fn mostly_utf8_is_repaired_not_reinterpreted() {
        let bytes = "Kishida’s visit to Vilnius – “historic” \u{e9}\u{e9} "
            .as_bytes()
            .iter()
            .copied()
            .chain([0xff])
            .collect::<Vec<_>>();
        let d = decode(&bytes, None).unwrap();
        assert!(d.text.starts_with("Kishida’s visit"));
        assert!(d.note.unwrap().contains("1 invalid UTF-8"));
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b"  \n ", None).err(), Some(DecodeProblem::Empty));
        assert_eq!(decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3], None).err(), Some(DecodeProblem::Binary));
        assert!(decode(b"\xef\xbb\xbfBOM text", None).unwrap().text == "BOM text");
    }
}
