//! CAMEO event codes with their Goldstein scores (both GDELT's and Phoenix's tables),
//! PLOVER 0.8 type and mode, and GDELT's QuadClass.
//!
//! The table ships in the repo as `data/codes/cameo.tsv` (built by `tools/build_codes.py`)
//! and is compiled into the binary, so no file is read at run time.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

const CAMEO_TSV: &str = include_str!("../../../data/codes/cameo.tsv");

/// Which Goldstein table a score came from: the two disagree on some codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GoldsteinTable {
    Gdelt,
    Phoenix,
}

/// One CAMEO code and what follows from it.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    pub code: String,
    pub name: String,
    pub goldstein_gdelt: Option<f64>,
    pub goldstein_phoenix: Option<f64>,
    pub plover_type: Option<String>,
    pub plover_mode: Option<String>,
}

/// The CAMEO code table, indexed by code.
#[derive(Debug, Clone)]
pub struct CameoTable {
    codes: HashMap<String, CameoCode>,
}

/// Errors reading a code table.
#[derive(Debug, thiserror::Error)]
pub enum CodeTableError {
    #[error("code table line {line}: {reason}")]
    Malformed { line: usize, reason: String },
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

impl CameoTable {
    /// The table compiled into sway.
    pub fn bundled() -> Self {
        // The bundled table is checked by a unit test, so a parse failure here is a build defect.
        Self::parse(CAMEO_TSV).unwrap_or_else(|e| panic!("bundled CAMEO table is broken: {e}"))
    }

    pub fn parse(tsv: &str) -> Result<Self, CodeTableError> {
        let mut codes = HashMap::new();
        let mut header_seen = false;
        for (i, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !header_seen {
                header_seen = true;
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 7 {
                return Err(CodeTableError::Malformed {
                    line: i + 1,
                    reason: format!("expected 7 fields, found {}", f.len()),
                });
            }
            let num = |s: &str| -> Result<Option<f64>, CodeTableError> {
                let s = s.trim();
                if s.is_empty() {
                    return Ok(None);
                }
                s.parse().map(Some).map_err(|_| CodeTableError::Malformed {
                    line: i + 1,
                    reason: format!("bad Goldstein value {s:?}"),
                })
            };
            let c = CameoCode {
                code: f[0].to_string(),
                name: f[1].to_string(),
                goldstein_gdelt: num(f[2])?,
                goldstein_phoenix: num(f[3])?,
                plover_type: opt(f[4]),
                plover_mode: opt(f[5]),
            };
            codes.insert(c.code.clone(), c);
        }
        Ok(Self { codes })
    }

    pub fn get(&self, code: &str) -> Option<&CameoCode> {
        self.codes.get(code)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Goldstein score from GDELT's table, falling back to Phoenix's where GDELT lacks the
    /// code, and then to the parent code. Returns the table the value came from.
    pub fn goldstein(&self, code: &str) -> Option<(f64, GoldsteinTable)> {
        self.lineage(code).find_map(|c| {
            c.goldstein_gdelt
                .map(|g| (g, GoldsteinTable::Gdelt))
                .or(c.goldstein_phoenix.map(|g| (g, GoldsteinTable::Phoenix)))
        })
    }

    /// PLOVER type and mode: the code's own, else its nearest ancestor's. The mode
    /// only comes along with the type of the same row.
    pub fn plover<'a>(&'a self, code: &'a str) -> Option<(&'a str, Option<&'a str>)> {
        self.lineage(code).find_map(|c| c.plover_type.as_deref().map(|t| (t, c.plover_mode.as_deref())))
    }

    /// The code and its ancestors, most specific first ("1823", "182", "18").
    fn lineage<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a CameoCode> + 'a {
        (2..=code.len()).rev().filter_map(move |n| code.get(..n).and_then(|c| self.codes.get(c)))
    }
}

/// GDELT's QuadClass from a CAMEO code's root: 1 verbal cooperation (01–05), 2 material
/// cooperation (06–08), 3 verbal conflict (09–13), 4 material conflict (14–20).
pub fn quad_class(code: &str) -> Option<u8> {
    let root: u8 = code.get(..2)?.parse().ok()?;
    Some(match root {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        14..=20 => 4,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_parses_and_has_every_root() {
        let t = CameoTable::bundled();
        assert!(t.len() > 300, "only {} codes", t.len());
        for root in 1..=20 {
            assert!(t.get(&format!("{root:02}")).is_some(), "root {root:02} missing");
        }
    }

    #[test]
    fn goldstein_and_plover_follow_the_tables() {
        let t = CameoTable::bundled();
        assert_eq!(t.goldstein("190"), Some((-10.0, GoldsteinTable::Gdelt)));
        assert_eq!(t.plover("195"), Some(("ASSAULT", Some("heavy-weapons"))));
        // 1823 has no PLOVER row of its own only if the table says so; either way the
        // lineage gives ASSAULT.
        assert_eq!(t.plover("1823").map(|p| p.0), Some("ASSAULT"));
        assert_eq!(t.plover("0874"), Some(("RETREAT", Some("disarm"))));
    }

    #[test]
    fn quad_class_by_root() {
        assert_eq!(quad_class("042"), Some(1));
        assert_eq!(quad_class("0874"), Some(2));
        assert_eq!(quad_class("130"), Some(3));
        assert_eq!(quad_class("190"), Some(4));
        assert_eq!(quad_class("21"), None);
        assert_eq!(quad_class("x"), None);
    }

    #[test]
    fn malformed_table_names_the_line() {
        let err = CameoTable::parse("code\tname\n01\tonly two\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
