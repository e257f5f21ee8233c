//! Subjects: from a verb group back to the noun phrase that is its subject, through
//! adverbs, commas, quotes and parentheses; coordinations and appositions; relative
//! clauses (the antecedent); a verb coordinated with an earlier one shares its subject.
use super::predicates::ByChunk;
use super::{Arg, SentenceView};
use annalist_dict::WordClass;
use annalist_text::ChunkKind;

/// What a chunk met on the walk back means.
enum Step {
    /// The walk ends: the subject, or the predicate whose subject is shared.
    Found(Option<Arg>, Option<usize>),
    /// Go on (to `j`, which may have jumped back over a parenthesis).
    Continue(usize),
}

impl SentenceView<'_> {
    /// Walks back from the verb group at chunk `k` to its subject. Returns the subject
    /// or the predicate it is coordinated with ("met and agreed").
    pub(super) fn find_subject(
        &self,
        k: usize,
        by_chunk: &ByChunk,
    ) -> (Option<Arg>, Option<usize>) {
        let mut j = k;
        let mut crossed_comma = false;
        while j > 0 {
            j -= 1;
            let c = &self.chunks[j];
            let step = match &c.kind {
                ChunkKind::Adverb | ChunkKind::Other | ChunkKind::Adjective => Step::Continue(j),
                ChunkKind::Preposition => Step::Continue(j),
                ChunkKind::Punctuation => match self.parenthetical_clause(j) {
                    // "Kenya, while rejecting the claims, warned": the clause between
                    // the commas is passed over.
                    Some(p) => {
                        crossed_comma = true;
                        Step::Continue(p)
                    }
                    None => self.punctuation_step(j, &mut crossed_comma),
                },
                ChunkKind::NounPhrase { .. } => self.noun_phrase_step(j, k, crossed_comma),
                ChunkKind::ClauseMarker => {
                    let (a, _) = self.relative_antecedent(j, k);
                    Step::Found(a, None)
                }
                ChunkKind::Coordinator => match self.coordinated_verb(j, k, by_chunk) {
                    Some(q) => Step::Found(None, Some(q)),
                    None => Step::Continue(j),
                },
                // "The UN agency working in Yemen said": a participle phrase after the
                // subject (or after its apposition: "the vessel, BRP X, anchored at …") is
                // passed over.
                ChunkKind::Verb(vg)
                    if !vg.finite
                        && (vg.gerund || vg.participle)
                        && j > 0
                        && (self.is_np(j - 1)
                            || (j >= 2 && self.is_comma(j - 1) && self.is_np(j - 2))
                            || (vg.gerund
                                && self.chunks[j - 1].kind == ChunkKind::Preposition)) =>
                {
                    Step::Continue(j)
                }
                ChunkKind::Verb(_) if self.completes_noun(j) => Step::Continue(j),
                // "Gunmen who were paid by a cartel ambushed a patrol": a relative clause
                // on the subject, with no commas, is passed over to its antecedent.
                ChunkKind::Verb(vg) if vg.finite && !crossed_comma && self.relative_verb(j) => {
                    Step::Found(self.relative_antecedent(j - 1, j).0, None)
                }
                ChunkKind::Verb(_) => Step::Found(None, None),
            };
            match step {
                Step::Found(a, q) => return (a, q),
                Step::Continue(to) => j = to,
            }
        }
        (None, None)
    }

    /// The chunk `j` is an infinitive that completes a noun ("the decision to withdraw",
    /// "plans to build").
    fn completes_noun(&self, j: usize) -> bool {
        matches!(&self.chunks[j].kind, ChunkKind::Verb(vg)
            if vg.infinitive && self.control(j, vg).noun_complement)
    }

    /// The comma before a clause set off by commas that ends at the comma `j` and
    /// opens with a subordinator or a non-finite verb (", while rejecting the claims,",
    /// ", citing security concerns,"), with no finite verb of its own.
    fn parenthetical_clause(&self, j: usize) -> Option<usize> {
        if self.toks[self.chunks[j].start].lower != "," {
            return None;
        }
        let mut i = j;
        let mut finite = false;
        while i > 0 {
            i -= 1;
            match &self.chunks[i].kind {
                ChunkKind::Punctuation => {
                    if self.toks[self.chunks[i].start].lower != "," || i + 1 >= j {
                        return None;
                    }
                    // "The junta, which seized power in 2020, expelled …": a relative
                    // clause set off by commas is passed over with its own verb.
                    // (", reportedly backed by Rwanda,": an adverb may come first.)
                    let mut o = i + 1;
                    while o + 1 < j && self.chunks[o].kind == ChunkKind::Adverb {
                        o += 1;
                    }
                    let opens = match &self.chunks[o].kind {
                        ChunkKind::ClauseMarker => {
                            !finite
                                || self.kn.is(
                                    WordClass::RelativePronoun,
                                    &self.toks[self.chunks[o].start].lower,
                                )
                        }
                        ChunkKind::Verb(vg) => {
                            !finite && !vg.finite && (vg.gerund || vg.participle)
                        }
                        _ => false,
                    };
                    return (opens && i > 0).then_some(i);
                }
                ChunkKind::Verb(vg) if vg.finite => finite = true,
                _ => {}
            }
        }
        None
    }

    /// A comma is crossed (an apposition may follow); quotes are passed; a closing
    /// parenthesis is skipped back to its opening one ("the Republic of Korea (ROK)
    /// withdraw"); any other punctuation ends the walk.
    fn punctuation_step(&self, mut j: usize, crossed_comma: &mut bool) -> Step {
        let w = self.toks[self.chunks[j].start].lower.as_str();
        if w == "," {
            *crossed_comma = true;
        } else if self.kn.is(WordClass::QuoteMark, w) {
        } else if w == ")" {
            while j > 0 && self.toks[self.chunks[j].start].lower != "(" {
                j -= 1;
            }
        } else {
            return Step::Found(None, None);
        }
        Step::Continue(j)
    }

    /// The clause marker at chunk `j` is a relative pronoun: "who", "which" or "that".
    fn relative_marker(&self, j: usize) -> bool {
        self.chunks[j].kind == ChunkKind::ClauseMarker
            && matches!(
                self.toks[self.chunks[j].start].lower.as_str(),
                "who" | "which" | "that"
            )
    }

    /// The verb group at `j` opens a relative clause on a noun phrase: right after a
    /// relative pronoun (`relative_marker`) that follows the phrase.
    fn relative_verb(&self, j: usize) -> bool {
        j >= 2 && self.relative_marker(j - 1) && self.is_np(j - 2)
    }

    /// A noun phrase at `j` before the verb at `k`: the subject, unless it is a
    /// preposition's object (then the walk goes on), or an apposition naming no actor.
    fn noun_phrase_step(&self, j: usize, k: usize, crossed_comma: bool) -> Step {
        // "Rebels that seized a post last week attacked …": a time phrase is no subject.
        if j > 0 && self.time_phrase(j) {
            return Step::Continue(j);
        }
        // "the man who killed the reporter was arrested": the object of a relative
        // clause on the subject is not the subject.
        if j >= 1
            && !crossed_comma
            && self.is_finite_vg(k)
            && matches!(&self.chunks[j - 1].kind, ChunkKind::Verb(vg) if vg.finite)
            && self.relative_verb(j - 1)
        {
            return Step::Continue(j);
        }
        // "marched through the capital, Belgrade, on Friday, to protest": an
        // infinitive set off by a comma has no subject of its own before it; it is the
        // main clause's (the walk goes on to that clause's verb).
        if crossed_comma
            && matches!(&self.chunks[k].kind, ChunkKind::Verb(vg) if vg.infinitive && !vg.finite)
        {
            return Step::Continue(j);
        }
        // "a bill containing tax hikes would be withdrawn", "protesters carrying flags
        // marched": the object of a participle phrase on the subject is not the subject.
        // ("a police unit in charge of investigating the president raided …": the
        // participle may follow a preposition.)
        if j >= 2
            && !crossed_comma
            && (self.is_np(j - 2) || self.chunks[j - 2].kind == ChunkKind::Preposition)
            && matches!(&self.chunks[j - 1].kind,
                ChunkKind::Verb(vg) if !vg.finite && (vg.gerund || vg.participle))
        {
            return Step::Continue(j - 1);
        }
        // "Ethiopia's decision to withdraw its troops was welcomed": the object of an
        // infinitive completing a noun is not the subject; the noun is.
        if j >= 2 && self.completes_noun(j - 1) {
            return Step::Continue(j - 1);
        }
        if j > 0 && matches!(self.chunks[j - 1].kind, ChunkKind::Preposition) {
            // "after the council in Niamey voted": a subordinator before a finite verb's
            // phrase opens a clause; its phrase is the subject.
            let subordinator = self.is_prep_of(j - 1, WordClass::SubordinatingPrep)
                && self.is_finite_vg(k)
                && self.chunks[j + 1..k].iter().all(|c| {
                    matches!(c.kind, ChunkKind::NounPhrase { .. } | ChunkKind::Adverb)
                        || (matches!(c.kind, ChunkKind::Preposition)
                            && matches!(self.toks[c.start].lower.as_str(), "of" | "in" | "from"))
                });
            if !subordinator {
                return Step::Continue(j - 1);
            }
        }
        // "Talks between Armenia and Azerbaijan resumed": "between" takes the whole
        // coordination as its object; the subject is the phrase before it.
        if let Some(b) = self.between_object(j) {
            return Step::Continue(b);
        }
        if let Some(arg) = self.distributed_head(j) {
            return Step::Found(Some(arg), None);
        }
        // "The withdrawal of Indian and Chinese troops was completed": a coordination
        // that is the "of" phrase of an event noun is that noun's, and the noun is the
        // subject.
        if let Some(of) = self.event_noun_of_coordination(j) {
            return Step::Continue(of);
        }
        // "The pullback of troops from Depsang and Demchok was completed", "protesters
        // in Nairobi and Mombasa marched": a coordination that is the object of a
        // preposition other than "of" is passed over like a single phrase.
        if let Some(p) = self.prep_coordination(j, k) {
            return Step::Continue(p);
        }
        let first = self.coordination_start(j);
        // "X, the foreign minister, said" — prefer the phrase before the apposition when
        // the nearer one names no actor.
        let (arg, _) = self.arg_at(first, false);
        if arg.actors.is_empty() && crossed_comma {
            return Step::Continue(j);
        }
        Step::Found(Some(self.renamed_by_apposition(first, arg)), None)
    }

    /// "The foreign ministers of France and Germany met", "troops from Chad and Niger
    /// attacked", "negotiators for Kabul and the Taliban": a sector-only head whose
    /// "of"/"from"/"for" phrase is a coordination of
    /// countries is each country's ("FRAGOV", "DEUGOV"), not the last conjunct's.
    /// `j` is the coordination's last phrase.
    fn distributed_head(&self, j: usize) -> Option<Arg> {
        // The coordination's first phrase, across "and" and listing commas.
        let mut first = j;
        while first >= 2
            && self.is_np(first - 2)
            && self.chunks.get(first - 1).is_some_and(|c| {
                (matches!(c.kind, ChunkKind::Coordinator) && self.toks[c.start].lower == "and")
                    || (matches!(c.kind, ChunkKind::Punctuation) && self.toks[c.start].lower == ",")
            })
        {
            first -= 2;
        }
        if first == j
            || first < 2
            || !self.is_prep(first - 1, &["of", "from", "for"])
            || !self.is_np(first - 2)
        {
            return None;
        }
        let head = first - 2;
        let (hs, he, hh, _) = super::np_bounds(&self.chunks[head])?;
        let h = self
            .matcher
            .resolve_phrase(self.toks, self.mentions, (hs, he, hh), self.date)?;
        let sector = h.sector.filter(|_| h.code.is_none())?;
        let mut arg = self.arg_at(head, false).0;
        let mut actors = Vec::new();
        for k in (first..=j).step_by(2) {
            let (a, _) = self.arg_at(k, false);
            let c = a.actors.into_iter().find(|a| a.country().is_some())?;
            actors.push(crate::actors::Actor {
                sector: c.sector.or(Some(sector)),
                start: self.toks[self.chunks[head].start].token.start.min(c.start),
                entry: format!(
                    "{}; sector of the head {:?} (distributed)",
                    c.entry, h.entry
                ),
                ..c
            });
        }
        arg.actors = actors;
        Some(arg)
    }

    /// The first phrase of an "and" list (commas and "and") ending at `j`. A comma
    /// links only phrases before the "and" ("between A, B and C"): in "after clashes
    /// between A and B, the army withdrew" the phrase after the comma is no member.
    fn and_list_start(&self, j: usize) -> usize {
        let mut first = j;
        let mut listed = false;
        while first >= 2
            && self.is_np(first - 2)
            && self.chunks.get(first - 1).is_some_and(|c| {
                (c.kind == ChunkKind::Coordinator && self.toks[c.start].lower == "and")
                    || (listed
                        && c.kind == ChunkKind::Punctuation
                        && self.toks[c.start].lower == ",")
            })
        {
            listed = true;
            first -= 2;
        }
        first
    }

    /// The chunk of "between" when the noun phrase at `j` ends a coordination that is
    /// its object ("between Armenia and Azerbaijan").
    fn between_object(&self, j: usize) -> Option<usize> {
        let first = self.and_list_start(j);
        first
            .checked_sub(1)
            .filter(|&b| first < j && self.is_prep(b, &["between"]))
    }

    /// The chunk of "of" when the noun phrase at `j` ends a coordination that is the
    /// "of" phrase of a noun naming an event ("the deployment of Indian and Chinese
    /// troops"), not a list of subjects ("the head of the army and the minister").
    fn event_noun_of_coordination(&self, j: usize) -> Option<usize> {
        let first = self.and_list_start(j);
        let of = first
            .checked_sub(1)
            .filter(|&b| first < j && self.is_prep(b, &["of"]))?;
        let (_, _, head, _) = super::np_bounds(self.chunks.get(of.checked_sub(1)?)?)?;
        self.kn
            .event_nouns
            .contains(&self.toks[head].lemma)
            .then_some(of)
    }

    /// The chunk of the preposition (not "of", not a subordinator opening a clause whose
    /// verb is at `k`) whose object is the coordination ending at `j`.
    fn prep_coordination(&self, j: usize, k: usize) -> Option<usize> {
        let first = self.and_list_start(j);
        first.checked_sub(1).filter(|&b| {
            first < j
                && self.is_prep(b, &[])
                && !self.is_prep(b, &["of"])
                && !(self.is_prep_of(b, WordClass::SubordinatingPrep) && self.is_finite_vg(k))
        })
    }

    /// The first phrase of a coordination ending at `j`. A comma links a list only once
    /// "and"/"or" has been crossed: "A, B and C said" is a list, "A, B said" an
    /// apposition.
    fn coordination_start(&self, j: usize) -> usize {
        let mut first = j;
        let mut listed = false;
        while first >= 2
            && self.is_np(first - 2)
            && self.chunks.get(first - 1).is_some_and(|c| {
                let and = matches!(c.kind, ChunkKind::Coordinator)
                    && matches!(self.toks[c.start].lower.as_str(), "and" | "or");
                let comma =
                    matches!(c.kind, ChunkKind::Punctuation) && self.toks[c.start].lower == ",";
                and || (comma && listed)
            })
            // ("after Russia and Ukraine exchanged …": a subordinator is no preposition.)
            && !(first >= 3
                && matches!(self.chunks[first - 3].kind, ChunkKind::Preposition)
                && !self.is_prep_of(first - 3, WordClass::SubordinatingPrep))
            && !(first >= 3 && self.object_of_verb(first - 3))
        {
            listed = true;
            first -= 2;
        }
        first
    }

    /// "Israel bombed Gaza and Hamas fired rockets": the phrase before "and" is the
    /// object of the verb at chunk `v`, not a subject shared with the next clause —
    /// unless the verb reports a clause ("said Russia and China had agreed").
    fn object_of_verb(&self, v: usize) -> bool {
        matches!(&self.chunks[v].kind, ChunkKind::Verb(vg)
            if vg.finite
                && !self.kn.is(WordClass::SpeechVerb, &vg.lemma)
                && !self.kn.is(WordClass::ReportingVerb, &vg.lemma))
    }

    /// "The National Union of X (NUX), the umbrella union, said": an apposition (the
    /// subject found at `first`) that names no country yields to the phrase it renames
    /// when that one does; so does a phrase after a bracketed acronym ("The Economic
    /// Community of West African States (ECOWAS) summit agreed").
    fn renamed_by_apposition(&self, first: usize, arg: Arg) -> Arg {
        if arg.actors.is_empty()
            && first >= 2
            && self.toks[self.chunks[first - 1].start].lower == ")"
            && self.is_np(first - 2)
        {
            let (a2, _) = self.arg_at(first - 2, false);
            if !a2.actors.is_empty() {
                return a2;
            }
        }
        let no_country = arg.actors.iter().all(|a| a.country().is_none());
        if !(no_country
            && first >= 2
            && matches!(self.chunks[first - 1].kind, ChunkKind::Punctuation)
            && self.toks[self.chunks[first - 1].start].lower == ",")
        {
            return arg;
        }
        let mut e = first - 2;
        // Skip an acronym in brackets: "(NUX)".
        if self.toks[self.chunks[e].start].lower == ")" {
            while e > 0 && self.toks[self.chunks[e].start].lower != "(" {
                e -= 1;
            }
            e = e.saturating_sub(1);
        }
        if !self.is_np(e) {
            return arg;
        }
        let mut f = e;
        while f >= 2 && self.is_prep(f - 1, &["of"]) && self.is_np(f - 2) {
            f -= 2;
        }
        // "… troops from Congo, officials said": a preposition's or a verb's object
        // before the comma is no phrase the subject renames, nor is the coordination
        // it ends ("After talks between Serbian and Kosovar officials, the EU envoy …").
        let mut g = f;
        while g >= 2
            && self.is_np(g - 2)
            && (self.is_prep(g - 1, &[]) || self.chunks[g - 1].kind == ChunkKind::Coordinator)
        {
            g -= 2;
        }
        if g > 0
            && matches!(
                self.chunks[g - 1].kind,
                ChunkKind::Preposition | ChunkKind::Verb(_)
            )
        {
            return arg;
        }
        let (a2, _) = self.arg_at(f, false);
        let better = if arg.actors.is_empty() {
            !a2.actors.is_empty()
        } else {
            a2.actors.iter().any(|a| a.country().is_some())
        };
        if better {
            a2
        } else {
            arg
        }
    }

    /// A clause marker at `j` before the verb at `k`: in a relative clause ("who",
    /// "which", "that" right before the verb, or with only adverbs between) the subject
    /// is the antecedent — the head of the phrase chain before the marker ("an agreement
    /// in Manila that allows …", "the leader of the group, who …"), not the place or
    /// group named in its prepositional phrase. Otherwise there is no subject.
    fn relative_antecedent(&self, j: usize, k: usize) -> (Option<Arg>, Option<usize>) {
        let w = self.toks[self.chunks[j].start].lower.as_str();
        let relative = self.relative_marker(j) && j + 1 == k
            || (j + 1 < k
                && self.chunks[j + 1..k]
                    .iter()
                    .all(|c| matches!(c.kind, ChunkKind::Adverb)));
        if !relative {
            return (None, None);
        }
        let mut a = j;
        while a > 0 {
            a -= 1;
            if self.is_np(a) {
                // "a truce between Armenia and Azerbaijan that began …": back over
                // coordinations and chaining prepositions to the chain's head.
                while a >= 2 && self.is_np(a - 2) && w != "where" {
                    let and = matches!(self.chunks[a - 1].kind, ChunkKind::Coordinator)
                        && matches!(
                            self.toks[self.chunks[a - 1].start].lower.as_str(),
                            "and" | "or"
                        );
                    if !(and || self.is_prep_of(a - 1, WordClass::ChainingPrep)) {
                        break;
                    }
                    // ("accused al-Shabaab of an attack that killed …": the "of" of an
                    // accusation is the verb's, not a chain from its object.)
                    let accusation = a >= 3
                        && matches!(&self.chunks[a - 3].kind, ChunkKind::Verb(vg)
                            if self.kn.words.value(WordClass::AttributionVerb, &vg.lemma)
                                == Some("alleged"));
                    if accusation && !and {
                        break;
                    }
                    a -= 2;
                }
                let (arg, _) = self.arg_at(a, false);
                return (Some(arg), None);
            }
            if !matches!(self.chunks[a].kind, ChunkKind::Punctuation) {
                break;
            }
        }
        (None, None)
    }

    /// The chunk before the relative clause whose verb is at `b`, when that clause
    /// describes a noun phrase: "reports that emerged" (a relative pronoun right before
    /// the verb, the verb without an object), "allegations levelled by X" (a bare past
    /// participle after the noun).
    fn relative_on_noun(&self, b: usize) -> Option<usize> {
        let ChunkKind::Verb(vg) = &self.chunks[b].kind else {
            return None;
        };
        let before = b.checked_sub(1)?;
        if vg.participle && !vg.finite && self.is_np(before) {
            return Some(before);
        }
        let marker = &self.chunks[before];
        // ("that" right before the verb is a relative pronoun too.)
        let w = self.toks[marker.start].lower.as_str();
        let relative = marker.kind == ChunkKind::ClauseMarker
            && (w == "that" || self.kn.is(WordClass::RelativePronoun, w));
        // A relative verb with an object of its own is the one a later verb is
        // coordinated with ("an attack that killed 26 people and injured 17").
        before
            .checked_sub(1)
            .filter(|&a| relative && self.is_np(a) && !self.is_np(b + 1))
    }

    /// A coordinator at `j` before the verb at `k`: "met and agreed" shares the subject
    /// of the verb right before it; "X attacked Y and killed Z": of a finite verb
    /// further back in the same clause, when no object phrase follows the coordinator.
    fn coordinated_verb(&self, j: usize, k: usize, by_chunk: &ByChunk) -> Option<usize> {
        if j == 0 {
            return None;
        }
        if let Some(&q) = by_chunk.get(&(j - 1)) {
            return Some(q);
        }
        let mut b = j;
        // Where the clause of the earlier verb ends (before a relative clause passed over).
        let mut end = j;
        while b > 0 {
            b -= 1;
            if let Some(&q) = by_chunk.get(&b) {
                // "rejected reports that emerged on Monday and sent troops", "rejected
                // allegations levelled by X and recalled …": a relative clause (or a
                // participle) on the earlier verb's object is passed over.
                if let Some(r) = self.relative_on_noun(b) {
                    b = r;
                    end = r;
                    continue;
                }
                let same_clause = matches!(&self.chunks[b].kind, ChunkKind::Verb(vg) if vg.finite)
                    && self.chunks[b + 1..end]
                        .iter()
                        .all(|c| !matches!(c.kind, ChunkKind::ClauseMarker));
                let vg_here = matches!(&self.chunks[k].kind, ChunkKind::Verb(vg) if vg.finite);
                return (same_clause && vg_here && !self.is_np(j + 1)).then_some(q);
            }
        }
        None
    }
}
