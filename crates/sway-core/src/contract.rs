//! The output contract, `schema_version` 1.
//!
//! `sway analyze --format jsonl` prints one [`DocumentRecord`] per line; the store keeps
//! the same record. The JSON Schema in `schema/sway-output-v1.schema.json` is generated
//! from these types ([`json_schema`]) and a test keeps the two in step. Field names and
//! values do not change without a version bump; fields may be added.
//!
//! Offsets (`start`, `end`) are byte offsets into the document's extracted text, which
//! `--with-text` prints as `text`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::codes::GoldsteinTable;
use crate::BlockKind;

pub const SCHEMA_VERSION: u32 = 1;

/// One analyzed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRecord {
    /// Always 1 for this contract.
    pub schema_version: u32,
    /// Content hash (BLAKE3, 32 hex digits) of the normalized text: the same article read
    /// from two files is one document.
    pub doc_id: String,
    /// The input's own id (a JSONL `id`), when it has one.
    pub input_id: Option<String>,
    /// Where the document was read from: a path, `path:line` for JSONL, `-` for stdin.
    pub source: String,
    /// `text`, `html`, `pdf` or `jsonl`.
    pub format: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// Publication date (`YYYY-MM-DD`), from the input's metadata or `--published`.
    pub published: Option<String>,
    pub site_name: Option<String>,
    /// The byline, when the input gives one.
    #[serde(default)]
    pub author: Option<String>,
    /// ISO 639-1 code of the document's language.
    pub language: Option<String>,
    /// The date relative expressions resolve against.
    pub reference_date: Option<String>,
    pub reference_method: ReferenceMethod,
    pub pipeline: PipelineInfo,
    /// How the input was read, when a user should know (lossy decoding, truncation...).
    #[serde(default)]
    pub warnings: Vec<String>,
    /// The extracted text all offsets point into (only with `--with-text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub blocks: Vec<BlockRecord>,
    /// Sentences of the analyzed blocks; `evidence.sentence` indexes this list.
    pub sentences: Vec<SentenceRecord>,
    pub actors: Vec<ActorRecord>,
    pub times: Vec<TimeRecord>,
    pub places: Vec<PlaceRecord>,
    pub amounts: Vec<AmountRecord>,
    pub events: Vec<EventRecord>,
    pub judgments: Vec<JudgmentRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReferenceMethod {
    /// The document's published date.
    Published,
    /// Inferred from the explicit dates of what the text reports as having happened.
    Inferred,
    None,
}

/// What made this record: sway's version, the stages that ran, and the hashes of the
/// models and dictionaries they used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineInfo {
    pub sway_version: String,
    /// Stages that ran, in order. A layer whose stage is absent here is empty because
    /// it was not extracted, not because the text has none.
    pub stages: Vec<String>,
    /// Model or dictionary name to a BLAKE3 hash (16 hex digits) of its content.
    pub resources: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockRecord {
    pub kind: BlockKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SentenceRecord {
    pub start: usize,
    pub end: usize,
    /// Index into `blocks`.
    pub block: usize,
    /// The sentence's tokens with their syntax, in order.
    #[serde(default)]
    pub tokens: Vec<TokenRecord>,
}

/// A token with its lemma, tags and dependency relation (UD English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRecord {
    pub start: usize,
    pub end: usize,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    /// 1-based index of the head token within the sentence; 0 for the root (as in CoNLL-U).
    pub head: usize,
    pub deprel: String,
}

/// A stretch of text with its offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MentionRecord {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActorType {
    Person,
    Organisation,
    Country,
    Group,
}

/// Who backs an actor, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PatronRecord {
    /// ISO 3166 alpha-3 of a patron state.
    pub country: Option<String>,
    /// Registry id of a patron organisation or person.
    pub id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One actor of the document with all its mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActorRecord {
    /// Registry id, or null for an actor the registry does not know.
    pub id: Option<String>,
    pub name: String,
    /// CAMEO-style actor code (country + sector, e.g. `IRNMIL`), as GDELT's Actor1Code.
    pub code: String,
    /// ISO 3166 alpha-3.
    pub country: Option<String>,
    /// Sector (GOV, MIL, COP, REB, ...), when the text gives one.
    pub sector: Option<String>,
    #[serde(rename = "type")]
    pub kind: ActorType,
    pub patrons: Vec<PatronRecord>,
    pub mentions: Vec<MentionRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    pub start: String,
    pub end: String,
}

