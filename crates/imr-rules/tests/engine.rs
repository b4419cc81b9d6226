//! The guideline engine: rule files, findings on fictional cases, properties, and the backtest
//! against the published letters (skipped with a note when IMR_LETTERS is unset).

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use std::path::{Path, PathBuf};

use imr_core::model::Decision;
use imr_letter::read_letter;
use imr_reading::case_file::CaseFile;
use imr_rules::engine::backtest::{Comparison, compare, score, table};
use imr_rules::engine::{
    CaseFindings, CaseInput, ClinicalFact, CriterionState, EngineFact, ItemInput, Polarity, Status,
    adapt, agreement, review, review_item,
};
use imr_rules::guidelines::{EMBEDDED, Family, Guidelines, load_file};
use proptest::prelude::*;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/engine")
        .join(name)
}

fn guidelines() -> Guidelines {
    Guidelines::embedded().expect("the embedded rule files load")
}

/// The clinical thresholds of the shipped rule files.
fn thresholds() -> imr_rules::guidelines::Thresholds {
    guidelines().thresholds
}

fn case(name: &str) -> CaseInput {
    let text = std::fs::read_to_string(data(name)).expect("fixture is readable");
    let case = CaseFile::parse_any(&text).expect("fixture is a case file");
    adapt::from_case_file(&case, &thresholds())
}

/// A fixture with words of its text replaced (`(from, to)` pairs), as the engine reads it.
fn case_with(name: &str, edits: &[(&str, &str)]) -> CaseInput {
    let mut text = std::fs::read_to_string(data(name)).expect("fixture is readable");
    for (from, to) in edits {
        assert!(text.contains(from), "{name} has no {from:?}");
        text = text.replace(from, to);
    }
    let case = CaseFile::parse_any(&text).expect("fixture is a case file");
    adapt::from_case_file(&case, &thresholds())
}

/// Each finding's deciding rule and decision, in item order.
fn outcomes(findings: &CaseFindings) -> Vec<(Option<&str>, Option<Decision>)> {
    findings
        .items
        .iter()
        .map(|i| (i.rule.as_deref(), i.decision))
        .collect()
}

#[test]
fn the_embedded_list_names_every_rule_file() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../guidelines");
    let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
        .expect("guidelines folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = EMBEDDED.iter().map(|(n, _)| n.to_string()).collect();
    embedded.sort();
    assert_eq!(embedded, on_disk);
    for (name, text) in EMBEDDED {
        let on_disk = std::fs::read_to_string(folder.join(name)).expect("rule file");
        assert_eq!(*text, on_disk, "{name} differs from the embedded copy");
    }
}

#[test]
fn every_rule_has_a_citation_and_a_unique_version() {
    let g = guidelines();
    assert!(g.rules.len() > 40, "{} rules", g.rules.len());
    for rule in &g.rules {
        assert!(!rule.citation.guideline.is_empty(), "{}", rule.id);
        assert!(rule.rationale.len() > 40, "{}", rule.id);
    }
}

#[test]
fn a_rule_file_with_a_typo_is_refused_with_file_and_line() {
    let text = std::fs::read_to_string(data("bad-rule.toml")).expect("fixture");
    let error = load_file("bad-rule.toml", &text).expect_err("a typo is refused");
    assert_eq!(error.line, 8, "{error}");
    let message = error.to_string();
    assert!(message.starts_with("bad-rule.toml:8:"), "{message}");
    assert!(
        message.contains("did you mean \"functional_improvement\""),
        "{message}"
    );
}

#[test]
fn opioid_rules_follow_the_version_in_force() {
    let g = guidelines();
    let item = ItemInput {
        request: "Norco 10/325mg #60".into(),
        service: Some("opioid"),
        quantity: Some(60.0),
        ..ItemInput::default()
    };
    let before = review_item(&g, &item, Some("2015-01-01".parse().expect("date")));
    let after = review_item(&g, &item, Some("2017-01-01".parse().expect("date")));
    assert_eq!(before.family, Some(Family::Cpmtg));
    assert_eq!(after.family, Some(Family::Opioids));
    assert_eq!(before.rule, after.rule);
}

#[test]
fn a_case_without_a_clinical_summary_says_so() {
    let findings = review(&guidelines(), &case("no-summary.json"), None);
    assert!(
        findings
            .problems
            .iter()
            .any(|p| p.contains("no clinical summary"))
    );
    let item = &findings.items[0];
    // No facts: no rule can decide, and the finding names what is missing.
    assert_eq!(item.status, Status::NeedsPhysician);
    assert!(!item.missing.is_empty());
}

#[test]
fn an_unknown_service_needs_a_physician() {
    let findings = review(&guidelines(), &case("unknown-service.json"), None);
    let item = &findings.items[0];
    assert_eq!(item.status, Status::NeedsPhysician);
    assert_eq!(item.decision, None);
    assert!(item.missing[0].contains("service"), "{:?}", item.missing);
}

#[test]
fn a_request_with_no_quantity_names_what_is_missing() {
    let g = guidelines();
    let item = ItemInput {
        request: "Chiropractic treatment for the lumbar spine".into(),
        service: Some("chiropractic"),
        body_regions: vec!["lumbar_spine"],
        facts: vec![
            fact("prior_treatment", Polarity::Negated),
            fact("chronic_pain", Polarity::Affirmed),
        ],
        ..ItemInput::default()
    };
    let finding = review_item(&g, &item, None);
    assert_eq!(finding.status, Status::NeedsPhysician);
    assert!(
        finding
            .missing
            .iter()
            .any(|m| m.contains("number of visits")),
        "{:?}",
        finding.missing
    );
}

