//! The JSON endpoints, their parameters and their errors. Each handler carries its OpenAPI
//! description (`#[utoipa::path]`), and the router is built from those same annotations, so
//! `/openapi.json` describes exactly the routes served.

use crate::catalog::Snapshot;
use crate::queries::{ActorRow, DocumentRow, EventFilter, EvidenceRow, Fact};
use crate::{BODY_LIMIT, Limits, Pool, ReadError, ServerError, assets, openapi};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What every handler shares: the connections and the in-memory catalog.
pub struct AppState {
    pub pool: Pool,
    pub catalog: crate::catalog::Catalog,
    /// A handler's SQL query is interrupted after this.
    pub query_deadline: std::time::Duration,
    /// The last `/api/stats` answer, the store revision it was read at and when that
    /// revision was last checked: counting a large store takes about half a second, reading
    /// its revision a millisecond, and answering from memory needs no connection at all.
    pub stats: std::sync::Mutex<Option<CachedStats>>,
    /// Held by the one request checking whether the cached statistics are still current.
    pub stats_check: tokio::sync::Mutex<()>,
    /// The revision poller and the bound on change streams.
    pub changes: Arc<crate::changes::Changes>,
}

#[derive(Clone)]
pub struct CachedStats {
    revision: i64,
    checked: std::time::Instant,
    stats: Arc<Stats>,
}

/// `/api/stats` is answered from memory, without reading the store's revision, for this
/// long after a check: a client polling it under a flood is answered without waiting for a
/// connection, and sees an ingest at most this late.
const STATS_FRESH: std::time::Duration = std::time::Duration::from_secs(1);

type Shared = Arc<AppState>;
const MAX_LIMIT: i64 = 500;

/// The documented routes, and their description.
pub fn documented() -> OpenApiRouter<Shared> {
    OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(stats))
        .routes(routes!(documents))
        .routes(routes!(document))
        .routes(routes!(actors))
        .routes(routes!(ties))
        .routes(routes!(timeline))
        .routes(routes!(events))
        .routes(routes!(relations))
        .routes(routes!(graph))
        .routes(routes!(activity))
        .routes(routes!(changes))
        .routes(routes!(fact))
        .routes(routes!(evidence))
}

/// Every route: the documented ones, the description itself, JSON 404s for unknown API
/// paths and the page's files; with the body limit and the body and request timeouts.
pub fn routes(pool: Pool, limits: &Limits) -> Router {
    let state: Shared = Arc::new(AppState {
        pool,
        catalog: Default::default(),
        query_deadline: limits.query,
        stats: Default::default(),
        stats_check: Default::default(),
        changes: Arc::new(crate::changes::Changes::new(limits)),
    });
    let (api, description) = documented().split_for_parts();
    let description = openapi::serialised(&description);
    api.route("/openapi.json", get(move || async move { openapi::response(&description) }))
        .route("/api/{*rest}", get(unknown_api))
        .fallback(assets::serve)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(RequestBodyTimeoutLayer::new(limits.body_read))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request))
}

/// An error answered as `{ "error": { "code", "message" } }`.
#[derive(Debug)]
pub enum ApiError {
    BadParameter(String),
    NotFound(String),
    /// No database connection free within the queue's bound, or a query past its deadline:
    /// 503 with `Retry-After`, so clients back off instead of retrying at once.
    Unavailable {
        code: &'static str,
        message: String,
    },
    Internal(String),
}

/// Seconds a client refused with 503 is asked to wait.
const RETRY_AFTER: &str = "1";

/// The body of every error response.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `bad_parameter`, `not_found`, `busy`, `timeout` or `internal`.
    code: String,
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            ApiError::BadParameter(m) => (StatusCode::BAD_REQUEST, "bad_parameter", m),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m),
            ApiError::Unavailable { code, message } => {
                let mut response = error_response(StatusCode::SERVICE_UNAVAILABLE, code, &message);
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER));
                return response;
            }
            ApiError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", m),
        };
        error_response(status, code, &message)
    }
}

