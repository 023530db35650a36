//! # sway-pipeline
//!
//! One analysis of one document: segment it, find its actors, code its events, and put
//! it all in the output contract ([`sway_core::contract::DocumentRecord`]). The
//! dictionaries are compiled once in [`Pipeline::new`]; [`Pipeline::analyze`] takes
//! `&self`, so one pipeline serves many threads.
//!
//! ```
//! let docs = sway_ingest::read_bytes("a.txt", b"Russia Threatens Ukraine\n\nRussia threatened Ukraine on Monday, officials said.\n", &Default::default());
//! let doc = docs.into_iter().next().unwrap().unwrap();
//! let record = sway_pipeline::Pipeline::new().unwrap().analyze(&doc, false).unwrap();
//! assert_eq!(record.events[0].cameo, "130");
//! ```

use std::collections::HashMap;

use sway_core::contract::{
    ActorRecord, AmountRecord, BlockRecord, DateMethod, DateRange, DocumentRecord, EventDate, EventLocation,
    EventRecord, Evidence, JudgmentRecord, MentionRecord, ParticipantRecord, PatronRecord, PipelineInfo, PlaceRecord,
    Precision, ReferenceMethod, SentenceRecord, TimeRecord, TokenRecord, SCHEMA_VERSION,
};
use sway_core::{BlockKind, Document, Span, SWAY_VERSION};
use sway_extract::amounts;
use sway_extract::judgments::Estimative;
use sway_extract::places::{self, Gazetteer};
use sway_extract::registry::Registry;
use sway_extract::time::{self, TimeMention};
use sway_extract::{ActorMention, Extractor, MentionKind};
use sway_syntax::Syntax;