#[test]
fn findings_on_fixture_cases() {
    let g = guidelines();
    let trial = review(&g, &case("pt-trial.json"), None);
    let pt = &trial.items[0];
    assert_eq!(pt.service, Some("physical_therapy"));
    assert_eq!(pt.decision, Some(Decision::Overturned), "{pt:?}");
    assert_eq!(
        pt.rule.as_deref(),
        Some("mtus.cpmtg.physical-medicine.initial-trial")
    );

    let acupuncture = review(&g, &case("acupuncture-no-improvement.json"), None);
    let a = &acupuncture.items[0];
    assert_eq!(a.decision, Some(Decision::Upheld), "{a:?}");
    assert_eq!(a.family, Some(Family::Acupuncture));
    assert!(
        a.missing
            .iter()
            .any(|m| m.contains("after the first 6 acupuncture visits"))
    );
    assert!(
        !a.evidence.is_empty(),
        "a decided finding shows its evidence"
    );
    // The checklist: every criterion the acupuncture rules test, the decisive ones marked, each
    // with its state; the one that failed shows the negated span.
    let improvement = a
        .criteria
        .iter()
        .find(|c| c.name == "functional_improvement")
        .expect("functional improvement is a criterion");
    assert!(improvement.decisive);
    assert_eq!(improvement.state, CriterionState::NotMet);
    assert!(!improvement.evidence.is_empty());
    assert!(a.criteria.iter().any(|c| !c.decisive), "{:?}", a.criteria);
    let quantity = a
        .criteria
        .iter()
        .find(|c| c.name == "quantity")
        .expect("the quantity is a criterion");
    assert_eq!(
        (quantity.state, quantity.value.as_deref()),
        (CriterionState::Met, Some("8"))
    );
}

/// The rule agreement table shipped with the engine is the backtest's current counts on all the
/// dev letters.
#[imr_testkit::needs(letters)]
#[test]
fn the_agreement_table_is_current() {
    let Some(dir) = letters_dir() else { return };
    let shipped = agreement::parse(include_str!("../src/engine/agreement.csv")).expect("table");
    let measured = agreement::measure(&backtest(&dir.join("dev/txt")));
    let fresh = agreement::parse(&agreement::write(&measured)).expect("fresh table");
    let changed: Vec<String> = shipped
        .keys()
        .chain(fresh.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|rule| shipped.get(*rule) != fresh.get(*rule))
        .map(|rule| {
            let show = |a: Option<&agreement::RuleAgreement>| {
                a.map_or("-".to_string(), |a| format!("{}/{}", a.agree, a.hits))
            };
            format!(
                "{rule}: shipped {}, measured {}",
                show(shipped.get(rule)),
                show(fresh.get(rule))
            )
        })
        .collect();
    assert!(
        changed.is_empty(),
        "the rules changed what they decide on the dev letters (agree/hits):\n  {}\nregenerate the table: cargo run -p imr -- backtest $IMR_LETTERS/dev/txt --write-agreement crates/imr-rules/src/engine/agreement.csv",
        changed.join("\n  ")
    );
}

/// Requests read right: a requested acupuncture trial is no past acupuncture, "little
/// improvement" with therapy is no improvement, UR's reasons are no findings, and a straight-leg
/// raise is no neurological deficit.
#[test]
fn requests_and_records_read_right() {
    let g = guidelines();
    let summary = "The patient has chronic neck pain since 2014. She has had no prior acupuncture. \
                   She completed 8 sessions of physical therapy with little improvement. She does \
                   a home exercise program daily. Straight leg raise is positive. The request was \
                   denied as there is no documentation of weakness. The provider requests an \
                   acupuncture trial of 6 sessions.";
    let requests = [
        adapt::RequestText {
            item: "Acupuncture 6 sessions for the cervical spine",
            original_request: None,
            authorized: None,
        },
        adapt::RequestText {
            item: "Physical therapy 6 sessions for the cervical spine",
            original_request: None,
            authorized: None,
        },
    ];
    let case = adapt::build(None, None, None, summary, &requests, &thresholds());
    // The UR's reasons are kept apart, to be shown as such.
    assert_eq!(case.ur_reasoning.len(), 1, "{:?}", case.ur_reasoning);
    assert!(
        case.ur_reasoning[0]
            .text
            .starts_with("The request was denied")
    );
    let has = |item: &ItemInput, name: ClinicalFact, polarity: Polarity| {
        item.facts
            .iter()
            .any(|f| f.name == name && f.polarity == polarity)
    };
    let acupuncture = &case.items[0];
    assert!(has(
        acupuncture,
        ClinicalFact::PriorTreatment,
        Polarity::Negated
    ));
    assert!(
        !acupuncture
            .facts
            .iter()
            .any(|f| f.name == ClinicalFact::PriorTreatment && f.polarity != Polarity::Negated),
        "{:?}",
        acupuncture.facts
    );
    // The UR's "no documentation of weakness" and a positive straight-leg raise are no
    // finding about a deficit either way.
    assert!(
        !acupuncture
            .facts
            .iter()
            .any(|f| f.name == ClinicalFact::NeurologicalDeficit),
        "{:?}",
        acupuncture.facts
    );
    let finding = review_item(&g, acupuncture, None);
    assert_eq!(finding.decision, Some(Decision::Overturned), "{finding:?}");
    let pt = &case.items[1];
    assert!(
        has(pt, ClinicalFact::NoBenefit, Polarity::Affirmed),
        "{:?}",
        pt.facts
    );
    assert!(!has(
        pt,
        ClinicalFact::FunctionalImprovement,
        Polarity::Affirmed
    ));
}

