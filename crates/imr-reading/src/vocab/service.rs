//! The closed list of service categories (documented in docs/services.md).

use serde::{Deserialize, Serialize};

/// The category of a disputed service, as the guidelines treat it. Categories are split where
/// the guidelines judge them differently (MRI vs CT vs x-ray; opioid vs NSAID vs muscle relaxant
/// vs topical; surgery vs the services associated with it). Serde names are the rule files'
/// vocabulary: add variants, never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    // Physical medicine
    /// Physical therapy, physical medicine, PT/OT together, PT evaluation, "physical exam x8".
    PhysicalTherapy,
    /// Occupational therapy alone.
    OccupationalTherapy,
    /// Acute inpatient rehabilitation, rehabilitation unit, skilled nursing facility.
    InpatientRehabilitation,
    /// Chiropractic care, spinal manipulation, chiropractic physiotherapy ("chirophysio").
    Chiropractic,
    /// Acupuncture, electro-acupuncture.
    Acupuncture,
    /// Massage, myofascial release.
    Massage,
    /// TENS, E-stim, EMS, electrical stimulation, interferential units.
    Tens,
    /// Therapeutic ultrasound (a passive modality, not imaging).
    TherapeuticUltrasound,
    /// Extracorporeal shockwave therapy.
    ShockwaveTherapy,
    /// Heat or cold: infrared, heat pads, hot/cold wraps, cold therapy and cryotherapy units,
    /// Vascutherm.
    HeatColdTherapy,
    /// Traction.
    Traction,
    /// H-wave stimulation.
    HWave,
    /// Biofeedback.
    Biofeedback,
    /// Functional restoration (multidisciplinary pain) programs.
    FunctionalRestorationProgram,

    // Diagnostics
    /// MRI of any region, with or without contrast, MARS or open.
    Mri,
    /// CT scan.
    Ct,
    /// Plain radiographs (x-rays), not as pre-operative tests.
    XRay,
    /// Bone scan (incl. three phase).
    BoneScan,
    /// EMG, NCV or NCS, alone or together.
    EmgNcv,
    /// Somatosensory evoked potentials.
    Ssep,
    /// Electrocardiogram outside surgery.
    Electrocardiogram,
    /// Urine drug testing.
    UrineDrugTest,
    /// Functional capacity evaluation.
    FunctionalCapacityEvaluation,
    /// Single functional tests: grip strength (Jamar), range of motion testing.
    FunctionalTest,

    // Medications
    /// Opioids: hydrocodone (Norco), oxycodone (Percocet), tramadol (Ultram), incl. suspensions.
    Opioid,
    /// Muscle relaxants: cyclobenzaprine (oral), orphenadrine, baclofen, chlorzoxazone, ...
    MuscleRelaxant,
    /// Oral NSAIDs: etodolac, celecoxib, ibuprofen, meloxicam, naproxen, ...
    Nsaid,
    /// Proton pump inhibitors: omeprazole, pantoprazole, ...
    ProtonPumpInhibitor,
    /// H2 blockers: famotidine (Pepcid), ranitidine (incl. Deprizine).
    H2Blocker,
    /// Antidepressants (for pain or mood): bupropion, venlafaxine, duloxetine, ...
    Antidepressant,
    /// Anticonvulsants for pain: gabapentin (incl. Fanatrex), pregabalin, ...
    Anticonvulsant,
    /// A single-agent commercial topical: lidocaine patch, Flector, Salonpas, Anecream.
    TopicalAnalgesic,
    /// A compounded topical: several ingredients, "in cream base", or a known compound.
    CompoundedTopical,
    /// Benzodiazepines: diazepam (Valium), alprazolam, ...
    Benzodiazepine,
    /// Sleep aids that are not benzodiazepines: zolpidem, diphenhydramine (Dicopanol), ...
    SleepAid,
    /// Antiemetics: ondansetron (Zofran), ...
    Antiemetic,
    /// Laxatives and stool softeners: docusate (Colace), senna, ...
    Laxative,
    /// Barbiturate-containing analgesics: butalbital (Fioricet).
    BarbiturateAnalgesic,
    /// A medication in none of the classes above.
    MedicationOther,

    // Injections
    /// Facet joint injections, medial branch blocks, facet rhizotomy.
    FacetInjection,
    /// Epidural steroid injections.
    EpiduralSteroidInjection,
    /// Percutaneous adhesiolysis: neuroplasty, injection of neurolytic substance.
    Adhesiolysis,
    /// Platelet-rich plasma injections.
    PlateletRichPlasma,
    /// Trigger point injections.
    TriggerPointInjection,
    /// Joint injections (corticosteroid, viscosupplementation) and other injections.
    JointInjection,

    // Surgery
    /// A surgical procedure: arthroscopy, repair, meniscectomy, release, fixation, fusion, ...
    Surgery,
    /// Assistant surgeon, PA assist.
    AssistantSurgeon,
    /// Pre-operative medical clearance.
    PreoperativeClearance,
    /// Pre-operative tests: labs (CBC, CMP, PT/PTT, chem panel), urinalysis, chest x-ray, EKG
    /// before surgery.
    PreoperativeTest,

    // Visits
    /// Office visits, follow-ups, initial exams, re-examinations.
    OfficeVisit,
    /// Consultations, referrals and specialist evaluations ("spine surgery evaluation", "TOC").
    Consultation,
    /// Psychological evaluation and testing.
    PsychologicalEvaluation,
    /// Psychological treatment: psychotherapy, CBT, partial hospitalization.
    PsychologicalTreatment,

    // Equipment and care
    /// Braces, supports, slings, splints, orthotics.
    Orthosis,
    /// Durable medical equipment: wheelchair, commode, shower chair, hospital bed, knee scooter,
    /// walker, sit-stand workstation.
    DurableMedicalEquipment,
    /// Disposable supplies: gloves, wipes, wraps, pads.
    MedicalSupplies,
    /// Home health care, visiting or wound-care nurse.
    HomeHealth,
    /// Transportation to medical appointments.
    Transportation,

    /// The request names nothing this list covers.
    Unknown,
}

