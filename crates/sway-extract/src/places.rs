//! Places: toponyms found in text and geocoded against a gazetteer compiled from
//! GeoNames (countries, first-level divisions, cities of 1,000 people or more) plus
//! curated names gazetteers lack ("Donbas", "the Green Zone", "Ain al-Asad Air Base").
//!
//! Recognition is longest match over normalized tokens (as actor names are), kept to
//! capitalised proper nouns; a name an actor of another kind covers ("Hezbollah",
//! "Jordan" the person) is never a place. Small towns need evidence that they are places
//! (a locative preposition, "Alexandria, La.", an earlier mention). Candidates are then
//! ranked by population, the divisions and countries the document names, and nearness
//! to its other places.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use sway_core::contract::ActorType;
use sway_core::Token;
use sway_syntax::WordSyntax;

use crate::actors::{ActorMention, MentionKind};
use crate::names::{phrase_key, push_norm};
use crate::resources::ResourceError;

pub(crate) const GAZETTEER_TSV: &str = include_str!("../../../data/places/gazetteer.tsv");
pub(crate) const CURATED_TSV: &str = include_str!("../../../data/places/curated.tsv");
pub(crate) const ABBREVIATIONS_TSV: &str = include_str!("../../../data/places/abbreviations.tsv");
const GAZETTEER_PATH: &str = "data/places/gazetteer.tsv";
const CURATED_PATH: &str = "data/places/curated.tsv";
const ABBREVIATIONS_PATH: &str = "data/places/abbreviations.tsv";

/// Content hash of the bundled gazetteer files, for the output's `pipeline.resources`.
pub fn resource_hash() -> String {
    let mut h = blake3::Hasher::new();
    for src in [GAZETTEER_TSV, CURATED_TSV, ABBREVIATIONS_TSV] {
        h.update(src.as_bytes());
    }
    h.finalize().to_hex()[..16].to_string()
}

/// What a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    Country,
    Admin1,
    /// A second-level division: a United States county, parish or borough.
    Admin2,
    City,
    /// A curated region, base, sea, strait or crossing.
    Feature,
}

impl PlaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Admin1 => "admin1",
            Self::Admin2 => "admin2",
            Self::City => "city",
            Self::Feature => "feature",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "country" => Self::Country,
            "admin1" => Self::Admin1,
            "admin2" => Self::Admin2,
            "city" => Self::City,
            "feature" => Self::Feature,
            _ => return None,
        })
    }
}

const NO_ADMIN1: u32 = u32::MAX;

/// One gazetteer entry, kept small: the gazetteer holds about 200,000 of them.
#[derive(Debug, Clone)]
pub struct Place {
    /// GeoNames id, when the entry has one.
    pub geonameid: Option<u64>,
    pub name: Box<str>,
    pub kind: PlaceKind,
    country: [u8; 3],
    admin1: u32,
    pub lat: f32,
    pub lon: f32,
    pub population: u32,
}

impl Place {
    /// ISO 3166 alpha-3, none for seas and straits.
    pub fn country(&self) -> Option<&str> {
        (self.country != [0; 3]).then(|| std::str::from_utf8(&self.country).unwrap_or(""))
    }
}

/// An abbreviation of a first-level division ("La.", "TX").
#[derive(Debug, Clone)]
struct Abbreviation {
    country: [u8; 3],
    admin1: u32,
}

/// The gazetteer, indexed for longest match over tokens.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    admin1_names: Vec<Box<str>>,
    admin1_ids: HashMap<Box<str>, u32>,
    /// The gazetteer entry of each division, by country and admin1 id.
    admin1_place: HashMap<([u8; 3], u32), u32>,
    /// (hash of a normalized name, entry it names), sorted: one allocation for 250,000
    /// names, where a map of vectors took 150,000.
    index: Vec<(u64, u32)>,
    /// Hashes of every name's prefixes at word boundaries, sorted, so a scan stops at
    /// the first miss.
    prefixes: Vec<u64>,
    max_tokens: usize,
    abbreviations: HashMap<String, Abbreviation>,
}

/// FNV-1a: stable across runs and platforms, and fast on short keys.
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The normalized key of a name. Plain names (letters, spaces, hyphens) skip the
/// tokenizer, which matters when 400,000 names load.
fn name_key(name: &str) -> String {
    let plain = name.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-');
    let key = if plain {
        let mut key = String::new();
        for w in name.split_whitespace() {
            let before = key.len();
            if !key.is_empty() {
                key.push(' ');
            }
            let mark = key.len();
            push_norm(w, &mut key);
            if key.len() <= mark {
                key.truncate(before);
            }
        }
        key
    } else {
        phrase_key(name)
    };
    key.strip_prefix("the ").map(str::to_string).unwrap_or(key)
}

