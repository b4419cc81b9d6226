//! Reviewers: the physicians the IMR organization assigns, their qualifications and affiliations.

use serde::{Deserialize, Serialize};

use super::application::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewer {
    /// A short identifier used on the command line and in the audit log (never the name).
    pub id: String,
    pub name: String,
    pub board_certifications: Vec<String>,
    #[serde(default)]
    pub subspecialties: Vec<String>,
    pub licensure_states: Vec<String>,
    pub years_in_active_practice: u32,
    pub hours_per_week_in_practice: u32,
    /// Everyone and everything the reviewer is affiliated with; any match with a party of a
    /// case is a conflict of interest.
    #[serde(default)]
    pub affiliations: Vec<Affiliation>,
    /// A reviewer who no longer takes cases stays on file (old cases name them) but is inactive.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Affiliation {
    pub kind: AffiliationKind,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AffiliationKind {
    Employer,
    ClaimsAdministrator,
    Insurer,
    ProviderGroup,
    /// A named person: a worker, a physician, a representative.
    Person,
}

impl AffiliationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AffiliationKind::Employer => "employer",
            AffiliationKind::ClaimsAdministrator => "claims administrator",
            AffiliationKind::Insurer => "insurer",
            AffiliationKind::ProviderGroup => "provider group",
            AffiliationKind::Person => "person",
        }
    }
}

/// A name reduced for comparison: letters and digits only, lower case, single spaces, so that
/// "Acme, Inc." and "ACME  INC" match; "&" reads as "and".
pub fn normalize_name(name: &str) -> String {
    name.replace('&', " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Reviewer {
    /// Reads a reviewer from JSON.
    pub fn from_json(text: &str) -> Result<Reviewer, String> {
        let reviewer: Reviewer = serde_json::from_str(text).map_err(|e| {
            format!(
                "not a reviewer record: {e} (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        let errors = reviewer.validate();
        if errors.is_empty() {
            Ok(reviewer)
        } else {
            Err(errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "))
        }
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            errors.push(FieldError {
                field: "id".into(),
                message: "must be 1-64 ASCII letters, digits, '-' or '_'".into(),
            });
        }
        if self.name.trim().is_empty() {
            errors.push(FieldError {
                field: "name".into(),
                message: "must not be empty".into(),
            });
        }
        if self.board_certifications.is_empty() {
            errors.push(FieldError {
                field: "board_certifications".into(),
                message: "at least one board certification is needed".into(),
            });
        }
        if self.hours_per_week_in_practice > 168 {
            errors.push(FieldError {
                field: "hours_per_week_in_practice".into(),
                message: format!(
                    "{} is more hours than a week has",
                    self.hours_per_week_in_practice
                ),
            });
        }
        for (i, a) in self.affiliations.iter().enumerate() {
            if normalize_name(&a.name).is_empty() {
                errors.push(FieldError {
                    field: format!("affiliations[{i}].name"),
                    message: "must not be empty".into(),
                });
            }
        }
        errors
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn reviewer(id: &str, specialty: &str) -> Reviewer {
        Reviewer {
            id: id.into(),
            name: format!("Dr. {id} Fictional"),
            board_certifications: vec![specialty.into()],
            subspecialties: vec![],
            licensure_states: vec!["California".into()],
            years_in_active_practice: 12,
            hours_per_week_in_practice: 30,
            affiliations: vec![],
            active: true,
        }
    }

    #[test]
    fn names_match_whatever_the_punctuation_and_case() {
        assert_eq!(normalize_name("Acme, Inc."), normalize_name("ACME  inc"));
        assert_eq!(
            normalize_name("Physical Medicine & Rehabilitation"),
            normalize_name("physical medicine and rehabilitation")
        );
        assert_ne!(
            normalize_name("Acme Inc"),
            normalize_name("Acme Freight Inc")
        );
    }

    #[test]
    fn bad_reviewer_records_are_refused_with_the_field() {
        let err = Reviewer::from_json("{\"id\": \"r1\"}").expect_err("incomplete");
        assert!(err.contains("missing field"), "{err}");
        let mut r = reviewer("bad id!", "Orthopedic Surgery");
        r.board_certifications.clear();
        let json = serde_json::to_string(&r).expect("json");
        let err = Reviewer::from_json(&json).expect_err("invalid");
        assert!(
            err.contains("id:") && err.contains("board_certifications"),
            "{err}"
        );
    }
}
