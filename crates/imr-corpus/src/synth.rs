//! Synthetic Final Determination Letters for scale tests: the project's own fictional text, in
//! the published letters' layout (header `Label: value` lines, the three sections, items with
//! their guideline lines and rationales), varied enough that search and statistics have real
//! work to do. Every letter is about nobody: the case numbers are in the unused CM99 series.
//!
//! The generator is deterministic: letter `n` of seed `s` is always the same text.

use std::fmt::Write as _;

use imr_core::Decision;
use imr_reading::request::Service;
use jiff::civil::Date;

/// A generated letter and what it was written to say (to check the reader against).
#[derive(Debug, Clone)]
pub struct SyntheticLetter {
    pub case_number: String,
    pub decision_date: Date,
    pub text: String,
    /// Per item: its request, the category it was written as, and its decision.
    pub items: Vec<(String, Service, Decision)>,
}

/// SplitMix64: small, fast and good enough to vary fictional text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, n: u64) -> Rng {
        let mut r = Rng(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }
}

/// A region as written in a request, the MTUS chapter that covers it, and diagnoses there.
const REGIONS: &[(&str, &str, &[&str])] = &[
    (
        "lumbar spine",
        "Low Back Complaints",
        &[
            "lumbar strain with radiculitis",
            "degenerative disc disease",
            "lumbar disc protrusion",
        ],
    ),
    (
        "low back",
        "Low Back Complaints",
        &[
            "lumbosacral sprain",
            "myofascial pain syndrome",
            "facet arthropathy",
        ],
    ),
    (
        "cervical spine",
        "Neck and Upper Back Complaints",
        &[
            "cervical sprain",
            "cervical radiculopathy",
            "degenerative disc disease",
        ],
    ),
    (
        "neck",
        "Neck and Upper Back Complaints",
        &["cervical strain", "myofascial pain syndrome"],
    ),
    (
        "left shoulder",
        "Shoulder Complaints",
        &[
            "rotator cuff tendinitis",
            "impingement syndrome",
            "adhesive capsulitis",
        ],
    ),
    (
        "right shoulder",
        "Shoulder Complaints",
        &["rotator cuff tear", "impingement syndrome"],
    ),
    (
        "right knee",
        "Knee Complaints",
        &["medial meniscus tear", "patellofemoral pain", "knee sprain"],
    ),
    (
        "left knee",
        "Knee Complaints",
        &["lateral meniscus tear", "osteoarthritis", "knee contusion"],
    ),
    (
        "right wrist",
        "Forearm, Wrist, and Hand Complaints",
        &[
            "carpal tunnel syndrome",
            "de Quervain tenosynovitis",
            "wrist sprain",
        ],
    ),
    (
        "left hand",
        "Forearm, Wrist, and Hand Complaints",
        &["trigger finger", "hand contusion"],
    ),
    (
        "right elbow",
        "Elbow Complaints",
        &["lateral epicondylitis", "cubital tunnel syndrome"],
    ),
    (
        "left ankle",
        "Ankle and Foot Complaints",
        &["ankle sprain", "plantar fasciitis", "Achilles tendinitis"],
    ),
];

/// Kinds of request: the category, a request template ({r} region, {n} number) and the
/// guideline section the rationale turns on.
struct Kind {
    service: Service,
    request: &'static str,
    chapter_guideline: bool,
    section: &'static str,
    topic: &'static str,
}

