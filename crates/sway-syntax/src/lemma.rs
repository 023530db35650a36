//! Lemmatization: the training treebank's own (form, XPOS) → lemma pairs, WordNet's
//! irregular forms, and suffix rules learned per XPOS for everything else.

use std::collections::HashMap;

use crate::conllu;
use crate::perceptron::{put_str, put_u32, put_varint, DecodeError, Reader};

/// A suffix rewrite: drop `strip` characters, append `add`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Rule {
    strip: u8,
    add: String,
}

impl Rule {
    fn learn(form: &str, lemma: &str) -> Option<Self> {
        let f: Vec<char> = form.chars().collect();
        let l: Vec<char> = lemma.chars().collect();
        let lcp = f.iter().zip(&l).take_while(|(a, b)| a == b).count();
        let strip = u8::try_from(f.len() - lcp).ok()?;
        Some(Self { strip, add: l[lcp..].iter().collect() })
    }

    fn apply(&self, form: &str) -> Option<String> {
        let chars: Vec<char> = form.chars().collect();
        let keep = chars.len().checked_sub(self.strip as usize)?;
        let mut s: String = chars[..keep].iter().collect();
        s.push_str(&self.add);
        (!s.is_empty()).then_some(s)
    }
}

const MAX_SUFFIX: usize = 5;

/// A trained lemmatizer.
#[derive(Debug, Clone, Default)]
pub struct Lemmatizer {
    /// (form, XPOS) → lemma, as the treebank has them.
    dict: HashMap<(String, String), String>,
    /// (word class, lower-case form) → lemma, WordNet's irregular forms.
    exceptions: HashMap<(String, String), String>,
    /// (XPOS, lower-case suffix) → the most frequent rule for it.
    rules: HashMap<(String, String), Rule>,
    /// XPOS tags whose lemmas keep the form's case (proper nouns).
    keep_case: Vec<String>,
}

fn word_class(xpos: &str) -> &'static str {
    match xpos.as_bytes().first() {
        Some(b'N') => "noun",
        Some(b'V') => "verb",
        Some(b'J') => "adj",
        Some(b'R') => "adv",
        _ => "other",
    }
}

