//! Sections of a record: what a heading says about the sentences under it.
//!
//! "Plan: MRI of the lumbar spine" orders a study, it does not report one; the sentences under
//! "Utilization Review:" are what the first-level reviewer concluded, not what the physician
//! found. A section runs from its heading ("Plan:", "A/P:", "UR decision:") to the next heading
//! or blank line.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// What a section holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Plans, orders, recommendations and requests: care named here is not yet given.
    Plan,
    /// The utilization review's notice or reasons: no finding of the record.
    UrNotice,
    /// Any other heading (history, examination, imaging, assessment): it ends the sections
    /// above.
    Other,
}

/// A section: its heading's kind and the bytes it covers (the heading included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    pub start: usize,
    pub end: usize,
}

/// A heading: at the start of a line or after a sentence's end, words then a colon.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)(?:^|[.!?]\s+|\n)\s*(?:\d+\.\s*)?([a-z][a-z/ '&-]{0,40}?)\s*:")
        .expect("static regex")
});

const PLAN: &[&str] = &[
    "plan",
    "plans",
    "p",
    "a/p",
    "assessment/plan",
    "assessment and plan",
    "assessment & plan",
    "impression/plan",
    "impression and plan",
    "treatment plan",
    "plan of care",
    "plan of treatment",
    "recommendation",
    "recommendations",
    "request",
    "requests",
    "requested",
    "requested treatment",
    "treatment requested",
    "orders",
    "ordered",
    "disposition",
    "next steps",
    "treatment recommendations",
];

const UR_NOTICE: &[&str] = &[
    "ur",
    "utilization review",
    "utilization review decision",
    "utilization review determination",
    "ur decision",
    "ur determination",
    "ur rationale",
    "ur notice",
    "notice of utilization review",
    "ur reviewer",
    "reviewer's rationale",
    "reviewer rationale",
    "peer review",
    "prior review",
    "rationale for non-certification",
    "rationale for denial",
    "reason for denial",
    "basis for decision",
];

const OTHER: &[&str] = &[
    "s",
    "o",
    "a",
    "subjective",
    "objective",
    "assessment",
    "impression",
    "hpi",
    "history",
    "history of present illness",
    "past medical history",
    "pmh",
    "exam",
    "examination",
    "physical exam",
    "physical examination",
    "pe",
    "diagnosis",
    "diagnoses",
    "dx",
    "medications",
    "current medications",
    "meds",
    "imaging",
    "diagnostic studies",
    "studies",
    "findings",
    "work status",
    "chief complaint",
    "cc",
    "treatment to date",
    "prior treatment",
    "response to treatment",
    "functional status",
    "function",
    "neuro",
    "mri",
    "emg",
    "x-rays",
];

fn kind_of(heading: &str) -> Option<SectionKind> {
    let h = heading.trim().to_ascii_lowercase();
    let h = h.as_str();
    if PLAN.contains(&h) {
        Some(SectionKind::Plan)
    } else if UR_NOTICE.contains(&h) {
        Some(SectionKind::UrNotice)
    } else if OTHER.contains(&h) {
        Some(SectionKind::Other)
    } else {
        None
    }
}

/// The sections of `text`, in order; text before the first heading is in none.
pub(crate) fn sections(text: &str) -> Vec<Section> {
    let mut headings: Vec<(usize, SectionKind)> = HEADING
        .captures_iter(text)
        .filter_map(|c| {
            let words = c.get(1)?;
            kind_of(words.as_str()).map(|k| (words.start(), k))
        })
        .collect();
    // A blank line ends a section too.
    let breaks: Vec<usize> = text.match_indices("\n\n").map(|(i, _)| i).collect();
    headings.sort_by_key(|h| h.0);
    let mut out = Vec::with_capacity(headings.len());
    for (i, &(start, kind)) in headings.iter().enumerate() {
        let next_heading = headings.get(i + 1).map_or(text.len(), |h| h.0);
        let next_break = breaks
            .iter()
            .copied()
            .find(|&b| b > start)
            .unwrap_or(text.len());
        out.push(Section {
            kind,
            start,
            end: next_heading.min(next_break),
        });
    }
    out
}

/// The kind of the section holding byte `at`, if any.
pub(crate) fn section_at(sections: &[Section], at: usize) -> Option<SectionKind> {
    let i = sections.partition_point(|s| s.start <= at);
    i.checked_sub(1)
        .map(|i| sections[i])
        .filter(|s| at < s.end)
        .map(|s| s.kind)
}
