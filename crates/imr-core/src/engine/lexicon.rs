//! The engine's own trigger phrases: for each engine fact a short list of phrases, read in the
//! sentences of the clinical summary that do not merely restate the request, with a negation
//! window before the phrase ("no", "denies", "without") and after it ("was negative", "intact").
//! The adapter uses them only for the engine facts the fact extraction ([`crate::extract`]) does
//! not give, so they fall away as the extraction grows. Deliberately small and generic: every
//! phrase is a clinical sign or term the guidelines' criteria name, never a letter's wording.

use super::input::{EngineFact, Polarity};

/// (engine fact, trigger phrases in lower case).
const TRIGGERS: &[(&str, &[&str])] = &[
    (
        "functional_improvement",
        &[
            "functional improvement",
            "improved function",
            "increased function",
            "returned to work",
            "return to work",
            "reduction in work restrictions",
            "reduction of work restrictions",
            "reduced work restrictions",
            "decreased work restrictions",
            "restrictions were reduced",
            "decreased use of",
            "decreased medication",
            "less medication",
            "less pain medication",
            "improvement in activities of daily living",
            "improved activities of daily living",
            "improved adls",
        ],
    ),
    ("home_exercise_program", &["home exercise"]),
    (
        "red_flag",
        &[
            "cauda equina",
            "bowel or bladder",
            "bowel and bladder",
            "incontinence",
            "tumor",
            "malignancy",
            "infection",
            "progressive neurologic",
        ],
    ),
    (
        "neurological_deficit",
        &[
            "weakness",
            "decreased sensation",
            "diminished sensation",
            "decreased strength",
            "diminished strength",
            "4/5",
            "3/5",
            "decreased reflex",
            "diminished reflex",
            "absent reflex",
            "atrophy",
            "weak grip",
            "objective evidence of radiculopathy",
            "dermatome",
            "dermatomal",
            "myotomal",
        ],
    ),
    (
        "sensory_symptoms",
        &[
            "numbness",
            "tingling",
            "paresthesia",
            "paresthesias",
            "pins and needles",
        ],
    ),
    (
        "radiculopathy",
        &["radiculopathy", "radicular", "radiating", "sciatica"],
    ),
    (
        "neuropathic_pain",
        &[
            "neuropathic",
            "radiculopathy",
            "neuralgia",
            "radicular",
            "neuropathy",
        ],
    ),
    ("carpal_tunnel_signs", &["tinel", "phalen", "carpal tunnel"]),
    (
        "internal_derangement",
        &[
            "meniscal",
            "meniscus",
            "mcmurray",
            "locking",
            "instability",
            "effusion",
            "ligament tear",
            "internal derangement",
            "giving way",
            "unable to bear weight",
            "inability to bear weight",
            "joint line tenderness",
        ],
    ),
    (
        "failed_conservative_care",
        &[
            "physical therapy",
            "conservative",
            "chiropractic",
            "acupuncture",
            "injection",
            "medications",
            "nsaid",
            "home exercise",
        ],
    ),
    (
        "surgery_planned",
        &[
            "surgical consultation",
            "surgery was recommended",
            "recommended surgery",
            "surgical candidate",
            "candidate for surgery",
            "considering surgery",
            "consider surgery",
            "surgical intervention",
            "surgery is planned",
            "planned surgery",
        ],
    ),
    ("muscle_spasm", &["spasm"]),
    (
        "psychological_symptoms",
        &[
            "depression",
            "depressive",
            "anxiety",
            "psychiatric",
            "suicidal",
            "post-traumatic stress",
            "insomnia",
        ],
    ),
    (
        "chronic_pain",
        &["chronic", "over a year", "for years", "several years"],
    ),
    (
        "opioid_monitoring",
        &["urine drug", "drug screen", "uds", "cures"],
    ),
    (
        "opioid_therapy",
        &[
            "opioid",
            "norco",
            "percocet",
            "hydrocodone",
            "oxycodone",
            "oxycontin",
            "tramadol",
            "ultram",
            "morphine",
            "tapentadol",
            "nucynta",
        ],
    ),
    (
        "worsening",
        &[
            "worsening",
            "worsened",
            "progression",
            "progressive",
            "new symptoms",
        ],
    ),
    ("crps", &["crps", "complex regional", "reflex sympathetic"]),
    (
        "osteoarthritis",
        &["osteoarthritis", "degenerative joint", "arthritis"],
    ),
    (
        "gi_risk",
        &[
            "gastritis",
            "dyspepsia",
            "gi upset",
            "ulcer",
            "gastrointestinal",
            "gerd",
            "reflux",
            "stomach upset",
            "heartburn",
        ],
    ),
    (
        "failed_first_line_medication",
        &[
            "gabapentin",
            "neurontin",
            "lyrica",
            "pregabalin",
            "amitriptyline",
            "cymbalta",
            "duloxetine",
            "nortriptyline",
            "topiramate",
        ],
    ),
    (
        "medication_intolerance",
        &[
            "intolerance",
            "unable to tolerate",
            "could not tolerate",
            "not tolerated",
        ],
    ),
    (
        "returned_to_work",
        &[
            "full duty",
            "regular duty",
            "returned to work",
            "working full",
        ],
    ),
    (
        "medical_comorbidity",
        &[
            "hypertension",
            "diabetes",
            "diabetic",
            "obesity",
            "obese",
            "hyperlipidemia",
            "coronary",
            "heart disease",
            "cardiac",
            "copd",
            "asthma",
            "anemia",
            "kidney disease",
            "renal disease",
            "sleep apnea",
        ],
    ),
    (
        "bleeding_risk",
        &[
            "anticoagulant",
            "anticoagulation",
            "warfarin",
            "coumadin",
            "bleeding disorder",
            "hemophilia",
            "eliquis",
            "xarelto",
            "clopidogrel",
            "plavix",
        ],
    ),
];

