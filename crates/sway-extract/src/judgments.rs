//! Judgments: the authors' estimates ("will almost certainly", "suggests", "no doubt")
//! with probability ranges from `data/estimative/terms.tsv` (see docs/judgments.md),
//! negation, confidence, holder and conditions.

use std::collections::HashMap;
use std::ops::Range;

use sway_core::{Span, Token};
use sway_syntax::WordSyntax;

use crate::resources::ResourceError;
use crate::ActorMention;

/// The estimative lexicon compiled into sway.
pub const TERMS_TSV: &str = include_str!("../../../data/estimative/terms.tsv");
pub(crate) const TERMS_PATH: &str = "data/estimative/terms.tsv";

/// Modal words: hedges only in lower case ("would" is left out: in news it mostly
/// reports someone else's plan or a condition, not the author's estimate) ("May" is a month), and weaker evidence of a
/// judgment than an estimative phrase in the same sentence.
const MODALS: &[&str] = &["will", "may", "might", "could"];
const NEGATORS: &[&str] = &["not", "n't", "never"];
/// Evidentials and analytic verbs: weaker than a stated likelihood in the same sentence.
const EVIDENTIALS: &[&str] = &[
    "suggests",
    "suggest",
    "suggested",
    "indicates",
    "appears",
    "appear",
    "apparently",
    "seems",
    "we assess",
    "we judge",
    "we believe",
];
const REPORTING: &[&str] = &[
    "say",
    "said",
    "says",
    "announce",
    "announced",
    "announces",
    "state",
    "stated",
    "tell",
    "told",
    "claim",
    "claimed",
    "claims",
    "warn",
    "warned",
    "warns",
];
const CONDITION_MARKERS: &[&[&str]] =
    &[&["if"], &["unless"], &["provided", "that"], &["as", "long", "as"], &["in", "case"]];

/// A term's probability range.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub p_low: f64,
    pub p_high: f64,
    pub source: String,
}

/// The estimative lexicon, compiled once.
#[derive(Debug, Clone)]
pub struct Estimative {
    terms: HashMap<String, Estimate>,
    max_tokens: usize,
}

/// What kind of judgment a sentence holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JudgmentKind {
    /// A key judgment: a takeaway line of a brief.
    KeyJudgment,
    /// A statement about the future.
    Prediction,
    /// An assessment of the present or past ("suggests", "appears").
    Assessment,
}

impl JudgmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::KeyJudgment => "key_judgment",
            Self::Prediction => "prediction",
            Self::Assessment => "assessment",
        }
    }
}

/// A judgment found in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgmentCandidate {
    pub kind: JudgmentKind,
    /// The estimative term as written, and its span.
    pub term: Option<(Span, String)>,
    pub negated: bool,
    pub p_low: Option<f64>,
    pub p_high: Option<f64>,
    /// `high`, `moderate` or `low`, when the text states its confidence.
    pub confidence: Option<String>,
    /// Index into the mentions of whoever is quoted, when it is not the author.
    pub holder_mention: Option<usize>,
    /// Text of the holder when no actor mention covers it.
    pub holder_text: Option<String>,
    /// Spans of the conditions attached ("if the influence ... wanes").
    pub conditions: Vec<Span>,
}

impl Estimative {
    pub fn bundled() -> Result<Self, ResourceError> {
        Self::parse(TERMS_TSV)
    }

    pub fn parse(tsv: &str) -> Result<Self, ResourceError> {
        let mut terms = HashMap::new();
        let mut header = true;
        for (i, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if header {
                header = false;
                continue;
            }
            let bad = |reason: String| ResourceError { file: TERMS_PATH.into(), line: i + 1, reason };
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 5 {
                return Err(bad(format!("expected 5 fields, found {}", f.len())));
            }
            let p = |s: &str| s.parse::<f64>().ok().filter(|p| (0.0..=1.0).contains(p));
            let (Some(lo), Some(hi)) = (p(f[1]), p(f[2])) else {
                return Err(bad(format!("probabilities must be in 0..1, found {:?} {:?}", f[1], f[2])));
            };
            if lo > hi {
                return Err(bad(format!("p_low {lo} is above p_high {hi}")));
            }
            terms.insert(f[0].to_string(), Estimate { p_low: lo, p_high: hi, source: f[3].to_string() });
        }
        let max_tokens = terms.keys().map(|k| k.split(' ').count()).max().unwrap_or(1);
        Ok(Self { terms, max_tokens })
    }

