use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

/// Read geopolitical reporting (news, briefs, assessments) and rebuild the contest it
/// describes as data: actors, coded events (CAMEO, PLOVER, Goldstein, QuadClass) and
/// the sentences they came from.
#[derive(Debug, Parser)]
#[command(name = "sway", version, propagate_version = true, max_term_width = 100)]
#[command(after_help = "Exit codes: 0 success, 1 some inputs failed, 2 usage error, 3 fatal error.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze documents and print the output contract (schema_version 1) to stdout.
    Analyze(AnalyzeArgs),
    /// Analyze documents and store them, with their actors and events, in the store.
    Ingest(IngestArgs),
    /// List stored events.
    Events(EventsArgs),
    /// List stored judgments with their outcomes, or score sources' track records.
    Judgments(JudgmentsArgs),
    /// Record the outcome of a stored judgment (who and when are recorded with it).
    Resolve(ResolveArgs),
    /// Search the stored documents' text (SQLite FTS5): best matches first, with a snippet.
    Search(SearchArgs),
    /// List the stored actors: who appears in how many documents and events.
    Actors(ActorsArgs),
    /// A dyad's series: two sides' events per period, by QuadClass, with Goldstein sums
    /// and change against trailing baselines.
    Dyad(DyadArgs),
    /// The alignment network: actors, what they did to each other, and who backs whom.
    Network(NetworkArgs),
    /// The influence balance in an arena country: how its own actors move toward or
    /// away from each power and its proxies, per period (formula in docs/contest.md).
    Balance(BalanceArgs),
    /// Stored events in date order, one line each, with a monthly sparkline.
    Timeline(TimelineArgs),
    /// Export the stored events, one row per real event: CSV with GDELT 2.0's event
    /// columns first, JSONL, POLECAT-style JSONL, or GeoJSON of located events.
    Export(ExportArgs),
    /// Re-run extraction over the stored documents (after an update of sway or of
    /// your dictionaries) and report what changed; analysts' corrections are re-applied.
    Recode(RecodeArgs),
    /// Record an analyst's correction of a stored event (FIELD=VALUE: cameo, source,
    /// target, modality, date, valid); it survives `sway recode`. Without a correction,
    /// list the corrections made.
    Correct(CorrectArgs),
    /// Serve the store over HTTP: a JSON API (described at /api/openapi.json) and a
    /// page with the timeline, network, map, balance and judgments. Read-only; binds
    /// loopback unless --addr says otherwise.
    Serve(ServeArgs),
    /// Print the JSON Schema of the output contract.
    Schema,
    /// Tag, lemmatize and parse text or CoNLL-U, writing CoNLL-U.
    Parse(ParseArgs),
    /// Show why sway coded what it coded in one sentence: its parse, its actors and the
    /// patterns that coded its events.
    Explain(ExplainArgs),
    /// Train the tagger or the parser on CoNLL-U treebanks (reproducible: fixed seed).
    #[command(subcommand)]
    Train(TrainCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on. Port 0 picks a free port (the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: std::net::SocketAddr,
    /// Accept pasted articles at POST /api/analyze (off by default: analysis takes
    /// CPU, and a public server should not offer it to anyone).
    #[arg(long)]
    pub analyze: bool,
    /// Do not compute the page's default views at start (they are then computed, and
    /// cached, when first asked for).
    #[arg(long)]
    pub no_warm: bool,
    /// Largest article /api/analyze accepts, in bytes.
    #[arg(long, default_value_t = 1_048_576, value_name = "BYTES", requires = "analyze")]
    pub analyze_limit: usize,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The document (text, HTML, PDF; the first document of a JSONL file).
    pub file: PathBuf,
    /// The sentence to explain (0-based, as events' `evidence.sentence`); without it,
    /// a numbered list of the document's sentences.
    #[arg(long, short)]
    pub sentence: Option<usize>,
    /// Publication date (YYYY-MM-DD) when the document carries none.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub published: Option<NaiveDate>,
    /// A registry file of your own actors (as for `sway analyze`). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub registry: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// A file to read; `-` reads standard input.
    pub file: PathBuf,
    /// `text`: tokenize and split sentences (paragraphs are separated by blank lines);
    /// `conllu`: keep the given tokens and sentences and predict lemma, UPOS, XPOS, head
    /// and relation.
    #[arg(long, value_enum, default_value_t = ParseInput::Text)]
    pub input_format: ParseInput,
    /// Print `timing: tokens=N sentences=M seconds=S` to stderr, timing tag and parse only.
    #[arg(long)]
    pub timing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseInput {
    Text,
    Conllu,
}

#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// Train the part-of-speech tagger (UPOS and XPOS).
    Tagger(TrainTaggerArgs),
    /// Train the dependency parser (tags come from a trained tagger).
    Parser(TrainParserArgs),
}

#[derive(Debug, Args)]
pub struct TrainParserArgs {
    /// Training treebank (CoNLL-U).
    #[arg(long)]
    pub train: PathBuf,
    /// Development treebank (CoNLL-U): reported each epoch; the best epoch is kept.
    #[arg(long)]
    pub dev: PathBuf,
    /// The trained tagger whose tags the parser reads.
    #[arg(long)]
    pub tagger: PathBuf,
    /// Tag the training set by K-fold jackknifing (taggers trained on the other folds), so
    /// the parser trains on tags as noisy as it will see; 0 tags it with `--tagger`.
    #[arg(long, default_value_t = 10)]
    pub jackknife: usize,
    #[arg(long, default_value_t = 15)]
    pub epochs: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Drop weights smaller than this from the saved model (smaller file, a little accuracy).
    #[arg(long, default_value_t = 0.01)]
    pub prune: f32,
    /// Where to write the model.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct TrainTaggerArgs {
    /// Training treebank (CoNLL-U).
    #[arg(long)]
    pub train: PathBuf,
    /// Development treebank (CoNLL-U): reported each epoch; the best epoch is kept.
    #[arg(long)]
    pub dev: PathBuf,
    /// Brown clusters (`word TAB path-as-integer`, most frequent first).
    #[arg(long)]
    pub clusters: Option<PathBuf>,
    /// How many of the most frequent cluster words to keep (words of the training set are always kept).
    #[arg(long, default_value_t = 60_000)]
    pub cluster_words: usize,
    /// WordNet irregular forms for the lemmatizer: JSON `{class: {form: [lemma, ...]}}`
    /// (spaCy's `en_lemma_exc.json` layout).
    #[arg(long)]
    pub lemma_exceptions: Option<PathBuf>,
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where to write the model.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories to read (directories are walked); `-` reads standard input.
    /// Text, HTML, PDF and JSONL (one document a line: text, id, title, url, published).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) for documents that carry none of their own.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub published: Option<NaiveDate>,
    /// Refuse inputs larger than this (bytes; K, M and G suffixes allowed).
    #[arg(long, value_name = "SIZE", default_value = "32M", value_parser = parse_size)]
    pub max_bytes: u64,
    /// Read every input as this format instead of detecting it.
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,
    #[command(flatten)]
    pub dict: DictArgs,
    /// Documents analyzed in parallel (default: the number of cores). Output order
    /// does not depend on it.
    #[arg(long, short, value_name = "N", default_value_t = default_jobs())]
    pub jobs: usize,
}

/// The user's own dictionaries, added to the bundled ones.
#[derive(Debug, Clone, Args)]
pub struct DictArgs {
    /// A registry file of your own actors (format: docs/registry.md) that adds to the
    /// bundled registry and replaces entries with the same id. Repeatable; later files win.
    /// A faulty file stops the run before anything is analyzed.
    #[arg(long, value_name = "FILE")]
    pub registry: Vec<PathBuf>,
    /// A verb pattern file of your own (the format of data/patterns/verbs.tsv) whose
    /// rows add to the bundled CAMEO dictionary and win ties. Repeatable. A faulty file
    /// stops the run before anything is analyzed.
    #[arg(long, value_name = "FILE")]
    pub patterns: Vec<PathBuf>,
    /// A file of agent nouns of your own (`phrase<TAB>sector` lines, as
    /// data/registry/agents.tsv: "foreign minister<TAB>GOV"). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub agents: Vec<PathBuf>,
    /// Code events with the --patterns files alone, without the bundled verb dictionary
    /// and trigger words (to test a dictionary of your own, such as PETRARCH's).
    #[arg(long, requires = "patterns")]
    pub no_default_patterns: bool,
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputFormatArg {
    Text,
    Html,
    Pdf,
    Jsonl,
}

impl From<InputFormatArg> for sway_core::InputFormat {
    fn from(f: InputFormatArg) -> Self {
        match f {
            InputFormatArg::Text => Self::Text,
            InputFormatArg::Html => Self::Html,
            InputFormatArg::Pdf => Self::Pdf,
            InputFormatArg::Jsonl => Self::Jsonl,
        }
    }
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format: jsonl (one document a line), json (one array), csv (one event a row).
    #[arg(long, short, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Include each document's extracted text, which all offsets point into.
    #[arg(long)]
    pub with_text: bool,
    /// Print the seconds spent in each stage, summed over all documents, to stderr
    /// (`timing: segment=S syntax=S actors=S ...`); for benchmarks.
    #[arg(long)]
    pub timing: bool,
}

#[derive(Debug, Args)]
pub struct DbArgs {
    /// The store (SQLite). Default: $SWAY_DB, else sway/sway.db in the user data
    /// directory (~/.local/share on Linux).
    #[arg(long, env = "SWAY_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub db: DbArgs,
    /// Do not print the summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// The PATHs are output directories of the Spark job (`python -m sway.spark`):
    /// store the records it wrote (Parquet, `documents/`) instead of analyzing.
    #[arg(long)]
    pub events: bool,
}

/// Which events: by actor, country and date. Shared by the commands that list events.
#[derive(Debug, Clone, Default, Args)]
pub struct EventFilter {
    /// An actor code or its prefix (IRN matches IRNMIL), or part of a side's text.
    #[arg(long)]
    pub actor: Option<String>,
    /// ISO 3166 alpha-3 code of either side.
    #[arg(long, value_parser = parse_iso3)]
    pub country: Option<String>,
    #[command(flatten)]
    pub dates: Dates,
}

impl EventFilter {
    /// The store query for this filter.
    pub fn query(&self, limit: Option<usize>) -> sway_store::EventQuery {
        sway_store::EventQuery { actor: self.actor.clone(), country: self.country.clone(), limit, ..self.dates.query() }
    }
}

/// A date range over event dates.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Dates {
    /// Only events on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<NaiveDate>,
    /// Only events on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<NaiveDate>,
}

impl Dates {
    pub fn query(&self) -> sway_store::EventQuery {
        let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        sway_store::EventQuery { since: day(self.since), until: day(self.until), ..Default::default() }
    }
}

/// Whether reports of one event count once (the default) or each.
#[derive(Debug, Clone, Copy, Args)]
pub struct Reports {
    /// Count every report, not each real event once (reports of one dyad and CAMEO
    /// root within --dedup-window days, and no two places, are one event).
    #[arg(long)]
    pub all_reports: bool,
    /// Days apart two reports of one event may be.
    #[arg(long, default_value_t = 2, value_name = "DAYS")]
    pub dedup_window: i64,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub filter: EventFilter,
    /// At most this many events.
    #[arg(long)]
    pub limit: Option<usize>,
    /// One record per real event, with every report of it: its mentions, documents,
    /// first and last seen, reports and independent sources (JSON formats; CSV lists
    /// each cluster's first report).
    #[arg(long)]
    pub dedup: bool,
    /// With --dedup: days apart two reports of one event may be.
    #[arg(long, default_value_t = 2, value_name = "DAYS", requires = "dedup")]
    pub dedup_window: i64,
    /// Output format: jsonl, json or csv.
    #[arg(long, short, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
}

/// Output of the contest commands: an aligned table for reading, or data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Words that must all occur ("quoted phrases" stay whole).
    pub query: String,
    /// Read the query as FTS5 syntax: AND, OR, NOT, NEAR(a b, 5), prefix*.
    #[arg(long)]
    pub raw: bool,
    /// At most this many documents.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, short, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct ActorsArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Only actors of this country (ISO 3166 alpha-3).
    #[arg(long, value_parser = parse_iso3)]
    pub country: Option<String>,
    #[arg(long, short, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Args)]
pub struct DyadArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// One side: an actor code or its prefix (IRN matches IRNMIL), or a country code.
    pub a: String,
    /// The other side, likewise.
    pub b: String,
    /// Period length.
    #[arg(long, value_enum, default_value_t = By::Month)]
    pub by: By,
    #[command(flatten)]
    pub dates: Dates,
    /// Give a change against a baseline only when the baseline periods hold at least
    /// this many events.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub min_baseline: u32,
    /// Count predicted, hypothetical, conditional and negated events too.
    #[arg(long)]
    pub all_modalities: bool,
    #[command(flatten)]
    pub reports: Reports,
    #[arg(long, short, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NetworkFormat {
    Gexf,
    Graphml,
    Dot,
    Json,
}

