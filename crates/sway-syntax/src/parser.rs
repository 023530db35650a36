//! Dependency parsing: a greedy arc-hybrid transition parser scored by an averaged
//! perceptron, trained with a dynamic oracle and exploration (Goldberg & Nivre 2013).
//!
//! Positions are 1-based word indices; 0 is the artificial root, which sits at the
//! bottom of the stack. The parser is projective, and allows exactly one word to
//! attach to the root.

use std::collections::HashMap;

use crate::conllu;
use crate::lexicon::{norm, Clusters};
use crate::perceptron::{feat, hash_str, mix, put_str, put_u32, DecodeError, Model, Reader, Rng, Trainer};

const MAGIC: &[u8; 8] = b"SWAYPAR1";
const NONE: usize = usize::MAX;

/// A transition: 0 is SHIFT, 1 + 2l is LEFT with label l, 2 + 2l is RIGHT with label l.
type Action = usize;
const SHIFT: Action = 0;

fn left(l: usize) -> Action {
    1 + 2 * l
}
fn right(l: usize) -> Action {
    2 + 2 * l
}

/// What the features read about each position (0 = root).
struct Atoms {
    w: Vec<u64>,
    t: Vec<u64>,
    c: Vec<u64>,
    c2: Vec<u64>,
}

fn atoms(words: &[&str], tags: &[usize], clusters: &Clusters) -> Atoms {
    let n = words.len();
    let mut a = Atoms {
        w: Vec::with_capacity(n + 1),
        t: Vec::with_capacity(n + 1),
        c: Vec::with_capacity(n + 1),
        c2: Vec::with_capacity(n + 1),
    };
    a.w.push(hash_str("<ROOT>"));
    a.t.push(0x524f4f54);
    a.c.push(0x524f4f54);
    a.c2.push(0x524f4f54);
    for (w, t) in words.iter().zip(tags) {
        a.w.push(hash_str(&norm(w)));
        a.t.push(*t as u64 + 1);
        let p = clusters.get(w);
        a.c.push(p.map_or(1, |p| Clusters::prefix(p, 6)));
        a.c2.push(p.map_or(1, |p| Clusters::prefix(p, 12)));
    }
    a
}

/// A parser configuration.
#[derive(Debug, Clone)]
struct Config {
    n: usize,
    stack: Vec<usize>,
    /// Next buffer position (1-based); the buffer is `b..=n`.
    b: usize,
    head: Vec<usize>,
    label: Vec<usize>,
    lc1: Vec<usize>,
    lc2: Vec<usize>,
    rc1: Vec<usize>,
    rc2: Vec<usize>,
    nl: Vec<u8>,
    nr: Vec<u8>,
}

impl Config {
    fn new(n: usize) -> Self {
        Self {
            n,
            stack: vec![0],
            b: 1,
            head: vec![NONE; n + 1],
            label: vec![NONE; n + 1],
            lc1: vec![NONE; n + 1],
            lc2: vec![NONE; n + 1],
            rc1: vec![NONE; n + 1],
            rc2: vec![NONE; n + 1],
            nl: vec![0; n + 1],
            nr: vec![0; n + 1],
        }
    }

    fn done(&self) -> bool {
        self.b > self.n && self.stack.len() == 1
    }

    fn s(&self, k: usize) -> usize {
        if self.stack.len() > k {
            self.stack[self.stack.len() - 1 - k]
        } else {
            NONE
        }
    }

    fn buf(&self, k: usize) -> usize {
        if self.b + k <= self.n {
            self.b + k
        } else {
            NONE
        }
    }

    fn can_shift(&self) -> bool {
        self.b <= self.n
    }

    fn can_left(&self) -> bool {
        self.stack.len() >= 2 && self.b <= self.n
    }

    /// RIGHT onto the root only as the very last transition: one root per sentence.
    fn can_right(&self) -> bool {
        self.stack.len() >= 3 || (self.stack.len() == 2 && self.b > self.n)
    }

