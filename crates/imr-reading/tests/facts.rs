//! Clinical facts against the hand-written gold set (tests/data/facts): precision and recall per
//! fact kind and for negation, printed; and odd input never panics.

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use imr_letter::read_letter;
use imr_reading::extract::{self, Fact, FactKind, FactValue, Polarity};
use regex::RegexBuilder;
use serde::Deserialize;

#[derive(Deserialize)]
struct GoldFile {
    letter: String,
    /// Written from the summary alone, after the reader was tuned on the other files and not
    /// tuned on since: its figures are printed apart, as an honest estimate.
    #[serde(default)]
    held_out: bool,
    facts: Vec<GoldFact>,
}

#[derive(Deserialize, Clone)]
struct GoldFact {
    kind: FactKind,
    value: String,
    #[serde(default)]
    polarity: Polarity,
    text: String,
    #[serde(default)]
    nth: Option<usize>,
    #[serde(default)]
    number: Option<f64>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    about: Option<String>,
}

fn gold_files() -> Vec<(PathBuf, GoldFile)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/facts");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("reading tests/data/facts")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("reading a gold file");
            let gold: GoldFile =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, gold)
        })
        .collect()
}

/// Byte ranges where `words` occur in `text`, any case, any whitespace between words.
fn occurrences(text: &str, words: &str) -> Vec<(usize, usize)> {
    let pattern = words
        .split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+");
    let re = RegexBuilder::new(&pattern)
        .case_insensitive(true)
        .build()
        .expect("gold text makes a pattern");
    re.find_iter(text).map(|m| (m.start(), m.end())).collect()
}

#[derive(Default)]
struct Tally {
    gold: usize,
    extracted: usize,
    correct: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        if self.extracted == 0 {
            1.0
        } else {
            self.correct as f64 / self.extracted as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.correct as f64 / self.gold as f64
        }
    }
}

/// True when the extracted fact agrees with the gold fact on every field the gold gives.
fn fields_agree(g: &GoldFact, f: &Fact, problems: &mut Vec<String>) -> bool {
    let mut ok = true;
    if f.polarity != g.polarity {
        problems.push(format!("polarity {:?}, gold {:?}", f.polarity, g.polarity));
        ok = false;
    }
    if g.number.is_some() && f.number != g.number {
        problems.push(format!("number {:?}, gold {:?}", f.number, g.number));
        ok = false;
    }
    if let Some(date) = &g.date
        && f.date.map(|d| d.to_string()).as_deref() != Some(date.as_str())
    {
        problems.push(format!("date {:?}, gold {date}", f.date));
        ok = false;
    }
    if g.about.is_some() && f.about != g.about {
        problems.push(format!("about {:?}, gold {:?}", f.about, g.about));
        ok = false;
    }
    ok
}