#[derive(Debug, Args)]
pub struct NetworkArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub dates: Dates,
    /// Only edges with at least this many events (patron edges are always kept).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub min_events: u32,
    #[command(flatten)]
    pub reports: Reports,
    #[arg(long, short, value_enum, default_value_t = NetworkFormat::Json)]
    pub format: NetworkFormat,
}

#[derive(Debug, Args)]
pub struct BalanceArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The arena: the country whose actors are courted (ISO 3166 alpha-3).
    #[arg(value_parser = parse_iso3)]
    pub arena: String,
    /// The powers, comma-separated (actor codes or country codes): USA,IRN.
    #[arg(long, value_delimiter = ',', required = true, num_args = 1..)]
    pub powers: Vec<String>,
    /// Period length.
    #[arg(long, value_enum, default_value_t = By::Month)]
    pub by: By,
    /// Periods summed into each row: its own and those before it.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub window: usize,
    /// Goldstein points added to the index's denominator (10: one maximal event moves
    /// it at most halfway).
    #[arg(long, default_value_t = 10.0, value_name = "POINTS")]
    pub smoothing: f64,
    #[command(flatten)]
    pub dates: Dates,
    #[command(flatten)]
    pub reports: Reports,
    #[arg(long, short, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// GDELT 2.0's 61 event columns (empty where sway has no such field), then sway's.
    Csv,
    /// The output contract's event records, each with its cluster of reports.
    Jsonl,
    /// POLECAT-style records with PLOVER type and mode.
    Polecat,
    /// A GeoJSON FeatureCollection of the events that have a location.
    Geojson,
    /// The CSV's columns as one typed Parquet file (Snappy), for Spark, DuckDB, pandas.
    Parquet,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(long, short, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    #[command(flatten)]
    pub filter: EventFilter,
    #[command(flatten)]
    pub reports: Reports,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub filter: EventFilter,
    /// At most this many events.
    #[arg(long)]
    pub limit: Option<usize>,
    #[arg(long, short, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct JudgmentsArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Only judgments from this source (site name, URL host, or input path).
    #[arg(long)]
    pub source: Option<String>,
    /// Only judgments without an outcome yet.
    #[arg(long)]
    pub open: bool,
    /// Print each source's and author's Brier score and calibration table instead of the judgments.
    #[arg(long)]
    pub scores: bool,
    /// For open judgments, list later stored events that suggest an outcome (to confirm
    /// with `sway resolve`; nothing is recorded).
    #[arg(long, conflicts_with = "scores")]
    pub suggest: bool,
    /// At most this many judgments.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Output format: jsonl, json or csv.
    #[arg(long, short, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutcomeArg {
    Yes,
    No,
    Partial,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The judgment's id (as `sway judgments` lists it).
    pub id: String,
    /// What happened: the judged claim came true (yes), did not (no), or partly.
    #[arg(long, value_enum)]
    pub outcome: OutcomeArg,
    /// Why, or where the evidence is.
    #[arg(long)]
    pub note: Option<String>,
    /// Who records it (default: $USER).
    #[arg(long, env = "USER", default_value = "unknown")]
    pub by: String,
    #[command(flatten)]
    pub db: DbArgs,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s:?} is not a date: use YYYY-MM-DD"))
}

