//! The reading set: short clinical texts written by someone who had not read the reader, each
//! with the findings a physician reads in it (tests/data/reading/README.md). The reader's facts
//! are put in the set's terms and counted: precision and recall per kind of finding.

#![allow(clippy::disallowed_methods)] // tests read their fixtures and the environment

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use imr_reading::extract::{self, Fact, FactKind, Polarity, TestResult};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Set {
    sentence: Vec<Text>,
}

#[derive(Debug, Deserialize)]
struct Text {
    id: String,
    text: String,
    #[serde(default)]
    ur_notice: bool,
    #[serde(default)]
    finding: Vec<Expected>,
}

#[derive(Debug, Clone, Deserialize)]
struct Expected {
    kind: String,
    value: String,
    assertion: String,
    #[serde(default)]
    result: Option<String>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    count: Option<f64>,
}

/// A finding in the set's terms: what must agree for a match.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    kind: String,
    value: String,
    assertion: String,
    detail: Option<String>,
}

impl Expected {
    fn key(&self) -> Key {
        Key {
            kind: self.kind.clone(),
            value: self.value.clone(),
            assertion: self.assertion.clone(),
            detail: self.result.clone().or_else(|| self.direction.clone()),
        }
    }
}

impl Key {
    /// A finding read matches an expected one: a function by its direction, not by which
    /// activity was named (two activities are still two findings).
    fn matches(&self, expected: &Key) -> bool {
        self.kind == expected.kind
            && (self.kind == "function" || self.value == expected.value)
            && self.assertion == expected.assertion
            && self.detail == expected.detail
    }
}

