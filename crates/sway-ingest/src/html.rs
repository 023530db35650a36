//! HTML pages: every text block in document order, with main content told apart
//! from page furniture, plus the page's metadata.
//!
//! Readability (`dom_smoothie`) decides what the article is; our own walk over the
//! same page keeps everything else too, typed as boilerplate, so that nothing on the
//! page is lost and offsets cover the whole extracted text.

use dom_query::{Document as Dom, NodeRef};

use crate::blocks::{collapse, Hint};

/// What a page yields before block typing.
#[derive(Debug, Default)]
pub(crate) struct HtmlPage {
    /// Text units in document order, each already whitespace-collapsed.
    pub units: Vec<(String, Hint)>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub site_name: Option<String>,
    pub byline: Option<String>,
    pub lang: Option<String>,
    pub url: Option<String>,
    pub warnings: Vec<String>,
}

const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "head", "button", "select", "input", "textarea",
    "object", "canvas", "video", "audio", "map", "math",
];
const BLOCK: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figcaption",
    "pre",
    "td",
    "th",
    "dt",
    "dd",
    "caption",
    "address",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "ul",
    "ol",
    "dl",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "figure",
    "form",
    "body",
    "html",
    "center",
    "details",
    "summary",
    "hr",
    "br",
];
const FURNITURE_TAGS: &[&str] = &["nav", "footer", "aside", "form"];
/// Class and id fragments that mark page furniture.
const FURNITURE_NAMES: &[&str] = &[
    "share",
    "social",
    "related",
    "cookie",
    "consent",
    "newsletter",
    "subscribe",
    "comment",
    "footer",
    "navbar",
    "nav-",
    "menu",
    "sidebar",
    "promo",
    "advert",
    "ad-slot",
    "breadcrumb",
    "teaser",
    "recommend",
    "popular",
    "trending",
    "widget",
    "banner",
    "signup",
    "sign-up",
    "paywall",
    "outbrain",
    "taboola",
    "read-more",
    "readmore",
    "more-stories",
    "tags",
];

fn tag(n: &NodeRef<'_>) -> String {
    n.node_name().map(|t| t.to_ascii_lowercase()).unwrap_or_default()
}

fn is_furniture(n: &NodeRef<'_>, name: &str) -> bool {
    if FURNITURE_TAGS.contains(&name) {
        return true;
    }
    if n.attr("role")
        .is_some_and(|r| matches!(&*r.to_ascii_lowercase(), "navigation" | "complementary" | "banner" | "contentinfo"))
    {
        return true;
    }
    if n.attr("aria-hidden").is_some_and(|v| &*v == "true") || n.has_attr("hidden") {
        return true;
    }
    let mut names = String::new();
    if let Some(c) = n.class() {
        names.push_str(&c.to_ascii_lowercase());
    }
    if let Some(i) = n.id_attr() {
        names.push(' ');
        names.push_str(&i.to_ascii_lowercase());
    }
    // An article body is often `class="article-content"`: "content" words never mark furniture.
    !names.is_empty() && FURNITURE_NAMES.iter().any(|f| names.contains(f))
}

fn hint_for(name: &str) -> Hint {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Hint::Heading(d - b'0'),
        b"li" | b"dd" | b"dt" => Hint::Item,
        b"figcaption" | b"caption" => Hint::Caption,
        _ => Hint::Plain,
    }
}

fn walk(n: &NodeRef<'_>, furniture: bool, out: &mut Vec<(String, Hint)>) {
    let name = tag(n);
    if SKIP.contains(&name.as_str()) {
        return;
    }
    let furniture = furniture || is_furniture(n, &name);
    let children = n.children();
    let has_block_child = children.iter().any(|c| c.is_element() && BLOCK.contains(&tag(c).as_str()));
    let hint = |h: Hint| if furniture { Hint::Boilerplate } else { h };
    if !has_block_child {
        let text = collapse_keep_case(&n.text());
        if !text.is_empty() {
            out.push((text, hint(hint_for(&name))));
        }
        return;
    }
    // Inline runs between block children become their own units.
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<(String, Hint)>| {
        let t = collapse_keep_case(run);
        if !t.is_empty() {
            out.push((t, hint(Hint::Plain)));
        }
        run.clear();
    };
    for c in &children {
        if c.is_element() && BLOCK.contains(&tag(c).as_str()) {
            flush(&mut run, out);
            walk(c, furniture, out);
        } else if c.is_text() {
            run.push_str(&c.text());
        } else if c.is_element() && !SKIP.contains(&tag(c).as_str()) {
            run.push(' ');
            run.push_str(&c.text());
            run.push(' ');
        }
    }
    flush(&mut run, out);
}