const KINDS: &[Kind] = &[
    Kind {
        service: Service::PhysicalTherapy,
        request: "Physical therapy {n} sessions for the {r}",
        chapter_guideline: false,
        section: "Physical medicine",
        topic: "supervised therapy",
    },
    Kind {
        service: Service::PhysicalTherapy,
        request: "Additional physical therapy 2 times a week for {w} weeks for the {r}",
        chapter_guideline: false,
        section: "Physical medicine",
        topic: "supervised therapy",
    },
    Kind {
        service: Service::Acupuncture,
        request: "Acupuncture {n} sessions for the {r}",
        chapter_guideline: false,
        section: "Acupuncture",
        topic: "acupuncture",
    },
    Kind {
        service: Service::Chiropractic,
        request: "Chiropractic manipulation {n} visits for the {r}",
        chapter_guideline: false,
        section: "Manual therapy & manipulation",
        topic: "manipulation",
    },
    Kind {
        service: Service::Mri,
        request: "MRI of the {r} without contrast",
        chapter_guideline: true,
        section: "Special Studies",
        topic: "imaging",
    },
    Kind {
        service: Service::XRay,
        request: "X-rays of the {r}, 3 views",
        chapter_guideline: true,
        section: "Special Studies",
        topic: "imaging",
    },
    Kind {
        service: Service::EmgNcv,
        request: "EMG/NCV of the bilateral lower extremities",
        chapter_guideline: true,
        section: "Special Studies",
        topic: "electrodiagnostic testing",
    },
    Kind {
        service: Service::Opioid,
        request: "Norco 10/325mg #{n}",
        chapter_guideline: false,
        section: "Opioids, criteria for use",
        topic: "opioid therapy",
    },
    Kind {
        service: Service::Opioid,
        request: "Tramadol 50mg #{n}",
        chapter_guideline: false,
        section: "Opioids, criteria for use",
        topic: "opioid therapy",
    },
    Kind {
        service: Service::MuscleRelaxant,
        request: "Cyclobenzaprine 7.5mg #{n}",
        chapter_guideline: false,
        section: "Muscle relaxants (for pain)",
        topic: "a muscle relaxant",
    },
    Kind {
        service: Service::Nsaid,
        request: "Naproxen 550mg #{n}",
        chapter_guideline: false,
        section: "NSAIDs (non-steroidal anti-inflammatory drugs)",
        topic: "an anti-inflammatory",
    },
    Kind {
        service: Service::ProtonPumpInhibitor,
        request: "Omeprazole 20mg #{n}",
        chapter_guideline: false,
        section: "NSAIDs, GI symptoms & cardiovascular risk",
        topic: "gastric protection",
    },
    Kind {
        service: Service::Anticonvulsant,
        request: "Gabapentin 600mg #{n}",
        chapter_guideline: false,
        section: "Anti-epilepsy drugs (AEDs)",
        topic: "an anti-epilepsy drug",
    },
    Kind {
        service: Service::EpiduralSteroidInjection,
        request: "Lumbar epidural steroid injection at L{l}-L{m}",
        chapter_guideline: false,
        section: "Epidural steroid injections (ESIs)",
        topic: "an epidural injection",
    },
    Kind {
        service: Service::Tens,
        request: "TENS unit rental for {n} days",
        chapter_guideline: false,
        section: "Transcutaneous electrotherapy",
        topic: "electrical stimulation",
    },
    Kind {
        service: Service::UrineDrugTest,
        request: "Urine drug screen",
        chapter_guideline: false,
        section: "Drug testing",
        topic: "drug testing",
    },
    Kind {
        service: Service::FunctionalCapacityEvaluation,
        request: "Functional capacity evaluation",
        chapter_guideline: true,
        section: "General Approaches",
        topic: "a functional capacity evaluation",
    },
];

const SPECIALTIES: &[&str] = &[
    "Orthopedic Surgery",
    "Physical Medicine & Rehabilitation, Pain Management",
    "Family Practice",
    "Internal Medicine",
    "Preventive Medicine, Occupational Medicine",
    "Anesthesiology, Pain Management",
    "Chiropractor",
    "Neurology",
    "Emergency Medicine",
];

const STATES: &[&str] = &[
    "California",
    "Oregon",
    "Texas",
    "Arizona",
    "Nevada",
    "Washington",
];

const JOBS: &[&str] = &[
    "warehouse associate",
    "bus driver",
    "dental assistant",
    "carpenter",
    "line cook",
    "groundskeeper",
    "school custodian",
    "delivery driver",
    "nursing aide",
    "machine operator",
    "cashier",
    "electrician",
    "office clerk",
    "farm worker",
    "stocker",
];

const MECHANISMS: &[&str] = &[
    "lifting a heavy box from a pallet",
    "slipping on a wet floor",
    "a fall from a ladder",
    "repetitive overhead reaching",
    "pushing a loaded cart up a ramp",
    "a low speed vehicle collision while on duty",
    "twisting while carrying equipment",
    "prolonged keyboard work",
];

const TREATMENTS: &[&str] = &[
    "physical therapy",
    "acupuncture",
    "chiropractic care",
    "home exercise",
    "medications",
    "activity modification",
    "a TENS unit",
    "injections",
    "bracing",
    "ice and heat",
];

const FINDINGS: &[&str] = &[
    "tenderness to palpation with guarding",
    "restricted range of motion",
    "a positive straight leg raise",
    "decreased sensation in a dermatomal pattern",
    "normal strength and reflexes",
    "diminished grip strength",
    "a mildly antalgic gait",
    "no neurological deficit",
];

const UPHELD_REASONS: &[&str] = &[
    "The records do not document objective functional improvement from prior {topic}, such as reduced work restrictions or lower medication use.",
    "The guideline criteria for {topic} are not met: there is no documentation of a failed trial of first-line conservative care.",
    "The number requested exceeds what the guideline supports for {topic}, and no exceptional factors are described.",
    "There are no new red flags or progressive neurological findings that would support {topic} at this time.",
    "The submitted notes do not include the monitoring the guideline expects with {topic}, including a current assessment of pain relief and function.",
];

