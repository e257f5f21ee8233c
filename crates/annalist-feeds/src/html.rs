//! HTML: article pages and HTML fragments to plain text. [`extract_article`] finds the
//! main text of a page with a readability algorithm (dom_smoothie, a port of Mozilla's
//! Readability: navigation, scripts, styles, comments and boilerplate blocks are
//! dropped) and its publication date from, in order, JSON-LD `datePublished`, the meta
//! tags `article:published_time`, `og:published_time`, `datePublished`, `date`,
//! `pubdate`, `DC.date.issued`, then the first `<time datetime>` element. A page whose
//! main text is shorter than [`MIN_ARTICLE_CHARS`] has no article: an error, not an
//! empty document. [`decode_html`] finds the page's character set.
//!
//! **Nesting.** Parsing and readability cost grows with the square of how deep elements
//! nest (100 KB of nested `<div>`s took 7.7 s, 400 KB over 100 s), so before any
//! parsing [`nesting_depth`] scans the tags (linear, no tree) and a page nested deeper
//! than [`MAX_NESTING`] is refused. [`extract_article_within`] also bounds the whole
//! extraction by a time limit (the fetch's timeout, when `ingest --feed` fetched it).
use dom_query::Document as Dom;
use std::time::Duration;

/// The deepest element nesting accepted (real pages stay far below 100).
pub const MAX_NESTING: usize = 256;

/// Elements that never contain others (no end tag).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound",
];

/// Elements whose end tag may be left out: a parser closes them when a sibling opens,
/// so they do not deepen the tree.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup", "rb", "rt", "rtc", "rp", "caption",
];

