//! The case operations' handle: the store with the rules the operations apply.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use imr_case::{AuditEntry, CaseNumber, ClockRules, SpecialtyMap};
use imr_letter::write::Organization;
use imr_rules::guidelines::Guidelines;
use imr_store::Store;
use jiff::civil::DateTime;

use crate::analysis::Analysis;
use crate::error::AppError;

/// The specialty map built in (data/specialty-map.toml).
pub const SPECIALTY_MAP: &str = include_str!("../../../data/specialty-map.toml");

/// How many analyses are kept before the cache starts again.
pub(crate) const ANALYSES_KEPT: usize = 256;

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
    pub(crate) analyses: Arc<Mutex<AnalysisCache>>,
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
