//! Clinical facts read from free text: a case summary or a medical record.
//!
//! Every fact carries the byte span it came from, so a reviewer can see at a glance why the
//! engine decided, and a polarity (affirmed, negated, uncertain, historical) set by a NegEx-style
//! reading of trigger phrases and their scope (see [`negation`]).
//!
//! The engine's rule files refer to [`FactKind`]s and their normalized values by their serde
//! names, so those names are a public interface: add kinds and values, never rename them.

mod course;
mod document;
mod function;
mod lexicon;
pub mod negation;
mod response;
mod results;
pub(crate) mod scan;
mod sections;
mod sentences;
mod signs;
mod trauma;
mod value;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use crate::vocab::anatomy;
pub use crate::vocab::anatomy::{BodyRegion, Laterality};
pub(crate) use crate::vocab::{drugs, numbers};
pub use document::{ClinicalDocument, read};
pub use function::Direction;
pub use negation::Polarity;
pub use results::TestResult;
pub use sections::{Section, SectionKind};
pub use value::{
    Activity, Care, Comorbidity, Diagnosis, FactValue, Mechanism, NeurologicFinding,
    PhysicalFinding, Procedure, RedFlag, Response, STUDIES, Screen, Sex, UrVerdict, WorkStatus,
};

use imr_core::model::Diagnostic;

