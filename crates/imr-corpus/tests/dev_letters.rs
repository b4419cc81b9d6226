//! The corpus over the published dev letters ($IMR_LETTERS/dev): searches with known answers,
//! one document per item, statistics against decisions.csv, and the leave-one-out figure of the
//! precedents. Skipped, with a note, when IMR_LETTERS is unset.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use imr_core::{Decision, Determination};
use imr_corpus::{CorpusIndex, Filters, OutcomeStats, SearchQuery, leave_one_out};
use imr_letter::read_letter;
use imr_reading::request::{BodyRegion, Service};
use jiff::civil::Date;
use serde::Deserialize;

fn letters_dir() -> Option<PathBuf> {
    imr_testkit::letters()
}

struct Dev {
    determinations: Vec<Determination>,
    index: CorpusIndex,
}

fn dev() -> Option<&'static Dev> {
    static DEV: OnceLock<Option<Dev>> = OnceLock::new();
    DEV.get_or_init(|| {
        let dir = letters_dir()?.join("dev/txt");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let determinations: Vec<Determination> = paths
            .iter()
            .map(|p| {
                let text =
                    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                read_letter(&text)
            })
            .collect();
        let index = CorpusIndex::in_memory().expect("index in memory");
        index
            .add_all(&determinations)
            .expect("index the dev letters");
        Some(Dev {
            determinations,
            index,
        })
    })
    .as_ref()
}

#[derive(Deserialize)]
struct Fixture {
    search: Vec<KnownSearch>,
}

#[derive(Deserialize)]
struct KnownSearch {
    name: String,
    query: String,
    decision: Option<String>,
    service: Option<String>,
    guideline: Option<String>,
    specialty: Option<String>,
    region: Option<String>,
    from: Option<String>,
    to: Option<String>,
    expect: Vec<String>,
}

impl KnownSearch {
    fn query(&self) -> SearchQuery {
        let date = |s: &Option<String>| {
            s.as_deref().map(|d| {
                d.parse::<Date>()
                    .unwrap_or_else(|e| panic!("{}: {d}: {e}", self.name))
            })
        };
        SearchQuery {
            text: self.query.clone(),
            filters: Filters {
                decision: self.decision.as_deref().map(|d| {
                    Decision::parse(d).unwrap_or_else(|| panic!("{}: decision {d}", self.name))
                }),
                service: self.service.as_deref().map(|s| {
                    Service::from_name(s).unwrap_or_else(|| panic!("{}: service {s}", self.name))
                }),
                guideline: self.guideline.clone(),
                specialty: self.specialty.clone(),
                region: self.region.as_deref().map(|r| {
                    serde_json::from_value::<BodyRegion>(serde_json::Value::String(r.into()))
                        .unwrap_or_else(|e| panic!("{}: region {r}: {e}", self.name))
                }),
                from: date(&self.from),
                to: date(&self.to),
            },
            limit: 10_000,
            offset: 0,
        }
    }
}

