//! The page's built files (`web/dist`), compiled into the binary. Requests are looked up in
//! this fixed table, so no path can reach the file system or leave the folder.

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// (path, content type, bytes) of every served file.
pub const FILES: &[(&str, &str, &[u8])] = &[
    ("/index.html", "text/html; charset=utf-8", include_bytes!("../../../web/dist/index.html")),
    ("/app.js", "text/javascript; charset=utf-8", include_bytes!("../../../web/dist/app.js")),
    ("/app.css", "text/css; charset=utf-8", include_bytes!("../../../web/dist/app.css")),
];

/// The hash of `web/src` the embedded files were built from (see `web/build.mjs`).
pub const SOURCE_HASH: &str = include_str!("../../../web/dist/SOURCE_HASH");

pub async fn serve(uri: Uri) -> Response {
    let path = match uri.path() {
        "/" => "/index.html",
        p => p,
    };
    match FILES.iter().find(|(name, _, _)| *name == path) {
        Some((_, mime, bytes)) => ([(header::CONTENT_TYPE, *mime)], *bytes).into_response(),
        None => crate::api::error_response(StatusCode::NOT_FOUND, "not_found", "no such page or file"),
    }
}
