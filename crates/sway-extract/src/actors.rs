//! Actor recognition over a document: registry names and aliases, countries by name,
//! adjective, capital or seat of power, generic agents with their country ("Iraqi
//! forces", "security forces" in a story set in Iraq), patrons ("Iran-backed
//! militias"), titles ("Prime Minister al-Kadhimi"), acronyms the text defines
//! ("Katai'b Hezbollah (KAH)"), unknown proper names, and coreference (pronouns, "the
//! group", "the militias", "the Trump administration").

use std::collections::HashMap;
use std::ops::Range;

use sway_core::contract::ActorType;
use sway_core::{Span, Token};
use sway_syntax::WordSyntax;

use crate::names::is_acronym;
use crate::resources::{normalize_apostrophes, CountryEntry, CountryForm, Extractor};

/// How a mention was recognized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A registry name or alias.
    Registry,
    /// A country name, adjective, capital or metonym, with or without an agent noun.
    Country,
    /// A generic agent noun whose country comes from context ("security forces").
    Agent,
    /// An acronym or surname the document itself defines.
    Local,
    /// A proper name the registry does not know.
    Unknown,
    /// A pronoun or a definite description resolved to an earlier mention.
    Coreference,
}

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
    /// Registry id (`country:IRN`, `kataib-hezbollah`), when the actor is a registry entry.
    pub registry_id: Option<String>,
    /// Index of the registry entry, for dated roles and patrons.
    pub entry: Option<usize>,
    /// Mentions with the same key are one actor of the document.
    pub key: String,
    pub how: MentionKind,
}

/// Suffixes after a hyphen that make the country a patron: "Iran-backed militias".
const PATRON_SUFFIXES: &[&str] =
    &["backed", "sponsored", "supported", "aligned", "allied", "funded", "armed", "trained", "affiliated", "led"];
/// Words before a place name that make it a place, not an actor.
const PLACE_PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "near",
    "from",
    "outside",
    "around",
    "into",
    "to",
    "across",
    "throughout",
    "within",
    "inside",
    "the",
    "of",
    "toward",
    "towards",
    "via",
];
/// Prepositions before a place: a name after them is not typed as a person or group.
const LOCATIVE: &[&str] =
    &["in", "at", "near", "from", "outside", "around", "into", "across", "throughout", "within", "inside", "via"];
/// Prepositions that set a story in a country ("attacks in Iraq").
const SETTING_PREPOSITIONS: &[&str] = &["in", "inside", "across", "throughout", "within"];
/// Lower-case words that may sit inside a proper name ("Ministry of Defense", "Abu Mahdi al-Muhandis").
const NAME_CONNECTORS: &[&str] = &["of", "for", "the", "al", "el", "bin", "ibn", "de", "du", "la", "von", "van"];
/// Capitalised words that are never names of actors on their own.
const NOT_NAMES: &[&str] = &[
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
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "sept.",
    "oct.",
    "nov.",
    "dec.",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "i",
    "god",
    "covid-19",
    "covid",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "am",
    "pm",
    "a.m.",
    "p.m.",
];
/// Places named like organisations, which are not actors.
const KNOWN_PLACES: &[&str] = &["west bank", "green zone", "gold coast", "ivory coast", "left bank"];
/// Final words of organisation names, with the type and sector they imply.
const ORG_HEADS: &[(&str, ActorType, &str)] = &[
    ("party", ActorType::Group, "PTY"),
    ("movement", ActorType::Group, "OPP"),
    ("front", ActorType::Group, "REB"),
    ("brigades", ActorType::Group, "REB"),
    ("brigade", ActorType::Group, "REB"),
    ("battalion", ActorType::Group, "REB"),
    ("battalions", ActorType::Group, "REB"),
    ("militia", ActorType::Group, "REB"),
    ("militias", ActorType::Group, "REB"),
    ("resistance", ActorType::Group, "REB"),
    ("mobilization", ActorType::Group, "REB"),
    ("commission", ActorType::Organisation, ""),
    ("council", ActorType::Organisation, ""),
    ("committee", ActorType::Organisation, ""),
    ("coalition", ActorType::Organisation, ""),
    ("alliance", ActorType::Organisation, ""),
    ("league", ActorType::Organisation, ""),
    ("union", ActorType::Organisation, ""),
    ("association", ActorType::Organisation, ""),
    ("organization", ActorType::Organisation, ""),
    ("organisation", ActorType::Organisation, ""),
    ("group", ActorType::Organisation, ""),
    ("network", ActorType::Organisation, ""),
    ("foundation", ActorType::Organisation, "NGO"),
    ("institute", ActorType::Organisation, "EDU"),
    ("university", ActorType::Organisation, "EDU"),
    ("ministry", ActorType::Organisation, "GOV"),
    ("department", ActorType::Organisation, "GOV"),
    ("government", ActorType::Organisation, "GOV"),
    ("administration", ActorType::Organisation, "GOV"),
    ("agency", ActorType::Organisation, "GOV"),
    ("office", ActorType::Organisation, "GOV"),
    ("authority", ActorType::Organisation, "GOV"),
    ("service", ActorType::Organisation, "GOV"),
    ("bureau", ActorType::Organisation, "GOV"),
    ("directorate", ActorType::Organisation, "GOV"),
    ("embassy", ActorType::Organisation, "GOV"),
    ("army", ActorType::Organisation, "MIL"),
    ("forces", ActorType::Organisation, "MIL"),
    ("force", ActorType::Organisation, "MIL"),
    ("navy", ActorType::Organisation, "MIL"),
    ("corps", ActorType::Organisation, "MIL"),
    ("guard", ActorType::Organisation, "MIL"),
    ("guards", ActorType::Organisation, "MIL"),
    ("command", ActorType::Organisation, "MIL"),
    ("division", ActorType::Organisation, "MIL"),
    ("regiment", ActorType::Organisation, "MIL"),
    ("police", ActorType::Organisation, "COP"),
    ("court", ActorType::Organisation, "JUD"),
    ("tribunal", ActorType::Organisation, "JUD"),
    ("parliament", ActorType::Organisation, "LEG"),
    ("assembly", ActorType::Organisation, "LEG"),
    ("senate", ActorType::Organisation, "LEG"),
    ("congress", ActorType::Organisation, "LEG"),
    ("bank", ActorType::Organisation, "BUS"),
    ("company", ActorType::Organisation, "BUS"),
    ("corporation", ActorType::Organisation, "BUS"),
    ("inc.", ActorType::Organisation, "BUS"),
    ("ltd", ActorType::Organisation, "BUS"),
    ("ltd.", ActorType::Organisation, "BUS"),
    ("airlines", ActorType::Organisation, "BUS"),
    ("news", ActorType::Organisation, "MED"),
    ("times", ActorType::Organisation, "MED"),
    ("post", ActorType::Organisation, "MED"),
    ("agency", ActorType::Organisation, "MED"),
    ("television", ActorType::Organisation, "MED"),
    ("tv", ActorType::Organisation, "MED"),
    ("radio", ActorType::Organisation, "MED"),
    ("church", ActorType::Organisation, "REL"),
    ("mission", ActorType::Organisation, "IGO"),
    ("fund", ActorType::Organisation, ""),
    ("programme", ActorType::Organisation, ""),
    ("program", ActorType::Organisation, ""),
    ("centre", ActorType::Organisation, ""),
    ("center", ActorType::Organisation, ""),
];
/// Agent nouns that, without a country of their own, belong to the country the story is
/// set in ("security forces failed to prevent...").
/// The key of an agent waiting for the story's country.
const HOST_KEY: &str = "host:";
const HOST_AGENTS: &[&str] = &[
    "security forces",
    "forces",
    "troops",
    "army",
    "military",
    "police",
    "government",
    "authorities",
    "parliament",
    "armed forces",
    "soldiers",
    "judiciary",
    "police forces",
    "riot police",
    "border guards",
];
/// Words after a person's name that make the phrase their government ("the Trump administration").
const GOVERNMENT_OF: &[&str] = &["administration", "government", "cabinet", "regime"];
/// Definite descriptions that refer back to an organisation or group.
const GROUP_NOUNS: &[&str] = &["group", "organization", "organisation", "movement", "militia", "militias", "party"];
/// Verbs whose subject is a person when it is a bare name ("Cook said").
const SPEECH_VERBS: &[&str] = &[
    "say", "tell", "add", "state", "note", "explain", "write", "ask", "warn", "declare", "insist", "argue", "reply",
    "recall", "comment", "remark", "tweet", "confirm", "deny", "admit", "recount", "smile", "laugh", "shout",
];
/// Sectors of state bodies, which "the group" does not refer to.
const STATE_SECTORS: &[&str] = &["GOV", "MIL", "COP", "LEG", "JUD", "SPY"];
/// Every word [`Extractor::resolve_references`] looks at.
const REFERRING_WORDS: &[&str] = &[
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "its",
    "itself",
    "it",
    "group",
    "organization",
    "organisation",
    "movement",
    "militia",
    "militias",
    "party",
];
/// How far back (in sentences) a pronoun looks for its antecedent.
const PRONOUN_WINDOW: usize = 2;
/// ... and a definite description ("the militia").
const NOMINAL_WINDOW: usize = 6;

