//! The PETRARCH/TABARI importer on the team's fixtures (`tests/fixtures/petrarch/`, one
//! file per kind, every construct of the formats) and, when the reference copy of
//! PETRARCH2's dictionaries is there (`../shared/reference/petrarch2/`), on all of it:
//! every line converts or is reported with a reason, and the output loads and passes
//! the dictionary checks as the lower (imported) layer.
use annalist_dict::import::{import_texts, Import, Outcome};
use annalist_dict::{DictSource, Dictionaries};
use std::path::Path;

fn fixture(name: &str) -> (String, String) {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/petrarch")
        .join(name);
    (
        p.to_string_lossy().into_owned(),
        std::fs::read_to_string(&p).unwrap(),
    )
}

fn import(names: &[&str]) -> Import {
    let inputs: Vec<(String, String)> = names.iter().map(|n| fixture(n)).collect();
    import_texts(&inputs, &Dictionaries::embedded())
}

/// The content lines (without the source comment) of output file `rel`.
fn lines(im: &Import, rel: &str) -> Vec<String> {
    im.files
        .get(rel)
        .unwrap_or_else(|| panic!("no {rel} in {:?}", im.files.keys()))
        .iter()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split("    #").next().unwrap().to_string())
        .collect()
}

fn messages(im: &Import) -> String {
    im.messages().join("\n")
}

#[test]
fn actor_records_keep_their_synonyms_and_dated_roles() {
    let im = import(&["team.actors.txt"]);
    let people = lines(&im, "imported/people/team-actors.txt");
    // Synonym and tab-indented code lines after a primary phrase without codes; 8- and
    // 6-digit dates, limits included (annalist's end is exclusive).
    assert_eq!(
        people[0],
        "Abebe Kebede; President Kebede | ETH ELI 1990-01-01..2005-06-02; ETH GOV 2005-06-02..; ETH ELI"
    );
    // The next person's synonym is his, not the person above's; a lower-case code.
    assert_eq!(
        people[1],
        "Tesfaye Alemu; General Alemu | ETH MIL 1995-01-01..2009-01-01"
    );
    // Consecutive primaries share the codes below them.
    assert_eq!(
        people[2],
        "Lina Moravec; Premier Moravec | CZE GOV 2010-01-01..2014-01-02"
    );
    // A blank inside a phrase; two codes on one line; the organisation of a person's
    // role is dropped (noted).
    assert_eq!(
        people[3],
        "Hans van der Berg | NLD GOV 2002-01-01..2007-01-01; IGO - 2007-01-01.."
    );
    assert_eq!(people[4], "Ismail Bekov | KAZ GOV 2003-01-01..2009-01-01");
    // The later role starts on the day the earlier one ends: the earlier ends there.
    assert_eq!(
        people[5],
        "Petra Novak | SVK GOV 2004-01-01..2009-06-30; IGO - 2009-06-30.."
    );
    assert_eq!(
        lines(&im, "imported/countries/team-actors.txt"),
        ["PRK | North Korea; DPRK; Pyongyang; North Korean | |"]
    );
    assert_eq!(
        lines(&im, "imported/organisations/team-actors.txt"),
        ["IGO UNO AGR | World Fish Council"]
    );
    assert_eq!(
        lines(&im, "imported/groups/team-actors.txt"),
        [
            "NGO NGO | Green Harbour Friends",
            "SDN REB | Northern Front",
            "SDN REB | Northern Front Fighters"
        ]
    );
    assert_eq!(
        lines(&im, "imported/regions/team-actors.txt"),
        ["WAF | Sahel Traders | |"]
    );
    let r = &im.reports[0];
    let m = messages(&im);
    assert!(
        m.contains("team.actors.txt:36: \"DPRK\" already names the entry at team.actors.txt:5"),
        "{m}"
    );
    assert!(m.contains("team.actors.txt:44: [---]: null code"), "{m}");
    assert!(
        m.contains("team.actors.txt:45: [XYZGOV]: unknown country"),
        "{m}"
    );
    assert!(
        m.contains("team.actors.txt:46: [FRAGOV 2004017-20061201]: bad date"),
        "{m}"
    );
    assert!(
        m.contains("team.actors.txt:29: note: role letters BUS dropped"),
        "{m}"
    );
    assert_eq!(r.outcome(29), Outcome::Approximate);
    assert_eq!(r.outcome(13), Outcome::Exact, "a dated code line");
    assert_eq!(r.outcome(44), Outcome::Reported);
    assert_eq!(r.count(Outcome::Reported), 4, "{m}");
    assert!(r.unexplained(&fixture("team.actors.txt").1).is_empty());
}

