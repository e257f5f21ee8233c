//! Places in text: towns and regions of the gazetteer among the words no dictionary
//! phrase took (ARCHITECTURE.md, "Places in text"), and dictionary capitals that are
//! another country's town of that name ("Lebanese troops deployed in Tripoli") or that
//! a comma hint moves ("Paris, Texas").
use super::{ActorMatcher, ActorRef, Mention};
use annalist_dict::{Tag, WordClass};
use annalist_geo::{Gazetteer, Kind, PlaceId};
use annalist_text::TaggedToken;

/// One sentence as the place finder sees it.
struct PlaceSearch<'a> {
    m: &'a ActorMatcher,
    g: &'a Gazetteer,
    doc: &'a str,
    toks: &'a [TaggedToken],
    /// The countries the sentence's dictionary phrases name, with where they start.
    countries: Vec<(usize, String)>,
}

impl ActorMatcher {
    /// Gazetteer places among the words no dictionary phrase took: the longest run of
    /// capitalised proper-noun words (with a trailing region word) that names a town or
    /// region. A run right after or before another unknown proper noun is part of a
    /// longer name ("Paris Hilton"), and a name that is also a common word is taken only
    /// after a place preposition ("in Split"). Which place is meant is decided by the
    /// countries the sentence names, then by population (annalist-geo's `resolve`).
    pub(super) fn find_places(
        &self,
        doc: &str,
        toks: &[TaggedToken],
        nearby: &[PlaceId],
        out: &mut Vec<Mention>,
    ) {
        let Some(g) = self.places.as_deref() else {
            return;
        };
        let countries = out
            .iter()
            .filter_map(|m| match &self.entries[m.entry].target {
                ActorRef::Country { code, .. }
                | ActorRef::Adjective { code }
                | ActorRef::Group { code, .. } => Some((m.start, code.clone())),
                _ => None,
            })
            .collect();
        let search = PlaceSearch {
            m: self,
            g,
            doc,
            toks,
            countries,
        };
        for m in out.iter_mut() {
            search.relocate_capital(m);
        }
        let found = search.gazetteer_names(nearby, out);
        out.extend(found);
        // A comma hint taken into a place ("Tripoli, Lebanon") is no mention of its own.
        let spans: Vec<(usize, usize)> = out
            .iter()
            .filter(|m| m.place.is_some())
            .map(|m| (m.start, m.end))
            .collect();
        out.retain(|m| {
            !spans
                .iter()
                .any(|&(a, b)| a <= m.start && m.end <= b && (a, b) != (m.start, m.end))
        });
        out.sort_by_key(|m| m.start);
    }
}

/// "Hodeidah"/"Hodeida", "Raqqa"/"Raqqah": Arabic names are written with and without
/// a final h after a vowel; the other spelling of `name`.
fn final_h_variant(name: &str) -> Option<String> {
    match name.strip_suffix('h') {
        Some(v) if v.ends_with(['a', 'e']) => Some(v.to_string()),
        Some(_) => None,
        None if name.ends_with(['a', 'e']) => Some(format!("{name}h")),
        None => None,
    }
}