fn sector_label(s: &str) -> &'static str {
    match s.get(..3).unwrap_or(s) {
        "MIL" => "military",
        "GOV" => "government",
        "COP" => "police",
        "LEG" => "legislature",
        "JUD" => "judiciary",
        "REB" => "armed groups",
        "BUS" => "business",
        "MED" => "media",
        "OPP" => "opposition",
        "PTY" => "parties",
        "SPY" => "intelligence",
        "CVL" => "civilians",
        "REL" => "religious",
        "EDU" => "education",
        "ELI" => "elites",
        _ => "actors",
    }
}

fn kind_for(sector: Option<&str>) -> ActorType {
    match sector.and_then(|s| s.get(..3)) {
        None => ActorType::Country,
        Some("REB" | "OPP" | "PTY" | "INS") => ActorType::Group,
        Some(_) => ActorType::Organisation,
    }
}

fn capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// A word that can be part of a name: capitalised, or a particle with a capital after
/// a hyphen ("al-Kadhimi").
fn name_like(w: &str) -> bool {
    capitalized(w) || (w.contains('-') && w.split('-').any(capitalized))
}

/// Per-document context the sentence pass reads and extends.
#[derive(Debug, Default)]
struct DocContext {
    /// Normalized names the syntax shows to be people ("Cook said", "Karim, who").
    persons: std::collections::HashSet<String>,
    /// Acronyms and surnames the document defines: exact surface → template mention.
    local: HashMap<String, ActorMention>,
}

/// The tokens and syntax of one sentence.
struct Sent<'a> {
    text: &'a str,
    tokens: &'a [Token],
    range: Range<usize>,
    syntax: Option<&'a [WordSyntax]>,
}