#[imr_testkit::needs(letters)]
#[test]
fn facts_match_the_gold_set() {
    let Some(root) = imr_testkit::letters() else {
        return;
    };
    let files = gold_files();
    assert!(
        files.len() >= 15,
        "the gold set needs at least 15 summaries"
    );
    let mut by_kind: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut negation = Tally::default();
    let mut all = Tally::default();
    let mut held_out = Tally::default();
    let mut held_out_negation = Tally::default();
    let mut report = Vec::new();
    for (gold_path, gold) in &files {
        let letter_path = root.join(&gold.letter);
        let letter = std::fs::read_to_string(&letter_path)
            .unwrap_or_else(|e| panic!("{}: {e}", letter_path.display()));
        let summary = read_letter(&letter)
            .clinical_summary
            .unwrap_or_else(|| panic!("{}: no clinical summary", letter_path.display()));
        let facts: Vec<Fact> = extract::facts(&summary)
            .into_iter()
            .filter(|f| f.kind != FactKind::BodyRegion)
            .collect();
        let mut used = vec![false; facts.len()];
        let (gold_before, correct_before) = (all.gold, all.correct);
        let negation_before = (negation.gold, negation.extracted, negation.correct);
        let name = gold_path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        for g in &gold.facts {
            // A gold value its kind does not have is a mistake in the gold file.
            let value = FactValue::parse(g.kind, &g.value)
                .unwrap_or_else(|| panic!("{name}: {:?} is no value of {:?}", g.value, g.kind));
            let places = occurrences(&summary, &g.text);
            assert!(
                !places.is_empty(),
                "{name}: {:?} is not in the summary",
                g.text
            );
            let places: Vec<_> = match g.nth {
                Some(n) => places.get(n - 1).copied().into_iter().collect(),
                None => places,
            };
            let tally = by_kind.entry(g.kind.as_str()).or_default();
            tally.gold += 1;
            all.gold += 1;
            if g.polarity == Polarity::Negated {
                negation.gold += 1;
            }
            // The candidates: same kind and value, span overlapping the gold words; the one that
            // agrees on the most fields wins.
            let candidates: Vec<usize> = (0..facts.len())
                .filter(|&i| !used[i] && facts[i].value == value)
                .filter(|&i| {
                    places
                        .iter()
                        .any(|&(a, b)| facts[i].start < b && a < facts[i].end)
                })
                .collect();
            let best = candidates
                .iter()
                .copied()
                .find(|&i| fields_agree(g, &facts[i], &mut Vec::new()))
                .or(candidates.first().copied());
            match best {
                None => report.push(format!(
                    "{name}: missed {} {} {:?} at {:?}",
                    g.kind.as_str(),
                    g.value,
                    g.polarity,
                    g.text
                )),
                Some(i) => {
                    used[i] = true;
                    let mut problems = Vec::new();
                    if fields_agree(g, &facts[i], &mut problems) {
                        tally.correct += 1;
                        all.correct += 1;
                        if g.polarity == Polarity::Negated {
                            negation.correct += 1;
                        }
                    } else {
                        report.push(format!(
                            "{name}: {} {} at {:?}: {}",
                            g.kind.as_str(),
                            g.value,
                            g.text,
                            problems.join(", ")
                        ));
                    }
                }
            }
        }
        for (i, f) in facts.iter().enumerate() {
            by_kind.entry(f.kind.as_str()).or_default().extracted += 1;
            all.extracted += 1;
            if f.polarity == Polarity::Negated {
                negation.extracted += 1;
            }
            if !used[i] {
                report.push(format!(
                    "{name}: extra {} {} {:?} {:?}",
                    f.kind.as_str(),
                    f.value,
                    f.polarity,
                    f.text
                ));
            }
        }
        if gold.held_out {
            held_out.gold += all.gold - gold_before;
            held_out.correct += all.correct - correct_before;
            held_out.extracted += facts.len();
            held_out_negation.gold += negation.gold - negation_before.0;
            held_out_negation.extracted += negation.extracted - negation_before.1;
            held_out_negation.correct += negation.correct - negation_before.2;
        }
    }
    println!("{}", report.join("\n"));
    println!(
        "\n{:<24} {:>5} {:>9} {:>8} {:>9} {:>7}",
        "kind", "gold", "extracted", "correct", "precision", "recall"
    );
    for (kind, t) in &by_kind {
        println!(
            "{kind:<24} {:>5} {:>9} {:>8} {:>9.3} {:>7.3}",
            t.gold,
            t.extracted,
            t.correct,
            t.precision(),
            t.recall()
        );
    }
    println!(
        "{:<24} {:>5} {:>9} {:>8} {:>9.3} {:>7.3}",
        "all",
        all.gold,
        all.extracted,
        all.correct,
        all.precision(),
        all.recall()
    );
    println!(
        "{:<24} {:>5} {:>9} {:>8} {:>9.3} {:>7.3}",
        "negated (polarity)",
        negation.gold,
        negation.extracted,
        negation.correct,
        negation.precision(),
        negation.recall()
    );
    println!(
        "{:<24} {:>5} {:>9} {:>8} {:>9.3} {:>7.3}",
        "held-out files only",
        held_out.gold,
        held_out.extracted,
        held_out.correct,
        held_out.precision(),
        held_out.recall()
    );
    println!(
        "{:<24} {:>5} {:>9} {:>8} {:>9.3} {:>7.3}",
        "held-out negated",
        held_out_negation.gold,
        held_out_negation.extracted,
        held_out_negation.correct,
        held_out_negation.precision(),
        held_out_negation.recall()
    );
    assert!(
        negation.precision() >= 0.9,
        "negation precision {:.3} < 0.9",
        negation.precision()
    );
    assert!(
        negation.recall() >= 0.9,
        "negation recall {:.3} < 0.9",
        negation.recall()
    );
    assert!(
        all.precision() >= 0.8,
        "overall precision {:.3} < 0.8",
        all.precision()
    );
    assert!(
        all.recall() >= 0.8,
        "overall recall {:.3} < 0.8",
        all.recall()
    );
}

