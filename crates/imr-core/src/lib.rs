//! `imr-core`: the pure domain of the IMR system.
//!
//! Architecture invariant: nothing in this crate does IO, reads the clock or spawns threads. The
//! same inputs (and the same guideline version) always give the same outputs, so every decision
//! can be replayed. Files, the network, the clock and the database live in the other crates.

pub mod case;
pub mod case_file;
pub mod engine;
pub mod extract;
pub mod guidelines;
pub mod letter;
pub mod model;
pub mod redact;
pub mod request;
pub mod text;
pub mod vocab;

pub use model::{
    Citation, Decision, Determination, Diagnostic, Item, Priority, ReviewerCredentials, Severity,
};
