//! One event, many reports: events that several documents report become one, with all
//! their mentions; syndicated copies of one story count as one source.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::Obs;

/// Words per shingle, hash functions per signature, and their split into LSH bands.
const SHINGLE: usize = 5;
pub const SIGNATURE: usize = 64;
const BANDS: usize = 16;
const ROWS: usize = SIGNATURE / BANDS;

/// A MinHash signature of a document's text over word 5-shingles: two documents'
/// signatures agree in about the share of positions that their shingle sets overlap.
pub fn minhash(text: &str) -> [u32; SIGNATURE] {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let mut sig = [u32::MAX; SIGNATURE];
    let shingles = words.len().saturating_sub(SHINGLE - 1).max(usize::from(!words.is_empty()));
    for i in 0..shingles {
        let end = (i + SHINGLE).min(words.len());
        let h = fnv(&words[i..end]);
        for (k, slot) in sig.iter_mut().enumerate() {
            // One hash function per slot: the shingle's hash mixed with the slot's seed.
            let v = mix(h ^ SEEDS[k % SEEDS.len()].wrapping_mul(k as u64 + 1));
            *slot = (*slot).min(v as u32);
        }
    }
    sig
}

const SEEDS: [u64; 4] = [0x9e37_79b9_7f4a_7c15, 0xbf58_476d_1ce4_e5b9, 0x94d0_49bb_1331_11eb, 0x2545_f491_4f6c_dd1d];

