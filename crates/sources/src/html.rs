//! HTML pages: the article body and metadata, from the project's extractor.

use crate::plain::normalise_newlines;
use crate::{InputFile, SourceDoc, SourceError, decode, decode_error, file_stem};

pub(crate) fn html_doc(bytes: &[u8], file: &InputFile) -> Result<SourceDoc, SourceError> {
    let path = file.path.display().to_string();
    let charset = crate::declared_html_charset(bytes);
    let decoded = decode(bytes, charset.as_deref()).map_err(|p| decode_error(p, path.clone()))?;
    let extraction = entente_extract::extract_detailed(&decoded.text, None);
    let body = normalise_newlines(&extraction.article.text);
    if body.trim().is_empty() {
        return Err(crate::no_article(path, &extraction));
    }
    let article = extraction.article;
    // The headline is part of what the page says: it leads the text so it gets sentences too.
    let text = match &article.title {
        Some(t) if !body.starts_with(t.as_str()) => format!("{t}\n\n{body}"),
        _ => body,
    };
    Ok(SourceDoc {
        id_hint: file_stem(&file.path),
        source_path: path,
        title: article.title,
        url: article.canonical_url,
        author: article.author,
        language: article.language,
        declared_date: article
            .published
            .map(|raw| crate::DeclaredDate { raw, from: article.published_from.unwrap_or_else(|| "html".into()) }),
        notes: decoded.note.into_iter().collect(),
        text,
        ..Default::default()
    })
}
