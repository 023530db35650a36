//! `sway train`: fit the tagger and parser on CoNLL-U treebanks.

use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use sway_syntax::conllu;
use sway_syntax::lexicon::Clusters;
use sway_syntax::tagger::{Tagger, TaggerConfig};

use sway_syntax::parser::{Parser, ParserConfig};

use crate::args::{TrainCommand, TrainParserArgs, TrainTaggerArgs};

pub fn run(cmd: &TrainCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TrainCommand::Tagger(a) => tagger(a),
        TrainCommand::Parser(a) => parser(a),
    }
}

pub fn read_treebank(path: &Path) -> anyhow::Result<Vec<conllu::Sentence>> {
    let src = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    conllu::parse(&src).with_context(|| format!("{}", path.display()))
}

fn tagger(a: &TrainTaggerArgs) -> anyhow::Result<ExitCode> {
    let train = read_treebank(&a.train)?;
    let dev = read_treebank(&a.dev)?;
    let vocab: HashSet<&str> = train.iter().flat_map(|s| s.words.iter().map(|w| w.form.as_str())).collect();
    let clusters = match &a.clusters {
        Some(p) => {
            let src = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Clusters::from_tsv(&src, a.cluster_words, &|w| vocab.contains(w))
        }
        None => Clusters::default(),
    };
    eprintln!("training tagger on {} sentences ({} cluster words)", train.len(), clusters.len());
    let cfg = TaggerConfig { epochs: a.epochs, seed: a.seed, ..TaggerConfig::default() };
    let started = std::time::Instant::now();
    let tagger = Tagger::train(&train, &dev, clusters, &cfg, &mut |r| {
        eprintln!(
            "epoch {:>2}: train {:.2}%  dev UPOS {:.2}%  XPOS {:.2}%  ({:.0?})",
            r.epoch,
            100.0 * r.train_acc,
            100.0 * r.dev_upos,
            100.0 * r.dev_xpos,
            started.elapsed()
        );
    });
    let exceptions = match &a.lemma_exceptions {
        Some(p) => read_exceptions(p)?,
        None => Vec::new(),
    };
    let lemmatizer = sway_syntax::lemma::Lemmatizer::train(&train, exceptions);
    eprintln!("lemmatizer: dev accuracy {:.2}% (from gold XPOS)", 100.0 * lemmatizer.accuracy(&dev));
    let tagger = tagger.with_lemmatizer(lemmatizer);
    let bytes = tagger.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    let (u, x) = tagger.accuracy(&dev);
    eprintln!(
        "wrote {} ({:.1} MB); dev UPOS {:.2}%, XPOS {:.2}%",
        a.out.display(),
        bytes.len() as f64 / 1e6,
        100.0 * u,
        100.0 * x
    );
    Ok(ExitCode::SUCCESS)
}

fn tag_all(tagger: &Tagger, sents: &[conllu::Sentence]) -> Vec<Vec<usize>> {
    sents.iter().map(|s| tagger.tag(&s.words.iter().map(|w| w.form.as_str()).collect::<Vec<_>>())).collect()
}

fn parser(a: &TrainParserArgs) -> anyhow::Result<ExitCode> {
    let train = read_treebank(&a.train)?;
    let dev = read_treebank(&a.dev)?;
    let bytes = std::fs::read(&a.tagger).with_context(|| format!("reading {}", a.tagger.display()))?;
    let tagger = Tagger::from_bytes(&bytes).with_context(|| format!("{}", a.tagger.display()))?;
    let started = std::time::Instant::now();
    let train_tags = if a.jackknife >= 2 {
        // Each fold is tagged by a tagger that never saw it. Folds are contiguous blocks
        // of the treebank, so the split is the same on every run.
        let k = a.jackknife;
        let shipped: std::collections::HashMap<(String, String), usize> =
            tagger.labels().iter().cloned().enumerate().map(|(i, l)| (l, i)).collect();
        let mut tags = vec![Vec::new(); train.len()];
        for fold in 0..k {
            let held: Vec<usize> = (0..train.len()).filter(|i| i * k / train.len() == fold).collect();
            let rest: Vec<conllu::Sentence> =
                (0..train.len()).filter(|i| i * k / train.len() != fold).map(|i| train[i].clone()).collect();
            let cfg = TaggerConfig { epochs: 8, seed: a.seed, ..TaggerConfig::default() };
            let t = Tagger::train(&rest, &[], tagger.clusters().clone(), &cfg, &mut |_| {});
            for i in held {
                // Fold taggers number their classes by first appearance: map them to the
                // shipped tagger's numbering by label.
                tags[i] = t
                    .tag(&train[i].words.iter().map(|w| w.form.as_str()).collect::<Vec<_>>())
                    .into_iter()
                    .map(|c| {
                        let (u, x) = t.label(c);
                        shipped.get(&(u.to_string(), x.to_string())).copied().unwrap_or(0)
                    })
                    .collect();
            }
            eprintln!("jackknife fold {}/{k} tagged ({:.0?})", fold + 1, started.elapsed());
        }
        tags
    } else {
        tag_all(&tagger, &train)
    };
    let dev_tags = tag_all(&tagger, &dev);
    let train_set: Vec<(conllu::Sentence, Vec<usize>)> = train.into_iter().zip(train_tags).collect();
    let dev_set: Vec<(conllu::Sentence, Vec<usize>)> = dev.into_iter().zip(dev_tags).collect();
    let cfg = ParserConfig { epochs: a.epochs, seed: a.seed, ..ParserConfig::default() };
    eprintln!("training parser on {} sentences", train_set.len());
    let parser = Parser::train(&train_set, &dev_set, tagger.clusters(), &cfg, &mut |r| {
        eprintln!(
            "epoch {:>2}: dev UAS {:.2}%  LAS {:.2}%  (skipped {} non-projective; {:.0?})",
            r.epoch,
            100.0 * r.dev_uas,
            100.0 * r.dev_las,
            r.skipped_nonprojective,
            started.elapsed()
        );
    });
    for t in [0.5f32, 1.0, 2.0, 4.0] {
        let (p, n) = parser.pruned(t);
        let (u, l) = p.attachment(&dev_set, tagger.clusters());
        eprintln!("  pruned at {t}: {n} weights, dev UAS {:.2}%, LAS {:.2}%", 100.0 * u, 100.0 * l);
    }
    let parser = parser.pruned(a.prune).0;
    let bytes = parser.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    let (u, l) = parser.attachment(&dev_set, tagger.clusters());
    eprintln!(
        "wrote {} ({:.1} MB); dev UAS {:.2}%, LAS {:.2}%",
        a.out.display(),
        bytes.len() as f64 / 1e6,
        100.0 * u,
        100.0 * l
    );
    Ok(ExitCode::SUCCESS)
}

fn read_exceptions(path: &Path) -> anyhow::Result<Vec<(String, String, String)>> {
    let src = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let v: std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>> =
        serde_json::from_str(&src).with_context(|| format!("{}: not a lemma exception table", path.display()))?;
    Ok(v.into_iter()
        .flat_map(|(class, forms)| {
            forms.into_iter().filter_map(move |(f, ls)| ls.into_iter().next().map(|l| (class.clone(), f, l)))
        })
        .collect())
}
