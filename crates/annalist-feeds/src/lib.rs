//! Reading the news where it lives. Readers turn RSS 2.0 / Atom feeds ([`feed`]), HTML
//! article pages ([`html`]), Markdown files ([`markdown`]), JSON Lines and plain text
//! (`annalist-io`), folders of any of them and their gzip-compressed versions ([`read`])
//! into the same [`Document`]s (id, text, date, title, url, source); [`fetch`] gets
//! feeds and the articles they link to over HTTP(S) (rustls), and [`poll`] hands the
//! items a feed has not given before to a [`poll::FeedSink`] (which codes and stores
//! them and keeps the fetch record; this crate knows no database). [`fetch`] and
//! [`poll`] are the default feature `fetch`; without it the crate is the file readers
//! alone.
//!
//! Ids are stable so that the same story from the same place is stored once: a feed
//! item's guid, else its link; an HTML page's canonical URL; else [`content_id`], a hash
//! of the text. Bad input never panics: each file, item or URL that fails is reported as
//! a [`ReadError`] (or a message) naming it, and reading goes on.
pub mod feed;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod html;
pub mod markdown;
#[cfg(feature = "fetch")]
pub mod poll;
pub mod read;
pub mod warc;

pub use annalist_io::{ReadError, ReadOptions};
pub use annalist_model::Document;
pub use read::{read_input, InputKind};

use sha2::{Digest, Sha256};

/// The id of a document known only by its text: `sha256:` and the first 32 hex digits
/// of the SHA-256 of the text.
pub fn content_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The host of an `http(s)://host[:port]/…` URL, lower-cased (`None` for anything else).
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// A calendar date from a timestamp as written (`2025-03-08T10:00:00+02:00`,
/// `2025-03-08`, RFC 2822 `Sat, 08 Mar 2025 10:00:00 GMT`): the day the publisher wrote,
/// not converted to UTC.
pub fn parse_loose_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    if let Some(d) = s
        .get(..10)
        .and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
    {
        return Some(d);
    }
    chrono::DateTime::parse_from_rfc2822(s)
        .ok()
        .map(|t| t.date_naive())
}

/// Collapses runs of blank lines and trims trailing spaces of each line.
pub(crate) fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_hosts_dates() {
        assert_eq!(content_id("a").len(), "sha256:".len() + 32);
        assert_eq!(content_id("a"), content_id("a"));
        assert_ne!(content_id("a"), content_id("b"));
        assert_eq!(
            url_host("https://News.example.org:8080/a?b").as_deref(),
            Some("news.example.org:8080")
        );
        assert_eq!(url_host("file.txt"), None);
        let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 8);
        assert_eq!(parse_loose_date("2025-03-08T23:30:00-05:00"), d);
        assert_eq!(parse_loose_date("Sat, 08 Mar 2025 10:00:00 GMT"), d);
        assert_eq!(parse_loose_date("yesterday"), None);
        assert_eq!(tidy_text("  a  b \n\n\n c\n"), "a b\n\nc");
    }
}
