//! `imr-rules`: the guidelines ([`guidelines`]: loaded, checked, embedded) and the engine that
//! applies them to what was read of a case ([`engine`]: the adapter from facts, the review, the
//! backtest against published letters and the agreement table).
//!
//! Pure: the same facts and guideline version always give the same finding.

pub mod engine;
pub mod guidelines;
