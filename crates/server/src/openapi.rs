//! The OpenAPI 3.1 description. Its paths come from the handlers' `#[utoipa::path]`
//! annotations as the router registers them (see [`crate::api::documented`]); this module
//! only adds what is common to the whole API.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Entente API",
        description = "Read-only JSON API over an Entente store: documents, actors, events and relations, each with its evidence."
    ),
    components(schemas(crate::api::ErrorBody))
)]
struct Base;

/// The description before the routes add their paths.
pub fn base() -> utoipa::openapi::OpenApi {
    Base::openapi()
}

/// The description as served, serialised once when the router is built.
pub fn serialised(description: &utoipa::openapi::OpenApi) -> axum::body::Bytes {
    // Serialising plain data with string keys cannot fail.
    description.to_json().unwrap_or_default().into()
}

pub fn response(body: &axum::body::Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body.clone()).into_response()
}