/// Every fact's span must slice the text it came from, on character boundaries.
fn assert_spans(text: &str, facts: &[Fact]) {
    for f in facts {
        assert!(
            f.start <= f.end && f.end <= text.len(),
            "span {}..{} out of the text",
            f.start,
            f.end
        );
        assert_eq!(
            text.get(f.start..f.end),
            Some(f.text.as_str()),
            "span {}..{}",
            f.start,
            f.end
        );
    }
}

#[test]
fn empty_text_gives_no_facts_and_a_diagnostic() {
    for text in ["", "   \n\t "] {
        let e = extract::extract(text);
        assert!(e.facts.is_empty());
        assert_eq!(e.diagnostics.len(), 1, "{text:?}");
        assert_eq!(e.diagnostics[0].field, "text");
    }
}

#[test]
fn a_megabyte_of_noise_is_read_without_panic() {
    let alphabet: Vec<char> = "0123456789 #/-.,;:()%xX é漢\u{301}\n\t".chars().collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut noise = String::new();
    while noise.len() < 1 << 20 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        noise.push(alphabet[(state % alphabet.len() as u64) as usize]);
    }
    let e = extract::extract(&noise);
    assert_spans(&noise, &e.facts);
    assert!(
        e.diagnostics
            .iter()
            .any(|d| d.message.contains("does not look like prose")),
        "noise should be flagged"
    );
}

#[test]
fn mixed_encodings_keep_spans_on_character_boundaries() {
    // Windows-1252 read as Latin-1, curly quotes, a BOM, CJK, combining marks and emoji around
    // words the reader knows.
    let text = "\u{feff}Th\u{e9} patient \u{2019}s 48 year old male \u{201c}denies numbness\u{201d}. \
                Physical therapy \u{d7}6 \u{fc}ber 漢字 tenderness\u{301} no improvement 😀 MRI.";
    let e = extract::extract(text);
    assert_spans(text, &e.facts);
    let numbness = e
        .facts
        .iter()
        .find(|f| f.value.to_string() == "numbness")
        .expect("numbness is read");
    assert_eq!(numbness.polarity, Polarity::Negated);
    assert!(
        e.facts
            .iter()
            .any(|f| f.kind == FactKind::Age && f.number == Some(48.0))
    );
}

