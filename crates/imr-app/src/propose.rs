//! The engine's proposal for a case: its documents read into the clinical text (the one
//! reading loop), the facts read once and every disputed item reviewed, off the async runtime.
//! Kept per (case, version), so a page view does not read the records again.

use std::sync::Arc;

use imr_case::Case;
use imr_case::proposal;
use jiff::civil::DateTime;

use crate::analysis::{Analysis, ClinicalText};
use crate::app::{ANALYSES_KEPT, App};
use crate::error::AppError;

impl App {
    /// The analysis of `case` as stored at `version` (a PDF found unreadable is marked so at
    /// `at`).
    pub async fn analysis(
        &self,
        case: &Case,
        version: i64,
        at: DateTime,
    ) -> Result<Arc<Analysis>, AppError> {
        let key = (case.number.to_string(), version);
        // A poisoned cache is only a miss: the analysis is made again, nothing is let through.
        if let Some(hit) = self.analyses.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(hit);
        }
        let ClinicalText {
            text,
            unreadable,
            sources,
        } = self.read_clinical_text(case, at).await?;
        // Reading the records through the engine takes time in proportion to them: not on the
        // async runtime, where it would hold up everything else.
        let file = proposal::case_file(case, text);
        let guidelines = self.guidelines.clone();
        let (file, analysed) = tokio::task::spawn_blocking(move || {
            let analysed = proposal::analyse(&file, &guidelines, None);
            (file, analysed)
        })
        .await
        .map_err(|_| AppError::Internal("analysing the case's records"))?;
        let value = Arc::new(Analysis {
            text: file.clinical_summary,
            facts: analysed.facts,
            findings: analysed.findings,
            unreadable,
            sources,
        });
        if let Ok(mut m) = self.analyses.lock() {
            if m.len() >= ANALYSES_KEPT {
                m.clear();
            }
            m.insert(key, value.clone());
        }
        Ok(value)
    }

    /// The analysis of a case as it is stored now (for a caller that holds the case but not
    /// its version): one read of the case, then usually the kept analysis.
    pub async fn current_analysis(
        &self,
        case: &Case,
        at: DateTime,
    ) -> Result<Arc<Analysis>, AppError> {
        let Some(read) = self.store.load_case(&case.number).await? else {
            return Err(AppError::NoCase(case.number.clone()));
        };
        self.analysis(&read.value, read.version, at).await
    }
}
