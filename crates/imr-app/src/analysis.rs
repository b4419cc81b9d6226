//! What reading and reviewing a case give: its clinical text with where each document lies in
//! it, the documents left out, and the engine's findings. Plain values, kept per case version.

use imr_case::proposal;
use imr_rules::engine::CaseFindings;
use serde::Serialize;

/// A case's clinical text read and reviewed.
pub struct Analysis {
    pub text: String,
    /// The facts extracted from `text`, with their spans.
    pub facts: Vec<imr_reading::extract::Fact>,
    pub findings: CaseFindings,
    /// The documents whose text could not be read, so are not in `text`.
    pub unreadable: Vec<Unreadable>,
    /// Where each document's text lies in `text`.
    pub sources: Sources,
}

/// A case's clinical text and the documents left out of it.
pub struct ClinicalText {
    pub text: String,
    pub unreadable: Vec<Unreadable>,
    pub sources: Sources,
}

/// A document whose text could not be read, and why (words that never quote the document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub document_id: i64,
    pub reason: String,
}

/// The documents a case's clinical text was joined from, to find a span of it in its document.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    placements: Vec<proposal::Placement>,
    /// Per document joined (by `Placement::document`): its id, whether it is a PDF, its lines.
    documents: Vec<(i64, bool, proposal::Lines)>,
}

/// Where a span of the clinical text is in its document: the document, the span's bytes in
/// the document's text (as its page shows it), its page (PDFs) and line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    pub document_id: i64,
    pub start: usize,
    pub end: usize,
    /// The page, counted from 1 (a PDF's; `None` for text).
    pub page: Option<usize>,
    /// The line, counted from 1: in its page for a PDF, in the text otherwise.
    pub line: usize,
}

impl Sources {
    pub(crate) fn new(
        placements: Vec<proposal::Placement>,
        documents: Vec<(i64, bool, proposal::Lines)>,
    ) -> Sources {
        Sources {
            placements,
            documents,
        }
    }

    /// Where the span `start..end` of the clinical text is, if inside one document.
    pub fn locate(&self, start: usize, end: usize) -> Option<Located> {
        let (index, start, end) = proposal::locate(&self.placements, start, end)?;
        let (document_id, pdf, lines) = self.documents.get(index)?;
        let place = lines.place(start);
        Some(Located {
            document_id: *document_id,
            start,
            end,
            page: pdf.then_some(place.page),
            line: place.line,
        })
    }
}
