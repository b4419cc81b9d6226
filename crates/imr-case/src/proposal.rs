//! From a stored case to the engine's proposal: the one path the workbench, the API and the
//! command line share, so that they propose the same findings for the same case.
//!
//! The caller reads the documents (the store, the PDF reader) and passes their texts; this
//! module joins them into the clinical text, reads the facts once, builds the engine's input
//! and reviews it. A proposal is never a decision: the physician signs or changes it.

use jiff::civil::Date;

use super::workflow::Case;
use imr_core::model::{Determination, Item};
use imr_reading::case_file::{CaseFile, CaseRequest};
use imr_reading::extract::{self, Fact};
use imr_rules::engine::{CaseFindings, Status, adapt, review};
use imr_rules::guidelines::Guidelines;

/// How a stored document's text is read: what its media type says, else what its bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Text as stored (bytes that are not UTF-8 are replaced, never refused).
    Text,
    /// Through the PDF reader, under its limits.
    Pdf,
}

/// The kind of document under which the IMR organization keeps a signed letter's redacted
/// public copy: its own output, never part of the case's records.
pub const PUBLIC_COPY_KIND: &str = "public copy";

/// The kind of document under which a case keeps the application as received (its JSON, or
/// the form's PDF attached at intake): the parties and the requests, never clinical text.
pub const APPLICATION_KIND: &str = "application";

/// How the document is read into the clinical text, or `None` when it holds none (the
/// application form as received, an image, the organization's own public copy): `text/*` as
/// text, else a PDF by its bytes.
pub fn reading(kind: &str, media_type: &str, looks_like_pdf: bool) -> Option<Reading> {
    if kind == PUBLIC_COPY_KIND || kind == APPLICATION_KIND {
        None
    } else if media_type.starts_with("text/") {
        Some(Reading::Text)
    } else if looks_like_pdf {
        Some(Reading::Pdf)
    } else {
        None
    }
}

/// What separates two documents in the clinical text: a blank line. The extractor ends a
/// sentence at a blank line, so the last words of one document never run into the first of
/// the next (a negation or a date carried across to another visit's note).
pub const DOCUMENT_SEPARATOR: &str = "\n\n";

/// The clinical text of a case: its documents' texts, in the order received, each trimmed and
/// separated by a blank line; documents with no text add nothing.
pub fn clinical_text<S: AsRef<str>>(documents: &[S]) -> String {
    placed_text(documents).0
}

/// Where one document's text lies in the clinical text, so that a span of the clinical text
/// (a fact's, an evidence's) can be shown in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// The document's place in the list the clinical text was joined from.
    pub document: usize,
    /// Its bytes in the clinical text.
    pub start: usize,
    pub end: usize,
    /// Where those bytes begin in the document's own text (the leading blanks trimmed off).
    pub offset: usize,
}

/// [`clinical_text`], with where each document's text went (documents with no text have none).
pub fn placed_text<S: AsRef<str>>(documents: &[S]) -> (String, Vec<Placement>) {
    let mut text = String::new();
    let mut placements = Vec::new();
    for (document, whole) in documents.iter().map(AsRef::as_ref).enumerate() {
        let part = whole.trim();
        if part.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str(DOCUMENT_SEPARATOR);
        }
        placements.push(Placement {
            document,
            start: text.len(),
            end: text.len() + part.len(),
            offset: whole.len() - whole.trim_start().len(),
        });
        text.push_str(part);
    }
    (text, placements)
}

/// A span of the clinical text in its document: the document's place in the list, and the
/// span's bytes in the document's own text; `None` for a span not inside one document.
pub fn locate(placements: &[Placement], start: usize, end: usize) -> Option<(usize, usize, usize)> {
    let at = placements.partition_point(|p| p.end < end);
    let p = placements.get(at)?;
    (p.start <= start && start <= end && end <= p.end).then(|| {
        let shift = p.offset + start - p.start;
        (p.document, shift, shift + (end - start))
    })
}

/// The pages and lines of a document's text, to name a place in it: pages end at form feeds
/// (as the PDF reader ends every page), lines at line feeds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    /// Where each page after the first begins.
    page_starts: Vec<usize>,
    /// Where each line after the first begins (a page's first line included).
    line_starts: Vec<usize>,
}

/// A place in a document's text, counted from 1: the page, and the line in that page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub page: usize,
    pub line: usize,
}

impl Lines {
    pub fn of(text: &str) -> Lines {
        let mut lines = Lines::default();
        for (at, byte) in text.bytes().enumerate() {
            match byte {
                b'\x0c' => {
                    lines.page_starts.push(at + 1);
                    lines.line_starts.push(at + 1);
                }
                b'\n' => lines.line_starts.push(at + 1),
                _ => {}
            }
        }
        lines
    }