impl From<ReadError> for ApiError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Busy => ApiError::Unavailable { code: "busy", message: e.to_string() },
            ReadError::Timeout(_) => ApiError::Unavailable { code: "timeout", message: e.to_string() },
            ReadError::Server(_) | ReadError::Task(_) | ReadError::SqliteOnly => ApiError::Internal(e.to_string()),
        }
    }
}

pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = ErrorBody { error: ErrorDetail { code: code.to_string(), message: message.to_string() } };
    (status, Json(body)).into_response()
}

impl From<ServerError> for ApiError {
    fn from(e: ServerError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

type ApiResult = Result<Response, ApiError>;

/// Answers `body` as JSON; the borrowed facts are written out before the snapshot goes.
fn reply(body: impl Serialize) -> ApiResult {
    Ok(Json(body).into_response())
}

/// Runs a read on a blocking thread, so slow SQL never stalls the async workers; bounded
/// by the pool's queue and interrupted at the query deadline or when the request is dropped.
async fn read<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&mut crate::Db) -> Result<T, crate::DbError> + Send + 'static,
) -> Result<T, ApiError> {
    Ok(state.pool.read(Some(state.query_deadline), f).await?)
}

/// The catalog's snapshot, loading it on first use. Under load requests never wait for a
/// rebuild: one now and then starts a revision check in the background; only after an idle
/// spell does the request wait for the check (see [`crate::catalog`]).
async fn snapshot(state: &Shared) -> Result<Arc<Snapshot>, ApiError> {
    let Some(current) = state.catalog.current() else {
        return first_load(state).await;
    };
    match state.catalog.claim_check() {
        None => Ok(current),
        Some(since) if since < crate::catalog::IDLE => {
            tokio::spawn(refresh(state.clone()));
            Ok(current)
        }
        Some(_) => Ok(tokio::spawn(refresh(state.clone())).await.ok().flatten().unwrap_or(current)),
    }
}

/// The first load runs in its own task: a request that times out leaves it running, so a
/// large store's catalog is loaded once, not started and interrupted by every request.
async fn first_load(state: &Shared) -> Result<Arc<Snapshot>, ApiError> {
    let shared = state.clone();
    let loading = tokio::spawn(async move {
        let _loading = shared.catalog.first_load().lock().await;
        if let Some(s) = shared.catalog.current() {
            return Ok(s);
        }
        let fresh = Arc::new(shared.pool.read(None, Snapshot::load_db).await?);
        shared.catalog.set(fresh.clone());
        Ok::<_, ReadError>(fresh)
    });
    Ok(loading.await.map_err(|e| ApiError::Internal(e.to_string()))??)
}

