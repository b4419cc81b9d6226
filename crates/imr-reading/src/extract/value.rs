//! What a fact says, typed by its kind: one closed vocabulary per kind, so that a reader, a
//! lexicon entry or a gold file naming a value no kind has is refused where it is written,
//! not discovered as a silent mismatch in the adapter.
//!
//! The serde form of every value is its name ("radiating_pain", "mri", "6-7"), so JSON and the
//! gold files keep reading as before; the kind decides how a name is read back.

use std::fmt;

use jiff::civil::Date;

use super::FactKind;
use crate::request::Service;
use crate::vocab::anatomy::BodyRegion;

/// Declares a closed vocabulary: the enum, its names, and the name's reading.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The value's name, as serde writes it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The value of a name; `None` for a name this vocabulary does not have.
            pub fn parse(name: &str) -> Option<$name> {
                match name { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

vocabulary! {
    /// The worker's sex as the record states it.
    Sex { Male = "male", Female = "female" }
}

vocabulary! {
    /// How the injury happened.
    Mechanism {
        Fall = "fall",
        Lifting = "lifting",
        MotorVehicleAccident = "motor_vehicle_accident",
        RepetitiveWork = "repetitive_work",
        StruckBy = "struck_by",
        Assault = "assault",
        Twisting = "twisting",
        PushingPulling = "pushing_pulling",
        CumulativeTrauma = "cumulative_trauma",
    }
}

vocabulary! {
    /// A diagnosis as the condition class the guidelines use.
    Diagnosis {
        MyalgiaMyositis = "myalgia_myositis",
        NeuralgiaNeuritisRadiculitis = "neuralgia_neuritis_radiculitis",
        Crps = "crps",
        PostSurgical = "post_surgical",
        Fracture = "fracture",
        StrainSprain = "strain_sprain",
        Degenerative = "degenerative",
        DiscHerniation = "disc_herniation",
        Psychiatric = "psychiatric",
        CarpalTunnelSyndrome = "carpal_tunnel_syndrome",
        Tendinopathy = "tendinopathy",
        /// Tears, instability.
        InternalDerangement = "internal_derangement",
        Contusion = "contusion",
        Headache = "headache",
        ChronicPain = "chronic_pain",
    }
}

vocabulary! {
    /// What a treatment did.
    Response {
        /// Pain or symptoms better.
        Improvement = "improvement",
        /// As MTUS 9792.20 defines it: better function or fewer restrictions, with less
        /// dependence on treatment.
        FunctionalImprovement = "functional_improvement",
        /// Relief that did not last.
        TemporaryImprovement = "temporary_improvement",
        /// "Failed PT".
        TreatmentFailure = "treatment_failure",
        /// Conservative care tried and failed, named as a whole.
        FailedConservativeCare = "failed_conservative_care",
        /// Side effects that stopped a treatment.
        Intolerance = "intolerance",
        Worsening = "worsening",
    }
}

vocabulary! {
    /// The worker's work status.
    WorkStatus {
        FullDuty = "full_duty",
        ModifiedDuty = "modified_duty",
        TemporarilyTotallyDisabled = "temporarily_totally_disabled",
        NotWorking = "not_working",
        Retired = "retired",
        PermanentAndStationary = "permanent_and_stationary",
        Working = "working",
        FailedReturnToWork = "failed_return_to_work",
    }
}

vocabulary! {
    /// A red flag for imaging or surgery.
    RedFlag {
        ProgressiveNeurologicDeficit = "progressive_neurologic_deficit",
        BowelBladderDysfunction = "bowel_bladder_dysfunction",
        CaudaEquina = "cauda_equina",
        Tumor = "tumor",
        Infection = "infection",
        /// A fall from a height or a vehicle collision: a red flag for fracture while recent.
        SignificantTrauma = "significant_trauma",
        /// The words "red flag(s)" themselves.
        Any = "red_flag",
    }
}

vocabulary! {
    /// A neurologic finding; a test said to be normal is its finding, negated.
    NeurologicFinding {
        Radiculopathy = "radiculopathy",
        RadiatingPain = "radiating_pain",
        Numbness = "numbness",
        Tingling = "tingling",
        Weakness = "weakness",
        DecreasedSensation = "decreased_sensation",
        DecreasedReflexes = "decreased_reflexes",
        PositiveStraightLegRaise = "positive_straight_leg_raise",
        PositiveSpurling = "positive_spurling",
        PositiveTinel = "positive_tinel",
        PositivePhalen = "positive_phalen",
        Atrophy = "atrophy",
        NeurologicDeficit = "neurologic_deficit",
    }
}

vocabulary! {
    /// An examination finding that is not neurologic.
    PhysicalFinding {
        Tenderness = "tenderness",
        JointLineTenderness = "joint_line_tenderness",
        Spasm = "spasm",
        DecreasedRangeOfMotion = "decreased_range_of_motion",
        Swelling = "swelling",
        PositiveMcmurray = "positive_mcmurray",
        PositiveImpingement = "positive_impingement",
        PositiveApprehension = "positive_apprehension",
        PositiveLigamentTest = "positive_ligament_test",
        MechanicalSymptoms = "mechanical_symptoms",
        AntalgicGait = "antalgic_gait",
        TriggerPoint = "trigger_point",
    }
}

vocabulary! {
    /// An operation, done or planned.
    Procedure {
        /// Unspecified.
        Surgery = "surgery",
        Arthroscopy = "arthroscopy",
        Arthroplasty = "arthroplasty",
        Fusion = "fusion",
        Laminectomy = "laminectomy",
        Discectomy = "discectomy",
        Meniscectomy = "meniscectomy",
        CarpalTunnelRelease = "carpal_tunnel_release",
        Release = "release",
        OpenReductionInternalFixation = "open_reduction_internal_fixation",
        Decompression = "decompression",
        Repair = "repair",
        Reconstruction = "reconstruction",
        Debridement = "debridement",
        Tenodesis = "tenodesis",
        HardwareRemoval = "hardware_removal",
    }
}

vocabulary! {
    /// A urine drug screen or the prescription monitoring report.
    Screen {
        /// A screen whose result the text does not state.
        Performed = "performed",
        Consistent = "consistent",
        Inconsistent = "inconsistent",
        /// The CURES report; its result is in the fact's `result`.
        Cures = "cures",
    }
}

vocabulary! {
    /// The utilization review's decision.
    UrVerdict { Denied = "denied", Modified = "modified", Certified = "certified" }
}

vocabulary! {
    /// The activity a functional measure is about.
    Activity {
        Lifting = "lifting",
        Walking = "walking",
        Sitting = "sitting",
        Standing = "standing",
        Sleep = "sleep",
        /// Activities of daily living.
        Adl = "adl",
        /// How much medication the worker needs.
        MedicationUse = "medication_use",
    }
}

vocabulary! {
    /// A condition beside the injury that bears on a treatment's risk.
    Comorbidity {
        /// Gastritis, dyspepsia, reflux, ulcer: NSAID risk.
        GiDisorder = "gi_disorder",
        /// Hypertension, diabetes, heart or lung disease: anesthesia risk.
        MedicalComorbidity = "medical_comorbidity",
        BleedingRisk = "bleeding_risk",
        Homebound = "homebound",
        ReducedWeightBearing = "reduced_weight_bearing",
        SeriousAdverseEffect = "serious_adverse_effect",
    }
}

/// Care given, requested or authorized: a service category, or only its kind when the text
/// names no more ("medication", "an injection").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Care {
    Service(Service),
    AnyMedication,
    AnyInjection,
}

impl Care {
    pub fn as_str(self) -> &'static str {
        match self {
            Care::Service(service) => service.as_str(),
            Care::AnyMedication => "medication",
            Care::AnyInjection => "injection",
        }
    }

    pub fn parse(name: &str) -> Option<Care> {
        match name {
            "medication" => Some(Care::AnyMedication),
            "injection" => Some(Care::AnyInjection),
            _ => Service::from_name(name)
                .filter(|s| *s != Service::Unknown)
                .map(Care::Service),
        }
    }

    /// The service category, when the text named one.
    pub fn service(self) -> Option<Service> {
        match self {
            Care::Service(service) => Some(service),
            _ => None,
        }
    }
}

