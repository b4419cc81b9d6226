//! The one reading loop: a case's stored documents into its clinical text, each document read
//! as text or through the PDF reader under its limits, on a blocking thread, a few PDFs at a
//! time. A PDF that cannot be read is marked in the store with why, and not read again; a
//! document's own page reads it the same way. An upload is read the same way before it is
//! stored ([`check_upload_within`]).

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;
use imr_case::Case;
use imr_case::proposal::{self, Reading};
use imr_store::DocumentInfo;
use jiff::civil::DateTime;

use crate::analysis::{ClinicalText, Sources, Unreadable};
use crate::app::App;
use crate::error::AppError;

/// PDFs read at once, at most: each may take up to the reader's limits in memory.
static PDF_READS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// What one stored document gives the clinical text.
enum DocumentReading {
    Text {
        text: String,
        pdf: bool,
    },
    Unreadable(String),
    /// Not clinical text (the application, the public copy, an image).
    NoText,
}

impl App {
    /// Reads every text or PDF document of a case, in order, into its clinical text
    /// ([`proposal::placed_text`]); a PDF that fails is marked unreadable at `at`.
    pub async fn read_clinical_text(
        &self,
        case: &Case,
        at: DateTime,
    ) -> Result<ClinicalText, AppError> {
        let marked: BTreeMap<i64, String> = self
            .store
            .unreadable_documents(&case.number)
            .await?
            .into_iter()
            .collect();
        let mut parts = Vec::new();
        let mut documents = Vec::new();
        let mut unreadable = Vec::new();
        for doc in self.store.documents(&case.number).await? {
            let reading = match marked.get(&doc.id) {
                Some(reason) => DocumentReading::Unreadable(reason.clone()),
                None => self.read_document(&doc, at).await?,
            };
            match reading {
                DocumentReading::Text { text, pdf } => {
                    documents.push((doc.id, pdf, proposal::Lines::of(&text)));
                    parts.push(text);
                }
                DocumentReading::Unreadable(reason) => unreadable.push(Unreadable {
                    document_id: doc.id,
                    reason,
                }),
                DocumentReading::NoText => {}
            }
        }
        let (text, placements) = proposal::placed_text(&parts);
        Ok(ClinicalText {
            text,
            unreadable,
            sources: Sources::new(placements, documents),
        })
    }

    /// The text one stored document gives the clinical text, or why it gives none.
    pub async fn document_text(
        &self,
        doc: &DocumentInfo,
        at: DateTime,
    ) -> Result<Result<String, String>, AppError> {
        let marked = self
            .store
            .unreadable_documents(&doc.case_number)
            .await?
            .into_iter()
            .find(|(id, _)| *id == doc.id);
        if let Some((_, reason)) = marked {
            return Ok(Err(reason));
        }
        Ok(match self.read_document(doc, at).await? {
            DocumentReading::Text { text, .. } => Ok(text),
            DocumentReading::Unreadable(reason) => Err(reason),
            DocumentReading::NoText => Err(
                "this document is not read into the clinical text (its kind or type holds none)"
                    .into(),
            ),
        })
    }

    /// Reads one stored document not yet marked unreadable; marks it if it turns out to be.
    async fn read_document(
        &self,
        doc: &DocumentInfo,
        at: DateTime,
    ) -> Result<DocumentReading, AppError> {
        let bytes = self.store.read_document(doc.id).await?;
        let pdf = imr_pdf::read::looks_like_pdf(&bytes);
        Ok(match proposal::reading(&doc.kind, &doc.media_type, pdf) {
            Some(Reading::Text) => DocumentReading::Text {
                text: imr_pdf::document::text_document(&bytes),
                pdf: false,
            },
            Some(Reading::Pdf) => match read_pdf(bytes).await? {
                Ok(text) => DocumentReading::Text { text, pdf: true },
                Err(reason) => {
                    tracing::warn!(document = doc.id, %reason, "a PDF document could not be read");
                    if let Err(e) = self.store.mark_unreadable(doc.id, &reason, at).await {
                        tracing::error!(document = doc.id, error = %e, "marking it unreadable");
                    }
                    DocumentReading::Unreadable(reason)
                }
            },
            None => DocumentReading::NoText,
        })
    }
}

/// A PDF's text, read off the async runtime under the reader's limits; or why the document
/// cannot be read. The outer error is this process's, not the document's.
async fn read_pdf(bytes: Vec<u8>) -> Result<Result<String, String>, AppError> {
    let _permit = PDF_READS
        .acquire()
        .await
        .map_err(|_| AppError::Internal("reading a document"))?;
    let read = tokio::task::spawn_blocking(move || imr_pdf::read::pdf_text(&bytes))
        .await
        .map_err(|_| AppError::Internal("reading a document"))?;
    Ok(read.map_err(|e| e.to_string()))
}

/// What [`check_upload_within`] found.
pub struct UploadCheck {
    /// Text (`Ok(false)`) or a PDF with a text layer (`Ok(true)`); or why it is refused, in
    /// words that never quote it (empty, binary, a PDF that is damaged, text-less or over a
    /// limit).
    pub result: Result<bool, String>,
    /// The CPU time reading the file took.
    pub cpu: Duration,
    /// The reading was stopped because the CPU time given was spent.
    pub out_of_time: bool,
}

/// What an uploaded file holds, read under the reader's limits with at most `cpu` of CPU
/// time, before it is stored.
pub async fn check_upload_within(bytes: Bytes, cpu: Duration) -> Result<UploadCheck, AppError> {
    let _permit = PDF_READS
        .acquire()
        .await
        .map_err(|_| AppError::Internal("reading a document"))?;
    tokio::task::spawn_blocking(move || {
        let limits = imr_pdf::read::Limits {
            max_cpu: cpu,
            ..Default::default()
        };
        let started = imr_pdf::read::cpu_time();
        let pdf = imr_pdf::read::looks_like_pdf(&bytes);
        let read = imr_pdf::document::document_text_within(&bytes, &limits);
        let out_of_time = matches!(
            read,
            Err(imr_pdf::document::DocumentError::Pdf(
                imr_pdf::read::PdfError::OverLimit(imr_pdf::read::LimitHit::Time { .. })
            ))
        );
        let result = match read {
            Ok(text) if text.trim().is_empty() => Err("it holds no text".to_string()),
            Ok(_) => Ok(pdf),
            Err(e) => Err(e.to_string()),
        };
        UploadCheck {
            result,
            cpu: imr_pdf::read::cpu_time().saturating_sub(started),
            out_of_time,
        }
    })
    .await
    .map_err(|_| AppError::Internal("reading a document"))
}
