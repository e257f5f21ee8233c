//! Stage tests of the coder with the embedded dictionaries: actor recognition, clause
//! structure, event patterns and dates, each on sentences the team wrote.
use annalist_coder::{Coder, CoderOptions, Document};
use annalist_dict::Dictionaries;
use chrono::NaiveDate;
use std::sync::OnceLock;

fn coder() -> &'static Coder {
    static C: OnceLock<Coder> = OnceLock::new();
    C.get_or_init(|| Coder::new(&Dictionaries::embedded(), CoderOptions::default()))
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// (source cameo_actor, type, target cameo_actor or "-") of every event.
fn code(text: &str, d: &str) -> Vec<(String, String, String)> {
    coder()
        .code(&Document::new("t", text, date(d)))
        .into_iter()
        .map(|e| {
            (
                e.source.cameo_actor,
                e.event_type,
                e.target
                    .map(|t| t.cameo_actor)
                    .unwrap_or_else(|| "-".into()),
            )
        })
        .collect()
}

fn has(events: &[(String, String, String)], src: &str, ty: &str, tgt: &str) -> bool {
    events
        .iter()
        .any(|(s, t, g)| s.starts_with(src) && t == ty && g.starts_with(tgt))
}

#[test]
fn actors_capitals_adjectives_agents_and_organisations() {
    let e = code("The Kremlin condemned the Pentagon.", "2024-01-10");
    assert!(has(&e, "RUSGOV", "ACCUSE", "USAMIL"), "{e:?}");
    let e = code(
        "Ukrainian drones attacked a Russian oil refinery.",
        "2024-01-10",
    );
    assert!(has(&e, "UKRMIL", "ASSAULT", "RUS"), "{e:?}");
    let e = code("The United Nations criticised Israel.", "2024-01-10");
    assert!(has(&e, "IGOUNO", "ACCUSE", "ISR"), "{e:?}");
    let e = code("Police in Iraq arrested two journalists.", "2019-03-03");
    // The journalists have no country of their own: they belong to the subject's.
    assert!(has(&e, "IRQCOP", "COERCE", "IRQMED"), "{e:?}");
}

#[test]
fn people_are_coded_by_their_role_on_the_document_date() {
    let e = code("Donald Trump criticised China.", "2018-06-01");
    assert!(has(&e, "USAGOV", "ACCUSE", "CHN"), "{e:?}");
    let e = code("Donald Trump criticised China.", "2022-06-01");
    assert!(
        has(&e, "USA", "ACCUSE", "CHN") && !has(&e, "USAGOV", "ACCUSE", "CHN"),
        "{e:?}"
    );
}

#[test]
fn passive_with_and_without_agent() {
    let e = code(
        "The convoy was attacked by Houthi rebels near the port.",
        "2024-01-10",
    );
    assert!(
        e.iter()
            .any(|(s, t, _)| s.starts_with("YEM") && t == "ASSAULT"),
        "{e:?}"
    );
    let e = code(
        "Two Israeli soldiers were killed by Hamas militants.",
        "2024-01-10",
    );
    assert!(has(&e, "PSE", "ASSAULT", "ISRMIL"), "{e:?}");
}

#[test]
fn control_verbs_combine_with_their_complement() {
    let e = code(
        "Iran agreed to hold talks with the European Union.",
        "2024-01-10",
    );
    assert!(has(&e, "IRN", "AGREE", "IGO"), "{e:?}");
    let e = code(
        "Washington urged Beijing to release the detained activists.",
        "2024-01-10",
    );
    assert!(has(&e, "USA", "REQUEST", "CHN"), "{e:?}");
    let e = code(
        "North Korea threatened to attack South Korea.",
        "2024-01-10",
    );
    assert!(has(&e, "PRK", "THREATEN", "KOR"), "{e:?}");
    let e = code("Serbia refused to negotiate with Kosovo.", "2024-01-10");
    assert!(has(&e, "SRB", "REJECT", "XKX"), "{e:?}");
    assert!(code("Officials declined to comment.", "2024-01-10").is_empty());
}

#[test]
fn negation_and_hypotheticals_are_dropped_by_default() {
    assert!(code("Russia did not attack Ukraine.", "2024-01-10").is_empty());
    assert!(code("Iran could attack Israel.", "2024-01-10").is_empty());
    let keep = Coder::new(
        &Dictionaries::embedded(),
        CoderOptions {
            keep_negated: true,
            keep_hypothetical: false,
            ..Default::default()
        },
    );
    let e = keep.code(&Document::new(
        "t",
        "Russia did not attack Ukraine.",
        date("2024-01-10"),
    ));
    assert_eq!(e.len(), 1);
    assert!(e[0].negated);
}

#[test]
fn reported_speech_codes_the_reported_clause_for_its_actors() {
    let e = code("Kyiv said Russian forces shelled Kharkiv.", "2024-01-10");
    assert!(
        has(&e, "RUSMIL", "ASSAULT", "-") || has(&e, "RUSMIL", "ASSAULT", "UKR"),
        "{e:?}"
    );
    assert!(
        !e.iter().any(|(s, _, _)| s.starts_with("UKR")),
        "the speaker did not shell: {e:?}"
    );
    let e = code(
        "Moscow said its troops had recaptured two villages.",
        "2024-01-10",
    );
    // (No target is named: the source's own country is the domestic default.)
    assert!(
        e.iter().any(|(s, t, _)| s == "RUSMIL" && t == "COERCE"),
        "{e:?}"
    );
}

#[test]
fn coordination_gives_one_record_per_pair() {
    let e = code("Israel and Egypt criticised Iran and Syria.", "2024-01-10");
    for (s, t) in [
        ("ISR", "IRN"),
        ("ISR", "SYR"),
        ("EGY", "IRN"),
        ("EGY", "SYR"),
    ] {
        assert!(has(&e, s, "ACCUSE", t), "{s}->{t} in {e:?}");
    }
}

#[test]
fn event_dates_come_from_the_clause_not_the_reporting_verb() {
    let ev = coder().code(&Document::new(
        "t",
        "Rebels shelled the town on Tuesday, officials said Thursday.",
        date("2024-05-10"),
    ));
    // Rebels have no country here: nothing is coded; with a country the date is Tuesday.
    assert!(ev.is_empty());
    let ev = coder().code(&Document::new(
        "t",
        "Syrian rebels shelled the town on Tuesday, officials said Thursday.",
        date("2024-05-10"),
    ));
    assert_eq!(ev[0].date.as_deref(), Some("2024-05-07"));
    assert_eq!(ev[0].date_text.as_ref().unwrap().text, "on Tuesday");
    let ev = coder().code(&Document::new(
        "t",
        "Syrian rebels shelled the town, officials said Thursday.",
        date("2024-05-10"),
    ));
    // No time of its own: the event is dated by its report (no later than Thursday),
    // and the record says which words fixed it.
    assert_eq!(ev[0].date.as_deref(), Some("2024-05-09"));
    assert_eq!(ev[0].date_text.as_ref().unwrap().text, "Thursday");
    let ev = coder().code(&Document::new(
        "t",
        "Syrian rebels shelled the town on Tuesday.",
        None,
    ));
    assert_eq!(ev[0].date, None, "no document date: no guess");
}

#[test]
fn offsets_are_char_boundaries_and_name_the_words() {
    let text = "Über Nacht: Russian forces shelled Kharkiv — officials said.";
    for e in coder().code(&Document::new("t", text, date("2024-05-10"))) {
        assert_eq!(&text[e.source.start..e.source.end], e.source.text);
        assert_eq!(&text[e.evidence.start..e.evidence.end], e.evidence.trigger);
    }
}
