//! Typing the stretches of a page: title, key takeaways, headings, paragraphs,
//! captions and boilerplate.
//!
//! Every reader cuts its text into [`Unit`]s (a paragraph, a list item, a heading...)
//! with what the format says about each (a `<h2>`, a `<nav>`, a bullet), and
//! [`classify`] turns them into typed blocks with the same spans. The rules are
//! written for news pages and think-tank briefs.

use sway_core::{Block, BlockKind, Span};

/// What the format itself says about a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    /// Nothing but its text.
    Plain,
    /// A heading element, with its level (1 for `<h1>`).
    Heading(u8),
    /// A bullet or list item.
    Item,
    /// A caption element (`<figcaption>`).
    Caption,
    /// Outside the page's main content, or in a navigation, share or teaser element.
    Boilerplate,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Unit {
    pub span: Span,
    pub hint: Hint,
}

/// Lines that open a teaser box: what follows them is someone else's article.
const TEASER_HEADINGS: &[&str] = &[
    "check also",
    "related",
    "related articles",
    "related posts",
    "related stories",
    "related content",
    "related news",
    "read more",
    "read also",
    "also read",
    "see also",
    "more stories",
    "more news",
    "more from",
    "recommended",
    "recommended for you",
    "you may also like",
    "you might also like",
    "you may be interested in",
    "most read",
    "most popular",
    "trending",
    "trending now",
    "latest news",
    "popular posts",
    "recent posts",
    "further reading",
];

/// Phrases that mark a short line as page furniture wherever it stands.
const FURNITURE: &[&str] = &[
    "share this",
    "share on",
    "share article",
    "tweet",
    "email this",
    "print this",
    "subscribe",
    "sign up for",
    "newsletter",
    "we use cookies",
    "this website uses cookies",
    "this site uses cookies",
    "accept cookies",
    "cookie policy",
    "privacy policy",
    "all rights reserved",
    "copyright ©",
    "©",
    "advertisement",
    "skip to content",
    "skip to main content",
    "follow us",
    "click here",
    "leave a comment",
    "comments are closed",
    "read more:",
    "related:",
    "see also:",
    "tags:",
    "filed under",
];

const TAKEAWAY_HEADINGS: &[&str] = &[
    "key takeaways",
    "key takeaway",
    "takeaways",
    "key judgments",
    "key judgements",
    "key points",
    "key findings",
    "highlights",
    "summary",
    "in brief",
    "bottom line",
    "bottom line up front",
    "at a glance",
];

fn norm_line(s: &str) -> String {
    s.trim().trim_end_matches([':', '.', '…', '»', '›', '>']).trim().to_lowercase()
}

fn is_teaser_heading(s: &str) -> bool {
    let n = norm_line(s);
    n.len() <= 40
        && TEASER_HEADINGS
            .iter()
            .any(|h| n == *h || (n.starts_with(h) && n[h.len()..].starts_with(' ') && *h == "more from"))
}

fn is_furniture(s: &str) -> bool {
    let t = s.trim();
    if t.len() > 160 {
        return false;
    }
    let l = t.to_lowercase();
    FURNITURE.iter().any(|f| l.starts_with(f) || (f.len() > 8 && l.contains(f)))
}

fn is_takeaway_heading(s: &str) -> bool {
    TAKEAWAY_HEADINGS.contains(&norm_line(s).as_str())
}

fn is_caption_text(s: &str) -> bool {
    let t = s.trim();
    let l = t.to_lowercase();
    t.len() <= 400
        && (["photo:", "image:", "caption:", "(photo", "pictured:", "file photo", "photo by"]
            .iter()
            .any(|p| l.starts_with(p))
            || ["(reuters)", "getty images", "ap photo", "/afp", "(afp)", "photo)"]
                .iter()
                .any(|p| l.ends_with(p) || l.ends_with(&format!("{p}.")))
            || l.contains("/afp via getty"))
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end().trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    t.ends_with(['.', '!', '?', '…', ':', ';'])
}

/// Rough count of sentence ends, enough to tell a lead line from a body paragraph.
fn sentence_count(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?')
            && b.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\n')
            && i >= 2
            && b[i - 1].is_ascii_lowercase()
            && b[i - 2].is_ascii_lowercase()
        {
            n += 1;
        }
    }
    n.max(1)
}

fn looks_like_heading(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.len() <= 120
        && !t.contains('\n')
        && !ends_sentence(t)
        && t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric())
        && t.split_whitespace().count() <= 15
}

fn is_body(s: &str) -> bool {
    let t = s.trim();
    (t.len() >= 400 || sentence_count(t) >= 3) && !t.ends_with('…') && !t.ends_with("...")
}

