//! The closed list of service categories (documented in docs/services.md) and the classifier.

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

/// Keyword rules, tried in order; the first rule with a keyword in the text wins. Keywords are
/// whole words of the normalized text (lower case, punctuation as spaces).
const RULES: &[(Service, &[&str])] = &[
    (
        Service::PreoperativeClearance,
        &[
            "medical clearance",
            "preoperative clearance",
            "pre op clearance",
            "surgical clearance",
        ],
    ),
    (
        Service::AssistantSurgeon,
        &[
            "assistant surgeon",
            "pa assist",
            "surgical assistant",
            "assistant at surgery",
            "co surgeon",
        ],
    ),
    (
        Service::InpatientRehabilitation,
        &[
            "inpatient rehabilitation",
            "rehabilitation unit",
            "skilled nursing",
            "snf",
            "inpatient rehab",
            "acute rehab",
        ],
    ),
    (
        Service::EpiduralSteroidInjection,
        &["epidural", "esi", "transforaminal"],
    ),
    (
        Service::FacetInjection,
        &[
            "facet",
            "medial branch",
            "rhizotomy",
            "radiofrequency ablation",
        ],
    ),
    (
        Service::Adhesiolysis,
        &[
            "neuroplasty",
            "neurolytic",
            "adhesiolysis",
            "lysis of adhesions",
        ],
    ),
    (
        Service::PlateletRichPlasma,
        &["platelet rich plasma", "prp"],
    ),
    (
        Service::TriggerPointInjection,
        &["trigger point injection", "trigger point injections"],
    ),
    (
        Service::JointInjection,
        &[
            "injection",
            "injections",
            "viscosupplementation",
            "cortisone shot",
            "steroid shot",
        ],
    ),
    (
        Service::EmgNcv,
        &[
            "emg",
            "ncv",
            "ncs",
            "electromyography",
            "electromyogram",
            "nerve conduction",
            "electrodiagnostic",
            "electrodiagnostics",
        ],
    ),
    (Service::Ssep, &["ssep", "somatosensory evoked"]),
    (Service::Mri, &["mri", "mris", "magnetic resonance", "mra"]),
    (
        Service::Ct,
        &["ct", "cat scan", "computed tomography", "ct scan"],
    ),
    (Service::BoneScan, &["bone scan", "scintigraphy"]),
    (
        Service::XRay,
        &[
            "x ray",
            "x rays",
            "xray",
            "xrays",
            "radiograph",
            "radiographs",
        ],
    ),
    (
        Service::Electrocardiogram,
        &["electrocardiogram", "ekg", "ecg"],
    ),
    (
        Service::UrineDrugTest,
        &[
            "urine",
            "drug screen",
            "drug screening",
            "drug test",
            "drug testing",
            "uds",
        ],
    ),
    (
        Service::FunctionalCapacityEvaluation,
        &["functional capacity", "fce"],
    ),
    (
        Service::FunctionalTest,
        &[
            "grip test",
            "grip strength",
            "jamar",
            "range of motion",
            "rom test",
            "muscle testing",
        ],
    ),
    (
        Service::FunctionalRestorationProgram,
        &[
            "functional restoration",
            "hela",
            "multidisciplinary pain",
            "interdisciplinary pain",
        ],
    ),
    (
        Service::PsychologicalTreatment,
        &[
            "partial hospitalization",
            "psychotherapy",
            "cognitive behavioral",
            "cbt",
            "psychiatric treatment",
            "counseling",
        ],
    ),
    (
        Service::PsychologicalEvaluation,
        &[
            "psychological",
            "psychology",
            "psychiatric",
            "psych",
            "neuropsychological",
        ],
    ),
    (Service::Transportation, &["transportation", "transport"]),
    (
        Service::HomeHealth,
        &[
            "home health",
            "nurse",
            "nursing",
            "home care",
            "wound care",
            "caregiver",
            "home assistance",
        ],
    ),
    (Service::Acupuncture, &["acupuncture", "electroacupuncture"]),
    (
        Service::Chiropractic,
        &[
            "chiropractic",
            "chiropractor",
            "chiro",
            "chirophysio",
            "manipulation",
            "manipulative",
        ],
    ),
    (Service::Massage, &["massage", "myofascial release"]),
    (
        Service::ShockwaveTherapy,
        &["shockwave", "shock wave", "eswt"],
    ),
    (Service::HWave, &["h wave"]),
    (
        Service::Tens,
        &[
            "tens",
            "e stim",
            "estim",
            "ems",
            "electrical stimulation",
            "electrical muscle stimulation",
            "interferential",
            "neuromuscular stimulator",
        ],
    ),
    (Service::TherapeuticUltrasound, &["ultrasound"]),
    (
        Service::HeatColdTherapy,
        &[
            "infrared",
            "heat",
            "cold",
            "hot",
            "cryotherapy",
            "vascutherm",
            "ice",
            "thermal",
            "game ready",
            "polar care",
            "cold therapy",
        ],
    ),
    (Service::Traction, &["traction"]),
    (Service::Biofeedback, &["biofeedback"]),
    (
        Service::PhysicalTherapy,
        &[
            "physical therapy",
            "physiotherapy",
            "pt",
            "physical medicine",
            "aquatic therapy",
            "therapeutic exercise",
            "therapeutic exercises",
            "work hardening",
            "work conditioning",
        ],
    ),
    (
        Service::OccupationalTherapy,
        &["occupational therapy", "ot"],
    ),
    (
        Service::Consultation,
        &[
            "consult",
            "consultation",
            "referral",
            "refer",
            "toc",
            "transfer of care",
            "second opinion",
        ],
    ),
    (
        Service::Surgery,
        &[
            "surgery",
            "arthroscopy",
            "arthroscopic",
            "arthroplasty",
            "repair",
            "meniscectomy",
            "release",
            "fixation",
            "orif",
            "fusion",
            "laminectomy",
            "laminotomy",
            "discectomy",
            "microdiscectomy",
            "decompression",
            "replacement",
            "reconstruction",
            "tenodesis",
            "debridement",
            "acromioplasty",
            "osteotomy",
            "excision",
            "foraminotomy",
            "synovectomy",
            "chondroplasty",
            "tenotomy",
            "amputation",
            "hernia",
            "herniorrhaphy",
            "implant",
            "hardware removal",
            "manipulation under anesthesia",
        ],
    ),
    (
        Service::OfficeVisit,
        &[
            "office visit",
            "office visits",
            "follow up",
            "followup",
            "exam",
            "examination",
            "re exam",
            "reexam",
            "re evaluation",
            "reevaluation",
            "visit",
            "visits",
            "evaluation",
            "eval",
            "appointment",
        ],
    ),
    (
        Service::Orthosis,
        &[
            "brace",
            "support",
            "sling",
            "ultrasling",
            "slingshot",
            "splint",
            "orthotic",
            "orthotics",
            "orthosis",
            "collar",
            "lso",
            "tlso",
            "corset",
            "insoles",
        ],
    ),
    (
        Service::DurableMedicalEquipment,
        &[
            "wheelchair",
            "commode",
            "chair",
            "bed",
            "scooter",
            "walker",
            "cane",
            "crutches",
            "crutch",
            "workstation",
            "desk",
            "mattress",
            "lift",
            "raised toilet seat",
            "grab bar",
            "grab bars",
            "unit",
            "machine",
            "device",
        ],
    ),
    (
        Service::MedicalSupplies,
        &[
            "gloves",
            "wipes",
            "pad",
            "pads",
            "wrap",
            "wraps",
            "dressing",
            "dressings",
            "bandage",
            "bandages",
            "supplies",
            "stockings",
            "garment",
        ],
    ),
];

