//! The actor a noun phrase denotes: the named mention nearest its head, given a sector
//! by an agent word in the phrase ("Ukrainian drones" → UKR MIL), by a person's role on
//! the document date, or by the seat it names ("the Pentagon" → USA MIL); a town or
//! region of the gazetteer is an actor of its country; "Russian-held Melitopol" makes
//! the holder the actor and the town its place.
use super::{sector_of, Actor, ActorMatcher, ActorRef, Mention};
use annalist_dict::WordClass;
use annalist_geo::Kind;
use annalist_text::TaggedToken;
use chrono::NaiveDate;

/// The noun phrase an actor is resolved for, as `name_actor` needs it.
#[derive(Clone, Copy)]
struct Phrase<'a> {
    toks: &'a [TaggedToken],
    /// The token after the phrase.
    end: usize,
    /// An agent word is in the phrase.
    agent: bool,
    /// The document date (people's roles are dated).
    date: Option<NaiveDate>,
}

impl ActorMatcher {
    /// The actor a noun phrase `[start, end)` with head `head` denotes, if any.
    /// `possessor_end` splits "Israel 's | army".
    pub fn resolve_phrase(
        &self,
        toks: &[TaggedToken],
        mentions: &[Mention],
        (start, end, head): (usize, usize, usize),
        date: Option<NaiveDate>,
    ) -> Option<Actor> {
        // "the Russian language", "Kurdish culture": a language or culture is no actor
        // (class NOT_ACTOR of nouns.txt).
        if self.not_actor.contains(&toks[head].lemma) {
            return None;
        }
        // "the Gulf of Oman", "the Sea of Japan": nor is what such a head is "of".
        if start >= 2
            && toks[start - 1].lower == "of"
            && self.not_actor.contains(&toks[start - 2].lemma)
        {
            return None;
        }
        let inside: Vec<&Mention> = mentions
            .iter()
            .filter(|m| m.start >= start && m.end <= end)
            .collect();
        if inside.is_empty() {
            return None;
        }
        let is_agent = |m: &&Mention| self.is_agent_mention(m);
        let named = self.named_mention(toks, &inside, head);
        // The agent word at (or nearest before) the head gives the sector.
        let agent = inside
            .iter()
            .filter(|m| is_agent(m) && m.start <= head)
            .max_by_key(|m| m.end)
            .copied();
        let head_plural = matches!(
            toks[head].tag,
            annalist_dict::Tag::NNS | annalist_dict::Tag::NNPS
        );
        let span = actor_span(toks, &inside, (start, end, head));
        let agent_sector = agent.map(|m| match &self.entries[m.entry].target {
            ActorRef::Agent { sector } => *sector,
            _ => unreachable!(),
        });
        let mut rules = Vec::new();
        let mut actor = Actor {
            code: None,
            org: None,
            sector: None,
            start: span.0,
            end: span.1,
            entry: String::new(),
            plural: head_plural,
            person: false,
            modifier: false,
            possessor: false,
            office: false,
            foreign: false,
            place: None,
        };
        // "Russian-held Melitopol": the holder named in the phrase is the actor, the
        // town only its place.
        let holder = inside.iter().find(|m| {
            m.place.is_none()
                && !is_agent(m)
                && self
                    .words
                    .ends_with(WordClass::HolderSuffix, &toks[m.end - 1].lower)
        });
        let held_place = named.and_then(|m| m.place).filter(|_| holder.is_some());
        let named = if held_place.is_some() {
            holder.copied()
        } else {
            named
        };
        if let Some(m) = named {
            let phrase = Phrase {
                toks,
                end,
                agent: agent.is_some(),
                date,
            };
            self.name_actor(&mut actor, m, &phrase, &mut rules);
            self.institution_of(&mut actor, m, &inside, &mut rules);
        }
        if let (Some(s), Some(m)) = (&agent_sector, agent) {
            // An agent word gives the sector unless the named actor is a person (whose
            // role decides) or an organisation with its own sector.
            if !actor.person && actor.org.is_none() || actor.sector.is_none() {
                actor.sector = Some(*s);
            }
            let e = &self.entries[m.entry];
            rules.push(["agent ", e.label()].concat());
            if named.is_none() {
                actor.person = !head_plural
                    && *s == annalist_dict::Sector::Gov
                    && toks[head].tag == annalist_dict::Tag::NN;
            }
            // "the Kenyan president", "the UN envoy": one person by office.
            actor.office = !head_plural
                && toks[head].tag == annalist_dict::Tag::NN
                && self.words.has(WordClass::PersonNoun, &toks[head].lower);
        }
        if held_place.is_some() {
            actor.place = held_place;
        }
        // "foreign troops", "international monitors": an agent placed abroad; so is an
        // embassy or consulate, another state's mission wherever it is.
        actor.foreign = named.is_none()
            && (self.mission_agent(agent) || self.placed_abroad(toks, &inside, start, head));
        // "Russian missiles" names the missiles' owner as a modifier only; "Russia's
        // demands" makes Russia the possessor, an argument in its own right.
        let possessor = inside.iter().any(|m| {
            toks.get(m.end)
                .is_some_and(|t| t.tag == annalist_dict::Tag::POS)
        });
        actor.possessor = possessor;
        actor.modifier = !possessor && !inside.iter().any(|m| m.start <= head && head < m.end);
        actor.entry = rules.join("; ");
        Some(actor)
    }

