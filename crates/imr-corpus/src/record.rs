//! One published disputed item as the corpus keeps it: the facts a search filters on, and the
//! texts it matches, flattened from a [`Determination`].

use imr_core::{Decision, Determination};
use imr_reading::request::read_request;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A disputed item of a published determination, with what the corpus needs of its letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRecord {
    /// The case number, or for a letter without one its content id (see [`letter_id`]).
    pub case_number: String,
    /// 0-based position of the item in its letter.
    pub item_index: u32,
    pub decision_date: Option<Date>,
    pub decision: Option<Decision>,
    /// The service category's serde name ("physical_therapy").
    pub service: String,
    /// The guidelines the IMR organization cited (names, without section or pages), in order.
    pub guidelines: Vec<String>,
    /// The IMR organization's guideline line as the letter prints it.
    pub guideline_line: Option<String>,
    pub specialties: Vec<String>,
    /// Body regions' serde names ("lumbar_spine").
    pub body_regions: Vec<String>,
    pub request: String,
    pub summary: String,
    pub rationale: String,
}

/// The letter's identity in the corpus: its case number, or, for a letter published without one,
/// `sha256-` and the start of a hash of what was read from it (so the same letter read twice,
/// from its PDF or its text, is one letter).
pub fn letter_id(determination: &Determination) -> String {
    if let Some(case) = determination.case_number.as_deref() {
        return case.to_string();
    }
    let mut content = determination.clone();
    content.source = None;
    let bytes = serde_json::to_vec(&content).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    format!("sha256-{}", hex::encode(&digest[..8]))
}

/// The items of a determination as corpus records; `case_number` is the [`letter_id`].
pub fn item_records(determination: &Determination) -> Vec<ItemRecord> {
    let case_number = letter_id(determination);
    let case_number = case_number.as_str();
    let summary = determination.clinical_summary.clone().unwrap_or_default();
    determination
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let request = read_request(&item.request);
            let mut body_regions: Vec<String> = request
                .body_regions
                .iter()
                .map(|r| r.as_str().to_string())
                .collect();
            if body_regions.is_empty() {
                // The request reader may not fill regions yet; the anatomy scanner is the same
                // vocabulary, so fall back to it rather than lose the filter.
                for mention in imr_reading::extract::anatomy::regions(&item.request) {
                    let name = mention.region.as_str().to_string();
                    if !body_regions.contains(&name) {
                        body_regions.push(name);
                    }
                }
            }
            let mut guidelines: Vec<String> = Vec::new();
            for citation in &item.citations {
                if !guidelines.contains(&citation.guideline) {
                    guidelines.push(citation.guideline.clone());
                }
            }
            ItemRecord {
                case_number: case_number.to_string(),
                item_index: u32::try_from(i).unwrap_or(u32::MAX),
                decision_date: determination.decision_date,
                decision: item.decision,
                service: request.service.as_str().to_string(),
                guidelines,
                guideline_line: item.imro_guideline.clone(),
                // One name per specialty, whichever way the letter spelled it.
                specialties: determination
                    .reviewer
                    .specialties
                    .iter()
                    .map(|s| imr_case::canonical_specialty(s))
                    .collect(),
                body_regions,
                request: item.request.clone(),
                summary: summary.clone(),
                rationale: item.rationale.clone().unwrap_or_default(),
            }
        })
        .collect()
}
