//! The JSON endpoints, their parameters and their errors.

use crate::queries::{self, EventFilter};
use crate::{BODY_LIMIT, Pool, REQUEST_TIMEOUT, ServerError, assets, openapi};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// What every handler shares: the connections and the in-memory event index.
pub struct AppState {
    pub pool: Pool,
    pub events: crate::event_index::EventIndex,
    /// As many reads at once as the pool keeps connections, so connections are reused
    /// rather than opened and closed under load.
    pub permits: tokio::sync::Semaphore,
}

type Shared = Arc<AppState>;
const MAX_LIMIT: i64 = 500;

pub fn routes(pool: Pool) -> Router {
    let pool: Shared = Arc::new(AppState {
        pool,
        events: Default::default(),
        permits: tokio::sync::Semaphore::new(crate::pool::KEEP),
    });
    Router::new()
        .route("/api/stats", get(stats))
        .route("/api/documents", get(documents))
        .route("/api/documents/{id}", get(document))
        .route("/api/actors", get(actors))
        .route("/api/actors/{id}/ties", get(ties))
        .route("/api/actors/{id}/timeline", get(timeline))
        .route("/api/events", get(events))
        .route("/api/relations", get(relations))
        .route("/api/graph", get(graph))
        .route("/api/facts/{id}", get(fact))
        .route("/api/facts/{id}/evidence", get(evidence))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .route("/api/{*rest}", get(unknown_api))
        .fallback(assets::serve)
        .with_state(pool)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
}

/// An error answered as `{ "error": { "code", "message" } }`.
#[derive(Debug)]
pub enum ApiError {
    BadParameter(String),
    NotFound(String),
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            ApiError::BadParameter(m) => (StatusCode::BAD_REQUEST, "bad_parameter", m),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m),
            ApiError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", m),
        };
        error_response(status, code, &message)
    }
}

pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "error": { "code": code, "message": message } });
    (status, Json(body)).into_response()
}

impl From<ServerError> for ApiError {
    fn from(e: ServerError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

/// Runs a read on a blocking thread, so slow SQL never stalls the async workers.
async fn read<T: Send + 'static>(
    pool: &Shared,
    f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let state = pool.clone();
    let _permit = pool.permits.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || state.pool.with(f))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::from)
}

/// Query strings are parsed by hand so a bad value is our JSON 400, not axum's text.
fn params<T: serde::de::DeserializeOwned>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t).map_err(|e| ApiError::BadParameter(e.body_text()))
}

fn limit(value: Option<i64>, default: i64) -> Result<i64, ApiError> {
    match value {
        None => Ok(default),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::BadParameter(format!("limit must be between 1 and {MAX_LIMIT}, got {n}"))),
    }
}

fn offset(value: Option<i64>) -> Result<i64, ApiError> {
    match value {
        None => Ok(0),
        Some(n) if n >= 0 => Ok(n),
        Some(n) => Err(ApiError::BadParameter(format!("offset must be >= 0, got {n}"))),
    }
}

/// Accepts `yyyy`, `yyyy-mm` or `yyyy-mm-dd` with a real month and day.
pub fn check_date(name: &str, value: Option<String>) -> Result<Option<String>, ApiError> {
    let Some(v) = value else { return Ok(None) };
    let bad = || ApiError::BadParameter(format!("{name} must be yyyy, yyyy-mm or yyyy-mm-dd, got {v:?}"));
    let parts: Vec<&str> = v.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            let (year, month, day) =
                (y.parse::<i32>().unwrap_or(0), m.parse::<u32>().unwrap_or(0), d.parse::<u32>().unwrap_or(0));
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && (1..=12).contains(&month)
                && day >= 1
                && day <= days_in_month(year, month)
        }
        _ => false,
    };
    if ok { Ok(Some(v)) } else { Err(bad()) }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

async fn unknown_api(Path(rest): Path<String>) -> ApiError {
    ApiError::NotFound(format!("no endpoint /api/{rest}"))
}