impl PlaceSearch<'_> {
    /// "Paris, Texas": a name ending at token `end` followed by a comma and a region or
    /// country is that region's town; returns the hint's end and words.
    fn hint_after(&self, end: usize) -> Option<(usize, String)> {
        let toks = self.toks;
        if toks.get(end).is_none_or(|t| t.lower != ",") {
            return None;
        }
        let mut k = end + 1;
        while k < toks.len() && k < end + 4 && toks[k].capitalised {
            k += 1;
        }
        // "…in Donetsk, Russia's defence ministry said": a name that owns what follows
        // starts a new phrase; it is no hint of where the town is.
        if toks.get(k).is_some_and(|t| t.tag == Tag::POS) {
            return None;
        }
        (k > end + 1)
            .then(|| {
                let h = self.doc[toks[end + 1].token.start..toks[k - 1].token.end].to_string();
                (k, h)
            })
            .filter(|(_, h)| {
                self.g
                    .lookup(h)
                    .iter()
                    .any(|&id| self.g.place(id).kind != Kind::City)
            })
    }

    /// A dictionary country mention that is really a town elsewhere: a capital's name
    /// used as a place in a sentence about another country is that country's town of
    /// the name, if it has one ("Lebanese troops deployed in Tripoli"; not a hamlet: see
    /// annalist-geo's population guard); a comma hint naming a region or country of
    /// another state takes the town there ("Paris, Texas").
    fn relocate_capital(&self, m: &mut Mention) {
        let (g, toks) = (self.g, self.toks);
        let (code, seat) = match &self.m.entries[m.entry].target {
            ActorRef::Country { code, sector } if m.place.is_none() => {
                (code.clone(), sector.is_some())
            }
            _ => return,
        };
        let elsewhere = self.countries.iter().filter(|(at, _)| *at != m.start);
        let others: Vec<&str> = elsewhere
            .clone()
            .map(|(_, c)| c.as_str())
            .filter(|&c| c != code)
            .collect();
        let name = &self.doc[toks[m.start].token.start..toks[m.end - 1].token.end];
        if seat
            && !others.is_empty()
            && !elsewhere.clone().any(|(_, c)| *c == code)
            && m.start > 0
            && self
                .m
                .words
                .has(WordClass::NamePlacePrep, &toks[m.start - 1].lower)
        {
            let ctx = annalist_geo::Context {
                countries: &others,
                ..Default::default()
            };
            if let Some(id) = g.resolve_id(name, &ctx) {
                // Only a town of that very name ("Islamabad" is also an old name of
                // Chittagong: that does not count).
                let p = g.place(id);
                if p.country != code
                    && p.kind == Kind::City
                    && annalist_geo::normalize(&p.name) == annalist_geo::normalize(name)
                {
                    m.place = Some(id);
                    return;
                }
            }
        }
        let Some((k, hint)) = self.hint_after(m.end) else {
            return;
        };
        let ctx = annalist_geo::Context {
            admin1_hint: Some(&hint),
            ..Default::default()
        };
        if let Some(id) = g.resolve_id(name, &ctx) {
            if g.place(id).country != code {
                m.place = Some(id);
                m.end = k;
            }
        }
    }

    /// A capitalised word that may be part of a place name: never a calendar word ("in
    /// March", "on Sunday").
    fn proper(&self, t: &TaggedToken) -> bool {
        t.capitalised
            && matches!(t.tag, Tag::NNP | Tag::NNPS | Tag::JJ | Tag::NN | Tag::NNS)
            && !crate::dates::Calendar::new(&self.m.words).calendar_word(&t.lower)
    }

    /// The longest run of proper words from token `i` (up to the gazetteer's longest
    /// name, plus a trailing region word) that the gazetteer knows: (end, name).
    fn name_run_at(&self, i: usize, out: &[Mention]) -> Option<(usize, String)> {
        let (g, toks) = (self.g, self.toks);
        let covered = |i: usize| out.iter().any(|m| m.start <= i && i < m.end);
        let max = g.max_words().min(6);
        let mut len = 1;
        while len < max && i + len < toks.len() && self.proper(&toks[i + len]) && !covered(i + len)
        {
            len += 1;
        }
        while len > 0 {
            let mut end = i + len;
            let mut name = self.doc[toks[i].token.start..toks[end - 1].token.end].to_string();
            let with_word = toks
                .get(end)
                .is_some_and(|t| annalist_geo::REGION_WORDS.contains(&t.lower.as_str()));
            if with_word {
                let n2 = format!("{name} {}", toks[end].lower);
                if !g.lookup(&n2).is_empty() {
                    name = n2;
                    end += 1;
                }
            }
            if !g.candidates(&name).is_empty() || (with_word && !g.lookup(&name).is_empty()) {
                return Some((end, name));
            }
            // (Not for a word the lexicon knows: "Hannah" is no "Hanna".)
            if let Some(v) = (!self.m.known_word(self.doc, &toks[end - 1]))
                .then(|| final_h_variant(&name))
                .flatten()
                .filter(|v| !g.candidates(v).is_empty())
            {
                return Some((end, v));
            }
            len -= 1;
        }
        None
    }

    /// Another name's word at `k`: unknown, or a person's ("Paul Austin"); "Russian-held",
    /// "Houthi-controlled" are compound adjectives, not names.
    fn name_word(&self, k: usize, out: &[Mention]) -> bool {
        let t = &self.toks[k];
        t.capitalised
            && matches!(t.tag, Tag::NNP | Tag::NNPS)
            && !t
                .lower
                .rsplit_once('-')
                .is_some_and(|(_, tail)| self.m.words.has(WordClass::CompoundTail, tail))
            && out
                .iter()
                .find(|m| m.start <= k && k < m.end)
                .is_none_or(|m| {
                    m.place.is_none()
                        && matches!(self.m.entries[m.entry].target, ActorRef::Person(_))
                })
    }

    /// The place mentions among the words no dictionary phrase took.
    fn gazetteer_names(&self, nearby: &[PlaceId], out: &[Mention]) -> Vec<Mention> {
        let toks = self.toks;
        let covered = |i: usize| out.iter().any(|m| m.start <= i && i < m.end);
        let mut found = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if !self.proper(&toks[i]) || covered(i) {
                i += 1;
                continue;
            }
            let Some((end, name)) = self.name_run_at(i, out) else {
                i += 1;
                continue;
            };
            let before_proper = i > 0 && self.name_word(i - 1, out);
            let after_proper = end < toks.len() && self.name_word(end, out);
            let single_common = end == i + 1 && self.m.is_common(&toks[i].lower);
            let after_preposition = i > 0
                && self
                    .m
                    .words
                    .has(WordClass::NamePlacePrep, &toks[i - 1].lower);
            if !(before_proper || after_proper || (single_common && !after_preposition)) {
                if let Some(m) = self.place_mention(i, end, &name, nearby) {
                    i = m.end;
                    found.push(m);
                    continue;
                }
            }
            i = end;
        }
        found
    }

    /// The mention of the place `name` (tokens `i..end`), resolved with the sentence's
    /// countries, the document's earlier places and a comma hint; the hint belongs to the
    /// mention when it decided the place.
    fn place_mention(
        &self,
        i: usize,
        end: usize,
        name: &str,
        nearby: &[PlaceId],
    ) -> Option<Mention> {
        let g = self.g;
        let hint = self.hint_after(end);
        let country_refs: Vec<&str> = self.countries.iter().map(|(_, c)| c.as_str()).collect();
        let ctx = annalist_geo::Context {
            countries: &country_refs,
            nearby,
            admin1_hint: hint.as_ref().map(|(_, h)| h.as_str()),
        };
        let id = region_of(g, name, g.resolve_id(name, &ctx)?);
        let same = |a: &str, b: &str| annalist_geo::normalize(a) == annalist_geo::normalize(b);
        let end = match &hint {
            Some((k, h))
                if g.place(id).admin1.as_deref().is_some_and(|a| same(a, h))
                    || g.country(&g.place(id).country)
                        .is_some_and(|c| same(&g.place(c).name, h)) =>
            {
                *k
            }
            _ => end,
        };
        Some(Mention {
            start: i,
            end,
            entry: 0,
            place: Some(id),
        })
    }
}

/// "Russia's Bryansk region": when a region word follows a town whose region the
/// gazetteer knows under another spelling, the region is meant.
fn region_of(g: &Gazetteer, name: &str, id: PlaceId) -> PlaceId {
    let p = g.place(id);
    if p.kind != Kind::City || annalist_geo::strip_region_word(name).is_none() {
        return id;
    }
    p.admin1
        .as_deref()
        .and_then(|a| {
            g.candidates(a)
                .iter()
                .copied()
                .find(|&r| g.place(r).kind == Kind::Admin1 && g.place(r).country == p.country)
        })
        .unwrap_or(id)
}
