//! # sway-syntax
//!
//! Sentence splitting and tokenization in the style of UD English, for news text, with
//! byte offsets into the document text. (The trained tagger and parser will live here
//! too.)
//!
//! ```
//! use sway_core::Span;
//! let text = "The U.S. cut troops from 5,200 to about 3,000. Iran's allies didn't.";
//! let toks = sway_syntax::tokenize(text, Span::new(0, text.len()));
//! let words: Vec<&str> = toks.iter().map(|t| t.span.slice(text)).collect();
//! assert_eq!(&words[..4], ["The", "U.S.", "cut", "troops"]);
//! assert!(words.contains(&"5,200") && words.contains(&"'s") && words.contains(&"n't"));
//! let sents = sway_syntax::split_sentences(text, &toks);
//! assert_eq!(sents.len(), 2);
//! ```

pub mod conllu;
pub mod lemma;
pub mod lexicon;
pub mod parser;
pub mod perceptron;
pub mod tagger;
mod tokenize;

pub use tokenize::{is_clitic, split_sentences, tokenize};

use sway_core::{Document, Sentence, Token};

/// Tokens and sentences of a document's analyzed blocks. Boilerplate is skipped;
/// sentences never cross a block boundary.
pub fn segment(doc: &Document) -> (Vec<Sentence>, Vec<Token>) {
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    for (bi, block) in doc.analyzed_blocks() {
        let toks = tokenize(&doc.text, block.span);
        let base = tokens.len();
        for r in split_sentences(&doc.text, &toks) {
            let span = sway_core::Span::new(toks[r.start].span.start, toks[r.end - 1].span.end);
            sentences.push(Sentence { span, block: bi, tokens: base + r.start..base + r.end });
        }
        tokens.extend(toks);
    }
    (sentences, tokens)
}

/// The tagger model shipped with sway (trained on UD English EWT; see `data/NOTICE.md`).
pub const TAGGER_MODEL: &[u8] = include_bytes!("../../../models/tagger.bin");
/// The parser model shipped with sway.
pub const PARSER_MODEL: &[u8] = include_bytes!("../../../models/parser.bin");

/// One word's syntax: lemma, tags, head (1-based, 0 for the root) and relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordSyntax {
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub head: usize,
    pub deprel: String,
}

/// Tagger, lemmatizer and parser together.
#[derive(Debug, Clone)]
pub struct Syntax {
    tagger: tagger::Tagger,
    parser: parser::Parser,
}

impl Syntax {
    /// The models compiled into sway.
    pub fn bundled() -> Result<Self, perceptron::DecodeError> {
        Self::from_bytes(TAGGER_MODEL, PARSER_MODEL)
    }

    pub fn from_bytes(tagger: &[u8], parser: &[u8]) -> Result<Self, perceptron::DecodeError> {
        Ok(Self { tagger: tagger::Tagger::from_bytes(tagger)?, parser: parser::Parser::from_bytes(parser)? })
    }

    /// Tag, lemmatize and parse one sentence.
    pub fn analyze(&self, words: &[&str]) -> Vec<WordSyntax> {
        if words.is_empty() {
            return Vec::new();
        }
        let tags = self.tagger.tag(words);
        let (heads, labels) = self.parser.parse(words, &tags, self.tagger.clusters());
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let (upos, xpos) = self.tagger.label(tags[i]);
                WordSyntax {
                    lemma: self.tagger.lemmatizer().lemma(w, xpos),
                    upos: upos.to_string(),
                    xpos: xpos.to_string(),
                    head: heads[i],
                    deprel: self.parser.label(labels[i]).to_string(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod model_tests {
    use super::*;

    #[test]
    fn bundled_models_tag_and_parse_a_sentence() {
        let s = Syntax::bundled().unwrap();
        let words = ["Russian", "forces", "attacked", "the", "city", "."];
        let a = s.analyze(&words);
        assert_eq!(a.len(), 6);
        assert_eq!(a[2].upos, "VERB");
        assert_eq!(a[2].lemma, "attack");
        assert_eq!(a[2].head, 0);
        assert_eq!(a[2].deprel, "root");
        assert_eq!((a[1].head, a[1].deprel.as_str()), (3, "nsubj"));
        assert_eq!((a[4].head, a[4].deprel.as_str()), (3, "obj"));
        assert_eq!(a.iter().filter(|w| w.head == 0).count(), 1);
    }
}
