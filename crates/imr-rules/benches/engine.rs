//! Cases reviewed per second on one core: reading the facts and the requests of a case file and
//! running the guideline engine over every disputed item (the rules are loaded once, as the
//! server and the command line do).

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use divan::counter::ItemsCount;
use imr_reading::case_file::CaseFile;
use imr_rules::engine::{adapt, review};
use imr_rules::guidelines::Guidelines;

fn main() {
    divan::main();
}

/// The engine's fictional fixture cases.
const CASES: &[&str] = &[
    include_str!("../tests/data/engine/pt-trial.json"),
    include_str!("../tests/data/engine/acupuncture-no-improvement.json"),
    include_str!("../tests/data/engine/unknown-service.json"),
    include_str!("../tests/data/engine/bench-multi-item.json"),
];

fn cases() -> Vec<CaseFile> {
    CASES
        .iter()
        .map(|text| CaseFile::parse_any(text).expect("fixture is a case file"))
        .collect()
}

/// Facts + engine, per case: each iteration reviews every fixture case once.
#[divan::bench]
fn review_cases(bencher: divan::Bencher) {
    let guidelines = Guidelines::embedded().expect("embedded rules load");
    let cases = cases();
    bencher.counter(ItemsCount::new(cases.len())).bench(|| {
        for case in &cases {
            let input = adapt::from_case_file(divan::black_box(case), &guidelines.thresholds);
            divan::black_box(review(&guidelines, &input, None));
        }
    });
}

/// The engine alone, on inputs already read.
#[divan::bench]
fn engine_only(bencher: divan::Bencher) {
    let guidelines = Guidelines::embedded().expect("embedded rules load");
    let inputs: Vec<_> = cases()
        .iter()
        .map(|c| adapt::from_case_file(c, &guidelines.thresholds))
        .collect();
    bencher.counter(ItemsCount::new(inputs.len())).bench(|| {
        for input in &inputs {
            divan::black_box(review(&guidelines, divan::black_box(input), None));
        }
    });
}

/// Loading and validating every rule file (done once at start).
#[divan::bench]
fn load_guidelines() -> Guidelines {
    Guidelines::embedded().expect("embedded rules load")
}
