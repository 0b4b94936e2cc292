//! The OpenAPI 3.1 description, built from the same table of endpoints the tests check.

use serde_json::{Map, Value, json};

/// A query parameter: name, JSON type, description.
type Param = (&'static str, &'static str, &'static str);

/// (path, summary, query parameters); `{id}` in a path is its path parameter.
pub const ENDPOINTS: &[(&str, &str, &[Param])] = &[
    ("/api/stats", "Counts of documents, sentences and facts per kind; range of event dates", &[]),
    (
        "/api/documents",
        "Documents in storage order",
        &[("limit", "integer", "1..500, default 50"), ("offset", "integer", ">= 0")],
    ),
    ("/api/documents/{id}", "One document: text, sentence spans, evidence spans to highlight", &[]),
    (
        "/api/actors",
        "Actors whose id, name or alias contains q",
        &[("q", "string", "search text"), ("limit", "integer", "1..500")],
    ),
    ("/api/actors/{id}/ties", "Relation and event facts naming the actor", &[("limit", "integer", "1..500")]),
    (
        "/api/actors/{id}/timeline",
        "The actor's events by date",
        &[("limit", "integer", "1..500"), ("offset", "integer", ">= 0")],
    ),
    (
        "/api/events",
        "Event facts by date",
        &[
            ("actor", "string", "actor id, as source or target"),
            ("counterpart", "string", "the other actor's id"),
            ("plover", "string", "PLOVER type"),
            ("cameo", "string", "CAMEO code prefix (root)"),
            ("from", "string", "yyyy[-mm[-dd]]"),
            ("to", "string", "yyyy[-mm[-dd]]"),
            ("modality", "string", "asserted, planned, ..."),
            ("q", "string", "text in the evidence or the body"),
            ("limit", "integer", "1..500"),
            ("offset", "integer", ">= 0"),
        ],
    ),
    (
        "/api/relations",
        "Membership, partnership and role facts",
        &[
            ("kind", "string", "membership, partnership or role"),
            ("actor", "string", "actor id"),
            ("date", "string", "valid on yyyy[-mm[-dd]]"),
            ("limit", "integer", "1..500"),
        ],
    ),
    (
        "/api/graph",
        "Actors and edges valid on a date",
        &[
            ("date", "string", "yyyy[-mm[-dd]], default the last event date"),
            ("window_days", "integer", "events of the days up to date, default 365"),
        ],
    ),
    ("/api/facts/{id}", "One fact", &[]),
    ("/api/facts/{id}/evidence", "A fact's evidence: document, sentence, spans and texts", &[]),
];

pub fn document() -> Value {
    let mut paths = Map::new();
    for (path, summary, query) in ENDPOINTS {
        let mut parameters: Vec<Value> = query
            .iter()
            .map(|(name, ty, desc)| json!({"name": name, "in": "query", "required": false, "description": desc, "schema": {"type": ty}}))
            .collect();
        if path.contains("{id}") {
            parameters.push(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}));
        }
        let error = json!({"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
        paths.insert(path.to_string(), json!({"get": {
            "summary": summary, "parameters": parameters,
            "responses": {"200": {"description": "JSON", "content": {"application/json": {}}}, "400": error, "404": error, "500": error},
        }}));
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Entente API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {"schemas": {"Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}, "required": ["code", "message"]}}}}},
    })
}
