//! Backtest: the engine's findings against published decisions.
//!
//! The engine sees only what [`super::adapt::from_letter`] passes on (header dates, clinical
//! summary, requests); the published decision, guideline lines and rationale are used here only to
//! score. Citation agreement compares guideline families ([`Family`]): an item counts when the
//! engine decided it and the reviewer cited at least one guideline; it agrees when the engine's
//! family is among the families of the reviewer's citations (for example both cite the Chronic
//! Pain Medical Treatment Guidelines, whatever the section or year).
//!
//! The figures describe agreement with the letters given and nothing more
//! ([`WHAT_THE_FIGURES_SAY`]): on the dev letters, which the rules were written from, they measure
//! fit, not how the engine does on letters or cases it has not seen.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CaseFindings, Status};
use crate::guidelines::Family;
use imr_core::model::{Decision, Determination};

/// The first line of every backtest report.
pub const WHAT_THE_FIGURES_SAY: &str = "These figures describe agreement with the letters given; on the dev letters they measure how well the engine matches letters its rules were written from.";

/// One disputed item: what was published, and what the engine proposed.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub case_number: Option<String>,
    pub request: String,
    pub service: Option<&'static str>,
    pub published: Decision,
    pub engine: Option<Decision>,
    pub rule: Option<String>,
    pub published_families: Vec<Family>,
    pub engine_family: Option<Family>,
    pub engine_rationale: String,
    /// What the engine found missing (for items sent to a physician: why).
    pub engine_missing: Vec<String>,
    pub published_rationale: Option<String>,
}

impl Comparison {
    pub fn agrees(&self) -> bool {
        self.engine == Some(self.published)
    }
}

/// Pairs a letter's published items with the engine's findings for it (same order).
pub fn compare(letter: &Determination, findings: &CaseFindings) -> Vec<Comparison> {
    letter
        .items
        .iter()
        .zip(&findings.items)
        .filter_map(|(item, finding)| {
            let published = item.decision?;
            let mut families: Vec<Family> = item
                .citations
                .iter()
                .map(|c| Family::of_guideline_name(&c.guideline))
                .collect();
            families.sort();
            families.dedup();
            Some(Comparison {
                case_number: letter.case_number.clone(),
                request: item.request.clone(),
                service: finding.service,
                published,
                engine: (finding.status == Status::Decided)
                    .then_some(finding.decision)
                    .flatten(),
                rule: finding.rule.clone(),
                published_families: families,
                engine_family: finding.family,
                engine_rationale: finding.rationale.clone(),
                engine_missing: finding.missing.clone(),
                published_rationale: item.rationale.clone(),
            })
        })
        .collect()
}

/// Counts of one group of items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub items: usize,
    pub decided: usize,
    pub agree: usize,
}

/// The backtest's figures. Ratios are `None` when their denominator is zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    pub items: usize,
    pub decided: usize,
    /// `confusion[published][engine]`, 0 = Upheld, 1 = Overturned, over decided items.
    pub confusion: [[usize; 2]; 2],
    /// Published decisions of the items sent to a physician: [Upheld, Overturned].
    pub needs_physician: [usize; 2],
    pub coverage: Option<f64>,
    pub agreement: Option<f64>,
    pub balanced_accuracy: Option<f64>,
    pub overturned_precision: Option<f64>,
    /// Over decided items only.
    pub overturned_recall: Option<f64>,
    /// Over every published Overturned item: one sent to a physician counts as missed.
    pub overturned_recall_all: Option<f64>,
    /// Decided items whose reviewer cited a guideline, and how many of those the engine's
    /// citation matches by family.
    pub citation_comparable: usize,
    pub citation_agree: usize,
    pub citation_agreement: Option<f64>,
    pub per_service: BTreeMap<String, Counts>,
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

fn index(d: Decision) -> usize {
    match d {
        Decision::Upheld => 0,
        Decision::Overturned => 1,
    }
}

