//! Clinical facts against the hand-written gold set (tests/data/facts): precision and recall per
//! fact kind and for negation, printed; and odd input never panics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use imr_core::extract::{self, Fact, FactKind, Polarity};
use imr_core::letter::read_letter;
use regex::RegexBuilder;
use serde::Deserialize;

#[derive(Deserialize)]
struct GoldFile {
    letter: String,
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

#[test]
fn facts_match_the_gold_set() {
    let Some(root) = std::env::var_os("IMR_LETTERS") else {
        println!("IMR_LETTERS is not set: skipping the gold facts test");
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
    let mut report = Vec::new();
    for (gold_path, gold) in &files {
        let letter_path = PathBuf::from(&root).join(&gold.letter);
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
        let name = gold_path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        for g in &gold.facts {
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
                .filter(|&i| !used[i] && facts[i].kind == g.kind && facts[i].value == g.value)
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
