//! The actor registry: organisations and people with their names, aliases, country,
//! sector, dated roles and dated patrons.
//!
//! The registry is data (`data/registry/*.tsv`, format in `docs/registry.md`): the
//! Phoenix dictionaries converted by `tools/build_actors.py`, then the hand-curated
//! `curated.tsv`, then any user files, each later file adding entries or replacing
//! entries with the same id. A file is parsed completely before anything is merged,
//! so a faulty file is refused whole, never half-loaded.

use std::collections::HashMap;

use sway_core::contract::ActorType;

use crate::resources::ResourceError;

pub(crate) const PHOENIX_TSV: &str = include_str!("../../../data/registry/actors.tsv");
pub(crate) const CURATED_TSV: &str = include_str!("../../../data/registry/curated.tsv");
pub(crate) const PHOENIX_PATH: &str = "data/registry/actors.tsv";
pub(crate) const CURATED_PATH: &str = "data/registry/curated.tsv";

const HEADER: [&str; 10] = ["id", "name", "type", "country", "sector", "code", "aliases", "roles", "patrons", "note"];

/// A date bound as written (`2020`, `2020-05`, `2020-05-07`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateBound(String);

impl DateBound {
    fn parse(s: &str) -> Result<Self, String> {
        let ok = match s.len() {
            4 => s.bytes().all(|b| b.is_ascii_digit()),
            7 => chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok(),
            10 => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
            _ => false,
        };
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(format!("bad date {s:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `day` (`YYYY-MM-DD`) is on or after this bound's first day.
    fn starts_by(&self, day: &str) -> bool {
        // A prefix compares as the first day of its period: "2020" <= "2020-05-07".
        day >= self.0.as_str()
    }

    /// Whether `day` is on or before this bound's last day.
    fn ends_after(&self, day: &str) -> bool {
        // "2020-05-07" is within "2020": compare on the bound's precision.
        &day[..self.0.len().min(day.len())] <= self.0.as_str()
    }
}

/// A dated interval; either end may be open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Period {
    pub from: Option<DateBound>,
    pub to: Option<DateBound>,
}

impl Period {
    fn parse(s: &str) -> Result<Self, String> {
        let (a, b) = s.split_once("..").ok_or_else(|| format!("bad period {s:?} (expected FROM..TO)"))?;
        let bound = |x: &str| if x.is_empty() { Ok(None) } else { DateBound::parse(x).map(Some) };
        Ok(Self { from: bound(a)?, to: bound(b)? })
    }

    /// Whether the period holds on `day` (`YYYY-MM-DD`).
    pub fn contains(&self, day: &str) -> bool {
        self.from.as_ref().is_none_or(|f| f.starts_by(day)) && self.to.as_ref().is_none_or(|t| t.ends_after(day))
    }
}

/// A position an actor held: the code it gives them while held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// CAMEO-style code while the role is held (`IRQGOV`).
    pub code: String,
    pub period: Period,
    pub title: Option<String>,
}

/// Who backs an actor: a state (ISO alpha-3) or another registry actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patron {
    /// `IRN`, or a registry id.
    pub target: String,
    pub is_country: bool,
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegistryEntry {
    pub id: String,
    pub name: String,
    pub kind: ActorType,
    pub country: Option<String>,
    pub sector: Option<String>,
    /// The code when no dated role applies.
    pub code: String,
    pub aliases: Vec<String>,
    pub roles: Vec<Role>,
    pub patrons: Vec<Patron>,
    /// Which file the entry came from, with its line: `data/registry/curated.tsv:12`.
    pub origin: String,
}

/// What a registry actor codes as on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coding<'a> {
    pub code: &'a str,
    pub title: Option<&'a str>,
}