fn iso3(s: &str) -> Option<[u8; 3]> {
    match s.as_bytes() {
        [] => Some([0; 3]),
        [a, b, c] if s.bytes().all(|x| x.is_ascii_uppercase()) => Some([*a, *b, *c]),
        _ => None,
    }
}

impl Gazetteer {
    /// The gazetteer bundled in the binary.
    pub fn bundled() -> Result<Self, ResourceError> {
        let mut g = Self::default();
        g.add_file(GAZETTEER_PATH, GAZETTEER_TSV)?;
        g.add_file(CURATED_PATH, CURATED_TSV)?;
        g.add_abbreviations(ABBREVIATIONS_PATH, ABBREVIATIONS_TSV)?;
        Ok(g)
    }

    fn admin1_id(&mut self, name: &str) -> u32 {
        if name.is_empty() {
            return NO_ADMIN1;
        }
        if let Some(&id) = self.admin1_ids.get(name) {
            return id;
        }
        let id = self.admin1_names.len() as u32;
        self.admin1_names.push(name.into());
        self.admin1_ids.insert(name.into(), id);
        id
    }

    /// The admin1 name an entry lies in (for an admin1 entry, its own name).
    pub fn admin1<'a>(&'a self, p: &'a Place) -> Option<&'a str> {
        if p.kind == PlaceKind::Admin1 {
            return Some(&p.name);
        }
        self.admin1_names.get(p.admin1 as usize).map(|s| &**s)
    }

    pub fn place(&self, i: u32) -> &Place {
        &self.places[i as usize]
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    fn index_name(&mut self, name: &str, i: u32) {
        let key = name_key(name);
        if key.is_empty() {
            return;
        }
        let mut words = 0;
        for (p, _) in key.match_indices(' ') {
            self.prefixes.push(fnv(&key[..p]));
            words += 1;
        }
        let h = fnv(&key);
        self.prefixes.push(h);
        self.max_tokens = self.max_tokens.max(words + 1);
        self.index.push((h, i));
    }

    fn seal(&mut self) {
        self.index.sort_unstable();
        self.index.dedup();
        self.prefixes.sort_unstable();
        self.prefixes.dedup();
    }

    fn lookup(&self, h: u64) -> &[(u64, u32)] {
        let a = self.index.partition_point(|e| e.0 < h);
        let b = a + self.index[a..].partition_point(|e| e.0 == h);
        &self.index[a..b]
    }

    /// Add a gazetteer file (`id name kind country admin1 lat lon population aliases`).
    /// The file is refused whole if any line is faulty.
    pub fn add_file(&mut self, file: &str, src: &str) -> Result<usize, ResourceError> {
        let bad = |line: usize, reason: String| ResourceError { file: file.into(), line, reason };
        let mut rows = Vec::new();
        let mut header = true;
        for (n, line) in src.lines().enumerate() {
            let line_no = n + 1;
            let line = line.strip_prefix('\u{feff}').unwrap_or(line);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if header {
                header = false;
                if f.first() == Some(&"id") {
                    continue;
                }
            }
            if f.len() != 9 {
                return Err(bad(line_no, format!("expected 9 tab-separated fields, found {}", f.len())));
            }
            let geonameid = match f[0] {
                "" => None,
                s => Some(s.parse::<u64>().map_err(|_| bad(line_no, format!("id {s:?} is not a number")))?),
            };
            let name = f[1].trim();
            if name.is_empty() {
                return Err(bad(line_no, "empty name".into()));
            }
            let kind = PlaceKind::parse(f[2])
                .ok_or_else(|| bad(line_no, format!("kind {:?} is not country, admin1, city or feature", f[2])))?;
            let country = iso3(f[3]).ok_or_else(|| bad(line_no, format!("country {:?} is not ISO alpha-3", f[3])))?;
            let coord = |s: &str, max: f32, what: &str| -> Result<f32, ResourceError> {
                s.parse::<f32>()
                    .ok()
                    .filter(|v| v.is_finite() && v.abs() <= max)
                    .ok_or_else(|| bad(line_no, format!("{what} {s:?} is not a number within ±{max}")))
            };
            let lat = coord(f[5], 90.0, "lat")?;
            let lon = coord(f[6], 180.0, "lon")?;
            let population = match f[7] {
                "" => 0,
                s => s.parse::<u64>().map_err(|_| bad(line_no, format!("population {s:?} is not a number")))?,
            };
            rows.push((geonameid, name, kind, country, f[4].trim(), lat, lon, population, f[8]));
        }
        let n = rows.len();
        self.places.reserve(n);
        self.index.reserve(n * 2);
        self.prefixes.reserve(n * 2);
        for (geonameid, name, kind, country, admin1, lat, lon, population, aliases) in rows {
            let admin1 = if kind == PlaceKind::Admin1 { self.admin1_id(name) } else { self.admin1_id(admin1) };
            let i = self.places.len() as u32;
            if kind == PlaceKind::Admin1 {
                self.admin1_place.entry((country, admin1)).or_insert(i);
            }
            self.places.push(Place {
                geonameid,
                name: name.into(),
                kind,
                country,
                admin1,
                lat,
                lon,
                population: population.min(u64::from(u32::MAX)) as u32,
            });
            self.index_name(name, i);
            for a in aliases.split('|').map(str::trim).filter(|a| !a.is_empty()) {
                self.index_name(a, i);
            }
        }
        self.seal();
        Ok(n)
    }

    fn add_abbreviations(&mut self, file: &str, src: &str) -> Result<(), ResourceError> {
        for (n, line) in src.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') || line.starts_with("abbr\t") {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let bad = |reason: String| ResourceError { file: file.into(), line: n + 1, reason };
            if f.len() != 4 {
                return Err(bad(format!("expected 4 fields, found {}", f.len())));
            }
            let country = iso3(f[1]).filter(|c| *c != [0; 3]).ok_or_else(|| bad(format!("bad country {:?}", f[1])))?;
            let admin1 = self.admin1_id(f[2]);
            // Both styles are read only right after "Name,": postal codes ("LA", "IN")
            // are words or acronyms anywhere else.
            if !matches!(f[3], "postal" | "ap") {
                return Err(bad(format!("style {:?} is not ap or postal", f[3])));
            }
            self.abbreviations.insert(f[0].to_string(), Abbreviation { country, admin1 });
        }
        Ok(())
    }

