//! Event coding: the hand-written triggers and the CAMEO verb dictionary's verbs whose
//! participants the dependency parse finds among a sentence's actor mentions (or,
//! where the parse finds neither side, a tight surface window), with modality,
//! confidence and the rule that coded each event. An event may have no target when
//! the text names none.

use std::collections::HashSet;
use std::ops::Range;

use sway_core::codes::{quad_class, GoldsteinTable};
use sway_core::contract::Modality;
use sway_core::{Span, Token};

use crate::resources::{Extractor, EVENTS_PATH};
use sway_syntax::WordSyntax;

use crate::verbs::VerbCoding;
use crate::ActorMention;

/// The trigger that codes an event, wherever it came from.
struct Trig {
    name: String,
    cameo: String,
    file: String,
    line: usize,
}

/// A coded event before it is placed in the output contract.
#[derive(Debug, Clone, PartialEq)]
pub struct EventCandidate {
    /// Index into the mentions passed to [`Extractor::events`].
    pub source: usize,
    /// `None` when the text names no target the event is done to ("Jordan and Britain
    /// agreed to hold exercises" codes each with the other; "Iran mobilized" has none).
    pub target: Option<usize>,
    pub trigger: Span,
    pub cameo: String,
    pub plover: Option<String>,
    pub mode: Option<String>,
    pub goldstein: Option<(f64, GoldsteinTable)>,
    pub quad: Option<u8>,
    pub modality: Modality,
    pub confidence: f64,
    /// Index into the mentions of whoever the text says claims this ("Iran announced
    /// that Iraq will allow it ...": Iran).
    pub attributed_to: Option<usize>,
    /// The pattern that coded it: file, line and name.
    pub rule: String,
}

const NEGATORS: &[&str] = &["not", "n't", "never", "no"];
const ATTEMPTS: &[&str] = &[
    "try",
    "tries",
    "tried",
    "trying",
    "attempt",
    "attempts",
    "attempted",
    "attempting",
    "failed",
    "fail",
    "fails",
    "sought",
    "seek",
    "seeks",
    "effort",
    "efforts",
    "bid",
];
const FUTURE: &[&str] = &["will", "would", "shall", "'ll"];
const POSSIBLE: &[&str] = &["could", "may", "might", "can"];
const BE: &[&str] = &["was", "were", "is", "are", "been", "being", "be"];
/// Words a trigger and its target may not have between them: they open another clause
/// or phrase the target belongs to instead.
const TARGET_BARRIERS: &[&str] = &[
    ",", ";", ":", "–", "—", "(", ")", "by", "and", "but", "or", "while", "when", "as", "if", "unless", "that",
    "which", "who", "because", "after", "before", "since",
];
/// Likewise between a source and its trigger; a relative pronoun may stand there
/// ("the strike that killed").
const SOURCE_BARRIERS: &[&str] = &[
    ",", ";", ":", "–", "—", "(", ")", "and", "but", "or", "while", "when", "if", "unless", "because", "after",
    "before", "since", "as",
];
const MAX_TARGET_GAP: usize = 4;
const MAX_SOURCE_GAP: usize = 6;