const OVERTURNED_REASONS: &[&str] = &[
    "The records document a clear functional gain with earlier {topic} and a specific plan with measurable goals.",
    "The examination shows new objective findings, and the guideline supports {topic} in that setting.",
    "The request falls within the guideline's recommended course for {topic}, and first-line care has been tried and documented.",
    "The treating physician documents the monitoring the guideline requires, with stable function and no aberrant behavior, so continued {topic} is appropriate.",
];

/// Letter `n` of the series `seed`.
pub fn letter(seed: u64, n: u64) -> SyntheticLetter {
    let mut rng = Rng::new(seed, n);
    let case_number = format!("CM99-{:07}", n % 10_000_000);
    let base = Date::new(2015, 1, 1).unwrap_or(Date::MIN);
    let decision_date = add_days(base, rng.range(0, 5 * 365) as i32);
    let assigned = add_days(decision_date, -(rng.range(14, 40) as i32));
    let received = add_days(assigned, -(rng.range(1, 10) as i32));
    let denial = add_days(received, -(rng.range(5, 30) as i32));
    let injury = add_days(denial, -(rng.range(60, 3000) as i32));
    let priority = if rng.chance(5) {
        "Expedited"
    } else {
        "Standard"
    };

    let mut t = String::with_capacity(4096);
    let _ = writeln!(t, "Case Number: {case_number}");
    let _ = writeln!(t, "Date Assigned: {}", us(assigned));
    let _ = writeln!(t, "Decision Date: {}", us(decision_date));
    let _ = writeln!(t, "Priority: {priority}");
    let _ = writeln!(t, "Date of Injury: {}", us(injury));
    let _ = writeln!(t, "UR Denial Date: {}", us(denial));
    let _ = writeln!(t, "Application Received: {}", us(received));
    t.push('\n');
    t.push_str("HOW THE IMR FINAL DETERMINATION WAS MADE\n");
    wrap(
        &mut t,
        "Sierra Review Services sent the complete case file to an expert reviewer with no affiliation with the employer, the employee, the providers or the claims administrator. The reviewer holds an active practice in a specialty that treats the condition and knows the strength of evidence hierarchy that governs Independent Medical Review.",
    );
    t.push_str("The Expert Reviewer has the following credentials:\n");
    let _ = writeln!(t, "State(s) of Licensure: {}", rng.pick(STATES));
    let _ = writeln!(t, "Certification(s)/Specialty: {}", rng.pick(SPECIALTIES));
    t.push('\n');

    let (region, chapter, diagnoses) = *rng.pick(REGIONS);
    let diagnosis = rng.pick(diagnoses);
    t.push_str("CLINICAL CASE SUMMARY\n");
    t.push_str("The expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:\n");
    let sex = if rng.chance(50) { "male" } else { "female" };
    let mut summary = format!(
        "The injured worker is a {} year old {sex} {} who was injured at work on {} after {}. The diagnoses include {diagnosis}. Treatment to date has included {}, {} and {}. ",
        rng.range(22, 67),
        rng.pick(JOBS),
        dashed(injury),
        rng.pick(MECHANISMS),
        rng.pick(TREATMENTS),
        rng.pick(TREATMENTS),
        rng.pick(TREATMENTS),
    );
    let _ = write!(
        summary,
        "At the visit of {} the worker reported pain of {} out of 10 in the {region}, worse with {}. The examination showed {} and {}. ",
        dashed(add_days(denial, -(rng.range(7, 45) as i32))),
        rng.range(3, 9),
        rng.pick(&["sitting", "lifting", "overhead work", "walking", "gripping"]),
        rng.pick(FINDINGS),
        rng.pick(FINDINGS),
    );
    if rng.chance(40) {
        let _ = write!(
            summary,
            "The worker remains on {} duty. ",
            rng.pick(&["modified", "full", "temporarily totally disabled", "light"])
        );
    }
    let _ = write!(
        summary,
        "Utilization review on {} non-certified the request.",
        dashed(denial)
    );
    wrap(&mut t, &summary);
    t.push('\n');

    t.push_str("IMR ISSUES, DECISIONS AND RATIONALES\n");
    t.push_str("The Final Determination was based on decisions for the disputed items/services set forth below:\n");
    let count = 1 + rng.below(4) * rng.below(2) + usize::from(rng.chance(30));
    let mut items = Vec::with_capacity(count);
    let mut used: Vec<usize> = Vec::new();
    for _ in 0..count {
        let mut k = rng.below(KINDS.len());
        while used.contains(&k) {
            k = (k + 1) % KINDS.len();
        }
        used.push(k);
        let kind = &KINDS[k];
        let level = rng.range(3, 5);
        let request = kind
            .request
            .replace("{r}", region)
            .replace(
                "{n}",
                &rng.range(2, 12)
                    .saturating_mul(if kind.service.is_medication() { 10 } else { 1 })
                    .to_string(),
            )
            .replace("{w}", &rng.range(2, 6).to_string())
            .replace("{l}", &level.to_string())
            .replace("{m}", &(level + 1).to_string());
        let decision = if rng.chance(11) {
            Decision::Overturned
        } else {
            Decision::Upheld
        };
        let guideline = if kind.chapter_guideline {
            format!("MTUS {chapter} 2004, Section(s): {}", kind.section)
        } else {
            format!(
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): {}",
                kind.section
            )
        };
        let _ = writeln!(t, "{request}: {decision}");
        wrap(
            &mut t,
            &format!("Claims Administrator guideline: Decision based on {guideline}."),
        );
        let mut imro = format!("Sierra Review guideline: Decision based on {guideline}.");
        if rng.chance(35) {
            let _ = write!(
                imro,
                " Decision based on Non-MTUS Citation Official Disability Guidelines, {} Chapter.",
                chapter.replace(" Complaints", "")
            );
        }
        wrap(&mut t, &imro);
        let reasons = match decision {
            Decision::Upheld => UPHELD_REASONS,
            Decision::Overturned => OVERTURNED_REASONS,
        };
        let verdict = match decision {
            Decision::Upheld => "As such, this request is not medically necessary.",
            Decision::Overturned => "Therefore, this request is medically necessary.",
        };
        let first = rng.below(reasons.len());
        let second = (first + 1 + rng.below(reasons.len() - 1)) % reasons.len();
        let rationale = format!(
            "Decision rationale: The MTUS addresses {} for {diagnosis}. {} {} {verdict}",
            kind.topic,
            reasons[first].replace("{topic}", kind.topic),
            reasons[second].replace("{topic}", kind.topic),
        );
        wrap(&mut t, &rationale);
        items.push((request, kind.service, decision));
    }
    SyntheticLetter {
        case_number,
        decision_date,
        text: t,
        items,
    }
}

