//! # sway-ingest
//!
//! Reads documents from disk or stdin into [`sway_core::Document`]s: plain text, HTML,
//! PDF (its text layer) and JSONL (one document a line). Each document is cut into
//! typed blocks (title, takeaways, headings, paragraphs, captions, boilerplate), gets
//! its metadata (title, published date, site, language) and a content-hash id.
//!
//! Bad input never panics and never stops a batch: each input yields a list of
//! results, and every [`IngestError`] names the file (and line, for JSONL).
//!
//! ```
//! use sway_ingest::{read_bytes, ReadOptions};
//! let docs = read_bytes("brief.txt", b"A Title\n\nFirst paragraph of the body.\n", &ReadOptions::default());
//! let doc = docs.into_iter().next().unwrap().unwrap();
//! assert_eq!(doc.title.as_deref(), Some("A Title"));
//! ```

mod blocks;
mod dates;
mod decode;
mod html;

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;
use sway_core::{Block, BlockKind, Document, InputFormat, Span};

use crate::blocks::{classify, plain_units, Hint, Unit};
pub use crate::dates::parse_published;

/// The default cap on an input's size: 32 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 32 * 1024 * 1024;

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Inputs larger than this are refused.
    pub max_bytes: u64,
    /// Force a format instead of detecting it.
    pub format: Option<InputFormat>,
    /// Publication date for documents that do not carry their own.
    pub published: Option<NaiveDate>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self { max_bytes: DEFAULT_MAX_BYTES, format: None, published: None }
    }
}

/// Why an input (or one line of it) could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct IngestError {
    /// The file, with `:line` for a JSONL line.
    pub path: String,
    pub kind: ErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("is a directory")]
    Directory,
    #[error("empty file")]
    Empty,
    #[error("no text to analyze")]
    NoText,
    #[error("binary file: not text, HTML, PDF or JSONL")]
    Binary,
    #[error("{size} bytes is over the {limit}-byte limit (raise it with --max-bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("PDF has no text layer (a scanned image?): run OCR first")]
    PdfNoText,
    #[error("unreadable PDF: {0}")]
    Pdf(String),
    #[error("malformed JSONL line: {0}")]
    JsonLine(String),
}

fn err(path: &str, kind: ErrorKind) -> IngestError {
    IngestError { path: path.to_string(), kind }
}

/// Read one path. A JSONL file gives one result per non-empty line.
pub fn read_path(path: &Path, opts: &ReadOptions) -> Vec<Result<Document, IngestError>> {
    let mut out = Vec::new();
    read_path_each(path, opts, &mut |r| {
        out.push(r);
        true
    });
    out
}

/// Read one path, handing each document (or error) to `each` as it is read; `each`
/// returns false to stop. A JSONL file (by extension, or a forced format) is streamed
/// line by line with the size limit applying to each line; any other file is read
/// whole, up to the limit.
pub fn read_path_each(path: &Path, opts: &ReadOptions, each: &mut dyn FnMut(Result<Document, IngestError>) -> bool) {
    let name = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            each(Err(err(&name, ErrorKind::Io(e))));
            return;
        }
    };
    if meta.is_dir() {
        each(Err(err(&name, ErrorKind::Directory)));
        return;
    }
    let jsonl =
        opts.format.map_or_else(|| detect_format(&name, b"") == InputFormat::Jsonl, |f| f == InputFormat::Jsonl);
    if !jsonl && meta.len() > opts.max_bytes {
        each(Err(err(&name, ErrorKind::TooLarge { size: meta.len(), limit: opts.max_bytes })));
        return;
    }
    let io = |e: std::io::Error| err(&name, ErrorKind::Io(e));
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            each(Err(io(e)));
            return;
        }
    };
    if jsonl {
        use std::io::Seek;
        let mut head = [0u8; 2];
        let utf16 = match f.read(&mut head).and_then(|n| f.rewind().map(|()| n)) {
            Ok(n) => n == 2 && matches!(head, [0xFF, 0xFE] | [0xFE, 0xFF]),
            Err(e) => {
                each(Err(io(e)));
                return;
            }
        };
        if !utf16 {
            stream_jsonl(&name, f, opts, each);
            return;
        }
        // UTF-16 JSONL is rare: read it whole (bounded by the limit) and decode it once.
        if meta.len() > opts.max_bytes {
            each(Err(err(&name, ErrorKind::TooLarge { size: meta.len(), limit: opts.max_bytes })));
            return;
        }
    }
    // Read at most one byte past the limit, in case the file grew since `metadata`.
    let mut bytes = Vec::with_capacity(meta.len().min(opts.max_bytes + 1) as usize);
    if let Err(e) = f.take(opts.max_bytes + 1).read_to_end(&mut bytes) {
        each(Err(io(e)));
        return;
    }
    for r in read_bytes(&name, &bytes, opts) {
        if !each(r) {
            return;
        }
    }
}

