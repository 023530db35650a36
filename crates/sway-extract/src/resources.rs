use std::collections::{HashMap, HashSet};

use sway_core::codes::CameoTable;
use sway_core::contract::ActorType;

use crate::names::{phrase_key, NameIndex};
use crate::registry::{parse_registry, Registry, RegistryEntry};

pub(crate) const COUNTRIES_TSV: &str = include_str!("../../../data/registry/countries.tsv");
pub(crate) const AGENTS_TSV: &str = include_str!("../../../data/registry/agents.tsv");
pub(crate) const EVENTS_TSV: &str = include_str!("../../../data/patterns/skeleton-events.tsv");
pub(crate) const TITLES_TSV: &str = include_str!("../../../data/registry/titles.tsv");
pub(crate) const TITLES_PATH: &str = "data/registry/titles.tsv";
pub(crate) const COUNTRIES_PATH: &str = "data/registry/countries.tsv";
pub(crate) const AGENTS_PATH: &str = "data/registry/agents.tsv";
pub(crate) const EVENTS_PATH: &str = "data/patterns/skeleton-events.tsv";

/// A data file that does not parse, named with its line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct ResourceError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// How a country is named in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryForm {
    Name,
    Adjective,
    Capital,
    Metonym,
}

#[derive(Debug, Clone)]
pub(crate) struct CountryEntry {
    pub iso3: String,
    pub cameo: String,
    pub name: String,
    pub form: CountryForm,
    /// The field is marked ambiguous in the table ("Jordan", "Georgia").
    pub ambiguous: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    pub name: String,
    pub cameo: String,
    /// Line in the pattern file, for `rule`.
    pub line: usize,
}

/// The dictionaries and tables extraction needs, compiled once.
#[derive(Debug, Clone)]
pub struct Extractor {
    /// Surface form (tokens joined by single spaces) to entry.
    pub(crate) countries: HashMap<String, CountryEntry>,
    /// Longest country phrase, in tokens.
    pub(crate) max_country_tokens: usize,
    pub(crate) agents: HashMap<String, String>,
    /// Every agent phrase's prefixes at word boundaries, so a scan stops at the first miss.
    pub(crate) agent_prefixes: HashSet<String>,
    pub(crate) max_agent_tokens: usize,
    pub(crate) triggers: HashMap<String, Trigger>,
    pub(crate) cameo: CameoTable,
    /// Country entries by ISO alpha-3 (their names).
    pub(crate) country_names: HashMap<String, CountryEntry>,
    pub(crate) registry: Registry,
    /// The CAMEO verb dictionary and its patterns.
    pub(crate) verbs: crate::verbs::VerbDict,
    /// Registry names and aliases to entry indices.
    pub(crate) names: NameIndex<usize>,
    /// Titles before a person's name, with the sector they imply.
    pub(crate) titles: NameIndex<Option<String>>,
    /// First words of the registry's people (lower case): "Mustafa ..." is likely a person.
    pub(crate) first_names: HashSet<String>,
    /// Content hashes of the resources, for the output's `pipeline`.
    pub resources: Vec<(String, String)>,
}

