//! `imr-pdf`: PDF text in (pure Rust) and PDF out. The heavy PDF dependencies stay in this crate.

pub mod document;
pub mod inflating;
pub mod read;
pub mod write;