    fn attach(&mut self, h: usize, d: usize, l: usize) {
        self.head[d] = h;
        self.label[d] = l;
        if d < h {
            if self.lc1[h] == NONE || d < self.lc1[h] {
                self.lc2[h] = self.lc1[h];
                self.lc1[h] = d;
            } else if self.lc2[h] == NONE || d < self.lc2[h] {
                self.lc2[h] = d;
            }
            self.nl[h] = self.nl[h].saturating_add(1);
        } else {
            if self.rc1[h] == NONE || d > self.rc1[h] {
                self.rc2[h] = self.rc1[h];
                self.rc1[h] = d;
            } else if self.rc2[h] == NONE || d > self.rc2[h] {
                self.rc2[h] = d;
            }
            self.nr[h] = self.nr[h].saturating_add(1);
        }
    }

    fn apply(&mut self, a: Action) {
        if a == SHIFT {
            self.stack.push(self.b);
            self.b += 1;
        } else if a % 2 == 1 {
            let s0 = self.stack.pop().unwrap_or(0);
            let b = self.b;
            self.attach(b, s0, (a - 1) / 2);
        } else {
            let s0 = self.stack.pop().unwrap_or(0);
            let s1 = *self.stack.last().unwrap_or(&0);
            self.attach(s1, s0, (a - 2) / 2);
        }
    }

    /// Dynamic-oracle cost of each kind of transition against gold heads and labels:
    /// how many gold arcs it makes unreachable. `out[a]` for every action.
    fn costs(&self, gold_head: &[usize], gold_label: &[usize], n_labels: usize, out: &mut Vec<u32>) {
        out.clear();
        out.resize(1 + 2 * n_labels, u32::MAX);
        let s0 = self.s(0);
        let s1 = self.s(1);
        let b = self.b;
        let in_buffer = |x: usize| x != NONE && x >= b && x <= self.n && x != 0;
        let deps_in_buffer = |h: usize| (b..=self.n).filter(|&d| gold_head[d] == h).count() as u32;
        if self.can_shift() {
            // b0 loses its head if it is below s0, and its dependents on the stack.
            let below = &self.stack[..self.stack.len() - 1];
            let mut c = u32::from(below.contains(&gold_head[b]));
            c += self.stack.iter().filter(|&&d| d != 0 && gold_head[d] == b).count() as u32;
            out[SHIFT] = c;
        }
        if self.can_left() && s0 != 0 {
            let base =
                u32::from(gold_head[s0] != b && (gold_head[s0] == s1 || in_buffer(gold_head[s0]))) + deps_in_buffer(s0);
            for l in 0..n_labels {
                out[left(l)] = base + u32::from(gold_head[s0] == b && gold_label[s0] != l);
            }
        }
        if self.can_right() {
            let base = u32::from(in_buffer(gold_head[s0])) + deps_in_buffer(s0);
            for l in 0..n_labels {
                out[right(l)] = base + u32::from(gold_head[s0] == s1 && gold_label[s0] != l);
            }
        }
    }
}

