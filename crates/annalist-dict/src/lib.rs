//! annalist's dictionaries: every piece of linguistic and world knowledge the coder uses,
//! read from plain-text files (`dictionaries/` in the repository, documented in its
//! README), embedded at build time and overridable at run time.
//!
//! Entry point: [`Dictionaries::embedded`] or [`Dictionaries::load`] with a
//! [`DictSource`]. Parsing reports every bad line as a [`DictError`] naming
//! `path:line`; [`Dictionaries::validate`] runs the cross-entry checks (duplicate keys,
//! role overlaps, unknown codes) that the test suite applies to every entry.

pub mod actors;
pub mod cameo;
pub mod classes;
pub mod confidence;
pub mod format;
pub mod import;
mod layers;
pub mod lexicon;
pub mod patterns;
pub mod sector;
mod source;
pub mod tagger;
pub mod validate;

pub use actors::{Agent, Country, Group, Organisation, Person, Role, Seat, SECTORS};
pub use cameo::{CameoCode, CameoTable, Plover, QuadClass};
pub use classes::{ClassKind, WordClass, WordClasses};
pub use confidence::ConfidenceModel;
pub use format::{DictError, Layer};
pub use lexicon::{CompiledLexicon, LemmaPos, Lexicon, Tag};
pub use patterns::{
    Combination, Complement, ControlKind, Derivation, NounClass, PatternAction, PatternObject,
    Solo, VerbPattern,
};
pub use sector::Sector;
pub use source::{Blob, DictSource};
pub use tagger::TaggerModel;

/// All dictionaries, parsed.
#[derive(Debug, Clone, Default)]
pub struct Dictionaries {
    pub countries: Vec<Country>,
    pub regions: Vec<Country>,
    pub organisations: Vec<Organisation>,
    pub groups: Vec<Group>,
    pub people: Vec<Person>,
    pub agents: Vec<Agent>,
    pub lexicon: Lexicon,
    pub cameo: CameoTable,
    pub nouns: Vec<NounClass>,
    pub verbs: Vec<VerbPattern>,
    pub combinations: Vec<Combination>,
    /// Codes that need a partner and their code when done alone (`solo` lines).
    pub solos: Vec<Solo>,
    /// Event nouns made from verbs (`derivations.txt`).
    pub derivations: Vec<Derivation>,
    /// Closed word classes (`classes/*.txt`).
    pub classes: WordClasses,
    /// The weights of the records' confidence (`confidence.txt`).
    pub confidence: ConfidenceModel,
    /// The tagger's trained model (`tagger/model.bin`), if there is one.
    pub tagger_model: Option<TaggerModel>,
    /// The names of the tagger's rules that override the model (`tagger/constraints.txt`).
    pub tagger_constraints: Vec<String>,
    /// Entries of the imported layer dropped when loading because an entry of annalist's
    /// own (or an earlier imported one) already says the same thing (see [`Layer`]).
    pub shadowed: usize,
}

