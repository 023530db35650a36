//! Part-of-speech tagging: a greedy averaged perceptron predicting UPOS and XPOS
//! together, with word, affix, shape, context and Brown-cluster features.

use std::collections::HashMap;

use crate::conllu;
use crate::lemma::Lemmatizer;
use crate::lexicon::{norm, shape, Clusters};
use crate::perceptron::{feat, hash_str, mix, put_str, put_u32, DecodeError, Model, Reader, Rng, Trainer};

const MAGIC: &[u8; 8] = b"SWAYTAG1";

/// A trained tagger.
#[derive(Debug, Clone)]
pub struct Tagger {
    /// (UPOS, XPOS) per class.
    labels: Vec<(String, String)>,
    clusters: Clusters,
    model: Model,
    lemmatizer: Lemmatizer,
}

/// Per-token values the features read, computed once per sentence.
struct Tok {
    norm: u64,
    suf: [u64; 4],
    pre: [u64; 3],
    shape: u64,
    cl: [u64; 4],
    upper_first: bool,
}

const START: u64 = 0x0053_5441_5254;
const END: u64 = 0x0045_4e44;

fn prep(words: &[&str], clusters: &Clusters) -> Vec<Tok> {
    words
        .iter()
        .map(|w| {
            let n = norm(w);
            // Affixes by character, sliced out of `n` without allocating.
            let suf = |k: usize| hash_str(&n[n.char_indices().rev().nth(k - 1).map_or(0, |(i, _)| i)..]);
            let pre = |k: usize| hash_str(&n[..n.char_indices().nth(k).map_or(n.len(), |(i, _)| i)]);
            let cl = match clusters.get(w) {
                Some(p) => [4, 6, 10, 20].map(|b| Clusters::prefix(p, b)),
                None => [1; 4],
            };
            Tok {
                norm: hash_str(&n),
                suf: [suf(1), suf(2), suf(3), suf(4)],
                pre: [pre(1), pre(2), pre(3)],
                shape: hash_str(&shape(w)),
                cl,
                upper_first: w.chars().next().is_some_and(char::is_uppercase),
            }
        })
        .collect()
}

/// Features of token `i`, given the two previous predicted classes.
fn features(toks: &[Tok], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    let t = &toks[i];
    let at = |j: isize| -> Option<&Tok> { usize::try_from(j).ok().and_then(|j| toks.get(j)) };
    let i = i as isize;
    let wn = |j: isize| at(j).map_or(if j < 0 { START } else { END }, |t| t.norm);
    out.push(feat(0, 0));
    out.push(feat(1, t.norm));
    for (k, s) in t.suf.iter().enumerate() {
        out.push(feat(2 + k as u64, *s));
    }
    for (k, p) in t.pre.iter().enumerate() {
        out.push(feat(6 + k as u64, *p));
    }
    out.push(feat(9, t.shape));
    out.push(feat(10, p1));
    out.push(feat(11, p2));
    out.push(feat(12, mix(p1, p2)));
    out.push(feat(13, mix(p1, t.norm)));
    out.push(feat(14, wn(i - 1)));
    out.push(feat(15, at(i - 1).map_or(START, |t| t.suf[2])));
    out.push(feat(16, wn(i - 2)));
    out.push(feat(17, wn(i + 1)));
    out.push(feat(18, at(i + 1).map_or(END, |t| t.suf[2])));
    out.push(feat(19, wn(i + 2)));
    for (k, c) in t.cl.iter().enumerate() {
        out.push(feat(20 + k as u64, *c));
    }
    out.push(feat(24, at(i - 1).map_or(START, |t| t.cl[1])));
    out.push(feat(25, at(i + 1).map_or(END, |t| t.cl[1])));
    out.push(feat(26, at(i + 1).map_or(END, |t| t.cl[2])));
    out.push(feat(27, mix(wn(i - 1), t.norm)));
    out.push(feat(28, mix(t.norm, wn(i + 1))));
    out.push(feat(29, mix(u64::from(i == 0), u64::from(t.upper_first))));
    out.push(feat(30, mix(p1, t.suf[2])));
    out.push(feat(31, at(i + 1).map_or(END, |t| t.shape)));
}