/// Elements whose content is text up to their own end tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// How deep the elements of `html` nest, estimated in one pass over its tags without
/// building a tree: start tags deepen, end tags return (to the depth of the element
/// they close, at most), void elements and those with optional end tags do not count,
/// comments and raw text (scripts, styles) are skipped. An upper bound of what a
/// parser builds for well-formed pages; unclosed elements count as open.
pub fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut i, mut depth, mut deepest) = (0usize, 0usize, 0usize);
    let find = |from: usize, pat: &[u8]| -> Option<usize> {
        b.get(from..)?
            .windows(pat.len())
            .position(|w| w.eq_ignore_ascii_case(pat))
            .map(|p| from + p)
    };
    while i < b.len() {
        let Some(lt) = b[i..].iter().position(|&c| c == b'<').map(|p| i + p) else {
            break;
        };
        i = lt + 1;
        if b[i..].starts_with(b"!--") {
            i = find(i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_at = if closing { i + 1 } else { i };
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
            // `<!doctype`, `<?xml`, a stray `<`: skip to the end of the tag.
            if matches!(b.get(i), Some(b'!') | Some(b'?')) {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(b.len(), |p| i + p + 1);
            }
            continue;
        }
        let name = html[name_at..name_at + name_len].to_ascii_lowercase();
        // The end of the tag, skipping quoted attribute values.
        let mut j = name_at + name_len;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'"' | b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let self_closing = j > 0 && b.get(j - 1) == Some(&b'/');
        i = (j + 1).min(b.len());
        let name = name.as_str();
        if closing {
            if !VOID.contains(&name) && !OPTIONAL_END.contains(&name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if RAW_TEXT.contains(&name) {
            let end = format!("</{name}");
            i = find(i, end.as_bytes()).unwrap_or(b.len());
            continue;
        }
        if self_closing || VOID.contains(&name) || OPTIONAL_END.contains(&name) {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// [`extract_article`] within `limit`: past it the page is given up (the extraction
/// thread finishes on its own; [`MAX_NESTING`] bounds how long it can take).
pub fn extract_article_within(
    html: String,
    url: Option<&str>,
    limit: Duration,
) -> Result<Article, String> {
    check_nesting(&html)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let url = url.map(str::to_string);
    std::thread::Builder::new()
        .name("annalist-extract".into())
        .spawn(move || {
            let _ = tx.send(extract_article(&html, url.as_deref()));
        })
        .map_err(|e| format!("cannot start extracting the page: {e}"))?;
    rx.recv_timeout(limit).map_err(|_| {
        format!(
            "extracting the article took over {} ms; page given up",
            limit.as_millis()
        )
    })?
}

fn check_nesting(html: &str) -> Result<(), String> {
    let depth = nesting_depth(html);
    if depth > MAX_NESTING {
        return Err(format!(
            "the page nests elements {depth} deep, over the limit of {MAX_NESTING}; not read"
        ));
    }
    Ok(())
}

/// The shortest main text accepted as an article, in characters.
pub const MIN_ARTICLE_CHARS: usize = 80;

/// The main content of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub title: Option<String>,
    pub text: String,
    pub date: Option<chrono::NaiveDate>,
    /// The page's canonical URL (`<link rel=canonical>`, `og:url`), else the URL given.
    pub url: Option<String>,
    /// `og:site_name` or the like.
    pub site: Option<String>,
}

const DATE_METAS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datePublished",
    "date",
    "pubdate",
    "publishdate",
    "DC.date.issued",
    "dcterms.created",
];

fn meta(dom: &Dom, key: &str) -> Option<String> {
    for attr in ["property", "name", "itemprop"] {
        let sel = dom.select(&format!("meta[{attr}=\"{key}\"]"));
        if let Some(v) = sel.attr("content") {
            let v = v.trim().to_string();
            if !v.is_empty() {
                return Some(v);
            }
        }
    }
    None
}

/// Extracts the article of an HTML page; `url` (absolute) is where it came from.
/// Refuses pages nested deeper than [`MAX_NESTING`] before parsing them.
pub fn extract_article(html: &str, url: Option<&str>) -> Result<Article, String> {
    check_nesting(html)?;
    let dom = Dom::from(html);
    let mut date = None;
    for key in DATE_METAS {
        if let Some(d) = meta(&dom, key).and_then(|v| crate::parse_loose_date(&v)) {
            date = Some(d);
            break;
        }
    }
    if date.is_none() {
        date = dom
            .select("time[datetime]")
            .iter()
            .filter_map(|t| t.attr("datetime"))
            .find_map(|v| crate::parse_loose_date(&v));
    }
    let canonical = dom
        .select("link[rel=\"canonical\"]")
        .attr("href")
        .map(|s| s.trim().to_string())
        .filter(|s| s.starts_with("http"))
        .or_else(|| meta(&dom, "og:url").filter(|s| s.starts_with("http")));
    let url = url.filter(|u| u.starts_with("http"));
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut reader = dom_smoothie::Readability::with_document(dom, url, Some(cfg))
        .map_err(|e| format!("cannot read the page: {e}"))?;
    let article = reader
        .parse()
        .map_err(|e| format!("no article found in the page ({e})"))?;
    let text = crate::tidy_text(&article.text_content);
    if text.chars().count() < MIN_ARTICLE_CHARS {
        return Err(format!(
            "no article found in the page (main text of {} characters)",
            text.chars().count()
        ));
    }
    let json_ld_date = article
        .published_time
        .as_deref()
        .and_then(crate::parse_loose_date);
    let title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
    Ok(Article {
        title,
        text,
        date: json_ld_date.or(date),
        url: canonical.or(url.map(str::to_string)),
        site: article.site_name.filter(|s| !s.trim().is_empty()),
    })
}

/// Decodes an HTML page: a byte-order mark, else the `charset` of the HTTP
/// `Content-Type`, else a `<meta charset>` / `http-equiv` declaration in its first 2 KiB,
/// else UTF-8 when it is valid, else windows-1252 (the web's default).
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let label = content_type.and_then(charset_in).or_else(|| {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
        let at = head.find("charset=")?;
        charset_in(&head[at..])
    });
    if let Some(enc) = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())) {
        return enc.decode_without_bom_handling(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The value after `charset=` in a header or attribute.
fn charset_in(s: &str) -> Option<String> {
    let at = s.to_ascii_lowercase().find("charset=")?;
    let v: String = s[at + 8..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!v.is_empty()).then_some(v)
}

/// Plain text of an HTML fragment (a feed item's description): tags dropped, block
/// elements on their own lines, entities decoded.
pub fn html_to_text(fragment: &str) -> String {
    if !fragment.contains('<') && !fragment.contains('&') {
        return crate::tidy_text(fragment);
    }
    let dom = Dom::fragment(fragment);
    dom.select("script, style, noscript, iframe").remove();
    crate::tidy_text(&dom.formatted_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments() {
        assert_eq!(
            html_to_text("<p>Rain fell on <b>Tuesday</b>.</p><p>Roads closed &amp; more.</p><script>x()</script>"),
            "Rain fell on Tuesday.\n\nRoads closed & more."
        );
        assert_eq!(html_to_text("plain words"), "plain words");
    }

    #[test]
    fn nesting() {
        assert_eq!(
            nesting_depth("<html><body><div><p>a<p>b</div></body></html>"),
            3
        );
        assert_eq!(nesting_depth("<ul><li>a<li>b<li>c</ul><br><img src=x>"), 1);
        assert_eq!(
            nesting_depth("<div><script>if (a<b) { x = '<div><div>'; }</script></div>"),
            1
        );
        assert_eq!(
            nesting_depth("<!-- <div><div><div> --><span a=\"<b>\">x</span>"),
            1
        );
        assert_eq!(nesting_depth(&"<div>".repeat(1000)), 1000);
        assert_eq!(nesting_depth(&"<div></div>".repeat(1000)), 1);
        assert_eq!(nesting_depth("<br/><x-y/>"), 0);
    }

    #[test]
    fn charsets() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xe9</body></html>";
        assert!(decode_html(latin1, None).contains("Café"));
        assert!(decode_html(b"Caf\xe9", Some("text/html; charset=ISO-8859-1")).contains("Café"));
        assert_eq!(decode_html("Café".as_bytes(), None), "Café");
        assert_eq!(
            decode_html(b"Caf\xe9", None),
            "Café",
            "not UTF-8: windows-1252"
        );
    }
}
