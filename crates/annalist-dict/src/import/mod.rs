//! Importing the dictionaries of the PETRARCH/TABARI family (`annalist dictionaries
//! import --format petrarch`), so that users bring the dictionaries they already keep.
//! Not a coding stage: a converter run once. Input: actor files (`*.actors.txt`, people
//! with dated roles, states, organisations, armed groups), agent files (`*.agents.txt`)
//! and verb dictionaries (`CAMEO.*.txt`: synonym sets, verb blocks, patterns), or a
//! folder of them. Output: files of annalist's own formats under `imported/` (the lower
//! layer of a dictionary directory, see [`crate::Layer`]) and, for every input line,
//! what became of it: converted exactly, converted with a stated loss, or reported as
//! `file:line: reason`. Nothing is dropped silently.
//!
//! - [`actors`]: actors and agents (records of a primary phrase, `+` synonyms and
//!   `[CODE DATES]` restrictions on the same or the following lines; `!SUBST!` and
//!   `{plural}` agents);
//! - [`verbs`]: the verb dictionary (`&SYNSET` noun sets, `--- NAME [code] ---` verb
//!   blocks with their forms, `- … * … [code]` patterns), converted to `verbs.txt`
//!   patterns and `nouns.txt` classes;
//! - [`names`]: what both share: phrases, dates, CAMEO actor codes.
//!
//! The conversions, and where the formats cannot say the same thing, are documented in
//! `dictionaries/README.md` ("Importing PETRARCH/TABARI dictionaries").
pub mod actors;
pub mod names;
pub mod verbs;

use crate::format::IMPORTED_DIR;
use crate::Dictionaries;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The kind of a PETRARCH/TABARI dictionary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `*.actors.txt`: named actors and people with dated roles.
    Actors,
    /// `*.agents.txt`: generic words that give a sector.
    Agents,
    /// `CAMEO.*.txt`, `*.verbs`: synonym sets, verb blocks and patterns.
    Verbs,
    /// `*.discards.txt`: phrases whose sentences are not coded.
    Discards,
}

impl Kind {
    /// The kind of a file, by its name, else by its content (verb blocks start with
    /// `---`, agent codes carry a `~`).
    pub fn detect(path: &str, text: &str) -> Kind {
        let name = Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if name.contains("discard") {
            Kind::Discards
        } else if name.contains("agent") {
            Kind::Agents
        } else if name.contains("actor") {
            Kind::Actors
        } else if name.contains("verb")
            || name.starts_with("cameo")
            || text
                .lines()
                .any(|l| l.starts_with("--- ") || l.starts_with("- "))
        {
            Kind::Verbs
        } else if text.contains("[~") || text.contains("~]") {
            Kind::Agents
        } else {
            Kind::Actors
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Kind::Actors => "actors",
            Kind::Agents => "agents",
            Kind::Verbs => "verbs",
            Kind::Discards => "discards",
        }
    }
}

/// What became of one input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Outcome {
    /// A comment, a blank line or markup: nothing to convert.
    #[default]
    Skipped,
    /// Not converted; the reason is reported.
    Reported,
    /// Converted with something the annalist format cannot say dropped or approximated
    /// (the note says what).
    Approximate,
    /// Converted with the same meaning.
    Exact,
}

/// A reason or note about one input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub line: usize,
    /// `true`: the line was not converted (a reason); `false`: a note on a conversion.
    pub reported: bool,
    pub text: String,
}

/// What became of every line of one input file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: String,
    pub kind: Kind,
    /// Per line: converted (into at least one output entry), with a loss, reported.
    converted: Vec<bool>,
    lossy: Vec<bool>,
    reported: Vec<bool>,
    pub messages: Vec<Message>,
}

impl FileReport {
    fn new(path: &str, kind: Kind, text: &str) -> FileReport {
        let n = text.lines().count();
        FileReport {
            path: path.to_string(),
            kind,
            converted: vec![false; n],
            lossy: vec![false; n],
            reported: vec![false; n],
            messages: Vec::new(),
        }
    }

    fn set(v: &mut [bool], line: usize) {
        if let Some(slot) = v.get_mut(line.wrapping_sub(1)) {
            *slot = true;
        }
    }

    /// Line `line` (1-based) went into an output entry.
    pub(crate) fn converted(&mut self, line: usize) {
        Self::set(&mut self.converted, line);
    }

    /// Line `line` went into an output entry with a loss; `note` says what was lost.
    pub(crate) fn approximate(&mut self, line: usize, note: impl Into<String>) {
        Self::set(&mut self.converted, line);
        Self::set(&mut self.lossy, line);
        self.note(line, note);
    }