fn features(c: &Config, a: &Atoms, out: &mut Vec<u64>) {
    out.clear();
    const NIL: u64 = 0x004e_494c;
    let w = |i: usize| if i == NONE { NIL } else { a.w[i] };
    let t = |i: usize| if i == NONE { NIL } else { a.t[i] };
    let cl = |i: usize| if i == NONE { NIL } else { a.c[i] };
    let cl2 = |i: usize| if i == NONE { NIL } else { a.c2[i] };
    let l = |i: usize| if i == NONE || c.label[i] == NONE { NIL } else { c.label[i] as u64 + 7 };
    let ch = |arr: &Vec<usize>, i: usize| if i == NONE { NONE } else { arr[i] };
    let (s0, s1, s2, b0, b1, b2) = (c.s(0), c.s(1), c.s(2), c.buf(0), c.buf(1), c.buf(2));
    let (s0w, s0t, s1w, s1t, b0w, b0t, b1w, b1t) = (w(s0), t(s0), w(s1), t(s1), w(b0), t(b0), w(b1), t(b1));
    let s0wt = mix(s0w, s0t);
    let s1wt = mix(s1w, s1t);
    let b0wt = mix(b0w, b0t);
    let s0lc1 = ch(&c.lc1, s0);
    let s0rc1 = ch(&c.rc1, s0);
    let s0lc2 = ch(&c.lc2, s0);
    let s0rc2 = ch(&c.rc2, s0);
    let s1lc1 = ch(&c.lc1, s1);
    let s1rc1 = ch(&c.rc1, s1);
    let b0lc1 = ch(&c.lc1, b0);
    let b0lc2 = ch(&c.lc2, b0);
    let dist = if s0 == NONE || b0 == NONE { 0 } else { (b0 - s0).min(6) as u64 };
    let d01 = if s0 == NONE || s1 == NONE { 0 } else { (s0 - s1).min(6) as u64 };
    let vr = |i: usize| if i == NONE { 99 } else { u64::from(c.nr[i]) };
    let vl = |i: usize| if i == NONE { 99 } else { u64::from(c.nl[i]) };
    let f = [
        feat(0, 0),
        feat(1, s0w),
        feat(2, s0t),
        feat(3, s0wt),
        feat(4, s1w),
        feat(5, s1t),
        feat(6, s1wt),
        feat(7, b0w),
        feat(8, b0t),
        feat(9, b0wt),
        feat(10, b1w),
        feat(11, b1t),
        feat(12, mix(b1w, b1t)),
        feat(13, t(b2)),
        feat(14, t(s2)),
        feat(15, mix(s0wt, b0wt)),
        feat(16, mix(s0wt, b0w)),
        feat(17, mix(s0w, b0wt)),
        feat(18, mix(s0wt, b0t)),
        feat(19, mix(s0t, b0wt)),
        feat(20, mix(s0w, b0w)),
        feat(21, mix(s0t, b0t)),
        feat(22, mix(b0t, b1t)),
        feat(23, mix(mix(b0t, b1t), t(b2))),
        feat(24, mix(mix(s0t, b0t), b1t)),
        feat(25, mix(mix(s1t, s0t), b0t)),
        feat(26, mix(mix(s0t, t(s0lc1)), b0t)),
        feat(27, mix(mix(s0t, t(s0rc1)), b0t)),
        feat(28, mix(mix(s0t, b0t), t(b0lc1))),
        feat(29, mix(mix(s1t, s0t), t(s0lc1))),
        feat(30, mix(mix(t(s2), s1t), s0t)),
        feat(31, mix(s0w, dist)),
        feat(32, mix(s0t, dist)),
        feat(33, mix(b0w, dist)),
        feat(34, mix(b0t, dist)),
        feat(35, mix(mix(s0t, b0t), dist)),
        feat(36, mix(s0w, vr(s0))),
        feat(37, mix(s0t, vr(s0))),
        feat(38, mix(s0w, vl(s0))),
        feat(39, mix(s0t, vl(s0))),
        feat(40, mix(b0w, vl(b0))),
        feat(41, mix(b0t, vl(b0))),
        feat(42, t(s0lc1)),
        feat(43, l(s0lc1)),
        feat(44, t(s0rc1)),
        feat(45, l(s0rc1)),
        feat(46, t(b0lc1)),
        feat(47, l(b0lc1)),
        feat(48, mix(t(s0lc2), l(s0lc2))),
        feat(49, mix(t(s0rc2), l(s0rc2))),
        feat(50, mix(t(b0lc2), l(b0lc2))),
        feat(51, mix(mix(s0t, l(s0lc1)), l(s0lc2))),
        feat(52, mix(mix(s0t, l(s0rc1)), l(s0rc2))),
        feat(53, mix(mix(b0t, l(b0lc1)), l(b0lc2))),
        feat(54, mix(t(s1rc1), l(s1rc1))),
        feat(55, mix(mix(s1t, s0t), l(s1lc1))),
        feat(56, cl(s0)),
        feat(57, cl(b0)),
        feat(58, mix(cl(s0), cl(b0))),
        feat(59, mix(cl(b0), b1t)),
        feat(60, mix(cl(s1), cl(s0))),
        feat(61, cl2(s0)),
        feat(62, cl2(b0)),
        feat(63, mix(s0t, cl(b0))),
        feat(64, mix(cl(s0), b0t)),
        feat(65, mix(mix(s1t, s0t), d01)),
        feat(66, mix(s1w, s0w)),
        feat(67, mix(mix(s1t, s0t), mix(b0t, b1t))),
        feat(68, mix(w(s0lc1), s0t)),
        feat(69, mix(w(s0rc1), s0t)),
        feat(70, mix(w(b0lc1), b0t)),
        feat(71, mix(s1t, b0t)),
        feat(72, mix(s1w, b0w)),
        feat(73, mix(b0w, b1w)),
        feat(74, w(b2)),
        feat(75, mix(cl(s1), s0t)),
        feat(76, cl(b1)),
        feat(77, mix(mix(s1t, b0t), b1t)),
        feat(78, mix(mix(s0w, s1t), b0t)),
        feat(79, mix(mix(s0t, s1t), b0w)),
        feat(80, mix(mix(s0t, t(s0lc1)), t(s0lc2))),
        feat(81, mix(mix(s0t, t(s0rc1)), t(s0rc2))),
        feat(82, mix(mix(b0t, t(b0lc1)), t(b0lc2))),
        feat(83, mix(mix(s1t, t(s1rc1)), s0t)),
        feat(84, t(c.buf(3))),
    ];
    out.extend_from_slice(&f);
}