/// Read standard input (named `-`), up to the size limit.
pub fn read_stdin(opts: &ReadOptions) -> Vec<Result<Document, IngestError>> {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().take(opts.max_bytes + 1).read_to_end(&mut bytes) {
        return vec![Err(err("-", ErrorKind::Io(e)))];
    }
    read_bytes("-", &bytes, opts)
}

/// Read an input's bytes; `name` is used for errors, for the document's `source`, and
/// for its extension when detecting the format.
pub fn read_bytes(name: &str, bytes: &[u8], opts: &ReadOptions) -> Vec<Result<Document, IngestError>> {
    if bytes.len() as u64 > opts.max_bytes {
        return vec![Err(err(name, ErrorKind::TooLarge { size: bytes.len() as u64, limit: opts.max_bytes }))];
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return vec![Err(err(name, ErrorKind::Empty))];
    }
    let format = opts.format.unwrap_or_else(|| detect_format(name, bytes));
    if format == InputFormat::Pdf {
        return vec![read_pdf(name, bytes, opts)];
    }
    if decode::looks_binary(bytes) {
        return vec![Err(err(name, ErrorKind::Binary))];
    }
    match format {
        InputFormat::Jsonl => read_jsonl(name, bytes, opts),
        InputFormat::Html => {
            let charset = decode::html_declared_charset(bytes);
            let d = decode::decode(bytes, charset.as_deref());
            vec![html_document(name, &d.text, d.warning, opts)]
        }
        InputFormat::Text | InputFormat::Pdf => {
            let d = decode::decode(bytes, None);
            vec![text_document(name, InputFormat::Text, d.text, d.warning.into_iter().collect(), opts)]
        }
    }
}

/// Guess the format from the extension and the first bytes.
pub fn detect_format(name: &str, bytes: &[u8]) -> InputFormat {
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).unwrap_or_default();
    if bytes.starts_with(b"%PDF-") || ext == "pdf" {
        return InputFormat::Pdf;
    }
    if matches!(ext.as_str(), "jsonl" | "ndjson") {
        return InputFormat::Jsonl;
    }
    if matches!(ext.as_str(), "html" | "htm" | "xhtml" | "shtml") {
        return InputFormat::Html;
    }
    if matches!(ext.as_str(), "txt" | "text" | "md") {
        return InputFormat::Text;
    }
    let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<head")
        || head.contains("<body")
    {
        InputFormat::Html
    } else {
        InputFormat::Text
    }
}

fn text_document(
    name: &str,
    format: InputFormat,
    text: String,
    warnings: Vec<String>,
    opts: &ReadOptions,
) -> Result<Document, IngestError> {
    let units = plain_units(&text);
    let blocks = classify(&text, &units, None);
    let title = blocks.iter().find(|b| b.kind == BlockKind::Title).map(|b| b.span.slice(&text).trim().to_string());
    finish(name, format, text, blocks, Meta { title, published: opts.published, ..Meta::default() }, warnings)
}