/// Why a document was not analyzed.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    #[error("a bundled dictionary does not load: {0}")]
    Resource(#[from] sway_extract::ResourceError),
    #[error("the bundled syntax models do not load: {0}")]
    Models(#[from] sway_syntax::perceptron::DecodeError),
    #[error("{source_name}: language is {language:?}, not English: skipped (only English is analyzed for now)")]
    NotEnglish { source_name: String, language: String },
    #[error("{source_name}: internal error, document not analyzed: {message} (a defect in sway: please report it)")]
    Internal { source_name: String, message: String },
}

/// The stages that run, in order, as recorded in every output's `pipeline.stages`.
pub const STAGES: &[&str] = &[
    "ingest",
    "segment:rules",
    "syntax:perceptron-ewt",
    "times:rules",
    "amounts:rules",
    "actors:registry+coreference",
    "places:gazetteer-geonames",
    "events:skeleton-patterns+dependencies",
    "judgments:estimative-lexicon",
];

/// The analysis pipeline, built once.
#[derive(Debug, Clone)]
pub struct Pipeline {
    extractor: Extractor,
    syntax: Syntax,
    estimative: Estimative,
    /// Shared: the gazetteer is large, and clones of a pipeline need not copy it.
    gazetteer: std::sync::Arc<Gazetteer>,
    /// Hashes of the bundled models and gazetteer, taken once: hashing their
    /// megabytes for every document's record would cost more than analysing it.
    bundled: std::sync::Arc<Vec<(String, String)>>,
}

/// Hashes of the resources compiled into the binary that the extractor does not list.
fn bundled_hashes() -> Vec<(String, String)> {
    vec![
        ("tagger".to_string(), hash(sway_syntax::TAGGER_MODEL)),
        ("parser".to_string(), hash(sway_syntax::PARSER_MODEL)),
        ("estimative-terms".to_string(), hash(sway_extract::judgments::TERMS_TSV.as_bytes())),
        ("gazetteer".to_string(), places::resource_hash()),
    ]
}

fn precision(p: &str) -> Precision {
    match p {
        "day" => Precision::Day,
        "week" => Precision::Week,
        "month" => Precision::Month,
        "season" => Precision::Season,
        "decade" => Precision::Decade,
        _ => Precision::Year,
    }
}

/// Whether word `d` lies in the subtree of word `h` (sentence-relative indices; heads
/// are 1-based with 0 the root).
fn governs(sx: &[sway_syntax::WordSyntax], h: usize, d: usize) -> bool {
    let mut k = d;
    for _ in 0..sx.len() {
        if k == h {
            return true;
        }
        match sx.get(k).map(|w| w.head) {
            Some(0) | None => return false,
            Some(p) => k = p - 1,
        }
    }
    false
}

/// The actor mention an amount belongs to: one on the words between the number and the
/// noun it counts ("5,200 U.S. troops", "$5 billion of Iranian funds"), a possessor just
/// before it ("Iran's $5 billion"), or one the counted noun governs ("the troops of Iraq").
fn amount_owner(
    text: &str,
    tokens: &[sway_core::Token],
    a: &amounts::AmountMention,
    sentence: std::ops::Range<usize>,
    sx: &[sway_syntax::WordSyntax],
    mentions: &[sway_extract::actors::ActorMention],
) -> Option<usize> {
    let overlaps =
        |r: std::ops::Range<usize>| mentions.iter().position(|m| m.tokens.start < r.end && r.start < m.tokens.end);
    if let Some(n) = a.noun {
        if let Some(m) = overlaps(a.tokens.end..n + 1) {
            return Some(m);
        }
    }
    if a.tokens.start >= sentence.start + 2 && tokens[a.tokens.start - 1].span.slice(text) == "'s" {
        let k = a.tokens.start - 2;
        if let Some(m) = mentions.iter().position(|m| m.tokens.contains(&k)) {
            return Some(m);
        }
    }
    let base = sentence.start;
    let mention_at = |d: usize| mentions.iter().position(|m| m.tokens.contains(&(base + d)));
    if let Some(n) = a.noun {
        return (0..sx.len())
            .filter(|&d| sx[d].head == n - base + 1 && matches!(sx[d].deprel.as_str(), "nmod" | "nmod:poss"))
            .find_map(mention_at);
    }
    // Troops counted without their noun ("force levels were reduced from 5,200 to about
    // 3,000"): the side of the subject of the verb that governs the number.
    if a.unit.as_deref() != Some("troops") {
        return None;
    }
    let mut k = (a.tokens.start - base..a.tokens.end - base).find(|&k| sx.get(k).is_some_and(|w| w.upos == "NUM"))?;
    for _ in 0..sx.len() {
        if sx[k].upos == "VERB" {
            break;
        }
        k = sx[k].head.checked_sub(1)?;
    }
    let subj = (0..sx.len()).find(|&d| sx[d].head == k + 1 && sx[d].deprel.starts_with("nsubj"))?;
    std::iter::once(subj)
        .chain(
            (0..sx.len()).filter(|&d| {
                sx[d].head == subj + 1 && matches!(sx[d].deprel.as_str(), "compound" | "amod" | "nmod:poss")
            }),
        )
        .find_map(mention_at)
}

/// Index of the token starting at a span's start.
fn tokens_of_span(tokens: &[sway_core::Token], span: Span) -> usize {
    tokens.partition_point(|t| t.span.start < span.start)
}

/// Coordinates as the gazetteer writes them (4 decimals), not as `f32` widens them.
fn round4(x: f32) -> f64 {
    (f64::from(x) * 1e4).round() / 1e4
}

fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_string()
}

fn mention_record(text: &str, span: Span) -> MentionRecord {
    MentionRecord { start: span.start, end: span.end, text: span.slice(text).to_string() }
}

impl Pipeline {
    /// Build the pipeline over the bundled dictionaries and models.
    pub fn new() -> Result<Self, AnalyzeError> {
        // The gazetteer (100,000 places) compiles on its own thread while the models load.
        std::thread::scope(|scope| {
            let gazetteer = scope.spawn(Gazetteer::bundled);
            let bundled = scope.spawn(bundled_hashes);
            let extractor = Extractor::bundled();
            let syntax = Syntax::bundled()?;
            let estimative = Estimative::bundled()?;
            let gazetteer = gazetteer.join().map_err(|_| AnalyzeError::Internal {
                source_name: "the bundled gazetteer".into(),
                message: "its loader panicked".into(),
            })??;
            let bundled = bundled.join().map_err(|_| AnalyzeError::Internal {
                source_name: "the bundled models".into(),
                message: "hashing them panicked".into(),
            })?;
            Ok(Self {
                extractor,
                syntax,
                estimative,
                gazetteer: std::sync::Arc::new(gazetteer),
                bundled: std::sync::Arc::new(bundled),
            })
        })
    }

