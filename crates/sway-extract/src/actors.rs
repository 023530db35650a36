//! Actor mentions: countries by name, adjective, capital or seat of power, with a
//! sector from the agent noun that follows and a patron from "X-backed".

use std::ops::Range;

use sway_core::contract::ActorType;
use sway_core::{Span, Token};

use crate::resources::{normalize_apostrophes, CountryEntry, CountryForm, Extractor};

/// One mention of an actor in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorMention {
    /// The whole mention ("Iraqi forces", "Iran-backed militias", "U.S.").
    pub span: Span,
    /// Indices of the tokens it covers (the first may be only partly covered, as in
    /// "U.S.-Iran").
    pub tokens: Range<usize>,
    /// A readable name for the actor ("Iraq", "Iraq military").
    pub name: String,
    /// CAMEO-style code: country code + sector (`IRQMIL`), or the sector alone.
    pub code: String,
    /// ISO 3166 alpha-3.
    pub country: Option<String>,
    pub sector: Option<String>,
    pub kind: ActorType,
    /// ISO 3166 alpha-3 of a patron state ("Iran-backed").
    pub patron: Option<String>,
    /// Registry id (`country:IRN`), when the actor is a registry entry.
    pub registry_id: Option<String>,
}

/// Suffixes after a hyphen that make the country a patron: "Iran-backed militias".
const PATRON_SUFFIXES: &[&str] =
    &["backed", "sponsored", "supported", "aligned", "allied", "funded", "armed", "trained", "affiliated", "led"];
/// Words before a capital that make it a place, not an actor.
const PLACE_PREPOSITIONS: &[&str] =
    &["in", "at", "near", "from", "outside", "around", "into", "to", "across", "throughout", "within", "inside", "the"];

fn sector_label(s: &str) -> &'static str {
    match s {
        "MIL" => "military",
        "GOV" => "government",
        "COP" => "police",
        "LEG" => "legislature",
        "REB" => "armed groups",
        "BUS" => "business",
        "MED" => "media",
        "OPP" => "opposition",
        "PTY" => "parties",
        _ => "actors",
    }
}

fn kind_for(sector: Option<&str>) -> ActorType {
    match sector {
        None => ActorType::Country,
        Some("REB" | "OPP" | "PTY") => ActorType::Group,
        Some(_) => ActorType::Organisation,
    }
}

