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

/// Where an entry was read from, so that the coder can say which entry matched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub path: String,
    pub line: usize,
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