fn html_document(name: &str, html: &str, warning: Option<String>, opts: &ReadOptions) -> Result<Document, IngestError> {
    let page = html::read_html(html);
    let mut warnings: Vec<String> = warning.into_iter().collect();
    warnings.extend(page.warnings.iter().cloned());
    let mut units_text = page.units;
    // Make sure the title is in the text, as the first block, when the page has one
    // that its body does not repeat.
    if let Some(t) = &page.title {
        let want = blocks::collapse(t);
        let present = units_text.iter().take(8).any(|(u, h)| {
            *h != Hint::Boilerplate
                && (blocks::collapse(u) == want
                    || (matches!(h, Hint::Heading(1)) && want.contains(&blocks::collapse(u))))
        });
        if !present {
            units_text.insert(0, (t.clone(), Hint::Heading(1)));
        }
    }
    let mut text = String::new();
    let mut units = Vec::with_capacity(units_text.len());
    for (t, hint) in &units_text {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(t);
        units.push(Unit { span: Span::new(start, text.len()), hint: *hint });
    }
    let blocks = classify(&text, &units, page.title.as_deref());
    let title = blocks
        .iter()
        .find(|b| b.kind == BlockKind::Title)
        .map(|b| b.span.slice(&text).to_string())
        .or(page.title.clone());
    let published = match page.published.as_deref() {
        Some(p) => match parse_published(p) {
            Some(d) => Some(d),
            None => {
                warnings.push(format!("published date {p:?} not understood: ignored"));
                opts.published
            }
        },
        None => opts.published,
    };
    let meta = Meta {
        title,
        published,
        site_name: page.site_name,
        author: page.byline,
        url: page.url,
        declared_lang: page.lang,
        input_id: None,
    };
    finish(name, InputFormat::Html, text, blocks, meta, warnings)
}

fn read_pdf(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Document, IngestError> {
    // pdf-extract panics on some malformed files; a bad PDF must not take the batch down.
    let extracted = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    let text = match extracted {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => return Err(err(name, ErrorKind::Pdf(e.to_string()))),
        Err(_) => return Err(err(name, ErrorKind::Pdf("the PDF reader failed on this file".into()))),
    };
    if text.trim().is_empty() {
        return Err(err(name, ErrorKind::PdfNoText));
    }
    text_document(name, InputFormat::Pdf, text, Vec::new(), opts)
}

#[derive(serde::Deserialize)]
struct JsonlRecord {
    text: Option<String>,
    id: Option<serde_json::Value>,
    title: Option<String>,
    url: Option<String>,
    published: Option<String>,
    author: Option<String>,
}

fn read_jsonl(name: &str, bytes: &[u8], opts: &ReadOptions) -> Vec<Result<Document, IngestError>> {
    let d = decode::decode(bytes, None);
    let mut out: Vec<_> = d
        .text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| jsonl_line(&format!("{name}:{}", i + 1), line, d.warning.as_deref(), opts))
        .collect();
    if out.is_empty() {
        out.push(Err(err(name, ErrorKind::Empty)));
    }
    out
}