/// The reader's fact as the set names it; `None` for what the set does not score.
fn project(fact: &Fact) -> Vec<(Key, Option<f64>)> {
    let care = matches!(
        fact.kind,
        FactKind::Treatment
            | FactKind::Imaging
            | FactKind::Medication
            | FactKind::Surgery
            | FactKind::PlannedSurgery
            | FactKind::UrineDrugScreen
            | FactKind::HomeExerciseProgram
    );
    let assertion = match fact.polarity {
        Polarity::Affirmed | Polarity::Historical => "affirmed",
        Polarity::Negated => "negated",
        Polarity::Uncertain if care => "hypothetical",
        Polarity::Uncertain => "possible",
        Polarity::Planned => "hypothetical",
        Polarity::Other => "other",
    };
    let result = fact.result.map(|r| r.as_str().to_string());
    let key = |kind: &str, value: &str, detail: Option<String>| Key {
        kind: kind.to_string(),
        value: value.to_string(),
        assertion: assertion.to_string(),
        detail,
    };
    let v = fact.value.to_string();
    let v = v.as_str();
    let one = |k: Key| vec![(k, None)];
    match fact.kind {
        FactKind::Imaging if v == "emg_ncv" => one(key("electrodiagnosis", "emg_ncs", result)),
        FactKind::Imaging if matches!(v, "mri" | "ct" | "x_ray" | "bone_scan") => {
            one(key("imaging", v, result))
        }
        FactKind::UrineDrugScreen => {
            let t = fact.text.to_ascii_lowercase();
            let value = if ["cures", "pdmp", "monitoring"]
                .iter()
                .any(|w| t.contains(w))
            {
                "cures"
            } else {
                "urine_drug_screen"
            };
            let result = fact
                .result
                .filter(|r| matches!(r, TestResult::Consistent | TestResult::Inconsistent))
                .map(|r| r.as_str().to_string());
            one(key("drug_screen", value, result))
        }
        FactKind::AberrantBehavior => one(key("aberrant_behavior", "aberrant_behavior", None)),
        FactKind::NeurologicFinding => match v {
            "weakness" => one(key("neurologic_deficit", "weakness", None)),
            "decreased_sensation" => one(key("neurologic_deficit", "sensory_loss", None)),
            "decreased_reflexes" => one(key("neurologic_deficit", "reflex_loss", None)),
            "atrophy" => one(key("neurologic_deficit", "atrophy", None)),
            "positive_straight_leg_raise" => {
                one(key("root_tension_sign", "straight_leg_raise", None))
            }
            "positive_spurling" => one(key("root_tension_sign", "spurling", None)),
            "radiating_pain" => one(key("radicular_symptom", "radiating_pain", None)),
            "numbness" | "tingling" => one(key("radicular_symptom", "paresthesia", None)),
            _ => Vec::new(),
        },
        FactKind::Treatment => {
            let value = match v {
                "physical_therapy" | "occupational_therapy" => "physical_therapy",
                "chiropractic" => "chiropractic",
                "acupuncture" => "acupuncture",
                "massage" => "massage",
                "epidural_steroid_injection" => "epidural_injection",
                "facet_injection" => "facet_injection",
                "joint_injection" => "joint_injection",
                "trigger_point_injection" => "trigger_point_injection",
                "tens" => "tens",
                "psychological_treatment" => "psychotherapy",
                _ => return Vec::new(),
            };
            vec![(key("treatment", value, None), fact.number)]
        }
        FactKind::HomeExerciseProgram => one(key("treatment", "home_exercise", None)),
        FactKind::Surgery | FactKind::PlannedSurgery => one(key("treatment", "surgery", None)),
        FactKind::SurgicalConsideration => one(key("surgical_consideration", "surgery", None)),
        FactKind::Medication => {
            let class = fact.about.as_deref().unwrap_or_default();
            let value = match class {
                "topical_analgesic" | "compounded_topical" => "topical",
                "opioid"
                | "nsaid"
                | "muscle_relaxant"
                | "anticonvulsant"
                | "antidepressant"
                | "proton_pump_inhibitor"
                | "benzodiazepine"
                | "sleep_aid"
                | "corticosteroid" => class,
                _ => return Vec::new(),
            };
            one(key("medication", value, None))
        }
        // Care that failed is no improvement from it.
        FactKind::Response
            if matches!(v, "failed_conservative_care" | "treatment_failure")
                && fact.polarity == Polarity::Affirmed =>
        {
            one(Key {
                assertion: "negated".to_string(),
                ..key("response", "improvement", None)
            })
        }
        FactKind::Response => {
            let value = match v {
                "improvement" | "temporary_improvement" => "improvement",
                "functional_improvement" => "functional_improvement",
                "worsening" => "worsening",
                _ => return Vec::new(),
            };
            one(key("response", value, None))
        }
        FactKind::Function => {
            let direction = fact.direction.map(|d| d.as_str().to_string());
            one(key("function", v, direction))
        }
        FactKind::WorkStatus => {
            let value = match v {
                "full_duty" => "full_duty",
                "modified_duty" => "modified_duty",
                "temporarily_totally_disabled" | "not_working" => "off_work",
                _ => return Vec::new(),
            };
            one(key("work_status", value, None))
        }
        FactKind::RedFlag => {
            let value = match v {
                "bowel_bladder_dysfunction" => "bowel_bladder",
                "cauda_equina" => "cauda_equina",
                "progressive_neurologic_deficit" => "progressive_deficit",
                "infection" => "infection",
                "tumor" => "tumor",
                _ => return Vec::new(),
            };
            one(key("red_flag", value, None))
        }
        FactKind::Diagnosis if v == "fracture" => one(key("red_flag", "fracture", None)),
        _ => Vec::new(),
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    true_positive: usize,
    false_positive: usize,
    false_negative: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_positive)
    }
    fn recall(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_negative)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

struct Score {
    kinds: BTreeMap<String, Tally>,
    texts: usize,
    counts_right: usize,
    counts_stated: usize,
    ur_tagged: usize,
    ur_texts: usize,
    misses: Vec<String>,
}