pub fn score(comparisons: &[Comparison]) -> Scores {
    let mut s = Scores {
        items: comparisons.len(),
        ..Scores::default()
    };
    for c in comparisons {
        let service = c.service.unwrap_or("unknown").to_string();
        let counts = s.per_service.entry(service).or_default();
        counts.items += 1;
        match c.engine {
            Some(engine) => {
                s.decided += 1;
                counts.decided += 1;
                s.confusion[index(c.published)][index(engine)] += 1;
                if c.agrees() {
                    counts.agree += 1;
                }
                if !c.published_families.is_empty() {
                    s.citation_comparable += 1;
                    if c.engine_family
                        .is_some_and(|f| c.published_families.contains(&f))
                    {
                        s.citation_agree += 1;
                    }
                }
            }
            None => s.needs_physician[index(c.published)] += 1,
        }
    }
    let [[uu, uo], [ou, oo]] = s.confusion;
    s.coverage = ratio(s.decided, s.items);
    s.agreement = ratio(uu + oo, s.decided);
    let upheld_recall = ratio(uu, uu + uo);
    s.overturned_recall = ratio(oo, ou + oo);
    s.overturned_precision = ratio(oo, uo + oo);
    s.overturned_recall_all = ratio(oo, ou + oo + s.needs_physician[1]);
    s.balanced_accuracy = match (upheld_recall, s.overturned_recall) {
        (Some(a), Some(b)) => Some((a + b) / 2.0),
        _ => None,
    };
    s.citation_agreement = ratio(s.citation_agree, s.citation_comparable);
    s
}

/// The scores as a plain-text table.
pub fn table(s: &Scores) -> String {
    let pct = |r: Option<f64>| r.map_or("n/a".to_string(), |r| format!("{:.1} %", r * 100.0));
    let num = |r: Option<f64>| r.map_or("n/a".to_string(), |r| format!("{r:.3}"));
    let [[uu, uo], [ou, oo]] = s.confusion;
    let mut out = String::new();
    out.push_str(&format!("items                      {}\n", s.items));
    out.push_str(&format!(
        "decided                    {} (coverage {})\n",
        s.decided,
        pct(s.coverage)
    ));
    out.push_str(&format!(
        "needs physician review     {} (published: {} Upheld, {} Overturned)\n",
        s.needs_physician[0] + s.needs_physician[1],
        s.needs_physician[0],
        s.needs_physician[1]
    ));
    out.push_str("\nconfusion (decided items)  engine Upheld  engine Overturned\n");
    out.push_str(&format!("  published Upheld         {uu:>13}  {uo:>17}\n"));
    out.push_str(&format!(
        "  published Overturned     {ou:>13}  {oo:>17}\n\n"
    ));
    out.push_str(&format!(
        "agreement                  {}\n",
        pct(s.agreement)
    ));
    out.push_str(&format!(
        "balanced accuracy          {}\n",
        num(s.balanced_accuracy)
    ));
    out.push_str(&format!(
        "Overturned precision       {}\n",
        num(s.overturned_precision)
    ));
    out.push_str(&format!(
        "Overturned recall          {} (decided), {} (all published Overturned)\n",
        num(s.overturned_recall),
        num(s.overturned_recall_all)
    ));
    out.push_str(&format!(
        "citation agreement         {} ({} of {} decided items whose reviewer cited a guideline)\n",
        pct(s.citation_agreement),
        s.citation_agree,
        s.citation_comparable
    ));
    out.push_str("\nper service                       items  decided  agree\n");
    for (service, c) in &s.per_service {
        out.push_str(&format!(
            "  {service:<31} {:>5}  {:>7}  {:>5}\n",
            c.items, c.decided, c.agree
        ));
    }
    out
}

/// How one rule did: the items it decided, how many as published, and its Overturned
/// proposals and how many of those were right.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleScore {
    pub rule: String,
    pub hits: usize,
    pub agree: usize,
    pub proposed_overturned: usize,
    pub overturned_right: usize,
    /// Where precedents were compared: on the same items, how often the precedents' majority
    /// (each letter left out of its own precedents) matched the published decision.
    pub precedent_agree: Option<usize>,
}

impl RuleScore {
    pub fn agreement(&self) -> Option<f64> {
        ratio(self.agree, self.hits)
    }