impl RegistryEntry {
    /// The actor's code on `day` (`YYYY-MM-DD`): the latest-starting role held that
    /// day, else the default code. Without a day, the default code.
    pub fn coding_on(&self, day: Option<&str>) -> Coding<'_> {
        let role = day.and_then(|d| {
            self.roles.iter().filter(|r| r.period.contains(d)).max_by(|a, b| {
                a.period.from.as_ref().map(DateBound::as_str).cmp(&b.period.from.as_ref().map(DateBound::as_str))
            })
        });
        match role {
            Some(r) => Coding { code: &r.code, title: r.title.as_deref() },
            None => Coding { code: &self.code, title: None },
        }
    }

    /// Patrons that held on `day`, or all of them without a day.
    pub fn patrons_on<'a>(&'a self, day: Option<&'a str>) -> impl Iterator<Item = &'a Patron> + 'a {
        self.patrons.iter().filter(move |p| day.is_none_or(|d| p.period.contains(d)))
    }
}

/// Registry entries by id, in load order; later loads replace entries with the same id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    entries: Vec<RegistryEntry>,
    by_id: HashMap<String, usize>,
}

/// A CAMEO-style code: upper-case letters and digits, mostly in 3-letter units, though
/// CAMEO's regional codes have 4 (`NGOEEURENV`).
fn is_code(s: &str) -> bool {
    (3..=18).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b':')
}

fn parse_kind(s: &str) -> Result<ActorType, String> {
    match s {
        "person" => Ok(ActorType::Person),
        "organisation" | "organization" => Ok(ActorType::Organisation),
        "group" => Ok(ActorType::Group),
        _ => Err(format!("bad type {s:?} (expected person, organisation or group)")),
    }
}

fn items(field: &str) -> impl Iterator<Item = &str> {
    field.split(';').map(str::trim).filter(|s| !s.is_empty())
}

fn parse_role(s: &str) -> Result<Role, String> {
    let mut parts = s.splitn(3, ' ');
    let code = parts.next().unwrap_or_default();
    if !is_code(code) {
        return Err(format!("bad role {s:?}: {code:?} is not a CAMEO-style code"));
    }
    let period = Period::parse(parts.next().ok_or_else(|| format!("bad role {s:?}: no FROM..TO"))?)?;
    let title = parts.next().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    Ok(Role { code: code.to_string(), period, title })
}

fn parse_patron(s: &str) -> Result<Patron, String> {
    let (target, period) = s.split_once(' ').unwrap_or((s, ".."));
    let is_country = target.len() == 3 && target.bytes().all(|b| b.is_ascii_uppercase());
    if !is_country && !is_id(target) {
        return Err(format!("bad patron {target:?} (expected an ISO alpha-3 code or a registry id)"));
    }
    Ok(Patron { target: target.to_string(), is_country, period: Period::parse(period.trim())? })
}

/// Parse a registry file completely; the first faulty line refuses the whole file.
pub fn parse_registry(src: &str, file: &str) -> Result<Vec<RegistryEntry>, ResourceError> {
    let bad = |line: usize, reason: String| ResourceError { file: file.to_string(), line, reason };
    let mut out: Vec<RegistryEntry> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut header_seen = false;
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    for (i, raw) in src.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = raw.split('\t').collect();
        if !header_seen {
            if f != HEADER {
                return Err(bad(line, format!("expected the header line: {} (tab-separated)", HEADER.join(" "))));
            }
            header_seen = true;
            continue;
        }
        if f.len() != HEADER.len() {
            return Err(bad(line, format!("expected {} tab-separated fields, found {}", HEADER.len(), f.len())));
        }
        let id = f[0].trim();
        if !is_id(id) {
            return Err(bad(line, format!("bad id {id:?} (lower-case letters, digits, '-' and ':')")));
        }
        if let Some(prev) = seen.insert(id.to_string(), line) {
            return Err(bad(line, format!("id {id:?} already defined on line {prev}")));
        }
        let name = f[1].trim();
        if name.is_empty() {
            return Err(bad(line, "empty name".into()));
        }
        let kind = parse_kind(f[2].trim()).map_err(|r| bad(line, r))?;
        let country = match f[3].trim() {
            "" => None,
            c if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => Some(c.to_string()),
            c => return Err(bad(line, format!("bad country {c:?} (expected ISO 3166 alpha-3)"))),
        };
        let sector = match f[4].trim() {
            "" => None,
            s if is_code(s) => Some(s.to_string()),
            s => {
                return Err(bad(
                    line,
                    format!("bad sector {s:?} (expected upper-case CAMEO codes such as GOV or GOVMIL)"),
                ))
            }
        };
        let code = match f[5].trim() {
            "" => format!("{}{}", country.as_deref().unwrap_or(""), sector.as_deref().unwrap_or("")),
            c if is_code(c) => c.to_string(),
            c => return Err(bad(line, format!("bad code {c:?} (expected a CAMEO-style code such as IRNMIL)"))),
        };
        if code.is_empty() {
            return Err(bad(line, "no code, and no country or sector to make one".into()));
        }
        let aliases = f[6].split('|').map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect();
        let roles = items(f[7]).map(parse_role).collect::<Result<Vec<_>, _>>().map_err(|r| bad(line, r))?;
        let patrons = items(f[8]).map(parse_patron).collect::<Result<Vec<_>, _>>().map_err(|r| bad(line, r))?;
        out.push(RegistryEntry {
            id: id.to_string(),
            name: name.to_string(),
            kind,
            country,
            sector,
            code,
            aliases,
            roles,
            patrons,
            origin: format!("{file}:{line}"),
        });
    }
    if !header_seen {
        return Err(bad(0, "no header line".into()));
    }
    Ok(out)
}

