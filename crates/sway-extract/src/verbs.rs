//! The CAMEO verb dictionary over dependency structure: verbs with their block's code,
//! and patterns that refine it by the words around the verb ("urge ... to withdraw" →
//! 025, "demand ... release" → 1053).
//!
//! The data is `data/patterns/verbs.tsv`, converted from the CAMEO verb pattern
//! dictionary by `tools/build_patterns.py`; users add rows in the same format with
//! `--patterns FILE`. A pattern's words are looked for in the verb's dependency
//! subtree after it (`after`) and before it in the sentence (`before`), not at fixed
//! positions: the parse, not the word order, says what belongs to the verb.

use std::collections::HashMap;

use sway_syntax::WordSyntax;

use crate::resources::ResourceError;

pub(crate) const VERBS_TSV: &str = include_str!("../../../data/patterns/verbs.tsv");
pub(crate) const VERBS_PATH: &str = "data/patterns/verbs.tsv";
pub(crate) const CURATED_VERBS_TSV: &str = include_str!("../../../data/patterns/verbs-curated.tsv");
pub(crate) const CURATED_VERBS_PATH: &str = "data/patterns/verbs-curated.tsv";

const HEADER: [&str; 6] = ["lemma", "code", "before", "after", "block", "line"];
/// How far before the verb (or the next pattern word) a `before` word may be.
const BEFORE_WINDOW: usize = 6;
/// How far after the verb (or the previous pattern word) an `after` word may be.
const MAX_GAP: usize = 5;

/// One required word: its alternatives, each exact or a stem (`withd*`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word(Vec<(String, bool)>);

impl Word {
    fn parse(s: &str) -> Self {
        Self(
            s.split('|')
                .filter(|a| !a.is_empty())
                .map(|a| match a.strip_suffix('*') {
                    Some(stem) => (stem.to_string(), true),
                    None => (a.to_string(), false),
                })
                .collect(),
        )
    }

    fn matches(&self, form: &str, lemma: &str) -> bool {
        self.0.iter().any(|(w, stem)| {
            if *stem {
                form.starts_with(w.as_str()) || lemma.starts_with(w.as_str())
            } else {
                form == w || lemma == w
            }
        })
    }
}

#[derive(Debug, Clone)]
struct Pattern {
    /// The verbs of the block it applies to; empty: all of them.
    verbs: Vec<String>,
    code: String,
    before: Vec<Word>,
    after: Vec<Word>,
    /// File and line, for the event's `rule`.
    origin: (String, usize),
}

#[derive(Debug, Clone)]
struct Verb {
    code: String,
    block: String,
    /// Words a multi-word verb needs after it ("wage war").
    after: Vec<Word>,
    origin: (String, usize),
}

/// What coded a verb: its CAMEO code (`---` means "do not code") and provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbCoding {
    pub code: String,
    pub block: String,
    pub file: String,
    pub line: usize,
    /// Whether a pattern (not only the verb) matched.
    pub pattern: bool,
}

/// Verbs by lemma and patterns by block.
#[derive(Debug, Clone, Default)]
pub struct VerbDict {
    verbs: HashMap<String, Vec<Verb>>,
    patterns: HashMap<String, Vec<Pattern>>,
}

fn is_cameo(code: &str) -> bool {
    code == "---" || ((2..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()))
}

impl VerbDict {
    /// The bundled dictionary.
    pub fn bundled() -> Self {
        let mut d = Self::default();
        // Unit tests check the bundled file; failing here is a build defect.
        for (src, path) in [(VERBS_TSV, VERBS_PATH), (CURATED_VERBS_TSV, CURATED_VERBS_PATH)] {
            d.add(src, path).unwrap_or_else(|e| panic!("bundled verb dictionary is broken: {e}"));
        }
        d
    }