/// A temporal expression, normalized as TIMEX3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeRecord {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    #[serde(rename = "mod")]
    pub modifier: Option<String>,
    pub range: Option<DateRange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceRecord {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The gazetteer's name for it.
    pub name: String,
    /// `country`, `admin1`, `admin2` (a United States county), `city` or `feature` (a
    /// curated region, base, sea or crossing).
    #[serde(default)]
    pub kind: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonameid: Option<u64>,
    /// Index into `actors` when the same words also name an actor ("Tehran said").
    #[serde(default)]
    pub actor: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmountRecord {
    pub id: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// What is counted: `troops`, `people_killed`, `USD`, ...
    pub unit: Option<String>,
    pub currency: Option<String>,
    /// Index into `sentences`.
    #[serde(default)]
    pub sentence: usize,
    /// Index into `actors` of whose amount it is: the troops' side ("5,200 U.S.
    /// troops"), the money's owner ("$5 billion of Iranian funds", "Iran's $5 billion").
    #[serde(default)]
    pub actor: Option<usize>,
}

/// One side of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantRecord {
    pub text: String,
    /// Index into `actors`.
    pub actor: Option<usize>,
    pub code: Option<String>,
    pub country: Option<String>,
    pub sector: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Asserted,
    Negated,
    Conditional,
    Attempted,
    Predicted,
    Hypothetical,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asserted => "asserted",
            Self::Negated => "negated",
            Self::Conditional => "conditional",
            Self::Attempted => "attempted",
            Self::Predicted => "predicted",
            Self::Hypothetical => "hypothetical",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Week,
    Month,
    Season,
    Quarter,
    Year,
    Decade,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DateMethod {
    /// From the temporal expression that governs the event's clause.
    Clause,
    /// From the nearest temporal expression in context.
    Context,
    /// The document's reference date.
    Reference,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDate {
    pub start: String,
    pub end: String,
    pub precision: Precision,
    /// The temporal expression it came from, if any.
    pub text: Option<String>,
    pub method: DateMethod,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventLocation {
    /// Index into `places` of the mention that locates the event.
    #[serde(default)]
    pub place: Option<usize>,
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// The sentence an event or judgment came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// 0-based index into `sentences`.
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A coded event: who did what to whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    /// `<first 12 digits of doc_id>-<n>`: unique across documents.
    pub id: String,
    pub source: Option<ParticipantRecord>,
    pub target: Option<ParticipantRecord>,
    /// CAMEO event code.
    pub cameo: String,
    /// PLOVER 0.8 event type.
    pub plover: Option<String>,
    /// PLOVER 0.8 mode.
    pub mode: Option<String>,
    pub goldstein: Option<f64>,
    pub goldstein_table: Option<GoldsteinTable>,
    /// GDELT QuadClass 1–4.
    pub quad: Option<u8>,
    pub modality: Modality,
    /// Index into `actors` of whoever the text says claims this.
    pub attributed_to: Option<usize>,
    /// 0–1.
    pub confidence: f64,
    pub date: Option<EventDate>,
    pub location: Option<EventLocation>,
    /// Ids of `amounts` that belong to this event.
    pub amounts: Vec<String>,
    /// The trigger word or phrase.
    pub trigger: MentionRecord,
    pub evidence: Evidence,
    /// What coded it: the pattern's name, file and line.
    pub rule: String,
}

/// An author's estimate, with its probability range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JudgmentRecord {
    /// `<first 12 digits of doc_id>-j<n>`.
    pub id: String,
    /// `key_judgment` (a takeaway line), `prediction` or `assessment`.
    pub kind: String,
    /// The sentence holding the judgment.
    pub text: String,
    /// The estimative term as written ("almost certainly", "suggests", "will not").
    pub term: Option<String>,
    /// Whether the term is negated ("will not"); `p_low`/`p_high` are already flipped.
    #[serde(default)]
    pub negated: bool,
    /// Probability range of the judged claim (see docs/judgments.md).
    pub p_low: Option<f64>,
    pub p_high: Option<f64>,
    /// Stated confidence (`high`, `moderate`, `low`), kept apart from likelihood.
    pub confidence: Option<String>,
    /// `author`, or the quoted source.
    pub holder: Option<String>,
    /// Index into `actors` of the quoted source, when it is an actor.
    #[serde(default)]
    pub holder_actor: Option<usize>,
    pub horizon: Option<TimeRecord>,
    /// Conditions attached ("if the dampening influence ... wanes").
    pub conditions: Vec<String>,
    pub events: Vec<String>,
    pub evidence: Evidence,
}

/// The JSON Schema of [`DocumentRecord`], as committed in `schema/`.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(DocumentRecord);
    let mut v = serde_json::to_value(&schema).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "$id".into(),
            serde_json::Value::String("https://sway.invalid/schema/sway-output-v1.schema.json".into()),
        );
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schema_matches_the_types() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/sway-output-v1.schema.json");
        let generated = serde_json::to_string_pretty(&json_schema()).unwrap_or_default() + "\n";
        if std::env::var_os("SWAY_UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &generated).unwrap_or_else(|e| panic!("writing {path}: {e}"));
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "schema/sway-output-v1.schema.json is out of date with sway_core::contract; \
             rerun with SWAY_UPDATE_SCHEMA=1 and review the diff (a breaking change needs a version bump)"
        );
    }
}