fn best_valid(scores: &[f32], c: &Config, root_label: usize) -> Action {
    let mut best = NONE;
    let mut best_score = f32::NEG_INFINITY;
    let mut consider = |a: Action| {
        if scores[a] > best_score {
            best_score = scores[a];
            best = a;
        }
    };
    if c.can_shift() {
        consider(SHIFT);
    }
    let n_labels = (scores.len() - 1) / 2;
    let to_root = c.stack.len() == 2;
    for l in 0..n_labels {
        if c.can_left() && l != root_label {
            consider(left(l));
        }
        if c.can_right() && (l == root_label) == to_root {
            consider(right(l));
        }
    }
    if best == NONE {
        // Only reachable with an empty label set: attach to whatever is there.
        if c.can_shift() {
            SHIFT
        } else {
            right(root_label)
        }
    } else {
        best
    }
}

/// Training settings. The defaults are the ones the shipped model was trained with.
#[derive(Debug, Clone)]
pub struct ParserConfig {
    pub epochs: usize,
    pub seed: u64,
    /// From the second epoch on, follow the model's own (possibly wrong) transition with
    /// this probability, so it learns to recover from its mistakes.
    pub explore: f64,
    pub prune: f32,
}

impl Default for ParserConfig {
    fn default() -> Self {
        Self { epochs: 15, seed: 1, explore: 0.9, prune: 0.01 }
    }
}

#[derive(Debug, Clone)]
pub struct ParserEpoch {
    pub epoch: usize,
    pub dev_uas: f64,
    pub dev_las: f64,
    pub skipped_nonprojective: usize,
}

/// Words, tags, gold heads and gold labels of a training sentence (index 0 is the root).
type TrainSentence<'a> = (Vec<&'a str>, &'a Vec<usize>, Vec<usize>, Vec<usize>);

/// A trained parser. It reads the tagger's classes as its tags.
#[derive(Debug, Clone)]
pub struct Parser {
    labels: Vec<String>,
    root_label: usize,
    model: Model,
}

/// Whether a tree (heads, 1-based, 0 = root) has no crossing arcs.
pub fn is_projective(heads: &[usize]) -> bool {
    let arcs: Vec<(usize, usize)> = heads
        .iter()
        .enumerate()
        .map(|(i, &h)| {
            let d = i + 1;
            (h.min(d), h.max(d))
        })
        .collect();
    for (i, &(a, b)) in arcs.iter().enumerate() {
        for &(c, d) in &arcs[i + 1..] {
            if (a < c && c < b && b < d) || (c < a && a < d && d < b) {
                return false;
            }
        }
    }
    true
}

