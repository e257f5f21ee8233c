//! Coreference: pronoun arguments resolved to an actor — in reported speech to the
//! speaker; a possessive in the object to the clause's own subject; otherwise to the
//! nearest earlier actor of the sentence of matching number and person; otherwise to
//! the first subject of the previous sentence.
use super::{Arg, Predicate};
use crate::actors::Actor;
use crate::knowledge::Knowledge;
use annalist_dict::{Tag, WordClass};
use annalist_text::TaggedToken;

/// Resolves pronoun arguments: reported speech → the speaker; otherwise the nearest
/// earlier actor in the sentence of matching number; otherwise `previous` (the first
/// subject actor of the previous sentence of the document).
pub fn resolve_pronouns(
    preds: &mut [Predicate],
    toks: &[TaggedToken],
    previous: Option<&Actor>,
    kn: &Knowledge,
) {
    // (And the subjects among them: the parties that act, "Germany proposed talks, but
    // Russia rejected its offer", not the places and things around them.)
    let subjects = antecedents(preds, true);
    // (Nations named on things too, "an Indian proposal": only a noun for the other
    // party, "urging its counterpart", may refer to one.)
    let antecedents_all = antecedents(preds, false);
    for i in 0..preds.len() {
        let clause = Clause {
            speaker: speaker_of(preds, i, kn),
            // "Peru apologized to Chile for a raid by some of its patrol boats": a
            // possessive in the object or a prepositional phrase names the clause's own
            // subject first.
            own_subject: preds[i].subject.as_ref().and_then(|a| {
                a.actors
                    .iter()
                    .find(|a| a.code.is_some() && !a.modifier)
                    .cloned()
            }),
            subject_pronoun: preds[i].subject.as_ref().and_then(|a| a.pronoun),
            not: None,
        };
        let cx = Coreference {
            toks,
            kn,
            previous,
            antecedents: &antecedents_all,
            subjects: &subjects,
        };
        // "Tehran rejected its request": a response to a proposal (RESPONSE_VERB, class
        // PROPOSAL) answers another party; the possessive is not the subject's own.
        let responding = kn.is(WordClass::ResponseVerb, &preds[i].lemma)
            && preds[i].object.as_ref().is_some_and(|o| {
                o.pronoun
                    .is_some_and(|t| kn.is(WordClass::PossessivePronoun, &toks[t].lower))
                    && o.heads.iter().any(|h| kn.proposals.contains(h))
            });
        // "Ethiopia insisted that Somalia withdraw its troops": what one withdraws,
        // deploys or recalls (OWN_OBJECT_VERB) is its own, even in reported speech.
        let own_object =
            kn.is(WordClass::OwnObjectVerb, &preds[i].lemma) && clause.own_subject.is_some();
        let p = &mut preds[i];
        if let Some(o) = p.object.as_mut() {
            if own_object {
                let own = Clause {
                    speaker: None,
                    ..clause.clone()
                };
                cx.resolve(o, &own);
            } else if responding {
                let answered = Clause {
                    own_subject: None,
                    not: clause.own_subject.as_ref().and_then(|a| a.code.clone()),
                    ..clause.clone()
                };
                cx.resolve(o, &answered);
            } else {
                cx.resolve(o, &clause);
            }
        }
        for arg in p.subject.iter_mut().chain(p.pps.iter_mut().map(|(_, a)| a)) {
            cx.resolve(arg, &clause);
        }
    }
    // Complements and coordinated verbs share the (now resolved) subject.
    for i in 0..preds.len() {
        if let Some(q) = preds[i].controller {
            if q < i {
                preds[i].subject = super::predicates::controlled_subject(preds, i, q, kn);
            }
        } else if let Some(q) = preds[i].coordinated_with {
            if q < i {
                preds[i].subject = preds[q].subject.clone();
            }
        }
        // "the Taliban rejected its demand to lift the ban": the owner of a control noun
        // is resolved as the noun phrase is where it is another verb's object.
        if preds[i].framed_by.is_some() {
            let chunks = preds[i].subject.as_ref().map(|a| &a.chunks);
            let resolved = preds
                .iter()
                .filter_map(|q| q.object.as_ref())
                .find(|o| Some(&o.chunks) == chunks)
                .cloned();
            if let Some(o) = resolved {
                preds[i].subject = Some(o);
            }
        }
    }
}