impl Sent<'_> {
    fn word(&self, i: usize) -> &str {
        self.tokens[i].span.slice(self.text)
    }
    fn lower(&self, i: usize) -> String {
        normalize_apostrophes(self.word(i)).to_lowercase()
    }
    fn upos(&self, i: usize) -> Option<&str> {
        self.syntax.and_then(|s| s.get(i - self.range.start)).map(|w| w.upos.as_str())
    }
    fn span(&self, r: &Range<usize>) -> Span {
        Span::new(self.tokens[r.start].span.start, self.tokens[r.end - 1].span.end)
    }
    /// Could token `i` continue a proper name already started? The tagger often calls
    /// "Democratic" or "Coordination" an adjective or noun inside a name.
    fn proper_inside(&self, i: usize) -> bool {
        let w = self.word(i);
        name_like(w)
            && !NOT_NAMES.contains(&w.to_lowercase().as_str())
            && self.upos(i).is_none_or(|p| !matches!(p, "PRON" | "DET" | "VERB" | "AUX" | "ADP" | "PUNCT"))
    }

    /// Could token `i` open a proper name? A capitalised adjective or noun may when a
    /// name word follows ("Islamic Revolutionary Guard Corps").
    fn opens_name(&self, i: usize) -> bool {
        // "2nd Battalion", "321st Field Artillery Regiment".
        let ordinal = |w: &str| {
            ["st", "nd", "rd", "th"]
                .iter()
                .filter_map(|suffix| w.strip_suffix(suffix))
                .any(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        (ordinal(self.word(i)) && i + 1 < self.range.end && self.proper_inside(i + 1))
            || self.proper(i)
            || (i > self.range.start
                && self.proper_inside(i)
                && matches!(self.upos(i), Some("ADJ" | "NOUN"))
                && i + 1 < self.range.end
                && self.proper_inside(i + 1))
    }

    /// Could token `i` be part of a proper name?
    fn proper(&self, i: usize) -> bool {
        let w = self.word(i);
        if !name_like(w) || NOT_NAMES.contains(&w.to_lowercase().as_str()) {
            return false;
        }
        match self.upos(i) {
            Some(p) => p == "PROPN" || (p != "PRON" && p != "DET" && i > self.range.start && is_acronym(w)),
            None => i > self.range.start || is_acronym(w),
        }
    }
}

impl Extractor {
    /// Find actor mentions in a run of tokens taken as one sentence, without syntax or
    /// document context. See [`Extractor::document_actors`] for whole documents.
    pub fn actors(&self, text: &str, tokens: &[Token]) -> Vec<ActorMention> {
        let whole = std::iter::once(0..tokens.len()).collect::<Vec<_>>();
        self.document_actors(text, tokens, &whole, None)
    }

    /// Find every actor mention of a document: `sentences` are token ranges, `syntax`
    /// (when given) has one entry per sentence. Mentions come in text order.
    pub fn document_actors(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
        syntax: Option<&[Vec<WordSyntax>]>,
    ) -> Vec<ActorMention> {
        let sents: Vec<Sent<'_>> = sentences
            .iter()
            .enumerate()
            .map(|(k, r)| Sent {
                text,
                tokens,
                range: r.clone(),
                syntax: syntax.and_then(|s| s.get(k)).map(Vec::as_slice),
            })
            .collect();
        let mut ctx = DocContext { persons: self.people_by_syntax(&sents), ..DocContext::default() };
        let mut out: Vec<ActorMention> = Vec::new();
        let mut sentence_of: Vec<usize> = Vec::new();
        for (k, s) in sents.iter().enumerate() {
            let found = self.sentence_actors(s, &mut ctx);
            sentence_of.extend(std::iter::repeat_n(k, found.len()));
            out.extend(found);
        }
        // Agents that belong to the country the story is set in.
        let host = self.host_country(&sents, &out, &sentence_of);
        out.retain_mut(|m| {
            if m.key != HOST_KEY {
                return true;
            }
            match host {
                Some(h) => {
                    *m = self.country_actor(h, None, m.sector.clone(), m.span, m.tokens.clone(), MentionKind::Agent);
                    true
                }
                None => false,
            }
        });
        // An organisation's mention is its noun phrase, article included ("the KDP",
        // "the Iraqi government"), as treebanks and entity corpora mark it.
        for m in out.iter_mut().filter(|m| matches!(m.kind, ActorType::Organisation | ActorType::Group)) {
            let k = sentence_of_mention(&sents, m);
            let t = m.tokens.start;
            if t > sents[k].range.start
                && m.span.start == tokens[t].span.start
                && sents[k].word(t - 1).eq_ignore_ascii_case("the")
            {
                m.tokens.start = t - 1;
                m.span = Span::new(tokens[t - 1].span.start, m.span.end);
            }
        }
        let sentence_of: Vec<usize> = out.iter().map(|m| sentence_of_mention(&sents, m)).collect();
        let mut sentence_of = sentence_of;
        self.resolve_references(&sents, &mut out, &mut sentence_of);
        out
    }

    /// The country a story is set in: the one most often named after "in", "across"...,
    /// then by its actors' countries.
    fn host_country(
        &self,
        sents: &[Sent<'_>],
        mentions: &[ActorMention],
        sentence_of: &[usize],
    ) -> Option<&CountryEntry> {
        let mut score: HashMap<&str, usize> = HashMap::new();
        for (m, &k) in mentions.iter().zip(sentence_of) {
            let Some(c) = m.country.as_deref() else { continue };
            let s = &sents[k];
            let setting = m.kind == ActorType::Country
                && m.tokens.start > s.range.start
                && SETTING_PREPOSITIONS.contains(&s.lower(m.tokens.start - 1).as_str());
            *score.entry(c).or_default() += if setting { 3 } else { 1 };
        }
        let (iso, _) = score.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
        self.country_by_iso(iso)
    }

    fn sentence_actors(&self, s: &Sent<'_>, ctx: &mut DocContext) -> Vec<ActorMention> {
        let mut out: Vec<ActorMention> = Vec::new();
        let mut i = s.range.start;
        while i < s.range.end {
            let before = out.len();
            let next = self.mention_at(s, i, ctx, &mut out);
            // "Katai'b Hezbollah (KAH)": the acronym becomes an alias within the document.
            if out.len() > before && next + 2 < s.range.end && s.word(next) == "(" && s.word(next + 2) == ")" {
                let acr = normalize_apostrophes(s.word(next + 1));
                let defined = out.last().cloned().filter(|m| m.how != MentionKind::Coreference);
                if let Some(m) = defined
                    .filter(|_| is_acronym(&acr) && self.country_at(s.text, s.tokens, next + 1, next + 2).is_none())
                {
                    let r = next + 1..next + 2;
                    out.push(ActorMention { span: s.span(&r), tokens: r, how: MentionKind::Local, ..m.clone() });
                    ctx.local.insert(acr, m);
                    i = next + 3;
                    continue;
                }
            }
            i = next.max(i + 1);
        }
        out
    }

    /// Recognize a mention starting at token `i`, pushing it to `out`; returns the token
    /// index to continue from.
    fn mention_at(&self, s: &Sent<'_>, i: usize, ctx: &mut DocContext, out: &mut Vec<ActorMention>) -> usize {
        let end = s.range.end;
        // Most tokens are lower-case words: only a generic agent can start there.
        let w = s.word(i);
        if !name_like(w) && !w.contains('-') && !w.eq_ignore_ascii_case("the") {
            if let Some(next) = self.agent_of_country(s, i, out) {
                return next;
            }
            return self.generic_agent(s, i, out).unwrap_or(i + 1);
        }
        // Names the document defined: exact surface.
        if let Some(m) = ctx.local.get(&normalize_apostrophes(s.word(i))) {
            let r = i..i + 1;
            out.push(ActorMention { span: s.span(&r), tokens: r, how: MentionKind::Local, ..m.clone() });
            return i + 1;
        }
        // A title before a name: "Prime Minister al-Kadhimi", "Gen. Qaani".
        if let Some((n, sector)) = self.title_at(s, i) {
            if let Some(next) = self.person_after_title(s, i, i + n, sector, ctx, out) {
                return next;
            }
        }
        let accept = |a: usize, b: usize| {
            (a..b).any(|k| name_like(s.word(k)))
                && (b - a > 1 || a > s.range.start || s.upos(a).is_none_or(|p| p == "PROPN"))
        };
        let reg = self.names.longest(s.text, s.tokens, i, end, accept);
        let country = self.country_mention(s, i, ctx);
        // On a tie, "Iraqi Security Forces" is the registry's, "Iraqi security forces" a
        // country and its agent.
        let reg_wins = reg.as_ref().is_some_and(|(n, _)| {
            country
                .as_ref()
                .is_none_or(|(e, _)| i + n > *e || (i + n == *e && (i..i + n).all(|k| name_like(s.word(k)))))
        });
        if let (true, Some((n, entries))) = (reg_wins, reg) {
            let entry = self.choose_entry(&entries, ctx);
            // "the United Nations": the name without its article.
            let r = if n > 1 && s.lower(i) == "the" { i + 1..i + n } else { i..i + n };
            let mut m = self.registry_mention(entry, s.span(&r), r);
            let mut next = i + n;
            // "Arnorian officials": an actor without a sector of its own takes the agent's.
            if m.kind != ActorType::Person && m.sector.is_none() {
                if let (Some(sector), Some(a)) = self.agent_after(s.text, s.tokens, next, end) {
                    let r = m.tokens.start..a;
                    m.code = format!("{}{}", m.code, sector);
                    m.name = format!("{} {}", m.name, sector_label(&sector));
                    m.key = format!("code:{}", m.code);
                    m.kind = kind_for(Some(&sector));
                    m.sector = Some(sector);
                    m.span = s.span(&r);
                    m.tokens = r;
                    m.entry = None;
                    m.registry_id = None;
                    out.push(m);
                    return a;
                }
            }
            // "the Trump administration", "the Kadhimi government".
            if m.kind == ActorType::Person && next < end && GOVERNMENT_OF.contains(&s.lower(next).as_str()) {
                if let Some(e) = m.country.as_deref().and_then(|iso| self.country_by_iso(iso)) {
                    let r = i..next + 1;
                    m = self.country_actor(e, None, Some("GOV".into()), s.span(&r), r, MentionKind::Registry);
                    next += 1;
                }
            }
            out.push(m);
            return next;
        }
        if let Some((e, ms)) = country {
            // "Iraqi Prime Minister Mustafa al-Kadhimi": a title after the adjective.
            let after_country = self.country_at(s.text, s.tokens, i, end).map_or(i + 1, |(n, _)| i + n);
            let title = (ms.len() == 1 && ms[0].patron.is_none())
                .then(|| {
                    self.title_at(s, after_country).or_else(|| {
                        // "Pentagon Press Secretary Peter Cook": an agent ending in a title word.
                        (e > after_country + 1 && ms[0].sector.is_some())
                            .then(|| self.title_at(s, e - 1).filter(|(n, _)| e - 1 + n == e))
                            .flatten()
                            .map(|(_, _)| (e - after_country, ms[0].sector.clone()))
                    })
                })
                .flatten();
            if let Some((n, sector)) = title {
                let mut found = Vec::new();
                if let Some(next) = self.person_after_title(s, i, after_country + n, sector, ctx, &mut found) {
                    for mut p in found {
                        if p.country.is_none() {
                            p.country = ms[0].country.clone();
                            p.code =
                                format!("{}{}", p.country.as_deref().unwrap_or(""), p.sector.as_deref().unwrap_or(""));
                        }
                        out.push(p);
                    }
                    return next;
                }
            }
            out.extend(ms);
            return e;
        }
        // "ISIL-held", "Hezbollah-led": a registry name as the first piece of a token.
        if let Some(m) = self.registry_piece(s, i, ctx) {
            out.push(m);
            return i + 1;
        }
        if let Some(next) = self.agent_of_country(s, i, out) {
            return next;
        }
        if let Some(next) = self.unknown_name(s, i, ctx, out) {
            return next;
        }
        if let Some(next) = self.generic_agent(s, i, out) {
            return next;
        }
        i + 1
    }

    /// Whether the capitalised run from `i` ends in an organisation's head word.
    fn org_name_ends(&self, s: &Sent<'_>, i: usize) -> bool {
        let mut e = i;
        while e < s.range.end && s.proper_inside(e) {
            e += 1;
        }
        e > i && ORG_HEADS.iter().any(|(h, _, _)| s.lower(e - 1) == *h)
    }

    /// Unknown names the syntax shows to be people: subjects of speech verbs ("Cook
    /// said", "Davis told reporters") and antecedents of "who".
    fn people_by_syntax(&self, sents: &[Sent<'_>]) -> std::collections::HashSet<String> {
        let mut out = std::collections::HashSet::new();
        for s in sents {
            let Some(sx) = s.syntax else { continue };
            for t in s.range.clone() {
                let w = &sx[t - s.range.start];
                if w.upos != "PROPN" || !name_like(s.word(t)) {
                    continue;
                }
                let head = w.head.checked_sub(1).map(|h| &sx[h]);
                let speaks = w.deprel == "nsubj" && head.is_some_and(|h| SPEECH_VERBS.contains(&h.lemma.as_str()));
                let who = t + 2 < s.range.end && s.word(t + 1) == "," && s.lower(t + 2) == "who";
                if !(speaks || who) {
                    continue;
                }
                // The name: the token and the name words right before it ("Peter Cook").
                let mut a = t;
                while a > s.range.start
                    && sx[a - 1 - s.range.start].head == t + 1 - s.range.start
                    && s.proper_inside(a - 1)
                {
                    a -= 1;
                }
                if self.country_at(s.text, s.tokens, a, t + 1).is_some()
                    || self.names.longest(s.text, s.tokens, a, t + 1, |_, _| true).is_some()
                {
                    continue;
                }
                let words: Vec<&str> = (a..=t).map(|k| s.word(k)).collect();
                out.insert(crate::names::phrase_key(&words.join(" ")));
            }
        }
        out
    }

    /// A registry name in a hyphenated token `i` ("ISIL-held", "counter-ISIL").
    fn registry_piece(&self, s: &Sent<'_>, i: usize, ctx: &DocContext) -> Option<ActorMention> {
        let w = s.word(i);
        if !w.contains('-') {
            return None;
        }
        let start = s.tokens[i].span.start;
        hyphen_pieces(w).into_iter().filter(|(_, p)| name_like(p)).find_map(|(off, piece)| {
            let token = [Token { span: Span::new(start + off, start + off + piece.len()) }];
            let (_, entries) = self.names.longest(s.text, &token, 0, 1, |_, _| true)?;
            Some(self.registry_mention(self.choose_entry(&entries, ctx), token[0].span, i..i + 1))
        })
    }

    /// "the government of Iraq", "the Government of Iraq": an agent noun and the
    /// country it belongs to; returns the token index past the country.
    fn agent_of_country(&self, s: &Sent<'_>, i: usize, out: &mut Vec<ActorMention>) -> Option<usize> {
        let (sector, end) = self.agent_after_any_case(s, i);
        let (sector, end) = (sector?, end?);
        if end + 1 >= s.range.end || s.lower(end) != "of" {
            return None;
        }
        let (n, c) = self.country_at(s.text, s.tokens, end + 1, s.range.end)?;
        if c.form != CountryForm::Name {
            return None;
        }
        let r = i..end + 1 + n;
        out.push(self.country_actor(c, None, Some(sector), s.span(&r), r, MentionKind::Country));
        Some(end + 1 + n)
    }

    /// An agent phrase at `i` whatever its case ("Government", "government").
    fn agent_after_any_case(&self, s: &Sent<'_>, i: usize) -> (Option<String>, Option<usize>) {
        self.agent_after(s.text, s.tokens, i, s.range.end)
    }

    /// A title at token `i`: its token count and sector.
    fn title_at(&self, s: &Sent<'_>, i: usize) -> Option<(usize, Option<String>)> {
        if i >= s.range.end || !capitalized(s.word(i)) {
            return None;
        }
        let (n, v) = self.titles.longest(s.text, s.tokens, i, s.range.end, |_, _| true)?;
        Some((n, v[0].clone()))
    }

    /// The person named after a title that ends at `j`; pushes the mention and returns
    /// the next token, or `None` when no name follows.
    fn person_after_title(
        &self,
        s: &Sent<'_>,
        from: usize,
        j: usize,
        sector: Option<String>,
        ctx: &mut DocContext,
        out: &mut Vec<ActorMention>,
    ) -> Option<usize> {
        if j >= s.range.end || !name_like(s.word(j)) {
            return None;
        }
        // A known person, or a local alias.
        // The mention spans the title too: "Prime Minister Nouri al-Maliki".
        if let Some(m) = ctx.local.get(&normalize_apostrophes(s.word(j))).filter(|m| m.kind == ActorType::Person) {
            let r = from..j + 1;
            out.push(ActorMention { span: s.span(&r), tokens: r, how: MentionKind::Local, ..m.clone() });
            return Some(j + 1);
        }
        if let Some((n, entries)) = self.names.longest(s.text, s.tokens, j, s.range.end, |_, _| true) {
            let persons: Vec<&usize> =
                entries.into_iter().filter(|&&e| self.registry.entry(e).kind == ActorType::Person).collect();
            if !persons.is_empty() {
                let r = from..j + n;
                out.push(self.registry_mention(self.choose_entry(&persons, ctx), s.span(&r), r));
                return Some(j + n);
            }
        }
        // An unknown person: the capitalised words after the title.
        let mut e = j;
        while e < s.range.end
            && name_like(s.word(e))
            && !NOT_NAMES.contains(&s.lower(e).as_str())
            && s.word(e) != "U.S."
        {
            e += 1;
        }
        if e == j || self.country_at(s.text, s.tokens, j, e).is_some_and(|(n, _)| j + n == e) {
            return None;
        }
        let name: String = (j..e).map(|k| s.word(k)).collect::<Vec<_>>().join(" ");
        let r = from..e;
        let m = unknown_actor(&name, ActorType::Person, None, sector, s.span(&r), r);
        // The surname alone names the same person later in the document.
        if e - j >= 2 {
            ctx.local.entry(normalize_apostrophes(s.word(e - 1))).or_insert_with(|| m.clone());
        }
        out.push(m);
        Some(e)
    }

    /// Of several registry entries for one name, the one loaded last (curated and user
    /// files come after the converted dictionaries).
    fn choose_entry(&self, entries: &[&usize], ctx: &DocContext) -> usize {
        let _ = ctx;
        entries.iter().copied().max().copied().unwrap_or_default()
    }

    pub(crate) fn registry_mention(&self, entry: usize, span: Span, tokens: Range<usize>) -> ActorMention {
        let e = self.registry.entry(entry);
        ActorMention {
            span,
            tokens,
            name: e.name.clone(),
            code: e.code.clone(),
            country: e.country.clone(),
            sector: e.sector.clone(),
            kind: e.kind,
            patron: e.patrons.iter().find(|p| p.is_country).map(|p| p.target.clone()),
            registry_id: Some(e.id.clone()),
            entry: Some(entry),
            key: format!("id:{}", e.id),
            how: MentionKind::Registry,
        }
    }

    fn country_by_iso(&self, iso: &str) -> Option<&CountryEntry> {
        self.country_names.get(iso)
    }

    /// A proper name the registry does not know, typed by its last word, a first name
    /// or its form.
    fn unknown_name(&self, s: &Sent<'_>, i: usize, ctx: &mut DocContext, out: &mut Vec<ActorMention>) -> Option<usize> {
        if !s.opens_name(i) {
            return None;
        }
        let mut e = i + 1;
        loop {
            // "Press Secretary Peter Cook": a title inside the run starts a person.
            if e < s.range.end
                && self.title_at(s, e).is_some_and(|(n, _)| e + n < s.range.end && name_like(s.word(e + n)))
            {
                break;
            }
            if e < s.range.end && s.proper_inside(e) && self.country_at(s.text, s.tokens, e, s.range.end).is_none() {
                e += 1;
            } else if e + 1 < s.range.end && NAME_CONNECTORS.contains(&s.word(e)) && s.proper_inside(e + 1) {
                e += 2;
            } else if e + 2 < s.range.end
                && matches!(s.word(e), "of" | "for")
                && s.word(e + 1) == "the"
                && s.proper_inside(e + 2)
            {
                // "Department of the Treasury".
                e += 3;
            } else {
                break;
            }
        }
        let words: Vec<&str> = (i..e).map(|k| s.word(k)).collect();
        // Places whose last word looks like an organisation's ("the West Bank"); the
        // places stage (issue 4) will know them all.
        if KNOWN_PLACES.contains(&crate::names::phrase_key(&words.join(" ")).as_str()) {
            return Some(e);
        }
        let last = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
        let first = words[0].to_lowercase();
        let after_place_word = i > s.range.start && LOCATIVE.contains(&s.lower(i - 1).as_str());
        let (kind, sector) = if let Some(&(_, k, sec)) = ORG_HEADS.iter().find(|(h, _, _)| *h == last) {
            (k, (!sec.is_empty()).then(|| sec.to_string()))
        } else if words.len() == 1 && is_acronym(words[0]) && words[0].len() <= 8 && !after_place_word {
            (ActorType::Organisation, None)
        } else if ctx.persons.contains(&crate::names::phrase_key(&words.join(" ")))
            || (words.len() >= 2 && self.first_names.contains(&first) && !after_place_word)
            // A lone first name the registry's people carry ("Karim said", "Anas and his friends").
            || (words.len() == 1
                && self.first_names.contains(&first)
                && !after_place_word
                && s.upos(i).is_some_and(|p| p == "PROPN")
                && !self.countries.contains_key(words[0]))
        {
            (ActorType::Person, None)
        } else {
            return Some(e);
        };
        // "Iraqi Resistance Coordination Commission": a country adjective inside the name.
        let inside = (i..e).find_map(|k| self.country_at(s.text, s.tokens, k, k + 1)).map(|(_, c)| c.iso3.clone());
        // "Iraq's Trade Bank": the possessor's country.
        let possessor = (i >= s.range.start + 2 && matches!(s.lower(i - 1).as_str(), "'s" | "'"))
            .then(|| self.country_at(s.text, s.tokens, i - 2, i - 1))
            .flatten()
            .map(|(_, c)| c.iso3.clone());
        let country = inside.or(possessor);
        let r = i..e;
        let m = unknown_actor(&words.join(" "), kind, country, sector, s.span(&r), r);
        if kind == ActorType::Person {
            ctx.local.entry(normalize_apostrophes(words[words.len() - 1])).or_insert_with(|| m.clone());
        }
        out.push(m);
        Some(e)
    }

    /// A generic agent noun with no country of its own: "security forces" belong to the
    /// country the story is set in, or to the country of an agent just before it
    /// ("U.S. forces and personnel").
    fn generic_agent(&self, s: &Sent<'_>, i: usize, out: &mut Vec<ActorMention>) -> Option<usize> {
        // A common noun, not part of a name ("Qods Force") nor a name's agent ("the
        // Trump administration", "a KDP official"), nor someone's ("Iran's forces").
        if i > s.range.start
            && (capitalized(s.word(i))
                || matches!(
                    s.lower(i - 1).as_str(),
                    "'s" | "'" | "its" | "their" | "his" | "her" | "our" | "my" | "your"
                )
                || name_like(s.word(i - 1)))
        {
            return None;
        }
        let (sector, end) = self.agent_after(s.text, s.tokens, i, s.range.end);
        let (sector, end) = (sector?, end?);
        let phrase = (i..end).map(|k| s.lower(k)).collect::<Vec<_>>().join(" ");
        if s.upos(end - 1).is_some_and(|p| p != "NOUN") {
            return None;
        }
        // Coordinated with a country's agent: "U.S. forces and personnel".
        let prev = out.last().filter(|m| {
            m.country.is_some()
                && m.sector.is_some()
                && m.tokens.end + 1 == i
                && matches!(s.lower(i - 1).as_str(), "and" | "or" | ",")
        });
        let r = i..end;
        // "demonstrators in Baghdad", "a group based in Trinidad", "officials from Iran".
        let placed = {
            let mut k = end;
            if k < s.range.end && s.lower(k) == "based" {
                k += 1;
            }
            if k + 1 < s.range.end && matches!(s.lower(k).as_str(), "in" | "from") {
                let k = if s.lower(k + 1) == "the" { k + 2 } else { k + 1 };
                self.country_at(s.text, s.tokens, k, s.range.end)
                    .filter(|(_, c)| matches!(c.form, CountryForm::Name | CountryForm::Capital))
                    .map(|(_, c)| c)
            } else {
                None
            }
        };
        if let Some(c) = placed.filter(|_| prev.is_none()) {
            out.push(self.country_actor(c, None, Some(sector), s.span(&r), r, MentionKind::Agent));
            return Some(end);
        }
        match prev.and_then(|m| m.country.as_deref()).and_then(|c| self.country_by_iso(c)) {
            Some(c) => out.push(self.country_actor(c, None, Some(sector), s.span(&r), r, MentionKind::Agent)),
            None if HOST_AGENTS.contains(&phrase.as_str()) => {
                // Filled in once the whole document has been read.
                let mut m = unknown_actor(&phrase, ActorType::Organisation, None, Some(sector), s.span(&r), r);
                m.key = HOST_KEY.to_string();
                m.how = MentionKind::Agent;
                out.push(m);
            }
            None => return None,
        }
        Some(end)
    }

    /// A country mention at token `i` (with its agent noun and patron), and the token
    /// index past it.
    fn country_mention(&self, s: &Sent<'_>, i: usize, _ctx: &DocContext) -> Option<(usize, Vec<ActorMention>)> {
        let (text, tokens, end) = (s.text, s.tokens, s.range.end);
        if let Some((n, entry)) = self.country_at(text, tokens, i, end) {
            let prev = (i > s.range.start).then(|| s.lower(i - 1));
            let next = (i + n < end).then(|| s.word(i + n));
            let next_capitalized = next.is_some_and(capitalized);
            let is_place = matches!(entry.form, CountryForm::Capital)
                && prev.as_deref().is_some_and(|p| PLACE_PREPOSITIONS.contains(&p));
            let (sector, agent_end) = self.agent_after(text, tokens, i + n, end);
            // "Jordan Peterson", "Georgia Tech": an ambiguous name before a capitalized word.
            let is_other_name = entry.ambiguous && next_capitalized && agent_end.is_none();
            if is_place || is_other_name {
                return None;
            }
            // "the Iraqi Resistance Coordination Commission": an adjective opening a
            // name is part of an organisation, not the country.
            if entry.form == CountryForm::Adjective && agent_end.is_none() && next_capitalized && next != Some("U.S.") {
                // ... unless a title follows: "Iraqi Prime Minister".
                self.title_at(s, i + n)?;
            }
            // "the Syria Recovery Trust Fund": so does a country's name.
            if entry.form == CountryForm::Name
                && agent_end.is_none()
                && next_capitalized
                && self.org_name_ends(s, i + n)
            {
                return None;
            }
            // "U.S. Air Forces Central Command": a capitalised agent that runs on into a
            // name is part of an organisation's name.
            if let Some(a) = agent_end {
                if a < end
                    && (i + n..a).all(|k| capitalized(s.word(k)))
                    && s.proper_inside(a)
                    && self.title_at(s, i + n).is_none()
                {
                    return None;
                }
            }
            let end_tok = agent_end.unwrap_or(i + n);
            let r = i..end_tok;
            return Some((end_tok, vec![self.country_actor(entry, None, sector, s.span(&r), r, MentionKind::Country)]));
        }
        // Inside a hyphenated token: "U.S.-Iran", "Iran-backed militias", "pro-Iranian parties".
        let w = tokens[i].span.slice(text);
        if !w.contains('-') {
            return None;
        }
        let pieces = hyphen_pieces(w);
        let lower: Vec<String> = pieces.iter().map(|(_, p)| p.to_lowercase()).collect();
        let mut found = Vec::new();
        for (k, (off, piece)) in pieces.iter().enumerate() {
            let Some(entry) = self.countries.get(&normalize_apostrophes(piece)) else { continue };
            if matches!(entry.form, CountryForm::Capital) && k + 1 < pieces.len() {
                continue;
            }
            let patron_suffix = lower.get(k + 1).is_some_and(|s| PATRON_SUFFIXES.contains(&s.as_str()));
            let pro = k > 0 && lower[k - 1] == "pro";
            if patron_suffix || pro {
                // The group is whatever agent noun follows the token.
                let (sector, agent_end) = self.agent_after(text, tokens, i + 1, end);
                if let Some(e) = agent_end {
                    let r = i..e;
                    let m = self.country_actor(
                        entry,
                        Some(entry.iso3.clone()),
                        sector,
                        s.span(&r),
                        r,
                        MentionKind::Country,
                    );
                    return Some((e, vec![m]));
                }
                continue;
            }
            let start = tokens[i].span.start + off;
            let span = Span::new(start, start + piece.len());
            found.push(self.country_actor(entry, None, None, span, i..i + 1, MentionKind::Country));
        }
        (!found.is_empty()).then_some((i + 1, found))
    }

    /// The longest country phrase starting at token `i`: (token count, entry).
    pub(crate) fn country_at(
        &self,
        text: &str,
        tokens: &[Token],
        i: usize,
        end: usize,
    ) -> Option<(usize, &CountryEntry)> {
        let max = self.max_country_tokens.min(end.saturating_sub(i));
        let mut key = String::new();
        let mut best = None;
        for n in 1..=max {
            if n > 1 {
                key.push(' ');
            }
            key.push_str(&normalize_apostrophes(tokens[i + n - 1].span.slice(text)));
            if let Some(e) = self.countries.get(&key) {
                best = Some((n, e));
            } else if n == 1 && key.contains('.') && !key.ends_with('.') {
                // "the U.S military presence": an initialism missing its last period.
                if let Some(e) = self.countries.get(&format!("{key}.")) {
                    best = Some((n, e));
                }
            }
        }
        best
    }

    /// An agent noun phrase at token `j` (after an optional possessive): its sector and
    /// the token index just past it.
    fn agent_after(&self, text: &str, tokens: &[Token], j: usize, end: usize) -> (Option<String>, Option<usize>) {
        let mut j = j;
        if j < end && matches!(&*normalize_apostrophes(tokens[j].span.slice(text)), "'s" | "'") {
            j += 1;
        }
        let max = self.max_agent_tokens.min(end.saturating_sub(j));
        let mut key = String::new();
        let mut best = (None, None);
        for n in 1..=max {
            if n > 1 {
                key.push(' ');
            }
            key.push_str(&tokens[j + n - 1].span.slice(text).to_lowercase());
            if !self.agent_prefixes.contains(&key) {
                break;
            }
            if let Some(s) = self.agents.get(&key) {
                best = (Some(s.clone()), Some(j + n));
            }
        }
        best
    }

    fn country_actor(
        &self,
        entry: &CountryEntry,
        patron: Option<String>,
        sector: Option<String>,
        span: Span,
        tokens: Range<usize>,
        how: MentionKind,
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
                    key: format!("code:{sector}|{p}"),
                    sector: Some(sector),
                    patron: Some(p),
                    registry_id: None,
                    entry: None,
                    how,
                }
            }
            None => {
                let code = format!("{}{}", entry.cameo, sector.as_deref().unwrap_or(""));
                ActorMention {
                    span,
                    tokens,
                    name: match &sector {
                        Some(s) => format!("{} {}", entry.name, sector_label(s)),
                        None => entry.name.clone(),
                    },
                    key: format!("code:{code}"),
                    code,
                    country: Some(entry.iso3.clone()),
                    kind: kind_for(sector.as_deref()),
                    sector,
                    patron: None,
                    registry_id: Some(format!("country:{}", entry.iso3)),
                    entry: None,
                    how,
                }
            }
        }
    }

    /// Coreference: pronouns and definite descriptions take the actor of an earlier
    /// mention. New mentions are inserted in text order.
    fn resolve_references(&self, sents: &[Sent<'_>], out: &mut Vec<ActorMention>, sentence_of: &mut Vec<usize>) {
        // Mentions in text order as the scan passes them, resolved ones included, so a
        // chain ("LAS ... the group ... the militia") carries an actor forward.
        let mut hist: Vec<(usize, ActorMention)> = Vec::with_capacity(out.len());
        let mut next = 0; // `out[next..]` start at or after the current token
        for (k, s) in sents.iter().enumerate() {
            for t in s.range.clone() {
                while next < out.len() && out[next].tokens.start < t {
                    hist.push((sentence_of[next], out[next].clone()));
                    next += 1;
                }
                if hist.iter().rev().take(3).any(|(_, m)| m.tokens.contains(&t))
                    || out.get(next).is_some_and(|m| m.tokens.contains(&t))
                {
                    continue;
                }
                let raw = s.word(t);
                // "the two powers", "both countries": the last two countries named.
                if let Some(n) = self.pair_reference(s, t) {
                    // The latest two countries joined by "and" ("the United States and Iran").
                    let first_sentence = k.saturating_sub(PRONOUN_WINDOW);
                    let recent: Vec<&(usize, ActorMention)> =
                        hist.iter().rev().take_while(|(ms, _)| *ms >= first_sentence).collect();
                    let joined = recent.windows(2).find_map(|w| {
                        let ((sa, a), (sb, b)) = (w[0], w[1]);
                        let and = sa == sb
                            && b.tokens.end + 1 == a.tokens.start
                            && sents[*sa].word(b.tokens.end).eq_ignore_ascii_case("and");
                        (and && a.kind == ActorType::Country && b.kind == ActorType::Country && a.key != b.key)
                            .then_some([a, b])
                    });
                    if let Some(found) = joined {
                        let tokens = t..t + n;
                        let span = s.span(&tokens);
                        let pair: Vec<ActorMention> = found
                            .into_iter()
                            .rev()
                            .map(|a| ActorMention {
                                span,
                                tokens: tokens.clone(),
                                how: MentionKind::Coreference,
                                ..a.clone()
                            })
                            .collect();
                        hist.extend(pair.into_iter().map(|m| (k, m)));
                    }
                    continue;
                }
                if raw.len() > 10 || !REFERRING_WORDS.iter().any(|r| r.eq_ignore_ascii_case(raw)) {
                    continue;
                }
                let w = raw.to_ascii_lowercase();
                let prev_word = (t > s.range.start).then(|| s.lower(t - 1));
                let class = match w.as_str() {
                    "he" | "him" | "his" | "himself" | "she" | "her" | "hers" | "herself" => Refers::Person,
                    "they" | "them" | "their" | "theirs" | "themselves" => Refers::Plural,
                    "its" | "itself" => Refers::Thing,
                    "it" if self.referring_it(s, t) => Refers::Thing,
                    "militia" | "militias" if prev_word.as_deref() == Some("the") => Refers::Militia,
                    n if GROUP_NOUNS.contains(&n) && prev_word.as_deref() == Some("the") => Refers::Group,
                    _ => continue,
                };
                let nominal = matches!(class, Refers::Militia | Refers::Group);
                let first_sentence = k.saturating_sub(if nominal { NOMINAL_WINDOW } else { PRONOUN_WINDOW });
                let last_word = |m: &ActorMention| {
                    let (ms, mt) = (sentence_of_mention(sents, m), m.tokens.end - 1);
                    sents[ms].lower(mt)
                };
                let fits = |m: &ActorMention| match class {
                    Refers::Person => m.kind == ActorType::Person,
                    Refers::Plural => {
                        m.kind == ActorType::Group
                            || (m.kind == ActorType::Organisation
                                && m.how != MentionKind::Registry
                                && last_word(m).ends_with('s'))
                    }
                    Refers::Thing => m.kind != ActorType::Person,
                    Refers::Militia => m.sector.as_deref().is_some_and(|x| x.starts_with("REB")),
                    // "the group" is not a state body.
                    Refers::Group => {
                        matches!(m.how, MentionKind::Registry | MentionKind::Unknown | MentionKind::Local)
                            && (m.kind == ActorType::Group
                                || (m.kind == ActorType::Organisation
                                    && !m
                                        .sector
                                        .as_deref()
                                        .is_some_and(|x| STATE_SECTORS.contains(&x.get(..3).unwrap_or("")))))
                    }
                };
                // "Iraq will allow it": a pronoun is not its own clause's subject.
                let clause_subject = |m: &ActorMention| {
                    let Some(sx) = s.syntax else { return false };
                    if nominal || !(s.range.contains(&m.tokens.start)) {
                        return false;
                    }
                    let head = sx[t - s.range.start].head;
                    m.tokens.clone().any(|d| {
                        let wd = &sx[d - s.range.start];
                        wd.head == head && head != 0 && wd.deprel.starts_with("nsubj")
                    })
                };
                let antecedent = hist
                    .iter()
                    .rev()
                    .take_while(|(ms, _)| *ms >= first_sentence)
                    .map(|(_, m)| m)
                    .find(|m| m.tokens.end <= t && fits(m) && !clause_subject(m));
                if let Some(a) = antecedent {
                    let tokens = if nominal { t - 1..t + 1 } else { t..t + 1 };
                    let span = s.span(&tokens);
                    let m = ActorMention { span, tokens, how: MentionKind::Coreference, ..a.clone() };
                    hist.push((k, m));
                }
            }
        }
        hist.extend(out[next..].iter().enumerate().map(|(j, m)| (sentence_of[next + j], m.clone())));
        let added: Vec<(usize, ActorMention)> =
            hist.into_iter().filter(|(_, m)| m.how == MentionKind::Coreference).collect();
        if added.is_empty() {
            return;
        }
        let mut all: Vec<(usize, ActorMention)> = sentence_of.drain(..).zip(out.drain(..)).chain(added).collect();
        all.sort_by_key(|(_, m)| (m.tokens.start, m.span.start));
        for (k, m) in all {
            sentence_of.push(k);
            out.push(m);
        }
    }

    /// "the two powers", "both countries" at token `t`: its token count.
    fn pair_reference(&self, s: &Sent<'_>, t: usize) -> Option<usize> {
        const PAIR_NOUNS: &[&str] = &["powers", "countries", "nations", "states", "governments", "sides", "capitals"];
        let w = s.word(t);
        let is = |k: usize, set: &[&str]| k < s.range.end && set.iter().any(|x| x.eq_ignore_ascii_case(s.word(k)));
        if w.eq_ignore_ascii_case("the") && is(t + 1, &["two"]) && is(t + 2, PAIR_NOUNS) {
            Some(3)
        } else if w.eq_ignore_ascii_case("both") && is(t + 1, PAIR_NOUNS) {
            Some(2)
        } else {
            None
        }
    }

    /// "it" that refers, not the dummy subject of "it is likely that", "it seems".
    fn referring_it(&self, s: &Sent<'_>, t: usize) -> bool {
        let next = (t + 1 < s.range.end).then(|| s.lower(t + 1));
        !matches!(
            next.as_deref(),
            Some(
                "is" | "was"
                    | "'s"
                    | "seems"
                    | "seemed"
                    | "appears"
                    | "appeared"
                    | "remains"
                    | "would"
                    | "will"
                    | "may"
                    | "might"
                    | "could"
                    | "has"
                    | "had"
                    | "takes"
                    | "took"
            ) | None
        )
    }
}

/// What a pronoun or definite description can refer to.
#[derive(Debug, Clone, Copy)]
enum Refers {
    Person,
    Plural,
    Thing,
    Militia,
    Group,
}

/// The sentence holding a mention.
fn sentence_of_mention(sents: &[Sent<'_>], m: &ActorMention) -> usize {
    sents.partition_point(|s| s.range.end <= m.tokens.start).min(sents.len().saturating_sub(1))
}

fn unknown_actor(
    name: &str,
    kind: ActorType,
    country: Option<String>,
    sector: Option<String>,
    span: Span,
    tokens: Range<usize>,
) -> ActorMention {
    let code = format!("{}{}", country.as_deref().unwrap_or(""), sector.as_deref().unwrap_or(""));
    let norm = crate::names::phrase_key(name);
    // People go by their surname within a document ("Michael Pompeo", "Pompeo").
    let key = match kind {
        ActorType::Person => format!("person:{}", norm.rsplit(' ').next().unwrap_or(&norm)),
        _ => format!("name:{norm}"),
    };
    ActorMention {
        span,
        tokens,
        name: name.to_string(),
        key,
        code,
        country,
        sector,
        kind,
        patron: None,
        registry_id: None,
        entry: None,
        how: MentionKind::Unknown,
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
                ("the Iranian leadership".into(), "IRNGOV".into(), None),
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

    /// Mentions of a document, sentence-split, as (text, key).
    fn doc(text: &str) -> Vec<(String, String)> {
        let tokens = sway_syntax::tokenize(text, Span::new(0, text.len()));
        let ranges = sway_syntax::split_sentences(text, &tokens);
        Extractor::bundled()
            .document_actors(text, &tokens, &ranges, None)
            .into_iter()
            .map(|m| (m.span.slice(text).to_string(), m.key))
            .collect()
    }

    #[test]
    fn a_pair_refers_to_two_coordinated_countries() {
        let m = doc("Chile and Peru signed a fisheries pact in Lima. The two countries will meet again in May.");
        let pair: Vec<&str> = m.iter().filter(|(t, _)| t == "The two countries").map(|(_, k)| k.as_str()).collect();
        assert_eq!(pair, ["code:CHL", "code:PER"], "{m:?}");
    }

    #[test]
    fn acronyms_defined_in_the_text_and_host_country_agents() {
        let m = doc("The Northern Shore Battalions (NSB) attacked a depot in Iraq. Security forces said the NSB fled.");
        let nsb: Vec<&str> = m.iter().filter(|(_, k)| k.contains("northern shore")).map(|(t, _)| t.as_str()).collect();
        assert_eq!(nsb, ["The Northern Shore Battalions", "NSB", "the NSB"], "{m:?}");
        assert!(m.iter().any(|(t, k)| t == "Security forces" && k == "code:IRQCOP"), "{m:?}");
    }

    #[test]
    fn ambiguous_names_before_a_name_are_skipped() {
        assert!(find("Jordan Peterson spoke").iter().all(|m| m.1 != "JOR"));
        assert_eq!(find("Turkey and Jordan agreed").len(), 2);
    }
}
