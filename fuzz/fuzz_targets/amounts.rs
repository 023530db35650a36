//! Amounts over any text: never panic, and every amount's span is a slice of the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sway_core::Span;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let tokens = sway_syntax::tokenize(text, Span::new(0, text.len()));
    for r in sway_syntax::split_sentences(text, &tokens) {
        for a in sway_extract::amounts::find(text, &tokens, r, &[], &[]) {
            assert!(text.get(a.span.start..a.span.end).is_some(), "{a:?}");
        }
    }
});
