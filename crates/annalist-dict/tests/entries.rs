//! Every entry of the embedded dictionaries parses and passes the cross-entry checks;
//! the example sentences carried by verb patterns are the team's own.
use annalist_dict::{DictSource, Dictionaries};

#[test]
fn embedded_dictionaries_parse_and_validate() {
    let d = Dictionaries::load(&DictSource::Embedded).unwrap_or_else(|errs| {
        panic!(
            "{}",
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let model = d.tagger_model.as_ref().expect("an embedded tagger model");
    assert!(model.is_embedded());
    model.validate().unwrap();
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
}

#[test]
fn dictionaries_have_the_promised_coverage() {
    let d = Dictionaries::embedded();
    assert!(
        d.countries.len() >= 195,
        "all UN members and observers: {}",
        d.countries.len()
    );
    assert!(d.cameo.len() >= 250);
    assert!(
        d.verbs.len() >= 300,
        "hundreds of verb patterns: {}",
        d.verbs.len()
    );
    assert!(d.lexicon.len() >= 20_000);
    // Every PLOVER type is reachable from some pattern.
    let mut types = std::collections::HashSet::new();
    for v in &d.verbs {
        if let annalist_dict::PatternAction::Event(c) = &v.action {
            types.insert(d.cameo.get(c).unwrap().plover);
        }
    }
    assert_eq!(types.len(), 17, "{types:?}");
}

#[test]
fn a_directory_overrides_the_embedded_file_and_errors_name_path_and_line() {
    let dir = std::env::temp_dir().join(format!("annalist-dict-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("agents.txt"), "MIL | troops\nXXX | nonsense\n").unwrap();
    let errs = Dictionaries::load(&DictSource::Directory(dir.clone())).unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "agents.txt:2: unknown sector \"XXX\" (see dictionaries/README.md)"
    );
    std::fs::write(dir.join("agents.txt"), "MIL | troopers\n").unwrap();
    let d = Dictionaries::load(&DictSource::Directory(dir.clone())).unwrap();
    assert_eq!(d.agents.len(), 1);
    assert_eq!(d.agents[0].phrase, "troopers");
    assert!(
        d.countries.len() >= 195,
        "other files still come from the embedded set"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
