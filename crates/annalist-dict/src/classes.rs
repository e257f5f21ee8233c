//! Word classes (`dictionaries/classes/*.txt`): every closed list of words the tagger,
//! chunker and coder consult — reporting verbs, time words, place prepositions … — as
//! data. Each class has a name the code refers to ([`WordClass`]), a kind that says
//! what its members are matched against (a lemma, the word as written, a suffix …), its
//! members, a comment and an example sentence.
//!
//! Line format (the file's README section documents it for analysts):
//!
//! ```text
//! # Verbs that report speech: the clause they introduce is coded on its own.
//! SPEECH_VERB | lemma | say; tell; announce | Officials said the talks had failed.
//! SPEECH_VERB | lemma | confirm; deny          # more members, same class
//! ```
//!
//! A member may carry a value after `=` (`january=1`), read with [`WordClasses::value`].
//! A class may span several lines (same name and kind); the comment lines directly
//! above its first line are its documentation, and one of its lines carries the example.
//! Every class the code names must be defined exactly once, with a comment and an
//! example that contains one of its members ([`WordClasses::check`]).
use crate::format::{content_lines, fields, items, DictError, Origin};
use crate::lexicon::{LemmaPos, Lexicon};
use rustc_hash::FxHashSet;

/// What a class's members are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassKind {
    /// A token's lemma ("said" is a member of a class listing "say").
    Lemma,
    /// A token as written, in lower case ("overnight", "u.s.", ";").
    Word,
    /// The end of a word ("-ese" in "Lebanese").
    Suffix,
    /// The start of a word ("anti-").
    Prefix,
}

