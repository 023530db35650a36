//! Name matching over normalized tokens: case, diacritics, apostrophes and hyphens do
//! not matter ("Kata'ib Hezbollah", "Katai’b Hezbollah", "Kataib Hezbollah",
//! "al-Kadhimi", "al Kadhimi"); all-caps acronyms must match exactly ("KH", "PMF").

use std::collections::{HashMap, HashSet};

use sway_core::Token;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Append the normalized form of one token to `out`: lower case, no diacritics, no
/// apostrophes, hyphens and dashes as spaces.
pub(crate) fn push_norm(s: &str, out: &mut String) {
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´' => {}
            '-' | '‐' | '‑' | '–' | '—' => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
}

/// Add one token to a key under construction.
fn extend_key(key: &mut String, token: &str) {
    let before = key.len();
    if !key.is_empty() {
        key.push(' ');
    }
    let mark = key.len();
    push_norm(token, key);
    // A token that normalizes to nothing (a dash) leaves the key as it was.
    if key.len() <= mark {
        key.truncate(before);
    }
}

/// The normalized key of a phrase, tokenized as running text would be.
pub(crate) fn phrase_key(phrase: &str) -> String {
    let mut key = String::new();
    for t in sway_syntax::tokenize(phrase, sway_core::Span::new(0, phrase.len())) {
        extend_key(&mut key, t.span.slice(phrase));
    }
    key
}

/// An acronym: at least two capitals and no lower-case letters ("KH", "IRGC-QF", "U.N.").
pub(crate) fn is_acronym(s: &str) -> bool {
    s.chars().filter(char::is_ascii_uppercase).count() >= 2 && !s.chars().any(char::is_lowercase)
}

/// The surface key of an acronym: its tokens joined by spaces, apostrophes unified.
fn exact_key(phrase: &str) -> String {
    sway_syntax::tokenize(phrase, sway_core::Span::new(0, phrase.len()))
        .iter()
        .map(|t| t.span.slice(phrase).replace(['’', '‘'], "'"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone)]
struct Target<T> {
    value: T,
    /// For acronyms: the exact surface the text must show.
    exact: Option<String>,
}

/// Phrases to values, matched longest-first over tokens.
#[derive(Debug, Clone)]
pub(crate) struct NameIndex<T> {
    names: HashMap<String, Vec<Target<T>>>,
    /// Every key's prefixes at token boundaries, so a scan stops at the first miss.
    prefixes: HashSet<String>,
    max_tokens: usize,
}

impl<T> Default for NameIndex<T> {
    fn default() -> Self {
        Self { names: HashMap::new(), prefixes: HashSet::new(), max_tokens: 0 }
    }
}

impl<T: Clone> NameIndex<T> {
    pub(crate) fn insert(&mut self, phrase: &str, value: T) {
        let tokens = sway_syntax::tokenize(phrase, sway_core::Span::new(0, phrase.len()));
        let mut key = String::new();
        for t in &tokens {
            extend_key(&mut key, t.span.slice(phrase));
            self.prefixes.insert(key.clone());
        }
        if key.is_empty() {
            return;
        }
        self.max_tokens = self.max_tokens.max(tokens.len());
        let exact = is_acronym(phrase).then(|| exact_key(phrase));
        self.names.entry(key).or_default().push(Target { value, exact });
    }

    /// The longest phrase starting at token `i` (not past `end`): its token count and
    /// values. `accept` vets a candidate match by its token range.
    pub(crate) fn longest(
        &self,
        text: &str,
        tokens: &[Token],
        i: usize,
        end: usize,
        accept: impl Fn(usize, usize) -> bool,
    ) -> Option<(usize, Vec<&T>)> {
        let mut key = String::new();
        let mut best = None;
        let max = self.max_tokens.min(end.saturating_sub(i));
        for n in 1..=max {
            let before = key.len();
            extend_key(&mut key, tokens[i + n - 1].span.slice(text));
            if key.is_empty() {
                return None;
            }
            if !self.prefixes.contains(&key) {
                break;
            }
            // A dash or quote adds nothing: it may sit inside a name, never end one.
            if key.len() == before {
                continue;
            }
            let Some(targets) = self.names.get(&key) else { continue };
            let surface = || {
                tokens[i..i + n]
                    .iter()
                    .map(|t| t.span.slice(text).replace(['’', '‘'], "'"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let values: Vec<&T> = targets
                .iter()
                .filter(|t| t.exact.as_ref().is_none_or(|e| *e == surface()))
                .filter(|t| t.exact.is_some() || accept(i, i + n))
                .map(|t| &t.value)
                .collect();
            if !values.is_empty() {
                best = Some((n, values));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sway_core::Span;

    #[test]
    fn variants_share_a_key() {
        let k = phrase_key("Kata'ib Hezbollah");
        assert_eq!(k, "kataib hezbollah");
        assert_eq!(phrase_key("Katai’b Hezbollah"), "kataib hezbollah");
        assert_eq!(phrase_key("Kataib Hezbollah"), k);
        assert_eq!(phrase_key("al-Kadhimi"), phrase_key("Al Kadhimi"));
        assert_eq!(phrase_key("Qāsem Soleimānī"), "qasem soleimani");
        assert_eq!(
            phrase_key("Islamic Revolutionary Guard Corps – Qods Force"),
            "islamic revolutionary guard corps qods force"
        );
    }

    #[test]
    fn longest_match_and_exact_acronyms() {
        let mut ix = NameIndex::default();
        ix.insert("Hezbollah", 1);
        ix.insert("Kata'ib Hezbollah", 2);
        ix.insert("KH", 3);
        let text = "Katai’b Hezbollah and Kh and KH and hezbollah";
        let toks = sway_syntax::tokenize(text, Span::new(0, text.len()));
        let all = |_: usize, _: usize| true;
        let (n, v) = ix.longest(text, &toks, 0, toks.len(), all).unwrap();
        assert_eq!((n, *v[0]), (2, 2));
        assert!(ix.longest(text, &toks, 3, toks.len(), all).is_none(), "acronyms match exactly");
        assert_eq!(*ix.longest(text, &toks, 5, toks.len(), all).unwrap().1[0], 3);
        assert_eq!(*ix.longest(text, &toks, 7, toks.len(), all).unwrap().1[0], 1);
        assert!(ix.longest(text, &toks, 7, toks.len(), |_, _| false).is_none());
    }
}
