//! The input unit: a news document with an id, its text and an optional date.
use chrono::NaiveDate;

/// A document to code. `date` is the publication date that anchors relative dates and
/// selects the roles people held.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub date: Option<NaiveDate>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
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
