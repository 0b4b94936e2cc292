//! Text annotation: tokens, sentences and language, as layers of a [`Document`].
//!
//! **Invariant:** this crate only adds layers to a document; it never changes its text, so
//! spans found by any stage stay valid.

mod sentences;
mod tokens;

pub use sentences::split_sentences;
pub use tokens::tokenize;

use entente_document::Document;

/// Fills the token and sentence layers of `doc`, and its language when the source gave none.
pub fn annotate(doc: &mut Document) {
    doc.tokens = tokenize(&doc.text);
    doc.sentences = split_sentences(&doc.text, &doc.tokens);
    if doc.meta.language.is_none() {
        doc.meta.language = detect_language(&doc.text).map(str::to_string);
    }
}

/// ISO 639-1 code of the text's language, when the detector is reliable about it. Only the
/// first few kilobytes are read: enough for an article, and it keeps huge inputs cheap.
pub fn detect_language(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(iso639_1(info.lang()))
}

/// whatlang names languages by ISO 639-3; the export uses the two-letter codes where they
/// exist.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Swe => "sv",
        Dan => "da",
        Nob => "no",
        Fin => "fi",
        Est => "et",
        Lav => "lv",
        Lit => "lt",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Srp => "sr",
        Hrv => "hr",
        Slv => "sl",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Ben => "bn",
        Tam => "ta",
        Tel => "te",
        Mar => "mr",
        Guj => "gu",
        Kan => "kn",
        Mal => "ml",
        Pan => "pa",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Tgl => "tl",
        Epo => "eo",
        Aze => "az",
        Kat => "ka",
        Hye => "hy",
        Bel => "be",
        Mkd => "mk",
        Yid => "yi",
        Afr => "af",
        Zul => "zu",
        Sna => "sn",
        Aka => "ak",
        Amh => "am",
        Jav => "jv",
        Khm => "km",
        Lat => "la",
        Mya => "my",
        Nep => "ne",
        Ori => "or",
        Sin => "si",
        Tuk => "tk",
        Uzb => "uz",
        Cat => "ca",
        // No two-letter code: keep the three-letter one.
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entente_document::Metadata;

    #[test]
    fn annotate_fills_layers_with_valid_spans() {
        let mut doc = Document::new(
            "d",
            "NATO leaders met in Vilnius to discuss the war.\n\nJapan’s Prime Minister Fumio Kishida attended the meeting with his counterparts. So did Yoon.",
            Metadata::default(),
        );
        annotate(&mut doc);
        assert_eq!(doc.sentences.len(), 3);
        assert_eq!(doc.meta.language.as_deref(), Some("en"));
        doc.check_spans().unwrap();
        assert_eq!(
            doc.sentence_text(1),
            Some("Japan’s Prime Minister Fumio Kishida attended the meeting with his counterparts.")
        );
    }

    #[test]
    fn detects_french() {
        let fr = "Le sommet de l'OTAN s'est tenu à Madrid en présence des dirigeants du Japon et de la Corée du Sud, qui ont rencontré les représentants des pays membres.";
        assert_eq!(detect_language(fr), Some("fr"));
    }
}