    /// Add a user registry file (see `docs/registry.md`); refused whole if faulty.
    /// Returns the number of entries it holds.
    pub fn add_registry_file(&mut self, name: &str, src: &str) -> Result<usize, sway_extract::ResourceError> {
        self.extractor.add_registry_file(name, src)
    }

    /// Add a user verb pattern file (the format of `data/patterns/verbs.tsv`); refused
    /// whole if faulty. Returns the number of rows it holds.
    pub fn add_patterns_file(&mut self, name: &str, src: &str) -> Result<usize, sway_extract::ResourceError> {
        self.extractor.add_patterns_file(name, src)
    }

    /// Add a user file of agent nouns (`phrase<TAB>sector`); refused whole if faulty.
    pub fn add_agents_file(&mut self, name: &str, src: &str) -> Result<usize, sway_extract::ResourceError> {
        self.extractor.add_agents_file(name, src)
    }

    /// Drop the bundled verb dictionary and trigger words, so that only pattern files
    /// added afterwards code events.
    pub fn clear_patterns(&mut self) {
        self.extractor.clear_patterns();
    }

    /// What made the output: version, stages and resource hashes.
    pub fn info(&self) -> PipelineInfo {
        PipelineInfo {
            sway_version: SWAY_VERSION.to_string(),
            stages: STAGES.iter().map(|s| s.to_string()).collect(),
            resources: self.extractor.resources.iter().cloned().chain(self.bundled.iter().cloned()).collect(),
        }
    }

    /// Analyze one document. `with_text` puts the extracted text in the record.
    pub fn analyze(&self, doc: &Document, with_text: bool) -> Result<DocumentRecord, AnalyzeError> {
        self.analyze_timed(doc, with_text).map(|(r, _)| r)
    }

