//! The dictionary load policy, in one place for every command and the server: without
//! a directory, the built-in dictionaries and gazetteer; with one (`--dictionaries
//! DIR`), the dictionary files it holds replace the built-in ones of the same name and
//! the others stay built in, and the `.tsv` files of `DIR/gazetteer/` join the
//! built-in gazetteer's. Entries read from a directory are validated before anything is
//! coded: a bad line is an error naming `file:line`. The built-in dictionaries are the
//! ones the test suite validated entry by entry (`annalist-dict`'s `tests/entries.rs`),
//! so start-up does not validate them again (12M instructions, a quarter of start-up).
//!
//! Input: an optional directory. Output: [`Resources`] (dictionaries and gazetteer),
//! from which [`Resources::coder`] makes the [`Coder`].
use annalist_coder::{Coder, CoderOptions};
use annalist_dict::{DictSource, Dictionaries};
use annalist_geo::Gazetteer;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why the dictionaries could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("--dictionaries {}: not a directory", .0.display())]
    NotADirectory(PathBuf),
    /// Lines that could not be read, one `file:line: problem` each.
    #[error("{} error(s) in the dictionaries:\n{}", .0.len(), .0.join("\n"))]
    Load(Vec<String>),
    /// Entries that were read but are inconsistent (unknown codes, …).
    #[error("{} problem(s) in the dictionaries:\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
    #[error("gazetteer:\n{0}")]
    Gazetteer(String),
}

/// What a coder is made of: the dictionaries and the gazetteer.
pub struct Resources {
    pub dictionaries: Dictionaries,
    pub gazetteer: Arc<Gazetteer>,
}

impl Resources {
    /// The built-in knowledge, or that of `dir` (see the module's policy).
    pub fn load(dir: Option<&Path>) -> Result<Resources, SetupError> {
        Ok(Resources {
            dictionaries: load_dictionaries(dir)?,
            gazetteer: load_gazetteer(dir)?,
        })
    }

    /// A coder over this knowledge.
    pub fn coder(&self, options: CoderOptions) -> Coder {
        Coder::with_gazetteer(
            &self.dictionaries,
            options,
            Some(Arc::clone(&self.gazetteer)),
        )
    }
}

fn check_dir(dir: &Path) -> Result<(), SetupError> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(SetupError::NotADirectory(dir.to_path_buf()))
    }
}

/// The dictionaries: built in (validated by the test suite), or those of `dir` over the
/// built-in ones, validated here.
pub fn load_dictionaries(dir: Option<&Path>) -> Result<Dictionaries, SetupError> {
    let source = match dir {
        Some(d) => {
            check_dir(d)?;
            DictSource::Directory(d.to_path_buf())
        }
        None => DictSource::Embedded,
    };
    let d = Dictionaries::load(&source)
        .map_err(|errs| SetupError::Load(errs.iter().map(|e| e.to_string()).collect()))?;
    if dir.is_none() {
        return Ok(d);
    }
    validated(d)
}

/// `d` if every entry is valid, else every problem as `file:line: message`.
pub fn validated(d: Dictionaries) -> Result<Dictionaries, SetupError> {
    let problems = d.validate();
    if !problems.is_empty() {
        return Err(SetupError::Invalid(
            problems.iter().map(|e| e.to_string()).collect(),
        ));
    }
    Ok(d)
}

/// The gazetteer: the built-in one, or the one `dir`'s `gazetteer/` files extend.
pub fn load_gazetteer(dir: Option<&Path>) -> Result<Arc<Gazetteer>, SetupError> {
    match dir {
        Some(d) => {
            check_dir(d)?;
            if d.join("gazetteer").is_dir() {
                let g = Gazetteer::load(d).map_err(|e| SetupError::Gazetteer(e.to_string()))?;
                Ok(Arc::new(g))
            } else {
                Ok(Gazetteer::shared())
            }
        }
        None => Ok(Gazetteer::shared()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_extends_the_gazetteer_and_a_missing_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("gazetteer")).unwrap();
        std::fs::write(
            dir.path().join("gazetteer/extra.tsv"),
            "9900003\tOstravel\tcity\tUKR\tKharkiv\t49.4\t36.7\t25000\t\n",
        )
        .unwrap();
        let k = Resources::load(Some(dir.path())).unwrap();
        assert!(!k.gazetteer.lookup("Ostravel").is_empty());
        assert!(Gazetteer::shared().lookup("Ostravel").is_empty());
        let missing = dir.path().join("nowhere");
        let e = Resources::load(Some(&missing)).err().unwrap();
        assert!(matches!(e, SetupError::NotADirectory(_)), "{e}");
    }

    #[test]
    fn a_bad_gazetteer_line_names_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("gazetteer")).unwrap();
        std::fs::write(dir.path().join("gazetteer/extra.tsv"), "no tabs here\n").unwrap();
        let e = Resources::load(Some(dir.path())).err().unwrap().to_string();
        assert!(e.contains("extra.tsv:1"), "{e}");
    }
}
