//! The API over a store built from the bundled example corpus (`examples/contest.jsonl`,
//! written for these tests), requested in process through the router.

#![allow(clippy::unwrap_used)] // helpers of the tests below: a failure is a test failure

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use sway_pipeline::Pipeline;
use sway_serve::{router, App};
use sway_store::Store;
use tower::ServiceExt;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/contest.jsonl")
}

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new().expect("the shipped pipeline loads"))
}

/// Analyze `lines` of the example corpus into a new store at `db`.
fn ingest(db: &Path, lines: std::ops::Range<usize>) {
    let mut store = Store::open(db).unwrap();
    let docs = sway_ingest::read_path(&corpus(), &sway_ingest::ReadOptions::default());
    for doc in docs.into_iter().skip(lines.start).take(lines.len()) {
        let doc = doc.unwrap();
        let rec = pipeline().analyze(&doc, false).unwrap();
        store.put(&rec, &doc.text).unwrap();
    }
}

/// A store of the whole example corpus, built once for the read-only tests.
fn shared() -> &'static Path {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s.db");
        ingest(&db, 0..100);
        (dir, db)
    })
    .1
}

fn app(db: &Path, analyze: Option<usize>) -> Arc<App> {
    App::open(db, analyze).unwrap()
}

async fn send(app: &Arc<App>, req: Request<Body>) -> (StatusCode, Vec<u8>, Option<String>) {
    let res = router(app.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let ctype = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, body, ctype)
}

