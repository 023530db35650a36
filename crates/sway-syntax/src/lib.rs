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
pub mod perceptron;
pub mod parser;
pub mod tagger;
mod tokenize;

pub use tokenize::{split_sentences, tokenize};

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
