//! Counterfactual cases: fictional cases in groups that differ by one fact or only in wording,
//! written from the guideline criteria by someone who had not read the engine
//! (tests/data/counterfactual/README.md). Each request carries MTUS's answer, written before the
//! engine ran; the engine's proposal is counted against it.

#![allow(clippy::disallowed_methods)] // tests read their fixtures and the environment

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use imr_core::model::Decision;
use imr_reading::case_file::CaseFile;
use imr_rules::engine::{self, Status, adapt};
use imr_rules::guidelines::Guidelines;

#[derive(Debug, Default, Clone)]
struct Tally {
    right: usize,
    wrong_approvals: Vec<String>,
    wrong_denials: Vec<String>,
    physician: Vec<String>,
}

impl Tally {
    fn total(&self) -> usize {
        self.right + self.wrong_approvals.len() + self.wrong_denials.len() + self.physician.len()
    }
    /// Right, or sent to a physician: no wrong decision.
    fn acceptable(&self) -> f64 {
        (self.right + self.physician.len()) as f64 / self.total().max(1) as f64
    }
}

fn run(folder: &Path) -> (Tally, BTreeMap<String, Tally>) {
    let guidelines = Guidelines::embedded().expect("the embedded rule files load");
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut all = Tally::default();
    let mut by_service: BTreeMap<String, Tally> = BTreeMap::new();
    for file in files {
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let source = std::fs::read_to_string(&file).expect("readable case");
        let case = CaseFile::parse_any(&source).unwrap_or_else(|e| panic!("{name}: {e}"));
        let table: toml::Table = toml::from_str(&source).expect("a TOML case");
        let expected: Vec<String> = table["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .map(|r| {
                r.get("expected")
                    .and_then(|e| e.as_str())
                    .unwrap_or_else(|| panic!("{name}: a request without `expected`"))
                    .to_ascii_lowercase()
            })
            .collect();
        let findings = engine::review(
            &guidelines,
            &adapt::from_case_file(&case, &guidelines.thresholds),
            None,
        );
        for (finding, expected) in findings.items.iter().zip(&expected) {
            let service = finding.service.unwrap_or("unknown").to_string();
            let what = format!(
                "{name}: {} -> {:?} {:?} by {}",
                finding.request,
                finding.status,
                finding.decision,
                finding.rule.as_deref().unwrap_or("-")
            );
            for tally in [&mut all, by_service.entry(service).or_default()] {
                match (finding.status, finding.decision, expected.as_str()) {
                    (Status::NeedsPhysician, _, _) | (_, None, _) => {
                        tally.physician.push(what.clone())
                    }
                    (_, Some(Decision::Upheld), "upheld")
                    | (_, Some(Decision::Overturned), "overturned") => tally.right += 1,
                    (_, Some(Decision::Overturned), _) => tally.wrong_approvals.push(what.clone()),
                    (_, Some(Decision::Upheld), _) => tally.wrong_denials.push(what.clone()),
                }
            }
        }
    }
    (all, by_service)
}

fn report(name: &str, all: &Tally, by_service: &BTreeMap<String, Tally>) -> String {
    let mut out = format!(
        "{name}: {} requests: {} right, {} wrong approvals, {} wrong denials, {} sent to a physician; acceptable {:.1} %\n",
        all.total(),
        all.right,
        all.wrong_approvals.len(),
        all.wrong_denials.len(),
        all.physician.len(),
        100.0 * all.acceptable()
    );
    for (service, t) in by_service {
        out.push_str(&format!(
            "  {service:<32} {:>3} right {:>2} wrong approvals {:>2} wrong denials {:>2} physician\n",
            t.right,
            t.wrong_approvals.len(),
            t.wrong_denials.len(),
            t.physician.len()
        ));
    }
    if std::env::var_os("IMR_COUNTERFACTUAL_DETAIL").is_some() {
        for w in all.wrong_approvals.iter().chain(&all.wrong_denials) {
            out.push_str(&format!("  wrong: {w}\n"));
        }
        for w in &all.physician {
            out.push_str(&format!("  physician: {w}\n"));
        }
    }
    out
}

fn data(batch: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/counterfactual")
        .join(batch)
}

/// What the first batch holds today: a change that decides more of it wrongly fails here. The
/// goal, no wrong approval and at least 95 % acceptable, holds (docs/engine.md has the figures).
const MIN_ACCEPTABLE: f64 = 0.95;

#[test]
fn first_batch_follows_the_record() {
    let (all, by_service) = run(&data("batch1"));
    let table = report("batch1", &all, &by_service);
    println!("{table}");
    assert!(
        all.total() >= 200,
        "the first batch has at least 200 requests"
    );
    assert!(
        all.wrong_approvals.is_empty(),
        "wrong approvals:\n{}",
        all.wrong_approvals.join("\n")
    );
    assert!(all.acceptable() >= MIN_ACCEPTABLE, "{table}");
}

#[test]
fn second_batch_is_reported_as_it_came_out() {
    let folder = data("batch2");
    if !folder.exists() {
        return;
    }
    let (all, by_service) = run(&folder);
    println!("{}", report("batch2", &all, &by_service));
    assert!(
        all.total() >= 60,
        "the second batch has at least 60 requests"
    );
}