    /// [`Pipeline::analyze`], also returning the time each stage took.
    pub fn analyze_timed(&self, doc: &Document, with_text: bool) -> Result<(DocumentRecord, StageTimes), AnalyzeError> {
        let mut clock = StageClock::start();
        if let Some(lang) = doc.language.as_deref().filter(|l| *l != "en") {
            return Err(AnalyzeError::NotEnglish { source_name: doc.source.clone(), language: lang.to_string() });
        }
        let text = doc.text.as_str();
        let (sentences, tokens) = sway_syntax::segment(doc);
        clock.lap(Stage::Segment);
        let syntax: Vec<Vec<sway_syntax::WordSyntax>> = sentences
            .iter()
            .map(|s| {
                let words: Vec<&str> = tokens[s.tokens.clone()].iter().map(|t| t.span.slice(text)).collect();
                self.syntax.analyze(&words)
            })
            .collect();

        // Actor mentions over the whole document (acronyms it defines and coreference
        // reach across sentences; no phrase crosses a sentence boundary).
        let ranges: Vec<std::ops::Range<usize>> = sentences.iter().map(|s| s.tokens.clone()).collect();
        clock.lap(Stage::Syntax);
        let mentions: Vec<ActorMention> = self.extractor.document_actors(text, &tokens, &ranges, Some(&syntax));
        clock.lap(Stage::Actors);
        let headlines: Vec<bool> = sentences
            .iter()
            .map(|s| matches!(doc.blocks[s.block].kind, BlockKind::Title | BlockKind::Heading))
            .collect();
        let place_mentions = self.gazetteer.find(text, &tokens, &ranges, &headlines, Some(&syntax), &mentions);
        clock.lap(Stage::Places);

        // Time: expressions, the reference date, and each expression normalized.
        let time_mentions: Vec<TimeMention> =
            sentences.iter().enumerate().flat_map(|(i, s)| time::find(text, &tokens, s.tokens.clone(), i)).collect();
        let reference_found = time::reference(doc.published, &time_mentions);
        let (anchor, inferred) = reference_found.map_or((None, false), |(a, i)| (Some(a), i));
        let normalized = time::normalize_all(&time_mentions, anchor, inferred);
        let time_record = |k: usize| -> Option<TimeRecord> {
            let (m, n) = (&time_mentions[k], normalized[k].as_ref()?);
            Some(TimeRecord {
                start: m.span.start,
                end: m.span.end,
                text: m.span.slice(text).to_string(),
                kind: n.kind.to_string(),
                value: n.value.clone(),
                modifier: n.modifier.map(str::to_string),
                range: n.range.map(|(a, b)| DateRange { start: a.to_string(), end: b.to_string() }),
            })
        };
        // An event's date: the expression in its sentence nearest the trigger, else the
        // latest one earlier in its paragraph, else the reference date.
        let event_date = |si: usize, trigger_token: usize| -> Option<EventDate> {
            let dated = |k: &usize| normalized[*k].as_ref().is_some_and(|n| n.kind == "DATE" && n.range.is_some());
            let in_sentence = (0..time_mentions.len())
                .filter(|k| time_mentions[*k].sentence == si && dated(k))
                .min_by_key(|k| time_mentions[*k].tokens.start.abs_diff(trigger_token));
            let block = sentences[si].block;
            let (k, method) = match in_sentence {
                Some(k) => (Some(k), DateMethod::Clause),
                None => (
                    (0..time_mentions.len()).rfind(|k| {
                        let ts = time_mentions[*k].sentence;
                        ts < si && sentences[ts].block == block && !time_mentions[*k].forecast && dated(k)
                    }),
                    DateMethod::Context,
                ),
            };
            if let Some(k) = k {
                let n = normalized[k].as_ref()?;
                let (a, b) = n.range?;
                return Some(EventDate {
                    start: a.to_string(),
                    end: b.to_string(),
                    precision: precision(n.precision),
                    text: Some(time_mentions[k].span.slice(text).to_string()),
                    method,
                });
            }
            let a = anchor?;
            // An inferred reference is only as good as the month it came from.
            Some(if inferred {
                use chrono::Datelike;
                let (start, end) = time::month_range(a.year(), a.month(), None).unwrap_or((a, a));
                let (start, end) = (start.to_string(), end.to_string());
                EventDate { start, end, precision: Precision::Month, text: None, method: DateMethod::Reference }
            } else {
                EventDate {
                    start: a.to_string(),
                    end: a.to_string(),
                    precision: Precision::Day,
                    text: None,
                    method: DateMethod::Reference,
                }
            })
        };
        let reference = anchor.map(|d| d.format("%Y-%m-%d").to_string());
        let (actors, actor_of) = group_actors(text, &mentions, self.extractor.registry(), reference.as_deref());
        let places: Vec<PlaceRecord> = place_mentions
            .iter()
            .map(|m| {
                let p = self.gazetteer.place(m.place);
                PlaceRecord {
                    start: m.span.start,
                    end: m.span.end,
                    text: m.span.slice(text).to_string(),
                    name: p.name.to_string(),
                    kind: Some(p.kind.as_str().to_string()),
                    country: p.country().map(str::to_string),
                    admin1: self.gazetteer.admin1(p).map(str::to_string),
                    lat: Some(round4(p.lat)),
                    lon: Some(round4(p.lon)),
                    geonameid: p.geonameid,
                    actor: m.actor.map(|a| actor_of[a]),
                }
            })
            .collect();
        let short_id = &doc.doc_id[..doc.doc_id.len().min(12)];

        clock.lap(Stage::Times);
        // Amounts, leaving alone the numbers already read as dates.
        let date_tokens: Vec<std::ops::Range<usize>> = time_mentions.iter().map(|m| m.tokens.clone()).collect();
        let mut amounts: Vec<(usize, AmountRecord)> = Vec::new();
        // The tokens each amount covers and counts, for tying it to its events.
        let mut amount_tokens: Vec<(std::ops::Range<usize>, Option<usize>)> = Vec::new();
        for (si, s) in sentences.iter().enumerate() {
            for a in amounts::find(text, &tokens, s.tokens.clone(), &syntax[si], &date_tokens) {
                let id = format!("{short_id}-a{}", amounts.len() + 1);
                let owner = amount_owner(text, &tokens, &a, s.tokens.clone(), &syntax[si], &mentions);
                amount_tokens.push((a.tokens.clone(), a.noun));
                amounts.push((
                    si,
                    AmountRecord {
                        id,
                        start: a.span.start,
                        end: a.span.end,
                        text: a.span.slice(text).to_string(),
                        value: a.value,
                        low: a.low,
                        high: a.high,
                        unit: a.unit,
                        currency: a.currency,
                        sentence: si,
                        actor: owner.map(|m| actor_of[m]),
                    },
                ));
            }
        }
        clock.lap(Stage::Amounts);
        let mut events = Vec::new();
        // Per event: its sentence, trigger token and the tokens of its two sides.
        let mut event_words: Vec<(usize, usize, [std::ops::Range<usize>; 2])> = Vec::new();
        for (si, s) in sentences.iter().enumerate() {
            for e in self.extractor.events(text, &tokens, s.tokens.clone(), Some(&syntax[si]), &mentions) {
                // A missing target has no tokens.
                let sides = [mentions[e.source].tokens.clone(), e.target.map_or(0..0, |g| mentions[g].tokens.clone())];
                event_words.push((si, tokens_of_span(&tokens, e.trigger), sides.clone()));
                let day = event_date(si, tokens_of_span(&tokens, e.trigger)).map(|d| d.start);
                let participant = |m: usize| {
                    let am = &mentions[m];
                    // A person codes by the role they held on the event's date.
                    let (code, sector) =
                        coded_on(am, self.extractor.registry(), day.as_deref().or(reference.as_deref()));
                    ParticipantRecord {
                        text: am.span.slice(text).to_string(),
                        actor: Some(actor_of[m]),
                        code: Some(code),
                        country: am.country.clone(),
                        sector,
                    }
                };
                events.push(EventRecord {
                    id: format!("{short_id}-{}", events.len() + 1),
                    source: Some(participant(e.source)),
                    target: e.target.map(participant),
                    cameo: e.cameo,
                    plover: e.plover,
                    mode: e.mode,
                    goldstein: e.goldstein.map(|g| g.0),
                    goldstein_table: e.goldstein.map(|g| g.1),
                    quad: e.quad,
                    modality: e.modality,
                    attributed_to: e.attributed_to.map(|m| actor_of[m]),
                    confidence: e.confidence,
                    date: event_date(si, tokens_of_span(&tokens, e.trigger)),
                    location: places::event_place(
                        &place_mentions,
                        si,
                        s.tokens.start,
                        tokens_of_span(&tokens, e.trigger),
                        Some(&syntax[si]),
                        &sides,
                    )
                    .map(|k| {
                        let p = &places[k];
                        EventLocation {
                            place: Some(k),
                            name: p.name.clone(),
                            country: p.country.clone(),
                            lat: p.lat,
                            lon: p.lon,
                        }
                    }),
                    amounts: Vec::new(),
                    trigger: mention_record(text, e.trigger),
                    evidence: Evidence {
                        sentence: si,
                        start: s.span.start,
                        end: s.span.end,
                        text: s.span.slice(text).to_string(),
                    },
                    rule: e.rule,
                });
            }
        }
        // Each amount goes with the events whose words govern it ("reduced from 5,200 to
        // about 3,000") or whose side it counts; one no event governs (the parse may have
        // lost it) goes with the nearest event of its sentence, preceding first.
        for ((si, rec), (r, noun)) in amounts.iter().zip(&amount_tokens) {
            let base = sentences[*si].tokens.start;
            let sx = &syntax[*si];
            let mut tied: Vec<usize> = (0..events.len())
                .filter(|&k| {
                    let (esi, trigger, sides) = &event_words[k];
                    *esi == *si && {
                        let governed = |t: usize| governs(sx, trigger - base, t - base);
                        r.clone().any(governed)
                            || noun.is_some_and(|n| governed(n) || sides.iter().any(|m| m.contains(&n)))
                    }
                })
                .collect();
            if tied.is_empty() {
                let at = r.start;
                tied.extend((0..events.len()).filter(|&k| event_words[k].0 == *si).min_by_key(|&k| {
                    let t = event_words[k].1;
                    (t > at, t.abs_diff(at))
                }));
            }
            for k in tied {
                events[k].amounts.push(rec.id.clone());
            }
        }

        clock.lap(Stage::Events);
        let mut judgments = Vec::new();
        for (si, s) in sentences.iter().enumerate() {
            let kind = doc.blocks[s.block].kind;
            if matches!(kind, BlockKind::Title | BlockKind::Heading | BlockKind::Caption) {
                continue;
            }
            let takeaway = kind == BlockKind::Takeaway;
            let Some(j) = self.estimative.judge(text, &tokens, s.tokens.clone(), &syntax[si], &mentions, takeaway)
            else {
                continue;
            };
            let holder_actor = j.holder_mention.map(|m| actor_of[m]);
            judgments.push(JudgmentRecord {
                id: format!("{short_id}-j{}", judgments.len() + 1),
                kind: j.kind.as_str().to_string(),
                text: s.span.slice(text).to_string(),
                term: j.term.map(|t| t.1),
                negated: j.negated,
                p_low: j.p_low,
                p_high: j.p_high,
                confidence: j.confidence,
                holder: Some(match (holder_actor, j.holder_text) {
                    (Some(a), _) => actors[a].name.clone(),
                    (None, Some(t)) => t,
                    (None, None) => "author".to_string(),
                }),
                holder_actor,
                horizon: (0..time_mentions.len())
                    .find(|k| {
                        time_mentions[*k].sentence == si && normalized[*k].as_ref().is_some_and(|n| n.kind == "DATE")
                    })
                    .and_then(time_record),
                conditions: j.conditions.iter().map(|c| c.slice(text).to_string()).collect(),
                events: events.iter().filter(|e| e.evidence.sentence == si).map(|e| e.id.clone()).collect(),
                evidence: Evidence {
                    sentence: si,
                    start: s.span.start,
                    end: s.span.end,
                    text: s.span.slice(text).to_string(),
                },
            });
        }

        clock.lap(Stage::Judgments);
        let record = DocumentRecord {
            schema_version: SCHEMA_VERSION,
            doc_id: doc.doc_id.clone(),
            input_id: doc.input_id.clone(),
            source: doc.source.clone(),
            format: doc.format.as_str().to_string(),
            title: doc.title.clone(),
            url: doc.url.clone(),
            published: doc.published.map(|d| d.format("%Y-%m-%d").to_string()),
            site_name: doc.site_name.clone(),
            author: doc.author.clone(),
            language: doc.language.clone(),
            reference_method: match reference_found {
                Some((_, false)) => ReferenceMethod::Published,
                Some((_, true)) => ReferenceMethod::Inferred,
                None => ReferenceMethod::None,
            },
            reference_date: reference,
            pipeline: self.info(),
            warnings: doc.warnings.clone(),
            text: with_text.then(|| doc.text.clone()),
            blocks: doc
                .blocks
                .iter()
                .map(|b| BlockRecord { kind: b.kind, start: b.span.start, end: b.span.end })
                .collect(),
            sentences: sentences
                .iter()
                .zip(&syntax)
                .map(|(s, sx)| SentenceRecord {
                    start: s.span.start,
                    end: s.span.end,
                    block: s.block,
                    tokens: tokens[s.tokens.clone()]
                        .iter()
                        .zip(sx)
                        .map(|(t, w)| TokenRecord {
                            start: t.span.start,
                            end: t.span.end,
                            lemma: w.lemma.clone(),
                            upos: w.upos.clone(),
                            xpos: w.xpos.clone(),
                            head: w.head,
                            deprel: w.deprel.clone(),
                        })
                        .collect(),
                })
                .collect(),
            actors,
            times: (0..time_mentions.len()).filter_map(time_record).collect(),
            places,
            amounts: amounts.into_iter().map(|(_, a)| a).collect(),
            events,
            judgments,
        };
        Ok((record, clock.times))
    }
}