    /// The named mention nearest to (at or before) the head `head` among the phrase's
    /// mentions `inside` — or the possessor before it when that name only modifies the
    /// head: "Finland's NATO membership bid", "Russia's UN envoy" (the possessor owns
    /// the thing).
    fn named_mention<'m>(
        &self,
        toks: &[TaggedToken],
        inside: &[&'m Mention],
        head: usize,
    ) -> Option<&'m Mention> {
        let is_agent = |m: &&Mention| self.is_agent_mention(m);
        let m = inside
            .iter()
            .filter(|m| !is_agent(m))
            .filter(|m| m.start <= head)
            .max_by_key(|m| (m.end.min(head + 1), m.end))
            .or_else(|| inside.iter().find(|m| !is_agent(m)))
            .copied()?;
        let possessor = inside.iter().find(|p| {
            p.end <= m.start
                && !is_agent(p)
                && toks
                    .get(p.end)
                    .is_some_and(|t| t.tag == annalist_dict::Tag::POS)
        });
        Some(match possessor {
            Some(p) if m.end <= head => *p,
            _ => m,
        })
    }

    /// "the Brazilian Congress", "Peru's Congress", "the Nigerian Labour Congress": an
    /// institution that a country's entry names by a seat with a sector ("Congress=LEG"
    /// of the USA) is another country's when a name or adjective of that other country
    /// comes before it in the phrase; the sector stays.
    fn institution_of(
        &self,
        actor: &mut Actor,
        m: &Mention,
        inside: &[&Mention],
        rules: &mut Vec<String>,
    ) {
        let ActorRef::Country {
            code,
            sector: Some(_),
        } = &self.entries[m.entry].target
        else {
            return;
        };
        let other = inside.iter().filter(|p| p.end <= m.start).find_map(|p| {
            match &self.entries[p.entry].target {
                ActorRef::Country {
                    code: c,
                    sector: None,
                }
                | ActorRef::Adjective { code: c }
                    if c != code && p.place.is_none() =>
                {
                    Some((c, *p))
                }
                _ => None,
            }
        });
        if let Some((c, p)) = other {
            actor.code = Some(c.clone());
            rules.push(format!(
                "an institution of {} ({})",
                c,
                self.entries[p.entry].label()
            ));
        }
    }

    /// An embassy or consulate, by its agent phrase ("embassies" too; see
    /// `Actor::is_mission` for a resolved actor).
    fn mission_agent(&self, agent: Option<&Mention>) -> bool {
        agent.is_some_and(|m| {
            let phrase = &self.entries[m.entry].phrase;
            phrase.contains("embass") || phrase.contains("consulate")
        })
    }

    /// "foreign troops", "international monitors": a word of class FOREIGN_MODIFIER
    /// before the head places the agent abroad — not "the foreign ministry", whose
    /// word belongs to a dictionary phrase.
    fn placed_abroad(
        &self,
        toks: &[TaggedToken],
        inside: &[&Mention],
        start: usize,
        head: usize,
    ) -> bool {
        (start..head).any(|i| {
            self.words.has(WordClass::ForeignModifier, &toks[i].lower)
                && !inside.iter().any(|m| m.start <= i && i < m.end)
        })
    }

    /// Gives `actor` the code and sector of its named mention `m`: a town or region is
    /// an actor of its country, as a place (no sector); a dictionary entry its code, its
    /// organisation, its sector, or a person's role on `date`. `end` is the phrase's end
    /// ("the Palestinians": an adjective ending a phrase with no agent names the people).
    fn name_actor(&self, actor: &mut Actor, m: &Mention, phrase: &Phrase, rules: &mut Vec<String>) {
        let Phrase {
            toks,
            end,
            agent,
            date,
        } = *phrase;
        if let (Some(id), Some(g)) = (m.place, self.places.as_deref()) {
            // A town or region: an actor of its country, as a place (no sector).
            let p = g.place(id);
            rules.push(format!(
                "gazetteer {} {:?} ({}, {})",
                p.kind,
                p.name,
                p.country,
                if p.kind == Kind::City {
                    p.admin1.as_deref().unwrap_or("-")
                } else {
                    "-"
                }
            ));
            actor.code = Some(p.country.clone());
            actor.place = m.place;
            return;
        }
        let e = &self.entries[m.entry];
        rules.push(e.label().to_string());
        match &e.target {
            ActorRef::Country { code, sector } => {
                actor.code = Some(code.clone());
                actor.sector = *sector;
            }
            ActorRef::Adjective { code } => {
                actor.code = Some(code.clone());
                // "the Palestinians", "Iraqis": the people.
                if !agent && m.end == end && toks[m.end - 1].tag == annalist_dict::Tag::NNPS {
                    actor.plural = true;
                }
            }
            ActorRef::Region { code } => actor.code = Some(code.clone()),
            ActorRef::Organisation { code, org, sector } => {
                actor.code = Some(code.clone());
                actor.org = Some(org.clone());
                actor.sector = *sector;
            }
            ActorRef::Group { code, sector } => {
                actor.code = Some(code.clone());
                actor.sector = Some(*sector);
            }
            ActorRef::Person(p) => {
                actor.person = true;
                if let Some(role) = self.people[*p].role_on(date) {
                    actor.code = Some(role.code.clone());
                    actor.sector = role.sector.as_deref().map(sector_of);
                    rules.push(
                        format!("role {} {}", role.code, role.title)
                            .trim_end()
                            .to_string(),
                    );
                }
            }
            ActorRef::Agent { .. } => unreachable!(),
        }
    }
}

/// The words of a phrase's actor: from its first mention (with a preceding "the") to
/// its last mention or its head, whichever ends later (byte offsets).
fn actor_span(
    toks: &[TaggedToken],
    inside: &[&Mention],
    (start, end, head): (usize, usize, usize),
) -> (usize, usize) {
    let first = inside.iter().map(|m| m.start).min().unwrap_or(start);
    let last = inside.iter().map(|m| m.end).max().unwrap_or(end);
    let span_start = if first > start && toks[first - 1].lower == "the" {
        first - 1
    } else {
        first
    };
    let span_end = if head < end && head + 1 > last {
        head + 1
    } else {
        last
    };
    (toks[span_start].token.start, toks[span_end - 1].token.end)
}
