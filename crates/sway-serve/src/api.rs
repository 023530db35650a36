//! The routes: JSON under `/api/`, the page and its files elsewhere.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, OriginalUri, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Serialize;
use serde_json::json;
use sway_store::Store;

use crate::params::{self, ApiError, MAX_LIMIT, MAX_OFFSET, MAX_PERIODS};
use crate::App;

/// The OpenAPI description of every route below.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Event ids listed per dyad period or balance standing: a figure's first events, to
/// open from the page (its counts cover them all; `sway dyad`/`sway balance --format
/// json` list every one).
const MAX_IDS: usize = 200;

/// Event ids listed per network edge (the page lists an edge's events on a click).
const EDGE_EVENTS: usize = 50;

/// Every route of the server over `app`.
pub fn router(app: Arc<App>) -> Router {
    // Bodies are read only by /api/analyze; everything else takes none.
    let body_limit = app.analyze.as_ref().map_or(0, |(_, limit)| *limit);
    Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
        .route("/api/timeline", get(timeline))
        .route("/api/documents/{id}", get(document))
        .route("/api/search", get(search))
        .route("/api/actors", get(actors))
        .route("/api/dyad", get(dyad))
        .route("/api/balance", get(balance))
        .route("/api/network", get(network))
        .route("/api/map", get(map))
        .route("/api/judgments", get(judgments))
        .route("/api/analyze", post(analyze).layer(DefaultBodyLimit::max(body_limit)))
        .fallback(fallback)
        .with_state(app)
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v).map_err(|e| ApiError::bad(e.body_text()))
}

fn json_body(v: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(v).map_err(ApiError::internal)
}

fn respond(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Run `f` on a store connection off the async threads.
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = app.queries.acquire().await.map_err(ApiError::internal)?;
    let app = app.clone();
    tokio::task::spawn_blocking(move || {
        let store = app.pool.get()?;
        let r = f(&store);
        app.pool.put(store);
        r
    })
    .await
    .map_err(ApiError::internal)?
}

/// The request's path and its parameters in a canonical order and encoding, so that
/// `?b=IRN&a=USA` and `?a=USA&b=IRN`, or `USA,IRN` and `USA%2CIRN`, share an answer.
fn cache_key(uri: &axum::http::Uri) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        q.append_pair(k, v);
    }
    format!("{}?{}", uri.path(), q.finish())
}

/// The requests the page makes when it opens without filters (`web/src/main.js`),
/// answered once when the server starts so the first visitor finds them cached.
pub const PAGE_DEFAULTS: &[&str] = &[
    "/api/health",
    "/api/timeline?by=month",
    "/api/network?limit=150",
    "/api/map",
    "/api/balance?arena=IRQ&powers=USA,IRN",
];

