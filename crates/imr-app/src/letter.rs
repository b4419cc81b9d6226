//! The Final Determination Letter: written from the case as signed (or as a checked draft would
//! sign it, for the preview) as text, HTML or PDF, and issued through the workflow.

use imr_case::workflow::SignedDetermination;
use imr_case::{Action, Case, CaseNumber};
use imr_letter::write::{LetterOptions, Practice, letter_document, render_text};
use imr_store::transition;
use jiff::civil::DateTime;

use crate::app::App;
use crate::error::AppError;
use crate::sign::Checked;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterFormat {
    Text,
    Html,
    Pdf,
}

impl LetterFormat {
    /// The media type of a letter in this format.
    pub fn media_type(self) -> &'static str {
        match self {
            LetterFormat::Text => "text/plain; charset=utf-8",
            LetterFormat::Html => "text/html; charset=utf-8",
            LetterFormat::Pdf => "application/pdf",
        }
    }
}

impl App {
    /// The letter of a signed case.
    pub async fn letter(&self, case: &Case, format: LetterFormat) -> Result<Vec<u8>, AppError> {
        let Some(signed) = &case.determination else {
            return Err(AppError::NotDetermined {
                case: case.number.clone(),
                status: case.status.to_string(),
            });
        };
        self.render_letter(case, signed, format).await
    }

    /// The letter a checked draft would issue, as HTML: what the reviewer reads before signing.
    pub async fn preview_letter(
        &self,
        checked: &Checked,
        at: DateTime,
    ) -> Result<String, AppError> {
        let signed = SignedDetermination {
            reviewer_id: checked.reviewer_id.clone(),
            signed_at: at,
            decisions: checked.decisions.clone(),
            clinical_summary: Some(checked.clinical_summary.clone()),
        };
        let bytes = self
            .render_letter(&checked.case, &signed, LetterFormat::Html)
            .await?;
        String::from_utf8(bytes).map_err(|_| AppError::Internal("writing the letter preview"))
    }

    /// Issues the letter of a signed case: the last step of the workflow.
    pub async fn issue_letter(
        &self,
        number: &CaseNumber,
        at: DateTime,
        actor: &str,
    ) -> Result<Case, AppError> {
        Ok(transition(
            self.store.as_ref(),
            number,
            at,
            actor,
            &self.rules,
            &|_: &Case| Action::IssueLetter,
        )
        .await?)
    }

    /// The letter of `case` as `signed` states it (signed, or a draft being previewed).
    async fn render_letter(
        &self,
        case: &Case,
        signed: &SignedDetermination,
        format: LetterFormat,
    ) -> Result<Vec<u8>, AppError> {
        let reviewer = self.store.reviewer(&signed.reviewer_id).await?;
        let determination = case.determination_as_signed(reviewer.as_ref(), signed);
        let options = LetterOptions {
            organization: self.organization.clone(),
            practice: reviewer.as_ref().map(|r| Practice {
                years_in_practice: r.years_in_active_practice,
                hours_per_week: r.hours_per_week_in_practice,
            }),
        };
        let document =
            letter_document(&determination, &options).map_err(|e| AppError::NoLetter {
                case: case.number.clone(),
                reason: e.to_string(),
            })?;
        Ok(match format {
            LetterFormat::Text => render_text(&document).into_bytes(),
            LetterFormat::Html => imr_letter::html::render_html(&document).into_bytes(),
            LetterFormat::Pdf => pdf(document).await?,
        })
    }
}

/// A letter as PDF, written off the async runtime.
pub(crate) async fn pdf(document: imr_letter::write::LetterDocument) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || imr_pdf::write::letter_pdf(&document))
        .await
        .map_err(|_| AppError::Internal("writing the PDF"))?
        .map_err(|e| {
            tracing::error!(error = %e, "PDF letter");
            AppError::Internal("writing the PDF")
        })
}
