//! The tagger's news training data (`data/tagger/`): the silver file parses, nearly
//! every token has a tag, and every sentence in it comes from the team's sentences in
//! `data/tagger/news/*.txt` (so that the file is regenerated, not edited by hand).
use annalist_text::conllu;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/tagger")
}

/// Letters and digits only (quotes of either kind and spacing drop out).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[test]
fn silver_sentences_parse_and_come_from_the_team_text() {
    let silver = std::fs::read_to_string(root().join("news-silver.conllu")).unwrap();
    let sentences = conllu::parse(&silver).unwrap_or_else(|e| panic!("news-silver.conllu:{e}"));
    assert!(sentences.len() > 2500, "{} sentences", sentences.len());
    let mut text = String::new();
    for e in std::fs::read_dir(root().join("news")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            text.push_str(&squeeze(&std::fs::read_to_string(&p).unwrap()));
        }
    }
    let (mut tokens, mut tagged) = (0, 0);
    for s in &sentences {
        let forms: String = s.tokens.iter().map(|t| t.form.as_str()).collect();
        assert!(
            text.contains(&squeeze(&forms)),
            "not in data/tagger/news: {forms}"
        );
        tokens += s.tokens.len();
        tagged += s.tokens.iter().filter(|t| t.tag.is_some()).count();
    }
    assert!(
        tagged * 100 >= tokens * 99,
        "{tagged} of {tokens} tokens tagged"
    );
}
