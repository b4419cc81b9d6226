//! Opening a case for an application: the fields checked, eligibility decided against the
//! open cases, and the case saved with its audit entry (and the file the application came as,
//! in the same transaction, when there is one).

use imr_case::{Application, Case};
use imr_store::ReceivedFile;
use jiff::civil::DateTime;

use crate::app::App;
use crate::error::AppError;

impl App {
    /// Opens a case for `application` received at `at`; `file` is the application as received
    /// (its JSON, the form's PDF), kept byte for byte with the case.
    pub async fn open_case(
        &self,
        application: Application,
        file: Option<ReceivedFile<'_>>,
        at: DateTime,
        actor: &str,
    ) -> Result<Case, AppError> {
        let errors = application.validate(at.date());
        if !errors.is_empty() {
            return Err(AppError::InvalidApplication(errors));
        }
        let (case, _) =
            imr_store::open_case_with(self.store.as_ref(), application, at, actor, file).await?;
        Ok(case)
    }
}