    /// Something worth knowing about line `line` that loses nothing.
    pub(crate) fn note(&mut self, line: usize, note: impl Into<String>) {
        self.messages.push(Message {
            line,
            reported: false,
            text: note.into(),
        });
    }

    /// Something of line `line` was not converted, for `reason`. If nothing else of the
    /// line converts, the line is reported; otherwise it converted with a loss.
    pub(crate) fn report(&mut self, line: usize, reason: impl Into<String>) {
        Self::set(&mut self.reported, line);
        self.messages.push(Message {
            line,
            reported: true,
            text: reason.into(),
        });
    }

    /// The outcome of line `line` (1-based).
    pub fn outcome(&self, line: usize) -> Outcome {
        let i = line.wrapping_sub(1);
        let get = |v: &[bool]| v.get(i).copied().unwrap_or(false);
        if get(&self.converted) {
            if get(&self.lossy) || get(&self.reported) {
                Outcome::Approximate
            } else {
                Outcome::Exact
            }
        } else if get(&self.reported) {
            Outcome::Reported
        } else {
            Outcome::Skipped
        }
    }

    /// Number of lines with outcome `o`.
    pub fn count(&self, o: Outcome) -> usize {
        (1..=self.lines()).filter(|&l| self.outcome(l) == o).count()
    }

    /// Number of lines.
    pub fn lines(&self) -> usize {
        self.converted.len()
    }

    /// The reasons of the reported lines (`path:line: reason`) and the notes of the
    /// converted ones (`path:line: note: …`; what a converted line lost is a note too),
    /// in line order.
    pub fn render_messages(&self) -> Vec<String> {
        let mut m: Vec<&Message> = self.messages.iter().collect();
        m.sort_by_key(|m| m.line);
        m.dedup_by(|a, b| a.line == b.line && a.text == b.text);
        m.iter()
            .map(|m| {
                if self.outcome(m.line) == Outcome::Reported {
                    if m.reported {
                        format!("{}:{}: {}", self.path, m.line, m.text)
                    } else {
                        format!("{}:{}: (and) {}", self.path, m.line, m.text)
                    }
                } else if m.reported {
                    format!("{}:{}: note: not converted: {}", self.path, m.line, m.text)
                } else {
                    format!("{}:{}: note: {}", self.path, m.line, m.text)
                }
            })
            .collect()
    }

    /// Lines with content that neither converted nor were reported with a reason (a
    /// bug of the importer if ever non-empty).
    pub fn unexplained(&self, text: &str) -> Vec<usize> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .filter(|(l, raw)| {
                let content = raw.split(['#', ';']).next().unwrap_or("").trim();
                !content.is_empty()
                    && !content.starts_with('<')
                    && match self.outcome(*l) {
                        Outcome::Skipped => true,
                        Outcome::Reported => {
                            !self.messages.iter().any(|m| m.line == *l && m.reported)
                        }
                        _ => false,
                    }
            })
            .map(|(l, _)| l)
            .collect()
    }
}

impl fmt::Display for FileReport {
    /// One line of counts: `path (kind): N lines: E exact, A approximate, R reported, S
    /// skipped`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {} lines: {} converted exactly, {} converted with a note, {} reported, {} comments or blank",
            self.path,
            self.kind.as_str(),
            self.lines(),
            self.count(Outcome::Exact),
            self.count(Outcome::Approximate),
            self.count(Outcome::Reported),
            self.count(Outcome::Skipped)
        )
    }
}

/// An import: the report of every input file and the files written.
#[derive(Debug, Clone, Default)]
pub struct Import {
    pub reports: Vec<FileReport>,
    /// Output files: path relative to the dictionary directory → lines.
    pub files: BTreeMap<String, Vec<String>>,
}

/// A problem reading the input.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}: not valid UTF-8")]
    NotUtf8(String),
    #[error("{0}: no PETRARCH/TABARI dictionary file (*.txt) in this folder")]
    Empty(String),
    #[error("--format {0}: only `petrarch` (PETRARCH/TABARI) is supported")]
    Format(String),
}

impl Import {
    /// Lines reported over all files.
    pub fn reported(&self) -> usize {
        self.reports
            .iter()
            .map(|r| r.count(Outcome::Reported))
            .sum()
    }

    /// Every reason and note, file by file.
    pub fn messages(&self) -> Vec<String> {
        self.reports
            .iter()
            .flat_map(|r| r.render_messages())
            .collect()
    }

