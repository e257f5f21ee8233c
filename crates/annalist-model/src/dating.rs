//! The date a document was given from its place in a feed (`annalist code --order`):
//! the result type of `annalist_coder::order::resolve_feed_dates`, carried by every
//! record of such a document as `document_date`; also a reader's mark on a date that is
//! no publication date (`Basis::Fetched`, `Document::date_basis`).
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a document's date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The document's own date.
    Given,
    /// Both neighbouring anchors agree on the weekday's date.
    Certain,
    /// From the anchor on one side only.
    Inferred,
    /// The two sides disagree (a gap of a week or more): `earliest`/`latest` hold both.
    Ambiguous,
    /// No weekday: only bounds.
    Bounded,
    /// No anchor anywhere: only a day offset relative to the first weekday.
    Relative,
    /// Nothing is known.
    Unknown,
    /// Not a publication date: the day a crawler fetched the page (a WARC record's
    /// `WARC-Date`), set by the reader that made the document.
    Fetched,
}

/// The resolved date of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDate {
    pub date: Option<NaiveDate>,
    pub basis: Basis,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earliest: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest: Option<NaiveDate>,
    /// Days after the first document with a weekday (only without anchors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_offset: Option<i64>,
}
