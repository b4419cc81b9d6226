//! The words a rule file may use: service categories, facts, request attributes and rationale
//! placeholders. The loader refuses any other, so a typo in a rule file is caught at start.

/// Service categories are the request reading's names (`imr_reading::request::Service::as_str`); the
/// loader checks rule files against `Service::ALL`.
pub fn is_service(name: &str) -> bool {
    imr_reading::request::Service::ALL
        .iter()
        .any(|s| s.as_str() == name)
}

/// Every service name, for suggestions in error messages.
pub fn service_names() -> Vec<&'static str> {
    imr_reading::request::Service::ALL
        .iter()
        .map(|s| s.as_str())
        .collect()
}

/// Declares the clinical facts a rule may test: an enum (so a typo in the engine cannot compile)
/// and its snake_case names (so a typo in a rule file is refused at load).
macro_rules! clinical_facts {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A clinical fact a rule may test: present (affirmed in the record), negated, planned or
        /// not mentioned. The adapter ([`crate::engine::adapt`]) reads each from the fact
        /// extraction ([`imr_reading::extract`]), the one clinical vocabulary of the record.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ClinicalFact {
            $($(#[$doc])* $variant,)*
        }

        impl ClinicalFact {
            pub const ALL: &'static [ClinicalFact] = &[$(ClinicalFact::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ClinicalFact::$variant => $name,)*
                }
            }

            pub fn parse(name: &str) -> Option<ClinicalFact> {
                match name {
                    $($name => Some(ClinicalFact::$variant),)*
                    _ => None,
                }
            }
        }

        /// The names of [`ClinicalFact`], as rule files write them.
        pub const FACTS: &[&str] = &[$($name,)*];
    };
}

clinical_facts! {
    /// Pain for more than 12 weeks, from the dates or the record's words.
    ChronicPain = "chronic_pain",
    AcuteInjury = "acute_injury",
    /// improvement in activities of daily living or work restrictions, less dependency.
    FunctionalImprovement = "functional_improvement",
    /// Relief or improvement after this very treatment, in pain if not yet in function ("three
    /// months of relief after the injection").
    PainRelief = "pain_relief",
    /// Treatment with the requested service already given (item-specific).
    PriorTreatment = "prior_treatment",
    /// A trial of the requested service given without benefit.
    NoBenefit = "no_benefit",
    HomeExerciseProgram = "home_exercise_program",
    RedFlag = "red_flag",
    /// An objective deficit on examination: weakness, sensory loss, reflex loss, atrophy.
    NeurologicalDeficit = "neurological_deficit",
    Radiculopathy = "radiculopathy",
    /// Conservative care given and documented as not helping (not any mention of a therapy).
    FailedConservativeCare = "failed_conservative_care",
    SurgeryPlanned = "surgery_planned",
    /// Surgery planned, or one the patient would consider ("would consider surgery if ..."):
    /// ACOEM's imaging criterion for the low back.
    SurgeryConsidered = "surgery_considered",
    SurgeryApproved = "surgery_approved",
    PriorImaging = "prior_imaging",
    /// the same care already authorized and not yet used up (a duplicate request).
    AlreadyAuthorized = "already_authorized",
    /// other physical medicine authorized and still under way (no stacking of modalities
    /// before authorized care is finished).
    CareInProgress = "care_in_progress",
    /// A study of record whose result supports the diagnosis: imaging that shows a lesion
    /// (compressing a root or not), an abnormal electrodiagnostic study. A study read as normal
    /// or as degenerative change only contradicts it.
    CorroboratingStudy = "corroborating_study",
    /// Aberrant drug-related behaviour: an inconsistent drug screen or CURES report, early
    /// refills, several prescribers, illicit use.
    AberrantBehavior = "aberrant_behavior",
    /// An adverse effect that bears on safety: sedation, drowsiness, respiratory depression.
    SeriousAdverseEffect = "serious_adverse_effect",
    MuscleSpasm = "muscle_spasm",
    /// Trigger points on examination (a twitch response with referred pain).
    TriggerPoints = "trigger_points",
    NeuropathicPain = "neuropathic_pain",
    Osteoarthritis = "osteoarthritis",
    FailedFirstLineMedication = "failed_first_line_medication",
    MedicationIntolerance = "medication_intolerance",
    GiRisk = "gi_risk",
    ReturnedToWork = "returned_to_work",
    OpioidMonitoring = "opioid_monitoring",
    InternalDerangement = "internal_derangement",
    CarpalTunnelSigns = "carpal_tunnel_signs",
    PsychologicalSymptoms = "psychological_symptoms",
    DelayedRecovery = "delayed_recovery",
    Postoperative = "postoperative",
    Crps = "crps",
    Worsening = "worsening",
    /// Chronic medical disease relevant to anesthesia and surgery (hypertension, diabetes, ...).
    MedicalComorbidity = "medical_comorbidity",
    /// A bleeding history, a bleeding-prone condition or anticoagulant use.
    BleedingRisk = "bleeding_risk",
    /// Numbness, tingling or paresthesias (symptoms, not examination findings).
    SensorySymptoms = "sensory_symptoms",
    OpioidTherapy = "opioid_therapy",
    NsaidTherapy = "nsaid_therapy",
    Homebound = "homebound",
    ReducedWeightBearing = "reduced_weight_bearing",
    /// A fracture within 12 weeks of the injury: one of ACOEM's red flags (radiographs; surgery
    /// without a trial of conservative care). An old, healed fracture is not.
    AcuteFracture = "acute_fracture",
    RadiatingPain = "radiating_pain",
    /// Declared at or near maximum medical improvement (permanent and stationary).
    MaximumMedicalImprovement = "maximum_medical_improvement",
    /// A return to work attempted without success.
    FailedReturnToWork = "failed_return_to_work",
}

impl std::fmt::Display for ClinicalFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Attributes of the disputed request.
pub const REQUEST_ATTRIBUTES: &[&str] = &[
    // Numbers: what is asked for, and what came before.
    "quantity",
    "prior_visits",
    "total_visits",
    "frequency_per_week",
    "duration_weeks",
    "weeks_since_injury",
    "age",
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
    "procedure",
    "planned_procedure",
];

/// Attributes that are numbers (tested with `above` / `at_most`).
pub const NUMERIC_ATTRIBUTES: &[&str] = &[
    "quantity",
    "prior_visits",
    "total_visits",
    "frequency_per_week",
    "duration_weeks",
    "weeks_since_injury",
    "age",
];

/// Attributes that are lists of words (tested with `any_of`).
pub const LIST_ATTRIBUTES: &[&str] = &["body_region", "mentions", "procedure", "planned_procedure"];

/// Procedures of a surgery, as the fact reader names them (`extract::Procedure`): `procedure`
/// lists those done on the region requested within the postsurgical period.
pub fn procedures() -> Vec<&'static str> {
    imr_reading::extract::Procedure::ALL
        .iter()
        .map(|p| p.as_str())
        .collect()
}

/// Body regions a request may name (the names of `imr_reading::extract::BodyRegion`).
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