impl Extractor {
    /// Code the events of one sentence. `sentence` is its token range; `mentions` are the
    /// document's actor mentions (only those inside the sentence are used).
    pub fn events(
        &self,
        text: &str,
        tokens: &[Token],
        sentence: Range<usize>,
        syntax: Option<&[WordSyntax]>,
        mentions: &[ActorMention],
    ) -> Vec<EventCandidate> {
        let inside: Vec<usize> = (0..mentions.len())
            .filter(|&m| mentions[m].tokens.start >= sentence.start && mentions[m].tokens.end <= sentence.end)
            .collect();
        if inside.is_empty() {
            return Vec::new();
        }
        let lower = |i: usize| tokens[i].span.slice(text).to_lowercase().replace('’', "'");
        let words: Vec<&str> = tokens[sentence.clone()].iter().map(|t| t.span.slice(text)).collect();
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for t in sentence.clone() {
            let w = lower(t);
            // A verb pattern that matches decides; then the hand-written triggers; then
            // the verb dictionary's own code for the verb.
            let from_dict = syntax
                .filter(|sx| sx[t - sentence.start].upos == "VERB")
                .and_then(|sx| self.verbs.code(&words, sx, t - sentence.start));
            let hand = self.triggers.get(&w).map(|g| Trig {
                name: g.name.clone(),
                cameo: g.cameo.clone(),
                file: EVENTS_PATH.to_string(),
                line: g.line,
            });
            let dict = |c: &VerbCoding| Trig {
                name: c.block.to_lowercase(),
                cameo: c.code.clone(),
                file: c.file.clone(),
                line: c.line,
            };
            // "conduct attacks", "carry out strikes": a verb whose object is itself a
            // trigger is a light verb; the noun codes the one event.
            let light = syntax.is_some_and(|sx| {
                let v = t - sentence.start;
                (0..sx.len()).any(|d| {
                    sx[d].head == v + 1
                        && sx[d].deprel == "obj"
                        && self.triggers.contains_key(&lower(sentence.start + d))
                })
            });
            let trig = match (&from_dict, hand) {
                (Some(c), _) if c.pattern && !light => dict(c),
                (_, Some(h)) => h,
                (Some(_), None) if light => continue,
                (Some(c), None) => dict(c),
                (None, None) => continue,
            };
            // "---": the dictionary says this use of the verb is not an event.
            if trig.cameo == "---" {
                continue;
            }
            if inside.iter().any(|&m| mentions[m].tokens.contains(&t)) {
                continue;
            }
            let window = || -> Option<(usize, usize)> {
                let before = inside.iter().rev().copied().find(|&m| mentions[m].tokens.end <= t);
                let after = inside.iter().copied().find(|&m| mentions[m].tokens.start > t);
                let (Some(before), Some(after)) = (before, after) else { return None };
                // A gap is clear when it is short and opens no other clause; a target's gap
                // holds no other trigger either (it would be that trigger's target).
                let clear = |gap: Range<usize>, barriers: &[&str], max: usize, triggers_block: bool| {
                    gap.len() <= max
                        && gap.into_iter().all(|k| {
                            let w = lower(k);
                            let blocks =
                                barriers.contains(&w.as_str()) || (triggers_block && self.triggers.contains_key(&w));
                            !blocks
                        })
                };
                // Passive: "X was attacked by Y".
                let by = (t + 1..(t + 4).min(sentence.end)).find(|&k| lower(k) == "by");
                let passive = t > sentence.start
                    && BE.contains(&lower(t - 1).as_str())
                    && w.ends_with("ed")
                    && by.is_some_and(|k| mentions[after].tokens.start > k);
                let source_gap_ok = clear(mentions[before].tokens.end..t, SOURCE_BARRIERS, MAX_SOURCE_GAP, false);
                match by.filter(|_| passive) {
                    Some(k)
                        if source_gap_ok
                            && clear(k + 1..mentions[after].tokens.start, TARGET_BARRIERS, MAX_TARGET_GAP, true) =>
                    {
                        Some((after, before))
                    }
                    None if source_gap_ok
                        && clear(t + 1..mentions[after].tokens.start, TARGET_BARRIERS, MAX_TARGET_GAP, true) =>
                    {
                        Some((before, after))
                    }
                    _ => None,
                }
            };
            let by_deps =
                syntax.and_then(|sx| dep_participants(t - sentence.start, sx, sentence.start, &inside, mentions));
            // Coordinated actors each take part: "Mordor, Rohan and Bree welcomed ..."
            // gives one event per source, and per target.
            let sx = syntax.unwrap_or_default();
            let is_verb = sx.get(t - sentence.start).is_some_and(|w| w.upos == "VERB");
            let subjects = by_deps.map_or_else(Vec::new, |(s, _)| {
                co_subjects(t - sentence.start, s, sx, sentence.start, &inside, mentions)
            });
            let pairs: Vec<(usize, Option<usize>, &str)> = match by_deps {
                Some((_, Some(g))) => {
                    let gs = conjuncts(g, sx, sentence.start, &inside, mentions);
                    subjects.iter().flat_map(|&a| gs.iter().map(move |&b| (a, Some(b), "dependency"))).collect()
                }
                // "Gondor and Osgiliath renewed ties": coordinated subjects act on each other.
                Some((_, None)) if is_verb && subjects.len() > 1 => subjects
                    .iter()
                    .flat_map(|&a| {
                        subjects.iter().filter(move |&&b| b != a).map(move |&b| (a, Some(b), "dependency, mutual"))
                    })
                    .collect(),
                // "Iran mobilized its reserves": a verb the parse gives a subject and no
                // actor to act on codes an event with no target, when its code is one
                // that stands alone (not a bare statement or appeal, which say nothing
                // without whom they concern).
                Some((_, None))
                    if is_verb
                        && one_sided(&trig.cameo)
                        && (trig.file == EVENTS_PATH
                            || from_dict.as_ref().is_some_and(|c| c.pattern)
                            || alone(&trig.cameo)) =>
                {
                    subjects.iter().map(|&a| (a, None, "dependency, no target")).collect()
                }
                // The dictionary's thousands of verbs code only what the parse supports,
                // or, where the parse found neither side, a tight surface window around
                // a word it tags as a verb (the parse of a long news sentence fails more
                // often than its tagging); the hand-written triggers use the window too.
                _ if trig.file != EVENTS_PATH && (by_deps.is_some() || !finite_verb(t - sentence.start, sx)) => {
                    continue
                }
                _ => match window() {
                    Some((s, g)) => vec![(s, Some(g), "window")],
                    None => continue,
                },
            };
            for (source, target, how) in pairs {
                // "threatened to close the U.S. Embassy unless the Kadhimi government
                // stops ...": a threat or demand whose object is the source's own is aimed
                // at whoever the condition names.
                let (target, how) =
                    match (target, conditioned(t - sentence.start, sx, sentence.start, &inside, mentions)) {
                        (Some(g), Some(c))
                            if matches!(trig.cameo.get(..2), Some("10" | "11" | "12" | "13" | "17"))
                                && mentions[g].country.is_some()
                                && mentions[g].country == mentions[source].country
                                && mentions[c].country != mentions[source].country =>
                        {
                            (Some(c), "dependency, condition")
                        }
                        _ => (target, how),
                    };
                let s = &mentions[source];
                let g = target.map(|g| &mentions[g]);
                // An actor does not act on itself, nor a state's organs on each other ("Pompeo
                // threatened to close the U.S. Embassy"); a government does act on its own
                // people, parties or rebels ("Iranian authorities pressured workers").
                let state = |m: &ActorMention| {
                    m.sector.as_deref().is_none_or(|x| STATE_SECTORS.contains(&x.get(..3).unwrap_or("")))
                };
                let same = g.is_some_and(|g| {
                    s.key == g.key
                        || (s.code == g.code && s.patron == g.patron)
                        || (s.country.is_some() && s.country == g.country && state(s) && state(g))
                });
                if same {
                    continue;
                }
                let root = trig.cameo.get(..2).unwrap_or("").to_string();
                let key = (s.code.clone(), s.patron.clone(), g.map(|g| (g.code.clone(), g.patron.clone())), root);
                if !seen.insert(key) {
                    continue;
                }
                let (plover, mode) = match self.cameo.plover(&trig.cameo) {
                    Some((p, m)) => (Some(p.to_string()), m.map(str::to_string)),
                    None => (None, None),
                };
                let window = sentence.start.max(t.saturating_sub(4))..t;
                let modality = match modality(
                    &window.map(lower).collect::<Vec<_>>(),
                    (sentence.start..sentence.end).any(|k| matches!(lower(k).as_str(), "if" | "unless")),
                ) {
                    // A threat, demand or accusation is made when it is uttered,
                    // whatever it is conditional on ("threatened to close the embassy
                    // unless ...").
                    Modality::Conditional if matches!(trig.cameo.get(..2), Some("10" | "11" | "13")) => {
                        Modality::Asserted
                    }
                    m => m,
                };
                let distance = t.saturating_sub(s.tokens.end) + g.map_or(0, |g| g.tokens.start.saturating_sub(t + 1));
                let confidence = if g.is_none() {
                    // Half the event is missing: whom it was done to.
                    0.5
                } else if how.starts_with("dependency") {
                    0.7
                } else {
                    (0.6 - 0.03 * distance.saturating_sub(4) as f64).clamp(0.2, 0.6)
                };
                let attributed_to =
                    syntax.and_then(|sx| claimant(t - sentence.start, sx, sentence.start, &inside, mentions));
                out.push(EventCandidate {
                    attributed_to,
                    source,
                    target,
                    trigger: tokens[t].span,
                    cameo: trig.cameo.clone(),
                    plover,
                    mode,
                    goldstein: self.cameo.goldstein(&trig.cameo),
                    quad: quad_class(&trig.cameo),
                    modality,
                    confidence: (confidence * 100.0).round() / 100.0,
                    rule: format!("{}:{} ({}, {how})", trig.file, trig.line, trig.name),
                });
            }
        }
        out
    }
}

