//! Analysts' corrections to coded events. A correction is anchored to the event's
//! document and trigger offsets (and its rank among the events of that trigger), not
//! to its id, so it survives re-coding: `sway recode` re-applies every correction to
//! the events the new pipeline codes at the same place.

use rusqlite::{params, Connection};
use sway_core::contract::{EventRecord, Modality};

/// A field an analyst may correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The CAMEO code (QuadClass, Goldstein and PLOVER type follow it).
    Cameo,
    /// The source or target actor code (`none` for no actor).
    Source,
    Target,
    Modality,
    /// The event date, `YYYY-MM-DD` (or `none`).
    Date,
    /// `false`: not an event at all. It leaves the events table (and every count);
    /// the document's record and the correction keep it.
    Valid,
}

impl Field {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "cameo" | "code" => Self::Cameo,
            "source" => Self::Source,
            "target" => Self::Target,
            "modality" => Self::Modality,
            "date" => Self::Date,
            "valid" => Self::Valid,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cameo => "cameo",
            Self::Source => "source",
            Self::Target => "target",
            Self::Modality => "modality",
            Self::Date => "date",
            Self::Valid => "valid",
        }
    }
}

/// Why a correction was refused.
#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    #[error("unknown field {0:?}: one of cameo, source, target, modality, date, valid")]
    Field(String),
    #[error("{field}: {value:?} is not {want}")]
    Value { field: &'static str, value: String, want: &'static str },
    #[error("no event {0} in the store")]
    NoEvent(String),
}

/// A correction as the analyst gives it: `field=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub field: Field,
    /// `None` clears the field.
    pub value: Option<String>,
}

/// A modality by its contract name.
pub(crate) fn modality(s: &str) -> Option<Modality> {
    Some(match s {
        "asserted" => Modality::Asserted,
        "negated" => Modality::Negated,
        "conditional" => Modality::Conditional,
        "attempted" => Modality::Attempted,
        "predicted" => Modality::Predicted,
        "hypothetical" => Modality::Hypothetical,
        _ => return None,
    })
}

impl Correction {
    /// Parse `field=value`, checking the value.
    pub fn parse(s: &str) -> Result<Self, CorrectionError> {
        let (f, v) = s.split_once('=').unwrap_or((s, ""));
        let field = Field::parse(f.trim()).ok_or_else(|| CorrectionError::Field(f.trim().to_string()))?;
        let v = v.trim();
        let bad = |want| CorrectionError::Value { field: field.as_str(), value: v.to_string(), want };
        let value = match field {
            _ if v.eq_ignore_ascii_case("none") && matches!(field, Field::Source | Field::Target | Field::Date) => None,
            Field::Cameo => {
                if !(3..=4).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad("a CAMEO code (three or four digits)"));
                }
                Some(v.to_string())
            }
            Field::Source | Field::Target => {
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(bad("an actor code (letters and digits) or none"));
                }
                Some(v.to_ascii_uppercase())
            }
            Field::Modality => {
                modality(v)
                    .ok_or_else(|| bad("asserted, negated, conditional, attempted, predicted or hypothetical"))?;
                Some(v.to_string())
            }
            Field::Date => {
                chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| bad("a date (YYYY-MM-DD) or none"))?;
                Some(v.to_string())
            }
            Field::Valid => match v {
                "false" | "no" => Some("false".into()),
                "true" | "yes" => Some("true".into()),
                _ => return Err(bad("true or false")),
            },
        };
        Ok(Self { field, value })
    }

    /// Apply to an event: the record says which rule and which analyst changed it.
    pub fn apply(&self, e: &mut EventRecord, by: &str) {
        let v = self.value.as_deref();
        match self.field {
            Field::Cameo => {
                if let Some(code) = v {
                    let table = sway_core::codes::CameoTable::bundled();
                    e.cameo = code.to_string();
                    e.quad = sway_core::codes::quad_class(code);
                    if let Some((g, t)) = table.goldstein(code) {
                        e.goldstein = Some(g);
                        e.goldstein_table = Some(t);
                    }
                    if let Some((p, mode)) = table.plover(code) {
                        e.plover = Some(p.to_string());
                        e.mode = mode.map(str::to_string);
                    }
                }
            }
            Field::Source | Field::Target => {
                let side = if self.field == Field::Source { &mut e.source } else { &mut e.target };
                match (v, side.as_mut()) {
                    (None, _) => *side = None,
                    (Some(code), Some(p)) => {
                        p.code = Some(code.to_string());
                        p.country = code.get(..3).map(str::to_string);
                    }
                    (Some(code), None) => {
                        *side = Some(sway_core::contract::ParticipantRecord {
                            text: code.to_string(),
                            actor: None,
                            code: Some(code.to_string()),
                            country: code.get(..3).map(str::to_string),
                            sector: None,
                        });
                    }
                }
            }
            Field::Modality => {
                if let Some(m) = v.and_then(modality) {
                    e.modality = m;
                }
            }
            Field::Date => {
                let was = e.date.take();
                e.date = v.map(|d| sway_core::contract::EventDate {
                    start: d.to_string(),
                    end: d.to_string(),
                    precision: sway_core::contract::Precision::Day,
                    text: was.as_ref().and_then(|w| w.text.clone()),
                    method: was.as_ref().map_or(sway_core::contract::DateMethod::Reference, |w| w.method),
                });
            }
            // Whether the event stays is decided by `apply` below, which drops it.
            Field::Valid => {}
        }
        if !e.rule.contains("corrected by") {
            e.rule.push_str(&format!(" (corrected by {by})"));
        }
    }
}

/// The anchor of each event of a document: its trigger offsets and its rank among
/// events with the same trigger.
pub(crate) fn anchors(events: &[EventRecord]) -> Vec<(usize, usize, usize)> {
    let mut seen: std::collections::HashMap<(usize, usize), usize> = std::collections::HashMap::new();
    events
        .iter()
        .map(|e| {
            let k = (e.trigger.start, e.trigger.end);
            let n = seen.entry(k).or_insert(0);
            *n += 1;
            (k.0, k.1, *n - 1)
        })
        .collect()
}

/// Apply the stored corrections of `doc_id` to its events, oldest first; events an
/// analyst marked `valid=false` (and not valid again since) are removed.
pub(crate) fn apply(c: &Connection, doc_id: &str, events: &mut Vec<EventRecord>) -> rusqlite::Result<()> {
    let mut st = c.prepare_cached(
        "SELECT trigger_start, trigger_end, nth, field, value, made_by FROM corrections WHERE doc_id = ?1 ORDER BY seq",
    )?;
    let rows: Vec<(i64, i64, i64, String, Option<String>, String)> = st
        .query_map(params![doc_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Ok(());
    }
    let anchors = anchors(events);
    let mut keep = vec![true; events.len()];
    for (s, e, n, field, value, by) in rows {
        let Some(field) = Field::parse(&field) else { continue };
        let fix = Correction { field, value };
        for (i, (ev, a)) in events.iter_mut().zip(&anchors).enumerate() {
            if (a.0 as i64, a.1 as i64, a.2 as i64) == (s, e, n) {
                if field == Field::Valid {
                    keep[i] = fix.value.as_deref() != Some("false");
                } else {
                    fix.apply(ev, &by);
                }
            }
        }
    }
    let mut k = keep.into_iter();
    events.retain(|_| k.next().unwrap_or(true));
    Ok(())
}