impl Lemmatizer {
    /// Learn from gold sentences; `exceptions` are (word class, form, lemma) triples
    /// with word class one of noun, verb, adj, adv.
    pub fn train(sents: &[conllu::Sentence], exceptions: impl IntoIterator<Item = (String, String, String)>) -> Self {
        let mut dict_counts: HashMap<(String, String), HashMap<String, u32>> = HashMap::new();
        let mut rule_counts: HashMap<(String, String), HashMap<Rule, u32>> = HashMap::new();
        let mut case_votes: HashMap<String, (u32, u32)> = HashMap::new();
        for s in sents {
            for w in &s.words {
                if w.lemma.is_empty() || w.lemma == "_" {
                    continue;
                }
                *dict_counts
                    .entry((w.form.clone(), w.xpos.clone()))
                    .or_default()
                    .entry(w.lemma.clone())
                    .or_default() += 1;
                let keeps = w.lemma != w.lemma.to_lowercase();
                let v = case_votes.entry(w.xpos.clone()).or_default();
                if keeps {
                    v.0 += 1;
                } else {
                    v.1 += 1;
                }
                let lf = w.form.to_lowercase();
                let Some(rule) = Rule::learn(&lf, &w.lemma.to_lowercase()) else { continue };
                let chars: Vec<char> = lf.chars().collect();
                for k in 0..=MAX_SUFFIX.min(chars.len()) {
                    let suf: String = chars[chars.len() - k..].iter().collect();
                    *rule_counts.entry((w.xpos.clone(), suf)).or_default().entry(rule.clone()).or_default() += 1;
                }
            }
        }
        let pick =
            |m: HashMap<String, u32>| m.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(l, _)| l);
        let dict = dict_counts.into_iter().filter_map(|(k, m)| pick(m).map(|l| (k, l))).collect();
        let rules = rule_counts
            .into_iter()
            .filter_map(|(k, m)| {
                let total: u32 = m.values().sum();
                let (rule, n) = m
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then((b.0.strip, &b.0.add).cmp(&(a.0.strip, &a.0.add))))?;
                // A suffix seen once says little; the bare-XPOS rule (empty suffix) always stays.
                (k.1.is_empty() || (total >= 2 && n * 2 > total)).then_some((k, rule))
            })
            .collect();
        let mut keep_case: Vec<String> = case_votes.into_iter().filter(|(_, (k, l))| k > l).map(|(x, _)| x).collect();
        keep_case.sort();
        let exceptions = exceptions.into_iter().map(|(c, f, l)| ((c, f), l)).collect();
        Self { dict, exceptions, rules, keep_case }
    }

    pub fn lemma(&self, form: &str, xpos: &str) -> String {
        if let Some(l) = self.dict.get(&(form.to_string(), xpos.to_string())) {
            return l.clone();
        }
        let keep = self.keep_case.iter().any(|x| x == xpos);
        let lower = form.to_lowercase();
        if !keep {
            if let Some(l) = self.dict.get(&(lower.clone(), xpos.to_string())) {
                return l.clone();
            }
            if let Some(l) = self.exceptions.get(&(word_class(xpos).to_string(), lower.clone())) {
                return l.clone();
            }
        }
        let chars: Vec<char> = lower.chars().collect();
        for k in (0..=MAX_SUFFIX.min(chars.len())).rev() {
            let suf: String = chars[chars.len() - k..].iter().collect();
            if let Some(rule) = self.rules.get(&(xpos.to_string(), suf)) {
                let base = if keep { form } else { &lower };
                if let Some(l) = rule.apply(base) {
                    return l;
                }
            }
        }
        if keep {
            form.to_string()
        } else {
            lower
        }
    }

    /// Share of words whose predicted lemma (from gold XPOS) matches.
    pub fn accuracy(&self, gold: &[conllu::Sentence]) -> f64 {
        let (mut ok, mut n) = (0usize, 0usize);
        for s in gold {
            for w in &s.words {
                ok += usize::from(self.lemma(&w.form, &w.xpos) == w.lemma);
                n += 1;
            }
        }
        ok as f64 / n.max(1) as f64
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        let mut dict: Vec<_> = self.dict.iter().collect();
        dict.sort();
        put_u32(out, dict.len() as u32);
        for ((f, x), l) in dict {
            put_str(out, f);
            put_str(out, x);
            put_str(out, l);
        }
        let mut exc: Vec<_> = self.exceptions.iter().collect();
        exc.sort();
        put_u32(out, exc.len() as u32);
        for ((c, f), l) in exc {
            put_str(out, c);
            put_str(out, f);
            put_str(out, l);
        }
        let mut rules: Vec<_> = self.rules.iter().collect();
        rules.sort_by(|a, b| a.0.cmp(b.0));
        put_u32(out, rules.len() as u32);
        for ((x, s), r) in rules {
            put_str(out, x);
            put_str(out, s);
            put_varint(out, u64::from(r.strip));
            put_str(out, &r.add);
        }
        put_u32(out, self.keep_case.len() as u32);
        for x in &self.keep_case {
            put_str(out, x);
        }
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut me = Self::default();
        for _ in 0..r.u32()? {
            let (f, x, l) = (r.str()?, r.str()?, r.str()?);
            me.dict.insert((f, x), l);
        }
        for _ in 0..r.u32()? {
            let (c, f, l) = (r.str()?, r.str()?, r.str()?);
            me.exceptions.insert((c, f), l);
        }
        for _ in 0..r.u32()? {
            let (x, s) = (r.str()?, r.str()?);
            let strip = u8::try_from(r.varint()?).map_err(|_| DecodeError("lemma rule".into()))?;
            me.rules.insert((x, s), Rule { strip, add: r.str()? });
        }
        for _ in 0..r.u32()? {
            me.keep_case.push(r.str()?);
        }
        Ok(me)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(words: &[(&str, &str, &str)]) -> conllu::Sentence {
        conllu::Sentence {
            words: words
                .iter()
                .map(|(f, l, x)| conllu::Word {
                    form: f.to_string(),
                    lemma: l.to_string(),
                    xpos: x.to_string(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn dictionary_rules_exceptions_and_case() {
        let train = [
            sent(&[
                ("Militias", "militia", "NNS"),
                ("attacked", "attack", "VBD"),
                ("bases", "base", "NNS"),
                ("Iraq", "Iraq", "NNP"),
            ]),
            sent(&[
                ("forces", "force", "NNS"),
                ("talked", "talk", "VBD"),
                ("walked", "walk", "VBD"),
                ("Kurds", "Kurd", "NNPS"),
            ]),
            sent(&[("sources", "source", "NNS"), ("Tehran", "Tehran", "NNP")]),
        ];
        let lem = Lemmatizer::train(&train, [("verb".to_string(), "drew".to_string(), "draw".to_string())]);
        assert_eq!(lem.lemma("attacked", "VBD"), "attack");
        assert_eq!(lem.lemma("stormed", "VBD"), "storm");
        assert_eq!(lem.lemma("drew", "VBD"), "draw");
        assert_eq!(lem.lemma("Kadhimi", "NNP"), "Kadhimi");
        assert_eq!(lem.lemma("courses", "NNS"), "course");
        let mut buf = Vec::new();
        lem.write(&mut buf);
        let back = Lemmatizer::read(&mut Reader::new(&buf)).unwrap();
        assert_eq!(back.lemma("stormed", "VBD"), "storm");
    }
}
