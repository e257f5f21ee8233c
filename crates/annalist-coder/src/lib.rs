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
//! 10. [`records`]: one [`EventRecord`] per (source, target) pair with its evidence,
//!     and what analysts weigh ([`weigh`]): PLOVER mode and context, attribution of
//!     reported speech, casualty figures, confidence.
//!
//! [`coder`] holds the [`Coder`] and the one loop over a document's sentences that `code`
//! and `explain` share; [`sentence`] runs stages 3–7 on one sentence, [`passes`] the
//! named rule passes that complete an event's source and target; [`knowledge`] is the
//! word and noun classes every stage reads; [`explain`] renders a trace.
//!
//! Coding never fails: bad input is the readers' business, and every stage returns a
//! result for any text.

pub mod actors;
pub mod clauses;
pub mod coder;
pub mod dates;
pub mod document;
pub mod events;
pub mod explain;
pub mod knowledge;
pub mod location;
pub mod order;
pub mod passes;
pub mod record;
pub mod records;
pub mod sentence;
pub mod weigh;

pub use coder::{Coder, CoderOptions};
pub use document::Document;
pub use explain::Explanation;
pub use knowledge::Knowledge;
pub use record::{ActorRecord, EventRecord, Evidence, Location};