/// The mention itself and the mentions coordinated with it ("Mordor, Rohan and Bree"):
/// UD attaches every later conjunct to the first by `conj`.
fn conjuncts(m: usize, sx: &[WordSyntax], base: usize, inside: &[usize], mentions: &[ActorMention]) -> Vec<usize> {
    let mut out = vec![m];
    let r = &mentions[m].tokens;
    // The mention's head: its token whose head lies outside it.
    let Some(h) = (r.start..r.end).find(|&k| {
        let hd = sx.get(k - base).map_or(0, |w| w.head);
        hd == 0 || !r.contains(&(base + hd - 1))
    }) else {
        return out;
    };
    for (d, w) in sx.iter().enumerate() {
        if w.head == h - base + 1 && w.deprel == "conj" {
            if let Some(&c) = inside.iter().find(|&&c| mentions[c].tokens.contains(&(base + d))) {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// The subject `s` of the verb at sentence position `v` and those coordinated with it,
/// also where the parse hung the second conjunct on the verb as a second subject
/// ("The Philippines and France agree": two `nsubj` of `agree`).
fn co_subjects(
    v: usize,
    s: usize,
    sx: &[WordSyntax],
    base: usize,
    inside: &[usize],
    mentions: &[ActorMention],
) -> Vec<usize> {
    let mut out = conjuncts(s, sx, base, inside, mentions);
    if sx.get(v).is_none_or(|w| w.upos != "VERB") {
        return out;
    }
    let subjects: Vec<usize> = (0..sx.len()).filter(|&d| sx[d].head == v + 1 && sx[d].deprel == "nsubj").collect();
    // Only with a coordinating word between them: two real subjects of one verb are
    // otherwise a misparse of something else.
    let joined = subjects.len() > 1
        && (subjects[0]..subjects[subjects.len() - 1]).any(|k| sx[k].deprel == "cc" || sx[k].upos == "CCONJ");
    if joined {
        for d in subjects {
            if let Some(&m) = inside.iter().find(|&&m| mentions[m].tokens.contains(&(base + d))) {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
    }
    out
}

/// The actor a condition on the trigger at `t` names: the subject of its "unless" or
/// "if" clause, looked for from the trigger up through the verbs it depends on.
fn conditioned(t: usize, sx: &[WordSyntax], base: usize, inside: &[usize], mentions: &[ActorMention]) -> Option<usize> {
    if t >= sx.len() {
        return None;
    }
    let covering = |i: usize| inside.iter().copied().find(|&m| mentions[m].tokens.contains(&(base + i)));
    // The trigger, the verbs it controls ("threatened to close ... unless"), and the
    // verbs above it.
    let mut verbs: Vec<usize> = vec![t];
    verbs.extend((0..sx.len()).filter(|&d| sx[d].head == t + 1 && sx[d].deprel == "xcomp"));
    let mut v = t;
    for _ in 0..2 {
        match sx[v].head.checked_sub(1) {
            Some(h) => {
                v = h;
                verbs.push(v);
            }
            None => break,
        }
    }
    for v in verbs {
        for c in (0..sx.len()).filter(|&d| sx[d].head == v + 1 && sx[d].deprel == "advcl") {
            let marked = (0..sx.len()).any(|d| {
                sx[d].head == c + 1
                    && sx[d].deprel == "mark"
                    && matches!(sx[d].lemma.to_lowercase().as_str(), "unless" | "if")
            });
            if marked {
                if let Some(subj) = (0..sx.len()).find(|&d| sx[d].head == c + 1 && sx[d].deprel.starts_with("nsubj")) {
                    if let Some(m) =
                        covering(subj).or_else(|| (0..sx.len()).filter(|&d| sx[d].head == subj + 1).find_map(covering))
                    {
                        return Some(m);
                    }
                }
            }
        }
    }
    None
}

/// Verbs whose clausal complement is someone's claim: "Iran announced that ...".
const CLAIM_VERBS: &[&str] = &[
    "say", "announce", "claim", "state", "report", "tell", "declare", "insist", "assert", "allege", "confirm", "deny",
    "warn", "add", "note", "explain", "reveal", "disclose", "argue", "maintain", "write", "tweet",
];

/// Whoever claims the clause of the trigger at sentence position `t`: the subject of a
/// speech verb whose complement holds the trigger ("Iran announced that Iraq will allow
/// ..."), or of "according to X".
fn claimant(t: usize, sx: &[WordSyntax], base: usize, inside: &[usize], mentions: &[ActorMention]) -> Option<usize> {
    let covering = |i: usize| inside.iter().copied().find(|&m| mentions[m].tokens.contains(&(base + i)));
    let mut v = t;
    for _ in 0..4 {
        let h = sx[v].head.checked_sub(1)?;
        if matches!(sx[v].deprel.as_str(), "ccomp" | "parataxis")
            && CLAIM_VERBS.contains(&sx[h].lemma.to_lowercase().as_str())
        {
            let subj = (0..sx.len()).find(|&d| sx[d].head == h + 1 && sx[d].deprel == "nsubj")?;
            return covering(subj);
        }
        // Climb through coordinated and controlled verbs of the same clause.
        if !matches!(sx[v].deprel.as_str(), "conj" | "xcomp") {
            return None;
        }
        v = h;
    }
    None
}

/// Whether the word at sentence position `i` is tagged as a verb that can head a clause
/// whose subject comes before it: not a gerund ("by allowing Tehran"), nor a verb after
/// a preposition or a noun's determiner.
fn finite_verb(i: usize, sx: &[WordSyntax]) -> bool {
    let Some(w) = sx.get(i) else { return false };
    let after_prep = i > 0 && sx.get(i - 1).is_some_and(|p| matches!(p.upos.as_str(), "ADP" | "DET"));
    w.upos == "VERB" && w.xpos != "VBG" && !after_prep
}

/// Whether an event with this CAMEO code is worth coding with no target named: any
/// but a bare statement (01: "Iran said"), which says nothing until we know whom it
/// concerns.
fn one_sided(cameo: &str) -> bool {
    !matches!(cameo.get(..2), Some("01") | None)
}

/// Whether a code's plain verb is an event with no one it is done to: protests and
/// riots (14), shows of force (15), yielding and retreat (08).
fn alone(cameo: &str) -> bool {
    matches!(cameo.get(..2), Some("14" | "15" | "08"))
}

/// Sectors of a state's own organs.
const STATE_SECTORS: &[&str] = &["GOV", "MIL", "COP", "LEG", "JUD", "SPY", "ELI"];

/// Relations whose dependent can carry a nominal's actor ("Iraqi proxies", "Iran's army",
/// "the government of Iraq").
/// Verbs that cut a force, and the nouns that name one ("force levels", "troops").
const DRAWDOWN_VERBS: &[&str] = &["reduce", "cut", "withdraw", "lower", "decrease", "halve", "shrink", "trim", "pull"];
const FORCE_NOUNS: &[&str] =
    &["level", "force", "troop", "presence", "deployment", "contingent", "footprint", "soldier", "personnel"];
const MODIFIER_RELS: &[&str] = &["amod", "compound", "nmod:poss", "nmod", "flat", "appos"];
/// Prepositions that mark an oblique as what the action is done to.
/// Prepositions that mark an oblique as what the action is done to, or is about:
/// "attacks on", "ties with", "departed from", "asylum in", "talks about", "a row over".
const TARGET_CASES: &[&str] = &[
    "on", "against", "to", "with", "at", "into", "toward", "towards", "upon", "onto", "from", "for", "about", "over",
    "in", "between", "among",
];

/// Source and target of the trigger at sentence position `t` from its dependency
/// relations: subjects and passive agents are sources, objects and obliques targets;
/// control ("tried to attack"), relative clauses ("the strike that killed") and
/// nominal triggers ("U.S. strikes on the militias") are followed to their actors.
fn dep_participants(
    t: usize,
    sx: &[WordSyntax],
    base: usize,
    inside: &[usize],
    mentions: &[ActorMention],
) -> Option<(usize, Option<usize>)> {
    let covering = |i: usize| inside.iter().copied().find(|&m| mentions[m].tokens.contains(&(base + i)));
    let children = |h: usize| (0..sx.len()).filter(move |&d| sx[d].head == h + 1);
    let rel = |d: usize| sx[d].deprel.as_str();
    // The actor a nominal stands for: itself, or a modifier's, down a short chain
    // ("resumption of ties with Osgiliath").
    let actor_of = |d: usize| -> Option<usize> {
        let mut frontier = vec![d];
        for _ in 0..3 {
            if let Some(m) = frontier.iter().find_map(|&x| covering(x)) {
                return Some(m);
            }
            frontier =
                frontier.iter().flat_map(|&x| children(x).filter(|&c| MODIFIER_RELS.contains(&rel(c)))).collect();
        }
        frontier.iter().find_map(|&x| covering(x))
    };
    let case_of = |d: usize| children(d).find(|&c| rel(c) == "case").map(|c| sx[c].lemma.to_lowercase());
    let head = |d: usize| sx[d].head.checked_sub(1);
    // The actor doing verb `v`: its subject, or its controller, or its antecedent.
    let subject_of = |v: usize| -> Option<usize> {
        let mut v = v;
        for _ in 0..4 {
            if let Some(s) = children(v).find(|&d| rel(d) == "nsubj").and_then(actor_of) {
                return Some(s);
            }
            let h = head(v)?;
            match rel(v) {
                // Object control first ("instigates its proxies to attack"), then subject control.
                "xcomp" => {
                    if let Some(o) = children(h).find(|&d| rel(d) == "obj").and_then(actor_of) {
                        return Some(o);
                    }
                    v = h;
                }
                "acl:relcl" | "acl" => return actor_of(h),
                // "Arnor is about to restore ...", "X is set to sign ...".
                "advcl" if children(h).any(|d| rel(d) == "cop") => v = h,
                "conj" => v = h,
                _ => return None,
            }
        }
        None
    };
    let nominal = matches!(sx[t].upos.as_str(), "NOUN" | "PROPN");
    let mut source = None;
    // Every actor the trigger could be done to, in order of preference; the first is
    // the target unless it is the source's own ("reduce its troops in Iraq").
    let mut targets: Vec<usize> = Vec::new();
    for d in children(t) {
        match rel(d) {
            "nsubj" | "obl:agent" => source = source.or_else(|| actor_of(d)),
            "nsubj:pass" | "obj" | "iobj" => targets.extend(actor_of(d)),
            "obl" | "nmod" => match case_of(d).as_deref() {
                Some("by") => source = source.or_else(|| actor_of(d)),
                Some(c) if TARGET_CASES.contains(&c) => targets.extend(actor_of(d)),
                _ => {}
            },
            "nmod:poss" | "amod" | "compound" if nominal => source = source.or_else(|| covering(d)),
            _ => {}
        }
    }
    // "threatened to close the embassy", "vowed to attack X": the object of the verb the
    // trigger controls.
    if targets.is_empty() {
        targets.extend(
            children(t)
                .filter(|&x| rel(x) == "xcomp")
                .flat_map(|x| children(x).filter(move |&d| rel(d) == "obj"))
                .find_map(actor_of),
        );
    }
    if source.is_none() {
        source = if nominal {
            // "conduct attacks on ...": the doer of the light verb.
            head(t).filter(|_| matches!(rel(t), "obj" | "nsubj:pass")).and_then(subject_of)
        } else {
            subject_of(t)
        };
    }
    // "U.S. force levels in Iraq were reduced": forces cut with no agent named are their
    // owner's act, on the country they are in or leave.
    if !children(t).any(|d| rel(d) == "obl:agent" || (rel(d) == "obl" && case_of(d).as_deref() == Some("by")))
        && DRAWDOWN_VERBS.contains(&sx[t].lemma.to_lowercase().as_str())
    {
        if let Some(sp) =
            children(t).find(|&d| rel(d) == "nsubj:pass" && FORCE_NOUNS.contains(&sx[d].lemma.to_lowercase().as_str()))
        {
            let owner = std::iter::once(sp)
                .chain(children(sp).filter(|&c| matches!(rel(c), "compound" | "amod" | "nmod:poss")))
                .find_map(covering);
            let place = children(sp)
                .chain(children(t))
                .filter(|&d| matches!(rel(d), "nmod" | "obl") && matches!(case_of(d).as_deref(), Some("in" | "from")))
                .find_map(covering);
            if let (Some(o), Some(p)) = (owner, place) {
                return (o != p).then_some((o, Some(p)));
            }
        }
    }
    let target = match source {
        Some(s) => targets.iter().copied().find(|&c| mentions[c].key != mentions[s].key).or(targets.first().copied()),
        None => targets.first().copied(),
    };
    match (source, target) {
        (Some(s), Some(g)) if s != g => Some((s, Some(g))),
        (Some(s), None) => Some((s, None)),
        _ => None,
    }
}

/// A first reading of modality from the words just before the trigger and whether the
/// sentence has a condition.
fn modality(before: &[String], conditional: bool) -> Modality {
    let has = |set: &[&str]| before.iter().any(|w| set.contains(&w.as_str()));
    if has(NEGATORS) {
        Modality::Negated
    } else if has(ATTEMPTS) {
        Modality::Attempted
    } else if conditional {
        Modality::Conditional
    } else if has(FUTURE) {
        Modality::Predicted
    } else if has(POSSIBLE) {
        Modality::Hypothetical
    } else {
        Modality::Asserted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Vec<(String, String, String, Modality)> {
        let tokens = sway_syntax::tokenize(text, Span::new(0, text.len()));
        let x = Extractor::bundled();
        let m = x.actors(text, &tokens);
        x.events(text, &tokens, 0..tokens.len(), None, &m)
            .into_iter()
            .filter_map(|e| Some((m[e.source].code.clone(), e.cameo, m[e.target?].code.clone(), e.modality)))
            .collect()
    }

    /// The actor mentions and events of `text` as one parsed sentence.
    fn parsed(text: &str) -> (Vec<ActorMention>, Vec<EventCandidate>) {
        let tokens = sway_syntax::tokenize(text, Span::new(0, text.len()));
        let words: Vec<&str> = tokens.iter().map(|t| t.span.slice(text)).collect();
        let sx = sway_syntax::Syntax::bundled().unwrap().analyze(&words);
        let x = Extractor::bundled();
        let m = x.actors(text, &tokens);
        let e = x.events(text, &tokens, 0..tokens.len(), Some(&sx), &m);
        (m, e)
    }

    fn code_parsed(text: &str) -> Vec<(String, String, String, String)> {
        let (m, events) = parsed(text);
        events
            .into_iter()
            .filter_map(|e| {
                Some((
                    m[e.source].code.clone(),
                    e.cameo,
                    m[e.target?].code.clone(),
                    e.rule.rsplit(", ").next().unwrap_or("").to_string(),
                ))
            })
            .collect()
    }

    #[test]
    fn dependency_coding_reaches_past_the_window() {
        // Subject and object far apart: the surface window cannot pair them, the parse can.
        let e = code_parsed("Russia, which has long opposed any settlement of the dispute, attacked Ukraine.");
        assert_eq!(e, [("RUS".into(), "190".into(), "UKR".into(), "dependency)".into())]);
        // Relative clause: the strike is the U.S.'s.
        let e = code_parsed("The U.S. strike in Baghdad that killed Iran's commander shocked the region.");
        assert!(e.iter().any(|x| x.0 == "USA" && (x.2 == "IRNMIL" || x.2 == "IRN")), "{e:?}");
        // Object control: the proxies are the ones attacking.
        let e = code_parsed("Iran instructs Iraqi proxies to conduct attacks on the U.S. Embassy.");
        assert!(e.contains(&("IRQREB".into(), "190".into(), "USAGOV".into(), "dependency)".into())), "{e:?}");
    }

    #[test]
    fn simple_dyads() {
        assert_eq!(
            code("Iraqi forces attacked Iran-backed militias."),
            [("IRQMIL".into(), "190".into(), "REB".into(), Modality::Asserted)]
        );
        assert_eq!(
            code("Russia threatened Ukraine."),
            [("RUS".into(), "130".into(), "UKR".into(), Modality::Asserted)]
        );
    }

    #[test]
    fn passive_swaps_roles() {
        assert_eq!(code("Ukrainian troops were attacked by Russian forces.")[0].0, "RUSMIL");
    }

    #[test]
    fn modality_words() {
        assert_eq!(code("Russia will not attack Ukraine.")[0].3, Modality::Negated);
        assert_eq!(code("Russia tried to attack Ukraine.")[0].3, Modality::Attempted);
        assert_eq!(code("Russia will attack Ukraine if talks fail.")[0].3, Modality::Conditional);
        assert_eq!(code("Russia will attack Ukraine.")[0].3, Modality::Predicted);
    }

    #[test]
    fn no_event_without_two_sides_or_between_a_states_own_organs() {
        assert!(code("The militias attacked a convoy.").is_empty());
        assert!(code("Iraqi forces attacked the Iraqi government.").is_empty());
        // A state acting on its own people is an event.
        assert_eq!(code("Iraqi forces attacked Iraqi protesters.")[0].0, "IRQMIL");
    }

    #[test]
    fn participants_must_be_near_and_in_the_same_phrase() {
        assert!(code("Russia, which has long opposed the talks, and many others attacked Ukraine.").is_empty());
        assert!(code("The U.S. strike, which came after years of pressure on Iran, surprised many.").is_empty());
        assert!(code("Russia attacked the city after the ultimatum, and Ukraine responded.").is_empty());
        assert_eq!(code("Russian forces attacked the Ukrainian army.").len(), 1);
    }

    #[test]
    fn an_event_with_no_target_named() {
        let one_sided = |text: &str| -> Vec<(String, String, Option<String>)> {
            let (m, events) = parsed(text);
            events
                .into_iter()
                .map(|e| (m[e.source].code.clone(), e.cameo, e.target.map(|g| m[g].code.clone())))
                .collect()
        };
        // The source's own forces are not what it acts on: the place they are in is.
        let e = one_sided("The United States will reduce its troops in Iraq this month.");
        assert_eq!(e, [("USA".into(), "0874".into(), Some("IRQ".into()))]);
        // A threat or a withdrawal needs no target to be one.
        let e = one_sided("Iran threatened to retaliate.");
        assert_eq!(e, [("IRN".into(), "130".into(), None)]);
        let e = one_sided("Russian forces withdrew on Friday.");
        assert_eq!(e, [("RUSMIL".into(), "0874".into(), None)]);
        // A bare statement does not code alone.
        assert!(one_sided("Iran said on Monday that the talks were over.").is_empty());
        // Two sides named: the target is kept.
        let e = one_sided("Russia attacked Ukraine.");
        assert_eq!(e, [("RUS".into(), "190".into(), Some("UKR".into()))]);
    }

    #[test]
    fn a_dictionary_verb_the_parse_misses_codes_in_a_tight_window() {
        let sx = |xpos: &str, upos: &str| WordSyntax {
            lemma: String::new(),
            upos: upos.into(),
            xpos: xpos.into(),
            head: 0,
            deprel: "root".into(),
        };
        // "praised" heads a clause; "allowing" after "by" does not.
        assert!(finite_verb(1, &[sx("NNP", "PROPN"), sx("VBD", "VERB")]));
        assert!(!finite_verb(1, &[sx("IN", "ADP"), sx("VBG", "VERB")]));
        assert!(!finite_verb(1, &[sx("IN", "ADP"), sx("VB", "VERB")]));
        assert!(!finite_verb(0, &[sx("NN", "NOUN")]));
    }

    #[test]
    fn one_event_per_dyad_and_root() {
        assert_eq!(code("The U.S. strike killed Iran's commander.").len(), 1);
    }
}