#[test]
fn agents_get_their_plurals_substitutions_and_sectors() {
    let im = import(&["team.agents.txt"]);
    assert_eq!(
        lines(&im, "imported/agents/team-agents.txt"),
        [
            "GOV | deputy; deputies",
            "UAF | militia",
            "BUS | chamber of trade; chambers of trade",
            "BUS | ferryman; ferrymen; ferrywoman; ferrywomen",
            "MIL | navy chief; navy chiefs",
            "NGO | aid body; aid bodies",
            "REL | monk; monks",
            "GOV | harbour master; harbour masters",
        ]
    );
    let m = messages(&im);
    assert!(
        m.contains("team.agents.txt:12: unknown agent code \"XXX\""),
        "{m}"
    );
    assert!(m.contains("team.agents.txt:13: no agent code"), "{m}");
    assert!(
        m.contains("team.agents.txt:10: note: religion BUD coded as sector REL"),
        "{m}"
    );
    assert!(
        m.contains("team.agents.txt:11: note: words separated by a blank"),
        "{m}"
    );
    let r = &im.reports[0];
    assert_eq!(r.outcome(3), Outcome::Exact, "the substitution set");
    assert_eq!(r.outcome(2), Outcome::Skipped, "markup");
    assert!(r.unexplained(&fixture("team.agents.txt").1).is_empty());
}

#[test]
fn verb_blocks_become_patterns_for_every_verb_and_what_cannot_be_said_is_reported() {
    let im = import(&["team.verbs.txt"]);
    assert_eq!(
        lines(&im, "imported/nouns/team-verbs.txt"),
        [
            "PETRARCH_RELIEF | food; medical supply; blanket",
            "PETRARCH_VESSEL | boat; ferry"
        ]
    );
    let v = lines(&im, "imported/verbs/team-verbs.txt");
    for want in [
        "073 | send {PETRARCH_RELIEF}",
        "073 | dispatch {PETRARCH_RELIEF}",
        "073 | ship out {PETRARCH_RELIEF}",
        "0234 | send [rescue_team]",
        "042 | send [envoy] | to",
        "046 | send for [talk]",
        "073 | send [boat_convoy/ferry_convoy]",
        "072 | send by {PETRARCH_VESSEL}",
        "072 | send with {PETRARCH_VESSEL}",
        "040 | meet with | with each",
        "040 | confer with | with each",
        "040 | confer back in | in",
        "046 | take up [talk]",
        // The bare verbs: the block's code, or the verb's own.
        "070 | send",
        "0234 | dispatch",
        "070 | ship out",
        "040 | confer",
        // Approximations, written after every exact pattern.
        "042 | send to | to",
        "073 | send {PETRARCH_VESSEL}",
    ] {
        assert!(v.iter().any(|l| l == want), "{want:?} missing from {v:#?}");
    }
    let raw = &im.files["imported/verbs/team-verbs.txt"];
    assert!(raw.iter().any(|l| l.starts_with(
        "042 | send to | to    # team.verbs.txt:21 approx: the reverse code 043 is dropped"
    )));
    let m = messages(&im);
    for (line, why) in [
        (27, "CAMEO 012 is a public statement"),
        (28, "null code `[---]`"),
        (29, "reverse-only code"),
        (30, "words before the verb"),
        (31, "`+` before the verb"),
        (32, "`$` in (FROM …)"),
        (33, "`%` (compound actors)"),
        (45, "WIRE_+TAP: words before the verb"),
        (43, "set: codes nothing alone"),
        (48, "transformation (`~`)"),
    ] {
        assert!(
            m.contains(&format!("team.verbs.txt:{line}: {why}")),
            "line {line}: {why:?} not in\n{m}"
        );
    }
    let r = &im.reports[0];
    assert_eq!(r.outcome(19), Outcome::Exact);
    assert_eq!(r.outcome(24), Outcome::Approximate);
    assert_eq!(r.outcome(28), Outcome::Reported);
    assert!(r.unexplained(&fixture("team.verbs.txt").1).is_empty());
}

