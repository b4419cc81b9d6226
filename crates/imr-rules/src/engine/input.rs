//! What the engine reviews: one case, its disputed items, and for each item the facts of the
//! record as the guidelines name them ([`ClinicalFact`]). The adapter ([`super::adapt`]) builds
//! this from a case file, the fact extraction and the request reading.

use jiff::civil::Date;
use serde::Serialize;

pub use crate::guidelines::vocab::ClinicalFact;
pub use imr_reading::extract::Polarity;

/// One clinical fact, tied to the text span it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineFact {
    pub name: ClinicalFact,
    /// The extraction's polarity. A rule's "documented" accepts affirmed and historical facts,
    /// and planned ones for a fact that is itself a plan (`surgery_planned`).
    pub polarity: Polarity,
    /// Byte offsets into the clinical summary; `None` for facts derived from dates.
    pub span: Option<(usize, usize)>,
    /// The span's text, or how a derived fact was reached ("injury 40 weeks before the request").
    pub text: String,
    /// The clause of the record the span stands in, as a rationale quotes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// A disputed item as the engine sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ItemInput {
    /// The request as written.
    pub request: String,
    /// The service category (a name from `vocab::SERVICES`), if the request could be classified.
    pub service: Option<&'static str>,
    /// Visits, sessions, units or tablets requested.
    pub quantity: Option<f64>,
    /// Visits of this service already given, where the record states the number.
    pub prior_visits: Option<f64>,
    pub frequency_per_week: Option<f64>,
    pub duration_weeks: Option<f64>,
    /// Weeks from the date of injury to the request's date.
    pub weeks_since_injury: Option<f64>,
    /// Body regions the request names (`vocab::BODY_REGIONS`).
    pub body_regions: Vec<&'static str>,
    /// Procedures of the surgeries done on the region requested within the postsurgical period
    /// (`extract::Procedure` names), for the postsurgical table.
    pub procedures: Vec<String>,
    /// Procedures of the surgeries planned or requested in the case (`extract::Procedure` names), for
    /// the tests that depend on the operation (ODG preoperative testing).
    pub planned_procedures: Vec<String>,
    /// The patient's age in years, as the record states it.
    pub age: Option<f64>,
    pub partial_authorization: bool,
    /// The request itself says its quantity is unknown or unspecified.
    pub quantity_unspecified: bool,
    pub retrospective: bool,
    pub compounded: bool,
    pub purchase: bool,
    /// A service associated with a procedure requested in the same case ("Associated surgical
    /// service:", pre-op, post-op): it follows the procedure's decision (X-8).
    pub associated: bool,
    /// Set by the engine: the procedure this item supports was found not medically necessary.
    pub bundled_with_denied_service: bool,
    /// Another physical or passive therapy is requested in the same case.
    pub concurrent_other_therapy: bool,
    /// The facts of the record that bear on this item (case facts plus item-specific ones such
    /// as prior treatment with this service).
    pub facts: Vec<EngineFact>,
}

/// One case to review.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CaseInput {
    pub case_number: Option<String>,
    /// The date whose guideline version applies (the request's date; the UR denial date when the
    /// request date is not known).
    pub date: Option<Date>,
    pub date_of_injury: Option<Date>,
    pub items: Vec<ItemInput>,
    /// Why the case could not be fully read (never clinical text).
    pub problems: Vec<String>,
    /// Sentences of the clinical summary that report the utilization review's decision or
    /// reasons: no facts are read from them.
    pub ur_reasoning: Vec<Span>,
}

/// A span of the clinical summary and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}
