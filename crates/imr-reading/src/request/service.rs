//! The service classifier: a disputed item's words into one category of the closed list
//! ([`crate::vocab::service`]).

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

pub use crate::vocab::service::Service;

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
    // Route decides before the drug: lidocaine and a corticosteroid injected into a joint are
    // an injection, not a topical or an oral drug. Only a named injection procedure does; a
    // drug merely given by injection ("Toradol injection") keeps its class.
    if let Some(class) = ctx.drug {
        let injected = has_any(
            &norm,
            &[
                "injection",
                "injections",
                "inject",
                "intra articular",
                "intraarticular",
                "block",
                "epidural",
            ],
        );
        let site = has_any(
            &norm,
            &[
                "knee",
                "shoulder",
                "hip",
                "elbow",
                "wrist",
                "ankle",
                "joint",
                "subacromial",
                "bursa",
                "trigger",
                "facet",
                "epidural",
                "sacroiliac",
                "si",
                "intra articular",
                "intraarticular",
                "glenohumeral",
                "acromioclavicular",
                "thumb",
                "finger",
                "carpal",
                "tendon",
                "sheath",
                "lumbar",
                "cervical",
            ],
        );
        if !(injected && site) {
            return class;
        }
    }
    // "Physical exam 2 times 8": a course of visits is physical medicine, not an office visit.
    if ctx.scheduled && has_any(&norm, &["physical exam", "physical examination"]) {
        return Service::PhysicalTherapy;
    }
    let first = first_rule(&norm);
    // A consultation is also an evaluation by a specialist named by their field.
    let consultation = RULES
        .iter()
        .position(|(service, _)| *service == Service::Consultation);
    if let Some(c) = consultation
        && first.is_none_or(|f| c < f)
        && has_any(&norm, &["evaluation", "eval", "evaluate", "opinion"])
        && has_any(&norm, SPECIALIST)
    {
        return Service::Consultation;
    }
    first.map_or(Service::Unknown, |i| RULES[i].0)
}

/// The first of the `RULES` with a keyword in the normalized text: one pass over the text for
/// all of them, not one per keyword.
fn first_rule(norm: &str) -> Option<usize> {
    static KEYWORDS: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
        let (patterns, rules): (Vec<String>, Vec<usize>) = RULES
            .iter()
            .enumerate()
            .flat_map(|(i, (_, words))| words.iter().map(move |w| (format!(" {w} "), i)))
            .unzip();
        let matcher = AhoCorasick::new(patterns).expect("the keywords build a matcher");
        (matcher, rules)
    });
    let (matcher, rules) = &*KEYWORDS;
    matcher
        .find_overlapping_iter(norm)
        .map(|m| rules[m.pattern().as_usize()])
        .min()
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
