use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Span;

/// The role a stretch of text plays on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Title,
    /// A short lead line above the body of a brief ("key takeaways").
    Takeaway,
    Heading,
    Paragraph,
    Caption,
    /// Navigation, share bars, teasers, cookie notices: kept with offsets, never analyzed.
    Boilerplate,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Takeaway => "takeaway",
            Self::Heading => "heading",
            Self::Paragraph => "paragraph",
            Self::Caption => "caption",
            Self::Boilerplate => "boilerplate",
        }
    }

    /// Whether the extractors look at blocks of this kind.
    pub fn is_analyzed(self) -> bool {
        !matches!(self, Self::Boilerplate)
    }
}

impl std::str::FromStr for BlockKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "title" => Self::Title,
            "takeaway" => Self::Takeaway,
            "heading" => Self::Heading,
            "paragraph" => Self::Paragraph,
            "caption" => Self::Caption,
            "boilerplate" => Self::Boilerplate,
            other => return Err(format!("unknown block kind {other:?}")),
        })
    }
}

/// A typed stretch of the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

/// What kind of input a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Text,
    Html,
    Pdf,
    Jsonl,
}

impl InputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Jsonl => "jsonl",
        }
    }
}

/// An ingested document: extracted text, typed blocks and page metadata.
///
/// `text` is the text every offset in sway points into. Blocks tile the analyzed
/// parts of it in order and never overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Content hash of the normalized text (see `sway_ingest::doc_id`).
    pub doc_id: String,
    /// The input's own id (a JSONL `id`), kept beside the content hash.
    pub input_id: Option<String>,
    /// Where it came from: a path, `path:line` for JSONL, or `-` for stdin.
    pub source: String,
    pub format: InputFormat,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    pub site_name: Option<String>,
    /// The byline, when the page or feed gives one.
    pub author: Option<String>,
    /// ISO 639-1 code of the detected (or declared) language, when known.
    pub language: Option<String>,
    pub text: String,
    pub blocks: Vec<Block>,
    /// Things a user should know about how this document was read
    /// (lossy decoding, a truncated page, an unparseable date).
    pub warnings: Vec<String>,
}

impl Document {
    /// The blocks the extractors analyze, in order.
    pub fn analyzed_blocks(&self) -> impl Iterator<Item = (usize, &Block)> {
        self.blocks.iter().enumerate().filter(|(_, b)| b.kind.is_analyzed())
    }

    pub fn blocks_of(&self, kind: BlockKind) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

/// A token: a span of the document text. Its surface is `&text[span]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub span: Span,
}

/// A sentence of an analyzed block, with the range of its tokens in the document's
/// token layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    /// Index of the block it belongs to.
    pub block: usize,
    /// Indices into the token layer.
    pub tokens: std::ops::Range<usize>,
}