    /// The longest gazetteer name starting at token `i` (not past `end`): its token count
    /// and candidate entries.
    fn longest(&self, text: &str, tokens: &[Token], i: usize, end: usize) -> Option<(usize, Vec<u32>)> {
        let mut key = String::new();
        let mut best = None;
        for n in 1..=self.max_tokens.min(end.saturating_sub(i)) {
            let before = key.len();
            if !key.is_empty() {
                key.push(' ');
            }
            let mark = key.len();
            push_norm(tokens[i + n - 1].span.slice(text), &mut key);
            if key.len() <= mark {
                key.truncate(before);
                continue;
            }
            if n == 1 && key == "the" {
                return None;
            }
            let h = fnv(&key);
            if self.prefixes.binary_search(&h).is_err() {
                break;
            }
            let hits = self.lookup(h);
            if !hits.is_empty() {
                best = Some((n, hits.iter().map(|e| e.1).collect()));
            }
        }
        best
    }
}

/// One toponym in the text, resolved to a gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    pub span: sway_core::Span,
    pub tokens: Range<usize>,
    /// Index of the sentence it is in.
    pub sentence: usize,
    /// The chosen gazetteer entry.
    pub place: u32,
    /// The actor mention with the same words, when the place also acts ("Tehran said").
    pub actor: Option<usize>,
    /// A locative preposition governs it ("in Baghdad"): it can locate an event.
    pub locative: bool,
}