/// Answer [`PAGE_DEFAULTS`] into the cache, all at once (the store's query permits
/// share them out over the cores); returns how many answered 200.
pub async fn warm(app: Arc<App>) -> usize {
    use tower::ServiceExt;
    let tasks: Vec<_> = PAGE_DEFAULTS
        .iter()
        .map(|uri| {
            let app = app.clone();
            tokio::spawn(async move {
                let Ok(req) = axum::http::Request::get(*uri).body(axum::body::Body::empty()) else { return false };
                // The router's error type is Infallible: every request gets a response.
                let Ok(res) = router(app).oneshot(req).await;
                res.status().is_success()
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap_or(false));
    }
    ok
}

/// `f`'s answer for this request, from the cache while the store is unchanged.
async fn cached(
    app: &Arc<App>,
    uri: &axum::http::Uri,
    f: impl FnOnce(&Store) -> Result<Vec<u8>, ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    let key = cache_key(uri);
    let lookup = |app: &Arc<App>, key: &str| {
        let (a, k) = (app.clone(), key.to_string());
        tokio::task::spawn_blocking(move || a.cache.lookup(&k))
    };
    if let (Some(body), _) = lookup(app, &key).await.map_err(ApiError::internal)? {
        return Ok(respond(body));
    }
    // One computation per question at a time: requests that arrive while it runs
    // (the page's first visitor during the start-up warming, a burst of the same
    // dashboard) wait for its answer instead of computing it again.
    let gate = app.cache.gate(&key);
    let _turn = gate.lock().await;
    let (hit, version) = lookup(app, &key).await.map_err(ApiError::internal)?;
    if let Some(body) = hit {
        return Ok(respond(body));
    }
    let body = Bytes::from(blocking(app, f).await?);
    app.cache.put(key, version, body.clone());
    Ok(respond(body))
}

async fn health(State(app): State<Arc<App>>, OriginalUri(uri): OriginalUri) -> Result<Response, ApiError> {
    let analyze = app.analyze.as_ref().map(|(_, limit)| *limit);
    cached(&app, &uri, move |s| {
        json_body(&json!({
            "sway_version": env!("CARGO_PKG_VERSION"),
            "schema_version": s.schema_version()?,
            "documents": s.count_documents()?,
            "events": s.count_events()?,
            "analyze_limit": analyze,
        }))
    })
    .await
}

async fn openapi() -> Response {
    respond(Bytes::from_static(OPENAPI.as_bytes()))
}

async fn events(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    q: Result<Query<params::EventsParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(q)?;
    let range = params::dates(p.since.as_deref(), p.until.as_deref())?;
    let limit = params::limit(p.limit, 100, MAX_LIMIT)?;
    let offset = p.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(ApiError::bad(format!("offset: at most {MAX_OFFSET}; narrow the dates instead")));
    }
    let q = sway_store::EventQuery {
        actor: params::text("actor", p.actor.as_deref())?,
        country: params::iso3("country", p.country.as_deref())?,
        cameo: params::cameo(p.cameo.as_deref())?,
        quad: params::quad(p.quad)?,
        modality: params::modality(p.modality.as_deref())?,
        place: params::text("place", p.place.as_deref())?,
        doc_id: p.doc.as_deref().map(|d| params::id("doc", d)).transpose()?,
        limit: Some(limit + 1),
        offset: Some(offset),
        ..range.events()
    };
    cached(&app, &uri, move |s| {
        let found = s.events_raw(&q)?;
        let more = found.len() > limit;
        // The stored records go out as they are, each with its document's fields in
        // front: decoding and re-encoding them would be most of the request's work.
        let mut out = Vec::with_capacity(found.iter().map(|e| e.record.len() + 200).sum::<usize>() + 100);
        let head = json!({ "offset": offset, "limit": limit, "next_offset": more.then_some(offset + limit) });
        let head = json_body(&head)?;
        out.extend_from_slice(&head[..head.len() - 1]);
        out.extend_from_slice(br#","events":["#);
        for (i, e) in found.iter().take(limit).enumerate() {
            let Some(fields) = e.record.strip_prefix('{').filter(|r| r.len() > 1) else {
                return Err(ApiError::internal(format!("stored record for {} is not a JSON object", e.doc_id)));
            };
            if i > 0 {
                out.push(b',');
            }
            let doc = json!({ "doc_id": e.doc_id, "title": e.title, "url": e.url, "published": e.published });
            let doc = json_body(&doc)?;
            out.extend_from_slice(&doc[..doc.len() - 1]);
            out.push(b',');
            out.extend_from_slice(fields.as_bytes());
        }
        out.extend_from_slice(b"]}");
        Ok(out)
    })
    .await
}

async fn timeline(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    q: Result<Query<params::TimelineParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(q)?;
    let range = params::dates(p.since.as_deref(), p.until.as_deref())?;
    let by = match p.by.as_deref().unwrap_or("month") {
        "day" => sway_store::CountPeriod::Day,
        "month" => sway_store::CountPeriod::Month,
        "year" => sway_store::CountPeriod::Year,
        v => return Err(ApiError::bad(format!("by: {v:?} is not one of day, month, year"))),
    };
    let q = sway_store::EventQuery {
        actor: params::text("actor", p.actor.as_deref())?,
        country: params::iso3("country", p.country.as_deref())?,
        cameo: params::cameo(p.cameo.as_deref())?,
        modality: params::modality(p.modality.as_deref())?,
        ..range.events()
    };
    cached(&app, &uri, move |s| {
        let mut rows = s.event_counts(&q, by)?;
        let truncated = rows.len() > MAX_PERIODS;
        rows.truncate(MAX_PERIODS);
        json_body(&json!({ "truncated": truncated, "rows": rows }))
    })
    .await
}

async fn event(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::id("event", &id)?;
    let body = blocking(&app, move |s| match s.event_record(&id)? {
        Some((doc_id, event)) => json_body(&json!({ "doc_id": doc_id, "event": event })),
        None => Err(ApiError::not_found(format!("no event {id}"))),
    })
    .await?;
    Ok(respond(body.into()))
}

async fn document(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = params::id("document", &id)?;
    let body = blocking(&app, move |s| match s.document(&id)? {
        Some(mut rec) => {
            // Sentences are spans the events' evidence already gives.
            rec.sentences.clear();
            json_body(&rec)
        }
        None => Err(ApiError::not_found(format!("no document {id}"))),
    })
    .await?;
    Ok(respond(body.into()))
}

async fn search(
    State(app): State<Arc<App>>,
    q: Result<Query<params::SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(q)?;
    let text = p.q.filter(|t| !t.trim().is_empty()).ok_or_else(|| ApiError::bad("q: the words to search for"))?;
    if text.chars().count() > 200 {
        return Err(ApiError::bad("q: at most 200 characters"));
    }
    let limit = params::limit(p.limit, 20, 100)?;
    let body = blocking(&app, move |s| json_body(&s.search(&text, false, limit)?)).await?;
    Ok(respond(body.into()))
}

async fn actors(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    q: Result<Query<params::ActorsParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(q)?;
    let country = params::iso3("country", p.country.as_deref())?;
    let limit = params::limit(p.limit, 200, 5_000)?;
    cached(&app, &uri, move |s| {
        let mut rows = s.actor_summary(country.as_deref())?;
        rows.truncate(limit);
        json_body(&rows)
    })
    .await
}

async fn dyad(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    q: Result<Query<params::DyadParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(q)?;
    let a = params::actor_code("a", p.a.as_deref().ok_or_else(|| ApiError::bad("a: the first side (such as USA)"))?)?;
    let b = params::actor_code("b", p.b.as_deref().ok_or_else(|| ApiError::bad("b: the second side (such as IRN)"))?)?;
    let range = params::dates(p.since.as_deref(), p.until.as_deref())?;
    let counting = params::counting(p.all_reports, p.dedup_window)?;
    let opts = sway_contest::SeriesOptions {
        by: params::by(p.by.as_deref())?,
        min_baseline: p.min_baseline.unwrap_or(10),
        all_modalities: p.all_modalities.unwrap_or(false),
    };
    cached(&app, &uri, move |s| {
        let mut rows = sway_query::dyad(s, &a, &b, range, counting, opts)?;
        let truncated = rows.len() > MAX_PERIODS;
        rows.truncate(MAX_PERIODS);
        for r in &mut rows {
            r.event_ids.truncate(MAX_IDS);
        }
        json_body(&json!({ "a": a, "b": b, "truncated": truncated, "event_ids_max": MAX_IDS, "rows": rows }))
    })
    .await
}

async fn balance(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    q: Result<Query<params::BalanceParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(q)?;
    let arena = params::iso3("arena", p.arena.as_deref())?
        .ok_or_else(|| ApiError::bad("arena: the country whose actors are courted (such as IRQ)"))?;
    let powers: Vec<String> = p
        .powers
        .as_deref()
        .ok_or_else(|| ApiError::bad("powers: two or more, comma-separated (such as USA,IRN)"))?
        .split(',')
        .map(|c| params::actor_code("powers", c.trim()))
        .collect::<Result<_, _>>()?;
    if !(1..=8).contains(&powers.len()) {
        return Err(ApiError::bad("powers: one to eight"));
    }
    let window = p.window.unwrap_or(3);
    if !(1..=52).contains(&window) {
        return Err(ApiError::bad("window: 1 to 52 periods"));
    }
    let smoothing = p.smoothing.unwrap_or(10.0);
    if !(0.0..=1000.0).contains(&smoothing) {
        return Err(ApiError::bad("smoothing: 0 to 1000 Goldstein points"));
    }
    let range = params::dates(p.since.as_deref(), p.until.as_deref())?;
    let counting = params::counting(p.all_reports, p.dedup_window)?;
    let opts = sway_contest::BalanceOptions { by: params::by(p.by.as_deref())?, window, smoothing };
    cached(&app, &uri, move |s| {
        let (camps, mut rows) = sway_query::balance(s, &arena, &powers, range, counting, opts)?;
        let truncated = rows.len() > MAX_PERIODS;
        rows.truncate(MAX_PERIODS);
        for s in rows.iter_mut().flat_map(|r| r.standings.iter_mut()) {
            s.event_ids.truncate(MAX_IDS);
        }
        let camps: Vec<_> = camps.iter().map(|c| json!({ "power": c.power.as_str(), "proxies": c.proxies })).collect();
        json_body(&json!({
            "arena": arena,
            "camps": camps,
            "truncated": truncated,
            "event_ids_max": MAX_IDS,
            "rows": rows,
        }))
    })
    .await
}

async fn network(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    q: Result<Query<params::NetworkParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(q)?;
    let range = params::dates(p.since.as_deref(), p.until.as_deref())?;
    let counting = params::counting(p.all_reports, p.dedup_window)?;
    let limit = params::limit(p.limit, 300, 2_000)?;
    let min_events = p.min_events.unwrap_or(1);
    cached(&app, &uri, move |s| {
        let mut net = sway_query::network(s, range, counting, min_events)?;
        // The strongest ties when there are too many to draw; patronage always.
        let total = net.edges.len();
        net.edges.sort_by(|a, b| {
            let patron = |e: &sway_contest::Edge| e.kind == sway_contest::EdgeKind::Patron;
            patron(b).cmp(&patron(a)).then(b.events.cmp(&a.events))
        });
        net.edges.truncate(limit);
        // An edge lists its first events; its counts cover them all.
        for e in &mut net.edges {
            e.event_ids.truncate(EDGE_EVENTS);
        }
        net.drop_loose_nodes();
        json_body(&json!({ "nodes": net.nodes, "edges": net.edges, "edges_total": total }))
    })
    .await
}

async fn map(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    q: Result<Query<params::RangeParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(q)?;
    let range = params::dates(p.since.as_deref(), p.until.as_deref())?;
    let (since, until) = range.days();
    cached(&app, &uri, move |s| json_body(&s.map_counts(since.as_deref(), until.as_deref())?)).await
}

async fn judgments(
    State(app): State<Arc<App>>,
    OriginalUri(uri): OriginalUri,
    q: Result<Query<params::JudgmentsParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = query(q)?;
    let q = sway_store::JudgmentQuery {
        source: params::text("source", p.source.as_deref())?,
        open: p.open.unwrap_or(false),
        limit: Some(params::limit(p.limit, 100, MAX_LIMIT)?),
    };
    cached(&app, &uri, move |s| {
        let rows: Vec<_> = s
            .judgments(&q)?
            .into_iter()
            .map(|j| {
                let outcome = j
                    .outcome
                    .map(|(o, by, at, note)| json!({ "outcome": o.as_str(), "by": by, "at": at, "note": note }));
                json!({
                    "doc_id": j.doc_id,
                    "source": j.source,
                    "author": j.author,
                    "title": j.title,
                    "published": j.published,
                    "judgment": j.judgment,
                    "outcome": outcome,
                })
            })
            .collect();
        json_body(&rows)
    })
    .await
}

/// A pasted article: `{"text": ..., "published": "YYYY-MM-DD", "url": ...}` as JSON,
/// or the text itself.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Pasted {
    text: String,
    published: Option<String>,
    url: Option<String>,
}

async fn analyze(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Some((pipeline, limit)) = app.analyze.clone() else {
        return Err(ApiError(StatusCode::FORBIDDEN, "analysis is off: start the server with --analyze".into()));
    };
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError(e.status(), format!("the text is over the limit of {limit} bytes")),
        s => ApiError(s, e.body_text()),
    })?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let pasted = if is_json {
        serde_json::from_slice::<Pasted>(&body).map_err(|e| ApiError::bad(format!("body: {e}")))?
    } else {
        let text = String::from_utf8(body.to_vec()).map_err(|_| ApiError::bad("body: not UTF-8 text"))?;
        Pasted { text, published: None, url: None }
    };
    if pasted.text.trim().is_empty() {
        return Err(ApiError::bad("text: empty"));
    }
    let published = params::dates(pasted.published.as_deref(), None)?.since;
    // Analysis is the heaviest work the server does: it takes a query permit too.
    let _permit = app.queries.acquire().await.map_err(ApiError::internal)?;
    let body = tokio::task::spawn_blocking(move || {
        let opts =
            sway_ingest::ReadOptions { max_bytes: limit as u64, format: Some(sway_core::InputFormat::Text), published };
        let mut docs = sway_ingest::read_bytes("pasted", pasted.text.as_bytes(), &opts);
        let mut doc = docs
            .pop()
            .ok_or_else(|| ApiError::bad("text: nothing to read"))?
            .map_err(|e| ApiError::bad(e.to_string()))?;
        doc.url = pasted.url;
        let rec = pipeline.analyze(&doc, true).map_err(ApiError::internal)?;
        json_body(&rec)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(respond(body.into()))
}

async fn fallback(OriginalUri(uri): OriginalUri) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") || path == "/api" {
        return ApiError::not_found(format!("no such endpoint: {path} (see /api/openapi.json)")).into_response();
    }
    match crate::assets::get(path) {
        Some((mime, bytes)) => (
            [
                (header::CONTENT_TYPE, mime),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                // Everything the page needs is served from here; nothing is fetched elsewhere.
                (header::CONTENT_SECURITY_POLICY, "default-src 'self'; img-src 'self' data:; style-src 'self'"),
            ],
            bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}