/// Phrases for prior treatment with a service, by service name.
const TREATMENTS: &[(&str, &[&str])] = &[
    (
        "physical_therapy",
        &[
            "physical therapy",
            "pt sessions",
            "therapy sessions",
            "occupational therapy",
        ],
    ),
    (
        "occupational_therapy",
        &["occupational therapy", "physical therapy"],
    ),
    (
        "chiropractic",
        &["chiropractic", "chiropractor", "manipulation"],
    ),
    ("acupuncture", &["acupuncture"]),
    ("massage", &["massage"]),
    ("tens", &["tens unit", "tens trial"]),
    // Prior cross-sectional imaging of either kind counts before a new MRI (IMG-C5).
    (
        "mri",
        &[
            "mri",
            "magnetic resonance",
            "ct scan",
            "computed tomography",
        ],
    ),
    ("ct", &["ct scan", "computed tomography"]),
    ("x_ray", &["x-ray", "x-rays", "radiograph"]),
    ("emg_ncv", &["emg", "nerve conduction"]),
];

const ANY_STUDY: &[&str] = &[
    "mri",
    "magnetic resonance",
    "ct scan",
    "computed tomography",
    "x-ray",
    "x-rays",
    "radiograph",
    "emg",
    "nerve conduction",
    "imaging",
];

const NEGATIONS_BEFORE: &[&str] = &[
    "no ",
    "not ",
    "without",
    "denies",
    "denied",
    "negative",
    "absence of",
    "lack of",
    "no evidence",
    "none",
    "free of",
    "never",
];
const NEGATIONS_AFTER: &[&str] = &[
    "negative",
    "was normal",
    "were normal",
    "intact",
    "not documented",
    "was not",
    "were not",
    "absent",
];

/// Words that name each body region, to tie a past surgery to the region requested.
const REGION_WORDS: &[(&str, &[&str])] = &[
    ("cervical_spine", &["cervical", "neck"]),
    ("thoracic_spine", &["thoracic", "upper back"]),
    (
        "lumbar_spine",
        &["lumbar", "low back", "lumbosacral", "spine"],
    ),
    ("shoulder", &["shoulder", "rotator cuff"]),
    ("elbow", &["elbow"]),
    ("wrist", &["wrist", "carpal"]),
    ("hand", &["hand", "finger", "thumb", "carpal"]),
    ("hip", &["hip"]),
    ("knee", &["knee", "menisc"]),
    ("ankle", &["ankle"]),
    ("foot", &["foot", "toe"]),
];

const SURGERY_WORDS: &[&str] = &[
    "status post",
    "s/p",
    "post-operative",
    "postoperative",
    "underwent",
    "surgery",
    "arthroscopy",
    "repair",
    "fusion",
    "replacement",
    "release",
];

