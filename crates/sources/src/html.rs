//! HTML pages: the article body and metadata, from the project's extractor, read as a page from
//! the web is (`web.rs`), without a URL or HTTP headers.

use crate::web::{WebPage, web_page_doc};
use crate::{InputFile, SourceDoc, SourceError, file_stem};

pub(crate) fn html_doc(bytes: &[u8], file: &InputFile) -> Result<SourceDoc, SourceError> {
    let page = WebPage {
        source_path: file.path.display().to_string(),
        fallback_id: file_stem(&file.path),
        ..WebPage::default()
    };
    web_page_doc(bytes, page)
}
