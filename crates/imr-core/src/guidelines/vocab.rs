//! The words a rule file may use: service categories, facts, request attributes and rationale
//! placeholders. The loader refuses any other, so a typo in a rule file is caught at start.

/// Service categories are the request reading's names (`crate::request::Service::as_str`); the
/// loader checks rule files against `Service::ALL`.
pub fn is_service(name: &str) -> bool {
    crate::request::Service::ALL
        .iter()
        .any(|s| s.as_str() == name)
}

/// Every service name, for suggestions in error messages.
pub fn service_names() -> Vec<&'static str> {
    crate::request::Service::ALL
        .iter()
        .map(|s| s.as_str())
        .collect()
}

/// Clinical facts a rule may test: present (affirmed in the record), negated, or not mentioned.
pub const FACTS: &[&str] = &[
    // Chronicity: pain for more than 12 weeks, from the dates or the record's words.
    "chronic_pain",
    "acute_injury",
    // improvement in activities of daily living or work restrictions, less dependency.
    "functional_improvement",
    // Treatment with the requested service already given (item-specific).
    "prior_treatment",
    "no_benefit",
    "home_exercise_program",
    "red_flag",
    "neurological_deficit",
    "radiculopathy",
    "failed_conservative_care",
    "surgery_planned",
    "surgery_approved",
    "prior_imaging",
    "muscle_spasm",
    "neuropathic_pain",
    "osteoarthritis",
    "failed_first_line_medication",
    "medication_intolerance",
    "gi_risk",
    "returned_to_work",
    "opioid_monitoring",
    "internal_derangement",
    "carpal_tunnel_signs",
    "psychological_symptoms",
    "delayed_recovery",
    "postoperative",
    "crps",
    "worsening",
    // Chronic medical disease relevant to anesthesia and surgery (hypertension, diabetes, ...).
    "medical_comorbidity",
    // A bleeding history, a bleeding-prone condition or anticoagulant use.
    "bleeding_risk",
    // Numbness, tingling or paresthesias (symptoms, not examination findings).
    "sensory_symptoms",
    "opioid_therapy",
];

/// Attributes of the disputed request.
pub const REQUEST_ATTRIBUTES: &[&str] = &[
    // Numbers: what is asked for, and what came before.
    "quantity",
    "prior_visits",
    "total_visits",
    "frequency_per_week",
    "duration_weeks",
    "weeks_since_injury",
    // Yes/no attributes: documented (true) or not.
    "partial_authorization",
    "quantity_unspecified",
    "retrospective",
    "compounded",
    "purchase",
    "concurrent_other_therapy",
    "bundled_with_denied_service",
    "associated",
    // Lists matched with `any_of`.
    "body_region",
    "mentions",
];

/// Attributes that are numbers (tested with `above` / `at_most`).
pub const NUMERIC_ATTRIBUTES: &[&str] = &[
    "quantity",
    "prior_visits",
    "total_visits",
    "frequency_per_week",
    "duration_weeks",
    "weeks_since_injury",
];

/// Attributes that are lists of words (tested with `any_of`).
pub const LIST_ATTRIBUTES: &[&str] = &["body_region", "mentions"];

/// Body regions a request may name (the names of `crate::extract::BodyRegion`).
pub const BODY_REGIONS: &[&str] = &[
    "head",
    "cervical_spine",
    "thoracic_spine",
    "lumbar_spine",
    "spine",
    "pelvis",
    "hip",
    "groin",
    "shoulder",
    "arm",
    "elbow",
    "forearm",
    "wrist",
    "hand",
    "finger",
    "upper_extremity",
    "knee",
    "leg",
    "ankle",
    "foot",
    "toe",
    "lower_extremity",
    "chest",
    "abdomen",
];

/// Placeholders a rationale template may use, filled from the request and the facts.
pub const PLACEHOLDERS: &[&str] = &[
    "request",
    "quantity",
    "prior_visits",
    "total_visits",
    "weeks_since_injury",
];
