//! The built-in sample corpus, shared by the benchmarks.
use annalist_coder::Document;

pub fn sample_docs() -> Vec<Document> {
    include_str!("../../../../samples/sample.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("sample line is JSON");
            Document::new(
                v["id"].as_str().unwrap_or_default(),
                v["text"].as_str().unwrap_or_default(),
                v["date"]
                    .as_str()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            )
        })
        .collect()
}
