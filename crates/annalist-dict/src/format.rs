//! The shared line format of every dictionary file: `#` comments, blank lines ignored,
//! fields separated by ` | `, list items by `;`.
use std::fmt;

/// A problem in a dictionary file, at `path:line`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DictError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

impl DictError {
    pub fn new(path: &str, line: usize, message: impl Into<String>) -> Self {
        DictError {
            path: path.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// The prefix of the files of the imported layer (`DIR/imported/…`, written by
/// `annalist dictionaries import`).
pub const IMPORTED_DIR: &str = "imported/";

/// Which layer a dictionary entry belongs to. annalist's own files come first; files
/// under `imported/` (converted from another coder's dictionaries) form a lower layer:
/// an entry of theirs that conflicts with one of annalist's own is dropped when loading
/// ([`crate::Dictionaries::load`]), and own verb patterns are tried before imported ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Layer {
    #[default]
    Own,
    Imported,
}

impl Layer {
    /// The layer of a file, by its path relative to the dictionary directory.
    pub fn of_path(path: &str) -> Layer {
        if path.starts_with(IMPORTED_DIR) {
            Layer::Imported
        } else {
            Layer::Own
        }
    }
}

/// Where an entry was read from, so that the coder can say which entry matched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub path: String,
    pub line: usize,
}

impl Origin {
    /// The layer of the file the entry comes from.
    pub fn layer(&self) -> Layer {
        Layer::of_path(&self.path)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

/// The content lines of a file: `(line number, text without comment, trimmed)`.
pub fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let l = match l.find('#') {
            Some(p) => &l[..p],
            None => l,
        };
        let l = l.trim();
        (!l.is_empty()).then_some((i + 1, l))
    })
}

/// Splits a line into ` | ` separated fields (a line may also end in a bare `|`).
pub fn fields(line: &str) -> Vec<&str> {
    line.split('|').map(str::trim).collect()
}

/// Splits a field into `;` separated, trimmed, non-empty items.
pub fn items(field: &str) -> Vec<&str> {
    field
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A three-letter upper-case code.
pub fn is_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}