/// What a fact says. Each variant belongs to one [`FactKind`] ([`FactValue::kind`]).
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    /// Years.
    Age(u32),
    Sex(Sex),
    DateOfInjury(Date),
    Mechanism(Mechanism),
    Diagnosis(Diagnosis),
    BodyRegion(BodyRegion),
    Treatment(Care),
    Response(Response),
    HomeExerciseProgram,
    WorkStatus(WorkStatus),
    /// On the 0-10 scale; `low == high` for a single score.
    PainScore {
        low: f64,
        high: f64,
    },
    RedFlag(RedFlag),
    NeurologicFinding(NeurologicFinding),
    PhysicalFinding(PhysicalFinding),
    /// A study: MRI, CT, x-ray, EMG/NCV, bone scan.
    Imaging(Service),
    Surgery(Procedure),
    PlannedSurgery(Procedure),
    /// The drug's name as the dictionary spells it, or the word of a drug known by its stem.
    Medication(String),
    UrineDrugScreen(Screen),
    UrDecision(UrVerdict),
    AberrantBehavior,
    Function(Activity),
    /// The patient's stance on an operation (affirmed: would consider it).
    SurgicalConsideration,
    Condition(Comorbidity),
    Authorization(Care),
    /// Milligrams of morphine equivalent a day.
    MorphineEquivalentDose(f64),
    /// The drug or class word of a medication new to the patient.
    FirstCourse(String),
}