#[imr_testkit::needs(letters)]
#[test]
fn searches_with_known_answers() {
    let Some(dev) = dev() else { return };
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/dev_search.toml"
    ))
    .expect("fixture file");
    let fixture: Fixture = toml::from_str(&text).expect("fixture parses");
    let mut failures = Vec::new();
    for known in &fixture.search {
        let results = dev.index.search(&known.query()).expect(&known.name);
        let got: BTreeSet<&str> = results
            .hits
            .iter()
            .map(|h| h.case_number.as_str())
            .collect();
        let want: BTreeSet<&str> = known.expect.iter().map(String::as_str).collect();
        if got != want {
            failures.push(format!(
                "{}:\n  missing {:?}\n  unexpected {:?}",
                known.name,
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>()
            ));
        }
        // A search with words marks them in its snippets.
        if !known.query.is_empty() {
            assert!(
                results.hits.iter().any(|h| h
                    .snippet
                    .iter()
                    .chain(&h.request_snippet)
                    .any(|s| !s.highlights.is_empty())),
                "{}: no highlighted word in any snippet",
                known.name
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[imr_testkit::needs(letters)]
#[test]
fn one_document_per_item_and_reindexing_adds_nothing() {
    let Some(dev) = dev() else { return };
    let items: usize = dev.determinations.iter().map(|d| d.items.len()).sum();
    assert_eq!(dev.index.len(), items as u64);

    let again = CorpusIndex::in_memory().expect("index");
    again.add_all(&dev.determinations).expect("first pass");
    again.add_all(&dev.determinations).expect("second pass");
    assert_eq!(
        again.len(),
        items as u64,
        "indexing the same letters twice must not add"
    );
    let records = again.records().expect("records");
    let cases: BTreeSet<&str> = records.iter().map(|r| r.case_number.as_str()).collect();
    assert_eq!(cases.len(), dev.determinations.len());
}

/// decisions.csv, read on its own: (case number, decision date, decision) per item.
fn decisions_csv() -> Option<Vec<(String, String, Decision)>> {
    let path = letters_dir()?.join("dev/decisions.csv");
    let text = std::fs::read_to_string(&path).expect("decisions.csv");
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        // The item wording may hold quoted commas; the other fields never do.
        let mut front = line.splitn(3, ',');
        let case = front.next().expect("case").to_string();
        let date = front.next().expect("date").to_string();
        let decision = line.rsplit(',').next().expect("decision");
        rows.push((
            case,
            date,
            Decision::parse(decision).expect("decision word"),
        ));
    }
    Some(rows)
}

#[imr_testkit::needs(letters)]
#[test]
fn statistics_agree_with_decisions_csv() {
    let (Some(dev), Some(rows)) = (dev(), decisions_csv()) else {
        return;
    };
    let records = dev.index.records().expect("records");
    let stats = OutcomeStats::from_records(&records);
    let overturned = rows.iter().filter(|r| r.2 == Decision::Overturned).count() as u64;
    assert_eq!(stats.items, rows.len() as u64);
    assert_eq!(stats.overturned, overturned);

    // Months as the csv dates them (MM/DD/YYYY).
    let mut months: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (_, date, decision) in &rows {
        let (m, y) = (&date[0..2], &date[6..10]);
        let e = months.entry(format!("{y}-{m}")).or_default();
        e.0 += 1;
        if *decision == Decision::Overturned {
            e.1 += 1;
        }
    }
    let got: BTreeMap<String, (u64, u64)> = stats
        .by_month
        .iter()
        .map(|r| (r.key.clone(), (r.items, r.overturned)))
        .collect();
    assert_eq!(got, months);
    // Every cut that counts each item once adds up to all items.
    assert_eq!(
        stats.by_service.iter().map(|r| r.items).sum::<u64>(),
        stats.items
    );
    // One row per specialty however the letters spelled it ("&" or "and", any case).
    let mut spellings = BTreeSet::new();
    for row in &stats.by_specialty {
        let key = row
            .key
            .to_lowercase()
            .replace('&', " and ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            spellings.insert(key),
            "{} is counted under two names",
            row.key
        );
    }
    assert!(
        stats
            .by_specialty
            .iter()
            .any(|r| r.key == "Physical Medicine and Rehabilitation"),
        "the letters' two spellings of PM&R are one row"
    );
    let csv = stats.to_csv();
    assert_eq!(csv.lines().count(), 1 + stats.rows().count());
    println!("{csv}");
}

#[imr_testkit::needs(letters)]
#[test]
fn precedents_leave_one_out() {
    let Some(dev) = dev() else { return };
    let k = 5;
    for determination in dev.determinations.iter().take(20) {
        let case = determination.case_number.as_deref().expect("case number");
        for found in dev.index.precedents(determination, k).expect("precedents") {
            assert_eq!(
                found.precedents.len(),
                k,
                "{case}: fewer than {k} precedents"
            );
            assert!(
                found.precedents.iter().all(|p| p.case_number != case),
                "{case}: own item"
            );
            // Same-category precedents come first.
            let first_other = found.precedents.iter().position(|p| !p.same_service);
            if let Some(i) = first_other {
                assert!(found.precedents[i..].iter().all(|p| !p.same_service));
            }
            assert!(
                found
                    .precedents
                    .iter()
                    .all(|p| !p.same_service || p.service == found.service)
            );
        }
    }
    for k in [1, 3, 5, 9] {
        let loo = leave_one_out(&dev.index, &dev.determinations, k).expect("leave one out");
        println!(
            "precedents, leave-one-out on {} dev items, k={k}: agreement {:.3} (always-upheld {:.3}), balanced {:.3}, overturned found {}/{}",
            loo.items,
            loo.agreement(),
            loo.upheld_share,
            loo.balanced_agreement(),
            loo.overturned_agreed,
            loo.overturned
        );
        assert_eq!(loo.items, 236, "every decided dev item is judged");
        assert_eq!(loo.without_precedent, 0);
        // Far below this, the precedents would be worse than a coin.
        assert!(
            loo.agreement() > 0.5,
            "k={k}: agreement {}",
            loo.agreement()
        );
    }
}
