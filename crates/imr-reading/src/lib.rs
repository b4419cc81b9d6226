//! `imr-reading`: the reading of clinical text. The case file ([`case_file`]), the shared
//! vocabulary of body regions, drugs, services and numbers ([`vocab`]), a disputed request read
//! into its service, drug and schedule ([`request`]) and the facts of the medical records
//! ([`extract`]).
//!
//! Pure: text in, values out; no IO, no clock.

pub mod case_file;
pub mod extract;
pub mod request;
pub mod vocab;