impl Dictionaries {
    /// The dictionaries compiled into the binary. Panics only if an embedded file is
    /// malformed, which the test suite rules out.
    pub fn embedded() -> Dictionaries {
        match Self::load(&DictSource::Embedded) {
            Ok(d) => d,
            Err(errs) => panic!(
                "embedded dictionaries are invalid:\n{}",
                errs.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }

    /// Parses every dictionary file of `source`; all syntax errors are collected.
    pub fn load(source: &DictSource) -> Result<Dictionaries, Vec<DictError>> {
        Self::load_inner(source, true)
    }

    /// [`load`](Self::load) without the tagger's model (for training a new one while
    /// the embedded model is stale).
    pub fn load_without_model(source: &DictSource) -> Result<Dictionaries, Vec<DictError>> {
        Self::load_inner(source, false)
    }

    fn load_inner(source: &DictSource, model: bool) -> Result<Dictionaries, Vec<DictError>> {
        let mut errors = Vec::new();
        let mut d = Dictionaries::default();
        // Own files first, then the imported layer, each in path order.
        let mut files = source.files();
        files.sort_by_key(|(p, _)| (Layer::of_path(p), p.clone()));
        // Without an imported file every entry is the own layer's, which drops nothing.
        let layered = files
            .iter()
            .any(|(p, _)| Layer::of_path(p) == Layer::Imported);
        // The embedded words and lemmas are compiled; a directory's files replace them.
        d.lexicon.use_compiled(DictSource::compiled_lexicon());
        for (path, text) in files {
            let name = path.as_str();
            if matches!(text, std::borrow::Cow::Borrowed(_))
                && (name == "lexicon/words.txt" || name == "lexicon/lemmas.txt")
            {
                continue;
            }
            // `imported/` holds the lower layer: the same kinds of file, each kind either
            // one file (`imported/verbs.txt`) or a folder of them (`imported/verbs/*.txt`),
            // as own actor files may be (`people/*.txt`, `agents/*.txt` …).
            let rel = name.strip_prefix(format::IMPORTED_DIR).unwrap_or(name);
            let imported = rel.len() != name.len();
            let kind = rel
                .split_once('/')
                .map(|(dir, _)| dir)
                .unwrap_or_else(|| rel.strip_suffix(".txt").unwrap_or(""));
            let res: Result<(), Vec<DictError>> = match kind {
                "countries" => actors::parse_countries(name, &text).map(|v| d.countries.extend(v)),
                "regions" => actors::parse_countries(name, &text).map(|v| d.regions.extend(v)),
                "organisations" => {
                    actors::parse_organisations(name, &text).map(|v| d.organisations.extend(v))
                }
                "groups" => actors::parse_groups(name, &text).map(|v| d.groups.extend(v)),
                "people" => actors::parse_people(name, &text).map(|v| d.people.extend(v)),
                "agents" => actors::parse_agents(name, &text).map(|v| d.agents.extend(v)),
                "nouns" => patterns::parse_nouns(name, &text).map(|v| d.nouns.extend(v)),
                "verbs" => patterns::parse_verbs(name, &text)
                    .map(|v| d.verbs.extend(v))
                    .and_then(|_| {
                        patterns::parse_combinations(name, &text).map(|c| d.combinations.extend(c))
                    })
                    .and_then(|_| patterns::parse_solos(name, &text).map(|c| d.solos.extend(c))),
                // Word knowledge and codes are annalist's own: no imported layer.
                _ if imported => Ok(()),
                "derivations" => {
                    patterns::parse_derivations(name, &text).map(|v| d.derivations.extend(v))
                }
                _ if name == "lexicon/words.txt" => d.lexicon.parse_words(name, &text),
                _ if name == "lexicon/lemmas.txt" => d.lexicon.parse_lemmas(name, &text),
                _ if name == "lexicon/closed.txt" => d.lexicon.parse_fixed(name, &text, false),
                _ if name == "tagger/constraints.txt" => {
                    tagger::parse_constraints(name, &text).map(|v| d.tagger_constraints = v)
                }
                _ if name == "lexicon/punctuation.txt" => d.lexicon.parse_fixed(name, &text, true),
                _ if name == "cameo.txt" => {
                    cameo::CameoTable::parse(name, &text).map(|t| d.cameo = t)
                }
                _ if name == "confidence.txt" => {
                    ConfidenceModel::parse(name, &text).map(|m| d.confidence = m)
                }
                "classes" => d.classes.parse_file(name, &text),
                _ => Ok(()),
            };
            if let Err(e) = res {
                errors.extend(e);
            }
        }
        match source.binary_files() {
            Ok(_) if !model => {}
            Ok(files) => {
                for (path, bytes) in files {
                    if path == "tagger/model.bin" {
                        match TaggerModel::new(bytes) {
                            Ok(m) => d.tagger_model = Some(m),
                            Err(e) => errors.push(DictError::new(&path, 0, e.to_string())),
                        }
                    }
                }
            }
            Err(e) => errors.push(e),
        }
        if layered {
            d.shadowed = layers::drop_shadowed(&mut d);
        }
        if errors.is_empty() {
            Ok(d)
        } else {
            Err(errors)
        }
    }

    /// Cross-entry checks; an empty result means every entry is valid.
    pub fn validate(&self) -> Vec<DictError> {
        validate::validate(self)
    }
}