impl Parser {
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Heads (0 = root) and label indices for each word.
    pub fn parse(&self, words: &[&str], tags: &[usize], clusters: &Clusters) -> (Vec<usize>, Vec<usize>) {
        let a = atoms(words, tags, clusters);
        let mut c = Config::new(words.len());
        let mut feats = Vec::with_capacity(96);
        let mut scores = vec![0.0f32; self.model.classes()];
        while !c.done() {
            features(&c, &a, &mut feats);
            scores.iter_mut().for_each(|s| *s = 0.0);
            self.model.scores(&feats, &mut scores);
            let act = best_valid(&scores, &c, self.root_label);
            c.apply(act);
        }
        let heads = c.head[1..].iter().map(|&h| if h == NONE { 0 } else { h }).collect();
        let labels = c.label[1..].iter().map(|&l| if l == NONE { self.root_label } else { l }).collect();
        (heads, labels)
    }

    pub fn label(&self, l: usize) -> &str {
        &self.labels[l]
    }

    /// A copy without weights smaller than `t`, and its number of weights.
    pub fn pruned(&self, t: f32) -> (Self, usize) {
        let model = self.model.pruned(t);
        let n = model.n_weights();
        (Self { labels: self.labels.clone(), root_label: self.root_label, model }, n)
    }

    /// Train on gold trees, with `tags` giving the tagger classes to use for each
    /// training sentence (predicted tags, so training sees what parsing will).
    pub fn train(
        train: &[(conllu::Sentence, Vec<usize>)],
        dev: &[(conllu::Sentence, Vec<usize>)],
        clusters: &Clusters,
        cfg: &ParserConfig,
        report: &mut dyn FnMut(&ParserEpoch),
    ) -> Self {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut labels: Vec<String> = Vec::new();
        for (s, _) in train {
            for w in &s.words {
                index.entry(w.deprel.clone()).or_insert_with(|| {
                    labels.push(w.deprel.clone());
                    labels.len() - 1
                });
            }
        }
        let root_label = *index.entry("root".into()).or_insert_with(|| {
            labels.push("root".into());
            labels.len() - 1
        });
        let n_labels = labels.len();
        let mut skipped = 0;
        let data: Vec<TrainSentence<'_>> = train
            .iter()
            .filter(|(s, _)| {
                let heads: Vec<usize> = s.words.iter().map(|w| w.head).collect();
                let roots = heads.iter().filter(|&&h| h == 0).count();
                let ok = roots == 1 && is_projective(&heads);
                skipped += usize::from(!ok);
                ok
            })
            .map(|(s, tags)| {
                let words = s.words.iter().map(|w| w.form.as_str()).collect();
                let mut gh = vec![NONE];
                gh.extend(s.words.iter().map(|w| w.head));
                let mut gl = vec![NONE];
                gl.extend(s.words.iter().map(|w| index[&w.deprel]));
                (words, tags, gh, gl)
            })
            .collect();
        let mut trainer = Trainer::new(1 + 2 * n_labels);
        let mut rng = Rng::new(cfg.seed);
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut feats = Vec::with_capacity(96);
        let mut scores = vec![0.0f32; trainer.classes()];
        let mut costs = Vec::new();
        let mut best: Option<(f64, Model)> = None;
        for epoch in 1..=cfg.epochs {
            rng.shuffle(&mut order);
            for &k in &order {
                let (words, tags, gh, gl) = &data[k];
                let a = atoms(words, tags, clusters);
                let mut c = Config::new(words.len());
                while !c.done() {
                    features(&c, &a, &mut feats);
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    trainer.scores(&feats, &mut scores);
                    c.costs(gh, gl, n_labels, &mut costs);
                    let pred = best_valid(&scores, &c, root_label);
                    let min_cost = *costs.iter().min().unwrap_or(&0);
                    // The best-scoring transition among those that lose the fewest arcs.
                    let mut gold = NONE;
                    for (act, &cost) in costs.iter().enumerate() {
                        if cost == min_cost && (gold == NONE || scores[act] > scores[gold]) {
                            gold = act;
                        }
                    }
                    if costs[pred] > min_cost {
                        trainer.update(&feats, gold, pred, 1.0);
                    }
                    trainer.tick();
                    // A wrong prediction is followed anyway (after the first epoch) with
                    // probability `explore`; the RNG is drawn only for wrong predictions.
                    let follow = costs[pred] == min_cost || (epoch > 1 && rng.unit() < cfg.explore);
                    let next = if follow { pred } else { gold };
                    c.apply(next);
                }
            }
            let parser = Self { labels: labels.clone(), root_label, model: trainer.average(cfg.prune) };
            let (uas, las) = parser.attachment(dev, clusters);
            report(&ParserEpoch { epoch, dev_uas: uas, dev_las: las, skipped_nonprojective: skipped });
            if best.as_ref().is_none_or(|(b, _)| las > *b) || dev.is_empty() {
                best = Some((las, parser.model));
            }
        }
        let model = best.map(|b| b.1).unwrap_or_else(|| trainer.average(cfg.prune));
        Self { labels, root_label, model }
    }

