//! A case's determination in the letters' model, so that the letter writer can write it.

use super::{Case, Reviewer};
use crate::model::{Determination, Item, ReviewerCredentials};

impl Case {
    /// The determination as the Final Determination Letter states it: the header from the
    /// application and the clock, the reviewer's credentials, and each disputed item with the
    /// signed decision (none before signing).
    pub fn determination(&self, reviewer: Option<&Reviewer>) -> Determination {
        let app = &self.application;
        let signed = self.determination.as_ref();
        let items = app
            .ur_decision
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let decided = signed.and_then(|s| s.decisions.get(i));
                let mut out = Item::new(item.request.clone());
                out.authorized = item.authorized.clone();
                out.decision = decided.map(|d| d.decision);
                out.imro_guideline = decided.and_then(|d| d.guideline.clone());
                out.rationale = decided.map(|d| d.rationale.clone());
                out
            })
            .collect();
        Determination {
            source: None,
            case_number: Some(self.number.to_string()),
            date_assigned: self.assignment.as_ref().map(|a| a.notice_at.date()),
            decision_date: signed.map(|s| s.signed_at.date()),
            date_of_injury: Some(app.date_of_injury),
            ur_denial_date: Some(app.ur_decision.date),
            application_received: Some(app.filed),
            priority: Some(app.priority),
            reviewer: reviewer
                .map(|r| ReviewerCredentials {
                    licensure: r.licensure_states.clone(),
                    specialties: r.board_certifications.clone(),
                    subspecialties: r.subspecialties.clone(),
                })
                .unwrap_or_default(),
            clinical_summary: signed.and_then(|s| s.clinical_summary.clone()),
            items,
            diagnostics: Vec::new(),
        }
    }
}