impl FactValue {
    /// The kind this value belongs to.
    pub fn kind(&self) -> FactKind {
        match self {
            FactValue::Age(_) => FactKind::Age,
            FactValue::Sex(_) => FactKind::Sex,
            FactValue::DateOfInjury(_) => FactKind::DateOfInjury,
            FactValue::Mechanism(_) => FactKind::Mechanism,
            FactValue::Diagnosis(_) => FactKind::Diagnosis,
            FactValue::BodyRegion(_) => FactKind::BodyRegion,
            FactValue::Treatment(_) => FactKind::Treatment,
            FactValue::Response(_) => FactKind::Response,
            FactValue::HomeExerciseProgram => FactKind::HomeExerciseProgram,
            FactValue::WorkStatus(_) => FactKind::WorkStatus,
            FactValue::PainScore { .. } => FactKind::PainScore,
            FactValue::RedFlag(_) => FactKind::RedFlag,
            FactValue::NeurologicFinding(_) => FactKind::NeurologicFinding,
            FactValue::PhysicalFinding(_) => FactKind::PhysicalFinding,
            FactValue::Imaging(_) => FactKind::Imaging,
            FactValue::Surgery(_) => FactKind::Surgery,
            FactValue::PlannedSurgery(_) => FactKind::PlannedSurgery,
            FactValue::Medication(_) => FactKind::Medication,
            FactValue::UrineDrugScreen(_) => FactKind::UrineDrugScreen,
            FactValue::UrDecision(_) => FactKind::UrDecision,
            FactValue::AberrantBehavior => FactKind::AberrantBehavior,
            FactValue::Function(_) => FactKind::Function,
            FactValue::SurgicalConsideration => FactKind::SurgicalConsideration,
            FactValue::Condition(_) => FactKind::Condition,
            FactValue::Authorization(_) => FactKind::Authorization,
            FactValue::MorphineEquivalentDose(_) => FactKind::MorphineEquivalentDose,
            FactValue::FirstCourse(_) => FactKind::FirstCourse,
        }
    }