    /// UAS and LAS (full labels) on gold trees, parsing from the given tags.
    pub fn attachment(&self, gold: &[(conllu::Sentence, Vec<usize>)], clusters: &Clusters) -> (f64, f64) {
        let (mut u, mut l, mut n) = (0usize, 0usize, 0usize);
        for (s, tags) in gold {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let (heads, labels) = self.parse(&words, tags, clusters);
            for (i, w) in s.words.iter().enumerate() {
                let hu = heads[i] == w.head;
                u += usize::from(hu);
                l += usize::from(hu && self.labels[labels[i]] == w.deprel);
                n += 1;
            }
        }
        let n = n.max(1) as f64;
        (u as f64 / n, l as f64 / n)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put_u32(&mut out, self.labels.len() as u32);
        for l in &self.labels {
            put_str(&mut out, l);
        }
        put_u32(&mut out, self.root_label as u32);
        self.model.write(&mut out);
        out
    }

    pub fn from_bytes(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf);
        if r.bytes(8)? != MAGIC {
            return Err(DecodeError("not a sway parser model".into()));
        }
        let n = r.u32()? as usize;
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            labels.push(r.str()?);
        }
        let root_label = r.u32()? as usize;
        let model = Model::read(&mut r)?;
        if root_label >= labels.len() || model.classes() != 1 + 2 * labels.len() {
            return Err(DecodeError("parser classes do not match its labels".into()));
        }
        Ok(Self { labels, root_label, model })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Following zero-cost transitions must rebuild any projective tree exactly.
    #[test]
    fn oracle_rebuilds_projective_trees() {
        let trees: &[&[usize]] = &[&[2, 0], &[0, 1, 2], &[3, 3, 0, 3], &[2, 0, 2, 5, 2], &[4, 1, 2, 0, 6, 4, 4]];
        let mut rng = Rng::new(3);
        for heads in trees {
            assert!(is_projective(heads));
            let n = heads.len();
            let mut gh = vec![NONE];
            gh.extend_from_slice(heads);
            let mut gl = vec![NONE];
            gl.extend(heads.iter().map(|&h| usize::from(h == 0)));
            for _ in 0..20 {
                let mut c = Config::new(n);
                let mut costs = Vec::new();
                while !c.done() {
                    c.costs(&gh, &gl, 2, &mut costs);
                    let zero: Vec<usize> = (0..costs.len()).filter(|&a| costs[a] == 0).collect();
                    assert!(!zero.is_empty(), "no zero-cost transition for {heads:?} at {:?}", c.stack);
                    c.apply(zero[(rng.next_u64() % zero.len() as u64) as usize]);
                }
                assert_eq!(&c.head[1..], *heads);
                assert_eq!(&c.label[1..], &gl[1..]);
            }
        }
    }

    #[test]
    fn projectivity() {
        assert!(is_projective(&[2, 0, 2]));
        assert!(!is_projective(&[3, 4, 0, 3]));
    }
}