fn argmax(s: &[f32]) -> usize {
    let mut best = 0;
    for (i, v) in s.iter().enumerate() {
        if *v > s[best] {
            best = i;
        }
    }
    best
}

/// How a training run went, epoch by epoch.
#[derive(Debug, Clone)]
pub struct EpochReport {
    pub epoch: usize,
    pub train_acc: f64,
    pub dev_upos: f64,
    pub dev_xpos: f64,
}

/// Training settings. The defaults are the ones the shipped model was trained with.
#[derive(Debug, Clone)]
pub struct TaggerConfig {
    pub epochs: usize,
    pub seed: u64,
    /// Weights below this (in magnitude) are dropped from the saved model.
    pub prune: f32,
}

impl Default for TaggerConfig {
    fn default() -> Self {
        Self { epochs: 12, seed: 1, prune: 0.01 }
    }
}

impl Tagger {
    pub fn labels(&self) -> &[(String, String)] {
        &self.labels
    }

    pub fn clusters(&self) -> &Clusters {
        &self.clusters
    }

    pub fn lemmatizer(&self) -> &Lemmatizer {
        &self.lemmatizer
    }

    /// Attach a lemmatizer (trained separately on the same treebank).
    pub fn with_lemmatizer(mut self, lemmatizer: Lemmatizer) -> Self {
        self.lemmatizer = lemmatizer;
        self
    }

    /// Tag a sentence; returns a class index per word (see [`Tagger::label`]).
    pub fn tag(&self, words: &[&str]) -> Vec<usize> {
        let toks = prep(words, &self.clusters);
        let mut feats = Vec::with_capacity(40);
        let mut scores = vec![0.0f32; self.labels.len()];
        let mut out = Vec::with_capacity(words.len());
        let (mut p1, mut p2) = (START, START);
        for i in 0..words.len() {
            features(&toks, i, p1, p2, &mut feats);
            scores.iter_mut().for_each(|s| *s = 0.0);
            self.model.scores(&feats, &mut scores);
            let c = argmax(&scores);
            out.push(c);
            p2 = p1;
            p1 = c as u64 + 1;
        }
        out
    }

    /// (UPOS, XPOS) of a class.
    pub fn label(&self, class: usize) -> (&str, &str) {
        let (u, x) = &self.labels[class];
        (u, x)
    }

    /// Train on gold sentences; `report` is called after each epoch with dev accuracy.
    pub fn train(
        train: &[conllu::Sentence],
        dev: &[conllu::Sentence],
        clusters: Clusters,
        cfg: &TaggerConfig,
        report: &mut dyn FnMut(&EpochReport),
    ) -> Self {
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        let mut labels = Vec::new();
        for s in train {
            for w in &s.words {
                index.entry((w.upos.clone(), w.xpos.clone())).or_insert_with(|| {
                    labels.push((w.upos.clone(), w.xpos.clone()));
                    labels.len() - 1
                });
            }
        }
        let data: Vec<(Vec<&str>, Vec<usize>)> = train
            .iter()
            .map(|s| {
                let words = s.words.iter().map(|w| w.form.as_str()).collect();
                let gold = s.words.iter().map(|w| index[&(w.upos.clone(), w.xpos.clone())]).collect();
                (words, gold)
            })
            .collect();
        let mut trainer = Trainer::new(labels.len());
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = Rng::new(cfg.seed);
        let mut feats = Vec::with_capacity(40);
        let mut scores = vec![0.0f32; labels.len()];
        let mut best: Option<(f64, Model)> = None;
        for epoch in 1..=cfg.epochs {
            rng.shuffle(&mut order);
            let (mut correct, mut total) = (0usize, 0usize);
            for &k in &order {
                let (words, gold) = &data[k];
                let toks = prep(words, &clusters);
                let (mut p1, mut p2) = (START, START);
                for (i, &g) in gold.iter().enumerate() {
                    features(&toks, i, p1, p2, &mut feats);
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    trainer.scores(&feats, &mut scores);
                    let guess = argmax(&scores);
                    trainer.update(&feats, g, guess, 1.0);
                    trainer.tick();
                    correct += usize::from(guess == g);
                    total += 1;
                    p2 = p1;
                    p1 = guess as u64 + 1;
                }
            }
            let model = trainer.average(cfg.prune);
            let tagger =
                Self { labels: labels.clone(), clusters: clusters.clone(), model, lemmatizer: Lemmatizer::default() };
            let (dev_upos, dev_xpos) = tagger.accuracy(dev);
            report(&EpochReport { epoch, train_acc: correct as f64 / total.max(1) as f64, dev_upos, dev_xpos });
            // Keep the epoch that does best on dev: the number of epochs is then an
            // upper bound rather than a knob to tune.
            if best.as_ref().is_none_or(|(b, _)| dev_upos > *b) || dev.is_empty() {
                best = Some((dev_upos, tagger.model));
            }
        }
        let model = best.map(|b| b.1).unwrap_or_else(|| trainer.average(cfg.prune));
        Self { labels, clusters, model, lemmatizer: Lemmatizer::default() }
    }