/// Prepositions before a place: evidence that a small town is one.
const PLACE_PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "around",
    "throughout",
    "from",
    "to",
    "into",
    "toward",
    "towards",
    "through",
    "within",
    "via",
    "between",
    "along",
    "off",
    "over",
    "on",
    "beyond",
];
/// Prepositions that say where something happened ("the strike in Baghdad"); "to" and
/// "from" name a target or an origin instead.
const LOCATIVE: &[&str] = &["in", "at", "near", "outside", "inside", "across", "around", "throughout", "within"];
/// Words that may sit between a locative preposition and the name ("in northern Iraq").
const BETWEEN: &[&str] = &[
    "the",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "north",
    "south",
    "east",
    "west",
    "downtown",
    "nearby",
    "neighboring",
    "neighbouring",
    "rural",
    "suburban",
    "greater",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "occupied",
    "war-torn",
    "embattled",
];
/// Nouns whose "of" names a place ("the city of Mosul", "residents of Basra").
const PLACE_OF: &[&str] = &[
    "city",
    "town",
    "village",
    "county",
    "province",
    "region",
    "district",
    "outskirts",
    "suburb",
    "suburbs",
    "mayor",
    "residents",
    "resident",
    "governor",
    "capital",
    "center",
    "centre",
    "state",
    "republic",
    "streets",
    "people",
    "north",
    "south",
    "east",
    "west",
    "parts",
    "area",
    "port",
    "governorate",
    "oblast",
    "municipality",
    "heart",
];
/// Lower-case words allowed inside a name ("Bosnia and Herzegovina", "Ain al-Asad").
const CONNECTORS: &[&str] = &[
    "of", "and", "al", "el", "de", "la", "le", "du", "des", "da", "do", "dos", "das", "upon", "on", "am", "im", "bin",
    "ibn", "y", "en", "an", "as", "ash", "ad", "ar", "at", "az", "sur", "sous", "del", "van", "von", "der",
];
/// Capitalised words that are never places on their own, whatever a gazetteer says.
const NEVER: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "god",
    "allah",
    "mr",
    "president",
    "minister",
    "university",
    "police",
    "army",
    "news",
    "office",
    "street",
    "road",
    "county",
    "city",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "metro",
    "center",
    "centre",
    "man",
    "union",
    "page",
    "home",
    "mount",
    "lake",
    "river",
    "valley",
    "island",
    "park",
];
/// Words after a name that make it part of a longer one: a street, a school, a river.
const LONGER_NAME: &[&str] = &[
    "street",
    "st.",
    "road",
    "rd.",
    "avenue",
    "ave.",
    "drive",
    "dr.",
    "boulevard",
    "blvd.",
    "lane",
    "highway",
    "way",
    "creek",
    "bay",
    "river",
    "lake",
    "valley",
    "mountain",
    "mountains",
    "island",
    "islands",
    "park",
    "airport",
    "high",
    "school",
    "university",
    "college",
    "hospital",
    "church",
    "mall",
    "bridge",
    "times",
    "post",
    "herald",
    "tribune",
    "journal",
    "news",
    "press",
    "company",
    "corporation",
    "inc.",
    "club",
    "stadium",
    "hall",
    "square",
    "station",
    "falls",
    "beach",
    "forest",
    "canyon",
    "heights",
    "hills",
    "springs",
    "plaza",
    "center",
    "centre",
];
/// Division words that extend a name ("Licking County"): kept with it, resolved to the
/// town of that name in context, the nearest point sway has.
const DIVISION_SUFFIX: &[&str] = &["county", "parish", "township", "borough"];

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// "al-Asad", "el-Alamein": a lower-case article joined to a capitalised name.
fn article_name(w: &str) -> bool {
    ["al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-"]
        .iter()
        .any(|p| w.strip_prefix(p).is_some_and(capitalised))
}

