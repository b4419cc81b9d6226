//! `imr-core`: the values every part of imr's domain shares (a determination, its items and
//! decisions, citations, reviewer credentials) and the text helpers under every reader and writer
//! (dates, whitespace, joined lines).
//!
//! Architecture invariant: nothing here, or in the domain crates above it (`imr-reading`,
//! `imr-rules`, `imr-case`, `imr-letter`, `imr-redact`), does IO, reads the clock or spawns
//! threads. The same inputs (and the same guideline version) always give the same outputs, so
//! every decision can be replayed. Files, the network, the clock and the database live in the
//! other crates.

pub mod model;
pub mod text;

pub use model::{
    Citation, Decision, Determination, Diagnostic, Item, Priority, ReviewerCredentials, Severity,
};