/// What the phrases say about one item.
pub struct Found {
    pub facts: Vec<EngineFact>,
    /// Visits or sessions of the requested service already given, where a sentence counts them.
    pub prior_visits: Option<f64>,
}

/// A clinical text read once per case: its sentences, and the facts that do not depend on the
/// item (the item-specific ones are read by [`Reading::item`]).
pub struct Reading<'a> {
    text: &'a str,
    lower: String,
    /// (start, end) of each sentence that does not merely restate the request.
    sentences: Vec<(usize, usize)>,
    case_facts: Vec<EngineFact>,
}

impl<'a> Reading<'a> {
    pub fn new(text: &'a str) -> Reading<'a> {
        let lower = text.to_ascii_lowercase();
        let mut case_facts = Vec::new();
        let mut kept = Vec::new();
        for (start, sentence) in sentences(&lower) {
            // A sentence that restates what is requested says nothing about what was done.
            let restates_request = ["request", "recommend", "plan", "would like"]
                .iter()
                .any(|w| sentence.contains(w));
            for (name, phrases) in TRIGGERS {
                if restates_request && !matches!(*name, "surgery_planned") {
                    continue;
                }
                push_matches(&mut case_facts, text, name, sentence, start, phrases);
            }
            if !restates_request {
                kept.push((start, start + sentence.len()));
            }
        }
        Reading {
            text,
            lower,
            sentences: kept,
            case_facts,
        }
    }

    /// The facts for an item of `service` whose drug (if any) is `drug`, on `regions`.
    pub fn item(&self, service: &str, drug: Option<&str>, regions: &[&str]) -> Found {
        let text = self.text;
        let mut out = self.case_facts.clone();
        let mut prior_visits: Option<f64> = None;
        let mut own: Vec<&str> = TREATMENTS
            .iter()
            .filter(|(s, _)| *s == service)
            .flat_map(|(_, p)| p.iter().copied())
            .collect();
        if let Some(drug) = drug.filter(|d| d.len() >= 4) {
            own.push(drug);
        }
        for &(start, end) in &self.sentences {
            let sentence = &self.lower[start..end];
            // For other services, any imaging or electrodiagnostic study already done counts.
            if !matches!(service, "mri" | "ct" | "x_ray" | "bone_scan" | "emg_ncv") {
                push_matches(&mut out, text, "prior_imaging", sentence, start, ANY_STUDY);
            }
            let before = out.len();
            push_matches(&mut out, text, "prior_treatment", sentence, start, &own);
            if out.len() > before
                && out[before].polarity == Polarity::Affirmed
                && let Some(n) = visit_count(sentence)
            {
                prior_visits = Some(prior_visits.map_or(n, |m: f64| m.max(n)));
            }
            // Provocative tests belong to one end of the spine: straight leg raising to the low
            // back and legs, Spurling's test to the neck and arms.
            for (phrases, zone) in [
                (
                    &["straight leg raise", "straight leg raising", "slr"][..],
                    Zone::Lower,
                ),
                (&["spurling"][..], Zone::Upper),
            ] {
                if zone_fits(zone, regions) {
                    push_matches(
                        &mut out,
                        text,
                        "neurological_deficit",
                        sentence,
                        start,
                        phrases,
                    );
                    push_matches(&mut out, text, "radiculopathy", sentence, start, phrases);
                }
            }
            // A past surgery on the region requested puts the request in the postsurgical period.
            if sentence_mentions_region(sentence, regions) {
                push_matches(
                    &mut out,
                    text,
                    "postoperative",
                    sentence,
                    start,
                    SURGERY_WORDS,
                );
            }
        }
        Found {
            facts: out,
            prior_visits,
        }
    }
}

/// The neck and arms, or the low back and legs: a neurologic sign at one end says nothing of
/// the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Upper,
    Lower,
}

pub fn zone_of(region: &str) -> Option<Zone> {
    match region {
        "cervical_spine" | "shoulder" | "arm" | "elbow" | "forearm" | "wrist" | "hand"
        | "finger" | "upper_extremity" => Some(Zone::Upper),
        "lumbar_spine" | "pelvis" | "hip" | "groin" | "knee" | "leg" | "ankle" | "foot" | "toe"
        | "lower_extremity" => Some(Zone::Lower),
        _ => None,
    }
}

