//! The output record: one coded event per (source, target) pair, as the coder makes it.
//! Field names are the contract the scorers and exports read (see README "Output").
use serde::{Deserialize, Serialize};

/// An actor as coded: codes plus the words that named it and their byte offsets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRecord {
    /// ISO 3166 alpha-3 country code, CAMEO region code, or IGO/NGO/BUS/IMG.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sector: Option<String>,
    /// CAMEO-style actor code: code + org or sector (RUSGOV, IGOUNO).
    pub cameo_actor: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The dictionary entry (path:line) and how it was found.
    pub entry: String,
}

/// The words that justify the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub trigger: String,
    pub start: usize,
    pub end: usize,
    /// The verb pattern that fired: `verbs.txt:LINE`, with the pattern text.
    pub rule: String,
    pub pattern: String,
}

/// The date of an event and the words that fixed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateText {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One coded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub doc_id: String,
    /// Sentence index in the document (0-based).
    pub sentence: usize,
    /// PLOVER event type.
    pub event_type: String,
    pub cameo: String,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    pub goldstein: f32,
    pub source: ActorRecord,
    pub target: Option<ActorRecord>,
    /// One record for a symmetric event between source and target ("X and Y met",
    /// "clashes between X and Y"): it stands for both directions. Source and target are
    /// in text order. Omitted from JSON when false.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub mutual: bool,
    pub negated: bool,
    /// "asserted", or the control that framed the event: intent, threat, refusal,
    /// request, denial.
    pub modality: String,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_text: Option<DateText>,
    /// For a document dated from its place in a feed (`code --order`): the date used as
    /// its anchor and how it was found (see `annalist-coder`'s `order.rs`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub document_date: Option<crate::dating::DocumentDate>,
    /// Where the event happened (`location.rs`), if the sentence names a place.
    pub location: Option<Location>,
    pub evidence: Evidence,
    /// Who the text says the event on: `asserted` (the text states it), `claimed` (a
    /// party to the conflict says so), `reported` (a third party — media, an NGO, an
    /// international body — says so), `alleged` (an accusation or an "alleged" event) or
    /// `denied` (the claimant denies it). Records read from before this field existed
    /// are `asserted`.
    #[serde(default = "asserted")]
    pub attribution: String,
    /// The claimant and the reporting verb when the event's clause is reported speech.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reported_by: Option<ReportedBy>,
    /// For a speech act that is itself an event (an accusation, a threat, a denial, a
    /// demand): the records of the events it mentions, as 0-based positions among the
    /// document's records in output order.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub about: Vec<usize>,
    /// How likely the record is a correct (source, type, target) triple, in [0, 1],
    /// computed from the evidence (see ARCHITECTURE.md, "Confidence"); `None` for records
    /// made before confidence existed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub confidence: Option<f32>,
    /// Casualty counts the sentence gives for a violent event (ACLED-style).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub casualties: Vec<Casualty>,
    /// PLOVER mode (e.g. ASSAULT `aerial`, COERCE `arrest`), from the CAMEO code and the
    /// trigger.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mode: Option<String>,
    /// PLOVER context (e.g. `military`, `economic`, `legal`, `human_security`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub context: Option<String>,
}

fn asserted() -> String {
    "asserted".to_string()
}

/// The source of a claim: who said it and the reporting verb.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportedBy {
    /// The claimant as coded, when the claimant is an actor annalist can code
    /// ("Ukrainian officials" → UKR GOV; bare "officials" take the sentence's country).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub actor: Option<ActorRecord>,
    /// The claimant's words and offsets (the subject of the reporting verb, or the
    /// object of "according to").
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The reporting verb ("said", "claimed", "according to") and its offsets.
    pub verb: String,
    pub verb_start: usize,
    pub verb_end: usize,
}

/// One casualty figure of an event: "killing at least 20 people" → killed 20.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Casualty {
    /// `killed`, `injured`, `abducted` or `arrested`.
    pub kind: String,
    /// The lowest number the text supports ("at least 20" → 20, "dozens" → 24).
    pub count: u32,
    /// The upper end where the text gives a range or a vague quantity ("dozens" → 99,
    /// "between 10 and 15" → 15); absent for an exact figure.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub high: Option<u32>,
    /// Who they were, where the text says: `civilians`, `soldiers`, `police`,
    /// `militants`, `children`, `protesters`, `journalists`, `aid_workers`, `people`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub who: Option<String>,
    /// The words of the figure ("at least 20 people") and their offsets.
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Where an event happened: a gazetteer place and the words that named it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub name: String,
    /// The first-level region of a town.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub admin1: Option<String>,
    /// ISO 3166 alpha-3 code.
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// `city`, `admin1` or `country`.
    pub precision: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}
