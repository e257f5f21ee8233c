//! annalist's coding stages on top of the language stages of `annalist-text`:
//!
//! 5. [`actors`]: actor recognition — dictionary phrases found by longest match over
//!    tokens, combined inside noun phrases with agent words into `code`/`sector`;
//! 6. [`clauses`]: predicate–argument structure from chunks (subject, object,
//!    prepositional complements, infinitive/gerund complements, passive, relative
//!    clauses, reported speech, coreference of pronouns);
//! 7. [`events`]: verb patterns matched against predicates, control verbs combined with
//!    their complements, modality and negation;
//! 8. [`dates`]: each event's date from the words of its clause, else the document's;
//! 9. [`location`]: where it happened, from the gazetteer (`annalist-geo`);
//! 10. [`pipeline`]: the [`Coder`] that runs every stage on a [`Document`] and assembles
//!     [`EventRecord`]s, one per (source, target) pair.
//!
//! Coding never fails: bad input is the readers' business, and every stage returns a
//! result for any text.

pub mod actors;
pub mod clauses;
pub mod dates;
pub mod document;
pub mod events;
pub mod knowledge;
pub mod location;
pub mod order;
pub mod pipeline;
pub mod record;

pub use document::Document;
pub use knowledge::Knowledge;
pub use pipeline::{Coder, CoderOptions, Explanation};
pub use record::{ActorRecord, EventRecord, Evidence, Location};