impl Service {
    /// Every category, in declaration order.
    pub const ALL: &'static [Service] = &[
        Service::PhysicalTherapy,
        Service::OccupationalTherapy,
        Service::InpatientRehabilitation,
        Service::Chiropractic,
        Service::Acupuncture,
        Service::Massage,
        Service::Tens,
        Service::TherapeuticUltrasound,
        Service::ShockwaveTherapy,
        Service::HeatColdTherapy,
        Service::Traction,
        Service::HWave,
        Service::Biofeedback,
        Service::FunctionalRestorationProgram,
        Service::Mri,
        Service::Ct,
        Service::XRay,
        Service::BoneScan,
        Service::EmgNcv,
        Service::Ssep,
        Service::Electrocardiogram,
        Service::UrineDrugTest,
        Service::FunctionalCapacityEvaluation,
        Service::FunctionalTest,
        Service::Opioid,
        Service::MuscleRelaxant,
        Service::Nsaid,
        Service::ProtonPumpInhibitor,
        Service::H2Blocker,
        Service::Antidepressant,
        Service::Anticonvulsant,
        Service::TopicalAnalgesic,
        Service::CompoundedTopical,
        Service::Benzodiazepine,
        Service::SleepAid,
        Service::Antiemetic,
        Service::Laxative,
        Service::BarbiturateAnalgesic,
        Service::MedicationOther,
        Service::FacetInjection,
        Service::EpiduralSteroidInjection,
        Service::Adhesiolysis,
        Service::PlateletRichPlasma,
        Service::TriggerPointInjection,
        Service::JointInjection,
        Service::Surgery,
        Service::AssistantSurgeon,
        Service::PreoperativeClearance,
        Service::PreoperativeTest,
        Service::OfficeVisit,
        Service::Consultation,
        Service::PsychologicalEvaluation,
        Service::PsychologicalTreatment,
        Service::Orthosis,
        Service::DurableMedicalEquipment,
        Service::MedicalSupplies,
        Service::HomeHealth,
        Service::Transportation,
        Service::Unknown,
    ];

    /// The serde name ("physical_therapy").
    pub fn as_str(self) -> &'static str {
        match self {
            Service::PhysicalTherapy => "physical_therapy",
            Service::OccupationalTherapy => "occupational_therapy",
            Service::InpatientRehabilitation => "inpatient_rehabilitation",
            Service::Chiropractic => "chiropractic",
            Service::Acupuncture => "acupuncture",
            Service::Massage => "massage",
            Service::Tens => "tens",
            Service::TherapeuticUltrasound => "therapeutic_ultrasound",
            Service::ShockwaveTherapy => "shockwave_therapy",
            Service::HeatColdTherapy => "heat_cold_therapy",
            Service::Traction => "traction",
            Service::HWave => "h_wave",
            Service::Biofeedback => "biofeedback",
            Service::FunctionalRestorationProgram => "functional_restoration_program",
            Service::Mri => "mri",
            Service::Ct => "ct",
            Service::XRay => "x_ray",
            Service::BoneScan => "bone_scan",
            Service::EmgNcv => "emg_ncv",
            Service::Ssep => "ssep",
            Service::Electrocardiogram => "electrocardiogram",
            Service::UrineDrugTest => "urine_drug_test",
            Service::FunctionalCapacityEvaluation => "functional_capacity_evaluation",
            Service::FunctionalTest => "functional_test",
            Service::Opioid => "opioid",
            Service::MuscleRelaxant => "muscle_relaxant",
            Service::Nsaid => "nsaid",
            Service::ProtonPumpInhibitor => "proton_pump_inhibitor",
            Service::H2Blocker => "h2_blocker",
            Service::Antidepressant => "antidepressant",
            Service::Anticonvulsant => "anticonvulsant",
            Service::TopicalAnalgesic => "topical_analgesic",
            Service::CompoundedTopical => "compounded_topical",
            Service::Benzodiazepine => "benzodiazepine",
            Service::SleepAid => "sleep_aid",
            Service::Antiemetic => "antiemetic",
            Service::Laxative => "laxative",
            Service::BarbiturateAnalgesic => "barbiturate_analgesic",
            Service::MedicationOther => "medication_other",
            Service::FacetInjection => "facet_injection",
            Service::EpiduralSteroidInjection => "epidural_steroid_injection",
            Service::Adhesiolysis => "adhesiolysis",
            Service::PlateletRichPlasma => "platelet_rich_plasma",
            Service::TriggerPointInjection => "trigger_point_injection",
            Service::JointInjection => "joint_injection",
            Service::Surgery => "surgery",
            Service::AssistantSurgeon => "assistant_surgeon",
            Service::PreoperativeClearance => "preoperative_clearance",
            Service::PreoperativeTest => "preoperative_test",
            Service::OfficeVisit => "office_visit",
            Service::Consultation => "consultation",
            Service::PsychologicalEvaluation => "psychological_evaluation",
            Service::PsychologicalTreatment => "psychological_treatment",
            Service::Orthosis => "orthosis",
            Service::DurableMedicalEquipment => "durable_medical_equipment",
            Service::MedicalSupplies => "medical_supplies",
            Service::HomeHealth => "home_health",
            Service::Transportation => "transportation",
            Service::Unknown => "unknown",
        }
    }

    /// The category for a serde name.
    pub fn from_name(name: &str) -> Option<Service> {
        Service::ALL.iter().copied().find(|s| s.as_str() == name)
    }

    /// True for drug classes.
    pub fn is_medication(self) -> bool {
        matches!(
            self,
            Service::Opioid
                | Service::MuscleRelaxant
                | Service::Nsaid
                | Service::ProtonPumpInhibitor
                | Service::H2Blocker
                | Service::Antidepressant
                | Service::Anticonvulsant
                | Service::TopicalAnalgesic
                | Service::CompoundedTopical
                | Service::Benzodiazepine
                | Service::SleepAid
                | Service::Antiemetic
                | Service::Laxative
                | Service::BarbiturateAnalgesic
                | Service::MedicationOther
        )
    }
}
