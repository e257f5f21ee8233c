//! House rules checked on the source: linguistic word lists live in
//! `dictionaries/classes/*.txt`, not in Rust string literals, and no function of the
//! coding stages grows past ~120 lines (ARCHITECTURE.md, "Knowledge is data" and "Named
//! passes").
use std::path::{Path, PathBuf};

/// Source folders whose code is linguistic: the coder and the language stages.
const LINGUISTIC: &[&str] = &["crates/annalist-coder/src", "crates/annalist-text/src"];

/// The longest function allowed in those folders, in lines.
const MAX_FUNCTION_LINES: usize = 120;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The file's code before its `#[cfg(test)]` module, with `//` comments blanked (so that
/// line numbers stay).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let body = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text,
    };
    body.lines()
        .map(|l| match l.trim_start().starts_with("//") {
            true => "",
            false => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs of string literals joined only by `|`, `,` or whitespace: `"a" | "b" | "c" | "d"`
/// or `["a", "b", "c", "d"]`. Returns (line, number of literals) of runs of four or more.
fn literal_runs(code: &str) -> Vec<(usize, usize)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut run, mut run_line) = (0, 0usize, 0usize);
    let line_at = |i: usize| code[..i].matches('\n').count() + 1;
    while i < b.len() {
        match b[i] {
            b'"' => {
                // A string literal (escapes honoured).
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                if run == 0 {
                    run_line = line_at(start);
                }
                run += 1;
            }
            b'|' | b',' | b' ' | b'\n' | b'\t' | b'\r' => i += 1,
            _ => {
                if run > 3 {
                    out.push((run_line, run));
                }
                run = 0;
                i += 1;
            }
        }
    }
    out
}

/// Functions longer than `max` lines: (line, name, length).
fn long_functions(code: &str, max: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (n, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let Some(rest) = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn "]
            .iter()
            .find_map(|p| t.strip_prefix(p))
        else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let indent = l.len() - t.len();
        // The function ends at the first line closing a brace at its indentation.
        let close = " ".repeat(indent) + "}";
        if let Some(end) = (n + 1..lines.len()).find(|&k| lines[k] == close) {
            if end - n + 1 > max {
                out.push((n + 1, name, end - n + 1));
            }
        }
    }
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (path relative to the repository, code) of every file of the linguistic folders.
fn linguistic_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in LINGUISTIC {
        rust_files(&root().join(dir), &mut files);
    }
    files.sort();
    files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(root()).unwrap().display().to_string();
            (rel, code_of(f))
        })
        .collect()
}

#[test]
fn no_word_lists_in_linguistic_code() {
    let mut problems = Vec::new();
    for (path, code) in linguistic_files() {
        for (line, n) in literal_runs(&code) {
            problems.push(format!(
                "{path}:{line}: a list of {n} string literals: move it to a word class \
                 (dictionaries/classes/, see its README)"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn no_long_functions_in_linguistic_code() {
    let mut problems = Vec::new();
    for (path, code) in linguistic_files() {
        for (line, name, len) in long_functions(&code, MAX_FUNCTION_LINES) {
            problems.push(format!(
                "{path}:{line}: fn {name} has {len} lines (at most {MAX_FUNCTION_LINES}): \
                 split it into named passes"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_checks_catch_what_they_promise() {
    let code = "fn a() {\n    matches!(w, \"a\" | \"b\" | \"c\" | \"d\")\n}\nconst X: &[&str] = &[\"a\", \"b\", \"c\"];\n";
    assert_eq!(literal_runs(code), vec![(2, 4)]);
    let long = format!("fn big() {{\n{}}}\n", "    x();\n".repeat(130));
    assert_eq!(
        long_functions(&long, 120),
        vec![(1, "big".to_string(), 132)]
    );
    assert!(long_functions("fn small() {\n}\n", 120).is_empty());
}