/// Type each unit. `title_known` says the reader already knows the page title
/// (from HTML metadata), so the first line need not be guessed as one.
pub(crate) fn classify(text: &str, units: &[Unit], title: Option<&str>) -> Vec<Block> {
    let mut kinds: Vec<Option<BlockKind>> = vec![None; units.len()];
    let s = |i: usize| units[i].span.slice(text);

    // 1. Boilerplate by format, by furniture phrases, and everything in a teaser box.
    let mut in_teaser = false;
    for i in 0..units.len() {
        let t = s(i);
        if in_teaser && is_body(t) && units[i].hint != Hint::Boilerplate {
            in_teaser = false;
        }
        if units[i].hint == Hint::Boilerplate || in_teaser || is_furniture(t) {
            kinds[i] = Some(BlockKind::Boilerplate);
        }
        if is_teaser_heading(t) {
            kinds[i] = Some(BlockKind::Boilerplate);
            in_teaser = true;
        }
    }
    let content: Vec<usize> = (0..units.len()).filter(|&i| kinds[i].is_none()).collect();

    // 2. Title: the unit that repeats the known title, else a first line that reads as one.
    let mut title_idx = None;
    if let Some(t) = title {
        let want = collapse(t);
        title_idx = content.iter().take(5).copied().find(|&i| {
            collapse(s(i)) == want || (matches!(units[i].hint, Hint::Heading(1)) && want.contains(&collapse(s(i))))
        });
    } else if let Some(&first) = content.first() {
        let t = s(first).trim();
        let heading_like = matches!(units[first].hint, Hint::Heading(_) | Hint::Plain)
            && !t.contains('\n')
            && t.len() <= 200
            && !ends_sentence(t);
        if heading_like {
            title_idx = Some(first);
        }
    }
    if let Some(i) = title_idx {
        kinds[i] = Some(BlockKind::Title);
    }

    // 3. Key takeaways: under a "Key Takeaways" heading, or a short run of lead lines
    //    between the title and a body paragraph much longer than any of them.
    let after_title: Vec<usize> = content.iter().copied().filter(|&i| title_idx.is_none_or(|t| i > t)).collect();
    let mut pos = 0;
    let mut explicit = false;
    if let Some(&h) = after_title.first() {
        if is_takeaway_heading(s(h)) {
            kinds[h] = Some(BlockKind::Heading);
            pos = 1;
            explicit = true;
        }
    }
    let mut run = Vec::new();
    for &i in &after_title[pos..] {
        let t = s(i).trim();
        let short = t.len() <= 320 && sentence_count(t) <= 2;
        if short && !is_caption_text(t) && (ends_sentence(t) || units[i].hint == Hint::Item) {
            run.push(i);
        } else {
            break;
        }
    }
    let next_body = after_title.get(pos + run.len()).map(|&i| s(i));
    let longest = run.iter().map(|&i| s(i).trim().len()).max().unwrap_or(0);
    let lead_run =
        run.len() >= 2 && run.len() <= 8 && next_body.is_some_and(|b| is_body(b) && b.trim().len() >= 2 * longest);
    let bulleted = !run.is_empty() && run.iter().all(|&i| units[i].hint == Hint::Item);
    if explicit || lead_run || (bulleted && title_idx.is_some() && run.len() <= 8) {
        for &i in &run {
            kinds[i] = Some(BlockKind::Takeaway);
        }
    }

    // 4. The rest: headings, captions, paragraphs.
    for (i, u) in units.iter().enumerate() {
        if kinds[i].is_some() {
            continue;
        }
        let t = s(i);
        kinds[i] = Some(match u.hint {
            Hint::Caption => BlockKind::Caption,
            Hint::Heading(_) => BlockKind::Heading,
            _ if is_caption_text(t) => BlockKind::Caption,
            _ if looks_like_heading(t) && content.iter().any(|&j| j > i) => BlockKind::Heading,
            _ => BlockKind::Paragraph,
        });
    }
    units.iter().zip(kinds).map(|(u, k)| Block { kind: k.unwrap_or(BlockKind::Paragraph), span: u.span }).collect()
}

/// Whitespace-collapsed, lowercased text, for comparing strings across formats.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// Cut plain text into units: paragraphs separated by blank lines, and within a
/// paragraph, one unit per bullet line. Spans are trimmed of surrounding whitespace.
pub(crate) fn plain_units(text: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut para_start: Option<usize> = None;
    let mut para_end = 0;
    let mut offset = 0;
    let flush = |units: &mut Vec<Unit>, start: usize, end: usize| {
        let lines: Vec<(usize, &str)> = line_spans(text, start, end);
        let bulleted = lines.len() > 1 && lines.iter().all(|(_, l)| bullet_len(l).is_some());
        if bulleted {
            for (off, l) in lines {
                push_trimmed(units, text, off, off + l.len(), Hint::Item);
            }
        } else {
            let hint = if lines.len() == 1 && bullet_len(lines[0].1).is_some() { Hint::Item } else { Hint::Plain };
            push_trimmed(units, text, start, end, hint);
        }
    };
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some(s) = para_start.take() {
                flush(&mut units, s, para_end);
            }
        } else {
            if para_start.is_none() {
                para_start = Some(offset);
            }
            para_end = offset + content.len();
        }
        offset += line.len();
    }
    if let Some(s) = para_start {
        flush(&mut units, s, para_end);
    }
    units
}

