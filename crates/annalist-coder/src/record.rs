//! The output record (one coded event per (source, target) pair), defined in
//! `annalist-model` and re-exported here so that the coder's stages keep naming it
//! `crate::record::*`.
pub use annalist_model::{
    ActorRecord, Casualty, DateText, EventRecord, Evidence, Location, ReportedBy,
};