impl Extractor {
    /// Find actor mentions in a run of tokens (one block or one sentence).
    pub fn actors(&self, text: &str, tokens: &[Token]) -> Vec<ActorMention> {
        let word = |i: usize| normalize_apostrophes(tokens[i].span.slice(text));
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            // 1. Whole tokens, longest phrase first.
            if let Some((n, entry)) = self.country_at(text, tokens, i) {
                let prev = (i > 0).then(|| word(i - 1).to_lowercase());
                let next = (i + n < tokens.len()).then(|| word(i + n));
                let next_capitalized =
                    next.as_deref().is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
                let is_place = matches!(entry.form, CountryForm::Capital)
                    && prev.as_deref().is_some_and(|p| PLACE_PREPOSITIONS.contains(&p));
                let (sector, agent_end) = self.agent_after(text, tokens, i + n);
                // "Jordan Peterson", "Georgia Tech": an ambiguous name before a capitalized word.
                let is_other_name = entry.ambiguous && next_capitalized && agent_end.is_none();
                if is_place || is_other_name {
                    i += n;
                    continue;
                }
                // "the Iraqi Resistance Coordination Commission": an adjective opening a
                // name is part of an organisation the registry must know, not the country.
                if entry.form == CountryForm::Adjective
                    && agent_end.is_none()
                    && next_capitalized
                    && next.as_deref() != Some("U.S.")
                {
                    i += n;
                    continue;
                }
                let end_tok = agent_end.unwrap_or(i + n);
                out.push(self.mention(
                    entry,
                    None,
                    sector,
                    Span::new(tokens[i].span.start, tokens[end_tok - 1].span.end),
                    i..end_tok,
                ));
                i = end_tok;
                continue;
            }
            // 2. Inside a hyphenated token: "U.S.-Iran", "Iran-backed militias", "pro-Iranian parties".
            let w = tokens[i].span.slice(text);
            if w.contains('-') {
                let pieces = hyphen_pieces(w);
                let lower: Vec<String> = pieces.iter().map(|(_, p)| p.to_lowercase()).collect();
                let mut found = false;
                for (k, (off, piece)) in pieces.iter().enumerate() {
                    let Some(entry) = self.countries.get(&normalize_apostrophes(piece)) else { continue };
                    if matches!(entry.form, CountryForm::Capital) && k + 1 < pieces.len() {
                        continue;
                    }
                    let patron_suffix = lower.get(k + 1).is_some_and(|s| PATRON_SUFFIXES.contains(&s.as_str()));
                    let pro = k > 0 && lower[k - 1] == "pro";
                    if patron_suffix || pro {
                        // The group is whatever agent noun follows the token.
                        let (sector, agent_end) = self.agent_after(text, tokens, i + 1);
                        if let Some(end) = agent_end {
                            let span = Span::new(tokens[i].span.start, tokens[end - 1].span.end);
                            out.push(self.mention(entry, Some(entry.iso3.clone()), sector, span, i..end));
                            i = end;
                            found = true;
                            break;
                        }
                        continue;
                    }
                    let start = tokens[i].span.start + off;
                    out.push(self.mention(entry, None, None, Span::new(start, start + piece.len()), i..i + 1));
                    found = true;
                }
                if found && out.last().is_some_and(|m| m.tokens.end > i + 1) {
                    continue;
                }
            }
            i += 1;
        }
        out
    }

    /// The longest country phrase starting at token `i`: (token count, entry).
    fn country_at(&self, text: &str, tokens: &[Token], i: usize) -> Option<(usize, &CountryEntry)> {
        let max = self.max_country_tokens.min(tokens.len() - i);
        let mut key = String::new();
        let mut best = None;
        for n in 1..=max {
            if n > 1 {
                key.push(' ');
            }
            key.push_str(&normalize_apostrophes(tokens[i + n - 1].span.slice(text)));
            if let Some(e) = self.countries.get(&key) {
                best = Some((n, e));
            }
        }
        best
    }

    /// An agent noun phrase at token `j` (after an optional possessive): its sector and
    /// the token index just past it.
    fn agent_after(&self, text: &str, tokens: &[Token], j: usize) -> (Option<String>, Option<usize>) {
        let mut j = j;
        if j < tokens.len() && matches!(&*normalize_apostrophes(tokens[j].span.slice(text)), "'s" | "'") {
            j += 1;
        }
        let max = self.max_agent_tokens.min(tokens.len().saturating_sub(j));
        let mut key = String::new();
        let mut best = (None, None);
        for n in 1..=max {
            if n > 1 {
                key.push(' ');
            }
            key.push_str(&tokens[j + n - 1].span.slice(text).to_lowercase());
            if let Some(s) = self.agents.get(&key) {
                best = (Some(s.clone()), Some(j + n));
            }
        }
        best
    }

    fn mention(
        &self,
        entry: &CountryEntry,
        patron: Option<String>,
        sector: Option<String>,
        span: Span,
        tokens: Range<usize>,
    ) -> ActorMention {
        match patron {
            // A group backed by a state: its own country is not in the text.
            Some(p) => {
                let sector = sector.unwrap_or_else(|| "REB".into());
                ActorMention {
                    span,
                    tokens,
                    name: format!("{}-backed {}", entry.name, sector_label(&sector)),
                    code: sector.clone(),
                    country: None,
                    kind: kind_for(Some(&sector)),
                    sector: Some(sector),
                    patron: Some(p),
                    registry_id: None,
                }
            }
            None => ActorMention {
                span,
                tokens,
                name: match &sector {
                    Some(s) => format!("{} {}", entry.name, sector_label(s)),
                    None => entry.name.clone(),
                },
                code: format!("{}{}", entry.cameo, sector.as_deref().unwrap_or("")),
                country: Some(entry.iso3.clone()),
                kind: kind_for(sector.as_deref()),
                sector,
                patron: None,
                registry_id: Some(format!("country:{}", entry.iso3)),
            },
        }
    }
}

/// Split a hyphenated token into pieces with their byte offsets, keeping a period that
/// ends an initialism ("U.S.-led" → "U.S.", "led").
fn hyphen_pieces(w: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in w.char_indices() {
        if c == '-' {
            if i > start {
                out.push((start, &w[start..i]));
            }
            start = i + 1;
        }
    }
    if start < w.len() {
        out.push((start, &w[start..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str) -> Vec<(String, String, Option<String>)> {
        let tokens = sway_syntax::tokenize(text, Span::new(0, text.len()));
        let x = Extractor::bundled();
        x.actors(text, &tokens)
            .into_iter()
            .map(|m| {
                assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
                (m.span.slice(text).to_string(), m.code, m.patron)
            })
            .collect()
    }

    #[test]
    fn names_adjectives_and_agents() {
        assert_eq!(
            find("Iraqi security forces and the Iranian leadership met U.S. officials."),
            [
                ("Iraqi security forces".into(), "IRQCOP".into(), None),
                ("Iranian leadership".into(), "IRNGOV".into(), None),
                ("U.S. officials".into(), "USAGOV".into(), None)
            ]
        );
    }

    #[test]
    fn hyphenated_and_patrons() {
        let f = find("the U.S.-Iran battle, Iran-backed militias and pro-Iranian parties");
        assert_eq!(f[0], ("U.S.".into(), "USA".into(), None));
        assert_eq!(f[1], ("Iran".into(), "IRN".into(), None));
        assert_eq!(f[2], ("Iran-backed militias".into(), "REB".into(), Some("IRN".into())));
        assert_eq!(f[3], ("pro-Iranian parties".into(), "PTY".into(), Some("IRN".into())));
    }

    #[test]
    fn capitals_as_actors_not_places() {
        assert_eq!(find("Tehran rejected the offer")[0].1, "IRN");
        assert!(find("a strike in Baghdad").is_empty());
        assert_eq!(find("the Kremlin said")[0].1, "RUS");
    }

    #[test]
    fn ambiguous_names_before_a_name_are_skipped() {
        assert!(find("Jordan Peterson spoke").is_empty());
        assert_eq!(find("Turkey and Jordan agreed").len(), 2);
    }
}