fn fnv(words: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for b in w.bytes().chain(std::iter::once(b' ')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// splitmix64's finalizer.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The share of positions where two signatures agree: an estimate of the Jaccard
/// similarity of the two shingle sets.
pub fn similarity(a: &[u32; SIGNATURE], b: &[u32; SIGNATURE]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / SIGNATURE as f64
}

/// Group documents into stories: documents whose signatures agree on at least
/// `threshold` of positions (syndicated copies, light rewrites) share a story id.
/// Candidate pairs come from LSH bands, so the work grows with the number of
/// documents, not its square.
pub fn stories(docs: &[(String, [u32; SIGNATURE])], threshold: f64) -> HashMap<String, usize> {
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for band in 0..BANDS {
        let mut buckets: HashMap<&[u32], Vec<usize>> = HashMap::new();
        for (i, (_, sig)) in docs.iter().enumerate() {
            buckets.entry(&sig[band * ROWS..(band + 1) * ROWS]).or_default().push(i);
        }
        for members in buckets.values().filter(|m| m.len() > 1) {
            let first = members[0];
            for &other in &members[1..] {
                if similarity(&docs[first].1, &docs[other].1) >= threshold {
                    let (a, b) = (find(&mut parent, first), find(&mut parent, other));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
            }
        }
    }
    (0..docs.len()).map(|i| (docs[i].0.clone(), find(&mut parent, i))).collect()
}

/// How far apart two reports of one event may be.
#[derive(Debug, Clone, Copy)]
pub struct DedupOptions {
    /// Days between the event dates of two reports of one event.
    pub days: i64,
}

impl Default for DedupOptions {
    fn default() -> Self {
        Self { days: 2 }
    }
}

/// One real event and every report of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// The id of its earliest report, which stands for it.
    pub id: String,
    /// Every report, earliest first: no mention is thrown away.
    pub mentions: Vec<String>,
    pub documents: Vec<String>,
    /// Dates of the earliest and latest reports (publication, else event date).
    pub first_seen: String,
    pub last_seen: String,
    pub reports: u32,
    /// Documents that are not copies of one another.
    pub independent_sources: u32,
}

/// Cluster `events`: the same directed dyad, the same CAMEO root (two digits), event
/// dates within `opts.days` of the cluster's latest, and no two different places.
/// `stories` maps documents to story ids (see [`stories`]); a document missing from it
/// is a story of its own.
pub fn clusters(events: &[Obs], stories: &HashMap<String, usize>, opts: DedupOptions) -> Vec<Cluster> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by(|&a, &b| (events[a].date, &events[a].event_id).cmp(&(events[b].date, &events[b].event_id)));
    type Key = (Option<String>, Option<String>, String);
    // An open cluster: its latest date, its place, its members.
    type Open = (NaiveDate, Option<String>, Vec<usize>);
    let mut open: HashMap<Key, Vec<Open>> = HashMap::new();
    let mut done: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let e = &events[i];
        let key = (e.source_code.clone(), e.target_code.clone(), e.cameo.get(..2).unwrap_or(&e.cameo).to_string());
        let list = open.entry(key).or_default();
        let fits = list.iter().position(|(last, place, _)| {
            (e.date - *last).num_days() <= opts.days && (place.is_none() || e.place.is_none() || *place == e.place)
        });
        match fits {
            Some(k) => {
                let c = &mut list[k];
                c.0 = c.0.max(e.date);
                if c.1.is_none() {
                    c.1 = e.place.clone();
                }
                c.2.push(i);
            }
            None => list.push((e.date, e.place.clone(), vec![i])),
        }
        // Clusters this event is past can no longer grow.
        let (closed, still): (Vec<_>, Vec<_>) =
            std::mem::take(list).into_iter().partition(|(last, _, _)| (e.date - *last).num_days() > opts.days);
        *list = still;
        done.extend(closed.into_iter().map(|c| c.2));
    }
    done.extend(open.into_values().flatten().map(|c| c.2));
    let mut out: Vec<Cluster> = done
        .into_iter()
        .map(|members| {
            let seen = |i: usize| events[i].reported.unwrap_or(events[i].date);
            let mut documents: Vec<String> = members.iter().map(|&i| events[i].doc_id.clone()).collect();
            documents.sort();
            documents.dedup();
            let mut story_ids: Vec<usize> =
                documents.iter().enumerate().map(|(k, d)| stories.get(d).copied().unwrap_or(usize::MAX - k)).collect();
            story_ids.sort_unstable();
            story_ids.dedup();
            Cluster {
                id: events[members[0]].event_id.clone(),
                mentions: members.iter().map(|&i| events[i].event_id.clone()).collect(),
                first_seen: members.iter().map(|&i| seen(i)).min().unwrap_or(events[members[0]].date).to_string(),
                last_seen: members.iter().map(|&i| seen(i)).max().unwrap_or(events[members[0]].date).to_string(),
                reports: members.len() as u32,
                independent_sources: story_ids.len() as u32,
                documents,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.first_seen, &a.id).cmp(&(&b.first_seen, &b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::obs;

    const WIRE: &str = "Rockets struck the Green Zone late on Tuesday, officials said, in the third attack on \
        the diplomatic quarter this month; no group claimed it, but officials blamed militias backed by Iran.";

    #[test]
    fn copies_of_a_story_share_a_signature() {
        let copy = format!("{WIRE} Reporting by the wire desk.");
        let other = "Talks on the electricity deal resumed in Tehran with both delegations present and \
            ministers expected to sign a memorandum before the end of the week, an aide said.";
        let (a, b, c) = (minhash(WIRE), minhash(&copy), minhash(other));
        assert!(similarity(&a, &b) > 0.7, "{}", similarity(&a, &b));
        assert!(similarity(&a, &c) < 0.2, "{}", similarity(&a, &c));
        assert_eq!(minhash(WIRE), a, "deterministic");
        let s = stories(&[("a".into(), a), ("b".into(), b), ("c".into(), c)], 0.7);
        assert_eq!(s["a"], s["b"]);
        assert_ne!(s["a"], s["c"]);
        assert_eq!(minhash(""), [u32::MAX; SIGNATURE]);
    }

    #[test]
    fn reports_of_one_event_become_one() {
        let mut e = vec![
            obs("a1", "2020-01-03", "USAMIL", "IRNMIL", 4, -10.0),
            obs("b1", "2020-01-04", "USAMIL", "IRNMIL", 4, -10.0),
            obs("c1", "2020-01-03", "USAMIL", "IRNMIL", 4, -10.0),
            // A week later: another strike.
            obs("d1", "2020-01-11", "USAMIL", "IRNMIL", 4, -10.0),
            // The other direction is another event.
            obs("e1", "2020-01-03", "IRNMIL", "USAMIL", 4, -10.0),
        ];
        // Two copies of one wire story.
        e[1].doc_id = "wire-1".into();
        e[2].doc_id = "wire-2".into();
        let mut story = HashMap::new();
        story.insert("wire-1".to_string(), 7);
        story.insert("wire-2".to_string(), 7);
        let c = clusters(&e, &story, DedupOptions::default());
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].mentions, ["a1", "c1", "b1"]);
        assert_eq!((c[0].reports, c[0].independent_sources), (3, 2));
        assert_eq!((c[0].first_seen.as_str(), c[0].last_seen.as_str()), ("2020-01-03", "2020-01-04"));
        let total: u32 = c.iter().map(|c| c.reports).sum();
        assert_eq!(total, 5, "no mention is lost");
        // Different places are different events.
        e[1].place = Some("Baghdad".into());
        e[2].place = Some("Erbil".into());
        assert_eq!(clusters(&e, &story, DedupOptions::default()).len(), 4);
    }
}
