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

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use imr_core::case::{AuditEntry, CaseNumber, ClockRules, SpecialtyMap};
use imr_core::guidelines::Guidelines;
use imr_core::letter::write::Organization;
use imr_store::Store;
use jiff::civil::DateTime;

pub use assign::Candidates;
pub use documents::{Upload, sha256_hex};
pub use error::{AppError, problems_named};
pub use letter::LetterFormat;
pub use propose::Analysis;
pub use reading::{ClinicalText, Located, Sources, Unreadable, UploadCheck, check_upload_within};
pub use sign::Checked;

/// The specialty map built in (data/specialty-map.toml).
pub const SPECIALTY_MAP: &str = include_str!("../../../data/specialty-map.toml");

/// How many analyses are kept before the cache starts again.
const ANALYSES_KEPT: usize = 256;

/// Analyses by (case number, case version).
type AnalysisCache = HashMap<(String, i64), Arc<Analysis>>;

/// The case operations over one store, with the rules they apply.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub guidelines: Arc<Guidelines>,
    pub specialty_map: Arc<SpecialtyMap>,
    pub rules: Arc<ClockRules>,
    /// The IMR organization's names, for letters.
    pub organization: Organization,
    /// Clinical text and engine findings per (case, version): documents arrive only with a
    /// workflow step, which bumps the version, so the key names the inputs exactly.
    analyses: Arc<Mutex<AnalysisCache>>,
}

impl App {
    /// The operations over `store` with the built-in guidelines, specialty map and clock rules.
    pub fn new(store: Arc<dyn Store>) -> Result<App, String> {
        let guidelines = Guidelines::embedded()
            .map_err(|e| format!("the built-in guidelines do not load: {e}"))?;
        let specialty_map = SpecialtyMap::from_toml(SPECIALTY_MAP)
            .map_err(|e| format!("the built-in specialty map (data/specialty-map.toml): {e}"))?;
        Ok(App {
            store,
            guidelines: Arc::new(guidelines),
            specialty_map: Arc::new(specialty_map),
            rules: Arc::new(ClockRules::default()),
            organization: Organization::default(),
            analyses: Arc::default(),
        })
    }

    /// Writes one audit entry about a case (a view, a letter printed again, ...).
    pub async fn audit(
        &self,
        case: &CaseNumber,
        at: DateTime,
        actor: &str,
        event: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        let entry = AuditEntry::new(at, actor.to_string(), event, detail);
        Ok(self.store.record_audit(Some(case), &entry).await?)
    }
}
