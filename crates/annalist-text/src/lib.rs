//! annalist's language stages, each a pure function with typed input and output:
//!
//! 1. [`sentence::split_sentences`]: document text → sentence byte spans;
//! 2. [`token::tokenize`]: a sentence → tokens with byte offsets into the document;
//! 3. [`tag::Tagger`]: tokens → Penn part-of-speech tags and lemmas (lexicon + rules);
//! 4. [`chunk::chunk`]: tagged tokens → noun phrases, verb groups, prepositional phrases
//!    and clause markers.
//!
//! The word lists these stages consult are word classes of `dictionaries/classes/`
//! ([`classes::TextClasses`]). Nothing here does IO or knows about actors or events.

pub mod chunk;
pub mod classes;
pub mod conllu;
pub mod sentence;
pub mod tag;
pub mod token;

pub use chunk::{chunk, Chunk, ChunkKind, VerbGroup, Voice};
pub use classes::TextClasses;
pub use sentence::{
    dateline_len, dateline_len_with, split_sentences, split_sentences_with, SentenceSpan,
};
pub use tag::{TaggedToken, Tagger};
pub use token::{tokenize, tokenize_with, Token, TokenKind};