/// Stream a JSONL file line by line, so a backfill file of any size is read in
/// bounded memory: the size limit applies to each line (one document), not the file.
/// `each` returns false to stop early.
fn stream_jsonl(
    name: &str,
    file: std::fs::File,
    opts: &ReadOptions,
    each: &mut dyn FnMut(Result<Document, IngestError>) -> bool,
) {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::new();
    let (mut line_no, mut any) = (0usize, false);
    loop {
        buf.clear();
        line_no += 1;
        let at = format!("{name}:{line_no}");
        let read = (&mut reader).take(opts.max_bytes + 1).read_until(b'\n', &mut buf);
        match read {
            Err(e) => {
                each(Err(err(&at, ErrorKind::Io(e))));
                return;
            }
            Ok(0) => break,
            Ok(_) => {}
        }
        if buf.len() as u64 > opts.max_bytes && buf.last() != Some(&b'\n') {
            // Skip the rest of the over-long line; the next line is the next document.
            let mut skipped = buf.len() as u64;
            loop {
                buf.clear();
                match (&mut reader).take(1 << 20).read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => skipped += n as u64,
                }
                if buf.last() == Some(&b'\n') {
                    break;
                }
            }
            any = true;
            if !each(Err(err(&at, ErrorKind::TooLarge { size: skipped, limit: opts.max_bytes }))) {
                return;
            }
            continue;
        }
        if line_no == 1 && decode::looks_binary(&buf) {
            each(Err(err(name, ErrorKind::Binary)));
            return;
        }
        let bytes = if line_no == 1 { buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf) } else { &buf[..] };
        let d = decode::decode(bytes, None);
        let line = d.text.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        any = true;
        if !each(jsonl_line(&at, line, d.warning.as_deref(), opts)) {
            return;
        }
    }
    if !any {
        each(Err(err(name, ErrorKind::Empty)));
    }
}

/// One JSONL line as a document; `at` is `file:line`.
fn jsonl_line(at: &str, line: &str, warning: Option<&str>, opts: &ReadOptions) -> Result<Document, IngestError> {
    let rec: JsonlRecord = serde_json::from_str(line).map_err(|e| err(at, ErrorKind::JsonLine(e.to_string())))?;
    let Some(text) = rec.text.filter(|t| !t.trim().is_empty()) else {
        return Err(err(at, ErrorKind::JsonLine("no \"text\" field, or it is empty".into())));
    };
    let mut warnings: Vec<String> = warning.map(str::to_string).into_iter().collect();
    let published = match rec.published.as_deref() {
        Some(p) => parse_published(p).or_else(|| {
            warnings.push(format!("published date {p:?} not understood: ignored"));
            opts.published
        }),
        None => opts.published,
    };
    let input_id = rec.id.map(|v| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    });
    let units = plain_units(&text);
    let blocks = classify(&text, &units, rec.title.as_deref());
    let title = rec
        .title
        .or_else(|| blocks.iter().find(|b| b.kind == BlockKind::Title).map(|b| b.span.slice(&text).trim().to_string()));
    let meta = Meta { title, published, url: rec.url, input_id, author: rec.author, ..Meta::default() };
    finish(at, InputFormat::Jsonl, text, blocks, meta, warnings)
}

#[derive(Default)]
struct Meta {
    title: Option<String>,
    published: Option<NaiveDate>,
    site_name: Option<String>,
    author: Option<String>,
    url: Option<String>,
    declared_lang: Option<String>,
    input_id: Option<String>,
}

fn finish(
    name: &str,
    format: InputFormat,
    text: String,
    blocks: Vec<Block>,
    meta: Meta,
    warnings: Vec<String>,
) -> Result<Document, IngestError> {
    if !blocks.iter().any(|b| b.kind.is_analyzed()) {
        return Err(err(name, ErrorKind::NoText));
    }
    let doc_id = doc_id(&text, &blocks);
    let language = detect_language(&text, &blocks).or_else(|| {
        meta.declared_lang.as_deref().map(|l| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase())
    });
    Ok(Document {
        doc_id,
        input_id: meta.input_id,
        source: name.to_string(),
        format,
        title: meta.title,
        url: meta.url,
        published: meta.published,
        site_name: meta.site_name,
        author: meta.author,
        language,
        text,
        blocks,
        warnings,
    })
}

/// The content hash that identifies a document: BLAKE3 over the NFC-normalized,
/// whitespace-collapsed text of its analyzed blocks, so the same article read from
/// a text file and from its web page (with other furniture) is one document.
pub fn doc_id(text: &str, blocks: &[Block]) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut h = blake3::Hasher::new();
    let mut first = true;
    for b in blocks.iter().filter(|b| b.kind.is_analyzed()) {
        for w in b.span.slice(text).split_whitespace() {
            if !first {
                h.update(b" ");
            }
            first = false;
            let n: String = w.nfc().collect();
            h.update(n.as_bytes());
        }
    }
    h.finalize().to_hex()[..32].to_string()
}