impl Gazetteer {
    /// Toponyms in a document, each resolved to one entry. `sentences` are token ranges;
    /// `headlines` marks the titles and headings among them (every word capitalised);
    /// `syntax` (one per sentence) gives the tags; `actors` are the document's actor mentions.
    pub fn find(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
        headlines: &[bool],
        syntax: Option<&[Vec<WordSyntax>]>,
        actors: &[ActorMention],
    ) -> Vec<PlaceMention> {
        let word = |k: usize| tokens[k].span.slice(text);
        let lower = |k: usize| word(k).to_lowercase();
        let mut found: Vec<Candidate> = Vec::new();
        for (si, r) in sentences.iter().enumerate() {
            let sx = syntax.and_then(|s| s.get(si)).filter(|s| s.len() == r.len());
            let upos = |k: usize| sx.map(|s| s[k - r.start].upos.as_str());
            // A headline capitalises its common words too ("Gaining in Battle for Iraq").
            let common: Vec<usize> = (r.start + 1..r.end)
                .filter(|&k| word(k).chars().count() > 3 && word(k).chars().all(char::is_alphabetic))
                .filter(|&k| !matches!(upos(k), Some("PROPN")))
                .collect();
            let title_case = headlines.get(si).copied().unwrap_or(false)
                || common.len() >= 2
                    && common.iter().filter(|&&k| capitalised(word(k))).count() * 10 >= common.len() * 7;
            let mut i = r.start;
            while i < r.end {
                let w = word(i);
                if !capitalised(w) {
                    i += 1;
                    continue;
                }
                let Some((n, cands)) = self.longest(text, tokens, i, r.end) else {
                    i += 1;
                    continue;
                };
                if n == 1 && NEVER.contains(&lower(i).trim_end_matches('.')) {
                    i += 1;
                    continue;
                }
                let mut span = i..i + n;
                let last = word(i + n - 1);
                let next = (i + n < r.end).then(|| lower(i + n));
                let next_capitalised = i + n < r.end && capitalised(word(i + n));
                if next.as_deref().is_some_and(|w| LONGER_NAME.contains(&w)) {
                    i += n;
                    continue;
                }
                let division = next.as_deref().is_some_and(|w| DIVISION_SUFFIX.contains(&w));
                if division {
                    span = i..i + n + 1;
                }
                // Inside a longer proper name ("Chiquita Raquel Henry", "Mr. Bell"): a
                // person or an organisation, unless the place is large.
                let prev_capitalised = i > r.start
                    && capitalised(word(i - 1))
                    && !PLACE_PREPOSITIONS.contains(&lower(i - 1).as_str())
                    && (i - 1 != r.start || matches!(upos(i - 1), Some("PROPN")));
                let inside_name = !division && (next_capitalised || prev_capitalised);
                let shape_ok = (capitalised(last) || article_name(last))
                    && (i + 1..i + n).all(|k| {
                        let w = word(k);
                        capitalised(w)
                            || article_name(w)
                            || CONNECTORS.contains(&w)
                            || !w.chars().any(char::is_alphanumeric)
                    });
                // A proper noun, as the tagger reads it: "Police" and "Mobile phones" are not places.
                let proper = sx.is_none() || span.clone().any(|k| matches!(upos(k), Some("PROPN")));
                // An actor of another kind on these words: a person or an organisation
                // whose name is a place's ("Jordan" the person, "Hezbollah").
                let actor = actors.iter().position(|m| m.tokens.start < span.end && span.start < m.tokens.end);
                let blocked = actor.is_some_and(|a| {
                    let m = &actors[a];
                    let longer = m.tokens.start < span.start || m.tokens.end > span.end;
                    if m.how == MentionKind::Country {
                        // "U.S. troops": a country with its agent noun.
                        return false;
                    }
                    match m.kind {
                        ActorType::Country => false,
                        // A lone name guessed to be a person ("Virginia") yields to the gazetteer.
                        ActorType::Person => longer || m.how != MentionKind::Unknown,
                        // An unknown name read as an organisation is only a guess; a
                        // gazetteer name exactly on it is a place.
                        _ => !(m.how == MentionKind::Unknown && m.tokens == span),
                    }
                });
                if !shape_ok || !proper || blocked {
                    i += 1;
                    continue;
                }
                let actor = actor.filter(|&a| actors[a].kind == ActorType::Country && actors[a].tokens == span);
                // The actor stage read these words as a country ("Lebanon", "Tehran"): the
                // place is in that country.
                let mut cands = cands;
                let actor_country = actor.and_then(|a| actors[a].country.as_deref()).and_then(iso3);
                // A city and its province share a name ("Basra", "Tehran"): news means the
                // city, unless it is a small town named after its state ("California, Md.").
                // Only a city that bears the name itself: "New York" names the state, and
                // New York City only as an alternate name.
                let key = name_key(&tokens[i..i + n].iter().map(|t| t.span.slice(text)).collect::<Vec<_>>().join(" "));
                let cities: Vec<([u8; 3], u32)> = cands
                    .iter()
                    .map(|&k| self.place(k))
                    .filter(|p| p.kind == PlaceKind::City && name_key(&p.name) == key)
                    .map(|p| (p.country, p.population))
                    .collect();
                if cands.len() > 1 {
                    cands.retain(|&k| {
                        let p = self.place(k);
                        p.kind != PlaceKind::Admin1
                            || !cities.iter().any(|&(c, pop)| c == p.country && pop >= p.population / 10)
                    });
                }
                // Evidence that a small place is a place.
                let mut b = i;
                while b > r.start && BETWEEN.contains(&lower(b - 1).as_str()) {
                    b -= 1;
                }
                let before = (b > r.start).then(|| lower(b - 1));
                let locative = before.as_deref().is_some_and(|w| LOCATIVE.contains(&w));
                let preposition = before.as_deref().is_some_and(|w| PLACE_PREPOSITIONS.contains(&w));
                let place_of = b > r.start + 1 && lower(b - 1) == "of" && PLACE_OF.contains(&lower(b - 2).as_str());
                // "Alexandria, La.", "Mosul, Iraq": the division or country after a comma.
                let apposition = self.apposition(text, tokens, span.end, r.end);
                // "the Baghdad headquarters": a town, province or region naming where a thing is.
                let last_word = i + n - 1;
                let compound = sx.is_some_and(|x| x[last_word - r.start].deprel == "compound");
                found.push(Candidate {
                    division,
                    actor_country,
                    compound,
                    sentence: si,
                    tokens: span.clone(),
                    cands,
                    actor,
                    locative,
                    // In a headline every word is capitalised: a preposition says little there.
                    cue: ((preposition || place_of) && !title_case) || apposition.is_some(),
                    apposition: apposition.map(|(c, a, _)| (c, a)),
                    inside_name,
                    key,
                });
                // The abbreviation after the comma is part of this mention, not a place of its own.
                i = span.end + apposition.map_or(0, |(_, _, skip)| skip);
            }
        }
        self.resolve(text, tokens, found)
    }