fn data_lines(src: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    src.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

fn hash(s: &str) -> String {
    blake3::hash(s.as_bytes()).to_hex()[..16].to_string()
}

/// Token count of a phrase as the tokenizer would split it.
fn token_len(phrase: &str) -> usize {
    sway_syntax::tokenize(phrase, sway_core::Span::new(0, phrase.len())).len()
}

/// The phrase as tokens joined by single spaces: the key the matchers look up.
pub(crate) fn token_key(phrase: &str) -> String {
    sway_syntax::tokenize(phrase, sway_core::Span::new(0, phrase.len()))
        .iter()
        .map(|t| normalize_apostrophes(t.span.slice(phrase)))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn normalize_apostrophes(s: &str) -> String {
    s.replace(['’', '‘', 'ʼ'], "'")
}

impl Extractor {
    /// The extractor over the dictionaries bundled in the binary.
    pub fn bundled() -> Self {
        // The bundled files are checked by unit tests; failing here is a build defect.
        Self::from_sources(COUNTRIES_TSV, AGENTS_TSV, EVENTS_TSV)
            .unwrap_or_else(|e| panic!("bundled dictionary is broken: {e}"))
    }

    pub fn from_sources(countries: &str, agents: &str, events: &str) -> Result<Self, ResourceError> {
        let bad = |file: &str, line: usize, reason: String| ResourceError { file: file.into(), line, reason };
        let mut map: HashMap<String, CountryEntry> = HashMap::new();
        let mut header = true;
        for (line, f) in data_lines(countries) {
            if header {
                header = false;
                continue;
            }
            if f.len() != 8 {
                return Err(bad(COUNTRIES_PATH, line, format!("expected 8 fields, found {}", f.len())));
            }
            let ambiguous: Vec<&str> = f[7].split('|').collect();
            let mut add = |surface: &str, form: CountryForm, field: &str| {
                let surface = surface.trim();
                if surface.is_empty() {
                    return;
                }
                let key = token_key(surface);
                // The first entry for a surface wins: names before adjectives before capitals.
                map.entry(key).or_insert(CountryEntry {
                    iso3: f[0].to_string(),
                    cameo: f[1].to_string(),
                    name: f[2].to_string(),
                    form,
                    // Only a bare name or capital is ambiguous in running text ("Jordan",
                    // "Georgia"); aliases like "US" are matched case-sensitively instead.
                    ambiguous: matches!(field, "name" | "capital") && ambiguous.contains(&field),
                });
            };
            add(f[2], CountryForm::Name, "name");
            for a in f[3].split('|') {
                add(a, CountryForm::Name, "aliases");
            }
            for a in f[4].split('|') {
                add(a, CountryForm::Adjective, "adjectives");
            }
            add(f[5], CountryForm::Capital, "capital");
            for m in f[6].split('|') {
                add(m, CountryForm::Metonym, "metonyms");
            }
        }
        let max_country_tokens = map.keys().map(|k| k.split(' ').count()).max().unwrap_or(1);

        let mut agent_map = HashMap::new();
        let mut agent_prefixes = HashSet::new();
        for (line, f) in data_lines(agents) {
            if f == ["phrase", "sector"] {
                continue;
            }
            if f.len() != 2 {
                return Err(bad(AGENTS_PATH, line, format!("expected 2 fields, found {}", f.len())));
            }
            let key = token_key(f[0]);
            let mut prefix = String::new();
            for w in key.split(' ') {
                if !prefix.is_empty() {
                    prefix.push(' ');
                }
                prefix.push_str(&w.to_lowercase());
                agent_prefixes.insert(prefix.clone());
            }
            agent_map.insert(key, f[1].to_string());
        }
        let max_agent_tokens = agent_map.keys().map(|k| token_len(k)).max().unwrap_or(1);

        let cameo = CameoTable::bundled();
        let mut triggers = HashMap::new();
        for (line, f) in data_lines(events) {
            if f.len() != 3 {
                return Err(bad(EVENTS_PATH, line, format!("expected 3 fields, found {}", f.len())));
            }
            if cameo.get(f[2]).is_none() {
                return Err(bad(EVENTS_PATH, line, format!("unknown CAMEO code {:?}", f[2])));
            }
            for form in f[1].split('|') {
                triggers.insert(form.to_string(), Trigger { name: f[0].to_string(), cameo: f[2].to_string(), line });
            }
        }
        let mut titles = NameIndex::default();
        let mut header = true;
        for (line, f) in data_lines(TITLES_TSV) {
            if header {
                header = false;
                continue;
            }
            if f.len() != 2 {
                return Err(bad(TITLES_PATH, line, format!("expected 2 fields, found {}", f.len())));
            }
            // Tokenized as it appears before a name ("Col.", "Lt. Gen."): the tokenizer
            // reads a capitalised abbreviation as one token.
            let capitalised: String = f[0]
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" ");
            titles.insert(&capitalised, (!f[1].is_empty()).then(|| f[1].to_string()));
        }
        let country_names = map
            .values()
            .filter(|e| e.form == CountryForm::Name && e.name == e.name.trim())
            .map(|e| (e.iso3.clone(), e.clone()))
            .collect();
        let resources = vec![
            ("countries".to_string(), hash(countries)),
            ("agents".to_string(), hash(agents)),
            ("event-patterns".to_string(), hash(events)),
            ("titles".to_string(), hash(TITLES_TSV)),
            ("verb-patterns".to_string(), hash(crate::verbs::VERBS_TSV)),
            ("verb-patterns-curated".to_string(), hash(crate::verbs::CURATED_VERBS_TSV)),
            ("registry-phoenix".to_string(), hash(crate::registry::PHOENIX_TSV)),
            ("registry-curated".to_string(), hash(crate::registry::CURATED_TSV)),
        ];
        let mut x = Self {
            countries: map,
            max_country_tokens,
            agents: agent_map,
            agent_prefixes,
            max_agent_tokens,
            triggers,
            cameo,
            country_names,
            registry: Registry::default(),
            verbs: crate::verbs::VerbDict::bundled(),
            names: NameIndex::default(),
            titles,
            first_names: HashSet::new(),
            resources,
        };
        x.set_registry(Registry::bundled());
        Ok(x)
    }

    /// Add a user registry file: entries with a new id are added, entries with a known
    /// id replace the bundled one. The file is refused whole if any line is faulty.
    pub fn add_registry_file(&mut self, name: &str, src: &str) -> Result<usize, ResourceError> {
        let entries: Vec<RegistryEntry> = parse_registry(src, name)?;
        let n = entries.len();
        let mut registry = self.registry.clone();
        registry.merge(entries);
        registry.check_references()?;
        self.resources.push((format!("registry:{name}"), hash(src)));
        self.set_registry(registry);
        Ok(n)
    }

    /// Add a user file of agent nouns (`phrase<TAB>sector` lines, as
    /// `data/registry/agents.tsv`); refused whole if any line is faulty.
    pub fn add_agents_file(&mut self, name: &str, src: &str) -> Result<usize, ResourceError> {
        let bad = |line: usize, reason: String| ResourceError { file: name.to_string(), line, reason };
        let mut rows = Vec::new();
        for (line, f) in data_lines(src.strip_prefix('\u{feff}').unwrap_or(src)) {
            if f == ["phrase", "sector"] {
                continue;
            }
            if f.len() != 2 {
                return Err(bad(line, format!("expected 2 tab-separated fields (phrase, sector), found {}", f.len())));
            }
            let sector = f[1].trim();
            if !(3..=18).contains(&sector.len()) || !sector.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(bad(line, format!("bad sector {sector:?} (expected upper-case CAMEO codes such as GOV)")));
            }
            rows.push((token_key(&f[0].trim().to_lowercase()), sector.to_string()));
        }
        let n = rows.len();
        for (key, sector) in rows {
            let mut prefix = String::new();
            for w in key.split(' ') {
                if !prefix.is_empty() {
                    prefix.push(' ');
                }
                prefix.push_str(w);
                self.agent_prefixes.insert(prefix.clone());
            }
            self.max_agent_tokens = self.max_agent_tokens.max(key.split(' ').count());
            self.agents.insert(key, sector);
        }
        self.resources.push((format!("agents:{name}"), hash(src)));
        Ok(n)
    }

    /// Drop the bundled verb dictionary and trigger words (and their resource hashes).
    pub fn clear_patterns(&mut self) {
        self.verbs = crate::verbs::VerbDict::default();
        self.triggers.clear();
        self.resources
            .retain(|(k, _)| !matches!(k.as_str(), "verb-patterns" | "verb-patterns-curated" | "event-patterns"));
    }

    /// Add a user verb pattern file (format: `data/patterns/verbs.tsv`); refused whole
    /// if any row is faulty.
    pub fn add_patterns_file(&mut self, name: &str, src: &str) -> Result<usize, ResourceError> {
        let mut verbs = self.verbs.clone();
        let n = verbs.add(src, name)?;
        self.verbs = verbs;
        self.resources.push((format!("patterns:{name}"), hash(src)));
        Ok(n)
    }

    fn set_registry(&mut self, registry: Registry) {
        let mut names = NameIndex::default();
        let mut first_names = HashSet::new();
        for (i, e) in registry.entries().iter().enumerate() {
            names.insert(&e.name, i);
            for a in &e.aliases {
                // "Assad Regime" as a person's alias: the government rule codes that phrase.
                let governs = e.kind == ActorType::Person
                    && a.rsplit(' ').next().is_some_and(|w| {
                        matches!(w.to_lowercase().as_str(), "regime" | "government" | "administration")
                    });
                if !governs {
                    names.insert(a, i);
                }
            }
            if e.kind == ActorType::Person {
                let key = phrase_key(&e.name);
                if let Some(first) = key.split(' ').next().filter(|f| f.len() >= 3 && key.contains(' ')) {
                    first_names.insert(first.to_string());
                }
            }
        }
        self.registry = registry;
        self.names = names;
        self.first_names = first_names;
    }

    /// The actor registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn cameo(&self) -> &CameoTable {
        &self.cameo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_dictionaries_load() {
        let x = Extractor::bundled();
        assert!(x.countries.len() > 600, "{}", x.countries.len());
        assert_eq!(x.countries["Iraqi"].iso3, "IRQ");
        assert_eq!(x.countries["Tehran"].form, CountryForm::Capital);
        assert_eq!(x.countries["U.S."].iso3, "USA");
        assert_eq!(x.triggers["attacked"].cameo, "190");
    }

    #[test]
    fn bad_lines_are_named() {
        let e = Extractor::from_sources(COUNTRIES_TSV, "forces\n", EVENTS_TSV).unwrap_err();
        assert_eq!(e.to_string(), "data/registry/agents.tsv:1: expected 2 fields, found 1");
        let e = Extractor::from_sources(COUNTRIES_TSV, AGENTS_TSV, "x\tx\t999\n").unwrap_err();
        assert!(e.to_string().contains("unknown CAMEO code"), "{e}");
    }
}