impl Registry {
    /// The bundled registry: the converted Phoenix dictionaries, then the curated file.
    pub fn bundled() -> Self {
        let mut r = Self::default();
        for (src, path) in [(PHOENIX_TSV, PHOENIX_PATH), (CURATED_TSV, CURATED_PATH)] {
            // Unit tests check the bundled files; failing here is a build defect.
            let entries = parse_registry(src, path).unwrap_or_else(|e| panic!("bundled registry is broken: {e}"));
            r.merge(entries);
        }
        r
    }

    /// Add entries, replacing any with the same id.
    /// A replacement moves to the end, so that it also wins names it shares with
    /// entries loaded in between (a user's entry over a curated one).
    pub fn merge(&mut self, entries: Vec<RegistryEntry>) {
        let replaced: std::collections::HashSet<&str> =
            entries.iter().filter(|e| self.by_id.contains_key(&e.id)).map(|e| e.id.as_str()).collect();
        if !replaced.is_empty() {
            self.entries.retain(|e| !replaced.contains(e.id.as_str()));
        }
        self.entries.extend(entries);
        self.by_id = self.entries.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
    }

    /// Check that every patron id refers to an entry; the error names the entry's line.
    pub fn check_references(&self) -> Result<(), ResourceError> {
        for e in &self.entries {
            for p in e.patrons.iter().filter(|p| !p.is_country) {
                if !self.by_id.contains_key(&p.target) {
                    let (file, line) = e.origin.rsplit_once(':').unwrap_or((&e.origin, "0"));
                    return Err(ResourceError {
                        file: file.to_string(),
                        line: line.parse().unwrap_or(0),
                        reason: format!("patron {:?} of {:?} is not in the registry", p.target, e.id),
                    });
                }
            }
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&RegistryEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    pub fn entry(&self, index: usize) -> &RegistryEntry {
        &self.entries[index]
    }

    pub fn entries(&self) -> &[RegistryEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "id\tname\ttype\tcountry\tsector\tcode\taliases\troles\tpatrons\tnote\n";

    fn one(line: &str) -> Result<Vec<RegistryEntry>, ResourceError> {
        parse_registry(&format!("# test\n{HEAD}{line}\n"), "user.tsv")
    }

    #[test]
    fn a_person_codes_by_the_role_held_that_day() {
        let e = one("ana-fictia\tAna Fictia\tperson\tXYZ\tELI\t\tFictia|A. Fictia\tXYZGOV 2020-05-07..2022-10-27 Prime Minister; XYZSPY 2016-06..2020-05-06\t\t")
            .unwrap()
            .remove(0);
        assert_eq!(e.code, "XYZELI");
        assert_eq!(e.aliases, ["Fictia", "A. Fictia"]);
        assert_eq!(e.coding_on(Some("2021-01-01")).code, "XYZGOV");
        assert_eq!(e.coding_on(Some("2021-01-01")).title, Some("Prime Minister"));
        assert_eq!(e.coding_on(Some("2022-10-27")).code, "XYZGOV");
        assert_eq!(e.coding_on(Some("2022-10-28")).code, "XYZELI");
        assert_eq!(e.coding_on(Some("2016-06-01")).code, "XYZSPY");
        assert_eq!(e.coding_on(Some("2016-05-31")).code, "XYZELI");
        assert_eq!(e.coding_on(None).code, "XYZELI");
    }

    #[test]
    fn open_and_coarse_periods() {
        let p = Period::parse("2003..").unwrap();
        assert!(p.contains("2003-01-01") && p.contains("2030-01-01") && !p.contains("2002-12-31"));
        let p = Period::parse("..2014").unwrap();
        assert!(p.contains("2014-12-31") && !p.contains("2015-01-01"));
        let p = Period::parse("2019-03..2019-04").unwrap();
        assert!(p.contains("2019-04-30") && !p.contains("2019-05-01") && !p.contains("2019-02-28"));
    }

    #[test]
    fn patrons_and_default_code() {
        let e = one("brigade-x\tBrigade X\tgroup\tXYZ\tREB\t\tBX\t\tQRS 2003..; backer-org 2010..2015\t")
            .unwrap()
            .remove(0);
        assert_eq!(e.code, "XYZREB");
        assert!(e.patrons[0].is_country && e.patrons[0].target == "QRS");
        assert_eq!(e.patrons_on(Some("2020-01-01")).count(), 1);
        assert_eq!(e.patrons_on(None).count(), 2);
    }

    #[test]
    fn faulty_files_are_refused_with_file_line_and_reason() {
        let cases = [
            ("x\tX\tperson\n", "expected 10 tab-separated fields, found 3"),
            ("Bad Id\tX\tperson\t\t\tXYZ\t\t\t\t", "bad id"),
            ("x\tX\tplanet\t\t\tXYZ\t\t\t\t", "bad type"),
            ("x\tX\tperson\tIraq\t\t\t\t\t\t", "bad country"),
            ("x\tX\tperson\tXYZ\t\t\t\tXYZGOV 2020-13-01..\t\t", "bad date"),
            ("x\tX\tperson\tXYZ\t\t\t\tXYZGOV\t\t", "no FROM..TO"),
            ("x\tX\tgroup\tXYZ\t\t\t\t\tNot An Id\t", "bad patron"),
            ("x\tX\tgroup\t\t\t\t\t\t\t", "no code"),
        ];
        for (line, reason) in cases {
            let e = one(line).unwrap_err();
            assert_eq!(e.line, 3, "{line}");
            assert_eq!(e.file, "user.tsv");
            assert!(e.reason.contains(reason), "{line}: {}", e.reason);
        }
        let dup = format!("{HEAD}a\tA\tperson\tXYZ\t\t\t\t\t\t\na\tB\tperson\tXYZ\t\t\t\t\t\t\n");
        assert!(parse_registry(&dup, "u").unwrap_err().reason.contains("already defined on line 2"));
        assert!(parse_registry("x\ty\n", "u").unwrap_err().reason.contains("header"));
    }

    #[test]
    fn later_files_replace_entries_by_id() {
        let mut r = Registry::default();
        r.merge(one("a\tOld\tperson\tXYZ\t\t\t\t\t\t").unwrap());
        r.merge(one("a\tNew\tperson\tXYZ\t\t\t\t\t\t").unwrap());
        assert_eq!(r.len(), 1);
        assert_eq!(r.get("a").unwrap().name, "New");
    }

    #[test]
    fn bundled_registry_loads_and_its_references_resolve() {
        let r = Registry::bundled();
        assert!(r.len() > 1000, "{}", r.len());
        r.check_references().unwrap();
    }
}