/// Words that make an evaluation a specialist consultation ("spine surgery evaluation").
const SPECIALIST: &[&str] = &[
    "surgeon",
    "surgery",
    "surgical",
    "neurosurgeon",
    "neurosurgical",
    "specialist",
    "ortho",
    "orthopedic",
    "orthopaedic",
    "neurologist",
    "neurology",
    "pain management",
    "medication management",
    "rheumatologist",
    "podiatrist",
    "physiatrist",
    "internist",
    "cardiologist",
];

/// Tests a pre-operative work-up orders, when the request is pre-op or an associated service.
const PREOPERATIVE_TESTS: &[&str] = &[
    "labs",
    "lab",
    "laboratory",
    "cbc",
    "cmp",
    "bmp",
    "chem",
    "chemistry",
    "ptt",
    "pt inr",
    "inr",
    "urinalysis",
    "ua",
    "chest x ray",
    "chest xray",
    "cxr",
    "ekg",
    "ecg",
    "electrocardiogram",
    "blood work",
    "panel",
    "h h",
];

/// Lower case, every run of non-alphanumerics one space, padded with spaces at both ends, so
/// a keyword `" x ray "` matches whole words only.
pub(super) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

fn has_any(norm: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        let mut pat = String::with_capacity(w.len() + 2);
        pat.push(' ');
        pat.push_str(w);
        pat.push(' ');
        norm.contains(&pat)
    })
}

/// What the classifier knows besides the words.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Context {
    /// The drug class, when the request names a known drug.
    pub drug: Option<Service>,
    /// Pre-op or an associated surgical service.
    pub perioperative: bool,
    /// The request has a repeating schedule ("2 times 8", "2 times a week").
    pub scheduled: bool,
}

/// The category of a request text (see `RULES` for the order).
pub(super) fn classify(item: &str, ctx: Context) -> Service {
    let norm = normalize(item);
    if ctx.perioperative && has_any(&norm, PREOPERATIVE_TESTS) {
        return Service::PreoperativeTest;
    }
    if let Some(class) = ctx.drug {
        return class;
    }
    // "Physical exam 2 times 8": a course of visits is physical medicine, not an office visit.
    if ctx.scheduled && has_any(&norm, &["physical exam", "physical examination"]) {
        return Service::PhysicalTherapy;
    }
    for (service, words) in RULES {
        if *service == Service::Consultation {
            let evaluation = has_any(&norm, &["evaluation", "eval", "evaluate", "opinion"]);
            if has_any(&norm, words) || (evaluation && has_any(&norm, SPECIALIST)) {
                return Service::Consultation;
            }
            continue;
        }
        if has_any(&norm, words) {
            return *service;
        }
    }
    Service::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_is_the_serde_name() {
        for s in Service::ALL {
            let json = serde_json::to_string(s).expect("serializes");
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            assert_eq!(Service::from_name(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn normalize_pads_and_splits() {
        assert_eq!(normalize("EMG/NCV of the X-Ray"), " emg ncv of the x ray ");
    }
}
