//! The contest read back from a store: the queries behind `sway dyad`, `sway balance`,
//! `sway network` and `sway events --dedup`, and the server's endpoints of the same
//! names. The store reads (`sway-store`) and the formulas (`sway-contest`) meet here,
//! so the command line and the HTTP API answer the same question the same way.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sway_contest::{
    clusters, dyad_series, minhash, representatives, stories, BalanceBuilder, BalanceOptions, BalanceRow, Camp,
    Cluster, DedupOptions, DyadRow, EdgeKind, Network, NetworkBuilder, Obs, PatronLink, SeriesOptions, Side,
};
use sway_store::{ObsQuery, Store, StoreError, StoredEvent, TallyQuery};

/// What went wrong answering a query.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T> = std::result::Result<T, QueryError>;

/// Whether reports of one event count once (the default) or each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counting {
    /// Count every report.
    pub all_reports: bool,
    /// Days apart two reports of one event may be.
    pub dedup_window: i64,
}

impl Default for Counting {
    fn default() -> Self {
        Self { all_reports: false, dedup_window: sway_store::INGEST_DEDUP_DAYS }
    }
}

/// An inclusive range of event dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl DateRange {
    fn day(d: Option<NaiveDate>) -> Option<String> {
        d.map(|d| d.format("%Y-%m-%d").to_string())
    }

    /// The range's ends as the store writes dates, `YYYY-MM-DD`.
    pub fn days(&self) -> (Option<String>, Option<String>) {
        (Self::day(self.since), Self::day(self.until))
    }

    /// The store's observation query for this range.
    pub fn obs(&self) -> ObsQuery {
        let (since, until) = self.days();
        ObsQuery { since, until, ..ObsQuery::default() }
    }

    /// The store's tally query for this range.
    pub fn tallies(&self) -> TallyQuery {
        let (since, until) = self.days();
        TallyQuery { since, until, ..TallyQuery::default() }
    }

    /// The store's event query for this range.
    pub fn events(&self) -> sway_store::EventQuery {
        let (since, until) = self.days();
        sway_store::EventQuery { since, until, ..Default::default() }
    }
}

/// The stored events as the contest formulas see them, with each report's
/// publication date.
pub fn observations(found: &[StoredEvent]) -> Vec<Obs> {
    found
        .iter()
        .filter_map(|e| {
            let mut o = Obs::of(&e.doc_id, &e.event)?;
            o.reported = e.published.as_deref().and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
            Some(o)
        })
        .collect()
}

/// Documents whose texts agree on this share of MinHash positions are copies of one story.
pub const SAME_STORY: f64 = 0.7;

/// The events' clusters: reports of one event within `days` of each other, with
/// copies of one story counted as one source.
pub fn deduplicate(store: &Store, obs: &[Obs], days: i64) -> Result<Vec<Cluster>> {
    let mut wanted: Vec<&str> = obs.iter().map(|o| o.doc_id.as_str()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    // Signatures are stored at ingest; documents stored before that get theirs from
    // their text.
    let mut sigs = store.signatures(&wanted)?;
    if sigs.len() < wanted.len() {
        let have: HashSet<String> = sigs.iter().map(|(id, _)| id.clone()).collect();
        let missing: HashSet<&str> = wanted.iter().copied().filter(|id| !have.contains(*id)).collect();
        store.for_each_text(|id, text| {
            if missing.contains(id) {
                sigs.push((id.to_string(), minhash(text)));
            }
        })?;
    }
    Ok(clusters(obs, &stories(&sigs, SAME_STORY), DedupOptions { days }))
}

/// The events a series or balance counts, read through the store's indexes: one per
/// real event (the clusters kept at ingest) unless `all_reports`; a window other
/// than the ingest one clusters again here.
pub fn counted(store: &Store, mut q: ObsQuery, counting: Counting) -> Result<Vec<Obs>> {
    if counting.all_reports {
        return Ok(store.observations(&q)?);
    }
    if counting.dedup_window == sway_store::INGEST_DEDUP_DAYS {
        q.representatives = true;
        return Ok(store.observations(&q)?);
    }
    let obs = store.observations(&q)?;
    // Which reports stand for each cluster does not depend on stories.
    let c = clusters(&obs, &HashMap::new(), DedupOptions { days: counting.dedup_window });
    Ok(representatives(&obs, &c))
}

/// The dyad series between two sides (actor codes or prefixes).
pub fn dyad(
    store: &Store,
    a: &str,
    b: &str,
    dates: DateRange,
    counting: Counting,
    opts: SeriesOptions,
) -> Result<Vec<DyadRow>> {
    let q = ObsQuery { between: Some((vec![a.to_string()], vec![b.to_string()])), reports: true, ..dates.obs() };
    let obs = counted(store, q, counting)?;
    Ok(dyad_series(&obs, &Side::new(a), &Side::new(b), opts))
}

/// A client code, its label, and the code of its patron.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patronage {
    pub client: String,
    pub client_label: String,
    pub patron: String,
}

/// Client codes backed by each patron, the patron given as an actor code (a registry
/// id is mapped to its code).
pub fn patron_codes(store: &Store) -> Result<Vec<Patronage>> {
    let summary = store.actor_labels()?;
    let code_of: HashMap<&str, &str> =
        summary.iter().filter_map(|r| Some((r.registry_id.as_deref()?, r.code.as_str()))).collect();
    Ok(store
        .patron_links()?
        .into_iter()
        .map(|(client, client_label, patron)| {
            let patron = code_of.get(patron.as_str()).map_or(patron, |c| c.to_string());
            Patronage { client, client_label, patron }
        })
        .collect())
}