#[test]
fn negation_cues_of_the_issue_come_out_negated() {
    let cases = [
        (
            "There is no documented functional improvement.",
            "functional_improvement",
        ),
        (
            "Written without any documentation of functional improvement.",
            "functional_improvement",
        ),
        ("The patient denies numbness.", "numbness"),
        (
            "There is no evidence of radiculopathy.",
            "neuralgia_neuritis_radiculitis",
        ),
        ("Muscle spasm was not noted.", "spasm"),
        ("Tenderness was not documented on this visit.", "tenderness"),
        // A past marker after the negation does not undo it; "not yet" is one cue.
        (
            "There is no documentation of prior physical therapy.",
            "physical_therapy",
        ),
        (
            "There is no record of previous chiropractic care.",
            "chiropractic",
        ),
        (
            "She has not yet started physical therapy.",
            "physical_therapy",
        ),
    ];
    for (text, value) in cases {
        let facts = extract::facts(text);
        let f = facts
            .iter()
            .find(|f| f.value.to_string() == value)
            .unwrap_or_else(|| panic!("{value} in {text:?}"));
        assert_eq!(f.polarity, Polarity::Negated, "{text:?}");
    }
    // And their affirmed twins are not.
    for (text, value) in [
        (
            "There is documented functional improvement.",
            "functional_improvement",
        ),
        ("The patient reports numbness.", "numbness"),
    ] {
        let facts = extract::facts(text);
        let f = facts
            .iter()
            .find(|f| f.value.to_string() == value)
            .unwrap_or_else(|| panic!("{value}"));
        assert_eq!(f.polarity, Polarity::Affirmed, "{text:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any text: no panic, spans slice the text.
    #[test]
    fn any_text_is_read_without_panic(text in "\\PC{0,400}") {
        let e = extract::extract(&text);
        for f in &e.facts {
            proptest::prop_assert_eq!(text.get(f.start..f.end), Some(f.text.as_str()));
        }
    }
}

mod case_files {
    use imr_reading::case_file::{CaseFile, CaseFileError, Format};
    use std::path::Path;

    fn read(name: &str) -> Result<CaseFile, CaseFileError> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/facts/cases")
            .join(name);
        let text = std::fs::read_to_string(&path).expect("reading a case fixture");
        let format = if name.ends_with(".json") {
            Format::Json
        } else {
            Format::Toml
        };
        CaseFile::parse(&text, format)
    }

    #[test]
    fn json_and_toml_cases_are_read() {
        let case = read("good.json").expect("good.json");
        assert_eq!(case.case_number.as_deref(), Some("CM99-0000001"));
        assert_eq!(
            case.date_of_injury.map(|d| d.to_string()).as_deref(),
            Some("2016-10-13")
        );
        assert_eq!(case.requests.len(), 2);
        let case = read("good.toml").expect("good.toml");
        assert_eq!(
            case.requests[0].item,
            "MRI of the right knee without contrast"
        );
        assert_eq!(
            case.date_of_injury.map(|d| d.to_string()).as_deref(),
            Some("2017-01-05")
        );
    }

    #[test]
    fn a_good_case_gives_the_facts_a_rule_needs() {
        use imr_reading::extract::{FactKind, Polarity};
        let case = read("good.json").expect("good.json");
        let facts = imr_reading::extract::facts(&case.clinical_summary);
        let find = |kind: FactKind, value: &str| {
            facts
                .iter()
                .find(|f| f.kind == kind && f.value.to_string() == value)
                .unwrap_or_else(|| panic!("{} {value}", kind.as_str()))
        };
        assert_eq!(find(FactKind::Age, "48").number, Some(48.0));
        assert_eq!(
            find(FactKind::Mechanism, "lifting").polarity,
            Polarity::Affirmed
        );
        let pt = find(FactKind::Treatment, "physical_therapy");
        assert_eq!((pt.number, pt.polarity), (Some(6.0), Polarity::Historical));
        assert_eq!(
            find(FactKind::Response, "functional_improvement").polarity,
            Polarity::Negated
        );
        assert_eq!(
            find(FactKind::NeurologicFinding, "numbness").polarity,
            Polarity::Negated
        );
        assert_eq!(
            find(FactKind::NeurologicFinding, "positive_straight_leg_raise").polarity,
            Polarity::Negated
        );
        assert_eq!(find(FactKind::PainScore, "7").number, Some(7.0));
        assert_eq!(
            find(FactKind::WorkStatus, "modified_duty").polarity,
            Polarity::Affirmed
        );
        let norco = find(FactKind::Medication, "norco");
        let drug = norco.drug.as_ref().expect("drug details");
        assert_eq!(
            (drug.strength.as_deref(), drug.count),
            (Some("10/325 mg"), Some(60))
        );
        assert_eq!(norco.duration.map(|d| d.amount), Some(3));
    }

    #[test]
    fn wrong_types_name_the_field() {
        let err = read("wrong_types.json").expect_err("an item must be text");
        assert!(
            matches!(&err, CaseFileError::Field { field, .. } if field == "requests[0].item"),
            "{err}"
        );
        assert!(err.to_string().contains("requests[0].item"));
        assert!(err.to_string().contains("a number"), "{err}");

        let err = read("bad_date.toml").expect_err("not a date");
        assert!(
            matches!(&err, CaseFileError::Field { field, .. } if field == "date_of_injury"),
            "{err}"
        );
        assert!(
            !err.to_string().contains("13/45"),
            "errors do not echo values: {err}"
        );

        let err = read("no_requests.json").expect_err("requests are needed");
        assert!(
            matches!(&err, CaseFileError::Field { field, .. } if field == "requests"),
            "{err}"
        );

        let err = read("not_json.json").expect_err("not JSON");
        assert!(matches!(err, CaseFileError::Syntax(_)), "{err}");

        assert_eq!(
            CaseFile::parse("  ", Format::Json),
            Err(CaseFileError::Empty)
        );
    }
}

#[test]
fn urine_drug_screens_say_what_they_showed() {
    let text = "A urine drug screen on 05/02/2016 was consistent with prescribed medications. \
                A later urine drug screen was inconsistent. Urine toxicology is pending.";
    let values: Vec<(String, Polarity)> = extract::facts(text)
        .into_iter()
        .filter(|f| f.kind == FactKind::UrineDrugScreen)
        .map(|f| (f.value.to_string(), f.polarity))
        .collect();
    assert_eq!(
        values,
        vec![
            ("consistent".to_string(), Polarity::Affirmed),
            ("inconsistent".to_string(), Polarity::Affirmed),
            ("performed".to_string(), Polarity::Uncertain),
        ]
    );
}

#[test]
fn surgeries_done_and_planned() {
    let text = "She is status post right knee arthroscopy on 01/05/2016. \
                The surgeon recommended a lumbar fusion. He had no prior surgery.";
    let facts = extract::facts(text);
    let done = facts
        .iter()
        .find(|f| f.kind == FactKind::Surgery && f.value.to_string() == "arthroscopy")
        .expect("the arthroscopy");
    assert_eq!(done.polarity, Polarity::Historical);
    assert_eq!(
        done.date.map(|d| d.to_string()).as_deref(),
        Some("2016-01-05")
    );
    assert_eq!(done.body_region.map(|r| r.as_str()), Some("knee"));
    assert_eq!(done.laterality.map(|l| l.as_str()), Some("right"));
    let post = facts
        .iter()
        .find(|f| f.kind == FactKind::Diagnosis && f.value.to_string() == "post_surgical")
        .expect("post-surgical");
    assert_eq!(post.about.as_deref(), Some("arthroscopy"));
    let planned = facts
        .iter()
        .find(|f| f.kind == FactKind::PlannedSurgery)
        .expect("the planned fusion");
    assert_eq!(
        (planned.value.to_string(), planned.polarity),
        ("fusion".to_string(), Polarity::Planned)
    );
    assert_eq!(
        planned.body_region.map(|r| r.as_str()),
        Some("lumbar_spine")
    );
    let none = facts
        .iter()
        .find(|f| f.text == "surgery")
        .expect("the surgery denied");
    assert_eq!(none.polarity, Polarity::Negated);
}

/// A treatment requested is planned, not given: "no prior acupuncture ... requests an
/// acupuncture trial" is a first trial.
#[test]
fn a_requested_treatment_is_planned_not_past() {
    let text = "The patient has had no prior acupuncture. The provider requests an acupuncture \
                trial of six sessions.";
    let polarities: Vec<Polarity> = extract::facts(text)
        .into_iter()
        .filter(|f| f.kind == FactKind::Treatment && f.value.to_string() == "acupuncture")
        .map(|f| f.polarity)
        .collect();
    assert_eq!(polarities, vec![Polarity::Negated, Polarity::Planned]);
}

#[test]
fn little_improvement_is_not_improvement() {
    let text = "She reported little improvement with physical therapy.";
    let response = extract::facts(text)
        .into_iter()
        .find(|f| f.kind == FactKind::Response)
        .expect("a response");
    assert_eq!(
        (response.value.to_string(), response.polarity),
        ("improvement".to_string(), Polarity::Negated)
    );
}

/// NegEx post-triggers: a negation after its finding; and a negation ends at "but".
#[test]
fn negation_after_the_finding_and_up_to_but() {
    let facts = extract::facts("Weakness was not noted. He denies numbness but has weakness.");
    let weakness: Vec<Polarity> = facts
        .iter()
        .filter(|f| f.kind == FactKind::NeurologicFinding && f.value.to_string() == "weakness")
        .map(|f| f.polarity)
        .collect();
    assert_eq!(weakness, vec![Polarity::Negated, Polarity::Affirmed]);
}

#[test]
fn candidacy_is_a_plan_unless_negated() {
    let candidate = extract::facts("He is a surgical candidate.");
    let not_candidate = extract::facts("He is not a surgical candidate.");
    let planned = |facts: &[extract::Fact]| {
        facts
            .iter()
            .find(|f| f.kind == FactKind::PlannedSurgery)
            .map(|f| f.polarity)
    };
    assert_eq!(planned(&candidate), Some(Polarity::Planned));
    assert_eq!(planned(&not_candidate), Some(Polarity::Negated));
}

/// A sentence reporting the utilization review's reasons is tagged; the record's own
/// findings are not.
#[test]
fn ur_reasoning_is_tagged() {
    let text = "The request was denied as there is no evidence of radiculopathy. \
                Examination shows weakness of the left leg.";
    let facts = extract::facts(text);
    let radiculopathy = facts
        .iter()
        .find(|f| f.text == "radiculopathy")
        .expect("radiculopathy");
    assert!(radiculopathy.ur_reasoning);
    let weakness = facts
        .iter()
        .find(|f| f.value.to_string() == "weakness")
        .expect("weakness");
    assert!(!weakness.ur_reasoning);
}

/// "No better" after a trial is no improvement, as "little improvement" is.
#[test]
fn no_better_is_no_improvement() {
    for text in [
        "After six sessions of therapy she is no better.",
        "He states the pain is not any better with acupuncture.",
    ] {
        let response = extract::facts(text)
            .into_iter()
            .find(|f| f.kind == FactKind::Response)
            .unwrap_or_else(|| panic!("a response in {text:?}"));
        assert_eq!(
            (response.value.to_string(), response.polarity),
            ("improvement".to_string(), Polarity::Negated),
            "{text}"
        );
    }
}

/// A fracture boot is a device; it names no fracture.
#[test]
fn a_fracture_boot_is_no_fracture() {
    let facts = extract::facts("She was given a fracture boot for the ankle sprain.");
    assert!(
        !facts.iter().any(|f| f.value.to_string() == "fracture"),
        "no fracture diagnosis"
    );
    assert!(
        facts
            .iter()
            .any(|f| f.kind == FactKind::Treatment && f.value.to_string() == "orthosis")
    );
}

/// Maximum medical improvement and a failed return to work are work statuses (ODG's FCE criteria).
#[test]
fn work_statuses_for_a_functional_capacity_evaluation() {
    let facts = extract::facts(
        "He was found to be at MMI by the treating physician. A failed return to work \
         in March was noted.",
    );
    let statuses: Vec<String> = facts
        .iter()
        .filter(|f| f.kind == FactKind::WorkStatus)
        .map(|f| f.value.to_string())
        .collect();
    assert_eq!(
        statuses,
        vec!["permanent_and_stationary", "failed_return_to_work"]
    );
}

/// A surgery that "is scheduled" is planned, not done.
#[test]
fn a_scheduled_surgery_is_planned() {
    let facts = extract::facts("A right total knee arthroplasty is scheduled for next month.");
    let surgery = facts
        .iter()
        .find(|f| f.value.to_string() == "arthroplasty")
        .expect("the arthroplasty");
    assert_eq!(
        (surgery.kind, surgery.polarity),
        (FactKind::PlannedSurgery, Polarity::Planned)
    );
}

/// A record that names a drug class, not a drug, still says what the patient took; a class word
/// that negates itself ("non-opioid") names nothing taken.
#[test]
fn drug_classes_named_as_such_are_medications() {
    let facts = extract::facts(
        "He has tried NSAIDs and muscle relaxants without relief. He takes non-opioid analgesics.",
    );
    let about: Vec<(String, Option<&str>, Polarity)> = facts
        .iter()
        .filter(|f| f.kind == FactKind::Medication)
        .map(|f| (f.value.to_string(), f.about.as_deref(), f.polarity))
        .collect();
    let about: Vec<(&str, Option<&str>, Polarity)> =
        about.iter().map(|(v, a, p)| (v.as_str(), *a, *p)).collect();
    assert_eq!(
        about,
        vec![
            ("nsaids", Some("nsaid"), Polarity::Historical),
            (
                "muscle relaxants",
                Some("muscle_relaxant"),
                Polarity::Historical
            ),
        ]
    );
}

/// Pain that travels into a limb is radiating pain however it is said.
#[test]
fn pain_into_a_limb_is_radiating_pain() {
    for text in [
        "Constant pain down the right leg to the big toe.",
        "He describes burning pain from the right buttock down the back of the thigh into the heel.",
        "Left arm pain extends to the ring and small fingers.",
        "Sciatica down the L leg x 3 mo.",
    ] {
        let facts = extract::facts(text);
        assert!(
            facts.iter().any(
                |f| f.value.to_string() == "radiating_pain" && f.polarity == Polarity::Affirmed
            ),
            "{text}: {facts:#?}"
        );
    }
}

#[derive(Debug, Deserialize)]
struct ScopeFile {
    case: Vec<ScopeCase>,
}

#[derive(Debug, Deserialize)]
struct ScopeCase {
    text: String,
    findings: Vec<ScopeFinding>,
}

#[derive(Debug, Deserialize)]
struct ScopeFinding {
    kind: String,
    value: String,
    #[serde(default)]
    polarity: Option<String>,
    #[serde(default)]
    result: Option<String>,
    /// A functional measure's or work status's direction: improved, limited, worse, or none.
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    absent: bool,
}

/// Each fixture sentence gives the findings written beside it, with their assertion.
#[test]
fn scope_fixtures_read_as_written() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scope");
    let mut problems = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/data/scope") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let file: ScopeFile = toml::from_str(&std::fs::read_to_string(&path).expect("readable"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in &file.case {
            let facts = extract::facts(&case.text);
            for want in &case.findings {
                checked += 1;
                let found: Vec<&Fact> = facts
                    .iter()
                    .filter(|f| f.kind.as_str() == want.kind && f.value.to_string() == want.value)
                    .collect();
                if want.absent {
                    if !found.is_empty() {
                        problems.push(format!(
                            "{:?}: {} {} read",
                            case.text, want.kind, want.value
                        ));
                    }
                    continue;
                }
                let ok = found.iter().any(|f| {
                    want.polarity
                        .as_deref()
                        .is_none_or(|p| f.polarity.as_str() == p)
                        && want
                            .result
                            .as_deref()
                            .is_none_or(|r| f.result.is_some_and(|x| x.as_str() == r))
                        && want
                            .direction
                            .as_deref()
                            .is_none_or(|d| f.direction.map_or("none", |x| x.as_str()) == d)
                });
                if !ok {
                    let got: Vec<String> = facts
                        .iter()
                        .map(|f| {
                            let direction = f.direction.map_or("", |d| d.as_str());
                            let polarity = f.polarity.as_str();
                            format!("{} {} {polarity} {direction}", f.kind.as_str(), f.value)
                        })
                        .collect();
                    problems.push(format!(
                        "{:?}: want {} {} {:?}, read {got:?}",
                        case.text, want.kind, want.value, want.polarity
                    ));
                }
            }
        }
    }
    assert!(checked > 0, "no scope fixtures in {}", dir.display());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
