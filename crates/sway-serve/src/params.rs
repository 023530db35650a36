//! Query parameters, checked before anything reaches the store: unknown names,
//! malformed values and ranges too wide are 400s that say which parameter and why.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use sway_contest::Period;

/// An error answered as `{"error": "..."}` with its status.
#[derive(Debug)]
pub struct ApiError(pub StatusCode, pub String);

impl ApiError {
    pub fn bad(msg: impl Into<String>) -> Self {
        Self(StatusCode::BAD_REQUEST, msg.into())
    }

    pub fn not_found(msg: impl Into<String>) -> Self {
        Self(StatusCode::NOT_FOUND, msg.into())
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, axum::Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

impl From<sway_store::StoreError> for ApiError {
    fn from(e: sway_store::StoreError) -> Self {
        match e {
            sway_store::StoreError::Query { .. } => Self::bad(e.to_string()),
            e => Self::internal(e),
        }
    }
}

impl From<sway_query::QueryError> for ApiError {
    fn from(e: sway_query::QueryError) -> Self {
        match e {
            sway_query::QueryError::Store(s) => s.into(),
        }
    }
}

/// Most events, actors or judgments one response lists.
pub const MAX_LIMIT: usize = 500;
/// Deepest page of events (offsets cost a scan).
pub const MAX_OFFSET: usize = 100_000;
/// Most periods a series or balance answers with.
pub const MAX_PERIODS: usize = 5_000;

fn date(name: &str, v: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| ApiError::bad(format!("{name}: {v:?} is not a date (YYYY-MM-DD)")))?;
    if !(1800..=2200).contains(&d.year()) {
        return Err(ApiError::bad(format!("{name}: {v} is out of range (years 1800 to 2200)")));
    }
    Ok(Some(d))
}

/// `since` and `until`, checked and in order.
pub fn dates(since: Option<&str>, until: Option<&str>) -> Result<sway_query::DateRange, ApiError> {
    let (since, until) = (date("since", since)?, date("until", until)?);
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            return Err(ApiError::bad(format!("since ({s}) is after until ({u})")));
        }
    }
    Ok(sway_query::DateRange { since, until })
}

/// An ISO 3166 alpha-3 code, upper-cased.
pub fn iso3(name: &str, v: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    if v.len() == 3 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(Some(v.to_ascii_uppercase()))
    } else {
        Err(ApiError::bad(format!("{name}: {v:?} is not an ISO 3166 alpha-3 code")))
    }
}

/// An actor code or its prefix (`IRN`, `IRNMIL`, `USAGOV`), upper-cased.
pub fn actor_code(name: &str, v: &str) -> Result<String, ApiError> {
    if (2..=32).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(v.to_ascii_uppercase())
    } else {
        Err(ApiError::bad(format!("{name}: {v:?} is not an actor code (letters and digits, such as IRN or IRQGOV)")))
    }
}

/// Free text a filter matches (an actor's name, a place), bounded.
pub fn text(name: &str, v: Option<&str>) -> Result<Option<String>, ApiError> {
    match v {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) if v.chars().count() <= 100 && !v.chars().any(char::is_control) => Ok(Some(v.trim().to_string())),
        Some(_) => Err(ApiError::bad(format!("{name}: at most 100 characters, no control characters"))),
    }
}

pub fn cameo(v: Option<&str>) -> Result<Option<String>, ApiError> {
    match v {
        None => Ok(None),
        Some(v) if (2..=4).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(v.to_string())),
        Some(v) => Err(ApiError::bad(format!("cameo: {v:?} is not a CAMEO code or prefix (2 to 4 digits)"))),
    }
}

pub fn modality(v: Option<&str>) -> Result<Option<String>, ApiError> {
    const ALL: [&str; 6] = ["asserted", "negated", "conditional", "attempted", "predicted", "hypothetical"];
    match v {
        None => Ok(None),
        Some(v) if ALL.contains(&v) => Ok(Some(v.to_string())),
        Some(v) => Err(ApiError::bad(format!("modality: {v:?} is not one of {}", ALL.join(", ")))),
    }
}

pub fn quad(v: Option<u8>) -> Result<Option<u8>, ApiError> {
    match v {
        Some(q) if !(1..=4).contains(&q) => Err(ApiError::bad(format!("quad: {q} is not a QuadClass (1 to 4)"))),
        q => Ok(q),
    }
}