fn line_spans(text: &str, start: usize, end: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut off = start;
    for l in text[start..end].split_inclusive('\n') {
        out.push((off, l.trim_end_matches(['\n', '\r'])));
        off += l.len();
    }
    out
}

/// Length of a leading bullet marker ("• ", "- ", "* ", "– ", "1. "), if any.
fn bullet_len(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    for m in ["• ", "- ", "* ", "– ", "— ", "▪ ", "◦ "] {
        if t.starts_with(m) {
            return Some(lead + m.len());
        }
    }
    None
}

fn push_trimmed(units: &mut Vec<Unit>, text: &str, start: usize, end: usize, hint: Hint) {
    let raw = &text[start..end];
    let mut s = start + (raw.len() - raw.trim_start().len());
    let e = start + raw.trim_end().len();
    if hint == Hint::Item {
        // `s` is already past leading whitespace, so the marker starts at `s`.
        if let Some(b) = bullet_len(&text[s..e]) {
            let rest = &text[s + b..e];
            s = e - rest.trim_start().len();
        }
    }
    if s < e {
        units.push(Unit { span: Span::new(s, e), hint });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(BlockKind, &str)> {
        let units = plain_units(text);
        classify(text, &units, None).into_iter().map(|b| (b.kind, b.span.slice(text))).collect()
    }

    const BODY: &str = "The ministry said on Monday that talks would resume. Officials from both sides met in Geneva for three hours. A statement afterwards called the meeting constructive, and a second round is planned for next month in Vienna, according to diplomats.";

    #[test]
    fn brief_layout_gives_title_takeaways_body_and_teaser() {
        let text = format!(
            "A Title Without a Period\n\nFirst lead line.\n\nSecond lead line, a little longer.\n\n{BODY}\n\nCheck Also\n\nSomeone Else's Story, May 1, 2024\n\nTeaser text that trails off …\n"
        );
        let k = kinds(&text);
        assert_eq!(k[0], (BlockKind::Title, "A Title Without a Period"));
        assert_eq!(k[1].0, BlockKind::Takeaway);
        assert_eq!(k[2].0, BlockKind::Takeaway);
        assert_eq!(k[3], (BlockKind::Paragraph, BODY));
        assert!(k[4..].iter().all(|(k, _)| *k == BlockKind::Boilerplate), "{k:?}");
    }

    #[test]
    fn a_news_lead_is_not_a_takeaway() {
        let text = format!("Talks Resume\n\n{BODY}\n\n{BODY}\n");
        let k = kinds(&text);
        assert_eq!(k[0].0, BlockKind::Title);
        assert!(k[1..].iter().all(|(k, _)| *k == BlockKind::Paragraph), "{k:?}");
    }

    #[test]
    fn bullets_under_a_takeaway_heading() {
        let text = format!("Report Title\n\nKey Takeaways\n\n• One thing.\n• Another thing\n\n{BODY}\n");
        let k = kinds(&text);
        assert_eq!(k[1], (BlockKind::Heading, "Key Takeaways"));
        assert_eq!(k[2], (BlockKind::Takeaway, "One thing."));
        assert_eq!(k[3], (BlockKind::Takeaway, "Another thing"));
        assert_eq!(k[4].0, BlockKind::Paragraph);
    }

    #[test]
    fn furniture_headings_and_captions() {
        let text = format!("{BODY}\n\nShare this article\n\nThe Second Part\n\n{BODY}\n\nPhoto: troops at a checkpoint (Reuters)\n\nWe use cookies to improve your experience.\n");
        let k = kinds(&text);
        assert_eq!(k[0].0, BlockKind::Paragraph, "a first line with a period is no title");
        assert_eq!(k[1].0, BlockKind::Boilerplate);
        assert_eq!(k[2], (BlockKind::Heading, "The Second Part"));
        assert_eq!(k[4].0, BlockKind::Caption);
        assert_eq!(k[5].0, BlockKind::Boilerplate);
    }

    #[test]
    fn crlf_text_keeps_offsets() {
        let text = "Title Here\r\n\r\nBody one.\r\nStill body.\r\n";
        let units = plain_units(text);
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].span.slice(text), "Title Here");
        assert_eq!(units[1].span.slice(text), "Body one.\r\nStill body.");
    }
}
