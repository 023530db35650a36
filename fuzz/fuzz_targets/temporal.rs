//! Temporal expressions over any text: never panic; every span is a slice of the text
//! on char boundaries; every date range runs forwards.
#![no_main]
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use sway_core::Span;
use sway_extract::time;

fuzz_target!(|data: &[u8]| {
    // The first two bytes pick a published date between 1900 and about 2079.
    let (days, rest) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => return,
    };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let published = NaiveDate::from_ymd_opt(1900, 1, 1).map(|d| d + chrono::Duration::days(i64::from(days)));
    let tokens = sway_syntax::tokenize(text, Span::new(0, text.len()));
    let sentences = sway_syntax::split_sentences(text, &tokens);
    let mentions: Vec<time::TimeMention> =
        sentences.iter().enumerate().flat_map(|(i, r)| time::find(text, &tokens, r.clone(), i)).collect();
    for m in &mentions {
        assert!(text.get(m.span.start..m.span.end).is_some(), "{m:?}");
    }
    for p in [published, None] {
        let (anchor, inferred) = time::reference(p, &mentions).map_or((None, false), |(a, i)| (Some(a), i));
        for n in time::normalize_all(&mentions, anchor, inferred).into_iter().flatten() {
            if let Some((a, b)) = n.range {
                assert!(a <= b, "{n:?}");
            }
        }
    }
});