pub fn by(v: Option<&str>) -> Result<Period, ApiError> {
    match v.unwrap_or("month") {
        "day" => Ok(Period::Day),
        "week" => Ok(Period::Week),
        "month" => Ok(Period::Month),
        "year" => Ok(Period::Year),
        v => Err(ApiError::bad(format!("by: {v:?} is not one of day, week, month, year"))),
    }
}

pub fn limit(v: Option<usize>, default: usize, max: usize) -> Result<usize, ApiError> {
    match v.unwrap_or(default) {
        0 => Err(ApiError::bad("limit: at least 1")),
        n if n > max => Err(ApiError::bad(format!("limit: at most {max}"))),
        n => Ok(n),
    }
}

/// A stored id (document or event): letters, digits, `-`, `_`, `.`, `:`.
pub fn id(what: &str, v: &str) -> Result<String, ApiError> {
    let ok = |b: u8| b.is_ascii_alphanumeric() || b"-_.:".contains(&b);
    if (1..=200).contains(&v.len()) && v.bytes().all(ok) {
        Ok(v.to_string())
    } else {
        Err(ApiError::bad(format!("{what}: {v:?} is not an id")))
    }
}

/// Reports counted once per real event unless `all_reports`.
pub fn counting(all_reports: Option<bool>, dedup_window: Option<i64>) -> Result<sway_query::Counting, ApiError> {
    let w = dedup_window.unwrap_or(sway_store::INGEST_DEDUP_DAYS);
    if !(0..=60).contains(&w) {
        return Err(ApiError::bad("dedup_window: 0 to 60 days"));
    }
    Ok(sway_query::Counting { all_reports: all_reports.unwrap_or(false), dedup_window: w })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsParams {
    pub actor: Option<String>,
    pub country: Option<String>,
    pub cameo: Option<String>,
    pub quad: Option<u8>,
    pub modality: Option<String>,
    pub place: Option<String>,
    pub doc: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineParams {
    pub actor: Option<String>,
    pub country: Option<String>,
    pub cameo: Option<String>,
    pub modality: Option<String>,
    pub by: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DyadParams {
    pub a: Option<String>,
    pub b: Option<String>,
    pub by: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub min_baseline: Option<u32>,
    pub all_modalities: Option<bool>,
    pub all_reports: Option<bool>,
    pub dedup_window: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalanceParams {
    pub arena: Option<String>,
    pub powers: Option<String>,
    pub by: Option<String>,
    pub window: Option<usize>,
    pub smoothing: Option<f64>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub all_reports: Option<bool>,
    pub dedup_window: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkParams {
    pub since: Option<String>,
    pub until: Option<String>,
    pub min_events: Option<u32>,
    pub limit: Option<usize>,
    pub all_reports: Option<bool>,
    pub dedup_window: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeParams {
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorsParams {
    pub country: Option<String>,
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgmentsParams {
    pub source: Option<String>,
    pub open: Option<bool>,
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    pub q: Option<String>,
    pub limit: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked() {
        assert!(dates(Some("2020-01-01"), Some("2019-01-01")).is_err());
        assert!(dates(Some("2020-13-01"), None).is_err());
        assert!(dates(Some("0001-01-01"), None).is_err());
        assert_eq!(dates(Some("2020-01-01"), None).unwrap().since, NaiveDate::from_ymd_opt(2020, 1, 1));
        assert_eq!(iso3("c", Some("irq")).unwrap().as_deref(), Some("IRQ"));
        assert!(iso3("c", Some("IR")).is_err());
        assert!(actor_code("a", "USA'--").is_err());
        assert!(cameo(Some("19%")).is_err());
        assert!(modality(Some("maybe")).is_err());
        assert!(quad(Some(5)).is_err());
        assert!(limit(Some(10_000), 100, MAX_LIMIT).is_err());
        assert!(limit(Some(0), 100, MAX_LIMIT).is_err());
        assert!(id("doc", "../etc/passwd").is_err());
        assert!(text("place", Some(&"x".repeat(101))).is_err());
        assert!(counting(None, Some(-1)).is_err());
    }
}
