//! Signing: a reviewer's draft checked against the case and the engine's proposal (nothing
//! signed that the reviewer did not choose item by item: `Case::check_draft`), then signed
//! compare-and-set on the version checked, in the transaction that also deletes the case's
//! sign drafts. A draft of the sign form is kept until then, never signed by itself.

use imr_case::workflow::ItemDecision;
use imr_case::{Action, AuditEntry, Case, CaseNumber, Draft, Proposed};
use imr_store::{DraftSaved, SignDraft, StoreError, Versioned};
use jiff::civil::DateTime;

use crate::app::App;
use crate::error::AppError;

/// A draft that passed the checks for signing, with the case it was checked against.
#[derive(Debug)]
pub struct Checked {
    pub case: Case,
    /// The case's version: what the reviewer previewed is what is signed only if it holds.
    pub version: i64,
    pub reviewer_id: String,
    pub decisions: Vec<ItemDecision>,
    pub clinical_summary: String,
}

impl App {
    /// `draft` checked against the case read at its version and the engine's proposal for it:
    /// records complete and a clinical summary, every item decided with its guideline and a
    /// rationale that does not conclude the opposite; an engine's rationale only where it
    /// decided. [`AppError::CannotSign`] names each problem.
    pub async fn check_draft(
        &self,
        read: Versioned<Case>,
        reviewer_id: &str,
        draft: &Draft,
        at: DateTime,
    ) -> Result<Checked, AppError> {
        let analysis = self.analysis(&read.value, read.version, at).await?;
        let proposed: Vec<Proposed<'_>> = analysis
            .findings
            .items
            .iter()
            .map(|f| Proposed {
                decision: f.decision,
                rationale: &f.rationale,
            })
            .collect();
        match read.value.check_draft(draft, &proposed) {
            Ok((decisions, clinical_summary)) => Ok(Checked {
                case: read.value,
                version: read.version,
                reviewer_id: reviewer_id.to_string(),
                decisions,
                clinical_summary,
            }),
            Err(problems) => Err(AppError::CannotSign {
                case: read.value.number,
                problems,
            }),
        }
    }

    /// Signs a checked draft if the case is still at `previewed` (the version the reviewer
    /// read), up to the transaction that signs; the workflow makes the last checks (the
    /// assignee, each item once, not signed before). Otherwise
    /// [`AppError::ChangedSinceChecked`], and nothing is signed.
    pub async fn sign(
        &self,
        checked: Checked,
        previewed: i64,
        at: DateTime,
        actor: &str,
    ) -> Result<Case, AppError> {
        let Checked {
            case,
            version,
            reviewer_id,
            decisions,
            clinical_summary,
        } = checked;
        let changed = || AppError::ChangedSinceChecked(case.number.clone());
        if version != previewed {
            return Err(changed());
        }
        let Some(current) = self.store.load_case(&case.number).await? else {
            return Err(AppError::NoCase(case.number.clone()));
        };
        if current.version != previewed {
            return Err(changed());
        }
        let action = Action::Sign {
            reviewer_id,
            decisions,
            clinical_summary: Some(clinical_summary),
        };
        let (next, entry) = current.value.apply(action, at, actor, &self.rules)?;
        // Saved only if no one saved the case since `previewed`.
        match self.store.update_case(&next, previewed, &entry).await {
            Ok(_) => Ok(next),
            Err(StoreError::VersionConflict { .. }) => Err(changed()),
            Err(e) => Err(e.into()),
        }
    }

    /// Keeps `form` (the sign form's fields as typed) as the user's draft of the case;
    /// `None` when the case has no sign form left to keep (signed or closed meanwhile). The
    /// first draft of a case is audited, and so is one kept after the session ended.
    pub async fn save_draft(
        &self,
        case: &CaseNumber,
        user_id: i64,
        form: String,
        after_session_ended: bool,
        at: DateTime,
        actor: &str,
    ) -> Result<Option<SignDraft>, AppError> {
        let draft = SignDraft { form, saved_at: at };
        let started = AuditEntry::new(at, actor.to_string(), "sign_draft.started", "");
        match self.store.save_draft(case, user_id, &draft, &started).await {
            Ok(DraftSaved::Started | DraftSaved::Replaced) => {}
            Err(StoreError::NoDraft { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        }
        if after_session_ended {
            self.audit(
                case,
                at,
                actor,
                "sign_draft.kept",
                "sent after the session ended for want of use",
            )
            .await?;
        }
        Ok(Some(draft))
    }
}