/// Each power with the proxies the store knows it backs.
pub fn camps(store: &Store, powers: &[String]) -> Result<Vec<Camp>> {
    let links = patron_codes(store)?;
    Ok(powers
        .iter()
        .map(|p| {
            let power = Side::new(p);
            let mut proxies: Vec<String> =
                links.iter().filter(|l| power.matches(Some(&l.patron), None)).map(|l| l.client.clone()).collect();
            proxies.sort();
            proxies.dedup();
            Camp { power, proxies }
        })
        .collect())
}

/// The influence balance in `arena` between `powers`, with the camps it compared.
pub fn balance(
    store: &Store,
    arena: &str,
    powers: &[String],
    dates: DateRange,
    counting: Counting,
    opts: BalanceOptions,
) -> Result<(Vec<Camp>, Vec<BalanceRow>)> {
    let camps = camps(store, powers)?;
    // Only ties can count: events between the arena's codes and a camp's outside the
    // arena (the formula's exact test is applied to what this reads).
    let inside = Side::new(arena);
    let sides: Vec<String> = camps
        .iter()
        .flat_map(|c| std::iter::once(c.power.as_str().to_string()).chain(c.proxies.iter().cloned()))
        .filter(|code| !inside.matches(Some(code), None))
        .collect();
    let q = ObsQuery { between: Some((vec![arena.to_string()], sides)), ..dates.obs() };
    let rows = if counting.all_reports || counting.dedup_window == sway_store::INGEST_DEDUP_DAYS {
        // The tallies hold every tie packed by group; the event indexes, read one
        // borrowed row at a time, are the fallback.
        let tq = TallyQuery {
            between: q.between.clone(),
            representatives: !counting.all_reports,
            realized: true,
            ..dates.tallies()
        };
        let mut b = BalanceBuilder::new(arena, &camps);
        if store.scan_tallies(&tq, |e| b.add(e))?.is_none() {
            b = BalanceBuilder::new(arena, &camps);
            let q = ObsQuery { representatives: !counting.all_reports, realized: true, ..q };
            store.scan_events(&q, |e| b.add(e))?;
        }
        b.finish(opts)
    } else {
        sway_contest::balance(&counted(store, q, counting)?, arena, &camps, opts)
    };
    Ok((camps, rows))
}

/// The alignment network over realized events in `dates`: interaction edges with at
/// least `min_events` events, every patronage edge, and only the nodes they touch,
/// each labelled with the name its actors go by most.
pub fn network(store: &Store, dates: DateRange, counting: Counting, min_events: u32) -> Result<Network> {
    let summary = store.actor_labels()?;
    let patrons: Vec<PatronLink> = patron_codes(store)?
        .into_iter()
        .map(|p| PatronLink { client: p.client, client_label: p.client_label, patron: p.patron })
        .collect();
    let mut net = if counting.all_reports || counting.dedup_window == sway_store::INGEST_DEDUP_DAYS {
        // One pass over the index, one borrowed row at a time.
        let tq = TallyQuery { representatives: !counting.all_reports, realized: true, ..dates.tallies() };
        let mut b = NetworkBuilder::default();
        if store.scan_tallies(&tq, |e| b.add(e))?.is_none() {
            b = NetworkBuilder::default();
            let q = ObsQuery { representatives: !counting.all_reports, realized: true, ..dates.obs() };
            store.scan_events(&q, |e| b.add(e))?;
        }
        b.finish(&patrons)
    } else {
        sway_contest::network(&counted(store, dates.obs(), counting)?, &patrons)
    };
    net.edges.retain(|e| e.kind == EdgeKind::Patron || e.events >= min_events);
    net.drop_loose_nodes();
    // Label each code with the name its actors go by most: the registry's country or
    // organisation, not whatever words one sentence used.
    let mut labels: HashMap<String, (u64, bool, String)> = HashMap::new();
    for r in summary {
        let rank = (r.documents, r.registry_id.as_deref().is_some_and(|i| i.starts_with("country:")));
        let e = labels.entry(r.code.clone()).or_insert((0, false, r.name.clone()));
        if rank > (e.0, e.1) {
            *e = (rank.0, rank.1, r.name);
        }
    }
    for n in &mut net.nodes {
        if let Some((_, _, name)) = labels.get(&n.id) {
            n.label = name.clone();
        }
    }
    Ok(net)
}

/// Events per month of `found`, from the first dated month to the last, zeros
/// included: the timeline's sparkline.
pub fn per_month(found: &[StoredEvent]) -> Option<(String, String, Vec<u32>)> {
    let mut months: Vec<&str> =
        found.iter().filter_map(|e| e.event.date.as_ref().and_then(|d| d.start.get(..7))).collect();
    months.sort_unstable();
    let (first, last) = (*months.first()?, *months.last()?);
    let mut m = NaiveDate::parse_from_str(&format!("{first}-01"), "%Y-%m-%d").ok()?;
    let end = NaiveDate::parse_from_str(&format!("{last}-01"), "%Y-%m-%d").ok()?;
    let mut counts = Vec::new();
    while m <= end {
        let key = m.format("%Y-%m").to_string();
        counts.push(months.iter().filter(|x| **x == key).count() as u32);
        m = sway_contest::Period::Month.next(m);
    }
    Some((first.to_string(), last.to_string(), counts))
}
