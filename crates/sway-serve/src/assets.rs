//! The page and its files, compiled into the binary from `assets/` (built from
//! `web/` by `npm run build`; a test checks the bundle matches its sources). A
//! request can only name one of these entries: there is no file system behind them.

const FILES: &[(&str, &str, &[u8])] = &[
    ("/", "text/html; charset=utf-8", include_bytes!("../assets/index.html")),
    ("/index.html", "text/html; charset=utf-8", include_bytes!("../assets/index.html")),
    ("/app.js", "text/javascript; charset=utf-8", include_bytes!("../assets/app.js")),
    ("/app.css", "text/css; charset=utf-8", include_bytes!("../assets/app.css")),
    ("/world.json", "application/json", include_bytes!("../assets/world.json")),
];

/// The content type and bytes of the file at `path`, if the page has one there.
pub fn get(path: &str) -> Option<(&'static str, &'static [u8])> {
    FILES.iter().find(|(p, _, _)| *p == path).map(|(_, mime, bytes)| (*mime, *bytes))
}
