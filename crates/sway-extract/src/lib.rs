//! # sway-extract
//!
//! Extraction stages over a segmented document:
//!
//! - [`actors`]: country names, demonyms, capital and seat-of-power metonyms
//!   ("Tehran", "the Kremlin"), with a sector from the agent noun that follows
//!   ("Iraqi forces" → `IRQMIL`) and a patron from "Iran-backed";
//! - [`events`]: trigger words between two actors, coded in CAMEO with PLOVER type,
//!   Goldstein score, QuadClass and a first reading of modality.
//!
//! This is the walking skeleton's extractor: dictionary matching over tokens. The
//! actor registry (issue 5) and dependency-based event coding (issue 7) replace it.
//!
//! ```
//! use sway_core::Span;
//! let text = "Iraqi forces attacked Iran-backed militias near Tehran.";
//! let tokens = sway_syntax::tokenize(text, Span::new(0, text.len()));
//! let x = sway_extract::Extractor::bundled();
//! let actors = x.actors(text, &tokens);
//! assert_eq!(actors[0].code, "IRQMIL");
//! assert_eq!(actors[1].patron.as_deref(), Some("IRN"));
//! ```

pub mod actors;
pub mod amounts;
pub mod events;
pub mod judgments;
mod names;
pub mod places;
pub mod registry;
mod resources;
pub mod time;
pub mod verbs;

pub use actors::{ActorMention, MentionKind};
pub use events::EventCandidate;
pub use resources::{Extractor, ResourceError};