fn parse_iso3(s: &str) -> Result<String, String> {
    if s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(s.to_ascii_uppercase())
    } else {
        Err(format!("{s:?} is not an ISO 3166 alpha-3 code (e.g. IRQ)"))
    }
}

pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("{s:?} is not a size (e.g. 500K, 32M, 1G)"))?;
    let mult: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(format!("{s:?}: unknown size unit {unit:?} (use K, M or G)")),
    };
    n.checked_mul(mult).ok_or_else(|| format!("{s:?} is too large"))
}

/// The store path: `--db`/`$SWAY_DB`, else the user data directory.
pub fn db_path(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    match given {
        Some(p) => Ok(p.to_path_buf()),
        None => dirs::data_dir()
            .map(|d| d.join("sway").join("sway.db"))
            .ok_or_else(|| anyhow::anyhow!("no user data directory on this system: pass --db or set SWAY_DB")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("32M"), Ok(32 << 20));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

#[derive(Debug, Args)]
pub struct RecodeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    /// Report what would change without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Documents analyzed in parallel (default: the number of cores).
    #[arg(long, short, value_name = "N", default_value_t = default_jobs())]
    pub jobs: usize,
    /// List every changed event (one line each) as well as the totals.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct CorrectArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The event's id (as `sway events` lists it).
    #[arg(required_unless_present = "list")]
    pub event: Option<String>,
    /// Corrections: cameo=0874, source=USAMIL, target=none, modality=attempted,
    /// date=2020-09-09, valid=false.
    #[arg(value_name = "FIELD=VALUE", requires = "event")]
    pub fixes: Vec<String>,
    /// Why (kept with the correction).
    #[arg(long)]
    pub note: Option<String>,
    /// Who corrects (default: $USER).
    #[arg(long, env = "USER", default_value = "analyst")]
    pub by: String,
    /// List the corrections made so far.
    #[arg(long)]
    pub list: bool,
}
