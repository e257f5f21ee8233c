//! The output record: one coded event per (source, target) pair, as the coder makes it.
//! Field names are the contract the scorers and exports read (see README "Output").
use serde::{Deserialize, Serialize};

/// An actor as coded: codes plus the words that named it and their byte offsets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRecord {
    /// ISO 3166 alpha-3 country code, CAMEO region code, or IGO/NGO/BUS/IMG.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sector: Option<String>,
    /// CAMEO-style actor code: code + org or sector (RUSGOV, IGOUNO).
    pub cameo_actor: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The dictionary entry (path:line) and how it was found.
    pub entry: String,
}

/// The words that justify the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub trigger: String,
    pub start: usize,
    pub end: usize,
    /// The verb pattern that fired: `verbs.txt:LINE`, with the pattern text.
    pub rule: String,
    pub pattern: String,
}

/// The date of an event and the words that fixed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateText {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One coded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub doc_id: String,
    /// Sentence index in the document (0-based).
    pub sentence: usize,
    /// PLOVER event type.
    pub event_type: String,
    pub cameo: String,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    pub goldstein: f32,
    pub source: ActorRecord,
    pub target: Option<ActorRecord>,
    /// One record for a symmetric event between source and target ("X and Y met",
    /// "clashes between X and Y"): it stands for both directions. Source and target are
    /// in text order. Omitted from JSON when false.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub mutual: bool,
    pub negated: bool,
    /// "asserted", or the control that framed the event: intent, threat, refusal,
    /// request, denial.
    pub modality: String,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_text: Option<DateText>,
    /// For a document dated from its place in a feed (`code --order`): the date used as
    /// its anchor and how it was found (see `annalist-coder`'s `order.rs`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub document_date: Option<crate::dating::DocumentDate>,
    /// Where the event happened (`location.rs`), if the sentence names a place.
    pub location: Option<Location>,
    pub evidence: Evidence,
}

/// Where an event happened: a gazetteer place and the words that named it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub name: String,
    /// The first-level region of a town.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub admin1: Option<String>,
    /// ISO 3166 alpha-3 code.
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// `city`, `admin1` or `country`.
    pub precision: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}