fn collapse_keep_case(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| collapse_keep_case(&s)).filter(|s| !s.is_empty())
}

pub(crate) fn read_html(html: &str) -> HtmlPage {
    let mut page = HtmlPage::default();
    let lower_tail: String = html[html.len().saturating_sub(2048)..].chars().map(|c| c.to_ascii_lowercase()).collect();
    if !lower_tail.contains("</html>") && !lower_tail.contains("</body>") {
        page.warnings.push("HTML looks truncated (no closing </body> or </html>): read what was there".into());
    }

    let dom = Dom::from(html);
    walk(&dom.root(), false, &mut page.units);

    // Readability for the main content and the metadata.
    let main_text = match dom_smoothie::Readability::new(html, None, None) {
        Ok(mut r) => match r.parse() {
            Ok(article) => {
                page.title = nonempty(Some(article.title.clone()));
                page.published = nonempty(article.published_time.clone());
                page.site_name = nonempty(article.site_name.clone());
                page.byline = nonempty(article.byline.clone());
                page.lang = nonempty(article.lang.clone());
                page.url = nonempty(article.url.clone());
                Some(collapse(&article.text_content))
            }
            Err(e) => {
                page.warnings.push(format!("main content not found ({e}): every block kept as content"));
                None
            }
        },
        Err(e) => {
            page.warnings.push(format!("main content not found ({e}): every block kept as content"));
            None
        }
    };
    if page.title.is_none() {
        page.title = dom.select("title").iter().next().map(|t| t.text().to_string()).and_then(|t| nonempty(Some(t)));
    }
    if page.lang.is_none() {
        page.lang = dom.select("html").attr("lang").map(|l| l.to_string());
    }
    if let Some(main) = main_text.filter(|m| !m.is_empty()) {
        let title = page.title.as_deref().map(collapse);
        for (text, hint) in &mut page.units {
            if *hint == Hint::Boilerplate {
                continue;
            }
            let c = collapse(text);
            let is_title =
                title.as_deref().is_some_and(|t| t == c || (matches!(hint, Hint::Heading(1)) && t.contains(&c)));
            if !is_title && !main.contains(&c) {
                *hint = Hint::Boilerplate;
            }
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en"><head><title>Talks Resume in Geneva | The Daily</title>
<meta property="og:site_name" content="The Daily">
<meta property="article:published_time" content="2021-03-04T10:00:00Z"></head>
<body><nav><ul><li>Home</li><li>World</li></ul></nav>
<article><h1>Talks Resume in Geneva</h1>
<p>Negotiators from both countries met in Geneva on Monday for the first time in a year, officials said, and agreed to meet again within weeks.</p>
<p>The talks, which lasted three hours, focused on prisoner exchanges and the reopening of border crossings that have been closed since the fighting began last spring.</p>
<figure><img src="x.jpg"><figcaption>Delegates arrive at the venue.</figcaption></figure>
<p>A spokesman described the atmosphere as constructive but cautioned that deep differences remain on the question of troop withdrawals from the disputed region.</p>
</article>
<aside class="related"><h3>Related</h3><p>Another story entirely</p></aside>
<footer>© 2021 The Daily. All rights reserved.</footer></body></html>"#;

    #[test]
    fn article_and_furniture_are_told_apart() {
        let page = read_html(PAGE);
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
        assert_eq!(page.published.as_deref(), Some("2021-03-04T10:00:00Z"));
        assert_eq!(page.lang.as_deref(), Some("en"));
        let texts: Vec<(&str, Hint)> = page.units.iter().map(|(t, h)| (t.as_str(), *h)).collect();
        assert!(texts.contains(&("Home", Hint::Boilerplate)), "{texts:?}");
        assert!(texts.contains(&("Talks Resume in Geneva", Hint::Heading(1))), "{texts:?}");
        assert!(texts.iter().any(|(t, h)| t.starts_with("Negotiators") && *h == Hint::Plain));
        assert!(texts.contains(&("Another story entirely", Hint::Boilerplate)));
        assert!(texts.iter().any(|(t, h)| t.starts_with('©') && *h == Hint::Boilerplate));
    }

    #[test]
    fn truncated_page_is_read_and_flagged() {
        let cut = &PAGE[..PAGE.find("<figure>").unwrap_or(PAGE.len())];
        let page = read_html(cut);
        assert!(page.warnings.iter().any(|w| w.contains("truncated")));
        assert!(page.units.iter().any(|(t, _)| t.starts_with("The talks")));
    }
}