/// What a fact is about. Each kind's `value` vocabulary is documented on the variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// The worker's age in years. `value` and `number`: the age ("48").
    Age,
    /// `value`: "male" or "female".
    Sex,
    /// The date of the industrial injury. `date` is set; `value` is the ISO date.
    DateOfInjury,
    /// How the injury happened. `value`: one of "fall", "lifting", "motor_vehicle_accident",
    /// "repetitive_work", "struck_by", "assault", "twisting", "pushing_pulling", "cumulative_trauma".
    Mechanism,
    /// A diagnosis mapped to the condition class guidelines use. `value`: one of
    /// "myalgia_myositis", "neuralgia_neuritis_radiculitis", "crps", "post_surgical", "fracture",
    /// "strain_sprain", "degenerative", "disc_herniation", "psychiatric",
    /// "carpal_tunnel_syndrome", "tendinopathy", "internal_derangement" (tears, instability),
    /// "contusion", "headache", "chronic_pain". "post_surgical" is given for every surgery done
    /// (same span; `about`: the procedure, `date`: its date). `body_region`/`laterality` where
    /// stated.
    Diagnosis,
    /// A body region the case concerns. `value`: the [`BodyRegion`] name; `laterality` if stated.
    BodyRegion,
    /// A treatment received, given to date, or requested. `value`: the
    /// [`crate::request::Service`] name ("physical_therapy", "acupuncture", "chiropractic",
    /// "epidural_steroid_injection", ...), or "medication" / "injection" when the text names only
    /// the kind; `number`: the count of visits or sessions where given ("7 visits", "seven (7)
    /// sessions", "12 sessions to date", "3x3"). Polarity `historical` or `affirmed`: given;
    /// `uncertain`: requested, recommended or planned; `negated`: not given.
    Treatment,
    /// The response to a treatment. `value`: "improvement" (pain or symptoms better),
    /// "functional_improvement" (as MTUS 9792.20 defines it: better activities of daily living or
    /// fewer work restrictions, with less dependence on treatment, said in general words:
    /// "improved function", "better ADLs"; a specific gain is a [`FactKind::Function`], a return
    /// to work a [`FactKind::WorkStatus`] that got better), "temporary_improvement" (relief that
    /// did not last: "only 2 days of relief", "short-lived benefit"), "treatment_failure" ("failed
    /// PT"), or "worsening" (the course, not when a symptom is worse: "worse at night" is none).
    /// `about`: the treatment's service name when the text names it. "No improvement" is
    /// `improvement` with polarity `negated`; a response hoped for, planned or required is none.
    Response,
    /// A home exercise program. `value`: "home_exercise_program".
    HomeExerciseProgram,
    /// Work status. `value`: one of "full_duty", "modified_duty", "temporarily_totally_disabled",
    /// "not_working", "retired", "permanent_and_stationary", "working".
    WorkStatus,
    /// A pain score on the 0-10 scale. `number`: the score (the higher end of a range);
    /// `value`: the score as text ("7", "6-7").
    PainScore,
    /// A red flag relevant to imaging or surgery. `value`: one of "progressive_neurologic_deficit",
    /// "bowel_bladder_dysfunction", "cauda_equina", "tumor", "infection", "significant_trauma" (a
    /// fall from a height or a vehicle collision; `date` its sentence's), or "red_flag" for the
    /// words "red flag(s)" themselves ("no red flags" is `red_flag`, negated). A fracture is a
    /// `diagnosis`.
    RedFlag,
    /// A neurologic finding. `value`: one of "radiculopathy", "radiating_pain", "numbness",
    /// "tingling", "weakness", "decreased_sensation", "decreased_reflexes",
    /// "positive_straight_leg_raise", "positive_spurling", "positive_tinel", "positive_phalen",
    /// "atrophy", "neurologic_deficit". A test or measure said to be normal ("reflexes 2+",
    /// "strength 5/5", "negative straight leg raise") is its finding, negated.
    NeurologicFinding,
    /// An examination finding that is not neurologic. `value`: one of "tenderness", "spasm",
    /// "decreased_range_of_motion", "swelling", "positive_mcmurray", "positive_impingement",
    /// "positive_apprehension", "antalgic_gait", "trigger_point".
    PhysicalFinding,
    /// A completed imaging or electrodiagnostic study. `value`: the service name ("mri", "x_ray",
    /// "ct", "emg_ncv", "bone_scan"); `body_region` where stated; `result`: what it showed.
    Imaging,
    /// A surgery already done. `value`: the procedure, normalized: "surgery" (unspecified),
    /// "arthroscopy", "arthroplasty", "fusion", "laminectomy", "discectomy", "meniscectomy",
    /// "carpal_tunnel_release", "release", "open_reduction_internal_fixation", "decompression",
    /// "repair", "reconstruction", "debridement", "tenodesis", "hardware_removal"; `date` if
    /// stated. `body_region`/`laterality` where stated. Polarity `historical` or `affirmed`.
    Surgery,
    /// A surgery planned, requested or recommended. `value` as for [`FactKind::Surgery`];
    /// polarity `uncertain`.
    PlannedSurgery,
    /// A medication named. `value`: the drug name (lower case, as the dictionary spells it:
    /// "norco", "cyclobenzaprine"); `drug` holds the generic name, strength and count; `about`:
    /// the drug class service name ("opioid", "muscle_relaxant", "nsaid", ...); `duration`: how
    /// long it has been taken ("for 6 months"). Polarity `affirmed` (current), `historical`
    /// (past), `uncertain` (requested or planned), `negated` (stopped, denied).
    Medication,
    /// A urine drug screen or a CURES (prescription monitoring) report. `value`: for a screen
    /// "performed", "consistent" or "inconsistent", as `result`; "cures" for the prescription
    /// report, its result in `result`; `date` if stated.
    UrineDrugScreen,
    /// The utilization review decision. `value`: "denied", "modified" or "certified"; `date` if
    /// stated.
    UrDecision,
    /// Aberrant drug-related behaviour: early refills, lost prescriptions, several prescribers,
    /// diversion, illicit use. `value`: "aberrant_behavior".
    AberrantBehavior,
    /// A functional measure: an activity and which way it goes. `value`: "lifting", "walking",
    /// "sitting", "standing", "sleep" or "adl"; `direction`: improved, limited or worse.
    Function,
    /// The patient's stance on an operation. `value`: "surgery"; affirmed when the patient
    /// would consider it (wants it, asks about it), negated when the patient declines it.
    SurgicalConsideration,
    /// A condition beside the injury that bears on a treatment's risk. `value`: "gi_disorder"
    /// (gastritis, dyspepsia, reflux, ulcer: NSAID risk), "medical_comorbidity" (hypertension,
    /// diabetes, heart or lung disease: anesthesia risk), "bleeding_risk" (anticoagulants, a
    /// bleeding disorder), "homebound" (unable to leave the home: home health),
    /// "reduced_weight_bearing" (obesity, weight-bearing restrictions: aquatic therapy),
    /// "serious_adverse_effect" (sedation, drowsiness, respiratory depression).
    Condition,
    /// Care authorized and not yet used up: "8 authorized physical therapy visits, 3 attended
    /// so far", "UR already certified a follow-up visit; not yet used". `value`: the care's
    /// service name (as for [`FactKind::Treatment`]), on the care's own span. Read also where UR
    /// is quoted: an earlier certification is what the claim has already granted.
    Authorization,
    /// The daily opioid dose in morphine equivalents ("about 90 mg morphine equivalent a day",
    /// "MED 120"). `value` and `number`: the milligrams a day.
    MorphineEquivalentDose,
    /// A medication new to the patient: stated as never taken before ("has never taken a
    /// benzodiazepine", "opioid-naive") or planned as a start ("a two-week trial of tramadol").
    /// `value`: the drug or class word; `about`: the drug class service name.
    FirstCourse,
}

