//! annalist's data model: the plain types that flow between the stages and the crates
//! around them, with serde and nothing else (no NLP, no IO). Readers (`annalist-io`,
//! `annalist-feeds`) make [`Document`]s; the coder (`annalist-coder`) turns them into
//! [`EventRecord`]s; the store (`annalist-store`), the exports and the web API
//! (`annalist-web`) read both back. Depending on this crate instead of the coder keeps
//! readers, store and server free of the language stages.
//!
//! Input: nothing (definitions only). Output: the types below, whose serialised field
//! names are the contract the scorers, exports and API read (README "Output").

pub mod dating;
pub mod document;
pub mod fetch;
pub mod record;

pub use dating::{Basis, DocumentDate};
pub use document::Document;
pub use fetch::{FeedItemRecord, FetchRecord};
pub use record::{ActorRecord, Casualty, DateText, EventRecord, Evidence, Location, ReportedBy};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_round_trips_and_leaves_out_what_it_lacks() {
        let d = Document::new(
            "a-1",
            "Troops withdrew.",
            chrono::NaiveDate::from_ymd_opt(2025, 3, 8),
        );
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(
            json,
            r#"{"id":"a-1","text":"Troops withdrew.","date":"2025-03-08"}"#
        );
        assert_eq!(serde_json::from_str::<Document>(&json).unwrap(), d);
    }

    #[test]
    fn a_feed_date_names_its_basis_in_kebab_case() {
        let dd = DocumentDate {
            date: None,
            basis: Basis::Bounded,
            earliest: chrono::NaiveDate::from_ymd_opt(2024, 2, 27),
            latest: None,
            day_offset: None,
        };
        assert_eq!(
            serde_json::to_string(&dd).unwrap(),
            r#"{"date":null,"basis":"bounded","earliest":"2024-02-27"}"#
        );
    }
}
