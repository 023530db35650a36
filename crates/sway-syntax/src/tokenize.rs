use std::ops::Range;

use sway_core::{Span, Token};

/// Abbreviations that keep their period.
const ABBREVIATIONS: &[&str] = &[
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Prof.",
    "Sr.",
    "Jr.",
    "St.",
    "Gen.",
    "Lt.",
    "Col.",
    "Maj.",
    "Capt.",
    "Cmdr.",
    "Adm.",
    "Sgt.",
    "Cpl.",
    "Pvt.",
    "Gov.",
    "Sen.",
    "Rep.",
    "Rev.",
    "Sec.",
    "Pres.",
    "Amb.",
    "Hon.",
    "Insp.",
    "Supt.",
    "Brig.",
    "Lt.-Gen.",
    "Maj.-Gen.",
    "No.",
    "Nos.",
    "Vol.",
    "vs.",
    "v.",
    "etc.",
    "e.g.",
    "i.e.",
    "cf.",
    "al.",
    "approx.",
    "est.",
    "Inc.",
    "Corp.",
    "Ltd.",
    "Co.",
    "Bros.",
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "Jun.",
    "Jul.",
    "Aug.",
    "Sep.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Mon.",
    "Tue.",
    "Tues.",
    "Wed.",
    "Thu.",
    "Thur.",
    "Thurs.",
    "Fri.",
    "Sat.",
    "Sun.",
    "Ave.",
    "Blvd.",
    "Rd.",
    "Mt.",
    "Ft.",
    "a.m.",
    "p.m.",
    "Ph.D.",
    "U.S.",
    "U.K.",
    "U.N.",
    "E.U.",
    "D.C.",
    "U.S.A.",
    "U.A.E.",
];

/// Abbreviations that are never the last word of a sentence: a title or a month
/// before a number.
const NEVER_FINAL: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Cmdr.", "Adm.", "Sgt.", "Cpl.",
    "Pvt.", "Gov.", "Sen.", "Rep.", "Rev.", "Sec.", "Pres.", "Amb.", "Hon.", "Brig.", "No.", "Nos.", "St.", "Mt.",
    "Ft.", "vs.", "v.", "e.g.", "i.e.", "cf.",
];

const CLITICS: &[&str] =
    &["n't", "n’t", "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m", "s'", "s’"];

/// Whether a token is a clitic the tokenizer splits off a word ("n't", "'s", "’ll").
pub fn is_clitic(token: &str) -> bool {
    let lower = token.to_lowercase();
    CLITICS.iter().any(|c| !c.starts_with('s') && *c == lower)
}

fn is_open_punct(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '{' | '«' | '$' | '£' | '€' | '¥' | '#' | '¿' | '¡' | '•' | '▪')
}

fn is_close_punct(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '}' | '»' | '.' | ',' | ';' | ':' | '!' | '?' | '…' | '%')
}

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '―')
}

/// "U.S.", "e.g.", "D.C.": letters each followed by a period.
fn is_initialism(w: &str) -> bool {
    let mut chars = w.chars().peekable();
    let mut n = 0;
    while let Some(c) = chars.next() {
        if !c.is_alphabetic() || chars.next() != Some('.') {
            return false;
        }
        n += 1;
    }
    n >= 1
}

/// US state abbreviations in AP style, which news writes after a town ("Alexandria, La.").
const STATE_ABBREVIATIONS: &[&str] = &[
    "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ill.", "Ind.", "Kan.", "Kans.", "Ky.",
    "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Neb.", "Nebr.", "Nev.", "Okla.", "Ore.", "Pa.",
    "Tenn.", "Tex.", "Vt.", "Va.", "Wash.", "W.Va.", "Wis.", "Wyo.", "Mt.", "Ft.",
];

fn keeps_period(w: &str) -> bool {
    ABBREVIATIONS.contains(&w) || STATE_ABBREVIATIONS.contains(&w) || is_initialism(w)
}

/// Tokenize the text inside `span`. Tokens never cross whitespace and every token's
/// span is a non-empty slice of `text` on char boundaries.
pub fn tokenize(text: &str, span: Span) -> Vec<Token> {
    let mut out = Vec::new();
    let region = &text[span.start..span.end];
    let mut i = 0;
    for chunk in region.split(|c: char| c.is_whitespace()) {
        let start = span.start + i;
        i += chunk.len() + region[i + chunk.len()..].chars().next().map_or(0, char::len_utf8);
        if !chunk.is_empty() {
            split_chunk(text, start, start + chunk.len(), &mut out);
        }
    }
    out
}