    /// The value of `kind` that `name` names; `None` when the kind has no such value.
    pub fn parse(kind: FactKind, name: &str) -> Option<FactValue> {
        Some(match kind {
            FactKind::Age => FactValue::Age(name.parse().ok()?),
            FactKind::Sex => FactValue::Sex(Sex::parse(name)?),
            FactKind::DateOfInjury => FactValue::DateOfInjury(name.parse().ok()?),
            FactKind::Mechanism => FactValue::Mechanism(Mechanism::parse(name)?),
            FactKind::Diagnosis => FactValue::Diagnosis(Diagnosis::parse(name)?),
            FactKind::BodyRegion => {
                use serde::de::{IntoDeserializer, value::Error};
                let region: Result<BodyRegion, Error> =
                    serde::Deserialize::deserialize(name.into_deserializer());
                FactValue::BodyRegion(region.ok()?)
            }
            FactKind::Treatment => FactValue::Treatment(Care::parse(name)?),
            FactKind::Response => FactValue::Response(Response::parse(name)?),
            FactKind::HomeExerciseProgram => {
                (name == "home_exercise_program").then_some(FactValue::HomeExerciseProgram)?
            }
            FactKind::WorkStatus => FactValue::WorkStatus(WorkStatus::parse(name)?),
            FactKind::PainScore => {
                let (low, high) = name.split_once('-').unwrap_or((name, name));
                let (low, high): (f64, f64) = (low.parse().ok()?, high.parse().ok()?);
                let on_scale = |s: f64| (0.0..=10.0).contains(&s);
                (on_scale(low) && on_scale(high)).then_some(FactValue::PainScore { low, high })?
            }
            FactKind::RedFlag => FactValue::RedFlag(RedFlag::parse(name)?),
            FactKind::NeurologicFinding => {
                FactValue::NeurologicFinding(NeurologicFinding::parse(name)?)
            }
            FactKind::PhysicalFinding => FactValue::PhysicalFinding(PhysicalFinding::parse(name)?),
            FactKind::Imaging => {
                FactValue::Imaging(Service::from_name(name).filter(|s| STUDIES.contains(s))?)
            }
            FactKind::Surgery => FactValue::Surgery(Procedure::parse(name)?),
            FactKind::PlannedSurgery => FactValue::PlannedSurgery(Procedure::parse(name)?),
            FactKind::Medication | FactKind::FirstCourse => {
                let plain = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_alphanumeric() || " -/".contains(c));
                let name = plain.then(|| name.to_string())?;
                if kind == FactKind::Medication {
                    FactValue::Medication(name)
                } else {
                    FactValue::FirstCourse(name)
                }
            }
            FactKind::UrineDrugScreen => FactValue::UrineDrugScreen(Screen::parse(name)?),
            FactKind::UrDecision => FactValue::UrDecision(UrVerdict::parse(name)?),
            FactKind::AberrantBehavior => {
                (name == "aberrant_behavior").then_some(FactValue::AberrantBehavior)?
            }
            FactKind::Function => FactValue::Function(Activity::parse(name)?),
            FactKind::SurgicalConsideration => {
                (name == "surgery").then_some(FactValue::SurgicalConsideration)?
            }
            FactKind::Condition => FactValue::Condition(Comorbidity::parse(name)?),
            FactKind::Authorization => FactValue::Authorization(Care::parse(name)?),
            FactKind::MorphineEquivalentDose => {
                let mg: f64 = name.parse().ok()?;
                (mg.is_finite() && mg > 0.0).then_some(FactValue::MorphineEquivalentDose(mg))?
            }
        })
    }

    /// The service category the value names: a treatment's, a study's, authorized care's.
    pub fn service(&self) -> Option<Service> {
        match self {
            FactValue::Treatment(care) | FactValue::Authorization(care) => care.service(),
            FactValue::Imaging(service) => Some(*service),
            _ => None,
        }
    }
}

/// The studies a fact of kind imaging can name.
pub const STUDIES: &[Service] = &[
    Service::Mri,
    Service::Ct,
    Service::XRay,
    Service::BoneScan,
    Service::EmgNcv,
];

impl fmt::Display for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactValue::Age(years) => write!(f, "{years}"),
            FactValue::DateOfInjury(date) => write!(f, "{date}"),
            FactValue::PainScore { low, high } if low == high => write!(f, "{low}"),
            FactValue::PainScore { low, high } => write!(f, "{low}-{high}"),
            FactValue::Medication(name) | FactValue::FirstCourse(name) => f.write_str(name),
            FactValue::MorphineEquivalentDose(mg) => write!(f, "{mg}"),
            other => f.write_str(other.name()),
        }
    }
}

