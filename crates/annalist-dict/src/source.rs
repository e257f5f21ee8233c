//! Where dictionary files come from: the copies embedded at build time, or a directory
//! given at run time whose files replace the embedded ones of the same name.
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The bytes of a binary dictionary file: embedded in the program or read at run time.
#[derive(Debug, Clone)]
pub enum Blob {
    Static(&'static [u8]),
    Owned(Arc<[u8]>),
}

impl std::ops::Deref for Blob {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Blob::Static(b) => b,
            Blob::Owned(b) => b,
        }
    }
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// A set of dictionary files.
#[derive(Debug, Clone)]
pub enum DictSource {
    /// The files compiled into the binary.
    Embedded,
    /// A directory with the layout of `dictionaries/`; a file it lacks falls back to
    /// the embedded copy, a file it adds (e.g. `people/mine.txt`) is read too.
    Directory(PathBuf),
}

impl DictSource {
    /// `(relative path, contents)` of every file, sorted by path: the embedded files
    /// borrowed, those of a directory owned. Files that cannot be read are reported as
    /// contents of an error line so that loading names them.
    pub fn files(&self) -> Vec<(String, Cow<'static, str>)> {
        let mut files: std::collections::BTreeMap<String, Cow<'static, str>> = embedded::EMBEDDED
            .iter()
            .map(|(p, t)| (p.to_string(), Cow::Borrowed(*t)))
            .collect();
        if let DictSource::Directory(dir) = self {
            let mut stack = vec![dir.clone()];
            while let Some(d) = stack.pop() {
                let Ok(rd) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in rd.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "txt") {
                        let rel = p
                            .strip_prefix(dir)
                            .unwrap_or(&p)
                            .to_string_lossy()
                            .replace('\\', "/");
                        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| {
                            format!("!error cannot read {}: {e}\n", p.display())
                        });
                        files.insert(rel, Cow::Owned(text));
                    }
                }
            }
        }
        files.into_iter().collect()
    }

    /// `(relative path, bytes)` of every binary file (`*.bin`, the tagger's model),
    /// sorted by path: the embedded ones, replaced or added to by the directory's. A file
    /// that cannot be read is an error naming it.
    pub fn binary_files(&self) -> Result<Vec<(String, Blob)>, crate::DictError> {
        let mut files: std::collections::BTreeMap<String, Blob> = embedded::EMBEDDED_BINARY
            .iter()
            .map(|(p, b)| (p.to_string(), Blob::Static(b)))
            .collect();
        if let DictSource::Directory(dir) = self {
            let mut stack = vec![dir.clone()];
            while let Some(d) = stack.pop() {
                let Ok(rd) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in rd.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "bin") {
                        let rel = p
                            .strip_prefix(dir)
                            .unwrap_or(&p)
                            .to_string_lossy()
                            .replace('\\', "/");
                        let bytes = std::fs::read(&p).map_err(|e| {
                            crate::DictError::new(&rel, 0, format!("cannot read: {e}"))
                        })?;
                        files.insert(rel, Blob::Owned(bytes.into()));
                    }
                }
            }
        }
        Ok(files.into_iter().collect())
    }

    /// The compiled embedded lexicon (`lexicon/words.txt` and `lemmas.txt`), read in
    /// place on first use.
    pub fn compiled_lexicon() -> Arc<crate::lexicon::CompiledLexicon> {
        static COMPILED: OnceLock<Arc<crate::lexicon::CompiledLexicon>> = OnceLock::new();
        COMPILED
            .get_or_init(|| {
                Arc::new(
                    crate::lexicon::CompiledLexicon::new(
                        embedded::LEXICON_WORDS,
                        embedded::LEXICON_TAG_LISTS,
                        embedded::LEXICON_LEMMAS,
                    )
                    .unwrap_or_else(|e| panic!("embedded lexicon: {e}")),
                )
            })
            .clone()
    }

    /// The embedded file at `path`, if any.
    pub fn embedded_file(path: &str) -> Option<&'static str> {
        embedded::EMBEDDED
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, t)| *t)
    }
}