impl ClassKind {
    fn parse(s: &str) -> Option<ClassKind> {
        Some(match s {
            "lemma" => ClassKind::Lemma,
            "word" => ClassKind::Word,
            "suffix" => ClassKind::Suffix,
            "prefix" => ClassKind::Prefix,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ClassKind::Lemma => "lemma",
            ClassKind::Word => "word",
            ClassKind::Suffix => "suffix",
            ClassKind::Prefix => "prefix",
        }
    }
}

macro_rules! word_classes {
    ($( $(#[$doc:meta])* $var:ident = $name:literal, )*) => {
        /// The word classes the code consults, by the name they carry in
        /// `dictionaries/classes/*.txt`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum WordClass { $( $(#[$doc])* $var, )* }

        impl WordClass {
            /// Every class, in declaration order.
            pub const ALL: &'static [WordClass] = &[ $(WordClass::$var,)* ];

            /// The class's name in the data files.
            pub fn name(self) -> &'static str {
                match self { $(WordClass::$var => $name,)* }
            }

            /// The class called `name` in the data files.
            pub fn from_name(name: &str) -> Option<WordClass> {
                match name { $($name => Some(WordClass::$var),)* _ => None }
            }
        }
    };
}

word_classes! {
    // ---- shared by the tagger, the chunker and the coder
    /// Verbs that report speech.
    SpeechVerb = "SPEECH_VERB",
    /// Words that date a clause and are never part of a noun phrase ("today", "Tuesday").
    TimeWord = "TIME_WORD",

    // ---- annalist-text (tagger, chunker, sentences): add below this line
    /// Copular verbs other than "be" ("remained committed to").
    CopularForm = "COPULAR_FORM",
    /// Words that open a time phrase after a noun ("last week").
    TimeDeictic = "TIME_DEICTIC",
    /// The periods such a phrase names ("week", "month").
    TimePeriod = "TIME_PERIOD",
    /// Marks that end a wire dateline when a space follows.
    DatelineMark = "DATELINE_MARK",
    /// Dashes that end a wire dateline between spaces.
    DatelineDash = "DATELINE_DASH",
    /// Abbreviations whose period never ends a sentence.
    SentenceAbbreviation = "SENTENCE_ABBREVIATION",
    /// Words that start a sentence after a dotted acronym.
    SentenceStarter = "SENTENCE_STARTER",
    /// Abbreviations the tokenizer keeps with their period.
    Abbreviation = "ABBREVIATION",
    /// Clitics split off after an apostrophe ('s, 'll …).
    Clitic = "CLITIC",
    /// Forms of "be".
    BeForm = "BE_FORM",
    /// Forms of "have".
    HaveForm = "HAVE_FORM",
    /// Words after which a new clause starts.
    ClauseOpener = "CLAUSE_OPENER",
    /// First words of a fronted subordinate clause.
    FrontedSubordinator = "FRONTED_SUBORDINATOR",
    /// Words of a time phrase before a fronted subordinator ("Two days after …").
    SubordinatorLead = "SUBORDINATOR_LEAD",
    /// Marks after which a word is capitalised as at a sentence start.
    SentenceStartMark = "SENTENCE_START_MARK",
    /// Endings of adjectives of nationality.
    NationalitySuffix = "NATIONALITY_SUFFIX",
    /// Endings of unknown adjectives.
    AdjectiveSuffix = "ADJECTIVE_SUFFIX",
    /// Particles of personal names ("van", "bin").
    NameParticle = "NAME_PARTICLE",
    /// Name particles that may follow another ("van der").
    NameParticleSecond = "NAME_PARTICLE_SECOND",
    /// Words after which "'s" is "is".
    IsContractionHost = "IS_CONTRACTION_HOST",
    /// Auxiliaries whose negation leaves a base form.
    NegatedAux = "NEGATED_AUX",
    /// Object pronouns.
    ObjectPronoun = "OBJECT_PRONOUN",
    /// Finite verbs after which a participle stays a participle.
    ParticipleGovernor = "PARTICIPLE_GOVERNOR",
    /// -ing forms used as adjectives after a preposition ("from neighbouring Sudan").
    AdjectivalIng = "ADJECTIVAL_ING",
    /// Past forms of naming verbs, whose passive takes a name ("a militia called …").
    NamingParticiple = "NAMING_PARTICIPLE",
    /// Verbs besides SPEECH_VERB that introduce a reported clause.
    ReportingVerb = "REPORTING_VERB",
    /// Verb particles ("off", "out").
    VerbParticle = "VERB_PARTICLE",
    /// Particles tagged as prepositions that follow a verb as its particle.
    ParticleNotPreposition = "PARTICLE_NOT_PREPOSITION",
    /// Words that open a subordinate clause.
    Subordinator = "SUBORDINATOR",
    /// Subordinators that never head a prepositional phrase.
    ClauseSubordinator = "CLAUSE_SUBORDINATOR",
    /// Quantifiers before a number ("at least").
    Quantifier = "QUANTIFIER",
    /// Verbs whose "over" is a particle before a number.
    OverParticleVerb = "OVER_PARTICLE_VERB",
    /// Auxiliary verbs (lemmas).
    Auxiliary = "AUXILIARY",
    /// Latin phrases tagged FW ("de facto").
    LatinPhrase = "LATIN_PHRASE",
    /// Participles that are adjectives between "be" and "to".
    AdjectivalParticiple = "ADJECTIVAL_PARTICIPLE",
    /// Verbs followed by a bare infinitive ("help rebuild").
    BareInfinitiveVerb = "BARE_INFINITIVE_VERB",
    /// Verbs whose object may be a gerund with its own object ("began shelling
    /// positions", "resumed firing rockets").
    GerundVerb = "GERUND_VERB",
    /// Verbs after which "to" introduces a noun phrase ("bowed to pressure"), so a
    /// word after it with a noun reading is a noun, not an infinitive.
    PrepositionalToVerb = "PREPOSITIONAL_TO_VERB",
    /// Nouns after which "to" introduces a noun phrase ("set fire to police stations").
    PrepositionalToNoun = "PREPOSITIONAL_TO_NOUN",

    // ---- annalist-coder (actors, clauses, events, dates, locations): add below this line
    /// Words after which a capitalised common word may name a town.
    NamePlacePrep = "NAME_PLACE_PREP",
    /// Compounds naming who holds a place ("-held").
    HolderSuffix = "HOLDER_SUFFIX",
    /// Second halves of descriptive hyphenated compounds ("backed" in "Saudi-backed").
    CompoundTail = "COMPOUND_TAIL",
    /// Verbs whose possessive object is the subject's own ("withdraw its troops").
    OwnObjectVerb = "OWN_OBJECT_VERB",
    /// Object-control verbs ("urged Beijing to release …": Beijing releases).
    ObjectControlVerb = "OBJECT_CONTROL_VERB",
    /// Modifiers that place an agent abroad ("foreign troops"): never localized.
    ForeignModifier = "FOREIGN_MODIFIER",
    /// Verbs of a go-between ("a truce brokered by Qatar"): the by-agent of such a
    /// participle on a thing is no author of the thing.
    BrokerVerb = "BROKER_VERB",
    /// Adjectives of an event that may or may not come ("remains unlikely"): an event
    /// noun subject of such a copular clause names no deed done.
    UnrealAdjective = "UNREAL_ADJECTIVE",
    /// Plural pronouns.
    PluralPronoun = "PLURAL_PRONOUN",
    /// Words that refer to the other party, never to the clause's own subject or
    /// speaker ("him", "them", "its counterpart").
    OtherPartyAnaphor = "OTHER_PARTY_ANAPHOR",
    /// Prepositions of a mobilization's purpose clause that name whom it is aimed at
    /// ("to counter threats from X").
    PurposeTargetPrep = "PURPOSE_TARGET_PREP",
    /// Relative pronouns that open a relative clause set off by commas ("X, which …,").
    RelativePronoun = "RELATIVE_PRONOUN",
    /// Nouns of relation ("its allies", "Russia's neighbours"): owned, they denote others.
    RelationalNoun = "RELATIONAL_NOUN",
    /// Verbs that stop a text from being issued ("vetoed a statement condemning X").
    BlockingVerb = "BLOCKING_VERB",
    /// Reciprocal pronouns ("each other"): the parties are each other's target.
    ReciprocalPronoun = "RECIPROCAL_PRONOUN",
    /// Reflexive pronouns ("himself"): the subject itself, never resolved to an actor.
    ReflexivePronoun = "REFLEXIVE_PRONOUN",
    /// Pronouns of a person.
    PersonPronoun = "PERSON_PRONOUN",
    /// Nouns naming one person by office ("president", "envoy"): "he" may refer to them.
    PersonNoun = "PERSON_NOUN",
    /// Subject pronouns.
    SubjectPronoun = "SUBJECT_PRONOUN",
    /// First-person pronouns.
    FirstPersonPronoun = "FIRST_PERSON_PRONOUN",
    /// Possessive pronouns.
    PossessivePronoun = "POSSESSIVE_PRONOUN",
    /// Heads of time phrases ("night", "week").
    TimeNoun = "TIME_NOUN",
    /// Modifiers in time phrases ("last", "this").
    TimeModifier = "TIME_MODIFIER",
    /// Quotation marks.
    QuoteMark = "QUOTE_MARK",
    /// Prepositions that open a clause ("after the council voted").
    SubordinatingPrep = "SUBORDINATING_PREP",
    /// Prepositions chaining a phrase to the one before.
    ChainingPrep = "CHAINING_PREP",
    /// Prepositions naming the actor of a thing ("an offer from X").
    ThingActorPrep = "THING_ACTOR_PREP",
    /// Prepositions completing a phrase with its actor ("the police in Iraq").
    PhraseActorPrep = "PHRASE_ACTOR_PREP",
    /// Prepositions completing a verb's object with its actor ("struck targets across
    /// Syria").
    ObjectActorPrep = "OBJECT_ACTOR_PREP",
    /// Particles that leave a verb's meaning unchanged.
    NeutralParticle = "NEUTRAL_PARTICLE",
    /// Future modals.
    FutureModal = "FUTURE_MODAL",
    /// Prepositions before an event noun in an adjunct ("as part of talks with X", "in
    /// coordination with X"); a value is the word that must come before ("of=part").
    AdjunctEventPrep = "ADJUNCT_EVENT_PREP",
    /// Prepositions of circumstance: an event noun after one, its doer named on it, took
    /// place ("protests erupted after Mali's expulsion of the envoy").
    CircumstancePrep = "CIRCUMSTANCE_PREP",
    /// Prepositions whose phrase in a complement names a controlled event's target when
    /// neither the controller nor the complement's object does, tried in order ("agreed
    /// to expand trade with Beijing").
    ComplementTargetPrep = "COMPLEMENT_TARGET_PREP",
    /// Verbs of raiding: by police on no armed actor, a coercive search (170).
    RaidVerb = "RAID_VERB",
    /// Units of distance ("50 km northeast of X": a place near X).
    DistanceUnit = "DISTANCE_UNIT",
    /// Points of the compass ("northeast of X").
    CompassPoint = "COMPASS_POINT",
    /// Verbs that name whom they address before their that-clause ("warned Israel that
    /// …", "assured Turkey that …").
    AddresseeVerb = "ADDRESSEE_VERB",
    /// Verbs of naming: with a second object they name the first ("called the strikes
    /// a violation"), doing nothing to it.
    NamingVerb = "NAMING_VERB",
    /// Verbs of occurrence ("erupt", "continue").
    OccurrenceVerb = "OCCURRENCE_VERB",
    /// Verbs whose object is the toll of the event noun that is their subject ("clashes
    /// left two dead").
    OccurrenceTollVerb = "OCCURRENCE_TOLL_VERB",
    /// Nouns that frame the infinitive after them as a control verb would ("announced
    /// plans to VP" = intends to VP); the value is the control kind.
    ControlNoun = "CONTROL_NOUN",
    /// Verbs whose event-noun subject happens in their object place ("rock", "sweep").
    OccurrencePlaceVerb = "OCCURRENCE_PLACE_VERB",
    /// Verbs whose place subject sees the event-noun object happen ("the capital saw
    /// protests").
    OccurrenceSeenVerb = "OCCURRENCE_SEEN_VERB",
    /// Light verbs whose subject undergoes the event its object noun names ("Kharkiv
    /// suffered a Russian missile attack", "came under fire from X").
    UndergoVerb = "UNDERGO_VERB",
    /// Control verbs whose complement did not happen ("failed to reach an agreement",
    /// "neglected to inform"): the complement's event is negated.
    NegativeImplicative = "NEGATIVE_IMPLICATIVE",
    /// Determiners of nothing in particular ("any attack"): no event happened.
    NonspecificDeterminer = "NONSPECIFIC_DETERMINER",
    /// Prepositions through which a verb governs a gerund that it does not assert
    /// ("accused X of shelling", "arrested him for spying").
    GerundControlPrep = "GERUND_CONTROL_PREP",
    /// Modifiers that make an infinitive after their noun its relative clause ("the
    /// first ship to dock"); superlatives (JJS) do so too.
    InfinitiveRelativeModifier = "INFINITIVE_RELATIVE_MODIFIER",
    /// Linking verbs whose noun phrase describes the subject ("became the first country
    /// to …").
    LinkingVerb = "LINKING_VERB",
    /// Verbs of holding territory, whose passive participle names the holder ("villages
    /// held by the rebels").
    HolderVerb = "HOLDER_VERB",
    /// Words that make forces peacekeepers ("UN peacekeepers", "a peacekeeping force"):
    /// with no owner of its own, such a force is an IGO's.
    Peacekeeping = "PEACEKEEPING",
    /// Words that make a nationality an ethnicity ("ethnic Albanians in Serbia").
    EthnicMarker = "ETHNIC_MARKER",
    /// Verbs of backing a party: by armed forces, military aid ("backed by Rwandan troops").
    BackingVerb = "BACKING_VERB",
    /// Nouns that name a labour strike when civilians do it, an attack otherwise
    /// ("doctors took part in a strike").
    /// Verbs whose subject is the author of the attack that is their object ("claimed an
    /// attack that killed …").
    AttackAuthorVerb = "ATTACK_AUTHOR_VERB",
    /// What one fights without fighting anyone ("battled the wildfires", "fight
    /// corruption"): violence against it is a figure of speech.
    ImpersonalFoe = "IMPERSONAL_FOE",
    /// Natural forces and accidents ("an earthquake", "the crash"): what they do as a
    /// subject is no one's violence.
    NaturalForce = "NATURAL_FORCE",
    /// Subordinators of time ("when", "once"): with a present verb under a future main
    /// clause, their clause is a condition to come.
    TimeSubordinator = "TIME_SUBORDINATOR",
    /// Verbs of accidents ("crashed", "capsized"): a participle clause after one
    /// ("…, killing all 60 aboard") is no one's violence.
    AccidentVerb = "ACCIDENT_VERB",
    /// Particles that follow their verb's object when no noun phrase comes after them
    /// ("handed the town over", "turned their rifles in"), besides PARTICLE_NOT_PREPOSITION.
    ParticleAfterObject = "PARTICLE_AFTER_OBJECT",
    /// Verbs of permission or command ("allow", "order"): the complement of their
    /// pattern (`allow NP to VP`) is let or ordered, not done.
    PermissionVerb = "PERMISSION_VERB",
    /// Prepositions of the phrase that completes a listed phrase's actor ("officials of
    /// Chad", "negotiators for Kabul"): passed over before the list continues.
    CompletingPrep = "COMPLETING_PREP",
    /// Nouns of a rivalry between two parties ("tension", "dispute"): a mobilization
    /// amid one is aimed at the other party of its "with" phrase.
    RivalryNoun = "RIVALRY_NOUN",
    /// Verbs of summoning an envoy ("summon"): a protest made so is a formal complaint.
    SummonVerb = "SUMMON_VERB",
    /// Figures and measures ("output", "inflation"): what they hit is no violence.
    StatisticNoun = "STATISTIC_NOUN",
    /// Sides in a game ("team", "player"): whom they beat is no violence.
    SportsNoun = "SPORTS_NOUN",
    /// People who protest ("protesters", "rioters"): their violence is a riot.
    ProtesterNoun = "PROTESTER_NOUN",
    CivilStrikeNoun = "CIVIL_STRIKE_NOUN",
    /// Open water: weapons fired into it at no one are a test ("into the sea").
    Water = "WATER",
    /// Prepositions of the direction weapons are fired in ("into the sea").
    WaterPrep = "WATER_PREP",
    /// Verbs that answer another party's proposal ("rejected its demand").
    ResponseVerb = "RESPONSE_VERB",
    /// Prepositions placing an event.
    PlacePrep = "PLACE_PREP",
    /// Prepositions whose place localizes sector-only actors.
    LocalizingPrep = "LOCALIZING_PREP",
    /// Prepositions placing an unattributed attack.
    DevicePlacePrep = "DEVICE_PLACE_PREP",
    /// Months, valued by their number.
    Month = "MONTH",
    /// Letters after a day number.
    OrdinalSuffix = "ORDINAL_SUFFIX",
    /// Words before "March 3" that belong to the date.
    DayDateLead = "DAY_DATE_LEAD",
    /// Words before "March" or "2019" that belong to the date.
    MonthDateLead = "MONTH_DATE_LEAD",
    /// Words before "this week" that belong to the date.
    RelativeDateLead = "RELATIVE_DATE_LEAD",
    /// Words before a weekday that belong to the date.
    WeekdayDateLead = "WEEKDAY_DATE_LEAD",
    /// Weekdays, valued 0 (Monday) to 6.
    Weekday = "WEEKDAY",
    /// Days named relative to the document date, valued by days back.
    DeicticDay = "DEICTIC_DAY",
    /// Numbers written as words, with their value.
    NumberWord = "NUMBER_WORD",
    /// Holidays.
    Holiday = "HOLIDAY",
    /// Currencies: "500 million euros in aid" counts the aid.
    MoneyUnit = "MONEY_UNIT",
    /// Words that refine an ASSAULT's PLOVER mode, valued by the mode ("airstrike=aerial").
    AssaultMode = "ASSAULT_MODE",
    /// Words that refine a COERCE's PLOVER mode.
    CoerceMode = "COERCE_MODE",
    /// Words that refine a PROTEST's PLOVER mode.
    ProtestMode = "PROTEST_MODE",
    /// Words that refine a CONSULT's PLOVER mode.
    ConsultMode = "CONSULT_MODE",
    /// Words that refine a MOBILIZE's PLOVER mode.
    MobilizeMode = "MOBILIZE_MODE",
    /// Words that state a casualty, valued by its kind (killed, injured, abducted, arrested).
    CasualtyWord = "CASUALTY_WORD",
    /// Who casualties were, valued by the group recorded.
    CasualtyGroup = "CASUALTY_GROUP",
    /// Vague quantities, valued by the range recorded ("dozens=24-99").
    VagueQuantity = "VAGUE_QUANTITY",
    /// Words before a figure and what they make of it ("at least=min", "more than=above").
    FigureBound = "FIGURE_BOUND",
    /// Reporting verbs whose report is an allegation or a denial, valued by the
    /// attribution (`alleged`, `denied`).
    AttributionVerb = "ATTRIBUTION_VERB",
    /// Words in a clause that make its event alleged ("allegedly").
    AllegedMarker = "ALLEGED_MARKER",
    /// Nouns of a border between two countries, whose "with" phrase names the
    /// neighbour ("the border with Syria", "the Rafah crossing with Egypt").
    BorderNoun = "BORDER_NOUN",
    /// Nouns that state a proposition in a that-clause ("claims that", "reports that"):
    /// what such a noun says is denied with it.
    PropositionNoun = "PROPOSITION_NOUN",
    /// Speakers that are third parties whatever their country: witnesses, media.
    ThirdPartySpeaker = "THIRD_PARTY_SPEAKER",

    // ---- annalist-dict import (PETRARCH/TABARI dictionaries): add below this line
    /// CAMEO religion codes, imported as the REL sector.
    CameoReligion = "CAMEO_RELIGION",
}

/// One class as read from the files.
#[derive(Debug, Clone, Default)]
pub struct ClassEntry {
    pub kind: Option<ClassKind>,
    pub members: Vec<String>,
    pub comment: String,
    pub example: Option<String>,
    /// Where the class is first defined.
    pub origin: Origin,
    /// The file that defines it (a class may not be split across files).
    pub path: String,
}

/// Every word class, parsed; membership tests are hash lookups.
#[derive(Debug, Clone, Default)]
pub struct WordClasses {
    entries: Vec<ClassEntry>,
    sets: Vec<FxHashSet<String>>,
    /// Values given to members as `member=VALUE` ("january=1").
    values: Vec<rustc_hash::FxHashMap<String, String>>,
    /// Classes in the files that the code does not know (reported by `check`).
    unknown: Vec<(String, Origin)>,
    /// Line-level problems found while merging files (reported by `check`).
    problems: Vec<DictError>,
}

impl WordClasses {
    fn ensure(&mut self) {
        if self.entries.len() < WordClass::ALL.len() {
            self.entries
                .resize_with(WordClass::ALL.len(), ClassEntry::default);
            self.sets
                .resize_with(WordClass::ALL.len(), FxHashSet::default);
            self.values
                .resize_with(WordClass::ALL.len(), rustc_hash::FxHashMap::default);
        }
    }

    /// Reads one `classes/*.txt` file; syntax errors are returned, consistency problems
    /// (unknown classes, a class split across files) are kept for [`check`](Self::check).
    pub fn parse_file(&mut self, path: &str, text: &str) -> Result<(), Vec<DictError>> {
        self.ensure();
        let mut errs = Vec::new();
        // The comment lines directly above a class line (a blank line ends a block).
        let mut comment: Vec<&str> = Vec::new();
        for (n, raw) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
            let t = raw.trim();
            if let Some(c) = t.strip_prefix('#') {
                comment.push(c.trim());
                continue;
            }
            if t.is_empty() {
                comment.clear();
                continue;
            }
            let Some((_, line)) = content_lines(raw).next() else {
                continue;
            };
            let f = fields(line);
            if !(3..=4).contains(&f.len()) {
                errs.push(DictError::new(
                    path,
                    n,
                    "expected `CLASS | kind | members [| example]`",
                ));
                comment.clear();
                continue;
            }
            let Some(kind) = ClassKind::parse(f[1]) else {
                errs.push(DictError::new(
                    path,
                    n,
                    format!("unknown kind {:?} (lemma, word, suffix or prefix)", f[1]),
                ));
                comment.clear();
                continue;
            };
            let origin = Origin {
                path: path.to_string(),
                line: n,
            };
            let Some(class) = WordClass::from_name(f[0]) else {
                self.unknown.push((f[0].to_string(), origin));
                comment.clear();
                continue;
            };
            let e = &mut self.entries[class as usize];
            match e.kind {
                None => {
                    e.kind = Some(kind);
                    e.origin = origin.clone();
                    e.path = path.to_string();
                    e.comment = comment.join(" ");
                }
                Some(_) if e.path != path => self.problems.push(DictError::new(
                    path,
                    n,
                    format!("class {} is already defined at {}", f[0], e.origin),
                )),
                Some(k) if k != kind => errs.push(DictError::new(
                    path,
                    n,
                    format!(
                        "class {} is of kind {}, not {}",
                        f[0],
                        k.as_str(),
                        kind.as_str()
                    ),
                )),
                Some(_) => {}
            }
            comment.clear();
            if let Some(ex) = f.get(3).filter(|s| !s.is_empty()) {
                if e.example.is_some() {
                    errs.push(DictError::new(
                        path,
                        n,
                        format!("class {} already has an example", f[0]),
                    ));
                } else {
                    e.example = Some(ex.to_string());
                }
            }
            let set = &mut self.sets[class as usize];
            for m in items(f[2]) {
                let (m, value) = match m.split_once('=') {
                    Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                        (a.trim(), Some(b.trim()))
                    }
                    _ => (m, None),
                };
                let m = if kind == ClassKind::Lemma || kind == ClassKind::Word {
                    m.to_lowercase()
                } else {
                    m.to_string()
                };
                if !set.insert(m.clone()) {
                    errs.push(DictError::new(
                        path,
                        n,
                        format!("{m:?} is listed twice in class {}", f[0]),
                    ));
                } else {
                    if let Some(v) = value {
                        self.values[class as usize].insert(m.clone(), v.to_string());
                    }
                    e.members.push(m);
                }
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// Is `s` a member of `class`? (`s` is whatever the class's kind says: a lemma, a
    /// lower-case word; for suffix and prefix classes, see [`ends_with`](Self::ends_with)
    /// and [`starts_with`](Self::starts_with).)
    #[inline]
    pub fn has(&self, class: WordClass, s: &str) -> bool {
        self.sets
            .get(class as usize)
            .is_some_and(|set| set.contains(s))
    }

    /// The value a member carries (`january=1` → "1"), if any.
    pub fn value(&self, class: WordClass, s: &str) -> Option<&str> {
        self.values
            .get(class as usize)
            .and_then(|m| m.get(s))
            .map(String::as_str)
    }

    /// Does `word` end with a member of the suffix class `class`?
    pub fn ends_with(&self, class: WordClass, word: &str) -> bool {
        self.members(class)
            .iter()
            .any(|m| word.ends_with(m.as_str()))
    }

    /// Does `word` start with a member of the prefix class `class`?
    pub fn starts_with(&self, class: WordClass, word: &str) -> bool {
        self.members(class)
            .iter()
            .any(|m| word.starts_with(m.as_str()))
    }

    /// The members of `class`, in file order.
    pub fn members(&self, class: WordClass) -> &[String] {
        self.entries
            .get(class as usize)
            .map(|e| e.members.as_slice())
            .unwrap_or(&[])
    }

    /// The entry of `class` (kind, comment, example, origin).
    pub fn entry(&self, class: WordClass) -> Option<&ClassEntry> {
        self.entries
            .get(class as usize)
            .filter(|e| e.kind.is_some())
    }

    /// Number of classes defined.
    pub fn len(&self) -> usize {
        self.entries.iter().filter(|e| e.kind.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every problem: classes the code names but no file defines, classes the files
    /// define but the code does not know, a class without comment or example, an
    /// example with none of its class's members, a lemma class listing an inflected form.
    pub fn check(&self, lexicon: &Lexicon) -> Vec<DictError> {
        let mut errs = self.problems.clone();
        for (name, o) in &self.unknown {
            errs.push(DictError::new(
                &o.path,
                o.line,
                format!("unknown word class {name:?} (the code knows none of that name)"),
            ));
        }
        for &c in WordClass::ALL {
            let Some(e) = self.entries.get(c as usize).filter(|e| e.kind.is_some()) else {
                errs.push(DictError::new(
                    "classes/",
                    0,
                    format!("word class {} is not defined", c.name()),
                ));
                continue;
            };
            let at = |m: String| DictError::new(&e.origin.path, e.origin.line, m);
            if e.comment.is_empty() {
                errs.push(at(format!(
                    "class {} has no comment (a `#` line directly above it)",
                    c.name()
                )));
            }
            let kind = e.kind.unwrap();
            match &e.example {
                None => errs.push(at(format!("class {} has no example", c.name()))),
                Some(ex) => {
                    if !example_has_member(ex, kind, &e.members, lexicon) {
                        errs.push(at(format!(
                            "the example of class {} ({ex:?}) contains none of its members",
                            c.name()
                        )));
                    }
                }
            }
            if kind == ClassKind::Lemma {
                for m in &e.members {
                    if m.contains(' ') || lexicon.tags(m).is_some_and(|_| is_base(lexicon, m)) {
                        continue;
                    }
                    if let Some(l) = inflected(lexicon, m) {
                        errs.push(at(format!(
                            "class {}: {m:?} is an inflected form of {l:?}; list the lemma",
                            c.name()
                        )));
                    }
                }
            }
        }
        errs
    }
}

/// Is `w` its own lemma for some part of speech (or unknown to the lemma tables)?
fn is_base(lex: &Lexicon, w: &str) -> bool {
    [LemmaPos::Verb, LemmaPos::Noun, LemmaPos::Adjective]
        .iter()
        .any(|&p| lex.lemma(w, p).is_none_or(|l| l == w))
}

/// The lemma `w` is an inflection of, when it is never its own lemma.
fn inflected(lex: &Lexicon, w: &str) -> Option<String> {
    if is_base(lex, w) {
        return None;
    }
    [LemmaPos::Verb, LemmaPos::Noun, LemmaPos::Adjective]
        .iter()
        .find_map(|&p| lex.lemma(w, p).map(str::to_string))
}

/// Words of a sentence, lower case, split at anything but letters, digits, `'` and `-`
/// (punctuation members are found by their own character).
fn example_has_member(ex: &str, kind: ClassKind, members: &[String], lex: &Lexicon) -> bool {
    let lower = ex.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-' || c == '.'))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let contains_phrase = |m: &str| {
        if !m.chars().any(char::is_alphanumeric) {
            return lower.contains(m);
        }
        let parts: Vec<&str> = m.split(' ').collect();
        words.windows(parts.len()).any(|w| w == parts.as_slice())
            // a part of a hyphenated compound ("Saudi-backed")
            || (parts.len() == 1 && words.iter().any(|w| w.split('-').any(|p| p == m)))
            || (m.ends_with('.') && lower.contains(m))
    };
    members.iter().any(|m| match kind {
        ClassKind::Word => contains_phrase(m),
        ClassKind::Lemma => {
            contains_phrase(m)
                || words.iter().any(|w| {
                    [LemmaPos::Verb, LemmaPos::Noun, LemmaPos::Adjective]
                        .iter()
                        .any(|&p| lex.lemma(w, p) == Some(m.as_str()))
                })
        }
        ClassKind::Suffix => words
            .iter()
            .any(|w| w.len() > m.len() && w.ends_with(m.as_str())),
        ClassKind::Prefix => words
            .iter()
            .any(|w| w.len() > m.len() && w.starts_with(m.as_str())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_parse_merge_and_check() {
        let mut c = WordClasses::default();
        c.parse_file(
            "classes/t.txt",
            "# Reporting verbs.\nSPEECH_VERB | lemma | say; tell | Officials said so.\nSPEECH_VERB | lemma | announce\n\n# Time.\nTIME_WORD | word | today; overnight | It rained overnight.\n",
        )
        .unwrap();
        let mut lex = Lexicon::default();
        lex.insert_lemma("said", "say", LemmaPos::Verb);
        assert!(c.has(WordClass::SpeechVerb, "announce"));
        assert!(!c.has(WordClass::SpeechVerb, "said"));
        assert_eq!(c.members(WordClass::TimeWord), ["today", "overnight"]);
        assert_eq!(
            c.entry(WordClass::SpeechVerb).unwrap().comment,
            "Reporting verbs."
        );
        // Only the classes the test defines are checked here (the others are missing).
        let problems: Vec<_> = c
            .check(&lex)
            .into_iter()
            .filter(|e| !e.message.ends_with("is not defined"))
            .collect();
        assert!(problems.is_empty(), "{problems:?}");
        let mut v = WordClasses::default();
        v.parse_file(
            "classes/v.txt",
            "# x\nTIME_WORD | word | noon=12; dawn=6 | At dawn.\n",
        )
        .unwrap();
        assert_eq!(v.value(WordClass::TimeWord, "noon"), Some("12"));
        assert!(
            v.has(WordClass::TimeWord, "dawn") && v.value(WordClass::TimeWord, "dusk").is_none()
        );
    }

    #[test]
    fn bad_lines_and_unknown_classes_are_reported_with_path_and_line() {
        let mut c = WordClasses::default();
        let e = c
            .parse_file(
                "classes/t.txt",
                "SPEECH_VERB | verb | say | x\nTIME_WORD | word\n",
            )
            .unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "classes/t.txt:1: unknown kind \"verb\" (lemma, word, suffix or prefix)"
        );
        assert_eq!(
            e[1].to_string(),
            "classes/t.txt:2: expected `CLASS | kind | members [| example]`"
        );
        let mut c = WordClasses::default();
        c.parse_file("classes/t.txt", "# x\nNO_SUCH | word | a | a\n")
            .unwrap();
        let p = c.check(&Lexicon::default());
        assert!(p[0]
            .to_string()
            .starts_with("classes/t.txt:2: unknown word class \"NO_SUCH\""));
        assert!(p
            .iter()
            .any(|e| e.message == "word class SPEECH_VERB is not defined"));
    }

    #[test]
    fn an_example_without_a_member_and_a_missing_comment_fail() {
        let mut c = WordClasses::default();
        c.parse_file(
            "classes/t.txt",
            "SPEECH_VERB | lemma | say | Nothing here.\n# t\nTIME_WORD | word | today | today\n",
        )
        .unwrap();
        let p: Vec<String> = c
            .check(&Lexicon::default())
            .iter()
            .map(|e| e.message.clone())
            .collect();
        assert!(
            p.contains(
                &"class SPEECH_VERB has no comment (a `#` line directly above it)".to_string()
            ),
            "{p:?}"
        );
        assert!(
            p.iter()
                .any(|m| m.starts_with("the example of class SPEECH_VERB")),
            "{p:?}"
        );
    }

    #[test]
    fn duplicates_in_a_class_are_errors() {
        let mut c = WordClasses::default();
        let e = c
            .parse_file(
                "classes/t.txt",
                "# x\nSPEECH_VERB | lemma | say; tell; say | say\n",
            )
            .unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "classes/t.txt:2: \"say\" is listed twice in class SPEECH_VERB"
        );
    }
}