    /// The range a term maps to (lower case, words separated by single spaces).
    pub fn get(&self, term: &str) -> Option<&Estimate> {
        self.terms.get(term)
    }

    pub fn terms(&self) -> impl Iterator<Item = (&str, &Estimate)> {
        self.terms.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The judgment in one sentence, if it holds one. `takeaway` says the sentence is
    /// a key judgment line of a brief; `syntax` is aligned with `tokens[sentence]`.
    pub fn judge(
        &self,
        text: &str,
        tokens: &[Token],
        sentence: Range<usize>,
        syntax: &[WordSyntax],
        mentions: &[ActorMention],
        takeaway: bool,
    ) -> Option<JudgmentCandidate> {
        let toks = &tokens[sentence.clone()];
        let raw: Vec<&str> = toks.iter().map(|t| t.span.slice(text)).collect();
        let lower: Vec<String> = raw.iter().map(|w| w.to_lowercase().replace('’', "'")).collect();
        // Longest estimative phrase at each position. A stated likelihood beats an
        // evidential, which beats a bare modal; among equals the first one wins.
        let rank = |key: &str| {
            if MODALS.contains(&key) {
                0
            } else if EVIDENTIALS.contains(&key) {
                1
            } else {
                2
            }
        };
        let mut best: Option<(Range<usize>, u8)> = None;
        let mut i = 0;
        while i < lower.len() {
            let mut found = None;
            for n in (1..=self.max_tokens.min(lower.len() - i)).rev() {
                let key = lower[i..i + n].join(" ");
                if self.terms.contains_key(&key) {
                    let modal = n == 1 && MODALS.contains(&key.as_str());
                    // "May" the month, "Will" the name: modals count only in lower case.
                    if modal && raw[i] != lower[i] {
                        continue;
                    }
                    found = Some((i..i + n, rank(&key)));
                    break;
                }
            }
            match found {
                Some((r, rk)) => {
                    let better = best.as_ref().is_none_or(|(_, b)| rk > *b);
                    i = r.end;
                    if better {
                        best = Some((r, rk));
                    }
                }
                None => i += 1,
            }
        }
        if best.is_none() && !takeaway {
            return None;
        }
        let future = lower.iter().any(|w| w == "will" || w == "'ll");
        let kind = if takeaway {
            JudgmentKind::KeyJudgment
        } else if future {
            JudgmentKind::Prediction
        } else {
            JudgmentKind::Assessment
        };
        let mut cand = JudgmentCandidate {
            kind,
            term: None,
            negated: false,
            p_low: None,
            p_high: None,
            confidence: None,
            holder_mention: None,
            holder_text: None,
            conditions: Vec::new(),
        };
        if let Some((r, _)) = best {
            let key = lower[r.clone()].join(" ");
            let est = &self.terms[&key];
            // "will not", "almost certainly not", "is not likely": negation next to the term.
            let near = r.start.saturating_sub(2)..(r.end + 2).min(lower.len());
            let negated = !key.ends_with(" not")
                && near.into_iter().any(|k| !r.contains(&k) && NEGATORS.contains(&lower[k].as_str()));
            let (lo, hi) = if negated { (1.0 - est.p_high, 1.0 - est.p_low) } else { (est.p_low, est.p_high) };
            let span = Span::new(toks[r.start].span.start, toks[r.end - 1].span.end);
            cand.term = Some((span, span.slice(text).to_string()));
            cand.negated = negated;
            cand.p_low = Some((lo * 1000.0).round() / 1000.0);
            cand.p_high = Some((hi * 1000.0).round() / 1000.0);
        }
        for (k, w) in lower.iter().enumerate() {
            if w == "confidence" && k > 0 && matches!(lower[k - 1].as_str(), "high" | "moderate" | "low" | "medium") {
                cand.confidence = Some(if lower[k - 1] == "medium" { "moderate".into() } else { lower[k - 1].clone() });
            }
        }
        // Conditions: from a marker to the end of its clause.
        let mut k = 0;
        while k < lower.len() {
            let hit = CONDITION_MARKERS
                .iter()
                .find(|m| lower[k..].starts_with(&m.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
            if let Some(m) = hit {
                let start = k + m.len();
                let mut end = start;
                while end < lower.len() && !matches!(lower[end].as_str(), "." | ";" | "!" | "?" | "–" | "—") {
                    end += 1;
                }
                if end > start {
                    cand.conditions.push(Span::new(toks[k].span.start, toks[end - 1].span.end));
                }
                k = end;
            } else {
                k += 1;
            }
        }
        // Holder: the subject of a reporting verb, when the sentence reports someone.
        if let Some(v) = (0..syntax.len())
            .find(|&v| REPORTING.contains(&syntax[v].lemma.to_lowercase().as_str()) && syntax[v].upos == "VERB")
        {
            if let Some(s) =
                (0..syntax.len()).find(|&d| syntax[d].head == v + 1 && syntax[d].deprel.starts_with("nsubj"))
            {
                let abs = sentence.start + s;
                cand.holder_mention = mentions.iter().position(|m| m.tokens.contains(&abs));
                cand.holder_text = Some(raw[s].to_string());
            }
        } else if let Some(k) = lower.windows(2).position(|w| w[0] == "according" && w[1] == "to") {
            if let Some(&w) = raw.get(k + 2) {
                let abs = sentence.start + k + 2;
                cand.holder_mention = mentions.iter().position(|m| m.tokens.contains(&abs));
                cand.holder_text = Some(w.to_string());
            }
        }
        Some(cand)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(s: &str, takeaway: bool) -> Option<JudgmentCandidate> {
        let tokens = sway_syntax::tokenize(s, Span::new(0, s.len()));
        let words: Vec<&str> = tokens.iter().map(|t| t.span.slice(s)).collect();
        let sx = sway_syntax::Syntax::bundled().unwrap().analyze(&words);
        Estimative::bundled().unwrap().judge(s, &tokens, 0..tokens.len(), &sx, &[], takeaway)
    }

    #[test]
    fn terms_ranges_and_negation() {
        let j =
            judge("Nationalist sentiment will almost certainly gather strength, particularly if protests wane.", false)
                .unwrap();
        assert_eq!(j.term.as_ref().map(|t| t.1.as_str()), Some("almost certainly"));
        assert_eq!(j.kind, JudgmentKind::Prediction);
        assert!(j.p_low.unwrap() >= 0.95 && j.p_high.unwrap() <= 0.99);
        assert_eq!(j.conditions.len(), 1);
        let j = judge("Iran too will no doubt face setbacks.", false).unwrap();
        assert!(j.p_low.unwrap() >= 0.9);
        let j = judge("The threats will not prompt a change.", false).unwrap();
        assert!(j.negated && j.p_high.unwrap() < 0.1, "{j:?}");
        let j = judge("The war is almost certainly not over.", false).unwrap();
        assert!(!j.negated && j.p_high.unwrap() <= 0.12, "{j:?}");
        assert!(judge("Talks resumed in May in Geneva.", false).is_none(), "May the month is no hedge");
        assert!(judge("The talks resumed on Monday.", false).is_none());
        let j = judge("Iran has made significant gains.", true).unwrap();
        assert_eq!((j.kind, j.p_low), (JudgmentKind::KeyJudgment, None));
    }

    #[test]
    fn confidence_and_holder() {
        let j = judge("We assess with moderate confidence that the militias will likely regroup.", false).unwrap();
        assert_eq!(j.confidence.as_deref(), Some("moderate"));
        assert_eq!(
            j.term.as_ref().map(|t| t.1.as_str()),
            Some("likely"),
            "a stated likelihood beats the analytic verb"
        );
        let j = judge("We assess that the militias are regrouping.", false).unwrap();
        assert_eq!(j.term.as_ref().map(|t| t.1.as_str()), Some("We assess"));
        let j = judge("Officials said the ceasefire will probably hold.", false).unwrap();
        assert_eq!(j.holder_text.as_deref(), Some("Officials"));
    }

    #[test]
    fn lexicon_rejects_bad_lines() {
        let e = Estimative::parse("term\tp_low\tp_high\tsource\tnote\nlikely\t0.9\t0.5\tx\ty\n").unwrap_err();
        assert!(e.to_string().contains("above p_high"), "{e}");
    }

    fn shared(rel: &str) -> Option<String> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/estimative").join(rel);
        match std::fs::read_to_string(&p) {
            Ok(s) => Some(s),
            Err(_) => {
                eprintln!("skipping: {} is absent (it lives in ../shared)", p.display());
                None
            }
        }
    }

    #[test]
    fn official_terms_map_inside_their_intervals() {
        let (Some(icd), Some(kent)) = (shared("estimative_terms_icd203.csv"), shared("estimative_terms_kent1964.csv"))
        else {
            return;
        };
        let lex = Estimative::bundled().unwrap();
        let mut checked = 0;
        for line in icd.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let (lo, hi): (f64, f64) = (f[2].parse().unwrap(), f[3].parse().unwrap());
            for t in &f[..2] {
                let e = lex.get(&t.to_lowercase()).unwrap_or_else(|| panic!("ICD 203 term {t:?} is missing"));
                assert!(e.p_low >= lo / 100.0 - 1e-9 && e.p_high <= hi / 100.0 + 1e-9, "{t}: {e:?} outside {lo}-{hi}");
                checked += 1;
            }
        }
        for line in kent.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let (lo, hi): (f64, f64) = (f[3].parse().unwrap(), f[4].parse().unwrap());
            let e = lex.get(&f[0].to_lowercase()).unwrap_or_else(|| panic!("Kent term {:?} is missing", f[0]));
            assert!(e.p_low >= lo / 100.0 - 1e-9 && e.p_high <= hi / 100.0 + 1e-9, "{}: {e:?} outside {lo}-{hi}", f[0]);
            checked += 1;
        }
        assert_eq!(checked, 21);
    }

    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            for &k in &idx[i..=j] {
                r[k] = (i + j) as f64 / 2.0;
            }
            i = j + 1;
        }
        r
    }

    /// The held-apart survey (zonination): never used to build the table.
    #[test]
    fn held_apart_survey_agrees() {
        let Some(csv) = shared("zonination/probly.csv") else { return };
        let mut lines = csv.lines();
        let header: Vec<String> =
            lines.next().unwrap_or_default().split(',').map(|h| h.trim().to_lowercase()).collect();
        let mut cols: Vec<Vec<f64>> = vec![Vec::new(); header.len()];
        for l in lines {
            let f: Vec<&str> = l.split(',').collect();
            if f.len() == header.len() {
                for (c, v) in cols.iter_mut().zip(f) {
                    if let Ok(x) = v.trim().parse::<f64>() {
                        c.push(x / 100.0);
                    }
                }
            }
        }
        let lex = Estimative::bundled().unwrap();
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for (h, mut c) in header.iter().zip(cols) {
            let e = lex.get(h).unwrap_or_else(|| panic!("survey phrase {h:?} has no mapping"));
            c.sort_by(f64::total_cmp);
            let n = c.len();
            let median = if n % 2 == 1 { c[n / 2] } else { (c[n / 2 - 1] + c[n / 2]) / 2.0 };
            ours.push((e.p_low + e.p_high) / 2.0);
            theirs.push(median);
        }
        let (ro, rt) = (ranks(&ours), ranks(&theirs));
        let n = ro.len() as f64;
        let (mo, mt) = (ro.iter().sum::<f64>() / n, rt.iter().sum::<f64>() / n);
        let cov: f64 = ro.iter().zip(&rt).map(|(a, b)| (a - mo) * (b - mt)).sum();
        let spearman = cov
            / (ro.iter().map(|a| (a - mo).powi(2)).sum::<f64>() * rt.iter().map(|b| (b - mt).powi(2)).sum::<f64>())
                .sqrt();
        let mae = ours.iter().zip(&theirs).map(|(a, b)| (a - b).abs()).sum::<f64>() / n;
        eprintln!("held-apart survey: {} phrases, Spearman {spearman:.3}, MAE {mae:.3}", ours.len());
        assert!(spearman >= 0.9, "Spearman {spearman}");
        assert!(mae <= 0.08, "MAE {mae}");
    }
}
