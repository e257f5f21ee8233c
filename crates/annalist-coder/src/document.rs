//! The input unit, defined in `annalist-model` and re-exported here so that the coder's
//! stages keep naming it `crate::document::Document`.
pub use annalist_model::Document;
