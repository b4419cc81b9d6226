//! A fallback fact finder, used by the adapter while the fact extraction ([`crate::extract`])
//! returns no facts for a text: trigger phrases for each engine fact, in sentences that do not
//! merely restate the request, with a short negation window before the phrase ("no", "denies",
//! "without") and after it ("was negative", "intact"). Deliberately small; the extraction is
//! the real reader.

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
            "decreased use of",
            "decreased medication",
            "less medication",
            "improvement in activities of daily living",
            "improved activities of daily living",
            "improved adls",
        ],
    ),
    ("home_exercise_program", &["home exercise"]),
    (
        "red_flag",
        &[
            "red flag",
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
            "straight leg raise",
            "straight leg raising",
            "spurling",
            "weak grip",
            "objective evidence of radiculopathy",
        ],
    ),
    (
        "radiculopathy",
        &[
            "radiculopathy",
            "radicular",
            "radiating",
            "sciatica",
            "straight leg raise",
            "straight leg raising",
            "spurling",
        ],
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
        "postoperative",
        &[
            "status post",
            "s/p",
            "post-operative",
            "postoperative",
            "underwent surgery",
            "surgery on",
        ],
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
    ("mri", &["mri", "magnetic resonance"]),
    ("ct", &["ct scan", "computed tomography"]),
    ("x_ray", &["x-ray", "x-rays", "radiograph"]),
    ("emg_ncv", &["emg", "nerve conduction"]),
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

/// Facts found in `text`, for an item of `service` whose drug (if any) is `drug`.
pub fn find(text: &str, service: &str, drug: Option<&str>) -> Vec<EngineFact> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for (start, sentence) in sentences(&lower) {
        // A sentence that restates what is requested says nothing about what was done.
        let restates_request = ["request", "recommend", "plan", "would like"]
            .iter()
            .any(|w| sentence.contains(w));
        for (name, phrases) in TRIGGERS {
            if restates_request && !matches!(*name, "surgery_planned") {
                continue;
            }
            push_matches(&mut out, text, name, sentence, start, phrases);
        }
        if restates_request {
            continue;
        }
        let mut own: Vec<&str> = TREATMENTS
            .iter()
            .filter(|(s, _)| *s == service)
            .flat_map(|(_, p)| p.iter().copied())
            .collect();
        if let Some(drug) = drug.filter(|d| d.len() >= 4) {
            own.push(drug);
        }
        push_matches(&mut out, text, "prior_treatment", sentence, start, &own);
    }
    out
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