    /// The country or division named after "Name," (its ISO code, admin1 id and tokens
    /// to skip past it).
    fn apposition(&self, text: &str, tokens: &[Token], j: usize, end: usize) -> Option<([u8; 3], u32, usize)> {
        if j + 1 >= end || tokens[j].span.slice(text) != "," {
            return None;
        }
        let w = tokens[j + 1].span.slice(text);
        // "La" "." when the tokenizer split the period off.
        let dotted = (j + 2 < end && tokens[j + 2].span.slice(text) == ".").then(|| format!("{w}."));
        for (form, skip) in [(dotted.as_deref(), 3), (Some(w), 2)] {
            if let Some(a) = form.and_then(|f| self.abbreviations.get(f)) {
                return Some((a.country, a.admin1, skip));
            }
        }
        let (_, cands) = self.longest(text, tokens, j + 1, end)?;
        if !capitalised(w) {
            return None;
        }
        cands.into_iter().map(|c| self.place(c)).find_map(|p| match p.kind {
            // The division or country is a toponym of its own: nothing to skip.
            PlaceKind::Country => Some((p.country, NO_ADMIN1, 0)),
            PlaceKind::Admin1 => Some((p.country, p.admin1, 0)),
            _ => None,
        })
    }

    fn resolve(&self, text: &str, tokens: &[Token], found: Vec<Candidate>) -> Vec<PlaceMention> {
        // What the document names without doubt: countries and divisions by name, and
        // the divisions after commas.
        let mut countries: HashMap<[u8; 3], f32> = HashMap::new();
        let mut admin1s: HashMap<u32, f32> = HashMap::new();
        for c in &found {
            let kinds: HashSet<PlaceKind> = c.cands.iter().map(|&k| self.place(k).kind).collect();
            if kinds.len() == 1 && kinds.contains(&PlaceKind::Country) {
                *countries.entry(self.place(c.cands[0]).country).or_default() += 1.0;
            }
            if let Some((country, admin1)) = c.apposition {
                *countries.entry(country).or_default() += 1.0;
                if admin1 != NO_ADMIN1 {
                    *admin1s.entry(admin1).or_default() += 1.0;
                }
            }
        }
        // First reading: population, kind, the explicit context.
        let base = |c: &Candidate, k: u32| -> f32 {
            let p = self.place(k);
            // The place's own name, not one of its alternate names ("Cancun" is not Changchun).
            let own = if name_key(&p.name) == c.key { 3.0 } else { 0.0 };
            let mut s = (1.0 + p.population as f32).ln()
                + match p.kind {
                    PlaceKind::Country => 4.0,
                    PlaceKind::Admin1 => 2.5,
                    PlaceKind::Admin2 => 2.0,
                    PlaceKind::Feature => 4.0,
                    PlaceKind::City => 0.0,
                };
            s += own;
            if c.actor_country == Some(p.country) {
                s += 6.0;
            }
            if let Some((country, admin1)) = c.apposition {
                if p.country == country {
                    s += 6.0;
                }
                if admin1 != NO_ADMIN1 && p.admin1 == admin1 {
                    s += 8.0;
                }
            }
            s + 2.0 * countries.get(&p.country).map_or(0.0, |w| w.min(3.0))
                + 3.0 * admin1s.get(&p.admin1).map_or(0.0, |w| w.min(2.0))
        };
        let pick = |c: &Candidate, score: &dyn Fn(u32) -> f32| -> u32 {
            let mut best = c.cands[0];
            let mut best_score = f32::MIN;
            for &k in &c.cands {
                let s = score(k);
                // Ties go to the larger place, then the smaller id: stable output.
                if s > best_score {
                    best = k;
                    best_score = s;
                }
            }
            best
        };
        let first: Vec<u32> = found.iter().map(|c| pick(c, &|k| base(c, k))).collect();
        // Second reading: the other mentions' first readings as context (never a mention's
        // own), and nearness to them.
        let mut second = Vec::with_capacity(found.len());
        for (ci, c) in found.iter().enumerate() {
            let others: Vec<&Place> = first
                .iter()
                .enumerate()
                .filter(|(cj, _)| found[*cj].key != c.key)
                .map(|(_, &k)| self.place(k))
                .collect();
            let score = |k: u32| -> f32 {
                let p = self.place(k);
                // Towns and divisions of one country make a story local ("Dublin" in a story
                // about Ohio towns); the country's own name says less.
                let same_country = |local: bool| {
                    others
                        .iter()
                        .filter(|o| (o.kind != PlaceKind::Country) == local)
                        .filter(|o| o.country == p.country && p.country != [0; 3])
                        .count()
                };
                let same_admin1 = others.iter().filter(|o| o.admin1 == p.admin1 && p.admin1 != NO_ADMIN1).count();
                let near = others.iter().filter(|o| km(o.lat, o.lon, p.lat, p.lon) < 150.0).count();
                base(c, k)
                    + 2.0 * (same_country(true).min(3) as f32)
                    + 1.0 * (same_country(false).min(2) as f32)
                    + 2.5 * (same_admin1.min(2) as f32)
                    + if p.kind == PlaceKind::City { 2.0 * (near.min(2) as f32) } else { 0.0 }
            };
            let mut k = if c.cands.len() == 1 { first[ci] } else { pick(c, &score) };
            // "Licking County": the gazetteer has no counties. The town of that name stands
            // in when it lies in the division the story is about, else that division does.
            if c.division {
                let p = self.place(k);
                let mut counts: HashMap<u32, usize> = HashMap::new();
                for o in others.iter().filter(|o| o.country == p.country && o.admin1 != NO_ADMIN1) {
                    *counts.entry(o.admin1).or_default() += 1;
                }
                let dominant = counts.into_iter().max_by_key(|&(a, n)| (n, std::cmp::Reverse(a))).map(|(a, _)| a);
                if let Some(a) = dominant.filter(|&a| a != p.admin1) {
                    if let Some(&d) = self.admin1_place.get(&(p.country, a)) {
                        k = d;
                    }
                }
            }
            second.push(k);
        }
        // A small place needs evidence: a cue here, or the same name with one elsewhere.
        let cued: HashSet<String> = found.iter().filter(|c| c.cue).map(|c| c.key.clone()).collect();
        let supported: HashSet<u32> = second
            .iter()
            .zip(&found)
            .filter(|(_, c)| c.cue)
            .map(|(&k, _)| self.place(k).admin1)
            .filter(|&a| a != NO_ADMIN1)
            .collect();
        found
            .into_iter()
            .zip(second)
            .filter(|(c, k)| {
                let p = self.place(*k);
                if c.inside_name && p.kind == PlaceKind::City && p.population < 1_000_000 && c.apposition.is_none() {
                    return false;
                }
                p.kind != PlaceKind::City
                    || p.population >= 100_000
                    || c.cue
                    || cued.contains(&c.key)
                    || (p.population >= 10_000 && supported.contains(&p.admin1))
            })
            .map(|(c, k)| PlaceMention {
                span: sway_core::Span::new(tokens[c.tokens.start].span.start, tokens[c.tokens.end - 1].span.end),
                tokens: c.tokens,
                sentence: c.sentence,
                place: k,
                actor: c.actor,
                locative: c.locative || (c.compound && self.place(k).kind != PlaceKind::Country),
            })
            .filter(|m| !m.span.slice(text).is_empty())
            .collect()
    }
}

