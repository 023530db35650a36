//! Bytes to text: BOMs, declared charsets, and a guess where neither helps.

use encoding_rs::Encoding;

/// Decoded text, and a note for the user when it was not plain UTF-8.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// Decode `bytes`. `declared` is a charset label the document itself gives (an HTML
/// `<meta charset>`), tried before guessing.
pub(crate) fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let warning = (had_errors || enc != encoding_rs::UTF_8).then(|| {
            let mut w = format!("decoded as {} (byte order mark)", enc.name());
            if had_errors {
                w.push_str("; invalid bytes replaced with U+FFFD");
            }
            w
        });
        return Decoded { text: text.into_owned(), warning };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded { text: s.to_string(), warning: None };
    }
    let (enc, how) = match declared.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
        Some(e) if e != encoding_rs::UTF_8 => (e, "its declared charset"),
        _ => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            (det.guess(None, chardetng::Utf8Detection::Allow), "a guess")
        }
    };
    let (text, _, had_errors) = enc.decode(bytes);
    let mut w = format!("not valid UTF-8: decoded as {} ({how})", enc.name());
    if had_errors {
        w.push_str("; invalid bytes replaced with U+FFFD");
    }
    Decoded { text: text.into_owned(), warning: Some(w) }
}

/// The charset an HTML page declares in its first 4 KiB, if any.
pub(crate) fn html_declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let pos = lower.windows(8).position(|w| w == b"charset=")?;
    let rest = &head[pos + 8..];
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let end = rest.iter().position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')).unwrap_or(rest.len());
    let label = std::str::from_utf8(&rest[..end]).ok()?;
    (!label.is_empty()).then(|| label.to_string())
}

/// Whether bytes look like a binary file rather than text in some encoding.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    control * 20 > head.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let d = decode("Kata’ib Hezbollah".as_bytes(), None);
        assert_eq!(d.text, "Kata’ib Hezbollah");
        assert!(d.warning.is_none());
    }

    #[test]
    fn latin1_is_decoded_and_said() {
        let d = decode(b"caf\xe9 in Beyrouth, d\xe9j\xe0 vu", None);
        assert_eq!(d.text, "café in Beyrouth, déjà vu");
        assert!(d.warning.as_deref().is_some_and(|w| w.contains("not valid UTF-8")), "{:?}", d.warning);
    }

    #[test]
    fn declared_charset_wins_over_guess() {
        let html = b"<meta charset=\"windows-1251\"><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>";
        let label = html_declared_charset(html);
        assert_eq!(label.as_deref(), Some("windows-1251"));
        let d = decode(html, label.as_deref());
        assert!(d.text.contains("Привет"), "{}", d.text);
    }

    #[test]
    fn utf16_bom() {
        let mut b = vec![0xff, 0xfe];
        for u in "Iraq".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert!(!looks_binary(&b));
        assert_eq!(decode(&b, None).text, "Iraq");
    }

    #[test]
    fn binary_is_spotted() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\x00\x00\x00"));
        assert!(!looks_binary(b"plain text\nwith lines\n"));
    }
}