/// The stages [`StageTimes`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Segment,
    Syntax,
    Actors,
    Places,
    Times,
    Amounts,
    Events,
    Judgments,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Segment,
        Stage::Syntax,
        Stage::Actors,
        Stage::Places,
        Stage::Times,
        Stage::Amounts,
        Stage::Events,
        Stage::Judgments,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Segment => "segment",
            Stage::Syntax => "syntax",
            Stage::Actors => "actors",
            Stage::Places => "places",
            Stage::Times => "times",
            Stage::Amounts => "amounts",
            Stage::Events => "events",
            Stage::Judgments => "judgments",
        }
    }
}

/// Time spent in each stage of one analysis (or, added up, of many).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes([std::time::Duration; 8]);

impl StageTimes {
    pub fn get(&self, stage: Stage) -> std::time::Duration {
        self.0[stage as usize]
    }

    pub fn add(&mut self, other: &StageTimes) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
}

struct StageClock {
    last: std::time::Instant,
    times: StageTimes,
}

impl StageClock {
    fn start() -> Self {
        Self { last: std::time::Instant::now(), times: StageTimes::default() }
    }

    fn lap(&mut self, stage: Stage) {
        let now = std::time::Instant::now();
        self.times.0[stage as usize] += now - self.last;
        self.last = now;
    }
}

