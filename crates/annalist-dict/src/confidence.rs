//! The confidence model (`dictionaries/confidence.txt`): one weight per evidence
//! feature of a record, fitted on the development files by `cargo run --release -p
//! annalist-coder --example calibrate` (logistic regression: confidence = 1 / (1 +
//! e^-(Σ weight × feature))). Line format: `FEATURE | weight | what it measures`.
//! Every feature in [`FEATURES`] must have exactly one weight, and no other name may
//! appear (checked when loading).
use crate::format::{content_lines, fields, DictError};

/// The features of a record's evidence, in the order the coder computes them
/// (`annalist-coder`'s `weigh::confidence::features`).
pub const FEATURES: &[&str] = &[
    "bias",
    "rule_combined",
    "rule_grammar",
    "rule_derived",
    "rule_imported",
    "pattern_specific",
    "source_named",
    "source_person",
    "source_agent_first",
    "source_localized",
    "source_coreference",
    "source_gazetteer",
    "target_none",
    "target_implicit",
    "target_localized",
    "target_coreference",
    "target_gazetteer",
    "target_same_country",
    "modality_control",
    "negated",
    "reported",
    "mutual",
    "source_distance",
    "target_distance",
    "verbal",
];

/// Weights by feature, in [`FEATURES`] order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConfidenceModel {
    pub weights: Vec<f32>,
}

impl ConfidenceModel {
    pub fn parse(path: &str, text: &str) -> Result<ConfidenceModel, Vec<DictError>> {
        let mut weights = vec![None; FEATURES.len()];
        let mut errs = Vec::new();
        for (n, line) in content_lines(text) {
            let f = fields(line);
            if !(2..=3).contains(&f.len()) {
                errs.push(DictError::new(
                    path,
                    n,
                    "expected `FEATURE | weight | description`",
                ));
                continue;
            }
            let Some(i) = FEATURES.iter().position(|x| *x == f[0]) else {
                errs.push(DictError::new(
                    path,
                    n,
                    format!(
                        "unknown feature {:?} (known: {})",
                        f[0],
                        FEATURES.join(", ")
                    ),
                ));
                continue;
            };
            let Ok(w) = f[1].parse::<f32>().map_err(|_| ()).and_then(|w| {
                if w.is_finite() {
                    Ok(w)
                } else {
                    Err(())
                }
            }) else {
                errs.push(DictError::new(path, n, format!("bad weight {:?}", f[1])));
                continue;
            };
            if weights[i].replace(w).is_some() {
                errs.push(DictError::new(
                    path,
                    n,
                    format!("feature {} has a weight already", f[0]),
                ));
            }
        }
        for (i, w) in weights.iter().enumerate() {
            if w.is_none() && !text.trim().is_empty() {
                errs.push(DictError::new(
                    path,
                    0,
                    format!("feature {} has no weight", FEATURES[i]),
                ));
            }
        }
        if errs.is_empty() {
            Ok(ConfidenceModel {
                weights: weights.into_iter().map(|w| w.unwrap_or(0.0)).collect(),
            })
        } else {
            Err(errs)
        }
    }

    /// The confidence of a feature vector (in [`FEATURES`] order).
    pub fn score(&self, features: &[f32]) -> f32 {
        if self.weights.is_empty() {
            return 0.5;
        }
        let z: f32 = self.weights.iter().zip(features).map(|(w, x)| w * x).sum();
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_weights_and_refuses_unknown_missing_or_repeated_features() {
        let all: String = FEATURES
            .iter()
            .map(|f| format!("{f} | 0.5 | x\n"))
            .collect();
        let m = ConfidenceModel::parse("c", &all).unwrap();
        assert_eq!(m.weights.len(), FEATURES.len());
        let ones = vec![1.0; FEATURES.len()];
        assert!(m.score(&ones) > 0.99);
        assert!((m.score(&vec![0.0; FEATURES.len()]) - 0.5).abs() < 1e-6);
        let e = ConfidenceModel::parse("c", &format!("{all}nonsense | 1\n")).unwrap_err();
        assert!(e[0].to_string().contains("unknown feature"), "{e:?}");
        let e = ConfidenceModel::parse("c", "bias | 1\n").unwrap_err();
        assert!(e.iter().any(|e| e.to_string().contains("has no weight")));
        let e = ConfidenceModel::parse("c", &format!("{all}bias | 2\n")).unwrap_err();
        assert!(e[0].to_string().contains("has a weight already"));
        let e = ConfidenceModel::parse("c", &all.replace("bias | 0.5", "bias | high")).unwrap_err();
        assert!(e[0].to_string().contains("bad weight"));
    }
}
