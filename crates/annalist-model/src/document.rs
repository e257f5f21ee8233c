//! The input unit: a news document with an id, its text and an optional date, as every
//! reader makes it and the coder, the store and the server take it.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A document to code. `date` is the publication date that anchors relative dates and
/// selects the roles people held; `date_basis`, when given, says where that date came
/// from when it is not the publication date (`fetched`: the day a crawler fetched the
/// page, a WARC record's `WARC-Date`), and every record of the document carries it as
/// `document_date`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_basis: Option<crate::dating::Basis>,
}

impl Document {
    pub fn new(id: impl Into<String>, text: impl Into<String>, date: Option<NaiveDate>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            date,
            ..Default::default()
        }
    }
}