    /// Add a file's rows (a user's patterns come after the bundled ones and win ties).
    /// The file is parsed whole before anything is added.
    pub fn add(&mut self, src: &str, file: &str) -> Result<usize, ResourceError> {
        let bad = |line: usize, reason: String| ResourceError { file: file.to_string(), line, reason };
        let mut verbs: Vec<(String, Verb)> = Vec::new();
        let mut patterns: Vec<(String, Pattern)> = Vec::new();
        let mut header = false;
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        for (i, raw) in src.lines().enumerate() {
            let line = i + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = raw.split('\t').collect();
            if !header {
                if f != HEADER {
                    return Err(bad(line, format!("expected the header line: {} (tab-separated)", HEADER.join(" "))));
                }
                header = true;
                continue;
            }
            if f.len() != HEADER.len() {
                return Err(bad(line, format!("expected {} tab-separated fields, found {}", HEADER.len(), f.len())));
            }
            let (lemma, code, block) = (f[0].trim(), f[1].trim(), f[4].trim());
            if lemma.is_empty() || block.is_empty() {
                return Err(bad(line, "empty lemma or block".into()));
            }
            if !is_cameo(code) {
                return Err(bad(line, format!("bad CAMEO code {code:?}")));
            }
            // Provenance: the source line the row names, else this file's line.
            let origin_line = f[5].trim().parse().unwrap_or(line);
            let words = |s: &str| s.split_whitespace().map(Word::parse).collect::<Vec<_>>();
            let origin = (file.to_string(), origin_line);
            if let Some(only) = lemma.strip_prefix('*') {
                let (before, after) = (words(f[2]), words(f[3]));
                if before.is_empty() && after.is_empty() {
                    return Err(bad(line, "a pattern row needs words before or after the verb".into()));
                }
                let verbs = only.split('|').filter(|v| !v.is_empty()).map(str::to_lowercase).collect();
                patterns.push((block.to_string(), Pattern { verbs, code: code.to_string(), before, after, origin }));
            } else {
                let verb = Verb { code: code.to_string(), block: block.to_string(), after: words(f[3]), origin };
                verbs.push((lemma.to_lowercase(), verb));
            }
        }
        if !header {
            return Err(bad(0, "no header line".into()));
        }
        let n = verbs.len() + patterns.len();
        for (lemma, v) in verbs {
            self.verbs.entry(lemma).or_default().push(v);
        }
        for (block, p) in patterns {
            self.patterns.entry(block).or_default().push(p);
        }
        Ok(n)
    }

    pub fn is_empty(&self) -> bool {
        self.verbs.is_empty()
    }

    /// Code the verb at sentence position `v` (0-based within `sx`): the best pattern
    /// of its blocks, else the verb's own code; `None` when the lemma is not a
    /// dictionary verb or a multi-word verb's other words are missing.
    pub fn code(&self, words: &[&str], sx: &[WordSyntax], v: usize) -> Option<VerbCoding> {
        let lemma = sx[v].lemma.to_lowercase();
        let entries = self.verbs.get(&lemma)?;
        let subtree = subtree_after(sx, v);
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let lemmas: Vec<String> = sx.iter().map(|w| w.lemma.to_lowercase()).collect();
        // A pattern's words come in its order, each near the one before: the words of a
        // phrase, not words scattered over the sentence.
        let after_ok = |words: &[Word]| {
            let mut pos = v;
            words.iter().all(|w| {
                match subtree.iter().find(|&&d| d > pos && d - pos <= MAX_GAP && w.matches(&lower[d], &lemmas[d])) {
                    Some(&d) => {
                        pos = d;
                        true
                    }
                    None => false,
                }
            })
        };
        let before_ok = |words: &[Word]| {
            let mut pos = v;
            words.iter().rev().all(|w| {
                match (pos.saturating_sub(BEFORE_WINDOW)..pos).rev().find(|&d| w.matches(&lower[d], &lemmas[d])) {
                    Some(d) => {
                        pos = d;
                        true
                    }
                    None => false,
                }
            })
        };
        // In a passive clause "by" marks the agent ("was attacked by militiamen"), not
        // the word a pattern means ("a strike by workers").
        let passive = sx.iter().any(|w| w.head == v + 1 && matches!(w.deprel.as_str(), "aux:pass" | "nsubj:pass"));
        let agentive_by = |p: &Pattern| passive && p.after.first().is_some_and(|w| w.matches("by", "by"));
        let mut best: Option<VerbCoding> = None;
        let mut best_score = 0;
        // The last verb entry wins among equals: user rows come after bundled ones.
        for verb in entries.iter().rev() {
            if !after_ok(&verb.after) {
                continue;
            }
            if best.is_none() {
                best = Some(VerbCoding {
                    code: verb.code.clone(),
                    block: verb.block.clone(),
                    file: verb.origin.0.clone(),
                    line: verb.origin.1,
                    pattern: false,
                });
            }
            let applies = |p: &&Pattern| p.verbs.is_empty() || p.verbs.contains(&lemma);
            for p in self.patterns.get(&verb.block).into_iter().flatten().rev().filter(applies) {
                let score = p.before.len() + p.after.len();
                if score > best_score && !agentive_by(p) && after_ok(&p.after) && before_ok(&p.before) {
                    best_score = score;
                    best = Some(VerbCoding {
                        code: p.code.clone(),
                        block: verb.block.clone(),
                        file: p.origin.0.clone(),
                        line: p.origin.1,
                        pattern: true,
                    });
                }
            }
        }
        best
    }
}