/// Candidate antecedents in sentence order: (byte position, actor). A nation named on a
/// thing ("a Senegalese plan", a modifier) is among them only when `subjects_only` is
/// not asked: a pronoun never refers to one (`Coreference::antecedents`).
fn antecedents(preds: &[Predicate], subjects_only: bool) -> Vec<(usize, Actor)> {
    let mut out: Vec<(usize, Actor)> = Vec::new();
    for p in preds {
        let others = (!subjects_only)
            .then(|| p.object.iter().chain(p.pps.iter().map(|(_, a)| a)))
            .into_iter()
            .flatten();
        for a in p.subject.iter().chain(others) {
            for act in &a.actors {
                if act.code.is_some() && (!subjects_only || !act.modifier) {
                    out.push((act.start, act.clone()));
                }
            }
        }
    }
    out.sort_by_key(|(s, _)| *s);
    out.dedup_by(|a, b| a.1 == b.1);
    out
}

/// Whom the pronouns of predicate `i` take as its speaker: the reporting verb's subject,
/// the accuser for what an accusation alleges, or the addressee of an obligation.
fn speaker_of(preds: &[Predicate], i: usize, kn: &Knowledge) -> Option<Actor> {
    // "accused China of firing at its vessels": the accuser speaks for the gerund
    // of an accusation as a speaker for a reported clause.
    // (Also through the gerund's own complements: "accused Russia of plotting to
    // overthrow the country's government".)
    let accuser = std::iter::successors(Some(i), |&j| preds[j].controller).find_map(|j| {
        preds[j].controller.filter(|&c| {
            preds[j].vg.gerund
                && kn.words.value(WordClass::AttributionVerb, &preds[c].lemma) == Some("alleged")
        })
    });
    // "Egypt told Israel that it must withdraw": an obligation said to someone is
    // theirs (its pronoun is the addressee, not the speaker).
    // ("Iran warned Israel that it would retaliate": a clause after an addressee is
    // the speaker's too, ADDRESSEE_VERB.)
    let said_by = preds[i].reported_by.or_else(|| {
        (0..i).find(|&s| {
            preds[s].clause == Some(i) && kn.is(WordClass::AddresseeVerb, &preds[s].lemma)
        })
    });
    let addressee = said_by
        .filter(|_| matches!(preds[i].vg.modal.as_deref(), Some("must" | "should")))
        .and_then(|s| preds[s].object.as_ref())
        .and_then(|a| a.actors.iter().find(|a| a.code.is_some()).cloned());
    addressee.or_else(|| {
        said_by
            .or(accuser)
            .and_then(|s| preds[s].subject.as_ref())
            .and_then(|a| a.actors.iter().find(|a| a.code.is_some()).cloned())
    })
}

/// What a pronoun's clause offers: its speaker (in reported speech), its own subject,
/// and the subject's own pronoun; `not`: a code the pronoun cannot refer to (the
/// subject's, for a response to another party's proposal).
#[derive(Clone)]
struct Clause {
    speaker: Option<Actor>,
    own_subject: Option<Actor>,
    subject_pronoun: Option<usize>,
    not: Option<String>,
}

/// The sentence a pronoun is resolved in.
struct Coreference<'a> {
    toks: &'a [TaggedToken],
    kn: &'a Knowledge,
    previous: Option<&'a Actor>,
    /// The actors of the sentence, nations named on things ("an Indian proposal",
    /// modifiers) included: only a noun for the other party refers to one.
    antecedents: &'a [(usize, Actor)],
    /// The subjects among them: a pronoun that is not its subject's refers to one.
    subjects: &'a [(usize, Actor)],
}

