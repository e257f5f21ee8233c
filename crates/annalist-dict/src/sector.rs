//! Sectors: the CAMEO/PLOVER agent codes that say what part of a society an actor is
//! (government, military, police, rebels, civilians …), with the groupings the coder's
//! rules ask about (armed, state forces, unarmed domestic actors).
use std::fmt;

macro_rules! sectors {
    ($( $(#[$doc:meta])* $var:ident = $code:literal, )*) => {
        /// A sector (agent) code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Sector { $( $(#[$doc])* $var, )* }

        impl Sector {
            /// Every sector, in the order of `dictionaries/README.md`.
            pub const ALL: &'static [Sector] = &[ $(Sector::$var,)* ];

            /// Every sector's code, in the same order.
            pub const CODES: &'static [&'static str] = &[ $($code,)* ];

            /// The three-letter code ("GOV").
            pub fn as_str(self) -> &'static str {
                match self { $(Sector::$var => $code,)* }
            }

            /// The sector of a three-letter code.
            pub fn parse(code: &str) -> Option<Sector> {
                match code { $($code => Some(Sector::$var),)* _ => None }
            }
        }
    };
}

sectors! {
    /// Government.
    Gov = "GOV",
    /// Military.
    Mil = "MIL",
    /// Police.
    Cop = "COP",
    /// Judiciary.
    Jud = "JUD",
    /// Legislature.
    Leg = "LEG",
    /// Opposition.
    Opp = "OPP",
    /// Political party.
    Pty = "PTY",
    /// Rebels, insurgents.
    Reb = "REB",
    /// Intelligence services.
    Spy = "SPY",
    /// Civilians.
    Cvl = "CVL",
    /// Media.
    Med = "MED",
    /// Business.
    Bus = "BUS",
    /// Education.
    Edu = "EDU",
    /// Health.
    Hlh = "HLH",
    /// Religion.
    Rel = "REL",
    /// Labour.
    Lab = "LAB",
    /// Human rights.
    Hri = "HRI",
    /// Refugees.
    Ref = "REF",
    /// Criminals.
    Crm = "CRM",
    /// Elites.
    Eli = "ELI",
    /// Non-governmental organisation.
    Ngo = "NGO",
    /// Intergovernmental organisation.
    Igo = "IGO",
    /// Agriculture.
    Agr = "AGR",
    /// Environment.
    Env = "ENV",
    /// Unaffiliated armed forces (militias).
    Uaf = "UAF",
    /// Moderates.
    Mod = "MOD",
    /// Radicals.
    Rad = "RAD",
    /// Separatists.
    Sep = "SEP",
    /// Insurgents (CAMEO INS).
    Ins = "INS",
    /// Development.
    Dev = "DEV",
}

impl Sector {
    /// Armed actors: the military, rebels and militias.
    pub fn is_armed(self) -> bool {
        matches!(self, Sector::Mil | Sector::Reb | Sector::Uaf)
    }

    /// The state's forces: military, police, intelligence.
    pub fn is_state_force(self) -> bool {
        matches!(self, Sector::Mil | Sector::Cop | Sector::Spy)
    }

    /// The state and its forces: government, military, police, intelligence.
    pub fn is_state(self) -> bool {
        self == Sector::Gov || self.is_state_force()
    }

    /// Unarmed domestic actors (civilians, opposition, labour, media, education,
    /// religion, judiciary, legislature, human rights, parties): they belong to the
    /// country of the clause they act in.
    pub fn is_unarmed_domestic(self) -> bool {
        matches!(
            self,
            Sector::Cvl
                | Sector::Opp
                | Sector::Lab
                | Sector::Med
                | Sector::Edu
                | Sector::Rel
                | Sector::Jud
                | Sector::Leg
                | Sector::Hri
                | Sector::Pty
        )
    }

    /// Irregular armed actors: rebels, militias, criminals.
    pub fn is_irregular(self) -> bool {
        matches!(self, Sector::Reb | Sector::Uaf | Sector::Crm)
    }
}

impl fmt::Display for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_groups_hold() {
        for &s in Sector::ALL {
            assert_eq!(Sector::parse(s.as_str()), Some(s));
        }
        assert_eq!(Sector::parse("XXX"), None);
        assert!(Sector::Mil.is_armed() && Sector::Mil.is_state_force());
        assert!(Sector::Reb.is_armed() && !Sector::Reb.is_state());
        assert!(Sector::Gov.is_state() && !Sector::Gov.is_state_force());
        assert!(Sector::Cvl.is_unarmed_domestic() && !Sector::Cop.is_unarmed_domestic());
        assert!(Sector::Crm.is_irregular() && !Sector::Crm.is_armed());
    }
}
