//! Assigning a reviewer: the reviewers ranked for the case (conflict-free first, each with the
//! reasons it qualifies or is excluded), and the one chosen by hand or the best qualified
//! assigned through the workflow, which refuses a conflict even by hand.

use imr_case::assignment::{self, Assessment};
use imr_case::{Action, Case, Needed, NoticeMethod, Reviewer};
use imr_store::transition;
use jiff::civil::DateTime;

use crate::app::App;
use crate::error::AppError;

/// The reviewers weighed for a case, qualified first, each with its reasons.
pub struct Candidates {
    /// The specialties the case calls for, and the rules of the map that said so.
    pub needed: Needed,
    pub ranked: Vec<Assessment>,
    /// Every reviewer on file.
    pub reviewers: Vec<Reviewer>,
}

impl App {
    /// What the case's condition and disputed items call for, by the specialty map.
    fn needed(&self, case: &Case) -> Needed {
        let app = &case.application;
        self.specialty_map.needed(
            std::iter::once(app.condition.as_str())
                .chain(app.ur_decision.items.iter().map(|i| i.request.as_str())),
        )
    }

    /// The reviewers ranked for the case, with why each qualifies or is excluded.
    pub async fn candidates(&self, case: &Case) -> Result<Candidates, AppError> {
        let needed = self.needed(case);
        let reviewers = self.store.reviewers().await?;
        let loads = self.store.reviewer_loads().await?;
        let ranked = assignment::rank(&case.application, &needed, &reviewers, &loads);
        Ok(Candidates {
            needed,
            ranked,
            reviewers,
        })
    }

    /// Assigns `by_hand`, or the best qualified reviewer of `candidates` (made for `case`).
    pub async fn assign(
        &self,
        case: &Case,
        candidates: Candidates,
        by_hand: Option<&str>,
        notice: NoticeMethod,
        at: DateTime,
        actor: &str,
    ) -> Result<Case, AppError> {
        let chosen = match by_hand {
            Some(id) => id.to_string(),
            None => match candidates.ranked.iter().find(|a| a.qualifies()) {
                Some(best) => best.reviewer_id.clone(),
                None => return Err(AppError::NoQualifiedReviewer(case.number.clone())),
            },
        };
        let Some(reviewer) = candidates.reviewers.into_iter().find(|r| r.id == chosen) else {
            return Err(AppError::NoReviewer(chosen));
        };
        let load = candidates
            .ranked
            .iter()
            .find(|a| a.reviewer_id == chosen)
            .map_or(0, |a| a.load);
        let needed = candidates.needed;
        let by_hand = by_hand.is_some();
        let action = move |_: &Case| Action::Assign {
            reviewer: reviewer.clone(),
            needed: needed.clone(),
            load,
            notice,
            by_hand,
        };
        Ok(transition(
            self.store.as_ref(),
            &case.number,
            at,
            actor,
            &self.rules,
            &action,
        )
        .await?)
    }
}