    /// The counts of every file, then what was written.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        for r in &self.reports {
            s.push_str(&format!("{r}\n"));
        }
        for (p, lines) in &self.files {
            let n = lines
                .iter()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .count();
            s.push_str(&format!("{p}: {n} entries\n"));
        }
        s
    }

    /// The output files as text, each with its header.
    pub fn rendered(&self) -> Vec<(String, String)> {
        self.files
            .iter()
            .map(|(p, lines)| {
                let mut t = lines.join("\n");
                t.push('\n');
                (p.clone(), t)
            })
            .collect()
    }

    /// Writes the output files under `dir` (creating folders, replacing files of the
    /// same names); returns their paths.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
        let mut written = Vec::new();
        for (rel, text) in self.rendered() {
            let p = dir.join(&rel);
            let err = |e| ImportError::Read {
                path: p.display().to_string(),
                source: e,
            };
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).map_err(err)?;
            }
            std::fs::write(&p, text).map_err(err)?;
            written.push(p);
        }
        Ok(written)
    }
}

/// Where the output of one input file goes.
pub(crate) struct Outputs<'a> {
    files: &'a mut BTreeMap<String, Vec<String>>,
    stem: String,
    source: String,
}

impl Outputs<'_> {
    /// Appends `line` to `imported/KIND/STEM.txt` (KIND: `people`, `verbs` …).
    pub(crate) fn push(&mut self, kind: &str, line: String) {
        let path = format!("{IMPORTED_DIR}{kind}/{}.txt", self.stem);
        let source = &self.source;
        self.files
            .entry(path)
            .or_insert_with(|| {
                vec![format!(
                    "# Converted from {source} by `annalist dictionaries import`; each line names its source line."
                )]
            })
            .push(line);
    }
}

/// State shared by the files of one import: phrases already taken by earlier entries.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// Named-actor phrase (lower case) → where it was first defined, and what it names
    /// (`IGO UNO`, `AFG MIL`, `AFG`).
    pub named: std::collections::HashMap<String, (String, String)>,
    /// Agent phrase (lower case) → where it was first defined.
    pub agents: std::collections::HashMap<String, String>,
}

/// Converts the given files (`(path, text)`), actors first, then agents and verbs.
/// `reference` gives what the conversion checks against: country and region codes, the
/// CAMEO table, the lexicon (lemmas, parts of speech) and the import word classes.
pub fn import_texts(inputs: &[(String, String)], reference: &Dictionaries) -> Import {
    let mut import = Import::default();
    let mut seen = Seen::default();
    let mut order: Vec<(Kind, &String, &String)> = inputs
        .iter()
        .map(|(p, t)| (Kind::detect(p, t), p, t))
        .collect();
    order.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    for (kind, path, text) in order {
        let mut report = FileReport::new(path, kind, text);
        let name = Path::new(path.as_str())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.clone());
        let stem = name
            .strip_suffix(".txt")
            .unwrap_or(&name)
            .replace(['.', ' '], "-");
        let mut out = Outputs {
            files: &mut import.files,
            stem,
            source: name.clone(),
        };
        match kind {
            Kind::Actors => {
                actors::import_actors(&name, text, reference, &mut seen, &mut report, &mut out)
            }
            Kind::Agents => {
                actors::import_agents(&name, text, reference, &mut seen, &mut report, &mut out)
            }
            Kind::Verbs => verbs::import_verbs(&name, text, reference, &mut report, &mut out),
            Kind::Discards => {
                for (i, l) in text.lines().enumerate() {
                    let t = l.split('#').next().unwrap_or("").trim();
                    if !t.is_empty() {
                        report.report(
                            i + 1,
                            "discard lists have no annalist counterpart (annalist codes every sentence)",
                        );
                    }
                }
            }
        }
        import.reports.push(report);
    }
    import
}

/// Reads `path` (a file, or every `*.txt` file of a folder) and converts it with
/// [`import_texts`]. `format` must be `petrarch` (which reads TABARI files too).
pub fn import_path(
    format: &str,
    path: &Path,
    reference: &Dictionaries,
) -> Result<Import, ImportError> {
    if format != "petrarch" {
        return Err(ImportError::Format(format.to_string()));
    }
    let read = |p: &Path| -> Result<(String, String), ImportError> {
        let bytes = std::fs::read(p).map_err(|e| ImportError::Read {
            path: p.display().to_string(),
            source: e,
        })?;
        let text =
            String::from_utf8(bytes).map_err(|_| ImportError::NotUtf8(p.display().to_string()))?;
        Ok((p.display().to_string(), text))
    };
    let mut inputs = Vec::new();
    if path.is_dir() {
        let rd = std::fs::read_dir(path).map_err(|e| ImportError::Read {
            path: path.display().to_string(),
            source: e,
        })?;
        let mut paths: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for p in paths {
            inputs.push(read(&p)?);
        }
        if inputs.is_empty() {
            return Err(ImportError::Empty(path.display().to_string()));
        }
    } else {
        inputs.push(read(path)?);
    }
    Ok(import_texts(&inputs, reference))
}