    /// The page and line of the byte at `offset`.
    pub fn place(&self, offset: usize) -> Place {
        let pages_before = self.page_starts.partition_point(|&s| s <= offset);
        let lines_up_to = self.line_starts.partition_point(|&s| s <= offset);
        // A page's first line starts where the page does, so it is among `lines_up_to`.
        let line = match pages_before.checked_sub(1).map(|p| self.page_starts[p]) {
            None => lines_up_to + 1,
            Some(page_start) => lines_up_to - self.line_starts.partition_point(|&s| s < page_start),
        };
        Place {
            page: pages_before + 1,
            line,
        }
    }
}

/// A stored case as the engine reads it: its application's header and disputed items, with
/// `clinical_text` (see [`clinical_text`]) as the summary. For a modification, the item as
/// requested is the original request and UR's authorization is what was authorized.
pub fn case_file(case: &Case, clinical_text: String) -> CaseFile {
    let app = &case.application;
    CaseFile {
        case_number: Some(case.number.to_string()),
        date_of_injury: Some(app.date_of_injury),
        ur_denial_date: Some(app.ur_decision.date),
        clinical_summary: clinical_text,
        requests: app
            .ur_decision
            .items
            .iter()
            .map(|i| CaseRequest {
                item: i.request.clone(),
                original_request: i.authorized.as_ref().map(|_| i.request.clone()),
                authorized: i.authorized.clone(),
            })
            .collect(),
    }
}

/// A case file read and reviewed: the facts of its summary (with their spans, for showing) and
/// the engine's findings, from one reading of the text.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub facts: Vec<Fact>,
    pub findings: CaseFindings,
}

/// Reads the facts of a case file once and reviews every disputed item with them. `as_of`
/// overrides the date whose guideline version applies (by default the UR decision's).
pub fn analyse(file: &CaseFile, guidelines: &Guidelines, as_of: Option<Date>) -> Analysis {
    let document = extract::read(&file.clinical_summary);
    let requests: Vec<adapt::RequestText> = file
        .requests
        .iter()
        .map(|r| adapt::RequestText {
            item: &r.item,
            original_request: r.original_request.as_deref(),
            authorized: r.authorized.as_deref(),
        })
        .collect();
    let input = adapt::build_from_document(
        file.case_number.clone(),
        file.date_of_injury,
        file.ur_denial_date,
        &document,
        &requests,
        &guidelines.thresholds,
    );
    let findings = review(guidelines, &input, as_of);
    Analysis {
        facts: document.facts().to_vec(),
        findings,
    }
}

/// Why the engine's findings make no letter by themselves.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposalError {
    /// Items the engine leaves to a physician, named by their place (`requests[1]`).
    #[error(
        "{} need(s) physician review: the engine proposes no decision for them; decide them and write the letter from the determination JSON",
        .0.join(", ")
    )]
    Undecided(Vec<String>),
    #[error("the engine gave {findings} finding(s) for {requests} request(s)")]
    Mismatch { findings: usize, requests: usize },
}