/// Tokens after `v` in its dependency subtree (depth at most 3), in order.
fn subtree_after(sx: &[WordSyntax], v: usize) -> Vec<usize> {
    (v + 1..sx.len())
        .filter(|&d| {
            let mut h = d;
            for _ in 0..3 {
                match sx[h].head.checked_sub(1) {
                    Some(p) if p == v => return true,
                    Some(p) => h = p,
                    None => return false,
                }
            }
            false
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "# made-up rows\nlemma\tcode\tbefore\tafter\tblock\tline\n\
        urge\t020\t\t\tURGE\t10\n\
        *\t025\t\twithdraw*\tURGE\t11\n\
        *urge|press\t1053\t\trelease prisoner|detainee\tURGE\t12\n\
        *press\t1056\t\tleave\tURGE\t14\n\
        *\t---\tnot\t\tURGE\t13\n\
        wage\t190\t\twar\tFIGHT\t20\n";

    /// Code the verb at `v` of a hand-made parse: (form, lemma, head).
    fn code(d: &VerbDict, words: &[(&str, &str, usize)], v: usize) -> Option<VerbCoding> {
        let forms: Vec<&str> = words.iter().map(|w| w.0).collect();
        let sx: Vec<WordSyntax> = words
            .iter()
            .map(|&(_, lemma, head)| WordSyntax {
                lemma: lemma.into(),
                upos: "VERB".into(),
                xpos: String::new(),
                head,
                deprel: String::new(),
            })
            .collect();
        d.code(&forms, &sx, v)
    }

    #[test]
    fn patterns_refine_the_verb_and_the_longest_wins() {
        let mut d = VerbDict::default();
        assert_eq!(d.add(FIXTURE, "f.tsv").unwrap(), 6);
        // "A urged B to withdraw": withdraw is in urge's subtree.
        let c = code(
            &d,
            &[("A", "A", 2), ("urged", "urge", 0), ("B", "B", 2), ("to", "to", 5), ("withdraw", "withdraw", 2)],
            1,
        )
        .unwrap();
        assert_eq!((c.code.as_str(), c.line, c.pattern), ("025", 11, true));
        // "A urged B to release detainees": two words beat one.
        let words = [
            ("A", "A", 2),
            ("urged", "urge", 0),
            ("B", "B", 2),
            ("release", "release", 2),
            ("detainees", "detainee", 4),
        ];
        assert_eq!(code(&d, &words, 1).unwrap().code, "1053");
        // A pattern found with another verb of the block does not apply.
        let words = [("A", "A", 2), ("urged", "urge", 0), ("B", "B", 2), ("leave", "leave", 2)];
        assert_eq!(code(&d, &words, 1).unwrap().code, "020");
        // No pattern: the verb's code.
        let c = code(&d, &[("A", "A", 2), ("urged", "urge", 0), ("B", "B", 2)], 1).unwrap();
        let expected =
            VerbCoding { code: "020".into(), block: "URGE".into(), file: "f.tsv".into(), line: 10, pattern: false };
        assert_eq!(c, expected);
        // "did not urge": the --- pattern says do not code.
        assert_eq!(
            code(&d, &[("A", "A", 3), ("not", "not", 3), ("urge", "urge", 0), ("B", "B", 3)], 2).unwrap().code,
            "---"
        );
    }

    #[test]
    fn multi_word_verbs_need_their_words() {
        let mut d = VerbDict::default();
        d.add(FIXTURE, "f.tsv").unwrap();
        assert_eq!(code(&d, &[("A", "A", 2), ("waged", "wage", 0), ("war", "war", 2)], 1).unwrap().code, "190");
        assert!(code(&d, &[("A", "A", 2), ("waged", "wage", 0), ("campaigns", "campaign", 2)], 1).is_none());
    }

    #[test]
    fn bundled_dictionary_loads_and_corrections_win() {
        let d = VerbDict::bundled();
        assert!(d.verbs.len() > 1000, "{}", d.verbs.len());
        let c = code(&d, &[("A", "A", 2), ("overtook", "overtake", 0), ("B", "B", 2)], 1).unwrap();
        assert_eq!((c.code.as_str(), c.file.as_str()), ("---", CURATED_VERBS_PATH));
        let c = code(&d, &[("A", "A", 2), ("attacked", "attack", 0), ("B", "B", 2)], 1).unwrap();
        assert_eq!(c.code, "190");
    }

    #[test]
    fn a_passive_agent_is_no_pattern_word() {
        let d = VerbDict::bundled();
        // (form, lemma, head, deprel)
        let parse = |words: &[(&str, &str, usize, &str)]| -> (Vec<String>, Vec<WordSyntax>) {
            let forms = words.iter().map(|w| w.0.to_string()).collect();
            let sx = words
                .iter()
                .map(|&(_, lemma, head, deprel)| WordSyntax {
                    lemma: lemma.into(),
                    upos: "VERB".into(),
                    xpos: String::new(),
                    head,
                    deprel: deprel.into(),
                })
                .collect();
            (forms, sx)
        };
        // "A camp was attacked by militiamen": an attack, not the "strike by" of a protest.
        let (forms, sx) = parse(&[
            ("camp", "camp", 3, "nsubj:pass"),
            ("was", "be", 3, "aux:pass"),
            ("attacked", "attack", 0, "root"),
            ("by", "by", 5, "case"),
            ("militiamen", "militiaman", 3, "obl:agent"),
        ]);
        let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
        assert_eq!(d.code(&forms, &sx, 2).unwrap().code, "190");
        // Plain uses of verbs the converted dictionary codes only in patterns.
        let c = code(&d, &[("A", "A", 2), ("rejected", "reject", 0), ("B", "B", 2)], 1).unwrap();
        assert_eq!((c.code.as_str(), c.file.as_str()), ("120", CURATED_VERBS_PATH));
        let c = code(&d, &[("A", "A", 2), ("signed", "sign", 0), ("accord", "accord", 2)], 1).unwrap();
        assert_eq!(c.code, "057");
    }

    #[test]
    fn faulty_rows_are_named() {
        let mut d = VerbDict::default();
        let e = d.add("lemma\tcode\tbefore\tafter\tblock\tline\nurge\t9x\t\t\tURGE\t1\n", "u.tsv").unwrap_err();
        assert_eq!(e.to_string(), "u.tsv:2: bad CAMEO code \"9x\"");
        let e = d.add("lemma\tcode\tbefore\tafter\tblock\tline\n*\t020\t\t\tURGE\t1\n", "u.tsv").unwrap_err();
        assert!(e.reason.contains("needs words"));
        assert!(d.is_empty(), "a refused file adds nothing");
    }
}