async fn stats(State(pool): State<Shared>) -> ApiResult {
    let (counts, range) = read(&pool, |c| Ok((queries::counts(c)?, queries::event_date_range(c)?))).await?;
    let counts: serde_json::Map<String, Value> = counts.into_iter().map(|(k, v)| (k, json!(v))).collect();
    Ok(Json(json!({ "counts": counts, "event_dates": { "first": range.0, "last": range.1 } })))
}

#[derive(Deserialize)]
pub struct Page {
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn documents(State(pool): State<Shared>, q: Result<Query<Page>, QueryRejection>) -> ApiResult {
    let page = params(q)?;
    let (limit, offset) = (limit(page.limit, 50)?, offset(page.offset)?);
    let (total, docs) =
        read(&pool, move |c| Ok((queries::count_documents(c)?, queries::documents(c, limit, offset)?))).await?;
    Ok(Json(json!({ "total": total, "limit": limit, "offset": offset, "documents": docs })))
}

async fn document(State(pool): State<Shared>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    let (doc, highlights) =
        read(&pool, move |c| Ok((queries::document(c, &key)?, queries::highlights(c, &key)?))).await?;
    let Some(mut doc) = doc else {
        return Err(ApiError::NotFound(format!("no document {id:?}")));
    };
    doc["highlights"] = json!(highlights);
    Ok(Json(doc))
}

#[derive(Deserialize)]
pub struct ActorQuery {
    q: Option<String>,
    limit: Option<i64>,
}

async fn actors(State(pool): State<Shared>, q: Result<Query<ActorQuery>, QueryRejection>) -> ApiResult {
    let p = params(q)?;
    let limit = limit(p.limit, 50)?;
    let text = p.q.unwrap_or_default();
    let rows = read(&pool, move |c| queries::actors(c, &text, limit)).await?;
    Ok(Json(json!({ "actors": rows })))
}

async fn known_actor(pool: &Shared, id: &str) -> Result<(), ApiError> {
    let key = id.to_string();
    if read(pool, move |c| queries::actor_exists(c, &key)).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!("no actor {id:?}")))
    }
}

async fn ties(State(pool): State<Shared>, Path(id): Path<String>, q: Result<Query<Page>, QueryRejection>) -> ApiResult {
    let limit = limit(params(q)?.limit, 200)?;
    let key = id.clone();
    let facts = read(&pool, move |c| queries::ties(c, &key, limit)).await?;
    // Only an actor with nothing to show needs the (slower) check that it exists at all.
    if facts.is_empty() {
        known_actor(&pool, &id).await?;
    }
    Ok(Json(json!({ "actor": id, "ties": facts })))
}

async fn timeline(
    State(pool): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<Page>, QueryRejection>,
) -> ApiResult {
    let page = params(q)?;
    let (limit, offset) = (limit(page.limit, 200)?, offset(page.offset)?);
    let filter = EventFilter { actor: Some(id.clone()), ..Default::default() };
    let (total, events) = find_events(&pool, filter, limit, offset).await?;
    // Only an actor with no events needs the (slower) check that it exists at all.
    if total == 0 {
        known_actor(&pool, &id).await?;
    }
    Ok(Json(json!({ "actor": id, "total": total, "events": events })))
}

