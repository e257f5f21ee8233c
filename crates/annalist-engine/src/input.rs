//! Reading into the engine: files, folders and standard input (`-`) through
//! `annalist-feeds`' readers (any format, gzip, folders walked), and embedded text such
//! as the built-in sample, in the order given. Every rejected record or file is passed
//! on as a [`ReadError`] (`file:line: problem`) and reading goes on.
//!
//! With a feed order (`code --order`), every document is read first, then the undated
//! ones are dated from their place in the feed (`annalist_coder::order::date_feed`)
//! before any is coded; otherwise documents stream straight into the engine.
use crate::stream::{CodedSink, Stream};
use annalist_coder::order::{date_feed, FeedOrder};
use annalist_feeds::{read_input, InputKind};
use annalist_io::{ReadError, ReadOptions};
use annalist_model::Document;

/// One input.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A file or folder path, or `-` for standard input.
    Path(&'a str),
    /// JSON Lines held in memory, reported under `name` (e.g. `<sample>`).
    JsonLines { name: &'a str, text: &'a str },
}

/// What to read and how.
#[derive(Debug, Clone, Default)]
pub struct Reading<'a> {
    pub inputs: Vec<Input<'a>>,
    /// The format of every path (`--format`); `None`: from each name, else its content.
    pub kind: Option<InputKind>,
    pub options: ReadOptions,
    /// The inputs are a feed in this order: date the undated documents from it.
    pub order: Option<FeedOrder>,
}

/// Reads every input, calling `f` with each document or error in input order.
pub fn read_inputs(reading: &Reading, f: &mut dyn FnMut(Result<Document, ReadError>)) {
    for input in &reading.inputs {
        match *input {
            Input::Path(p) => read_input(p, reading.kind, &reading.options, f),
            Input::JsonLines { name, text } => {
                annalist_io::read_json_lines(name, text.as_bytes(), &reading.options, f)
            }
        }
    }
}

/// How many records or files were rejected (could not be read) and how many were
/// skipped by design ([`ReadError::skipped`]: web-archive records that are no page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InputProblems {
    pub rejected: usize,
    pub skipped: usize,
}

/// Reads every input into `stream`, calling `problem` with each record or file that
/// could not be read or was skipped; returns how many of each. The stream is not
/// finished.
pub fn code_inputs<S: CodedSink>(
    stream: &mut Stream<'_, S>,
    reading: &Reading,
    problem: &mut dyn FnMut(&ReadError),
) -> InputProblems {
    let mut count = InputProblems::default();
    let mut held: Vec<Document> = Vec::new();
    read_inputs(reading, &mut |r| match r {
        Ok(doc) if reading.order.is_some() => held.push(doc),
        Ok(doc) => stream.push(doc, None),
        Err(e) => {
            if e.skipped {
                count.skipped += 1;
            } else {
                count.rejected += 1;
            }
            problem(&e);
        }
    });
    if let Some(order) = reading.order {
        for (doc, date) in date_feed(held, order) {
            stream.push(doc, date);
        }
    }
    count
}