/// Writes `im` to a fresh directory, loads it over the embedded dictionaries and checks
/// every entry.
fn loads_and_validates(im: &Import, tag: &str) -> Dictionaries {
    let dir =
        std::env::temp_dir().join(format!("annalist-dict-import-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    im.write(&dir).unwrap();
    let d = Dictionaries::load(&DictSource::Directory(dir.clone())).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let problems = d.validate();
    assert!(
        problems.is_empty(),
        "{}",
        problems
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    std::fs::remove_dir_all(&dir).unwrap();
    d
}

#[test]
fn the_output_is_a_lower_layer_that_validates() {
    let im = import(&["team.actors.txt", "team.agents.txt", "team.verbs.txt"]);
    let own = Dictionaries::embedded();
    let d = loads_and_validates(&im, "fixtures");
    // Imported entries are added …
    assert!(d.verbs.len() > own.verbs.len());
    assert!(d.people.iter().any(|p| p.names[0] == "Abebe Kebede"));
    // … except what annalist's own entries already say ("North Korea", "DPRK", "deputy"
    // are own phrases; "send" has own patterns, which rank first).
    assert!(d.shadowed > 0);
    let prk = d
        .countries
        .iter()
        .filter(|c| c.origin.path.starts_with("imported/"))
        .flat_map(|c| c.names.clone())
        .collect::<Vec<_>>();
    assert!(!prk.iter().any(|n| n == "North Korea"), "{prk:?}");
    let send: Vec<_> = d.verbs.iter().filter(|v| v.lemma == "send").collect();
    let first_imported = send
        .iter()
        .map(|v| v.specificity())
        .filter(|&s| s < 100)
        .max()
        .unwrap();
    assert!(send
        .iter()
        .filter(|v| v.layer == annalist_dict::Layer::Own)
        .all(|v| v.specificity() > first_imported));
}

/// All of PETRARCH2's dictionaries, when the reference copy is there (CI's clean clone
/// may not have it): every line converts or is reported with a reason, nothing is lost
/// without one, and the output validates.
#[test]
fn the_reference_petrarch2_dictionaries_import_completely() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/petrarch2");
    if !dir.is_dir() {
        println!("{} is not there: nothing imported", dir.display());
        return;
    }
    let im =
        annalist_dict::import::import_path("petrarch", &dir, &Dictionaries::embedded()).unwrap();
    for r in &im.reports {
        let text = std::fs::read_to_string(&r.path).unwrap();
        let unexplained = r.unexplained(&text);
        assert!(
            unexplained.is_empty(),
            "{}: lines neither converted nor reported: {:?}",
            r.path,
            &unexplained[..unexplained.len().min(20)]
        );
        println!("{r}");
    }
    let names: Vec<&str> = im
        .reports
        .iter()
        .map(|r| r.path.rsplit('/').next().unwrap())
        .collect();
    for f in [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
        "Phoenix.agents.txt",
        "CAMEO.2.0.txt",
    ] {
        assert!(names.contains(&f), "{f} not imported: {names:?}");
    }
    // The actor and agent files convert almost entirely; dated roles survive.
    for r in im.reports.iter().filter(|r| !r.path.contains("discards")) {
        let content = r.lines() - r.count(Outcome::Skipped);
        let converted = r.count(Outcome::Exact) + r.count(Outcome::Approximate);
        let share = if r.path.contains("CAMEO") { 0.75 } else { 0.9 };
        assert!(
            converted as f64 >= share * content as f64,
            "{r}: too little converted"
        );
    }
    let d = loads_and_validates(&im, "reference");
    assert!(
        d.people
            .iter()
            .filter(|p| p.roles.iter().any(|r| r.dated))
            .count()
            > 15_000
    );
}
