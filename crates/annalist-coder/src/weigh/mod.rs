//! What analysts weigh besides who did what to whom (issue 19): the PLOVER mode and
//! context of an event (`mode`), who claims it (`attribution`), its casualty figures
//! (`casualties`) and how sure the coder is (`confidence`). Input: one sentence's
//! analysis and its coded events; output: the record fields of the same names, each
//! with the words or the rule that decided it (shown by `explain`).
pub mod attribution;
pub mod casualties;
pub mod confidence;
pub mod mode;

use crate::clauses::Arg;
use crate::sentence::SentenceAnalysis;

/// Token indices of the chunks of an argument.
pub(crate) fn arg_tokens(s: &SentenceAnalysis, a: &Arg) -> impl Iterator<Item = usize> {
    let chunks: Vec<(usize, usize)> = a
        .chunks
        .iter()
        .filter_map(|&c| s.chunks.get(c).map(|c| (c.start, c.end)))
        .collect();
    chunks.into_iter().flat_map(|(a, b)| a..b)
}

/// The token where an event's trigger starts.
pub(crate) fn trigger_token(s: &SentenceAnalysis, ev: &crate::events::CodedEvent) -> usize {
    s.tokens
        .iter()
        .position(|t| t.token.start >= ev.trigger.0)
        .unwrap_or(0)
}

/// Token indices whose bytes lie inside `span`.
pub(crate) fn tokens_in(
    s: &SentenceAnalysis,
    span: (usize, usize),
) -> impl Iterator<Item = usize> + '_ {
    s.tokens
        .iter()
        .enumerate()
        .filter(move |(_, t)| t.token.start >= span.0 && t.token.end <= span.1)
        .map(|(i, _)| i)
}
