//! `sway parse`: CoNLL-U out, from raw text or from CoNLL-U with given tokens.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use sway_core::Span;
use sway_syntax::conllu::{self, Sentence, Word};
use sway_syntax::Syntax;

use crate::args::{ParseArgs, ParseInput};

fn read_input(a: &ParseArgs) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    if a.file.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
    } else {
        bytes = std::fs::read(&a.file).with_context(|| format!("reading {}", a.file.display()))?;
    }
    String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 (byte {})", a.file.display(), e.utf8_error().valid_up_to()))
}

fn fill(syntax: &Syntax, s: &mut Sentence, spent: &mut Duration) {
    let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
    let t = Instant::now();
    let analysis = syntax.analyze(&words);
    *spent += t.elapsed();
    for (w, a) in s.words.iter_mut().zip(analysis) {
        w.lemma = a.lemma;
        w.upos = a.upos;
        w.xpos = a.xpos;
        w.feats = String::new();
        w.head = a.head;
        w.deprel = a.deprel;
        w.deps = String::new();
    }
}

/// Sentences of raw text: paragraphs (split at blank lines), tokenized and split.
fn text_sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut offset = 0;
    for para in text.split("\n\n") {
        let span = Span::new(offset, offset + para.len());
        offset += para.len() + 2;
        let toks = sway_syntax::tokenize(text, span);
        for r in sway_syntax::split_sentences(text, &toks) {
            let toks = &toks[r];
            let (start, end) = (toks[0].span.start, toks[toks.len() - 1].span.end);
            let flat: String = text[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
            let words = toks
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let mut misc = format!("TokenRange={}:{}", t.span.start, t.span.end);
                    if toks.get(i + 1).is_some_and(|n| n.span.start == t.span.end) {
                        misc.push_str("|SpaceAfter=No");
                    }
                    Word { form: t.span.slice(text).to_string(), misc, ..Word::default() }
                })
                .collect();
            // A word and the clitic glued to it ("do" + "n't") are one surface token
            // in UD: a multiword-token line `i-j` with the surface form and its range.
            let mut extra = Vec::new();
            let mut i = 0;
            while i + 1 < toks.len() {
                if toks[i].span.end == toks[i + 1].span.start && sway_syntax::is_clitic(toks[i + 1].span.slice(text)) {
                    let (s, e) = (toks[i].span.start, toks[i + 1].span.end);
                    extra.push((
                        i,
                        format!("{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\tTokenRange={s}:{e}", i + 1, i + 2, &text[s..e]),
                    ));
                    i += 2;
                } else {
                    i += 1;
                }
            }
            out.push(Sentence {
                comments: vec![format!("# sent_id = {}", out.len() + 1), format!("# text = {flat}")],
                words,
                extra,
            });
        }
    }
    out
}

pub fn run(a: &ParseArgs) -> anyhow::Result<ExitCode> {
    let src = read_input(a)?;
    let mut sentences = match a.input_format {
        ParseInput::Conllu => conllu::parse(&src).with_context(|| a.file.display().to_string())?,
        ParseInput::Text => text_sentences(&src),
    };
    let syntax = Syntax::bundled().context("loading the bundled syntax models")?;
    let mut spent = Duration::ZERO;
    for s in &mut sentences {
        fill(&syntax, s, &mut spent);
    }
    if a.timing {
        let tokens: usize = sentences.iter().map(|s| s.words.len()).sum();
        eprintln!("timing: tokens={tokens} sentences={} seconds={:.6}", sentences.len(), spent.as_secs_f64());
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    out.write_all(conllu::write(&sentences).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
