//! A published date from any string: never panics, and a date it returns reads back
//! as itself when written in ISO form.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    if let Some(d) = sway_ingest::parse_published(&s) {
        assert_eq!(sway_ingest::parse_published(&d.format("%Y-%m-%d").to_string()), Some(d), "{s:?}");
    }
});
