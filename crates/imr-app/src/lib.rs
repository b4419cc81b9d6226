//! `imr-app`: the case operations, written once over the store, that the command line
//! (`imr case ...`) and the server (API and workbench) both call: open a case from an
//! application, add documents and read them (the one reading loop), assign a reviewer, propose
//! (the engine's analysis), keep a sign draft, sign, write and issue the letter, issue the
//! public copy, export the store.
//!
//! Who may do what is the front end's business (the server's roles); what happens, in which
//! transaction and with which audit entry, is decided here. Every operation takes the time it
//! records (`at`) and who acts (`actor`) as parameters: nothing here reads the clock. Errors are
//! typed ([`AppError`]) so that the command line prints them and the server maps them to status
//! codes.

mod analysis;
mod app;
mod assign;
mod documents;
mod error;
mod export;
mod letter;
mod open;
mod propose;
pub mod public_copy;
mod reading;
mod sign;

pub use analysis::{Analysis, ClinicalText, Located, Sources, Unreadable};
pub use app::{App, SPECIALTY_MAP};
pub use assign::Candidates;
pub use documents::{Upload, sha256_hex};
pub use error::{AppError, problems_named};
pub use letter::LetterFormat;
pub use reading::{UploadCheck, check_upload_within};
pub use sign::Checked;