/// The postsurgical table: within the period after a meniscectomy, the initial course (6 of the
/// general course's 12 visits) is approved, a request beyond it without documented functional
/// improvement is not, and neither is one past the general course.
#[test]
fn the_postsurgical_table_decides_by_procedure() {
    let g = guidelines();
    let summary = "She underwent right knee arthroscopic meniscectomy on 03/01/2016. \
                   She has knee stiffness.";
    let review_of = |item: &str| {
        let requests = [adapt::RequestText {
            item,
            original_request: None,
            authorized: None,
        }];
        let date = "2016-04-01".parse().ok();
        let case = adapt::build(
            None,
            "2015-12-01".parse().ok(),
            date,
            summary,
            &requests,
            &thresholds(),
        );
        assert!(
            case.items[0]
                .procedures
                .contains(&"meniscectomy".to_string())
        );
        review(&g, &case, None).items.remove(0)
    };
    let six = review_of("Physical therapy 6 visits for the right knee");
    assert_eq!(six.decision, Some(Decision::Overturned), "{six:?}");
    assert_eq!(
        six.rule.as_deref(),
        Some("mtus.postsurgical.knee-arthroscopy.initial-course")
    );
    let procedure = six
        .criteria
        .iter()
        .find(|c| c.name == "procedure")
        .expect("the procedure is a criterion");
    assert_eq!(procedure.state, CriterionState::Met);
    assert!(
        procedure
            .value
            .as_deref()
            .is_some_and(|v| v.contains("meniscectomy"))
    );
    let twelve = review_of("Physical therapy 12 visits for the right knee");
    assert_eq!(twelve.decision, Some(Decision::Upheld), "{twelve:?}");
    let many = review_of("Physical therapy 18 visits for the right knee");
    assert_eq!(
        many.rule.as_deref(),
        Some("mtus.postsurgical.knee-arthroscopy.beyond-general-course")
    );
}

/// A deficit said to be worsening is a progressive deficit, a red flag; a stable one is not.
#[test]
fn a_worsening_deficit_is_a_red_flag() {
    let requests = [adapt::RequestText {
        item: "MRI of the lumbar spine",
        original_request: None,
        authorized: None,
    }];
    let red_flag = |summary: &str| {
        adapt::build(None, None, None, summary, &requests, &thresholds()).items[0]
            .facts
            .iter()
            .any(|f| f.name == ClinicalFact::RedFlag && f.polarity != Polarity::Negated)
    };
    assert!(red_flag(
        "Examination shows weakness of great toe extension, worse than at the prior visit."
    ));
    assert!(!red_flag(
        "Examination shows weakness of great toe extension. Her pain is worse."
    ));
}

/// A diagnosis to rule out is no sign of it: "rule out carpal tunnel syndrome" does not make the
/// arm's nerve studies' approving path.
#[test]
fn a_diagnosis_to_rule_out_is_no_sign() {
    let requests = [adapt::RequestText {
        item: "EMG/NCV of the bilateral upper extremities",
        original_request: None,
        authorized: None,
    }];
    let summary = "He is treated for wrist pain, rule out carpal tunnel syndrome.";
    let case = adapt::build(None, None, None, summary, &requests, &thresholds());
    assert!(
        !case.items[0]
            .facts
            .iter()
            .any(|f| f.name == ClinicalFact::CarpalTunnelSigns),
        "{:?}",
        case.items[0].facts
    );
    let with_signs = "He has numbness of the hand. Tinel's sign is positive at the wrist.";
    let case = adapt::build(None, None, None, with_signs, &requests, &thresholds());
    assert!(
        case.items[0]
            .facts
            .iter()
            .any(|f| f.name == ClinicalFact::CarpalTunnelSigns),
        "{:?}",
        case.items[0].facts
    );
}

fn fact(name: &str, polarity: Polarity) -> EngineFact {
    let name = ClinicalFact::parse(name).expect("a clinical fact");
    EngineFact {
        name,
        polarity,
        span: Some((0, 4)),
        text: "text".into(),
        quote: None,
    }
}

fn visit_item(
    service: &'static str,
    quantity: u8,
    prior: u8,
    improvement: Option<Polarity>,
) -> ItemInput {
    let mut facts = vec![
        fact("chronic_pain", Polarity::Affirmed),
        fact(
            "prior_treatment",
            if prior > 0 {
                Polarity::Affirmed
            } else {
                Polarity::Negated
            },
        ),
    ];
    if let Some(p) = improvement {
        facts.push(fact("functional_improvement", p));
    }
    ItemInput {
        request: format!("{service} x{quantity}"),
        service: Some(service),
        quantity: Some(f64::from(quantity)),
        prior_visits: (prior > 0).then_some(f64::from(prior)),
        body_regions: vec!["lumbar_spine"],
        facts,
        ..ItemInput::default()
    }
}

const VISIT_SERVICES: &[&str] = &["physical_therapy", "chiropractic", "acupuncture", "massage"];