fn add_days(date: Date, days: i32) -> Date {
    date.checked_add(jiff::Span::new().days(i64::from(days)))
        .unwrap_or(date)
}

fn us(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.month(), d.day(), d.year())
}

fn dashed(d: Date) -> String {
    format!("{:02}-{:02}-{:04}", d.month(), d.day(), d.year())
}

/// Appends `text` wrapped at 95 columns, as the letters' lines are.
fn wrap(out: &mut String, text: &str) {
    let mut width = 0;
    for word in text.split_whitespace() {
        if width > 0 && width + 1 + word.len() > 95 {
            out.push('\n');
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.len();
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use imr_letter::read_letter;
    use imr_reading::request::read_request;

    use super::*;

    #[test]
    fn the_reader_reads_back_what_was_written() {
        let mut service_agree = 0;
        let mut items = 0;
        for n in 0..300 {
            let letter = letter(7, n);
            let read = read_letter(&letter.text);
            assert!(!read.has_errors(), "letter {n}: {:?}", read.diagnostics);
            assert_eq!(
                read.case_number.as_deref(),
                Some(letter.case_number.as_str())
            );
            assert_eq!(read.decision_date, Some(letter.decision_date));
            assert!(
                !read.reviewer.specialties.is_empty(),
                "letter {n}: no specialty"
            );
            let got: Vec<_> = read
                .items
                .iter()
                .map(|i| (i.request.as_str(), i.decision))
                .collect();
            let want: Vec<_> = letter
                .items
                .iter()
                .map(|(r, _, d)| (r.as_str(), Some(*d)))
                .collect();
            assert_eq!(got, want, "letter {n}");
            for (item, (_, service, _)) in read.items.iter().zip(&letter.items) {
                assert!(!item.citations.is_empty(), "letter {n}: no citation read");
                items += 1;
                service_agree += usize::from(read_request(&item.request).service == *service);
            }
        }
        assert_eq!(
            service_agree, items,
            "every request classifies as it was written"
        );
    }

    #[test]
    fn the_same_seed_and_number_give_the_same_letter() {
        assert_eq!(letter(1, 42).text, letter(1, 42).text);
        assert_ne!(letter(1, 42).text, letter(1, 43).text);
        assert_ne!(letter(1, 42).text, letter(2, 42).text);
    }

    #[test]
    fn letters_vary() {
        let letters: Vec<_> = (0..200).map(|n| letter(3, n)).collect();
        let overturned = letters
            .iter()
            .flat_map(|l| &l.items)
            .filter(|(_, _, d)| *d == Decision::Overturned)
            .count();
        let services: std::collections::BTreeSet<_> = letters
            .iter()
            .flat_map(|l| l.items.iter().map(|i| i.1))
            .collect();
        assert!(overturned > 5, "some items are overturned");
        assert!(services.len() > 10, "many service categories");
    }
}