/// A mention's code and sector on `day`: a registry person's role that day, else the
/// mention's own code.
fn coded_on(m: &ActorMention, registry: &Registry, day: Option<&str>) -> (String, Option<String>) {
    match m.entry.map(|e| registry.entry(e)) {
        Some(e) if m.how != MentionKind::Country => {
            let code = e.coding_on(day).code.to_string();
            let sector = match (&e.country, code.len()) {
                (Some(c), n) if n > 3 && code.starts_with(c.as_str()) => Some(code[3..].to_string()),
                _ => m.sector.clone(),
            };
            (code, sector)
        }
        _ => (m.code.clone(), m.sector.clone()),
    }
}

/// One actor per mention key (a registry id, a country and sector, a name); returns the
/// actors and, for each mention, its actor's index. Registry actors take the code of
/// the role they held on the document's reference date and their patrons.
fn group_actors(
    text: &str,
    mentions: &[ActorMention],
    registry: &Registry,
    reference: Option<&str>,
) -> (Vec<ActorRecord>, Vec<usize>) {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut actors: Vec<ActorRecord> = Vec::new();
    let mut actor_of = Vec::with_capacity(mentions.len());
    for m in mentions {
        let i = *index.entry(m.key.as_str()).or_insert_with(|| {
            let (code, sector) = coded_on(m, registry, reference);
            let mut patrons: Vec<PatronRecord> = match m.entry.map(|e| registry.entry(e)) {
                Some(e) => e
                    .patrons
                    .iter()
                    .map(|p| PatronRecord {
                        country: p.is_country.then(|| p.target.clone()),
                        id: (!p.is_country).then(|| p.target.clone()),
                        from: p.period.from.as_ref().map(|d| d.as_str().to_string()),
                        to: p.period.to.as_ref().map(|d| d.as_str().to_string()),
                    })
                    .collect(),
                None => Vec::new(),
            };
            if let Some(p) = &m.patron {
                if !patrons.iter().any(|r| r.country.as_ref() == Some(p)) {
                    patrons.push(PatronRecord { country: Some(p.clone()), id: None, from: None, to: None });
                }
            }
            actors.push(ActorRecord {
                id: m.registry_id.clone(),
                name: m.name.clone(),
                code,
                country: m.country.clone(),
                sector,
                kind: m.kind,
                patrons,
                mentions: Vec::new(),
            });
            actors.len() - 1
        });
        // An unknown person is named by the fullest form the text gives.
        if m.how == MentionKind::Unknown && m.name.len() > actors[i].name.len() {
            actors[i].name = m.name.clone();
        }
        actors[i].mentions.push(mention_record(text, m.span));
        actor_of.push(i);
    }
    (actors, actor_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(src: &str) -> DocumentRecord {
        let doc = sway_ingest::read_bytes("t.txt", src.as_bytes(), &Default::default()).remove(0).unwrap();
        Pipeline::new().unwrap().analyze(&doc, true).unwrap()
    }

    #[test]
    fn every_offset_gives_back_its_text() {
        let r = analyze("Rivals Clash\n\nIraqi forces attacked Iran-backed militias near the border on Monday. The U.S. condemned Iran.\n\nRelated\n\nRussia attacked Ukraine …\n");
        let text = r.text.as_deref().unwrap();
        assert_eq!(r.events.len(), 2, "{:#?}", r.events);
        for a in &r.actors {
            for m in &a.mentions {
                assert_eq!(&text[m.start..m.end], m.text);
            }
        }
        for e in &r.events {
            assert_eq!(&text[e.evidence.start..e.evidence.end], e.evidence.text);
            assert_eq!(&text[e.trigger.start..e.trigger.end], e.trigger.text);
            let s = &r.sentences[e.evidence.sentence];
            assert_eq!((s.start, s.end), (e.evidence.start, e.evidence.end));
        }
        assert!(r.actors.iter().all(|a| a.code != "RUS"), "the teaser must not be analyzed");
    }

    #[test]
    fn non_english_is_refused() {
        let doc = sway_core::Document {
            language: Some("fr".into()),
            ..sway_ingest::read_bytes("t.txt", b"Titre\n\nTexte.", &Default::default()).remove(0).unwrap()
        };
        let e = Pipeline::new().unwrap().analyze(&doc, false).unwrap_err();
        assert!(e.to_string().contains("not English"));
    }
}