fn improvement() -> impl Strategy<Value = Option<Polarity>> {
    prop_oneof![
        Just(None),
        Just(Some(Polarity::Affirmed)),
        Just(Some(Polarity::Negated))
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Once the 6-visit trial is done, more documented visits never turn an Upheld into an
    /// Overturned. (Across the trial the guideline itself is not monotone: 7 visits asked for
    /// before any are denied as more than the trial, 7 more after a trial with functional
    /// improvement are within the course.)
    #[test]
    fn more_visits_never_turn_upheld_into_overturned(
        service in prop::sample::select(VISIT_SERVICES),
        quantity in 1u8..30,
        prior in 6u8..30,
        extra in 1u8..30,
        improvement in improvement(),
    ) {
        let g = guidelines();
        let fewer = review_item(&g, &visit_item(service, quantity, prior, improvement), None);
        let more = review_item(&g, &visit_item(service, quantity, prior.saturating_add(extra), improvement), None);
        if fewer.decision == Some(Decision::Upheld) {
            prop_assert_ne!(more.decision, Some(Decision::Overturned), "{:?} -> {:?}", fewer.rule, more.rule);
        }
    }

    /// Negating the fact a decision relies on flips or withdraws the decision.
    #[test]
    fn negating_the_relied_on_fact_flips_or_withdraws(
        service in prop::sample::select(VISIT_SERVICES),
        quantity in 1u8..12,
        prior in 0u8..12,
        improvement in improvement(),
    ) {
        let g = guidelines();
        let item = visit_item(service, quantity, prior, improvement);
        let finding = review_item(&g, &item, None);
        if finding.status == Status::Decided && let Some(relied) = finding.evidence.first() {
            let mut flipped = item.clone();
            for f in flipped.facts.iter_mut().filter(|f| f.name == relied.fact) {
                f.polarity = match f.polarity {
                    Polarity::Negated => Polarity::Affirmed,
                    _ => Polarity::Negated,
                };
            }
            let again = review_item(&g, &flipped, None);
            prop_assert!(again.decision != finding.decision || again.rule != finding.rule,
                "negating {} left {:?} by {:?}", relied.fact, finding.decision, finding.rule);
        }
    }

    /// Same input, same guideline version: byte-identical JSON.
    #[test]
    fn findings_are_deterministic(
        service in prop::sample::select(VISIT_SERVICES),
        quantity in 1u8..30,
        prior in 0u8..30,
        improvement in improvement(),
    ) {
        let g = guidelines();
        let case = CaseInput { items: vec![visit_item(service, quantity, prior, improvement)], ..CaseInput::default() };
        let a = serde_json::to_string(&review(&g, &case, None)).expect("json");
        let b = serde_json::to_string(&review(&guidelines(), &case, None)).expect("json");
        prop_assert_eq!(a, b);
    }
}

fn letters_dir() -> Option<PathBuf> {
    imr_testkit::letters()
}

fn backtest(dir: &Path) -> Vec<Comparison> {
    let g = guidelines();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("letters folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut comparisons = Vec::new();
    for path in paths {
        let letter = read_letter(&std::fs::read_to_string(&path).expect("letter"));
        let findings = review(&g, &adapt::from_letter(&letter, &thresholds()), None);
        comparisons.extend(compare(&letter, &findings));
    }
    comparisons
}

/// The nine items of the five seed letters come out as published (7 Upheld, 2 Overturned), each
/// citing the guideline family the published letter cites.
#[imr_testkit::needs(letters)]
#[test]
fn seeds_come_out_as_published() {
    let Some(dir) = letters_dir() else { return };
    let comparisons = backtest(&dir.join("seeds"));
    eprintln!("seeds:\n{}", table(&score(&comparisons)));
    assert_eq!(comparisons.len(), 9);
    let upheld = comparisons
        .iter()
        .filter(|c| c.published == Decision::Upheld)
        .count();
    assert_eq!(upheld, 7);
    for c in &comparisons {
        assert_eq!(c.engine, Some(c.published), "{}: {:?}", c.request, c.rule);
        let family = c.engine_family.expect("a decided finding has a citation");
        assert!(
            c.published_families.contains(&family),
            "{}: engine cites {family}, the letter {:?}",
            c.request,
            c.published_families
        );
    }
}

/// Every dev letter is read and reviewed: each has disputed items with a published decision, and
/// every finding names the rule that decided it, or what is missing, or that no rule decides it.
/// The figures are printed, not asserted: the rules were written from these letters, so they
/// measure fit, not performance.
#[imr_testkit::needs(letters)]
#[test]
fn every_dev_letter_is_read_and_reviewed() {
    let Some(dir) = letters_dir() else { return };
    let g = guidelines();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join("dev/txt"))
        .expect("letters folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    // The letters the agreement table names when a proposal shows its rule's figure.
    assert_eq!(
        paths.len(),
        agreement::DEV_LETTERS,
        "{}",
        agreement::MEASURED_ON
    );
    let mut comparisons = Vec::new();
    for path in &paths {
        let name = path.display();
        let letter = read_letter(&std::fs::read_to_string(path).expect("letter"));
        assert!(
            letter
                .decision_date
                .is_some_and(|d| (2016..=2017).contains(&d.year())),
            "{name}: decision date {:?} is not of 2016-17",
            letter.decision_date
        );
        let findings = review(&g, &adapt::from_letter(&letter, &thresholds()), None);
        assert_eq!(findings.items.len(), letter.items.len(), "{name}");
        for f in &findings.items {
            match f.status {
                Status::Decided => assert!(
                    f.decision.is_some() && f.rule.is_some() && f.citation.is_some(),
                    "{name}: {} decided without a decision, rule or citation",
                    f.request
                ),
                // Sent to a physician: by a rule, naming what is missing; or because no rule
                // decides the request, which the rationale says.
                Status::NeedsPhysician => assert!(
                    !f.rationale.is_empty()
                        && (f.rule.is_none() || !f.missing.is_empty())
                        && f.decision.is_none(),
                    "{name}: {} sent to a physician by {:?} without naming what is missing",
                    f.request,
                    f.rule
                ),
            }
        }
        let compared = compare(&letter, &findings);
        assert!(
            !compared.is_empty(),
            "{name}: no item with a published decision"
        );
        comparisons.extend(compared);
    }
    eprintln!(
        "all {} dev letters (the rules were written from them: fit, not performance):\n{}",
        paths.len(),
        table(&score(&comparisons))
    );
}

/// ODG preoperative testing by the planned operation: urinalysis before an implant, not before
/// an arthroscopy; a CBC where blood loss is expected. The age stated in the record is a GI risk
/// factor over 65 (a PPI with an NSAID) and fails the transportation criterion under 55.
#[test]
fn the_planned_operation_and_the_age_decide_their_criteria() {
    let g = guidelines();
    let arthroplasty = review(&g, &case("preop-arthroplasty.json"), None);
    let decisions: Vec<Option<Decision>> = arthroplasty.items.iter().map(|i| i.decision).collect();
    assert_eq!(
        decisions,
        vec![
            Some(Decision::Overturned),
            Some(Decision::Overturned),
            Some(Decision::Overturned)
        ],
        "{:#?}",
        arthroplasty
            .items
            .iter()
            .map(|i| &i.rule)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        arthroplasty.items[0].rule.as_deref(),
        Some("odg.preoperative-testing.urinalysis-implant")
    );
    let arthroscopy = review(&g, &case("preop-arthroscopy.json"), None);
    let rules: Vec<Option<&str>> = arthroscopy
        .items
        .iter()
        .map(|i| i.rule.as_deref())
        .collect();
    assert_eq!(
        rules,
        vec![
            Some("odg.preoperative-testing.urinalysis-no-implant"),
            Some("odg.transportation.criteria-not-met")
        ]
    );
    assert!(
        arthroscopy
            .items
            .iter()
            .all(|i| i.decision == Some(Decision::Upheld))
    );
}

/// An FCE near maximum medical improvement, with no return to work, meets ODG's criterion.
#[test]
fn an_fce_at_maximum_medical_improvement() {
    let item = ItemInput {
        request: "Functional capacity evaluation".into(),
        service: Some("functional_capacity_evaluation"),
        facts: vec![fact("maximum_medical_improvement", Polarity::Affirmed)],
        ..ItemInput::default()
    };
    let finding = review_item(&guidelines(), &item, None);
    assert_eq!(finding.decision, Some(Decision::Overturned));
    let back_at_work = ItemInput {
        facts: vec![
            fact("maximum_medical_improvement", Polarity::Affirmed),
            fact("returned_to_work", Polarity::Affirmed),
        ],
        ..item
    };
    assert_eq!(
        review_item(&guidelines(), &back_at_work, None).decision,
        Some(Decision::Upheld)
    );
}

/// A surgery on one side puts only that side's request in the postsurgical period.
#[test]
fn a_surgery_on_the_left_says_nothing_of_the_right() {
    let input = case("sides.json");
    let procedures: Vec<&Vec<String>> = input.items.iter().map(|i| &i.procedures).collect();
    assert!(
        procedures[0].contains(&"meniscectomy".to_string()),
        "{procedures:?}"
    );
    assert!(procedures[1].is_empty(), "{procedures:?}");
}

/// CPMTG: an anticoagulant taken with an NSAID is a GI risk factor, so a PPI meets the criterion;
/// the same patient without the NSAID has no such risk from the anticoagulant.
#[test]
fn an_anticoagulant_with_an_nsaid_is_a_gi_risk() {
    let g = guidelines();
    let with_nsaid = review(&g, &case("ppi-anticoagulant.json"), None);
    assert_eq!(
        with_nsaid.items[0].rule.as_deref(),
        Some("mtus.cpmtg.nsaids.gi-protection-with-risk")
    );
    let text = std::fs::read_to_string(data("ppi-anticoagulant.json")).expect("fixture");
    let without = text.replace("naproxen 550 mg twice a day and ", "");
    let case = CaseFile::parse_any(&without).expect("case file");
    let finding = review(&g, &adapt::from_case_file(&case, &thresholds()), None);
    assert_ne!(finding.items[0].decision, Some(Decision::Overturned));
}

#[test]
fn knee_locking_giving_way_and_a_ligament_test_are_internal_derangement() {
    let g = guidelines();
    let finding = review(&g, &case("knee-mechanical.json"), None);
    assert_eq!(
        finding.items[0].rule.as_deref(),
        Some("mtus.acoem.knee.special-studies.internal-derangement")
    );
    assert_eq!(finding.items[0].decision, Some(Decision::Overturned));
    // The same knee with the symptoms denied and the test negative has no such finding.
    let text = std::fs::read_to_string(data("knee-mechanical.json")).expect("fixture");
    let quiet = text
        .replace(
            "He reports locking and giving way",
            "He denies locking or giving way",
        )
        .replace("a positive Lachman test", "a negative Lachman test");
    let case = CaseFile::parse_any(&quiet).expect("case file");
    let finding = review(&g, &adapt::from_case_file(&case, &thresholds()), None);
    assert_ne!(finding.items[0].decision, Some(Decision::Overturned));
}

#[test]
fn gi_symptoms_without_an_nsaid_do_not_approve_a_ppi() {
    let g = guidelines();
    let text = std::fs::read_to_string(data("ppi-anticoagulant.json")).expect("fixture");
    let without = text.replace(
        "She takes naproxen 550 mg twice a day and warfarin for atrial fibrillation.",
        "She has gastritis.",
    );
    let case = CaseFile::parse_any(&without).expect("case file");
    let finding = review(&g, &adapt::from_case_file(&case, &thresholds()), None);
    assert_ne!(finding.items[0].decision, Some(Decision::Overturned));
}

#[test]
fn a_routine_functional_capacity_evaluation_is_not_indicated() {
    let g = guidelines();
    let finding = review(&g, &case("fce-routine.json"), None);
    assert_eq!(
        finding.items[0].rule.as_deref(),
        Some("odg.functional-capacity-evaluation.no-indication")
    );
    assert_eq!(finding.items[0].decision, Some(Decision::Upheld));
}

/// Each item fails a criterion its guideline makes a precondition, and each comes out Upheld by
/// the rule of that criterion; with the criterion documented, none of those rules decides.
#[test]
fn preconditions_of_equipment_benzodiazepines_home_health_and_antiepilepsy_drugs() {
    let g = guidelines();
    let findings = review(&g, &case("medications-and-equipment.toml"), None);
    let rules = outcomes(&findings);
    assert_eq!(
        rules,
        vec![
            (
                Some("odg.dme.not-medical-equipment"),
                Some(Decision::Upheld)
            ),
            (Some("odg.dme.hospital-bed"), Some(Decision::Upheld)),
            (
                Some("mtus.cpmtg.benzodiazepines.no-anxiety"),
                Some(Decision::Upheld)
            ),
            (
                Some("mtus.cpmtg.home-health.not-homebound"),
                Some(Decision::Upheld)
            ),
            (
                Some("mtus.cpmtg.antiepilepsy-drugs.no-neuropathic-pain"),
                Some(Decision::Upheld)
            ),
            (
                Some("odg.antiemetics.not-postoperative"),
                Some(Decision::Upheld)
            ),
            (
                Some("mtus.acoem.neck.cervical-collar"),
                Some(Decision::Upheld)
            ),
            (
                Some("mtus.acoem.low-back.oral-corticosteroids"),
                Some(Decision::Upheld)
            ),
            (
                Some("mtus.cpmtg.aquatic-therapy.no-reduced-weight-bearing"),
                Some(Decision::Upheld)
            ),
        ]
    );
    let findings = review(
        &g,
        &case_with(
            "medications-and-equipment.toml",
            &[(
                "She walks to her appointments.",
                "She is homebound and obese, reports anxiety, and has pain radiating to the left leg with numbness.",
            )],
        ),
        None,
    );
    for (i, rule) in [
        (1, "odg.dme.hospital-bed"),
        (2, "mtus.cpmtg.benzodiazepines.no-anxiety"),
        (3, "mtus.cpmtg.home-health.not-homebound"),
        (4, "mtus.cpmtg.antiepilepsy-drugs.no-neuropathic-pain"),
        (8, "mtus.cpmtg.aquatic-therapy.no-reduced-weight-bearing"),
    ] {
        assert_ne!(findings.items[i].rule.as_deref(), Some(rule), "item {i}");
    }
}

/// a course of visits with no count at all is an unspecified request; the same course with
/// its count is judged on its criteria. EDX-2: leg nerve conduction studies for radiating pain.
#[test]
fn an_uncounted_course_is_unspecified_and_leg_ncv_for_radiating_pain_is_not_recommended() {
    let findings = review(&guidelines(), &case("unspecified-course.toml"), None);
    let rules: Vec<Option<&str>> = findings.items.iter().map(|i| i.rule.as_deref()).collect();
    assert_eq!(rules[0], Some("mtus.general.unspecified-quantity"));
    assert_ne!(rules[1], Some("mtus.general.unspecified-quantity"));
    assert_eq!(
        rules[2],
        Some("mtus.cpmtg.electrodiagnostic.lower-extremity-nerve-conduction-radiating")
    );
    assert_eq!(findings.items[2].decision, Some(Decision::Upheld));
}

/// Trigger points, a diagnostic block, non-radicular pain, confinement and an acute condition are
/// each the documented precondition of its service; without them each is Upheld by its rule.
#[test]
fn preconditions_of_injections_bathroom_equipment_and_ketorolac() {
    let findings = review(&guidelines(), &case("injections-and-bathroom.toml"), None);
    let rules: Vec<Option<&str>> = findings.items.iter().map(|i| i.rule.as_deref()).collect();
    assert_eq!(
        rules,
        vec![
            Some("mtus.cpmtg.trigger-point-injections.no-trigger-points"),
            Some("odg.low-back.facet-injections.radiating-pain"),
            Some("odg.low-back.facet-injections.radiating-pain"),
            Some("odg.dme.bathroom-equipment"),
            Some("mtus.cpmtg.nsaids.ketorolac-chronic-pain"),
            Some("mtus.acoem.joint-injection.repeat-without-response"),
        ]
    );
    assert!(
        findings
            .items
            .iter()
            .all(|i| i.decision == Some(Decision::Upheld))
    );
    // Without radicular pain, the neurotomy still needs its diagnostic block first.
    let text = std::fs::read_to_string(data("injections-and-bathroom.toml")).expect("fixture");
    let axial = text.replace(" radiating to the right leg", "");
    let case = CaseFile::parse_any(&axial).expect("case file");
    let findings = review(
        &guidelines(),
        &adapt::from_case_file(&case, &thresholds()),
        None,
    );
    assert_eq!(
        findings.items[1].rule.as_deref(),
        Some("odg.low-back.facet-neurotomy.no-diagnostic-block")
    );
}

/// "Would consider surgery if imaging shows a lesion" is ACOEM's criterion for lumbar imaging,
/// and therapy "with no functional improvement" is conservative care that failed (affirmed, not
/// "documented as absent"). Without the consideration, the same record is denied.
#[test]
fn a_patient_who_would_consider_surgery_meets_the_lumbar_imaging_criteria() {
    let g = guidelines();
    let case = case("lumbar-mri-surgery-considered.toml");
    let mri = &case.items[0];
    assert!(
        mri.facts
            .iter()
            .any(|f| f.name == ClinicalFact::FailedConservativeCare
                && f.polarity == Polarity::Affirmed),
        "{:?}",
        mri.facts
    );
    let finding = review_item(&g, mri, None);
    assert_eq!(
        finding.rule.as_deref(),
        Some("mtus.acoem.low-back.special-studies.criteria-met")
    );
    assert_eq!(finding.decision, Some(Decision::Overturned));
    let text =
        std::fs::read_to_string(data("lumbar-mri-surgery-considered.toml")).expect("fixture");
    let unwilling = text.replace(
        "He would\nconsider surgery if imaging shows a surgical lesion.",
        "He does not want surgery.",
    );
    assert_ne!(unwilling, text);
    let case = CaseFile::parse_any(&unwilling).expect("case file");
    let finding = review_item(
        &g,
        &adapt::from_case_file(&case, &thresholds()).items[0],
        None,
    );
    assert_ne!(finding.decision, Some(Decision::Overturned), "{finding:?}");
}

/// A fracture in the weeks after the injury is a red flag: radiographs are approved, and surgery
/// is not denied for want of a trial of conservative care. An SSRI without documented depression
/// and the remainder of partly authorized occupational therapy are denied.
#[test]
fn an_acute_fracture_is_a_red_flag_and_an_ssri_needs_depression() {
    let g = guidelines();
    let findings = review(&g, &case("acute-fracture.toml"), None);
    let got = outcomes(&findings);
    assert_eq!(
        got[0],
        (
            Some("mtus.acoem.x-ray.acute-fracture"),
            Some(Decision::Overturned)
        )
    );
    assert_ne!(
        got[1].0,
        Some("mtus.acoem.surgical-considerations.no-failed-conservative-care"),
        "an acute fracture needs no trial of conservative care"
    );
    assert_eq!(
        got[2],
        (Some("mtus.cpmtg.ssri.not-for-pain"), Some(Decision::Upheld))
    );
    assert_eq!(
        got[3],
        (
            Some("mtus.general.partial-authorization-remainder"),
            Some(Decision::Upheld)
        )
    );

    // The same fracture a year on is healed history, and depression gives the SSRI its role.
    let findings = review(
        &g,
        &case_with(
            "acute-fracture.toml",
            &[
                ("ur_denial_date = 2016-11-22", "ur_denial_date = 2017-11-22"),
                (
                    "difficulty sleeping because of the pain",
                    "depression since the injury",
                ),
            ],
        ),
        None,
    );
    assert_ne!(
        findings.items[0].rule.as_deref(),
        Some("mtus.acoem.x-ray.acute-fracture")
    );
    assert_eq!(
        findings.items[1].rule.as_deref(),
        Some("mtus.acoem.surgical-considerations.no-failed-conservative-care")
    );
    assert_ne!(
        findings.items[2].rule.as_deref(),
        Some("mtus.cpmtg.ssri.not-for-pain")
    );
}

/// What the guidelines do not recommend is denied whatever the record says (carisoprodol, a
/// medical food, topical ketoprofen, a topical NSAID for the spine), while another muscle relaxant for the same spasm takes its short course; a
/// functional restoration program is denied beyond 2 weeks without documented gains, not within.
#[test]
fn not_recommended_drugs_and_program_length() {
    let g = guidelines();
    let findings = review(&g, &case("not-recommended.toml"), None);
    let got = outcomes(&findings);
    assert_eq!(
        got,
        vec![
            (
                Some("mtus.cpmtg.carisoprodol.not-recommended"),
                Some(Decision::Upheld)
            ),
            (
                Some("mtus.cpmtg.muscle-relaxants.short-course"),
                Some(Decision::Overturned)
            ),
            (
                Some("odg.medical-food.not-recommended"),
                Some(Decision::Upheld)
            ),
            (
                Some("mtus.cpmtg.functional-restoration.beyond-two-weeks"),
                Some(Decision::Upheld)
            ),
            (None, None),
            (
                Some("mtus.cpmtg.topical-analgesics.ketoprofen"),
                Some(Decision::Upheld)
            ),
            (
                Some("mtus.cpmtg.topical-analgesics.nsaid-spine-hip-shoulder"),
                Some(Decision::Upheld)
            ),
            // No category holds these; a rule that names "unknown" still reads their words.
            (
                Some("odg.gym-membership.not-recommended"),
                Some(Decision::Upheld)
            ),
            (
                Some("odg.genetic-testing.not-recommended"),
                Some(Decision::Upheld)
            ),
        ]
    );
}

/// Opioids continued with documented relief, the activities they make possible and monitoring
/// meet the maintenance criteria; without the activities, the same record does not.
#[test]
fn opioid_maintenance_reads_the_function_the_drug_makes_possible() {
    let g = guidelines();
    let findings = review(&g, &case("opioid-maintenance.toml"), None);
    assert_eq!(
        (
            findings.items[0].rule.as_deref(),
            findings.items[0].decision
        ),
        (
            Some("mtus.opioids.maintenance-criteria-met"),
            Some(Decision::Overturned)
        )
    );
    let findings = review(
        &g,
        &case_with(
            "opioid-maintenance.toml",
            &[(" and allow her to walk for 30 minutes and do housework", "")],
        ),
        None,
    );
    assert_eq!(
        findings.items[0].rule.as_deref(),
        Some("mtus.opioids.maintenance-without-improvement")
    );
    // A first prescription, with neither opioids taken before nor screening on record, is judged
    // by the steps before starting, not as maintenance.
    let first = case_with(
        "opioid-maintenance.toml",
        &[
            (
                "Current medications include Norco and naproxen.",
                "She takes naproxen.",
            ),
            (" A urine drug screen on 9/1/2016 was consistent.", ""),
        ],
    );
    let findings = review(&g, &first, None);
    assert_eq!(
        (
            findings.items[0].rule.as_deref(),
            findings.items[0].decision
        ),
        (
            Some("mtus.opioids.initiation-without-screening"),
            Some(Decision::Upheld)
        )
    );
}

/// A cold therapy unit requested beside an operation is post-operative care, judged by ODG's
/// seven post-operative days, not as a passive modality for chronic pain.
#[test]
fn a_device_beside_an_operation_is_post_operative_care() {
    let g = guidelines();
    let findings = review(&g, &case("surgery-and-devices.toml"), None);
    let got: Vec<(Option<&str>, Option<Decision>)> = findings.items[1..]
        .iter()
        .map(|i| (i.rule.as_deref(), i.decision))
        .collect();
    assert_eq!(
        got,
        vec![
            // Within the seven days, it would be approved; but it goes with an operation a
            // physician must decide first, so it waits for that decision.
            (None, None),
            (
                Some("odg.cryotherapy.postoperative-beyond-seven-days"),
                Some(Decision::Upheld)
            ),
        ]
    );
}

/// A second electrodiagnostic study of the same limb waits for a change since the first; with one
/// documented, the rule that denies the repeat stands aside.
#[test]
fn a_repeat_electrodiagnostic_study_needs_a_change() {
    let g = guidelines();
    let findings = review(&g, &case("repeat-electrodiagnosis.toml"), None);
    assert_eq!(
        (
            findings.items[0].rule.as_deref(),
            findings.items[0].decision
        ),
        (
            Some("mtus.acoem.electrodiagnostic.repeat-study"),
            Some(Decision::Upheld)
        )
    );
    let findings = review(
        &g,
        &case_with(
            "repeat-electrodiagnosis.toml",
            &[(
                "Examination shows",
                "The numbness has worsened and now wakes her at night. Examination shows",
            )],
        ),
        None,
    );
    assert_ne!(
        findings.items[0].rule.as_deref(),
        Some("mtus.acoem.electrodiagnostic.repeat-study")
    );
}

/// Arm symptoms for more than 3-4 weeks with a deficit on examination justify electrodiagnosis
/// once conservative care has been tried (EDX-5, EDX-9, X-10), not before.
#[test]
fn arm_electrodiagnosis_follows_conservative_care() {
    let g = guidelines();
    let rule = "mtus.cpmtg.electrodiagnostic.upper-extremity-persistent-symptoms";
    let findings = review(&g, &case("arm-symptoms.toml"), None);
    assert_ne!(findings.items[0].rule.as_deref(), Some(rule));
    let findings = review(
        &g,
        &case_with(
            "arm-symptoms.toml",
            &[(
                "Examination shows",
                "He has completed 6 sessions of physical therapy. Examination shows",
            )],
        ),
        None,
    );
    assert_eq!(
        (
            findings.items[0].rule.as_deref(),
            findings.items[0].decision
        ),
        (Some(rule), Some(Decision::Overturned))
    );
}

/// A repeat corticosteroid injection rests on the earlier one's response: relief documented is a
/// response. Hyaluronic acid is another treatment, for the knee only (ODG).
#[test]
fn a_repeat_joint_injection_reads_the_relief_of_the_first() {
    let g = guidelines();
    let findings = review(&g, &case("knee-injections.toml"), None);
    let got = outcomes(&findings);
    assert_eq!(
        got,
        vec![
            (
                Some("mtus.acoem.joint-injection.osteoarthritis"),
                Some(Decision::Overturned)
            ),
            (None, None),
            (Some("odg.hyaluronic-acid.not-knee"), Some(Decision::Upheld)),
            // An unloader brace is for the osteoarthritis (ODG), not ACOEM's instability brace.
            (None, None),
            (
                Some("mtus.acoem.knee.brace.no-instability"),
                Some(Decision::Upheld)
            ),
        ]
    );
    let findings = review(
        &g,
        &case_with("knee-injections.toml", &[(" with 3 months of relief", "")]),
        None,
    );
    assert_eq!(
        findings.items[0].rule.as_deref(),
        Some("mtus.acoem.joint-injection.repeat-without-response")
    );
    assert_ne!(
        findings.items[1].rule.as_deref(),
        Some("mtus.acoem.joint-injection.repeat-without-response"),
        "hyaluronic acid does not repeat a corticosteroid injection"
    );
}

/// In the weeks after an injury a follow-up visit is expected care (ACOEM ch. 5); a block of
/// visits is not one follow-up, and once the pain is chronic the CPMTG's office-visit rule speaks.
#[test]
fn a_follow_up_visit_after_a_recent_injury() {
    let g = guidelines();
    let findings = review(&g, &case("acute-follow-up.toml"), None);
    let got = outcomes(&findings);
    assert_eq!(
        got,
        vec![
            (
                Some("mtus.acoem.follow-up-visits.acute-injury"),
                Some(Decision::Overturned)
            ),
            (None, None),
        ]
    );
    let findings = review(
        &g,
        &case_with(
            "acute-follow-up.toml",
            &[("ur_denial_date = 2016-11-05", "ur_denial_date = 2017-06-05")],
        ),
        None,
    );
    assert_eq!(
        findings.items[0].rule.as_deref(),
        Some("mtus.cpmtg.office-visits.follow-up")
    );
}

/// `imr guidelines check` is clean on the shipped rules: no rule is shadowed by an earlier one
/// or contradicts it.
#[test]
fn no_shipped_rule_is_shadowed_or_contradicted() {
    let problems = imr_rules::guidelines::check::check(&guidelines());
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", lines.join("\n"));
}

/// Care authorized and not used up: the same care asked again is a duplicate, another
/// modality stacks on it; once the record says it was all given, neither applies.
#[test]
fn care_authorized_and_not_used_up() {
    let g = guidelines();
    let findings = review(&g, &case("authorized-care.toml"), None);
    assert_eq!(
        outcomes(&findings),
        vec![
            (
                Some("mtus.general.duplicate-of-authorized-care"),
                Some(Decision::Upheld)
            ),
            (
                Some("mtus.general.care-in-progress"),
                Some(Decision::Upheld)
            ),
        ]
    );
    let used_up = review(
        &g,
        &case_with(
            "authorized-care.toml",
            &[(
                "he has attended two of them so far",
                "he attended all six, with less neck pain for a week after each",
            )],
        ),
        None,
    );
    for item in &used_up.items {
        assert!(
            !matches!(
                item.rule.as_deref(),
                Some("mtus.general.duplicate-of-authorized-care" | "mtus.general.care-in-progress")
            ),
            "{:?}",
            item.rule
        );
    }
}