#[derive(Deserialize)]
pub struct EventQuery {
    actor: Option<String>,
    counterpart: Option<String>,
    plover: Option<String>,
    cameo: Option<String>,
    from: Option<String>,
    to: Option<String>,
    modality: Option<String>,
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

const PLOVER: &[&str] = &[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "DEMAND",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "FIGHT",
    "INVESTIGATE",
];
const MODALITIES: &[&str] = &["asserted", "planned", "negated", "hypothetical", "reported"];

fn one_of(name: &str, value: Option<String>, allowed: &[&str]) -> Result<Option<String>, ApiError> {
    match value {
        Some(v) if !allowed.iter().any(|a| a.eq_ignore_ascii_case(&v)) => {
            Err(ApiError::BadParameter(format!("{name} must be one of {}, got {v:?}", allowed.join(", "))))
        }
        other => Ok(other),
    }
}

async fn events(State(pool): State<Shared>, q: Result<Query<EventQuery>, QueryRejection>) -> ApiResult {
    let p = params(q)?;
    let (limit, offset) = (limit(p.limit, 100)?, offset(p.offset)?);
    if let Some(c) = &p.cameo
        && (c.is_empty() || c.len() > 4 || !c.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(ApiError::BadParameter(format!("cameo must be 1 to 4 digits, got {c:?}")));
    }
    let filter = EventFilter {
        actor: p.actor,
        counterpart: p.counterpart,
        plover: one_of("plover", p.plover, PLOVER)?.map(|s| s.to_ascii_uppercase()),
        cameo: p.cameo,
        from: check_date("from", p.from)?,
        to: check_date("to", p.to)?,
        modality: one_of("modality", p.modality, MODALITIES)?.map(|s| s.to_ascii_lowercase()),
        q: p.q.filter(|s| !s.is_empty()),
    };
    let (total, events) = find_events(&pool, filter, limit, offset).await?;
    Ok(Json(json!({ "total": total, "limit": limit, "offset": offset, "events": events })))
}

#[derive(Deserialize)]
pub struct RelationQuery {
    kind: Option<String>,
    actor: Option<String>,
    date: Option<String>,
    limit: Option<i64>,
}

async fn relations(State(pool): State<Shared>, q: Result<Query<RelationQuery>, QueryRejection>) -> ApiResult {
    let p = params(q)?;
    let limit = limit(p.limit, 500)?;
    let kind = one_of("kind", p.kind, &["membership", "partnership", "role"])?.map(|s| s.to_ascii_lowercase());
    let date = check_date("date", p.date)?;
    let actor = p.actor;
    let facts =
        read(&pool, move |c| queries::relations(c, kind.as_deref(), actor.as_deref(), date.as_deref(), limit)).await?;
    Ok(Json(json!({ "relations": facts })))
}

#[derive(Deserialize)]
pub struct GraphQuery {
    date: Option<String>,
    window_days: Option<i64>,
}

async fn graph(State(pool): State<Shared>, q: Result<Query<GraphQuery>, QueryRejection>) -> ApiResult {
    let p = params(q)?;
    let date = check_date("date", p.date)?;
    let window = match p.window_days {
        None => 365,
        Some(n) if (1..=36500).contains(&n) => n,
        Some(n) => {
            return Err(ApiError::BadParameter(format!("window_days must be between 1 and 36500, got {n}")));
        }
    };
    let graph = read(&pool, move |c| crate::graph::build(c, date.as_deref(), window)).await?;
    Ok(Json(graph))
}

async fn fact(State(pool): State<Shared>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    match read(&pool, move |c| queries::fact(c, &key)).await? {
        Some(f) => Ok(Json(json!(f))),
        None => Err(ApiError::NotFound(format!("no fact {id:?}"))),
    }
}

async fn evidence(State(pool): State<Shared>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    let (fact, rows) = read(&pool, move |c| Ok((queries::fact(c, &key)?, queries::evidence(c, &key)?))).await?;
    let Some(fact) = fact else {
        return Err(ApiError::NotFound(format!("no fact {id:?}")));
    };
    Ok(Json(json!({ "fact": fact, "evidence": rows })))
}

/// Free text needs the evidence text, so it goes to SQL; other filters use the index.
async fn find_events(
    pool: &Shared,
    filter: EventFilter,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<queries::Fact>), ApiError> {
    if filter.q.is_some() {
        return read(pool, move |c| queries::events(c, &filter, limit, offset)).await;
    }
    let state = pool.clone();
    let _permit = pool.permits.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || state.pool.with(|c| state.events.events(c, &filter, limit, offset)))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::from)
}