fn score(folder: &Path) -> Score {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut s = Score {
        kinds: BTreeMap::new(),
        texts: 0,
        counts_right: 0,
        counts_stated: 0,
        ur_tagged: 0,
        ur_texts: 0,
        misses: Vec::new(),
    };
    for file in files {
        let source = std::fs::read_to_string(&file).expect("readable set");
        let set: Set =
            toml::from_str(&source).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for text in set.sentence {
            s.texts += 1;
            let document = extract::read(&text.text);
            if text.ur_notice {
                s.ur_texts += 1;
                if !document.ur_notice().is_empty() {
                    s.ur_tagged += 1;
                }
            }
            let mut read: Vec<(Key, Option<f64>)> = document
                .facts()
                .iter()
                .filter(|f| !f.ur_reasoning)
                .flat_map(project)
                .collect();
            read.sort_by(|a, b| a.0.cmp(&b.0));
            read.dedup_by(|a, b| a.0 == b.0);
            let mut unmatched: Vec<(Key, Option<f64>)> = read;
            for expected in &text.finding {
                let key = expected.key();
                let tally = s.kinds.entry(key.kind.clone()).or_default();
                if let Some(i) = unmatched.iter().position(|(k, _)| k.matches(&key)) {
                    tally.true_positive += 1;
                    let (_, count) = unmatched.remove(i);
                    if let Some(n) = expected.count {
                        s.counts_stated += 1;
                        if count == Some(n) {
                            s.counts_right += 1;
                        }
                    }
                } else {
                    tally.false_negative += 1;
                    s.misses.push(format!("{} missed {key:?}", text.id));
                }
            }
            for (key, _) in unmatched {
                s.kinds.entry(key.kind.clone()).or_default().false_positive += 1;
                s.misses.push(format!("{} extra {key:?}", text.id));
            }
        }
    }
    s
}

fn report(name: &str, s: &Score) -> String {
    let mut out = format!(
        "{name}: {} texts\n{:<24} {:>9} {:>7} {:>5} {:>5} {:>5}\n",
        s.texts, "kind", "precision", "recall", "tp", "fp", "fn"
    );
    for (kind, t) in &s.kinds {
        out.push_str(&format!(
            "{kind:<24} {:>9.3} {:>7.3} {:>5} {:>5} {:>5}\n",
            t.precision(),
            t.recall(),
            t.true_positive,
            t.false_positive,
            t.false_negative
        ));
    }
    out.push_str(&format!(
        "counts right: {} of {}; UR notices tagged: {} of {}\n",
        s.counts_right, s.counts_stated, s.ur_tagged, s.ur_texts
    ));
    out
}

fn data(batch: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/reading")
        .join(batch)
}

/// The floors the first batch holds today, per kind (precision, recall): a change that reads
/// worse fails here. Every kind is at the goal of 0.95 or above; docs/engine.md has the
/// figures.
const FLOORS: &[(&str, f64, f64)] = &[
    ("aberrant_behavior", 0.97, 1.00),
    ("drug_screen", 0.97, 0.97),
    ("electrodiagnosis", 1.00, 1.00),
    ("function", 0.98, 1.00),
    ("imaging", 1.00, 1.00),
    ("medication", 0.98, 0.98),
    ("neurologic_deficit", 1.00, 1.00),
    ("radicular_symptom", 1.00, 1.00),
    ("red_flag", 1.00, 1.00),
    ("response", 1.00, 1.00),
    ("root_tension_sign", 1.00, 1.00),
    ("surgical_consideration", 1.00, 0.97),
    ("treatment", 0.98, 0.97),
    ("work_status", 1.00, 1.00),
];

/// The goal for every kind of finding: no floor may fall below it.
const GOAL: f64 = 0.95;

#[test]
fn first_batch_reads_as_a_physician_reads() {
    let s = score(&data("batch1"));
    let table = report("batch1", &s);
    println!("{table}");
    if std::env::var_os("IMR_READING_MISSES").is_some() {
        for m in &s.misses {
            println!("{m}");
        }
    }
    assert!(s.texts >= 400, "the first batch has at least 400 texts");
    assert_eq!(
        FLOORS.len(),
        s.kinds.len(),
        "every kind read has a floor: {:?}",
        s.kinds.keys()
    );
    for &(kind, precision, recall) in FLOORS {
        assert!(
            precision >= GOAL && recall >= GOAL,
            "{kind}: a floor below the goal"
        );
        let t = s.kinds.get(kind).copied().unwrap_or_default();
        assert!(
            t.precision() >= precision && t.recall() >= recall,
            "{kind}: precision {:.3} (floor {precision}), recall {:.3} (floor {recall})\n{table}",
            t.precision(),
            t.recall()
        );
    }
}

#[test]
fn second_batch_is_reported_as_it_came_out() {
    let folder = data("batch2");
    if !folder.exists() {
        return;
    }
    let s = score(&folder);
    println!("{}", report("batch2", &s));
    assert!(s.texts >= 120, "the second batch has at least 120 texts");
}