    /// UPOS and XPOS accuracy on gold sentences.
    pub fn accuracy(&self, gold: &[conllu::Sentence]) -> (f64, f64) {
        let (mut u, mut x, mut n) = (0usize, 0usize, 0usize);
        for s in gold {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            for (c, w) in self.tag(&words).into_iter().zip(&s.words) {
                let (up, xp) = self.label(c);
                u += usize::from(up == w.upos);
                x += usize::from(xp == w.xpos);
                n += 1;
            }
        }
        let n = n.max(1) as f64;
        (u as f64 / n, x as f64 / n)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put_u32(&mut out, self.labels.len() as u32);
        for (u, x) in &self.labels {
            put_str(&mut out, u);
            put_str(&mut out, x);
        }
        self.clusters.write(&mut out);
        self.model.write(&mut out);
        self.lemmatizer.write(&mut out);
        out
    }

    pub fn from_bytes(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf);
        if r.bytes(8)? != MAGIC {
            return Err(DecodeError("not a sway tagger model".into()));
        }
        let n = r.u32()? as usize;
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            labels.push((r.str()?, r.str()?));
        }
        let clusters = Clusters::read(&mut r)?;
        let model = Model::read(&mut r)?;
        if model.classes() != labels.len() {
            return Err(DecodeError("tagger classes do not match its labels".into()));
        }
        let lemmatizer = Lemmatizer::read(&mut r)?;
        Ok(Self { labels, clusters, model, lemmatizer })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(words: &[(&str, &str, &str)]) -> conllu::Sentence {
        conllu::Sentence {
            words: words
                .iter()
                .map(|(f, u, x)| conllu::Word {
                    form: f.to_string(),
                    upos: u.to_string(),
                    xpos: x.to_string(),
                    lemma: f.to_lowercase(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn training_is_reproducible_and_learns() {
        let data: Vec<conllu::Sentence> = (0..30)
            .map(|i| {
                if i % 2 == 0 {
                    sent(&[
                        ("Troops", "NOUN", "NNS"),
                        ("attacked", "VERB", "VBD"),
                        ("bases", "NOUN", "NNS"),
                        (".", "PUNCT", "."),
                    ])
                } else {
                    sent(&[
                        ("They", "PRON", "PRP"),
                        ("attack", "VERB", "VBP"),
                        ("convoys", "NOUN", "NNS"),
                        (".", "PUNCT", "."),
                    ])
                }
            })
            .collect();
        let cfg = TaggerConfig { epochs: 3, ..TaggerConfig::default() };
        let a = Tagger::train(&data, &data, Clusters::default(), &cfg, &mut |_| {});
        let b = Tagger::train(&data, &data, Clusters::default(), &cfg, &mut |_| {});
        assert_eq!(a.to_bytes(), b.to_bytes(), "same data and seed must give the same model");
        assert_eq!(a.accuracy(&data), (1.0, 1.0));
        let back = Tagger::from_bytes(&a.to_bytes()).unwrap();
        let words = ["They", "attack", "convoys", "."];
        let tags: Vec<&str> = back.tag(&words).into_iter().map(|c| back.label(c).1).collect();
        assert_eq!(tags, ["PRP", "VBP", "NNS", "."]);
        assert_eq!(back.tag(&["Troops", "attacked", "bases"]), a.tag(&["Troops", "attacked", "bases"]));
        assert!(Tagger::from_bytes(b"SWAYPAR1").is_err());
    }
}