impl FactKind {
    /// Every kind, in declaration order.
    pub const ALL: [FactKind; 27] = [
        FactKind::Age,
        FactKind::Sex,
        FactKind::DateOfInjury,
        FactKind::Mechanism,
        FactKind::Diagnosis,
        FactKind::BodyRegion,
        FactKind::Treatment,
        FactKind::Response,
        FactKind::HomeExerciseProgram,
        FactKind::WorkStatus,
        FactKind::PainScore,
        FactKind::RedFlag,
        FactKind::NeurologicFinding,
        FactKind::PhysicalFinding,
        FactKind::Imaging,
        FactKind::Surgery,
        FactKind::PlannedSurgery,
        FactKind::Medication,
        FactKind::UrineDrugScreen,
        FactKind::UrDecision,
        FactKind::AberrantBehavior,
        FactKind::Function,
        FactKind::SurgicalConsideration,
        FactKind::Condition,
        FactKind::Authorization,
        FactKind::MorphineEquivalentDose,
        FactKind::FirstCourse,
    ];

    /// The serde name ("date_of_injury").
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::Age => "age",
            FactKind::Sex => "sex",
            FactKind::DateOfInjury => "date_of_injury",
            FactKind::Mechanism => "mechanism",
            FactKind::Diagnosis => "diagnosis",
            FactKind::BodyRegion => "body_region",
            FactKind::Treatment => "treatment",
            FactKind::Response => "response",
            FactKind::HomeExerciseProgram => "home_exercise_program",
            FactKind::WorkStatus => "work_status",
            FactKind::PainScore => "pain_score",
            FactKind::RedFlag => "red_flag",
            FactKind::NeurologicFinding => "neurologic_finding",
            FactKind::PhysicalFinding => "physical_finding",
            FactKind::Imaging => "imaging",
            FactKind::Surgery => "surgery",
            FactKind::PlannedSurgery => "planned_surgery",
            FactKind::Medication => "medication",
            FactKind::UrineDrugScreen => "urine_drug_screen",
            FactKind::UrDecision => "ur_decision",
            FactKind::AberrantBehavior => "aberrant_behavior",
            FactKind::Function => "function",
            FactKind::SurgicalConsideration => "surgical_consideration",
            FactKind::Condition => "condition",
            FactKind::Authorization => "authorization",
            FactKind::MorphineEquivalentDose => "morphine_equivalent_dose",
            FactKind::FirstCourse => "first_course",
        }
    }
}

/// One fact read from the text, tied to the exact span it came from. Written as JSON for
/// people and tools; never read back (a reading is made again from the text).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub kind: FactKind,
    /// What the fact says, from the closed vocabulary of its `kind` (see [`FactValue`]).
    pub value: FactValue,
    /// The number the fact states: age, pain score, count of visits or sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    /// The date the fact states: date of injury, of a surgery, of the UR decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// What the fact is about, for facts that relate to another thing: a response's treatment
    /// (service name), a medication's drug class (service name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_region: Option<BodyRegion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub laterality: Option<Laterality>,
    /// How long a medication has been taken ("for 6 months"); years are given in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<crate::request::Duration>,
    /// Name, strength, form and count of a medication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drug: Option<crate::request::Drug>,
    /// What a study or screen showed, read from its own clause (imaging, electrodiagnosis,
    /// drug screens); `None` when the text states no result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<TestResult>,
    /// Which way a functional measure goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The clause the fact stands in (byte offsets): what a rationale quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<(usize, usize)>,
    /// Byte offsets into the text the fact was read from: `text[start..end]`.
    pub start: usize,
    pub end: usize,
    /// The span's text, `text[start..end]`.
    pub text: String,
    pub polarity: Polarity,
    /// The sentence reports the utilization review's decision or reasons ("the request was
    /// denied as there is no evidence of ..."): shown as UR's reasoning, never a clinical finding.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ur_reasoning: bool,
}

impl Fact {
    /// A fact with only its value (and so its kind) and span set; polarity affirmed.
    pub fn new(value: FactValue, source: &str, start: usize, end: usize) -> Fact {
        Fact {
            kind: value.kind(),
            value,
            number: None,
            date: None,
            about: None,
            body_region: None,
            laterality: None,
            duration: None,
            drug: None,
            result: None,
            direction: None,
            clause: None,
            start,
            end,
            text: source.get(start..end).unwrap_or_default().to_string(),
            polarity: Polarity::Affirmed,
            ur_reasoning: false,
        }
    }

    /// Says something else of the same span: the kind follows the value.
    pub fn set_value(&mut self, value: FactValue) {
        self.kind = value.kind();
        self.value = value;
    }
}

/// The facts of one text, and what could not be read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Extraction {
    /// In order of their start offset.
    pub facts: Vec<Fact>,
    /// Never clinical text: what was odd about the input (empty, not prose, too long).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the facts of a clinical text. Never panics; odd input gives fewer facts and a
/// diagnostic.
pub fn extract(text: &str) -> Extraction {
    let document = read(text);
    Extraction {
        facts: document.facts().to_vec(),
        diagnostics: document.diagnostics().to_vec(),
    }
}

/// The facts of a clinical text (see [`extract`]), without the diagnostics.
pub fn facts(text: &str) -> Vec<Fact> {
    extract(text).facts
}