/// The determination the engine proposes for a case file: every item must have been decided;
/// an item the engine leaves to a physician stops it (the engine proposes, a physician decides).
pub fn proposed_determination(
    file: &CaseFile,
    findings: &CaseFindings,
    decision_date: Option<Date>,
) -> Result<Determination, ProposalError> {
    let undecided: Vec<String> = findings
        .items
        .iter()
        .enumerate()
        .filter(|(_, f)| f.status != Status::Decided || f.decision.is_none())
        .map(|(i, _)| format!("requests[{i}]"))
        .collect();
    if !undecided.is_empty() {
        return Err(ProposalError::Undecided(undecided));
    }
    if findings.items.len() != file.requests.len() {
        return Err(ProposalError::Mismatch {
            findings: findings.items.len(),
            requests: file.requests.len(),
        });
    }
    let items = file
        .requests
        .iter()
        .zip(&findings.items)
        .map(|(request, finding)| {
            let imro_guideline = finding.citation.as_deref().map(|citation| {
                let citation = citation.trim().trim_end_matches('.');
                format!("Decision based on {citation}.")
            });
            Item {
                original_request: request.original_request.clone(),
                authorized: request.authorized.clone(),
                decision: finding.decision,
                imro_guideline,
                rationale: Some(finding.rationale.clone()).filter(|r| !r.trim().is_empty()),
                ..Item::new(request.item.clone())
            }
        })
        .collect();
    Ok(Determination {
        case_number: file.case_number.clone(),
        decision_date,
        date_of_injury: file.date_of_injury,
        ur_denial_date: file.ur_denial_date,
        clinical_summary: Some(file.clinical_summary.clone()).filter(|s| !s.trim().is_empty()),
        items,
        ..Determination::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_trimmed_and_separated_by_a_blank_line() {
        let text = clinical_text(&["  First note.\n", "", "\nSecond note"]);
        assert_eq!(text, "First note.\n\nSecond note");
        assert_eq!(clinical_text::<&str>(&[]), "");
    }

    #[test]
    fn a_span_of_the_clinical_text_is_found_in_its_document() {
        let documents = [
            "First note.\n",
            "",
            "\n\n  Second note: pain.\x0cPage two: gait.",
        ];
        let (text, placements) = placed_text(&documents);
        assert_eq!(text, clinical_text(&documents));
        assert_eq!(placements.len(), 2, "the empty document has no place");
        let pain = text.find("pain").expect("in the text");
        let (doc, start, end) = locate(&placements, pain, pain + 4).expect("located");
        assert_eq!(doc, 2);
        assert_eq!(&documents[2][start..end], "pain");
        let first = text.find("First").expect("in the text");
        assert_eq!(locate(&placements, first, first + 5), Some((0, 0, 5)));
        // The separator belongs to no document.
        let gap = text.find("\n\n").expect("separator");
        assert_eq!(locate(&placements, gap, gap + 2), None);
        assert_eq!(locate(&placements, 0, text.len()), None);
    }

    #[test]
    fn a_place_is_a_page_and_a_line_in_it() {
        let text = "one\ntwo\n\n\x0cthree\nfour\x0c\x0cfive";
        let lines = Lines::of(text);
        let at = |word: &str| lines.place(text.find(word).expect("word"));
        assert_eq!(at("one"), Place { page: 1, line: 1 });
        assert_eq!(at("two"), Place { page: 1, line: 2 });
        assert_eq!(at("three"), Place { page: 2, line: 1 });
        assert_eq!(at("four"), Place { page: 2, line: 2 });
        assert_eq!(at("five"), Place { page: 4, line: 1 });
        let plain = Lines::of("a\nb\nc");
        assert_eq!(plain.place(4), Place { page: 1, line: 3 });
    }

    #[test]
    fn text_is_read_by_its_media_type_and_a_pdf_by_its_bytes() {
        assert_eq!(
            reading("medical records", "text/plain", false),
            Some(Reading::Text)
        );
        assert_eq!(reading(PUBLIC_COPY_KIND, "application/pdf", true), None);
        assert_eq!(
            reading("medical records", "text/plain; charset=utf-8", true),
            Some(Reading::Text)
        );
        assert_eq!(
            reading("medical records", "application/octet-stream", true),
            Some(Reading::Pdf)
        );
        assert_eq!(reading("application", "application/json", false), None);
        assert_eq!(
            reading(APPLICATION_KIND, "application/pdf", true),
            None,
            "the application's PDF holds no clinical text"
        );
    }

    #[test]
    fn analysis_reads_the_facts_the_engine_reviews() {
        let file = CaseFile {
            case_number: Some("CM26-0000001".into()),
            date_of_injury: Some(jiff::civil::date(2025, 3, 1)),
            ur_denial_date: Some(jiff::civil::date(2026, 1, 10)),
            clinical_summary: "No clinical text.".into(),
            requests: vec![CaseRequest {
                item: "Physical therapy 2x6 lumbar spine".into(),
                original_request: None,
                authorized: None,
            }],
        };
        let guidelines = Guidelines::embedded().expect("the built-in guidelines load");
        let a = analyse(&file, &guidelines, None);
        let direct = review(
            &guidelines,
            &adapt::from_case_file(&file, &guidelines.thresholds),
            None,
        );
        assert_eq!(a.findings, direct);
        assert_eq!(a.facts, extract::facts(&file.clinical_summary));
    }

    #[test]
    fn an_undecided_item_stops_the_proposed_letter_by_its_place() {
        let file = CaseFile {
            case_number: None,
            date_of_injury: None,
            ur_denial_date: None,
            clinical_summary: String::new(),
            requests: vec![CaseRequest {
                item: "Something the rules do not know".into(),
                original_request: None,
                authorized: None,
            }],
        };
        let guidelines = Guidelines::embedded().expect("the built-in guidelines load");
        let a = analyse(&file, &guidelines, None);
        let err = proposed_determination(&file, &a.findings, None).expect_err("undecided");
        assert_eq!(err, ProposalError::Undecided(vec!["requests[0]".into()]));
    }
}