async fn get(app: &Arc<App>, uri: &str) -> (StatusCode, Value) {
    let (status, body, ctype) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    assert_eq!(ctype.as_deref(), Some("application/json"), "{uri}");
    (status, serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{uri}: {e}")))
}

async fn ok(app: &Arc<App>, uri: &str) -> Value {
    let (status, v) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {v}");
    v
}

#[tokio::test]
async fn events_page_filter_and_trace_to_their_sentences() {
    let app = app(shared(), None);
    let health = ok(&app, "/api/health").await;
    assert_eq!(health["documents"], 9);
    let total = health["events"].as_u64().unwrap();
    assert!(total >= 20, "{health}");

    // Pages cover every event once, in order.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = ok(&app, &format!("/api/events?limit=7&offset={offset}")).await;
        for e in page["events"].as_array().unwrap() {
            seen.push(e["id"].as_str().unwrap().to_string());
        }
        match page["next_offset"].as_u64() {
            Some(n) => offset = n,
            None => break,
        }
    }
    assert_eq!(seen.len() as u64, total);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());

    // Every event's evidence is the exact bytes of its document.
    let page = ok(&app, "/api/events?actor=IRN&limit=500").await;
    let events = page["events"].as_array().unwrap();
    assert!(!events.is_empty());
    for e in events {
        let doc = ok(&app, &format!("/api/documents/{}", e["doc_id"].as_str().unwrap())).await;
        let text = doc["text"].as_str().unwrap();
        let ev = &e["evidence"];
        let (s, t) = (ev["start"].as_u64().unwrap() as usize, ev["end"].as_u64().unwrap() as usize);
        assert_eq!(&text[s..t], ev["text"].as_str().unwrap());
        let tr = &e["trigger"];
        let (s, t) = (tr["start"].as_u64().unwrap() as usize, tr["end"].as_u64().unwrap() as usize);
        assert_eq!(&text[s..t], tr["text"].as_str().unwrap());
        let one = ok(&app, &format!("/api/events/{}", e["id"].as_str().unwrap())).await;
        assert_eq!(one["event"]["id"], e["id"]);
    }

    // Filters narrow, and combine.
    let count = |v: &Value| v["events"].as_array().unwrap().len();
    let attacks = ok(&app, "/api/events?cameo=19&limit=500").await;
    assert!(count(&attacks) > 0);
    assert!(attacks["events"].as_array().unwrap().iter().all(|e| e["cameo"].as_str().unwrap().starts_with("19")));
    let q4 = ok(&app, "/api/events?quad=4&country=irq&limit=500").await;
    assert!(q4["events"].as_array().unwrap().iter().all(|e| e["quad"] == 4));
    let dec = ok(&app, "/api/events?since=2020-12-01&until=2020-12-31&limit=500").await;
    assert!(count(&dec) > 0);
    assert!(dec["events"].as_array().unwrap().iter().all(|e| e["date"]["start"].as_str().unwrap() >= "2020-12"));
    let predicted = ok(&app, "/api/events?modality=predicted&limit=500").await;
    assert!(predicted["events"].as_array().unwrap().iter().all(|e| e["modality"] == "predicted"));
    let evil = ok(&app, "/api/events?actor=x%27%20OR%201%3D1%20--").await;
    assert_eq!(count(&evil), 0, "an injection attempt is a string that matches nothing");

    assert_eq!(get(&app, "/api/events/nope").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/api/documents/nope").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_parameters_are_400s_that_name_the_parameter() {
    let app = app(shared(), None);
    for (uri, needle) in [
        ("/api/events?colour=red", "colour"),
        ("/api/events?since=2020-13-01", "since"),
        ("/api/events?since=2021-01-01&until=2020-01-01", "after"),
        ("/api/events?country=IR", "country"),
        ("/api/events?quad=7", "quad"),
        ("/api/events?quad=x", "quad"),
        ("/api/events?limit=100000", "limit"),
        ("/api/events?offset=100000000", "offset"),
        ("/api/events?cameo=1%25", "cameo"),
        ("/api/events?modality=perhaps", "modality"),
        ("/api/events/..%2F..%2Fetc", "event"),
        ("/api/dyad?a=USA", "b:"),
        ("/api/dyad?a=USA&b=IRN&by=fortnight", "by"),
        ("/api/balance?arena=IRQ", "powers"),
        ("/api/balance?arena=IRQ&powers=USA,IRN&window=500", "window"),
        ("/api/network?limit=0", "limit"),
        ("/api/search?q=", "q:"),
        ("/api/timeline?by=week", "by"),
    ] {
        let (status, v) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
        let msg = v["error"].as_str().unwrap();
        assert!(msg.contains(needle), "{uri}: {msg}");
    }
    let (status, v) = get(&app, "/api/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(v["error"].as_str().unwrap().contains("openapi"));
    // The server only reads: there is nothing to write to.
    let (status, _, _) = send(&app, Request::delete("/api/events").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn static_files_come_from_a_fixed_table() {
    let app = app(shared(), None);
    let (status, body, ctype) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.unwrap().starts_with("text/html"));
    assert!(String::from_utf8(body).unwrap().contains("app.js"));
    for uri in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/../openapi.json",
        "/app.js/../../src/lib.rs",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/index.html%00.js",
        "/Cargo.toml",
    ] {
        let (status, body, _) = send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {}", String::from_utf8_lossy(&body));
    }
}

#[tokio::test]
async fn the_contest_endpoints_answer_as_the_commands_do() {
    let app = app(shared(), None);
    let store = Store::open_query_only(shared()).unwrap();
    // The dyad as sway-query computes it for `sway dyad`.
    let v = ok(&app, "/api/dyad?a=USA&b=IRQ&by=month").await;
    let rows = sway_query::dyad(
        &store,
        "USA",
        "IRQ",
        sway_query::DateRange::default(),
        sway_query::Counting::default(),
        sway_contest::SeriesOptions::default(),
    )
    .unwrap();
    assert_eq!(v["rows"], serde_json::to_value(&rows).unwrap());
    assert!(!rows.is_empty());

    // The balance: every event a figure counts is one the API can show.
    let v = ok(&app, "/api/balance?arena=IRQ&powers=USA,IRN").await;
    assert_eq!(v["camps"][0]["power"], "USA");
    let rows = v["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    let dec = rows.iter().find(|r| r["period"] == "2020-12").expect("a December row");
    let ids = dec["standings"][1]["event_ids"].as_array().unwrap();
    assert!(!ids.is_empty(), "{dec}");
    for id in ids {
        let e = ok(&app, &format!("/api/events/{}", id.as_str().unwrap())).await;
        let side = |s: &str| e["event"][s]["code"].as_str().unwrap_or("").to_string();
        assert!(side("source").starts_with("IRN") || side("target").starts_with("IRN"), "{e}");
    }

    let net = ok(&app, "/api/network").await;
    let nodes = net["nodes"].as_array().unwrap();
    let edges = net["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    for e in edges {
        for end in ["source", "target"] {
            assert!(nodes.iter().any(|n| n["id"] == e[end]), "edge end {} has a node", e[end]);
        }
    }
    let small = ok(&app, "/api/network?limit=2").await;
    assert_eq!(small["edges"].as_array().unwrap().len(), 2);

    let map = ok(&app, "/api/map").await;
    let irq = map["countries"].as_array().unwrap().iter().find(|c| c["country"] == "IRQ").unwrap();
    assert!(irq["events"].as_u64().unwrap() > 0);

    let tl = ok(&app, "/api/timeline?by=month").await;
    let months: Vec<&str> = tl["rows"].as_array().unwrap().iter().map(|r| r["period"].as_str().unwrap()).collect();
    assert!(months.contains(&"2020-01") && months.contains(&"2020-12"), "{months:?}");
    let sum: u64 = tl["rows"].as_array().unwrap().iter().map(|r| r["reports"].as_u64().unwrap()).sum();
    let dated = ok(&app, "/api/events?limit=500").await["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["date"].is_object())
        .count();
    assert_eq!(sum as usize, dated);

    let actors = ok(&app, "/api/actors?country=IRQ").await;
    assert!(actors.as_array().unwrap().iter().all(|a| a["country"] == "IRQ"));
    let hits = ok(&app, "/api/search?q=Camp%20Taji").await;
    assert_eq!(hits.as_array().unwrap().len(), 2, "the report and its wire copy");
    ok(&app, "/api/judgments").await;
}

#[tokio::test]
async fn the_openapi_description_covers_every_route() {
    let app = app(shared(), None);
    let spec = ok(&app, "/api/openapi.json").await;
    let event = ok(&app, "/api/events?limit=1").await["events"][0].clone();
    let paths = spec["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 14, "{:?}", paths.keys());
    for (path, ops) in paths {
        let uri = path.replace(
            "{id}",
            if path.contains("documents") { event["doc_id"].as_str().unwrap() } else { event["id"].as_str().unwrap() },
        );
        // Required parameters from the description itself.
        let method = ops.as_object().unwrap().keys().next().unwrap().clone();
        let mut query = Vec::new();
        for p in ops[&method]["parameters"].as_array().into_iter().flatten() {
            if p["required"] == true && p["in"] == "query" {
                let example = match p["name"].as_str().unwrap() {
                    "a" => "USA",
                    "b" => "IRN",
                    "arena" => "IRQ",
                    "q" => "rockets",
                    other => p["schema"]["example"].as_str().unwrap_or_else(|| panic!("{path}: example for {other}")),
                };
                query.push(format!("{}={example}", p["name"].as_str().unwrap()));
            }
        }
        let uri = if query.is_empty() { uri } else { format!("{uri}?{}", query.join("&")) };
        let req = Request::builder().method(method.to_uppercase().as_str()).uri(&uri).body(Body::empty()).unwrap();
        let (status, body, _) = send(&app, req).await;
        let expected = if method == "post" { StatusCode::FORBIDDEN } else { StatusCode::OK };
        assert_eq!(status, expected, "{uri}: {}", String::from_utf8_lossy(&body));
    }
}

#[tokio::test]
async fn the_page_defaults_warm_the_cache() {
    let app = app(shared(), None);
    assert_eq!(sway_serve::warm(app.clone()).await, sway_serve::PAGE_DEFAULTS.len());
    // The same question in another order and encoding is the same answer.
    let a = ok(&app, "/api/balance?arena=IRQ&powers=USA,IRN").await;
    let b = ok(&app, "/api/balance?powers=USA%2CIRN&arena=IRQ").await;
    assert_eq!(a, b);
}

#[tokio::test]
async fn cached_answers_follow_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    ingest(&db, 0..3);
    let app = app(&db, None);
    let before = ok(&app, "/api/timeline?by=year").await;
    let again = ok(&app, "/api/timeline?by=year").await;
    assert_eq!(before, again);
    // Another process (here another connection) stores more documents.
    ingest(&db, 3..100);
    let after = ok(&app, "/api/timeline?by=year").await;
    let n = |v: &Value| v["rows"][0]["reports"].as_u64().unwrap();
    assert!(n(&after) > n(&before), "{before} then {after}");
}

#[tokio::test]
async fn analysis_is_off_unless_enabled_and_bounded() {
    let off = app(shared(), None);
    let (status, _, _) =
        send(&off, Request::post("/api/analyze").body(Body::from("Iran threatened Iraq.")).unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let on = app(shared(), Some(2_000));
    let (status, body, _) = send(&on, Request::post("/api/analyze").body(Body::from("x".repeat(5_000))).unwrap()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v["error"].as_str().unwrap().contains("2000"), "{v}");

    let json = r#"{"text": "Kata'ib Hezbollah fired rockets at the U.S. Embassy in Baghdad on Tuesday night.", "published": "2020-03-11"}"#;
    let req = Request::post("/api/analyze").header("content-type", "application/json").body(Body::from(json)).unwrap();
    let (status, body, _) = send(&on, req).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let rec: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(rec["published"], "2020-03-11");
    assert!(rec["events"].as_array().unwrap().iter().any(|e| e["cameo"].as_str().unwrap().starts_with("19")), "{rec}");

    let req = Request::post("/api/analyze")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"txt": "typo"}"#))
        .unwrap();
    assert_eq!(send(&on, req).await.0, StatusCode::BAD_REQUEST);
    // Nothing analyzed is stored.
    assert_eq!(ok(&on, "/api/health").await["documents"], 9);
}
