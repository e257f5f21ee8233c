//! RSS 2.0 / RSS 1.0 / Atom (and JSON Feed) parsing with feed-rs: one [`Item`] per
//! entry with its guid, link, title, text (the longer of `content` and
//! `description`/`summary`, HTML stripped to text), and publication date (`published`,
//! else `updated`, taken in UTC). An item's document id is its guid, else its link,
//! else the hash of its text ([`crate::content_id`]). A file that is not a feed is one
//! error naming the file; an item with no text is one error naming the item.
use crate::html::html_to_text;
use annalist_io::{ReadError, ReadOptions};
use annalist_model::Document;
use chrono::NaiveDate;

/// A parsed feed.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    pub title: Option<String>,
    /// The feed's own date (`updated`/`lastBuildDate`): when it was built, not a story's
    /// date; never given to items.
    pub updated: Option<NaiveDate>,
    pub items: Vec<Item>,
}

/// One entry of a feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub guid: Option<String>,
    pub link: Option<String>,
    pub title: Option<String>,
    /// Plain text of the item's content or description (may be empty).
    pub text: String,
    pub date: Option<NaiveDate>,
}

impl Item {
    /// The stable document id: guid, else link, else the hash of the text (or title).
    pub fn id(&self) -> String {
        self.guid
            .clone()
            .or_else(|| self.link.clone())
            .unwrap_or_else(|| {
                crate::content_id(if self.text.is_empty() {
                    self.title.as_deref().unwrap_or("")
                } else {
                    &self.text
                })
            })
    }
}

/// Parses a feed; `base_url` resolves relative links.
pub fn parse_feed(bytes: &[u8], base_url: Option<&str>) -> Result<Feed, String> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base_url)
        // No invented ids: an entry without a guid gets "", then its link or a hash.
        .id_generator(|_, _, _| String::new())
        .build();
    let parsed = parser
        .parse(bytes)
        .map_err(|e| format!("not an RSS or Atom feed: {e}"))?;
    let items = parsed
        .entries
        .into_iter()
        .map(|e| {
            let summary = e
                .summary
                .map(|t| html_to_text(&t.content))
                .unwrap_or_default();
            let content = e
                .content
                .and_then(|c| c.body)
                .map(|b| html_to_text(&b))
                .unwrap_or_default();
            let text = if content.len() > summary.len() {
                content
            } else {
                summary
            };
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| l.href.trim().to_string())
                .filter(|h| !h.is_empty());
            Item {
                guid: Some(e.id.trim().to_string()).filter(|g| !g.is_empty()),
                link,
                title: e
                    .title
                    .map(|t| html_to_text(&t.content))
                    .filter(|t| !t.is_empty()),
                text,
                date: e.published.or(e.updated).map(|t| t.date_naive()),
            }
        })
        .collect();
    Ok(Feed {
        title: parsed
            .title
            .map(|t| html_to_text(&t.content))
            .filter(|t| !t.is_empty()),
        updated: parsed.updated.map(|t| t.date_naive()),
        items,
    })
}

/// The document of an item: `source` is the feed's title (else `fallback_source`).
pub fn item_document(item: &Item, feed: &Feed, fallback_source: Option<&str>) -> Document {
    Document {
        id: item.id(),
        text: item.text.clone(),
        date: item.date,
        title: item.title.clone(),
        url: item.link.clone(),
        source: feed
            .title
            .clone()
            .or_else(|| fallback_source.map(str::to_string)),
        date_basis: None,
    }
}

/// Reads a feed file: one document per item with text (the item's own text: files are
/// not fetched further). Items without a date take `opts.default_date` (`--date`) or
/// stay undated.
pub fn read_feed(
    file: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Result<Document, ReadError>),
) {
    let error = |message: String| ReadError {
        file: file.to_string(),
        line: 0,
        message,
        skipped: false,
    };
    let feed = match parse_feed(bytes, None) {
        Ok(f) => f,
        Err(e) => return sink(Err(error(e))),
    };
    if feed.items.is_empty() {
        return sink(Err(error("feed has no items".into())));
    }
    for (n, item) in feed.items.iter().enumerate() {
        if item.text.is_empty() {
            sink(Err(error(format!(
                "item {} ({}): no text in its description or content",
                n + 1,
                item.guid
                    .as_deref()
                    .or(item.link.as_deref())
                    .or(item.title.as_deref())
                    .unwrap_or("no id")
            ))));
            continue;
        }
        let mut doc = item_document(item, &feed, None);
        if doc.date.is_none() {
            doc.date = opts.default_date;
        }
        if doc.text.len() > opts.max_record_bytes {
            sink(Err(error(format!(
                "item {} ({}): text is {} bytes, over the limit of {} bytes",
                n + 1,
                doc.id,
                doc.text.len(),
                opts.max_record_bytes
            ))));
            continue;
        }
        sink(Ok(doc));
    }
}