fn push(out: &mut Vec<Token>, s: usize, e: usize) {
    if s < e {
        out.push(Token { span: Span::new(s, e) });
    }
}

/// Split one whitespace-free chunk into tokens.
fn split_chunk(text: &str, mut s: usize, mut e: usize, out: &mut Vec<Token>) {
    // Dashes inside a chunk separate words ("militia–the").
    if let Some((pos, c)) =
        text[s..e].char_indices().find(|&(p, c)| is_dash(c) || (c == '-' && text[s + p..e].starts_with("--")))
    {
        let width = if c == '-' { 2 } else { c.len_utf8() };
        split_chunk(text, s, s + pos, out);
        push(out, s + pos, s + pos + width);
        split_chunk(text, s + pos + width, e, out);
        return;
    }
    // Leading punctuation, one token each.
    while s < e {
        let c = text[s..e].chars().next().unwrap_or(' ');
        // Wire copy opens quotes with two backticks (``Today, ...).
        if text[s..e].starts_with("``") && e - s > 2 {
            push(out, s, s + 2);
            s += 2;
            continue;
        }
        if is_open_punct(c) && (e - s > c.len_utf8() || !c.is_alphanumeric()) {
            push(out, s, s + c.len_utf8());
            s += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation, collected right to left.
    let mut tail = Vec::new();
    loop {
        if s >= e {
            break;
        }
        let w = &text[s..e];
        let c = w.chars().next_back().unwrap_or(' ');
        if c == '.' {
            if keeps_period(w) {
                break;
            }
            // ".." and "..." as one token.
            let dots = w.len() - w.trim_end_matches('.').len();
            let n = if dots >= 2 { dots } else { 1 };
            tail.push((e - n, e));
            e -= n;
            continue;
        }
        if matches!(c, '!' | '?') {
            // "!!", "?!": a run of marks is one token.
            let run = w.len() - w.trim_end_matches(['!', '?']).len();
            tail.push((e - run, e));
            e -= run;
            continue;
        }
        if is_close_punct(c) {
            // An apostrophe closing a plural possessive ("militias’") is a clitic, below.
            if matches!(c, '\'' | '’')
                && w.len() > 1
                && w[..w.len() - c.len_utf8()].ends_with('s')
                && !w.starts_with(['\'', '‘'])
            {
                tail.push((e - c.len_utf8(), e));
                e -= c.len_utf8();
                break;
            }
            tail.push((e - c.len_utf8(), e));
            e -= c.len_utf8();
            continue;
        }
        break;
    }
    // Clitics: "Iran's" -> "Iran" "'s", "didn't" -> "did" "n't".
    if s < e {
        let w = &text[s..e];
        let lower = w.to_lowercase();
        if let Some(cl) =
            CLITICS.iter().find(|cl| !cl.starts_with('s') && lower.ends_with(**cl) && lower.len() > cl.len())
        {
            let cut = e - cl.len();
            if text.is_char_boundary(cut) {
                push(out, s, cut);
                push(out, cut, e);
                s = e;
            }
        }
    }
    push(out, s, e);
    for (a, b) in tail.into_iter().rev() {
        push(out, a, b);
    }
}

/// Group a block's tokens into sentences; returns index ranges into `tokens`.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let word = |i: usize| tokens[i].span.slice(text);
    let mut i = 0;
    while i < tokens.len() {
        let w = word(i);
        let terminal = (!w.is_empty() && w.chars().all(|c| matches!(c, '.' | '!' | '?' | '…')))
            || (w.ends_with('.') && keeps_period(w) && !NEVER_FINAL.contains(&w));
        if terminal {
            let mut end = i + 1;
            // Closing quotes and brackets belong to the sentence they close.
            while end < tokens.len() && matches!(word(end), "\"" | "”" | "’" | "'" | ")" | "]" | "»") {
                end += 1;
            }
            let next = (end < tokens.len()).then(|| word(end));
            let breaks = match next {
                None => true,
                Some(n) => {
                    let first = n.chars().next().unwrap_or(' ');
                    let starts_sentence = first.is_uppercase()
                        || first.is_numeric()
                        || matches!(first, '"' | '“' | '‘' | '(' | '[' | '•');
                    if w.len() > 1 && w.ends_with('.') {
                        // "in the U.S. The next day": an abbreviation ends a sentence only
                        // before a word that usually starts one.
                        starts_sentence && is_sentence_opener(n)
                    } else {
                        starts_sentence
                    }
                }
            };
            if breaks {
                out.push(start..end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

fn is_sentence_opener(w: &str) -> bool {
    const OPENERS: &[&str] = &[
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "But",
        "And",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "This",
        "That",
        "These",
        "Those",
        "Its",
        "His",
        "Her",
        "Their",
        "Our",
        "There",
        "Yet",
        "However",
        "Also",
        "Meanwhile",
        "After",
        "Before",
        "When",
        "While",
        "Since",
        "As",
        "If",
        "For",
        "So",
        "Still",
        "Some",
        "Many",
        "Most",
        "No",
        "Officials",
        "Other",
    ];
    OPENERS.contains(&w) || w.starts_with(['"', '“'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text, Span::new(0, text.len())).iter().map(|t| t.span.slice(text)).collect()
    }

    #[test]
    fn news_tokens() {
        assert_eq!(toks("U.S.-Iran battle"), ["U.S.-Iran", "battle"]);
        assert_eq!(toks("Iran’s revered commander,"), ["Iran", "’s", "revered", "commander", ","]);
        assert_eq!(toks("the militias’ proposals"), ["the", "militias", "’", "proposals"]);
        assert_eq!(toks("($5 billion)"), ["(", "$", "5", "billion", ")"]);
        assert_eq!(toks("from 5,200 to about 3,000."), ["from", "5,200", "to", "about", "3,000", "."]);
        assert_eq!(toks("‘endless wars.’"), ["‘", "endless", "wars", ".", "’"]);
        assert_eq!(
            toks("militia – the IRGC-QF’s main proxy"),
            ["militia", "–", "the", "IRGC-QF", "’s", "main", "proxy"]
        );
        assert_eq!(toks("Gen. Soleimani didn't"), ["Gen.", "Soleimani", "did", "n't"]);
        assert_eq!(toks("Alexandria, La., said"), ["Alexandria", ",", "La.", ",", "said"]);
        assert_eq!(toks("al-Kadhimi"), ["al-Kadhimi"]);
        assert_eq!(toks("Wait..."), ["Wait", "..."]);
        assert_eq!(toks("Wow!! Really?! Hmm.."), ["Wow", "!!", "Really", "?!", "Hmm", ".."]);
    }

    fn sents(text: &str) -> Vec<String> {
        let t = tokenize(text, Span::new(0, text.len()));
        split_sentences(text, &t)
            .into_iter()
            .map(|r| text[t[r.start].span.start..t[r.end - 1].span.end].to_string())
            .collect()
    }

    #[test]
    fn sentence_boundaries() {
        assert_eq!(sents("He left. She stayed."), ["He left.", "She stayed."]);
        assert_eq!(sents("Great!! See you.."), ["Great!!", "See you.."]);
        assert_eq!(
            sents("Gen. Smith met Mr. Jones in Oct. 2020 in the U.S. capital."),
            ["Gen. Smith met Mr. Jones in Oct. 2020 in the U.S. capital."]
        );
        assert_eq!(sents("Troops left the U.S. The talks failed."), ["Troops left the U.S.", "The talks failed."]);
        assert_eq!(sents("He said “no.” Then he left"), ["He said “no.”", "Then he left"]);
        assert_eq!(sents("A headline without a period"), ["A headline without a period"]);
    }

    #[test]
    fn offsets_always_round_trip() {
        let text = "  Kata’ib Hezbollah (KAH)—the group’s “conditional” ceasefire… 5,200→3,000!  ";
        let t = tokenize(text, Span::new(0, text.len()));
        assert!(!t.is_empty());
        for w in &t {
            assert!(!w.span.is_empty());
            assert!(!w.span.slice(text).contains(char::is_whitespace));
        }
        let joined: String = t.iter().map(|w| w.span.slice(text)).collect();
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(joined, squeezed, "tokens must cover every non-space character once");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn tokens_cover_the_text_once(text in "(\\PC|[ .,'’\"()$€-]){0,80}") {
            let toks = tokenize(&text, Span::new(0, text.len()));
            let mut last = 0;
            for t in &toks {
                prop_assert!(t.span.start >= last && t.span.end > t.span.start);
                prop_assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
                prop_assert!(!t.span.slice(&text).contains(char::is_whitespace));
                last = t.span.end;
            }
            let joined: String = toks.iter().map(|t| t.span.slice(&text)).collect();
            let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(joined, squeezed);
            let sents = split_sentences(&text, &toks);
            prop_assert_eq!(sents.iter().map(|r| r.len()).sum::<usize>(), toks.len());
        }
    }
}
