//! Reading and writing CoNLL-U.

use std::fmt::Write as _;

/// One word line of a CoNLL-U sentence (integer id).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 for the root; 1-based index otherwise.
    pub head: usize,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

/// A sentence: its comment lines, words, and any other lines (multiword tokens
/// `1-2`, empty nodes `1.1`) kept verbatim with the word index they precede.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    pub extra: Vec<(usize, String)>,
}

/// A malformed CoNLL-U line.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ConlluError {
    pub line: usize,
    pub reason: String,
}

/// Parse CoNLL-U text into sentences.
pub fn parse(src: &str) -> Result<Vec<Sentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for (i, line) in src.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.words.is_empty() || !cur.comments.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            cur.comments.push(line.to_string());
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 10 {
            return Err(ConlluError {
                line: i + 1,
                reason: format!("expected 10 tab-separated columns, found {}", f.len()),
            });
        }
        if f[0].contains('-') || f[0].contains('.') {
            cur.extra.push((cur.words.len(), line.to_string()));
            continue;
        }
        let id: usize = f[0].parse().map_err(|_| ConlluError { line: i + 1, reason: format!("bad id {:?}", f[0]) })?;
        if id != cur.words.len() + 1 {
            return Err(ConlluError { line: i + 1, reason: format!("id {id} out of sequence") });
        }
        let head = if f[6] == "_" {
            0
        } else {
            f[6].parse().map_err(|_| ConlluError { line: i + 1, reason: format!("bad head {:?}", f[6]) })?
        };
        cur.words.push(Word {
            form: f[1].to_string(),
            lemma: f[2].to_string(),
            upos: f[3].to_string(),
            xpos: f[4].to_string(),
            feats: f[5].to_string(),
            head,
            deprel: f[7].to_string(),
            deps: f[8].to_string(),
            misc: f[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    for (k, s) in out.iter().enumerate() {
        if s.words.iter().any(|w| w.head > s.words.len()) {
            return Err(ConlluError {
                line: 0,
                reason: format!("sentence {}: a head points past the sentence", k + 1),
            });
        }
    }
    Ok(out)
}

fn or_underscore(s: &str) -> &str {
    if s.is_empty() {
        "_"
    } else {
        s
    }
}

/// Write sentences as CoNLL-U.
pub fn write(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    for s in sentences {
        for c in &s.comments {
            out.push_str(c);
            out.push('\n');
        }
        let mut extra = s.extra.iter().peekable();
        for (i, w) in s.words.iter().enumerate() {
            while let Some((_, line)) = extra.next_if(|(at, _)| *at == i) {
                out.push_str(line);
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                i + 1,
                w.form,
                or_underscore(&w.lemma),
                or_underscore(&w.upos),
                or_underscore(&w.xpos),
                or_underscore(&w.feats),
                w.head,
                or_underscore(&w.deprel),
                or_underscore(&w.deps),
                or_underscore(&w.misc)
            );
        }
        for (_, line) in extra {
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "# sent_id = x\n# text = They can't go.\n1\tThey\tthey\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tca\tcan\tAUX\tMD\t_\t4\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n4\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn round_trip() {
        let s = parse(SRC).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 5);
        assert_eq!(s[0].words[2].head, 4);
        assert_eq!(s[0].words[3].head, 0);
        assert_eq!(s[0].extra, vec![(1, "2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_".to_string())]);
        assert_eq!(write(&s), SRC);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("1\tx\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n3\tb\tb\tX\tX\t_\t1\tdep\t_\t_\n").unwrap_err();
        assert!(e.reason.contains("out of sequence"));
    }
}