impl Coreference<'_> {
    /// Gives the actors of `arg` that have no code the antecedent of its pronoun.
    fn resolve(&self, arg: &mut Arg, clause: &Clause) {
        let Some(pt) = arg.pronoun else { return };
        let w = self.toks[pt].lower.as_str();
        if self.kn.is(WordClass::ReflexivePronoun, w) {
            return;
        }
        let Some(ante) = self.antecedent(pt, clause) else {
            return;
        };
        for a in arg.actors.iter_mut().filter(|a| a.code.is_none()) {
            a.code = ante.code.clone();
            a.org = ante.org.clone();
            if a.sector.is_none() {
                a.sector = ante.sector;
            }
            a.entry = format!(
                "{}coreference {w:?} → {}",
                if a.entry.is_empty() {
                    String::new()
                } else {
                    format!("{}; ", a.entry)
                },
                ante.cameo_actor()
            );
        }
    }

    /// The actor the pronoun at token `pt` refers to.
    fn antecedent(&self, pt: usize, clause: &Clause) -> Option<Actor> {
        let kn = self.kn;
        let w = self.toks[pt].lower.as_str();
        let plural = kn.is(WordClass::PluralPronoun, w);
        let pos = self.toks[pt].token.start;
        // "Kenya said the group had attacked …": a description of a group, a bloc or an
        // alliance (ANAPHOR but not STATE_ANAPHOR) refers to an organisation or a
        // non-state actor, never to a state, its government or its forces.
        let group_word = kn.anaphors.contains(w) && !kn.state_anaphors.contains(w);
        let kind_fits =
            |a: &Actor| !group_word || a.org.is_some() || a.sector.is_some_and(|s| !s.is_state());
        let allowed = |a: &Actor| (clause.not.is_none() || a.code != clause.not) && kind_fits(a);
        let spk = clause.speaker.as_ref().filter(|a| allowed(a));
        let number_fits = |a: &Actor| plural == a.plural || (!a.person && plural);
        let person = |a: &Actor| a.person || a.office;
        // "he would only welcome him", "police arrested two men and deported them": an
        // object pronoun is not its clause's speaker or subject; the nearest other
        // actor is meant.
        if kn.is(WordClass::OtherPartyAnaphor, w) {
            let me = spk.map(|s| (s.start, s.end));
            let subject = clause.own_subject.as_ref().map(|s| (s.start, s.end));
            let pronoun = self.toks[pt].tag == Tag::PRP;
            let mut others = self.antecedents.iter().rev().filter(|(s, a)| {
                *s < pos
                    && !(pronoun && a.modifier)
                    && Some((a.start, a.end)) != me
                    && Some((a.start, a.end)) != subject
                    && a.code != spk.and_then(|x| x.code.clone())
                    && number_fits(a)
            });
            // ("welcomed him": a person before the capital nearer to it.)
            let nearest = others.clone().next();
            let persons = kn.is(WordClass::PersonPronoun, w);
            return others
                .find(|(_, a)| persons && person(a))
                .or(nearest)
                .map(|(_, a)| a.clone());
        }
        if kn.is(WordClass::FirstPersonPronoun, w) {
            return spk.cloned();
        }
        let possessive = kn.is(WordClass::PossessivePronoun, w);
        let own = clause.own_subject.clone().filter(|a| {
            possessive
                && Some(pt) != clause.subject_pronoun
                && a.start < pos
                && number_fits(a)
                && person(a) == matches!(w, "his" | "her")
        });
        // (A speaker with no country — "officials said" — names no antecedent.)
        spk.cloned()
            .filter(|s| s.code.is_some())
            .filter(|s| !plural || s.plural || s.org.is_some() || s.sector.is_some())
            .or(own)
            .or_else(|| {
                let candidates = if clause.not.is_some() {
                    self.subjects
                } else {
                    self.antecedents
                };
                candidates
                    .iter()
                    .rev()
                    .filter(|(s, a)| {
                        *s < pos
                            && !a.modifier
                            && number_fits(a)
                            && person(a) == kn.is(WordClass::PersonPronoun, w)
                            && allowed(a)
                    })
                    .map(|(_, a)| a.clone())
                    .next()
            })
            .or_else(|| self.previous.filter(|a| allowed(a)).cloned())
    }
}
