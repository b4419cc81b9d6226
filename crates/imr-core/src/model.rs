//! The determination: what a Final Determination Letter says, as data.
//!
//! These types are the JSON that `imr parse` prints and `imr letter` reads, so their field names
//! are part of the public interface: change them only with the readers and writers together.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The outcome of one disputed item. Both words refer to the UR decision: "Upheld" means the
/// denial stands (not medically necessary), "Overturned" means the treatment is approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Decision {
    Upheld,
    Overturned,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Upheld => "Upheld",
            Decision::Overturned => "Overturned",
        }
    }

    /// Reads the decision word as the letters write it (any case).
    pub fn parse(word: &str) -> Option<Decision> {
        match word.trim().to_ascii_lowercase().as_str() {
            "upheld" => Some(Decision::Upheld),
            "overturned" => Some(Decision::Overturned),
            _ => None,
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Standard or expedited review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Priority {
    Standard,
    Expedited,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Standard => "Standard",
            Priority::Expedited => "Expedited",
        }
    }

    pub fn parse(word: &str) -> Option<Priority> {
        match word.trim().to_ascii_lowercase().as_str() {
            "standard" => Some(Priority::Standard),
            "expedited" => Some(Priority::Expedited),
            _ => None,
        }
    }
}

/// The reviewer's credentials as the letter states them. The letters never name the reviewer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerCredentials {
    /// States of licensure, in the letter's order.
    pub licensure: Vec<String>,
    /// Board certifications / specialties.
    pub specialties: Vec<String>,
    pub subspecialties: Vec<String>,
}

impl ReviewerCredentials {
    pub fn is_empty(&self) -> bool {
        self.licensure.is_empty() && self.specialties.is_empty() && self.subspecialties.is_empty()
    }
}

/// One guideline a decision relied on, as read from a guideline line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// e.g. "MTUS Chronic Pain Medical Treatment", "ODG" or the free text of a Non-MTUS citation.
    pub guideline: String,
    pub year: Option<u16>,
    pub section: Option<String>,
    pub pages: Option<String>,
}

/// One disputed item/service and its determination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The item decided. For a partially authorized request, the remaining IMR-eligible portion.
    pub request: String,
    /// The whole original request, where the claims administrator authorized part of it.
    pub original_request: Option<String>,
    /// What the claims administrator authorized of the original request.
    pub authorized: Option<String>,
    pub decision: Option<Decision>,
    pub claims_administrator_guideline: Option<String>,
    /// The guideline line of the IMR organization ("MAXIMUS guideline:" in the letters).
    pub imro_guideline: Option<String>,
    /// The citations read from `imro_guideline`.
    pub citations: Vec<Citation>,
    pub rationale: Option<String>,
}

impl Item {
    pub fn new(request: impl Into<String>) -> Item {
        Item {
            request: request.into(),
            original_request: None,
            authorized: None,
            decision: None,
            claims_administrator_guideline: None,
            imro_guideline: None,
            citations: Vec::new(),
            rationale: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the reader could not understand: the record is incomplete.
    Error,
    /// Something unusual that was read anyway (a missing optional field, an odd layout).
    Warning,
}

/// What the reader could not read, or read with doubt. Never clinical text: a diagnostic names
/// the field and the place, so it can be logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The field or section concerned, e.g. "decision_date" or "items[2].decision".
    pub field: String,
    pub message: String,
    /// 1-based line in the normalized text, where known.
    pub line: Option<usize>,
}

impl Diagnostic {
    pub fn error(field: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            field: field.into(),
            message: message.into(),
            line: None,
        }
    }

    pub fn warning(field: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            field: field.into(),
            message: message.into(),
            line: None,
        }
    }

    pub fn at_line(mut self, line: usize) -> Diagnostic {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.line {
            Some(line) => write!(f, "{level}: {} (line {line}): {}", self.field, self.message),
            None => write!(f, "{level}: {}: {}", self.field, self.message),
        }
    }
}

/// A Final Determination: the header, the reviewer's credentials, the clinical case summary and
/// the disputed items, plus what the reader could not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Determination {
    /// Where the letter came from (a path), when it was read from a file.
    pub source: Option<String>,
    pub case_number: Option<String>,
    pub date_assigned: Option<Date>,
    pub decision_date: Option<Date>,
    pub date_of_injury: Option<Date>,
    pub ur_denial_date: Option<Date>,
    pub application_received: Option<Date>,
    pub priority: Option<Priority>,
    pub reviewer: ReviewerCredentials,
    pub clinical_summary: Option<String>,
    pub items: Vec<Item>,
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}

impl Determination {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}
