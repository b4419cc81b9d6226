//! One published disputed item as the corpus keeps it: the facts a search filters on, and the
//! texts it matches, flattened from a [`Determination`].

use imr_core::request::read_request;
use imr_core::{Decision, Determination};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A disputed item of a published determination, with what the corpus needs of its letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRecord {
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

/// The items of a determination as corpus records. A determination without a case number has no
/// identity in the corpus and gives no record; the caller reports it.
pub fn item_records(determination: &Determination) -> Vec<ItemRecord> {
    let Some(case_number) = determination.case_number.as_deref() else {
        return Vec::new();
    };
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
                for mention in imr_core::extract::anatomy::regions(&item.request) {
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
                specialties: determination.reviewer.specialties.clone(),
                body_regions,
                request: item.request.clone(),
                summary: summary.clone(),
                rationale: item.rationale.clone().unwrap_or_default(),
            }
        })
        .collect()
}
