//! # sway-core
//!
//! The types every sway stage shares, and nothing heavy:
//!
//! - [`Document`] and its [`Block`]s: what ingest produces, with the extracted text
//!   that every offset in sway points into;
//! - the annotation layers stages add ([`Sentence`], [`Token`]);
//! - [`contract`]: the output contract (`schema_version` 1) that `sway analyze`
//!   prints and the store keeps, with its JSON Schema generated from these types;
//! - [`codes`]: CAMEO event codes with both Goldstein tables, PLOVER type and mode,
//!   and GDELT's QuadClass.
//!
//! Offsets are byte offsets into [`Document::text`] and never change once made:
//!
//! ```
//! use sway_core::{Block, BlockKind, Span};
//! let text = "Title\n\nBody.";
//! let b = Block { kind: BlockKind::Paragraph, span: Span::new(7, 12) };
//! assert_eq!(b.span.slice(text), "Body.");
//! ```

pub mod codes;
pub mod contract;
mod document;
mod span;

pub use document::{Block, BlockKind, Document, InputFormat, Sentence, Token};
pub use span::Span;

/// The version of sway, recorded in every output's `pipeline`.
pub const SWAY_VERSION: &str = env!("CARGO_PKG_VERSION");