    pub fn overturned_precision(&self) -> Option<f64> {
        ratio(self.overturned_right, self.proposed_overturned)
    }
}

/// One row per rule that decided an item, most hits first. `precedent` gives, for the
/// comparison at the same index, whether the precedents' majority matched the published
/// decision (`None` when not compared or when no precedent had a decision).
pub fn per_rule(comparisons: &[Comparison], precedent: Option<&[Option<bool>]>) -> Vec<RuleScore> {
    let mut rows: BTreeMap<&str, RuleScore> = BTreeMap::new();
    for (i, c) in comparisons.iter().enumerate() {
        let (Some(engine), Some(rule)) = (c.engine, c.rule.as_deref()) else {
            continue;
        };
        let row = rows.entry(rule).or_insert_with(|| RuleScore {
            rule: rule.to_string(),
            precedent_agree: precedent.map(|_| 0),
            ..RuleScore::default()
        });
        row.hits += 1;
        if c.agrees() {
            row.agree += 1;
        }
        if engine == Decision::Overturned {
            row.proposed_overturned += 1;
            if c.published == Decision::Overturned {
                row.overturned_right += 1;
            }
        }
        if let (Some(agree), Some(Some(true))) = (
            row.precedent_agree.as_mut(),
            precedent.and_then(|p| p.get(i)),
        ) {
            *agree += 1;
        }
    }
    let mut rows: Vec<RuleScore> = rows.into_values().collect();
    rows.sort_by(|a, b| b.hits.cmp(&a.hits).then_with(|| a.rule.cmp(&b.rule)));
    rows
}

/// The per-rule rows as a plain-text table.
pub fn rule_table(rows: &[RuleScore]) -> String {
    let pct = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{:.0} %", r * 100.0));
    let mut out = format!(
        "{:<66} {:>5} {:>7} {:>12} {:>11}\n",
        "rule", "hits", "agree", "Ov. precis.", "precedents"
    );
    for r in rows {
        let precedents = r
            .precedent_agree
            .map_or("-".to_string(), |a| pct(ratio(a, r.hits)));
        let precision = if r.proposed_overturned == 0 {
            "-".to_string()
        } else {
            format!("{}/{}", r.overturned_right, r.proposed_overturned)
        };
        out.push_str(&format!(
            "{:<66} {:>5} {:>7} {:>12} {:>11}\n",
            r.rule,
            r.hits,
            pct(r.agreement()),
            precision,
            precedents
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comparison(
        case: &str,
        published: Decision,
        engine: Option<Decision>,
        rule: &str,
    ) -> Comparison {
        Comparison {
            case_number: Some(case.to_string()),
            request: "r".to_string(),
            service: Some("mri"),
            published,
            engine,
            rule: engine.map(|_| rule.to_string()),
            published_families: Vec::new(),
            engine_family: None,
            engine_rationale: String::new(),
            engine_missing: Vec::new(),
            published_rationale: None,
        }
    }

    #[test]
    fn recall_over_all_published_counts_abstentions_as_misses() {
        let o = Decision::Overturned;
        let u = Decision::Upheld;
        let items = [
            comparison("A", o, Some(o), "r1"),
            comparison("A", o, None, "r1"),
            comparison("B", u, Some(u), "r2"),
            comparison("B", u, Some(o), "r1"),
        ];
        let s = score(&items);
        assert_eq!(s.overturned_recall, Some(1.0));
        assert_eq!(s.overturned_recall_all, Some(0.5));
        assert_eq!(s.overturned_precision, Some(0.5));
        let rules = per_rule(
            &items,
            Some(&[Some(false), Some(true), Some(true), Some(true)]),
        );
        let r1 = rules.iter().find(|r| r.rule == "r1").expect("r1");
        assert_eq!(
            (
                r1.hits,
                r1.agree,
                r1.proposed_overturned,
                r1.overturned_right
            ),
            (2, 1, 2, 1)
        );
        // The abstained item is no hit of r1; the precedents agreed on one of r1's two hits.
        assert_eq!(r1.precedent_agree, Some(1));
        assert!(rule_table(&rules).contains("1/2"));
    }
}