/// True when the request names no region of a known zone, or one in `zone`.
pub fn zone_fits(zone: Zone, regions: &[&str]) -> bool {
    let zones: Vec<Zone> = regions.iter().filter_map(|r| zone_of(r)).collect();
    zones.is_empty() || zones.contains(&zone)
}

fn sentence_mentions_region(sentence: &str, regions: &[&str]) -> bool {
    REGION_WORDS
        .iter()
        .filter(|(region, _)| regions.contains(region))
        .any(|(_, words)| words.iter().any(|w| sentence.contains(w)))
}

/// "7 visits", "six sessions", "12 treatments" in a sentence.
fn visit_count(sentence: &str) -> Option<f64> {
    const NUMBER_WORDS: &[(&str, f64)] = &[
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("eleven", 11.0),
        ("twelve", 12.0),
        ("eighteen", 18.0),
        ("twenty", 20.0),
        ("twenty-four", 24.0),
    ];
    let words: Vec<&str> = sentence
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<f64> = None;
    for pair in words.windows(2) {
        let unit = pair[1].trim_end_matches(['.', ';', ':']);
        if !matches!(
            unit,
            "visits" | "sessions" | "treatments" | "visit" | "session"
        ) {
            continue;
        }
        let n = pair[0].parse::<f64>().ok().or_else(|| {
            NUMBER_WORDS
                .iter()
                .find(|(w, _)| *w == pair[0])
                .map(|(_, n)| *n)
        });
        if let Some(n) = n.filter(|n| *n > 0.0 && *n < 100.0) {
            best = Some(best.map_or(n, |b: f64| b.max(n)));
        }
    }
    best
}

fn push_matches(
    out: &mut Vec<EngineFact>,
    text: &str,
    name: &'static str,
    sentence: &str,
    start: usize,
    phrases: &[&str],
) {
    for phrase in phrases {
        let Some(at) = find_word(sentence, phrase) else {
            continue;
        };
        let before = &sentence[..at];
        let window_start = before.char_indices().rev().nth(40).map_or(0, |(i, _)| i);
        let after_end = (at + phrase.len() + 30).min(sentence.len());
        let after = sentence
            .get(at + phrase.len()..after_end)
            .unwrap_or_default();
        let negated = NEGATIONS_BEFORE
            .iter()
            .any(|n| before[window_start..].contains(n))
            || NEGATIONS_AFTER.iter().any(|n| after.contains(n));
        let (s, e) = (start + at, start + at + phrase.len());
        out.push(EngineFact {
            name,
            polarity: if negated {
                Polarity::Negated
            } else {
                Polarity::Affirmed
            },
            span: Some((s, e)),
            text: text.get(s..e).unwrap_or_default().to_string(),
        });
        return;
    }
}

fn find_word(haystack: &str, needle: &str) -> Option<usize> {
    haystack.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Sentences of an ASCII-lower-cased text (same byte offsets as the original), with offsets.
fn sentences(lower: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in lower.char_indices() {
        if c == '.' && lower[i + 1..].starts_with(|n: char| n.is_whitespace()) {
            out.push((start, &lower[start..=i]));
            start = i + 1;
        }
    }
    if start < lower.len() {
        out.push((start, &lower[start..]));
    }
    out
}

/// True when the sentence around byte `at` of `text` names one of `regions` (or no region is
/// requested).
pub fn sentence_names_region(text: &str, at: usize, regions: &[&str]) -> bool {
    if regions.is_empty() {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    let at = at.min(lower.len());
    let start = lower[..at].rfind(". ").map_or(0, |i| i + 2);
    let end = lower[at..].find(". ").map_or(lower.len(), |i| at + i);
    lower
        .get(start..end)
        .is_some_and(|sentence| sentence_mentions_region(sentence, regions))
}

/// Every US date written in `text` ("05/24/2011", "3/16/15", "12-6-16").
pub fn dates(text: &str) -> Vec<jiff::civil::Date> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .map(|w| w.trim_end_matches(['.', ':']))
        .filter(|w| w.len() >= 6 && w.chars().filter(|c| *c == '/' || *c == '-').count() == 2)
        .filter_map(|w| crate::text::parse_us_date(w, None))
        .collect()
}