impl FactValue {
    /// The name of a value from a closed vocabulary; for the open ones (age, date, pain score,
    /// drug name) use `Display`.
    fn name(&self) -> &'static str {
        match self {
            FactValue::Sex(v) => v.as_str(),
            FactValue::Mechanism(v) => v.as_str(),
            FactValue::Diagnosis(v) => v.as_str(),
            FactValue::BodyRegion(v) => v.as_str(),
            FactValue::Treatment(v) | FactValue::Authorization(v) => v.as_str(),
            FactValue::Response(v) => v.as_str(),
            FactValue::HomeExerciseProgram => "home_exercise_program",
            FactValue::WorkStatus(v) => v.as_str(),
            FactValue::RedFlag(v) => v.as_str(),
            FactValue::NeurologicFinding(v) => v.as_str(),
            FactValue::PhysicalFinding(v) => v.as_str(),
            FactValue::Imaging(v) => v.as_str(),
            FactValue::Surgery(v) | FactValue::PlannedSurgery(v) => v.as_str(),
            FactValue::UrineDrugScreen(v) => v.as_str(),
            FactValue::UrDecision(v) => v.as_str(),
            FactValue::AberrantBehavior => "aberrant_behavior",
            FactValue::Function(v) => v.as_str(),
            FactValue::SurgicalConsideration => "surgery",
            FactValue::Condition(v) => v.as_str(),
            FactValue::Age(_)
            | FactValue::DateOfInjury(_)
            | FactValue::PainScore { .. }
            | FactValue::Medication(_)
            | FactValue::FirstCourse(_)
            | FactValue::MorphineEquivalentDose(_) => "",
        }
    }
}

impl serde::Serialize for FactValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_closed_value_reads_back_from_its_name() {
        let kinds_and_names: Vec<(FactKind, &str)> = [
            Sex::ALL
                .iter()
                .map(|v| (FactKind::Sex, v.as_str()))
                .collect::<Vec<_>>(),
            Mechanism::ALL
                .iter()
                .map(|v| (FactKind::Mechanism, v.as_str()))
                .collect(),
            Diagnosis::ALL
                .iter()
                .map(|v| (FactKind::Diagnosis, v.as_str()))
                .collect(),
            Response::ALL
                .iter()
                .map(|v| (FactKind::Response, v.as_str()))
                .collect(),
            WorkStatus::ALL
                .iter()
                .map(|v| (FactKind::WorkStatus, v.as_str()))
                .collect(),
            RedFlag::ALL
                .iter()
                .map(|v| (FactKind::RedFlag, v.as_str()))
                .collect(),
            Procedure::ALL
                .iter()
                .map(|v| (FactKind::Surgery, v.as_str()))
                .collect(),
            Screen::ALL
                .iter()
                .map(|v| (FactKind::UrineDrugScreen, v.as_str()))
                .collect(),
            Activity::ALL
                .iter()
                .map(|v| (FactKind::Function, v.as_str()))
                .collect(),
            Comorbidity::ALL
                .iter()
                .map(|v| (FactKind::Condition, v.as_str()))
                .collect(),
        ]
        .concat();
        for (kind, name) in kinds_and_names {
            let value = FactValue::parse(kind, name).expect(name);
            assert_eq!((value.kind(), value.to_string()), (kind, name.to_string()));
        }
    }

    #[test]
    fn a_name_of_another_kind_or_none_is_refused() {
        assert_eq!(
            FactValue::parse(FactKind::Imaging, "physical_therapy"),
            None
        );
        assert_eq!(
            FactValue::parse(FactKind::NeurologicFinding, "tenderness"),
            None
        );
        assert_eq!(FactValue::parse(FactKind::Treatment, "unknown"), None);
        assert_eq!(FactValue::parse(FactKind::PainScore, "11"), None);
        assert_eq!(FactValue::parse(FactKind::Medication, "<b>"), None);
    }

    #[test]
    fn open_values_keep_their_written_form() {
        for (kind, name) in [
            (FactKind::PainScore, "6-7"),
            (FactKind::PainScore, "6.5"),
            (FactKind::Age, "48"),
            (FactKind::DateOfInjury, "2019-04-02"),
            (FactKind::Medication, "norco"),
            (FactKind::Treatment, "injection"),
            (FactKind::Imaging, "emg_ncv"),
            (FactKind::MorphineEquivalentDose, "90"),
            (FactKind::FirstCourse, "opioid"),
        ] {
            let value = FactValue::parse(kind, name).expect(name);
            assert_eq!(value.to_string(), name);
        }
    }
}