struct Candidate {
    /// "X County", "X Parish".
    division: bool,
    /// The country the actor stage read these words as ("Lebanon", "Tehran"): a strong
    /// hint, not a rule ("Georgia" in American news is the state).
    actor_country: Option<[u8; 3]>,
    inside_name: bool,
    compound: bool,
    sentence: usize,
    tokens: Range<usize>,
    cands: Vec<u32>,
    actor: Option<usize>,
    locative: bool,
    cue: bool,
    apposition: Option<([u8; 3], u32)>,
    key: String,
}

/// Great-circle distance in kilometres.
pub fn km(lat1: f32, lon1: f32, lat2: f32, lon2: f32) -> f32 {
    let (p1, p2) = ((lat1 as f64).to_radians(), (lat2 as f64).to_radians());
    let dp = p2 - p1;
    let dl = ((lon2 - lon1) as f64).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    (2.0 * 6371.0088 * a.sqrt().asin()) as f32
}

/// The place that locates an event whose trigger is token `trigger` of sentence `si`
/// (`base` its first token): a locative place in the trigger's own subtree, else the
/// nearest locative place in the sentence; never one of its participants.
pub fn event_place(
    places: &[PlaceMention],
    si: usize,
    base: usize,
    trigger: usize,
    sx: Option<&[WordSyntax]>,
    participants: &[Range<usize>],
) -> Option<usize> {
    let candidates: Vec<usize> = (0..places.len())
        .filter(|&p| places[p].sentence == si && places[p].locative)
        .filter(|&p| !participants.iter().any(|r| r.start < places[p].tokens.end && places[p].tokens.start < r.end))
        .collect();
    let under_trigger = |p: usize| -> bool {
        let Some(sx) = sx else { return false };
        let mut k = places[p].tokens.start.checked_sub(base);
        for _ in 0..sx.len() {
            match k {
                Some(x) if x < sx.len() => {
                    if x + base == trigger {
                        return true;
                    }
                    k = sx[x].head.checked_sub(1);
                }
                _ => return false,
            }
        }
        false
    };
    candidates
        .iter()
        .copied()
        .find(|&p| under_trigger(p))
        .or_else(|| candidates.iter().copied().min_by_key(|&p| places[p].tokens.start.abs_diff(trigger)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sway_core::Span;

    const TINY: &str = "# test\nid\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\taliases\n\
1\tUnited States\tcountry\tUSA\t\t39.8\t-98.5\t327000000\tUS|U.S.|America\n\
2\tEgypt\tcountry\tEGY\t\t26.5\t30.0\t98000000\t\n\
10\tLouisiana\tadmin1\tUSA\t\t31.0\t-92.0\t4600000\t\n\
11\tVirginia\tadmin1\tUSA\t\t37.5\t-78.8\t8500000\t\n\
100\tAlexandria\tcity\tEGY\t\t31.2\t29.9\t3811516\tAl Iskandariyah\n\
101\tAlexandria\tcity\tUSA\tVirginia\t38.8\t-77.05\t150000\t\n\
102\tAlexandria\tcity\tUSA\tLouisiana\t31.31\t-92.45\t48000\t\n\
103\tPineville\tcity\tUSA\tLouisiana\t31.32\t-92.43\t14000\t\n\
104\tHenry\tcity\tUSA\tIllinois\t41.1\t-89.4\t2400\t\n\
105\tWinston-Salem\tcity\tUSA\tNorth Carolina\t36.1\t-80.2\t240000\t\n";

    fn gaz() -> Gazetteer {
        let mut g = Gazetteer::default();
        g.add_file("tiny.tsv", TINY).unwrap();
        g.add_abbreviations(ABBREVIATIONS_PATH, ABBREVIATIONS_TSV).unwrap();
        g
    }

    fn find(g: &Gazetteer, text: &str) -> Vec<(String, Option<u64>)> {
        let toks = sway_syntax::tokenize(text, Span::new(0, text.len()));
        let r: Vec<Range<usize>> = std::iter::once(0..toks.len()).collect();
        g.find(text, &toks, &r, &[], None, &[])
            .into_iter()
            .map(|m| (m.span.slice(text).to_string(), g.place(m.place).geonameid))
            .collect()
    }

    #[test]
    fn bundled_files_load() {
        let g = Gazetteer::bundled().unwrap();
        assert!(g.len() > 90_000, "{}", g.len());
        let text = "Pompeo threatened to close the embassy in Baghdad, near Ain al-Asad Air Base, not in Donbass.";
        let toks = sway_syntax::tokenize(text, Span::new(0, text.len()));
        let whole: Vec<Range<usize>> = std::iter::once(0..toks.len()).collect();
        let found = g.find(text, &toks, &whole, &[], None, &[]);
        let got: Vec<(&str, &str, Option<&str>)> =
            found.iter().map(|m| (m.span.slice(text), &*g.place(m.place).name, g.place(m.place).country())).collect();
        assert_eq!(
            got,
            [
                ("Baghdad", "Baghdad", Some("IRQ")),
                ("Ain al-Asad Air Base", "Ain al-Asad Air Base", Some("IRQ")),
                ("Donbass", "Donbas", Some("UKR"))
            ]
        );
        for m in &found {
            assert_eq!(&text[m.span.start..m.span.end], m.span.slice(text));
        }
    }

    #[test]
    fn context_picks_the_right_alexandria() {
        let g = gaz();
        assert_eq!(find(&g, "Protests spread in Alexandria."), [("Alexandria".to_string(), Some(100))]);
        assert_eq!(find(&g, "She lives in Alexandria, La., now."), [("Alexandria".to_string(), Some(102))]);
        assert_eq!(
            find(&g, "She lives in Alexandria, Virginia."),
            [("Alexandria".to_string(), Some(101)), ("Virginia".to_string(), Some(11))]
        );
        // A neighbouring town decides.
        let got = find(&g, "Officers from Pineville drove to Alexandria.");
        assert_eq!(got[1], ("Alexandria".to_string(), Some(102)), "{got:?}");
    }

    #[test]
    fn small_places_need_evidence() {
        let g = gaz();
        assert!(find(&g, "Henry came in and set the couch on fire.").is_empty());
        assert_eq!(find(&g, "He grew up in Henry."), [("Henry".to_string(), Some(104))]);
        assert_eq!(find(&g, "Flights to Winston-Salem resumed."), [("Winston-Salem".to_string(), Some(105))]);
        assert_eq!(find(&g, "U.S. troops left."), [("U.S.".to_string(), Some(1))]);
    }

    #[test]
    fn faulty_files_are_refused_with_their_line() {
        let mut g = Gazetteer::default();
        let e = g.add_file(
            "mine.tsv",
            "id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\taliases\n\t\tcity\tIRQ\t\t1\t2\t0\t\n",
        );
        assert_eq!(e.unwrap_err().to_string(), "mine.tsv:2: empty name");
        let e = g.add_file("mine.tsv", "\tX\tcity\tIRQ\t\t91\t2\t0\t\n");
        assert!(e.unwrap_err().to_string().starts_with("mine.tsv:1: lat"));
        let e = g.add_file("mine.tsv", "\tX\ttown\tIRQ\t\t1\t2\t0\t\n");
        assert!(e.unwrap_err().to_string().contains("kind"));
        assert!(g.is_empty(), "nothing half-loaded");
    }

    #[test]
    fn distances() {
        // Baghdad to Tehran, about 690 km.
        let d = km(33.34, 44.40, 35.69, 51.39);
        assert!((d - 690.0).abs() < 15.0, "{d}");
    }
}