/// Reads the store's revision and rebuilds the snapshot if it moved; returns the snapshot
/// now current. On an error (a writer holding the store too long, every connection busy)
/// the old snapshot stays and the next check tries again.
async fn refresh(state: Shared) -> Option<Arc<Snapshot>> {
    let known = state.catalog.current().map(|s| s.revision);
    let fresh = state
        .pool
        .read(None, move |c| if Some(c.revision()?) == known { Ok(None) } else { Snapshot::load_db(c).map(Some) })
        .await;
    if let Ok(Some(s)) = fresh {
        state.catalog.set(Arc::new(s));
    }
    state.catalog.checked();
    state.catalog.current()
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

#[derive(Serialize, ToSchema)]
pub struct Stats {
    /// Documents, sentences, and facts per kind.
    counts: BTreeMap<String, i64>,
    event_dates: DateRange,
}

#[derive(Serialize, ToSchema)]
pub struct DateRange {
    first: Option<String>,
    last: Option<String>,
}

/// Counts of documents, sentences and facts per kind; range of event dates
#[utoipa::path(get, path = "/api/stats", responses(
    (status = 200, body = Stats), (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn stats(State(state): State<Shared>) -> ApiResult {
    let cached = state.stats.lock().ok().and_then(|s| s.clone());
    let Some(cached) = cached else {
        return reply(&*check_stats(&state, None).await?);
    };
    if cached.checked.elapsed() < STATS_FRESH {
        return reply(&*cached.stats);
    }
    // One check at a time; the other requests, and a check refused for load, get the last
    // answer, which is at most one ingest old.
    let Ok(_checking) = state.stats_check.try_lock() else {
        return reply(&*cached.stats);
    };
    match check_stats(&state, Some(&cached)).await {
        Ok(stats) => reply(&*stats),
        Err(ApiError::Unavailable { .. }) => reply(&*cached.stats),
        Err(e) => Err(e),
    }
}

/// Reads the store's revision and, if it moved since `cached`, the counts; keeps the answer.
async fn check_stats(state: &Shared, cached: Option<&CachedStats>) -> Result<Arc<Stats>, ApiError> {
    let known = cached.map(|c| c.revision);
    let checked = std::time::Instant::now();
    let (revision, fresh) = read(state, move |c| {
        let revision = c.revision()?;
        // -1: a store without revisions, which cannot tell whether it changed.
        if known == Some(revision) && revision >= 0 {
            return Ok((revision, None));
        }
        Ok((revision, Some((c.counts()?, c.event_date_range()?))))
    })
    .await?;
    let stats = match (fresh, cached) {
        (Some((counts, range)), _) => Arc::new(Stats {
            counts: counts.into_iter().collect(),
            event_dates: DateRange { first: range.0, last: range.1 },
        }),
        (None, Some(c)) => c.stats.clone(),
        (None, None) => return Err(ApiError::Internal("statistics went missing".into())),
    };
    if let Ok(mut slot) = state.stats.lock() {
        *slot = Some(CachedStats { revision, checked, stats: stats.clone() });
    }
    Ok(stats)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// How many, 1 to 500.
    limit: Option<i64>,
    /// How many to skip, >= 0.
    offset: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentPage {
    total: i64,
    limit: i64,
    offset: i64,
    documents: Vec<DocumentRow>,
}

/// Documents in storage order
#[utoipa::path(get, path = "/api/documents", params(Page), responses(
    (status = 200, body = DocumentPage), (status = 400, body = ErrorBody), (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn documents(State(state): State<Shared>, q: Result<Query<Page>, QueryRejection>) -> ApiResult {
    let page = params(q)?;
    let (limit, offset) = (limit(page.limit, 50)?, offset(page.offset)?);
    let (total, documents) = read(&state, move |c| Ok((c.count_documents()?, c.documents(limit, offset)?))).await?;
    reply(DocumentPage { total, limit, offset, documents })
}

/// One document: text, sentence spans, evidence spans to highlight
#[utoipa::path(get, path = "/api/documents/{id}", params(("id" = String, Path, description = "document id")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn document(State(state): State<Shared>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    let (doc, highlights) = read(&state, move |c| Ok((c.document(&key)?, c.highlights(&key)?))).await?;
    let Some(mut doc) = doc else {
        return Err(ApiError::NotFound(format!("no document {id:?}")));
    };
    doc["highlights"] = serde_json::to_value(highlights).map_err(|e| ApiError::Internal(e.to_string()))?;
    reply(doc)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActorQuery {
    /// Text the actor's id, name or an alias contains (ASCII case-insensitive).
    q: Option<String>,
    /// How many, 1 to 500.
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Actors<'a> {
    #[schema(value_type = Vec<ActorRow>)]
    actors: Vec<&'a RawValue>,
}

/// Actors whose id, name or alias contains q, most mentioned first
#[utoipa::path(get, path = "/api/actors", params(ActorQuery), responses(
    (status = 200, body = Actors), (status = 400, body = ErrorBody), (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn actors(State(state): State<Shared>, q: Result<Query<ActorQuery>, QueryRejection>) -> ApiResult {
    let p = params(q)?;
    let limit = limit(p.limit, 50)? as usize;
    let snapshot = snapshot(&state).await?;
    reply(Actors { actors: snapshot.actors(p.q.as_deref().unwrap_or_default(), limit) })
}

fn known_actor(snapshot: &Snapshot, id: &str) -> Result<(), ApiError> {
    if snapshot.knows(id) { Ok(()) } else { Err(ApiError::NotFound(format!("no actor {id:?}"))) }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TiesQuery {
    /// How many, 1 to 500 (default 200).
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Ties<'a> {
    actor: &'a str,
    #[schema(value_type = Vec<Fact>)]
    ties: Vec<&'a RawValue>,
}

/// Relation and event facts naming the actor, by kind then id
#[utoipa::path(get, path = "/api/actors/{id}/ties", params(("id" = String, Path, description = "actor id"), TiesQuery),
    responses((status = 200, body = Ties), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn ties(
    State(state): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<TiesQuery>, QueryRejection>,
) -> ApiResult {
    let limit = limit(params(q)?.limit, 200)? as usize;
    let snapshot = snapshot(&state).await?;
    known_actor(&snapshot, &id)?;
    reply(Ties { actor: &id, ties: snapshot.ties(&id, limit) })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// How many, 1 to 500 (default 200).
    limit: Option<i64>,
    /// How many to skip, >= 0.
    offset: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Timeline<'a> {
    actor: &'a str,
    total: usize,
    #[schema(value_type = Vec<Fact>)]
    events: Vec<&'a RawValue>,
}

/// The actor's events by date then id
#[utoipa::path(get, path = "/api/actors/{id}/timeline", params(("id" = String, Path, description = "actor id"), TimelineQuery),
    responses((status = 200, body = Timeline), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn timeline(
    State(state): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<TimelineQuery>, QueryRejection>,
) -> ApiResult {
    let page = params(q)?;
    let (limit, offset) = (limit(page.limit, 200)? as usize, offset(page.offset)? as usize);
    let snapshot = snapshot(&state).await?;
    known_actor(&snapshot, &id)?;
    let filter = EventFilter { actor: Some(id.clone()), ..Default::default() };
    let (total, events) = snapshot.events(&filter, limit, offset);
    reply(Timeline { actor: &id, total, events })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Actor id: the source, the target or one of the merged mentions' actors.
    actor: Option<String>,
    /// The other actor's id, matched the same way.
    counterpart: Option<String>,
    /// PLOVER event type, e.g. AGREE (case-insensitive).
    plover: Option<String>,
    /// CAMEO code prefix, 1 to 4 digits.
    cameo: Option<String>,
    /// First date, yyyy[-mm[-dd]].
    from: Option<String>,
    /// Last date, yyyy[-mm[-dd]]; a partial date includes its whole period.
    to: Option<String>,
    /// asserted, planned, negated, hypothetical or reported.
    modality: Option<String>,
    /// Text in the event's body or in a sentence holding its evidence: a case-insensitive
    /// substring, looked up in the whole sentence each evidence span lies in, not only the
    /// span. Through the store's trigram indexes, so letters beyond ASCII fold case too; a q
    /// of one or two characters cannot use them and is answered by a slow scan (it may end
    /// in 503 `timeout` on a large store).
    q: Option<String>,
    /// At least this many distinct documents report the event, >= 1.
    min_sources: Option<i64>,
    /// state, organization, grouping, person or other: the source, and the target when
    /// there is one, are of this type.
    actor_type: Option<String>,
    /// How many, 1 to 500 (default 100).
    limit: Option<i64>,
    /// How many to skip, >= 0.
    offset: Option<i64>,
}

const ACTOR_TYPES: &[&str] = &["state", "organization", "grouping", "person", "other"];

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

#[derive(Serialize, ToSchema)]
pub struct EventPage<'a> {
    total: usize,
    limit: usize,
    offset: usize,
    #[schema(value_type = Vec<Fact>)]
    events: Vec<&'a RawValue>,
}

/// Event facts by date then id, filtered and paged
#[utoipa::path(get, path = "/api/events", params(EventQuery), responses(
    (status = 200, body = EventPage), (status = 400, body = ErrorBody), (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn events(State(state): State<Shared>, q: Result<Query<EventQuery>, QueryRejection>) -> ApiResult {
    let p = params(q)?;
    let (limit, offset) = (limit(p.limit, 100)? as usize, offset(p.offset)? as usize);
    let filter = event_filter(p)?;
    if filter.q.is_some() {
        return text_search(&state, filter, limit, offset).await;
    }
    let snapshot = snapshot(&state).await?;
    let (total, events) = snapshot.events(&filter, limit, offset);
    reply(EventPage { total, limit, offset, events })
}

fn event_filter(p: EventQuery) -> Result<EventFilter, ApiError> {
    if let Some(c) = &p.cameo
        && (c.is_empty() || c.len() > 4 || !c.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(ApiError::BadParameter(format!("cameo must be 1 to 4 digits, got {c:?}")));
    }
    Ok(EventFilter {
        actor: p.actor,
        counterpart: p.counterpart,
        plover: one_of("plover", p.plover, PLOVER)?.map(|s| s.to_ascii_uppercase()),
        cameo: p.cameo,
        from: check_date("from", p.from)?,
        to: check_date("to", p.to)?,
        modality: one_of("modality", p.modality, MODALITIES)?.map(|s| s.to_ascii_lowercase()),
        q: p.q.filter(|s| !s.is_empty()),
        min_sources: min_sources(p.min_sources)?,
        actor_type: one_of("actor_type", p.actor_type, ACTOR_TYPES)?.map(|s| s.to_ascii_lowercase()),
    })
}

fn min_sources(value: Option<i64>) -> Result<Option<i64>, ApiError> {
    match value {
        None => Ok(None),
        Some(n) if n >= 1 => Ok(Some(n)),
        Some(n) => Err(ApiError::BadParameter(format!("min_sources must be >= 1, got {n}"))),
    }
}

/// Free text needs the evidence text, which is not held in memory, so it goes to SQL.
async fn text_search(state: &Shared, filter: EventFilter, limit: usize, offset: usize) -> ApiResult {
    let indexed = state.pool.has_event_text();
    let (total, events) = read(state, move |c| c.events(&filter, limit as i64, offset as i64, indexed)).await?;
    let events = events.iter().map(serde_json::value::to_raw_value).collect::<Result<Vec<_>, _>>();
    let events = events.map_err(|e| ApiError::Internal(e.to_string()))?;
    let events = events.iter().map(AsRef::as_ref).collect();
    reply(EventPage { total: total as usize, limit, offset, events })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelationQuery {
    /// membership, partnership or role.
    kind: Option<String>,
    /// Actor id named anywhere in the fact.
    actor: Option<String>,
    /// Valid on this date, yyyy[-mm[-dd]].
    date: Option<String>,
    /// How many, 1 to 500 (default 500).
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Relations {
    relations: Vec<Fact>,
}

/// Membership, partnership and role facts, by kind then id
#[utoipa::path(get, path = "/api/relations", params(RelationQuery), responses(
    (status = 200, body = Relations), (status = 400, body = ErrorBody), (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn relations(State(state): State<Shared>, q: Result<Query<RelationQuery>, QueryRejection>) -> ApiResult {
    let p = params(q)?;
    let limit = limit(p.limit, 500)?;
    let kind = one_of("kind", p.kind, &["membership", "partnership", "role"])?.map(|s| s.to_ascii_lowercase());
    let date = check_date("date", p.date)?;
    let actor = p.actor;
    let relations =
        read(&state, move |c| c.relations(kind.as_deref(), actor.as_deref(), date.as_deref(), limit)).await?;
    reply(Relations { relations })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GraphQuery {
    /// yyyy[-mm[-dd]]: the last day shown (relations are those valid that day); default the
    /// last event date. Same as `to`, which wins when both are given.
    date: Option<String>,
    /// Events of this many days up to the date, 1 to 36500 (default 365); ignored when
    /// `from` is given.
    window_days: Option<i64>,
    /// First event date, yyyy[-mm[-dd]].
    from: Option<String>,
    /// Last event date, yyyy[-mm[-dd]]; a partial date includes its whole period.
    to: Option<String>,
    /// PLOVER event type, e.g. AGREE (case-insensitive).
    plover: Option<String>,
    /// asserted, planned, negated, hypothetical or reported.
    modality: Option<String>,
    /// state, organization, grouping, person or other: only ties between actors of this type.
    actor_type: Option<String>,
    /// Only events reported by at least this many distinct documents, >= 1.
    min_sources: Option<i64>,
    /// The heaviest actors kept (by events and relations in the graph), 1 to 500 (default 150).
    limit: Option<i64>,
}

/// Actors and edges: relations valid on the last day, events of the window aggregated per
/// pair; the heaviest actors only, each with its bloc
#[utoipa::path(get, path = "/api/graph", params(GraphQuery), responses(
    (status = 200, body = crate::view::Graph), (status = 400, body = ErrorBody), (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn graph(State(state): State<Shared>, q: Result<Query<GraphQuery>, QueryRejection>) -> ApiResult {
    let p = params(q)?;
    let window = match p.window_days {
        None => 365,
        Some(n) if (1..=36500).contains(&n) => n,
        Some(n) => {
            return Err(ApiError::BadParameter(format!("window_days must be between 1 and 36500, got {n}")));
        }
    };
    let limit = limit(p.limit, 150)? as usize;
    let to = check_date("to", p.to)?.or(check_date("date", p.date)?);
    let from = check_date("from", p.from)?;
    let mut filter = EventFilter {
        plover: one_of("plover", p.plover, PLOVER)?.map(|s| s.to_ascii_uppercase()),
        modality: one_of("modality", p.modality, MODALITIES)?.map(|s| s.to_ascii_lowercase()),
        actor_type: one_of("actor_type", p.actor_type, ACTOR_TYPES)?.map(|s| s.to_ascii_lowercase()),
        min_sources: min_sources(p.min_sources)?,
        ..Default::default()
    };
    let snapshot = snapshot(&state).await?;
    let Some(last) = to.or_else(|| snapshot.last_event_date().map(str::to_string)).map(|d| padded(&d)) else {
        // No event has a date: nothing to window, so no events (as before any were dated),
        // and every relation.
        let no_events = EventFilter { from: Some("9999-12-31".into()), ..filter };
        return reply(crate::view::graph(&snapshot, &no_events, None, limit));
    };
    filter.from = from.or_else(|| window_start(&last, window));
    filter.to = Some(last.clone());
    reply(crate::view::graph(&snapshot, &filter, Some(&last), limit))
}

/// A partial date stands for its last day, so "2024" shows everything up to the year's end.
fn padded(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-12-31"),
        7 => {
            let (y, m) = (date[..4].parse().unwrap_or(2000), date[5..].parse().unwrap_or(1));
            format!("{date}-{:02}", days_in_month(y, m))
        }
        _ => date.to_string(),
    }
}

/// The day `days` before `last`, as SQL's `date(last, '-N days')`.
fn window_start(last: &str, days: i64) -> Option<String> {
    crate::view::day_of(last).map(|d| crate::view::iso(d - days))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Actor id: the actor's events (all events without it).
    actor: Option<String>,
    /// The other actor's id: the pair's events.
    counterpart: Option<String>,
    /// PLOVER event type, e.g. AGREE (case-insensitive).
    plover: Option<String>,
    /// asserted, planned, negated, hypothetical or reported.
    modality: Option<String>,
    /// state, organization, grouping, person or other (see `/api/events`).
    actor_type: Option<String>,
    /// At least this many distinct documents, >= 1.
    min_sources: Option<i64>,
    /// First date, yyyy[-mm[-dd]].
    from: Option<String>,
    /// Last date, yyyy[-mm[-dd]].
    to: Option<String>,
    /// week or month; default weeks for a span up to 18 months, months beyond.
    bucket: Option<String>,
}

/// Events per week or month, with the sums of their positive and negative Goldstein values
#[utoipa::path(get, path = "/api/activity", params(ActivityQuery), responses(
    (status = 200, body = crate::view::Activity), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn activity(State(state): State<Shared>, q: Result<Query<ActivityQuery>, QueryRejection>) -> ApiResult {
    let p = params(q)?;
    let bucket = match one_of("bucket", p.bucket, &["week", "month"])?.map(|b| b.to_ascii_lowercase()).as_deref() {
        Some("week") => Some(crate::view::Bucket::Week),
        Some(_) => Some(crate::view::Bucket::Month),
        None => None,
    };
    let filter = EventFilter {
        actor: p.actor,
        counterpart: p.counterpart,
        plover: one_of("plover", p.plover, PLOVER)?.map(|s| s.to_ascii_uppercase()),
        modality: one_of("modality", p.modality, MODALITIES)?.map(|s| s.to_ascii_lowercase()),
        actor_type: one_of("actor_type", p.actor_type, ACTOR_TYPES)?.map(|s| s.to_ascii_lowercase()),
        min_sources: min_sources(p.min_sources)?,
        from: check_date("from", p.from)?,
        to: check_date("to", p.to)?,
        ..Default::default()
    };
    let snapshot = snapshot(&state).await?;
    for id in filter.actor.iter().chain(&filter.counterpart) {
        known_actor(&snapshot, id)?;
    }
    reply(crate::view::activity(&snapshot, &filter, bucket))
}

/// Server-sent events: `revision` with the store's revision now and each time it moves
#[utoipa::path(get, path = "/api/changes", responses(
    (status = 200, content_type = "text/event-stream", body = String,
        description = "`event: revision` lines with `data: {\"revision\": N}`; the stream ends after a minute and the browser reconnects"),
    (status = 503, body = ErrorBody)))]
async fn changes(State(state): State<Shared>) -> Result<Response, ApiError> {
    match state.changes.open(&state.pool).await {
        Ok(sse) => Ok(sse.into_response()),
        Err(crate::changes::StreamError::TooMany) => {
            Err(ApiError::Unavailable { code: "busy", message: crate::changes::StreamError::TooMany.to_string() })
        }
        Err(crate::changes::StreamError::Read(e)) => Err(e.into()),
    }
}

/// One fact
#[utoipa::path(get, path = "/api/facts/{id}", params(("id" = String, Path, description = "fact id")),
    responses((status = 200, body = Fact), (status = 404, body = ErrorBody), (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn fact(State(state): State<Shared>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    match read(&state, move |c| c.fact(&key)).await? {
        Some(f) => reply(f),
        None => Err(ApiError::NotFound(format!("no fact {id:?}"))),
    }
}

#[derive(Serialize, ToSchema)]
pub struct FactEvidence {
    fact: Fact,
    evidence: Vec<EvidenceRow>,
}

/// A fact's evidence: document, sentence, spans and texts
#[utoipa::path(get, path = "/api/facts/{id}/evidence", params(("id" = String, Path, description = "fact id")),
    responses((status = 200, body = FactEvidence), (status = 404, body = ErrorBody), (status = 500, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn evidence(State(state): State<Shared>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    let (fact, evidence) = read(&state, move |c| Ok((c.fact(&key)?, c.evidence(&key)?))).await?;
    let Some(fact) = fact else {
        return Err(ApiError::NotFound(format!("no fact {id:?}")));
    };
    reply(FactEvidence { fact, evidence })
}
