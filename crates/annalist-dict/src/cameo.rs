//! CAMEO event codes with their PLOVER type, Goldstein value and description
//! (`cameo.txt`, generated from the reference tables by `scripts/build-cameo.py`).
use crate::format::{content_lines, fields, DictError};
use std::collections::HashMap;

/// The 17 PLOVER event types (2021 names: ASSAULT, not FIGHT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Plover {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Investigate,
    Request,
    Accuse,
    Reject,
    Threaten,
    Sanction,
    Protest,
    Mobilize,
    Coerce,
    Assault,
}

/// PLOVER quad classes, numbered as in GDELT (1 verbal cooperation … 4 material conflict).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuadClass {
    VerbalCooperation = 1,
    MaterialCooperation = 2,
    VerbalConflict = 3,
    MaterialConflict = 4,
}

impl Plover {
    pub const ALL: [Plover; 17] = [
        Plover::Agree,
        Plover::Consult,
        Plover::Support,
        Plover::Concede,
        Plover::Cooperate,
        Plover::Aid,
        Plover::Retreat,
        Plover::Investigate,
        Plover::Request,
        Plover::Accuse,
        Plover::Reject,
        Plover::Threaten,
        Plover::Sanction,
        Plover::Protest,
        Plover::Mobilize,
        Plover::Coerce,
        Plover::Assault,
    ];

    pub fn parse(s: &str) -> Option<Plover> {
        let s = match s {
            "FIGHT" => "ASSAULT",
            "DEMAND" => "REQUEST",
            "DISAPPROVE" => "ACCUSE",
            s => s,
        };
        Plover::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plover::Agree => "AGREE",
            Plover::Consult => "CONSULT",
            Plover::Support => "SUPPORT",
            Plover::Concede => "CONCEDE",
            Plover::Cooperate => "COOPERATE",
            Plover::Aid => "AID",
            Plover::Retreat => "RETREAT",
            Plover::Investigate => "INVESTIGATE",
            Plover::Request => "REQUEST",
            Plover::Accuse => "ACCUSE",
            Plover::Reject => "REJECT",
            Plover::Threaten => "THREATEN",
            Plover::Sanction => "SANCTION",
            Plover::Protest => "PROTEST",
            Plover::Mobilize => "MOBILIZE",
            Plover::Coerce => "COERCE",
            Plover::Assault => "ASSAULT",
        }
    }

    pub fn quad_class(self) -> QuadClass {
        use Plover::*;
        match self {
            Agree | Consult | Support | Concede => QuadClass::VerbalCooperation,
            Cooperate | Aid | Retreat | Investigate => QuadClass::MaterialCooperation,
            Request | Accuse | Reject | Threaten | Sanction => QuadClass::VerbalConflict,
            Protest | Mobilize | Coerce | Assault => QuadClass::MaterialConflict,
        }
    }

    /// Whether the type is conflictual (quad classes 3 and 4).
    pub fn is_conflict(self) -> bool {
        matches!(
            self.quad_class(),
            QuadClass::VerbalConflict | QuadClass::MaterialConflict
        )
    }
}

/// One CAMEO code's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    pub code: String,
    pub plover: Plover,
    pub goldstein: f32,
    /// PLOVER mode from the CAMEO→PLOVER table (`arrest`, `explosives` …), if any.
    pub mode: Option<String>,
    /// PLOVER context(s) from the table (`military`, `legal;military` …), if any.
    pub context: Option<String>,
    pub description: String,
}

/// All CAMEO codes by code.
#[derive(Debug, Clone, Default)]
pub struct CameoTable {
    codes: HashMap<String, CameoCode>,
}

impl CameoTable {
    pub fn parse(path: &str, text: &str) -> Result<CameoTable, Vec<DictError>> {
        let mut t = CameoTable::default();
        let mut errs = Vec::new();
        for (n, line) in content_lines(text) {
            let mut f = fields(line);
            // Four fields (no mode or context) or six.
            let (mode, context) = match f.len() {
                4 => (None, None),
                6 => {
                    let opt = |s: &str| (s != "-" && !s.is_empty()).then(|| s.to_string());
                    let mc = (opt(f[3]), opt(f[4]));
                    f.drain(3..5);
                    mc
                }
                _ => {
                    errs.push(DictError::new(
                        path,
                        n,
                        "expected `CAMEO | PLOVER | Goldstein | mode | context | description` \
                         (or without mode and context)",
                    ));
                    continue;
                }
            };
            let Some(plover) = Plover::parse(f[1]) else {
                errs.push(DictError::new(
                    path,
                    n,
                    format!("unknown PLOVER type {:?}", f[1]),
                ));
                continue;
            };
            let Ok(goldstein) = f[2].parse::<f32>() else {
                errs.push(DictError::new(
                    path,
                    n,
                    format!("bad Goldstein value {:?}", f[2]),
                ));
                continue;
            };
            if !f[0].bytes().all(|b| b.is_ascii_digit()) || !(2..=4).contains(&f[0].len()) {
                errs.push(DictError::new(
                    path,
                    n,
                    format!("bad CAMEO code {:?}", f[0]),
                ));
                continue;
            }
            t.codes.insert(
                f[0].to_string(),
                CameoCode {
                    code: f[0].to_string(),
                    plover,
                    goldstein,
                    mode,
                    context,
                    description: f[3].to_string(),
                },
            );
        }
        if errs.is_empty() {
            Ok(t)
        } else {
            Err(errs)
        }
    }

    pub fn get(&self, code: &str) -> Option<&CameoCode> {
        self.codes.get(code)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_maps_old_names() {
        let t = CameoTable::parse(
            "c",
            "190 | FIGHT | -10.0 | Use conventional military force\n",
        )
        .unwrap();
        let c = t.get("190").unwrap();
        assert_eq!(c.plover, Plover::Assault);
        assert_eq!(c.plover.quad_class() as u8, 4);
        assert!(CameoTable::parse("c", "19x | ASSAULT | 1 | x\n").is_err());
        assert!(CameoTable::parse("c", "190 | ASSAULT | 1 | - | x\n").is_err());
        let t = CameoTable::parse(
            "c",
            "173 | COERCE | -5 | arrest | legal | Arrest\n1823 | ASSAULT | -10 | - | - | Kill\n",
        )
        .unwrap();
        let c = t.get("173").unwrap();
        assert_eq!(
            (c.mode.as_deref(), c.context.as_deref()),
            (Some("arrest"), Some("legal"))
        );
        assert_eq!(c.description, "Arrest");
        assert_eq!(t.get("1823").unwrap().mode, None);
    }
}