/// ISO 639-1 code of the text's language, when the detector is confident.
fn detect_language(text: &str, blocks: &[Block]) -> Option<String> {
    let mut sample = String::new();
    for b in blocks.iter().filter(|b| b.kind.is_analyzed()) {
        sample.push_str(b.span.slice(text));
        sample.push('\n');
        if sample.len() > 4000 {
            break;
        }
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    Some(iso639_1(info.lang()).to_string())
}

fn iso639_1(l: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match l {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Rus => "ru",
        Ukr => "uk",
        Ara => "ar",
        Pes => "fa",
        Tur => "tr",
        Heb => "he",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Nld => "nl",
        Pol => "pl",
        Hin => "hi",
        Urd => "ur",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Ces => "cs",
        Ell => "el",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Srp => "sr",
        Hrv => "hr",
        Ind => "id",
        Vie => "vi",
        Tha => "th",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(name: &str, bytes: &[u8]) -> Result<Document, IngestError> {
        read_bytes(name, bytes, &ReadOptions::default())
            .into_iter()
            .next()
            .unwrap_or_else(|| Err(err(name, ErrorKind::Empty)))
    }

    const BODY: &str = "Negotiators from both countries met in Geneva on Monday for the first time in a year, officials said. They agreed to meet again within weeks, and to exchange prisoners before the next round.";

    #[test]
    fn same_text_same_id_whatever_the_spacing() {
        let a = one("a.txt", format!("Talks Resume\n\n{BODY}\n").as_bytes()).unwrap();
        let b = one("b.txt", format!("Talks   Resume\r\n\r\n{}\r\n", BODY.replace(". ", ".\n")).as_bytes()).unwrap();
        assert_eq!(a.doc_id, b.doc_id);
        assert_eq!(a.doc_id.len(), 32);
        assert_eq!(a.language.as_deref(), Some("en"));
    }

    #[test]
    fn bad_inputs_name_the_file() {
        for (name, bytes, want) in [
            ("empty.txt", &b""[..], "empty file"),
            ("blank.txt", &b"  \n\n "[..], "empty file"),
            ("bin.dat", &b"\x00\x01\x02ELF\x00\x00"[..], "binary file"),
            ("scan.pdf", &b"%PDF-1.4\n%%EOF\n"[..], "PDF"),
        ] {
            let e = one(name, bytes).unwrap_err();
            let msg = e.to_string();
            assert!(msg.starts_with(name) && msg.contains(want), "{msg}");
        }
    }

    #[test]
    fn size_limit() {
        let opts = ReadOptions { max_bytes: 10, ..ReadOptions::default() };
        let r = read_bytes("big.txt", &[b'a'; 11], &opts);
        assert!(matches!(r[0], Err(IngestError { kind: ErrorKind::TooLarge { size: 11, limit: 10 }, .. })));
    }

    #[test]
    fn jsonl_lines_are_documents_and_bad_lines_are_named() {
        let src = format!(
            "{{\"id\": 7, \"title\": \"Talks Resume\", \"author\": \"J. Doe\", \"text\": \"{BODY}\", \"published\": \"2021-03-04\"}}\n\nnot json\n{{\"title\": \"no text\"}}\n{{\"text\": \"{BODY} Again.\", \"published\": \"someday\"}}\n"
        );
        let r = read_bytes("feed.jsonl", src.as_bytes(), &ReadOptions::default());
        assert_eq!(r.len(), 4);
        let d = r[0].as_ref().unwrap();
        assert_eq!(d.input_id.as_deref(), Some("7"));
        assert_eq!(d.published, NaiveDate::from_ymd_opt(2021, 3, 4));
        assert_eq!(d.source, "feed.jsonl:1");
        assert_eq!(d.author.as_deref(), Some("J. Doe"));
        assert!(r[1].as_ref().unwrap_err().to_string().starts_with("feed.jsonl:3: malformed JSONL line"));
        assert!(r[2].as_ref().unwrap_err().to_string().starts_with("feed.jsonl:4: malformed JSONL line: no \"text\""));
        let last = r[3].as_ref().unwrap();
        assert!(last.warnings.iter().any(|w| w.contains("someday")));
        assert_eq!(last.published, None);
    }

    #[test]
    fn a_jsonl_file_streams_with_the_limit_on_each_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backfill.jsonl");
        let line = format!("{{\"text\": \"{BODY}\"}}\n");
        let long = format!("{{\"text\": \"{}\"}}\n", "word ".repeat(200));
        // A BOM, 40 short lines, one over-long line, then more short lines.
        let mut src = String::from("\u{feff}");
        src.push_str(&line.repeat(40));
        src.push_str(&long);
        src.push_str(&line.repeat(3));
        std::fs::write(&path, &src).unwrap();
        let opts = ReadOptions { max_bytes: line.len() as u64 + 8, ..ReadOptions::default() };
        assert!(src.len() as u64 > 10 * opts.max_bytes, "the file is far over the limit");
        let r = read_path(&path, &opts);
        assert_eq!(r.len(), 44);
        assert!(r[..40].iter().all(Result::is_ok));
        assert_eq!(r[0].as_ref().unwrap().text, BODY, "the byte order mark is not text");
        let e = r[40].as_ref().unwrap_err();
        assert!(e.path.ends_with("backfill.jsonl:41"), "{e}");
        assert!(matches!(e.kind, ErrorKind::TooLarge { size, .. } if size as usize == long.len()), "{e}");
        assert_eq!(r[43].as_ref().unwrap().source, format!("{}:44", path.display()));
        // Stopping early reads no further.
        let mut n = 0;
        read_path_each(&path, &opts, &mut |_| {
            n += 1;
            n < 5
        });
        assert_eq!(n, 5);
        // A binary file named .jsonl, and an empty one, are refused with their names.
        std::fs::write(&path, b"\x00\x01\x02binary\n").unwrap();
        assert!(matches!(read_path(&path, &opts)[0], Err(IngestError { kind: ErrorKind::Binary, .. })));
        std::fs::write(&path, b"\n\n").unwrap();
        assert!(matches!(read_path(&path, &opts)[0], Err(IngestError { kind: ErrorKind::Empty, .. })));
    }

    #[test]
    fn html_gets_metadata_and_offsets_hold() {
        let page = format!("<html lang=en><head><title>Talks Resume</title><meta property='article:published_time' content='2021-03-04T10:00:00Z'></head><body><nav>Home | World</nav><article><h1>Talks Resume</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>");
        let d = one("page.html", page.as_bytes()).unwrap();
        assert_eq!(d.format, InputFormat::Html);
        assert_eq!(d.title.as_deref(), Some("Talks Resume"));
        assert_eq!(d.published, NaiveDate::from_ymd_opt(2021, 3, 4));
        let kinds: Vec<_> = d.blocks.iter().map(|b| (b.kind, b.span.slice(&d.text))).collect();
        assert_eq!(kinds[0], (BlockKind::Boilerplate, "Home | World"));
        assert_eq!(kinds[1], (BlockKind::Title, "Talks Resume"));
        assert_eq!(kinds[2], (BlockKind::Paragraph, BODY));
    }

    #[test]
    fn non_english_is_detected() {
        let d = one("fr.txt", "Les négociateurs des deux pays se sont réunis à Genève lundi pour la première fois depuis un an, ont indiqué des responsables. Ils ont convenu de se revoir dans quelques semaines.".as_bytes()).unwrap();
        assert_eq!(d.language.as_deref(), Some("fr"));
    }
}
