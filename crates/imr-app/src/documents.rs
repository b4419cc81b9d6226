//! Documents received for a case: stored byte for byte with the workflow step that counts them
//! as records, both in one transaction. The same bytes twice (a double click, a resend, the
//! same file named twice) are one document.

use imr_case::{Action, Case, CaseNumber};
use imr_store::{DocumentInfo, NewDocument};
use jiff::civil::DateTime;
use sha2::{Digest, Sha256};

use crate::app::App;
use crate::error::AppError;

/// A document received for a case, stored byte for byte, and counted as records.
pub struct Upload<'a> {
    pub kind: String,
    pub filename: Option<String>,
    pub media_type: String,
    pub bytes: &'a [u8],
    /// The records are complete with this document.
    pub complete: bool,
}

/// The SHA-256 of a document's bytes, as the store keeps it (lower-case hex).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl App {
    /// Whether documents of `kind` with these SHA-256s may be received for the case now: the
    /// kind named, the workflow willing, and none of them a copy of a stored document or of
    /// another of them. Checked before a batch stores anything.
    pub async fn check_records(
        &self,
        case: &Case,
        kind: &str,
        sha256s: &[String],
        at: DateTime,
        actor: &str,
    ) -> Result<(), AppError> {
        if kind.trim().is_empty() {
            return Err(AppError::EmptyKind);
        }
        let stored = self.store.documents(&case.number).await?;
        for (i, sha256) in sha256s.iter().enumerate() {
            if let Some(earlier) = stored.iter().find(|d| d.sha256 == *sha256) {
                return Err(AppError::AlreadyReceived {
                    case: case.number.clone(),
                    earlier: earlier.clone(),
                });
            }
            if let Some(earlier) = sha256s[..i].iter().position(|s| s == sha256) {
                return Err(AppError::SameFileTwice { index: i, earlier });
            }
        }
        // The workflow step the documents would make, tried on the case as it is.
        let probe = Action::ReceiveRecords {
            document_id: 0,
            sha256: String::new(),
            kind: kind.into(),
            size: 1,
            complete: false,
        };
        case.apply(probe, at, actor, &self.rules)?;
        Ok(())
    }

    /// Stores one document of a case with its workflow step (completing the records when the
    /// upload says so): both or neither.
    pub async fn add_document(
        &self,
        number: &CaseNumber,
        upload: Upload<'_>,
        at: DateTime,
        actor: &str,
    ) -> Result<(DocumentInfo, Case), AppError> {
        let Some(read) = self.store.load_case(number).await? else {
            return Err(AppError::NoCase(number.clone()));
        };
        let sha256 = sha256_hex(upload.bytes);
        self.check_records(&read.value, &upload.kind, &[sha256], at, actor)
            .await?;
        let mut source = upload.bytes;
        let (case, info) = self
            .store
            .receive_records(
                NewDocument {
                    case_number: number.clone(),
                    kind: upload.kind,
                    filename: upload.filename,
                    media_type: upload.media_type,
                    received_at: at,
                    declared_size: Some(upload.bytes.len() as u64),
                    actor: actor.to_string(),
                },
                &mut source,
                upload.complete,
                &self.rules,
            )
            .await?;
        Ok((info, case))
    }
}
