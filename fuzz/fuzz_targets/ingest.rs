//! Reading any bytes as HTML, text or JSONL: never panics; a document it returns has
//! blocks inside its text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sway_core::InputFormat;
use sway_ingest::{read_bytes, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let (name, format) = match pick % 3 {
        0 => ("fuzz.html", InputFormat::Html),
        1 => ("fuzz.txt", InputFormat::Text),
        _ => ("fuzz.jsonl", InputFormat::Jsonl),
    };
    let opts = ReadOptions { format: Some(format), ..ReadOptions::default() };
    for doc in read_bytes(name, bytes, &opts).into_iter().flatten() {
        for b in &doc.blocks {
            assert!(doc.text.get(b.span.start..b.span.end).is_some(), "{b:?}");
        }
    }
});
